// Package jobs is the background work of Parcours: the worker that delivers
// the outbox and runs the periodic tasks (expiries, reminders, clean-ups).
// Its state lives in the database, so several instances may run it at once:
// outbox rows are claimed with a lease, and every task is idempotent.
//
// # Delivery guarantee
//
// Every message written to the outbox is sent, unless the person stopped
// its channel or it fails on every attempt, and it is sent once, but in one
// case:
//
//   - One worker at a time holds a message: the claim takes it with a lease
//     (FOR UPDATE SKIP LOCKED on PostgreSQL, the single writer on SQLite),
//     so two instances never send it together. A worker starts a send only
//     in the first half of its lease and hands back the rest of its batch
//     after that, leaving the second half to the send itself: a sender's
//     timeout must be shorter than half the lease (30 s for notify.SMTP and
//     notify.Brevo, 2 minutes of lease by default), and the instances'
//     clocks must agree within what remains.
//   - A worker that dies (crash, kill, power cut) before the provider
//     accepted a message leaves it claimed: it is claimed again when the
//     lease lapses and sent then. Nothing is lost.
//   - The moment the provider accepts a message, the worker marks it sent
//     (one small UPDATE, which a cancelled context does not stop and which
//     is tried again for a few seconds), and a message marked sent is never
//     claimed again. Nothing is repeated.
//   - The one window left is between the provider's acceptance and the
//     commit of that mark, a few milliseconds: a crash there, or a database
//     that stays down through the retries, sends the message again once the
//     lease lapses. The email sent again carries the same Message-ID
//     (notify.SMTP derives it from the outbox row), which mail clients and
//     most servers show once; an SMS arrives twice. No protocol here closes
//     the window: SMTP and Brevo's API take no idempotency key.
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
	// may take it (2 minutes when zero). Sends start only in its first
	// half: a sender's timeout must be shorter than Lease/2.
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
// after the last attempt, at once when the failure is permanent
// (notify.ErrPermanent); it does not stop the others. When ctx ends, the
// messages claimed and not tried are handed back for the next start.
func (w *Worker) Drain(ctx context.Context) (int, error) {
	batch := orDefault(w.Batch, 50)
	lease := orDefault(w.Lease, 2*time.Minute)
	sent := 0
	for {
		claimed := w.now()
		msgs, err := w.Store.ClaimOutbox(ctx, claimed, lease, batch)
		if err != nil {
			return sent, err
		}
		more := len(msgs) == batch
		for i, m := range msgs {
			if err := ctx.Err(); err != nil {
				w.release(ctx, msgs[i:])
				return sent, err
			}
			if i > 0 && w.now().Sub(claimed) >= lease/2 {
				// Too late to start a send under this lease: claim again.
				w.release(ctx, msgs[i:])
				more = true
				break
			}
			ok, err := w.deliver(ctx, m)
			if err != nil {
				w.release(ctx, msgs[i+1:])
				return sent, err
			}
			if ok {
				sent++
			}
		}
		if !more {
			return sent, nil
		}
	}
}

// release hands claimed messages back, even when ctx has ended; on
// failure their lease lapses and they are taken again later.
func (w *Worker) release(ctx context.Context, msgs []store.OutboxItem) {
	if len(msgs) == 0 {
		return
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := w.Store.ReleaseOutbox(rctx, msgs, w.now()); err != nil {
		w.log().WarnContext(ctx, "messages réservés non rendus (repris à la fin du bail)", "count", len(msgs),
			"error", err.Error())
	}
}

// deliver sends one claimed message and records the outcome. It reports
// whether the message was sent; the error is the store's, not the sender's.
// A message to a person who stopped its channel is closed unsent.
func (w *Worker) deliver(ctx context.Context, m store.OutboxItem) (bool, error) {
	if m.PersonID != 0 {
		stopped, err := w.Store.OutboxStopped(ctx, m.PersonID, m.Channel)
		if err != nil {
			w.release(ctx, []store.OutboxItem{m}) // not sent: due again at once
			return false, err
		}
		if stopped {
			w.log().InfoContext(ctx, "message non envoyé : la personne a arrêté ce canal", "outbox_id", m.ID,
				"channel", string(m.Channel))
			return false, w.markSent(ctx, m.ID, store.OutboxRefStopped)
		}
	}
	snd, ok := w.Senders[m.Channel]
	var (
		ref string
		err error
	)
	if !ok || snd == nil {
		err = fmt.Errorf("aucun moyen d'envoi configuré pour le canal %s", m.Channel)
	} else {
		ref, err = notify.Deliver(ctx, snd, m.Message)
	}
	if err == nil {
		return true, w.markSent(ctx, m.ID, ref)
	}
	if ctx.Err() != nil {
		// Interrupted by the shutdown, not refused: not an attempt.
		w.release(ctx, []store.OutboxItem{m})
		return false, nil
	}
	retry := time.Time{}
	if m.Attempts < orDefault(w.Attempts, 8) && !errors.Is(err, notify.ErrPermanent) {
		retry = w.now().Add(Backoff(m.Attempts))
	}
	// The log names the row, never the recipient or the content.
	w.log().WarnContext(ctx, "message non remis", "outbox_id", m.ID, "channel", string(m.Channel),
		"attempt", m.Attempts, "final", retry.IsZero(), "error", err.Error())
	return false, w.Store.MarkOutboxFailed(ctx, m.ID, err.Error(), retry)
}

// markSent records a delivery at once. The write outlives ctx (a shutdown
// must not leave a sent message unmarked, to be sent again) and is tried
// again for a few seconds if the database fails.
func (w *Worker) markSent(ctx context.Context, id int64, ref string) error {
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	wait := 50 * time.Millisecond
	for {
		err := w.Store.MarkOutboxSent(mctx, id, w.now(), ref)
		if err == nil {
			return nil
		}
		select {
		case <-mctx.Done():
			return err
		case <-time.After(wait):
			wait = min(2*wait, time.Second)
		}
	}
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
