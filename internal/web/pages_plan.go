package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/territory"
)

// The plan page (contrat d'engagement): the weekly activity against the 15
// hours, the contract's signature, objectives and actions, the services the
// diagnostic calls for, and the referrals. Every form posts and redirects;
// a wrong form shows the page again with its messages.

func planPath(id int64) string { return "/personnes/" + strconv.FormatInt(id, 10) + "/plan" }

// planForm is the form of the plan page that failed, with what was typed.
type planForm struct {
	Name   string // contract, objective, action-<objective id>, update-<action id>, refer
	Fields problem.Fields
	Errors []errorLink
	Alert  string
	Values url.Values
}

// Get returns a typed value of the failed form.
func (f planForm) Get(name string) string { return f.Values.Get(name) }

// Has reports whether a typed multi-value holds v.
func (f planForm) Has(name, v string) bool {
	for _, x := range f.Values[name] {
		if x == v {
			return true
		}
	}
	return false
}

var planAnchors = map[string][2]string{
	"objective":      {"objectif", "Objectif"},
	"label":          {"objectif", "Objectif"},
	"theme":          {"objectif", "Objectif"},
	"situations":     {"situations", "Situations du diagnostic"},
	"weekly_hours":   {"", "Heures par semaine"},
	"due_date":       {"", "Échéance"},
	"status":         {"", "Statut"},
	"structure_id":   {"", "Structure qui porte l'action"},
	"account_id":     {"", "Professionnel qui porte l'action"},
	"target_hours":   {"target_hours", "Durée hebdomadaire aménagée"},
	"adjust_reason":  {"adjust_reason", "Motif de l'aménagement"},
	"adjust_comment": {"adjust_comment", "Précision sur l'aménagement"},
	"signed_on":      {"signed_on", "Date de signature"},
	"signatories":    {"signatories", "Signataires"},
	"motive":         {"", "Message au service"},
	"consent":        {"", "Accord de la personne"},
	"service_id":     {"", "Service"},
}

type optGroup struct {
	Label   string
	Options []fieldOption
}

type actionRow struct {
	ID                                     int64
	Label, Status, StatusLabel, Due, Hours string
	Carrier                                string
	Late                                   bool
	Statuses                               []fieldOption
	DueValue, HoursValue                   string
	Referral                               *referralRow
}

type objectiveRow struct {
	ID                              int64
	Theme, Label, Status, StatusLbl string
	Section                         string
	Situations                      []string
	Actions                         []actionRow
	ActionChoices                   []fieldOption
	Statuses                        []fieldOption
	Open                            bool
}

type referralRow struct {
	ID                                      int64
	Service, Structure, Status, StatusLabel string
	Sent, Expires                           time.Time
	Refusal                                 string
	Open                                    bool
}

type suggestionRow struct {
	ServiceID                             int64
	Service, Structure, Commune, Distance string
	Objective, Hours                      string
	Remote                                bool
}

type suggestionBlock struct {
	Theme, Situation, SituationTheme, Value string
	Items                                   []suggestionRow
}

type planPageData struct {
	page
	ID                    int64
	Name                  string
	Form                  planForm
	CanEdit               bool
	Weekly, Target        string
	Percent               int
	MeetsTarget, Adjusted bool
	ShowReason            bool
	ReasonLabel           string
	Contract              person.Contract
	ContractDue           time.Time
	ContractLate          bool
	Objectives            []objectiveRow
	ObjectiveChoices      []optGroup
	Situations            []fieldOption
	Structures            []fieldOption
	Team                  []fieldOption
	AdjustReasons         []fieldOption
	Suggestions           []suggestionBlock
	RadiusKm              string
	HasCommune            bool
	Referrals             []referralRow
	Hires                 []hireRow
}

// hireRow is an exit to employment, shown at the top of the plan.
type hireRow struct {
	On              time.Time
	Offer, Employer string
	ApplicationID   int64
}

// hours writes hours the French way: "15 h", "12,5 h".
func hours(h float64) string {
	s := strconv.FormatFloat(h, 'f', -1, 64)
	return strings.Replace(s, ".", ",", 1) + " h"
}

func (s *Server) referralRow(r directory.Referral) referralRow {
	row := referralRow{ID: r.ID, Service: r.ServiceName, Structure: r.StructureName, Status: string(r.Status),
		StatusLabel: r.Status.Label(), Sent: r.SentAt, Expires: r.ExpiresAt(), Open: r.Status.Open()}
	if r.Status == directory.ReferralRefused {
		row.Refusal = directory.RefusalLabel(r.RefusalReason)
	}
	return row
}

// renderPlan shows the plan page with a form's state.
func (s *Server) renderPlan(w http.ResponseWriter, r *http.Request, rc *record, status int, f planForm) error {
	ctx := r.Context()
	ref := s.cfg.Referential
	v, err := s.loadPlan(ctx, rc)
	if err != nil {
		return err
	}
	c := v.Contract
	data := &planPageData{page: s.page(r, "Plan d'action"), ID: rc.p.ID, Name: rc.p.FirstName + " " + rc.p.LastName, Form: f,
		CanEdit: rc.canWrite(person.SectionPlan), Weekly: hours(v.Weekly), Target: hours(c.Target()),
		MeetsTarget: v.Weekly >= c.Target(), Adjusted: c.AdjustReason != "", ShowReason: v.ShowReason, Contract: c,
		ContractDue: v.ContractDue}
	if t := c.Target(); t > 0 {
		data.Percent = int(math.Min(100, math.Round(v.Weekly/t*100)))
	} else {
		data.Percent = 100
	}
	if v.ShowReason && c.AdjustReason != "" {
		data.ReasonLabel = person.Label(person.AdjustReasons, string(c.AdjustReason))
	}
	today := civilDate(s.now())
	data.ContractLate = !c.Signed() && !v.ContractDue.IsZero() && v.ContractDue.Before(today)
	if data.Hires, err = s.hires(r, rc); err != nil {
		return err
	}

	sts, err := s.store.Structures(ctx, rc.p.TerritoryID)
	if err != nil {
		return err
	}
	data.Structures = []fieldOption{{Value: "", Label: "Non précisée"}}
	for _, st := range sts {
		if st.Kind != territory.KindEmployer {
			data.Structures = append(data.Structures, fieldOption{Value: strconv.FormatInt(st.ID, 10), Label: st.Name})
		}
	}
	team, err := rc.members()
	if err != nil {
		return err
	}
	data.Team = []fieldOption{{Value: "", Label: "Non précisé"}}
	for _, m := range team {
		if m.Active() {
			data.Team = append(data.Team, fieldOption{Value: strconv.FormatInt(m.AccountID, 10), Label: m.AccountName + " (" + m.StructureName + ")"})
		}
	}
	for _, o := range v.Objectives {
		theme, _ := ref.Theme(o.Theme)
		row := objectiveRow{ID: o.ID, Theme: theme.Label, Label: o.Label, Status: string(o.Status),
			StatusLbl: person.Label(person.ObjectiveStatuses, string(o.Status)), Open: o.Status == person.ObjectiveInProgress,
			Statuses: options(person.ObjectiveStatusOptions, "", string(o.Status))[1:]}
		if o.Section != "" {
			row.Section = person.SectionLabel(o.Section)
		}
		for _, sit := range o.Situations {
			row.Situations = append(row.Situations, sit.Label)
		}
		for _, a := range ref.Actions(o.Theme) {
			row.ActionChoices = append(row.ActionChoices, fieldOption{Value: a.Label, Label: a.Label})
		}
		for _, a := range o.Actions {
			ar := actionRow{ID: a.ID, Label: a.Label, Status: string(a.Status), StatusLabel: person.Label(person.ActionStatuses, string(a.Status)),
				Hours: hours(a.WeeklyHours), Statuses: options(person.ActionStatusOptions, "", string(a.Status))[1:],
				DueValue: formatDate(a.DueOn), HoursValue: strconv.FormatFloat(a.WeeklyHours, 'f', -1, 64)}
			if !a.DueOn.IsZero() {
				ar.Due = a.DueOn.Format("02/01/2006")
				ar.Late = a.Status.Active() && a.DueOn.Before(today)
			}
			ar.Carrier = strings.Trim(a.StructureName+" — "+a.AccountName, " —")
			if rf, ok := v.ByAction[a.ID]; ok {
				rr := s.referralRow(rf)
				ar.Referral = &rr
			}
			row.Actions = append(row.Actions, ar)
		}
		data.Objectives = append(data.Objectives, row)
	}
	for _, rf := range v.Referrals {
		data.Referrals = append(data.Referrals, s.referralRow(rf))
	}
	if data.CanEdit {
		for _, th := range ref.Themes() {
			g := optGroup{Label: th.Label}
			for _, o := range ref.Objectives(th.Code) {
				val := th.Code + "|" + o.Label
				g.Options = append(g.Options, fieldOption{Value: val, Label: o.Label, Selected: f.Get("objective") == val})
			}
			if len(g.Options) > 0 {
				data.ObjectiveChoices = append(data.ObjectiveChoices, g)
			}
		}
		if rc.can(person.SectionDiagnostic) {
			es, err := s.store.Diagnostic(ctx, rc.p.ID, false)
			if err != nil {
				return err
			}
			for _, e := range rc.visibleDiagnostic(es) {
				val := e.Theme + "|" + e.Situation
				data.Situations = append(data.Situations, fieldOption{Value: val, Label: e.Situation, Selected: f.Has("situation", val)})
			}
		}
		for _, o := range person.AdjustReasonOptions {
			sec := person.AdjustReason(o.Code).Section()
			if sec == "" || rc.canWrite(sec) {
				data.AdjustReasons = append(data.AdjustReasons, fieldOption{Value: o.Code, Label: o.Label, Selected: o.Code == string(c.AdjustReason)})
			}
		}
		groups, q, err := s.suggestions(ctx, rc, v)
		if err != nil {
			return err
		}
		data.RadiusKm, data.HasCommune = strconv.FormatFloat(q.RadiusKm, 'f', -1, 64), q.HasFrom
		for _, g := range groups {
			theme, _ := ref.Theme(g.Situation.ThemeCode)
			b := suggestionBlock{Theme: theme.Label, Situation: g.Situation.Label, SituationTheme: g.Situation.ThemeCode,
				Value: g.Situation.ThemeCode + "|" + g.Situation.Label}
			for _, it := range g.Items {
				row := suggestionRow{ServiceID: it.Hit.ID, Service: it.Hit.Name, Structure: it.Hit.StructureName,
					Objective: it.Objective.Label, Remote: it.Hit.Remote()}
				if cm, ok := ref.Commune(it.Hit.CommuneINSEE); ok {
					row.Commune = cm.Name
				}
				if d := distancePtr(it.Hit.DistanceKm); d != nil {
					row.Distance = strings.Replace(strconv.FormatFloat(*d, 'f', 1, 64), ".", ",", 1) + " km"
				}
				if it.Hit.WeeklyHours > 0 {
					row.Hours = hours(it.Hit.WeeklyHours) + " par semaine"
				}
				b.Items = append(b.Items, row)
			}
			data.Suggestions = append(data.Suggestions, b)
		}
	}
	s.render(w, r, status, "plan", data)
	return nil
}

func (s *Server) planPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionPlan, "read")
	if err != nil {
		return err
	}
	return s.renderPlan(w, r, rc, http.StatusOK, planForm{})
}

// planFailed shows the plan again with the failed form's messages when the
// user can fix them, and leaves other errors to the error page.
func (s *Server) planFailed(w http.ResponseWriter, r *http.Request, rc *record, name string, err error) error {
	p, ok := problem.As(err)
	if !ok || (p.Kind != problem.Invalid && p.Kind != problem.Conflict) {
		return err
	}
	f := planForm{Name: name, Fields: p.Fields, Values: r.PostForm}
	for i := range f.Fields {
		if j := strings.LastIndex(f.Fields[i].Field, "."); j >= 0 {
			f.Fields[i].Field = f.Fields[i].Field[j+1:]
		}
	}
	f.Errors = errorLinks(f.Fields, planAnchors)
	for i, fd := range f.Fields {
		if a, ok := planAnchors[fd.Field]; ok && a[0] == "" {
			f.Errors[i].Href = "#" + name
		}
	}
	if len(f.Fields) == 0 {
		f.Alert = p.Detail
	}
	if err := s.store.Audit(r.Context(), s.auditEntry(rc.v, actingStructure(rc.v, rc.team, rc.p.TerritoryID), rc.p.ID,
		string(person.SectionPlan), "read", planReadAllowed)); err != nil {
		return err
	}
	return s.renderPlan(w, r, rc, kinds[p.Kind].status, f)
}

// planReadAllowed is the decision of a plan page shown again after a
// failed form: the viewer was allowed the plan's update, hence its read.
var planReadAllowed = access.Decision{Allowed: true, Reason: access.ReasonTeamMember}

// planWrite loads the record for a change of the plan and parses the form.
func (s *Server) planWrite(r *http.Request) (*record, error) {
	rc, err := s.loadRecord(r, person.SectionPlan, "update")
	if err != nil {
		return nil, err
	}
	return rc, parseForm(r)
}

// formHours reads an hours field typed with a comma or a dot.
func formHours(fs *problem.Fields, field, v string) *float64 {
	v = strings.TrimSpace(strings.Replace(v, ",", ".", 1))
	if v == "" {
		return nil
	}
	h, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(h) || math.IsInf(h, 0) {
		fs.Add(field, "Saisissez un nombre d'heures, par exemple 3 ou 2,5.")
		return nil
	}
	return &h
}

// formID reads an optional numeric id field.
func formID(v string) *int64 {
	id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || id < 0 {
		var zero int64
		return &zero
	}
	return &id
}

func (s *Server) addObjectivePage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.planWrite(r)
	if err != nil {
		return err
	}
	theme, label, _ := strings.Cut(r.PostFormValue("objective"), "|")
	in := objectiveInput{Theme: theme, Label: label}
	for _, v := range r.PostForm["situation"] {
		t, l, _ := strings.Cut(v, "|")
		in.Situations = append(in.Situations, apiSituationRef{t, l})
	}
	var fs problem.Fields
	if a := strings.TrimSpace(r.PostFormValue("action_label")); a != "" {
		status := string(person.ActionPlanned)
		due := formDate(r.PostFormValue("due_date"))
		in.Actions = []actionInput{{Label: &a, Status: &status, DueDate: &due, WeeklyHours: formHours(&fs, "weekly_hours", r.PostFormValue("weekly_hours")),
			StructureID: formID(r.PostFormValue("structure_id"))}}
	}
	if theme == "" {
		fs.Add("objective", "Choisissez un objectif.")
	}
	if err := fs.Err(); err != nil {
		return s.planFailed(w, r, rc, "objective", err)
	}
	if _, err := s.addObjective(r, rc, in); err != nil {
		return s.planFailed(w, r, rc, "objective", err)
	}
	s.redirectWithFlash(w, r, planPath(rc.p.ID)+"#objectifs", "objective-added")
	return nil
}

func (s *Server) objectiveStatusPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.planWrite(r)
	if err != nil {
		return err
	}
	oid, ok := pathID(r, "oid")
	if !ok {
		return errUnknownItem
	}
	o, err := s.store.Objective(r.Context(), oid)
	if err != nil || o.PersonID != rc.p.ID {
		return errUnknownItem
	}
	if _, err := s.setObjectiveStatus(r, rc, o, r.PostFormValue("status")); err != nil {
		return s.planFailed(w, r, rc, "objective-"+strconv.FormatInt(oid, 10), err)
	}
	s.redirectWithFlash(w, r, planPath(rc.p.ID)+"#objectif-"+strconv.FormatInt(oid, 10), "objective-updated")
	return nil
}

// actionFromForm reads an action form.
func actionFromForm(form url.Values, fs *problem.Fields) actionInput {
	label := strings.TrimSpace(form.Get("label"))
	if label == "" {
		label = strings.TrimSpace(form.Get("action_ref"))
	}
	status, due := form.Get("status"), formDate(form.Get("due_date"))
	in := actionInput{Label: &label, Status: &status, DueDate: &due, WeeklyHours: formHours(fs, "weekly_hours", form.Get("weekly_hours"))}
	if status == "" {
		planned := string(person.ActionPlanned)
		in.Status = &planned
	}
	if in.WeeklyHours == nil {
		zero := 0.0
		in.WeeklyHours = &zero
	}
	if _, ok := form["structure_id"]; ok {
		in.StructureID = formID(form.Get("structure_id"))
	}
	if _, ok := form["account_id"]; ok {
		in.AccountID = formID(form.Get("account_id"))
	}
	return in
}

func (s *Server) addActionPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.planWrite(r)
	if err != nil {
		return err
	}
	var fs problem.Fields
	in := actionFromForm(r.PostForm, &fs)
	in.ObjectiveID = *formID(r.PostFormValue("objective_id"))
	name := "action-" + strconv.FormatInt(in.ObjectiveID, 10)
	if err := fs.Err(); err != nil {
		return s.planFailed(w, r, rc, name, err)
	}
	a, err := s.addAction(r, rc, in)
	if err != nil {
		return s.planFailed(w, r, rc, name, err)
	}
	s.redirectWithFlash(w, r, planPath(rc.p.ID)+"#objectif-"+strconv.FormatInt(a.ObjectiveID, 10), "action-added")
	return nil
}

func (s *Server) updateActionPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.planWrite(r)
	if err != nil {
		return err
	}
	aid, ok := pathID(r, "aid")
	if !ok {
		return errUnknownItem
	}
	a, err := s.store.Action(r.Context(), aid)
	if err != nil || a.PersonID != rc.p.ID {
		return errUnknownItem
	}
	var fs problem.Fields
	in := actionFromForm(r.PostForm, &fs)
	if strings.TrimSpace(r.PostFormValue("label")) == "" && r.PostFormValue("action_ref") == "" {
		in.Label = nil // the update form of a line changes status, date and hours
	}
	name := "update-" + strconv.FormatInt(aid, 10)
	if err := fs.Err(); err != nil {
		return s.planFailed(w, r, rc, name, err)
	}
	if _, err := s.updateAction(r, rc, a, in); err != nil {
		return s.planFailed(w, r, rc, name, err)
	}
	s.redirectWithFlash(w, r, planPath(rc.p.ID)+"#action-"+strconv.FormatInt(aid, 10), "action-updated")
	return nil
}

func (s *Server) saveContractPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.planWrite(r)
	if err != nil {
		return err
	}
	var fs problem.Fields
	reason := strings.TrimSpace(r.PostFormValue("adjust_reason"))
	comment := r.PostFormValue("adjust_comment")
	signed := formDate(r.PostFormValue("signed_on"))
	signatories := r.PostFormValue("signatories")
	in := contractInput{AdjustReason: &reason, AdjustComment: &comment, SignedOn: &signed, Signatories: &signatories,
		TargetHours: formHours(&fs, "target_hours", r.PostFormValue("target_hours"))}
	if reason != "" && in.TargetHours == nil {
		fs.Add("target_hours", "Indiquez la durée hebdomadaire aménagée, en heures.")
	}
	if err := fs.Err(); err != nil {
		return s.planFailed(w, r, rc, "contract", err)
	}
	if err := s.saveContract(r, rc, in); err != nil {
		return s.planFailed(w, r, rc, "contract", err)
	}
	s.redirectWithFlash(w, r, planPath(rc.p.ID)+"#contrat", "contract-saved")
	return nil
}

// referPage is the one click of a suggestion: it creates the objective
// answering the situation (or reuses the open one), its first action and
// the referral to the service.
func (s *Server) referPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.planWrite(r)
	if err != nil {
		return err
	}
	in := referInput{ServiceID: *formID(r.PostFormValue("service_id")), ActionID: *formID(r.PostFormValue("action_id")),
		Motive: r.PostFormValue("motive"), Consent: r.PostFormValue("consent") == "1", NotifyPerson: r.PostFormValue("notify_person") == "1"}
	if t, l, ok := strings.Cut(r.PostFormValue("situation"), "|"); ok {
		in.Situation = referential.Situation{ThemeCode: t, Label: l}
	}
	if _, err := s.refer(r, rc, in); err != nil {
		return s.planFailed(w, r, rc, "refer", err)
	}
	s.redirectWithFlash(w, r, planPath(rc.p.ID)+"#adressages", "referral-sent")
	return nil
}

// contractPageData is the printable contract.
type contractPageData struct {
	page
	ID                  int64
	P                   person.Person
	Commune             string
	Plan                *planView
	Objectives          []objectiveRow
	Target, Weekly      string
	ReasonLabel         string
	Referent, Structure string
	Printed             time.Time
	Signatories         []string
}

// contractPage is the contrat d'engagement as a page to print (the print
// style sheet drops the header, the menu and the footer), with the
// objectives and actions the viewer may read.
func (s *Server) contractPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionPlan, "read")
	if err != nil {
		return err
	}
	v, err := s.loadPlan(r.Context(), rc)
	if err != nil {
		return err
	}
	ref := s.cfg.Referential
	data := &contractPageData{page: s.page(r, "Contrat d'engagement"), ID: rc.p.ID, P: rc.p, Plan: v, Target: hours(v.Contract.Target()),
		Weekly: hours(v.Weekly), Printed: s.now()}
	if c, ok := ref.Commune(rc.p.CommuneINSEE); ok {
		data.Commune = c.Name
	}
	if v.ShowReason && v.Contract.AdjustReason != "" {
		data.ReasonLabel = person.Label(person.AdjustReasons, string(v.Contract.AdjustReason))
	}
	for _, line := range strings.Split(v.Contract.Signatories, "\n") {
		for _, part := range strings.Split(line, ";") {
			if part = strings.TrimSpace(part); part != "" {
				data.Signatories = append(data.Signatories, part)
			}
		}
	}
	team, err := rc.members()
	if err != nil {
		return err
	}
	for _, m := range team {
		if m.Referent && m.Active() {
			data.Referent, data.Structure = m.AccountName, m.StructureName
		}
	}
	for _, o := range v.Objectives {
		if o.Status == person.ObjectiveAbandoned {
			continue
		}
		theme, _ := ref.Theme(o.Theme)
		row := objectiveRow{ID: o.ID, Theme: theme.Label, Label: o.Label, StatusLbl: person.Label(person.ObjectiveStatuses, string(o.Status))}
		for _, a := range o.Actions {
			if a.Status == person.ActionCanceled || a.Status == person.ActionAbandoned {
				continue
			}
			ar := actionRow{Label: a.Label, StatusLabel: person.Label(person.ActionStatuses, string(a.Status)), Hours: hours(a.WeeklyHours),
				Carrier: strings.Trim(a.StructureName+" — "+a.AccountName, " —")}
			if !a.DueOn.IsZero() {
				ar.Due = a.DueOn.Format("02/01/2006")
			}
			row.Actions = append(row.Actions, ar)
		}
		data.Objectives = append(data.Objectives, row)
	}
	s.render(w, r, http.StatusOK, "contract", data)
	return nil
}

// hires are the person's exits to employment not cancelled, with their
// offers, for a reader of the project (the applications' section).
func (s *Server) hires(r *http.Request, rc *record) ([]hireRow, error) {
	if !rc.can(person.SectionProject) {
		return nil, nil
	}
	exits, err := s.store.Exits(r.Context(), rc.p.ID)
	if err != nil {
		return nil, err
	}
	var out []hireRow
	for _, x := range exits {
		if !x.CancelledAt.IsZero() || x.ApplicationID == 0 {
			continue
		}
		a, err := s.store.Application(r.Context(), x.ApplicationID)
		if err != nil {
			return nil, err
		}
		out = append(out, hireRow{On: x.At, Offer: a.OfferTitle, Employer: a.EmployerName, ApplicationID: a.ID})
	}
	return out, nil
}
