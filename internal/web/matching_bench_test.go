package web

// BenchmarkMatches measures the rankings of issue 7 end to end, on a
// SQLite file of 100,000 people whose référent agreed to propose them
// (each with a project, three diagnostic situations and an employment
// profile) and 50,000 open offers of 100 employers around Belfort,
// Montbéliard and Héricourt:
//
//   - person: GET /api/v1/persons/{id}/matches, the top 20 offers for one
//     of the 200 people the professional follows;
//   - offer: GET /api/v1/offers/{id}/matches, the top 50 people for one of
//     500 offers.
//
// Each request is a real one over a loopback listener: the token, the
// access decision, the index's check for changes in the database (an
// indexed query per table, returning nothing), the ranking, the reading of
// the offers or people shown, and the audit entries, durable before the
// answer (one for the person; one per person shown for an offer). The
// first request builds the index; its time ("build-s") and the heap the
// index holds ("index-MB") are reported once. Run it with
//
//	go test -run '^$' -bench Matches -benchtime 1x ./internal/web/
//
// It measures and asserts no timing; it fails when an answer is not 200,
// holds fewer results than asked, or when the audit trail misses an entry.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/demo"
	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
)

const (
	matchBenchPeople = 100_000
	matchBenchOffers = 50_000
	matchBenchFollow = 200
)

var (
	matchBenchOnce sync.Once
	matchBench     *matchFixture
	matchBenchErr  error
)

// matchFixture is the territory of the benchmark, served by Parcours.
type matchFixture struct {
	benchFixture
	followed []int64 // people the professional follows
	offers   []int64
	buildS   float64 // the first ranking, which builds the index
	indexMB  float64
}

func matchingFixture(b *testing.B) *matchFixture {
	b.Helper()
	matchBenchOnce.Do(func() {
		start := time.Now()
		matchBench = &matchFixture{}
		matchBenchErr = matchBench.build(context.Background())
		if matchBenchErr == nil {
			fmt.Fprintf(os.Stderr, "bench: %d people, %d offers, built in %s\n", matchBenchPeople, matchBenchOffers,
				time.Since(start).Round(time.Millisecond))
		}
	})
	if matchBenchErr != nil {
		b.Fatalf("fixture: %v", matchBenchErr)
	}
	return matchBench
}

func (f *matchFixture) build(ctx context.Context) error {
	ref, terr, ccas, err := f.open(ctx, "parcours-match-bench-", "x")
	if err != nil {
		return err
	}
	s := f.store
	start := time.Now().Add(-24 * time.Hour)
	by := store.Actor{AccountID: f.pro.ID, StructureID: ccas.ID, At: start}

	rng := rand.New(rand.NewPCG(benchSeed, 7)) // #nosec G404 -- reproducible test data
	var jobs []string
	for _, q := range []string{"vendeur", "cariste", "aide", "agent", "conducteur", "cuisinier", "employé", "ouvrier", "magasinier", "serveur"} {
		for _, ap := range ref.SearchAppellations(q, 40) {
			jobs = append(jobs, ap.Code)
		}
	}
	var places []demo.Place
	var communes []referential.Commune // the offers': the Territoire de Belfort and the neighbouring Doubs and Haute-Saône
	for _, d := range []string{"90", "25", "70"} {
		for _, c := range ref.CommunesIn(d) {
			if d == "90" {
				places = append(places, demo.Place{INSEE: c.INSEE, Name: c.Name, Population: c.Population})
			}
			communes = append(communes, c)
		}
	}
	g := demo.NewGenerator(benchSeed, places, start)
	people := make([]person.Person, matchBenchPeople)
	for i := range people {
		people[i] = g.Person(terr.ID)
	}
	for i := 0; i < len(people); i += 20_000 {
		if err := s.InsertPersons(ctx, people[i:min(i+20_000, len(people))]); err != nil {
			return err
		}
	}
	situations := [][2]string{{"mobilite", "Permis B"}, {"mobilite", "Dépendant des transports en commun"},
		{"contraintes_familiales", "Contrainte horaires"}, {"contraintes_familiales", "Enfant(s) de moins de 3 ans sans solution de garde"},
		{"logement", "Hébergé chez un tiers"}, {"emploi", "Disponible à temps partiel"}}
	projects := make([]person.Project, len(people))
	profiles := make([]employment.ProfileSource, len(people))
	entries := make([]person.DiagnosticEntry, 0, 3*len(people))
	for i, p := range people {
		projects[i] = person.Project{PersonID: p.ID, TargetJobs: []string{jobs[rng.IntN(len(jobs))], jobs[rng.IntN(len(jobs))]},
			HoursWanted: 20 + rng.IntN(16), DrivingLicence: rng.IntN(2) == 0, Vehicle: rng.IntN(3) == 0, MobilityKm: 10 + rng.IntN(30),
			AvailableFrom: start.AddDate(0, 0, rng.IntN(60)), UpdatedAt: start}
		profiles[i] = employment.ProfileSource{PersonID: p.ID, Proposable: true, UpdatedAt: start}
		for range 3 {
			sit := situations[rng.IntN(len(situations))]
			entries = append(entries, person.DiagnosticEntry{PersonID: p.ID, Theme: sit[0], Situation: sit[1], AuthorID: f.pro.ID,
				StructureID: ccas.ID, CreatedAt: start})
		}
	}
	if err := s.InsertProjects(ctx, projects); err != nil {
		return err
	}
	if err := s.InsertDiagnosticEntries(ctx, entries); err != nil {
		return err
	}
	if err := s.InsertEmploymentProfiles(ctx, profiles); err != nil {
		return err
	}
	for _, i := range rng.Perm(len(people))[:matchBenchFollow] {
		if _, err := s.AddTeamMember(ctx, people[i].ID, f.pro.ID, ccas.ID, true, by); err != nil {
			return err
		}
		f.followed = append(f.followed, people[i].ID)
	}

	contracts := []employment.ContractType{employment.ContractCDI, employment.ContractCDD, employment.ContractInterim,
		employment.ContractCDDI, employment.ContractPMSMP}
	offers := make([]employment.Offer, 0, matchBenchOffers)
	for e := range 100 {
		emp := employment.Employer{TerritoryID: terr.ID, Name: fmt.Sprintf("Employeur fictif %d", e), CommuneINSEE: communes[e].INSEE}
		if err := s.SaveEmployer(ctx, &emp, by); err != nil {
			return err
		}
		for i := range matchBenchOffers / 100 {
			c := communes[rng.IntN(len(communes))]
			offers = append(offers, employment.Offer{EmployerID: emp.StructureID, ExternalRef: "REF-" + strconv.Itoa(e) + "-" + strconv.Itoa(i),
				Appellation: jobs[rng.IntN(len(jobs))], Title: "Offre " + strconv.Itoa(len(offers)), Description: "Poste en équipe, débutants acceptés.",
				CommuneINSEE: c.INSEE, Lat: c.Lat, Lon: c.Lon, Contract: contracts[rng.IntN(len(contracts))], WeeklyHours: 20 + rng.IntN(16),
				Night: rng.IntN(6) == 0, Weekend: rng.IntN(4) == 0, Positions: 1, NeedsLicence: rng.IntN(4) == 0, NeedsVehicle: rng.IntN(6) == 0,
				TransitReachable: rng.IntN(2) == 0, Status: employment.OfferOpen, StartOn: start.AddDate(0, 0, rng.IntN(90))})
		}
	}
	if _, _, err := s.ImportOffers(ctx, terr.ID, offers, by); err != nil {
		return err
	}
	for _, i := range rng.Perm(len(offers))[:500] {
		f.offers = append(f.offers, offers[i].ID)
	}

	f.srv, err = NewServer(Config{Store: s, Referential: ref, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Notifier: &notify.Recorder{}, BaseURL: "https://parcours.test"})
	if err != nil {
		return err
	}
	if f.token, err = f.srv.createAPIToken(httptestRequest(), f.pro.ID, "bench"); err != nil {
		return err
	}
	f.parcours = httptest.NewServer(f.srv)

	// The first ranking builds the index: time it, and weigh what it holds.
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	t0 := time.Now()
	if _, err := f.srv.matchingIndex(ctx, terr.ID); err != nil {
		return err
	}
	f.buildS = time.Since(t0).Seconds()
	runtime.GC()
	runtime.ReadMemStats(&after)
	f.indexMB = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
	return nil
}

func BenchmarkMatches(b *testing.B) {
	f := matchingFixture(b)
	results := func(n int) func(body []byte) bool {
		return func(body []byte) bool {
			var out struct{ Results []json.RawMessage }
			return json.Unmarshal(body, &out) == nil && len(out.Results) == n
		}
	}
	b.Run("person", func(b *testing.B) {
		var paths []string
		for _, id := range f.followed {
			paths = append(paths, "/api/v1/persons/"+strconv.FormatInt(id, 10)+"/matches?limit=20")
		}
		sequentialAudited(b, &f.benchFixture, paths, results(20), 1)
		b.ReportMetric(f.buildS, "build-s")
		b.ReportMetric(f.indexMB, "index-MB")
	})
	b.Run("offer", func(b *testing.B) {
		var paths []string
		for _, id := range f.offers {
			paths = append(paths, "/api/v1/offers/"+strconv.FormatInt(id, 10)+"/matches?limit=50")
		}
		sequentialAudited(b, &f.benchFixture, paths, results(50), 50)
	})
}
