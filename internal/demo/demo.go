// Package demo generates fictional people for the demonstration territory and
// for benchmarks. Everything it produces is invented: the names are drawn from
// lists of common names, the phone numbers from the range ARCEP reserves for
// fiction, the email addresses end in the reserved .invalid domain.
package demo

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/spie-parcours/parcours/internal/person"
)

// Place is a commune the generator may put people in (the caller passes the
// communes of the 90 from the referential package). Population weighs the
// draw; a commune with no population given counts as one inhabitant.
type Place struct {
	INSEE      string
	Name       string
	PostalCode string
	Population int
}

// Shares of the generated population. They follow the public of the platform:
// the RSA is open from 25, so fewer young people have a CAF number.
const (
	shareWomen          = 0.52
	shareUnder26        = 33 // percent
	share26to50         = 50 // percent, the rest is 51–64
	shareBirthName      = 0.30
	shareBirthNameYoung = 0.02 // under 22
	shareCAF            = 0.72
	shareCAFYoung       = 0.35 // under 25
	shareFT             = 0.53
	shareFTMinor        = 0.10 // under 18
	sharePhone          = 0.92
	shareEmail          = 0.70
	shareComplement     = 0.08

	minAge = 16
	maxAge = 64

	// cafSpace and ftSpace are the sizes of the identifier spaces. The n-th
	// identifier is permute(n), a bijection of the space, so the identifiers
	// stay unique without a set and do not look sequential.
	cafSpace = 9_000_000  // 1000000–9999999
	ftSpace  = 10_000_000 // 0000000–9999999

	// fictionPhone is the mobile prefix ARCEP reserves for audiovisual fiction.
	fictionPhone = "06 39 98 "

	// createdSpan is how far back the creation dates of the records go.
	createdSpan = 2 * 365 * 24 * time.Hour
)

// emailDomains are the domains of the generated addresses. The .invalid
// top-level domain is reserved (RFC 2606), so no mail can ever be delivered.
var emailDomains = []string{"exemple.invalid", "courriel.invalid", "messagerie.invalid"}

// Generator draws fictional people. The same seed, places and now give the
// same sequence of people. A Generator is not safe for concurrent use.
type Generator struct {
	rng   *rand.Rand
	now   time.Time
	today time.Time // now's calendar date at UTC midnight

	places []Place
	cumPop []int64 // cumulative weights of places
	total  int64

	// names[sex][era] holds the indexes of first names into firstNames[sex].
	names      [2][eraCount][]int
	firstNames [2][]string
	firstFold  [2][]string
	lastFold   []string

	cafCount, cafKey uint64
	ftCount, ftKey   uint64
	emailCount       uint64
}

// Sex indexes of Generator.names.
const (
	female = 0
	male   = 1
)

// NewGenerator returns a generator seeded with seed that places people in
// places, weighted by population, and gives them ages at now.
func NewGenerator(seed uint64, places []Place, now time.Time) *Generator {
	g := &Generator{
		rng:    rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), // #nosec G404 -- fictional data must be reproducible from a seed; no secret comes from it
		now:    now,
		places: slices.Clone(places),
		cumPop: make([]int64, len(places)),
	}
	y, m, d := now.Date()
	g.today = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	for i, p := range places {
		g.total += max(int64(p.Population), 1)
		g.cumPop[i] = g.total
	}
	for sex, list := range [2][]firstName{womenNames, menNames} {
		for i, n := range list {
			g.firstNames[sex] = append(g.firstNames[sex], n.name)
			g.firstFold[sex] = append(g.firstFold[sex], foldASCII(n.name))
			for e := range eraCount {
				if n.eras&(1<<e) != 0 {
					g.names[sex][e] = append(g.names[sex][e], i)
				}
			}
		}
	}
	g.lastFold = make([]string, len(lastNames))
	for i, n := range lastNames {
		g.lastFold[i] = foldASCII(n)
	}
	g.cafKey = g.rng.Uint64()
	g.ftKey = g.rng.Uint64()
	return g
}

// Person returns one plausible, fictional person of the territory. ID is left
// at zero for the store to assign.
func (g *Generator) Person(territoryID int64) person.Person {
	r := g.rng
	sex := male
	if r.Float64() < shareWomen {
		sex = female
	}
	age := g.age()
	birth := g.birthDate(age)

	bucket := g.names[sex][era(birth.Year())]
	fi := bucket[r.IntN(len(bucket))]
	li := r.IntN(len(lastNames))
	p := person.Person{
		TerritoryID: territoryID,
		FirstName:   g.firstNames[sex][fi],
		LastName:    lastNames[li],
		BirthName:   lastNames[li],
		BirthDate:   birth,
		Sex:         "M",
	}
	if sex == female {
		p.Sex = "F"
		share := shareBirthName
		if age < 22 {
			share = shareBirthNameYoung
		}
		if r.Float64() < share {
			// A married name: the birth name is another surname.
			bi := r.IntN(len(lastNames) - 1)
			if bi >= li {
				bi++
			}
			p.BirthName = lastNames[bi]
		}
	}

	if r.Float64() < shareEmail {
		p.Email = g.email(g.firstFold[sex][fi], g.lastFold[li])
	}
	if r.Float64() < sharePhone {
		p.Phone = g.phone()
	}
	p.Address = g.address()
	p.CommuneINSEE = g.commune()

	share := shareCAF
	if age < 25 {
		share = shareCAFYoung
	}
	if r.Float64() < share {
		p.CAFNumber = g.cafNumber()
	}
	share = shareFT
	if age < 18 {
		share = shareFTMinor
	}
	if r.Float64() < share {
		p.FranceTravailID = g.franceTravailID()
	}

	// The record was opened in the last two years, not before the person
	// was 16, and not after now.
	now := g.now.UTC().Truncate(time.Second)
	created := now.Add(-time.Duration(r.Int64N(int64(createdSpan)))).Truncate(time.Second)
	if adult := birth.AddDate(minAge, 0, 0); created.Before(adult) {
		created = adult
	}
	if created.After(now) {
		created = now
	}
	p.CreatedAt = created
	return p
}

// age draws an age in years: a third under 26, half from 26 to 50, the rest
// up to 64.
func (g *Generator) age() int {
	switch u := g.rng.IntN(100); {
	case u < shareUnder26:
		return minAge + g.rng.IntN(26-minAge)
	case u < shareUnder26+share26to50:
		return 26 + g.rng.IntN(25)
	default:
		return 51 + g.rng.IntN(maxAge-50)
	}
}

// birthDate draws a birth date, at UTC midnight, of a person who is age years
// old today.
func (g *Generator) birthDate(age int) time.Time {
	y := g.today.Year()
	hi := g.anniversary(y - age)                  // the latest birth date at that age
	lo := g.anniversary(y-age-1).AddDate(0, 0, 1) // one day after the latest at age+1
	days := int(hi.Sub(lo) / (24 * time.Hour))
	return lo.AddDate(0, 0, g.rng.IntN(days+1))
}

// anniversary returns today's month and day in year y; the 29th of February
// becomes the 28th in a common year, when people born that day have not yet
// had their birthday.
func (g *Generator) anniversary(y int) time.Time {
	_, m, d := g.today.Date()
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		t = time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return t
}

// commune draws the INSEE code of a place, weighted by population, or returns
// "" when the generator has no places.
func (g *Generator) commune() string {
	if g.total == 0 {
		return ""
	}
	i, _ := slices.BinarySearch(g.cumPop, g.rng.Int64N(g.total)+1)
	return g.places[i].INSEE
}

// address draws a street address line such as "12 rue des Lilas".
func (g *Generator) address() string {
	r := g.rng
	n := 1 + r.IntN(60)
	if r.IntN(10) == 0 {
		n = 1 + r.IntN(200)
	}
	var b strings.Builder
	b.Grow(48)
	b.WriteString(strconv.Itoa(n))
	if r.IntN(20) == 0 {
		b.WriteString(" bis")
	}
	b.WriteByte(' ')
	b.WriteString(streets[r.IntN(len(streets))])
	if r.Float64() < shareComplement {
		if r.IntN(2) == 0 {
			b.WriteString(", appartement ")
			b.WriteString(strconv.Itoa(1 + r.IntN(80)))
		} else {
			b.WriteString(", bâtiment ")
			b.WriteByte(byte('A' + r.IntN(6))) // #nosec G115 -- 'A'..'F'
		}
	}
	return b.String()
}

// phone draws a mobile number in the range reserved for fiction, formatted
// "06 39 98 xx xx".
func (g *Generator) phone() string {
	n := g.rng.IntN(10_000)
	b := make([]byte, 0, len(fictionPhone)+5)
	b = append(b, fictionPhone...)
	b = append(b, byte('0'+n/1000), byte('0'+n/100%10), ' ', byte('0'+n/10%10), byte('0'+n%10)) // #nosec G115 -- decimal digits of n < 10000
	return string(b)
}

// email builds a unique address from the folded first and last names and a
// counter, such as "ines.haddad12@exemple.invalid".
func (g *Generator) email(first, last string) string {
	g.emailCount++
	var b strings.Builder
	b.Grow(len(first) + len(last) + 32)
	switch u := g.rng.IntN(10); {
	case u < 7:
		b.WriteString(first)
		b.WriteByte('.')
		b.WriteString(last)
	case u < 9:
		b.WriteString(first[:1])
		b.WriteByte('.')
		b.WriteString(last)
	default:
		b.WriteString(last)
		b.WriteByte('.')
		b.WriteString(first)
	}
	b.WriteString(strconv.FormatUint(g.emailCount, 10))
	b.WriteByte('@')
	b.WriteString(emailDomains[g.rng.IntN(len(emailDomains))])
	return b.String()
}

// cafNumber returns the next 7-digit CAF allocataire number. The numbers are
// unique over the first cafSpace issued by a generator.
func (g *Generator) cafNumber() string {
	n := 1_000_000 + permute(g.cafCount%cafSpace, cafSpace, g.cafKey)
	g.cafCount++
	return strconv.FormatUint(n, 10)
}

// franceTravailID returns the next France Travail identifier, 7 digits and a
// letter. The digits alone are unique over the first ftSpace issued.
func (g *Generator) franceTravailID() string {
	n := permute(g.ftCount%ftSpace, ftSpace, g.ftKey)
	g.ftCount++
	var b [8]byte
	for i := 6; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	b[7] = byte('A' + g.rng.IntN(26)) // #nosec G115 -- 'A'..'Z'
	return string(b[:])
}

// permute maps n, below space (at most 1<<24), to a number below space, one to
// one. It walks the cycle of a keyed bijection of the 24-bit numbers until it
// falls back below space, which takes two steps on average.
func permute(n, space, key uint64) uint64 {
	const mask = 1<<24 - 1
	for {
		n ^= key & mask
		n = n * 0x9e3779 & mask // odd: a bijection modulo 1<<24
		n ^= n >> 13
		n = n * 0x85ebcb & mask
		n ^= n >> 11
		if n < space {
			return n
		}
	}
}

// foldASCII lowercases s and folds it to the letters, digits and hyphens of an
// email local part: accents are dropped ("Éloïse" gives "eloise"), spaces
// become hyphens and other characters, such as apostrophes, are removed.
func foldASCII(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, c := range s {
		c = unicode.ToLower(c)
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-':
			b.WriteRune(c)
		case c == ' ':
			b.WriteByte('-')
		default:
			b.WriteString(foldRune(c))
		}
	}
	return b.String()
}

// foldRune returns the ASCII spelling of a lowercase accented letter, or ""
// for a character that has none.
func foldRune(c rune) string {
	switch c {
	case 'à', 'á', 'â', 'ã', 'ä', 'å':
		return "a"
	case 'æ':
		return "ae"
	case 'ç', 'ć', 'č':
		return "c"
	case 'đ':
		return "d"
	case 'è', 'é', 'ê', 'ë':
		return "e"
	case 'ğ':
		return "g"
	case 'ì', 'í', 'î', 'ï', 'ı':
		return "i"
	case 'ł':
		return "l"
	case 'ñ', 'ń':
		return "n"
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø':
		return "o"
	case 'œ':
		return "oe"
	case 'ś', 'ş', 'š':
		return "s"
	case 'ß':
		return "ss"
	case 'ù', 'ú', 'û', 'ü':
		return "u"
	case 'ý', 'ÿ':
		return "y"
	case 'ź', 'ż', 'ž':
		return "z"
	}
	return ""
}
