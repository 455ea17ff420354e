// Package notify sends messages to people: email and SMS. Messages carry no
// sensitive content, only what the recipient needs and a link that asks for
// sign-in.
package notify

import (
	"context"
	"log/slog"
)

// Message is one message to one recipient.
type Message struct {
	To      string // an email address or a phone number
	Subject string
	Body    string // plain text, French
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
	l.Logger.InfoContext(ctx, "message non envoyé (mode développement)", "to", m.To, "subject", m.Subject, "body", m.Body)
	return nil
}

// Recorder keeps the messages it is given, for tests.
type Recorder struct {
	Messages []Message
}

// Send records the message.
func (r *Recorder) Send(_ context.Context, m Message) error {
	r.Messages = append(r.Messages, m)
	return nil
}
