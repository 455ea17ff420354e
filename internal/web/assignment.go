package web

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
)

// The assignment of référents: a coordinator who orients people to a
// structure without naming their référent leaves it to the structure's
// manager, who names référents among the structure's professionals, many at
// once. The page and the API share the rules below (assignReferents); the
// list shows identities and due dates, nothing of the records.

// today is the civil date in Europe/Paris as UTC midnight: the first day
// a due date is not yet late.
func (s *Server) today() time.Time {
	y, m, d := s.now().In(paris).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// managedStructure returns the structure the viewer manages and acts for:
// the one asked for (0: the first one it manages). Anyone else is refused.
func (s *Server) managedStructure(ctx context.Context, asked int64) (int64, error) {
	v := viewerOf(ctx)
	av := accessViewer(v)
	if asked != 0 {
		if d := access.ManageStructure(av, asked); d.Allowed {
			return asked, nil
		}
		return 0, forbidden("Réservé aux gestionnaires de cette structure.")
	}
	for _, m := range v.Account.Memberships {
		if access.ManageStructure(av, m.StructureID).Allowed {
			return m.StructureID, nil
		}
	}
	return 0, forbidden("Réservé aux gestionnaires de structure : l'affectation des référents se fait depuis le compte du gestionnaire.")
}

// auditAssignmentsRead records that a manager read the list of the people
// waiting for a référent.
func (s *Server) auditAssignmentsRead(ctx context.Context, structureID int64) error {
	v := viewerOf(ctx)
	return s.store.Audit(ctx, s.auditEntry(v, structureID, 0, "referent_assignment", "read",
		access.Decision{Allowed: true, Reason: access.ReasonManager}))
}

// assignment is a référent to name, with the names of the input fields it
// came from, for the messages.
type assignment struct {
	personID, accountID       int64
	personField, accountField string
}

// assignReferents names the référents, all or none: every person must wait
// for the structure's référent, once, and every account be an active
// professional of the structure. It returns how many référents it named.
func (s *Server) assignReferents(ctx context.Context, structureID int64, as []assignment) (int, error) {
	if len(as) == 0 {
		return 0, invalid("Aucun référent n'a été désigné : choisissez un référent pour au moins une personne.")
	}
	awaiting, err := s.store.AwaitingReferent(ctx, structureID)
	if err != nil {
		return 0, err
	}
	pros, err := s.store.Professionals(ctx, structureID)
	if err != nil {
		return 0, err
	}
	waits := make(map[int64]bool, len(awaiting))
	for _, it := range awaiting {
		waits[it.PersonID] = true
	}
	var fs problem.Fields
	chosen := make(map[int64]int64, len(as))
	for _, a := range as {
		switch _, twice := chosen[a.personID]; {
		case !waits[a.personID]:
			fs.Add(a.personField, "Cette personne n'attend pas de référent de votre structure.")
		case twice:
			fs.Add(a.personField, "Cette personne figure deux fois dans les affectations.")
		}
		if !slices.ContainsFunc(pros, func(p store.AccountSummary) bool { return p.ID == a.accountID }) {
			fs.Add(a.accountField, "Le référent doit être un professionnel actif de votre structure.")
		}
		chosen[a.personID] = a.accountID
	}
	if len(fs) > 0 {
		return 0, problem.InvalidFields("Aucun référent n'a été désigné : corrigez les affectations signalées.", fs...)
	}
	v := viewerOf(ctx)
	by := store.Actor{AccountID: v.Account.ID, StructureID: structureID, At: s.now()}
	if err := s.store.AssignReferents(ctx, structureID, chosen, by); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return 0, problem.New(problem.Conflict, "La liste des personnes à affecter a changé entre-temps : aucun référent n'a été désigné. Rechargez la page et recommencez.")
		}
		return 0, err
	}
	return len(chosen), nil
}

// --- API ---------------------------------------------------------------

type apiAwaiting struct {
	PersonID           int64     `json:"person_id"`
	OrientationID      int64     `json:"orientation_id"`
	FirstName          string    `json:"first_name"`
	LastName           string    `json:"last_name"`
	BirthDate          string    `json:"birth_date"`
	CommuneINSEE       string    `json:"commune_insee"`
	OrientedAt         time.Time `json:"oriented_at"`
	AppointmentDueDate string    `json:"appointment_due_date,omitempty"`
	ContractDueDate    string    `json:"contract_due_date,omitempty"`
	AppointmentOverdue bool      `json:"appointment_overdue"`
	ContractOverdue    bool      `json:"contract_overdue"`
}

type apiProfessional struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// late reports whether a due date (UTC midnight, zero when none) is before
// today.
func late(due, today time.Time) bool { return !due.IsZero() && due.Before(today) }

func (s *Server) apiAssignments(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var asked int64
	if q := r.URL.Query().Get("structure_id"); q != "" {
		var err error
		if asked, err = strconv.ParseInt(q, 10, 64); err != nil || asked <= 0 {
			return problem.InvalidFields("Paramètre invalide.", problem.Field{Field: "structure_id", Message: "Nombre entier positif attendu."})
		}
	}
	sid, err := s.managedStructure(ctx, asked)
	if err != nil {
		return err
	}
	awaiting, pros, err := s.assignmentsRead(ctx, sid)
	if err != nil {
		return err
	}
	today := s.today()
	out := struct {
		list[apiAwaiting]
		StructureID   int64             `json:"structure_id"`
		Professionals []apiProfessional `json:"professionals"`
	}{list[apiAwaiting]{Items: []apiAwaiting{}}, sid, []apiProfessional{}}
	for _, it := range awaiting {
		out.Items = append(out.Items, apiAwaiting{PersonID: it.PersonID, OrientationID: it.OrientationID, FirstName: it.FirstName,
			LastName: it.LastName, BirthDate: formatDate(it.BirthDate), CommuneINSEE: it.CommuneINSEE, OrientedAt: it.OrientedAt.UTC(),
			AppointmentDueDate: formatDate(it.AppointmentDueOn), ContractDueDate: formatDate(it.ContractDueOn),
			AppointmentOverdue: late(it.AppointmentDueOn, today), ContractOverdue: late(it.ContractDueOn, today)})
	}
	for _, p := range pros {
		out.Professionals = append(out.Professionals, apiProfessional{p.ID, p.Name, p.Email})
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiAssign(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var in struct {
		StructureID int64 `json:"structure_id"`
		Assignments []struct {
			PersonID      int64  `json:"person_id"`
			ReferentEmail string `json:"referent_email"`
		} `json:"assignments"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.StructureID < 0 {
		return problem.InvalidFields("Structure invalide.", problem.Field{Field: "structure_id", Message: "Nombre entier positif attendu."})
	}
	sid, err := s.managedStructure(ctx, in.StructureID)
	if err != nil {
		return err
	}
	pros, err := s.store.Professionals(ctx, sid)
	if err != nil {
		return err
	}
	byEmail := make(map[string]int64, len(pros))
	for _, p := range pros {
		byEmail[p.Email] = p.ID
	}
	as := make([]assignment, 0, len(in.Assignments))
	for i, a := range in.Assignments {
		field := "assignments[" + strconv.Itoa(i) + "]."
		var accountID int64
		if addr, err := account.NormalizeEmail(a.ReferentEmail); err == nil {
			accountID = byEmail[addr]
		}
		as = append(as, assignment{personID: a.PersonID, accountID: accountID,
			personField: field + "person_id", accountField: field + "referent_email"})
	}
	n, err := s.assignReferents(ctx, sid, as)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Assigned int `json:"assigned"`
	}{n})
}

// --- Page --------------------------------------------------------------

// assignmentsPage is the manager's list of the people waiting for a
// référent, each with a select of the structure's professionals.
type assignmentsPage struct {
	page
	StructureID   int64
	StructureName string
	Tabs          []navItem // the structures the viewer manages, when several
	Rows          []assignmentRow
	Professionals int // how many the selects offer
	Errors        []errorLink
	Alerts        []string // problems with no row to show them on
}

// assignmentRow is a person waiting for a référent, and the choice made.
type assignmentRow struct {
	PersonID                        int64
	Field, Name, Commune, Error     string
	BirthDate, OrientedAt           time.Time
	AppointmentDueOn, ContractDueOn time.Time
	AppointmentBadge, ContractBadge badge
	Options                         []fieldOption
}

// lateBadge says how late a due date is, or nothing when it is not.
func lateBadge(due, today time.Time) badge {
	if !late(due, today) {
		return badge{}
	}
	return badge{Text: "En retard de " + days(int(today.Sub(due)/(24*time.Hour))), Class: "fr-badge--error"}
}

// assignmentsURL is the address of the page for the structure; the
// first structure managed needs no parameter.
func assignmentsURL(v *viewer, structureID int64) string {
	for _, m := range v.Account.Memberships {
		if m.Role == account.RoleStructureManager {
			if m.StructureID == structureID {
				return "/structure/affectations"
			}
			break
		}
	}
	return "/structure/affectations?structure=" + strconv.FormatInt(structureID, 10)
}

// structureParam reads the structure of a query or form: 0 when absent,
// -1 when it is no id (then refused as not managed).
func structureParam(v string) int64 {
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return -1
	}
	return id
}

func (s *Server) assignmentsPageHandler(w http.ResponseWriter, r *http.Request) error {
	sid, err := s.managedStructure(r.Context(), structureParam(r.URL.Query().Get("structure")))
	if err != nil {
		return err
	}
	return s.renderAssignments(w, r, sid, http.StatusOK, nil, nil)
}

func (s *Server) assignReferentsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := parseForm(r); err != nil {
		return err
	}
	sid, err := s.managedStructure(ctx, structureParam(r.PostFormValue("structure")))
	if err != nil {
		return err
	}
	chosen := map[string]string{}
	var as []assignment
	for key, vals := range r.PostForm {
		idText, ok := strings.CutPrefix(key, "referent_")
		if !ok || len(vals) == 0 || vals[0] == "" {
			continue
		}
		pid, err := strconv.ParseInt(idText, 10, 64)
		if err != nil || pid <= 0 {
			continue // no select of the page has this name
		}
		aid, _ := strconv.ParseInt(vals[0], 10, 64) // not a number: no professional, refused below
		chosen[key] = vals[0]
		as = append(as, assignment{personID: pid, accountID: aid, personField: key, accountField: key})
	}
	slices.SortFunc(as, func(a, b assignment) int { return cmp.Compare(a.personID, b.personID) })
	n, err := s.assignReferents(ctx, sid, as)
	if err == nil {
		s.redirectWithFlash(w, r, assignmentsURL(viewerOf(ctx), sid), countFlash("referents-assigned", n))
		return nil
	}
	p, ok := problem.As(err)
	if !ok || (p.Kind != problem.Invalid && p.Kind != problem.Conflict) {
		return err
	}
	return s.renderAssignments(w, r, sid, kinds[p.Kind].status, chosen, p)
}

// assignmentsRead reads the people awaiting a référent in the structure
// and its professionals, and audits the read.
func (s *Server) assignmentsRead(ctx context.Context, sid int64) ([]store.AwaitingItem, []store.AccountSummary, error) {
	awaiting, err := s.store.AwaitingReferent(ctx, sid)
	if err != nil {
		return nil, nil, err
	}
	pros, err := s.store.Professionals(ctx, sid)
	if err != nil {
		return nil, nil, err
	}
	return awaiting, pros, s.auditAssignmentsRead(ctx, sid)
}

// renderAssignments renders the list, with the choices posted and their
// problems when a submission failed.
func (s *Server) renderAssignments(w http.ResponseWriter, r *http.Request, sid int64, status int, chosen map[string]string, p *problem.Error) error {
	ctx := r.Context()
	v := viewerOf(ctx)
	awaiting, pros, err := s.assignmentsRead(ctx, sid)
	if err != nil {
		return err
	}
	data := &assignmentsPage{page: s.page(r, "Affecter les référents"), StructureID: sid, Professionals: len(pros)}
	av := accessViewer(v)
	for _, m := range v.Account.Memberships {
		if m.Role == account.RoleStructureManager && access.ManageStructure(av, m.StructureID).Allowed {
			if m.StructureID == sid {
				data.StructureName = m.StructureName
			}
			data.Tabs = append(data.Tabs, navItem{Label: m.StructureName, Href: assignmentsURL(v, m.StructureID), Current: m.StructureID == sid})
		}
	}
	if len(data.Tabs) < 2 {
		data.Tabs = nil
	}
	messages := map[string][]string{}
	if p != nil {
		for _, f := range p.Fields {
			messages[f.Field] = append(messages[f.Field], f.Message)
		}
	}
	today := s.today()
	for _, it := range awaiting {
		row := assignmentRow{PersonID: it.PersonID, Field: "referent_" + strconv.FormatInt(it.PersonID, 10),
			Name: it.FirstName + " " + it.LastName, Commune: s.communeLabel(it.CommuneINSEE), BirthDate: it.BirthDate,
			OrientedAt: it.OrientedAt, AppointmentDueOn: it.AppointmentDueOn, ContractDueOn: it.ContractDueOn,
			AppointmentBadge: lateBadge(it.AppointmentDueOn, today), ContractBadge: lateBadge(it.ContractDueOn, today)}
		choice := chosen[row.Field]
		row.Options = []fieldOption{{Value: "", Label: "— à désigner —", Selected: choice == ""}}
		for _, pro := range pros {
			id := strconv.FormatInt(pro.ID, 10)
			row.Options = append(row.Options, fieldOption{Value: id, Label: pro.Name, Selected: id == choice})
		}
		if ms := messages[row.Field]; len(ms) > 0 {
			row.Error = strings.Join(ms, " ")
			data.Errors = append(data.Errors, errorLink{Href: "#referent-" + strconv.FormatInt(it.PersonID, 10), Text: row.Name + " : " + row.Error})
			delete(messages, row.Field)
		}
		data.Rows = append(data.Rows, row)
	}
	if p != nil {
		// A person who no longer waits has no row: say so above the list.
		for _, f := range p.Fields {
			if ms, ok := messages[f.Field]; ok {
				data.Alerts = append(data.Alerts, strings.Join(ms, " ")+" La liste ci-dessous est à jour.")
				delete(messages, f.Field)
			}
		}
		if len(p.Fields) == 0 {
			data.Alerts = append(data.Alerts, p.Detail)
		}
	}
	s.render(w, r, status, "assignments", data)
	return nil
}
