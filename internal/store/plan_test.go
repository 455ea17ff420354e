package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/orientation"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
)

// planStart is when the plan tests begin: every change is dated from it.
var planStart = time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)

// day returns a civil date (midnight UTC), as due dates are stored.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// newPerson registers a person of the territory; the actor becomes their
// référent.
func newPerson(t *testing.T, s *store.Store, territoryID int64, first, email string, by store.Actor) person.Person {
	t.Helper()
	p := person.Person{TerritoryID: territoryID, FirstName: first, LastName: "Roux", Email: email, CommuneINSEE: "90010",
		BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := s.CreatePerson(context.Background(), &p, by); err != nil {
		t.Fatal(err)
	}
	return p
}

// events returns the person's timeline, newest first.
func events(t *testing.T, s *store.Store, personID int64) []person.Event {
	t.Helper()
	es, err := s.Timeline(context.Background(), personID, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// accessLog returns the audit entries about the person, newest first.
func accessLog(t *testing.T, s *store.Store, personID int64) []store.AccessItem {
	t.Helper()
	items, _, err := s.AccessLog(context.Background(), personID, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// objective creates an objective of the referential's mobility theme.
func objective(t *testing.T, s *store.Store, personID int64, label string, by store.Actor) person.Objective {
	t.Helper()
	o := person.Objective{PersonID: personID, Theme: "mobilite", Label: label,
		Situations: []referential.Situation{{ThemeCode: "mobilite", Label: "Pas de permis de conduire"}}}
	if err := s.CreateObjective(context.Background(), &o, by); err != nil {
		t.Fatal(err)
	}
	return o
}

func actionLabels(as []person.Action) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Label)
	}
	return out
}

func TestPlanGroupsActionsByObjectiveAndDueDate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tr, st, a := fixture(t, s)
		by := store.Actor{AccountID: a.ID, StructureID: st.ID, At: planStart}
		p := newPerson(t, s, tr.ID, "Jade", "", by)
		other := newPerson(t, s, tr.ID, "Léo", "", by)

		car := objective(t, s, p.ID, "Accéder à un véhicule", by)
		by.At = planStart.Add(time.Hour)
		home := person.Objective{PersonID: p.ID, Theme: "logement", Label: "Accéder à un logement"}
		if err := s.CreateObjective(ctx, &home, by); err != nil {
			t.Fatal(err)
		}
		for i, a := range []person.Action{
			{ObjectiveID: car.ID, Label: "Code de la route", Status: person.ActionPlanned, DueOn: day(2026, 11, 1), WeeklyHours: 2.5},
			{ObjectiveID: car.ID, Label: "Sans date", Status: person.ActionPlanned},
			{ObjectiveID: car.ID, Label: "Inscription auto-école", Status: person.ActionPlanned, DueOn: day(2026, 10, 1),
				StructureID: st.ID, AccountID: a.ID, WeeklyHours: 1},
			{ObjectiveID: home.ID, Label: "Demande de logement social", Status: person.ActionInProgress, DueOn: day(2026, 9, 15)},
		} {
			a.PersonID = p.ID
			by.At = planStart.Add(time.Duration(2+i) * time.Hour)
			if err := s.CreateAction(ctx, &a, by); err != nil {
				t.Fatal(err)
			}
		}

		plan, err := s.Plan(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan) != 2 || plan[0].ID != car.ID || plan[1].ID != home.ID {
			t.Fatalf("plan = %+v, want the vehicle objective then the housing one", plan)
		}
		if got := plan[0]; got.Status != person.ObjectiveInProgress || got.Theme != "mobilite" ||
			len(got.Situations) != 1 || got.Situations[0].Label != "Pas de permis de conduire" || got.CreatedBy != a.ID {
			t.Errorf("objective = %+v, want in progress with its situation", got)
		}
		if got, want := actionLabels(plan[0].Actions), []string{"Inscription auto-école", "Code de la route", "Sans date"}; !slices.Equal(got, want) {
			t.Errorf("vehicle actions = %q, want %q (by due date, undated last)", got, want)
		}
		if got, want := actionLabels(plan[1].Actions), []string{"Demande de logement social"}; !slices.Equal(got, want) {
			t.Errorf("housing actions = %q, want %q", got, want)
		}
		first := plan[0].Actions[0]
		if !first.DueOn.Equal(day(2026, 10, 1)) || first.StructureName != "CCAS de Belfort" || first.AccountName != "Awa Diallo" ||
			first.WeeklyHours != 1 || first.Status != person.ActionPlanned {
			t.Errorf("action read back = %+v", first)
		}
		if got := plan[0].Actions[1].WeeklyHours; got != 2.5 {
			t.Errorf("weekly hours = %v, want 2.5", got)
		}
		if got := person.WeeklyActivity(plan); got != 3.5 {
			t.Errorf("weekly activity = %v, want 3.5", got)
		}

		for _, tc := range []struct {
			name string
			a    person.Action
		}{
			{"objective of another person", person.Action{PersonID: other.ID, ObjectiveID: car.ID, Label: "Intrusion", Status: person.ActionPlanned}},
			{"unknown objective", person.Action{PersonID: p.ID, ObjectiveID: car.ID + 1000, Label: "Perdue", Status: person.ActionPlanned}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := s.CreateAction(ctx, &tc.a, by); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("err = %v, want ErrNotFound", err)
				}
			})
		}
		if got, _ := s.Plan(ctx, other.ID); len(got) != 0 {
			t.Errorf("the other person's plan = %+v, want empty", got)
		}
		if again, _ := s.Plan(ctx, p.ID); len(again[0].Actions) != 3 {
			t.Errorf("a refused action was written: %+v", again[0].Actions)
		}
	})
}

func TestUpdateActionAndObjectiveStatus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tr, st, a := fixture(t, s)
		by := store.Actor{AccountID: a.ID, StructureID: st.ID, At: planStart}
		p := newPerson(t, s, tr.ID, "Jade", "", by)
		other := newPerson(t, s, tr.ID, "Léo", "", by)
		o := objective(t, s, p.ID, "Accéder à un véhicule", by)
		act := person.Action{PersonID: p.ID, ObjectiveID: o.ID, Label: "Inscription auto-école", Status: person.ActionPlanned}
		if err := s.CreateAction(ctx, &act, by); err != nil {
			t.Fatal(err)
		}

		steps := []struct {
			name        string
			edit        func(a *person.Action)
			wantStatus  person.ActionStatus
			wantSummary string
		}{
			{"status changed", func(a *person.Action) { a.Status = person.ActionInProgress },
				person.ActionInProgress, "Action « Inscription auto-école » : en cours"},
			{"date and hours only", func(a *person.Action) { a.DueOn, a.WeeklyHours = day(2026, 10, 5), 3 },
				person.ActionInProgress, "Action « Inscription auto-école » mise à jour"},
			{"done", func(a *person.Action) { a.Status = person.ActionDone },
				person.ActionDone, "Action « Inscription auto-école » : réalisée"},
		}
		for i, step := range steps {
			t.Run(step.name, func(t *testing.T) {
				cur, err := s.Action(ctx, act.ID)
				if err != nil {
					t.Fatal(err)
				}
				prev := cur.Status
				step.edit(&cur)
				by.At = planStart.Add(time.Duration(i+1) * time.Hour)
				if err := s.UpdateAction(ctx, &cur, prev, by); err != nil {
					t.Fatal(err)
				}
				got, err := s.Action(ctx, act.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.Status != step.wantStatus || !got.UpdatedAt.Equal(by.At) {
					t.Errorf("action = %+v, want status %s updated at %v", got, step.wantStatus, by.At)
				}
				es := events(t, s, p.ID)
				if es[0].Kind != person.EventActionUpdated || es[0].Summary != step.wantSummary || es[0].RefID != act.ID {
					t.Errorf("timeline line = %q %q, want %q", es[0].Kind, es[0].Summary, step.wantSummary)
				}
			})
		}
		if got, _ := s.Action(ctx, act.ID); !got.DueOn.Equal(day(2026, 10, 5)) || got.WeeklyHours != 3 {
			t.Errorf("due date and hours not kept: %+v", got)
		}
		stolen := act
		stolen.PersonID, stolen.Status = other.ID, person.ActionCanceled
		if err := s.UpdateAction(ctx, &stolen, person.ActionDone, by); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("update through another person: err = %v, want ErrNotFound", err)
		}
		if got, _ := s.Action(ctx, act.ID); got.Status != person.ActionDone {
			t.Errorf("status = %s after a refused update, want done", got.Status)
		}

		by.At = planStart.Add(24 * time.Hour)
		if err := s.SetObjectiveStatus(ctx, &o, person.ObjectiveDone, by); err != nil {
			t.Fatal(err)
		}
		got, err := s.Objective(ctx, o.ID)
		if err != nil || got.Status != person.ObjectiveDone || !got.UpdatedAt.Equal(by.At) {
			t.Errorf("objective = %+v, %v; want done", got, err)
		}
		if es := events(t, s, p.ID); es[0].Kind != person.EventObjectiveUpdated || es[0].Summary != "Objectif « Accéder à un véhicule » : atteint" {
			t.Errorf("timeline line = %q %q", es[0].Kind, es[0].Summary)
		}
		foreign := o
		foreign.PersonID = other.ID
		if err := s.SetObjectiveStatus(ctx, &foreign, person.ObjectiveAbandoned, by); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("status through another person: err = %v, want ErrNotFound", err)
		}
		if got, _ := s.Objective(ctx, o.ID); got.Status != person.ObjectiveDone {
			t.Errorf("status = %s after a refused change, want done", got.Status)
		}
	})
}

func TestContractRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tr, st, a := fixture(t, s)
		by := store.Actor{AccountID: a.ID, StructureID: st.ID, At: planStart}
		p := newPerson(t, s, tr.ID, "Jade", "", by)

		c, err := s.Contract(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.PersonID != p.ID || c.TargetHours != 15 || c.Target() != 15 || c.Signed() || c.AdjustReason != "" {
			t.Errorf("fresh contract = %+v, want 15 hours, not signed", c)
		}

		steps := []struct {
			name        string
			edit        func(c *person.Contract)
			wantSummary string
			wantAudit   []string // sections of the new audit entries
		}{
			{"hours adjusted for health", func(c *person.Contract) {
				c.TargetHours, c.AdjustReason, c.AdjustComment = 10, person.AdjustHealth, "Soins réguliers le matin"
			}, "Durée hebdomadaire d'activité du contrat : 10 heures", []string{"health", "plan"}},
			{"signed", func(c *person.Contract) {
				c.SignedOn, c.Signatories = day(2026, 9, 15), "Jade Roux (bénéficiaire)\nAwa Diallo (référente)"
			}, "Contrat d'engagement signé le 15/09/2026", []string{"health", "plan"}},
			{"reason changed to single parent", func(c *person.Contract) {
				c.TargetHours, c.AdjustReason, c.AdjustComment = 12.5, person.AdjustSingleParent, ""
			}, "Durée hebdomadaire d'activité du contrat : 12,5 heures", []string{"plan"}},
		}
		for i, step := range steps {
			t.Run(step.name, func(t *testing.T) {
				prev, err := s.Contract(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				next := prev
				step.edit(&next)
				by.At = planStart.Add(time.Duration(i+1) * 24 * time.Hour)
				before := len(accessLog(t, s, p.ID))
				if err := s.SaveContract(ctx, &next, prev, by); err != nil {
					t.Fatal(err)
				}
				got, err := s.Contract(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.TargetHours != next.TargetHours || got.AdjustReason != next.AdjustReason || got.AdjustComment != next.AdjustComment ||
					!got.SignedOn.Equal(next.SignedOn) || got.Signatories != next.Signatories || got.UpdatedBy != a.ID ||
					!got.UpdatedAt.Equal(by.At) {
					t.Errorf("read back %+v, want %+v", got, next)
				}
				es := events(t, s, p.ID)
				if es[0].Kind != person.EventContractUpdated || es[0].Summary != step.wantSummary {
					t.Errorf("timeline line = %q %q, want %q", es[0].Kind, es[0].Summary, step.wantSummary)
				}
				if strings.Contains(strings.ToLower(es[0].Summary), "santé") || strings.Contains(es[0].Summary, "Soins") {
					t.Errorf("the timeline tells why the hours were adjusted: %q", es[0].Summary)
				}
				log := accessLog(t, s, p.ID)
				var sections []string
				for _, it := range log[:len(log)-before] {
					if it.Action != "update" || it.Outcome != "allowed" || it.AccountEmail != a.Email {
						t.Errorf("audit entry %+v", it)
					}
					sections = append(sections, it.Section)
				}
				slices.Sort(sections)
				if !slices.Equal(sections, step.wantAudit) {
					t.Errorf("audit sections = %q, want %q", sections, step.wantAudit)
				}
			})
		}
		if got, _ := s.Contract(ctx, p.ID); got.Target() != 12.5 || !got.Signed() {
			t.Errorf("final contract = %+v, want 12.5 hours, signed", got)
		}
	})
}

func TestContractDueFromAcceptedOrientation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tr, st, a := fixture(t, s)
		by := store.Actor{AccountID: a.ID, StructureID: st.ID, At: planStart}
		p := newPerson(t, s, tr.ID, "Jade", "", by)
		due := func() time.Time {
			t.Helper()
			d, err := s.ContractDue(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		if got := due(); !got.IsZero() {
			t.Errorf("without orientation: due %v, want none", got)
		}
		o := orientation.Request{PersonID: p.ID, TerritoryID: tr.ID, Source: orientation.SourceProfessional, DueOn: day(2026, 10, 13)}
		if err := s.CreateOrientation(ctx, &o, by); err != nil {
			t.Fatal(err)
		}
		if got := due(); !got.IsZero() {
			t.Errorf("pending orientation: due %v, want none", got)
		}
		decided := time.Date(2026, 9, 10, 10, 0, 0, 0, time.UTC)
		d := orientation.Decision{Outcome: orientation.StatusAccepted, Type: orientation.TypeSocial, StructureID: st.ID}
		if err := orientation.DefaultRules().Decide(&o, d, a.ID, decided); err != nil {
			t.Fatal(err)
		}
		if err := s.DecideOrientation(ctx, &o, o.Explain(st.Name, ""), store.Actor{AccountID: a.ID, StructureID: st.ID, At: decided}); err != nil {
			t.Fatal(err)
		}
		if got, want := due(), day(2026, 10, 10); !got.Equal(want) || !got.Equal(o.ContractDueOn) {
			t.Errorf("due %v, want %v (one month after the decision)", got, want)
		}
	})
}

// Every write of the plan leaves its timeline line and its audit entry,
// under the plan or the item's sensitive section.
func TestPlanWritesAreAuditedAndTold(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tr, st, a := fixture(t, s)
		by := store.Actor{AccountID: a.ID, StructureID: st.ID, At: planStart}
		p := newPerson(t, s, tr.ID, "Jade", "", by)
		var o, care person.Objective
		var act person.Action
		steps := []struct {
			name                 string
			write                func() error
			wantKind             string
			wantSection          string // of the timeline line
			wantAudit, wantEntry string // section and action of the audit entry
		}{
			{"objective", func() error {
				o = person.Objective{PersonID: p.ID, Theme: "mobilite", Label: "Accéder à un véhicule"}
				return s.CreateObjective(ctx, &o, by)
			}, person.EventObjectiveAdded, "", "plan", "create"},
			{"health objective", func() error {
				care = person.Objective{PersonID: p.ID, Theme: "sante", Section: person.SectionHealth,
					Label: "Bénéficier d’un accompagnement pour accéder aux droits et/ou aux soins"}
				return s.CreateObjective(ctx, &care, by)
			}, person.EventObjectiveAdded, "health", "health", "create"},
			{"action", func() error {
				act = person.Action{PersonID: p.ID, ObjectiveID: o.ID, Label: "Code de la route", Status: person.ActionPlanned}
				return s.CreateAction(ctx, &act, by)
			}, person.EventActionAdded, "", "plan", "create"},
			{"action update", func() error {
				act.Status = person.ActionStandby
				return s.UpdateAction(ctx, &act, person.ActionPlanned, by)
			}, person.EventActionUpdated, "", "plan", "update"},
			{"objective status", func() error {
				return s.SetObjectiveStatus(ctx, &care, person.ObjectiveAbandoned, by)
			}, person.EventObjectiveUpdated, "health", "health", "update"},
			{"contract", func() error {
				c := person.Contract{PersonID: p.ID, TargetHours: 15, SignedOn: day(2026, 9, 2), Signatories: "Jade Roux"}
				return s.SaveContract(ctx, &c, person.Contract{PersonID: p.ID, TargetHours: 15}, by)
			}, person.EventContractUpdated, "", "plan", "update"},
		}
		for i, step := range steps {
			t.Run(step.name, func(t *testing.T) {
				by.At = planStart.Add(time.Duration(i+1) * time.Minute)
				nEvents, nLog := len(events(t, s, p.ID)), len(accessLog(t, s, p.ID))
				if err := step.write(); err != nil {
					t.Fatal(err)
				}
				es, log := events(t, s, p.ID), accessLog(t, s, p.ID)
				if len(es) != nEvents+1 || es[0].Kind != step.wantKind || string(es[0].Section) != step.wantSection ||
					es[0].AccountID != a.ID || !es[0].At.Equal(by.At) {
					t.Errorf("timeline: %d new lines, newest %+v; want one %s line in section %q", len(es)-nEvents, es[0], step.wantKind, step.wantSection)
				}
				if len(log) != nLog+1 || log[0].Section != step.wantAudit || log[0].Action != step.wantEntry ||
					log[0].Structure != st.Name || !log[0].At.Equal(by.At) {
					t.Errorf("audit: %d new entries, newest %+v; want one %s %s", len(log)-nLog, log[0], step.wantEntry, step.wantAudit)
				}
			})
		}
	})
}
