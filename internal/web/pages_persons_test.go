package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store/storetest"
	"github.com/spie-parcours/parcours/internal/territory"
)

// addProfessional creates a signed-in-able professional in a new structure
// of the kind.
func (e *env) addProfessional(email string, kind territory.Kind) {
	e.t.Helper()
	ctx := context.Background()
	st := territory.Structure{TerritoryID: e.terr.ID, Kind: kind, Name: "Agence " + string(kind) + " " + email}
	if err := e.store.CreateStructure(ctx, &st); err != nil {
		e.t.Fatal(err)
	}
	acc := account.Account{Email: email, FirstName: "Camille", LastName: "Autre", PasswordHash: passwordHash(e.t)}
	acc.TOTPSecret, _ = account.NewTOTPSecret()
	acc.TOTPEnabled = true
	if err := e.store.CreateAccount(ctx, &acc); err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.AddMembership(ctx, acc.ID, st.ID, account.RoleProfessional); err != nil {
		e.t.Fatal(err)
	}
	e.accounts[email] = acc
}

// member signs in and allows the client's POSTs as same-origin.
func (e *env) member(email string) *client {
	e.t.Helper()
	c := e.signIn(email)
	c.header.Set("Sec-Fetch-Site", "same-origin")
	return c
}

// page fetches a page and fails unless it has the status.
func (c *client) page(t *testing.T, status int, method, path string, form url.Values) string {
	t.Helper()
	var res *http.Response
	if method == http.MethodGet {
		res = c.get(path)
	} else {
		res = c.post(path, form)
	}
	b := body(t, res)
	if res.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%.2000s", method, path, res.StatusCode, status, b)
	}
	return b
}

// redirect posts a form and returns where it redirects to.
func (c *client) redirect(t *testing.T, path string, form url.Values) string {
	t.Helper()
	res := c.post(path, form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s: status %d, want 303\n%.3000s", path, res.StatusCode, body(t, res))
	}
	return res.Header.Get("Location")
}

var amina = url.Values{"first_name": {"Amina"}, "last_name": {"Diallo"}, "birth_date": {"1990-04-12"}, "sex": {"F"},
	"address": {"12 rue des Lilas"}, "commune_insee": {"90010"}, "phone": {"06 12 34 56 78"}, "caf_number": {"1234567"},
	"rsa_right": {"rsa_droit_ouvert_versable"}, "education_level": {"niveau_3"}, "work_situation": {"recherche_emploi"}}

// register registers Amina Diallo by the client and returns her id.
func register(t *testing.T, c *client) int64 {
	t.Helper()
	loc := c.redirect(t, "/personnes", amina)
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/personnes/"), 10, 64)
	if err != nil {
		t.Fatalf("registration redirects to %q", loc)
	}
	return id
}

// situationKey is the form key of a situation of the diagnostic form.
func situationKey(t *testing.T, theme string, pick func(label string) bool) (key, label string) {
	t.Helper()
	ref, err := referential.Load()
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range ref.Situations(theme) {
		if pick(s.Label) {
			return theme + "-" + strconv.Itoa(i), s.Label
		}
	}
	t.Fatalf("no situation in theme %s", theme)
	return "", ""
}

func TestCaseloadLookupRegister(t *testing.T) {
	e := newEnv(t, storetest.Open(t, "sqlite"))
	e.addProfessional("ft@test.example", territory.KindFranceTravail)
	pro := e.member("pro@test.example")

	if page := pro.page(t, 200, "GET", "/personnes", nil); !strings.Contains(page, "Vous n'accompagnez encore personne") ||
		!strings.Contains(page, `href="/personnes/verifier"`) {
		t.Error("empty caseload: no explanation nor link to the lookup")
	}
	identity := url.Values{"first_name": {"Amina"}, "last_name": {"DIALLO"}, "birth_date": {"1990-04-12"}}
	page := pro.page(t, 200, "POST", "/personnes/verifier", identity)
	if !strings.Contains(page, "Personne inconnue") || !strings.Contains(page, "Inscrire cette personne") {
		t.Fatal("unknown person: no answer or no registration button")
	}
	page = pro.page(t, 200, "POST", "/personnes/nouvelle", identity)
	if !strings.Contains(page, `value="Amina"`) || !strings.Contains(page, `value="1990-04-12"`) || !strings.Contains(page, "90010") {
		t.Error("registration form not pre-filled, or without the communes")
	}

	// Errors: a summary, and each message under its field.
	page = pro.page(t, 400, "POST", "/personnes", url.Values{"first_name": {""}, "last_name": {"Diallo"}, "birth_date": {"1990-04-12"}, "phone": {"12"}})
	for _, want := range []string{`href="#first_name"`, `id="first_name-erreur"`, `aria-describedby="first_name-erreur"`,
		"fr-input-group--error", "Le prénom est obligatoire.", `id="phone-erreur"`, `value="Diallo"`} {
		if !strings.Contains(page, want) {
			t.Errorf("invalid registration: page lacks %q", want)
		}
	}

	id := register(t, pro)
	path := "/personnes/" + itoa(id)
	page = pro.page(t, 200, "GET", "/personnes", nil)
	if !strings.Contains(page, "Diallo") || !strings.Contains(page, `href="`+path+`"`) || !strings.Contains(page, "Belfort") ||
		!strings.Contains(page, "12/04/1990") || !strings.Contains(page, "Référent") {
		t.Error("caseload lacks the registered person")
	}
	if page := pro.page(t, 200, "POST", "/personnes/verifier", url.Values{"first_name": {"amina"}, "last_name": {"Diallo"},
		"birth_date": {"12/04/1990"}}); !strings.Contains(page, "Personne connue") || !strings.Contains(page, `href="`+path+`"`) {
		t.Error("lookup with a typed JJ/MM/AAAA date misses the person, or gives her référent no link")
	}
	if page := pro.page(t, 400, "POST", "/personnes/verifier", url.Values{"last_name": {"Diallo"}}); !strings.Contains(page, `href="#first_name"`) {
		t.Error("incomplete lookup: no linked message")
	}
	if page := pro.page(t, 200, "POST", "/personnes/recherche", url.Values{"q": {"dial"}, "referent": {"1"}}); !strings.Contains(page, "Diallo") {
		t.Error("search by name prefix misses the person")
	}
	if page := pro.page(t, 200, "POST", "/personnes/recherche", url.Values{"q": {"martin"}}); strings.Contains(page, "Diallo") {
		t.Error("search by another name finds the person")
	}

	// Another structure asks: it learns who follows her, not her file.
	ft := e.member("ft@test.example")
	page = ft.page(t, 200, "POST", "/personnes/verifier", url.Values{"caf_number": {"123 45 67"}})
	if !strings.Contains(page, "Personne connue") || !strings.Contains(page, "Structure ccas") ||
		!strings.Contains(page, "(référent : Structure ccas)") || !strings.Contains(page, "Demander à rejoindre l'équipe de suivi") {
		t.Errorf("known person: answer lacks the structures or the join button\n%s", page)
	}
	for _, secret := range []string{"Amina", "Diallo", "rue des Lilas", "06 12 34 56 78", "1990"} {
		if strings.Contains(page, secret) {
			t.Errorf("lookup by CAF number reveals %q", secret)
		}
	}
	if res := ft.get(path); res.StatusCode != http.StatusNotFound {
		t.Errorf("record of a person not followed: %d, want 404", res.StatusCode)
	}
	// Registering her again is refused with the same answer.
	page = ft.page(t, http.StatusConflict, "POST", "/personnes", amina)
	if !strings.Contains(page, "déjà connue") || !strings.Contains(page, "Structure ccas") || !strings.Contains(page, `action="`+path+`/demandes"`) {
		t.Error("second registration: no known answer with the join button")
	}

	// The request to join, decided by the référent.
	if loc := ft.redirect(t, path+"/demandes", url.Values{"reason": {"Inscrite chez nous, suivi de sa recherche d'emploi"}}); loc != "/personnes" {
		t.Errorf("join request redirects to %q", loc)
	}
	page = pro.page(t, 200, "GET", path, nil)
	m := regexp.MustCompile(`action="` + path + `/demandes/(\d+)/decision"`).FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, "suivi de sa recherche d&#39;emploi") {
		t.Fatal("the référent does not see the pending request")
	}
	pro.redirect(t, path+"/demandes/"+m[1]+"/decision", url.Values{"decision": {"accepter"}})
	if page := ft.page(t, 200, "POST", "/personnes/verifier", identity); !strings.Contains(page, `href="`+path+`"`) {
		t.Error("a member asking again gets no link to the record")
	}
	ft.page(t, 200, "GET", path, nil)
}

func TestRecordSectionsAndNeedToKnow(t *testing.T) {
	e := newEnv(t, storetest.Open(t, "sqlite"))
	e.addProfessional("ft@test.example", territory.KindFranceTravail)
	e.addProfessional("autre@test.example", territory.KindCCAS)
	pro := e.member("pro@test.example")
	id := register(t, pro)
	path := "/personnes/" + itoa(id)

	pro.redirect(t, path+"/equipe", url.Values{"email": {"ft@test.example"}})
	pro.redirect(t, path+"/notes", url.Values{"body": {"SANTE-7f3e suivi médical en cours"}, "visibility": {"team"}, "section": {"health"}})
	pro.redirect(t, path+"/notes", url.Values{"body": {"EQUIPE-51ac rendez-vous pris"}, "visibility": {"team"}})
	healthKey, healthLabel := situationKey(t, "sante", func(string) bool { return true })
	housingKey, housingLabel := situationKey(t, "logement", func(l string) bool { return strings.HasPrefix(l, "Hébergé chez") })
	pro.redirect(t, path+"/diagnostic", url.Values{"s-" + healthKey: {"1"}, "c-" + healthKey: {"DIAG-SANTE-92b1"},
		"s-" + housingKey: {"1"}, "c-" + housingKey: {"chez sa sœur"}})
	pro.redirect(t, path+"/identite", func() url.Values {
		v := url.Values{}
		for k, vs := range amina {
			v[k] = vs
		}
		v.Set("rqth", "1")
		return v
	}())

	page := pro.page(t, 200, "GET", path, nil)
	for _, want := range []string{"<h1", "Identité et situation", "Diagnostic", "Projet professionnel", "Équipe de suivi", "Notes",
		"Historique", "Consentements et opposition", "Qui a consulté ce dossier ?", "SANTE-7f3e", "EQUIPE-51ac", "DIAG-SANTE-92b1",
		healthLabel, "Travailleur handicapé (RQTH)", "Désigner comme référent", "Retirer de l'équipe", "Opposition au partage",
		"Moins de 26 ans", `<option value="health"`} {
		if !strings.Contains(page, want) && !strings.Contains(page, strings.ReplaceAll(want, "Travailleur", "travailleur")) {
			t.Errorf("record of the référent lacks %q", want)
		}
	}

	// France Travail is in the team but not entitled to health.
	ft := e.member("ft@test.example")
	page = ft.page(t, 200, "GET", path, nil)
	if !strings.Contains(page, "EQUIPE-51ac") || !strings.Contains(page, housingLabel) || !strings.Contains(page, "Quitter l'équipe") {
		t.Error("a member misses what the team shares")
	}
	for _, secret := range []string{"SANTE-7f3e", "DIAG-SANTE-92b1", healthLabel, "travailleur handicapé", `<option value="health"`, "Qui a consulté"} {
		if strings.Contains(page, secret) {
			t.Errorf("France Travail member sees %q", secret)
		}
	}
	page = ft.page(t, 200, "GET", path+"/diagnostic", nil)
	if strings.Contains(page, "theme-sante") || strings.Contains(page, "DIAG-SANTE-92b1") || !strings.Contains(page, "parties protégées") {
		t.Error("diagnostic form of a member offers health situations")
	}
	if page := ft.page(t, 200, "GET", path+"/identite", nil); strings.Contains(page, `name="rqth"`) {
		t.Error("identity form of a member not entitled asks RQTH")
	}
	// Saving the diagnostic without health keeps the health situation.
	ft.redirect(t, path+"/diagnostic", url.Values{"s-" + housingKey: {"1"}, "c-" + housingKey: {"chez sa sœur"}})
	if page := pro.page(t, 200, "GET", path, nil); !strings.Contains(page, "DIAG-SANTE-92b1") {
		t.Error("a member's diagnostic ended a health situation they cannot see")
	}
	if res := ft.get(path + "/acces"); res.StatusCode != http.StatusNotFound {
		t.Errorf("access log for a member: %d, want 404", res.StatusCode)
	}
	// A note in health by a member not entitled is refused, and the text kept.
	page = ft.page(t, 400, "POST", path+"/notes", url.Values{"body": {"texte gardé"}, "visibility": {"team"}, "section": {"health"}})
	if !strings.Contains(page, "texte gardé") || !strings.Contains(page, `id="note-section-erreur"`) && !strings.Contains(page, `href="#note-section"`) {
		t.Error("refused note: text lost or message not linked")
	}

	// A consent opens health to France Travail; its withdrawal closes it.
	page = pro.page(t, 200, "GET", path, nil)
	sid := regexp.MustCompile(`name="structures" value="(\d+)"[^>]*>\s*<label class="fr-label" for="consent-structure-\d+">Agence france_travail`).FindStringSubmatch(page)
	if sid == nil {
		t.Fatal("consent form lacks the structures")
	}
	pro.redirect(t, path+"/consentements", url.Values{"purpose": {"Adapter la recherche d'emploi"}, "structures": {sid[1]},
		"sections": {"health"}, "method": {"written"}})
	if page := ft.page(t, 200, "GET", path, nil); !strings.Contains(page, "SANTE-7f3e") {
		t.Error("consent to share health does not open it")
	}
	page = pro.page(t, 200, "GET", path, nil)
	cid := regexp.MustCompile(`action="` + path + `/consentements/(\d+)/retrait"`).FindStringSubmatch(page)
	if cid == nil {
		t.Fatal("no withdraw button")
	}
	pro.redirect(t, path+"/consentements/"+cid[1]+"/retrait", nil)
	if page := ft.page(t, 200, "GET", path, nil); strings.Contains(page, "SANTE-7f3e") {
		t.Error("withdrawn consent still opens health")
	}

	// Not in the team: the same 404 as an unknown id, on every page.
	other := e.member("autre@test.example")
	for _, suffix := range []string{"", "/identite", "/diagnostic", "/projet", "/acces"} {
		a, b := other.get(path+suffix), other.get("/personnes/987654"+suffix)
		pa, pb := body(t, a), body(t, b)
		if a.StatusCode != http.StatusNotFound || b.StatusCode != http.StatusNotFound || pa != pb {
			t.Errorf("%s: %d vs %d; identical pages %v", suffix, a.StatusCode, b.StatusCode, pa == pb)
		}
	}

	// The objection leaves the référent alone.
	page = pro.page(t, 400, "POST", path+"/opposition", url.Values{"reason": {"ne veut pas"}})
	if !strings.Contains(page, `id="objection-confirm-erreur"`) || !strings.Contains(page, "ne veut pas") {
		t.Error("objection without confirmation: no message, or reason lost")
	}
	pro.redirect(t, path+"/opposition", url.Values{"reason": {"ne veut pas"}, "confirm": {"1"}})
	if res := ft.get(path); res.StatusCode != http.StatusNotFound {
		t.Errorf("member after objection: %d, want 404", res.StatusCode)
	}
	if page := pro.page(t, 200, "GET", path, nil); !strings.Contains(page, "seul son référent y a accès") {
		t.Error("the référent's record does not tell the objection")
	}
}

func TestDiagnosticAndProjectForms(t *testing.T) {
	e := newEnv(t, storetest.Open(t, "sqlite"))
	pro := e.member("pro@test.example")
	path := "/personnes/" + itoa(register(t, pro))
	key, label := situationKey(t, "mobilite", func(string) bool { return true })
	key2, _ := situationKey(t, "numerique", func(string) bool { return true })

	page := pro.page(t, 200, "GET", path+"/diagnostic", nil)
	if !strings.Contains(page, `<legend class="fr-fieldset__legend fr-h5" id="theme-mobilite-legende">Mobilité</legend>`) ||
		strings.Contains(page, `name="s-`+key+`" value="1" checked`) {
		t.Fatal("diagnostic form: no theme fieldset, or a situation checked already")
	}
	pro.redirect(t, path+"/diagnostic", url.Values{"s-" + key: {"1"}, "c-" + key: {"pas de permis"}, "s-" + key2: {"1"}})
	page = pro.page(t, 200, "GET", path+"/diagnostic", nil)
	if !strings.Contains(page, `name="s-`+key+`" value="1" checked`) || !strings.Contains(page, ">pas de permis</textarea>") ||
		!strings.Contains(page, `name="s-`+key2+`" value="1" checked`) {
		t.Error("diagnostic form does not show what was saved")
	}
	pro.redirect(t, path+"/diagnostic", url.Values{"s-" + key2: {"1"}})
	page = pro.page(t, 200, "GET", path, nil)
	if strings.Contains(page, label) || !strings.Contains(page, "Renseigné par Prénom Nom (Structure ccas)") {
		t.Error("an unchecked situation stays, or the author is missing")
	}
	page = pro.page(t, 400, "POST", path+"/diagnostic", url.Values{"s-" + key2: {"1"}, "c-" + key2: {strings.Repeat("x", 2001)}})
	if !strings.Contains(page, `href="#c-`+key2+`"`) || !strings.Contains(page, `id="s-`+key2+`-erreur"`) {
		t.Error("too long comment: message not linked to its situation")
	}

	// Project: search, tick, save.
	page = pro.page(t, 200, "POST", path+"/projet/metiers", url.Values{"q": {"aide à domicile"}, "experience": {"EXP-77"}})
	m := regexp.MustCompile(`name="metier" value="(\d+)">\s*<label class="fr-label" for="suggestion-0">([^<]+)</label>`).FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, ">EXP-77</textarea>") {
		t.Fatalf("job search: no suggestion, or the form lost its values\n%.3000s", page)
	}
	pro.redirect(t, path+"/projet", url.Values{"metier": {m[1]}, "experience": {"EXP-77"}, "hours_wanted": {"24"}})
	page = pro.page(t, 200, "GET", path, nil)
	if !strings.Contains(page, strings.ReplaceAll(m[2], "'", "&#39;")) || !strings.Contains(page, "24 heures") {
		t.Error("record lacks the saved project")
	}
	if page := pro.page(t, 400, "POST", path+"/projet", url.Values{"metier": {"nexistepas"}, "hours_wanted": {"99"}}); !strings.Contains(page, `href="#metiers"`) ||
		!strings.Contains(page, `id="hours_wanted-erreur"`) {
		t.Error("invalid project: messages not linked")
	}
}

func TestEveryPersonPageRenders(t *testing.T) {
	e := newEnv(t, storetest.Open(t, "sqlite"))
	pro := e.member("pro@test.example")
	path := "/personnes/" + itoa(register(t, pro))
	for _, p := range []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/personnes", nil},
		{"GET", "/personnes?referent=1", nil},
		{"POST", "/personnes/recherche", url.Values{"q": {"dia"}}},
		{"GET", "/personnes/verifier", nil},
		{"POST", "/personnes/verifier", url.Values{"france_travail_id": {"1234567A"}}},
		{"GET", "/personnes/nouvelle", nil},
		{"POST", "/personnes/nouvelle", url.Values{"first_name": {"Léa"}}},
		{"GET", path, nil},
		{"GET", path + "/identite", nil},
		{"GET", path + "/diagnostic", nil},
		{"GET", path + "/projet", nil},
		{"POST", path + "/projet/metiers", url.Values{"q": {"boulanger"}}},
		{"GET", path + "/acces", nil},
	} {
		page := pro.page(t, 200, p.method, p.path, p.form)
		if !strings.Contains(page, "<h1") {
			t.Errorf("%s %s: no <h1>", p.method, p.path)
		}
		if strings.Contains(page, "style=") || strings.Contains(page, "<script>") {
			t.Errorf("%s %s: inline style or script", p.method, p.path)
		}
	}
	if page := pro.page(t, 200, "GET", "/", nil); !strings.Contains(page, `href="/personnes"`) {
		t.Error("no link to the caseload on the home page")
	}
	if page := pro.page(t, 200, "GET", path+"/acces", nil); !strings.Contains(page, "Consultation") || !strings.Contains(page, "pro@test.example") {
		t.Error("access log lacks the viewer's reads")
	}
	if res := e.member("coord@test.example").get("/personnes"); res.StatusCode != http.StatusForbidden {
		t.Errorf("caseload of a coordinator: %d, want 403", res.StatusCode)
	}
}

func TestNoteFormErrorShownUnderTheField(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	pro := e.signIn("pro@test.example")
	pro.header.Set("Sec-Fetch-Site", "same-origin")
	path := registerPerson(t, e.apiClient("pro@test.example"), "Noé", "Martin", "1980-01-01")
	res := pro.post(strings.Replace(path, "/api/v1/persons", "/personnes", 1)+"/notes", url.Values{"body": {"   "}, "visibility": {"team"}})
	page := body(t, res)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="note-body-erreur"`) {
		t.Errorf("empty note: %d, no message under the field", res.StatusCode)
	}
}
