package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/appointment"
)

// Appointment types, agendas and the slots computed from them.

// InvitationDays returns how many days an invitation link of the territory
// stays valid.
func (s *Store) InvitationDays(ctx context.Context, territoryID int64) (int, error) {
	var n int
	err := s.reader().queryRow(ctx, `SELECT invitation_days FROM appointment_settings WHERE territory_id = ?`, territoryID).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) || err == nil && n <= 0 {
		return appointment.DefaultInvitationDays, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: invitation days: %w", err)
	}
	return n, nil
}

// SetInvitationDays sets how many days the territory's invitation links
// stay valid.
func (s *Store) SetInvitationDays(ctx context.Context, territoryID int64, days int) error {
	_, err := s.writer().exec(ctx, `INSERT INTO appointment_settings (territory_id, invitation_days) VALUES (?, ?)
		ON CONFLICT (territory_id) DO UPDATE SET invitation_days = excluded.invitation_days`, territoryID, days)
	if err != nil {
		return fmt.Errorf("store: set invitation days: %w", err)
	}
	return nil
}

const typeColumns = `id, territory_id, category, label, duration_min, capacity`

func scanType(sc interface{ Scan(...any) error }) (appointment.Type, error) {
	var t appointment.Type
	var cat string
	err := sc.Scan(&t.ID, &t.TerritoryID, &cat, &t.Label, &t.DurationMin, &t.Capacity)
	t.Category = appointment.Category(cat)
	return t, err
}

// AppointmentTypes lists the territory's appointment types by category and
// label.
func (s *Store) AppointmentTypes(ctx context.Context, territoryID int64) ([]appointment.Type, error) {
	out, err := collect(ctx, s.reader(), func(rows *sql.Rows) (appointment.Type, error) { return scanType(rows) },
		`SELECT `+typeColumns+` FROM appointment_types WHERE territory_id = ? ORDER BY category, label, id`, territoryID)
	if err != nil {
		return nil, fmt.Errorf("store: appointment types: %w", err)
	}
	return out, nil
}

// AppointmentType returns a type by ID.
func (s *Store) AppointmentType(ctx context.Context, id int64) (appointment.Type, error) {
	t, err := scanType(s.reader().queryRow(ctx, `SELECT `+typeColumns+` FROM appointment_types WHERE id = ?`, id))
	if err != nil {
		return t, fmt.Errorf("store: appointment type %d: %w", id, notFound(err))
	}
	return t, nil
}

// SaveAppointmentType creates a type, or updates it. A label already used
// in the territory is ErrConflict.
func (s *Store) SaveAppointmentType(ctx context.Context, t *appointment.Type) error {
	var err error
	if t.ID == 0 {
		t.ID, err = s.writer().insertID(ctx, `INSERT INTO appointment_types (territory_id, category, label, duration_min, capacity, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, t.TerritoryID, string(t.Category), t.Label, t.DurationMin, t.Capacity, time.Now().UTC())
	} else {
		_, err = s.writer().exec(ctx, `UPDATE appointment_types SET category = ?, label = ?, duration_min = ?, capacity = ?
			WHERE id = ? AND territory_id = ?`, string(t.Category), t.Label, t.DurationMin, t.Capacity, t.ID, t.TerritoryID)
	}
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: save appointment type: %w", ErrConflict)
		}
		return fmt.Errorf("store: save appointment type: %w", err)
	}
	return nil
}

// AgendaFilter selects agendas.
type AgendaFilter struct {
	TerritoryID  int64
	StructureIDs []int64 // any of them; none: every structure
	AccountID    int64
	ActiveOnly   bool
}

// Agendas lists agendas with their places, rules and exceptions, by
// structure then name.
func (s *Store) Agendas(ctx context.Context, f AgendaFilter) ([]appointment.Agenda, error) {
	q := `SELECT id, territory_id, structure_id, account_id, name, active, created_at FROM agendas WHERE territory_id = ?`
	args := []any{f.TerritoryID}
	if len(f.StructureIDs) > 0 {
		q += ` AND structure_id IN (` + placeholderList(len(f.StructureIDs)) + `)`
		for _, id := range f.StructureIDs {
			args = append(args, id)
		}
	}
	if f.AccountID != 0 {
		q += ` AND account_id = ?`
		args = append(args, f.AccountID)
	}
	if f.ActiveOnly {
		q += ` AND active`
	}
	return s.loadAgendas(ctx, s.reader(), q+` ORDER BY structure_id, name, id`, args...)
}

// Agenda returns an agenda with its places, rules and exceptions.
func (s *Store) Agenda(ctx context.Context, id int64) (appointment.Agenda, error) {
	as, err := s.loadAgendas(ctx, s.reader(), `SELECT id, territory_id, structure_id, account_id, name, active, created_at
		FROM agendas WHERE id = ?`, id)
	if err != nil {
		return appointment.Agenda{}, err
	}
	if len(as) == 0 {
		return appointment.Agenda{}, fmt.Errorf("store: agenda %d: %w", id, ErrNotFound)
	}
	return as[0], nil
}

// loadAgendas reads agendas and their parts, four queries in all.
func (s *Store) loadAgendas(ctx context.Context, d db, q string, args ...any) ([]appointment.Agenda, error) {
	as, err := collect(ctx, d, func(rows *sql.Rows) (appointment.Agenda, error) {
		var a appointment.Agenda
		var acc sql.NullInt64
		err := rows.Scan(&a.ID, &a.TerritoryID, &a.StructureID, &acc, &a.Name, &a.Active, &a.CreatedAt)
		a.AccountID, a.CreatedAt = acc.Int64, a.CreatedAt.UTC()
		return a, err
	}, q, args...)
	if err != nil || len(as) == 0 {
		if err != nil {
			err = fmt.Errorf("store: agendas: %w", err)
		}
		return nil, err
	}
	idx := make(map[int64]int, len(as))
	ids := make([]any, len(as))
	for i, a := range as {
		idx[a.ID], ids[i] = i, a.ID
	}
	in := `(` + placeholderList(len(ids)) + `)`
	places, err := collect(ctx, d, func(rows *sql.Rows) (appointment.Place, error) {
		var p appointment.Place
		var kind string
		err := rows.Scan(&p.ID, &p.AgendaID, &kind, &p.Label, &p.Address, &p.CommuneINSEE, &p.Details)
		p.Kind = appointment.PlaceKind(kind)
		return p, err
	}, `SELECT id, agenda_id, kind, label, address, commune_insee, details FROM agenda_places WHERE agenda_id IN `+in+` ORDER BY id`, ids...)
	if err != nil {
		return nil, fmt.Errorf("store: agenda places: %w", err)
	}
	for _, p := range places {
		as[idx[p.AgendaID]].Places = append(as[idx[p.AgendaID]].Places, p)
	}
	rules, err := collect(ctx, d, func(rows *sql.Rows) (appointment.Rule, error) {
		var r appointment.Rule
		var wd int
		var from, until sql.NullTime
		err := rows.Scan(&r.ID, &r.AgendaID, &r.TypeID, &r.PlaceID, &wd, &r.Start, &r.End, &from, &until)
		r.Weekday, r.ValidFrom, r.ValidUntil = time.Weekday(wd), timeOf(from), timeOf(until)
		return r, err
	}, `SELECT id, agenda_id, type_id, place_id, weekday, start_min, end_min, valid_from, valid_until FROM agenda_rules
		WHERE agenda_id IN `+in+` ORDER BY weekday, start_min, id`, ids...)
	if err != nil {
		return nil, fmt.Errorf("store: agenda rules: %w", err)
	}
	for _, r := range rules {
		as[idx[r.AgendaID]].Rules = append(as[idx[r.AgendaID]].Rules, r)
	}
	excs, err := collect(ctx, d, func(rows *sql.Rows) (appointment.Exception, error) {
		var e appointment.Exception
		var typ, place sql.NullInt64
		err := rows.Scan(&e.ID, &e.AgendaID, &e.Date, &e.Start, &e.End, &e.Closed, &typ, &place, &e.Reason)
		e.TypeID, e.PlaceID, e.Date = typ.Int64, place.Int64, e.Date.UTC()
		return e, err
	}, `SELECT id, agenda_id, on_date, start_min, end_min, closed, type_id, place_id, reason FROM agenda_exceptions
		WHERE agenda_id IN `+in+` ORDER BY on_date, start_min, id`, ids...)
	if err != nil {
		return nil, fmt.Errorf("store: agenda exceptions: %w", err)
	}
	for _, e := range excs {
		as[idx[e.AgendaID]].Exceptions = append(as[idx[e.AgendaID]].Exceptions, e)
	}
	return as, nil
}

// SaveAgenda creates an agenda, or updates its name and state, in one
// transaction with its places (kept by ID, added when new; a place no
// longer listed is kept, for the appointments made there), its rules and
// its exceptions (replaced). A rule or exception names a place by its ID,
// or, for a place added by this very call, by -(its index in a.Places + 1).
func (s *Store) SaveAgenda(ctx context.Context, a *appointment.Agenda, by Actor) error {
	err := s.tx(ctx, func(d db) error {
		now := by.at()
		if a.ID == 0 {
			id, err := d.insertID(ctx, `INSERT INTO agendas (territory_id, structure_id, account_id, name, active, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, a.TerritoryID, a.StructureID, nullID(a.AccountID), a.Name, a.Active, now, now)
			if err != nil {
				return err
			}
			a.ID, a.CreatedAt = id, now
		} else {
			res, err := d.exec(ctx, `UPDATE agendas SET name = ?, active = ?, account_id = ?, updated_at = ? WHERE id = ? AND structure_id = ?`,
				a.Name, a.Active, nullID(a.AccountID), now, a.ID, a.StructureID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return ErrNotFound
			}
		}
		for i := range a.Places {
			p := &a.Places[i]
			p.AgendaID = a.ID
			if p.ID == 0 {
				id, err := d.insertID(ctx, `INSERT INTO agenda_places (agenda_id, kind, label, address, commune_insee, details)
					VALUES (?, ?, ?, ?, ?, ?)`, a.ID, string(p.Kind), p.Label, p.Address, p.CommuneINSEE, p.Details)
				if err != nil {
					return err
				}
				p.ID = id
				continue
			}
			res, err := d.exec(ctx, `UPDATE agenda_places SET kind = ?, label = ?, address = ?, commune_insee = ?, details = ?
				WHERE id = ? AND agenda_id = ?`, string(p.Kind), p.Label, p.Address, p.CommuneINSEE, p.Details, p.ID, a.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fmt.Errorf("place %d of another agenda: %w", p.ID, ErrNotFound)
			}
		}
		place := func(id int64) (int64, error) {
			if id < 0 && int(-id) <= len(a.Places) {
				return a.Places[-id-1].ID, nil
			}
			var agenda int64
			if err := d.queryRow(ctx, `SELECT agenda_id FROM agenda_places WHERE id = ?`, id).Scan(&agenda); err != nil || agenda != a.ID {
				return 0, fmt.Errorf("place %d of another agenda: %w", id, ErrNotFound)
			}
			return id, nil
		}
		for _, q := range []string{`DELETE FROM agenda_rules WHERE agenda_id = ?`, `DELETE FROM agenda_exceptions WHERE agenda_id = ?`} {
			if _, err := d.exec(ctx, q, a.ID); err != nil {
				return err
			}
		}
		for i := range a.Rules {
			r := &a.Rules[i]
			pid, err := place(r.PlaceID)
			if err != nil {
				return err
			}
			r.AgendaID, r.PlaceID = a.ID, pid
			if r.ID, err = d.insertID(ctx, `INSERT INTO agenda_rules (agenda_id, type_id, place_id, weekday, start_min, end_min, valid_from,
				valid_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, r.TypeID, pid, int(r.Weekday), r.Start, r.End,
				nullTime(r.ValidFrom), nullTime(r.ValidUntil)); err != nil {
				return err
			}
		}
		for i := range a.Exceptions {
			e := &a.Exceptions[i]
			var pid int64
			if e.PlaceID != 0 {
				var err error
				if pid, err = place(e.PlaceID); err != nil {
					return err
				}
			}
			e.AgendaID, e.PlaceID = a.ID, pid
			var err error
			if e.ID, err = d.insertID(ctx, `INSERT INTO agenda_exceptions (agenda_id, on_date, start_min, end_min, closed, type_id, place_id,
				reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, e.Date.UTC(), e.Start, e.End, e.Closed, nullID(e.TypeID), nullID(pid),
				e.Reason); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save agenda: %w", err)
	}
	return nil
}

// SlotFilter selects the slots to compute.
type SlotFilter struct {
	TerritoryID  int64
	StructureIDs []int64
	AgendaIDs    []int64
	TypeID       int64 // 0: every type
	From, To     time.Time
	Now          time.Time
	FreeOnly     bool
}

// Slots computes the slots of the active agendas of the filter between two
// instants (appointment.Slots), with the seats already booked in each.
func (s *Store) Slots(ctx context.Context, f SlotFilter) ([]appointment.Slot, error) {
	as, err := s.Agendas(ctx, AgendaFilter{TerritoryID: f.TerritoryID, StructureIDs: f.StructureIDs, ActiveOnly: true})
	if err != nil {
		return nil, err
	}
	if len(f.AgendaIDs) > 0 {
		keep := map[int64]bool{}
		for _, id := range f.AgendaIDs {
			keep[id] = true
		}
		var sel []appointment.Agenda
		for _, a := range as {
			if keep[a.ID] {
				sel = append(sel, a)
			}
		}
		as = sel
	}
	if len(as) == 0 {
		return nil, nil
	}
	types, err := s.typeMap(ctx, f.TerritoryID)
	if err != nil {
		return nil, err
	}
	var slots []appointment.Slot
	for _, a := range as {
		for _, sl := range appointment.Slots(a, types, f.From, f.To, f.Now) {
			if f.TypeID == 0 || sl.TypeID == f.TypeID {
				slots = append(slots, sl)
			}
		}
	}
	if len(slots) == 0 {
		return nil, nil
	}
	ids := make([]any, 0, len(as)+2)
	for _, a := range as {
		ids = append(ids, a.ID)
	}
	type seat struct {
		agenda int64
		at     time.Time
		booked int
	}
	seats, err := collect(ctx, s.reader(), func(rows *sql.Rows) (seat, error) {
		var st seat
		err := rows.Scan(&st.agenda, &st.at, &st.booked)
		return st, err
	}, `SELECT agenda_id, starts_at, booked FROM slot_seats WHERE agenda_id IN (`+placeholderList(len(ids))+`)
		AND starts_at >= ? AND starts_at < ? AND booked > 0`, append(ids, f.From.UTC(), f.To.UTC())...)
	if err != nil {
		return nil, fmt.Errorf("store: slot seats: %w", err)
	}
	taken := make(map[string]int, len(seats))
	key := func(agenda int64, at time.Time) string { return fmt.Sprint(agenda, "@", at.UTC().Unix()) }
	for _, st := range seats {
		taken[key(st.agenda, st.at)] = st.booked
	}
	out := slots[:0]
	for _, sl := range slots {
		sl.Booked = taken[key(sl.AgendaID, sl.StartsAt)]
		if !f.FreeOnly || sl.Free() > 0 {
			out = append(out, sl)
		}
	}
	return out, nil
}

// typeMap returns the territory's appointment types by ID.
func (s *Store) typeMap(ctx context.Context, territoryID int64) (map[int64]appointment.Type, error) {
	ts, err := s.AppointmentTypes(ctx, territoryID)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]appointment.Type, len(ts))
	for _, t := range ts {
		m[t.ID] = t
	}
	return m, nil
}

// joinChannels writes channels as "email,sms".
func joinChannels(cs []string) string { return strings.Join(cs, ",") }
