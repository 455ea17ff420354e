package web

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
)

type apiSituationRef struct {
	Theme string `json:"theme"`
	Label string `json:"label"`
}

type apiReferralRef struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
}

type apiAction struct {
	ID            int64           `json:"id"`
	ObjectiveID   int64           `json:"objective_id"`
	Label         string          `json:"label"`
	Status        string          `json:"status"`
	DueDate       string          `json:"due_date,omitempty"`
	StructureID   int64           `json:"structure_id,omitempty"`
	StructureName string          `json:"structure_name,omitempty"`
	AccountID     int64           `json:"account_id,omitempty"`
	AccountName   string          `json:"account_name,omitempty"`
	WeeklyHours   float64         `json:"weekly_hours"`
	ServiceID     int64           `json:"service_id,omitempty"`
	Section       string          `json:"section,omitempty"`
	Referral      *apiReferralRef `json:"referral,omitempty"`
	UpdatedAt     time.Time       `json:"updated_at"`
}

type apiObjective struct {
	ID         int64             `json:"id"`
	Theme      string            `json:"theme"`
	Label      string            `json:"label"`
	Situations []apiSituationRef `json:"situations"`
	Status     string            `json:"status"`
	Section    string            `json:"section,omitempty"`
	CreatedAt  time.Time         `json:"created_at"`
	Actions    []apiAction       `json:"actions"`
}

type apiContract struct {
	StandardHours float64 `json:"standard_hours"`
	TargetHours   float64 `json:"target_hours"`
	Adjusted      bool    `json:"adjusted"`
	AdjustReason  string  `json:"adjust_reason,omitempty"`
	AdjustComment string  `json:"adjust_comment,omitempty"`
	DueDate       string  `json:"due_date,omitempty"`
	SignedOn      string  `json:"signed_on,omitempty"`
	Signatories   string  `json:"signatories,omitempty"`
}

type apiPlan struct {
	PersonID    int64          `json:"person_id"`
	Contract    apiContract    `json:"contract"`
	WeeklyHours float64        `json:"weekly_hours"`
	MeetsTarget bool           `json:"meets_target"`
	Objectives  []apiObjective `json:"objectives"`
	Referrals   []apiReferral  `json:"referrals"`
}

func actionJSON(a person.Action, v *planView) apiAction {
	out := apiAction{ID: a.ID, ObjectiveID: a.ObjectiveID, Label: a.Label, Status: string(a.Status), DueDate: formatDate(a.DueOn),
		StructureID: a.StructureID, StructureName: a.StructureName, AccountID: a.AccountID, AccountName: a.AccountName,
		WeeklyHours: a.WeeklyHours, ServiceID: a.ServiceID, Section: string(a.Section), UpdatedAt: a.UpdatedAt}
	if v != nil {
		if r, ok := v.ByAction[a.ID]; ok {
			out.Referral = &apiReferralRef{ID: r.ID, Status: string(r.Status)}
		}
	}
	return out
}

func objectiveJSON(o person.Objective, v *planView) apiObjective {
	out := apiObjective{ID: o.ID, Theme: o.Theme, Label: o.Label, Situations: []apiSituationRef{}, Status: string(o.Status),
		Section: string(o.Section), CreatedAt: o.CreatedAt, Actions: []apiAction{}}
	for _, s := range o.Situations {
		out.Situations = append(out.Situations, apiSituationRef{s.ThemeCode, s.Label})
	}
	for _, a := range o.Actions {
		out.Actions = append(out.Actions, actionJSON(a, v))
	}
	return out
}

func (s *Server) planJSON(rc *record, v *planView) apiPlan {
	c := v.Contract
	out := apiPlan{PersonID: rc.p.ID, WeeklyHours: v.Weekly, MeetsTarget: v.Weekly >= c.Target(), Objectives: []apiObjective{},
		Referrals: []apiReferral{},
		Contract: apiContract{StandardHours: person.StandardHours, TargetHours: c.Target(), Adjusted: c.AdjustReason != "",
			DueDate: formatDate(v.ContractDue), SignedOn: formatDate(c.SignedOn), Signatories: c.Signatories}}
	if v.ShowReason {
		out.Contract.AdjustReason, out.Contract.AdjustComment = string(c.AdjustReason), c.AdjustComment
	}
	for _, o := range v.Objectives {
		out.Objectives = append(out.Objectives, objectiveJSON(o, v))
	}
	for _, r := range v.Referrals {
		out.Referrals = append(out.Referrals, s.referralJSON(r, nil))
	}
	return out
}

func (s *Server) apiPlan(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionPlan, "read")
	if err != nil {
		return err
	}
	v, err := s.loadPlan(r.Context(), rc)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.planJSON(rc, v))
}

// actionInput is an action as the API and the pages give it. Pointers
// tell a field left out of a PATCH.
type actionInput struct {
	ObjectiveID int64    `json:"objective_id"`
	Label       *string  `json:"label"`
	Status      *string  `json:"status"`
	DueDate     *string  `json:"due_date"`
	StructureID *int64   `json:"structure_id"`
	AccountID   *int64   `json:"account_id"`
	WeeklyHours *float64 `json:"weekly_hours"`
}

// apply writes the given fields onto the action, with a message per wrong
// field (prefix names them in the body).
func (in actionInput) apply(a *person.Action, fs *problem.Fields, prefix string) {
	if in.Label != nil {
		a.Label = strings.TrimSpace(*in.Label)
	}
	if in.Status != nil {
		a.Status = person.ActionStatus(*in.Status)
	}
	if in.DueDate != nil {
		a.DueOn = parseDate(fs, prefix+"due_date", *in.DueDate)
	}
	if in.StructureID != nil {
		a.StructureID = *in.StructureID
	}
	if in.AccountID != nil {
		a.AccountID = *in.AccountID
	}
	if in.WeeklyHours != nil {
		a.WeeklyHours = *in.WeeklyHours
	}
}

// checkAction validates an action and its carrier: a structure of the
// consortium of the person's territory, an account of the person's team.
func (s *Server) checkAction(r *http.Request, rc *record, a *person.Action, prefix string, fs problem.Fields) error {
	for _, f := range person.ValidateAction(*a) {
		fs.Add(prefix+f.Field, f.Message)
	}
	if a.StructureID != 0 {
		st, err := s.store.Structure(r.Context(), a.StructureID)
		if err != nil || st.TerritoryID != rc.p.TerritoryID {
			fs.Add(prefix+"structure_id", "Cette structure n'est pas du territoire.")
		}
	}
	if a.AccountID != 0 {
		team, err := rc.members()
		if err != nil {
			return err
		}
		in := false
		for _, m := range team {
			in = in || m.Active() && m.AccountID == a.AccountID
		}
		if !in {
			fs.Add(prefix+"account_id", "Ce professionnel n'est pas dans l'équipe de suivi.")
		}
	}
	return fs.Err()
}

// sectionOf returns the section a plan item under the objective is filed
// in: the objective's, or justice when its own text speaks of a judicial
// matter.
func sectionOf(o person.Objective, label string) person.Section {
	if o.Section != "" {
		return o.Section
	}
	return person.SectionOfObjective(o.Theme, label)
}

type objectiveInput struct {
	Theme      string            `json:"theme"`
	Label      string            `json:"label"`
	Situations []apiSituationRef `json:"situations"`
	Actions    []actionInput     `json:"actions"`
}

type contractInput struct {
	TargetHours   *float64 `json:"target_hours"`
	AdjustReason  *string  `json:"adjust_reason"`
	AdjustComment *string  `json:"adjust_comment"`
	SignedOn      *string  `json:"signed_on"`
	Signatories   *string  `json:"signatories"`
}

// addObjective validates and creates an objective with its first actions.
func (s *Server) addObjective(r *http.Request, rc *record, in objectiveInput) (*person.Objective, error) {
	o := person.Objective{PersonID: rc.p.ID, Theme: strings.TrimSpace(in.Theme), Label: strings.TrimSpace(in.Label), Status: person.ObjectiveInProgress}
	for _, sit := range in.Situations {
		o.Situations = append(o.Situations, referential.Situation{ThemeCode: sit.Theme, Label: sit.Label})
	}
	fs := person.ValidateObjective(s.cfg.Referential, o)
	o.Section = person.SectionOfObjective(o.Theme, o.Label)
	var acts []person.Action
	for i, ai := range in.Actions {
		a := person.Action{PersonID: rc.p.ID, Status: person.ActionPlanned}
		prefix := "actions[" + strconv.Itoa(i) + "]."
		ai.apply(&a, &fs, prefix)
		a.Section = sectionOf(o, a.Label)
		if err := s.checkAction(r, rc, &a, prefix, nil); err != nil {
			if p, ok := problem.As(err); ok {
				fs = append(fs, p.Fields...)
			} else {
				return nil, err
			}
		}
		acts = append(acts, a)
	}
	if err := fs.Err(); err != nil {
		return nil, err
	}
	if o.Section != "" && !rc.canWrite(o.Section) {
		return nil, s.deny(r, rc, o.Section, "create", denyNotEntitled)
	}
	if err := s.store.CreateObjective(r.Context(), &o, s.actor(rc)); err != nil {
		return nil, err
	}
	for i := range acts {
		acts[i].ObjectiveID = o.ID
		if err := s.store.CreateAction(r.Context(), &acts[i], s.actor(rc)); err != nil {
			return nil, err
		}
	}
	o.Actions = acts
	return &o, nil
}

// addAction validates and creates an action under an objective of the plan.
func (s *Server) addAction(r *http.Request, rc *record, in actionInput) (*person.Action, error) {
	o, err := s.store.Objective(r.Context(), in.ObjectiveID)
	if err != nil || o.PersonID != rc.p.ID || o.Section != "" && !rc.canWrite(o.Section) {
		return nil, problem.InvalidFields("Cet objectif n'est pas dans le plan de la personne.",
			problem.Field{Field: "objective_id", Message: "Objectif introuvable."})
	}
	a := person.Action{PersonID: rc.p.ID, ObjectiveID: o.ID, Status: person.ActionPlanned}
	var fs problem.Fields
	in.apply(&a, &fs, "")
	a.Section = sectionOf(o, a.Label)
	if err := s.checkAction(r, rc, &a, "", fs); err != nil {
		return nil, err
	}
	if a.Section != "" && !rc.canWrite(a.Section) {
		return nil, s.deny(r, rc, a.Section, "create", denyNotEntitled)
	}
	if err := s.store.CreateAction(r.Context(), &a, s.actor(rc)); err != nil {
		return nil, err
	}
	return &a, nil
}

// saveContract applies a change of the contract's hours or signature.
func (s *Server) saveContract(r *http.Request, rc *record, in contractInput) error {
	prev, err := s.store.Contract(r.Context(), rc.p.ID)
	if err != nil {
		return err
	}
	c := prev
	var fs problem.Fields
	if in.AdjustReason != nil {
		c.AdjustReason = person.AdjustReason(strings.TrimSpace(*in.AdjustReason))
	}
	if in.TargetHours != nil {
		c.TargetHours = *in.TargetHours
	}
	if c.AdjustReason == "" {
		c.TargetHours, c.AdjustComment = person.StandardHours, ""
	}
	if in.AdjustComment != nil {
		c.AdjustComment = strings.TrimSpace(*in.AdjustComment)
	}
	if in.SignedOn != nil {
		c.SignedOn = parseDate(&fs, "signed_on", *in.SignedOn)
	}
	if in.Signatories != nil {
		c.Signatories = strings.TrimSpace(*in.Signatories)
	}
	fs = append(fs, c.Validate(s.now())...)
	if math.IsNaN(c.TargetHours) {
		fs.Add("target_hours", "Nombre attendu.")
	}
	if err := fs.Err(); err != nil {
		return err
	}
	for _, sec := range []person.Section{prev.AdjustReason.Section(), c.AdjustReason.Section()} {
		if sec != "" && !rc.canWrite(sec) {
			return s.deny(r, rc, sec, "update", denyNotEntitled)
		}
	}
	return s.store.SaveContract(r.Context(), &c, prev, s.actor(rc))
}

func (s *Server) apiPostPlan(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Objective *objectiveInput `json:"objective"`
		Action    *actionInput    `json:"action"`
		Contract  *contractInput  `json:"contract"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	n := 0
	for _, set := range []bool{in.Objective != nil, in.Action != nil, in.Contract != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return invalid("Le corps contient exactement un des champs « objective », « action » ou « contract ».")
	}
	rc, err := s.loadRecord(r, person.SectionPlan, "update")
	if err != nil {
		return err
	}
	switch {
	case in.Objective != nil:
		_, err = s.addObjective(r, rc, *in.Objective)
	case in.Action != nil:
		_, err = s.addAction(r, rc, *in.Action)
	default:
		err = s.saveContract(r, rc, *in.Contract)
	}
	if err != nil {
		return err
	}
	v, err := s.loadPlan(r.Context(), rc)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s.planJSON(rc, v))
}

// planItem loads the record of the person a plan item belongs to, for a
// change of it.
func (s *Server) planItem(r *http.Request, personID int64) (*record, error) {
	r.SetPathValue("id", strconv.FormatInt(personID, 10))
	return s.loadRecord(r, person.SectionPlan, "update")
}

// pathID reads a positive numeric path value.
func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

var errUnknownItem = notFound("Cet élément du plan n'existe pas, ou ne vous est pas accessible.")

// updateAction applies a change to an action of the person's plan.
func (s *Server) updateAction(r *http.Request, rc *record, a person.Action, in actionInput) (person.Action, error) {
	if a.Section != "" && !rc.canWrite(a.Section) {
		return a, s.deny(r, rc, a.Section, "update", denyNotEntitled)
	}
	prev := a.Status
	var fs problem.Fields
	in.apply(&a, &fs, "")
	if err := s.checkAction(r, rc, &a, "", fs); err != nil {
		return a, err
	}
	o, err := s.store.Objective(r.Context(), a.ObjectiveID)
	if err != nil {
		return a, err
	}
	a.Section = sectionOf(o, a.Label)
	if a.Section != "" && !rc.canWrite(a.Section) {
		return a, s.deny(r, rc, a.Section, "update", denyNotEntitled)
	}
	return a, s.store.UpdateAction(r.Context(), &a, prev, s.actor(rc))
}

func (s *Server) apiPatchAction(w http.ResponseWriter, r *http.Request) error {
	id, ok := pathID(r, "id")
	if !ok {
		return errUnknownItem
	}
	var in actionInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.store.Action(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return errUnknownItem
	}
	if err != nil {
		return err
	}
	rc, err := s.planItem(r, a.PersonID)
	if err != nil {
		return err
	}
	if a, err = s.updateAction(r, rc, a, in); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, actionJSON(a, nil))
}

// setObjectiveStatus changes the state of an objective of the person.
func (s *Server) setObjectiveStatus(r *http.Request, rc *record, o person.Objective, status string) (person.Objective, error) {
	if o.Section != "" && !rc.canWrite(o.Section) {
		return o, s.deny(r, rc, o.Section, "update", denyNotEntitled)
	}
	st := person.ObjectiveStatus(status)
	if person.ObjectiveStatuses[status] == "" {
		return o, problem.InvalidFields("Statut inconnu.", problem.Field{Field: "status", Message: "Statut attendu : in_progress, done ou abandoned."})
	}
	return o, s.store.SetObjectiveStatus(r.Context(), &o, st, s.actor(rc))
}

func (s *Server) apiPatchObjective(w http.ResponseWriter, r *http.Request) error {
	id, ok := pathID(r, "id")
	if !ok {
		return errUnknownItem
	}
	var in struct {
		Status string `json:"status"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	o, err := s.store.Objective(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return errUnknownItem
	}
	if err != nil {
		return err
	}
	rc, err := s.planItem(r, o.PersonID)
	if err != nil {
		return err
	}
	if o, err = s.setObjectiveStatus(r, rc, o, in.Status); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, objectiveJSON(o, nil))
}

type apiSuggestionService struct {
	ID           int64    `json:"id"`
	Name         string   `json:"name"`
	Structure    string   `json:"structure"`
	CommuneINSEE string   `json:"commune_insee"`
	DistanceKm   *float64 `json:"distance_km"`
	Remote       bool     `json:"remote"`
	Thematiques  []string `json:"thematiques"`
}

type apiSuggestion struct {
	Situation apiSituationRef      `json:"situation"`
	Objective apiSituationRef      `json:"objective"`
	Service   apiSuggestionService `json:"service"`
}

func distancePtr(d float64) *float64 {
	if d < 0 {
		return nil
	}
	d = math.Round(d*10) / 10
	return &d
}

func (s *Server) apiSuggestions(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionPlan, "read")
	if err != nil {
		return err
	}
	v, err := s.loadPlan(r.Context(), rc)
	if err != nil {
		return err
	}
	groups, q, err := s.suggestions(r.Context(), rc, v)
	if err != nil {
		return err
	}
	out := struct {
		RadiusKm float64         `json:"radius_km"`
		Items    []apiSuggestion `json:"items"`
	}{q.RadiusKm, []apiSuggestion{}}
	for _, g := range groups {
		for _, it := range g.Items {
			out.Items = append(out.Items, apiSuggestion{
				Situation: apiSituationRef{it.Situation.ThemeCode, it.Situation.Label},
				Objective: apiSituationRef{it.Objective.ThemeCode, it.Objective.Label},
				Service: apiSuggestionService{ID: it.Hit.ID, Name: it.Hit.Name, Structure: it.Hit.StructureName, CommuneINSEE: it.Hit.CommuneINSEE,
					DistanceKm: distancePtr(it.Hit.DistanceKm), Remote: it.Hit.Remote(), Thematiques: it.Hit.Thematiques},
			})
		}
	}
	return writeJSON(w, http.StatusOK, out)
}
