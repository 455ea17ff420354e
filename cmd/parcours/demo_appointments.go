package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/appointment"
	"github.com/spie-parcours/parcours/internal/demo"
	"github.com/spie-parcours/parcours/internal/orientation"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

// The demo's appointments: the territory's appointment types, the agendas
// of the consortium (one per professional, one per structure for its
// collective sessions), and the invitations and appointments of the people
// followed, written in the order they happened, with the periodic jobs run
// at their hour in between, so that reminders, expiries and the timelines
// read as a real history. No message is written: the store writes none
// for an empty base URL, and the demo's past was never sent.

// demoInvitationDays is how long the demo's invitation links stay valid.
const demoInvitationDays = 10

// The appointment types of the demo, by index in demoTypes.
const (
	typeOrientation = iota
	typeFirst
	typeFollow
	typeInfoRSA
	typeDigital
)

// demoTypes are the appointment types of the demo territory.
var demoTypes = []appointment.Type{
	typeOrientation: {Category: appointment.CategoryOrientation, Label: "Rendez-vous d'orientation", DurationMin: 45, Capacity: 1},
	typeFirst:       {Category: appointment.CategoryAccompaniment, Label: "Premier rendez-vous d'accompagnement", DurationMin: 60, Capacity: 1},
	typeFollow:      {Category: appointment.CategoryAccompaniment, Label: "Rendez-vous de suivi", DurationMin: 30, Capacity: 1},
	typeInfoRSA:     {Category: appointment.CategoryInformation, Label: "Information collective RSA", DurationMin: 120, Capacity: 12},
	typeDigital:     {Category: appointment.CategoryInformation, Label: "Atelier numérique", DurationMin: 90, Capacity: 8},
}

// demoDesk is how a kind of structure receives: the two weekdays of its
// professionals, the label of its front desk, and its collective session
// (a type of demoTypes, a weekday and an hour, weekly or every other week).
type demoDesk struct {
	days        [2]time.Weekday
	place       string
	orientation bool // its professionals also hold orientation appointments
	session     int
	sessionDay  time.Weekday
	sessionAt   int // minutes after midnight
	fortnightly bool
}

// demoDesks are the desks of the kinds of consortium structures; another
// kind receives as demoAssociationDesk does.
var demoDesks = map[territory.Kind]demoDesk{
	territory.KindDepartement: {days: [2]time.Weekday{time.Tuesday, time.Thursday}, place: "Espace insertion du Département",
		orientation: true, session: typeInfoRSA, sessionDay: time.Monday, sessionAt: 9*60 + 30},
	territory.KindFranceTravail: {days: [2]time.Weekday{time.Monday, time.Wednesday}, place: "Agence France Travail",
		session: typeDigital, sessionDay: time.Friday, sessionAt: 9*60 + 30},
	territory.KindCapEmploi: {days: [2]time.Weekday{time.Tuesday, time.Friday}, place: "Accueil de Cap emploi",
		session: typeDigital, sessionDay: time.Thursday, sessionAt: 14 * 60, fortnightly: true},
	territory.KindMissionLocale: {days: [2]time.Weekday{time.Monday, time.Thursday}, place: "Accueil de la Mission locale",
		session: typeDigital, sessionDay: time.Wednesday, sessionAt: 14 * 60},
	territory.KindCCAS: {days: [2]time.Weekday{time.Tuesday, time.Thursday}, place: "Accueil du CCAS",
		session: typeDigital, sessionDay: time.Wednesday, sessionAt: 14 * 60, fortnightly: true},
}

var demoAssociationDesk = demoDesk{days: [2]time.Weekday{time.Wednesday, time.Friday}, place: "Local de l'association",
	session: typeDigital, sessionDay: time.Thursday, sessionAt: 9*60 + 30}

// demoOutpost is where the Département also holds its information
// sessions, on the first Thursday of the month: a real commune of the 90,
// an invented street.
const (
	demoOutpostINSEE  = "90052" // Giromagny
	demoOutpostStreet = "6 rue des Vosges"
)

// rdvPro is a professional of the demo who receives people, with the
// agendas of their structure.
type rdvPro struct {
	account   int64
	structure territory.Structure
	desk      demoDesk
	agenda    *appointment.Agenda // the professional's own
	shared    *appointment.Agenda // the structure's collective sessions
}

// rdvPerson is a followed person of the demo: followed by pro since, for
// the orientation orientationID when there is one.
type rdvPerson struct {
	id, orientationID int64
	since             time.Time
	channels          []string
	pro               *rdvPro
}

// rdvEvent is a write of the demo's history, run at its time.
type rdvEvent struct {
	at time.Time
	do func(ctx context.Context) error
}

// rdvSeeder plans the demo's appointments, then writes them in order.
type rdvSeeder struct {
	st     *store.Store
	ref    *referential.Referential
	t      territory.Territory
	now    time.Time
	from   time.Time // the start of the history
	types  []appointment.Type
	byID   map[int64]appointment.Type
	slots  map[int64][]appointment.Slot // by agenda, by start
	taken  map[rdvSeat]int
	events []rdvEvent
}

// rdvSeat names a slot of an agenda.
type rdvSeat struct {
	agenda int64
	at     int64 // Unix seconds
}

// seedAppointments gives the demo territory its appointment types, the
// agendas of the structures that have professionals, and a history of
// invitations and appointments of the people followed. It does nothing
// when the territory already has appointment types.
func seedAppointments(ctx context.Context, st *store.Store, ref *referential.Referential, t territory.Territory) error {
	have, err := st.AppointmentTypes(ctx, t.ID)
	if err != nil || len(have) > 0 {
		return err
	}
	s := &rdvSeeder{st: st, ref: ref, t: t, now: time.Now().UTC(), byID: map[int64]appointment.Type{},
		slots: map[int64][]appointment.Slot{}, taken: map[rdvSeat]int{}}
	for _, typ := range demoTypes {
		typ.TerritoryID = t.ID
		if err := st.SaveAppointmentType(ctx, &typ); err != nil {
			return err
		}
		s.types = append(s.types, typ)
		s.byID[typ.ID] = typ
	}
	if err := st.SetInvitationDays(ctx, t.ID, demoInvitationDays); err != nil {
		return err
	}
	pros, managers, err := s.professionals(ctx)
	if err != nil {
		return err
	}
	people, err := s.people(ctx, pros)
	if err != nil {
		return err
	}
	// The history starts with the oldest follow-up, at most ten weeks ago.
	s.from = s.now.AddDate(0, 0, -70)
	if len(people) > 0 && people[0].since.After(s.from) {
		s.from = people[0].since
	}
	s.from = parisDay(s.from).AddDate(0, 0, -1)
	if err := s.agendas(ctx, pros, managers); err != nil {
		return err
	}
	s.plan(people)
	return s.run(ctx)
}

// professionals returns the demo professionals with their structures, in
// the order of demo.Structures, and the manager of each structure that has
// one.
func (s *rdvSeeder) professionals(ctx context.Context) ([]*rdvPro, map[int64]int64, error) {
	structures := map[int64]territory.Structure{}
	for _, d := range demo.Structures {
		got, err := s.st.StructureByName(ctx, s.t.ID, d.Name)
		if err != nil {
			return nil, nil, err
		}
		structures[got.ID] = got
	}
	var pros []*rdvPro
	managers := map[int64]int64{}
	for _, m := range demo.Members {
		a, err := s.st.AccountByEmail(ctx, m.Email)
		if err != nil {
			return nil, nil, err
		}
		for _, ms := range a.Memberships {
			str, ok := structures[ms.StructureID]
			switch {
			case !ok:
			case ms.Role == account.RoleProfessional:
				desk, ok := demoDesks[str.Kind]
				if !ok {
					desk = demoAssociationDesk
				}
				pros = append(pros, &rdvPro{account: a.ID, structure: str, desk: desk,
					agenda: &appointment.Agenda{Name: "Agenda de " + m.FirstName + " " + m.LastName}})
			case ms.Role == account.RoleStructureManager:
				if _, ok := managers[str.ID]; !ok {
					managers[str.ID] = a.ID
				}
			}
		}
	}
	order := map[string]int{}
	for i, d := range demo.Structures {
		order[d.Name] = i
	}
	slices.SortStableFunc(pros, func(x, y *rdvPro) int { return order[x.structure.Name] - order[y.structure.Name] })
	return pros, managers, nil
}

// people returns the people the professionals follow, oldest follow-up
// first: those oriented to their structure (an accepted orientation),
// then those of their caseloads, each person once.
func (s *rdvSeeder) people(ctx context.Context, pros []*rdvPro) ([]*rdvPerson, error) {
	var out []*rdvPerson
	seen := map[int64]bool{}
	add := func(p *rdvPerson, email, phone string) {
		seen[p.id] = true
		if email != "" {
			p.channels = append(p.channels, "email")
		}
		if n, ok := person.FrenchPhone(phone); ok && (strings.HasPrefix(n, "06") || strings.HasPrefix(n, "07")) {
			p.channels = append(p.channels, "sms")
		}
		if limit := s.now.AddDate(0, 0, -70); p.since.Before(limit) {
			p.since = limit
		}
		out = append(out, p)
	}
	byStructure := map[int64][]*rdvPro{}
	var structures []int64
	for _, pro := range pros {
		if len(byStructure[pro.structure.ID]) == 0 {
			structures = append(structures, pro.structure.ID)
		}
		byStructure[pro.structure.ID] = append(byStructure[pro.structure.ID], pro)
	}
	for _, sid := range structures {
		items, err := s.st.FollowUps(ctx, sid)
		if err != nil {
			return nil, err
		}
		for i, it := range items {
			if it.Closed || seen[it.PersonID] {
				continue
			}
			spros := byStructure[sid]
			add(&rdvPerson{id: it.PersonID, orientationID: it.OrientationID, since: it.DecidedAt, pro: spros[i%len(spros)]}, it.Email, it.Phone)
		}
	}
	for _, pro := range pros {
		cursor := ""
		for {
			items, next, err := s.st.Caseload(ctx, pro.account, store.CaseloadFilter{ReferentOnly: true, Limit: 200, Cursor: cursor})
			if err != nil {
				return nil, err
			}
			for _, it := range items {
				if seen[it.PersonID] {
					continue
				}
				p, err := s.st.Person(ctx, it.PersonID)
				if err != nil {
					return nil, err
				}
				add(&rdvPerson{id: it.PersonID, since: it.Since, pro: pro}, p.Email, p.Phone)
			}
			if cursor = next; cursor == "" {
				break
			}
		}
	}
	slices.SortStableFunc(out, func(x, y *rdvPerson) int {
		return cmp.Or(x.since.Compare(y.since), cmp.Compare(x.id, y.id))
	})
	return out, nil
}

// agendas writes the agenda of each professional and the shared agenda of
// each of their structures, each checked by appointment.ValidateAgenda,
// and computes their slots over the history and the weeks to come.
func (s *rdvSeeder) agendas(ctx context.Context, pros []*rdvPro, managers map[int64]int64) error {
	created := s.from.AddDate(0, 0, -30) // the agendas were set up before the history
	shared := map[int64]*appointment.Agenda{}
	for k, pro := range pros {
		a := pro.agenda
		*a = s.proAgenda(pro, a.Name, k)
		by := store.Actor{AccountID: pro.account, StructureID: pro.structure.ID, At: created}
		if err := s.save(ctx, a, by); err != nil {
			return err
		}
		if pro.shared = shared[pro.structure.ID]; pro.shared != nil {
			continue
		}
		pro.shared = &appointment.Agenda{}
		*pro.shared = s.sharedAgenda(pro)
		if m, ok := managers[pro.structure.ID]; ok {
			by.AccountID = m
		}
		if err := s.save(ctx, pro.shared, by); err != nil {
			return err
		}
		shared[pro.structure.ID] = pro.shared
	}
	return nil
}

// save checks an agenda, writes it and computes its slots.
func (s *rdvSeeder) save(ctx context.Context, a *appointment.Agenda, by store.Actor) error {
	// SaveAgenda names a new place by -(its index + 1): so does the check.
	v := *a
	v.Places = slices.Clone(a.Places)
	for i := range v.Places {
		v.Places[i].ID = int64(-(i + 1))
	}
	if fs := appointment.ValidateAgenda(v, s.byID); len(fs) > 0 {
		return fmt.Errorf("agenda %q : %v", a.Name, fs)
	}
	if err := s.st.SaveAgenda(ctx, a, by); err != nil {
		return fmt.Errorf("agenda %q : %w", a.Name, err)
	}
	s.slots[a.ID] = appointment.Slots(*a, s.byID, s.from, s.now.AddDate(0, 0, 84), s.from.Add(-appointment.MinNotice))
	return nil
}

// typeID returns the ID of a type of demoTypes.
func (s *rdvSeeder) typeID(i int) int64 { return s.types[i].ID }

// frontDesk returns the place where a structure receives: its address in
// the directory (an invented street of a real commune of the 90).
func (s *rdvSeeder) frontDesk(pro *rdvPro, label string) appointment.Place {
	street := ""
	for _, d := range demo.DirectoryStructures {
		if d.Name == pro.structure.Name {
			street = d.Address
		}
	}
	return appointment.Place{Kind: appointment.PlaceAddress, Label: label, CommuneINSEE: pro.structure.CommuneINSEE,
		Address: s.address(street, pro.structure.CommuneINSEE)}
}

// address writes a street and a commune as a letter would: "3 place du
// Marché, 90000 Belfort".
func (s *rdvSeeder) address(street, insee string) string {
	c, ok := s.ref.Commune(insee)
	if !ok {
		return street
	}
	town := c.Name
	if len(c.PostalCodes) > 0 {
		town = c.PostalCodes[0] + " " + c.Name
	}
	if street == "" {
		return town
	}
	return street + ", " + town
}

// proAgenda returns the agenda of the k-th professional: on the first day
// of the desk, first appointments in the morning and follow-ups in the
// afternoon; on the second, follow-ups, by phone in the afternoon;
// orientation appointments on Wednesday mornings at the Département. It
// is closed on public holidays, one day or afternoon for a training or a
// meeting, and was closed one day of leave lately.
func (s *rdvSeeder) proAgenda(pro *rdvPro, name string, k int) appointment.Agenda {
	d := pro.desk
	a := appointment.Agenda{TerritoryID: s.t.ID, StructureID: pro.structure.ID, AccountID: pro.account, Name: name, Active: true,
		Places: []appointment.Place{s.frontDesk(pro, d.place), {Kind: appointment.PlacePhone, Label: "Par téléphone"}}}
	first, follow := s.typeID(typeFirst), s.typeID(typeFollow)
	a.Rules = []appointment.Rule{
		{TypeID: first, PlaceID: -1, Weekday: d.days[0], Start: 9 * 60, End: 12 * 60},
		{TypeID: follow, PlaceID: -1, Weekday: d.days[0], Start: 14 * 60, End: 16*60 + 30},
		{TypeID: follow, PlaceID: -1, Weekday: d.days[1], Start: 9 * 60, End: 12 * 60},
		{TypeID: follow, PlaceID: -2, Weekday: d.days[1], Start: 14 * 60, End: 16*60 + 30},
	}
	if d.orientation {
		a.Rules = append(a.Rules, appointment.Rule{TypeID: s.typeID(typeOrientation), PlaceID: -1, Weekday: time.Wednesday,
			Start: 9 * 60, End: 12 * 60})
	}
	a.Exceptions = s.holidays()
	today := parisDay(s.now)
	if k%2 == 0 {
		a.Exceptions = append(a.Exceptions, appointment.Exception{Date: nextWeekday(today.AddDate(0, 0, 7*(2+k%3)), d.days[0]),
			Closed: true, Reason: "Journée de formation"})
	} else {
		a.Exceptions = append(a.Exceptions, appointment.Exception{Date: nextWeekday(today.AddDate(0, 0, 7*(1+k%3)), d.days[1]),
			Closed: true, Start: 14 * 60, End: 16*60 + 30, Reason: "Réunion d'équipe"})
	}
	if leave := nextWeekday(today.AddDate(0, 0, -21), d.days[1]); leave.After(s.from) {
		a.Exceptions = append(a.Exceptions, appointment.Exception{Date: leave, Closed: true, Reason: "Congés"})
	}
	return a
}

// sharedAgenda returns the agenda of the collective sessions of the
// professional's structure: weekly, or every other week as openings; the
// Département also holds one in Giromagny on the first Thursday of each
// month.
func (s *rdvSeeder) sharedAgenda(pro *rdvPro) appointment.Agenda {
	d := pro.desk
	typ := s.types[d.session]
	a := appointment.Agenda{TerritoryID: s.t.ID, StructureID: pro.structure.ID, Name: "Séances collectives — " + pro.structure.Name,
		Active: true, Places: []appointment.Place{s.frontDesk(pro, "Salle des séances collectives")}}
	closed := map[time.Time]bool{}
	for _, h := range s.holidays() {
		closed[h.Date] = true
	}
	end := d.sessionAt + typ.DurationMin
	last := parisDay(s.now).AddDate(0, 0, 84)
	if !d.fortnightly {
		a.Rules = []appointment.Rule{{TypeID: typ.ID, PlaceID: -1, Weekday: d.sessionDay, Start: d.sessionAt, End: end}}
		a.Exceptions = s.holidays()
	} else {
		for day := nextWeekday(s.from, d.sessionDay); !day.After(last); day = day.AddDate(0, 0, 7) {
			if _, week := day.ISOWeek(); week%2 == 0 && !closed[day] {
				a.Exceptions = append(a.Exceptions, appointment.Exception{Date: day, Start: d.sessionAt, End: end, TypeID: typ.ID, PlaceID: -1})
			}
		}
	}
	if d.orientation {
		a.Places = append(a.Places, appointment.Place{Kind: appointment.PlaceAddress, Label: "Permanence de Giromagny",
			CommuneINSEE: demoOutpostINSEE, Address: s.address(demoOutpostStreet, demoOutpostINSEE)})
		for m := time.Date(s.from.Year(), s.from.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(last); m = m.AddDate(0, 1, 0) {
			if day := nextWeekday(m, time.Thursday); !day.Before(s.from) && !closed[day] {
				a.Exceptions = append(a.Exceptions, appointment.Exception{Date: day, Start: 14 * 60, End: 14*60 + typ.DurationMin,
					TypeID: typ.ID, PlaceID: -2})
			}
		}
	}
	return a
}

// holidays returns the closures of the public holidays on weekdays, from
// the start of the history to twelve weeks ahead.
func (s *rdvSeeder) holidays() []appointment.Exception {
	var out []appointment.Exception
	last := parisDay(s.now).AddDate(0, 0, 84)
	for y := s.from.Year(); y <= last.Year(); y++ {
		for _, h := range frenchHolidays(y) {
			if wd := h.Weekday(); wd != time.Saturday && wd != time.Sunday && !h.Before(s.from) && !h.After(last) {
				out = append(out, appointment.Exception{Date: h, Closed: true, Reason: "Jour férié"})
			}
		}
	}
	return out
}

// frenchHolidays returns the public holidays of France in year y, as UTC
// midnight dates.
func frenchHolidays(y int) []time.Time {
	// Easter Sunday, by the anonymous Gregorian algorithm.
	a, b, c := y%19, y/100, y%100
	d, e, f := b/4, b%4, (b+8)/25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	easter := time.Date(y, time.Month((h+l-7*m+114)/31), (h+l-7*m+114)%31+1, 0, 0, 0, 0, time.UTC)
	on := func(m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	return []time.Time{on(time.January, 1), easter.AddDate(0, 0, 1), on(time.May, 1), on(time.May, 8), easter.AddDate(0, 0, 39),
		easter.AddDate(0, 0, 50), on(time.July, 14), on(time.August, 15), on(time.November, 1), on(time.November, 11),
		on(time.December, 25)}
}

// later returns the later of two instants.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// parisDay returns the civil date of t in Europe/Paris, as UTC midnight.
func parisDay(t time.Time) time.Time {
	y, m, d := t.In(orientation.Paris()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// nextWeekday returns the first date on or after the date d that is a wd.
func nextWeekday(d time.Time, wd time.Weekday) time.Time {
	return d.AddDate(0, 0, (int(wd)-int(d.Weekday())+7)%7)
}

// workTime returns the first instant at minute (Europe/Paris) of a weekday
// at least days days after t, and not before t.
func workTime(t time.Time, days, minute int) time.Time {
	paris := orientation.Paris()
	d := t.In(paris).AddDate(0, 0, days)
	for {
		at := time.Date(d.Year(), d.Month(), d.Day(), 0, minute, 0, 0, paris)
		if wd := at.Weekday(); wd != time.Saturday && wd != time.Sunday && !at.Before(t) {
			return at.UTC()
		}
		d = d.AddDate(0, 0, 1)
	}
}

// homeTime returns the instant at minute (Europe/Paris) days days after t,
// weekend or not, and not before t: when a person answers an invitation.
func homeTime(t time.Time, days, minute int) time.Time {
	paris := orientation.Paris()
	d := t.In(paris).AddDate(0, 0, days)
	at := time.Date(d.Year(), d.Month(), d.Day(), 0, minute, 0, 0, paris)
	if at.Before(t) {
		at = at.AddDate(0, 0, 1)
	}
	return at.UTC()
}

// rdvStory is a kind of follow-up history: how many people live it, how
// many days of follow-up it needs, whether it invites the person (who
// must then have an e-mail address or a mobile), and its plan.
type rdvStory struct {
	count, need int
	invites     bool
	plan        func(pl *rdvPlan, k int)
}

// demoStories are the histories of the demo's followed people, the longest
// first. About 60 appointments in the past (mostly seen, some absences,
// cancellations, two left to settle), about 40 to come, 15 invitations
// waiting for an answer and 8 expired, 3 of which led to a convocation.
var demoStories = []rdvStory{
	{4, 24, false, (*rdvPlan).regular},
	{3, 18, true, (*rdvPlan).moved},
	{3, 16, true, (*rdvPlan).convenedAfterInvitation},
	{6, 14, false, (*rdvPlan).seenTwice},
	{5, 14, true, (*rdvPlan).unanswered},
	{2, 12, true, (*rdvPlan).revoked},
	{4, 12, true, (*rdvPlan).seenThenInvited},
	{5, 10, false, (*rdvPlan).session},
	{8, 8, true, (*rdvPlan).invitedSeen},
	{3, 8, false, (*rdvPlan).convenedAfterAbsence},
	{4, 6, true, (*rdvPlan).absent},
	{3, 5, false, (*rdvPlan).seenOnce},
	{2, 4, false, (*rdvPlan).unsettled},
	{9, 3, true, (*rdvPlan).booked},
	{8, 1, false, (*rdvPlan).scheduled},
	{10, 1, true, (*rdvPlan).invited},
}

// plan gives the people their histories: each story goes to the people
// followed the longest who have the days it needs, the others are not
// invited yet.
func (s *rdvSeeder) plan(people []*rdvPerson) {
	used := make([]bool, len(people))
	for _, story := range demoStories {
		for k := 0; k < story.count; k++ {
			for i, p := range people {
				if used[i] || s.now.Sub(p.since) < time.Duration(story.need)*demoDay || story.invites && len(p.channels) == 0 {
					continue
				}
				used[i] = true
				pl := &rdvPlan{s: s, p: p, last: p.since, ok: true, first: s.typeID(typeFirst)}
				if p.pro.desk.orientation && i%2 == 0 {
					pl.first = s.typeID(typeOrientation)
				}
				story.plan(pl, k)
				break
			}
		}
	}
}

// run writes the history in the order it happened, with the periodic jobs
// of invitations at 8:00 each day (reminders, expiries), then all the jobs
// once now.
func (s *rdvSeeder) run(ctx context.Context) error {
	if len(s.events) == 0 {
		return nil
	}
	first := slices.MinFunc(s.events, func(x, y rdvEvent) int { return x.at.Compare(y.at) }).at
	var jobs []rdvEvent
	for day := parisDay(first); ; day = day.AddDate(0, 0, 1) {
		at := time.Date(day.Year(), day.Month(), day.Day(), 8, 0, 0, 0, orientation.Paris()).UTC()
		if at.After(s.now) {
			break
		}
		if at.After(first) {
			jobs = append(jobs, rdvEvent{at: at, do: s.jobs(at, false)})
		}
	}
	jobs = append(jobs, rdvEvent{at: s.now, do: s.jobs(s.now, true)})
	events := append(s.events, jobs...)
	slices.SortStableFunc(events, func(x, y rdvEvent) int { return x.at.Compare(y.at) })
	for _, e := range events {
		if err := e.do(ctx); err != nil {
			return err
		}
	}
	return nil
}

// jobs returns the periodic work of invitations at at (reminders,
// expiries), and of appointments too when all is true, writing no message.
// The reminders of appointments are only run at the end: the demo shows
// them nowhere, and each day's would cost a transaction.
func (s *rdvSeeder) jobs(at time.Time, all bool) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		if _, err := s.st.RemindInvitations(ctx, at, ""); err != nil {
			return err
		}
		if _, err := s.st.ExpireInvitations(ctx, at, ""); err != nil {
			return err
		}
		if !all {
			return nil
		}
		_, err := s.st.RemindAppointments(ctx, at, "")
		return err
	}
}

// rdvPlan plans the history of one person: each step is an event at a time
// after the previous one and before now. A step that cannot be placed
// (no time left before now, no slot) ends the plan: ok turns false and the
// later steps do nothing.
type rdvPlan struct {
	s     *rdvSeeder
	p     *rdvPerson
	last  time.Time // the time of the last step
	ok    bool
	first int64 // the type of the first appointment
}

// when returns the time of a step wanted at t: not before the last step,
// not after now; ok turns false when there is no such time.
func (pl *rdvPlan) when(t time.Time) time.Time {
	if limit := pl.s.now.Add(-5 * time.Minute); t.After(limit) {
		t = limit
	}
	if !t.After(pl.last) {
		t = pl.last.Add(time.Minute)
	}
	if t.After(pl.s.now.Add(-time.Minute)) {
		pl.ok = false
	}
	pl.last = t
	return t
}

// add schedules a step at t.
func (pl *rdvPlan) add(at time.Time, do func(ctx context.Context) error) {
	pl.s.events = append(pl.s.events, rdvEvent{at: at, do: do})
}

// pro returns the professional acting at at.
func (pl *rdvPlan) pro(at time.Time) store.Actor {
	return store.Actor{AccountID: pl.p.pro.account, StructureID: pl.p.pro.structure.ID, At: at}
}

// invite sends the person an invitation to book an appointment of type
// typ, at about t.
func (pl *rdvPlan) invite(typ int64, t time.Time) *appointment.Invitation {
	inv := &appointment.Invitation{PersonID: pl.p.id, TerritoryID: pl.s.t.ID, StructureID: pl.p.pro.structure.ID, TypeID: typ,
		OrientationID: pl.p.orientationID, Channels: pl.p.channels}
	if !pl.ok {
		return inv
	}
	at := pl.when(t)
	if !pl.ok {
		return inv
	}
	inv.CreatedAt, inv.ExpiresAt = at, appointment.InvitationExpiry(at, demoInvitationDays)
	by := pl.pro(at)
	pl.add(at, func(ctx context.Context) error { return pl.s.st.CreateInvitation(ctx, inv, by, "") })
	return inv
}

// book books, at about t, the first free slot of type typ of the agenda
// from notBefore on: by the person through inv when it is set, by the
// professional otherwise (a convocation when origin says so). A booking
// that replaces another moves it: the other is cancelled by the person.
func (pl *rdvPlan) book(ag *appointment.Agenda, typ int64, notBefore, t time.Time, origin appointment.Origin,
	inv *appointment.Invitation, replaces *appointment.Appointment) *appointment.Appointment {
	a := &appointment.Appointment{PersonID: pl.p.id, TerritoryID: pl.s.t.ID, StructureID: pl.p.pro.structure.ID, AgendaID: ag.ID,
		TypeID: typ, OrientationID: pl.p.orientationID, Origin: origin}
	if !pl.ok {
		return a
	}
	at := pl.when(t)
	if inv != nil && !at.Before(inv.ExpiresAt) {
		pl.ok = false
	}
	if !pl.ok {
		return a
	}
	sl, found := pl.s.freeSlot(ag.ID, typ, later(notBefore, at.Add(appointment.MinNotice)))
	if !found {
		pl.ok = false
		return a
	}
	a.PlaceID, a.StartsAt, a.DurationMin = sl.PlaceID, sl.StartsAt, sl.DurationMin
	// A seat freed by a cancellation is not counted free again: the
	// booking planned into it might come before the cancellation.
	pl.s.taken[rdvSeat{ag.ID, sl.StartsAt.Unix()}]++
	by := pl.pro(at)
	if origin == appointment.OriginPerson {
		by.AccountID = 0
	}
	capacity := sl.Capacity
	pl.add(at, func(ctx context.Context) error {
		b := &store.Booking{Appointment: a, Capacity: capacity}
		if inv != nil {
			a.InvitationID = inv.ID
		}
		if replaces != nil {
			b.Replaces = replaces.ID
		}
		if err := pl.s.st.BookAppointment(ctx, b, by, ""); err != nil {
			return err
		}
		if replaces != nil {
			replaces.Status = appointment.StatusExcused
		}
		return nil
	})
	return a
}

// settle records what happened at the appointment a little after it
// ended, by the professional, when that is past; an appointment still to
// come keeps its status.
func (pl *rdvPlan) settle(a *appointment.Appointment, to appointment.Status, k int) {
	if !pl.ok {
		return
	}
	t := a.EndsAt().Add(time.Duration(10+(k*17)%50) * time.Minute)
	if t.After(pl.s.now.Add(-5*time.Minute)) || !appointment.CanSet(*a, to, t) {
		return
	}
	if at := pl.when(t); pl.ok {
		pl.status(a, to, pl.pro(at))
	}
}

// cancel cancels the appointment a at about t: excused by the person,
// revoked by the professional.
func (pl *rdvPlan) cancel(a *appointment.Appointment, to appointment.Status, t time.Time) {
	if !pl.ok {
		return
	}
	at := pl.when(t)
	if !pl.ok || !appointment.CanSet(*a, to, at) {
		pl.ok = false
		return
	}
	by := pl.pro(at)
	if to == appointment.StatusExcused {
		by.AccountID = 0
	}
	pl.status(a, to, by)
}

// status schedules the change of a's status.
func (pl *rdvPlan) status(a *appointment.Appointment, to appointment.Status, by store.Actor) {
	pl.add(by.At, func(ctx context.Context) error { return pl.s.st.SetAppointmentStatus(ctx, a, to, by, "") })
}

// freeSlot returns the first slot of type typ of the agenda from notBefore
// on with a seat left.
func (s *rdvSeeder) freeSlot(agendaID, typ int64, notBefore time.Time) (appointment.Slot, bool) {
	slots := s.slots[agendaID]
	i, _ := slices.BinarySearchFunc(slots, notBefore, func(sl appointment.Slot, t time.Time) int { return sl.StartsAt.Compare(t) })
	for ; i < len(slots); i++ {
		if sl := slots[i]; sl.TypeID == typ && s.taken[rdvSeat{agendaID, sl.StartsAt.Unix()}] < sl.Capacity {
			return sl, true
		}
	}
	return appointment.Slot{}, false
}

// soon returns an instant days days from now, for an appointment to come.
func (pl *rdvPlan) soon(days int) time.Time { return workTime(pl.s.now, days, 0) }

// recent returns the later of the last step and days days ago at minute,
// for a step of the last days.
func (pl *rdvPlan) recent(days, minute int) time.Time {
	return later(pl.last, workTime(pl.s.now.AddDate(0, 0, -days), 0, minute))
}

// firstSeen books the first appointment, by the professional, in the days
// after the follow-up started, and settles it as to.
func (pl *rdvPlan) firstSeen(k int, to appointment.Status) *appointment.Appointment {
	p := pl.p
	a := pl.book(p.pro.agenda, pl.first, workTime(p.since, 2, 0), workTime(p.since, 1, 9*60+30+(k%4)*45),
		appointment.OriginAgent, nil, nil)
	pl.settle(a, to, k)
	return a
}

// regular: three appointments seen a week apart, the next one to come.
func (pl *rdvPlan) regular(k int) {
	a := pl.firstSeen(k, appointment.StatusSeen)
	follow := pl.s.typeID(typeFollow)
	for n := range 2 {
		a = pl.book(pl.p.pro.agenda, follow, a.StartsAt.AddDate(0, 0, 7), pl.last.Add(5*time.Minute), appointment.OriginAgent, nil, nil)
		pl.settle(a, appointment.StatusSeen, k+n)
	}
	pl.book(pl.p.pro.agenda, follow, later(a.StartsAt.AddDate(0, 0, 7), pl.soon(1+k%5)), pl.last.Add(5*time.Minute),
		appointment.OriginAgent, nil, nil)
}

// moved: the person booked through the invitation, then moved the
// appointment two days before it by its link; the new one was seen, or is
// to come.
func (pl *rdvPlan) moved(k int) {
	inv := pl.invite(pl.first, workTime(pl.p.since, 0, 10*60))
	b := homeTime(inv.CreatedAt, 1, 19*60)
	a := pl.book(pl.p.pro.agenda, pl.first, b.AddDate(0, 0, 5), b, appointment.OriginPerson, inv, nil)
	n := pl.book(pl.p.pro.agenda, pl.first, a.StartsAt.AddDate(0, 0, 5), a.StartsAt.Add(-46*time.Hour), appointment.OriginPerson, nil, a)
	pl.settle(n, appointment.StatusSeen, k)
}

// convenedAfterInvitation: the invitation expired without an answer; the
// professional convened the person, who came.
func (pl *rdvPlan) convenedAfterInvitation(k int) {
	inv := pl.invite(pl.first, workTime(pl.p.since, 0, 10*60))
	at := workTime(inv.ExpiresAt, 1, 10*60+30)
	a := pl.book(pl.p.pro.agenda, pl.first, at.AddDate(0, 0, 4), at, appointment.OriginConvocation, nil, nil)
	pl.settle(a, appointment.StatusSeen, k)
}

// seenTwice: the first appointment and a follow-up a week later, both seen.
func (pl *rdvPlan) seenTwice(k int) {
	a := pl.firstSeen(k, appointment.StatusSeen)
	a = pl.book(pl.p.pro.agenda, pl.s.typeID(typeFollow), a.StartsAt.AddDate(0, 0, 7), pl.last.Add(5*time.Minute),
		appointment.OriginAgent, nil, nil)
	pl.settle(a, appointment.StatusSeen, k+1)
}

// unanswered: an invitation sent two or three weeks ago, never answered.
func (pl *rdvPlan) unanswered(k int) {
	pl.invite(pl.first, later(pl.p.since, workTime(pl.s.now.AddDate(0, 0, -13-k%6), 0, 9*60+30+k*20)))
}

// revoked: the service cancelled the first appointment the day before (the
// professional was away); a new invitation was sent lately, or nothing yet.
func (pl *rdvPlan) revoked(k int) {
	a := pl.book(pl.p.pro.agenda, pl.first, workTime(pl.p.since, 2, 0), workTime(pl.p.since, 1, 11*60), appointment.OriginAgent, nil, nil)
	pl.cancel(a, appointment.StatusRevoked, workTime(a.StartsAt.Add(-24*time.Hour), 0, 8*60+45))
	if k%2 == 0 {
		pl.invite(pl.first, pl.recent(2+k%3, 10*60))
	}
}

// seenThenInvited: the first appointment was seen; the person was invited
// lately to book the follow-up.
func (pl *rdvPlan) seenThenInvited(k int) {
	pl.firstSeen(k, appointment.StatusSeen)
	pl.invite(pl.s.typeID(typeFollow), pl.recent(1+k%5, 14*60))
}

// session: the person went to the structure's collective session (one in
// five did not come), then the professional booked the first appointment.
func (pl *rdvPlan) session(k int) {
	p := pl.p
	to := appointment.StatusSeen
	if k%5 == 4 {
		to = appointment.StatusNoshow
	}
	a := pl.book(p.pro.shared, pl.s.typeID(p.pro.desk.session), workTime(p.since, 2, 0), workTime(p.since, 1, 11*60),
		appointment.OriginAgent, nil, nil)
	pl.settle(a, to, k)
	pl.book(p.pro.agenda, pl.first, pl.soon(2+k%5), pl.recent(1+k%3, 15*60), appointment.OriginAgent, nil, nil)
}

// invitedSeen: the person booked through the invitation and came; the
// follow-up is booked.
func (pl *rdvPlan) invitedSeen(k int) {
	inv := pl.invite(pl.first, workTime(pl.p.since, 0, 9*60+45))
	b := homeTime(inv.CreatedAt, k%3, 20*60+30)
	a := pl.book(pl.p.pro.agenda, pl.first, b.AddDate(0, 0, 2), b, appointment.OriginPerson, inv, nil)
	pl.settle(a, appointment.StatusSeen, k)
	pl.book(pl.p.pro.agenda, pl.s.typeID(typeFollow), later(a.StartsAt.AddDate(0, 0, 14), pl.soon(1+k%6)), pl.last.Add(10*time.Minute),
		appointment.OriginAgent, nil, nil)
}

// convenedAfterAbsence: the person missed the first appointment and was
// convened to another, to come.
func (pl *rdvPlan) convenedAfterAbsence(k int) {
	a := pl.firstSeen(k, appointment.StatusNoshow)
	pl.book(pl.p.pro.agenda, pl.first, later(a.StartsAt.AddDate(0, 0, 7), pl.soon(1+k%4)), workTime(pl.last, 1, 10*60),
		appointment.OriginConvocation, nil, nil)
}

// absent: the person booked through the invitation and did not come.
func (pl *rdvPlan) absent(k int) {
	inv := pl.invite(pl.first, workTime(pl.p.since, 0, 9*60+30))
	b := homeTime(inv.CreatedAt, 1, 18*60)
	a := pl.book(pl.p.pro.agenda, pl.first, b.AddDate(0, 0, 2), b, appointment.OriginPerson, inv, nil)
	pl.settle(a, appointment.StatusNoshow, k+40)
}

// seenOnce: the first appointment, seen.
func (pl *rdvPlan) seenOnce(k int) { pl.firstSeen(k, appointment.StatusSeen) }

// unsettled: an appointment of the last days whose status the professional
// has not given yet.
func (pl *rdvPlan) unsettled(k int) {
	pl.book(pl.p.pro.agenda, pl.s.typeID(typeFollow), pl.s.now.AddDate(0, 0, -6-k), pl.recent(10, 11*60), appointment.OriginAgent, nil, nil)
}

// booked: the person booked through a recent invitation an appointment to
// come.
func (pl *rdvPlan) booked(k int) {
	inv := pl.invite(pl.first, pl.recent(2+k%6, 9*60+(k%5)*60))
	b := inv.CreatedAt.Add(time.Duration(2+(k*5)%20) * time.Hour)
	pl.book(pl.p.pro.agenda, pl.first, pl.soon(1+k%7), b, appointment.OriginPerson, inv, nil)
}

// scheduled: the professional booked the first appointment, to come.
func (pl *rdvPlan) scheduled(k int) {
	pl.book(pl.p.pro.agenda, pl.first, pl.soon(2+k%9), pl.recent(k%4, 9*60+(k%7)*60), appointment.OriginAgent, nil, nil)
}

// invited: an invitation of the last days, not answered yet.
func (pl *rdvPlan) invited(k int) {
	pl.invite(pl.first, pl.recent(1+k%8, 9*60+(k%6)*55))
}
