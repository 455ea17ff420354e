package orientation

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/problem"
)

// paris is the time zone in which a day starts and ends for the legal
// delays. Without the tz database (a scratch container that does not embed
// time/tzdata) it falls back on CET all year, one hour off in summer.
var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}()

// Paris is the time zone of civil dates in Parcours (Europe/Paris), for the
// other packages that write or compare dates.
func Paris() *time.Location { return paris }

// Rules are the territory's delays (configurable per territory; these are the defaults).
type Rules struct {
	DecisionDays          int // orientation decided within 6 weeks (42 days) of the request, or of the RSA opening date when known and earlier
	ContractMonths        int // contrat d'engagement signed within 1 month of the orientation decision
	AppointmentDays       int // first accompaniment appointment within 30 days of the decision
	AppointmentTargetDays int // national target: 15 days
}

// DefaultRules are the national delays (fr_anchors §6): the département
// orients a BRSA within 6 weeks (décret 2024-1244), the contrat d'engagement
// is signed within 1 month of the decision (art. D.262-65-2 CASF), the first
// appointment takes place within 30 days (SPIE target), 15 days being the
// France Travail target.
func DefaultRules() Rules {
	return Rules{DecisionDays: 42, ContractMonths: 1, AppointmentDays: 30, AppointmentTargetDays: 15}
}

// Bounds of the delays a territory may set.
const (
	MaxDelayDays      = 365
	MaxContractMonths = 12
)

// Validate checks a territory's delays and returns a French message per
// wrong field, named by its JSON name. Every delay is at least 1, and the
// appointment target cannot be longer than the appointment delay.
func (r Rules) Validate() problem.Fields {
	var fs problem.Fields
	if r.DecisionDays < 1 || r.DecisionDays > MaxDelayDays {
		fs.Add("decision_days", fmt.Sprintf("Le délai d'orientation doit être compris entre 1 et %d jours.", MaxDelayDays))
	}
	if r.ContractMonths < 1 || r.ContractMonths > MaxContractMonths {
		fs.Add("contract_months", fmt.Sprintf("Le délai de signature du contrat d'engagement doit être compris entre 1 et %d mois.", MaxContractMonths))
	}
	if r.AppointmentDays < 1 || r.AppointmentDays > MaxDelayDays {
		fs.Add("appointment_days", fmt.Sprintf("Le délai du premier rendez-vous doit être compris entre 1 et %d jours.", MaxDelayDays))
	}
	switch {
	case r.AppointmentTargetDays < 1 || r.AppointmentTargetDays > MaxDelayDays:
		fs.Add("appointment_target_days", fmt.Sprintf("L'objectif de premier rendez-vous doit être compris entre 1 et %d jours.", MaxDelayDays))
	case r.AppointmentDays >= 1 && r.AppointmentTargetDays > r.AppointmentDays:
		fs.Add("appointment_target_days", "L'objectif de premier rendez-vous ne peut pas dépasser le délai du premier rendez-vous.")
	}
	return fs
}

// orDefaults returns r with each zero or negative delay replaced by its
// default, so that a territory whose delays were never set does not see
// every request due the day it is made.
func (r Rules) orDefaults() Rules {
	d := DefaultRules()
	if r.DecisionDays <= 0 {
		r.DecisionDays = d.DecisionDays
	}
	if r.ContractMonths <= 0 {
		r.ContractMonths = d.ContractMonths
	}
	if r.AppointmentDays <= 0 {
		r.AppointmentDays = d.AppointmentDays
	}
	if r.AppointmentTargetDays <= 0 {
		r.AppointmentTargetDays = d.AppointmentTargetDays
	}
	return r
}

// parisDate returns the civil date of the instant t in Europe/Paris, as UTC
// midnight.
func parisDate(t time.Time) time.Time {
	y, m, d := t.In(paris).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dateOf returns the date t holds, read in its own location as the store
// keeps dates (UTC midnight), as UTC midnight.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// addMonths adds n months to the date d (UTC midnight), keeping the day of
// the month when the target month has it and taking the target month's last
// day otherwise: 31 January + 1 month is 28 or 29 February, not 3 March.
func addMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(day, last), 0, 0, 0, 0, time.UTC)
}

// DecisionDue returns the date by which the coordinator must decide, as UTC
// midnight: DecisionDays after the civil date of the request in
// Europe/Paris, or after the RSA opening date when it is known and earlier
// (the 6 weeks run from the information of the opening). rsaOpenedOn is a
// date, read in its own location; zero when unknown. Days are calendar days,
// so a change to or from summer time moves nothing.
func (r Rules) DecisionDue(requestedAt, rsaOpenedOn time.Time) time.Time {
	start := parisDate(requestedAt)
	if !rsaOpenedOn.IsZero() {
		if opened := dateOf(rsaOpenedOn); opened.Before(start) {
			start = opened
		}
	}
	return start.AddDate(0, 0, r.orDefaults().DecisionDays)
}

// Decide applies d to req by its outcome: Accept or Refuse.
func (r Rules) Decide(req *Request, d Decision, by int64, at time.Time) error {
	switch d.Outcome {
	case StatusAccepted:
		return r.Accept(req, d, by, at)
	case StatusRefused:
		return r.Refuse(req, d, by, at)
	}
	if err := decidable(req); err != nil {
		return err
	}
	return d.Validate().Err()
}

// Accept applies an accepted decision made by the account by at the instant
// at: the status, the orientation chosen, and the due dates counted from the
// decision's civil date in Europe/Paris: the contrat d'engagement
// ContractMonths later (on the month's last day when it is shorter), the
// first appointment AppointmentDays later, and its target
// AppointmentTargetDays later. d.Reason is not kept: Request holds the
// requester's reason and, for a refusal, the refusal reason. An empty
// d.Outcome is read as an acceptance. The error is of kind Conflict when req
// is not pending, Invalid when d is incomplete; req is then unchanged.
func (r Rules) Accept(req *Request, d Decision, by int64, at time.Time) error {
	if err := decidable(req); err != nil {
		return err
	}
	if d.Outcome == "" {
		d.Outcome = StatusAccepted
	}
	if d.Outcome != StatusAccepted {
		return problem.InvalidFields("Certaines informations saisies ne sont pas valides.",
			problem.Field{Field: "outcome", Message: "Cette décision n'est pas une acceptation."})
	}
	if err := d.Validate().Err(); err != nil {
		return err
	}
	r = r.orDefaults()
	on := parisDate(at)
	req.Status = StatusAccepted
	req.DecidedAt, req.DecidedBy = at, by
	req.Type, req.StructureID = d.Type, d.StructureID
	req.Dispositif = strings.TrimSpace(d.Dispositif)
	req.ReferentID = d.ReferentID
	req.RefusalReason = ""
	req.ContractDueOn = addMonths(on, r.ContractMonths)
	req.AppointmentDueOn = on.AddDate(0, 0, r.AppointmentDays)
	req.AppointmentTargetOn = on.AddDate(0, 0, r.AppointmentTargetDays)
	return nil
}

// Refuse applies a refusal made by the account by at the instant at: the
// status and the reason, which the requester will read. An empty d.Outcome
// is read as a refusal. The error is of kind Conflict when req is not
// pending, Invalid when the reason is missing; req is then unchanged.
func (r Rules) Refuse(req *Request, d Decision, by int64, at time.Time) error {
	if err := decidable(req); err != nil {
		return err
	}
	if d.Outcome == "" {
		d.Outcome = StatusRefused
	}
	if d.Outcome != StatusRefused {
		return problem.InvalidFields("Certaines informations saisies ne sont pas valides.",
			problem.Field{Field: "outcome", Message: "Cette décision n'est pas un refus."})
	}
	if err := d.Validate().Err(); err != nil {
		return err
	}
	req.Status = StatusRefused
	req.DecidedAt, req.DecidedBy = at, by
	req.RefusalReason = strings.TrimSpace(d.Reason)
	req.Type, req.StructureID, req.Dispositif, req.ReferentID = "", 0, "", 0
	req.ContractDueOn, req.AppointmentDueOn, req.AppointmentTargetOn = time.Time{}, time.Time{}, time.Time{}
	return nil
}

// decidable returns a Conflict error unless req waits for a decision: a
// request is decided once, a second coordinator's answer is refused.
func decidable(req *Request) error {
	if req == nil {
		return errors.New("orientation: decide: nil request")
	}
	if req.Status != StatusPending {
		return problem.New(problem.Conflict, "Cette demande d'orientation a déjà été traitée.")
	}
	return nil
}

// Overdue reports whether req still waits for a decision after its due
// date: the due date itself is on time until midnight, Europe/Paris. A
// request without a due date is never overdue.
func Overdue(req Request, today time.Time) bool {
	return req.Status == StatusPending && !req.DueOn.IsZero() && dateOf(req.DueOn).Before(parisDate(today))
}

// DaysLeft returns the calendar days from today's date in Europe/Paris to
// req's due date: 0 on the due date, negative once it is past. It is 0 when
// the request has no due date.
func DaysLeft(req Request, today time.Time) int {
	if req.DueOn.IsZero() {
		return 0
	}
	return int(dateOf(req.DueOn).Sub(parisDate(today)) / (24 * time.Hour))
}

// Age returns how long req has waited: until now while it is pending, until
// its decision once decided (the delay the indicators count). It is never
// negative.
func Age(req Request, now time.Time) time.Duration {
	end := now
	if req.Status != StatusPending && !req.DecidedAt.IsZero() {
		end = req.DecidedAt
	}
	return max(end.Sub(req.RequestedAt), 0)
}
