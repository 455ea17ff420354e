package notify_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/notify"
)

var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return l
}()

// unfold undoes the line folding of RFC 5545 and splits the lines.
func unfold(t *testing.T, ics []byte) []string {
	t.Helper()
	s := string(ics)
	if !strings.HasSuffix(s, "\r\n") {
		t.Fatalf("the object does not end with CRLF: %q", s)
	}
	if strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") {
		t.Fatalf("a line ends with a bare LF: %q", s)
	}
	for _, l := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets, more than 75: %q", len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line splits a character: %q", l)
		}
	}
	return strings.Split(strings.TrimSuffix(strings.ReplaceAll(s, "\r\n ", ""), "\r\n"), "\r\n")
}

func TestICS(t *testing.T) {
	now := time.Date(2026, 11, 20, 8, 30, 0, 0, time.UTC)
	start := time.Date(2026, 12, 3, 14, 0, 0, 0, paris) // 13:00 UTC in winter
	long := "Merci de vous présenter à l'accueil du Département, 2e étage, bâtiment « Européen » ; " +
		"apportez une pièce d'identité, votre carte Vitale et un justificatif de domicile récent. " +
		"En cas d'empêchement, prévenez-nous : un autre créneau vous sera proposé."
	for _, tc := range []struct {
		name string
		ev   notify.Event
		want []string // lines, unfolded, that the object holds
		not  []string
	}{{
		name: "invitation",
		ev: notify.Event{UID: "rdv-42@parcours.example.fr", Start: start, End: start.Add(45 * time.Minute),
			Summary: "Rendez-vous d'accompagnement", Location: "Hôtel du Département, 93000 Bobigny",
			Organizer: "ne-pas-repondre@parcours.example.fr", Attendee: "jeanne@exemple.fr"},
		want: []string{"BEGIN:VCALENDAR", "PRODID:-//Parcours//FR", "VERSION:2.0", "METHOD:REQUEST", "BEGIN:VEVENT",
			"UID:rdv-42@parcours.example.fr", "DTSTAMP:20261120T083000Z", "DTSTART:20261203T130000Z",
			"DTEND:20261203T134500Z", "SEQUENCE:0", "STATUS:CONFIRMED", "SUMMARY:Rendez-vous d'accompagnement",
			`LOCATION:Hôtel du Département\, 93000 Bobigny`, "ORGANIZER:mailto:ne-pas-repondre@parcours.example.fr",
			"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:jeanne@exemple.fr",
			"END:VEVENT", "END:VCALENDAR"},
		not: []string{"DESCRIPTION:"},
	}, {
		name: "cancellation",
		ev:   notify.Event{UID: "rdv-42@parcours.example.fr", Start: start, End: start.Add(time.Hour), Summary: "Rendez-vous", Sequence: 2, Cancelled: true},
		want: []string{"METHOD:CANCEL", "STATUS:CANCELLED", "SEQUENCE:2"},
		not:  []string{"METHOD:REQUEST", "ORGANIZER", "ATTENDEE", "LOCATION:"},
	}, {
		name: "escaping",
		ev: notify.Event{UID: "u", Start: start, End: start, Summary: `a\b;c,d`,
			Description: "ligne 1\nligne 2\r\nligne 3\x00\x07 fin"},
		want: []string{`SUMMARY:a\\b\;c\,d`, `DESCRIPTION:ligne 1\nligne 2\nligne 3 fin`},
	}, {
		name: "long French description folded",
		ev:   notify.Event{UID: "u", Start: start, End: start, Summary: "Rendez-vous", Description: long},
		want: []string{"DESCRIPTION:" + strings.NewReplacer(",", `\,`, ";", `\;`).Replace(long)},
	}, {
		name: "accents at every fold",
		ev:   notify.Event{UID: "u", Start: start, End: start, Summary: strings.Repeat("é", 100)},
		want: []string{"SUMMARY:" + strings.Repeat("é", 100)},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got := notify.ICS(tc.ev, now)
			lines := unfold(t, got)
			have := map[string]bool{}
			for _, l := range lines {
				have[l] = true
			}
			for _, w := range tc.want {
				if !have[w] {
					t.Errorf("missing line %q in\n%s", w, got)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(string(got), n) {
					t.Errorf("unexpected %q in\n%s", n, got)
				}
			}
			if lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
				t.Errorf("not one VCALENDAR: %q … %q", lines[0], lines[len(lines)-1])
			}
		})
	}
}

// The long description does get folded, and only between characters.
func TestICSFolding(t *testing.T) {
	ev := notify.Event{UID: "u", Summary: strings.Repeat("àé", 60) + "x"}
	raw := string(notify.ICS(ev, time.Time{}))
	var folded []string
	for _, l := range strings.Split(raw, "\r\n") {
		if strings.HasPrefix(l, "SUMMARY:") || strings.HasPrefix(l, " ") {
			folded = append(folded, l)
		}
	}
	if len(folded) < 4 {
		t.Fatalf("SUMMARY of %d octets folded in %d lines: %q", len("SUMMARY:")+241, len(folded), folded)
	}
	for i, l := range folded[:len(folded)-1] {
		if len(l) > 75 || len(l) < 74 {
			t.Errorf("line %d: %d octets, want 74 or 75 (full, but for a character not split)", i, len(l))
		}
	}
}
