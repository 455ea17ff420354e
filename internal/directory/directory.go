// Package directory is the territory's directory of local services (l'offre
// d'insertion) in the data·inclusion schema v1, its search, and the referrals
// (adressages) of people to those services. It holds types and rules only.
//
// A service is published by a structure: a member of the consortium, or a
// structure of the directory only (a garage solidaire, a crèche, a food
// bank) that has no account and answers referrals through a single-use link.
package directory

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
)

// Status is the publication status of a service.
type Status string

// The statuses of a service. Only published services are found by search
// and suggestions, and receive referrals.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
	StatusSuspended Status = "suspended" // temporarily closed: kept, not found
	StatusArchived  Status = "archived"
)

// StatusOptions lists the statuses with their French labels.
var StatusOptions = []person.Option{
	{Code: string(StatusDraft), Label: "Brouillon"},
	{Code: string(StatusPublished), Label: "Publié"},
	{Code: string(StatusSuspended), Label: "Suspendu"},
	{Code: string(StatusArchived), Label: "Archivé"},
}

// Label is the French label of the status.
func (s Status) Label() string {
	for _, o := range StatusOptions {
		if o.Code == string(s) {
			return o.Label
		}
	}
	return string(s)
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	return s == StatusDraft || s == StatusPublished || s == StatusSuspended || s == StatusArchived
}

// Limits of a service's fields, from the data·inclusion schema v1 where it
// sets them.
const (
	MinNameLen        = 3
	MaxNameLen        = 150
	MinDescriptionLen = 5
	MaxDescriptionLen = 10000
	MaxTextLen        = 2000 // precisions, conditions, contact, opening hours
	MaxURLLen         = 2083
	MaxWeeklyHours    = 60
	MaxWeeks          = 520
)

// Service is a service of the directory, with the fields of the
// data·inclusion schema v1 (the French field name is given where the Go name
// differs). Coordinates default to the commune's centre.
type Service struct {
	ID            int64
	TerritoryID   int64
	StructureID   int64
	StructureName string

	// Source and ExternalID are the data·inclusion "source" and "id" of a
	// service that came from an import; empty for a service created here,
	// which is exported as "parcours-<département>" and
	// "parcours-<département>--<ID>".
	Source     string
	ExternalID string

	Name             string   // nom
	Description      string   // description
	Type             string   // type: types-de-services code, or ""
	Thematiques      []string // thematiques codes
	Fees             string   // frais: gratuit, payant or ""
	FeesDetails      string   // frais_precisions
	Publics          []string // publics codes
	PublicsDetails   string   // publics_precisions
	AccessConditions string   // conditions_acces

	CommuneINSEE      string // code_insee
	PostalCode        string // code_postal
	Address           string // adresse
	AddressComplement string // complement_adresse
	Lat, Lon          float64

	Phone       string // telephone
	Email       string // courriel
	ContactName string // contact_nom_prenom

	ReceptionModes      []string // modes_accueil
	EligibilityZone     []string // zone_eligibilite: INSEE commune, département, EPCI codes or "france"
	MobilisationLink    string   // lien_mobilisation
	MobilisationModes   []string // modes_mobilisation
	MobilisableBy       []string // mobilisable_par
	MobilisationDetails string   // mobilisation_precisions
	WeeklyHours         float64  // volume_horaire_hebdomadaire; 0 when not given
	Weeks               int      // nombre_semaines; 0 when not given
	OpeningHours        string   // horaires_accueil, OpenStreetMap opening_hours
	SourceLink          string   // lien_source

	Status    Status
	CreatedAt time.Time
	UpdatedAt time.Time // date_maj
}

// HasCoords reports whether the service has a position.
func (s Service) HasCoords() bool { return s.Lat != 0 || s.Lon != 0 }

// Remote reports whether the service is given at a distance only, so that
// distance does not keep anybody from it.
func (s Service) Remote() bool {
	return len(s.ReceptionModes) > 0 && !slices.Contains(s.ReceptionModes, "en-presentiel")
}

// Normalize trims the text fields, sorts and deduplicates the code lists
// and fills the postal code and coordinates from the commune when they are
// missing. ref may be nil (nothing is filled then).
func (s *Service) Normalize(ref *referential.Referential) {
	for _, p := range []*string{&s.Source, &s.ExternalID, &s.Name, &s.Description, &s.Type, &s.Fees, &s.FeesDetails,
		&s.PublicsDetails, &s.AccessConditions, &s.CommuneINSEE, &s.PostalCode, &s.Address, &s.AddressComplement,
		&s.Phone, &s.Email, &s.ContactName, &s.MobilisationLink, &s.MobilisationDetails, &s.OpeningHours, &s.SourceLink} {
		*p = strings.TrimSpace(*p)
	}
	s.Email = strings.ToLower(s.Email)
	for _, l := range []*[]string{&s.Thematiques, &s.Publics, &s.ReceptionModes, &s.EligibilityZone, &s.MobilisationModes, &s.MobilisableBy} {
		*l = cleanList(*l)
	}
	fillFromCommune(ref, s.CommuneINSEE, &s.PostalCode, &s.Lat, &s.Lon)
	if s.Status == "" {
		s.Status = StatusDraft
	}
}

// fillFromCommune gives a place without a postal code or a position those
// of its commune (its first postal code, its centre). ref may be nil.
func fillFromCommune(ref *referential.Referential, insee string, postal *string, lat, lon *float64) {
	if ref == nil || insee == "" {
		return
	}
	c, ok := ref.Commune(insee)
	if !ok {
		return
	}
	if *postal == "" && len(c.PostalCodes) > 0 {
		*postal = c.PostalCodes[0]
	}
	if *lat == 0 && *lon == 0 {
		*lat, *lon = c.Lat, c.Lon
	}
}

// cleanList trims, drops empty values and duplicates, and sorts.
func cleanList(l []string) []string {
	var out []string
	for _, v := range l {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

// checkCodes adds a message for each value of l that is not in the
// data·inclusion list.
func checkCodes(fs *problem.Fields, ref *referential.Referential, field, list string, l []string, what string) {
	for i, v := range l {
		if !ref.IsDataInclusionCode(list, v) {
			fs.Add(fmt.Sprintf("%s[%d]", field, i), fmt.Sprintf("« %s » n'est pas %s du référentiel data·inclusion.", v, what))
		}
	}
}

// Validate checks a normalized service against the data·inclusion schema v1
// and the directory's own rules, with a French message per field (named as
// in data·inclusion: "nom", "thematiques[2]"…). A published service must
// also say how to reach it: a commune or the "à distance" mode, and a phone,
// an email or a link.
func (s *Service) Validate(ref *referential.Referential, now time.Time) problem.Fields {
	var fs problem.Fields
	switch n := utf8.RuneCountInString(s.Name); {
	case n == 0:
		fs.Add("nom", "Le nom du service est obligatoire.")
	case n < MinNameLen || n > MaxNameLen:
		fs.Add("nom", fmt.Sprintf("Le nom doit compter de %d à %d caractères.", MinNameLen, MaxNameLen))
	case strings.HasSuffix(s.Name, ".") && !strings.HasSuffix(s.Name, "etc."):
		fs.Add("nom", "Le nom ne doit pas se terminer par un point.")
	}
	switch n := utf8.RuneCountInString(s.Description); {
	case n == 0:
		fs.Add("description", "La description du service est obligatoire.")
	case n < MinDescriptionLen || n > MaxDescriptionLen:
		fs.Add("description", fmt.Sprintf("La description doit compter de %d à %d caractères.", MinDescriptionLen, MaxDescriptionLen))
	}
	if s.Type != "" && !ref.IsDataInclusionCode("types_de_services", s.Type) {
		fs.Add("type", fmt.Sprintf("« %s » n'est pas un type de service data·inclusion.", s.Type))
	}
	if len(s.Thematiques) == 0 {
		fs.Add("thematiques", "Choisissez au moins une thématique.")
	}
	checkCodes(&fs, ref, "thematiques", "thematiques", s.Thematiques, "une thématique")
	if s.Fees != "" && !ref.IsDataInclusionCode("frais", s.Fees) {
		fs.Add("frais", "Frais attendus : gratuit ou payant.")
	}
	checkCodes(&fs, ref, "publics", "publics", s.Publics, "un public")
	if slices.Contains(s.Publics, "tous-publics") && len(s.Publics) > 1 {
		fs.Add("publics", "« Tous publics » ne peut pas être choisi avec d'autres publics.")
	}
	checkCodes(&fs, ref, "modes_accueil", "modes_accueil", s.ReceptionModes, "un mode d'accueil")
	checkCodes(&fs, ref, "modes_mobilisation", "modes_mobilisation", s.MobilisationModes, "un mode de mobilisation")
	checkCodes(&fs, ref, "mobilisable_par", "personnes_mobilisatrices", s.MobilisableBy, "une personne mobilisatrice")
	if s.CommuneINSEE != "" {
		if _, ok := ref.Commune(s.CommuneINSEE); !ok {
			fs.Add("code_insee", "Ce code commune INSEE n'existe pas.")
		}
	}
	if s.PostalCode != "" && !digits(s.PostalCode, 5) {
		fs.Add("code_postal", "Le code postal compte 5 chiffres.")
	}
	for i, z := range s.EligibilityZone {
		if !validZone(ref, z) {
			fs.Add(fmt.Sprintf("zone_eligibilite[%d]", i), fmt.Sprintf("« %s » n'est ni une commune, ni un département, ni un EPCI (9 chiffres), ni « france ».", z))
		}
	}
	if s.Email != "" && !person.ValidEmail(s.Email) {
		fs.Add("courriel", "Adresse électronique invalide, par exemple accueil@structure.fr.")
	}
	checkURL(&fs, "lien_mobilisation", s.MobilisationLink)
	checkURL(&fs, "lien_source", s.SourceLink)
	if s.WeeklyHours < 0 || s.WeeklyHours > MaxWeeklyHours {
		fs.Add("volume_horaire_hebdomadaire", fmt.Sprintf("Le volume horaire hebdomadaire est compris entre 0 et %d heures.", MaxWeeklyHours))
	}
	if s.Weeks < 0 || s.Weeks > MaxWeeks {
		fs.Add("nombre_semaines", fmt.Sprintf("Le nombre de semaines est compris entre 1 et %d (0 : non précisé).", MaxWeeks))
	}
	for field, v := range map[string]string{"frais_precisions": s.FeesDetails, "publics_precisions": s.PublicsDetails,
		"conditions_acces": s.AccessConditions, "mobilisation_precisions": s.MobilisationDetails, "horaires_accueil": s.OpeningHours,
		"contact_nom_prenom": s.ContactName, "adresse": s.Address, "complement_adresse": s.AddressComplement, "telephone": s.Phone} {
		if utf8.RuneCountInString(v) > MaxTextLen {
			fs.Add(field, fmt.Sprintf("Ce champ ne doit pas dépasser %d caractères.", MaxTextLen))
		}
	}
	if !s.Status.Valid() {
		fs.Add("statut", "Statut attendu : brouillon, publié, suspendu ou archivé.")
	}
	if !s.UpdatedAt.IsZero() && (s.UpdatedAt.Year() < 2000 || s.UpdatedAt.After(now.Add(24*time.Hour))) {
		fs.Add("date_maj", "La date de mise à jour doit être au XXIe siècle et pas dans le futur.")
	}
	if s.Status == StatusPublished {
		if s.CommuneINSEE == "" && !slices.Contains(s.ReceptionModes, "a-distance") {
			fs.Add("code_insee", "Un service publié a une commune, ou se tient à distance.")
		}
		if s.Phone == "" && s.Email == "" && s.MobilisationLink == "" {
			fs.Add("courriel", "Un service publié donne un moyen de contact : courriel, téléphone ou lien de mobilisation.")
		}
	}
	return fs
}

// digits reports whether s is n ASCII digits.
func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validZone reports whether z is a code of a zone of eligibility: a commune,
// a département, an EPCI (SIREN, 9 digits), a foreign country (99xxx) or
// "france".
func validZone(ref *referential.Referential, z string) bool {
	switch {
	case z == "france" || z == "99100":
		return true
	case digits(z, 9):
		return true
	case len(z) == 5 && strings.HasPrefix(z, "99"):
		return digits(z, 5)
	case len(z) == 5:
		_, ok := ref.Commune(z)
		return ok
	default:
		_, ok := ref.Departement(z)
		return ok
	}
}

// checkURL adds a message when v is set and is not an http(s) URL.
func checkURL(fs *problem.Fields, field, v string) {
	if v == "" {
		return
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(v) > MaxURLLen {
		fs.Add(field, "Adresse web invalide : elle commence par https:// (ou http://).")
	}
}

// Eligible reports whether a person living in the commune (INSEE code, with
// its département) is within the service's zone of eligibility. A service
// without a zone is open to all; an EPCI code is not resolved here and
// counts as eligible.
func (s Service) Eligible(insee, departement string) bool {
	if len(s.EligibilityZone) == 0 || insee == "" {
		return true
	}
	for _, z := range s.EligibilityZone {
		switch {
		case z == "france" || z == "99100" || z == insee || z == departement || digits(z, 9):
			return true
		}
	}
	return false
}

// Structure is a structure as the directory describes it, in the
// data·inclusion schema v1: a member of the consortium (Member) or a
// structure of the directory only, which has no account.
type Structure struct {
	ID          int64
	TerritoryID int64
	Kind        string // the structure kind (territory.Kind)
	Member      bool   // a member of the consortium, with accounts

	Source     string // data·inclusion source and id, when imported
	ExternalID string

	Name              string   // nom
	Description       string   // description
	SIRET             string   // siret
	CommuneINSEE      string   // code_insee
	PostalCode        string   // code_postal
	Address           string   // adresse
	AddressComplement string   // complement_adresse
	Lat, Lon          float64  // latitude, longitude
	Phone             string   // telephone
	Email             string   // courriel
	Website           string   // site_web
	OpeningHours      string   // horaires_accueil
	AccessibilityLink string   // accessibilite_lieu
	SourceLink        string   // lien_source
	Networks          []string // reseaux_porteurs
	UpdatedAt         time.Time
}

// Normalize trims the fields, sorts the networks and fills the postal code
// and coordinates from the commune.
func (st *Structure) Normalize(ref *referential.Referential) {
	for _, p := range []*string{&st.Source, &st.ExternalID, &st.Name, &st.Description, &st.SIRET, &st.CommuneINSEE,
		&st.PostalCode, &st.Address, &st.AddressComplement, &st.Phone, &st.Email, &st.Website, &st.OpeningHours,
		&st.AccessibilityLink, &st.SourceLink} {
		*p = strings.TrimSpace(*p)
	}
	st.Email = strings.ToLower(st.Email)
	st.SIRET = strings.ReplaceAll(st.SIRET, " ", "")
	st.Networks = cleanList(st.Networks)
	fillFromCommune(ref, st.CommuneINSEE, &st.PostalCode, &st.Lat, &st.Lon)
}

// Validate checks a normalized structure against the data·inclusion schema
// v1, with a French message per field.
func (st *Structure) Validate(ref *referential.Referential) problem.Fields {
	var fs problem.Fields
	switch n := utf8.RuneCountInString(st.Name); {
	case n == 0:
		fs.Add("nom", "Le nom de la structure est obligatoire.")
	case n < MinNameLen || n > MaxNameLen:
		fs.Add("nom", fmt.Sprintf("Le nom doit compter de %d à %d caractères.", MinNameLen, MaxNameLen))
	}
	if n := utf8.RuneCountInString(st.Description); n > 0 && (n < MinDescriptionLen || n > MaxDescriptionLen) {
		fs.Add("description", fmt.Sprintf("La description doit compter de %d à %d caractères.", MinDescriptionLen, MaxDescriptionLen))
	}
	if st.SIRET != "" && !digits(st.SIRET, 14) {
		fs.Add("siret", "Le numéro SIRET compte 14 chiffres.")
	}
	if st.CommuneINSEE != "" {
		if _, ok := ref.Commune(st.CommuneINSEE); !ok {
			fs.Add("code_insee", "Ce code commune INSEE n'existe pas.")
		}
	}
	if st.PostalCode != "" && !digits(st.PostalCode, 5) {
		fs.Add("code_postal", "Le code postal compte 5 chiffres.")
	}
	if st.Email != "" && !person.ValidEmail(st.Email) {
		fs.Add("courriel", "Adresse électronique invalide, par exemple accueil@structure.fr.")
	}
	checkURL(&fs, "site_web", st.Website)
	checkURL(&fs, "accessibilite_lieu", st.AccessibilityLink)
	checkURL(&fs, "lien_source", st.SourceLink)
	checkCodes(&fs, ref, "reseaux_porteurs", "reseaux_porteurs", st.Networks, "un réseau porteur")
	return fs
}

// KindFromNetworks guesses the consortium kind of an imported structure from
// its networks (reseaux_porteurs); association when nothing tells.
func KindFromNetworks(networks []string) string {
	kinds := map[string]string{
		"france-travail": "france_travail", "mission-locale": "mission_locale", "cap-emploi-reseau-cheops": "cap_emploi",
		"departements": "departement", "ccas-cias": "ccas", "plie": "plie", "aci": "siae", "ai": "siae", "ei": "siae",
		"etti": "siae", "eiti": "siae",
	}
	for _, n := range networks {
		if k, ok := kinds[n]; ok {
			return k
		}
	}
	return "association"
}
