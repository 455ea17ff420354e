// Package jobs is the background work of Parcours: the worker that delivers
// the outbox and runs the periodic tasks (expiries, reminders, clean-ups).
// Its state lives in the database, so several instances may run it at once:
// outbox rows are claimed with a lease, and every task is idempotent.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/store"
)

// Task is a periodic piece of work. Run does what is due at now and says how
// many things it did; it must be idempotent and safe to run on several
// instances at once.
type Task struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context, now time.Time) (int, error)
}

// Worker delivers the outbox and runs the tasks.
type Worker struct {
	Store   *store.Store
	Senders map[notify.Channel]notify.Sender
	Tasks   []Task
	Now     func() time.Time // time.Now when nil
	Log     *slog.Logger     // slog.Default when nil
	// Poll is how often Run looks at the outbox (2 s when zero).
	Poll time.Duration
	// Lease is how long a claimed message stays the worker's before another
	// may take it (2 minutes when zero).
	Lease time.Duration
	// Batch is how many messages one claim takes (50 when zero).
	Batch int
	// Attempts is how many times a message is tried before it is given up
	// (8 when zero).
	Attempts int
}

func (w *Worker) now() time.Time {
	if w.Now == nil {
		return time.Now()
	}
	return w.Now()
}

func (w *Worker) log() *slog.Logger {
	if w.Log == nil {
		return slog.Default()
	}
	return w.Log
}

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Backoff is the wait before the next attempt of a message tried attempts
// times: one minute, doubling, at most six hours.
func Backoff(attempts int) time.Duration {
	d := time.Minute
	for i := 1; i < attempts && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// Drain delivers every message due now, batch after batch, and returns how
// many were sent. A failed delivery is retried later (Backoff) or given up
// after the last attempt; it does not stop the others.
func (w *Worker) Drain(ctx context.Context) (int, error) {
	batch := orDefault(w.Batch, 50)
	sent := 0
	for {
		msgs, err := w.Store.ClaimOutbox(ctx, w.now(), orDefault(w.Lease, 2*time.Minute), batch)
		if err != nil {
			return sent, err
		}
		for _, m := range msgs {
			if err := ctx.Err(); err != nil {
				return sent, err // the lease lets another worker take the rest
			}
			ok, err := w.deliver(ctx, m)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
		if len(msgs) < batch {
			return sent, nil
		}
	}
}

// deliver sends one claimed message and records the outcome. It reports
// whether the message was sent; the error is the store's, not the sender's.
func (w *Worker) deliver(ctx context.Context, m store.OutboxItem) (bool, error) {
	snd, ok := w.Senders[m.Channel]
	var err error
	if !ok || snd == nil {
		err = fmt.Errorf("aucun moyen d'envoi configuré pour le canal %s", m.Channel)
	} else {
		err = snd.Send(ctx, m.Message)
	}
	if err == nil {
		return true, w.Store.MarkOutboxSent(ctx, m.ID, w.now())
	}
	retry := time.Time{}
	if m.Attempts < orDefault(w.Attempts, 8) {
		retry = w.now().Add(Backoff(m.Attempts))
	}
	// The log names the row, never the recipient or the content.
	w.log().WarnContext(ctx, "message non remis", "outbox_id", m.ID, "channel", string(m.Channel),
		"attempt", m.Attempts, "final", retry.IsZero(), "error", err.Error())
	return false, w.Store.MarkOutboxFailed(ctx, m.ID, err.Error(), retry)
}

// RunTasks runs every task once, now, and returns their errors joined.
func (w *Worker) RunTasks(ctx context.Context) error {
	var errs []error
	for _, t := range w.Tasks {
		errs = append(errs, w.runTask(ctx, t))
	}
	return errors.Join(errs...)
}

func (w *Worker) runTask(ctx context.Context, t Task) error {
	n, err := t.Run(ctx, w.now())
	if err != nil {
		w.log().WarnContext(ctx, "tâche en échec", "task", t.Name, "error", err.Error())
		return fmt.Errorf("jobs: %s: %w", t.Name, err)
	}
	if n > 0 {
		w.log().InfoContext(ctx, "tâche faite", "task", t.Name, "count", n)
	}
	return nil
}

// Run delivers the outbox every Poll and runs each task every Every (the
// first time at start), until ctx ends. Errors are logged, never fatal: the
// next round tries again.
func (w *Worker) Run(ctx context.Context) {
	tick := time.NewTicker(orDefault(w.Poll, 2*time.Second))
	defer tick.Stop()
	last := make([]time.Time, len(w.Tasks))
	for {
		for i, t := range w.Tasks {
			if now := w.now(); last[i].IsZero() || now.Sub(last[i]) >= t.Every {
				last[i] = now
				_ = w.runTask(ctx, t)
			}
		}
		if _, err := w.Drain(ctx); err != nil && ctx.Err() == nil {
			w.log().WarnContext(ctx, "envoi des messages interrompu", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
