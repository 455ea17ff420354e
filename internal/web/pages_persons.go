package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

// The pages of "my people": the caseload, "is this person known?", the
// registration and the request to join a team. Names and birth dates travel
// in POST bodies only, never in a URL, which browsers keep in their history
// and proxies in their logs; a person is named in URLs by their id.

// caseloadPageSize is the number of people on a page of the caseload.
const caseloadPageSize = 50

// maxJoinReason bounds the reason of a request to join a team.
const maxJoinReason = 1000

// parseForm parses a posted form, with a French message when it is
// unreadable.
func parseForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errBodyTooLarge
		}
		return invalid("Le formulaire est illisible.")
	}
	return nil
}

// formDate reads a date field: the AAAA-MM-JJ of a date input, or the
// JJ/MM/AAAA that a browser without a date picker lets people type.
func formDate(s string) string {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("02/01/2006", s); err == nil {
		return t.Format(dateLayout)
	}
	return s
}

// formField is one field of a form drawn from data: the template writes its
// label, hint, value, options and error message, the message linked to the
// field by aria-describedby.
type formField struct {
	Name, Label, Hint, Type, Value, Error string
	Autocomplete                          string
	List                                  string // the ID of a datalist of suggestions
	Required, Checked                     bool
	Inline                                bool // checkboxes side by side
	Options                               []fieldOption
}

// suggest returns the field with the suggestions of the datalist of ID
// list.
func (f formField) suggest(list string) formField {
	f.List = list
	return f
}

// fieldOption is a choice of a select, of radio buttons or of checkboxes.
type fieldOption struct {
	Value, Label string
	Selected     bool
}

// fieldGroup is a fieldset of a form.
type fieldGroup struct {
	ID, Legend string
	Fields     []formField
}

// errorLink is a line of a form's error summary: the message, and the
// anchor of the field it is about.
type errorLink struct {
	Href, Text string
}

// errorLinks turns field messages into the lines of an error summary.
// anchors maps a field name to the id of its control and its label; a field
// not listed links to the id of its own name.
func errorLinks(fs problem.Fields, anchors map[string][2]string) []errorLink {
	out := make([]errorLink, 0, len(fs))
	for _, f := range fs {
		id, label := f.Field, ""
		if a, ok := anchors[f.Field]; ok {
			id, label = a[0], a[1]
		}
		text := f.Message
		if label != "" {
			text = label + " : " + f.Message
		}
		out = append(out, errorLink{Href: "#" + id, Text: text})
	}
	return out
}

// anchorsOf lists the fields of a form for errorLinks.
func anchorsOf(groups []fieldGroup) map[string][2]string {
	m := map[string][2]string{}
	for _, g := range groups {
		for _, f := range g.Fields {
			m[f.Name] = [2]string{f.Name, f.Label}
		}
	}
	return m
}

// options turns a closed list into choices, with an empty first one.
func options(list []person.Option, empty, selected string) []fieldOption {
	out := []fieldOption{{Value: "", Label: empty, Selected: selected == ""}}
	for _, o := range list {
		out = append(out, fieldOption{Value: o.Code, Label: o.Label, Selected: o.Code == selected})
	}
	return out
}

// --- Caseload ---------------------------------------------------------

type personsPage struct {
	page
	Items    []store.CaseloadItem
	Query    string
	Referent bool
	Cursor   string // of the page shown, "" for the first
	Next     string
	Filtered bool
	Fields   problem.Fields
}

func (s *Server) personsPage(w http.ResponseWriter, r *http.Request) error {
	f := store.CaseloadFilter{ReferentOnly: r.URL.Query().Get("referent") == "1"}
	return s.renderPersons(w, r, http.StatusOK, f, nil)
}

// searchPersons filters the caseload by name: a POST, so that the name
// stays out of the address bar, the history and the proxies' logs. The next
// page is asked the same way, since the cursor holds a name key too.
func (s *Server) searchPersons(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := store.CaseloadFilter{Query: strings.TrimSpace(r.PostFormValue("q")), ReferentOnly: r.PostFormValue("referent") == "1",
		Cursor: r.PostFormValue("curseur")}
	if utf8.RuneCountInString(f.Query) > person.MaxNameLen {
		var fs problem.Fields
		fs.Add("q", fmt.Sprintf("Saisissez %d caractères au plus.", person.MaxNameLen))
		f.Query, f.Cursor = "", ""
		return s.renderPersons(w, r, http.StatusBadRequest, f, fs)
	}
	return s.renderPersons(w, r, http.StatusOK, f, nil)
}

func (s *Server) renderPersons(w http.ResponseWriter, r *http.Request, status int, f store.CaseloadFilter, fs problem.Fields) error {
	f.Limit = caseloadPageSize
	items, next, err := s.caseload(r, f)
	if err != nil {
		return err
	}
	data := &personsPage{page: s.page(r, "Mes personnes accompagnées"), Items: items, Query: f.Query, Referent: f.ReferentOnly,
		Cursor: f.Cursor, Next: next, Filtered: f.Query != "" || f.ReferentOnly, Fields: fs}
	s.render(w, r, status, "persons", data)
	return nil
}

// --- Is this person known? -------------------------------------------

type lookupPage struct {
	page
	Fields                                                     problem.Fields
	Errors                                                     []errorLink
	FirstName, LastName, BirthDate, CAFNumber, FranceTravailID string
	Answered, Known, Conflict                                  bool
	Followers                                                  []followerRow
	Referent                                                   string // the structure of the référent
	Files                                                      []knownFile
	CanRegister                                                bool
}

type followerRow struct {
	Name, Kind string
	Referent   bool
}

// knownFile is a person found: the viewer may open the record (already in
// the team) or ask to join its team. Nothing of the file is shown.
type knownFile struct {
	ID              int64
	InTeam, CanJoin bool
}

var lookupAnchors = map[string][2]string{
	"first_name":        {"first_name", "Prénom"},
	"last_name":         {"last_name", "Nom"},
	"birth_date":        {"birth_date", "Date de naissance"},
	"caf_number":        {"caf_number", "Numéro d'allocataire CAF ou MSA"},
	"france_travail_id": {"france_travail_id", "Identifiant France Travail"},
}

func (s *Server) lookupPage(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "lookup", &lookupPage{page: s.page(r, "Cette personne est-elle déjà connue ?")})
	return nil
}

func (s *Server) lookupCheck(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	data := &lookupPage{page: s.page(r, "Cette personne est-elle déjà connue ?"),
		FirstName: strings.TrimSpace(r.PostFormValue("first_name")), LastName: strings.TrimSpace(r.PostFormValue("last_name")),
		BirthDate: strings.TrimSpace(r.PostFormValue("birth_date")), CAFNumber: strings.TrimSpace(r.PostFormValue("caf_number")),
		FranceTravailID: strings.TrimSpace(r.PostFormValue("france_travail_id"))}
	var fs problem.Fields
	probe := person.Person{FirstName: data.FirstName, LastName: data.LastName, CAFNumber: data.CAFNumber,
		FranceTravailID: data.FranceTravailID, BirthDate: parseDate(&fs, "birth_date", formDate(data.BirthDate))}
	probe.Normalize()
	identity := probe.FirstName != "" && probe.LastName != "" && !probe.BirthDate.IsZero()
	if len(fs) == 0 && !identity && probe.CAFNumber == "" && probe.FranceTravailID == "" {
		fs.Add("first_name", "Indiquez prénom, nom et date de naissance, ou un numéro CAF, ou un identifiant France Travail.")
	}
	if len(fs) > 0 {
		data.Fields, data.Errors = fs, errorLinks(fs, lookupAnchors)
		s.render(w, r, http.StatusBadRequest, "lookup", data)
		return nil
	}
	ans, err := s.whoKnows(r, probe)
	if err != nil {
		return err
	}
	if err := s.fillKnown(r, data, ans); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "lookup", data)
	return nil
}

// whoKnows asks "is this person known?" by identity, then by CAF number,
// then by France Travail id, as registration does, stopping at the first
// answer that knows them. Each question is audited by lookup.
func (s *Server) whoKnows(r *http.Request, p person.Person) (knownAnswer, error) {
	var ans knownAnswer
	var err error
	if p.FirstName != "" && p.LastName != "" && !p.BirthDate.IsZero() {
		if ans, err = s.lookup(r, p.FirstName, p.LastName, p.BirthDate, "", ""); err != nil || ans.Known {
			return ans, err
		}
	}
	if p.CAFNumber != "" {
		if ans, err = s.lookup(r, "", "", time.Time{}, p.CAFNumber, ""); err != nil || ans.Known {
			return ans, err
		}
	}
	if p.FranceTravailID != "" {
		if ans, err = s.lookup(r, "", "", time.Time{}, "", p.FranceTravailID); err != nil || ans.Known {
			return ans, err
		}
	}
	return ans, nil
}

// fillKnown puts the answer on the page: the structures that follow the
// person, and for each file found whether the viewer is already in its team
// or may ask to join it.
func (s *Server) fillKnown(r *http.Request, data *lookupPage, ans knownAnswer) error {
	ctx := r.Context()
	v := viewerOf(ctx)
	data.Answered, data.Known = true, ans.Known
	data.CanRegister = access.Register(accessViewer(v), s.territory(ctx).ID).Allowed
	for _, f := range ans.followers {
		data.Followers = append(data.Followers, followerRow{Name: f.StructureName, Kind: territory.Kind(f.StructureKind).Label(), Referent: f.Referent})
		if f.Referent {
			data.Referent = f.StructureName
		}
	}
	t := s.territory(ctx)
	for _, id := range ans.ids {
		team, err := s.store.Team(ctx, id)
		if err != nil {
			return err
		}
		d := access.RequestJoin(accessViewer(v), access.Record{PersonID: id, TerritoryID: t.ID, Team: team})
		data.Files = append(data.Files, knownFile{ID: id, CanJoin: d.Allowed, InTeam: d.Reason == access.ReasonAlreadyInTeam})
	}
	return nil
}

// --- Registration ----------------------------------------------------

type personFormPage struct {
	page
	New      bool
	PersonID int64
	Heading  string
	Action   string
	Groups   []fieldGroup
	Errors   []errorLink
	Alert    string
}

// personFields are the fields of the identity form, filled from vals and
// with the messages of fs. RQTH is health data: only asked when withRQTH.
func (s *Server) personFields(r *http.Request, vals url.Values, fs problem.Fields, withRQTH bool) []fieldGroup {
	text := func(name, label, hint, typ, autocomplete string, required bool) formField {
		return formField{Name: name, Label: label, Hint: hint, Type: typ, Value: vals.Get(name), Error: fs.For(name),
			Autocomplete: autocomplete, Required: required}
	}
	choice := func(name, label, typ string, list []person.Option, empty string) formField {
		return formField{Name: name, Label: label, Type: typ, Error: fs.For(name), Options: options(list, empty, vals.Get(name))}
	}
	check := func(name, label, hint string) formField {
		return formField{Name: name, Label: label, Hint: hint, Type: "checkbox", Checked: vals.Get(name) == "1", Error: fs.For(name)}
	}
	sex := formField{Name: "sex", Label: "Sexe", Type: "radio", Error: fs.For("sex"), Options: []fieldOption{
		{Value: "F", Label: "Femme", Selected: vals.Get("sex") == "F"},
		{Value: "M", Label: "Homme", Selected: vals.Get("sex") == "M"},
		{Value: "", Label: "Non renseigné", Selected: vals.Get("sex") == ""},
	}}
	groups := []fieldGroup{
		{ID: "identite", Legend: "Identité", Fields: []formField{
			text("first_name", "Prénom", "", "text", "off", true),
			text("last_name", "Nom d'usage", "", "text", "off", true),
			text("birth_name", "Nom de naissance", "S'il diffère du nom d'usage", "text", "off", false),
			text("birth_date", "Date de naissance", "Format attendu : JJ/MM/AAAA", "date", "off", true),
			sex,
		}},
		{ID: "coordonnees", Legend: "Coordonnées", Fields: []formField{
			text("address", "Adresse", "Numéro et voie, complément", "text", "off", false),
			{Name: "commune_insee", Label: "Commune", Type: "select", Error: fs.For("commune_insee"), Options: s.communeOptions(r, vals.Get("commune_insee"))},
			text("email", "Adresse électronique", "Format attendu : nom@domaine.fr", "email", "off", false),
			text("phone", "Téléphone", "Exemple : 06 12 34 56 78", "tel", "off", false),
		}},
		{ID: "identifiants", Legend: "Identifiants", Fields: []formField{
			text("caf_number", "Numéro d'allocataire CAF ou MSA", "De 7 à 15 chiffres", "text", "off", false),
			text("france_travail_id", "Identifiant France Travail", "8 ou 11 caractères, par exemple 1234567A", "text", "off", false),
		}},
		{ID: "statuts", Legend: "Situation administrative et professionnelle", Fields: []formField{
			choice("rsa_right", "Droit au RSA", "select", person.RSARightOptions, "Non renseigné"),
			text("rsa_opened_on", "Date d'ouverture du droit au RSA", "Format attendu : JJ/MM/AAAA", "date", "off", false),
			check("long_term_unemployed", "Demandeur d'emploi de longue durée (DELD)", "Inscrit depuis plus d'un an"),
			choice("education_level", "Niveau de formation", "select", person.EducationLevelOptions, "Non renseigné"),
			choice("work_situation", "Situation professionnelle", "select", person.WorkSituationOptions, "Non renseignée"),
		}},
	}
	if withRQTH {
		groups = append(groups, fieldGroup{ID: "sante", Legend: "Santé", Fields: []formField{
			check("rqth", "Reconnaissance de la qualité de travailleur handicapé (RQTH)",
				"Donnée de santé : seuls le référent et les structures habilitées la voient."),
		}})
	}
	return groups
}

// communeOptions are the communes of the territory by name, and the
// current one when it lies outside, so that saving the form keeps it.
func (s *Server) communeOptions(r *http.Request, current string) []fieldOption {
	out := []fieldOption{{Value: "", Label: "Non renseignée", Selected: current == ""}}
	found := current == ""
	for _, c := range s.cfg.Referential.CommunesIn(s.territory(r.Context()).Code) {
		sel := strings.EqualFold(c.INSEE, current)
		found = found || sel
		out = append(out, fieldOption{Value: c.INSEE, Label: c.Name + " (" + c.INSEE + ")", Selected: sel})
	}
	if !found {
		label := current
		if c, ok := s.cfg.Referential.Commune(current); ok {
			label = c.Name + " (" + c.INSEE + ")"
		}
		out = append(out, fieldOption{Value: current, Label: label, Selected: true})
	}
	return out
}

// personValues are the form values of a person.
func personValues(p person.Person) url.Values {
	flag := func(b bool) string {
		if b {
			return "1"
		}
		return ""
	}
	return url.Values{
		"first_name": {p.FirstName}, "last_name": {p.LastName}, "birth_name": {p.BirthName},
		"birth_date": {formatDate(p.BirthDate)}, "sex": {p.Sex}, "address": {p.Address}, "commune_insee": {p.CommuneINSEE},
		"email": {p.Email}, "phone": {p.Phone}, "caf_number": {p.CAFNumber}, "france_travail_id": {p.FranceTravailID},
		"rsa_right": {p.RSARight}, "rsa_opened_on": {formatDate(p.RSAOpenedOn)}, "long_term_unemployed": {flag(p.LongTermUnemployed)},
		"education_level": {p.EducationLevel}, "work_situation": {p.WorkSituation}, "rqth": {flag(p.RQTH)},
	}
}

// personInputOf reads the identity form: every field is set, as a form
// sends them all; RQTH only when the form asked it.
func personInputOf(form url.Values, withRQTH bool) personInput {
	str := func(name string) *string {
		v := form.Get(name)
		return &v
	}
	flag := func(name string) *bool {
		b := form.Get(name) == "1"
		return &b
	}
	date := func(name string) *string {
		v := formDate(form.Get(name))
		return &v
	}
	in := personInput{FirstName: str("first_name"), LastName: str("last_name"), BirthName: str("birth_name"),
		BirthDate: date("birth_date"), Sex: str("sex"), Email: str("email"), Phone: str("phone"), Address: str("address"),
		CommuneINSEE: str("commune_insee"), CAFNumber: str("caf_number"), FranceTravailID: str("france_travail_id"),
		RSARight: str("rsa_right"), RSAOpenedOn: date("rsa_opened_on"), LongTermUnemployed: flag("long_term_unemployed"),
		EducationLevel: str("education_level"), WorkSituation: str("work_situation")}
	if withRQTH {
		in.RQTH = flag("rqth")
	}
	return in
}

func (s *Server) renderPersonForm(w http.ResponseWriter, r *http.Request, status int, data *personFormPage, vals url.Values, fs problem.Fields, withRQTH bool) {
	data.Groups = s.personFields(r, vals, fs, withRQTH)
	data.Errors = errorLinks(fs, anchorsOf(data.Groups))
	s.render(w, r, status, "person_form", data)
}

func (s *Server) newPersonForm(r *http.Request) *personFormPage {
	return &personFormPage{page: s.page(r, "Inscrire une personne"), New: true, Heading: "Inscrire une personne", Action: "/personnes"}
}

func (s *Server) newPersonPage(w http.ResponseWriter, r *http.Request) error {
	s.renderPersonForm(w, r, http.StatusOK, s.newPersonForm(r), url.Values{}, nil, false)
	return nil
}

// newPersonPrefilled is the registration form filled with the identity
// just found unknown, posted from the answer to "is this person known?".
func (s *Server) newPersonPrefilled(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	vals := url.Values{}
	for _, k := range []string{"first_name", "last_name", "birth_date", "caf_number", "france_travail_id"} {
		vals.Set(k, strings.TrimSpace(r.PostFormValue(k)))
	}
	s.renderPersonForm(w, r, http.StatusOK, s.newPersonForm(r), vals, nil, false)
	return nil
}

// createPersonPage registers a person. A person already known is not
// registered twice: the answer names the structures that follow them and
// offers to ask to join their team.
func (s *Server) createPersonPage(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	var fs problem.Fields
	var p person.Person
	personInputOf(r.PostForm, false).apply(&p, &fs)
	if len(fs) == 0 {
		err := s.register(r, &p)
		pe, ok := problem.As(err)
		switch {
		case err == nil:
			to := "/personnes/" + strconv.FormatInt(p.ID, 10)
			if !viewerOf(r.Context()).Account.HasRole(account.RoleProfessional) {
				to = "/personnes/verifier" // a coordinator registers but follows no one
			}
			s.redirectWithFlash(w, r, to, "person-registered")
			return nil
		case ok && pe.Kind == problem.Conflict:
			return s.renderKnown(w, r, p)
		case ok && pe.Kind == problem.Invalid && len(pe.Fields) > 0:
			fs = pe.Fields
		default:
			return err
		}
	}
	s.renderPersonForm(w, r, http.StatusBadRequest, s.newPersonForm(r), r.PostForm, fs, false)
	return nil
}

// renderKnown answers a registration refused because the person is known.
func (s *Server) renderKnown(w http.ResponseWriter, r *http.Request, p person.Person) error {
	ans, err := s.whoKnows(r, p)
	if err != nil {
		return err
	}
	data := &lookupPage{page: s.page(r, "Cette personne est déjà connue"), Conflict: true, FirstName: p.FirstName,
		LastName: p.LastName, BirthDate: formatDate(p.BirthDate), CAFNumber: p.CAFNumber, FranceTravailID: p.FranceTravailID}
	if err := s.fillKnown(r, data, ans); err != nil {
		return err
	}
	data.Known = true // the store refused a duplicate even if the lookup now misses it
	s.render(w, r, http.StatusConflict, "lookup", data)
	return nil
}

// --- Join requests ---------------------------------------------------

// requestJoin records the viewer's request to join a person's team. The
// viewer is not in the team, so the record is loaded without being read,
// and the policy's RequestJoin decides; asking opens nothing.
func (s *Server) requestJoin(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := viewerOf(ctx)
	if err := parseForm(r); err != nil {
		return err
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return problem.InvalidFields("La demande n'a pas été envoyée.",
			problem.Field{Field: "Motif de la demande", Message: "Indiquez pourquoi vous accompagnez cette personne : le référent décide sur ce motif."})
	case n > maxJoinReason:
		return problem.InvalidFields("La demande n'a pas été envoyée.",
			problem.Field{Field: "Motif de la demande", Message: fmt.Sprintf("Le motif ne doit pas dépasser %d caractères.", maxJoinReason)})
	}
	// An unknown id, or a person of another territory, gets the very answer
	// of a request sent: trying ids one by one tells nobody which exist.
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return errUnknownPerson
	}
	rc, err := s.loadRecordID(r, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && rc.p.TerritoryID != s.territory(ctx).ID) {
		e := s.auditEntry(v, actingStructure(v, nil, 0), id, string(person.SectionTeam), "create", access.Decision{Reason: "unknown person"})
		if err := s.store.Audit(ctx, e); err != nil {
			return err
		}
		s.redirectWithFlash(w, r, "/personnes", "join-requested")
		return nil
	}
	if err != nil {
		return err
	}
	if d := access.RequestJoin(rc.av, rc.rec); !d.Allowed {
		if d.Reason == access.ReasonAlreadyInTeam {
			return problem.New(problem.Conflict, "Vous faites déjà partie de l'équipe de suivi de cette personne.")
		}
		return s.deny(r, rc, person.SectionTeam, "create", d)
	}
	jr := person.JoinRequest{PersonID: rc.p.ID, Reason: reason}
	if err := s.store.CreateJoinRequest(ctx, &jr, s.actor(rc)); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return problem.New(problem.Conflict, "Vous avez déjà demandé à rejoindre cette équipe de suivi : le référent n'a pas encore répondu.")
		}
		return err
	}
	s.redirectWithFlash(w, r, "/personnes", "join-requested")
	return nil
}
