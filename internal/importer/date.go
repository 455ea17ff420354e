package importer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Excel serial dates, 1900 date system. Serial 1 is 1 January 1900; Excel
// takes 1900 for a leap year, as Lotus 1-2-3 did, so serial 60 is a 29
// February 1900 that never was, and serial 61 is 1 March 1900. From 61 on, a
// serial counts the days since 30 December 1899.
const (
	serialLeapBug = 60
	serialMax     = 2958465 // 31 December 9999
)

// ParseDate reads a date of an imported file and returns it at UTC
// midnight. It accepts dd/mm/yyyy and d/m/yyyy (with '/', '-' or '.'),
// yyyy-mm-dd (or yyyy/mm/dd), each optionally followed by a time of day,
// which is ignored ("12/03/1985 00:00", "1985-03-12T00:00:00Z"), and Excel
// serial numbers in the 1900 date system, with its leap-year bug ("31120" is
// 12 March 1985; a fractional part, the time, is ignored). A two-digit year
// is refused rather than guessed. Errors are French sentences fit to show
// beside the cell.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("La date est vide.")
	}
	if serial, ok := serialPart(s); ok {
		return fromSerial(serial, s)
	}
	date, clock, _ := strings.Cut(strings.Replace(s, "T", " ", 1), " ")
	if clock != "" && !isClock(strings.TrimSpace(clock)) {
		return time.Time{}, unreadable(s)
	}
	parts, ok := splitDate(date)
	if !ok {
		return time.Time{}, unreadable(s)
	}
	var y, m, d string
	switch {
	case len(parts[0]) == 4 && len(parts[1]) <= 2 && len(parts[2]) <= 2:
		y, m, d = parts[0], parts[1], parts[2]
	case len(parts[2]) == 4 && len(parts[0]) <= 2 && len(parts[1]) <= 2:
		d, m, y = parts[0], parts[1], parts[2]
	case len(parts[2]) == 2 && len(parts[0]) <= 2 && len(parts[1]) <= 2:
		return time.Time{}, fmt.Errorf("L'année de la date %s doit compter 4 chiffres (exemple : 31/12/1985).", quote(s))
	default:
		return time.Time{}, unreadable(s)
	}
	year, _ := strconv.Atoi(y)
	month, _ := strconv.Atoi(m)
	day, _ := strconv.Atoi(d)
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if year < 1 || t.Year() != year || int(t.Month()) != month || t.Day() != day {
		return time.Time{}, fmt.Errorf("La date %s n'existe pas.", quote(s))
	}
	return t, nil
}

// serialPart returns the whole days of an Excel serial: digits, optionally
// followed by a decimal point or comma and more digits. It refuses more than
// 7 digits before the point, far beyond the last serial.
func serialPart(s string) (int, bool) {
	whole, frac, _ := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	if whole == "" || len(whole) > 7 || !allDigits(whole) || !allDigits(frac) {
		return 0, false
	}
	n, err := strconv.Atoi(whole)
	return n, err == nil
}

// fromSerial returns the date of an Excel serial; s is the cell, for the
// message.
func fromSerial(serial int, s string) (time.Time, error) {
	switch {
	case serial == serialLeapBug:
		return time.Time{}, fmt.Errorf("La date Excel %s correspond au 29/02/1900, qui n'a pas existé.", quote(s))
	case serial < 1 || serial > serialMax:
		return time.Time{}, fmt.Errorf("Le nombre %s n'est pas une date Excel : écrivez la date jj/mm/aaaa (exemple : 31/12/1985).", quote(s))
	case serial < serialLeapBug:
		return time.Date(1899, 12, 31+serial, 0, 0, 0, 0, time.UTC), nil
	}
	return time.Date(1899, 12, 30+serial, 0, 0, 0, 0, time.UTC), nil
}

// splitDate splits "12/03/1985" into its three runs of digits. The two
// separators must be the same, '/', '-' or '.'.
func splitDate(s string) ([3]string, bool) {
	var parts [3]string
	i := strings.IndexAny(s, "/-.")
	if i < 0 {
		return parts, false
	}
	sep := s[i : i+1]
	p := strings.Split(s, sep)
	if len(p) != 3 {
		return parts, false
	}
	for k, x := range p {
		if x == "" || len(x) > 4 || !allDigits(x) {
			return parts, false
		}
		parts[k] = x
	}
	return parts, true
}

// isClock reports whether s is a time of day, as spreadsheets and databases
// append it to a date: "00:00", "00:00:00", "00:00:00.000", with an optional
// "Z" or offset "+01:00".
func isClock(s string) bool {
	s = strings.TrimSuffix(s, "Z")
	if i := strings.LastIndexAny(s, "+-"); i > 0 {
		off := strings.Replace(s[i+1:], ":", "", 1)
		if len(off) != 4 || !allDigits(off) {
			return false
		}
		s = s[:i]
	}
	s, frac, _ := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	if !allDigits(frac) {
		return false
	}
	p := strings.Split(s, ":")
	if len(p) < 2 || len(p) > 3 {
		return false
	}
	for i, x := range p {
		if x == "" || len(x) > 2 || (i > 0 && len(x) != 2) || !allDigits(x) {
			return false
		}
	}
	return true
}

// unreadable is the error on a date in no known form.
func unreadable(s string) error {
	return fmt.Errorf("La date %s est illisible : écrivez-la jj/mm/aaaa (exemple : 31/12/1985).", quote(s))
}

// allDigits reports whether s is made of ASCII digits only; "" is.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// quote returns s between French quotes, cut to 40 characters, to show a
// cell in a message.
func quote(s string) string {
	const most = 40
	if utf8.RuneCountInString(s) > most {
		r := []rune(s)
		s = string(r[:most]) + "…"
	}
	return "« " + s + " »"
}
