package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

// The pages of the directory of services (l'offre d'insertion du
// territoire): the search, a service's page, the form that publishes or
// changes a service, and the data·inclusion import. Reading is for
// access.SearchDirectory; a structure's services are changed under
// access.EditServices, the whole directory under access.ManageDirectory.

// Limits of a search.
const (
	searchPageLimit = 50  // results on the page
	searchAPILimit  = 20  // results of the API by default
	searchMaxLimit  = 100 // results of the API at most
	maxRadiusKm     = 200
	maxSearchText   = 200
	ownListLimit    = 100 // services listed under "Services que vous gérez"
)

// dirViewer is the territory and viewer of a directory request, once
// access.SearchDirectory allowed it.
type dirViewer struct {
	t  territory.Territory
	v  *viewer
	av access.Viewer
}

// directoryReader diChecks that the viewer may read the territory's
// directory.
func (s *Server) directoryReader(r *http.Request) (dirViewer, error) {
	ctx := r.Context()
	v := viewerOf(ctx)
	dv := dirViewer{t: s.territory(ctx), v: v, av: accessViewer(v)}
	if !access.SearchDirectory(dv.av, dv.t.ID).Allowed {
		return dv, forbidden("Votre compte ne donne pas accès à l'annuaire des services du territoire.")
	}
	return dv, nil
}

// manages reports whether the viewer manages the whole directory.
func (dv dirViewer) manages() bool { return access.ManageDirectory(dv.av, dv.t.ID).Allowed }

// canEdit reports whether the viewer may change the services of the
// structure.
func (dv dirViewer) canEdit(structureID int64) bool {
	return access.EditServices(dv.av, dv.t.ID, structureID).Allowed
}

// canSee reports whether the viewer may read the service: a published
// service of the territory, or any service it may edit.
func (dv dirViewer) canSee(sv directory.Service) bool {
	return sv.TerritoryID == dv.t.ID && (sv.Status == directory.StatusPublished || dv.canEdit(sv.StructureID))
}

// editableStructures are the structures whose services the viewer may
// change: every structure of the territory for its administrators, else
// those of its memberships that access.EditServices allows.
func (s *Server) editableStructures(ctx context.Context, dv dirViewer) ([]directory.Structure, error) {
	all, err := s.store.DirectoryStructures(ctx, dv.t.ID)
	if err != nil {
		return nil, err
	}
	var out []directory.Structure
	for _, st := range all {
		if dv.canEdit(st.ID) {
			out = append(out, st)
		}
	}
	return out, nil
}

// canPublish reports whether the viewer may publish a service for one of
// its structures.
func (dv dirViewer) canPublish() bool {
	if dv.manages() {
		return true
	}
	for _, m := range dv.v.Account.Memberships {
		if dv.canEdit(m.StructureID) {
			return true
		}
	}
	return false
}

// serviceOf returns the service named by the path value, as a 404 when the
// viewer may not read it, exactly like a service that does not exist.
func (s *Server) serviceOf(r *http.Request, dv dirViewer, name string) (directory.Service, error) {
	unknown := notFound("Ce service n'existe pas ou ne vous est pas accessible.")
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return directory.Service{}, unknown
	}
	sv, err := s.store.Service(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !dv.canSee(sv)) {
		return directory.Service{}, unknown
	}
	return sv, err
}

// --- Labels -------------------------------------------------------------

// diLabels maps the codes of a data·inclusion list to their French labels.
func (s *Server) diLabels(list string) map[string]string {
	m := map[string]string{}
	for _, c := range s.cfg.Referential.DataInclusion(list) {
		m[c.Code] = c.Label
	}
	return m
}

// diLabelsOf returns the labels of codes, the code itself when unknown.
func diLabelsOf(names map[string]string, codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if l, ok := names[c]; ok {
			out = append(out, l)
		} else {
			out = append(out, c)
		}
	}
	return out
}

// zoneLabel names a code of a zone of eligibility.
func (s *Server) zoneLabel(z string) string {
	ref := s.cfg.Referential
	switch {
	case z == "france":
		return "France entière"
	case len(z) == 9:
		return "EPCI (SIREN " + z + ")"
	case len(z) == 5:
		if c, ok := ref.Commune(z); ok {
			return c.Name + " (" + z + ")"
		}
	default:
		if d, ok := ref.Departement(z); ok {
			return d.Name + " (département " + z + ")"
		}
	}
	return z
}

// communeWithCode is "Belfort (90010)", or the code when unknown.
func (s *Server) communeWithCode(insee string) string {
	if c, ok := s.cfg.Referential.Commune(insee); ok {
		return c.Name + " (" + c.INSEE + ")"
	}
	return insee
}

// frenchDecimal writes x with a decimal comma and at most one decimal.
func frenchDecimal(x float64) string {
	return strings.TrimSuffix(strings.Replace(strconv.FormatFloat(x, 'f', 1, 64), ".", ",", 1), ",0")
}

// distanceText is "à 4,2 km".
func distanceText(km float64) string {
	if km < 0.1 {
		return "à moins de 100 m"
	}
	return "à " + frenchDecimal(km) + " km"
}

// serviceStatusBadge is the DSFR badge class of a status.
func serviceStatusBadge(st directory.Status) string {
	switch st {
	case directory.StatusPublished:
		return "fr-badge--success"
	case directory.StatusSuspended:
		return "fr-badge--warning"
	case directory.StatusArchived:
		return "fr-badge--error"
	}
	return "fr-badge--info"
}

// --- Communes and search criteria --------------------------------------------

// codeInParens finds the INSEE code of "Belfort (90010)".
var codeInParens = regexp.MustCompile(`\(\s*([0-9][0-9AB][0-9]{3})\s*\)\s*$`)

// communeKey folds a commune's name for comparison: case, accents, hyphens
// and apostrophes do not count.
func communeKey(s string) string {
	return strings.Join(strings.FieldsFunc(referential.Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// resolveTypedCommune finds the commune a person typed: an INSEE code, "Name
// (code)", or a name of the territory's département. The message says why
// when none or several match.
func (s *Server) resolveTypedCommune(t territory.Territory, typed string) (referential.Commune, string) {
	ref := s.cfg.Referential
	typed = strings.TrimSpace(typed)
	if m := codeInParens.FindStringSubmatch(typed); m != nil {
		typed = m[1]
	}
	if c, ok := ref.Commune(strings.ToUpper(typed)); ok {
		return c, ""
	}
	where := "le département"
	if d, ok := ref.Departement(t.Code); ok {
		where = "le département " + d.Name
	}
	found := ref.SearchCommunes(typed, t.Code, 6)
	switch {
	case len(found) == 0:
		return referential.Commune{}, fmt.Sprintf("Aucune commune « %s » dans %s : saisissez son nom ou son code INSEE (5 caractères).", typed, where)
	case len(found) == 1 || communeKey(found[0].Name) == communeKey(typed) && (len(found) == 1 || communeKey(found[1].Name) != communeKey(typed)):
		return found[0], ""
	}
	var names []string
	for _, c := range found[:min(len(found), 5)] {
		names = append(names, c.Name+" ("+c.INSEE+")")
	}
	return referential.Commune{}, "Plusieurs communes correspondent : " + strings.Join(names, ", ") + ". Précisez le nom ou saisissez le code INSEE."
}

// serviceSearchInput is a search as typed, on the page or in the API.
type serviceSearchInput struct {
	Thematiques                         []string
	Commune, Radius, Type, Fees, Public string
	Text                                string
}

// parseKm reads a number of kilometres, with a decimal point or comma.
func parseKm(v string) (float64, bool) {
	x, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(v), ",", ".", 1), 64)
	return x, err == nil && !math.IsNaN(x) && !math.IsInf(x, 0)
}

// directoryQuery turns a search as typed into a query of the directory,
// thématiques expanded, with a French message per criterion that cannot
// be read. radiusField names the radius in the messages ("rayon" on the
// page, "radius_km" in the API). The commune found is returned for the page.
func (s *Server) directoryQuery(t territory.Territory, in serviceSearchInput, radiusField string) (directory.Query, referential.Commune, problem.Fields) {
	ref := s.cfg.Referential
	var fs problem.Fields
	q := directory.Query{Type: strings.TrimSpace(in.Type), Fees: strings.TrimSpace(in.Fees), Public: strings.TrimSpace(in.Public),
		Text: strings.TrimSpace(in.Text)}
	var codes []string
	for _, th := range in.Thematiques {
		if th = strings.TrimSpace(th); th == "" {
			continue
		}
		if !ref.IsDataInclusionCode("thematiques", th) && !ref.IsDataInclusionCode("thematiques_categories", th) {
			fs.Add("thematique", fmt.Sprintf("« %s » n'est ni une thématique ni une catégorie de thématiques data·inclusion.", th))
			continue
		}
		codes = append(codes, th)
	}
	if len(codes) > 0 {
		q.Thematiques = directory.ExpandThematiques(ref, codes)
	}
	if q.Type != "" && !ref.IsDataInclusionCode("types_de_services", q.Type) {
		fs.Add("type", fmt.Sprintf("« %s » n'est pas un type de service data·inclusion.", q.Type))
	}
	if q.Fees != "" && !ref.IsDataInclusionCode("frais", q.Fees) {
		fs.Add("frais", "Frais attendus : gratuit ou payant.")
	}
	if q.Public != "" && !ref.IsDataInclusionCode("publics", q.Public) {
		fs.Add("public", fmt.Sprintf("« %s » n'est pas un public data·inclusion.", q.Public))
	}
	if utf8.RuneCountInString(q.Text) > maxSearchText {
		fs.Add("q", fmt.Sprintf("Saisissez %d caractères au plus.", maxSearchText))
	}
	var c referential.Commune
	if strings.TrimSpace(in.Commune) != "" {
		var msg string
		if c, msg = s.resolveTypedCommune(t, in.Commune); msg != "" {
			fs.Add("commune", msg)
		} else {
			q.HasFrom, q.FromLat, q.FromLon = true, c.Lat, c.Lon
			q.CommuneINSEE, q.Departement = c.INSEE, c.Departement
		}
	}
	q.RadiusKm = directory.DefaultRadiusKm
	if v := strings.TrimSpace(in.Radius); v != "" {
		km, ok := parseKm(v)
		if !ok || km < 0 || km > maxRadiusKm {
			fs.Add(radiusField, fmt.Sprintf("Le rayon est un nombre de kilomètres, de 0 (sans limite) à %d.", maxRadiusKm))
		}
		q.RadiusKm = km
	}
	return q, c, fs
}

// --- The search page --------------------------------------------------------

// directoryForm is the search as typed, to show it again.
type directoryForm struct {
	Thematique, Commune, Rayon, Type, Frais, Public, Q string
}

// thematiqueGroup is an optgroup of the thématique select: a category, to
// choose whole or by one of its thématiques.
type thematiqueGroup struct {
	Label    string
	Category fieldOption
	Options  []fieldOption
}

// categoryLink is a category of thématiques on the empty search.
type categoryLink struct {
	Label, Href string
}

// serviceRow is a service in a list.
type serviceRow struct {
	ID                                        int64
	Name, Structure, Commune, Distance        string
	Remote                                    bool
	Thematiques                               []string
	Type, Fees, Delay, StatusLabel, StatusCSS string
}

// serviceTable is a table of services: the results of a search, with
// their response delay, or the services one manages, with their status.
type serviceTable struct {
	Caption string
	Rows    []serviceRow
	Status  bool
}

type directoryPage struct {
	page
	Form            directoryForm
	Thematiques     []thematiqueGroup
	Rayons          []fieldOption
	Selects         []formField // type, frais, public
	Communes        []string    // suggestions of the commune field
	Fields          problem.Fields
	Errors          []errorLink
	Searched        bool
	Results         serviceTable
	More            bool
	Limit           int
	CommuneName     string
	Published       int
	Categories      []categoryLink
	CanPublish      bool
	CanManage       bool
	Own             serviceTable
	OwnMore         bool
	DefaultRadiusKm int
}

// searchAnchors name the search fields for the error summary.
var searchAnchors = map[string][2]string{
	"thematique": {"thematique", "Thématique"},
	"commune":    {"commune", "Commune"},
	"rayon":      {"rayon", "Rayon"},
	"type":       {"type", "Type de service"},
	"frais":      {"frais", "Frais"},
	"public":     {"public", "Public"},
	"q":          {"q", "Mots-clés"},
}

// diOptions are the choices of a data·inclusion list.
func (s *Server) diOptions(list, empty, selected string) []fieldOption {
	out := []fieldOption{{Value: "", Label: empty, Selected: selected == ""}}
	for _, c := range s.cfg.Referential.DataInclusion(list) {
		out = append(out, fieldOption{Value: c.Code, Label: c.Label, Selected: c.Code == selected})
	}
	return out
}

// thematiqueGroups are the categories with their thématiques, for a select.
func (s *Server) thematiqueGroups(selected string) []thematiqueGroup {
	ref := s.cfg.Referential
	var out []thematiqueGroup
	for _, cat := range ref.DataInclusion("thematiques_categories") {
		g := thematiqueGroup{Label: cat.Label, Category: fieldOption{Value: cat.Code, Label: cat.Label + " (toute la catégorie)", Selected: cat.Code == selected}}
		for _, th := range ref.DataInclusion("thematiques") {
			if th.Category == cat.Code {
				g.Options = append(g.Options, fieldOption{Value: th.Code, Label: th.Label, Selected: th.Code == selected})
			}
		}
		out = append(out, g)
	}
	return out
}

// serviceRows turns services into serviceRows of a list, with their distance when known.
func (s *Server) serviceRows(hits []directory.Hit, delays map[int64]directory.Delay) []serviceRow {
	them, types, fees := s.diLabels("thematiques"), s.diLabels("types_de_services"), s.diLabels("frais")
	out := make([]serviceRow, 0, len(hits))
	for _, h := range hits {
		row := serviceRow{ID: h.ID, Name: h.Name, Structure: h.StructureName, Remote: h.Remote(),
			Thematiques: diLabelsOf(them, h.Thematiques), Type: types[h.Type], Fees: fees[h.Fees],
			StatusLabel: h.Status.Label(), StatusCSS: serviceStatusBadge(h.Status)}
		if h.CommuneINSEE != "" {
			if c, ok := s.cfg.Referential.Commune(h.CommuneINSEE); ok {
				row.Commune = c.Name
			}
		}
		if h.DistanceKm >= 0 {
			row.Distance = distanceText(h.DistanceKm)
		}
		if delays != nil {
			row.Delay = delays[h.ID].String()
		}
		out = append(out, row)
	}
	return out
}

func (s *Server) directoryPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	dv, err := s.directoryReader(r)
	if err != nil {
		return err
	}
	qs := r.URL.Query()
	form := directoryForm{Thematique: strings.TrimSpace(qs.Get("thematique")), Commune: strings.TrimSpace(qs.Get("commune")),
		Rayon: strings.TrimSpace(qs.Get("rayon")), Type: qs.Get("type"), Frais: qs.Get("frais"), Public: qs.Get("public"),
		Q: strings.TrimSpace(qs.Get("q"))}
	data := &directoryPage{page: s.page(r, "Annuaire des services"), Form: form, Limit: searchPageLimit,
		CanPublish: dv.canPublish(), CanManage: dv.manages(), DefaultRadiusKm: directory.DefaultRadiusKm}
	data.Searched = form != directoryForm{Rayon: form.Rayon}
	status := http.StatusOK
	if data.Searched {
		q, c, fs := s.directoryQuery(dv.t, serviceSearchInput{Thematiques: []string{form.Thematique}, Commune: form.Commune,
			Radius: form.Rayon, Type: form.Type, Fees: form.Frais, Public: form.Public, Text: form.Q}, "rayon")
		if len(fs) > 0 {
			data.Fields, data.Errors, status = fs, errorLinks(fs, searchAnchors), http.StatusBadRequest
			data.Searched = false
		} else {
			q.Limit = searchPageLimit + 1
			hits, err := s.store.SearchServices(ctx, dv.t.ID, q)
			if err != nil {
				return err
			}
			delays, err := s.store.ServiceDelays(ctx, dv.t.ID)
			if err != nil {
				return err
			}
			if len(hits) > searchPageLimit {
				hits, data.More = hits[:searchPageLimit], true
			}
			data.Results = serviceTable{Caption: "Services trouvés, les plus pertinents d'abord", Rows: s.serviceRows(hits, delays)}
			if q.HasFrom {
				data.CommuneName = c.Name
				if form.Rayon == "" {
					form.Rayon = strconv.Itoa(directory.DefaultRadiusKm)
				}
			}
		}
	}
	if !data.Searched {
		counts, err := s.store.CountServices(ctx, dv.t.ID)
		if err != nil {
			return err
		}
		data.Published = counts[directory.StatusPublished]
		for _, cat := range s.cfg.Referential.DataInclusion("thematiques_categories") {
			data.Categories = append(data.Categories, categoryLink{Label: cat.Label, Href: "/annuaire?thematique=" + url.QueryEscape(cat.Code)})
		}
		if err := s.fillOwnServices(ctx, dv, data); err != nil {
			return err
		}
	}
	data.Form = form
	data.Thematiques = s.thematiqueGroups(form.Thematique)
	data.Rayons = radiusOptions(form.Rayon)
	data.Selects = []formField{
		{Name: "type", Label: "Type de service", Error: data.Fields.For("type"), Options: s.diOptions("types_de_services", "Tous les types", form.Type)},
		{Name: "frais", Label: "Frais", Error: data.Fields.For("frais"), Options: s.diOptions("frais", "Gratuit ou payant", form.Frais)},
		{Name: "public", Label: "Public", Error: data.Fields.For("public"), Options: s.diOptions("publics", "Tous les publics", form.Public)},
	}
	data.Communes = s.communeSuggestions(dv.t.Code)
	s.render(w, r, status, "directory", data)
	return nil
}

// radiusOptions are the radii of the search, the one typed kept.
func radiusOptions(selected string) []fieldOption {
	if selected == "" {
		selected = strconv.Itoa(directory.DefaultRadiusKm)
	}
	var out []fieldOption
	found := false
	for _, km := range []int{5, 10, 15, 20, 30, 50, 0} {
		label := strconv.Itoa(km) + " km"
		if km == 0 {
			label = "Sans limite de distance"
		}
		v := strconv.Itoa(km)
		found = found || v == selected
		out = append(out, fieldOption{Value: v, Label: label, Selected: v == selected})
	}
	if !found {
		if km, ok := parseKm(selected); ok && km > 0 && km <= maxRadiusKm {
			out = append(out, fieldOption{Value: selected, Label: frenchDecimal(km) + " km", Selected: true})
		}
	}
	return out
}

// fillOwnServices lists the services the viewer manages, whatever their status:
// those of its structures, or for an administrator those of the territory
// not published.
func (s *Server) fillOwnServices(ctx context.Context, dv dirViewer, data *directoryPage) error {
	var svs []directory.Service
	switch {
	case dv.manages():
		all, err := s.store.Services(ctx, store.ServiceFilter{TerritoryID: dv.t.ID,
			Statuses: []directory.Status{directory.StatusDraft, directory.StatusSuspended, directory.StatusArchived}})
		if err != nil {
			return err
		}
		svs, data.Own.Caption = all, "Services non publiés du territoire"
	default:
		seen := map[int64]bool{}
		for _, m := range dv.v.Account.Memberships {
			if seen[m.StructureID] || !dv.canEdit(m.StructureID) {
				continue
			}
			seen[m.StructureID] = true
			mine, err := s.store.Services(ctx, store.ServiceFilter{TerritoryID: dv.t.ID, StructureID: m.StructureID})
			if err != nil {
				return err
			}
			svs = append(svs, mine...)
		}
		data.Own.Caption = "Les services de votre structure"
	}
	if len(svs) > ownListLimit {
		svs, data.OwnMore = svs[:ownListLimit], true
	}
	hits := make([]directory.Hit, len(svs))
	for i, sv := range svs {
		hits[i] = directory.Hit{Service: sv, DistanceKm: -1}
	}
	data.Own.Rows, data.Own.Status = s.serviceRows(hits, nil), true
	return nil
}

// --- The service page -------------------------------------------------------

type servicePage struct {
	page
	Service                                    directory.Service
	Structure                                  directory.Structure
	StatusLabel, StatusCSS                     string
	Type, Fees                                 string
	Thematiques                                []categoryThematique
	Publics, Modes, MobilisationModes, MobBy   []string
	Zone                                       []string
	Commune, StructureCommune                  string
	WeeklyHours, Delay                         string
	CanEdit, Remote, Imported, StructureMember bool
}

// categoryThematique is a thématique with its category.
type categoryThematique struct {
	Category, Label string
}

func (s *Server) servicePage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	dv, err := s.directoryReader(r)
	if err != nil {
		return err
	}
	sv, err := s.serviceOf(r, dv, "sid")
	if err != nil {
		return err
	}
	st, err := s.store.DirectoryStructure(ctx, sv.StructureID)
	if err != nil {
		return err
	}
	delays, err := s.store.ServiceDelays(ctx, dv.t.ID)
	if err != nil {
		return err
	}
	cats := s.diLabels("thematiques_categories")
	data := &servicePage{page: s.page(r, sv.Name), Service: sv, Structure: st, StatusLabel: sv.Status.Label(),
		StatusCSS: serviceStatusBadge(sv.Status), Type: s.diLabels("types_de_services")[sv.Type], Fees: s.diLabels("frais")[sv.Fees],
		Publics: diLabelsOf(s.diLabels("publics"), sv.Publics), Modes: diLabelsOf(s.diLabels("modes_accueil"), sv.ReceptionModes),
		MobilisationModes: diLabelsOf(s.diLabels("modes_mobilisation"), sv.MobilisationModes),
		MobBy:             diLabelsOf(s.diLabels("personnes_mobilisatrices"), sv.MobilisableBy),
		Delay:             delays[sv.ID].String(), CanEdit: dv.canEdit(sv.StructureID), Remote: sv.Remote(),
		Imported: sv.Source != "", StructureMember: st.Member}
	for _, c := range s.cfg.Referential.DataInclusion("thematiques") {
		if slices.Contains(sv.Thematiques, c.Code) {
			data.Thematiques = append(data.Thematiques, categoryThematique{Category: cats[c.Category], Label: c.Label})
		}
	}
	for _, z := range sv.EligibilityZone {
		data.Zone = append(data.Zone, s.zoneLabel(z))
	}
	if sv.CommuneINSEE != "" {
		data.Commune = s.communeWithCode(sv.CommuneINSEE)
	}
	if st.CommuneINSEE != "" {
		data.StructureCommune = s.communeWithCode(st.CommuneINSEE)
	}
	if sv.WeeklyHours > 0 {
		data.WeeklyHours = frenchDecimal(sv.WeeklyHours) + " heure" + plural(int(math.Ceil(sv.WeeklyHours)), "", "s") + " par semaine"
	}
	s.render(w, r, http.StatusOK, "service", data)
	return nil
}

// --- The service form ----------------------------------------------------

// thematiqueSet is a fieldset of checkboxes of the service form: the
// thématiques of one category.
type thematiqueSet struct {
	ID, Legend string
	Options    []fieldOption
}

type serviceFormPage struct {
	page
	New              bool
	ServiceID        int64
	Heading, Action  string
	Groups           []fieldGroup // before the thématiques
	Thematiques      []thematiqueSet
	ThematiquesError string
	More             []fieldGroup // after them
	Errors           []errorLink
	Communes         []string
}

// serviceFormFields gives the messages of a service's fields to the form: a
// message about an item of a list ("thematiques[2]") goes to the list.
func serviceFormFields(fs problem.Fields) problem.Fields {
	out := make(problem.Fields, 0, len(fs))
	for _, f := range fs {
		name, _, _ := strings.Cut(f.Field, "[")
		out = append(out, problem.Field{Field: name, Message: f.Message})
	}
	return out
}

// fieldMessages joins the messages about a field.
func fieldMessages(fs problem.Fields, name string) string {
	var msgs []string
	for _, f := range fs {
		if f.Field == name && !slices.Contains(msgs, f.Message) {
			msgs = append(msgs, f.Message)
		}
	}
	return strings.Join(msgs, " ")
}

// diChecks are the choices of a data·inclusion list as checkboxes.
func (s *Server) diChecks(list string, selected []string) []fieldOption {
	var out []fieldOption
	for _, c := range s.cfg.Referential.DataInclusion(list) {
		out = append(out, fieldOption{Value: c.Code, Label: c.Label, Selected: slices.Contains(selected, c.Code)})
	}
	return out
}

// serviceGroups are the fieldsets of the service form, filled from vals,
// with the messages of fs.
func (s *Server) serviceGroups(vals url.Values, fs problem.Fields, structures []directory.Structure) ([]fieldGroup, []thematiqueSet, []fieldGroup) {
	text := func(name, label, hint, typ string, required bool) formField {
		return formField{Name: name, Label: label, Hint: hint, Type: typ, Value: vals.Get(name), Error: fieldMessages(fs, name),
			Autocomplete: "off", Required: required}
	}
	choice := func(name, label, hint, list, empty string) formField {
		return formField{Name: name, Label: label, Hint: hint, Type: "select", Error: fieldMessages(fs, name),
			Options: s.diOptions(list, empty, vals.Get(name))}
	}
	diChecks := func(name, label, hint, list string) formField {
		return formField{Name: name, Label: label, Hint: hint, Type: "checkboxes", Error: fieldMessages(fs, name),
			Options: s.diChecks(list, vals[name]), Inline: true}
	}
	sts := []fieldOption{{Value: "", Label: "Choisissez la structure", Selected: vals.Get("structure_id") == ""}}
	for _, st := range structures {
		v := strconv.FormatInt(st.ID, 10)
		sts = append(sts, fieldOption{Value: v, Label: st.Name, Selected: v == vals.Get("structure_id")})
	}
	status := options(directory.StatusOptions, "", vals.Get("statut"))[1:]
	before := []fieldGroup{
		{ID: "publication", Legend: "Structure et publication", Fields: []formField{
			{Name: "structure_id", Label: "Structure qui propose le service", Type: "select", Required: true,
				Error: fieldMessages(fs, "structure_id"), Options: sts},
			{Name: "statut", Label: "Statut", Hint: "Seuls les services publiés sont trouvés par la recherche et reçoivent des adressages.",
				Type: "select", Error: fieldMessages(fs, "statut"), Options: status},
		}},
		{ID: "presentation", Legend: "Présentation", Fields: []formField{
			text("nom", "Nom du service", fmt.Sprintf("De %d à %d caractères, sans point final", directory.MinNameLen, directory.MaxNameLen), "text", true),
			text("description", "Description", "Ce que le service apporte, à qui, comment", "textarea", true),
			choice("type", "Type de service", "", "types_de_services", "Non renseigné"),
		}},
	}
	var sets []thematiqueSet
	cats := s.cfg.Referential.DataInclusion("thematiques_categories")
	all := s.diChecks("thematiques", vals["thematiques"])
	them := s.cfg.Referential.DataInclusion("thematiques")
	for _, cat := range cats {
		set := thematiqueSet{ID: "thematiques-" + cat.Code, Legend: cat.Label}
		for i, th := range them {
			if th.Category == cat.Code {
				set.Options = append(set.Options, all[i])
			}
		}
		sets = append(sets, set)
	}
	after := []fieldGroup{
		{ID: "public", Legend: "Public et conditions", Fields: []formField{
			diChecks("publics", "Publics", "« Tous publics » ne se combine pas avec d'autres publics", "publics"),
			text("publics_precisions", "Précisions sur le public", "", "textarea", false),
			text("conditions_acces", "Conditions d'accès", "Critères, justificatifs demandés", "textarea", false),
			choice("frais", "Frais", "", "frais", "Non renseigné"),
			text("frais_precisions", "Précisions sur les frais", "", "text", false),
		}},
		{ID: "lieu", Legend: "Lieu et accueil", Fields: []formField{
			diChecks("modes_accueil", "Modes d'accueil", "", "modes_accueil"),
			text("code_insee", "Commune", "Nom ou code INSEE, par exemple Belfort ou 90010", "text", false).suggest("communes"),
			text("adresse", "Adresse", "Numéro et voie", "text", false),
			text("complement_adresse", "Complément d'adresse", "", "text", false),
			text("code_postal", "Code postal", "Rempli d'après la commune s'il est laissé vide", "text", false),
			text("zone_eligibilite", "Zone d'éligibilité", "Codes séparés par des espaces ou des virgules : communes (INSEE), départements, EPCI (SIREN) ou « france ». Vide : ouvert à tous.", "text", false),
			text("horaires_accueil", "Horaires d'accueil", "Au format OpenStreetMap, par exemple Mo-Fr 09:00-12:00", "text", false),
		}},
		{ID: "contact", Legend: "Contact et mobilisation", Fields: []formField{
			text("telephone", "Téléphone", "", "tel", false),
			text("courriel", "Adresse électronique", "Format attendu : nom@domaine.fr", "email", false),
			text("contact_nom_prenom", "Nom et prénom du contact", "", "text", false),
			diChecks("modes_mobilisation", "Modes de mobilisation", "Comment solliciter le service", "modes_mobilisation"),
			diChecks("mobilisable_par", "Mobilisable par", "", "personnes_mobilisatrices"),
			text("lien_mobilisation", "Lien de mobilisation", "Adresse web commençant par https://", "url", false),
			text("mobilisation_precisions", "Précisions sur la mobilisation", "", "textarea", false),
		}},
		{ID: "duree", Legend: "Durée", Fields: []formField{
			text("volume_horaire_hebdomadaire", "Volume horaire hebdomadaire", "En heures, par exemple 6 ou 7,5 : compte dans les 15 heures d'activité hebdomadaire", "text", false),
			text("nombre_semaines", "Nombre de semaines", "", "text", false),
		}},
		{ID: "source", Legend: "Source", Fields: []formField{
			text("lien_source", "Lien vers la source", "Page web qui décrit le service, commençant par https://", "url", false),
		}},
	}
	return before, sets, after
}

// serviceValues are the form values of a service.
func (s *Server) serviceValues(sv directory.Service) url.Values {
	v := url.Values{
		"structure_id": {strconv.FormatInt(sv.StructureID, 10)}, "statut": {string(sv.Status)}, "nom": {sv.Name},
		"description": {sv.Description}, "type": {sv.Type}, "thematiques": sv.Thematiques, "publics": sv.Publics,
		"publics_precisions": {sv.PublicsDetails}, "conditions_acces": {sv.AccessConditions}, "frais": {sv.Fees},
		"frais_precisions": {sv.FeesDetails}, "modes_accueil": sv.ReceptionModes, "adresse": {sv.Address},
		"complement_adresse": {sv.AddressComplement}, "code_postal": {sv.PostalCode},
		"zone_eligibilite": {strings.Join(sv.EligibilityZone, " ")}, "horaires_accueil": {sv.OpeningHours},
		"telephone": {sv.Phone}, "courriel": {sv.Email}, "contact_nom_prenom": {sv.ContactName},
		"modes_mobilisation": sv.MobilisationModes, "mobilisable_par": sv.MobilisableBy, "lien_mobilisation": {sv.MobilisationLink},
		"mobilisation_precisions": {sv.MobilisationDetails}, "lien_source": {sv.SourceLink},
	}
	if sv.StructureID == 0 {
		v.Set("structure_id", "")
	}
	if sv.CommuneINSEE != "" {
		v.Set("code_insee", s.communeWithCode(sv.CommuneINSEE))
	}
	if sv.WeeklyHours > 0 {
		v.Set("volume_horaire_hebdomadaire", frenchDecimal(sv.WeeklyHours))
	}
	if sv.Weeks > 0 {
		v.Set("nombre_semaines", strconv.Itoa(sv.Weeks))
	}
	return v
}

// splitZone reads a zone of eligibility typed as codes separated by
// spaces, commas or semicolons.
func splitZone(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) })
}

// applyServiceForm sets the fields of the form onto sv, with a message per
// field that cannot be read. The position is recomputed when the commune
// changes, and so is the postal code when it was left as it was.
func (s *Server) applyServiceForm(t territory.Territory, form url.Values, sv *directory.Service, fs *problem.Fields) {
	get := func(name string) string { return strings.TrimSpace(form.Get(name)) }
	if id, err := strconv.ParseInt(get("structure_id"), 10, 64); err == nil {
		sv.StructureID = id
	} else {
		sv.StructureID = 0
	}
	sv.Status = directory.Status(get("statut"))
	sv.Name, sv.Description, sv.Type = get("nom"), get("description"), get("type")
	sv.Thematiques, sv.Publics = form["thematiques"], form["publics"]
	sv.PublicsDetails, sv.AccessConditions, sv.Fees, sv.FeesDetails = get("publics_precisions"), get("conditions_acces"), get("frais"), get("frais_precisions")
	sv.ReceptionModes = form["modes_accueil"]
	sv.Address, sv.AddressComplement = get("adresse"), get("complement_adresse")
	sv.EligibilityZone = splitZone(form.Get("zone_eligibilite"))
	sv.OpeningHours, sv.Phone, sv.Email, sv.ContactName = get("horaires_accueil"), get("telephone"), get("courriel"), get("contact_nom_prenom")
	sv.MobilisationModes, sv.MobilisableBy = form["modes_mobilisation"], form["mobilisable_par"]
	sv.MobilisationLink, sv.MobilisationDetails, sv.SourceLink = get("lien_mobilisation"), get("mobilisation_precisions"), get("lien_source")
	insee := ""
	if typed := get("code_insee"); typed != "" {
		c, msg := s.resolveTypedCommune(t, typed)
		if msg != "" {
			fs.Add("code_insee", msg)
			insee = sv.CommuneINSEE
		} else {
			insee = c.INSEE
		}
	}
	s.setServiceCommune(sv, insee, get("code_postal"))
	sv.WeeklyHours, sv.Weeks = 0, 0
	if v := get("volume_horaire_hebdomadaire"); v != "" {
		if h, ok := parseKm(v); ok {
			sv.WeeklyHours = h
		} else {
			fs.Add("volume_horaire_hebdomadaire", "Saisissez un nombre d'heures, par exemple 6 ou 7,5.")
		}
	}
	if v := get("nombre_semaines"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			sv.Weeks = n
		} else {
			fs.Add("nombre_semaines", "Saisissez un nombre entier de semaines, par exemple 12.")
		}
	}
}

// setServiceCommune changes the service's commune and postal code: when the
// commune changes, the position goes with it (Normalize finds the new one),
// and so does the postal code unless a new one was given.
func (s *Server) setServiceCommune(sv *directory.Service, insee, postal string) {
	if insee != sv.CommuneINSEE {
		sv.Lat, sv.Lon = 0, 0
		if postal == sv.PostalCode {
			postal = ""
		}
	}
	sv.CommuneINSEE, sv.PostalCode = insee, postal
}

// saveServiceAs diChecks and saves a service the viewer creates or changes:
// the viewer must be able to edit its structure (and the previous one),
// which must be of the territory. The service is normalized and validated.
func (s *Server) saveServiceAs(ctx context.Context, dv dirViewer, sv *directory.Service, previous int64, fs problem.Fields) error {
	ref := s.cfg.Referential
	switch {
	case sv.StructureID == 0:
		fs.Add("structure_id", "Choisissez la structure qui propose le service.")
	case !dv.canEdit(sv.StructureID):
		fs.Add("structure_id", "Vous ne pouvez pas publier de service pour cette structure.")
	default:
		st, err := s.store.DirectoryStructure(ctx, sv.StructureID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && st.TerritoryID != dv.t.ID) {
			fs.Add("structure_id", "Cette structure n'existe pas dans le territoire.")
		} else if err != nil {
			return err
		}
	}
	if previous != 0 && !dv.canEdit(previous) {
		return forbidden("Vous ne pouvez pas modifier les services de cette structure.")
	}
	sv.TerritoryID = dv.t.ID
	sv.UpdatedAt = s.now()
	sv.Normalize(ref)
	fs = append(fs, sv.Validate(ref, s.now())...)
	if err := fs.Err(); err != nil {
		return err
	}
	by := store.Actor{AccountID: dv.v.Account.ID, StructureID: sv.StructureID, At: s.now()}
	if err := s.store.SaveService(ctx, sv, by); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return problem.New(problem.Conflict, "Un service porte déjà cet identifiant data·inclusion dans le territoire.")
		}
		return err
	}
	return nil
}

func (s *Server) renderServiceForm(w http.ResponseWriter, r *http.Request, status int, data *serviceFormPage, dv dirViewer,
	vals url.Values, fs problem.Fields) error {
	structures, err := s.editableStructures(r.Context(), dv)
	if err != nil {
		return err
	}
	fs = serviceFormFields(fs)
	data.Groups, data.Thematiques, data.More = s.serviceGroups(vals, fs, structures)
	data.ThematiquesError = fieldMessages(fs, "thematiques")
	anchors := anchorsOf(append(slices.Clone(data.Groups), data.More...))
	anchors["thematiques"] = [2]string{"thematiques", "Thématiques"}
	data.Errors = errorLinks(fs, anchors)
	data.Communes = s.communeSuggestions(dv.t.Code)
	s.render(w, r, status, "service_form", data)
	return nil
}

// serviceEditor diChecks that the viewer may publish services at all.
func (s *Server) serviceEditor(r *http.Request) (dirViewer, error) {
	dv, err := s.directoryReader(r)
	if err == nil && !dv.canPublish() {
		err = forbidden("Seuls les professionnels et gestionnaires d'une structure, pour ses services, et les administrateurs du territoire publient des services.")
	}
	return dv, err
}

func (s *Server) newServiceForm(r *http.Request) *serviceFormPage {
	return &serviceFormPage{page: s.page(r, "Publier un service"), New: true, Heading: "Publier un service", Action: "/annuaire/services"}
}

func (s *Server) newServicePage(w http.ResponseWriter, r *http.Request) error {
	dv, err := s.serviceEditor(r)
	if err != nil {
		return err
	}
	vals := s.serviceValues(directory.Service{Status: directory.StatusPublished, ReceptionModes: []string{"en-presentiel"}})
	structures, err := s.editableStructures(r.Context(), dv)
	if err != nil {
		return err
	}
	if len(structures) == 1 {
		vals.Set("structure_id", strconv.FormatInt(structures[0].ID, 10))
	} else if id := r.URL.Query().Get("structure"); id != "" {
		vals.Set("structure_id", id)
	}
	return s.renderServiceForm(w, r, http.StatusOK, s.newServiceForm(r), dv, vals, nil)
}

// serviceFormFailed shows the form again as typed for an invalid input; any other
// error is returned for the error page.
func (s *Server) serviceFormFailed(w http.ResponseWriter, r *http.Request, data *serviceFormPage, dv dirViewer, err error) error {
	fs, ok := formErrors(err)
	if !ok {
		return err
	}
	return s.renderServiceForm(w, r, http.StatusBadRequest, data, dv, r.PostForm, fs)
}

func (s *Server) createServicePage(w http.ResponseWriter, r *http.Request) error {
	dv, err := s.serviceEditor(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	var fs problem.Fields
	var sv directory.Service
	s.applyServiceForm(dv.t, r.PostForm, &sv, &fs)
	if err := s.saveServiceAs(r.Context(), dv, &sv, 0, fs); err != nil {
		return s.serviceFormFailed(w, r, s.newServiceForm(r), dv, err)
	}
	s.redirectWithFlash(w, r, "/annuaire/services/"+strconv.FormatInt(sv.ID, 10), "service-created")
	return nil
}

// editableService returns the service of the path for a viewer who may change it:
// a service it may read but not change is refused, one it may not read is
// not found.
func (s *Server) editableService(r *http.Request) (dirViewer, directory.Service, error) {
	dv, err := s.directoryReader(r)
	if err != nil {
		return dv, directory.Service{}, err
	}
	sv, err := s.serviceOf(r, dv, "sid")
	if err == nil && !dv.canEdit(sv.StructureID) {
		err = forbidden("Seuls les professionnels et gestionnaires de la structure qui propose ce service, et les administrateurs du territoire, le modifient.")
	}
	return dv, sv, err
}

func (s *Server) editServiceForm(r *http.Request, sv directory.Service) *serviceFormPage {
	return &serviceFormPage{page: s.page(r, "Modifier le service"), ServiceID: sv.ID, Heading: "Modifier « " + sv.Name + " »",
		Action: "/annuaire/services/" + strconv.FormatInt(sv.ID, 10)}
}

func (s *Server) editServicePage(w http.ResponseWriter, r *http.Request) error {
	dv, sv, err := s.editableService(r)
	if err != nil {
		return err
	}
	return s.renderServiceForm(w, r, http.StatusOK, s.editServiceForm(r, sv), dv, s.serviceValues(sv), nil)
}

func (s *Server) updateServicePage(w http.ResponseWriter, r *http.Request) error {
	dv, sv, err := s.editableService(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	var fs problem.Fields
	previous := sv.StructureID
	s.applyServiceForm(dv.t, r.PostForm, &sv, &fs)
	if err := s.saveServiceAs(r.Context(), dv, &sv, previous, fs); err != nil {
		return s.serviceFormFailed(w, r, s.editServiceForm(r, sv), dv, err)
	}
	s.redirectWithFlash(w, r, "/annuaire/services/"+strconv.FormatInt(sv.ID, 10), "service-updated")
	return nil
}

// --- Import and export (data·inclusion) --------------------------------------

// importItemsMax bounds the item errors the import page lists.
const importItemsMax = 500

// diItemRow is an error of an item of an imported file.
type diItemRow struct {
	Item, Line     int // 1-based; Line for a CSV file
	Field, Message string
}

// exportLink is a file of the directory to download.
type exportLink struct {
	Label, Href string
}

type directoryImportPage struct {
	page
	Kinds, Statuses []fieldOption
	Errors          []errorLink // the summary
	FileErrors      []string    // under the file field
	Items           []diItemRow
	ItemCount       int
	ItemsOverflow   bool
	ItemsMax        int
	Filename        string
	Done            bool
	What            string // "structures" or "services"
	Created         int
	Updated         int
	Exports         []exportLink
}

// directoryManager checks that the viewer manages the directory.
func (s *Server) directoryManager(r *http.Request) (dirViewer, error) {
	dv, err := s.directoryReader(r)
	if err == nil && !dv.manages() {
		err = forbidden("Seuls les administrateurs du territoire importent et exportent l'annuaire complet.")
	}
	return dv, err
}

func (s *Server) importPageData(r *http.Request, kind, status string) *directoryImportPage {
	data := &directoryImportPage{page: s.page(r, "Importer et exporter l'annuaire (data·inclusion)"), ItemsMax: importItemsMax}
	data.Kinds = []fieldOption{
		{Value: "", Label: "Reconnaître d'après le fichier", Selected: kind == ""},
		{Value: "structures", Label: "Des structures", Selected: kind == "structures"},
		{Value: "services", Label: "Des services", Selected: kind == "services"},
	}
	data.Statuses = []fieldOption{
		{Value: "published", Label: "Publiés : trouvés par la recherche", Selected: status != "draft"},
		{Value: "draft", Label: "Brouillons : à relire avant de les publier", Selected: status == "draft"},
	}
	data.Exports = []exportLink{
		{"Services publiés (JSON data·inclusion)", "/api/v1/services/export?format=datainclusion"},
		{"Services publiés (CSV)", "/api/v1/services/export?format=csv"},
		{"Tous les services, publiés ou non (JSON data·inclusion)", "/api/v1/services/export?format=datainclusion&status=all"},
		{"Tous les services, publiés ou non (CSV)", "/api/v1/services/export?format=csv&status=all"},
		{"Structures (JSON data·inclusion)", "/api/v1/structures/export?format=datainclusion"},
		{"Structures (CSV)", "/api/v1/structures/export?format=csv"},
	}
	return data
}

func (s *Server) directoryImportPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.directoryManager(r); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "directory_import", s.importPageData(r, "", ""))
	return nil
}

// diUpload is the import form as sent.
type diUpload struct {
	kind, status, filename string
	content                []byte
}

// readDIUpload reads the import form: its choices and its file.
func readDIUpload(r *http.Request) (diUpload, error) {
	var up diUpload
	fileErr := func(msg string) error {
		return problem.InvalidFields("Le fichier n'a pas pu être lu.", problem.Field{Field: "file", Message: msg})
	}
	if r.ContentLength > maxImport {
		return up, fileErr("Le fichier dépasse " + strconv.Itoa(maxImport>>20) + " Mo : découpez-le en plusieurs fichiers.")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return up, fileErr("Choisissez le fichier JSON ou CSV à importer.")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return up, errBodyTooLarge
		}
		if err != nil {
			return up, fileErr("L'envoi du fichier a échoué : réessayez.")
		}
		switch part.FormName() {
		case "kind", "status":
			b, err := io.ReadAll(io.LimitReader(part, 64))
			if err != nil {
				return up, fileErr("L'envoi du fichier a échoué : réessayez.")
			}
			if part.FormName() == "kind" {
				up.kind = strings.TrimSpace(string(b))
			} else {
				up.status = strings.TrimSpace(string(b))
			}
		case "file":
			if part.FileName() == "" {
				continue
			}
			up.filename = part.FileName()
			if up.content, err = io.ReadAll(part); err != nil {
				if errors.As(err, &mbe) {
					return up, errBodyTooLarge
				}
				return up, fileErr("L'envoi du fichier a échoué : réessayez.")
			}
		}
	}
	if up.filename == "" {
		return up, fileErr("Choisissez le fichier JSON ou CSV à importer.")
	}
	return up, nil
}

// isJSONFile tells a JSON file from a CSV one: by its extension, else by
// its first character.
func isJSONFile(name string, content []byte) bool {
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".json":
		return true
	case ".csv", ".txt":
		return false
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(content, []byte("\ufeff")), " \t\r\n")
	return len(trimmed) > 0 && trimmed[0] == '['
}

// fileKind tells whether a data·inclusion file holds services or
// structures: services have a "structure_id", in the keys of the first
// item of a JSON file or in the header of a CSV one. It is "" for a file
// that holds nothing or cannot be read.
func fileKind(content []byte, jsonFile bool) string {
	content = bytes.TrimPrefix(content, []byte("\ufeff"))
	if !jsonFile {
		header, _, _ := bytes.Cut(content, []byte("\n"))
		if len(bytes.TrimSpace(header)) == 0 {
			return ""
		}
		if bytes.Contains(bytes.ToLower(header), []byte("structure_id")) {
			return "services"
		}
		return "structures"
	}
	dec := json.NewDecoder(bytes.NewReader(content))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') || !dec.More() {
		return ""
	}
	var first map[string]json.RawMessage
	if err := dec.Decode(&first); err != nil {
		return ""
	}
	if _, ok := first["structure_id"]; ok {
		return "services"
	}
	return "structures"
}

// itemRows lists the messages about items ("[3].nom") of a file, 1-based,
// with their line in a CSV file (after the header); other messages are
// returned apart.
func itemRows(fs problem.Fields, csv bool) ([]diItemRow, []string) {
	var rows []diItemRow
	var others []string
	for _, f := range fs {
		if rest, ok := strings.CutPrefix(f.Field, "["); ok {
			if n, field, ok := strings.Cut(rest, "]"); ok {
				if i, err := strconv.Atoi(n); err == nil {
					row := diItemRow{Item: i + 1, Field: strings.TrimPrefix(field, "."), Message: f.Message}
					if csv {
						row.Line = i + 2
					}
					rows = append(rows, row)
					continue
				}
			}
		}
		msg := f.Message
		if f.Field != "" && f.Field != "file" {
			msg = f.Field + " : " + msg
		}
		others = append(others, msg)
	}
	return rows, others
}

// directoryImport reads a data·inclusion file of structures or services
// and imports it, all or nothing: the page lists every item at fault, and
// nothing is written while one is.
func (s *Server) directoryImport(w http.ResponseWriter, r *http.Request) error {
	dv, err := s.directoryManager(r)
	if err != nil {
		return err
	}
	up, err := readDIUpload(r)
	data := s.importPageData(r, up.kind, up.status)
	data.Filename = up.filename
	fail := func(err error) error {
		var ie *diItemsError
		var fs problem.Fields
		switch p, ok := problem.As(err); {
		case errors.As(err, &ie):
			fs = ie.Fields
		case ok && p.Kind == problem.Invalid:
			fs = p.Fields
			if len(fs) == 0 {
				fs = problem.Fields{{Field: "file", Message: p.Detail}}
			} else if p.Detail != "" && !strings.HasPrefix(fs[0].Field, "[") {
				fs = append(problem.Fields{{Field: "file", Message: p.Detail}}, fs...)
			}
		default:
			return err
		}
		rows, others := itemRows(fs, !isJSONFile(up.filename, up.content))
		data.ItemCount = len(rows)
		data.Items, data.ItemsOverflow = rows[:min(len(rows), importItemsMax)], len(rows) > importItemsMax
		data.FileErrors = others
		for _, m := range others {
			data.Errors = append(data.Errors, errorLink{Href: "#file", Text: m})
		}
		if len(rows) > 0 {
			data.Errors = append(data.Errors, errorLink{Href: "#elements",
				Text: strconv.Itoa(len(rows)) + " erreur" + plural(len(rows), "", "s") + " dans les éléments du fichier : rien n'a été importé."})
		}
		s.render(w, r, http.StatusBadRequest, "directory_import", data)
		return nil
	}
	if err != nil {
		return fail(err)
	}
	status, err := importStatus(up.status)
	if err != nil {
		return fail(err)
	}
	jsonFile := isJSONFile(up.filename, up.content)
	kind := up.kind
	if kind == "" {
		kind = fileKind(up.content, jsonFile)
	}
	ctx := r.Context()
	var rep store.ImportReport
	switch kind {
	case "structures":
		var items []directory.DIStructure
		if jsonFile {
			items, err = directory.ImportStructures(bytes.NewReader(up.content))
		} else {
			items, err = directory.ReadStructuresCSV(bytes.NewReader(up.content))
		}
		if err == nil {
			rep, err = s.importStructures(ctx, dv, items)
		}
		data.Created, data.Updated = rep.StructuresCreated, rep.StructuresUpdated
	case "services":
		var items []directory.DIService
		if jsonFile {
			items, err = directory.ImportServices(bytes.NewReader(up.content))
		} else {
			items, err = directory.ReadServicesCSV(bytes.NewReader(up.content))
		}
		if err == nil {
			rep, err = s.importServices(ctx, dv, items, status)
		}
		data.Created, data.Updated = rep.ServicesCreated, rep.ServicesUpdated
	default:
		err = problem.InvalidFields("Le fichier n'a pas pu être lu.", problem.Field{Field: "file",
			Message: "Le fichier ne contient ni structure ni service data·inclusion : une liste JSON [ {…} ] ou un CSV avec sa ligne d'en-tête est attendu."})
	}
	if err != nil {
		return fail(err)
	}
	data.Done, data.What = true, kind
	s.render(w, r, http.StatusOK, "directory_import", data)
	return nil
}

// communeSuggestions are the communes of a département as the datalist of
// a commune field offers them: "Belfort (90010)".
func (s *Server) communeSuggestions(departement string) []string {
	cs := s.cfg.Referential.CommunesIn(departement)
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name + " (" + c.INSEE + ")"
	}
	return out
}
