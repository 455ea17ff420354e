package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/referential"
)

// The plan: objectives, actions and the contract of a person. Situations of
// an objective are stored as "theme:label" lines (labels hold commas and
// pipes, never a newline).

// joinSituations writes situations as "theme:label" lines.
func joinSituations(ss []referential.Situation) string {
	lines := make([]string, len(ss))
	for i, s := range ss {
		lines[i] = s.ThemeCode + ":" + s.Label
	}
	return strings.Join(lines, "\n")
}

// Plan returns the person's objectives, oldest first, each with its
// actions (by due date, then creation).
func (s *Store) Plan(ctx context.Context, personID int64) ([]person.Objective, error) {
	out, err := collect(ctx, s.reader(), func(rows *sql.Rows) (person.Objective, error) { return scanObjective(rows) },
		`SELECT id, person_id, theme, label, situations, status, section, created_by, created_at,
		updated_at FROM plan_objectives WHERE person_id = ? ORDER BY created_at, id`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: plan: %w", err)
	}
	idx := make(map[int64]int, len(out))
	for i, o := range out {
		idx[o.ID] = i
	}
	acts, err := s.queryActions(ctx, s.reader(), actionSelect+` WHERE a.person_id = ? ORDER BY a.due_on IS NULL, a.due_on, a.created_at, a.id`, personID)
	if err != nil {
		return nil, err
	}
	for _, a := range acts {
		if i, ok := idx[a.ObjectiveID]; ok {
			out[i].Actions = append(out[i].Actions, a)
		}
	}
	return out, nil
}

func scanObjective(sc interface{ Scan(...any) error }) (person.Objective, error) {
	var o person.Objective
	var sits, status, section string
	var by sql.NullInt64
	err := sc.Scan(&o.ID, &o.PersonID, &o.Theme, &o.Label, &sits, &status, &section, &by, &o.CreatedAt, &o.UpdatedAt)
	if sits != "" {
		for _, l := range strings.Split(sits, "\n") {
			theme, label, _ := strings.Cut(l, ":")
			o.Situations = append(o.Situations, referential.Situation{ThemeCode: theme, Label: label})
		}
	}
	o.Status, o.Section, o.CreatedBy = person.ObjectiveStatus(status), person.Section(section), by.Int64
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return o, err
}

// Objective returns an objective of the plan by ID.
func (s *Store) Objective(ctx context.Context, id int64) (person.Objective, error) {
	o, err := scanObjective(s.reader().queryRow(ctx, `SELECT id, person_id, theme, label, situations, status, section,
		created_by, created_at, updated_at FROM plan_objectives WHERE id = ?`, id))
	if err != nil {
		return o, fmt.Errorf("store: objective %d: %w", id, notFound(err))
	}
	return o, nil
}

const actionSelect = `SELECT a.id, a.objective_id, a.person_id, a.label, a.status, a.due_on, a.structure_id,
	COALESCE(st.name, ''), a.account_id, COALESCE(ac.first_name || ' ' || ac.last_name, ''), a.weekly_hours, a.service_id,
	a.section, a.created_by, a.created_at, a.updated_at
	FROM plan_actions a LEFT JOIN structures st ON st.id = a.structure_id LEFT JOIN accounts ac ON ac.id = a.account_id`

func scanAction(sc interface{ Scan(...any) error }) (person.Action, error) {
	var a person.Action
	var status, section string
	var due sql.NullTime
	var st, acc, svc, by sql.NullInt64
	err := sc.Scan(&a.ID, &a.ObjectiveID, &a.PersonID, &a.Label, &status, &due, &st, &a.StructureName, &acc, &a.AccountName,
		&a.WeeklyHours, &svc, &section, &by, &a.CreatedAt, &a.UpdatedAt)
	a.Status, a.Section, a.DueOn = person.ActionStatus(status), person.Section(section), timeOf(due)
	a.StructureID, a.AccountID, a.ServiceID, a.CreatedBy = st.Int64, acc.Int64, svc.Int64, by.Int64
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return a, err
}

func (s *Store) queryActions(ctx context.Context, d db, q string, args ...any) ([]person.Action, error) {
	rows, err := d.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: actions: %w", err)
	}
	defer rows.Close()
	var out []person.Action
	for rows.Next() {
		a, err := scanAction(rows)
		if err != nil {
			return nil, fmt.Errorf("store: actions: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Action returns an action of the plan by ID.
func (s *Store) Action(ctx context.Context, id int64) (person.Action, error) {
	a, err := scanAction(s.reader().queryRow(ctx, actionSelect+` WHERE a.id = ?`, id))
	if err != nil {
		return a, fmt.Errorf("store: action %d: %w", id, notFound(err))
	}
	return a, nil
}

// planSection is the section an audit entry and a timeline event of the
// plan are filed under: the item's sensitive section, else the plan.
func planSection(sec person.Section) person.Section {
	if sec != "" {
		return sec
	}
	return person.SectionPlan
}

func createObjective(ctx context.Context, d db, o *person.Objective, by Actor) error {
	o.CreatedBy, o.CreatedAt, o.UpdatedAt = by.AccountID, by.at(), by.at()
	if o.Status == "" {
		o.Status = person.ObjectiveInProgress
	}
	id, err := d.insertID(ctx, `INSERT INTO plan_objectives (person_id, theme, label, situations, status, section, created_by,
		created_structure, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, o.PersonID, o.Theme, o.Label,
		joinSituations(o.Situations), string(o.Status), string(o.Section), nullID(by.AccountID), nullID(by.StructureID),
		by.at(), by.at())
	if err != nil {
		return err
	}
	o.ID = id
	return by.event(ctx, d, o.PersonID, person.EventObjectiveAdded, "Objectif ajouté au plan : "+o.Label, o.Section, "", id)
}

// CreateObjective adds an objective to the plan, with the timeline and the
// audit entry.
func (s *Store) CreateObjective(ctx context.Context, o *person.Objective, by Actor) error {
	err := s.tx(ctx, func(d db) error {
		if err := createObjective(ctx, d, o, by); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(o.PersonID, planSection(o.Section), "create"))
	})
	if err != nil {
		return fmt.Errorf("store: create objective: %w", err)
	}
	return nil
}

// SetObjectiveStatus changes the state of an objective of the person.
func (s *Store) SetObjectiveStatus(ctx context.Context, o *person.Objective, status person.ObjectiveStatus, by Actor) error {
	err := s.tx(ctx, func(d db) error {
		res, err := d.exec(ctx, `UPDATE plan_objectives SET status = ?, updated_at = ? WHERE id = ? AND person_id = ?`,
			string(status), by.at(), o.ID, o.PersonID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrNotFound
		}
		summary := "Objectif « " + o.Label + " » : " + strings.ToLower(person.Label(person.ObjectiveStatuses, string(status)))
		if err := by.event(ctx, d, o.PersonID, person.EventObjectiveUpdated, summary, o.Section, "", o.ID); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(o.PersonID, planSection(o.Section), "update"))
	})
	if err != nil {
		return fmt.Errorf("store: objective status: %w", err)
	}
	o.Status, o.UpdatedAt = status, by.at()
	return nil
}

func createAction(ctx context.Context, d db, a *person.Action, by Actor) error {
	a.CreatedBy, a.CreatedAt, a.UpdatedAt = by.AccountID, by.at(), by.at()
	id, err := d.insertID(ctx, `INSERT INTO plan_actions (objective_id, person_id, label, status, due_on, structure_id, account_id,
		weekly_hours, service_id, section, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ObjectiveID, a.PersonID, a.Label, string(a.Status), nullTime(a.DueOn), nullID(a.StructureID), nullID(a.AccountID),
		a.WeeklyHours, nullID(a.ServiceID), string(a.Section), nullID(by.AccountID), by.at(), by.at())
	if err != nil {
		return err
	}
	a.ID = id
	return by.event(ctx, d, a.PersonID, person.EventActionAdded, "Action ajoutée au plan : "+a.Label, a.Section, "", id)
}

// CreateAction adds an action to an objective of the person, with the
// timeline and the audit entry. An objective of another person is
// ErrNotFound.
func (s *Store) CreateAction(ctx context.Context, a *person.Action, by Actor) error {
	err := s.tx(ctx, func(d db) error {
		if err := checkObjective(ctx, d, a.ObjectiveID, a.PersonID); err != nil {
			return err
		}
		if err := createAction(ctx, d, a, by); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(a.PersonID, planSection(a.Section), "create"))
	})
	if err != nil {
		return fmt.Errorf("store: create action: %w", err)
	}
	return nil
}

// checkObjective makes sure the objective is the person's.
func checkObjective(ctx context.Context, d db, objectiveID, personID int64) error {
	var pid int64
	err := d.queryRow(ctx, `SELECT person_id FROM plan_objectives WHERE id = ?`, objectiveID).Scan(&pid)
	if errors.Is(err, sql.ErrNoRows) || err == nil && pid != personID {
		return ErrNotFound
	}
	return err
}

// UpdateAction saves an action's status, due date, carrier, hours and
// label; the timeline tells the new status when it changed.
func (s *Store) UpdateAction(ctx context.Context, a *person.Action, prev person.ActionStatus, by Actor) error {
	err := s.tx(ctx, func(d db) error {
		res, err := d.exec(ctx, `UPDATE plan_actions SET label = ?, status = ?, due_on = ?, structure_id = ?, account_id = ?,
			weekly_hours = ?, section = ?, updated_at = ? WHERE id = ? AND person_id = ?`, a.Label, string(a.Status),
			nullTime(a.DueOn), nullID(a.StructureID), nullID(a.AccountID), a.WeeklyHours, string(a.Section), by.at(), a.ID, a.PersonID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrNotFound
		}
		summary := "Action « " + a.Label + " » mise à jour"
		if a.Status != prev {
			summary = "Action « " + a.Label + " » : " + strings.ToLower(person.Label(person.ActionStatuses, string(a.Status)))
		}
		if err := by.event(ctx, d, a.PersonID, person.EventActionUpdated, summary, a.Section, "", a.ID); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(a.PersonID, planSection(a.Section), "update"))
	})
	if err != nil {
		return fmt.Errorf("store: update action: %w", err)
	}
	a.UpdatedAt = by.at()
	return nil
}

// Contract returns the person's contract; a fresh one (15 hours, not
// signed) when none was written.
func (s *Store) Contract(ctx context.Context, personID int64) (person.Contract, error) {
	c := person.Contract{PersonID: personID, TargetHours: person.StandardHours}
	var reason string
	var signed sql.NullTime
	var by sql.NullInt64
	err := s.reader().queryRow(ctx, `SELECT target_hours, adjust_reason, adjust_comment, signed_on, signatories, updated_by,
		updated_at FROM contracts WHERE person_id = ?`, personID).
		Scan(&c.TargetHours, &reason, &c.AdjustComment, &signed, &c.Signatories, &by, &c.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("store: contract: %w", err)
	}
	c.AdjustReason, c.SignedOn, c.UpdatedBy, c.UpdatedAt = person.AdjustReason(reason), timeOf(signed), by.Int64, c.UpdatedAt.UTC()
	return c, nil
}

// SaveContract writes the contract's hours and signature. The timeline says
// the contract was signed or its hours changed, never why (an adjustment
// for health is health data: its audit entry is filed under health).
func (s *Store) SaveContract(ctx context.Context, c *person.Contract, prev person.Contract, by Actor) error {
	c.UpdatedBy, c.UpdatedAt = by.AccountID, by.at()
	err := s.tx(ctx, func(d db) error {
		_, err := d.exec(ctx, `INSERT INTO contracts (person_id, target_hours, adjust_reason, adjust_comment, signed_on,
			signatories, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET
			target_hours = excluded.target_hours, adjust_reason = excluded.adjust_reason, adjust_comment = excluded.adjust_comment,
			signed_on = excluded.signed_on, signatories = excluded.signatories, updated_by = excluded.updated_by,
			updated_at = excluded.updated_at`, c.PersonID, c.TargetHours, string(c.AdjustReason), c.AdjustComment,
			nullTime(c.SignedOn), c.Signatories, nullID(by.AccountID), by.at())
		if err != nil {
			return err
		}
		var summary string
		switch {
		case c.Signed() && !prev.Signed():
			summary = "Contrat d'engagement signé le " + c.SignedOn.Format("02/01/2006")
		case c.Target() != prev.Target():
			summary = fmt.Sprintf("Durée hebdomadaire d'activité du contrat : %s heures", formatHours(c.Target()))
		default:
			summary = "Contrat d'engagement mis à jour"
		}
		if err := by.event(ctx, d, c.PersonID, person.EventContractUpdated, summary, "", "", 0); err != nil {
			return err
		}
		es := []person.Section{person.SectionPlan}
		if sec := c.AdjustReason.Section(); sec != "" {
			es = append(es, sec)
		}
		for _, sec := range es {
			if err := s.AuditInTx(ctx, d, by.entry(c.PersonID, sec, "update")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save contract: %w", err)
	}
	return nil
}

// formatHours writes hours the French way: "15", "12,5".
func formatHours(h float64) string {
	return strings.Replace(strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", h), "0"), "."), ".", ",", 1)
}

// ContractDue returns the due date of the contract: that of the person's
// latest accepted orientation, zero when none.
func (s *Store) ContractDue(ctx context.Context, personID int64) (time.Time, error) {
	var due sql.NullTime
	err := s.reader().queryRow(ctx, `SELECT contract_due_on FROM orientations WHERE person_id = ? AND status = 'accepted'
		ORDER BY decided_at DESC, id DESC LIMIT 1`, personID).Scan(&due)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("store: contract due: %w", err)
	}
	return timeOf(due), nil
}
