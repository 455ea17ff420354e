package directory

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
)

// Limits of a file in the data·inclusion format, JSON or CSV. A territory's
// services and structures number in the hundreds or thousands: the limits
// stop a runaway upload, not a real file.
const (
	MaxDIItems = 50_000    // services or structures in one file
	MaxDIBytes = 100 << 20 // bytes of one JSON file; a CSV file has importer.MaxFileSize
)

// DIDateLayout is the layout of date_maj, a calendar date ("2025-02-14").
const DIDateLayout = "2006-01-02"

// DIService is a service as the data·inclusion schema v1 exchanges it
// (schemas/v1/service.json): one Go field per property, named after it. An
// optional text is absent when empty, a list when empty, a number when nil,
// and absent values are left out of the JSON, which the schema allows.
// The required properties are source, structure_id, id, nom, description
// and date_maj.
type DIService struct {
	Source      string `json:"source"`
	StructureID string `json:"structure_id"`
	ID          string `json:"id"`
	Nom         string `json:"nom"`
	Description string `json:"description"`
	LienSource  string `json:"lien_source,omitempty"`
	DateMaj     string `json:"date_maj"` // DIDateLayout

	Type              string   `json:"type,omitempty"`
	Thematiques       []string `json:"thematiques,omitempty"`
	Frais             string   `json:"frais,omitempty"`
	FraisPrecisions   string   `json:"frais_precisions,omitempty"`
	Publics           []string `json:"publics,omitempty"`
	PublicsPrecisions string   `json:"publics_precisions,omitempty"`
	ConditionsAcces   string   `json:"conditions_acces,omitempty"`

	Commune           string   `json:"commune,omitempty"` // the commune's name
	CodePostal        string   `json:"code_postal,omitempty"`
	CodeINSEE         string   `json:"code_insee,omitempty"`
	Adresse           string   `json:"adresse,omitempty"`
	ComplementAdresse string   `json:"complement_adresse,omitempty"`
	Longitude         *float64 `json:"longitude,omitempty"`
	Latitude          *float64 `json:"latitude,omitempty"`

	Telephone                 string   `json:"telephone,omitempty"`
	Courriel                  string   `json:"courriel,omitempty"`
	ModesAccueil              []string `json:"modes_accueil,omitempty"`
	ZoneEligibilite           []string `json:"zone_eligibilite,omitempty"`
	ContactNomPrenom          string   `json:"contact_nom_prenom,omitempty"`
	LienMobilisation          string   `json:"lien_mobilisation,omitempty"`
	ModesMobilisation         []string `json:"modes_mobilisation,omitempty"`
	MobilisablePar            []string `json:"mobilisable_par,omitempty"`
	MobilisationPrecisions    string   `json:"mobilisation_precisions,omitempty"`
	VolumeHoraireHebdomadaire *float64 `json:"volume_horaire_hebdomadaire,omitempty"`
	NombreSemaines            *int     `json:"nombre_semaines,omitempty"`
	HorairesAccueil           string   `json:"horaires_accueil,omitempty"`
}

// DIStructure is a structure as the data·inclusion schema v1 exchanges it
// (schemas/v1/structure.json), with the conventions of DIService. The
// required properties are source, id, nom and date_maj.
type DIStructure struct {
	Source      string `json:"source"`
	ID          string `json:"id"`
	Nom         string `json:"nom"`
	DateMaj     string `json:"date_maj"` // DIDateLayout
	Description string `json:"description,omitempty"`
	LienSource  string `json:"lien_source,omitempty"`
	SIRET       string `json:"siret,omitempty"`

	Commune           string   `json:"commune,omitempty"` // the commune's name
	CodePostal        string   `json:"code_postal,omitempty"`
	CodeINSEE         string   `json:"code_insee,omitempty"`
	Adresse           string   `json:"adresse,omitempty"`
	ComplementAdresse string   `json:"complement_adresse,omitempty"`
	Longitude         *float64 `json:"longitude,omitempty"`
	Latitude          *float64 `json:"latitude,omitempty"`

	Telephone         string   `json:"telephone,omitempty"`
	Courriel          string   `json:"courriel,omitempty"`
	SiteWeb           string   `json:"site_web,omitempty"`
	HorairesAccueil   string   `json:"horaires_accueil,omitempty"`
	AccessibiliteLieu string   `json:"accessibilite_lieu,omitempty"`
	ReseauxPorteurs   []string `json:"reseaux_porteurs,omitempty"`
}

// parisZone is the zone of date_maj: a service changed at 0:30 in Paris was
// changed that day. Without the tz database (cmd/parcours embeds
// time/tzdata) it falls back on CET all year.
var parisZone = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}()

// diID returns the data·inclusion source and id of a record: those it was
// imported with when it has both, else source and source + sep + its ID.
func diID(recSource, recID, source, sep string, id int64) (string, string) {
	if recSource != "" && recID != "" {
		return recSource, recID
	}
	return source, source + sep + strconv.FormatInt(id, 10)
}

// diDate returns date_maj for a record changed at updated (created when
// updated is zero), or "" when both are zero.
func diDate(updated, created time.Time) string {
	t := updated
	if t.IsZero() {
		t = created
	}
	if t.IsZero() {
		return ""
	}
	return t.In(parisZone).Format(DIDateLayout)
}

// parseDIDate returns the date_maj d as midnight in Europe/Paris.
func parseDIDate(d string) (time.Time, error) {
	return time.ParseInLocation(DIDateLayout, d, parisZone)
}

// diCoords returns latitude and longitude, nil when the position is (0, 0),
// which Parcours uses for "no position".
func diCoords(lat, lon float64) (*float64, *float64) {
	if lat == 0 && lon == 0 {
		return nil, nil
	}
	return &lat, &lon
}

// diList returns a copy of l, nil when l is empty, so that the value
// exported shares nothing with the record and an empty list is left out.
func diList(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	return slices.Clone(l)
}

// deref returns *p, or the zero value when p is nil.
func deref[T any](p *T) T {
	var v T
	if p != nil {
		v = *p
	}
	return v
}

// ExportService returns the service in the data·inclusion format, under the
// structure structureID (the data·inclusion id of its structure, which the
// caller resolves). A service created here (without Source and ExternalID)
// is published under source, "parcours-<code of the département>", with id
// source + "--" + its ID; an imported one keeps its source and id. date_maj
// is the date of UpdatedAt (CreatedAt when zero) in Europe/Paris. Position
// (0, 0), WeeklyHours 0 and Weeks 0 are left out, and so is "commune",
// which the caller may fill with the commune's name.
func ExportService(s Service, source, structureID string) DIService {
	d := DIService{
		StructureID:            structureID,
		Nom:                    s.Name,
		Description:            s.Description,
		LienSource:             s.SourceLink,
		DateMaj:                diDate(s.UpdatedAt, s.CreatedAt),
		Type:                   s.Type,
		Thematiques:            diList(s.Thematiques),
		Frais:                  s.Fees,
		FraisPrecisions:        s.FeesDetails,
		Publics:                diList(s.Publics),
		PublicsPrecisions:      s.PublicsDetails,
		ConditionsAcces:        s.AccessConditions,
		CodePostal:             s.PostalCode,
		CodeINSEE:              s.CommuneINSEE,
		Adresse:                s.Address,
		ComplementAdresse:      s.AddressComplement,
		Telephone:              s.Phone,
		Courriel:               s.Email,
		ModesAccueil:           diList(s.ReceptionModes),
		ZoneEligibilite:        diList(s.EligibilityZone),
		ContactNomPrenom:       s.ContactName,
		LienMobilisation:       s.MobilisationLink,
		ModesMobilisation:      diList(s.MobilisationModes),
		MobilisablePar:         diList(s.MobilisableBy),
		MobilisationPrecisions: s.MobilisationDetails,
		HorairesAccueil:        s.OpeningHours,
	}
	d.Source, d.ID = diID(s.Source, s.ExternalID, source, "--", s.ID)
	d.Latitude, d.Longitude = diCoords(s.Lat, s.Lon)
	if h := s.WeeklyHours; h > 0 {
		d.VolumeHoraireHebdomadaire = &h
	}
	if w := s.Weeks; w > 0 {
		d.NombreSemaines = &w
	}
	return d
}

// Service returns the service d describes, for the directory. Its
// StructureID is left zero: the caller finds the structure from
// d.StructureID. Its Status is left empty (a draft once normalized) for the
// caller to decide, and "commune", a name the referential gives from the
// INSEE code, is dropped. An invalid date_maj gives a zero UpdatedAt.
func (d DIService) Service() Service {
	s := Service{
		Source:              d.Source,
		ExternalID:          d.ID,
		Name:                d.Nom,
		Description:         d.Description,
		Type:                d.Type,
		Thematiques:         diList(d.Thematiques),
		Fees:                d.Frais,
		FeesDetails:         d.FraisPrecisions,
		Publics:             diList(d.Publics),
		PublicsDetails:      d.PublicsPrecisions,
		AccessConditions:    d.ConditionsAcces,
		CommuneINSEE:        d.CodeINSEE,
		PostalCode:          d.CodePostal,
		Address:             d.Adresse,
		AddressComplement:   d.ComplementAdresse,
		Lat:                 deref(d.Latitude),
		Lon:                 deref(d.Longitude),
		Phone:               d.Telephone,
		Email:               d.Courriel,
		ContactName:         d.ContactNomPrenom,
		ReceptionModes:      diList(d.ModesAccueil),
		EligibilityZone:     diList(d.ZoneEligibilite),
		MobilisationLink:    d.LienMobilisation,
		MobilisationModes:   diList(d.ModesMobilisation),
		MobilisableBy:       diList(d.MobilisablePar),
		MobilisationDetails: d.MobilisationPrecisions,
		WeeklyHours:         deref(d.VolumeHoraireHebdomadaire),
		Weeks:               deref(d.NombreSemaines),
		OpeningHours:        d.HorairesAccueil,
		SourceLink:          d.LienSource,
	}
	s.UpdatedAt, _ = parseDIDate(d.DateMaj)
	return s
}

// ExportStructure returns the structure in the data·inclusion format. A
// structure of Parcours is published under source with id source +
// "--structure-" + its ID; an imported one keeps its source and id.
func ExportStructure(st Structure, source string) DIStructure {
	d := DIStructure{
		Nom:               st.Name,
		DateMaj:           diDate(st.UpdatedAt, time.Time{}),
		Description:       st.Description,
		LienSource:        st.SourceLink,
		SIRET:             st.SIRET,
		CodePostal:        st.PostalCode,
		CodeINSEE:         st.CommuneINSEE,
		Adresse:           st.Address,
		ComplementAdresse: st.AddressComplement,
		Telephone:         st.Phone,
		Courriel:          st.Email,
		SiteWeb:           st.Website,
		HorairesAccueil:   st.OpeningHours,
		AccessibiliteLieu: st.AccessibilityLink,
		ReseauxPorteurs:   diList(st.Networks),
	}
	d.Source, d.ID = diID(st.Source, st.ExternalID, source, "--structure-", st.ID)
	d.Latitude, d.Longitude = diCoords(st.Lat, st.Lon)
	return d
}

// Structure returns the structure d describes, for the directory: a
// structure of the directory only (not Member), whose Kind the caller may
// guess with KindFromNetworks.
func (d DIStructure) Structure() Structure {
	st := Structure{
		Source:            d.Source,
		ExternalID:        d.ID,
		Name:              d.Nom,
		Description:       d.Description,
		SIRET:             d.SIRET,
		CommuneINSEE:      d.CodeINSEE,
		PostalCode:        d.CodePostal,
		Address:           d.Adresse,
		AddressComplement: d.ComplementAdresse,
		Lat:               deref(d.Latitude),
		Lon:               deref(d.Longitude),
		Phone:             d.Telephone,
		Email:             d.Courriel,
		Website:           d.SiteWeb,
		OpeningHours:      d.HorairesAccueil,
		AccessibilityLink: d.AccessibiliteLieu,
		SourceLink:        d.LienSource,
		Networks:          diList(d.ReseauxPorteurs),
	}
	st.UpdatedAt, _ = parseDIDate(d.DateMaj)
	return st
}

// ImportServices reads a JSON array of data·inclusion services, as the
// national base publishes them. Unknown properties are ignored, since
// data·inclusion adds some over time; a body that is not an array of
// objects, a property of the wrong type, more than MaxDIItems services or
// MaxDIBytes bytes give a problem.Invalid error in French. The services are
// not validated: see ValidateDIServices.
func ImportServices(r io.Reader) ([]DIService, error) {
	return importDI[DIService](r, "services")
}

// ImportStructures reads a JSON array of data·inclusion structures, as
// ImportServices reads services.
func ImportStructures(r io.Reader) ([]DIStructure, error) {
	return importDI[DIStructure](r, "structures")
}

// errDITooLarge is returned by diLimitReader past MaxDIBytes.
var errDITooLarge = errors.New("directory: data·inclusion file too large")

// diLimitReader reads at most n bytes of r, and fails after that rather
// than stop short, so that a truncated file is never taken for a whole one.
type diLimitReader struct {
	r io.Reader
	n int64
}

func (l *diLimitReader) Read(p []byte) (int, error) {
	if l.n < 0 {
		return 0, errDITooLarge
	}
	if int64(len(p)) > l.n+1 {
		p = p[:l.n+1] // one byte past the limit tells a file of exactly n bytes from a longer one
	}
	n, err := l.r.Read(p)
	if l.n -= int64(n); l.n < 0 {
		return n, errDITooLarge
	}
	return n, err
}

// diReader returns r limited to MaxDIBytes, past an optional UTF-8 byte
// order mark.
func diReader(r io.Reader) *bufio.Reader {
	br := bufio.NewReader(&diLimitReader{r: r, n: MaxDIBytes})
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\ufeff")) {
		_, _ = br.Discard(3)
	}
	return br
}

// tooLarge is the error for a file over MaxDIBytes.
func tooLarge() error {
	return problem.New(problem.Invalid, fmt.Sprintf("Le fichier dépasse la taille maximale de %d Mo.", MaxDIBytes>>20))
}

// importDI decodes a JSON array of T, one element at a time.
func importDI[T any](r io.Reader, what string) ([]T, error) {
	dec := json.NewDecoder(diReader(r))
	// jsonErr returns the error to report for err, met where (the
	// position is told by element, since the decoder's byte offsets are
	// not reliable across tokens).
	jsonErr := func(err error, where string) error {
		var syn *json.SyntaxError
		switch {
		case errors.Is(err, errDITooLarge):
			return tooLarge()
		case errors.As(err, &syn):
			return &problem.Error{Kind: problem.Invalid, Err: err, Detail: "Le fichier n'est pas du JSON valide : erreur " + where + "."}
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			return &problem.Error{Kind: problem.Invalid, Err: err, Detail: "Le fichier JSON est vide ou s'arrête avant la fin de la liste."}
		}
		return fmt.Errorf("directory: read data·inclusion %s: %w", what, err)
	}
	notArray := problem.New(problem.Invalid, fmt.Sprintf("Le fichier doit contenir une liste JSON de %s data·inclusion : [ {…}, {…} ].", what))

	tok, err := dec.Token()
	if err != nil {
		return nil, jsonErr(err, "au début du fichier")
	}
	if tok != json.Delim('[') {
		return nil, notArray
	}
	var out []T
	for dec.More() {
		i := len(out)
		if i == MaxDIItems {
			return nil, problem.New(problem.Invalid, fmt.Sprintf("Le fichier compte plus de %d %s : découpez-le.", MaxDIItems, what))
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, jsonErr(err, fmt.Sprintf("dans l'élément [%d] ou juste avant", i))
		}
		if raw[0] != '{' {
			return nil, problem.InvalidFields(notArray.Detail, problem.Field{Field: fmt.Sprintf("[%d]", i), Message: "Cet élément n'est pas un objet JSON."})
		}
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				return nil, jsonErr(err, fmt.Sprintf("dans l'élément [%d]", i))
			}
			return nil, &problem.Error{Kind: problem.Invalid, Err: err,
				Detail: fmt.Sprintf("Un champ d'un des %s n'a pas le type attendu.", what),
				Fields: []problem.Field{{Field: fmt.Sprintf("[%d].%s", i, te.Field), Message: "Ce champ doit contenir " + diTypeName[T](te.Field) + "."}}}
		}
		out = append(out, v)
	}
	if _, err := dec.Token(); err != nil { // the closing bracket; More has seen it
		return nil, jsonErr(err, "à la fin de la liste")
	}
	switch _, err := dec.Token(); {
	case errors.Is(err, io.EOF):
	case err == nil:
		return nil, problem.New(problem.Invalid, "Le fichier contient autre chose après la liste JSON.")
	default:
		return nil, jsonErr(err, "après la fin de la liste")
	}
	return out, nil
}

// diTypeName returns, in French, what the property field of T holds.
func diTypeName[T any](field string) string {
	t := reflect.TypeFor[T]()
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != field {
			continue
		}
		switch f.Type.String() {
		case "[]string":
			return "une liste de textes"
		case "*float64":
			return "un nombre"
		case "*int":
			return "un nombre entier"
		}
	}
	return "du texte"
}

// ValidateDIServices checks services read in the data·inclusion format
// before they enter the directory, with a French message per field, named
// after the item's index and the data·inclusion property:
// "[3].thematiques[0]". It checks what the JSON Schema requires and the
// directory cannot hold (source, id and structure_id set, date_maj a date,
// nombre_semaines at least 1, each source and id once), then normalizes each
// service as the directory will keep it and validates it with
// Service.Validate, whose rules are those of the schema and of Parcours;
// list indexes are those of the file.
func ValidateDIServices(items []DIService, ref *referential.Referential, now time.Time) problem.Fields {
	var fs problem.Fields
	seen := make(map[[2]string]int, len(items))
	for i, d := range items {
		add := prefixed(&fs, i)
		checkDIKey(add, seen, i, d.Source, d.ID)
		if strings.TrimSpace(d.StructureID) == "" {
			add("structure_id", "L'identifiant data·inclusion de la structure du service est obligatoire.")
		}
		checkDIDate(add, d.DateMaj, time.Time{})
		if d.NombreSemaines != nil && *d.NombreSemaines == 0 {
			add("nombre_semaines", fmt.Sprintf("Le nombre de semaines est compris entre 1 et %d.", MaxWeeks))
		}
		s := d.Service()
		s.Normalize(ref)
		lists := map[string][2][]string{
			"thematiques":        {d.Thematiques, s.Thematiques},
			"publics":            {d.Publics, s.Publics},
			"modes_accueil":      {d.ModesAccueil, s.ReceptionModes},
			"zone_eligibilite":   {d.ZoneEligibilite, s.EligibilityZone},
			"modes_mobilisation": {d.ModesMobilisation, s.MobilisationModes},
			"mobilisable_par":    {d.MobilisablePar, s.MobilisableBy},
		}
		for _, f := range s.Validate(ref, now) {
			add(fileIndex(f.Field, lists), f.Message)
		}
	}
	return fs
}

// ValidateDIStructures checks structures read in the data·inclusion format
// as ValidateDIServices checks services: source and id set and unique,
// date_maj a date of this century and not in the future, then
// Structure.Validate.
func ValidateDIStructures(items []DIStructure, ref *referential.Referential, now time.Time) problem.Fields {
	var fs problem.Fields
	seen := make(map[[2]string]int, len(items))
	for i, d := range items {
		add := prefixed(&fs, i)
		checkDIKey(add, seen, i, d.Source, d.ID)
		checkDIDate(add, d.DateMaj, now)
		st := d.Structure()
		st.Normalize(ref)
		lists := map[string][2][]string{"reseaux_porteurs": {d.ReseauxPorteurs, st.Networks}}
		for _, f := range st.Validate(ref) {
			add(fileIndex(f.Field, lists), f.Message)
		}
	}
	return fs
}

// prefixed returns a function adding to fs a message about a field of the
// item i.
func prefixed(fs *problem.Fields, i int) func(field, msg string) {
	return func(field, msg string) { fs.Add(fmt.Sprintf("[%d].%s", i, field), msg) }
}

// checkDIKey checks the source and id of the item i, which must be set and
// not be those of an earlier item.
func checkDIKey(add func(field, msg string), seen map[[2]string]int, i int, source, id string) {
	if strings.TrimSpace(source) == "" {
		add("source", "La source (le producteur de la donnée) est obligatoire.")
	}
	if strings.TrimSpace(id) == "" {
		add("id", "L'identifiant data·inclusion est obligatoire.")
		return
	}
	k := [2]string{strings.TrimSpace(source), strings.TrimSpace(id)}
	if j, ok := seen[k]; ok {
		add("id", fmt.Sprintf("Cet identifiant est déjà celui de l'élément [%d].", j))
		return
	}
	seen[k] = i
}

// checkDIDate checks that date_maj is set and a date. When now is not zero
// it also checks what Service.Validate checks for a service: a date of this
// century and not in the future.
func checkDIDate(add func(field, msg string), date string, now time.Time) {
	if date == "" {
		add("date_maj", "La date de mise à jour est obligatoire.")
		return
	}
	t, err := parseDIDate(date)
	if err != nil {
		add("date_maj", "La date de mise à jour s'écrit AAAA-MM-JJ, par exemple 2025-02-14.")
		return
	}
	if !now.IsZero() && (t.Year() < 2000 || t.After(now.Add(24*time.Hour))) {
		add("date_maj", "La date de mise à jour doit être au XXIe siècle et pas dans le futur.")
	}
}

// fileIndex returns field, a message's field name such as "thematiques[2]",
// with the index in the normalized (trimmed, sorted, deduplicated) list
// replaced by the index of the same value in the list as read, given in
// lists as {read, normalized} by field name.
func fileIndex(field string, lists map[string][2][]string) string {
	name, rest, ok := strings.Cut(field, "[")
	if !ok {
		return field
	}
	k, err := strconv.Atoi(strings.TrimSuffix(rest, "]"))
	l, known := lists[name]
	if err != nil || !known || k < 0 || k >= len(l[1]) {
		return field
	}
	for j, v := range l[0] {
		if strings.TrimSpace(v) == l[1][k] {
			return fmt.Sprintf("%s[%d]", name, j)
		}
	}
	return field
}
