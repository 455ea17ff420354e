package importer_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/spie-parcours/parcours/internal/importer"
)

// readFixture returns the bytes of a file of testdata.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadCSVFixtures(t *testing.T) {
	tests := []struct {
		file       string
		wantHeader []string
		wantRows   [][]string
		wantLines  []int
	}{
		{
			file: "beneficiaires_utf8_bom.csv", // UTF-8 with BOM, commas, CRLF, a quoted line break
			wantHeader: []string{"Identifiant dans le SI*", "Prénom*", "Nom*", "Date de naissance*", "Téléphone", "Email",
				"Adresse", "Code postal", "Ville", "Numéro allocataire CAF/MSA", "Identifiant Pôle emploi", "Droits RSA"},
			wantRows: [][]string{
				{"A1", "Élodie", "Lefèvre", "12/03/1985", "06 12 34 56 78", "Elodie.Lefevre@exemple.fr", "12 rue de la Gare, bât. B", "90000", "Belfort", "1234567", "1234567A", "Droit ouvert et versable"},
				{"A2", "Jean-Pierre", "N'Diaye", "1979-11-02", "+33 7 01 02 03 04", "", "Résidence « Les Tilleuls »\nappartement 4", "90110", "ST GERMAIN LE CHATELET", "7654321", "", "2"},
				{"A3", "Chloé", "Œuvray", "5/7/1992", "", "", "", "90800", "Bavilliers", "", "", ""},
			},
			wantLines: []int{2, 3, 6}, // row 2 spans lines 3–4; line 5 holds separators only
		},
		{
			file:       "beneficiaires_cp1252.csv", // Windows-1252, semicolons, an empty line
			wantHeader: []string{"NOM", "PRENOM", "DATE_NAISSANCE", "N° allocataire", "Rôle", "Code postal", "Ville", "Téléphone", "Droits RSA", "Civilité"},
			wantRows: [][]string{
				{"DUPRÉ", "Hélène", "03-04-1988", "2345678", "DEM", "90000", "BELFORT", "0612345678", "Ouvert", "Mme"},
				{"DUPRÉ", "François", "17/08/1986", "2345678", "CJT", "90000", "BELFORT", "", "Ouvert", "M."},
				{"D’ŒUVRE", "Léa", "30/02/1990", "3456789", "DEM", "90800", "Bavilliers", "", "", "F"},
			},
			wantLines: []int{2, 3, 5},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := importer.ReadCSV(bytes.NewReader(readFixture(t, tt.file)))
			if err != nil {
				t.Fatalf("ReadCSV: %v", err)
			}
			if !slices.Equal(got.Header, tt.wantHeader) {
				t.Errorf("Header = %q\nwant %q", got.Header, tt.wantHeader)
			}
			if !slices.EqualFunc(got.Rows, tt.wantRows, slices.Equal) {
				t.Errorf("Rows = %q\nwant %q", got.Rows, tt.wantRows)
			}
			if !slices.Equal(got.Lines, tt.wantLines) {
				t.Errorf("Lines = %v, want %v", got.Lines, tt.wantLines)
			}
		})
	}
}

// utf16LE encodes s as Excel's "Texte Unicode": UTF-16 little endian with a
// byte order mark.
func utf16LE(s string) string {
	b := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		wantHeader []string
		wantRows   [][]string
		wantLines  []int
		wantErr    string
	}{
		{
			name:       "semicolons win over commas in cells",
			in:         "Nom;Prénom;Adresse\nDupont;Jean;1, rue Haute\n",
			wantHeader: []string{"Nom", "Prénom", "Adresse"},
			wantRows:   [][]string{{"Dupont", "Jean", "1, rue Haute"}},
			wantLines:  []int{2},
		},
		{
			name:       "a comma in a quoted header cell does not count",
			in:         "\"Nom, prénom\";Ville\nDupont Jean;Belfort\n",
			wantHeader: []string{"Nom, prénom", "Ville"},
			wantRows:   [][]string{{"Dupont Jean", "Belfort"}},
			wantLines:  []int{2},
		},
		{
			name:       "tabs",
			in:         "Nom\tPrénom\nDupont\tJean\n",
			wantHeader: []string{"Nom", "Prénom"},
			wantRows:   [][]string{{"Dupont", "Jean"}},
			wantLines:  []int{2},
		},
		{
			name:       "UTF-16 text from Excel",
			in:         utf16LE("Nom\tPrénom\r\nDupré\tHélène\r\n"),
			wantHeader: []string{"Nom", "Prénom"},
			wantRows:   [][]string{{"Dupré", "Hélène"}},
			wantLines:  []int{2},
		},
		{
			name:       "empty lines before the header, blank and separator-only lines skipped, cells trimmed",
			in:         "\n  \nNom;Prénom\n\n ; \nDupont ;\u00a0Jean\n;;\n",
			wantHeader: []string{"Nom", "Prénom"},
			wantRows:   [][]string{{"Dupont", "Jean"}},
			wantLines:  []int{6},
		},
		{
			name:       "short rows padded, trailing separators and trailing empty header cells dropped",
			in:         "Nom;Prénom;;\nDupont\nMartin;Paul;;\n",
			wantHeader: []string{"Nom", "Prénom"},
			wantRows:   [][]string{{"Dupont", ""}, {"Martin", "Paul"}},
			wantLines:  []int{2, 3},
		},
		{
			name:       "doubled quotes",
			in:         "Nom,Surnom\nDupont,\"Dit \"\"Jo\"\"\"\n",
			wantHeader: []string{"Nom", "Surnom"},
			wantRows:   [][]string{{"Dupont", "Dit \"Jo\""}},
			wantLines:  []int{2},
		},
		{
			name:       "classic Mac line endings",
			in:         "Nom;Prénom\rDupont;Jean\rMartin;Paul\r",
			wantHeader: []string{"Nom", "Prénom"},
			wantRows:   [][]string{{"Dupont", "Jean"}, {"Martin", "Paul"}},
			wantLines:  []int{2, 3},
		},
		{
			name:       "header only",
			in:         "Nom;Prénom\n",
			wantHeader: []string{"Nom", "Prénom"},
		},
		{name: "empty file", in: "", wantErr: "le fichier est vide"},
		{name: "blank file", in: "\n \n;;\n", wantErr: "le fichier est vide"},
		{name: "unclosed quote", in: "Nom;Prénom\nDupont;Jean\n\"Martin;Paul\nDurand;Luc\n", wantErr: "ligne 3 : guillemet non fermé"},
		{name: "text after a closing quote", in: "Nom;Prénom\n\"Dupont\" Jean;Paul\n", wantErr: "ligne 2 : texte après un guillemet fermant"},
		{name: "bare quote", in: "Nom;Prénom\nDupont;Jean \"Jo\"\n", wantErr: "ligne 2 : guillemet au milieu d'une cellule"},
		{name: "more filled cells than the header", in: "Nom;Prénom\nDupont;Jean;12 rue Haute\n", wantErr: "ligne 2 : 3 colonnes remplies alors que l'en-tête en compte 2"},
		{name: "NUL bytes", in: "N\x00o\x00m\x00", wantErr: "caractères nuls"},
		{name: "BOM but not UTF-8", in: "\xef\xbb\xbfNom\nDupr\xc9\n", wantErr: "annonce l'encodage UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := importer.ReadCSV(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ReadCSV error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadCSV: %v", err)
			}
			if !slices.Equal(got.Header, tt.wantHeader) {
				t.Errorf("Header = %q, want %q", got.Header, tt.wantHeader)
			}
			if !slices.EqualFunc(got.Rows, tt.wantRows, slices.Equal) {
				t.Errorf("Rows = %q, want %q", got.Rows, tt.wantRows)
			}
			if !slices.Equal(got.Lines, tt.wantLines) {
				t.Errorf("Lines = %v, want %v", got.Lines, tt.wantLines)
			}
		})
	}
}

// repeat is an endless reader of one byte.
type repeat byte

func (r repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

func TestReadCSVLimits(t *testing.T) {
	tests := []struct {
		name    string
		in      func() io.Reader
		wantErr string
	}{
		{
			name: "one row too many",
			in: func() io.Reader {
				return strings.NewReader("Nom\n" + strings.Repeat("a\n", importer.MaxRows+1))
			},
			wantErr: "le fichier dépasse 200 000 lignes",
		},
		{
			name: "a record over 10 MB",
			in: func() io.Reader {
				return strings.NewReader("Nom;Adresse\nDupont;" + strings.Repeat("x", importer.MaxLineSize) + "\n")
			},
			wantErr: "ligne 2 : la ligne dépasse 10 Mo",
		},
		{
			name: "too many columns",
			in: func() io.Reader {
				return strings.NewReader(strings.Repeat("Col;", importer.MaxColumns) + "Nom\nDupont\n")
			},
			wantErr: "l'en-tête compte 1 001 colonnes, plus que les 1 000 permises",
		},
		{
			name: "too many cells",
			in: func() io.Reader {
				return strings.NewReader(strings.Repeat("Col;", importer.MaxColumns-1) + "Nom\n" +
					strings.Repeat("a\n", importer.MaxCells/importer.MaxColumns+1))
			},
			wantErr: "le fichier dépasse 10 000 000 cellules",
		},
		{
			name:    "a file over the size limit",
			in:      func() io.Reader { return io.MultiReader(strings.NewReader("Nom\n"), repeat('a')) },
			wantErr: "le fichier dépasse 100 Mo",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := importer.ReadCSV(tt.in())
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ReadCSV error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}

	t.Run("exactly the row limit", func(t *testing.T) {
		got, err := importer.ReadCSV(strings.NewReader("Nom\n" + strings.Repeat("a\n", importer.MaxRows)))
		if err != nil {
			t.Fatalf("ReadCSV: %v", err)
		}
		if len(got.Rows) != importer.MaxRows {
			t.Errorf("%d rows, want %d", len(got.Rows), importer.MaxRows)
		}
	})
}
