package appointment

import (
	"cmp"
	"slices"
	"time"
)

// FollowUp derives the status of a person's follow-up from its invitations
// and appointments at now, as rdv-insertion's FollowUpStatus does
// (app/models/concerns/follow_up_status.rb):
//
//   - closed when the follow-up is closed;
//   - not_invited when there is neither an invitation nor an appointment;
//   - otherwise the most recent event wins. The last invitation (by
//     CreatedAt) is compared with the last appointment created: with its
//     creation, or with its start while it is still to come and unknown, so
//     that a new invitation never hides an appointment the person already
//     has. When the invitation is later, the status comes from the
//     invitations: invitation_pending while one of them is open (neither
//     expired nor booked), invitation_expired once none is;
//   - else from the appointments: rdv_pending while one is still to come
//     and unknown; rdv_seen when the last one created was seen, or when the
//     person was seen at an appointment that started after it was created;
//     rdv_noshow, rdv_revoked or rdv_excused by the status of the last one
//     created; rdv_needs_status_update when it is past and still unknown.
func FollowUp(invs []Invitation, apps []Appointment, closed bool, now time.Time) FollowUpStatus {
	switch {
	case closed:
		return FollowClosed
	case len(invs) == 0 && len(apps) == 0:
		return FollowNotInvited
	case invitedLast(invs, apps, now):
		for _, inv := range invs {
			if open(inv, now) {
				return FollowInvitationPending
			}
		}
		return FollowInvitationExpired
	}
	last := lastCreated(apps)
	switch {
	case slices.ContainsFunc(apps, func(a Appointment) bool { return pending(a, now) }):
		return FollowRdvPending
	case last.Status == StatusSeen || slices.ContainsFunc(apps, func(a Appointment) bool {
		return a.Status == StatusSeen && a.StartsAt.After(last.CreatedAt)
	}):
		return FollowRdvSeen
	case last.Status == StatusNoshow:
		return FollowRdvNoshow
	case last.Status == StatusRevoked:
		return FollowRdvRevoked
	case last.Status == StatusExcused:
		return FollowRdvExcused
	}
	return FollowRdvNeedsStatusUpdate
}

// invitedLast reports whether the last invitation was sent after the last
// appointment was created, or after the start of that appointment while it
// is still to come.
func invitedLast(invs []Invitation, apps []Appointment, now time.Time) bool {
	if len(invs) == 0 {
		return false
	}
	if len(apps) == 0 {
		return true
	}
	inv := slices.MaxFunc(invs, func(x, y Invitation) int { return x.CreatedAt.Compare(y.CreatedAt) })
	last := lastCreated(apps)
	ref := last.CreatedAt
	if pending(last, now) {
		ref = last.StartsAt
	}
	return inv.CreatedAt.After(ref)
}

// lastCreated returns the appointment created last (the higher ID on a tie);
// apps is not empty.
func lastCreated(apps []Appointment) Appointment {
	return slices.MaxFunc(apps, func(x, y Appointment) int {
		return cmp.Or(x.CreatedAt.Compare(y.CreatedAt), cmp.Compare(x.ID, y.ID))
	})
}

// pending reports whether a is still to come with no status yet.
func pending(a Appointment, now time.Time) bool {
	return a.Status == StatusUnknown && !a.Past(now)
}

// open reports whether the person can still book through inv at now.
func open(inv Invitation, now time.Time) bool {
	return inv.AppointmentID == 0 && inv.BookedAt.IsZero() && !Expired(inv, now)
}

// ActionRequired reports whether a professional must act on a follow-up in
// status s: relaunch or convene after an expired invitation, say what
// happened at a past appointment, or offer another after an absence or a
// cancellation (rdv-insertion's STATUSES_WITH_ACTION_REQUIRED).
func ActionRequired(s FollowUpStatus) bool {
	switch s {
	case FollowInvitationExpired, FollowRdvNeedsStatusUpdate, FollowRdvNoshow, FollowRdvRevoked, FollowRdvExcused:
		return true
	}
	return false
}

// CanConvene reports whether a professional may convene the person, that
// is fix the appointment for them, in status s: only once the person was
// given the chance to choose and did not — an invitation expired without
// an answer, an absence without excuse, or a cancellation by the person
// (rdv-insertion's CONVOCABLE_STATUSES). A cancellation by the service calls
// for a new invitation, not a convocation.
func CanConvene(s FollowUpStatus) bool {
	switch s {
	case FollowInvitationExpired, FollowRdvNoshow, FollowRdvExcused:
		return true
	}
	return false
}

var followUpLabels = func() map[FollowUpStatus]string {
	m := make(map[FollowUpStatus]string, len(FollowUpOptions))
	for _, o := range FollowUpOptions {
		m[FollowUpStatus(o.Code)] = o.Label
	}
	return m
}()

// Label is the French name of the follow-up status, from FollowUpOptions;
// the code itself for a status recorded before the list changed.
func (s FollowUpStatus) Label() string {
	if l, ok := followUpLabels[s]; ok {
		return l
	}
	return string(s)
}
