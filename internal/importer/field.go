package importer

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
)

// FieldInfo is a target field of a person import. Code is the JSON name of
// the person field (or "role", the person's role in the CAF household, and
// "postal_code" and "commune_name", which lead to commune_insee). Synonyms
// are the headers seen for it in the files of the CAF, the Départements,
// France Travail, the carnet de bord template (fr_anchors §1.1) and
// rdv-insertion's file configurations, best first; they are compared
// folded, without punctuation and without the little words "de", "du", "la"…
type FieldInfo struct {
	Code     string
	Label    string
	Required bool
	Synonyms []string
}

// The codes of the fields.
const (
	fieldFirstName     = "first_name"
	fieldLastName      = "last_name"
	fieldBirthName     = "birth_name"
	fieldBirthDate     = "birth_date"
	fieldSex           = "sex"
	fieldEmail         = "email"
	fieldPhone         = "phone"
	fieldAddress       = "address"
	fieldCommuneINSEE  = "commune_insee"
	fieldPostalCode    = "postal_code"
	fieldCommuneName   = "commune_name"
	fieldCAFNumber     = "caf_number"
	fieldFranceTravail = "france_travail_id"
	fieldRSARight      = "rsa_right"
	fieldRSAOpenedOn   = "rsa_opened_on"
	fieldRole          = "role"
	fieldLongTerm      = "long_term_unemployed"
)

// Fields lists every importable field, in the order an import form shows
// them.
var Fields = []FieldInfo{
	{fieldFirstName, "Prénom", true, []string{
		"Prénom", "Prénoms", "Prénom usuel", "Prénom d'usage", "Prénom du bénéficiaire", "Prénom bénéficiaire",
		"Prénom de l'allocataire", "Prénom allocataire", "Prénom du demandeur", "Prénom de la personne",
		"Prénom usager", "First name", "Firstname", "first_name", "firstname", "PRENOM_USAGE",
	}},
	{fieldLastName, "Nom", true, []string{
		"Nom", "Nom d'usage", "Nom usuel", "Nom marital", "Nom du bénéficiaire", "Nom bénéficiaire",
		"Nom de l'allocataire", "Nom allocataire", "Nom du demandeur", "Nom de la personne", "Nom usager",
		"Nom de famille", "Last name", "Lastname", "last_name", "lastname", "NOM_USAGE",
	}},
	{fieldBirthName, "Nom de naissance", false, []string{
		"Nom de naissance", "Nom patronymique", "Nom de jeune fille", "Nom de famille", "birth_name", "NOM_NAISSANCE",
	}},
	{fieldBirthDate, "Date de naissance", true, []string{
		"Date de naissance", "Date naissance", "Date naiss", "DATE_NAISS", "DTNAI", "DDN", "Né(e) le", "Né le",
		"Née le", "Naissance", "birth_date", "date_of_birth", "Birth date", "Birthdate",
	}},
	{fieldSex, "Sexe", false, []string{
		"Sexe", "Civilité", "Genre", "Titre", "sex", "title", "gender",
	}},
	{fieldEmail, "Adresse électronique", false, []string{
		"Email", "E-mail", "Mail", "Courriel", "Adresse mail", "Adresse e-mail", "Adresse email",
		"Adresse électronique", "Adresse courriel", "Mél", "email_address",
	}},
	{fieldPhone, "Téléphone", false, []string{
		"Téléphone", "Tél", "Tel", "Téléphone portable", "Téléphone mobile", "Portable", "Mobile",
		"Numéro de téléphone", "Téléphone 1", "Tél portable", "Numéro de portable", "phone", "phone_number",
		"mobile_number",
	}},
	{fieldAddress, "Adresse", false, []string{
		"Adresse", "Adresse postale", "Adresse 1", "Adresse ligne 1", "Adresse1", "Adresse (voie)", "Voie",
		"Rue", "address", "address1",
	}},
	{fieldCommuneINSEE, "Code INSEE de la commune", false, []string{
		"Code INSEE", "Code INSEE de la commune", "Code INSEE commune", "Code commune INSEE", "Commune (code INSEE)",
		"INSEE", "Code commune", "COG", "Code officiel géographique", "CODE_INSEE", "insee_code", "commune_insee",
	}},
	{fieldPostalCode, "Code postal", false, []string{
		"Code postal", "CP", "Code postal de résidence", "CODE_POSTAL", "postal_code", "zip_code",
	}},
	{fieldCommuneName, "Commune", false, []string{
		"Commune", "Ville", "Localité", "Nom de la commune", "Commune de résidence", "Libellé commune",
		"Libellé de la commune", "LIBELLE_COMMUNE", "city",
	}},
	{fieldCAFNumber, "Numéro d'allocataire CAF ou MSA", false, []string{
		"N° allocataire", "Numéro d'allocataire", "Numéro allocataire CAF/MSA", "N° allocataire CAF",
		"Numéro allocataire CAF", "Numéro CAF", "N° CAF", "Numéro CAF/MSA", "N° MSA", "Numéro MSA", "N° alloc",
		"Matricule", "Matricule CAF", "Matricule CAF/MSA", "MATRICULE", "caf_number", "affiliation_number",
	}},
	{fieldFranceTravail, "Identifiant France Travail", false, []string{
		"Identifiant France Travail", "Identifiant Pôle emploi", "ID France Travail", "ID Pôle emploi",
		"Identifiant FT", "Identifiant PE", "ID FT", "ID PE", "N° France Travail", "N° Pôle emploi",
		"N° identifiant France Travail", "N° identifiant Pôle emploi", "Numéro d'identifiant France Travail",
		"Numéro d'identifiant Pôle emploi", "IDENTIFIANT_PE", "france_travail_id", "pole_emploi_id", "pe_number",
	}},
	{fieldRSARight, "Droit au RSA", false, []string{
		"Droit au RSA", "Droits RSA", "Droit RSA", "Situation du droit RSA", "État du droit RSA", "État du droit",
		"Statut RSA", "État du dossier RSA", "ETATDOSRSA", "right_rsa", "rsa_right",
	}},
	{fieldRSAOpenedOn, "Date d'ouverture du droit au RSA", false, []string{
		"Date d'ouverture de droit", "Date d'ouverture de droits", "Date d'ouverture du droit",
		"Date d'ouverture des droits", "Date d'ouverture du droit au RSA", "Date d'ouverture droit RSA",
		"Date d'ouverture RSA", "Date ouverture droits", "Date de début de droit", "Date de début des droits",
		"rights_opening_date", "rsa_opened_on",
	}},
	{fieldRole, "Rôle dans le foyer", false, []string{
		"Rôle", "Rôle dans le foyer", "Rôle CAF", "Rôle allocataire", "Qualité", "role",
	}},
	{fieldLongTerm, "Demandeur d'emploi de longue durée (DELD)", false, []string{
		"DELD", "Demandeur d'emploi de longue durée", "Chômeur de longue durée", "Chômage de longue durée",
		"long_term_unemployed",
	}},
}

// fieldInfo returns the FieldInfo of a code.
func fieldInfo(code string) (FieldInfo, bool) {
	i := slices.IndexFunc(Fields, func(f FieldInfo) bool { return f.Code == code })
	if i < 0 {
		return FieldInfo{}, false
	}
	return Fields[i], true
}

// Mapping maps a field code to the header of the file's column that feeds
// it. A field absent or mapped to "" is not imported.
type Mapping map[string]string

// stopWords are the little words a header key leaves out, so that "Date de
// naissance" and "DATE_NAISSANCE" meet.
var stopWords = map[string]bool{"de": true, "d": true, "du": true, "des": true, "la": true, "le": true, "l": true, "les": true}

// numberWords are the ways of writing "numéro" in a header: "N°", "No",
// "Num", "Numéro".
var numberWords = map[string]bool{"n": true, "no": true, "num": true, "numero": true}

// headerKey returns the form headers and synonyms are compared in:
// referential.Fold, words of letters and digits only, without stop words,
// every "numéro" spelled the same. "N° d'allocataire*" gives "numero
// allocataire".
func headerKey(s string) string {
	words := strings.FieldsFunc(referential.Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := words[:0]
	for _, w := range words {
		switch {
		case stopWords[w]:
		case numberWords[w]:
			out = append(out, "numero")
		default:
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// stripParens removes what lies between parentheses or brackets: "Date de
// naissance (jj/mm/aaaa)" is "Date de naissance ".
func stripParens(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(' || r == '[':
			depth++
		case (r == ')' || r == ']') && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// GuessMapping proposes a mapping for the headers of a file: each field
// gets the header that matches its best synonym, compared by headerKey, or
// failing any, the header that matches once what it holds between
// parentheses is dropped ("Date de naissance (jj/mm/aaaa)"). Required fields
// choose first, then the others in the order of Fields; a header feeds one
// field at most, so that a file with only "Nom de famille" gets it as the
// last name, and one with "Nom" too gets it as the birth name. Duplicate
// headers count once, the first.
func GuessMapping(header []string) Mapping {
	keys := make([]string, len(header))
	stripped := make([]string, len(header))
	used := make([]bool, len(header))
	seen := make(map[string]bool, len(header))
	for i, h := range header {
		if seen[h] { // a duplicate: only its first can be mapped
			used[i] = true
			continue
		}
		seen[h] = true
		keys[i], stripped[i] = headerKey(h), headerKey(stripParens(h))
	}

	m := Mapping{}
	order := make([]FieldInfo, 0, len(Fields))
	for _, f := range Fields {
		if f.Required {
			order = append(order, f)
		}
	}
	for _, f := range Fields {
		if !f.Required {
			order = append(order, f)
		}
	}
	for _, f := range order {
		if _, done := m[f.Code]; done {
			continue
		}
		synonyms := append(slices.Clip(f.Synonyms), f.Label, f.Code)
		best, bestScore := -1, 0
		for s, syn := range synonyms {
			k := headerKey(syn)
			if k == "" {
				continue
			}
			for i := range header {
				if used[i] {
					continue
				}
				score := -1
				switch k {
				case keys[i]:
					score = s
				case stripped[i]:
					score = len(synonyms) + s
				}
				if score >= 0 && (best < 0 || score < bestScore) {
					best, bestScore = i, score
				}
			}
		}
		if best >= 0 {
			m[f.Code] = header[best]
			used[best] = true
		}
	}
	return m
}

// Validate checks a mapping against the header of a file: every required
// field is mapped, every mapped header is a column of the file, found once,
// and feeds one field only. Messages are in French, about the field's code.
func (m Mapping) Validate(header []string) problem.Fields {
	var fs problem.Fields
	feeds := map[string]string{} // header → the first field it feeds
	check := func(code, label, h string) {
		switch n := count(header, h); {
		case n == 0:
			fs.Add(code, fmt.Sprintf("La colonne « %s » n'existe pas dans le fichier.", h))
		case n > 1:
			fs.Add(code, fmt.Sprintf("Plusieurs colonnes du fichier s'appellent « %s » : renommez-les pour qu'elles se distinguent.", h))
		default:
			if other, ok := feeds[h]; ok {
				fs.Add(code, fmt.Sprintf("La colonne « %s » est déjà associée au champ « %s ».", h, other))
				return
			}
			feeds[h] = label
		}
	}
	for _, f := range Fields {
		h := m[f.Code]
		if h == "" {
			if f.Required {
				fs.Add(f.Code, fmt.Sprintf("Choisissez la colonne du fichier qui contient le champ obligatoire « %s ».", f.Label))
			}
			continue
		}
		check(f.Code, f.Label, h)
	}
	var unknown []string
	for code, h := range m {
		if _, ok := fieldInfo(code); !ok && h != "" {
			unknown = append(unknown, code)
		}
	}
	slices.Sort(unknown)
	for _, code := range unknown {
		fs.Add(code, "Ce champ ne peut pas être importé.")
	}
	return fs
}

// count returns how many times s appears in list.
func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}
