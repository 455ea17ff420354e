package notify

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// maxSubject is the longest subject accepted, in characters: a subject is
// a few words, and a bound keeps every header line far below 998 octets.
const maxSubject = 250

// MessageID is the Message-ID of an outbox row's email, without angle
// brackets: it depends on the row only, so every attempt carries the same.
func MessageID(outboxID int64, fromDomain string) string {
	return "parcours-outbox-" + strconv.FormatInt(outboxID, 10) + "@" + fromDomain
}

// compose builds the MIME message of m (RFC 5322, 2045-2047): headers
// (the subject RFC 2047-encoded), a text/plain UTF-8 quoted-printable body,
// and each attachment base64-encoded in a multipart/mixed. Lines end with
// CRLF and none exceeds 78 octets. It returns the message and its
// Message-ID, bracketed.
func compose(m Message, from *mail.Address, now time.Time) ([]byte, string, error) {
	if strings.ContainsAny(m.To, "\r\n") || strings.ContainsAny(m.Subject, "\r\n") {
		return nil, "", errors.New("retour à la ligne interdit dans le destinataire ou le sujet")
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil || to.Name != "" || domainOf(to.Address) == "" {
		return nil, "", errors.New("adresse du destinataire invalide")
	}
	if !utf8.ValidString(m.Subject) || utf8.RuneCountInString(m.Subject) > maxSubject {
		return nil, "", fmt.Errorf("sujet invalide ou de plus de %d caractères", maxSubject)
	}
	domain := domainOf(from.Address)
	id := "<" + MessageID(m.ID, domain) + ">"
	if m.ID == 0 { // not from the outbox: a one-off id
		var b [12]byte
		_, _ = rand.Read(b[:])
		id = "<parcours-" + hex.EncodeToString(b[:]) + "@" + domain + ">"
	}
	var b bytes.Buffer
	header(&b, "From", from.String())
	header(&b, "To", (&mail.Address{Address: to.Address}).String())
	header(&b, "Subject", mime.QEncoding.Encode("utf-8", strings.TrimSpace(m.Subject)))
	header(&b, "Date", now.Format(time.RFC1123Z))
	header(&b, "Message-ID", id)
	header(&b, "MIME-Version", "1.0")
	header(&b, "Auto-Submitted", "auto-generated")
	// Out-of-office replies of Exchange would go to an unread mailbox.
	header(&b, "X-Auto-Response-Suppress", "All")
	text := m.Text()
	if len(m.Attachments) == 0 {
		header(&b, "Content-Type", "text/plain; charset=utf-8")
		header(&b, "Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(&b, text); err != nil {
			return nil, "", err
		}
		if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
			b.WriteString("\r\n") // the message ends with a line end, which SMTP would add
		}
		return b.Bytes(), id, nil
	}
	mw := multipart.NewWriter(&b)
	header(&b, "Content-Type", mime.FormatMediaType("multipart/mixed", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	part, err := mw.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {"text/plain; charset=utf-8"},
		"Content-Transfer-Encoding": {"quoted-printable"},
	})
	if err != nil {
		return nil, "", err
	}
	if err := writeQP(part, text); err != nil {
		return nil, "", err
	}
	for _, a := range m.Attachments {
		part, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {attachmentType(a)},
			"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": fileName(a.Name)})},
			"Content-Transfer-Encoding": {"base64"},
		})
		if err != nil {
			return nil, "", err
		}
		writeBase64(part, a.Data)
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return b.Bytes(), id, nil
}

// header writes "Name: value", folded before spaces so that lines stay
// within 78 octets where the value allows it (encoded words are at most 75,
// so a long first one goes on the next line).
func header(b *bytes.Buffer, name, value string) {
	line := name + ":"
	for _, word := range strings.Split(value, " ") {
		if line != "" && len(line)+1+len(word) > 78 {
			b.WriteString(line)
			b.WriteString("\r\n")
			line = ""
		}
		line += " " + word
	}
	b.WriteString(line)
	b.WriteString("\r\n")
}

// writeQP writes text quoted-printable with CRLF line ends.
func writeQP(w interface{ Write([]byte) (int, error) }, text string) error {
	q := quotedprintable.NewWriter(w)
	if _, err := q.Write([]byte(strings.ReplaceAll(text, "\r\n", "\n"))); err != nil {
		return err
	}
	return q.Close()
}

// writeBase64 writes data base64-encoded in lines of 76 characters.
func writeBase64(w interface{ Write([]byte) (int, error) }, data []byte) {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		_, _ = w.Write([]byte(enc[:76] + "\r\n"))
		enc = enc[76:]
	}
	_, _ = w.Write([]byte(enc + "\r\n"))
}

// attachmentType is the Content-Type of an attachment. An iCalendar object
// says its iTIP method, which mail clients need to show an invitation.
func attachmentType(a Attachment) string {
	mt, params, err := mime.ParseMediaType(a.ContentType)
	if err != nil || strings.ContainsAny(a.ContentType, "\r\n") {
		return "application/octet-stream"
	}
	if mt == "text/calendar" {
		method := "REQUEST"
		if bytes.Contains(a.Data, []byte("\nMETHOD:CANCEL")) {
			method = "CANCEL"
		}
		return mime.FormatMediaType(mt, map[string]string{"charset": "utf-8", "method": method})
	}
	if v := mime.FormatMediaType(mt, params); v != "" {
		return v
	}
	return "application/octet-stream"
}

// fileName keeps an attachment's name fit for a header.
func fileName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == '\\' {
			return -1
		}
		return r
	}, name)
	if strings.TrimSpace(name) == "" {
		return "piece-jointe"
	}
	return name
}
