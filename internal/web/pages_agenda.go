package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/appointment"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

// Agendas, their slots and the territory's appointment types: the pages
// where a professional, or a structure for its front desk and collective
// sessions, publishes its availability (weekly opening hours, exceptions,
// places), the week view of an agenda with its appointments and free
// seats, the administration of the appointment types, and their API.
// access.ManageAgenda decides who keeps an agenda: its owner, the
// structure's professionals for a shared one, the structure's managers for
// all of them.

// Bounds of the appointment types, the invitations and the agenda forms.
const (
	maxTypeLabelLen   = 100
	minTypeDuration   = 10
	maxTypeDuration   = 240
	maxTypeCapacity   = 200
	minInvitationDays = 1
	maxInvitationDays = 60
	maxSlotDays       = 62 // days of slots one request of the API computes at most
	gridRanges        = 2  // time ranges per weekday in the grid of the form
	// maxGridRows is how many ranges of a weekday the form reads at most:
	// as many as non-overlapping ranges of the shortest type fit in a day.
	maxGridRows      = 24 * 60 / minTypeDuration
	maxPlaceLabelLen = 200
	maxPlaceTextLen  = 500
	maxAgendaPlaces  = 20
	maxAgendaRules   = 500
	maxAgendaExcs    = 1000
)

var errUnknownAgenda = notFound("Cet agenda n'existe pas, ou ne vous est pas accessible.")

// --- Times, weekdays, labels -------------------------------------------------

// parseClock reads a time of day as people type it: "09:00", "9:00", "9h",
// "9h30", "9 h 30". An end may be "24:00", the midnight that ends the day.
// It returns minutes after midnight.
func parseClock(s string, end bool) (int, bool) {
	s = strings.Replace(strings.ToLower(strings.Join(strings.Fields(s), "")), "h", ":", 1)
	hh, mm, _ := strings.Cut(s, ":")
	if mm == "" {
		mm = "00"
	}
	if len(hh) < 1 || len(hh) > 2 || len(mm) != 2 {
		return 0, false
	}
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 {
		return 0, false
	}
	switch {
	case h < 24:
		return h*60 + m, true
	case end && h == 24 && m == 0:
		return 24 * 60, true
	}
	return 0, false
}

// clockValue writes minutes after midnight as "09:00", the value of a time
// field and of the API; the end of the day is "24:00".
func clockValue(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// clockShort writes minutes after midnight as the pages show them: "9h00".
func clockShort(m int) string { return fmt.Sprintf("%dh%02d", m/60, m%60) }

// isoWeekday is the ISO 8601 number of a weekday: 1 for Monday … 7 for
// Sunday, as the API writes weekdays.
func isoWeekday(wd time.Weekday) int { return (int(wd)+6)%7 + 1 }

// goWeekday is the weekday of an ISO 8601 number (1 Monday … 7 Sunday).
func goWeekday(iso int) time.Weekday { return time.Weekday(iso % 7) }

// weekdayLabels are the French names of the ISO weekdays.
var weekdayLabels = [...]string{"", "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"}

// capitalized puts a capital to a French sentence's first letter.
func capitalized(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}

// uncapitalized lowers the first letter of a label to put it after a
// comma.
func uncapitalized(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToLower(string(r)) + s[n:]
}

// typeText describes an appointment type: "Accompagnement (30 min)",
// "Information collective (90 min, 12 places)".
func typeText(t appointment.Type) string {
	if t.Label == "" {
		return "Motif supprimé"
	}
	s := t.Label + " (" + strconv.Itoa(t.DurationMin) + " min"
	if t.Capacity > 1 {
		s += ", " + strconv.Itoa(t.Capacity) + " places"
	}
	return s + ")"
}

// categoryLabel is the French label of a category of appointment types.
func categoryLabel(c appointment.Category) string {
	for _, o := range appointment.CategoryOptions {
		if o.Code == string(c) {
			return o.Label
		}
	}
	return string(c)
}

// placeKindOptions are the kinds of places with their French labels.
var placeKindOptions = []fieldOption{
	{Value: string(appointment.PlaceAddress), Label: "À une adresse"},
	{Value: string(appointment.PlacePhone), Label: "Par téléphone"},
	{Value: string(appointment.PlaceVideo), Label: "En visio"},
}

// placeText describes a place: its label, then where or how.
func (s *Server) placeText(p appointment.Place) string {
	var parts []string
	if p.Address != "" {
		parts = append(parts, p.Address)
	}
	if p.CommuneINSEE != "" {
		parts = append(parts, s.communeLabel(p.CommuneINSEE))
	}
	where := strings.Join(parts, ", ")
	if p.Kind == appointment.PlaceVideo && p.Details != "" {
		where = p.Details
	}
	if where == "" || where == p.Label {
		return p.Label
	}
	return p.Label + " — " + where
}

// defaultPlaceLabel names a place given without a label as the person will
// read it.
func (s *Server) defaultPlaceLabel(p appointment.Place) string {
	switch p.Kind {
	case appointment.PlacePhone:
		return "Par téléphone"
	case appointment.PlaceVideo:
		return "En visio"
	}
	if p.Address != "" {
		return p.Address
	}
	if p.CommuneINSEE != "" {
		return s.communeLabel(p.CommuneINSEE)
	}
	return ""
}

// checkPlaceTexts bounds the texts of a place; field names a part of it.
func checkPlaceTexts(fs *problem.Fields, p appointment.Place, field func(attr string) string) {
	for _, c := range []struct {
		attr, value string
		max         int
	}{{"label", p.Label, maxPlaceLabelLen}, {"address", p.Address, maxPlaceTextLen}, {"details", p.Details, maxPlaceTextLen}} {
		if utf8.RuneCountInString(c.value) > c.max {
			fs.Add(field(c.attr), fmt.Sprintf("Saisissez %d caractères au plus.", c.max))
		}
	}
}

// --- Who keeps agendas ------------------------------------------------------

// agendaStructure is a structure of the territory whose agendas the viewer
// keeps: as a professional (its own agenda and the shared ones), as a
// manager (all of them), or both.
type agendaStructure struct {
	ID                    int64
	Name                  string
	Professional, Manager bool
}

// agendaStructures are the structures of the territory where the viewer
// works as a professional or a manager.
func agendaStructures(v *viewer, territoryID int64) []agendaStructure {
	var out []agendaStructure
	for _, m := range v.Account.Memberships {
		if m.TerritoryID != territoryID || (m.Role != account.RoleProfessional && m.Role != account.RoleStructureManager) {
			continue
		}
		i := slices.IndexFunc(out, func(a agendaStructure) bool { return a.ID == m.StructureID })
		if i < 0 {
			out = append(out, agendaStructure{ID: m.StructureID, Name: m.StructureName})
			i = len(out) - 1
		}
		if m.Role == account.RoleProfessional {
			out[i].Professional = true
		} else {
			out[i].Manager = true
		}
	}
	return out
}

// agendaKeeper checks that the viewer keeps agendas in the territory.
func (s *Server) agendaKeeper(r *http.Request) (territory.Territory, []agendaStructure, error) {
	t := s.territory(r.Context())
	sts := agendaStructures(viewerOf(r.Context()), t.ID)
	if len(sts) == 0 {
		return t, nil, forbidden("Les agendas sont tenus par les professionnels et les gestionnaires des structures.")
	}
	return t, sts, nil
}

// canManageAgenda reports whether the viewer may change the agenda and see
// its appointments (access.ManageAgenda).
func canManageAgenda(v *viewer, ag appointment.Agenda) bool {
	return access.ManageAgenda(accessViewer(v), ag.StructureID, ag.AccountID).Allowed
}

// managedAgenda returns the agenda of the path for a viewer who manages it;
// any other is not found, exactly like an agenda that does not exist.
func (s *Server) managedAgenda(r *http.Request) (appointment.Agenda, error) {
	id, ok := pathID(r, "id")
	if !ok {
		return appointment.Agenda{}, errUnknownAgenda
	}
	ag, err := s.store.Agenda(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || err == nil && !canManageAgenda(viewerOf(r.Context()), ag) {
		return appointment.Agenda{}, errUnknownAgenda
	}
	return ag, err
}

// agendaTypes returns the territory's appointment types, listed and by ID.
func (s *Server) agendaTypes(ctx context.Context, territoryID int64) ([]appointment.Type, map[int64]appointment.Type, error) {
	ts, err := s.store.AppointmentTypes(ctx, territoryID)
	if err != nil {
		return nil, nil, err
	}
	m := make(map[int64]appointment.Type, len(ts))
	for _, t := range ts {
		m[t.ID] = t
	}
	return ts, m, nil
}

// checkOwner checks who an agenda of the structure is for: the structure
// itself (owner 0), the viewer when a professional of it, or, for its
// managers, one of its professionals; and that the viewer may keep it.
// The messages name the fields structureField and ownerField.
func (s *Server) checkOwner(ctx context.Context, v *viewer, sts []agendaStructure, structureID, owner int64, fs *problem.Fields,
	structureField, ownerField string) error {
	if !slices.ContainsFunc(sts, func(st agendaStructure) bool { return st.ID == structureID }) {
		fs.Add(structureField, "Choisissez une structure où vous travaillez comme professionnel ou gestionnaire.")
		return nil
	}
	ok := owner == 0
	if !ok {
		pros, err := s.store.Professionals(ctx, structureID)
		if err != nil {
			return err
		}
		ok = slices.ContainsFunc(pros, func(a store.AccountSummary) bool { return a.ID == owner })
	}
	if !ok || !access.ManageAgenda(accessViewer(v), structureID, owner).Allowed {
		fs.Add(ownerField, "Choisissez la structure (agenda partagé), vous-même si vous y êtes professionnel, ou, si vous en êtes gestionnaire, un de ses professionnels.")
	}
	return nil
}

// validateAgendaInto adds to fs the messages of appointment.ValidateAgenda,
// with their fields renamed, but none about a field fs already speaks of:
// "this time cannot be read" says more than "this time is out of the day".
func validateAgendaInto(fs problem.Fields, a appointment.Agenda, types map[int64]appointment.Type, rename func(string) string) problem.Fields {
	mine := map[string]bool{}
	for _, f := range fs {
		mine[f.Field] = true
	}
	// A place not yet saved is named by -(its index + 1), as SaveAgenda
	// reads it.
	a.Places = slices.Clone(a.Places)
	for i := range a.Places {
		if a.Places[i].ID == 0 {
			a.Places[i].ID = int64(-(i + 1))
		}
	}
	for _, f := range appointment.ValidateAgenda(a, types) {
		if name := rename(f.Field); !mine[name] {
			fs = append(fs, problem.Field{Field: name, Message: f.Message})
		}
	}
	return fs
}

// --- The list of agendas ------------------------------------------------------

type agendaRow struct {
	ID                         int64
	Name, Owner, Hours, Places string
	Active                     bool
}

type agendaGroup struct {
	Structure string
	Rows      []agendaRow
}

type agendasPageData struct {
	page
	Groups []agendaGroup
}

func (s *Server) agendasPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, sts, err := s.agendaKeeper(r)
	if err != nil {
		return err
	}
	v := viewerOf(ctx)
	ids := make([]int64, len(sts))
	for i, st := range sts {
		ids[i] = st.ID
	}
	ags, err := s.store.Agendas(ctx, store.AgendaFilter{TerritoryID: t.ID, StructureIDs: ids})
	if err != nil {
		return err
	}
	names := accountNames{s: s, ctx: ctx}
	data := &agendasPageData{page: s.page(r, "Agendas")}
	for _, st := range sts {
		g := agendaGroup{Structure: st.Name}
		for _, ag := range ags {
			if ag.StructureID != st.ID || !canManageAgenda(v, ag) {
				continue
			}
			row := agendaRow{ID: ag.ID, Name: ag.Name, Active: ag.Active, Owner: "Agenda partagé de la structure"}
			if ag.AccountID != 0 {
				row.Owner = names.name(ag.AccountID)
				if ag.AccountID == v.Account.ID {
					row.Owner += " (vous)"
				}
			}
			var isos []int
			for _, ru := range ag.Rules {
				if iso := isoWeekday(ru.Weekday); !slices.Contains(isos, iso) {
					isos = append(isos, iso)
				}
			}
			slices.Sort(isos)
			var days []string
			for _, iso := range isos {
				days = append(days, weekdayLabels[iso])
			}
			row.Hours = "Aucune plage d'ouverture"
			if len(ag.Rules) > 0 {
				row.Hours = strconv.Itoa(len(ag.Rules)) + " plage" + plural(len(ag.Rules), "", "s") + " : " + strings.ToLower(strings.Join(days, ", "))
			}
			var places []string
			for _, p := range ag.Places {
				places = append(places, p.Label)
			}
			row.Places = strings.Join(places, " ; ")
			g.Rows = append(g.Rows, row)
		}
		data.Groups = append(data.Groups, g)
	}
	s.render(w, r, http.StatusOK, "agendas", data)
	return nil
}

// --- The agenda form: create and edit ----------------------------------------

// agendaRead is the agenda form read into an agenda, with, for each place,
// rule and exception, the form fields that hold it, to name them in the
// messages of appointment.ValidateAgenda.
type agendaRead struct {
	a      appointment.Agenda
	fs     problem.Fields // by form field
	places []string       // field prefix of each place ("lieu-12-")
	rules  []string       // field prefix of each rule ("plage-2-1-")
	excs   []string       // field prefix of each exception ("fermeture-"), or the field of a kept one ("exception-7")
}

// agendaFormSuffixes name the form fields of the parts of an agenda.
var agendaFormSuffixes = map[string]string{"start": "debut", "end": "fin", "type_id": "motif", "place_id": "lieu", "date": "date",
	"reason": "raison", "kind": "type", "label": "libelle", "address": "adresse", "commune_insee": "commune", "details": "details"}

// formField names the form field of a field of appointment.ValidateAgenda
// ("rules[2].start" → "plage-3-1-debut").
func (rd *agendaRead) formField(f string) string {
	if f == "name" {
		return "nom"
	}
	list, rest, ok := strings.Cut(f, "[")
	if !ok {
		return f
	}
	idx, attr, _ := strings.Cut(rest, "].")
	i, err := strconv.Atoi(idx)
	prefixes := map[string][]string{"places": rd.places, "rules": rd.rules, "exceptions": rd.excs}[list]
	if err != nil || i < 0 || i >= len(prefixes) {
		return f
	}
	switch p := prefixes[i]; {
	case list == "rules" && attr == "valid_until":
		return "valide-jusqu-au"
	case list == "rules" && attr == "valid_from":
		return "valide-du"
	case !strings.HasSuffix(p, "-"):
		return p
	default:
		return p + agendaFormSuffixes[attr]
	}
}

// anyFilled reports whether any of the fields holds something.
func anyFilled(vals url.Values, names ...string) bool {
	return slices.ContainsFunc(names, func(n string) bool { return strings.TrimSpace(vals.Get(n)) != "" })
}

// formClock reads a time field; what cannot be read is -1, with a message.
func formClock(fs *problem.Fields, field, v string, end bool) int {
	v = strings.TrimSpace(v)
	if v == "" {
		if end {
			fs.Add(field, "Indiquez l'heure de fin.")
		} else {
			fs.Add(field, "Indiquez l'heure de début.")
		}
		return -1
	}
	m, ok := parseClock(v, end)
	if !ok {
		fs.Add(field, "Heure attendue au format HH:MM (par exemple 09:00).")
		return -1
	}
	return m
}

// readPlaceForm reads the fields of a place named by prefix.
func (s *Server) readPlaceForm(t territory.Territory, vals url.Values, prefix string, id int64, fs *problem.Fields) appointment.Place {
	get := func(n string) string { return strings.TrimSpace(vals.Get(prefix + n)) }
	p := appointment.Place{ID: id, Kind: appointment.PlaceKind(get("type")), Label: get("libelle"), Address: get("adresse"), Details: get("details")}
	if c := get("commune"); c != "" {
		found, msg := s.resolveTypedCommune(t, c)
		if msg != "" {
			fs.Add(prefix+"commune", msg)
		}
		p.CommuneINSEE = found.INSEE
	}
	if p.Label == "" {
		p.Label = s.defaultPlaceLabel(p)
	}
	checkPlaceTexts(fs, p, func(attr string) string { return prefix + agendaFormSuffixes[attr] })
	return p
}

// readAgendaForm reads the agenda form: a new agenda when old is nil (its
// first place is required), else the changes of old (places kept by ID,
// one more place when described, the kept and new exceptions). Territory,
// structure and owner are the caller's.
func (s *Server) readAgendaForm(t territory.Territory, vals url.Values, old *appointment.Agenda) agendaRead {
	var rd agendaRead
	a := &rd.a
	a.Name = strings.TrimSpace(vals.Get("nom"))
	a.Active = old == nil || vals.Get("actif") == "1"
	var existing []appointment.Place
	if old != nil {
		existing = old.Places
	}
	for _, p := range existing {
		prefix := "lieu-" + idStr(p.ID) + "-"
		a.Places = append(a.Places, s.readPlaceForm(t, vals, prefix, p.ID, &rd.fs))
		rd.places = append(rd.places, prefix)
	}
	const np = "lieu-nouveau-"
	added := old == nil || anyFilled(vals, np+"type", np+"libelle", np+"adresse", np+"commune", np+"details")
	newPlace := int64(-(len(existing) + 1)) // SaveAgenda's name of a place it adds
	if added {
		a.Places = append(a.Places, s.readPlaceForm(t, vals, np, 0, &rd.fs))
		rd.places = append(rd.places, np)
	}
	place := func(field string) int64 {
		switch v := vals.Get(field); {
		case v == "nouveau":
			if !added {
				rd.fs.Add(field, "Décrivez le nouveau lieu dans « Ajouter un lieu », ou choisissez un lieu de l'agenda.")
			}
			return newPlace
		case v == "" && len(existing) > 0:
			return existing[0].ID
		case v == "":
			return newPlace
		default:
			id, _ := strconv.ParseInt(v, 10, 64)
			return id
		}
	}
	from := parseDate(&rd.fs, "valide-du", formDate(vals.Get("valide-du")))
	until := parseDate(&rd.fs, "valide-jusqu-au", formDate(vals.Get("valide-jusqu-au")))
	for iso := 1; iso <= 7; iso++ {
		for n := 1; n <= maxGridRows; n++ {
			key := fmt.Sprintf("plage-%d-%d-", iso, n)
			if !anyFilled(vals, key+"debut", key+"fin") {
				continue
			}
			ru := appointment.Rule{Weekday: goWeekday(iso), ValidFrom: from, ValidUntil: until, PlaceID: place(key + "lieu"),
				Start: formClock(&rd.fs, key+"debut", vals.Get(key+"debut"), false),
				End:   formClock(&rd.fs, key+"fin", vals.Get(key+"fin"), true)}
			ru.TypeID, _ = strconv.ParseInt(vals.Get(key+"motif"), 10, 64)
			a.Rules = append(a.Rules, ru)
			rd.rules = append(rd.rules, key)
		}
	}
	if old == nil {
		return rd
	}
	for _, e := range old.Exceptions {
		if slices.Contains(vals["garder"], idStr(e.ID)) {
			a.Exceptions = append(a.Exceptions, e)
			rd.excs = append(rd.excs, "exception-"+idStr(e.ID))
		}
	}
	if anyFilled(vals, "fermeture-date", "fermeture-debut", "fermeture-fin", "fermeture-raison") {
		e := appointment.Exception{Closed: true, Date: parseDate(&rd.fs, "fermeture-date", formDate(vals.Get("fermeture-date"))),
			Reason: strings.TrimSpace(vals.Get("fermeture-raison"))}
		if anyFilled(vals, "fermeture-debut", "fermeture-fin") {
			e.Start = formClock(&rd.fs, "fermeture-debut", vals.Get("fermeture-debut"), false)
			e.End = formClock(&rd.fs, "fermeture-fin", vals.Get("fermeture-fin"), true)
		}
		a.Exceptions = append(a.Exceptions, e)
		rd.excs = append(rd.excs, "fermeture-")
	}
	if anyFilled(vals, "ouverture-date", "ouverture-debut", "ouverture-fin") {
		e := appointment.Exception{Date: parseDate(&rd.fs, "ouverture-date", formDate(vals.Get("ouverture-date"))),
			Start: formClock(&rd.fs, "ouverture-debut", vals.Get("ouverture-debut"), false),
			End:   formClock(&rd.fs, "ouverture-fin", vals.Get("ouverture-fin"), true), PlaceID: place("ouverture-lieu"),
			Reason: strings.TrimSpace(vals.Get("ouverture-raison"))}
		e.TypeID, _ = strconv.ParseInt(vals.Get("ouverture-motif"), 10, 64)
		a.Exceptions = append(a.Exceptions, e)
		rd.excs = append(rd.excs, "ouverture-")
	}
	return rd
}

// saveAgendaForm validates the agenda read from the form and saves it; the
// messages name the form's fields.
func (s *Server) saveAgendaForm(ctx context.Context, rd *agendaRead, by store.Actor) error {
	_, types, err := s.agendaTypes(ctx, rd.a.TerritoryID)
	if err != nil {
		return err
	}
	if err := validateAgendaInto(rd.fs, rd.a, types, rd.formField).Err(); err != nil {
		return err
	}
	return s.store.SaveAgenda(ctx, &rd.a, by)
}

// agendaValues are the form's fields for an agenda as stored.
func (s *Server) agendaValues(ag appointment.Agenda) url.Values {
	v := url.Values{}
	v.Set("nom", ag.Name)
	if ag.Active {
		v.Set("actif", "1")
	}
	for _, p := range ag.Places {
		prefix := "lieu-" + idStr(p.ID) + "-"
		v.Set(prefix+"type", string(p.Kind))
		v.Set(prefix+"libelle", p.Label)
		v.Set(prefix+"adresse", p.Address)
		if p.CommuneINSEE != "" {
			v.Set(prefix+"commune", s.communeWithCode(p.CommuneINSEE))
		}
		v.Set(prefix+"details", p.Details)
	}
	n := map[int]int{}
	for _, ru := range ag.Rules {
		iso := isoWeekday(ru.Weekday)
		n[iso]++
		key := fmt.Sprintf("plage-%d-%d-", iso, n[iso])
		v.Set(key+"debut", clockValue(ru.Start))
		v.Set(key+"fin", clockValue(ru.End))
		v.Set(key+"motif", idStr(ru.TypeID))
		v.Set(key+"lieu", idStr(ru.PlaceID))
	}
	if len(ag.Rules) > 0 {
		v.Set("valide-du", formatDate(ag.Rules[0].ValidFrom))
		v.Set("valide-jusqu-au", formatDate(ag.Rules[0].ValidUntil))
	}
	for _, e := range ag.Exceptions {
		v.Add("garder", idStr(e.ID))
	}
	return v
}

// rangeRow is a time range of the grid: start, end, appointment type, and
// the place when the agenda has several.
type rangeRow struct {
	ID               string
	Legend           string
	Start, End, Type formField
	Place            *formField
}

// dayFieldset is a weekday of the grid.
type dayFieldset struct {
	ID, Legend string
	Ranges     []rangeRow
}

// placeFieldset is a place of the form.
type placeFieldset struct {
	Prefix, Legend, Hint             string
	Kinds                            []fieldOption
	KindError                        string
	Label, Address, Commune, Details formField
}

// exceptionRow is an exception of the agenda, kept while ticked.
type exceptionRow struct {
	ID    int64
	Text  string
	Kept  bool
	Error string
}

// exceptionFieldset is a new closure or opening.
type exceptionFieldset struct {
	Fields []formField
}

type agendaFormPage struct {
	page
	New                   bool
	Heading, Action, Back string
	Errors                []errorLink
	NoTypes               bool
	Name                  formField
	Active                bool
	Structure             formField
	Owner                 formField
	OwnerGroups           []optGroup
	Places                []placeFieldset
	NewPlace              placeFieldset
	Days                  []dayFieldset
	ValidFrom, ValidUntil formField
	ValidityNote          bool
	Exceptions            []exceptionRow
	Closure, Opening      exceptionFieldset
	Communes              []string // suggestions of the commune fields
}

// renderAgendaForm shows the agenda form filled with vals, with the
// messages fs under their fields and in the summary: a new agenda for the
// structures sts when old is nil, else the changes of old.
func (s *Server) renderAgendaForm(w http.ResponseWriter, r *http.Request, status int, t territory.Territory, vals url.Values,
	old *appointment.Agenda, sts []agendaStructure, fs problem.Fields) error {
	ctx := r.Context()
	v := viewerOf(ctx)
	data := &agendaFormPage{New: old == nil}
	if old == nil {
		data.page = s.page(r, "Créer un agenda")
		data.Heading, data.Action, data.Back = "Créer un agenda", "/agendas", "/agendas"
	} else {
		data.page = s.page(r, "Modifier l'agenda")
		data.Heading, data.Action, data.Back = "Modifier « "+old.Name+" »", "/agendas/"+idStr(old.ID), "/agendas/"+idStr(old.ID)
	}
	types, _, err := s.agendaTypes(ctx, t.ID)
	if err != nil {
		return err
	}
	data.NoTypes = len(types) == 0
	anchors := map[string][2]string{}
	field := func(name, label, typ string) formField {
		anchors[name] = [2]string{name, label}
		return formField{Name: name, Label: label, Type: typ, Value: vals.Get(name), Error: fieldMessages(fs, name)}
	}
	typeSelect := func(name, label string) formField {
		f := field(name, label, "select")
		f.Options = []fieldOption{{Value: "", Label: "— Choisir le motif —", Selected: f.Value == ""}}
		for _, ty := range types {
			f.Options = append(f.Options, fieldOption{Value: idStr(ty.ID), Label: typeText(ty), Selected: f.Value == idStr(ty.ID)})
		}
		return f
	}
	var placeOptions []fieldOption
	if old != nil {
		for _, p := range old.Places {
			placeOptions = append(placeOptions, fieldOption{Value: idStr(p.ID), Label: p.Label})
		}
		placeOptions = append(placeOptions, fieldOption{Value: "nouveau", Label: "Le nouveau lieu (rubrique « Ajouter un lieu »)"})
	}
	placeSelect := func(name, label string) *formField {
		f := field(name, label, "select")
		for i, o := range placeOptions {
			o.Selected = f.Value == o.Value || f.Value == "" && i == 0
			f.Options = append(f.Options, o)
		}
		return &f
	}
	placeFields := func(prefix, legend, hint string) placeFieldset {
		what := uncapitalized(legend)
		pf := placeFieldset{Prefix: prefix, Legend: legend, Hint: hint, KindError: fieldMessages(fs, prefix+"type"),
			Label:   field(prefix+"libelle", "Nom du lieu, tel que la personne le lira", "text"),
			Address: field(prefix+"adresse", "Adresse", "text"),
			Commune: field(prefix+"commune", "Commune", "commune"),
			Details: field(prefix+"details", "Précisions, ou lien de la visio", "text")}
		pf.Label.Hint = "Par exemple « Accueil du CCAS » ; par défaut, l'adresse, « Par téléphone » ou « En visio »"
		pf.Commune.Hint = "Nom ou code INSEE"
		pf.Details.Hint = "Étage, accès, pièce à apporter ; pour une visio, le lien en https://"
		anchors[prefix+"type"] = [2]string{prefix + "type", "Type de lieu (" + what + ")"}
		for _, f := range []*formField{&pf.Label, &pf.Address, &pf.Commune, &pf.Details} {
			anchors[f.Name] = [2]string{f.Name, f.Label + " (" + what + ")"}
		}
		for _, o := range placeKindOptions {
			o.Selected = vals.Get(prefix+"type") == o.Value
			pf.Kinds = append(pf.Kinds, o)
		}
		return pf
	}

	data.Name = field("nom", "Nom de l'agenda", "text")
	data.Name.Required = true
	data.Name.Hint = "Par exemple « Permanence de Camille Martin » ou « Accueil du CCAS »"
	data.Active = vals.Get("actif") == "1"
	if old == nil {
		data.Structure = field("structure", "Structure", "select")
		for _, st := range sts {
			data.Structure.Options = append(data.Structure.Options, fieldOption{Value: idStr(st.ID), Label: st.Name,
				Selected: data.Structure.Value == idStr(st.ID)})
		}
		data.Owner = field("proprietaire", "Pour qui", "select")
		shared := optGroup{Label: "Vous ou la structure"}
		if slices.ContainsFunc(sts, func(st agendaStructure) bool { return st.Professional }) {
			shared.Options = append(shared.Options, fieldOption{Value: idStr(v.Account.ID), Label: "Moi-même : mes rendez-vous"})
		}
		shared.Options = append(shared.Options, fieldOption{Value: "0", Label: "La structure : agenda partagé (accueil, informations collectives)"})
		data.OwnerGroups = append(data.OwnerGroups, shared)
		for _, st := range sts {
			if !st.Manager {
				continue
			}
			pros, err := s.store.Professionals(ctx, st.ID)
			if err != nil {
				return err
			}
			g := optGroup{Label: "Professionnels de " + st.Name}
			for _, p := range pros {
				if p.ID != v.Account.ID {
					g.Options = append(g.Options, fieldOption{Value: idStr(p.ID), Label: p.Name})
				}
			}
			if len(g.Options) > 0 {
				data.OwnerGroups = append(data.OwnerGroups, g)
			}
		}
		for gi := range data.OwnerGroups {
			for oi := range data.OwnerGroups[gi].Options {
				o := &data.OwnerGroups[gi].Options[oi]
				o.Selected = o.Value == data.Owner.Value
			}
		}
		data.NewPlace = placeFields("lieu-nouveau-", "Lieu des rendez-vous", "D'autres lieux pourront être ajoutés ensuite.")
	} else {
		for _, p := range old.Places {
			data.Places = append(data.Places, placeFields("lieu-"+idStr(p.ID)+"-", "Lieu « "+p.Label+" »", ""))
		}
		data.NewPlace = placeFields("lieu-nouveau-", "Ajouter un lieu", "Laissez ces champs vides pour ne pas ajouter de lieu.")
	}

	last := func(iso int) int {
		n := 0
		for i := 1; i <= maxGridRows; i++ {
			key := fmt.Sprintf("plage-%d-%d-", iso, i)
			if anyFilled(vals, key+"debut", key+"fin") {
				n = i
			}
		}
		return n
	}
	days := []int{1, 2, 3, 4, 5, 6}
	if last(7) > 0 {
		days = append(days, 7)
	}
	for _, iso := range days {
		day := dayFieldset{ID: "jour-" + strconv.Itoa(iso), Legend: weekdayLabels[iso]}
		for n := 1; n <= max(gridRanges, last(iso)); n++ {
			key := fmt.Sprintf("plage-%d-%d-", iso, n)
			what := weekdayLabels[iso] + ", plage " + strconv.Itoa(n)
			row := rangeRow{ID: strings.TrimSuffix(key, "-"), Legend: "Plage " + strconv.Itoa(n),
				Start: field(key+"debut", "Début", "time"), End: field(key+"fin", "Fin", "time"), Type: typeSelect(key+"motif", "Motif")}
			anchors[key+"debut"] = [2]string{key + "debut", what + ", début"}
			anchors[key+"fin"] = [2]string{key + "fin", what + ", fin"}
			anchors[key+"motif"] = [2]string{key + "motif", what + ", motif"}
			if old != nil {
				row.Place = placeSelect(key+"lieu", "Lieu")
				anchors[key+"lieu"] = [2]string{key + "lieu", what + ", lieu"}
			}
			day.Ranges = append(day.Ranges, row)
		}
		data.Days = append(data.Days, day)
	}
	data.ValidFrom = field("valide-du", "Horaires valables à partir du", "date")
	data.ValidFrom.Hint = "Facultatif : par défaut, dès aujourd'hui"
	data.ValidUntil = field("valide-jusqu-au", "Jusqu'au (inclus)", "date")
	data.ValidUntil.Hint = "Facultatif : par défaut, sans fin"

	if old != nil {
		for i, ru := range old.Rules {
			if i > 0 && (!ru.ValidFrom.Equal(old.Rules[0].ValidFrom) || !ru.ValidUntil.Equal(old.Rules[0].ValidUntil)) {
				data.ValidityNote = true
			}
		}
		_, typeMap, err := s.agendaTypes(ctx, t.ID)
		if err != nil {
			return err
		}
		places := map[int64]string{}
		for _, p := range old.Places {
			places[p.ID] = p.Label
		}
		for _, e := range old.Exceptions {
			id := "exception-" + idStr(e.ID)
			anchors[id] = [2]string{id, "Exception du " + dateText(e.Date)}
			data.Exceptions = append(data.Exceptions, exceptionRow{ID: e.ID, Text: exceptionText(e, typeMap, places),
				Kept: slices.Contains(vals["garder"], idStr(e.ID)), Error: fieldMessages(fs, id)})
		}
		closure := []formField{field("fermeture-date", "Date de la fermeture", "date"), field("fermeture-debut", "De", "time"),
			field("fermeture-fin", "À", "time"), field("fermeture-raison", "Motif de la fermeture", "text")}
		closure[1].Hint, closure[2].Hint = "Vide : toute la journée", "Vide : toute la journée"
		closure[3].Hint = "Par exemple « Formation », « Congés » : pour vous et vos collègues"
		data.Closure = exceptionFieldset{Fields: closure}
		opening := []formField{field("ouverture-date", "Date de l'ouverture", "date"), field("ouverture-debut", "De", "time"),
			field("ouverture-fin", "À", "time"), typeSelect("ouverture-motif", "Motif"), *placeSelect("ouverture-lieu", "Lieu"),
			field("ouverture-raison", "Précision", "text")}
		opening[5].Hint = "Par exemple « Information collective de rentrée »"
		data.Opening = exceptionFieldset{Fields: opening}
	}
	for _, name := range []string{"fermeture-date", "fermeture-debut", "fermeture-fin", "fermeture-raison", "ouverture-date",
		"ouverture-debut", "ouverture-fin", "ouverture-motif", "ouverture-lieu", "ouverture-raison"} {
		if a, ok := anchors[name]; ok {
			label := "Fermeture exceptionnelle, "
			if strings.HasPrefix(name, "ouverture") {
				label = "Ouverture exceptionnelle, "
			}
			anchors[name] = [2]string{a[0], label + uncapitalized(a[1])}
		}
	}
	data.Communes = s.communeSuggestions(t.Code)
	data.Errors = errorLinks(fs, anchors)
	s.render(w, r, status, "agenda_form", data)
	return nil
}

// exceptionText describes an exception of an agenda.
func exceptionText(e appointment.Exception, types map[int64]appointment.Type, places map[int64]string) string {
	day := appointment.DayText(time.Date(e.Date.Year(), e.Date.Month(), e.Date.Day(), 12, 0, 0, 0, paris)) + " " + strconv.Itoa(e.Date.Year())
	hours := "toute la journée"
	if e.Start != 0 || e.End != 0 {
		hours = "de " + clockShort(e.Start) + " à " + clockShort(e.End)
	}
	var s string
	if e.Closed {
		s = "Fermeture le " + day + ", " + hours
	} else {
		s = "Ouverture le " + day + ", " + hours + " : " + typeText(types[e.TypeID])
		if p := places[e.PlaceID]; p != "" {
			s += ", " + p
		}
	}
	if e.Reason != "" {
		s += " — " + e.Reason
	}
	return s
}

// agendaFormFailed shows the form again as typed when the input is
// invalid; any other error is returned for the error page.
func (s *Server) agendaFormFailed(w http.ResponseWriter, r *http.Request, t territory.Territory, old *appointment.Agenda,
	sts []agendaStructure, err error) error {
	fs, ok := formErrors(err)
	if !ok {
		return err
	}
	return s.renderAgendaForm(w, r, http.StatusBadRequest, t, r.PostForm, old, sts, fs)
}

func (s *Server) newAgendaPage(w http.ResponseWriter, r *http.Request) error {
	t, sts, err := s.agendaKeeper(r)
	if err != nil {
		return err
	}
	vals := url.Values{"structure": {idStr(sts[0].ID)}, "lieu-nouveau-type": {string(appointment.PlaceAddress)}, "proprietaire": {"0"}}
	if sts[0].Professional {
		vals.Set("proprietaire", idStr(viewerOf(r.Context()).Account.ID))
	}
	return s.renderAgendaForm(w, r, http.StatusOK, t, vals, nil, sts, nil)
}

func (s *Server) createAgendaPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, sts, err := s.agendaKeeper(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	v := viewerOf(ctx)
	rd := s.readAgendaForm(t, r.PostForm, nil)
	sid, _ := strconv.ParseInt(r.PostFormValue("structure"), 10, 64)
	owner, _ := strconv.ParseInt(r.PostFormValue("proprietaire"), 10, 64)
	if err := s.checkOwner(ctx, v, sts, sid, owner, &rd.fs, "structure", "proprietaire"); err != nil {
		return err
	}
	if len(rd.a.Rules) == 0 {
		rd.fs.Add("plage-1-1-debut", "Indiquez au moins une plage d'ouverture : un jour, une heure de début, une heure de fin et un motif.")
	}
	rd.a.TerritoryID, rd.a.StructureID, rd.a.AccountID = t.ID, sid, owner
	if err := s.saveAgendaForm(ctx, &rd, store.Actor{AccountID: v.Account.ID, StructureID: sid, At: s.now()}); err != nil {
		return s.agendaFormFailed(w, r, t, nil, sts, err)
	}
	s.redirectWithFlash(w, r, "/agendas/"+idStr(rd.a.ID), "agenda-created")
	return nil
}

func (s *Server) editAgendaPage(w http.ResponseWriter, r *http.Request) error {
	ag, err := s.managedAgenda(r)
	if err != nil {
		return err
	}
	return s.renderAgendaForm(w, r, http.StatusOK, s.territory(r.Context()), s.agendaValues(ag), &ag, nil, nil)
}

func (s *Server) updateAgendaPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ag, err := s.managedAgenda(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	t := s.territory(ctx)
	rd := s.readAgendaForm(t, r.PostForm, &ag)
	rd.a.ID, rd.a.TerritoryID, rd.a.StructureID, rd.a.AccountID, rd.a.CreatedAt = ag.ID, ag.TerritoryID, ag.StructureID, ag.AccountID, ag.CreatedAt
	by := store.Actor{AccountID: viewerOf(ctx).Account.ID, StructureID: ag.StructureID, At: s.now()}
	if err := s.saveAgendaForm(ctx, &rd, by); err != nil {
		return s.agendaFormFailed(w, r, t, &ag, nil, err)
	}
	s.redirectWithFlash(w, r, "/agendas/"+idStr(ag.ID), "agenda-updated")
	return nil
}

// --- The week of an agenda ----------------------------------------------------

type weekAppointment struct {
	Time, Name, Type, Place, Status string
	PersonID                        int64
	Cancelled                       bool
}

type weekDay struct {
	ID, Label    string
	Appointments []weekAppointment
	Free         []string
}

type agendaWeekPage struct {
	page
	ID                           int64
	Name, Owner, Structure, Week string
	Active                       bool
	Prev, Next, Current          string
	ThisWeek                     bool
	Days                         []weekDay
	FreeTotal                    int
	Rules, Places, Exceptions    []string
}

// weekStart reads ?semaine= as the Monday of its week (a civil date, UTC
// midnight); by default the current week.
func (s *Server) weekStart(q string) (time.Time, error) {
	d := s.today()
	if q = strings.TrimSpace(q); q != "" {
		t, err := time.Parse(dateLayout, formDate(q))
		if err != nil {
			return d, problem.InvalidFields("La semaine demandée n'est pas une date.",
				problem.Field{Field: "semaine", Message: "Date attendue au format AAAA-MM-JJ (un lundi)."})
		}
		d = t
	}
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7)), nil
}

func (s *Server) agendaPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ag, err := s.managedAgenda(r)
	if err != nil {
		return err
	}
	monday, err := s.weekStart(r.URL.Query().Get("semaine"))
	if err != nil {
		return err
	}
	from := time.Date(monday.Year(), monday.Month(), monday.Day(), 0, 0, 0, 0, paris)
	to := from.AddDate(0, 0, 7)
	apps, err := s.agendaAppointments(r, ag, from, to)
	if err != nil {
		return err
	}
	slots, err := s.store.Slots(ctx, store.SlotFilter{TerritoryID: ag.TerritoryID, StructureIDs: []int64{ag.StructureID},
		AgendaIDs: []int64{ag.ID}, From: from, To: to, Now: s.now()})
	if err != nil {
		return err
	}
	_, types, err := s.agendaTypes(ctx, ag.TerritoryID)
	if err != nil {
		return err
	}
	places := map[int64]string{}
	for _, p := range ag.Places {
		places[p.ID] = p.Label
	}
	data := &agendaWeekPage{page: s.page(r, ag.Name), ID: ag.ID, Name: ag.Name, Active: ag.Active,
		Week:    "Semaine du " + appointment.DayText(from) + " " + strconv.Itoa(from.Year()),
		Prev:    "/agendas/" + idStr(ag.ID) + "?semaine=" + formatDate(monday.AddDate(0, 0, -7)),
		Next:    "/agendas/" + idStr(ag.ID) + "?semaine=" + formatDate(monday.AddDate(0, 0, 7)),
		Current: "/agendas/" + idStr(ag.ID),
		Owner:   "Agenda partagé de la structure"}
	if ag.AccountID != 0 {
		names := accountNames{s: s, ctx: ctx}
		data.Owner = "Agenda d'un professionnel"
		if n := names.name(ag.AccountID); n != "" {
			data.Owner = "Agenda de " + n
		}
	}
	if current, err := s.weekStart(""); err == nil {
		data.ThisWeek = monday.Equal(current)
	}
	if st, err := s.store.Structure(ctx, ag.StructureID); err == nil {
		data.Structure = st.Name
	}
	for i := range 7 {
		d := from.AddDate(0, 0, i)
		data.Days = append(data.Days, weekDay{ID: "jour-" + formatDate(monday.AddDate(0, 0, i)), Label: capitalized(appointment.DayText(d))})
	}
	dayOf := func(t time.Time) int { return int(civilDate(t).Sub(monday) / (24 * time.Hour)) }
	now := s.now()
	for _, a := range apps {
		i := dayOf(a.StartsAt)
		if i < 0 || i > 6 {
			continue
		}
		at := a.StartsAt.In(paris)
		data.Days[i].Appointments = append(data.Days[i].Appointments, weekAppointment{Time: clockShort(at.Hour()*60 + at.Minute()),
			Name: strings.TrimSpace(a.FirstName + " " + a.LastName), PersonID: a.PersonID, Type: typeText(types[a.TypeID]),
			Place: places[a.PlaceID], Status: a.Status.Label(!a.StartsAt.After(now)),
			Cancelled: a.Status == appointment.StatusExcused || a.Status == appointment.StatusRevoked})
	}
	// The free seats per day and start time, whatever the type and place.
	type freeAt struct {
		day   int
		at    time.Time
		free  int
		types []string
	}
	var frees []freeAt
	for _, sl := range slots {
		if sl.Free() == 0 {
			continue
		}
		i := dayOf(sl.StartsAt)
		if i < 0 || i > 6 {
			continue
		}
		label := types[sl.TypeID].Label
		if n := len(frees); n > 0 && frees[n-1].at.Equal(sl.StartsAt) {
			frees[n-1].free += sl.Free()
			if !slices.Contains(frees[n-1].types, label) {
				frees[n-1].types = append(frees[n-1].types, label)
			}
			continue
		}
		frees = append(frees, freeAt{day: i, at: sl.StartsAt, free: sl.Free(), types: []string{label}})
	}
	for _, f := range frees {
		at := f.at.In(paris)
		text := strconv.Itoa(f.free) + " place" + plural(f.free, " libre", "s libres") + " à " + clockShort(at.Hour()*60+at.Minute()) +
			" (" + strings.Join(f.types, ", ") + ")"
		data.Days[f.day].Free = append(data.Days[f.day].Free, text)
		data.FreeTotal += f.free
	}
	if len(data.Days[6].Appointments) == 0 && len(data.Days[6].Free) == 0 {
		data.Days = data.Days[:6] // Sunday only when something happens on it
	}
	for _, ru := range ag.Rules {
		text := weekdayLabels[isoWeekday(ru.Weekday)] + " de " + clockShort(ru.Start) + " à " + clockShort(ru.End) + " : " +
			typeText(types[ru.TypeID]) + ", " + places[ru.PlaceID]
		switch {
		case !ru.ValidFrom.IsZero() && !ru.ValidUntil.IsZero():
			text += ", du " + dateText(ru.ValidFrom) + " au " + dateText(ru.ValidUntil)
		case !ru.ValidFrom.IsZero():
			text += ", à partir du " + dateText(ru.ValidFrom)
		case !ru.ValidUntil.IsZero():
			text += ", jusqu'au " + dateText(ru.ValidUntil)
		}
		data.Rules = append(data.Rules, text)
	}
	for _, p := range ag.Places {
		data.Places = append(data.Places, s.placeText(p))
	}
	today := s.today()
	for _, e := range ag.Exceptions {
		if !e.Date.Before(today) {
			data.Exceptions = append(data.Exceptions, exceptionText(e, types, places))
		}
	}
	s.render(w, r, http.StatusOK, "agenda", data)
	return nil
}

// dateText writes a civil date (UTC midnight) as "01/12/2026".
func dateText(t time.Time) string { return t.UTC().Format("02/01/2006") }

// --- Administration: appointment types and invitations ----------------------

// territoryAdmin checks that the viewer administers the territory it works
// in.
func (s *Server) territoryAdmin(r *http.Request) (territory.Territory, error) {
	t := s.territory(r.Context())
	v := viewerOf(r.Context())
	if t.ID == 0 || !slices.ContainsFunc(v.Account.Memberships, func(m account.Membership) bool {
		return m.TerritoryID == t.ID && m.Role == account.RoleTerritoryAdmin
	}) {
		return t, forbidden("Réservé aux administrateurs du territoire.")
	}
	return t, nil
}

// validateType checks an appointment type; the messages name the fields
// of the API.
func validateType(t appointment.Type) problem.Fields {
	var fs problem.Fields
	if !slices.ContainsFunc(appointment.CategoryOptions, func(o person.Option) bool { return o.Code == string(t.Category) }) {
		fs.Add("category", "Choisissez la catégorie : orientation, accompagnement ou information collective.")
	}
	switch n := utf8.RuneCountInString(t.Label); {
	case strings.TrimSpace(t.Label) == "":
		fs.Add("label", "Indiquez le nom du motif, tel que la personne le lira.")
	case n > maxTypeLabelLen:
		fs.Add("label", fmt.Sprintf("Le nom du motif ne doit pas dépasser %d caractères.", maxTypeLabelLen))
	}
	if t.DurationMin < minTypeDuration || t.DurationMin > maxTypeDuration {
		fs.Add("duration_min", fmt.Sprintf("La durée est un nombre de minutes de %d à %d.", minTypeDuration, maxTypeDuration))
	}
	if t.Capacity < 1 || t.Capacity > maxTypeCapacity {
		fs.Add("capacity", fmt.Sprintf("Le nombre de places va de 1 (rendez-vous individuel) à %d (information collective).", maxTypeCapacity))
	}
	return fs
}

// saveType validates and saves an appointment type of the territory; a
// label already used is errTypeConflict.
func (s *Server) saveType(ctx context.Context, t *appointment.Type) error {
	t.Label = strings.TrimSpace(t.Label)
	if err := validateType(*t).Err(); err != nil {
		return err
	}
	err := s.store.SaveAppointmentType(ctx, t)
	if errors.Is(err, store.ErrConflict) {
		return errTypeConflict
	}
	return err
}

// errTypeConflict is the answer to a second type of the same label.
var errTypeConflict = problem.New(problem.Conflict, "Un motif porte déjà ce nom dans le territoire.")

type typeRow struct {
	ID                                  int64
	Category, Label, Duration, Capacity string
}

type appointmentSettingsData struct {
	page
	Errors      []errorLink
	Types       []typeRow
	EditingID   int64
	Editing     string
	Category    formField
	Label       formField
	Duration    formField
	Capacity    formField
	Days        formField
	DefaultDays int
	MinDays     int
	MaxDays     int
}

// typeFormFields name the fields of the type form by the API's names.
var typeFormFields = map[string]string{"category": "motif-categorie", "label": "motif-libelle", "duration_min": "motif-duree",
	"capacity": "motif-capacite"}

func (s *Server) renderAppointmentSettings(w http.ResponseWriter, r *http.Request, t territory.Territory, status int,
	vals url.Values, fs problem.Fields) error {
	ctx := r.Context()
	types, _, err := s.agendaTypes(ctx, t.ID)
	if err != nil {
		return err
	}
	data := &appointmentSettingsData{page: s.page(r, "Rendez-vous : motifs et invitations")}
	for _, ty := range types {
		row := typeRow{ID: ty.ID, Category: categoryLabel(ty.Category), Label: ty.Label, Duration: strconv.Itoa(ty.DurationMin) + " min",
			Capacity: "Individuel"}
		if ty.Capacity > 1 {
			row.Capacity = "Collectif, " + strconv.Itoa(ty.Capacity) + " places"
		}
		data.Types = append(data.Types, row)
	}
	data.EditingID, _ = strconv.ParseInt(vals.Get("motif-id"), 10, 64)
	if data.EditingID != 0 {
		for _, ty := range types {
			if ty.ID == data.EditingID {
				data.Editing = ty.Label
			}
		}
	}
	anchors := map[string][2]string{}
	field := func(name, label, typ string) formField {
		anchors[name] = [2]string{name, label}
		return formField{Name: name, Label: label, Type: typ, Value: vals.Get(name), Error: fieldMessages(fs, name), Required: true}
	}
	data.Category = field("motif-categorie", "Catégorie", "select")
	data.Category.Options = options(appointment.CategoryOptions, "— Choisir —", data.Category.Value)
	data.Label = field("motif-libelle", "Nom du motif", "text")
	data.Label.Hint = "Tel que la personne le lira dans son invitation, par exemple « Premier rendez-vous d'accompagnement »"
	data.Duration = field("motif-duree", "Durée, en minutes", "number")
	data.Duration.Hint = fmt.Sprintf("De %d à %d", minTypeDuration, maxTypeDuration)
	data.Capacity = field("motif-capacite", "Nombre de places", "number")
	data.Capacity.Hint = fmt.Sprintf("1 pour un rendez-vous individuel ; plus, jusqu'à %d, pour une information collective", maxTypeCapacity)
	data.Days = field("jours", "Durée de validité des invitations, en jours", "number")
	data.Days.Hint = fmt.Sprintf("De %d à %d ; %d par défaut. Au-delà, la personne est relancée puis la structure prévenue.",
		minInvitationDays, maxInvitationDays, appointment.DefaultInvitationDays)
	data.Errors = errorLinks(fs, anchors)
	s.render(w, r, status, "appointment_settings", data)
	return nil
}

func (s *Server) appointmentSettingsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, err := s.territoryAdmin(r)
	if err != nil {
		return err
	}
	days, err := s.store.InvitationDays(ctx, t.ID)
	if err != nil {
		return err
	}
	vals := url.Values{"jours": {strconv.Itoa(days)}, "motif-capacite": {"1"}}
	if id := r.URL.Query().Get("modifier"); id != "" {
		n, _ := strconv.ParseInt(id, 10, 64)
		ty, err := s.store.AppointmentType(ctx, n)
		if errors.Is(err, store.ErrNotFound) || err == nil && ty.TerritoryID != t.ID {
			return notFound("Ce motif de rendez-vous n'existe pas dans le territoire.")
		}
		if err != nil {
			return err
		}
		vals.Set("motif-id", idStr(ty.ID))
		vals.Set("motif-categorie", string(ty.Category))
		vals.Set("motif-libelle", ty.Label)
		vals.Set("motif-duree", strconv.Itoa(ty.DurationMin))
		vals.Set("motif-capacite", strconv.Itoa(ty.Capacity))
	}
	return s.renderAppointmentSettings(w, r, t, http.StatusOK, vals, nil)
}

// formNumber reads a whole number of a form; what cannot be read is -1.
func formNumber(v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return -1
	}
	return n
}

func (s *Server) saveAppointmentSettings(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, err := s.territoryAdmin(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	vals := r.PostForm
	failed := func(fs problem.Fields) error {
		if vals.Get("formulaire") == "invitations" {
			vals.Set("motif-capacite", "1")
		}
		if days := vals.Get("jours"); vals.Get("formulaire") != "invitations" || days == "" {
			n, err := s.store.InvitationDays(ctx, t.ID)
			if err != nil {
				return err
			}
			vals.Set("jours", strconv.Itoa(n))
		}
		return s.renderAppointmentSettings(w, r, t, http.StatusBadRequest, vals, fs)
	}
	if vals.Get("formulaire") == "invitations" {
		days := formNumber(vals.Get("jours"))
		if days < minInvitationDays || days > maxInvitationDays {
			return failed(problem.Fields{{Field: "jours", Message: fmt.Sprintf("Nombre de jours attendu, de %d à %d.", minInvitationDays, maxInvitationDays)}})
		}
		if err := s.store.SetInvitationDays(ctx, t.ID, days); err != nil {
			return err
		}
		s.redirectWithFlash(w, r, "/administration/rendez-vous", "invitation-days-saved")
		return nil
	}
	ty := appointment.Type{TerritoryID: t.ID, Category: appointment.Category(vals.Get("motif-categorie")), Label: vals.Get("motif-libelle"),
		DurationMin: formNumber(vals.Get("motif-duree")), Capacity: formNumber(vals.Get("motif-capacite"))}
	if id := vals.Get("motif-id"); id != "" && id != "0" {
		ty.ID, _ = strconv.ParseInt(id, 10, 64)
		old, err := s.store.AppointmentType(ctx, ty.ID)
		if errors.Is(err, store.ErrNotFound) || err == nil && old.TerritoryID != t.ID {
			return notFound("Ce motif de rendez-vous n'existe pas dans le territoire.")
		}
		if err != nil {
			return err
		}
	}
	if err := s.saveType(ctx, &ty); err != nil {
		var fs problem.Fields
		switch p, ok := problem.As(err); {
		case errors.Is(err, errTypeConflict):
			fs.Add("motif-libelle", p.Detail)
		case ok && p.Kind == problem.Invalid:
			for _, f := range p.Fields {
				fs.Add(typeFormFields[f.Field], f.Message)
			}
		default:
			return err
		}
		return failed(fs)
	}
	s.redirectWithFlash(w, r, "/administration/rendez-vous", "appointment-type-saved")
	return nil
}

// --- API ----------------------------------------------------------------------

type apiAppointmentType struct {
	ID            int64  `json:"id"`
	Category      string `json:"category"`
	CategoryLabel string `json:"category_label"`
	Label         string `json:"label"`
	DurationMin   int    `json:"duration_min"`
	Capacity      int    `json:"capacity"`
	Collective    bool   `json:"collective"`
}

func appointmentTypeJSON(t appointment.Type) apiAppointmentType {
	return apiAppointmentType{ID: t.ID, Category: string(t.Category), CategoryLabel: categoryLabel(t.Category), Label: t.Label,
		DurationMin: t.DurationMin, Capacity: t.Capacity, Collective: t.Capacity > 1}
}

func (s *Server) apiAppointmentTypes(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t := s.territory(ctx)
	v := viewerOf(ctx)
	if t.ID == 0 || !slices.ContainsFunc(v.Account.Memberships, func(m account.Membership) bool { return m.TerritoryID == t.ID }) {
		return forbidden("Réservé aux membres des structures du territoire.")
	}
	types, _, err := s.agendaTypes(ctx, t.ID)
	if err != nil {
		return err
	}
	out := list[apiAppointmentType]{Items: []apiAppointmentType{}}
	for _, ty := range types {
		out.Items = append(out.Items, appointmentTypeJSON(ty))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiCreateAppointmentType(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Category    string `json:"category"`
		Label       string `json:"label"`
		DurationMin int    `json:"duration_min"`
		Capacity    *int   `json:"capacity"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	t, err := s.territoryAdmin(r)
	if err != nil {
		return err
	}
	ty := appointment.Type{TerritoryID: t.ID, Category: appointment.Category(in.Category), Label: in.Label, DurationMin: in.DurationMin, Capacity: 1}
	if in.Capacity != nil {
		ty.Capacity = *in.Capacity
	}
	if err := s.saveType(r.Context(), &ty); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, appointmentTypeJSON(ty))
}

type apiPlace struct {
	ID           int64  `json:"id"`
	Kind         string `json:"kind"`
	Label        string `json:"label"`
	Address      string `json:"address"`
	CommuneINSEE string `json:"commune_insee"`
	Details      string `json:"details"`
}

type apiRule struct {
	ID         int64  `json:"id"`
	TypeID     int64  `json:"type_id"`
	PlaceID    int64  `json:"place_id"`
	Weekday    int    `json:"weekday"` // ISO 8601: 1 Monday … 7 Sunday
	Start      string `json:"start"`
	End        string `json:"end"`
	ValidFrom  string `json:"valid_from,omitempty"`
	ValidUntil string `json:"valid_until,omitempty"`
}

type apiException struct {
	ID      int64  `json:"id"`
	Date    string `json:"date"`
	Closed  bool   `json:"closed"`
	Start   string `json:"start,omitempty"`
	End     string `json:"end,omitempty"`
	TypeID  int64  `json:"type_id,omitempty"`
	PlaceID int64  `json:"place_id,omitempty"`
	Reason  string `json:"reason"`
}

type apiAgenda struct {
	ID          int64          `json:"id"`
	StructureID int64          `json:"structure_id"`
	AccountID   int64          `json:"account_id"`
	Name        string         `json:"name"`
	Active      bool           `json:"active"`
	CreatedAt   time.Time      `json:"created_at"`
	Places      []apiPlace     `json:"places"`
	Rules       []apiRule      `json:"rules"`
	Exceptions  []apiException `json:"exceptions"`
}

func agendaJSON(ag appointment.Agenda) apiAgenda {
	out := apiAgenda{ID: ag.ID, StructureID: ag.StructureID, AccountID: ag.AccountID, Name: ag.Name, Active: ag.Active,
		CreatedAt: ag.CreatedAt.UTC(), Places: []apiPlace{}, Rules: []apiRule{}, Exceptions: []apiException{}}
	for _, p := range ag.Places {
		out.Places = append(out.Places, apiPlace{ID: p.ID, Kind: string(p.Kind), Label: p.Label, Address: p.Address,
			CommuneINSEE: p.CommuneINSEE, Details: p.Details})
	}
	for _, ru := range ag.Rules {
		out.Rules = append(out.Rules, apiRule{ID: ru.ID, TypeID: ru.TypeID, PlaceID: ru.PlaceID, Weekday: isoWeekday(ru.Weekday),
			Start: clockValue(ru.Start), End: clockValue(ru.End), ValidFrom: formatDate(ru.ValidFrom), ValidUntil: formatDate(ru.ValidUntil)})
	}
	for _, e := range ag.Exceptions {
		x := apiException{ID: e.ID, Date: formatDate(e.Date), Closed: e.Closed, TypeID: e.TypeID, PlaceID: e.PlaceID, Reason: e.Reason}
		if !e.Closed || e.Start != 0 || e.End != 0 {
			x.Start, x.End = clockValue(e.Start), clockValue(e.End)
		}
		out.Exceptions = append(out.Exceptions, x)
	}
	return out
}

// apiAgendaStructures are the viewer's structures, or the one asked for
// with ?structure_id=, refused when the viewer does not work in it.
func (s *Server) apiAgendaStructures(r *http.Request) (territory.Territory, []agendaStructure, error) {
	t, sts, err := s.agendaKeeper(r)
	if err != nil {
		return t, nil, err
	}
	if q := r.URL.Query().Get("structure_id"); q != "" {
		id, err := strconv.ParseInt(q, 10, 64)
		if err != nil {
			return t, nil, problem.InvalidFields("structure_id n'est pas un nombre.", problem.Field{Field: "structure_id", Message: "Nombre attendu."})
		}
		i := slices.IndexFunc(sts, func(st agendaStructure) bool { return st.ID == id })
		if i < 0 {
			return t, nil, forbidden("Vous ne travaillez pas dans cette structure.")
		}
		sts = sts[i : i+1]
	}
	return t, sts, nil
}

func (s *Server) apiAgendas(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, sts, err := s.apiAgendaStructures(r)
	if err != nil {
		return err
	}
	ids := make([]int64, len(sts))
	for i, st := range sts {
		ids[i] = st.ID
	}
	ags, err := s.store.Agendas(ctx, store.AgendaFilter{TerritoryID: t.ID, StructureIDs: ids})
	if err != nil {
		return err
	}
	v := viewerOf(ctx)
	out := list[apiAgenda]{Items: []apiAgenda{}}
	for _, ag := range ags {
		if canManageAgenda(v, ag) {
			out.Items = append(out.Items, agendaJSON(ag))
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

type apiPlaceInput struct {
	Kind         string `json:"kind"`
	Label        string `json:"label"`
	Address      string `json:"address"`
	CommuneINSEE string `json:"commune_insee"`
	Details      string `json:"details"`
}

type apiRuleInput struct {
	TypeID     int64  `json:"type_id"`
	PlaceIndex int    `json:"place_index"`
	Weekday    int    `json:"weekday"`
	Start      string `json:"start"`
	End        string `json:"end"`
	ValidFrom  string `json:"valid_from"`
	ValidUntil string `json:"valid_until"`
}

type apiExceptionInput struct {
	Date       string `json:"date"`
	Closed     bool   `json:"closed"`
	Start      string `json:"start"`
	End        string `json:"end"`
	TypeID     int64  `json:"type_id"`
	PlaceIndex int    `json:"place_index"`
	Reason     string `json:"reason"`
}

type apiAgendaInput struct {
	StructureID int64               `json:"structure_id"`
	AccountID   int64               `json:"account_id"`
	Name        string              `json:"name"`
	Active      *bool               `json:"active"`
	Places      []apiPlaceInput     `json:"places"`
	Rules       []apiRuleInput      `json:"rules"`
	Exceptions  []apiExceptionInput `json:"exceptions"`
}

// apiClock reads a time of the API ("09:00"); what cannot be read is -1,
// with a message.
func apiClock(fs *problem.Fields, field, v string, end bool) int {
	m, ok := parseClock(v, end)
	if !ok {
		if end {
			fs.Add(field, "Heure attendue au format HH:MM, de 00:01 à 24:00.")
		} else {
			fs.Add(field, "Heure attendue au format HH:MM, de 00:00 à 23:59.")
		}
		return -1
	}
	return m
}

// agenda turns the body of POST /api/v1/agendas into a new agenda, with a
// message per field it cannot read, named as in the body.
func (s *Server) agenda(in apiAgendaInput) (appointment.Agenda, problem.Fields) {
	var fs problem.Fields
	a := appointment.Agenda{StructureID: in.StructureID, AccountID: in.AccountID, Name: strings.TrimSpace(in.Name), Active: true}
	if in.Active != nil {
		a.Active = *in.Active
	}
	if len(in.Places) > maxAgendaPlaces {
		fs.Add("places", fmt.Sprintf("%d lieux au plus.", maxAgendaPlaces))
	}
	if len(in.Rules) > maxAgendaRules {
		fs.Add("rules", fmt.Sprintf("%d plages au plus.", maxAgendaRules))
	}
	if len(in.Exceptions) > maxAgendaExcs {
		fs.Add("exceptions", fmt.Sprintf("%d exceptions au plus.", maxAgendaExcs))
	}
	if len(fs) > 0 {
		return a, fs
	}
	for i, p := range in.Places {
		f := fmt.Sprintf("places[%d]", i)
		pl := appointment.Place{Kind: appointment.PlaceKind(p.Kind), Label: strings.TrimSpace(p.Label), Address: strings.TrimSpace(p.Address),
			CommuneINSEE: strings.ToUpper(strings.TrimSpace(p.CommuneINSEE)), Details: strings.TrimSpace(p.Details)}
		if pl.CommuneINSEE != "" && len(pl.CommuneINSEE) == 5 {
			if _, ok := s.cfg.Referential.Commune(pl.CommuneINSEE); !ok {
				fs.Add(f+".commune_insee", "Aucune commune n'a ce code INSEE.")
			}
		}
		if pl.Label == "" {
			pl.Label = s.defaultPlaceLabel(pl)
		}
		checkPlaceTexts(&fs, pl, func(attr string) string { return f + "." + attr })
		a.Places = append(a.Places, pl)
	}
	place := func(field string, i int) int64 {
		if i < 0 || i >= len(in.Places) {
			fs.Add(field, "Aucun lieu à cet indice de places (compté à partir de 0).")
			return int64(-len(in.Places) - 1)
		}
		return int64(-(i + 1))
	}
	for i, ru := range in.Rules {
		f := fmt.Sprintf("rules[%d]", i)
		rule := appointment.Rule{TypeID: ru.TypeID, PlaceID: place(f+".place_index", ru.PlaceIndex), Weekday: -1,
			Start: apiClock(&fs, f+".start", ru.Start, false), End: apiClock(&fs, f+".end", ru.End, true),
			ValidFrom: parseDate(&fs, f+".valid_from", ru.ValidFrom), ValidUntil: parseDate(&fs, f+".valid_until", ru.ValidUntil)}
		if ru.Weekday >= 1 && ru.Weekday <= 7 {
			rule.Weekday = goWeekday(ru.Weekday)
		} else {
			fs.Add(f+".weekday", "Jour attendu de 1 (lundi) à 7 (dimanche).")
		}
		a.Rules = append(a.Rules, rule)
	}
	for i, e := range in.Exceptions {
		f := fmt.Sprintf("exceptions[%d]", i)
		x := appointment.Exception{Closed: e.Closed, Date: parseDate(&fs, f+".date", e.Date), Reason: strings.TrimSpace(e.Reason)}
		if !e.Closed || e.Start != "" || e.End != "" {
			x.Start, x.End = apiClock(&fs, f+".start", e.Start, false), apiClock(&fs, f+".end", e.End, true)
		}
		if !e.Closed {
			x.TypeID, x.PlaceID = e.TypeID, place(f+".place_index", e.PlaceIndex)
		}
		a.Exceptions = append(a.Exceptions, x)
	}
	return a, fs
}

// apiAgendaField names a field of appointment.ValidateAgenda as the body
// of the API does: places by index.
func apiAgendaField(f string) string {
	if rest, ok := strings.CutSuffix(f, ".place_id"); ok {
		return rest + ".place_index"
	}
	return f
}

func (s *Server) apiCreateAgenda(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var in apiAgendaInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	t, sts, err := s.agendaKeeper(r)
	if err != nil {
		return err
	}
	v := viewerOf(ctx)
	a, fs := s.agenda(in)
	if !slices.ContainsFunc(sts, func(st agendaStructure) bool { return st.ID == in.StructureID }) {
		return forbidden("Vous ne pouvez créer d'agenda que dans une structure où vous travaillez comme professionnel ou gestionnaire.")
	}
	if err := s.checkOwner(ctx, v, sts, in.StructureID, in.AccountID, &fs, "structure_id", "account_id"); err != nil {
		return err
	}
	a.TerritoryID = t.ID
	_, types, err := s.agendaTypes(ctx, t.ID)
	if err != nil {
		return err
	}
	if err := validateAgendaInto(fs, a, types, apiAgendaField).Err(); err != nil {
		return err
	}
	if err := s.store.SaveAgenda(ctx, &a, store.Actor{AccountID: v.Account.ID, StructureID: a.StructureID, At: s.now()}); err != nil {
		return err
	}
	saved, err := s.store.Agenda(ctx, a.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, agendaJSON(saved))
}

type apiSlot struct {
	AgendaID    int64     `json:"agenda_id"`
	StructureID int64     `json:"structure_id"`
	TypeID      int64     `json:"type_id"`
	PlaceID     int64     `json:"place_id"`
	StartsAt    time.Time `json:"starts_at"`
	DurationMin int       `json:"duration_min"`
	Capacity    int       `json:"capacity"`
	Free        int       `json:"free"`
}

// slotStructures are the structures whose slots the viewer may read: those
// where it works as a professional or a manager, who book in them, and,
// for the territory's coordinators, every structure of the territory they
// orient people to. Slots say when a desk is free, nothing of anyone.
func (s *Server) slotStructures(ctx context.Context, t territory.Territory) ([]int64, error) {
	v := viewerOf(ctx)
	if access.Coordinate(accessViewer(v), t.ID).Allowed {
		sts, err := s.store.Structures(ctx, t.ID)
		if err != nil {
			return nil, err
		}
		ids := make([]int64, len(sts))
		for i, st := range sts {
			ids[i] = st.ID
		}
		return ids, nil
	}
	var ids []int64
	for _, st := range agendaStructures(v, t.ID) {
		ids = append(ids, st.ID)
	}
	return ids, nil
}

func (s *Server) apiSlots(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t := s.territory(ctx)
	allowed, err := s.slotStructures(ctx, t)
	if err != nil {
		return err
	}
	if len(allowed) == 0 {
		return forbidden("Réservé aux professionnels et gestionnaires des structures, et aux chargés d'orientation du territoire.")
	}
	q := r.URL.Query()
	var fs problem.Fields
	ids := allowed
	if v := q.Get("structure_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			fs.Add("structure_id", "Nombre attendu.")
		} else if !slices.Contains(allowed, id) {
			return forbidden("Vous ne pouvez lire que les créneaux des structures où vous travaillez.")
		}
		ids = []int64{id}
	}
	var typeID int64
	if v := q.Get("type_id"); v != "" {
		_, types, err := s.agendaTypes(ctx, t.ID)
		if err != nil {
			return err
		}
		typeID, _ = strconv.ParseInt(v, 10, 64)
		if _, ok := types[typeID]; !ok {
			fs.Add("type_id", "Motif de rendez-vous inconnu dans le territoire.")
		}
	}
	from := s.today()
	if v := q.Get("from"); v != "" {
		from = parseDate(&fs, "from", v)
	}
	to := from.AddDate(0, 0, 6)
	if v := q.Get("to"); v != "" {
		to = parseDate(&fs, "to", v)
	}
	if len(fs) == 0 && (to.Before(from) || to.Sub(from) >= maxSlotDays*24*time.Hour) {
		fs.Add("to", fmt.Sprintf("Donnez une période de %d jours au plus, to (inclus) n'étant pas avant from.", maxSlotDays))
	}
	all := q.Get("all")
	if all != "" && all != "true" && all != "false" {
		fs.Add("all", "true ou false attendu.")
	}
	if err := fs.Err(); err != nil {
		return err
	}
	start := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, paris)
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, paris).AddDate(0, 0, 1)
	slots, err := s.store.Slots(ctx, store.SlotFilter{TerritoryID: t.ID, StructureIDs: ids, TypeID: typeID, From: start, To: end,
		Now: s.now(), FreeOnly: all != "true"})
	if err != nil {
		return err
	}
	appointment.SortSlots(slots) // the store lists them agenda by agenda
	structureOf := map[int64]int64{}
	if len(slots) > 0 {
		ags, err := s.store.Agendas(ctx, store.AgendaFilter{TerritoryID: t.ID, StructureIDs: ids, ActiveOnly: true})
		if err != nil {
			return err
		}
		for _, ag := range ags {
			structureOf[ag.ID] = ag.StructureID
		}
	}
	out := list[apiSlot]{Items: []apiSlot{}}
	for _, sl := range slots {
		out.Items = append(out.Items, apiSlot{AgendaID: sl.AgendaID, StructureID: structureOf[sl.AgendaID], TypeID: sl.TypeID,
			PlaceID: sl.PlaceID, StartsAt: sl.StartsAt.UTC(), DurationMin: sl.DurationMin, Capacity: sl.Capacity, Free: sl.Free()})
	}
	return writeJSON(w, http.StatusOK, out)
}

// idStr writes an ID as form values and paths carry it.
func idStr(id int64) string { return strconv.FormatInt(id, 10) }
