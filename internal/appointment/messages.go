package appointment

import (
	"strings"
	"time"
	"unicode/utf8"
)

// MaxSMSLen is the longest SMS body, in characters. The texts keep to the
// GSM 7-bit alphabet (é, è, à, but no ê, ç or guillemets), in which an SMS
// part holds 153 characters: three parts at most.
const MaxSMSLen = 320

// Message is the text of one notification, by email and by SMS.
type Message struct {
	Subject string
	Email   string // plain text, paragraphs separated by a blank line
	SMS     string // at most MaxSMSLen characters
}

// Sender is the structure a message comes from, as the public knows it.
type Sender struct {
	Name  string // the structure's public name: "CCAS de Belfort"
	Phone string // its public phone number, optional
}

// Venue is where an appointment takes place, as a message may say it: by
// phone, by video, or at an address given with the sender's public name. It
// holds no place label and no access details: "Permanence du CSAPA, 2e
// étage" would tell whoever reads the person's phone why they go there.
type Venue struct {
	Kind    PlaceKind
	Address string // for PlaceAddress: the street address, or the commune
}

// VenueOf returns the venue of a place: its kind and, for an address, its
// street address, or commune (the name of p.CommuneINSEE, resolved by the
// caller) when it has none. Its label and details are left out.
func VenueOf(p Place, commune string) Venue {
	v := Venue{Kind: p.Kind}
	if p.Kind == PlaceAddress {
		v.Address = clean(p.Address)
		if v.Address == "" {
			v.Address = clean(commune)
		}
	}
	return v
}

// Notice is all that a message about an invitation or an appointment can
// say: what it is for, as a category from a closed list, who sends it, when
// and where. It has no field for the type's label, a diagnostic or a note,
// so no caller can put one in a message that others may read on a phone or
// in a shared mailbox; build it with InvitationNotice or AppointmentNotice.
type Notice struct {
	Category Category
	From     Sender
	StartsAt time.Time // the appointment
	Venue    Venue
	LastDay  time.Time // the last day the invitation works (UTC midnight); zero when it never expires
	// SMSRoom is how many characters the SMS may use, MaxSMSLen when 0:
	// less when a line is added after it (the link that stops the channel).
	SMSRoom int
}

// InvitationNotice returns the notice of an invitation to book an
// appointment of type t. Only the type's category is kept.
func InvitationNotice(inv Invitation, t Type, from Sender) Notice {
	return Notice{Category: t.Category, From: from, LastDay: LastDay(inv)}
}

// AppointmentNotice returns the notice of an appointment of type t at venue
// v. Only the type's category is kept.
func AppointmentNotice(a Appointment, t Type, from Sender, v Venue) Notice {
	return Notice{Category: t.Category, From: from, StartsAt: a.StartsAt, Venue: v}
}

// InvitationMessage is the invitation to choose a slot through link, before
// the invitation expires.
func InvitationMessage(n Notice, link string) Message {
	w, until := words(n), untilText(n)
	return Message{
		Subject: "Choisissez la date de " + w.your,
		Email: email(n,
			w.sender+" vous invite à "+w.a+".",
			"Choisissez la date et l'heure qui vous conviennent"+until+", sur cette page :\n"+clean(link)),
		SMS: sms(n, link, func(name, _ string) string {
			return "Bonjour, " + name + " vous invite à " + w.a + ". Choisissez votre date" + until + " : "
		}),
	}
}

// ReminderMessage reminds the person, InvitationReminderDay days after the
// invitation, that no slot was chosen yet.
func ReminderMessage(n Notice, link string) Message {
	w, until := words(n), untilText(n)
	return Message{
		Subject: "Rappel : choisissez la date de " + w.your,
		Email: email(n,
			"Vous n'avez pas encore choisi la date de "+w.your+".",
			"Vous pouvez le faire"+until+", sur cette page :\n"+clean(link)),
		SMS: sms(n, link, func(name, _ string) string {
			return "Rappel : " + name + " vous invite à " + w.a + ". Choisissez votre date" + until + " : "
		}),
	}
}

// untilText says until when an invitation works, " jusqu'au vendredi 11
// décembre", or "" when it never expires.
func untilText(n Notice) string {
	if n.LastDay.IsZero() {
		return ""
	}
	return " jusqu'au " + DayText(startOf(n.LastDay))
}

// ConfirmationMessage confirms an appointment the person booked, with the
// link to see, move or cancel it.
func ConfirmationMessage(n Notice, link string) Message {
	w := words(n)
	when := WhenText(n.StartsAt)
	return Message{
		Subject: capitalize(w.your) + " est " + w.agree("confirmé"),
		Email: email(n,
			capitalize(w.your)+" est "+w.agree("confirmé")+" le "+when+".",
			w.where,
			"Pour "+w.it+" voir, "+w.it+" déplacer ou l'annuler : "+clean(link)),
		SMS: sms(n, link, func(name, address string) string {
			return capitalize(w.your) + " est " + w.agree("confirmé") + " le " + when + comma(whereShort(n.Venue, name, address)) + ". Pour " + w.it + " déplacer ou l'annuler : "
		}),
	}
}

// Reminder48Message reminds the person of an appointment two days ahead,
// while there is time to move it.
func Reminder48Message(n Notice, link string) Message {
	it := words(n).it
	return upcoming(n, link,
		"Si vous n'êtes pas disponible, vous pouvez encore "+it+" déplacer ou l'annuler : ",
		"Pas disponible ? Déplacez-"+it+" ou annulez-"+it+" : ")
}

// Reminder24Message reminds the person of an appointment the day before.
func Reminder24Message(n Notice, link string) Message {
	return upcoming(n, link, "Si vous avez un empêchement, prévenez-nous au plus vite : ", "Pas disponible ? Prévenez-nous vite : ")
}

// upcoming is the text of the reminders before an appointment.
func upcoming(n Notice, link, emailAction, smsAction string) Message {
	w := words(n)
	when := WhenText(n.StartsAt)
	return Message{
		Subject: "Rappel : " + w.your + " le " + when,
		Email: email(n,
			"Nous vous rappelons "+w.your+" le "+when+".",
			w.where,
			emailAction+clean(link)),
		SMS: sms(n, link, func(name, address string) string {
			return "Rappel : " + w.your + " le " + when + comma(whereShort(n.Venue, name, address)) + ". " + smsAction
		}),
	}
}

// ConvocationMessage tells the person of an appointment a professional
// fixed for them, after an expired invitation, an absence or a
// cancellation.
func ConvocationMessage(n Notice, link string) Message {
	w := words(n)
	when := WhenText(n.StartsAt)
	return Message{
		Subject: "Convocation à " + w.a,
		Email: email(n,
			w.sender+" vous convoque à "+w.a+" le "+when+".",
			w.where,
			"Votre présence est importante pour la suite de votre accompagnement. Si vous n'êtes pas disponible, prévenez-nous au plus vite : "+clean(link)),
		SMS: sms(n, link, func(name, address string) string {
			return name + " vous convoque à " + w.a + " le " + when + comma(whereShort(n.Venue, "", address)) + ". Pas disponible ? Prévenez-nous : "
		}),
	}
}

// CancellationMessage tells the person that an appointment is cancelled,
// with the link to choose another date.
func CancellationMessage(n Notice, link string) Message {
	w := words(n)
	when := WhenText(n.StartsAt)
	return Message{
		Subject: "Annulation de " + w.your + " du " + DayText(n.StartsAt),
		Email: email(n,
			capitalize(w.your)+" du "+when+" est "+w.agree("annulé")+".",
			"Pour choisir une autre date : "+clean(link)),
		SMS: sms(n, link, func(name, _ string) string {
			return name + " : " + w.your + " du " + when + " est " + w.agree("annulé") + ". Pour choisir une autre date : "
		}),
	}
}

// wording holds the phrases of a notice.
type wording struct {
	a, your  string // "un rendez-vous d'orientation", "votre rendez-vous d'orientation"
	it       string // the pronoun: "le", "la"
	feminine bool
	sender   string
	where    string // the sentence saying where, for an email
}

// agree returns a past participle agreed with the appointment's noun.
func (w wording) agree(participle string) string {
	if w.feminine {
		return participle + "e"
	}
	return participle
}

// words returns the phrases of n. The category is the only word about the
// purpose: an unknown category, like any free text, gives a plain
// "rendez-vous".
func words(n Notice) wording {
	noun, feminine := "rendez-vous", false
	switch n.Category {
	case CategoryOrientation:
		noun = "rendez-vous d'orientation"
	case CategoryAccompaniment:
		noun = "rendez-vous d'accompagnement"
	case CategoryInformation:
		noun, feminine = "réunion d'information collective", true
	}
	w := wording{a: "un " + noun, your: "votre " + noun, it: "le", feminine: feminine, sender: clean(n.From.Name)}
	if feminine {
		w.a, w.it = "une "+noun, "la"
	}
	switch n.Venue.Kind {
	case PlaceAddress:
		w.where = "Lieu : " + join(w.sender, clean(n.Venue.Address)) + "."
	case PlacePhone:
		w.where = "Par téléphone : " + w.sender + " vous appellera."
	case PlaceVideo:
		w.where = "En visio : le lien de connexion est sur la page de votre rendez-vous."
	}
	return w
}

// whereShort says where in a few words, for an SMS: the sender's public
// name and the address, or "par téléphone" or "en visio" and the name.
func whereShort(v Venue, name, address string) string {
	how := ""
	switch v.Kind {
	case PlacePhone:
		how = "par téléphone"
	case PlaceVideo:
		how = "en visio"
	default:
		return join(name, address)
	}
	if name == "" {
		return how
	}
	return how + " (" + name + ")"
}

// comma returns s after a comma, or "" when s is empty.
func comma(s string) string {
	if s == "" {
		return ""
	}
	return ", " + s
}

// join joins the parts that are not empty with a comma.
func join(parts ...string) string {
	var ps []string
	for _, p := range parts {
		if p != "" {
			ps = append(ps, p)
		}
	}
	return strings.Join(ps, ", ")
}

// email returns an email body: a greeting, the paragraphs that are not
// empty, whom to call with a question, and the signature.
func email(n Notice, paragraphs ...string) string {
	ps := []string{"Bonjour,"}
	for _, p := range paragraphs {
		if p != "" {
			ps = append(ps, p)
		}
	}
	if phone := clean(n.From.Phone); phone != "" {
		ps = append(ps, "Pour toute question, appelez le "+phone+".")
	}
	if name := clean(n.From.Name); name != "" {
		ps = append(ps, name)
	}
	return strings.Join(ps, "\n\n") + "\n"
}

// sms returns an SMS body of at most MaxSMSLen characters: the text head
// writes for the sender's name and address, the link, and whom to call.
// When that is too long it drops the phone number, then shortens the name,
// then the address, which the person needs more, and at last cuts the text:
// the link always stays whole (up to some 300 characters).
func sms(n Notice, link string, head func(name, address string) string) string {
	limit := MaxSMSLen
	if n.SMSRoom > 0 && n.SMSRoom < limit {
		limit = n.SMSRoom
	}
	link = clean(link)
	name, address, phone := clean(n.From.Name), clean(n.Venue.Address), clean(n.From.Phone)
	tail := ""
	if phone != "" {
		tail = " Une question ? " + phone
	}
	tries := []struct {
		name, address, tail string
	}{
		{name, address, tail},
		{name, address, ""},
		{cut(name, 40), address, ""},
		{cut(name, 40), cut(address, 80), ""},
		{cut(name, 25), cut(address, 50), ""},
	}
	for _, t := range tries {
		s := strings.ReplaceAll(head(t.name, t.address), "….", "…") + link + t.tail
		if utf8.RuneCountInString(s) <= limit {
			return s
		}
	}
	room := limit - utf8.RuneCountInString(link) - len(" : ")
	return cut(strings.TrimSuffix(head(cut(name, 25), cut(address, 50)), " : "), room) + " : " + link
}

// clean trims s and collapses its runs of spaces and line breaks into one
// space.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// cut shortens s to at most n characters, ending with "…" when it cut.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 1 {
		return "…"
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// capitalize returns s with its first letter in upper case.
func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return strings.ToUpper(string(r)) + s[size:]
}
