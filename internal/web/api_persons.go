package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
)

// decodeJSON reads a JSON body into v, refusing unknown fields (no mass
// assignment) and trailing data, with a French message.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return errBodyTooLarge
		case errors.Is(err, io.EOF):
			return invalid("Le corps de la requête est vide : un objet JSON est attendu.")
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return problem.InvalidFields("Le corps JSON contient un champ inconnu.", problem.Field{Field: field, Message: "Champ inconnu."})
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return problem.InvalidFields("Le corps JSON contient une valeur du mauvais type.",
				problem.Field{Field: te.Field, Message: "Type attendu : " + jsonType(te.Type.Kind().String()) + "."})
		}
		return invalid("Le corps de la requête n'est pas un JSON valide.")
	}
	if dec.More() {
		return invalid("Le corps de la requête contient des données après l'objet JSON.")
	}
	return nil
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "texte"
	case "bool":
		return "booléen"
	case "slice", "array":
		return "liste"
	case "struct", "map", "ptr":
		return "objet"
	}
	return "nombre"
}

const dateLayout = "2006-01-02"

// parseDate reads a YYYY-MM-DD date, or "" as the zero time.
func parseDate(fs *problem.Fields, field, s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		fs.Add(field, "Date attendue au format AAAA-MM-JJ.")
	}
	return t
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(dateLayout)
}

// apiPerson is the JSON of a person. RQTH is health data: absent for those
// not entitled to the health section.
type apiPerson struct {
	ID                 int64  `json:"id"`
	FirstName          string `json:"first_name"`
	LastName           string `json:"last_name"`
	BirthName          string `json:"birth_name"`
	BirthDate          string `json:"birth_date"`
	Sex                string `json:"sex"`
	Email              string `json:"email"`
	Phone              string `json:"phone"`
	Address            string `json:"address"`
	CommuneINSEE       string `json:"commune_insee"`
	CAFNumber          string `json:"caf_number"`
	CAFRole            string `json:"caf_role"`
	FranceTravailID    string `json:"france_travail_id"`
	RSARight           string `json:"rsa_right"`
	RSAOpenedOn        string `json:"rsa_opened_on"`
	LongTermUnemployed bool   `json:"long_term_unemployed"`
	EducationLevel     string `json:"education_level"`
	WorkSituation      string `json:"work_situation"`
	Under26            bool   `json:"under_26"`
	RQTH               *bool  `json:"rqth,omitempty"`
	Objection          bool   `json:"objection"`
	Referent           bool   `json:"viewer_is_referent"`
}

func (s *Server) personJSON(rc *record) apiPerson {
	p := rc.p
	out := apiPerson{ID: p.ID, FirstName: p.FirstName, LastName: p.LastName, BirthName: p.BirthName,
		BirthDate: formatDate(p.BirthDate), Sex: p.Sex, Email: p.Email, Phone: p.Phone, Address: p.Address,
		CommuneINSEE: p.CommuneINSEE, CAFNumber: p.CAFNumber, CAFRole: p.CAFRole, FranceTravailID: p.FranceTravailID, RSARight: p.RSARight,
		RSAOpenedOn: formatDate(p.RSAOpenedOn), LongTermUnemployed: p.LongTermUnemployed, EducationLevel: p.EducationLevel,
		WorkSituation: p.WorkSituation, Under26: person.Under26(p, s.now()), Objection: !p.ObjectionAt.IsZero(),
		Referent: rc.referent()}
	if rc.can(person.SectionHealth) {
		rqth := p.RQTH
		out.RQTH = &rqth
	}
	return out
}

// personInput is the body of POST and PATCH /api/v1/persons: every field
// optional in PATCH.
type personInput struct {
	FirstName          *string `json:"first_name"`
	LastName           *string `json:"last_name"`
	BirthName          *string `json:"birth_name"`
	BirthDate          *string `json:"birth_date"`
	Sex                *string `json:"sex"`
	Email              *string `json:"email"`
	Phone              *string `json:"phone"`
	Address            *string `json:"address"`
	CommuneINSEE       *string `json:"commune_insee"`
	CAFNumber          *string `json:"caf_number"`
	CAFRole            *string `json:"caf_role"`
	FranceTravailID    *string `json:"france_travail_id"`
	RSARight           *string `json:"rsa_right"`
	RSAOpenedOn        *string `json:"rsa_opened_on"`
	LongTermUnemployed *bool   `json:"long_term_unemployed"`
	EducationLevel     *string `json:"education_level"`
	WorkSituation      *string `json:"work_situation"`
	RQTH               *bool   `json:"rqth"`
}

// apply copies the fields given onto p, collecting date errors.
func (in personInput) apply(p *person.Person, fs *problem.Fields) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&p.FirstName, in.FirstName)
	set(&p.LastName, in.LastName)
	set(&p.BirthName, in.BirthName)
	set(&p.Sex, in.Sex)
	set(&p.Email, in.Email)
	set(&p.Phone, in.Phone)
	set(&p.Address, in.Address)
	set(&p.CommuneINSEE, in.CommuneINSEE)
	set(&p.CAFNumber, in.CAFNumber)
	set(&p.CAFRole, in.CAFRole)
	set(&p.FranceTravailID, in.FranceTravailID)
	set(&p.RSARight, in.RSARight)
	set(&p.EducationLevel, in.EducationLevel)
	set(&p.WorkSituation, in.WorkSituation)
	if in.BirthDate != nil {
		p.BirthDate = parseDate(fs, "birth_date", *in.BirthDate)
	}
	if in.RSAOpenedOn != nil {
		p.RSAOpenedOn = parseDate(fs, "rsa_opened_on", *in.RSAOpenedOn)
	}
	if in.LongTermUnemployed != nil {
		p.LongTermUnemployed = *in.LongTermUnemployed
	}
	if in.RQTH != nil {
		p.RQTH = *in.RQTH
	}
}

// knownAnswer is what "is this person known?" may say.
type knownAnswer struct {
	Known      bool             `json:"known"`
	Structures []knownStructure `json:"structures"`
	followers  []store.Follower // for pages: who is the référent
	ids        []int64          // for pages: to ask to join
}

type knownStructure struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// lookup answers "is this person known?" for the viewer's territory and
// audits the question. It never reveals more than the structures.
func (s *Server) lookup(r *http.Request, first, last string, birth time.Time, caf, ft string) (knownAnswer, error) {
	ctx := r.Context()
	v := viewerOf(ctx)
	t := s.territory(ctx)
	av := accessViewer(v)
	if d := access.Lookup(av, t.ID); !d.Allowed {
		return knownAnswer{}, forbidden("Votre compte ne permet pas de rechercher des personnes.")
	}
	ids, err := s.store.Lookup(ctx, t.ID, first, last, birth, caf, ft)
	if err != nil {
		return knownAnswer{}, err
	}
	ans := knownAnswer{Known: len(ids) > 0, Structures: []knownStructure{}, ids: ids}
	if ans.Known {
		if ans.followers, err = s.store.Followers(ctx, ids); err != nil {
			return ans, err
		}
		for _, f := range ans.followers {
			ans.Structures = append(ans.Structures, knownStructure{f.StructureID, f.StructureName, f.StructureKind})
		}
	}
	var pid int64
	if len(ids) == 1 {
		pid = ids[0]
	}
	e := s.auditEntry(v, actingStructure(v, nil, t.ID), pid, string(person.SectionIdentity), "lookup", access.Decision{Allowed: true, Reason: "lookup"})
	if err := s.store.Audit(ctx, e); err != nil {
		return ans, err
	}
	return ans, nil
}

func (s *Server) apiLookup(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var fs problem.Fields
	first, last := strings.TrimSpace(q.Get("first_name")), strings.TrimSpace(q.Get("last_name"))
	birth := parseDate(&fs, "birth_date", q.Get("birth_date"))
	caf, ft := strings.TrimSpace(q.Get("caf_number")), strings.ToUpper(strings.TrimSpace(q.Get("france_travail_id")))
	if caf == "" && ft == "" && (first == "" || last == "" || birth.IsZero()) && len(fs) == 0 {
		fs.Add("first_name", "Indiquez prénom, nom et date de naissance, ou un numéro CAF, ou un identifiant France Travail.")
	}
	if err := fs.Err(); err != nil {
		return err
	}
	ans, err := s.lookup(r, first, last, birth, caf, ft)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ans)
}

// register creates a person with the viewer as référent, unless the person
// is already known: then a conflict naming the structures that follow them.
func (s *Server) register(r *http.Request, p *person.Person) error {
	ctx := r.Context()
	v := viewerOf(ctx)
	t := s.territory(ctx)
	if d := access.Register(accessViewer(v), t.ID); !d.Allowed {
		return forbidden("Votre compte ne permet pas d'inscrire une personne.")
	}
	p.TerritoryID = t.ID
	p.Normalize()
	if err := p.Validate(s.cfg.Referential, s.now()).Err(); err != nil {
		return err
	}
	ans, err := s.lookup(r, p.FirstName, p.LastName, p.BirthDate, "", "")
	if err == nil && !ans.Known && p.CAFNumber != "" {
		ans, err = s.lookup(r, "", "", time.Time{}, p.CAFNumber, "")
	}
	if err == nil && !ans.Known && p.FranceTravailID != "" {
		ans, err = s.lookup(r, "", "", time.Time{}, "", p.FranceTravailID)
	}
	if err != nil {
		return err
	}
	if ans.Known {
		return knownConflict(ans)
	}
	by := store.Actor{AccountID: v.Account.ID, StructureID: actingStructure(v, nil, t.ID), At: s.now()}
	if by.StructureID == 0 {
		return forbidden("Votre compte n'est rattaché à aucune structure de ce territoire.")
	}
	if err := s.store.CreatePerson(ctx, p, by); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return conflictKnown
		}
		return err
	}
	return nil
}

var conflictKnown = problem.New(problem.Conflict, "Cette personne est déjà connue (même numéro CAF ou identifiant France Travail). Demandez à rejoindre son équipe de suivi.")

func knownConflict(ans knownAnswer) error {
	var names []string
	for _, f := range ans.followers {
		n := f.StructureName
		if f.Referent {
			n += " (référent)"
		}
		names = append(names, n)
	}
	detail := "Cette personne est déjà connue"
	if len(names) > 0 {
		detail += " : suivie par " + strings.Join(names, ", ")
	}
	return problem.New(problem.Conflict, detail+". Demandez à rejoindre son équipe de suivi plutôt que de l'inscrire à nouveau.")
}

func (s *Server) apiCreatePerson(w http.ResponseWriter, r *http.Request) error {
	var in personInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var fs problem.Fields
	var p person.Person
	in.apply(&p, &fs)
	if err := fs.Err(); err != nil {
		return err
	}
	if err := s.register(r, &p); err != nil {
		return err
	}
	rc, err := s.loadRecordID(r, p.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/persons/"+strconv.FormatInt(p.ID, 10))
	return writeJSON(w, http.StatusCreated, s.personJSON(rc))
}

// loadRecordID reads the record just written by the viewer (no audit: the
// write was audited).
func (s *Server) loadRecordID(r *http.Request, id int64) (*record, error) {
	return s.newRecord(r.Context(), viewerOf(r.Context()), id)
}

type apiCaseloadItem struct {
	ID           int64  `json:"id"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	BirthDate    string `json:"birth_date"`
	CommuneINSEE string `json:"commune_insee"`
	Referent     bool   `json:"referent"`
}

// caseload lists the viewer's people and audits the listing.
func (s *Server) caseload(r *http.Request, f store.CaseloadFilter) ([]store.CaseloadItem, string, error) {
	ctx := r.Context()
	v := viewerOf(ctx)
	if !access.Caseload(accessViewer(v)) {
		return nil, "", forbidden("Votre compte n'a pas de personnes accompagnées.")
	}
	items, next, err := s.store.Caseload(ctx, v.Account.ID, f)
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", problem.InvalidFields("Curseur de pagination invalide.", problem.Field{Field: "cursor", Message: "Curseur inconnu ou expiré."})
	}
	if err != nil {
		return nil, "", err
	}
	t := s.territory(ctx)
	e := s.auditEntry(v, actingStructure(v, nil, t.ID), 0, "caseload", "read", access.Decision{Allowed: true, Reason: "own caseload"})
	return items, next, s.store.Audit(ctx, e)
}

func (s *Server) apiCaseload(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	items, next, err := s.caseload(r, store.CaseloadFilter{Query: q.Get("q"), ReferentOnly: q.Get("referent") == "true",
		Commune: q.Get("commune_insee"), Limit: limit, Cursor: q.Get("cursor")})
	if err != nil {
		return err
	}
	out := list[apiCaseloadItem]{Items: []apiCaseloadItem{}, NextCursor: next}
	for _, it := range items {
		out.Items = append(out.Items, apiCaseloadItem{it.PersonID, it.FirstName, it.LastName, formatDate(it.BirthDate), it.CommuneINSEE, it.Referent})
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiPerson(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionIdentity, "read")
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.personJSON(rc))
}

// updatePerson applies a change of identity or statuses; changing RQTH
// needs the right to write the health section.
func (s *Server) updatePerson(r *http.Request, rc *record, in personInput) error {
	var fs problem.Fields
	p := rc.p
	in.apply(&p, &fs)
	if err := fs.Err(); err != nil {
		return err
	}
	sections := []person.Section{person.SectionIdentity}
	if p.RQTH != rc.p.RQTH {
		if d := access.Write(rc.av, rc.rec, person.SectionHealth, rc.set); !d.Allowed {
			return s.deny(r, rc, person.SectionHealth, "update", d)
		}
		sections = append(sections, person.SectionHealth)
	}
	p.Normalize()
	if err := p.Validate(s.cfg.Referential, s.now()).Err(); err != nil {
		return err
	}
	if err := s.store.UpdatePerson(r.Context(), &p, s.actor(rc), sections); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return conflictKnown
		}
		return err
	}
	rc.p = p
	return nil
}

func (s *Server) apiPatchPerson(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionIdentity, "update")
	if err != nil {
		return err
	}
	var in personInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.updatePerson(r, rc, in); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.personJSON(rc))
}

type apiSituation struct {
	ID        int64  `json:"id,omitempty"`
	Theme     string `json:"theme"`
	Label     string `json:"label"`
	Comment   string `json:"comment"`
	Section   string `json:"section,omitempty"`
	Author    string `json:"author,omitempty"`
	Structure string `json:"structure,omitempty"`
	CreatedAt string `json:"created_at,omitempty"`
	EndedAt   string `json:"ended_at,omitempty"`
}

type apiDiagnostic struct {
	Situations []apiSituation `json:"situations"`
	History    []apiSituation `json:"history,omitempty"`
}

func situationJSON(e person.DiagnosticEntry) apiSituation {
	out := apiSituation{ID: e.ID, Theme: e.Theme, Label: e.Situation, Comment: e.Comment, Section: string(e.Section),
		Author: e.AuthorName, Structure: e.StructureName, CreatedAt: e.CreatedAt.UTC().Format(time.RFC3339)}
	if !e.EndedAt.IsZero() {
		out.EndedAt = e.EndedAt.UTC().Format(time.RFC3339)
	}
	return out
}

func (s *Server) diagnosticJSON(r *http.Request, rc *record, history bool) (apiDiagnostic, error) {
	es, err := s.store.Diagnostic(r.Context(), rc.p.ID, history)
	if err != nil {
		return apiDiagnostic{}, err
	}
	out := apiDiagnostic{Situations: []apiSituation{}}
	for _, e := range rc.visibleDiagnostic(es) {
		if e.EndedAt.IsZero() {
			out.Situations = append(out.Situations, situationJSON(e))
		} else {
			out.History = append(out.History, situationJSON(e))
		}
	}
	return out, nil
}

func (s *Server) apiDiagnostic(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionDiagnostic, "read")
	if err != nil {
		return err
	}
	out, err := s.diagnosticJSON(r, rc, r.URL.Query().Get("history") == "true")
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// saveDiagnostic replaces the situations the viewer can see by the wanted
// ones: entries of sections the viewer may not read stay untouched, and
// adding one needs the right to write its section.
func (s *Server) saveDiagnostic(r *http.Request, rc *record, wanted []person.SituationInput) error {
	if err := person.ValidateDiagnostic(s.cfg.Referential, wanted).Err(); err != nil {
		return err
	}
	current, err := s.store.Diagnostic(r.Context(), rc.p.ID, false)
	if err != nil {
		return err
	}
	add, end := person.DiagnosticDiff(rc.visibleDiagnostic(current), wanted)
	entries := make([]person.DiagnosticEntry, 0, len(add))
	for _, in := range add {
		sec := in.Section()
		if sec != "" {
			if d := access.Write(rc.av, rc.rec, sec, rc.set); !d.Allowed {
				return problem.InvalidFields("Vous ne pouvez pas renseigner cette situation.",
					problem.Field{Field: "situations", Message: "La situation « " + in.Label + " » relève d'une section sensible (" + person.SectionLabel(sec) + ") que votre structure ne peut pas renseigner."})
			}
		}
		entries = append(entries, person.DiagnosticEntry{Theme: in.Theme, Situation: in.Label, Comment: in.Comment, Section: sec})
	}
	ids := make([]int64, len(end))
	for i, e := range end {
		ids[i] = e.ID
	}
	return s.store.SaveDiagnostic(r.Context(), rc.p.ID, entries, ids, s.actor(rc))
}

func (s *Server) apiPutDiagnostic(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionDiagnostic, "update")
	if err != nil {
		return err
	}
	var in struct {
		Situations []person.SituationInput `json:"situations"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.saveDiagnostic(r, rc, in.Situations); err != nil {
		return err
	}
	out, err := s.diagnosticJSON(r, rc, false)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

type apiTeamMember struct {
	AccountID int64        `json:"account_id"`
	Name      string       `json:"name"`
	Email     string       `json:"email"`
	Structure apiStructure `json:"structure"`
	Referent  bool         `json:"referent"`
	StartedAt time.Time    `json:"started_at"`
	EndedAt   *time.Time   `json:"ended_at"`
}

func teamJSON(m person.TeamMember) apiTeamMember {
	return apiTeamMember{AccountID: m.AccountID, Name: m.AccountName, Email: m.AccountEmail,
		Structure: apiStructure{m.StructureID, m.StructureName, m.StructureKind}, Referent: m.Referent,
		StartedAt: m.StartedAt.UTC(), EndedAt: timePtr(m.EndedAt)}
}

func (s *Server) apiTeam(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionTeam, "read")
	if err != nil {
		return err
	}
	team, err := rc.members()
	if err != nil {
		return err
	}
	out := list[apiTeamMember]{Items: []apiTeamMember{}}
	for _, m := range team {
		out.Items = append(out.Items, teamJSON(m))
	}
	return writeJSON(w, http.StatusOK, out)
}

// addMember adds the account with that email to the team, in its
// professional structure of the territory.
func (s *Server) addMember(r *http.Request, rc *record, email string, referent bool) (person.TeamMember, error) {
	addr, err := account.NormalizeEmail(email)
	if err != nil {
		return person.TeamMember{}, problem.InvalidFields("Adresse invalide.", problem.Field{Field: "email", Message: err.Error()})
	}
	a, err := s.store.AccountByEmail(r.Context(), addr)
	if errors.Is(err, store.ErrNotFound) || (err == nil && a.Disabled()) {
		return person.TeamMember{}, problem.InvalidFields("Compte introuvable.", problem.Field{Field: "email", Message: "Aucun compte actif n'a cette adresse."})
	}
	if err != nil {
		return person.TeamMember{}, err
	}
	var structureID int64
	for _, m := range a.Memberships {
		if m.TerritoryID == rc.p.TerritoryID && m.Role == account.RoleProfessional {
			structureID = m.StructureID
			break
		}
	}
	if structureID == 0 {
		return person.TeamMember{}, problem.InvalidFields("Ce compte ne peut pas suivre de personnes.",
			problem.Field{Field: "email", Message: "Ce compte n'est pas celui d'un professionnel de ce territoire."})
	}
	m, err := s.store.AddTeamMember(r.Context(), rc.p.ID, a.ID, structureID, referent, s.actor(rc))
	if errors.Is(err, store.ErrConflict) {
		return m, problem.New(problem.Conflict, "Ce professionnel fait déjà partie de l'équipe de suivi.")
	}
	return m, err
}

func (s *Server) apiAddTeam(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionTeam, "update")
	if err != nil {
		return err
	}
	var in struct {
		Email    string `json:"email"`
		Referent bool   `json:"referent"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	m, err := s.addMember(r, rc, in.Email, in.Referent)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, teamJSON(m))
}

// removeMember ends a membership: the référent ends anyone's but their own
// (they must hand over first); a member may leave.
func (s *Server) removeMember(r *http.Request, rc *record, accountID int64) error {
	self := accountID == rc.v.Account.ID
	if !self && !rc.referent() {
		return s.deny(r, rc, person.SectionTeam, "delete", access.Decision{Reason: "not the référent"})
	}
	for _, m := range rc.team {
		if m.Active() && m.AccountID == accountID {
			if m.Referent {
				return problem.New(problem.Conflict, "Le référent unique ne peut pas quitter l'équipe : désignez d'abord un autre référent.")
			}
			return s.store.EndTeamMember(r.Context(), rc.p.ID, accountID, s.actor(rc))
		}
	}
	return notFound("Ce professionnel ne fait pas partie de l'équipe de suivi.")
}

func (s *Server) apiRemoveTeam(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionTeam, "read")
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("account_id"), 10, 64)
	if err != nil {
		return notFound("Ce professionnel ne fait pas partie de l'équipe de suivi.")
	}
	if err := s.removeMember(r, rc, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type apiEvent struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Kind      string    `json:"kind"`
	Summary   string    `json:"summary"`
	Author    string    `json:"author,omitempty"`
	Structure string    `json:"structure,omitempty"`
}

// timeline returns one page of visible events and the next cursor.
func (s *Server) timeline(r *http.Request, rc *record, cursor string, limit int) ([]person.Event, string, error) {
	before, _ := strconv.ParseInt(cursor, 10, 64)
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	var out []person.Event
	for len(out) < limit {
		es, err := s.store.Timeline(r.Context(), rc.p.ID, before, limit+1)
		if err != nil {
			return nil, "", err
		}
		if len(es) == 0 {
			break
		}
		out = append(out, rc.visibleEvents(es)...)
		before = es[len(es)-1].ID
		if len(es) <= limit {
			before = 0
			break
		}
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
	}
	if before != 0 || len(out) == limit {
		if len(out) > 0 {
			next = strconv.FormatInt(out[len(out)-1].ID, 10)
		}
	}
	return out, next, nil
}

func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionTimeline, "read")
	if err != nil {
		return err
	}
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	es, next, err := s.timeline(r, rc, r.URL.Query().Get("cursor"), limit)
	if err != nil {
		return err
	}
	out := list[apiEvent]{Items: []apiEvent{}, NextCursor: next}
	for _, e := range es {
		out.Items = append(out.Items, apiEvent{e.ID, e.At.UTC(), e.Kind, e.Summary, e.AccountName, e.StructureName})
	}
	return writeJSON(w, http.StatusOK, out)
}

type apiNote struct {
	ID         int64     `json:"id"`
	Text       string    `json:"text"`
	Visibility string    `json:"visibility"`
	Section    *string   `json:"section"`
	Author     string    `json:"author"`
	Structure  string    `json:"structure"`
	CreatedAt  time.Time `json:"created_at"`
}

func noteJSON(n person.Note) apiNote {
	out := apiNote{ID: n.ID, Text: n.Body, Visibility: string(n.Visibility), Author: n.AuthorName, Structure: n.StructureName, CreatedAt: n.CreatedAt.UTC()}
	if n.Section != "" {
		sec := string(n.Section)
		out.Section = &sec
	}
	return out
}

// addNote writes a note; a note in a sensitive section needs the right to
// write that section.
func (s *Server) addNote(r *http.Request, rc *record, n *person.Note) error {
	if err := person.ValidateNote(n.Body, n.Visibility, n.Section).Err(); err != nil {
		return err
	}
	if n.Section != "" {
		if d := access.Write(rc.av, rc.rec, n.Section, rc.set); !d.Allowed {
			return problem.InvalidFields("Vous ne pouvez pas écrire dans cette section.",
				problem.Field{Field: "section", Message: "Votre structure n'a pas accès à la section « " + person.SectionLabel(n.Section) + " »."})
		}
	}
	n.PersonID = rc.p.ID
	return s.store.AddNote(r.Context(), n, s.actor(rc))
}

func (s *Server) apiAddNote(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionNotes, "create")
	if err != nil {
		return err
	}
	var in struct {
		Text       string  `json:"text"`
		Visibility string  `json:"visibility"`
		Section    *string `json:"section"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	n := person.Note{Body: in.Text, Visibility: person.Visibility(in.Visibility)}
	if in.Section != nil {
		n.Section = person.Section(*in.Section)
	}
	if err := s.addNote(r, rc, &n); err != nil {
		return err
	}
	v := viewerOf(r.Context())
	n.AuthorName = v.Account.Name()
	return writeJSON(w, http.StatusCreated, noteJSON(n))
}

func (s *Server) apiNotes(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionNotes, "read")
	if err != nil {
		return err
	}
	ns, err := s.store.Notes(r.Context(), rc.p.ID)
	if err != nil {
		return err
	}
	out := list[apiNote]{Items: []apiNote{}}
	for _, n := range rc.visibleNotes(ns) {
		out.Items = append(out.Items, noteJSON(n))
	}
	return writeJSON(w, http.StatusOK, out)
}

type apiConsent struct {
	ID           int64      `json:"id"`
	Purpose      string     `json:"purpose"`
	StructureIDs []int64    `json:"structure_ids"`
	Sections     []string   `json:"sections"`
	Method       string     `json:"method"`
	Evidence     string     `json:"evidence"`
	StartedAt    time.Time  `json:"started_at"`
	EndedAt      *time.Time `json:"ended_at"`
}

func consentJSON(c person.Consent) apiConsent {
	out := apiConsent{ID: c.ID, Purpose: c.Purpose, StructureIDs: c.StructureIDs, Sections: []string{}, Method: c.Method,
		Evidence: c.Evidence, StartedAt: c.StartedAt.UTC(), EndedAt: timePtr(c.EndedAt)}
	if out.StructureIDs == nil {
		out.StructureIDs = []int64{}
	}
	for _, sec := range c.Sections {
		out.Sections = append(out.Sections, string(sec))
	}
	return out
}

func (s *Server) apiConsents(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionConsents, "read")
	if err != nil {
		return err
	}
	cs, err := rc.allConsents()
	if err != nil {
		return err
	}
	out := list[apiConsent]{Items: []apiConsent{}}
	for _, c := range cs {
		out.Items = append(out.Items, consentJSON(c))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiAddConsent(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionConsents, "create")
	if err != nil {
		return err
	}
	var in struct {
		Purpose      string   `json:"purpose"`
		StructureIDs []int64  `json:"structure_ids"`
		Sections     []string `json:"sections"`
		Method       string   `json:"method"`
		Evidence     string   `json:"evidence"`
		Withdraw     *int64   `json:"withdraw"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Withdraw != nil {
		if err := s.store.WithdrawConsent(r.Context(), rc.p.ID, *in.Withdraw, s.actor(rc)); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	c := person.Consent{PersonID: rc.p.ID, Purpose: in.Purpose, StructureIDs: in.StructureIDs, Method: in.Method, Evidence: in.Evidence}
	for _, sec := range in.Sections {
		c.Sections = append(c.Sections, person.Section(sec))
	}
	if err := s.recordConsent(r, rc, &c); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, consentJSON(c))
}

// recordConsent validates a consent, checks its structures belong to the
// territory, and writes it.
func (s *Server) recordConsent(r *http.Request, rc *record, c *person.Consent) error {
	fs := c.Validate()
	for i, id := range c.StructureIDs {
		st, err := s.store.Structure(r.Context(), id)
		if err != nil || st.TerritoryID != rc.p.TerritoryID {
			fs.Add(fmt.Sprintf("structure_ids[%d]", i), "Structure inconnue dans ce territoire.")
		}
	}
	if err := fs.Err(); err != nil {
		return err
	}
	return s.store.AddConsent(r.Context(), c, s.actor(rc))
}

func (s *Server) apiObjection(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionConsents, "update")
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.object(r, rc, in.Reason); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// object records the person's objection to sharing.
func (s *Server) object(r *http.Request, rc *record, reason string) error {
	if d := access.Object(rc.av, rc.rec); !d.Allowed {
		return s.deny(r, rc, person.SectionConsents, "update", d)
	}
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > 2000 {
		return problem.InvalidFields("Motif trop long.", problem.Field{Field: "reason", Message: "2 000 caractères au plus."})
	}
	if !rc.p.ObjectionAt.IsZero() {
		return problem.New(problem.Conflict, "L'opposition de cette personne est déjà enregistrée.")
	}
	return s.store.RecordObjection(r.Context(), rc.p.ID, reason, s.actor(rc))
}

type apiAccess struct {
	At           time.Time `json:"at"`
	AccountEmail string    `json:"account_email"`
	Structure    string    `json:"structure"`
	Action       string    `json:"action"`
	Section      string    `json:"section"`
	Outcome      string    `json:"outcome"`
}

func (s *Server) apiAccessLog(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionAccessLog, "read")
	if err != nil {
		return err
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("cursor"), 10, 64)
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if limit <= 0 || limit > 200 {
		limit = 100
	}
	items, next, err := s.store.AccessLog(r.Context(), rc.p.ID, before, limit)
	if err != nil {
		return err
	}
	out := list[apiAccess]{Items: []apiAccess{}, NextCursor: next}
	for _, it := range items {
		out.Items = append(out.Items, apiAccess{it.At.UTC(), it.AccountEmail, it.Structure, it.Action, it.Section, it.Outcome})
	}
	return writeJSON(w, http.StatusOK, out)
}

type apiProject struct {
	TargetJobs     []string `json:"target_jobs"`
	Experience     string   `json:"experience"`
	Skills         string   `json:"skills"`
	AvailableFrom  string   `json:"available_from"`
	HoursWanted    int      `json:"hours_wanted"`
	DrivingLicence bool     `json:"driving_licence"`
	Vehicle        bool     `json:"vehicle"`
	MobilityKm     int      `json:"mobility_km"`
}

func projectJSON(pr person.Project) apiProject {
	out := apiProject{TargetJobs: pr.TargetJobs, Experience: pr.Experience, Skills: pr.Skills,
		AvailableFrom: formatDate(pr.AvailableFrom), HoursWanted: pr.HoursWanted, DrivingLicence: pr.DrivingLicence,
		Vehicle: pr.Vehicle, MobilityKm: pr.MobilityKm}
	if out.TargetJobs == nil {
		out.TargetJobs = []string{}
	}
	return out
}

func (s *Server) apiProject(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionProject, "read")
	if err != nil {
		return err
	}
	pr, err := s.store.Project(r.Context(), rc.p.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, projectJSON(pr))
}

// saveProject validates and writes the professional project.
func (s *Server) saveProject(r *http.Request, rc *record, pr *person.Project) error {
	pr.PersonID = rc.p.ID
	if err := pr.Validate(s.cfg.Referential).Err(); err != nil {
		return err
	}
	return s.store.SaveProject(r.Context(), pr, s.actor(rc))
}

func (s *Server) apiPutProject(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionProject, "update")
	if err != nil {
		return err
	}
	var in apiProject
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var fs problem.Fields
	pr := person.Project{TargetJobs: in.TargetJobs, Experience: in.Experience, Skills: in.Skills,
		AvailableFrom: parseDate(&fs, "available_from", in.AvailableFrom), HoursWanted: in.HoursWanted,
		DrivingLicence: in.DrivingLicence, Vehicle: in.Vehicle, MobilityKm: in.MobilityKm}
	if err := fs.Err(); err != nil {
		return err
	}
	if err := s.saveProject(r, rc, &pr); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, projectJSON(pr))
}
