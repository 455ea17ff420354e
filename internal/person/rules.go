package person

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
)

// Limits of the identity form.
const (
	MaxNameLen    = 100 // characters of a first, last or birth name
	MaxAddressLen = 250
	MaxEmailLen   = 254 // RFC 5321 path limit
	MinAge        = 15  // the youngest a person followed can be
	MaxAge        = 100
)

// Normalize tidies what a professional or an import typed, before Validate
// and before saving: it trims every text field and collapses runs of white
// space (non-breaking ones included), keeping the case of names and address
// as typed. It lower-cases the email, writes a French phone number as
// "06 12 34 56 78" (from +33, 0033, "+33 (0)6", dots, dashes or slashes, and
// from the nine digits a spreadsheet leaves when it drops the leading 0),
// removes the spaces inside the CAF number and the France Travail
// identifier, and upper-cases the France Travail identifier, the sex and
// the INSEE code ("2a004" is "2A004"). A value it cannot read is left for
// Validate to report.
func (p *Person) Normalize() {
	p.FirstName = collapse(p.FirstName)
	p.LastName = collapse(p.LastName)
	p.BirthName = collapse(p.BirthName)
	p.Sex = strings.ToUpper(strings.TrimSpace(p.Sex))
	p.Email = strings.ToLower(strings.TrimSpace(p.Email))
	p.Phone = collapse(p.Phone)
	if n, ok := frenchPhone(p.Phone); ok {
		p.Phone = n
	}
	p.Address = collapse(p.Address)
	p.CommuneINSEE = strings.ToUpper(strings.TrimSpace(p.CommuneINSEE))
	p.CAFNumber = removeSpaces(p.CAFNumber)
	p.FranceTravailID = strings.ToUpper(removeSpaces(p.FranceTravailID))
	p.RSARight = strings.TrimSpace(p.RSARight)
	p.EducationLevel = strings.TrimSpace(p.EducationLevel)
	p.WorkSituation = strings.TrimSpace(p.WorkSituation)
	p.ObjectionReason = strings.TrimSpace(p.ObjectionReason)
}

// collapse trims s and turns every run of white space into one space.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// removeSpaces drops every white space of s.
func removeSpaces(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// Validate checks the identity and statuses and returns a French message per
// wrong field, named by its JSON name; none when all is well. It reads the
// values as Normalize leaves them but accepts them un-normalized too: a phone
// "+33612345678" or an identifier in lower case is valid. now gives today's
// date, in its own location, for the birth date and the RSA opening date.
// ref must not be nil.
//
// The CAF or MSA number has 7 to 15 digits: a CAF numéro d'allocataire has 7,
// and the CAF/MSA RSA flux (vrsb0801.xsd, MATRICULE) allows up to 15 for MSA
// numbers. The France Travail identifier is either the historical 8
// characters, 7 digits and a letter or digit (as les-emplois checks it), or
// the 11-character form, 10 digits and a letter or digit, which covers the
// new all-digit identifier and the "identifiant local".
func (p *Person) Validate(ref *referential.Referential, now time.Time) problem.Fields {
	var fs problem.Fields
	checkName(&fs, "first_name", "Le prénom", strings.TrimSpace(p.FirstName), true)
	checkName(&fs, "last_name", "Le nom", strings.TrimSpace(p.LastName), true)
	checkName(&fs, "birth_name", "Le nom de naissance", strings.TrimSpace(p.BirthName), false)

	switch {
	case p.BirthDate.IsZero():
		fs.Add("birth_date", "La date de naissance est obligatoire.")
	case afterToday(p.BirthDate, now):
		fs.Add("birth_date", "La date de naissance ne peut pas être dans le futur.")
	case Age(p.BirthDate, now) < MinAge:
		fs.Add("birth_date", fmt.Sprintf("La personne doit avoir au moins %d ans.", MinAge))
	case Age(p.BirthDate, now) > MaxAge:
		fs.Add("birth_date", fmt.Sprintf("La date de naissance donne plus de %d ans : vérifiez l'année.", MaxAge))
	}

	switch strings.ToUpper(strings.TrimSpace(p.Sex)) {
	case "", "F", "M":
	default:
		fs.Add("sex", "Le sexe doit être « F », « M » ou non renseigné.")
	}

	if e := strings.TrimSpace(p.Email); e != "" && !validEmail(strings.ToLower(e)) {
		fs.Add("email", "L'adresse électronique n'est pas valide (exemple : prenom.nom@exemple.fr).")
	}
	if ph := strings.TrimSpace(p.Phone); ph != "" {
		if _, ok := frenchPhone(ph); !ok {
			fs.Add("phone", "Le numéro de téléphone doit être un numéro français à 10 chiffres (exemple : 06 12 34 56 78).")
		}
	}
	if utf8.RuneCountInString(strings.TrimSpace(p.Address)) > MaxAddressLen {
		fs.Add("address", fmt.Sprintf("L'adresse ne doit pas dépasser %d caractères.", MaxAddressLen))
	}
	if c := strings.TrimSpace(p.CommuneINSEE); c != "" {
		if _, ok := ref.Commune(c); !ok {
			fs.Add("commune_insee", "Le code INSEE de la commune n'existe pas.")
		}
	}
	if c := removeSpaces(p.CAFNumber); c != "" && !validCAFNumber(c) {
		fs.Add("caf_number", "Le numéro d'allocataire CAF ou MSA doit compter de 7 à 15 chiffres.")
	}
	if id := removeSpaces(p.FranceTravailID); id != "" && !validFranceTravailID(strings.ToUpper(id)) {
		fs.Add("france_travail_id", "L'identifiant France Travail doit compter 8 caractères (7 chiffres puis un chiffre ou une lettre) ou 11 caractères (10 chiffres puis un chiffre ou une lettre).")
	}

	if c := strings.TrimSpace(p.RSARight); c != "" && RSARights[c] == "" {
		fs.Add("rsa_right", "Choisissez une situation du droit au RSA dans la liste.")
	}
	if !p.RSAOpenedOn.IsZero() {
		switch {
		case afterToday(p.RSAOpenedOn, now):
			fs.Add("rsa_opened_on", "La date d'ouverture du droit au RSA ne peut pas être dans le futur.")
		case !p.BirthDate.IsZero() && dateBefore(p.RSAOpenedOn, p.BirthDate):
			fs.Add("rsa_opened_on", "La date d'ouverture du droit au RSA ne peut pas précéder la date de naissance.")
		}
	}
	if c := strings.TrimSpace(p.EducationLevel); c != "" && EducationLevels[c] == "" {
		fs.Add("education_level", "Choisissez un niveau de formation dans la liste.")
	}
	if c := strings.TrimSpace(p.WorkSituation); c != "" && WorkSituations[c] == "" {
		fs.Add("work_situation", "Choisissez une situation professionnelle dans la liste.")
	}
	return fs
}

// checkName adds a message when a name is missing (if required), too long,
// or holds anything but letters, spaces, hyphens and apostrophes. what is
// the field's French name with its article, "Le prénom".
func checkName(fs *problem.Fields, field, what, s string, required bool) {
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		if required {
			fs.Add(field, what+" est obligatoire.")
		}
	case n > MaxNameLen:
		fs.Add(field, fmt.Sprintf("%s ne doit pas dépasser %d caractères.", what, MaxNameLen))
	case !validName(s):
		fs.Add(field, what+" ne peut contenir que des lettres, des espaces, des traits d'union et des apostrophes.")
	}
}

// validName reports whether s holds at least one letter and nothing but
// letters (accented ones included, composed or not), spaces, hyphens and
// apostrophes.
func validName(s string) bool {
	letter := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letter = true
		case unicode.Is(unicode.Mn, r): // combining accent of decomposed text
		case r == ' ', r == '-', r == '\'', r == '\u2019', r == '\u02bc', r == '\u2010', r == '\u2011':
		default:
			return false
		}
	}
	return letter
}

// validEmail reports whether s is a bare address whose domain has a dot.
func validEmail(s string) bool {
	if len(s) > MaxEmailLen {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	domain := s[strings.LastIndexByte(s, '@')+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// overseasCodes are the country codes of the départements d'outre-mer whose
// numbers belong to the French plan: +262 (La Réunion, Mayotte), +590
// (Guadeloupe), +594 (Guyane) and +596 (Martinique). The nine digits after
// them are the national number without its leading 0.
var overseasCodes = []string{"33", "262", "590", "594", "596"}

// frenchPhone returns a French phone number written as "06 12 34 56 78", and
// whether s is one. s may use spaces, dots, dashes, slashes and parentheses,
// start with +33, 0033 or an overseas code, keep the trunk 0 after it
// ("+33 (0)6…"), or have lost its leading 0 (nine digits).
func frenchPhone(s string) (string, bool) {
	digits := make([]byte, 0, 16)
	plus := false
	for _, r := range s {
		switch {
		case '0' <= r && r <= '9':
			digits = append(digits, byte(r)) // #nosec G115 -- an ASCII digit
		case r == '+' && len(digits) == 0 && !plus:
			plus = true
		case r == ' ', r == '.', r == '-', r == '/', r == '(', r == ')', r == '\u00a0', r == '\u202f':
		default:
			return "", false
		}
	}
	d := string(digits)
	intl, isIntl := d, plus
	if !plus && strings.HasPrefix(d, "00") {
		intl, isIntl = d[2:], true
	}
	if isIntl {
		for _, cc := range overseasCodes {
			rest, ok := strings.CutPrefix(intl, cc)
			if !ok {
				continue
			}
			if len(rest) == 10 && rest[0] == '0' {
				rest = rest[1:]
			}
			if len(rest) == 9 && rest[0] != '0' {
				return formatPhone("0" + rest), true
			}
		}
		return "", false
	}
	switch {
	case len(d) == 10 && d[0] == '0' && d[1] != '0':
		return formatPhone(d), true
	case len(d) == 9 && d[0] != '0':
		return formatPhone("0" + d), true
	}
	return "", false
}

// formatPhone writes ten digits in pairs.
func formatPhone(d string) string {
	return d[0:2] + " " + d[2:4] + " " + d[4:6] + " " + d[6:8] + " " + d[8:10]
}

// validCAFNumber reports whether s is a CAF or MSA allocataire number: 7 to
// 15 digits.
func validCAFNumber(s string) bool {
	return 7 <= len(s) && len(s) <= 15 && allDigits(s)
}

// validFranceTravailID reports whether s, upper-cased, is a France Travail
// identifier: 7 digits and a letter or digit, or 10 digits and a letter or
// digit.
func validFranceTravailID(s string) bool {
	if len(s) != 8 && len(s) != 11 {
		return false
	}
	last := s[len(s)-1]
	return allDigits(s[:len(s)-1]) && ('0' <= last && last <= '9' || 'A' <= last && last <= 'Z')
}

// allDigits reports whether s is made of ASCII digits only.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// civilDate is a calendar date, comparable with < as a number yyyymmdd.
func civilDate(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

// afterToday reports whether the calendar date of t is after today, now's
// date in now's location.
func afterToday(t, now time.Time) bool { return civilDate(t) > civilDate(now) }

// dateBefore reports whether the calendar date of a is before that of b.
func dateBefore(a, b time.Time) bool { return civilDate(a) < civilDate(b) }

// Age returns the age in whole years on now's date of a person born on
// birth. Each date is read in its own location, so a birth date stored as
// UTC midnight and a now in Europe/Paris compare as calendar dates. A person
// born on 29 February turns a year older on 1 March in common years.
func Age(birth, now time.Time) int {
	b, n := civilDate(birth), civilDate(now)
	age := n/10000 - b/10000
	if n%10000 < b%10000 {
		age--
	}
	return age
}

// Under26 reports whether the person is under 26 at now, the age limit of the
// youth schemes (CEJ, Mission locale, the JEUNE criterion of the IAE). It is
// false when the birth date is unknown.
func Under26(p Person, now time.Time) bool {
	return !p.BirthDate.IsZero() && Age(p.BirthDate, now) < 26
}

// ValidEmail reports whether s is a bare email address whose domain has a
// dot: the one rule for every address Parcours stores (people, services,
// structures).
func ValidEmail(s string) bool { return validEmail(s) }

// FrenchPhone returns a French phone number written as "06 12 34 56 78", and
// whether s is one (see Normalize for what it accepts).
func FrenchPhone(s string) (string, bool) { return frenchPhone(s) }
