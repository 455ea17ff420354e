package web

// Benchmarks of the shared record on 100,000 people (docs/benchmarks.md):
//
//   - BenchmarkRecordReadVsBare: GET /api/v1/persons/{id} by a team member,
//     audited and durable, against a bare Go server doing one primary-key
//     lookup and JSON encoding on the same database file, both over a real
//     loopback listener, at 32 concurrent clients, alternately.
//   - BenchmarkLookup and BenchmarkCaseloadSearch: sequential requests,
//     reporting the median latency.
//
// They measure; they assert no timing. They do fail when a response is not
// 200 or when the audit trail does not hold exactly one entry per answered
// read. Run them with
//
//	go test -run '^$' -bench 'RecordReadVsBare|Lookup|CaseloadSearch' -benchtime 1x ./internal/web/
//
// PARCOURS_BENCH_SECONDS sets the length of each load phase (5 s), and
// PARCOURS_BENCH_ROUNDS the number of bare/Parcours pairs (3, or b.N if
// larger).

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/audit"
	"github.com/spie-parcours/parcours/internal/demo"
	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

const (
	benchPeople   = 100_000
	benchCaseload = 2_000 // people the benchmark account is référent of
	benchClients  = 32
	benchSeed     = 20261126
)

// benchFixture is one SQLite file of 100,000 demo people, a professional
// who is référent of 2,000 of them, and two servers on loopback listeners:
// Parcours, and the bare baseline reading the same file.
type benchFixture struct {
	dir      string
	path     string
	store    *store.Store
	srv      *Server
	pro      account.Account
	token    string
	people   []person.Person // all of them, with their IDs
	caseload []int64         // IDs of the people the account follows
	parcours *httptest.Server
	bareDB   *sql.DB
	bare     *httptest.Server
}

var (
	benchOnce sync.Once
	bench     *benchFixture
	benchErr  error
)

// TestMain removes the benchmark fixtures, which outlive any one benchmark
// (b.Cleanup runs after each of them).
func TestMain(m *testing.M) {
	code := m.Run()
	if bench != nil {
		bench.close()
	}
	if matchBench != nil {
		matchBench.close()
	}
	os.Exit(code)
}

// fixture builds the fixture on its first call in the process.
func fixture(b *testing.B) *benchFixture {
	b.Helper()
	benchOnce.Do(func() {
		start := time.Now()
		bench = &benchFixture{}
		benchErr = bench.build(context.Background())
		if benchErr == nil {
			fmt.Fprintf(os.Stderr, "bench: fixture of %d people, caseload of %d, built in %s\n",
				benchPeople, benchCaseload, time.Since(start).Round(time.Millisecond))
		}
	})
	if benchErr != nil {
		b.Fatalf("fixture: %v", benchErr)
	}
	return bench
}

// open creates the fixture's SQLite file in a new temporary directory
// (named after prefix), with the Territoire de Belfort, its CCAS and a
// professional of it (f.pro, with the password hash given).
func (f *benchFixture) open(ctx context.Context, prefix, passwordHash string) (*referential.Referential,
	territory.Territory, territory.Structure, error) {
	var terr territory.Territory
	var ccas territory.Structure
	var err error
	if f.dir, err = os.MkdirTemp("", prefix); err != nil {
		return nil, terr, ccas, err
	}
	f.path = filepath.Join(f.dir, "parcours.db")
	if f.store, err = store.Open(ctx, f.path); err != nil {
		return nil, terr, ccas, err
	}
	if _, err := f.store.Migrate(ctx); err != nil {
		return nil, terr, ccas, err
	}
	ref, err := referential.Load()
	if err != nil {
		return nil, terr, ccas, err
	}
	terr = territory.Territory{Code: "90", Name: "Territoire de Belfort", OperatorState: "Préfecture", OperatorCouncil: "Département"}
	if err := f.store.CreateTerritory(ctx, &terr); err != nil {
		return nil, terr, ccas, err
	}
	ccas = territory.Structure{TerritoryID: terr.ID, Kind: territory.KindCCAS, Name: "CCAS de Belfort"}
	if err := f.store.CreateStructure(ctx, &ccas); err != nil {
		return nil, terr, ccas, err
	}
	f.pro = account.Account{Email: "pro@test.example", FirstName: "Prénom", LastName: "Nom", PasswordHash: passwordHash}
	if err := f.store.CreateAccount(ctx, &f.pro); err != nil {
		return nil, terr, ccas, err
	}
	if err := f.store.AddMembership(ctx, f.pro.ID, ccas.ID, account.RoleProfessional); err != nil {
		return nil, terr, ccas, err
	}
	return ref, terr, ccas, nil
}

func (f *benchFixture) build(ctx context.Context) error {
	hash, err := account.HashPassword(testPassword)
	if err != nil {
		return err
	}
	ref, terr, ccas, err := f.open(ctx, "parcours-bench-", hash)
	if err != nil {
		return err
	}

	var places []demo.Place
	for _, c := range ref.CommunesIn(demo.TerritoryCode) {
		pc := ""
		if len(c.PostalCodes) > 0 {
			pc = c.PostalCodes[0]
		}
		places = append(places, demo.Place{INSEE: c.INSEE, Name: c.Name, PostalCode: pc, Population: c.Population})
	}
	now := time.Now()
	g := demo.NewGenerator(benchSeed, places, now)
	f.people = make([]person.Person, benchPeople)
	for i := range f.people {
		f.people[i] = g.Person(terr.ID)
	}
	const batch = 20_000
	for i := 0; i < len(f.people); i += batch {
		if err := f.store.InsertPersons(ctx, f.people[i:min(i+batch, len(f.people))]); err != nil {
			return err
		}
	}
	// The caseload is spread over the whole table, not its first pages.
	rng := rand.New(rand.NewPCG(benchSeed, 1)) // #nosec G404 -- reproducible test data
	by := store.Actor{AccountID: f.pro.ID, StructureID: ccas.ID, At: now}
	for _, i := range rng.Perm(len(f.people))[:benchCaseload] {
		id := f.people[i].ID
		if _, err := f.store.AddTeamMember(ctx, id, f.pro.ID, ccas.ID, true, by); err != nil {
			return err
		}
		f.caseload = append(f.caseload, id)
	}

	// Production logs one JSON line per request; format it, discard it.
	f.srv, err = NewServer(Config{Store: f.store, Referential: ref, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Notifier: &notify.Recorder{}, BaseURL: "https://parcours.test"})
	if err != nil {
		return err
	}
	if f.token, err = f.srv.createAPIToken(httptestRequest(), f.pro.ID, "bench"); err != nil {
		return err
	}
	f.parcours = httptest.NewServer(f.srv)

	// The baseline reads the same file through its own read-only pool, with
	// the store's pragmas and pool size.
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)", "busy_timeout(10000)"} {
		q.Add("_pragma", p)
	}
	q.Set("_time_format", "sqlite")
	if f.bareDB, err = sql.Open("sqlite", "file:"+f.path+"?"+q.Encode()+"&mode=ro"); err != nil {
		return err
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	f.bareDB.SetMaxOpenConns(n)
	f.bareDB.SetMaxIdleConns(n)
	if err := f.bareDB.PingContext(ctx); err != nil {
		return err
	}
	f.bare = httptest.NewServer(bareHandler(f.bareDB))
	return nil
}

func (f *benchFixture) close() {
	if f.parcours != nil {
		f.parcours.Close()
	}
	if f.bare != nil {
		f.bare.Close()
	}
	if f.bareDB != nil {
		_ = f.bareDB.Close()
	}
	if f.store != nil {
		_ = f.store.Close()
	}
	if f.dir != "" {
		_ = os.RemoveAll(f.dir)
	}
}

// barePerson is what the baseline answers: the same fields as apiPerson.
type barePerson struct {
	ID                 int64  `json:"id"`
	FirstName          string `json:"first_name"`
	LastName           string `json:"last_name"`
	BirthName          string `json:"birth_name"`
	BirthDate          string `json:"birth_date"`
	Sex                string `json:"sex"`
	Email              string `json:"email"`
	Phone              string `json:"phone"`
	Address            string `json:"address"`
	CommuneINSEE       string `json:"commune_insee"`
	CAFNumber          string `json:"caf_number"`
	FranceTravailID    string `json:"france_travail_id"`
	RSARight           string `json:"rsa_right"`
	RSAOpenedOn        string `json:"rsa_opened_on"`
	LongTermUnemployed bool   `json:"long_term_unemployed"`
	EducationLevel     string `json:"education_level"`
	WorkSituation      string `json:"work_situation"`
	RQTH               bool   `json:"rqth"`
	Objection          bool   `json:"objection"`
}

// bareHandler is the baseline: parse the id, one primary-key SELECT, JSON.
// No authentication, no access rule, no audit, no middleware.
func bareHandler(db *sql.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, "/api/v1/persons/"), 10, 64)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		var p barePerson
		var birth time.Time
		var caf, ft sql.NullString
		var rsaOpened, objection sql.NullTime
		err = db.QueryRowContext(r.Context(), `SELECT id, first_name, last_name, birth_name, birth_date, sex, email, phone,
			address, commune_insee, caf_number, france_travail_id, rsa_right, rsa_opened_on, long_term_unemployed,
			education_level, work_situation, rqth, objection_at FROM persons WHERE id = ?`, id).Scan(
			&p.ID, &p.FirstName, &p.LastName, &p.BirthName, &birth, &p.Sex, &p.Email, &p.Phone,
			&p.Address, &p.CommuneINSEE, &caf, &ft, &p.RSARight, &rsaOpened, &p.LongTermUnemployed,
			&p.EducationLevel, &p.WorkSituation, &p.RQTH, &objection)
		if errors.Is(err, sql.ErrNoRows) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		p.BirthDate, p.CAFNumber, p.FranceTravailID = birth.UTC().Format(dateLayout), caf.String, ft.String
		if rsaOpened.Valid {
			p.RSAOpenedOn = rsaOpened.Time.UTC().Format(dateLayout)
		}
		p.Objection = objection.Valid
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(p)
	}
}

// loadResult is one load phase against one server.
type loadResult struct {
	requests int
	elapsed  time.Duration
	lat      []time.Duration // sorted
	perID    map[int64]int   // 200 answers by person
	failures int
	failure  string // the first one
}

func (r loadResult) rate() float64 { return float64(r.requests) / r.elapsed.Seconds() }

// quantile is the nearest-rank quantile of sorted latencies.
func quantile(lat []time.Duration, q float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	i := int(q*float64(len(lat))+0.999999) - 1
	return lat[min(max(i, 0), len(lat)-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// newBenchClient is a keep-alive client of its own, as a distinct caller.
func newBenchClient() *http.Client {
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 2 * benchClients, MaxIdleConnsPerHost: 2 * benchClients, DisableCompression: true,
		IdleConnTimeout: time.Minute}}
}

// drive runs benchClients goroutines, each with its own keep-alive client,
// for d, each reading random people of ids from base. Every latency is
// recorded; every answer must be 200.
func drive(base, token string, ids []int64, d time.Duration, seed uint64) loadResult {
	var (
		mu  sync.Mutex
		out = loadResult{perID: map[int64]int{}}
		wg  sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for c := range uint64(benchClients) {
		wg.Go(func() {
			client := newBenchClient()
			defer client.CloseIdleConnections()
			rng := rand.New(rand.NewPCG(seed, c)) // #nosec G404 -- load pattern, not a secret
			var lat []time.Duration
			perID := map[int64]int{}
			failures, failure := 0, ""
			for time.Now().Before(deadline) {
				id := ids[rng.IntN(len(ids))]
				req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/persons/"+strconv.FormatInt(id, 10), nil)
				req.Header.Set("Authorization", "Bearer "+token)
				t0 := time.Now()
				res, err := client.Do(req)
				if err == nil {
					var body []byte
					body, err = io.ReadAll(res.Body)
					_ = res.Body.Close()
					if err == nil && res.StatusCode != http.StatusOK {
						err = fmt.Errorf("GET %d: %d %s", id, res.StatusCode, body)
					}
				}
				lat = append(lat, time.Since(t0))
				if err != nil {
					if failures == 0 {
						failure = err.Error()
					}
					failures++
					continue
				}
				perID[id]++
			}
			mu.Lock()
			defer mu.Unlock()
			out.lat = append(out.lat, lat...)
			for id, n := range perID {
				out.perID[id] += n
			}
			if out.failures == 0 && failures > 0 {
				out.failure = failure
			}
			out.failures += failures
		})
	}
	wg.Wait()
	out.elapsed = time.Since(start)
	out.requests = len(out.lat)
	slices.Sort(out.lat)
	return out
}

// lastAudit is the ID of the newest audit entry.
func lastAudit(b *testing.B, s *store.Store) int64 {
	b.Helper()
	var last int64
	if err := s.WalkAudit(context.Background(), func(e audit.Entry) error { last = e.ID; return nil }); err != nil {
		b.Fatal(err)
	}
	return last
}

// auditAfter lists the audit entries newer than after.
func auditAfter(b *testing.B, s *store.Store, after int64) []audit.Entry {
	b.Helper()
	var out []audit.Entry
	err := s.WalkAudit(context.Background(), func(e audit.Entry) error {
		if e.ID > after {
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// BenchmarkRecordReadVsBare runs the whole comparison once: a warm-up of
// each server, then bare and Parcours alternately (B, P, B, P, …), and
// reports the medians over the rounds. Then it checks that the audit trail
// holds exactly one entry per 200 answer of Parcours, for that person.
func BenchmarkRecordReadVsBare(b *testing.B) {
	f := fixture(b)
	phase := time.Duration(envInt("PARCOURS_BENCH_SECONDS", 5)) * time.Second
	rounds := max(b.N, envInt("PARCOURS_BENCH_ROUNDS", 3))
	before := lastAudit(b, f.store)

	served := map[int64]int{} // Parcours 200 answers by person
	check := func(name string, r loadResult) {
		if r.failures > 0 {
			b.Fatalf("%s: %d of %d requests failed; first: %s", name, r.failures, r.requests, r.failure)
		}
	}
	seed := uint64(1)
	run := func(name, base string, d time.Duration) loadResult {
		seed++
		r := drive(base, f.token, f.caseload, d, seed)
		check(name, r)
		if base == f.parcours.URL {
			for id, n := range r.perID {
				served[id] += n
			}
		}
		return r
	}
	run("warm-up bare", f.bare.URL, time.Second)
	run("warm-up parcours", f.parcours.URL, time.Second)

	var bareRate, parcoursRate, p50, p99, bareP50, bareP99 []float64
	b.ResetTimer()
	for i := range rounds {
		r := run("bare", f.bare.URL, phase)
		bareRate, bareP50, bareP99 = append(bareRate, r.rate()), append(bareP50, ms(quantile(r.lat, .5))), append(bareP99, ms(quantile(r.lat, .99)))
		b.Logf("round %d bare:     %6d req in %s = %7.0f req/s, p50 %6.2f ms, p99 %6.2f ms", i+1, r.requests,
			r.elapsed.Round(time.Millisecond), r.rate(), ms(quantile(r.lat, .5)), ms(quantile(r.lat, .99)))
		r = run("parcours", f.parcours.URL, phase)
		parcoursRate, p50, p99 = append(parcoursRate, r.rate()), append(p50, ms(quantile(r.lat, .5))), append(p99, ms(quantile(r.lat, .99)))
		b.Logf("round %d parcours: %6d req in %s = %7.0f req/s, p50 %6.2f ms, p99 %6.2f ms (ratio %.1f %%)", i+1, r.requests,
			r.elapsed.Round(time.Millisecond), r.rate(), ms(quantile(r.lat, .5)), ms(quantile(r.lat, .99)),
			100*r.rate()/bareRate[len(bareRate)-1])
	}
	b.StopTimer()

	// The acknowledged read is never missing: one entry per 200 answer,
	// about that person, by that account, and nothing else.
	es := auditAfter(b, f.store, before)
	got := map[int64]int{}
	for _, e := range es {
		if e.AccountID != f.pro.ID || e.Section != string(person.SectionIdentity) || e.Action != "read" || e.Outcome != "allowed" {
			b.Fatalf("unexpected audit entry %d: %+v", e.ID, e)
		}
		got[e.PersonID]++
	}
	total := 0
	for id, n := range served {
		total += n
		if got[id] != n {
			b.Fatalf("person %d: %d audit entries for %d answered reads", id, got[id], n)
		}
	}
	if len(es) != total {
		b.Fatalf("%d audit entries for %d answered reads", len(es), total)
	}
	b.Logf("audit: %d entries for %d answered reads, one each", len(es), total)

	bare, parcours := median(bareRate), median(parcoursRate)
	b.ReportMetric(parcours, "parcours-req/s")
	b.ReportMetric(bare, "bare-req/s")
	b.ReportMetric(100*parcours/bare, "ratio-%")
	b.ReportMetric(median(p50), "p50-ms")
	b.ReportMetric(median(p99), "p99-ms")
	b.ReportMetric(median(bareP50), "bare-p50-ms")
	b.ReportMetric(median(bareP99), "bare-p99-ms")
}

// sequential sends the requests one after the other through one keep-alive
// client, at least 300 of them (b.N when larger, going round paths), after
// a warm-up of 20. It reports the mean as ns/op, the median and the 99th
// percentile, and checks every answer with ok and one audit entry per
// request.
func sequential(b *testing.B, f *benchFixture, paths []string, ok func(body []byte) bool) {
	b.Helper()
	sequentialAudited(b, f, paths, ok, 1)
}

// sequentialAudited is sequential for requests that each write audits
// entries (a ranking of people audits every person it shows).
func sequentialAudited(b *testing.B, f *benchFixture, paths []string, ok func(body []byte) bool, audits int) {
	b.Helper()
	client := newBenchClient()
	defer client.CloseIdleConnections()
	get := func(path string) time.Duration {
		req, _ := http.NewRequest(http.MethodGet, f.parcours.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+f.token)
		t0 := time.Now()
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		_ = res.Body.Close()
		d := time.Since(t0)
		if err != nil || res.StatusCode != http.StatusOK || !ok(body) {
			b.Fatalf("GET %s: %d %s %v", path, res.StatusCode, body, err)
		}
		return d
	}
	before := lastAudit(b, f.store)
	for i := range 20 {
		get(paths[i%len(paths)])
	}
	n := max(b.N, 300)
	lat := make([]time.Duration, 0, n)
	b.ResetTimer()
	for i := range n {
		lat = append(lat, get(paths[i%len(paths)]))
	}
	b.StopTimer()
	if got, want := len(auditAfter(b, f.store, before)), (20+n)*audits; got != want {
		b.Fatalf("%d audit entries for %d requests", got, want)
	}
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	slices.Sort(lat)
	b.ReportMetric(float64(sum.Nanoseconds())/float64(n), "ns/op")
	b.ReportMetric(ms(quantile(lat, .5)), "p50-ms")
	b.ReportMetric(ms(quantile(lat, .99)), "p99-ms")
}

// BenchmarkLookup asks "is this person known?" for random people of the
// 100,000, by identity and by CAF number: every one is known.
func BenchmarkLookup(b *testing.B) {
	f := fixture(b)
	rng := rand.New(rand.NewPCG(benchSeed, 2)) // #nosec G404 -- reproducible test data
	var byIdentity, byCAF []string
	for len(byIdentity) < 1000 || len(byCAF) < 1000 {
		p := f.people[rng.IntN(len(f.people))]
		if len(byIdentity) < 1000 {
			byIdentity = append(byIdentity, "/api/v1/persons/lookup?"+url.Values{"first_name": {p.FirstName},
				"last_name": {p.LastName}, "birth_date": {p.BirthDate.Format(dateLayout)}}.Encode())
		}
		if p.CAFNumber != "" && len(byCAF) < 1000 {
			byCAF = append(byCAF, "/api/v1/persons/lookup?"+url.Values{"caf_number": {p.CAFNumber}}.Encode())
		}
	}
	known := func(body []byte) bool { return strings.Contains(string(body), `"known":true`) }
	b.Run("identity", func(b *testing.B) { sequential(b, f, byIdentity, known) })
	b.Run("caf", func(b *testing.B) { sequential(b, f, byCAF, known) })
}

// BenchmarkCaseloadSearch searches the account's 2,000 people by the first
// three letters of a last name, and lists the first page without a query.
func BenchmarkCaseloadSearch(b *testing.B) {
	f := fixture(b)
	byID := make(map[int64]person.Person, len(f.people))
	for _, p := range f.people {
		byID[p.ID] = p
	}
	var search []string
	for _, id := range f.caseload[:500] {
		prefix := []rune(byID[id].LastName)
		search = append(search, "/api/v1/persons?"+url.Values{"q": {string(prefix[:min(3, len(prefix))])}}.Encode())
	}
	found := func(body []byte) bool {
		var l struct{ Items []json.RawMessage }
		return json.Unmarshal(body, &l) == nil && len(l.Items) > 0
	}
	b.Run("q", func(b *testing.B) { sequential(b, f, search, found) })
	b.Run("list", func(b *testing.B) { sequential(b, f, []string{"/api/v1/persons"}, found) })
}
