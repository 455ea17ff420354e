package matching

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"
)

// benchNow is the fixed "now" of the benchmarks.
var benchNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// benchCodes returns a few hundred appellation codes shaped like the ROME
// hierarchy, so that the prefixes give the ROME code (5 characters), the
// domaine (3) and the grand domaine (1): 12 grands domaines × 3 domaines ×
// 3 ROME codes × 3 appellations = 324.
func benchCodes() []string {
	var codes []string
	for g := range 12 {
		for d := range 3 {
			for r := range 3 {
				for a := range 3 {
					codes = append(codes, fmt.Sprintf("%c%d%d%02d%02d", 'A'+g, 1, d+1, r+1, a+1))
				}
			}
		}
	}
	return codes
}

// benchPlace is a point in a box around Belfort (47.64 N, 6.86 E) ± 0.6°:
// the Territoire de Belfort and the neighbouring départements.
func benchPlace(r *rand.Rand) (lat, lon float64) {
	return 47.64 + (r.Float64()*2-1)*0.6, 6.86 + (r.Float64()*2-1)*0.6
}

var benchContracts = []string{"cdi", "cdd", "interim", "cddi", "cdi_inclusion", "apprentissage", "professionnalisation", "pmsmp"}

// benchOffers generates n open offers: random appellations, about 20 %
// needing a licence (half of them a vehicle too), 5 % at night, 15 % on
// weekends, 60 % reachable by public transport, published over 60 days.
func benchOffers(n int, seed uint64) []Offer {
	r := rand.New(rand.NewPCG(seed, 1))
	codes := benchCodes()
	offers := make([]Offer, n)
	for i := range offers {
		code := codes[r.IntN(len(codes))]
		lat, lon := benchPlace(r)
		licence := r.IntN(100) < 20
		offers[i] = Offer{
			OfferID:           int64(i + 1),
			Appellation:       code,
			ROMECode:          code[:5],
			Domaine:           code[:3],
			GrandDomaine:      code[:1],
			Lat:               lat,
			Lon:               lon,
			WeeklyHours:       []int{0, 15, 20, 24, 28, 30, 35, 35, 35, 39}[r.IntN(10)],
			Night:             r.IntN(100) < 5,
			Weekend:           r.IntN(100) < 15,
			Contract:          benchContracts[r.IntN(len(benchContracts))],
			NeedsLicence:      licence,
			NeedsVehicle:      licence && r.IntN(2) == 0,
			TransitReachable:  r.IntN(100) < 60,
			DisabilityAdapted: r.IntN(100) < 5,
			StartOn:           benchNow.AddDate(0, 0, r.IntN(60)-30),
			PublishedAt:       benchNow.Add(-time.Duration(r.IntN(60*24)) * time.Hour),
			UpdatedAt:         benchNow.Add(-time.Duration(r.IntN(60*24)) * time.Hour),
		}
	}
	return offers
}

// benchProfiles generates n people: 1 to 3 target jobs, 95 % with a known
// commune, 60 % holding a licence, most without a vehicle depending on
// public transport, some with family constraints.
func benchProfiles(n int, seed uint64) []Profile {
	r := rand.New(rand.NewPCG(seed, 2))
	codes := benchCodes()
	people := make([]Profile, n)
	for i := range people {
		p := Profile{
			PersonID:     int64(i + 1),
			HasPlace:     r.IntN(100) < 95,
			RadiusKm:     []float64{0, 10, 15, 20, 30}[r.IntN(5)],
			Licence:      r.IntN(100) < 60,
			HoursWanted:  []int{0, 20, 24, 30, 35}[r.IntN(5)],
			NoNight:      r.IntN(100) < 20,
			NoWeekend:    r.IntN(100) < 20,
			NeedsAdapted: r.IntN(100) < 8,
			UpdatedAt:    benchNow.Add(-time.Duration(r.IntN(365*24)) * time.Hour),
		}
		if p.HasPlace {
			p.Lat, p.Lon = benchPlace(r)
		}
		p.Vehicle = p.Licence && r.IntN(100) < 70
		p.TransitOnly = !p.Vehicle && r.IntN(100) < 70
		for range 1 + r.IntN(3) {
			code := codes[r.IntN(len(codes))]
			p.Appellations = append(p.Appellations, code)
			p.ROMECodes = appendNew(p.ROMECodes, code[:5])
			p.Domaines = appendNew(p.Domaines, code[:3])
			p.GrandDomaines = appendNew(p.GrandDomaines, code[:1])
		}
		for range r.IntN(3) {
			p.Contracts = appendNew(p.Contracts, benchContracts[r.IntN(len(benchContracts))])
		}
		if r.IntN(100) < 20 {
			p.AvailableFrom = benchNow.AddDate(0, 0, r.IntN(60))
		}
		people[i] = p
	}
	return people
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// heapMB measures the live heap a generator leaves, in MiB.
func heapMB[T any](gen func() T) (T, float64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := gen()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return v, float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
}

// reportQuantiles adds the median and the 99th percentile of the calls'
// durations to the benchmark's figures, in milliseconds.
func reportQuantiles(b *testing.B, d []time.Duration) {
	b.Helper()
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2])/1e6, "p50-ms")
	b.ReportMetric(float64(d[len(d)*99/100])/1e6, "p99-ms")
}

// benchRank times rank(i) for one query after another, reporting the
// quantiles of the calls and heap, the live heap of the Index in MiB under
// that name; it fails if nothing was ranked.
func benchRank(b *testing.B, rank func(i int) int, heap string, mb float64) {
	b.Helper()
	d := make([]time.Duration, 0, 1<<16) // allocated before: not counted per call
	kept := 0
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		n := rank(i)
		if len(d) < cap(d) {
			d = append(d, time.Since(start))
		}
		kept += n
	}
	if kept == 0 {
		b.Fatal("nothing ranked")
	}
	reportQuantiles(b, d)
	b.ReportMetric(mb, heap)
}

// BenchmarkTopOffers ranks the top 20 of 50,000 open offers held in an
// Index, for one person after another (issue 7: under 10 ms at the median;
// the store's incremental load is not measured here). offers-MiB is the
// live heap of the Index.
func BenchmarkTopOffers(b *testing.B) {
	x, mb := heapMB(func() *Index {
		var x Index
		x.Upsert(benchOffers(50_000, 7)...)
		return &x
	})
	offers := x.Offers()
	people := benchProfiles(1000, 8)
	c := DefaultConfig()
	benchRank(b, func(i int) int { return len(TopOffers(c, people[i%len(people)], offers, benchNow, 20)) }, "offers-MiB", mb)
}

// BenchmarkTopPeople ranks the top 50 of 100,000 people held in an Index,
// for one offer after another (issue 7: under 50 ms at the median).
// profiles-MiB is the live heap of the Index.
func BenchmarkTopPeople(b *testing.B) {
	x, mb := heapMB(func() *Index {
		var x Index
		x.UpsertProfiles(benchProfiles(100_000, 9)...)
		return &x
	})
	people := x.Profiles()
	offers := benchOffers(1000, 10)
	c := DefaultConfig()
	benchRank(b, func(i int) int { return len(TopPeople(c, offers[i%len(offers)], people, benchNow, 50)) }, "profiles-MiB", mb)
}
