package store_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
	"github.com/spie-parcours/parcours/internal/territory"
)

// base is the public address of Parcours in the referral tests.
const base = "https://parcours.example.org/"

// linkRE finds a single-use answer link in a message body.
var linkRE = regexp.MustCompile(`https://parcours\.example\.org/reponse-adressage/(\d+)/(adr_[a-z0-9]+)`)

// referralFixture is a territory where a France Travail adviser (sender)
// refers people followed by a CCAS référent to two services: one of the
// Mission locale, a member with accounts, and one of a garage solidaire
// of the directory only, which has none.
type referralFixture struct {
	tr                     territory.Territory
	ccas, ft, ml           territory.Structure
	referent, sender       account.Account
	mlPro, mlManager, gone account.Account // accounts of the Mission locale; gone is disabled
	garage                 directory.Structure
	youth, repair, draft   directory.Service
}

func newReferralFixture(t *testing.T, s *store.Store) *referralFixture {
	t.Helper()
	ctx := context.Background()
	f := &referralFixture{}
	f.tr, f.ccas, f.referent = fixture(t, s)
	member := func(name string, kind territory.Kind) territory.Structure {
		t.Helper()
		st := territory.Structure{TerritoryID: f.tr.ID, Kind: kind, Name: name}
		if err := s.CreateStructure(ctx, &st); err != nil {
			t.Fatal(err)
		}
		return st
	}
	f.ft = member("France Travail Belfort", territory.KindFranceTravail)
	f.ml = member("Mission locale du Territoire", territory.KindMissionLocale)
	acc := func(email string, st territory.Structure, role account.Role) account.Account {
		t.Helper()
		a := account.Account{Email: email, FirstName: "Prénom", LastName: "Nom", PasswordHash: "x"}
		if err := s.CreateAccount(ctx, &a); err != nil {
			t.Fatal(err)
		}
		if err := s.AddMembership(ctx, a.ID, st.ID, role); err != nil {
			t.Fatal(err)
		}
		return a
	}
	f.sender = acc("conseiller@ft.example", f.ft, account.RoleProfessional)
	f.mlPro = acc("pro@ml.example", f.ml, account.RoleProfessional)
	f.mlManager = acc("direction@ml.example", f.ml, account.RoleStructureManager)
	f.gone = acc("parti@ml.example", f.ml, account.RoleProfessional)
	if err := s.SetAccountDisabled(ctx, f.gone.ID, true, planStart); err != nil {
		t.Fatal(err)
	}
	belfort := communes(t).belfort
	f.garage = dirStructure(t, s, f.tr.ID, "Garage solidaire du Territoire", "garage@example.org")
	f.youth = putService(t, s, directory.Service{TerritoryID: f.tr.ID, StructureID: f.ml.ID, Name: "Accompagnement des jeunes",
		Email: "contact@ml.example", Thematiques: []string{thVehicle}}, belfort)
	f.repair = putService(t, s, directory.Service{TerritoryID: f.tr.ID, StructureID: f.garage.ID, Name: "Réparation à petit prix",
		Email: "atelier@garage.example", Thematiques: []string{thVehicle}}, belfort)
	f.draft = putService(t, s, directory.Service{TerritoryID: f.tr.ID, StructureID: f.garage.ID, Name: "Garage en projet",
		Email: "atelier@garage.example", Status: directory.StatusDraft}, belfort)
	return f
}

// person registers a person followed by the CCAS référent.
func (f *referralFixture) person(t *testing.T, s *store.Store, first, email string) person.Person {
	t.Helper()
	return newPerson(t, s, f.tr.ID, first, email, store.Actor{AccountID: f.referent.ID, StructureID: f.ccas.ID, At: planStart})
}

func (f *referralFixture) bySender(at time.Time) store.Actor {
	return store.Actor{AccountID: f.sender.ID, StructureID: f.ft.ID, At: at}
}

func (f *referralFixture) byML(a account.Account, at time.Time) store.Actor {
	return store.Actor{AccountID: a.ID, StructureID: f.ml.ID, At: at}
}

// newReferral is what the sender fills in: a new objective and action of
// the person's plan, and the referral to the service.
func (f *referralFixture) newReferral(p person.Person, sv directory.Service, notify bool) store.NewReferral {
	return store.NewReferral{
		Objective: &person.Objective{PersonID: p.ID, Theme: "mobilite", Label: "Accéder à un véhicule"},
		Action:    &person.Action{PersonID: p.ID, Label: "Faire réparer la voiture", Status: person.ActionPlanned, WeeklyHours: 1},
		Referral: &directory.Referral{PersonID: p.ID, TerritoryID: f.tr.ID, ServiceID: sv.ID, NotifyPerson: notify,
			Motive: "Voiture en panne, indispensable pour un emploi à Danjoutin."},
		Base: base,
	}
}

// refer sends a referral of the person to the service at the instant.
func (f *referralFixture) refer(t *testing.T, s *store.Store, p person.Person, sv directory.Service, notify bool, at time.Time) directory.Referral {
	t.Helper()
	in := f.newReferral(p, sv, notify)
	if err := s.CreateReferral(context.Background(), in, f.bySender(at)); err != nil {
		t.Fatalf("refer %s to %s: %v", p.FirstName, sv.Name, err)
	}
	return *in.Referral
}

// outbox returns the outbox rows whose key starts with prefix, newest first.
func outbox(t *testing.T, s *store.Store, prefix string) []store.OutboxItem {
	t.Helper()
	items, err := s.Outbox(context.Background(), store.OutboxFilter{KeyPrefix: prefix, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func recipients(items []store.OutboxItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.To)
	}
	slices.Sort(out)
	return out
}

// linkToken returns the single-use token of the referral's message for the
// event to the structure without accounts.
func linkToken(t *testing.T, s *store.Store, r directory.Referral, event string) string {
	t.Helper()
	items := outbox(t, s, fmt.Sprintf("referral:%d:%s:", r.ID, event))
	if len(items) != 1 {
		t.Fatalf("%s messages of referral %d: %+v, want one to the service's contact", event, r.ID, items)
	}
	m := linkRE.FindStringSubmatch(items[0].Body)
	if m == nil || m[1] != fmt.Sprint(r.ID) {
		t.Fatalf("no link to referral %d in %q", r.ID, items[0].Body)
	}
	return m[2]
}

func referral(t *testing.T, s *store.Store, id int64) directory.Referral {
	t.Helper()
	r, err := s.Referral(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func actionStatus(t *testing.T, s *store.Store, id int64) person.ActionStatus {
	t.Helper()
	a, err := s.Action(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a.Status
}

func TestCreateReferralWritesPlanAndReferral(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newReferralFixture(t, s)
		p := f.person(t, s, "Jade", "jade@example.org")
		in := f.newReferral(p, f.youth, false)
		if err := s.CreateReferral(ctx, in, f.bySender(planStart)); err != nil {
			t.Fatal(err)
		}
		plan, err := s.Plan(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan) != 1 || plan[0].ID != in.Objective.ID || len(plan[0].Actions) != 1 {
			t.Fatalf("plan = %+v, want the new objective with its action", plan)
		}
		act := plan[0].Actions[0]
		if act.ID != in.Action.ID || act.ServiceID != f.youth.ID || act.Status != person.ActionPlanned || act.CreatedBy != f.sender.ID {
			t.Errorf("action = %+v, want planned, calling on service %d", act, f.youth.ID)
		}
		rs, err := s.PersonReferrals(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 {
			t.Fatalf("referrals = %+v, want one", rs)
		}
		r := rs[0]
		if r.ID != in.Referral.ID || r.Status != directory.ReferralSent || r.ActionID != act.ID || r.StructureID != f.ml.ID ||
			r.ServiceName != f.youth.Name || r.StructureName != f.ml.Name || r.SenderID != f.sender.ID ||
			r.SenderStructure != f.ft.Name || !r.SentAt.Equal(planStart) || !r.ExpiresAt().Equal(planStart.AddDate(0, 0, 30)) ||
			r.PersonFirstName != "Jade" || r.Motive == "" {
			t.Errorf("referral = %+v", r)
		}
		var kinds []string
		for _, e := range events(t, s, p.ID)[:3] {
			kinds = append(kinds, e.Kind)
		}
		if want := []string{person.EventReferralSent, person.EventActionAdded, person.EventObjectiveAdded}; !slices.Equal(kinds, want) {
			t.Errorf("timeline = %q, want %q", kinds, want)
		}
		log := accessLog(t, s, p.ID)
		for _, it := range log[:3] {
			if it.Action != "create" || it.Section != "plan" || it.AccountEmail != f.sender.Email {
				t.Errorf("audit entry %+v, want a plan creation by the sender", it)
			}
		}

		// An existing action of the plan may call on another service.
		other := f.newReferral(p, f.repair, false)
		other.Objective, other.Action = nil, &person.Action{ID: act.ID, PersonID: p.ID}
		if err := s.CreateReferral(ctx, other, f.bySender(planStart.Add(time.Hour))); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Action(ctx, act.ID); got.ServiceID != f.repair.ID {
			t.Errorf("existing action calls on service %d, want %d", got.ServiceID, f.repair.ID)
		}
		sent := len(outbox(t, s, "referral:"))
		nLog := len(accessLog(t, s, p.ID))

		for _, tc := range []struct {
			name string
			in   store.NewReferral
			want error
		}{
			{"same service still open", func() store.NewReferral {
				in := f.newReferral(p, f.youth, false)
				in.Objective.ID, in.Action.ObjectiveID = plan[0].ID, plan[0].ID
				return in
			}(), store.ErrConflict},
			{"draft service", f.newReferral(p, f.draft, false), store.ErrNotFound},
			{"unknown service", func() store.NewReferral {
				in := f.newReferral(p, f.youth, false)
				in.Referral.ServiceID = f.draft.ID + 1000
				return in
			}(), store.ErrNotFound},
			{"service of another territory", func() store.NewReferral {
				in := f.newReferral(p, f.youth, false)
				in.Referral.TerritoryID = f.tr.ID + 1000
				return in
			}(), store.ErrNotFound},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := s.CreateReferral(ctx, tc.in, f.bySender(planStart.Add(2*time.Hour))); !errors.Is(err, tc.want) {
					t.Errorf("err = %v, want %v", err, tc.want)
				}
			})
		}
		// An action may not hang on another person's objective.
		q := f.person(t, s, "Léo", "")
		foreign := objective(t, s, q.ID, "Accéder à un véhicule", f.bySender(planStart))
		stray := f.person(t, s, "Mia", "")
		in = f.newReferral(stray, f.youth, false)
		in.Objective, in.Action.ObjectiveID = nil, foreign.ID
		if err := s.CreateReferral(ctx, in, f.bySender(planStart.Add(2*time.Hour))); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("action on another person's objective: err = %v, want ErrNotFound", err)
		}
		if got, _ := s.PersonReferrals(ctx, stray.ID); len(got) != 0 {
			t.Errorf("referral made on another person's objective: %+v", got)
		}
		if got, _ := s.Plan(ctx, q.ID); len(got) != 1 || len(got[0].Actions) != 0 {
			t.Errorf("the other person's plan changed: %+v", got)
		}
		if got, _ := s.Plan(ctx, p.ID); len(got) != 1 || len(got[0].Actions) != 1 {
			t.Errorf("a refused referral left its objective or action: %+v", got)
		}
		if got, _ := s.PersonReferrals(ctx, p.ID); len(got) != 2 {
			t.Errorf("referrals = %d, want 2", len(got))
		}
		if got := len(outbox(t, s, "referral:")); got != sent {
			t.Errorf("a refused referral sent %d messages", got-sent)
		}
		if got := len(accessLog(t, s, p.ID)); got != nLog {
			t.Errorf("a refused referral left %d audit entries", got-nLog)
		}

		// Once refused, the person may be referred to the same service again.
		if _, err := s.AnswerReferral(ctx, r.ID, directory.Answer{Reason: "complet"}, "", f.byML(f.mlPro, planStart.Add(3*time.Hour)), base); err != nil {
			t.Fatal(err)
		}
		again := f.newReferral(p, f.youth, false)
		if err := s.CreateReferral(ctx, again, f.bySender(planStart.Add(4*time.Hour))); err != nil {
			t.Errorf("referral after a refusal: %v", err)
		}
	})
}

func TestReferralToStructureWithAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newReferralFixture(t, s)
		p := f.person(t, s, "Jade", "jade@example.org")
		r := f.refer(t, s, p, f.youth, true, planStart)
		items := outbox(t, s, "referral:")
		if got, want := recipients(items), []string{f.mlManager.Email, f.mlPro.Email}; !slices.Equal(got, want) {
			t.Fatalf("told %q, want the Mission locale's active accounts %q", got, want)
		}
		for _, it := range items {
			if !strings.HasPrefix(it.Key, fmt.Sprintf("referral:%d:sent:account:", r.ID)) || it.Channel != "email" {
				t.Errorf("message key %q channel %q", it.Key, it.Channel)
			}
			if strings.Contains(it.Body, "/reponse-adressage/") || strings.Contains(it.Body, "adr_") {
				t.Errorf("a structure with accounts got a single-use link: %q", it.Body)
			}
			if !strings.Contains(it.Body, f.youth.Name) || !strings.Contains(it.Body, fmt.Sprintf("/adressages/%d", r.ID)) {
				t.Errorf("body %q does not name the service and the referral's page", it.Body)
			}
			if strings.Contains(it.Body, r.Motive) || strings.Contains(it.Body, "Roux") {
				t.Errorf("the email tells about the person: %q", it.Body)
			}
		}
	})
}

func TestReferralSingleUseLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newReferralFixture(t, s)
		p := f.person(t, s, "Jade", "jade@example.org")
		r := f.refer(t, s, p, f.repair, false, planStart)
		other := f.refer(t, s, f.person(t, s, "Léo", ""), f.repair, false, planStart)

		items := outbox(t, s, fmt.Sprintf("referral:%d:", r.ID))
		if len(items) != 1 || items[0].To != "atelier@garage.example" || items[0].Key != fmt.Sprintf("referral:%d:sent:contact", r.ID) {
			t.Fatalf("messages = %+v, want one to the service's email", items)
		}
		token := linkToken(t, s, r, directory.EventSent)
		if token == linkToken(t, s, other, directory.EventSent) {
			t.Fatal("two referrals share a token")
		}
		got, err := s.ReferralByLink(ctx, r.ID, token, planStart.Add(time.Hour))
		if err != nil || got.ID != r.ID || got.ServiceName != f.repair.Name || got.Status != directory.ReferralSent {
			t.Fatalf("by link: %+v, %v", got, err)
		}

		link := store.Actor{}
		for _, tc := range []struct {
			name   string
			id     int64
			token  string
			at     time.Time
			answer bool // try to answer too, not only to open
			want   error
		}{
			{"another referral's id", other.ID, token, planStart.Add(24 * time.Hour), true, store.ErrLinkInvalid},
			{"unknown token", r.ID, "adr_" + strings.Repeat("a", 32), planStart.Add(24 * time.Hour), true, store.ErrLinkInvalid},
			{"a second before 8 days", r.ID, token, planStart.Add(directory.LinkTTL - time.Second), false, nil},
			{"after 8 days", r.ID, token, planStart.Add(directory.LinkTTL), true, store.ErrLinkInvalid},
			{"first use", r.ID, token, planStart.Add(48 * time.Hour), true, nil},
			{"second use", r.ID, token, planStart.Add(49 * time.Hour), true, store.ErrLinkInvalid},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if _, err := s.ReferralByLink(ctx, tc.id, tc.token, tc.at); !errors.Is(err, tc.want) {
					t.Errorf("open: err = %v, want %v", err, tc.want)
				}
				if !tc.answer {
					return
				}
				link.At = tc.at
				if _, err := s.AnswerReferral(ctx, tc.id, directory.Answer{Accept: true}, tc.token, link, base); !errors.Is(err, tc.want) {
					t.Errorf("answer: err = %v, want %v", err, tc.want)
				}
			})
		}
		if got := referral(t, s, other.ID); got.Status != directory.ReferralSent {
			t.Errorf("the other referral is %s, want still sent", got.Status)
		}
		got = referral(t, s, r.ID)
		if got.Status != directory.ReferralAccepted || got.AnsweredBy != 0 || !got.AnsweredAt.Equal(planStart.Add(48*time.Hour)) {
			t.Errorf("referral = %+v, want accepted through the link", got)
		}
		if st := actionStatus(t, s, got.ActionID); st != person.ActionInProgress {
			t.Errorf("action %s after acceptance, want in_progress", st)
		}
		if es := events(t, s, p.ID); es[0].Kind != person.EventReferralUpdated || !strings.Contains(es[0].Summary, "a accepté") {
			t.Errorf("timeline line %q %q", es[0].Kind, es[0].Summary)
		}
		if got, want := recipients(outbox(t, s, fmt.Sprintf("referral:%d:accepted:", r.ID))), []string{f.sender.Email, f.referent.Email}; !slices.Equal(got, want) {
			t.Errorf("acceptance told %q, want %q", got, want)
		}

		done, err := s.CloseReferral(ctx, r.ID, directory.ReferralDone, f.bySender(planStart.AddDate(0, 0, 20)), base)
		if err != nil || done.Status != directory.ReferralDone {
			t.Fatalf("close: %+v, %v", done, err)
		}
		if st := actionStatus(t, s, got.ActionID); st != person.ActionDone {
			t.Errorf("action %s after the service was given, want done", st)
		}
		if got := referral(t, s, r.ID); got.Status != directory.ReferralDone || got.ClosedBy != f.sender.ID {
			t.Errorf("referral = %+v, want done by the sender", got)
		}
		if _, err := s.CloseReferral(ctx, r.ID, directory.ReferralDone, f.bySender(planStart.AddDate(0, 0, 21)), base); !errors.Is(err, store.ErrConflict) {
			t.Errorf("closing twice: err = %v, want ErrConflict", err)
		}
		if _, err := s.CloseReferral(ctx, other.ID, directory.ReferralDone, f.bySender(planStart.AddDate(0, 0, 21)), base); !errors.Is(err, store.ErrConflict) {
			t.Errorf("done before an answer: err = %v, want ErrConflict", err)
		}

		// A cancelled referral's link opens nothing, though never used.
		otherToken := linkToken(t, s, other, directory.EventSent)
		if _, err := s.CloseReferral(ctx, other.ID, directory.ReferralCancelled, f.bySender(planStart.Add(time.Hour)), base); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ReferralByLink(ctx, other.ID, otherToken, planStart.Add(2*time.Hour)); !errors.Is(err, store.ErrLinkInvalid) {
			t.Errorf("open a cancelled referral: err = %v, want ErrLinkInvalid", err)
		}
		if _, err := s.AnswerReferral(ctx, other.ID, directory.Answer{Accept: true}, otherToken, store.Actor{At: planStart.Add(2 * time.Hour)}, base); !errors.Is(err, store.ErrLinkInvalid) {
			t.Errorf("answer a cancelled referral: err = %v, want ErrLinkInvalid", err)
		}
		if got := referral(t, s, other.ID); got.Status != directory.ReferralCancelled || got.AnsweredBy != 0 || !got.AnsweredAt.IsZero() {
			t.Errorf("cancelled referral = %+v", got)
		}
	})
}

func TestAnswerReferralByAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newReferralFixture(t, s)
		for _, tc := range []struct {
			name    string
			section person.Section
			ans     directory.Answer
		}{
			{"refusal", "", directory.Answer{Reason: "complet", Comment: "Reprise des entrées en janvier."}},
			{"acceptance", "", directory.Answer{Accept: true, Comment: "Rendez-vous le 12."}},
			{"refusal of a health referral", person.SectionHealth, directory.Answer{Reason: "conditions"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := f.person(t, s, "Jade", "")
				in := f.newReferral(p, f.youth, false)
				in.Objective.Section, in.Action.Section = tc.section, tc.section
				if err := s.CreateReferral(ctx, in, f.bySender(planStart)); err != nil {
					t.Fatal(err)
				}
				id := in.Referral.ID
				at := planStart.Add(26 * time.Hour)
				got, err := s.AnswerReferral(ctx, id, tc.ans, "", f.byML(f.mlPro, at), base)
				if err != nil {
					t.Fatal(err)
				}
				wantStatus, wantAction, wantReason := directory.ReferralRefused, person.ActionPlanned, tc.ans.Reason
				if tc.ans.Accept {
					wantStatus, wantAction, wantReason = directory.ReferralAccepted, person.ActionInProgress, ""
				}
				for _, r := range []directory.Referral{got, referral(t, s, id)} {
					if r.Status != wantStatus || r.RefusalReason != wantReason || r.Comment != tc.ans.Comment ||
						r.AnsweredBy != f.mlPro.ID || !r.AnsweredAt.Equal(at) {
						t.Errorf("referral = %+v, want %s (%q) by the Mission locale", r, wantStatus, wantReason)
					}
				}
				if st := actionStatus(t, s, in.Action.ID); st != wantAction {
					t.Errorf("action %s, want %s", st, wantAction)
				}
				es := events(t, s, p.ID)
				if es[0].Kind != person.EventReferralUpdated || es[0].Section != tc.section ||
					!tc.ans.Accept && !strings.Contains(es[0].Summary, directory.RefusalLabel(tc.ans.Reason)) {
					t.Errorf("timeline line %+v", es[0])
				}
				// The receiving structure acts on the referral, not on the
				// plan: its entries are filed under "referral", as its reads.
				if log := accessLog(t, s, p.ID); log[0].Action != "update" || log[0].Section != "referral" || log[0].AccountEmail != f.mlPro.Email {
					t.Errorf("audit entry %+v, want an update of the referral by the Mission locale", log[0])
				}
				event := string(wantStatus)
				if got, want := recipients(outbox(t, s, fmt.Sprintf("referral:%d:%s:", id, event))), []string{f.sender.Email, f.referent.Email}; !slices.Equal(got, want) {
					t.Errorf("answer told %q, want %q", got, want)
				}
				nEvents := len(es)
				if _, err := s.AnswerReferral(ctx, id, directory.Answer{Accept: !tc.ans.Accept, Reason: "autre", Comment: "Changement d'avis"}, "",
					f.byML(f.mlManager, at.Add(time.Hour)), base); !errors.Is(err, store.ErrConflict) {
					t.Errorf("second answer: err = %v, want ErrConflict", err)
				}
				if r := referral(t, s, id); r.Status != wantStatus || r.AnsweredBy != f.mlPro.ID {
					t.Errorf("after a second answer: %+v", r)
				}
				if n := len(events(t, s, p.ID)); n != nEvents {
					t.Errorf("a refused answer wrote %d timeline lines", n-nEvents)
				}
			})
		}
		if _, err := s.AnswerReferral(ctx, 999999, directory.Answer{Accept: true}, "", f.byML(f.mlPro, planStart), base); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown referral: err = %v, want ErrNotFound", err)
		}
	})
}

func TestRemindReferrals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newReferralFixture(t, s)
		garage := f.refer(t, s, f.person(t, s, "Jade", ""), f.repair, false, planStart)
		youth := f.refer(t, s, f.person(t, s, "Léo", ""), f.youth, false, planStart)
		answered := f.refer(t, s, f.person(t, s, "Mia", ""), f.youth, false, planStart)
		if _, err := s.AnswerReferral(ctx, answered.ID, directory.Answer{Accept: true}, "", f.byML(f.mlPro, planStart.Add(time.Hour)), base); err != nil {
			t.Fatal(err)
		}
		first := linkToken(t, s, garage, directory.EventSent)

		for _, tc := range []struct {
			name     string
			now      time.Time
			want     int
			messages int // reminders in the outbox after the call
		}{
			{"day 9", planStart.AddDate(0, 0, 9), 0, 0},
			{"day 10", planStart.AddDate(0, 0, 10), 2, 3}, // the garage's contact, the Mission locale's two accounts
			{"day 11", planStart.AddDate(0, 0, 11), 0, 3},
		} {
			t.Run(tc.name, func(t *testing.T) {
				n, err := s.RemindReferrals(ctx, tc.now, base)
				if err != nil || n != tc.want {
					t.Errorf("reminded %d, %v; want %d", n, err, tc.want)
				}
				var reminders int
				for _, it := range outbox(t, s, "referral:") {
					if strings.Contains(it.Key, ":reminder:") {
						reminders++
					}
				}
				if reminders != tc.messages {
					t.Errorf("%d reminders in the outbox, want %d", reminders, tc.messages)
				}
			})
		}
		day10 := planStart.AddDate(0, 0, 10)
		for _, r := range []directory.Referral{garage, youth} {
			if got := referral(t, s, r.ID); !got.RemindedAt.Equal(day10) || got.Status != directory.ReferralSent {
				t.Errorf("referral %d: %+v, want reminded at day 10, still open", r.ID, got)
			}
		}
		if got := referral(t, s, answered.ID); !got.RemindedAt.IsZero() {
			t.Errorf("an answered referral was reminded at %v", got.RemindedAt)
		}
		if got, want := recipients(outbox(t, s, fmt.Sprintf("referral:%d:reminder:", youth.ID))), []string{f.mlManager.Email, f.mlPro.Email}; !slices.Equal(got, want) {
			t.Errorf("reminder told %q, want %q", got, want)
		}
		fresh := linkToken(t, s, garage, directory.EventReminder)
		if fresh == first {
			t.Fatal("the reminder repeats the first link")
		}
		if _, err := s.ReferralByLink(ctx, garage.ID, first, day10.Add(time.Hour)); !errors.Is(err, store.ErrLinkInvalid) {
			t.Errorf("first link at day 10: err = %v, want ErrLinkInvalid", err)
		}
		if _, err := s.ReferralByLink(ctx, garage.ID, fresh, day10.Add(7*24*time.Hour)); err != nil {
			t.Errorf("reminder's link 7 days later: %v", err)
		}
		if _, err := s.AnswerReferral(ctx, garage.ID, directory.Answer{Reason: "complet"}, fresh, store.Actor{At: day10.Add(time.Hour)}, base); err != nil {
			t.Errorf("answer through the reminder's link: %v", err)
		}
	})
}

func TestExpireReferrals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newReferralFixture(t, s)
		type want struct {
			r      directory.Referral
			person string // the person's email when they are told, else ""
		}
		jade := f.person(t, s, "Jade", "jade@example.org")
		leo := f.person(t, s, "Léo", "leo@example.org")
		mia := f.person(t, s, "Mia", "")
		cases := []want{
			{f.refer(t, s, jade, f.repair, true, planStart), "jade@example.org"},
			{f.refer(t, s, leo, f.youth, false, planStart), ""},
			{f.refer(t, s, mia, f.repair, true, planStart), ""},
		}
		answered := f.refer(t, s, f.person(t, s, "Noé", "noe@example.org"), f.youth, true, planStart)
		if _, err := s.AnswerReferral(ctx, answered.ID, directory.Answer{Accept: true}, "", f.byML(f.mlPro, planStart.Add(time.Hour)), base); err != nil {
			t.Fatal(err)
		}
		day30 := planStart.AddDate(0, 0, 30)
		for _, tc := range []struct {
			now  time.Time
			want int
		}{
			{planStart.AddDate(0, 0, 29), 0},
			{day30, 3},
			{planStart.AddDate(0, 0, 31), 0},
		} {
			n, err := s.ExpireReferrals(ctx, tc.now, base)
			if err != nil || n != tc.want {
				t.Errorf("%v: expired %d, %v; want %d", tc.now, n, err, tc.want)
			}
		}
		if got := referral(t, s, answered.ID); got.Status != directory.ReferralAccepted {
			t.Errorf("an accepted referral is %s", got.Status)
		}
		for _, c := range cases {
			t.Run(c.r.PersonFirstName, func(t *testing.T) {
				got := referral(t, s, c.r.ID)
				if got.Status != directory.ReferralExpired || !got.ClosedAt.Equal(day30) {
					t.Errorf("referral = %+v, want expired at day 30", got)
				}
				es := events(t, s, c.r.PersonID)
				if es[0].Kind != person.EventReferralUpdated || !strings.Contains(es[0].Summary, "expirée") || !es[0].At.Equal(day30) {
					t.Errorf("timeline line %+v", es[0])
				}
				items := outbox(t, s, fmt.Sprintf("referral:%d:expired:", c.r.ID))
				want := []string{f.sender.Email, f.referent.Email}
				if c.person != "" {
					want = append(want, c.person)
				}
				slices.Sort(want)
				if got := recipients(items); !slices.Equal(got, want) {
					t.Errorf("expiry told %q, want %q", got, want)
				}
				for _, it := range items {
					if it.To != c.person {
						continue
					}
					if it.PersonID != c.r.PersonID {
						t.Errorf("the person's message is not filed under them: %+v", it)
					}
					for _, name := range []string{c.r.ServiceName, c.r.StructureName, "Garage", "Réparation"} {
						if strings.Contains(it.Subject+it.Body, name) {
							t.Errorf("the person's message names %q: %q", name, it.Body)
						}
					}
				}
			})
		}
		if _, err := s.AnswerReferral(ctx, cases[1].r.ID, directory.Answer{Accept: true}, "", f.byML(f.mlPro, day30.Add(time.Hour)), base); !errors.Is(err, store.ErrConflict) {
			t.Errorf("answer after expiry: err = %v, want ErrConflict", err)
		}
	})
}

func TestServiceDelays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newReferralFixture(t, s)
		for _, tc := range []struct {
			first string
			sv    directory.Service
			after time.Duration // 0: no answer
		}{
			{"Jade", f.youth, 48 * time.Hour},
			{"Léo", f.youth, 96 * time.Hour},
			{"Mia", f.youth, 0},
			{"Noé", f.repair, 24 * time.Hour},
		} {
			r := f.refer(t, s, f.person(t, s, tc.first, ""), tc.sv, false, planStart)
			if tc.after == 0 {
				continue
			}
			by, token := f.byML(f.mlPro, planStart.Add(tc.after)), ""
			if tc.sv.ID == f.repair.ID {
				by, token = store.Actor{At: planStart.Add(tc.after)}, linkToken(t, s, r, directory.EventSent)
			}
			if _, err := s.AnswerReferral(ctx, r.ID, directory.Answer{Accept: tc.first != "Léo", Reason: "complet"}, token, by, base); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.ServiceDelays(ctx, f.tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []struct {
			sv   directory.Service
			want directory.Delay
		}{
			{f.youth, directory.Delay{Days: 3, Answered: 2}},
			{f.repair, directory.Delay{Days: 1, Answered: 1}},
		} {
			if d := got[w.sv.ID]; d.Answered != w.want.Answered || math.Abs(d.Days-w.want.Days) > 1e-9 {
				t.Errorf("%s: %+v, want %+v", w.sv.Name, d, w.want)
			}
		}
		if len(got) != 2 {
			t.Errorf("delays = %+v, want two services", got)
		}
	})
}

// Two professionals of the receiving structure answer the same referral at
// the same moment: one answer is kept, the other is told it came too late.
func TestConcurrentAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newReferralFixture(t, s)
		for i := range 5 {
			r := f.refer(t, s, f.person(t, s, fmt.Sprintf("Jade%d", i), ""), f.youth, false, planStart)
			at := planStart.Add(24 * time.Hour)
			answers := []struct {
				by  account.Account
				ans directory.Answer
			}{
				{f.mlPro, directory.Answer{Accept: true}},
				{f.mlManager, directory.Answer{Reason: "complet"}},
			}
			errs := make([]error, len(answers))
			start := make(chan struct{})
			var wg sync.WaitGroup
			for j, a := range answers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, errs[j] = s.AnswerReferral(ctx, r.ID, a.ans, "", f.byML(a.by, at), base)
				}()
			}
			close(start)
			wg.Wait()
			var won []int
			for j, err := range errs {
				switch {
				case err == nil:
					won = append(won, j)
				case !errors.Is(err, store.ErrConflict):
					t.Errorf("round %d: answer %d: err = %v, want nil or ErrConflict", i, j, err)
				}
			}
			if len(won) != 1 {
				t.Fatalf("round %d: %d answers succeeded (%v), want exactly one", i, len(won), errs)
			}
			w := answers[won[0]]
			got := referral(t, s, r.ID)
			if got.AnsweredBy != w.by.ID || (got.Status == directory.ReferralAccepted) != w.ans.Accept {
				t.Errorf("round %d: referral %+v, want the answer of account %d", i, got, w.by.ID)
			}
			lost := directory.EventRefused
			if !w.ans.Accept {
				lost = directory.EventAccepted
			}
			if msgs := outbox(t, s, fmt.Sprintf("referral:%d:%s:", r.ID, lost)); len(msgs) != 0 {
				t.Errorf("round %d: the losing answer sent %d messages", i, len(msgs))
			}
		}
	})
}

// Two professionals refer the same person to the same service at the same
// moment: one referral is made, the other is told it already exists.
func TestConcurrentReferralsToSameService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newReferralFixture(t, s)
		for i := range 5 {
			p := f.person(t, s, fmt.Sprintf("Jade%d", i), "")
			errs := make([]error, 2)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for j := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					in := f.newReferral(p, f.youth, false)
					<-start
					errs[j] = s.CreateReferral(ctx, in, f.bySender(planStart))
				}()
			}
			close(start)
			wg.Wait()
			ok := 0
			for j, err := range errs {
				switch {
				case err == nil:
					ok++
				case !errors.Is(err, store.ErrConflict):
					t.Errorf("round %d: referral %d: err = %v, want nil or ErrConflict", i, j, err)
				}
			}
			rs, err := s.PersonReferrals(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if ok != 1 || len(rs) != 1 {
				t.Fatalf("round %d: %d referrals made (%v), %d stored; want exactly one", i, ok, errs, len(rs))
			}
			if plan, _ := s.Plan(ctx, p.ID); len(plan) != 1 {
				t.Errorf("round %d: %d objectives, want the referral's only", i, len(plan))
			}
		}
	})
}
