package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/appointment"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/territory"
)

// The pages of a person's record. Each request loads the record once with
// loadRecord, which decides and audits; what else the page shows is asked
// of rc.can and the rc.visible* filters, so that a section, a note or a
// situation the viewer may not read never reaches the template. Page titles
// hold no name: browsers keep them in their history.

// timelineOnRecord is the number of events the record page shows.
const timelineOnRecord = 30

func recordPath(id int64) string { return "/personnes/" + strconv.FormatInt(id, 10) }

// recordPage is the record as the viewer may see it.
type recordPage struct {
	page
	ID        int64
	P         person.Person
	Form      recordForm
	Objection bool

	// Identity and statuses, with their labels.
	Sex, Commune, RSARight, Education, Work string
	Age                                     int
	Under26, ShowRQTH                       bool
	CanEditIdentity                         bool

	CanDiagnostic, CanEditDiagnostic bool
	Diagnostic                       []diagnosticGroup

	CanProject, CanEditProject bool
	Project                    person.Project
	Jobs                       []string

	CanAppointments bool
	NextAppointment time.Time
	FollowUps       []followUpRow

	CanPlan                       bool
	PlanObjectives, PlanOpen      int // objectives, and those in progress
	PlanActions, PlanReferrals    int // active actions, open referrals
	PlanWeekly, PlanTarget        string
	PlanSigned                    bool
	PlanSignedOn, PlanContractDue time.Time

	CanTeam, Referent, Member bool
	Team                      []teamRow
	Requests                  []person.JoinRequest
	Orientation               recordOrientation

	CanNotes, CanAddNote bool
	Notes                []noteRow
	NoteVisibilities     []fieldOption
	NoteSections         []fieldOption

	CanTimeline bool
	Events      []eventRow

	CanConsents, CanAddConsent, CanObject bool
	Consents                              []consentRow
	Structures                            []fieldOption
	ConsentSections                       []fieldOption
	ConsentMethods                        []fieldOption
}

// recordForm is the state of a form of the record page sent back with a
// problem: which form, the messages, and what the user typed, kept.
type recordForm struct {
	Name   string // note, member, consent, objection, team, orientation, reorientation
	Fields problem.Fields
	Errors []errorLink
	Alert  string

	NoteBody, NoteVisibility, NoteSection               string
	MemberEmail                                         string
	Purpose, Method, Evidence                           string
	ConsentStructures                                   []string
	ConsentSections                                     []string
	ObjectionReason                                     string
	ObjectionConfirmed                                  bool
	OrientationType, OrientationReason, OrientationNote string
	ReorientationType                                   string
	ReorientationStructure                              string
	ReorientationReason                                 string
}

type diagnosticGroup struct {
	Theme   string
	Entries []diagnosticRow
}

type diagnosticRow struct {
	Situation, Comment, Author, Structure, Section string
	At                                             time.Time
}

type teamRow struct {
	AccountID                    int64
	Name, Email, Structure, Kind string
	Referent, Self               bool
	Since                        time.Time
}

type noteRow struct {
	Lines                                  []string // the paragraphs of the text
	Author, Structure, Visibility, Section string
	At                                     time.Time
}

type eventRow struct {
	Label, Summary, Author, Structure string
	At                                time.Time
}

type consentRow struct {
	ID                                              int64
	Purpose, Structures, Sections, Method, Evidence string
	Started, Ended                                  time.Time
	Active                                          bool
}

// recordAnchors are the controls of the record page's forms, for the error
// summary.
var recordAnchors = map[string][2]string{
	"body":       {"note-body", "Texte de la note"},
	"visibility": {"note-visibility", "Qui peut lire la note"},
	"section":    {"note-section", "Partie protégée"},
	"email":      {"member-email", "Adresse électronique du professionnel"},
	"purpose":    {"consent-purpose", "Objet du consentement"},
	"structures": {"consent-structures", "Structures"},
	"sections":   {"consent-sections", "Parties protégées"},
	"method":     {"consent-method", "Recueil du consentement"},
	"evidence":   {"consent-evidence", "Justificatif"},
	"reason":     {"objection-reason", "Motif de l'opposition"},
	"confirm":    {"objection-confirm", "Confirmation"},
	// Orientation: pages_orientations.go renames the API's fields.
	"orientation_type":        {"orientation-type", "Type d'orientation proposé"},
	"orientation_reason":      {"orientation-reason", "Motif de la demande d'orientation"},
	"orientation_note":        {"orientation-note", "Note jointe à la demande"},
	"reorientation_type":      {"reorientation-type", "Type d'orientation souhaité"},
	"reorientation_structure": {"reorientation-structure", "Structure souhaitée"},
	"reorientation_reason":    {"reorientation-reason", "Motif de la réorientation"},
}

// recordPageHandler shows the record: one loadRecord, one audit entry.
func (s *Server) recordPageHandler(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionIdentity, "read")
	if err != nil {
		return err
	}
	return s.renderRecord(w, r, rc, http.StatusOK, recordForm{NoteVisibility: string(person.VisibilityStructure)})
}

// auditRead audits the page view of a record loaded for a change, when the
// change fails and the page is shown again with its message.
func (s *Server) auditRead(r *http.Request, rc *record) error {
	d := access.Read(rc.av, rc.rec, person.SectionIdentity, rc.set)
	if !d.Allowed {
		return s.deny(r, rc, person.SectionIdentity, "read", d)
	}
	return s.store.Audit(r.Context(), s.auditEntry(rc.v, actingStructure(rc.v, rc.team, rc.p.TerritoryID), rc.p.ID,
		string(person.SectionIdentity), "read", d))
}

// formFailed shows the record again with the problem of a form when the
// user can fix it (invalid input, a conflict), and leaves any other error
// to the error page.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, rc *record, f recordForm, err error) error {
	p, ok := problem.As(err)
	if !ok || (p.Kind != problem.Invalid && p.Kind != problem.Conflict) {
		return err
	}
	for _, fd := range p.Fields {
		// The API names fields as its JSON does; the form as its inputs.
		switch {
		case strings.HasPrefix(fd.Field, "structure_ids"):
			fd.Field = "structures"
		case fd.Field == "text":
			fd.Field = "body"
		}
		f.Fields = append(f.Fields, fd)
	}
	f.Errors = errorLinks(f.Fields, recordAnchors)
	if len(f.Fields) == 0 {
		f.Alert = p.Detail
	}
	if err := s.auditRead(r, rc); err != nil {
		return err
	}
	return s.renderRecord(w, r, rc, kinds[p.Kind].status, f)
}

func (s *Server) renderRecord(w http.ResponseWriter, r *http.Request, rc *record, status int, f recordForm) error {
	ctx := r.Context()
	ref := s.cfg.Referential
	p := rc.p
	data := &recordPage{page: s.page(r, "Dossier de la personne"), ID: p.ID, P: p, Form: f, Objection: !p.ObjectionAt.IsZero(),
		Sex:      map[string]string{"F": "Femme", "M": "Homme", "": "Non renseigné"}[p.Sex],
		RSARight: person.Label(person.RSARights, p.RSARight), Education: person.Label(person.EducationLevels, p.EducationLevel),
		Work: person.Label(person.WorkSituations, p.WorkSituation), Age: person.Age(p.BirthDate, s.now()), Under26: person.Under26(p, s.now()),
		ShowRQTH: rc.can(person.SectionHealth), CanEditIdentity: rc.canWrite(person.SectionIdentity)}
	if c, ok := ref.Commune(p.CommuneINSEE); ok {
		data.Commune = c.Name + " (" + c.INSEE + ")"
	} else {
		data.Commune = p.CommuneINSEE
	}

	if data.CanDiagnostic = rc.can(person.SectionDiagnostic); data.CanDiagnostic {
		data.CanEditDiagnostic = rc.canWrite(person.SectionDiagnostic)
		es, err := s.store.Diagnostic(ctx, p.ID, false)
		if err != nil {
			return err
		}
		data.Diagnostic = s.diagnosticGroups(rc.visibleDiagnostic(es))
	}

	if data.CanProject = rc.can(person.SectionProject); data.CanProject {
		data.CanEditProject = rc.canWrite(person.SectionProject)
		pr, err := s.store.Project(ctx, p.ID)
		if err != nil {
			return err
		}
		data.Project = pr
		for _, code := range pr.TargetJobs {
			data.Jobs = append(data.Jobs, s.jobLabel(code))
		}
	}

	if data.CanPlan = rc.can(person.SectionPlan); data.CanPlan {
		v, err := s.loadPlan(ctx, rc)
		if err != nil {
			return err
		}
		data.PlanObjectives, data.PlanWeekly, data.PlanTarget = len(v.Objectives), hours(v.Weekly), hours(v.Contract.Target())
		data.PlanSigned, data.PlanSignedOn, data.PlanContractDue = v.Contract.Signed(), v.Contract.SignedOn, v.ContractDue
		for _, o := range v.Objectives {
			if o.Status == person.ObjectiveInProgress {
				data.PlanOpen++
			}
			for _, a := range o.Actions {
				if a.Status.Active() {
					data.PlanActions++
				}
			}
		}
		for _, rf := range v.Referrals {
			if rf.Status.Open() {
				data.PlanReferrals++
			}
		}
	}

	if data.CanAppointments = rc.can(person.SectionAppointments); data.CanAppointments {
		ups, _, apps, err := s.followUpsOf(ctx, p.ID)
		if err != nil {
			return err
		}
		names, _, err := s.appointmentNames(ctx, p.TerritoryID)
		if err != nil {
			return err
		}
		for _, f := range ups {
			data.FollowUps = append(data.FollowUps, followUpRow{Structure: names[f.StructureID], Status: f.Status.Label(),
				Badge: followBadge(f.Status), ActionRequired: appointment.ActionRequired(f.Status)})
		}
		for _, a := range apps {
			if a.Status == appointment.StatusUnknown && a.StartsAt.After(s.now()) && (data.NextAppointment.IsZero() || a.StartsAt.Before(data.NextAppointment)) {
				data.NextAppointment = a.StartsAt
			}
		}
	}

	if data.CanTeam = rc.can(person.SectionTeam); data.CanTeam {
		data.Referent = rc.referent()
		team, err := rc.members()
		if err != nil {
			return err
		}
		for _, m := range team {
			if !m.Active() {
				continue
			}
			self := m.AccountID == rc.v.Account.ID
			data.Member = data.Member || self
			data.Team = append(data.Team, teamRow{AccountID: m.AccountID, Name: m.AccountName, Email: m.AccountEmail,
				Structure: m.StructureName, Kind: territory.Kind(m.StructureKind).Label(), Referent: m.Referent, Self: self, Since: m.StartedAt})
		}
		if data.Referent {
			jrs, err := s.store.JoinRequests(ctx, p.ID)
			if err != nil {
				return err
			}
			data.Requests = jrs
		}
		if err := s.orientationOfRecord(ctx, rc, data, f); err != nil {
			return err
		}
	}

	if data.CanNotes = rc.can(person.SectionNotes); data.CanNotes {
		data.CanAddNote = rc.canWrite(person.SectionNotes)
		ns, err := s.store.Notes(ctx, p.ID)
		if err != nil {
			return err
		}
		for _, n := range rc.visibleNotes(ns) {
			row := noteRow{Lines: strings.Split(strings.ReplaceAll(n.Body, "\r\n", "\n"), "\n"), Author: n.AuthorName, Structure: n.StructureName,
				Visibility: person.Label(person.Visibilities, string(n.Visibility)), At: n.CreatedAt}
			if n.Section != "" {
				row.Section = person.SectionLabel(n.Section)
			}
			data.Notes = append(data.Notes, row)
		}
		for _, o := range person.VisibilityOptions {
			data.NoteVisibilities = append(data.NoteVisibilities, fieldOption{Value: o.Code, Label: o.Label, Selected: o.Code == f.NoteVisibility})
		}
		data.NoteSections = []fieldOption{{Value: "", Label: "Aucune : note générale", Selected: f.NoteSection == ""}}
		for _, sec := range person.SensitiveSections {
			if rc.canWrite(sec) {
				data.NoteSections = append(data.NoteSections, fieldOption{Value: string(sec), Label: person.SectionLabel(sec), Selected: string(sec) == f.NoteSection})
			}
		}
	}

	if data.CanTimeline = rc.can(person.SectionTimeline); data.CanTimeline {
		es, _, err := s.timeline(r, rc, "", timelineOnRecord)
		if err != nil {
			return err
		}
		for _, e := range es {
			data.Events = append(data.Events, eventRow{Label: person.EventLabel(e.Kind), Summary: e.Summary, Author: e.AccountName,
				Structure: e.StructureName, At: e.At})
		}
	}

	if data.CanConsents = rc.can(person.SectionConsents); data.CanConsents {
		data.CanAddConsent = rc.canWrite(person.SectionConsents)
		data.CanObject = access.Object(rc.av, rc.rec).Allowed && !data.Objection
		sts, err := s.store.Structures(ctx, p.TerritoryID)
		if err != nil {
			return err
		}
		names := map[int64]string{}
		for _, st := range sts {
			names[st.ID] = st.Name
			data.Structures = append(data.Structures, fieldOption{Value: strconv.FormatInt(st.ID, 10), Label: st.Name + " (" + st.Kind.Label() + ")",
				Selected: slices.Contains(f.ConsentStructures, strconv.FormatInt(st.ID, 10))})
		}
		cs, err := rc.allConsents()
		if err != nil {
			return err
		}
		for _, c := range cs {
			row := consentRow{ID: c.ID, Purpose: c.Purpose, Method: person.Label(person.ConsentMethods, c.Method), Evidence: c.Evidence,
				Started: c.StartedAt, Ended: c.EndedAt, Active: c.Active()}
			var parts []string
			for _, id := range c.StructureIDs {
				parts = append(parts, names[id])
			}
			row.Structures = strings.Join(parts, ", ")
			parts = parts[:0]
			for _, sec := range c.Sections {
				parts = append(parts, person.SectionLabel(sec))
			}
			row.Sections = strings.Join(parts, ", ")
			data.Consents = append(data.Consents, row)
		}
		for _, sec := range person.SensitiveSections {
			data.ConsentSections = append(data.ConsentSections, fieldOption{Value: string(sec), Label: person.SectionLabel(sec),
				Selected: slices.Contains(f.ConsentSections, string(sec))})
		}
		data.ConsentMethods = options(person.ConsentMethodOptions, "", f.Method)[1:]
	}
	s.render(w, r, status, "person", data)
	return nil
}

// diagnosticGroups groups current situations by theme, in the order of the
// referential's themes.
func (s *Server) diagnosticGroups(es []person.DiagnosticEntry) []diagnosticGroup {
	var out []diagnosticGroup
	done := map[string]bool{}
	add := func(code, label string) {
		g := diagnosticGroup{Theme: label}
		for _, e := range es {
			if e.Theme != code {
				continue
			}
			row := diagnosticRow{Situation: e.Situation, Comment: e.Comment, Author: e.AuthorName, Structure: e.StructureName, At: e.CreatedAt}
			if e.Section != "" {
				row.Section = person.SectionLabel(e.Section)
			}
			g.Entries = append(g.Entries, row)
		}
		done[code] = true
		if len(g.Entries) > 0 {
			out = append(out, g)
		}
	}
	for _, t := range s.cfg.Referential.Themes() {
		add(t.Code, t.Label)
	}
	for _, e := range es {
		if !done[e.Theme] {
			add(e.Theme, e.Theme)
		}
	}
	return out
}

// jobLabel names a ROME appellation, or gives its code when unknown.
func (s *Server) jobLabel(code string) string {
	if a, ok := s.cfg.Referential.Appellation(code); ok {
		return a.Label + " (" + a.ROMECode + ")"
	}
	return code
}

// --- Identity ----------------------------------------------------------

func (s *Server) identityForm(r *http.Request, rc *record) *personFormPage {
	return &personFormPage{page: s.page(r, "Modifier l'identité et la situation"), PersonID: rc.p.ID,
		Heading: "Identité et situation — " + rc.p.FirstName + " " + rc.p.LastName, Action: recordPath(rc.p.ID) + "/identite"}
}

// writable loads the record for its form page: a read, audited, of a
// section the viewer must also be able to change.
func (s *Server) writable(r *http.Request, section person.Section) (*record, error) {
	rc, err := s.loadRecord(r, section, "read")
	if err != nil {
		return nil, err
	}
	if d := access.Write(rc.av, rc.rec, section, rc.set); !d.Allowed {
		return nil, s.deny(r, rc, section, "update", d)
	}
	return rc, nil
}

func (s *Server) identityPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.writable(r, person.SectionIdentity)
	if err != nil {
		return err
	}
	withRQTH := rc.canWrite(person.SectionHealth)
	s.renderPersonForm(w, r, http.StatusOK, s.identityForm(r, rc), personValues(rc.p), nil, withRQTH)
	return nil
}

func (s *Server) saveIdentity(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionIdentity, "update")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	withRQTH := rc.canWrite(person.SectionHealth)
	data := s.identityForm(r, rc)
	err = s.updatePerson(r, rc, personInputOf(r.PostForm, withRQTH))
	pe, ok := problem.As(err)
	switch {
	case err == nil:
		s.redirectWithFlash(w, r, recordPath(rc.p.ID)+"#identite", "identity-updated")
		return nil
	case ok && pe.Kind == problem.Invalid && len(pe.Fields) > 0:
		s.renderPersonForm(w, r, http.StatusBadRequest, data, r.PostForm, pe.Fields, withRQTH)
		return nil
	case ok && pe.Kind == problem.Conflict:
		data.Alert = pe.Detail
		s.renderPersonForm(w, r, http.StatusConflict, data, r.PostForm, nil, withRQTH)
		return nil
	}
	return err
}

// --- Diagnostic -------------------------------------------------------

type diagnosticPage struct {
	page
	ID      int64
	Name    string
	Themes  []diagnosticTheme
	Errors  []errorLink
	Partial bool // some situations are left out: the viewer may not write them
}

type diagnosticTheme struct {
	Code, Label string
	Choices     []diagnosticChoice
}

// diagnosticChoice is a situation of the form: its checkbox is "s-" + Key
// and its comment "c-" + Key, the key being the theme and the rank of the
// situation in the referential, which the binary embeds.
type diagnosticChoice struct {
	Key, Label, Comment, Error, Section string
	Checked                             bool
	theme                               string
}

// diagnosticChoices lists the situations the viewer may write, theme by
// theme. Situations of a sensitive section the viewer may not write are
// left out; saveDiagnostic keeps their entries.
func (s *Server) diagnosticChoices(rc *record) ([]diagnosticTheme, bool) {
	var out []diagnosticTheme
	partial := false
	for _, t := range s.cfg.Referential.Themes() {
		dt := diagnosticTheme{Code: t.Code, Label: t.Label}
		for i, sit := range s.cfg.Referential.Situations(t.Code) {
			sec := person.SectionOf(t.Code, sit.Label)
			if sec != "" && !rc.canWrite(sec) {
				partial = true
				continue
			}
			c := diagnosticChoice{Key: t.Code + "-" + strconv.Itoa(i), Label: sit.Label, theme: t.Code}
			if sec != "" {
				c.Section = person.SectionLabel(sec)
			}
			dt.Choices = append(dt.Choices, c)
		}
		if len(dt.Choices) > 0 {
			out = append(out, dt)
		}
	}
	return out, partial
}

func (s *Server) diagnosticForm(r *http.Request, rc *record) *diagnosticPage {
	themes, partial := s.diagnosticChoices(rc)
	return &diagnosticPage{page: s.page(r, "Modifier le diagnostic"), ID: rc.p.ID, Name: rc.p.FirstName + " " + rc.p.LastName,
		Themes: themes, Partial: partial}
}

func (s *Server) diagnosticPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.writable(r, person.SectionDiagnostic)
	if err != nil {
		return err
	}
	es, err := s.store.Diagnostic(r.Context(), rc.p.ID, false)
	if err != nil {
		return err
	}
	data := s.diagnosticForm(r, rc)
	for _, e := range rc.visibleDiagnostic(es) {
		for ti := range data.Themes {
			for ci := range data.Themes[ti].Choices {
				c := &data.Themes[ti].Choices[ci]
				if c.theme == e.Theme && c.Label == e.Situation && !c.Checked {
					c.Checked, c.Comment = true, e.Comment
				}
			}
		}
	}
	s.render(w, r, http.StatusOK, "diagnostic", data)
	return nil
}

func (s *Server) saveDiagnosticPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionDiagnostic, "update")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	data := s.diagnosticForm(r, rc)
	var wanted []person.SituationInput
	var keys []*diagnosticChoice // the choice of each wanted situation, for its messages
	for ti := range data.Themes {
		for ci := range data.Themes[ti].Choices {
			c := &data.Themes[ti].Choices[ci]
			c.Comment = strings.TrimSpace(r.PostFormValue("c-" + c.Key))
			c.Checked = r.PostFormValue("s-"+c.Key) == "1"
			if c.Checked {
				wanted = append(wanted, person.SituationInput{Theme: c.theme, Label: c.Label, Comment: c.Comment})
				keys = append(keys, c)
			}
		}
	}
	err = s.saveDiagnostic(r, rc, wanted)
	pe, ok := problem.As(err)
	switch {
	case err == nil:
		s.redirectWithFlash(w, r, recordPath(rc.p.ID)+"#diagnostic", "diagnostic-saved")
		return nil
	case !ok || pe.Kind != problem.Invalid:
		return err
	}
	for _, f := range pe.Fields {
		href := "#diagnostic-form"
		if i, ok := situationIndex(f.Field); ok && i < len(keys) {
			keys[i].Error = f.Message
			href = "#s-" + keys[i].Key
			if strings.HasSuffix(f.Field, ".comment") {
				href = "#c-" + keys[i].Key
			}
			data.Errors = append(data.Errors, errorLink{Href: href, Text: keys[i].Label + " : " + f.Message})
			continue
		}
		data.Errors = append(data.Errors, errorLink{Href: href, Text: f.Message})
	}
	s.render(w, r, http.StatusBadRequest, "diagnostic", data)
	return nil
}

// situationIndex reads the index of a "situations[i].field" message.
func situationIndex(field string) (int, bool) {
	rest, ok := strings.CutPrefix(field, "situations[")
	if !ok {
		return 0, false
	}
	n, _, ok := strings.Cut(rest, "]")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(n)
	return i, err == nil && i >= 0
}

// --- Professional project ---------------------------------------------

// maxJobSuggestions bounds the jobs a search proposes.
const maxJobSuggestions = 10

type projectPage struct {
	page
	ID                                                         int64
	Name                                                       string
	Jobs                                                       []fieldOption // chosen
	Suggestions                                                []fieldOption
	Query                                                      string
	Searched                                                   bool
	Experience, Skills, AvailableFrom, HoursWanted, MobilityKm string
	DrivingLicence, Vehicle                                    bool
	Fields                                                     problem.Fields
	Errors                                                     []errorLink
	MaxJobs                                                    int
}

var projectAnchors = map[string][2]string{
	"target_jobs":    {"metiers", "Métiers recherchés"},
	"experience":     {"experience", "Expérience"},
	"skills":         {"skills", "Compétences"},
	"available_from": {"available_from", "Disponible à partir du"},
	"hours_wanted":   {"hours_wanted", "Heures par semaine souhaitées"},
	"mobility_km":    {"mobility_km", "Distance de mobilité"},
}

func (s *Server) projectForm(r *http.Request, rc *record) *projectPage {
	return &projectPage{page: s.page(r, "Modifier le projet professionnel"), ID: rc.p.ID, Name: rc.p.FirstName + " " + rc.p.LastName,
		MaxJobs: person.MaxTargetJobs}
}

func (s *Server) projectPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.writable(r, person.SectionProject)
	if err != nil {
		return err
	}
	pr, err := s.store.Project(r.Context(), rc.p.ID)
	if err != nil {
		return err
	}
	data := s.projectForm(r, rc)
	for _, code := range pr.TargetJobs {
		data.Jobs = append(data.Jobs, fieldOption{Value: code, Label: s.jobLabel(code), Selected: true})
	}
	data.Experience, data.Skills, data.AvailableFrom = pr.Experience, pr.Skills, formatDate(pr.AvailableFrom)
	if pr.HoursWanted > 0 {
		data.HoursWanted = strconv.Itoa(pr.HoursWanted)
	}
	if pr.MobilityKm > 0 {
		data.MobilityKm = strconv.Itoa(pr.MobilityKm)
	}
	data.DrivingLicence, data.Vehicle = pr.DrivingLicence, pr.Vehicle
	s.render(w, r, http.StatusOK, "project", data)
	return nil
}

// projectFromForm reads the posted project form onto the page, and returns
// the project it describes.
func (s *Server) projectFromForm(form url.Values, data *projectPage) (person.Project, problem.Fields) {
	var fs problem.Fields
	var pr person.Project
	for _, code := range form["metier"] {
		code = strings.TrimSpace(code)
		if code == "" || slices.Contains(pr.TargetJobs, code) {
			continue
		}
		pr.TargetJobs = append(pr.TargetJobs, code)
		data.Jobs = append(data.Jobs, fieldOption{Value: code, Label: s.jobLabel(code), Selected: true})
	}
	data.Experience, data.Skills = form.Get("experience"), form.Get("skills")
	data.AvailableFrom = strings.TrimSpace(form.Get("available_from"))
	data.HoursWanted, data.MobilityKm = strings.TrimSpace(form.Get("hours_wanted")), strings.TrimSpace(form.Get("mobility_km"))
	data.DrivingLicence, data.Vehicle = form.Get("driving_licence") == "1", form.Get("vehicle") == "1"
	pr.Experience, pr.Skills = data.Experience, data.Skills
	pr.AvailableFrom = parseDate(&fs, "available_from", formDate(data.AvailableFrom))
	number := func(field, v string) int {
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			fs.Add(field, "Saisissez un nombre entier, sans unité.")
		}
		return n
	}
	pr.HoursWanted = number("hours_wanted", data.HoursWanted)
	pr.MobilityKm = number("mobility_km", data.MobilityKm)
	pr.DrivingLicence, pr.Vehicle = data.DrivingLicence, data.Vehicle
	return pr, fs
}

func (s *Server) saveProjectPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionProject, "update")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	data := s.projectForm(r, rc)
	pr, fs := s.projectFromForm(r.PostForm, data)
	if len(fs) == 0 {
		err := s.saveProject(r, rc, &pr)
		pe, ok := problem.As(err)
		switch {
		case err == nil:
			s.redirectWithFlash(w, r, recordPath(rc.p.ID)+"#projet", "project-saved")
			return nil
		case !ok || pe.Kind != problem.Invalid:
			return err
		}
		fs = pe.Fields
	}
	for _, f := range fs {
		if strings.HasPrefix(f.Field, "target_jobs") {
			f.Field = "target_jobs"
		}
		data.Fields = append(data.Fields, f)
	}
	data.Errors = errorLinks(data.Fields, projectAnchors)
	s.render(w, r, http.StatusBadRequest, "project", data)
	return nil
}

// searchJobs shows the project form again, as typed, with the jobs of the
// ROME matching the search (a label, or an OGR code) to tick: no script.
func (s *Server) searchJobs(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionProject, "update")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	data := s.projectForm(r, rc)
	s.projectFromForm(r.PostForm, data)
	data.Query, data.Searched = strings.TrimSpace(r.PostFormValue("q")), true
	if q := []rune(data.Query); len(q) > 100 {
		data.Query = string(q[:100])
	}
	chosen := map[string]bool{}
	for _, j := range data.Jobs {
		chosen[j.Value] = true
	}
	if a, ok := s.cfg.Referential.Appellation(data.Query); ok && !chosen[a.Code] {
		data.Suggestions = append(data.Suggestions, fieldOption{Value: a.Code, Label: s.jobLabel(a.Code)})
		chosen[a.Code] = true
	}
	for _, a := range s.cfg.Referential.SearchAppellations(data.Query, maxJobSuggestions) {
		if !chosen[a.Code] {
			data.Suggestions = append(data.Suggestions, fieldOption{Value: a.Code, Label: a.Label + " (" + a.ROMECode + ")"})
		}
	}
	s.render(w, r, http.StatusOK, "project", data)
	return nil
}

// --- Access log -------------------------------------------------------

type accessLogPage struct {
	page
	ID    int64
	Name  string
	Items []accessRow
	Next  string
}

type accessRow struct {
	At                                         time.Time
	Email, Structure, Action, Section, Outcome string
	Allowed                                    bool
}

var auditActions = map[string]string{
	"read": "Consultation", "create": "Ajout", "update": "Modification", "delete": "Suppression", "lookup": "Recherche",
}

func (s *Server) accessLogPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionAccessLog, "read")
	if err != nil {
		return err
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("avant"), 10, 64)
	items, next, err := s.store.AccessLog(r.Context(), rc.p.ID, before, 100)
	if err != nil {
		return err
	}
	data := &accessLogPage{page: s.page(r, "Qui a consulté ce dossier ?"), ID: rc.p.ID, Name: rc.p.FirstName + " " + rc.p.LastName, Next: next}
	for _, it := range items {
		row := accessRow{At: it.At, Email: it.AccountEmail, Structure: it.Structure, Action: person.Label(auditActions, it.Action),
			Section: person.SectionLabel(person.Section(it.Section)), Allowed: it.Outcome == "allowed"}
		row.Outcome = "Refusé"
		if row.Allowed {
			row.Outcome = "Autorisé"
		}
		data.Items = append(data.Items, row)
	}
	s.render(w, r, http.StatusOK, "access_log", data)
	return nil
}

// --- Team ------------------------------------------------------------

func (s *Server) addMemberPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionTeam, "update")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := recordForm{Name: "member", MemberEmail: strings.TrimSpace(r.PostFormValue("email")), NoteVisibility: string(person.VisibilityStructure)}
	if _, err := s.addMember(r, rc, f.MemberEmail, false); err != nil {
		if pe, ok := problem.As(err); ok && pe.Kind == problem.Conflict {
			err = problem.InvalidFields(pe.Detail, problem.Field{Field: "email", Message: pe.Detail})
		}
		return s.formFailed(w, r, rc, f, err)
	}
	s.redirectWithFlash(w, r, recordPath(rc.p.ID)+"#equipe", "member-added")
	return nil
}

// accountParam reads the account named in the path.
func accountParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("account"), 10, 64)
	if err != nil {
		return 0, notFound("Ce professionnel ne fait pas partie de l'équipe de suivi.")
	}
	return id, nil
}

// removeMemberPage ends a membership: the référent removes a member, and a
// member leaves, which ends their access at once.
func (s *Server) removeMemberPage(w http.ResponseWriter, r *http.Request) error {
	id, err := accountParam(r)
	if err != nil {
		return err
	}
	self := id == viewerOf(r.Context()).Account.ID
	action := "delete"
	if self {
		action = "read" // a member may leave; removeMember decides the rest
	}
	rc, err := s.loadRecord(r, person.SectionTeam, action)
	if err != nil {
		return err
	}
	if err := s.removeMember(r, rc, id); err != nil {
		return s.formFailed(w, r, rc, recordForm{Name: "team", NoteVisibility: string(person.VisibilityStructure)}, err)
	}
	if self {
		s.redirectWithFlash(w, r, "/personnes", "team-left")
		return nil
	}
	s.redirectWithFlash(w, r, recordPath(rc.p.ID)+"#equipe", "member-removed")
	return nil
}

func (s *Server) setReferentPage(w http.ResponseWriter, r *http.Request) error {
	id, err := accountParam(r)
	if err != nil {
		return err
	}
	rc, err := s.loadRecord(r, person.SectionTeam, "update")
	if err != nil {
		return err
	}
	if err := s.store.SetReferent(r.Context(), rc.p.ID, id, s.actor(rc)); err != nil {
		return err
	}
	s.redirectWithFlash(w, r, recordPath(rc.p.ID)+"#equipe", "referent-changed")
	return nil
}

func (s *Server) decideJoinPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionTeam, "update")
	if err != nil {
		return err
	}
	rid, err := strconv.ParseInt(r.PathValue("rid"), 10, 64)
	if err != nil {
		return notFound("Cette demande n'existe pas ou a déjà reçu une réponse.")
	}
	if err := parseForm(r); err != nil {
		return err
	}
	var accept bool
	switch r.PostFormValue("decision") {
	case "accepter":
		accept = true
	case "refuser":
	default:
		return invalid("Choisissez d'accepter ou de refuser la demande.")
	}
	if err := s.store.DecideJoinRequest(r.Context(), rc.p.ID, rid, accept, s.actor(rc)); err != nil {
		return err
	}
	key := "join-refused"
	if accept {
		key = "join-accepted"
	}
	s.redirectWithFlash(w, r, recordPath(rc.p.ID)+"#equipe", key)
	return nil
}

// --- Notes -----------------------------------------------------------

func (s *Server) addNotePage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionNotes, "create")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := recordForm{Name: "note", NoteBody: r.PostFormValue("body"), NoteVisibility: r.PostFormValue("visibility"),
		NoteSection: r.PostFormValue("section")}
	n := person.Note{Body: strings.TrimSpace(f.NoteBody), Visibility: person.Visibility(f.NoteVisibility), Section: person.Section(f.NoteSection)}
	if err := s.addNote(r, rc, &n); err != nil {
		return s.formFailed(w, r, rc, f, err)
	}
	s.redirectWithFlash(w, r, recordPath(rc.p.ID)+"#notes", "note-added")
	return nil
}

// --- Consents and objection ------------------------------------------

func (s *Server) addConsentPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionConsents, "create")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := recordForm{Name: "consent", Purpose: r.PostFormValue("purpose"), Method: r.PostFormValue("method"),
		Evidence: r.PostFormValue("evidence"), ConsentStructures: r.PostForm["structures"], ConsentSections: r.PostForm["sections"],
		NoteVisibility: string(person.VisibilityStructure)}
	c := person.Consent{PersonID: rc.p.ID, Purpose: strings.TrimSpace(f.Purpose), Method: f.Method, Evidence: strings.TrimSpace(f.Evidence)}
	var fs problem.Fields
	for _, v := range f.ConsentStructures {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			fs.Add("structures", "La liste des structures contient une structure inconnue.")
			break
		}
		c.StructureIDs = append(c.StructureIDs, id)
	}
	for _, v := range f.ConsentSections {
		c.Sections = append(c.Sections, person.Section(v))
	}
	if err := fs.Err(); err != nil {
		return s.formFailed(w, r, rc, f, err)
	}
	if err := s.recordConsent(r, rc, &c); err != nil {
		return s.formFailed(w, r, rc, f, err)
	}
	s.redirectWithFlash(w, r, recordPath(rc.p.ID)+"#consentements", "consent-recorded")
	return nil
}

func (s *Server) withdrawConsentPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionConsents, "update")
	if err != nil {
		return err
	}
	cid, err := strconv.ParseInt(r.PathValue("cid"), 10, 64)
	if err != nil {
		return notFound("Ce consentement n'existe pas ou a déjà été retiré.")
	}
	if err := s.store.WithdrawConsent(r.Context(), rc.p.ID, cid, s.actor(rc)); err != nil {
		return err
	}
	s.redirectWithFlash(w, r, recordPath(rc.p.ID)+"#consentements", "consent-withdrawn")
	return nil
}

// objectPage records the person's objection to sharing. From then on only
// the référent keeps the record: anyone else who records it loses it, and
// goes back to their caseload.
func (s *Server) objectPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionConsents, "update")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := recordForm{Name: "objection", ObjectionReason: r.PostFormValue("reason"), ObjectionConfirmed: r.PostFormValue("confirm") == "1",
		NoteVisibility: string(person.VisibilityStructure)}
	if !f.ObjectionConfirmed {
		return s.formFailed(w, r, rc, f, problem.InvalidFields("L'opposition n'a pas été enregistrée.",
			problem.Field{Field: "confirm", Message: "Cochez la case pour confirmer que la personne s'oppose au partage de son dossier."}))
	}
	if err := s.object(r, rc, f.ObjectionReason); err != nil {
		return s.formFailed(w, r, rc, f, err)
	}
	if !rc.referent() {
		s.redirectWithFlash(w, r, "/personnes", "objection-recorded-left")
		return nil
	}
	s.redirectWithFlash(w, r, recordPath(rc.p.ID)+"#consentements", "objection-recorded")
	return nil
}
