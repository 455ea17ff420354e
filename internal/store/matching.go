package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/referential"
)

// The loads of the matching index (package matching keeps the features of
// a territory's open offers and proposable people in memory). The first
// load reads everything (since is zero); the next ones read only what
// changed after the newest change the previous load saw, which it returns.
//
// Each load reads in one snapshot (a read transaction, REPEATABLE READ on
// PostgreSQL), so that what it returns and the newest change it reports
// agree. A change is dated by the writer's clock before it commits: a
// transaction that commits after a load with a date before that load's
// newest change is seen by no incremental load. The index may reload a
// little before the newest change (the loads are idempotent: it replaces
// what it holds by ID), and a full load now and then sets everything
// right, the deletion of a person included (nothing records it).

// readTx runs fn in a read-only transaction: one snapshot for all its
// queries (SQLite's WAL gives one to any transaction; PostgreSQL needs
// REPEATABLE READ, which the SQLite driver ignores).
func (s *Store) readTx(ctx context.Context, fn func(d db) error) error {
	t, err := s.r.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() { _ = t.Rollback() }()
	return fn(db{s: s, q: t, cache: &s.rstmts, tx: t})
}

// MatchingOffers returns the offers of the territory changed after since:
// the open ones in open, the IDs of the others (drafts, filled, closed) in
// gone, and the time of the newest change read (since when none), to pass
// as since to the next load.
func (s *Store) MatchingOffers(ctx context.Context, territoryID int64, since time.Time) (open []employment.Offer, gone []int64, newest time.Time, err error) {
	newest = since.UTC()
	rows, err := s.reader().query(ctx, offerSelect+` WHERE o.territory_id = ? AND o.updated_at > ? ORDER BY o.updated_at, o.id`,
		territoryID, since.UTC())
	if err != nil {
		return nil, nil, newest, fmt.Errorf("store: matching offers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanOffer(rows)
		if err != nil {
			return nil, nil, since, fmt.Errorf("store: matching offers: %w", err)
		}
		newest = latest(newest, o.UpdatedAt)
		if o.Status == employment.OfferOpen {
			open = append(open, o)
		} else {
			gone = append(gone, o.ID)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, since, fmt.Errorf("store: matching offers: %w", err)
	}
	return open, gone, newest, nil
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// profileChanges lists a (person, time) row for every change of a
// matching feature of a territory's people after a time: their identity
// and statuses (commune, RQTH), an objection, their project, an entry of
// their diagnostic added or closed, their employment profile. Each branch
// reads an index on the time of change first (CROSS JOIN makes SQLite
// keep that order: without statistics it would read the territory's
// people first).
const profileChanges = `SELECT p.id, p.updated_at FROM persons p WHERE p.territory_id = ? AND p.updated_at > ?
	UNION ALL SELECT p.id, p.objection_at FROM persons p WHERE p.territory_id = ? AND p.objection_at > ?
	UNION ALL SELECT pr.person_id, pr.updated_at FROM projects pr CROSS JOIN persons p
		WHERE pr.updated_at > ? AND p.id = pr.person_id AND p.territory_id = ?
	UNION ALL SELECT de.person_id, de.created_at FROM diagnostic_entries de CROSS JOIN persons p
		WHERE de.created_at > ? AND p.id = de.person_id AND p.territory_id = ?
	UNION ALL SELECT de.person_id, de.ended_at FROM diagnostic_entries de CROSS JOIN persons p
		WHERE de.ended_at > ? AND p.id = de.person_id AND p.territory_id = ?
	UNION ALL SELECT ep.person_id, ep.updated_at FROM employment_profiles ep CROSS JOIN persons p
		WHERE ep.updated_at > ? AND p.id = ep.person_id AND p.territory_id = ?`

// MatchingProfiles returns the people of the territory whose matching
// features changed after since (all of them when since is zero): those
// the référent agreed to propose, with no objection recorded, in sources;
// the others with an employment profile (no longer proposable, or an
// objection recorded since) by ID in gone. newest is the time of the
// newest change read (since when none), to pass as since to the next
// load. It reads a few set-based queries whatever the number of people.
func (s *Store) MatchingProfiles(ctx context.Context, territoryID int64, since time.Time) (sources []employment.ProfileSource, gone []int64, newest time.Time, err error) {
	since = since.UTC()
	newest = since
	err = s.readTx(ctx, func(d db) error {
		var ids []int64
		if !since.IsZero() {
			changed, at, err := profilesChanged(ctx, d, territoryID, since)
			if err != nil || len(changed) == 0 {
				return err
			}
			ids, newest = changed, latest(newest, at)
		}
		all, err := loadProfiles(ctx, d, territoryID, ids)
		if err != nil {
			return err
		}
		for _, src := range all {
			newest = latest(newest, src.UpdatedAt)
			if src.Proposable {
				sources = append(sources, src)
			} else {
				gone = append(gone, src.PersonID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, since, fmt.Errorf("store: matching profiles: %w", err)
	}
	return sources, gone, newest, nil
}

// profilesChanged returns the IDs of the territory's people with a change
// of their matching features after since, sorted, and the time of the
// newest change.
func profilesChanged(ctx context.Context, d db, territoryID int64, since time.Time) ([]int64, time.Time, error) {
	var newest time.Time
	changed := map[int64]bool{}
	rows, err := d.query(ctx, profileChanges, territoryID, since, territoryID, since, since, territoryID, since, territoryID,
		since, territoryID, since, territoryID)
	if err != nil {
		return nil, newest, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			return nil, newest, err
		}
		changed[id], newest = true, latest(newest, at.UTC())
	}
	if err := rows.Err(); err != nil {
		return nil, newest, err
	}
	ids := make([]int64, 0, len(changed))
	for id := range changed {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, newest, nil
}

// ProfileSource returns what matching reads of one person, whether or not
// they have an employment profile (Proposable is false without one, or
// with an objection recorded).
func (s *Store) ProfileSource(ctx context.Context, personID int64) (employment.ProfileSource, error) {
	var src employment.ProfileSource
	err := s.readTx(ctx, func(d db) error {
		var set profileSet
		rows, err := d.query(ctx, profileSelect+` WHERE p.id = ?`, personID)
		if err != nil {
			return err
		}
		if err := set.scanProfiles(rows, nil); err != nil {
			return err
		}
		if len(set.list) == 0 {
			return ErrNotFound
		}
		rows, err = d.query(ctx, situationSelect+` WHERE de.person_id = ?`, personID)
		if err != nil {
			return err
		}
		if err := set.scanSituations(rows); err != nil {
			return err
		}
		src = set.sorted()[0]
		return nil
	})
	if err != nil {
		return src, fmt.Errorf("store: profile source %d: %w", personID, err)
	}
	return src, nil
}

// profileSelect reads a person's features but the diagnostic, with their
// dates of change.
const profileSelect = `SELECT p.id, p.commune_insee, p.rqth, p.objection_at, p.updated_at, ep.proposable, ep.contracts,
	ep.updated_at, pr.target_jobs, pr.available_from, pr.hours_wanted, pr.driving_licence, pr.vehicle, pr.mobility_km,
	pr.updated_at FROM persons p LEFT JOIN employment_profiles ep ON ep.person_id = p.id
	LEFT JOIN projects pr ON pr.person_id = p.id`

// situationSelect reads the diagnostic entries, open and closed (their
// dates count as changes).
const situationSelect = `SELECT de.person_id, de.theme, de.situation, de.created_at, de.ended_at FROM diagnostic_entries de`

// loadProfiles reads the features of the territory's people with an
// employment profile: all of them when ids is nil, else those of ids
// (sorted), a chunk of IDs per query, or all and filtered when ids are
// many.
func loadProfiles(ctx context.Context, d db, territoryID int64, ids []int64) ([]employment.ProfileSource, error) {
	var set profileSet
	var keep func(int64) bool
	if len(ids) > fullLoadOver {
		want := make(map[int64]bool, len(ids))
		for _, id := range ids {
			want[id] = true
		}
		keep, ids = func(id int64) bool { return want[id] }, nil
	}
	if ids == nil {
		rows, err := d.query(ctx, profileSelect+` WHERE p.territory_id = ? AND ep.person_id IS NOT NULL`, territoryID)
		if err != nil {
			return nil, err
		}
		if err := set.scanProfiles(rows, keep); err != nil {
			return nil, err
		}
		rows, err = d.query(ctx, situationSelect+` JOIN employment_profiles ep ON ep.person_id = de.person_id
			JOIN persons p ON p.id = de.person_id WHERE p.territory_id = ?`, territoryID)
		if err != nil {
			return nil, err
		}
		if err := set.scanSituations(rows); err != nil {
			return nil, err
		}
	}
	for start := 0; start < len(ids); start += idChunk {
		in, args := idList(ids[start:min(start+idChunk, len(ids))])
		rows, err := d.query(ctx, profileSelect+` WHERE p.id IN (`+in+`) AND ep.person_id IS NOT NULL`, args...)
		if err != nil {
			return nil, err
		}
		if err := set.scanProfiles(rows, nil); err != nil {
			return nil, err
		}
		rows, err = d.query(ctx, situationSelect+` WHERE de.person_id IN (`+in+`)`, args...)
		if err != nil {
			return nil, err
		}
		if err := set.scanSituations(rows); err != nil {
			return nil, err
		}
	}
	return set.sorted(), nil
}

// idChunk is the most IDs one query of an incremental load names; beyond
// fullLoadOver changed people, reading the whole territory is cheaper.
const (
	idChunk      = 512
	fullLoadOver = 20_000
)

// idList returns the placeholders and arguments of a list of IDs, padded
// with its last ID to a few fixed lengths so that the queries have a few
// texts only (the statement caches keep one per text).
func idList(ids []int64) (string, []any) {
	n := 16
	for n < len(ids) {
		n *= 4
	}
	n = min(n, max(idChunk, len(ids)))
	args := make([]any, n)
	for i := range n {
		args[i] = ids[min(i, len(ids)-1)]
	}
	return placeholderList(n), args
}

// profileSet gathers the features read of people, by person ID.
type profileSet struct {
	list []employment.ProfileSource
	at   map[int64]int // person ID → position in list
}

// scanProfiles reads rows of profileSelect (those keep accepts, when set),
// closing them. Proposable is false when an objection is recorded.
func (set *profileSet) scanProfiles(rows *sql.Rows, keep func(int64) bool) error {
	defer rows.Close()
	if set.at == nil {
		set.at = map[int64]int{}
	}
	for rows.Next() {
		var (
			src                                  employment.ProfileSource
			objection, updated, epUpdated, avail sql.NullTime
			prUpdated                            sql.NullTime
			proposable, licence, vehicle         sql.NullBool
			contracts, jobs                      sql.NullString
			hours, mobility                      sql.NullInt64
		)
		if err := rows.Scan(&src.PersonID, &src.CommuneINSEE, &src.RQTH, &objection, &updated, &proposable, &contracts,
			&epUpdated, &jobs, &avail, &hours, &licence, &vehicle, &mobility, &prUpdated); err != nil {
			return err
		}
		if keep != nil && !keep(src.PersonID) {
			continue
		}
		src.Proposable = proposable.Bool && !objection.Valid
		src.Contracts, src.Appellations = splitList(contracts.String), splitList(jobs.String)
		src.AvailableFrom, src.HoursWanted = timeOf(avail), int(hours.Int64)
		src.Licence, src.Vehicle, src.MobilityKm = licence.Bool, vehicle.Bool, int(mobility.Int64)
		for _, t := range []sql.NullTime{objection, updated, epUpdated, prUpdated} {
			src.UpdatedAt = latest(src.UpdatedAt, timeOf(t))
		}
		if i, ok := set.at[src.PersonID]; ok {
			set.list[i] = src
			continue
		}
		set.at[src.PersonID] = len(set.list)
		set.list = append(set.list, src)
	}
	return rows.Err()
}

// scanSituations adds the open situations of the diagnostic entries read
// (rows of situationSelect) to the people of the set, and the dates of
// every entry to their UpdatedAt, closing the rows.
func (set *profileSet) scanSituations(rows *sql.Rows) error {
	defer rows.Close()
	for rows.Next() {
		var id int64
		var sit referential.Situation
		var created time.Time
		var ended sql.NullTime
		if err := rows.Scan(&id, &sit.ThemeCode, &sit.Label, &created, &ended); err != nil {
			return err
		}
		i, ok := set.at[id]
		if !ok {
			continue
		}
		p := &set.list[i]
		p.UpdatedAt = latest(latest(p.UpdatedAt, created.UTC()), timeOf(ended))
		if !ended.Valid && !slices.Contains(p.Situations, sit) {
			p.Situations = append(p.Situations, sit)
		}
	}
	return rows.Err()
}

// sorted returns the set by person ID, each person's situations in the
// order of their themes and labels, whatever the order the engine read
// them in.
func (set *profileSet) sorted() []employment.ProfileSource {
	for i := range set.list {
		sortSituations(&set.list[i])
	}
	slices.SortFunc(set.list, func(a, b employment.ProfileSource) int { return cmp.Compare(a.PersonID, b.PersonID) })
	return set.list
}

// sortSituations puts a person's situations in the order of their themes
// and labels.
func sortSituations(p *employment.ProfileSource) {
	slices.SortFunc(p.Situations, func(a, b referential.Situation) int {
		return cmp.Or(cmp.Compare(a.ThemeCode, b.ThemeCode), cmp.Compare(a.Label, b.Label))
	})
}

// Bulk writes for imports and benchmarks: many rows in one transaction, a
// few hundred per statement, with no timeline line, audit entry or
// message (the methods that serve the pages write those).

// insertRows writes n rows of cols columns with multi-row INSERTs (head
// ends with "VALUES "), taking each row's values from row.
func insertRows(ctx context.Context, d db, head string, cols, n int, row func(i int) []any) error {
	per := max(1, 8000/cols) // under both engines' limits on bound parameters
	for start := 0; start < n; start += per {
		end := min(start+per, n)
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, (end-start)*cols)
		ph := placeholders(cols)
		for i := start; i < end; i++ {
			if i > start {
				b.WriteByte(',')
			}
			b.WriteString(ph)
			args = append(args, row(i)...)
		}
		if _, err := d.exec(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// InsertProjects writes the professional projects of many people (for
// imports and benchmarks), all or nothing. A zero UpdatedAt is now.
func (s *Store) InsertProjects(ctx context.Context, prs []person.Project) error {
	now := time.Now().UTC()
	err := s.tx(ctx, func(d db) error {
		return insertRows(ctx, d, `INSERT INTO projects (person_id, target_jobs, experience, skills, available_from, hours_wanted,
			driving_licence, vehicle, mobility_km, updated_by, updated_at) VALUES `, 11, len(prs), func(i int) []any {
			pr := prs[i]
			return []any{pr.PersonID, strings.Join(pr.TargetJobs, ","), pr.Experience, pr.Skills, nullTime(pr.AvailableFrom),
				pr.HoursWanted, pr.DrivingLicence, pr.Vehicle, pr.MobilityKm, nullID(pr.UpdatedBy), orNow(pr.UpdatedAt, now)}
		})
	})
	if err != nil {
		return fmt.Errorf("store: insert projects: %w", err)
	}
	return nil
}

// InsertDiagnosticEntries writes diagnostic entries of many people (for
// imports and benchmarks), all or nothing, keeping their CreatedAt (now
// when zero) and EndedAt. AuthorID and StructureID are required.
func (s *Store) InsertDiagnosticEntries(ctx context.Context, es []person.DiagnosticEntry) error {
	now := time.Now().UTC()
	err := s.tx(ctx, func(d db) error {
		return insertRows(ctx, d, `INSERT INTO diagnostic_entries (person_id, theme, situation, comment, section, author_id,
			structure_id, created_at, ended_at) VALUES `, 9, len(es), func(i int) []any {
			e := es[i]
			return []any{e.PersonID, e.Theme, e.Situation, e.Comment, string(e.Section), e.AuthorID, e.StructureID,
				orNow(e.CreatedAt, now), nullTime(e.EndedAt)}
		})
	})
	if err != nil {
		return fmt.Errorf("store: insert diagnostic entries: %w", err)
	}
	return nil
}

// InsertEmploymentProfiles writes the employment profiles of many people
// (for imports and benchmarks), all or nothing, from their PersonID,
// Proposable, Contracts and UpdatedAt (now when zero).
func (s *Store) InsertEmploymentProfiles(ctx context.Context, ps []employment.ProfileSource) error {
	now := time.Now().UTC()
	err := s.tx(ctx, func(d db) error {
		return insertRows(ctx, d, `INSERT INTO employment_profiles (person_id, proposable, contracts, updated_at) VALUES `, 4, len(ps),
			func(i int) []any {
				p := ps[i]
				return []any{p.PersonID, p.Proposable, strings.Join(p.Contracts, ","), orNow(p.UpdatedAt, now)}
			})
	})
	if err != nil {
		return fmt.Errorf("store: insert employment profiles: %w", err)
	}
	return nil
}

func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t.UTC()
}
