package main

import (
	"context"
	"testing"

	"github.com/spie-parcours/parcours/internal/demo"
	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
)

// demoCounts is what the demo directory and plans hold.
type demoCounts struct {
	services, objectives, actions, signed, adjusted, referrals int
	stages                                                     map[directory.ReferralStatus]int
}

func countDemo(t *testing.T, st *store.Store, territoryID int64) demoCounts {
	t.Helper()
	ctx := context.Background()
	c := demoCounts{stages: map[directory.ReferralStatus]int{}}
	svc, err := st.Services(ctx, store.ServiceFilter{TerritoryID: territoryID})
	if err != nil {
		t.Fatal(err)
	}
	c.services = len(svc)
	ids, err := st.PersonIDs(ctx, territoryID, demoRecords)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		plan, err := st.Plan(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		c.objectives += len(plan)
		for _, o := range plan {
			c.actions += len(o.Actions)
		}
		k, err := st.Contract(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if k.Signed() {
			c.signed++
		}
		if k.AdjustReason != "" {
			c.adjusted++
		}
		rs, err := st.PersonReferrals(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			c.referrals++
			c.stages[r.Status]++
		}
	}
	return c
}

// TestSeedDirectoryPlans runs the demo seed twice: the first run fills the
// directory and the plans at every stage, the second adds nothing.
func TestSeedDirectoryPlans(t *testing.T) {
	ref, err := referential.Load()
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		tr, _, err := seedDemo(ctx, st, ref, 150, 90)
		if err != nil {
			t.Fatal(err)
		}
		first := countDemo(t, st, tr.ID)
		if first.services != len(demo.Services()) {
			t.Errorf("%d services, want %d", first.services, len(demo.Services()))
		}
		if first.objectives < demoPlans || first.actions < 2*demoPlans {
			t.Errorf("%d objectives and %d actions for %d plans", first.objectives, first.actions, demoPlans)
		}
		if first.signed == 0 || first.adjusted == 0 || first.signed == demoPlans {
			t.Errorf("%d contracts signed, %d adjusted: want some of each, not all", first.signed, first.adjusted)
		}
		if first.referrals < demoReferrals-5 {
			t.Errorf("%d referrals, want about %d", first.referrals, demoReferrals)
		}
		for _, s := range []directory.ReferralStatus{directory.ReferralSent, directory.ReferralAccepted, directory.ReferralRefused, directory.ReferralDone} {
			if first.stages[s] == 0 {
				t.Errorf("no referral %s: %v", s, first.stages)
			}
		}
		// The directory fields of a member were filled.
		ft, err := st.StructureByName(ctx, tr.ID, demo.Structures[1].Name)
		if err != nil {
			t.Fatal(err)
		}
		if d, err := st.DirectoryStructure(ctx, ft.ID); err != nil || d.Email == "" || !d.Member {
			t.Errorf("France Travail in the directory: %+v, %v", d, err)
		}
		if _, _, err := seedDemo(ctx, st, ref, 150, 90); err != nil {
			t.Fatal(err)
		}
		if again := countDemo(t, st, tr.ID); again.services != first.services || again.objectives != first.objectives ||
			again.actions != first.actions || again.referrals != first.referrals || again.signed != first.signed {
			t.Errorf("second run changed the demo: %+v, then %+v", first, again)
		}
	})
}

// TestSeedPlansHours checks the weekly hours of the demo plans: signed
// contracts reach their target, 15 hours or the adjusted hours, except
// the plans on hold.
func TestSeedPlansHours(t *testing.T) {
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
	ids, err := st.PersonIDs(ctx, tr.ID, demoRecords)
	if err != nil {
		t.Fatal(err)
	}
	reached, below, adjusted := 0, 0, 0
	for _, id := range ids {
		plan, err := st.Plan(ctx, id)
		if err != nil || len(plan) == 0 {
			continue
		}
		c, err := st.Contract(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Signed() {
			continue
		}
		h := person.WeeklyActivity(plan)
		switch {
		case h >= c.Target():
			reached++
			if c.AdjustReason != "" {
				adjusted++
			}
		default:
			below++
		}
	}
	if reached < 15 || adjusted == 0 || below == 0 {
		t.Errorf("signed plans: %d reach their target (%d adjusted), %d below: want most reaching, some adjusted, some below",
			reached, adjusted, below)
	}
}
