package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/audit"
	"github.com/spie-parcours/parcours/internal/orientation"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
	"github.com/spie-parcours/parcours/internal/territory"
)

// assignmentFixture is a CCAS with a manager and two professionals (one
// disabled), a France Travail adviser who registers the people (and so is
// their first référent, outside the CCAS), and a coordinator.
type assignmentFixture struct {
	tr                          territory.Territory
	ccas, ft                    territory.Structure
	manager, pro, disabled, adv account.Account
	coord                       account.Account
	decided                     time.Time
	rules                       orientation.Rules
}

func newAssignmentFixture(t *testing.T, s *store.Store) *assignmentFixture {
	t.Helper()
	ctx := context.Background()
	// Contracts due two months after the decision, appointments 30 days
	// after: the two delays fall on different days.
	f := &assignmentFixture{decided: time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC),
		rules: orientation.Rules{DecisionDays: 42, ContractMonths: 2, AppointmentDays: 30, AppointmentTargetDays: 15}}
	tr, ccas, pro := fixture(t, s)
	f.tr, f.ccas, f.pro = tr, ccas, pro
	f.ft = territory.Structure{TerritoryID: tr.ID, Kind: territory.KindFranceTravail, Name: "France Travail Belfort"}
	if err := s.CreateStructure(ctx, &f.ft); err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		acc       *account.Account
		email     string
		structure int64
		role      account.Role
	}{
		{&f.manager, "direction@ccas.example", ccas.ID, account.RoleStructureManager},
		{&f.disabled, "parti@ccas.example", ccas.ID, account.RoleProfessional},
		{&f.adv, "conseil@ft.example", f.ft.ID, account.RoleProfessional},
		{&f.coord, "orientation@dep.example", f.ft.ID, account.RoleCoordinator},
	} {
		*a.acc = account.Account{Email: a.email, FirstName: "Prénom", LastName: strings.Split(a.email, "@")[0], PasswordHash: "x"}
		if err := s.CreateAccount(ctx, a.acc); err != nil {
			t.Fatal(err)
		}
		if err := s.AddMembership(ctx, a.acc.ID, a.structure, a.role); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetAccountDisabled(ctx, f.disabled.ID, true, f.decided); err != nil {
		t.Fatal(err)
	}
	return f
}

// oriented registers a person at France Travail and orients them to the
// structure, with the référent named (0: left to the structure).
func (f *assignmentFixture) oriented(t *testing.T, s *store.Store, last string, structureID, referentID int64) int64 {
	t.Helper()
	ctx := context.Background()
	by := store.Actor{AccountID: f.adv.ID, StructureID: f.ft.ID, At: f.decided.AddDate(0, 0, -10)}
	p := person.Person{TerritoryID: f.tr.ID, FirstName: "Inès", LastName: last, BirthDate: time.Date(1988, 5, 17, 0, 0, 0, 0, time.UTC),
		CommuneINSEE: "90010"}
	if err := s.CreatePerson(ctx, &p, by); err != nil {
		t.Fatal(err)
	}
	o := orientation.Request{PersonID: p.ID, TerritoryID: f.tr.ID, Source: orientation.SourceProfessional,
		DueOn: time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC)}
	if err := s.CreateOrientation(ctx, &o, by); err != nil {
		t.Fatal(err)
	}
	d := orientation.Decision{Outcome: orientation.StatusAccepted, Type: orientation.TypeSocial, StructureID: structureID, ReferentID: referentID}
	if err := f.rules.Decide(&o, d, f.coord.ID, f.decided); err != nil {
		t.Fatal(err)
	}
	decider := store.Actor{AccountID: f.coord.ID, StructureID: f.ft.ID, At: f.decided}
	if err := s.DecideOrientation(ctx, &o, o.Explain("", ""), decider); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func awaitingIDs(t *testing.T, s *store.Store, structureID int64) []int64 {
	t.Helper()
	items, err := s.AwaitingReferent(context.Background(), structureID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, it := range items {
		ids = append(ids, it.PersonID)
	}
	return ids
}

func referentOf(t *testing.T, s *store.Store, personID int64) person.TeamMember {
	t.Helper()
	team, err := s.Team(context.Background(), personID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range team {
		if m.Active() && m.Referent {
			return m
		}
	}
	t.Fatalf("person %d has no référent", personID)
	return person.TeamMember{}
}

func TestAwaitingReferent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAssignmentFixture(t, s)
		waiting := f.oriented(t, s, "Attente", f.ccas.ID, 0)
		named := f.oriented(t, s, "Nommé", f.ccas.ID, f.pro.ID)
		f.oriented(t, s, "Ailleurs", f.ft.ID, 0)
		if got := awaitingIDs(t, s, f.ccas.ID); len(got) != 1 || got[0] != waiting {
			t.Fatalf("awaiting the CCAS = %v, want [%d] (not %d, whose référent is named)", got, waiting, named)
		}
		// Oriented to France Travail, whose adviser registered them and is
		// their référent: taken in charge already.
		if got := awaitingIDs(t, s, f.ft.ID); len(got) != 0 {
			t.Errorf("awaiting France Travail = %v, want none", got)
		}
		items, _ := s.AwaitingReferent(ctx, f.ccas.ID)
		it := items[0]
		if it.FirstName != "Inès" || it.LastName != "Attente" || !it.BirthDate.Equal(time.Date(1988, 5, 17, 0, 0, 0, 0, time.UTC)) ||
			it.CommuneINSEE != "90010" || !it.OrientedAt.Equal(f.decided) ||
			!it.AppointmentDueOn.Equal(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) || it.ContractDueOn.IsZero() {
			t.Errorf("item = %+v", it)
		}

		// A référent of the CCAS made otherwise (the team) ends the wait.
		if _, err := s.AddTeamMember(ctx, waiting, f.pro.ID, f.ccas.ID, true, store.Actor{AccountID: f.adv.ID, StructureID: f.ft.ID}); err != nil {
			t.Fatal(err)
		}
		if got := awaitingIDs(t, s, f.ccas.ID); len(got) != 0 {
			t.Errorf("awaiting after the team named a CCAS référent = %v", got)
		}

		// A later orientation elsewhere ends the wait too.
		again := f.oriented(t, s, "Réorienté", f.ccas.ID, 0)
		f.decided = f.decided.Add(time.Hour)
		o := orientation.Request{PersonID: again, TerritoryID: f.tr.ID, Source: orientation.SourceProfessional, DueOn: f.decided}
		by := store.Actor{AccountID: f.adv.ID, StructureID: f.ft.ID, At: f.decided}
		if err := s.CreateOrientation(ctx, &o, by); err != nil {
			t.Fatal(err)
		}
		if got := awaitingIDs(t, s, f.ccas.ID); len(got) != 1 || got[0] != again {
			t.Fatalf("a pending request changes nothing yet: %v", got)
		}
		d := orientation.Decision{Outcome: orientation.StatusAccepted, Type: orientation.TypePro, StructureID: f.ft.ID}
		if err := f.rules.Decide(&o, d, f.coord.ID, f.decided); err != nil {
			t.Fatal(err)
		}
		if err := s.DecideOrientation(ctx, &o, "Orientation", store.Actor{AccountID: f.coord.ID, At: f.decided}); err != nil {
			t.Fatal(err)
		}
		if got := awaitingIDs(t, s, f.ccas.ID); len(got) != 0 {
			t.Errorf("awaiting the CCAS after an orientation to France Travail = %v", got)
		}
	})
}

func TestProfessionals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newAssignmentFixture(t, s)
		got, err := s.Professionals(context.Background(), f.ccas.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Neither the manager nor the disabled professional.
		if len(got) != 1 || got[0].ID != f.pro.ID || got[0].Email != "ts@ccas.example" || got[0].Name != "Awa Diallo" ||
			got[0].Structure != "CCAS de Belfort" {
			t.Errorf("professionals = %+v", got)
		}
	})
}

func TestAssignReferents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAssignmentFixture(t, s)
		a := f.oriented(t, s, "Alpha", f.ccas.ID, 0)
		b := f.oriented(t, s, "Bravo", f.ccas.ID, 0)
		by := store.Actor{AccountID: f.manager.ID, StructureID: f.ccas.ID, At: f.decided.AddDate(0, 0, 3)}
		audits := func() int {
			n := 0
			if err := s.WalkAudit(ctx, func(audit.Entry) error { n++; return nil }); err != nil {
				t.Fatal(err)
			}
			return n
		}

		// Each failure changes nothing, the valid assignment beside it included.
		other := f.oriented(t, s, "Ailleurs", f.ft.ID, 0)
		before := audits()
		for name, as := range map[string]map[int64]int64{
			"adviser of another structure":  {a: f.pro.ID, b: f.adv.ID},
			"manager, not a professional":   {a: f.manager.ID},
			"disabled professional":         {a: f.disabled.ID},
			"unknown account":               {a: 999999},
			"person waiting for another":    {a: f.pro.ID, other: f.pro.ID},
			"person oriented to nobody yet": {a: f.pro.ID, 999999: f.pro.ID},
		} {
			err := s.AssignReferents(ctx, f.ccas.ID, as, by)
			if !errors.Is(err, store.ErrConflict) {
				t.Errorf("%s: err = %v, want ErrConflict", name, err)
			}
		}
		if got := awaitingIDs(t, s, f.ccas.ID); len(got) != 2 {
			t.Fatalf("after failures, awaiting = %v, want both", got)
		}
		if referentOf(t, s, a).AccountID != f.adv.ID || audits() != before {
			t.Fatal("a failed assignment changed the team or the audit trail")
		}

		if err := s.AssignReferents(ctx, f.ccas.ID, map[int64]int64{a: f.pro.ID, b: f.pro.ID}, by); err != nil {
			t.Fatal(err)
		}
		if got := awaitingIDs(t, s, f.ccas.ID); len(got) != 0 {
			t.Errorf("awaiting after assignment = %v", got)
		}
		for _, id := range []int64{a, b} {
			m := referentOf(t, s, id)
			if m.AccountID != f.pro.ID || m.StructureID != f.ccas.ID {
				t.Errorf("person %d: référent %+v, want the CCAS professional", id, m)
			}
			team, _ := s.Team(ctx, id)
			if len(team) != 2 || team[1].AccountID != f.adv.ID || !team[1].Active() || team[1].Referent {
				t.Errorf("person %d: the former référent should stay a member: %+v", id, team)
			}
			os, _ := s.PersonOrientations(ctx, id)
			if os[0].ReferentID != f.pro.ID {
				t.Errorf("person %d: orientation référent = %d", id, os[0].ReferentID)
			}
			es, _ := s.Timeline(ctx, id, 0, 1)
			if len(es) != 1 || es[0].Kind != "referent_changed" ||
				es[0].Summary != "Awa Diallo (CCAS de Belfort) devient référent unique, désigné par le gestionnaire de la structure" ||
				es[0].AccountID != f.manager.ID {
				t.Errorf("person %d: timeline %+v", id, es)
			}
		}
		var entries []audit.Entry
		_ = s.WalkAudit(ctx, func(e audit.Entry) error { entries = append(entries, e); return nil })
		if got := entries[len(entries)-2:]; len(entries) != before+2 || got[0].PersonID != a || got[1].PersonID != b ||
			got[0].Section != "team" || got[0].Action != "update" || got[0].AccountID != f.manager.ID || got[0].StructureID != f.ccas.ID {
			t.Errorf("audit: %d entries after %d, last %+v", len(entries), before, got)
		}

		// Once named, the person waits no more: a second assignment fails.
		if err := s.AssignReferents(ctx, f.ccas.ID, map[int64]int64{a: f.pro.ID}, by); !errors.Is(err, store.ErrConflict) {
			t.Errorf("assigning twice: err = %v, want ErrConflict", err)
		}
		if err := s.AssignReferents(ctx, f.ccas.ID, nil, by); err != nil {
			t.Errorf("nothing to assign: %v", err)
		}
	})
}

func TestOverdueCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAssignmentFixture(t, s)
		// Decided on 1 September 2026: first appointment due 1 October,
		// contract due 1 November.
		f.oriented(t, s, "Un", f.ccas.ID, 0)
		f.oriented(t, s, "Deux", f.ccas.ID, 0)
		f.oriented(t, s, "Pris", f.ccas.ID, f.pro.ID) // taken in charge: never counted
		f.decided = time.Date(2026, 10, 20, 10, 0, 0, 0, time.UTC)
		f.oriented(t, s, "Récent", f.ccas.ID, 0) // due 19 November and 20 December
		for _, tc := range []struct {
			today time.Time
			want  store.OverdueCounts
		}{
			{time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), store.OverdueCounts{Awaiting: 3}}, // the due date itself is on time
			{time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC), store.OverdueCounts{Awaiting: 3, Appointment: 2}},
			{time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC), store.OverdueCounts{Awaiting: 3, Appointment: 3, Contract: 2}},
		} {
			got, err := s.StructureOverdue(ctx, f.ccas.ID, tc.today)
			if err != nil || got != tc.want {
				t.Errorf("%s: %+v, %v; want %+v", tc.today.Format("2006-01-02"), got, err, tc.want)
			}
		}
		if got, err := s.StructureOverdue(ctx, f.ft.ID, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil || got != (store.OverdueCounts{}) {
			t.Errorf("a structure nobody is oriented to: %+v, %v", got, err)
		}
	})
}

func TestOverdueRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAssignmentFixture(t, s)
		f.oriented(t, s, "Décidée", f.ccas.ID, 0) // due 2 October, but decided: never overdue
		by := store.Actor{AccountID: f.adv.ID, StructureID: f.ft.ID, At: f.decided}
		for i, due := range []time.Time{time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 9, 0, 0, 0, 0, time.UTC)} {
			p := person.Person{TerritoryID: f.tr.ID, FirstName: "Attend", LastName: strings.Repeat("x", i+1),
				BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)}
			if err := s.CreatePerson(ctx, &p, by); err != nil {
				t.Fatal(err)
			}
			o := orientation.Request{PersonID: p.ID, TerritoryID: f.tr.ID, Source: orientation.SourceProfessional, DueOn: due}
			if err := s.CreateOrientation(ctx, &o, by); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			today time.Time
			want  int
		}{
			{time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC), 0},
			{time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC), 1},
			{time.Date(2026, 10, 9, 23, 0, 0, 0, time.UTC), 1}, // the date is read in its own location
			{time.Date(2026, 10, 10, 0, 0, 0, 0, time.FixedZone("CEST", 2*3600)), 2},
		} {
			if got, err := s.OverdueRequests(ctx, f.tr.ID, tc.today); err != nil || got != tc.want {
				t.Errorf("%s: %d, %v; want %d", tc.today, got, err, tc.want)
			}
		}
		other := territory.Territory{Code: "25", Name: "Doubs"}
		if err := s.CreateTerritory(ctx, &other); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.OverdueRequests(ctx, other.ID, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); got != 0 {
			t.Errorf("another territory: %d", got)
		}
	})
}
