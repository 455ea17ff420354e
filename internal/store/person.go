package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/person"
)

const personColumns = `territory_id, first_name, last_name, birth_name, birth_date, sex, email, phone,
	address, commune_insee, caf_number, france_travail_id, created_at, search_first, search_last, search_birth,
	rsa_right, rsa_opened_on, rqth, long_term_unemployed, education_level, work_situation, created_by, created_structure, caf_role`

const personColumnCount = 25

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func personArgs(p *person.Person) []any {
	first, last, birth := p.Keys()
	return []any{p.TerritoryID, p.FirstName, p.LastName, p.BirthName, p.BirthDate.UTC(), p.Sex, p.Email, p.Phone,
		p.Address, p.CommuneINSEE, nullString(p.CAFNumber), nullString(p.FranceTravailID), p.CreatedAt.UTC(),
		first, last, birth, p.RSARight, nullTime(p.RSAOpenedOn), p.RQTH, p.LongTermUnemployed, p.EducationLevel,
		p.WorkSituation, nullID(p.CreatedBy), nullID(p.CreatedStructure), p.CAFRole}
}

func placeholders(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"
}

// InsertPersons writes many people in one transaction, in multi-row INSERTs,
// and sets their IDs. It is all or nothing. It records no team, timeline or
// audit: it serves the demo and benchmarks, not the pages.
func (s *Store) InsertPersons(ctx context.Context, ps []person.Person) error {
	const perStatement = 400 // 25 columns × 400 rows stays under both engines' parameter limits
	now := time.Now().UTC()
	err := s.tx(ctx, func(d db) error {
		for start := 0; start < len(ps); start += perStatement {
			batch := ps[start:min(start+perStatement, len(ps))]
			var b strings.Builder
			b.WriteString("INSERT INTO persons (" + personColumns + ") VALUES ")
			args := make([]any, 0, len(batch)*personColumnCount)
			row := placeholders(personColumnCount)
			for i := range batch {
				if batch[i].CreatedAt.IsZero() {
					batch[i].CreatedAt = now
				}
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(row)
				args = append(args, personArgs(&batch[i])...)
			}
			b.WriteString(" RETURNING id")
			rows, err := d.query(ctx, b.String(), args...)
			if err != nil {
				if isUniqueViolation(err) {
					return ErrConflict
				}
				return err
			}
			i := 0
			for rows.Next() {
				if i < len(batch) {
					if err := rows.Scan(&batch[i].ID); err != nil {
						_ = rows.Close()
						return err
					}
				}
				i++
			}
			if err := rows.Close(); err != nil {
				return err
			}
			if err := rows.Err(); err != nil {
				return err
			}
			if i != len(batch) {
				return fmt.Errorf("%d ids for %d rows", i, len(batch))
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: insert persons: %w", err)
	}
	return nil
}

// CountPersons counts the people of a territory.
func (s *Store) CountPersons(ctx context.Context, territoryID int64) (int, error) {
	var n int
	if err := s.reader().queryRow(ctx, `SELECT COUNT(*) FROM persons WHERE territory_id = ?`, territoryID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count persons: %w", err)
	}
	return n, nil
}

const personSelect = `SELECT p.id, p.territory_id, p.first_name, p.last_name, p.birth_name, p.birth_date, p.sex, p.email,
	p.phone, p.address, p.commune_insee, p.caf_number, p.france_travail_id, p.created_at, p.rsa_right, p.rsa_opened_on,
	p.rqth, p.long_term_unemployed, p.education_level, p.work_situation, p.objection_at, p.objection_reason,
	p.updated_at, p.created_by, p.created_structure, p.caf_role FROM persons p`

func scanPerson(sc interface{ Scan(...any) error }) (person.Person, error) {
	var p person.Person
	var caf, ft sql.NullString
	var rsaOpened, objection, updated sql.NullTime
	var createdBy, createdStructure sql.NullInt64
	err := sc.Scan(&p.ID, &p.TerritoryID, &p.FirstName, &p.LastName, &p.BirthName, &p.BirthDate, &p.Sex, &p.Email,
		&p.Phone, &p.Address, &p.CommuneINSEE, &caf, &ft, &p.CreatedAt, &p.RSARight, &rsaOpened,
		&p.RQTH, &p.LongTermUnemployed, &p.EducationLevel, &p.WorkSituation, &objection, &p.ObjectionReason,
		&updated, &createdBy, &createdStructure, &p.CAFRole)
	p.CAFNumber, p.FranceTravailID = caf.String, ft.String
	p.BirthDate = p.BirthDate.UTC()
	p.RSAOpenedOn, p.ObjectionAt, p.UpdatedAt = timeOf(rsaOpened), timeOf(objection), timeOf(updated)
	p.CreatedBy, p.CreatedStructure = createdBy.Int64, createdStructure.Int64
	return p, err
}

// Person returns a person by ID.
func (s *Store) Person(ctx context.Context, id int64) (person.Person, error) {
	p, err := scanPerson(s.reader().queryRow(ctx, personSelect+` WHERE p.id = ?`, id))
	if err != nil {
		return p, fmt.Errorf("store: person %d: %w", id, notFound(err))
	}
	return p, nil
}

// BackfillPersonKeys fills the search keys of people written before they
// existed (databases created by an earlier version). It is cheap when there
// is nothing to do.
func (s *Store) BackfillPersonKeys(ctx context.Context) (int, error) {
	total := 0
	for {
		rows, err := s.reader().query(ctx, `SELECT id, first_name, last_name, birth_name FROM persons
			WHERE search_last = '' LIMIT 5000`)
		if err != nil {
			return total, fmt.Errorf("store: backfill keys: %w", err)
		}
		var ps []person.Person
		for rows.Next() {
			var p person.Person
			if err := rows.Scan(&p.ID, &p.FirstName, &p.LastName, &p.BirthName); err != nil {
				_ = rows.Close()
				return total, fmt.Errorf("store: backfill keys: %w", err)
			}
			ps = append(ps, p)
		}
		if err := rows.Close(); err != nil {
			return total, err
		}
		if len(ps) == 0 {
			return total, nil
		}
		err = s.tx(ctx, func(d db) error {
			for _, p := range ps {
				first, last, birth := p.Keys()
				if last == "" {
					last = "-"
				}
				if _, err := d.exec(ctx, `UPDATE persons SET search_first = ?, search_last = ?, search_birth = ? WHERE id = ?`,
					first, last, birth, p.ID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("store: backfill keys: %w", err)
		}
		total += len(ps)
	}
}
