package directory

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/orientation"
)

// paris is the zone the dates of messages are written in.
var paris = orientation.Paris()

// The events of a referral that send messages.
const (
	EventSent      = "sent"
	EventReminder  = "reminder"
	EventAccepted  = "accepted"
	EventRefused   = "refused"
	EventExpired   = "expired"
	EventDone      = "done"
	EventCancelled = "cancelled"
)

// Account is an account to tell, by its ID and email.
type Account struct {
	ID    int64
	Email string
}

// Recipients are who hears of a referral: its sender and the person's
// référent (professionals, by email), the receiving structure (its
// accounts, or the contact email of the service when it has none), and the
// person when they asked to be told.
type Recipients struct {
	Sender, Referent Account
	Structure        []Account
	ContactEmail     string // the service's (else the structure's) email, for a structure without accounts
	PersonEmail      string
	PersonPhone      string
}

// Messages builds the messages of a referral's event. They carry no
// sensitive content: professionals get the referral's number and a link
// that asks them to sign in; the structure without accounts gets the
// service's name, the date to answer by and its single-use link (link);
// the person is told that a step of their pathway moved and to ask their
// référent, with no service or structure named (a service's name can reveal
// a health or justice matter). base is the public address of Parcours.
func Messages(base, event string, r Referral, to Recipients, link string) []notify.Message {
	base = strings.TrimSuffix(base, "/")
	id := strconv.FormatInt(r.ID, 10)
	key := func(who string) string { return "referral:" + id + ":" + event + ":" + who }
	page := base + "/adressages/" + id
	var out []notify.Message
	pro := func(subject, body string, accounts ...Account) {
		seen := map[int64]bool{}
		for _, a := range accounts {
			if a.ID == 0 || seen[a.ID] || a.Email == "" {
				continue
			}
			seen[a.ID] = true
			out = append(out, notify.Message{Channel: notify.Email, To: a.Email, Subject: subject, Key: key("account:" + strconv.FormatInt(a.ID, 10)),
				Body: body + "\n\nConsultez l'adressage (connexion requise) : " + page + "\n\n— Parcours, plateforme du Service public de l'insertion et de l'emploi"})
		}
	}
	due := r.ExpiresAt().In(paris).Format("02/01/2006")
	switch event {
	case EventSent, EventReminder:
		subject := "Nouvelle orientation vers votre service n° " + id
		intro := "Une personne accompagnée est orientée vers votre service « " + r.ServiceName + " »."
		if event == EventReminder {
			subject = "Rappel : orientation n° " + id + " en attente de votre réponse"
			intro = "Une orientation vers votre service « " + r.ServiceName + " » attend toujours votre réponse."
		}
		body := intro + "\nMerci de l'accepter ou de la refuser avant le " + due + " ; sans réponse, elle expirera."
		if len(to.Structure) > 0 {
			pro(subject, body, to.Structure...)
		} else if to.ContactEmail != "" && link != "" {
			out = append(out, notify.Message{Channel: notify.Email, To: to.ContactEmail, Subject: subject, Key: key("contact"),
				Body: body + "\n\nRépondez par ce lien personnel, valable 8 jours et utilisable une fois (sans compte) :\n" + link +
					"\n\nNe transférez pas ce message : le lien donne accès aux informations de l'orientation." +
					"\n\n— Parcours, plateforme du Service public de l'insertion et de l'emploi"})
		}
		return out
	}
	var verb string
	switch event {
	case EventAccepted:
		verb = "a été acceptée par le service"
	case EventRefused:
		verb = "a été refusée par le service (motif : " + RefusalLabel(r.RefusalReason) + ")"
	case EventExpired:
		verb = fmt.Sprintf("a expiré : le service n'a pas répondu en %d jours", ExpiryDays)
	case EventDone:
		verb = "est réalisée"
	case EventCancelled:
		verb = "a été annulée"
	default:
		return nil
	}
	pro("Orientation n° "+id+" vers un service : "+ReferralStatus(event).shortLabel(), "L'orientation n° "+id+" "+verb+".", to.Sender, to.Referent)
	if r.NotifyPerson {
		text := "Bonjour, une démarche de votre parcours a avancé : " + personLabel(event) + ". Votre référent vous en dira plus."
		if to.PersonEmail != "" {
			out = append(out, notify.Message{Channel: notify.Email, To: to.PersonEmail, PersonID: r.PersonID, Key: key("person:email"),
				Subject: "Votre parcours : une démarche a avancé", Body: text + "\n\n— Parcours, Service public de l'insertion et de l'emploi"})
		} else if to.PersonPhone != "" {
			out = append(out, notify.Message{Channel: notify.SMS, To: to.PersonPhone, PersonID: r.PersonID, Key: key("person:sms"), Body: text})
		}
	}
	return out
}

// shortLabel is the one-word state for a subject line.
func (s ReferralStatus) shortLabel() string {
	switch s {
	case ReferralAccepted:
		return "acceptée"
	case ReferralRefused:
		return "refusée"
	case ReferralExpired:
		return "expirée"
	case ReferralDone:
		return "réalisée"
	case ReferralCancelled:
		return "annulée"
	}
	return string(s)
}

// personLabel says what happened in words for the person.
func personLabel(event string) string {
	switch event {
	case EventAccepted:
		return "un service partenaire a accepté de vous recevoir"
	case EventRefused:
		return "un service partenaire ne peut pas vous recevoir"
	case EventExpired:
		return "un service partenaire n'a pas répondu à temps"
	case EventDone:
		return "une démarche auprès d'un service partenaire est terminée"
	case EventCancelled:
		return "une demande auprès d'un service partenaire a été annulée"
	}
	return "votre parcours a changé"
}
