package web

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/importer"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
)

// Offers and immersions: their search, their forms and their CSV import and
// export (see pages_employers.go for who may do what).

// --- Offers: the search -------------------------------------------------

// offerHit is an offer found, with its distance from the commune of the
// search (-1 without one).
type offerHit struct {
	employment.Offer
	km float64
}

// offerSearch is a search of offers as typed, on the page or in the API.
type offerSearch struct {
	Query, Commune, Radius, Contract, Appellation, Status, EmployerID string
}

// offerQuery is a search of offers once read: the store's filter, and what
// the store does not filter on (the contract, the distance, the drafts of
// other employers), applied after it.
type offerQuery struct {
	f        store.OfferFilter
	employer []int64 // the employers of a contact, when several
	contract employment.ContractType
	from     referential.Commune
	radiusKm float64
	drafts   bool // drafts may be selected: keep those the viewer may see
	commune  string
}

// scan reports whether the query needs offers filtered after the store.
func (q offerQuery) scan() bool {
	return q.contract != "" || q.from.INSEE != "" || q.drafts || len(q.employer) > 1
}

// offerStatuses reads the status of a search: "" (open offers, or every
// offer of the viewer's own employer), "all", or one status.
func offerStatuses(ev empViewer, v string, fs *problem.Fields) ([]employment.OfferStatus, bool) {
	switch v = strings.TrimSpace(v); {
	case v == "" && !ev.seesOffers():
		return nil, false
	case v == "":
		return []employment.OfferStatus{employment.OfferOpen}, false
	case v == "all":
		return nil, true
	case optionLabel(employment.OfferStatusOptions, v) != v:
		st := employment.OfferStatus(v)
		return []employment.OfferStatus{st}, st == employment.OfferDraft
	}
	fs.Add("status", "Statut attendu : draft, open, filled, closed ou all.")
	return nil, false
}

// readOfferSearch turns a search as typed into a query, with a French
// message per criterion that cannot be read. radiusField names the radius
// in the messages ("rayon" on the page, "radius_km" in the API).
func (s *Server) readOfferSearch(ev empViewer, in offerSearch, radiusField string) (offerQuery, problem.Fields) {
	var fs problem.Fields
	q := offerQuery{f: store.OfferFilter{TerritoryID: ev.t.ID, Query: strings.TrimSpace(in.Query)}}
	if utf8.RuneCountInString(q.f.Query) > maxOfferSearchQ {
		fs.Add("q", fmt.Sprintf("Saisissez %d caractères au plus.", maxOfferSearchQ))
	}
	q.f.Statuses, q.drafts = offerStatuses(ev, in.Status, &fs)
	if !ev.seesOffers() {
		q.drafts = false
	}
	if v := strings.TrimSpace(in.Contract); v != "" {
		if optionLabel(employment.ContractOptions, v) == v {
			fs.Add("contract", "Contrat attendu : cdi, cdd, interim, cddi, cdi_inclusion, apprentissage, professionnalisation ou pmsmp.")
		}
		q.contract = employment.ContractType(v)
	}
	if v := strings.TrimSpace(in.Appellation); v != "" {
		if _, ok := s.cfg.Referential.Appellation(v); !ok {
			fs.Add("appellation", "Code OGR d'une appellation du ROME attendu.")
		}
		q.f.Appellation = v
	}
	if v := strings.TrimSpace(in.EmployerID); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			fs.Add("employer_id", "Identifiant d'employeur attendu : un nombre entier.")
		}
		q.f.EmployerID = id
	}
	if !ev.seesOffers() {
		own := ev.own()
		switch {
		case q.f.EmployerID != 0 && !slices.Contains(own, q.f.EmployerID):
			q.employer = []int64{-1} // nothing: another employer's offers are not the viewer's
			q.f.EmployerID = -1
		case q.f.EmployerID == 0 && len(own) == 1:
			q.f.EmployerID = own[0]
		case q.f.EmployerID == 0:
			q.employer = own
		}
	}
	if typed := strings.TrimSpace(in.Commune); typed != "" {
		c, msg := s.resolveTypedCommune(ev.t, typed)
		if msg != "" {
			fs.Add("commune", msg)
		}
		q.from, q.commune = c, c.Name
		q.radiusKm = defaultOfferKm
	}
	if v := strings.TrimSpace(in.Radius); v != "" {
		km, ok := parseKm(v)
		if !ok || km < 0 || km > maxRadiusKm {
			fs.Add(radiusField, fmt.Sprintf("Le rayon est un nombre de kilomètres, de 0 (sans limite) à %d.", maxRadiusKm))
		}
		q.radiusKm = km
	}
	return q, fs
}

// findOffers runs a query and returns the page of offers from offset, and
// how many the query selects in all. Filters the store lacks are applied
// to the offersScanLimit offers changed last.
func (s *Server) findOffers(ctx context.Context, ev empViewer, q offerQuery, offset, limit int) ([]offerHit, int, error) {
	if !q.scan() {
		f := q.f
		f.Limit, f.Offset = limit, offset
		offers, total, err := s.store.Offers(ctx, f)
		if err != nil {
			return nil, 0, err
		}
		out := make([]offerHit, len(offers))
		for i, o := range offers {
			out[i] = offerHit{Offer: o, km: -1}
		}
		return out, total, nil
	}
	employers := []int64{q.f.EmployerID}
	if len(q.employer) > 0 {
		employers = q.employer
	}
	var byID map[int64]employment.Employer
	if q.drafts {
		var err error
		if byID, err = s.employerMap(ctx, ev); err != nil {
			return nil, 0, err
		}
	}
	var hits []offerHit
	for _, id := range employers {
		if id < 0 {
			continue
		}
		f := q.f
		f.EmployerID, f.Limit = id, offersScanLimit
		offers, _, err := s.store.Offers(ctx, f)
		if err != nil {
			return nil, 0, err
		}
		for _, o := range offers {
			if q.contract != "" && o.Contract != q.contract {
				continue
			}
			if q.drafts && o.Status == employment.OfferDraft && !ev.canSeeOffer(o, byID[o.EmployerID]) {
				continue
			}
			h := offerHit{Offer: o, km: -1}
			if q.from.INSEE != "" {
				h.km = directory.DistanceKm(q.from.Lat, q.from.Lon, o.Lat, o.Lon)
				if q.radiusKm > 0 && h.km > q.radiusKm {
					continue
				}
			}
			hits = append(hits, h)
		}
	}
	slices.SortStableFunc(hits, func(a, b offerHit) int {
		if q.from.INSEE != "" {
			if c := cmp.Compare(a.km, b.km); c != 0 {
				return c
			}
		}
		if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	total := len(hits)
	if offset >= total {
		return nil, total, nil
	}
	return hits[offset:min(total, offset+limit)], total, nil
}

// offerRow is an offer in a list.
type offerRow struct {
	ID                                             int64
	Title, Employer, Job, Commune, Distance        string
	Contract, Hours, Start, StatusLabel, StatusCSS string
	Immersion                                      bool
	Requirements                                   []string
}

func (s *Server) offerRow(h offerHit) offerRow {
	row := offerRow{ID: h.ID, Title: h.Title, Employer: h.EmployerName, Job: s.jobLabel(h.Appellation),
		Contract: optionLabel(employment.ContractOptions, string(h.Contract)), Hours: hoursText(h.Offer),
		StatusLabel: optionLabel(employment.OfferStatusOptions, string(h.Status)), StatusCSS: offerStatusBadge(h.Status),
		Immersion: h.Immersion(), Requirements: requirementBadges(h.Offer)}
	if c, ok := s.cfg.Referential.Commune(h.CommuneINSEE); ok {
		row.Commune = c.Name
	}
	if h.km >= 0 {
		row.Distance = distanceText(h.km)
	}
	if !h.StartOn.IsZero() {
		row.Start = h.StartOn.Format("02/01/2006")
	}
	return row
}

// --- Offers: the list -----------------------------------------------------

type offersPageData struct {
	page
	Form                          offerSearch
	Contracts, Statuses, Rayons   []fieldOption
	Communes                      []string
	JobLabel                      string
	Fields                        problem.Fields
	Errors                        []errorLink
	Rows                          []offerRow
	Total                         int
	More                          bool
	Limit                         int
	CanPublish, Own, Professional bool
	ExportHref                    string
	CommuneName                   string
	DefaultRadiusKm               int
	EmployerNames                 []string
}

var offerSearchAnchors = map[string][2]string{
	"q": {"q", "Mots-clés"}, "commune": {"commune", "Commune"}, "rayon": {"rayon", "Rayon"}, "contract": {"contract", "Contrat"},
	"appellation": {"appellation", "Métier"}, "status": {"status", "Statut"}, "employer_id": {"q", "Employeur"},
}

func (s *Server) offersPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ev, err := s.employmentReader(r)
	if err != nil {
		return err
	}
	qs := r.URL.Query()
	form := offerSearch{Query: strings.TrimSpace(qs.Get("q")), Commune: strings.TrimSpace(qs.Get("commune")),
		Radius: strings.TrimSpace(qs.Get("rayon")), Contract: qs.Get("contract"), Appellation: strings.TrimSpace(qs.Get("appellation")),
		Status: qs.Get("status"), EmployerID: qs.Get("employer_id")}
	data := &offersPageData{page: s.page(r, "Offres d'emploi et d'immersion"), Limit: offersPageLimit, Own: !ev.seesOffers(),
		Professional: ev.professional(), DefaultRadiusKm: defaultOfferKm}
	if data.Own {
		data.Title = "Mes offres"
		for _, id := range ev.own() {
			if e, err := s.store.Employer(ctx, id); err == nil {
				data.EmployerNames = append(data.EmployerNames, e.Name)
			}
		}
	}
	editable, err := s.editableEmployers(ctx, ev)
	if err != nil {
		return err
	}
	data.CanPublish = len(editable) > 0
	q, fs := s.readOfferSearch(ev, form, "rayon")
	status := http.StatusOK
	if len(fs) > 0 {
		data.Fields, data.Errors, status = fs, errorLinks(fs, offerSearchAnchors), http.StatusBadRequest
	} else {
		hits, total, err := s.findOffers(ctx, ev, q, 0, offersPageLimit)
		if err != nil {
			return err
		}
		data.Total, data.More = total, total > len(hits)
		for _, h := range hits {
			data.Rows = append(data.Rows, s.offerRow(h))
		}
		data.CommuneName = q.commune
		if q.commune != "" && form.Radius == "" {
			form.Radius = strconv.Itoa(defaultOfferKm)
		}
	}
	if a, ok := s.cfg.Referential.Appellation(form.Appellation); ok {
		data.JobLabel = a.Label
	}
	export := url.Values{}
	for k, v := range map[string]string{"q": form.Query, "commune": form.Commune, "radius_km": form.Radius, "contract": form.Contract,
		"appellation": form.Appellation, "status": form.Status, "employer_id": form.EmployerID} {
		if strings.TrimSpace(v) != "" {
			export.Set(k, strings.TrimSpace(v))
		}
	}
	data.ExportHref = "/api/v1/offers/export"
	if len(export) > 0 {
		data.ExportHref += "?" + export.Encode()
	}
	data.Form = form
	data.Contracts = options(employment.ContractOptions, "Tous les contrats", form.Contract)
	statusDefault := "Ouvertes"
	if data.Own {
		statusDefault = "Tous les statuts"
	}
	data.Statuses = options(employment.OfferStatusOptions, statusDefault, form.Status)
	if !data.Own {
		data.Statuses = append(data.Statuses, fieldOption{Value: "all", Label: "Tous les statuts", Selected: form.Status == "all"})
	}
	data.Rayons = radiusOptions(form.Radius)
	data.Communes = s.communeSuggestions(ev.t.Code)
	s.render(w, r, status, "offers", data)
	return nil
}

// --- Offers: the form ---------------------------------------------------

type offerFormPage struct {
	page
	New                     bool
	ID                      int64
	Heading, Action, Cancel string
	Jobs                    []fieldOption // the appellation chosen, then those found
	Query                   string
	Searched                bool
	JobError                string
	Before, Groups          []fieldGroup
	Errors                  []errorLink
	Communes                []string
}

// offerValues are the form values of an offer.
func (s *Server) offerValues(o employment.Offer) url.Values {
	v := url.Values{"employer_id": {""}, "appellation": {o.Appellation}, "title": {o.Title}, "description": {o.Description},
		"contract": {string(o.Contract)}, "status": {string(o.Status)}, "external_ref": {o.ExternalRef},
		"start_on": {formatDate(o.StartOn)}, "positions": {strconv.Itoa(o.Positions)}}
	if o.EmployerID != 0 {
		v.Set("employer_id", strconv.FormatInt(o.EmployerID, 10))
	}
	if o.CommuneINSEE != "" {
		v.Set("commune_insee", s.communeWithCode(o.CommuneINSEE))
	}
	if o.WeeklyHours > 0 {
		v.Set("weekly_hours", strconv.Itoa(o.WeeklyHours))
	}
	for _, c := range []struct {
		on   bool
		name string
	}{{o.Night, "night"}, {o.Weekend, "weekend"}} {
		if c.on {
			v.Add("schedule", c.name)
		}
	}
	for _, c := range []struct {
		on   bool
		name string
	}{{o.NeedsLicence, "needs_licence"}, {o.NeedsVehicle, "needs_vehicle"}, {o.TransitReachable, "transit_reachable"},
		{o.DisabilityAdapted, "disability_adapted"}} {
		if c.on {
			v.Add("requirements", c.name)
		}
	}
	return v
}

// scheduleOptions and requirementOptions are the checkboxes of the offer
// form.
var (
	scheduleOptions = []person.Option{
		{Code: "night", Label: "Travail de nuit"},
		{Code: "weekend", Label: "Travail le week-end"},
	}
	requirementOptions = []person.Option{
		{Code: "needs_licence", Label: "Permis B exigé"},
		{Code: "needs_vehicle", Label: "Véhicule personnel exigé"},
		{Code: "transit_reachable", Label: "Accessible en transports en commun aux heures de travail"},
		{Code: "disability_adapted", Label: "Poste adapté à un handicap"},
	}
)

// offerGroups are the fieldsets of the offer form around the choice of
// the job: the employer before it, the rest after.
func (s *Server) offerGroups(vals url.Values, fs problem.Fields, employers []employment.Employer) ([]fieldGroup, []fieldGroup) {
	text := func(name, label, hint, typ string, required bool) formField {
		return formField{Name: name, Label: label, Hint: hint, Type: typ, Value: vals.Get(name), Error: fieldMessages(fs, name),
			Autocomplete: "off", Required: required}
	}
	emps := []fieldOption{}
	if len(employers) != 1 {
		emps = append(emps, fieldOption{Value: "", Label: "Choisissez l'employeur", Selected: vals.Get("employer_id") == ""})
	}
	for _, e := range employers {
		v := strconv.FormatInt(e.StructureID, 10)
		emps = append(emps, fieldOption{Value: v, Label: e.Name, Selected: v == vals.Get("employer_id")})
	}
	before := []fieldGroup{{ID: "employeur", Legend: "Employeur", Fields: []formField{
		{Name: "employer_id", Label: "Employeur qui propose l'offre", Type: "select", Required: true,
			Error: fieldMessages(fs, "employer_id"), Options: emps},
	}}}
	after := []fieldGroup{
		{ID: "presentation", Legend: "Présentation", Fields: []formField{
			text("title", "Intitulé de l'offre", fmt.Sprintf("%d caractères au plus", employment.MaxTitleLen), "text", true),
			text("description", "Description", "Les missions, l'équipe, ce qui est attendu", "textarea", false),
			text("external_ref", "Référence", "Votre référence de l'offre, facultative : l'import par fichier CSV met à jour l'offre de même référence", "text", false),
		}},
		{ID: "poste", Legend: "Lieu et contrat", Fields: []formField{
			text("commune_insee", "Commune du poste", "Nom ou code INSEE, par exemple Belfort ou 90010", "text", true).suggest("communes"),
			{Name: "contract", Label: "Contrat", Type: "select", Required: true, Error: fieldMessages(fs, "contract"),
				Options: options(employment.ContractOptions, "Choisissez le contrat", vals.Get("contract"))},
			text("weekly_hours", "Heures par semaine", fmt.Sprintf("De 1 à %d ; une immersion peut laisser 0", employment.MaxWeeklyHours), "number", false),
			{Name: "schedule", Label: "Horaires", Hint: "Le travail de jour en semaine est sous-entendu", Type: "checkboxes",
				Options: checks(scheduleOptions, vals["schedule"])},
			text("start_on", "Date de début", "Format attendu : JJ/MM/AAAA", "date", false),
			text("positions", "Nombre de postes", fmt.Sprintf("De 1 à %d", employment.MaxPositions), "number", true),
		}},
		{ID: "exigences", Legend: "Conditions qui comptent pour les freins à l'emploi", Fields: []formField{
			{Name: "requirements", Label: "Conditions", Hint: "Elles servent au rapprochement avec les personnes accompagnées", Type: "checkboxes",
				Options: checks(requirementOptions, vals["requirements"])},
		}},
		{ID: "publication", Legend: "Publication", Fields: []formField{
			{Name: "status", Label: "Statut", Hint: "Seules les offres ouvertes sont proposées aux personnes et reçoivent des candidatures",
				Type: "select", Error: fieldMessages(fs, "status"), Options: options(employment.OfferStatusOptions, "", vals.Get("status"))[1:]},
		}},
	}
	return before, after
}

// applyOfferForm sets the fields of the form onto o, with a message per
// field that cannot be read.
func (s *Server) applyOfferForm(ev empViewer, form url.Values, o *employment.Offer, fs *problem.Fields) {
	get := func(name string) string { return strings.TrimSpace(form.Get(name)) }
	o.EmployerID = 0
	if id, err := strconv.ParseInt(get("employer_id"), 10, 64); err == nil {
		o.EmployerID = id
	}
	o.Appellation = get("appellation")
	if o.Appellation == "" {
		if a, ok := s.cfg.Referential.Appellation(get("q")); ok { // a code typed in the search field
			o.Appellation = a.Code
		}
	}
	o.Title, o.Description, o.ExternalRef = get("title"), strings.TrimSpace(strings.ReplaceAll(form.Get("description"), "\r\n", "\n")), get("external_ref")
	o.Contract, o.Status = employment.ContractType(get("contract")), employment.OfferStatus(get("status"))
	o.CommuneINSEE = ""
	if typed := get("commune_insee"); typed != "" {
		c, msg := s.resolveTypedCommune(ev.t, typed)
		if msg != "" {
			fs.Add("commune_insee", msg)
		}
		o.CommuneINSEE = c.INSEE
	}
	number := func(name string, dflt int) int {
		v := get(name)
		if v == "" {
			return dflt
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			fs.Add(name, "Saisissez un nombre entier, sans unité.")
		}
		return n
	}
	o.WeeklyHours, o.Positions = number("weekly_hours", 0), number("positions", 1)
	o.StartOn = parseDate(fs, "start_on", formDate(get("start_on")))
	o.Night, o.Weekend = slices.Contains(form["schedule"], "night"), slices.Contains(form["schedule"], "weekend")
	reqs := form["requirements"]
	o.NeedsLicence, o.NeedsVehicle = slices.Contains(reqs, "needs_licence"), slices.Contains(reqs, "needs_vehicle")
	o.TransitReachable, o.DisabilityAdapted = slices.Contains(reqs, "transit_reachable"), slices.Contains(reqs, "disability_adapted")
}

// placeOffer sets what an offer takes from the referential: the ROME code
// of its appellation and the centre of its commune.
func (s *Server) placeOffer(o *employment.Offer) {
	ref := s.cfg.Referential
	o.ROMECode = ""
	if a, ok := ref.Appellation(o.Appellation); ok {
		o.ROMECode = a.ROMECode
	}
	o.Lat, o.Lon = 0, 0
	if c, ok := ref.Commune(o.CommuneINSEE); ok {
		o.Lat, o.Lon = c.Lat, c.Lon
	}
}

// saveOfferAs checks and saves an offer the viewer creates or changes: the
// viewer must be able to edit its employer (and the previous one).
func (s *Server) saveOfferAs(ctx context.Context, ev empViewer, o *employment.Offer, previous int64, fs problem.Fields) error {
	if previous != 0 && o.EmployerID != previous {
		fs.Add("employer_id", "Une offre reste à l'employeur qui l'a publiée.")
		o.EmployerID = previous
	}
	switch e, err := s.store.Employer(ctx, o.EmployerID); {
	case o.EmployerID == 0:
		fs.Add("employer_id", "Choisissez l'employeur qui propose l'offre.")
	case errors.Is(err, store.ErrNotFound) || (err == nil && !ev.canEdit(e)):
		fs.Add("employer_id", "Vous ne pouvez pas publier d'offre pour cet employeur.")
	case err != nil:
		return err
	}
	s.placeOffer(o)
	fs = append(fs, employment.ValidateOffer(s.cfg.Referential, *o)...)
	if err := fs.Err(); err != nil {
		return err
	}
	by := store.Actor{AccountID: ev.v.Account.ID, StructureID: actingFrom(ev), At: s.now()}
	if err := s.store.SaveOffer(ctx, o, by); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return problem.InvalidFields("Cette référence est déjà prise.", problem.Field{Field: "external_ref",
				Message: "L'employeur a déjà une offre de cette référence : choisissez-en une autre, ou laissez le champ vide."})
		}
		return err
	}
	return nil
}

// renderOfferForm shows the offer form with the values and messages
// given, and the jobs found by a search of the referential.
func (s *Server) renderOfferForm(w http.ResponseWriter, r *http.Request, status int, data *offerFormPage, ev empViewer,
	vals url.Values, fs problem.Fields) error {
	employers, err := s.editableEmployers(r.Context(), ev)
	if err != nil {
		return err
	}
	if data.ID != 0 {
		employers = slices.DeleteFunc(employers, func(e employment.Employer) bool {
			return strconv.FormatInt(e.StructureID, 10) != vals.Get("employer_id")
		})
	}
	if len(employers) == 1 {
		vals.Set("employer_id", strconv.FormatInt(employers[0].StructureID, 10))
	}
	data.Before, data.Groups = s.offerGroups(vals, fs, employers)
	chosen := strings.TrimSpace(vals.Get("appellation"))
	if chosen != "" {
		data.Jobs = append(data.Jobs, fieldOption{Value: chosen, Label: s.jobLabel(chosen), Selected: true})
	}
	if data.Searched {
		q := data.Query
		if a, ok := s.cfg.Referential.Appellation(q); ok && a.Code != chosen {
			data.Jobs = append(data.Jobs, fieldOption{Value: a.Code, Label: s.jobLabel(a.Code)})
		}
		for _, a := range s.cfg.Referential.SearchAppellations(q, maxJobSuggestions) {
			if a.Code != chosen {
				data.Jobs = append(data.Jobs, fieldOption{Value: a.Code, Label: a.Label + " (" + a.ROMECode + ")"})
			}
		}
	}
	data.JobError = fieldMessages(fs, "appellation")
	anchors := anchorsOf(append(slices.Clone(data.Before), data.Groups...))
	anchors["appellation"] = [2]string{"metier-q", "Métier"}
	data.Errors = errorLinks(fs, anchors)
	data.Communes = s.communeSuggestions(ev.t.Code)
	s.render(w, r, status, "offer_form", data)
	return nil
}

// offerEditor checks that the viewer may publish offers for one employer
// at least.
func (s *Server) offerEditor(r *http.Request) (empViewer, error) {
	ev, err := s.employmentReader(r)
	if err != nil {
		return ev, err
	}
	es, err := s.editableEmployers(r.Context(), ev)
	if err == nil && len(es) == 0 {
		err = forbidden("Seuls les contacts d'un employeur, le référent de son partenariat et les administrateurs du territoire publient ses offres.")
	}
	return ev, err
}

func (s *Server) newOfferForm(r *http.Request) *offerFormPage {
	return &offerFormPage{page: s.page(r, "Publier une offre"), New: true, Heading: "Publier une offre d'emploi ou d'immersion",
		Action: "/offres", Cancel: "/offres"}
}

func (s *Server) newOfferPage(w http.ResponseWriter, r *http.Request) error {
	ev, err := s.offerEditor(r)
	if err != nil {
		return err
	}
	vals := s.offerValues(employment.Offer{Status: employment.OfferOpen, Contract: "", Positions: 1})
	if id := r.URL.Query().Get("employeur"); id != "" {
		vals.Set("employer_id", id)
	}
	data := s.newOfferForm(r)
	if id := vals.Get("employer_id"); id != "" {
		data.Cancel = "/employeurs/" + url.PathEscape(id)
	}
	return s.renderOfferForm(w, r, http.StatusOK, data, ev, vals, nil)
}

// offerSearchAsked reports whether the form was sent to search the ROME
// rather than to save: the job is searched, and the form shown again.
func (s *Server) offerSearchAsked(w http.ResponseWriter, r *http.Request, data *offerFormPage, ev empViewer) (bool, error) {
	if r.PostFormValue("chercher") == "" {
		return false, nil
	}
	data.Query = strings.TrimSpace(r.PostFormValue("q"))
	if q := []rune(data.Query); len(q) > maxOfferJobQuery {
		data.Query = string(q[:maxOfferJobQuery])
	}
	data.Searched = data.Query != ""
	return true, s.renderOfferForm(w, r, http.StatusOK, data, ev, r.PostForm, nil)
}

// offerFormFailed shows the form again as typed for an invalid input.
func (s *Server) offerFormFailed(w http.ResponseWriter, r *http.Request, data *offerFormPage, ev empViewer, err error) error {
	fs, ok := formErrors(err)
	if !ok {
		return err
	}
	return s.renderOfferForm(w, r, http.StatusBadRequest, data, ev, r.PostForm, fs)
}

func (s *Server) createOfferPage(w http.ResponseWriter, r *http.Request) error {
	ev, err := s.offerEditor(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if done, err := s.offerSearchAsked(w, r, s.newOfferForm(r), ev); done {
		return err
	}
	var fs problem.Fields
	var o employment.Offer
	s.applyOfferForm(ev, r.PostForm, &o, &fs)
	if err := s.saveOfferAs(r.Context(), ev, &o, 0, fs); err != nil {
		return s.offerFormFailed(w, r, s.newOfferForm(r), ev, err)
	}
	s.redirectWithFlash(w, r, "/offres/"+strconv.FormatInt(o.ID, 10), "offer-created")
	return nil
}

// editableOffer returns the offer of the path for a viewer who may change
// it: one it may read but not change is refused, one it may not read is
// not found.
func (s *Server) editableOffer(r *http.Request) (empViewer, employment.Offer, employment.Employer, error) {
	ev, err := s.employmentReader(r)
	if err != nil {
		return ev, employment.Offer{}, employment.Employer{}, err
	}
	o, e, err := s.offerOf(r, ev, "id")
	if err == nil && !ev.canEdit(e) {
		err = forbidden("Seuls les contacts de l'employeur, le référent de son partenariat et les administrateurs du territoire modifient ses offres.")
	}
	return ev, o, e, err
}

func (s *Server) editOfferForm(r *http.Request, o employment.Offer) *offerFormPage {
	path := "/offres/" + strconv.FormatInt(o.ID, 10)
	return &offerFormPage{page: s.page(r, "Modifier l'offre"), ID: o.ID, Heading: "Modifier « " + o.Title + " »", Action: path, Cancel: path}
}

func (s *Server) editOfferPage(w http.ResponseWriter, r *http.Request) error {
	ev, o, _, err := s.editableOffer(r)
	if err != nil {
		return err
	}
	return s.renderOfferForm(w, r, http.StatusOK, s.editOfferForm(r, o), ev, s.offerValues(o), nil)
}

// updateOfferPage saves the offer form, or only a new status (the
// buttons of the offer's page send "only=status").
func (s *Server) updateOfferPage(w http.ResponseWriter, r *http.Request) error {
	ev, prev, _, err := s.editableOffer(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	data := s.editOfferForm(r, prev)
	if done, err := s.offerSearchAsked(w, r, data, ev); done {
		return err
	}
	o := prev
	var fs problem.Fields
	if r.PostFormValue("only") == "status" {
		o.Status = employment.OfferStatus(strings.TrimSpace(r.PostFormValue("status")))
		if err := s.saveOfferAs(r.Context(), ev, &o, prev.EmployerID, nil); err != nil {
			return err
		}
		s.redirectWithFlash(w, r, "/offres/"+strconv.FormatInt(o.ID, 10), "offer-status")
		return nil
	}
	s.applyOfferForm(ev, r.PostForm, &o, &fs)
	if err := s.saveOfferAs(r.Context(), ev, &o, prev.EmployerID, fs); err != nil {
		return s.offerFormFailed(w, r, data, ev, err)
	}
	s.redirectWithFlash(w, r, "/offres/"+strconv.FormatInt(o.ID, 10), "offer-updated")
	return nil
}

// --- Offers: the page -------------------------------------------------------

// candidateRow is an application in a list.
type candidateRow struct {
	ID                                     int64
	Person, Offer, Employer, Job           string
	StateLabel, StateCSS, Updated, Refusal string
	OfferID                                int64
	Link                                   bool
}

type offerPageData struct {
	page
	O                                          employment.Offer
	E                                          employment.Employer
	Job, Contract, Commune, Hours, Schedule    string
	Start, StatusLabel, StatusCSS              string
	Requirements                               []string
	CanEdit, Professional, Contact, ShowPeople bool
	StatusChoices                              []fieldOption
	Candidates                                 []candidateRow
	ShowCandidates                             bool
	Counts                                     []stateCount
}

func (s *Server) offerPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ev, err := s.employmentReader(r)
	if err != nil {
		return err
	}
	o, e, err := s.offerOf(r, ev, "id")
	if err != nil {
		return err
	}
	data := &offerPageData{page: s.page(r, o.Title), O: o, E: e, Job: s.jobLabel(o.Appellation),
		Contract: optionLabel(employment.ContractOptions, string(o.Contract)), Commune: s.communeWithCode(o.CommuneINSEE),
		Hours: hoursText(o), Schedule: scheduleText(o), StatusLabel: optionLabel(employment.OfferStatusOptions, string(o.Status)),
		StatusCSS: offerStatusBadge(o.Status), Requirements: requirementBadges(o), CanEdit: ev.canEdit(e),
		Professional: ev.professional(), Contact: ev.contactOf(e.StructureID)}
	data.ShowPeople = data.Professional && o.Status == employment.OfferOpen
	if !o.StartOn.IsZero() {
		data.Start = o.StartOn.Format("02/01/2006")
	}
	if data.CanEdit {
		for _, opt := range employment.OfferStatusOptions {
			if opt.Code != string(o.Status) {
				data.StatusChoices = append(data.StatusChoices, fieldOption{Value: opt.Code, Label: statusButton(employment.OfferStatus(opt.Code))})
			}
		}
	}
	switch {
	case data.Contact || ev.partnerReferent(e):
		apps, err := s.store.Applications(ctx, store.ApplicationFilter{OfferID: o.ID, Limit: applicationsMax})
		if err != nil {
			return err
		}
		data.ShowCandidates = true
		for _, a := range apps {
			row := s.candidateRow(a, true)
			row.Link = data.Contact
			data.Candidates = append(data.Candidates, row)
		}
	case data.CanEdit:
		apps, err := s.store.Applications(ctx, store.ApplicationFilter{OfferID: o.ID, Limit: applicationsMax})
		if err != nil {
			return err
		}
		data.Counts = countStates(apps)
	}
	s.render(w, r, http.StatusOK, "offer", data)
	return nil
}

// statusButton is the label of the button that gives an offer a status.
func statusButton(st employment.OfferStatus) string {
	switch st {
	case employment.OfferOpen:
		return "Ouvrir aux candidatures"
	case employment.OfferFilled:
		return "Marquer comme pourvue"
	case employment.OfferClosed:
		return "Fermer l'offre"
	}
	return "Repasser en brouillon"
}

// candidateRow is an application in a list; withName tells whether the
// viewer may see the person's name.
func (s *Server) candidateRow(a employment.Application, withName bool) candidateRow {
	row := candidateRow{ID: a.ID, Offer: a.OfferTitle, Employer: a.EmployerName, OfferID: a.OfferID,
		StateLabel: a.State.Label(), StateCSS: stateBadge(a.State), Updated: a.UpdatedAt.In(paris).Format("02/01/2006")}
	if withName {
		row.Person = a.PersonFirstName + " " + a.PersonLastName
	}
	if a.State == employment.StateRefused && a.RefusalReason != "" {
		row.Refusal = optionLabel(employment.RefusalReasonOptions, a.RefusalReason)
	}
	return row
}

// countStates counts applications by state, in the order of the states.
func countStates(apps []employment.Application) []stateCount {
	n := map[employment.ApplicationState]int{}
	for _, a := range apps {
		n[a.State]++
	}
	var out []stateCount
	for _, o := range employment.StateOptions {
		st := employment.ApplicationState(o.Code)
		if n[st] > 0 {
			out = append(out, stateCount{State: o.Code, Label: o.Label, CSS: stateBadge(st), N: n[st]})
		}
	}
	return out
}

// applicationCounts counts the applications to an employer's offers by
// state.
func (s *Server) applicationCounts(ctx context.Context, employerID int64) ([]stateCount, error) {
	apps, err := s.store.Applications(ctx, store.ApplicationFilter{EmployerID: employerID, Limit: applicationsScan})
	if err != nil {
		return nil, err
	}
	return countStates(apps), nil
}

// --- Offers: CSV import and export ------------------------------------

// offerCSVColumns are the columns of the offers' CSV files, in the order
// of the export, with what each holds.
var offerCSVColumns = []struct{ Name, Help string }{
	{"ref", "Votre référence de l'offre : une offre déjà importée avec la même référence est mise à jour, les autres sont créées"},
	{"appellation", "Code OGR de l'appellation du répertoire ROME (obligatoire), par exemple 16276 (magasinier)"},
	{"titre", "Intitulé de l'offre (obligatoire)"},
	{"description", "Description de l'offre"},
	{"commune", "Code INSEE de la commune du poste (obligatoire), par exemple 90010"},
	{"contrat", "cdi, cdd, interim, cddi, cdi_inclusion, apprentissage, professionnalisation ou pmsmp (obligatoire)"},
	{"heures", "Heures par semaine, de 1 à 48 (0 ou vide pour une immersion)"},
	{"nuit", "Travail de nuit : oui ou non"},
	{"weekend", "Travail le week-end : oui ou non"},
	{"debut", "Date de début, au format AAAA-MM-JJ"},
	{"postes", "Nombre de postes, 1 si vide"},
	{"permis", "Permis B exigé : oui ou non"},
	{"vehicule", "Véhicule personnel exigé : oui ou non"},
	{"transports", "Accessible en transports en commun : oui ou non"},
	{"adapte", "Poste adapté à un handicap : oui ou non"},
	{"statut", "draft, open, filled ou closed (open si vide)"},
}

// offerCSVRequired are the columns a file must have.
var offerCSVRequired = []string{"appellation", "titre", "commune", "contrat"}

// offerFieldColumns maps the fields of employment.ValidateOffer to the
// columns of the file.
var offerFieldColumns = map[string]string{
	"appellation": "appellation", "title": "titre", "description": "description", "commune_insee": "commune",
	"contract": "contrat", "weekly_hours": "heures", "positions": "postes", "status": "statut",
}

// lineError is a message about a cell of an imported file; Line 0 is about
// the whole file.
type lineError struct {
	Line    int    `json:"line,omitempty"`
	Column  string `json:"column,omitempty"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// offerFileError holds the messages of a file that cannot be imported:
// nothing was written.
type offerFileError struct {
	Errors []lineError
}

func (e *offerFileError) Error() string { return "web: invalid offers file" }

// detail says in French that nothing was imported.
func (e *offerFileError) detail() string {
	lines := map[int]bool{}
	for _, le := range e.Errors {
		lines[le.Line] = true
	}
	if lines[0] {
		return "Le fichier ne peut pas être importé : rien n'a été écrit."
	}
	n := len(lines)
	return fmt.Sprintf("%d ligne%s du fichier %s pas valide%s : rien n'a été importé.", n, plural(n, "", "s"),
		plural(n, "n'est", "ne sont"), plural(n, "", "s"))
}

func (e *offerFileError) add(line int, column, msg string) {
	le := lineError{Line: line, Column: column, Message: msg}
	switch {
	case line == 0:
		le.Field = "file"
	case column == "":
		le.Field = "ligne " + strconv.Itoa(line)
	default:
		le.Field = "ligne " + strconv.Itoa(line) + ", colonne " + column
	}
	e.Errors = append(e.Errors, le)
}

// csvCell reads a cell of an imported file: a leading apostrophe that
// neutralised a formula (importer.NeutralizeCSV) is removed.
func csvCell(v string) string {
	v = strings.TrimSpace(v)
	if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(v[1])) {
		return v[1:]
	}
	return v
}

// csvBool reads "oui" or "non" (and 1/0, vrai/faux, true/false, x).
func csvBool(v string) (bool, bool) {
	switch referential.Fold(v) {
	case "", "non", "n", "0", "faux", "false", "no":
		return false, true
	case "oui", "o", "1", "vrai", "true", "yes", "x":
		return true, true
	}
	return false, false
}

// readOffersCSV reads a CSV file of offers of an employer: every message
// is collected, by line and column, and no offer is returned while one is.
func (s *Server) readOffersCSV(content []byte, employerID int64) ([]employment.Offer, error) {
	fe := &offerFileError{}
	tb, err := importer.ReadCSV(bytes.NewReader(content))
	if err != nil {
		fe.add(0, "", "Le fichier n'a pas pu être lu : "+err.Error()+".")
		return nil, fe
	}
	col := map[string]int{}
	known := make([]string, len(offerCSVColumns))
	for i, c := range offerCSVColumns {
		known[i] = c.Name
	}
	for i, h := range tb.Header {
		name := referential.Fold(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch {
		case !slices.Contains(known, name):
			fe.add(0, h, fmt.Sprintf("Colonne « %s » inconnue. Colonnes attendues : %s.", h, strings.Join(known, ", ")))
		case col[name] != 0:
			fe.add(0, h, fmt.Sprintf("La colonne « %s » figure deux fois.", h))
		default:
			col[name] = i + 1
		}
	}
	for _, name := range offerCSVRequired {
		if col[name] == 0 {
			fe.add(0, name, fmt.Sprintf("La colonne « %s » manque : les colonnes %s sont obligatoires.", name, strings.Join(offerCSVRequired, ", ")))
		}
	}
	if len(tb.Rows) == 0 {
		fe.add(0, "", "Le fichier ne contient aucune offre, seulement sa ligne d'en-tête.")
	}
	if len(tb.Rows) > offersImportMax {
		fe.add(0, "", fmt.Sprintf("Le fichier compte %d offres : %d au plus par fichier.", len(tb.Rows), offersImportMax))
	}
	if len(fe.Errors) > 0 {
		return nil, fe
	}
	refs := map[string]int{}
	offers := make([]employment.Offer, 0, len(tb.Rows))
	for i, row := range tb.Rows {
		line := tb.Lines[i]
		get := func(name string) string {
			if c := col[name]; c > 0 && c <= len(row) {
				return csvCell(row[c-1])
			}
			return ""
		}
		o := employment.Offer{EmployerID: employerID, ExternalRef: get("ref"), Appellation: get("appellation"), Title: get("titre"),
			Description: get("description"), CommuneINSEE: strings.ToUpper(get("commune")), Positions: 1}
		if o.ExternalRef != "" {
			if first, dup := refs[o.ExternalRef]; dup {
				fe.add(line, "ref", fmt.Sprintf("La référence « %s » figure déjà ligne %d du fichier.", o.ExternalRef, first))
			}
			refs[o.ExternalRef] = line
		}
		if v := get("contrat"); v != "" {
			code, ok := optionCode(employment.ContractOptions, v)
			if !ok {
				code = v
			}
			o.Contract = employment.ContractType(code)
		}
		o.Status = employment.OfferOpen
		if v := get("statut"); v != "" {
			code, ok := optionCode(employment.OfferStatusOptions, v)
			if !ok {
				code = v
			}
			o.Status = employment.OfferStatus(code)
		}
		for _, n := range []struct {
			name string
			dst  *int
		}{{"heures", &o.WeeklyHours}, {"postes", &o.Positions}} {
			v := get(n.name)
			if v == "" {
				continue
			}
			x, err := strconv.Atoi(v)
			if err != nil {
				fe.add(line, n.name, fmt.Sprintf("« %s » n'est pas un nombre entier.", v))
				continue
			}
			*n.dst = x
		}
		if v := get("debut"); v != "" {
			d, err := time.Parse(dateLayout, formDate(v))
			if err != nil {
				fe.add(line, "debut", fmt.Sprintf("« %s » n'est pas une date au format AAAA-MM-JJ.", v))
			}
			o.StartOn = d
		}
		for _, b := range []struct {
			name string
			dst  *bool
		}{{"nuit", &o.Night}, {"weekend", &o.Weekend}, {"permis", &o.NeedsLicence}, {"vehicule", &o.NeedsVehicle},
			{"transports", &o.TransitReachable}, {"adapte", &o.DisabilityAdapted}} {
			v, ok := csvBool(get(b.name))
			if !ok {
				fe.add(line, b.name, fmt.Sprintf("« %s » : oui ou non attendu.", get(b.name)))
			}
			*b.dst = v
		}
		s.placeOffer(&o)
		for _, f := range employment.ValidateOffer(s.cfg.Referential, o) {
			fe.add(line, offerFieldColumns[f.Field], f.Message)
		}
		offers = append(offers, o)
	}
	if len(fe.Errors) > 0 {
		return nil, fe
	}
	return offers, nil
}

// importOffers imports a CSV file of offers into an employer the viewer
// may change, all or nothing.
func (s *Server) importOffers(ctx context.Context, ev empViewer, employerID int64, content []byte) (int, int, error) {
	e, err := s.store.Employer(ctx, employerID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !ev.canEdit(e)) {
		return 0, 0, problem.InvalidFields("Employeur inconnu.", problem.Field{Field: "employer_id",
			Message: "Choisissez un employeur dont vous gérez les offres."})
	}
	if err != nil {
		return 0, 0, err
	}
	offers, err := s.readOffersCSV(content, employerID)
	if err != nil {
		return 0, 0, err
	}
	by := store.Actor{AccountID: ev.v.Account.ID, StructureID: actingFrom(ev), At: s.now()}
	created, updated, err := s.store.ImportOffers(ctx, ev.t.ID, offers, by)
	if errors.Is(err, store.ErrConflict) {
		fe := &offerFileError{}
		fe.add(0, "ref", "Deux offres du fichier désignent la même offre existante : vérifiez les références.")
		return 0, 0, fe
	}
	return created, updated, err
}

// offerCSVRows turns offers into the rows of the CSV file.
func offerCSVRows(hits []offerHit) [][]string {
	yes := func(b bool) string {
		if b {
			return "oui"
		}
		return "non"
	}
	rows := make([][]string, 0, len(hits))
	for _, h := range hits {
		o := h.Offer
		hours := ""
		if o.WeeklyHours > 0 {
			hours = strconv.Itoa(o.WeeklyHours)
		}
		rows = append(rows, []string{o.ExternalRef, o.Appellation, o.Title, o.Description, o.CommuneINSEE, string(o.Contract), hours,
			yes(o.Night), yes(o.Weekend), formatDate(o.StartOn), strconv.Itoa(o.Positions), yes(o.NeedsLicence), yes(o.NeedsVehicle),
			yes(o.TransitReachable), yes(o.DisabilityAdapted), string(o.Status)})
	}
	return rows
}

type importOfferRow struct {
	Line            int
	Column, Message string
}

type offersImportPageData struct {
	page
	Employers        []fieldOption
	Columns          []struct{ Name, Help string }
	Errors           []errorLink
	FileErrors       []string
	EmployerError    string
	Lines            []importOfferRow
	Filename         string
	Done             bool
	Created, Updated int
	EmployerID       int64
}

// offerImporter checks that the viewer may import offers for one employer
// at least, and lists those employers.
func (s *Server) offerImporter(r *http.Request) (empViewer, []employment.Employer, error) {
	ev, err := s.employmentReader(r)
	if err != nil {
		return ev, nil, err
	}
	es, err := s.editableEmployers(r.Context(), ev)
	if err == nil && len(es) == 0 {
		err = forbidden("Seuls les contacts d'un employeur, le référent de son partenariat et les administrateurs du territoire importent ses offres.")
	}
	return ev, es, err
}

func (s *Server) offersImportData(r *http.Request, es []employment.Employer, selected string) *offersImportPageData {
	data := &offersImportPageData{page: s.page(r, "Importer des offres (CSV)"), Columns: offerCSVColumns}
	if len(es) != 1 {
		data.Employers = append(data.Employers, fieldOption{Value: "", Label: "Choisissez l'employeur", Selected: selected == ""})
	}
	for _, e := range es {
		v := strconv.FormatInt(e.StructureID, 10)
		data.Employers = append(data.Employers, fieldOption{Value: v, Label: e.Name, Selected: v == selected || len(es) == 1})
	}
	return data
}

func (s *Server) offersImportPage(w http.ResponseWriter, r *http.Request) error {
	_, es, err := s.offerImporter(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "offers_import", s.offersImportData(r, es, r.URL.Query().Get("employeur")))
	return nil
}

// readOfferUpload reads the import form: the employer and the file.
func readOfferUpload(r *http.Request) (employerID, filename string, content []byte, err error) {
	fileErr := func(msg string) error {
		return problem.InvalidFields("Le fichier n'a pas pu être lu.", problem.Field{Field: "file", Message: msg})
	}
	if r.ContentLength > maxImport {
		return "", "", nil, fileErr("Le fichier dépasse " + strconv.Itoa(maxImport>>20) + " Mo : découpez-le en plusieurs fichiers.")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return "", "", nil, fileErr("Choisissez le fichier CSV à importer.")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", "", nil, errBodyTooLarge
		}
		if err != nil {
			return "", "", nil, fileErr("L'envoi du fichier a échoué : réessayez.")
		}
		switch part.FormName() {
		case "employer_id":
			b, err := io.ReadAll(io.LimitReader(part, 64))
			if err != nil {
				return "", "", nil, fileErr("L'envoi du fichier a échoué : réessayez.")
			}
			employerID = strings.TrimSpace(string(b))
		case "file":
			if part.FileName() == "" {
				continue
			}
			filename = part.FileName()
			if content, err = io.ReadAll(part); err != nil {
				if errors.As(err, &mbe) {
					return "", "", nil, errBodyTooLarge
				}
				return "", "", nil, fileErr("L'envoi du fichier a échoué : réessayez.")
			}
		}
	}
	if filename == "" {
		return employerID, "", nil, fileErr("Choisissez le fichier CSV à importer.")
	}
	return employerID, filename, content, nil
}

// offersImport imports a CSV file of offers, all or nothing: the page
// lists every line and column at fault, and nothing is written while one
// is.
func (s *Server) offersImport(w http.ResponseWriter, r *http.Request) error {
	ev, es, err := s.offerImporter(r)
	if err != nil {
		return err
	}
	employer, filename, content, err := readOfferUpload(r)
	data := s.offersImportData(r, es, employer)
	data.Filename = filename
	if len(es) == 1 && employer == "" {
		employer = strconv.FormatInt(es[0].StructureID, 10)
	}
	var created, updated int
	if err == nil {
		id, perr := strconv.ParseInt(employer, 10, 64)
		if perr != nil || id <= 0 {
			err = problem.InvalidFields("Employeur manquant.", problem.Field{Field: "employer_id", Message: "Choisissez l'employeur des offres."})
		} else {
			created, updated, err = s.importOffers(r.Context(), ev, id, content)
			data.EmployerID = id
		}
	}
	if err != nil {
		var fe *offerFileError
		p, ok := problem.As(err)
		switch {
		case errors.As(err, &fe):
			lines := 0
			for _, le := range fe.Errors {
				if le.Line == 0 {
					data.FileErrors = append(data.FileErrors, le.Message)
					data.Errors = append(data.Errors, errorLink{Href: "#file", Text: le.Message})
					continue
				}
				lines++
				data.Lines = append(data.Lines, importOfferRow{Line: le.Line, Column: le.Column, Message: le.Message})
			}
			if lines > 0 {
				data.Errors = append(data.Errors, errorLink{Href: "#lignes", Text: fe.detail()})
			}
		case ok && p.Kind == problem.Invalid:
			for _, f := range p.Fields {
				if f.Field == "employer_id" {
					data.EmployerError = f.Message
					data.Errors = append(data.Errors, errorLink{Href: "#employer_id", Text: f.Message})
				} else {
					data.FileErrors = append(data.FileErrors, f.Message)
					data.Errors = append(data.Errors, errorLink{Href: "#file", Text: f.Message})
				}
			}
			if len(p.Fields) == 0 {
				data.FileErrors = append(data.FileErrors, p.Detail)
				data.Errors = append(data.Errors, errorLink{Href: "#file", Text: p.Detail})
			}
		default:
			return err
		}
		s.render(w, r, http.StatusBadRequest, "offers_import", data)
		return nil
	}
	data.Done, data.Created, data.Updated = true, created, updated
	s.render(w, r, http.StatusOK, "offers_import", data)
	return nil
}
