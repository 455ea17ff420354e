package appointment

import (
	"slices"
	"time"
)

// statusesFuture are the statuses an appointment that has not started yet
// can take: it can be cancelled by the person (excused) or by the service
// (revoked), and a cancellation made by mistake undone (unknown), as in
// rdv-insertion. Whether the slot is still free then is the store's check.
var statusesFuture = []Status{StatusUnknown, StatusExcused, StatusRevoked}

// statusesPast are the statuses an appointment that has started can take:
// what happened, and unknown again to undo a status set by mistake.
var statusesPast = []Status{StatusUnknown, StatusSeen, StatusExcused, StatusRevoked, StatusNoshow}

// Past reports whether the appointment has started at now: from its start,
// the professional can say whether the person came.
func (a Appointment) Past(now time.Time) bool { return !a.StartsAt.After(now) }

// CanSet reports whether the status of a may be set to to at now. Before
// the appointment starts (StartsAt after now) it can only be cancelled, by
// the person (excused) or the service (revoked), or stay or become unknown
// again; nobody can be seen or absent at an appointment still to come. From
// its start it can take any status: seen, excused, revoked, noshow, or
// unknown again to undo a mistake. Setting the status it already has is
// allowed when that status is allowed at now; an unknown code never is.
func CanSet(a Appointment, to Status, now time.Time) bool {
	allowed := statusesFuture
	if a.Past(now) {
		allowed = statusesPast
	}
	return slices.Contains(allowed, to)
}

// Statuses returns the statuses a professional may choose for a at now, in
// the order a form shows them.
func Statuses(a Appointment, now time.Time) []Status {
	if a.Past(now) {
		return slices.Clone(statusesPast)
	}
	return slices.Clone(statusesFuture)
}

var statusLabels = func() map[Status]string {
	m := make(map[Status]string, len(StatusOptions))
	for _, o := range StatusOptions {
		m[Status(o.Code)] = o.Label
	}
	return m
}()

// Label is the French name of the status: for unknown, "À venir" before the
// appointment and "À préciser" once it has started (the professional must
// then say what happened); the labels of StatusOptions otherwise; the code
// itself for a status recorded before the list changed.
func (s Status) Label(past bool) string {
	if s == StatusUnknown {
		if past {
			return "À préciser"
		}
		return "À venir"
	}
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return string(s)
}
