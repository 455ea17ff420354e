package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
)

// The directory API: services read under access.SearchDirectory, changed
// under access.EditServices, and the data·inclusion exchange (export under
// access.SearchDirectory, import under access.ManageDirectory). Field names
// are those of the data·inclusion schema v1, with our numeric "id" and
// "structure_id".

// apiService is a service in the JSON of the API.
type apiService struct {
	ID                        int64     `json:"id"`
	StructureID               int64     `json:"structure_id"`
	StructureName             string    `json:"structure_name"`
	Status                    string    `json:"status"`
	Source                    string    `json:"source,omitempty"` // data·inclusion source and id of an imported service
	DIID                      string    `json:"di_id,omitempty"`
	Nom                       string    `json:"nom"`
	Description               string    `json:"description"`
	Type                      string    `json:"type"`
	Thematiques               []string  `json:"thematiques"`
	Frais                     string    `json:"frais"`
	FraisPrecisions           string    `json:"frais_precisions"`
	Publics                   []string  `json:"publics"`
	PublicsPrecisions         string    `json:"publics_precisions"`
	ConditionsAcces           string    `json:"conditions_acces"`
	CodeINSEE                 string    `json:"code_insee"`
	Commune                   string    `json:"commune"`
	CodePostal                string    `json:"code_postal"`
	Adresse                   string    `json:"adresse"`
	ComplementAdresse         string    `json:"complement_adresse"`
	Latitude                  *float64  `json:"latitude"`
	Longitude                 *float64  `json:"longitude"`
	Telephone                 string    `json:"telephone"`
	Courriel                  string    `json:"courriel"`
	ContactNomPrenom          string    `json:"contact_nom_prenom"`
	ModesAccueil              []string  `json:"modes_accueil"`
	ZoneEligibilite           []string  `json:"zone_eligibilite"`
	LienMobilisation          string    `json:"lien_mobilisation"`
	ModesMobilisation         []string  `json:"modes_mobilisation"`
	MobilisablePar            []string  `json:"mobilisable_par"`
	MobilisationPrecisions    string    `json:"mobilisation_precisions"`
	VolumeHoraireHebdomadaire *float64  `json:"volume_horaire_hebdomadaire"`
	NombreSemaines            *int      `json:"nombre_semaines"`
	HorairesAccueil           string    `json:"horaires_accueil"`
	LienSource                string    `json:"lien_source"`
	DateMaj                   string    `json:"date_maj"`
	CreatedAt                 time.Time `json:"created_at"`
	UpdatedAt                 time.Time `json:"updated_at"`
	AverageResponseDays       *float64  `json:"average_response_days"`
	Remote                    bool      `json:"remote"`
}

// jsonList returns l, or an empty list for JSON.
func jsonList(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// averageResponseDays is the average response delay in days, to a tenth, or nil
// when the service answered no referral.
func averageResponseDays(d directory.Delay) *float64 {
	if d.Answered == 0 {
		return nil
	}
	x := math.Round(d.Days*10) / 10
	return &x
}

func (s *Server) serviceJSON(sv directory.Service, delay directory.Delay) apiService {
	out := apiService{ID: sv.ID, StructureID: sv.StructureID, StructureName: sv.StructureName, Status: string(sv.Status),
		Source: sv.Source, DIID: sv.ExternalID, Nom: sv.Name, Description: sv.Description, Type: sv.Type,
		Thematiques: jsonList(sv.Thematiques), Frais: sv.Fees, FraisPrecisions: sv.FeesDetails, Publics: jsonList(sv.Publics),
		PublicsPrecisions: sv.PublicsDetails, ConditionsAcces: sv.AccessConditions, CodeINSEE: sv.CommuneINSEE,
		CodePostal: sv.PostalCode, Adresse: sv.Address, ComplementAdresse: sv.AddressComplement, Telephone: sv.Phone,
		Courriel: sv.Email, ContactNomPrenom: sv.ContactName, ModesAccueil: jsonList(sv.ReceptionModes),
		ZoneEligibilite: jsonList(sv.EligibilityZone), LienMobilisation: sv.MobilisationLink,
		ModesMobilisation: jsonList(sv.MobilisationModes), MobilisablePar: jsonList(sv.MobilisableBy),
		MobilisationPrecisions: sv.MobilisationDetails, HorairesAccueil: sv.OpeningHours, LienSource: sv.SourceLink,
		DateMaj: sv.UpdatedAt.In(paris).Format(dateLayout), CreatedAt: sv.CreatedAt.UTC(), UpdatedAt: sv.UpdatedAt.UTC(),
		AverageResponseDays: averageResponseDays(delay), Remote: sv.Remote()}
	if sv.CommuneINSEE != "" {
		if c, ok := s.cfg.Referential.Commune(sv.CommuneINSEE); ok {
			out.Commune = c.Name
		}
	}
	if sv.HasCoords() {
		lat, lon := sv.Lat, sv.Lon
		out.Latitude, out.Longitude = &lat, &lon
	}
	if sv.WeeklyHours > 0 {
		h := sv.WeeklyHours
		out.VolumeHoraireHebdomadaire = &h
	}
	if sv.Weeks > 0 {
		n := sv.Weeks
		out.NombreSemaines = &n
	}
	return out
}

// serviceInput is the body of POST and PATCH /api/v1/services: the fields
// of the data·inclusion schema, our numeric structure_id and the status;
// every field optional in PATCH. "commune", a name, is read only when
// code_insee is not given.
type serviceInput struct {
	StructureID               *int64    `json:"structure_id"`
	Status                    *string   `json:"status"`
	Nom                       *string   `json:"nom"`
	Description               *string   `json:"description"`
	Type                      *string   `json:"type"`
	Thematiques               *[]string `json:"thematiques"`
	Frais                     *string   `json:"frais"`
	FraisPrecisions           *string   `json:"frais_precisions"`
	Publics                   *[]string `json:"publics"`
	PublicsPrecisions         *string   `json:"publics_precisions"`
	ConditionsAcces           *string   `json:"conditions_acces"`
	CodeINSEE                 *string   `json:"code_insee"`
	Commune                   *string   `json:"commune"`
	CodePostal                *string   `json:"code_postal"`
	Adresse                   *string   `json:"adresse"`
	ComplementAdresse         *string   `json:"complement_adresse"`
	Latitude                  *float64  `json:"latitude"`
	Longitude                 *float64  `json:"longitude"`
	Telephone                 *string   `json:"telephone"`
	Courriel                  *string   `json:"courriel"`
	ContactNomPrenom          *string   `json:"contact_nom_prenom"`
	ModesAccueil              *[]string `json:"modes_accueil"`
	ZoneEligibilite           *[]string `json:"zone_eligibilite"`
	LienMobilisation          *string   `json:"lien_mobilisation"`
	ModesMobilisation         *[]string `json:"modes_mobilisation"`
	MobilisablePar            *[]string `json:"mobilisable_par"`
	MobilisationPrecisions    *string   `json:"mobilisation_precisions"`
	VolumeHoraireHebdomadaire *float64  `json:"volume_horaire_hebdomadaire"`
	NombreSemaines            *int      `json:"nombre_semaines"`
	HorairesAccueil           *string   `json:"horaires_accueil"`
	LienSource                *string   `json:"lien_source"`
}

// apply copies the fields given onto sv. A new commune moves the position
// and the postal code with it unless they are given too.
func (s *Server) applyServiceInput(dv dirViewer, in serviceInput, sv *directory.Service, fs *problem.Fields) {
	str := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	lst := func(dst *[]string, v *[]string) {
		if v != nil {
			*dst = *v
		}
	}
	if in.StructureID != nil {
		sv.StructureID = *in.StructureID
	}
	if in.Status != nil {
		sv.Status = directory.Status(strings.TrimSpace(*in.Status))
	}
	str(&sv.Name, in.Nom)
	str(&sv.Description, in.Description)
	str(&sv.Type, in.Type)
	lst(&sv.Thematiques, in.Thematiques)
	str(&sv.Fees, in.Frais)
	str(&sv.FeesDetails, in.FraisPrecisions)
	lst(&sv.Publics, in.Publics)
	str(&sv.PublicsDetails, in.PublicsPrecisions)
	str(&sv.AccessConditions, in.ConditionsAcces)
	str(&sv.Address, in.Adresse)
	str(&sv.AddressComplement, in.ComplementAdresse)
	str(&sv.Phone, in.Telephone)
	str(&sv.Email, in.Courriel)
	str(&sv.ContactName, in.ContactNomPrenom)
	lst(&sv.ReceptionModes, in.ModesAccueil)
	lst(&sv.EligibilityZone, in.ZoneEligibilite)
	str(&sv.MobilisationLink, in.LienMobilisation)
	lst(&sv.MobilisationModes, in.ModesMobilisation)
	lst(&sv.MobilisableBy, in.MobilisablePar)
	str(&sv.MobilisationDetails, in.MobilisationPrecisions)
	str(&sv.OpeningHours, in.HorairesAccueil)
	str(&sv.SourceLink, in.LienSource)
	if in.VolumeHoraireHebdomadaire != nil {
		sv.WeeklyHours = *in.VolumeHoraireHebdomadaire
	}
	if in.NombreSemaines != nil {
		sv.Weeks = *in.NombreSemaines
	}
	insee, postal := sv.CommuneINSEE, sv.PostalCode
	switch {
	case in.CodeINSEE != nil:
		insee = strings.ToUpper(strings.TrimSpace(*in.CodeINSEE))
	case in.Commune != nil && strings.TrimSpace(*in.Commune) != "":
		c, msg := s.resolveTypedCommune(dv.t, *in.Commune)
		if msg != "" {
			fs.Add("commune", msg)
		}
		insee = c.INSEE
		if insee == "" {
			insee = sv.CommuneINSEE
		}
	}
	if in.CodePostal != nil {
		postal = *in.CodePostal
	}
	s.setServiceCommune(sv, insee, postal)
	if in.Latitude != nil || in.Longitude != nil {
		if in.Latitude == nil || in.Longitude == nil {
			fs.Add("latitude", "Donnez la latitude et la longitude ensemble.")
		} else if *in.Latitude < -90 || *in.Latitude > 90 || *in.Longitude < -180 || *in.Longitude > 180 {
			fs.Add("latitude", "Latitude attendue entre -90 et 90, longitude entre -180 et 180.")
		} else {
			sv.Lat, sv.Lon = *in.Latitude, *in.Longitude
		}
	}
}

// apiServiceID reads the {id} of the path; a malformed one is not found.
func (s *Server) apiServiceOf(r *http.Request, dv dirViewer) (directory.Service, error) {
	return s.serviceOf(r, dv, "id")
}

// writeService answers with a service and its response delay.
func (s *Server) writeService(w http.ResponseWriter, r *http.Request, dv dirViewer, status int, sv directory.Service) error {
	delays, err := s.store.ServiceDelays(r.Context(), dv.t.ID)
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/services/"+strconv.FormatInt(sv.ID, 10))
	}
	return writeJSON(w, status, s.serviceJSON(sv, delays[sv.ID]))
}

func (s *Server) apiServices(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	dv, err := s.directoryReader(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.ServiceFilter{TerritoryID: dv.t.ID}
	var fs problem.Fields
	if v := q.Get("structure_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			fs.Add("structure_id", "Identifiant de structure attendu : un nombre entier.")
		}
		f.StructureID = id
	}
	if v := q.Get("status"); v != "" {
		if st := directory.Status(v); st.Valid() {
			f.Statuses = []directory.Status{st}
		} else {
			fs.Add("status", "Statut attendu : draft, published, suspended ou archived.")
		}
	}
	if err := fs.Err(); err != nil {
		return err
	}
	svs, err := s.store.Services(ctx, f)
	if err != nil {
		return err
	}
	delays, err := s.store.ServiceDelays(ctx, dv.t.ID)
	if err != nil {
		return err
	}
	out := list[apiService]{Items: []apiService{}}
	for _, sv := range svs {
		if dv.canSee(sv) {
			out.Items = append(out.Items, s.serviceJSON(sv, delays[sv.ID]))
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiService(w http.ResponseWriter, r *http.Request) error {
	dv, err := s.directoryReader(r)
	if err != nil {
		return err
	}
	sv, err := s.apiServiceOf(r, dv)
	if err != nil {
		return err
	}
	return s.writeService(w, r, dv, http.StatusOK, sv)
}

func (s *Server) apiCreateService(w http.ResponseWriter, r *http.Request) error {
	dv, err := s.directoryReader(r)
	if err != nil {
		return err
	}
	var in serviceInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var fs problem.Fields
	var sv directory.Service
	s.applyServiceInput(dv, in, &sv, &fs)
	if sv.StructureID != 0 && !dv.canEdit(sv.StructureID) {
		return forbidden("Vous ne pouvez pas publier de service pour cette structure : seuls ses professionnels et gestionnaires, et les administrateurs du territoire, le peuvent.")
	}
	if err := s.saveServiceAs(r.Context(), dv, &sv, 0, fs); err != nil {
		return err
	}
	sv, err = s.store.Service(r.Context(), sv.ID)
	if err != nil {
		return err
	}
	return s.writeService(w, r, dv, http.StatusCreated, sv)
}

func (s *Server) apiPatchService(w http.ResponseWriter, r *http.Request) error {
	dv, err := s.directoryReader(r)
	if err != nil {
		return err
	}
	sv, err := s.apiServiceOf(r, dv)
	if err != nil {
		return err
	}
	previous := sv.StructureID
	if !dv.canEdit(previous) {
		return forbidden("Seuls les professionnels et gestionnaires de la structure qui propose ce service, et les administrateurs du territoire, le modifient.")
	}
	var in serviceInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var fs problem.Fields
	s.applyServiceInput(dv, in, &sv, &fs)
	if sv.StructureID != previous && sv.StructureID != 0 && !dv.canEdit(sv.StructureID) {
		return forbidden("Vous ne pouvez pas confier ce service à une structure dont vous ne gérez pas les services.")
	}
	if err := s.saveServiceAs(r.Context(), dv, &sv, previous, fs); err != nil {
		return err
	}
	sv, err = s.store.Service(r.Context(), sv.ID)
	if err != nil {
		return err
	}
	return s.writeService(w, r, dv, http.StatusOK, sv)
}

// apiServiceHit is a service found by the search.
type apiServiceHit struct {
	ID                  int64               `json:"id"`
	Name                string              `json:"name"`
	Structure           apiServiceStructure `json:"structure"`
	Thematiques         []string            `json:"thematiques"`
	Type                string              `json:"type"`
	Frais               string              `json:"frais"`
	CommuneINSEE        string              `json:"commune_insee"`
	DistanceKm          *float64            `json:"distance_km"`
	Score               int                 `json:"score"`
	AverageResponseDays *float64            `json:"average_response_days"`
	Remote              bool                `json:"remote"`
}

type apiServiceStructure struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func (s *Server) apiSearchServices(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	dv, err := s.directoryReader(r)
	if err != nil {
		return err
	}
	qs := r.URL.Query()
	q, _, fs := s.directoryQuery(dv.t, serviceSearchInput{Thematiques: qs["thematique"], Commune: qs.Get("commune"),
		Radius: qs.Get("radius_km"), Type: qs.Get("type"), Fees: qs.Get("frais"), Public: qs.Get("public"), Text: qs.Get("q")}, "radius_km")
	q.Limit = searchAPILimit
	if v := qs.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > searchMaxLimit {
			fs.Add("limit", "Nombre de résultats attendu : de 1 à "+strconv.Itoa(searchMaxLimit)+".")
		}
		q.Limit = n
	}
	if err := fs.Err(); err != nil {
		return err
	}
	hits, err := s.store.SearchServices(ctx, dv.t.ID, q)
	if err != nil {
		return err
	}
	delays, err := s.store.ServiceDelays(ctx, dv.t.ID)
	if err != nil {
		return err
	}
	out := list[apiServiceHit]{Items: []apiServiceHit{}}
	for _, h := range hits {
		it := apiServiceHit{ID: h.ID, Name: h.Name, Structure: apiServiceStructure{h.StructureID, h.StructureName}, Thematiques: jsonList(h.Thematiques),
			Type: h.Type, Frais: h.Fees, CommuneINSEE: h.CommuneINSEE, Score: h.Score, AverageResponseDays: averageResponseDays(delays[h.ID]),
			Remote: h.Remote()}
		if h.DistanceKm >= 0 {
			km := math.Round(h.DistanceKm*10) / 10
			it.DistanceKm = &km
		}
		out.Items = append(out.Items, it)
	}
	return writeJSON(w, http.StatusOK, out)
}

// --- The data·inclusion exchange ---------------------------------------------

// diSource is the data·inclusion source of the territory's own records.
func diSource(code string) string { return "parcours-" + code }

// diExport returns the territory's directory in the data·inclusion format:
// its published services (every service with all), and the structures
// that publish one of them, with every structure of the directory only.
// Communes are named.
func (s *Server) diExport(ctx context.Context, dv dirViewer, all bool) ([]directory.DIService, []directory.DIStructure, error) {
	f := store.ServiceFilter{TerritoryID: dv.t.ID}
	if !all {
		f.Statuses = []directory.Status{directory.StatusPublished}
	}
	svs, err := s.store.Services(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	sts, err := s.store.DirectoryStructures(ctx, dv.t.ID)
	if err != nil {
		return nil, nil, err
	}
	source := diSource(dv.t.Code)
	name := func(insee string) string {
		if c, ok := s.cfg.Referential.Commune(insee); ok {
			return c.Name
		}
		return ""
	}
	diIDs := make(map[int64]string, len(sts))
	for _, st := range sts {
		diIDs[st.ID] = directory.ExportStructure(st, source).ID
	}
	outSv := make([]directory.DIService, 0, len(svs))
	used := map[int64]bool{}
	for _, sv := range svs {
		d := directory.ExportService(sv, source, diIDs[sv.StructureID])
		d.Commune = name(sv.CommuneINSEE)
		outSv = append(outSv, d)
		used[sv.StructureID] = true
	}
	outSt := make([]directory.DIStructure, 0, len(sts))
	for _, st := range sts {
		if used[st.ID] || !st.Member {
			d := directory.ExportStructure(st, source)
			d.Commune = name(st.CommuneINSEE)
			outSt = append(outSt, d)
		}
	}
	return outSv, outSt, nil
}

// exportRequest reads the format and status of an export: the
// data·inclusion JSON or its CSV form; published services only unless
// status=all, for those who manage the directory.
func (s *Server) exportRequest(r *http.Request) (dirViewer, bool, bool, error) {
	dv, err := s.directoryReader(r)
	if err != nil {
		return dv, false, false, err
	}
	q := r.URL.Query()
	var fs problem.Fields
	csv := false
	switch q.Get("format") {
	case "datainclusion":
	case "csv":
		csv = true
	default:
		fs.Add("format", "Format attendu : datainclusion (JSON du schéma data·inclusion v1) ou csv.")
	}
	all := false
	switch q.Get("status") {
	case "", "published":
	case "all":
		all = true
	default:
		fs.Add("status", "Statut attendu : published (par défaut) ou all.")
	}
	if err := fs.Err(); err != nil {
		return dv, false, false, err
	}
	if all && !dv.manages() {
		return dv, false, false, forbidden("Seuls les administrateurs du territoire exportent les services non publiés.")
	}
	return dv, csv, all, nil
}

// writeCSVFile answers with a CSV file to download.
func writeCSVFile(w http.ResponseWriter, name string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(buf.Bytes())
	return err
}

func (s *Server) apiExportServices(w http.ResponseWriter, r *http.Request) error {
	dv, csv, all, err := s.exportRequest(r)
	if err != nil {
		return err
	}
	svs, _, err := s.diExport(r.Context(), dv, all)
	if err != nil {
		return err
	}
	if csv {
		return writeCSVFile(w, "services-"+dv.t.Code+".csv", func(w io.Writer) error { return directory.WriteServicesCSV(w, svs) })
	}
	return writeJSON(w, http.StatusOK, svs)
}

func (s *Server) apiExportStructures(w http.ResponseWriter, r *http.Request) error {
	dv, csv, all, err := s.exportRequest(r)
	if err != nil {
		return err
	}
	_, sts, err := s.diExport(r.Context(), dv, all)
	if err != nil {
		return err
	}
	if csv {
		return writeCSVFile(w, "structures-"+dv.t.Code+".csv", func(w io.Writer) error { return directory.WriteStructuresCSV(w, sts) })
	}
	return writeJSON(w, http.StatusOK, sts)
}

// diItemsError holds the messages about the items of a file that are not
// valid ("[3].thematiques[0]"): nothing was written.
type diItemsError struct {
	Fields problem.Fields
}

func (e *diItemsError) Error() string { return "web: invalid data·inclusion items" }

// detail says in French that nothing was imported.
func (e *diItemsError) detail() string {
	items := map[string]bool{}
	for _, f := range e.Fields {
		k, _, _ := strings.Cut(f.Field, ".")
		items[k] = true
	}
	n := len(items)
	return fmt.Sprintf("%d élément%s du fichier %s pas valide%s : rien n'a été importé.", n, plural(n, "", "s"),
		plural(n, "n'est", "ne sont"), plural(n, "", "s"))
}

// ownID reads the ID of a record of the territory from its data·inclusion
// id, source + sep + ID, as ExportService and ExportStructure write it.
func ownID(source, id, own, sep string) int64 {
	if source != own || !strings.HasPrefix(id, own+sep) {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(id, own+sep), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// itemFailed turns an item the store refused into the message of a file.
func itemFailed(err error) error {
	var ie *store.ItemError
	if !errors.As(err, &ie) {
		return err
	}
	field := fmt.Sprintf("[%d].%s", ie.Index, ie.Field)
	msg := "Cet élément ne peut pas être importé."
	switch {
	case ie.Field == "structure_id":
		msg = "Cette structure n'est pas dans l'annuaire du territoire : importez d'abord les structures."
	case ie.Field == "nom" && errors.Is(err, store.ErrConflict):
		msg = "Une autre structure du territoire porte déjà ce nom, sous un autre identifiant data·inclusion."
	case ie.Field == "id" && errors.Is(err, store.ErrNotFound):
		msg = "Cet identifiant désigne un élément de Parcours qui n'existe pas dans le territoire."
	case ie.Field == "id":
		msg = "Cet identifiant data·inclusion est déjà pris dans le territoire."
	}
	return &diItemsError{Fields: problem.Fields{{Field: field, Message: msg}}}
}

// importStructures writes structures read from a data·inclusion file into
// the territory's directory, all or nothing.
func (s *Server) importStructures(ctx context.Context, dv dirViewer, items []directory.DIStructure) (store.ImportReport, error) {
	ref, now := s.cfg.Referential, s.now()
	if fs := directory.ValidateDIStructures(items, ref, now); len(fs) > 0 {
		return store.ImportReport{}, &diItemsError{Fields: fs}
	}
	own := diSource(dv.t.Code)
	sts := make([]directory.Structure, len(items))
	for i, d := range items {
		st := d.Structure()
		st.Normalize(ref)
		if id := ownID(st.Source, st.ExternalID, own, "--structure-"); id != 0 {
			st.ID, st.Source, st.ExternalID = id, "", ""
		}
		sts[i] = st
	}
	rep, err := s.store.ImportDirectory(ctx, dv.t.ID, sts, nil, store.Actor{AccountID: dv.v.Account.ID, At: now})
	return rep, itemFailed(err)
}

// importServices writes services read from a data·inclusion file into the
// territory's directory, all or nothing. A new service gets the status
// given (a published one must say how to reach it); one already known
// keeps its own. The structure of each must be in the directory.
func (s *Server) importServices(ctx context.Context, dv dirViewer, items []directory.DIService, status directory.Status) (store.ImportReport, error) {
	ref, now := s.cfg.Referential, s.now()
	fs := directory.ValidateDIServices(items, ref, now)
	sts, err := s.store.DirectoryStructures(ctx, dv.t.ID)
	if err != nil {
		return store.ImportReport{}, err
	}
	own := diSource(dv.t.Code)
	known := map[string]bool{}
	ours := map[int64]bool{}
	for _, st := range sts {
		if st.ExternalID != "" {
			known[st.ExternalID] = true
		}
		ours[st.ID] = true
	}
	svs := make([]store.ImportedService, len(items))
	for i, d := range items {
		sv := d.Service()
		sv.Status = status
		sv.Normalize(ref)
		if id := ownID(sv.Source, sv.ExternalID, own, "--"); id != 0 {
			sv.ID, sv.Source, sv.ExternalID = id, "", ""
		}
		structure := strings.TrimSpace(d.StructureID)
		if id := ownID(d.Source, structure, own, "--structure-"); id != 0 && ours[id] {
			sv.StructureID = id
		} else if structure != "" && !known[structure] {
			fs.Add(fmt.Sprintf("[%d].structure_id", i), fmt.Sprintf("La structure « %s » n'est pas dans l'annuaire du territoire : importez d'abord les structures.", structure))
		}
		svs[i] = store.ImportedService{Service: sv, StructureDI: structure}
	}
	if len(fs) == 0 && status == directory.StatusPublished {
		for i, is := range svs {
			sv := is.Service
			for _, f := range sv.Validate(ref, now) {
				fs.Add(fmt.Sprintf("[%d].%s", i, f.Field), f.Message)
			}
		}
	}
	if len(fs) > 0 {
		return store.ImportReport{}, &diItemsError{Fields: fs}
	}
	rep, err := s.store.ImportDirectory(ctx, dv.t.ID, nil, svs, store.Actor{AccountID: dv.v.Account.ID, At: now})
	return rep, itemFailed(err)
}

// importStatus reads the status given to the new services of an import:
// published unless draft.
func importStatus(v string) (directory.Status, error) {
	switch v {
	case "", string(directory.StatusPublished):
		return directory.StatusPublished, nil
	case string(directory.StatusDraft):
		return directory.StatusDraft, nil
	}
	return "", problem.InvalidFields("Statut des nouveaux services invalide.",
		problem.Field{Field: "status", Message: "Statut attendu : published (par défaut) ou draft."})
}

// readBody reads a request body, with the French message of a body too
// large.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errBodyTooLarge
		}
		return nil, invalid("Le corps de la requête n'a pas pu être lu.")
	}
	return b, nil
}

// apiImportBody reads the body of an import, JSON or CSV by its
// Content-Type, after checking that the viewer manages the directory.
func (s *Server) apiImportBody(r *http.Request) (dirViewer, []byte, bool, error) {
	dv, err := s.directoryReader(r)
	if err != nil {
		return dv, nil, false, err
	}
	if !dv.manages() {
		return dv, nil, false, forbidden("Seuls les administrateurs du territoire importent dans l'annuaire.")
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	csv := false
	switch mt {
	case "application/json":
	case "text/csv":
		csv = true
	default:
		return dv, nil, false, invalid("Type de contenu attendu : application/json (liste JSON data·inclusion) ou text/csv.")
	}
	b, err := readBody(r)
	return dv, b, csv, err
}

// writeImport answers an import: the counts, or a 422 problem listing the
// items at fault.
func writeImport(w http.ResponseWriter, created, updated int, err error) error {
	var ie *diItemsError
	if errors.As(err, &ie) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		return json.NewEncoder(w).Encode(map[string]any{"type": "about:blank", "status": http.StatusUnprocessableEntity,
			"title": "Données invalides", "detail": ie.detail(), "errors": ie.Fields})
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"created": created, "updated": updated})
}

func (s *Server) apiImportStructures(w http.ResponseWriter, r *http.Request) error {
	dv, b, csv, err := s.apiImportBody(r)
	if err != nil {
		return err
	}
	var items []directory.DIStructure
	if csv {
		items, err = directory.ReadStructuresCSV(bytes.NewReader(b))
	} else {
		items, err = directory.ImportStructures(bytes.NewReader(b))
	}
	if err != nil {
		return err
	}
	rep, err := s.importStructures(r.Context(), dv, items)
	return writeImport(w, rep.StructuresCreated, rep.StructuresUpdated, err)
}

func (s *Server) apiImportServices(w http.ResponseWriter, r *http.Request) error {
	status, err := importStatus(r.URL.Query().Get("status"))
	if err != nil {
		return err
	}
	dv, b, csv, err := s.apiImportBody(r)
	if err != nil {
		return err
	}
	var items []directory.DIService
	if csv {
		items, err = directory.ReadServicesCSV(bytes.NewReader(b))
	} else {
		items, err = directory.ImportServices(bytes.NewReader(b))
	}
	if err != nil {
		return err
	}
	rep, err := s.importServices(r.Context(), dv, items, status)
	return writeImport(w, rep.ServicesCreated, rep.ServicesUpdated, err)
}
