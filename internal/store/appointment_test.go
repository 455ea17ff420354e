package store_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/appointment"
	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/orientation"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
	"github.com/spie-parcours/parcours/internal/territory"
)

// rdvNow is when the appointment tests begin: Tuesday 1 September 2026 at
// 10:00 in Paris. The agenda's first full week starts on Monday 7.
var rdvNow = time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)

// rdvAt returns the instant of a day of September 2026 (October from 31 on)
// at hour:minute on the clocks of Paris.
func rdvAt(d, hour, minute int) time.Time {
	return time.Date(2026, time.September, d, hour, minute, 0, 0, orientation.Paris())
}

// mondaySlot returns the i-th slot of the individual type on Monday
// mornings, from 7 September 9:00, six a week.
func mondaySlot(i int) time.Time { return rdvAt(7+7*(i/6), 9, 30*(i%6)) }

// wednesdaySlot returns the i-th slot of the two-seat workshop on
// Wednesday mornings, from 9 September 9:00, three a week.
func wednesdaySlot(i int) time.Time { return rdvAt(9+7*(i/3), 9+i%3, 0) }

// rdvSecret is a word of the individual type's label: it tells why the
// person comes, and no message, which others may read on a phone or in a
// shared mailbox, may carry it.
const rdvSecret = "addictologie"

// rdvLinkRE finds the link of an invitation's message, rdvManageRE the link
// that manages an appointment, and rdvStopRE the link that stops a channel.
var (
	rdvLinkRE   = regexp.MustCompile(`https://parcours\.example\.org/rdv/(rdv_[a-z0-9]+)`)
	rdvManageRE = regexp.MustCompile(`https://parcours\.example\.org/rdv/gerer/(rdv_[a-z0-9]+)`)
	rdvStopRE   = regexp.MustCompile(`https://parcours\.example\.org/desabonnement/stop_[a-z0-9]+`)
)

// rdvFixture is a CCAS with a professional and a manager, three
// appointment types and the professional's agenda: individual
// appointments on Monday mornings and, as an extra opening, on Friday 11
// September from 14:00; a two-seat workshop on Wednesday mornings; a
// three-seat collective session on Thursday afternoons, closed on 10
// September from 15:00 to 16:00.
type rdvFixture struct {
	tr           territory.Territory
	st           territory.Structure
	pro, manager account.Account
	indiv        appointment.Type // 30 minutes, one person
	duo          appointment.Type // 60 minutes, two people
	group        appointment.Type // 60 minutes, three people
	agenda       appointment.Agenda
	place        int64
}

func newRdvFixture(tb testing.TB, s *store.Store) *rdvFixture {
	tb.Helper()
	ctx := context.Background()
	f := &rdvFixture{}
	f.tr = territory.Territory{Code: "90", Name: "Territoire de Belfort"}
	if err := s.CreateTerritory(ctx, &f.tr); err != nil {
		tb.Fatal(err)
	}
	f.st = territory.Structure{TerritoryID: f.tr.ID, Kind: territory.KindCCAS, Name: "CCAS de Belfort", Phone: "03 84 00 00 00"}
	if err := s.CreateStructure(ctx, &f.st); err != nil {
		tb.Fatal(err)
	}
	for _, a := range []struct {
		acc   *account.Account
		email string
		role  account.Role
	}{
		{&f.pro, "awa.diallo@ccas.example", account.RoleProfessional},
		{&f.manager, "direction@ccas.example", account.RoleStructureManager},
	} {
		*a.acc = account.Account{Email: a.email, FirstName: "Awa", LastName: "Diallo", PasswordHash: "x"}
		if err := s.CreateAccount(ctx, a.acc); err != nil {
			tb.Fatal(err)
		}
		if err := s.AddMembership(ctx, a.acc.ID, f.st.ID, a.role); err != nil {
			tb.Fatal(err)
		}
	}
	f.indiv = appointment.Type{TerritoryID: f.tr.ID, Category: appointment.CategoryAccompaniment, Label: "Suivi en " + rdvSecret,
		DurationMin: 30, Capacity: 1}
	f.duo = appointment.Type{TerritoryID: f.tr.ID, Category: appointment.CategoryAccompaniment, Label: "Atelier en binôme",
		DurationMin: 60, Capacity: 2}
	f.group = appointment.Type{TerritoryID: f.tr.ID, Category: appointment.CategoryInformation, Label: "Information collective RSA",
		DurationMin: 60, Capacity: 3}
	for _, t := range []*appointment.Type{&f.indiv, &f.duo, &f.group} {
		if err := s.SaveAppointmentType(ctx, t); err != nil {
			tb.Fatal(err)
		}
	}
	f.agenda = appointment.Agenda{TerritoryID: f.tr.ID, StructureID: f.st.ID, AccountID: f.pro.ID, Name: "Agenda d'Awa Diallo", Active: true,
		Places: []appointment.Place{{Kind: appointment.PlaceAddress, Label: "Accueil du CCAS", Address: "2 rue de la Mairie, 90000 Belfort",
			CommuneINSEE: "90010"}},
		Rules: []appointment.Rule{
			{TypeID: f.indiv.ID, PlaceID: -1, Weekday: time.Monday, Start: 9 * 60, End: 12 * 60},
			{TypeID: f.duo.ID, PlaceID: -1, Weekday: time.Wednesday, Start: 9 * 60, End: 12 * 60},
			{TypeID: f.group.ID, PlaceID: -1, Weekday: time.Thursday, Start: 14 * 60, End: 17 * 60,
				ValidFrom: day(2026, 9, 1), ValidUntil: day(2026, 12, 31)},
		},
		Exceptions: []appointment.Exception{
			{Date: day(2026, 9, 10), Start: 15 * 60, End: 16 * 60, Closed: true, Reason: "Réunion d'équipe"},
			{Date: day(2026, 9, 11), Start: 14 * 60, End: 15 * 60, TypeID: f.indiv.ID, PlaceID: -1, Reason: "Permanence du vendredi"},
		}}
	if err := s.SaveAgenda(ctx, &f.agenda, f.by(rdvNow)); err != nil {
		tb.Fatal(err)
	}
	f.place = f.agenda.Places[0].ID
	return f
}

// by is the professional acting at the instant.
func (f *rdvFixture) by(at time.Time) store.Actor {
	return store.Actor{AccountID: f.pro.ID, StructureID: f.st.ID, At: at}
}

// types are the fixture's appointment types by ID.
func (f *rdvFixture) types() map[int64]appointment.Type {
	return map[int64]appointment.Type{f.indiv.ID: f.indiv, f.duo.ID: f.duo, f.group.ID: f.group}
}

// person registers a person followed by the professional.
func (f *rdvFixture) person(tb testing.TB, s *store.Store, first, email, phone string) person.Person {
	tb.Helper()
	p := person.Person{TerritoryID: f.tr.ID, FirstName: first, LastName: "Marchal", Email: email, Phone: phone, CommuneINSEE: "90010",
		BirthDate: time.Date(1991, 3, 4, 0, 0, 0, 0, time.UTC)}
	if err := s.CreatePerson(context.Background(), &p, f.by(rdvNow.Add(-48*time.Hour))); err != nil {
		tb.Fatal(err)
	}
	return p
}

// appt is an appointment of the person in the fixture's agenda.
func (f *rdvFixture) appt(p person.Person, t appointment.Type, at time.Time, origin appointment.Origin) *appointment.Appointment {
	return &appointment.Appointment{PersonID: p.ID, TerritoryID: f.tr.ID, StructureID: f.st.ID, AgendaID: f.agenda.ID, TypeID: t.ID,
		PlaceID: f.place, StartsAt: at, DurationMin: t.DurationMin, Origin: origin}
}

// book has the professional book the slot for the person at the instant
// when.
func (f *rdvFixture) book(tb testing.TB, s *store.Store, p person.Person, t appointment.Type, at, when time.Time) appointment.Appointment {
	tb.Helper()
	a := f.appt(p, t, at, appointment.OriginAgent)
	if err := s.BookAppointment(context.Background(), &store.Booking{Appointment: a, Capacity: t.Capacity}, f.by(when), base); err != nil {
		tb.Fatalf("book %s at %s: %v", p.FirstName, at, err)
	}
	return *a
}

// oriented orients the person to the fixture's structure, decided at the
// instant.
func (f *rdvFixture) oriented(t *testing.T, s *store.Store, p person.Person, at time.Time) orientation.Request {
	t.Helper()
	ctx := context.Background()
	o := orientation.Request{PersonID: p.ID, TerritoryID: f.tr.ID, Source: orientation.SourceProfessional, DueOn: day(2026, 10, 15)}
	if err := s.CreateOrientation(ctx, &o, f.by(at.Add(-24*time.Hour))); err != nil {
		t.Fatal(err)
	}
	d := orientation.Decision{Outcome: orientation.StatusAccepted, Type: orientation.TypeSocial, StructureID: f.st.ID, ReferentID: f.pro.ID}
	if err := orientation.DefaultRules().Decide(&o, d, f.pro.ID, at); err != nil {
		t.Fatal(err)
	}
	if err := s.DecideOrientation(ctx, &o, o.Explain("", ""), f.by(at)); err != nil {
		t.Fatal(err)
	}
	return o
}

// invite sends the person an invitation to book the type, at the instant,
// by email and SMS, valid 10 days.
func (f *rdvFixture) invite(t *testing.T, s *store.Store, p person.Person, typ appointment.Type, orientationID int64, at time.Time) appointment.Invitation {
	t.Helper()
	inv := appointment.Invitation{PersonID: p.ID, TerritoryID: f.tr.ID, StructureID: f.st.ID, TypeID: typ.ID, OrientationID: orientationID,
		Channels: []string{"email", "sms"}, ExpiresAt: appointment.InvitationExpiry(at, 10)}
	if err := s.CreateInvitation(context.Background(), &inv, f.by(at), base); err != nil {
		t.Fatal(err)
	}
	return inv
}

// slot returns the agenda's slot at the instant, with its seats booked.
func (f *rdvFixture) slot(t *testing.T, s *store.Store, at time.Time) appointment.Slot {
	t.Helper()
	slots, err := s.Slots(context.Background(), store.SlotFilter{TerritoryID: f.tr.ID, AgendaIDs: []int64{f.agenda.ID},
		From: at, To: at.Add(time.Minute), Now: rdvNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, sl := range slots {
		if sl.StartsAt.Equal(at) {
			return sl
		}
	}
	t.Fatalf("no slot at %s in %+v", at, slots)
	return appointment.Slot{}
}

// unknownAt returns the appointments of the agenda's slot at the instant
// still unknown (to come, or not yet told).
func (f *rdvFixture) unknownAt(t *testing.T, s *store.Store, at time.Time) []appointment.Appointment {
	t.Helper()
	as, err := s.Appointments(context.Background(), store.AppointmentFilter{AgendaIDs: []int64{f.agenda.ID}, From: at, To: at.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(as, func(a appointment.Appointment) bool { return a.Status != appointment.StatusUnknown })
}

func appointmentOf(t *testing.T, s *store.Store, id int64) appointment.Appointment {
	t.Helper()
	a, err := s.Appointment(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func invitationOf(t *testing.T, s *store.Store, id int64) appointment.Invitation {
	t.Helper()
	inv, err := s.Invitation(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func TestAppointmentTypeRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRdvFixture(t, s)
		got, err := s.AppointmentType(ctx, f.group.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got != f.group {
			t.Errorf("AppointmentType = %+v, want %+v", got, f.group)
		}
		f.group.Label, f.group.DurationMin, f.group.Capacity = "Information collective du RSA", 90, 12
		if err := s.SaveAppointmentType(ctx, &f.group); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.AppointmentType(ctx, f.group.ID); got != f.group {
			t.Errorf("after update = %+v, want %+v", got, f.group)
		}
		list, err := s.AppointmentTypes(ctx, f.tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		// By category (accompaniment before information), then label.
		if want := []appointment.Type{f.duo, f.indiv, f.group}; !slices.Equal(list, want) {
			t.Errorf("AppointmentTypes = %+v, want %+v", list, want)
		}
		dup := appointment.Type{TerritoryID: f.tr.ID, Category: appointment.CategoryOrientation, Label: f.indiv.Label, DurationMin: 45}
		if err := s.SaveAppointmentType(ctx, &dup); !errors.Is(err, store.ErrConflict) {
			t.Errorf("a new type with a label in use: err = %v, want ErrConflict", err)
		}
		renamed := f.duo
		renamed.Label = f.indiv.Label
		if err := s.SaveAppointmentType(ctx, &renamed); !errors.Is(err, store.ErrConflict) {
			t.Errorf("a type renamed to a label in use: err = %v, want ErrConflict", err)
		}
		other := territory.Territory{Code: "25", Name: "Doubs"}
		if err := s.CreateTerritory(ctx, &other); err != nil {
			t.Fatal(err)
		}
		elsewhere := appointment.Type{TerritoryID: other.ID, Category: appointment.CategoryAccompaniment, Label: f.indiv.Label, DurationMin: 30}
		if err := s.SaveAppointmentType(ctx, &elsewhere); err != nil {
			t.Errorf("the same label in another territory: %v", err)
		}
		if _, err := s.AppointmentType(ctx, 1<<40); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown type: err = %v, want ErrNotFound", err)
		}
	})
}

// placeText, ruleText and exceptionText write the parts of an agenda in a
// comparable form.
func placeText(p appointment.Place) string {
	return fmt.Sprintf("%d@%d %s %q %q %s %q", p.ID, p.AgendaID, p.Kind, p.Label, p.Address, p.CommuneINSEE, p.Details)
}

func ruleText(r appointment.Rule) string {
	return fmt.Sprintf("%d %s %d-%d type %d place %d from %s until %s", r.AgendaID, r.Weekday, r.Start, r.End, r.TypeID, r.PlaceID,
		r.ValidFrom.Format(time.DateOnly), r.ValidUntil.Format(time.DateOnly))
}

func exceptionText(e appointment.Exception) string {
	return fmt.Sprintf("%d %s %d-%d closed %t type %d place %d %q", e.AgendaID, e.Date.Format(time.RFC3339), e.Start, e.End, e.Closed,
		e.TypeID, e.PlaceID, e.Reason)
}

func texts[T any](xs []T, f func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// checkAgenda compares the agenda read back with the one saved.
func checkAgenda(t *testing.T, got, want appointment.Agenda) {
	t.Helper()
	if got.ID != want.ID || got.TerritoryID != want.TerritoryID || got.StructureID != want.StructureID || got.AccountID != want.AccountID ||
		got.Name != want.Name || got.Active != want.Active {
		t.Errorf("agenda = %d %q active %t account %d, want %d %q active %t account %d", got.ID, got.Name, got.Active, got.AccountID,
			want.ID, want.Name, want.Active, want.AccountID)
	}
	if g, w := texts(got.Places, placeText), texts(want.Places, placeText); !slices.Equal(g, w) {
		t.Errorf("places =\n%q\nwant\n%q", g, w)
	}
	if g, w := texts(got.Rules, ruleText), texts(want.Rules, ruleText); !slices.Equal(g, w) {
		t.Errorf("rules =\n%q\nwant\n%q", g, w)
	}
	if g, w := texts(got.Exceptions, exceptionText), texts(want.Exceptions, exceptionText); !slices.Equal(g, w) {
		t.Errorf("exceptions =\n%q\nwant\n%q", g, w)
	}
}

func TestSaveAgendaRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRdvFixture(t, s)
		// SaveAgenda resolved the new place's index to its ID.
		for _, r := range f.agenda.Rules {
			if r.PlaceID != f.place || r.ID == 0 || r.AgendaID != f.agenda.ID {
				t.Errorf("rule saved as %+v, want place %d", r, f.place)
			}
		}
		if e := f.agenda.Exceptions[1]; e.PlaceID != f.place || e.TypeID != f.indiv.ID {
			t.Errorf("opening saved as %+v, want place %d", e, f.place)
		}
		if e := f.agenda.Exceptions[0]; e.PlaceID != 0 || e.TypeID != 0 {
			t.Errorf("closure saved as %+v, want no type nor place", e)
		}
		got, err := s.Agenda(ctx, f.agenda.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := f.agenda
		checkAgenda(t, got, want)
		if len(got.Rules) != 3 || len(got.Exceptions) != 2 || got.Rules[2].ValidUntil.IsZero() {
			t.Fatalf("agenda read back = %+v", got)
		}

		// A second agenda of the structure, inactive and the structure's
		// own; and one of another structure.
		desk := appointment.Agenda{TerritoryID: f.tr.ID, StructureID: f.st.ID, Name: "Accueil", Active: false,
			Places: []appointment.Place{{Kind: appointment.PlacePhone, Label: "Par téléphone"}}}
		if err := s.SaveAgenda(ctx, &desk, f.by(rdvNow)); err != nil {
			t.Fatal(err)
		}
		ft := territory.Structure{TerritoryID: f.tr.ID, Kind: territory.KindFranceTravail, Name: "France Travail Belfort"}
		if err := s.CreateStructure(ctx, &ft); err != nil {
			t.Fatal(err)
		}
		theirs := appointment.Agenda{TerritoryID: f.tr.ID, StructureID: ft.ID, Name: "Conseillers", Active: true,
			Places: []appointment.Place{{Kind: appointment.PlaceVideo, Label: "Visio", Details: "https://visio.example/ft"}}}
		if err := s.SaveAgenda(ctx, &theirs, store.Actor{At: rdvNow}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name   string
			filter store.AgendaFilter
			want   []int64
		}{
			{"territory", store.AgendaFilter{TerritoryID: f.tr.ID}, []int64{desk.ID, f.agenda.ID, theirs.ID}}, // by structure, then name
			{"structure", store.AgendaFilter{TerritoryID: f.tr.ID, StructureIDs: []int64{f.st.ID}}, []int64{desk.ID, f.agenda.ID}},
			{"active", store.AgendaFilter{TerritoryID: f.tr.ID, StructureIDs: []int64{f.st.ID}, ActiveOnly: true}, []int64{f.agenda.ID}},
			{"account", store.AgendaFilter{TerritoryID: f.tr.ID, AccountID: f.pro.ID}, []int64{f.agenda.ID}},
			{"other territory", store.AgendaFilter{TerritoryID: f.tr.ID + 1000}, nil},
		} {
			as, err := s.Agendas(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, a := range as {
				ids = append(ids, a.ID)
				if a.ID == f.agenda.ID {
					checkAgenda(t, a, want)
				}
			}
			if !slices.Equal(ids, tc.want) {
				t.Errorf("%s: agendas %v, want %v", tc.name, ids, tc.want)
			}
		}

		// An appointment at the first place; the update lists only a new
		// place, and new rules and exceptions.
		p := f.person(t, s, "Léa", "lea@example.org", "")
		booked := f.book(t, s, p, f.indiv, mondaySlot(0), rdvNow)
		up := f.agenda
		up.Name, up.Active = "Agenda d'Awa (visio)", true
		up.Places = []appointment.Place{{Kind: appointment.PlaceVideo, Label: "Visio", Details: "https://visio.example/awa"}}
		up.Rules = []appointment.Rule{{TypeID: f.indiv.ID, PlaceID: -1, Weekday: time.Tuesday, Start: 14 * 60, End: 16 * 60}}
		up.Exceptions = []appointment.Exception{{Date: day(2026, 9, 15), Closed: true, Reason: "Formation"}}
		if err := s.SaveAgenda(ctx, &up, f.by(rdvNow.Add(time.Hour))); err != nil {
			t.Fatal(err)
		}
		visio := up.Places[0].ID
		if visio == 0 || visio == f.place || up.Rules[0].PlaceID != visio {
			t.Fatalf("update: places %+v, rule %+v", up.Places, up.Rules)
		}
		got, err = s.Agenda(ctx, f.agenda.ID)
		if err != nil {
			t.Fatal(err)
		}
		want = up
		want.Places = append([]appointment.Place{f.agenda.Places[0]}, up.Places...) // the first place is kept
		checkAgenda(t, got, want)
		if a := appointmentOf(t, s, booked.ID); a.PlaceID != f.place {
			t.Errorf("appointment's place = %d, want %d", a.PlaceID, f.place)
		}

		// A rule at a place of another agenda is refused, and the agenda is
		// left as it was.
		bad := up
		bad.Name = "Agenda d'un autre"
		bad.Rules = []appointment.Rule{{TypeID: f.indiv.ID, PlaceID: theirs.Places[0].ID, Weekday: time.Friday, Start: 9 * 60, End: 10 * 60}}
		if err := s.SaveAgenda(ctx, &bad, f.by(rdvNow.Add(2*time.Hour))); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a rule at another agenda's place: err = %v, want ErrNotFound", err)
		}
		if got, _ := s.Agenda(ctx, f.agenda.ID); got.Name != up.Name || len(got.Rules) != 1 || got.Rules[0].Weekday != time.Tuesday {
			t.Errorf("after a refused update: %+v", got)
		}
		// An update naming another structure finds no agenda.
		moved := up
		moved.StructureID = ft.ID
		if err := s.SaveAgenda(ctx, &moved, f.by(rdvNow)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("update through another structure: err = %v, want ErrNotFound", err)
		}
		if _, err := s.Agenda(ctx, 1<<40); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown agenda: err = %v, want ErrNotFound", err)
		}
	})
}

// slotText writes a slot in a comparable form.
func slotText(sl appointment.Slot) string {
	return fmt.Sprintf("%s agenda %d type %d place %d %d min %d/%d", sl.StartsAt.UTC().Format(time.RFC3339), sl.AgendaID, sl.TypeID,
		sl.PlaceID, sl.DurationMin, sl.Booked, sl.Capacity)
}

func TestSlotsOfAWeek(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRdvFixture(t, s)
		var ps []person.Person
		for _, name := range []string{"Léa", "Hugo", "Inès"} {
			ps = append(ps, f.person(t, s, name, "", ""))
		}
		f.book(t, s, ps[0], f.indiv, rdvAt(7, 9, 0), rdvNow)
		f.book(t, s, ps[0], f.duo, rdvAt(9, 10, 0), rdvNow)
		for _, p := range ps {
			f.book(t, s, p, f.group, rdvAt(10, 14, 0), rdvNow)
		}
		f.book(t, s, ps[1], f.group, rdvAt(10, 16, 0), rdvNow)
		cancelled := f.book(t, s, ps[2], f.indiv, rdvAt(11, 14, 0), rdvNow)
		if err := s.SetAppointmentStatus(ctx, &cancelled, appointment.StatusExcused, f.by(rdvNow), base); err != nil {
			t.Fatal(err)
		}
		booked := map[time.Time]int{
			rdvAt(7, 9, 0).UTC(): 1, rdvAt(9, 10, 0).UTC(): 1, rdvAt(10, 14, 0).UTC(): 3, rdvAt(10, 16, 0).UTC(): 1,
		}

		from, to := rdvAt(7, 0, 0), rdvAt(14, 0, 0)
		ag, err := s.Agenda(ctx, f.agenda.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := appointment.Slots(ag, f.types(), from, to, rdvNow)
		// Monday 9:00–12:00 by 30 minutes, Wednesday 9:00–12:00 by the
		// hour, Thursday 14:00 and 16:00 (closed at 15:00), Friday's extra
		// 14:00 and 14:30.
		if len(want) != 6+3+2+2 {
			t.Fatalf("appointment.Slots gives %d slots: %q", len(want), texts(want, slotText))
		}
		var free []appointment.Slot
		for i := range want {
			want[i].Booked = booked[want[i].StartsAt.UTC()]
			if want[i].Free() > 0 {
				free = append(free, want[i])
			}
		}
		for _, tc := range []struct {
			name   string
			filter store.SlotFilter
			want   []appointment.Slot
		}{
			{"all", store.SlotFilter{TerritoryID: f.tr.ID, From: from, To: to, Now: rdvNow}, want},
			{"free only", store.SlotFilter{TerritoryID: f.tr.ID, StructureIDs: []int64{f.st.ID}, From: from, To: to, Now: rdvNow, FreeOnly: true}, free},
			{"one type", store.SlotFilter{TerritoryID: f.tr.ID, AgendaIDs: []int64{f.agenda.ID}, TypeID: f.group.ID, From: from, To: to, Now: rdvNow},
				slices.DeleteFunc(slices.Clone(want), func(sl appointment.Slot) bool { return sl.TypeID != f.group.ID })},
			// On Thursday 10 at 13:30, the slots of 14:00 and later are
			// too close (MinNotice).
			{"notice", store.SlotFilter{TerritoryID: f.tr.ID, From: from, To: to, Now: rdvAt(10, 13, 30)},
				slices.DeleteFunc(slices.Clone(want), func(sl appointment.Slot) bool { return sl.StartsAt.Before(rdvAt(10, 15, 30)) })},
			{"another agenda", store.SlotFilter{TerritoryID: f.tr.ID, AgendaIDs: []int64{f.agenda.ID + 1000}, From: from, To: to, Now: rdvNow}, nil},
		} {
			got, err := s.Slots(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := texts(got, slotText), texts(tc.want, slotText); !slices.Equal(g, w) {
				t.Errorf("%s: slots =\n%q\nwant\n%q", tc.name, g, w)
			}
		}
		if n := len(free); n != len(want)-2 {
			t.Errorf("%d free slots, want %d: the single seat of Monday 9:00 and the three of Thursday 14:00 are taken", n, len(want)-2)
		}
	})
}

func TestCollectiveSlotCapacity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRdvFixture(t, s)
		at := rdvAt(10, 14, 0)
		var ps []person.Person
		for _, name := range []string{"Léa", "Hugo", "Inès", "Jules"} {
			ps = append(ps, f.person(t, s, name, "", ""))
		}
		for i, tc := range []struct {
			who  person.Person
			want error
		}{
			{ps[0], nil},
			{ps[0], store.ErrConflict}, // one seat of a slot per person
			{ps[1], nil},
			{ps[2], nil},
			{ps[3], store.ErrSlotFull},
		} {
			err := s.BookAppointment(ctx, &store.Booking{Appointment: f.appt(tc.who, f.group, at, appointment.OriginAgent), Capacity: f.group.Capacity},
				f.by(rdvNow), base)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Errorf("booking %d (%s): err = %v, want %v", i, tc.who.FirstName, err, tc.want)
			}
		}
		if sl := f.slot(t, s, at); sl.Booked != 3 || sl.Capacity != 3 {
			t.Errorf("slot = %d/%d booked, want 3/3", sl.Booked, sl.Capacity)
		}
		if n := len(f.unknownAt(t, s, at)); n != 3 {
			t.Errorf("%d appointments, want 3", n)
		}

		// Léa cancels, books the session again, and her first booking's
		// cancellation is undone: she would hold two seats.
		as, err := s.Appointments(ctx, store.AppointmentFilter{PersonID: ps[0].ID})
		if err != nil || len(as) != 1 {
			t.Fatalf("Léa's appointments: %+v, %v", as, err)
		}
		first := as[0]
		if err := s.SetAppointmentStatus(ctx, &first, appointment.StatusExcused, f.by(rdvNow), base); err != nil {
			t.Fatal(err)
		}
		f.book(t, s, ps[0], f.group, at, rdvNow.Add(time.Minute))
		err = s.SetAppointmentStatus(ctx, &first, appointment.StatusUnknown, f.by(rdvNow.Add(2*time.Minute)), base)
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("undoing the cancellation of a second seat: err = %v, want ErrConflict", err)
		}
		if got := appointmentOf(t, s, first.ID); got.Status != appointment.StatusExcused {
			t.Errorf("the cancelled booking is %s, want still excused", got.Status)
		}
		if sl := f.slot(t, s, at); sl.Booked != 3 {
			t.Errorf("slot = %d/%d booked, want 3/3", sl.Booked, sl.Capacity)
		}
	})
}

// TestLastSeatConcurrentBookings is the acceptance "Two concurrent bookings
// of the last seat of a slot: exactly one wins, on SQLite and on
// PostgreSQL", also with eight people for the two seats of a workshop, and
// with a move racing a booking for the last seat.
func TestLastSeatConcurrentBookings(t *testing.T) {
	const rounds = 20
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRdvFixture(t, s)
		var ps []person.Person
		for i := range 8 {
			ps = append(ps, f.person(t, s, fmt.Sprintf("Personne %d", i+1), "", ""))
		}
		for _, tc := range []struct {
			name   string
			typ    appointment.Type
			slot   func(int) time.Time
			racers int // people booking the slot at once
		}{
			{"two for the last seat", f.indiv, mondaySlot, 2},
			{"eight for two seats", f.duo, wednesdaySlot, 8},
		} {
			t.Run(tc.name, func(t *testing.T) {
				for round := range rounds {
					at := tc.slot(round)
					errs := make([]error, tc.racers)
					start := make(chan struct{})
					var wg sync.WaitGroup
					for i := range tc.racers {
						wg.Go(func() {
							<-start
							b := &store.Booking{Appointment: f.appt(ps[i], tc.typ, at, appointment.OriginPerson), Capacity: tc.typ.Capacity}
							errs[i] = s.BookAppointment(ctx, b, store.Actor{At: rdvNow}, base)
						})
					}
					close(start)
					wg.Wait()
					won := 0
					for i, err := range errs {
						switch {
						case err == nil:
							won++
						case !errors.Is(err, store.ErrSlotFull):
							t.Errorf("round %d, booking %d: %v, want nil or ErrSlotFull", round, i, err)
						}
					}
					if won != tc.typ.Capacity {
						t.Errorf("round %d: %d bookings won, want %d", round, won, tc.typ.Capacity)
					}
					if sl := f.slot(t, s, at); sl.Booked != tc.typ.Capacity || sl.Free() != 0 {
						t.Errorf("round %d: %d/%d seats booked, want all", round, sl.Booked, sl.Capacity)
					}
					if n := len(f.unknownAt(t, s, at)); n != tc.typ.Capacity {
						t.Errorf("round %d: %d appointments, want %d", round, n, tc.typ.Capacity)
					}
				}
			})
		}

		// A person moving to the last seat of a slot while another books it:
		// one of them wins, the other's slot is full, and nothing else
		// breaks (neither waits on the other forever).
		t.Run("a move and a booking", func(t *testing.T) {
			for round := range rounds {
				from, to := mondaySlot(rounds+round), mondaySlot(2*rounds+round)
				old := f.book(t, s, ps[0], f.indiv, from, rdvNow)
				var moveErr, bookErr error
				start := make(chan struct{})
				var wg sync.WaitGroup
				wg.Go(func() {
					<-start
					b := &store.Booking{Appointment: f.appt(ps[0], f.indiv, to, appointment.OriginPerson), Capacity: 1, Replaces: old.ID}
					moveErr = s.BookAppointment(ctx, b, store.Actor{At: rdvNow}, base)
				})
				wg.Go(func() {
					<-start
					b := &store.Booking{Appointment: f.appt(ps[1], f.indiv, to, appointment.OriginPerson), Capacity: 1}
					bookErr = s.BookAppointment(ctx, b, store.Actor{At: rdvNow}, base)
				})
				close(start)
				wg.Wait()
				if (moveErr == nil) == (bookErr == nil) || (moveErr != nil && !errors.Is(moveErr, store.ErrSlotFull)) ||
					(bookErr != nil && !errors.Is(bookErr, store.ErrSlotFull)) {
					t.Fatalf("round %d: move: %v, booking: %v; want one nil and one ErrSlotFull", round, moveErr, bookErr)
				}
				wantOld := 1 // the move lost: the old appointment keeps its seat
				if moveErr == nil {
					wantOld = 0
				}
				if got := f.slot(t, s, from).Booked; got != wantOld {
					t.Errorf("round %d: old slot has %d seats booked, want %d", round, got, wantOld)
				}
				if got := f.slot(t, s, to).Booked; got != 1 {
					t.Errorf("round %d: new slot has %d seats booked, want 1", round, got)
				}
			}
		})
	})
}

func TestBookThroughInvitation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRdvFixture(t, s)
		p := f.person(t, s, "Léa", "lea@example.org", "06 12 34 56 78")
		q := f.person(t, s, "Hugo", "hugo@example.org", "")
		inv := f.invite(t, s, p, f.indiv, 0, rdvNow)
		late := f.invite(t, s, q, f.indiv, 0, rdvNow)
		byPerson := store.Actor{At: rdvNow.Add(24 * time.Hour)}

		a := f.appt(p, f.indiv, mondaySlot(0), appointment.OriginPerson)
		a.InvitationID = inv.ID
		b := &store.Booking{Appointment: a, Capacity: 1}
		if err := s.BookAppointment(ctx, b, byPerson, base); err != nil {
			t.Fatal(err)
		}
		got := invitationOf(t, s, inv.ID)
		if got.AppointmentID != a.ID || !got.BookedAt.Equal(byPerson.At) {
			t.Errorf("invitation after booking: appointment %d booked %s, want %d at %s", got.AppointmentID, got.BookedAt, a.ID, byPerson.At)
		}
		if ga := appointmentOf(t, s, a.ID); ga.InvitationID != inv.ID || ga.Origin != appointment.OriginPerson || ga.CreatedBy != 0 {
			t.Errorf("appointment = %+v", ga)
		}
		// The confirmation's link manages the appointment.
		if byLink, err := s.AppointmentByLink(ctx, b.Token); err != nil || byLink.ID != a.ID {
			t.Errorf("AppointmentByLink = %d, %v; want %d", byLink.ID, err, a.ID)
		}

		for _, tc := range []struct {
			name string
			inv  appointment.Invitation
			who  person.Person
			by   store.Actor
		}{
			{"booked already", inv, p, byPerson},
			{"someone else's", late, p, byPerson},
			{"expired", late, q, store.Actor{At: late.ExpiresAt}},
		} {
			a := f.appt(tc.who, f.indiv, mondaySlot(1), appointment.OriginPerson)
			a.InvitationID = tc.inv.ID
			err := s.BookAppointment(ctx, &store.Booking{Appointment: a, Capacity: 1}, tc.by, base)
			if !errors.Is(err, store.ErrLinkInvalid) {
				t.Errorf("%s: err = %v, want ErrLinkInvalid", tc.name, err)
			}
		}
		// Nothing of the refused bookings stayed.
		if sl := f.slot(t, s, mondaySlot(1)); sl.Booked != 0 {
			t.Errorf("refused bookings left %d seats booked", sl.Booked)
		}
		if got := invitationOf(t, s, late.ID); !got.BookedAt.IsZero() || got.AppointmentID != 0 {
			t.Errorf("the expired invitation was marked booked: %+v", got)
		}
		// Until the last instant of its last day, it works.
		a = f.appt(q, f.indiv, mondaySlot(1), appointment.OriginPerson)
		a.InvitationID = late.ID
		if err := s.BookAppointment(ctx, &store.Booking{Appointment: a, Capacity: 1}, store.Actor{At: late.ExpiresAt.Add(-time.Second)}, base); err != nil {
			t.Errorf("booking on the invitation's last day: %v", err)
		}
	})
}

func TestMoveAppointment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRdvFixture(t, s)
		p := f.person(t, s, "Léa", "lea@example.org", "")
		q := f.person(t, s, "Hugo", "", "")
		first := f.book(t, s, p, f.indiv, mondaySlot(0), rdvNow)
		f.book(t, s, q, f.indiv, mondaySlot(2), rdvNow)

		moved := f.appt(p, f.indiv, mondaySlot(1), appointment.OriginPerson)
		when := store.Actor{At: rdvNow.Add(time.Hour)}
		if err := s.BookAppointment(ctx, &store.Booking{Appointment: moved, Capacity: 1, Replaces: first.ID}, when, base); err != nil {
			t.Fatal(err)
		}
		if got := appointmentOf(t, s, first.ID); got.Status != appointment.StatusExcused || !got.StatusAt.Equal(when.At) {
			t.Errorf("moved appointment: %s at %s, want excused at %s", got.Status, got.StatusAt, when.At)
		}
		for _, c := range []struct {
			at   time.Time
			want int
		}{{mondaySlot(0), 0}, {mondaySlot(1), 1}} {
			if got := f.slot(t, s, c.at).Booked; got != c.want {
				t.Errorf("after the move, slot %s has %d seats booked, want %d", c.at, got, c.want)
			}
		}
		// The old slot is free for someone else.
		r := f.person(t, s, "Inès", "", "")
		f.book(t, s, r, f.indiv, mondaySlot(0), rdvNow.Add(2*time.Hour))

		// A move to a full slot changes nothing.
		again := f.appt(p, f.indiv, mondaySlot(2), appointment.OriginPerson)
		err := s.BookAppointment(ctx, &store.Booking{Appointment: again, Capacity: 1, Replaces: moved.ID}, store.Actor{At: rdvNow.Add(3 * time.Hour)}, base)
		if !errors.Is(err, store.ErrSlotFull) {
			t.Fatalf("move to a full slot: err = %v, want ErrSlotFull", err)
		}
		if got := appointmentOf(t, s, moved.ID); got.Status != appointment.StatusUnknown {
			t.Errorf("after a refused move, the appointment is %s, want unknown", got.Status)
		}
		if got := f.slot(t, s, mondaySlot(1)).Booked; got != 1 {
			t.Errorf("after a refused move, its slot has %d seats booked, want 1", got)
		}
		as, err := s.Appointments(ctx, store.AppointmentFilter{PersonID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(as) != 2 {
			t.Errorf("%d appointments of the person, want 2 (moved, and the new one)", len(as))
		}
		// Another person's appointment cannot be moved.
		theirs := f.appt(q, f.indiv, mondaySlot(3), appointment.OriginPerson)
		err = s.BookAppointment(ctx, &store.Booking{Appointment: theirs, Capacity: 1, Replaces: moved.ID}, store.Actor{At: rdvNow.Add(3 * time.Hour)}, base)
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("moving someone else's appointment: err = %v, want ErrNotFound", err)
		}
	})
}

func TestAppointmentStatusSeats(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRdvFixture(t, s)
		p := f.person(t, s, "Léa", "lea@example.org", "")
		q := f.person(t, s, "Hugo", "", "")
		type step struct {
			to      appointment.Status
			stale   bool // set from the appointment as first read, whatever happened since
			wantErr error
			seats   int // booked in the slot after the step
		}
		for i, tc := range []struct {
			name  string
			steps []step
			takes bool     // someone else books the slot after the first step
			told  []string // the events of the messages about the appointment, besides its confirmation
		}{
			// A cancellation by the person is told to the structure, one by
			// the service to the person.
			{name: "excused frees the seat", steps: []step{{to: appointment.StatusExcused, seats: 0}}, told: []string{"cancelled"}},
			{name: "revoked frees the seat", steps: []step{{to: appointment.StatusRevoked, seats: 0}}, told: []string{"revoked"}},
			{name: "seen keeps the seat", steps: []step{{to: appointment.StatusSeen, seats: 1}}},
			{name: "noshow keeps the seat", steps: []step{{to: appointment.StatusNoshow, seats: 1}}},
			{name: "undoing a cancellation takes the seat back", told: []string{"cancelled"},
				steps: []step{{to: appointment.StatusExcused, seats: 0}, {to: appointment.StatusUnknown, seats: 1}}},
			{name: "undoing a cancellation when the seat was taken", takes: true, told: []string{"revoked"},
				steps: []step{{to: appointment.StatusRevoked, seats: 0}, {to: appointment.StatusUnknown, wantErr: store.ErrSlotFull, seats: 1}}},
			// The professional corrects the record of a past appointment:
			// nobody is told.
			{name: "an absence excused afterwards frees the seat",
				steps: []step{{to: appointment.StatusNoshow, seats: 1}, {to: appointment.StatusExcused, seats: 0}}},
			{name: "a cancellation corrected",
				steps: []step{{to: appointment.StatusExcused, seats: 0}, {to: appointment.StatusRevoked, seats: 0}}, told: []string{"cancelled"}},
			{name: "a status changed meanwhile",
				steps: []step{{to: appointment.StatusSeen, seats: 1}, {to: appointment.StatusNoshow, stale: true, wantErr: store.ErrConflict, seats: 1}}},
			{name: "a cancellation after a status changed meanwhile",
				steps: []step{{to: appointment.StatusSeen, seats: 1}, {to: appointment.StatusExcused, stale: true, wantErr: store.ErrConflict, seats: 1}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				at := mondaySlot(i)
				first := f.book(t, s, p, f.indiv, at, rdvNow)
				cur := first
				for j, st := range tc.steps {
					// Seen and noshow once the appointment started; a
					// cancellation or its undoing before.
					when := rdvNow.Add(time.Duration(j+1) * time.Hour)
					if st.to == appointment.StatusSeen || st.to == appointment.StatusNoshow || cur.Status == appointment.StatusSeen ||
						cur.Status == appointment.StatusNoshow {
						when = at.Add(time.Duration(j+1) * time.Hour)
					}
					a := cur
					if st.stale {
						a = first
					}
					if !appointment.CanSet(a, st.to, when) {
						t.Fatalf("step %d: the test sets %s at %s, which CanSet refuses", j, st.to, when)
					}
					err := s.SetAppointmentStatus(ctx, &a, st.to, f.by(when), base)
					if !errors.Is(err, st.wantErr) || (st.wantErr == nil) != (err == nil) {
						t.Errorf("step %d, %s → %s: err = %v, want %v", j, a.Status, st.to, err, st.wantErr)
					}
					if st.wantErr == nil && err == nil {
						if got := appointmentOf(t, s, first.ID); got.Status != st.to || !got.StatusAt.Equal(when) || got.StatusBy != f.pro.ID {
							t.Errorf("step %d: status %s at %s by %d, want %s at %s by %d", j, got.Status, got.StatusAt, got.StatusBy,
								st.to, when, f.pro.ID)
						}
					}
					cur = appointmentOf(t, s, first.ID)
					if got := f.slot(t, s, at).Booked; got != st.seats {
						t.Errorf("step %d (%s): %d seats booked, want %d", j, st.to, got, st.seats)
					}
					if j == 0 && tc.takes {
						f.book(t, s, q, f.indiv, at, when)
					}
				}
				var told []string
				for _, m := range outbox(t, s, fmt.Sprintf("appointment:%d:", first.ID)) {
					if ev := strings.Split(m.Key, ":")[2]; ev != store.NoticeBooked && !slices.Contains(told, ev) {
						told = append(told, ev)
					}
				}
				if !slices.Equal(told, tc.told) {
					t.Errorf("messages of %v, want %v", told, tc.told)
				}
			})
		}
	})
}

// rdvMessages returns the outbox rows whose key starts with the prefix,
// with their channel and recipient sorted.
func rdvMessages(t *testing.T, s *store.Store, prefix string) []store.OutboxItem {
	t.Helper()
	items := outbox(t, s, prefix)
	slices.SortFunc(items, func(a, b store.OutboxItem) int { return strings.Compare(a.Key, b.Key) })
	return items
}

// checkDiscreet fails the test when a message names the type of the
// appointment.
func checkDiscreet(t *testing.T, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(strings.ToLower(s), rdvSecret) {
			t.Errorf("a message names the appointment's type: %q", s)
		}
	}
}

// checkSendable fails the test when an SMS is longer than the SMS sender
// accepts, stop line included.
func checkSendable(t *testing.T, m notify.Message) {
	t.Helper()
	if n := utf8.RuneCountInString(m.Text()); m.Channel == notify.SMS && n > notify.MaxSMS {
		t.Errorf("%s: SMS of %d characters, more than %d: %q", m.Key, n, notify.MaxSMS, m.Text())
	}
}

// TestAppointmentSMSFitTheSender checks that every SMS about an
// appointment, stop line included, is short enough for notify.SMSSender,
// which refuses the others for good.
func TestAppointmentSMSFitTheSender(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRdvFixture(t, s)
		p := f.person(t, s, "Léa", "lea@example.org", "06 12 34 56 78")
		f.invite(t, s, p, f.indiv, 0, rdvNow)
		a := f.book(t, s, p, f.indiv, rdvAt(7, 9, 0), rdvNow)
		conv := f.appt(p, f.group, rdvAt(10, 14, 0), appointment.OriginConvocation)
		if err := s.BookAppointment(ctx, &store.Booking{Appointment: conv, Capacity: 3}, f.by(rdvNow), base); err != nil {
			t.Fatal(err)
		}
		for _, now := range []time.Time{rdvAt(4, 10, 0), rdvAt(5, 9, 30), rdvAt(6, 9, 0)} {
			if _, err := s.RemindInvitations(ctx, now, base); err != nil {
				t.Fatal(err)
			}
			if _, err := s.RemindAppointments(ctx, now, base); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SetAppointmentStatus(ctx, &a, appointment.StatusRevoked, f.by(rdvAt(6, 10, 0)), base); err != nil {
			t.Fatal(err)
		}
		items, err := s.Outbox(ctx, store.OutboxFilter{PersonID: p.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		sms := 0
		for _, m := range items {
			if m.Channel == notify.SMS {
				sms++
				checkSendable(t, m.Message)
			}
		}
		// Invitation and its reminder, confirmation, convocation, two
		// reminders of the appointment, revocation.
		if sms != 7 {
			t.Errorf("%d SMS, want 7", sms)
		}
	})
}

func TestInvitationMessages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRdvFixture(t, s)
		for _, tc := range []struct {
			name, email, phone string
			want               []string // channel:recipient, sorted
		}{
			{"email and mobile", "lea@example.org", "06 12 34 56 78", []string{"email:lea@example.org", "sms:06 12 34 56 78"}},
			{"mobile only", "", "06.98.76.54.32", []string{"sms:06 98 76 54 32"}},
			{"email and landline", "hugo@example.org", "03 84 12 34 56", []string{"email:hugo@example.org"}},
			{"nothing", "", "", nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := f.person(t, s, "Léa", tc.email, tc.phone)
				inv := f.invite(t, s, p, f.indiv, 0, rdvNow)
				items := rdvMessages(t, s, fmt.Sprintf("invitation:%d:", inv.ID))
				var got []string
				for _, m := range items {
					got = append(got, string(m.Channel)+":"+m.To)
					if m.PersonID != p.ID {
						t.Errorf("%s: person %d, want %d (so that a stopped channel is honoured)", m.Key, m.PersonID, p.ID)
					}
					link := rdvLinkRE.FindStringSubmatch(m.Body)
					if link == nil {
						t.Errorf("%s: no /rdv/ link in %q", m.Key, m.Body)
					} else if byLink, err := s.InvitationByLink(ctx, link[1]); err != nil || byLink.ID != inv.ID {
						t.Errorf("%s: the link opens %d, %v; want invitation %d", m.Key, byLink.ID, err, inv.ID)
					}
					if !rdvStopRE.MatchString(m.Body) && !rdvStopRE.MatchString(m.StopURL) {
						t.Errorf("%s: no stop link in %q", m.Key, m.Body)
					}
					checkSendable(t, m.Message)
					checkDiscreet(t, m.Subject, m.Body)
				}
				slices.Sort(got)
				if !slices.Equal(got, tc.want) {
					t.Errorf("messages to %v, want %v", got, tc.want)
				}
			})
		}
	})
}

func TestConfirmationCalendar(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRdvFixture(t, s)
		p := f.person(t, s, "Léa", "lea@example.org", "06 12 34 56 78")
		at := rdvAt(7, 9, 30) // 07:30 UTC
		a := f.appt(p, f.indiv, at, appointment.OriginAgent)
		b := &store.Booking{Appointment: a, Capacity: 1}
		if err := s.BookAppointment(ctx, b, f.by(rdvNow), base); err != nil {
			t.Fatal(err)
		}
		items, err := s.ClaimOutbox(ctx, rdvNow.Add(time.Minute), time.Minute, 100)
		if err != nil {
			t.Fatal(err)
		}
		prefix := fmt.Sprintf("appointment:%d:booked:", a.ID)
		var got []string
		for _, m := range items {
			if !strings.HasPrefix(m.Key, prefix) {
				continue
			}
			got = append(got, string(m.Channel))
			checkDiscreet(t, m.Subject, m.Body)
			if l := rdvManageRE.FindStringSubmatch(m.Body); l == nil || l[1] != b.Token {
				t.Errorf("%s: no link to manage the appointment in %q", m.Key, m.Body)
			}
			if m.Channel == notify.SMS {
				if len(m.Attachments) != 0 {
					t.Errorf("an SMS with attachments: %+v", m.Attachments)
				}
				continue
			}
			if len(m.Attachments) != 1 {
				t.Fatalf("email with %d attachments, want the calendar invitation", len(m.Attachments))
			}
			att := m.Attachments[0]
			ics := string(att.Data)
			checkDiscreet(t, ics)
			if !strings.HasPrefix(att.ContentType, "text/calendar") || !strings.HasSuffix(att.Name, ".ics") {
				t.Errorf("attachment %q of type %q", att.Name, att.ContentType)
			}
			for _, want := range []string{"METHOD:REQUEST", "DTSTART:20260907T073000Z\r\n", "DTEND:20260907T080000Z\r\n", "ATTENDEE;"} {
				if !strings.Contains(ics, want) {
					t.Errorf("calendar invitation without %q:\n%s", want, ics)
				}
			}
		}
		if !slices.Equal(got, []string{"email", "sms"}) && !slices.Equal(got, []string{"sms", "email"}) {
			t.Errorf("confirmation sent by %v, want email and SMS", got)
		}
	})
}

func TestIndicatorsOfAMonth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRdvFixture(t, s)
		decided := rdvAt(1, 9, 0)
		var ps []person.Person
		for _, name := range []string{"Léa", "Hugo", "Inès"} {
			p := f.person(t, s, name, strings.ToLower(name)+"@example.org", "")
			o := f.oriented(t, s, p, decided)
			if !o.DecidedAt.Equal(decided) {
				t.Fatalf("decided at %s, want %s", o.DecidedAt, decided)
			}
			ps = append(ps, p)
		}
		// Léa is invited on the 2nd and books herself the next day, for the
		// 11th: seen 10 days after the decision.
		inv := f.invite(t, s, ps[0], f.indiv, 0, rdvAt(2, 9, 0))
		lea := f.appt(ps[0], f.indiv, rdvAt(11, 14, 0), appointment.OriginPerson)
		lea.InvitationID = inv.ID
		if err := s.BookAppointment(ctx, &store.Booking{Appointment: lea, Capacity: 1}, store.Actor{At: rdvAt(3, 9, 0)}, base); err != nil {
			t.Fatal(err)
		}
		// Hugo is invited on the 2nd; the professional books for him two
		// days later, for the 21st: seen 20 days after.
		f.invite(t, s, ps[1], f.indiv, 0, rdvAt(2, 9, 0))
		hugo := f.book(t, s, ps[1], f.indiv, rdvAt(21, 9, 0), rdvAt(4, 9, 0))
		// Inès, never invited, does not come on the 14th.
		ines := f.book(t, s, ps[2], f.indiv, rdvAt(14, 9, 0), rdvAt(2, 9, 0))
		for _, c := range []struct {
			a  appointment.Appointment
			to appointment.Status
		}{{*lea, appointment.StatusSeen}, {hugo, appointment.StatusSeen}, {ines, appointment.StatusNoshow}} {
			if err := s.SetAppointmentStatus(ctx, &c.a, c.to, f.by(c.a.EndsAt()), base); err != nil {
				t.Fatal(err)
			}
		}

		from, to := rdvAt(1, 0, 0), time.Date(2026, time.October, 1, 0, 0, 0, 0, orientation.Paris())
		d, err := s.Indicators(ctx, f.st.ID, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Orientations) != 3 || len(d.Invitations) != 2 || len(d.Appointments) != 3 {
			t.Fatalf("indicator data: %d orientations, %d invitations, %d appointments; want 3, 2, 3",
				len(d.Orientations), len(d.Invitations), len(d.Appointments))
		}
		got := appointment.Compute(d.Orientations, d.Invitations, d.Appointments, from, to)
		if len(got) != 1 || !got[0].Month.Equal(from) {
			t.Fatalf("Compute = %+v, want September alone", got)
		}
		want := appointment.Indicators{Month: got[0].Month, Oriented: 3, FirstSeen: 2, MedianDaysToFirstSeen: 15,
			Under15: 1.0 / 3, Under30: 2.0 / 3, NoShowRate: 1.0 / 3, Invited: 2, SelfBooked: 0.5, MedianDaysInvitationToAppointment: 1.5}
		if !sameIndicators(got[0], want) {
			t.Errorf("indicators =\n%+v\nwant\n%+v", got[0], want)
		}
		// Another structure's indicators hold nothing of these.
		other := territory.Structure{TerritoryID: f.tr.ID, Kind: territory.KindFranceTravail, Name: "France Travail Belfort"}
		if err := s.CreateStructure(ctx, &other); err != nil {
			t.Fatal(err)
		}
		if d, err := s.Indicators(ctx, other.ID, from, to); err != nil || len(d.Orientations)+len(d.Invitations)+len(d.Appointments) != 0 {
			t.Errorf("another structure's data: %+v, %v", d, err)
		}
	})
}

func sameIndicators(a, b appointment.Indicators) bool {
	near := func(x, y float64) bool { return math.Abs(x-y) < 1e-9 }
	return a.Month.Equal(b.Month) && a.Oriented == b.Oriented && a.FirstSeen == b.FirstSeen && a.Invited == b.Invited &&
		near(a.MedianDaysToFirstSeen, b.MedianDaysToFirstSeen) && near(a.Under15, b.Under15) && near(a.Under30, b.Under30) &&
		near(a.NoShowRate, b.NoShowRate) && near(a.SelfBooked, b.SelfBooked) &&
		near(a.MedianDaysInvitationToAppointment, b.MedianDaysInvitationToAppointment)
}
