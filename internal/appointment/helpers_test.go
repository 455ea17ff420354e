package appointment_test

import (
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the DST cases need the real Europe/Paris, even on a machine without a tz database

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

// hm returns minutes after midnight.
func hm(h, m int) int { return h*60 + m }

// checkFields fails unless fs names exactly the fields want, in order, each
// with a French sentence.
func checkFields(t *testing.T, fs problem.Fields, want ...string) {
	t.Helper()
	var got []string
	for _, f := range fs {
		got = append(got, f.Field)
		if f.Message == "" || !strings.HasSuffix(f.Message, ".") {
			t.Errorf("%s: message %q is not a sentence", f.Field, f.Message)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("fields = %v, want %v (messages: %v)", got, want, fs)
	}
	if (fs.Err() == nil) != (len(want) == 0) {
		t.Errorf("Err() = %v with fields %v", fs.Err(), want)
	}
}
