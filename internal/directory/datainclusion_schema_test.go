package directory

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaDir holds the official JSON Schemas of data·inclusion v1, copied
// unchanged (see SOURCE.md there).
const schemaDir = "testdata/datainclusion/v1"

// diSchemas compiles the schemas of the two kinds, "service" and
// "structure", once, with the formats (date, email, uri) asserted rather
// than only annotated.
var diSchemas = sync.OnceValues(func() (map[string]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	out := make(map[string]*jsonschema.Schema, 2)
	for _, kind := range []string{"service", "structure"} {
		sch, err := c.Compile(filepath.Join(schemaDir, kind+".json"))
		if err != nil {
			return nil, fmt.Errorf("compile %s schema: %w", kind, err)
		}
		out[kind] = sch
	}
	return out, nil
})

// schemaErr validates v, marshalled to JSON, against the data·inclusion
// schema of kind ("service" or "structure"). A JSON array is validated item
// by item, so that a whole export can be checked.
func schemaErr(kind string, v any) error {
	schemas, err := diSchemas()
	if err != nil {
		return err
	}
	sch, ok := schemas[kind]
	if !ok {
		return fmt.Errorf("no data·inclusion schema of kind %q", kind)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	items, isList := inst.([]any)
	if !isList {
		return sch.Validate(inst)
	}
	for i, item := range items {
		if err := sch.Validate(item); err != nil {
			return fmt.Errorf("[%d]: %w", i, err)
		}
	}
	return nil
}

// validateAgainstSchema fails the test unless v, a DIService, a DIStructure
// or anything that marshals to the same JSON (a list of them too), is valid
// against the official data·inclusion schema of kind, "service" or
// "structure". The store and web tests of exports can call it.
func validateAgainstSchema(t testing.TB, kind string, v any) {
	t.Helper()
	if err := schemaErr(kind, v); err != nil {
		b, _ := json.MarshalIndent(v, "", "  ")
		t.Errorf("not a valid data·inclusion %s: %v\n%s", kind, err, b)
	}
}

func TestServiceExportsValidateAgainstSchema(t *testing.T) {
	ref := loadRef(t)
	own := fullService()
	own.ID, own.Source, own.ExternalID, own.Status = 12, "", "", StatusPublished
	remote := Service{
		ID: 13, Name: "Permanence numérique en visio", Description: "Aide aux démarches en ligne par visioconférence.",
		Type: "accompagnement", Thematiques: []string{"numerique--acceder-a-des-services-en-ligne"}, Fees: "gratuit",
		Publics: []string{"tous-publics"}, ReceptionModes: []string{"a-distance"}, EligibilityZone: []string{"france"},
		MobilisationLink: "https://rdv.exemple.gouv.fr/permanence", MobilisationModes: []string{"utiliser-lien-mobilisation"},
		MobilisableBy: []string{"usagers"}, UpdatedAt: parisDay(2026, 1, 5),
	}
	commune := Service{
		ID: 14, Name: "Épicerie solidaire", Description: "Produits à 10 % du prix, sur orientation d'un travailleur social.",
		Type: "aide-materielle", Thematiques: []string{"equipement-et-alimentation--alimentation"}, Fees: "payant",
		FeesDetails: "10 % du prix en magasin", CommuneINSEE: "90010", Address: "3 place d'Armes", PostalCode: "90000",
		EligibilityZone: []string{"90010"}, ReceptionModes: []string{"en-presentiel"}, Phone: "03 84 00 00 01",
		MobilisationModes: []string{"se-presenter", "telephoner"}, MobilisableBy: []string{"professionnels"},
		MobilisationDetails: "Sur fiche d'orientation du CCAS.", OpeningHours: "Tu,Th 14:00-18:00", UpdatedAt: parisDay(2025, 9, 1),
	}
	departement := Service{
		ID: 15, Name: "Aide au permis de conduire", Description: "Financement d'une partie du permis B pour les jeunes en insertion.",
		Type: "aide-financiere", Thematiques: []string{"mobilite--preparer-un-permis", "mobilite--financer-ma-mobilite"},
		Publics: []string{"jeunes"}, PublicsDetails: "De 18 à 25 ans", EligibilityZone: []string{"2A", "2B", "200093201"},
		Email: "mobilite@exemple.fr", AccessConditions: "Être suivi par la mission locale", UpdatedAt: parisDay(2024, 5, 31),
	}
	training := Service{
		ID: 16, Name: "Remise à niveau en français, etc.", Description: "Formation collective de 12 semaines.",
		Type: "formation", Thematiques: []string{"lecture-ecriture-calcul--maitriser-le-francais"},
		WeeklyHours: 17.5, Weeks: 12, EligibilityZone: []string{"99100"}, Lat: -21.1151, Lon: 55.5364,
		CommuneINSEE: "97411", UpdatedAt: parisDay(2026, 4, 30),
	}
	tests := []struct {
		name string
		s    Service
	}{
		{"every field, imported", fullService()},
		{"every field, created here", own},
		{"minimal", Service{ID: 1, Name: "Aide", Description: "Aide alimentaire.", Thematiques: []string{"equipement-et-alimentation--alimentation"}, UpdatedAt: parisDay(2025, 2, 14)}},
		{"remote only, zone france", remote},
		{"zone of a commune, payant with précisions", commune},
		{"zone of départements and an EPCI", departement},
		{"hours and weeks, overseas, country code", training},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ExportService(tt.s, "parcours-90", "parcours-90--structure-3")
			validateAgainstSchema(t, "service", d)
			if fs := ValidateDIServices([]DIService{d}, ref, testNow); len(fs) > 0 {
				t.Errorf("ValidateDIServices: %v", fs)
			}
		})
	}
	var all []DIService
	for _, tt := range tests {
		all = append(all, ExportService(tt.s, "parcours-90", "parcours-90--structure-3"))
	}
	validateAgainstSchema(t, "service", all)
}

func TestStructureExportsValidateAgainstSchema(t *testing.T) {
	ref := loadRef(t)
	own := fullStructure()
	own.ID, own.Source, own.ExternalID = 7, "", ""
	tests := []struct {
		name string
		st   Structure
	}{
		{"every field, imported", fullStructure()},
		{"every field, created here", own},
		{"minimal", Structure{ID: 2, Name: "Mairie", UpdatedAt: parisDay(2025, 2, 14)}},
		{"a network only", Structure{ID: 3, Name: "Mission locale du Territoire", Networks: []string{"mission-locale"}, UpdatedAt: parisDay(2025, 2, 14)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ExportStructure(tt.st, "parcours-90")
			validateAgainstSchema(t, "structure", d)
			if fs := ValidateDIStructures([]DIStructure{d}, ref, testNow); len(fs) > 0 {
				t.Errorf("ValidateDIStructures: %v", fs)
			}
		})
	}
}

// asMap returns the JSON object v marshals to.
func asMap(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSchemaRejects proves that the schema check can fail, and that
// ValidateDIServices and ValidateDIStructures refuse what the schema
// refuses.
func TestSchemaRejects(t *testing.T) {
	ref := loadRef(t)
	tests := []struct {
		name   string
		kind   string
		change func(m map[string]any)
	}{
		{"service without nom", "service", func(m map[string]any) { delete(m, "nom") }},
		{"service without structure_id", "service", func(m map[string]any) { delete(m, "structure_id") }},
		{"service with a short nom", "service", func(m map[string]any) { m["nom"] = "AB" }},
		{"unknown thématique", "service", func(m map[string]any) { m["thematiques"] = []string{"sante--addictions", "bien-etre"} }},
		{"unknown type", "service", func(m map[string]any) { m["type"] = "stage" }},
		{"date in French", "service", func(m map[string]any) { m["date_maj"] = "14/02/2025" }},
		{"31 February", "service", func(m map[string]any) { m["date_maj"] = "2025-02-31" }},
		{"bad email", "service", func(m map[string]any) { m["courriel"] = "accueil@@exemple.fr" }},
		{"relative link", "service", func(m map[string]any) { m["lien_source"] = "dora.inclusion.beta.gouv.fr/services/1" }},
		{"zero weeks", "service", func(m map[string]any) { m["nombre_semaines"] = 0 }},
		{"negative hours", "service", func(m map[string]any) { m["volume_horaire_hebdomadaire"] = -1 }},
		{"bad postal code", "service", func(m map[string]any) { m["code_postal"] = "9000" }},
		{"zone of a region code", "service", func(m map[string]any) { m["zone_eligibilite"] = []string{"2"} }},
		{"structure without id", "structure", func(m map[string]any) { delete(m, "id") }},
		{"structure with a short SIRET", "structure", func(m map[string]any) { m["siret"] = "130030133" }},
		{"unknown network", "structure", func(m map[string]any) { m["reseaux_porteurs"] = []string{"ordre-des-druides"} }},
		{"structure with a bad date", "structure", func(m map[string]any) { m["date_maj"] = "2025-2-14" }},
		{"structure website without scheme", "structure", func(m map[string]any) { m["site_web"] = "www.exemple.fr" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m map[string]any
			if tt.kind == "service" {
				m = asMap(t, validDI())
			} else {
				m = asMap(t, ExportStructure(fullStructure(), "parcours-90"))
			}
			if err := schemaErr(tt.kind, m); err != nil {
				t.Fatalf("the valid %s is refused: %v", tt.kind, err)
			}
			tt.change(m)
			if schemaErr(tt.kind, m) == nil {
				t.Errorf("the schema accepts %v", m)
			}
			b, err := json.Marshal([]any{m})
			if err != nil {
				t.Fatal(err)
			}
			if tt.kind == "service" {
				items, err := ImportServices(bytes.NewReader(b))
				if err != nil {
					t.Fatal(err)
				}
				if len(ValidateDIServices(items, ref, testNow)) == 0 {
					t.Error("ValidateDIServices accepts what the schema refuses")
				}
			} else {
				items, err := ImportStructures(bytes.NewReader(b))
				if err != nil {
					t.Fatal(err)
				}
				if len(ValidateDIStructures(items, ref, testNow)) == 0 {
					t.Error("ValidateDIStructures accepts what the schema refuses")
				}
			}
		})
	}
}

// schemaFile is the part of a schema file the tests below read.
type schemaFile struct {
	Defs       map[string]struct{ Enum []string } `json:"$defs"`
	Properties map[string]json.RawMessage         `json:"properties"`
	Required   []string                           `json:"required"`
	order      []string                           // the names of Properties, in the file's order
}

// readSchema reads the schema of kind.
func readSchema(t *testing.T, kind string) schemaFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(schemaDir, kind+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var s schemaFile
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	// The order of the properties, which a map loses: the keys of the
	// top-level "properties" object, skipping their values.
	dec := json.NewDecoder(bytes.NewReader(b))
	depth := 0
	inProps := false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
			continue
		case json.Delim('}'), json.Delim(']'):
			depth--
			if inProps && depth == 1 {
				inProps = false
			}
			continue
		}
		key, isString := tok.(string)
		switch {
		case depth == 1 && isString && key == "properties":
			inProps = true
		case inProps && depth == 2 && isString:
			s.order = append(s.order, key)
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				t.Fatal(err)
			}
		case depth == 1:
			var skip json.RawMessage // the value of another top-level key
			if err := dec.Decode(&skip); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(s.order) != len(s.Properties) {
		t.Fatalf("%s: read %d properties in order, %d in all", kind, len(s.order), len(s.Properties))
	}
	return s
}

// jsonFields returns the JSON names of the fields of the struct v, and
// those without omitempty.
func jsonFields(v any) (names, always []string) {
	rt := reflect.TypeOf(v)
	for i := range rt.NumField() {
		name, opts, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		names = append(names, name)
		if opts != "omitempty" {
			always = append(always, name)
		}
	}
	slices.Sort(names)
	slices.Sort(always)
	return names, always
}

func TestDITypesFollowSchema(t *testing.T) {
	tests := []struct {
		kind    string
		v       any
		columns []string
		reqCols []string
	}{
		{"service", DIService{}, columnNames(serviceColumns), requiredColumns(serviceColumns)},
		{"structure", DIStructure{}, columnNames(structureColumns), requiredColumns(structureColumns)},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			s := readSchema(t, tt.kind)
			props := slices.Sorted(slices.Values(s.order))
			required := slices.Sorted(slices.Values(s.Required))
			names, always := jsonFields(tt.v)
			if !slices.Equal(names, props) {
				t.Errorf("JSON fields = %q,\nschema properties = %q", names, props)
			}
			if !slices.Equal(always, required) {
				t.Errorf("fields without omitempty = %q, schema required = %q", always, required)
			}
			if !slices.Equal(tt.columns, s.order) {
				t.Errorf("CSV columns = %q,\nschema order = %q", tt.columns, s.order)
			}
			if got := slices.Sorted(slices.Values(tt.reqCols)); !slices.Equal(got, required) {
				t.Errorf("required CSV columns = %q, schema required = %q", got, required)
			}
		})
	}
}

// columnNames returns the names of cols.
func columnNames[T any](cols []csvColumn[T]) []string {
	var out []string
	for _, c := range cols {
		out = append(out, c.name)
	}
	return out
}

// requiredColumns returns the names of the required columns of cols.
func requiredColumns[T any](cols []csvColumn[T]) []string {
	var out []string
	for _, c := range cols {
		if c.required {
			out = append(out, c.name)
		}
	}
	return out
}

// TestReferentialFollowsSchema checks that the data·inclusion code lists of
// the referential, which Validate uses, are the enums of the schema.
func TestReferentialFollowsSchema(t *testing.T) {
	ref := loadRef(t)
	tests := []struct{ kind, def, list string }{
		{"service", "Thematique", "thematiques"},
		{"service", "TypeService", "types_de_services"},
		{"service", "Frais", "frais"},
		{"service", "Public", "publics"},
		{"service", "ModeAccueil", "modes_accueil"},
		{"service", "ModeMobilisation", "modes_mobilisation"},
		{"service", "PersonneMobilisatrice", "personnes_mobilisatrices"},
		{"structure", "ReseauPorteur", "reseaux_porteurs"},
	}
	for _, tt := range tests {
		t.Run(tt.list, func(t *testing.T) {
			def, ok := readSchema(t, tt.kind).Defs[tt.def]
			if !ok || len(def.Enum) == 0 {
				t.Fatalf("%s schema: no enum %s", tt.kind, tt.def)
			}
			var codes []string
			for _, c := range ref.DataInclusion(tt.list) {
				codes = append(codes, c.Code)
			}
			slices.Sort(codes)
			if want := slices.Sorted(slices.Values(def.Enum)); !slices.Equal(codes, want) {
				t.Errorf("referential %s = %q,\nschema %s = %q", tt.list, codes, tt.def, want)
			}
		})
	}
}
