package notify_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/notify/notifytest"
)

const (
	from    = "Parcours <ne-pas-repondre@parcours.test>"
	subject = "Votre rendez-vous du 3 décembre à Bobigny : à ne pas manquer, avec des accents àéèêëîïôùûüç et « guillemets »"
	link    = "https://parcours.example.fr/rdv/gerer/9f2c4e1a7b3d5f60"
	stop    = "https://parcours.example.fr/arret/1c0d"
)

func sender(srv *notifytest.Server) notify.SMTP {
	return notify.SMTP{Addr: srv.Addr, Username: "parcours", Password: "s3cret", From: from, TLSConfig: srv.ClientTLS,
		Timeout: 10 * time.Second}
}

func invitation(id int64) notify.Message {
	start := time.Date(2026, 12, 3, 14, 0, 0, 0, paris)
	ics := notify.ICS(notify.Event{UID: "rdv-7@parcours.test", Start: start, End: start.Add(45 * time.Minute),
		Summary: "Rendez-vous d'accompagnement", Location: "Hôtel du Département, Bobigny",
		Organizer: "ne-pas-repondre@parcours.test"}, time.Now())
	return notify.Message{ID: id, To: "jeanne.martin@exemple.fr", Subject: subject, PersonID: 3, StopURL: stop,
		Body: "Bonjour,\n\nVous avez rendez-vous le jeudi 3 décembre à 14 h 00 à l'Hôtel du Département.\n" +
			"Pour le déplacer ou l'annuler : " + link + "\n\n— Parcours, Service public de l'insertion et de l'emploi",
		Attachments: []notify.Attachment{{Name: "rendez-vous.ics", ContentType: "text/calendar", Data: ics}}}
}

// checkLines checks the raw message: CRLF line ends, no line over 78
// octets (998 is the hard limit), ASCII only (everything is encoded).
func checkLines(t *testing.T, raw []byte) {
	t.Helper()
	if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("a line ends with a bare LF")
	}
	for i, l := range bytes.Split(raw, []byte("\r\n")) {
		if len(l) > 78 {
			t.Errorf("line %d has %d octets: %q", i, len(l), l)
		}
		for _, c := range l {
			if c >= 0x80 {
				t.Fatalf("line %d holds a non-ASCII octet: %q", i, l)
			}
		}
	}
}

func TestSMTPSendsInvitationOverSTARTTLS(t *testing.T) {
	srv := notifytest.Start(t, notifytest.Options{Username: "parcours", Password: "s3cret"})
	s := sender(srv)
	ctx := context.Background()
	m := invitation(42)
	ref, err := s.SendRef(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if ref != "<parcours-outbox-42@parcours.test>" {
		t.Errorf("ref = %q, want the Message-ID of outbox row 42", ref)
	}
	// A retry of the same outbox row carries the same Message-ID.
	if again, err := s.SendRef(ctx, m); err != nil || again != ref {
		t.Errorf("second send: %q, %v; want %q", again, err, ref)
	}
	mails := srv.Mails()
	if len(mails) != 2 {
		t.Fatalf("the server received %d messages, want 2", len(mails))
	}
	got := mails[0]
	if !got.TLS || got.User != "parcours" || got.From != "ne-pas-repondre@parcours.test" ||
		len(got.To) != 1 || got.To[0] != "jeanne.martin@exemple.fr" {
		t.Errorf("envelope: TLS %v, user %q, from %q, to %v", got.TLS, got.User, got.From, got.To)
	}
	for _, ml := range mails {
		if id := ml.Header("Message-ID"); id != ref {
			t.Errorf("Message-ID %q, want %q", id, ref)
		}
	}
	checkLines(t, got.Data)

	msg, err := mail.ReadMessage(bytes.NewReader(got.Data))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	dec := new(mime.WordDecoder)
	if subj, err := dec.DecodeHeader(h.Get("Subject")); err != nil || subj != subject {
		t.Errorf("subject %q (%v), want %q", subj, err, subject)
	}
	if f, err := h.AddressList("From"); err != nil || f[0].Name != "Parcours" || f[0].Address != "ne-pas-repondre@parcours.test" {
		t.Errorf("From %v %v", f, err)
	}
	if h.Get("To") != "<jeanne.martin@exemple.fr>" || h.Get("Auto-Submitted") != "auto-generated" || h.Get("MIME-Version") != "1.0" {
		t.Errorf("headers %v", h)
	}
	if d, err := h.Date(); err != nil || time.Since(d) > time.Minute {
		t.Errorf("Date %v %v", d, err)
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" {
		t.Fatalf("Content-Type %q", h.Get("Content-Type"))
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])

	text, err := mr.NextPart() // quoted-printable, decoded by the reader
	if err != nil {
		t.Fatal(err)
	}
	if ct := text.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("text part Content-Type %q", ct)
	}
	body, _ := io.ReadAll(text)
	wantBody := strings.ReplaceAll(m.Text(), "\n", "\r\n")
	if string(body) != wantBody {
		t.Errorf("body\n%q\nwant\n%q", body, wantBody)
	}
	for _, w := range []string{"Vous avez rendez-vous le jeudi 3 décembre", link,
		"Pour ne plus recevoir de courriels de Parcours : " + stop} {
		if !strings.Contains(string(body), w) {
			t.Errorf("body lacks %q", w)
		}
	}

	cal, err := mr.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	ct, cp, _ := mime.ParseMediaType(cal.Header.Get("Content-Type"))
	if ct != "text/calendar" || cp["method"] != "REQUEST" || cp["charset"] != "utf-8" {
		t.Errorf("calendar Content-Type %q", cal.Header.Get("Content-Type"))
	}
	if disp, dp, _ := mime.ParseMediaType(cal.Header.Get("Content-Disposition")); disp != "attachment" || dp["filename"] != "rendez-vous.ics" {
		t.Errorf("calendar Content-Disposition %q", cal.Header.Get("Content-Disposition"))
	}
	if cte := cal.Header.Get("Content-Transfer-Encoding"); cte != "base64" {
		t.Errorf("calendar Content-Transfer-Encoding %q", cte)
	}
	raw, _ := io.ReadAll(cal)
	ics := decodeBase64(t, raw)
	lines := unfold(t, ics)
	if lines[0] != "BEGIN:VCALENDAR" || !contains(lines, "DTSTART:20261203T130000Z") || !contains(lines, "METHOD:REQUEST") ||
		!contains(lines, "UID:rdv-7@parcours.test") {
		t.Errorf("calendar part:\n%s", ics)
	}
	if _, err := mr.NextPart(); err != io.EOF {
		t.Errorf("a third part, or a broken end: %v", err)
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

func decodeBase64(t *testing.T, b []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, bytes.NewReader(b))) // line breaks are skipped
	if err != nil {
		t.Fatalf("base64: %v", err)
	}
	return out
}

func TestSMTPPlainText(t *testing.T) {
	srv := notifytest.Start(t, notifytest.Options{Username: "parcours", Password: "s3cret"})
	long := strings.Repeat("Une phrase française assez longue, pour couper les lignes du corps. ", 30)
	m := notify.Message{ID: 9, To: "a@exemple.fr", Subject: "Sujet", Body: "Première ligne\n" + long}
	if err := sender(srv).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.Mails()[0]
	checkLines(t, got.Data)
	msg, _ := mail.ReadMessage(bytes.NewReader(got.Data))
	if msg.Header.Get("Content-Type") != "text/plain; charset=utf-8" || msg.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
		t.Errorf("headers %v", msg.Header)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil || string(body) != "Première ligne\r\n"+long+"\r\n" {
		t.Errorf("body %q (%v)", body, err)
	}
	if msg.Header.Get("Subject") != "Sujet" {
		t.Errorf("Subject %q", msg.Header.Get("Subject"))
	}
}

func TestSMTPRefusals(t *testing.T) {
	ctx := context.Background()
	m := notify.Message{ID: 1, To: "a@exemple.fr", Subject: "Sujet", Body: "Corps"}
	t.Run("wrong password", func(t *testing.T) {
		srv := notifytest.Start(t, notifytest.Options{Username: "parcours", Password: "s3cret"})
		s := sender(srv)
		s.Password = "faux"
		err := s.Send(ctx, m)
		if err == nil || !strings.Contains(err.Error(), "authentification refusée") || errors.Is(err, notify.ErrPermanent) {
			t.Errorf("err = %v, want a refused authentication, to retry", err)
		}
		if n := len(srv.Mails()); n != 0 {
			t.Errorf("%d messages received", n)
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		srv := notifytest.Start(t, notifytest.Options{Username: "parcours", Password: "s3cret"})
		s := sender(srv)
		s.TLSConfig = nil // the system's roots do not hold the test's certificate
		if err := s.Send(ctx, m); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
			t.Errorf("err = %v, want a failed STARTTLS", err)
		}
	})
	clear := notifytest.Start(t, notifytest.Options{NoTLS: true, Username: "parcours", Password: "s3cret"})
	for _, tc := range []struct {
		mode, user string
		ok         bool
		want       string
	}{
		{notify.TLSRequired, "parcours", false, "ne propose pas STARTTLS"},
		{"", "parcours", false, "ne propose pas STARTTLS"},
		{notify.TLSOpportunistic, "parcours", false, "identifiants non envoyés en clair"},
		{notify.TLSNone, "parcours", true, ""},
	} {
		t.Run("server without TLS, mode "+tc.mode, func(t *testing.T) {
			before := len(clear.Mails())
			s := sender(clear)
			s.StartTLS, s.Username = tc.mode, tc.user
			err := s.Send(ctx, m)
			if tc.ok != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("err = %v, want ok=%v %q", err, tc.ok, tc.want)
			}
			if sent := len(clear.Mails()) - before; sent != map[bool]int{true: 1, false: 0}[tc.ok] {
				t.Errorf("%d messages received", sent)
			}
		})
	}
	t.Run("opportunistic without credentials", func(t *testing.T) {
		srv := notifytest.Start(t, notifytest.Options{NoTLS: true})
		s := notify.SMTP{Addr: srv.Addr, From: from, StartTLS: notify.TLSOpportunistic}
		if err := s.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
		if got := srv.Mails(); len(got) != 1 || got[0].TLS {
			t.Errorf("received %+v", got)
		}
	})
}

// No header can be injected: a recipient or a subject with a line break
// is refused for good, before any connection.
func TestSMTPHeaderInjection(t *testing.T) {
	srv := notifytest.Start(t, notifytest.Options{Username: "parcours", Password: "s3cret"})
	s := sender(srv)
	for _, m := range []notify.Message{
		{To: "a@exemple.fr\r\nBcc: b@exemple.fr", Subject: "S", Body: "x"},
		{To: "a@exemple.fr", Subject: "S\r\nBcc: b@exemple.fr", Body: "x"},
		{To: "a@exemple.fr", Subject: "S\nX-Test: 1", Body: "x"},
		{To: "Jeanne <a@exemple.fr>", Subject: "S", Body: "x"},
		{To: "pas-une-adresse", Subject: "S", Body: "x"},
		{To: "a@exemple.fr", Subject: strings.Repeat("x", 251), Body: "x"},
	} {
		err := s.Send(context.Background(), m)
		if err == nil || !errors.Is(err, notify.ErrPermanent) {
			t.Errorf("To %q Subject %q: err = %v, want a permanent refusal", m.To, m.Subject, err)
		}
		if err != nil && strings.Contains(err.Error(), "b@exemple.fr") {
			t.Errorf("the error repeats the input: %v", err)
		}
	}
	if n := len(srv.Mails()); n != 0 {
		t.Errorf("%d messages received", n)
	}
}

func TestSMTPValidate(t *testing.T) {
	ok := notify.SMTP{Addr: "smtp.exemple.fr:587", From: from, Username: "u", Password: "p"}
	for _, tc := range []struct {
		name string
		edit func(*notify.SMTP)
		want string
	}{
		{"ok", func(*notify.SMTP) {}, ""},
		{"no port", func(s *notify.SMTP) { s.Addr = "smtp.exemple.fr" }, "adresse invalide"},
		{"bad port", func(s *notify.SMTP) { s.Addr = "smtp.exemple.fr:0" }, "port invalide"},
		{"bad from", func(s *notify.SMTP) { s.From = "parcours" }, "expéditeur"},
		{"injected from", func(s *notify.SMTP) { s.From = "a@b.fr\r\nBcc: c@d.fr" }, "expéditeur"},
		{"unknown mode", func(s *notify.SMTP) { s.StartTLS = "sometimes" }, "inconnu"},
		{"none off loopback", func(s *notify.SMTP) { s.StartTLS = notify.TLSNone }, "boucle locale"},
		{"none on loopback", func(s *notify.SMTP) { s.StartTLS, s.Addr = notify.TLSNone, "127.0.0.1:2525" }, ""},
		{"user without password", func(s *notify.SMTP) { s.Password = "" }, "vont ensemble"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := ok
			tc.edit(&s)
			err := s.Validate()
			if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("Validate() = %v, want %q", err, tc.want)
			}
		})
	}
}

// A cancelled context ends a send that waits for the server.
func TestSMTPCancel(t *testing.T) {
	release := make(chan struct{})
	srv := notifytest.Start(t, notifytest.Options{Username: "parcours", Password: "s3cret",
		OnData: func([]byte) error { <-release; return nil }})
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := sender(srv).Send(ctx, notify.Message{ID: 1, To: "a@exemple.fr", Subject: "S", Body: "x"})
	if err == nil || time.Since(start) > 5*time.Second {
		t.Errorf("err = %v after %s, want a prompt failure", err, time.Since(start))
	}
}
