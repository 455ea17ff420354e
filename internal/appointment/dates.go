package appointment

import (
	"fmt"
	"time"

	"github.com/spie-parcours/parcours/internal/orientation"
)

// paris is the time zone of agendas, civil dates and messages.
var paris = orientation.Paris()

const day = 24 * time.Hour

// parisDate returns the civil date of the instant t in Europe/Paris, as UTC
// midnight.
func parisDate(t time.Time) time.Time {
	y, m, d := t.In(paris).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dateOf returns the date t holds, read in its own location as the store
// keeps dates (UTC midnight), as UTC midnight.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// startOf returns the instant the civil date d (UTC midnight) begins in
// Europe/Paris. Midnight exists on every date: France changes its clocks at
// 2 or 3 in the morning.
func startOf(d time.Time) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, paris)
}

// endOf returns the instant the civil date d (UTC midnight) ends in
// Europe/Paris: the next midnight, the first instant that is no longer d.
func endOf(d time.Time) time.Time { return startOf(d.AddDate(0, 0, 1)) }

// civilDays returns the calendar days from the Paris date of a to that of b:
// 1 from a Monday evening to the Tuesday morning. A change of clocks moves
// nothing, where a count of 24-hour periods would.
func civilDays(a, b time.Time) int {
	return int(parisDate(b).Sub(parisDate(a)) / day)
}

// wallClock returns the instant at minute minutes after midnight, as the
// clocks of Europe/Paris show it, on the civil date d, and false when the
// clocks skip that minute (between 2 and 3 in the morning on the last
// Sunday of March).
func wallClock(d time.Time, minute int) (time.Time, bool) {
	y, m, dd := d.Date()
	t := time.Date(y, m, dd, 0, minute, 0, 0, paris)
	h, mm, _ := t.Clock()
	return t, h*60+mm == minute && t.Day() == dd
}

var weekdays = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}

// weekdayName is the French name of a weekday, "" for a value that is none.
func weekdayName(wd time.Weekday) string {
	if wd < time.Sunday || wd > time.Saturday {
		return ""
	}
	return weekdays[wd]
}

var months = [...]string{"janvier", "février", "mars", "avril", "mai", "juin",
	"juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// DayText writes the date of t in Europe/Paris as a French sentence says it:
// "mardi 8 décembre", "lundi 1er mars".
func DayText(t time.Time) string {
	t = t.In(paris)
	n := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		n = "1er"
	}
	return weekdays[t.Weekday()] + " " + n + " " + months[t.Month()-1]
}

// WhenText writes the date and time of t in Europe/Paris as a French
// sentence says it: "mardi 8 décembre à 14 h 30", "jeudi 3 juin à 9 h".
func WhenText(t time.Time) string {
	t = t.In(paris)
	return DayText(t) + " à " + clockText(t.Hour()*60+t.Minute())
}

// clockText writes minutes after midnight as a French time: "9 h", "14 h 30",
// "9 h 05".
func clockText(minute int) string {
	h, m := minute/60, minute%60
	if m == 0 {
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %02d", h, m)
}
