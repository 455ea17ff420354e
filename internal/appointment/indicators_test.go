package appointment_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/appointment"
)

// indicatorsText writes the indicators of a month as the tests compare
// them, shares and medians to four decimals.
func indicatorsText(i appointment.Indicators) string {
	return fmt.Sprintf("%s oriented=%d seen=%d median=%.4f u15=%.4f u30=%.4f noshow=%.4f invited=%d self=%.4f answer=%.4f",
		i.Month.In(paris).Format("2006-01-02 15:04 -07:00"), i.Oriented, i.FirstSeen, i.MedianDaysToFirstSeen,
		i.Under15, i.Under30, i.NoShowRate, i.Invited, i.SelfBooked, i.MedianDaysInvitationToAppointment)
}

func TestCompute(t *testing.T) {
	jan, feb, mar, apr := at(2026, 1, 1, 0, 0), at(2026, 2, 1, 0, 0), at(2026, 3, 1, 0, 0), at(2026, 4, 1, 0, 0)
	// month returns the indicators of a month, zero unless changed.
	month := func(m time.Time, change func(*appointment.Indicators)) appointment.Indicators {
		i := appointment.Indicators{Month: m}
		if change != nil {
			change(&i)
		}
		return i
	}
	oriented := func(id, person int64, decided time.Time) appointment.OrientationRef {
		return appointment.OrientationRef{ID: id, PersonID: person, DecidedAt: decided}
	}
	seen := func(person int64, starts time.Time) appointment.Appointment {
		return appointment.Appointment{PersonID: person, StartsAt: starts, CreatedAt: starts.AddDate(0, 0, -5), Status: appointment.StatusSeen}
	}
	status := func(starts time.Time, s appointment.Status) appointment.Appointment {
		return appointment.Appointment{PersonID: 1, StartsAt: starts, Status: s}
	}
	invited := func(person int64, created time.Time) appointment.Invitation {
		return appointment.Invitation{PersonID: person, CreatedAt: created}
	}
	booked := func(id, person int64, created time.Time, origin appointment.Origin) appointment.Appointment {
		return appointment.Appointment{ID: id, PersonID: person, CreatedAt: created, StartsAt: created.AddDate(0, 0, 7), Origin: origin}
	}
	tests := []struct {
		name         string
		orientations []appointment.OrientationRef
		invs         []appointment.Invitation
		apps         []appointment.Appointment
		from, to     time.Time
		want         []appointment.Indicators
	}{
		{
			name: "no data: one row of zeros per month",
			from: jan, to: apr,
			want: []appointment.Indicators{month(jan, nil), month(feb, nil), month(mar, nil)},
		},
		{
			name: "to not after from",
			from: feb, to: feb,
			want: nil,
		},
		{
			name: "a range inside months touches each of them",
			from: at(2026, 1, 15, 12, 0), to: at(2026, 2, 10, 0, 0),
			want: []appointment.Indicators{month(jan, nil), month(feb, nil)},
		},
		{
			name: "odd median; seen after 16 days is within 30 days, not 15; the shares divide by all the people oriented",
			orientations: []appointment.OrientationRef{
				oriented(1, 1, at(2026, 1, 5, 10, 0)),  // seen after 7 days
				oriented(2, 2, at(2026, 1, 10, 10, 0)), // seen after 16 days
				oriented(3, 3, at(2026, 1, 20, 10, 0)), // seen after 40 days
				oriented(4, 4, at(2026, 1, 25, 10, 0)), // not seen yet
			},
			apps: []appointment.Appointment{
				seen(1, at(2026, 1, 12, 9, 0)),
				seen(2, at(2026, 1, 26, 14, 0)),
				seen(3, at(2026, 3, 1, 9, 0)),
			},
			from: jan, to: mar,
			want: []appointment.Indicators{
				month(jan, func(i *appointment.Indicators) {
					i.Oriented, i.FirstSeen, i.MedianDaysToFirstSeen = 4, 3, 16
					i.Under15, i.Under30 = 0.25, 0.5
					i.NoShowRate = 0 // three seen appointments, none absent: 0 of 2 in January
				}),
				month(feb, nil),
			},
		},
		{
			name: "even median; seen on the 15th day is within 15 days",
			orientations: []appointment.OrientationRef{
				oriented(1, 1, at(2026, 2, 2, 16, 0)),
				oriented(2, 2, at(2026, 2, 3, 9, 0)),
			},
			apps: []appointment.Appointment{seen(1, at(2026, 2, 12, 9, 0)), seen(2, at(2026, 2, 18, 17, 0))},
			from: feb, to: mar,
			want: []appointment.Indicators{month(feb, func(i *appointment.Indicators) {
				i.Oriented, i.FirstSeen, i.MedianDaysToFirstSeen = 2, 2, 12.5
				i.Under15, i.Under30 = 1, 1
			})},
		},
		{
			name:         "the first seen appointment after the decision, not one before it, missed, or of another orientation",
			orientations: []appointment.OrientationRef{oriented(7, 1, at(2026, 2, 10, 10, 0))},
			apps: []appointment.Appointment{
				seen(1, at(2026, 2, 1, 9, 0)), // before the decision
				status(at(2026, 2, 12, 9, 0), appointment.StatusNoshow),
				func() appointment.Appointment { a := seen(1, at(2026, 2, 20, 9, 0)); a.OrientationID = 99; return a }(),
				func() appointment.Appointment { a := seen(1, at(2026, 3, 3, 9, 0)); a.OrientationID = 7; return a }(),
				seen(1, at(2026, 3, 10, 9, 0)), // a later one
				seen(2, at(2026, 2, 11, 9, 0)), // someone else
			},
			from: feb, to: mar,
			want: []appointment.Indicators{month(feb, func(i *appointment.Indicators) {
				i.Oriented, i.FirstSeen, i.MedianDaysToFirstSeen = 1, 1, 21
				i.Under15, i.Under30 = 0, 1
				i.NoShowRate = 0.25 // seen on 1, 11 and 20 February, absent on the 12th
			})},
		},
		{
			name: "no-show rate: absences among resolved appointments, by month of the appointment",
			apps: []appointment.Appointment{
				status(at(2026, 1, 5, 9, 0), appointment.StatusSeen),
				status(at(2026, 1, 6, 9, 0), appointment.StatusSeen),
				status(at(2026, 1, 7, 9, 0), appointment.StatusNoshow),
				status(at(2026, 1, 8, 9, 0), appointment.StatusExcused),
				status(at(2026, 1, 9, 9, 0), appointment.StatusRevoked),
				status(at(2026, 1, 10, 9, 0), appointment.StatusUnknown), // waits for its status
				status(at(2026, 2, 3, 9, 0), appointment.StatusNoshow),
				status(at(2026, 4, 3, 9, 0), appointment.StatusNoshow), // after the range
			},
			from: jan, to: apr,
			want: []appointment.Indicators{
				month(jan, func(i *appointment.Indicators) { i.NoShowRate = 0.2 }),
				month(feb, func(i *appointment.Indicators) { i.NoShowRate = 1 }),
				month(mar, nil),
			},
		},
		{
			name: "invited people: self-booked or booked by an agent, the median delay to the booking",
			invs: []appointment.Invitation{
				invited(1, at(2026, 1, 3, 10, 0)),
				invited(2, at(2026, 1, 10, 10, 0)),
				invited(3, at(2026, 1, 12, 10, 0)),
				invited(3, at(2026, 1, 25, 10, 0)), // invited twice: counted once
				invited(4, at(2026, 1, 28, 10, 0)),
			},
			apps: []appointment.Appointment{
				booked(1, 1, at(2026, 1, 5, 20, 0), appointment.OriginPerson), // 2 days
				booked(2, 2, at(2026, 1, 2, 9, 0), appointment.OriginAgent),   // before the invitation: not the answer
				booked(3, 2, at(2026, 1, 20, 9, 0), appointment.OriginAgent),  // 10 days, booked by an agent
				booked(4, 4, at(2026, 2, 2, 9, 0), appointment.OriginPerson),  // 5 days, in February
			},
			from: jan, to: mar,
			want: []appointment.Indicators{
				month(jan, func(i *appointment.Indicators) {
					i.Invited, i.SelfBooked, i.MedianDaysInvitationToAppointment = 4, 0.5, 5
				}),
				month(feb, nil),
			},
		},
		{
			name: "even median of the invitation delays; a convocation is not self-booked",
			invs: []appointment.Invitation{invited(1, at(2026, 3, 2, 10, 0)), invited(2, at(2026, 3, 2, 11, 0))},
			apps: []appointment.Appointment{
				booked(1, 1, at(2026, 3, 5, 9, 0), appointment.OriginPerson),      // 3 days
				booked(2, 2, at(2026, 3, 6, 9, 0), appointment.OriginConvocation), // 4 days
			},
			from: mar, to: apr,
			want: []appointment.Indicators{month(mar, func(i *appointment.Indicators) {
				i.Invited, i.SelfBooked, i.MedianDaysInvitationToAppointment = 2, 0.5, 3.5
			})},
		},
		{
			name: "months are those of Paris: 31 January 23:30 is January, 1 February 00:30 is February",
			orientations: []appointment.OrientationRef{
				oriented(1, 1, at(2026, 1, 31, 23, 30)),
				oriented(2, 2, at(2026, 2, 1, 0, 30)), // still 31 January in UTC
			},
			from: jan, to: mar,
			want: []appointment.Indicators{
				month(jan, func(i *appointment.Indicators) { i.Oriented = 1 }),
				month(feb, func(i *appointment.Indicators) { i.Oriented = 1 }),
			},
		},
		{
			name:         "days are calendar days: seen on the 16th day across the change of clocks, though 15 × 24 hours later",
			orientations: []appointment.OrientationRef{oriented(1, 1, at(2026, 3, 20, 23, 30))},
			apps:         []appointment.Appointment{seen(1, at(2026, 4, 5, 0, 30))},
			from:         mar, to: apr,
			want: []appointment.Indicators{month(mar, func(i *appointment.Indicators) {
				i.Oriented, i.FirstSeen, i.MedianDaysToFirstSeen = 1, 1, 16
				i.Under15, i.Under30 = 0, 1
			})},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got, want []string
			for _, i := range appointment.Compute(tt.orientations, tt.invs, tt.apps, tt.from, tt.to) {
				got = append(got, indicatorsText(i))
			}
			for _, i := range tt.want {
				want = append(want, indicatorsText(i))
			}
			if !slices.Equal(got, want) {
				t.Errorf("Compute() =\n%s\nwant\n%s", fmt.Sprint(got), fmt.Sprint(want))
			}
		})
	}
}
