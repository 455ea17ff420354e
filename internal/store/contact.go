package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/audit"
	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/person"
)

// The channels a person stopped: each message to the person carries a link
// that stops its channel (appointment_notice.go makes them), the outbox
// then skips that channel (OutboxStopped), and only the person's team can
// open it again, when the person asks.

// channelWords names a channel in a timeline line.
var channelWords = map[notify.Channel]string{notify.Email: "courriels", notify.SMS: "SMS"}

// StopLink returns the channel and the person a stop link's token names,
// and stops nothing: the page of the link asks first, since mail scanners
// open links. An unknown token is ErrLinkInvalid.
func (s *Store) StopLink(ctx context.Context, token string) (channel string, personID int64, err error) {
	return stopLink(ctx, s.reader(), token)
}

func stopLink(ctx context.Context, d db, token string) (string, int64, error) {
	var channel string
	var personID int64
	err := d.queryRow(ctx, `SELECT channel, person_id FROM contact_stop_links WHERE token_hash = ?`,
		account.HashToken(token)).Scan(&channel, &personID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, ErrLinkInvalid
	}
	if err != nil {
		return "", 0, fmt.Errorf("store: stop link: %w", err)
	}
	return channel, personID, nil
}

// StopByLink stops the channel a stop link names for its person, and
// returns both. A link works as often as it is used, for as long as the
// person exists: stopping a channel already stopped keeps the first date
// and writes nothing else. A new stop writes, in the same transaction, a
// timeline line that tells the team why messages no longer reach the
// person, and its audit entry (no account, no structure: the person acted).
// An unknown token is ErrLinkInvalid.
func (s *Store) StopByLink(ctx context.Context, token string, at time.Time) (channel string, personID int64, err error) {
	err = s.tx(ctx, func(d db) error {
		var err error
		if channel, personID, err = stopLink(ctx, d, token); err != nil {
			return err
		}
		res, err := d.exec(ctx, `INSERT INTO contact_stops (person_id, channel, stopped_at) VALUES (?, ?, ?)
			ON CONFLICT (person_id, channel) DO NOTHING`, personID, channel, at.UTC())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		by := Actor{At: at}
		summary := "La personne ne souhaite plus recevoir de " + channelWords[notify.Channel(channel)] +
			" de Parcours (lien d'un message)"
		if err := by.event(ctx, d, personID, person.EventIdentityUpdated, summary, "", "", 0); err != nil {
			return err
		}
		e := by.entry(personID, person.SectionIdentity, audit.ActionUpdate)
		e.Reason = "stop link"
		return s.AuditInTx(ctx, d, e)
	})
	if err != nil {
		if errors.Is(err, ErrLinkInvalid) {
			return "", 0, ErrLinkInvalid
		}
		return "", 0, fmt.Errorf("store: stop by link: %w", err)
	}
	return channel, personID, nil
}

// StoppedChannels lists the channels the person stopped ("email", "sms"),
// sorted.
func (s *Store) StoppedChannels(ctx context.Context, personID int64) ([]string, error) {
	out, err := collect(ctx, s.reader(), func(rows *sql.Rows) (string, error) {
		var ch string
		err := rows.Scan(&ch)
		return ch, err
	}, `SELECT channel FROM contact_stops WHERE person_id = ? ORDER BY channel`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: stopped channels: %w", err)
	}
	return out, nil
}

// ResumeChannel opens again a channel the person stopped, when they ask
// their team to write to them again: the next messages on it are sent.
// The timeline line and the audit entry of the actor go with it, in one
// transaction; a channel that was not stopped changes nothing and writes
// nothing. An unknown channel is an error.
func (s *Store) ResumeChannel(ctx context.Context, personID int64, channel string, by Actor) error {
	ch := notify.Channel(channel)
	if !ch.Valid() {
		return fmt.Errorf("store: resume channel: canal inconnu %q", channel)
	}
	err := s.tx(ctx, func(d db) error {
		res, err := d.exec(ctx, `DELETE FROM contact_stops WHERE person_id = ? AND channel = ?`, personID, channel)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		summary := "Les " + channelWords[ch] + " de Parcours sont rétablis, à la demande de la personne"
		if err := by.event(ctx, d, personID, person.EventIdentityUpdated, summary, "", "", 0); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(personID, person.SectionIdentity, audit.ActionUpdate))
	})
	if err != nil {
		return fmt.Errorf("store: resume channel: %w", err)
	}
	return nil
}
