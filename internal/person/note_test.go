package person_test

import (
	"strings"
	"testing"

	"github.com/spie-parcours/parcours/internal/person"
)

func TestValidateNote(t *testing.T) {
	tests := []struct {
		name string
		body string
		vis  person.Visibility
		sec  person.Section
		want []string
	}{
		{"team note", "Entretien ce matin.", person.VisibilityTeam, "", nil},
		{"structure note", "x", person.VisibilityStructure, "", nil},
		{"note the person reads", "Rendez-vous le 3 mai.", person.VisibilityPerson, "", nil},
		{"health note", "Suivi au CMP.", person.VisibilityTeam, person.SectionHealth, nil},
		{"justice note", "Suivi SPIP.", person.VisibilityStructure, person.SectionJustice, nil},
		{"finances note", "Dossier de surendettement.", person.VisibilityTeam, person.SectionFinances, nil},
		{"empty body", "", person.VisibilityTeam, "", []string{"text"}},
		{"blank body", " \n\t ", person.VisibilityTeam, "", []string{"text"}},
		{"body of 10000 characters", strings.Repeat("é", 10000), person.VisibilityTeam, "", nil},
		{"body of 10001 characters", strings.Repeat("é", 10001), person.VisibilityTeam, "", []string{"text"}},
		{"no visibility", "x", "", "", []string{"visibility"}},
		{"unknown visibility", "x", "public", "", []string{"visibility"}},
		{"non-sensitive section", "x", person.VisibilityTeam, person.SectionProject, []string{"section"}},
		{"unknown section", "x", person.VisibilityTeam, "sante", []string{"section"}},
		{"everything wrong", "", "all", person.SectionIdentity, []string{"text", "visibility", "section"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFields(t, person.ValidateNote(tt.body, tt.vis, tt.sec), tt.want...)
		})
	}
}

func TestConsentValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *person.Consent)
		want   []string
	}{
		{"valid", func(c *person.Consent) {}, nil},
		{"no section: a sharing of non-sensitive parts", func(c *person.Consent) { c.Sections = nil }, nil},
		{"every sensitive section", func(c *person.Consent) { c.Sections = person.SensitiveSections }, nil},
		{"oral", func(c *person.Consent) { c.Method = "oral" }, nil},
		{"digital", func(c *person.Consent) { c.Method = "digital" }, nil},
		{"no purpose", func(c *person.Consent) { c.Purpose = "  " }, []string{"purpose"}},
		{"purpose of 200 characters", func(c *person.Consent) { c.Purpose = strings.Repeat("é", 200) }, nil},
		{"purpose of 201 characters", func(c *person.Consent) { c.Purpose = strings.Repeat("é", 201) }, []string{"purpose"}},
		{"no method", func(c *person.Consent) { c.Method = "" }, []string{"method"}},
		{"unknown method", func(c *person.Consent) { c.Method = "email" }, []string{"method"}},
		{"no structure", func(c *person.Consent) { c.StructureIDs = nil }, []string{"structure_ids"}},
		{"invalid structure ID", func(c *person.Consent) { c.StructureIDs = []int64{4, 0} }, []string{"structure_ids"}},
		{"same structure twice", func(c *person.Consent) { c.StructureIDs = []int64{4, 7, 4} }, []string{"structure_ids"}},
		{"non-sensitive section", func(c *person.Consent) { c.Sections = []person.Section{person.SectionHealth, person.SectionNotes} }, []string{"sections"}},
		{"several non-sensitive sections: one message", func(c *person.Consent) {
			c.Sections = []person.Section{person.SectionNotes, person.SectionProject}
		}, []string{"sections"}},
		{"everything wrong", func(c *person.Consent) { *c = person.Consent{Sections: []person.Section{"x"}} },
			[]string{"purpose", "method", "structure_ids", "sections"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := person.Consent{
				Purpose:      "Partager le suivi santé avec le CCAS pour l'aide au logement",
				StructureIDs: []int64{4, 7},
				Sections:     []person.Section{person.SectionHealth},
				Method:       "written",
			}
			tt.change(&c)
			checkFields(t, c.Validate(), tt.want...)
		})
	}
}
