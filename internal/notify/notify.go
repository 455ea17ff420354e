// Package notify sends messages to people: email and SMS. Messages carry no
// sensitive content, only what the recipient needs and a link that asks for
// sign-in (or a single-use link that shows only what it is for).
//
// Messages are not sent by the code that causes them: the store writes them
// to the outbox in the same transaction as the change (see store.Enqueue),
// and the jobs worker delivers them through a Sender per channel: SMTP for
// email (with an iCalendar invitation built by ICS when there is an
// appointment), Brevo for SMS (any SMSProvider would do), Log in
// development. A sender that is a Referencer tells the provider's reference
// of what it sent, which the outbox records.
package notify

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"unicode/utf8"
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
	// PersonID is set when the recipient is the person accompanied: the
	// message is not sent if the person stopped its channel.
	PersonID int64
	// StopURL is the link by which the person stops this channel. When set,
	// the text ends with a line giving it (see Text); the outbox folds that
	// line into the body when it writes the message.
	StopURL string
}

// MaxSMS is the longest SMS text Parcours sends, in characters, stop line
// included: three SMS at most in the GSM alphabet (153 characters each when
// concatenated), five in Unicode (67 each).
const MaxSMS = 320

// SMSRoom is how many characters an SMS body may hold when its stop link
// is stopURL ("" for none): MaxSMS less the stop line that Text appends.
func SMSRoom(stopURL string) int {
	if stopURL == "" {
		return MaxSMS
	}
	return MaxSMS - utf8.RuneCountInString("\n"+stopSMS+stopURL)
}

// The lines that end a message whose StopURL is set.
const (
	stopEmail = "Pour ne plus recevoir de courriels de Parcours : "
	stopSMS   = "STOP : "
)

// Text is the text to send: the body, followed by the line to stop the
// channel when StopURL is set. A body that already holds the stop line is
// left as it is, so Text can be applied twice.
func (m Message) Text() string {
	if m.StopURL == "" {
		return m.Body
	}
	body := strings.TrimRight(m.Body, " \t\r\n")
	if m.Channel == SMS {
		if strings.Contains(body, "\n"+stopSMS) {
			return body
		}
		return body + "\n" + stopSMS + m.StopURL
	}
	if strings.Contains(body, "\n"+stopEmail) {
		return body
	}
	return body + "\n\n" + stopEmail + m.StopURL
}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Referencer is a Sender that tells the provider's reference of what it
// sent (the Message-ID of an email, the provider's id of an SMS), so that
// the outbox records it and a later delivery report can be matched.
type Referencer interface {
	SendRef(ctx context.Context, m Message) (ref string, err error)
}

// Deliver sends m through s and returns the provider's reference when s is
// a Referencer, else "".
func Deliver(ctx context.Context, s Sender, m Message) (string, error) {
	if r, ok := s.(Referencer); ok {
		return r.SendRef(ctx, m)
	}
	return "", s.Send(ctx, m)
}

// ErrPermanent marks a failure that trying again cannot cure: an address
// or a number that is not valid, a message the provider refuses. The
// worker gives such a message up at once instead of retrying it.
var ErrPermanent = errors.New("échec définitif")

// permanentError wraps a failure that retrying cannot cure.
type permanentError struct{ err error }

func (e permanentError) Error() string        { return e.err.Error() }
func (e permanentError) Unwrap() error        { return e.err }
func (e permanentError) Is(target error) bool { return target == ErrPermanent }

// Permanent marks err as a failure that retrying cannot cure
// (errors.Is(err, ErrPermanent) then holds). It returns nil for nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// Log is the development sender: it writes each message to the log instead
// of delivering it. Never use it in production: bodies may hold links.
type Log struct {
	Logger *slog.Logger
}

// Send logs the message.
func (l Log) Send(ctx context.Context, m Message) error {
	l.Logger.InfoContext(ctx, "message non envoyé (mode développement)", "channel", string(m.Channel), "to", m.To,
		"subject", m.Subject, "body", m.Text())
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
