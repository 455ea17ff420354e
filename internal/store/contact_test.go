package store_test

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/appointment"
	"github.com/spie-parcours/parcours/internal/audit"
	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
)

// contactStopRE finds the stop link written into a message body.
var contactStopRE = regexp.MustCompile(`https://parcours\.example\.org/desabonnement/(stop_[a-z0-9]+)`)

// contactFixture is a person with an email address and a mobile number,
// invited by email and SMS: it returns the person, the referent's actor and
// the stop tokens of the two messages, by channel.
func contactFixture(t *testing.T, s *store.Store) (person.Person, store.Actor, map[notify.Channel]string) {
	t.Helper()
	ctx := context.Background()
	tr, st, acc := fixture(t, s)
	by := store.Actor{AccountID: acc.ID, StructureID: st.ID, At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	p := person.Person{TerritoryID: tr.ID, FirstName: "Inès", LastName: "Roux", Email: "ines@example.org", Phone: "06 12 34 56 78",
		CommuneINSEE: "90010", BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := s.CreatePerson(ctx, &p, by); err != nil {
		t.Fatal(err)
	}
	typ := appointment.Type{TerritoryID: tr.ID, Category: appointment.CategoryOrientation, Label: "Orientation", DurationMin: 45, Capacity: 1}
	if err := s.SaveAppointmentType(ctx, &typ); err != nil {
		t.Fatal(err)
	}
	inv := appointment.Invitation{PersonID: p.ID, TerritoryID: tr.ID, StructureID: st.ID, TypeID: typ.ID, Channels: []string{"email", "sms"},
		ExpiresAt: appointment.InvitationExpiry(by.At, 10)}
	if err := s.CreateInvitation(ctx, &inv, by, "https://parcours.example.org/"); err != nil {
		t.Fatal(err)
	}
	items, err := s.Outbox(ctx, store.OutboxFilter{PersonID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[notify.Channel]string{}
	for _, it := range items {
		if m := contactStopRE.FindStringSubmatch(it.Body); m != nil {
			tokens[it.Channel] = m[1]
		}
	}
	if tokens[notify.Email] == "" || tokens[notify.SMS] == "" || tokens[notify.Email] == tokens[notify.SMS] {
		t.Fatalf("stop links by channel: %v", tokens)
	}
	return p, by, tokens
}

// contactStopped returns the channels the person stopped.
func contactStopped(t *testing.T, s *store.Store, personID int64) []string {
	t.Helper()
	got, err := s.StoppedChannels(context.Background(), personID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// contactLines counts the person's timeline lines that contain text.
func contactLines(t *testing.T, s *store.Store, personID int64, text string) int {
	t.Helper()
	n := 0
	for _, e := range events(t, s, personID) {
		if strings.Contains(e.Summary, text) {
			n++
		}
	}
	return n
}

func TestStopByLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		p, _, tokens := contactFixture(t, s)
		at := time.Date(2026, 3, 3, 18, 30, 0, 0, time.UTC)

		// Reading the link stops nothing.
		ch, pid, err := s.StopLink(ctx, tokens[notify.SMS])
		if err != nil || ch != "sms" || pid != p.ID {
			t.Fatalf("StopLink = %q, %d, %v; want sms, %d", ch, pid, err, p.ID)
		}
		if got := contactStopped(t, s, p.ID); len(got) != 0 {
			t.Fatalf("after reading the link, stopped %v; want none", got)
		}

		ch, pid, err = s.StopByLink(ctx, tokens[notify.SMS], at)
		if err != nil || ch != "sms" || pid != p.ID {
			t.Fatalf("StopByLink = %q, %d, %v; want sms, %d", ch, pid, err, p.ID)
		}
		if got := contactStopped(t, s, p.ID); !slices.Equal(got, []string{"sms"}) {
			t.Errorf("stopped %v; want [sms]", got)
		}
		if stopped, err := s.OutboxStopped(ctx, p.ID, notify.SMS); err != nil || !stopped {
			t.Errorf("OutboxStopped(sms) = %v, %v; want true", stopped, err)
		}
		if stopped, err := s.OutboxStopped(ctx, p.ID, notify.Email); err != nil || stopped {
			t.Errorf("OutboxStopped(email) = %v, %v; want false", stopped, err)
		}

		// The link works again, and changes nothing more.
		if ch, _, err := s.StopByLink(ctx, tokens[notify.SMS], at.Add(time.Hour)); err != nil || ch != "sms" {
			t.Fatalf("second StopByLink = %q, %v", ch, err)
		}
		if n := contactLines(t, s, p.ID, "ne souhaite plus recevoir de SMS"); n != 1 {
			t.Errorf("%d timeline lines for the SMS stop, want 1", n)
		}
		var entries []audit.Entry
		if err := s.WalkAudit(ctx, func(e audit.Entry) error {
			if e.PersonID == p.ID && e.Reason == "stop link" {
				entries = append(entries, e)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].AccountID != 0 || entries[0].StructureID != 0 ||
			entries[0].Section != string(person.SectionIdentity) || entries[0].Action != audit.ActionUpdate {
			t.Errorf("audit entries of the stop: %+v; want one update of identity, no account, no structure", entries)
		}

		if _, _, err := s.StopByLink(ctx, tokens[notify.Email], at); err != nil {
			t.Fatal(err)
		}
		if got := contactStopped(t, s, p.ID); !slices.Equal(got, []string{"email", "sms"}) {
			t.Errorf("stopped %v; want [email sms]", got)
		}

		for _, token := range []string{"stop_inconnu", "", tokens[notify.SMS] + "x"} {
			if _, _, err := s.StopLink(ctx, token); !errors.Is(err, store.ErrLinkInvalid) {
				t.Errorf("StopLink(%q) = %v; want ErrLinkInvalid", token, err)
			}
			if _, _, err := s.StopByLink(ctx, token, at); !errors.Is(err, store.ErrLinkInvalid) {
				t.Errorf("StopByLink(%q) = %v; want ErrLinkInvalid", token, err)
			}
		}
	})
}

func TestResumeChannel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		p, by, tokens := contactFixture(t, s)
		for _, ch := range []notify.Channel{notify.Email, notify.SMS} {
			if _, _, err := s.StopByLink(ctx, tokens[ch], by.At); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.ResumeChannel(ctx, p.ID, "email", by); err != nil {
			t.Fatal(err)
		}
		if got := contactStopped(t, s, p.ID); !slices.Equal(got, []string{"sms"}) {
			t.Errorf("after resuming email, stopped %v; want [sms]", got)
		}
		if n := contactLines(t, s, p.ID, "courriels de Parcours sont rétablis"); n != 1 {
			t.Errorf("%d timeline lines for the resume, want 1", n)
		}
		// Resuming a channel that is open writes nothing.
		if err := s.ResumeChannel(ctx, p.ID, "email", by); err != nil {
			t.Fatal(err)
		}
		if n := contactLines(t, s, p.ID, "rétablis"); n != 1 {
			t.Errorf("%d timeline lines after resuming an open channel, want 1", n)
		}
		if err := s.ResumeChannel(ctx, p.ID, "pigeon", by); err == nil {
			t.Error("ResumeChannel accepted an unknown channel")
		}
		// The person may stop it again with the same link.
		if _, _, err := s.StopByLink(ctx, tokens[notify.Email], by.At.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := contactStopped(t, s, p.ID); !slices.Equal(got, []string{"email", "sms"}) {
			t.Errorf("after stopping again, stopped %v; want [email sms]", got)
		}
		if other := contactStopped(t, s, p.ID+1000); len(other) != 0 {
			t.Errorf("another person has stopped %v", other)
		}
	})
}
