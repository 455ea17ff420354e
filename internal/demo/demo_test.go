package demo

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/spie-parcours/parcours/internal/person"
)

// testPlaces are a few communes of the Territoire de Belfort; the populations
// are rounded, the test only needs Belfort to be by far the largest.
var testPlaces = []Place{
	{INSEE: "90010", Name: "Belfort", PostalCode: "90000", Population: 46000},
	{INSEE: "90033", Name: "Delle", PostalCode: "90100", Population: 5600},
	{INSEE: "90099", Name: "Valdoie", PostalCode: "90300", Population: 5300},
	{INSEE: "90009", Name: "Beaucourt", PostalCode: "90500", Population: 4800},
}

var testNow = time.Date(2026, time.March, 15, 10, 30, 0, 0, time.UTC)

// people returns the first n people of a generator seeded with seed.
func people(t testing.TB, seed uint64, n int) []person.Person {
	t.Helper()
	g := NewGenerator(seed, testPlaces, testNow)
	ps := make([]person.Person, n)
	for i := range ps {
		ps[i] = g.Person(1)
	}
	return ps
}

// ageAt returns the age in completed years at now of a person born on birth.
func ageAt(birth, now time.Time) int {
	age := now.Year() - birth.Year()
	if now.Month() < birth.Month() || now.Month() == birth.Month() && now.Day() < birth.Day() {
		age--
	}
	return age
}

func TestDeterminism(t *testing.T) {
	a := people(t, 42, 1000)
	b := people(t, 42, 1000)
	c := people(t, 43, 1000)
	same := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("person %d differs with the same seed:\n%+v\n%+v", i, a[i], b[i])
		}
		if a[i] == c[i] {
			same++
		}
	}
	if same == len(a) {
		t.Error("seeds 42 and 43 gave the same people")
	}
}

func TestAge(t *testing.T) {
	tests := []struct {
		name string
		now  time.Time
	}{
		{"ordinary day", testNow},
		{"first of January", time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)},
		{"last of December", time.Date(2025, time.December, 31, 23, 59, 59, 0, time.UTC)},
		{"29 February", time.Date(2028, time.February, 29, 12, 0, 0, 0, time.UTC)},
		{"1 March after a leap day", time.Date(2028, time.March, 1, 8, 0, 0, 0, time.UTC)},
		{"Paris just after midnight", time.Date(2026, time.June, 1, 0, 30, 0, 0, time.FixedZone("CEST", 2*3600))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewGenerator(7, testPlaces, tt.now)
			const n = 20_000
			var under26, from26to50 int
			seen := map[int]bool{}
			for range n {
				p := g.Person(1)
				b := p.BirthDate
				if b.Location() != time.UTC || b.Hour() != 0 || b.Minute() != 0 || b.Second() != 0 || b.Nanosecond() != 0 {
					t.Fatalf("BirthDate = %v, want a date at UTC midnight", b)
				}
				age := ageAt(b, tt.now)
				if age < 16 || age > 64 {
					t.Fatalf("born %s, age %d at %s, want 16 to 64", b.Format(time.DateOnly), age, tt.now)
				}
				seen[age] = true
				switch {
				case age < 26:
					under26++
				case age <= 50:
					from26to50++
				}
				if p.CreatedAt.After(tt.now) {
					t.Fatalf("CreatedAt = %v, after now %v", p.CreatedAt, tt.now)
				}
			}
			if len(seen) != 64-16+1 {
				t.Errorf("%d distinct ages, want all %d from 16 to 64", len(seen), 64-16+1)
			}
			if got := float64(under26) / n; got < 0.28 || got > 0.38 {
				t.Errorf("share under 26 = %.3f, want about a third", got)
			}
			if got := float64(from26to50) / n; got < 0.45 || got > 0.55 {
				t.Errorf("share 26 to 50 = %.3f, want about a half", got)
			}
		})
	}
}

func TestPermute(t *testing.T) {
	if testing.Short() {
		t.Skip("walks ten million numbers")
	}
	tests := []struct {
		name  string
		space uint64
		key   uint64
	}{
		{"CAF", cafSpace, 12345},
		{"France Travail", ftSpace, 1<<40 + 99},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := make([]bool, tt.space)
			for n := range tt.space {
				p := permute(n, tt.space, tt.key)
				if p >= tt.space {
					t.Fatalf("permute(%d) = %d, outside %d", n, p, tt.space)
				}
				if seen[p] {
					t.Fatalf("permute(%d) = %d, already given", n, p)
				}
				seen[p] = true
			}
		})
	}
}

func TestCommune(t *testing.T) {
	known := map[string]bool{}
	for _, p := range testPlaces {
		known[p.INSEE] = true
	}
	count := map[string]int{}
	for _, p := range people(t, 1, 20_000) {
		if !known[p.CommuneINSEE] {
			t.Fatalf("CommuneINSEE = %q, not among the places given", p.CommuneINSEE)
		}
		count[p.CommuneINSEE]++
	}
	if len(count) != len(testPlaces) {
		t.Errorf("%d communes drawn, want all %d", len(count), len(testPlaces))
	}
	// Belfort holds 74 % of the population of testPlaces.
	if got := float64(count["90010"]) / 20_000; got < 0.70 || got > 0.78 {
		t.Errorf("share in Belfort = %.3f, want about 0.74", got)
	}
}

func TestNoPlaces(t *testing.T) {
	g := NewGenerator(1, nil, testNow)
	p := g.Person(1)
	if p.CommuneINSEE != "" {
		t.Errorf("CommuneINSEE = %q with no places, want empty", p.CommuneINSEE)
	}
	if p.LastName == "" || p.Address == "" {
		t.Errorf("person without places is incomplete: %+v", p)
	}
}

func TestIdentifiersUnique(t *testing.T) {
	const n = 100_000
	ps := people(t, 2026, n)
	caf := make(map[string]bool, n)
	ft := make(map[string]bool, n)
	ftDigits := make(map[string]bool, n)
	email := make(map[string]bool, n)
	for _, p := range ps {
		if c := p.CAFNumber; c != "" {
			if len(c) != 7 || !allDigits(c) || c[0] == '0' {
				t.Fatalf("CAFNumber = %q, want 7 digits", c)
			}
			if caf[c] {
				t.Fatalf("CAFNumber %q given twice", c)
			}
			caf[c] = true
		}
		if f := p.FranceTravailID; f != "" {
			if len(f) != 8 || !allDigits(f[:7]) || f[7] < 'A' || f[7] > 'Z' {
				t.Fatalf("FranceTravailID = %q, want 7 digits and a capital letter", f)
			}
			if ftDigits[f[:7]] {
				t.Fatalf("FranceTravailID digits %q given twice", f[:7])
			}
			ft[f], ftDigits[f[:7]] = true, true
		}
		if e := p.Email; e != "" {
			if email[e] {
				t.Fatalf("Email %q given twice", e)
			}
			email[e] = true
		}
	}
	if len(caf) == 0 || len(ft) == 0 || len(email) == 0 {
		t.Fatalf("no identifiers: %d CAF, %d France Travail, %d emails", len(caf), len(ft), len(email))
	}
}

func TestContact(t *testing.T) {
	ps := people(t, 3, 20_000)
	var phones, emails int
	for _, p := range ps {
		if p.Phone != "" {
			phones++
			if !validPhone(p.Phone) {
				t.Fatalf("Phone = %q, want 06 39 98 xx xx", p.Phone)
			}
		}
		if p.Email != "" {
			emails++
			if !strings.HasSuffix(p.Email, ".invalid") {
				t.Fatalf("Email = %q, want the .invalid domain", p.Email)
			}
			local, _, ok := strings.Cut(p.Email, "@")
			if !ok || local == "" {
				t.Fatalf("Email = %q, want local@domain", p.Email)
			}
			for _, c := range local {
				if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
					t.Fatalf("Email = %q, has %q outside folded ASCII", p.Email, c)
				}
			}
		}
		if p.Address == "" || !unicode.IsDigit(rune(p.Address[0])) {
			t.Fatalf("Address = %q, want a number and a street", p.Address)
		}
	}
	if got := float64(emails) / float64(len(ps)); got < 0.65 || got > 0.75 {
		t.Errorf("share with an email = %.3f, want about 0.70", got)
	}
	if got := float64(phones) / float64(len(ps)); got < 0.85 {
		t.Errorf("share with a phone = %.3f, want most", got)
	}
}

func TestShares(t *testing.T) {
	ps := people(t, 4, 50_000)
	var caf, ft, women, married int
	for _, p := range ps {
		if p.CAFNumber != "" {
			caf++
		}
		if p.FranceTravailID != "" {
			ft++
		}
		switch p.Sex {
		case "F":
			women++
			if p.BirthName != p.LastName {
				married++
			}
		case "M":
			if p.BirthName != p.LastName {
				t.Fatalf("man with BirthName %q and LastName %q", p.BirthName, p.LastName)
			}
		default:
			t.Fatalf("Sex = %q, want F or M", p.Sex)
		}
	}
	n := float64(len(ps))
	tests := []struct {
		name     string
		got      float64
		low, top float64
	}{
		{"with a CAF number", float64(caf) / n, 0.55, 0.65},
		{"with a France Travail ID", float64(ft) / n, 0.45, 0.55},
		{"women", float64(women) / n, 0.45, 0.58},
		{"women with a birth name", float64(married) / float64(women), 0.20, 0.30},
	}
	for _, tt := range tests {
		if tt.got < tt.low || tt.got > tt.top {
			t.Errorf("share %s = %.3f, want %.2f to %.2f", tt.name, tt.got, tt.low, tt.top)
		}
	}
}

func TestSexMatchesFirstName(t *testing.T) {
	sexOf := map[string]string{}
	for _, n := range womenNames {
		sexOf[n.name] = "F"
	}
	for _, n := range menNames {
		if sexOf[n.name] == "F" {
			t.Errorf("first name %q is in both lists", n.name)
		}
		sexOf[n.name] = "M"
	}
	for _, p := range people(t, 5, 10_000) {
		if got := sexOf[p.FirstName]; got != p.Sex {
			t.Fatalf("%s has Sex %q, want %q", p.FirstName, p.Sex, got)
		}
	}
}

func TestNameLists(t *testing.T) {
	for sex, list := range [2][]firstName{womenNames, menNames} {
		for e := range eraCount {
			n := 0
			for _, f := range list {
				if f.eras&(1<<e) != 0 {
					n++
				}
			}
			if n < 20 {
				t.Errorf("sex %d era %d has %d first names, want at least 20", sex, e, n)
			}
		}
	}
	tests := []struct {
		name  string
		list  []string
		least int
	}{
		{"first names", append(names(womenNames), names(menNames)...), 200},
		{"last names", lastNames, 300},
		{"streets", streets, 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.list) < tt.least {
				t.Errorf("%d %s, want at least %d", len(tt.list), tt.name, tt.least)
			}
			seen := map[string]bool{}
			for _, s := range tt.list {
				if seen[s] {
					t.Errorf("%q listed twice", s)
				}
				seen[s] = true
				if f := foldASCII(s); f == "" && tt.name != "streets" {
					t.Errorf("%q folds to nothing", s)
				}
			}
		})
	}
}

func names(list []firstName) []string {
	out := make([]string, len(list))
	for i, f := range list {
		out[i] = f.name
	}
	return out
}

func TestFoldASCII(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Martin", "martin"},
		{"Océane", "oceane"},
		{"Jean-Pierre", "jean-pierre"},
		{"Thi Lan", "thi-lan"},
		{"N'Diaye", "ndiaye"},
		{"Lefèvre", "lefevre"},
		{"Françoise", "francoise"},
		{"Öztürk", "ozturk"},
		{"Şahin", "sahin"},
		{"Aydın", "aydin"},
		{"Hodžić", "hodzic"},
		{"Wiśniewski", "wisniewski"},
		{"Muñoz", "munoz"},
		{"Lætitia Œuvray", "laetitia-oeuvray"},
		{"ÉLODIE", "elodie"},
	}
	for _, tt := range tests {
		if got := foldASCII(tt.in); got != tt.want {
			t.Errorf("foldASCII(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func allDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// validPhone reports whether s is "06 39 98 xx xx".
func validPhone(s string) bool {
	return len(s) == 14 && strings.HasPrefix(s, "06 39 98 ") &&
		allDigits(s[9:11]) && s[11] == ' ' && allDigits(s[12:14])
}

func BenchmarkPerson(b *testing.B) {
	g := NewGenerator(1, testPlaces, testNow)
	for b.Loop() {
		g.Person(1)
	}
}
