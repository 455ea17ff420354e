// Package notify sends messages to people: email and SMS. Messages carry no
// sensitive content, only what the recipient needs and a link that asks for
// sign-in (or a single-use link that shows only what it is for).
//
// Messages are not sent by the code that causes them: the store writes them
// to the outbox in the same transaction as the change (see store.Enqueue),
// and the jobs worker delivers them through a Sender per channel.
package notify

import (
	"context"
	"log/slog"
	"sync"
)

// Channel is how a message travels.
type Channel string

// The channels Parcours sends on.
const (
	Email Channel = "email"
	SMS   Channel = "sms"
)

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return c == Email || c == SMS }

// Attachment is a file sent with an email, such as an iCalendar invitation.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Data        []byte `json:"data"`
}

// Message is one message to one recipient.
type Message struct {
	// ID is the outbox row, set by the worker when it delivers the message:
	// it stays the same across retries, so senders can derive a stable
	// Message-ID from it.
	ID      int64
	Channel Channel // Email when empty
	To      string  // an email address or a phone number
	Subject string  // email only
	Body    string  // plain text, French
	// Attachments go with an email; SMS ignore them.
	Attachments []Attachment
	// Key makes the message idempotent: the outbox holds at most one
	// message per key, however often the event that causes it is written.
	// Build it from the event and the recipient ("referral:42:sent:account:7").
	Key string
	// PersonID is set when the recipient is the person accompanied.
	PersonID int64
}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Log is the development sender: it writes each message to the log instead
// of delivering it. Never use it in production: bodies may hold links.
type Log struct {
	Logger *slog.Logger
}

// Send logs the message.
func (l Log) Send(ctx context.Context, m Message) error {
	l.Logger.InfoContext(ctx, "message non envoyé (mode développement)", "channel", string(m.Channel), "to", m.To,
		"subject", m.Subject, "body", m.Body)
	return nil
}

// Recorder keeps the messages it is given, for tests. It is safe for
// concurrent use.
type Recorder struct {
	mu       sync.Mutex
	Messages []Message
}

// Send records the message.
func (r *Recorder) Send(_ context.Context, m Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Messages = append(r.Messages, m)
	return nil
}

// Sent returns a copy of the messages recorded so far.
func (r *Recorder) Sent() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.Messages...)
}
