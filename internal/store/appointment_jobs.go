package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/appointment"
	"github.com/spie-parcours/parcours/internal/person"
)

// The periodic work of appointments, in batches: each batch claims its rows
// by a conditional update in one transaction (FOR UPDATE SKIP LOCKED on
// PostgreSQL, the single writer on SQLite), writes their messages to the
// outbox and commits, so that several instances never handle a row twice
// and a crash loses nothing (the next run takes what was not committed).

// jobBatch is how many rows one transaction of a job handles. Each row
// adds random keys (the tokens of links and stop links) to indexes whose
// pages every commit writes again, so larger batches write far less
// (BenchmarkInvitationJobs, docs/benchmarks.md); 2,000 keep a transaction
// to a fraction of a second.
const jobBatch = 2000

// batches runs claim in transactions until it handles no more rows, and
// returns how many it handled.
func (s *Store) batches(ctx context.Context, claim func(d db) (int, error)) (int, error) {
	total := 0
	for {
		var n int
		err := s.tx(ctx, func(d db) error {
			var err error
			n, err = claim(d)
			return err
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < jobBatch {
			return total, nil
		}
		if err := ctx.Err(); err != nil {
			return total, err
		}
	}
}

// claimIDs selects up to jobBatch ids with the query (which must end before
// its ORDER BY/LIMIT) and locks them on PostgreSQL.
func (s *Store) claimIDs(ctx context.Context, d db, q string, args ...any) ([]int64, error) {
	return collect(ctx, d, func(rows *sql.Rows) (int64, error) {
		var id int64
		return id, rows.Scan(&id)
	}, q+fmt.Sprintf(` LIMIT %d`, jobBatch)+s.skipLocked(), args...)
}

// RemindInvitations reminds, once, every person invited InvitationReminderDay
// calendar days ago or more (appointment.ReminderDue: from the start of that
// day in Paris) who has chosen no slot while the invitation runs, with a
// fresh link. Idempotent and safe on several instances.
func (s *Store) RemindInvitations(ctx context.Context, now time.Time, base string) (int, error) {
	y, m, dd := now.In(paris).Date()
	cutoff := time.Date(y, m, dd-appointment.InvitationReminderDay+1, 0, 0, 0, 0, paris) // sent before it: due today
	// Each batch starts after the last invitation the previous one claimed:
	// the expired invitations the expiry job has not handled yet are the
	// oldest, and every batch would read them all again.
	var lastAt time.Time
	var lastID int64
	n, err := s.batches(ctx, func(d db) (int, error) {
		ids, err := s.claimIDs(ctx, d, `SELECT id FROM invitations WHERE booked_at IS NULL AND expired_at IS NULL AND reminded_at IS NULL
			AND created_at < ? AND expires_at > ? AND created_at >= ? AND (created_at > ? OR id > ?) ORDER BY created_at, id`,
			cutoff.UTC(), now.UTC(), lastAt.UTC(), lastAt.UTC(), lastID)
		if err != nil || len(ids) == 0 {
			return 0, err
		}
		invs, err := s.markInvitations(ctx, d, ids, `reminded_at`, now)
		if err != nil {
			return 0, err
		}
		for _, inv := range invs {
			if inv.CreatedAt.After(lastAt) || inv.CreatedAt.Equal(lastAt) && inv.ID > lastID {
				lastAt, lastID = inv.CreatedAt, inv.ID
			}
		}
		for _, inv := range invs {
			token, err := newToken(ctx, d, "invitation_links", "invitation_id", inv.ID, now)
			if err != nil {
				return 0, err
			}
			if err := s.notify(ctx, d, Notice{Event: NoticeInvitationReminder, Invitation: inv, Token: token}, base, now); err != nil {
				return 0, err
			}
		}
		return len(ids), nil
	})
	if err != nil {
		return n, fmt.Errorf("store: remind invitations: %w", err)
	}
	return n, nil
}

// ExpireInvitations closes every invitation whose date passed with no slot
// chosen: the timeline says so and the inviting structure is told that it
// may send a convocation. Idempotent and safe on several instances.
func (s *Store) ExpireInvitations(ctx context.Context, now time.Time, base string) (int, error) {
	system := Actor{At: now}
	n, err := s.batches(ctx, func(d db) (int, error) {
		ids, err := s.claimIDs(ctx, d, `SELECT id FROM invitations WHERE booked_at IS NULL AND expired_at IS NULL AND expires_at <= ?
			ORDER BY expires_at, id`, now.UTC())
		if err != nil || len(ids) == 0 {
			return 0, err
		}
		invs, err := s.markInvitations(ctx, d, ids, `expired_at`, now)
		if err != nil {
			return 0, err
		}
		accounts := map[int64][]structureAccount{} // of each structure, read once a batch
		for _, inv := range invs {
			if err := system.event(ctx, d, inv.PersonID, person.EventInvitationUpdated,
				"Invitation expirée sans rendez-vous choisi : une convocation est possible", "", "", inv.ID); err != nil {
				return 0, err
			}
			if base == "" {
				continue
			}
			accs, ok := accounts[inv.StructureID]
			if !ok {
				if accs, err = structureAccounts(ctx, d, inv.StructureID); err != nil {
					return 0, err
				}
				accounts[inv.StructureID] = accs
			}
			if err := s.enqueue(ctx, d, now, expiredMessages(inv, accs, strings.TrimRight(base, "/"))...); err != nil {
				return 0, err
			}
		}
		return len(ids), nil
	})
	if err != nil {
		return n, fmt.Errorf("store: expire invitations: %w", err)
	}
	return n, nil
}

// markInvitations sets a time column of the claimed invitations (still
// unset) and returns those it changed.
func (s *Store) markInvitations(ctx context.Context, d db, ids []int64, col string, now time.Time) ([]appointment.Invitation, error) {
	args := []any{now.UTC()}
	for _, id := range ids {
		args = append(args, id)
	}
	in := `(` + placeholderList(len(ids)) + `)`
	if _, err := d.exec(ctx, `UPDATE invitations SET `+col+` = ? WHERE id IN `+in+` AND `+col+` IS NULL`, args...); err != nil {
		return nil, err
	}
	return collect(ctx, d, scanInvitationRow, `SELECT `+invitationColumns+` FROM invitations WHERE id IN `+in+` ORDER BY id`, args[1:]...)
}

// RemindAppointments sends the reminders of the appointments to come: 48
// hours and 24 hours before, each once (BookAppointment marks as done the
// reminders whose time had come at booking: the confirmation serves). When
// the worker missed the 48-hour window, only the 24-hour reminder goes.
// Idempotent and safe on several instances.
func (s *Store) RemindAppointments(ctx context.Context, now time.Time, base string) (int, error) {
	total := 0
	for _, col := range []struct {
		name, event string
		before      time.Duration
		after       time.Duration // closer than this, the next reminder is the one to send
	}{{"reminded48_at", NoticeReminder48, 48 * time.Hour, 24 * time.Hour}, {"reminded24_at", NoticeReminder24, 24 * time.Hour, 0}} {
		n, err := s.batches(ctx, func(d db) (int, error) {
			ids, err := s.claimIDs(ctx, d, `SELECT id FROM appointments WHERE status = 'unknown' AND `+col.name+` IS NULL
				AND starts_at > ? AND starts_at <= ? ORDER BY starts_at, id`, now.Add(col.after).UTC(), now.Add(col.before).UTC())
			if err != nil || len(ids) == 0 {
				return 0, err
			}
			args := []any{now.UTC()}
			for _, id := range ids {
				args = append(args, id)
			}
			in := `(` + placeholderList(len(ids)) + `)`
			if _, err := d.exec(ctx, `UPDATE appointments SET `+col.name+` = ? WHERE id IN `+in, args...); err != nil {
				return 0, err
			}
			apps, err := collect(ctx, d, scanAppointmentRow, `SELECT `+appointmentColumns+` FROM appointments WHERE id IN `+in, args[1:]...)
			if err != nil {
				return 0, err
			}
			for _, a := range apps {
				token, err := newToken(ctx, d, "appointment_links", "appointment_id", a.ID, now)
				if err != nil {
					return 0, err
				}
				if err := s.notify(ctx, d, Notice{Event: col.event, Appointment: a, Token: token}, base, now); err != nil {
					return 0, err
				}
			}
			return len(ids), nil
		})
		total += n
		if err != nil {
			return total, fmt.Errorf("store: remind appointments: %w", err)
		}
	}
	return total, nil
}
