package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/orientation"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

// askOrientation asks for a person's orientation through the API and
// returns the request's id.
func askOrientation(t *testing.T, c *client, personID int64, suggested, reason string) int64 {
	t.Helper()
	b := c.mustJSON("POST", "/api/v1/orientations", map[string]any{"person_id": personID, "suggested_type": suggested, "reason": reason},
		http.StatusCreated)
	var o struct{ ID int64 }
	if err := json.Unmarshal([]byte(b), &o); err != nil || o.ID == 0 {
		t.Fatalf("orientation request: %s", b)
	}
	return o.ID
}

// wellFormed fails when a page lacks its heading or carries inline style
// or script, which the CSP would block.
func wellFormed(t *testing.T, what, page string) {
	t.Helper()
	if !strings.Contains(page, "<h1") {
		t.Errorf("%s: no <h1>", what)
	}
	if strings.Contains(page, "style=") || strings.Contains(page, "<script>") {
		t.Errorf("%s: inline style or script", what)
	}
}

// inOrder fails unless the page holds the texts in this order.
func inOrder(t *testing.T, page string, texts ...string) {
	t.Helper()
	last := -1
	for _, s := range texts {
		i := strings.Index(page, s)
		if i < 0 {
			t.Errorf("page lacks %q", s)
			return
		}
		if i < last {
			t.Errorf("%q comes before the previous text", s)
		}
		last = i
	}
}

func TestOrientationQueuePage(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	recordEnv(t, e)
	ccas := e.apiClient("pro@test.example")
	var ids []int64
	for i, name := range []string{"Ancien", "Moyen", "Récent"} {
		path := registerPerson(t, ccas, "Test", name, fmt.Sprintf("198%d-01-01", i))
		ids = append(ids, askOrientation(t, ccas, idOf(t, path), "social", ""))
		e.clock.Add(30 * 24 * time.Hour)
	}
	// Requested 90, 60 and 30 days ago, due 42 days after: two are late.
	coord := e.member("coord@test.example")
	page := coord.page(t, 200, "GET", "/orientations", nil)
	wellFormed(t, "queue", page)
	inOrder(t, page, "Test Ancien", "Test Moyen", "Test Récent")
	for _, want := range []string{
		"3 demandes à orienter, dont 2 en retard.",
		`fr-badge--error">En retard de 48 jours`, `fr-badge--error">En retard de 18 jours`, `fr-badge--info">12 jours restants`,
		fmt.Sprintf(`href="/orientations/%d"`, ids[0]), "Décider", "Belfort", "Sociale", "Demande d&#39;un professionnel",
		`<caption>`, `class="fr-table__container" tabindex="0"`, `<th scope="col">Personne</th>`,
		`class="fr-nav__link" href="/orientations" aria-current="page"`, "Aucune demande de réorientation en attente.",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("queue lacks %q", want)
		}
	}
	if home := coord.page(t, 200, "GET", "/", nil); !strings.Contains(home, `class="fr-btn fr-btn--secondary" href="/orientations"`) {
		t.Error("the coordinator's home card does not lead to the queue")
	}

	// Filters, pagination and statuses.
	for _, c := range []struct{ query, want, absent string }{
		{"?origine=caf", "Aucune demande ne correspond", "Test Ancien"},
		{"?type=social", "3 demandes à orienter correspondent aux filtres, dont 2 en retard.", ""},
		{"?anciennete=42", "2 demandes à orienter correspondent aux filtres, dont 2 en retard.", "Test Récent"},
		{"?commune=90010", "3 demandes à orienter correspondent aux filtres", ""},
		{"?debut=2", "Page précédente", "Test Ancien"},
		{"?debut=2", "3 demandes à orienter, dont 2 en retard.", "Page suivante"},
		{"?statut=refused", "Aucune demande n'a encore ce statut.", "Test Ancien"},
		{"?type=nimportequoi", "3 demandes à orienter, dont 2 en retard.", ""}, // an unknown choice is ignored
	} {
		page := coord.page(t, 200, "GET", "/orientations"+c.query, nil)
		if !strings.Contains(page, c.want) || (c.absent != "" && strings.Contains(page, c.absent)) {
			t.Errorf("%s: want %q without %q", c.query, c.want, c.absent)
		}
	}

	// Only the territory's coordinators; an unknown request, or one of
	// another territory, is not found.
	pro := e.member("pro@test.example")
	for _, p := range []string{"/orientations", fmt.Sprintf("/orientations/%d", ids[0]), "/reorientations/1"} {
		if res := pro.get(p); res.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s by a professional: %d, want 403", p, res.StatusCode)
		}
	}
	if res := pro.post(fmt.Sprintf("/orientations/%d/decision", ids[0]), url.Values{"outcome": {"refused"}, "reason": {"Pas pour moi"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("decision by a professional: %d, want 403", res.StatusCode)
	}
	other := otherTerritoryRequest(t, e)
	for _, p := range []string{"/orientations/999999", fmt.Sprintf("/orientations/%d", other), "/reorientations/999999"} {
		res := coord.get(p)
		if page := body(t, res); res.StatusCode != http.StatusNotFound || !strings.Contains(page, "existe pas") {
			t.Errorf("GET %s: %d, want the 404 page", p, res.StatusCode)
		}
	}
	if res := coord.post(fmt.Sprintf("/orientations/%d/decision", other), url.Values{"outcome": {"refused"}, "reason": {"Hors territoire"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("decision on another territory's request: %d, want 404", res.StatusCode)
	}
}

// otherTerritoryRequest makes a pending request in a second territory.
func otherTerritoryRequest(t *testing.T, e *env) int64 {
	t.Helper()
	ctx := context.Background()
	tr := territory.Territory{Code: "25", Name: "Doubs"}
	if err := e.store.CreateTerritory(ctx, &tr); err != nil {
		t.Fatal(err)
	}
	p := person.Person{TerritoryID: tr.ID, FirstName: "Hors", LastName: "Territoire", BirthDate: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)}
	st := territory.Structure{TerritoryID: tr.ID, Kind: territory.KindCCAS, Name: "CCAS du Doubs"}
	if err := e.store.CreateStructure(ctx, &st); err != nil {
		t.Fatal(err)
	}
	by := store.Actor{AccountID: e.accounts["admin@test.example"].ID, StructureID: st.ID, At: e.clock.Now()}
	if err := e.store.CreatePerson(ctx, &p, by); err != nil {
		t.Fatal(err)
	}
	o := orientation.Request{PersonID: p.ID, TerritoryID: tr.ID, Source: orientation.SourceImport, DueOn: e.clock.Now().AddDate(0, 0, 42)}
	if err := e.store.CreateOrientation(ctx, &o, by); err != nil {
		t.Fatal(err)
	}
	return o.ID
}

func TestOrientationDecisionPage(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	recordEnv(t, e)
	ctx := context.Background()
	ccas := e.apiClient("pro@test.example")
	pid := idOf(t, registerPerson(t, ccas, "Kenza", "Meyer", "1991-08-08"))
	id := askOrientation(t, ccas, pid, "pro", "Projet clair dans la logistique")
	coord := e.member("coord@test.example")
	path := fmt.Sprintf("/orientations/%d", id)
	ft := structureID(t, e, territory.KindFranceTravail)

	page := coord.page(t, 200, "GET", path, nil)
	wellFormed(t, "decision", page)
	for _, want := range []string{"Kenza Meyer", "08/08/1991", "Belfort", "Droit ouvert et versable", "Projet clair dans la logistique",
		"Structure ccas", `id="type-pro" name="type" value="pro" checked`, fmt.Sprintf(`<option value="%d">Structure france_travail`, ft),
		`<option value="ft@test.example">`, "Aucune orientation précédente.", "fr-badge--info", `<legend class="fr-fieldset__legend" id="outcome-legende">`} {
		if !strings.Contains(page, want) {
			t.Errorf("decision page lacks %q", want)
		}
	}
	if strings.Contains(page, "Structure employer") || strings.Contains(page, `<option value="emp@test.example">`) {
		t.Error("an employer is offered as a structure or a référent")
	}
	items, _, err := e.store.AccessLog(ctx, pid, 0, 20)
	if err != nil || len(items) == 0 || items[0].AccountEmail != "coord@test.example" {
		t.Errorf("the coordinator's read is not in the access log: %+v %v", items, err)
	}

	// Problems are shown in the summary and under each field.
	for _, c := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"outcome": {"refused"}, "reason": {" "}}, "reason"},
		{url.Values{}, "outcome"},
		{url.Values{"outcome": {"accepted"}, "type": {"pro"}}, "structure_id"},
		{url.Values{"outcome": {"accepted"}, "type": {"pro"}, "structure_id": {itoa(ft)}, "referent_email": {"pro@test.example"}}, "referent_email"},
	} {
		page := coord.page(t, 400, "POST", path+"/decision", c.form)
		if !strings.Contains(page, `id="`+c.field+`-erreur"`) || !strings.Contains(page, `href="#`+c.field+`"`) {
			t.Errorf("%v: no message under %s, or not in the summary", c.form, c.field)
		}
	}
	page = coord.page(t, 400, "POST", path+"/decision", url.Values{"outcome": {"accepted"}, "type": {"pro"}, "dispositif": {"PLIE"},
		"referent_email": {"inconnu@test.example"}, "structure_id": {itoa(ft)}})
	if !strings.Contains(page, `value="PLIE"`) || !strings.Contains(page, `value="inconnu@test.example"`) ||
		!strings.Contains(page, fmt.Sprintf(`<option value="%d" selected>`, ft)) || !strings.Contains(page, `aria-describedby="referent_email-erreur"`) {
		t.Error("the form does not keep what was typed")
	}

	// Orienting makes the advisor the référent.
	if loc := coord.redirect(t, path+"/decision", url.Values{"outcome": {"accepted"}, "type": {"pro"}, "structure_id": {itoa(ft)},
		"dispositif": {"Accompagnement global"}, "referent_email": {"ft@test.example"}}); loc != "/orientations" {
		t.Fatalf("after the decision: %s", loc)
	}
	page = coord.page(t, 200, "GET", "/orientations", nil)
	if !strings.Contains(page, "Orientation enregistrée") || !strings.Contains(page, "Aucune demande à orienter") {
		t.Error("no flash, or the request is still in the queue")
	}
	team, err := e.store.Team(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range team {
		if m.Active() && m.Referent != (m.AccountEmail == "ft@test.example") {
			t.Errorf("team after the decision: %s référent=%v", m.AccountEmail, m.Referent)
		}
	}
	if page := coord.page(t, 200, "GET", "/orientations?statut=accepted", nil); !strings.Contains(page, "Kenza Meyer") || !strings.Contains(page, "1 demande orientée.") {
		t.Error("the decided request is not in the accepted tab")
	}
	page = coord.page(t, 200, "GET", path, nil)
	if strings.Contains(page, `action="`+path+`/decision"`) || !strings.Contains(page, "Accompagnement global") || !strings.Contains(page, "Orientée") {
		t.Error("a decided request still offers the form, or does not tell the decision")
	}
	page = coord.page(t, 409, "POST", path+"/decision", url.Values{"outcome": {"refused"}, "reason": {"Trop tard maintenant"}})
	if !strings.Contains(page, "déjà été traitée") {
		t.Error("a second decision is not refused with a message")
	}
	// The référent reads the orientation on the record.
	page = e.member("ft@test.example").page(t, 200, "GET", fmt.Sprintf("/personnes/%d", pid), nil)
	if !strings.Contains(page, `id="orientation-titre"`) || !strings.Contains(page, "Structure france_travail") || !strings.Contains(page, "Accompagnement global") {
		t.Error("the record does not show the orientation")
	}
}

func TestOrientationRefusal(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	recordEnv(t, e)
	ccas := e.apiClient("pro@test.example")
	pid := idOf(t, registerPerson(t, ccas, "Noé", "Martin", "1980-01-01"))
	id := askOrientation(t, ccas, pid, "", "")
	coord := e.member("coord@test.example")
	path := fmt.Sprintf("/orientations/%d", id)
	if page := coord.page(t, 200, "GET", path, nil); strings.Contains(page, `name="type" value="pro" checked`) || !strings.Contains(page, "Non précisé") {
		t.Error("without a suggestion, a type is preselected")
	}
	coord.redirect(t, path+"/decision", url.Values{"outcome": {"refused"}, "reason": {"Personne déjà accompagnée par le PLIE"}})
	if page := coord.page(t, 200, "GET", "/orientations?statut=refused", nil); !strings.Contains(page, "Demande refusée.") ||
		!strings.Contains(page, "Personne déjà accompagnée par le PLIE") {
		t.Error("no flash, or the refusal is not in the refused tab")
	}
	page := e.member("pro@test.example").page(t, 200, "GET", fmt.Sprintf("/personnes/%d", pid), nil)
	if !strings.Contains(page, "Refusée") || !strings.Contains(page, "Personne déjà accompagnée par le PLIE") ||
		!strings.Contains(page, fmt.Sprintf(`action="/personnes/%d/orientation"`, pid)) {
		t.Error("the record does not show the refusal, or does not offer a new request")
	}
}

func TestOrientationRequestFromRecord(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	recordEnv(t, e)
	pro := e.member("pro@test.example")
	id := register(t, pro)
	path := fmt.Sprintf("/personnes/%d", id)
	page := pro.page(t, 200, "GET", path, nil)
	if !strings.Contains(page, `action="`+path+`/orientation"`) || strings.Contains(page, `action="`+path+`/reorientation"`) ||
		!strings.Contains(page, "Aucune orientation n'est enregistrée") {
		t.Error("record of a person never oriented: want the request form only")
	}
	page = pro.page(t, 400, "POST", path+"/orientation", url.Values{"orientation_type": {"autre"}, "orientation_reason": {"gardé"}})
	if !strings.Contains(page, `id="orientation-type-erreur"`) || !strings.Contains(page, `href="#orientation-type"`) || !strings.Contains(page, "gardé") {
		t.Error("invalid type: message not under the field, or reason lost")
	}
	if loc := pro.redirect(t, path+"/orientation", url.Values{"orientation_type": {"social"}, "orientation_reason": {"Logement à stabiliser"}}); loc != path+"#orientation" {
		t.Errorf("after the request: %s", loc)
	}
	page = pro.page(t, 200, "GET", path, nil)
	if !strings.Contains(page, "transmise aux chargés d&#39;orientation") || !strings.Contains(page, "Demande d'orientation en attente depuis le") ||
		strings.Contains(page, `action="`+path+`/orientation"`) {
		t.Error("pending request: no flash, no notice, or the form still offered")
	}
	page = pro.page(t, 409, "POST", path+"/orientation", url.Values{"orientation_type": {"pro"}})
	if !strings.Contains(page, "déjà en attente") {
		t.Error("a second request is not refused with a message")
	}
	if page := e.member("coord@test.example").page(t, 200, "GET", "/orientations", nil); !strings.Contains(page, "Amina Diallo") {
		t.Error("the request is not in the queue")
	}
}

func TestReorientationDecisionPage(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	recordEnv(t, e)
	ctx := context.Background()
	pro, coord := e.member("pro@test.example"), e.member("coord@test.example")
	pid := register(t, pro)
	path := fmt.Sprintf("/personnes/%d", pid)
	pro.redirect(t, path+"/equipe", url.Values{"email": {"ft@test.example"}})
	// Oriented socially to the CCAS, the social worker staying référent.
	oid := askOrientation(t, e.apiClient("pro@test.example"), pid, "social", "")
	coord.redirect(t, fmt.Sprintf("/orientations/%d/decision", oid), url.Values{"outcome": {"accepted"}, "type": {"social"},
		"structure_id": {itoa(structureID(t, e, territory.KindCCAS))}, "referent_email": {"pro@test.example"}})

	if page := pro.page(t, 200, "GET", path, nil); !strings.Contains(page, `action="`+path+`/reorientation"`) {
		t.Fatal("the référent is not offered a reorientation")
	}
	ftMember := e.member("ft@test.example")
	if page := ftMember.page(t, 200, "GET", path, nil); strings.Contains(page, `action="`+path+`/reorientation"`) {
		t.Error("a member who is not the référent is offered a reorientation")
	}
	if res := ftMember.post(path+"/reorientation", url.Values{"reorientation_type": {"pro"}, "reorientation_reason": {"Projet mûr"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("reorientation asked by a member: %d, want 404", res.StatusCode)
	}
	page := pro.page(t, 400, "POST", path+"/reorientation", url.Values{"reorientation_type": {"pro"}})
	if !strings.Contains(page, `id="reorientation-reason-erreur"`) || !strings.Contains(page, `href="#reorientation-reason"`) {
		t.Error("reorientation without a reason: message not linked")
	}
	ft := structureID(t, e, territory.KindFranceTravail)
	ask := url.Values{"reorientation_type": {"pro"}, "reorientation_structure": {itoa(ft)}, "reorientation_reason": {"Le projet professionnel est mûr"}}
	pro.redirect(t, path+"/reorientation", ask)
	ros, err := e.store.Reorientations(ctx, e.terr.ID, orientation.ReorientationPending)
	if err != nil || len(ros) != 1 {
		t.Fatalf("pending reorientations: %v %v", ros, err)
	}
	rpath := fmt.Sprintf("/reorientations/%d", ros[0].ID)

	page = coord.page(t, 200, "GET", "/orientations", nil)
	if !strings.Contains(page, "Demandes de réorientation") || !strings.Contains(page, `href="`+rpath+`"`) {
		t.Error("the queue does not list the reorientation")
	}
	page = coord.page(t, 200, "GET", rpath, nil)
	wellFormed(t, "reorientation", page)
	for _, want := range []string{"Amina Diallo", "Le projet professionnel est mûr", "Prénom Nom (Structure ccas)", "Sociale",
		`id="type-pro" name="type" value="pro" checked`, fmt.Sprintf(`<option value="%d" selected>`, ft), `id="outcome-denied"`} {
		if !strings.Contains(page, want) {
			t.Errorf("reorientation page lacks %q", want)
		}
	}
	page = coord.page(t, 400, "POST", rpath+"/decision", url.Values{"outcome": {"denied"}})
	if !strings.Contains(page, `id="reason-erreur"`) || !strings.Contains(page, `href="#reason"`) {
		t.Error("denial without a reason: message not linked")
	}
	coord.redirect(t, rpath+"/decision", url.Values{"outcome": {"denied"}, "reason": {"Attendre la fin de la formation"}})
	if page := coord.page(t, 200, "GET", "/orientations", nil); !strings.Contains(page, "Demande de réorientation refusée") ||
		!strings.Contains(page, "Aucune demande de réorientation en attente.") {
		t.Error("no flash after the denial, or the reorientation is still listed")
	}
	if page := coord.page(t, 200, "GET", rpath, nil); !strings.Contains(page, "Attendre la fin de la formation") || strings.Contains(page, `action="`+rpath+`/decision"`) {
		t.Error("a denied reorientation does not tell why, or still offers the form")
	}

	// Asked again and accepted: France Travail becomes référent.
	pro.redirect(t, path+"/reorientation", ask)
	ros, err = e.store.Reorientations(ctx, e.terr.ID, orientation.ReorientationPending)
	if err != nil || len(ros) != 1 {
		t.Fatalf("pending reorientations: %v %v", ros, err)
	}
	coord.redirect(t, fmt.Sprintf("/reorientations/%d/decision", ros[0].ID), url.Values{"outcome": {"accepted"}, "type": {"pro"},
		"structure_id": {itoa(ft)}, "referent_email": {"ft@test.example"}})
	if page := coord.page(t, 200, "GET", "/orientations", nil); !strings.Contains(page, "Réorientation enregistrée") {
		t.Error("no flash after the acceptance")
	}
	page = ftMember.page(t, 200, "GET", path, nil)
	if !strings.Contains(page, "Qui a consulté ce dossier ?") || strings.Count(page, "<td>Orientée</td>") != 2 {
		t.Error("after the reorientation, France Travail is not référent, or the history lacks an orientation")
	}
}
