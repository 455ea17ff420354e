package referential

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// dataInclusionPrefix starts the name of every data·inclusion v1 code list.
const dataInclusionPrefix = "datainclusion_v1_"

// load parses the reference data in fsys, laid out as the embedded data
// directory, and checks that every code it refers to exists.
func load(fsys fs.FS) (*Referential, error) {
	r := &Referential{}
	steps := []func(fs.FS) error{
		r.loadRegions, r.loadDepartements, r.loadCommunes,
		r.loadGrandDomaines, r.loadDomaines, r.loadROMEJobs, r.loadAppellations,
		r.loadThemes, r.loadThemed,
		r.loadDataInclusion,
		r.loadSituationObjectives, r.loadObjectiveThematiques,
	}
	for _, step := range steps {
		if err := step(fsys); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// readTable reads data/<name>.csv, or data/<name>.csv.gz, and calls row for
// every record after the header. cols names the columns row receives, in that
// order; a name ending in "?" is optional and reads as "" when the file lacks
// it. Fields are trimmed of surrounding spaces. The returned errors name the
// file and the line.
func readTable(fsys fs.FS, name string, cols []string, row func(f []string) error) error {
	fail := func(line int, err error) error {
		return fmt.Errorf("referential: %s: line %d: %w", name, line, err)
	}

	f, in, err := open(fsys, name)
	if err != nil {
		return fmt.Errorf("referential: %s: %w", name, err)
	}
	defer f.Close()

	cr := csv.NewReader(in)
	cr.ReuseRecord = true
	read := func() ([]string, error) {
		rec, err := cr.Read()
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fail(pe.Line, pe.Err)
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("referential: %s: %w", name, err)
		}
		return rec, err
	}

	header, err := read()
	if err == io.EOF {
		return fail(1, errors.New("empty file"))
	}
	if err != nil {
		return err
	}
	pos := make([]int, len(cols))
	for i, col := range cols {
		col, optional := strings.CutSuffix(col, "?")
		pos[i] = slices.IndexFunc(header, func(h string) bool {
			return strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) == col
		})
		if pos[i] < 0 && !optional {
			return fail(1, fmt.Errorf("missing column %q", col))
		}
	}

	fields := make([]string, len(cols))
	for {
		rec, err := read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		for i, p := range pos {
			fields[i] = ""
			if p >= 0 {
				fields[i] = strings.TrimSpace(rec[p])
			}
		}
		if err := row(fields); err != nil {
			line, _ := cr.FieldPos(0)
			return fail(line, err)
		}
	}
}

// open opens data/<name>.csv, or else data/<name>.csv.gz, and returns the
// file to close and the reader of its CSV text.
func open(fsys fs.FS, name string) (fs.File, io.Reader, error) {
	f, err := fsys.Open(path.Join("data", name+".csv"))
	if err == nil {
		return f, f, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, err
	}
	f, err = fsys.Open(path.Join("data", name+".csv.gz"))
	if err != nil {
		return nil, nil, err
	}
	z, err := gzip.NewReader(f)
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	return f, z, nil
}

// required returns an error naming the first of cols whose field is empty.
func required(f []string, cols ...string) error {
	for i, col := range cols {
		if f[i] == "" {
			return fmt.Errorf("empty %s", col)
		}
	}
	return nil
}

func (r *Referential) loadRegions(fsys fs.FS) error {
	r.regions = make(map[string]Region)
	return readTable(fsys, "regions", []string{"code", "nom"}, func(f []string) error {
		if err := required(f, "code", "nom"); err != nil {
			return err
		}
		if _, dup := r.regions[f[0]]; dup {
			return fmt.Errorf("duplicate code %q", f[0])
		}
		r.regions[f[0]] = Region{Code: f[0], Name: f[1]}
		return nil
	})
}

func (r *Referential) loadDepartements(fsys fs.FS) error {
	r.departements = make(map[string]Departement)
	return readTable(fsys, "departements", []string{"code", "nom", "region"}, func(f []string) error {
		if err := required(f, "code", "nom", "region"); err != nil {
			return err
		}
		if _, dup := r.departements[f[0]]; dup {
			return fmt.Errorf("duplicate code %q", f[0])
		}
		if _, ok := r.regions[f[2]]; !ok {
			return fmt.Errorf("unknown region %q", f[2])
		}
		r.departements[f[0]] = Departement{Code: f[0], Name: f[1], Region: f[2]}
		return nil
	})
}

func (r *Referential) loadCommunes(fsys fs.FS) error {
	const size = 35_100 // the 2026 file has 35,014 rows
	r.communes = make([]Commune, 0, size)
	r.communeKeys = make([]string, 0, size)
	r.communeByINSEE = make(map[string]int, size)
	cols := []string{"code_insee", "nom", "codes_postaux", "departement", "region", "latitude", "longitude", "population"}
	err := readTable(fsys, "communes", cols, func(f []string) error {
		if err := required(f, "code_insee", "nom"); err != nil {
			return err
		}
		c := Commune{INSEE: f[0], Name: f[1], Departement: f[3], Region: f[4]}
		if _, dup := r.communeByINSEE[c.INSEE]; dup {
			return fmt.Errorf("duplicate code_insee %q", c.INSEE)
		}
		if f[2] != "" {
			c.PostalCodes = strings.Split(f[2], "|")
		}
		if _, ok := r.departements[c.Departement]; !ok {
			return fmt.Errorf("unknown departement %q", c.Departement)
		}
		if _, ok := r.regions[c.Region]; !ok {
			return fmt.Errorf("unknown region %q", c.Region)
		}
		var err error
		if c.Lat, err = strconv.ParseFloat(f[5], 64); err != nil {
			return fmt.Errorf("latitude: %w", err)
		}
		if c.Lon, err = strconv.ParseFloat(f[6], 64); err != nil {
			return fmt.Errorf("longitude: %w", err)
		}
		if f[7] != "" {
			if c.Population, err = strconv.Atoi(f[7]); err != nil {
				return fmt.Errorf("population: %w", err)
			}
		}
		r.communeByINSEE[c.INSEE] = len(r.communes)
		r.communes = append(r.communes, c)
		r.communeKeys = append(r.communeKeys, searchKey(c.Name))
		return nil
	})
	if err != nil {
		return err
	}

	r.communesByDept = make(map[string][]int, len(r.departements))
	for i, c := range r.communes {
		r.communesByDept[c.Departement] = append(r.communesByDept[c.Departement], i)
	}
	for _, idx := range r.communesByDept {
		slices.SortFunc(idx, r.compareCommunes)
	}
	return nil
}

func (r *Referential) loadGrandDomaines(fsys fs.FS) error {
	r.grandDomaines = make(map[string]GrandDomaine)
	return readTable(fsys, "rome_grands_domaines", []string{"code", "libelle"}, func(f []string) error {
		if err := required(f, "code", "libelle"); err != nil {
			return err
		}
		if _, dup := r.grandDomaines[f[0]]; dup {
			return fmt.Errorf("duplicate code %q", f[0])
		}
		r.grandDomaines[f[0]] = GrandDomaine{Code: f[0], Label: f[1]}
		return nil
	})
}

func (r *Referential) loadDomaines(fsys fs.FS) error {
	r.domaines = make(map[string]Domaine)
	return readTable(fsys, "rome_domaines", []string{"code", "libelle", "grand_domaine_code"}, func(f []string) error {
		if err := required(f, "code", "libelle", "grand_domaine_code"); err != nil {
			return err
		}
		if _, dup := r.domaines[f[0]]; dup {
			return fmt.Errorf("duplicate code %q", f[0])
		}
		if _, ok := r.grandDomaines[f[2]]; !ok {
			return fmt.Errorf("unknown grand_domaine_code %q", f[2])
		}
		r.domaines[f[0]] = Domaine{Code: f[0], Label: f[1], GrandDomaineCode: f[2]}
		return nil
	})
}

func (r *Referential) loadROMEJobs(fsys fs.FS) error {
	r.romeJobs = make(map[string]ROMEJob)
	cols := []string{"code", "libelle", "domaine_code", "grand_domaine_code"}
	return readTable(fsys, "rome_metiers", cols, func(f []string) error {
		if err := required(f, cols...); err != nil {
			return err
		}
		if _, dup := r.romeJobs[f[0]]; dup {
			return fmt.Errorf("duplicate code %q", f[0])
		}
		d, ok := r.domaines[f[2]]
		if !ok {
			return fmt.Errorf("unknown domaine_code %q", f[2])
		}
		if d.GrandDomaineCode != f[3] {
			return fmt.Errorf("grand_domaine_code %q, but domaine %s is in %q", f[3], d.Code, d.GrandDomaineCode)
		}
		r.romeJobs[f[0]] = ROMEJob{Code: f[0], Label: f[1], DomaineCode: f[2], GrandDomaineCode: f[3]}
		return nil
	})
}

func (r *Referential) loadAppellations(fsys fs.FS) error {
	const size = 11_100 // the file has 11,061 rows
	r.appellations = make([]Appellation, 0, size)
	r.appelKeys = make([]string, 0, size)
	r.appelByCode = make(map[string]int, size)
	cols := []string{"code_ogr", "libelle", "code_rome"}
	return readTable(fsys, "rome_appellations", cols, func(f []string) error {
		if err := required(f, cols...); err != nil {
			return err
		}
		if _, dup := r.appelByCode[f[0]]; dup {
			return fmt.Errorf("duplicate code_ogr %q", f[0])
		}
		if _, ok := r.romeJobs[f[2]]; !ok {
			return fmt.Errorf("unknown code_rome %q", f[2])
		}
		r.appelByCode[f[0]] = len(r.appellations)
		r.appellations = append(r.appellations, Appellation{Code: f[0], Label: f[1], ROMECode: f[2]})
		r.appelKeys = append(r.appelKeys, searchKey(f[1]))
		return nil
	})
}

func (r *Referential) loadThemes(fsys fs.FS) error {
	r.themeByCode = make(map[string]int)
	return readTable(fsys, "cdb_themes", []string{"code", "libelle"}, func(f []string) error {
		if err := required(f, "code", "libelle"); err != nil {
			return err
		}
		if _, dup := r.themeByCode[f[0]]; dup {
			return fmt.Errorf("duplicate code %q", f[0])
		}
		r.themeByCode[f[0]] = len(r.themes)
		r.themes = append(r.themes, Theme{Code: f[0], Label: f[1]})
		return nil
	})
}

// loadThemed reads the situations, objectives and actions, which share one
// layout: theme_code, theme_libelle, libelle.
func (r *Referential) loadThemed(fsys fs.FS) error {
	r.situations = make(map[string][]Situation)
	r.situationOK = make(map[Situation]bool)
	r.objectives = make(map[string][]Objective)
	r.objectiveOK = make(map[Objective]bool)
	r.actions = make(map[string][]Action)
	r.actionOK = make(map[Action]bool)
	lists := []struct {
		name string
		add  func(theme, label string) error
	}{
		{"cdb_situations", func(theme, label string) error {
			s := Situation{ThemeCode: theme, Label: label}
			if r.situationOK[s] {
				return fmt.Errorf("duplicate situation %q", label)
			}
			r.situationOK[s] = true
			r.situations[theme] = append(r.situations[theme], s)
			return nil
		}},
		{"cdb_objectifs", func(theme, label string) error {
			o := Objective{ThemeCode: theme, Label: label}
			if r.objectiveOK[o] {
				return fmt.Errorf("duplicate objective %q", label)
			}
			r.objectiveOK[o] = true
			r.objectives[theme] = append(r.objectives[theme], o)
			return nil
		}},
		{"cdb_actions", func(theme, label string) error {
			a := Action{ThemeCode: theme, Label: label}
			if r.actionOK[a] {
				return fmt.Errorf("duplicate action %q", label)
			}
			r.actionOK[a] = true
			r.actions[theme] = append(r.actions[theme], a)
			return nil
		}},
	}
	for _, l := range lists {
		err := readTable(fsys, l.name, []string{"theme_code", "libelle"}, func(f []string) error {
			if err := required(f, "theme_code", "libelle"); err != nil {
				return err
			}
			if _, ok := r.themeByCode[f[0]]; !ok {
				return fmt.Errorf("unknown theme_code %q", f[0])
			}
			return l.add(f[0], f[1])
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// loadDataInclusion reads every data/datainclusion_v1_*.csv file; the list
// name is the rest of the file name. The catégorie of every thématique must be
// in "thematiques_categories".
func (r *Referential) loadDataInclusion(fsys fs.FS) error {
	names, err := fs.Glob(fsys, "data/"+dataInclusionPrefix+"*.csv")
	if err != nil {
		return fmt.Errorf("referential: data·inclusion: %w", err)
	}
	r.dataInclusion = make(map[string][]Code, len(names))
	r.dataInclusionOK = make(map[string]map[string]bool, len(names))
	for _, name := range names {
		stem := strings.TrimSuffix(path.Base(name), ".csv")
		list := strings.TrimPrefix(stem, dataInclusionPrefix)
		ok := make(map[string]bool)
		var codes []Code
		cols := []string{"code", "libelle", "description?", "categorie_code?"}
		err := readTable(fsys, stem, cols, func(f []string) error {
			if err := required(f, "code", "libelle"); err != nil {
				return err
			}
			if ok[f[0]] {
				return fmt.Errorf("duplicate code %q", f[0])
			}
			ok[f[0]] = true
			codes = append(codes, Code{Code: f[0], Label: f[1], Description: f[2], Category: f[3]})
			return nil
		})
		if err != nil {
			return err
		}
		r.dataInclusion[list] = codes
		r.dataInclusionOK[list] = ok
	}

	for _, c := range r.dataInclusion["thematiques"] {
		if !r.dataInclusionOK["thematiques_categories"][c.Category] {
			return fmt.Errorf("referential: %sthematiques: thématique %q: unknown categorie_code %q", dataInclusionPrefix, c.Code, c.Category)
		}
	}
	return nil
}

// loadSituationObjectives reads the Parcours mapping of every diagnostic
// situation to the objectives that answer it. The file must have one row for
// each situation, so that a situation added to the referential is not silently
// left without objectives; an empty objectifs field marks a resource or a
// neutral fact.
func (r *Referential) loadSituationObjectives(fsys fs.FS) error {
	const name = "parcours_situations_objectifs"
	r.situationObjectives = make(map[Situation][]Objective)
	seen := make(map[Situation]bool)
	err := readTable(fsys, name, []string{"theme_code", "situation", "objectifs"}, func(f []string) error {
		if err := required(f, "theme_code", "situation"); err != nil {
			return err
		}
		s := Situation{ThemeCode: f[0], Label: f[1]}
		if !r.situationOK[s] {
			return fmt.Errorf("unknown situation %q of theme %q", s.Label, s.ThemeCode)
		}
		if seen[s] {
			return fmt.Errorf("duplicate situation %q", s.Label)
		}
		seen[s] = true
		var objs []Objective
		for _, ref := range splitList(f[2]) {
			theme, label, err := parseRef(ref)
			if err != nil {
				return fmt.Errorf("objectifs: %w", err)
			}
			o := Objective{ThemeCode: theme, Label: label}
			if !r.objectiveOK[o] {
				return fmt.Errorf("unknown objective %q", ref)
			}
			if slices.Contains(objs, o) {
				return fmt.Errorf("duplicate objective %q", ref)
			}
			objs = append(objs, o)
		}
		if objs != nil {
			r.situationObjectives[s] = objs
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, th := range r.themes {
		for _, s := range r.situations[th.Code] {
			if !seen[s] {
				return fmt.Errorf("referential: %s: no row for situation %q of theme %q", name, s.Label, s.ThemeCode)
			}
		}
	}
	return nil
}

// loadObjectiveThematiques reads the Parcours mapping of every objective to
// the data·inclusion thématiques of the services that answer it and to its
// default first action. Like the situations, every objective must have a row.
func (r *Referential) loadObjectiveThematiques(fsys fs.FS) error {
	const name = "parcours_objectifs_thematiques"
	r.objectiveThematiques = make(map[Objective][]string)
	r.objectiveAction = make(map[Objective]Action)
	thematiques := r.dataInclusionOK["thematiques"]
	cols := []string{"theme_code", "objectif", "thematiques", "action"}
	err := readTable(fsys, name, cols, func(f []string) error {
		if err := required(f, "theme_code", "objectif", "thematiques"); err != nil {
			return err
		}
		o := Objective{ThemeCode: f[0], Label: f[1]}
		if !r.objectiveOK[o] {
			return fmt.Errorf("unknown objective %q of theme %q", o.Label, o.ThemeCode)
		}
		if _, dup := r.objectiveThematiques[o]; dup {
			return fmt.Errorf("duplicate objective %q", o.Label)
		}
		var codes []string
		for _, code := range splitList(f[2]) {
			if !thematiques[code] {
				return fmt.Errorf("unknown thématique %q", code)
			}
			if slices.Contains(codes, code) {
				return fmt.Errorf("duplicate thématique %q", code)
			}
			codes = append(codes, code)
		}
		r.objectiveThematiques[o] = codes
		if f[3] == "" {
			return nil
		}
		theme, label, err := parseRef(f[3])
		if err != nil {
			return fmt.Errorf("action: %w", err)
		}
		a := Action{ThemeCode: theme, Label: label}
		if !r.actionOK[a] {
			return fmt.Errorf("unknown action %q", f[3])
		}
		r.objectiveAction[o] = a
		return nil
	})
	if err != nil {
		return err
	}
	for _, th := range r.themes {
		for _, o := range r.objectives[th.Code] {
			if _, ok := r.objectiveThematiques[o]; !ok {
				return fmt.Errorf("referential: %s: no row for objective %q of theme %q", name, o.Label, o.ThemeCode)
			}
		}
	}
	return nil
}

// splitList splits a field that holds several values joined with "|", trimming
// each; an empty field holds none.
func splitList(field string) []string {
	if field == "" {
		return nil
	}
	vals := strings.Split(field, "|")
	for i, v := range vals {
		vals[i] = strings.TrimSpace(v)
	}
	return vals
}

// parseRef splits a "theme_code:label" reference to an objective or an action.
// The theme is needed because a label alone need not be unique across themes.
// A label may itself contain ":", a theme code never does.
func parseRef(ref string) (theme, label string, err error) {
	theme, label, ok := strings.Cut(ref, ":")
	theme, label = strings.TrimSpace(theme), strings.TrimSpace(label)
	if !ok || theme == "" || label == "" {
		return "", "", fmt.Errorf("%q is not theme_code:label", ref)
	}
	return theme, label, nil
}
