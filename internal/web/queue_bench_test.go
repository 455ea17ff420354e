package web

import (
	"context"
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/demo"
	"github.com/spie-parcours/parcours/internal/importer"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
)

// BenchmarkQueue measures the coordinator's queue with 20,000 pending
// requests (target: under 50 ms at p50), as a page and through the API.
// The requests are made by the import path, as lists make them.
func BenchmarkQueue(b *testing.B) {
	s := storetest.Open(b, store.SQLite)
	e := newEnv(b, s)
	ctx := context.Background()
	g := demo.NewGenerator(7, []demo.Place{{INSEE: "90010", Name: "Belfort", PostalCode: "90000", Population: 1}}, e.clock.Now())
	const n = 20_000
	planned := make([]importer.Planned, n)
	for i := range planned {
		p := g.Person(e.terr.ID)
		planned[i] = importer.Planned{Row: importer.Row{Line: i + 2, Person: p}, Action: importer.ActionCreate}
	}
	st, err := e.store.StructureByName(ctx, e.terr.ID, "Structure departement")
	if err != nil {
		b.Fatal(err)
	}
	imp := store.Import{TerritoryID: e.terr.ID, StructureID: st.ID, Filename: "bench.csv", Mapping: "{}"}
	if err := e.store.CreateImport(ctx, &imp, planned); err != nil {
		b.Fatal(err)
	}
	rules, _ := e.store.OrientationRules(ctx, e.terr.ID)
	for day := 0; day < 4; day++ { // requests of several ages: some overdue
		e.clock.Add(20 * 24 * time.Hour)
	}
	if _, err := e.store.CommitImport(ctx, imp.ID, rules, store.Actor{StructureID: st.ID, At: e.clock.Now().Add(-80 * 24 * time.Hour)}); err != nil {
		b.Fatal(err)
	}
	coordWeb := e.signIn("coord@test.example")
	coordAPI := e.apiClient("coord@test.example")
	for _, tc := range []struct {
		name string
		c    *client
		path string
	}{
		{"page", coordWeb, "/orientations"},
		{"api", coordAPI, "/api/v1/orientations?limit=50"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var lat []time.Duration
			for i := 0; i < max(b.N, 200); i++ {
				start := time.Now()
				res := tc.c.get(tc.path)
				lat = append(lat, time.Since(start))
				if res.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d", tc.path, res.StatusCode)
				}
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
