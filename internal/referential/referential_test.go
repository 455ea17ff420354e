package referential_test

import (
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/spie-parcours/parcours/internal/referential"
)

func mustLoad(t *testing.T) *referential.Referential {
	t.Helper()
	r, err := referential.Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return r
}

func TestCommune(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		insee                 string
		wantFound             bool
		wantINSEE, wantName   string
		wantDept, wantRegion  string
		wantPostal            []string
		wantLat, wantLon      float64
		wantPopulationAtLeast int
	}{
		{insee: "90010", wantFound: true, wantINSEE: "90010", wantName: "Belfort", wantDept: "90", wantRegion: "27", wantPostal: []string{"90000"}, wantLat: 47.64, wantLon: 6.86, wantPopulationAtLeast: 40000},
		{insee: "70285", wantFound: true, wantINSEE: "70285", wantName: "Héricourt", wantDept: "70", wantRegion: "27", wantPostal: []string{"70400"}, wantLat: 47.57, wantLon: 6.76, wantPopulationAtLeast: 10000},
		{insee: "2a004", wantFound: true, wantINSEE: "2A004", wantName: "Ajaccio", wantDept: "2A", wantRegion: "94", wantPostal: []string{"20000", "20090", "20167"}, wantLat: 41.92, wantLon: 8.71, wantPopulationAtLeast: 60000},
		{insee: "75111", wantFound: true, wantINSEE: "75111", wantName: "Paris 11e Arrondissement", wantDept: "75", wantRegion: "11", wantPostal: []string{"75011"}, wantLat: 48.86, wantLon: 2.38, wantPopulationAtLeast: 100000},
		{insee: "99999"},
		{insee: ""},
	}
	for _, tt := range tests {
		t.Run(tt.insee, func(t *testing.T) {
			got, found := r.Commune(tt.insee)
			if found != tt.wantFound {
				t.Fatalf("Commune(%q) found = %v, want %v", tt.insee, found, tt.wantFound)
			}
			if !found {
				return
			}
			if got.INSEE != tt.wantINSEE || got.Name != tt.wantName || got.Departement != tt.wantDept || got.Region != tt.wantRegion {
				t.Errorf("Commune(%q) = %s %q dept %s region %s, want %s %q dept %s region %s",
					tt.insee, got.INSEE, got.Name, got.Departement, got.Region, tt.wantINSEE, tt.wantName, tt.wantDept, tt.wantRegion)
			}
			if !slices.Equal(got.PostalCodes, tt.wantPostal) {
				t.Errorf("PostalCodes = %v, want %v", got.PostalCodes, tt.wantPostal)
			}
			if math.Abs(got.Lat-tt.wantLat) > 0.05 || math.Abs(got.Lon-tt.wantLon) > 0.05 {
				t.Errorf("coordinates = %v, %v, want near %v, %v", got.Lat, got.Lon, tt.wantLat, tt.wantLon)
			}
			if got.Population < tt.wantPopulationAtLeast {
				t.Errorf("Population = %d, want at least %d", got.Population, tt.wantPopulationAtLeast)
			}
		})
	}
}

func TestCommunesIn(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		departement string
		want        int
	}{
		{"90", 101},
		{"25", 563},
		{"70", 536},
		{"68", 366},
		{"2a", 124},
		{"75", 21}, // Paris and its 20 arrondissements
		{"", 0},
		{"00", 0},
	}
	for _, tt := range tests {
		t.Run(tt.departement, func(t *testing.T) {
			got := r.CommunesIn(tt.departement)
			if len(got) != tt.want {
				t.Fatalf("len(CommunesIn(%q)) = %d, want %d", tt.departement, len(got), tt.want)
			}
			for i, c := range got {
				if c.Departement != strings.ToUpper(tt.departement) {
					t.Errorf("%s %s is in %s, want %s", c.INSEE, c.Name, c.Departement, tt.departement)
				}
				if i > 0 && referential.Fold(got[i-1].Name) > referential.Fold(c.Name) {
					t.Errorf("%q listed before %q", got[i-1].Name, c.Name)
				}
			}
		})
	}
}

func TestSearchCommunes(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		q, departement string
		limit          int
		wantFirst      string   // INSEE code of the first result; "" for no result
		wantAlso       []string // INSEE codes that must be among the results
		wantLen        int      // if not 0, the number of results
	}{
		{q: "hericourt", departement: "70", limit: 5, wantFirst: "70285", wantLen: 1},
		{q: "HÉRICOURT", limit: 10, wantFirst: "70285", wantAlso: []string{"62433", "76009"}, wantLen: 5},
		{q: "hericourt", departement: "90", limit: 5},
		{q: "belfort", limit: 5, wantFirst: "90010"},
		{q: "  Belf ", departement: "90", limit: 5, wantFirst: "90010"},
		{q: "saint etienne", limit: 3, wantFirst: "42218", wantLen: 3},
		{q: "saint-étienne", limit: 3, wantFirst: "42218"},
		{q: "montbeliard", departement: "25", limit: 10, wantFirst: "25388", wantAlso: []string{"25170"}},
		{q: "90000", limit: 5, wantFirst: "90010", wantLen: 1},
		{q: "90", departement: "90", limit: 200, wantFirst: "90010", wantLen: 101},
		{q: "90100", departement: "90", limit: 200, wantFirst: "90100", wantLen: 20}, // 90100 is an INSEE code and a postal code
		{q: "90010", limit: 5, wantFirst: "90010", wantLen: 1},
		{q: "2a004", limit: 5, wantFirst: "2A004", wantLen: 1},
		{q: "20000", limit: 5, wantFirst: "2A004"},
		{q: "75011", limit: 5, wantAlso: []string{"75111", "75056"}, wantFirst: "75056", wantLen: 2},
		{q: "a", departement: "90", limit: 4, wantFirst: "90001", wantLen: 4},
		{q: "", limit: 5},
		{q: "  ' - ", limit: 5},
		{q: "hericourt", departement: "00", limit: 5},
	}
	for _, tt := range tests {
		t.Run(tt.q+"/"+tt.departement, func(t *testing.T) {
			got := r.SearchCommunes(tt.q, tt.departement, tt.limit)
			var codes []string
			for _, c := range got {
				codes = append(codes, c.INSEE)
			}
			if tt.wantFirst == "" {
				if len(got) != 0 {
					t.Fatalf("SearchCommunes(%q, %q) = %v, want none", tt.q, tt.departement, codes)
				}
				return
			}
			if len(got) == 0 || got[0].INSEE != tt.wantFirst {
				t.Fatalf("SearchCommunes(%q, %q) = %v, want %s first", tt.q, tt.departement, codes, tt.wantFirst)
			}
			for _, w := range tt.wantAlso {
				if !slices.Contains(codes, w) {
					t.Errorf("SearchCommunes(%q, %q) = %v, want %s among them", tt.q, tt.departement, codes, w)
				}
			}
			if tt.wantLen != 0 && len(got) != tt.wantLen {
				t.Errorf("SearchCommunes(%q, %q) returned %d communes, want %d", tt.q, tt.departement, len(got), tt.wantLen)
			}
			if len(got) > tt.limit {
				t.Errorf("SearchCommunes(%q, %q, %d) returned %d communes", tt.q, tt.departement, tt.limit, len(got))
			}
			for _, c := range got {
				if tt.departement != "" && c.Departement != strings.ToUpper(tt.departement) {
					t.Errorf("%s %s is in %s, want %s", c.INSEE, c.Name, c.Departement, tt.departement)
				}
			}
		})
	}
}

func TestSearchCommunesNoLimit(t *testing.T) {
	r := mustLoad(t)
	if got, want := len(r.SearchCommunes("9", "90", 0)), 101; got != want {
		t.Errorf("SearchCommunes(\"9\", \"90\", 0) returned %d communes, want %d", got, want)
	}
}

func TestDepartement(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		code      string
		want      referential.Departement
		wantFound bool
	}{
		{"90", referential.Departement{Code: "90", Name: "Territoire de Belfort", Region: "27"}, true},
		{"2a", referential.Departement{Code: "2A", Name: "Corse-du-Sud", Region: "94"}, true},
		{"971", referential.Departement{Code: "971", Name: "Guadeloupe", Region: "01"}, true},
		{"20", referential.Departement{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			got, found := r.Departement(tt.code)
			if got != tt.want || found != tt.wantFound {
				t.Errorf("Departement(%q) = %+v, %v, want %+v, %v", tt.code, got, found, tt.want, tt.wantFound)
			}
		})
	}
	if got, ok := r.Region("27"); !ok || got.Name != "Bourgogne-Franche-Comté" {
		t.Errorf("Region(\"27\") = %+v, %v, want Bourgogne-Franche-Comté", got, ok)
	}
}

func TestROME(t *testing.T) {
	r := mustLoad(t)
	job, ok := r.ROMEJob("M1607")
	if want := (referential.ROMEJob{Code: "M1607", Label: "Secrétariat", DomaineCode: "M16", GrandDomaineCode: "M"}); !ok || job != want {
		t.Fatalf("ROMEJob(\"M1607\") = %+v, %v, want %+v", job, ok, want)
	}
	if got, ok := r.ROMEJob(" m1607"); !ok || got != job {
		t.Errorf("ROMEJob(\" m1607\") = %+v, %v, want %+v", got, ok, job)
	}
	if _, ok := r.ROMEJob("Z9999"); ok {
		t.Error("ROMEJob(\"Z9999\") found, want not found")
	}
	d, ok := r.Domaine(job.DomaineCode)
	if want := (referential.Domaine{Code: "M16", Label: "Secrétariat et assistance", GrandDomaineCode: "M"}); !ok || d != want {
		t.Errorf("Domaine(\"M16\") = %+v, %v, want %+v", d, ok, want)
	}
	g, ok := r.GrandDomaine(d.GrandDomaineCode)
	if want := (referential.GrandDomaine{Code: "M", Label: "Support à l'entreprise"}); !ok || g != want {
		t.Errorf("GrandDomaine(\"M\") = %+v, %v, want %+v", g, ok, want)
	}
	a, ok := r.Appellation("19364")
	if want := (referential.Appellation{Code: "19364", Label: "Secrétaire", ROMECode: "M1607"}); !ok || a != want {
		t.Errorf("Appellation(\"19364\") = %+v, %v, want %+v", a, ok, want)
	}
}

func TestSearchAppellations(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		q         string
		limit     int
		wantFirst referential.Appellation // zero for no result
		wantROME  string                  // a ROME code one of the results must have
	}{
		// "Aide à domicile" is filed under K1304 (services domestiques) in ROME v3.
		{"aide a domicile", 10, referential.Appellation{Code: "10805", Label: "Aide à domicile", ROMECode: "K1304"}, "K1403"},
		{"Aide-à-Domicile", 10, referential.Appellation{Code: "10805", Label: "Aide à domicile", ROMECode: "K1304"}, "K1304"},
		{"auxiliaire de vie", 10, referential.Appellation{Code: "11453", Label: "Auxiliaire de vie", ROMECode: "K1302"}, "K1302"},
		{"domicile aide", 10, referential.Appellation{Code: "10805", Label: "Aide à domicile", ROMECode: "K1304"}, "K1304"},
		{"SECRETAIRE", 5, referential.Appellation{Code: "19364", Label: "Secrétaire", ROMECode: "M1607"}, "M1607"},
		{"secr admin", 20, referential.Appellation{Code: "19365", Label: "Secrétaire administratif / administrative", ROMECode: "M1607"}, "M1607"},
		{"accueillante familiale", 5, referential.Appellation{Code: "10237", Label: "Accueillant familial/Accueillante familiale auprès d'adultes", ROMECode: "K1302"}, "K1302"},
		{"", 5, referential.Appellation{}, ""},
		{"zzzz qqqq", 5, referential.Appellation{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got := r.SearchAppellations(tt.q, tt.limit)
			if tt.wantFirst == (referential.Appellation{}) {
				if len(got) != 0 {
					t.Fatalf("SearchAppellations(%q) = %v, want none", tt.q, got)
				}
				return
			}
			if len(got) == 0 || got[0] != tt.wantFirst {
				t.Fatalf("SearchAppellations(%q) = %v, want %+v first", tt.q, got, tt.wantFirst)
			}
			if len(got) > tt.limit {
				t.Errorf("SearchAppellations(%q, %d) returned %d", tt.q, tt.limit, len(got))
			}
			if !slices.ContainsFunc(got, func(a referential.Appellation) bool { return a.ROMECode == tt.wantROME }) {
				t.Errorf("SearchAppellations(%q) = %v, want one under %s", tt.q, got, tt.wantROME)
			}
			for _, a := range got {
				if _, ok := r.ROMEJob(a.ROMECode); !ok {
					t.Errorf("appellation %s is under unknown ROME code %s", a.Code, a.ROMECode)
				}
			}
		})
	}
}

func TestDiagnostic(t *testing.T) {
	r := mustLoad(t)
	themes := r.Themes()
	if len(themes) != 16 {
		t.Fatalf("len(Themes()) = %d, want 16", len(themes))
	}
	var situations, objectives, actions int
	for _, th := range themes {
		if got, ok := r.Theme(th.Code); !ok || got != th {
			t.Errorf("Theme(%q) = %+v, %v, want %+v", th.Code, got, ok, th)
		}
		for _, s := range r.Situations(th.Code) {
			situations++
			if s.ThemeCode != th.Code {
				t.Errorf("situation %q of theme %s has theme %s", s.Label, th.Code, s.ThemeCode)
			}
			if !r.IsSituation(s.ThemeCode, s.Label) {
				t.Errorf("IsSituation(%q, %q) = false, want true", s.ThemeCode, s.Label)
			}
		}
		for _, o := range r.Objectives(th.Code) {
			objectives++
			if o.ThemeCode != th.Code {
				t.Errorf("objective %q of theme %s has theme %s", o.Label, th.Code, o.ThemeCode)
			}
		}
		for _, a := range r.Actions(th.Code) {
			actions++
			if a.ThemeCode != th.Code {
				t.Errorf("action %q of theme %s has theme %s", a.Label, th.Code, a.ThemeCode)
			}
		}
	}
	// Every row of the files, counted through the themes: a row whose theme
	// is not in cdb_themes.csv would be missing here.
	if situations != 88 || objectives != 58 || actions != 134 {
		t.Errorf("situations, objectives, actions = %d, %d, %d, want 88, 58, 134", situations, objectives, actions)
	}

	logement, ok := r.Theme("logement")
	if !ok || logement.Label != "Logement" {
		t.Errorf("Theme(\"logement\") = %+v, %v", logement, ok)
	}
	if _, ok := r.Theme("inconnu"); ok {
		t.Error("Theme(\"inconnu\") found")
	}
	if got := r.Situations("inconnu"); got != nil {
		t.Errorf("Situations(\"inconnu\") = %v, want nil", got)
	}
	tests := []struct {
		theme, label string
		want         bool
	}{
		{"contraintes_familiales", "Aidant familial (s’occuper d’un proche)", true},
		{"contraintes_familiales", "Attend un enfant ou plus", true},
		{"logement", "Attend un enfant ou plus", false},
		{"contraintes_familiales", "attend un enfant ou plus", false},
		{"contraintes_familiales", "", false},
	}
	for _, tt := range tests {
		if got := r.IsSituation(tt.theme, tt.label); got != tt.want {
			t.Errorf("IsSituation(%q, %q) = %v, want %v", tt.theme, tt.label, got, tt.want)
		}
	}
}

func TestIsObjectiveIsAction(t *testing.T) {
	r := mustLoad(t)
	objectives := []struct {
		theme, label string
		want         bool
	}{
		{"contraintes_familiales", "Trouver des solutions de garde d’enfant", true},
		{"contraintes_familiales", "Trouver des solutions de garde d'enfant", false}, // straight apostrophe
		{"mobilite", "Trouver des solutions de garde d’enfant", false},
		{"mobilite", "Accéder à un véhicule", true},
		{"mobilite", "accéder à un véhicule", false},
		{"", "", false},
	}
	for _, tt := range objectives {
		if got := r.IsObjective(tt.theme, tt.label); got != tt.want {
			t.Errorf("IsObjective(%q, %q) = %v, want %v", tt.theme, tt.label, got, tt.want)
		}
	}
	actions := []struct {
		theme, label string
		want         bool
	}{
		{"contraintes_familiales", "Accès à un mode de garde", true},
		{"emploi", "Accès à un mode de garde", false},
		{"emploi", "Réalisation d’une PMSMP", true},
		{"emploi", "Réalisation d'une PMSMP", false},
		{"logement", "Demande d'hébergement ( SIAO )", true},
		{"logement", "Demande d'hébergement (SIAO)", false},
	}
	for _, tt := range actions {
		if got := r.IsAction(tt.theme, tt.label); got != tt.want {
			t.Errorf("IsAction(%q, %q) = %v, want %v", tt.theme, tt.label, got, tt.want)
		}
	}
	for _, th := range r.Themes() {
		for _, o := range r.Objectives(th.Code) {
			if !r.IsObjective(o.ThemeCode, o.Label) {
				t.Errorf("IsObjective(%q, %q) = false, want true", o.ThemeCode, o.Label)
			}
		}
		for _, a := range r.Actions(th.Code) {
			if !r.IsAction(a.ThemeCode, a.Label) {
				t.Errorf("IsAction(%q, %q) = false, want true", a.ThemeCode, a.Label)
			}
		}
	}
}

func TestObjectivesFor(t *testing.T) {
	r := mustLoad(t)
	obj := func(theme, label string) referential.Objective {
		return referential.Objective{ThemeCode: theme, Label: label}
	}
	tests := []struct {
		theme, situation string
		want             []referential.Objective
	}{
		{"mobilite", "Aucun moyen de transport à disposition", []referential.Objective{
			obj("mobilite", "Trouver une solution de transport (hors acquisition ou entretien de véhicule)"),
			obj("mobilite", "Accéder à un véhicule"),
			obj("mobilite", "Obtenir le permis de conduire (code / conduite)"),
			obj("mobilite", "Faire un point complet sur sa mobilité"),
		}},
		{"contraintes_familiales", "Enfant(s) de moins de 3 ans sans solution de garde", []referential.Objective{
			obj("contraintes_familiales", "Trouver des solutions de garde d’enfant"),
		}},
		{"maitrise_langue", "Difficultés en calcul", []referential.Objective{
			obj("maitrise_langue", "Apprendre / Améliorer ses capacités en calcul"),
		}},
		// Answered by objectives of other themes.
		{"logement", "Territoire rural isolé", []referential.Objective{
			obj("mobilite", "Faire un point complet sur sa mobilité"),
			obj("mobilite", "Trouver une solution de transport (hors acquisition ou entretien de véhicule)"),
		}},
		{"emploi", "En projet d'entreprise", []referential.Objective{
			obj("creer_une_entreprise", "Définir son projet de création d'entreprise"),
			obj("creer_une_entreprise", "Structurer son projet de création d'entreprise"),
		}},
		{"emploi", "Prêt  à suivre une formation", []referential.Objective{ // two spaces, as in the source
			obj("se_former", "Trouver sa formation"),
			obj("se_former", "Monter son dossier de formation"),
		}},
		// Resources and neutral facts.
		{"mobilite", "Permis B", nil},
		{"numerique", "Dispose d'un ordinateur", nil},
		{"logement", "Propriétaire", nil},
		{"emploi", "Inscrit à Pôle emploi", nil},
		// Not a situation.
		{"mobilite", "Enfant(s) de moins de 3 ans sans solution de garde", nil},
		{"contraintes_familiales", "Enfant(s) de moins de 3 ans sans solution de garde ", nil},
		{"inconnu", "Permis B", nil},
	}
	for _, tt := range tests {
		t.Run(tt.theme+"/"+tt.situation, func(t *testing.T) {
			got := r.ObjectivesFor(tt.theme, tt.situation)
			if !slices.Equal(got, tt.want) {
				t.Errorf("ObjectivesFor(%q, %q) = %q, want %q", tt.theme, tt.situation, got, tt.want)
			}
			if tt.want == nil && got != nil {
				t.Errorf("ObjectivesFor(%q, %q) = %#v, want nil", tt.theme, tt.situation, got)
			}
		})
	}
}

// TestEverySituationIsMapped checks every row of cdb_situations.csv: a
// situation is either answered by valid objectives, or is one of the resources
// and neutral facts listed here.
func TestEverySituationIsMapped(t *testing.T) {
	r := mustLoad(t)
	type situation struct{ theme, label string }
	resources := map[situation]bool{
		{"emploi", "Disponible immédiatement"}:                    true,
		{"emploi", "Disponible à temps partiel"}:                  true,
		{"emploi", "Indisponible pour un emploi dans l'immédiat"}: true,
		{"emploi", "Inscrit à Pôle emploi"}:                       true,
		{"formation", "Ne souhaite pas suivre une formation"}:     true,
		{"logement", "Habitat mobile"}:                            true,
		{"logement", "Locataire du parc privé"}:                   true,
		{"logement", "Locataire du parc social"}:                  true,
		{"logement", "Propriétaire"}:                              true,
		{"mobilite", "Autres permis (poids lourd, bus, …)"}:       true,
		{"mobilite", "Co-voiturage"}:                              true,
		{"mobilite", "Code obtenu"}:                               true,
		{"mobilite", "Permis B"}:                                  true,
		{"mobilite", "Véhicule (voiture, moto, scooter)"}:         true,
		{"mobilite", "Véhicule sans permis"}:                      true,
		{"mobilite", "Vélo ou trottinette électrique"}:            true,
		{"numerique", "Dispose d'un ordinateur"}:                  true,
		{"numerique", "Dispose d'un smartphone"}:                  true,
		{"numerique", "Dispose d'une tablette"}:                   true,
		{"sante", "Existence d'un dossier MDPH"}:                  true,
	}
	var obstacles, found int
	for _, th := range r.Themes() {
		for _, s := range r.Situations(th.Code) {
			got := r.ObjectivesFor(s.ThemeCode, s.Label)
			resource := resources[situation{s.ThemeCode, s.Label}]
			if resource {
				found++
				if got != nil {
					t.Errorf("ObjectivesFor(%q, %q) = %q, want nil: it is a resource", s.ThemeCode, s.Label, got)
				}
				continue
			}
			obstacles++
			if len(got) == 0 {
				t.Errorf("ObjectivesFor(%q, %q) is empty, want the objectives that answer it", s.ThemeCode, s.Label)
			}
			for i, o := range got {
				if !r.IsObjective(o.ThemeCode, o.Label) {
					t.Errorf("situation %q: objective %+v is not in the referential", s.Label, o)
				}
				if slices.Contains(got[:i], o) {
					t.Errorf("situation %q: objective %+v is listed twice", s.Label, o)
				}
			}
			if len(r.SituationThematiques(s.ThemeCode, s.Label)) == 0 {
				t.Errorf("SituationThematiques(%q, %q) is empty", s.ThemeCode, s.Label)
			}
		}
	}
	if found != len(resources) {
		t.Errorf("found %d of the %d resources: a label in the list is misspelled", found, len(resources))
	}
	if got, want := obstacles+found, 88; got != want {
		t.Errorf("%d situations checked, want %d", got, want)
	}
}

// TestEveryObjectiveIsMapped checks every row of cdb_objectifs.csv: each
// objective leads to valid data·inclusion thématiques, and its default action,
// if any, is an action of the referential.
func TestEveryObjectiveIsMapped(t *testing.T) {
	r := mustLoad(t)
	var objectives, withAction int
	for _, th := range r.Themes() {
		for _, o := range r.Objectives(th.Code) {
			objectives++
			codes := r.ObjectiveThematiques(o.ThemeCode, o.Label)
			if len(codes) == 0 {
				t.Errorf("ObjectiveThematiques(%q, %q) is empty", o.ThemeCode, o.Label)
			}
			for i, code := range codes {
				if !r.IsDataInclusionCode("thematiques", code) {
					t.Errorf("objective %q: %q is not a data·inclusion thématique", o.Label, code)
				}
				if slices.Contains(codes[:i], code) {
					t.Errorf("objective %q: thématique %q is listed twice", o.Label, code)
				}
			}
			if a, ok := r.ObjectiveAction(o.ThemeCode, o.Label); ok {
				withAction++
				if !r.IsAction(a.ThemeCode, a.Label) {
					t.Errorf("ObjectiveAction(%q, %q) = %+v, not in the referential", o.ThemeCode, o.Label, a)
				}
			}
		}
	}
	if objectives != 58 {
		t.Errorf("%d objectives checked, want 58", objectives)
	}
	// Most objectives have an action of their own; a few (such as finding
	// work abroad) have none in the referential.
	if withAction < 50 {
		t.Errorf("%d objectives have a default action, want at least 50", withAction)
	}
}

func TestObjectiveThematiquesAndAction(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		theme, objective string
		want             []string
		action           referential.Action
		hasAction        bool
	}{
		{
			"contraintes_familiales", "Trouver des solutions de garde d’enfant",
			[]string{"famille--garde-denfants"},
			referential.Action{ThemeCode: "contraintes_familiales", Label: "Accès à un mode de garde"}, true,
		},
		{
			"mobilite", "Trouver une solution de transport (hors acquisition ou entretien de véhicule)",
			[]string{"mobilite--mobilite-douce-partagee-collective", "mobilite--financer-ma-mobilite", "mobilite--etre-accompagne-dans-son-parcours-mobilite"},
			referential.Action{ThemeCode: "mobilite", Label: "Mise à disposition de véhicules ( voiture, vélos électriques, trottinettes électriques… )"}, true,
		},
		{
			"logement", "Rechercher une solution d’hébergement temporaire",
			[]string{"logement-hebergement--rechercher-une-solution-dhebergement-temporaire"},
			referential.Action{ThemeCode: "logement", Label: "Demande d'hébergement ( SIAO )"}, true,
		},
		{ // the action is of another theme
			"choisir_un_metier", "Découvrir un métier ou un secteur d'activité",
			[]string{"choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite"},
			referential.Action{ThemeCode: "emploi", Label: "Réalisation d’une PMSMP"}, true,
		},
		{
			"s_ouvrir_a_l_international", "Connaître les opportunités d'emploi à l'étranger",
			[]string{"souvrir-a-linternational--connaitre-les-opportunites-demploi-a-letranger"},
			referential.Action{}, false,
		},
		{"contraintes_familiales", "Trouver des solutions de garde d'enfant", nil, referential.Action{}, false},
		{"inconnu", "Trouver des solutions de garde d’enfant", nil, referential.Action{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.theme+"/"+tt.objective, func(t *testing.T) {
			if got := r.ObjectiveThematiques(tt.theme, tt.objective); !slices.Equal(got, tt.want) {
				t.Errorf("ObjectiveThematiques(%q, %q) = %q, want %q", tt.theme, tt.objective, got, tt.want)
			}
			got, ok := r.ObjectiveAction(tt.theme, tt.objective)
			if got != tt.action || ok != tt.hasAction {
				t.Errorf("ObjectiveAction(%q, %q) = %+v, %v, want %+v, %v", tt.theme, tt.objective, got, ok, tt.action, tt.hasAction)
			}
		})
	}
}

func TestSituationThematiques(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		theme, situation string
		want             []string
	}{
		{"contraintes_familiales", "Enfant(s) de moins de 3 ans sans solution de garde", []string{"famille--garde-denfants"}},
		// Four objectives, whose thématiques overlap: each code comes once,
		// in the order of the objectives.
		{"mobilite", "Aucun moyen de transport à disposition", []string{
			"mobilite--mobilite-douce-partagee-collective",
			"mobilite--financer-ma-mobilite",
			"mobilite--etre-accompagne-dans-son-parcours-mobilite",
			"mobilite--acceder-a-un-vehicule",
			"mobilite--preparer-un-permis",
		}},
		{"logement", "Sans hébergement / rupture effective de logement", []string{
			"logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
			"logement-hebergement--louer-un-logement",
			"difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
		}},
		{"difficulte_financiere", "Besoin d'un soutien alimentaire", []string{
			"difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere",
			"equipement-et-alimentation--alimentation",
		}},
		{"mobilite", "Permis B", nil},
		{"numerique", "Dispose d'un ordinateur", nil},
		{"inconnu", "Permis B", nil},
	}
	for _, tt := range tests {
		t.Run(tt.theme+"/"+tt.situation, func(t *testing.T) {
			if got := r.SituationThematiques(tt.theme, tt.situation); !slices.Equal(got, tt.want) {
				t.Errorf("SituationThematiques(%q, %q) = %q, want %q", tt.theme, tt.situation, got, tt.want)
			}
		})
	}

	// For every situation, the union of its objectives' thématiques.
	for _, th := range r.Themes() {
		for _, s := range r.Situations(th.Code) {
			var want []string
			for _, o := range r.ObjectivesFor(s.ThemeCode, s.Label) {
				for _, code := range r.ObjectiveThematiques(o.ThemeCode, o.Label) {
					if !slices.Contains(want, code) {
						want = append(want, code)
					}
				}
			}
			if got := r.SituationThematiques(s.ThemeCode, s.Label); !slices.Equal(got, want) {
				t.Errorf("SituationThematiques(%q, %q) = %q, want %q", s.ThemeCode, s.Label, got, want)
			}
		}
	}
}

func TestDataInclusion(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		list string
		want int
	}{
		{"thematiques", 69},
		{"thematiques_categories", 16},
		{"types_de_services", 6},
		{"typologies_de_services", 11},
		{"frais", 2},
		{"publics", 14},
		{"modes_accueil", 2},
		{"modes_mobilisation", 4},
		{"personnes_mobilisatrices", 2},
		{"reseaux_porteurs", 108},
		{"profils", 0}, // a v0 list
		{"", 0},
	}
	for _, tt := range tests {
		t.Run(tt.list, func(t *testing.T) {
			got := r.DataInclusion(tt.list)
			if len(got) != tt.want {
				t.Fatalf("len(DataInclusion(%q)) = %d, want %d", tt.list, len(got), tt.want)
			}
			for _, c := range got {
				if c.Code == "" || c.Label == "" {
					t.Errorf("code %+v has an empty code or label", c)
				}
				if !r.IsDataInclusionCode(tt.list, c.Code) {
					t.Errorf("IsDataInclusionCode(%q, %q) = false, want true", tt.list, c.Code)
				}
				if tt.list == "thematiques" && !r.IsDataInclusionCode("thematiques_categories", c.Category) {
					t.Errorf("thématique %s has unknown category %q", c.Code, c.Category)
				}
				if tt.list != "thematiques" && c.Category != "" {
					t.Errorf("code %s of %s has category %q, want none", c.Code, tt.list, c.Category)
				}
			}
		})
	}

	frais := r.DataInclusion("frais")
	want := []referential.Code{
		{Code: "gratuit", Label: "Gratuit", Description: "L’accès au lieu et/ou à ses services est gratuit"},
		{Code: "payant", Label: "Payant", Description: "L’accès au lieu et/ou à ses services est payant"},
	}
	if !slices.Equal(frais, want) {
		t.Errorf("DataInclusion(\"frais\") = %+v, want %+v", frais, want)
	}
	codes := []struct {
		list, code string
		want       bool
	}{
		{"frais", "gratuit", true},
		{"frais", "gratuit-sous-conditions", false}, // v0 only
		{"thematiques", "choisir-un-metier--confirmer-son-choix-de-metier", true},
		{"thematiques", "choisir-un-metier", false},
		{"inconnu", "gratuit", false},
	}
	for _, tt := range codes {
		if got := r.IsDataInclusionCode(tt.list, tt.code); got != tt.want {
			t.Errorf("IsDataInclusionCode(%q, %q) = %v, want %v", tt.list, tt.code, got, tt.want)
		}
	}
}

// TestResultsAreCopies checks that a caller changing what it got back does not
// change what other callers see.
func TestResultsAreCopies(t *testing.T) {
	r := mustLoad(t)
	c, _ := r.Commune("90010")
	c.PostalCodes[0] = "00000"
	in := r.CommunesIn("90")
	in[0].Name = "X"
	in[0].PostalCodes[0] = "00000"
	found := r.SearchCommunes("belfort", "90", 1)
	found[0].PostalCodes[0] = "00000"
	r.Themes()[0].Label = "X"
	r.DataInclusion("frais")[0].Code = "X"
	r.ObjectivesFor("mobilite", "Aucun moyen de transport à disposition")[0].Label = "X"
	r.ObjectiveThematiques("contraintes_familiales", "Trouver des solutions de garde d’enfant")[0] = "X"
	r.SituationThematiques("contraintes_familiales", "Enfant(s) de moins de 3 ans sans solution de garde")[0] = "X"

	if c, _ := r.Commune("90010"); c.PostalCodes[0] != "90000" {
		t.Errorf("Belfort postal code = %s after a caller changed its copy", c.PostalCodes[0])
	}
	if c := r.CommunesIn("90")[0]; c.Name == "X" || c.PostalCodes[0] == "00000" {
		t.Errorf("first commune of 90 = %+v after a caller changed its copy", c)
	}
	if th := r.Themes()[0]; th.Label == "X" {
		t.Errorf("first theme = %+v after a caller changed its copy", th)
	}
	if !r.IsDataInclusionCode("frais", "gratuit") || r.DataInclusion("frais")[0].Code != "gratuit" {
		t.Error("frais changed after a caller changed its copy")
	}
	if o := r.ObjectivesFor("mobilite", "Aucun moyen de transport à disposition")[0]; o.Label == "X" {
		t.Errorf("first objective for no transport = %+v after a caller changed its copy", o)
	}
	if got := r.ObjectiveThematiques("contraintes_familiales", "Trouver des solutions de garde d’enfant"); got[0] != "famille--garde-denfants" {
		t.Errorf("childcare thématiques = %q after a caller changed its copy", got)
	}
	if got := r.SituationThematiques("contraintes_familiales", "Enfant(s) de moins de 3 ans sans solution de garde"); got[0] != "famille--garde-denfants" {
		t.Errorf("childcare situation thématiques = %q after a caller changed its copy", got)
	}
}

func TestConcurrentReads(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			r := mustLoad(t)
			if got := r.SearchCommunes("bel", "90", 5); len(got) == 0 {
				t.Error("SearchCommunes(\"bel\", \"90\") found nothing")
			}
			if got := r.SearchAppellations("aide", 5); len(got) == 0 {
				t.Error("SearchAppellations(\"aide\") found nothing")
			}
		})
	}
	wg.Wait()
}

func TestLoadReturnsTheSameReferential(t *testing.T) {
	if a, b := mustLoad(t), mustLoad(t); a != b {
		t.Error("Load parsed the data twice")
	}
}
