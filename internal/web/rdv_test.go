package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/appointment"
	"github.com/spie-parcours/parcours/internal/audit"
	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

// The links of the messages, as the test server's base URL writes them.
var (
	rdvInvitationRE = regexp.MustCompile(`https://parcours\.test/rdv/(rdv_[a-z0-9]+)`)
	rdvManageRE     = regexp.MustCompile(`https://parcours\.test/rdv/gerer/(rdv_[a-z0-9]+)`)
	rdvStopRE       = regexp.MustCompile(`https://parcours\.test/desabonnement/(stop_[a-z0-9]+)`)
	rdvSlotRE       = regexp.MustCompile(`name="slot" value="(\d+-\d+)"`)
)

// rdvFixture is a CCAS with a public phone number, an orientation type
// whose label must never reach the person, an agenda open on Mondays and
// Thursdays from 9:00 to 11:00 by the hour at an address, its professional
// (API client), and a person with an email address and a mobile number
// registered by them. The clock stands on Thursday 26 November 2026, 10:00
// in Paris.
type rdvFixture struct {
	e                         *env
	pro                       *client
	structure, typeID, agenda int64
	personID                  int64
	email                     string
}

const (
	rdvTypeLabel  = "Bilan addictologie confidentiel"
	rdvPlaceLabel = "Bureau 12 du CSAPA"
	rdvPhone      = "03 84 54 24 24"
)

func newRdvFixture(t *testing.T, e *env) *rdvFixture {
	t.Helper()
	ctx := context.Background()
	st := territory.Structure{TerritoryID: e.terr.ID, Kind: territory.KindCCAS, Name: "CCAS de Belfort", Phone: rdvPhone}
	if err := e.store.CreateStructure(ctx, &st); err != nil {
		t.Fatal(err)
	}
	acc := account.Account{Email: "rdv-pro@test.example", FirstName: "Awa", LastName: "Diallo", PasswordHash: passwordHash(t)}
	if err := e.store.CreateAccount(ctx, &acc); err != nil {
		t.Fatal(err)
	}
	if err := e.store.AddMembership(ctx, acc.ID, st.ID, account.RoleProfessional); err != nil {
		t.Fatal(err)
	}
	e.accounts[acc.Email] = acc
	typ := appointment.Type{TerritoryID: e.terr.ID, Category: appointment.CategoryOrientation, Label: rdvTypeLabel, DurationMin: 60, Capacity: 1}
	if err := e.store.SaveAppointmentType(ctx, &typ); err != nil {
		t.Fatal(err)
	}
	ag := appointment.Agenda{TerritoryID: e.terr.ID, StructureID: st.ID, AccountID: acc.ID, Name: "Accueil", Active: true,
		Places: []appointment.Place{{Kind: appointment.PlaceAddress, Label: rdvPlaceLabel, Address: "2 rue de l'Étang", CommuneINSEE: "90010"}},
		Rules: []appointment.Rule{{TypeID: typ.ID, PlaceID: -1, Weekday: time.Monday, Start: 9 * 60, End: 11 * 60},
			{TypeID: typ.ID, PlaceID: -1, Weekday: time.Thursday, Start: 9 * 60, End: 11 * 60}}}
	if err := e.store.SaveAgenda(ctx, &ag, store.Actor{AccountID: acc.ID, StructureID: st.ID, At: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	f := &rdvFixture{e: e, pro: e.apiClient(acc.Email), structure: st.ID, typeID: typ.ID, agenda: ag.ID, email: "ines@exemple.invalid"}
	f.personID = f.register(t, "Inès", f.email, "06 12 34 56 78")
	return f
}

// register has the professional register a person with these contacts.
func (f *rdvFixture) register(t *testing.T, first, email, phone string) int64 {
	t.Helper()
	path := registerPerson(t, f.pro, first, "Roux-Marqueur", "1990-04-12")
	f.pro.mustJSON("PATCH", path, map[string]any{"email": email, "phone": phone}, http.StatusOK)
	id, err := strconv.ParseInt(path[strings.LastIndexByte(path, '/')+1:], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// invite sends the person an invitation of the fixture's type through the
// API, and delivers the outbox.
func (f *rdvFixture) invite(t *testing.T, personID int64, channels ...string) {
	t.Helper()
	f.pro.mustJSON("POST", "/api/v1/invitations", map[string]any{"person_id": personID, "structure_id": f.structure,
		"type_id": f.typeID, "channels": channels}, http.StatusCreated)
	f.e.drain()
}

// link returns the token of the last link re finds in the emails sent to
// to.
func (f *rdvFixture) link(t *testing.T, to string, re *regexp.Regexp) string {
	t.Helper()
	token := ""
	for _, m := range f.e.mail.Sent() {
		if m.Channel == notify.Email && m.To == to {
			if sub := re.FindStringSubmatch(m.Body); sub != nil {
				token = sub[1]
			}
		}
	}
	if token == "" {
		t.Fatalf("no link %s in the emails to %s", re, to)
	}
	return token
}

// emailsTo counts the emails sent to an address.
func (f *rdvFixture) emailsTo(to string) int {
	n := 0
	for _, m := range f.e.mail.Sent() {
		if m.Channel == notify.Email && m.To == to {
			n++
		}
	}
	return n
}

// appointments lists the person's appointments, by start.
func (f *rdvFixture) appointments(t *testing.T, personID int64) []appointment.Appointment {
	t.Helper()
	apps, err := f.e.store.Appointments(context.Background(), store.AppointmentFilter{PersonID: personID})
	if err != nil {
		t.Fatal(err)
	}
	return apps
}

// rdvAPISlot is a slot of GET /api/v1/slots.
type rdvAPISlot struct {
	AgendaID int64     `json:"agenda_id"`
	StartsAt time.Time `json:"starts_at"`
	Free     int       `json:"free"`
}

// free reports whether the agenda's slot at is free, as the professionals
// read it in GET /api/v1/slots.
func (f *rdvFixture) free(t *testing.T, at time.Time) bool {
	t.Helper()
	var out struct{ Items []rdvAPISlot }
	b := f.pro.mustJSON("GET", "/api/v1/slots?structure_id="+itoa(f.structure)+"&type_id="+itoa(f.typeID)+"&from=2026-11-26&to=2026-12-24",
		nil, http.StatusOK)
	if err := json.Unmarshal([]byte(b), &out); err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(out.Items, func(sl rdvAPISlot) bool {
		return sl.AgendaID == f.agenda && sl.StartsAt.Equal(at) && sl.Free > 0
	})
}

// linkAudits counts the audit entries of reads through links of the
// person with that reason, and checks they name no account.
func (f *rdvFixture) linkAudits(t *testing.T, personID int64, reason string) int {
	t.Helper()
	n := 0
	err := f.e.store.WalkAudit(context.Background(), func(en audit.Entry) error {
		if en.PersonID == personID && en.Reason == reason {
			n++
			if en.AccountID != 0 || en.Action != audit.ActionRead || en.Section != "appointments" || en.StructureID != f.structure {
				t.Errorf("audit entry of a link: %+v", en)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// rdvPage gets or posts a public page and returns its status and body.
func rdvPage(t *testing.T, c *client, method, path string, form url.Values) (int, string) {
	t.Helper()
	var res *http.Response
	if method == http.MethodGet {
		res = c.get(path)
	} else {
		res = c.post(path, form)
	}
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("%s %s: Cache-Control %q, want no-store", method, path, got)
	}
	return res.StatusCode, html.UnescapeString(body(t, res))
}

// slotAt is the form value of the agenda's slot at an instant.
func (f *rdvFixture) slotAt(at time.Time) string {
	return strconv.FormatInt(f.agenda, 10) + "-" + strconv.FormatInt(at.Unix(), 10)
}

// rdvAt returns an hour in Paris on a date of 2026.
func rdvAt(month time.Month, day, hour int) time.Time {
	return time.Date(2026, month, day, hour, 0, 0, 0, paris).UTC()
}

// TestRdvInvitationLink: the person opens the link of the invitation's
// email, sees the free slots within the window (with the category's
// words, never the type's label), books one, cannot book twice; another
// person loses the race for the same slot; the manage link of the
// confirmation moves the appointment (the old slot is freed) then cancels
// it; the stop link of the email asks before stopping, and then no email
// reaches the person.
func TestRdvInvitationLink(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		f := newRdvFixture(t, e)
		anon := e.client()
		f.invite(t, f.personID, "email", "sms")
		token := f.link(t, f.email, rdvInvitationRE)
		invPath := "/rdv/" + token

		status, page := rdvPage(t, anon, http.MethodGet, invPath, nil)
		if status != http.StatusOK {
			t.Fatalf("invitation page: %d\n%s", status, page)
		}
		for _, want := range []string{"Bonjour Inès", "CCAS de Belfort vous invite à un rendez-vous d'orientation",
			"Lundi 30 novembre", "Jeudi 3 décembre", "Confirmer ce rendez-vous", "Lieu : CCAS de Belfort, 2 rue de l'Étang.",
			"valable jusqu'au dimanche 6 décembre", rdvPhone} {
			if !strings.Contains(page, want) {
				t.Errorf("invitation page lacks %q", want)
			}
		}
		for _, never := range []string{rdvTypeLabel, rdvPlaceLabel, "Roux-Marqueur", "ines@"} {
			if strings.Contains(page, never) {
				t.Errorf("invitation page shows %q", never)
			}
		}
		if n, in := strings.Count(page, token), strings.Count(page, `action="`+invPath+`"`); n != 1 || in != 1 {
			t.Errorf("token written %d times, %d in the form's action; want once, there", n, in)
		}
		// Mon 30 Nov and Thu 3 Dec at 9:00 and 10:00: today's slots are too
		// near (2 hours' notice), those after the invitation's end are out.
		var offered []string
		for _, m := range rdvSlotRE.FindAllStringSubmatch(page, -1) {
			offered = append(offered, m[1])
		}
		want := []string{f.slotAt(rdvAt(11, 30, 9)), f.slotAt(rdvAt(11, 30, 10)), f.slotAt(rdvAt(12, 3, 9)), f.slotAt(rdvAt(12, 3, 10))}
		if !slices.Equal(offered, want) {
			t.Errorf("slots offered %v, want %v", offered, want)
		}
		if n := f.linkAudits(t, f.personID, "invitation link"); n != 1 {
			t.Errorf("%d audit entries after reading the invitation, want 1", n)
		}

		// Errors of the form.
		for _, tc := range []struct {
			slot string
			want int
		}{{"", http.StatusBadRequest}, {"n'importe-quoi", http.StatusBadRequest}, {f.slotAt(rdvAt(11, 30, 9).Add(30 * time.Minute)), http.StatusBadRequest},
			{f.slotAt(rdvAt(12, 7, 9)), http.StatusBadRequest}} {
			status, page := rdvPage(t, anon, http.MethodPost, invPath, url.Values{"slot": {tc.slot}})
			if status != tc.want || !strings.Contains(page, `role="alert"`) || !strings.Contains(page, "Confirmer ce rendez-vous") {
				t.Errorf("POST slot %q: %d, want %d with an alert and the slots", tc.slot, status, tc.want)
			}
		}
		if apps := f.appointments(t, f.personID); len(apps) != 0 {
			t.Fatalf("a wrong form booked %d appointments", len(apps))
		}

		first := rdvAt(11, 30, 9)
		status, page = rdvPage(t, anon, http.MethodPost, invPath, url.Values{"slot": {f.slotAt(first)}})
		if status != http.StatusOK || !strings.Contains(page, "Votre rendez-vous est confirmé") || !strings.Contains(page, "Lundi 30 novembre à 9 h") ||
			!strings.Contains(page, "confirmation par courriel et par SMS") {
			t.Fatalf("booking: %d\n%s", status, page)
		}
		apps := f.appointments(t, f.personID)
		if len(apps) != 1 || !apps[0].StartsAt.Equal(first) || apps[0].Origin != appointment.OriginPerson || apps[0].InvitationID == 0 ||
			apps[0].CreatedBy != 0 || apps[0].Status != appointment.StatusUnknown || apps[0].StructureID != f.structure {
			t.Fatalf("appointments after booking: %+v", apps)
		}
		if f.free(t, first) {
			t.Error("the slot booked is still free")
		}
		for _, method := range []string{http.MethodPost, http.MethodGet} {
			status, page = rdvPage(t, anon, method, invPath, url.Values{"slot": {f.slotAt(rdvAt(12, 3, 9))}})
			want := map[string]int{http.MethodPost: http.StatusConflict, http.MethodGet: http.StatusOK}[method]
			if status != want || !strings.Contains(page, "Votre rendez-vous est déjà pris") || !strings.Contains(page, "Lundi 30 novembre à 9 h") ||
				strings.Contains(page, `name="slot"`) {
				t.Errorf("%s after booking: %d, want %d and the appointment booked\n%s", method, status, want, page)
			}
		}
		if n := len(f.appointments(t, f.personID)); n != 1 {
			t.Errorf("%d appointments after a second POST, want 1", n)
		}

		// Another person invited loses the race for the same slot.
		other := f.register(t, "Karim", "karim@exemple.invalid", "")
		f.invite(t, other, "email")
		otherPath := "/rdv/" + f.link(t, "karim@exemple.invalid", rdvInvitationRE)
		status, page = rdvPage(t, anon, http.MethodPost, otherPath, url.Values{"slot": {f.slotAt(first)}})
		if status != http.StatusConflict || !strings.Contains(page, "Ce créneau vient d'être pris") || !strings.Contains(page, "Bonjour Karim") {
			t.Errorf("POST of a slot taken: %d\n%s", status, page)
		}
		if n := len(f.appointments(t, other)); n != 0 {
			t.Errorf("the slot taken was booked again: %d appointments", n)
		}

		// The manage link of the confirmation; links never cross tables.
		f.e.drain()
		manage := f.link(t, f.email, rdvManageRE)
		for _, path := range []string{"/rdv/" + manage, "/rdv/gerer/" + token} {
			if status, page := rdvPage(t, anon, http.MethodGet, path, nil); status != http.StatusNotFound || !strings.Contains(page, "Ce lien n'est pas valable") {
				t.Errorf("GET %s: %d, want 404", path, status)
			}
		}
		managePath := "/rdv/gerer/" + manage
		status, page = rdvPage(t, anon, http.MethodGet, managePath, nil)
		if status != http.StatusOK || !strings.Contains(page, "Lundi 30 novembre à 9 h") || !strings.Contains(page, "Changer de date") ||
			!strings.Contains(page, "Annuler ce rendez-vous") || strings.Contains(page, `value="`+f.slotAt(first)+`"`) {
			t.Fatalf("manage page: %d\n%s", status, page)
		}
		if strings.Contains(page, rdvTypeLabel) || strings.Contains(page, rdvPlaceLabel) {
			t.Error("the manage page shows the type's or the place's label")
		}
		if n := f.linkAudits(t, f.personID, "appointment link"); n != 1 {
			t.Errorf("%d audit entries after reading the appointment, want 1", n)
		}

		// Move to Thursday 3 December at 10:00: the old slot is free again.
		moved := rdvAt(12, 3, 10)
		status, page = rdvPage(t, anon, http.MethodPost, managePath, url.Values{"action": {"move"}, "slot": {f.slotAt(first)}})
		if status != http.StatusBadRequest || !strings.Contains(page, "C'est déjà la date de votre rendez-vous") {
			t.Errorf("moving to the same slot: %d, want 400 and why", status)
		}
		status, page = rdvPage(t, anon, http.MethodPost, managePath, url.Values{"action": {"move"}, "slot": {f.slotAt(moved)}})
		if status != http.StatusOK || !strings.Contains(page, "Votre rendez-vous est déplacé") || !strings.Contains(page, "Jeudi 3 décembre à 10 h") {
			t.Fatalf("move: %d\n%s", status, page)
		}
		apps = f.appointments(t, f.personID)
		if len(apps) != 2 || apps[0].Status != appointment.StatusExcused || apps[1].Status != appointment.StatusUnknown ||
			!apps[1].StartsAt.Equal(moved) || apps[1].Origin != appointment.OriginPerson || apps[1].TypeID != f.typeID {
			t.Fatalf("appointments after the move: %+v", apps)
		}
		if !f.free(t, first) || f.free(t, moved) {
			t.Errorf("after the move: old slot free %v (want true), new slot free %v (want false)", f.free(t, first), f.free(t, moved))
		}
		// The old link shows the cancellation, and changes nothing more.
		status, page = rdvPage(t, anon, http.MethodGet, managePath, nil)
		if status != http.StatusOK || !strings.Contains(page, "Annulé à votre demande") || strings.Contains(page, "Changer de date") {
			t.Errorf("old manage link: %d\n%s", status, page)
		}
		if status, _ := rdvPage(t, anon, http.MethodPost, managePath, url.Values{"action": {"cancel"}}); status != http.StatusConflict {
			t.Errorf("cancelling through the old link: %d, want 409", status)
		}

		// Cancel through the new link of the move's confirmation.
		f.e.drain()
		newManage := f.link(t, f.email, rdvManageRE)
		if newManage == manage {
			t.Fatal("the move sent no new link")
		}
		status, page = rdvPage(t, anon, http.MethodPost, "/rdv/gerer/"+newManage, url.Values{"action": {"cancel"}})
		if status != http.StatusOK || !strings.Contains(page, "Votre rendez-vous est annulé") {
			t.Fatalf("cancel: %d\n%s", status, page)
		}
		apps = f.appointments(t, f.personID)
		if apps[1].Status != appointment.StatusExcused || !f.free(t, moved) {
			t.Errorf("after the cancellation: status %s, slot free %v", apps[1].Status, f.free(t, moved))
		}

		// The stop link of the email: a GET stops nothing, the POST does.
		stop := f.link(t, f.email, rdvStopRE)
		stopPath := "/desabonnement/" + stop
		status, page = rdvPage(t, anon, http.MethodGet, stopPath, nil)
		if status != http.StatusOK || !strings.Contains(page, "Ne plus recevoir de courriels de Parcours\u00a0?") ||
			strings.Count(page, stop) != strings.Count(page, `action="`+stopPath+`"`) {
			t.Fatalf("stop page: %d\n%s", status, page)
		}
		if got, _ := e.store.StoppedChannels(context.Background(), f.personID); len(got) != 0 {
			t.Fatalf("a GET stopped %v", got)
		}
		status, page = rdvPage(t, anon, http.MethodPost, stopPath, nil)
		if status != http.StatusOK || !strings.Contains(page, "C'est fait") || !strings.Contains(page, "votre référent de vous réécrire") {
			t.Fatalf("stop: %d\n%s", status, page)
		}
		if got, _ := e.store.StoppedChannels(context.Background(), f.personID); !slices.Equal(got, []string{"email"}) {
			t.Errorf("stopped %v, want [email]", got)
		}
		if status, page := rdvPage(t, anon, http.MethodGet, stopPath, nil); status != http.StatusOK ||
			!strings.Contains(page, "Vous ne recevez plus de courriels de Parcours") || strings.Contains(page, "<form method=\"post\" action=\"/desabonnement") {
			t.Errorf("stop page once stopped: %d\n%s", status, page)
		}
		before := f.emailsTo(f.email)
		f.invite(t, f.personID, "email")
		if after := f.emailsTo(f.email); after != before {
			t.Errorf("%d emails reached the person after the stop", after-before)
		}
	})
}

// TestRdvLinksGone: an expired invitation, unknown and malformed tokens
// answer the French 404 page, and audit nothing.
func TestRdvLinksGone(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		f := newRdvFixture(t, e)
		anon := e.client()
		f.invite(t, f.personID, "email")
		invPath := "/rdv/" + f.link(t, f.email, rdvInvitationRE)
		if status, _ := rdvPage(t, anon, http.MethodGet, invPath, nil); status != http.StatusOK {
			t.Fatalf("invitation page: %d", status)
		}
		reads := f.linkAudits(t, f.personID, "invitation link")

		e.clock.Add(11 * 24 * time.Hour) // the link worked until Sunday 6 December
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			status, page := rdvPage(t, anon, method, invPath, url.Values{"slot": {f.slotAt(rdvAt(12, 10, 9))}})
			if status != http.StatusNotFound || !strings.Contains(page, "Ce lien a expiré le lundi 7 décembre") ||
				!strings.Contains(page, "appelez CCAS de Belfort au "+rdvPhone) || strings.Contains(page, "Inès") {
				t.Errorf("%s of an expired invitation: %d\n%s", method, status, page)
			}
		}
		if n := f.linkAudits(t, f.personID, "invitation link"); n != reads {
			t.Errorf("an expired link wrote %d audit entries", n-reads)
		}
		if n := len(f.appointments(t, f.personID)); n != 0 {
			t.Errorf("an expired link booked %d appointments", n)
		}
		for _, path := range []string{"/rdv/rdv_inconnu", "/rdv/abc", "/rdv/gerer/rdv_inconnu", "/rdv/gerer/" + strings.Repeat("a", 100),
			"/desabonnement/stop_inconnu", "/desabonnement/rdv_inconnu"} {
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				status, page := rdvPage(t, anon, method, path, url.Values{"action": {"cancel"}})
				if status != http.StatusNotFound || !strings.Contains(page, "Ce lien n'est pas valable") {
					t.Errorf("%s %s: %d, want the French 404", method, path, status)
				}
			}
		}
	})
}

// TestRdvRevokedRebook: an appointment cancelled by the service offers the
// person, through the link of the cancellation, the slots to choose
// another date; once chosen, the link offers no more.
func TestRdvRevokedRebook(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		f := newRdvFixture(t, e)
		anon := e.client()
		f.invite(t, f.personID, "email")
		first := rdvAt(11, 30, 9)
		if status, _ := rdvPage(t, anon, http.MethodPost, "/rdv/"+f.link(t, f.email, rdvInvitationRE),
			url.Values{"slot": {f.slotAt(first)}}); status != http.StatusOK {
			t.Fatalf("booking: %d", status)
		}
		f.e.drain()
		booked := f.link(t, f.email, rdvManageRE)
		apps := f.appointments(t, f.personID)
		f.pro.mustJSON("PATCH", "/api/v1/appointments/"+itoa(apps[0].ID), map[string]any{"status": "revoked"}, http.StatusOK)
		f.e.drain()
		revoked := f.link(t, f.email, rdvManageRE)
		if revoked == booked {
			t.Fatal("the cancellation sent no new link")
		}
		path := "/rdv/gerer/" + revoked
		status, page := rdvPage(t, anon, http.MethodGet, path, nil)
		if status != http.StatusOK || !strings.Contains(page, "Votre rendez-vous a été annulé") || !strings.Contains(page, "Annulé par CCAS de Belfort") ||
			!strings.Contains(page, `value="`+f.slotAt(first)+`"`) || strings.Contains(page, "Annuler ce rendez-vous") {
			t.Fatalf("page of a revoked appointment: %d\n%s", status, page)
		}
		again := rdvAt(12, 3, 9)
		status, page = rdvPage(t, anon, http.MethodPost, path, url.Values{"action": {"book"}, "slot": {f.slotAt(again)}})
		if status != http.StatusOK || !strings.Contains(page, "Votre rendez-vous est confirmé") || !strings.Contains(page, "Jeudi 3 décembre à 9 h") {
			t.Fatalf("rebooking: %d\n%s", status, page)
		}
		apps = f.appointments(t, f.personID)
		if len(apps) != 2 || apps[1].Origin != appointment.OriginPerson || apps[1].Status != appointment.StatusUnknown || !apps[1].StartsAt.Equal(again) {
			t.Fatalf("appointments after rebooking: %+v", apps)
		}
		status, page = rdvPage(t, anon, http.MethodGet, path, nil)
		if status != http.StatusOK || !strings.Contains(page, "Vous avez déjà choisi une autre date : le jeudi 3 décembre à 9 h") ||
			strings.Contains(page, `name="slot"`) {
			t.Errorf("revoked link after rebooking: %d\n%s", status, page)
		}
		if status, _ := rdvPage(t, anon, http.MethodPost, path, url.Values{"action": {"book"}, "slot": {f.slotAt(rdvAt(12, 3, 10))}}); status != http.StatusConflict {
			t.Errorf("a second rebooking: %d, want 409", status)
		}
		if n := len(f.appointments(t, f.personID)); n != 2 {
			t.Errorf("%d appointments after a second rebooking, want 2", n)
		}
	})
}

// TestRdvSeveralAgendas: the slots of the structure's agendas are offered
// day by day in time order; two agendas free at the same time at the same
// address are one choice, and when the places differ each slot says where.
func TestRdvSeveralAgendas(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		f := newRdvFixture(t, e)
		desk := appointment.Agenda{TerritoryID: e.terr.ID, StructureID: f.structure, Name: "Accueil partagé", Active: true,
			Places: []appointment.Place{{Kind: appointment.PlaceAddress, Label: "Guichet", Address: "2 rue de l'Étang", CommuneINSEE: "90010"},
				{Kind: appointment.PlacePhone, Label: "Permanence téléphonique"}},
			Rules: []appointment.Rule{{TypeID: f.typeID, PlaceID: -1, Weekday: time.Monday, Start: 9 * 60, End: 10 * 60},
				{TypeID: f.typeID, PlaceID: -2, Weekday: time.Tuesday, Start: 14 * 60, End: 15 * 60}}}
		if err := e.store.SaveAgenda(context.Background(), &desk, store.Actor{StructureID: f.structure, At: e.clock.Now()}); err != nil {
			t.Fatal(err)
		}
		f.invite(t, f.personID, "email")
		status, page := rdvPage(t, e.client(), http.MethodGet, "/rdv/"+f.link(t, f.email, rdvInvitationRE), nil)
		if status != http.StatusOK {
			t.Fatalf("invitation page: %d", status)
		}
		var offered []string
		for _, m := range rdvSlotRE.FindAllStringSubmatch(page, -1) {
			offered = append(offered, m[1])
		}
		phone := strconv.FormatInt(desk.ID, 10) + "-" + strconv.FormatInt(rdvAt(12, 1, 14).Unix(), 10)
		want := []string{f.slotAt(rdvAt(11, 30, 9)), f.slotAt(rdvAt(11, 30, 10)), phone, f.slotAt(rdvAt(12, 3, 9)), f.slotAt(rdvAt(12, 3, 10))}
		if !slices.Equal(offered, want) {
			t.Errorf("slots offered %v, want %v", offered, want)
		}
		days := []string{"Lundi 30 novembre", "Mardi 1er décembre", "Jeudi 3 décembre"}
		for i := 1; i < len(days); i++ {
			if a, b := strings.Index(page, days[i-1]), strings.Index(page, days[i]); a < 0 || b < a {
				t.Errorf("%q (at %d) should come before %q (at %d)", days[i-1], a, days[i], b)
			}
		}
		if strings.Count(page, "Par téléphone") != 1 || strings.Count(page, ">2 rue de l'Étang<") != 4 || strings.Contains(page, "Lieu : ") {
			t.Errorf("each slot should say where, the page once for all:\n%s", page)
		}
	})
}
