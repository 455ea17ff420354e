package person_test

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
)

// loadRef returns the embedded referential.
func loadRef(t testing.TB) *referential.Referential {
	t.Helper()
	ref, err := referential.Load()
	if err != nil {
		t.Fatalf("referential.Load: %v", err)
	}
	return ref
}

var paris = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
})

// date returns a date as the store holds it: UTC midnight.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// fieldNames returns the fields that have a message, in order.
func fieldNames(fs problem.Fields) []string {
	var names []string
	for _, f := range fs {
		names = append(names, f.Field)
	}
	return names
}

// checkFields fails unless fs names exactly the want fields, each with a
// French sentence.
func checkFields(t *testing.T, fs problem.Fields, want ...string) {
	t.Helper()
	if got := fieldNames(fs); !slices.Equal(got, want) {
		t.Fatalf("fields = %v, want %v (messages: %v)", got, want, fs)
	}
	for _, f := range fs {
		if f.Message == "" || !strings.HasSuffix(f.Message, ".") {
			t.Errorf("%s: message %q is not a sentence", f.Field, f.Message)
		}
	}
	if len(want) == 0 && fs.Err() != nil {
		t.Errorf("Err() = %v with no field message", fs.Err())
	}
}

func TestNormalize(t *testing.T) {
	in := person.Person{
		FirstName:       "  Jean-Pierre   Marie ",
		LastName:        "\tde\u00a0 la  Fontaine ",
		BirthName:       " ",
		Sex:             " f ",
		Email:           "  Jean.Dupont@Exemple.FR ",
		Phone:           "+33 (0)6.12.34.56.78",
		Address:         " 3  rue   des Lilas ",
		CommuneINSEE:    " 2a004 ",
		CAFNumber:       " 123 4567 ",
		FranceTravailID: " 1234567a ",
		RSARight:        " rsa_clos ",
		EducationLevel:  "niveau_3 ",
		WorkSituation:   " emploi",
	}
	want := person.Person{
		FirstName:       "Jean-Pierre Marie",
		LastName:        "de la Fontaine",
		Sex:             "F",
		Email:           "jean.dupont@exemple.fr",
		Phone:           "06 12 34 56 78",
		Address:         "3 rue des Lilas",
		CommuneINSEE:    "2A004",
		CAFNumber:       "1234567",
		FranceTravailID: "1234567A",
		RSARight:        "rsa_clos",
		EducationLevel:  "niveau_3",
		WorkSituation:   "emploi",
	}
	got := in
	got.Normalize()
	if got != want {
		t.Errorf("Normalize:\n got %+v\nwant %+v", got, want)
	}
	again := got
	again.Normalize()
	if again != got {
		t.Errorf("Normalize is not idempotent:\n got %+v\nwant %+v", again, got)
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0612345678", "06 12 34 56 78"},
		{"06 12 34 56 78", "06 12 34 56 78"},
		{"06.12.34.56.78", "06 12 34 56 78"},
		{"06-12-34-56-78", "06 12 34 56 78"},
		{"06/12/34/56/78", "06 12 34 56 78"},
		{"+33612345678", "06 12 34 56 78"},
		{"+33 6 12 34 56 78", "06 12 34 56 78"},
		{"+33 (0)6 12 34 56 78", "06 12 34 56 78"},
		{"0033 6 12 34 56 78", "06 12 34 56 78"},
		{"0033612345678", "06 12 34 56 78"},
		{"01 23 45 67 89", "01 23 45 67 89"},
		{"612345678", "06 12 34 56 78"},          // a spreadsheet dropped the leading 0
		{"+262 692 12 34 56", "06 92 12 34 56"},  // La Réunion mobile
		{"+590 590 12 34 56", "05 90 12 34 56"},  // Guadeloupe landline
		{"00596696123456", "06 96 12 34 56"},     // Martinique
		{"06 12 34 56 7", "06 12 34 56 7"},       // too short: kept for Validate
		{"+44 20 7946 0958", "+44 20 7946 0958"}, // foreign: kept for Validate
		{"0012345678", "0012345678"},             // 00 is no French prefix
		{"06 12 34 56 78 ext", "06 12 34 56 78 ext"},
		{"", ""},
	}
	for _, tt := range tests {
		p := person.Person{Phone: tt.in}
		p.Normalize()
		if p.Phone != tt.want {
			t.Errorf("Normalize(phone %q) = %q, want %q", tt.in, p.Phone, tt.want)
		}
	}
}

// validPerson returns a person that passes Validate at testNow.
func validPerson() person.Person {
	return person.Person{
		FirstName:       "Amélie",
		LastName:        "N'Diaye-Lefèvre",
		BirthName:       "Dupont",
		BirthDate:       date(1990, time.May, 17),
		Sex:             "F",
		Email:           "amelie.ndiaye@exemple.fr",
		Phone:           "06 12 34 56 78",
		Address:         "3 rue des Lilas",
		CommuneINSEE:    "01001",
		CAFNumber:       "1234567",
		FranceTravailID: "1234567A",
		RSARight:        "rsa_droit_ouvert_versable",
		RSAOpenedOn:     date(2025, time.January, 10),
		EducationLevel:  "niveau_4",
		WorkSituation:   "recherche_emploi",
	}
}

var testNow = time.Date(2026, time.March, 15, 10, 0, 0, 0, time.UTC)

func TestValidate(t *testing.T) {
	ref := loadRef(t)
	tests := []struct {
		name   string
		change func(p *person.Person)
		want   []string
	}{
		{"valid", func(p *person.Person) {}, nil},
		{"only required fields", func(p *person.Person) {
			*p = person.Person{FirstName: "Léa", LastName: "Roux", BirthDate: date(2000, time.January, 1)}
		}, nil},
		{"un-normalized but readable", func(p *person.Person) {
			p.Phone, p.Email, p.FranceTravailID, p.Sex, p.CommuneINSEE = "+33612345678", "A@B.FR", "1234567a", "m", "2a004"
		}, nil},
		{"missing names", func(p *person.Person) { p.FirstName, p.LastName = " ", "" }, []string{"first_name", "last_name"}},
		{"name with digits", func(p *person.Person) { p.FirstName = "Jean2" }, []string{"first_name"}},
		{"name with punctuation", func(p *person.Person) { p.LastName = "Dupont;" }, []string{"last_name"}},
		{"name of hyphens only", func(p *person.Person) { p.LastName = "--" }, []string{"last_name"}},
		{"name of 100 characters", func(p *person.Person) { p.LastName = strings.Repeat("é", 100) }, nil},
		{"name of 101 characters", func(p *person.Person) { p.LastName = strings.Repeat("é", 101) }, []string{"last_name"}},
		{"typographic apostrophe and decomposed accent", func(p *person.Person) { p.LastName = "D’Ame\u0301lio" }, nil},
		{"bad birth name", func(p *person.Person) { p.BirthName = "X@Y" }, []string{"birth_name"}},
		{"no birth date", func(p *person.Person) { p.BirthDate = time.Time{} }, []string{"birth_date"}},
		{"birth date in the future", func(p *person.Person) { p.BirthDate = date(2026, time.March, 16); p.RSAOpenedOn = time.Time{} }, []string{"birth_date"}},
		{"aged 14", func(p *person.Person) { p.BirthDate = date(2011, time.March, 16); p.RSAOpenedOn = time.Time{} }, []string{"birth_date"}},
		{"aged 15 today", func(p *person.Person) { p.BirthDate = date(2011, time.March, 15); p.RSAOpenedOn = time.Time{} }, nil},
		{"aged 100", func(p *person.Person) { p.BirthDate = date(1925, time.March, 16) }, nil},
		{"aged 101", func(p *person.Person) { p.BirthDate = date(1925, time.March, 15) }, []string{"birth_date"}},
		{"bad sex", func(p *person.Person) { p.Sex = "X" }, []string{"sex"}},
		{"no sex", func(p *person.Person) { p.Sex = "" }, nil},
		{"email without at", func(p *person.Person) { p.Email = "amelie.exemple.fr" }, []string{"email"}},
		{"email without dot in domain", func(p *person.Person) { p.Email = "amelie@localhost" }, []string{"email"}},
		{"email with a name", func(p *person.Person) { p.Email = "Amélie <amelie@exemple.fr>" }, []string{"email"}},
		{"email with a space", func(p *person.Person) { p.Email = "ame lie@exemple.fr" }, []string{"email"}},
		{"demo email", func(p *person.Person) { p.Email = "ines.haddad12@exemple.invalid" }, nil},
		{"short phone", func(p *person.Person) { p.Phone = "06 12 34 56" }, []string{"phone"}},
		{"foreign phone", func(p *person.Person) { p.Phone = "+44 20 7946 0958" }, []string{"phone"}},
		{"phone with letters", func(p *person.Person) { p.Phone = "06 12 34 56 AB" }, []string{"phone"}},
		{"overseas phone", func(p *person.Person) { p.Phone = "+262 692 12 34 56" }, nil},
		{"long address", func(p *person.Person) { p.Address = strings.Repeat("a", 251) }, []string{"address"}},
		{"unknown commune", func(p *person.Person) { p.CommuneINSEE = "99999" }, []string{"commune_insee"}},
		{"Corsica commune", func(p *person.Person) { p.CommuneINSEE = "2A004" }, nil},
		{"CAF number of 6 digits", func(p *person.Person) { p.CAFNumber = "123456" }, []string{"caf_number"}},
		{"MSA number of 13 digits", func(p *person.Person) { p.CAFNumber = "1234567890123" }, nil},
		{"CAF number of 16 digits", func(p *person.Person) { p.CAFNumber = "1234567890123456" }, []string{"caf_number"}},
		{"CAF number with a letter", func(p *person.Person) { p.CAFNumber = "123456A" }, []string{"caf_number"}},
		{"France Travail id of 8 digits", func(p *person.Person) { p.FranceTravailID = "12345678" }, nil},
		{"France Travail id of 11 digits", func(p *person.Person) { p.FranceTravailID = "01234567891" }, nil},
		{"France Travail local id", func(p *person.Person) { p.FranceTravailID = "0123456789Z" }, nil},
		{"France Travail id with a letter inside", func(p *person.Person) { p.FranceTravailID = "12A4567B" }, []string{"france_travail_id"}},
		{"France Travail id of 9 characters", func(p *person.Person) { p.FranceTravailID = "1234567AB" }, []string{"france_travail_id"}},
		{"France Travail id with an accent", func(p *person.Person) { p.FranceTravailID = "1234567É" }, []string{"france_travail_id"}},
		{"unknown RSA right", func(p *person.Person) { p.RSARight = "rsa_ouvert" }, []string{"rsa_right"}},
		{"RSA opened in the future", func(p *person.Person) { p.RSAOpenedOn = date(2026, time.March, 16) }, []string{"rsa_opened_on"}},
		{"RSA opened today", func(p *person.Person) { p.RSAOpenedOn = date(2026, time.March, 15) }, nil},
		{"RSA opened before birth", func(p *person.Person) { p.RSAOpenedOn = date(1989, time.January, 1) }, []string{"rsa_opened_on"}},
		{"unknown education level", func(p *person.Person) { p.EducationLevel = "level_3" }, []string{"education_level"}},
		{"unknown work situation", func(p *person.Person) { p.WorkSituation = "chomage" }, []string{"work_situation"}},
		{"everything wrong", func(p *person.Person) {
			*p = person.Person{Sex: "?", Email: "x", Phone: "1", CommuneINSEE: "0", CAFNumber: "1", FranceTravailID: "1",
				RSARight: "?", RSAOpenedOn: date(2030, 1, 1), EducationLevel: "?", WorkSituation: "?"}
		}, []string{"first_name", "last_name", "birth_date", "sex", "email", "phone", "commune_insee", "caf_number",
			"france_travail_id", "rsa_right", "rsa_opened_on", "education_level", "work_situation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validPerson()
			tt.change(&p)
			checkFields(t, p.Validate(ref, testNow), tt.want...)
		})
	}
}

// TestValidateNormalized checks that what Normalize makes of readable input
// passes Validate.
func TestValidateNormalized(t *testing.T) {
	ref := loadRef(t)
	p := validPerson()
	p.Phone, p.Email, p.CAFNumber, p.FranceTravailID, p.FirstName = "0033 6-12-34-56-78", " X@Y.FR ", " 123 4567", "1234567b ", "  Anne   Marie "
	p.Normalize()
	checkFields(t, p.Validate(ref, testNow))
	if p.Phone != "06 12 34 56 78" || p.FranceTravailID != "1234567B" || p.FirstName != "Anne Marie" {
		t.Errorf("Normalize gave %+v", p)
	}
}

func TestAge(t *testing.T) {
	tests := []struct {
		name       string
		birth, now time.Time
		want       int
	}{
		{"day before birthday", date(2000, time.June, 10), date(2026, time.June, 9), 25},
		{"on birthday", date(2000, time.June, 10), date(2026, time.June, 10), 26},
		{"day after birthday", date(2000, time.June, 10), date(2026, time.June, 11), 26},
		{"newborn", date(2026, time.June, 10), date(2026, time.June, 10), 0},
		{"earlier month", date(2000, time.December, 31), date(2026, time.January, 1), 25},
		{"leap day, common year, 28 February", date(2004, time.February, 29), date(2026, time.February, 28), 21},
		{"leap day, common year, 1 March", date(2004, time.February, 29), date(2026, time.March, 1), 22},
		{"leap day, leap year", date(2004, time.February, 29), date(2028, time.February, 29), 24},
		// 00:30 in Paris on the birthday is still the day before in UTC: the
		// age follows the Paris date.
		{"birthday just begun in Paris", date(2000, time.June, 10), time.Date(2026, time.June, 10, 0, 30, 0, 0, paris()), 26},
		{"birthday not yet in Paris", date(2000, time.June, 10), time.Date(2026, time.June, 9, 23, 30, 0, 0, paris()), 25},
	}
	for _, tt := range tests {
		if got := person.Age(tt.birth, tt.now); got != tt.want {
			t.Errorf("%s: Age = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestUnder26(t *testing.T) {
	now := date(2026, time.June, 10)
	tests := []struct {
		birth time.Time
		want  bool
	}{
		{date(2000, time.June, 11), true},  // 25, 26 tomorrow
		{date(2000, time.June, 10), false}, // 26 today
		{date(2010, time.January, 1), true},
		{date(1980, time.January, 1), false},
		{time.Time{}, false}, // unknown birth date
	}
	for _, tt := range tests {
		if got := person.Under26(person.Person{BirthDate: tt.birth}, now); got != tt.want {
			t.Errorf("Under26(born %s) = %v, want %v", tt.birth.Format(time.DateOnly), got, tt.want)
		}
	}
}
