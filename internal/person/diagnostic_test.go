package person_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/referential"
)

func TestSectionOf(t *testing.T) {
	tests := []struct {
		theme, situation string
		want             person.Section
	}{
		{"sante", "Existence d'un dossier MDPH", person.SectionHealth},
		{"sante", "Couverture sociale / mutuelle à mettre à jour", person.SectionHealth},
		{"difficulte_financiere", "En situation de surendettement", person.SectionFinances},
		{"difficulte_financiere", "Sans aucune ressource", person.SectionFinances},
		{"difficulte_administrative", "Difficulté d’ordre juridique", person.SectionJustice},
		{"difficulte_administrative", "Difficulté d'ordre juridique", person.SectionJustice}, // straight apostrophe
		{"difficulte_administrative", "DIFFICULTE D ORDRE JURIDIQUE", person.SectionJustice},
		{"difficulte_administrative", "Difficulté liée à son avis d’imposition", ""},
		{"difficulte_administrative", "Problématique judiciaire", person.SectionJustice},
		{"contraintes_familiales", "Enfant(s) en situation de handicap", person.SectionHealth},
		{"contraintes_familiales", "Problématique de santé d'un enfant", person.SectionHealth},
		{"mobilite", "État de santé déclaré rendant incompatible la conduite", person.SectionHealth},
		{"contraintes_familiales", "Contrainte horaires", ""},
		{"logement", "Logement insalubre", ""},
		{"mobilite", "Permis B", ""},
		{"emploi", "Disponible immédiatement", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := person.SectionOf(tt.theme, tt.situation); got != tt.want {
			t.Errorf("SectionOf(%q, %q) = %q, want %q", tt.theme, tt.situation, got, tt.want)
		}
	}
}

// TestSectionOfReferential walks every situation of the referential: the
// health and finances themes are sensitive whole, any label that speaks of
// health or disability is health, and the legal difficulty is justice.
func TestSectionOfReferential(t *testing.T) {
	ref := loadRef(t)
	counts := map[person.Section]int{}
	for _, th := range ref.Themes() {
		for _, s := range ref.Situations(th.Code) {
			got := person.SectionOf(th.Code, s.Label)
			counts[got]++
			words := " " + referential.Fold(s.Label) + " "
			var want person.Section
			switch {
			case th.Code == "sante", strings.Contains(words, "sante"), strings.Contains(words, "handicap"):
				want = person.SectionHealth
			case strings.Contains(words, "juridique"):
				want = person.SectionJustice
			case th.Code == "difficulte_financiere":
				want = person.SectionFinances
			}
			if got != want {
				t.Errorf("SectionOf(%q, %q) = %q, want %q", th.Code, s.Label, got, want)
			}
			if got != "" && !got.Sensitive() {
				t.Errorf("SectionOf(%q, %q) = %q, not a sensitive section", th.Code, s.Label, got)
			}
		}
	}
	if counts[person.SectionHealth] == 0 || counts[person.SectionJustice] != 1 || counts[person.SectionFinances] == 0 {
		t.Errorf("sections per situation = %v, want some health and finances and one justice", counts)
	}
}

func TestSituationInputSection(t *testing.T) {
	tests := []struct {
		in   person.SituationInput
		want person.Section
	}{
		{person.SituationInput{"logement", "Hébergé chez un tiers", "Chez sa sœur depuis mars."}, ""},
		{person.SituationInput{"logement", "Hébergé chez un tiers", "Sortie de prison en janvier."}, person.SectionJustice},
		{person.SituationInput{"logement", "Hébergé chez un tiers", "Suivi par le SPIP."}, person.SectionJustice},
		{person.SituationInput{"emploi", "Jamais travaillé", "Placé en GARDE À VUE l'an dernier."}, person.SectionJustice},
		{person.SituationInput{"mobilite", "Permis non valide / suspension de permis", "Condamnation pour conduite sans assurance."}, person.SectionJustice},
		{person.SituationInput{"emploi", "Jamais travaillé", "Travail d’intérêt général effectué."}, person.SectionJustice},
		{person.SituationInput{"logement", "Difficulté à payer le loyer", "Pénalités de retard, sursis à expulsion accordé."}, ""},
		{person.SituationInput{"logement", "Locataire du parc social", "Détenteur d'un bail depuis 2019."}, ""},
		// A comment never lowers the protection of its situation.
		{person.SituationInput{"sante", "Existence d'un dossier MDPH", "Condamné en 2019."}, person.SectionHealth},
		{person.SituationInput{"difficulte_financiere", "Baisse des ressources", "Rien de particulier."}, person.SectionFinances},
		{person.SituationInput{"difficulte_financiere", "Baisse des ressources", "Amende du tribunal à payer."}, person.SectionFinances},
	}
	for _, tt := range tests {
		if got := tt.in.Section(); got != tt.want {
			t.Errorf("%+v.Section() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidateDiagnostic(t *testing.T) {
	ref := loadRef(t)
	ok1 := person.SituationInput{Theme: "logement", Label: "Logement insalubre"}
	ok2 := person.SituationInput{Theme: "difficulte_administrative", Label: "Difficulté d’ordre juridique", Comment: "Divorce en cours."}
	tests := []struct {
		name string
		in   []person.SituationInput
		want []string
		msg  string // expected message of the first field, if set
	}{
		{"empty diagnostic", nil, nil, ""},
		{"valid", []person.SituationInput{ok1, ok2}, nil, ""},
		{"unknown theme", []person.SituationInput{ok1, {Theme: "loisirs", Label: "Logement insalubre"}},
			[]string{"situations[1].theme"}, "Ce thème n'existe pas dans le diagnostic."},
		{"no theme", []person.SituationInput{{Label: "Logement insalubre"}}, []string{"situations[0].theme"}, "Choisissez un thème."},
		{"no label", []person.SituationInput{{Theme: "logement"}}, []string{"situations[0].label"}, "Choisissez une situation."},
		{"situation of another theme", []person.SituationInput{{Theme: "mobilite", Label: "Logement insalubre"}},
			[]string{"situations[0].label"}, "Cette situation n'existe pas pour le thème « Mobilité »."},
		{"label not exactly the referential's", []person.SituationInput{{Theme: "difficulte_administrative", Label: "Difficulté d'ordre juridique"}},
			[]string{"situations[0].label"}, ""},
		{"duplicate", []person.SituationInput{ok1, ok2, {Theme: "logement", Label: "Logement insalubre", Comment: "autre"}},
			[]string{"situations[2].label"}, "Cette situation figure déjà dans le diagnostic."},
		{"comment of 2000 characters", []person.SituationInput{{Theme: "logement", Label: "Logement insalubre", Comment: strings.Repeat("é", 2000)}}, nil, ""},
		{"comment of 2001 characters", []person.SituationInput{{Theme: "logement", Label: "Logement insalubre", Comment: strings.Repeat("é", 2001)}},
			[]string{"situations[0].comment"}, "Le commentaire ne doit pas dépasser 2\u00a0000 caractères."},
		{"two errors in one row", []person.SituationInput{{Theme: "x", Comment: strings.Repeat("a", 2001)}},
			[]string{"situations[0].theme", "situations[0].comment"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := person.ValidateDiagnostic(ref, tt.in)
			checkFields(t, fs, tt.want...)
			if tt.msg != "" && fs[0].Message != tt.msg {
				t.Errorf("message = %q, want %q", fs[0].Message, tt.msg)
			}
		})
	}
}

func TestDiagnosticDiff(t *testing.T) {
	ended := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	entry := func(id int64, theme, situation, comment string) person.DiagnosticEntry {
		return person.DiagnosticEntry{ID: id, Theme: theme, Situation: situation, Comment: comment}
	}
	in := func(theme, label, comment string) person.SituationInput {
		return person.SituationInput{Theme: theme, Label: label, Comment: comment}
	}
	current := []person.DiagnosticEntry{
		entry(1, "logement", "Logement insalubre", ""),
		entry(2, "mobilite", "Permis B", "Obtenu en 2020"),
		entry(3, "emploi", "Jamais travaillé", ""),
	}
	tests := []struct {
		name     string
		current  []person.DiagnosticEntry
		wanted   []person.SituationInput
		wantAdd  []person.SituationInput
		wantEnds []int64
	}{
		{"nothing changed", current,
			[]person.SituationInput{in("logement", "Logement insalubre", ""), in("mobilite", "Permis B", "Obtenu en 2020"), in("emploi", "Jamais travaillé", "")},
			nil, nil},
		{"order does not matter", current,
			[]person.SituationInput{in("emploi", "Jamais travaillé", ""), in("mobilite", "Permis B", "Obtenu en 2020"), in("logement", "Logement insalubre", "")},
			nil, nil},
		{"same comment with other line endings and spaces",
			[]person.DiagnosticEntry{entry(1, "logement", "Logement insalubre", "a\nb")},
			[]person.SituationInput{in("logement", "Logement insalubre", "a\r\nb \n")},
			nil, nil},
		{"one removed", current,
			[]person.SituationInput{in("logement", "Logement insalubre", ""), in("emploi", "Jamais travaillé", "")},
			nil, []int64{2}},
		{"one added", current[:1],
			[]person.SituationInput{in("logement", "Logement insalubre", ""), in("mobilite", "Code obtenu", "")},
			[]person.SituationInput{in("mobilite", "Code obtenu", "")}, nil},
		{"comment changed: ended and added", current,
			[]person.SituationInput{in("logement", "Logement insalubre", ""), in("mobilite", "Permis B", "Obtenu en 2021"), in("emploi", "Jamais travaillé", "")},
			[]person.SituationInput{in("mobilite", "Permis B", "Obtenu en 2021")}, []int64{2}},
		{"everything cleared", current, nil, nil, []int64{1, 2, 3}},
		{"first diagnostic", nil,
			[]person.SituationInput{in("logement", "Logement insalubre", "")},
			[]person.SituationInput{in("logement", "Logement insalubre", "")}, nil},
		{"ended entries are history, not current",
			[]person.DiagnosticEntry{{ID: 9, Theme: "logement", Situation: "Logement insalubre", EndedAt: ended}},
			[]person.SituationInput{in("logement", "Logement insalubre", "")},
			[]person.SituationInput{in("logement", "Logement insalubre", "")}, nil},
		{"wanted twice, current once: one kept, one added",
			[]person.DiagnosticEntry{entry(1, "logement", "Logement insalubre", "")},
			[]person.SituationInput{in("logement", "Logement insalubre", ""), in("logement", "Logement insalubre", "")},
			[]person.SituationInput{in("logement", "Logement insalubre", "")}, nil},
		{"duplicate current entry: one kept, one ended",
			[]person.DiagnosticEntry{entry(1, "logement", "Logement insalubre", ""), entry(2, "logement", "Logement insalubre", "")},
			[]person.SituationInput{in("logement", "Logement insalubre", "")},
			nil, []int64{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			add, end := person.DiagnosticDiff(tt.current, tt.wanted)
			if !slices.Equal(add, tt.wantAdd) {
				t.Errorf("add = %+v, want %+v", add, tt.wantAdd)
			}
			var ids []int64
			for _, e := range end {
				ids = append(ids, e.ID)
			}
			if !slices.Equal(ids, tt.wantEnds) {
				t.Errorf("end = %v, want %v", ids, tt.wantEnds)
			}
		})
	}
}
