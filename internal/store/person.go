package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/person"
)

const personInsertColumns = `territory_id, first_name, last_name, birth_name, birth_date, sex, email, phone,
	address, commune_insee, caf_number, france_travail_id, created_at`

func personArgs(p *person.Person) []any {
	return []any{p.TerritoryID, p.FirstName, p.LastName, p.BirthName, p.BirthDate.UTC(), p.Sex, p.Email, p.Phone,
		p.Address, p.CommuneINSEE, nullString(p.CAFNumber), nullString(p.FranceTravailID), p.CreatedAt.UTC()}
}

// InsertPersons writes many people in one transaction, in multi-row INSERTs,
// and sets their IDs. It is all or nothing.
func (s *Store) InsertPersons(ctx context.Context, ps []person.Person) error {
	const perStatement = 500 // 13 columns × 500 rows stays under both engines' parameter limits
	now := time.Now().UTC()
	err := s.tx(ctx, func(d db) error {
		for start := 0; start < len(ps); start += perStatement {
			batch := ps[start:min(start+perStatement, len(ps))]
			var b strings.Builder
			b.WriteString("INSERT INTO persons (" + personInsertColumns + ") VALUES ")
			args := make([]any, 0, len(batch)*13)
			for i := range batch {
				if batch[i].CreatedAt.IsZero() {
					batch[i].CreatedAt = now
				}
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?)")
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
