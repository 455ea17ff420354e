package appointment

import (
	"time"

	"github.com/spie-parcours/parcours/internal/orientation"
)

// InvitationExpiry returns when an invitation created at created stops
// working: at the end of the civil day in Europe/Paris days days after its
// creation, that is the next midnight, the first instant of the day after.
// An invitation sent on 1 December at 18:00 for 10 days works until 11
// December at 23:59 and expires at midnight: the person who reads
// "jusqu'au vendredi 11 décembre" has the whole of that day. days ≤ 0
// means DefaultInvitationDays.
func InvitationExpiry(created time.Time, days int) time.Time {
	if days <= 0 {
		days = DefaultInvitationDays
	}
	return endOf(parisDate(created).AddDate(0, 0, days))
}

// LastDay returns the last civil date (UTC midnight, Europe/Paris) on which
// the invitation still works, for a message to say "jusqu'au …"; zero when
// it never expires.
func LastDay(inv Invitation) time.Time {
	if inv.ExpiresAt.IsZero() {
		return time.Time{}
	}
	return parisDate(inv.ExpiresAt.Add(-time.Nanosecond))
}

// Expired reports whether the invitation's link no longer works at now:
// from ExpiresAt on. An invitation without ExpiresAt never expires, as in
// rdv-insertion.
func Expired(inv Invitation, now time.Time) bool {
	return !inv.ExpiresAt.IsZero() && !now.Before(inv.ExpiresAt)
}

// ReminderDue reports whether the person should be reminded of the
// invitation at now: no slot was chosen through it, it was not reminded yet,
// at least InvitationReminderDay calendar days (Europe/Paris) have passed
// since it was sent — an invitation sent on Monday evening is reminded from
// Thursday morning, "J+3" as the person counts —, and it has not expired
// (nor been handled as expired).
func ReminderDue(inv Invitation, now time.Time) bool {
	return inv.AppointmentID == 0 && inv.BookedAt.IsZero() &&
		inv.RemindedAt.IsZero() && inv.ExpiredAt.IsZero() &&
		!Expired(inv, now) &&
		civilDays(inv.CreatedAt, now) >= InvitationReminderDay
}

// The bounds of the slots a person is shown, in calendar days after today
// (Europe/Paris).
const (
	MinBookingDays = 7
	MaxBookingDays = 45
)

// BookingWindow returns the period whose slots a person is offered at now
// when booking through an invitation: from now + MinNotice to the end of a
// civil day in Europe/Paris, chosen as follows.
//
// The window ends with the legal due date of the appointment (legalDue, a
// date: the orientation's AppointmentDueOn) when it is known: offering
// later slots would let the person book an appointment the law says is
// late, and the earliest slots are the ones that keep the delay. Without a
// due date (a follow-up appointment, an invitation without an orientation)
// it ends with the invitation's expiry, the horizon the structure chose for
// an answer; without either, after orientation.DefaultRules' appointment
// delay (30 days), the SPIE target.
//
// Whatever the due date, the window is never shorter than MinBookingDays
// (7): a person invited late, or who answers on the last day, still gets a
// whole week, so every weekday of the agendas, to find a slot that fits
// their constraints (children, work, transport) — an appointment a few days
// late is better than none, and an empty page ends in a convocation. And it
// is never longer than MaxBookingDays (45, the six weeks rdv-service-public
// offers for the same reason, rdv-service-public#5724): a slot booked weeks
// ahead is more often forgotten, and the structure should open nearer
// slots rather than let the first appointment drift.
func BookingWindow(now time.Time, legalDue time.Time, expiry time.Time) (from, to time.Time) {
	today := parisDate(now)
	var end time.Time
	switch {
	case !legalDue.IsZero():
		end = endOf(dateOf(legalDue))
	case !expiry.IsZero():
		end = endOf(parisDate(expiry.Add(-time.Nanosecond)))
	default:
		end = endOf(today.AddDate(0, 0, orientation.DefaultRules().AppointmentDays))
	}
	lo := endOf(today.AddDate(0, 0, MinBookingDays))
	hi := endOf(today.AddDate(0, 0, MaxBookingDays))
	switch {
	case end.Before(lo):
		end = lo
	case end.After(hi):
		end = hi
	}
	return now.Add(MinNotice), end
}
