package main

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/appointment"
	"github.com/spie-parcours/parcours/internal/demo"
	"github.com/spie-parcours/parcours/internal/orientation"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
)

// demoRdv is what the demo's appointments hold at now.
type demoRdv struct {
	types, agendas, appointments, invitations int
	past, future, pending, expired            int
	statuses                                  map[appointment.FollowUpStatus]int
}

// countRdv reads the demo's appointments and invitations with the
// structures that have professionals, and derives the follow-up status of
// each person with each structure: from the structure's follow-ups (the
// people oriented to it) and, for the others, from their invitations and
// appointments with it.
func countRdv(t *testing.T, st *store.Store, territoryID int64, structures []int64, now time.Time) demoRdv {
	t.Helper()
	ctx := context.Background()
	c := demoRdv{statuses: map[appointment.FollowUpStatus]int{}}
	types, err := st.AppointmentTypes(ctx, territoryID)
	if err != nil {
		t.Fatal(err)
	}
	agendas, err := st.Agendas(ctx, store.AgendaFilter{TerritoryID: territoryID})
	if err != nil {
		t.Fatal(err)
	}
	c.types, c.agendas = len(types), len(agendas)
	apps, err := st.Appointments(ctx, store.AppointmentFilter{StructureIDs: structures})
	if err != nil {
		t.Fatal(err)
	}
	c.appointments = len(apps)
	type key struct{ structure, person int64 }
	byKey := map[key][]appointment.Appointment{}
	for _, a := range apps {
		if a.Past(now) {
			c.past++
		} else {
			c.future++
		}
		byKey[key{a.StructureID, a.PersonID}] = append(byKey[key{a.StructureID, a.PersonID}], a)
	}
	ids, err := st.PersonIDs(ctx, territoryID, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	invsByKey := map[key][]appointment.Invitation{}
	for _, id := range ids {
		invs, err := st.PersonInvitations(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, inv := range invs {
			c.invitations++
			switch {
			case inv.AppointmentID != 0 || !inv.BookedAt.IsZero():
			case appointment.Expired(inv, now):
				c.expired++
			default:
				c.pending++
			}
			k := key{inv.StructureID, inv.PersonID}
			invsByKey[k] = append(invsByKey[k], inv)
		}
	}
	followed := map[key]bool{}
	for _, sid := range structures {
		items, err := st.FollowUps(ctx, sid)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			followed[key{sid, it.PersonID}] = true
			c.statuses[appointment.FollowUp(it.Invitations, it.Appointments, it.Closed, now)]++
		}
	}
	seen := map[key]bool{}
	for _, k := range append(slices.Collect(maps.Keys(byKey)), slices.Collect(maps.Keys(invsByKey))...) {
		if followed[k] || seen[k] {
			continue
		}
		seen[k] = true
		c.statuses[appointment.FollowUp(invsByKey[k], byKey[k], false, now)]++
	}
	return c
}

// TestDemoAppointments seeds the demo on a fresh SQLite database and
// checks its appointments: the types, a valid agenda in every structure
// that has professionals, appointments past and to come at times their
// agendas offered, with no slot over its seats, invitations waiting and
// expired, the follow-up statuses a structure sees, no message written for
// that history; then that a second run adds nothing and that the CCAS still
// has free slots next week.
func TestDemoAppointments(t *testing.T) {
	ref, err := referential.Load()
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	tr, _, err := seedDemo(ctx, st, ref, 150, 90)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()

	// The structures with professionals, and the CCAS among them.
	var structures []int64
	var ccas int64
	for _, m := range demo.Members {
		if !slices.Contains(m.Roles, account.RoleProfessional) {
			continue
		}
		s, err := st.StructureByName(ctx, tr.ID, m.Structure)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(structures, s.ID) {
			structures = append(structures, s.ID)
		}
		if m.Structure == demo.Structures[4].Name {
			ccas = s.ID
		}
	}

	types, err := st.AppointmentTypes(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]appointment.Type{}
	for _, typ := range types {
		byID[typ.ID] = typ
	}
	for _, want := range demoTypes {
		if !slices.ContainsFunc(types, func(got appointment.Type) bool {
			return got.Label == want.Label && got.Category == want.Category && got.DurationMin == want.DurationMin &&
				got.Capacity == want.Capacity
		}) {
			t.Errorf("no type %q (%s, %d min, %d seats) in %+v", want.Label, want.Category, want.DurationMin, want.Capacity, types)
		}
	}
	if days, err := st.InvitationDays(ctx, tr.ID); err != nil || days != demoInvitationDays {
		t.Errorf("invitation days = %d, %v; want %d", days, err, demoInvitationDays)
	}

	agendas, err := st.Agendas(ctx, store.AgendaFilter{TerritoryID: tr.ID})
	if err != nil {
		t.Fatal(err)
	}
	agendaByID := map[int64]appointment.Agenda{}
	for _, sid := range structures {
		if !slices.ContainsFunc(agendas, func(a appointment.Agenda) bool { return a.StructureID == sid }) {
			t.Errorf("structure %d has professionals but no agenda", sid)
		}
	}
	for _, a := range agendas {
		agendaByID[a.ID] = a
		if fs := appointment.ValidateAgenda(a, byID); len(fs) > 0 {
			t.Errorf("agenda %q: %v", a.Name, fs)
		}
		if len(a.Rules) == 0 && !slices.ContainsFunc(a.Exceptions, func(e appointment.Exception) bool { return !e.Closed }) {
			t.Errorf("agenda %q never opens", a.Name)
		}
	}

	// Every appointment is at a slot its agenda offered when it was
	// booked, and no slot holds more people than its seats.
	apps, err := st.Appointments(ctx, store.AppointmentFilter{StructureIDs: structures})
	if err != nil {
		t.Fatal(err)
	}
	seats := map[rdvSeat]int{}
	for _, a := range apps {
		ag := agendaByID[a.AgendaID]
		offered := appointment.Slots(ag, byID, a.StartsAt, a.StartsAt.Add(time.Minute), a.CreatedAt)
		if !slices.ContainsFunc(offered, func(sl appointment.Slot) bool { return sl.TypeID == a.TypeID && sl.PlaceID == a.PlaceID }) {
			t.Errorf("appointment %d at %s (booked %s) is no slot of %q", a.ID, a.StartsAt, a.CreatedAt, ag.Name)
		}
		if a.Status != appointment.StatusExcused && a.Status != appointment.StatusRevoked {
			seats[rdvSeat{a.AgendaID, a.StartsAt.Unix()}]++
			if n, most := seats[rdvSeat{a.AgendaID, a.StartsAt.Unix()}], max(byID[a.TypeID].Capacity, 1); n > most {
				t.Errorf("%d people in a slot of %d seats of %q at %s", n, most, ag.Name, a.StartsAt)
			}
		}
		if a.Status != appointment.StatusUnknown && (a.StatusAt.Before(a.CreatedAt) || a.StatusAt.After(now)) {
			t.Errorf("appointment %d created %s got its status %s at %s", a.ID, a.CreatedAt, a.Status, a.StatusAt)
		}
	}

	first := countRdv(t, st, tr.ID, structures, now)
	t.Logf("%d appointments (%d past, %d to come), %d invitations (%d pending, %d expired), follow-ups %v", first.appointments,
		first.past, first.future, first.invitations, first.pending, first.expired, first.statuses)
	if first.past < 50 || first.past > 75 || first.future < 30 || first.future > 50 {
		t.Errorf("%d appointments past and %d to come, want about 60 and 40", first.past, first.future)
	}
	if first.pending < 12 || first.pending > 18 || first.expired < 4 || first.expired > 10 {
		t.Errorf("%d invitations pending and %d expired, want about 15 and 5", first.pending, first.expired)
	}
	for _, s := range []appointment.FollowUpStatus{appointment.FollowRdvSeen, appointment.FollowRdvPending,
		appointment.FollowInvitationPending, appointment.FollowInvitationExpired, appointment.FollowRdvNoshow} {
		if first.statuses[s] == 0 {
			t.Errorf("no follow-up %s: %v", s, first.statuses)
		}
	}
	for _, prefix := range []string{"invitation:", "appointment:"} {
		if msgs, err := st.Outbox(ctx, store.OutboxFilter{KeyPrefix: prefix}); err != nil || len(msgs) > 0 {
			t.Errorf("the demo's history wrote %d %s messages (%v), want none", len(msgs), prefix, err)
		}
	}

	if err := seedAppointments(ctx, st, ref, tr); err != nil {
		t.Fatal(err)
	}
	if _, _, err := seedDemo(ctx, st, ref, 150, 90); err != nil {
		t.Fatal(err)
	}
	again := countRdv(t, st, tr.ID, structures, now)
	if again.types != first.types || again.agendas != first.agendas || again.appointments != first.appointments ||
		again.invitations != first.invitations {
		t.Errorf("second run changed the appointments: %+v, then %+v", first, again)
	}

	paris := orientation.Paris()
	monday := nextWeekday(parisDay(now).AddDate(0, 0, 1), time.Monday)
	from := time.Date(monday.Year(), monday.Month(), monday.Day(), 0, 0, 0, 0, paris)
	free, err := st.Slots(ctx, store.SlotFilter{TerritoryID: tr.ID, StructureIDs: []int64{ccas}, From: from, To: from.AddDate(0, 0, 7),
		Now: now, FreeOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(free) == 0 {
		t.Errorf("the CCAS has no free slot in the week of %s", monday.Format(time.DateOnly))
	}
}
