package appointment_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/appointment"
)

// The types of the slot tests: 30 and 45 minutes individual, a collective
// session of 2 hours for 12 people, and a type that left its capacity at 0.
var types = map[int64]appointment.Type{
	1: {ID: 1, TerritoryID: 90, Category: appointment.CategoryOrientation, Label: "Orientation", DurationMin: 30, Capacity: 1},
	2: {ID: 2, TerritoryID: 90, Category: appointment.CategoryAccompaniment, Label: "Suivi", DurationMin: 45, Capacity: 1},
	3: {ID: 3, TerritoryID: 90, Category: appointment.CategoryInformation, Label: "Information collective", DurationMin: 120, Capacity: 12},
	4: {ID: 4, TerritoryID: 90, Category: appointment.CategoryAccompaniment, Label: "Sans capacité", DurationMin: 60},
	5: {ID: 5, TerritoryID: 25, Category: appointment.CategoryOrientation, Label: "Doubs", DurationMin: 30, Capacity: 1},
	6: {ID: 6, TerritoryID: 90, Category: appointment.CategoryOrientation, Label: "Sans durée"},
}

// agenda returns an active agenda of the Territoire de Belfort with an
// address, a phone and a video place, and the rules and exceptions given.
func agenda(rules []appointment.Rule, exceptions ...appointment.Exception) appointment.Agenda {
	return appointment.Agenda{
		ID: 1, TerritoryID: 90, StructureID: 7, AccountID: 3, Name: "Agenda de Mme Martin", Active: true,
		Places: []appointment.Place{
			{ID: 10, AgendaID: 1, Kind: appointment.PlaceAddress, Label: "Accueil", Address: "2 rue de l'Étuve, 90000 Belfort"},
			{ID: 11, AgendaID: 1, Kind: appointment.PlacePhone, Label: "Par téléphone"},
			{ID: 12, AgendaID: 1, Kind: appointment.PlaceVideo, Label: "Visio", Details: "https://visio.example.fr/martin"},
		},
		Rules:      rules,
		Exceptions: exceptions,
	}
}

// rule returns a weekly rule at the address place.
func rule(wd time.Weekday, start, end int, typeID int64) appointment.Rule {
	return appointment.Rule{AgendaID: 1, TypeID: typeID, PlaceID: 10, Weekday: wd, Start: start, End: end}
}

// slotText writes a slot as the tests compare it: its start on the clocks
// of Paris with their offset, its type, place and seats.
func slotText(s appointment.Slot) string {
	return fmt.Sprintf("%s a%d t%d p%d %dmin %d/%d", s.StartsAt.In(paris).Format("2006-01-02 15:04 -07:00"),
		s.AgendaID, s.TypeID, s.PlaceID, s.DurationMin, s.Booked, s.Capacity)
}

func TestSlots(t *testing.T) {
	monday := at(2026, 12, 7, 0, 0)
	weekBefore := at(2026, 11, 30, 12, 0)
	partial := rule(time.Monday, hm(9, 0), hm(12, 0), 1)
	tests := []struct {
		name     string
		agenda   appointment.Agenda
		from, to time.Time
		now      time.Time
		want     []string
	}{
		{
			name:   "a Monday morning in 30-minute slots",
			agenda: agenda([]appointment.Rule{rule(time.Monday, hm(9, 0), hm(10, 30), 1)}),
			from:   monday, to: monday.AddDate(0, 0, 1), now: weekBefore,
			want: []string{
				"2026-12-07 09:00 +01:00 a1 t1 p10 30min 0/1",
				"2026-12-07 09:30 +01:00 a1 t1 p10 30min 0/1",
				"2026-12-07 10:00 +01:00 a1 t1 p10 30min 0/1",
			},
		},
		{
			name:   "45-minute slots that fit whole in the window",
			agenda: agenda([]appointment.Rule{rule(time.Monday, hm(9, 0), hm(11, 0), 2)}),
			from:   monday, to: monday.AddDate(0, 0, 1), now: weekBefore,
			want: []string{
				"2026-12-07 09:00 +01:00 a1 t2 p10 45min 0/1",
				"2026-12-07 09:45 +01:00 a1 t2 p10 45min 0/1",
			},
		},
		{
			name:   "spring change of clocks: 9:00 stays 9:00 on the last Sunday of March",
			agenda: agenda([]appointment.Rule{rule(time.Saturday, hm(9, 0), hm(9, 30), 1), rule(time.Sunday, hm(9, 0), hm(9, 30), 1)}),
			from:   at(2026, 3, 28, 0, 0), to: at(2026, 3, 30, 0, 0), now: at(2026, 3, 1, 12, 0),
			want: []string{
				"2026-03-28 09:00 +01:00 a1 t1 p10 30min 0/1",
				"2026-03-29 09:00 +02:00 a1 t1 p10 30min 0/1",
			},
		},
		{
			name:   "autumn change of clocks: 9:00 stays 9:00 on the last Sunday of October",
			agenda: agenda([]appointment.Rule{rule(time.Saturday, hm(9, 0), hm(9, 30), 1), rule(time.Sunday, hm(9, 0), hm(9, 30), 1)}),
			from:   at(2026, 10, 24, 0, 0), to: at(2026, 10, 26, 0, 0), now: at(2026, 10, 1, 12, 0),
			want: []string{
				"2026-10-24 09:00 +02:00 a1 t1 p10 30min 0/1",
				"2026-10-25 09:00 +01:00 a1 t1 p10 30min 0/1",
			},
		},
		{
			name:   "the hour the clocks skip in March has no slot",
			agenda: agenda([]appointment.Rule{rule(time.Sunday, hm(1, 30), hm(3, 30), 1)}),
			from:   at(2026, 3, 29, 0, 0), to: at(2026, 3, 30, 0, 0), now: at(2026, 3, 1, 12, 0),
			want: []string{
				"2026-03-29 01:30 +01:00 a1 t1 p10 30min 0/1",
				"2026-03-29 03:00 +02:00 a1 t1 p10 30min 0/1",
			},
		},
		{
			name: "dates of validity, both included",
			agenda: agenda([]appointment.Rule{{
				AgendaID: 1, TypeID: 1, PlaceID: 10, Weekday: time.Tuesday, Start: hm(14, 0), End: hm(14, 30),
				ValidFrom: date(2026, 12, 8), ValidUntil: date(2026, 12, 15),
			}}),
			from: at(2026, 12, 1, 0, 0), to: at(2026, 12, 23, 0, 0), now: weekBefore,
			want: []string{
				"2026-12-08 14:00 +01:00 a1 t1 p10 30min 0/1",
				"2026-12-15 14:00 +01:00 a1 t1 p10 30min 0/1",
			},
		},
		{
			name:   "a closure of the whole day",
			agenda: agenda([]appointment.Rule{rule(time.Monday, hm(9, 0), hm(9, 30), 1)}, appointment.Exception{Date: date(2026, 12, 7), Closed: true}),
			from:   monday, to: monday.AddDate(0, 0, 8), now: weekBefore,
			want: []string{"2026-12-14 09:00 +01:00 a1 t1 p10 30min 0/1"},
		},
		{
			name:   "a closure of part of the day removes the slots it overlaps",
			agenda: agenda([]appointment.Rule{partial}, appointment.Exception{Date: date(2026, 12, 7), Closed: true, Start: hm(10, 15), End: hm(11, 0)}),
			from:   monday, to: monday.AddDate(0, 0, 1), now: weekBefore,
			want: []string{
				"2026-12-07 09:00 +01:00 a1 t1 p10 30min 0/1",
				"2026-12-07 09:30 +01:00 a1 t1 p10 30min 0/1",
				"2026-12-07 11:00 +01:00 a1 t1 p10 30min 0/1",
				"2026-12-07 11:30 +01:00 a1 t1 p10 30min 0/1",
			},
		},
		{
			name:   "a closure of another date changes nothing",
			agenda: agenda([]appointment.Rule{rule(time.Monday, hm(9, 0), hm(9, 30), 1)}, appointment.Exception{Date: date(2026, 12, 8), Closed: true}),
			from:   monday, to: monday.AddDate(0, 0, 1), now: weekBefore,
			want: []string{"2026-12-07 09:00 +01:00 a1 t1 p10 30min 0/1"},
		},
		{
			name: "an extra opening of a collective session, with its type, place and seats",
			agenda: agenda(nil, appointment.Exception{
				Date: date(2026, 12, 9), Start: hm(14, 0), End: hm(16, 0), TypeID: 3, PlaceID: 11,
			}),
			from: monday, to: monday.AddDate(0, 0, 7), now: weekBefore,
			want: []string{"2026-12-09 14:00 +01:00 a1 t3 p11 120min 0/12"},
		},
		{
			name: "closed all day but open for a collective session in the afternoon",
			agenda: agenda([]appointment.Rule{rule(time.Monday, hm(9, 0), hm(10, 0), 1), rule(time.Monday, hm(14, 0), hm(15, 0), 1)},
				appointment.Exception{Date: date(2026, 12, 7), Closed: true},
				appointment.Exception{Date: date(2026, 12, 7), Start: hm(14, 0), End: hm(16, 0), TypeID: 3, PlaceID: 10}),
			from: monday, to: monday.AddDate(0, 0, 1), now: weekBefore,
			want: []string{"2026-12-07 14:00 +01:00 a1 t3 p10 120min 0/12"},
		},
		{
			name:   "no slot starts less than two hours from now",
			agenda: agenda([]appointment.Rule{partial}),
			from:   monday, to: monday.AddDate(0, 0, 1), now: at(2026, 12, 7, 8, 45),
			want: []string{
				"2026-12-07 11:00 +01:00 a1 t1 p10 30min 0/1",
				"2026-12-07 11:30 +01:00 a1 t1 p10 30min 0/1",
			},
		},
		{
			name:   "a slot exactly two hours from now is offered",
			agenda: agenda([]appointment.Rule{partial}),
			from:   monday, to: monday.AddDate(0, 0, 1), now: at(2026, 12, 7, 9, 30),
			want: []string{"2026-12-07 11:30 +01:00 a1 t1 p10 30min 0/1"},
		},
		{
			name:   "from and to: a slot starting at to is left out",
			agenda: agenda([]appointment.Rule{partial}),
			from:   at(2026, 12, 7, 9, 30), to: at(2026, 12, 7, 10, 30), now: weekBefore,
			want: []string{
				"2026-12-07 09:30 +01:00 a1 t1 p10 30min 0/1",
				"2026-12-07 10:00 +01:00 a1 t1 p10 30min 0/1",
			},
		},
		{
			name:   "a type without capacity takes one person",
			agenda: agenda([]appointment.Rule{rule(time.Monday, hm(9, 0), hm(10, 0), 4)}),
			from:   monday, to: monday.AddDate(0, 0, 1), now: weekBefore,
			want: []string{"2026-12-07 09:00 +01:00 a1 t4 p10 60min 0/1"},
		},
		{
			name: "sorted by start whatever the order of the rules",
			agenda: agenda([]appointment.Rule{
				rule(time.Tuesday, hm(9, 0), hm(9, 30), 1),
				rule(time.Monday, hm(14, 0), hm(14, 30), 1),
				rule(time.Monday, hm(9, 0), hm(9, 30), 1),
			}),
			from: monday, to: monday.AddDate(0, 0, 2), now: weekBefore,
			want: []string{
				"2026-12-07 09:00 +01:00 a1 t1 p10 30min 0/1",
				"2026-12-07 14:00 +01:00 a1 t1 p10 30min 0/1",
				"2026-12-08 09:00 +01:00 a1 t1 p10 30min 0/1",
			},
		},
		{
			name:   "a rule saved twice gives each slot once",
			agenda: agenda([]appointment.Rule{rule(time.Monday, hm(9, 0), hm(9, 30), 1), rule(time.Monday, hm(9, 0), hm(9, 30), 1)}),
			from:   monday, to: monday.AddDate(0, 0, 1), now: weekBefore,
			want: []string{"2026-12-07 09:00 +01:00 a1 t1 p10 30min 0/1"},
		},
		{
			name:   "an unknown type or a type without duration gives no slot",
			agenda: agenda([]appointment.Rule{rule(time.Monday, hm(9, 0), hm(10, 0), 99), rule(time.Monday, hm(10, 0), hm(11, 0), 6)}),
			from:   monday, to: monday.AddDate(0, 0, 1), now: weekBefore,
			want: nil,
		},
		{
			name: "an inactive agenda has no slot",
			agenda: func() appointment.Agenda {
				a := agenda([]appointment.Rule{partial})
				a.Active = false
				return a
			}(),
			from: monday, to: monday.AddDate(0, 0, 1), now: weekBefore,
			want: nil,
		},
		{
			name:   "to before from",
			agenda: agenda([]appointment.Rule{partial}),
			from:   monday.AddDate(0, 0, 1), to: monday, now: weekBefore,
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range appointment.Slots(tt.agenda, types, tt.from, tt.to, tt.now) {
				got = append(got, slotText(s))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Slots() =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestSlotsUTCOfTheClockChanges(t *testing.T) {
	// The same 9:00 is 7:00 UTC in summer time and 8:00 UTC in winter time.
	a := agenda([]appointment.Rule{rule(time.Sunday, hm(9, 0), hm(9, 30), 1)})
	tests := []struct {
		name string
		day  time.Time
		want time.Time
	}{
		{"last Sunday of March", at(2026, 3, 29, 0, 0), time.Date(2026, 3, 29, 7, 0, 0, 0, time.UTC)},
		{"last Sunday of October", at(2026, 10, 25, 0, 0), time.Date(2026, 10, 25, 8, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := appointment.Slots(a, types, tt.day, tt.day.AddDate(0, 0, 1), tt.day.AddDate(0, 0, -7))
			if len(got) != 1 || !got[0].StartsAt.Equal(tt.want) {
				t.Fatalf("Slots() = %v, want one slot at %v", got, tt.want)
			}
		})
	}
}

func TestSortSlots(t *testing.T) {
	nine, ten := at(2026, 12, 7, 9, 0), at(2026, 12, 7, 10, 0)
	got := []appointment.Slot{
		{AgendaID: 2, TypeID: 1, StartsAt: ten},
		{AgendaID: 2, TypeID: 1, StartsAt: nine},
		{AgendaID: 1, TypeID: 2, StartsAt: nine},
		{AgendaID: 1, TypeID: 1, StartsAt: ten},
	}
	appointment.SortSlots(got)
	want := []appointment.Slot{
		{AgendaID: 1, TypeID: 2, StartsAt: nine},
		{AgendaID: 2, TypeID: 1, StartsAt: nine},
		{AgendaID: 1, TypeID: 1, StartsAt: ten},
		{AgendaID: 2, TypeID: 1, StartsAt: ten},
	}
	if !slices.Equal(got, want) {
		t.Errorf("SortSlots() = %v, want %v", got, want)
	}
}

func TestSlotFree(t *testing.T) {
	tests := []struct {
		capacity, booked, want int
	}{{12, 5, 7}, {1, 1, 0}, {1, 2, 0}}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d of %d", tt.booked, tt.capacity), func(t *testing.T) {
			if got := (appointment.Slot{Capacity: tt.capacity, Booked: tt.booked}).Free(); got != tt.want {
				t.Errorf("Free() = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestValidateAgenda(t *testing.T) {
	mon := func(start, end int) appointment.Rule { return rule(time.Monday, start, end, 1) }
	opening := func(d time.Time, start, end int) appointment.Exception {
		return appointment.Exception{Date: d, Start: start, End: end, TypeID: 1, PlaceID: 10}
	}
	tests := []struct {
		name   string
		change func(a *appointment.Agenda)
		want   []string
	}{
		{"a valid agenda", func(a *appointment.Agenda) {}, nil},
		{"no name", func(a *appointment.Agenda) { a.Name = "  " }, []string{"name"}},
		{"a name too long", func(a *appointment.Agenda) { a.Name = strings.Repeat("é", 201) }, []string{"name"}},
		{"an address place without address or commune", func(a *appointment.Agenda) { a.Places[0].Address = "" }, []string{"places[0].address"}},
		{"an address place with only a commune", func(a *appointment.Agenda) {
			a.Places[0].Address, a.Places[0].CommuneINSEE = "", "90010"
		}, nil},
		{"a Corsican commune", func(a *appointment.Agenda) { a.Places[0].CommuneINSEE = "2A004" }, nil},
		{"a malformed INSEE code", func(a *appointment.Agenda) { a.Places[0].CommuneINSEE = "9001" }, []string{"places[0].commune_insee"}},
		{"a video place with an http link", func(a *appointment.Agenda) { a.Places[2].Details = "http://visio.example.fr/martin" }, []string{"places[2].details"}},
		{"a video place without link", func(a *appointment.Agenda) { a.Places[2].Details = "" }, []string{"places[2].details"}},
		{"a place of an unknown kind", func(a *appointment.Agenda) { a.Places[1].Kind = "home" }, []string{"places[1].kind"}},
		{"a rule ending before it starts", func(a *appointment.Agenda) { a.Rules[1] = mon(hm(15, 0), hm(14, 0)) }, []string{"rules[1].end"}},
		{"a rule beyond midnight", func(a *appointment.Agenda) { a.Rules[1] = mon(hm(23, 0), hm(24, 30)) }, []string{"rules[1].end"}},
		{"a rule until midnight", func(a *appointment.Agenda) { a.Rules[1] = mon(hm(23, 0), hm(24, 0)) }, nil},
		{"a negative start", func(a *appointment.Agenda) { a.Rules[1] = mon(-30, hm(1, 0)) }, []string{"rules[1].start"}},
		{"a weekday that is none", func(a *appointment.Agenda) { a.Rules[1].Weekday = 7 }, []string{"rules[1].weekday"}},
		{"a rule without type", func(a *appointment.Agenda) { a.Rules[1].TypeID = 0 }, []string{"rules[1].type_id"}},
		{"a rule of an unknown type", func(a *appointment.Agenda) { a.Rules[1].TypeID = 99 }, []string{"rules[1].type_id"}},
		{"a rule of another territory's type", func(a *appointment.Agenda) { a.Rules[1].TypeID = 5 }, []string{"rules[1].type_id"}},
		{"a rule of a type without duration", func(a *appointment.Agenda) { a.Rules[1].TypeID = 6 }, []string{"rules[1].type_id"}},
		{"a rule at a place of another agenda", func(a *appointment.Agenda) { a.Rules[1].PlaceID = 99 }, []string{"rules[1].place_id"}},
		{"a rule without place", func(a *appointment.Agenda) { a.Rules[1].PlaceID = 0 }, []string{"rules[1].place_id"}},
		{"a window shorter than one appointment", func(a *appointment.Agenda) {
			a.Rules[1] = rule(time.Tuesday, hm(9, 0), hm(9, 30), 2)
		}, []string{"rules[1].end"}},
		{"a window of exactly one appointment", func(a *appointment.Agenda) {
			a.Rules[1] = rule(time.Tuesday, hm(9, 0), hm(9, 45), 2)
		}, nil},
		{"two rules overlapping on Monday", func(a *appointment.Agenda) { a.Rules[1] = mon(hm(11, 30), hm(13, 0)) }, []string{"rules[1].start"}},
		{"two rules overlapping at another place too", func(a *appointment.Agenda) {
			a.Rules[1] = mon(hm(11, 30), hm(13, 0))
			a.Rules[1].PlaceID = 11
		}, []string{"rules[1].start"}},
		{"two rules that only touch", func(a *appointment.Agenda) { a.Rules[1] = mon(hm(12, 0), hm(13, 0)) }, nil},
		{"the same hours on another weekday", func(a *appointment.Agenda) { a.Rules[1] = rule(time.Tuesday, hm(9, 0), hm(12, 0), 1) }, nil},
		{"the same hours in periods that do not meet", func(a *appointment.Agenda) {
			a.Rules[0].ValidUntil = date(2026, 12, 31)
			a.Rules[1] = mon(hm(9, 0), hm(12, 0))
			a.Rules[1].ValidFrom = date(2027, 1, 1)
		}, nil},
		{"the same hours in periods sharing a day", func(a *appointment.Agenda) {
			a.Rules[0].ValidUntil = date(2027, 1, 4)
			a.Rules[1] = mon(hm(9, 0), hm(12, 0))
			a.Rules[1].ValidFrom = date(2027, 1, 4)
		}, []string{"rules[1].start"}},
		{"valid until before valid from", func(a *appointment.Agenda) {
			a.Rules[1].ValidFrom, a.Rules[1].ValidUntil = date(2027, 1, 4), date(2027, 1, 3)
		}, []string{"rules[1].valid_until"}},
		{"valid for one day", func(a *appointment.Agenda) {
			a.Rules[1].ValidFrom, a.Rules[1].ValidUntil = date(2027, 1, 4), date(2027, 1, 4)
		}, nil},
		{"an exception without date", func(a *appointment.Agenda) {
			a.Exceptions = []appointment.Exception{{Closed: true}}
		}, []string{"exceptions[0].date"}},
		{"a closure ending before it starts", func(a *appointment.Agenda) {
			a.Exceptions = []appointment.Exception{{Date: date(2026, 12, 7), Closed: true, Start: hm(12, 0), End: hm(10, 0)}}
		}, []string{"exceptions[0].end"}},
		{"an opening without type or place", func(a *appointment.Agenda) {
			a.Exceptions = []appointment.Exception{{Date: date(2026, 12, 9), Start: hm(9, 0), End: hm(10, 0)}}
		}, []string{"exceptions[0].type_id", "exceptions[0].place_id"}},
		{"an opening without hours", func(a *appointment.Agenda) {
			a.Exceptions = []appointment.Exception{opening(date(2026, 12, 9), 0, 0)}
		}, []string{"exceptions[0].end"}},
		{"an opening on a Wednesday", func(a *appointment.Agenda) {
			a.Exceptions = []appointment.Exception{opening(date(2026, 12, 9), hm(9, 0), hm(10, 0))}
		}, nil},
		{"an opening over the Monday hours", func(a *appointment.Agenda) {
			a.Exceptions = []appointment.Exception{opening(date(2026, 12, 7), hm(11, 0), hm(13, 0))}
		}, []string{"exceptions[0].start"}},
		{"an opening over Monday hours that a closure frees", func(a *appointment.Agenda) {
			a.Exceptions = []appointment.Exception{
				opening(date(2026, 12, 7), hm(11, 0), hm(13, 0)),
				{Date: date(2026, 12, 7), Closed: true, Start: hm(10, 30), End: hm(12, 0)},
			}
		}, nil},
		{"an opening over Monday hours that a closure frees only in part", func(a *appointment.Agenda) {
			a.Exceptions = []appointment.Exception{
				opening(date(2026, 12, 7), hm(10, 0), hm(13, 0)),
				{Date: date(2026, 12, 7), Closed: true, Start: hm(10, 30), End: hm(12, 0)},
			}
		}, []string{"exceptions[0].start"}},
		{"two openings overlapping", func(a *appointment.Agenda) {
			a.Exceptions = []appointment.Exception{
				opening(date(2026, 12, 9), hm(9, 0), hm(10, 0)),
				opening(date(2026, 12, 9), hm(9, 30), hm(11, 0)),
			}
		}, []string{"exceptions[1].start"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := agenda([]appointment.Rule{mon(hm(9, 0), hm(12, 0)), rule(time.Thursday, hm(14, 0), hm(17, 0), 2)})
			tt.change(&a)
			checkFields(t, appointment.ValidateAgenda(a, types), tt.want...)
		})
	}
}
