package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/person"
)

// When a coordinator orients a person to a structure without naming a
// référent, the structure's manager names one. Until then the person waits
// in the structure's list, and the due dates of the orientation run.

// awaitingWhere selects the orientations whose person waits for the
// structure (the first argument) to name a référent: the person's latest
// accepted orientation is to that structure, it named no référent, and no
// active team member of that structure is the person's référent.
const awaitingWhere = ` o.status = 'accepted' AND o.structure_id = ? AND o.referent_id IS NULL
	AND NOT EXISTS (SELECT 1 FROM orientations l WHERE l.person_id = o.person_id AND l.status = 'accepted'
		AND (l.decided_at > o.decided_at OR (l.decided_at = o.decided_at AND l.id > o.id)))
	AND NOT EXISTS (SELECT 1 FROM team_members tm WHERE tm.person_id = o.person_id AND tm.structure_id = o.structure_id
		AND tm.ended_at IS NULL AND tm.referent)`

// AwaitingItem is a person waiting for a référent: the identity a manager
// needs to name one, and the orientation's dates, nothing of the record.
type AwaitingItem struct {
	PersonID            int64
	OrientationID       int64
	FirstName, LastName string
	BirthDate           time.Time
	CommuneINSEE        string
	OrientedAt          time.Time // the decision
	AppointmentDueOn    time.Time // first appointment, legal delay (date)
	ContractDueOn       time.Time // contrat d'engagement (date)
}

// AwaitingReferent lists the people waiting for the structure to name their
// référent, the first appointment due soonest first.
func (s *Store) AwaitingReferent(ctx context.Context, structureID int64) ([]AwaitingItem, error) {
	rows, err := s.reader().query(ctx, `SELECT p.id, o.id, p.first_name, p.last_name, p.birth_date, p.commune_insee, o.decided_at,
		o.appointment_due_on, o.contract_due_on FROM orientations o JOIN persons p ON p.id = o.person_id
		WHERE`+awaitingWhere+` ORDER BY o.appointment_due_on, o.decided_at, o.id`, structureID)
	if err != nil {
		return nil, fmt.Errorf("store: awaiting referent: %w", err)
	}
	defer rows.Close()
	var out []AwaitingItem
	for rows.Next() {
		var it AwaitingItem
		var appt, contract sql.NullTime
		if err := rows.Scan(&it.PersonID, &it.OrientationID, &it.FirstName, &it.LastName, &it.BirthDate, &it.CommuneINSEE,
			&it.OrientedAt, &appt, &contract); err != nil {
			return nil, fmt.Errorf("store: awaiting referent: %w", err)
		}
		it.BirthDate, it.OrientedAt = it.BirthDate.UTC(), it.OrientedAt.UTC()
		it.AppointmentDueOn, it.ContractDueOn = timeOf(appt), timeOf(contract)
		out = append(out, it)
	}
	return out, rows.Err()
}

// Professionals lists the structure's active accounts with the professional
// role: those a manager may name référent.
func (s *Store) Professionals(ctx context.Context, structureID int64) ([]AccountSummary, error) {
	rows, err := s.reader().query(ctx, `SELECT a.id, a.email, a.first_name, a.last_name, st.name
		FROM accounts a JOIN memberships m ON m.account_id = a.id JOIN structures st ON st.id = m.structure_id
		WHERE m.structure_id = ? AND m.role = ? AND a.disabled_at IS NULL
		ORDER BY a.last_name, a.first_name, a.id`, structureID, string(account.RoleProfessional))
	if err != nil {
		return nil, fmt.Errorf("store: professionals: %w", err)
	}
	defer rows.Close()
	var out []AccountSummary
	for rows.Next() {
		a := AccountSummary{Roles: account.RoleProfessional.Label()}
		var first, last string
		if err := rows.Scan(&a.ID, &a.Email, &first, &last, &a.Structure); err != nil {
			return nil, fmt.Errorf("store: professionals: %w", err)
		}
		a.Name = strings.TrimSpace(first + " " + last)
		out = append(out, a)
	}
	return out, rows.Err()
}

// AssignReferents names, for each person (key) waiting for the structure,
// the account (value) as référent unique in that structure; the former
// référent, if any, stays a member. The orientation records the référent,
// and the timeline and the audit trail one line each per person. It is one
// transaction: an account that is not an active professional of the
// structure, or a person who does not wait for it, is ErrConflict and
// nothing is changed.
func (s *Store) AssignReferents(ctx context.Context, structureID int64, assignments map[int64]int64, by Actor) error {
	if len(assignments) == 0 {
		return nil
	}
	persons := make([]int64, 0, len(assignments))
	for p := range assignments {
		persons = append(persons, p)
	}
	slices.Sort(persons) // a fixed order: the same input writes the same rows
	err := s.tx(ctx, func(d db) error {
		for _, personID := range persons {
			accountID := assignments[personID]
			var n int
			if err := d.queryRow(ctx, `SELECT COUNT(*) FROM accounts a JOIN memberships m ON m.account_id = a.id
				WHERE a.id = ? AND m.structure_id = ? AND m.role = ? AND a.disabled_at IS NULL`,
				accountID, structureID, string(account.RoleProfessional)).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("account %d is not a professional of structure %d: %w", accountID, structureID, ErrConflict)
			}
			var orientationID int64
			err := d.queryRow(ctx, `SELECT o.id FROM orientations o WHERE o.person_id = ? AND`+awaitingWhere,
				personID, structureID).Scan(&orientationID)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("person %d does not wait for structure %d: %w", personID, structureID, ErrConflict)
			}
			if err != nil {
				return err
			}
			if err := setReferentIn(ctx, d, personID, accountID, structureID, by); err != nil {
				return err
			}
			if _, err := d.exec(ctx, `UPDATE orientations SET referent_id = ? WHERE id = ?`, accountID, orientationID); err != nil {
				return err
			}
			m, err := scanTeamMember(d.queryRow(ctx, teamSelect+` WHERE tm.person_id = ? AND tm.account_id = ? AND tm.ended_at IS NULL`,
				personID, accountID))
			if err != nil {
				return err
			}
			summary := fmt.Sprintf("%s (%s) devient référent unique, désigné par le gestionnaire de la structure", m.AccountName, m.StructureName)
			if err := by.event(ctx, d, personID, "referent_changed", summary, "", "", m.ID); err != nil {
				return err
			}
			if err := s.AuditInTx(ctx, d, by.entry(personID, person.SectionTeam, "update")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: assign referents: %w", err)
	}
	return nil
}

// OverdueCounts are the delays a structure watches: among the people
// oriented to it who still wait for their référent, those whose first
// appointment or contrat d'engagement is past its due date.
type OverdueCounts struct {
	Awaiting    int // waiting for a référent, late or not
	Appointment int // first appointment due before today
	Contract    int // contrat d'engagement due before today
}

// StructureOverdue counts the people waiting for the structure to name a
// référent, and those of them whose due dates are past. today is a date:
// its day, read in its own location (the caller's civil date), is the first
// day not yet late.
func (s *Store) StructureOverdue(ctx context.Context, structureID int64, today time.Time) (OverdueCounts, error) {
	var c OverdueCounts
	day := dayOf(today)
	err := s.reader().queryRow(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN o.appointment_due_on < ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN o.contract_due_on < ? THEN 1 ELSE 0 END), 0)
		FROM orientations o WHERE`+awaitingWhere, day, day, structureID).Scan(&c.Awaiting, &c.Appointment, &c.Contract)
	if err != nil {
		return c, fmt.Errorf("store: structure overdue: %w", err)
	}
	return c, nil
}

// OverdueRequests counts the territory's orientation requests still
// pending after their due date, as orientation.Overdue reads it: today is
// a date, its day read in its own location.
func (s *Store) OverdueRequests(ctx context.Context, territoryID int64, today time.Time) (int, error) {
	var n int
	err := s.reader().queryRow(ctx, `SELECT COUNT(*) FROM orientations WHERE territory_id = ? AND status = 'pending' AND due_on < ?`,
		territoryID, dayOf(today)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: overdue requests: %w", err)
	}
	return n, nil
}

// dayOf is the date t holds, read in its own location, as the store keeps
// dates: UTC midnight.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
