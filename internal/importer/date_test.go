package importer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/importer"
)

// day returns a date at UTC midnight.
func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"12/03/1985", day(1985, 3, 12)},
		{"5/7/1992", day(1992, 7, 5)},
		{"05/7/1992", day(1992, 7, 5)},
		{"12-03-1985", day(1985, 3, 12)},
		{"1-3-1985", day(1985, 3, 1)},
		{"12.03.1985", day(1985, 3, 12)},
		{"1985-03-12", day(1985, 3, 12)},
		{"1985/03/12", day(1985, 3, 12)},
		{"1985-3-2", day(1985, 3, 2)},
		{" 12/03/1985 ", day(1985, 3, 12)},
		{"29/02/2000", day(2000, 2, 29)},
		// a time of day, as spreadsheets and databases append it, is ignored
		{"12/03/1985 00:00", day(1985, 3, 12)},
		{"12/03/1985 23:59:59", day(1985, 3, 12)},
		{"1985-03-12 00:00:00", day(1985, 3, 12)},
		{"1985-03-12T00:00:00Z", day(1985, 3, 12)},
		{"1985-03-12T00:00:00.000+01:00", day(1985, 3, 12)},
		// Excel serials, 1900 date system
		{"31118", day(1985, 3, 12)},
		{"31118.75", day(1985, 3, 12)},
		{"31118,5", day(1985, 3, 12)},
		{"1", day(1900, 1, 1)},
		{"59", day(1900, 2, 28)},
		{"61", day(1900, 3, 1)}, // after the 29 February 1900 Excel believes in
		{"2958465", day(9999, 12, 31)},
		{"45658", day(2025, 1, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := importer.ParseDate(tt.in)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseDateErrors(t *testing.T) {
	tests := []struct {
		in      string
		wantErr string
	}{
		{"", "La date est vide."},
		{"60", "correspond au 29/02/1900, qui n'a pas existé"},
		{"0", "n'est pas une date Excel"},
		{"2958466", "n'est pas une date Excel"},
		{"12345678", "est illisible"},
		{"31/02/1985", "« 31/02/1985 » n'existe pas"},
		{"29/02/1900", "n'existe pas"},
		{"12/13/1985", "n'existe pas"},
		{"0000-01-01", "n'existe pas"},
		{"12/03/85", "doit compter 4 chiffres"},
		{"12/03-1985", "est illisible"},
		{"1985-03", "est illisible"},
		{"12 mars 1985", "est illisible"},
		{"12/03/1985 midi", "est illisible"},
		{"12/03/1985 25", "est illisible"},
		{"-31118", "est illisible"},
		{"31118.5.5", "est illisible"},
		{"=DATE(1985;3;12)", "est illisible"},
		{strings.Repeat("9", 100), "…"}, // long cells are cut in the message
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := importer.ParseDate(tt.in)
			if err == nil {
				t.Fatalf("ParseDate(%q) = %v, want an error", tt.in, got)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseDate(%q) error = %q, want it to contain %q", tt.in, err, tt.wantErr)
			}
		})
	}
}
