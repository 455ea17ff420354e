package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/appointment"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
)

// followUpOf returns the follow-up status of the person with the
// fixture's structure at now, as the follow-up list derives it.
func (f *rdvFixture) followUpOf(t *testing.T, s *store.Store, personID int64, now time.Time) appointment.FollowUpStatus {
	t.Helper()
	items, err := s.FollowUps(context.Background(), f.st.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.PersonID == personID {
			return appointment.FollowUp(it.Invitations, it.Appointments, it.Closed, now)
		}
	}
	t.Fatalf("person %d is not in the structure's follow-up list", personID)
	return ""
}

// invitationLinks returns the tokens of the links of the invitation's
// messages of an event, by email and SMS.
func invitationLinks(t *testing.T, s *store.Store, invID int64, event string) []string {
	t.Helper()
	var out []string
	for _, m := range outbox(t, s, fmt.Sprintf("invitation:%d:%s:", invID, event)) {
		l := rdvLinkRE.FindStringSubmatch(m.Body)
		if l == nil {
			t.Fatalf("%s: no link in %q", m.Key, m.Body)
		}
		out = append(out, l[1])
	}
	return out
}

// TestInvitationReminderAndExpiry is the acceptance "an unanswered
// invitation gets its reminder on day 3 and expires on its date; the status
// list changes accordingly", then the convocation that follows.
func TestInvitationReminderAndExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRdvFixture(t, s)
		p := f.person(t, s, "Léa", "lea@example.org", "06 12 34 56 78")
		q := f.person(t, s, "Hugo", "hugo@example.org", "06 98 76 54 32")
		for _, x := range []person.Person{p, q} {
			f.oriented(t, s, x, rdvNow.Add(-time.Hour))
		}
		if got := f.followUpOf(t, s, p.ID, rdvNow); got != appointment.FollowNotInvited {
			t.Errorf("before the invitation: %s, want not_invited", got)
		}
		// Invited on Tuesday 1 September at 10:00, valid until Friday 11
		// included; Hugo books on the 2nd.
		inv := f.invite(t, s, p, f.indiv, 0, rdvNow)
		other := f.invite(t, s, q, f.indiv, 0, rdvNow)
		if want := rdvAt(12, 0, 0); !inv.ExpiresAt.Equal(want) {
			t.Fatalf("invitation expires at %s, want %s", inv.ExpiresAt, want)
		}
		hugo := f.appt(q, f.indiv, mondaySlot(0), appointment.OriginPerson)
		hugo.InvitationID = other.ID
		if err := s.BookAppointment(ctx, &store.Booking{Appointment: hugo, Capacity: 1}, store.Actor{At: rdvAt(2, 10, 0)}, base); err != nil {
			t.Fatal(err)
		}
		first := invitationLinks(t, s, inv.ID, store.NoticeInvitation)
		if len(first) != 2 {
			t.Fatalf("invitation sent with %d links, want 2 (email and SMS)", len(first))
		}

		for _, step := range []struct {
			now      time.Time
			reminded int
			expired  int
			status   appointment.FollowUpStatus
		}{
			{rdvAt(3, 10, 0), 0, 0, appointment.FollowInvitationPending}, // day 2
			{rdvAt(4, 10, 0), 1, 0, appointment.FollowInvitationPending}, // day 3: reminded
			{rdvAt(4, 18, 0), 0, 0, appointment.FollowInvitationPending}, // never twice
			{rdvAt(8, 10, 0), 0, 0, appointment.FollowInvitationPending},
			{rdvAt(11, 23, 59), 0, 0, appointment.FollowInvitationPending}, // its last minute
			{rdvAt(12, 0, 0), 0, 1, appointment.FollowInvitationExpired},   // expired at midnight
			{rdvAt(12, 1, 0), 0, 0, appointment.FollowInvitationExpired},   // once
			{rdvAt(20, 10, 0), 0, 0, appointment.FollowInvitationExpired},
		} {
			r, err := s.RemindInvitations(ctx, step.now, base)
			if err != nil {
				t.Fatal(err)
			}
			e, err := s.ExpireInvitations(ctx, step.now, base)
			if err != nil {
				t.Fatal(err)
			}
			if r != step.reminded || e != step.expired {
				t.Errorf("at %s: %d reminded, %d expired; want %d, %d", step.now, r, e, step.reminded, step.expired)
			}
			if got := f.followUpOf(t, s, p.ID, step.now); got != step.status {
				t.Errorf("at %s: follow-up %s, want %s", step.now, got, step.status)
			}
		}

		got := invitationOf(t, s, inv.ID)
		if !got.RemindedAt.Equal(rdvAt(4, 10, 0)) || !got.ExpiredAt.Equal(rdvAt(12, 0, 0)) {
			t.Errorf("invitation reminded at %s, expired at %s", got.RemindedAt, got.ExpiredAt)
		}
		// The reminder carries fresh links, and the first ones still work
		// until the expiry.
		again := invitationLinks(t, s, inv.ID, store.NoticeInvitationReminder)
		if len(again) != 2 {
			t.Fatalf("reminder sent with %d links, want 2 (email and SMS)", len(again))
		}
		for _, tok := range again {
			if slices.Contains(first, tok) {
				t.Errorf("the reminder reuses the link %s", tok)
			}
			if byLink, err := s.InvitationByLink(ctx, tok); err != nil || byLink.ID != inv.ID {
				t.Errorf("the reminder's link opens %d, %v", byLink.ID, err)
			}
		}
		// Hugo's invitation, booked, was neither reminded nor expired.
		if got := invitationOf(t, s, other.ID); !got.RemindedAt.IsZero() || !got.ExpiredAt.IsZero() {
			t.Errorf("booked invitation: reminded at %s, expired at %s", got.RemindedAt, got.ExpiredAt)
		}
		if n := len(outbox(t, s, fmt.Sprintf("invitation:%d:", other.ID))); n != 2 {
			t.Errorf("%d messages about the booked invitation, want the 2 of the invitation", n)
		}
		if got := f.followUpOf(t, s, q.ID, rdvAt(4, 10, 0)); got != appointment.FollowRdvPending {
			t.Errorf("Hugo: %s, want rdv_pending", got)
		}

		// The timeline says it, and the structure's accounts are told,
		// without the person's name.
		es := events(t, s, p.ID)
		if es[0].Kind != person.EventInvitationUpdated || !strings.Contains(es[0].Summary, "expirée") || !es[0].At.Equal(rdvAt(12, 0, 0)) {
			t.Errorf("last timeline line: %+v", es[0])
		}
		told := outbox(t, s, fmt.Sprintf("invitation:%d:expired:", inv.ID))
		if got, want := recipients(told), []string{f.pro.Email, f.manager.Email}; !slices.Equal(got, want) {
			t.Errorf("expiry told to %v, want %v", got, want)
		}
		for _, m := range told {
			for _, secret := range []string{p.FirstName, p.LastName, p.Email, "12 34 56 78", rdvSecret} {
				if strings.Contains(m.Subject+m.Body, secret) {
					t.Errorf("the expiry message names %q: %q", secret, m.Body)
				}
			}
			if m.PersonID != 0 {
				t.Errorf("a message to the structure counted as the person's: %+v", m)
			}
		}

		// The professional convenes her on Monday 14 at 9:00.
		conv := f.appt(p, f.indiv, rdvAt(14, 9, 0), appointment.OriginConvocation)
		if err := s.BookAppointment(ctx, &store.Booking{Appointment: conv, Capacity: 1}, f.by(rdvAt(12, 10, 0)), base); err != nil {
			t.Fatal(err)
		}
		if n := len(outbox(t, s, fmt.Sprintf("appointment:%d:%s:", conv.ID, store.NoticeConvocation))); n != 2 {
			t.Errorf("%d convocation messages, want 2 (email and SMS)", n)
		}
		for _, step := range []struct {
			now  time.Time
			set  appointment.Status
			want appointment.FollowUpStatus
		}{
			{now: rdvAt(12, 10, 0), want: appointment.FollowRdvPending},
			{now: rdvAt(14, 8, 59), want: appointment.FollowRdvPending},
			{now: rdvAt(14, 9, 0), want: appointment.FollowRdvNeedsStatusUpdate},
			{now: rdvAt(15, 9, 0), set: appointment.StatusNoshow, want: appointment.FollowRdvNoshow},
		} {
			if step.set != "" {
				a := appointmentOf(t, s, conv.ID)
				if err := s.SetAppointmentStatus(ctx, &a, step.set, f.by(step.now), base); err != nil {
					t.Fatal(err)
				}
			}
			if got := f.followUpOf(t, s, p.ID, step.now); got != step.want {
				t.Errorf("at %s: follow-up %s, want %s", step.now, got, step.want)
			}
		}
	})
}

// TestInvitationReminderCountsCivilDays checks that the reminder job follows
// appointment.ReminderDue: "J+3" is the third calendar day in Paris, so an
// invitation sent on Monday evening is reminded on Thursday morning.
func TestInvitationReminderCountsCivilDays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRdvFixture(t, s)
		p := f.person(t, s, "Léa", "lea@example.org", "")
		inv := f.invite(t, s, p, f.indiv, 0, rdvAt(7, 18, 0)) // Monday evening
		for _, step := range []struct {
			now  time.Time
			want int
		}{
			{rdvAt(9, 23, 59), 0}, // Wednesday night: day 2
			{rdvAt(10, 0, 0), 1},  // Thursday at midnight: day 3
			{rdvAt(10, 9, 0), 0},
		} {
			if due := appointment.ReminderDue(invitationOf(t, s, inv.ID), step.now); due != (step.want == 1) {
				t.Fatalf("appointment.ReminderDue at %s = %t, the test expects %t", step.now, due, step.want == 1)
			}
			n, err := s.RemindInvitations(ctx, step.now, base)
			if err != nil {
				t.Fatal(err)
			}
			if n != step.want {
				t.Errorf("at %s: %d reminded, want %d", step.now, n, step.want)
			}
		}
	})
}

func TestRemindAppointments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRdvFixture(t, s)
		lea := f.person(t, s, "Léa", "lea@example.org", "06 12 34 56 78")
		hugo := f.person(t, s, "Hugo", "hugo@example.org", "")
		ines := f.person(t, s, "Inès", "ines@example.org", "")
		// Léa's appointment on Monday 7 at 9:00, booked a week ahead; Inès's
		// at 9:30, cancelled.
		a := f.book(t, s, lea, f.indiv, rdvAt(7, 9, 0), rdvNow)
		if !a.Reminded48At.IsZero() || !a.Reminded24At.IsZero() {
			t.Errorf("booked a week ahead: reminders marked %s, %s", a.Reminded48At, a.Reminded24At)
		}
		c := f.book(t, s, ines, f.indiv, rdvAt(7, 9, 30), rdvNow)
		if err := s.SetAppointmentStatus(ctx, &c, appointment.StatusExcused, store.Actor{At: rdvAt(2, 9, 0)}, base); err != nil {
			t.Fatal(err)
		}
		var b appointment.Appointment // Hugo's, on Friday 11 at 14:00, booked 30 hours ahead
		reminders := func(id int64) []string {
			var out []string
			for _, m := range outbox(t, s, fmt.Sprintf("appointment:%d:reminder", id)) {
				out = append(out, strings.SplitN(m.Key, ":", 3)[2])
				checkDiscreet(t, m.Subject, m.Body)
			}
			slices.Sort(out)
			return out
		}
		for _, step := range []struct {
			now  time.Time
			book bool
			want int
		}{
			{now: rdvAt(5, 8, 59), want: 0},  // 48 hours and a minute before Léa's
			{now: rdvAt(5, 9, 30), want: 1},  // the 48-hour reminder
			{now: rdvAt(5, 10, 30), want: 0}, // once
			{now: rdvAt(6, 8, 59), want: 0},
			{now: rdvAt(6, 9, 0), want: 1}, // the 24-hour reminder
			{now: rdvAt(6, 12, 0), want: 0},
			{now: rdvAt(10, 8, 0), book: true, want: 0}, // Hugo books
			{now: rdvAt(10, 13, 0), want: 0},            // no 48-hour reminder
			{now: rdvAt(10, 14, 30), want: 1},           // the 24-hour one
			{now: rdvAt(11, 10, 0), want: 0},
		} {
			if step.book {
				b = f.book(t, s, hugo, f.indiv, rdvAt(11, 14, 0), step.now)
				if !b.Reminded48At.Equal(step.now) || !b.Reminded24At.IsZero() {
					t.Errorf("booked 30 hours ahead: reminders marked %s, %s; want the 48-hour one only", b.Reminded48At, b.Reminded24At)
				}
			}
			n, err := s.RemindAppointments(ctx, step.now, base)
			if err != nil {
				t.Fatal(err)
			}
			if n != step.want {
				t.Errorf("at %s: %d reminders, want %d", step.now, n, step.want)
			}
		}
		for _, tc := range []struct {
			name string
			id   int64
			want []string
		}{
			{"Léa", a.ID, []string{"reminder24:email", "reminder24:sms", "reminder48:email", "reminder48:sms"}},
			{"Hugo", b.ID, []string{"reminder24:email"}},
			{"Inès", c.ID, nil},
		} {
			if got := reminders(tc.id); !slices.Equal(got, tc.want) {
				t.Errorf("%s's reminders: %v, want %v", tc.name, got, tc.want)
			}
		}
		if got := appointmentOf(t, s, a.ID); !got.Reminded48At.Equal(rdvAt(5, 9, 30)) || !got.Reminded24At.Equal(rdvAt(6, 9, 0)) {
			t.Errorf("Léa's reminders marked at %s and %s", got.Reminded48At, got.Reminded24At)
		}
	})
}

// TestInvitationJobsConcurrent runs the reminder and the expiry jobs twice
// at once, as two instances would, over more invitations than one batch:
// each invitation is handled exactly once.
func TestInvitationJobsConcurrent(t *testing.T) {
	const toRemind, toExpire = 2300, 2100 // more than a batch of each job
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newRdvFixture(t, s)
		now := rdvAt(20, 10, 0)
		invs := pendingInvitations(t, s, f, toRemind, toExpire, now)

		var wg sync.WaitGroup
		counts := make([]int, 4)
		errs := make([]error, 4)
		start := make(chan struct{})
		for i := range 4 {
			wg.Go(func() {
				<-start
				if i%2 == 0 {
					counts[i], errs[i] = s.RemindInvitations(ctx, now, base)
				} else {
					counts[i], errs[i] = s.ExpireInvitations(ctx, now, base)
				}
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("job %d: %v", i, err)
			}
		}
		if got := counts[0] + counts[2]; got != toRemind {
			t.Errorf("reminded %d + %d = %d, want %d", counts[0], counts[2], got, toRemind)
		}
		if got := counts[1] + counts[3]; got != toExpire {
			t.Errorf("expired %d + %d = %d, want %d", counts[1], counts[3], got, toExpire)
		}
		per := map[string]int{} // by invitation and event
		items, err := s.Outbox(ctx, store.OutboxFilter{KeyPrefix: "invitation:", Limit: 10 * (toRemind + toExpire)})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range items {
			parts := strings.Split(m.Key, ":")
			per[parts[1]+":"+parts[2]]++
		}
		for i, inv := range invs {
			key, want := fmt.Sprintf("%d:%s", inv.ID, store.NoticeInvitationReminder), 2 // email and SMS
			if i >= toRemind {
				key, want = fmt.Sprintf("%d:expired", inv.ID), 2 // the professional and the manager
			}
			if per[key] != want {
				t.Errorf("invitation %d: %d messages %s, want %d", inv.ID, per[key], key, want)
			}
		}
		if len(items) != 2*toRemind+2*toExpire {
			t.Errorf("%d messages in the outbox, want %d", len(items), 2*toRemind+2*toExpire)
		}
	})
}

// pendingInvitations writes toRemind invitations due for their reminder at
// now and toExpire ones whose date passed, of people with an email and a
// mobile phone, in bulk.
func pendingInvitations(tb testing.TB, s *store.Store, f *rdvFixture, toRemind, toExpire int, now time.Time) []appointment.Invitation {
	tb.Helper()
	ctx := context.Background()
	n := toRemind + toExpire
	ps := make([]person.Person, n)
	for i := range ps {
		ps[i] = person.Person{TerritoryID: f.tr.ID, FirstName: "Prénom", LastName: fmt.Sprintf("Nom%06d", i),
			BirthDate: time.Date(1980+i%30, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC),
			Email:     fmt.Sprintf("p%06d@example.org", i), Phone: fmt.Sprintf("06 %02d %02d %02d %02d", i/1000000%100, i/10000%100, i/100%100, i%100),
			CreatedAt: now.AddDate(0, 0, -30)}
	}
	if err := s.InsertPersons(ctx, ps); err != nil {
		tb.Fatal(err)
	}
	invs := make([]appointment.Invitation, n)
	for i, p := range ps {
		// Sent 4 to 6 days ago, valid 10 days: due for the reminder; or 11
		// to 13 days ago: expired, never reminded.
		created := now.Add(-4*24*time.Hour - time.Duration(i%2880)*time.Minute)
		if i >= toRemind {
			created = now.Add(-11*24*time.Hour - time.Duration(i%2880)*time.Minute)
		}
		invs[i] = appointment.Invitation{PersonID: p.ID, TerritoryID: f.tr.ID, StructureID: f.st.ID, TypeID: f.indiv.ID,
			Channels: []string{"email", "sms"}, CreatedBy: f.pro.ID, CreatedAt: created, ExpiresAt: appointment.InvitationExpiry(created, 10)}
	}
	if err := s.InsertInvitations(ctx, invs); err != nil {
		tb.Fatal(err)
	}
	for i, inv := range invs {
		if due, gone := appointment.ReminderDue(inv, now), appointment.Expired(inv, now); due != (i < toRemind) || gone != (i >= toRemind) {
			tb.Fatalf("invitation %d (sent %s): reminder due %t, expired %t", i, inv.CreatedAt, due, gone)
		}
	}
	return invs
}
