package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/notify"
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
		if err := s.MarkOutboxSent(ctx, c.ID, now); err != nil {
			t.Fatal(err)
		}
		items, err := s.Outbox(ctx, store.OutboxFilter{KeyPrefix: "test:1:"})
		if err != nil || len(items) != 1 {
			t.Fatalf("outbox %+v %v", items, err)
		}
		if it := items[0]; it.Status != store.OutboxSent || it.Body != "" || !it.SentAt.Equal(now) {
			t.Errorf("after sending: %+v, want sent with its body erased", it)
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
