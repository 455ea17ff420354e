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
