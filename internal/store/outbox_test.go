package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
)

func TestOutboxOneMessagePerKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		m := notify.Message{To: "a@test.example", Subject: "Sujet", Body: "Corps", Key: "test:1:account:7",
			Attachments: []notify.Attachment{{Name: "rdv.ics", ContentType: "text/calendar", Data: []byte("BEGIN:VCALENDAR")}}}
		for range 3 {
			if err := s.Enqueue(ctx, now, m, notify.Message{Key: "test:1:nobody"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Enqueue(ctx, now, notify.Message{To: "a@test.example"}); err == nil {
			t.Error("a message without a key was accepted")
		}
		got, err := s.ClaimOutbox(ctx, now, time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("claimed %d messages, want 1 (one per key, none without a recipient)", len(got))
		}
		c := got[0]
		if c.Channel != notify.Email || c.To != m.To || c.Body != "Corps" || c.Attempts != 1 ||
			len(c.Attachments) != 1 || string(c.Attachments[0].Data) != "BEGIN:VCALENDAR" {
			t.Errorf("claimed %+v", c)
		}
		if err := s.MarkOutboxSent(ctx, c.ID, now, "<parcours-outbox-1@parcours.test>"); err != nil {
			t.Fatal(err)
		}
		items, err := s.Outbox(ctx, store.OutboxFilter{KeyPrefix: "test:1:"})
		if err != nil || len(items) != 1 {
			t.Fatalf("outbox %+v %v", items, err)
		}
		if it := items[0]; it.Status != store.OutboxSent || it.Body != "" || !it.SentAt.Equal(now) ||
			it.ProviderRef != "<parcours-outbox-1@parcours.test>" {
			t.Errorf("after sending: %+v, want sent with its body erased and the provider's reference", it)
		}
		if more, _ := s.ClaimOutbox(ctx, now.Add(time.Hour), time.Minute, 10); len(more) != 0 {
			t.Errorf("a sent message was claimed again: %+v", more)
		}
	})
}

func TestOutboxLeaseAndRetry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		if err := s.Enqueue(ctx, now, notify.Message{Channel: notify.SMS, To: "+33639980000", Body: "x", Key: "k"}); err != nil {
			t.Fatal(err)
		}
		claim := func(at time.Time) []store.OutboxItem {
			t.Helper()
			got, err := s.ClaimOutbox(ctx, at, time.Minute, 10)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		first := claim(now)
		if len(first) != 1 {
			t.Fatalf("claimed %d, want 1", len(first))
		}
		if got := claim(now.Add(30 * time.Second)); len(got) != 0 {
			t.Error("a message under lease was claimed by another worker")
		}
		// The worker died: once its lease lapses, another takes the message.
		again := claim(now.Add(61 * time.Second))
		if len(again) != 1 || again[0].Attempts != 2 {
			t.Fatalf("after the lease: %+v, want the message on its second attempt", again)
		}
		retry := now.Add(10 * time.Minute)
		if err := s.MarkOutboxFailed(ctx, again[0].ID, "refusé", retry); err != nil {
			t.Fatal(err)
		}
		if got := claim(retry.Add(-time.Second)); len(got) != 0 {
			t.Error("a failed message was claimed before its retry time")
		}
		last := claim(retry)
		if len(last) != 1 || last[0].Attempts != 3 {
			t.Fatalf("at the retry time: %+v", last)
		}
		if err := s.MarkOutboxFailed(ctx, last[0].ID, "refusé", time.Time{}); err != nil {
			t.Fatal(err)
		}
		if got := claim(retry.Add(24 * time.Hour)); len(got) != 0 {
			t.Error("a message given up was claimed again")
		}
		items, _ := s.Outbox(ctx, store.OutboxFilter{})
		if len(items) != 1 || items[0].Status != store.OutboxFailed || items[0].LastError != "refusé" || items[0].Body != "" {
			t.Errorf("given up: %+v", items)
		}
	})
}

// Several workers claiming at once never get the same message.
func TestOutboxConcurrentClaims(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		const n = 200
		msgs := make([]notify.Message, n)
		for i := range msgs {
			msgs[i] = notify.Message{To: "a@test.example", Body: "x", Key: fmt.Sprintf("c:%d", i)}
		}
		if err := s.Enqueue(ctx, now, msgs...); err != nil {
			t.Fatal(err)
		}
		var (
			mu   sync.Mutex
			seen = map[int64]int{}
			wg   sync.WaitGroup
		)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					got, err := s.ClaimOutbox(ctx, now, time.Hour, 7)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, m := range got {
						seen[m.ID]++
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(seen) != n {
			t.Errorf("%d distinct messages claimed, want %d", len(seen), n)
		}
		for id, c := range seen {
			if c != 1 {
				t.Errorf("message %d claimed %d times", id, c)
			}
		}
	})
}

// A stop link given with a message is written into its body, in French,
// for the channel: the outbox keeps no separate column for it.
func TestOutboxStopLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		const link = "https://parcours.example.fr/arret/abc"
		if err := s.Enqueue(ctx, now,
			notify.Message{To: "a@test.example", Subject: "S", Body: "Bonjour.", Key: "stop:mail", StopURL: link},
			notify.Message{Channel: notify.SMS, To: "0612345678", Body: "Bonjour.", Key: "stop:sms", StopURL: link}); err != nil {
			t.Fatal(err)
		}
		got, err := s.ClaimOutbox(ctx, now, time.Minute, 10)
		if err != nil || len(got) != 2 {
			t.Fatalf("claimed %d, %v", len(got), err)
		}
		want := map[string]string{
			"stop:mail": "Bonjour.\n\nPour ne plus recevoir de courriels de Parcours : " + link,
			"stop:sms":  "Bonjour.\nSTOP : " + link,
		}
		for _, m := range got {
			if m.Body != want[m.Key] || m.StopURL != "" || m.Text() != want[m.Key] {
				t.Errorf("%s: body %q, stop %q; want %q", m.Key, m.Body, m.StopURL, want[m.Key])
			}
		}
	})
}

// Messages handed back are due at once, and their claim does not count as
// an attempt; one that another worker claimed since is left alone.
func TestOutboxRelease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		for i := range 3 {
			if err := s.Enqueue(ctx, now, notify.Message{To: "a@test.example", Body: "x", Key: fmt.Sprintf("r:%d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		first, err := s.ClaimOutbox(ctx, now, time.Minute, 10)
		if err != nil || len(first) != 3 {
			t.Fatalf("claimed %d, %v", len(first), err)
		}
		if err := s.ReleaseOutbox(ctx, first[1:], now); err != nil {
			t.Fatal(err)
		}
		later := now.Add(time.Second)
		again, err := s.ClaimOutbox(ctx, later, time.Minute, 10)
		if err != nil || len(again) != 2 {
			t.Fatalf("after release: claimed %d, %v; want the 2 handed back", len(again), err)
		}
		for _, m := range again {
			if m.Attempts != 1 {
				t.Errorf("message %d on attempt %d, want 1: a release is no attempt", m.ID, m.Attempts)
			}
		}
		// A stale release (its claim was overtaken) changes nothing.
		if err := s.ReleaseOutbox(ctx, first[1:2], later); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.ClaimOutbox(ctx, later, time.Minute, 10); len(got) != 0 {
			t.Errorf("a stale release freed %d messages", len(got))
		}
	})
}

// contactStop records that the person stopped the channel, as the stop
// link does, by SQL of its own: the link's handler is not the outbox's.
func contactStop(t *testing.T, dsn string, personID int64, ch notify.Channel, at time.Time) {
	t.Helper()
	driver, q := "sqlite", "INSERT INTO contact_stops (person_id, channel, stopped_at) VALUES (?, ?, ?)"
	if store.IsPostgresURL(dsn) {
		driver, q = "pgx", strings.NewReplacer("?, ?, ?", "$1, $2, $3").Replace(q)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q, personID, string(ch), at.UTC()); err != nil {
		t.Fatal(err)
	}
}

func TestOutboxStopped(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			dsn := storetest.DSN(t, e)
			s := storetest.OpenDSN(t, dsn)
			ctx := context.Background()
			tr, _, _ := fixture(t, s)
			ps := []person.Person{{TerritoryID: tr.ID, FirstName: "Jeanne", LastName: "Martin",
				BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)}}
			if err := s.InsertPersons(ctx, ps); err != nil {
				t.Fatal(err)
			}
			contactStop(t, dsn, ps[0].ID, notify.SMS, time.Now())
			for _, tc := range []struct {
				person int64
				ch     notify.Channel
				want   bool
			}{{ps[0].ID, notify.SMS, true}, {ps[0].ID, notify.Email, false}, {ps[0].ID + 1, notify.SMS, false}} {
				got, err := s.OutboxStopped(ctx, tc.person, tc.ch)
				if err != nil || got != tc.want {
					t.Errorf("OutboxStopped(%d, %s) = %v, %v; want %v", tc.person, tc.ch, got, err, tc.want)
				}
			}
		})
	}
}
