// Package referential holds the open reference data Parcours ships with: the
// communes, départements and régions of France, the ROME job referential, the
// carnet de bord diagnostic themes, situations, objectives and actions, and the
// data·inclusion v1 code lists. It also holds the Parcours mapping that links
// them: the objectives that answer each diagnostic situation, and for each
// objective the data·inclusion thématiques of the services that answer it and
// the action that orients the person there. The CSV files are embedded in the
// binary (see data/SOURCES.md for their origin and licences) and parsed by Load
// into an immutable Referential that any number of goroutines may read.
package referential

import (
	"embed"
	"slices"
	"strings"
	"sync"
)

// data holds the CSV files. communes.csv, by far the largest, is stored
// gzip-compressed to keep the binary small; Load decompresses it.
//
//go:embed data/*.csv data/*.csv.gz
var data embed.FS

// Commune is a commune of France (commune actuelle) or an arrondissement
// municipal of Paris, Lyon or Marseille, identified by its INSEE code.
// Departement and Region are codes.
type Commune struct {
	INSEE       string
	Name        string
	PostalCodes []string
	Departement string
	Region      string
	Lat, Lon    float64
	Population  int // INSEE population légale; 0 where the source has none
}

// Departement is a département or a collectivité d'outre-mer; Region is the
// code of its région.
type Departement struct {
	Code, Name, Region string
}

// Region is a région, or a collectivité d'outre-mer that has no région.
type Region struct {
	Code, Name string
}

// ROMEJob is a ROME v3 fiche métier, e.g. M1607 "Secrétariat".
type ROMEJob struct {
	Code, Label, DomaineCode, GrandDomaineCode string
}

// Appellation is a ROME appellation (the job title people actually use),
// identified by its OGR code and attached to one ROME fiche.
type Appellation struct {
	Code, Label, ROMECode string
}

// Domaine is a ROME domaine professionnel, e.g. M16 "Secrétariat et assistance".
type Domaine struct {
	Code, Label, GrandDomaineCode string
}

// GrandDomaine is a ROME grand domaine, e.g. M "Support à l'entreprise".
type GrandDomaine struct {
	Code, Label string
}

// Theme is a diagnostic theme of the carnet de bord, e.g. "logement".
type Theme struct {
	Code, Label string
}

// Situation is a situation (contrainte) of the socio-professional diagnostic.
// A situation is identified by its theme and its label: the source has no
// stable identifier.
type Situation struct {
	ThemeCode, Label string
}

// Objective is an objective of the action plan, under a theme.
type Objective struct {
	ThemeCode, Label string
}

// Action is an action of the action plan, under a theme.
type Action struct {
	ThemeCode, Label string
}

// Code is one value of a data·inclusion v1 code list. Category is the code of
// the thématique's catégorie, set only in the "thematiques" list.
type Code struct {
	Code, Label, Description, Category string
}

// Referential is the parsed reference data. It is never modified after Load,
// and every method returns copies, so it is safe for concurrent use.
type Referential struct {
	communes       []Commune
	communeKeys    []string         // searchKey of each commune's name, by index
	communeByINSEE map[string]int   // index in communes
	communesByDept map[string][]int // indexes, sorted by name
	departements   map[string]Departement
	regions        map[string]Region

	romeJobs      map[string]ROMEJob
	appellations  []Appellation
	appelKeys     []string // searchKey of each appellation's label, by index
	appelByCode   map[string]int
	domaines      map[string]Domaine
	grandDomaines map[string]GrandDomaine

	themes      []Theme
	themeByCode map[string]int
	situations  map[string][]Situation
	situationOK map[Situation]bool
	objectives  map[string][]Objective
	objectiveOK map[Objective]bool
	actions     map[string][]Action
	actionOK    map[Action]bool

	// The Parcours mapping (data/parcours_*.csv).
	situationObjectives  map[Situation][]Objective // only situations that have some
	objectiveThematiques map[Objective][]string    // data·inclusion thématique codes
	objectiveAction      map[Objective]Action      // only objectives that have one

	dataInclusion   map[string][]Code
	dataInclusionOK map[string]map[string]bool
}

var loadOnce = sync.OnceValues(func() (*Referential, error) { return load(data) })

// Load parses the embedded data on its first call and returns the same
// Referential (or error) on every later call: the data is part of the binary
// and cannot change while it runs.
func Load() (*Referential, error) {
	return loadOnce()
}

// normCode normalizes a code given by a caller: "2a" finds département "2A"
// and " m1607" finds ROME fiche "M1607".
func normCode(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}

// Commune returns the commune with the given INSEE code.
func (r *Referential) Commune(insee string) (Commune, bool) {
	i, ok := r.communeByINSEE[normCode(insee)]
	if !ok {
		return Commune{}, false
	}
	return r.commune(i), true
}

// commune returns a copy of communes[i] that the caller may modify.
func (r *Referential) commune(i int) Commune {
	c := r.communes[i]
	c.PostalCodes = slices.Clone(c.PostalCodes)
	return c
}

// CommunesIn returns the communes (and arrondissements municipaux) of a
// département, sorted by folded name, then name, then INSEE code.
func (r *Referential) CommunesIn(departement string) []Commune {
	idx := r.communesByDept[normCode(departement)]
	if len(idx) == 0 {
		return nil
	}
	out := make([]Commune, len(idx))
	for j, i := range idx {
		out[j] = r.commune(i)
	}
	return out
}

// Departement returns the département with the given code ("90", "2A", "971").
func (r *Referential) Departement(code string) (Departement, bool) {
	d, ok := r.departements[normCode(code)]
	return d, ok
}

// Region returns the région with the given code ("27", or a collectivité
// d'outre-mer code such as "975").
func (r *Referential) Region(code string) (Region, bool) {
	g, ok := r.regions[normCode(code)]
	return g, ok
}

// ROMEJob returns the ROME fiche with the given code, e.g. "M1607".
func (r *Referential) ROMEJob(code string) (ROMEJob, bool) {
	j, ok := r.romeJobs[normCode(code)]
	return j, ok
}

// Appellation returns the ROME appellation with the given OGR code.
func (r *Referential) Appellation(code string) (Appellation, bool) {
	i, ok := r.appelByCode[strings.TrimSpace(code)]
	if !ok {
		return Appellation{}, false
	}
	return r.appellations[i], true
}

// Domaine returns the ROME domaine professionnel with the given code, e.g. "M16".
func (r *Referential) Domaine(code string) (Domaine, bool) {
	d, ok := r.domaines[normCode(code)]
	return d, ok
}

// GrandDomaine returns the ROME grand domaine with the given letter.
func (r *Referential) GrandDomaine(code string) (GrandDomaine, bool) {
	g, ok := r.grandDomaines[normCode(code)]
	return g, ok
}

// Themes returns the diagnostic themes in the order of the source file (by
// code).
func (r *Referential) Themes() []Theme {
	return slices.Clone(r.themes)
}

// Theme returns the diagnostic theme with the given code, e.g. "logement".
func (r *Referential) Theme(code string) (Theme, bool) {
	i, ok := r.themeByCode[code]
	if !ok {
		return Theme{}, false
	}
	return r.themes[i], true
}

// Situations returns the situations of a theme in the order of the source file
// (by label); nil for an unknown theme.
func (r *Referential) Situations(themeCode string) []Situation {
	return slices.Clone(r.situations[themeCode])
}

// IsSituation reports whether label is, exactly, one of the situations of the
// theme. Labels are compared as stored (typographic apostrophes included), so
// that what is recorded is always the referential's own wording.
func (r *Referential) IsSituation(themeCode, label string) bool {
	return r.situationOK[Situation{ThemeCode: themeCode, Label: label}]
}

// Objectives returns the objectives of a theme in the order of the source file
// (by label); nil for an unknown theme.
func (r *Referential) Objectives(themeCode string) []Objective {
	return slices.Clone(r.objectives[themeCode])
}

// IsObjective reports whether label is, exactly, one of the objectives of the
// theme. Labels are compared as stored, as IsSituation does.
func (r *Referential) IsObjective(themeCode, label string) bool {
	return r.objectiveOK[Objective{ThemeCode: themeCode, Label: label}]
}

// Actions returns the actions of a theme in the order of the source file
// (by label); nil for an unknown theme.
func (r *Referential) Actions(themeCode string) []Action {
	return slices.Clone(r.actions[themeCode])
}

// IsAction reports whether label is, exactly, one of the actions of the theme.
// Labels are compared as stored, as IsSituation does.
func (r *Referential) IsAction(themeCode, label string) bool {
	return r.actionOK[Action{ThemeCode: themeCode, Label: label}]
}

// ObjectivesFor returns the objectives that answer a diagnostic situation, most
// relevant first, so that the action plan can propose them. They may belong to
// other themes than the situation's: "Territoire rural isolé" (logement) is
// answered by mobility objectives. It returns nil for a situation that is a
// resource or a neutral fact ("Permis B", "Propriétaire") and for an unknown
// situation.
func (r *Referential) ObjectivesFor(themeCode, situation string) []Objective {
	return slices.Clone(r.situationObjectives[Situation{ThemeCode: themeCode, Label: situation}])
}

// ObjectiveThematiques returns the data·inclusion v1 thématique codes of the
// services that answer an objective: a service with any of them can be
// proposed. Every objective has at least one; it returns nil for an unknown
// objective.
func (r *Referential) ObjectiveThematiques(themeCode, objective string) []string {
	return slices.Clone(r.objectiveThematiques[Objective{ThemeCode: themeCode, Label: objective}])
}

// ObjectiveAction returns the action that naturally comes first when the person
// is oriented to a service answering the objective, e.g. "Accès à un mode de
// garde" for "Trouver des solutions de garde d’enfant". It reports false when no
// action of the referential fits, or when the objective is unknown.
func (r *Referential) ObjectiveAction(themeCode, objective string) (Action, bool) {
	a, ok := r.objectiveAction[Objective{ThemeCode: themeCode, Label: objective}]
	return a, ok
}

// SituationThematiques returns the data·inclusion v1 thématique codes of the
// services that answer a diagnostic situation: those of ObjectivesFor, in that
// order, each once. It returns nil when no objective answers the situation.
func (r *Referential) SituationThematiques(themeCode, situation string) []string {
	var out []string
	for _, o := range r.situationObjectives[Situation{ThemeCode: themeCode, Label: situation}] {
		for _, code := range r.objectiveThematiques[o] {
			if !slices.Contains(out, code) {
				out = append(out, code)
			}
		}
	}
	return out
}

// DataInclusion returns a data·inclusion v1 code list in the schema's order.
// list is the file stem after "datainclusion_v1_": "thematiques",
// "thematiques_categories", "frais", "publics", "modes_accueil",
// "types_de_services", "typologies_de_services", "modes_mobilisation",
// "personnes_mobilisatrices" or "reseaux_porteurs". It returns nil for an
// unknown list.
func (r *Referential) DataInclusion(list string) []Code {
	return slices.Clone(r.dataInclusion[list])
}

// IsDataInclusionCode reports whether code is a value of the data·inclusion v1
// list.
func (r *Referential) IsDataInclusionCode(list, code string) bool {
	return r.dataInclusionOK[list][code]
}
