package web

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
	"github.com/spie-parcours/parcours/internal/territory"
)

// Appellations of the ROME used by the tests.
const (
	jobStorekeeper = "16276" // Magasinier / Magasinière (N1103)
	jobHomeHelp    = "10805" // Aide à domicile (K1304)
	jobForklift    = "11679" // Cariste (N1101)
)

// newEmployer registers a partner employer in the store, with the
// professional pro@ as its partnership's referent, and an employer-contact
// account for it.
func newEmployer(t *testing.T, e *env, name, contact string) int64 {
	t.Helper()
	ctx := context.Background()
	emp := employment.Employer{TerritoryID: e.terr.ID, Name: name, CommuneINSEE: "90010", Size: "10-49",
		PartnerReferentID: e.accounts["pro@test.example"].ID}
	if err := e.store.SaveEmployer(ctx, &emp, store.Actor{At: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	a := account.Account{Email: contact, FirstName: "Contact", LastName: name, PasswordHash: passwordHash(t)}
	a.TOTPSecret, _ = account.NewTOTPSecret()
	a.TOTPEnabled = true
	if err := e.store.CreateAccount(ctx, &a); err != nil {
		t.Fatal(err)
	}
	if err := e.store.AddMembership(ctx, a.ID, emp.StructureID, account.RoleEmployerContact); err != nil {
		t.Fatal(err)
	}
	e.accounts[contact] = a
	return emp.StructureID
}

// newOffer publishes an open offer of an employer through the store.
func newOffer(t *testing.T, e *env, employerID int64, title, job string) int64 {
	t.Helper()
	o := employment.Offer{EmployerID: employerID, Appellation: job, Title: title, CommuneINSEE: "90010", Contract: employment.ContractCDI,
		WeeklyHours: 35, Positions: 1, Status: employment.OfferOpen, NeedsLicence: true}
	e.srv.placeOffer(&o)
	if fs := employment.ValidateOffer(e.srv.cfg.Referential, o); len(fs) > 0 {
		t.Fatalf("offer %s: %v", title, fs)
	}
	if err := e.store.SaveOffer(context.Background(), &o, store.Actor{At: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// propose creates an application of the person to the offer, by pro@ of
// the CCAS, with what the person agreed to share.
func propose(t *testing.T, e *env, personID, offerID int64, shares ...employment.Share) int64 {
	t.Helper()
	a := employment.Application{OfferID: offerID, PersonID: personID, Shares: shares, ConsentMethod: "oral",
		Message: "Personne motivée, disponible rapidement."}
	by := store.Actor{AccountID: e.accounts["pro@test.example"].ID, StructureID: structureID(t, e, territory.KindCCAS), At: e.clock.Now()}
	if err := e.store.CreateApplication(context.Background(), &a, by, "https://parcours.test"); err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// upload posts a CSV file of offers to the import page.
func upload(t *testing.T, c *client, employerID int64, name, content string) *http.Response {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if employerID != 0 {
		_ = w.WriteField("employer_id", itoa(employerID))
	}
	f, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write([]byte(content))
	_ = w.Close()
	return c.do(http.MethodPost, "/offres/import", &b, w.FormDataContentType())
}

type offerOut struct {
	ID           int64  `json:"id"`
	EmployerID   int64  `json:"employer_id"`
	ExternalRef  string `json:"external_ref"`
	Title        string `json:"title"`
	Description  string `json:"description"`
	Contract     string `json:"contract"`
	Status       string `json:"status"`
	WeeklyHours  int    `json:"weekly_hours"`
	Night        bool   `json:"night"`
	StartOn      string `json:"start_on"`
	NeedsLicence bool   `json:"needs_licence"`
}

func offersOf(t *testing.T, c *client, query string) []offerOut {
	t.Helper()
	var l struct{ Items []offerOut }
	if err := json.Unmarshal([]byte(c.mustJSON("GET", "/api/v1/offers"+query, nil, http.StatusOK)), &l); err != nil {
		t.Fatal(err)
	}
	return l.Items
}

func TestEmployerRegistration(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		pro := e.member("pro@test.example")
		page := pro.page(t, http.StatusOK, http.MethodGet, "/employeurs/nouveau", nil)
		agendaPageChecked(t, "new employer", page)
		if strings.Contains(page, `name="partner_referent_id"`) {
			t.Error("a professional may not choose the partnership referent")
		}
		page = unescaped(pro.page(t, http.StatusBadRequest, http.MethodPost, "/employeurs", url.Values{"name": {"Transports Fictifs"},
			"siret": {"123"}, "naf": {"4941A"}, "commune_insee": {"Belfort"}}))
		for _, want := range []string{"Le numéro SIRET compte 14 chiffres.", "Code NAF attendu sous la forme 49.41A.", `value="Transports Fictifs"`} {
			if !strings.Contains(page, want) {
				t.Errorf("invalid employer: the page lacks %q", want)
			}
		}
		to := pro.redirect(t, "/employeurs", url.Values{"name": {"Transports Fictifs"}, "siret": {"123 456 789 00012"},
			"naf": {"49.41A"}, "commune_insee": {"Belfort"}, "size": {"10-49"}, "labels": {"inclusive", "pmsmp"},
			"contact_name": {"Alice Fictive"}, "contact_email": {"rh@transports-fictifs.example"}})
		if !strings.HasPrefix(to, "/employeurs/") {
			t.Fatalf("created employer: redirected to %s", to)
		}
		page = unescaped(pro.page(t, http.StatusOK, http.MethodGet, to, nil))
		agendaPageChecked(t, "employer", page)
		for _, want := range []string{"Transports Fictifs", "12345678900012", "Employeur inclusif", "Belfort (90010)", "L'employeur partenaire est enregistré."} {
			if !strings.Contains(page, want) {
				t.Errorf("employer page lacks %q", want)
			}
		}
		api := e.apiClient("pro@test.example")
		var got apiEmployer
		_ = json.Unmarshal([]byte(api.mustJSON("GET", "/api/v1"+strings.Replace(to, "/employeurs", "/employers", 1), nil, http.StatusOK)), &got)
		if got.PartnerReferentID == nil || *got.PartnerReferentID != e.accounts["pro@test.example"].ID || !got.Editable {
			t.Errorf("the professional who registered the employer is not its partnership referent: %+v", got)
		}
		if res := pro.post("/employeurs", url.Values{"name": {"transports fictifs"}}); res.StatusCode != http.StatusBadRequest ||
			!strings.Contains(unescaped(body(t, res)), "porte déjà ce nom") {
			t.Errorf("duplicate employer name: %d", res.StatusCode)
		}

		// Through the API: an administrator names the referent; a
		// professional cannot name another one; a coordinator reads.
		admin := e.apiClient("admin@test.example")
		b := admin.mustJSON("POST", "/api/v1/employers", map[string]any{"name": "Aide à Domicile Fictive", "commune_insee": "90099",
			"labels": []string{"siae"}, "partner_referent_id": e.accounts["pro@test.example"].ID}, http.StatusCreated)
		_ = json.Unmarshal([]byte(b), &got)
		if got.PartnerReferentID == nil || *got.PartnerReferentID != e.accounts["pro@test.example"].ID || got.Commune != "Valdoie" {
			t.Errorf("employer created by the administrator: %s", b)
		}
		res, b := api.json("POST", "/api/v1/employers", map[string]any{"name": "Autre Fictive", "partner_referent_id": e.accounts["admin@test.example"].ID})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(b, "partner_referent_id") {
			t.Errorf("a professional naming another referent: %d %s", res.StatusCode, b)
		}
		res, b = admin.json("POST", "/api/v1/employers", map[string]any{"name": "X", "siret": "abc", "size": "énorme"})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(b, `"field":"siret"`) || !strings.Contains(b, `"field":"size"`) ||
			!strings.Contains(b, `"field":"name"`) || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("invalid employer through the API: %d %s", res.StatusCode, b)
		}
		coord := e.apiClient("coord@test.example")
		if res, _ := coord.json("POST", "/api/v1/employers", map[string]any{"name": "Par un coordinateur"}); res.StatusCode != http.StatusForbidden {
			t.Errorf("a coordinator registers an employer: %d", res.StatusCode)
		}
		var l struct{ Items []apiEmployer }
		_ = json.Unmarshal([]byte(coord.mustJSON("GET", "/api/v1/employers?label=siae", nil, http.StatusOK)), &l)
		if len(l.Items) != 1 || l.Items[0].Name != "Aide à Domicile Fictive" || l.Items[0].Editable {
			t.Errorf("employers with the siae label, for a coordinator: %+v", l.Items)
		}
		if res, _ := coord.json("PATCH", "/api/v1/employers/"+itoa(got.ID), map[string]any{"naf": "88.10A"}); res.StatusCode != http.StatusForbidden {
			t.Errorf("a coordinator changes an employer: %d", res.StatusCode)
		}
		b = api.mustJSON("PATCH", "/api/v1/employers/"+itoa(got.ID), map[string]any{"naf": "88.10A"}, http.StatusOK)
		if !strings.Contains(b, `"naf":"88.10A"`) {
			t.Errorf("the partnership referent changes the employer: %s", b)
		}
		page = unescaped(pro.page(t, http.StatusOK, http.MethodGet, "/employeurs?commune=Valdoie", nil))
		agendaPageChecked(t, "employers", page)
		if !strings.Contains(page, "Aide à Domicile Fictive") || strings.Contains(page, "Transports Fictifs") {
			t.Error("the search by commune does not select the employers of the commune")
		}
		if !strings.Contains(page, `href="/offres" aria-current="page">Offres et employeurs`) {
			t.Error("the menu of a professional does not lead to the offers and employers, current on the employers' page")
		}
		page = unescaped(e.member("admin@test.example").page(t, http.StatusOK, http.MethodGet, "/employeurs/nouveau", nil))
		if !strings.Contains(page, `name="partner_referent_id"`) || !strings.Contains(page, "Prénom Nom — Structure ccas") {
			t.Error("the administrator cannot choose the partnership referent among the professionals")
		}
	})
}

func TestOfferFormAndValidation(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		a := newEmployer(t, e, "Logistique Fictive", "rh@logistique.example")
		emp := e.member("rh@logistique.example")
		page := unescaped(emp.page(t, http.StatusOK, http.MethodGet, "/offres/nouvelle", nil))
		agendaPageChecked(t, "new offer", page)
		page = unescaped(emp.page(t, http.StatusOK, http.MethodPost, "/offres", url.Values{"chercher": {"1"}, "q": {"magasinier"},
			"title": {"Préparateur"}}))
		if !strings.Contains(page, `value="`+jobStorekeeper+`"`) || !strings.Contains(page, `value="Préparateur"`) {
			t.Error("the search of the ROME does not propose the job, or loses what was typed")
		}
		page = unescaped(emp.page(t, http.StatusBadRequest, http.MethodPost, "/offres", url.Values{"contract": {"stage"},
			"commune_insee": {"Belfort"}, "weekly_hours": {"60"}, "positions": {"1"}, "status": {"open"}}))
		for _, want := range []string{"Choisissez un métier du répertoire ROME", "Donnez un intitulé à l'offre.", "Contrat attendu",
			"Le nombre d'heures par semaine est compris entre 1 et 48."} {
			if !strings.Contains(page, want) {
				t.Errorf("invalid offer: the page lacks %q", want)
			}
		}
		to := emp.redirect(t, "/offres", url.Values{"employer_id": {itoa(a)}, "appellation": {jobStorekeeper}, "title": {"Magasinier en entrepôt"},
			"description": {"Réception et préparation des commandes."}, "commune_insee": {"90010"}, "contract": {"cdd"}, "weekly_hours": {"35"},
			"schedule": {"night"}, "start_on": {"2027-01-04"}, "positions": {"2"}, "requirements": {"needs_licence", "transit_reachable"},
			"status": {"open"}})
		page = unescaped(emp.page(t, http.StatusOK, http.MethodGet, to, nil))
		agendaPageChecked(t, "offer", page)
		for _, want := range []string{"Magasinier en entrepôt", "Magasinier / Magasinière (N1103)", "Permis B exigé",
			"Accessible en transports en commun", "Travail de nuit", "04/01/2027", "35 heures par semaine", "Candidats proposés"} {
			if !strings.Contains(page, want) {
				t.Errorf("offer page lacks %q", want)
			}
		}
		if strings.Contains(page, "/personnes\"") {
			t.Error("the employer is offered to find people for its offer")
		}
		pro := e.member("pro@test.example")
		page = unescaped(pro.page(t, http.StatusOK, http.MethodGet, to, nil))
		if !strings.Contains(page, to+"/personnes") || !strings.Contains(page, "Personnes pour cette offre") {
			t.Error("the professional has no link to the people for the offer")
		}
		// A status change from the offer's page.
		emp.redirect(t, to, url.Values{"only": {"status"}, "status": {"filled"}})
		if got := offersOf(t, e.apiClient("rh@logistique.example"), ""); len(got) != 1 || got[0].Status != "filled" {
			t.Errorf("status after the change: %+v", got)
		}
		if got := offersOf(t, e.apiClient("coord@test.example"), ""); len(got) != 0 {
			t.Errorf("a filled offer is listed among the open ones: %+v", got)
		}
		page = unescaped(e.member("coord@test.example").page(t, http.StatusOK, http.MethodGet, "/offres?status=filled&contract=cdd", nil))
		agendaPageChecked(t, "offers", page)
		if !strings.Contains(page, "Magasinier en entrepôt") || !strings.Contains(page, "Pourvue") {
			t.Error("the filled offers are not found by their status")
		}
		page = unescaped(e.member("coord@test.example").page(t, http.StatusBadRequest, http.MethodGet, "/offres?contract=stage&rayon=900", nil))
		if !strings.Contains(page, "Contrat attendu") || !strings.Contains(page, "Le rayon est un nombre de kilomètres") {
			t.Error("an invalid search has no French message")
		}

		// Through the API, with French messages per field.
		api := e.apiClient("rh@logistique.example")
		res, b := api.json("POST", "/api/v1/offers", map[string]any{"appellation": "999999", "title": "", "commune_insee": "99999",
			"contract": "cdi", "weekly_hours": 35})
		for _, want := range []string{`"field":"appellation"`, `"field":"title"`, `"field":"commune_insee"`, "Donnez un intitulé"} {
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(b, want) {
				t.Errorf("invalid offer through the API: %d, lacks %s: %s", res.StatusCode, want, b)
			}
		}
		b = api.mustJSON("POST", "/api/v1/offers", map[string]any{"appellation": jobHomeHelp, "title": "Immersion aide à domicile",
			"commune_insee": "90099", "contract": "pmsmp", "status": "draft"}, http.StatusCreated)
		var draft offerOut
		_ = json.Unmarshal([]byte(b), &draft)
		if draft.EmployerID != a || draft.Status != "draft" {
			t.Errorf("draft immersion: %s", b)
		}
		coord := e.apiClient("coord@test.example")
		if res, _ := coord.json("GET", "/api/v1/offers/"+itoa(draft.ID), nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("another employer's draft for a coordinator: %d, want 404", res.StatusCode)
		}
		if res, _ := coord.json("PATCH", "/api/v1/offers/"+itoa(idOf(t, to)), map[string]any{"status": "open"}); res.StatusCode != http.StatusForbidden {
			t.Errorf("a coordinator changes an offer: %d, want 403", res.StatusCode)
		}
		// The partnership referent sees the draft and changes it.
		referent := e.apiClient("pro@test.example")
		b = referent.mustJSON("PATCH", "/api/v1/offers/"+itoa(draft.ID), map[string]any{"status": "open", "weekly_hours": 0}, http.StatusOK)
		if !strings.Contains(b, `"status":"open"`) || !strings.Contains(b, `"immersion":true`) {
			t.Errorf("the referent opens the immersion: %s", b)
		}
		if got := offersOf(t, coord, "?contract=pmsmp&commune=Belfort&radius_km=10"); len(got) != 1 || got[0].ID != draft.ID {
			t.Errorf("immersions within 10 km of Belfort: %+v", got)
		}
		if got := offersOf(t, coord, "?contract=pmsmp&commune=Lepuix&radius_km=5"); len(got) != 0 {
			t.Errorf("immersions within 5 km of Lepuix: %+v", got)
		}
	})
}

func TestOffersCSVImportAndExport(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		a := newEmployer(t, e, "Logistique Fictive", "rh@logistique.example")
		b := newEmployer(t, e, "Autre Employeur Fictif", "rh@autre.example")
		emp := e.member("rh@logistique.example")
		page := unescaped(emp.page(t, http.StatusOK, http.MethodGet, "/offres/import", nil))
		agendaPageChecked(t, "import", page)
		header := "ref;appellation;titre;description;commune;contrat;heures;nuit;weekend;debut;postes;permis;vehicule;transports;adapte;statut\n"
		bad := header +
			"M-1;" + jobStorekeeper + ";Magasinier;;90010;cdi;35;non;non;2027-01-04;1;oui;non;oui;non;open\n" +
			"C-2;" + jobForklift + ";Cariste;;90010;stage;35;peut-être;non;04/13/2027;1;non;non;non;non;open\n"
		res := upload(t, emp, a, "offres.csv", bad)
		page = unescaped(body(t, res))
		if res.StatusCode != http.StatusBadRequest {
			t.Fatalf("bad file: %d", res.StatusCode)
		}
		for _, want := range []string{"Rien n'a été importé", "<th scope=\"row\">3</th><td>contrat</td>", "<td>nuit</td>", "<td>debut</td>",
			"1 ligne du fichier n'est pas valide"} {
			if !strings.Contains(page, want) {
				t.Errorf("bad file: the page lacks %q", want)
			}
		}
		if got := offersOf(t, e.apiClient("rh@logistique.example"), ""); len(got) != 0 {
			t.Fatalf("a bad file wrote %d offers", len(got))
		}
		if res := upload(t, emp, b, "offres.csv", header); res.StatusCode != http.StatusBadRequest ||
			!strings.Contains(unescaped(body(t, res)), "Choisissez un employeur dont vous gérez les offres.") {
			t.Errorf("import into another employer: %d", res.StatusCode)
		}
		good := header +
			"M-1;" + jobStorekeeper + ";Magasinier;\"- Réception, préparation\";90010;cdi;35;non;non;2027-01-04;1;oui;non;oui;non;open\n" +
			"C-2;" + jobForklift + ";=Cariste;;90099;interim;39;oui;non;;3;non;non;non;non;brouillon\n"
		res = upload(t, emp, a, "offres.csv", good)
		page = unescaped(body(t, res))
		if res.StatusCode != http.StatusOK || !strings.Contains(page, "2 offres créées, 0 mise à jour") {
			t.Fatalf("good file: %d %s", res.StatusCode, page)
		}
		api := e.apiClient("rh@logistique.example")
		before := offersOf(t, api, "?status=all")
		if len(before) != 2 {
			t.Fatalf("offers after the import: %+v", before)
		}

		// The export, formula cells neutralised, imported again: the
		// same offers are updated, unchanged.
		res = api.get("/api/v1/offers/export?status=all")
		csv := body(t, res)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("export: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		for _, want := range []string{strings.TrimSuffix(header, "\n"), "'=Cariste", "'- Réception", ";interim;39;oui;non;;3;"} {
			if !strings.Contains(csv, want) {
				t.Errorf("export lacks %q:\n%s", want, csv)
			}
		}
		res = api.do(http.MethodPost, "/api/v1/offers/import", strings.NewReader(csv), "text/csv")
		out := body(t, res)
		if res.StatusCode != http.StatusOK || out != "{\"created\":0,\"updated\":2}\n" {
			t.Fatalf("export imported again: %d %s", res.StatusCode, out)
		}
		was := map[int64]offerOut{}
		for _, o := range before {
			was[o.ID] = o
		}
		after := offersOf(t, api, "?status=all")
		for _, o := range after {
			if o != was[o.ID] {
				t.Errorf("the round trip changed an offer:\n%+v\n%+v", was[o.ID], o)
			}
		}
		// A bad file through the API: 422 with the line and the column.
		res = api.do(http.MethodPost, "/api/v1/offers/import", strings.NewReader(strings.Replace(good, "cdi", "stage", 1)), "text/csv")
		out = body(t, res)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(out, `"line":2`) || !strings.Contains(out, `"column":"contrat"`) {
			t.Errorf("bad file through the API: %d %s", res.StatusCode, out)
		}
		// The other employer's contact exports nothing of this one.
		other := e.apiClient("rh@autre.example")
		if csv := body(t, other.get("/api/v1/offers/export?status=all")); strings.Contains(csv, "Magasinier") {
			t.Error("another employer's contact exports these offers")
		}
	})
}

// TestEmployerSeesOnlyItsOwn is the acceptance: an employer contact sees
// only its own offers and candidates, and never a diagnostic item (marker
// strings through the pages and the API); the experience appears only when
// the person agreed to share it; the employer works its candidates through
// the page and the API, and the person's team sees each change.
func TestEmployerSeesOnlyItsOwn(t *testing.T) {
	const (
		marker    = "MARQUEUR-DIAGNOSTIC-7c1f"
		noteMark  = "MARQUEUR-NOTE-93ab"
		expMarker = "EXPERIENCE-PARTAGEE-55de"
	)
	eachEnv(t, func(t *testing.T, e *env) {
		recordEnv(t, e)
		a := newEmployer(t, e, "Logistique Fictive", "rh@logistique.example")
		b := newEmployer(t, e, "Entreprise Concurrente Fictive", "rh@concurrente.example")
		a1 := newOffer(t, e, a, "Magasinier de l'employeur A", jobStorekeeper)
		a2 := newOffer(t, e, a, "Cariste de l'employeur A", jobForklift)
		b1 := newOffer(t, e, b, "Offre secrète de B", jobStorekeeper)

		pro := e.apiClient("pro@test.example")
		path := registerPerson(t, pro, "Louise", "Candidate", "1990-04-02")
		pid := idOf(t, path)
		pro.mustJSON("PUT", path+"/diagnostic", map[string]any{"situations": []map[string]string{
			{"theme": "mobilite", "label": sitTransport, "comment": marker}}}, http.StatusOK)
		pro.mustJSON("POST", path+"/notes", map[string]any{"text": "Note de suivi " + noteMark, "visibility": "team"}, http.StatusCreated)
		pro.mustJSON("PUT", path+"/project", map[string]any{"target_jobs": []string{jobStorekeeper}, "experience": expMarker,
			"skills": "Conduite de chariot"}, http.StatusOK)
		pro.mustJSON("POST", path+"/team", map[string]any{"email": "ft@test.example"}, http.StatusCreated)
		if d := pro.mustJSON("GET", path+"/diagnostic", nil, http.StatusOK); !strings.Contains(d, marker) {
			t.Fatal("the marker is not in the diagnostic: the test could not fail")
		}
		other := registerPerson(t, pro, "Paul", "Autrecandidat", "1985-01-01")
		app1 := propose(t, e, pid, a1)                                     // shares nothing
		app2 := propose(t, e, pid, a2, employment.ShareExperience)         // shares the experience
		app3 := propose(t, e, pid, b1, employment.ShareContact)            // to employer B
		app4 := propose(t, e, idOf(t, other), a1, employment.ShareContact) // another person

		empA, apiA := e.member("rh@logistique.example"), e.apiClient("rh@logistique.example")
		empB, apiB := e.member("rh@concurrente.example"), e.apiClient("rh@concurrente.example")
		never := func(what, got string, also ...string) {
			t.Helper()
			for _, bad := range append([]string{marker, noteMark, sitTransport}, also...) {
				if strings.Contains(got, bad) {
					t.Errorf("%s shows %q", what, bad)
				}
			}
		}

		// Employer A's pages and API: its candidates, never B's.
		if page := empA.page(t, http.StatusOK, http.MethodGet, "/", nil); !strings.Contains(page, `href="/candidatures"`) || strings.Contains(page, `href="/employeurs"`) {
			t.Error("the employer contact's menu lacks its candidates, or offers every employer")
		}
		list := unescaped(empA.page(t, http.StatusOK, http.MethodGet, "/candidatures", nil))
		agendaPageChecked(t, "employer's applications", list)
		if !strings.Contains(list, "Louise Candidate") || !strings.Contains(list, "Paul Autrecandidat") || !strings.Contains(list, "Magasinier de l'employeur A") {
			t.Error("employer A does not see its candidates")
		}
		never("/candidatures of A", list, "Offre secrète de B", expMarker)
		p1 := unescaped(empA.page(t, http.StatusOK, http.MethodGet, "/candidatures/"+itoa(app1), nil))
		agendaPageChecked(t, "employer's application", p1)
		if !strings.Contains(p1, "Louise Candidate") || !strings.Contains(p1, "Magasinier / Magasinière (N1103)") ||
			!strings.Contains(p1, "n'a partagé que son nom") {
			t.Error("the candidate's page lacks the name or the target job")
		}
		never("application without shares", p1, expMarker, "Conduite de chariot")
		p2 := unescaped(empA.page(t, http.StatusOK, http.MethodGet, "/candidatures/"+itoa(app2), nil))
		if !strings.Contains(p2, expMarker) || !strings.Contains(p2, "Conduite de chariot") {
			t.Error("the experience the person agreed to share is not shown")
		}
		never("application sharing the experience", p2)
		for _, path := range []string{"/offres", "/offres/" + itoa(a1), "/employeurs/" + itoa(a)} {
			page := unescaped(empA.page(t, http.StatusOK, http.MethodGet, path, nil))
			never(path+" of A", page, "Offre secrète de B", expMarker)
		}
		for _, path := range []string{"/candidatures/" + itoa(app3), "/offres/" + itoa(b1), "/employeurs/" + itoa(b),
			"/offres/" + itoa(b1) + "/modifier", "/personnes/" + itoa(pid)} {
			res := empA.get(path)
			if page := body(t, res); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
				t.Errorf("A reads %s: %d", path, res.StatusCode)
			} else {
				never(path+" refused to A", page, "Offre secrète de B")
			}
		}
		apiList := apiA.mustJSON("GET", "/api/v1/applications", nil, http.StatusOK)
		never("GET /api/v1/applications by A", apiList, "Offre secrète de B", expMarker)
		if !strings.Contains(apiList, "Louise") || strings.Contains(apiList, `"person_id"`) {
			t.Errorf("applications of A through the API: %s", apiList)
		}
		d1 := apiA.mustJSON("GET", "/api/v1/applications/"+itoa(app1), nil, http.StatusOK)
		never("GET application 1 by A", d1, expMarker)
		if !strings.Contains(d1, `"code":"`+jobStorekeeper+`"`) || strings.Contains(d1, `"experience"`) {
			t.Errorf("candidate without shares: %s", d1)
		}
		d2 := apiA.mustJSON("GET", "/api/v1/applications/"+itoa(app2), nil, http.StatusOK)
		never("GET application 2 by A", d2)
		if !strings.Contains(d2, expMarker) {
			t.Errorf("candidate sharing the experience: %s", d2)
		}
		offers := apiA.mustJSON("GET", "/api/v1/offers", nil, http.StatusOK)
		if !strings.Contains(offers, "Magasinier de l'employeur A") {
			t.Error("A does not list its offers")
		}
		never("GET /api/v1/offers by A", offers, "Offre secrète de B")
		never("export by A", body(t, apiA.get("/api/v1/offers/export?status=all")), "Offre secrète de B")
		for _, path := range []string{"/api/v1/applications/" + itoa(app3), "/api/v1/offers/" + itoa(b1), "/api/v1/employers/" + itoa(b),
			"/api/v1/applications/999999", "/api/v1/persons/" + itoa(pid)} {
			if res, out := apiA.json("GET", path, nil); res.StatusCode != http.StatusNotFound {
				t.Errorf("A reads %s: %d, want 404", path, res.StatusCode)
			} else {
				never(path+" refused to A", out, "Offre secrète de B")
			}
		}
		if res, _ := apiA.json("PATCH", "/api/v1/offers/"+itoa(b1), map[string]any{"status": "closed"}); res.StatusCode != http.StatusNotFound {
			t.Errorf("A changes B's offer: %d, want 404", res.StatusCode)
		}
		if res, _ := apiA.json("POST", "/api/v1/applications/"+itoa(app3)+"/transition", map[string]any{"action": "process"}); res.StatusCode != http.StatusNotFound {
			t.Errorf("A works B's candidate: %d, want 404", res.StatusCode)
		}
		if got := offersOf(t, apiA, "?employer_id="+itoa(b)); len(got) != 0 {
			t.Errorf("A lists B's offers by asking: %+v", got)
		}

		// Employer B sees its own candidate and none of A's.
		listB := unescaped(empB.page(t, http.StatusOK, http.MethodGet, "/candidatures", nil))
		if !strings.Contains(listB, "Offre secrète de B") || strings.Contains(listB, "Magasinier de l'employeur A") ||
			strings.Contains(listB, "Paul Autrecandidat") {
			t.Error("B's applications page shows A's candidates, or not its own")
		}
		for _, id := range []int64{app1, app2, app4} {
			if res, _ := apiB.json("GET", "/api/v1/applications/"+itoa(id), nil); res.StatusCode != http.StatusNotFound {
				t.Errorf("B reads A's application %d: %d", id, res.StatusCode)
			}
			if res := empB.get("/candidatures/" + itoa(id)); res.StatusCode != http.StatusNotFound {
				t.Errorf("B's page of A's application %d: %d", id, res.StatusCode)
			}
		}
		never("B's offers", apiB.mustJSON("GET", "/api/v1/offers", nil, http.StatusOK), "Magasinier de l'employeur A")

		// The professional of the team cannot move the application: the
		// employer does.
		if res, _ := pro.json("POST", "/api/v1/applications/"+itoa(app1)+"/transition", map[string]any{"action": "process"}); res.StatusCode != http.StatusForbidden {
			t.Errorf("the proposer moves the application: %d, want 403", res.StatusCode)
		}
		// A refusal needs a reason, "other" a message.
		p2 = unescaped(empA.page(t, http.StatusBadRequest, http.MethodPost, "/candidatures/"+itoa(app2)+"/transition",
			url.Values{"action": {"refuse"}, "reason": {"other"}}))
		if !strings.Contains(p2, "Précisez le motif du refus dans le message.") {
			t.Error("a refusal for another reason without a message is accepted")
		}
		empA.redirect(t, "/candidatures/"+itoa(app2)+"/transition", url.Values{"action": {"refuse"}, "reason": {"lacking_skills"},
			"answer": {"Il faut le CACES 3."}})
		// The page, then the API, move the first application to the hire.
		p1 = unescaped(empA.page(t, http.StatusOK, http.MethodGet, "/candidatures/"+itoa(app1), nil))
		if !strings.Contains(p1, `value="process"`) || !strings.Contains(p1, "Décliner") {
			t.Error("the new application offers neither to study it nor to refuse it")
		}
		empA.redirect(t, "/candidatures/"+itoa(app1)+"/transition", url.Values{"action": {"process"}, "answer": {"Entretien mardi."}})
		apiA.mustJSON("POST", "/api/v1/applications/"+itoa(app1)+"/transition", map[string]any{"action": "move_to_prior_to_hire"}, http.StatusOK)
		if res, out := apiA.json("POST", "/api/v1/applications/"+itoa(app1)+"/transition", map[string]any{"action": "accept"}); res.StatusCode != http.StatusBadRequest ||
			!strings.Contains(out, `"field":"hired_on"`) {
			t.Errorf("accept without a hire date: %d %s", res.StatusCode, out)
		}
		if res, _ := apiA.json("POST", "/api/v1/applications/"+itoa(app1)+"/transition", map[string]any{"action": "cancel"}); res.StatusCode != http.StatusConflict {
			t.Errorf("cancel a hire that is not one: %d, want 409", res.StatusCode)
		}
		out := apiA.mustJSON("POST", "/api/v1/applications/"+itoa(app1)+"/transition", map[string]any{"action": "accept", "hired_on": "2026-12-07"}, http.StatusOK)
		if !strings.Contains(out, `"state":"accepted"`) || !strings.Contains(out, `"hired_on":"2026-12-07"`) {
			t.Errorf("accept: %s", out)
		}
		never("transition answer", out, expMarker)

		// The team follows: the référent (who proposed) and another member.
		for _, email := range []string{"pro@test.example", "ft@test.example"} {
			c := e.apiClient(email)
			var got apiApplication
			_ = json.Unmarshal([]byte(c.mustJSON("GET", "/api/v1/applications/"+itoa(app1), nil, http.StatusOK)), &got)
			if got.State != "accepted" || got.PersonID != pid || len(got.Events) != 4 || got.Events[1].Action != "process" {
				t.Errorf("%s follows application 1: %+v", email, got)
			}
			page := unescaped(e.member(email).page(t, http.StatusOK, http.MethodGet, "/candidatures", nil))
			if !strings.Contains(page, "Acceptée") || !strings.Contains(page, "Déclinée") || !strings.Contains(page, "Embauché ailleurs") {
				t.Errorf("%s's applications page does not show the changes", email)
			}
		}
		page := unescaped(e.member("ft@test.example").page(t, http.StatusOK, http.MethodGet, "/candidatures/"+itoa(app1), nil))
		for _, want := range []string{"Étudier la candidature", "Accepter : embauche", "Louise Candidate", "embauche le 07/12/2026"} {
			if !strings.Contains(page, want) {
				t.Errorf("the team's page of the application lacks %q", want)
			}
		}
		if strings.Contains(page, `action="/candidatures/`+itoa(app1)+`/transition"`) {
			t.Error("the team is offered the employer's buttons")
		}
		// Hired elsewhere: the application to B became obsolete; the
		// refused one stays refused, with its reason.
		var got apiApplication
		_ = json.Unmarshal([]byte(apiB.mustJSON("GET", "/api/v1/applications/"+itoa(app3), nil, http.StatusOK)), &got)
		if got.State != "obsolete" || got.Candidate == nil || got.Candidate.Phone == nil {
			t.Errorf("B's application after the hire: %+v", got)
		}
		_ = json.Unmarshal([]byte(pro.mustJSON("GET", "/api/v1/applications/"+itoa(app2), nil, http.StatusOK)), &got)
		if got.State != "refused" || got.RefusalReason != "lacking_skills" || got.Answer != "Il faut le CACES 3." {
			t.Errorf("refused application, for the team: %+v", got)
		}
		// A professional outside the team sees none of it.
		if res, _ := e.apiClient("ml@test.example").json("GET", "/api/v1/applications/"+itoa(app1), nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("a professional outside the team reads the application: %d", res.StatusCode)
		}
	})
}

// TestEmployerHome: the home of an employer contact counts its open offers
// and the candidates waiting for its answer; a professional's home leads
// to the offers.
func TestEmployerHome(t *testing.T) {
	e := newEnv(t, storetest.Open(t, "sqlite"))
	emp := newEmployer(t, e, "Logistique Fictive", "rh@logistique.example")
	o1 := newOffer(t, e, emp, "Magasinier", jobStorekeeper)
	newOffer(t, e, emp, "Cariste", jobForklift)
	home := func() string {
		t.Helper()
		res := e.signIn("rh@logistique.example").get("/")
		page := body(t, res)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("home: %d", res.StatusCode)
		}
		return page
	}
	if page := home(); !strings.Contains(page, "Logistique Fictive : 2 offres ouvertes, aucun candidat") ||
		!strings.Contains(page, `href="/candidatures"`) {
		t.Errorf("home without candidates:\n%s", page)
	}
	pro := e.apiClient("pro@test.example")
	propose(t, e, idOf(t, registerPerson(t, pro, "Louise", "Candidate", "1990-04-02")), o1)
	if page := home(); !strings.Contains(page, "Logistique Fictive : 2 offres ouvertes, 1 candidat attend votre réponse") {
		t.Errorf("home with a candidate:\n%s", page)
	}
	res := e.signIn("pro@test.example").get("/")
	if page := body(t, res); !strings.Contains(page, "Offres des employeurs partenaires") || !strings.Contains(page, `href="/offres"`) {
		t.Errorf("a professional's home does not lead to the offers:\n%s", page)
	}
}
