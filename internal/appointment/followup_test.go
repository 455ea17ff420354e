package appointment_test

import (
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/appointment"
)

func TestFollowUp(t *testing.T) {
	now := at(2026, 12, 8, 12, 0)
	day := func(d, h int) time.Time { return at(2026, 12, d, h, 0) } // December 2026, or November for d ≤ 0
	inv := func(created, expires time.Time) appointment.Invitation {
		return appointment.Invitation{ID: 1, PersonID: 5, CreatedAt: created, ExpiresAt: expires}
	}
	app := func(id int64, created, starts time.Time, s appointment.Status) appointment.Appointment {
		return appointment.Appointment{ID: id, PersonID: 5, CreatedAt: created, StartsAt: starts, DurationMin: 30, Status: s}
	}
	open := inv(day(1, 10), day(12, 0))
	expired := inv(day(-10, 10), day(1, 0))
	booked := open
	booked.AppointmentID, booked.BookedAt = 9, day(3, 10)
	tests := []struct {
		name   string
		invs   []appointment.Invitation
		apps   []appointment.Appointment
		closed bool
		want   appointment.FollowUpStatus
	}{
		{"closed, whatever happened", []appointment.Invitation{open}, []appointment.Appointment{app(1, day(2, 9), day(10, 9), appointment.StatusUnknown)}, true, appointment.FollowClosed},
		{"closed before anything happened", nil, nil, true, appointment.FollowClosed},
		{"neither invitation nor appointment", nil, nil, false, appointment.FollowNotInvited},
		{"an open invitation", []appointment.Invitation{open}, nil, false, appointment.FollowInvitationPending},
		{"an expired invitation", []appointment.Invitation{expired}, nil, false, appointment.FollowInvitationExpired},
		{"an invitation expiring right now", []appointment.Invitation{inv(day(1, 10), now)}, nil, false, appointment.FollowInvitationExpired},
		{"an invitation that never expires", []appointment.Invitation{inv(day(-60, 10), time.Time{})}, nil, false, appointment.FollowInvitationPending},
		{"an expired invitation, then an open one", []appointment.Invitation{expired, open}, nil, false, appointment.FollowInvitationPending},
		{"an invitation booked, its appointment gone: no longer pending", []appointment.Invitation{booked}, nil, false, appointment.FollowInvitationExpired},
		{"an invitation booked: the appointment to come", []appointment.Invitation{booked}, []appointment.Appointment{app(9, day(3, 10), day(10, 9), appointment.StatusUnknown)}, false, appointment.FollowRdvPending},
		{"an appointment to come, booked by an agent", nil, []appointment.Appointment{app(1, day(2, 9), day(10, 9), appointment.StatusUnknown)}, false, appointment.FollowRdvPending},
		{"a past appointment without status", nil, []appointment.Appointment{app(1, day(2, 9), day(7, 9), appointment.StatusUnknown)}, false, appointment.FollowRdvNeedsStatusUpdate},
		{"an appointment starting now without status", nil, []appointment.Appointment{app(1, day(2, 9), now, appointment.StatusUnknown)}, false, appointment.FollowRdvNeedsStatusUpdate},
		{"seen", nil, []appointment.Appointment{app(1, day(2, 9), day(7, 9), appointment.StatusSeen)}, false, appointment.FollowRdvSeen},
		{"absent", nil, []appointment.Appointment{app(1, day(2, 9), day(7, 9), appointment.StatusNoshow)}, false, appointment.FollowRdvNoshow},
		{"cancelled by the service", nil, []appointment.Appointment{app(1, day(2, 9), day(10, 9), appointment.StatusRevoked)}, false, appointment.FollowRdvRevoked},
		{"cancelled by the person", nil, []appointment.Appointment{app(1, day(2, 9), day(10, 9), appointment.StatusExcused)}, false, appointment.FollowRdvExcused},
		{"absent, then invited again", []appointment.Invitation{open}, []appointment.Appointment{app(1, day(-5, 9), day(-1, 9), appointment.StatusNoshow)}, false, appointment.FollowInvitationPending},
		{"seen, then invited again, without answer", []appointment.Invitation{inv(day(-20, 10), day(-10, 0))}, []appointment.Appointment{app(1, day(-28, 9), day(-25, 9), appointment.StatusSeen)}, false, appointment.FollowInvitationExpired},
		{"invited, then convened after the expiry: the appointment wins", []appointment.Invitation{expired}, []appointment.Appointment{app(1, day(2, 9), day(10, 9), appointment.StatusUnknown)}, false, appointment.FollowRdvPending},
		{"invited while an appointment is still to come: the appointment wins", []appointment.Invitation{inv(day(5, 10), day(15, 0))}, []appointment.Appointment{app(1, day(1, 9), day(10, 9), appointment.StatusUnknown)}, false, appointment.FollowRdvPending},
		{"invited after the start of an appointment now past", []appointment.Invitation{inv(day(7, 10), day(17, 0))}, []appointment.Appointment{app(1, day(1, 9), day(7, 9), appointment.StatusUnknown)}, false, appointment.FollowInvitationPending},
		{"invited at the very instant the appointment was created: the appointment wins", []appointment.Invitation{inv(day(2, 9), day(12, 0))}, []appointment.Appointment{app(1, day(2, 9), day(7, 9), appointment.StatusNoshow)}, false, appointment.FollowRdvNoshow},
		{"an older appointment still to come wins over a later cancelled one", nil, []appointment.Appointment{
			app(1, day(1, 9), day(20, 9), appointment.StatusUnknown),
			app(2, day(3, 9), day(6, 9), appointment.StatusRevoked),
		}, false, appointment.FollowRdvPending},
		{"absent at the last appointment created, seen later at an earlier one", nil, []appointment.Appointment{
			app(1, day(-30, 9), day(7, 9), appointment.StatusSeen),
			app(2, day(-25, 9), day(-20, 9), appointment.StatusNoshow),
		}, false, appointment.FollowRdvSeen},
		{"seen, then absent at a later appointment", nil, []appointment.Appointment{
			app(1, day(-30, 9), day(-25, 9), appointment.StatusSeen),
			app(2, day(-20, 9), day(-15, 9), appointment.StatusNoshow),
		}, false, appointment.FollowRdvNoshow},
		{"two appointments created at the same instant: the higher ID is the last", nil, []appointment.Appointment{
			app(2, day(2, 9), day(7, 9), appointment.StatusExcused),
			app(1, day(2, 9), day(7, 9), appointment.StatusNoshow),
		}, false, appointment.FollowRdvExcused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := appointment.FollowUp(tt.invs, tt.apps, tt.closed, now); got != tt.want {
				t.Errorf("FollowUp() = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestFollowUpActions(t *testing.T) {
	tests := []struct {
		s               appointment.FollowUpStatus
		action, convene bool
		label           string
	}{
		{appointment.FollowNotInvited, false, false, "Non invité"},
		{appointment.FollowInvitationPending, false, false, "Invitation en attente de réponse"},
		{appointment.FollowInvitationExpired, true, true, "Invitation sans réponse (délai dépassé)"},
		{appointment.FollowRdvPending, false, false, "RDV à venir"},
		{appointment.FollowRdvNeedsStatusUpdate, true, false, "Statut du RDV à préciser"},
		{appointment.FollowRdvNoshow, true, true, "Absence non excusée"},
		{appointment.FollowRdvRevoked, true, false, "RDV annulé par le service"},
		{appointment.FollowRdvExcused, true, true, "RDV annulé par l'usager"},
		{appointment.FollowRdvSeen, false, false, "RDV honoré"},
		{appointment.FollowClosed, false, false, "Dossier traité"},
		{appointment.FollowUpStatus("ancien"), false, false, "ancien"},
	}
	if len(tests) != len(appointment.FollowUpOptions)+1 {
		t.Fatalf("%d statuses tested, %d in FollowUpOptions", len(tests)-1, len(appointment.FollowUpOptions))
	}
	for _, tt := range tests {
		t.Run(string(tt.s), func(t *testing.T) {
			if got := appointment.ActionRequired(tt.s); got != tt.action {
				t.Errorf("ActionRequired(%s) = %v, want %v", tt.s, got, tt.action)
			}
			if got := appointment.CanConvene(tt.s); got != tt.convene {
				t.Errorf("CanConvene(%s) = %v, want %v", tt.s, got, tt.convene)
			}
			if got := tt.s.Label(); got != tt.label {
				t.Errorf("%s.Label() = %q, want %q", tt.s, got, tt.label)
			}
		})
	}
}
