package main

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/demo"
	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

// demoBaseURL is the address the messages of the demo referrals link to:
// the default address of "parcours demo".
const demoBaseURL = "http://127.0.0.1:8080"

// demoPlans is how many followed demo people get a plan, and
// demoReferrals how many of them are referred to a service.
const (
	demoPlans     = 40
	demoReferrals = 25
)

// demoDay is a day, for the dates of the demo's history.
const demoDay = 24 * time.Hour

// seedDirectoryPlans gives the demo its directory of services, then the
// plans of the followed people, which refer them to those services.
func seedDirectoryPlans(ctx context.Context, st *store.Store, ref *referential.Referential, t territory.Territory) error {
	if err := seedDirectory(ctx, st, ref, t); err != nil {
		return fmt.Errorf("annuaire de démonstration : %w", err)
	}
	if err := seedPlans(ctx, st, ref, t); err != nil {
		return fmt.Errorf("plans de démonstration : %w", err)
	}
	if err := seedAppointments(ctx, st, ref, t); err != nil {
		return fmt.Errorf("rendez-vous de démonstration : %w", err)
	}
	return seedEmployment(ctx, st, ref, t)
}

// seedDirectory creates the structures and services of the demo directory
// (demo.DirectoryStructures, demo.Services), as the administrator, and
// fills the directory fields of the consortium's structures. It does
// nothing when the territory already has services.
func seedDirectory(ctx context.Context, st *store.Store, ref *referential.Referential, t territory.Territory) error {
	counts, err := st.CountServices(ctx, t.ID)
	if err != nil || len(counts) > 0 {
		return err
	}
	admin, err := adminActor(ctx, st, t)
	if err != nil {
		return err
	}
	existing, err := st.DirectoryStructures(ctx, t.ID)
	if err != nil {
		return err
	}
	have := map[string]directory.Structure{}
	for _, s := range existing {
		have[s.Name] = s
	}
	now := time.Now().UTC()
	saved := map[string]directory.Structure{}
	for i, d := range demo.DirectoryStructures {
		s := d.Directory()
		s.TerritoryID = t.ID
		if old, ok := have[d.Name]; ok {
			s.ID, s.Kind, s.Member = old.ID, old.Kind, old.Member
		} else if d.Member {
			return fmt.Errorf("structure du consortium absente : %s", d.Name)
		}
		s.Normalize(ref)
		// Spread the structures of a commune around its centre, so that
		// the map does not pile them up (a few hundred metres at most).
		if s.Lat != 0 || s.Lon != 0 {
			s.Lat += float64(i%7-3) * 0.0025
			s.Lon += float64((i/7)%7-3) * 0.0035
		}
		if fs := s.Validate(ref); len(fs) > 0 {
			return fmt.Errorf("structure %q : %v", d.Name, fs)
		}
		by := admin
		by.At = now.Add(-time.Duration(400-i) * demoDay)
		if err := st.SaveDirectoryStructure(ctx, &s, by); err != nil {
			return fmt.Errorf("structure %q : %w", d.Name, err)
		}
		saved[d.Name] = s
	}
	for i, sv := range demo.Services() {
		owner, ok := saved[sv.StructureName]
		if !ok {
			return fmt.Errorf("service %q : structure inconnue %q", sv.Name, sv.StructureName)
		}
		sv.TerritoryID, sv.StructureID = t.ID, owner.ID
		if sv.CommuneINSEE == owner.CommuneINSEE && sv.Address == owner.Address {
			sv.Lat, sv.Lon = owner.Lat, owner.Lon
		}
		sv.Normalize(ref)
		if fs := sv.Validate(ref, now); len(fs) > 0 {
			return fmt.Errorf("service %q : %v", sv.Name, fs)
		}
		// Services were published over the last year and updated since.
		by := admin
		by.At = now.Add(-time.Duration(30+(i*37)%330) * demoDay)
		if err := st.SaveService(ctx, &sv, by); err != nil {
			return fmt.Errorf("service %q : %w", sv.Name, err)
		}
	}
	return nil
}

// adminActor returns the demo administrator acting in the territory.
func adminActor(ctx context.Context, st *store.Store, t territory.Territory) (store.Actor, error) {
	a, err := st.AccountByEmail(ctx, demo.Members[0].Email)
	if err != nil {
		return store.Actor{}, err
	}
	for _, m := range a.Memberships {
		if m.TerritoryID == t.ID && m.Role == account.RoleTerritoryAdmin {
			return store.Actor{AccountID: a.ID, StructureID: m.StructureID}, nil
		}
	}
	return store.Actor{}, fmt.Errorf("%s n'administre pas le territoire %s", a.Email, t.Code)
}

// demoWomen are the first names of the demo accounts held by women, for the
// capacity under which they sign a contract.
var demoWomen = map[string]bool{"Claire": true, "Sophie": true, "Inès": true, "Awa": true, "Nathalie": true, "Laura": true}

// planStage is how far a demo plan has gone.
type planStage int

const (
	stageNew      planStage = iota // a few days old, nothing signed, actions planned
	stageFull                      // signed, 15 hours a week or more
	stageAdjusted                  // signed with fewer hours, for a single parent or health
	stageAdvanced                  // months old: an objective reached, others moving
	stagePaused                    // signed, actions waiting: below 15 hours
	stageCount
)

// demoPerson is a followed person and the référent who writes the plan.
type demoPerson struct {
	p        person.Person
	referent person.TeamMember
	diag     []person.DiagnosticEntry
}

// seedPlans gives the first followed demo people a plan at various stages:
// objectives answering their diagnostic, actions of the referential with
// their weekly hours, a contract signed or not, adjusted for some, and
// referrals to nearby services, some of them answered. It does nothing
// when the first of them already has a plan.
func seedPlans(ctx context.Context, st *store.Store, ref *referential.Referential, t territory.Territory) error {
	ids, err := st.PersonIDs(ctx, t.ID, demoRecords)
	if err != nil {
		return err
	}
	var people []demoPerson
	for _, id := range ids {
		if len(people) == demoPlans {
			break
		}
		team, err := st.Team(ctx, id)
		if err != nil {
			return err
		}
		var dp demoPerson
		for _, m := range team {
			if m.Referent && m.Active() {
				dp.referent = m
			}
		}
		if dp.referent.AccountID == 0 {
			continue
		}
		if len(people) == 0 {
			plan, err := st.Plan(ctx, id)
			if err != nil || len(plan) > 0 {
				return err
			}
		}
		if dp.p, err = st.Person(ctx, id); err != nil {
			return err
		}
		if dp.diag, err = st.Diagnostic(ctx, id, false); err != nil {
			return err
		}
		people = append(people, dp)
	}
	receivers, err := demoReceivers(ctx, st)
	if err != nil {
		return err
	}
	s := &planSeeder{st: st, ref: ref, t: t, receivers: receivers, now: time.Now().UTC()}
	for j, dp := range people {
		if err := s.plan(ctx, j, dp); err != nil {
			return fmt.Errorf("%s %s : %w", dp.p.FirstName, dp.p.LastName, err)
		}
	}
	return nil
}

// demoReceivers maps each structure with a demo account that answers
// referrals (a professional or a manager) to that account.
func demoReceivers(ctx context.Context, st *store.Store) (map[int64]int64, error) {
	out := map[int64]int64{}
	for _, m := range demo.Members {
		a, err := st.AccountByEmail(ctx, m.Email)
		if err != nil {
			return nil, err
		}
		for _, ms := range a.Memberships {
			if ms.Role != account.RoleProfessional && ms.Role != account.RoleStructureManager {
				continue
			}
			if _, ok := out[ms.StructureID]; !ok {
				out[ms.StructureID] = a.ID
			}
		}
	}
	return out, nil
}

// planSeeder writes the demo plans.
type planSeeder struct {
	st        *store.Store
	ref       *referential.Referential
	t         territory.Territory
	receivers map[int64]int64 // structure → account that answers its referrals
	now       time.Time
	referrals int // referrals sent
	// answerable counts the referrals to a structure with an account, to
	// vary their answers.
	answerable int
}

// planGoal is an objective of a demo plan being written, and its actions.
type planGoal struct {
	o       person.Objective
	actions []*person.Action
	// alt is a second action for the same situation: the referential's
	// action of another objective that answers it.
	alt string
	job bool // the objective of employment that tops the week up
}

// fills reports whether the plans of the stage reach their weekly target
// with a search of employment.
func (st planStage) fills() bool {
	return st == stageFull || st == stageAdjusted || st == stageAdvanced
}

// plan writes the plan of the j-th demo person.
func (s *planSeeder) plan(ctx context.Context, j int, dp demoPerson) error {
	stage := planStage(j % int(stageCount))
	var startDays int
	switch stage {
	case stageNew:
		startDays = 6 + j%7
	case stageFull:
		startDays = 60 + j
	case stageAdjusted:
		startDays = 45 + j
	case stageAdvanced:
		startDays = 150 + 2*j
	case stagePaused:
		startDays = 90 + j
	}
	start := s.now.Add(-time.Duration(startDays) * demoDay).Add(-time.Duration(j%8) * time.Hour)
	by := store.Actor{AccountID: dp.referent.AccountID, StructureID: dp.referent.StructureID}
	at := func(days float64) store.Actor {
		a := by
		a.At = demoLater(start, days, s.now)
		return a
	}
	goals := s.goals(j, dp, stage)
	target, reason, comment := person.StandardHours, person.AdjustReason(""), ""
	if stage == stageAdjusted {
		target, reason, comment = demoAdjustment(j, dp.diag)
	}

	// The objectives and their actions, written on the first day; the
	// referral of the first one that a nearby service answers.
	referred := false
	for k := range goals {
		g := &goals[k]
		if err := s.st.CreateObjective(ctx, &g.o, at(float64(k)*0.01)); err != nil {
			return err
		}
		if g.job && stage.fills() {
			continue // its action comes with the hours, below
		}
		first, _ := s.ref.ObjectiveAction(g.o.Theme, g.o.Label)
		labels := []string{first.Label}
		if k == 0 && g.alt != "" && g.alt != first.Label && stage != stageAdjusted {
			labels = append(labels, g.alt)
		}
		for n, label := range labels {
			a := &person.Action{ObjectiveID: g.o.ID, PersonID: dp.p.ID, Label: label, Status: person.ActionPlanned,
				StructureID: dp.referent.StructureID, AccountID: dp.referent.AccountID, Section: g.o.Section,
				WeeklyHours: 2 + float64((j+k+n)%3)}
			if n == 0 && !referred && j%8 < 5 && s.referrals < demoReferrals {
				ok, err := s.refer(ctx, j, dp, stage, g, a, at(0.5+float64(k)*0.01))
				if err != nil {
					return err
				}
				if ok {
					referred = true
					g.actions = append(g.actions, a)
					continue
				}
			}
			if a.Label == "" {
				a.Label = "Entretien de suivi : « " + g.o.Label + " »"
			}
			if stage == stageAdjusted {
				a.WeeklyHours = min(a.WeeklyHours, 2)
			}
			a.DueOn = demoDue(start, 14+7*k+10*n)
			if err := person.ValidateAction(*a).Err(); err != nil {
				return fmt.Errorf("action %q : %w", a.Label, err)
			}
			if err := s.st.CreateAction(ctx, a, at(0.02+float64(k)*0.01)); err != nil {
				return err
			}
			g.actions = append(g.actions, a)
		}
	}

	// What happened since, by stage.
	if err := s.progress(ctx, j, stage, goals, at); err != nil {
		return err
	}

	// The hours of the week: a search of employment, part-time for an
	// adjusted contract, tops the plan up to its target.
	if stage.fills() {
		plan := make([]person.Objective, len(goals))
		for k, g := range goals {
			plan[k] = g.o
			for _, a := range g.actions {
				plan[k].Actions = append(plan[k].Actions, *a)
			}
		}
		var g planGoal
		for _, g = range goals {
			if g.job {
				break
			}
		}
		label := "Recherche active d'emploi : candidatures et relances"
		if stage == stageAdjusted {
			label = "Recherche d'un emploi à temps partiel, à rythme aménagé"
		}
		if g.job {
			missing := target - person.WeeklyActivity(plan)
			a := &person.Action{ObjectiveID: g.o.ID, PersonID: dp.p.ID, Label: label, Status: person.ActionInProgress,
				StructureID: dp.referent.StructureID, AccountID: dp.referent.AccountID, Section: g.o.Section,
				WeeklyHours: max(math.Ceil(missing*4)/4, 1), DueOn: demoDue(s.now, 60)}
			if err := person.ValidateAction(*a).Err(); err != nil {
				return fmt.Errorf("action %q : %w", a.Label, err)
			}
			if err := s.st.CreateAction(ctx, a, at(3)); err != nil {
				return err
			}
		}
	}

	// The contract, signed about two weeks after the plan was started.
	if stage == stageNew {
		return nil
	}
	name := dp.referent.AccountName
	capacity := "référent"
	if first, _, _ := strings.Cut(name, " "); demoWomen[first] {
		capacity = "référente"
	}
	c := person.Contract{PersonID: dp.p.ID, TargetHours: target, AdjustReason: reason, AdjustComment: comment,
		SignedOn: demoDate(at(float64(10 + j%7)).At),
		Signatories: fmt.Sprintf("%s %s (personne accompagnée)\n%s (%s, %s)", dp.p.FirstName, dp.p.LastName, name, capacity,
			dp.referent.StructureName)}
	if fs := c.Validate(s.now); len(fs) > 0 {
		return fmt.Errorf("contrat : %v", fs)
	}
	prev := person.Contract{PersonID: dp.p.ID, TargetHours: person.StandardHours}
	return s.st.SaveContract(ctx, &c, prev, at(float64(10+j%7)))
}

// demoJobObjective is the objective of employment of the demo plans.
var demoJobObjective = referential.Objective{ThemeCode: "trouver_un_emploi", Label: "Répondre à des offres d'emploi"}

// goals draws the objectives of a demo plan from the person's diagnostic:
// for each situation, one of the two objectives that answer it best, three
// at most; then the objective of employment when the plan fills the week,
// or when the diagnostic gave none.
func (s *planSeeder) goals(j int, dp demoPerson, stage planStage) []planGoal {
	var goals []planGoal
	add := func(o referential.Objective, sit *referential.Situation) *planGoal {
		for k := range goals {
			if goals[k].o.Theme == o.ThemeCode && goals[k].o.Label == o.Label {
				if sit != nil {
					goals[k].o.Situations = append(goals[k].o.Situations, *sit)
				}
				return &goals[k]
			}
		}
		g := planGoal{o: person.Objective{PersonID: dp.p.ID, Theme: o.ThemeCode, Label: o.Label,
			Section: person.SectionOfObjective(o.ThemeCode, o.Label)}}
		if sit != nil {
			g.o.Situations = []referential.Situation{*sit}
		}
		if len(person.ValidateObjective(s.ref, g.o)) > 0 {
			return nil
		}
		goals = append(goals, g)
		return &goals[len(goals)-1]
	}
	for _, e := range dp.diag {
		objs := s.ref.ObjectivesFor(e.Theme, e.Situation)
		if len(objs) == 0 || len(goals) == 3 {
			continue
		}
		pick := (j / int(stageCount)) % min(2, len(objs))
		g := add(objs[pick], &referential.Situation{ThemeCode: e.Theme, Label: e.Situation})
		if g == nil {
			continue
		}
		for k, o := range objs {
			if o.ThemeCode != g.o.Theme || k == pick || g.alt != "" {
				continue
			}
			if alt, ok := s.ref.ObjectiveAction(o.ThemeCode, o.Label); ok {
				g.alt = alt.Label
			}
		}
	}
	if stage.fills() || len(goals) == 0 {
		if g := add(demoJobObjective, nil); g != nil {
			g.job = true
		}
	}
	return goals
}

// demoAdjustment returns the hours and the reason of an adjusted contract: a
// single parent when the diagnostic speaks of family constraints, health
// when it speaks of health, else one or the other.
func demoAdjustment(j int, diag []person.DiagnosticEntry) (float64, person.AdjustReason, string) {
	family, health := false, false
	for _, e := range diag {
		family = family || e.Theme == "contraintes_familiales"
		health = health || e.Theme == "sante"
	}
	switch {
	case family || !health && j%2 == 0:
		return 8, person.AdjustSingleParent, "Pas de solution de garde le mercredi ni pendant les vacances scolaires ; à revoir à la rentrée."
	default:
		return 10, person.AdjustHealth, ""
	}
}

// refer sends the referral of the person to a nearby published service
// that answers the objective, from the action a (created with it). It
// reports false when no service openTo.
func (s *planSeeder) refer(ctx context.Context, j int, dp demoPerson, stage planStage, g *planGoal, a *person.Action, by store.Actor) (bool, error) {
	them := s.ref.ObjectiveThematiques(g.o.Theme, g.o.Label)
	if len(them) == 0 {
		return false, nil
	}
	q := directory.Query{Thematiques: them, CommuneINSEE: dp.p.CommuneINSEE, Departement: s.t.Code, RadiusKm: 20}
	if c, ok := s.ref.Commune(dp.p.CommuneINSEE); ok {
		q.HasFrom, q.FromLat, q.FromLon = true, c.Lat, c.Lon
	}
	hits, err := s.st.SearchServices(ctx, s.t.ID, q)
	if err != nil {
		return false, err
	}
	// A structure with an account answers in Parcours; another gets a
	// single-use link by e-mail; one without e-mail is not referred to.
	// Three plans in four prefer a structure that answers in Parcours.
	var pick *directory.Hit
	preferAccount := j%4 != 0
	publics := demoPublics(dp.p, s.now)
	for i := range hits {
		h := &hits[i]
		if s.receivers[h.StructureID] == 0 && h.Email == "" || !openTo(h.Publics, publics) {
			continue
		}
		if pick == nil {
			pick = h
		}
		if preferAccount && s.receivers[h.StructureID] != 0 {
			pick = h
			break
		}
	}
	if pick == nil {
		return false, nil
	}
	if pick.WeeklyHours > 0 {
		a.WeeklyHours = min(math.Round(pick.WeeklyHours*4)/4, person.MaxWeeklyHours)
		if stage == stageAdjusted {
			a.WeeklyHours = min(a.WeeklyHours, 3)
		}
	}
	if a.Label == "" {
		a.Label = "Orientation vers « " + pick.Name + " »"
	}
	// A referral left unanswered was sent lately, when the plan moved on,
	// so that it still waits (reminded after ten days) rather than expires
	// when the demo starts; one in six is old enough to expire.
	answerer := s.receivers[pick.StructureID]
	if answered := answerer != 0 && (s.answerable+1)%5 != 4; !answered && j%6 != 0 {
		if recent := s.now.Add(-time.Duration(2+(j*7)%25) * demoDay); recent.After(by.At) {
			by.At = recent
		}
	}
	a.StructureID, a.AccountID = pick.StructureID, 0
	a.DueOn = demoDue(by.At, 21)
	if err := person.ValidateAction(*a).Err(); err != nil {
		return false, fmt.Errorf("action %q : %w", a.Label, err)
	}
	r := &directory.Referral{PersonID: dp.p.ID, TerritoryID: s.t.ID, ServiceID: pick.ID, NotifyPerson: j%3 == 0,
		Motive: demoMotive(j, pick.Name)}
	if err := directory.ValidateMotive(r.Motive, true).Err(); err != nil {
		return false, err
	}
	if err := s.st.CreateReferral(ctx, store.NewReferral{Objective: &g.o, Action: a, Referral: r, Base: demoBaseURL}, by); err != nil {
		return false, err
	}
	s.referrals++
	// The answer, when the structure has an account: accepted, done once
	// the service was given, refused with a reason, or still waiting.
	if answerer == 0 {
		return true, nil
	}
	s.answerable++
	as := store.Actor{AccountID: answerer, StructureID: r.StructureID, At: demoLater(by.At, float64(1+j%5), s.now)}
	switch s.answerable % 5 {
	case 0, 3:
		_, err = s.st.AnswerReferral(ctx, r.ID, directory.Answer{Accept: true, Comment: "Premier rendez-vous proposé par téléphone."}, "", as, demoBaseURL)
		a.Status = person.ActionInProgress
	case 1:
		if _, err = s.st.AnswerReferral(ctx, r.ID, directory.Answer{Accept: true}, "", as, demoBaseURL); err != nil {
			break
		}
		a.Status = person.ActionInProgress
		if stage == stageNew {
			break
		}
		done := as
		done.At = demoLater(as.At, 21, s.now)
		_, err = s.st.CloseReferral(ctx, r.ID, directory.ReferralDone, done, demoBaseURL)
		a.Status = person.ActionDone
	case 2:
		refusals := []directory.Answer{
			{Reason: "complet", Comment: "Plus de place avant deux mois ; nous recontacterons la personne."},
			{Reason: "autre_service", Comment: "Un atelier collectif près de chez la personne lui conviendra mieux ; nous en avons parlé avec elle."},
			{Reason: "injoignable", Comment: "Trois appels et un courriel sans réponse."},
		}
		ans := refusals[(s.answerable/5)%len(refusals)]
		if err = ans.Validate().Err(); err != nil {
			break
		}
		if _, err = s.st.AnswerReferral(ctx, r.ID, ans, "", as, demoBaseURL); err != nil {
			break
		}
		// The référent puts the action on hold while looking for another
		// service.
		hold := by
		hold.At = demoLater(as.At, 1, s.now)
		a.Status = person.ActionStandby
		err = s.st.UpdateAction(ctx, a, person.ActionPlanned, hold)
	}
	return true, err
}

// demoPublics returns the data·inclusion publics the person belongs to, as
// far as the demo knows: everybody is a job seeker on minimum income, in a
// family.
func demoPublics(p person.Person, now time.Time) map[string]bool {
	out := map[string]bool{"tous-publics": true, "beneficiaires-des-minimas-sociaux": true, "demandeurs-emploi": true,
		"familles": true}
	age := now.Year() - p.BirthDate.Year()
	if now.YearDay() < p.BirthDate.YearDay() {
		age--
	}
	out["jeunes"] = age < 26
	out["seniors"] = age >= 55
	out["femmes"] = p.Sex == "F"
	out["personnes-en-situation-de-handicap"] = p.RQTH
	return out
}

// openTo reports whether a service for publics is open to the person: it
// names no public, or one of theirs.
func openTo(publics []string, theirs map[string]bool) bool {
	if len(publics) == 0 {
		return true
	}
	for _, p := range publics {
		if theirs[p] {
			return true
		}
	}
	return false
}

// demoMotive is what the sender tells the service, without any diagnostic.
func demoMotive(j int, service string) string {
	switch j % 3 {
	case 0:
		return "Orientation vers « " + service + " » dans le cadre de son contrat d'engagement. Joignable de préférence le matin."
	case 1:
		return "La personne souhaite bénéficier de « " + service + " » rapidement ; disponible en semaine, sauf le mercredi."
	default:
		return "Demande d'entrée sur « " + service + " », travaillée avec la personne lors de notre dernier entretien."
	}
}

// progress moves the actions and objectives of a plan to its stage, as the
// weeks went by. The actions of referrals follow the answers of the
// services instead.
func (s *planSeeder) progress(ctx context.Context, j int, stage planStage, goals []planGoal, at func(float64) store.Actor) error {
	last := -1 // the last objective from the diagnostic
	for k, g := range goals {
		if !g.job {
			last = k
		}
	}
	for k := range goals {
		g := &goals[k]
		abandon := stage == stageAdvanced && k == last && k >= 2
		for n, a := range g.actions {
			var to person.ActionStatus
			switch {
			case stage == stageNew || a.ServiceID != 0:
				continue
			case stage == stageFull || stage == stageAdjusted:
				to = person.ActionInProgress
				if n > 0 {
					to = person.ActionPlanned
				}
			case stage == stageAdvanced && k == 0:
				to = person.ActionDone
			case abandon:
				to = person.ActionAbandoned
			case stage == stageAdvanced && n == 0:
				to = person.ActionInProgress
			case stage == stagePaused && k == 0 && n == 0:
				to = person.ActionDone
			default:
				to = person.ActionStandby
			}
			if a.Status == to {
				continue
			}
			prev := a.Status
			a.Status = to
			if err := s.st.UpdateAction(ctx, a, prev, at(float64(20+10*k+5*n+j%4))); err != nil {
				return err
			}
		}
		if stage != stageAdvanced || k != 0 && !abandon {
			continue
		}
		status := person.ObjectiveDone
		if abandon {
			status = person.ObjectiveAbandoned
		}
		open := false
		for _, a := range g.actions {
			open = open || a.Status.Active() || a.Status == person.ActionStandby
		}
		if open {
			continue
		}
		if err := s.st.SetObjectiveStatus(ctx, &g.o, status, at(float64(60+10*k))); err != nil {
			return err
		}
	}
	return nil
}

// demoDue returns the date days after t, at midnight UTC.
func demoDue(t time.Time, days int) time.Time { return demoDate(t.Add(time.Duration(days) * demoDay)) }

// demoDate returns t's date at midnight UTC.
func demoDate(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// demoLater returns t plus days, but never after an hour before now.
func demoLater(t time.Time, days float64, now time.Time) time.Time {
	t = t.Add(time.Duration(days * float64(demoDay)))
	if limit := now.Add(-time.Hour); t.After(limit) {
		return limit
	}
	return t
}
