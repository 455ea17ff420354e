// Package store is the only package that speaks SQL. One *Store serves
// embedded SQLite (the default) and PostgreSQL with the same SQL text: queries
// are written with ? placeholders and rebound to $n for PostgreSQL, and the few
// differences between the engines live in engine.go.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Engine names a database engine.
type Engine string

// The engines Parcours runs on.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// ErrNotFound is returned when a row asked for does not exist.
var ErrNotFound = errors.New("store: introuvable")

// ErrConflict is returned when a write collides with a uniqueness rule.
var ErrConflict = errors.New("store: conflit")

// Store holds the database handles. For SQLite, writes go through one
// connection and reads through a pool; for PostgreSQL both are one pool.
type Store struct {
	engine Engine
	w      *sql.DB
	r      *sql.DB
	dsn    string
	auditQ auditQueue // group commit of audit entries (audit.go)
}

// IsPostgresURL reports whether the database setting names a PostgreSQL
// server rather than an SQLite file.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database named by dsn (a file path or a postgres://
// URL), checks that it is reachable and that its durability settings are
// safe. It does not migrate: call Migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	var (
		s   *Store
		err error
	)
	if IsPostgresURL(dsn) {
		s, err = openPostgres(ctx, dsn)
	} else {
		s, err = openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := s.checkDurability(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// Engine tells which engine the store runs on.
func (s *Store) Engine() Engine { return s.engine }

// Close releases the database handles.
func (s *Store) Close() error {
	err := s.w.Close()
	if s.r != s.w {
		if err2 := s.r.Close(); err == nil {
			err = err2
		}
	}
	return err
}

// Ping checks that the database answers a query, for /healthz.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// rebind turns ? placeholders into $1, $2, … for PostgreSQL, leaving string
// literals and quoted identifiers alone.
func (s *Store) rebind(q string) string {
	if s.engine != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// db runs SQL on a handle with the store's placeholder rebinding.
type db struct {
	s *Store
	q querier
}

func (d db) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return d.q.ExecContext(ctx, d.s.rebind(q), args...)
}

func (d db) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return d.q.QueryContext(ctx, d.s.rebind(q), args...)
}

func (d db) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return d.q.QueryRowContext(ctx, d.s.rebind(q), args...)
}

// insertID runs an INSERT … RETURNING id and gives the new id.
func (d db) insertID(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := d.queryRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, err
}

func (s *Store) reader() db { return db{s, s.r} }
func (s *Store) writer() db { return db{s, s.w} }

// tx runs fn in a write transaction, committed when fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(d db) error) error {
	t, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(db{s, t}); err != nil {
		_ = t.Rollback()
		return err
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// nullTime maps the zero time to NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// nullString maps the empty string to NULL, for optional unique columns.
func nullString(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// timeOf reads a nullable time column.
func timeOf(n sql.NullTime) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return n.Time.UTC()
}

// notFound turns sql.ErrNoRows into ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
