package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/appointment"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

// agendaFixture gives the CCAS an accompaniment type and the CCAS
// professional an agenda open every weekday 9:00–12:00 by 30 minutes, at
// the CCAS's front desk.
type agendaFixture struct {
	typeID, agendaID, ccas int64
}

func newAgendaFixture(t *testing.T, e *env) agendaFixture {
	t.Helper()
	ctx := context.Background()
	f := agendaFixture{ccas: structureID(t, e, territory.KindCCAS)}
	typ := appointment.Type{TerritoryID: e.terr.ID, Category: appointment.CategoryAccompaniment, Label: "Premier rendez-vous RSA-MARQUEUR",
		DurationMin: 30, Capacity: 1}
	if err := e.store.SaveAppointmentType(ctx, &typ); err != nil {
		t.Fatal(err)
	}
	ag := appointment.Agenda{TerritoryID: e.terr.ID, StructureID: f.ccas, AccountID: e.accounts["pro@test.example"].ID, Name: "Agenda de test",
		Active: true, Places: []appointment.Place{{Kind: appointment.PlaceAddress, Label: "Accueil du CCAS", Address: "2 rue de l'Essai", CommuneINSEE: "90010"}}}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		ag.Rules = append(ag.Rules, appointment.Rule{TypeID: typ.ID, PlaceID: -1, Weekday: wd, Start: 9 * 60, End: 12 * 60})
	}
	if err := e.store.SaveAgenda(ctx, &ag, store.Actor{At: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	f.typeID, f.agendaID = typ.ID, ag.ID
	return f
}

// freeSlot returns the first free slot of the fixture's agenda.
func freeSlot(t *testing.T, e *env, f agendaFixture) appointment.Slot {
	t.Helper()
	now := e.clock.Now()
	slots, err := e.store.Slots(context.Background(), store.SlotFilter{TerritoryID: e.terr.ID, AgendaIDs: []int64{f.agendaID},
		From: now, To: now.AddDate(0, 0, 14), Now: now, FreeOnly: true})
	if err != nil || len(slots) == 0 {
		t.Fatalf("no free slot: %v", err)
	}
	return slots[0]
}

type followUpsJSON struct {
	Items []struct {
		PersonID       int64  `json:"person_id"`
		Status         string `json:"status"`
		ActionRequired bool   `json:"action_required"`
	}
}

// orientToCCASFrom registers a person by the CCAS professional, with an
// email and a mobile, and has the coordinator orient them to the CCAS with
// the professional as référent.
func personForAppointments(t *testing.T, e *env, api *client) int64 {
	t.Helper()
	path := registerPerson(t, api, "Jeanne", "Rendezvous", "1985-02-03")
	api.mustJSON("PATCH", path, map[string]any{"email": "jeanne@exemple.invalid", "phone": "06 39 98 00 11"}, http.StatusOK)
	id, err := strconv.ParseInt(path[strings.LastIndexByte(path, '/')+1:], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestInvitationDelaysAndFollowUp: an invitation is reminded on day 3 and
// expires on its date (a controllable clock); the follow-up status and the
// list of people needing an action change accordingly; a convocation is
// allowed only then.
func TestInvitationDelaysAndFollowUp(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		f := newAgendaFixture(t, e)
		api := e.apiClient("pro@test.example")
		id := personForAppointments(t, e, api)
		coord := e.apiClient("coord@test.example")
		var o struct{ ID int64 }
		if err := json.Unmarshal([]byte(api.mustJSON("POST", "/api/v1/orientations", map[string]any{"person_id": id, "suggested_type": "social",
			"reason": "Accompagnement social"}, http.StatusCreated)), &o); err != nil {
			t.Fatal(err)
		}
		coord.mustJSON("POST", "/api/v1/orientations/"+itoa(o.ID)+"/decision", map[string]any{"outcome": "accepted", "type": "social",
			"structure_id": f.ccas, "referent_email": "pro@test.example"}, http.StatusOK)
		status := func() (string, bool) {
			t.Helper()
			var out followUpsJSON
			if err := json.Unmarshal([]byte(api.mustJSON("GET", "/api/v1/follow-ups?structure_id="+itoa(f.ccas), nil, http.StatusOK)), &out); err != nil {
				t.Fatal(err)
			}
			for _, it := range out.Items {
				if it.PersonID == id {
					return it.Status, it.ActionRequired
				}
			}
			return "", false
		}
		if st, _ := status(); st != "not_invited" {
			t.Fatalf("before any invitation: %q", st)
		}
		// A convocation is not allowed before an expired invitation.
		sl := freeSlot(t, e, f)
		res, b := api.json("POST", "/api/v1/appointments", map[string]any{"person_id": id, "agenda_id": f.agendaID, "type_id": f.typeID,
			"starts_at": sl.StartsAt, "convocation": true})
		if res.StatusCode != http.StatusConflict {
			t.Errorf("convocation of a person not invited: %d %s", res.StatusCode, b)
		}
		var inv struct {
			ID        int64     `json:"id"`
			ExpiresAt time.Time `json:"expires_at"`
		}
		if err := json.Unmarshal([]byte(api.mustJSON("POST", "/api/v1/invitations", map[string]any{"person_id": id, "type_id": f.typeID,
			"channels": []string{"email", "sms"}}, http.StatusCreated)), &inv); err != nil {
			t.Fatal(err)
		}
		if days := inv.ExpiresAt.Sub(e.clock.Now()).Hours() / 24; days < 9.5 || days > 11 {
			t.Errorf("invitation valid %.1f days, want the default 10", days)
		}
		if st, act := status(); st != "invitation_pending" || act {
			t.Errorf("after the invitation: %q (action %v)", st, act)
		}
		e.drain()
		sent := len(e.mail.Sent())
		for _, m := range e.mail.Sent() {
			if strings.Contains(m.Body+m.Subject, "MARQUEUR") {
				t.Errorf("a message names the type's label: %q", m.Body)
			}
		}
		ctx := context.Background()
		e.clock.Add(2 * 24 * time.Hour)
		if n, err := e.store.RemindInvitations(ctx, e.clock.Now(), "https://parcours.test"); err != nil || n != 0 {
			t.Errorf("reminders at day 2: %d %v", n, err)
		}
		e.clock.Add(24 * time.Hour)
		if n, err := e.store.RemindInvitations(ctx, e.clock.Now(), "https://parcours.test"); err != nil || n != 1 {
			t.Errorf("reminders at day 3: %d %v", n, err)
		}
		if e.drain(); len(e.mail.Sent()) != sent+2 {
			t.Errorf("the reminder went by %d messages, want an email and an SMS", len(e.mail.Sent())-sent)
		}
		if n, _ := e.store.ExpireInvitations(ctx, e.clock.Now(), "https://parcours.test"); n != 0 {
			t.Errorf("expired at day 3: %d", n)
		}
		e.clock.Add(inv.ExpiresAt.Sub(e.clock.Now()) + time.Minute)
		if n, err := e.store.ExpireInvitations(ctx, e.clock.Now(), "https://parcours.test"); err != nil || n != 1 {
			t.Errorf("expiries at the date: %d %v", n, err)
		}
		if st, act := status(); st != "invitation_expired" || !act {
			t.Errorf("after the expiry: %q (action %v)", st, act)
		}
		// The list of people needing an action now holds the person; a
		// convocation is allowed and makes the status rdv_pending.
		page := e.signIn("pro@test.example")
		if b := body(t, page.get("/suivi")); !strings.Contains(b, "Rendezvous") || !strings.Contains(b, "Invitation sans réponse") {
			t.Error("the follow-up page does not list the person needing an action")
		}
		sl = freeSlot(t, e, f)
		var app struct{ ID int64 }
		if err := json.Unmarshal([]byte(api.mustJSON("POST", "/api/v1/appointments", map[string]any{"person_id": id, "agenda_id": f.agendaID,
			"type_id": f.typeID, "starts_at": sl.StartsAt, "convocation": true}, http.StatusCreated)), &app); err != nil {
			t.Fatal(err)
		}
		if st, act := status(); st != "rdv_pending" || act {
			t.Errorf("after the convocation: %q (action %v)", st, act)
		}
		if b := body(t, page.get("/personnes/"+itoa(id)+"/rendez-vous/"+itoa(app.ID)+"/convocation")); !strings.Contains(b, "Convocation à un rendez-vous") ||
			!strings.Contains(b, "Jeanne Rendezvous") {
			t.Error("the convocation letter does not render")
		}
		// A future appointment cannot be marked seen; once passed, a no-show
		// asks for an action again.
		res, _ = api.json("PATCH", "/api/v1/appointments/"+itoa(app.ID), map[string]string{"status": "seen"})
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("seen before it happens: %d", res.StatusCode)
		}
		e.clock.Add(sl.StartsAt.Sub(e.clock.Now()) + time.Hour)
		if st, act := status(); st != "rdv_needs_status_update" || !act {
			t.Errorf("after the date: %q (action %v)", st, act)
		}
		api.mustJSON("PATCH", "/api/v1/appointments/"+itoa(app.ID), map[string]string{"status": "noshow"}, http.StatusOK)
		if st, _ := status(); st != "rdv_noshow" {
			t.Errorf("after a no-show: %q", st)
		}
		tl := api.mustJSON("GET", "/api/v1/persons/"+itoa(id)+"/timeline", nil, http.StatusOK)
		for _, want := range []string{"Invitation à prendre rendez-vous envoyée", "Invitation expirée", "Convocation au rendez-vous"} {
			if !strings.Contains(tl, want) {
				t.Errorf("timeline lacks %q", want)
			}
		}
	})
}

// TestBookingPagesAndAccess: the professional books for the person through
// the page; a wrong slot gets a French message; outsiders read nothing.
func TestBookingPagesAndAccess(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		recordEnv(t, e)
		f := newAgendaFixture(t, e)
		api := e.apiClient("pro@test.example")
		id := personForAppointments(t, e, api)
		page := e.signIn("pro@test.example")
		res := page.get("/personnes/" + itoa(id) + "/rendez-vous?structure=" + itoa(f.ccas) + "&type=" + itoa(f.typeID))
		b := body(t, res)
		if res.StatusCode != http.StatusOK || !strings.Contains(b, `name="slot"`) {
			t.Fatalf("booking page: %d", res.StatusCode)
		}
		sl := freeSlot(t, e, f)
		form := url.Values{"structure_id": {itoa(f.ccas)}, "type_id": {itoa(f.typeID)},
			"slot": {itoa(f.agendaID) + "|" + strconv.FormatInt(sl.StartsAt.Unix(), 10)}}
		if res := page.post("/personnes/"+itoa(id)+"/rendez-vous", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("booking: %d %s", res.StatusCode, body(t, res))
		}
		form.Set("slot", itoa(f.agendaID)+"|"+strconv.FormatInt(sl.StartsAt.Add(7*time.Minute).Unix(), 10))
		if res := page.post("/personnes/"+itoa(id)+"/rendez-vous", form); res.StatusCode != http.StatusBadRequest ||
			!strings.Contains(body(t, res), "Choisissez un créneau proposé par l&#39;agenda") {
			t.Errorf("a slot that does not exist: %d", res.StatusCode)
		}
		var apps struct {
			Items []struct{ Status, Origin string }
		}
		if err := json.Unmarshal([]byte(api.mustJSON("GET", "/api/v1/appointments?person_id="+itoa(id), nil, http.StatusOK)), &apps); err != nil {
			t.Fatal(err)
		}
		if len(apps.Items) != 1 || apps.Items[0].Origin != "agent" || apps.Items[0].Status != "unknown" {
			t.Errorf("appointments = %+v", apps.Items)
		}
		e.drain()
		var confirmed bool
		for _, m := range e.mail.Sent() {
			if m.To == "jeanne@exemple.invalid" && len(m.Attachments) == 1 && strings.Contains(string(m.Attachments[0].Data), "BEGIN:VCALENDAR") {
				confirmed = true
			}
		}
		if !confirmed {
			t.Error("no confirmation email with its iCalendar invitation")
		}
		for _, email := range []string{"ml@test.example", "emp@test.example"} {
			if res, _ := e.apiClient(email).json("GET", "/api/v1/appointments?person_id="+itoa(id), nil); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s reads the appointments: %d", email, res.StatusCode)
			}
		}
		if res, _ := e.apiClient("ml@test.example").json("GET", "/api/v1/follow-ups?structure_id="+itoa(f.ccas), nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("a professional of another structure reads the CCAS's follow-ups: %d", res.StatusCode)
		}
		for _, p := range []string{"/personnes/" + itoa(id) + "/rendez-vous", "/suivi?action=toutes", "/indicateurs"} {
			if res := page.get(p); res.StatusCode != http.StatusOK {
				t.Errorf("%s: %d", p, res.StatusCode)
			}
		}
		var ind struct{ Items []struct{ Month string } }
		if err := json.Unmarshal([]byte(api.mustJSON("GET", "/api/v1/indicators?structure_id="+itoa(f.ccas), nil, http.StatusOK)), &ind); err != nil {
			t.Fatal(err)
		}
		if len(ind.Items) != 12 {
			t.Errorf("%d months of indicators, want 12", len(ind.Items))
		}
	})
}
