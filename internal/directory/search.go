package directory

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/spie-parcours/parcours/internal/referential"
)

// earthRadiusKm is the mean radius of the Earth (IUGG).
const earthRadiusKm = 6371.0088

// DistanceKm is the great-circle distance between two points given in
// degrees (haversine formula).
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(a)))
}

// Box is a latitude and longitude range that holds every point within a
// radius of a centre, for a first cut by index before the exact distance.
type Box struct {
	MinLat, MaxLat, MinLon, MaxLon float64
}

// BoxAround returns the box around (lat, lon) that holds the circle of
// radius km.
func BoxAround(lat, lon, km float64) Box {
	dLat := km / earthRadiusKm * 180 / math.Pi
	c := math.Cos(lat * math.Pi / 180)
	dLon := 180.0
	if c > 1e-6 {
		dLon = math.Min(180, dLat/c)
	}
	return Box{lat - dLat, lat + dLat, lon - dLon, lon + dLon}
}

// DefaultRadiusKm is the search radius when the person's mobility is not
// known: what a bus ride in a département covers.
const DefaultRadiusKm = 15

// Query is a search of the directory. Every criterion given must hold;
// thématiques match when the service has any of them.
type Query struct {
	Thematiques []string // codes; a category code ("mobilite") stands for all its thématiques
	Type        string
	Fees        string
	Public      string // a public code; services for "tous-publics" or with no public match too
	Text        string // words, all of which must appear in the name, description or structure
	// From is the point distances are measured from, and RadiusKm the
	// largest distance kept (no limit when 0). Services given at a
	// distance only are kept whatever the radius.
	HasFrom         bool
	FromLat         float64
	FromLon         float64
	RadiusKm        float64
	CommuneINSEE    string // the person's commune, for the zone of eligibility
	Departement     string
	Limit           int
	IncludeArchived bool // for a structure's own list
}

// Hit is a service found, with its distance (-1 when it has no position or
// no point was given) and its relevance.
type Hit struct {
	Service
	DistanceKm float64
	Score      int
}

// expand turns category codes into their thématiques.
func expand(ref *referential.Referential, codes []string) map[string]bool {
	want := map[string]bool{}
	for _, c := range codes {
		if strings.Contains(c, "--") {
			want[c] = true
			continue
		}
		for _, t := range ref.DataInclusion("thematiques") {
			if t.Category == c {
				want[t.Code] = true
			}
		}
	}
	return want
}

// ExpandThematiques returns the thématique codes a query asks for, a
// category standing for all its thématiques, sorted.
func ExpandThematiques(ref *referential.Referential, codes []string) []string {
	var out []string
	for c := range expand(ref, codes) {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// words returns the folded words of s, for text search: letters and
// digits only, so that "garde d'enfants" and "(fictive)" split as a reader
// expects.
func words(s string) []string {
	return strings.FieldsFunc(referential.Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// SearchText is the folded text a service is searched in: its name, its
// structure's name and its description, as words between single spaces, with
// a space at both ends so that " word" finds the start of any word.
func SearchText(s Service) string {
	return " " + strings.Join(words(s.Name+" "+s.StructureName+" "+s.Description), " ") + " "
}

// Terms returns the folded words of a text query.
func Terms(q string) []string { return words(q) }

// Rank filters candidates by the query and orders them by relevance, then
// distance, then name. Relevance counts the thématiques asked for that the
// service has (3 each), the text words in its name (3 each), in its
// structure's name (2) or its description (1). Published services only,
// unless the query is for a structure's own list.
func Rank(ref *referential.Referential, candidates []Service, q Query) []Hit {
	want := expand(ref, q.Thematiques)
	terms := words(q.Text)
	var hits []Hit
	for _, s := range candidates {
		if s.Status != StatusPublished && !q.IncludeArchived {
			continue
		}
		h := Hit{Service: s, DistanceKm: -1}
		if len(want) > 0 {
			n := 0
			for _, t := range s.Thematiques {
				if want[t] {
					n++
				}
			}
			if n == 0 {
				continue
			}
			h.Score += 3 * n
		}
		if q.Type != "" && s.Type != q.Type || q.Fees != "" && s.Fees != q.Fees {
			continue
		}
		if q.Public != "" && len(s.Publics) > 0 && !slices.Contains(s.Publics, q.Public) && !slices.Contains(s.Publics, "tous-publics") {
			continue
		}
		if !s.Eligible(q.CommuneINSEE, q.Departement) {
			continue
		}
		if len(terms) > 0 {
			score, ok := textScore(s, terms)
			if !ok {
				continue
			}
			h.Score += score
		}
		if q.HasFrom && s.HasCoords() {
			h.DistanceKm = DistanceKm(q.FromLat, q.FromLon, s.Lat, s.Lon)
		}
		if q.HasFrom && q.RadiusKm > 0 && !s.Remote() && (h.DistanceKm < 0 || h.DistanceKm > q.RadiusKm) {
			continue
		}
		hits = append(hits, h)
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := CompareDistance(a.DistanceKm, b.DistanceKm); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(referential.Fold(a.Name), referential.Fold(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	if q.Limit > 0 && len(hits) > q.Limit {
		hits = hits[:q.Limit]
	}
	return hits
}

// CompareDistance orders distances, known ones (>= 0) first, nearest
// first: the order of search results of equal relevance.
func CompareDistance(a, b float64) int {
	switch {
	case a < 0 && b < 0:
		return 0
	case a < 0:
		return 1
	case b < 0:
		return -1
	}
	return cmp.Compare(a, b)
}

// textScore scores the words against the service: every word must appear
// (as the start of a word) in its name, structure or description.
func textScore(s Service, terms []string) (int, bool) {
	join := func(v string) string { return " " + strings.Join(words(v), " ") + " " }
	name, structure, desc := join(s.Name), join(s.StructureName), join(s.Description)
	score := 0
	for _, t := range terms {
		t = " " + t
		switch {
		case strings.Contains(name, t):
			score += 3
		case strings.Contains(structure, t):
			score += 2
		case strings.Contains(desc, t):
			score++
		default:
			return 0, false
		}
	}
	return score, true
}
