package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/territory"
)

// TestOrientationFromCCASToFranceTravail: a person registered at the CCAS
// and oriented "pro" to France Travail appears in the advisor's caseload
// with the record (without the health section) and the whole history; the
// CCAS social worker keeps access only while still in the team.
func TestOrientationFromCCASToFranceTravail(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		recordEnv(t, e)
		ctx := context.Background()
		ccas, ft, coord := e.apiClient("pro@test.example"), e.apiClient("ft@test.example"), e.apiClient("coord@test.example")
		path := registerPerson(t, ccas, "Kenza", "Meyer", "1991-08-08")
		id := idOf(t, path)
		ccas.mustJSON("POST", path+"/notes", map[string]any{"text": "MARQUEUR-SANTE-ORIENT", "visibility": "team", "section": "health"}, http.StatusCreated)
		ccas.mustJSON("POST", path+"/notes", map[string]any{"text": "Souhaite travailler dans la logistique", "visibility": "team"}, http.StatusCreated)
		b := ccas.mustJSON("POST", "/api/v1/orientations", map[string]any{"person_id": id, "suggested_type": "pro", "reason": "Projet professionnel clair"}, http.StatusCreated)
		var o struct {
			ID       int64
			Status   string
			DueDate  string `json:"due_date"`
			DaysLeft int    `json:"days_left"`
		}
		_ = json.Unmarshal([]byte(b), &o)
		if o.Status != "pending" || o.DueDate != e.clock.Now().AddDate(0, 0, 42).Format("2006-01-02") || o.DaysLeft != 42 {
			t.Fatalf("request: %s", b)
		}
		// Only coordinators see the queue; a second request is refused.
		if res, _ := ccas.json("GET", "/api/v1/orientations", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("professional reads the queue: %d", res.StatusCode)
		}
		if res, _ := ccas.json("POST", "/api/v1/orientations", map[string]any{"person_id": id, "reason": "encore"}); res.StatusCode != http.StatusConflict {
			t.Errorf("second pending request: %d", res.StatusCode)
		}
		q := coord.mustJSON("GET", "/api/v1/orientations?status=pending", nil, http.StatusOK)
		if !strings.Contains(q, `"first_name":"Kenza"`) || strings.Contains(q, "MARQUEUR") {
			t.Errorf("queue: %s", q)
		}
		ftStructure := structureID(t, e, territory.KindFranceTravail)
		res, b := coord.json("POST", fmt.Sprintf("/api/v1/orientations/%d/decision", o.ID), map[string]any{
			"outcome": "accepted", "type": "pro", "structure_id": ftStructure, "referent_email": "ft@test.example"})
		if res.StatusCode != http.StatusOK || !strings.Contains(b, `"status":"accepted"`) || !strings.Contains(b, "contract_due_date") {
			t.Fatalf("decision: %d %s", res.StatusCode, b)
		}
		// The advisor now has the person, as référent, with the history.
		if cl := ft.mustJSON("GET", "/api/v1/persons?q=meyer", nil, http.StatusOK); !strings.Contains(cl, `"referent":true`) {
			t.Errorf("caseload of the advisor: %s", cl)
		}
		tl := ft.mustJSON("GET", path+"/timeline", nil, http.StatusOK)
		for _, want := range []string{"Demande d'orientation", "Orientation professionnelle vers Structure france_travail", "Personne inscrite"} {
			if !strings.Contains(tl, want) {
				t.Errorf("timeline lacks %q: %s", want, tl)
			}
		}
		// As référent unique the advisor reads the sensitive sections too
		// (the territory's default: the social structures plus the référent).
		notes := ft.mustJSON("GET", path+"/notes", nil, http.StatusOK)
		if !strings.Contains(notes, "logistique") || !strings.Contains(notes, "MARQUEUR-SANTE-ORIENT") {
			t.Errorf("advisor's notes: %s", notes)
		}
		// The messages name nobody.
		if e.drain() == 0 {
			t.Fatal("no message to the référent")
		}
		for _, m := range e.mail.Messages {
			if strings.Contains(m.Body, "Meyer") || strings.Contains(m.Subject, "Meyer") {
				t.Errorf("the notification names the person: %+v", m)
			}
		}
		// The CCAS worker is still a member; once removed, access ends.
		ccas.mustJSON("GET", path, nil, http.StatusOK)
		ft.mustJSON("DELETE", fmt.Sprintf("%s/team/%d", path, e.accounts["pro@test.example"].ID), nil, http.StatusNoContent)
		if res, _ := ccas.json("GET", path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("former référent after removal: %d", res.StatusCode)
		}
		_ = ctx
	})
}

func structureID(t *testing.T, e *env, kind territory.Kind) int64 {
	t.Helper()
	st, err := e.store.StructureByName(context.Background(), e.terr.ID, "Structure "+string(kind))
	if err != nil {
		t.Fatal(err)
	}
	return st.ID
}

func TestQueueOverdueFirstAndRefusal(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		recordEnv(t, e)
		ccas, coord := e.apiClient("pro@test.example"), e.apiClient("coord@test.example")
		var ids []int64
		for i, name := range []string{"Ancien", "Moyen", "Récent"} {
			path := registerPerson(t, ccas, "Test", name, fmt.Sprintf("198%d-01-01", i))
			b := ccas.mustJSON("POST", "/api/v1/orientations", map[string]any{"person_id": idOf(t, path), "suggested_type": "social"}, http.StatusCreated)
			var o struct{ ID int64 }
			_ = json.Unmarshal([]byte(b), &o)
			ids = append(ids, o.ID)
			e.clock.Add(30 * 24 * time.Hour)
		}
		var q struct {
			Items []struct {
				ID       int64
				Overdue  bool
				DueDate  string `json:"due_date"`
				DaysLeft int    `json:"days_left"`
			}
			Total int
		}
		_ = json.Unmarshal([]byte(coord.mustJSON("GET", "/api/v1/orientations", nil, http.StatusOK)), &q)
		if q.Total != 3 || len(q.Items) != 3 || q.Items[0].ID != ids[0] || !q.Items[0].Overdue || !q.Items[1].Overdue || q.Items[2].Overdue {
			t.Fatalf("queue order or flags: %+v", q)
		}
		if q.Items[0].DaysLeft >= 0 || q.Items[0].DueDate == "" {
			t.Errorf("overdue item: %+v", q.Items[0])
		}
		res, b := coord.json("POST", fmt.Sprintf("/api/v1/orientations/%d/decision", ids[1]), map[string]any{})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(b, `"field":"outcome"`) {
			t.Errorf("empty decision: %d %s", res.StatusCode, b)
		}
		res, b = coord.json("POST", fmt.Sprintf("/api/v1/orientations/%d/decision", ids[1]), map[string]any{"outcome": "refused"})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(b, `"field":"reason"`) {
			t.Errorf("refusal without reason: %d %s", res.StatusCode, b)
		}
		coord.mustJSON("POST", fmt.Sprintf("/api/v1/orientations/%d/decision", ids[1]), map[string]any{"outcome": "refused", "reason": "Personne déjà accompagnée par le PLIE"}, http.StatusOK)
		if res, _ := coord.json("POST", fmt.Sprintf("/api/v1/orientations/%d/decision", ids[1]), map[string]any{"outcome": "refused", "reason": "encore une fois"}); res.StatusCode != http.StatusConflict {
			t.Errorf("second decision: %d", res.StatusCode)
		}
		_ = json.Unmarshal([]byte(coord.mustJSON("GET", "/api/v1/orientations?status=pending", nil, http.StatusOK)), &q)
		if q.Total != 2 {
			t.Errorf("pending after refusal: %d", q.Total)
		}
	})
}

func TestReorientation(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		recordEnv(t, e)
		ccas, coord := e.apiClient("pro@test.example"), e.apiClient("coord@test.example")
		path := registerPerson(t, ccas, "Louis", "Girard", "1979-04-04")
		id := idOf(t, path)
		ccas.mustJSON("POST", path+"/team", map[string]any{"email": "ft@test.example"}, http.StatusCreated)
		// A member who is not the référent cannot ask.
		if res, _ := e.apiClient("ft@test.example").json("POST", "/api/v1/reorientations", map[string]any{"person_id": id, "to_type": "pro", "reason": "Projet mûr"}); res.StatusCode != http.StatusNotFound {
			t.Errorf("member asks for a reorientation: %d", res.StatusCode)
		}
		b := ccas.mustJSON("POST", "/api/v1/reorientations", map[string]any{"person_id": id, "to_type": "pro", "reason": "Le projet professionnel est mûr"}, http.StatusCreated)
		var ro struct{ ID int64 }
		_ = json.Unmarshal([]byte(b), &ro)
		res, b := coord.json("POST", fmt.Sprintf("/api/v1/reorientations/%d/decision", ro.ID), map[string]any{"outcome": "denied"})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(b, "reason") {
			t.Errorf("denial without reason: %d %s", res.StatusCode, b)
		}
		b = coord.mustJSON("POST", fmt.Sprintf("/api/v1/reorientations/%d/decision", ro.ID), map[string]any{
			"outcome": "accepted", "type": "pro", "structure_id": structureID(t, e, territory.KindFranceTravail), "referent_email": "ft@test.example"}, http.StatusOK)
		if !strings.Contains(b, `"status":"accepted"`) {
			t.Fatalf("acceptance: %s", b)
		}
		var team struct {
			Items []struct {
				Email    string
				Referent bool
			}
		}
		_ = json.Unmarshal([]byte(ccas.mustJSON("GET", path+"/team", nil, http.StatusOK)), &team)
		for _, m := range team.Items {
			if m.Referent != (m.Email == "ft@test.example") {
				t.Errorf("team after reorientation: %+v", team.Items)
			}
		}
		if tl := ccas.mustJSON("GET", path+"/timeline", nil, http.StatusOK); !strings.Contains(tl, "Réorientation acceptée") {
			t.Errorf("timeline: %s", tl)
		}
	})
}

func TestDecisionNamesAListedDispositif(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	recordEnv(t, e)
	ccas, coord := e.apiClient("pro@test.example"), e.apiClient("coord@test.example")
	path := registerPerson(t, ccas, "Hugo", "Fontaine", "1984-02-02")
	b := ccas.mustJSON("POST", "/api/v1/orientations", map[string]any{"person_id": idOf(t, path)}, http.StatusCreated)
	var o struct{ ID int64 }
	_ = json.Unmarshal([]byte(b), &o)
	if err := e.store.AddDispositif(context.Background(), e.terr.ID, "Parcours renforcé"); err != nil {
		t.Fatal(err)
	}
	decide := map[string]any{"outcome": "accepted", "type": "social", "structure_id": structureID(t, e, territory.KindCCAS), "dispositif": "Inventé"}
	res, b := coord.json("POST", fmt.Sprintf("/api/v1/orientations/%d/decision", o.ID), decide)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(b, "Parcours renforcé") {
		t.Errorf("unlisted dispositif: %d %s", res.StatusCode, b)
	}
	decide["dispositif"] = "Parcours renforcé"
	coord.mustJSON("POST", fmt.Sprintf("/api/v1/orientations/%d/decision", o.ID), decide, http.StatusOK)
}

func TestOrientationRequestWithNote(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	recordEnv(t, e)
	ccas := e.apiClient("pro@test.example")
	path := registerPerson(t, ccas, "Léon", "Perrin", "1970-06-06")
	ccas.mustJSON("POST", "/api/v1/orientations", map[string]any{"person_id": idOf(t, path), "suggested_type": "sociopro",
		"note": "Disponible le matin ; préfère être contacté par téléphone."}, http.StatusCreated)
	if notes := ccas.mustJSON("GET", path+"/notes", nil, http.StatusOK); !strings.Contains(notes, "Disponible le matin") || !strings.Contains(notes, `"visibility":"team"`) {
		t.Errorf("attached note: %s", notes)
	}
	res, b := ccas.json("POST", "/api/v1/orientations", map[string]any{"person_id": idOf(t, path), "note": strings.Repeat("x", 10001)})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(b, `"field":"note"`) {
		t.Errorf("note too long: %d %s", res.StatusCode, b)
	}
}
