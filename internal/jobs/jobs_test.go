package jobs_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/jobs"
	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
)

// flaky fails its first n sends.
type flaky struct {
	mu   sync.Mutex
	n    int
	sent []notify.Message
}

func (f *flaky) Send(_ context.Context, m notify.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n > 0 {
		f.n--
		return errors.New("serveur indisponible")
	}
	f.sent = append(f.sent, m)
	return nil
}

func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		attempts int
		want     time.Duration
	}{{1, time.Minute}, {2, 2 * time.Minute}, {3, 4 * time.Minute}, {9, 256 * time.Minute}, {10, 6 * time.Hour}, {40, 6 * time.Hour}} {
		if got := jobs.Backoff(tc.attempts); got != tc.want {
			t.Errorf("Backoff(%d) = %s, want %s", tc.attempts, got, tc.want)
		}
	}
}

func TestDrainRetriesThenGivesUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		mail := &flaky{n: 2}
		w := &jobs.Worker{Store: s, Senders: map[notify.Channel]notify.Sender{notify.Email: mail}, Attempts: 3,
			Now: func() time.Time { return now }}
		if err := s.Enqueue(ctx, now,
			notify.Message{To: "a@test.example", Subject: "S", Body: "B", Key: "mail"},
			notify.Message{Channel: notify.SMS, To: "+33639980000", Body: "B", Key: "sms"}); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			after time.Duration
			sent  int
		}{
			{0, 0},                // the email fails once, no SMS sender
			{30 * time.Second, 0}, // nothing due before the backoff
			{time.Minute, 0},      // second failure of the email
			{2 * time.Minute, 1},  // third attempt of the email: sent; the SMS is given up
			{24 * time.Hour, 0},
		}
		for _, st := range steps {
			now = now.Add(st.after)
			n, err := w.Drain(ctx)
			if err != nil || n != st.sent {
				t.Fatalf("at +%s: sent %d, %v; want %d", st.after, n, err, st.sent)
			}
		}
		if len(mail.sent) != 1 || mail.sent[0].Subject != "S" || mail.sent[0].ID == 0 {
			t.Errorf("delivered %+v", mail.sent)
		}
		items, _ := s.Outbox(ctx, store.OutboxFilter{})
		status := map[string]string{}
		for _, it := range items {
			status[it.Key] = it.Status
		}
		if status["mail"] != store.OutboxSent || status["sms"] != store.OutboxFailed {
			t.Errorf("statuses %v", status)
		}
	})
}

func TestRunTasks(t *testing.T) {
	var got []time.Time
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	w := &jobs.Worker{Now: func() time.Time { return now }, Tasks: []jobs.Task{
		{Name: "ok", Every: time.Hour, Run: func(_ context.Context, at time.Time) (int, error) { got = append(got, at); return 1, nil }},
		{Name: "ko", Every: time.Hour, Run: func(context.Context, time.Time) (int, error) { return 0, errors.New("boum") }},
	}}
	err := w.RunTasks(context.Background())
	if err == nil || len(got) != 1 || !got[0].Equal(now) {
		t.Errorf("RunTasks: %v, ran at %v", err, got)
	}
}
