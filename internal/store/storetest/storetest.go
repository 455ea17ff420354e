// Package storetest opens fresh stores for tests: always an SQLite file in a
// temporary folder, and a PostgreSQL schema of its own when
// PARCOURS_TEST_POSTGRES holds a URL.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to create and drop schemas

	"github.com/spie-parcours/parcours/internal/store"
)

// EnvPostgres names the variable holding the PostgreSQL test server's URL.
const EnvPostgres = "PARCOURS_TEST_POSTGRES"

var announce sync.Once

// Engines lists the engines tests run on here: SQLite always, PostgreSQL
// when configured. The first call says so when PostgreSQL is skipped.
func Engines(t testing.TB) []store.Engine {
	t.Helper()
	if os.Getenv(EnvPostgres) == "" {
		announce.Do(func() {
			fmt.Fprintf(os.Stderr, "storetest: %s non défini : la suite PostgreSQL est ignorée (SQLite seulement)\n", EnvPostgres)
		})
		return []store.Engine{store.SQLite}
	}
	return []store.Engine{store.SQLite, store.Postgres}
}

// DSN returns a fresh, empty database for the engine and removes it at the
// end of the test: an SQLite file, or a PostgreSQL schema of its own.
func DSN(t testing.TB, engine store.Engine) string {
	t.Helper()
	if engine == store.SQLite {
		return filepath.Join(t.TempDir(), "parcours.db")
	}
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Skipf("%s non défini : test PostgreSQL ignoré", EnvPostgres)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("storetest: create schema: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("storetest: %s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open returns a migrated, empty store on the engine, closed at the end of
// the test.
func Open(t testing.TB, engine store.Engine) *store.Store {
	t.Helper()
	return OpenDSN(t, DSN(t, engine))
}

// OpenDSN opens and migrates the store at dsn, closed at the end of the test.
func OpenDSN(t testing.TB, dsn string) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("storetest: open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("storetest: migrate: %v", err)
	}
	return s
}

// Each runs f as a sub-test on every engine available.
func Each(t *testing.T, f func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, e := range Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			f(t, Open(t, e))
		})
	}
}
