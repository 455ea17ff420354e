package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/person"
)

// The reads that dress a ranking for a page: the matching index holds
// features only (codes, places, flags); the offers' titles and employers,
// and the people's names and teams, are read for the few results shown.

// OffersByID returns the offers of the IDs that exist, by ID.
func (s *Store) OffersByID(ctx context.Context, ids []int64) (map[int64]employment.Offer, error) {
	out := make(map[int64]employment.Offer, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	in, args := idList(ids)
	offers, err := collect(ctx, s.reader(), func(rows *sql.Rows) (employment.Offer, error) { return scanOffer(rows) },
		offerSelect+` WHERE o.id IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: offers by ID: %w", err)
	}
	for _, o := range offers {
		out[o.ID] = o
	}
	return out, nil
}

// PersonBrief is a person as a ranking of people for an offer may show
// them: the names, for those who may read the record only (the caller
// decides, with what access.Read needs: territory, objection, team), and
// the active team, référent first, whom the others contact.
type PersonBrief struct {
	PersonID            int64
	TerritoryID         int64
	FirstName, LastName string
	Objection           bool // the person objected to sharing
	Team                []person.TeamMember
}

// Referent returns the active référent, if any.
func (b PersonBrief) Referent() (person.TeamMember, bool) {
	for _, m := range b.Team {
		if m.Referent {
			return m, true
		}
	}
	return person.TeamMember{}, false
}

// PeopleBriefs returns the names and active teams of the people of the
// IDs that exist, by ID, in two queries.
func (s *Store) PeopleBriefs(ctx context.Context, ids []int64) (map[int64]PersonBrief, error) {
	out := make(map[int64]PersonBrief, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	in, args := idList(ids)
	err := s.readTx(ctx, func(d db) error {
		rows, err := d.query(ctx, `SELECT id, territory_id, first_name, last_name, objection_at FROM persons
			WHERE id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var b PersonBrief
			var objection sql.NullTime
			if err := rows.Scan(&b.PersonID, &b.TerritoryID, &b.FirstName, &b.LastName, &objection); err != nil {
				return err
			}
			b.Objection = objection.Valid
			out[b.PersonID] = b
		}
		if err := rows.Err(); err != nil {
			return err
		}
		team, err := collect(ctx, d, func(rows *sql.Rows) (person.TeamMember, error) { return scanTeamMember(rows) },
			teamSelect+` WHERE tm.person_id IN (`+in+`) AND tm.ended_at IS NULL
			ORDER BY tm.person_id, tm.referent DESC, tm.started_at, tm.id`, args...)
		if err != nil {
			return err
		}
		for _, m := range team {
			if b, ok := out[m.PersonID]; ok {
				b.Team = append(b.Team, m)
				out[m.PersonID] = b
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: people briefs: %w", err)
	}
	return out, nil
}
