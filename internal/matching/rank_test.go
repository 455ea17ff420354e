package matching

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// bruteTop ranks with Score and a full sort: what TopOffers and TopPeople
// must return, without their heap and their shortcuts.
func bruteTop(rs []Result, n int) []Result {
	slices.SortFunc(rs, func(a, b Result) int {
		ea, eb := entry{score: a.Score, km: resultKm(a), id: a.ID}, entry{score: b.Score, km: resultKm(b), id: b.ID}
		switch {
		case better(&ea, &eb):
			return -1
		case better(&eb, &ea):
			return 1
		}
		return 0
	})
	return rs[:min(n, len(rs))]
}

func resultKm(r Result) float64 {
	if !r.HasDistance {
		return math.Inf(1)
	}
	return r.DistanceKm
}

// configs are the default and a configuration that excludes nothing, with
// a minimum score, to test the shortcuts under both.
func configs() map[string]Config {
	lenient := DefaultConfig()
	lenient.LicenceMissing, lenient.ScheduleConflict, lenient.BeyondRadius = Penalize, Penalize, Penalize
	lenient.MinScore = 35
	strict := DefaultConfig()
	strict.BeyondRadius, strict.TransitUnreachable, strict.VehicleMissing = Exclude, Exclude, Exclude
	return map[string]Config{"default": DefaultConfig(), "lenient": lenient, "strict": strict}
}

func TestTopOffersMatchesFullSort(t *testing.T) {
	sets := []struct {
		name   string
		offers []Offer
		people []Profile
	}{
		{"spread", benchOffers(5000, 3), benchProfiles(40, 4)},
		{"dense", denseOffers(600), []Profile{denseSeeker()}},
	}
	for _, set := range sets {
		for name, c := range configs() {
			for _, p := range set.people {
				var all []Result
				for _, o := range set.offers {
					if r, ok := Score(c, p, o, benchNow, true); ok {
						all = append(all, r)
					}
				}
				for _, n := range []int{1, 20, 100, 300} {
					got := TopOffers(c, p, set.offers, benchNow, n)
					want := bruteTop(slices.Clone(all), n)
					if !equalResults(got, want) {
						t.Fatalf("%s, %s, person %d, n=%d:\n got %v\nwant %v", set.name, name, p.PersonID, n, brief(got), brief(want))
					}
				}
			}
		}
	}
}

// denseSeeker and denseOffers make many offers of the same job close to
// the person, differing by every other criterion, so that the ranking's
// shortcuts are tested where scores crowd around the floor.
func denseSeeker() Profile {
	p := seeker(1, 0)
	p.HoursWanted, p.Contracts, p.NeedsAdapted = 30, []string{"cdi"}, true
	p.TransitOnly, p.Vehicle, p.NoWeekend = true, false, true
	return p
}

func denseOffers(n int) []Offer {
	r := rand.New(rand.NewPCG(13, 14))
	offers := make([]Offer, n)
	for i := range offers {
		o := post(int64(i+1), []job{aideDomicile, auxiliaireVie}[r.IntN(2)], r.Float64()*r.Float64()*25)
		o.WeeklyHours = 28 + r.IntN(5)
		o.Contract = []string{"cdi", "cdi", "cdi", "cdd", ""}[r.IntN(5)]
		o.DisabilityAdapted = r.IntN(4) > 0
		o.TransitReachable = r.IntN(4) > 0
		o.Weekend = r.IntN(10) == 0
		o.NeedsVehicle = r.IntN(10) == 0
		o.PublishedAt = benchNow.Add(-time.Duration(r.IntN(4*24)+r.IntN(2)*r.IntN(40*24)) * time.Hour)
		o.StartOn = benchNow.AddDate(0, 0, r.IntN(20)-5)
		if r.IntN(50) == 0 {
			o.Lat, o.Lon = 0, 0
		}
		offers[i] = o
	}
	return offers
}

func TestTopPeopleMatchesFullSort(t *testing.T) {
	people := benchProfiles(5000, 5)
	offers := benchOffers(40, 6)
	for name, c := range configs() {
		for _, o := range offers {
			var all []Result
			for _, p := range people {
				if r, ok := Score(c, p, o, benchNow, false); ok {
					all = append(all, r)
				}
			}
			for _, n := range []int{1, 50} {
				got := TopPeople(c, o, people, benchNow, n)
				want := bruteTop(slices.Clone(all), n)
				if !equalResults(got, want) {
					t.Fatalf("%s, offer %d, n=%d:\n got %v\nwant %v", name, o.OfferID, n, brief(got), brief(want))
				}
			}
		}
	}
}

func equalResults(a, b []Result) bool {
	return slices.EqualFunc(a, b, func(x, y Result) bool {
		return x.ID == y.ID && x.Score == y.Score && x.HasDistance == y.HasDistance && x.DistanceKm == y.DistanceKm && slices.Equal(x.Reasons, y.Reasons)
	})
}

func brief(rs []Result) []int64 {
	var ids []int64
	for _, r := range rs {
		ids = append(ids, r.ID)
	}
	return ids
}

func TestTopNothing(t *testing.T) {
	c := DefaultConfig()
	p, o := seeker(1, 0), post(1, aideDomicile, 3)
	for _, got := range [][]Result{
		TopOffers(c, p, []Offer{o}, now, 0),
		TopOffers(c, p, nil, now, 10),
		TopPeople(c, o, []Profile{p}, now, -1),
		TopPeople(c, o, nil, now, 10),
	} {
		if len(got) != 0 {
			t.Errorf("got %v, want nothing", got)
		}
	}
}

// TestTopAllocations checks that the ranking allocates per call, not per
// candidate: ranking 10 or 20,000 candidates costs the same allocations.
func TestTopAllocations(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts in -short mode are skipped")
	}
	c := DefaultConfig()
	offers := benchOffers(20_000, 11)
	people := benchProfiles(20_000, 12)
	p := people[0]
	small := allocs(func() { TopOffers(c, p, offers[:10], benchNow, 5) })
	large := allocs(func() { TopOffers(c, p, offers, benchNow, 5) })
	if large > small+20 { // the reasons of other kept offers may differ a little
		t.Errorf("TopOffers: %v allocations for 20,000 offers, %v for 10: allocations per offer", large, small)
	}
	o := offers[0]
	small = allocs(func() { TopPeople(c, o, people[:10], benchNow, 5) })
	large = allocs(func() { TopPeople(c, o, people, benchNow, 5) })
	if large > small+20 {
		t.Errorf("TopPeople: %v allocations for 20,000 people, %v for 10: allocations per person", large, small)
	}
}

func allocs(f func()) float64 { return testing.AllocsPerRun(5, f) }

func TestScoreSameBothWays(t *testing.T) {
	c := DefaultConfig()
	c.LicenceMissing = Penalize
	p := with(seeker(7, 0), func(p *Profile) { p.Licence, p.Vehicle, p.TransitOnly = false, false, true })
	o := with(post(3, auxiliaireVie, 23), func(o *Offer) { o.NeedsLicence = true })
	mine, ok1 := Score(c, p, o, now, true)
	theirs, ok2 := Score(c, p, o, now, false)
	if mine.Score != theirs.Score || ok1 != ok2 {
		t.Errorf("Score for the person %v (%v), for the professional %v (%v): want the same", mine.Score, ok1, theirs.Score, ok2)
	}
	if mine.ID != 3 || theirs.ID != 7 {
		t.Errorf("IDs %d and %d, want the offer's (3) then the person's (7)", mine.ID, theirs.ID)
	}
	wantMine := []string{"même fiche ROME", "à 23 km, au-delà de votre rayon de 20 km", "non desservi en transports en commun", "permis requis : non détenu", fresh3}
	wantTheirs := []string{"même fiche ROME", "à 23 km, au-delà de son rayon de 20 km", "non desservi en transports en commun", "permis requis : non détenu"}
	if !slices.Equal(mine.Reasons, wantMine) {
		t.Errorf("for the person: %q, want %q", mine.Reasons, wantMine)
	}
	if !slices.Equal(theirs.Reasons, wantTheirs) {
		t.Errorf("for the professional: %q, want %q", theirs.Reasons, wantTheirs)
	}
}

const fresh3 = "publiée il y a 3 jours"

// TestScoreExcludedSaysWhy checks that an excluded pair still carries its
// reasons, for a professional asking why a person is not proposed.
func TestScoreExcludedSaysWhy(t *testing.T) {
	c := DefaultConfig()
	p := with(seeker(1, 0), func(p *Profile) { p.Licence, p.Vehicle, p.NoNight = false, false, true })
	o := with(post(2, aideDomicile, 5), func(o *Offer) { o.NeedsLicence, o.Night = true, true })
	r, ok := Score(c, p, o, now, false)
	if ok {
		t.Fatalf("Score kept the pair (%v), want it excluded", r.Score)
	}
	want := []string{"même métier", "à 5 km, dans son rayon de 20 km", "travail de nuit : incompatible avec les contraintes familiales", "permis requis : non détenu"}
	if !slices.Equal(r.Reasons, want) {
		t.Errorf("reasons %q, want %q", r.Reasons, want)
	}

	c.MinScore = 1000
	if _, ok := Score(c, seeker(1, 0), post(2, aideDomicile, 5), now, true); ok {
		t.Error("Score kept a pair below MinScore")
	}
}

func TestDistanceCurve(t *testing.T) {
	c := DefaultConfig()
	c.Hours, c.Schedule, c.Availability, c.Contract, c.Freshness = 0, 0, 0, 0, 0
	c.SameAppellation = 40
	p := seeker(1, 0) // radius 20 km
	cases := []struct {
		km, want float64
	}{
		{0, 60},        // full
		{10, 55},       // 40 + 20 × (1 − 0.25)
		{19.99, 40.02}, // 0 at the radius
		{20.5, 29.5},   // a step: −10 − 20 × 0.5/20
		{30, 20},       // −10 − 20 × 0.5
		{40, 10},       // −10 − 20, the floor
		{90, 10},
	}
	for _, tc := range cases {
		r, ok := Score(c, p, post(1, aideDomicile, tc.km), now, true)
		if !ok || math.Abs(r.Score-tc.want) > 0.01 {
			t.Errorf("at %v km: %v (kept %v), want about %v", tc.km, r.Score, ok, tc.want)
		}
		if math.Abs(r.DistanceKm-tc.km) > 0.001 || !r.HasDistance {
			t.Errorf("at %v km: DistanceKm = %v", tc.km, r.DistanceKm)
		}
	}
}

func TestTexts(t *testing.T) {
	cases := []struct{ got, want string }{
		{kmText(0.99, 20, false), "moins d'1 km"},
		{kmText(1.4, 20, false), "1 km"},
		{kmText(12.5, 20, false), "13 km"},
		{kmText(19.9, 20, false), "20 km"},
		{kmText(7.55, 7.6, false), "7 km"}, // never "8 km, dans votre rayon de 7,6 km"
		{kmText(20.3, 20, true), "21 km"},  // never "20 km, au-delà de votre rayon de 20 km"
		{kmText(1234, 20, true), "1\u00a0234 km"},
		{decimalText(20), "20"},
		{decimalText(7.5), "7,5"},
		{decimalText(12.04), "12"},
		{intText(-1234567), "-1\u00a0234\u00a0567"},
		{dateText(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)), "1er avril 2026"},
		{dateText(time.Date(2026, 8, 15, 0, 0, 0, 0, time.UTC)), "15 août 2026"},
		{publishedText(-time.Hour), "publiée aujourd'hui"},
		{publishedText(23 * time.Hour), "publiée aujourd'hui"},
		{publishedText(47 * time.Hour), "publiée hier"},
		{publishedText(1200 * 24 * time.Hour), "publiée il y a 1\u00a0200 jours"},
		{contractText("cdi_inclusion"), "CDI inclusion"},
		{contractText("stage"), "stage"},
	}
	for _, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestKmAtLeast checks the bound the ranking skips pairs with: never above
// the distance, anywhere on Earth, and close to it nearby outside polar
// regions.
func TestKmAtLeast(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	type pair struct{ lat1, lon1, lat2, lon2 float64 }
	pairs := []pair{
		{47.64, 6.86, 47.64, 6.86},      // the same place
		{0, 179.9, 0, -179.9},           // across the antimeridian
		{89.9, 0, 89.9, 180},            // over the pole
		{-45, 10, 45, -170},             // antipodes
		{47.64, 6.86, 47.51, 6.80},      // Belfort, Montbéliard
		{47.64, 6.86, 47.75, 7.34},      // Belfort, Mulhouse
		{47.64, 6.86, 47.64 + 0.6, 7.4}, // corner of the benchmarks' box
	}
	for range 20000 {
		pairs = append(pairs, pair{r.Float64()*180 - 90, r.Float64()*360 - 180, r.Float64()*180 - 90, r.Float64()*360 - 180})
		lat, lon := benchPlace(r)
		pairs = append(pairs, pair{47.64, 6.86, lat, lon})
	}
	for _, q := range pairs {
		a, b := toPoint(q.lat1, q.lon1), toPoint(q.lat2, q.lon2)
		km, lb := a.km(b), kmAtLeast(&a, q.lat2, q.lon2)
		if lb > km {
			t.Fatalf("%v: bound %v above the distance %v", q, lb, km)
		}
		if math.Abs(q.lat1) < 60 && km < 100 && km-lb > 0.006*km { // the bound loosens near the poles
			t.Errorf("%v: bound %v too far below %v", q, lb, km)
		}
	}
}
