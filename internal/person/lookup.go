package person

import (
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/referential"
)

// SearchKey returns the form a name is compared in to tell whether a person
// is already known: referential.Fold (lower case, no accents, ligatures
// spelled out), then only its letters and digits, so that spaces, hyphens,
// apostrophes and any other punctuation vanish. "Jean-Pierre", "jean pierre",
// "JEAN PIERRE" and "Jéan Pierre" all give "jeanpierre"; "D'Amico" and
// "DAMICO" give "damico"; "Le Gall" and "Legall" give "legall". Keys are
// compared whole: "Martin" is not "Martin-Dupont".
func SearchKey(s string) string {
	return strings.Map(func(r rune) rune {
		if isAlnum(r) {
			return r
		}
		return -1
	}, referential.Fold(s))
}

// Keys returns the search keys the store saves with the person, in
// search_first, search_last and search_birth. birth is the key of the birth
// name, or of the last name when no birth name is recorded, so that a query
// by birth name always has a key to hit.
func (p *Person) Keys() (first, last, birth string) {
	first, last = SearchKey(p.FirstName), SearchKey(p.LastName)
	birth = SearchKey(p.BirthName)
	if birth == "" {
		birth = last
	}
	return first, last, birth
}

// MatchesIdentity reports whether the person is the one a professional
// describes by first name, last name and birth date: the same birth date
// (calendar dates), the same first-name key, and a last-name key equal to the
// person's usage name or birth name, so that "Dupont" finds the married
// woman recorded as "Martin" born "Dupont". An empty first or last name
// matches no one.
func MatchesIdentity(p Person, first, last string, birth time.Time) bool {
	if p.BirthDate.IsZero() || birth.IsZero() || civilDate(p.BirthDate) != civilDate(birth) {
		return false
	}
	pf, pl, pb := p.Keys()
	f, l := SearchKey(first), SearchKey(last)
	if f == "" || l == "" {
		return false
	}
	return f == pf && (l == pl || l == pb)
}
