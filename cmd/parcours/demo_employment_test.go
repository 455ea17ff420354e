package main

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/demo"
	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
	"github.com/spie-parcours/parcours/internal/territory"
)

// demoJobs is what the demo's job market holds.
type demoJobs struct {
	employers, offers, open, proposable, applications int
}

func countJobs(t *testing.T, st *store.Store, territoryID int64) demoJobs {
	t.Helper()
	ctx := context.Background()
	var c demoJobs
	emps, err := st.Employers(ctx, territoryID)
	if err != nil {
		t.Fatal(err)
	}
	c.employers = len(emps)
	if _, c.offers, err = st.Offers(ctx, store.OfferFilter{TerritoryID: territoryID, Limit: 1}); err != nil {
		t.Fatal(err)
	}
	if _, c.open, err = st.Offers(ctx, store.OfferFilter{TerritoryID: territoryID, Statuses: []employment.OfferStatus{employment.OfferOpen}, Limit: 1}); err != nil {
		t.Fatal(err)
	}
	sources, _, _, err := st.MatchingProfiles(ctx, territoryID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	c.proposable = len(sources)
	apps, err := st.Applications(ctx, store.ApplicationFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	c.applications = len(apps)
	return c
}

// TestDemoEmployment seeds the demo on a fresh SQLite database and checks
// its job market: every demo employer, the consortium's two among them,
// each with a référent of the partnership; every offer, most of them open;
// three in five of the followed people proposable; a dozen applications at
// every state, each proposed by the person's référent to a job of their
// project with their consent, the hires with their date, their exit and
// their employment objective reached, the refusals with a reason; no
// message written for that history; then that a second run adds nothing.
func TestDemoEmployment(t *testing.T) {
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

	first := countJobs(t, st, tr.ID)
	t.Logf("%+v", first)
	if want := len(demo.Employers()); first.employers != want {
		t.Errorf("%d employers, want %d", first.employers, want)
	}
	if want := len(demo.Offers(time.Now())); first.offers != want {
		t.Errorf("%d offers, want %d", first.offers, want)
	}
	if first.open*10 < first.offers*7 {
		t.Errorf("%d open offers of %d, want most of them", first.open, first.offers)
	}
	followed, err := st.CountFollowed(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if first.proposable*100 < followed*50 || first.proposable*100 > followed*65 {
		t.Errorf("%d proposable people of %d followed, want about 60 %%", first.proposable, followed)
	}

	emps, err := st.Employers(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range emps {
		if e.PartnerReferentID == 0 {
			t.Errorf("employer %q has no référent of its partnership", e.Name)
		}
	}
	for _, s := range demo.Structures {
		if s.Kind != territory.KindEmployer {
			continue
		}
		got, err := st.StructureByName(ctx, tr.ID, s.Name)
		if err != nil {
			t.Fatal(err)
		}
		e, err := st.Employer(ctx, got.ID)
		if err != nil || e.SIRET == "" || e.NAF == "" {
			t.Errorf("consortium employer %q: %+v, %v; want its employer fields", s.Name, e, err)
		}
	}

	apps, err := st.Applications(ctx, store.ApplicationFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) < 12 || len(apps) > 16 {
		t.Errorf("%d applications, want a dozen", len(apps))
	}
	states := map[employment.ApplicationState]int{}
	contact, err := st.StructureByName(ctx, tr.ID, demo.Structures[8].Name)
	if err != nil {
		t.Fatal(err)
	}
	toContact := 0
	for _, a := range apps {
		states[a.State]++
		if a.EmployerID == contact.ID {
			toContact++
		}
		o, err := st.Offer(ctx, a.OfferID)
		if err != nil {
			t.Fatal(err)
		}
		pr, err := st.Project(ctx, a.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(pr.TargetJobs, func(code string) bool {
			j, ok := ref.Appellation(code)
			return ok && j.ROMECode == o.ROMECode
		}) {
			t.Errorf("application %d: offer %q (%s) is not of the project %v", a.ID, o.Title, o.ROMECode, pr.TargetJobs)
		}
		team, err := st.Team(ctx, a.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(team, func(m person.TeamMember) bool { return m.Referent && m.AccountID == a.ProposedBy }) {
			t.Errorf("application %d proposed by %d, not the person's référent", a.ID, a.ProposedBy)
		}
		if len(a.Shares) == 0 || a.ConsentMethod == "" || a.ConsentAt.After(a.CreatedAt) {
			t.Errorf("application %d: consent %s by %q sharing %v, created %s", a.ID, a.ConsentAt, a.ConsentMethod, a.Shares, a.CreatedAt)
		}
		switch a.State {
		case employment.StateAccepted:
			if a.HiredOn.IsZero() {
				t.Errorf("application %d accepted without a hire date", a.ID)
			}
			exits, err := st.Exits(ctx, a.PersonID)
			if err != nil || !slices.ContainsFunc(exits, func(x store.Exit) bool { return x.ApplicationID == a.ID }) {
				t.Errorf("hire %d: exits %+v, %v; want an exit to employment", a.ID, exits, err)
			}
			plan, err := st.Plan(ctx, a.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(plan, func(o person.Objective) bool {
				return o.Theme == demoJobObjective.ThemeCode && o.Status == person.ObjectiveDone
			}) {
				t.Errorf("hire %d: no employment objective reached in the plan", a.ID)
			}
		case employment.StateRefused:
			if a.RefusalReason == "" {
				t.Errorf("application %d refused without a reason", a.ID)
			}
		}
	}
	t.Logf("applications by state: %v, %d to the consortium's employer", states, toContact)
	for _, s := range []employment.ApplicationState{employment.StateNew, employment.StateProcessing, employment.StatePostponed,
		employment.StatePriorToHire, employment.StateAccepted, employment.StateRefused, employment.StatePool, employment.StateObsolete} {
		if states[s] == 0 {
			t.Errorf("no application %s: %v", s, states)
		}
	}
	if toContact < 2 {
		t.Errorf("%d applications to %q, want a few for its demo account", toContact, demo.Structures[8].Name)
	}
	if msgs, err := st.Outbox(ctx, store.OutboxFilter{KeyPrefix: "application:"}); err != nil || len(msgs) > 0 {
		t.Errorf("the demo's applications wrote %d messages (%v), want none", len(msgs), err)
	}

	if err := seedEmployment(ctx, st, ref, tr); err != nil {
		t.Fatal(err)
	}
	if _, _, err := seedDemo(ctx, st, ref, 150, 90); err != nil {
		t.Fatal(err)
	}
	if again := countJobs(t, st, tr.ID); again != first {
		t.Errorf("second run changed the job market: %+v, then %+v", first, again)
	}
}
