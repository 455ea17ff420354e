package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/audit"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
)

// read is an allowed read of a person's record by an account.
func read(account, person int64) audit.Entry {
	return audit.Entry{AccountID: account, StructureID: 1, PersonID: person, Action: audit.ActionRead, Outcome: audit.Allowed}
}

// trail returns the whole audit trail, walked in ID order.
func trail(t *testing.T, s *store.Store) []audit.Entry {
	t.Helper()
	var es []audit.Entry
	if err := s.WalkAudit(context.Background(), func(e audit.Entry) error {
		es = append(es, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return es
}

// verify checks the stored chain as "parcours audit verify" does.
func verify(t *testing.T, s *store.Store) (int, error) {
	t.Helper()
	es := trail(t, s)
	return audit.Verify(func() (audit.Entry, bool, error) {
		if len(es) == 0 {
			return audit.Entry{}, false, nil
		}
		e := es[0]
		es = es[1:]
		return e, true, nil
	})
}

// eachRaw runs f on every engine with a fresh store and a second, raw
// connection to the same database, for what the store never does: change
// or delete audit entries.
func eachRaw(t *testing.T, f func(t *testing.T, s *store.Store, raw *sql.DB)) {
	t.Helper()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			s := storetest.OpenDSN(t, dsn)
			driver := "pgx"
			if engine == store.SQLite {
				driver, dsn = "sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)&_time_format=sqlite"
			}
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = raw.Close() })
			f(t, s, raw)
		})
	}
}

// allowTampering removes the append-only guard, as someone with the
// database owner's rights could.
func allowTampering(t *testing.T, s *store.Store, raw *sql.DB) {
	t.Helper()
	stmts := []string{"DROP TRIGGER audit_entries_no_update", "DROP TRIGGER audit_entries_no_delete"}
	if s.Engine() == store.Postgres {
		stmts = []string{"ALTER TABLE audit_entries DISABLE TRIGGER USER"}
	}
	for _, q := range stmts {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// Two stores on one database stand for two instances of parcours: the
// chain must stay whole when both append at once.
func TestAuditConcurrentChain(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, engine)
			stores := []*store.Store{storetest.OpenDSN(t, dsn), storetest.OpenDSN(t, dsn)}
			const writers, rounds = 50, 4
			var wg sync.WaitGroup
			errs := make(chan error, writers*rounds)
			for w := range writers {
				wg.Go(func() {
					s := stores[w%len(stores)]
					for r := range rounds {
						es := []audit.Entry{read(int64(w+1), int64(r+1))}
						if r%2 == 1 { // some callers append two entries at once
							es = append(es, read(int64(w+1), int64(r+100)))
						}
						if err := s.Audit(ctx, es...); err != nil {
							errs <- err
						}
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			want := writers * (rounds + rounds/2)
			checked, err := verify(t, stores[0])
			if err != nil || checked != want {
				t.Fatalf("Verify = %d, %v; want %d, nil", checked, err, want)
			}
			perAccount := map[int64]int{}
			for _, e := range trail(t, stores[1]) {
				perAccount[e.AccountID]++
			}
			for w := range writers {
				if got := perAccount[int64(w+1)]; got != rounds+rounds/2 {
					t.Errorf("account %d: %d entries, want %d", w+1, got, rounds+rounds/2)
				}
			}
		})
	}
}

func TestAuditEntries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		at := time.Date(2026, 11, 26, 10, 15, 30, 123456789, time.FixedZone("Europe/Paris", 3600))
		denied := audit.Entry{At: at, AccountID: 7, PersonID: 42, Section: "sante",
			Action: audit.ActionRead, Outcome: audit.Denied, Reason: "hors équipe"}
		if err := s.Audit(ctx, denied); err != nil {
			t.Fatal(err)
		}
		for i := range 6 {
			if err := s.Audit(ctx, read(int64(i+1), 42), read(int64(i+1), 43)); err != nil {
				t.Fatal(err)
			}
		}
		lookup := audit.Entry{Action: audit.ActionLookup, Outcome: audit.Allowed} // no account, no person
		if err := s.Audit(ctx, lookup); err != nil {
			t.Fatal(err)
		}

		var pages [][]int64
		before := int64(0)
		for {
			es, err := s.AuditEntries(ctx, 42, before, 3)
			if err != nil {
				t.Fatal(err)
			}
			if len(es) == 0 {
				break
			}
			var ids []int64
			for _, e := range es {
				if e.PersonID != 42 {
					t.Errorf("entry %d is about person %d", e.ID, e.PersonID)
				}
				ids = append(ids, e.ID)
			}
			pages = append(pages, ids)
			before = es[len(es)-1].ID
		}
		want := [][]int64{{12, 10, 8}, {6, 4, 2}, {1}}
		if !slices.EqualFunc(pages, want, slices.Equal) {
			t.Errorf("pages = %v, want %v (newest first)", pages, want)
		}

		es, err := s.AuditEntries(ctx, 42, 2, 0)
		if err != nil || len(es) != 1 {
			t.Fatalf("AuditEntries before 2 = %v, %v", es, err)
		}
		got := es[0]
		denied.ID, denied.At = 1, time.Date(2026, 11, 26, 9, 15, 30, 123456000, time.UTC)
		denied.PrevHash, denied.Hash = audit.GenesisHash, audit.Hash(audit.GenesisHash, denied)
		if got != denied {
			t.Errorf("stored entry\n got  %+v\n want %+v", got, denied)
		}

		all := trail(t, s)
		last := all[len(all)-1]
		if last.AccountID != 0 || last.PersonID != 0 || last.StructureID != 0 || last.Action != audit.ActionLookup {
			t.Errorf("entry without IDs read back as %+v", last)
		}
		if since := time.Since(last.At); since < 0 || since > time.Minute {
			t.Errorf("a zero At became %v, want about now", last.At)
		}
		if checked, err := verify(t, s); err != nil || checked != 14 {
			t.Errorf("Verify = %d, %v; want 14, nil", checked, err)
		}
	})
}

func TestAuditRejectsBadEntryAlone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		bad := audit.Entry{AccountID: 1, Action: "peek", Outcome: audit.Allowed}
		if err := s.Audit(ctx, read(1, 2), bad); err == nil {
			t.Fatal("Audit accepted an unknown action")
		}
		if err := s.Audit(ctx, read(1, 2)); err != nil {
			t.Fatal(err)
		}
		if got := len(trail(t, s)); got != 1 {
			t.Errorf("%d entries, want 1: nothing of the refused call is kept", got)
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.Audit(cancelled, read(1, 2)); !errors.Is(err, context.Canceled) {
			t.Errorf("Audit with a cancelled context: err = %v", err)
		}
	})
}

// A batch that fails is failed for every caller in it and kept for none:
// whoever got nil finds all their entries, whoever got an error finds none.
func TestAuditFailedBatch(t *testing.T) {
	eachRaw(t, func(t *testing.T, s *store.Store, raw *sql.DB) {
		ctx := context.Background()
		stmts := []string{`CREATE TRIGGER audit_boom BEFORE INSERT ON audit_entries
			WHEN NEW.reason = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`}
		if s.Engine() == store.Postgres {
			stmts = []string{
				`CREATE FUNCTION audit_boom() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN IF NEW.reason = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$`,
				`CREATE TRIGGER audit_boom BEFORE INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_boom()`,
			}
		}
		for _, q := range stmts {
			if _, err := raw.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Audit(ctx, read(1, 1), audit.Entry{Action: audit.ActionRead, Outcome: audit.Allowed, Reason: "boom"}); err == nil {
			t.Fatal("Audit of a refused entry returned nil")
		}

		const writers = 40
		results := make([]error, writers)
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				e := read(int64(w+1), 1)
				if w%10 == 0 {
					e.Reason = "boom"
				}
				results[w] = s.Audit(ctx, e, read(int64(w+1), 2))
			})
		}
		wg.Wait()
		count := map[int64]int{}
		for _, e := range trail(t, s) {
			count[e.AccountID]++
		}
		failed := 0
		for w, err := range results {
			want := 2
			if err != nil {
				want = 0
				failed++
			}
			if got := count[int64(w+1)]; got != want {
				t.Errorf("caller %d: err = %v and %d entries kept, want %d", w+1, err, got, want)
			}
			if w%10 == 0 && err == nil {
				t.Errorf("caller %d: a refused entry was reported written", w+1)
			}
		}
		if failed < writers/10 {
			t.Errorf("%d callers failed, want at least the %d whose entry is refused", failed, writers/10)
		}
		if err := s.Audit(ctx, read(99, 1)); err != nil {
			t.Errorf("Audit after failed batches: %v", err)
		}
		if _, err := verify(t, s); err != nil {
			t.Errorf("chain broken after failed batches: %v", err)
		}
	})
}

func TestAuditIsAppendOnly(t *testing.T) {
	eachRaw(t, func(t *testing.T, s *store.Store, raw *sql.DB) {
		if err := s.Audit(context.Background(), read(1, 2), read(1, 3)); err != nil {
			t.Fatal(err)
		}
		stmts := []string{
			"UPDATE audit_entries SET person_id = 99 WHERE id = 1",
			"UPDATE audit_entries SET hash = prev_hash",
			"DELETE FROM audit_entries WHERE id = 2",
			"DELETE FROM audit_entries",
		}
		if s.Engine() == store.Postgres {
			stmts = append(stmts, "TRUNCATE audit_entries")
		}
		for _, q := range stmts {
			_, err := raw.Exec(q)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: err = %v, want the append-only refusal", q, err)
			}
		}
		if checked, err := verify(t, s); err != nil || checked != 2 {
			t.Errorf("Verify = %d, %v; want 2, nil", checked, err)
		}
	})
}

func TestAuditTamperingIsDetected(t *testing.T) {
	tests := []struct {
		name    string
		tamper  func(t *testing.T, raw *sql.DB, rebind func(string) string)
		checked int
		want    string // empty: the chain alone cannot see it
	}{
		{"changed field", func(t *testing.T, raw *sql.DB, rebind func(string) string) {
			mustExec(t, raw, rebind("UPDATE audit_entries SET outcome = ? WHERE id = 5"), audit.Denied)
		}, 4, "entrée n° 5 : empreinte incorrecte"},
		{"deleted in the middle", func(t *testing.T, raw *sql.DB, rebind func(string) string) {
			mustExec(t, raw, "DELETE FROM audit_entries WHERE id = 5")
		}, 4, "entrée n° 5 manquante"},
		{"forged and re-hashed", func(t *testing.T, raw *sql.DB, rebind func(string) string) {
			var prev string
			if err := raw.QueryRow("SELECT prev_hash FROM audit_entries WHERE id = 5").Scan(&prev); err != nil {
				t.Fatal(err)
			}
			// The forger knows the format and rewrites entry 5 consistently,
			// but cannot fix entry 6, which still points to the old hash.
			e := read(666, 5)
			e.ID, e.At = 5, time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
			mustExec(t, raw, rebind("UPDATE audit_entries SET at = ?, account_id = ?, person_id = ?, hash = ? WHERE id = 5"),
				e.At, e.AccountID, e.PersonID, audit.Hash(prev, e))
		}, 5, "entrée n° 6 : chaînage rompu"},
		// Deleting the newest entries leaves a valid, shorter chain: the
		// chain alone cannot tell. "parcours audit verify" prints the count
		// and last hash so that they can be compared with those of a
		// previous run kept outside the database; the store does not keep
		// them itself, as anyone able to delete entries could change them.
		{"last deleted", func(t *testing.T, raw *sql.DB, rebind func(string) string) {
			mustExec(t, raw, "DELETE FROM audit_entries WHERE id = 10")
		}, 9, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eachRaw(t, func(t *testing.T, s *store.Store, raw *sql.DB) {
				for i := range 10 {
					if err := s.Audit(context.Background(), read(7, int64(i+1))); err != nil {
						t.Fatal(err)
					}
				}
				allowTampering(t, s, raw)
				tt.tamper(t, raw, rebindFor(s.Engine()))
				checked, err := verify(t, s)
				if checked != tt.checked {
					t.Errorf("checked = %d, want %d", checked, tt.checked)
				}
				switch {
				case tt.want == "" && err != nil:
					t.Errorf("err = %v, want nil", err)
				case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
					t.Errorf("err = %v, want %q", err, tt.want)
				}
			})
		})
	}
}

func mustExec(t *testing.T, raw *sql.DB, q string, args ...any) {
	t.Helper()
	res, err := raw.Exec(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%s: %d rows, want 1", q, n)
	}
}

// rebindFor numbers ? placeholders for PostgreSQL, for the raw connection.
func rebindFor(engine store.Engine) func(string) string {
	return func(q string) string {
		if engine != store.Postgres {
			return q
		}
		for n := 1; strings.Contains(q, "?"); n++ {
			q = strings.Replace(q, "?", fmt.Sprintf("$%d", n), 1)
		}
		return q
	}
}

func TestWalkAuditPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const n = 2345 // several walk pages, and several INSERTs in one call
		es := make([]audit.Entry, n)
		for i := range es {
			es[i] = read(1, int64(i))
		}
		if err := s.Audit(ctx, es...); err != nil {
			t.Fatal(err)
		}
		if checked, err := verify(t, s); err != nil || checked != n {
			t.Fatalf("Verify = %d, %v; want %d, nil", checked, err, n)
		}
		stop := errors.New("assez")
		seen := 0
		err := s.WalkAudit(ctx, func(audit.Entry) error {
			seen++
			if seen == 1500 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || seen != 1500 {
			t.Errorf("WalkAudit = %v after %d entries, want %v after 1500", err, seen, stop)
		}
	})
}

// BenchmarkAuditParallel measures what a busy server pays per audited
// request: about 32 goroutines each appending one entry at a time, on
// SQLite with synchronous=FULL. It reports the 99th percentile latency.
func BenchmarkAuditParallel(b *testing.B) {
	s := storetest.Open(b, store.SQLite)
	ctx := context.Background()
	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((32 + procs - 1) / procs)
	var (
		mu    sync.Mutex
		times []time.Duration
	)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			start := time.Now()
			if err := s.Audit(ctx, read(1, 2)); err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(start))
		}
		mu.Lock()
		times = append(times, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	if len(times) > 0 {
		slices.Sort(times)
		p99 := times[len(times)*99/100]
		b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	}
}
