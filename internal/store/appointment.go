package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/appointment"
	"github.com/spie-parcours/parcours/internal/orientation"
	"github.com/spie-parcours/parcours/internal/person"
)

// paris is the zone of the dates written in timeline lines.
var paris = orientation.Paris()

// Invitations and appointments: booking a seat of a slot, the statuses, the
// links of messages, and the periodic reminders and expiries.

// ErrSlotFull is the answer to a booking of a slot with no seat left.
var ErrSlotFull = errors.New("store: créneau complet")

const appointmentColumns = `id, person_id, territory_id, structure_id, agenda_id, type_id, place_id, orientation_id, invitation_id,
	starts_at, duration_min, status, origin, created_by, created_at, status_at, status_by, reminded48_at, reminded24_at`

func scanAppointment(sc interface{ Scan(...any) error }) (appointment.Appointment, error) {
	var a appointment.Appointment
	var place, orient, inv, by, statusBy sql.NullInt64
	var status, origin string
	var statusAt, r48, r24 sql.NullTime
	err := sc.Scan(&a.ID, &a.PersonID, &a.TerritoryID, &a.StructureID, &a.AgendaID, &a.TypeID, &place, &orient, &inv, &a.StartsAt,
		&a.DurationMin, &status, &origin, &by, &a.CreatedAt, &statusAt, &statusBy, &r48, &r24)
	a.PlaceID, a.OrientationID, a.InvitationID, a.CreatedBy, a.StatusBy = place.Int64, orient.Int64, inv.Int64, by.Int64, statusBy.Int64
	a.Status, a.Origin = appointment.Status(status), appointment.Origin(origin)
	a.StatusAt, a.Reminded48At, a.Reminded24At = timeOf(statusAt), timeOf(r48), timeOf(r24)
	a.StartsAt, a.CreatedAt = a.StartsAt.UTC(), a.CreatedAt.UTC()
	return a, err
}

func scanAppointmentRow(rows *sql.Rows) (appointment.Appointment, error) {
	return scanAppointment(rows)
}

// Appointment returns an appointment by ID.
func (s *Store) Appointment(ctx context.Context, id int64) (appointment.Appointment, error) {
	a, err := scanAppointment(s.reader().queryRow(ctx, `SELECT `+appointmentColumns+` FROM appointments WHERE id = ?`, id))
	if err != nil {
		return a, fmt.Errorf("store: appointment %d: %w", id, notFound(err))
	}
	return a, nil
}

// AppointmentFilter selects appointments.
type AppointmentFilter struct {
	PersonID     int64
	AgendaIDs    []int64
	StructureIDs []int64
	From, To     time.Time // starts_at in [From, To) when set
	Limit        int
}

// Appointments lists appointments by start.
func (s *Store) Appointments(ctx context.Context, f AppointmentFilter) ([]appointment.Appointment, error) {
	q := `SELECT ` + appointmentColumns + ` FROM appointments WHERE 1 = 1`
	var args []any
	if f.PersonID != 0 {
		q += ` AND person_id = ?`
		args = append(args, f.PersonID)
	}
	for _, in := range []struct {
		col string
		ids []int64
	}{{"agenda_id", f.AgendaIDs}, {"structure_id", f.StructureIDs}} {
		if len(in.ids) == 0 {
			continue
		}
		q += ` AND ` + in.col + ` IN (` + placeholderList(len(in.ids)) + `)`
		for _, id := range in.ids {
			args = append(args, id)
		}
	}
	if !f.From.IsZero() {
		q += ` AND starts_at >= ?`
		args = append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		q += ` AND starts_at < ?`
		args = append(args, f.To.UTC())
	}
	q += ` ORDER BY starts_at, id`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	out, err := collect(ctx, s.reader(), scanAppointmentRow, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: appointments: %w", err)
	}
	return out, nil
}

const invitationColumns = `id, person_id, territory_id, structure_id, type_id, orientation_id, channels, created_by, created_at,
	expires_at, reminded_at, expired_at, appointment_id, booked_at`

func scanInvitation(sc interface{ Scan(...any) error }) (appointment.Invitation, error) {
	var inv appointment.Invitation
	var orient, by, app sql.NullInt64
	var channels string
	var reminded, expired, booked sql.NullTime
	err := sc.Scan(&inv.ID, &inv.PersonID, &inv.TerritoryID, &inv.StructureID, &inv.TypeID, &orient, &channels, &by, &inv.CreatedAt,
		&inv.ExpiresAt, &reminded, &expired, &app, &booked)
	inv.OrientationID, inv.CreatedBy, inv.AppointmentID = orient.Int64, by.Int64, app.Int64
	if channels != "" {
		inv.Channels = strings.Split(channels, ",")
	}
	inv.RemindedAt, inv.ExpiredAt, inv.BookedAt = timeOf(reminded), timeOf(expired), timeOf(booked)
	inv.CreatedAt, inv.ExpiresAt = inv.CreatedAt.UTC(), inv.ExpiresAt.UTC()
	return inv, err
}

func scanInvitationRow(rows *sql.Rows) (appointment.Invitation, error) { return scanInvitation(rows) }

// Invitation returns an invitation by ID.
func (s *Store) Invitation(ctx context.Context, id int64) (appointment.Invitation, error) {
	inv, err := scanInvitation(s.reader().queryRow(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE id = ?`, id))
	if err != nil {
		return inv, fmt.Errorf("store: invitation %d: %w", id, notFound(err))
	}
	return inv, nil
}

// PersonInvitations lists a person's invitations, oldest first.
func (s *Store) PersonInvitations(ctx context.Context, personID int64) ([]appointment.Invitation, error) {
	out, err := collect(ctx, s.reader(), scanInvitationRow, `SELECT `+invitationColumns+` FROM invitations WHERE person_id = ?
		ORDER BY created_at, id`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: invitations: %w", err)
	}
	return out, nil
}

// InvitationByLink returns the invitation a link's token opens, whatever
// its state (the caller tells a booked or expired one); ErrLinkInvalid for
// an unknown token.
func (s *Store) InvitationByLink(ctx context.Context, token string) (appointment.Invitation, error) {
	inv, err := scanInvitation(s.reader().queryRow(ctx, `SELECT `+prefixed("i.", invitationColumns)+` FROM invitation_links l
		JOIN invitations i ON i.id = l.invitation_id WHERE l.token_hash = ?`, account.HashToken(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return inv, ErrLinkInvalid
	}
	if err != nil {
		return inv, fmt.Errorf("store: invitation link: %w", err)
	}
	return inv, nil
}

// AppointmentByLink returns the appointment a link's token opens;
// ErrLinkInvalid for an unknown token.
func (s *Store) AppointmentByLink(ctx context.Context, token string) (appointment.Appointment, error) {
	a, err := scanAppointment(s.reader().queryRow(ctx, `SELECT `+prefixed("a.", appointmentColumns)+` FROM appointment_links l
		JOIN appointments a ON a.id = l.appointment_id WHERE l.token_hash = ?`, account.HashToken(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrLinkInvalid
	}
	if err != nil {
		return a, fmt.Errorf("store: appointment link: %w", err)
	}
	return a, nil
}

// prefixed qualifies every column of a list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// newToken stores a fresh link token of a table and returns it.
func newToken(ctx context.Context, d db, table, col string, id int64, at time.Time) (string, error) {
	token := account.NewToken("rdv_")
	_, err := d.exec(ctx, `INSERT INTO `+table+` (token_hash, `+col+`, created_at) VALUES (?, ?, ?)`, account.HashToken(token), id, at.UTC())
	return token, err
}

// Notice is an event of an invitation or an appointment to tell, with the
// fresh link token of its message (appointmentMessages writes them).
type Notice struct {
	Event       string // invitation, invitation_reminder, invitation_expired, booked, convocation, cancelled, reminder, moved
	Invitation  appointment.Invitation
	Appointment appointment.Appointment
	Token       string // the fresh link token of the message, "" when none
}

// The events of notices.
const (
	NoticeInvitation         = "invitation"
	NoticeInvitationReminder = "invitation_reminder"
	NoticeInvitationExpired  = "invitation_expired"
	NoticeBooked             = "booked"
	NoticeConvocation        = "convocation"
	NoticeCancelled          = "cancelled"
	NoticeRevoked            = "revoked"
	NoticeReminder48         = "reminder48"
	NoticeReminder24         = "reminder24"
)

// CreateInvitation writes an invitation, its first link, the timeline and
// the audit entry, and the messages through notices, in one transaction.
func (s *Store) CreateInvitation(ctx context.Context, inv *appointment.Invitation, by Actor, base string) error {
	inv.CreatedBy, inv.CreatedAt = by.AccountID, by.at()
	err := s.tx(ctx, func(d db) error {
		id, err := d.insertID(ctx, `INSERT INTO invitations (person_id, territory_id, structure_id, type_id, orientation_id, channels,
			created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, inv.PersonID, inv.TerritoryID, inv.StructureID,
			inv.TypeID, nullID(inv.OrientationID), joinChannels(inv.Channels), nullID(by.AccountID), by.at(), inv.ExpiresAt.UTC())
		if err != nil {
			return err
		}
		inv.ID = id
		token, err := newToken(ctx, d, "invitation_links", "invitation_id", id, by.at())
		if err != nil {
			return err
		}
		summary := "Invitation à prendre rendez-vous envoyée, valable jusqu'au " + inv.ExpiresAt.In(paris).Format("02/01/2006")
		if err := by.event(ctx, d, inv.PersonID, person.EventInvitationSent, summary, "", "", id); err != nil {
			return err
		}
		if err := s.AuditInTx(ctx, d, by.entry(inv.PersonID, person.SectionAppointments, "create")); err != nil {
			return err
		}
		return s.notify(ctx, d, Notice{Event: NoticeInvitation, Invitation: *inv, Token: token}, base, by.at())
	})
	if err != nil {
		return fmt.Errorf("store: create invitation: %w", err)
	}
	return nil
}

// notify builds a notice's messages and writes them to the outbox. An
// empty base writes none (imports of history, the demo's past).
func (s *Store) notify(ctx context.Context, d db, n Notice, base string, at time.Time) error {
	if base == "" {
		return nil
	}
	msgs, err := s.appointmentMessages(ctx, d, n, base)
	if err != nil {
		return err
	}
	return s.enqueue(ctx, d, at, msgs...)
}

// Booking is a booking of a seat of a slot.
type Booking struct {
	Appointment *appointment.Appointment
	Capacity    int    // of the slot
	Token       string // set by BookAppointment: the link of the confirmation
	// Replaces is an appointment of the person that the booking moves
	// (cancelled as excused by the person, its seat freed) in the same
	// transaction; 0 for none.
	Replaces int64
}

// BookAppointment takes a seat of the slot and writes the appointment, in
// one transaction: the seat row of the slot is created at its capacity and
// incremented only while seats are left, so two bookings of the last seat
// never both win (ErrSlotFull for the other), on both engines. A booking
// through an invitation marks it booked (ErrLinkInvalid when it was booked
// or expired meanwhile). The person holds one seat of a slot at most
// (ErrConflict). The timeline, the audit entry and the confirmation (with a
// link to manage the appointment) go with it.
func (s *Store) BookAppointment(ctx context.Context, b *Booking, by Actor, base string) error {
	a := b.Appointment
	a.CreatedBy, a.CreatedAt, a.Status = by.AccountID, by.at(), appointment.StatusUnknown
	err := s.tx(ctx, func(d db) error {
		// The seat before the move's cancellation, which takes the audit
		// lock on PostgreSQL: waiting for the seat's row while holding that
		// lock would deadlock with a booking of the same slot.
		if err := takeSeat(ctx, d, a.AgendaID, a.StartsAt, b.Capacity); err != nil {
			return err
		}
		if b.Replaces != 0 {
			if err := s.cancelInTx(ctx, d, b.Replaces, a.PersonID, appointment.StatusUnknown, appointment.StatusExcused, by, ""); err != nil {
				return err
			}
		}
		if a.InvitationID != 0 {
			res, err := d.exec(ctx, `UPDATE invitations SET booked_at = ? WHERE id = ? AND person_id = ? AND booked_at IS NULL
				AND expired_at IS NULL AND expires_at > ?`, by.at(), a.InvitationID, a.PersonID, by.at())
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return ErrLinkInvalid
			}
		}
		// The reminders whose time has come are served by the confirmation.
		var r48, r24 time.Time
		if a.StartsAt.Sub(by.at()) <= 48*time.Hour {
			r48 = by.at()
		}
		if a.StartsAt.Sub(by.at()) <= 24*time.Hour {
			r24 = by.at()
		}
		a.Reminded48At, a.Reminded24At = r48, r24
		id, err := d.insertID(ctx, `INSERT INTO appointments (person_id, territory_id, structure_id, agenda_id, type_id, place_id,
			orientation_id, invitation_id, starts_at, duration_min, status, origin, created_by, created_at, reminded48_at, reminded24_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'unknown', ?, ?, ?, ?, ?)`, a.PersonID, a.TerritoryID, a.StructureID, a.AgendaID, a.TypeID,
			nullID(a.PlaceID), nullID(a.OrientationID), nullID(a.InvitationID), a.StartsAt.UTC(), a.DurationMin, string(a.Origin),
			nullID(by.AccountID), by.at(), nullTime(r48), nullTime(r24))
		if err != nil {
			return err
		}
		a.ID = id
		if a.InvitationID != 0 {
			if _, err := d.exec(ctx, `UPDATE invitations SET appointment_id = ? WHERE id = ?`, id, a.InvitationID); err != nil {
				return err
			}
		}
		if b.Token, err = newToken(ctx, d, "appointment_links", "appointment_id", id, by.at()); err != nil {
			return err
		}
		summary := "Rendez-vous le " + a.StartsAt.In(paris).Format("02/01/2006 à 15h04")
		switch a.Origin {
		case appointment.OriginPerson:
			summary += ", pris par la personne"
		case appointment.OriginConvocation:
			summary = "Convocation au rendez-vous du " + a.StartsAt.In(paris).Format("02/01/2006 à 15h04")
		}
		if err := by.event(ctx, d, a.PersonID, person.EventAppointmentBooked, summary, "", "", id); err != nil {
			return err
		}
		if err := s.AuditInTx(ctx, d, by.entry(a.PersonID, person.SectionAppointments, "create")); err != nil {
			return err
		}
		event := NoticeBooked
		if a.Origin == appointment.OriginConvocation {
			event = NoticeConvocation
		}
		return s.notify(ctx, d, Notice{Event: event, Appointment: *a, Token: b.Token}, base, by.at())
	})
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: book appointment: %w", ErrConflict)
		}
		return fmt.Errorf("store: book appointment: %w", err)
	}
	return nil
}

// takeSeat takes one seat of a slot, or fails with ErrSlotFull.
func takeSeat(ctx context.Context, d db, agendaID int64, at time.Time, capacity int) error {
	if _, err := d.exec(ctx, `INSERT INTO slot_seats (agenda_id, starts_at, capacity, booked) VALUES (?, ?, ?, 0)
		ON CONFLICT (agenda_id, starts_at) DO NOTHING`, agendaID, at.UTC(), capacity); err != nil {
		return err
	}
	res, err := d.exec(ctx, `UPDATE slot_seats SET booked = booked + 1 WHERE agenda_id = ? AND starts_at = ? AND booked < capacity`,
		agendaID, at.UTC())
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrSlotFull
	}
	return nil
}

// SetAppointmentStatus records what happened to an appointment (the caller
// checks appointment.CanSet). Cancelling frees the seat; the timeline, the
// audit entry and, for a cancellation, the messages go with it. A status
// changed meanwhile is ErrConflict, and so is undoing a cancellation when
// the person holds a seat of the slot again; ErrSlotFull when its seat was
// taken.
func (s *Store) SetAppointmentStatus(ctx context.Context, a *appointment.Appointment, to appointment.Status, by Actor, base string) error {
	err := s.tx(ctx, func(d db) error {
		if to == appointment.StatusExcused || to == appointment.StatusRevoked {
			return s.cancelInTx(ctx, d, a.ID, a.PersonID, a.Status, to, by, base)
		}
		res, err := d.exec(ctx, `UPDATE appointments SET status = ?, status_at = ?, status_by = ? WHERE id = ? AND status = ?`,
			string(to), by.at(), nullID(by.AccountID), a.ID, string(a.Status))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrConflict
		}
		if a.Status == appointment.StatusExcused || a.Status == appointment.StatusRevoked {
			// Undoing a cancellation takes the seat back, if there is one.
			if err := takeSeat(ctx, d, a.AgendaID, a.StartsAt, 1<<30); err != nil {
				return err
			}
		}
		summary := "Rendez-vous du " + a.StartsAt.In(paris).Format("02/01/2006") + " : " + strings.ToLower(statusLabel(to))
		if err := by.event(ctx, d, a.PersonID, person.EventAppointmentUpdated, summary, "", "", a.ID); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(a.PersonID, person.SectionAppointments, "update"))
	})
	if isUniqueViolation(err) {
		err = ErrConflict
	}
	if err != nil {
		return fmt.Errorf("store: appointment status: %w", err)
	}
	a.Status, a.StatusAt, a.StatusBy = to, by.at(), by.AccountID
	return nil
}

// cancelInTx cancels an appointment whose status is still from (excused by
// the person or revoked by the service; ErrConflict when it changed
// meanwhile), frees its seat unless a cancellation already did, and, for
// an appointment that was still unknown, tells whom it concerns; the
// correction of a status (an absence excused afterwards) tells nobody.
func (s *Store) cancelInTx(ctx context.Context, d db, id, personID int64, from, to appointment.Status, by Actor, base string) error {
	a, err := scanAppointment(d.queryRow(ctx, `SELECT `+appointmentColumns+` FROM appointments WHERE id = ? AND person_id = ?`, id, personID))
	if err != nil {
		return notFound(err)
	}
	res, err := d.exec(ctx, `UPDATE appointments SET status = ?, status_at = ?, status_by = ? WHERE id = ? AND status = ?`,
		string(to), by.at(), nullID(by.AccountID), id, string(from))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrConflict
	}
	if from != appointment.StatusExcused && from != appointment.StatusRevoked {
		if _, err := d.exec(ctx, `UPDATE slot_seats SET booked = booked - 1 WHERE agenda_id = ? AND starts_at = ? AND booked > 0`,
			a.AgendaID, a.StartsAt.UTC()); err != nil {
			return err
		}
	}
	summary := "Rendez-vous du " + a.StartsAt.In(paris).Format("02/01/2006") + " annulé par "
	if to == appointment.StatusExcused {
		summary += "la personne"
	} else {
		summary += "le service"
	}
	if err := by.event(ctx, d, a.PersonID, person.EventAppointmentUpdated, summary, "", "", id); err != nil {
		return err
	}
	if err := s.AuditInTx(ctx, d, by.entry(a.PersonID, person.SectionAppointments, "update")); err != nil {
		return err
	}
	if from != appointment.StatusUnknown {
		return nil
	}
	a.Status = to
	event := NoticeCancelled
	if to == appointment.StatusRevoked {
		event = NoticeRevoked
	}
	return s.notify(ctx, d, Notice{Event: event, Appointment: a}, base, by.at())
}

// statusLabel is the French label of a status.
func statusLabel(st appointment.Status) string {
	for _, o := range appointment.StatusOptions {
		if o.Code == string(st) {
			return o.Label
		}
	}
	return string(st)
}

// AgendaEntry is an appointment of an agenda with the name of the person,
// what the professional needs to receive them.
type AgendaEntry struct {
	appointment.Appointment
	FirstName, LastName string
}

// AgendaAppointments lists the appointments of an agenda between two
// instants, cancelled ones included, by start.
func (s *Store) AgendaAppointments(ctx context.Context, agendaID int64, from, to time.Time) ([]AgendaEntry, error) {
	out, err := collect(ctx, s.reader(), func(rows *sql.Rows) (AgendaEntry, error) {
		var e AgendaEntry
		a, err := scanAppointment(scanWith(rows, &e.FirstName, &e.LastName))
		e.Appointment = a
		return e, err
	}, `SELECT `+prefixed("a.", appointmentColumns)+`, p.first_name, p.last_name FROM appointments a JOIN persons p ON p.id = a.person_id
		WHERE a.agenda_id = ? AND a.starts_at >= ? AND a.starts_at < ? ORDER BY a.starts_at, a.id`, agendaID, from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: agenda appointments: %w", err)
	}
	return out, nil
}
