package person_test

import (
	"math"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/referential"
)

func TestValidateObjective(t *testing.T) {
	ref, err := referential.Load()
	if err != nil {
		t.Fatal(err)
	}
	transport := referential.Situation{ThemeCode: "mobilite", Label: "Aucun moyen de transport à disposition"}
	tests := []struct {
		name  string
		o     person.Objective
		field string // "" when valid
	}{
		{"valid", person.Objective{Theme: "mobilite", Label: "Accéder à un véhicule", Situations: []referential.Situation{transport}}, ""},
		{"situation of another theme", person.Objective{Theme: "mobilite", Label: "Accéder à un véhicule",
			Situations: []referential.Situation{{ThemeCode: "logement", Label: "Territoire rural isolé"}}}, ""},
		{"no theme", person.Objective{Label: "Accéder à un véhicule"}, "theme"},
		{"unknown theme", person.Objective{Theme: "voyage", Label: "Accéder à un véhicule"}, "theme"},
		{"objective of another theme", person.Objective{Theme: "logement", Label: "Accéder à un véhicule"}, "label"},
		{"no objective", person.Objective{Theme: "logement"}, "label"},
		{"unknown situation", person.Objective{Theme: "mobilite", Label: "Accéder à un véhicule",
			Situations: []referential.Situation{{ThemeCode: "mobilite", Label: "Voiture en panne"}}}, "situations[0]"},
		{"unknown status", person.Objective{Theme: "mobilite", Label: "Accéder à un véhicule", Status: "fini"}, "status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := person.ValidateObjective(ref, tt.o)
			switch {
			case tt.field == "" && len(fs) > 0:
				t.Errorf("got %v, want valid", fs)
			case tt.field != "" && fs.For(tt.field) == "":
				t.Errorf("got %v, want a message on %s", fs, tt.field)
			}
		})
	}
}

func TestValidateAction(t *testing.T) {
	tests := []struct {
		name  string
		a     person.Action
		field string
	}{
		{"valid", person.Action{Label: "Atelier CV", Status: person.ActionPlanned, WeeklyHours: 2.5}, ""},
		{"a quarter of an hour", person.Action{Label: "Point d'étape", Status: person.ActionDone, WeeklyHours: 0.25}, ""},
		{"no label", person.Action{Label: "  ", Status: person.ActionPlanned}, "label"},
		{"unknown status", person.Action{Label: "Atelier", Status: "fini"}, "status"},
		{"negative hours", person.Action{Label: "Atelier", Status: person.ActionPlanned, WeeklyHours: -1}, "weekly_hours"},
		{"more than a full week", person.Action{Label: "Atelier", Status: person.ActionPlanned, WeeklyHours: 36}, "weekly_hours"},
		{"not a quarter", person.Action{Label: "Atelier", Status: person.ActionPlanned, WeeklyHours: 1.1}, "weekly_hours"},
		{"not a number", person.Action{Label: "Atelier", Status: person.ActionPlanned, WeeklyHours: math.NaN()}, "weekly_hours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := person.ValidateAction(tt.a)
			switch {
			case tt.field == "" && len(fs) > 0:
				t.Errorf("got %v, want valid", fs)
			case tt.field != "" && fs.For(tt.field) == "":
				t.Errorf("got %v, want a message on %s", fs, tt.field)
			}
		})
	}
}

func TestWeeklyActivityCountsActiveActions(t *testing.T) {
	plan := []person.Objective{
		{Actions: []person.Action{{Status: person.ActionPlanned, WeeklyHours: 4}, {Status: person.ActionDone, WeeklyHours: 10}}},
		{Actions: []person.Action{{Status: person.ActionInProgress, WeeklyHours: 6.5}, {Status: person.ActionStandby, WeeklyHours: 3},
			{Status: person.ActionCanceled, WeeklyHours: 2}, {Status: person.ActionAbandoned, WeeklyHours: 1}}},
	}
	if got := person.WeeklyActivity(plan); got != 10.5 {
		t.Errorf("weekly activity = %v, want 10.5 (planned and in progress only)", got)
	}
}

func TestContract(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return time.Date(2026, 12, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name   string
		c      person.Contract
		target float64
		field  string
	}{
		{"standard", person.Contract{TargetHours: 3}, 15, ""},
		{"adjusted for a single parent", person.Contract{AdjustReason: person.AdjustSingleParent, TargetHours: 10}, 10, ""},
		{"waived for health", person.Contract{AdjustReason: person.AdjustHealth, TargetHours: 0}, 0, ""},
		{"adjusted to 15 or more", person.Contract{AdjustReason: person.AdjustDisability, TargetHours: 15}, 15, "target_hours"},
		{"other without comment", person.Contract{AdjustReason: person.AdjustOther, TargetHours: 8}, 8, "adjust_comment"},
		{"unknown reason", person.Contract{AdjustReason: "fatigue", TargetHours: 8}, 8, "adjust_reason"},
		{"signed today", person.Contract{SignedOn: day(6), Signatories: "La personne ; le référent"}, 15, ""},
		{"signed tomorrow", person.Contract{SignedOn: day(7), Signatories: "La personne"}, 15, "signed_on"},
		{"signed by nobody", person.Contract{SignedOn: day(1)}, 15, "signatories"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Target(); got != tt.target {
				t.Errorf("target = %v, want %v", got, tt.target)
			}
			fs := tt.c.Validate(now)
			switch {
			case tt.field == "" && len(fs) > 0:
				t.Errorf("got %v, want valid", fs)
			case tt.field != "" && fs.For(tt.field) == "":
				t.Errorf("got %v, want a message on %s", fs, tt.field)
			}
		})
	}
	if person.AdjustHealth.Section() != person.SectionHealth || person.AdjustDisability.Section() != person.SectionHealth ||
		person.AdjustSingleParent.Section() != "" {
		t.Error("an adjustment for health or disability is health data")
	}
}

func TestObjectiveSections(t *testing.T) {
	for _, tt := range []struct {
		theme, label string
		want         person.Section
	}{
		{"sante", "Constituer un dossier MDPH/invalidité", person.SectionHealth},
		{"difficulte_financiere", "Améliorer sa gestion budgétaire", person.SectionFinances},
		{"difficulte_administrative", "Prendre en compte une problématique judiciaire", person.SectionJustice},
		{"mobilite", "Accéder à un véhicule", ""},
	} {
		if got := person.SectionOfObjective(tt.theme, tt.label); got != tt.want {
			t.Errorf("%s / %s: section %q, want %q", tt.theme, tt.label, got, tt.want)
		}
	}
}
