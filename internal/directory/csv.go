package directory

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/spie-parcours/parcours/internal/importer"
	"github.com/spie-parcours/parcours/internal/problem"
)

// The CSV form of the data·inclusion format has one column per property of
// the schema, named after it, in the order of the schema's "properties"
// (alphabetical). A list is one cell, its values joined by ","; a number
// has a dot for decimal point. Files are written in UTF-8 without a byte
// order mark, cells separated by ",", lines ended by CRLF, every text cell
// neutralised by importer.NeutralizeCSV against formula injection. They are
// read by importer.ReadCSV, which also takes the ";" and tab separators,
// a byte order mark, and the Windows-1252 of French Excel.

// MaxCSVErrors is the number of cell errors a CSV import reports before it
// stops looking.
const MaxCSVErrors = 100

// csvColumn is a column of the CSV form of T: its property name, how to
// write the value of an item and how to set it from a cell.
type csvColumn[T any] struct {
	name     string
	required bool
	get      func(*T) string
	set      func(*T, string) string // the French message of a bad cell, or ""
}

// csvText is a column of text.
func csvText[T any](name string, required bool, f func(*T) *string) csvColumn[T] {
	return csvColumn[T]{
		name:     name,
		required: required,
		get:      func(v *T) string { return importer.NeutralizeCSV(*f(v)) },
		set:      func(v *T, c string) string { *f(v) = unneutralize(c); return "" },
	}
}

// csvList is a column of a list of codes.
func csvList[T any](name string, f func(*T) *[]string) csvColumn[T] {
	return csvColumn[T]{
		name: name,
		get:  func(v *T) string { return importer.NeutralizeCSV(strings.Join(*f(v), ",")) },
		set: func(v *T, c string) string {
			l, msg := parseCSVList(unneutralize(c))
			*f(v) = l
			return msg
		},
	}
}

// csvFloat is a column of a decimal number. Its cells are not neutralised:
// strconv writes a number, "-1.5536" for a longitude, which no spreadsheet
// runs, and which an apostrophe would turn into text.
func csvFloat[T any](name string, f func(*T) **float64) csvColumn[T] {
	return csvColumn[T]{
		name: name,
		get: func(v *T) string {
			if p := *f(v); p != nil {
				return strconv.FormatFloat(*p, 'f', -1, 64)
			}
			return ""
		},
		set: func(v *T, c string) string {
			if c = unneutralize(c); c == "" {
				return ""
			}
			if strings.Count(c, ",") == 1 && !strings.Contains(c, ".") {
				c = strings.Replace(c, ",", ".", 1) // a French decimal comma
			}
			x, err := strconv.ParseFloat(c, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Sprintf("Nombre attendu, avec un point décimal (par exemple 47.6383), et non « %s ».", c)
			}
			*f(v) = &x
			return ""
		},
	}
}

// csvInt is a column of a whole number.
func csvInt[T any](name string, f func(*T) **int) csvColumn[T] {
	return csvColumn[T]{
		name: name,
		get: func(v *T) string {
			if p := *f(v); p != nil {
				return strconv.Itoa(*p)
			}
			return ""
		},
		set: func(v *T, c string) string {
			if c = unneutralize(c); c == "" {
				return ""
			}
			n, err := strconv.Atoi(c)
			if err != nil {
				x, ferr := strconv.ParseFloat(c, 64) // "3.0", as a spreadsheet may write it
				if ferr != nil || x != math.Trunc(x) || math.Abs(x) > math.MaxInt32 {
					return fmt.Sprintf("Nombre entier attendu, et non « %s ».", c)
				}
				n = int(x)
			}
			*f(v) = &n
			return ""
		},
	}
}

// unneutralize removes the apostrophe importer.NeutralizeCSV puts before a
// cell that a spreadsheet would take for a formula, so that a telephone
// "+33123456789" reads back as written.
func unneutralize(c string) string {
	if len(c) >= 2 && c[0] == '\'' && strings.IndexByte("=+-@\t\r", c[1]) >= 0 {
		return c[1:]
	}
	return c
}

// parseCSVList reads a list cell: values separated by "," or "|", a JSON
// array (["a","b"]) or a PostgreSQL array ({a,b} or {"a","b"}). Values are
// trimmed and empty ones dropped; an empty cell is an absent list. The
// second result is the French message of a cell that is no list, or "".
func parseCSVList(c string) ([]string, string) {
	c = strings.TrimSpace(c)
	var vals []string
	switch {
	case c == "":
		return nil, ""
	case strings.HasPrefix(c, "[") && strings.HasSuffix(c, "]"):
		if err := json.Unmarshal([]byte(c), &vals); err != nil {
			return nil, `Liste JSON invalide : écrivez ["code1","code2"], ou les codes séparés par des virgules.`
		}
	case strings.HasPrefix(c, "{") && strings.HasSuffix(c, "}"):
		var ok bool
		if vals, ok = parsePostgresArray(c[1 : len(c)-1]); !ok {
			return nil, "Liste PostgreSQL invalide : écrivez {code1,code2}, ou les codes séparés par des virgules."
		}
	default:
		vals = strings.FieldsFunc(c, func(r rune) bool { return r == ',' || r == '|' })
	}
	var out []string
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out, ""
}

// parsePostgresArray reads the inside of a one-dimensional PostgreSQL array
// literal: values separated by ",", double-quoted when they hold a special
// character, with backslash escapes inside quotes; an unquoted NULL is
// dropped. It reports whether s is such a list.
func parsePostgresArray(s string) ([]string, bool) {
	var out []string
	for i := 0; i <= len(s); {
		var b strings.Builder
		quoted := i < len(s) && s[i] == '"'
		if quoted {
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
				if i < len(s) {
					b.WriteByte(s[i])
				}
			}
			if i >= len(s) {
				return nil, false
			}
			i++ // the closing quote
			if i < len(s) && s[i] != ',' {
				return nil, false
			}
		} else {
			for ; i < len(s) && s[i] != ','; i++ {
				if s[i] == '"' || s[i] == '{' || s[i] == '}' {
					return nil, false
				}
				b.WriteByte(s[i])
			}
		}
		if v := b.String(); quoted || !strings.EqualFold(strings.TrimSpace(v), "NULL") {
			out = append(out, v)
		}
		i++ // the comma
	}
	return out, true
}

// serviceColumns are the columns of the CSV form of services, in the order
// of the properties of schemas/v1/service.json.
var serviceColumns = []csvColumn[DIService]{
	csvText("adresse", false, func(d *DIService) *string { return &d.Adresse }),
	csvText("code_insee", false, func(d *DIService) *string { return &d.CodeINSEE }),
	csvText("code_postal", false, func(d *DIService) *string { return &d.CodePostal }),
	csvText("commune", false, func(d *DIService) *string { return &d.Commune }),
	csvText("complement_adresse", false, func(d *DIService) *string { return &d.ComplementAdresse }),
	csvText("conditions_acces", false, func(d *DIService) *string { return &d.ConditionsAcces }),
	csvText("contact_nom_prenom", false, func(d *DIService) *string { return &d.ContactNomPrenom }),
	csvText("courriel", false, func(d *DIService) *string { return &d.Courriel }),
	csvText("date_maj", true, func(d *DIService) *string { return &d.DateMaj }),
	csvText("description", true, func(d *DIService) *string { return &d.Description }),
	csvText("frais", false, func(d *DIService) *string { return &d.Frais }),
	csvText("frais_precisions", false, func(d *DIService) *string { return &d.FraisPrecisions }),
	csvText("horaires_accueil", false, func(d *DIService) *string { return &d.HorairesAccueil }),
	csvText("id", true, func(d *DIService) *string { return &d.ID }),
	csvFloat("latitude", func(d *DIService) **float64 { return &d.Latitude }),
	csvText("lien_mobilisation", false, func(d *DIService) *string { return &d.LienMobilisation }),
	csvText("lien_source", false, func(d *DIService) *string { return &d.LienSource }),
	csvFloat("longitude", func(d *DIService) **float64 { return &d.Longitude }),
	csvList("mobilisable_par", func(d *DIService) *[]string { return &d.MobilisablePar }),
	csvText("mobilisation_precisions", false, func(d *DIService) *string { return &d.MobilisationPrecisions }),
	csvList("modes_accueil", func(d *DIService) *[]string { return &d.ModesAccueil }),
	csvList("modes_mobilisation", func(d *DIService) *[]string { return &d.ModesMobilisation }),
	csvText("nom", true, func(d *DIService) *string { return &d.Nom }),
	csvInt("nombre_semaines", func(d *DIService) **int { return &d.NombreSemaines }),
	csvList("publics", func(d *DIService) *[]string { return &d.Publics }),
	csvText("publics_precisions", false, func(d *DIService) *string { return &d.PublicsPrecisions }),
	csvText("source", true, func(d *DIService) *string { return &d.Source }),
	csvText("structure_id", true, func(d *DIService) *string { return &d.StructureID }),
	csvText("telephone", false, func(d *DIService) *string { return &d.Telephone }),
	csvList("thematiques", func(d *DIService) *[]string { return &d.Thematiques }),
	csvText("type", false, func(d *DIService) *string { return &d.Type }),
	csvFloat("volume_horaire_hebdomadaire", func(d *DIService) **float64 { return &d.VolumeHoraireHebdomadaire }),
	csvList("zone_eligibilite", func(d *DIService) *[]string { return &d.ZoneEligibilite }),
}

// structureColumns are the columns of the CSV form of structures, in the
// order of the properties of schemas/v1/structure.json.
var structureColumns = []csvColumn[DIStructure]{
	csvText("accessibilite_lieu", false, func(d *DIStructure) *string { return &d.AccessibiliteLieu }),
	csvText("adresse", false, func(d *DIStructure) *string { return &d.Adresse }),
	csvText("code_insee", false, func(d *DIStructure) *string { return &d.CodeINSEE }),
	csvText("code_postal", false, func(d *DIStructure) *string { return &d.CodePostal }),
	csvText("commune", false, func(d *DIStructure) *string { return &d.Commune }),
	csvText("complement_adresse", false, func(d *DIStructure) *string { return &d.ComplementAdresse }),
	csvText("courriel", false, func(d *DIStructure) *string { return &d.Courriel }),
	csvText("date_maj", true, func(d *DIStructure) *string { return &d.DateMaj }),
	csvText("description", false, func(d *DIStructure) *string { return &d.Description }),
	csvText("horaires_accueil", false, func(d *DIStructure) *string { return &d.HorairesAccueil }),
	csvText("id", true, func(d *DIStructure) *string { return &d.ID }),
	csvFloat("latitude", func(d *DIStructure) **float64 { return &d.Latitude }),
	csvText("lien_source", false, func(d *DIStructure) *string { return &d.LienSource }),
	csvFloat("longitude", func(d *DIStructure) **float64 { return &d.Longitude }),
	csvText("nom", true, func(d *DIStructure) *string { return &d.Nom }),
	csvList("reseaux_porteurs", func(d *DIStructure) *[]string { return &d.ReseauxPorteurs }),
	csvText("siret", false, func(d *DIStructure) *string { return &d.SIRET }),
	csvText("site_web", false, func(d *DIStructure) *string { return &d.SiteWeb }),
	csvText("source", true, func(d *DIStructure) *string { return &d.Source }),
	csvText("telephone", false, func(d *DIStructure) *string { return &d.Telephone }),
}

// WriteServicesCSV writes services in the CSV form of the data·inclusion
// format: a header of the property names, then one line per service.
func WriteServicesCSV(w io.Writer, items []DIService) error {
	return writeCSV(w, serviceColumns, items)
}

// ReadServicesCSV reads services in the CSV form of the data·inclusion
// format. Columns are found by name, in any order; unknown columns are
// ignored, and a missing required column (source, structure_id, id, nom,
// description, date_maj) is an error. Besides "a,b", a list cell may be
// "a|b", ["a","b"] or {a,b}; a number may have a decimal comma. A cell that
// cannot be read gives a French message naming its line and column, « ligne
// 4, colonne thematiques », in a problem.Invalid error. The services are not
// validated: see ValidateDIServices.
func ReadServicesCSV(r io.Reader) ([]DIService, error) {
	return readCSV(r, serviceColumns, "services")
}

// WriteStructuresCSV writes structures in the CSV form of the
// data·inclusion format, as WriteServicesCSV writes services.
func WriteStructuresCSV(w io.Writer, items []DIStructure) error {
	return writeCSV(w, structureColumns, items)
}

// ReadStructuresCSV reads structures in the CSV form of the data·inclusion
// format, as ReadServicesCSV reads services; the required columns are
// source, id, nom and date_maj.
func ReadStructuresCSV(r io.Reader) ([]DIStructure, error) {
	return readCSV(r, structureColumns, "structures")
}

// writeCSV writes the header of cols and a line per item.
func writeCSV[T any](w io.Writer, cols []csvColumn[T], items []T) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	rec := make([]string, len(cols))
	for i, c := range cols {
		rec[i] = c.name
	}
	if err := cw.Write(rec); err != nil {
		return fmt.Errorf("directory: write csv: %w", err)
	}
	for i := range items {
		for j, c := range cols {
			rec[j] = c.get(&items[i])
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("directory: write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("directory: write csv: %w", err)
	}
	return nil
}

// readCSV reads a CSV file of items described by cols.
func readCSV[T any](r io.Reader, cols []csvColumn[T], what string) ([]T, error) {
	t, err := importer.ReadCSV(r)
	if err != nil {
		return nil, &problem.Error{Kind: problem.Invalid, Detail: "Fichier CSV illisible : " + err.Error() + ".", Err: err}
	}
	if len(t.Rows) > MaxDIItems {
		return nil, problem.New(problem.Invalid, fmt.Sprintf("Le fichier compte plus de %d %s : découpez-le.", MaxDIItems, what))
	}

	at := make([]int, len(t.Header)) // index in cols of each column of the file, or -1
	found := make([]bool, len(cols))
	var fs problem.Fields
	for i, h := range t.Header {
		at[i] = -1
		name := strings.ToLower(strings.TrimSpace(h))
		for j, c := range cols {
			if c.name != name {
				continue
			}
			if found[j] {
				fs.Add("colonne "+c.name, "Cette colonne figure deux fois dans l'en-tête.")
			}
			found[j], at[i] = true, j
		}
	}
	for j, c := range cols {
		if c.required && !found[j] {
			fs.Add("colonne "+c.name, "Cette colonne obligatoire manque dans l'en-tête.")
		}
	}
	if len(fs) > 0 {
		return nil, problem.InvalidFields(fmt.Sprintf("L'en-tête ne suit pas le format CSV data·inclusion des %s.", what), fs...)
	}

	items := make([]T, len(t.Rows))
	for i, row := range t.Rows {
		for k, cell := range row {
			if at[k] < 0 || cell == "" {
				continue
			}
			c := cols[at[k]]
			if msg := c.set(&items[i], cell); msg != "" {
				fs.Add(fmt.Sprintf("ligne %d, colonne %s", t.Lines[i], c.name), msg)
				if len(fs) == MaxCSVErrors {
					return nil, problem.InvalidFields(fmt.Sprintf("Le fichier contient au moins %d erreurs ; les suivantes ne sont pas listées.", MaxCSVErrors), fs...)
				}
			}
		}
	}
	if len(fs) > 0 {
		return nil, problem.InvalidFields("Certaines cellules du fichier sont illisibles.", fs...)
	}
	return items, nil
}
