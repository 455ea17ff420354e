package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/appointment"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

// The environment's clock reads Thursday 26 November 2026, 9:00 UTC: the
// coming week runs from Monday 30 November to Sunday 6 December, Paris is
// at UTC+1, and a 9:00 slot in Paris starts at 8:00 UTC.

// agendaTypeIDs are the appointment types the territory's administrator
// creates for the agenda tests.
type agendaTypeIDs struct {
	accompaniment, information int64
}

// newAgendaTypes creates, through the API of the administrator, a
// 30-minute accompaniment and a 60-minute collective session for 10.
func newAgendaTypes(t *testing.T, e *env) agendaTypeIDs {
	t.Helper()
	admin := e.apiClient("admin@test.example")
	var ids agendaTypeIDs
	for _, x := range []struct {
		dst  *int64
		body map[string]any
	}{
		{&ids.accompaniment, map[string]any{"category": "accompaniment", "label": "Rendez-vous d'accompagnement", "duration_min": 30}},
		{&ids.information, map[string]any{"category": "information", "label": "Information collective RSA", "duration_min": 60, "capacity": 10}},
	} {
		var out struct{ ID int64 }
		if err := json.Unmarshal([]byte(admin.mustJSON("POST", "/api/v1/appointment-types", x.body, http.StatusCreated)), &out); err != nil || out.ID == 0 {
			t.Fatalf("type: %v", err)
		}
		*x.dst = out.ID
	}
	return ids
}

type agendaOut struct {
	ID          int64  `json:"id"`
	StructureID int64  `json:"structure_id"`
	AccountID   int64  `json:"account_id"`
	Name        string `json:"name"`
	Places      []struct {
		ID    int64  `json:"id"`
		Label string `json:"label"`
	} `json:"places"`
	Rules []struct {
		Weekday int    `json:"weekday"`
		Start   string `json:"start"`
		End     string `json:"end"`
		PlaceID int64  `json:"place_id"`
	} `json:"rules"`
	Exceptions []struct {
		Date   string `json:"date"`
		Closed bool   `json:"closed"`
	} `json:"exceptions"`
}

// createAgendaAPI creates through the API an agenda of the CCAS open on
// Tuesdays from 9:00 to 12:00 for accompaniments, for the account (0: the
// structure).
func createAgendaAPI(t *testing.T, c *client, e *env, types agendaTypeIDs, name string, accountID int64) agendaOut {
	t.Helper()
	var out agendaOut
	b := c.mustJSON("POST", "/api/v1/agendas", map[string]any{"structure_id": structureID(t, e, territory.KindCCAS), "account_id": accountID,
		"name": name, "places": []map[string]any{{"kind": "address", "label": "Accueil du CCAS", "address": "2 rue de l'Essai", "commune_insee": "90010"}},
		"rules": []map[string]any{{"type_id": types.accompaniment, "place_index": 0, "weekday": 2, "start": "09:00", "end": "12:00"}}},
		http.StatusCreated)
	if err := json.Unmarshal([]byte(b), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

type slotOut struct {
	AgendaID    int64     `json:"agenda_id"`
	StructureID int64     `json:"structure_id"`
	TypeID      int64     `json:"type_id"`
	PlaceID     int64     `json:"place_id"`
	StartsAt    time.Time `json:"starts_at"`
	DurationMin int       `json:"duration_min"`
	Capacity    int       `json:"capacity"`
	Free        int       `json:"free"`
}

// slotsOf reads /api/v1/slots with the query.
func slotsOf(t *testing.T, c *client, query string) []slotOut {
	t.Helper()
	var out struct{ Items []slotOut }
	if err := json.Unmarshal([]byte(c.mustJSON("GET", "/api/v1/slots?"+query, nil, http.StatusOK)), &out); err != nil {
		t.Fatal(err)
	}
	return out.Items
}

// startsOn lists the starts (UTC, "15:04") of the slots of an agenda on a
// civil date of Paris.
func startsOn(slots []slotOut, agendaID int64, day string) []string {
	var out []string
	for _, s := range slots {
		if s.AgendaID == agendaID && s.StartsAt.In(paris).Format(dateLayout) == day {
			out = append(out, s.StartsAt.UTC().Format("15:04"))
		}
	}
	return out
}

// unescaped is a page with its HTML entities decoded, to look for French
// text with apostrophes.
func unescaped(page string) string { return html.UnescapeString(page) }

var idAttr = regexp.MustCompile(`\sid="([^"]+)"`)

// agendaPageChecked fails when a page lacks its heading, carries inline
// style or script, or gives two elements the same id (a label would then
// name the wrong field).
func agendaPageChecked(t *testing.T, what, page string) {
	t.Helper()
	wellFormed(t, what, page)
	seen := map[string]bool{}
	for _, m := range idAttr.FindAllStringSubmatch(page, -1) {
		if seen[m[1]] {
			t.Errorf("%s: id %q twice", what, m[1])
		}
		seen[m[1]] = true
	}
}

func TestAppointmentTypesAdministration(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		admin := e.member("admin@test.example")
		page := unescaped(admin.page(t, http.StatusOK, http.MethodGet, "/administration/rendez-vous", nil))
		agendaPageChecked(t, "settings", page)
		if !strings.Contains(page, "Aucun motif") || !strings.Contains(page, `value="10"`) {
			t.Errorf("empty settings page: no empty list or no default of 10 days")
		}
		page = unescaped(admin.page(t, http.StatusBadRequest, http.MethodPost, "/administration/rendez-vous", url.Values{"formulaire": {"motif"},
			"motif-categorie": {"accompaniment"}, "motif-libelle": {""}, "motif-duree": {"5"}, "motif-capacite": {"0"}}))
		for _, want := range []string{`href="#motif-libelle"`, `href="#motif-duree"`, `href="#motif-capacite"`,
			"Indiquez le nom du motif", "La durée est un nombre de minutes de 10 à 240.", `value="5"`} {
			if !strings.Contains(page, want) {
				t.Errorf("invalid type: the page lacks %q", want)
			}
		}
		form := url.Values{"formulaire": {"motif"}, "motif-categorie": {"accompaniment"}, "motif-libelle": {"Premier accompagnement"},
			"motif-duree": {"30"}, "motif-capacite": {"1"}}
		if loc := admin.redirect(t, "/administration/rendez-vous", form); loc != "/administration/rendez-vous" {
			t.Errorf("saved type redirects to %q", loc)
		}
		page = unescaped(admin.page(t, http.StatusOK, http.MethodGet, "/administration/rendez-vous", nil))
		if !strings.Contains(page, "Le motif de rendez-vous est enregistré.") || !strings.Contains(page, "Premier accompagnement") ||
			!strings.Contains(page, "30 min") {
			t.Error("the type is not listed after its creation")
		}
		if page := unescaped(admin.page(t, http.StatusBadRequest, http.MethodPost, "/administration/rendez-vous", form)); !strings.Contains(page,
			"Un motif porte déjà ce nom dans le territoire.") {
			t.Error("a second type of the same label is not refused in French")
		}

		api := e.apiClient("admin@test.example")
		var info apiAppointmentType
		if err := json.Unmarshal([]byte(api.mustJSON("POST", "/api/v1/appointment-types", map[string]any{"category": "information",
			"label": "Information collective", "duration_min": 90, "capacity": 12}, http.StatusCreated)), &info); err != nil {
			t.Fatal(err)
		}
		if !info.Collective || info.Capacity != 12 || info.CategoryLabel != "Information collective" {
			t.Errorf("collective type = %+v", info)
		}
		api.mustJSON("POST", "/api/v1/appointment-types", map[string]any{"category": "information", "label": "Information collective",
			"duration_min": 60}, http.StatusConflict)
		res, b := api.json("POST", "/api/v1/appointment-types", map[string]any{"category": "rdv", "label": "X", "duration_min": 300, "capacity": 500})
		if res.StatusCode != http.StatusBadRequest {
			t.Fatalf("invalid type: %d", res.StatusCode)
		}
		for _, f := range []string{`"field":"category"`, `"field":"duration_min"`, `"field":"capacity"`} {
			if !strings.Contains(b, f) {
				t.Errorf("invalid type: no message on %s in %s", f, b)
			}
		}
		if res, _ := e.apiClient("pro@test.example").json("POST", "/api/v1/appointment-types", map[string]any{"category": "information",
			"label": "Y", "duration_min": 60}); res.StatusCode != http.StatusForbidden {
			t.Errorf("a professional creates a type: %d", res.StatusCode)
		}
		for _, email := range []string{"pro@test.example", "emp@test.example"} {
			var list struct{ Items []apiAppointmentType }
			if err := json.Unmarshal([]byte(e.apiClient(email).mustJSON("GET", "/api/v1/appointment-types", nil, http.StatusOK)), &list); err != nil {
				t.Fatal(err)
			}
			if len(list.Items) != 2 {
				t.Errorf("%s reads %d types, want 2", email, len(list.Items))
			}
		}

		// Edit the first type: 45 minutes.
		ts, err := e.store.AppointmentTypes(context.Background(), e.terr.ID)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(ts, func(ty appointment.Type) bool { return ty.Label == "Premier accompagnement" })
		if i < 0 {
			t.Fatal("type not stored")
		}
		page = unescaped(admin.page(t, http.StatusOK, http.MethodGet, "/administration/rendez-vous?modifier="+itoa(ts[i].ID), nil))
		if !strings.Contains(page, "Modifier le motif « Premier accompagnement »") {
			t.Error("the edit form is not filled")
		}
		form.Set("motif-id", itoa(ts[i].ID))
		form.Set("motif-duree", "45")
		admin.redirect(t, "/administration/rendez-vous", form)
		if ty, err := e.store.AppointmentType(context.Background(), ts[i].ID); err != nil || ty.DurationMin != 45 {
			t.Errorf("edited type = %+v, %v", ty, err)
		}

		// Invitations: 1 to 60 days.
		if page := unescaped(admin.page(t, http.StatusBadRequest, http.MethodPost, "/administration/rendez-vous",
			url.Values{"formulaire": {"invitations"}, "jours": {"90"}})); !strings.Contains(page, "Nombre de jours attendu, de 1 à 60.") {
			t.Error("90 days are not refused")
		}
		admin.redirect(t, "/administration/rendez-vous", url.Values{"formulaire": {"invitations"}, "jours": {"15"}})
		if n, err := e.store.InvitationDays(context.Background(), e.terr.ID); err != nil || n != 15 {
			t.Errorf("invitation days = %d, %v", n, err)
		}

		pro := e.member("pro@test.example")
		if res := pro.get("/administration/rendez-vous"); res.StatusCode != http.StatusForbidden {
			t.Errorf("a professional reads the settings: %d", res.StatusCode)
		}
	})
}

// agendaForm is the creation form of a Tuesday 9:00–12:00 agenda of the
// CCAS professional, at an address of Belfort.
func agendaForm(e *env, types agendaTypeIDs, name string) url.Values {
	return url.Values{"nom": {name}, "structure": {itoa(structureIDOf(e, territory.KindCCAS))}, "proprietaire": {itoa(e.accounts["pro@test.example"].ID)},
		"lieu-nouveau-type": {"address"}, "lieu-nouveau-libelle": {"Accueil du CCAS"}, "lieu-nouveau-adresse": {"2 rue de l'Essai"},
		"lieu-nouveau-commune": {"Belfort"}, "plage-2-1-debut": {"09:00"}, "plage-2-1-fin": {"12:00"}, "plage-2-1-motif": {itoa(types.accompaniment)}}
}

// structureIDOf is structureID for helpers without a *testing.T.
func structureIDOf(e *env, kind territory.Kind) int64 {
	st, err := e.store.StructureByName(context.Background(), e.terr.ID, "Structure "+string(kind))
	if err != nil {
		e.t.Fatal(err)
	}
	return st.ID
}

// editForm is the edit form of the agenda as createAgendaAPI makes it.
func editForm(ag agendaOut, types agendaTypeIDs) url.Values {
	p := "lieu-" + itoa(ag.Places[0].ID) + "-"
	return url.Values{"nom": {ag.Name}, "actif": {"1"}, p + "type": {"address"}, p + "libelle": {"Accueil du CCAS"}, p + "adresse": {"2 rue de l'Essai"},
		p + "commune": {"90010"}, "plage-2-1-debut": {"09:00"}, "plage-2-1-fin": {"12:00"}, "plage-2-1-motif": {itoa(types.accompaniment)},
		"plage-2-1-lieu": {itoa(ag.Places[0].ID)}}
}

func TestAgendaFormAndSlots(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		types := newAgendaTypes(t, e)
		pro := e.member("pro@test.example")
		api := e.apiClient("pro@test.example")
		page := unescaped(pro.page(t, http.StatusOK, http.MethodGet, "/agendas/nouveau", nil))
		agendaPageChecked(t, "new agenda", page)
		if !strings.Contains(page, "Créer un agenda") || !strings.Contains(page, `name="plage-6-2-debut"`) ||
			strings.Contains(page, `name="plage-7-1-debut"`) || strings.Contains(page, `name="plage-2-3-debut"`) {
			t.Error("the form lacks its grid of Monday to Saturday, two ranges a day")
		}

		// A first try with a name missing, a time that cannot be read and a
		// range shorter than one appointment.
		bad := agendaForm(e, types, "")
		bad.Set("plage-2-1-debut", "9h75")
		bad.Set("plage-4-1-debut", "10:00")
		bad.Set("plage-4-1-fin", "10:15")
		bad.Set("plage-4-1-motif", itoa(types.accompaniment))
		page = unescaped(pro.page(t, http.StatusBadRequest, http.MethodPost, "/agendas", bad))
		agendaPageChecked(t, "invalid agenda", page)
		for _, want := range []string{"Heure attendue au format HH:MM", `href="#plage-2-1-debut"`, "Indiquez le nom de l'agenda.", `href="#nom"`,
			`href="#plage-4-1-fin"`, "plus courte qu'un rendez-vous de ce motif (30 minutes)", `value="9h75"`, `value="2 rue de l'Essai"`,
			"Mardi, plage 1, début"} {
			if !strings.Contains(page, want) {
				t.Errorf("invalid agenda: the page lacks %q", want)
			}
		}
		if ags, _ := e.store.Agendas(context.Background(), store.AgendaFilter{TerritoryID: e.terr.ID}); len(ags) != 0 {
			t.Fatalf("an invalid form saved %d agendas", len(ags))
		}

		loc := pro.redirect(t, "/agendas", agendaForm(e, types, "Permanence du mardi"))
		if !strings.HasPrefix(loc, "/agendas/") {
			t.Fatalf("created agenda redirects to %q", loc)
		}
		page = unescaped(pro.page(t, http.StatusOK, http.MethodGet, loc, nil))
		if !strings.Contains(page, "L'agenda est créé") || !strings.Contains(page, "Mardi de 9h00 à 12h00") ||
			!strings.Contains(page, "Accueil du CCAS — 2 rue de l'Essai, Belfort") {
			t.Errorf("the agenda page lacks the flash, the rule or the place")
		}
		var ags struct{ Items []agendaOut }
		if err := json.Unmarshal([]byte(api.mustJSON("GET", "/api/v1/agendas", nil, http.StatusOK)), &ags); err != nil {
			t.Fatal(err)
		}
		if len(ags.Items) != 1 || ags.Items[0].AccountID != e.accounts["pro@test.example"].ID || len(ags.Items[0].Rules) != 1 ||
			ags.Items[0].Rules[0].Weekday != 2 || ags.Items[0].Rules[0].Start != "09:00" {
			t.Fatalf("agendas = %+v", ags.Items)
		}
		ag := ags.Items[0]

		// Tuesday 9:00–12:00 by 30 minutes: 6 slots each Tuesday.
		want := []string{"08:00", "08:30", "09:00", "09:30", "10:00", "10:30"}
		slots := slotsOf(t, api, "from=2026-11-30&to=2026-12-13&type_id="+itoa(types.accompaniment))
		if got := startsOn(slots, ag.ID, "2026-12-01"); !slices.Equal(got, want) {
			t.Errorf("Tuesday 1 December: %v, want %v", got, want)
		}
		if got := startsOn(slots, ag.ID, "2026-12-08"); !slices.Equal(got, want) {
			t.Errorf("Tuesday 8 December: %v, want %v", got, want)
		}
		if len(slots) != 12 || slots[0].Capacity != 1 || slots[0].Free != 1 || slots[0].DurationMin != 30 || slots[0].PlaceID != ag.Places[0].ID {
			t.Errorf("two weeks: %d slots, first %+v", len(slots), slots[0])
		}
		if got := slotsOf(t, api, "from=2026-11-30&to=2026-12-13&type_id="+itoa(types.information)); len(got) != 0 {
			t.Errorf("%d slots of a type no rule opens", len(got))
		}
		for q, field := range map[string]string{"from=2026-11-30&to=2027-02-28": "to", "from=30/11/2026": "from", "type_id=99999": "type_id"} {
			if res, b := api.json("GET", "/api/v1/slots?"+q, nil); res.StatusCode != http.StatusBadRequest || !strings.Contains(b, `"field":"`+field+`"`) {
				t.Errorf("slots?%s: %d %s", q, res.StatusCode, b)
			}
		}

		// A closure on Tuesday 1 December removes that day's slots.
		edit := editForm(ag, types)
		edit.Set("fermeture-date", "2026-12-01")
		edit.Set("fermeture-raison", "Formation")
		pro.redirect(t, "/agendas/"+itoa(ag.ID), edit)
		slots = slotsOf(t, api, "from=2026-11-30&to=2026-12-13")
		if got := startsOn(slots, ag.ID, "2026-12-01"); len(got) != 0 {
			t.Errorf("closed Tuesday still has slots %v", got)
		}
		if got := startsOn(slots, ag.ID, "2026-12-08"); len(got) != 6 {
			t.Errorf("the next Tuesday has %d slots, want 6", len(got))
		}

		// An extra opening adds slots: Thursday 3 December, 14:00–16:00, a
		// collective session of 60 minutes for 10. The closure is kept.
		stored, err := e.store.Agenda(context.Background(), ag.ID)
		if err != nil || len(stored.Exceptions) != 1 {
			t.Fatalf("exceptions = %+v, %v", stored.Exceptions, err)
		}
		closure := itoa(stored.Exceptions[0].ID)
		edit = editForm(ag, types)
		edit.Set("garder", closure)
		edit.Set("ouverture-date", "2026-12-03")
		edit.Set("ouverture-debut", "14:00")
		edit.Set("ouverture-fin", "16:00")
		edit.Set("ouverture-motif", itoa(types.information))
		edit.Set("ouverture-lieu", itoa(ag.Places[0].ID))
		pro.redirect(t, "/agendas/"+itoa(ag.ID), edit)
		slots = slotsOf(t, api, "from=2026-11-30&to=2026-12-06")
		if got := startsOn(slots, ag.ID, "2026-12-03"); !slices.Equal(got, []string{"13:00", "14:00"}) {
			t.Errorf("opening on Thursday: %v", got)
		}
		for _, s := range slots {
			if s.TypeID == types.information && (s.Capacity != 10 || s.Free != 10) {
				t.Errorf("collective slot %+v", s)
			}
		}
		if got := startsOn(slots, ag.ID, "2026-12-01"); len(got) != 0 {
			t.Errorf("the closure was lost: %v", got)
		}
		// Saving replaces the exceptions: the closure has a new ID.
		if stored, err = e.store.Agenda(context.Background(), ag.ID); err != nil || len(stored.Exceptions) != 2 || !stored.Exceptions[0].Closed {
			t.Fatalf("exceptions = %+v, %v", stored.Exceptions, err)
		}
		closure = itoa(stored.Exceptions[0].ID)
		page = unescaped(pro.page(t, http.StatusOK, http.MethodGet, "/agendas/"+itoa(ag.ID)+"/modifier", nil))
		agendaPageChecked(t, "edit agenda", page)
		if !strings.Contains(page, "Fermeture le mardi 1er décembre 2026, toute la journée — Formation") ||
			!strings.Contains(page, `id="exception-`+closure+`" name="garder" value="`+closure+`" checked`) {
			t.Error("the edit page does not list the closure, ticked")
		}

		// An opening over the usual hours is refused, under its field.
		edit.Set("ouverture-date", "2026-12-08")
		edit.Set("ouverture-debut", "11:00")
		edit.Set("ouverture-fin", "13:00")
		page = unescaped(pro.page(t, http.StatusBadRequest, http.MethodPost, "/agendas/"+itoa(ag.ID), edit))
		if !strings.Contains(page, `href="#ouverture-debut"`) || !strings.Contains(page, "chevauche les horaires habituels du mardi") {
			t.Error("an opening over the usual hours is not refused under its field")
		}

		// Unticking the closure deletes it: Tuesday 1 December opens again.
		pro.redirect(t, "/agendas/"+itoa(ag.ID), editForm(ag, types))
		if got := startsOn(slotsOf(t, api, "from=2026-11-30&to=2026-12-06"), ag.ID, "2026-12-01"); len(got) != 6 {
			t.Errorf("after deleting the closure: %v", got)
		}
		if stored, _ := e.store.Agenda(context.Background(), ag.ID); len(stored.Exceptions) != 0 {
			t.Errorf("exceptions left: %+v", stored.Exceptions)
		}

		// A second place, by phone, for a new range on Wednesdays.
		edit = editForm(ag, types)
		edit.Set("lieu-nouveau-type", "phone")
		edit.Set("plage-3-1-debut", "14:00")
		edit.Set("plage-3-1-fin", "15:00")
		edit.Set("plage-3-1-motif", itoa(types.accompaniment))
		edit.Set("plage-3-1-lieu", "nouveau")
		pro.redirect(t, "/agendas/"+itoa(ag.ID), edit)
		stored, err = e.store.Agenda(context.Background(), ag.ID)
		if err != nil || len(stored.Places) != 2 || stored.Places[1].Label != "Par téléphone" {
			t.Fatalf("places = %+v, %v", stored.Places, err)
		}
		slots = slotsOf(t, api, "from=2026-12-02&to=2026-12-02")
		if got := startsOn(slots, ag.ID, "2026-12-02"); !slices.Equal(got, []string{"13:00", "13:30"}) || slots[0].PlaceID != stored.Places[1].ID {
			t.Errorf("Wednesday by phone: %v", slots)
		}
		page = unescaped(pro.page(t, http.StatusOK, http.MethodGet, "/agendas/"+itoa(ag.ID)+"?semaine=2026-11-30", nil))
		agendaPageChecked(t, "week", page)
		if !strings.Contains(page, "Mercredi de 14h00 à 15h00 : Rendez-vous d'accompagnement (30 min), Par téléphone") {
			t.Error("the week page does not sum up the new rule")
		}

		// A deactivated agenda offers no slot.
		edit.Del("actif")
		edit.Del("lieu-nouveau-type")
		edit.Set("lieu-"+itoa(stored.Places[1].ID)+"-type", "phone")
		edit.Set("plage-3-1-lieu", itoa(stored.Places[1].ID))
		pro.redirect(t, "/agendas/"+itoa(ag.ID), edit)
		if got := slotsOf(t, api, "from=2026-11-30&to=2026-12-13&all=true"); len(got) != 0 {
			t.Errorf("a deactivated agenda offers %d slots", len(got))
		}
		if page := unescaped(pro.page(t, http.StatusOK, http.MethodGet, "/agendas", nil)); !strings.Contains(page, "Désactivé") {
			t.Error("the list does not say the agenda is deactivated")
		}
	})
}

func TestAgendaAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		types := newAgendaTypes(t, e)
		api := e.apiClient("pro@test.example")
		ccas := structureID(t, e, territory.KindCCAS)
		res, b := api.json("POST", "/api/v1/agendas", map[string]any{"structure_id": ccas, "name": "Visio",
			"places": []map[string]any{{"kind": "video", "details": "http://visio.example"}},
			"rules": []map[string]any{
				{"type_id": types.accompaniment, "place_index": 3, "weekday": 8, "start": "09:00", "end": "12:00"},
				{"type_id": types.accompaniment, "weekday": 3, "start": "9h99", "end": "12:00"},
			}})
		if res.StatusCode != http.StatusBadRequest {
			t.Fatalf("invalid agenda: %d %s", res.StatusCode, b)
		}
		for _, f := range []string{"places[0].details", "rules[0].place_index", "rules[0].weekday", "rules[1].start"} {
			if !strings.Contains(b, `"field":"`+f+`"`) {
				t.Errorf("no message on %s: %s", f, b)
			}
		}
		if strings.Contains(b, "place_id") || strings.Count(b, `"field":"rules[1].start"`) != 1 {
			t.Errorf("messages not named as the body, or repeated: %s", b)
		}
		// A professional cannot create the agenda of a colleague.
		res, b = api.json("POST", "/api/v1/agendas", map[string]any{"structure_id": ccas, "account_id": e.accounts["manager@test.example"].ID,
			"name": "Pour un autre", "places": []map[string]any{{"kind": "phone"}}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(b, `"field":"account_id"`) {
			t.Errorf("agenda of another account: %d %s", res.StatusCode, b)
		}

		ag := createAgendaAPI(t, api, e, types, "Mon agenda", e.accounts["pro@test.example"].ID)
		if ag.ID == 0 || len(ag.Places) != 1 || ag.Places[0].ID == 0 || len(ag.Rules) != 1 || ag.Rules[0].PlaceID != ag.Places[0].ID ||
			ag.Rules[0].Weekday != 2 || ag.Rules[0].End != "12:00" {
			t.Fatalf("created agenda = %+v", ag)
		}
		phone := api.mustJSON("POST", "/api/v1/agendas", map[string]any{"structure_id": ccas, "name": "Accueil téléphonique",
			"places": []map[string]any{{"kind": "phone"}},
			"rules":  []map[string]any{{"type_id": types.accompaniment, "weekday": 7, "start": "10:00", "end": "11:00"}},
			"exceptions": []map[string]any{{"date": "2026-12-06", "closed": true, "reason": "Fermé"},
				{"date": "2026-12-06", "start": "14:00", "end": "15:00", "type_id": types.information}}}, http.StatusCreated)
		for _, want := range []string{`"label":"Par téléphone"`, `"weekday":7`, `"account_id":0`, `"closed":true`} {
			if !strings.Contains(phone, want) {
				t.Errorf("shared agenda lacks %s: %s", want, phone)
			}
		}
		var list struct{ Items []agendaOut }
		if err := json.Unmarshal([]byte(api.mustJSON("GET", "/api/v1/agendas?structure_id="+itoa(ccas), nil, http.StatusOK)), &list); err != nil {
			t.Fatal(err)
		}
		if len(list.Items) != 2 {
			t.Errorf("the professional lists %d agendas, want 2", len(list.Items))
		}
		if res, _ := api.json("GET", "/api/v1/agendas?structure_id="+itoa(structureID(t, e, territory.KindEmployer)), nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("agendas of a structure the professional does not work in: %d", res.StatusCode)
		}
		// Sunday 6 December: closed all day, open 14:00–15:00 for the session.
		slots := slotsOf(t, api, "from=2026-12-06&to=2026-12-06&all=true")
		if len(slots) != 1 || slots[0].StartsAt.UTC().Format("15:04") != "13:00" || slots[0].Capacity != 10 || slots[0].StructureID != ccas {
			t.Errorf("Sunday slots = %+v", slots)
		}
	})
}

func TestAgendaWeekShowsBookingsAndFreeSeats(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		types := newAgendaTypes(t, e)
		api := e.apiClient("pro@test.example")
		ag := createAgendaAPI(t, api, e, types, "Permanence", e.accounts["pro@test.example"].ID)
		path := registerPerson(t, api, "Louise", "Fictive", "1990-04-02")
		pid := idOf(t, path)
		at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) // Tuesday 9:00 in Paris
		api.mustJSON("POST", "/api/v1/appointments", map[string]any{"person_id": pid, "agenda_id": ag.ID, "type_id": types.accompaniment,
			"starts_at": at}, http.StatusCreated)
		res, b := api.json("POST", "/api/v1/appointments", map[string]any{"person_id": pid, "agenda_id": ag.ID, "type_id": types.accompaniment,
			"starts_at": at})
		if res.StatusCode != http.StatusConflict {
			t.Errorf("the same slot booked twice: %d %s", res.StatusCode, b)
		}

		free := slotsOf(t, api, "from=2026-12-01&to=2026-12-01")
		if got := startsOn(free, ag.ID, "2026-12-01"); !slices.Equal(got, []string{"08:30", "09:00", "09:30", "10:00", "10:30"}) {
			t.Errorf("free slots after the booking: %v", got)
		}
		all := slotsOf(t, api, "from=2026-12-01&to=2026-12-01&all=true")
		if len(all) != 6 || all[0].Free != 0 || !all[0].StartsAt.Equal(at) {
			t.Errorf("all slots after the booking: %+v", all)
		}

		pro := e.member("pro@test.example")
		before := e.auditCount()
		page := unescaped(pro.page(t, http.StatusOK, http.MethodGet, "/agendas/"+itoa(ag.ID)+"?semaine=2026-11-30", nil))
		if got := e.auditCount() - before; got != 1 {
			t.Errorf("the week page wrote %d audit entries, want 1 (one person shown)", got)
		}
		for _, want := range []string{"Semaine du lundi 30 novembre 2026", `href="/personnes/` + itoa(pid) + `/rendez-vous"`, "Louise Fictive",
			"9h00", "1 place libre à 9h30 (Rendez-vous d'accompagnement)", "5 places libres cette semaine",
			`href="/agendas/` + itoa(ag.ID) + `?semaine=2026-11-23"`, `href="/agendas/` + itoa(ag.ID) + `?semaine=2026-12-07"`} {
			if !strings.Contains(page, want) {
				t.Errorf("week page lacks %q", want)
			}
		}
		if strings.Contains(page, "place libre à 9h00") {
			t.Error("the booked slot is shown free")
		}
		// Any day of the week shows its Monday's week; the default is this one.
		if page := unescaped(pro.page(t, http.StatusOK, http.MethodGet, "/agendas/"+itoa(ag.ID)+"?semaine=2026-12-03", nil)); !strings.Contains(page,
			"Semaine du lundi 30 novembre 2026") {
			t.Error("?semaine= of a Thursday does not show its week")
		}
		if page := unescaped(pro.page(t, http.StatusOK, http.MethodGet, "/agendas/"+itoa(ag.ID), nil)); !strings.Contains(page,
			"Semaine du lundi 23 novembre 2026") {
			t.Error("the default week is not the current one")
		}
		pro.page(t, http.StatusBadRequest, http.MethodGet, "/agendas/"+itoa(ag.ID)+"?semaine=demain", nil)
	})
}

func TestAgendaAccess(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		recordEnv(t, e) // ccas2@: a colleague of pro@ in the CCAS
		types := newAgendaTypes(t, e)
		api := e.apiClient("pro@test.example")
		own := createAgendaAPI(t, api, e, types, "Agenda de pro", e.accounts["pro@test.example"].ID)
		shared := createAgendaAPI(t, api, e, types, "Accueil partagé", 0)

		colleague := e.member("ccas2@test.example")
		for _, p := range []string{"/agendas/" + itoa(own.ID), "/agendas/" + itoa(own.ID) + "/modifier"} {
			if res := colleague.get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("a colleague reads %s: %d", p, res.StatusCode)
			}
		}
		if res := colleague.post("/agendas/"+itoa(own.ID), editForm(own, types)); res.StatusCode != http.StatusNotFound {
			t.Errorf("a colleague changes the agenda: %d", res.StatusCode)
		}
		list := unescaped(colleague.page(t, http.StatusOK, http.MethodGet, "/agendas", nil))
		if strings.Contains(list, "Agenda de pro") || !strings.Contains(list, "Accueil partagé") {
			t.Error("a colleague's list shows another's agenda, or not the shared one")
		}
		colleague.page(t, http.StatusOK, http.MethodGet, "/agendas/"+itoa(shared.ID), nil)
		form := agendaForm(e, types, "Pour pro")
		form.Set("proprietaire", itoa(e.accounts["pro@test.example"].ID))
		if page := unescaped(colleague.page(t, http.StatusBadRequest, http.MethodPost, "/agendas", form)); !strings.Contains(page, `href="#proprietaire"`) {
			t.Error("a professional creates a colleague's agenda")
		}

		manager := e.member("manager@test.example")
		manager.page(t, http.StatusOK, http.MethodGet, "/agendas/"+itoa(own.ID), nil)
		edit := editForm(own, types)
		edit.Set("nom", "Agenda de pro, revu par la gestionnaire")
		manager.redirect(t, "/agendas/"+itoa(own.ID), edit)
		if ag, err := e.store.Agenda(context.Background(), own.ID); err != nil || ag.Name != "Agenda de pro, revu par la gestionnaire" ||
			ag.AccountID != e.accounts["pro@test.example"].ID {
			t.Errorf("after the manager's change: %+v, %v", ag, err)
		}
		// The manager creates the agenda of a professional of the structure.
		page := unescaped(manager.page(t, http.StatusOK, http.MethodGet, "/agendas/nouveau", nil))
		if !strings.Contains(page, "Professionnels de Structure ccas") || strings.Contains(page, "Moi-même") {
			t.Error("the manager is not offered the structure's professionals, or is offered an agenda of their own")
		}
		form = agendaForm(e, types, "Agenda de ccas2")
		form.Set("proprietaire", itoa(e.accounts["ccas2@test.example"].ID))
		manager.redirect(t, "/agendas", form)

		emp := e.member("emp@test.example")
		if res := emp.get("/agendas"); res.StatusCode != http.StatusForbidden {
			t.Errorf("an employer reads the agendas: %d", res.StatusCode)
		}
		if res := emp.get("/agendas/" + itoa(shared.ID)); res.StatusCode != http.StatusNotFound {
			t.Errorf("an employer reads an agenda: %d", res.StatusCode)
		}
		empAPI := e.apiClient("emp@test.example")
		for _, p := range []string{"/api/v1/agendas", "/api/v1/slots"} {
			if res, _ := empAPI.json("GET", p, nil); res.StatusCode != http.StatusForbidden {
				t.Errorf("an employer reads %s: %d", p, res.StatusCode)
			}
		}
		// Coordinators read the slots of every structure of the territory.
		if got := slotsOf(t, e.apiClient("coord@test.example"), "from=2026-12-01&to=2026-12-01"); len(got) != 18 {
			t.Errorf("the coordinator reads %d slots, want 18 (three agendas)", len(got))
		}
		// A professional of another structure reads none of the CCAS's.
		ft := e.apiClient("ft@test.example")
		if got := slotsOf(t, ft, "from=2026-12-01&to=2026-12-01"); len(got) != 0 {
			t.Errorf("a France Travail adviser reads %d CCAS slots", len(got))
		}
		if res, _ := ft.json("GET", "/api/v1/slots?structure_id="+itoa(structureID(t, e, territory.KindCCAS)), nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("a France Travail adviser asks for the CCAS's slots: %d", res.StatusCode)
		}
	})
}
