package appointment_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/appointment"
)

const link = "https://parcours.example.fr/i/Ab3dE5"

var ccas = appointment.Sender{Name: "CCAS de Belfort", Phone: "03 84 54 24 24"}

// sensitive is a type and a place whose labels and details tell why the
// person goes there: none of it may reach a message.
var (
	sensitiveType  = appointment.Type{ID: 8, Category: appointment.CategoryAccompaniment, Label: "Addictologie - sevrage alcool", DurationMin: 45}
	sensitivePlace = appointment.Place{ID: 10, Kind: appointment.PlaceAddress, Label: "CSAPA Le Relais",
		Address: "2 rue de l'Étuve, 90000 Belfort", CommuneINSEE: "90010", Details: "Service d'addictologie, 2e étage"}
)

var sensitiveWords = []string{"addictologie", "sevrage", "alcool", "csapa", "relais", "étage"}

// allMessages returns every message for an invitation and an appointment of
// type ty at venue v, by name.
func allMessages(ty appointment.Type, from appointment.Sender, v appointment.Venue, starts time.Time, link string) map[string]appointment.Message {
	inv := appointment.Invitation{CreatedAt: at(2026, 12, 1, 18, 0), ExpiresAt: at(2026, 12, 12, 0, 0)}
	n := appointment.InvitationNotice(inv, ty, from)
	an := appointment.AppointmentNotice(appointment.Appointment{StartsAt: starts, DurationMin: 45}, ty, from, v)
	return map[string]appointment.Message{
		"invitation":   appointment.InvitationMessage(n, link),
		"reminder":     appointment.ReminderMessage(n, link),
		"confirmation": appointment.ConfirmationMessage(an, link),
		"reminder48":   appointment.Reminder48Message(an, link),
		"reminder24":   appointment.Reminder24Message(an, link),
		"convocation":  appointment.ConvocationMessage(an, link),
		"cancellation": appointment.CancellationMessage(an, link),
	}
}

func TestMessageWording(t *testing.T) {
	orientation := appointment.Type{Category: appointment.CategoryOrientation, Label: "RDV d'orientation RSA", DurationMin: 30}
	collective := appointment.Type{Category: appointment.CategoryInformation, Label: "Info coll", DurationMin: 120}
	inv := appointment.Invitation{CreatedAt: at(2026, 12, 1, 18, 0), ExpiresAt: appointment.InvitationExpiry(at(2026, 12, 1, 18, 0), 10)}
	tuesday := appointment.Appointment{StartsAt: at(2026, 12, 8, 14, 30), DurationMin: 30}
	tests := []struct {
		name string
		got  appointment.Message
		want appointment.Message
	}{
		{
			name: "invitation",
			got:  appointment.InvitationMessage(appointment.InvitationNotice(inv, orientation, ccas), link),
			want: appointment.Message{
				Subject: "Choisissez la date de votre rendez-vous d'orientation",
				Email: "Bonjour,\n\n" +
					"CCAS de Belfort vous invite à un rendez-vous d'orientation.\n\n" +
					"Choisissez la date et l'heure qui vous conviennent jusqu'au vendredi 11 décembre, sur cette page :\n" + link + "\n\n" +
					"Pour toute question, appelez le 03 84 54 24 24.\n\n" +
					"CCAS de Belfort\n",
				SMS: "Bonjour, CCAS de Belfort vous invite à un rendez-vous d'orientation. Choisissez votre date jusqu'au vendredi 11 décembre : " +
					link + " Une question ? 03 84 54 24 24",
			},
		},
		{
			name: "invitation that never expires, without phone",
			got: appointment.InvitationMessage(appointment.InvitationNotice(appointment.Invitation{CreatedAt: inv.CreatedAt}, orientation,
				appointment.Sender{Name: "France Travail Belfort"}), link),
			want: appointment.Message{
				Subject: "Choisissez la date de votre rendez-vous d'orientation",
				Email: "Bonjour,\n\n" +
					"France Travail Belfort vous invite à un rendez-vous d'orientation.\n\n" +
					"Choisissez la date et l'heure qui vous conviennent, sur cette page :\n" + link + "\n\n" +
					"France Travail Belfort\n",
				SMS: "Bonjour, France Travail Belfort vous invite à un rendez-vous d'orientation. Choisissez votre date : " + link,
			},
		},
		{
			name: "confirmation at an address",
			got: appointment.ConfirmationMessage(appointment.AppointmentNotice(tuesday, orientation, ccas,
				appointment.VenueOf(sensitivePlace, "Belfort")), link),
			want: appointment.Message{
				Subject: "Votre rendez-vous d'orientation est confirmé",
				Email: "Bonjour,\n\n" +
					"Votre rendez-vous d'orientation est confirmé le mardi 8 décembre à 14 h 30.\n\n" +
					"Lieu : CCAS de Belfort, 2 rue de l'Étuve, 90000 Belfort.\n\n" +
					"Pour le voir, le déplacer ou l'annuler : " + link + "\n\n" +
					"Pour toute question, appelez le 03 84 54 24 24.\n\n" +
					"CCAS de Belfort\n",
				SMS: "Votre rendez-vous d'orientation est confirmé le mardi 8 décembre à 14 h 30, CCAS de Belfort, 2 rue de l'Étuve, 90000 Belfort. " +
					"Pour le déplacer ou l'annuler : " + link + " Une question ? 03 84 54 24 24",
			},
		},
		{
			name: "cancellation of a collective session by phone",
			got: appointment.CancellationMessage(appointment.AppointmentNotice(tuesday, collective, ccas,
				appointment.Venue{Kind: appointment.PlacePhone}), link),
			want: appointment.Message{
				Subject: "Annulation de votre réunion d'information collective du mardi 8 décembre",
				Email: "Bonjour,\n\n" +
					"Votre réunion d'information collective du mardi 8 décembre à 14 h 30 est annulée.\n\n" +
					"Pour choisir une autre date : " + link + "\n\n" +
					"Pour toute question, appelez le 03 84 54 24 24.\n\n" +
					"CCAS de Belfort\n",
				SMS: "CCAS de Belfort : votre réunion d'information collective du mardi 8 décembre à 14 h 30 est annulée. Pour choisir une autre date : " +
					link + " Une question ? 03 84 54 24 24",
			},
		},
		{
			name: "reminder two days ahead of a collective session by phone",
			got: appointment.Reminder48Message(appointment.AppointmentNotice(tuesday, collective, ccas,
				appointment.Venue{Kind: appointment.PlacePhone}), link),
			want: appointment.Message{
				Subject: "Rappel : votre réunion d'information collective le mardi 8 décembre à 14 h 30",
				Email: "Bonjour,\n\n" +
					"Nous vous rappelons votre réunion d'information collective le mardi 8 décembre à 14 h 30.\n\n" +
					"Par téléphone : CCAS de Belfort vous appellera.\n\n" +
					"Si vous n'êtes pas disponible, vous pouvez encore la déplacer ou l'annuler : " + link + "\n\n" +
					"Pour toute question, appelez le 03 84 54 24 24.\n\n" +
					"CCAS de Belfort\n",
				SMS: "Rappel : votre réunion d'information collective le mardi 8 décembre à 14 h 30, par téléphone (CCAS de Belfort). " +
					"Pas disponible ? Déplacez-la ou annulez-la : " + link + " Une question ? 03 84 54 24 24",
			},
		},
		{
			name: "convocation by video",
			got: appointment.ConvocationMessage(appointment.AppointmentNotice(appointment.Appointment{StartsAt: at(2027, 3, 1, 9, 0)}, orientation, ccas,
				appointment.Venue{Kind: appointment.PlaceVideo}), link),
			want: appointment.Message{
				Subject: "Convocation à un rendez-vous d'orientation",
				Email: "Bonjour,\n\n" +
					"CCAS de Belfort vous convoque à un rendez-vous d'orientation le lundi 1er mars à 9 h.\n\n" +
					"En visio : le lien de connexion est sur la page de votre rendez-vous.\n\n" +
					"Votre présence est importante pour la suite de votre accompagnement. Si vous n'êtes pas disponible, prévenez-nous au plus vite : " + link + "\n\n" +
					"Pour toute question, appelez le 03 84 54 24 24.\n\n" +
					"CCAS de Belfort\n",
				SMS: "CCAS de Belfort vous convoque à un rendez-vous d'orientation le lundi 1er mars à 9 h, en visio. Pas disponible ? Prévenez-nous : " +
					link + " Une question ? 03 84 54 24 24",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.Subject != tt.want.Subject {
				t.Errorf("Subject =\n%q\nwant\n%q", tt.got.Subject, tt.want.Subject)
			}
			if tt.got.Email != tt.want.Email {
				t.Errorf("Email =\n%s\nwant\n%s", tt.got.Email, tt.want.Email)
			}
			if tt.got.SMS != tt.want.SMS {
				t.Errorf("SMS =\n%q\nwant\n%q", tt.got.SMS, tt.want.SMS)
			}
		})
	}
}

func TestMessageShape(t *testing.T) {
	long := appointment.Sender{
		Name:  "Centre communal d'action sociale de la ville de Belfort, pôle insertion et accompagnement des publics",
		Phone: "03 84 54 24 24",
	}
	longVenue := appointment.Venue{Kind: appointment.PlaceAddress,
		Address: "Bâtiment B, résidence des Glacis du Château, 12 boulevard du Maréchal de Lattre de Tassigny, 90000 Belfort"}
	longLink := "https://parcours.territoire-de-belfort.example.fr/invitations/3f9a1c2e-7b4d-4e8a-9c1f-2d6b8e0a5f7c"
	tests := []struct {
		name  string
		ty    appointment.Type
		from  appointment.Sender
		venue appointment.Venue
		link  string
	}{
		{"short names", sensitiveType, ccas, appointment.VenueOf(sensitivePlace, ""), link},
		{"long names and link", sensitiveType, long, longVenue, longLink},
		{"a collective session by phone", appointment.Type{Category: appointment.CategoryInformation}, long, appointment.Venue{Kind: appointment.PlacePhone}, longLink},
		{"an address place without address", sensitiveType, ccas, appointment.Venue{Kind: appointment.PlaceAddress}, link},
		{"spaces and line breaks typed into the names", sensitiveType,
			appointment.Sender{Name: "  CCAS  de\nBelfort ", Phone: " 03  84 54 24 24\n"},
			appointment.Venue{Kind: appointment.PlaceAddress, Address: "2  rue de l'Étuve,\n90000  Belfort "}, " " + link + " "},
	}
	for _, tt := range tests {
		for kind, m := range allMessages(tt.ty, tt.from, tt.venue, at(2026, 12, 8, 14, 30), tt.link) {
			t.Run(tt.name+"/"+kind, func(t *testing.T) {
				if n := utf8.RuneCountInString(m.SMS); n > appointment.MaxSMSLen {
					t.Errorf("SMS of %d characters: %q", n, m.SMS)
				}
				if !strings.Contains(m.SMS, strings.TrimSpace(tt.link)) || !strings.Contains(m.Email, strings.TrimSpace(tt.link)) {
					t.Errorf("the link is not whole in\n%q\n%q", m.SMS, m.Email)
				}
				for part, s := range map[string]string{"subject": m.Subject, "email": m.Email, "SMS": m.SMS} {
					if s == "" {
						t.Errorf("%s is empty", part)
					}
					if strings.Contains(s, "  ") || strings.Contains(s, " \n") || strings.Contains(s, "\n ") || strings.HasPrefix(s, " ") {
						t.Errorf("%s has a double, leading or trailing space: %q", part, s)
					}
					for _, bad := range []string{" .", " ,", ",.", "..", "…."} {
						if strings.Contains(s, bad) {
							t.Errorf("%s holds %q: %q", part, bad, s)
						}
					}
				}
				if strings.Contains(m.Subject, "\n") || strings.Contains(m.SMS, "\n") {
					t.Errorf("a line break in the subject or SMS: %q, %q", m.Subject, m.SMS)
				}
				if !strings.HasPrefix(m.Email, "Bonjour,\n\n") || !strings.HasSuffix(m.Email, "\n") {
					t.Errorf("email without greeting or final line break: %q", m.Email)
				}
			})
		}
	}
}

func TestSMSShortensTheNameBeforeTheAddress(t *testing.T) {
	from := appointment.Sender{Name: strings.Repeat("Centre communal d'action sociale ", 4), Phone: "03 84 54 24 24"}
	v := appointment.Venue{Kind: appointment.PlaceAddress,
		Address: "Bâtiment B, résidence des Glacis du Château, 12 boulevard du Maréchal de Lattre de Tassigny, 90000 Belfort"}
	for kind, m := range allMessages(sensitiveType, from, v, at(2026, 12, 8, 14, 30), link) {
		if kind == "invitation" || kind == "reminder" || kind == "cancellation" {
			continue // no address in them
		}
		t.Run(kind, func(t *testing.T) {
			if !strings.Contains(m.SMS, v.Address) {
				t.Errorf("the address is not whole in %q", m.SMS)
			}
			if strings.Contains(m.SMS, from.Name) || strings.Contains(m.SMS, "03 84") {
				t.Errorf("the name is not shortened or the phone number is still there in %q", m.SMS)
			}
		})
	}
}

func TestMessagesKeepSensitiveWordsOut(t *testing.T) {
	unknown := sensitiveType
	unknown.Category = "addictologie" // a category code that is not one of the list
	for _, ty := range []appointment.Type{sensitiveType, unknown} {
		for _, v := range []appointment.Venue{appointment.VenueOf(sensitivePlace, "Belfort"), {Kind: appointment.PlacePhone}, {Kind: appointment.PlaceVideo}} {
			for kind, m := range allMessages(ty, ccas, v, at(2026, 12, 8, 14, 30), link) {
				t.Run(string(ty.Category)+"/"+string(v.Kind)+"/"+kind, func(t *testing.T) {
					text := strings.ToLower(m.Subject + "\n" + m.Email + "\n" + m.SMS)
					for _, w := range sensitiveWords {
						if strings.Contains(text, w) {
							t.Errorf("%q leaks into\n%s", w, text)
						}
					}
				})
			}
		}
	}
}

// gsm7 holds the characters of the GSM 7-bit default alphabet, apart from
// letters and digits.
const gsm7 = "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà"

func TestSMSInTheGSMAlphabet(t *testing.T) {
	for _, c := range []appointment.Category{appointment.CategoryOrientation, appointment.CategoryAccompaniment, appointment.CategoryInformation} {
		for _, v := range []appointment.Venue{{Kind: appointment.PlaceAddress, Address: "2 rue Thiers, 90000 Belfort"}, {Kind: appointment.PlacePhone}, {Kind: appointment.PlaceVideo}} {
			for kind, m := range allMessages(appointment.Type{Category: c}, ccas, v, at(2026, 12, 8, 14, 30), link) {
				t.Run(string(c)+"/"+string(v.Kind)+"/"+kind, func(t *testing.T) {
					for _, r := range m.SMS {
						if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(gsm7, r)) {
							t.Errorf("%q is not in the GSM alphabet: %q", r, m.SMS)
						}
					}
				})
			}
		}
	}
}

func TestVenueOf(t *testing.T) {
	tests := []struct {
		name    string
		place   appointment.Place
		commune string
		want    appointment.Venue
	}{
		{"an address: the address only, never the label or the details", sensitivePlace, "Belfort",
			appointment.Venue{Kind: appointment.PlaceAddress, Address: "2 rue de l'Étuve, 90000 Belfort"}},
		{"an address given by its commune", appointment.Place{Kind: appointment.PlaceAddress, Label: "Mairie", CommuneINSEE: "90065"}, "Delle",
			appointment.Venue{Kind: appointment.PlaceAddress, Address: "Delle"}},
		{"by phone", appointment.Place{Kind: appointment.PlacePhone, Label: "Par téléphone", Address: "ignored"}, "",
			appointment.Venue{Kind: appointment.PlacePhone}},
		{"by video: the link stays on the appointment page", appointment.Place{Kind: appointment.PlaceVideo, Details: "https://visio.example.fr/x"}, "",
			appointment.Venue{Kind: appointment.PlaceVideo}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := appointment.VenueOf(tt.place, tt.commune); got != tt.want {
				t.Errorf("VenueOf() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDateTexts(t *testing.T) {
	tests := []struct {
		at        time.Time
		day, when string
	}{
		{at(2026, 12, 8, 14, 30), "mardi 8 décembre", "mardi 8 décembre à 14 h 30"},
		{at(2027, 3, 1, 9, 0), "lundi 1er mars", "lundi 1er mars à 9 h"},
		{at(2026, 8, 15, 9, 5), "samedi 15 août", "samedi 15 août à 9 h 05"},
		{time.Date(2026, 7, 14, 7, 0, 0, 0, time.UTC), "mardi 14 juillet", "mardi 14 juillet à 9 h"},        // summer time
		{time.Date(2026, 2, 1, 23, 30, 0, 0, time.UTC), "lundi 2 février", "lundi 2 février à 0 h 30"},      // already the next day in Paris
		{time.Date(2026, 10, 25, 8, 0, 0, 0, time.UTC), "dimanche 25 octobre", "dimanche 25 octobre à 9 h"}, // the day the clocks go back
	}
	for _, tt := range tests {
		t.Run(tt.when, func(t *testing.T) {
			if got := appointment.DayText(tt.at); got != tt.day {
				t.Errorf("DayText() = %q, want %q", got, tt.day)
			}
			if got := appointment.WhenText(tt.at); got != tt.when {
				t.Errorf("WhenText() = %q, want %q", got, tt.when)
			}
		})
	}
}
