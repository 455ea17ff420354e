package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
)

// The plan (contrat d'engagement) as one request sees it, shared by the
// pages and the API: objectives and actions of a sensitive section are
// dropped for those not entitled to it, exactly like diagnostic entries.

// planView is the visible plan of a person.
type planView struct {
	Objectives  []person.Objective
	Contract    person.Contract
	ContractDue time.Time
	Weekly      float64 // hours of the active actions, all of them (a count reveals no section)
	Referrals   []directory.Referral
	ByAction    map[int64]directory.Referral // the latest referral of each action
	// ShowReason tells whether the viewer may read the adjustment's reason
	// (health and disability are health data).
	ShowReason bool
}

// loadPlan reads the plan and filters it through the policy.
func (s *Server) loadPlan(ctx context.Context, rc *record) (*planView, error) {
	objs, err := s.store.Plan(ctx, rc.p.ID)
	if err != nil {
		return nil, err
	}
	v := &planView{Weekly: person.WeeklyActivity(objs), ByAction: map[int64]directory.Referral{}}
	for _, o := range objs {
		if o.Section != "" && !rc.can(o.Section) {
			continue
		}
		acts := o.Actions[:0:0]
		for _, a := range o.Actions {
			if a.Section == "" || rc.can(a.Section) {
				acts = append(acts, a)
			}
		}
		o.Actions = acts
		v.Objectives = append(v.Objectives, o)
	}
	if v.Contract, err = s.store.Contract(ctx, rc.p.ID); err != nil {
		return nil, err
	}
	if v.ContractDue, err = s.store.ContractDue(ctx, rc.p.ID); err != nil {
		return nil, err
	}
	sec := v.Contract.AdjustReason.Section()
	v.ShowReason = sec == "" || rc.can(sec)
	refs, err := s.store.PersonReferrals(ctx, rc.p.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range refs {
		if r.Section != "" && !rc.can(r.Section) {
			continue
		}
		v.Referrals = append(v.Referrals, r)
		if _, seen := v.ByAction[r.ActionID]; !seen && r.ActionID != 0 {
			v.ByAction[r.ActionID] = r // newest first
		}
	}
	return v, nil
}

// suggestion is a service proposed for a situation of the diagnostic, with
// the objective of the referential it would serve.
type suggestion struct {
	Situation referential.Situation
	Objective referential.Objective
	Hit       directory.Hit
}

// suggestionGroup is the suggestions of one situation.
type suggestionGroup struct {
	Situation referential.Situation
	Items     []suggestion
}

// maxSuggestions is how many services a situation proposes.
const maxSuggestions = 5

// personOrigin returns where distances are measured from for a person
// (their commune) and the radius they can travel (their project's
// mobility, else directory.DefaultRadiusKm).
func (s *Server) personOrigin(ctx context.Context, rc *record) (directory.Query, error) {
	q := directory.Query{RadiusKm: directory.DefaultRadiusKm, CommuneINSEE: rc.p.CommuneINSEE}
	if c, ok := s.cfg.Referential.Commune(rc.p.CommuneINSEE); ok {
		q.HasFrom, q.FromLat, q.FromLon, q.Departement = true, c.Lat, c.Lon, c.Departement
	}
	if rc.can(person.SectionProject) {
		pr, err := s.store.Project(ctx, rc.p.ID)
		if err != nil {
			return q, err
		}
		if pr.MobilityKm > 0 {
			q.RadiusKm = float64(pr.MobilityKm)
		}
	}
	return q, nil
}

// suggestions proposes, for each open situation of the diagnostic the
// viewer may read, the published services whose thématiques answer it,
// nearest first, within the person's mobility radius (services at a
// distance whatever the radius), leaving out the services the person is
// already referred to.
func (s *Server) suggestions(ctx context.Context, rc *record, plan *planView) ([]suggestionGroup, directory.Query, error) {
	ref := s.cfg.Referential
	base, err := s.personOrigin(ctx, rc)
	if err != nil || !rc.can(person.SectionDiagnostic) {
		return nil, base, err
	}
	es, err := s.store.Diagnostic(ctx, rc.p.ID, false)
	if err != nil {
		return nil, base, err
	}
	referred := map[int64]bool{}
	for _, r := range plan.Referrals {
		if r.Status == directory.ReferralSent || r.Status == directory.ReferralAccepted {
			referred[r.ServiceID] = true
		}
	}
	var out []suggestionGroup
	for _, e := range rc.visibleDiagnostic(es) {
		them := ref.SituationThematiques(e.Theme, e.Situation)
		if len(them) == 0 {
			continue
		}
		q := base
		q.Thematiques, q.Limit = them, maxSuggestions+len(referred)
		hits, err := s.store.SearchServices(ctx, rc.p.TerritoryID, q)
		if err != nil {
			return nil, base, err
		}
		g := suggestionGroup{Situation: referential.Situation{ThemeCode: e.Theme, Label: e.Situation}}
		for _, h := range hits {
			if referred[h.ID] || len(g.Items) == maxSuggestions {
				continue
			}
			o, ok := objectiveFor(ref, g.Situation, h.Thematiques)
			if !ok {
				continue
			}
			g.Items = append(g.Items, suggestion{Situation: g.Situation, Objective: o, Hit: h})
		}
		if len(g.Items) > 0 {
			out = append(out, g)
		}
	}
	return out, base, nil
}

// objectiveFor picks the first objective answering the situation whose
// thématiques the service has.
func objectiveFor(ref *referential.Referential, sit referential.Situation, thematiques []string) (referential.Objective, bool) {
	for _, o := range ref.ObjectivesFor(sit.ThemeCode, sit.Label) {
		for _, t := range ref.ObjectiveThematiques(o.ThemeCode, o.Label) {
			if slices.Contains(thematiques, t) {
				return o, true
			}
		}
	}
	return referential.Objective{}, false
}

// referInput is a referral as a page or the API asks for it: from an
// existing action, or from a situation of the diagnostic (one click: the
// objective answering it, reused when the plan has it open, and its first
// action are created with the referral).
type referInput struct {
	ServiceID    int64
	ActionID     int64
	Situation    referential.Situation
	Motive       string
	Consent      bool
	NotifyPerson bool
}

// refer creates a referral, with its objective and action when they are
// new. It checks the service, the plan item and the sections.
func (s *Server) refer(r *http.Request, rc *record, in referInput) (*directory.Referral, error) {
	ctx := r.Context()
	ref := s.cfg.Referential
	sv, err := s.store.Service(ctx, in.ServiceID)
	if errors.Is(err, store.ErrNotFound) || err == nil && (sv.TerritoryID != rc.p.TerritoryID || sv.Status != directory.StatusPublished) {
		return nil, problem.InvalidFields("Ce service n'est pas publié dans l'annuaire du territoire.",
			problem.Field{Field: "service_id", Message: "Service introuvable ou non publié."})
	}
	if err != nil {
		return nil, err
	}
	var obj *person.Objective
	var act person.Action
	switch {
	case in.ActionID != 0:
		if act, err = s.store.Action(ctx, in.ActionID); err != nil || act.PersonID != rc.p.ID {
			return nil, problem.InvalidFields("Cette action n'est pas dans le plan de la personne.",
				problem.Field{Field: "action_id", Message: "Action introuvable."})
		}
	case in.Situation.Label != "":
		if !ref.IsSituation(in.Situation.ThemeCode, in.Situation.Label) {
			return nil, problem.InvalidFields("Situation inconnue.", problem.Field{Field: "situation", Message: "Cette situation n'existe pas dans le diagnostic."})
		}
		o, ok := objectiveFor(ref, in.Situation, sv.Thematiques)
		if !ok {
			return nil, problem.InvalidFields("Ce service ne répond à aucun objectif de cette situation.",
				problem.Field{Field: "service_id", Message: "Choisissez un service dont les thématiques répondent à la situation."})
		}
		plan, err := s.store.Plan(ctx, rc.p.ID)
		if err != nil {
			return nil, err
		}
		for i := range plan {
			if plan[i].Theme == o.ThemeCode && plan[i].Label == o.Label && plan[i].Status == person.ObjectiveInProgress {
				obj = &plan[i]
				break
			}
		}
		if obj == nil {
			obj = &person.Objective{PersonID: rc.p.ID, Theme: o.ThemeCode, Label: o.Label, Situations: []referential.Situation{in.Situation},
				Status: person.ObjectiveInProgress, Section: person.SectionOfObjective(o.ThemeCode, o.Label)}
		}
		label := "Orientation vers « " + sv.Name + " »"
		if a, ok := ref.ObjectiveAction(o.ThemeCode, o.Label); ok {
			label = a.Label + " — " + sv.Name
		}
		act = person.Action{PersonID: rc.p.ID, ObjectiveID: obj.ID, Label: truncate(label, person.MaxActionLabel), Status: person.ActionPlanned,
			StructureID: sv.StructureID, WeeklyHours: quarterHours(sv.WeeklyHours), Section: obj.Section,
			DueOn: civilDate(s.now().AddDate(0, 0, directory.ExpiryDays))}
	default:
		return nil, problem.InvalidFields("Dites de quelle action ou de quelle situation part l'orientation.",
			problem.Field{Field: "action_id", Message: "Une action du plan, ou une situation du diagnostic, est attendue."})
	}
	if act.Section != "" && !rc.canWrite(act.Section) {
		return nil, s.deny(r, rc, act.Section, "create", denyNotEntitled)
	}
	in.Motive = strings.TrimSpace(in.Motive)
	if in.Motive == "" && obj != nil {
		in.Motive = fmt.Sprintf("Orientation proposée pour l'objectif « %s ».", obj.Label)
	}
	if err := directory.ValidateMotive(in.Motive, in.Consent).Err(); err != nil {
		return nil, err
	}
	rf := &directory.Referral{PersonID: rc.p.ID, TerritoryID: rc.p.TerritoryID, ServiceID: sv.ID, Motive: in.Motive, NotifyPerson: in.NotifyPerson}
	err = s.store.CreateReferral(ctx, store.NewReferral{Objective: obj, Action: &act, Referral: rf, Base: s.cfg.BaseURL}, s.actor(rc))
	if errors.Is(err, store.ErrConflict) {
		return nil, problem.New(problem.Conflict, "La personne est déjà orientée vers ce service (orientation en attente ou acceptée).")
	}
	if err != nil {
		return nil, err
	}
	return rf, nil
}

// denyNotEntitled is the decision recorded when a plan item of a sensitive
// section is refused.
var denyNotEntitled = access.Decision{Reason: access.ReasonNotEntitled}

// truncate cuts s to n characters.
func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// quarterHours rounds hours down to a quarter, as actions count them.
func quarterHours(h float64) float64 {
	return float64(int(h*4)) / 4
}

// civilDate is the calendar date of t in Paris, at UTC midnight, as dates
// are stored.
func civilDate(t time.Time) time.Time {
	y, m, d := t.In(paris).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
