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
	"github.com/spie-parcours/parcours/internal/territory"
)

// orientToCCAS registers a person at France Travail (whose adviser becomes
// their référent) and has the coordinator orient them to the CCAS without
// naming a référent: the CCAS's manager must name one. It returns the
// person's id.
func orientToCCAS(t *testing.T, e *env, first, last, birth string) int64 {
	t.Helper()
	ft, coord := e.apiClient("ft@test.example"), e.apiClient("coord@test.example")
	id := idOf(t, registerPerson(t, ft, first, last, birth))
	o := askOrientation(t, ft, id, "social", "Accompagnement social")
	coord.mustJSON("POST", fmt.Sprintf("/api/v1/orientations/%d/decision", o), map[string]any{
		"outcome": "accepted", "type": "social", "structure_id": structureID(t, e, territory.KindCCAS)}, http.StatusOK)
	return id
}

// awaiting lists the ids of the people waiting for a référent, as the
// manager's API shows them.
func awaiting(t *testing.T, c *client) []int64 {
	t.Helper()
	var out struct {
		Items []struct {
			PersonID int64 `json:"person_id"`
		}
	}
	if err := json.Unmarshal([]byte(c.mustJSON("GET", "/api/v1/assignments", nil, http.StatusOK)), &out); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, it := range out.Items {
		ids = append(ids, it.PersonID)
	}
	return ids
}

// referentEmail is the email of the person's référent, read by a member
// of the team.
func referentEmail(t *testing.T, c *client, personID int64) string {
	t.Helper()
	var team struct {
		Items []struct {
			Email    string
			Referent bool
			EndedAt  *time.Time `json:"ended_at"`
		}
	}
	if err := json.Unmarshal([]byte(c.mustJSON("GET", fmt.Sprintf("/api/v1/persons/%d/team", personID), nil, http.StatusOK)), &team); err != nil {
		t.Fatal(err)
	}
	for _, m := range team.Items {
		if m.Referent && m.EndedAt == nil {
			return m.Email
		}
	}
	return ""
}

func TestAssignReferentsAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		recordEnv(t, e)
		manager, pro, ft := e.apiClient("manager@test.example"), e.apiClient("pro@test.example"), e.apiClient("ft@test.example")
		ines := orientToCCAS(t, e, "Inès", "Attente", "1988-05-17")
		noah := orientToCCAS(t, e, "Noah", "Second", "1992-02-03")

		// The manager sees both, with the structure's professionals.
		b := manager.mustJSON("GET", "/api/v1/assignments", nil, http.StatusOK)
		for _, want := range []string{`"first_name":"Inès"`, `"last_name":"Attente"`, `"birth_date":"1988-05-17"`, `"appointment_due_date":"2026-12-26"`,
			`"appointment_overdue":false`, `"email":"pro@test.example"`, `"email":"ccas2@test.example"`} {
			if !strings.Contains(b, want) {
				t.Errorf("list lacks %s: %s", want, b)
			}
		}
		if strings.Contains(b, "ft@test.example") || strings.Contains(b, "manager@test.example") {
			t.Errorf("the list offers someone outside the structure's professionals: %s", b)
		}

		// Nobody else: not the professionals, not the coordinator, not the admin.
		for _, who := range []string{"pro@test.example", "coord@test.example", "admin@test.example", "ft@test.example"} {
			c := e.apiClient(who)
			if res, b := c.json("GET", "/api/v1/assignments", nil); res.StatusCode != http.StatusForbidden || !strings.Contains(b, "gestionnaire") {
				t.Errorf("GET by %s: %d %s", who, res.StatusCode, b)
			}
			res, _ := c.json("POST", "/api/v1/assignments", map[string]any{"assignments": []map[string]any{{"person_id": ines, "referent_email": "pro@test.example"}}})
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("POST by %s: %d", who, res.StatusCode)
			}
		}
		if res, _ := manager.json("GET", "/api/v1/assignments?structure_id="+itoa(structureID(t, e, territory.KindDepartement)), nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("a structure the manager does not manage: %d", res.StatusCode)
		}

		// Someone outside the structure fails the whole batch, in French,
		// and changes nothing.
		res, b := manager.json("POST", "/api/v1/assignments", map[string]any{"assignments": []map[string]any{
			{"person_id": ines, "referent_email": "pro@test.example"},
			{"person_id": noah, "referent_email": "ft@test.example"},
		}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(b, `"field":"assignments[1].referent_email"`) ||
			!strings.Contains(b, "Le référent doit être un professionnel actif de votre structure.") || strings.Contains(b, "assignments[0]") {
			t.Errorf("assignment outside the structure: %d %s", res.StatusCode, b)
		}
		res, b = manager.json("POST", "/api/v1/assignments", map[string]any{"assignments": []map[string]any{
			{"person_id": 999999, "referent_email": "pro@test.example"}}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(b, "Cette personne n'attend pas de référent de votre structure.") {
			t.Errorf("unknown person: %d %s", res.StatusCode, b)
		}
		if res, _ := manager.json("POST", "/api/v1/assignments", map[string]any{"assignments": []any{}}); res.StatusCode != http.StatusBadRequest {
			t.Errorf("no assignment: %d", res.StatusCode)
		}
		if got := awaiting(t, manager); len(got) != 2 {
			t.Fatalf("after the failures, awaiting = %v, want both", got)
		}
		if got := referentEmail(t, ft, ines); got != "ft@test.example" {
			t.Errorf("after the failures, référent = %q", got)
		}
		if res, _ := pro.json("GET", fmt.Sprintf("/api/v1/persons/%d/team", ines), nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("pro@ reads the team before being named: %d", res.StatusCode)
		}

		// The assignment makes pro@ the référent unique; the adviser stays.
		b = manager.mustJSON("POST", "/api/v1/assignments", map[string]any{"assignments": []map[string]any{
			{"person_id": ines, "referent_email": "PRO@test.example"}}}, http.StatusOK)
		if b != `{"assigned":1}`+"\n" {
			t.Errorf("answer: %s", b)
		}
		if got := referentEmail(t, pro, ines); got != "pro@test.example" {
			t.Errorf("référent after assignment = %q", got)
		}
		if got := awaiting(t, manager); len(got) != 1 || got[0] != noah {
			t.Errorf("awaiting after assignment = %v, want [%d]", got, noah)
		}
		tl := ft.mustJSON("GET", fmt.Sprintf("/api/v1/persons/%d/timeline", ines), nil, http.StatusOK)
		if !strings.Contains(tl, "devient référent unique, désigné par le gestionnaire de la structure") {
			t.Errorf("timeline: %s", tl)
		}
		if res, _ := manager.json("GET", fmt.Sprintf("/api/v1/persons/%d", ines), nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("the manager reads the record: %d", res.StatusCode)
		}
	})
}

func TestAssignReferentsPage(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	recordEnv(t, e)
	// Contracts due two months after the decision, first appointments 30
	// days after: the two delays end on different days.
	rules := orientation.Rules{DecisionDays: 42, ContractMonths: 2, AppointmentDays: 30, AppointmentTargetDays: 15}
	if err := e.store.SetOrientationRules(context.Background(), e.terr.ID, rules); err != nil {
		t.Fatal(err)
	}
	ines := orientToCCAS(t, e, "Inès", "Attente", "1988-05-17")
	manager := e.member("manager@test.example")

	home := manager.page(t, 200, "GET", "/", nil)
	for _, want := range []string{`href="/structure/affectations"`, "Structure ccas (CCAS) : 1 personne attend un référent",
		"Délais à surveiller", "Structure ccas : aucun délai dépassé", `class="fr-nav__link" href="/structure/affectations"`} {
		if !strings.Contains(home, want) {
			t.Errorf("manager's home lacks %q", want)
		}
	}

	page := manager.page(t, 200, "GET", "/structure/affectations", nil)
	wellFormed(t, "assignments", page)
	field := fmt.Sprintf("referent_%d", ines)
	for _, want := range []string{"Inès Attente", "17/05/1988", "26/12/2026", `name="` + field + `"`, `<option value="" selected>— à désigner —</option>`,
		fmt.Sprintf(`<option value="%d">`, e.accounts["pro@test.example"].ID), `for="referent-` + itoa(ines) + `"`,
		`<button class="fr-btn" type="submit">Affecter</button>`, `<caption>`, `aria-current="page"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, fmt.Sprintf(`<option value="%d">`, e.accounts["ft@test.example"].ID)) {
		t.Error("the select offers the France Travail adviser")
	}

	// Someone outside the structure: a French message on the row, nothing changed.
	page = manager.page(t, http.StatusBadRequest, "POST", "/structure/affectations",
		url.Values{field: {itoa(e.accounts["ft@test.example"].ID)}})
	for _, want := range []string{"aucun référent n'a été désigné", "Le référent doit être un professionnel actif de votre structure.",
		`href="#referent-` + itoa(ines) + `"`, `aria-invalid="true"`} {
		if !strings.Contains(page, want) {
			t.Errorf("error page lacks %q", want)
		}
	}
	if got := awaiting(t, e.apiClient("manager@test.example")); len(got) != 1 {
		t.Errorf("after the failure, awaiting = %v", got)
	}
	if page := manager.page(t, http.StatusBadRequest, "POST", "/structure/affectations", url.Values{field: {""}}); !strings.Contains(page, "choisissez un référent pour au moins une personne") {
		t.Error("an empty submission is not explained")
	}

	// Not a manager: refused.
	pro := e.member("pro@test.example")
	if res := pro.get("/structure/affectations"); res.StatusCode != http.StatusForbidden {
		t.Errorf("GET by a professional: %d", res.StatusCode)
	}
	if res := pro.post("/structure/affectations", url.Values{field: {itoa(e.accounts["pro@test.example"].ID)}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST by a professional: %d", res.StatusCode)
	}
	if got := awaiting(t, e.apiClient("manager@test.example")); len(got) != 1 {
		t.Errorf("a professional's POST changed the list: %v", got)
	}

	// The first appointment is due 30 days after the decision: a day
	// later, the homes say so.
	e.clock.Add(31 * 24 * time.Hour)
	manager = e.member("manager@test.example") // the session ended meanwhile
	home = manager.page(t, 200, "GET", "/", nil)
	if !strings.Contains(home, "Structure ccas : 1 premier rendez-vous en retard, aucun contrat d&#39;engagement en retard") {
		t.Errorf("manager's home after 31 days lacks the late appointment")
	}
	if home := e.member("pro@test.example").page(t, 200, "GET", "/", nil); !strings.Contains(home, "Délais à surveiller") ||
		!strings.Contains(home, "1 premier rendez-vous en retard") {
		t.Errorf("professional's home lacks the late appointment")
	}
	if home := e.member("coord@test.example").page(t, 200, "GET", "/", nil); !strings.Contains(home, "Orientations du territoire : aucune demande en retard") {
		t.Errorf("coordinator's home lacks the overdue requests")
	}
	page = manager.page(t, 200, "GET", "/structure/affectations", nil)
	if !strings.Contains(page, `fr-badge--error">En retard de 1 jour`) {
		t.Error("the list does not flag the late appointment")
	}

	// The assignment: a flash, and the person leaves the list.
	loc := manager.redirect(t, "/structure/affectations", url.Values{field: {itoa(e.accounts["ccas2@test.example"].ID)}})
	if loc != "/structure/affectations" {
		t.Fatalf("redirect to %q", loc)
	}
	page = manager.page(t, 200, "GET", loc, nil)
	if !strings.Contains(page, "1 référent désigné.") || !strings.Contains(page, "Personne n'attend de référent") {
		t.Errorf("after the assignment: %.3000s", page)
	}
	if got := referentEmail(t, e.apiClient("ccas2@test.example"), ines); got != "ccas2@test.example" {
		t.Errorf("référent = %q", got)
	}
	if home := manager.page(t, 200, "GET", "/", nil); !strings.Contains(home, "personne n&#39;attend de référent") ||
		!strings.Contains(home, "Structure ccas : aucun délai dépassé") {
		t.Error("the manager's home still counts the person")
	}
}

func TestFlashText(t *testing.T) {
	for _, tt := range []struct{ value, want string }{
		{"referents-assigned:1", "1 référent désigné."},
		{"referents-assigned:12", "12 référents désignés."},
		{"referents-assigned:x", ""},
		{"referents-assigned:-1", ""},
		{"inconnu:3", ""},
		{"note-added", "Note ajoutée."},
	} {
		if got := flashText(tt.value); got != tt.want {
			t.Errorf("flashText(%q) = %q, want %q", tt.value, got, tt.want)
		}
	}
}
