package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/appointment"
	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/person"
)

// The messages of invitations and appointments. Their words come from
// appointment (which cannot say the type's label, a diagnostic or a note);
// this file finds the recipients and their channels, makes the links, and
// attaches the iCalendar invitation to emails. Each message to the person
// carries the link that stops its channel.

// contactOf reads what messages to the person need.
type contact struct {
	email, phone string
}

func personContact(ctx context.Context, d db, personID int64) (contact, error) {
	var c contact
	err := d.queryRow(ctx, `SELECT email, phone FROM persons WHERE id = ?`, personID).Scan(&c.email, &c.phone)
	return c, err
}

// mobileNumber returns the person's phone when SMS reach it (06, 07).
func mobileNumber(phone string) string {
	n, ok := person.FrenchPhone(phone)
	if ok && (strings.HasPrefix(n, "06") || strings.HasPrefix(n, "07")) {
		return n
	}
	return ""
}

// stopURL makes a link that stops a channel for the person.
func stopURL(ctx context.Context, d db, base string, personID int64, channel notify.Channel, at time.Time) (string, error) {
	token := account.NewToken("stop_")
	if _, err := d.exec(ctx, `INSERT INTO contact_stop_links (token_hash, person_id, channel, created_at) VALUES (?, ?, ?, ?)`,
		account.HashToken(token), personID, string(channel), at.UTC()); err != nil {
		return "", err
	}
	return base + "/desabonnement/" + token, nil
}

// sender is the structure as the messages name it.
func sender(ctx context.Context, d db, structureID int64) (appointment.Sender, error) {
	var s appointment.Sender
	err := d.queryRow(ctx, `SELECT name, phone FROM structures WHERE id = ?`, structureID).Scan(&s.Name, &s.Phone)
	return s, err
}

// appointmentMessages builds the messages of a notice.
func (s *Store) appointmentMessages(ctx context.Context, d db, n Notice, base string) ([]notify.Message, error) {
	base = strings.TrimRight(base, "/")
	at := time.Now().UTC()
	switch n.Event {
	case NoticeInvitation, NoticeInvitationReminder:
		return s.invitationMessages(ctx, d, n, base, at)
	case NoticeInvitationExpired:
		accs, err := structureAccounts(ctx, d, n.Invitation.StructureID)
		if err != nil {
			return nil, err
		}
		return expiredMessages(n.Invitation, accs, base), nil
	case NoticeCancelled:
		// The person cancelled: the structure is told, it may convene.
		accs, err := structureAccounts(ctx, d, n.Appointment.StructureID)
		if err != nil {
			return nil, err
		}
		return structureMessages(accs, "appointment:"+strconv.FormatInt(n.Appointment.ID, 10)+":cancelled",
			"Rendez-vous annulé par la personne",
			"Une personne a annulé son rendez-vous du "+appointment.WhenText(n.Appointment.StartsAt)+".\n\n"+
				"Vous pouvez lui proposer un autre rendez-vous ou la convoquer, depuis sa page de rendez-vous (connexion requise) : "+
				base+"/personnes/"+strconv.FormatInt(n.Appointment.PersonID, 10)+"/rendez-vous"), nil
	default:
		return s.personAppointmentMessages(ctx, d, n, base, at)
	}
}

// expiredMessages tells the structure's accounts accs that an invitation
// expired with no slot chosen.
func expiredMessages(inv appointment.Invitation, accs []structureAccount, base string) []notify.Message {
	return structureMessages(accs, "invitation:"+strconv.FormatInt(inv.ID, 10)+":expired",
		"Invitation sans réponse : une convocation est possible",
		"Une personne invitée à prendre rendez-vous n'a choisi aucun créneau avant la fin de son invitation.\n\n"+
			"Vous pouvez la convoquer à un rendez-vous fixé, depuis sa page de rendez-vous (connexion requise) : "+
			base+"/personnes/"+strconv.FormatInt(inv.PersonID, 10)+"/rendez-vous")
}

// invitationMessages writes the invitation (or its reminder) to the person
// on the channels the invitation chose, with its link.
func (s *Store) invitationMessages(ctx context.Context, d db, n Notice, base string, at time.Time) ([]notify.Message, error) {
	inv := n.Invitation
	// The person's contact, the sender and the type's category in one
	// query: the reminder job runs it for each invitation.
	var c contact
	var from appointment.Sender
	var t appointment.Type
	var cat string
	if err := d.queryRow(ctx, `SELECT p.email, p.phone, s.name, s.phone, t.category FROM persons p, structures s, appointment_types t
		WHERE p.id = ? AND s.id = ? AND t.id = ?`, inv.PersonID, inv.StructureID, inv.TypeID).
		Scan(&c.email, &c.phone, &from.Name, &from.Phone, &cat); err != nil {
		return nil, err
	}
	t.Category = appointment.Category(cat)
	link := base + "/rdv/" + n.Token
	notice := appointment.InvitationNotice(inv, t, from)
	write := func(n appointment.Notice) appointment.Message { return appointment.InvitationMessage(n, link) }
	if n.Event == NoticeInvitationReminder {
		write = func(n appointment.Notice) appointment.Message { return appointment.ReminderMessage(n, link) }
	}
	key := "invitation:" + strconv.FormatInt(inv.ID, 10) + ":" + n.Event
	var out []notify.Message
	for _, ch := range inv.Channels {
		m, ok, err := personMessage(ctx, d, base, inv.PersonID, c, notify.Channel(ch), key, notice, write, at)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, m)
		}
	}
	return out, nil
}

// personMessage writes a notice to the person on a channel, when they have
// an address on it, with the link that stops the channel (the SMS is
// written to leave it room).
func personMessage(ctx context.Context, d db, base string, personID int64, c contact, ch notify.Channel, key string,
	n appointment.Notice, write func(appointment.Notice) appointment.Message, at time.Time) (notify.Message, bool, error) {
	m := notify.Message{Channel: ch, PersonID: personID, Key: key + ":" + string(ch)}
	switch ch {
	case notify.Email:
		m.To = c.email
	case notify.SMS:
		m.To = mobileNumber(c.phone)
	}
	if m.To == "" {
		return m, false, nil
	}
	stop, err := stopURL(ctx, d, base, personID, ch, at)
	if err != nil {
		return m, false, err
	}
	m.StopURL = stop
	if ch == notify.SMS {
		n.SMSRoom = notify.SMSRoom(stop)
		m.Body = write(n).SMS
	} else {
		text := write(n)
		m.Subject, m.Body = text.Subject, text.Email
	}
	return m, true, nil
}

// personAppointmentMessages writes an appointment's confirmation,
// convocation, reminder or revocation to the person, by email (with the
// iCalendar invitation) and SMS when they have them.
func (s *Store) personAppointmentMessages(ctx context.Context, d db, n Notice, base string, at time.Time) ([]notify.Message, error) {
	a := n.Appointment
	c, err := personContact(ctx, d, a.PersonID)
	if err != nil {
		return nil, err
	}
	from, err := sender(ctx, d, a.StructureID)
	if err != nil {
		return nil, err
	}
	t, err := scanType(d.queryRow(ctx, `SELECT `+typeColumns+` FROM appointment_types WHERE id = ?`, a.TypeID))
	if err != nil {
		return nil, err
	}
	var venue appointment.Venue
	var place appointment.Place
	var kind string
	err = d.queryRow(ctx, `SELECT kind, address, commune_insee FROM agenda_places WHERE id = ?`, a.PlaceID).Scan(&kind, &place.Address, &place.CommuneINSEE)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	place.Kind = appointment.PlaceKind(kind)
	venue = appointment.VenueOf(place, "")
	token := n.Token
	if token == "" { // a revocation: a fresh link to choose another date
		if token, err = newToken(ctx, d, "appointment_links", "appointment_id", a.ID, at); err != nil {
			return nil, err
		}
	}
	link := base + "/rdv/gerer/" + token
	notice := appointment.AppointmentNotice(a, t, from, venue)
	var write func(appointment.Notice, string) appointment.Message
	switch n.Event {
	case NoticeBooked:
		write = appointment.ConfirmationMessage
	case NoticeConvocation:
		write = appointment.ConvocationMessage
	case NoticeRevoked:
		write = appointment.CancellationMessage
	case NoticeReminder48:
		write = appointment.Reminder48Message
	case NoticeReminder24:
		write = appointment.Reminder24Message
	default:
		return nil, fmt.Errorf("appointment notice %q", n.Event)
	}
	key := "appointment:" + strconv.FormatInt(a.ID, 10) + ":" + n.Event
	var out []notify.Message
	for _, ch := range []notify.Channel{notify.Email, notify.SMS} {
		m, ok, err := personMessage(ctx, d, base, a.PersonID, c, ch, key, notice,
			func(n appointment.Notice) appointment.Message { return write(n, link) }, at)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if ch == notify.Email && (n.Event == NoticeBooked || n.Event == NoticeConvocation || n.Event == NoticeRevoked) {
			host := "parcours"
			if u, err := url.Parse(base); err == nil && u.Hostname() != "" {
				host = u.Hostname()
			}
			location := venue.Address
			switch venue.Kind {
			case appointment.PlacePhone:
				location = "Par téléphone"
			case appointment.PlaceVideo:
				location = "En visio"
			}
			ev := notify.Event{UID: "rdv-" + strconv.FormatInt(a.ID, 10) + "@" + host, Start: a.StartsAt, End: a.EndsAt(),
				Summary: "Rendez-vous — " + from.Name, Location: strings.TrimSpace(strings.Trim(from.Name+", "+location, ", ")),
				Description: "Pour voir, déplacer ou annuler ce rendez-vous : " + link, Attendee: c.email,
				Cancelled: n.Event == NoticeRevoked}
			if ev.Cancelled {
				ev.Sequence = 1
			}
			m.Attachments = []notify.Attachment{{Name: "rendez-vous.ics", ContentType: "text/calendar; method=" + map[bool]string{true: "CANCEL", false: "REQUEST"}[ev.Cancelled],
				Data: notify.ICS(ev, at)}}
		}
		out = append(out, m)
	}
	return out, nil
}

// structureAccount is an account told of a structure's appointments: its
// ID, as the key of its messages says it, and its email.
type structureAccount struct{ id, email string }

// structureAccounts returns the accounts of a structure that are told of
// its appointments: its professionals and managers still enabled.
func structureAccounts(ctx context.Context, d db, structureID int64) ([]structureAccount, error) {
	return collect(ctx, d, func(rows *sql.Rows) (structureAccount, error) {
		var a structureAccount
		err := rows.Scan(&a.id, &a.email)
		return a, err
	}, `SELECT DISTINCT a.id, a.email FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE m.structure_id = ?
		AND m.role IN ('professional', 'structure_manager') AND a.disabled_at IS NULL ORDER BY a.id`, structureID)
}

// structureMessages writes a message to the accounts of a structure,
// naming nobody; the link asks for sign-in.
func structureMessages(accs []structureAccount, key, subject, body string) []notify.Message {
	var out []notify.Message
	for _, a := range accs {
		out = append(out, notify.Message{Channel: notify.Email, To: a.email, Key: key + ":account:" + a.id, Subject: subject,
			Body: body + "\n\n— Parcours, plateforme du Service public de l'insertion et de l'emploi"})
	}
	return out
}
