package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
)

// Applications as the employer works them, and as the professionals who
// proposed the person follow them (see pages_employers.go).

// --- Applications -------------------------------------------------------

// appView is an application as one request may see it: by a contact of its
// employer (who works it), or by a professional of the person's team.
type appView struct {
	employment.Application
	employer bool    // the viewer acts for the employer
	team     *record // the viewer reads the person's project
}

// loadApplication returns the application of the path for a viewer who
// may see it: a contact of its employer, or a professional who reads the
// person's project (an active member of the team). Anyone else gets the
// 404 of an application that does not exist; a professional's read and
// its refusal are audited.
func (s *Server) loadApplication(r *http.Request, name string) (appView, error) {
	ctx := r.Context()
	v := viewerOf(ctx)
	id, ok := pathID(r, name)
	if !ok {
		return appView{}, errUnknownApplication
	}
	a, err := s.store.Application(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return appView{}, errUnknownApplication
	}
	if err != nil {
		return appView{}, err
	}
	av := appView{Application: a}
	if access.EmployerContact(accessViewer(v), a.EmployerID).Allowed {
		av.employer = true
		return av, nil
	}
	if !access.Caseload(accessViewer(v)) {
		return appView{}, errUnknownApplication
	}
	rc, err := s.newRecord(ctx, v, a.PersonID)
	if err != nil {
		return appView{}, err
	}
	d := rc.decide(func(rec access.Record) access.Decision { return access.Read(rc.av, rec, person.SectionProject, rc.set) })
	if err := s.store.Audit(ctx, s.auditEntry(v, actingStructure(v, rc.team, rc.p.TerritoryID), a.PersonID,
		string(person.SectionProject), "read", d)); err != nil {
		return appView{}, err
	}
	if !d.Allowed {
		return appView{}, errUnknownApplication
	}
	av.team = rc
	return av, nil
}

// transitionInput is an employer's action on an application, from the
// page or the API.
type transitionInput struct {
	Action  string `json:"action"`
	Reason  string `json:"reason"`
	Answer  string `json:"answer"`
	HiredOn string `json:"hired_on"`
}

// transition checks and applies an employer's action: refuse needs a
// reason of the list ("other" a comment), accept a hire date; the answer
// to the professional is optional. An action the state does not allow, or
// a state changed meanwhile, is a conflict.
func (s *Server) transition(r *http.Request, av appView, in transitionInput) (employment.Application, error) {
	if !av.employer {
		return av.Application, forbidden("Seul l'employeur fait avancer la candidature : le professionnel qui a proposé la personne en suit l'état.")
	}
	var fs problem.Fields
	action := employment.Action(strings.TrimSpace(in.Action))
	reason, answer := strings.TrimSpace(in.Reason), strings.TrimSpace(strings.ReplaceAll(in.Answer, "\r\n", "\n"))
	var hired time.Time
	if _, known := employment.ActionLabels[action]; !known || action == employment.ActionRenderObsolete {
		fs.Add("action", "Action attendue : "+actionCodes()+".")
	}
	if utf8.RuneCountInString(answer) > answerMaxLen {
		fs.Add("answer", fmt.Sprintf("Le message compte %d caractères au plus.", answerMaxLen))
	}
	switch action {
	case employment.ActionRefuse:
		switch {
		case reason == "":
			fs.Add("reason", "Choisissez le motif du refus.")
		case reason == "auto" || optionLabel(employment.RefusalReasonOptions, reason) == reason:
			fs.Add("reason", "Motif de refus inconnu.")
		case reason == "other" && answer == "":
			fs.Add("answer", "Précisez le motif du refus dans le message.")
		}
	case employment.ActionAccept:
		if strings.TrimSpace(in.HiredOn) == "" {
			fs.Add("hired_on", "Indiquez la date d'embauche.")
		} else {
			hired = parseDate(&fs, "hired_on", formDate(in.HiredOn))
		}
	}
	if err := fs.Err(); err != nil {
		return av.Application, err
	}
	if action != employment.ActionRefuse {
		reason = ""
	}
	if _, ok := employment.Transition(av.State, action); !ok {
		return av.Application, problem.New(problem.Conflict, fmt.Sprintf("La candidature est « %s » : l'action « %s » n'est pas possible.",
			av.State.Label(), employment.ActionLabels[action]))
	}
	v := viewerOf(r.Context())
	by := store.Actor{AccountID: v.Account.ID, StructureID: av.EmployerID, At: s.now()}
	a, err := s.store.TransitionApplication(r.Context(), av.ID, action, reason, answer, hired, by, s.cfg.BaseURL)
	if errors.Is(err, store.ErrConflict) {
		return av.Application, problem.New(problem.Conflict, "La candidature a changé d'état entre-temps : rechargez la page et recommencez.")
	}
	return a, err
}

// actionCodes lists the actions an employer may send.
func actionCodes() string {
	var codes []string
	for _, a := range employment.Actions(employment.StateNew) {
		codes = append(codes, string(a))
	}
	for _, a := range []employment.Action{employment.ActionCancelPriorToHire, employment.ActionCancel, employment.ActionReset} {
		if !slices.Contains(codes, string(a)) {
			codes = append(codes, string(a))
		}
	}
	return strings.Join(codes, ", ")
}

// --- Applications: the list ----------------------------------------------

// applicationTable is a table of applications: those an employer
// received, or those a professional follows.
type applicationTable struct {
	Caption  string
	Rows     []candidateRow
	Employer bool
}

type applicationsPageData struct {
	page
	Employer, Professional bool
	State                  string
	States                 []fieldOption
	Received, Followed     applicationTable
	EmployerIDs            []int64
	More                   bool
}

func (s *Server) applicationsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := viewerOf(ctx)
	ev := s.employmentViewer(r)
	own := ev.own()
	data := &applicationsPageData{page: s.page(r, "Candidatures"), Employer: len(own) > 0, Professional: access.Caseload(ev.av),
		State: strings.TrimSpace(r.URL.Query().Get("state")), EmployerIDs: own}
	if !data.Employer && !data.Professional {
		return forbidden("Les candidatures sont suivies par les employeurs partenaires et par les professionnels qui accompagnent les personnes.")
	}
	var states []employment.ApplicationState
	if data.State != "" {
		if optionLabel(employment.StateOptions, data.State) == data.State {
			return problem.InvalidFields("État inconnu.", problem.Field{Field: "state", Message: "État de candidature inconnu."})
		}
		states = []employment.ApplicationState{employment.ApplicationState(data.State)}
	}
	if data.Employer {
		data.Title = "Mes offres et mes candidats"
		data.Received = applicationTable{Caption: "Candidats proposés à vos offres, les derniers mis à jour d'abord", Employer: true}
		for _, id := range own {
			apps, err := s.store.Applications(ctx, store.ApplicationFilter{EmployerID: id, States: states, Limit: applicationsMax + 1})
			if err != nil {
				return err
			}
			for _, a := range apps {
				row := s.candidateRow(a, true)
				row.Link = true
				data.Received.Rows = append(data.Received.Rows, row)
			}
		}
	}
	if data.Professional {
		rows, err := s.followedApplications(ctx, v, states)
		if err != nil {
			return err
		}
		data.Followed = applicationTable{Caption: "Candidatures que vous avez proposées ou des personnes que vous accompagnez", Rows: rows}
	}
	for _, t := range []*applicationTable{&data.Received, &data.Followed} {
		if len(t.Rows) > applicationsMax {
			data.More, t.Rows = true, t.Rows[:applicationsMax]
		}
	}
	data.States = options(employment.StateOptions, "Tous les états", data.State)
	s.render(w, r, http.StatusOK, "applications", data)
	return nil
}

// followedApplications lists, for a professional, the applications it
// proposed and those of the people whose project it reads: the person is
// named only while the viewer reads the project.
func (s *Server) followedApplications(ctx context.Context, v *viewer, states []employment.ApplicationState) ([]candidateRow, error) {
	apps, err := s.followedApps(ctx, v, states)
	if err != nil {
		return nil, err
	}
	readable := map[int64]bool{}
	var out []candidateRow
	for _, a := range apps {
		ok, seen := readable[a.PersonID]
		if !seen {
			rc, err := s.newRecord(ctx, v, a.PersonID)
			if err != nil {
				return nil, err
			}
			ok = rc.can(person.SectionProject)
			readable[a.PersonID] = ok
		}
		row := s.candidateRow(a, ok)
		row.Link = ok
		out = append(out, row)
	}
	return out, nil
}

// followedApps reads the applications a professional follows: those it
// proposed, and those of its caseload, most recently changed first.
func (s *Server) followedApps(ctx context.Context, v *viewer, states []employment.ApplicationState) ([]employment.Application, error) {
	apps, err := s.store.Applications(ctx, store.ApplicationFilter{ProposedBy: v.Account.ID, States: states, Limit: applicationsMax + 1})
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, a := range apps {
		seen[a.ID] = true
	}
	cursor := ""
	for range 10 { // 2,000 people at most
		items, next, err := s.store.Caseload(ctx, v.Account.ID, store.CaseloadFilter{Limit: 200, Cursor: cursor})
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			theirs, err := s.store.Applications(ctx, store.ApplicationFilter{PersonID: it.PersonID, States: states, Limit: applicationsMax + 1})
			if err != nil {
				return nil, err
			}
			for _, a := range theirs {
				if !seen[a.ID] {
					seen[a.ID] = true
					apps = append(apps, a)
				}
			}
		}
		if cursor = next; cursor == "" {
			break
		}
	}
	slices.SortStableFunc(apps, func(a, b employment.Application) int {
		if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return apps, nil
}

// --- Applications: the page --------------------------------------------

// candidateView is what the page shows of the candidate to the employer.
type candidateView struct {
	Name                                  string
	Jobs                                  []string
	Shared                                []string
	Contact, Experience, Available, Drive bool
	Phone, Email, ExperienceText, Skills  string
	AvailableFrom, Hours                  string
	Licence, Vehicle                      string
}

type appEventRow struct {
	At                 time.Time
	Action, State, Who string
	Reason             string
}

type applicationPageData struct {
	page
	A                             employment.Application
	StateLabel, StateCSS, Refusal string
	HiredOn                       string
	Employer                      bool
	Candidate                     *candidateView
	PersonID                      int64
	PersonName, Proposer          string
	Shares                        []string
	Events                        []appEventRow
	Simple                        []fieldOption // actions without a field
	Accept, Refuse                bool
	Reasons                       []fieldOption
	Fields                        problem.Fields
	Errors                        []errorLink
	Alert                         string
	Answer, HiredOnValue, Reason  string
	Form                          string // the form that was sent: accept, refuse or other
}

// shareLabels are the labels of what the person agreed to share.
func shareLabels(shares []employment.Share) []string {
	var out []string
	for _, sh := range shares {
		out = append(out, optionLabel(employment.ShareOptions, string(sh)))
	}
	return out
}

// candidateOf turns the store's candidate into the page's.
func (s *Server) candidateOf(c store.Candidate) *candidateView {
	cv := &candidateView{Name: c.FirstName + " " + c.LastName, Shared: shareLabels(c.Shares)}
	for _, code := range c.Appellations {
		cv.Jobs = append(cv.Jobs, s.jobLabel(code))
	}
	yes := func(b bool) string {
		if b {
			return "Oui"
		}
		return "Non"
	}
	for _, sh := range c.Shares {
		switch sh {
		case employment.ShareContact:
			cv.Contact, cv.Phone, cv.Email = true, c.Phone, c.Email
		case employment.ShareExperience:
			cv.Experience, cv.ExperienceText, cv.Skills = true, c.Experience, c.Skills
		case employment.ShareAvailable:
			cv.Available = true
			if !c.AvailableFrom.IsZero() {
				cv.AvailableFrom = c.AvailableFrom.Format("02/01/2006")
			}
			if c.HoursWanted > 0 {
				cv.Hours = strconv.Itoa(c.HoursWanted) + " heure" + plural(c.HoursWanted, "", "s") + " par semaine"
			}
		case employment.ShareLicence:
			cv.Drive, cv.Licence, cv.Vehicle = true, yes(c.DrivingLicence), yes(c.Vehicle)
		}
	}
	return cv
}

// actionText names an action of the history.
func actionText(a string) string {
	if a == "propose" {
		return "Proposition"
	}
	if l, ok := employment.ActionLabels[employment.Action(a)]; ok {
		return l
	}
	return a
}

func (s *Server) applicationData(r *http.Request, av appView) (*applicationPageData, error) {
	ctx := r.Context()
	a := av.Application
	data := &applicationPageData{page: s.page(r, "Candidature n° "+strconv.FormatInt(a.ID, 10)), A: a, StateLabel: a.State.Label(),
		StateCSS: stateBadge(a.State), Employer: av.employer, Shares: shareLabels(a.Shares)}
	if a.State == employment.StateRefused && a.RefusalReason != "" {
		data.Refusal = optionLabel(employment.RefusalReasonOptions, a.RefusalReason)
	}
	if !a.HiredOn.IsZero() {
		data.HiredOn = a.HiredOn.Format("02/01/2006")
	}
	events, err := s.store.ApplicationEvents(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range events {
		row := appEventRow{At: e.At, Action: actionText(e.Action), State: e.To.Label(), Who: e.AccountName}
		if e.AccountID == 0 {
			row.Who = "Parcours (automatique)"
		}
		if e.Reason != "" {
			row.Reason = optionLabel(employment.RefusalReasonOptions, e.Reason)
		}
		if e.Action == "propose" {
			data.Proposer = e.AccountName
		}
		data.Events = append(data.Events, row)
	}
	if av.employer {
		v := viewerOf(ctx)
		c, err := s.store.CandidateView(ctx, a.ID, store.Actor{AccountID: v.Account.ID, StructureID: a.EmployerID, At: s.now()})
		if err != nil {
			return nil, err
		}
		data.Candidate = s.candidateOf(c)
		for _, act := range employment.Actions(a.State) {
			switch act {
			case employment.ActionAccept:
				data.Accept = true
			case employment.ActionRefuse:
				data.Refuse = true
			default:
				data.Simple = append(data.Simple, fieldOption{Value: string(act), Label: employment.ActionLabels[act]})
			}
		}
		var reasons []person.Option
		for _, o := range employment.RefusalReasonOptions {
			if o.Code != "auto" {
				reasons = append(reasons, o)
			}
		}
		data.Reasons = options(reasons, "Choisissez un motif", r.PostFormValue("reason"))
	} else {
		data.PersonID, data.PersonName = a.PersonID, a.PersonFirstName+" "+a.PersonLastName
	}
	return data, nil
}

func (s *Server) applicationPage(w http.ResponseWriter, r *http.Request) error {
	av, err := s.loadApplication(r, "id")
	if err != nil {
		return err
	}
	data, err := s.applicationData(r, av)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "application", data)
	return nil
}

var transitionAnchors = map[string][2]string{
	"action": {"decision", "Action"}, "reason": {"reason", "Motif du refus"}, "answer": {"answer-refuse", "Message"},
	"hired_on": {"hired_on", "Date d'embauche"},
}

func (s *Server) transitionApplicationPage(w http.ResponseWriter, r *http.Request) error {
	av, err := s.loadApplication(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := transitionInput{Action: r.PostFormValue("action"), Reason: r.PostFormValue("reason"), Answer: r.PostFormValue("answer"),
		HiredOn: r.PostFormValue("hired_on")}
	a, err := s.transition(r, av, in)
	if err == nil {
		key := "application-updated"
		if a.State == employment.StateAccepted {
			key = "application-accepted"
		}
		s.redirectWithFlash(w, r, "/candidatures/"+strconv.FormatInt(a.ID, 10), key)
		return nil
	}
	p, ok := problem.As(err)
	if !ok || (p.Kind != problem.Invalid && p.Kind != problem.Conflict) {
		return err
	}
	if p.Kind == problem.Conflict {
		if fresh, err := s.store.Application(r.Context(), av.ID); err == nil {
			av.Application = fresh
		}
	}
	data, derr := s.applicationData(r, av)
	if derr != nil {
		return derr
	}
	data.Form, data.Answer, data.HiredOnValue, data.Reason = in.Action, in.Answer, in.HiredOn, in.Reason
	status := http.StatusBadRequest
	if p.Kind == problem.Conflict {
		data.Alert, status = p.Detail, http.StatusConflict
	} else {
		data.Fields = p.Fields
		anchors := maps.Clone(transitionAnchors)
		switch employment.Action(in.Action) {
		case employment.ActionAccept:
			anchors["answer"] = [2]string{"answer-accept", "Message"}
		case employment.ActionRefuse:
		default:
			anchors["answer"] = [2]string{"answer-simple", "Message"}
		}
		data.Errors = errorLinks(p.Fields, anchors)
	}
	s.render(w, r, status, "application", data)
	return nil
}
