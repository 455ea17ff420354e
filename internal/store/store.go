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
	"sync"
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
	engine   Engine
	w        *sql.DB
	r        *sql.DB
	dsn      string
	auditQ   auditQueue // group commit of audit entries (audit.go)
	rstmts   stmtCache  // prepared statements of the read pool
	wstmts   stmtCache  // prepared statements of the writer
	settings settingsCache
}

// stmtCache keeps one prepared statement per SQL text: the SQLite driver
// otherwise parses and plans every query again on each call (half the CPU
// of a record read, measured). It holds at most maxStatements texts, so
// that SQL built with a variable number of placeholders cannot fill it.
type stmtCache struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

const maxStatements = 512

// get returns the statement for q, preparing it when prepare is true.
func (c *stmtCache) get(ctx context.Context, q string, prepare bool) (*sql.Stmt, bool) {
	c.mu.RLock()
	st, ok := c.m[q]
	full := len(c.m) >= maxStatements
	c.mu.RUnlock()
	if ok {
		return st, true
	}
	if !prepare || full || c.db == nil {
		return nil, false
	}
	st, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, false // the plain call reports the error
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[q]; ok {
		_ = st.Close()
		return old, true
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[q] = st
	return st, true
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		_ = st.Close()
	}
	c.m = nil
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
	s.rstmts.close()
	s.wstmts.close()
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

// db runs SQL on a handle with the store's placeholder rebinding and its
// prepared statements.
type db struct {
	s     *Store
	q     querier
	cache *stmtCache
	tx    *sql.Tx // set inside a transaction
	// local holds the statements prepared inside an SQLite transaction,
	// which the shared cache cannot prepare then (the transaction holds the
	// writer's only connection); they close with the transaction.
	local map[string]*sql.Stmt
}

// stmt returns the prepared statement for q on this handle, if it can.
// Inside an SQLite transaction it only uses statements prepared before:
// preparing one needs the writer's single connection, which the
// transaction holds.
func (d db) stmt(ctx context.Context, q string) (*sql.Stmt, bool) {
	if d.cache == nil {
		return nil, false
	}
	st, ok := d.cache.get(ctx, q, d.tx == nil || d.s.engine == Postgres)
	if !ok {
		if d.tx == nil || d.local == nil {
			return nil, false
		}
		if st, ok := d.local[q]; ok {
			return st, true
		}
		if len(d.local) >= maxStatements {
			return nil, false
		}
		st, err := d.tx.PrepareContext(ctx, q)
		if err != nil {
			return nil, false // the plain call reports the error
		}
		d.local[q] = st
		return st, true
	}
	if d.tx != nil {
		return d.tx.StmtContext(ctx, st), true
	}
	return st, true
}

// prepare returns a statement for q that lives as long as the transaction
// (or, outside one, until the caller closes it): for the bulk writes that
// run one statement thousands of times.
func (d db) prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	q = d.s.rebind(q)
	if d.tx != nil {
		return d.tx.PrepareContext(ctx, q)
	}
	if h, ok := d.q.(*sql.DB); ok {
		return h.PrepareContext(ctx, q)
	}
	return nil, fmt.Errorf("store: prepare outside a database handle")
}

func (d db) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	q = d.s.rebind(q)
	if st, ok := d.stmt(ctx, q); ok {
		return st.ExecContext(ctx, args...)
	}
	return d.q.ExecContext(ctx, q, args...)
}

func (d db) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = d.s.rebind(q)
	if st, ok := d.stmt(ctx, q); ok {
		return st.QueryContext(ctx, args...)
	}
	return d.q.QueryContext(ctx, q, args...)
}

func (d db) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	q = d.s.rebind(q)
	if st, ok := d.stmt(ctx, q); ok {
		return st.QueryRowContext(ctx, args...)
	}
	return d.q.QueryRowContext(ctx, q, args...)
}

// insertID runs an INSERT … RETURNING id and gives the new id.
func (d db) insertID(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := d.queryRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, err
}

func (s *Store) reader() db { return db{s: s, q: s.r, cache: &s.rstmts} }
func (s *Store) writer() db { return db{s: s, q: s.w, cache: &s.wstmts} }

// tx runs fn in a write transaction, committed when fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(d db) error) error {
	t, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	d := db{s: s, q: t, cache: &s.wstmts, tx: t}
	if s.engine == SQLite {
		d.local = map[string]*sql.Stmt{}
	}
	if err := fn(d); err != nil {
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

// collect runs a query and scans every row with scan, closing the rows.
func collect[T any](ctx context.Context, d db, scan func(*sql.Rows) (T, error), q string, args ...any) ([]T, error) {
	rows, err := d.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
