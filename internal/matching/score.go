package matching

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// earthRadiusKm is the mean radius of the Earth (IUGG).
const earthRadiusKm = 6371.0088

// point is a place in radians with the cosine of its latitude, computed once
// per place for the haversine formula.
type point struct{ lat, lon, cos float64 }

func toPoint(latDeg, lonDeg float64) point {
	const rad = math.Pi / 180
	lat := latDeg * rad
	return point{lat: lat, lon: lonDeg * rad, cos: math.Cos(lat)}
}

// km is the great-circle distance between two points (haversine formula).
func (a point) km(b point) float64 {
	s1 := math.Sin((b.lat - a.lat) / 2)
	s2 := math.Sin((b.lon - a.lon) / 2)
	h := s1*s1 + a.cos*b.cos*s2*s2
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}

// kmAtLeast returns a lower bound of the distance between a and the point
// at latDeg, lonDeg, with arithmetic and one square root: the haversine
// formula with sin x ≥ x − x³/6, cos φb ≥ cos φa − |φb − φa| and asin y ≥
// y, a hair smaller against rounding. Around Belfort it is short of the
// distance by at most 0.5 % (340 m at 60 km): close enough to skip most
// pairs that cannot be kept, at a fraction of the cost of the sines.
func kmAtLeast(a *point, latDeg, lonDeg float64) float64 {
	const rad, sixth = math.Pi / 180, 1.0 / 6
	dLat := math.Abs(latDeg*rad-a.lat) * 0.5
	dLon := math.Abs(lonDeg*rad-a.lon) * 0.5
	if dLon > math.Pi/2 { // the other way round the Earth
		dLon = math.Pi - dLon
	}
	// Both factors stay positive for half-angles up to π/2.
	s1 := dLat * (1 - dLat*dLat*sixth)
	s2 := dLon * (1 - dLon*dLon*sixth)
	cosB := a.cos - 2*dLat
	if cosB < 0 {
		cosB = 0
	}
	h := s1*s1 + a.cos*cosB*s2*s2
	return 2 * earthRadiusKm * (1 - 1e-9) * math.Sqrt(h)
}

// offerPlaced reports whether the offer's place is known: an offer without
// a commune has (0, 0), a point in the Gulf of Guinea.
func offerPlaced(o *Offer) bool { return o.Lat != 0 || o.Lon != 0 }

// level is how close the offer's job is to the person's project.
type level uint8

const (
	levelNone level = iota
	levelGrandDomaine
	levelDomaine
	levelROME
	levelAppellation
)

// proximity returns the most specific level at which the offer's job meets
// one of the person's.
func proximity(p *Profile, o *Offer) level {
	switch {
	case has(p.Appellations, o.Appellation):
		return levelAppellation
	case has(p.ROMECodes, o.ROMECode):
		return levelROME
	case has(p.Domaines, o.Domaine):
		return levelDomaine
	case has(p.GrandDomaines, o.GrandDomaine):
		return levelGrandDomaine
	}
	return levelNone
}

// has reports whether s, not empty, is in list: a person's lists are short
// (at most five target jobs), a scan beats a map, and comparing the first
// bytes first spares most calls to compare the strings.
func has(list []string, s string) bool {
	if s == "" {
		return false
	}
	for _, x := range list {
		if len(x) == len(s) && x[0] == s[0] && x == s {
			return true
		}
	}
	return false
}

// check is the outcome of a criterion that may not apply.
type check int8

const (
	unchecked check = iota
	met
	unmet
)

// transit outcomes for a person depending on public transport.
const (
	transitNone check = iota
	transitServed
	transitWalk
	transitUnserved
)

// facts is what evaluate found about a pair: the score is their sum, the
// reasons their wording (explain). Keeping the rules in evaluate and the
// words in explain lets the ranking score every candidate without building
// a string, then explain only the kept ones.
type facts struct {
	score    float64
	excluded bool
	level    level
	placed   bool
	km       float64
	radius   float64
	beyond   bool
	transit  check
	hours    bool // both the hours offered and wanted are known
	night    bool // night work against family constraints
	weekend  bool // weekend work against family constraints
	late     bool // available after the start of the post
	licence  check
	vehicle  check
	adapted  check
	contract check
}

// env is what evaluate needs beyond the pair, computed once per ranking.
type env struct {
	c      *Config
	now    time.Time
	nowSec int64
	// rest is the most that hours, availability, adaptation, contract and
	// freshness can add: with a bound of the distance points, it skips a
	// pair that cannot reach the floor.
	rest float64
}

func newEnv(c *Config, now time.Time) env {
	return env{c: c, now: now, nowSec: now.Unix(), rest: c.Hours + c.Availability + c.Adapted + c.Contract + c.Freshness}
}

// distancePoints is the distance curve (see Config): the points at km from
// home with the given radius, and whether km is beyond it. The points
// never rise with km, so the points at a lower bound of the distance bound
// the points at the distance.
func distancePoints(c *Config, km, radius float64) (pts float64, beyond bool) {
	if km <= radius {
		r := km / radius
		return c.Distance * (1 - r*r), false
	}
	return -c.BeyondRadiusPenalty - c.Distance*min(1, (km-radius)/radius), true
}

// evaluate scores an offer for a person. pp and op are the places of the
// person and the offer when the caller computed them once for many pairs,
// nil to compute them here. When full is false, evaluate stops as soon as
// the pair is excluded or cannot reach floor (ok is then false): the
// ranking's fast path, where pp or op must be given when both places are
// known. When full is true it goes through every criterion, so that the
// reasons of an excluded pair can be shown.
func evaluate(e *env, p *Profile, o *Offer, pp, op *point, floor float64, full bool) (f facts, ok bool) {
	c := e.c
	// Hard criteria first: the cheapest way out.
	if o.NeedsLicence {
		if p.Licence {
			f.licence = met
		} else {
			f.licence = unmet
			if c.LicenceMissing == Exclude {
				f.excluded = true
			} else {
				f.score -= c.LicencePenalty
			}
		}
	}
	if o.NeedsVehicle {
		if p.Vehicle {
			f.vehicle = met
		} else {
			f.vehicle = unmet
			if c.VehicleMissing == Exclude {
				f.excluded = true
			} else {
				f.score -= c.VehiclePenalty
			}
		}
	}
	f.night = o.Night && p.NoNight
	f.weekend = o.Weekend && p.NoWeekend
	if f.night || f.weekend {
		if c.ScheduleConflict == Exclude {
			f.excluded = true
		} else {
			f.score -= c.SchedulePenalty
		}
	} else {
		f.score += c.Schedule
	}
	if f.excluded && !full {
		return f, false
	}

	f.level = proximity(p, o)
	switch f.level {
	case levelAppellation:
		f.score += c.SameAppellation
	case levelROME:
		f.score += c.SameROME
	case levelDomaine:
		f.score += c.SameDomaine
	case levelGrandDomaine:
		f.score += c.SameGrandDomaine
	}
	f.radius = p.RadiusKm
	if !(f.radius > 0) {
		f.radius = c.DefaultRadiusKm
	}
	f.placed = p.HasPlace && offerPlaced(o)

	// The fast path skips a pair that cannot reach the floor even with the
	// most the other criteria can add, the distance bounded from below
	// without trigonometry.
	var most float64 // the most the distance can add
	if !full {
		if f.placed {
			var near float64
			if pp != nil {
				near = kmAtLeast(pp, o.Lat, o.Lon)
			} else {
				near = kmAtLeast(op, p.Lat, p.Lon)
			}
			var beyond bool
			if most, beyond = distancePoints(c, near, f.radius); beyond && c.BeyondRadius == Exclude {
				return f, false
			}
		}
		if f.score+most+e.rest < floor {
			return f, false
		}
	}

	if p.HoursWanted > 0 && o.WeeklyHours > 0 {
		f.hours = true
		gap := math.Abs(float64(o.WeeklyHours - p.HoursWanted))
		f.score += c.Hours * max(0, 1-gap/c.HoursGap)
	} else {
		f.score += c.Hours / 2
	}

	// Dates are days at midnight: available on the day the post starts is
	// in time.
	if !p.AvailableFrom.IsZero() {
		start := o.StartOn
		if start.Before(e.now) {
			start = e.now
		}
		f.late = p.AvailableFrom.After(start)
	}
	if !f.late {
		f.score += c.Availability
	}

	if p.NeedsAdapted {
		if o.DisabilityAdapted {
			f.adapted = met
			f.score += c.Adapted
		} else {
			f.adapted = unmet
		}
	}

	switch {
	case len(p.Contracts) == 0 || o.Contract == "":
		f.score += c.Contract / 2
	case has(p.Contracts, o.Contract):
		f.contract = met
		f.score += c.Contract
	default:
		f.contract = unmet
	}

	if !o.PublishedAt.IsZero() {
		age := float64(max(0, e.nowSec-o.PublishedAt.Unix())) / 86400 // days
		f.score += c.Freshness * max(0, 1-age/c.FreshDays)
	}

	if !full && f.score+most < floor {
		return f, false
	}
	if f.placed {
		var a, b point
		if pp != nil {
			a = *pp
		} else {
			a = toPoint(p.Lat, p.Lon)
		}
		if op != nil {
			b = *op
		} else {
			b = toPoint(o.Lat, o.Lon)
		}
		f.km = a.km(b)
		var pts float64
		pts, f.beyond = distancePoints(c, f.km, f.radius)
		if f.beyond && c.BeyondRadius == Exclude {
			f.excluded = true
		} else {
			f.score += pts
		}
	}

	if p.TransitOnly {
		switch {
		case o.TransitReachable:
			f.transit = transitServed
		case f.placed && f.km <= c.WalkKm:
			f.transit = transitWalk
		default:
			f.transit = transitUnserved
			if c.TransitUnreachable == Exclude {
				f.excluded = true
			} else {
				f.score -= c.TransitPenalty
			}
		}
	}
	return f, !f.excluded
}

// Score scores offer o for person p at time now, with its reasons in
// French, and reports whether the pair is kept: false when a hard criterion
// excludes it or it scores below c.MinScore (the Result still says why).
// The score is the same both ways; forPerson chooses the wording: true for
// the person reading their offers ("dans votre rayon"), false for a
// professional reading the people for an offer ("dans son rayon", and no
// freshness, the same for every person). The ID is the offer's when
// forPerson, the person's otherwise. c must be valid (Config.Validate).
func Score(c Config, p Profile, o Offer, now time.Time, forPerson bool) (Result, bool) {
	e := newEnv(&c, now)
	f, ok := evaluate(&e, &p, &o, nil, nil, math.Inf(-1), true)
	return result(&c, &f, &p, &o, now, forPerson), ok && f.score >= c.MinScore
}

// result builds the Result of a pair from its facts.
func result(c *Config, f *facts, p *Profile, o *Offer, now time.Time, forPerson bool) Result {
	r := Result{
		ID:          o.OfferID,
		Score:       f.score,
		Reasons:     explain(c, f, p, o, now, forPerson),
		HasDistance: f.placed,
		DistanceKm:  f.km,
	}
	if !forPerson {
		r.ID = p.PersonID
	}
	return r
}

// explain words the facts of a pair, in a stable order: job proximity,
// distance, means of transport, hours and schedule, requirements, contract,
// freshness.
func explain(c *Config, f *facts, p *Profile, o *Offer, now time.Time, forPerson bool) []string {
	your := "son"
	if forPerson {
		your = "votre"
	}
	rs := make([]string, 0, 8)
	switch f.level {
	case levelAppellation:
		rs = append(rs, "même métier")
	case levelROME:
		rs = append(rs, "même fiche ROME")
	case levelDomaine:
		rs = append(rs, "même domaine professionnel")
	case levelGrandDomaine:
		rs = append(rs, "même grand domaine")
	}

	switch {
	case !f.placed:
		rs = append(rs, "lieu inconnu")
	case f.beyond:
		rs = append(rs, "à "+kmText(f.km, f.radius, true)+", au-delà de "+your+" rayon de "+decimalText(f.radius)+" km")
	default:
		rs = append(rs, "à "+kmText(f.km, f.radius, false)+", dans "+your+" rayon de "+decimalText(f.radius)+" km")
	}

	switch f.transit {
	case transitServed:
		rs = append(rs, "accessible en transports en commun")
	case transitWalk:
		rs = append(rs, "accessible à pied")
	case transitUnserved:
		rs = append(rs, "non desservi en transports en commun")
	}

	if f.hours {
		h := strconv.Itoa(o.WeeklyHours) + " h par semaine"
		if o.WeeklyHours == p.HoursWanted {
			rs = append(rs, h+", comme souhaité")
		} else {
			rs = append(rs, h+" pour "+strconv.Itoa(p.HoursWanted)+" h souhaitées")
		}
	}
	if f.night {
		rs = append(rs, "travail de nuit : incompatible avec les contraintes familiales")
	}
	if f.weekend {
		rs = append(rs, "travail le week-end : incompatible avec les contraintes familiales")
	}
	if f.late {
		rs = append(rs, "disponible à partir du "+dateText(p.AvailableFrom)+", après le début du poste")
	}

	switch f.licence {
	case met:
		rs = append(rs, "permis requis : détenu")
	case unmet:
		rs = append(rs, "permis requis : non détenu")
	}
	switch f.vehicle {
	case met:
		rs = append(rs, "véhicule requis : disponible")
	case unmet:
		rs = append(rs, "véhicule requis : pas de véhicule")
	}
	switch f.adapted {
	case met:
		rs = append(rs, "poste adapté au handicap")
	case unmet:
		rs = append(rs, "adaptation du poste à vérifier")
	}

	switch f.contract {
	case met:
		rs = append(rs, contractText(o.Contract)+", comme souhaité")
	case unmet:
		rs = append(rs, contractText(o.Contract)+" : contrat non souhaité")
	}

	if forPerson && !o.PublishedAt.IsZero() {
		rs = append(rs, publishedText(now.Sub(o.PublishedAt)))
	}
	return rs
}

// kmText is a distance rounded to the kilometre, "moins d'1 km" under it.
// The rounding never crosses the radius: 20.3 km beyond a radius of 20 km
// reads "21 km", not "20 km, au-delà".
func kmText(km, radius float64, beyond bool) string {
	if km < 1 {
		return "moins d'1 km"
	}
	n := math.Round(km)
	if beyond && n <= radius {
		n = math.Ceil(km)
	}
	if !beyond && n > radius {
		n = math.Floor(km)
	}
	return intText(int64(n)) + " km"
}

// decimalText writes x, positive, with a decimal comma and at most one
// decimal: "20", "7,5".
func decimalText(x float64) string {
	tenths := int64(math.Round(x * 10))
	s := intText(tenths / 10)
	if d := tenths % 10; d != 0 {
		s += "," + strconv.FormatInt(d, 10)
	}
	return s
}

// intText writes n the French way, thousands apart with a no-break space:
// "1 250".
func intText(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "\u00a0" + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

var months = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// dateText is a day the French way: "1er mars 2026", "15 mars 2026".
func dateText(t time.Time) string {
	y, m, d := t.Date()
	day := strconv.Itoa(d)
	if d == 1 {
		day = "1er"
	}
	return day + " " + months[m-1] + " " + strconv.Itoa(y)
}

// publishedText is the age of an offer: "publiée aujourd'hui", "publiée
// hier", "publiée il y a 3 jours".
func publishedText(age time.Duration) string {
	days := int64(max(0, age) / (24 * time.Hour))
	switch days {
	case 0:
		return "publiée aujourd'hui"
	case 1:
		return "publiée hier"
	}
	return "publiée il y a " + intText(days) + " jours"
}

// contractLabels are the short French names of the contract codes of
// package employment (ContractType), as a reason reads them: matching
// imports no project package, and an unknown code is shown as is.
var contractLabels = map[string]string{
	"cdi":                  "CDI",
	"cdd":                  "CDD",
	"interim":              "intérim",
	"cddi":                 "CDD d'insertion",
	"cdi_inclusion":        "CDI inclusion",
	"apprentissage":        "contrat d'apprentissage",
	"professionnalisation": "contrat de professionnalisation",
	"pmsmp":                "immersion (PMSMP)",
}

func contractText(code string) string {
	if l, ok := contractLabels[code]; ok {
		return l
	}
	return code
}
