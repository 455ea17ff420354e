package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/appointment"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
)

// The pages of a person's appointments (invite, book, convene, record what
// happened, print a convocation), and of a structure's follow-up and
// indicators.

func appointmentsPath(id int64) string {
	return "/personnes/" + strconv.FormatInt(id, 10) + "/rendez-vous"
}

type followUpRow struct {
	Structure, Status, Badge string
	ActionRequired           bool
}

type invitationRow struct {
	Created, Expires       time.Time
	Structure, Type, State string
	Channels               string
}

type appointmentRow struct {
	ID                                     int64
	StartsAt                               time.Time
	Structure, Type, Place, Status, Origin string
	Past, Convocation, Open                bool
	Statuses                               []fieldOption
}

type slotOption struct {
	Value, Label, Day string
}

type appointmentsPageData struct {
	page
	ID                  int64
	Name                string
	CanWrite            bool
	FollowUps           []followUpRow
	Invitations         []invitationRow
	Appointments        []appointmentRow
	Structures, Types   []fieldOption
	HasEmail, HasMobile bool
	Fields              problem.Fields
	Alert               string
	Form                string // the form that failed
	Chosen              bool   // a type was chosen: the slots are listed
	TypeID, StructureID string
	Slots               []slotOption
	CanConvene          bool
}

// followBadge is the DSFR badge class of a follow-up status.
func followBadge(st appointment.FollowUpStatus) string {
	switch {
	case st == appointment.FollowRdvSeen || st == appointment.FollowClosed:
		return "fr-badge--success"
	case appointment.ActionRequired(st):
		return "fr-badge--warning"
	case st == appointment.FollowNotInvited:
		return ""
	}
	return "fr-badge--info"
}

// names of structures and types, for the pages.
func (s *Server) appointmentNames(ctx context.Context, territoryID int64) (map[int64]string, map[int64]appointment.Type, error) {
	sts, err := s.store.DirectoryStructures(ctx, territoryID)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[int64]string, len(sts))
	for _, st := range sts {
		names[st.ID] = st.Name
	}
	ts, err := s.store.AppointmentTypes(ctx, territoryID)
	if err != nil {
		return nil, nil, err
	}
	types := make(map[int64]appointment.Type, len(ts))
	for _, t := range ts {
		types[t.ID] = t
	}
	return names, types, nil
}

func (s *Server) renderAppointments(w http.ResponseWriter, r *http.Request, rc *record, status int, data *appointmentsPageData) error {
	ctx := r.Context()
	now := s.now()
	data.page = s.page(r, "Rendez-vous")
	data.ID, data.Name = rc.p.ID, rc.p.FirstName+" "+rc.p.LastName
	data.CanWrite = rc.canWrite(person.SectionAppointments)
	data.HasEmail, data.HasMobile = rc.p.Email != "", mobile(rc.p.Phone)
	names, types, err := s.appointmentNames(ctx, rc.p.TerritoryID)
	if err != nil {
		return err
	}
	ups, invs, apps, err := s.followUpsOf(ctx, rc.p.ID)
	if err != nil {
		return err
	}
	convene := map[int64]bool{}
	for _, f := range ups {
		data.FollowUps = append(data.FollowUps, followUpRow{Structure: names[f.StructureID], Status: f.Status.Label(), Badge: followBadge(f.Status),
			ActionRequired: appointment.ActionRequired(f.Status)})
		convene[f.StructureID] = appointment.CanConvene(f.Status)
	}
	for i := len(invs) - 1; i >= 0; i-- {
		inv := invs[i]
		row := invitationRow{Created: inv.CreatedAt, Expires: inv.ExpiresAt, Structure: names[inv.StructureID], Type: types[inv.TypeID].Label}
		switch {
		case !inv.BookedAt.IsZero():
			row.State = "Rendez-vous choisi le " + inv.BookedAt.In(paris).Format("02/01/2006")
		case appointment.Expired(inv, now):
			row.State = "Expirée sans réponse"
		default:
			row.State = "En attente du choix de la personne"
		}
		for i, c := range inv.Channels {
			if i > 0 {
				row.Channels += ", "
			}
			row.Channels += map[string]string{"email": "courriel", "sms": "SMS"}[c]
		}
		data.Invitations = append(data.Invitations, row)
	}
	places := map[int64]string{}
	for i := len(apps) - 1; i >= 0; i-- {
		a := apps[i]
		if _, ok := places[a.AgendaID]; !ok {
			if ag, err := s.store.Agenda(ctx, a.AgendaID); err == nil {
				for _, p := range ag.Places {
					places[p.ID] = p.Label
				}
			}
		}
		row := appointmentRow{ID: a.ID, StartsAt: a.StartsAt, Structure: names[a.StructureID], Type: types[a.TypeID].Label,
			Place: places[a.PlaceID], Status: appointment.Status(a.Status).Label(!a.StartsAt.After(now)), Past: !a.StartsAt.After(now),
			Convocation: a.Origin == appointment.OriginConvocation, Open: a.Status == appointment.StatusUnknown}
		row.Origin = map[appointment.Origin]string{appointment.OriginAgent: "Pris par un professionnel",
			appointment.OriginPerson: "Pris par la personne", appointment.OriginConvocation: "Convocation"}[a.Origin]
		for _, o := range appointment.StatusOptions {
			if appointment.CanSet(a, appointment.Status(o.Code), now) {
				row.Statuses = append(row.Statuses, fieldOption{Value: o.Code, Label: o.Label, Selected: o.Code == string(a.Status)})
			}
		}
		data.Appointments = append(data.Appointments, row)
	}
	if data.CanWrite {
		for _, id := range workStructures(rc.v, rc.p.TerritoryID) {
			v := strconv.FormatInt(id, 10)
			data.Structures = append(data.Structures, fieldOption{Value: v, Label: names[id], Selected: v == data.StructureID})
		}
		ts := make([]appointment.Type, 0, len(types))
		for _, t := range types {
			ts = append(ts, t)
		}
		slices.SortFunc(ts, func(a, b appointment.Type) int { return strings.Compare(a.Label, b.Label) })
		for _, t := range ts {
			v := strconv.FormatInt(t.ID, 10)
			data.Types = append(data.Types, fieldOption{Value: v, Label: t.Label, Selected: v == data.TypeID})
		}
		if data.Chosen {
			sid, _ := strconv.ParseInt(data.StructureID, 10, 64)
			tid, _ := strconv.ParseInt(data.TypeID, 10, 64)
			data.CanConvene = convene[sid]
			from, to, err := s.bookingWindow(ctx, rc.p.ID, sid, time.Time{})
			if err != nil {
				return err
			}
			slots, err := s.store.Slots(ctx, store.SlotFilter{TerritoryID: rc.p.TerritoryID, StructureIDs: []int64{sid}, TypeID: tid,
				From: from, To: to, Now: now, FreeOnly: true})
			if err != nil {
				return err
			}
			for i, sl := range slots {
				if i == 60 {
					break
				}
				data.Slots = append(data.Slots, slotOption{Value: strconv.FormatInt(sl.AgendaID, 10) + "|" + strconv.FormatInt(sl.StartsAt.Unix(), 10),
					Label: sl.StartsAt.In(paris).Format("15h04") + " (" + strconv.Itoa(sl.DurationMin) + " min)", Day: appointment.DayText(sl.StartsAt)})
			}
		}
	}
	s.render(w, r, status, "appointments", data)
	return nil
}

func (s *Server) personAppointmentsPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionAppointments, "read")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	data := &appointmentsPageData{TypeID: q.Get("type"), StructureID: q.Get("structure")}
	data.Chosen = data.TypeID != "" && data.StructureID != ""
	if data.Chosen {
		sid, _ := strconv.ParseInt(data.StructureID, 10, 64)
		if _, err := structureFor(rc.v, rc, sid); err != nil {
			return err
		}
	}
	return s.renderAppointments(w, r, rc, http.StatusOK, data)
}

// appointmentsFailed shows the page again with a form's message when the
// user can fix it.
func (s *Server) appointmentsFailed(w http.ResponseWriter, r *http.Request, rc *record, form string, err error, data *appointmentsPageData) error {
	p, ok := problem.As(err)
	if !ok || (p.Kind != problem.Invalid && p.Kind != problem.Conflict) {
		return err
	}
	data.Form, data.Fields = form, p.Fields
	if len(p.Fields) == 0 {
		data.Alert = p.Detail
	}
	return s.renderAppointments(w, r, rc, kinds[p.Kind].status, data)
}

func (s *Server) invitePage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.appointmentWriter(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	sid, _ := strconv.ParseInt(r.PostFormValue("structure_id"), 10, 64)
	tid, _ := strconv.ParseInt(r.PostFormValue("type_id"), 10, 64)
	if _, err := s.invite(r, rc, sid, tid, r.PostForm["channel"]); err != nil {
		return s.appointmentsFailed(w, r, rc, "invitation", err, &appointmentsPageData{TypeID: r.PostFormValue("type_id"),
			StructureID: r.PostFormValue("structure_id")})
	}
	s.redirectWithFlash(w, r, appointmentsPath(rc.p.ID), "invitation-sent")
	return nil
}

func (s *Server) bookPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.appointmentWriter(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	data := &appointmentsPageData{TypeID: r.PostFormValue("type_id"), StructureID: r.PostFormValue("structure_id"), Chosen: true}
	tid, _ := strconv.ParseInt(data.TypeID, 10, 64)
	agenda, at, ok := strings.Cut(r.PostFormValue("slot"), "|")
	aid, err1 := strconv.ParseInt(agenda, 10, 64)
	unix, err2 := strconv.ParseInt(at, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return s.appointmentsFailed(w, r, rc, "booking", problem.InvalidFields("Choisissez un créneau.",
			problem.Field{Field: "slot", Message: "Choisissez un créneau dans la liste."}), data)
	}
	convene := r.PostFormValue("convocation") == "1"
	a, err := s.book(r, rc, aid, tid, time.Unix(unix, 0).UTC(), convene)
	if err != nil {
		return s.appointmentsFailed(w, r, rc, "booking", err, data)
	}
	key := "appointment-booked"
	if a.Origin == appointment.OriginConvocation {
		key = "convocation-sent"
	}
	s.redirectWithFlash(w, r, appointmentsPath(rc.p.ID), key)
	return nil
}

func (s *Server) appointmentStatusPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.appointmentWriter(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	aid, ok := pathID(r, "aid")
	if !ok {
		return errUnknownAppointment
	}
	a, err := s.store.Appointment(r.Context(), aid)
	if err != nil || a.PersonID != rc.p.ID {
		return errUnknownAppointment
	}
	if _, err := s.setStatus(r, rc, a, r.PostFormValue("status")); err != nil {
		return s.appointmentsFailed(w, r, rc, "status-"+strconv.FormatInt(aid, 10), err, &appointmentsPageData{})
	}
	s.redirectWithFlash(w, r, appointmentsPath(rc.p.ID)+"#rdv-"+strconv.FormatInt(aid, 10), "appointment-updated")
	return nil
}

type convocationData struct {
	page
	P                       person.Person
	When, Structure, Type   string
	Place, Address, Details string
	Phone                   string
	Printed                 time.Time
}

// convocationLetterPage is the convocation as a letter to print and post.
func (s *Server) convocationLetterPage(w http.ResponseWriter, r *http.Request) error {
	rc, err := s.loadRecord(r, person.SectionAppointments, "read")
	if err != nil {
		return err
	}
	aid, ok := pathID(r, "aid")
	if !ok {
		return errUnknownAppointment
	}
	ctx := r.Context()
	a, err := s.store.Appointment(ctx, aid)
	if err != nil || a.PersonID != rc.p.ID {
		return errUnknownAppointment
	}
	names, types, err := s.appointmentNames(ctx, rc.p.TerritoryID)
	if err != nil {
		return err
	}
	data := &convocationData{page: s.page(r, "Convocation"), P: rc.p, When: appointment.WhenText(a.StartsAt), Structure: names[a.StructureID],
		Type: types[a.TypeID].Label, Printed: s.now()}
	if ag, err := s.store.Agenda(ctx, a.AgendaID); err == nil {
		for _, p := range ag.Places {
			if p.ID == a.PlaceID {
				data.Place, data.Address, data.Details = p.Label, p.Address, p.Details
				if c, ok := s.cfg.Referential.Commune(p.CommuneINSEE); ok {
					data.Address = strings.TrimSpace(data.Address + " " + c.PostalCodes[0] + " " + c.Name)
				}
			}
		}
	}
	if st, err := s.store.DirectoryStructure(ctx, a.StructureID); err == nil {
		data.Phone = st.Phone
	}
	s.render(w, r, http.StatusOK, "convocation", data)
	return nil
}

type followUpsPageData struct {
	page
	Structure  string
	Structures []fieldOption
	Rows       []apiFollowUp
	Action     bool
	Labels     map[string]string
	Badges     map[string]string
}

func (s *Server) followUpsPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	sid, _ := strconv.ParseInt(q.Get("structure"), 10, 64)
	sid, err := s.followStructure(r.Context(), sid)
	if err != nil {
		return err
	}
	action := q.Get("action") != "toutes"
	rows, err := s.followUpRows(r, sid, action)
	if err != nil {
		return err
	}
	data := &followUpsPageData{page: s.page(r, "Suivi des rendez-vous"), Rows: rows, Action: action, Labels: map[string]string{}, Badges: map[string]string{}}
	for _, o := range appointment.FollowUpOptions {
		data.Labels[o.Code] = o.Label
		data.Badges[o.Code] = followBadge(appointment.FollowUpStatus(o.Code))
	}
	s.structureChoices(r, sid, &data.Structure, &data.Structures)
	s.render(w, r, http.StatusOK, "followups", data)
	return nil
}

// structureChoices fills the name of the structure shown and the other
// structures the viewer follows.
func (s *Server) structureChoices(r *http.Request, sid int64, name *string, opts *[]fieldOption) {
	v := viewerOf(r.Context())
	seen := map[int64]bool{}
	for _, m := range v.Account.Memberships {
		if seen[m.StructureID] || !workerOfStructure(v, m.StructureID) {
			continue
		}
		seen[m.StructureID] = true
		if m.StructureID == sid {
			*name = m.StructureName
		}
		*opts = append(*opts, fieldOption{Value: strconv.FormatInt(m.StructureID, 10), Label: m.StructureName, Selected: m.StructureID == sid})
	}
}

type indicatorRow struct {
	Month                                  string
	Oriented, FirstSeen, Invited           int
	Median, Under15, Under30, NoShow, Self string
	MedianInvitation                       string
}

type indicatorsPageData struct {
	page
	Structure  string
	Structures []fieldOption
	Rows       []indicatorRow
}

func percent(x float64) string { return strconv.Itoa(int(x*100+0.5)) + " %" }

func daysText(x float64) string {
	return strings.Replace(strconv.FormatFloat(x, 'f', 1, 64), ".", ",", 1) + " j"
}

func (s *Server) indicatorsPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	sid, _ := strconv.ParseInt(q.Get("structure"), 10, 64)
	sid, err := s.followStructure(r.Context(), sid)
	if err != nil {
		return err
	}
	var fs problem.Fields
	from, to := s.monthRange(&fs, "", "")
	ins, err := s.indicators(r, sid, from, to)
	if err != nil {
		return err
	}
	data := &indicatorsPageData{page: s.page(r, "Indicateurs de délais")}
	for i := len(ins) - 1; i >= 0; i-- {
		in := ins[i]
		row := indicatorRow{Month: monthName(in.Month), Oriented: in.Oriented, FirstSeen: in.FirstSeen, Invited: in.Invited,
			Median: "—", Under15: "—", Under30: "—", NoShow: "—", Self: "—", MedianInvitation: "—"}
		if in.FirstSeen > 0 {
			row.Median = daysText(in.MedianDaysToFirstSeen)
		}
		if in.Oriented > 0 {
			row.Under15, row.Under30 = percent(in.Under15), percent(in.Under30)
		}
		if in.NoShowRate > 0 || in.FirstSeen > 0 {
			row.NoShow = percent(in.NoShowRate)
		}
		if in.Invited > 0 {
			row.Self, row.MedianInvitation = percent(in.SelfBooked), daysText(in.MedianDaysInvitationToAppointment)
		}
		data.Rows = append(data.Rows, row)
	}
	s.structureChoices(r, sid, &data.Structure, &data.Structures)
	s.render(w, r, http.StatusOK, "indicators", data)
	return nil
}

var monthNames = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

func monthName(t time.Time) string {
	t = t.In(paris)
	return monthNames[t.Month()-1] + " " + strconv.Itoa(t.Year())
}
