package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spie-parcours/parcours/internal/audit"
	"github.com/spie-parcours/parcours/internal/person"
)

// Actor is who makes a change, from which structure, and when: the store
// signs rows, timeline events and audit entries with it.
type Actor struct {
	AccountID   int64
	StructureID int64
	At          time.Time
}

func (a Actor) at() time.Time {
	if a.At.IsZero() {
		return time.Now().UTC()
	}
	return a.At.UTC()
}

// entry is the audit entry of an allowed change by the actor.
func (a Actor) entry(personID int64, section person.Section, action string) audit.Entry {
	return audit.Entry{At: a.at(), AccountID: a.AccountID, StructureID: a.StructureID, PersonID: personID,
		Section: string(section), Action: action, Outcome: "allowed"}
}

// event writes a timeline line in the transaction.
func (a Actor) event(ctx context.Context, d db, personID int64, kind, summary string, section person.Section, vis person.Visibility, ref int64) error {
	if vis == "" {
		vis = person.VisibilityTeam
	}
	_, err := d.exec(ctx, `INSERT INTO timeline_events (person_id, at, kind, summary, section, visibility, account_id, structure_id, ref_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, personID, a.at(), kind, summary, string(section), string(vis),
		nullID(a.AccountID), nullID(a.StructureID), nullID(ref))
	return err
}

// CreatePerson registers a person, makes the actor their référent, and
// writes the timeline and the audit entry, in one transaction. A person
// with the same CAF number or France Travail id is ErrConflict.
func (s *Store) CreatePerson(ctx context.Context, p *person.Person, by Actor) error {
	p.CreatedAt, p.CreatedBy, p.CreatedStructure = by.at(), by.AccountID, by.StructureID
	err := s.tx(ctx, func(d db) error {
		id, err := d.insertID(ctx, `INSERT INTO persons (`+personColumns+`) VALUES `+placeholders(personColumnCount), personArgs(p)...)
		if err != nil {
			return err
		}
		p.ID = id
		if _, err := d.exec(ctx, `INSERT INTO team_members (person_id, account_id, structure_id, referent, started_at)
			VALUES (?, ?, ?, TRUE, ?)`, id, by.AccountID, by.StructureID, by.at()); err != nil {
			return err
		}
		if err := by.event(ctx, d, id, "person_registered", "Personne inscrite ; l'auteur devient référent unique", "", "", 0); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(id, person.SectionIdentity, "create"))
	})
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: create person: %w", ErrConflict)
		}
		return fmt.Errorf("store: create person: %w", err)
	}
	return nil
}

// UpdatePerson saves the identity and statuses. RQTH is health data: its
// change is audited under the health section.
func (s *Store) UpdatePerson(ctx context.Context, p *person.Person, by Actor, sections []person.Section) error {
	first, last, birth := p.Keys()
	err := s.tx(ctx, func(d db) error {
		res, err := d.exec(ctx, `UPDATE persons SET first_name = ?, last_name = ?, birth_name = ?, birth_date = ?, sex = ?,
			email = ?, phone = ?, address = ?, commune_insee = ?, caf_number = ?, caf_role = ?, france_travail_id = ?,
			search_first = ?, search_last = ?, search_birth = ?, rsa_right = ?, rsa_opened_on = ?, rqth = ?,
			long_term_unemployed = ?, education_level = ?, work_situation = ?, updated_at = ? WHERE id = ?`,
			p.FirstName, p.LastName, p.BirthName, p.BirthDate.UTC(), p.Sex, p.Email, p.Phone, p.Address, p.CommuneINSEE,
			nullString(p.CAFNumber), p.CAFRole, nullString(p.FranceTravailID), first, last, birth, p.RSARight, nullTime(p.RSAOpenedOn),
			p.RQTH, p.LongTermUnemployed, p.EducationLevel, p.WorkSituation, by.at(), p.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrNotFound
		}
		if err := by.event(ctx, d, p.ID, "identity_updated", "Identité ou situation mise à jour", "", "", 0); err != nil {
			return err
		}
		var es []audit.Entry
		for _, sec := range sections {
			es = append(es, by.entry(p.ID, sec, "update"))
		}
		return s.AuditInTx(ctx, d, es...)
	})
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: update person: %w", ErrConflict)
		}
		return fmt.Errorf("store: update person: %w", err)
	}
	p.UpdatedAt = by.at()
	return nil
}

// Lookup finds the people of a territory matching an identity (first-name
// key, last-name key against the last or birth name key, and birth date),
// or a CAF number, or a France Travail id. Empty criteria are ignored.
func (s *Store) Lookup(ctx context.Context, territoryID int64, first, last string, birth time.Time, caf, franceTravail string) ([]int64, error) {
	var q string
	var args []any
	switch {
	case caf != "":
		q, args = `SELECT id FROM persons WHERE territory_id = ? AND caf_number = ?`, []any{territoryID, caf}
	case franceTravail != "":
		q, args = `SELECT id FROM persons WHERE territory_id = ? AND france_travail_id = ?`, []any{territoryID, franceTravail}
	default:
		probe := person.Person{FirstName: first, LastName: last}
		fk, lk, _ := probe.Keys()
		if fk == "" || lk == "" || birth.IsZero() {
			return nil, nil
		}
		q = `SELECT id FROM persons WHERE territory_id = ? AND birth_date = ? AND search_first = ?
			AND (search_last = ? OR search_birth = ?)`
		args = []any{territoryID, birth.UTC(), fk, lk, lk}
	}
	rows, err := s.reader().query(ctx, q+" LIMIT 20", args...)
	if err != nil {
		return nil, fmt.Errorf("store: lookup: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: lookup: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Follower is a structure following a person, as "is this person known?"
// may tell it: never more than the structure and whether it holds the
// référent.
type Follower struct {
	StructureID   int64
	StructureName string
	StructureKind string
	Referent      bool
}

// Followers lists the structures with an active team member for the people.
func (s *Store) Followers(ctx context.Context, personIDs []int64) ([]Follower, error) {
	if len(personIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(personIDs))
	for i, id := range personIDs {
		args[i] = id
	}
	rows, err := s.reader().query(ctx, `SELECT st.id, st.name, st.kind, MAX(CASE WHEN tm.referent THEN 1 ELSE 0 END)
		FROM team_members tm JOIN structures st ON st.id = tm.structure_id
		WHERE tm.ended_at IS NULL AND tm.person_id IN `+placeholders(len(args))+`
		GROUP BY st.id, st.name, st.kind ORDER BY st.name`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: followers: %w", err)
	}
	defer rows.Close()
	var out []Follower
	for rows.Next() {
		var f Follower
		var ref int
		if err := rows.Scan(&f.StructureID, &f.StructureName, &f.StructureKind, &ref); err != nil {
			return nil, fmt.Errorf("store: followers: %w", err)
		}
		f.Referent = ref == 1
		out = append(out, f)
	}
	return out, rows.Err()
}

const teamSelect = `SELECT tm.id, tm.person_id, tm.account_id, a.first_name, a.last_name, a.email, tm.structure_id,
	st.name, st.kind, tm.referent, tm.started_at, tm.ended_at
	FROM team_members tm JOIN accounts a ON a.id = tm.account_id JOIN structures st ON st.id = tm.structure_id`

func scanTeamMember(sc interface{ Scan(...any) error }) (person.TeamMember, error) {
	var m person.TeamMember
	var first, last string
	var ended sql.NullTime
	err := sc.Scan(&m.ID, &m.PersonID, &m.AccountID, &first, &last, &m.AccountEmail, &m.StructureID,
		&m.StructureName, &m.StructureKind, &m.Referent, &m.StartedAt, &ended)
	m.AccountName, m.EndedAt = strings.TrimSpace(first+" "+last), timeOf(ended)
	return m, err
}

// Team lists the person's team, current members first, then the history.
func (s *Store) Team(ctx context.Context, personID int64) ([]person.TeamMember, error) {
	rows, err := s.reader().query(ctx, teamSelect+` WHERE tm.person_id = ?
		ORDER BY CASE WHEN tm.ended_at IS NULL THEN 0 ELSE 1 END, tm.referent DESC, tm.started_at, tm.id`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: team: %w", err)
	}
	defer rows.Close()
	var out []person.TeamMember
	for rows.Next() {
		m, err := scanTeamMember(rows)
		if err != nil {
			return nil, fmt.Errorf("store: team: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddTeamMember adds an account (in one of its structures) to the team. An
// active member already there is ErrConflict.
func (s *Store) AddTeamMember(ctx context.Context, personID, accountID, structureID int64, referent bool, by Actor) (person.TeamMember, error) {
	var m person.TeamMember
	err := s.tx(ctx, func(d db) error {
		if referent {
			if _, err := d.exec(ctx, `UPDATE team_members SET referent = FALSE WHERE person_id = ? AND ended_at IS NULL AND referent`,
				personID); err != nil {
				return err
			}
		}
		id, err := d.insertID(ctx, `INSERT INTO team_members (person_id, account_id, structure_id, referent, started_at)
			VALUES (?, ?, ?, ?, ?)`, personID, accountID, structureID, referent, by.at())
		if err != nil {
			return err
		}
		if m, err = scanTeamMember(d.queryRow(ctx, teamSelect+` WHERE tm.id = ?`, id)); err != nil {
			return err
		}
		summary := fmt.Sprintf("%s (%s) rejoint l'équipe de suivi", m.AccountName, m.StructureName)
		if referent {
			summary = fmt.Sprintf("%s (%s) devient référent unique", m.AccountName, m.StructureName)
		}
		if err := by.event(ctx, d, personID, "team_member_added", summary, "", "", id); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(personID, person.SectionTeam, "create"))
	})
	if err != nil {
		if isUniqueViolation(err) {
			return m, fmt.Errorf("store: add team member: %w", ErrConflict)
		}
		return m, fmt.Errorf("store: add team member: %w", err)
	}
	return m, nil
}

// EndTeamMember ends an account's active membership: its access ends with
// the transaction.
func (s *Store) EndTeamMember(ctx context.Context, personID, accountID int64, by Actor) error {
	err := s.tx(ctx, func(d db) error {
		m, err := scanTeamMember(d.queryRow(ctx, teamSelect+` WHERE tm.person_id = ? AND tm.account_id = ? AND tm.ended_at IS NULL`,
			personID, accountID))
		if err != nil {
			return notFound(err)
		}
		if _, err := d.exec(ctx, `UPDATE team_members SET ended_at = ?, ended_by = ?, referent = FALSE WHERE id = ?`,
			by.at(), by.AccountID, m.ID); err != nil {
			return err
		}
		summary := fmt.Sprintf("%s (%s) quitte l'équipe de suivi", m.AccountName, m.StructureName)
		if err := by.event(ctx, d, personID, "team_member_removed", summary, "", "", m.ID); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(personID, person.SectionTeam, "delete"))
	})
	if err != nil {
		return fmt.Errorf("store: end team member: %w", err)
	}
	return nil
}

// SetReferent makes an active member the référent unique.
func (s *Store) SetReferent(ctx context.Context, personID, accountID int64, by Actor) error {
	err := s.tx(ctx, func(d db) error {
		m, err := scanTeamMember(d.queryRow(ctx, teamSelect+` WHERE tm.person_id = ? AND tm.account_id = ? AND tm.ended_at IS NULL`,
			personID, accountID))
		if err != nil {
			return notFound(err)
		}
		if _, err := d.exec(ctx, `UPDATE team_members SET referent = FALSE WHERE person_id = ? AND ended_at IS NULL AND referent`,
			personID); err != nil {
			return err
		}
		if _, err := d.exec(ctx, `UPDATE team_members SET referent = TRUE WHERE id = ?`, m.ID); err != nil {
			return err
		}
		summary := fmt.Sprintf("%s (%s) devient référent unique", m.AccountName, m.StructureName)
		if err := by.event(ctx, d, personID, "referent_changed", summary, "", "", m.ID); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(personID, person.SectionTeam, "update"))
	})
	if err != nil {
		return fmt.Errorf("store: set referent: %w", err)
	}
	return nil
}

// CreateJoinRequest records a professional's request to join the team.
func (s *Store) CreateJoinRequest(ctx context.Context, jr *person.JoinRequest, by Actor) error {
	err := s.tx(ctx, func(d db) error {
		var n int
		if err := d.queryRow(ctx, `SELECT COUNT(*) FROM join_requests WHERE person_id = ? AND account_id = ? AND status = 'pending'`,
			jr.PersonID, by.AccountID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrConflict
		}
		id, err := d.insertID(ctx, `INSERT INTO join_requests (person_id, account_id, structure_id, reason, status, created_at)
			VALUES (?, ?, ?, ?, 'pending', ?)`, jr.PersonID, by.AccountID, by.StructureID, jr.Reason, by.at())
		if err != nil {
			return err
		}
		jr.ID, jr.Status, jr.CreatedAt, jr.AccountID, jr.StructureID = id, "pending", by.at(), by.AccountID, by.StructureID
		if err := by.event(ctx, d, jr.PersonID, "join_requested", "Demande à rejoindre l'équipe de suivi", "", "", id); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(jr.PersonID, person.SectionTeam, "create"))
	})
	if err != nil {
		return fmt.Errorf("store: create join request: %w", err)
	}
	return nil
}

// JoinRequests lists a person's pending join requests.
func (s *Store) JoinRequests(ctx context.Context, personID int64) ([]person.JoinRequest, error) {
	rows, err := s.reader().query(ctx, `SELECT jr.id, jr.person_id, jr.account_id, a.first_name, a.last_name, jr.structure_id,
		st.name, jr.reason, jr.status, jr.created_at FROM join_requests jr JOIN accounts a ON a.id = jr.account_id
		JOIN structures st ON st.id = jr.structure_id WHERE jr.person_id = ? AND jr.status = 'pending' ORDER BY jr.id`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: join requests: %w", err)
	}
	defer rows.Close()
	var out []person.JoinRequest
	for rows.Next() {
		var jr person.JoinRequest
		var first, last string
		if err := rows.Scan(&jr.ID, &jr.PersonID, &jr.AccountID, &first, &last, &jr.StructureID, &jr.StructureName,
			&jr.Reason, &jr.Status, &jr.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: join requests: %w", err)
		}
		jr.AccountName = strings.TrimSpace(first + " " + last)
		out = append(out, jr)
	}
	return out, rows.Err()
}

// DecideJoinRequest accepts (adding the requester to the team) or refuses a
// pending request.
func (s *Store) DecideJoinRequest(ctx context.Context, personID, id int64, accept bool, by Actor) error {
	err := s.tx(ctx, func(d db) error {
		var accountID, structureID int64
		err := d.queryRow(ctx, `SELECT account_id, structure_id FROM join_requests WHERE id = ? AND person_id = ? AND status = 'pending'`,
			id, personID).Scan(&accountID, &structureID)
		if err != nil {
			return notFound(err)
		}
		status, summary := "refused", "Demande à rejoindre l'équipe refusée"
		if accept {
			status, summary = "accepted", "Demande à rejoindre l'équipe acceptée"
		}
		if _, err := d.exec(ctx, `UPDATE join_requests SET status = ?, decided_at = ?, decided_by = ? WHERE id = ?`,
			status, by.at(), by.AccountID, id); err != nil {
			return err
		}
		if accept {
			if _, err := d.exec(ctx, `INSERT INTO team_members (person_id, account_id, structure_id, referent, started_at)
				VALUES (?, ?, ?, FALSE, ?)`, personID, accountID, structureID, by.at()); err != nil {
				return err
			}
		}
		if err := by.event(ctx, d, personID, "join_decided", summary, "", "", id); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(personID, person.SectionTeam, "update"))
	})
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: decide join request: %w", ErrConflict)
		}
		return fmt.Errorf("store: decide join request: %w", err)
	}
	return nil
}

// Diagnostic lists the person's diagnostic entries: the current ones, or
// the whole history when all is true.
func (s *Store) Diagnostic(ctx context.Context, personID int64, all bool) ([]person.DiagnosticEntry, error) {
	q := `SELECT de.id, de.person_id, de.theme, de.situation, de.comment, de.section, de.author_id, a.first_name, a.last_name,
		de.structure_id, st.name, de.created_at, de.ended_at FROM diagnostic_entries de
		JOIN accounts a ON a.id = de.author_id JOIN structures st ON st.id = de.structure_id WHERE de.person_id = ?`
	if !all {
		q += ` AND de.ended_at IS NULL`
	}
	rows, err := s.reader().query(ctx, q+` ORDER BY de.theme, de.created_at, de.id`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: diagnostic: %w", err)
	}
	defer rows.Close()
	var out []person.DiagnosticEntry
	for rows.Next() {
		var e person.DiagnosticEntry
		var first, last, section string
		var ended sql.NullTime
		if err := rows.Scan(&e.ID, &e.PersonID, &e.Theme, &e.Situation, &e.Comment, &section, &e.AuthorID, &first, &last,
			&e.StructureID, &e.StructureName, &e.CreatedAt, &ended); err != nil {
			return nil, fmt.Errorf("store: diagnostic: %w", err)
		}
		e.Section, e.AuthorName, e.EndedAt = person.Section(section), strings.TrimSpace(first+" "+last), timeOf(ended)
		out = append(out, e)
	}
	return out, rows.Err()
}

// SaveDiagnostic ends the entries named and adds the new ones, in one
// transaction; each change is in the timeline (sensitive ones under their
// section, with a neutral summary) and audited per section touched.
func (s *Store) SaveDiagnostic(ctx context.Context, personID int64, add []person.DiagnosticEntry, end []int64, by Actor) error {
	err := s.tx(ctx, func(d db) error {
		sections := map[person.Section]bool{person.SectionDiagnostic: true}
		for _, id := range end {
			var section string
			if err := d.queryRow(ctx, `UPDATE diagnostic_entries SET ended_at = ?, ended_by = ?
				WHERE id = ? AND person_id = ? AND ended_at IS NULL RETURNING section`, by.at(), by.AccountID, id, personID).Scan(&section); err != nil {
				return notFound(err)
			}
			sections[person.Section(section)] = true
		}
		for i := range add {
			e := &add[i]
			id, err := d.insertID(ctx, `INSERT INTO diagnostic_entries (person_id, theme, situation, comment, section, author_id,
				structure_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, personID, e.Theme, e.Situation, e.Comment,
				string(e.Section), by.AccountID, by.StructureID, by.at())
			if err != nil {
				return err
			}
			e.ID, e.PersonID, e.AuthorID, e.StructureID, e.CreatedAt = id, personID, by.AccountID, by.StructureID, by.at()
			sections[e.Section] = true
		}
		if len(add) == 0 && len(end) == 0 {
			return nil
		}
		summary := fmt.Sprintf("Diagnostic mis à jour : %d situation(s) ajoutée(s), %d close(s)", len(add), len(end))
		if err := by.event(ctx, d, personID, "diagnostic_updated", summary, "", "", 0); err != nil {
			return err
		}
		var es []audit.Entry
		for _, sec := range []person.Section{person.SectionDiagnostic, person.SectionHealth, person.SectionJustice, person.SectionFinances} {
			if sections[sec] {
				es = append(es, by.entry(personID, sec, "update"))
			}
		}
		return s.AuditInTx(ctx, d, es...)
	})
	if err != nil {
		return fmt.Errorf("store: save diagnostic: %w", err)
	}
	return nil
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// Project returns the professional project; an empty one when none was
// written yet.
func (s *Store) Project(ctx context.Context, personID int64) (person.Project, error) {
	pr := person.Project{PersonID: personID}
	var jobs string
	var avail sql.NullTime
	var by sql.NullInt64
	err := s.reader().queryRow(ctx, `SELECT target_jobs, experience, skills, available_from, hours_wanted, driving_licence,
		vehicle, mobility_km, updated_by, updated_at FROM projects WHERE person_id = ?`, personID).
		Scan(&jobs, &pr.Experience, &pr.Skills, &avail, &pr.HoursWanted, &pr.DrivingLicence, &pr.Vehicle, &pr.MobilityKm,
			&by, &pr.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return pr, nil
	}
	if err != nil {
		return pr, fmt.Errorf("store: project: %w", err)
	}
	pr.TargetJobs, pr.AvailableFrom, pr.UpdatedBy = splitList(jobs), timeOf(avail), by.Int64
	return pr, nil
}

// SaveProject writes the professional project.
func (s *Store) SaveProject(ctx context.Context, pr *person.Project, by Actor) error {
	pr.UpdatedBy, pr.UpdatedAt = by.AccountID, by.at()
	err := s.tx(ctx, func(d db) error {
		_, err := d.exec(ctx, `INSERT INTO projects (person_id, target_jobs, experience, skills, available_from, hours_wanted,
			driving_licence, vehicle, mobility_km, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (person_id) DO UPDATE SET target_jobs = excluded.target_jobs, experience = excluded.experience,
			skills = excluded.skills, available_from = excluded.available_from, hours_wanted = excluded.hours_wanted,
			driving_licence = excluded.driving_licence, vehicle = excluded.vehicle, mobility_km = excluded.mobility_km,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			pr.PersonID, strings.Join(pr.TargetJobs, ","), pr.Experience, pr.Skills, nullTime(pr.AvailableFrom), pr.HoursWanted,
			pr.DrivingLicence, pr.Vehicle, pr.MobilityKm, by.AccountID, by.at())
		if err != nil {
			return err
		}
		if err := by.event(ctx, d, pr.PersonID, "project_updated", "Projet professionnel mis à jour", "", "", 0); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(pr.PersonID, person.SectionProject, "update"))
	})
	if err != nil {
		return fmt.Errorf("store: save project: %w", err)
	}
	return nil
}

// AddNote writes a note; the timeline says a note was added, never what it
// says.
func (s *Store) AddNote(ctx context.Context, n *person.Note, by Actor) error {
	n.AuthorID, n.StructureID, n.CreatedAt = by.AccountID, by.StructureID, by.at()
	err := s.tx(ctx, func(d db) error {
		id, err := d.insertID(ctx, `INSERT INTO notes (person_id, author_id, structure_id, visibility, section, body, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, n.PersonID, by.AccountID, by.StructureID, string(n.Visibility), string(n.Section),
			n.Body, by.at())
		if err != nil {
			return err
		}
		n.ID = id
		if err := by.event(ctx, d, n.PersonID, "note_added", "Note ajoutée", n.Section, n.Visibility, id); err != nil {
			return err
		}
		sec := person.SectionNotes
		if n.Section != "" {
			sec = n.Section
		}
		return s.AuditInTx(ctx, d, by.entry(n.PersonID, sec, "create"))
	})
	if err != nil {
		return fmt.Errorf("store: add note: %w", err)
	}
	return nil
}

// Notes lists the person's notes, newest first. The caller filters them
// through the access policy.
func (s *Store) Notes(ctx context.Context, personID int64) ([]person.Note, error) {
	rows, err := s.reader().query(ctx, `SELECT n.id, n.person_id, n.author_id, a.first_name, a.last_name, n.structure_id, st.name,
		n.visibility, n.section, n.body, n.created_at FROM notes n JOIN accounts a ON a.id = n.author_id
		JOIN structures st ON st.id = n.structure_id WHERE n.person_id = ? ORDER BY n.created_at DESC, n.id DESC`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: notes: %w", err)
	}
	defer rows.Close()
	var out []person.Note
	for rows.Next() {
		var n person.Note
		var first, last, vis, sec string
		if err := rows.Scan(&n.ID, &n.PersonID, &n.AuthorID, &first, &last, &n.StructureID, &n.StructureName, &vis, &sec,
			&n.Body, &n.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: notes: %w", err)
		}
		n.AuthorName, n.Visibility, n.Section = strings.TrimSpace(first+" "+last), person.Visibility(vis), person.Section(sec)
		out = append(out, n)
	}
	return out, rows.Err()
}

// AddConsent records a consent.
func (s *Store) AddConsent(ctx context.Context, c *person.Consent, by Actor) error {
	c.RecordedBy, c.StructureID, c.StartedAt = by.AccountID, by.StructureID, by.at()
	secs := make([]string, len(c.Sections))
	for i, sec := range c.Sections {
		secs[i] = string(sec)
	}
	err := s.tx(ctx, func(d db) error {
		id, err := d.insertID(ctx, `INSERT INTO consents (person_id, purpose, structures, sections, method, evidence, started_at,
			recorded_by, structure_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.PersonID, c.Purpose, joinIDs(c.StructureIDs),
			strings.Join(secs, ","), c.Method, c.Evidence, by.at(), by.AccountID, by.StructureID)
		if err != nil {
			return err
		}
		c.ID = id
		if err := by.event(ctx, d, c.PersonID, "consent_recorded", "Consentement recueilli : "+c.Purpose, "", "", id); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(c.PersonID, person.SectionConsents, "create"))
	})
	if err != nil {
		return fmt.Errorf("store: add consent: %w", err)
	}
	return nil
}

// WithdrawConsent ends a consent: the access it gave ends with the
// transaction.
func (s *Store) WithdrawConsent(ctx context.Context, personID, id int64, by Actor) error {
	err := s.tx(ctx, func(d db) error {
		var purpose string
		if err := d.queryRow(ctx, `UPDATE consents SET ended_at = ?, withdrawn_by = ? WHERE id = ? AND person_id = ? AND ended_at IS NULL
			RETURNING purpose`, by.at(), by.AccountID, id, personID).Scan(&purpose); err != nil {
			return notFound(err)
		}
		if err := by.event(ctx, d, personID, "consent_withdrawn", "Consentement retiré : "+purpose, "", "", id); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(personID, person.SectionConsents, "update"))
	})
	if err != nil {
		return fmt.Errorf("store: withdraw consent: %w", err)
	}
	return nil
}

// Consents lists the person's consents, newest first.
func (s *Store) Consents(ctx context.Context, personID int64) ([]person.Consent, error) {
	rows, err := s.reader().query(ctx, `SELECT id, person_id, purpose, structures, sections, method, evidence, started_at, ended_at,
		recorded_by, structure_id, withdrawn_by FROM consents WHERE person_id = ? ORDER BY id DESC`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: consents: %w", err)
	}
	defer rows.Close()
	var out []person.Consent
	for rows.Next() {
		var c person.Consent
		var sts, secs string
		var ended sql.NullTime
		var withdrawn sql.NullInt64
		if err := rows.Scan(&c.ID, &c.PersonID, &c.Purpose, &sts, &secs, &c.Method, &c.Evidence, &c.StartedAt, &ended,
			&c.RecordedBy, &c.StructureID, &withdrawn); err != nil {
			return nil, fmt.Errorf("store: consents: %w", err)
		}
		c.StructureIDs, c.EndedAt, c.WithdrawnBy = splitIDs(sts), timeOf(ended), withdrawn.Int64
		for _, sec := range splitList(secs) {
			c.Sections = append(c.Sections, person.Section(sec))
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RecordObjection records the person's objection to sharing; from the
// next request, only the référent reads the record.
func (s *Store) RecordObjection(ctx context.Context, personID int64, reason string, by Actor) error {
	err := s.tx(ctx, func(d db) error {
		res, err := d.exec(ctx, `UPDATE persons SET objection_at = ?, objection_reason = ? WHERE id = ?`, by.at(), reason, personID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrNotFound
		}
		if err := by.event(ctx, d, personID, "objection_recorded", "Opposition au partage enregistrée : seul le référent garde l'accès", "", "", 0); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(personID, person.SectionConsents, "update"))
	})
	if err != nil {
		return fmt.Errorf("store: record objection: %w", err)
	}
	return nil
}

// Timeline lists the person's events, newest first, before an event ID
// (0 for the newest), at most limit. The caller filters sensitive ones.
func (s *Store) Timeline(ctx context.Context, personID, before int64, limit int) ([]person.Event, error) {
	q := `SELECT e.id, e.person_id, e.at, e.kind, e.summary, e.section, e.visibility, e.account_id, a.first_name, a.last_name,
		e.structure_id, st.name, e.ref_id FROM timeline_events e LEFT JOIN accounts a ON a.id = e.account_id
		LEFT JOIN structures st ON st.id = e.structure_id WHERE e.person_id = ?`
	args := []any{personID}
	if before > 0 {
		q += ` AND e.id < ?`
		args = append(args, before)
	}
	args = append(args, limit)
	rows, err := s.reader().query(ctx, q+` ORDER BY e.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: timeline: %w", err)
	}
	defer rows.Close()
	var out []person.Event
	for rows.Next() {
		var e person.Event
		var sec, vis string
		var acc, st, ref sql.NullInt64
		var first, last, stName sql.NullString
		if err := rows.Scan(&e.ID, &e.PersonID, &e.At, &e.Kind, &e.Summary, &sec, &vis, &acc, &first, &last, &st, &stName, &ref); err != nil {
			return nil, fmt.Errorf("store: timeline: %w", err)
		}
		e.Section, e.Visibility = person.Section(sec), person.Visibility(vis)
		e.AccountID, e.StructureID, e.RefID = acc.Int64, st.Int64, ref.Int64
		e.AccountName = strings.TrimSpace(first.String + " " + last.String)
		e.StructureName = stName.String
		out = append(out, e)
	}
	return out, rows.Err()
}

// settingsCache keeps each territory's sensitive-section configuration for
// settingsTTL: it is read on every record request and changes a few times
// a year. A change made by this process clears it at once; another
// instance's change is seen within settingsTTL.
type settingsCache struct {
	mu sync.Mutex
	m  map[int64]cachedKinds
}

type cachedKinds struct {
	kinds map[person.Section][]string
	at    time.Time
}

const settingsTTL = 30 * time.Second

// SensitiveKinds returns the territory's configuration of which structure
// kinds read each sensitive section; an empty map when none is set. The
// caller must not change the map.
func (s *Store) SensitiveKinds(ctx context.Context, territoryID int64) (map[person.Section][]string, error) {
	s.settings.mu.Lock()
	c, ok := s.settings.m[territoryID]
	s.settings.mu.Unlock()
	if ok && time.Since(c.at) < settingsTTL {
		return c.kinds, nil
	}
	rows, err := s.reader().query(ctx, `SELECT section, kind FROM sensitive_access WHERE territory_id = ? ORDER BY section, kind`, territoryID)
	if err != nil {
		return nil, fmt.Errorf("store: sensitive kinds: %w", err)
	}
	defer rows.Close()
	out := map[person.Section][]string{}
	for rows.Next() {
		var sec, kind string
		if err := rows.Scan(&sec, &kind); err != nil {
			return nil, fmt.Errorf("store: sensitive kinds: %w", err)
		}
		out[person.Section(sec)] = append(out[person.Section(sec)], kind)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: sensitive kinds: %w", err)
	}
	s.settings.mu.Lock()
	if s.settings.m == nil {
		s.settings.m = map[int64]cachedKinds{}
	}
	s.settings.m[territoryID] = cachedKinds{out, time.Now()}
	s.settings.mu.Unlock()
	return out, nil
}

// SetSensitiveKinds replaces the territory's configuration for a section.
func (s *Store) SetSensitiveKinds(ctx context.Context, territoryID int64, section person.Section, kinds []string) error {
	err := s.tx(ctx, func(d db) error {
		if _, err := d.exec(ctx, `DELETE FROM sensitive_access WHERE territory_id = ? AND section = ?`, territoryID, string(section)); err != nil {
			return err
		}
		for _, k := range kinds {
			if _, err := d.exec(ctx, `INSERT INTO sensitive_access (territory_id, section, kind) VALUES (?, ?, ?)`,
				territoryID, string(section), k); err != nil {
				return err
			}
		}
		return nil
	})
	s.settings.mu.Lock()
	delete(s.settings.m, territoryID)
	s.settings.mu.Unlock()
	if err != nil {
		return fmt.Errorf("store: set sensitive kinds: %w", err)
	}
	return nil
}

// AccessItem is a line of "who consulted this file".
type AccessItem struct {
	ID           int64
	At           time.Time
	AccountEmail string
	Structure    string
	Action       string
	Section      string
	Outcome      string
}

// AccessLog lists the audit entries about a person, newest first, before
// an entry ID (0 for the newest), with the next cursor.
func (s *Store) AccessLog(ctx context.Context, personID, before int64, limit int) ([]AccessItem, string, error) {
	q := `SELECT e.id, e.at, a.email, st.name, e.action, e.section, e.outcome FROM audit_entries e
		LEFT JOIN accounts a ON a.id = e.account_id LEFT JOIN structures st ON st.id = e.structure_id
		WHERE e.person_id = ?`
	args := []any{personID}
	if before > 0 {
		q += ` AND e.id < ?`
		args = append(args, before)
	}
	args = append(args, limit+1)
	rows, err := s.reader().query(ctx, q+` ORDER BY e.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, "", fmt.Errorf("store: access log: %w", err)
	}
	defer rows.Close()
	var out []AccessItem
	for rows.Next() {
		var it AccessItem
		var email, st sql.NullString
		if err := rows.Scan(&it.ID, &it.At, &email, &st, &it.Action, &it.Section, &it.Outcome); err != nil {
			return nil, "", fmt.Errorf("store: access log: %w", err)
		}
		it.AccountEmail, it.Structure = email.String, st.String
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("store: access log: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = strconv.FormatInt(out[limit-1].ID, 10)
	}
	return out, next, nil
}

// CountFollowed counts the people of a territory with an active team.
func (s *Store) CountFollowed(ctx context.Context, territoryID int64) (int, error) {
	var n int
	err := s.reader().queryRow(ctx, `SELECT COUNT(DISTINCT tm.person_id) FROM team_members tm JOIN persons p ON p.id = tm.person_id
		WHERE p.territory_id = ? AND tm.ended_at IS NULL`, territoryID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count followed: %w", err)
	}
	return n, nil
}

// PersonIDs lists the first IDs of a territory's people, in ID order.
func (s *Store) PersonIDs(ctx context.Context, territoryID int64, limit int) ([]int64, error) {
	rows, err := s.reader().query(ctx, `SELECT id FROM persons WHERE territory_id = ? ORDER BY id LIMIT ?`, territoryID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: person ids: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: person ids: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// PersonAccess returns a person and their active team members with only
// what access decisions need (account, structure and its kind, référent),
// in one query: the read of every record request. Team gives names and
// history.
func (s *Store) PersonAccess(ctx context.Context, id int64) (person.Person, []person.TeamMember, error) {
	var p person.Person
	var team []person.TeamMember
	rows, err := s.reader().query(ctx, personAccessQuery, id)
	if err != nil {
		return p, nil, fmt.Errorf("store: person %d: %w", id, err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var tmID, accountID, structureID sql.NullInt64
		var kind sql.NullString
		var referent sql.NullBool
		var started sql.NullTime
		p, err = scanPerson(scanWith(rows, &tmID, &accountID, &structureID, &kind, &referent, &started))
		if err != nil {
			return p, nil, fmt.Errorf("store: person %d: %w", id, err)
		}
		if tmID.Valid {
			team = append(team, person.TeamMember{ID: tmID.Int64, PersonID: id, AccountID: accountID.Int64,
				StructureID: structureID.Int64, StructureKind: kind.String, Referent: referent.Bool, StartedAt: started.Time})
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return p, nil, fmt.Errorf("store: person %d: %w", id, err)
	}
	if n == 0 {
		return p, nil, fmt.Errorf("store: person %d: %w", id, ErrNotFound)
	}
	return p, team, nil
}

var personAccessQuery = strings.Replace(personSelect, " FROM persons p", `, tm.id, tm.account_id, tm.structure_id, st.kind,
	tm.referent, tm.started_at FROM persons p LEFT JOIN team_members tm ON tm.person_id = p.id AND tm.ended_at IS NULL
	LEFT JOIN structures st ON st.id = tm.structure_id`, 1) + ` WHERE p.id = ?`

// scanWith is a scanner that appends more destinations to each Scan, for
// rows that carry a row type's columns followed by others.
func scanWith(rows *sql.Rows, more ...any) interface{ Scan(...any) error } {
	return scanFunc(func(dest ...any) error { return rows.Scan(append(dest, more...)...) })
}

type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }
