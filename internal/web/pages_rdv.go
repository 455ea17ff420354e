package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/appointment"
	"github.com/spie-parcours/parcours/internal/audit"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
)

// The public pages of the links in the messages to a person: the
// invitation to choose a slot (/rdv/{token}), the page of an appointment to
// move or cancel it (/rdv/gerer/{token}), and the stop of a channel
// (/desabonnement/{token}). The token is the credential: no account, no
// personal data beyond the first name, the token never written in the page
// but in the action of its forms. An invitation token opens no appointment
// and an appointment token no invitation (they live in different tables).
// Every page that shows something of the person writes an audit entry with
// no account; the store audits the changes.

// The reasons of the audit entries written by the pages of links.
const (
	reasonInvitationLink  = "invitation link"
	reasonAppointmentLink = "appointment link"
	reasonStopLink        = "stop link"
)

// The prefixes of the tokens of the links (store.newToken and
// store.stopURL make them).
const (
	prefixRdvToken  = "rdv_"
	prefixStopToken = "stop_"
)

// linkToken returns the token of the request's path when it is shaped like
// a token of the prefix: anything else is answered like an unknown token,
// without a query.
func linkToken(r *http.Request, prefix string) (string, bool) {
	t := r.PathValue("token")
	if !strings.HasPrefix(t, prefix) || len(t) <= len(prefix) || len(t) > 80 {
		return "", false
	}
	for _, c := range t[len(prefix):] {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return "", false
		}
	}
	return t, true
}

// goneError is the answer of a link that cannot serve: unknown, or an
// invitation expired. It is rendered as the French page rdv_gone, status
// 404, and tells nothing of the person.
type goneError struct {
	expired time.Time // when the invitation expired; zero for an unknown link
	from    appointment.Sender
}

func (e *goneError) Error() string { return "web: lien de message inutilisable" }

var errLinkUnknown = &goneError{}

type rdvGonePage struct {
	page
	Expired string // "lundi 7 décembre", or "" for an unknown link
	Call    string // whom to call
}

// linkPage renders the page of a link that cannot serve, and passes any
// other error on to fail.
func (s *Server) linkPage(w http.ResponseWriter, r *http.Request, err error) error {
	var g *goneError
	if !errors.As(err, &g) {
		return err
	}
	data := &rdvGonePage{page: s.page(r, "Lien non valable")}
	if !g.expired.IsZero() {
		data.Title, data.Expired = "Lien expiré", appointment.DayText(g.expired)
		data.Call = callText("Pour prendre rendez-vous", g.from)
	}
	s.render(w, r, http.StatusNotFound, "rdv_gone", data)
	return nil
}

// callText says whom to call, and at which number when the structure
// publishes one: "Pour prendre rendez-vous, appelez CCAS de Belfort au 03 84 …".
func callText(lead string, from appointment.Sender) string {
	if from.Name == "" {
		return ""
	}
	if from.Phone == "" {
		return lead + ", contactez " + from.Name + "."
	}
	return lead + ", appelez " + from.Name + " au " + from.Phone + "."
}

// auditLink writes the audit entry of a read through a link: no account,
// the structure concerned, why.
func (s *Server) auditLink(ctx context.Context, structureID, personID int64, section person.Section, reason string) error {
	return s.store.Audit(ctx, audit.Entry{At: s.now(), StructureID: structureID, PersonID: personID, Section: string(section),
		Action: audit.ActionRead, Outcome: audit.Allowed, Reason: reason})
}

// linkSender reads the structure as the person knows it: its public name and
// phone.
func (s *Server) linkSender(ctx context.Context, structureID int64) (appointment.Sender, error) {
	st, err := s.store.Structure(ctx, structureID)
	if err != nil {
		return appointment.Sender{}, err
	}
	return appointment.Sender{Name: st.Name, Phone: st.Phone}, nil
}

// purposeText says what an appointment is for with its category's words
// only: the type's label ("Consultation addictologie") is never shown.
func purposeText(c appointment.Category) string {
	switch c {
	case appointment.CategoryOrientation:
		return "un rendez-vous d'orientation"
	case appointment.CategoryAccompaniment:
		return "un rendez-vous d'accompagnement"
	case appointment.CategoryInformation:
		return "une réunion d'information collective"
	}
	return "un rendez-vous"
}

// rdvPageData is the data of the pages of invitation and appointment
// links (template rdv).
type rdvPageData struct {
	page
	Heading     string // the h1: the title may not hold the first name
	Lead        string
	Error       string // shown with role=alert
	Appointment *rdvAppointment
	Notes       []string
	Manage      string // the path of the appointment's page, after a booking
	Offer       *rdvOffer
	Cancel      string // the action of the cancellation form, when possible
	Call        string
}

// rdvAppointment is an appointment as the person sees it.
type rdvAppointment struct {
	When   string
	Venue  string
	Video  string // the link of a video call still to come
	Status string
	Badge  string // the DSFR badge modifier of the status
}

// rdvOffer is a form to choose a slot, grouped by day.
type rdvOffer struct {
	Action     string
	Intent     string // the value of the hidden field "action", "" for none
	Title      string // the h2 of the section
	Legend     string
	Submit     string
	Venue      string // the place of every slot, when they share one
	Days       []rdvDay
	Empty      string // what to say when there is no slot
	FieldError string
}

type rdvDay struct {
	ID    string
	Label string
	Slots []rdvSlot
}

type rdvSlot struct {
	ID, Value, Time, Hint string
}

// slotValue identifies a slot in a form: its agenda and its start.
func slotValue(sl appointment.Slot) string {
	return strconv.FormatInt(sl.AgendaID, 10) + "-" + strconv.FormatInt(sl.StartsAt.Unix(), 10)
}

func parseSlotValue(v string) (int64, time.Time, bool) {
	a, b, ok := strings.Cut(v, "-")
	if !ok {
		return 0, time.Time{}, false
	}
	agenda, err1 := strconv.ParseInt(a, 10, 64)
	at, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || agenda <= 0 || at <= 0 {
		return 0, time.Time{}, false
	}
	return agenda, time.Unix(at, 0).UTC(), true
}

// linkVenue is where an appointment takes place, as the pages say it.
type linkVenue struct {
	full  string // "Lieu : CCAS de Belfort, 2 rue …"
	short string // for a slot: "2 rue …", "Par téléphone", "En visio"
	video string // the link of a video call
}

// linkVenueOf says where a place is, with the structure's public name; like
// the messages it leaves out the place's label and access details, but
// gives the link of a video call, which the messages promise is on the
// appointment's page.
func (s *Server) linkVenueOf(p appointment.Place, structure string) linkVenue {
	commune := ""
	if s.cfg.Referential != nil {
		if c, ok := s.cfg.Referential.Commune(p.CommuneINSEE); ok {
			commune = c.Name
		}
	}
	v := appointment.VenueOf(p, commune)
	switch v.Kind {
	case appointment.PlacePhone:
		return linkVenue{full: "Par téléphone : " + structure + " vous appellera.", short: "Par téléphone"}
	case appointment.PlaceVideo:
		out := linkVenue{full: "En visio.", short: "En visio"}
		if strings.HasPrefix(strings.TrimSpace(p.Details), "https://") {
			out.video = strings.TrimSpace(p.Details)
		}
		return out
	}
	if v.Address == "" {
		return linkVenue{full: "Lieu : " + structure + ".", short: structure}
	}
	return linkVenue{full: "Lieu : " + structure + ", " + v.Address + ".", short: v.Address}
}

// agendaPlaces returns the places of the structure's agendas, by ID.
func (s *Server) agendaPlaces(ctx context.Context, territoryID, structureID int64) (map[int64]appointment.Place, error) {
	as, err := s.store.Agendas(ctx, store.AgendaFilter{TerritoryID: territoryID, StructureIDs: []int64{structureID}})
	if err != nil {
		return nil, err
	}
	out := map[int64]appointment.Place{}
	for _, a := range as {
		for _, p := range a.Places {
			out[p.ID] = p
		}
	}
	return out, nil
}

// appointmentView shows an appointment to the person.
func (s *Server) appointmentView(ctx context.Context, a appointment.Appointment, from appointment.Sender) (*rdvAppointment, error) {
	ps, err := s.agendaPlaces(ctx, a.TerritoryID, a.StructureID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	v := s.linkVenueOf(ps[a.PlaceID], from.Name)
	out := &rdvAppointment{When: firstUpper(appointment.WhenText(a.StartsAt)), Venue: v.full}
	switch {
	case a.Status == appointment.StatusUnknown && !a.Past(now):
		out.Status, out.Badge = "À venir", "fr-badge--info"
		out.Video = v.video
	case a.Status == appointment.StatusUnknown:
		out.Status = "Passé"
	case a.Status == appointment.StatusSeen:
		out.Status, out.Badge = "Honoré", "fr-badge--success"
	case a.Status == appointment.StatusExcused:
		out.Status, out.Badge = "Annulé à votre demande", "fr-badge--warning"
	case a.Status == appointment.StatusRevoked:
		out.Status, out.Badge = "Annulé par "+from.Name, "fr-badge--error"
	case a.Status == appointment.StatusNoshow:
		out.Status, out.Badge = "Absence non excusée", "fr-badge--error"
	default:
		out.Status = a.Status.Label(a.Past(now))
	}
	return out, nil
}

// firstUpper returns s with its first letter in upper case.
func firstUpper(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// slotOffer lists the free slots of the structure's agendas for the type
// within the booking window, grouped by day; skip leaves some out (the
// slot of the appointment being moved).
func (s *Server) slotOffer(ctx context.Context, personID, territoryID, structureID, typeID int64, expiry time.Time, from appointment.Sender,
	skip func(appointment.Slot) bool) (*rdvOffer, error) {
	start, end, err := s.bookingWindow(ctx, personID, structureID, expiry)
	if err != nil {
		return nil, err
	}
	slots, err := s.store.Slots(ctx, store.SlotFilter{TerritoryID: territoryID, StructureIDs: []int64{structureID}, TypeID: typeID,
		From: start, To: end, Now: s.now(), FreeOnly: true})
	if err != nil {
		return nil, err
	}
	appointment.SortSlots(slots) // the store lists them agenda by agenda
	ps, err := s.agendaPlaces(ctx, territoryID, structureID)
	if err != nil {
		return nil, err
	}
	// Two agendas free at the same time at the same place are one choice
	// for the person: the first agenda serves it.
	type choice struct {
		sl appointment.Slot
		v  linkVenue
	}
	var cs []choice
	seen := map[string]bool{}
	venues := map[string]bool{}
	for _, sl := range slots {
		if skip != nil && skip(sl) {
			continue
		}
		v := s.linkVenueOf(ps[sl.PlaceID], from.Name)
		key := strconv.FormatInt(sl.StartsAt.Unix(), 10) + "|" + v.full
		if seen[key] {
			continue
		}
		seen[key] = true
		venues[v.full] = true
		cs = append(cs, choice{sl, v})
	}
	o := &rdvOffer{Empty: "Aucun créneau n'est libre pour le moment. " + callText("Pour convenir d'un rendez-vous", from)}
	if len(venues) == 1 {
		o.Venue = cs[0].v.full
	}
	for _, c := range cs {
		day := appointment.DayText(c.sl.StartsAt)
		if n := len(o.Days); n == 0 || o.Days[n-1].Label != firstUpper(day) {
			o.Days = append(o.Days, rdvDay{ID: "jour-" + strconv.Itoa(len(o.Days)+1), Label: firstUpper(day)})
		}
		d := &o.Days[len(o.Days)-1]
		clock := strings.TrimPrefix(appointment.WhenText(c.sl.StartsAt), day+" à ")
		sl := rdvSlot{ID: d.ID + "-" + strconv.Itoa(len(d.Slots)+1), Value: slotValue(c.sl), Time: clock}
		var hints []string
		if len(venues) > 1 {
			hints = append(hints, c.v.short)
		}
		if c.sl.Capacity > 1 {
			hints = append(hints, seatsLeft(c.sl.Free()))
		}
		sl.Hint = strings.Join(hints, " · ")
		d.Slots = append(d.Slots, sl)
	}
	return o, nil
}

// seatsLeft says how many seats are left.
func seatsLeft(n int) string {
	if n == 1 {
		return "1 place restante"
	}
	return strconv.Itoa(n) + " places restantes"
}

// pickSlot checks the slot chosen in a form: a slot of an agenda of the
// structure for the type, in the booking window, with a seat left.
func (s *Server) pickSlot(ctx context.Context, value string, personID, territoryID, structureID, typeID int64, expiry time.Time) (appointment.Slot, error) {
	agendaID, at, ok := parseSlotValue(value)
	if !ok {
		return appointment.Slot{}, problem.InvalidFields("Choisissez une date et une heure dans la liste.",
			problem.Field{Field: "slot", Message: "Choisissez une date et une heure dans la liste."})
	}
	start, end, err := s.bookingWindow(ctx, personID, structureID, expiry)
	if err != nil {
		return appointment.Slot{}, err
	}
	errGone := problem.InvalidFields("Ce créneau n'est plus proposé : choisissez-en un autre.",
		problem.Field{Field: "slot", Message: "Ce créneau n'est plus proposé : choisissez-en un autre."})
	if at.Before(start) || !at.Before(end) {
		return appointment.Slot{}, errGone
	}
	sl, err := s.findSlot(ctx, territoryID, structureID, agendaID, typeID, at)
	if p, ok := problem.As(err); ok && p.Kind == problem.Invalid {
		return appointment.Slot{}, errGone
	}
	return sl, err
}

// bookingError maps the failures of a booking to what the person reads,
// with the status of the page; other errors are returned as they are.
func bookingError(err error) (int, string, string, error) {
	switch p, ok := problem.As(err); {
	case ok && p.Kind == problem.Invalid:
		return http.StatusBadRequest, p.Detail, p.Detail, nil
	case errors.Is(err, errSlotTaken), errors.Is(err, store.ErrSlotFull):
		return http.StatusConflict, "Ce créneau vient d'être pris par quelqu'un d'autre : choisissez-en un autre.", "", nil
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict, "Vous avez déjà un rendez-vous à cette heure-là : choisissez un autre créneau.", "", nil
	}
	return 0, "", "", err
}

// channelsText says how the confirmation reaches the person: the channels
// they have and did not stop.
func (s *Server) channelsText(ctx context.Context, personID int64) (string, error) {
	p, err := s.store.Person(ctx, personID)
	if err != nil {
		return "", err
	}
	stopped, err := s.store.StoppedChannels(ctx, personID)
	if err != nil {
		return "", err
	}
	email := p.Email != "" && !slices.Contains(stopped, "email")
	sms := mobile(p.Phone) && !slices.Contains(stopped, "sms")
	const link = ", avec le lien pour déplacer ou annuler ce rendez-vous."
	switch {
	case email && sms:
		return "Vous allez recevoir une confirmation par courriel et par SMS" + link, nil
	case email:
		return "Vous allez recevoir une confirmation par courriel" + link, nil
	case sms:
		return "Vous allez recevoir une confirmation par SMS" + link, nil
	}
	return "Notez bien la date et l'heure : vous ne recevrez pas de confirmation par courriel ni par SMS.", nil
}

// bookedPage is the page of an appointment just booked or moved.
func (s *Server) bookedPage(w http.ResponseWriter, r *http.Request, a appointment.Appointment, token, heading string, from appointment.Sender) error {
	ctx := r.Context()
	card, err := s.appointmentView(ctx, a, from)
	if err != nil {
		return err
	}
	sent, err := s.channelsText(ctx, a.PersonID)
	if err != nil {
		return err
	}
	data := &rdvPageData{page: s.page(r, heading), Heading: heading, Appointment: card, Notes: []string{sent},
		Call: callText("Une question, un empêchement", from)}
	if token != "" {
		data.Manage = "/rdv/gerer/" + token
	}
	s.render(w, r, http.StatusOK, "rdv", data)
	return nil
}

// The invitation link.

// linkInvitation reads the invitation a link opens and audits the read.
// An unknown token, or an invitation expired before a slot was chosen, is
// a goneError, audited nowhere: its page tells nothing of the person.
func (s *Server) linkInvitation(r *http.Request) (appointment.Invitation, string, appointment.Sender, error) {
	ctx := r.Context()
	token, ok := linkToken(r, prefixRdvToken)
	if !ok {
		return appointment.Invitation{}, "", appointment.Sender{}, errLinkUnknown
	}
	inv, err := s.store.InvitationByLink(ctx, token)
	if errors.Is(err, store.ErrLinkInvalid) {
		return inv, "", appointment.Sender{}, errLinkUnknown
	}
	if err != nil {
		return inv, "", appointment.Sender{}, err
	}
	from, err := s.linkSender(ctx, inv.StructureID)
	if err != nil {
		return inv, "", from, err
	}
	if inv.AppointmentID == 0 {
		if expired := expiredAt(inv, s.now()); !expired.IsZero() {
			return inv, "", from, &goneError{expired: expired, from: from}
		}
	}
	if err := s.auditLink(ctx, inv.StructureID, inv.PersonID, person.SectionAppointments, reasonInvitationLink); err != nil {
		return inv, "", from, err
	}
	return inv, token, from, nil
}

// expiredAt returns when the invitation stopped working, or zero while it
// works: at its expiry, or when it was closed as expired before.
func expiredAt(inv appointment.Invitation, now time.Time) time.Time {
	switch {
	case appointment.Expired(inv, now):
		return inv.ExpiresAt
	case !inv.ExpiredAt.IsZero():
		return inv.ExpiredAt
	}
	return time.Time{}
}

func (s *Server) invitationLinkPage(w http.ResponseWriter, r *http.Request) error {
	inv, token, from, err := s.linkInvitation(r)
	if err != nil {
		return s.linkPage(w, r, err)
	}
	if inv.AppointmentID != 0 {
		return s.alreadyBooked(w, r, http.StatusOK, inv, from)
	}
	return s.invitationForm(w, r, http.StatusOK, inv, token, from, "", "")
}

// invitationForm is the invitation's page: whom and what for, and the
// slots to choose from.
func (s *Server) invitationForm(w http.ResponseWriter, r *http.Request, status int, inv appointment.Invitation, token string,
	from appointment.Sender, alert, fieldError string) error {
	ctx := r.Context()
	p, err := s.store.Person(ctx, inv.PersonID)
	if err != nil {
		return err
	}
	t, err := s.store.AppointmentType(ctx, inv.TypeID)
	if err != nil {
		return err
	}
	o, err := s.slotOffer(ctx, inv.PersonID, inv.TerritoryID, inv.StructureID, inv.TypeID, inv.ExpiresAt, from, nil)
	if err != nil {
		return err
	}
	o.Action, o.Title, o.Submit = "/rdv/"+token, "Choisissez votre rendez-vous", "Confirmer ce rendez-vous"
	o.Legend, o.FieldError = "Date et heure du rendez-vous", fieldError
	data := &rdvPageData{page: s.page(r, "Prendre rendez-vous"), Heading: "Bonjour " + p.FirstName,
		Lead: from.Name + " vous invite à " + purposeText(t.Category) + ".", Error: alert, Offer: o,
		Call: callText("Une question", from)}
	if len(o.Days) > 0 {
		note := "Choisissez la date et l'heure qui vous conviennent."
		if d := appointment.LastDay(inv); !d.IsZero() {
			note += " Ce lien est valable jusqu'au " + appointment.DayText(d) + "."
		}
		data.Notes = append(data.Notes, note)
	}
	s.render(w, r, status, "rdv", data)
	return nil
}

// alreadyBooked is the answer of an invitation through which a slot was
// chosen: the appointment it booked, or the one that replaced it, and
// where to manage it (the link of the confirmation: the invitation's link
// makes no other).
func (s *Server) alreadyBooked(w http.ResponseWriter, r *http.Request, status int, inv appointment.Invitation, from appointment.Sender) error {
	ctx := r.Context()
	a, err := s.store.Appointment(ctx, inv.AppointmentID)
	if err != nil {
		return err
	}
	if a.Status != appointment.StatusUnknown {
		if next, ok, err := s.nextAppointment(ctx, a); err != nil {
			return err
		} else if ok {
			a = next
		}
	}
	card, err := s.appointmentView(ctx, a, from)
	if err != nil {
		return err
	}
	data := &rdvPageData{page: s.page(r, "Rendez-vous déjà pris"), Heading: "Votre rendez-vous est déjà pris", Appointment: card,
		Notes: []string{"Pour le déplacer ou l'annuler, utilisez le lien du message de confirmation reçu par courriel ou par SMS."},
		Call:  callText("Une question, un empêchement", from)}
	s.render(w, r, status, "rdv", data)
	return nil
}

// nextAppointment returns the person's next appointment still to come with
// the structure of a, other than a: the one that replaced it.
func (s *Server) nextAppointment(ctx context.Context, a appointment.Appointment) (appointment.Appointment, bool, error) {
	now := s.now()
	apps, err := s.store.Appointments(ctx, store.AppointmentFilter{PersonID: a.PersonID, StructureIDs: []int64{a.StructureID}, From: now})
	if err != nil {
		return a, false, err
	}
	for _, n := range apps {
		if n.ID != a.ID && n.Status == appointment.StatusUnknown {
			return n, true, nil
		}
	}
	return a, false, nil
}

// invitationLinkBook books the slot chosen through an invitation.
func (s *Server) invitationLinkBook(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	ctx := r.Context()
	inv, token, from, err := s.linkInvitation(r)
	if err != nil {
		return s.linkPage(w, r, err)
	}
	if inv.AppointmentID != 0 {
		return s.alreadyBooked(w, r, http.StatusConflict, inv, from)
	}
	chosen := r.PostFormValue("slot")
	sl, err := s.pickSlot(ctx, chosen, inv.PersonID, inv.TerritoryID, inv.StructureID, inv.TypeID, inv.ExpiresAt)
	var b *store.Booking
	if err == nil {
		a := &appointment.Appointment{PersonID: inv.PersonID, TerritoryID: inv.TerritoryID, StructureID: inv.StructureID,
			AgendaID: sl.AgendaID, TypeID: sl.TypeID, PlaceID: sl.PlaceID, OrientationID: inv.OrientationID, InvitationID: inv.ID,
			StartsAt: sl.StartsAt, DurationMin: sl.DurationMin, Origin: appointment.OriginPerson}
		b = &store.Booking{Appointment: a, Capacity: sl.Capacity}
		err = s.store.BookAppointment(ctx, b, store.Actor{StructureID: inv.StructureID, At: s.now()}, s.cfg.BaseURL)
	}
	if errors.Is(err, store.ErrLinkInvalid) { // booked or expired meanwhile
		if inv, err = s.store.Invitation(ctx, inv.ID); err != nil {
			return err
		}
		if inv.AppointmentID != 0 {
			return s.alreadyBooked(w, r, http.StatusConflict, inv, from)
		}
		return s.linkPage(w, r, &goneError{expired: expiredAt(inv, s.now()), from: from})
	}
	if err != nil {
		status, alert, field, err := bookingError(err)
		if err != nil {
			return err
		}
		return s.invitationForm(w, r, status, inv, token, from, alert, field)
	}
	return s.bookedPage(w, r, *b.Appointment, b.Token, "Votre rendez-vous est confirmé", from)
}

// The appointment link.

// linkAppointment reads the appointment a link opens and audits the read;
// an unknown token is a goneError.
func (s *Server) linkAppointment(r *http.Request) (appointment.Appointment, string, appointment.Sender, error) {
	ctx := r.Context()
	token, ok := linkToken(r, prefixRdvToken)
	if !ok {
		return appointment.Appointment{}, "", appointment.Sender{}, errLinkUnknown
	}
	a, err := s.store.AppointmentByLink(ctx, token)
	if errors.Is(err, store.ErrLinkInvalid) {
		return a, "", appointment.Sender{}, errLinkUnknown
	}
	if err != nil {
		return a, "", appointment.Sender{}, err
	}
	from, err := s.linkSender(ctx, a.StructureID)
	if err != nil {
		return a, "", from, err
	}
	if err := s.auditLink(ctx, a.StructureID, a.PersonID, person.SectionAppointments, reasonAppointmentLink); err != nil {
		return a, "", from, err
	}
	return a, token, from, nil
}

func (s *Server) manageLinkPage(w http.ResponseWriter, r *http.Request) error {
	a, token, from, err := s.linkAppointment(r)
	if err != nil {
		return s.linkPage(w, r, err)
	}
	return s.managePage(w, r, http.StatusOK, a, token, from, "", "")
}

// personCanChange reports whether the person may still move or cancel a:
// it is to come and nothing happened to it.
func personCanChange(a appointment.Appointment, now time.Time) bool {
	return a.Status == appointment.StatusUnknown && !a.Past(now) && appointment.CanSet(a, appointment.StatusExcused, now)
}

// managePage is the appointment's page: what, when and where; to come, the
// forms to move it and to cancel it; cancelled by the service, the slots
// to choose another date, unless the person already has one.
func (s *Server) managePage(w http.ResponseWriter, r *http.Request, status int, a appointment.Appointment, token string,
	from appointment.Sender, alert, fieldError string) error {
	ctx := r.Context()
	now := s.now()
	card, err := s.appointmentView(ctx, a, from)
	if err != nil {
		return err
	}
	data := &rdvPageData{page: s.page(r, "Votre rendez-vous"), Heading: "Votre rendez-vous", Appointment: card, Error: alert,
		Call: callText("Une question, un empêchement", from)}
	action := "/rdv/gerer/" + token
	switch {
	case personCanChange(a, now):
		o, err := s.slotOffer(ctx, a.PersonID, a.TerritoryID, a.StructureID, a.TypeID, time.Time{}, from, func(sl appointment.Slot) bool {
			return sl.AgendaID == a.AgendaID && sl.StartsAt.Equal(a.StartsAt)
		})
		if err != nil {
			return err
		}
		o.Action, o.Intent, o.Title = action, "move", "Changer de date"
		o.Legend, o.Submit, o.FieldError = "Nouvelle date et heure", "Déplacer mon rendez-vous", fieldError
		o.Empty = "Aucune autre date n'est libre pour le moment. " + callText("Pour convenir d'une autre date", from)
		data.Offer, data.Cancel = o, action
	case a.Status == appointment.StatusRevoked:
		data.Heading = "Votre rendez-vous a été annulé"
		next, ok, err := s.nextAppointment(ctx, a)
		if err != nil {
			return err
		}
		if ok {
			data.Notes = append(data.Notes, "Vous avez déjà choisi une autre date : le "+appointment.WhenText(next.StartsAt)+
				". Pour la déplacer ou l'annuler, utilisez le lien du message de confirmation.")
			break
		}
		o, err := s.slotOffer(ctx, a.PersonID, a.TerritoryID, a.StructureID, a.TypeID, time.Time{}, from, nil)
		if err != nil {
			return err
		}
		o.Action, o.Intent, o.Title = action, "book", "Choisissez une autre date"
		o.Legend, o.Submit, o.FieldError = "Date et heure du nouveau rendez-vous", "Confirmer ce rendez-vous", fieldError
		data.Notes = append(data.Notes, from.Name+" a dû annuler ce rendez-vous. Choisissez une autre date ci-dessous.")
		data.Offer = o
	case a.Status == appointment.StatusExcused && !a.Past(now):
		data.Notes = append(data.Notes, "Vous avez annulé ce rendez-vous. "+callText("Pour en prendre un autre", from))
		data.Call = ""
	}
	s.render(w, r, status, "rdv", data)
	return nil
}

// manageLinkAction cancels or moves the appointment (to come), or books
// another date after a cancellation by the service.
func (s *Server) manageLinkAction(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	ctx := r.Context()
	a, token, from, err := s.linkAppointment(r)
	if err != nil {
		return s.linkPage(w, r, err)
	}
	now := s.now()
	by := store.Actor{StructureID: a.StructureID, At: now}
	changed := func() error {
		fresh, err := s.store.Appointment(ctx, a.ID)
		if err != nil {
			return err
		}
		return s.managePage(w, r, http.StatusConflict, fresh, token, from,
			"Ce rendez-vous a changé entre-temps : voici ce qu'il en est maintenant.", "")
	}
	switch action := r.PostFormValue("action"); {
	case action == "cancel" && personCanChange(a, now):
		err := s.store.SetAppointmentStatus(ctx, &a, appointment.StatusExcused, by, s.cfg.BaseURL)
		if errors.Is(err, store.ErrConflict) {
			return changed()
		}
		if err != nil {
			return err
		}
		card, err := s.appointmentView(ctx, a, from)
		if err != nil {
			return err
		}
		data := &rdvPageData{page: s.page(r, "Rendez-vous annulé"), Heading: "Votre rendez-vous est annulé", Appointment: card,
			Notes: []string{from.Name + " est prévenu de votre annulation."}, Call: callText("Pour prendre un autre rendez-vous", from)}
		s.render(w, r, http.StatusOK, "rdv", data)
		return nil
	case action == "move" && personCanChange(a, now), action == "book" && a.Status == appointment.StatusRevoked:
		if action == "book" {
			if _, ok, err := s.nextAppointment(ctx, a); err != nil {
				return err
			} else if ok {
				return changed()
			}
		}
		chosen := r.PostFormValue("slot")
		var sl appointment.Slot
		var err error
		if agendaID, at, ok := parseSlotValue(chosen); ok && action == "move" && agendaID == a.AgendaID && at.Equal(a.StartsAt) {
			err = problem.InvalidFields("C'est déjà la date de votre rendez-vous : choisissez-en une autre.",
				problem.Field{Field: "slot", Message: "C'est déjà la date de votre rendez-vous : choisissez-en une autre."})
		} else {
			sl, err = s.pickSlot(ctx, chosen, a.PersonID, a.TerritoryID, a.StructureID, a.TypeID, time.Time{})
		}
		var b *store.Booking
		if err == nil {
			n := &appointment.Appointment{PersonID: a.PersonID, TerritoryID: a.TerritoryID, StructureID: a.StructureID,
				AgendaID: sl.AgendaID, TypeID: sl.TypeID, PlaceID: sl.PlaceID, OrientationID: a.OrientationID,
				StartsAt: sl.StartsAt, DurationMin: sl.DurationMin, Origin: appointment.OriginPerson}
			b = &store.Booking{Appointment: n, Capacity: sl.Capacity}
			if action == "move" {
				b.Replaces = a.ID
			}
			err = s.store.BookAppointment(ctx, b, by, s.cfg.BaseURL)
		}
		if err != nil {
			if action == "move" && errors.Is(err, store.ErrConflict) {
				// The appointment moved is no longer to come, or the
				// person holds the new slot already: show the state.
				if fresh, ferr := s.store.Appointment(ctx, a.ID); ferr == nil && fresh.Status != a.Status {
					return changed()
				}
			}
			status, alert, field, err := bookingError(err)
			if err != nil {
				return err
			}
			return s.managePage(w, r, status, a, token, from, alert, field)
		}
		heading := "Votre rendez-vous est confirmé"
		if action == "move" {
			heading = "Votre rendez-vous est déplacé"
		}
		return s.bookedPage(w, r, *b.Appointment, b.Token, heading, from)
	case action == "cancel", action == "move", action == "book":
		return changed()
	}
	return s.managePage(w, r, http.StatusBadRequest, a, token, from, "Choisissez une action dans la page.", "")
}

// The stop link.

// channelNames name the channels on the stop page: "de courriels", "par
// courriel".
var channelNames = map[string][2]string{"email": {"courriels", "courriel"}, "sms": {"SMS", "SMS"}}

type rdvStopPage struct {
	page
	Channel string // "courriels", "SMS"
	By      string // "courriel", "SMS"
	Action  string // the form's action, while the channel is not stopped
	Done    bool   // stopped by this request
}

// linkStop reads what a stop link names and audits the read; an unknown
// token is a goneError.
func (s *Server) linkStop(r *http.Request) (string, string, int64, error) {
	token, ok := linkToken(r, prefixStopToken)
	if !ok {
		return "", "", 0, errLinkUnknown
	}
	ch, personID, err := s.store.StopLink(r.Context(), token)
	if errors.Is(err, store.ErrLinkInvalid) {
		return "", "", 0, errLinkUnknown
	}
	if err != nil {
		return "", "", 0, err
	}
	if err := s.auditLink(r.Context(), 0, personID, person.SectionIdentity, reasonStopLink); err != nil {
		return "", "", 0, err
	}
	return token, ch, personID, nil
}

// stopLinkPage asks before stopping: mail scanners open links, and a GET
// changes nothing.
func (s *Server) stopLinkPage(w http.ResponseWriter, r *http.Request) error {
	token, ch, personID, err := s.linkStop(r)
	if err != nil {
		return s.linkPage(w, r, err)
	}
	stopped, err := s.store.StoppedChannels(r.Context(), personID)
	if err != nil {
		return err
	}
	name := channelNames[ch]
	data := &rdvStopPage{page: s.page(r, "Ne plus recevoir de "+name[0]+" de Parcours"), Channel: name[0], By: name[1]}
	if !slices.Contains(stopped, ch) {
		data.Action = "/desabonnement/" + token
	}
	s.render(w, r, http.StatusOK, "rdv_stop", data)
	return nil
}

// stopLinkAction stops the channel; the store writes the audit entry and
// the timeline line that tells the team.
func (s *Server) stopLinkAction(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	token, ok := linkToken(r, prefixStopToken)
	if !ok {
		return s.linkPage(w, r, errLinkUnknown)
	}
	ch, _, err := s.store.StopByLink(r.Context(), token, s.now())
	if errors.Is(err, store.ErrLinkInvalid) {
		return s.linkPage(w, r, errLinkUnknown)
	}
	if err != nil {
		return err
	}
	name := channelNames[ch]
	s.render(w, r, http.StatusOK, "rdv_stop", &rdvStopPage{page: s.page(r, "Vous ne recevrez plus de "+name[0]+" de Parcours"),
		Channel: name[0], By: name[1], Done: true})
	return nil
}
