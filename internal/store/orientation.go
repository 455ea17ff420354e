package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/orientation"
)

// OrientationRules returns the territory's delays, or the defaults.
func (s *Store) OrientationRules(ctx context.Context, territoryID int64) (orientation.Rules, error) {
	r := orientation.DefaultRules()
	err := s.reader().queryRow(ctx, `SELECT decision_days, contract_months, appointment_days, appointment_target_days
		FROM orientation_rules WHERE territory_id = ?`, territoryID).
		Scan(&r.DecisionDays, &r.ContractMonths, &r.AppointmentDays, &r.AppointmentTargetDays)
	if errors.Is(err, sql.ErrNoRows) {
		return orientation.DefaultRules(), nil
	}
	if err != nil {
		return r, fmt.Errorf("store: orientation rules: %w", err)
	}
	return r, nil
}

// SetOrientationRules saves the territory's delays.
func (s *Store) SetOrientationRules(ctx context.Context, territoryID int64, r orientation.Rules) error {
	_, err := s.writer().exec(ctx, `INSERT INTO orientation_rules (territory_id, decision_days, contract_months, appointment_days,
		appointment_target_days) VALUES (?, ?, ?, ?, ?) ON CONFLICT (territory_id) DO UPDATE SET
		decision_days = excluded.decision_days, contract_months = excluded.contract_months,
		appointment_days = excluded.appointment_days, appointment_target_days = excluded.appointment_target_days`,
		territoryID, r.DecisionDays, r.ContractMonths, r.AppointmentDays, r.AppointmentTargetDays)
	if err != nil {
		return fmt.Errorf("store: set orientation rules: %w", err)
	}
	return nil
}

// CreateOrientation records a request for orientation, with the timeline
// and the audit entry. A person with a pending request is ErrConflict.
func (s *Store) CreateOrientation(ctx context.Context, o *orientation.Request, by Actor) error {
	o.RequestedBy, o.RequestedStructure, o.RequestedAt, o.Status = by.AccountID, by.StructureID, by.at(), orientation.StatusPending
	err := s.tx(ctx, func(d db) error {
		id, err := d.insertID(ctx, `INSERT INTO orientations (person_id, territory_id, suggested_type, reason, source, requested_by,
			requested_structure, requested_at, due_on, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
			o.PersonID, o.TerritoryID, string(o.SuggestedType), o.Reason, string(o.Source), nullID(by.AccountID),
			nullID(by.StructureID), by.at(), o.DueOn.UTC())
		if err != nil {
			return err
		}
		o.ID = id
		summary := "Demande d'orientation"
		if o.SuggestedType != "" {
			summary += " (" + strings.ToLower(o.SuggestedType.Label()) + " suggérée)"
		}
		summary += ", à décider avant le " + o.DueOn.Format("02/01/2006")
		if err := by.event(ctx, d, o.PersonID, "orientation_requested", summary, "", "", id); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(o.PersonID, "orientation", "create"))
	})
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: create orientation: %w", ErrConflict)
		}
		return fmt.Errorf("store: create orientation: %w", err)
	}
	return nil
}

const orientationSelect = `SELECT o.id, o.person_id, o.territory_id, o.suggested_type, o.reason, o.source, o.requested_by,
	o.requested_structure, o.requested_at, o.due_on, o.status, o.decided_at, o.decided_by, o.decision_type, o.structure_id,
	o.dispositif, o.referent_id, o.refusal_reason, o.contract_due_on, o.appointment_due_on, o.appointment_target_on
	FROM orientations o`

func scanOrientation(sc interface{ Scan(...any) error }) (orientation.Request, error) {
	var o orientation.Request
	var sug, source, status, typ string
	var by, bySt, decBy, st, ref sql.NullInt64
	var decAt, contract, appt, target sql.NullTime
	err := sc.Scan(&o.ID, &o.PersonID, &o.TerritoryID, &sug, &o.Reason, &source, &by, &bySt, &o.RequestedAt, &o.DueOn, &status,
		&decAt, &decBy, &typ, &st, &o.Dispositif, &ref, &o.RefusalReason, &contract, &appt, &target)
	o.SuggestedType, o.Source, o.Status, o.Type = orientation.Type(sug), orientation.Source(source), orientation.Status(status), orientation.Type(typ)
	o.RequestedBy, o.RequestedStructure, o.DecidedBy, o.StructureID, o.ReferentID = by.Int64, bySt.Int64, decBy.Int64, st.Int64, ref.Int64
	o.DecidedAt, o.ContractDueOn, o.AppointmentDueOn, o.AppointmentTargetOn = timeOf(decAt), timeOf(contract), timeOf(appt), timeOf(target)
	o.DueOn = o.DueOn.UTC()
	return o, err
}

// Orientation returns a request by ID.
func (s *Store) Orientation(ctx context.Context, id int64) (orientation.Request, error) {
	o, err := scanOrientation(s.reader().queryRow(ctx, orientationSelect+` WHERE o.id = ?`, id))
	if err != nil {
		return o, fmt.Errorf("store: orientation %d: %w", id, notFound(err))
	}
	return o, nil
}

// PersonOrientations lists a person's requests, newest first: the history
// of structures, dispositifs and référents.
func (s *Store) PersonOrientations(ctx context.Context, personID int64) ([]orientation.Request, error) {
	rows, err := s.reader().query(ctx, orientationSelect+` WHERE o.person_id = ? ORDER BY o.requested_at DESC, o.id DESC`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: person orientations: %w", err)
	}
	defer rows.Close()
	var out []orientation.Request
	for rows.Next() {
		o, err := scanOrientation(rows)
		if err != nil {
			return nil, fmt.Errorf("store: person orientations: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// QueueFilter narrows the coordinator's queue.
type QueueFilter struct {
	Status        orientation.Status // pending by default
	SuggestedType orientation.Type
	Source        orientation.Source
	Commune       string
	OlderThanDays int       // requested at least that many days ago
	DueBefore     time.Time // due before that date (its day, read in its own location): the overdue ones
	Today         time.Time
	Limit         int
	Offset        int
}

// QueueItem is a line of the queue: the request and the identity a
// coordinator needs to orient, nothing of the record.
type QueueItem struct {
	orientation.Request
	FirstName, LastName string
	BirthDate           time.Time
	CommuneINSEE        string
	RequestedByName     string
	RequestedStructName string
}

// Queue lists a territory's requests, the most urgent first (due date,
// then age), with the total count for pagination.
func (s *Store) Queue(ctx context.Context, territoryID int64, f QueueFilter) ([]QueueItem, int, error) {
	if f.Status == "" {
		f.Status = orientation.StatusPending
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	where := ` WHERE o.territory_id = ? AND o.status = ?`
	args := []any{territoryID, string(f.Status)}
	if f.SuggestedType != "" {
		where += ` AND o.suggested_type = ?`
		args = append(args, string(f.SuggestedType))
	}
	if f.Source != "" {
		where += ` AND o.source = ?`
		args = append(args, string(f.Source))
	}
	if f.Commune != "" {
		where += ` AND p.commune_insee = ?`
		args = append(args, f.Commune)
	}
	if f.OlderThanDays > 0 && !f.Today.IsZero() {
		where += ` AND o.requested_at <= ?`
		args = append(args, f.Today.AddDate(0, 0, -f.OlderThanDays).UTC())
	}
	if !f.DueBefore.IsZero() {
		where += ` AND o.due_on < ?`
		args = append(args, dayOf(f.DueBefore))
	}
	var total int
	from := ` FROM orientations o`
	if f.Commune != "" {
		from += ` JOIN persons p ON p.id = o.person_id`
	}
	if err := s.reader().queryRow(ctx, `SELECT COUNT(*)`+from+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: queue: %w", err)
	}
	q := strings.Replace(orientationSelect, "FROM orientations o", `, p.first_name, p.last_name, p.birth_date, p.commune_insee,
		COALESCE(a.first_name || ' ' || a.last_name, ''), COALESCE(st.name, '')
		FROM orientations o JOIN persons p ON p.id = o.person_id
		LEFT JOIN accounts a ON a.id = o.requested_by LEFT JOIN structures st ON st.id = o.requested_structure`, 1)
	rows, err := s.reader().query(ctx, q+where+` ORDER BY o.due_on, o.requested_at, o.id LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: queue: %w", err)
	}
	defer rows.Close()
	var out []QueueItem
	for rows.Next() {
		var it QueueItem
		it.Request, err = scanOrientation(scanWith(rows, &it.FirstName, &it.LastName, &it.BirthDate, &it.CommuneINSEE,
			&it.RequestedByName, &it.RequestedStructName))
		if err != nil {
			return nil, 0, fmt.Errorf("store: queue: %w", err)
		}
		it.BirthDate = it.BirthDate.UTC()
		out = append(out, it)
	}
	return out, total, rows.Err()
}

// DecideOrientation saves a coordinator's decision. On acceptance with a
// référent, that professional joins the team as référent unique in the
// structure oriented to (the former référent stays a member); the
// timeline explains the decision. It is one transaction, audited.
func (s *Store) DecideOrientation(ctx context.Context, o *orientation.Request, explanation string, by Actor, msgs ...notify.Message) error {
	err := s.tx(ctx, func(d db) error {
		res, err := d.exec(ctx, `UPDATE orientations SET status = ?, decided_at = ?, decided_by = ?, decision_type = ?, structure_id = ?,
			dispositif = ?, referent_id = ?, refusal_reason = ?, contract_due_on = ?, appointment_due_on = ?, appointment_target_on = ?
			WHERE id = ? AND status = 'pending'`, string(o.Status), o.DecidedAt.UTC(), by.AccountID, string(o.Type),
			nullID(o.StructureID), o.Dispositif, nullID(o.ReferentID), o.RefusalReason, nullTime(o.ContractDueOn),
			nullTime(o.AppointmentDueOn), nullTime(o.AppointmentTargetOn), o.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrConflict
		}
		if o.Status == orientation.StatusAccepted && o.ReferentID != 0 {
			if err := setReferentIn(ctx, d, o.PersonID, o.ReferentID, o.StructureID, by); err != nil {
				return err
			}
		}
		kind := "orientation_decided"
		if o.Status == orientation.StatusRefused {
			kind = "orientation_refused"
		}
		if err := by.event(ctx, d, o.PersonID, kind, explanation, "", "", o.ID); err != nil {
			return err
		}
		if err := s.enqueue(ctx, d, by.at(), msgs...); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(o.PersonID, "orientation", "update"))
	})
	if err != nil {
		return fmt.Errorf("store: decide orientation: %w", err)
	}
	return nil
}

// setReferentIn makes the account the active référent in the structure:
// it joins the team if it is not in it; the former référent stays a member.
func setReferentIn(ctx context.Context, d db, personID, accountID, structureID int64, by Actor) error {
	if _, err := d.exec(ctx, `UPDATE team_members SET referent = FALSE WHERE person_id = ? AND ended_at IS NULL AND referent`, personID); err != nil {
		return err
	}
	res, err := d.exec(ctx, `UPDATE team_members SET referent = TRUE WHERE person_id = ? AND account_id = ? AND ended_at IS NULL`,
		personID, accountID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	_, err = d.exec(ctx, `INSERT INTO team_members (person_id, account_id, structure_id, referent, started_at) VALUES (?, ?, ?, TRUE, ?)`,
		personID, accountID, structureID, by.at())
	return err
}

// CreateReorientation records a référent's request for a change.
func (s *Store) CreateReorientation(ctx context.Context, ro *orientation.Reorientation, by Actor) error {
	ro.RequestedBy, ro.FromStructure, ro.RequestedAt, ro.Status = by.AccountID, by.StructureID, by.at(), "pending"
	err := s.tx(ctx, func(d db) error {
		id, err := d.insertID(ctx, `INSERT INTO reorientations (person_id, orientation_id, requested_by, from_structure, to_type,
			to_structure, reason, status, requested_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)`, ro.PersonID, nullID(ro.OrientationID),
			by.AccountID, nullID(by.StructureID), string(ro.ToType), nullID(ro.ToStructure), ro.Reason, by.at())
		if err != nil {
			return err
		}
		ro.ID = id
		if err := by.event(ctx, d, ro.PersonID, "reorientation_requested", "Demande de réorientation", "", "", id); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(ro.PersonID, "orientation", "create"))
	})
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: create reorientation: %w", ErrConflict)
		}
		return fmt.Errorf("store: create reorientation: %w", err)
	}
	return nil
}

const reorientationSelect = `SELECT r.id, r.person_id, r.orientation_id, r.requested_by, r.from_structure, r.to_type, r.to_structure,
	r.reason, r.status, r.requested_at, r.decided_at, r.decided_by, r.denial_reason FROM reorientations r`

func scanReorientation(sc interface{ Scan(...any) error }) (orientation.Reorientation, error) {
	var ro orientation.Reorientation
	var oid, from, to, decBy sql.NullInt64
	var typ, status string
	var decAt sql.NullTime
	err := sc.Scan(&ro.ID, &ro.PersonID, &oid, &ro.RequestedBy, &from, &typ, &to, &ro.Reason, &status, &ro.RequestedAt,
		&decAt, &decBy, &ro.DenialReason)
	ro.OrientationID, ro.FromStructure, ro.ToStructure, ro.DecidedBy = oid.Int64, from.Int64, to.Int64, decBy.Int64
	ro.ToType, ro.Status, ro.DecidedAt = orientation.Type(typ), orientation.ReorientationStatus(status), timeOf(decAt)
	return ro, err
}

// Reorientation returns a reorientation request.
func (s *Store) Reorientation(ctx context.Context, id int64) (orientation.Reorientation, error) {
	ro, err := scanReorientation(s.reader().queryRow(ctx, reorientationSelect+` WHERE r.id = ?`, id))
	if err != nil {
		return ro, fmt.Errorf("store: reorientation %d: %w", id, notFound(err))
	}
	return ro, nil
}

// Reorientations lists a territory's reorientation requests with a status.
func (s *Store) Reorientations(ctx context.Context, territoryID int64, status orientation.ReorientationStatus) ([]orientation.Reorientation, error) {
	rows, err := s.reader().query(ctx, reorientationSelect+` JOIN persons p ON p.id = r.person_id
		WHERE p.territory_id = ? AND r.status = ? ORDER BY r.requested_at, r.id`, territoryID, string(status))
	if err != nil {
		return nil, fmt.Errorf("store: reorientations: %w", err)
	}
	defer rows.Close()
	var out []orientation.Reorientation
	for rows.Next() {
		ro, err := scanReorientation(rows)
		if err != nil {
			return nil, fmt.Errorf("store: reorientations: %w", err)
		}
		out = append(out, ro)
	}
	return out, rows.Err()
}

// DecideReorientation answers a reorientation request. On acceptance the
// decided orientation (o, already accepted by the caller's rules) is
// recorded as a new orientation of the person, and its référent set.
func (s *Store) DecideReorientation(ctx context.Context, ro *orientation.Reorientation, o *orientation.Request, explanation string, by Actor, msgs ...notify.Message) error {
	err := s.tx(ctx, func(d db) error {
		res, err := d.exec(ctx, `UPDATE reorientations SET status = ?, decided_at = ?, decided_by = ?, denial_reason = ?
			WHERE id = ? AND status = 'pending'`, string(ro.Status), by.at(), by.AccountID, ro.DenialReason, ro.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrConflict
		}
		kind := "reorientation_denied"
		if o != nil {
			kind = "reorientation_accepted"
			id, err := d.insertID(ctx, `INSERT INTO orientations (person_id, territory_id, suggested_type, reason, source, requested_by,
				requested_structure, requested_at, due_on, status, decided_at, decided_by, decision_type, structure_id, dispositif,
				referent_id, contract_due_on, appointment_due_on, appointment_target_on)
				VALUES (?, ?, ?, ?, 'professional', ?, ?, ?, ?, 'accepted', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				o.PersonID, o.TerritoryID, string(ro.ToType), ro.Reason, nullID(ro.RequestedBy), nullID(ro.FromStructure),
				ro.RequestedAt.UTC(), o.DueOn.UTC(), o.DecidedAt.UTC(), by.AccountID, string(o.Type), nullID(o.StructureID),
				o.Dispositif, nullID(o.ReferentID), nullTime(o.ContractDueOn), nullTime(o.AppointmentDueOn), nullTime(o.AppointmentTargetOn))
			if err != nil {
				return err
			}
			o.ID = id
			if o.ReferentID != 0 {
				if err := setReferentIn(ctx, d, o.PersonID, o.ReferentID, o.StructureID, by); err != nil {
					return err
				}
			}
		}
		if err := by.event(ctx, d, ro.PersonID, kind, explanation, "", "", ro.ID); err != nil {
			return err
		}
		if err := s.enqueue(ctx, d, by.at(), msgs...); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(ro.PersonID, "orientation", "update"))
	})
	if err != nil {
		return fmt.Errorf("store: decide reorientation: %w", err)
	}
	return nil
}

// NoteOverdue is the daily job of the orientation queue: every pending
// request whose due date is before today gets, once, a timeline line that
// says the legal delay is passed. It is safe to run often and on several
// instances at once (the UPDATE claims each request once). It returns how
// many requests it noted.
func (s *Store) NoteOverdue(ctx context.Context, today time.Time) (int, error) {
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	n := 0
	err := s.tx(ctx, func(d db) error {
		rows, err := d.query(ctx, `UPDATE orientations SET overdue_noted_on = ?
			WHERE status = 'pending' AND due_on < ? AND overdue_noted_on IS NULL RETURNING id, person_id, due_on`, day, day)
		if err != nil {
			return err
		}
		type noted struct {
			id, person int64
			due        time.Time
		}
		var ns []noted
		for rows.Next() {
			var x noted
			if err := rows.Scan(&x.id, &x.person, &x.due); err != nil {
				_ = rows.Close()
				return err
			}
			ns = append(ns, x)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		by := Actor{At: today}
		for _, x := range ns {
			summary := "Délai légal de décision d'orientation dépassé (date limite : " + x.due.UTC().Format("02/01/2006") + ")"
			if err := by.event(ctx, d, x.person, "orientation_overdue", summary, "", "", x.id); err != nil {
				return err
			}
		}
		n = len(ns)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: note overdue: %w", err)
	}
	return n, nil
}

// CountOrientations counts a territory's orientation requests.
func (s *Store) CountOrientations(ctx context.Context, territoryID int64) (int, error) {
	var n int
	if err := s.reader().queryRow(ctx, `SELECT COUNT(*) FROM orientations WHERE territory_id = ?`, territoryID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count orientations: %w", err)
	}
	return n, nil
}

// Dispositifs lists the territory's local schemes, by name.
func (s *Store) Dispositifs(ctx context.Context, territoryID int64) ([]string, error) {
	rows, err := s.reader().query(ctx, `SELECT name FROM dispositifs WHERE territory_id = ? ORDER BY name`, territoryID)
	if err != nil {
		return nil, fmt.Errorf("store: dispositifs: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("store: dispositifs: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// AddDispositif adds a local scheme to the territory; a name already there
// is ErrConflict.
func (s *Store) AddDispositif(ctx context.Context, territoryID int64, name string) error {
	_, err := s.writer().exec(ctx, `INSERT INTO dispositifs (territory_id, name) VALUES (?, ?)`, territoryID, name)
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: add dispositif: %w", ErrConflict)
		}
		return fmt.Errorf("store: add dispositif: %w", err)
	}
	return nil
}
