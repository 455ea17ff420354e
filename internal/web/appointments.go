package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/appointment"
	"github.com/spie-parcours/parcours/internal/orientation"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
)

// The person's invitations and appointments, shared by the pages and the
// API: who may invite and book (the team, through the appointments section
// of the record, from one of their structures), the slots offered, the
// follow-up status per structure, the convocation rule.

// workStructures are the structures where the viewer works as a
// professional in the territory: those they invite and book for.
func workStructures(v *viewer, territoryID int64) []int64 {
	var out []int64
	for _, m := range v.Account.Memberships {
		if m.Role == account.RoleProfessional && m.TerritoryID == territoryID && !slices.Contains(out, m.StructureID) {
			out = append(out, m.StructureID)
		}
	}
	return out
}

// personFollowUp is the follow-up of a person with one structure: the
// orientation to it (when there is one), the invitations and appointments
// with it, and the derived status.
type personFollowUp struct {
	StructureID   int64
	OrientationID int64
	DecidedAt     time.Time
	Invitations   []appointment.Invitation
	Appointments  []appointment.Appointment
	Status        appointment.FollowUpStatus
}

// followUpsOf derives the person's follow-ups: one per structure that
// invited or met them, or to which they were oriented (the latest accepted
// orientation; an earlier one to another structure is closed by it).
func (s *Server) followUpsOf(ctx context.Context, personID int64) ([]personFollowUp, []appointment.Invitation, []appointment.Appointment, error) {
	os, err := s.store.PersonOrientations(ctx, personID)
	if err != nil {
		return nil, nil, nil, err
	}
	invs, err := s.store.PersonInvitations(ctx, personID)
	if err != nil {
		return nil, nil, nil, err
	}
	apps, err := s.store.Appointments(ctx, store.AppointmentFilter{PersonID: personID})
	if err != nil {
		return nil, nil, nil, err
	}
	byStructure := map[int64]*personFollowUp{}
	var order []int64
	get := func(id int64) *personFollowUp {
		if f, ok := byStructure[id]; ok {
			return f
		}
		byStructure[id] = &personFollowUp{StructureID: id}
		order = append(order, id)
		return byStructure[id]
	}
	var latest orientation.Request
	for _, o := range os { // newest first
		if o.Status != orientation.StatusAccepted || o.StructureID == 0 {
			continue
		}
		if latest.ID == 0 {
			latest = o
		}
		f := get(o.StructureID)
		if f.OrientationID == 0 {
			f.OrientationID, f.DecidedAt = o.ID, o.DecidedAt
		}
	}
	for _, inv := range invs {
		f := get(inv.StructureID)
		if inv.CreatedAt.Before(f.DecidedAt) {
			continue
		}
		f.Invitations = append(f.Invitations, inv)
	}
	for _, a := range apps {
		f := get(a.StructureID)
		if a.CreatedAt.Before(f.DecidedAt) {
			continue
		}
		f.Appointments = append(f.Appointments, a)
	}
	now := s.now()
	var out []personFollowUp
	for _, id := range order {
		f := byStructure[id]
		closed := latest.ID != 0 && f.OrientationID != 0 && f.StructureID != latest.StructureID && f.DecidedAt.Before(latest.DecidedAt)
		f.Status = appointment.FollowUp(f.Invitations, f.Appointments, closed, now)
		out = append(out, *f)
	}
	return out, invs, apps, nil
}

// appointmentWriter loads the record for a change of its appointments.
func (s *Server) appointmentWriter(r *http.Request) (*record, error) {
	return s.loadRecord(r, person.SectionAppointments, "update")
}

// structureFor checks that the viewer acts from the structure for the
// person (a professional of it), and defaults to their first one.
func structureFor(v *viewer, rc *record, structureID int64) (int64, error) {
	ids := workStructures(v, rc.p.TerritoryID)
	if structureID == 0 && len(ids) > 0 {
		return ids[0], nil
	}
	if !slices.Contains(ids, structureID) {
		return 0, problem.InvalidFields("Vous n'êtes pas professionnel de cette structure.",
			problem.Field{Field: "structure_id", Message: "Choisissez une structure où vous travaillez."})
	}
	return structureID, nil
}

// invite sends an invitation to book an appointment of a type with the
// structure, by the channels chosen among those the person has.
func (s *Server) invite(r *http.Request, rc *record, structureID, typeID int64, channels []string) (*appointment.Invitation, error) {
	ctx := r.Context()
	sid, err := structureFor(rc.v, rc, structureID)
	if err != nil {
		return nil, err
	}
	var fs problem.Fields
	t, err := s.store.AppointmentType(ctx, typeID)
	if err != nil || t.TerritoryID != rc.p.TerritoryID {
		fs.Add("type_id", "Choisissez un type de rendez-vous du territoire.")
	}
	var chosen []string
	for _, c := range channels {
		switch {
		case c == "email" && rc.p.Email != "", c == "sms" && mobile(rc.p.Phone):
			if !slices.Contains(chosen, c) {
				chosen = append(chosen, c)
			}
		case c == "email":
			fs.Add("channels", "La personne n'a pas d'adresse électronique : renseignez-la dans son identité, ou choisissez le SMS.")
		case c == "sms":
			fs.Add("channels", "La personne n'a pas de numéro de téléphone portable : renseignez-le, ou choisissez le courriel.")
		default:
			fs.Add("channels", "Canal attendu : email ou sms.")
		}
	}
	if len(chosen) == 0 && len(fs) == 0 {
		fs.Add("channels", "Choisissez au moins un canal : courriel ou SMS.")
	}
	if err := fs.Err(); err != nil {
		return nil, err
	}
	days, err := s.store.InvitationDays(ctx, rc.p.TerritoryID)
	if err != nil {
		return nil, err
	}
	inv := &appointment.Invitation{PersonID: rc.p.ID, TerritoryID: rc.p.TerritoryID, StructureID: sid, TypeID: t.ID, Channels: chosen,
		ExpiresAt: appointment.InvitationExpiry(s.now(), days)}
	if ups, _, _, err := s.followUpsOf(ctx, rc.p.ID); err != nil {
		return nil, err
	} else {
		for _, f := range ups {
			if f.StructureID == sid {
				inv.OrientationID = f.OrientationID
			}
		}
	}
	if err := s.store.CreateInvitation(ctx, inv, store.Actor{AccountID: rc.v.Account.ID, StructureID: sid, At: s.now()}, s.cfg.BaseURL); err != nil {
		return nil, err
	}
	return inv, nil
}

// mobile reports whether a French number is a mobile one (06, 07), which
// SMS reach.
func mobile(phone string) bool {
	n, ok := person.FrenchPhone(phone)
	return ok && (strings.HasPrefix(n, "06") || strings.HasPrefix(n, "07"))
}

// bookingWindow is the time range of the slots offered to the person for a
// structure: up to the legal due date of the first appointment when an
// orientation to it sets one.
func (s *Server) bookingWindow(ctx context.Context, personID, structureID int64, expiry time.Time) (time.Time, time.Time, error) {
	var due time.Time
	os, err := s.store.PersonOrientations(ctx, personID)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	for _, o := range os {
		if o.Status == orientation.StatusAccepted && o.StructureID == structureID {
			due = o.AppointmentDueOn
			break
		}
	}
	from, to := appointment.BookingWindow(s.now(), due, expiry)
	return from, to, nil
}

// findSlot returns the free slot of an agenda of the structure starting at
// that instant, for the type.
func (s *Server) findSlot(ctx context.Context, territoryID, structureID, agendaID, typeID int64, at time.Time) (appointment.Slot, error) {
	day := at.Add(-time.Minute)
	slots, err := s.store.Slots(ctx, store.SlotFilter{TerritoryID: territoryID, StructureIDs: []int64{structureID}, AgendaIDs: []int64{agendaID},
		TypeID: typeID, From: day, To: at.Add(time.Minute), Now: s.now()})
	if err != nil {
		return appointment.Slot{}, err
	}
	for _, sl := range slots {
		if sl.StartsAt.Equal(at) {
			if sl.Free() == 0 {
				return sl, errSlotTaken
			}
			return sl, nil
		}
	}
	return appointment.Slot{}, problem.InvalidFields("Ce créneau n'existe pas ou n'est plus proposé.",
		problem.Field{Field: "starts_at", Message: "Choisissez un créneau proposé par l'agenda."})
}

// errSlotTaken is the answer when the last seat went to someone else.
var errSlotTaken = problem.New(problem.Conflict, "Ce créneau vient d'être pris : choisissez-en un autre.")

// book books a slot for the person: by a professional of the team
// (origin agent), or as a convocation, which the follow-up status must
// allow (after an expired invitation, a no-show or a cancellation by the
// person).
func (s *Server) book(r *http.Request, rc *record, agendaID, typeID int64, at time.Time, convocation bool) (*appointment.Appointment, error) {
	ctx := r.Context()
	ag, err := s.store.Agenda(ctx, agendaID)
	if errors.Is(err, store.ErrNotFound) || err == nil && ag.TerritoryID != rc.p.TerritoryID {
		return nil, problem.InvalidFields("Cet agenda n'existe pas.", problem.Field{Field: "agenda_id", Message: "Agenda inconnu."})
	}
	if err != nil {
		return nil, err
	}
	if !slices.Contains(workStructures(rc.v, rc.p.TerritoryID), ag.StructureID) {
		return nil, forbidden("Vous ne pouvez prendre des rendez-vous que dans les agendas de vos structures.")
	}
	sl, err := s.findSlot(ctx, rc.p.TerritoryID, ag.StructureID, agendaID, typeID, at)
	if err != nil {
		return nil, err
	}
	ups, _, _, err := s.followUpsOf(ctx, rc.p.ID)
	if err != nil {
		return nil, err
	}
	var orientationID int64
	status := appointment.FollowNotInvited
	for _, f := range ups {
		if f.StructureID == ag.StructureID {
			orientationID, status = f.OrientationID, f.Status
		}
	}
	origin := appointment.OriginAgent
	if convocation {
		if !appointment.CanConvene(status) {
			return nil, problem.New(problem.Conflict, "Une convocation n'est possible qu'après une invitation restée sans réponse, une absence non excusée ou une annulation par la personne.")
		}
		origin = appointment.OriginConvocation
	}
	a := &appointment.Appointment{PersonID: rc.p.ID, TerritoryID: rc.p.TerritoryID, StructureID: ag.StructureID, AgendaID: ag.ID,
		TypeID: sl.TypeID, PlaceID: sl.PlaceID, OrientationID: orientationID, StartsAt: sl.StartsAt, DurationMin: sl.DurationMin, Origin: origin}
	err = s.store.BookAppointment(ctx, &store.Booking{Appointment: a, Capacity: sl.Capacity},
		store.Actor{AccountID: rc.v.Account.ID, StructureID: ag.StructureID, At: s.now()}, s.cfg.BaseURL)
	switch {
	case errors.Is(err, store.ErrSlotFull):
		return nil, errSlotTaken
	case errors.Is(err, store.ErrConflict):
		return nil, problem.New(problem.Conflict, "La personne a déjà un rendez-vous à ce créneau.")
	case err != nil:
		return nil, err
	}
	return a, nil
}

// setStatus records what happened to an appointment of the person.
func (s *Server) setStatus(r *http.Request, rc *record, a appointment.Appointment, to string) (appointment.Appointment, error) {
	st := appointment.Status(to)
	known := slices.ContainsFunc(appointment.StatusOptions, func(o person.Option) bool { return o.Code == to })
	if !known {
		return a, problem.InvalidFields("Statut inconnu.", problem.Field{Field: "status", Message: "Statut attendu : unknown, seen, excused, revoked ou noshow."})
	}
	if !appointment.CanSet(a, st, s.now()) {
		return a, problem.InvalidFields("Un rendez-vous à venir ne peut être qu'annulé (par la personne ou par le service).",
			problem.Field{Field: "status", Message: "Statut impossible pour un rendez-vous à venir."})
	}
	if st == a.Status {
		return a, nil
	}
	err := s.store.SetAppointmentStatus(r.Context(), &a, st, store.Actor{AccountID: rc.v.Account.ID,
		StructureID: actingStructure(rc.v, rc.team, rc.p.TerritoryID), At: s.now()}, s.cfg.BaseURL)
	if errors.Is(err, store.ErrConflict) {
		return a, problem.New(problem.Conflict, "Ce rendez-vous a changé entre-temps : rechargez la page.")
	}
	return a, err
}

// followStructure checks the viewer follows the structure (access.FollowStructure)
// and returns it; 0 means the viewer's first structure.
func (s *Server) followStructure(ctx context.Context, structureID int64) (int64, error) {
	v := viewerOf(ctx)
	if structureID == 0 {
		for _, m := range v.Account.Memberships {
			if access.FollowStructure(accessViewer(v), m.StructureID).Allowed {
				structureID = m.StructureID
				break
			}
		}
	}
	if !access.FollowStructure(accessViewer(v), structureID).Allowed {
		return 0, forbidden("Réservé aux professionnels et aux gestionnaires de la structure.")
	}
	return structureID, nil
}

// agendaAppointments lists an agenda's appointments with the names of the
// people, and audits one read per person shown.
func (s *Server) agendaAppointments(r *http.Request, ag appointment.Agenda, from, to time.Time) ([]store.AgendaEntry, error) {
	ctx := r.Context()
	es, err := s.store.AgendaAppointments(ctx, ag.ID, from, to)
	if err != nil {
		return nil, err
	}
	v := viewerOf(ctx)
	seen := map[int64]bool{}
	for _, e := range es {
		if seen[e.PersonID] {
			continue
		}
		seen[e.PersonID] = true
		d := access.Decision{Allowed: true, Reason: access.ReasonStructureMember}
		if err := s.store.Audit(ctx, s.auditEntry(v, ag.StructureID, e.PersonID, string(person.SectionAppointments), "read", d)); err != nil {
			return nil, err
		}
	}
	return es, nil
}

// workerOfStructure reports whether the viewer follows the structure's
// people (access.FollowStructure).
func workerOfStructure(v *viewer, structureID int64) bool {
	return access.FollowStructure(accessViewer(v), structureID).Allowed
}
