package referential

import (
	"cmp"
	"slices"
	"strings"
)

// match is a search hit: the index of the entry and its rank, lower first.
type match struct {
	i, tier int
}

// SearchCommunes returns at most limit communes (no limit if limit <= 0)
// matching q, restricted to one département unless departement is empty.
//
// A q that starts with a digit, or with "2A"/"2B", is a code: it matches the
// communes whose INSEE code or one of whose postal codes starts with it, exact
// codes first. Any other q matches names, ignoring case, accents, hyphens and
// apostrophes: first the name equal to q, then names starting with q, then
// names with a word starting with q ("montbeliard" also finds
// "Courcelles-lès-Montbéliard"). Within each rank the most populated commune
// comes first, then the order of CommunesIn.
func (r *Referential) SearchCommunes(q string, departement string, limit int) []Commune {
	candidates := func(yield func(int) bool) {
		for i := range r.communes {
			if !yield(i) {
				return
			}
		}
	}
	if dept := normCode(departement); dept != "" {
		candidates = slices.Values(r.communesByDept[dept])
	}

	var hits []match
	if c := normCode(q); isCodeQuery(c) {
		for i := range candidates {
			if t, ok := codeTier(r.communes[i], c); ok {
				hits = append(hits, match{i, t})
			}
		}
	} else {
		key := searchKey(q)
		if key == "" {
			return nil
		}
		for i := range candidates {
			name := r.communeKeys[i]
			switch {
			case name == key:
				hits = append(hits, match{i, 0})
			case strings.HasPrefix(name, key):
				hits = append(hits, match{i, 1})
			case strings.Contains(name, key):
				hits = append(hits, match{i, 2})
			}
		}
	}

	slices.SortFunc(hits, func(a, b match) int {
		if c := cmp.Compare(a.tier, b.tier); c != 0 {
			return c
		}
		if c := cmp.Compare(r.communes[b.i].Population, r.communes[a.i].Population); c != 0 {
			return c
		}
		return r.compareCommunes(a.i, b.i)
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Commune, len(hits))
	for j, h := range hits {
		out[j] = r.commune(h.i)
	}
	return out
}

// isCodeQuery reports whether the normalized query c is the start of an INSEE
// code or a postal code rather than a name.
func isCodeQuery(c string) bool {
	if c == "" {
		return false
	}
	if strings.HasPrefix(c, "2A") || strings.HasPrefix(c, "2B") {
		c = c[2:]
	} else if c[0] < '0' || c[0] > '9' {
		return false
	}
	for i := 0; i < len(c); i++ {
		if c[i] < '0' || c[i] > '9' {
			return false
		}
	}
	return true
}

// codeTier ranks a commune for the code query c: 0 if c is its INSEE code, 1
// if c is one of its postal codes, 2 if either starts with c.
func codeTier(c Commune, q string) (int, bool) {
	if c.INSEE == q {
		return 0, true
	}
	tier, ok := 3, false
	if strings.HasPrefix(c.INSEE, q) {
		tier, ok = 2, true
	}
	for _, p := range c.PostalCodes {
		if p == q {
			return 1, true
		}
		if strings.HasPrefix(p, q) {
			tier, ok = 2, true
		}
	}
	return tier, ok
}

// compareCommunes orders communes by folded name, then name, then INSEE code.
func (r *Referential) compareCommunes(i, j int) int {
	if c := strings.Compare(r.communeKeys[i], r.communeKeys[j]); c != 0 {
		return c
	}
	a, b := r.communes[i], r.communes[j]
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return strings.Compare(a.INSEE, b.INSEE)
}

// SearchAppellations returns at most limit ROME appellations (no limit if
// limit <= 0) whose label matches q, ignoring case, accents and punctuation.
// Every word of q must start a word of the label. The label equal to q comes
// first, then labels starting with q, then labels where q appears at the start
// of a word, then the other matches; within each rank shorter labels come
// first, so that "aide a domicile" lists "Aide à domicile" before "Responsable
// de service d'aide à domicile".
func (r *Referential) SearchAppellations(q string, limit int) []Appellation {
	key := searchKey(q)
	if key == "" {
		return nil
	}
	words := strings.Fields(key)
	for i, w := range words {
		words[i] = " " + w
	}

	var hits []match
	for i, label := range r.appelKeys {
		switch {
		case label == key:
			hits = append(hits, match{i, 0})
		case strings.HasPrefix(label, key):
			hits = append(hits, match{i, 1})
		case strings.Contains(label, key):
			hits = append(hits, match{i, 2})
		case len(words) > 1 && containsAll(label, words):
			hits = append(hits, match{i, 3})
		}
	}

	slices.SortFunc(hits, func(a, b match) int {
		if c := cmp.Compare(a.tier, b.tier); c != 0 {
			return c
		}
		if c := cmp.Compare(len(r.appelKeys[a.i]), len(r.appelKeys[b.i])); c != 0 {
			return c
		}
		if c := strings.Compare(r.appelKeys[a.i], r.appelKeys[b.i]); c != 0 {
			return c
		}
		return strings.Compare(r.appellations[a.i].Code, r.appellations[b.i].Code)
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Appellation, len(hits))
	for j, h := range hits {
		out[j] = r.appellations[h.i]
	}
	return out
}

// containsAll reports whether every word (each with its leading space) starts
// a word of the search key s.
func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}
