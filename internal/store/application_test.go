package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
)

// propose proposes the person to the offer as the adviser, at the instant.
func (f *empFixture) propose(t *testing.T, s *store.Store, p person.Person, o employment.Offer, at time.Time,
	shares ...employment.Share) employment.Application {
	t.Helper()
	a := employment.Application{OfferID: o.ID, PersonID: p.ID, Message: "Motivée, disponible vite.", Shares: shares,
		ConsentMethod: "oral"}
	by := f.adviserBy
	by.At = at
	if err := s.CreateApplication(context.Background(), &a, by, base); err != nil {
		t.Fatalf("propose %s to %q: %v", p.FirstName, o.Title, err)
	}
	return a
}

// move applies an action to an application as the employer's contact.
func (f *empFixture) move(s *store.Store, a employment.Application, action employment.Action, reason string,
	at time.Time) (employment.Application, error) {
	contact := f.transportContact
	if a.EmployerID == f.garden.StructureID {
		contact = f.gardenContact
	}
	return s.TransitionApplication(context.Background(), a.ID, action, reason, "", time.Time{},
		store.Actor{AccountID: contact.ID, StructureID: a.EmployerID, At: at}, base)
}

func application(t *testing.T, s *store.Store, id int64) employment.Application {
	t.Helper()
	a, err := s.Application(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// applicationMessages returns the outbox rows of an application.
func applicationMessages(t *testing.T, s *store.Store, id int64) []store.OutboxItem {
	t.Helper()
	return outbox(t, s, "application:"+strconv.FormatInt(id, 10)+":")
}

// History written without a base address (the demo's past) sends
// nothing.
func TestApplicationWithoutBase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newEmpFixture(t, s)
		quiet := employment.Application{OfferID: f.cariste.ID, PersonID: f.person(t, s, "Léo", "Blanc").ID, ConsentMethod: "oral"}
		if err := s.CreateApplication(ctx, &quiet, f.adviserBy, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TransitionApplication(ctx, quiet.ID, employment.ActionProcess, "", "", time.Time{},
			store.Actor{AccountID: f.transportContact.ID, StructureID: f.transport.StructureID, At: empAt(11)}, ""); err != nil {
			t.Fatal(err)
		}
		if msgs := applicationMessages(t, s, quiet.ID); len(msgs) != 0 {
			t.Errorf("an application written without a base address sent %d messages", len(msgs))
		}
	})
}

func TestCreateApplication(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newEmpFixture(t, s)
		p := f.person(t, s, "Jade", "Roux")
		a := f.propose(t, s, p, f.cariste, empAt(10), employment.ShareContact, employment.ShareLicence)

		got := application(t, s, a.ID)
		if got.State != employment.StateNew || got.OfferID != f.cariste.ID || got.EmployerID != f.transport.StructureID ||
			got.TerritoryID != f.tr.ID || got.ProposedBy != f.adviser.ID || got.ProposedFrom != f.ft.ID ||
			!got.ConsentAt.Equal(empAt(10)) || got.ConsentMethod != "oral" ||
			!slices.Equal(got.Shares, []employment.Share{employment.ShareContact, employment.ShareLicence}) ||
			got.OfferTitle != "Cariste H/F" || got.EmployerName != "Transports Dupont" || got.PersonFirstName != "Jade" ||
			got.PersonLastName != "Roux" || got.Message != "Motivée, disponible vite." || !got.UpdatedAt.Equal(empAt(10)) {
			t.Errorf("application = %+v", got)
		}
		evs, err := s.ApplicationEvents(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 || evs[0].Action != "propose" || evs[0].To != employment.StateNew || evs[0].AccountID != f.adviser.ID ||
			evs[0].AccountName != "Paul Martin" {
			t.Errorf("events = %+v, want the proposal by Paul Martin", evs)
		}
		if es := events(t, s, p.ID); es[0].Summary != "Proposé(e) à l'offre « Cariste H/F » de Transports Dupont" || es[0].RefID != a.ID {
			t.Errorf("timeline line %+v", es[0])
		}
		if l := accessLog(t, s, p.ID); l[0].Section != "project" || l[0].Action != "create" || l[0].AccountEmail != f.adviser.Email {
			t.Errorf("audit %+v, want the creation in the project by the adviser", l[0])
		}

		msgs := applicationMessages(t, s, a.ID)
		if got, want := recipients(msgs), []string{"partenariat@ft.example", "rh@dupont.example"}; !slices.Equal(got, want) {
			t.Errorf("messages to %q, want %q (the employer's contact and the partnership's referent)", got, want)
		}
		link := "https://parcours.example.org/candidatures/" + strconv.FormatInt(a.ID, 10)
		for _, m := range msgs {
			text := m.Subject + "\n" + m.Body
			if m.To == "rh@dupont.example" && m.Subject != "Un candidat vous est proposé pour l'offre « Cariste H/F »" {
				t.Errorf("subject to the employer %q", m.Subject)
			}
			if !strings.Contains(m.Body, link) {
				t.Errorf("message to %s without the link %s:\n%s", m.To, link, m.Body)
			}
			if m.PersonID != 0 {
				t.Errorf("message to %s filed as one to the person", m.To)
			}
			for _, name := range []string{"Jade", "Roux"} {
				if strings.Contains(text, name) {
					t.Errorf("message to %s names the person (%s):\n%s", m.To, name, text)
				}
			}
		}

		dup := employment.Application{OfferID: f.cariste.ID, PersonID: p.ID, ConsentMethod: "oral"}
		if err := s.CreateApplication(ctx, &dup, f.adviserBy, base); !errors.Is(err, store.ErrConflict) {
			t.Errorf("second open application to the offer: err = %v, want ErrConflict", err)
		}
		f.elagueur.Status = employment.OfferClosed
		if err := s.SaveOffer(ctx, &f.elagueur, store.Actor{At: empAt(11)}); err != nil {
			t.Fatal(err)
		}
		closed := employment.Application{OfferID: f.elagueur.ID, PersonID: p.ID, ConsentMethod: "oral"}
		err = s.CreateApplication(ctx, &closed, f.adviserBy, base)
		if !errors.Is(err, store.ErrOfferNotOpen) || !errors.Is(err, store.ErrConflict) {
			t.Errorf("application to a closed offer: err = %v, want ErrOfferNotOpen, a conflict", err)
		}
		unknown := employment.Application{OfferID: f.cariste.ID, PersonID: p.ID + 1000}
		if err := s.CreateApplication(ctx, &unknown, f.adviserBy, base); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("application of an unknown person: err = %v, want ErrNotFound", err)
		}

		if _, err := f.move(s, a, employment.ActionRefuse, "no_position", empAt(12)); err != nil {
			t.Fatal(err)
		}
		again := f.propose(t, s, p, f.cariste, empAt(13))
		if again.ID == a.ID {
			t.Error("a new proposal after a refusal reused the application")
		}
		list, err := s.Applications(ctx, store.ApplicationFilter{PersonID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != again.ID || list[1].State != employment.StateRefused || list[1].RefusalReason != "no_position" {
			t.Errorf("applications of the person = %+v, want the new one then the refused one", list)
		}
		for name, flt := range map[string]store.ApplicationFilter{
			"offer":    {OfferID: f.cariste.ID},
			"employer": {EmployerID: f.transport.StructureID},
			"proposer": {ProposedBy: f.adviser.ID},
			"state":    {States: []employment.ApplicationState{employment.StateNew}, EmployerID: f.transport.StructureID},
		} {
			list, err := s.Applications(ctx, flt)
			if err != nil {
				t.Fatal(err)
			}
			want := 2
			if name == "state" {
				want = 1
			}
			if len(list) != want {
				t.Errorf("filter by %s: %d applications, want %d", name, len(list), want)
			}
		}
		if list, _ := s.Applications(ctx, store.ApplicationFilter{EmployerID: f.garden.StructureID}); len(list) != 0 {
			t.Errorf("applications of the garden = %+v, want none", list)
		}
	})
}

// statePaths lead a new application to each state.
var statePaths = map[employment.ApplicationState][]employment.Action{
	employment.StateNew:         nil,
	employment.StateProcessing:  {employment.ActionProcess},
	employment.StatePostponed:   {employment.ActionPostpone},
	employment.StatePriorToHire: {employment.ActionPriorToHire},
	employment.StateAccepted:    {employment.ActionAccept},
	employment.StateRefused:     {employment.ActionRefuse},
	employment.StateCancelled:   {employment.ActionAccept, employment.ActionCancel},
	employment.StateObsolete:    {employment.ActionRenderObsolete},
	employment.StatePool:        {employment.ActionAddToPool},
}

func TestApplicationTransitions(t *testing.T) {
	tests := []struct {
		from   employment.ApplicationState
		action employment.Action
		want   employment.ApplicationState // "" when the action does not apply
	}{
		{employment.StateNew, employment.ActionProcess, employment.StateProcessing},
		{employment.StateNew, employment.ActionAccept, employment.StateAccepted},
		{employment.StateNew, employment.ActionRefuse, employment.StateRefused},
		{employment.StateNew, employment.ActionCancel, ""},
		{employment.StateNew, employment.ActionReset, ""},
		{employment.StateProcessing, employment.ActionPostpone, employment.StatePostponed},
		{employment.StateProcessing, employment.ActionProcess, ""},
		{employment.StateProcessing, employment.ActionPriorToHire, employment.StatePriorToHire},
		{employment.StatePostponed, employment.ActionAccept, employment.StateAccepted},
		{employment.StatePostponed, employment.ActionProcess, ""},
		{employment.StatePriorToHire, employment.ActionCancelPriorToHire, employment.StateProcessing},
		{employment.StatePriorToHire, employment.ActionAddToPool, ""},
		{employment.StateAccepted, employment.ActionCancel, employment.StateCancelled},
		{employment.StateAccepted, employment.ActionRefuse, ""},
		{employment.StateAccepted, employment.ActionAccept, ""},
		{employment.StateRefused, employment.ActionAccept, employment.StateAccepted},
		{employment.StateRefused, employment.ActionProcess, ""},
		{employment.StateCancelled, employment.ActionAddToPool, employment.StatePool},
		{employment.StateCancelled, employment.ActionCancel, ""},
		{employment.StateObsolete, employment.ActionReset, employment.StateNew},
		{employment.StateObsolete, employment.ActionRefuse, ""},
		{employment.StatePool, employment.ActionProcess, employment.StateProcessing},
		{employment.StatePool, employment.ActionCancelPriorToHire, ""},
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newEmpFixture(t, s)
		for i, tt := range tests {
			name := fmt.Sprintf("%s+%s", tt.from, tt.action)
			p := f.person(t, s, "Cand"+strconv.Itoa(i), "Test")
			a := f.propose(t, s, p, f.cariste, empAt(100*i))
			var err error
			for j, act := range statePaths[tt.from] {
				if a, err = f.move(s, a, act, "other", empAt(100*i+1+j)); err != nil {
					t.Fatalf("%s: path %s: %v", name, act, err)
				}
			}
			if a.State != tt.from {
				t.Fatalf("%s: path led to %s", name, a.State)
			}
			before := len(applicationMessages(t, s, a.ID))
			got, err := f.move(s, a, tt.action, "lacking_skills", empAt(100*i+50))
			read := application(t, s, a.ID)
			if tt.want == "" {
				if !errors.Is(err, store.ErrConflict) || read.State != tt.from {
					t.Errorf("%s: err = %v, state %s; want ErrConflict, state unchanged", name, err, read.State)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if got.State != tt.want || read.State != tt.want || !read.UpdatedAt.Equal(empAt(100*i+50)) {
				t.Errorf("%s: state %s (read %s), want %s", name, got.State, read.State, tt.want)
			}
			if wantReason := map[bool]string{true: "lacking_skills"}[tt.want == employment.StateRefused]; read.RefusalReason != wantReason {
				t.Errorf("%s: refusal reason %q, want %q", name, read.RefusalReason, wantReason)
			}
			evs, err := s.ApplicationEvents(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			last := evs[len(evs)-1]
			if last.Action != string(tt.action) || last.From != tt.from || last.To != tt.want || last.AccountID != f.transportContact.ID {
				t.Errorf("%s: last event %+v", name, last)
			}
			if es := events(t, s, p.ID); !strings.HasPrefix(es[0].Summary, "Candidature à l'offre « Cariste H/F » de Transports Dupont : ") {
				t.Errorf("%s: timeline line %q", name, es[0].Summary)
			}
			if after := applicationMessages(t, s, a.ID); len(after) == before {
				t.Errorf("%s: nobody told", name)
			}
		}
	})
}

func TestAcceptApplication(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newEmpFixture(t, s)
		p := f.person(t, s, "Jade", "Roux")
		other := f.person(t, s, "Léo", "Blanc")
		vendeuse := f.offer(t, s, f.garden, "Vendeuse", ogrVendeuse, employment.OfferOpen, empAt(1))
		hired := f.propose(t, s, p, f.cariste, empAt(10))
		pending := f.propose(t, s, p, f.elagueur, empAt(11))
		refused := f.propose(t, s, p, vendeuse, empAt(12))
		othersApp := f.propose(t, s, other, f.elagueur, empAt(13))
		if _, err := f.move(s, pending, employment.ActionProcess, "", empAt(14)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.move(s, refused, employment.ActionRefuse, "not_mobile", empAt(15)); err != nil {
			t.Fatal(err)
		}
		objective := func(theme, label string, status person.ObjectiveStatus) person.Objective {
			t.Helper()
			o := person.Objective{PersonID: p.ID, Theme: theme, Label: label}
			if err := s.CreateObjective(ctx, &o, f.referentBy); err != nil {
				t.Fatal(err)
			}
			if status != person.ObjectiveInProgress {
				if err := s.SetObjectiveStatus(ctx, &o, status, f.referentBy); err != nil {
					t.Fatal(err)
				}
			}
			return o
		}
		job := objective("trouver_un_emploi", "Trouver un emploi durable", person.ObjectiveInProgress)
		cv := objective("preparer_sa_candidature", "Réaliser un CV et/ou une lettre de motivation", person.ObjectiveInProgress)
		home := objective("logement", "Accéder à un logement", person.ObjectiveInProgress)
		dropped := objective("emploi", "Reprendre un emploi", person.ObjectiveAbandoned)

		hireDay := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
		by := store.Actor{AccountID: f.transportContact.ID, StructureID: f.transport.StructureID, At: empAt(20)}
		got, err := s.TransitionApplication(ctx, hired.ID, employment.ActionAccept, "", "Bienvenue lundi.", hireDay, by, base)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != employment.StateAccepted || !got.HiredOn.Equal(hireDay) || got.Answer != "Bienvenue lundi." {
			t.Errorf("accepted application = %+v", got)
		}
		if a := application(t, s, hired.ID); !a.HiredOn.Equal(hireDay) || a.Answer != "Bienvenue lundi." {
			t.Errorf("read back: hired on %v, answer %q", a.HiredOn, a.Answer)
		}
		for _, tt := range []struct {
			name string
			id   int64
			want employment.ApplicationState
		}{
			{"pending elsewhere", pending.ID, employment.StateObsolete},
			{"refused elsewhere", refused.ID, employment.StateRefused},
			{"another person's", othersApp.ID, employment.StateNew},
		} {
			if a := application(t, s, tt.id); a.State != tt.want {
				t.Errorf("%s: state %s, want %s", tt.name, a.State, tt.want)
			}
		}
		evs, err := s.ApplicationEvents(ctx, pending.ID)
		if err != nil {
			t.Fatal(err)
		}
		if last := evs[len(evs)-1]; last.Action != string(employment.ActionRenderObsolete) || last.From != employment.StateProcessing ||
			last.AccountID != 0 {
			t.Errorf("obsolete event = %+v, want render_obsolete by the system", last)
		}
		garden := applicationMessages(t, s, pending.ID)
		if len(garden) == 0 || garden[0].To != "contact@jardins.example" || !strings.Contains(garden[0].Body, "embauché ailleurs") {
			t.Errorf("messages of the obsolete application = %+v, want one to the garden's contact", garden)
		}

		plan, err := s.Plan(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		status := map[int64]person.ObjectiveStatus{}
		for _, o := range plan {
			status[o.ID] = o.Status
		}
		for _, tt := range []struct {
			o    person.Objective
			want person.ObjectiveStatus
		}{{job, person.ObjectiveDone}, {cv, person.ObjectiveDone}, {home, person.ObjectiveInProgress}, {dropped, person.ObjectiveAbandoned}} {
			if status[tt.o.ID] != tt.want {
				t.Errorf("objective %q: %s, want %s", tt.o.Label, status[tt.o.ID], tt.want)
			}
		}
		var lines []string
		for _, e := range events(t, s, p.ID) {
			if e.At.Equal(empAt(20)) {
				lines = append(lines, e.Summary)
			}
		}
		for _, want := range []string{
			"Candidature à l'offre « Cariste H/F » de Transports Dupont : acceptée (embauche le 03/11/2026)",
			"Candidature à l'offre « Élagueur confirmé » de Jardins du Lion : embauché ailleurs",
			"Objectif « Trouver un emploi durable » : atteint",
			"Objectif « Réaliser un CV et/ou une lettre de motivation » : atteint",
		} {
			if !slices.Contains(lines, want) {
				t.Errorf("timeline lacks %q; lines of the hire: %q", want, lines)
			}
		}

		exits, err := s.Exits(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(exits) != 1 || exits[0].Kind != "employment" || !exits[0].At.Equal(hireDay) || exits[0].ApplicationID != hired.ID ||
			!exits[0].CancelledAt.IsZero() {
			t.Errorf("exits = %+v, want one to employment on the day of the hire", exits)
		}
		msgs := applicationMessages(t, s, hired.ID)
		var told []string
		for _, m := range msgs {
			if m.Subject == "Candidature n° "+strconv.FormatInt(hired.ID, 10)+" acceptée" {
				told = append(told, m.To)
				if want := "La candidature n° " + strconv.FormatInt(hired.ID, 10) + " a été acceptée : embauche le 03/11/2026."; !strings.HasPrefix(m.Body, want) {
					t.Errorf("message of the hire:\n%s\nwant it to start with %q", m.Body, want)
				}
				if strings.Contains(m.Subject+m.Body, "Jade") || strings.Contains(m.Subject+m.Body, "Roux") {
					t.Errorf("message of the hire names the person:\n%s", m.Body)
				}
			}
		}
		slices.Sort(told)
		if want := []string{"conseiller@ft.example", "ts@ccas.example"}; !slices.Equal(told, want) {
			t.Errorf("hire told to %q, want the proposer and the référent %q", told, want)
		}

		by.At = empAt(30)
		cancelled, err := s.TransitionApplication(ctx, hired.ID, employment.ActionCancel, "", "", time.Time{}, by, base)
		if err != nil {
			t.Fatal(err)
		}
		if cancelled.State != employment.StateCancelled {
			t.Errorf("state after cancel %s", cancelled.State)
		}
		exits, err = s.Exits(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(exits) != 1 || !exits[0].CancelledAt.Equal(empAt(30)) {
			t.Errorf("exits after the cancelled hire = %+v, want it cancelled at %v", exits, empAt(30))
		}
		var cancelTold []string
		for _, m := range applicationMessages(t, s, hired.ID) {
			if strings.Contains(m.Subject, "embauche annulée") {
				cancelTold = append(cancelTold, m.To)
			}
		}
		slices.Sort(cancelTold)
		if want := []string{"conseiller@ft.example", "ts@ccas.example"}; !slices.Equal(cancelTold, want) {
			t.Errorf("cancellation told to %q, want the proposer and the référent %q", cancelTold, want)
		}
	})
}

func TestAutoRefuseApplications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newEmpFixture(t, s)
		now := empStart.AddDate(0, 3, 0)
		days := func(n int) time.Time { return now.AddDate(0, 0, -n) }
		mk := func(first string, at time.Time, path ...employment.Action) employment.Application {
			t.Helper()
			a := f.propose(t, s, f.person(t, s, first, "Test"), f.cariste, at)
			for _, act := range path {
				var err error
				if a, err = f.move(s, a, act, "", at.Add(time.Minute)); err != nil {
					t.Fatal(err)
				}
			}
			return a
		}
		due := mk("Soixante", days(60))
		fresh := mk("Cinquanteneuf", days(59))
		processing := mk("Etude", days(61).Add(-time.Minute), employment.ActionProcess)
		postponed := mk("Attente", days(100), employment.ActionPostpone)

		n, err := s.AutoRefuseApplications(ctx, now, base)
		if err != nil || n != 2 {
			t.Fatalf("first run: %d refused, %v; want 2", n, err)
		}
		for _, tt := range []struct {
			name string
			a    employment.Application
			want employment.ApplicationState
		}{
			{"new for 60 days", due, employment.StateRefused},
			{"new for 59 days", fresh, employment.StateNew},
			{"processing for 61 days", processing, employment.StateRefused},
			{"postponed for 100 days", postponed, employment.StatePostponed},
		} {
			got := application(t, s, tt.a.ID)
			if got.State != tt.want {
				t.Errorf("%s: state %s, want %s", tt.name, got.State, tt.want)
				continue
			}
			if tt.want != employment.StateRefused {
				continue
			}
			if got.RefusalReason != "auto" || !got.UpdatedAt.Equal(now) {
				t.Errorf("%s: reason %q, updated %v; want auto at %v", tt.name, got.RefusalReason, got.UpdatedAt, now)
			}
			evs, err := s.ApplicationEvents(ctx, tt.a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if last := evs[len(evs)-1]; last.Action != string(employment.ActionRefuse) || last.Reason != "auto" || last.AccountID != 0 {
				t.Errorf("%s: event %+v, want a refusal by the system", tt.name, last)
			}
			if es := events(t, s, tt.a.PersonID); !strings.Contains(es[0].Summary, "déclinée (motif : sans réponse après 60 jours)") {
				t.Errorf("%s: timeline line %q", tt.name, es[0].Summary)
			}
			var told []string
			for _, m := range applicationMessages(t, s, tt.a.ID) {
				if strings.Contains(m.Body, "n'a pas répondu en 60 jours") {
					told = append(told, m.To)
				}
			}
			slices.Sort(told)
			if want := []string{"conseiller@ft.example", "ts@ccas.example"}; !slices.Equal(told, want) {
				t.Errorf("%s: told %q, want the proposer and the référent %q", tt.name, told, want)
			}
		}
		before := len(outbox(t, s, "application:"))
		if n, err := s.AutoRefuseApplications(ctx, now, base); err != nil || n != 0 {
			t.Errorf("second run: %d refused, %v; want 0", n, err)
		}
		if after := len(outbox(t, s, "application:")); after != before {
			t.Errorf("second run wrote %d messages", after-before)
		}
		if n, err := s.AutoRefuseApplications(ctx, now.AddDate(0, 0, 1), base); err != nil || n != 1 {
			t.Errorf("a day later: %d refused, %v; want 1 (the one of 59 days)", n, err)
		}
	})
}

func TestCandidateView(t *testing.T) {
	const marker = "MARQUEUR-SECRET"
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newEmpFixture(t, s)
		p := f.person(t, s, "Jade", "Roux")
		pr := person.Project{PersonID: p.ID, TargetJobs: []string{ogrCariste}, Experience: "Cariste " + marker, Skills: "CACES 3",
			AvailableFrom: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), HoursWanted: 28, DrivingLicence: true, Vehicle: true}
		if err := s.SaveProject(ctx, &pr, f.referentBy); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveDiagnostic(ctx, p.ID, []person.DiagnosticEntry{{Theme: "sante", Situation: "Difficulté déclarée entravant l’exercice de certains métiers",
			Comment: "Dos " + marker, Section: person.SectionHealth}}, nil, f.referentBy); err != nil {
			t.Fatal(err)
		}
		if err := s.AddNote(ctx, &person.Note{PersonID: p.ID, Visibility: person.VisibilityTeam, Body: "Note " + marker}, f.referentBy); err != nil {
			t.Fatal(err)
		}
		contactOnly := f.propose(t, s, p, f.cariste, empAt(10), employment.ShareContact)
		all := f.propose(t, s, p, f.elagueur, empAt(11), employment.ShareContact, employment.ShareExperience,
			employment.ShareAvailable, employment.ShareLicence)

		reader := store.Actor{AccountID: f.transportContact.ID, StructureID: f.transport.StructureID, At: empAt(20)}
		c, err := s.CandidateView(ctx, contactOnly.ID, reader)
		if err != nil {
			t.Fatal(err)
		}
		want := store.Candidate{ApplicationID: contactOnly.ID, PersonID: p.ID, FirstName: "Jade", LastName: "Roux",
			Appellations: []string{ogrCariste}, Shares: []employment.Share{employment.ShareContact}, Phone: "0611223344",
			Email: "Jade@example.org"}
		if fmt.Sprintf("%+v", c) != fmt.Sprintf("%+v", want) {
			t.Errorf("contact only =\n%+v\nwant\n%+v", c, want)
		}
		if l := accessLog(t, s, p.ID); l[0].Action != "read" || l[0].Section != "project" || l[0].Structure != "Transports Dupont" ||
			l[0].AccountEmail != "rh@dupont.example" {
			t.Errorf("audit of the read = %+v, want a read of the project by the employer's contact", l[0])
		}

		c, err = s.CandidateView(ctx, all.ID, store.Actor{AccountID: f.gardenContact.ID, StructureID: f.garden.StructureID, At: empAt(21)})
		if err != nil {
			t.Fatal(err)
		}
		want = store.Candidate{ApplicationID: all.ID, PersonID: p.ID, FirstName: "Jade", LastName: "Roux",
			Appellations: []string{ogrCariste}, Shares: all.Shares, Phone: "0611223344", Email: "Jade@example.org",
			Experience: "Cariste " + marker, Skills: "CACES 3", AvailableFrom: pr.AvailableFrom, HoursWanted: 28,
			DrivingLicence: true, Vehicle: true}
		if fmt.Sprintf("%+v", c) != fmt.Sprintf("%+v", want) {
			t.Errorf("everything shared =\n%+v\nwant\n%+v", c, want)
		}
		if text := fmt.Sprintf("%+v", c); strings.Count(text, marker) != 1 {
			t.Errorf("the view holds the diagnostic's or the note's text:\n%s", text)
		}
		if _, err := s.CandidateView(ctx, all.ID+1000, reader); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("CandidateView(unknown): err = %v, want ErrNotFound", err)
		}
	})
}
