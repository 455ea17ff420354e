package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/spie-parcours/parcours/internal/browsertest"
)

// TestBrowserEmploymentJourney: the demo employer's recruiter publishes an
// offer (through the API); the CCAS social worker, référent of a person
// whose project is that job, finds the offer among those ranked for the
// person, with its reasons, and proposes the person to it with their
// consent; the recruiter, in a browser of their own, opens the candidate
// and accepts the application; the référent then sees the hire on the
// person's plan and in the record's history. axe-core finds no serious or
// critical violation on these pages.
func TestBrowserEmploymentJourney(t *testing.T) {
	ctx := browsertest.New(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	base, out := startServer(t, "demo", "--db", db, "--persons", "0")
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	const job = "16276" // Magasinier / Magasinière (N1103)
	recruiter := apiAs(t, base, db, "recrutement@entreprise.example")
	var own struct {
		Items []struct {
			ID int64 `json:"id"`
		}
	}
	recruiter("GET", "/api/v1/employers", nil, http.StatusOK, &own)
	if len(own.Items) != 1 {
		t.Fatalf("the recruiter's employers: %+v", own)
	}
	var o struct{ ID int64 }
	recruiter("POST", "/api/v1/offers", map[string]any{"employer_id": own.Items[0].ID, "appellation": job, "title": "Magasinier préparateur de commandes (essai)",
		"description": "Préparation de commandes en équipe, formation au poste.", "commune_insee": "90010", "contract": "cdi",
		"weekly_hours": 35, "positions": 1, "transit_reachable": true, "status": "open"}, http.StatusCreated, &o)

	social := apiAs(t, base, db, "travailleur.social@ccas-belfort.example")
	var p struct{ ID int64 }
	social("POST", "/api/v1/persons", map[string]any{"first_name": "Noémie", "last_name": "Essai-Emploi", "birth_date": "1991-09-12",
		"commune_insee": "90010", "rsa_right": "rsa_droit_ouvert_versable"}, http.StatusCreated, &p)
	person := fmt.Sprintf("/api/v1/persons/%d", p.ID)
	social("PUT", person+"/project", map[string]any{"target_jobs": []string{job}, "mobility_km": 15, "hours_wanted": 35}, http.StatusOK, nil)
	social("PUT", person+"/employment-profile", map[string]any{"proposable": true}, http.StatusOK, nil)
	// visit opens a page of the journey and checks it: its heading, axe-core,
	// no error in the console.
	visit := func(ctx context.Context, path string) {
		t.Helper()
		must(path, chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main h1"))))
		browsertest.Axe(t, ctx)
		browsertest.NoErrors(t, ctx)
	}

	// The référent finds the offer and proposes the person.
	signInBrowser(t, ctx, base, out.String(), "travailleur.social@ccas-belfort.example")
	must("person's offers", chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/personnes/%d/offres", base, p.ID)),
		chromedp.WaitVisible(chromedp.ID("offres-titre"))))
	must("the offer is ranked", waitText(ctx, "#offres", "Magasinier préparateur de commandes (essai)"))
	must("with its reasons", waitText(ctx, "#offres", "même métier"))
	browsertest.Axe(t, ctx)
	must("propose", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#offres a[href*="proposer=%d"]`, o.ID))),
		chromedp.WaitVisible(chromedp.ID("proposition-titre"))))
	browsertest.Axe(t, ctx)
	browsertest.NoErrors(t, ctx)
	// Without the consent ticked, nothing is sent: the form comes back
	// with its error (status 400).
	must("no consent", chromedp.Do(ctx, chromedp.Submit(chromedp.ID("message"))))
	must("consent asked", waitText(ctx, "#proposition", "La personne doit avoir accepté"))
	browsertest.Axe(t, ctx)
	browsertest.NoErrorsBut(t, ctx, "status of 400")
	must("consent and shares", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`label[for="partage-0"]`)),
		chromedp.Click(chromedp.CSS(`label[for="partage-1"]`)),
		chromedp.SendKeys(chromedp.ID("message"), "Très motivée, disponible tout de suite."),
		chromedp.Click(chromedp.CSS(`label[for="accord"]`)),
		chromedp.Submit(chromedp.ID("message")),
	))
	must("proposed", waitText(ctx, ".fr-alert--success", "La candidature est transmise"))
	must("listed", waitText(ctx, "#candidatures", "Nouvelle candidature"))
	browsertest.Axe(t, ctx)
	browsertest.NoErrors(t, ctx)
	// The other pages of the référent: the people ranked for the offer
	// (hers named), the offers and employers of the territory.
	visit(ctx, fmt.Sprintf("/offres/%d/personnes", o.ID))
	must("her person ranked and named", waitText(ctx, "main", "Essai-Emploi"))
	visit(ctx, fmt.Sprintf("/offres/%d", o.ID))
	visit(ctx, "/offres")
	must("the offers listed", waitText(ctx, "main", "Magasinier préparateur de commandes (essai)"))
	visit(ctx, "/employeurs")
	must("the employers listed", waitText(ctx, "main", "Logistique du Nord Franche-Comté"))

	// The recruiter, in another browser, accepts.
	ectx := browsertest.New(t)
	signInBrowser(t, ectx, base, out.String(), "recrutement@entreprise.example")
	must("candidates", chromedp.Do(ectx, chromedp.Navigate(base+"/candidatures"), chromedp.WaitVisible(chromedp.CSS("main h1"))))
	must("the candidate", waitText(ectx, "main", "Essai-Emploi"))
	browsertest.Axe(t, ectx)
	must("open the application", chromedp.Do(ectx, chromedp.Click(chromedp.CSS(`main a[href^="/candidatures/"]`)),
		chromedp.WaitVisible(chromedp.ID("hired_on"))))
	must("shared experience only", waitText(ectx, "main", "Noémie"))
	browsertest.Axe(t, ectx)
	must("accept", chromedp.Do(ectx, setValue("hired_on", time.Now().Format("2006-01-02")), chromedp.Submit(chromedp.ID("hired_on"))))
	must("accepted", waitText(ectx, ".fr-alert--success", "Embauche enregistrée"))
	browsertest.Axe(t, ectx)
	browsertest.NoErrors(t, ectx)
	// The recruiter's other pages: the employer, its offers, the forms.
	visit(ectx, fmt.Sprintf("/employeurs/%d", own.Items[0].ID))
	visit(ectx, fmt.Sprintf("/employeurs/%d/modifier", own.Items[0].ID))
	visit(ectx, "/offres")
	visit(ectx, "/offres/nouvelle")
	visit(ectx, "/offres/import")
	visit(ectx, fmt.Sprintf("/offres/%d/modifier", o.ID))

	// The référent sees the hire on the plan and in the history.
	must("plan", chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/personnes/%d/plan", base, p.ID)), chromedp.WaitVisible(chromedp.CSS("main h1"))))
	must("hire on the plan", waitText(ctx, "main", "Sortie vers l'emploi : embauche le "+time.Now().Format("02/01/2006")))
	browsertest.Axe(t, ctx)
	must("record", chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/personnes/%d", base, p.ID)), chromedp.WaitVisible(chromedp.ID("historique"))))
	must("hire in the history", waitText(ctx, "#historique", "acceptée (embauche le "+time.Now().Format("02/01/2006")+")"))
	browsertest.Axe(t, ctx)
	browsertest.NoErrors(t, ctx)
}
