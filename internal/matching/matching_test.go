package matching

import (
	"slices"
	"testing"
	"time"
)

// now is the fixed "now" of the tests: Monday 2 March 2026, 10:00.
var now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// Belfort's centre; the places of the tests lie due north of it, where a
// kilometre is exactly 1/111.195… of a degree of latitude.
const belfortLat, belfortLon = 47.6380, 6.8628

func northLat(km float64) float64 { return belfortLat + km/(earthRadiusKm*3.141592653589793/180) }

// job is a ROME appellation with its ROME code; the domaine and grand
// domaine are the code's prefixes, as in the ROME.
type job struct{ appellation, rome string }

var (
	aideDomicile  = job{"aide-a-domicile", "K1302"}           // the person's project
	auxiliaireVie = job{"auxiliaire-de-vie-sociale", "K1302"} // same ROME code
	accompagnant  = job{"accompagnant-educatif", "K1301"}     // same domaine K13
	agentProprete = job{"agent-de-proprete", "K2204"}         // same grand domaine K
	cariste       = job{"cariste", "N1101"}                   // unrelated
)

// seeker is a person of Belfort (or km north of it) whose project is aide à
// domicile, with a 20 km radius, a licence and a vehicle, and no other
// wish.
func seeker(id int64, km float64, jobs ...job) Profile {
	if len(jobs) == 0 {
		jobs = []job{aideDomicile}
	}
	p := Profile{PersonID: id, HasPlace: true, Lat: northLat(km), Lon: belfortLon, RadiusKm: 20, Licence: true, Vehicle: true}
	for _, j := range jobs {
		p.Appellations = append(p.Appellations, j.appellation)
		p.ROMECodes = appendNew(p.ROMECodes, j.rome)
		p.Domaines = appendNew(p.Domaines, j.rome[:3])
		p.GrandDomaines = appendNew(p.GrandDomaines, j.rome[:1])
	}
	return p
}

// post is an offer for job km north of Belfort, published three days ago,
// whose hours and contract are not given.
func post(id int64, j job, km float64) Offer {
	return Offer{
		OfferID: id, Appellation: j.appellation, ROMECode: j.rome, Domaine: j.rome[:3], GrandDomaine: j.rome[:1],
		Lat: northLat(km), Lon: belfortLon,
		PublishedAt: now.AddDate(0, 0, -3),
	}
}

// with returns v changed by f.
func with[T any](v T, f func(*T)) T {
	f(&v)
	return v
}

func TestRanking(t *testing.T) {
	type rankCase struct {
		name string
		// Either a person and offers (TopOffers), or an offer and people
		// (TopPeople).
		person Profile
		offers []Offer
		offer  Offer
		people []Profile
		tweak  func(*Config)
		n      int // 20 when 0
		want   []int64
		// reasons of the first result
		reasons []string
	}
	fresh := "publiée il y a 3 jours"
	noLicence := func(p *Profile) { p.Licence, p.Vehicle = false, false }
	transitOnly := func(p *Profile) { p.Licence, p.Vehicle, p.TransitOnly = false, false, true }
	cases := []rankCase{
		{
			name:    "same job nearby ranks above same domaine next door",
			person:  seeker(1, 0),
			offers:  []Offer{post(1, accompagnant, 2), post(2, aideDomicile, 12)},
			want:    []int64{2, 1},
			reasons: []string{"même métier", "à 12 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "job levels: appellation, ROME code, domaine, grand domaine, unrelated",
			person:  seeker(1, 0),
			offers:  []Offer{post(1, cariste, 5), post(2, agentProprete, 5), post(3, accompagnant, 5), post(4, auxiliaireVie, 5), post(5, aideDomicile, 5)},
			want:    []int64{5, 4, 3, 2, 1},
			reasons: []string{"même métier", "à 5 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "same ROME code ranks above same domaine",
			person:  seeker(1, 0),
			offers:  []Offer{post(1, accompagnant, 3), post(2, auxiliaireVie, 9)},
			want:    []int64{2, 1},
			reasons: []string{"même fiche ROME", "à 9 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "same domaine ranks above same grand domaine",
			person:  seeker(1, 0),
			offers:  []Offer{post(1, agentProprete, 3), post(2, accompagnant, 9)},
			want:    []int64{2, 1},
			reasons: []string{"même domaine professionnel", "à 9 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "same grand domaine ranks above an unrelated job, which has no job reason",
			person:  seeker(1, 0),
			offers:  []Offer{post(1, cariste, 3), post(2, agentProprete, 9)},
			want:    []int64{2, 1},
			reasons: []string{"même grand domaine", "à 9 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "the best of several target jobs counts",
			person:  seeker(1, 0, cariste, accompagnant),
			offers:  []Offer{post(1, aideDomicile, 5), post(2, cariste, 5)},
			want:    []int64{2, 1},
			reasons: []string{"même métier", "à 5 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "same job beyond the radius ranks below same domaine within (penalize)",
			person:  seeker(1, 0),
			offers:  []Offer{post(1, aideDomicile, 22), post(2, accompagnant, 10)},
			want:    []int64{2, 1},
			reasons: []string{"même domaine professionnel", "à 10 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "same job beyond the radius ranks below the same job within",
			person:  seeker(1, 0),
			offers:  []Offer{post(1, aideDomicile, 35), post(2, aideDomicile, 19)},
			want:    []int64{2, 1},
			n:       2,
			reasons: []string{"même métier", "à 19 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "beyond the radius, alone: the reason says how far",
			person:  seeker(1, 0),
			offers:  []Offer{post(1, aideDomicile, 35)},
			want:    []int64{1},
			reasons: []string{"même métier", "à 35 km, au-delà de votre rayon de 20 km", fresh},
		},
		{
			name:    "beyond the radius dropped when configured to exclude",
			person:  seeker(1, 0),
			offers:  []Offer{post(1, aideDomicile, 20.4), post(2, cariste, 5)},
			tweak:   func(c *Config) { c.BeyondRadius = Exclude },
			want:    []int64{2},
			reasons: []string{"à 5 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "licence required and not held: excluded by default",
			person:  with(seeker(1, 0), noLicence),
			offers:  []Offer{with(post(1, aideDomicile, 2), func(o *Offer) { o.NeedsLicence = true }), post(2, accompagnant, 10)},
			want:    []int64{2},
			reasons: []string{"même domaine professionnel", "à 10 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "licence required and not held, penalized: ranked below same domaine",
			person:  with(seeker(1, 0), noLicence),
			offers:  []Offer{with(post(1, aideDomicile, 2), func(o *Offer) { o.NeedsLicence = true }), post(2, accompagnant, 10)},
			tweak:   func(c *Config) { c.LicenceMissing = Penalize },
			want:    []int64{2, 1},
			reasons: []string{"même domaine professionnel", "à 10 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "licence required and not held, penalized: flagged",
			person:  with(seeker(1, 0), noLicence),
			offers:  []Offer{post(1, cariste, 2), with(post(2, aideDomicile, 2), func(o *Offer) { o.NeedsLicence = true })},
			tweak:   func(c *Config) { c.LicenceMissing = Penalize },
			want:    []int64{2, 1},
			reasons: []string{"même métier", "à 2 km, dans votre rayon de 20 km", "permis requis : non détenu", fresh},
		},
		{
			name:    "licence required and held",
			person:  seeker(1, 0),
			offers:  []Offer{with(post(1, aideDomicile, 4), func(o *Offer) { o.NeedsLicence = true })},
			want:    []int64{1},
			reasons: []string{"même métier", "à 4 km, dans votre rayon de 20 km", "permis requis : détenu", fresh},
		},
		{
			name:    "vehicle required, none: penalized by default, below same ROME code",
			person:  with(seeker(1, 0), func(p *Profile) { p.Vehicle = false }),
			offers:  []Offer{with(post(1, aideDomicile, 5), func(o *Offer) { o.NeedsLicence, o.NeedsVehicle = true, true }), post(2, auxiliaireVie, 5)},
			want:    []int64{2, 1},
			reasons: []string{"même fiche ROME", "à 5 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "vehicle required, none: flagged",
			person:  with(seeker(1, 0), func(p *Profile) { p.Vehicle = false }),
			offers:  []Offer{with(post(1, aideDomicile, 5), func(o *Offer) { o.NeedsLicence, o.NeedsVehicle = true, true })},
			want:    []int64{1},
			reasons: []string{"même métier", "à 5 km, dans votre rayon de 20 km", "permis requis : détenu", "véhicule requis : pas de véhicule", fresh},
		},
		{
			name:    "vehicle required, none: excluded when configured",
			person:  with(seeker(1, 0), func(p *Profile) { p.Vehicle = false }),
			offers:  []Offer{with(post(1, aideDomicile, 5), func(o *Offer) { o.NeedsVehicle = true }), post(2, cariste, 5)},
			tweak:   func(c *Config) { c.VehicleMissing = Exclude },
			want:    []int64{2},
			reasons: []string{"à 5 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "transit-only person: a served offer ranks above a nearer unserved one",
			person:  with(seeker(1, 0), transitOnly),
			offers:  []Offer{post(1, aideDomicile, 8), with(post(2, aideDomicile, 12), func(o *Offer) { o.TransitReachable = true })},
			want:    []int64{2, 1},
			reasons: []string{"même métier", "à 12 km, dans votre rayon de 20 km", "accessible en transports en commun", fresh},
		},
		{
			name:    "transit-only person: an unserved offer is flagged",
			person:  with(seeker(1, 0), transitOnly),
			offers:  []Offer{post(1, aideDomicile, 8)},
			want:    []int64{1},
			reasons: []string{"même métier", "à 8 km, dans votre rayon de 20 km", "non desservi en transports en commun", fresh},
		},
		{
			name:    "transit-only person: an unserved offer within walking distance is fine",
			person:  with(seeker(1, 0), transitOnly),
			offers:  []Offer{post(1, aideDomicile, 1.2)},
			want:    []int64{1},
			reasons: []string{"même métier", "à 1 km, dans votre rayon de 20 km", "accessible à pied", fresh},
		},
		{
			name:    "transit-only person: unserved offers dropped when configured",
			person:  with(seeker(1, 0), transitOnly),
			offers:  []Offer{post(1, aideDomicile, 8), with(post(2, cariste, 5), func(o *Offer) { o.TransitReachable = true })},
			tweak:   func(c *Config) { c.TransitUnreachable = Exclude },
			want:    []int64{2},
			reasons: []string{"à 5 km, dans votre rayon de 20 km", "accessible en transports en commun", fresh},
		},
		{
			name:    "night work against family constraints: excluded by default",
			person:  with(seeker(1, 0), func(p *Profile) { p.NoNight = true }),
			offers:  []Offer{with(post(1, aideDomicile, 2), func(o *Offer) { o.Night = true }), post(2, accompagnant, 5)},
			want:    []int64{2},
			reasons: []string{"même domaine professionnel", "à 5 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "night work without family constraints is no obstacle",
			person:  with(seeker(1, 0), func(p *Profile) { p.NoWeekend = true }),
			offers:  []Offer{with(post(1, aideDomicile, 2), func(o *Offer) { o.Night = true }), post(2, accompagnant, 5)},
			want:    []int64{1, 2},
			reasons: []string{"même métier", "à 2 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "weekend work against family constraints, penalized: flagged",
			person:  with(seeker(1, 0), func(p *Profile) { p.NoWeekend = true }),
			offers:  []Offer{post(1, cariste, 2), with(post(2, aideDomicile, 2), func(o *Offer) { o.Weekend = true })},
			tweak:   func(c *Config) { c.ScheduleConflict = Penalize },
			want:    []int64{2, 1},
			reasons: []string{"même métier", "à 2 km, dans votre rayon de 20 km", "travail le week-end : incompatible avec les contraintes familiales", fresh},
		},
		{
			name:    "hours far from those wanted rank lower",
			person:  with(seeker(1, 0), func(p *Profile) { p.HoursWanted = 20 }),
			offers:  []Offer{with(post(1, aideDomicile, 5), func(o *Offer) { o.WeeklyHours = 35 }), with(post(2, aideDomicile, 5), func(o *Offer) { o.WeeklyHours = 24 })},
			want:    []int64{2, 1},
			reasons: []string{"même métier", "à 5 km, dans votre rayon de 20 km", "24 h par semaine pour 20 h souhaitées", fresh},
		},
		{
			name:    "hours as wanted",
			person:  with(seeker(1, 0), func(p *Profile) { p.HoursWanted = 24 }),
			offers:  []Offer{with(post(1, aideDomicile, 5), func(o *Offer) { o.WeeklyHours = 20 }), with(post(2, aideDomicile, 5), func(o *Offer) { o.WeeklyHours = 24 })},
			want:    []int64{2, 1},
			reasons: []string{"même métier", "à 5 km, dans votre rayon de 20 km", "24 h par semaine, comme souhaité", fresh},
		},
		{
			name:   "available after the start of the post ranks lower",
			person: with(seeker(1, 0), func(p *Profile) { p.AvailableFrom = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC) }),
			offers: []Offer{
				with(post(1, aideDomicile, 5), func(o *Offer) { o.StartOn = time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC) }),
				with(post(2, aideDomicile, 5), func(o *Offer) { o.StartOn = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC) }),
			},
			want:    []int64{2, 1},
			reasons: []string{"même métier", "à 5 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "contract wanted ranks higher",
			person:  with(seeker(1, 0), func(p *Profile) { p.Contracts = []string{"cdi", "cdi_inclusion"} }),
			offers:  []Offer{with(post(1, aideDomicile, 5), func(o *Offer) { o.Contract = "cdd" }), with(post(2, aideDomicile, 5), func(o *Offer) { o.Contract = "cdi" })},
			want:    []int64{2, 1},
			reasons: []string{"même métier", "à 5 km, dans votre rayon de 20 km", "CDI, comme souhaité", fresh},
		},
		{
			name:    "contract not wanted is said",
			person:  with(seeker(1, 0), func(p *Profile) { p.Contracts = []string{"cdi"} }),
			offers:  []Offer{with(post(1, aideDomicile, 5), func(o *Offer) { o.Contract = "interim" })},
			want:    []int64{1},
			reasons: []string{"même métier", "à 5 km, dans votre rayon de 20 km", "intérim : contrat non souhaité", fresh},
		},
		{
			name:   "freshness breaks a tie",
			person: seeker(1, 0),
			offers: []Offer{
				with(post(1, aideDomicile, 5), func(o *Offer) { o.PublishedAt = now.AddDate(0, 0, -20) }),
				with(post(2, aideDomicile, 5), func(o *Offer) { o.PublishedAt = now.Add(-30 * time.Hour) }),
				with(post(3, aideDomicile, 5), func(o *Offer) { o.PublishedAt = now.AddDate(0, 0, -45) }),
			},
			want:    []int64{2, 1, 3},
			reasons: []string{"même métier", "à 5 km, dans votre rayon de 20 km", "publiée hier"},
		},
		{
			name:    "an adapted post ranks higher for a person who needs one",
			person:  with(seeker(1, 0), func(p *Profile) { p.NeedsAdapted = true }),
			offers:  []Offer{post(1, aideDomicile, 3), with(post(2, aideDomicile, 6), func(o *Offer) { o.DisabilityAdapted = true })},
			want:    []int64{2, 1},
			reasons: []string{"même métier", "à 6 km, dans votre rayon de 20 km", "poste adapté au handicap", fresh},
		},
		{
			name:    "a post not known as adapted is to be checked",
			person:  with(seeker(1, 0), func(p *Profile) { p.NeedsAdapted = true }),
			offers:  []Offer{post(1, aideDomicile, 3)},
			want:    []int64{1},
			reasons: []string{"même métier", "à 3 km, dans votre rayon de 20 km", "adaptation du poste à vérifier", fresh},
		},
		{
			name:    "unknown commune: no distance, the job decides",
			person:  with(seeker(1, 0), func(p *Profile) { p.HasPlace = false }),
			offers:  []Offer{post(1, accompagnant, 1), post(2, aideDomicile, 30)},
			want:    []int64{2, 1},
			reasons: []string{"même métier", "lieu inconnu", fresh},
		},
		{
			name:    "offer without a place ranks below the same job placed within the radius",
			person:  seeker(1, 0),
			offers:  []Offer{with(post(1, aideDomicile, 0), func(o *Offer) { o.Lat, o.Lon = 0, 0 }), post(2, aideDomicile, 12)},
			want:    []int64{2, 1},
			reasons: []string{"même métier", "à 12 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "no radius given: 15 km",
			person:  with(seeker(1, 0), func(p *Profile) { p.RadiusKm = 0 }),
			offers:  []Offer{post(1, aideDomicile, 17), post(2, aideDomicile, 12)},
			want:    []int64{2, 1},
			reasons: []string{"même métier", "à 12 km, dans votre rayon de 15 km", fresh},
		},
		{
			name:    "under a kilometre, a radius with a decimal",
			person:  with(seeker(1, 0), func(p *Profile) { p.RadiusKm = 7.5 }),
			offers:  []Offer{post(1, aideDomicile, 0.4)},
			want:    []int64{1},
			reasons: []string{"même métier", "à moins d'1 km, dans votre rayon de 7,5 km", fresh},
		},
		{
			name:    "results under MinScore are dropped",
			person:  seeker(1, 0),
			offers:  []Offer{post(1, cariste, 1), post(2, aideDomicile, 15), post(3, agentProprete, 1)},
			tweak:   func(c *Config) { c.MinScore = 50 },
			want:    []int64{2},
			reasons: []string{"même métier", "à 15 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "n larger than the candidates: all of them",
			person:  seeker(1, 0),
			offers:  []Offer{post(1, cariste, 1), post(2, aideDomicile, 15), post(3, agentProprete, 1)},
			n:       50,
			want:    []int64{2, 3, 1},
			reasons: []string{"même métier", "à 15 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "only the best n are kept",
			person:  seeker(1, 0),
			offers:  []Offer{post(1, cariste, 1), post(2, aideDomicile, 15), post(3, agentProprete, 1), post(4, auxiliaireVie, 1)},
			n:       2,
			want:    []int64{4, 2},
			reasons: []string{"même fiche ROME", "à 1 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "ties: the nearer first",
			person:  seeker(1, 0),
			offers:  []Offer{post(1, aideDomicile, 10), post(2, aideDomicile, 3), post(3, aideDomicile, 6)},
			tweak:   func(c *Config) { c.Distance = 0 },
			want:    []int64{2, 3, 1},
			reasons: []string{"même métier", "à 3 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "ties at the same place: the smaller ID first, an unknown place last",
			person:  seeker(1, 0),
			offers:  []Offer{post(3, aideDomicile, 4), with(post(1, aideDomicile, 0), func(o *Offer) { o.Lat, o.Lon = 0, 0 }), post(4, aideDomicile, 4), post(2, aideDomicile, 4)},
			tweak:   func(c *Config) { c.Distance = 0 },
			want:    []int64{2, 3, 4, 1},
			reasons: []string{"même métier", "à 4 km, dans votre rayon de 20 km", fresh},
		},
		{
			name:    "ties beyond the n kept: the nearer, then the smaller ID, even when seen last",
			person:  seeker(1, 0),
			offers:  []Offer{post(4, aideDomicile, 8), post(3, aideDomicile, 8), post(2, aideDomicile, 2), post(1, aideDomicile, 2)},
			tweak:   func(c *Config) { c.Distance = 0 },
			n:       2,
			want:    []int64{1, 2},
			reasons: []string{"même métier", "à 2 km, dans votre rayon de 20 km", fresh},
		},

		// People for an offer, worded for a professional.
		{
			name:    "people: same job ranks above same domaine nearer, in the third person",
			offer:   post(1, aideDomicile, 0),
			people:  []Profile{seeker(1, 2, accompagnant), seeker(2, 12)},
			want:    []int64{2, 1},
			reasons: []string{"même métier", "à 12 km, dans son rayon de 20 km"},
		},
		{
			name:    "people: beyond their own radius ranks below",
			offer:   post(1, aideDomicile, 0),
			people:  []Profile{with(seeker(1, 12), func(p *Profile) { p.RadiusKm = 10 }), with(seeker(2, 12), func(p *Profile) { p.RadiusKm = 30 }), seeker(3, 5, accompagnant)},
			want:    []int64{2, 3, 1},
			reasons: []string{"même métier", "à 12 km, dans son rayon de 30 km"},
		},
		{
			name:    "people: beyond the radius is said in the third person",
			offer:   post(1, aideDomicile, 0),
			people:  []Profile{with(seeker(1, 12), func(p *Profile) { p.RadiusKm = 10 })},
			want:    []int64{1},
			reasons: []string{"même métier", "à 12 km, au-delà de son rayon de 10 km"},
		},
		{
			name:    "people: licence required, those without one excluded by default",
			offer:   with(post(1, aideDomicile, 0), func(o *Offer) { o.NeedsLicence = true }),
			people:  []Profile{with(seeker(1, 2), noLicence), seeker(2, 5, accompagnant)},
			want:    []int64{2},
			reasons: []string{"même domaine professionnel", "à 5 km, dans son rayon de 20 km", "permis requis : détenu"},
		},
		{
			name:    "people: licence required, penalized: flagged",
			offer:   with(post(1, aideDomicile, 0), func(o *Offer) { o.NeedsLicence = true }),
			people:  []Profile{seeker(2, 2, cariste), with(seeker(1, 2), noLicence)},
			tweak:   func(c *Config) { c.LicenceMissing = Penalize },
			want:    []int64{1, 2},
			reasons: []string{"même métier", "à 2 km, dans son rayon de 20 km", "permis requis : non détenu"},
		},
		{
			name:    "people: night work excludes those with family constraints",
			offer:   with(post(1, aideDomicile, 0), func(o *Offer) { o.Night = true }),
			people:  []Profile{with(seeker(1, 2), func(p *Profile) { p.NoNight = true }), seeker(2, 5, accompagnant)},
			want:    []int64{2},
			reasons: []string{"même domaine professionnel", "à 5 km, dans son rayon de 20 km"},
		},
		{
			name:    "people: depending on public transport, an unserved offer is flagged",
			offer:   post(1, aideDomicile, 0),
			people:  []Profile{with(seeker(1, 8), transitOnly)},
			want:    []int64{1},
			reasons: []string{"même métier", "à 8 km, dans son rayon de 20 km", "non desservi en transports en commun"},
		},
		{
			name: "people: hours, availability and contract",
			offer: with(post(1, aideDomicile, 0), func(o *Offer) {
				o.WeeklyHours, o.Contract, o.StartOn = 24, "cdi", time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
			}),
			people: []Profile{
				with(seeker(1, 3), func(p *Profile) {
					p.HoursWanted, p.Contracts = 24, []string{"cdi"}
					p.AvailableFrom = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
				}),
				with(seeker(2, 3), func(p *Profile) { p.HoursWanted, p.Contracts = 35, []string{"cdd"} }),
			},
			want:    []int64{1, 2},
			reasons: []string{"même métier", "à 3 km, dans son rayon de 20 km", "24 h par semaine, comme souhaité", "disponible à partir du 1er avril 2026, après le début du poste", "CDI, comme souhaité"},
		},
		{
			name:    "people: unknown commune ranks below the same job placed",
			offer:   post(1, aideDomicile, 0),
			people:  []Profile{with(seeker(1, 0), func(p *Profile) { p.HasPlace = false }), seeker(2, 10)},
			want:    []int64{2, 1},
			reasons: []string{"même métier", "à 10 km, dans son rayon de 20 km"},
		},
		{
			name:    "people: ties, the nearer then the smaller ID",
			offer:   post(1, aideDomicile, 0),
			people:  []Profile{seeker(5, 8), seeker(3, 2), seeker(4, 8), seeker(9, 2)},
			tweak:   func(c *Config) { c.Distance = 0 },
			want:    []int64{3, 9, 4, 5},
			reasons: []string{"même métier", "à 2 km, dans son rayon de 20 km"},
		},
		{
			name:    "people: MinScore and n",
			offer:   post(1, aideDomicile, 0),
			people:  []Profile{seeker(1, 3, cariste), seeker(2, 3), seeker(3, 4), seeker(4, 5)},
			tweak:   func(c *Config) { c.MinScore = 45 },
			n:       5,
			want:    []int64{2, 3, 4},
			reasons: []string{"même métier", "à 3 km, dans son rayon de 20 km"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			if tc.tweak != nil {
				tc.tweak(&c)
			}
			if err := c.Validate(); err != nil {
				t.Fatalf("config: %v", err)
			}
			n := tc.n
			if n == 0 {
				n = 20
			}
			var got []Result
			if tc.people != nil {
				got = TopPeople(c, tc.offer, tc.people, now, n)
			} else {
				got = TopOffers(c, tc.person, tc.offers, now, n)
			}
			var ids []int64
			for _, r := range got {
				ids = append(ids, r.ID)
			}
			if !slices.Equal(ids, tc.want) {
				t.Errorf("order = %v, want %v", ids, tc.want)
				for _, r := range got {
					t.Logf("  %d: %.2f %q", r.ID, r.Score, r.Reasons)
				}
			}
			if len(got) > 0 && !slices.Equal(got[0].Reasons, tc.reasons) {
				t.Errorf("reasons of the first = %q, want %q", got[0].Reasons, tc.reasons)
			}
		})
	}
	if len(cases) < 30 {
		t.Errorf("%d cases, the issue asks for at least 30", len(cases))
	}
}
