package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
	"github.com/spie-parcours/parcours/internal/territory"
)

// BenchmarkSearchServices measures the directory search by thématique and
// distance (issue target: under 20 ms at the median with 20,000 services,
// docs/benchmarks.md): 20,000 published services (PARCOURS_BENCH_SERVICES
// to change the count), 1 to 3 random thématiques each, spread over the
// communes of Bourgogne-Franche-Comté ("region"), or all in the 101
// communes of the Territoire de Belfort ("departement", the worst case:
// nearly every service is within reach), searched from random communes of
// the Territoire de Belfort within 15 km, by a random thématique or a
// whole category, 20 results. The median and 95th percentile of single
// searches are reported as metrics.
func BenchmarkSearchServices(b *testing.B) {
	for _, spread := range [][]string{{"90", "25", "70", "39", "21", "58", "71", "89"}, {"90"}} {
		name := "region"
		if len(spread) == 1 {
			name = "departement"
		}
		b.Run(name, func(b *testing.B) { benchmarkSearch(b, spread) })
	}
}

// searchFixture writes n published services over the communes of the
// départements, with a reproducible draw, and returns the store, the
// territory and the random source of the queries.
func searchFixture(tb testing.TB, st *store.Store, ref *referential.Referential, spread []string, n int, rng *rand.Rand) territory.Territory {
	tb.Helper()
	ctx := context.Background()
	t := territory.Territory{Code: "90", Name: "Territoire de Belfort"}
	if err := st.CreateTerritory(ctx, &t); err != nil {
		tb.Fatal(err)
	}
	publisher := territory.Structure{TerritoryID: t.ID, Kind: territory.KindAssociation, Name: "Éditeur"}
	if err := st.CreateStructure(ctx, &publisher); err != nil {
		tb.Fatal(err)
	}
	var communes []referential.Commune
	for _, d := range spread {
		communes = append(communes, ref.CommunesIn(d)...)
	}
	them := ref.DataInclusion("thematiques")
	const batch = 2_000
	for done := 0; done < n; done += batch {
		svs := make([]directory.Service, min(batch, n-done))
		for i := range svs {
			c := communes[rng.IntN(len(communes))]
			var ts []string
			for range 1 + rng.IntN(3) {
				ts = append(ts, them[rng.IntN(len(them))].Code)
			}
			sv := directory.Service{TerritoryID: t.ID, StructureID: publisher.ID, Name: fmt.Sprintf("Service %d", rng.IntN(n)),
				Description: "Un service du banc d'essai, avec une description de longueur ordinaire pour peser comme un vrai service : " +
					"accueil, accompagnement, atelier collectif, aide financière ou matérielle selon les cas.",
				Thematiques: ts, CommuneINSEE: c.INSEE, Fees: "gratuit", Publics: []string{"tous-publics"},
				ReceptionModes: []string{"en-presentiel"}, Email: "contact@banc.example", Status: directory.StatusPublished}
			switch rng.IntN(50) {
			case 0:
				sv.ReceptionModes = []string{"a-distance"}
			case 1:
				sv.Fees = "payant"
			case 2:
				sv.EligibilityZone = []string{c.INSEE}
			}
			sv.Normalize(ref)
			svs[i] = sv
		}
		if err := st.SaveServices(ctx, svs, store.Actor{At: time.Now()}); err != nil {
			tb.Fatal(err)
		}
	}
	return t
}

// randomQuery is a search from a commune of the 90, within 15 km, by one
// thématique or a whole category, 20 results.
func randomQuery(ref *referential.Referential, rng *rand.Rand) directory.Query {
	belfort := ref.CommunesIn("90")
	them := ref.DataInclusion("thematiques")
	categories := ref.DataInclusion("thematiques_categories")
	c := belfort[rng.IntN(len(belfort))]
	q := directory.Query{HasFrom: true, FromLat: c.Lat, FromLon: c.Lon, RadiusKm: 15, CommuneINSEE: c.INSEE,
		Departement: c.Departement, Limit: 20}
	if rng.IntN(2) == 0 {
		q.Thematiques = []string{them[rng.IntN(len(them))].Code}
	} else {
		q.Thematiques = directory.ExpandThematiques(ref, []string{categories[rng.IntN(len(categories))].Code})
	}
	return q
}

// TestSearchByIndexKeepsRankOrder checks that the search read from the
// index of thématiques gives exactly the results, in the order, of Rank
// over every matching service, with the many ties of services sharing a
// commune's centre.
func TestSearchByIndexKeepsRankOrder(t *testing.T) {
	ctx := context.Background()
	ref, err := referential.Load()
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.Open(t, store.SQLite)
	rng := rand.New(rand.NewPCG(1, 2)) // #nosec G404 -- reproducible fixture
	terr := searchFixture(t, st, ref, []string{"90"}, 3_000, rng)
	for i := range 60 {
		q := randomQuery(ref, rng)
		switch i % 3 {
		case 1:
			q.Fees = "gratuit"
		case 2:
			q.Limit = 3
		}
		got, err := st.SearchServices(ctx, terr.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		all := q
		all.Text, all.Limit = "", 0
		var svs []directory.Service
		every, err := st.Services(ctx, store.ServiceFilter{TerritoryID: terr.ID})
		if err != nil {
			t.Fatal(err)
		}
		svs = append(svs, every...)
		want := directory.Rank(nil, svs, all)
		if len(want) > q.Limit {
			want = want[:q.Limit]
		}
		if len(got) != len(want) {
			t.Fatalf("query %d: %d hits, want %d", i, len(got), len(want))
		}
		for k := range got {
			if got[k].ID != want[k].ID || got[k].Score != want[k].Score || got[k].DistanceKm != want[k].DistanceKm {
				t.Fatalf("query %d, hit %d: got service %d (score %d, %.3f km), want %d (score %d, %.3f km)", i, k,
					got[k].ID, got[k].Score, got[k].DistanceKm, want[k].ID, want[k].Score, want[k].DistanceKm)
			}
		}
	}
}

func benchmarkSearch(b *testing.B, spread []string) {
	ctx := context.Background()
	ref, err := referential.Load()
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(90, 2026)) // #nosec G404 -- reproducible fixture
	n := envCount("PARCOURS_BENCH_SERVICES", 20_000)
	start := time.Now()
	t := searchFixture(b, st, ref, spread, n, rng)
	b.Logf("%d services written in %s", n, time.Since(start).Round(time.Millisecond))
	query := func() directory.Query { return randomQuery(ref, rng) }
	for range 50 { // warm the caches and the prepared statements
		if _, err := st.SearchServices(ctx, t.ID, query()); err != nil {
			b.Fatal(err)
		}
	}
	var lat []time.Duration
	found := 0
	b.ResetTimer()
	for b.Loop() {
		q := query()
		t0 := time.Now()
		hits, err := st.SearchServices(ctx, t.ID, q)
		lat = append(lat, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		found += len(hits)
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(found)/float64(len(lat)), "hits/search")
}

func envCount(name string, def int) int {
	var v int
	if _, err := fmt.Sscan(os.Getenv(name), &v); err != nil || v <= 0 {
		return def
	}
	return v
}
