package notify

import (
	"bytes"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is an appointment as an iCalendar invitation (RFC 5545, with the
// iTIP methods of RFC 5546) carries it. Its texts go to the person's
// calendar, so they follow the rule of every message: nothing sensitive,
// only what the person needs to come.
type Event struct {
	// UID names the appointment for good: a later invitation with the same
	// UID and a higher Sequence updates (or cancels) the first one in the
	// person's calendar instead of adding a second.
	UID        string
	Start, End time.Time
	Summary    string
	Location   string
	// Description is free text; lines are kept.
	Description string
	// Organizer is an email address; calendars want one to show the
	// invitation as such.
	Organizer string
	// Attendee is the recipient's email address, optional.
	Attendee  string
	Sequence  int
	Cancelled bool
}

// ICS writes ev as an iCalendar object of one VEVENT, METHOD REQUEST (or
// CANCEL when ev.Cancelled), stamped at now. Times are written in UTC, TEXT
// values escaped, lines folded at 75 octets without splitting a character,
// and every line ends with CRLF.
func ICS(ev Event, now time.Time) []byte {
	method, status := "REQUEST", "CONFIRMED"
	if ev.Cancelled {
		method, status = "CANCEL", "CANCELLED"
	}
	var b bytes.Buffer
	line := func(s string) { foldLine(&b, s) }
	line("BEGIN:VCALENDAR")
	line("PRODID:-//Parcours//FR")
	line("VERSION:2.0")
	line("CALSCALE:GREGORIAN")
	line("METHOD:" + method)
	line("BEGIN:VEVENT")
	line("UID:" + icsText(ev.UID))
	line("DTSTAMP:" + icsTime(now))
	line("DTSTART:" + icsTime(ev.Start))
	line("DTEND:" + icsTime(ev.End))
	line("SEQUENCE:" + strconv.Itoa(max(ev.Sequence, 0)))
	line("STATUS:" + status)
	line("SUMMARY:" + icsText(ev.Summary))
	if ev.Location != "" {
		line("LOCATION:" + icsText(ev.Location))
	}
	if ev.Description != "" {
		line("DESCRIPTION:" + icsText(ev.Description))
	}
	if ev.Organizer != "" {
		line("ORGANIZER:mailto:" + icsAddress(ev.Organizer))
	}
	if ev.Attendee != "" {
		line("ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:" + icsAddress(ev.Attendee))
	}
	line("END:VEVENT")
	line("END:VCALENDAR")
	return b.Bytes()
}

// icsTime is a DATE-TIME in UTC, the "Z" form.
func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// icsText escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon,
// comma and line breaks; other control characters are dropped.
func icsText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r == '\t' || (r >= 0x20 && r != 0x7f):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// icsAddress keeps an email address fit for a mailto: value: no control
// characters, no spaces.
func icsAddress(s string) string {
	return strings.Map(func(r rune) rune {
		if r <= 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// foldLine writes a content line folded at 75 octets (RFC 5545 §3.1): each
// continuation begins with a space, which counts in its 75 octets, and a
// character is never split across lines.
func foldLine(b *bytes.Buffer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space takes one octet
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
