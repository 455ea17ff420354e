package appointment_test

import (
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/appointment"
)

// checkInstant fails unless got is the instant want.
func checkInstant(t *testing.T, name string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %v, want %v", name, got.In(paris), want.In(paris))
	}
}

func TestInvitationExpiry(t *testing.T) {
	tests := []struct {
		name    string
		created time.Time
		days    int
		want    time.Time
	}{
		{"ten days, to the end of the tenth day", at(2026, 12, 1, 18, 0), 10, at(2026, 12, 12, 0, 0)},
		{"0 days means the default", at(2026, 12, 1, 18, 0), 0, at(2026, 12, 12, 0, 0)},
		{"negative days mean the default", at(2026, 12, 1, 18, 0), -3, at(2026, 12, 12, 0, 0)},
		{"a territory's three days", at(2026, 12, 1, 9, 0), 3, at(2026, 12, 5, 0, 0)},
		{"sent just after midnight in Paris, still the previous day in UTC", time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC), 1, at(2026, 12, 3, 0, 0)},
		{"across the spring change of clocks", at(2026, 3, 20, 10, 0), 10, at(2026, 3, 31, 0, 0)},
		{"across the autumn change of clocks", at(2026, 10, 20, 10, 0), 10, at(2026, 10, 31, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkInstant(t, "InvitationExpiry()", appointment.InvitationExpiry(tt.created, tt.days), tt.want)
		})
	}
	// The autumn case in UTC: midnight in winter time is 23:00 UTC.
	checkInstant(t, "InvitationExpiry() in UTC", appointment.InvitationExpiry(at(2026, 10, 20, 10, 0), 10), time.Date(2026, 10, 30, 23, 0, 0, 0, time.UTC))
}

func TestExpiredAndLastDay(t *testing.T) {
	expires := at(2026, 12, 12, 0, 0)
	tests := []struct {
		name    string
		expires time.Time
		now     time.Time
		want    bool
		lastDay time.Time
	}{
		{"on the last day, late in the evening", expires, at(2026, 12, 11, 23, 59), false, date(2026, 12, 11)},
		{"at the expiry", expires, expires, true, date(2026, 12, 11)},
		{"after", expires, at(2026, 12, 20, 9, 0), true, date(2026, 12, 11)},
		{"an expiry in the afternoon", at(2026, 12, 11, 15, 0), at(2026, 12, 11, 14, 0), false, date(2026, 12, 11)},
		{"never", time.Time{}, at(2036, 1, 1, 0, 0), false, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := appointment.Invitation{CreatedAt: at(2026, 12, 1, 18, 0), ExpiresAt: tt.expires}
			if got := appointment.Expired(inv, tt.now); got != tt.want {
				t.Errorf("Expired() = %v, want %v", got, tt.want)
			}
			if got := appointment.LastDay(inv); !got.Equal(tt.lastDay) {
				t.Errorf("LastDay() = %v, want %v", got, tt.lastDay)
			}
		})
	}
}

func TestReminderDue(t *testing.T) {
	base := appointment.Invitation{ID: 1, PersonID: 5, CreatedAt: at(2026, 12, 1, 18, 0), ExpiresAt: at(2026, 12, 12, 0, 0)}
	with := func(change func(*appointment.Invitation)) appointment.Invitation {
		inv := base
		change(&inv)
		return inv
	}
	tests := []struct {
		name string
		inv  appointment.Invitation
		now  time.Time
		want bool
	}{
		{"three days later, in the morning", base, at(2026, 12, 4, 8, 0), true},
		{"two days later, just before midnight", base, at(2026, 12, 3, 23, 59), false},
		{"sent late in the evening, due from the third midnight", with(func(i *appointment.Invitation) { i.CreatedAt = at(2026, 12, 1, 23, 30) }), at(2026, 12, 4, 0, 5), true},
		{"a week later", base, at(2026, 12, 8, 8, 0), true},
		{"booked", with(func(i *appointment.Invitation) { i.AppointmentID, i.BookedAt = 9, at(2026, 12, 2, 10, 0) }), at(2026, 12, 4, 8, 0), false},
		{"booked, the appointment not linked yet", with(func(i *appointment.Invitation) { i.BookedAt = at(2026, 12, 2, 10, 0) }), at(2026, 12, 4, 8, 0), false},
		{"already reminded", with(func(i *appointment.Invitation) { i.RemindedAt = at(2026, 12, 4, 8, 0) }), at(2026, 12, 5, 8, 0), false},
		{"expired", base, at(2026, 12, 12, 0, 0), false},
		{"expiry handled", with(func(i *appointment.Invitation) { i.ExpiredAt = at(2026, 12, 3, 0, 0) }), at(2026, 12, 4, 8, 0), false},
		{"never expires", with(func(i *appointment.Invitation) { i.ExpiresAt = time.Time{} }), at(2026, 12, 30, 8, 0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := appointment.ReminderDue(tt.inv, tt.now); got != tt.want {
				t.Errorf("ReminderDue() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBookingWindow(t *testing.T) {
	now := at(2026, 12, 7, 10, 0) // a Monday
	week := at(2026, 12, 15, 0, 0)
	tests := []struct {
		name     string
		now      time.Time
		legalDue time.Time
		expiry   time.Time
		want     time.Time
	}{
		{"to the end of the legal due date", now, date(2026, 12, 31), at(2026, 12, 17, 0, 0), at(2027, 1, 1, 0, 0)},
		{"a due date in four days: still a whole week", now, date(2026, 12, 10), time.Time{}, week},
		{"a due date already past: still a whole week", now, date(2026, 11, 30), time.Time{}, week},
		{"a due date exactly a week away", now, date(2026, 12, 14), time.Time{}, week},
		{"a due date in three months: no more than 45 days", now, date(2027, 3, 1), time.Time{}, at(2027, 1, 22, 0, 0)},
		{"no due date: the invitation's expiry", now, time.Time{}, at(2026, 12, 18, 0, 0), at(2026, 12, 18, 0, 0)},
		{"no due date, an expiry in the afternoon: the end of that day", now, time.Time{}, at(2026, 12, 18, 15, 0), at(2026, 12, 19, 0, 0)},
		{"no due date, an expiry in two days: still a whole week", now, time.Time{}, at(2026, 12, 9, 0, 0), week},
		{"neither: the 30 days of the legal delay", now, time.Time{}, time.Time{}, at(2027, 1, 7, 0, 0)},
		{"across the spring change of clocks", at(2026, 3, 20, 10, 0), date(2026, 4, 1), time.Time{}, at(2026, 4, 2, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to := appointment.BookingWindow(tt.now, tt.legalDue, tt.expiry)
			checkInstant(t, "from", from, tt.now.Add(appointment.MinNotice))
			checkInstant(t, "to", to, tt.want)
		})
	}
}
