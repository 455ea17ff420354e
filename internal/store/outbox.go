package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/notify"
)

// The states of an outbox row.
const (
	OutboxPending = "pending" // waiting for its next attempt
	OutboxSending = "sending" // claimed by a worker until its lease ends
	OutboxSent    = "sent"
	OutboxFailed  = "failed" // given up after the last attempt
)

// OutboxRefStopped is the provider reference of a message not sent because
// the person had stopped its channel: the row is closed as sent, its body
// erased, and nothing leaves Parcours.
const OutboxRefStopped = "stopped"

// OutboxItem is a row of the outbox, as the pages and tests read it.
type OutboxItem struct {
	notify.Message
	Status    string
	Attempts  int
	CreatedAt time.Time
	NextAt    time.Time
	SentAt    time.Time
	LastError string
	// LeaseUntil is, for a claimed message, the end of the claim's lease:
	// it tells this claim from a later one.
	LeaseUntil time.Time
	// ProviderRef is the provider's reference of the message sent (the
	// Message-ID of an email, the SMS provider's id), or OutboxRefStopped.
	ProviderRef string
}

// enqueue writes messages to the outbox inside the caller's transaction, so
// that they exist if and only if the change that causes them commits. A key
// already in the outbox is skipped: one message per key, ever. A message's
// stop link is written into its body (notify.Message.Text).
func (s *Store) enqueue(ctx context.Context, d db, at time.Time, msgs ...notify.Message) error {
	for _, m := range msgs {
		if m.Channel == "" {
			m.Channel = notify.Email
		}
		m.Body, m.StopURL = m.Text(), ""
		switch {
		case !m.Channel.Valid():
			return fmt.Errorf("store: outbox: canal inconnu %q", m.Channel)
		case strings.TrimSpace(m.To) == "":
			continue // nobody to tell: the recipient has no address on this channel
		case m.Key == "":
			return errors.New("store: outbox: message sans clé d'idempotence")
		}
		var att string
		if len(m.Attachments) > 0 {
			b, err := json.Marshal(m.Attachments)
			if err != nil {
				return fmt.Errorf("store: outbox: attachments: %w", err)
			}
			att = string(b)
		}
		if _, err := d.exec(ctx, `INSERT INTO outbox (event_key, channel, recipient, subject, body, attachments, person_id,
			status, created_at, next_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (event_key) DO NOTHING`,
			m.Key, string(m.Channel), m.To, m.Subject, m.Body, att, nullID(m.PersonID), at.UTC(), at.UTC()); err != nil {
			return fmt.Errorf("store: outbox: %w", err)
		}
	}
	return nil
}

// Enqueue writes messages to the outbox on their own, for the messages
// that no store write causes. Messages without a recipient are skipped.
func (s *Store) Enqueue(ctx context.Context, at time.Time, msgs ...notify.Message) error {
	return s.tx(ctx, func(d db) error { return s.enqueue(ctx, d, at, msgs...) })
}

// ClaimOutbox takes up to limit messages due at now (pending ones whose
// next attempt has come, and claimed ones whose worker let its lease
// lapse), marks them sending until now+lease and returns them. Several
// workers, on several instances, never claim the same row at once.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]OutboxItem, error) {
	var out []OutboxItem
	until := now.Add(lease).UTC()
	err := s.tx(ctx, func(d db) error {
		rows, err := d.query(ctx, `UPDATE outbox SET status = 'sending', attempts = attempts + 1, lease_until = ?, next_at = ?
			WHERE id IN (SELECT id FROM outbox WHERE status IN ('pending', 'sending') AND next_at <= ?
				ORDER BY next_at, id LIMIT ?`+s.skipLocked()+`)
			RETURNING id, event_key, channel, recipient, subject, body, attachments, person_id, attempts, lease_until`,
			until, until, now.UTC(), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				m      OutboxItem
				ch     string
				att    string
				person sql.NullInt64
			)
			if err := rows.Scan(&m.ID, &m.Key, &ch, &m.To, &m.Subject, &m.Body, &att, &person, &m.Attempts,
				&m.LeaseUntil); err != nil {
				return err
			}
			m.Channel, m.PersonID, m.Status = notify.Channel(ch), person.Int64, OutboxSending
			if att != "" {
				if err := json.Unmarshal([]byte(att), &m.Attachments); err != nil {
					return fmt.Errorf("attachments of %d: %w", m.ID, err)
				}
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim outbox: %w", err)
	}
	return out, nil
}

// MarkOutboxSent records a delivery with the provider's reference (ref,
// possibly empty, or OutboxRefStopped) and erases the body and
// attachments, which may hold a single-use link. The worker calls it the
// moment the provider accepted the message: until it commits, a crash
// leaves the row claimed, and it is sent again once the lease lapses.
func (s *Store) MarkOutboxSent(ctx context.Context, id int64, at time.Time, ref string) error {
	_, err := s.writer().exec(ctx, `UPDATE outbox SET status = 'sent', sent_at = ?, provider_ref = ?, body = '',
		attachments = '', lease_until = NULL, last_error = '' WHERE id = ?`, at.UTC(), ref, id)
	if err != nil {
		return fmt.Errorf("store: outbox sent: %w", err)
	}
	return nil
}

// ReleaseOutbox hands back claimed messages the worker did not try (it is
// stopping, or their lease is running out): they are due again at once,
// and the claim does not count as an attempt. A message claimed again
// since (its lease is not the one of the item) is left alone.
func (s *Store) ReleaseOutbox(ctx context.Context, items []OutboxItem, at time.Time) error {
	if len(items) == 0 {
		return nil
	}
	err := s.tx(ctx, func(d db) error {
		for _, it := range items {
			if _, err := d.exec(ctx, `UPDATE outbox SET status = 'pending', attempts = attempts - 1, next_at = ?,
				lease_until = NULL WHERE id = ? AND status = 'sending' AND lease_until = ?`, at.UTC(), it.ID, it.LeaseUntil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: outbox release: %w", err)
	}
	return nil
}

// OutboxStopped reports whether the person stopped the channel (by the
// link of a message): the worker then sends them nothing on it.
func (s *Store) OutboxStopped(ctx context.Context, personID int64, ch notify.Channel) (bool, error) {
	var one int
	err := s.reader().queryRow(ctx, `SELECT 1 FROM contact_stops WHERE person_id = ? AND channel = ?`, personID,
		string(ch)).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("store: contact stops: %w", err)
	}
	return true, nil
}

// MarkOutboxFailed records a failed attempt: the message is tried again at
// retry, or given up for good when retry is zero (its body is then erased
// too).
func (s *Store) MarkOutboxFailed(ctx context.Context, id int64, reason string, retry time.Time) error {
	var err error
	if retry.IsZero() {
		_, err = s.writer().exec(ctx, `UPDATE outbox SET status = 'failed', body = '', attachments = '', lease_until = NULL,
			last_error = ? WHERE id = ?`, reason, id)
	} else {
		_, err = s.writer().exec(ctx, `UPDATE outbox SET status = 'pending', next_at = ?, lease_until = NULL, last_error = ?
			WHERE id = ?`, retry.UTC(), reason, id)
	}
	if err != nil {
		return fmt.Errorf("store: outbox failed: %w", err)
	}
	return nil
}

// OutboxFilter selects outbox rows: those of a person, or those whose key
// starts with a prefix.
type OutboxFilter struct {
	PersonID  int64
	KeyPrefix string
	Limit     int
}

// Outbox lists outbox rows, newest first.
func (s *Store) Outbox(ctx context.Context, f OutboxFilter) ([]OutboxItem, error) {
	q := `SELECT id, event_key, channel, recipient, subject, body, person_id, status, attempts, created_at, next_at,
		sent_at, last_error, provider_ref, lease_until FROM outbox WHERE 1 = 1`
	var args []any
	if f.PersonID != 0 {
		q += " AND person_id = ?"
		args = append(args, f.PersonID)
	}
	if f.KeyPrefix != "" {
		q += " AND substr(event_key, 1, ?) = ?"
		args = append(args, len(f.KeyPrefix), f.KeyPrefix)
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, f.Limit)
	rows, err := s.reader().query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxItem
	for rows.Next() {
		var (
			it     OutboxItem
			ch     string
			person sql.NullInt64
			sent   sql.NullTime
			lease  sql.NullTime
		)
		if err := rows.Scan(&it.ID, &it.Key, &ch, &it.To, &it.Subject, &it.Body, &person, &it.Status, &it.Attempts,
			&it.CreatedAt, &it.NextAt, &sent, &it.LastError, &it.ProviderRef, &lease); err != nil {
			return nil, fmt.Errorf("store: outbox: %w", err)
		}
		it.Channel, it.PersonID, it.SentAt, it.LeaseUntil = notify.Channel(ch), person.Int64, timeOf(sent), timeOf(lease)
		it.CreatedAt, it.NextAt = it.CreatedAt.UTC(), it.NextAt.UTC()
		out = append(out, it)
	}
	return out, rows.Err()
}
