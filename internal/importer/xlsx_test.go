package importer_test

import (
	"archive/zip"
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/spie-parcours/parcours/internal/importer"
)

// workbook builds an XLSX file in memory. Its first sheet, "Lisez-moi", is
// empty; the data lie on "Bénéficiaires", whose header is on row 2:
//
//   - row 3: a birth date typed as a date (a serial number with a date
//     format), a phone number typed as a number, a postal code and a commune
//     given by formulas whose values Excel cached, and a note that is a
//     HYPERLINK formula;
//   - row 4 is empty;
//   - row 5: a birth date given as text, a formula with no cached value, and
//     a cell right of the header.
func workbook(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Lisez-moi"))
	_, err := f.NewSheet("Bénéficiaires")
	must(err)
	const s = "Bénéficiaires"
	must(f.SetSheetRow(s, "A2", &[]any{"Nom", "Prénom", "Date de naissance", "Téléphone", "Code postal", "Ville", "Note"}))

	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	must(f.SetSheetRow(s, "A3", &[]any{"Lefèvre", "Élodie", day(1985, 3, 12), 612345678, 90000}))
	must(f.SetCellStyle(s, "C3", "C3", dateStyle))
	must(f.SetCellFormula(s, "E3", "45000*2")) // keeps the number 90000 as its cached value
	must(f.SetCellFormula(s, "F3", `PROPER("BELFORT")`))
	must(f.SetCellFormula(s, "G3", `HYPERLINK("https://exemple.invalid/","Cliquez ici")`))

	must(f.SetSheetRow(s, "A5", &[]any{"N'Diaye", "Jean-Pierre", "02/11/1979", "07 01 02 03 04", "90110"}))
	must(f.SetCellFormula(s, "F5", `"ST GERMAIN LE CHATELET"`)) // written by a tool that computes nothing
	must(f.SetCellValue(s, "H5", "hors tableau"))

	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	// excelize writes no cached value for a text formula; Excel does.
	return patchZip(t, buf.Bytes(), "xl/worksheets/sheet2.xml", map[string]string{
		`<f>PROPER(&#34;BELFORT&#34;)</f>`: `<f>PROPER(&#34;BELFORT&#34;)</f><v>Belfort</v>`,
		`&#34;Cliquez ici&#34;)</f>`:       `&#34;Cliquez ici&#34;)</f><v>  Cliquez ici  </v>`,
	})
}

// patchZip returns the zip archive b with replacements made in one of its
// files.
func patchZip(t testing.TB, b []byte, name string, replace map[string]string) []byte {
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
		if zf.Name == name {
			for old, new := range replace {
				if !bytes.Contains(content, []byte(old)) {
					t.Fatalf("%s holds no %s:\n%s", name, old, content)
				}
				content = bytes.ReplaceAll(content, []byte(old), []byte(new))
			}
		}
		w, err := zw.Create(zf.Name)
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

func TestReadXLSX(t *testing.T) {
	got, err := importer.ReadXLSX(bytes.NewReader(workbook(t)))
	if err != nil {
		t.Fatalf("ReadXLSX: %v", err)
	}
	wantHeader := []string{"Nom", "Prénom", "Date de naissance", "Téléphone", "Code postal", "Ville", "Note"}
	wantRows := [][]string{
		{"Lefèvre", "Élodie", "31118", "612345678", "90000", "Belfort", "Cliquez ici"},
		{"N'Diaye", "Jean-Pierre", "02/11/1979", "07 01 02 03 04", "90110", "", ""},
	}
	if !slices.Equal(got.Header, wantHeader) {
		t.Errorf("Header = %q, want %q", got.Header, wantHeader)
	}
	if !slices.EqualFunc(got.Rows, wantRows, slices.Equal) {
		t.Errorf("Rows = %q\nwant %q", got.Rows, wantRows)
	}
	if want := []int{3, 5}; !slices.Equal(got.Lines, want) {
		t.Errorf("Lines = %v, want %v", got.Lines, want)
	}
	if d, err := importer.ParseDate(got.Rows[0][2]); err != nil || !d.Equal(day(1985, 3, 12)) {
		t.Errorf("ParseDate(%q) = %v, %v, want 1985-03-12", got.Rows[0][2], d, err)
	}
}

func TestReadXLSXHiddenSheetLast(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetRow("Sheet1", "A1", &[]any{"Ancienne liste"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Liste"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("Liste", "A1", &[]any{"Nom"}); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("Liste", "A2", &[]any{"Dupont"}); err != nil {
		t.Fatal(err)
	}
	f.SetActiveSheet(1)
	if err := f.SetSheetVisible("Sheet1", false); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := importer.ReadXLSX(&buf)
	if err != nil {
		t.Fatalf("ReadXLSX: %v", err)
	}
	if !slices.Equal(got.Header, []string{"Nom"}) {
		t.Errorf("Header = %q, want the visible sheet's [Nom]", got.Header)
	}
}

func TestReadXLSXErrors(t *testing.T) {
	date1904 := func() []byte {
		f := excelize.NewFile()
		defer f.Close()
		yes := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
			t.Fatal(err)
		}
		if err := f.SetSheetRow("Sheet1", "A1", &[]any{"Nom", "Date de naissance"}); err != nil {
			t.Fatal(err)
		}
		if err := f.SetSheetRow("Sheet1", "A2", &[]any{"Dupont", time.Date(1985, 3, 12, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	emptyBook := func() []byte {
		f := excelize.NewFile()
		defer f.Close()
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	bomb := func() []byte {
		// A workbook part that would unzip to 600 MB: refused before it is.
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.Create("xl/media/image1.png")
		if err != nil {
			t.Fatal(err)
		}
		chunk := make([]byte, 1<<20)
		for range 600 {
			if _, err := w.Write(chunk); err != nil {
				t.Fatal(err)
			}
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	tests := []struct {
		name    string
		in      []byte
		wantErr string
	}{
		{"1904 date system", date1904(), "calendrier depuis 1904"},
		{"no data", emptyBook(), "ne contient aucune donnée"},
		{"not a zip", []byte("Nom;Prénom\n"), "n'est pas un classeur Excel .xlsx lisible"},
		{"truncated", workbook(t)[:2000], "n'est pas un classeur Excel .xlsx lisible"},
		{"Excel 97-2003", append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, make([]byte, 512)...), "Excel 97-2003 (.xls)"},
		{"zip bomb", bomb(), "le classeur décompressé dépasse 512 Mo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := importer.ReadXLSX(bytes.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ReadXLSX error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestRead(t *testing.T) {
	xlsx := workbook(t)
	csv := readFixture(t, "beneficiaires_cp1252.csv")
	tests := []struct {
		name       string
		file       string
		in         []byte
		wantHeader string // the first header cell
		wantErr    string
	}{
		{"xlsx by its name", "liste.XLSX", xlsx, "Nom", ""},
		{"csv by its name", "liste.csv", csv, "NOM", ""},
		{"txt is csv", "liste.txt", csv, "NOM", ""},
		{"a workbook renamed .csv", "liste.csv", xlsx, "Nom", ""},
		{"a workbook without extension", "liste", xlsx, "Nom", ""},
		{"text without extension", "liste", csv, "NOM", ""},
		{"xls", "liste.xls", csv, "", "Excel 97-2003"},
		{"an old workbook renamed", "liste.csv", append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, make([]byte, 64)...), "", "Excel 97-2003"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := importer.Read(tt.file, bytes.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Read error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if got.Header[0] != tt.wantHeader {
				t.Errorf("Header[0] = %q, want %q", got.Header[0], tt.wantHeader)
			}
		})
	}
}
