package web

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/territory"
)

// newService is the body of a published service of the structure, at the
// commune, with the thématiques; extra fields are added or replace.
func newService(structureID int64, name, commune string, thematiques []string, extra map[string]any) map[string]any {
	b := map[string]any{"structure_id": structureID, "status": "published", "nom": name,
		"description": "Un service du territoire pour les personnes accompagnées.", "thematiques": thematiques,
		"code_insee": commune, "telephone": "03 84 00 00 00", "modes_accueil": []string{"en-presentiel"}}
	if commune == "" {
		delete(b, "code_insee")
	}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

// createService creates a service through the API and returns its id.
func createService(t *testing.T, c *client, body map[string]any) int64 {
	t.Helper()
	b := c.mustJSON("POST", "/api/v1/services", body, http.StatusCreated)
	var sv struct{ ID int64 }
	if err := json.Unmarshal([]byte(b), &sv); err != nil || sv.ID == 0 {
		t.Fatalf("created service: %s", b)
	}
	return sv.ID
}

// otherTerritory creates a second territory with a structure and an
// administrator, and returns the administrator's email.
func (e *env) otherTerritory(code, name string) string {
	e.t.Helper()
	ctx := context.Background()
	tr := territory.Territory{Code: code, Name: name}
	if err := e.store.CreateTerritory(ctx, &tr); err != nil {
		e.t.Fatal(err)
	}
	st := territory.Structure{TerritoryID: tr.ID, Kind: territory.KindDepartement, Name: "Département " + name}
	if err := e.store.CreateStructure(ctx, &st); err != nil {
		e.t.Fatal(err)
	}
	email := "admin-" + code + "@test.example"
	a := account.Account{Email: email, FirstName: "Prénom", LastName: "Nom", PasswordHash: passwordHash(e.t)}
	a.TOTPSecret, _ = account.NewTOTPSecret()
	a.TOTPEnabled = true
	if err := e.store.CreateAccount(ctx, &a); err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.AddMembership(ctx, a.ID, st.ID, account.RoleTerritoryAdmin); err != nil {
		e.t.Fatal(err)
	}
	e.accounts[email] = a
	return email
}

// rawJSON sends a body as is, with its content type.
func (c *client) rawJSON(method, path, contentType, payload string) (*http.Response, string) {
	c.e.t.Helper()
	res := c.do(method, path, strings.NewReader(payload), contentType)
	return res, body(c.e.t, res)
}

// uploadDirectory sends a file to the directory's import form.
func (c *client) uploadDirectory(name, content string, fields map[string]string) (*http.Response, string) {
	c.e.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	res := c.do(http.MethodPost, "/annuaire/import", &b, mw.FormDataContentType())
	return res, body(c.e.t, res)
}

const gardenStructures = `[{"source":"dora","id":"dora-garage","nom":"Garage solidaire du Lion","date_maj":"2025-02-14",
 "code_insee":"90010","telephone":"03 84 11 22 33","reseaux_porteurs":["restos-du-coeur"],"horaires_accueil":"Mo-Fr 09:00-17:00"}]`

const gardenServices = `[{"source":"dora","structure_id":"dora-garage","id":"dora-reparation","nom":"Réparation de voitures à petit prix",
 "description":"Entretien et réparation pour les personnes en insertion.","date_maj":"2025-03-01","thematiques":["mobilite--entretenir-reparer-son-vehicule"],
 "frais":"payant","frais_precisions":"Pièces au prix coûtant","code_insee":"90052","courriel":"garage@lion.example",
 "modes_accueil":["en-presentiel"],"volume_horaire_hebdomadaire":4,"nombre_semaines":6}]`

// TestDirectoryExportImportRoundTrip is the acceptance test of the
// data·inclusion exchange: the export of a territory, imported into an
// empty one (structures, then services), exports again as the same JSON.
func TestDirectoryExportImportRoundTrip(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		// The structures of the fixture were created at the real time, which
		// the date of update of their export may not precede.
		if d := time.Since(e.clock.Now()); d > 0 {
			e.clock.Add(d + time.Hour)
		}
		today := e.clock.Now().In(paris).Format(dateLayout)
		admin := e.apiClient("admin@test.example")
		ccas := structureID(t, e, territory.KindCCAS)
		dept := structureID(t, e, territory.KindDepartement)
		admin.mustJSON("POST", "/api/v1/structures/import", json.RawMessage(gardenStructures), http.StatusOK)
		admin.mustJSON("POST", "/api/v1/services/import", json.RawMessage(gardenServices), http.StatusOK)
		createService(t, admin, newService(ccas, "Épicerie sociale", "90010", []string{"equipement-et-alimentation--alimentation"},
			map[string]any{"publics": []string{"familles", "beneficiaires-des-minimas-sociaux"}, "frais": "gratuit",
				"zone_eligibilite": []string{"90"}, "mobilisable_par": []string{"professionnels"}, "adresse": "1 rue de la Paix",
				"horaires_accueil": "Tu,Th 14:00-17:00", "lien_mobilisation": "https://ccas.example/epicerie"}))
		createService(t, admin, newService(dept, "Conseil budgétaire à distance", "", []string{"difficultes-financieres--ameliorer-sa-gestion-budgetaire"},
			map[string]any{"modes_accueil": []string{"a-distance"}, "courriel": "budget@departement.example", "type": "accompagnement"}))
		createService(t, admin, newService(dept, "Brouillon jamais publié", "90010", []string{"mobilite--preparer-un-permis"},
			map[string]any{"status": "draft"}))

		services := admin.mustJSON("GET", "/api/v1/services/export?format=datainclusion", nil, http.StatusOK)
		structures := admin.mustJSON("GET", "/api/v1/structures/export?format=datainclusion", nil, http.StatusOK)
		var exported []map[string]any
		if err := json.Unmarshal([]byte(services), &exported); err != nil || len(exported) != 3 {
			t.Fatalf("export: %d services (want the 3 published), %v\n%s", len(exported), err, services)
		}
		for _, sv := range exported {
			if sv["nom"] == "Épicerie sociale" && (sv["source"] != "parcours-90" || !strings.HasPrefix(sv["structure_id"].(string), "parcours-90--structure-") ||
				sv["commune"] != "Belfort" || sv["date_maj"] != today) {
				t.Errorf("exported service of Parcours: %v", sv)
			}
			if sv["nom"] == "Réparation de voitures à petit prix" && (sv["id"] != "dora-reparation" || sv["structure_id"] != "dora-garage" || sv["date_maj"] != "2025-03-01") {
				t.Errorf("exported service imported from DORA: %v", sv)
			}
		}
		var sts []map[string]any
		if err := json.Unmarshal([]byte(structures), &sts); err != nil || len(sts) != 3 {
			t.Errorf("export: %d structures, want the CCAS, the Département and the garage\n%s", len(sts), structures)
		}

		other := e.apiClient(e.otherTerritory("25", "Doubs"))
		if got := other.mustJSON("GET", "/api/v1/services/export?format=datainclusion", nil, http.StatusOK); strings.TrimSpace(got) != "[]" {
			t.Fatalf("the new territory is not empty: %s", got)
		}
		other.mustJSON("POST", "/api/v1/services/import", json.RawMessage(services), http.StatusUnprocessableEntity) // structures first
		var counts struct{ Created, Updated int }
		_ = json.Unmarshal([]byte(other.mustJSON("POST", "/api/v1/structures/import", json.RawMessage(structures), http.StatusOK)), &counts)
		if counts.Created != 3 || counts.Updated != 0 {
			t.Errorf("structures imported: %+v", counts)
		}
		_ = json.Unmarshal([]byte(other.mustJSON("POST", "/api/v1/services/import", json.RawMessage(services), http.StatusOK)), &counts)
		if counts.Created != 3 || counts.Updated != 0 {
			t.Errorf("services imported: %+v", counts)
		}
		if again := other.mustJSON("GET", "/api/v1/services/export?format=datainclusion", nil, http.StatusOK); again != services {
			t.Errorf("services exported again differ:\n%s\nwant\n%s", again, services)
		}
		if again := other.mustJSON("GET", "/api/v1/structures/export?format=datainclusion", nil, http.StatusOK); again != structures {
			t.Errorf("structures exported again differ:\n%s\nwant\n%s", again, structures)
		}
		// The same files again: every item is updated, nothing is created.
		_ = json.Unmarshal([]byte(other.mustJSON("POST", "/api/v1/services/import", json.RawMessage(services), http.StatusOK)), &counts)
		if counts.Created != 0 || counts.Updated != 3 {
			t.Errorf("services imported twice: %+v", counts)
		}
		// Its own export read back by the first territory changes nothing.
		_ = json.Unmarshal([]byte(admin.mustJSON("POST", "/api/v1/services/import", json.RawMessage(services), http.StatusOK)), &counts)
		if counts.Created != 0 || counts.Updated != 3 {
			t.Errorf("own export imported back: %+v", counts)
		}
		if again := admin.mustJSON("GET", "/api/v1/services/export?format=datainclusion", nil, http.StatusOK); again != services {
			t.Errorf("own export imported back changed the directory:\n%s", again)
		}

		// The CSV form carries the same services.
		res, csv := admin.json("GET", "/api/v1/services/export?format=csv", nil)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "services-90.csv") || strings.Count(csv, "\r\n") != 4 {
			t.Errorf("CSV export: %d %s\n%s", res.StatusCode, res.Header, csv)
		}
		third := e.apiClient(e.otherTerritory("70", "Haute-Saône"))
		stCSV := admin.mustJSON("GET", "/api/v1/structures/export?format=csv", nil, http.StatusOK)
		if res, b := third.rawJSON("POST", "/api/v1/structures/import", "text/csv", stCSV); res.StatusCode != http.StatusOK {
			t.Fatalf("CSV import of structures: %d %s", res.StatusCode, b)
		}
		if res, b := third.rawJSON("POST", "/api/v1/services/import", "text/csv; charset=utf-8", csv); res.StatusCode != http.StatusOK {
			t.Fatalf("CSV import of services: %d %s", res.StatusCode, b)
		}
		if again := third.mustJSON("GET", "/api/v1/services/export?format=datainclusion", nil, http.StatusOK); again != services {
			t.Errorf("services through CSV differ:\n%s\nwant\n%s", again, services)
		}

		// Drafts are exported for the territory's administrators only.
		all := admin.mustJSON("GET", "/api/v1/services/export?format=datainclusion&status=all", nil, http.StatusOK)
		if !strings.Contains(all, "Brouillon jamais publié") {
			t.Error("status=all lacks the draft")
		}
		pro := e.apiClient("pro@test.example")
		if res, _ := pro.json("GET", "/api/v1/services/export?format=datainclusion&status=all", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("status=all by a professional: %d, want 403", res.StatusCode)
		}
		if got := pro.mustJSON("GET", "/api/v1/services/export?format=datainclusion", nil, http.StatusOK); got != services {
			t.Error("a professional's export differs from the administrator's")
		}
		if res, b := pro.json("GET", "/api/v1/services/export?format=xml", nil); res.StatusCode != http.StatusBadRequest || !strings.Contains(b, `"field":"format"`) {
			t.Errorf("unknown format: %d %s", res.StatusCode, b)
		}
	})
}

// TestDirectoryImportAllOrNothing: a file with one invalid item writes
// nothing, and says which item and field in French.
func TestDirectoryImportAllOrNothing(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	admin := e.apiClient("admin@test.example")
	admin.mustJSON("POST", "/api/v1/structures/import", json.RawMessage(gardenStructures), http.StatusOK)
	bad := `[` + strings.Trim(gardenServices, "[]") + `,
	{"source":"dora","structure_id":"dora-inconnue","id":"dora-2","nom":"Deuxième service","description":"Une description.","date_maj":"2025-03-01",
	 "thematiques":["mobilite--entretenir-reparer-son-vehicule","pas-une-thematique"],"courriel":"x@y.example","code_insee":"90010"}]`
	res, b := admin.rawJSON("POST", "/api/v1/services/import", "application/json", bad)
	var p struct {
		Status int
		Detail string
		Errors []struct{ Field, Message string }
	}
	_ = json.Unmarshal([]byte(b), &p)
	if res.StatusCode != http.StatusUnprocessableEntity || res.Header.Get("Content-Type") != "application/problem+json" ||
		!strings.Contains(p.Detail, "rien n'a été importé") {
		t.Fatalf("invalid item: %d %s", res.StatusCode, b)
	}
	fields := map[string]string{}
	for _, f := range p.Errors {
		fields[f.Field] = f.Message
	}
	if !strings.Contains(fields["[1].thematiques[1]"], "thématique") || !strings.Contains(fields["[1].structure_id"], "dora-inconnue") {
		t.Errorf("item errors: %+v", p.Errors)
	}
	if got := admin.mustJSON("GET", "/api/v1/services", nil, http.StatusOK); strings.Contains(got, "dora-reparation") {
		t.Errorf("a refused file wrote its valid item: %s", got)
	}
	// A published service needs a way to reach it.
	noContact := strings.Replace(gardenServices, `"courriel":"garage@lion.example",`, "", 1)
	res, b = admin.rawJSON("POST", "/api/v1/services/import", "application/json", noContact)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, `"field":"[0].courriel"`) {
		t.Errorf("published without contact: %d %s", res.StatusCode, b)
	}
	if res, b := admin.rawJSON("POST", "/api/v1/services/import?status=draft", "application/json", noContact); res.StatusCode != http.StatusOK {
		t.Errorf("draft without contact: %d %s", res.StatusCode, b)
	}
	for _, tc := range []struct{ contentType, body, want string }{
		{"application/json", `{"nom":"pas une liste"}`, "liste JSON"},
		{"application/json", `[{"nom": 3}]`, "[0].nom"},
		{"application/xml", `<services/>`, "application/json"},
	} {
		if res, b := admin.rawJSON("POST", "/api/v1/services/import", tc.contentType, tc.body); res.StatusCode != http.StatusBadRequest || !strings.Contains(b, tc.want) {
			t.Errorf("%s %s: %d %s", tc.contentType, tc.body, res.StatusCode, b)
		}
	}
	for _, email := range []string{"pro@test.example", "emp@test.example", "coord@test.example"} {
		if res, _ := e.apiClient(email).rawJSON("POST", "/api/v1/structures/import", "application/json", gardenStructures); res.StatusCode != http.StatusForbidden {
			t.Errorf("import by %s: %d, want 403", email, res.StatusCode)
		}
	}
}

// TestServiceAccess: who reads and who changes a service.
func TestServiceAccess(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.addProfessional("asso@test.example", territory.KindAssociation)
		ccas := structureID(t, e, territory.KindCCAS)
		pro, manager, admin := e.apiClient("pro@test.example"), e.apiClient("manager@test.example"), e.apiClient("admin@test.example")
		asso, emp, coord := e.apiClient("asso@test.example"), e.apiClient("emp@test.example"), e.apiClient("coord@test.example")
		published := createService(t, pro, newService(ccas, "Permanence logement", "90010", []string{"logement-hebergement--louer-un-logement"}, nil))
		draft := createService(t, pro, newService(ccas, "Atelier en préparation", "90010", []string{"numerique--acceder-a-des-services-en-ligne"},
			map[string]any{"status": "draft"}))
		pub, drf := "/api/v1/services/"+itoa(published), "/api/v1/services/"+itoa(draft)

		for _, c := range []*client{pro, manager, admin, asso, coord} {
			c.mustJSON("GET", pub, nil, http.StatusOK)
		}
		for _, c := range []*client{pro, manager, admin} {
			c.mustJSON("GET", drf, nil, http.StatusOK)
		}
		for _, c := range []*client{asso, coord} {
			c.mustJSON("GET", drf, nil, http.StatusNotFound)
			c.mustJSON("PATCH", drf, map[string]any{"nom": "Pris"}, http.StatusNotFound)
			if got := c.mustJSON("GET", "/api/v1/services", nil, http.StatusOK); strings.Contains(got, "Atelier en préparation") {
				t.Error("a draft is listed for those who may not edit it")
			}
		}
		asso.mustJSON("PATCH", pub, map[string]any{"nom": "Pris"}, http.StatusForbidden)
		asso.mustJSON("POST", "/api/v1/services", newService(ccas, "Pas le mien", "90010", []string{"famille--garde-denfants"}, nil), http.StatusForbidden)
		emp.mustJSON("GET", pub, nil, http.StatusForbidden)
		emp.mustJSON("GET", "/api/v1/services/search?thematique=logement-hebergement", nil, http.StatusForbidden)
		manager.mustJSON("PATCH", pub, map[string]any{"horaires_accueil": "Mo 09:00-12:00"}, http.StatusOK)
		b := admin.mustJSON("PATCH", drf, map[string]any{"status": "published", "courriel": "atelier@ccas.example"}, http.StatusOK)
		if !strings.Contains(b, `"status":"published"`) || !strings.Contains(b, `"telephone":"03 84 00 00 00"`) {
			t.Errorf("partial update: %s", b)
		}
		asso.mustJSON("GET", drf, nil, http.StatusOK) // published now

		// An account of another territory sees its own directory only.
		other := e.apiClient(e.otherTerritory("25", "Doubs"))
		other.mustJSON("GET", pub, nil, http.StatusNotFound)
		other.mustJSON("PATCH", pub, map[string]any{"nom": "Pris"}, http.StatusNotFound)
		if got := other.mustJSON("GET", "/api/v1/services", nil, http.StatusOK); got != "{\"items\":[]}\n" {
			t.Errorf("another territory's list: %s", got)
		}
		if got := other.mustJSON("GET", "/api/v1/services/search?thematique=logement-hebergement", nil, http.StatusOK); strings.Contains(got, "Permanence") {
			t.Errorf("another territory finds the service: %s", got)
		}
		other.mustJSON("POST", "/api/v1/services", newService(ccas, "Ailleurs", "90010", []string{"famille--garde-denfants"}, nil), http.StatusBadRequest)

		// Pages: the same rules.
		page := e.member("asso@test.example")
		page.page(t, http.StatusNotFound, "GET", "/annuaire/services/"+itoa(published+1000), nil)
		page.page(t, http.StatusForbidden, "GET", "/annuaire/services/"+itoa(published)+"/modifier", nil)
		page.page(t, http.StatusForbidden, "POST", "/annuaire/services/"+itoa(published), url.Values{"nom": {"Pris"}})
		e.member("emp@test.example").page(t, http.StatusForbidden, "GET", "/annuaire", nil)
		e.member("coord@test.example").page(t, http.StatusForbidden, "GET", "/annuaire/services/nouveau", nil)
		e.member("coord@test.example").page(t, http.StatusForbidden, "GET", "/annuaire/import", nil)
		e.member("pro@test.example").page(t, http.StatusForbidden, "GET", "/annuaire/import", nil)
	})
}

// TestServiceValidationInFrench: messages name the data·inclusion field,
// in French, in the API and under the fields of the form.
func TestServiceValidationInFrench(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	ccas := structureID(t, e, territory.KindCCAS)
	pro := e.apiClient("pro@test.example")
	res, b := pro.json("POST", "/api/v1/services", map[string]any{"structure_id": ccas, "status": "published", "nom": "Ab",
		"description": "", "thematiques": []string{"mobilite--inconnue"}, "courriel": "pas-une-adresse", "code_insee": "99999",
		"nombre_semaines": 9999})
	var p struct {
		Errors []struct{ Field, Message string }
	}
	_ = json.Unmarshal([]byte(b), &p)
	fields := map[string]string{}
	for _, f := range p.Errors {
		fields[f.Field] = f.Message
	}
	if res.StatusCode != http.StatusBadRequest || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("invalid service: %d %s", res.StatusCode, b)
	}
	for field, want := range map[string]string{"nom": "caractères", "description": "obligatoire", "thematiques[0]": "thématique",
		"courriel": "Adresse électronique", "code_insee": "INSEE", "nombre_semaines": "semaines"} {
		if !strings.Contains(fields[field], want) {
			t.Errorf("%s: %q, want it to say %q", field, fields[field], want)
		}
	}
	if res, b := pro.json("POST", "/api/v1/services", map[string]any{"structure_id": ccas, "inconnu": 1}); res.StatusCode != http.StatusBadRequest || !strings.Contains(b, "inconnu") {
		t.Errorf("unknown field: %d %s", res.StatusCode, b)
	}

	page := e.member("pro@test.example")
	form := url.Values{"structure_id": {itoa(ccas)}, "statut": {"published"}, "nom": {"Ab"}, "description": {"Un atelier d'écriture."},
		"code_insee": {"Atlantis"}, "telephone": {"03 84 00 00 00"}, "volume_horaire_hebdomadaire": {"six"}}
	html := page.page(t, http.StatusBadRequest, "POST", "/annuaire/services", form)
	for _, want := range []string{`href="#nom"`, `href="#thematiques"`, `href="#code_insee"`, `href="#volume_horaire_hebdomadaire"`,
		`id="nom-erreur"`, `id="thematiques-erreur"`, "Aucune commune « Atlantis »", `value="Ab"`, "Choisissez au moins une thématique"} {
		if !strings.Contains(html, want) {
			t.Errorf("form with errors lacks %s", want)
		}
	}
	wellFormed(t, "service form with errors", html)
}

// TestDirectorySearch: relevance, then distance; the radius; the page and
// the API agree.
func TestDirectorySearch(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		dept := structureID(t, e, territory.KindDepartement)
		admin := e.apiClient("admin@test.example")
		for _, s := range []struct {
			name, commune string
			them          []string
			extra         map[string]any
		}{
			{"Réparation de vélos", "90099", []string{"mobilite--entretenir-reparer-son-vehicule"}, nil},                                 // Valdoie, 3 km
			{"Garage solidaire", "90052", []string{"mobilite--entretenir-reparer-son-vehicule", "mobilite--acceder-a-un-vehicule"}, nil}, // Giromagny, 11 km
			{"Auto-école sociale", "90010", []string{"mobilite--preparer-un-permis"}, map[string]any{"frais": "payant"}},                 // Belfort
			{"Location de scooters", "90033", []string{"mobilite--acceder-a-un-vehicule"}, nil},                                          // Delle, 19 km
			{"Conseil mobilité en ligne", "", []string{"mobilite--etre-accompagne-dans-son-parcours-mobilite"}, // remote
				map[string]any{"modes_accueil": []string{"a-distance"}}},
			{"Épicerie sociale", "90010", []string{"equipement-et-alimentation--alimentation"}, nil},
		} {
			createService(t, admin, newService(dept, s.name, s.commune, s.them, s.extra))
		}
		pro := e.apiClient("pro@test.example")
		var got struct {
			Items []struct {
				Name                string
				DistanceKm          *float64 `json:"distance_km"`
				Score               int
				AverageResponseDays *float64 `json:"average_response_days"`
				Remote              bool
				Structure           struct{ Name string }
			}
		}
		names := func(path string) []string {
			t.Helper()
			got.Items = nil
			if err := json.Unmarshal([]byte(pro.mustJSON("GET", path, nil, http.StatusOK)), &got); err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, it := range got.Items {
				out = append(out, it.Name)
			}
			return out
		}
		want := []string{"Garage solidaire", "Auto-école sociale", "Réparation de vélos", "Conseil mobilité en ligne"}
		if n := names("/api/v1/services/search?thematique=mobilite&commune=90010"); strings.Join(n, "|") != strings.Join(want, "|") {
			t.Errorf("search by category: %q, want %q", n, want)
		}
		if it := got.Items[0]; it.Score != 6 || it.DistanceKm == nil || *it.DistanceKm < 10 || *it.DistanceKm > 12 ||
			it.AverageResponseDays != nil || it.Structure.Name != "Structure departement" {
			t.Errorf("first hit: %+v", it)
		}
		if it := got.Items[3]; !it.Remote || it.DistanceKm != nil {
			t.Errorf("remote hit: %+v", it)
		}
		want = []string{"Garage solidaire", "Location de scooters"}
		if n := names("/api/v1/services/search?thematique=mobilite--acceder-a-un-vehicule&commune=Belfort&radius_km=30"); strings.Join(n, "|") != strings.Join(want, "|") {
			t.Errorf("search with a radius of 30 km: %q, want %q", n, want)
		}
		if n := names("/api/v1/services/search?thematique=mobilite--entretenir-reparer-son-vehicule&thematique=mobilite--preparer-un-permis&frais=payant"); len(n) != 1 || n[0] != "Auto-école sociale" {
			t.Errorf("search by fees: %q", n)
		}
		if n := names("/api/v1/services/search?q=garage&limit=5"); len(n) != 1 || n[0] != "Garage solidaire" {
			t.Errorf("search by words: %q", n)
		}
		if res, b := pro.json("GET", "/api/v1/services/search?thematique=inconnue&commune=Atlantis&radius_km=-3&limit=0", nil); res.StatusCode != http.StatusBadRequest ||
			!strings.Contains(b, `"field":"thematique"`) || !strings.Contains(b, `"field":"commune"`) || !strings.Contains(b, `"field":"radius_km"`) ||
			!strings.Contains(b, `"field":"limit"`) {
			t.Errorf("invalid search: %d %s", res.StatusCode, b)
		}

		page := e.member("pro@test.example")
		html := page.page(t, http.StatusOK, "GET", "/annuaire?thematique=mobilite&commune=Belfort", nil)
		inOrder(t, html, "Garage solidaire", "Auto-école sociale", "Réparation de vélos", "Conseil mobilité en ligne")
		for _, want := range []string{"Giromagny, à 10,9 km", "4 services trouvés", `<option value="mobilite" selected>`, "Payant", "Pas encore de réponse"} {
			if !strings.Contains(html, want) {
				t.Errorf("results page lacks %q", want)
			}
		}
		if strings.Contains(html, "Location de scooters") || strings.Contains(html, "Épicerie") {
			t.Error("results page lists services beyond the radius or of another category")
		}
		html = page.page(t, http.StatusBadRequest, "GET", "/annuaire?commune=Atlantis", nil)
		if !strings.Contains(html, `href="#commune"`) || !strings.Contains(html, `id="commune-erreur"`) {
			t.Error("unknown commune: message not linked")
		}
		html = page.page(t, http.StatusOK, "GET", "/annuaire", nil)
		if !strings.Contains(html, "6 services publiés") || !strings.Contains(html, `href="/annuaire?thematique=mobilite"`) {
			t.Error("empty search lacks the count or the categories")
		}
	})
}

// TestDirectoryPagesRender: every directory page renders, in French, for
// those allowed, and the form publishes and changes a service.
func TestDirectoryPagesRender(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	ccas := structureID(t, e, territory.KindCCAS)
	pro := e.member("pro@test.example")
	html := pro.page(t, http.StatusOK, "GET", "/annuaire/services/nouveau", nil)
	if !strings.Contains(html, `<option value="`+itoa(ccas)+`" selected>Structure ccas</option>`) || strings.Contains(html, "Structure departement") {
		t.Error("the form offers other structures than the professional's")
	}
	form := url.Values{"structure_id": {itoa(ccas)}, "statut": {"published"}, "nom": {"Permanence d'accès aux droits"},
		"description": {"Aide aux démarches administratives, sans rendez-vous."}, "type": {"accompagnement"},
		"thematiques": {"difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"},
		"publics":     {"tous-publics"}, "frais": {"gratuit"}, "modes_accueil": {"en-presentiel"}, "code_insee": {"Belfort"},
		"adresse": {"2 rue de l'Étuve"}, "zone_eligibilite": {"90010, 90099 90"}, "telephone": {"03 84 54 24 24"},
		"modes_mobilisation": {"telephoner", "se-presenter"}, "mobilisable_par": {"professionnels", "usagers"},
		"volume_horaire_hebdomadaire": {"2,5"}, "nombre_semaines": {"4"}}
	loc := pro.redirect(t, "/annuaire/services", form)
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/annuaire/services/"), 10, 64)
	if err != nil {
		t.Fatalf("created service redirects to %q", loc)
	}
	html = pro.page(t, http.StatusOK, "GET", loc, nil)
	for _, want := range []string{"Le service est enregistré.", "Permanence d&#39;accès aux droits", "Publié", "Belfort (90010)", "90000",
		"Valdoie (90099)", "Territoire de Belfort (département 90)", "2,5 heures par semaine, compte dans les 15 heures d'activité hebdomadaire",
		"4 semaines", "Téléphoner", "Tous publics", "Gratuit", "Pas encore de réponse", "Modifier le service", "Structure ccas"} {
		if !strings.Contains(html, want) {
			t.Errorf("service page lacks %q", want)
		}
	}
	edit := pro.page(t, http.StatusOK, "GET", loc+"/modifier", nil)
	if !strings.Contains(edit, `value="Belfort (90010)"`) || !strings.Contains(edit, `value="2,5"`) || !strings.Contains(edit, `value="90 90010 90099"`) {
		t.Error("the edit form does not show the service as saved")
	}
	form.Set("statut", "suspended")
	form.Set("code_insee", "90099")
	if got := pro.redirect(t, loc, form); got != loc {
		t.Errorf("update redirects to %q", got)
	}
	sv, err := e.store.Service(context.Background(), id)
	if err != nil || sv.Status != "suspended" || sv.CommuneINSEE != "90099" || sv.PostalCode != "90300" || sv.Lat < 47.6 || sv.Lat > 47.7 {
		t.Errorf("updated service: %+v %v", sv, err)
	}
	if html := pro.page(t, http.StatusOK, "GET", "/annuaire", nil); !strings.Contains(html, "Les services de votre structure") || !strings.Contains(html, "Suspendu") {
		t.Error("the directory page does not list the professional's suspended service")
	}

	admin := e.member("admin@test.example")
	for _, c := range []struct {
		who    *client
		status int
		path   string
		want   string
	}{
		{pro, 200, "/annuaire", "Publier un service"},
		{pro, 200, "/annuaire?thematique=difficultes-administratives-ou-juridiques&rayon=10&type=accompagnement&frais=gratuit&public=jeunes&q=droits", "Aucun service"},
		{pro, 200, loc, "Suspendu"},
		{pro, 200, loc + "/modifier", "Modifier"},
		{pro, 200, "/annuaire/services/nouveau", "Thématiques (obligatoire)"},
		{admin, 200, "/annuaire", "Importer / exporter (data·inclusion)"},
		{admin, 200, "/annuaire/import", "Exporter l'annuaire"},
		{admin, 200, "/annuaire/services/nouveau", "Structure departement"},
		{admin, 200, loc + "/modifier", "Modifier"},
		{e.member("coord@test.example"), 404, loc, "existe pas"}, // suspended: only its editors see it
		{e.member("manager@test.example"), 200, loc, "Modifier le service"},
	} {
		html := c.who.page(t, c.status, "GET", c.path, nil)
		if !strings.Contains(html, c.want) {
			t.Errorf("%s lacks %q", c.path, c.want)
		}
		wellFormed(t, c.path, html)
	}
	if strings.Contains(pro.page(t, 200, "GET", "/annuaire", nil), "Importer / exporter") {
		t.Error("a professional is offered the import")
	}
	if res := e.client().get("/annuaire"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous: %d", res.StatusCode)
	}
}

// TestDirectoryImportPage: the import form imports a file whole, or lists
// its items at fault and writes nothing.
func TestDirectoryImportPage(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	admin := e.member("admin@test.example")
	res, html := admin.uploadDirectory("structures.json", gardenStructures, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(html, "Import terminé") || !strings.Contains(html, "1 structure créée, 0 mise à jour") {
		t.Fatalf("structures: %d\n%.3000s", res.StatusCode, html)
	}
	wellFormed(t, "import done", html)
	csv := "source,structure_id,id,nom,description,date_maj,thematiques,courriel,code_insee\r\n" +
		"dora,dora-garage,dora-1,Réparation,Entretien et réparation.,2025-03-01,mobilite--entretenir-reparer-son-vehicule,a@b.example,90010\r\n" +
		"dora,dora-garage,dora-2,Lavage,Lavage solidaire.,2025-03-01,\"mobilite--entretenir-reparer-son-vehicule,inconnue\",a@b.example,90010\r\n"
	res, html = admin.uploadDirectory("services.csv", csv, nil)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(html, "n° 2 (ligne 3)") || !strings.Contains(html, "<code>thematiques[1]</code>") ||
		!strings.Contains(html, `href="#elements"`) {
		t.Errorf("invalid services: %d\n%.4000s", res.StatusCode, html)
	}
	wellFormed(t, "import with errors", html)
	if got := e.apiClient("admin@test.example").mustJSON("GET", "/api/v1/services", nil, http.StatusOK); strings.Contains(got, "dora-1") {
		t.Error("a refused file wrote its valid line")
	}
	res, html = admin.uploadDirectory("services.csv", strings.Replace(csv, ",inconnue", "", 1), map[string]string{"status": "draft"})
	if res.StatusCode != http.StatusOK || !strings.Contains(html, "2 services créés, 0 mis à jour") {
		t.Errorf("valid services: %d\n%.3000s", res.StatusCode, html)
	}
	if got := e.apiClient("admin@test.example").mustJSON("GET", "/api/v1/services?status=draft", nil, http.StatusOK); strings.Count(got, `"status":"draft"`) != 2 {
		t.Errorf("imported as drafts: %s", got)
	}
	res, html = admin.uploadDirectory("vide.json", "{}", nil)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(html, `href="#file"`) || !strings.Contains(html, "ni structure ni service") {
		t.Errorf("not a list: %d\n%.3000s", res.StatusCode, html)
	}
	if res, _ := e.member("pro@test.example").uploadDirectory("structures.json", gardenStructures, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("import by a professional: %d", res.StatusCode)
	}
}
