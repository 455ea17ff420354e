package importer_test

import (
	"archive/zip"
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/importer"
)

// checkTable fails unless tab has the shape ReadCSV and ReadXLSX promise: a
// header whose last cell is not empty, rows of exactly its width, none fully
// empty, cells trimmed valid UTF-8, and increasing lines after the header's.
func checkTable(t *testing.T, tab *importer.Table) {
	t.Helper()
	if len(tab.Header) == 0 || tab.Header[len(tab.Header)-1] == "" || len(tab.Header) > importer.MaxColumns {
		t.Fatalf("header %q has no last cell or too many", tab.Header)
	}
	if len(tab.Rows) != len(tab.Lines) || len(tab.Rows) > importer.MaxRows || len(tab.Rows)*len(tab.Header) > importer.MaxCells {
		t.Fatalf("%d rows, %d lines", len(tab.Rows), len(tab.Lines))
	}
	cell := func(c string) {
		t.Helper()
		if c != strings.TrimSpace(c) || !utf8.ValidString(c) {
			t.Fatalf("cell %q not trimmed or not UTF-8", c)
		}
	}
	for _, c := range tab.Header {
		cell(c)
	}
	last := 1
	for i, row := range tab.Rows {
		if len(row) != len(tab.Header) {
			t.Fatalf("row %d has %d cells, header %d", i, len(row), len(tab.Header))
		}
		if !slices.ContainsFunc(row, func(c string) bool { return c != "" }) {
			t.Fatalf("row %d is empty", i)
		}
		for _, c := range row {
			cell(c)
		}
		if tab.Lines[i] <= last {
			t.Fatalf("line %d of row %d after line %d", tab.Lines[i], i, last)
		}
		last = tab.Lines[i]
	}
}

// parseAll maps the table twice, by GuessMapping and column by column in
// the order of Fields, and parses its rows both ways: no cell may make
// ParseRows panic, and every row gives one Row.
func parseAll(t *testing.T, tab *importer.Table) {
	t.Helper()
	ref := mustRef(t)
	positional := importer.Mapping{}
	for i, f := range importer.Fields {
		if i < len(tab.Header) {
			positional[f.Code] = tab.Header[i]
		}
	}
	for _, m := range []importer.Mapping{importer.GuessMapping(tab.Header), positional} {
		m.Validate(tab.Header)
		rows := importer.ParseRows(tab, m, ref, "90", now)
		if len(rows) != len(tab.Rows) {
			t.Fatalf("%d rows parsed from %d", len(rows), len(tab.Rows))
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add(readFixture(f, "beneficiaires_utf8_bom.csv"))
	f.Add(readFixture(f, "beneficiaires_cp1252.csv"))
	for _, s := range []string{
		"Nom;Prénom;Date de naissance;Code postal;Ville\nDupont;Jean;31118;90000;Belfort\n",
		"Nom,Prénom\n\"Dupont, \"\"Jo\"\"\",Jean\n\n,,\n",
		"Nom\tPrénom\r\nDupont\tJean\r\n",
		"Nom;Prénom\n\"Martin;Paul\n",
		"Nom;Prénom\rDupont;Jean\r",
		utf16LE("Nom\tPrénom\r\nDupré\tHélène\r\n"),
		"\xef\xbb\xbfNom;Prénom\n=HYPERLINK(\"x\");+1\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tab, err := importer.ReadCSV(bytes.NewReader(b))
		if err != nil {
			if tab != nil {
				t.Fatalf("a table and an error %v", err)
			}
			return
		}
		checkTable(t, tab)
		parseAll(t, tab)
	})
}

// stored returns the zip archive b with its files stored uncompressed, so
// that the fuzzer's mutations reach the XML inside (excelize reads a file
// whose checksum is wrong).
func stored(t testing.TB, b []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(content); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func FuzzReadXLSX(f *testing.F) {
	f.Add(workbook(f))
	f.Add(stored(f, workbook(f)))
	f.Add(readFixture(f, "beneficiaires_cp1252.csv"))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tab, err := importer.ReadXLSX(bytes.NewReader(b))
		if err != nil {
			if tab != nil {
				t.Fatalf("a table and an error %v", err)
			}
			return
		}
		checkTable(t, tab)
		parseAll(t, tab)
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"12/03/1985", "5/7/1992", "12-03-1985", "1985-03-12", "1985-03-12T00:00:00Z",
		"12/03/1985 00:00", "31118", "31118,5", "60", "61", "0", "2958465", "12/03/85", "31/02/1985", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := importer.ParseDate(s)
		if err != nil {
			if !d.IsZero() {
				t.Fatalf("ParseDate(%q) = %v and %v", s, d, err)
			}
			if msg := err.Error(); msg == "" || !utf8.ValidString(msg) && utf8.ValidString(s) {
				t.Fatalf("ParseDate(%q) error %q", s, msg)
			}
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("ParseDate(%q) = %v, not UTC midnight", s, d)
		}
		if d.Year() < 1 || d.Year() > 9999 {
			t.Fatalf("ParseDate(%q) = %v, year out of range", s, d)
		}
		if d.Year() >= 1000 {
			back, err := importer.ParseDate(d.Format("02/01/2006"))
			if err != nil || !back.Equal(d) {
				t.Fatalf("ParseDate(%q) = %v, but its dd/mm/yyyy form reads %v, %v", s, d, back, err)
			}
		}
	})
}
