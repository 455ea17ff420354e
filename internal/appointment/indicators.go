package appointment

import (
	"slices"
	"time"
)

// OrientationRef is what the indicators need of an orientation: whose it is
// and when it was decided, which starts the delay of the first appointment.
type OrientationRef struct {
	ID, PersonID int64
	DecidedAt    time.Time
}

// The delays, in calendar days after the orientation decision, of the
// shares of first appointments: the France Travail target and the SPIE's
// (fr_anchors §6). "Within" includes the last day, as the due date
// orientation computes does: seen on day 15 is within 15 days.
const (
	TargetDays = 15
	DelayDays  = 30
)

// Indicators are the delay and attendance figures of one calendar month in
// Europe/Paris, for the structure or territory whose data the caller
// passed. Day counts are calendar days in Europe/Paris.
//
// The orientation figures follow the cohort of the orientations decided in
// the month, whenever their appointment took place: Oriented counts the
// decisions (a person reoriented counts once per decision, each one
// starting its own legal delay); FirstSeen those followed by a seen
// appointment of the person at or after the decision (one linked to another
// orientation does not count); MedianDaysToFirstSeen is the median delay of
// those. Under15 and Under30 divide by Oriented, all the people oriented in
// the month, seen or not, as rdv-insertion does: dividing by the people seen
// would show a structure that sees half its people, all quickly, as
// perfect. So the shares of the last month or so grow as appointments take
// place, as rdv-insertion's, which leaves out the people oriented fewer
// than n days ago, do once those days have passed.
//
// NoShowRate is the no-shows among the resolved appointments (seen,
// excused, revoked, noshow) that started in the month, as rdv-insertion's
// rate_of_no_show; unknown ones wait for their status.
//
// The invitation figures follow the people invited in the month: Invited
// counts them once each, however many invitations they got; their answer is
// their first appointment created at or after their first invitation of the
// month. SelfBooked is the share of them whose answer they booked
// themselves (Origin person), as rdv-insertion's rate_of_autonomous_users;
// an appointment fixed by a professional, even after a phone call prompted
// by the invitation, is not. MedianDaysInvitationToAppointment is the
// median delay from that first invitation to the booking of the answer, as
// rdv-insertion's time_between_invitation_and_rdv_in_days (from the
// invitation to the creation of the appointment, whoever booked it): how
// fast people answer. The delay to the appointment itself is the
// orientation figures' business.
//
// A share or a median with nothing to count is 0.
type Indicators struct {
	Month                             time.Time // first instant of the month in Europe/Paris
	Oriented                          int
	FirstSeen                         int
	MedianDaysToFirstSeen             float64
	Under15, Under30                  float64 // shares 0–1 of Oriented
	NoShowRate                        float64
	Invited                           int
	SelfBooked                        float64 // share 0–1 of Invited
	MedianDaysInvitationToAppointment float64
}

// Compute returns the indicators of each calendar month in Europe/Paris
// that [from, to) touches, in order, months without data included with
// zero figures; nil when to is not after from. It reads only what it is
// given: the caller passes the orientations, invitations and appointments
// of the structure or territory, including the appointments after to that
// complete the cohorts of the last months.
func Compute(orientations []OrientationRef, invs []Invitation, apps []Appointment, from, to time.Time) []Indicators {
	if !to.After(from) {
		return nil
	}
	var out []Indicators
	index := make(map[time.Time]int)
	for m, last := monthOf(from), monthOf(to.Add(-time.Nanosecond)); !m.After(last); m = m.AddDate(0, 1, 0) {
		index[m] = len(out)
		out = append(out, Indicators{Month: m})
	}
	month := func(t time.Time) (int, bool) {
		i, ok := index[monthOf(t)]
		return i, ok && !t.IsZero()
	}

	byPerson := make(map[int64][]Appointment)
	for _, a := range apps {
		byPerson[a.PersonID] = append(byPerson[a.PersonID], a)
	}

	seenDays := make([][]int, len(out))
	under15, under30 := make([]int, len(out)), make([]int, len(out))
	for _, o := range orientations {
		i, ok := month(o.DecidedAt)
		if !ok {
			continue
		}
		out[i].Oriented++
		first, ok := firstSeen(byPerson[o.PersonID], o)
		if !ok {
			continue
		}
		days := civilDays(o.DecidedAt, first.StartsAt)
		seenDays[i] = append(seenDays[i], days)
		if days <= TargetDays {
			under15[i]++
		}
		if days <= DelayDays {
			under30[i]++
		}
	}

	noshow, resolved := make([]int, len(out)), make([]int, len(out))
	for _, a := range apps {
		i, ok := month(a.StartsAt)
		if !ok {
			continue
		}
		switch a.Status {
		case StatusNoshow:
			noshow[i]++
			resolved[i]++
		case StatusSeen, StatusExcused, StatusRevoked:
			resolved[i]++
		}
	}

	// The first invitation of each person in each month.
	type key struct {
		month  int
		person int64
	}
	firstInv := make(map[key]time.Time)
	for _, inv := range invs {
		i, ok := month(inv.CreatedAt)
		if !ok {
			continue
		}
		k := key{i, inv.PersonID}
		if at, seen := firstInv[k]; !seen || inv.CreatedAt.Before(at) {
			firstInv[k] = inv.CreatedAt
		}
	}
	self := make([]int, len(out))
	answerDays := make([][]int, len(out))
	for k, at := range firstInv {
		out[k.month].Invited++
		answer, ok := firstCreatedFrom(byPerson[k.person], at)
		if !ok {
			continue
		}
		if answer.Origin == OriginPerson {
			self[k.month]++
		}
		answerDays[k.month] = append(answerDays[k.month], civilDays(at, answer.CreatedAt))
	}

	for i := range out {
		o := &out[i]
		o.FirstSeen = len(seenDays[i])
		o.MedianDaysToFirstSeen = median(seenDays[i])
		o.Under15 = share(under15[i], o.Oriented)
		o.Under30 = share(under30[i], o.Oriented)
		o.NoShowRate = share(noshow[i], resolved[i])
		o.SelfBooked = share(self[i], o.Invited)
		o.MedianDaysInvitationToAppointment = median(answerDays[i])
	}
	return out
}

// monthOf returns the first instant, in Europe/Paris, of the month of t.
func monthOf(t time.Time) time.Time {
	y, m, _ := t.In(paris).Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, paris)
}

// firstSeen returns the person's first seen appointment at or after the
// decision of o, leaving out those linked to another orientation.
func firstSeen(apps []Appointment, o OrientationRef) (Appointment, bool) {
	var first Appointment
	found := false
	for _, a := range apps {
		if a.Status != StatusSeen || a.StartsAt.Before(o.DecidedAt) ||
			(a.OrientationID != 0 && a.OrientationID != o.ID) {
			continue
		}
		if !found || a.StartsAt.Before(first.StartsAt) {
			first, found = a, true
		}
	}
	return first, found
}

// firstCreatedFrom returns the person's first appointment created at or
// after at.
func firstCreatedFrom(apps []Appointment, at time.Time) (Appointment, bool) {
	var first Appointment
	found := false
	for _, a := range apps {
		if a.CreatedAt.Before(at) {
			continue
		}
		if !found || a.CreatedAt.Before(first.CreatedAt) || (a.CreatedAt.Equal(first.CreatedAt) && a.ID < first.ID) {
			first, found = a, true
		}
	}
	return first, found
}

// median returns the median of xs, the mean of the two middle values for
// an even count, 0 for none.
func median(xs []int) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n%2 == 1 {
		return float64(s[n/2])
	}
	return float64(s[n/2-1]+s[n/2]) / 2
}

// share returns n/of, 0 when of is 0.
func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}
