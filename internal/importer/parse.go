package importer

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
)

// Row is one line of the file turned into a person, or its errors.
type Row struct {
	Line   int
	Person person.Person
	Role   string          // RoleDemandeur, RoleConjoint or "", as in Person.CAFRole
	Errors []problem.Field // Field is the header of the file's column, Message is French
}

// The roles of a person in a CAF household, as rdv-insertion names them.
const (
	RoleDemandeur = "demandeur"
	RoleConjoint  = "conjoint"
)

// ParseRows turns every row of t into a person, through the mapping m. It
// reads dates with ParseDate; the sex from "F", "Femme", "Madame", "Mme",
// "M", "Homme", "Monsieur"…; the RSA right from the labels of
// person.RSARights, their codes, the CAF's ETATDOSRSA digits 0 to 6 and the
// usual short labels ("Ouvert et versable", "Clos"); the role in the CAF
// household (Row.Role and Person.CAFRole) from "demandeur", "conjoint", "DEM"
// or "CJT"; DELD from "oui"/"non". The commune is the INSEE code when its
// cell is filled, else the postal code and commune name looked up in the
// referential, in the territory's département first (territory is a
// département code, "90"). Then it calls Normalize and Validate (ref must
// not be nil; now gives today's date) and reports each message on the column
// that fed the field, or under the field's label when no column did; a cell
// that could not be read gets one message, not a second from Validate. A
// cell starting with "=" is refused: a formula has no place in a record.
//
// A row repeating an earlier row's CAF number and role (a CAF number is the
// household's, so only rows with a role are compared on it), France Travail
// identifier, or first name, last name and birth date (compared as
// person.Keys folds them) is an error on the later row: « Doublon de la
// ligne 12 ». Every row of t gives one Row, in order, so that a caller
// saving nothing unless all rows are valid has the full report at hand.
func ParseRows(t *Table, m Mapping, ref *referential.Referential, territory string, now time.Time) []Row {
	if t == nil {
		return nil
	}
	p := &parser{
		t:        t,
		col:      map[string]int{},
		rsa:      rsaCodes(),
		communes: newCommunes(ref, territory),
		ref:      ref,
		now:      now,
		caf:      make(map[string]int, len(t.Rows)),
		ft:       make(map[string]int, len(t.Rows)),
		identity: make(map[string]int, len(t.Rows)),
	}
	for _, f := range Fields {
		if i := t.Column(m[f.Code]); i >= 0 {
			p.col[f.Code] = i
		}
	}
	rows := make([]Row, len(t.Rows))
	for i, cells := range t.Rows {
		line := i + 2
		if i < len(t.Lines) {
			line = t.Lines[i]
		}
		rows[i] = p.row(line, cells)
	}
	return rows
}

// parser holds what ParseRows needs from one row to the next.
type parser struct {
	t        *Table
	col      map[string]int // field code → column
	rsa      map[string]string
	communes *communes
	ref      *referential.Referential
	now      time.Time

	caf, ft, identity map[string]int // duplicate keys → first line
}

// rowErrors collects the errors of a row with the column they concern, to
// list them in the order of the file's columns.
type rowErrors struct {
	p    *parser
	errs []colError
	bad  []string // fields whose cell could not be read
}

type colError struct {
	col int
	f   problem.Field
}

// add records msg about the column that feeds field.
func (e *rowErrors) add(field, msg string) {
	col, name := e.p.column(field)
	e.errs = append(e.errs, colError{col, problem.Field{Field: name, Message: msg}})
}

// fail records msg about an unreadable cell of field, whose value Validate
// must then not judge a second time.
func (e *rowErrors) fail(field, msg string) {
	e.add(field, msg)
	e.bad = append(e.bad, field)
}

// fields returns the errors in column order.
func (e *rowErrors) fields() []problem.Field {
	if len(e.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(e.errs, func(a, b colError) int { return cmp.Compare(a.col, b.col) })
	out := make([]problem.Field, len(e.errs))
	for i, c := range e.errs {
		out[i] = c.f
	}
	return out
}

// column returns the column of a field and its header, or, for a field no
// column feeds, a position after every column and the field's label.
func (p *parser) column(field string) (int, string) {
	if i, ok := p.col[field]; ok {
		return i, p.t.Header[i]
	}
	if field == fieldCommuneINSEE { // looked up from the postal code and the name
		for _, f := range []string{fieldPostalCode, fieldCommuneName} {
			if i, ok := p.col[f]; ok {
				return i, p.t.Header[i]
			}
		}
	}
	if f, ok := fieldInfo(field); ok {
		return len(p.t.Header), f.Label
	}
	return len(p.t.Header), field
}

// cell returns the cell of field in the row, "" when no column feeds it.
func (p *parser) cell(cells []string, field string) string {
	if i, ok := p.col[field]; ok && i < len(cells) {
		return strings.TrimSpace(cells[i])
	}
	return ""
}

func (p *parser) row(line int, cells []string) Row {
	e := &rowErrors{p: p}
	get := func(field string) string {
		v := p.cell(cells, field)
		if strings.HasPrefix(v, "=") {
			e.fail(field, "Les formules ne sont pas acceptées : la cellule ne doit pas commencer par « = ».")
			return ""
		}
		return v
	}
	date := func(field string) time.Time {
		v := get(field)
		if v == "" {
			return time.Time{}
		}
		d, err := ParseDate(v)
		if err != nil {
			e.fail(field, err.Error())
		}
		return d
	}

	var ps person.Person
	ps.FirstName = get(fieldFirstName)
	ps.LastName = get(fieldLastName)
	ps.BirthName = get(fieldBirthName)
	ps.BirthDate = date(fieldBirthDate)
	if v := get(fieldSex); v != "" {
		if s, ok := parseSex(v); ok {
			ps.Sex = s
		} else {
			e.fail(fieldSex, fmt.Sprintf("Sexe non reconnu : %s. Écrivez « F » ou « M » (ou Femme, Homme, Madame, Monsieur).", quote(v)))
		}
	}
	ps.Email = get(fieldEmail)
	ps.Phone = get(fieldPhone)
	ps.Address = get(fieldAddress)
	if insee := get(fieldCommuneINSEE); insee != "" {
		if len(insee) == 4 && allDigits(insee) {
			insee = "0" + insee // a spreadsheet dropped the leading zero of 01001
		}
		ps.CommuneINSEE = insee
	} else if c := p.communes.resolve(get(fieldPostalCode), get(fieldCommuneName)); c.msg != "" {
		e.fail(c.field, c.msg)
	} else {
		ps.CommuneINSEE = c.insee
	}
	ps.CAFNumber = get(fieldCAFNumber)
	ps.FranceTravailID = get(fieldFranceTravail)
	if v := get(fieldRSARight); v != "" {
		if code, ok := p.rsa[valueKey(v)]; ok {
			ps.RSARight = code
		} else {
			e.fail(fieldRSARight, fmt.Sprintf("Droit au RSA non reconnu : %s. Écrivez l'un de : %s (ou le code ETATDOSRSA de la CAF, de 0 à 6).", quote(v), rsaLabels()))
		}
	}
	ps.RSAOpenedOn = date(fieldRSAOpenedOn)
	if v := get(fieldRole); v != "" {
		if r, ok := parseRole(v); ok {
			ps.CAFRole = r
		} else {
			e.fail(fieldRole, fmt.Sprintf("Rôle non reconnu : %s. Écrivez « demandeur » ou « conjoint » (ou DEM, CJT).", quote(v)))
		}
	}
	if v := get(fieldLongTerm); v != "" {
		if b, ok := parseBool(v); ok {
			ps.LongTermUnemployed = b
		} else {
			e.fail(fieldLongTerm, fmt.Sprintf("Valeur non reconnue : %s. Écrivez « oui » ou « non ».", quote(v)))
		}
	}

	ps.Normalize()
	for _, f := range ps.Validate(p.ref, p.now) {
		if !slices.Contains(e.bad, f.Field) {
			e.add(f.Field, f.Message)
		}
	}
	p.duplicates(e, line, &ps)
	return Row{Line: line, Person: ps, Role: ps.CAFRole, Errors: e.fields()}
}

// duplicates reports the row when it repeats an earlier row of the file,
// and otherwise remembers its keys.
func (p *parser) duplicates(e *rowErrors, line int, ps *person.Person) {
	var reported []int // each earlier line is named once
	check := func(seen map[string]int, key, field, what string) {
		first, ok := seen[key]
		switch {
		case !ok:
			seen[key] = line
		case !slices.Contains(reported, first):
			e.add(field, fmt.Sprintf("Doublon de la ligne %d : %s.", first, what))
			reported = append(reported, first)
		}
	}
	if ps.CAFNumber != "" && ps.CAFRole != "" {
		check(p.caf, ps.CAFNumber+"\x00"+ps.CAFRole, fieldCAFNumber, "même numéro d'allocataire et même rôle")
	}
	if ps.FranceTravailID != "" {
		check(p.ft, ps.FranceTravailID, fieldFranceTravail, "même identifiant France Travail")
	}
	if first, last, _ := ps.Keys(); first != "" && last != "" && !ps.BirthDate.IsZero() {
		y, m, d := ps.BirthDate.Date()
		check(p.identity, fmt.Sprintf("%s\x00%s\x00%d-%d-%d", first, last, y, m, d), fieldLastName, "même prénom, même nom et même date de naissance")
	}
}

// valueKey returns the form a cell is compared in against a list of known
// values: folded, words of letters and digits separated by one space.
func valueKey(s string) string {
	return strings.Join(strings.FieldsFunc(referential.Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// parseSex reads the sex or civility of a person.
func parseSex(s string) (string, bool) {
	switch valueKey(s) {
	case "f", "femme", "feminin", "madame", "mme", "mlle", "mademoiselle", "2":
		return "F", true
	case "m", "h", "homme", "masculin", "monsieur", "mr", "1":
		return "M", true
	}
	return "", false
}

// parseRole reads the role of a person in a CAF household.
func parseRole(s string) (string, bool) {
	switch valueKey(s) {
	case "demandeur", "demandeuse", "dem", "allocataire", "allocataire principal":
		return RoleDemandeur, true
	case "conjoint", "conjointe", "cjt", "conj":
		return RoleConjoint, true
	}
	return "", false
}

// parseBool reads a yes or no.
func parseBool(s string) (bool, bool) {
	switch valueKey(s) {
	case "oui", "o", "1", "x", "vrai", "true", "yes", "y":
		return true, true
	case "non", "n", "0", "faux", "false", "no":
		return false, true
	}
	return false, false
}

// rsaAliases are the other ways files write the states of the RSA right:
// the CAF's ETATDOSRSA digits, in the order of person.RSARightOptions, and
// short labels. "Suspendu" alone is not among them: it could be either
// suspended state.
var rsaAliases = map[string][]string{
	"rsa_demande_en_attente":              {"0", "demande en attente", "en attente", "en attente de decision", "nouvelle demande", "en cours d instruction"},
	"rsa_refuse":                          {"1", "refuse", "refus", "droit refuse"},
	"rsa_droit_ouvert_versable":           {"2", "ouvert et versable", "droit ouvert versable", "ouvert versable", "versable", "droit ouvert", "ouvert"},
	"rsa_droit_ouvert_et_suspendu":        {"3", "ouvert et suspendu", "droit suspendu"},
	"rsa_droit_ouvert_versement_suspendu": {"4", "ouvert versement suspendu", "versement suspendu", "droit ouvert mais versement suspendu"},
	"rsa_clos":                            {"5", "clos", "droit ferme", "ferme"},
	"rsa_clos_anterieur":                  {"6", "clos sur un mois anterieur", "droit clos mois anterieur", "clos mois anterieur"},
}

// rsaCodes maps the valueKey of every way of writing a state of the RSA
// right to its code.
func rsaCodes() map[string]string {
	m := map[string]string{}
	for _, o := range person.RSARightOptions {
		m[valueKey(o.Code)] = o.Code
		m[valueKey(o.Label)] = o.Code
		for _, a := range rsaAliases[o.Code] {
			m[valueKey(a)] = o.Code
		}
	}
	return m
}

// rsaLabels lists the labels of the RSA right states, for a message.
func rsaLabels() string {
	labels := make([]string, len(person.RSARightOptions))
	for i, o := range person.RSARightOptions {
		labels[i] = "« " + o.Label + " »"
	}
	return strings.Join(labels, ", ")
}
