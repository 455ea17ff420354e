package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/browsertest"
	"github.com/spie-parcours/parcours/internal/demo"
	"github.com/spie-parcours/parcours/internal/orientation"
)

// totpSecret reads an account's TOTP secret from the table "parcours demo"
// prints, as a person trying the demo would.
func totpSecret(t *testing.T, out, email string) string {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 1 && f[0] == email {
			return f[len(f)-1]
		}
	}
	t.Fatalf("no TOTP secret printed for %s in:\n%s", email, out)
	return ""
}

// TestBrowserSignInJourney drives Chromium through the demo: sign in as a
// demo account with its password and TOTP code, land on the role's home
// page, sign out; axe-core finds no serious or critical violation on the
// sign-in, code and home pages, and no page logs a JavaScript or CSP error.
func TestBrowserSignInJourney(t *testing.T) {
	ctx := browsertest.New(t)
	base, out := startServer(t, "demo", "--db", filepath.Join(t.TempDir(), "demo.db"), "--persons", "20")
	journeys := []struct {
		email, home string
	}{
		{"travailleur.social@ccas-belfort.example", "Mes personnes accompagnées"},
		{"coordination@cd90.example", "Orientations à traiter"},
		{"admin@parcours.example", "Administration du territoire"},
		{"recrutement@entreprise.example", "Mes offres et mes candidats"},
	}
	for i, j := range journeys {
		secret := totpSecret(t, out.String(), j.email)
		must := func(step string, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %s: %v", j.email, step, err)
			}
		}
		text := func(sel string) string {
			t.Helper()
			s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
			must("text of "+sel, err)
			return s
		}
		must("sign-in page", chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("email"))))
		loc, err := chromedp.Run(ctx, chromedp.Location())
		must("location", err)
		if !strings.Contains(loc, "/connexion") {
			t.Fatalf("anonymous home did not lead to sign-in: %s", loc)
		}
		if i == 0 {
			browsertest.Axe(t, ctx)
		}
		must("password step", chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.ID("email"), j.email),
			chromedp.SendKeys(chromedp.ID("password"), demo.Password),
			chromedp.Submit(chromedp.ID("password")),
			chromedp.WaitVisible(chromedp.ID("code")),
		))
		title, err := chromedp.Run(ctx, chromedp.Title())
		must("title", err)
		if !strings.Contains(title, "Code de vérification") {
			t.Errorf("%s: title after the password = %q", j.email, title)
		}
		if i == 0 {
			browsertest.Axe(t, ctx)
		}
		// Accounts differ from one journey to the next, so the current code
		// is always a fresh step for its account.
		code, err := account.TOTPCode(secret, time.Now())
		must("code", err)
		must("code step", chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.ID("code"), code),
			chromedp.Submit(chromedp.ID("code")),
			chromedp.WaitVisible(chromedp.CSS(`form[action="/deconnexion"] button`)),
		))
		h1, home := text("main h1"), text("main")
		loc, err = chromedp.Run(ctx, chromedp.Location())
		must("location", err)
		if !strings.HasPrefix(h1, "Bonjour") || !strings.HasSuffix(loc, "/") || !strings.Contains(home, j.home) {
			t.Fatalf("%s: landed on %s with %q, want the home page with %q", j.email, loc, h1, j.home)
		}
		browsertest.Axe(t, ctx)
		must("sign out", chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(`form[action="/deconnexion"] button`)),
			chromedp.WaitVisible(chromedp.ID("email")),
		))
		if flash := text(".fr-alert--success"); !strings.Contains(flash, "déconnecté") {
			t.Errorf("%s: after sign-out: %q", j.email, flash)
		}
	}
	browsertest.NoErrors(t, ctx)
}

// signInBrowser signs a demo account in with its password and current TOTP
// code, and waits for the home page.
func signInBrowser(t *testing.T, ctx context.Context, base, out, email string) {
	t.Helper()
	secret := totpSecret(t, out, email)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/connexion"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), demo.Password),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.ID("code")),
	); err != nil {
		t.Fatalf("%s: password step: %v", email, err)
	}
	code, err := account.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("code"), code),
		chromedp.Submit(chromedp.ID("code")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/deconnexion"] button`)),
	); err != nil {
		t.Fatalf("%s: code step: %v", email, err)
	}
}

func signOutBrowser(t *testing.T, ctx context.Context) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form[action="/deconnexion"] button`)),
		chromedp.WaitVisible(chromedp.ID("email")),
	); err != nil {
		t.Fatalf("sign out: %v", err)
	}
}

// setValue sets a form control's value as a person would by typing or
// picking (date inputs and selects are awkward to type into).
func setValue(id, value string) chromedp.Action[chromedp.Void] {
	js := fmt.Sprintf(`(() => { const e = document.getElementById(%q); e.value = %q; e.dispatchEvent(new Event('change', {bubbles: true})); })()`, id, value)
	return chromedp.Evaluate[chromedp.Void](js)
}

// waitText waits until the element matching sel holds want: a page that
// reloads into the same page cannot be told apart by an element alone. It
// asks the page every 50 ms, and asks again when a navigation cut the
// question short.
func waitText(ctx context.Context, sel, want string) error {
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.textContent.includes(%q); })()`, sel, want)
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("texte %q absent de %s (dernière erreur : %v)", want, sel, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitCount waits until the page holds n elements matching sel.
func waitCount(ctx context.Context, sel string, n int) error {
	js := fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)
	deadline := time.Now().Add(15 * time.Second)
	for {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[int](js))
		if err == nil && got == n {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d éléments %s, %d attendus (dernière erreur : %v)", got, sel, n, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestBrowserSharedRecordJourney: a CCAS social worker checks that a person
// is unknown, registers them, fills the diagnostic (with a health situation
// and a marker in its comment), adds the Mission locale advisor to the
// team; the advisor sees the record without the sensitive section; axe-core
// finds no serious or critical violation on these pages.
func TestBrowserSharedRecordJourney(t *testing.T) {
	ctx := browsertest.New(t)
	base, out := startServer(t, "demo", "--db", filepath.Join(t.TempDir(), "demo.db"), "--persons", "20")
	const marker = "MARQUEUR-SANTE-NAVIGATEUR"
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		must("text of "+sel, err)
		return s
	}

	signInBrowser(t, ctx, base, out.String(), "travailleur.social@ccas-belfort.example")
	must("lookup page", chromedp.Do(ctx, chromedp.Navigate(base+"/personnes/verifier"), chromedp.WaitVisible(chromedp.ID("first_name"))))
	browsertest.Axe(t, ctx)
	must("lookup", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("first_name"), "Maëlys"),
		chromedp.SendKeys(chromedp.ID("last_name"), "Keller-Bouaziz"),
		setValue("birth_date", "1994-06-21"),
		chromedp.Submit(chromedp.ID("first_name")),
		chromedp.WaitVisible(chromedp.ID("reponse-titre")),
	))
	if got := text("#reponse-titre"); got != "Personne inconnue" {
		t.Fatalf("lookup answer %q", got)
	}
	browsertest.Axe(t, ctx)
	must("registration form", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form[action="/personnes/nouvelle"] button`)),
		chromedp.WaitVisible(chromedp.ID("commune_insee")),
	))
	browsertest.Axe(t, ctx)
	must("register", chromedp.Do(ctx,
		setValue("commune_insee", "90010"),
		chromedp.Submit(chromedp.ID("first_name")),
		chromedp.WaitVisible(chromedp.ID("member-email")),
	))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must("location", err)
	recordURL := loc
	if i := strings.IndexAny(recordURL, "?#"); i >= 0 {
		recordURL = recordURL[:i]
	}
	if h1 := text("main h1"); !strings.Contains(h1, "Keller-Bouaziz") {
		t.Fatalf("record page h1 %q at %s", h1, loc)
	}
	browsertest.Axe(t, ctx)

	must("diagnostic form", chromedp.Do(ctx, chromedp.Navigate(recordURL+"/diagnostic"), chromedp.WaitVisible(chromedp.ID("diagnostic-form"))))
	browsertest.Axe(t, ctx)
	must("diagnostic", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`label[for="s-mobilite-0"]`)),
		chromedp.Click(chromedp.CSS(`label[for="s-sante-0"]`)),
		chromedp.SendKeys(chromedp.ID("c-sante-0"), marker),
		chromedp.Submit(chromedp.ID("c-sante-0")),
		chromedp.WaitVisible(chromedp.ID("member-email")),
	))
	must("diagnostic saved", waitText(ctx, ".fr-alert--success", "diagnostic est enregistré"))
	page := text("main")
	if !strings.Contains(page, "Aucun moyen de transport à disposition") || !strings.Contains(page, marker) {
		t.Fatalf("the référent does not see the diagnostic: %.400s", page)
	}
	must("add the advisor", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("member-email"), "conseiller@missionlocale.example"),
		chromedp.Submit(chromedp.ID("member-email")),
	))
	must("advisor added", waitText(ctx, ".fr-alert--success", "a rejoint l'équipe de suivi"))
	if page := text("main"); !strings.Contains(page, "Mission locale du Territoire de Belfort") {
		t.Fatalf("the advisor is not in the team: %.600s", page)
	}
	browsertest.NoErrors(t, ctx)
	signOutBrowser(t, ctx)

	signInBrowser(t, ctx, base, out.String(), "conseiller@missionlocale.example")
	must("caseload", chromedp.Do(ctx, chromedp.Navigate(base+"/personnes"), chromedp.WaitVisible(chromedp.CSS("main h1"))))
	if page := text("main"); !strings.Contains(page, "Keller-Bouaziz") {
		t.Fatalf("the advisor's caseload lacks the person: %.400s", page)
	}
	browsertest.Axe(t, ctx)
	must("record as the advisor", chromedp.Do(ctx, chromedp.Navigate(recordURL), chromedp.WaitVisible(chromedp.CSS("main h1"))))
	page = text("main")
	html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	must("html", err)
	if !strings.Contains(page, "Aucun moyen de transport à disposition") {
		t.Errorf("the advisor does not see the mobility situation")
	}
	if strings.Contains(html, marker) {
		t.Errorf("the advisor sees the health comment")
	}
	browsertest.Axe(t, ctx)
	browsertest.NoErrors(t, ctx)
}

// apiAs returns a caller of the JSON API with a token of the account,
// created by the command line while the demo server runs on db: it sends
// in as JSON, fails the test unless the status is want, and decodes the
// answer into v (when v is not nil).
func apiAs(t *testing.T, base, db, email string) func(method, path string, in any, want int, v any) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"token", "create", "--email", email, "--db", db},
		func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("token create: %d %s", code, stderr.String())
	}
	fields := strings.Fields(stdout.String())
	token := fields[len(fields)-1]
	return func(method, path string, in any, want int, v any) {
		t.Helper()
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		req, err := http.NewRequest(method, base+path, bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, res.StatusCode, want, body)
		}
		if v != nil {
			if err := json.Unmarshal(body, v); err != nil {
				t.Fatalf("decode %s: %v", path, err)
			}
		}
	}
}

// TestBrowserCoordinatorQueue: three orientation requests and a
// reorientation made through the API with a token of the CCAS social worker
// (created by the command line while the demo server runs); the
// coordinator opens the queue, orients one request to France Travail with
// its advisor as référent, refuses another with a reason, and denies the
// reorientation; axe-core finds no serious or critical violation on the
// queue and the decision pages.
func TestBrowserCoordinatorQueue(t *testing.T) {
	ctx := browsertest.New(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	// No demo people: the demo would also fill the queue, and this journey counts its own requests.
	base, out := startServer(t, "demo", "--db", db, "--persons", "0")
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	api := apiAs(t, base, db, "travailleur.social@ccas-belfort.example")
	var ids []int64
	for _, name := range []string{"Essai-Oriente", "Essai-Refuse", "Essai-Attente", "Essai-Reoriente"} {
		var p, o struct{ ID int64 }
		api("POST", "/api/v1/persons", map[string]any{"first_name": "Camille", "last_name": name, "birth_date": "1988-03-14",
			"commune_insee": "90010", "rsa_right": "rsa_droit_ouvert_versable"}, http.StatusCreated, &p)
		if name == "Essai-Reoriente" {
			api("POST", "/api/v1/reorientations", map[string]any{"person_id": p.ID, "to_type": "pro",
				"reason": "Le projet professionnel est mûr"}, http.StatusCreated, &o)
		} else {
			api("POST", "/api/v1/orientations", map[string]any{"person_id": p.ID, "suggested_type": "pro",
				"reason": "Projet dans la logistique"}, http.StatusCreated, &o)
		}
		ids = append(ids, o.ID)
	}
	var sts struct {
		Items []struct {
			ID   int64
			Name string
		}
	}
	api("GET", "/api/v1/structures", nil, http.StatusOK, &sts)
	var franceTravail int64
	for _, st := range sts.Items {
		if st.Name == "France Travail Belfort" {
			franceTravail = st.ID
		}
	}
	if franceTravail == 0 {
		t.Fatalf("no France Travail Belfort in %+v", sts.Items)
	}

	signInBrowser(t, ctx, base, out.String(), "coordination@cd90.example")
	must("queue", chromedp.Do(ctx, chromedp.Navigate(base+"/orientations"), chromedp.WaitVisible(chromedp.ID("demandes-titre"))))
	for _, want := range []string{"3 demandes à orienter", "Essai-Oriente", "Essai-Refuse", "Essai-Attente", "Demandes de réorientation", "Essai-Reoriente"} {
		must("queue lists "+want, waitText(ctx, "main", want))
	}
	browsertest.Axe(t, ctx)

	// Orient the first request to France Travail, its advisor as référent.
	must("open a request", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/orientations/%d"]`, ids[0]))),
		chromedp.WaitVisible(chromedp.ID("structure_id")),
	))
	browsertest.Axe(t, ctx)
	must("orient", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`label[for="outcome-accepted"]`)),
		chromedp.Click(chromedp.CSS(`label[for="type-pro"]`)),
		setValue("structure_id", strconv.FormatInt(franceTravail, 10)),
		chromedp.SendKeys(chromedp.ID("referent_email"), "conseiller@francetravail.example"),
		chromedp.Submit(chromedp.ID("referent_email")),
	))
	must("oriented", waitText(ctx, ".fr-alert--success", "Orientation enregistrée"))

	// Refuse the second, with a reason. (A form sent back with its errors
	// answers 400, which the browser logs as an error: the web package's
	// tests check those messages instead.)
	must("open another request", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/orientations/%d"]`, ids[1]))),
		chromedp.WaitVisible(chromedp.ID("reason")),
	))
	must("refuse", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`label[for="outcome-refused"]`)),
		chromedp.SendKeys(chromedp.ID("reason"), "Personne déjà accompagnée par le PLIE"),
		chromedp.Submit(chromedp.ID("reason")),
	))
	must("refused", waitText(ctx, ".fr-alert--success", "Demande refusée"))
	must("one left", waitText(ctx, "#resume", "1 demande à orienter"))

	// Deny the reorientation.
	must("open the reorientation", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/reorientations/%d"]`, ids[3]))),
		chromedp.WaitVisible(chromedp.ID("reason")),
	))
	must("reorientation page", waitText(ctx, "main", "Le projet professionnel est mûr"))
	browsertest.Axe(t, ctx)
	must("deny", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`label[for="outcome-denied"]`)),
		chromedp.SendKeys(chromedp.ID("reason"), "Attendre la fin de la formation en cours"),
		chromedp.Submit(chromedp.ID("reason")),
	))
	must("denied", waitText(ctx, ".fr-alert--success", "Demande de réorientation refusée"))
	must("no reorientation left", waitText(ctx, "main", "Aucune demande de réorientation en attente."))
	must("accepted tab", chromedp.Do(ctx, chromedp.Navigate(base+"/orientations?statut=accepted"), chromedp.WaitVisible(chromedp.ID("demandes-titre"))))
	must("oriented listed", waitText(ctx, "main", "Essai-Oriente"))
	browsertest.NoErrors(t, ctx)
}

// TestBrowserPlanJourney: a CCAS social worker opens the plan of a person
// whose diagnostic (recorded through the API) lacks transport and
// childcare, builds a plan of three objectives, refers the person to a
// suggested service in one click, and prints the contrat d'engagement (a
// real PDF from the browser's print); axe-core finds no serious or
// critical violation on the plan and the contract.
func TestBrowserPlanJourney(t *testing.T) {
	ctx := browsertest.New(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	base, out := startServer(t, "demo", "--db", db, "--persons", "0")
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	api := apiAs(t, base, db, "travailleur.social@ccas-belfort.example")
	var p struct{ ID int64 }
	api("POST", "/api/v1/persons", map[string]any{"first_name": "Noémie", "last_name": "Essai-Plan", "birth_date": "1991-09-12",
		"commune_insee": "90010", "rsa_right": "rsa_droit_ouvert_versable"}, http.StatusCreated, &p)
	person := fmt.Sprintf("/api/v1/persons/%d", p.ID)
	api("PUT", person+"/diagnostic", map[string]any{"situations": []map[string]string{
		{"theme": "mobilite", "label": "Aucun moyen de transport à disposition"},
		{"theme": "contraintes_familiales", "label": "Enfant(s) de moins de 3 ans sans solution de garde"}}}, http.StatusOK, nil)
	api("PUT", person+"/project", map[string]any{"mobility_km": 15}, http.StatusOK, nil)
	plan := fmt.Sprintf("%s/personnes/%d/plan", base, p.ID)

	signInBrowser(t, ctx, base, out.String(), "travailleur.social@ccas-belfort.example")
	must("plan page", chromedp.Do(ctx, chromedp.Navigate(plan), chromedp.WaitVisible(chromedp.ID("objectif"))))
	must("suggestions", waitText(ctx, "#suggestions", "Enfant(s) de moins de 3 ans sans solution de garde"))
	browsertest.Axe(t, ctx)
	for i, o := range []string{
		"mobilite|Obtenir le permis de conduire (code / conduite)",
		"logement|S'informer sur les démarches liées au logement (budget, état des lieux… )",
		"preparer_sa_candidature|Réaliser un CV et/ou une lettre de motivation",
	} {
		must("objective "+o, chromedp.Do(ctx,
			setValue("objectif", o),
			chromedp.SendKeys(chromedp.ID("first-action"), "Première étape"),
			setValue("first-action-hours", "3"),
			chromedp.Submit(chromedp.ID("objectif")),
		))
		// The flash of the previous objective is still on the page until
		// the new one loads: wait for the card of this one.
		must("objective added", waitCount(ctx, "#objectifs .fr-card", i+1))
	}
	must("three objectives", waitText(ctx, "#contrat", "9 h par semaine"))
	// One click on the first childcare suggestion.
	must("refer", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#suggestions form button`))))
	must("referral sent", waitText(ctx, ".fr-alert--success", "L'adressage est envoyé"))
	must("referral listed", waitText(ctx, "#adressages", "Envoyé, en attente de réponse"))
	browsertest.Axe(t, ctx)
	// The referral's page, the list of referrals, the directory's search
	// and a service's page.
	must("referral page", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#adressages tbody a`)), chromedp.WaitVisible(chromedp.CSS("main h1"))))
	must("referral page shows the motive", waitText(ctx, "main", "Message au service"))
	browsertest.Axe(t, ctx)
	must("referrals", chromedp.Do(ctx, chromedp.Navigate(base+"/adressages"), chromedp.WaitVisible(chromedp.ID("envoyes-titre"))))
	must("referral sent listed", waitText(ctx, "main", "Essai-Plan"))
	browsertest.Axe(t, ctx)
	must("directory search", chromedp.Do(ctx, chromedp.Navigate(base+"/annuaire?thematique=mobilite&commune=90010&rayon=15"),
		chromedp.WaitVisible(chromedp.ID("resultats-titre"))))
	must("mobility services found", waitText(ctx, "#resultats-titre", "trouvé"))
	browsertest.Axe(t, ctx)
	must("a service", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`main a[href^="/annuaire/services/"]`)), chromedp.WaitVisible(chromedp.CSS("main h1"))))
	browsertest.Axe(t, ctx)

	must("contract", chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/personnes/%d/contrat", base, p.ID)), chromedp.WaitVisible(chromedp.CSS("main h1"))))
	for _, want := range []string{"Contrat d'engagement", "Noémie Essai-Plan", "Obtenir le permis de conduire", "Réaliser un CV", "Trouver des solutions de garde"} {
		must("contract shows "+want, waitText(ctx, "main", want))
	}
	browsertest.Axe(t, ctx)
	printed, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{})
	must("print", err)
	if pdf := printed.Data; len(pdf) < 1000 || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("the print is not a PDF (%d bytes)", len(pdf))
	}
	browsertest.NoErrors(t, ctx)
}

var invitationLinkRE = regexp.MustCompile(`/rdv/rdv_[a-z0-9]+`)

// TestBrowserInvitationJourney: a CCAS social worker invites a person by
// email (through the API); the person opens the link of the message on a
// phone-sized window, books a slot and gets the confirmation; the social
// worker finds the appointment in the agenda. axe-core finds no serious or
// critical violation on these pages.
func TestBrowserInvitationJourney(t *testing.T) {
	ctx := browsertest.New(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	base, out, logs := startServerLog(t, "demo", "--db", db, "--persons", "0")
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	api := apiAs(t, base, db, "travailleur.social@ccas-belfort.example")
	var p struct{ ID int64 }
	api("POST", "/api/v1/persons", map[string]any{"first_name": "Lina", "last_name": "Essai-Invitation", "birth_date": "1993-05-17",
		"commune_insee": "90010", "email": "lina.essai@exemple.invalid", "phone": "06 39 98 12 34"}, http.StatusCreated, &p)
	var types struct {
		Items []struct {
			ID       int64
			Label    string
			Category string
			Capacity int
		}
	}
	api("GET", "/api/v1/appointment-types", nil, http.StatusOK, &types)
	var typeID int64
	for _, ty := range types.Items {
		if ty.Category == "accompaniment" && ty.Capacity == 1 && typeID == 0 {
			typeID = ty.ID
		}
	}
	if typeID == 0 {
		t.Fatalf("no individual accompaniment type in the demo: %+v", types.Items)
	}
	api("POST", "/api/v1/invitations", map[string]any{"person_id": p.ID, "type_id": typeID, "channels": []string{"email"}},
		http.StatusCreated, nil)
	// The development sender writes the message in the log: take its link.
	var link string
	for deadline := time.Now().Add(20 * time.Second); link == ""; {
		link = invitationLinkRE.FindString(logs.String())
		if link == "" {
			if time.Now().After(deadline) {
				t.Fatal("no invitation link in the server's log")
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	must("phone-sized window", browsertest.SetMobile(ctx))
	must("invitation page", chromedp.Do(ctx, chromedp.Navigate(base+link), chromedp.WaitVisible(chromedp.CSS(`input[type="radio"]`))))
	must("greeting", waitText(ctx, "main", "Lina"))
	browsertest.Axe(t, ctx)
	must("pick a slot", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`input[type="radio"] + label`)),
		chromedp.Submit(chromedp.CSS(`input[type="radio"]`)),
	))
	must("confirmation", waitText(ctx, "main", "confirmé"))
	browsertest.Axe(t, ctx)

	var apps struct {
		Items []struct {
			AgendaID int64     `json:"agenda_id"`
			StartsAt time.Time `json:"starts_at"`
			Origin   string
		}
	}
	api("GET", fmt.Sprintf("/api/v1/appointments?person_id=%d", p.ID), nil, http.StatusOK, &apps)
	if len(apps.Items) != 1 || apps.Items[0].Origin != "person" {
		t.Fatalf("appointments after booking: %+v", apps.Items)
	}
	a := apps.Items[0]
	local := a.StartsAt.In(orientation.Paris())
	monday := local.AddDate(0, 0, -((int(local.Weekday()) + 6) % 7))

	must("desktop window", browsertest.SetDesktop(ctx))
	signInBrowser(t, ctx, base, out.String(), "travailleur.social@ccas-belfort.example")
	must("agenda", chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/agendas/%d?semaine=%s", base, a.AgendaID, monday.Format("2006-01-02"))),
		chromedp.WaitVisible(chromedp.CSS("main h1"))))
	must("appointment in the agenda", waitText(ctx, "main", "Essai-Invitation"))
	browsertest.Axe(t, ctx)
	browsertest.NoErrors(t, ctx)
}
