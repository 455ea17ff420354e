package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/appointment"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
)

type apiAppointment struct {
	ID            int64      `json:"id"`
	PersonID      int64      `json:"person_id"`
	StructureID   int64      `json:"structure_id"`
	AgendaID      int64      `json:"agenda_id"`
	TypeID        int64      `json:"type_id"`
	PlaceID       int64      `json:"place_id,omitempty"`
	OrientationID int64      `json:"orientation_id,omitempty"`
	InvitationID  int64      `json:"invitation_id,omitempty"`
	StartsAt      time.Time  `json:"starts_at"`
	DurationMin   int        `json:"duration_min"`
	Status        string     `json:"status"`
	Origin        string     `json:"origin"`
	CreatedAt     time.Time  `json:"created_at"`
	StatusAt      *time.Time `json:"status_at,omitempty"`
}

func appointmentJSON(a appointment.Appointment) apiAppointment {
	return apiAppointment{ID: a.ID, PersonID: a.PersonID, StructureID: a.StructureID, AgendaID: a.AgendaID, TypeID: a.TypeID,
		PlaceID: a.PlaceID, OrientationID: a.OrientationID, InvitationID: a.InvitationID, StartsAt: a.StartsAt.UTC(),
		DurationMin: a.DurationMin, Status: string(a.Status), Origin: string(a.Origin), CreatedAt: a.CreatedAt, StatusAt: timePtr(a.StatusAt)}
}

type apiInvitation struct {
	ID            int64      `json:"id"`
	PersonID      int64      `json:"person_id"`
	StructureID   int64      `json:"structure_id"`
	TypeID        int64      `json:"type_id"`
	OrientationID int64      `json:"orientation_id,omitempty"`
	Channels      []string   `json:"channels"`
	CreatedAt     time.Time  `json:"created_at"`
	ExpiresAt     time.Time  `json:"expires_at"`
	RemindedAt    *time.Time `json:"reminded_at,omitempty"`
	BookedAt      *time.Time `json:"booked_at,omitempty"`
	AppointmentID int64      `json:"appointment_id,omitempty"`
}

func invitationJSON(inv appointment.Invitation) apiInvitation {
	out := apiInvitation{ID: inv.ID, PersonID: inv.PersonID, StructureID: inv.StructureID, TypeID: inv.TypeID, OrientationID: inv.OrientationID,
		Channels: inv.Channels, CreatedAt: inv.CreatedAt, ExpiresAt: inv.ExpiresAt, RemindedAt: timePtr(inv.RemindedAt),
		BookedAt: timePtr(inv.BookedAt), AppointmentID: inv.AppointmentID}
	if out.Channels == nil {
		out.Channels = []string{}
	}
	return out
}

func (s *Server) apiCreateInvitation(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		PersonID    int64    `json:"person_id"`
		StructureID int64    `json:"structure_id"`
		TypeID      int64    `json:"type_id"`
		Channels    []string `json:"channels"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	r.SetPathValue("id", strconv.FormatInt(in.PersonID, 10))
	rc, err := s.appointmentWriter(r)
	if err != nil {
		return err
	}
	inv, err := s.invite(r, rc, in.StructureID, in.TypeID, in.Channels)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, invitationJSON(*inv))
}

// apiAppointments lists the appointments of a person (?person_id=, for
// the team) or of an agenda between two dates (?agenda_id=&from=&to=, for
// those who manage it).
func (s *Server) apiAppointments(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	out := list[apiAppointment]{Items: []apiAppointment{}}
	if pid := q.Get("person_id"); pid != "" {
		r.SetPathValue("id", pid)
		rc, err := s.loadRecord(r, person.SectionAppointments, "read")
		if err != nil {
			return err
		}
		apps, err := s.store.Appointments(ctx, store.AppointmentFilter{PersonID: rc.p.ID})
		if err != nil {
			return err
		}
		for _, a := range apps {
			out.Items = append(out.Items, appointmentJSON(a))
		}
		return writeJSON(w, http.StatusOK, out)
	}
	id, err := strconv.ParseInt(q.Get("agenda_id"), 10, 64)
	if err != nil {
		return problem.InvalidFields("Donnez person_id, ou agenda_id avec from et to.", problem.Field{Field: "agenda_id", Message: "Nombre attendu."})
	}
	var fs problem.Fields
	from, to := parseDate(&fs, "from", q.Get("from")), parseDate(&fs, "to", q.Get("to"))
	if from.IsZero() || to.IsZero() || !to.After(from) || to.Sub(from) > 62*24*time.Hour {
		fs.Add("to", "Donnez une période from–to (AAAA-MM-JJ) de 62 jours au plus.")
	}
	if err := fs.Err(); err != nil {
		return err
	}
	ag, err := s.store.Agenda(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && !access.ManageAgenda(accessViewer(viewerOf(ctx)), ag.StructureID, ag.AccountID).Allowed {
		return notFound("Cet agenda n'existe pas, ou ne vous est pas accessible.")
	}
	if err != nil {
		return err
	}
	apps, err := s.agendaAppointments(r, ag, from.In(paris), to.In(paris))
	if err != nil {
		return err
	}
	for _, a := range apps {
		out.Items = append(out.Items, appointmentJSON(a.Appointment))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiCreateAppointment(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		PersonID    int64     `json:"person_id"`
		AgendaID    int64     `json:"agenda_id"`
		TypeID      int64     `json:"type_id"`
		StartsAt    time.Time `json:"starts_at"`
		Convocation bool      `json:"convocation"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	r.SetPathValue("id", strconv.FormatInt(in.PersonID, 10))
	rc, err := s.appointmentWriter(r)
	if err != nil {
		return err
	}
	a, err := s.book(r, rc, in.AgendaID, in.TypeID, in.StartsAt, in.Convocation)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, appointmentJSON(*a))
}

func (s *Server) apiPatchAppointment(w http.ResponseWriter, r *http.Request) error {
	id, ok := pathID(r, "id")
	if !ok {
		return errUnknownAppointment
	}
	var in struct {
		Status string `json:"status"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.store.Appointment(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return errUnknownAppointment
	}
	if err != nil {
		return err
	}
	r.SetPathValue("id", strconv.FormatInt(a.PersonID, 10))
	rc, err := s.appointmentWriter(r)
	if err != nil {
		return err
	}
	if a, err = s.setStatus(r, rc, a, in.Status); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, appointmentJSON(a))
}

var errUnknownAppointment = notFound("Ce rendez-vous n'existe pas, ou ne vous est pas accessible.")

type apiFollowUp struct {
	PersonID       int64      `json:"person_id"`
	FirstName      string     `json:"first_name"`
	LastName       string     `json:"last_name"`
	OrientationID  int64      `json:"orientation_id"`
	DecidedAt      time.Time  `json:"decided_at"`
	Status         string     `json:"status"`
	ActionRequired bool       `json:"action_required"`
	NextAt         *time.Time `json:"next_appointment_at,omitempty"`
}

// followUpRows derives the follow-up of every person oriented to the
// structure, and audits one read per person listed.
func (s *Server) followUpRows(r *http.Request, structureID int64, onlyAction bool) ([]apiFollowUp, error) {
	ctx := r.Context()
	items, err := s.store.FollowUps(ctx, structureID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	v := viewerOf(ctx)
	var out []apiFollowUp
	for _, it := range items {
		st := appointment.FollowUp(it.Invitations, it.Appointments, it.Closed, now)
		if onlyAction && !appointment.ActionRequired(st) {
			continue
		}
		row := apiFollowUp{PersonID: it.PersonID, FirstName: it.FirstName, LastName: it.LastName, OrientationID: it.OrientationID,
			DecidedAt: it.DecidedAt, Status: string(st), ActionRequired: appointment.ActionRequired(st)}
		for _, a := range it.Appointments {
			if a.Status == appointment.StatusUnknown && a.StartsAt.After(now) && (row.NextAt == nil || a.StartsAt.Before(*row.NextAt)) {
				row.NextAt = timePtr(a.StartsAt)
			}
		}
		e := s.auditEntry(v, structureID, it.PersonID, string(person.SectionAppointments), "read",
			access.Decision{Allowed: true, Reason: access.ReasonStructureMember})
		if err := s.store.Audit(ctx, e); err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, nil
}

func (s *Server) apiFollowUps(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	sid, _ := strconv.ParseInt(q.Get("structure_id"), 10, 64)
	sid, err := s.followStructure(r.Context(), sid)
	if err != nil {
		return err
	}
	rows, err := s.followUpRows(r, sid, q.Get("action_required") == "true")
	if err != nil {
		return err
	}
	out := list[apiFollowUp]{Items: []apiFollowUp{}}
	out.Items = append(out.Items, rows...)
	return writeJSON(w, http.StatusOK, out)
}

type apiIndicators struct {
	Month                             string  `json:"month"`
	Oriented                          int     `json:"oriented"`
	FirstSeen                         int     `json:"first_seen"`
	MedianDaysToFirstSeen             float64 `json:"median_days_to_first_seen"`
	Under15                           float64 `json:"share_under_15_days"`
	Under30                           float64 `json:"share_under_30_days"`
	NoShowRate                        float64 `json:"no_show_rate"`
	Invited                           int     `json:"invited"`
	SelfBooked                        float64 `json:"share_self_booked"`
	MedianDaysInvitationToAppointment float64 `json:"median_days_invitation_to_appointment"`
}

// indicators computes the structure's monthly indicators over the months
// of [from, to).
func (s *Server) indicators(r *http.Request, structureID int64, from, to time.Time) ([]appointment.Indicators, error) {
	d, err := s.store.Indicators(r.Context(), structureID, from, to)
	if err != nil {
		return nil, err
	}
	return appointment.Compute(d.Orientations, d.Invitations, d.Appointments, from, to), nil
}

// monthRange reads from and to (AAAA-MM) as the first instants of months in
// Paris; by default the last twelve months, this one included.
func (s *Server) monthRange(fs *problem.Fields, from, to string) (time.Time, time.Time) {
	now := s.now().In(paris)
	end := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, paris)
	start := end.AddDate(-1, 0, 0)
	parse := func(field, v string, dst *time.Time) {
		if v == "" {
			return
		}
		t, err := time.ParseInLocation("2006-01", v, paris)
		if err != nil {
			fs.Add(field, "Mois attendu au format AAAA-MM.")
			return
		}
		*dst = t
	}
	parse("from", from, &start)
	parse("to", to, &end)
	if !end.After(start) || end.Sub(start) > 3*366*24*time.Hour {
		fs.Add("to", "Donnez une période de 1 à 36 mois.")
	}
	return start, end
}

func (s *Server) apiIndicators(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	sid, _ := strconv.ParseInt(q.Get("structure_id"), 10, 64)
	sid, err := s.followStructure(r.Context(), sid)
	if err != nil {
		return err
	}
	var fs problem.Fields
	from, to := s.monthRange(&fs, q.Get("from"), q.Get("to"))
	if err := fs.Err(); err != nil {
		return err
	}
	ins, err := s.indicators(r, sid, from, to)
	if err != nil {
		return err
	}
	out := list[apiIndicators]{Items: []apiIndicators{}}
	for _, in := range ins {
		out.Items = append(out.Items, apiIndicators{Month: in.Month.In(paris).Format("2006-01"), Oriented: in.Oriented, FirstSeen: in.FirstSeen,
			MedianDaysToFirstSeen: in.MedianDaysToFirstSeen, Under15: in.Under15, Under30: in.Under30, NoShowRate: in.NoShowRate,
			Invited: in.Invited, SelfBooked: in.SelfBooked, MedianDaysInvitationToAppointment: in.MedianDaysInvitationToAppointment})
	}
	return writeJSON(w, http.StatusOK, out)
}
