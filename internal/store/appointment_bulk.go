package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/spie-parcours/parcours/internal/appointment"
)

// InsertInvitations writes many invitations in one transaction, a few
// hundred rows per statement, and sets their IDs. It is for imports of
// invitations sent before Parcours and for benchmarks: it writes no link,
// no timeline line, no audit entry and no message, which CreateInvitation
// does for an invitation sent now. Each invitation keeps its CreatedAt,
// ExpiresAt, RemindedAt, ExpiredAt and BookedAt as given.
func (s *Store) InsertInvitations(ctx context.Context, invs []appointment.Invitation) error {
	const cols = 13
	const perStatement = 500 // 13 columns × 500 rows stays under both engines' parameter limits
	err := s.tx(ctx, func(d db) error {
		for start := 0; start < len(invs); start += perStatement {
			batch := invs[start:min(start+perStatement, len(invs))]
			var b strings.Builder
			b.WriteString(`INSERT INTO invitations (person_id, territory_id, structure_id, type_id, orientation_id, channels, created_by,
				created_at, expires_at, reminded_at, expired_at, appointment_id, booked_at) VALUES `)
			args := make([]any, 0, len(batch)*cols)
			row := placeholders(cols)
			for i, inv := range batch {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(row)
				args = append(args, inv.PersonID, inv.TerritoryID, inv.StructureID, inv.TypeID, nullID(inv.OrientationID),
					joinChannels(inv.Channels), nullID(inv.CreatedBy), inv.CreatedAt.UTC(), inv.ExpiresAt.UTC(),
					nullTime(inv.RemindedAt), nullTime(inv.ExpiredAt), nullID(inv.AppointmentID), nullTime(inv.BookedAt))
			}
			b.WriteString(" RETURNING id")
			ids, err := collect(ctx, d, func(rows *sql.Rows) (int64, error) {
				var id int64
				return id, rows.Scan(&id)
			}, b.String(), args...)
			if err != nil {
				return err
			}
			if len(ids) != len(batch) {
				return fmt.Errorf("%d ids for %d rows", len(ids), len(batch))
			}
			// Both engines number the rows of a statement in their order, but
			// RETURNING does not promise to list them in it.
			slices.Sort(ids)
			for i := range batch {
				batch[i].ID = ids[i]
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: insert invitations: %w", err)
	}
	return nil
}
