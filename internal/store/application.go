package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/audit"
	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/person"
)

// Applications: a professional of the person's team proposes them to an
// open offer with their consent; the employer's contacts move the
// application through the states of Les emplois; a hire closes the
// person's other pending applications and their employment objectives
// and records an exit to employment. Messages to employers never name
// the person: their link asks for sign-in.

// ErrOfferNotOpen is returned when a person is proposed to an offer that is
// not open (a draft, filled or closed): it is an ErrConflict too.
var ErrOfferNotOpen = fmt.Errorf("%w : l'offre n'est pas ouverte aux candidatures", ErrConflict)

// employmentThemes are the themes of the plan whose objectives a hire
// reaches.
var employmentThemes = []any{"emploi", "trouver_un_emploi", "preparer_sa_candidature", "choisir_un_metier"}

const applicationSelect = `SELECT a.id, a.territory_id, a.offer_id, a.employer_id, a.person_id, a.state, a.message, a.shares,
	a.consent_at, a.consent_method, a.refusal_reason, a.answer, a.hired_on, a.proposed_by, a.proposed_from, a.created_at,
	a.updated_at, o.title, st.name, p.first_name, p.last_name
	FROM applications a JOIN offers o ON o.id = a.offer_id JOIN structures st ON st.id = a.employer_id
	JOIN persons p ON p.id = a.person_id`

func scanApplication(sc interface{ Scan(...any) error }) (employment.Application, error) {
	var a employment.Application
	var state, shares string
	var hired sql.NullTime
	var by, from sql.NullInt64
	err := sc.Scan(&a.ID, &a.TerritoryID, &a.OfferID, &a.EmployerID, &a.PersonID, &state, &a.Message, &shares, &a.ConsentAt,
		&a.ConsentMethod, &a.RefusalReason, &a.Answer, &hired, &by, &from, &a.CreatedAt, &a.UpdatedAt, &a.OfferTitle,
		&a.EmployerName, &a.PersonFirstName, &a.PersonLastName)
	a.State, a.HiredOn, a.ProposedBy, a.ProposedFrom = employment.ApplicationState(state), timeOf(hired), by.Int64, from.Int64
	for _, sh := range splitList(shares) {
		a.Shares = append(a.Shares, employment.Share(sh))
	}
	a.ConsentAt, a.CreatedAt, a.UpdatedAt = a.ConsentAt.UTC(), a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return a, err
}

func joinShares(shares []employment.Share) string {
	parts := make([]string, len(shares))
	for i, sh := range shares {
		parts[i] = string(sh)
	}
	return strings.Join(parts, ",")
}

// CreateApplication proposes a person to an open offer of their
// territory, in one transaction: the application (state new) with the
// person's consent (ConsentAt, now when zero; ConsentMethod; Shares), its
// first event ("propose"), a timeline line, an audit entry (section
// project), and messages to the employer's contact accounts and to the
// partnership's referent, which name nobody and link to base (none when
// base is empty: the demo's past, imports of history). An offer not open is
// ErrOfferNotOpen; an open application of the person to the offer is
// ErrConflict; an offer or a person unknown, or of another territory, is
// ErrNotFound.
func (s *Store) CreateApplication(ctx context.Context, a *employment.Application, by Actor, base string) error {
	now := by.at()
	err := s.tx(ctx, func(d db) error {
		var status string
		if err := d.queryRow(ctx, `SELECT o.status, o.territory_id, o.employer_id, o.title, st.name FROM offers o
			JOIN structures st ON st.id = o.employer_id WHERE o.id = ?`, a.OfferID).
			Scan(&status, &a.TerritoryID, &a.EmployerID, &a.OfferTitle, &a.EmployerName); err != nil {
			return notFound(err)
		}
		var tid int64
		if err := d.queryRow(ctx, `SELECT territory_id, first_name, last_name FROM persons WHERE id = ?`, a.PersonID).
			Scan(&tid, &a.PersonFirstName, &a.PersonLastName); err != nil {
			return notFound(err)
		}
		if tid != a.TerritoryID {
			return ErrNotFound
		}
		if employment.OfferStatus(status) != employment.OfferOpen {
			return ErrOfferNotOpen
		}
		var open int
		if err := d.queryRow(ctx, `SELECT COUNT(*) FROM applications WHERE offer_id = ? AND person_id = ?
			AND state NOT IN ('refused', 'cancelled', 'obsolete')`, a.OfferID, a.PersonID).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return ErrConflict
		}
		if a.ConsentAt.IsZero() {
			a.ConsentAt = now
		}
		a.State, a.RefusalReason, a.Answer, a.HiredOn = employment.StateNew, "", "", time.Time{}
		a.ProposedBy, a.ProposedFrom, a.CreatedAt, a.UpdatedAt = by.AccountID, by.StructureID, now, now
		id, err := d.insertID(ctx, `INSERT INTO applications (territory_id, offer_id, employer_id, person_id, state, message,
			shares, consent_at, consent_method, proposed_by, proposed_from, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.TerritoryID, a.OfferID, a.EmployerID, a.PersonID, string(a.State),
			a.Message, joinShares(a.Shares), a.ConsentAt.UTC(), a.ConsentMethod, nullID(by.AccountID), nullID(by.StructureID), now, now)
		if err != nil {
			return err
		}
		a.ID = id
		eventID, err := d.insertID(ctx, `INSERT INTO application_events (application_id, at, action, from_state, to_state,
			account_id) VALUES (?, ?, 'propose', '', ?, ?)`, id, now, string(a.State), nullID(by.AccountID))
		if err != nil {
			return err
		}
		summary := "Proposé(e) à l'offre « " + a.OfferTitle + " » de " + a.EmployerName
		if err := by.event(ctx, d, a.PersonID, eventApplicationCreated, summary, "", "", id); err != nil {
			return err
		}
		if err := s.AuditInTx(ctx, d, by.entry(a.PersonID, person.SectionProject, "create")); err != nil {
			return err
		}
		contacts, err := employerContacts(ctx, d, a.EmployerID)
		if err != nil {
			return err
		}
		link := applicationLink(base, id)
		key := eventKey(id, eventID)
		msgs := accountMessages(key, contacts, "Un candidat vous est proposé pour l'offre « "+a.OfferTitle+" »",
			"Un candidat vous est proposé pour l'offre « "+a.OfferTitle+" » par un professionnel de son accompagnement.\n"+
				"Merci de lui répondre : sans réponse en "+strconv.Itoa(employment.AutoRefuseDays)+" jours, la candidature sera déclinée.", link)
		partner, err := accountsWhere(ctx, d, `SELECT a.id, a.email FROM employers e JOIN accounts a ON a.id = e.partner_referent_id
			WHERE e.structure_id = ? AND a.disabled_at IS NULL`, a.EmployerID)
		if err != nil {
			return err
		}
		msgs = append(msgs, accountMessages(key, partner, "Candidature n° "+strconv.FormatInt(id, 10)+" proposée à "+a.EmployerName,
			"Une personne accompagnée a été proposée à l'offre « "+a.OfferTitle+" » de "+a.EmployerName+
				", employeur partenaire dont vous êtes le référent.", link)...)
		return s.enqueueLinked(ctx, d, now, base, msgs...)
	})
	if err != nil {
		if isUniqueViolation(err) { // a concurrent proposal of the person to the offer won
			return fmt.Errorf("store: create application: %w", ErrConflict)
		}
		return fmt.Errorf("store: create application: %w", err)
	}
	return nil
}

// Application returns an application by ID, with the offer's title, the
// employer's name and the person's names.
func (s *Store) Application(ctx context.Context, id int64) (employment.Application, error) {
	a, err := scanApplication(s.reader().queryRow(ctx, applicationSelect+` WHERE a.id = ?`, id))
	if err != nil {
		return a, fmt.Errorf("store: application %d: %w", id, notFound(err))
	}
	return a, nil
}

// ApplicationFilter selects applications; zero fields select everything.
// Limit is 200 when not positive.
type ApplicationFilter struct {
	OfferID    int64
	EmployerID int64
	PersonID   int64
	ProposedBy int64
	States     []employment.ApplicationState
	Limit      int
}

// Applications lists the applications the filter selects, most recently
// changed first.
func (s *Store) Applications(ctx context.Context, f ApplicationFilter) ([]employment.Application, error) {
	where := ` WHERE 1 = 1`
	var args []any
	for _, c := range []struct {
		col string
		id  int64
	}{{"a.offer_id", f.OfferID}, {"a.employer_id", f.EmployerID}, {"a.person_id", f.PersonID}, {"a.proposed_by", f.ProposedBy}} {
		if c.id != 0 {
			where += ` AND ` + c.col + ` = ?`
			args = append(args, c.id)
		}
	}
	if len(f.States) > 0 {
		where += ` AND a.state IN (` + placeholderList(len(f.States)) + `)`
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	out, err := collect(ctx, s.reader(), func(rows *sql.Rows) (employment.Application, error) { return scanApplication(rows) },
		applicationSelect+where+` ORDER BY a.updated_at DESC, a.id DESC LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: applications: %w", err)
	}
	return out, nil
}

// ApplicationEvent is a line of an application's history.
type ApplicationEvent struct {
	ID            int64
	ApplicationID int64
	At            time.Time
	Action        string // an employment.Action, or "propose"
	From, To      employment.ApplicationState
	AccountID     int64 // 0 for the system (60 days without an answer, a hire elsewhere)
	AccountName   string
	Reason        string // the refusal reason's code
}

// ApplicationEvents lists an application's history, oldest first.
func (s *Store) ApplicationEvents(ctx context.Context, applicationID int64) ([]ApplicationEvent, error) {
	out, err := collect(ctx, s.reader(), func(rows *sql.Rows) (ApplicationEvent, error) {
		var e ApplicationEvent
		var from, to string
		var acc sql.NullInt64
		err := rows.Scan(&e.ID, &e.ApplicationID, &e.At, &e.Action, &from, &to, &acc, &e.AccountName, &e.Reason)
		e.From, e.To, e.AccountID, e.At = employment.ApplicationState(from), employment.ApplicationState(to), acc.Int64, e.At.UTC()
		e.AccountName = strings.TrimSpace(e.AccountName)
		return e, err
	}, `SELECT ev.id, ev.application_id, ev.at, ev.action, ev.from_state, ev.to_state, ev.account_id,
		COALESCE(ac.first_name || ' ' || ac.last_name, ''), ev.reason FROM application_events ev
		LEFT JOIN accounts ac ON ac.id = ev.account_id WHERE ev.application_id = ? ORDER BY ev.at, ev.id`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("store: application events: %w", err)
	}
	return out, nil
}

// Exit is an exit of a person's pathway: to employment, by a hire.
type Exit struct {
	ID            int64
	PersonID      int64
	Kind          string // "employment"
	At            time.Time
	ApplicationID int64
	CancelledAt   time.Time // the hire was cancelled
}

// Exits lists a person's exits, oldest first, cancelled ones included.
func (s *Store) Exits(ctx context.Context, personID int64) ([]Exit, error) {
	out, err := collect(ctx, s.reader(), func(rows *sql.Rows) (Exit, error) {
		var x Exit
		var app sql.NullInt64
		var cancelled sql.NullTime
		err := rows.Scan(&x.ID, &x.PersonID, &x.Kind, &x.At, &app, &cancelled)
		x.At, x.ApplicationID, x.CancelledAt = x.At.UTC(), app.Int64, timeOf(cancelled)
		return x, err
	}, `SELECT id, person_id, kind, at, application_id, cancelled_at FROM exits WHERE person_id = ? ORDER BY at, id`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: exits: %w", err)
	}
	return out, nil
}

// TransitionApplication applies an employer's action to an application,
// in one transaction: the new state (employment.Transition; an action that
// does not apply, or a state changed meanwhile, is ErrConflict), the
// refusal reason (code checked by the caller) when it refuses, the
// employer's answer when not empty, an event, a timeline line and an audit
// entry. A hire (accepted, on hiredOn or today) also makes every other
// pending application of the person obsolete (with its event, timeline
// line and a message to its employer), reaches the person's employment
// objectives in progress and records an exit to employment; a hire
// cancelled cancels its exit. Every change is told to the proposer and the
// person's référent (followers). Messages link to base; an empty base
// writes none.
func (s *Store) TransitionApplication(ctx context.Context, id int64, action employment.Action, reason, answer string,
	hiredOn time.Time, by Actor, base string) (employment.Application, error) {
	now := by.at()
	var a employment.Application
	err := s.tx(ctx, func(d db) error {
		var err error
		if a, err = scanApplication(d.queryRow(ctx, applicationSelect+` WHERE a.id = ?`, id)); err != nil {
			return notFound(err)
		}
		to, ok := employment.Transition(a.State, action)
		if !ok {
			return ErrConflict
		}
		if to == employment.StateAccepted {
			if hiredOn.IsZero() {
				hiredOn = now.In(paris)
			}
			hiredOn = time.Date(hiredOn.Year(), hiredOn.Month(), hiredOn.Day(), 0, 0, 0, 0, time.UTC)
		}
		eventID, err := moveApplication(ctx, d, &a, action, to, reason, answer, hiredOn, by, now)
		if err != nil {
			return err
		}
		entries := []audit.Entry{by.entry(a.PersonID, person.SectionProject, "update")}
		link, key := applicationLink(base, a.ID), eventKey(a.ID, eventID)
		number := strconv.FormatInt(a.ID, 10)
		var msgs []notify.Message
		switch to {
		case employment.StateAccepted:
			planEntries, err := s.hired(ctx, d, a, by, now, base)
			if err != nil {
				return err
			}
			entries = append(entries, planEntries...)
			told, err := followers(ctx, d, a)
			if err != nil {
				return err
			}
			msgs = accountMessages(key, told, "Candidature n° "+number+" acceptée",
				"La candidature n° "+number+" a été acceptée : embauche le "+a.HiredOn.Format("02/01/2006")+".", link)
		default:
			if to == employment.StateCancelled {
				if _, err := d.exec(ctx, `UPDATE exits SET cancelled_at = ? WHERE application_id = ? AND cancelled_at IS NULL`,
					now, a.ID); err != nil {
					return err
				}
			}
			told, err := followers(ctx, d, a)
			if err != nil {
				return err
			}
			msgs = accountMessages(key, told, "Candidature n° "+number+" : "+strings.ToLower(to.Label()),
				"La candidature n° "+number+" à l'offre « "+a.OfferTitle+" » de "+a.EmployerName+" : "+stateText(a)+".", link)
		}
		if err := s.AuditInTx(ctx, d, entries...); err != nil {
			return err
		}
		return s.enqueueLinked(ctx, d, now, base, msgs...)
	})
	if err != nil {
		return a, fmt.Errorf("store: transition application: %w", err)
	}
	return a, nil
}

// hired writes what a hire on application a causes besides its own
// change: the person's other pending applications become obsolete, their
// employment objectives in progress are reached, and an exit to employment
// is recorded. It returns the audit entries of the plan.
func (s *Store) hired(ctx context.Context, d db, a employment.Application, by Actor, now time.Time, base string) ([]audit.Entry, error) {
	system := Actor{At: now}
	args := []any{a.PersonID, a.ID}
	for _, o := range employment.StateOptions {
		if employment.ApplicationState(o.Code).Pending() {
			args = append(args, o.Code)
		}
	}
	others, err := collect(ctx, d, func(rows *sql.Rows) (employment.Application, error) { return scanApplication(rows) },
		applicationSelect+` WHERE a.person_id = ? AND a.id <> ? AND a.state IN (`+placeholderList(len(args)-2)+`) ORDER BY a.id`, args...)
	if err != nil {
		return nil, err
	}
	for _, o := range others {
		eventID, err := moveApplication(ctx, d, &o, employment.ActionRenderObsolete, employment.StateObsolete, "", "", time.Time{}, system, now)
		if err != nil {
			return nil, err
		}
		contacts, err := employerContacts(ctx, d, o.EmployerID)
		if err != nil {
			return nil, err
		}
		number := strconv.FormatInt(o.ID, 10)
		if err := s.enqueueLinked(ctx, d, now, base, accountMessages(eventKey(o.ID, eventID), contacts, "Candidature n° "+number+" : candidat embauché ailleurs",
			"La candidature n° "+number+" à votre offre « "+o.OfferTitle+" » n'est plus d'actualité : le candidat a été embauché ailleurs.",
			applicationLink(base, o.ID))...); err != nil {
			return nil, err
		}
	}
	type objective struct {
		id             int64
		label, section string
	}
	objs, err := collect(ctx, d, func(rows *sql.Rows) (objective, error) {
		var o objective
		return o, rows.Scan(&o.id, &o.label, &o.section)
	}, `SELECT id, label, section FROM plan_objectives WHERE person_id = ? AND status = 'in_progress'
		AND theme IN (`+placeholderList(len(employmentThemes))+`) ORDER BY id`, append([]any{a.PersonID}, employmentThemes...)...)
	if err != nil {
		return nil, err
	}
	var entries []audit.Entry
	done := strings.ToLower(person.Label(person.ObjectiveStatuses, string(person.ObjectiveDone)))
	for _, o := range objs {
		if _, err := d.exec(ctx, `UPDATE plan_objectives SET status = ?, updated_at = ? WHERE id = ?`,
			string(person.ObjectiveDone), now, o.id); err != nil {
			return nil, err
		}
		sec := person.Section(o.section)
		if err := by.event(ctx, d, a.PersonID, person.EventObjectiveUpdated, "Objectif « "+o.label+" » : "+done, sec, "", o.id); err != nil {
			return nil, err
		}
		entries = append(entries, by.entry(a.PersonID, planSection(sec), "update"))
	}
	if _, err := d.exec(ctx, `INSERT INTO exits (person_id, kind, at, application_id) VALUES (?, 'employment', ?, ?)`,
		a.PersonID, a.HiredOn, a.ID); err != nil {
		return nil, err
	}
	return entries, nil
}

// moveApplication changes the state of application a to to by action
// (the caller checked the transition), with its event and timeline line,
// and returns the event's ID. A state changed since a was read is
// ErrConflict.
func moveApplication(ctx context.Context, d db, a *employment.Application, action employment.Action, to employment.ApplicationState,
	reason, answer string, hiredOn time.Time, by Actor, now time.Time) (int64, error) {
	from := a.State
	a.RefusalReason = ""
	if to == employment.StateRefused {
		a.RefusalReason = reason
	}
	if answer != "" {
		a.Answer = answer
	}
	if to == employment.StateAccepted {
		a.HiredOn = hiredOn
	}
	a.State, a.UpdatedAt = to, after(now, a.UpdatedAt)
	res, err := d.exec(ctx, `UPDATE applications SET state = ?, refusal_reason = ?, answer = ?, hired_on = ?, updated_at = ?
		WHERE id = ? AND state = ?`, string(to), a.RefusalReason, a.Answer, nullTime(a.HiredOn), a.UpdatedAt, a.ID, string(from))
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return 0, ErrConflict
	}
	eventID, err := d.insertID(ctx, `INSERT INTO application_events (application_id, at, action, from_state, to_state, account_id,
		reason) VALUES (?, ?, ?, ?, ?, ?, ?)`, a.ID, now, string(action), string(from), string(to), nullID(by.AccountID), a.RefusalReason)
	if err != nil {
		return 0, err
	}
	summary := "Candidature à l'offre « " + a.OfferTitle + " » de " + a.EmployerName + " : " + stateText(*a)
	if err := by.event(ctx, d, a.PersonID, eventApplicationUpdated, summary, "", "", a.ID); err != nil {
		return 0, err
	}
	return eventID, nil
}

// stateText says the state of an application in a sentence, with the
// date of the hire or the reason of the refusal.
func stateText(a employment.Application) string {
	text := strings.ToLower(a.State.Label())
	switch {
	case a.State == employment.StateAccepted && !a.HiredOn.IsZero():
		text += " (embauche le " + a.HiredOn.Format("02/01/2006") + ")"
	case a.State == employment.StateRefused && a.RefusalReason != "":
		text += " (motif : " + strings.ToLower(person.Label(refusalReasons, a.RefusalReason)) + ")"
	}
	return text
}

var refusalReasons = func() map[string]string {
	m := make(map[string]string, len(employment.RefusalReasonOptions))
	for _, o := range employment.RefusalReasonOptions {
		m[o.Code] = o.Label
	}
	return m
}()

// AutoRefuseApplications refuses, with the reason "auto", every
// application left new or processing without an update for
// employment.AutoRefuseDays days at now (employment.AutoRefuseDue), with
// its event, timeline line and a message to the proposer and the
// référent. It works in
// claimed batches: idempotent and safe on several instances.
func (s *Store) AutoRefuseApplications(ctx context.Context, now time.Time, base string) (int, error) {
	system := Actor{At: now}
	cutoff := now.AddDate(0, 0, -employment.AutoRefuseDays).UTC()
	refused := 0
	_, err := s.batches(ctx, func(d db) (int, error) {
		// The states of AutoRefuseDue, spelled as the partial index
		// applications_pending is, so that SQLite reads it.
		ids, err := s.claimIDs(ctx, d, `SELECT id FROM applications WHERE state IN ('new', 'processing') AND updated_at <= ?
			ORDER BY updated_at, id`, cutoff)
		if err != nil || len(ids) == 0 {
			return 0, err
		}
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		apps, err := collect(ctx, d, func(rows *sql.Rows) (employment.Application, error) { return scanApplication(rows) },
			applicationSelect+` WHERE a.id IN (`+placeholderList(len(ids))+`) ORDER BY a.id`, args...)
		if err != nil {
			return 0, err
		}
		for _, a := range apps {
			if !employment.AutoRefuseDue(a, now) {
				continue
			}
			eventID, err := moveApplication(ctx, d, &a, employment.ActionRefuse, employment.StateRefused, "auto", "", time.Time{}, system, now)
			if err != nil {
				return 0, err
			}
			refused++
			to, err := followers(ctx, d, a)
			if err != nil {
				return 0, err
			}
			number := strconv.FormatInt(a.ID, 10)
			if err := s.enqueueLinked(ctx, d, now, base, accountMessages(eventKey(a.ID, eventID), to, "Candidature n° "+number+" : sans réponse",
				fmt.Sprintf("La candidature n° %s à l'offre « %s » de %s a été déclinée : l'employeur n'a pas répondu en %d jours.",
					number, a.OfferTitle, a.EmployerName, employment.AutoRefuseDays), applicationLink(base, a.ID))...); err != nil {
				return 0, err
			}
		}
		return len(ids), nil
	})
	if err != nil {
		return refused, fmt.Errorf("store: auto-refuse applications: %w", err)
	}
	return refused, nil
}

// Candidate is what an employer's contact reads of a person proposed to
// one of its offers: the name and the target jobs always, and only what
// the person agreed to share for this application. Never the diagnostic,
// the notes or anything else of the record.
type Candidate struct {
	ApplicationID       int64
	PersonID            int64 // for the audit trail; not to show
	FirstName, LastName string
	Appellations        []string // target jobs (ROME appellation codes)
	Shares              []employment.Share
	Phone, Email        string    // ShareContact
	Experience, Skills  string    // ShareExperience
	AvailableFrom       time.Time // ShareAvailable
	HoursWanted         int       // ShareAvailable
	DrivingLicence      bool      // ShareLicence
	Vehicle             bool      // ShareLicence
}

// CandidateView returns what the employer may read of the person proposed
// by an application, and writes the audit entry of that read itself (the
// reader's account, the employer's structure, the person, section project,
// action read, reason "employer contact") before it returns anything. The
// caller checks that the reader is a contact of the application's
// employer (access.EmployerContact).
func (s *Store) CandidateView(ctx context.Context, applicationID int64, by Actor) (Candidate, error) {
	c := Candidate{ApplicationID: applicationID}
	var employerID int64
	var shares, phone, email string
	var jobs, experience, skills sql.NullString
	var avail sql.NullTime
	var hours sql.NullInt64
	var licence, vehicle sql.NullBool
	err := s.reader().queryRow(ctx, `SELECT a.person_id, a.employer_id, a.shares, p.first_name, p.last_name, p.phone, p.email,
		pr.target_jobs, pr.experience, pr.skills, pr.available_from, pr.hours_wanted, pr.driving_licence, pr.vehicle
		FROM applications a JOIN persons p ON p.id = a.person_id LEFT JOIN projects pr ON pr.person_id = a.person_id
		WHERE a.id = ?`, applicationID).Scan(&c.PersonID, &employerID, &shares, &c.FirstName, &c.LastName, &phone, &email,
		&jobs, &experience, &skills, &avail, &hours, &licence, &vehicle)
	if err != nil {
		return Candidate{}, fmt.Errorf("store: candidate %d: %w", applicationID, notFound(err))
	}
	c.Appellations = splitList(jobs.String)
	for _, sh := range splitList(shares) {
		c.Shares = append(c.Shares, employment.Share(sh))
		switch employment.Share(sh) {
		case employment.ShareContact:
			c.Phone, c.Email = phone, email
		case employment.ShareExperience:
			c.Experience, c.Skills = experience.String, skills.String
		case employment.ShareAvailable:
			c.AvailableFrom, c.HoursWanted = timeOf(avail), int(hours.Int64)
		case employment.ShareLicence:
			c.DrivingLicence, c.Vehicle = licence.Bool, vehicle.Bool
		}
	}
	e := by.entry(c.PersonID, person.SectionProject, audit.ActionRead)
	e.StructureID, e.Reason = employerID, "employer contact" // access.ReasonEmployer
	if err := s.Audit(ctx, e); err != nil {
		return Candidate{}, fmt.Errorf("store: candidate %d: %w", applicationID, err)
	}
	return c, nil
}

// recipient is an account told of an application.
type recipient struct {
	id    int64
	email string
}

// accountsWhere reads recipients (id, email) with a query.
func accountsWhere(ctx context.Context, d db, q string, args ...any) ([]recipient, error) {
	return collect(ctx, d, func(rows *sql.Rows) (recipient, error) {
		var r recipient
		return r, rows.Scan(&r.id, &r.email)
	}, q, args...)
}

// employerContacts returns the enabled employer-contact accounts of an
// employer.
func employerContacts(ctx context.Context, d db, employerID int64) ([]recipient, error) {
	return accountsWhere(ctx, d, `SELECT DISTINCT a.id, a.email FROM memberships m JOIN accounts a ON a.id = m.account_id
		WHERE m.structure_id = ? AND m.role = 'employer_contact' AND a.disabled_at IS NULL ORDER BY a.id`, employerID)
}

// followers are the accounts an application's changes are told to: the
// professional who proposed the person and the person's active référent
// (once when they are the same).
func followers(ctx context.Context, d db, a employment.Application) ([]recipient, error) {
	return accountsWhere(ctx, d, `SELECT a.id, a.email FROM accounts a WHERE a.id = ? AND a.disabled_at IS NULL
		UNION SELECT a.id, a.email FROM team_members t JOIN accounts a ON a.id = t.account_id
		WHERE t.person_id = ? AND t.referent AND t.ended_at IS NULL AND a.disabled_at IS NULL ORDER BY 1`, a.ProposedBy, a.PersonID)
}

// applicationLink is the page of an application (sign-in required).
func applicationLink(base string, id int64) string {
	return strings.TrimRight(base, "/") + "/candidatures/" + strconv.FormatInt(id, 10)
}

// enqueueLinked writes the messages of an application's event, whose
// links start with base; an empty base writes none (the demo's past,
// imports of history), as for appointments.
func (s *Store) enqueueLinked(ctx context.Context, d db, at time.Time, base string, msgs ...notify.Message) error {
	if base == "" {
		return nil
	}
	return s.enqueue(ctx, d, at, msgs...)
}

// eventKey is the idempotence key prefix of the messages of an event of
// an application: one message per event and account, ever.
func eventKey(applicationID, eventID int64) string {
	return "application:" + strconv.FormatInt(applicationID, 10) + ":event:" + strconv.FormatInt(eventID, 10)
}

// accountMessages writes one email per account (each once), naming
// nobody, with the link to the application.
func accountMessages(key string, to []recipient, subject, body, link string) []notify.Message {
	var out []notify.Message
	seen := map[int64]bool{}
	for _, r := range to {
		if r.id == 0 || seen[r.id] || r.email == "" {
			continue
		}
		seen[r.id] = true
		out = append(out, notify.Message{Channel: notify.Email, To: r.email, Subject: subject,
			Key: key + ":account:" + strconv.FormatInt(r.id, 10),
			Body: body + "\n\nConsultez la candidature (connexion requise) : " + link +
				"\n\n— Parcours, plateforme du Service public de l'insertion et de l'emploi"})
	}
	return out
}
