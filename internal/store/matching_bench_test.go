//go:build unix

package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
	"github.com/spie-parcours/parcours/internal/territory"
)

// BenchmarkMatchingLoads measures the loads of the matching index on a
// territory of 100,000 proposable people (each with a project and three
// diagnostic entries, one of them closed) and 50,000 open offers
// (PARCOURS_BENCH_PEOPLE and PARCOURS_BENCH_OFFERS change the sizes): the
// full loads (MatchingProfiles and MatchingOffers since zero), in seconds
// ("profiles-s", "offers-s") with the growth of the heap at its peak
// during each ("profiles-MB", "offers-MB"), and the incremental loads after 10 changes of each kind
// (projects, diagnostics and employment profiles; offers), in
// milliseconds: the first after the full loads ("first-incr-profiles-ms",
// "first-incr-offers-ms") and the next ("incr-profiles-ms",
// "incr-offers-ms"). The database is
// built once, outside the timings, on every engine available. Run it with
// -benchtime 1x.
func BenchmarkMatchingLoads(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) { benchmarkMatchingLoads(b, engine) })
	}
}

// matchingBench is the territory of the benchmark.
type matchingBench struct {
	tr       territory.Territory
	by       store.Actor
	people   []person.Person
	offers   []employment.Offer
	jobs     []string // appellation codes
	communes []string
}

// benchStart dates the rows written in bulk; the changes come after it.
var benchStart = time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)

func newMatchingBench(b *testing.B, s *store.Store, nPeople, nOffers int) *matchingBench {
	b.Helper()
	ctx := context.Background()
	ref, err := referential.Load()
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 2026))
	m := &matchingBench{tr: territory.Territory{Code: "90", Name: "Territoire de Belfort"}}
	if err := s.CreateTerritory(ctx, &m.tr); err != nil {
		b.Fatal(err)
	}
	st := territory.Structure{TerritoryID: m.tr.ID, Kind: territory.KindCCAS, Name: "CCAS de Belfort"}
	if err := s.CreateStructure(ctx, &st); err != nil {
		b.Fatal(err)
	}
	a := account.Account{Email: "ts@ccas.example", FirstName: "Awa", LastName: "Diallo", PasswordHash: "x"}
	if err := s.CreateAccount(ctx, &a); err != nil {
		b.Fatal(err)
	}
	m.by = store.Actor{AccountID: a.ID, StructureID: st.ID, At: benchStart}
	for _, q := range []string{"vendeur", "cariste", "aide", "agent", "conducteur", "cuisinier", "employé", "ouvrier"} {
		for _, ap := range ref.SearchAppellations(q, 40) {
			m.jobs = append(m.jobs, ap.Code)
		}
	}
	for _, c := range ref.CommunesIn("90") {
		m.communes = append(m.communes, c.INSEE)
	}
	situations := [][2]string{{"mobilite", "Permis B"}, {"mobilite", "Dépendant des transports en commun"},
		{"contraintes_familiales", "Contrainte horaires"}, {"contraintes_familiales", "Enfant(s) de moins de 3 ans sans solution de garde"},
		{"logement", "Hébergé chez un tiers"}, {"emploi", "Disponible à temps partiel"}}

	m.people = make([]person.Person, nPeople)
	for i := range m.people {
		m.people[i] = person.Person{TerritoryID: m.tr.ID, FirstName: fmt.Sprintf("Prénom%d", i), LastName: "Nom",
			BirthDate: time.Date(1970+i%35, 1, 1, 0, 0, 0, 0, time.UTC), CommuneINSEE: m.communes[rng.IntN(len(m.communes))],
			CreatedAt: benchStart}
	}
	if err := s.InsertPersons(ctx, m.people); err != nil {
		b.Fatal(err)
	}
	projects := make([]person.Project, nPeople)
	profiles := make([]employment.ProfileSource, nPeople)
	entries := make([]person.DiagnosticEntry, 0, 3*nPeople)
	for i, p := range m.people {
		projects[i] = person.Project{PersonID: p.ID, TargetJobs: []string{m.jobs[rng.IntN(len(m.jobs))], m.jobs[rng.IntN(len(m.jobs))]},
			Experience: "Quelques années d'expérience", HoursWanted: 20 + rng.IntN(16), DrivingLicence: rng.IntN(2) == 0,
			Vehicle: rng.IntN(3) == 0, MobilityKm: 10 + rng.IntN(30), AvailableFrom: benchStart.AddDate(0, 1, 0), UpdatedAt: benchStart}
		profiles[i] = employment.ProfileSource{PersonID: p.ID, Proposable: true, Contracts: []string{"cdi", "cdd"}, UpdatedAt: benchStart}
		for j := range 3 {
			sit := situations[rng.IntN(len(situations))]
			e := person.DiagnosticEntry{PersonID: p.ID, Theme: sit[0], Situation: sit[1], AuthorID: a.ID, StructureID: st.ID,
				CreatedAt: benchStart.Add(-time.Hour)}
			if j == 2 {
				e.EndedAt = benchStart
			}
			entries = append(entries, e)
		}
	}
	if err := s.InsertProjects(ctx, projects); err != nil {
		b.Fatal(err)
	}
	if err := s.InsertDiagnosticEntries(ctx, entries); err != nil {
		b.Fatal(err)
	}
	if err := s.InsertEmploymentProfiles(ctx, profiles); err != nil {
		b.Fatal(err)
	}
	var employers []employment.Employer
	for i := range 50 {
		e := employment.Employer{TerritoryID: m.tr.ID, Name: fmt.Sprintf("Employeur %d", i), CommuneINSEE: m.communes[i%len(m.communes)]}
		if err := s.SaveEmployer(ctx, &e, m.by); err != nil {
			b.Fatal(err)
		}
		employers = append(employers, e)
	}
	m.offers = make([]employment.Offer, nOffers)
	for i := range m.offers {
		m.offers[i] = employment.Offer{EmployerID: employers[i%len(employers)].StructureID, ExternalRef: fmt.Sprintf("REF-%d", i),
			Appellation: m.jobs[rng.IntN(len(m.jobs))], Title: fmt.Sprintf("Offre %d", i), Description: "Poste en équipe, débutants acceptés.",
			CommuneINSEE: m.communes[rng.IntN(len(m.communes))], Lat: 47.6, Lon: 6.8, Contract: employment.ContractCDI,
			WeeklyHours: 35, Night: rng.IntN(5) == 0, Positions: 1, NeedsLicence: rng.IntN(3) == 0, Status: employment.OfferOpen}
	}
	if _, _, err := s.ImportOffers(ctx, m.tr.ID, m.offers, m.by); err != nil {
		b.Fatal(err)
	}
	return m
}

// change makes 10 changes of people (4 projects, 3 diagnostics, 3
// employment profiles) and 10 of offers, at the instant, and returns the
// people changed.
func (m *matchingBench) change(b *testing.B, s *store.Store, round int, at time.Time) map[int64]bool {
	b.Helper()
	ctx := context.Background()
	by := m.by
	by.At = at
	changed := map[int64]bool{}
	for k := range 10 {
		p := m.people[(round*10+k)*997%len(m.people)]
		changed[p.ID] = true
		switch {
		case k < 4:
			pr := person.Project{PersonID: p.ID, TargetJobs: []string{m.jobs[k]}, HoursWanted: 24, MobilityKm: 15}
			if err := s.SaveProject(ctx, &pr, by); err != nil {
				b.Fatal(err)
			}
		case k < 7:
			if err := s.SaveDiagnostic(ctx, p.ID, []person.DiagnosticEntry{{Theme: "mobilite", Situation: "Permis B"}}, nil, by); err != nil {
				b.Fatal(err)
			}
		default:
			if err := s.SaveEmploymentProfile(ctx, p.ID, true, []string{"cdi"}, by); err != nil {
				b.Fatal(err)
			}
		}
		o := &m.offers[(round*10+k)*499%len(m.offers)]
		o.WeeklyHours = 30 + k
		if err := s.SaveOffer(ctx, o, by); err != nil {
			b.Fatal(err)
		}
	}
	return changed
}

func benchmarkMatchingLoads(b *testing.B, engine store.Engine) {
	ctx := context.Background()
	nPeople, nOffers := envCount("PARCOURS_BENCH_PEOPLE", 100_000), envCount("PARCOURS_BENCH_OFFERS", 50_000)
	dsn := storetest.DSN(b, engine)
	s := storetest.OpenDSN(b, dsn)
	built := time.Now()
	m := newMatchingBench(b, s, nPeople, nOffers)
	if engine == store.Postgres {
		// Autovacuum analyses the tables a while after such a bulk load;
		// until then PostgreSQL plans with the statistics of empty tables
		// (reading the whole territory for an incremental load).
		raw, err := sql.Open("pgx", dsn)
		if err != nil {
			b.Fatal(err)
		}
		_, err = raw.ExecContext(ctx, "ANALYZE")
		_ = raw.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%s: %d people, %d offers written in %v", engine, nPeople, nOffers, time.Since(built).Round(time.Millisecond))

	var profilesTime, offersTime time.Duration
	var incr, firstIncr [2]time.Duration // profiles, offers
	var profilesPeak, offersPeak, profilesBase, offersBase uint64
	round := 0
	for b.Loop() {
		profilesBase = heapNow()
		stop := heapPeak(&profilesPeak)
		t0 := time.Now()
		sources, gone, since, err := s.MatchingProfiles(ctx, m.tr.ID, time.Time{})
		profilesTime += time.Since(t0)
		stop()
		if err != nil {
			b.Fatal(err)
		}
		if len(sources) != nPeople || len(gone) != 0 || len(sources[0].Situations) == 0 || len(sources[0].Appellations) == 0 {
			b.Fatalf("full load: %d sources, %d gone; want %d with their features", len(sources), len(gone), nPeople)
		}
		sources = nil

		offersBase = heapNow()
		stop = heapPeak(&offersPeak)
		t0 = time.Now()
		open, _, offersSince, err := s.MatchingOffers(ctx, m.tr.ID, time.Time{})
		offersTime += time.Since(t0)
		stop()
		if err != nil {
			b.Fatal(err)
		}
		if len(open) != nOffers {
			b.Fatalf("full load: %d offers, want %d", len(open), nOffers)
		}
		open = nil

		// The first incremental load after a full one also pays, on SQLite,
		// for the reader's page cache that the full load filled: the driver
		// frees it page by page at the first read after a write.
		for _, d := range []*[2]time.Duration{&firstIncr, &incr} {
			round++
			changed := m.change(b, s, round, latest(since, offersSince).Add(time.Minute))
			t0 = time.Now()
			sources, _, next, err := s.MatchingProfiles(ctx, m.tr.ID, since)
			d[0] += time.Since(t0)
			if err != nil {
				b.Fatal(err)
			}
			if len(sources) != len(changed) {
				b.Fatalf("incremental load: %d people, want the %d changed", len(sources), len(changed))
			}
			for _, src := range sources {
				if !changed[src.PersonID] {
					b.Fatalf("incremental load: person %d did not change", src.PersonID)
				}
			}
			t0 = time.Now()
			open, _, nextOffers, err := s.MatchingOffers(ctx, m.tr.ID, offersSince)
			d[1] += time.Since(t0)
			if err != nil {
				b.Fatal(err)
			}
			if len(open) != 10 {
				b.Fatalf("incremental load: %d offers, want 10", len(open))
			}
			since, offersSince = next, nextOffers
		}
	}
	n := float64(b.N)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / n }
	b.ReportMetric(profilesTime.Seconds()/n, "profiles-s")
	b.ReportMetric(offersTime.Seconds()/n, "offers-s")
	b.ReportMetric(float64(profilesPeak-min(profilesPeak, profilesBase))/(1<<20), "profiles-MB")
	b.ReportMetric(float64(offersPeak-min(offersPeak, offersBase))/(1<<20), "offers-MB")
	b.ReportMetric(ms(firstIncr[0]), "first-incr-profiles-ms")
	b.ReportMetric(ms(firstIncr[1]), "first-incr-offers-ms")
	b.ReportMetric(ms(incr[0]), "incr-profiles-ms")
	b.ReportMetric(ms(incr[1]), "incr-offers-ms")
}

// heapNow collects the garbage and returns the heap in use: the base
// from which a load's peak is measured.
func heapNow() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
