package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/orientation"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

// The orientation pages: the coordinators' queue, the decision on one
// request or one reorientation, and the requests a team member makes from
// the record. The rules and the writes are those of the API
// (api_orientations.go): these handlers parse a form, call them, and render.
// The queue's filters hold no personal data, so they travel in the URL.

// queuePageSize is the number of requests on a page of the queue.
const queuePageSize = 25

// olderThanChoices are the "requested more than N days ago" filters.
var olderThanChoices = []int{15, 30, 42}

type queuePage struct {
	page
	Status                           orientation.Status
	Tabs                             []navItem
	Rows                             []queueRow
	Summary                          string
	Filtered                         bool
	Types, Sources, Communes, Olders []fieldOption
	From, To                         int    // ranks of the first and last rows shown
	Prev, Next                       string // addresses of the neighbouring pages
	Unfiltered                       string // the same status without filters
	Reorientations                   []reorientationRow

	// The decision on a selection of pending requests (pages_bulk.go).
	SelectionAction string
	Form            decisionForm
	Decision        choices
	Failures        []string // the selected requests left undecided, and why
}

// queueRow is a request of the queue as the coordinator reads it.
type queueRow struct {
	ID                                int64
	Name, Commune, By, Structure      string
	Suggested, Source, Type, Decision string
	BirthDate, RequestedAt, DueOn     time.Time
	DecidedAt                         time.Time
	Badge                             badge
	Selected                          bool // in the selection the coordinator sent
}

// badge is a DSFR badge: its text and its colour class.
type badge struct{ Text, Class string }

type reorientationRow struct {
	ID                                       int64
	Name, By, Structure, ToType, ToStructure string
	RequestedAt                              time.Time
}

// dueBadge says how a pending request stands against its due date: late by
// N days, or N days left, in warning colours in the last week.
func dueBadge(o orientation.Request, now time.Time) badge {
	if o.Status != orientation.StatusPending || o.DueOn.IsZero() {
		return badge{}
	}
	n := orientation.DaysLeft(o, now)
	switch {
	case orientation.Overdue(o, now):
		return badge{Text: "En retard de " + days(-n), Class: "fr-badge--error"}
	case n == 0:
		return badge{Text: "Dernier jour", Class: "fr-badge--warning"}
	case n < 7:
		return badge{Text: days(n) + " restant" + plural(n, "", "s"), Class: "fr-badge--warning"}
	}
	return badge{Text: days(n) + " restants", Class: "fr-badge--info"}
}

func days(n int) string { return strconv.Itoa(n) + " jour" + plural(n, "", "s") }

// plural picks the singular or the plural form for n, French style (0 and
// 1 take the singular).
func plural(n int, one, many string) string {
	if n > 1 {
		return many
	}
	return one
}

// queueTabs names the statuses as the queue's tabs list them.
var queueTabs = map[orientation.Status]string{
	orientation.StatusPending:  "À orienter",
	orientation.StatusAccepted: "Orientées",
	orientation.StatusRefused:  "Refusées",
}

// queueFilter reads the queue's filters from the URL. A value that is not
// one of the choices offered is ignored: the selects only send known ones.
func (s *Server) queueFilter(r *http.Request) store.QueueFilter {
	q := r.URL.Query()
	f := store.QueueFilter{Status: orientation.StatusPending, Today: s.now(), Limit: queuePageSize}
	for _, st := range orientation.Statuses {
		if q.Get("statut") == string(st) {
			f.Status = st
		}
	}
	for _, t := range orientation.Types {
		if q.Get("type") == string(t) {
			f.SuggestedType = t
		}
	}
	for _, src := range orientation.Sources {
		if q.Get("origine") == string(src) {
			f.Source = src
		}
	}
	if c := q.Get("commune"); c != "" {
		if _, ok := s.cfg.Referential.Commune(c); ok {
			f.Commune = c
		}
	}
	for _, n := range olderThanChoices {
		if q.Get("anciennete") == strconv.Itoa(n) {
			f.OlderThanDays = n
		}
	}
	if n, err := strconv.Atoi(q.Get("debut")); err == nil && n > 0 {
		f.Offset = n
	}
	return f
}

// filtered reports whether the filter narrows the requests of a status.
func filtered(f store.QueueFilter) bool {
	return f.SuggestedType != "" || f.Source != "" || f.Commune != "" || f.OlderThanDays > 0
}

// queueURL is the address of the queue with these filters.
func queueURL(f store.QueueFilter) string {
	q := url.Values{}
	if f.Status != orientation.StatusPending {
		q.Set("statut", string(f.Status))
	}
	if f.SuggestedType != "" {
		q.Set("type", string(f.SuggestedType))
	}
	if f.Source != "" {
		q.Set("origine", string(f.Source))
	}
	if f.Commune != "" {
		q.Set("commune", f.Commune)
	}
	if f.OlderThanDays > 0 {
		q.Set("anciennete", strconv.Itoa(f.OlderThanDays))
	}
	if f.Offset > 0 {
		q.Set("debut", strconv.Itoa(f.Offset))
	}
	if len(q) == 0 {
		return "/orientations"
	}
	return "/orientations?" + q.Encode()
}

// queuePage is the coordinator's queue: the requests of a status, the most
// urgent first as the store orders them, and the pending reorientations.
func (s *Server) queuePage(w http.ResponseWriter, r *http.Request) error {
	tid, err := s.coordinator(r.Context())
	if err != nil {
		return err
	}
	data, err := s.queueData(r, tid, s.queueFilter(r), decisionForm{})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "orientations", data)
	return nil
}

// queueData builds the queue page: the requests the filter keeps and, for
// the pending ones, the form that decides on a selection of them, filled
// as the coordinator left it.
func (s *Server) queueData(r *http.Request, tid int64, f store.QueueFilter, form decisionForm) (*queuePage, error) {
	ctx := r.Context()
	items, total, err := s.store.Queue(ctx, tid, f)
	if err != nil {
		return nil, err
	}
	v := viewerOf(ctx)
	e := s.auditEntry(v, actingStructure(v, nil, tid), 0, "orientation_queue", "read", access.Decision{Allowed: true, Reason: access.ReasonCoordinator})
	if err := s.store.Audit(ctx, e); err != nil {
		return nil, err
	}
	now := s.now()
	data := &queuePage{page: s.page(r, "Orientations"), Status: f.Status,
		Filtered: filtered(f)}
	for _, st := range orientation.Statuses {
		tab := f
		tab.Status, tab.Offset = st, 0
		data.Tabs = append(data.Tabs, navItem{Label: queueTabs[st], Href: queueURL(tab), Current: st == f.Status})
	}
	data.Unfiltered = queueURL(store.QueueFilter{Status: f.Status})
	for _, it := range items {
		row := queueRow{ID: it.ID, Name: it.FirstName + " " + it.LastName, BirthDate: it.BirthDate, Commune: s.communeLabel(it.CommuneINSEE),
			RequestedAt: it.RequestedAt, By: it.RequestedByName, Structure: it.RequestedStructName, Suggested: typeLabel(it.SuggestedType),
			Source: it.Source.Label(), DueOn: it.DueOn, DecidedAt: it.DecidedAt, Type: typeLabel(it.Type), Badge: dueBadge(it.Request, now)}
		if it.Status == orientation.StatusRefused {
			row.Decision = it.RefusalReason
		}
		data.Rows = append(data.Rows, row)
	}
	if len(items) > 0 {
		data.From, data.To = f.Offset+1, f.Offset+len(items)
	}
	if f.Offset > 0 {
		prev := f
		prev.Offset = max(f.Offset-queuePageSize, 0)
		data.Prev = queueURL(prev)
	}
	if f.Offset+len(items) < total {
		next := f
		next.Offset = f.Offset + len(items)
		data.Next = queueURL(next)
	}
	if data.Summary, err = s.queueSummary(ctx, tid, f, total); err != nil {
		return nil, err
	}
	data.Types = []fieldOption{{Value: "", Label: "Tous les types", Selected: f.SuggestedType == ""}}
	for _, t := range orientation.Types {
		data.Types = append(data.Types, fieldOption{Value: string(t), Label: t.Label(), Selected: t == f.SuggestedType})
	}
	data.Sources = []fieldOption{{Value: "", Label: "Toutes les origines", Selected: f.Source == ""}}
	for _, src := range orientation.Sources {
		data.Sources = append(data.Sources, fieldOption{Value: string(src), Label: src.Label(), Selected: src == f.Source})
	}
	data.Communes = s.communeOptions(r, f.Commune)
	data.Communes[0].Label = "Toutes les communes"
	data.Olders = []fieldOption{{Value: "0", Label: "Toutes les demandes", Selected: f.OlderThanDays == 0}}
	for _, n := range olderThanChoices {
		data.Olders = append(data.Olders, fieldOption{Value: strconv.Itoa(n), Label: "Demandes de plus de " + strconv.Itoa(n) + " jours",
			Selected: n == f.OlderThanDays})
	}
	if f.Status == orientation.StatusPending {
		if data.Reorientations, err = s.reorientationRows(ctx, tid); err != nil {
			return nil, err
		}
		data.Form = form
		if data.Decision, _, err = s.decisionChoices(ctx, tid, form); err != nil {
			return nil, err
		}
		// The filters and the page travel with the selection, so that a
		// problem shows the same requests again.
		data.SelectionAction = "/orientations/selection" + strings.TrimPrefix(queueURL(f), "/orientations")
	}
	return data, nil
}

// queueSummary is the line above the queue: how many requests, and for the
// pending ones how many are late, counted by the database: in the whole
// territory, or among the requests the filters keep.
func (s *Server) queueSummary(ctx context.Context, tid int64, f store.QueueFilter, total int) (string, error) {
	var what string
	switch f.Status {
	case orientation.StatusAccepted:
		what = strconv.Itoa(total) + " demande" + plural(total, " orientée", "s orientées")
	case orientation.StatusRefused:
		what = strconv.Itoa(total) + " demande" + plural(total, " refusée", "s refusées")
	default:
		what = strconv.Itoa(total) + " demande" + plural(total, "", "s") + " à orienter"
	}
	if filtered(f) {
		what += plural(total, " correspond", " correspondent") + " aux filtres"
	}
	if f.Status != orientation.StatusPending || total == 0 {
		return what + ".", nil
	}
	var late int
	var err error
	if filtered(f) {
		lateOnes := f
		lateOnes.DueBefore, lateOnes.Offset, lateOnes.Limit = s.today(), 0, 1
		_, late, err = s.store.Queue(ctx, tid, lateOnes)
	} else {
		late, err = s.store.OverdueRequests(ctx, tid, s.today())
	}
	if err != nil {
		return "", err
	}
	return what + lateText(late), nil
}

func lateText(n int) string {
	if n == 0 {
		return ", dont aucune en retard."
	}
	return ", dont " + strconv.Itoa(n) + " en retard."
}

// reorientationRows lists the territory's pending reorientations, with the
// names a coordinator needs to pick one.
func (s *Server) reorientationRows(ctx context.Context, tid int64) ([]reorientationRow, error) {
	ros, err := s.store.Reorientations(ctx, tid, orientation.ReorientationPending)
	if err != nil {
		return nil, err
	}
	if len(ros) == 0 {
		return nil, nil
	}
	names, err := s.structureNames(ctx, tid)
	if err != nil {
		return nil, err
	}
	accounts := accountNames{s: s, ctx: ctx}
	var out []reorientationRow
	for _, ro := range ros {
		p, err := s.store.Person(ctx, ro.PersonID)
		if err != nil {
			return nil, err
		}
		out = append(out, reorientationRow{ID: ro.ID, Name: p.FirstName + " " + p.LastName, By: accounts.name(ro.RequestedBy),
			Structure: names[ro.FromStructure], ToType: ro.ToType.Label(), ToStructure: names[ro.ToStructure], RequestedAt: ro.RequestedAt})
	}
	return out, nil
}

// typeLabel names an orientation type, or says there is none.
func typeLabel(t orientation.Type) string {
	if t == "" {
		return "Non précisé"
	}
	return t.Label()
}

// communeLabel names a commune of the referential, or gives its code.
func (s *Server) communeLabel(insee string) string {
	if insee == "" {
		return "Non renseignée"
	}
	if c, ok := s.cfg.Referential.Commune(insee); ok {
		return c.Name
	}
	return insee
}

// structureNames maps the territory's structures to their names.
func (s *Server) structureNames(ctx context.Context, tid int64) (map[int64]string, error) {
	sts, err := s.store.Structures(ctx, tid)
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(sts))
	for _, st := range sts {
		names[st.ID] = st.Name
	}
	return names, nil
}

// accountNames reads the names of accounts once each. An account that
// cannot be read has no name: the page shows the rest.
type accountNames struct {
	s     *Server
	ctx   context.Context
	names map[int64]string
}

func (a *accountNames) name(id int64) string {
	if id == 0 {
		return ""
	}
	if n, ok := a.names[id]; ok {
		return n
	}
	if a.names == nil {
		a.names = map[int64]string{}
	}
	acc, err := a.s.store.Account(a.ctx, id)
	if err == nil {
		a.names[id] = acc.Name()
	}
	return a.names[id]
}

// --- One decision --------------------------------------------------------

// personSummary is what a coordinator reads of the person to decide: their
// identity, commune and RSA right, nothing of the record.
type personSummary struct {
	Name, Commune, RSARight string
	BirthDate, RSAOpenedOn  time.Time
}

// historyRow is an orientation of the person: the request, and what was
// decided.
type historyRow struct {
	Status, Suggested, Type, Structure, Dispositif, Referent, Refusal, Reason string
	Accepted, Refused, Pending                                                bool
	RequestedAt, DecidedAt, DueOn, ContractDueOn, AppointmentDueOn            time.Time
	Badge                                                                     badge
}

// decisionForm is the decision form as the coordinator filled it, and its
// problems.
type decisionForm struct {
	Outcome, Type, StructureID, Dispositif, ReferentEmail, Reason string
	Fields                                                        problem.Fields
	Errors                                                        []errorLink
	Alert                                                         string
}

// decisionPage is the page of a decision on a request or a reorientation.
type decisionPage struct {
	page
	ID      int64
	Person  personSummary
	Request historyRow // the orientation request decided here
	By      string     // who asked, and from which structure
	Source  string
	History []historyRow // the person's other orientations, newest first
	Pending bool
	Form    decisionForm
	choices

	// A reorientation: the orientation it changes, the current référent,
	// what is asked, and the answer once given.
	Current                                    *historyRow
	CurrentReferent, ToType, ToStructure, Note string
	Status, Denial                             string
	RequestedAt, DecidedAt                     time.Time
}

// decisionAnchors are the controls of the decision forms, for the error
// summary.
var decisionAnchors = map[string][2]string{
	"outcome":        {"outcome", "Décision"},
	"type":           {"type", "Type d'orientation"},
	"structure_id":   {"structure_id", "Structure d'accompagnement"},
	"dispositif":     {"dispositif", "Dispositif"},
	"referent_email": {"referent_email", "Référent unique"},
	"reason":         {"reason", "Motif du refus"},
}

// idParam reads the id of the path.
func idParam(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

// territoryRequest loads the request of the path: of the coordinator's
// territory, or not found.
func (s *Server) territoryRequest(r *http.Request) (int64, orientation.Request, error) {
	ctx := r.Context()
	tid, err := s.coordinator(ctx)
	if err != nil {
		return 0, orientation.Request{}, err
	}
	o, err := s.store.Orientation(ctx, idParam(r))
	if errors.Is(err, store.ErrNotFound) || (err == nil && o.TerritoryID != tid) {
		return 0, o, notFound("Cette demande d'orientation n'existe pas.")
	}
	return tid, o, err
}

// territoryReorientation loads the reorientation of the path: of a person
// of the coordinator's territory, or not found.
func (s *Server) territoryReorientation(r *http.Request) (int64, orientation.Reorientation, person.Person, error) {
	ctx := r.Context()
	var p person.Person
	tid, err := s.coordinator(ctx)
	if err != nil {
		return 0, orientation.Reorientation{}, p, err
	}
	ro, err := s.store.Reorientation(ctx, idParam(r))
	if err == nil {
		if p, err = s.store.Person(ctx, ro.PersonID); err == nil && p.TerritoryID != tid {
			err = store.ErrNotFound
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		return 0, ro, p, notFound("Cette demande de réorientation n'existe pas.")
	}
	return tid, ro, p, err
}

// auditCoordinatorRead records that a coordinator read a person's identity
// and orientations to decide: the référent sees it in the access log.
func (s *Server) auditCoordinatorRead(ctx context.Context, tid, personID int64) error {
	v := viewerOf(ctx)
	return s.store.Audit(ctx, s.auditEntry(v, actingStructure(v, nil, tid), personID, "orientation", "read",
		access.Decision{Allowed: true, Reason: access.ReasonCoordinator}))
}

// decisionData builds what both decision pages show: the person, their
// orientations, and the choices of the form.
func (s *Server) decisionData(r *http.Request, tid int64, title string, p person.Person, f decisionForm) (*decisionPage, map[int64]string, error) {
	ctx := r.Context()
	if err := s.auditCoordinatorRead(ctx, tid, p.ID); err != nil {
		return nil, nil, err
	}
	data := &decisionPage{page: s.page(r, title), Form: f, Person: personSummary{Name: p.FirstName + " " + p.LastName,
		BirthDate: p.BirthDate, Commune: s.communeLabel(p.CommuneINSEE), RSARight: person.Label(person.RSARights, p.RSARight),
		RSAOpenedOn: p.RSAOpenedOn}}
	if p.RSARight == "" {
		data.Person.RSARight = "Non renseigné"
	}
	c, names, err := s.decisionChoices(ctx, tid, f)
	if err != nil {
		return nil, nil, err
	}
	data.choices = c
	return data, names, nil
}

// choices are the options of a decision form: the orientation types, the
// territory's structures but employers, and its active professionals as
// the datalist of the référent field.
type choices struct {
	Types, Structures, Referents []fieldOption
}

// decisionChoices builds the options of a decision form, with what the
// coordinator chose selected, and maps every structure of the territory to
// its name.
func (s *Server) decisionChoices(ctx context.Context, tid int64, f decisionForm) (choices, map[int64]string, error) {
	var c choices
	sts, err := s.store.Structures(ctx, tid)
	if err != nil {
		return c, nil, err
	}
	names := map[int64]string{}
	c.Structures = []fieldOption{{Value: "", Label: "Choisissez une structure", Selected: f.StructureID == ""}}
	for _, st := range sts {
		names[st.ID] = st.Name
		if st.Kind == territory.KindEmployer {
			continue
		}
		v := strconv.FormatInt(st.ID, 10)
		c.Structures = append(c.Structures, fieldOption{Value: v, Label: st.Name + " (" + st.Kind.Label() + ")", Selected: v == f.StructureID})
	}
	for _, t := range orientation.Types {
		c.Types = append(c.Types, fieldOption{Value: string(t), Label: t.Label(), Selected: string(t) == f.Type})
	}
	accounts, err := s.store.Accounts(ctx, tid)
	if err != nil {
		return c, nil, err
	}
	pro := account.RoleProfessional.Label()
	for _, a := range accounts {
		if !a.Disabled && strings.Contains(a.Roles, pro) {
			c.Referents = append(c.Referents, fieldOption{Value: a.Email, Label: a.Name + " — " + a.Structure})
		}
	}
	return c, names, nil
}

// history turns a person's orientations into rows.
func (s *Server) history(ctx context.Context, os []orientation.Request, names map[int64]string) []historyRow {
	accounts := accountNames{s: s, ctx: ctx}
	now := s.now()
	out := make([]historyRow, 0, len(os))
	for _, o := range os {
		out = append(out, historyRow{Status: o.Status.Label(), Suggested: typeLabel(o.SuggestedType), Type: typeLabel(o.Type),
			Structure: names[o.StructureID], Dispositif: o.Dispositif, Referent: accounts.name(o.ReferentID), Refusal: o.RefusalReason,
			Reason: o.Reason, Accepted: o.Status == orientation.StatusAccepted, Refused: o.Status == orientation.StatusRefused,
			Pending: o.Status == orientation.StatusPending, RequestedAt: o.RequestedAt, DecidedAt: o.DecidedAt, DueOn: o.DueOn,
			ContractDueOn: o.ContractDueOn, AppointmentDueOn: o.AppointmentDueOn, Badge: dueBadge(o, now)})
	}
	return out
}

// decisionFormOf reads a posted decision form.
func decisionFormOf(r *http.Request) (decisionForm, decisionInput) {
	f := decisionForm{Outcome: r.PostFormValue("outcome"), Type: r.PostFormValue("type"), StructureID: r.PostFormValue("structure_id"),
		Dispositif: r.PostFormValue("dispositif"), ReferentEmail: strings.TrimSpace(r.PostFormValue("referent_email")),
		Reason: r.PostFormValue("reason")}
	id, _ := strconv.ParseInt(f.StructureID, 10, 64)
	return f, decisionInput{Outcome: f.Outcome, Type: f.Type, StructureID: id, Dispositif: f.Dispositif,
		ReferentEmail: f.ReferentEmail, Reason: f.Reason}
}

// decisionFailed puts a problem the coordinator can fix on the form (an
// invalid field, a decision already taken), and returns the status to
// answer; any other error is returned for the error page.
func decisionFailed(f *decisionForm, err error) (int, error) {
	p, ok := problem.As(err)
	if !ok || (p.Kind != problem.Invalid && p.Kind != problem.Conflict) {
		return 0, err
	}
	f.Fields = p.Fields
	f.Errors = errorLinks(f.Fields, decisionAnchors)
	if len(f.Fields) == 0 {
		f.Alert = p.Detail
	}
	return kinds[p.Kind].status, nil
}

func (s *Server) orientationPage(w http.ResponseWriter, r *http.Request) error {
	tid, o, err := s.territoryRequest(r)
	if err != nil {
		return err
	}
	return s.renderOrientation(w, r, tid, o, http.StatusOK, decisionForm{Type: string(o.SuggestedType)})
}

func (s *Server) decideOrientationPage(w http.ResponseWriter, r *http.Request) error {
	tid, o, err := s.territoryRequest(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f, in := decisionFormOf(r)
	if in.Outcome == "" { // decideOrientation reads no outcome as a refusal: a form must choose
		err = problem.InvalidFields("La décision n'a pas été enregistrée.",
			problem.Field{Field: "outcome", Message: "Choisissez d'orienter la personne ou de refuser la demande."})
	} else {
		err = s.decideOrientation(r, tid, &o, in)
	}
	if err == nil {
		key := "orientation-refused"
		switch {
		case o.Status == orientation.StatusAccepted && o.ReferentID != 0:
			key = "orientation-decided"
		case o.Status == orientation.StatusAccepted:
			key = "orientation-decided-structure"
		}
		s.redirectWithFlash(w, r, "/orientations", key)
		return nil
	}
	status, err := decisionFailed(&f, err)
	if err != nil {
		return err
	}
	// The request as it now stands: another coordinator may have decided it.
	if o, err = s.store.Orientation(r.Context(), o.ID); err != nil {
		return err
	}
	return s.renderOrientation(w, r, tid, o, status, f)
}

func (s *Server) renderOrientation(w http.ResponseWriter, r *http.Request, tid int64, o orientation.Request, status int, f decisionForm) error {
	ctx := r.Context()
	p, err := s.store.Person(ctx, o.PersonID)
	if err != nil {
		return err
	}
	data, names, err := s.decisionData(r, tid, "Décider d'une orientation", p, f)
	if err != nil {
		return err
	}
	os, err := s.store.PersonOrientations(ctx, p.ID)
	if err != nil {
		return err
	}
	var others []orientation.Request
	for _, x := range os {
		if x.ID != o.ID {
			others = append(others, x)
		}
	}
	data.ID, data.Pending, data.Source = o.ID, o.Status == orientation.StatusPending, o.Source.Label()
	data.Request = s.history(ctx, []orientation.Request{o}, names)[0]
	accounts := accountNames{s: s, ctx: ctx}
	data.By = accounts.name(o.RequestedBy)
	if st := names[o.RequestedStructure]; st != "" {
		data.By = strings.TrimSpace(data.By + " (" + st + ")")
	}
	data.History = s.history(ctx, others, names)
	s.render(w, r, status, "orientation_decide", data)
	return nil
}

func (s *Server) reorientationPage(w http.ResponseWriter, r *http.Request) error {
	tid, ro, p, err := s.territoryReorientation(r)
	if err != nil {
		return err
	}
	f := decisionForm{Type: string(ro.ToType)}
	if ro.ToStructure != 0 {
		f.StructureID = strconv.FormatInt(ro.ToStructure, 10)
	}
	return s.renderReorientation(w, r, tid, ro, p, http.StatusOK, f)
}

func (s *Server) decideReorientationPage(w http.ResponseWriter, r *http.Request) error {
	tid, ro, p, err := s.territoryReorientation(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f, in := decisionFormOf(r)
	err = s.decideReorientation(r, tid, &ro, in)
	if err == nil {
		key := "reorientation-denied"
		if ro.Status == orientation.ReorientationAccepted {
			key = "reorientation-accepted"
		}
		s.redirectWithFlash(w, r, "/orientations", key)
		return nil
	}
	status, err := decisionFailed(&f, err)
	if err != nil {
		return err
	}
	if ro, err = s.store.Reorientation(r.Context(), ro.ID); err != nil {
		return err
	}
	return s.renderReorientation(w, r, tid, ro, p, status, f)
}

func (s *Server) renderReorientation(w http.ResponseWriter, r *http.Request, tid int64, ro orientation.Reorientation, p person.Person, status int, f decisionForm) error {
	ctx := r.Context()
	data, names, err := s.decisionData(r, tid, "Décider d'une réorientation", p, f)
	if err != nil {
		return err
	}
	os, err := s.store.PersonOrientations(ctx, p.ID)
	if err != nil {
		return err
	}
	data.History = s.history(ctx, os, names)
	for i, o := range os {
		if o.ID == ro.OrientationID || (ro.OrientationID == 0 && o.Status == orientation.StatusAccepted) {
			data.Current = &data.History[i]
			break
		}
	}
	team, err := s.store.Team(ctx, p.ID)
	if err != nil {
		return err
	}
	for _, m := range team {
		if m.Active() && m.Referent {
			data.CurrentReferent = m.AccountName + " (" + m.StructureName + ")"
		}
	}
	accounts := accountNames{s: s, ctx: ctx}
	data.ID, data.Pending, data.Status = ro.ID, ro.Status == orientation.ReorientationPending, ro.Status.Label()
	data.By = accounts.name(ro.RequestedBy)
	if st := names[ro.FromStructure]; st != "" {
		data.By = strings.TrimSpace(data.By + " (" + st + ")")
	}
	data.ToType, data.ToStructure, data.Note, data.Denial = ro.ToType.Label(), names[ro.ToStructure], ro.Reason, ro.DenialReason
	data.RequestedAt, data.DecidedAt = ro.RequestedAt, ro.DecidedAt
	s.render(w, r, status, "reorientation_decide", data)
	return nil
}

// --- From the record -------------------------------------------------------

// recordOrientation is the orientation part of the record page: the
// person's orientations, and the requests the viewer may make.
type recordOrientation struct {
	Rows                             []historyRow
	Pending                          *historyRow
	CanRequest, CanReorient          bool
	Types, ReorientTypes, Structures []fieldOption
}

// orientationOfRecord fills the orientation part of the record for a
// viewer who reads the team: any member who may update the identity asks
// for an orientation while none is pending; the référent asks for a
// reorientation of a person already oriented.
func (s *Server) orientationOfRecord(ctx context.Context, rc *record, data *recordPage, f recordForm) error {
	os, err := s.store.PersonOrientations(ctx, rc.p.ID)
	if err != nil {
		return err
	}
	sts, err := s.store.Structures(ctx, rc.p.TerritoryID)
	if err != nil {
		return err
	}
	names := make(map[int64]string, len(sts))
	for _, st := range sts {
		names[st.ID] = st.Name
	}
	o := &data.Orientation
	o.Rows = s.history(ctx, os, names)
	oriented := false
	for i := range o.Rows {
		if o.Rows[i].Pending && o.Pending == nil {
			o.Pending = &o.Rows[i]
		}
		oriented = oriented || o.Rows[i].Accepted
	}
	o.CanRequest = o.Pending == nil && data.CanEditIdentity
	o.CanReorient = o.Pending == nil && oriented && data.Referent
	o.Types = []fieldOption{{Value: "", Label: "Sans avis", Selected: f.OrientationType == ""}}
	for _, t := range orientation.Types {
		o.Types = append(o.Types, fieldOption{Value: string(t), Label: t.Label(), Selected: string(t) == f.OrientationType})
		o.ReorientTypes = append(o.ReorientTypes, fieldOption{Value: string(t), Label: t.Label(), Selected: string(t) == f.ReorientationType})
	}
	if o.CanReorient {
		o.Structures = []fieldOption{{Value: "", Label: "Pas de préférence", Selected: f.ReorientationStructure == ""}}
		for _, st := range sts {
			if st.Kind != territory.KindEmployer {
				v := strconv.FormatInt(st.ID, 10)
				o.Structures = append(o.Structures, fieldOption{Value: v, Label: st.Name + " (" + st.Kind.Label() + ")",
					Selected: v == f.ReorientationStructure})
			}
		}
	}
	return nil
}

// renamed returns err with its fields renamed as the record page's form
// names them: the record holds several forms, each field name is unique.
func renamed(err error, names map[string]string) error {
	p, ok := problem.As(err)
	if !ok || len(p.Fields) == 0 {
		return err
	}
	out := &problem.Error{Kind: p.Kind, Detail: p.Detail, Err: p.Err}
	for _, f := range p.Fields {
		if n, ok := names[f.Field]; ok {
			f.Field = n
		}
		out.Fields = append(out.Fields, f)
	}
	return out
}

// requestOrientationPage asks for the person's orientation from the record.
func (s *Server) requestOrientationPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionIdentity, "update")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := recordForm{Name: "orientation", OrientationType: r.PostFormValue("orientation_type"),
		OrientationReason: r.PostFormValue("orientation_reason"), OrientationNote: r.PostFormValue("orientation_note"),
		NoteVisibility: string(person.VisibilityStructure)}
	if _, err := s.requestOrientation(r, rc, f.OrientationType, f.OrientationReason, f.OrientationNote); err != nil {
		return s.formFailed(w, r, rc, f, renamed(err, map[string]string{"suggested_type": "orientation_type", "reason": "orientation_reason", "note": "orientation_note"}))
	}
	s.redirectWithFlash(w, r, recordPath(rc.p.ID)+"#orientation", "orientation-requested")
	return nil
}

// requestReorientation records the référent's request to change the
// person's orientation, attached to their latest accepted orientation.
// apiCreateReorientation does the same for the API.
func (s *Server) requestReorientation(r *http.Request, rc *record, toType string, toStructure int64, reason string) (orientation.Reorientation, error) {
	ctx := r.Context()
	ro := orientation.Reorientation{PersonID: rc.p.ID, ToType: orientation.Type(toType), ToStructure: toStructure,
		Reason: strings.TrimSpace(reason)}
	fs := ro.Validate()
	if toStructure != 0 {
		if st, err := s.store.Structure(ctx, toStructure); err != nil || st.TerritoryID != rc.p.TerritoryID {
			fs.Add("to_structure_id", "Structure inconnue dans ce territoire.")
		}
	}
	if err := fs.Err(); err != nil {
		return ro, err
	}
	os, err := s.store.PersonOrientations(ctx, rc.p.ID)
	if err != nil {
		return ro, err
	}
	for _, o := range os {
		if o.Status == orientation.StatusAccepted {
			ro.OrientationID = o.ID
			break
		}
	}
	if err := s.store.CreateReorientation(ctx, &ro, s.actor(rc)); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return ro, problem.New(problem.Conflict, "Une demande de réorientation est déjà en attente pour cette personne.")
		}
		return ro, err
	}
	return ro, nil
}

// requestReorientationPage asks, as the référent, for a reorientation.
func (s *Server) requestReorientationPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionTeam, "update") // the référent
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := recordForm{Name: "reorientation", ReorientationType: r.PostFormValue("reorientation_type"),
		ReorientationStructure: r.PostFormValue("reorientation_structure"), ReorientationReason: r.PostFormValue("reorientation_reason"),
		NoteVisibility: string(person.VisibilityStructure)}
	var to int64
	if f.ReorientationStructure != "" {
		var err error
		if to, err = strconv.ParseInt(f.ReorientationStructure, 10, 64); err != nil || to <= 0 {
			return s.formFailed(w, r, rc, f, problem.InvalidFields("La demande n'a pas été envoyée.",
				problem.Field{Field: "reorientation_structure", Message: "Structure inconnue dans ce territoire."}))
		}
	}
	if _, err := s.requestReorientation(r, rc, f.ReorientationType, to, f.ReorientationReason); err != nil {
		return s.formFailed(w, r, rc, f, renamed(err, map[string]string{"to_type": "reorientation_type",
			"to_structure_id": "reorientation_structure", "reason": "reorientation_reason"}))
	}
	s.redirectWithFlash(w, r, recordPath(rc.p.ID)+"#orientation", "reorientation-requested")
	return nil
}
