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
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

// The partner employers, their offers and immersions, and the pages where
// an employer works the candidates proposed to it (issue 7), with their
// JSON API.
//
// Employers and offers are read under access.SeeOffers (the professionals,
// coordinators, managers and administrators of the territory), and by an
// employer contact for its own employer only (access.EmployerContact); they
// are changed under access.EditEmployer (administrators, the partnership's
// referent, the employer's contacts). An employer contact gets a 404 for
// any offer or application that is not its employer's, exactly as for one
// that does not exist.
//
// An application moves from state to state by the employer's hand alone
// (employment.Actions), as in Les emplois: the professionals who proposed
// the person, and the person's team, follow its state and history but do
// not act on it; the 60-day refusal and "hired elsewhere" are the system's.

var (
	errUnknownEmployer    = notFound("Cet employeur n'existe pas, ou ne vous est pas accessible.")
	errUnknownOffer       = notFound("Cette offre n'existe pas, ou ne vous est pas accessible.")
	errUnknownApplication = notFound("Cette candidature n'existe pas, ou ne vous est pas accessible.")
)

// Limits of the employment pages and API.
const (
	offersPageLimit  = 50    // offers listed on a page
	offersAPILimit   = 20    // offers of a page of the API by default
	offersScanLimit  = 2000  // offers read to filter by contract or distance
	offersExportMax  = 10000 // offers of an export
	offersImportMax  = 5000  // offers of an imported file
	employerTextMax  = 200   // an address, a contact's name or phone
	defaultOfferKm   = directory.DefaultRadiusKm
	applicationsMax  = 500   // applications listed on a page
	applicationsScan = 10000 // applications read to count them, or to list them in the API
	answerMaxLen     = 2000
	maxOfferSearchQ  = 200
	maxOfferJobQuery = 100
)

// empViewer is the territory and viewer of an employment request.
type empViewer struct {
	t  territory.Territory
	v  *viewer
	av access.Viewer
}

func (s *Server) employmentViewer(r *http.Request) empViewer {
	v := viewerOf(r.Context())
	return empViewer{t: s.territory(r.Context()), v: v, av: accessViewer(v)}
}

// seesOffers reports whether the viewer reads every offer of the territory.
func (ev empViewer) seesOffers() bool { return access.SeeOffers(ev.av, ev.t.ID).Allowed }

// contactOf reports whether the viewer acts for the employer.
func (ev empViewer) contactOf(employerID int64) bool {
	return access.EmployerContact(ev.av, employerID).Allowed
}

// own lists the employers the viewer is a contact of, in the territory.
func (ev empViewer) own() []int64 {
	var out []int64
	for _, m := range ev.v.Account.Memberships {
		if m.Role == account.RoleEmployerContact && m.TerritoryID == ev.t.ID && !slices.Contains(out, m.StructureID) {
			out = append(out, m.StructureID)
		}
	}
	return out
}

// admin reports whether the viewer administers the territory.
func (ev empViewer) admin() bool { return access.ManageDirectory(ev.av, ev.t.ID).Allowed }

// professional reports whether the viewer works as a professional of the
// territory: the one who finds people for an offer and proposes them.
func (ev empViewer) professional() bool {
	return slices.ContainsFunc(ev.v.Account.Memberships, func(m account.Membership) bool {
		return m.Role == account.RoleProfessional && m.TerritoryID == ev.t.ID
	})
}

// canRegister reports whether the viewer may add an employer.
func (ev empViewer) canRegister() bool { return access.RegisterEmployer(ev.av, ev.t.ID).Allowed }

// canEdit reports whether the viewer may change the employer and its offers.
func (ev empViewer) canEdit(e employment.Employer) bool {
	return e.TerritoryID == ev.t.ID && access.EditEmployer(ev.av, ev.t.ID, e.StructureID, e.PartnerReferentID).Allowed
}

// partnerReferent reports whether the viewer is the employer's partnership
// referent.
func (ev empViewer) partnerReferent(e employment.Employer) bool {
	return e.PartnerReferentID != 0 && e.PartnerReferentID == ev.v.Account.ID && e.TerritoryID == ev.t.ID
}

// canSeeEmployer reports whether the viewer may read the employer.
func (ev empViewer) canSeeEmployer(e employment.Employer) bool {
	return e.TerritoryID == ev.t.ID && (ev.seesOffers() || ev.contactOf(e.StructureID))
}

// canSeeOffer reports whether the viewer may read the offer of the
// employer: its contacts always; the territory's readers unless it is a
// draft they may not change.
func (ev empViewer) canSeeOffer(o employment.Offer, e employment.Employer) bool {
	if o.TerritoryID != ev.t.ID || o.EmployerID != e.StructureID {
		return false
	}
	if ev.contactOf(o.EmployerID) {
		return true
	}
	return ev.seesOffers() && (o.Status != employment.OfferDraft || ev.canEdit(e))
}

// employmentReader checks that the viewer reads offers at all: the
// territory's or its own employer's.
func (s *Server) employmentReader(r *http.Request) (empViewer, error) {
	ev := s.employmentViewer(r)
	if !ev.seesOffers() && len(ev.own()) == 0 {
		return ev, forbidden("Votre compte ne donne pas accès aux employeurs et aux offres du territoire.")
	}
	return ev, nil
}

// employerOf returns the employer named by the path value, as a 404 when
// the viewer may not read it.
func (s *Server) employerOf(r *http.Request, ev empViewer, name string) (employment.Employer, error) {
	id, ok := pathID(r, name)
	if !ok {
		return employment.Employer{}, errUnknownEmployer
	}
	e, err := s.store.Employer(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !ev.canSeeEmployer(e)) {
		return employment.Employer{}, errUnknownEmployer
	}
	return e, err
}

// offerOf returns the offer named by the path value and its employer, as a
// 404 when the viewer may not read it.
func (s *Server) offerOf(r *http.Request, ev empViewer, name string) (employment.Offer, employment.Employer, error) {
	id, ok := pathID(r, name)
	if !ok {
		return employment.Offer{}, employment.Employer{}, errUnknownOffer
	}
	o, err := s.store.Offer(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return o, employment.Employer{}, errUnknownOffer
	}
	if err != nil {
		return o, employment.Employer{}, err
	}
	e, err := s.store.Employer(r.Context(), o.EmployerID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !ev.canSeeOffer(o, e)) {
		return employment.Offer{}, employment.Employer{}, errUnknownOffer
	}
	return o, e, err
}

// editableEmployers are the employers whose offers the viewer may change.
func (s *Server) editableEmployers(ctx context.Context, ev empViewer) ([]employment.Employer, error) {
	all, err := s.store.Employers(ctx, ev.t.ID)
	if err != nil {
		return nil, err
	}
	var out []employment.Employer
	for _, e := range all {
		if ev.canEdit(e) {
			out = append(out, e)
		}
	}
	return out, nil
}

// employerMap reads the territory's employers by ID.
func (s *Server) employerMap(ctx context.Context, ev empViewer) (map[int64]employment.Employer, error) {
	all, err := s.store.Employers(ctx, ev.t.ID)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]employment.Employer, len(all))
	for _, e := range all {
		m[e.StructureID] = e
	}
	return m, nil
}

// --- Labels -------------------------------------------------------------

// optionLabel is the label of a code of a closed list, the code when
// unknown.
func optionLabel(list []person.Option, code string) string {
	for _, o := range list {
		if o.Code == code {
			return o.Label
		}
	}
	return code
}

// optionCode finds the code of a value typed in a file: a code or a label
// of the list, case and accents ignored.
func optionCode(list []person.Option, v string) (string, bool) {
	k := referential.Fold(strings.TrimSpace(v))
	for _, o := range list {
		if k == referential.Fold(o.Code) || k == referential.Fold(o.Label) {
			return o.Code, true
		}
	}
	return "", false
}

// offerStatusBadge is the DSFR badge class of an offer's status.
func offerStatusBadge(st employment.OfferStatus) string {
	switch st {
	case employment.OfferOpen:
		return "fr-badge--success"
	case employment.OfferFilled:
		return "fr-badge--info"
	case employment.OfferClosed:
		return "fr-badge--error"
	}
	return "fr-badge--new"
}

// stateBadge is the DSFR badge class of an application's state.
func stateBadge(st employment.ApplicationState) string {
	switch st {
	case employment.StateAccepted:
		return "fr-badge--success"
	case employment.StateRefused, employment.StateCancelled:
		return "fr-badge--error"
	case employment.StateNew:
		return "fr-badge--new"
	case employment.StateObsolete:
		return "fr-badge--warning"
	}
	return "fr-badge--info"
}

// hoursText is "35 heures par semaine".
func hoursText(o employment.Offer) string {
	if o.WeeklyHours <= 0 {
		return "Non précisé"
	}
	return strconv.Itoa(o.WeeklyHours) + " heure" + plural(o.WeeklyHours, "", "s") + " par semaine"
}

// scheduleText says when the work is done.
func scheduleText(o employment.Offer) string {
	switch {
	case o.Night && o.Weekend:
		return "De jour, de nuit et le week-end"
	case o.Night:
		return "De jour et de nuit, en semaine"
	case o.Weekend:
		return "De jour, week-end compris"
	}
	return "De jour, en semaine"
}

// requirementBadges are the requirements of an offer that matter to the
// obstacles of the people it may suit.
func requirementBadges(o employment.Offer) []string {
	var out []string
	if o.NeedsLicence {
		out = append(out, "Permis B exigé")
	}
	if o.NeedsVehicle {
		out = append(out, "Véhicule personnel exigé")
	}
	if o.TransitReachable {
		out = append(out, "Accessible en transports en commun")
	}
	if o.DisabilityAdapted {
		out = append(out, "Poste adapté au handicap")
	}
	if o.Night {
		out = append(out, "Travail de nuit")
	}
	if o.Weekend {
		out = append(out, "Travail le week-end")
	}
	return out
}

// --- Employers: the list --------------------------------------------------

// employerRow is an employer in a list.
type employerRow struct {
	ID                                   int64
	Name, Commune, Size, Referent, SIRET string
	Labels                               []string
	Editable                             bool
}

type employersPageData struct {
	page
	Q, Commune, Label string
	Labels            []fieldOption
	Communes          []string
	Fields            problem.Fields
	Errors            []errorLink
	Rows              []employerRow
	Searched          bool
	CanRegister       bool
}

// employerMatches reports whether the employer matches a search: words of
// its name, a commune, a label.
func employerMatches(e employment.Employer, words []string, insee, label string) bool {
	name := referential.Fold(e.Name)
	for _, w := range words {
		if !strings.Contains(name, w) {
			return false
		}
	}
	return (insee == "" || e.CommuneINSEE == insee) && (label == "" || slices.Contains(e.Labels, label))
}

// visibleEmployers lists the employers the viewer reads that match the
// search, with a message per criterion that cannot be read.
func (s *Server) visibleEmployers(ctx context.Context, ev empViewer, q, commune, label string) ([]employment.Employer, problem.Fields, error) {
	var fs problem.Fields
	insee := ""
	if strings.TrimSpace(commune) != "" {
		c, msg := s.resolveTypedCommune(ev.t, commune)
		if msg != "" {
			fs.Add("commune", msg)
		}
		insee = c.INSEE
	}
	if label != "" && optionLabel(employment.LabelOptions, label) == label {
		fs.Add("label", "Label inconnu.")
	}
	if utf8.RuneCountInString(q) > maxOfferSearchQ {
		fs.Add("q", fmt.Sprintf("Saisissez %d caractères au plus.", maxOfferSearchQ))
	}
	if len(fs) > 0 {
		return nil, fs, nil
	}
	all, err := s.store.Employers(ctx, ev.t.ID)
	if err != nil {
		return nil, nil, err
	}
	words := strings.Fields(referential.Fold(q))
	var out []employment.Employer
	for _, e := range all {
		if ev.canSeeEmployer(e) && employerMatches(e, words, insee, label) {
			out = append(out, e)
		}
	}
	return out, nil, nil
}

var employerSearchAnchors = map[string][2]string{
	"q": {"q", "Nom"}, "commune": {"commune", "Commune"}, "label": {"label", "Label"},
}

func (s *Server) employersPage(w http.ResponseWriter, r *http.Request) error {
	ev, err := s.employmentReader(r)
	if err != nil {
		return err
	}
	qs := r.URL.Query()
	data := &employersPageData{page: s.page(r, "Employeurs partenaires"), Q: strings.TrimSpace(qs.Get("q")),
		Commune: strings.TrimSpace(qs.Get("commune")), Label: strings.TrimSpace(qs.Get("label")), CanRegister: ev.canRegister()}
	data.Searched = data.Q != "" || data.Commune != "" || data.Label != ""
	es, fs, err := s.visibleEmployers(r.Context(), ev, data.Q, data.Commune, data.Label)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if len(fs) > 0 {
		data.Fields, data.Errors, status = fs, errorLinks(fs, employerSearchAnchors), http.StatusBadRequest
	}
	for _, e := range es {
		data.Rows = append(data.Rows, s.employerRow(ev, e))
	}
	data.Labels = options(employment.LabelOptions, "Tous les labels", data.Label)
	data.Communes = s.communeSuggestions(ev.t.Code)
	s.render(w, r, status, "employers", data)
	return nil
}

func (s *Server) employerRow(ev empViewer, e employment.Employer) employerRow {
	row := employerRow{ID: e.StructureID, Name: e.Name, Size: optionLabel(employment.SizeOptions, e.Size),
		Referent: e.PartnerReferentName, Editable: ev.canEdit(e), SIRET: e.SIRET}
	if e.CommuneINSEE != "" {
		row.Commune = s.communeWithCode(e.CommuneINSEE)
	}
	for _, l := range e.Labels {
		row.Labels = append(row.Labels, optionLabel(employment.LabelOptions, l))
	}
	return row
}

// --- Employers: the form ------------------------------------------------

type employerFormPage struct {
	page
	New             bool
	ID              int64
	Heading, Action string
	Cancel          string
	Groups          []fieldGroup
	Errors          []errorLink
	Communes        []string
}

// employerValues are the form values of an employer.
func (s *Server) employerValues(e employment.Employer) url.Values {
	v := url.Values{"name": {e.Name}, "siret": {e.SIRET}, "naf": {e.NAF}, "address": {e.Address}, "size": {e.Size},
		"labels": e.Labels, "contact_name": {e.ContactName}, "contact_email": {e.ContactEmail}, "contact_phone": {e.ContactPhone}}
	if e.CommuneINSEE != "" {
		v.Set("commune_insee", s.communeWithCode(e.CommuneINSEE))
	}
	if e.PartnerReferentID != 0 {
		v.Set("partner_referent_id", strconv.FormatInt(e.PartnerReferentID, 10))
	}
	return v
}

// checks are the choices of a closed list as checkboxes.
func checks(list []person.Option, selected []string) []fieldOption {
	out := make([]fieldOption, 0, len(list))
	for _, o := range list {
		out = append(out, fieldOption{Value: o.Code, Label: o.Label, Selected: slices.Contains(selected, o.Code)})
	}
	return out
}

// professionalsOf lists the active professionals of the territory, for
// the administrator's choice of a partnership referent.
func (s *Server) professionalsOf(ctx context.Context, ev empViewer, selected string) ([]fieldOption, error) {
	accs, err := s.store.Accounts(ctx, ev.t.ID)
	if err != nil {
		return nil, err
	}
	out := []fieldOption{{Value: "", Label: "Aucun référent désigné", Selected: selected == ""}}
	seen := map[int64]bool{}
	for _, a := range accs {
		if a.Disabled || seen[a.ID] || !strings.Contains(a.Roles, account.RoleProfessional.Label()) {
			continue
		}
		seen[a.ID] = true
		v := strconv.FormatInt(a.ID, 10)
		out = append(out, fieldOption{Value: v, Label: a.Name + " — " + a.Structure, Selected: v == selected})
	}
	return out, nil
}

// employerGroups are the fieldsets of the employer form.
func (s *Server) employerGroups(ctx context.Context, ev empViewer, vals url.Values, fs problem.Fields) ([]fieldGroup, error) {
	text := func(name, label, hint, typ string, required bool) formField {
		return formField{Name: name, Label: label, Hint: hint, Type: typ, Value: vals.Get(name), Error: fieldMessages(fs, name),
			Autocomplete: "off", Required: required}
	}
	groups := []fieldGroup{
		{ID: "identite", Legend: "L'employeur", Fields: []formField{
			text("name", "Raison sociale ou nom de l'établissement", "De 2 à 150 caractères", "text", true),
			text("siret", "Numéro SIRET", "14 chiffres", "text", false),
			text("naf", "Code NAF (APE)", "Par exemple 49.41A", "text", false),
			{Name: "size", Label: "Effectif", Type: "select", Error: fieldMessages(fs, "size"),
				Options: options(employment.SizeOptions, "Non renseigné", vals.Get("size"))},
			{Name: "labels", Label: "Labels et engagements", Type: "checkboxes", Error: fieldMessages(fs, "labels"),
				Options: checks(employment.LabelOptions, vals["labels"])},
		}},
		{ID: "lieu", Legend: "Lieu", Fields: []formField{
			text("commune_insee", "Commune", "Nom ou code INSEE, par exemple Belfort ou 90010", "text", false).suggest("communes"),
			text("address", "Adresse", "Numéro et voie", "text", false),
		}},
		{ID: "contact", Legend: "Contact de l'employeur", Fields: []formField{
			text("contact_name", "Nom et prénom du contact", "", "text", false),
			text("contact_email", "Adresse électronique", "Format attendu : nom@domaine.fr", "email", false),
			text("contact_phone", "Téléphone", "", "tel", false),
		}},
	}
	if ev.admin() {
		pros, err := s.professionalsOf(ctx, ev, vals.Get("partner_referent_id"))
		if err != nil {
			return nil, err
		}
		groups = append(groups, fieldGroup{ID: "partenariat", Legend: "Partenariat", Fields: []formField{
			{Name: "partner_referent_id", Label: "Référent du partenariat", Type: "select",
				Hint:  "Le professionnel du consortium qui suit la relation avec cet employeur",
				Error: fieldMessages(fs, "partner_referent_id"), Options: pros},
		}})
	}
	return groups, nil
}

// applyEmployerForm sets the fields of the form onto e, with a message
// per field that cannot be read.
func (s *Server) applyEmployerForm(ev empViewer, form url.Values, e *employment.Employer, fs *problem.Fields) {
	get := func(name string) string { return strings.TrimSpace(form.Get(name)) }
	e.Name, e.SIRET, e.NAF = get("name"), get("siret"), strings.ToUpper(get("naf"))
	e.Address, e.Size = get("address"), get("size")
	e.Labels = nil
	for _, l := range form["labels"] {
		if l = strings.TrimSpace(l); l != "" && !slices.Contains(e.Labels, l) {
			e.Labels = append(e.Labels, l)
		}
	}
	e.ContactName, e.ContactEmail, e.ContactPhone = get("contact_name"), get("contact_email"), get("contact_phone")
	e.CommuneINSEE = ""
	if typed := get("commune_insee"); typed != "" {
		c, msg := s.resolveTypedCommune(ev.t, typed)
		if msg != "" {
			fs.Add("commune_insee", msg)
		}
		e.CommuneINSEE = c.INSEE
	}
	if ev.admin() {
		e.PartnerReferentID = 0
		if v := get("partner_referent_id"); v != "" {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				fs.Add("partner_referent_id", "Choisissez un professionnel du territoire.")
			}
			e.PartnerReferentID = id
		}
	}
}

// saveEmployerAs checks and saves an employer the viewer creates (the
// zero prev) or changes. A professional who adds an employer becomes the
// partnership's referent; only an administrator names another one.
func (s *Server) saveEmployerAs(ctx context.Context, ev empViewer, e *employment.Employer, prev employment.Employer, fs problem.Fields) error {
	switch {
	case prev.StructureID == 0 && !ev.canRegister():
		return forbidden("Seuls les professionnels et les administrateurs du territoire ajoutent des employeurs partenaires.")
	case prev.StructureID != 0 && !ev.canEdit(prev):
		return forbidden("Seuls les contacts de l'employeur, le référent du partenariat et les administrateurs du territoire modifient cet employeur.")
	}
	e.TerritoryID = ev.t.ID
	switch {
	case ev.admin():
	case prev.StructureID == 0:
		if e.PartnerReferentID != 0 && e.PartnerReferentID != ev.v.Account.ID {
			fs.Add("partner_referent_id", "Seuls les administrateurs du territoire désignent un autre référent du partenariat.")
		}
		e.PartnerReferentID = ev.v.Account.ID
	default:
		if e.PartnerReferentID != prev.PartnerReferentID {
			fs.Add("partner_referent_id", "Seuls les administrateurs du territoire changent le référent du partenariat.")
		}
		e.PartnerReferentID = prev.PartnerReferentID
	}
	if ev.admin() && e.PartnerReferentID != 0 && e.PartnerReferentID != prev.PartnerReferentID {
		ok, err := s.territoryProfessional(ctx, ev, e.PartnerReferentID)
		if err != nil {
			return err
		}
		if !ok {
			fs.Add("partner_referent_id", "Le référent du partenariat est un professionnel du territoire.")
		}
	}
	for _, f := range []struct{ name, v string }{{"address", e.Address}, {"contact_name", e.ContactName}, {"contact_phone", e.ContactPhone}} {
		if utf8.RuneCountInString(f.v) > employerTextMax {
			fs.Add(f.name, fmt.Sprintf("Saisissez %d caractères au plus.", employerTextMax))
		}
	}
	fs = append(fs, employment.ValidateEmployer(s.cfg.Referential, *e)...)
	if err := fs.Err(); err != nil {
		return err
	}
	taken := problem.InvalidFields("Ce nom est déjà pris.", problem.Field{Field: "name",
		Message: "Un employeur ou une structure du territoire porte déjà ce nom : précisez-le (établissement, commune)."})
	all, err := s.store.Employers(ctx, ev.t.ID)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(all, func(o employment.Employer) bool {
		return o.StructureID != prev.StructureID && referential.Fold(strings.TrimSpace(o.Name)) == referential.Fold(strings.TrimSpace(e.Name))
	}) {
		return taken
	}
	by := store.Actor{AccountID: ev.v.Account.ID, StructureID: actingFrom(ev), At: s.now()}
	if err := s.store.SaveEmployer(ctx, e, by); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return taken
		}
		return err
	}
	return nil
}

// territoryProfessional reports whether the account works as a
// professional of the territory.
func (s *Server) territoryProfessional(ctx context.Context, ev empViewer, id int64) (bool, error) {
	a, err := s.store.Account(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return a.DisabledAt.IsZero() && slices.ContainsFunc(a.Memberships, func(m account.Membership) bool {
		return m.Role == account.RoleProfessional && m.TerritoryID == ev.t.ID
	}), nil
}

// actingFrom is the structure the viewer acts from: its first membership
// in the territory.
func actingFrom(ev empViewer) int64 {
	for _, m := range ev.v.Account.Memberships {
		if m.TerritoryID == ev.t.ID {
			return m.StructureID
		}
	}
	return 0
}

func (s *Server) renderEmployerForm(w http.ResponseWriter, r *http.Request, status int, data *employerFormPage, ev empViewer,
	vals url.Values, fs problem.Fields) error {
	fs = serviceFormFields(fs)
	groups, err := s.employerGroups(r.Context(), ev, vals, fs)
	if err != nil {
		return err
	}
	data.Groups, data.Errors = groups, errorLinks(fs, anchorsOf(groups))
	data.Communes = s.communeSuggestions(ev.t.Code)
	s.render(w, r, status, "employer_form", data)
	return nil
}

func (s *Server) newEmployerForm(r *http.Request) *employerFormPage {
	return &employerFormPage{page: s.page(r, "Ajouter un employeur partenaire"), New: true, Heading: "Ajouter un employeur partenaire",
		Action: "/employeurs", Cancel: "/employeurs"}
}

func (s *Server) newEmployerPage(w http.ResponseWriter, r *http.Request) error {
	ev := s.employmentViewer(r)
	if !ev.canRegister() {
		return forbidden("Seuls les professionnels et les administrateurs du territoire ajoutent des employeurs partenaires.")
	}
	vals := s.employerValues(employment.Employer{})
	if ev.admin() && ev.professional() {
		vals.Set("partner_referent_id", strconv.FormatInt(ev.v.Account.ID, 10))
	}
	return s.renderEmployerForm(w, r, http.StatusOK, s.newEmployerForm(r), ev, vals, nil)
}

// employerFormFailed shows the form again, as typed, for an invalid input.
func (s *Server) employerFormFailed(w http.ResponseWriter, r *http.Request, data *employerFormPage, ev empViewer, err error) error {
	fs, ok := formErrors(err)
	if !ok {
		return err
	}
	return s.renderEmployerForm(w, r, http.StatusBadRequest, data, ev, r.PostForm, fs)
}

func (s *Server) createEmployerPage(w http.ResponseWriter, r *http.Request) error {
	ev := s.employmentViewer(r)
	if !ev.canRegister() {
		return forbidden("Seuls les professionnels et les administrateurs du territoire ajoutent des employeurs partenaires.")
	}
	if err := parseForm(r); err != nil {
		return err
	}
	var fs problem.Fields
	var e employment.Employer
	s.applyEmployerForm(ev, r.PostForm, &e, &fs)
	if err := s.saveEmployerAs(r.Context(), ev, &e, employment.Employer{}, fs); err != nil {
		return s.employerFormFailed(w, r, s.newEmployerForm(r), ev, err)
	}
	s.redirectWithFlash(w, r, "/employeurs/"+strconv.FormatInt(e.StructureID, 10), "employer-created")
	return nil
}

// editableEmployer returns the employer of the path for a viewer who may
// change it: one it may read but not change is refused, one it may not read
// is not found.
func (s *Server) editableEmployer(r *http.Request) (empViewer, employment.Employer, error) {
	ev, err := s.employmentReader(r)
	if err != nil {
		return ev, employment.Employer{}, err
	}
	e, err := s.employerOf(r, ev, "id")
	if err == nil && !ev.canEdit(e) {
		err = forbidden("Seuls les contacts de l'employeur, le référent du partenariat et les administrateurs du territoire modifient cet employeur.")
	}
	return ev, e, err
}

func (s *Server) editEmployerForm(r *http.Request, e employment.Employer) *employerFormPage {
	path := "/employeurs/" + strconv.FormatInt(e.StructureID, 10)
	return &employerFormPage{page: s.page(r, "Modifier l'employeur"), ID: e.StructureID, Heading: "Modifier « " + e.Name + " »",
		Action: path, Cancel: path}
}

func (s *Server) editEmployerPage(w http.ResponseWriter, r *http.Request) error {
	ev, e, err := s.editableEmployer(r)
	if err != nil {
		return err
	}
	return s.renderEmployerForm(w, r, http.StatusOK, s.editEmployerForm(r, e), ev, s.employerValues(e), nil)
}

func (s *Server) updateEmployerPage(w http.ResponseWriter, r *http.Request) error {
	ev, prev, err := s.editableEmployer(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	var fs problem.Fields
	e := prev
	s.applyEmployerForm(ev, r.PostForm, &e, &fs)
	if err := s.saveEmployerAs(r.Context(), ev, &e, prev, fs); err != nil {
		return s.employerFormFailed(w, r, s.editEmployerForm(r, prev), ev, err)
	}
	s.redirectWithFlash(w, r, "/employeurs/"+strconv.FormatInt(e.StructureID, 10), "employer-updated")
	return nil
}

// --- Employers: the page -----------------------------------------------

// stateCount is a number of applications in a state.
type stateCount struct {
	State, Label, CSS string
	N                 int
}

type employerPageData struct {
	page
	E                          employment.Employer
	Commune, Size              string
	Labels                     []string
	Offers                     []offerRow
	OffersCaption              string
	CanEdit, Contact, ShowApps bool
	Counts                     []stateCount
	ExportHref                 string
}

func (s *Server) employerPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ev, err := s.employmentReader(r)
	if err != nil {
		return err
	}
	e, err := s.employerOf(r, ev, "id")
	if err != nil {
		return err
	}
	data := &employerPageData{page: s.page(r, e.Name), E: e, Size: optionLabel(employment.SizeOptions, e.Size),
		CanEdit: ev.canEdit(e), Contact: ev.contactOf(e.StructureID),
		ExportHref: "/api/v1/offers/export?employer_id=" + strconv.FormatInt(e.StructureID, 10) + "&status=all"}
	if e.CommuneINSEE != "" {
		data.Commune = s.communeWithCode(e.CommuneINSEE)
	}
	for _, l := range e.Labels {
		data.Labels = append(data.Labels, optionLabel(employment.LabelOptions, l))
	}
	f := store.OfferFilter{TerritoryID: ev.t.ID, EmployerID: e.StructureID, Limit: offersPageLimit}
	data.OffersCaption = "Les offres de l'employeur, les plus récentes d'abord"
	if !data.CanEdit {
		f.Statuses = []employment.OfferStatus{employment.OfferOpen}
		data.OffersCaption = "Les offres ouvertes de l'employeur"
	}
	offers, _, err := s.store.Offers(ctx, f)
	if err != nil {
		return err
	}
	for _, o := range offers {
		data.Offers = append(data.Offers, s.offerRow(offerHit{Offer: o, km: -1}))
	}
	if data.CanEdit {
		counts, err := s.applicationCounts(ctx, e.StructureID)
		if err != nil {
			return err
		}
		data.Counts, data.ShowApps = counts, true
	}
	s.render(w, r, http.StatusOK, "employer", data)
	return nil
}
