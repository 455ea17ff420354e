package importer_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/importer"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
)

// now is the day the tests import on.
var now = time.Date(2026, 3, 1, 10, 0, 0, 0, time.FixedZone("CET", 3600))

func mustRef(t testing.TB) *referential.Referential {
	t.Helper()
	ref, err := referential.Load()
	if err != nil {
		t.Fatalf("referential.Load: %v", err)
	}
	return ref
}

// errorsText writes a row's errors one per line, "Column: message".
func errorsText(fs []problem.Field) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s: %s\n", f.Field, f.Message)
	}
	return b.String()
}

func TestParseRowsFixtures(t *testing.T) {
	ref := mustRef(t)
	type want struct {
		line                               int
		first, last, phone, email, address string
		birth                              time.Time
		sex, insee, caf, ft, rsa, role     string
	}
	tests := []struct {
		name   string
		read   func(t *testing.T) (*importer.Table, error)
		want   []want
		errors [][]string // per row, "Column: part of the message"
	}{
		{
			name: "UTF-8 with BOM and commas",
			read: func(t *testing.T) (*importer.Table, error) {
				return importer.Read("beneficiaires.csv", bytes.NewReader(readFixture(t, "beneficiaires_utf8_bom.csv")))
			},
			want: []want{
				{line: 2, first: "Élodie", last: "Lefèvre", birth: day(1985, 3, 12), phone: "06 12 34 56 78",
					email: "elodie.lefevre@exemple.fr", address: "12 rue de la Gare, bât. B", insee: "90010",
					caf: "1234567", ft: "1234567A", rsa: "rsa_droit_ouvert_versable"},
				{line: 3, first: "Jean-Pierre", last: "N'Diaye", birth: day(1979, 11, 2), phone: "07 01 02 03 04",
					address: "Résidence « Les Tilleuls » appartement 4", insee: "90091", caf: "7654321",
					rsa: "rsa_droit_ouvert_versable"},
				{line: 6, first: "Chloé", last: "Œuvray", birth: day(1992, 7, 5), insee: "90008"},
			},
			errors: [][]string{nil, nil, nil},
		},
		{
			name: "Windows-1252 with semicolons",
			read: func(t *testing.T) (*importer.Table, error) {
				return importer.Read("beneficiaires.csv", bytes.NewReader(readFixture(t, "beneficiaires_cp1252.csv")))
			},
			want: []want{
				{line: 2, first: "Hélène", last: "DUPRÉ", birth: day(1988, 4, 3), phone: "06 12 34 56 78", sex: "F",
					insee: "90010", caf: "2345678", rsa: "rsa_droit_ouvert_versable", role: "demandeur"},
				{line: 3, first: "François", last: "DUPRÉ", birth: day(1986, 8, 17), sex: "M", insee: "90010",
					caf: "2345678", rsa: "rsa_droit_ouvert_versable", role: "conjoint"},
				{line: 5, first: "Léa", last: "D’ŒUVRE", sex: "F", insee: "90008", caf: "3456789", role: "demandeur"},
			},
			errors: [][]string{nil, nil, {"DATE_NAISSANCE: La date « 30/02/1990 » n'existe pas."}},
		},
		{
			name: "XLSX",
			read: func(t *testing.T) (*importer.Table, error) {
				return importer.Read("beneficiaires.xlsx", bytes.NewReader(workbook(t)))
			},
			want: []want{
				{line: 3, first: "Élodie", last: "Lefèvre", birth: day(1985, 3, 12), phone: "06 12 34 56 78", insee: "90010"},
				{line: 5, first: "Jean-Pierre", last: "N'Diaye", birth: day(1979, 11, 2), phone: "07 01 02 03 04"},
			},
			errors: [][]string{nil, {"Code postal: Plusieurs communes ont le code postal 90110 : indiquez aussi le nom de la commune."}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := tt.read(t)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			m := importer.GuessMapping(tab.Header)
			if fs := m.Validate(tab.Header); len(fs) > 0 {
				t.Fatalf("mapping %v: %v", m, fs)
			}
			rows := importer.ParseRows(tab, m, ref, "90", now)
			if len(rows) != len(tt.want) {
				t.Fatalf("%d rows, want %d", len(rows), len(tt.want))
			}
			for i, w := range tt.want {
				r, p := rows[i], rows[i].Person
				got := want{r.Line, p.FirstName, p.LastName, p.Phone, p.Email, p.Address, p.BirthDate, p.Sex,
					p.CommuneINSEE, p.CAFNumber, p.FranceTravailID, p.RSARight, r.Role}
				if got != w {
					t.Errorf("row %d = %+v\nwant %+v", i, got, w)
				}
				checkErrors(t, r, tt.errors[i])
			}
		})
	}
}

// checkErrors fails unless the row has exactly the errors wanted, in order,
// each given as "Column: part of the message".
func checkErrors(t *testing.T, r importer.Row, want []string) {
	t.Helper()
	ok := len(r.Errors) == len(want)
	for i := 0; ok && i < len(want); i++ {
		col, msg, _ := strings.Cut(want[i], ": ")
		ok = r.Errors[i].Field == col && strings.Contains(r.Errors[i].Message, msg)
	}
	if !ok {
		t.Errorf("line %d errors:\n%swant:\n%s", r.Line, errorsText(r.Errors), strings.Join(want, "\n"))
	}
}

// header is the header of the tables built by the tests below.
var header = []string{"Nom", "Prénom", "Date de naissance", "Sexe", "Téléphone", "Code postal", "Ville", "Code INSEE",
	"N° allocataire", "Rôle", "Identifiant France Travail", "Droit RSA", "Date d'ouverture de droit", "DELD", "Email"}

// cells returns a row of the header above: a valid person, with the given
// columns changed.
func cells(changes map[string]string) []string {
	row := []string{"Dupont", "Jean", "12/03/1985", "", "", "", "", "", "", "", "", "", "", "", ""}
	for col, v := range changes {
		i := slices.Index(header, col)
		if i < 0 {
			panic("no column " + col)
		}
		row[i] = v
	}
	return row
}

func TestParseRows(t *testing.T) {
	ref := mustRef(t)
	tests := []struct {
		name   string
		row    map[string]string
		check  func(t *testing.T, p person.Person, role string)
		errors []string
	}{
		{
			name: "missing names",
			row:  map[string]string{"Nom": "", "Prénom": " "},
			errors: []string{
				"Nom: Le nom est obligatoire.",
				"Prénom: Le prénom est obligatoire.",
			},
		},
		{
			name:   "a name that is not one",
			row:    map[string]string{"Prénom": "Jean2"},
			errors: []string{"Prénom: Le prénom ne peut contenir que des lettres"},
		},
		{
			name:   "a formula is refused, once",
			row:    map[string]string{"Nom": `=HYPERLINK("https://exemple.invalid/","Cliquez")`},
			errors: []string{"Nom: Les formules ne sont pas acceptées"},
		},
		{
			name:   "an unreadable birth date is one error",
			row:    map[string]string{"Date de naissance": "12/03/85"},
			errors: []string{"Date de naissance: L'année de la date « 12/03/85 » doit compter 4 chiffres"},
		},
		{
			name:   "a birth date in the future",
			row:    map[string]string{"Date de naissance": "02/03/2026"},
			errors: []string{"Date de naissance: La date de naissance ne peut pas être dans le futur."},
		},
		{
			name: "an Excel serial birth date",
			row:  map[string]string{"Date de naissance": "31118"},
			check: func(t *testing.T, p person.Person, _ string) {
				wantEqual(t, "BirthDate", p.BirthDate, day(1985, 3, 12))
			},
			errors: nil,
		},
		{
			name:   "Excel's 29 February 1900",
			row:    map[string]string{"Date de naissance": "60"},
			errors: []string{"Date de naissance: La date Excel « 60 » correspond au 29/02/1900"},
		},
		{
			name:   "the RSA right opened before birth",
			row:    map[string]string{"Date d'ouverture de droit": "01/01/1980"},
			errors: []string{"Date d'ouverture de droit: La date d'ouverture du droit au RSA ne peut pas précéder la date de naissance."},
		},
		{
			name: "errors in column order",
			row:  map[string]string{"Email": "jean@", "Téléphone": "12", "Nom": "X1"},
			errors: []string{
				"Nom: Le nom ne peut contenir",
				"Téléphone: Le numéro de téléphone doit être un numéro français",
				"Email: L'adresse électronique n'est pas valide",
			},
		},
		{
			name:  "civilities",
			row:   map[string]string{"Sexe": "Madame"},
			check: func(t *testing.T, p person.Person, _ string) { wantEqual(t, "Sex", p.Sex, "F") },
		},
		{
			name:  "civility Monsieur",
			row:   map[string]string{"Sexe": "MONSIEUR"},
			check: func(t *testing.T, p person.Person, _ string) { wantEqual(t, "Sex", p.Sex, "M") },
		},
		{
			name:   "an unknown sex",
			row:    map[string]string{"Sexe": "X"},
			errors: []string{"Sexe: Sexe non reconnu : « X »"},
		},
		{
			name:  "postal code and commune",
			row:   map[string]string{"Code postal": "90000", "Ville": "BELFORT"},
			check: func(t *testing.T, p person.Person, _ string) { wantEqual(t, "CommuneINSEE", p.CommuneINSEE, "90010") },
		},
		{
			name:  "St spelled out",
			row:   map[string]string{"Code postal": "90110", "Ville": "St-Germain-le-Chatelet"},
			check: func(t *testing.T, p person.Person, _ string) { wantEqual(t, "CommuneINSEE", p.CommuneINSEE, "90091") },
		},
		{
			name:  "a Paris arrondissement gives Paris",
			row:   map[string]string{"Code postal": "75011", "Ville": "PARIS 11"},
			check: func(t *testing.T, p person.Person, _ string) { wantEqual(t, "CommuneINSEE", p.CommuneINSEE, "75056") },
		},
		{
			name:  "a CEDEX is dropped",
			row:   map[string]string{"Code postal": "90000", "Ville": "Belfort Cedex"},
			check: func(t *testing.T, p person.Person, _ string) { wantEqual(t, "CommuneINSEE", p.CommuneINSEE, "90010") },
		},
		{
			name:  "a postal code that lost its leading zero",
			row:   map[string]string{"Code postal": "1400", "Ville": "L'Abergement-Clémenciat"},
			check: func(t *testing.T, p person.Person, _ string) { wantEqual(t, "CommuneINSEE", p.CommuneINSEE, "01001") },
		},
		{
			name:  "a postal code of one commune is enough",
			row:   map[string]string{"Code postal": " 90 000 "},
			check: func(t *testing.T, p person.Person, _ string) { wantEqual(t, "CommuneINSEE", p.CommuneINSEE, "90010") },
		},
		{
			name:  "a name alone, found in the territory first",
			row:   map[string]string{"Ville": "Bretagne"},
			check: func(t *testing.T, p person.Person, _ string) { wantEqual(t, "CommuneINSEE", p.CommuneINSEE, "90019") },
		},
		{
			name:  "a name alone, found elsewhere",
			row:   map[string]string{"Ville": "montbeliard"},
			check: func(t *testing.T, p person.Person, _ string) { wantEqual(t, "CommuneINSEE", p.CommuneINSEE, "25388") },
		},
		{
			name:   "a name alone, found many times",
			row:    map[string]string{"Ville": "Sainte-Colombe"},
			errors: []string{"Ville: Plusieurs communes s'appellent « Sainte-Colombe » : indiquez aussi le code postal."},
		},
		{
			name:   "an unknown commune",
			row:    map[string]string{"Code postal": "90000", "Ville": "Atlantide"},
			errors: []string{"Ville: Aucune commune « Atlantide » n'a le code postal 90000."},
		},
		{
			name:   "an unknown commune without postal code",
			row:    map[string]string{"Ville": "Atlantide"},
			errors: []string{"Ville: La commune « Atlantide » est inconnue."},
		},
		{
			name:   "an unknown postal code",
			row:    map[string]string{"Code postal": "99999", "Ville": "Belfort"},
			errors: []string{"Code postal: Le code postal 99999 ne correspond à aucune commune."},
		},
		{
			name:   "a postal code that is not one",
			row:    map[string]string{"Code postal": "9000A"},
			errors: []string{"Code postal: Le code postal « 9000A » doit compter 5 chiffres."},
		},
		{
			name:   "a postal code of several communes",
			row:    map[string]string{"Code postal": "90400"},
			errors: []string{"Code postal: Plusieurs communes ont le code postal 90400"},
		},
		{
			name:  "the INSEE code wins over the postal code",
			row:   map[string]string{"Code INSEE": "90010", "Code postal": "99999", "Ville": "Atlantide"},
			check: func(t *testing.T, p person.Person, _ string) { wantEqual(t, "CommuneINSEE", p.CommuneINSEE, "90010") },
		},
		{
			name:  "an INSEE code that lost its leading zero",
			row:   map[string]string{"Code INSEE": "1001"},
			check: func(t *testing.T, p person.Person, _ string) { wantEqual(t, "CommuneINSEE", p.CommuneINSEE, "01001") },
		},
		{
			name:   "an unknown INSEE code",
			row:    map[string]string{"Code INSEE": "99999"},
			errors: []string{"Code INSEE: Le code INSEE de la commune n'existe pas."},
		},
		{
			name: "RSA right as a label, role, DELD, identifiers",
			row: map[string]string{"Droit RSA": "Droit ouvert, versement suspendu", "Rôle": "CJT", "DELD": "Oui",
				"N° allocataire": "123 45 67", "Identifiant France Travail": "1234567a"},
			check: func(t *testing.T, p person.Person, role string) {
				wantEqual(t, "RSARight", p.RSARight, "rsa_droit_ouvert_versement_suspendu")
				wantEqual(t, "role", role, importer.RoleConjoint)
				wantEqual(t, "CAFRole", p.CAFRole, importer.RoleConjoint)
				wantEqual(t, "LongTermUnemployed", p.LongTermUnemployed, true)
				wantEqual(t, "CAFNumber", p.CAFNumber, "1234567")
				wantEqual(t, "FranceTravailID", p.FranceTravailID, "1234567A")
			},
		},
		{
			name:  "RSA right as an ETATDOSRSA digit",
			row:   map[string]string{"Droit RSA": "5"},
			check: func(t *testing.T, p person.Person, _ string) { wantEqual(t, "RSARight", p.RSARight, "rsa_clos") },
		},
		{
			name:  "RSA right as a code",
			row:   map[string]string{"Droit RSA": "rsa_refuse"},
			check: func(t *testing.T, p person.Person, _ string) { wantEqual(t, "RSARight", p.RSARight, "rsa_refuse") },
		},
		{
			name:   "an ambiguous RSA right",
			row:    map[string]string{"Droit RSA": "Suspendu"},
			errors: []string{"Droit RSA: Droit au RSA non reconnu : « Suspendu »"},
		},
		{
			name: "an unknown role and DELD, a wrong CAF number",
			row:  map[string]string{"Rôle": "ENF", "DELD": "peut-être", "N° allocataire": "12"},
			errors: []string{
				"N° allocataire: Le numéro d'allocataire CAF ou MSA doit compter de 7 à 15 chiffres.",
				"Rôle: Rôle non reconnu : « ENF »",
				"DELD: Valeur non reconnue : « peut-être »",
			},
		},
	}
	m := importer.GuessMapping(header)
	if fs := m.Validate(header); len(fs) > 0 {
		t.Fatalf("mapping %v: %v", m, fs)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := &importer.Table{Header: header, Rows: [][]string{cells(tt.row)}, Lines: []int{7}}
			rows := importer.ParseRows(tab, m, ref, "90", now)
			if len(rows) != 1 {
				t.Fatalf("%d rows, want 1", len(rows))
			}
			if rows[0].Line != 7 {
				t.Errorf("Line = %d, want 7", rows[0].Line)
			}
			checkErrors(t, rows[0], tt.errors)
			if tt.check != nil {
				tt.check(t, rows[0].Person, rows[0].Role)
			}
		})
	}
}

func wantEqual[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestParseRowsUnmappedRequired(t *testing.T) {
	ref := mustRef(t)
	tab := &importer.Table{Header: []string{"Nom", "Prénom"}, Rows: [][]string{{"Dupont", "Jean"}}, Lines: []int{2}}
	rows := importer.ParseRows(tab, importer.Mapping{"last_name": "Nom", "first_name": "Prénom", "email": "Absente"}, ref, "90", now)
	checkErrors(t, rows[0], []string{"Date de naissance: La date de naissance est obligatoire."})
}

func TestParseRowsDuplicates(t *testing.T) {
	ref := mustRef(t)
	h := []string{"Nom", "Prénom", "Date de naissance", "N° allocataire", "Rôle", "Identifiant France Travail"}
	tab := &importer.Table{
		Header: h,
		Rows: [][]string{
			{"Dupont", "Jean", "01/01/1980", "1234567", "DEM", "1234567A"},
			{"DUPONT", "jean", "1980-01-01", "", "", ""},                   // same identity
			{"Martin", "Paul", "02/02/1982", "1234567", "CJT", ""},         // same household, other role
			{"Durand", "Luc", "03/03/1983", "123 45 67", "demandeur", ""},  // same CAF number and role
			{"Petit", "Zoé", "04/04/1984", "", "", "1234567a"},             // same France Travail identifier
			{"Dupont", "Jean", "01/01/1980", "1234567", "DEM", "1234567A"}, // the first row again: one message
			{"Martin", "Paule", "02/02/1982", "1234567", "", ""},           // no role: not compared by CAF number
			{"Dupont", "Jeanne", "01/01/1980", "", "", ""},
		},
		Lines: []int{2, 3, 4, 5, 6, 7, 8, 9},
	}
	rows := importer.ParseRows(tab, importer.GuessMapping(h), ref, "90", now)
	want := [][]string{
		nil,
		{"Nom: Doublon de la ligne 2 : même prénom, même nom et même date de naissance."},
		nil,
		{"N° allocataire: Doublon de la ligne 2 : même numéro d'allocataire et même rôle."},
		{"Identifiant France Travail: Doublon de la ligne 2 : même identifiant France Travail."},
		{"N° allocataire: Doublon de la ligne 2"},
		nil,
		nil,
	}
	for i, r := range rows {
		checkErrors(t, r, want[i])
	}
}

func TestParseRowsNeverPanics(t *testing.T) {
	ref := mustRef(t)
	tests := []struct {
		name string
		tab  *importer.Table
		m    importer.Mapping
	}{
		{"nil table", nil, importer.Mapping{}},
		{"short rows, no lines", &importer.Table{Header: header, Rows: [][]string{{}, {"Dupont"}}}, importer.GuessMapping(header)},
		{"nil mapping", &importer.Table{Header: header, Rows: [][]string{cells(nil)}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := importer.ParseRows(tt.tab, tt.m, ref, "", now)
			if tt.tab != nil && len(rows) != len(tt.tab.Rows) {
				t.Errorf("%d rows, want %d", len(rows), len(tt.tab.Rows))
			}
			for i, r := range rows {
				if r.Line != i+2 {
					t.Errorf("row %d Line = %d, want %d", i, r.Line, i+2)
				}
			}
		})
	}
}
