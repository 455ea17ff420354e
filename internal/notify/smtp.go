package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// The ways an SMTP connection is secured (SMTP.StartTLS).
const (
	// TLSRequired refuses a server that does not offer STARTTLS: nothing,
	// credentials or message, crosses the network in clear.
	TLSRequired = "required"
	// TLSOpportunistic uses STARTTLS when the server offers it; without
	// it, the message goes in clear and credentials are never sent.
	TLSOpportunistic = "opportunistic"
	// TLSNone never starts TLS: for a server on the loopback interface
	// only (tests, a local relay), which Validate enforces.
	TLSNone = "none"
)

// SMTP sends email through a submission server (RFC 6409, port 587):
// EHLO, STARTTLS, AUTH PLAIN, then one message per connection. It uses the
// standard library's net/smtp, frozen but maintained and enough for a
// client that only submits: the MIME message is built here (mime.go).
type SMTP struct {
	Addr     string // host:port of the server
	Host     string // the name the server's certificate must hold; the host of Addr when empty
	Username string // no AUTH when empty
	Password string
	// From is the sender, with or without a name:
	// "Parcours <ne-pas-repondre@parcours.example.fr>". Its domain names the
	// Message-ID and the EHLO.
	From string
	// StartTLS is TLSRequired (when empty), TLSOpportunistic or TLSNone.
	StartTLS  string
	TLSConfig *tls.Config   // the system's roots and Host when nil
	Timeout   time.Duration // for the whole exchange of one message; 30 s when zero
}

// Validate checks the settings, with messages for the person who deploys.
func (s SMTP) Validate() error {
	host, port, err := net.SplitHostPort(s.Addr)
	if err != nil || host == "" {
		return fmt.Errorf("serveur SMTP %q : adresse invalide (attendu : hôte:port, par exemple smtp.exemple.fr:587)", s.Addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n <= 0 || n > 65535 {
		return fmt.Errorf("serveur SMTP %q : port invalide", s.Addr)
	}
	if _, err := s.sender(); err != nil {
		return err
	}
	switch s.StartTLS {
	case "", TLSRequired, TLSOpportunistic:
	case TLSNone:
		if !loopback(host) {
			return fmt.Errorf("serveur SMTP %s : « none » (sans TLS) n'est permis que sur la boucle locale (127.0.0.1, localhost)", s.Addr)
		}
	default:
		return fmt.Errorf("mode TLS SMTP %q inconnu (attendu : required, opportunistic ou none)", s.StartTLS)
	}
	if (s.Username == "") != (s.Password == "") {
		return errors.New("SMTP : l'identifiant et le mot de passe vont ensemble (les deux, ou aucun)")
	}
	if strings.ContainsAny(s.Username+s.Password, "\x00\r\n") {
		return errors.New("SMTP : l'identifiant ou le mot de passe contient un caractère interdit")
	}
	return nil
}

// sender parses From.
func (s SMTP) sender() (*mail.Address, error) {
	a, err := mail.ParseAddress(s.From)
	if err != nil || strings.ContainsAny(s.From, "\r\n") || domainOf(a.Address) == "" {
		return nil, fmt.Errorf("expéditeur SMTP %q invalide (attendu : Parcours <ne-pas-repondre@exemple.fr>)", s.From)
	}
	return a, nil
}

// loopback reports whether host is the loopback interface.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// domainOf is the part of an address after the last "@".
func domainOf(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return ""
	}
	return addr[i+1:]
}

// Send sends the message.
func (s SMTP) Send(ctx context.Context, m Message) error {
	_, err := s.SendRef(ctx, m)
	return err
}

// SendRef sends the message and returns its Message-ID, which depends on
// the outbox row only: a retry of the same row carries the same id, so a
// message the server took twice (a crash between its acceptance and the
// outbox's record) shows once in the recipient's mailbox.
//
// The connection is given up as soon as the server accepted the message:
// QUIT is sent but its reply is not awaited, so that the caller records the
// delivery without delay. Errors never hold the body, and the recipient's
// address is masked in them; a refusal of the recipient or of the content
// (5xx) is permanent.
func (s SMTP) SendRef(ctx context.Context, m Message) (string, error) {
	if err := s.Validate(); err != nil {
		return "", err
	}
	from, _ := s.sender()
	raw, id, err := compose(m, from, time.Now())
	if err != nil {
		return "", Permanent(fmt.Errorf("courriel : %w", err))
	}
	to, _ := mail.ParseAddress(m.To) // checked by compose
	if err := s.exchange(ctx, from.Address, to.Address, raw); err != nil {
		return "", masked(err, to.Address, m.To)
	}
	return id, nil
}

// exchange runs one SMTP transaction on a fresh connection.
func (s SMTP) exchange(ctx context.Context, from, to string, raw []byte) error {
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	host, _, _ := net.SplitHostPort(s.Addr)
	name := s.Host
	if name == "" {
		name = host
	}
	deadline := time.Now().Add(timeout) // for the whole exchange, connection included
	d := net.Dialer{Deadline: deadline}
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("smtp : connexion à %s impossible : %w", s.Addr, err)
	}
	_ = conn.SetDeadline(deadline)
	// Cancelling ctx ends whatever the connection is waiting for.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	c, err := smtp.NewClient(conn, name)
	if err != nil {
		_ = conn.Close()
		return fmt.Errorf("smtp : accueil du serveur %s : %w", s.Addr, err)
	}
	defer c.Close()
	if err := c.Hello(domainOf(from)); err != nil {
		return fmt.Errorf("smtp : EHLO : %w", err)
	}
	mode := s.StartTLS
	if mode == "" {
		mode = TLSRequired
	}
	secure := false
	if offered, _ := c.Extension("STARTTLS"); offered && mode != TLSNone {
		cfg := &tls.Config{MinVersion: tls.VersionTLS12}
		if s.TLSConfig != nil {
			cfg = s.TLSConfig.Clone()
		}
		if cfg.ServerName == "" {
			cfg.ServerName = name
		}
		if err := c.StartTLS(cfg); err != nil {
			return fmt.Errorf("smtp : STARTTLS avec %s : %w", s.Addr, err)
		}
		secure = true
	} else if mode == TLSRequired {
		return fmt.Errorf("smtp : le serveur %s ne propose pas STARTTLS ; envoi refusé sans chiffrement (PARCOURS_SMTP_TLS)", s.Addr)
	}
	if s.Username != "" {
		if !secure && mode != TLSNone {
			return fmt.Errorf("smtp : le serveur %s ne propose pas STARTTLS ; identifiants non envoyés en clair", s.Addr)
		}
		// net/smtp's PLAIN also refuses a connection in clear, but to the
		// loopback interface.
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, name)); err != nil {
			return fmt.Errorf("smtp : authentification refusée par %s : %w", s.Addr, err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("smtp : expéditeur refusé : %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return permanentIf5xx(fmt.Errorf("smtp : destinataire refusé : %w", err))
	}
	w, err := c.Data()
	if err != nil {
		return permanentIf5xx(fmt.Errorf("smtp : DATA : %w", err))
	}
	if _, err := w.Write(raw); err != nil {
		return fmt.Errorf("smtp : envoi du message : %w", err)
	}
	if err := w.Close(); err != nil { // the server's reply to the message
		return permanentIf5xx(fmt.Errorf("smtp : message refusé : %w", err))
	}
	// Accepted: the message is the server's now. Say goodbye without
	// waiting for the reply; c.Close (deferred) ends the connection.
	_ = c.Text.PrintfLine("QUIT")
	return nil
}

// permanentIf5xx marks err permanent when the server answered 5xx.
func permanentIf5xx(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 {
		return Permanent(err)
	}
	return err
}

// maskedError is an error whose message hides the recipient (a server's
// reply often quotes it), so that it can be logged and stored.
type maskedError struct {
	msg string
	err error
}

func (e maskedError) Error() string { return e.msg }
func (e maskedError) Unwrap() error { return e.err }

// masked hides each non-empty value of who in err's message.
func masked(err error, who ...string) error {
	msg := err.Error()
	for _, v := range who {
		if v = strings.TrimSpace(v); v != "" {
			msg = strings.ReplaceAll(msg, v, "<destinataire>")
		}
	}
	return maskedError{msg, err}
}
