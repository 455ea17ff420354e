package orientation_test

import (
	"testing"
	"time"
	_ "time/tzdata" // the DST cases need the real Europe/Paris, even on a machine without a tz database

	"github.com/spie-parcours/parcours/internal/orientation"
	"github.com/spie-parcours/parcours/internal/problem"
)

// paris is the real Europe/Paris zone, for instants written as a clock
// shows them.
var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err) // time/tzdata is embedded
	}
	return loc
}()

// date returns a date as the store holds it: UTC midnight.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// at returns an instant as a clock in Paris shows it.
func at(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, paris) }

// utc returns an instant as a clock in UTC shows it.
func utc(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, time.UTC)
}

// checkDate fails unless got is want, both UTC midnight.
func checkDate(t *testing.T, name string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
}

func TestDefaultRules(t *testing.T) {
	got := orientation.DefaultRules()
	want := orientation.Rules{DecisionDays: 42, ContractMonths: 1, AppointmentDays: 30, AppointmentTargetDays: 15}
	if got != want {
		t.Fatalf("DefaultRules() = %+v, want %+v", got, want)
	}
	checkFields(t, got.Validate())
}

func TestRulesValidate(t *testing.T) {
	tests := []struct {
		name  string
		rules orientation.Rules
		want  []string
	}{
		{"defaults", orientation.DefaultRules(), nil},
		{"a territory's own delays", orientation.Rules{DecisionDays: 30, ContractMonths: 2, AppointmentDays: 15, AppointmentTargetDays: 15}, nil},
		{"all zero", orientation.Rules{}, []string{"decision_days", "contract_months", "appointment_days", "appointment_target_days"}},
		{"negative", orientation.Rules{DecisionDays: -1, ContractMonths: 1, AppointmentDays: 30, AppointmentTargetDays: 15}, []string{"decision_days"}},
		{"over a year", orientation.Rules{DecisionDays: 366, ContractMonths: 13, AppointmentDays: 400, AppointmentTargetDays: 15}, []string{"decision_days", "contract_months", "appointment_days"}},
		{"target longer than the delay", orientation.Rules{DecisionDays: 42, ContractMonths: 1, AppointmentDays: 15, AppointmentTargetDays: 30}, []string{"appointment_target_days"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFields(t, tt.rules.Validate(), tt.want...)
		})
	}
}

func TestDecisionDue(t *testing.T) {
	tests := []struct {
		name        string
		requestedAt time.Time
		rsaOpenedOn time.Time
		want        time.Time
	}{
		{"six weeks", at(2026, 11, 3, 10, 0), time.Time{}, date(2026, 12, 15)},
		{"across the new year", at(2026, 12, 15, 9, 0), time.Time{}, date(2027, 1, 26)},
		{"spring DST, requested late in the evening", at(2026, 3, 20, 23, 30), time.Time{}, date(2026, 5, 1)},
		{"autumn DST, requested just after midnight", at(2026, 9, 20, 0, 30), time.Time{}, date(2026, 11, 1)},
		{"UTC evening is the next day in Paris", utc(2026, 3, 28, 23, 30), time.Time{}, date(2026, 5, 10)},
		{"UTC evening in summer", utc(2026, 7, 9, 22, 30), time.Time{}, date(2026, 8, 21)},
		{"February of a common year", at(2027, 2, 1, 10, 0), time.Time{}, date(2027, 3, 15)},
		{"February of a leap year", at(2028, 2, 1, 10, 0), time.Time{}, date(2028, 3, 14)},
		{"RSA opened before the request", at(2026, 3, 10, 9, 0), date(2026, 2, 20), date(2026, 4, 3)},
		{"RSA opening date given as Paris midnight", at(2026, 3, 10, 9, 0), time.Date(2026, 2, 20, 0, 0, 0, 0, paris), date(2026, 4, 3)},
		{"RSA opened after the request", at(2026, 3, 10, 9, 0), date(2026, 3, 15), date(2026, 4, 21)},
		{"RSA opened the day of the request", at(2026, 3, 10, 9, 0), date(2026, 3, 10), date(2026, 4, 21)},
		{"RSA opened on 29 February", at(2028, 3, 20, 9, 0), date(2028, 2, 29), date(2028, 4, 11)},
	}
	rules := orientation.DefaultRules()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDate(t, "DecisionDue", rules.DecisionDue(tt.requestedAt, tt.rsaOpenedOn), tt.want)
		})
	}
}

func TestDecisionDueTerritoryRules(t *testing.T) {
	rules := orientation.Rules{DecisionDays: 30, ContractMonths: 1, AppointmentDays: 30, AppointmentTargetDays: 15}
	checkDate(t, "30 days", rules.DecisionDue(at(2026, 11, 3, 10, 0), time.Time{}), date(2026, 12, 3))
	checkDate(t, "zero rules use the defaults", orientation.Rules{}.DecisionDue(at(2026, 11, 3, 10, 0), time.Time{}), date(2026, 12, 15))
}

// pending returns a request waiting for a decision.
func pending() orientation.Request {
	return orientation.Request{
		ID: 7, PersonID: 12, TerritoryID: 1, SuggestedType: orientation.TypePro,
		Reason: "Recherche d'un emploi de cariste.", Source: orientation.SourceProfessional,
		RequestedBy: 3, RequestedStructure: 2, RequestedAt: at(2026, 10, 1, 9, 0),
		DueOn: date(2026, 11, 12), Status: orientation.StatusPending,
	}
}

// accepted is a complete acceptance.
var accepted = orientation.Decision{
	Outcome: orientation.StatusAccepted, Type: orientation.TypeSocioPro, StructureID: 5,
	Dispositif: "  Accompagnement global ", ReferentID: 9,
}

func TestAccept(t *testing.T) {
	tests := []struct {
		name                      string
		rules                     orientation.Rules
		at                        time.Time
		contract, appoint, target time.Time
	}{
		{"ordinary day", orientation.DefaultRules(), at(2026, 11, 3, 14, 0), date(2026, 12, 3), date(2026, 12, 3), date(2026, 11, 18)},
		{"31 January, common year", orientation.DefaultRules(), at(2027, 1, 31, 10, 0), date(2027, 2, 28), date(2027, 3, 2), date(2027, 2, 15)},
		{"31 January, leap year", orientation.DefaultRules(), at(2028, 1, 31, 10, 0), date(2028, 2, 29), date(2028, 3, 1), date(2028, 2, 15)},
		{"30 January, leap year", orientation.DefaultRules(), at(2028, 1, 30, 10, 0), date(2028, 2, 29), date(2028, 2, 29), date(2028, 2, 14)},
		{"31 March", orientation.DefaultRules(), at(2026, 3, 31, 10, 0), date(2026, 4, 30), date(2026, 4, 30), date(2026, 4, 15)},
		{"31 December", orientation.DefaultRules(), at(2026, 12, 31, 16, 0), date(2027, 1, 31), date(2027, 1, 30), date(2027, 1, 15)},
		{"night of the spring DST, 00:30 in Paris", orientation.DefaultRules(), utc(2026, 3, 28, 23, 30), date(2026, 4, 29), date(2026, 4, 28), date(2026, 4, 13)},
		{"night of the autumn DST, 00:30 in Paris", orientation.DefaultRules(), utc(2026, 10, 24, 22, 30), date(2026, 11, 25), date(2026, 11, 24), date(2026, 11, 9)},
		{"23:30 in Paris, late evening", orientation.DefaultRules(), at(2026, 6, 30, 23, 30), date(2026, 7, 30), date(2026, 7, 30), date(2026, 7, 15)},
		{"territory rules, 29 February + 12 months", orientation.Rules{DecisionDays: 30, ContractMonths: 12, AppointmentDays: 20, AppointmentTargetDays: 10},
			at(2028, 2, 29, 10, 0), date(2029, 2, 28), date(2028, 3, 20), date(2028, 3, 10)},
		{"zero rules use the defaults", orientation.Rules{}, at(2026, 11, 3, 14, 0), date(2026, 12, 3), date(2026, 12, 3), date(2026, 11, 18)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := pending()
			if err := tt.rules.Accept(&req, accepted, 4, tt.at); err != nil {
				t.Fatalf("Accept: %v", err)
			}
			checkDate(t, "ContractDueOn", req.ContractDueOn, tt.contract)
			checkDate(t, "AppointmentDueOn", req.AppointmentDueOn, tt.appoint)
			checkDate(t, "AppointmentTargetOn", req.AppointmentTargetOn, tt.target)
		})
	}
}

func TestAcceptRecordsTheDecision(t *testing.T) {
	req := pending()
	when := at(2026, 11, 3, 14, 0)
	if err := orientation.DefaultRules().Accept(&req, accepted, 4, when); err != nil {
		t.Fatalf("Accept: %v", err)
	}
	if req.Status != orientation.StatusAccepted || !req.DecidedAt.Equal(when) || req.DecidedBy != 4 {
		t.Errorf("status, decided at, by = %q, %v, %d; want accepted, %v, 4", req.Status, req.DecidedAt, req.DecidedBy, when)
	}
	if req.Type != orientation.TypeSocioPro || req.StructureID != 5 || req.ReferentID != 9 {
		t.Errorf("type, structure, referent = %q, %d, %d; want sociopro, 5, 9", req.Type, req.StructureID, req.ReferentID)
	}
	if req.Dispositif != "Accompagnement global" {
		t.Errorf("Dispositif = %q, want it trimmed", req.Dispositif)
	}
	if req.Reason != "Recherche d'un emploi de cariste." || req.SuggestedType != orientation.TypePro || !req.DueOn.Equal(date(2026, 11, 12)) {
		t.Errorf("the request itself changed: %+v", req)
	}
}

func TestRefuse(t *testing.T) {
	req := pending()
	when := at(2026, 11, 3, 14, 0)
	d := orientation.Decision{Outcome: orientation.StatusRefused, Reason: "  La personne a déménagé dans le Doubs.\n"}
	if err := orientation.DefaultRules().Refuse(&req, d, 4, when); err != nil {
		t.Fatalf("Refuse: %v", err)
	}
	if req.Status != orientation.StatusRefused || !req.DecidedAt.Equal(when) || req.DecidedBy != 4 {
		t.Errorf("status, decided at, by = %q, %v, %d; want refused, %v, 4", req.Status, req.DecidedAt, req.DecidedBy, when)
	}
	if req.RefusalReason != "La personne a déménagé dans le Doubs." {
		t.Errorf("RefusalReason = %q", req.RefusalReason)
	}
	if req.Type != "" || req.StructureID != 0 || !req.ContractDueOn.IsZero() || !req.AppointmentDueOn.IsZero() {
		t.Errorf("a refusal set an orientation: %+v", req)
	}
}

func TestDecideIncomplete(t *testing.T) {
	tests := []struct {
		name   string
		decide func(orientation.Rules, *orientation.Request, orientation.Decision) error
		d      orientation.Decision
		want   []string
	}{
		{"accept without type nor structure", accept, orientation.Decision{Outcome: orientation.StatusAccepted}, []string{"type", "structure_id"}},
		{"accept with an empty outcome reads as accept", accept, orientation.Decision{}, []string{"type", "structure_id"}},
		{"accept with an unknown type", accept, orientation.Decision{Type: "autre", StructureID: 5}, []string{"type"}},
		{"accept called with a refusal", accept, orientation.Decision{Outcome: orientation.StatusRefused, Reason: "Hors département."}, []string{"outcome"}},
		{"refuse without a reason", refuse, orientation.Decision{Outcome: orientation.StatusRefused}, []string{"reason"}},
		{"refuse with four letters", refuse, orientation.Decision{Reason: " non "}, []string{"reason"}},
		{"refuse called with an acceptance", refuse, accepted, []string{"outcome"}},
		{"decide without outcome", decide, orientation.Decision{Type: orientation.TypePro, StructureID: 5}, []string{"outcome"}},
		{"decide a pending outcome", decide, orientation.Decision{Outcome: orientation.StatusPending}, []string{"outcome"}},
		{"decide a refusal without reason", decide, orientation.Decision{Outcome: orientation.StatusRefused}, []string{"reason"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := pending()
			before := req
			err := tt.decide(orientation.DefaultRules(), &req, tt.d)
			e, ok := problem.As(err)
			if !ok || e.Kind != problem.Invalid {
				t.Fatalf("error = %v, want an Invalid problem", err)
			}
			checkFields(t, e.Fields, tt.want...)
			if req != before {
				t.Errorf("request changed by a refused decision: %+v", req)
			}
		})
	}
}

func accept(r orientation.Rules, req *orientation.Request, d orientation.Decision) error {
	return r.Accept(req, d, 4, at(2026, 11, 3, 14, 0))
}

func refuse(r orientation.Rules, req *orientation.Request, d orientation.Decision) error {
	return r.Refuse(req, d, 4, at(2026, 11, 3, 14, 0))
}

func decide(r orientation.Rules, req *orientation.Request, d orientation.Decision) error {
	return r.Decide(req, d, 4, at(2026, 11, 3, 14, 0))
}

func TestDecideTwice(t *testing.T) {
	refusal := orientation.Decision{Outcome: orientation.StatusRefused, Reason: "Hors département."}
	tests := []struct {
		name          string
		first, second func(orientation.Rules, *orientation.Request, orientation.Decision) error
		d1, d2        orientation.Decision
	}{
		{"accept then accept", accept, accept, accepted, accepted},
		{"accept then refuse", accept, refuse, accepted, refusal},
		{"refuse then accept", refuse, accept, refusal, accepted},
		{"refuse then decide", refuse, decide, refusal, refusal},
		{"accept then an incomplete decision", accept, decide, accepted, orientation.Decision{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := pending()
			if err := tt.first(orientation.DefaultRules(), &req, tt.d1); err != nil {
				t.Fatalf("first decision: %v", err)
			}
			decided := req
			err := tt.second(orientation.DefaultRules(), &req, tt.d2)
			if problem.KindOf(err) != problem.Conflict {
				t.Fatalf("second decision: error = %v, want a Conflict", err)
			}
			if req != decided {
				t.Errorf("second decision changed the request: %+v", req)
			}
		})
	}
}

func TestDecideNilRequest(t *testing.T) {
	err := orientation.DefaultRules().Accept(nil, accepted, 4, at(2026, 11, 3, 14, 0))
	if err == nil || problem.KindOf(err) != problem.Internal {
		t.Fatalf("Accept(nil) = %v, want an internal error", err)
	}
}

func TestOverdue(t *testing.T) {
	due := date(2026, 11, 12)
	tests := []struct {
		name     string
		status   orientation.Status
		dueOn    time.Time
		today    time.Time
		overdue  bool
		daysLeft int
	}{
		{"six weeks ahead", orientation.StatusPending, date(2026, 12, 15), at(2026, 11, 3, 9, 0), false, 42},
		{"day before", orientation.StatusPending, due, at(2026, 11, 11, 23, 30), false, 1},
		{"due date, first minute", orientation.StatusPending, due, at(2026, 11, 12, 0, 0), false, 0},
		{"due date at 23:30 Paris time", orientation.StatusPending, due, at(2026, 11, 12, 23, 30), false, 0},
		{"day after, just past midnight in Paris (still the due date in UTC)", orientation.StatusPending, due, at(2026, 11, 13, 0, 30), true, -1},
		{"day after at 23:30 Paris time", orientation.StatusPending, due, at(2026, 11, 13, 23, 30), true, -1},
		{"summer: due date at 23:30 Paris time", orientation.StatusPending, date(2026, 7, 10), at(2026, 7, 10, 23, 30), false, 0},
		{"summer: day after at 01:30 Paris time (23:30 UTC the day before)", orientation.StatusPending, date(2026, 7, 10), at(2026, 7, 11, 1, 30), true, -1},
		{"summer: day after at 23:30 Paris time", orientation.StatusPending, date(2026, 7, 10), at(2026, 7, 11, 23, 30), true, -1},
		{"across the spring DST", orientation.StatusPending, date(2026, 5, 1), at(2026, 3, 20, 23, 30), false, 42},
		{"a month late", orientation.StatusPending, due, at(2026, 12, 12, 10, 0), true, -30},
		{"accepted late is not overdue", orientation.StatusAccepted, due, at(2026, 12, 12, 10, 0), false, -30},
		{"refused late is not overdue", orientation.StatusRefused, due, at(2026, 12, 12, 10, 0), false, -30},
		{"no due date", orientation.StatusPending, time.Time{}, at(2026, 12, 12, 10, 0), false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := pending()
			req.Status, req.DueOn = tt.status, tt.dueOn
			if got := orientation.Overdue(req, tt.today); got != tt.overdue {
				t.Errorf("Overdue = %v, want %v", got, tt.overdue)
			}
			if got := orientation.DaysLeft(req, tt.today); got != tt.daysLeft {
				t.Errorf("DaysLeft = %d, want %d", got, tt.daysLeft)
			}
		})
	}
}

func TestAge(t *testing.T) {
	requested := at(2026, 10, 1, 9, 0)
	tests := []struct {
		name      string
		status    orientation.Status
		decidedAt time.Time
		now       time.Time
		want      time.Duration
	}{
		{"pending", orientation.StatusPending, time.Time{}, at(2026, 10, 3, 10, 30), 49*time.Hour + 30*time.Minute},
		{"pending across the autumn DST counts real hours", orientation.StatusPending, time.Time{}, at(2026, 10, 26, 9, 0), 25*24*time.Hour + time.Hour},
		{"accepted stops at the decision", orientation.StatusAccepted, at(2026, 10, 2, 9, 0), at(2026, 12, 1, 9, 0), 24 * time.Hour},
		{"refused stops at the decision", orientation.StatusRefused, at(2026, 10, 1, 11, 0), at(2026, 12, 1, 9, 0), 2 * time.Hour},
		{"clock before the request", orientation.StatusPending, time.Time{}, at(2026, 9, 30, 9, 0), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := pending()
			req.RequestedAt, req.Status, req.DecidedAt = requested, tt.status, tt.decidedAt
			if got := orientation.Age(req, tt.now); got != tt.want {
				t.Errorf("Age = %v, want %v", got, tt.want)
			}
		})
	}
}
