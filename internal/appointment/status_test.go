package appointment_test

import (
	"slices"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/appointment"
)

func TestCanSet(t *testing.T) {
	now := at(2026, 12, 8, 14, 30)
	future := appointment.Appointment{StartsAt: now.Add(time.Minute), Status: appointment.StatusUnknown}
	started := appointment.Appointment{StartsAt: now, Status: appointment.StatusUnknown}
	past := appointment.Appointment{StartsAt: now.AddDate(0, 0, -1), Status: appointment.StatusSeen}
	excusedFuture := appointment.Appointment{StartsAt: now.AddDate(0, 0, 2), Status: appointment.StatusExcused}
	tests := []struct {
		name string
		a    appointment.Appointment
		to   appointment.Status
		want bool
	}{
		{"future: cancelled by the person", future, appointment.StatusExcused, true},
		{"future: cancelled by the service", future, appointment.StatusRevoked, true},
		{"future: stays unknown", future, appointment.StatusUnknown, true},
		{"future: cannot be seen yet", future, appointment.StatusSeen, false},
		{"future: cannot be missed yet", future, appointment.StatusNoshow, false},
		{"future: a cancellation undone", excusedFuture, appointment.StatusUnknown, true},
		{"starting now counts as past: seen", started, appointment.StatusSeen, true},
		{"starting now counts as past: noshow", started, appointment.StatusNoshow, true},
		{"past: noshow", past, appointment.StatusNoshow, true},
		{"past: excused", past, appointment.StatusExcused, true},
		{"past: revoked", past, appointment.StatusRevoked, true},
		{"past: unknown again to undo a mistake", past, appointment.StatusUnknown, true},
		{"past: an unknown code", past, appointment.Status("cancelled"), false},
		{"future: an empty code", future, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := appointment.CanSet(tt.a, tt.to, now); got != tt.want {
				t.Errorf("CanSet(%s at %v, %s) = %v, want %v", tt.a.Status, tt.a.StartsAt, tt.to, got, tt.want)
			}
		})
	}
}

func TestStatuses(t *testing.T) {
	now := at(2026, 12, 8, 14, 30)
	tests := []struct {
		name     string
		startsAt time.Time
		want     []appointment.Status
	}{
		{"future", now.Add(time.Hour), []appointment.Status{appointment.StatusUnknown, appointment.StatusExcused, appointment.StatusRevoked}},
		{"past", now.Add(-time.Hour), []appointment.Status{appointment.StatusUnknown, appointment.StatusSeen, appointment.StatusExcused, appointment.StatusRevoked, appointment.StatusNoshow}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := appointment.Appointment{StartsAt: tt.startsAt}
			got := appointment.Statuses(a, now)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("Statuses() = %v, want %v", got, tt.want)
			}
			for _, s := range got {
				if !appointment.CanSet(a, s, now) {
					t.Errorf("Statuses() offers %s, which CanSet refuses", s)
				}
			}
			got[0] = "changed"
			if appointment.Statuses(a, now)[0] == "changed" {
				t.Error("Statuses() returns a shared slice")
			}
		})
	}
}

func TestStatusLabel(t *testing.T) {
	tests := []struct {
		s    appointment.Status
		past bool
		want string
	}{
		{appointment.StatusUnknown, false, "À venir"},
		{appointment.StatusUnknown, true, "À préciser"},
		{appointment.StatusSeen, true, "Rendez-vous honoré"},
		{appointment.StatusExcused, false, "Annulé par la personne"},
		{appointment.StatusRevoked, true, "Annulé par le service"},
		{appointment.StatusNoshow, true, "Absence non excusée"},
		{appointment.Status("ancien"), true, "ancien"},
	}
	for _, tt := range tests {
		t.Run(string(tt.s), func(t *testing.T) {
			if got := tt.s.Label(tt.past); got != tt.want {
				t.Errorf("%s.Label(%v) = %q, want %q", tt.s, tt.past, got, tt.want)
			}
		})
	}
}
