package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/audit"
	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/person"
)

// ErrLinkInvalid is the answer to a single-use link that was used, has
// expired, or belongs to another referral.
var ErrLinkInvalid = errors.New("store: lien invalide")

const referralSelect = `SELECT r.id, r.person_id, r.territory_id, r.action_id, r.service_id, r.structure_id, r.sender_id,
	r.sender_structure_id, r.motive, r.notify_person, r.section, r.status, r.refusal_reason, r.comment, r.sent_at,
	r.reminded_at, r.answered_at, r.answered_by, r.closed_at, r.closed_by, sv.name, st.name,
	COALESCE(ac.first_name || ' ' || ac.last_name, ''), COALESCE(ss.name, ''), COALESCE(ac.email, ''), p.first_name, p.last_name
	FROM referrals r JOIN services sv ON sv.id = r.service_id JOIN structures st ON st.id = r.structure_id
	JOIN persons p ON p.id = r.person_id
	LEFT JOIN accounts ac ON ac.id = r.sender_id LEFT JOIN structures ss ON ss.id = r.sender_structure_id`

func scanReferral(sc interface{ Scan(...any) error }) (directory.Referral, error) {
	var r directory.Referral
	var action, sender, senderSt, answeredBy, closedBy sql.NullInt64
	var reminded, answered, closed sql.NullTime
	var section, status string
	err := sc.Scan(&r.ID, &r.PersonID, &r.TerritoryID, &action, &r.ServiceID, &r.StructureID, &sender, &senderSt, &r.Motive,
		&r.NotifyPerson, &section, &status, &r.RefusalReason, &r.Comment, &r.SentAt, &reminded, &answered, &answeredBy,
		&closed, &closedBy, &r.ServiceName, &r.StructureName, &r.SenderName, &r.SenderStructure, &r.SenderEmail,
		&r.PersonFirstName, &r.PersonLastName)
	r.ActionID, r.SenderID, r.SenderStructureID, r.AnsweredBy, r.ClosedBy = action.Int64, sender.Int64, senderSt.Int64, answeredBy.Int64, closedBy.Int64
	r.RemindedAt, r.AnsweredAt, r.ClosedAt = timeOf(reminded), timeOf(answered), timeOf(closed)
	r.Section, r.Status, r.SentAt = person.Section(section), directory.ReferralStatus(status), r.SentAt.UTC()
	return r, err
}

func (s *Store) queryReferrals(ctx context.Context, d db, q string, args ...any) ([]directory.Referral, error) {
	rows, err := d.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: referrals: %w", err)
	}
	defer rows.Close()
	var out []directory.Referral
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			return nil, fmt.Errorf("store: referrals: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Referral returns a referral by ID.
func (s *Store) Referral(ctx context.Context, id int64) (directory.Referral, error) {
	r, err := scanReferral(s.reader().queryRow(ctx, referralSelect+` WHERE r.id = ?`, id))
	if err != nil {
		return r, fmt.Errorf("store: referral %d: %w", id, notFound(err))
	}
	return r, nil
}

// PersonReferrals lists a person's referrals, newest first.
func (s *Store) PersonReferrals(ctx context.Context, personID int64) ([]directory.Referral, error) {
	return s.queryReferrals(ctx, s.reader(), referralSelect+` WHERE r.person_id = ? ORDER BY r.sent_at DESC, r.id DESC`, personID)
}

// StructureReferrals lists the referrals a structure received, the open
// ones first (oldest first: the nearest to expire), then the others,
// newest first, at most limit.
func (s *Store) StructureReferrals(ctx context.Context, structureID int64, limit int) ([]directory.Referral, error) {
	if limit <= 0 {
		limit = 200
	}
	return s.queryReferrals(ctx, s.reader(), referralSelect+` WHERE r.structure_id = ?
		ORDER BY CASE WHEN r.status = 'sent' THEN 0 ELSE 1 END, CASE WHEN r.status = 'sent' THEN r.sent_at END,
		r.sent_at DESC, r.id DESC LIMIT ?`, structureID, limit)
}

// SentReferrals lists the referrals an account sent, newest first.
func (s *Store) SentReferrals(ctx context.Context, accountID int64, limit int) ([]directory.Referral, error) {
	if limit <= 0 {
		limit = 200
	}
	return s.queryReferrals(ctx, s.reader(), referralSelect+` WHERE r.sender_id = ? ORDER BY r.sent_at DESC, r.id DESC LIMIT ?`, accountID, limit)
}

// OpenReferrals counts the referrals waiting for a structure's answer.
func (s *Store) OpenReferrals(ctx context.Context, structureID int64) (int, error) {
	var n int
	if err := s.reader().queryRow(ctx, `SELECT COUNT(*) FROM referrals WHERE structure_id = ? AND status = 'sent'`, structureID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: open referrals: %w", err)
	}
	return n, nil
}

// ReferralContact is what the receiving structure reads of the person to
// reach them: the person agreed to it when the referral was made.
type ReferralContact struct {
	FirstName, LastName, Phone, Email, CommuneINSEE string
}

// ReferralContact returns the person's contact details for a referral.
func (s *Store) ReferralContact(ctx context.Context, personID int64) (ReferralContact, error) {
	var c ReferralContact
	err := s.reader().queryRow(ctx, `SELECT first_name, last_name, phone, email, commune_insee FROM persons WHERE id = ?`, personID).
		Scan(&c.FirstName, &c.LastName, &c.Phone, &c.Email, &c.CommuneINSEE)
	if err != nil {
		return c, fmt.Errorf("store: referral contact: %w", notFound(err))
	}
	return c, nil
}

// referralRecipients reads who hears of the referral. structure says
// whether the receiving structure is told too (on sending and reminding).
func referralRecipients(ctx context.Context, d db, r directory.Referral, structure bool) (directory.Recipients, error) {
	var to directory.Recipients
	if r.SenderID != 0 {
		to.Sender = directory.Account{ID: r.SenderID}
		if err := d.queryRow(ctx, `SELECT email FROM accounts WHERE id = ? AND disabled_at IS NULL`, r.SenderID).Scan(&to.Sender.Email); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return to, err
		}
	}
	err := d.queryRow(ctx, `SELECT a.id, a.email FROM team_members t JOIN accounts a ON a.id = t.account_id
		WHERE t.person_id = ? AND t.referent AND t.ended_at IS NULL AND a.disabled_at IS NULL`, r.PersonID).Scan(&to.Referent.ID, &to.Referent.Email)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return to, err
	}
	if r.NotifyPerson {
		if err := d.queryRow(ctx, `SELECT email, phone FROM persons WHERE id = ?`, r.PersonID).Scan(&to.PersonEmail, &to.PersonPhone); err != nil {
			return to, err
		}
	}
	if !structure {
		return to, nil
	}
	rows, err := d.query(ctx, `SELECT DISTINCT a.id, a.email FROM memberships m JOIN accounts a ON a.id = m.account_id
		WHERE m.structure_id = ? AND m.role IN ('professional', 'structure_manager') AND a.disabled_at IS NULL ORDER BY a.id`, r.StructureID)
	if err != nil {
		return to, err
	}
	defer rows.Close()
	for rows.Next() {
		var a directory.Account
		if err := rows.Scan(&a.ID, &a.Email); err != nil {
			return to, err
		}
		to.Structure = append(to.Structure, a)
	}
	if err := rows.Err(); err != nil {
		return to, err
	}
	if len(to.Structure) == 0 {
		err = d.queryRow(ctx, `SELECT CASE WHEN sv.email <> '' THEN sv.email ELSE st.email END FROM services sv
			JOIN structures st ON st.id = sv.structure_id WHERE sv.id = ?`, r.ServiceID).Scan(&to.ContactEmail)
	}
	return to, err
}

// newLink creates a single-use answer link for a structure without
// accounts and returns its URL; only the token's hash is kept.
func newLink(ctx context.Context, d db, referralID int64, at time.Time, base string) (string, error) {
	token := account.NewToken("adr_")
	if _, err := d.exec(ctx, `INSERT INTO referral_links (token_hash, referral_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		account.HashToken(token), referralID, at.UTC(), at.Add(directory.LinkTTL).UTC()); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s/reponse-adressage/%d/%s", trimSlash(base), referralID, token), nil
}

func trimSlash(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}

// tell writes the messages of a referral's event to the outbox, with a
// fresh single-use link for a structure without accounts when the event
// goes to it.
func (s *Store) tell(ctx context.Context, d db, r directory.Referral, event, base string, at time.Time) error {
	structure := event == directory.EventSent || event == directory.EventReminder
	to, err := referralRecipients(ctx, d, r, structure)
	if err != nil {
		return err
	}
	var link string
	if structure && len(to.Structure) == 0 && to.ContactEmail != "" {
		if link, err = newLink(ctx, d, r.ID, at, base); err != nil {
			return err
		}
	}
	return s.enqueue(ctx, d, at, directory.Messages(base, event, r, to, link)...)
}

// NewReferral is what one click creates: the objective (when its ID is
// 0), the action (when its ID is 0), and the referral of the person to a
// service from that action.
type NewReferral struct {
	Objective *person.Objective
	Action    *person.Action
	Referral  *directory.Referral
	Base      string // public address of Parcours, for the links of messages
}

// CreateReferral writes, in one transaction, the objective and the action
// when they are new, the referral, their timeline and audit entries, and
// the messages to the receiving structure (its accounts, or a single-use
// link to its contact email when it has none). The service must be
// published in the person's territory; a referral of the person to the same
// service still open (sent or accepted) is ErrConflict.
func (s *Store) CreateReferral(ctx context.Context, in NewReferral, by Actor) error {
	r, a := in.Referral, in.Action
	err := s.tx(ctx, func(d db) error {
		var status string
		var tid int64
		if err := d.queryRow(ctx, `SELECT status, structure_id, territory_id FROM services WHERE id = ?`, r.ServiceID).
			Scan(&status, &r.StructureID, &tid); err != nil {
			return notFound(err)
		}
		if tid != r.TerritoryID || directory.Status(status) != directory.StatusPublished {
			return ErrNotFound
		}
		var open int
		if err := d.queryRow(ctx, `SELECT COUNT(*) FROM referrals WHERE person_id = ? AND service_id = ? AND status IN ('sent', 'accepted')`,
			r.PersonID, r.ServiceID).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return ErrConflict
		}
		var entries []audit.Entry
		if o := in.Objective; o != nil && o.ID == 0 {
			if err := createObjective(ctx, d, o, by); err != nil {
				return err
			}
			entries = append(entries, by.entry(o.PersonID, planSection(o.Section), "create"))
			a.ObjectiveID = o.ID
		}
		a.ServiceID = r.ServiceID
		if a.ID == 0 {
			if err := checkObjective(ctx, d, a.ObjectiveID, a.PersonID); err != nil {
				return err
			}
			if err := createAction(ctx, d, a, by); err != nil {
				return err
			}
			entries = append(entries, by.entry(a.PersonID, planSection(a.Section), "create"))
		} else {
			res, err := d.exec(ctx, `UPDATE plan_actions SET service_id = ?, updated_at = ? WHERE id = ? AND person_id = ?`,
				r.ServiceID, by.at(), a.ID, a.PersonID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return ErrNotFound
			}
		}
		r.ActionID, r.Section, r.Status, r.SentAt = a.ID, a.Section, directory.ReferralSent, by.at()
		r.SenderID, r.SenderStructureID = by.AccountID, by.StructureID
		id, err := d.insertID(ctx, `INSERT INTO referrals (person_id, territory_id, action_id, service_id, structure_id, sender_id,
			sender_structure_id, motive, notify_person, section, status, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sent', ?)`,
			r.PersonID, r.TerritoryID, r.ActionID, r.ServiceID, r.StructureID, nullID(by.AccountID), nullID(by.StructureID),
			r.Motive, r.NotifyPerson, string(r.Section), by.at())
		if err != nil {
			return err
		}
		r.ID = id
		full, err := scanReferral(d.queryRow(ctx, referralSelect+` WHERE r.id = ?`, id))
		if err != nil {
			return err
		}
		*r = full
		if err := by.event(ctx, d, r.PersonID, person.EventReferralSent, "Orientation envoyée au service « "+r.ServiceName+" » ("+r.StructureName+")",
			r.Section, "", id); err != nil {
			return err
		}
		entries = append(entries, by.entry(r.PersonID, planSection(r.Section), "create"))
		if err := s.AuditInTx(ctx, d, entries...); err != nil {
			return err
		}
		return s.tell(ctx, d, *r, directory.EventSent, in.Base, by.at())
	})
	if err != nil {
		if isUniqueViolation(err) { // a concurrent referral of the person to the service won
			return fmt.Errorf("store: create referral: %w", ErrConflict)
		}
		return fmt.Errorf("store: create referral: %w", err)
	}
	return nil
}

// ReferralByLink returns the referral a single-use link opens, while the
// link is unused and valid at now and the referral waits for an answer;
// ErrLinkInvalid otherwise, whatever the reason, so that a link tells
// nothing once it is spent.
func (s *Store) ReferralByLink(ctx context.Context, referralID int64, token string, now time.Time) (directory.Referral, error) {
	var rid int64
	var expires time.Time
	var used sql.NullTime
	err := s.reader().queryRow(ctx, `SELECT referral_id, expires_at, used_at FROM referral_links WHERE token_hash = ?`,
		account.HashToken(token)).Scan(&rid, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (rid != referralID || used.Valid || !now.Before(expires)) {
		return directory.Referral{}, ErrLinkInvalid
	}
	if err != nil {
		return directory.Referral{}, fmt.Errorf("store: referral link: %w", err)
	}
	r, err := s.Referral(ctx, rid)
	if err != nil {
		return r, err
	}
	if !r.Status.Open() {
		return r, ErrLinkInvalid
	}
	return r, nil
}

// AnswerReferral records the receiving structure's decision on an open
// referral: by one of its accounts (by.AccountID), or through a
// single-use link (token), which it spends in the same transaction. The
// action of the plan starts when the service accepts. Sender, référent and
// the person (if they asked) are told. A referral no longer open is
// ErrConflict; a spent, expired or foreign link is ErrLinkInvalid.
func (s *Store) AnswerReferral(ctx context.Context, id int64, ans directory.Answer, token string, by Actor, base string) (directory.Referral, error) {
	var r directory.Referral
	err := s.tx(ctx, func(d db) error {
		if token != "" {
			res, err := d.exec(ctx, `UPDATE referral_links SET used_at = ? WHERE token_hash = ? AND referral_id = ? AND used_at IS NULL
				AND expires_at > ?`, by.at(), account.HashToken(token), id, by.at())
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return ErrLinkInvalid
			}
		}
		status, reason := directory.ReferralAccepted, ""
		if !ans.Accept {
			status, reason = directory.ReferralRefused, ans.Reason
		}
		res, err := d.exec(ctx, `UPDATE referrals SET status = ?, refusal_reason = ?, comment = ?, answered_at = ?, answered_by = ?
			WHERE id = ? AND status = 'sent'`, string(status), reason, ans.Comment, by.at(), nullID(by.AccountID), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			if _, err := scanReferral(d.queryRow(ctx, referralSelect+` WHERE r.id = ?`, id)); err != nil {
				return notFound(err)
			}
			if token != "" {
				return ErrLinkInvalid
			}
			return ErrConflict
		}
		if r, err = scanReferral(d.queryRow(ctx, referralSelect+` WHERE r.id = ?`, id)); err != nil {
			return err
		}
		if status == directory.ReferralAccepted && r.ActionID != 0 {
			if _, err := d.exec(ctx, `UPDATE plan_actions SET status = 'in_progress', updated_at = ? WHERE id = ? AND status = 'planned'`,
				by.at(), r.ActionID); err != nil {
				return err
			}
		}
		summary := "Le service « " + r.ServiceName + " » a accepté l'orientation"
		if status == directory.ReferralRefused {
			summary = "Le service « " + r.ServiceName + " » a refusé l'orientation : " + directory.RefusalLabel(reason)
		}
		if err := by.event(ctx, d, r.PersonID, person.EventReferralUpdated, summary, r.Section, "", id); err != nil {
			return err
		}
		e := by.entry(r.PersonID, person.SectionReferral, "update")
		if token != "" {
			e.Reason = "single-use link"
		}
		if err := s.AuditInTx(ctx, d, e); err != nil {
			return err
		}
		return s.tell(ctx, d, r, string(status), base, by.at())
	})
	if err != nil {
		return r, fmt.Errorf("store: answer referral: %w", err)
	}
	return r, nil
}

// CloseReferral marks a referral done (the service was given; its action
// is then done too) or cancelled by the sender's side.
func (s *Store) CloseReferral(ctx context.Context, id int64, to directory.ReferralStatus, by Actor, base string) (directory.Referral, error) {
	var r directory.Referral
	err := s.tx(ctx, func(d db) error {
		var err error
		if r, err = scanReferral(d.queryRow(ctx, referralSelect+` WHERE r.id = ?`, id)); err != nil {
			return notFound(err)
		}
		if !directory.Transition(r.Status, to) || (to != directory.ReferralDone && to != directory.ReferralCancelled) {
			return ErrConflict
		}
		res, err := d.exec(ctx, `UPDATE referrals SET status = ?, closed_at = ?, closed_by = ? WHERE id = ? AND status = ?`,
			string(to), by.at(), nullID(by.AccountID), id, string(r.Status))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrConflict
		}
		r.Status, r.ClosedAt, r.ClosedBy = to, by.at(), by.AccountID
		summary := "Orientation vers le service « " + r.ServiceName + " » annulée"
		if to == directory.ReferralDone {
			summary = "Orientation vers le service « " + r.ServiceName + " » réalisée"
			if r.ActionID != 0 {
				if _, err := d.exec(ctx, `UPDATE plan_actions SET status = 'done', updated_at = ? WHERE id = ? AND status IN ('planned', 'in_progress', 'standby')`,
					by.at(), r.ActionID); err != nil {
					return err
				}
			}
		}
		if err := by.event(ctx, d, r.PersonID, person.EventReferralUpdated, summary, r.Section, "", id); err != nil {
			return err
		}
		if err := s.AuditInTx(ctx, d, by.entry(r.PersonID, planSection(r.Section), "update")); err != nil {
			return err
		}
		return s.tell(ctx, d, r, string(to), base, by.at())
	})
	if err != nil {
		return r, fmt.Errorf("store: close referral: %w", err)
	}
	return r, nil
}

// dueReferrals lists the open referrals sent at or before cutoff (with
// an extra condition) and, for each, in its own transaction, applies the
// conditional update mark (whose arguments are now and the id) and, when
// it changed the row, calls then: the update is the claim, so that several
// instances never act twice on one referral. It returns how many it
// handled.
func (s *Store) dueReferrals(ctx context.Context, cutoff time.Time, extra, mark string, now time.Time,
	then func(d db, r directory.Referral) error) (int, error) {
	ids, err := collect(ctx, s.reader(), func(rows *sql.Rows) (int64, error) {
		var id int64
		return id, rows.Scan(&id)
	}, `SELECT id FROM referrals WHERE status = 'sent' AND sent_at <= ?`+extra+` ORDER BY sent_at, id`, cutoff.UTC())
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		done := false
		err := s.tx(ctx, func(d db) error {
			res, err := d.exec(ctx, mark, now.UTC(), id)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k != 1 {
				return nil // another instance, or an answer, came first
			}
			r, err := scanReferral(d.queryRow(ctx, referralSelect+` WHERE r.id = ?`, id))
			if err != nil {
				return err
			}
			done = true
			return then(d, r)
		})
		if err != nil {
			return n, fmt.Errorf("referral %d: %w", id, err)
		}
		if done {
			n++
		}
	}
	return n, nil
}

// RemindReferrals reminds the receiving structure of every open referral
// sent ReminderDays ago or more and not yet reminded (with a fresh
// single-use link for a structure without accounts). It is idempotent:
// each referral is reminded once, whatever the number of instances.
func (s *Store) RemindReferrals(ctx context.Context, now time.Time, base string) (int, error) {
	n, err := s.dueReferrals(ctx, now.AddDate(0, 0, -directory.ReminderDays), ` AND reminded_at IS NULL`,
		`UPDATE referrals SET reminded_at = ? WHERE id = ? AND status = 'sent' AND reminded_at IS NULL`, now,
		func(d db, r directory.Referral) error { return s.tell(ctx, d, r, directory.EventReminder, base, now) })
	if err != nil {
		return n, fmt.Errorf("store: remind referrals: %w", err)
	}
	return n, nil
}

// ExpireReferrals closes every referral left unanswered ExpiryDays after
// it was sent, with its timeline line and messages. Idempotent.
func (s *Store) ExpireReferrals(ctx context.Context, now time.Time, base string) (int, error) {
	system := Actor{At: now}
	n, err := s.dueReferrals(ctx, now.AddDate(0, 0, -directory.ExpiryDays), "",
		`UPDATE referrals SET status = 'expired', closed_at = ? WHERE id = ? AND status = 'sent'`, now,
		func(d db, r directory.Referral) error {
			summary := fmt.Sprintf("Orientation vers le service « %s » expirée : pas de réponse en %d jours", r.ServiceName, directory.ExpiryDays)
			if err := system.event(ctx, d, r.PersonID, person.EventReferralUpdated, summary, r.Section, "", r.ID); err != nil {
				return err
			}
			return s.tell(ctx, d, r, directory.EventExpired, base, now)
		})
	if err != nil {
		return n, fmt.Errorf("store: expire referrals: %w", err)
	}
	return n, nil
}
