package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/spie-parcours/parcours/internal/orientation"
	"github.com/spie-parcours/parcours/internal/territory"
)

// pendingTotal is the total of the API queue's pending requests.
func pendingTotal(t *testing.T, e *env) int {
	t.Helper()
	var q struct{ Total int }
	b := e.apiClient("coord@test.example").mustJSON("GET", "/api/v1/orientations?status=pending", nil, http.StatusOK)
	if err := json.Unmarshal([]byte(b), &q); err != nil {
		t.Fatal(err)
	}
	return q.Total
}

// selectionEnv asks for the orientation of n people and returns the
// requests' ids.
func selectionEnv(t *testing.T, e *env, n int) []int64 {
	t.Helper()
	recordEnv(t, e)
	ccas := e.apiClient("pro@test.example")
	var ids []int64
	for i := range n {
		path := registerPerson(t, ccas, "Lot", "Personne "+string(rune('A'+i)), fmt.Sprintf("198%d-02-03", i))
		ids = append(ids, askOrientation(t, ccas, idOf(t, path), "social", ""))
	}
	return ids
}

func TestSelectionOrient(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	ids := selectionEnv(t, e, 4)
	coord := e.member("coord@test.example")
	ccas := structureID(t, e, territory.KindCCAS)

	page := coord.page(t, 200, "GET", "/orientations", nil)
	wellFormed(t, "queue", page)
	for _, want := range []string{`action="/orientations/selection"`, "Traiter la sélection", "Appliquer à la sélection",
		fmt.Sprintf(`name="ids" value="%d"`, ids[0]), `<span class="fr-sr-only">Sélectionner la demande de Lot Personne A</span>`,
		fmt.Sprintf(`<option value="%d">Structure ccas`, ccas), `<option value="ft@test.example">`, `id="selection-type-social"`} {
		if !strings.Contains(page, want) {
			t.Errorf("queue lacks %q", want)
		}
	}
	if page := coord.page(t, 200, "GET", "/orientations?statut=accepted", nil); strings.Contains(page, "Traiter la sélection") {
		t.Error("the decided requests offer the selection form")
	}

	before := pendingTotal(t, e)
	form := url.Values{"ids": {itoa(ids[0]), itoa(ids[1]), itoa(ids[3])}, "outcome": {"accepted"}, "type": {"social"},
		"structure_id": {itoa(ccas)}, "dispositif": {"Accompagnement global"}}
	if loc := coord.redirect(t, "/orientations/selection", form); loc != "/orientations" {
		t.Fatalf("after the selection: %s", loc)
	}
	ctx := context.Background()
	for i, id := range ids {
		o, err := e.store.Orientation(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := orientation.StatusAccepted
		if i == 2 {
			want = orientation.StatusPending
		}
		if o.Status != want || (want == orientation.StatusAccepted && (o.StructureID != ccas || o.ReferentID != 0 || o.Dispositif != "Accompagnement global")) {
			t.Errorf("request %d: %s to %d référent %d %q, want %s", i, o.Status, o.StructureID, o.ReferentID, o.Dispositif, want)
		}
	}
	if got := pendingTotal(t, e); got != before-3 {
		t.Errorf("pending after the selection: %d, want %d", got, before-3)
	}
	page = coord.page(t, 200, "GET", "/orientations", nil)
	if !strings.Contains(page, "3 demandes orientées : les structures sont prévenues.") || strings.Contains(page, "Lot Personne A") {
		t.Error("no flash, or an oriented request is still in the queue")
	}

	// A request decided meanwhile is reported; the others are decided.
	res := coord.post("/orientations/selection", url.Values{"ids": {itoa(ids[0]), itoa(ids[2])}, "outcome": {"accepted"},
		"type": {"social"}, "structure_id": {itoa(ccas)}})
	page = body(t, res)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "1 demande orientée") ||
		!strings.Contains(page, fmt.Sprintf("Demande n° %d : elle a déjà été traitée", ids[0])) || !strings.Contains(page, "fr-alert--warning") {
		t.Errorf("a selection with a decided request: %d\n%.3000s", res.StatusCode, page)
	}
	if got := pendingTotal(t, e); got != before-4 {
		t.Errorf("pending after the second selection: %d, want %d", got, before-4)
	}
}

func TestSelectionRefuse(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	ids := selectionEnv(t, e, 3)
	coord := e.member("coord@test.example")
	form := url.Values{"ids": {itoa(ids[0]), itoa(ids[2])}, "outcome": {"refused"}, "reason": {"Personnes déjà accompagnées par le PLIE"}}
	coord.redirect(t, "/orientations/selection", form)
	for i, id := range ids {
		o, err := e.store.Orientation(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		refused := i != 1
		if (o.Status == orientation.StatusRefused) != refused || (refused && o.RefusalReason != "Personnes déjà accompagnées par le PLIE") {
			t.Errorf("request %d: %s %q", i, o.Status, o.RefusalReason)
		}
	}
	if page := coord.page(t, 200, "GET", "/orientations", nil); !strings.Contains(page, "2 demandes refusées.") {
		t.Error("no flash after the refusals")
	}
}

func TestSelectionProblems(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	ids := selectionEnv(t, e, 2)
	coord := e.member("coord@test.example")
	ccas := structureID(t, e, territory.KindCCAS)
	for _, c := range []struct {
		name   string
		form   url.Values
		fields []string
	}{
		{"no selection", url.Values{"outcome": {"refused"}, "reason": {"Hors du champ du RSA"}}, []string{"selection-ids"}},
		{"no outcome", url.Values{"ids": {itoa(ids[0])}}, []string{"selection-outcome"}},
		{"no type nor structure", url.Values{"ids": {itoa(ids[0])}, "outcome": {"accepted"}}, []string{"selection-type", "selection-structure"}},
		{"refusal without reason", url.Values{"ids": {itoa(ids[0]), itoa(ids[1])}, "outcome": {"refused"}, "reason": {" "}}, []string{"selection-reason"}},
		{"unknown référent", url.Values{"ids": {itoa(ids[0])}, "outcome": {"accepted"}, "type": {"social"}, "structure_id": {itoa(ccas)},
			"referent_email": {"inconnu@test.example"}}, []string{"selection-referent"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			page := coord.page(t, 400, "POST", "/orientations/selection", c.form)
			wellFormed(t, c.name, page)
			for _, f := range c.fields {
				if !strings.Contains(page, `id="`+f+`-erreur"`) || !strings.Contains(page, `href="#`+f+`"`) {
					t.Errorf("no message under %s, or not in the summary", f)
				}
			}
			for _, id := range c.form["ids"] {
				if !strings.Contains(page, `value="`+id+`" checked`) {
					t.Errorf("request %s is no longer selected", id)
				}
			}
		})
	}
	if got := pendingTotal(t, e); got != 2 {
		t.Errorf("pending after invalid selections: %d, want 2", got)
	}
}

func TestSelectionCoordinatorsOnly(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	ids := selectionEnv(t, e, 1)
	other := otherTerritoryRequest(t, e)
	pro := e.member("pro@test.example")
	form := url.Values{"ids": {itoa(ids[0])}, "outcome": {"refused"}, "reason": {"Pas de mon ressort"}}
	if res := pro.post("/orientations/selection", form); res.StatusCode != http.StatusForbidden {
		t.Errorf("selection by a professional: %d, want 403", res.StatusCode)
	}
	// Another territory's request is reported, never decided.
	coord := e.member("coord@test.example")
	page := coord.page(t, 409, "POST", "/orientations/selection", url.Values{"ids": {itoa(other)}, "outcome": {"refused"},
		"reason": {"Hors territoire"}})
	if !strings.Contains(page, fmt.Sprintf("Demande n° %d : cette demande n&#39;existe pas dans votre territoire.", other)) {
		t.Error("another territory's request is not reported")
	}
	if o, err := e.store.Orientation(context.Background(), other); err != nil || o.Status != orientation.StatusPending {
		t.Errorf("another territory's request: %s %v", o.Status, err)
	}
	if got := pendingTotal(t, e); got != 1 {
		t.Errorf("pending: %d, want 1", got)
	}
}
