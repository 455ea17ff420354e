package directory

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
)

// loadRef returns the referential, failing the test when it cannot load.
func loadRef(t testing.TB) *referential.Referential {
	t.Helper()
	ref, err := referential.Load()
	if err != nil {
		t.Fatalf("referential.Load: %v", err)
	}
	return ref
}

// testNow is the "now" of the validation tests, after every date_maj of
// the fixtures.
var testNow = time.Date(2026, 5, 4, 10, 0, 0, 0, parisZone)

// parisDay returns midnight in Europe/Paris of a day, as Service() gives
// UpdatedAt back.
func parisDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, parisZone) }

// fullService is a service imported from data·inclusion with every field of
// the schema filled.
func fullService() Service {
	return Service{
		Source:              "dora",
		ExternalID:          "dora--AidantsConnect:2024-47BXY",
		Name:                "Atelier insertion et posture professionnelle",
		Description:         "Un atelier de deux heures pour préparer un entretien d'embauche : présentation, posture, questions difficiles.\nSur inscription.",
		Type:                "atelier",
		Thematiques:         []string{"preparer-sa-candidature--valoriser-ses-competences", "trouver-un-emploi--convaincre-un-recruteur-en-entretien"},
		Fees:                "payant",
		FeesDetails:         "10 € pour l'adhésion annuelle, gratuit pour les bénéficiaires du RSA",
		Publics:             []string{"beneficiaires-des-minimas-sociaux", "demandeurs-emploi"},
		PublicsDetails:      "Personnes inscrites à France Travail",
		AccessConditions:    "Maîtrise de la langue française à l'oral",
		CommuneINSEE:        "90010",
		PostalCode:          "90000",
		Address:             "12 rue de la République",
		AddressComplement:   "2e étage, porte B",
		Lat:                 47.6383,
		Lon:                 6.8627,
		Phone:               "+33384000000",
		Email:               "atelier@exemple-association.fr",
		ContactName:         "Camille Martin",
		ReceptionModes:      []string{"a-distance", "en-presentiel"},
		EligibilityZone:     []string{"200069052", "90", "90010"},
		MobilisationLink:    "https://exemple-association.fr/inscription?atelier=posture",
		MobilisationModes:   []string{"envoyer-un-courriel", "telephoner", "utiliser-lien-mobilisation"},
		MobilisableBy:       []string{"professionnels", "usagers"},
		MobilisationDetails: "Inscription en ligne ou par téléphone, au plus tard la veille.",
		WeeklyHours:         2.5,
		Weeks:               6,
		OpeningHours:        "Mo-Fr 08:30-12:30; PH off",
		SourceLink:          "https://dora.inclusion.beta.gouv.fr/services/atelier-posture",
		UpdatedAt:           parisDay(2026, 3, 31),
	}
}

// fullStructure is a structure imported from data·inclusion with every
// field of the schema filled.
func fullStructure() Structure {
	return Structure{
		Source:            "dora",
		ExternalID:        "dora--42",
		Name:              "Centre social Le Tournesol",
		Description:       "Centre social du quartier des Résidences : accueil, ateliers, aide aux démarches.",
		SIRET:             "13003013300016",
		CommuneINSEE:      "90010",
		PostalCode:        "90000",
		Address:           "4 avenue Jean Jaurès",
		AddressComplement: "Bâtiment C",
		Lat:               47.6312,
		Lon:               6.8571,
		Phone:             "03 84 00 00 00",
		Email:             "accueil@tournesol.example.org",
		Website:           "https://tournesol.example.org",
		OpeningHours:      "Mo-Fr 09:00-12:00,14:00-17:30",
		AccessibilityLink: "https://acceslibre.beta.gouv.fr/app/90-belfort/a/centre-social/erp/tournesol/",
		SourceLink:        "https://dora.inclusion.beta.gouv.fr/structures/tournesol",
		Networks:          []string{"ccas-cias", "fcsf"},
		UpdatedAt:         parisDay(2025, 11, 19),
	}
}

// schemaOnly returns s without the fields the data·inclusion format does
// not carry, as a round trip gives it back.
func schemaOnly(s Service) Service {
	s.ID, s.TerritoryID, s.StructureID, s.StructureName = 0, 0, 0, ""
	s.Status, s.CreatedAt = "", time.Time{}
	return s
}

// sameService reports whether two services hold the same values, dates
// compared as instants.
func sameService(a, b Service) bool {
	if !a.UpdatedAt.Equal(b.UpdatedAt) {
		return false
	}
	a.UpdatedAt, b.UpdatedAt = time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}

func TestExportServiceIDs(t *testing.T) {
	own := fullService()
	own.ID, own.Source, own.ExternalID = 12, "", ""
	tests := []struct {
		name           string
		s              Service
		wantSource     string
		wantID         string
		wantStructure  string
		wantDate       string
		wantCoords     bool
		wantHoursWeeks bool
	}{
		{"created here", own, "parcours-90", "parcours-90--12", "parcours-90--structure-3", "2026-03-31", true, true},
		{"imported", fullService(), "dora", "dora--AidantsConnect:2024-47BXY", "parcours-90--structure-3", "2026-03-31", true, true},
		{"source without id is ours", Service{ID: 5, Source: "dora", UpdatedAt: parisDay(2025, 1, 2)}, "parcours-90", "parcours-90--5", "parcours-90--structure-3", "2025-01-02", false, false},
		// 22:30 UTC on 30 June is 0:30 on 1 July in Paris.
		{"date in Paris", Service{ID: 6, UpdatedAt: time.Date(2025, 6, 30, 22, 30, 0, 0, time.UTC)}, "parcours-90", "parcours-90--6", "parcours-90--structure-3", "2025-07-01", false, false},
		{"created date when never updated", Service{ID: 7, CreatedAt: time.Date(2024, 2, 29, 9, 0, 0, 0, time.UTC)}, "parcours-90", "parcours-90--7", "parcours-90--structure-3", "2024-02-29", false, false},
		{"no date", Service{ID: 8}, "parcours-90", "parcours-90--8", "parcours-90--structure-3", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ExportService(tt.s, "parcours-90", "parcours-90--structure-3")
			if d.Source != tt.wantSource || d.ID != tt.wantID || d.StructureID != tt.wantStructure || d.DateMaj != tt.wantDate {
				t.Errorf("source, id, structure_id, date_maj = %q, %q, %q, %q; want %q, %q, %q, %q",
					d.Source, d.ID, d.StructureID, d.DateMaj, tt.wantSource, tt.wantID, tt.wantStructure, tt.wantDate)
			}
			if got := d.Latitude != nil && d.Longitude != nil; got != tt.wantCoords {
				t.Errorf("coordinates present = %v, want %v", got, tt.wantCoords)
			}
			if got := d.VolumeHoraireHebdomadaire != nil && d.NombreSemaines != nil; got != tt.wantHoursWeeks {
				t.Errorf("volume_horaire_hebdomadaire and nombre_semaines present = %v, want %v", got, tt.wantHoursWeeks)
			}
		})
	}
}

func TestExportServiceLeavesOutAbsentValues(t *testing.T) {
	s := Service{ID: 1, Name: "Aide alimentaire", Description: "Colis alimentaires chaque semaine.", UpdatedAt: parisDay(2025, 2, 14)}
	b, err := json.Marshal(ExportService(s, "parcours-90", "parcours-90--structure-1"))
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	want := `{"source":"parcours-90","structure_id":"parcours-90--structure-1","id":"parcours-90--1","nom":"Aide alimentaire","description":"Colis alimentaires chaque semaine.","date_maj":"2025-02-14"}`
	if got != want {
		t.Errorf("JSON =\n%s\nwant\n%s", got, want)
	}
}

func TestExportServiceSharesNoList(t *testing.T) {
	s := fullService()
	d := ExportService(s, "parcours-90", "x")
	d.Thematiques[0] = "changed"
	if s.Thematiques[0] == "changed" {
		t.Error("changing the exported thematiques changed the service's")
	}
}

func TestExportStructureIDs(t *testing.T) {
	own := fullStructure()
	own.ID, own.Source, own.ExternalID = 7, "", ""
	tests := []struct {
		name       string
		st         Structure
		wantSource string
		wantID     string
	}{
		{"created here", own, "parcours-2A", "parcours-2A--structure-7"},
		{"imported", fullStructure(), "dora", "dora--42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ExportStructure(tt.st, "parcours-2A")
			if d.Source != tt.wantSource || d.ID != tt.wantID {
				t.Errorf("source, id = %q, %q; want %q, %q", d.Source, d.ID, tt.wantSource, tt.wantID)
			}
			if d.DateMaj != "2025-11-19" {
				t.Errorf("date_maj = %q, want 2025-11-19", d.DateMaj)
			}
		})
	}
}

func TestServiceRoundTrip(t *testing.T) {
	own := fullService()
	own.ID, own.TerritoryID, own.StructureID, own.StructureName = 12, 1, 3, "Centre social Le Tournesol"
	own.Source, own.ExternalID, own.Status, own.CreatedAt = "", "", StatusPublished, parisDay(2025, 1, 1)
	ownWant := schemaOnly(own)
	ownWant.Source, ownWant.ExternalID = "parcours-90", "parcours-90--12"

	remote := Service{
		Source: "france-travail", ExternalID: "france-travail--ccas-2024-01-01",
		Name: "Aide à la création de CV en ligne", Description: "Un conseiller vous aide à écrire votre CV, par visioconférence.",
		Thematiques: []string{"preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"}, Fees: "gratuit",
		ReceptionModes: []string{"a-distance"}, EligibilityZone: []string{"france"}, MobilisationLink: "https://francetravail.fr/cv",
		UpdatedAt: parisDay(2025, 2, 14),
	}
	southWest := Service{
		Source: "soliguide", ExternalID: "soliguide--7", Name: "Douches et laverie", Description: "Accès aux douches.",
		Lat: 43.2965, Lon: -0.3708, WeeklyHours: 0.25, Weeks: 1, UpdatedAt: parisDay(2000, 1, 1),
	}

	tests := []struct {
		name string
		s    Service
		want Service
	}{
		{"every field, imported", fullService(), fullService()},
		{"every field, created here", own, ownWant},
		{"remote only", remote, remote},
		{"negative longitude, small numbers", southWest, southWest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal([]DIService{ExportService(tt.s, "parcours-90", "parcours-90--structure-3")})
			if err != nil {
				t.Fatal(err)
			}
			items, err := ImportServices(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("ImportServices: %v", err)
			}
			if len(items) != 1 {
				t.Fatalf("got %d services, want 1", len(items))
			}
			if items[0].StructureID != "parcours-90--structure-3" {
				t.Errorf("structure_id = %q, want parcours-90--structure-3", items[0].StructureID)
			}
			if got := items[0].Service(); !sameService(got, tt.want) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestStructureRoundTrip(t *testing.T) {
	own := fullStructure()
	own.ID, own.TerritoryID, own.Kind, own.Member, own.Source, own.ExternalID = 7, 1, "association", true, "", ""
	ownWant := fullStructure()
	ownWant.Source, ownWant.ExternalID = "parcours-90", "parcours-90--structure-7"
	minimal := Structure{Source: "dora", ExternalID: "dora--1", Name: "Mairie", UpdatedAt: parisDay(2024, 12, 31)}

	tests := []struct {
		name string
		st   Structure
		want Structure
	}{
		{"every field, imported", fullStructure(), fullStructure()},
		{"every field, created here", own, ownWant},
		{"minimal", minimal, minimal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal([]DIStructure{ExportStructure(tt.st, "parcours-90")})
			if err != nil {
				t.Fatal(err)
			}
			items, err := ImportStructures(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("ImportStructures: %v", err)
			}
			if len(items) != 1 {
				t.Fatalf("got %d structures, want 1", len(items))
			}
			got := items[0].Structure()
			if !got.UpdatedAt.Equal(tt.want.UpdatedAt) {
				t.Errorf("UpdatedAt = %v, want %v", got.UpdatedAt, tt.want.UpdatedAt)
			}
			got.UpdatedAt, tt.want.UpdatedAt = time.Time{}, time.Time{}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// problemFields returns the field names of a problem.Invalid error, failing
// the test for any other error.
func problemFields(t *testing.T, err error) []string {
	t.Helper()
	p, ok := problem.As(err)
	if !ok || p.Kind != problem.Invalid {
		t.Fatalf("error %v (%T) is not a problem.Invalid", err, err)
	}
	if p.Detail == "" {
		t.Errorf("error %v has no French detail", err)
	}
	var names []string
	for _, f := range p.Fields {
		names = append(names, f.Field)
	}
	return names
}

func TestImportServices(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		wantNoms   []string
		wantErr    bool
		wantFields []string // with wantErr
	}{
		{"empty array", `[]`, nil, false, nil},
		{"byte order mark and white space", "\ufeff \n[ {\"nom\":\"Aide\"} ]\n", []string{"Aide"}, false, nil},
		{"unknown fields and nulls", `[{"nom":"Aide","score_qualite":0.8,"extra":{"a":[1]},"telephone":null,"thematiques":null,"latitude":null}]`, []string{"Aide"}, false, nil},
		{"two services", `[{"nom":"A"},{"nom":"B"}]`, []string{"A", "B"}, false, nil},
		{"empty body", ``, nil, true, nil},
		{"an object", `{"nom":"Aide"}`, nil, true, nil},
		{"a string", `"services"`, nil, true, nil},
		{"an element that is a number", `[{"nom":"A"},3]`, nil, true, []string{"[1]"}},
		{"an element that is null", `[null]`, nil, true, []string{"[0]"}},
		{"an element that is an array", `[[{"nom":"A"}]]`, nil, true, []string{"[0]"}},
		{"a list that is text", `[{"nom":"A"},{"thematiques":"sante--addictions"}]`, nil, true, []string{"[1].thematiques"}},
		{"a list of numbers", `[{"zone_eligibilite":[90]}]`, nil, true, []string{"[0].zone_eligibilite"}},
		{"a name that is a number", `[{"nom":3}]`, nil, true, []string{"[0].nom"}},
		{"weeks that are not whole", `[{"nombre_semaines":2.5}]`, nil, true, []string{"[0].nombre_semaines"}},
		{"a latitude in text", `[{"latitude":"47.6"}]`, nil, true, []string{"[0].latitude"}},
		{"not closed", `[{"nom":"A"}`, nil, true, nil},
		{"bad JSON", `[{"nom":"A"},]`, nil, true, nil},
		{"missing comma", `[{"nom":"A"} {"nom":"B"}]`, nil, true, nil},
		{"something after the array", `[{"nom":"A"}] []`, nil, true, nil},
		{"garbage after the array", `[{"nom":"A"}] x`, nil, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := ImportServices(strings.NewReader(tt.body))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("got %d services and no error, want an error", len(items))
				}
				if got := problemFields(t, err); !slices.Equal(got, tt.wantFields) {
					t.Errorf("fields = %q, want %q (error %v)", got, tt.wantFields, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ImportServices: %v", err)
			}
			var noms []string
			for _, d := range items {
				noms = append(noms, d.Nom)
			}
			if !slices.Equal(noms, tt.wantNoms) {
				t.Errorf("noms = %q, want %q", noms, tt.wantNoms)
			}
		})
	}
}

func TestImportStructuresTypeError(t *testing.T) {
	_, err := ImportStructures(strings.NewReader(`[{"id":"a--1"},{"reseaux_porteurs":{"a":1}}]`))
	if got, want := problemFields(t, err), []string{"[1].reseaux_porteurs"}; !slices.Equal(got, want) {
		t.Errorf("fields = %q, want %q", got, want)
	}
	p, _ := problem.As(err)
	if got, want := p.Fields[0].Message, "Ce champ doit contenir une liste de textes."; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}

func TestImportServicesCountLimit(t *testing.T) {
	body := "[" + strings.Repeat("{},", MaxDIItems) + "{}]"
	_, err := ImportServices(strings.NewReader(body))
	problemFields(t, err)
	items, err := ImportServices(strings.NewReader("[" + strings.Repeat("{},", MaxDIItems-1) + "{}]"))
	if err != nil || len(items) != MaxDIItems {
		t.Errorf("%d services: got %d, %v; want them all", MaxDIItems, len(items), err)
	}
}

func TestImportReadError(t *testing.T) {
	cause := errors.New("connection reset")
	_, err := ImportServices(io.MultiReader(strings.NewReader(`[{"nom":"A"},`), iotest.ErrReader(cause)))
	if !errors.Is(err, cause) || problem.KindOf(err) != problem.Internal {
		t.Errorf("error = %v, want the read error, internal", err)
	}
}

func TestDILimitReader(t *testing.T) {
	tests := []struct {
		size    int
		wantErr bool
	}{
		{0, false}, {9, false}, {10, false}, {11, true}, {1000, true},
	}
	for _, tt := range tests {
		lr := &diLimitReader{r: strings.NewReader(strings.Repeat("x", tt.size)), n: 10}
		b, err := io.ReadAll(iotest.OneByteReader(lr))
		if gotErr := errors.Is(err, errDITooLarge); gotErr != tt.wantErr {
			t.Errorf("%d bytes, limit 10: error %v, want too large %v", tt.size, err, tt.wantErr)
		}
		if !tt.wantErr && len(b) != tt.size {
			t.Errorf("%d bytes, limit 10: read %d", tt.size, len(b))
		}
	}
	if _, err := ImportServices(iotest.ErrReader(errDITooLarge)); problem.KindOf(err) != problem.Invalid {
		t.Errorf("a file over the limit: error %v, want problem.Invalid", err)
	}
}

// validDI returns the export of fullService, which ValidateDIServices
// accepts.
func validDI() DIService {
	return ExportService(fullService(), "parcours-90", "parcours-90--structure-3")
}

func TestValidateDIServices(t *testing.T) {
	ref := loadRef(t)
	with := func(f func(d *DIService)) DIService {
		d := validDI()
		f(&d)
		return d
	}
	tests := []struct {
		name  string
		items []DIService
		want  []string
	}{
		{"valid", []DIService{validDI()}, nil},
		{"valid, minimal", []DIService{{Source: "dora", StructureID: "dora--1", ID: "dora--2", Nom: "Aide", Description: "Aide alimentaire.", DateMaj: "2025-02-14", Thematiques: []string{"equipement-et-alimentation--alimentation"}}}, nil},
		{"valid, untrimmed and unsorted lists", []DIService{with(func(d *DIService) {
			d.Thematiques = []string{" sante--addictions ", "famille--garde-denfants", "sante--addictions"}
		})}, nil},
		{"required values missing", []DIService{validDI(), with(func(d *DIService) { d.Source, d.ID, d.StructureID, d.DateMaj = "", " ", "", "" })},
			[]string{"[1].source", "[1].id", "[1].structure_id", "[1].date_maj"}},
		{"missing nom", []DIService{with(func(d *DIService) { d.Nom = "" })}, []string{"[0].nom"}},
		{"date in French", []DIService{with(func(d *DIService) { d.DateMaj = "14/02/2025" })}, []string{"[0].date_maj"}},
		{"date and time", []DIService{with(func(d *DIService) { d.DateMaj = "2025-02-14T10:00:00Z" })}, []string{"[0].date_maj"}},
		{"31 February", []DIService{with(func(d *DIService) { d.DateMaj = "2025-02-31" })}, []string{"[0].date_maj"}},
		{"date in the future", []DIService{with(func(d *DIService) { d.DateMaj = "2027-01-01" })}, []string{"[0].date_maj"}},
		{"date of the last century", []DIService{with(func(d *DIService) { d.DateMaj = "1999-12-31" })}, []string{"[0].date_maj"}},
		{"zero weeks", []DIService{with(func(d *DIService) { zero := 0; d.NombreSemaines = &zero })}, []string{"[0].nombre_semaines"}},
		{"negative weeks", []DIService{with(func(d *DIService) { n := -2; d.NombreSemaines = &n })}, []string{"[0].nombre_semaines"}},
		{"negative hours", []DIService{with(func(d *DIService) { h := -1.0; d.VolumeHoraireHebdomadaire = &h })}, []string{"[0].volume_horaire_hebdomadaire"}},
		// The file's order, not the sorted one: "inconnue" sorts first.
		{"unknown thématique, index in the file", []DIService{validDI(), validDI(), validDI(), with(func(d *DIService) {
			d.ID = "dora--4"
			d.Thematiques = []string{"sante--addictions", "inconnue"}
		})}, []string{"[1].id", "[2].id", "[3].thematiques[1]"}},
		{"unknown codes in every list", []DIService{with(func(d *DIService) {
			d.Type, d.Frais = "stage", "sur-devis"
			d.Publics = []string{"jeunes", "martiens"}
			d.ModesAccueil = []string{"par-pigeon"}
			d.ZoneEligibilite = []string{"france", "9X"}
			d.ModesMobilisation = []string{"telepathie"}
			d.MobilisablePar = []string{"usagers", "robots"}
		})}, []string{"[0].type", "[0].frais", "[0].publics[1]", "[0].modes_accueil[0]", "[0].zone_eligibilite[1]", "[0].modes_mobilisation[0]", "[0].mobilisable_par[1]"}},
		{"bad email and link", []DIService{with(func(d *DIService) { d.Courriel, d.LienMobilisation = "accueil@", "ftp://exemple.fr" })}, []string{"[0].courriel", "[0].lien_mobilisation"}},
		{"same id in another source", []DIService{validDI(), with(func(d *DIService) { d.Source = "cd90" })}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := ValidateDIServices(tt.items, ref, testNow)
			var got []string
			for _, f := range fs {
				got = append(got, f.Field)
				if f.Message == "" {
					t.Errorf("%s: empty message", f.Field)
				}
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tt.want))
			if !slices.Equal(got, want) {
				t.Errorf("fields = %q, want %q\n%v", got, want, fs)
			}
		})
	}
}

func TestValidateDIStructures(t *testing.T) {
	ref := loadRef(t)
	valid := ExportStructure(fullStructure(), "parcours-90")
	with := func(f func(d *DIStructure)) DIStructure {
		d := valid
		f(&d)
		return d
	}
	tests := []struct {
		name  string
		items []DIStructure
		want  []string
	}{
		{"valid", []DIStructure{valid}, nil},
		{"valid, minimal", []DIStructure{{Source: "dora", ID: "dora--1", Nom: "Mairie", DateMaj: "2025-02-14"}}, nil},
		{"required values missing", []DIStructure{with(func(d *DIStructure) { d.Source, d.ID, d.Nom, d.DateMaj = "", "", "", "" })},
			[]string{"[0].source", "[0].id", "[0].nom", "[0].date_maj"}},
		{"bad date", []DIStructure{with(func(d *DIStructure) { d.DateMaj = "2025-13-01" })}, []string{"[0].date_maj"}},
		{"future date", []DIStructure{with(func(d *DIStructure) { d.DateMaj = "2030-01-01" })}, []string{"[0].date_maj"}},
		{"duplicate", []DIStructure{valid, valid}, []string{"[1].id"}},
		{"unknown network, index in the file", []DIStructure{with(func(d *DIStructure) { d.ReseauxPorteurs = []string{"mdph", "aaa-inconnu"} })}, []string{"[0].reseaux_porteurs[1]"}},
		{"bad SIRET and website", []DIStructure{with(func(d *DIStructure) { d.SIRET, d.SiteWeb = "130030133", "tournesol.org" })}, []string{"[0].siret", "[0].site_web"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range ValidateDIStructures(tt.items, ref, testNow) {
				got = append(got, f.Field)
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tt.want))
			if !slices.Equal(got, want) {
				t.Errorf("fields = %q, want %q", got, want)
			}
		})
	}
}

func TestFileIndex(t *testing.T) {
	lists := map[string][2][]string{"thematiques": {{"b", " a ", "c", "a"}, {"a", "b", "c"}}}
	tests := []struct{ field, want string }{
		{"thematiques[0]", "thematiques[1]"},
		{"thematiques[1]", "thematiques[0]"},
		{"thematiques[2]", "thematiques[2]"},
		{"thematiques[9]", "thematiques[9]"},
		{"thematiques", "thematiques"},
		{"publics[0]", "publics[0]"},
		{"nom", "nom"},
	}
	for _, tt := range tests {
		if got := fileIndex(tt.field, lists); got != tt.want {
			t.Errorf("fileIndex(%q) = %q, want %q", tt.field, got, tt.want)
		}
	}
}
