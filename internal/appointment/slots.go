package appointment

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/problem"
)

// MinNotice is how long before a slot it can still be booked: a person who
// books at 13:00 is not offered 14:00, so that the professional learns of the
// appointment before it starts and the person has time to get there.
const MinNotice = 2 * time.Hour

// dayMinutes is the number of minutes in a day as agendas write it: a rule
// or an exception ends at 1440 at the latest (midnight).
const dayMinutes = 24 * 60

// MaxAgendaNameLen is the longest agenda name, in characters.
const MaxAgendaNameLen = 200

// maxReasonLen is the longest reason of an exception, in characters.
const maxReasonLen = 200

// Slots returns the slots of the agenda a that start in [from, to), and
// never before now + MinNotice: the weekly rules on each civil date in
// Europe/Paris (a 9:00 slot is at 9:00 on the clocks of Paris, on the days
// the clocks change too), stepped by the duration of their type and within
// their dates of validity, less the slots that overlap a closure of their
// date (the whole day when a closure has Start = End = 0), plus the slots of
// the extra openings of the date. A closure applies to the weekly rules
// only: an opening is itself an exception, so "closed all day but open from
// 14:00 for a collective session" is a closure and an opening on the same
// date. The slots are sorted by start, then agenda, type and place, without
// duplicates; Capacity is the type's (1 when the type leaves it at 0) and
// Booked is left at 0 for the store to fill. An inactive agenda, a rule or
// an opening whose type is not in types or has no duration, gives no slot.
func Slots(a Agenda, types map[int64]Type, from, to time.Time, now time.Time) []Slot {
	if !a.Active {
		return nil
	}
	if earliest := now.Add(MinNotice); from.Before(earliest) {
		from = earliest
	}
	if !from.Before(to) {
		return nil
	}
	var slots []Slot
	add := func(d time.Time, start, end int, typeID, placeID int64, closures []window) {
		t, ok := types[typeID]
		if !ok || t.DurationMin <= 0 {
			return
		}
		for m := max(start, 0); m+t.DurationMin <= min(end, dayMinutes); m += t.DurationMin {
			if overlapsAny(window{m, m + t.DurationMin}, closures) {
				continue
			}
			at, ok := wallClock(d, m)
			if !ok || at.Before(from) || !at.Before(to) {
				continue
			}
			slots = append(slots, Slot{
				AgendaID: a.ID, TypeID: typeID, PlaceID: placeID,
				StartsAt: at, DurationMin: t.DurationMin, Capacity: max(t.Capacity, 1),
			})
		}
	}
	last := parisDate(to)
	for d := parisDate(from); !d.After(last); d = d.AddDate(0, 0, 1) {
		closures := closuresOn(a.Exceptions, d)
		for _, r := range a.Rules {
			if r.Weekday == d.Weekday() && r.validOn(d) {
				add(d, r.Start, r.End, r.TypeID, r.PlaceID, closures)
			}
		}
		for _, e := range a.Exceptions {
			if !e.Closed && dateOf(e.Date).Equal(d) {
				add(d, e.Start, e.End, e.TypeID, e.PlaceID, nil)
			}
		}
	}
	SortSlots(slots)
	return slices.CompactFunc(slots, func(x, y Slot) bool {
		return x.StartsAt.Equal(y.StartsAt) && x.AgendaID == y.AgendaID && x.TypeID == y.TypeID && x.PlaceID == y.PlaceID
	})
}

// SortSlots sorts slots by start, then agenda, type and place: the order in
// which a person is offered the slots of several agendas merged.
func SortSlots(slots []Slot) {
	slices.SortFunc(slots, func(x, y Slot) int {
		return cmp.Or(x.StartsAt.Compare(y.StartsAt), cmp.Compare(x.AgendaID, y.AgendaID),
			cmp.Compare(x.TypeID, y.TypeID), cmp.Compare(x.PlaceID, y.PlaceID))
	})
}

// window is a part of a day, [start, end) in minutes after midnight.
type window struct{ start, end int }

func (w window) overlaps(o window) bool { return w.start < o.end && o.start < w.end }

func overlapsAny(w window, ws []window) bool {
	return slices.ContainsFunc(ws, w.overlaps)
}

// closuresOn returns the closed parts of the civil date d: the whole day for
// a closure with Start = End = 0.
func closuresOn(es []Exception, d time.Time) []window {
	var ws []window
	for _, e := range es {
		if e.Closed && dateOf(e.Date).Equal(d) {
			ws = append(ws, e.window())
		}
	}
	return ws
}

// window returns the part of its date an exception covers: the whole day
// for a closure with Start = End = 0.
func (e Exception) window() window {
	if e.Closed && e.Start == 0 && e.End == 0 {
		return window{0, dayMinutes}
	}
	return window{e.Start, e.End}
}

// validOn reports whether the civil date d (UTC midnight) is within the
// rule's dates of validity, both included; a zero date leaves that side
// open.
func (r Rule) validOn(d time.Time) bool {
	return (r.ValidFrom.IsZero() || !d.Before(dateOf(r.ValidFrom))) &&
		(r.ValidUntil.IsZero() || !d.After(dateOf(r.ValidUntil)))
}

// overlapsDates reports whether the validity periods of two rules share a
// date.
func (r Rule) overlapsDates(o Rule) bool {
	return (r.ValidUntil.IsZero() || o.ValidFrom.IsZero() || !dateOf(o.ValidFrom).After(dateOf(r.ValidUntil))) &&
		(o.ValidUntil.IsZero() || r.ValidFrom.IsZero() || !dateOf(r.ValidFrom).After(dateOf(o.ValidUntil)))
}

// ValidateAgenda checks an agenda before it is saved and returns a French
// message per wrong field, named by its JSON name with the index of its
// place, rule or exception counted from 0 ("rules[2].start"): a name; places
// of a known kind, an address or a commune for an address, an https link for
// a video call; rules on a weekday, from Start to End within the day, of a
// known type of the agenda's territory, at a place of the agenda, long
// enough for one appointment of the type, valid from a date not after their
// end date, and not overlapping another rule on the same weekday within
// dates of validity they share — one agenda is one professional or one
// desk, who cannot be in two places at once; exceptions on a date, a closure
// all day (Start = End = 0) or within the day, an opening like a rule that
// overlaps neither another opening nor an hour of the rules that no closure
// of the date frees. types are the appointment types the agenda may use.
func ValidateAgenda(a Agenda, types map[int64]Type) problem.Fields {
	var fs problem.Fields
	switch name := strings.TrimSpace(a.Name); {
	case name == "":
		fs.Add("name", "Indiquez le nom de l'agenda.")
	case utf8.RuneCountInString(name) > MaxAgendaNameLen:
		fs.Add("name", fmt.Sprintf("Le nom de l'agenda ne doit pas dépasser %d caractères.", MaxAgendaNameLen))
	}
	places := make(map[int64]bool, len(a.Places))
	for i, p := range a.Places {
		validatePlace(&fs, fmt.Sprintf("places[%d]", i), p)
		places[p.ID] = true
	}
	for i, r := range a.Rules {
		f := fmt.Sprintf("rules[%d]", i)
		if r.Weekday < time.Sunday || r.Weekday > time.Saturday {
			fs.Add(f+".weekday", "Choisissez le jour de la semaine.")
		}
		hours := validateHours(&fs, f, r.Start, r.End)
		validateOpening(&fs, f, a, types, places, r.TypeID, r.PlaceID, r.Start, r.End, hours)
		if !r.ValidFrom.IsZero() && !r.ValidUntil.IsZero() && dateOf(r.ValidUntil).Before(dateOf(r.ValidFrom)) {
			fs.Add(f+".valid_until", "La date de fin ne peut pas être avant la date de début.")
		}
		for j, o := range a.Rules[:i] {
			if o.Weekday == r.Weekday && (window{o.Start, o.End}).overlaps(window{r.Start, r.End}) && o.overlapsDates(r) {
				fs.Add(f+".start", fmt.Sprintf(
					"Cette plage chevauche la plage n° %d (le %s de %s à %s) : un agenda ne peut pas être à deux endroits à la fois.",
					j+1, weekdayName(o.Weekday), clockText(o.Start), clockText(o.End)))
				break
			}
		}
	}
	for i, e := range a.Exceptions {
		f := fmt.Sprintf("exceptions[%d]", i)
		if e.Date.IsZero() {
			fs.Add(f+".date", "Indiquez la date.")
		}
		if utf8.RuneCountInString(strings.TrimSpace(e.Reason)) > maxReasonLen {
			fs.Add(f+".reason", fmt.Sprintf("Le motif ne doit pas dépasser %d caractères.", maxReasonLen))
		}
		if e.Closed {
			if e.Start != 0 || e.End != 0 {
				validateHours(&fs, f, e.Start, e.End)
			}
			continue
		}
		hours := validateHours(&fs, f, e.Start, e.End)
		validateOpening(&fs, f, a, types, places, e.TypeID, e.PlaceID, e.Start, e.End, hours)
		if !hours || e.Date.IsZero() {
			continue
		}
		if msg := openingConflict(a, i); msg != "" {
			fs.Add(f+".start", msg)
		}
	}
	return fs
}

// validatePlace checks one place of an agenda.
func validatePlace(fs *problem.Fields, f string, p Place) {
	switch p.Kind {
	case PlaceAddress:
		if strings.TrimSpace(p.Address) == "" && strings.TrimSpace(p.CommuneINSEE) == "" {
			fs.Add(f+".address", "Indiquez l'adresse ou la commune du lieu.")
		}
	case PlacePhone:
	case PlaceVideo:
		if !httpsLink(p.Details) {
			fs.Add(f+".details", "Indiquez le lien de la visio, qui doit commencer par https://.")
		}
	default:
		fs.Add(f+".kind", "Choisissez le type de lieu : adresse, téléphone ou visio.")
	}
	if c := strings.TrimSpace(p.CommuneINSEE); c != "" && !inseeCode(c) {
		fs.Add(f+".commune_insee", "Le code INSEE de la commune compte 5 caractères (chiffres, ou 2A/2B pour la Corse).")
	}
}

// httpsLink reports whether s is an absolute https URL with a host.
func httpsLink(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	return err == nil && u.Scheme == "https" && u.Host != ""
}

// inseeCode reports whether s is shaped like a commune's INSEE code: five
// digits, or 2A/2B followed by three digits in Corsica.
func inseeCode(s string) bool {
	if len(s) != 5 {
		return false
	}
	if s[0] == '2' && (s[1] == 'A' || s[1] == 'B' || s[1] == 'a' || s[1] == 'b') {
		s = "20" + s[2:]
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// validateHours checks that a part of a day starts and ends within the day,
// in that order, and reports whether it does.
func validateHours(fs *problem.Fields, f string, start, end int) bool {
	ok := true
	if start < 0 || start >= dayMinutes {
		fs.Add(f+".start", "L'heure de début doit être comprise entre 0 h et 23 h 59.")
		ok = false
	}
	switch {
	case end <= 0 || end > dayMinutes:
		fs.Add(f+".end", "L'heure de fin doit être comprise entre 0 h 01 et minuit.")
		ok = false
	case ok && end <= start:
		fs.Add(f+".end", "L'heure de fin doit être après l'heure de début.")
		ok = false
	}
	return ok
}

// validateOpening checks the type and place of a rule or an opening, and
// that the window holds at least one appointment of the type.
func validateOpening(fs *problem.Fields, f string, a Agenda, types map[int64]Type, places map[int64]bool, typeID, placeID int64, start, end int, hours bool) {
	t, ok := types[typeID]
	switch {
	case typeID == 0:
		fs.Add(f+".type_id", "Choisissez le motif de rendez-vous.")
	case !ok:
		fs.Add(f+".type_id", "Ce motif de rendez-vous est inconnu.")
	case a.TerritoryID != 0 && t.TerritoryID != 0 && t.TerritoryID != a.TerritoryID:
		fs.Add(f+".type_id", "Ce motif de rendez-vous n'appartient pas au territoire de l'agenda.")
	case t.DurationMin <= 0:
		fs.Add(f+".type_id", "La durée de ce motif de rendez-vous n'est pas renseignée.")
	case hours && end-start < t.DurationMin:
		fs.Add(f+".end", fmt.Sprintf("La plage de %s à %s est plus courte qu'un rendez-vous de ce motif (%d minutes).",
			clockText(start), clockText(end), t.DurationMin))
	}
	switch {
	case placeID == 0:
		fs.Add(f+".place_id", "Choisissez le lieu.")
	case !places[placeID]:
		fs.Add(f+".place_id", "Ce lieu n'appartient pas à l'agenda.")
	}
}

// openingConflict returns why the opening a.Exceptions[i] cannot be kept:
// it overlaps an earlier opening of the same date, or hours that a weekly
// rule already opens on that date and that no closure of the date frees.
// It returns "" when there is no conflict.
func openingConflict(a Agenda, i int) string {
	e := a.Exceptions[i]
	d := dateOf(e.Date)
	w := window{e.Start, e.End}
	for j, o := range a.Exceptions[:i] {
		if !o.Closed && dateOf(o.Date).Equal(d) && w.overlaps(window{o.Start, o.End}) {
			return fmt.Sprintf("Cette ouverture chevauche l'ouverture n° %d du même jour.", j+1)
		}
	}
	closures := closuresOn(a.Exceptions, d)
	for _, r := range a.Rules {
		if r.Weekday != d.Weekday() || !r.validOn(d) {
			continue
		}
		both := window{max(w.start, r.Start), min(w.end, r.End)}
		if both.start < both.end && !covered(both, closures) {
			return fmt.Sprintf("Cette ouverture chevauche les horaires habituels du %s (de %s à %s) : fermez d'abord ces horaires ce jour-là.",
				weekdayName(r.Weekday), clockText(r.Start), clockText(r.End))
		}
	}
	return ""
}

// covered reports whether the windows ws together cover w.
func covered(w window, ws []window) bool {
	ws = slices.Clone(ws)
	slices.SortFunc(ws, func(x, y window) int { return cmp.Compare(x.start, y.start) })
	at := w.start
	for _, c := range ws {
		if c.start > at {
			break
		}
		at = max(at, c.end)
		if at >= w.end {
			return true
		}
	}
	return at >= w.end
}
