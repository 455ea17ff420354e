package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The differences between the engines live in this file.

// sqlitePragmas are set on every SQLite connection: WAL for concurrent reads,
// synchronous=FULL so that a committed transaction survives a power cut,
// foreign keys enforced, and a busy timeout instead of immediate errors.
var sqlitePragmas = []string{
	"journal_mode(WAL)",
	"synchronous(FULL)",
	"foreign_keys(1)",
	"busy_timeout(10000)",
}

func openSQLite(ctx context.Context, path string) (*Store, error) {
	path = strings.TrimPrefix(path, "file:")
	if path == "" {
		return nil, errors.New("base de données : chemin vide")
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("base de données : le dossier %q n'existe pas ou n'est pas lisible", dir)
	}
	q := url.Values{}
	for _, p := range sqlitePragmas {
		q.Add("_pragma", p)
	}
	q.Set("_time_format", "sqlite")
	base := "file:" + path + "?" + q.Encode()

	// The writer keeps a 64 MiB page cache (SQLite's default is 2 MiB):
	// the batches of the jobs rewrite index pages of random keys (tokens),
	// which then stay in memory between the commits of a run.
	w, err := sql.Open("sqlite", base+"&_txlock=immediate&_pragma="+url.QueryEscape("cache_size(-65536)"))
	if err != nil {
		return nil, fmt.Errorf("base de données %q : %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	// Touch the file through the writer first so the WAL mode is set before
	// readers open it.
	if err := w.PingContext(ctx); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("base de données %q illisible : %w", path, sqliteMessage(err))
	}
	var mode string
	if err := w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("base de données %q illisible : %w", path, sqliteMessage(err))
	}
	r, err := sql.Open("sqlite", base+"&mode=ro")
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("base de données %q : %w", path, err)
	}
	n := max(8, runtime.GOMAXPROCS(0)*4)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s := &Store{engine: SQLite, w: w, r: r, dsn: path}
	s.rstmts.db, s.wstmts.db = r, w
	return s, nil
}

// sqliteMessage makes the common SQLite failures readable.
func sqliteMessage(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB:
			return errors.New("le fichier n'est pas une base SQLite")
		case sqlite3.SQLITE_CANTOPEN:
			return errors.New("impossible d'ouvrir le fichier (droits ou chemin)")
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
			return errors.New("le fichier est en lecture seule")
		}
	}
	return err
}

func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	if _, err := url.Parse(dsn); err != nil {
		return nil, fmt.Errorf("adresse PostgreSQL mal formée : %w", err)
	}
	d, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("adresse PostgreSQL mal formée : %w", redactErr(err, dsn))
	}
	d.SetMaxOpenConns(max(8, runtime.GOMAXPROCS(0)*4))
	d.SetMaxIdleConns(max(8, runtime.GOMAXPROCS(0)*4))
	if err := d.PingContext(ctx); err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("PostgreSQL ne répond pas : %w", redactErr(err, dsn))
	}
	s := &Store{engine: Postgres, w: d, r: d, dsn: dsn}
	s.rstmts.db, s.wstmts.db = d, d
	return s, nil
}

// redactErr keeps a password in the URL out of error messages.
func redactErr(err error, dsn string) error {
	u, perr := url.Parse(dsn)
	if perr != nil || u.User == nil {
		return err
	}
	if pw, ok := u.User.Password(); ok && pw != "" {
		return errors.New(strings.ReplaceAll(err.Error(), pw, "***"))
	}
	return err
}

// checkDurability refuses to run on settings that could lose an acknowledged
// write after a crash.
func (s *Store) checkDurability(ctx context.Context) error {
	switch s.engine {
	case SQLite:
		var mode string
		var sync int
		if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			return fmt.Errorf("store: journal_mode: %w", err)
		}
		if err := s.w.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
			return fmt.Errorf("store: synchronous: %w", err)
		}
		if !strings.EqualFold(mode, "wal") || sync < 2 {
			return fmt.Errorf("base SQLite : réglages non durables (journal_mode=%s, synchronous=%d)", mode, sync)
		}
	case Postgres:
		for _, name := range []string{"fsync", "synchronous_commit", "full_page_writes"} {
			var v string
			if err := s.w.QueryRowContext(ctx, "SHOW "+name).Scan(&v); err != nil {
				return fmt.Errorf("store: SHOW %s: %w", name, err)
			}
			if v == "off" {
				return fmt.Errorf("PostgreSQL : %s=off ferait perdre des écritures confirmées ; refus de démarrer", name)
			}
		}
	}
	return nil
}

// isUniqueViolation reports whether err is a uniqueness conflict on either
// engine.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	return false
}

// skipLocked ends a SELECT that claims rows: on PostgreSQL, several
// instances claim different rows at once; SQLite has one writer, which
// serialises claims by itself.
func (s *Store) skipLocked() string {
	if s.engine == Postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}
