package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/spie-parcours/parcours/internal/appointment"
)

// The follow-up of the people oriented to a structure: their invitations and
// appointments with it since the decision, from which the follow-up status
// is derived (appointment.FollowUp), and the data of the delay indicators.

// FollowUpItem is a person oriented to a structure, with what the status is
// derived from. The identity is what a professional of the structure needs
// to call the person, never the record.
type FollowUpItem struct {
	OrientationID       int64
	PersonID            int64
	FirstName, LastName string
	BirthDate           time.Time
	Phone, Email        string
	DecidedAt           time.Time
	Closed              bool // a later orientation took over
	Invitations         []appointment.Invitation
	Appointments        []appointment.Appointment
}

// FollowUps lists the people oriented to the structure (accepted
// orientations, the latest per person), newest decision first, with their
// invitations and appointments of that structure since the decision.
func (s *Store) FollowUps(ctx context.Context, structureID int64) ([]FollowUpItem, error) {
	items, err := collect(ctx, s.reader(), func(rows *sql.Rows) (FollowUpItem, error) {
		var it FollowUpItem
		var later int
		err := rows.Scan(&it.OrientationID, &it.PersonID, &it.FirstName, &it.LastName, &it.BirthDate, &it.Phone, &it.Email, &it.DecidedAt, &later)
		it.Closed, it.DecidedAt, it.BirthDate = later > 0, it.DecidedAt.UTC(), it.BirthDate.UTC()
		return it, err
	}, `SELECT o.id, p.id, p.first_name, p.last_name, p.birth_date, p.phone, p.email, o.decided_at,
		(SELECT COUNT(*) FROM orientations l WHERE l.person_id = o.person_id AND l.status = 'accepted' AND l.decided_at > o.decided_at)
		FROM orientations o JOIN persons p ON p.id = o.person_id
		WHERE o.structure_id = ? AND o.status = 'accepted'
		AND NOT EXISTS (SELECT 1 FROM orientations n WHERE n.person_id = o.person_id AND n.structure_id = o.structure_id
			AND n.status = 'accepted' AND (n.decided_at > o.decided_at OR (n.decided_at = o.decided_at AND n.id > o.id)))
		ORDER BY o.decided_at DESC, o.id DESC`, structureID)
	if err != nil {
		return nil, fmt.Errorf("store: follow-ups: %w", err)
	}
	if len(items) == 0 {
		return nil, nil
	}
	idx := make(map[int64]int, len(items))
	for i, it := range items {
		idx[it.PersonID] = i
	}
	invs, err := collect(ctx, s.reader(), scanInvitationRow, `SELECT `+invitationColumns+` FROM invitations WHERE structure_id = ?
		ORDER BY created_at, id`, structureID)
	if err != nil {
		return nil, fmt.Errorf("store: follow-ups: %w", err)
	}
	for _, inv := range invs {
		if i, ok := idx[inv.PersonID]; ok && !inv.CreatedAt.Before(items[i].DecidedAt) {
			items[i].Invitations = append(items[i].Invitations, inv)
		}
	}
	apps, err := collect(ctx, s.reader(), scanAppointmentRow, `SELECT `+appointmentColumns+` FROM appointments WHERE structure_id = ?
		ORDER BY created_at, id`, structureID)
	if err != nil {
		return nil, fmt.Errorf("store: follow-ups: %w", err)
	}
	for _, a := range apps {
		if i, ok := idx[a.PersonID]; ok && !a.CreatedAt.Before(items[i].DecidedAt) {
			items[i].Appointments = append(items[i].Appointments, a)
		}
	}
	return items, nil
}

// IndicatorData is what the indicators of a structure are computed from,
// for the orientations decided, the invitations sent and the appointments
// booked between two instants.
type IndicatorData struct {
	Orientations []appointment.OrientationRef
	Invitations  []appointment.Invitation
	Appointments []appointment.Appointment
}

// Indicators reads the data of a structure's indicators. Appointments are
// read from the start of the period, and the seen ones up to 60 days after
// its end, so that the delay of a person oriented late in a month counts.
func (s *Store) Indicators(ctx context.Context, structureID int64, from, to time.Time) (IndicatorData, error) {
	var out IndicatorData
	var err error
	out.Orientations, err = collect(ctx, s.reader(), func(rows *sql.Rows) (appointment.OrientationRef, error) {
		var o appointment.OrientationRef
		err := rows.Scan(&o.ID, &o.PersonID, &o.DecidedAt)
		o.DecidedAt = o.DecidedAt.UTC()
		return o, err
	}, `SELECT id, person_id, decided_at FROM orientations WHERE structure_id = ? AND status = 'accepted'
		AND decided_at >= ? AND decided_at < ? ORDER BY decided_at, id`, structureID, from.UTC(), to.UTC())
	if err != nil {
		return out, fmt.Errorf("store: indicators: %w", err)
	}
	if out.Invitations, err = collect(ctx, s.reader(), scanInvitationRow, `SELECT `+invitationColumns+` FROM invitations
		WHERE structure_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at, id`, structureID, from.UTC(), to.UTC()); err != nil {
		return out, fmt.Errorf("store: indicators: %w", err)
	}
	if out.Appointments, err = collect(ctx, s.reader(), scanAppointmentRow, `SELECT `+appointmentColumns+` FROM appointments
		WHERE structure_id = ? AND starts_at >= ? AND starts_at < ? ORDER BY starts_at, id`, structureID, from.UTC(),
		to.AddDate(0, 0, 60).UTC()); err != nil {
		return out, fmt.Errorf("store: indicators: %w", err)
	}
	return out, nil
}
