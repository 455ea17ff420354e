package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/audit"
	"github.com/spie-parcours/parcours/internal/importer"
	"github.com/spie-parcours/parcours/internal/orientation"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
)

// Import actions of a row, as importer.Plan decides them.
const (
	ActionCreate    = importer.ActionCreate
	ActionUpdate    = importer.ActionUpdate
	ActionUnchanged = importer.ActionUnchanged
	ActionError     = importer.ActionError
)

// ImportRow is one line of an imported file and what committing it does.
type ImportRow struct {
	Line     int
	Action   string
	PersonID int64 // the person matched, for update and unchanged
	Person   person.Person
	Errors   []problem.Field
}

// ImportSummary counts the rows by action.
type ImportSummary struct {
	Create    int `json:"create"`
	Update    int `json:"update"`
	Unchanged int `json:"unchanged"`
	Error     int `json:"error"`
}

// Import is a file previewed, then committed or cancelled.
type Import struct {
	ID          int64
	TerritoryID int64
	StructureID int64
	AccountID   int64
	Filename    string
	Mapping     string // JSON
	Status      string // preview, committed, cancelled
	CreatedAt   time.Time
	CommittedAt time.Time
	Summary     ImportSummary
}

// Count adds a row to the summary.
func (s *ImportSummary) Count(action string) {
	switch action {
	case ActionCreate:
		s.Create++
	case ActionUpdate:
		s.Update++
	case ActionUnchanged:
		s.Unchanged++
	default:
		s.Error++
	}
}

// importedPerson is what a row keeps of a person between preview and
// commit: the fields an import may set.
type importedPerson struct {
	FirstName, LastName, BirthName, Sex, Email, Phone, Address, CommuneINSEE string
	CAFNumber, CAFRole, FranceTravailID, RSARight                            string
	BirthDate, RSAOpenedOn                                                   time.Time
	LongTermUnemployed                                                       bool
}

func toImported(p person.Person) importedPerson {
	return importedPerson{p.FirstName, p.LastName, p.BirthName, p.Sex, p.Email, p.Phone, p.Address, p.CommuneINSEE,
		p.CAFNumber, p.CAFRole, p.FranceTravailID, p.RSARight, p.BirthDate, p.RSAOpenedOn, p.LongTermUnemployed}
}

func (ip importedPerson) person() person.Person {
	return person.Person{FirstName: ip.FirstName, LastName: ip.LastName, BirthName: ip.BirthName, Sex: ip.Sex, Email: ip.Email,
		Phone: ip.Phone, Address: ip.Address, CommuneINSEE: ip.CommuneINSEE, CAFNumber: ip.CAFNumber, CAFRole: ip.CAFRole,
		FranceTravailID: ip.FranceTravailID, RSARight: ip.RSARight, BirthDate: ip.BirthDate, RSAOpenedOn: ip.RSAOpenedOn,
		LongTermUnemployed: ip.LongTermUnemployed}
}

// CreateImport stores a preview: the import and every planned row with
// its action. Nothing of the people is written.
func (s *Store) CreateImport(ctx context.Context, imp *Import, rows []importer.Planned) error {
	imp.Status, imp.Summary = "preview", ImportSummary{}
	for _, r := range rows {
		imp.Summary.Count(r.Action)
	}
	if imp.CreatedAt.IsZero() {
		imp.CreatedAt = time.Now().UTC()
	}
	err := s.tx(ctx, func(d db) error {
		id, err := d.insertID(ctx, `INSERT INTO imports (territory_id, structure_id, account_id, filename, mapping, status, created_at,
			creates, updates, unchanged, errors) VALUES (?, ?, ?, ?, ?, 'preview', ?, ?, ?, ?, ?)`, imp.TerritoryID, imp.StructureID,
			nullID(imp.AccountID), imp.Filename, imp.Mapping, imp.CreatedAt.UTC(), imp.Summary.Create, imp.Summary.Update,
			imp.Summary.Unchanged, imp.Summary.Error)
		if err != nil {
			return err
		}
		imp.ID = id
		const perStatement = 500
		for start := 0; start < len(rows); start += perStatement {
			batch := rows[start:min(start+perStatement, len(rows))]
			var b strings.Builder
			b.WriteString(`INSERT INTO import_rows (import_id, line, action, person_id, data, errors) VALUES `)
			args := make([]any, 0, 6*len(batch))
			for i, r := range batch {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString("(?, ?, ?, ?, ?, ?)")
				p := r.Person
				p.CAFRole = r.Role
				data, err := json.Marshal(toImported(p))
				if err != nil {
					return err
				}
				errs := ""
				if len(r.Errors) > 0 {
					eb, err := json.Marshal(r.Errors)
					if err != nil {
						return err
					}
					errs = string(eb)
				}
				args = append(args, id, r.Line, r.Action, nullID(r.PersonID), string(data), errs)
			}
			if _, err := d.exec(ctx, b.String(), args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: create import: %w", err)
	}
	return nil
}

// ImportByID returns an import.
func (s *Store) ImportByID(ctx context.Context, id int64) (Import, error) {
	var imp Import
	var account sql.NullInt64
	var committed sql.NullTime
	err := s.reader().queryRow(ctx, `SELECT id, territory_id, structure_id, account_id, filename, mapping, status, created_at,
		committed_at, creates, updates, unchanged, errors FROM imports WHERE id = ?`, id).
		Scan(&imp.ID, &imp.TerritoryID, &imp.StructureID, &account, &imp.Filename, &imp.Mapping, &imp.Status, &imp.CreatedAt,
			&committed, &imp.Summary.Create, &imp.Summary.Update, &imp.Summary.Unchanged, &imp.Summary.Error)
	if err != nil {
		return imp, fmt.Errorf("store: import %d: %w", id, notFound(err))
	}
	imp.AccountID, imp.CommittedAt = account.Int64, timeOf(committed)
	return imp, nil
}

// ImportRows streams an import's rows in line order; with onlyErrors, the
// rows in error.
func (s *Store) ImportRows(ctx context.Context, id int64, onlyErrors bool, fn func(ImportRow) error) error {
	q := `SELECT line, action, person_id, data, errors FROM import_rows WHERE import_id = ?`
	if onlyErrors {
		q += ` AND action = 'error'`
	}
	rows, err := s.reader().query(ctx, q+` ORDER BY line`, id)
	if err != nil {
		return fmt.Errorf("store: import rows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanImportRow(rows)
		if err != nil {
			return fmt.Errorf("store: import rows: %w", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

func scanImportRow(sc interface{ Scan(...any) error }) (ImportRow, error) {
	var r ImportRow
	var pid sql.NullInt64
	var data, errs string
	if err := sc.Scan(&r.Line, &r.Action, &pid, &data, &errs); err != nil {
		return r, err
	}
	r.PersonID = pid.Int64
	var ip importedPerson
	if err := json.Unmarshal([]byte(data), &ip); err != nil {
		return r, err
	}
	r.Person = ip.person()
	if errs != "" {
		if err := json.Unmarshal([]byte(errs), &r.Errors); err != nil {
			return r, err
		}
	}
	return r, nil
}

// CancelImport drops a preview: nothing was written, nothing will be.
func (s *Store) CancelImport(ctx context.Context, id int64) error {
	return s.execOne(ctx, "cancel import", `UPDATE imports SET status = 'cancelled' WHERE id = ? AND status = 'preview'`, id)
}

// CommitImport writes a previewed import in one transaction, all or
// nothing: each "create" row becomes a person with an orientation request
// in the queue (source import, due date from the rules and the RSA opening
// date), each "update" row updates its person; rows in error and unchanged
// rows are left. Every person written has its audit entry. A second commit,
// or a commit of a cancelled import, is ErrConflict; a person created
// meanwhile with the same identifiers is ErrConflict too (preview again).
func (s *Store) CommitImport(ctx context.Context, id int64, rules orientation.Rules, by Actor) (ImportSummary, error) {
	imp, err := s.ImportByID(ctx, id)
	if err != nil {
		return ImportSummary{}, err
	}
	var rows []ImportRow
	err = s.ImportRows(ctx, id, false, func(r ImportRow) error {
		if r.Action == ActionCreate || r.Action == ActionUpdate {
			rows = append(rows, r)
		}
		return nil
	})
	if err != nil {
		return ImportSummary{}, err
	}
	now := by.at()
	err = s.tx(ctx, func(d db) error {
		res, err := d.exec(ctx, `UPDATE imports SET status = 'committed', committed_at = ? WHERE id = ? AND status = 'preview'`, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrConflict
		}
		var created []person.Person
		var es []audit.Entry
		for _, r := range rows {
			p := r.Person
			p.TerritoryID, p.CreatedAt, p.CreatedBy, p.CreatedStructure = imp.TerritoryID, now, by.AccountID, imp.StructureID
			if r.Action == ActionCreate {
				created = append(created, p)
				continue
			}
			p.ID = r.PersonID
			if err := updateImported(ctx, d, p, now); err != nil {
				return err
			}
			es = append(es, by.entry(p.ID, person.SectionIdentity, "update"))
		}
		if err := insertPersonsTx(ctx, d, created); err != nil {
			return err
		}
		if err := queueImported(ctx, d, created, rules, id, by); err != nil {
			return err
		}
		for _, p := range created {
			es = append(es, by.entry(p.ID, person.SectionIdentity, "create"))
		}
		return s.AuditInTx(ctx, d, es...)
	})
	if err != nil {
		if isUniqueViolation(err) {
			err = ErrConflict
		}
		return ImportSummary{}, fmt.Errorf("store: commit import %d: %w", id, err)
	}
	return imp.Summary, nil
}

// updateImported sets the fields a file gives on a known person: an empty
// cell never erases what the record holds.
func updateImported(ctx context.Context, d db, p person.Person, now time.Time) error {
	first, last, birth := p.Keys()
	_, err := d.exec(ctx, `UPDATE persons SET first_name = ?, last_name = ?, search_first = ?, search_last = ?, search_birth = ?,
		birth_name = CASE WHEN ? = '' THEN birth_name ELSE ? END,
		sex = CASE WHEN ? = '' THEN sex ELSE ? END,
		email = CASE WHEN ? = '' THEN email ELSE ? END,
		phone = CASE WHEN ? = '' THEN phone ELSE ? END,
		address = CASE WHEN ? = '' THEN address ELSE ? END,
		commune_insee = CASE WHEN ? = '' THEN commune_insee ELSE ? END,
		caf_number = COALESCE(?, caf_number), caf_role = CASE WHEN ? = '' THEN caf_role ELSE ? END,
		france_travail_id = COALESCE(?, france_travail_id),
		rsa_right = CASE WHEN ? = '' THEN rsa_right ELSE ? END,
		rsa_opened_on = COALESCE(?, rsa_opened_on),
		long_term_unemployed = long_term_unemployed OR ?,
		updated_at = ? WHERE id = ?`,
		p.FirstName, p.LastName, first, last, birth, p.BirthName, p.BirthName, p.Sex, p.Sex, p.Email, p.Email, p.Phone, p.Phone,
		p.Address, p.Address, p.CommuneINSEE, p.CommuneINSEE, nullString(p.CAFNumber), p.CAFRole, p.CAFRole,
		nullString(p.FranceTravailID), p.RSARight, p.RSARight, nullTime(p.RSAOpenedOn), p.LongTermUnemployed, now, p.ID)
	return err
}

// batchInsert runs a multi-row INSERT of rows of n columns, perStatement
// rows at a time: the statement of a full batch is prepared once for the
// transaction (parsing a statement of thousands of placeholders costs more
// than running it). With returning, scan gets each row's new id in order.
func batchInsert(ctx context.Context, d db, head, tail string, n, count, perStatement int, args func(i int) []any, scan func(i int, id int64)) error {
	row := placeholders(n)
	text := func(rows int) string {
		var b strings.Builder
		b.WriteString(head)
		for i := 0; i < rows; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(row)
		}
		b.WriteString(tail)
		return b.String()
	}
	var full *sql.Stmt
	defer func() {
		if full != nil {
			_ = full.Close()
		}
	}()
	for start := 0; start < count; start += perStatement {
		rows := min(perStatement, count-start)
		var st *sql.Stmt // only full batches share the prepared statement
		if rows == perStatement {
			if full == nil {
				var err error
				if full, err = d.prepare(ctx, text(rows)); err != nil {
					return err
				}
			}
			st = full
		}
		a := make([]any, 0, rows*n)
		for i := start; i < start+rows; i++ {
			a = append(a, args(i)...)
		}
		if scan == nil {
			var err error
			if st != nil {
				_, err = st.ExecContext(ctx, a...)
			} else {
				_, err = d.exec(ctx, text(rows), a...)
			}
			if err != nil {
				return err
			}
			continue
		}
		var res *sql.Rows
		var err error
		if st != nil {
			res, err = st.QueryContext(ctx, a...)
		} else {
			res, err = d.query(ctx, text(rows), a...)
		}
		if err != nil {
			return err
		}
		i := start
		for res.Next() {
			var id int64
			if err := res.Scan(&id); err != nil {
				_ = res.Close()
				return err
			}
			if i < start+rows {
				scan(i, id)
			}
			i++
		}
		if err := res.Close(); err != nil {
			return err
		}
		if i != start+rows {
			return fmt.Errorf("%d ids for %d rows", i-start, rows)
		}
	}
	return nil
}

// insertPersonsTx inserts people in the transaction and sets their IDs.
func insertPersonsTx(ctx context.Context, d db, ps []person.Person) error {
	return batchInsert(ctx, d, "INSERT INTO persons ("+personColumns+") VALUES ", " RETURNING id", personColumnCount, len(ps), 400,
		func(i int) []any { return personArgs(&ps[i]) }, func(i int, id int64) { ps[i].ID = id })
}

// queueImported puts each person created by an import in the orientation
// queue, with a timeline line.
func queueImported(ctx context.Context, d db, ps []person.Person, rules orientation.Rules, importID int64, by Actor) error {
	now := by.at()
	due := make([]time.Time, len(ps))
	for i, p := range ps {
		due[i] = rules.DecisionDue(now, p.RSAOpenedOn)
	}
	err := batchInsert(ctx, d, `INSERT INTO orientations (person_id, territory_id, source, requested_by, requested_structure,
		requested_at, due_on, status, import_id) VALUES `, "", 9, len(ps), 500, func(i int) []any {
		return []any{ps[i].ID, ps[i].TerritoryID, "import", nullID(by.AccountID), nullID(by.StructureID), now, due[i], "pending", importID}
	}, nil)
	if err != nil {
		return err
	}
	return batchInsert(ctx, d, `INSERT INTO timeline_events (person_id, at, kind, summary, section, visibility, account_id, structure_id)
		VALUES `, "", 8, len(ps), 500, func(i int) []any {
		return []any{ps[i].ID, now, "person_registered",
			"Personne inscrite par import de liste ; demande d'orientation à décider avant le " + due[i].Format("02/01/2006"),
			"", "team", nullID(by.AccountID), nullID(by.StructureID)}
	}, nil)
}

// IndexPersons loads the territory's people for matching an import, in one
// pass.
func (s *Store) IndexPersons(ctx context.Context, territoryID int64) (*importer.Index, error) {
	ix := importer.NewIndex()
	rows, err := s.reader().query(ctx, personSelect+` WHERE p.territory_id = ?`, territoryID)
	if err != nil {
		return nil, fmt.Errorf("store: index persons: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, fmt.Errorf("store: index persons: %w", err)
		}
		ix.Add(p)
	}
	return ix, rows.Err()
}

// ImportMapping returns the column mapping the structure used last.
func (s *Store) ImportMapping(ctx context.Context, structureID int64) (importer.Mapping, error) {
	var text string
	err := s.reader().queryRow(ctx, `SELECT mapping FROM import_mappings WHERE structure_id = ? AND name = 'default'`, structureID).Scan(&text)
	if err != nil {
		return nil, fmt.Errorf("store: import mapping: %w", notFound(err))
	}
	var m importer.Mapping
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		return nil, fmt.Errorf("store: import mapping: %w", err)
	}
	return m, nil
}

// SaveImportMapping keeps the structure's column mapping for its next file.
func (s *Store) SaveImportMapping(ctx context.Context, structureID int64, m importer.Mapping, at time.Time) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = s.writer().exec(ctx, `INSERT INTO import_mappings (structure_id, name, mapping, updated_at) VALUES (?, 'default', ?, ?)
		ON CONFLICT (structure_id, name) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at`,
		structureID, string(b), at.UTC())
	if err != nil {
		return fmt.Errorf("store: save import mapping: %w", err)
	}
	return nil
}
