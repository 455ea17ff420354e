package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/spie-parcours/parcours/internal/audit"
)

// The audit trail is appended with group commit. A request that reads a
// record writes one entry, and with synchronous=FULL each commit waits for
// a flush to disk: one transaction per entry would allow one audited request
// per flush for the whole platform, and queue the rest. So concurrent callers
// of Audit put their entries in a shared batch; one of them, the leader,
// writes the whole batch in one transaction while the next batch fills,
// then wakes the batch's callers with the one result. No goroutine runs in
// the background: the leader is always a caller.
//
// The chain cannot fork. Whoever appends (the leader, or AuditInTx inside a
// caller's transaction) reads the last entry inside its write transaction
// and gives the new entries the following IDs explicitly. On SQLite the
// single writer connection (and BEGIN IMMEDIATE across processes) makes that
// read current; on PostgreSQL, where several instances may write, a
// transaction-scoped advisory lock does. Were two writers ever to read the
// same last entry, the second would collide on the primary key and fail
// rather than fork. Reading the last entry costs one index probe per batch:
// no difference was measurable against a hash cached in memory (see
// BenchmarkAuditParallel), and it needs no cache to keep coherent with
// AuditInTx or with another process writing the same file.

// auditWriteTimeout bounds a batch write, which runs without the leader's
// cancellation: the leader's client going away must not fail the others.
const auditWriteTimeout = 30 * time.Second

// auditRowsPerInsert keeps a multi-row INSERT under both engines' limits
// on bound parameters (11 per row).
const auditRowsPerInsert = 500

// errAuditAborted is what the callers of a batch get if its leader panicked.
var errAuditAborted = errors.New("store: audit: écriture interrompue")

// auditQueue is the group-commit state of one Store. Its zero value is
// ready to use.
type auditQueue struct {
	mu      sync.Mutex
	writing bool        // a leader is writing a batch
	next    *auditBatch // the batch filling while it does, if any
}

// auditBatch is entries written in one transaction.
type auditBatch struct {
	entries []audit.Entry
	turn    chan struct{} // closed when the batch's leader may write it
	done    chan struct{} // closed when written or failed; err is then set
	err     error
}

func (s *Store) auditQueue() *auditQueue { return &s.auditQ }

// Audit appends entries to the audit trail and returns once they are
// durably committed. The store assigns their IDs and hashes.
// A zero At is the current time; At is kept to the microsecond. Concurrent
// calls share one transaction (group commit): if it fails, every caller of
// that batch gets the error and none of the batch is kept. The wait is not
// cut short by ctx, whose cancellation is checked only on entry: entries
// handed to a batch are written.
//
// Audit must not be called inside a write transaction: the batch needs the
// writer, which that transaction holds. Use AuditInTx there.
func (s *Store) Audit(ctx context.Context, es ...audit.Entry) error {
	if len(es) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	es, err := prepareAudit(es)
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	q := s.auditQueue()
	q.mu.Lock()
	if !q.writing {
		// Nobody is writing: write at once, alone.
		q.writing = true
		q.mu.Unlock()
		b := &auditBatch{entries: es, done: make(chan struct{})}
		s.leadAudit(ctx, q, b)
		return b.err
	}
	if b := q.next; b != nil {
		// A batch is waiting for the current write: join it.
		b.entries = append(b.entries, es...)
		q.mu.Unlock()
		<-b.done
		return b.err
	}
	// Start the next batch and lead it when the current write ends.
	b := &auditBatch{entries: es, turn: make(chan struct{}), done: make(chan struct{})}
	q.next = b
	q.mu.Unlock()
	<-b.turn
	s.leadAudit(ctx, q, b)
	return b.err
}

// leadAudit writes a batch, wakes its callers and hands the writing over
// to the leader of the next batch, if one is waiting.
func (s *Store) leadAudit(ctx context.Context, q *auditQueue, b *auditBatch) {
	defer func() {
		close(b.done)
		q.mu.Lock()
		next := q.next
		q.next = nil
		q.writing = next != nil
		q.mu.Unlock()
		if next != nil {
			close(next.turn)
		}
	}()
	b.err = errAuditAborted
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), auditWriteTimeout)
	defer cancel()
	// Prepare the statements of the append before the transaction takes
	// the writer (see db.stmt); later batches find them ready.
	s.wstmts.get(ctx, s.rebind(auditLastQuery), true)
	s.wstmts.get(ctx, s.rebind(auditInsertOne), true)
	err := s.tx(ctx, func(d db) error { return s.appendAudit(ctx, d, b.entries) })
	if err != nil {
		err = fmt.Errorf("store: audit: %w", err)
	}
	b.err = err
}

// AuditInTx appends entries inside the caller's write transaction d (from
// s.tx), so that a change and its audit entry commit or roll back together.
// On PostgreSQL it takes the audit lock, held until that transaction ends:
// keep such transactions short, and do not call Audit before they end.
func (s *Store) AuditInTx(ctx context.Context, d db, es ...audit.Entry) error {
	if len(es) == 0 {
		return nil
	}
	es, err := prepareAudit(es)
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	if err := s.appendAudit(ctx, d, es); err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	return nil
}

// prepareAudit validates the entries and returns a copy with At set, in
// UTC, to the microsecond: PostgreSQL keeps no more, and the hash must
// survive the round trip.
func prepareAudit(es []audit.Entry) ([]audit.Entry, error) {
	out := make([]audit.Entry, len(es))
	now := time.Now()
	for i, e := range es {
		if err := e.Validate(); err != nil {
			return nil, err
		}
		if e.At.IsZero() {
			e.At = now
		}
		e.At = e.At.UTC().Truncate(time.Microsecond)
		out[i] = e
	}
	return out, nil
}

// appendAudit chains the entries to the last one in the database and
// inserts them, in the write transaction d.
func (s *Store) appendAudit(ctx context.Context, d db, es []audit.Entry) error {
	if s.engine == Postgres {
		// The audit lock; Migrate's is 7212026.
		if _, err := d.exec(ctx, "SELECT pg_advisory_xact_lock(7212027)"); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
	}
	lastID, prev := int64(0), audit.GenesisHash
	err := d.queryRow(ctx, auditLastQuery).Scan(&lastID, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("last entry: %w", err)
	}
	for i := range es {
		es[i].ID = lastID + int64(i) + 1
		es[i].PrevHash = prev
		es[i].Hash = audit.Hash(prev, es[i])
		prev = es[i].Hash
	}
	const row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	if len(es) <= auditRowsOneByOne {
		// A prepared one-row INSERT run a few times costs less than
		// parsing a multi-row one of a new length each time.
		for _, e := range es {
			if _, err := d.exec(ctx, auditInsertOne, e.ID, e.At, optionalID(e.AccountID), optionalID(e.StructureID),
				optionalID(e.PersonID), e.Section, e.Action, e.Outcome, e.Reason, e.PrevHash, e.Hash); err != nil {
				return fmt.Errorf("insert: %w", err)
			}
		}
		return nil
	}
	for len(es) > 0 {
		n := min(len(es), auditRowsPerInsert)
		q := "INSERT INTO audit_entries (id, at, account_id, structure_id, person_id, section, action, outcome, reason, prev_hash, hash) VALUES " +
			strings.Repeat(row+", ", n-1) + row
		args := make([]any, 0, 11*n)
		for _, e := range es[:n] {
			args = append(args, e.ID, e.At, optionalID(e.AccountID), optionalID(e.StructureID), optionalID(e.PersonID),
				e.Section, e.Action, e.Outcome, e.Reason, e.PrevHash, e.Hash)
		}
		if _, err := d.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		es = es[n:]
	}
	return nil
}

const (
	auditLastQuery    = "SELECT id, hash FROM audit_entries ORDER BY id DESC LIMIT 1"
	auditInsertOne    = "INSERT INTO audit_entries (" + auditColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	auditRowsOneByOne = 64
)

// optionalID stores a zero ID as NULL.
func optionalID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

const auditColumns = "id, at, account_id, structure_id, person_id, section, action, outcome, reason, prev_hash, hash"

// scanAudit reads the rows of a SELECT of auditColumns.
func scanAudit(rows *sql.Rows, fn func(audit.Entry) error) error {
	defer rows.Close()
	for rows.Next() {
		var e audit.Entry
		var account, structure, person sql.NullInt64
		if err := rows.Scan(&e.ID, &e.At, &account, &structure, &person,
			&e.Section, &e.Action, &e.Outcome, &e.Reason, &e.PrevHash, &e.Hash); err != nil {
			return err
		}
		e.At = e.At.UTC()
		e.AccountID, e.StructureID, e.PersonID = account.Int64, structure.Int64, person.Int64
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AuditEntries returns a person's audit entries, newest first: who
// consulted or changed the record. It gives up to limit entries (50 when
// limit is 0 or less, at most 500) older than the entry numbered before;
// before ≤ 0 starts from the newest. The next page starts before the last
// ID returned.
func (s *Store) AuditEntries(ctx context.Context, personID int64, before int64, limit int) ([]audit.Entry, error) {
	if before <= 0 {
		before = math.MaxInt64
	}
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	rows, err := s.reader().query(ctx, "SELECT "+auditColumns+` FROM audit_entries
		WHERE person_id = ? AND id < ? ORDER BY id DESC LIMIT ?`, personID, before, limit)
	if err != nil {
		return nil, fmt.Errorf("store: audit entries: %w", err)
	}
	var out []audit.Entry
	err = scanAudit(rows, func(e audit.Entry) error {
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: audit entries: %w", err)
	}
	return out, nil
}

// auditWalkPage is how many entries WalkAudit reads per query: enough to
// be fast, few enough not to hold a long read transaction (which would
// keep SQLite from checkpointing its WAL) or much memory.
const auditWalkPage = 1000

// WalkAudit calls fn with every audit entry in ID order, one page at a
// time, never holding the whole trail in memory. It stops at, and returns,
// the first error of fn. Entries appended during the walk may be included.
func (s *Store) WalkAudit(ctx context.Context, fn func(audit.Entry) error) error {
	var after int64
	page := make([]audit.Entry, 0, auditWalkPage)
	for {
		page = page[:0]
		rows, err := s.reader().query(ctx, "SELECT "+auditColumns+` FROM audit_entries
			WHERE id > ? ORDER BY id LIMIT ?`, after, auditWalkPage)
		if err != nil {
			return fmt.Errorf("store: walk audit: %w", err)
		}
		err = scanAudit(rows, func(e audit.Entry) error {
			page = append(page, e)
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: walk audit: %w", err)
		}
		for _, e := range page {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(page) < auditWalkPage {
			return nil
		}
		after = page[len(page)-1].ID
	}
}
