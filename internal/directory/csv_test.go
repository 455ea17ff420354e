package directory

import (
	"bytes"
	"encoding/csv"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/spie-parcours/parcours/internal/problem"
)

// csvServices are services whose cells test the CSV form: every field, a
// minimal one, text a spreadsheet would take for a formula, and cells with
// the separators and quotes.
func csvServices() []DIService {
	full := validDI()
	minimal := DIService{Source: "dora", StructureID: "dora--1", ID: "dora--2", Nom: "Aide", Description: "Aide alimentaire.", DateMaj: "2025-02-14"}
	tricky := ExportService(Service{
		ID:          9,
		Name:        "=HYPERLINK(\"http://evil.example\";\"cliquez\")",
		Description: "Lignes\r\nmultiples, virgules; points-virgules | barres et \"guillemets\".\n-tiret en début de ligne",
		Phone:       "+33 3 84 00 00 00",
		ContactName: "@camille",
		Address:     "-1 impasse",
		Lat:         43.2965, Lon: -0.3708,
		WeeklyHours: 0.1, Weeks: 520,
		Thematiques: []string{"sante--addictions"},
		UpdatedAt:   parisDay(2025, 6, 1),
	}, "parcours-64", "parcours-64--structure-1")
	return []DIService{full, minimal, tricky}
}

func TestServicesCSVRoundTrip(t *testing.T) {
	want := csvServices()
	var b bytes.Buffer
	if err := WriteServicesCSV(&b, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadServicesCSV(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("ReadServicesCSV: %v\n%s", err, b.String())
	}
	// The CSV form reads line ends inside a cell as "\n".
	want[2].Description = strings.ReplaceAll(want[2].Description, "\r\n", "\n")
	if len(got) != len(want) {
		t.Fatalf("got %d services, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("service %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestStructuresCSVRoundTrip(t *testing.T) {
	own := fullStructure()
	own.ID, own.Source, own.ExternalID, own.Phone = 3, "", "", "+33384000000"
	want := []DIStructure{
		ExportStructure(fullStructure(), "parcours-90"),
		ExportStructure(own, "parcours-90"),
		{Source: "dora", ID: "dora--1", Nom: "Mairie", DateMaj: "2025-02-14"},
	}
	var b bytes.Buffer
	if err := WriteStructuresCSV(&b, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadStructuresCSV(&b)
	if err != nil {
		t.Fatalf("ReadStructuresCSV: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
}

func TestWriteServicesCSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteServicesCSV(&b, csvServices()); err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(b.Bytes(), []byte("\ufeff")) {
		t.Error("the file starts with a byte order mark")
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := recs[0]
	if header[0] != "adresse" || header[len(header)-1] != "zone_eligibilite" || len(header) != len(serviceColumns) {
		t.Errorf("header = %q", header)
	}
	cell := func(row int, name string) string {
		t.Helper()
		i := slices.Index(header, name)
		if i < 0 {
			t.Fatalf("no column %s", name)
		}
		return recs[row][i]
	}
	tests := []struct {
		row        int
		name, want string
	}{
		{1, "thematiques", "preparer-sa-candidature--valoriser-ses-competences,trouver-un-emploi--convaincre-un-recruteur-en-entretien"},
		{1, "latitude", "47.6383"},
		{1, "volume_horaire_hebdomadaire", "2.5"},
		{1, "nombre_semaines", "6"},
		{1, "telephone", "'+33384000000"},
		{2, "latitude", ""},
		{2, "thematiques", ""},
		{3, "nom", "'=HYPERLINK(\"http://evil.example\";\"cliquez\")"},
		{3, "contact_nom_prenom", "'@camille"},
		{3, "adresse", "'-1 impasse"},
		{3, "longitude", "-0.3708"}, // a number is no formula, and stays a number
		{3, "volume_horaire_hebdomadaire", "0.1"},
		{3, "id", "parcours-64--9"},
	}
	for _, tt := range tests {
		if got := cell(tt.row, tt.name); got != tt.want {
			t.Errorf("line %d, %s = %q, want %q", tt.row+1, tt.name, got, tt.want)
		}
	}
}

func TestReadServicesCSVForms(t *testing.T) {
	// French Excel: a byte order mark, ";" separators, columns in another
	// order, an unknown column, a decimal comma, lists in every form.
	text := "\ufeffnom;ID;source;structure_id;description;date_maj;thematiques;publics;zone_eligibilite;modes_accueil;mobilisable_par;latitude;longitude;nombre_semaines;remarque\r\n" +
		"Aide;dora--1;dora;dora--s;Une description.;2025-02-14;sante--addictions|sante--sante-mentale;\"[\"\"jeunes\"\", \"\"femmes\"\"]\";\"{90,\"\"2A\"\",NULL}\";a-distance, en-presentiel ;{};47,6383;-0.5;3.0;à revoir\r\n" +
		"\r\n" +
		"'=Nom;dora--2;dora;dora--s;Une autre.;2025-02-15;;;;;;;;;\r\n"
	got, err := ReadServicesCSV(strings.NewReader(text))
	if err != nil {
		t.Fatalf("ReadServicesCSV: %v", err)
	}
	lat, lon, weeks := 47.6383, -0.5, 3
	want := []DIService{
		{
			Nom: "Aide", ID: "dora--1", Source: "dora", StructureID: "dora--s", Description: "Une description.", DateMaj: "2025-02-14",
			Thematiques: []string{"sante--addictions", "sante--sante-mentale"}, Publics: []string{"jeunes", "femmes"},
			ZoneEligibilite: []string{"90", "2A"}, ModesAccueil: []string{"a-distance", "en-presentiel"},
			Latitude: &lat, Longitude: &lon, NombreSemaines: &weeks,
		},
		{Nom: "=Nom", ID: "dora--2", Source: "dora", StructureID: "dora--s", Description: "Une autre.", DateMaj: "2025-02-15"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestReadServicesCSVErrors(t *testing.T) {
	const header = "source,structure_id,id,nom,description,date_maj"
	tests := []struct {
		name       string
		text       string
		wantFields []string
	}{
		{"empty file", "", nil},
		{"missing required columns", "source,id,nom,thematiques\ndora,dora--1,Aide,\n", []string{"colonne date_maj", "colonne description", "colonne structure_id"}},
		{"a column twice", header + ",nom\n", []string{"colonne nom"}},
		{"bad cells, line and column", header + ",latitude,thematiques,nombre_semaines\n" +
			"dora,dora--s,dora--1,Aide,Une description.,2025-02-14,47.6,a,3\n" +
			"dora,dora--s,dora--2,Aide,\"Sur deux\nlignes.\",2025-02-14,nord,\"[\"\"a\"\",]\",2.5\n" +
			"dora,dora--s,dora--3,Aide,Une description.,2025-02-14,NaN,\"{a,\"\"b}\",x\n",
			[]string{"ligne 3, colonne latitude", "ligne 3, colonne thematiques", "ligne 3, colonne nombre_semaines",
				"ligne 5, colonne latitude", "ligne 5, colonne thematiques", "ligne 5, colonne nombre_semaines"}},
		{"quote not closed", header + "\ndora,dora--s,dora--1,\"Aide,x,2025-02-14\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := ReadServicesCSV(strings.NewReader(tt.text))
			if err == nil {
				t.Fatalf("got %d services and no error", len(items))
			}
			if got := problemFields(t, err); !slices.Equal(got, tt.wantFields) {
				t.Errorf("fields = %q, want %q\n%v", got, tt.wantFields, err)
			}
		})
	}
}

func TestReadServicesCSVMessage(t *testing.T) {
	text := "source,structure_id,id,nom,description,date_maj,latitude\n\ndora,dora--s,dora--1,Aide,Une description.,2025-02-14,47°38'\n"
	_, err := ReadServicesCSV(strings.NewReader(text))
	want := "ligne 3, colonne latitude : Nombre attendu, avec un point décimal (par exemple 47.6383), et non « 47°38' »."
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want it to hold %q", err, want)
	}
}

func TestReadCSVErrorLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("source,structure_id,id,nom,description,date_maj,latitude\n")
	for range MaxCSVErrors + 10 {
		b.WriteString("dora,dora--s,dora--1,Aide,Une description.,2025-02-14,nord\n")
	}
	_, err := ReadServicesCSV(strings.NewReader(b.String()))
	var p *problem.Error
	if !errors.As(err, &p) || len(p.Fields) != MaxCSVErrors {
		t.Errorf("error = %v, want %d field messages", err, MaxCSVErrors)
	}
}

func TestReadStructuresCSVRequired(t *testing.T) {
	_, err := ReadStructuresCSV(strings.NewReader("source,id,nom\ndora,dora--1,Mairie\n"))
	if got, want := problemFields(t, err), []string{"colonne date_maj"}; !slices.Equal(got, want) {
		t.Errorf("fields = %q, want %q", got, want)
	}
}

func TestParseCSVList(t *testing.T) {
	tests := []struct {
		cell    string
		want    []string
		wantErr bool
	}{
		{"", nil, false},
		{"a", []string{"a"}, false},
		{"a,b", []string{"a", "b"}, false},
		{" a , b ,", []string{"a", "b"}, false},
		{"a|b", []string{"a", "b"}, false},
		{`["a","b"]`, []string{"a", "b"}, false},
		{`[]`, nil, false},
		{`["a",1]`, nil, true},
		{`["a"`, []string{`["a"`}, false}, // not a JSON array: one value
		{"{a,b}", []string{"a", "b"}, false},
		{`{"a b","c,d","e\"f",NULL,null}`, []string{"a b", "c,d", `e"f`}, false},
		{`{"NULL"}`, []string{"NULL"}, false},
		{"{}", nil, false},
		{`{"a}`, nil, true},
		{`{"a"b}`, nil, true},
		{`{a"b}`, nil, true},
		{"{{a},{b}}", nil, true},
	}
	for _, tt := range tests {
		got, msg := parseCSVList(tt.cell)
		if (msg != "") != tt.wantErr || !slices.Equal(got, tt.want) {
			t.Errorf("parseCSVList(%q) = %q, %q; want %q, error %v", tt.cell, got, msg, tt.want, tt.wantErr)
		}
	}
}
