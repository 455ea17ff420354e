package person_test

import (
	"slices"
	"testing"

	"github.com/spie-parcours/parcours/internal/person"
)

func TestOptionLists(t *testing.T) {
	lists := []struct {
		name string
		opts []person.Option
		m    map[string]string
		want []string // the codes, in any order; nil to skip
	}{
		{"RSARights", person.RSARightOptions, person.RSARights, []string{
			"rsa_droit_ouvert_versable", "rsa_droit_ouvert_et_suspendu", "rsa_droit_ouvert_versement_suspendu",
			"rsa_demande_en_attente", "rsa_refuse", "rsa_clos", "rsa_clos_anterieur"}},
		{"WorkSituations", person.WorkSituationOptions, person.WorkSituations, []string{
			"recherche_emploi", "recherche_formation", "recherche_alternance", "recherche_stage", "emploi",
			"formation", "stage", "alternance", "service_civique", "iae", "interim", "construction_projet",
			"projet_entrepreneurial", "entrepreneur", "etudiant", "enretraite", "maladie", "invalidite",
			"conge_parental", "au_foyer", "autre", "cdi_temps_plein", "cdi_temps_partiel", "cdd_temps_plein",
			"cdd_temps_partiel", "intermittent"}},
		{"EducationLevels", person.EducationLevelOptions, person.EducationLevels, []string{
			"aucun_diplome", "infra_3", "niveau_3", "niveau_4", "niveau_5", "niveau_6", "niveau_7", "niveau_8"}},
		{"ConsentMethods", person.ConsentMethodOptions, person.ConsentMethods, []string{"oral", "written", "digital"}},
		{"Visibilities", person.VisibilityOptions, person.Visibilities, []string{"structure", "team", "person"}},
		{"EventKinds", person.EventKindOptions, person.EventKinds, []string{
			"note_added", "diagnostic_updated", "project_updated", "team_member_added", "team_member_removed",
			"referent_changed", "join_requested", "join_decided", "consent_recorded", "consent_withdrawn",
			"objection_recorded", "person_registered", "identity_updated", "objective_added", "objective_updated",
			"action_added", "action_updated", "contract_updated", "referral_sent", "referral_updated", "invitation_sent", "invitation_updated",
			"appointment_booked", "appointment_updated"}},
	}
	for _, l := range lists {
		t.Run(l.name, func(t *testing.T) {
			var codes []string
			labels := map[string]bool{}
			for _, o := range l.opts {
				if o.Code == "" || o.Label == "" {
					t.Errorf("option %+v has an empty code or label", o)
				}
				if labels[o.Label] {
					t.Errorf("label %q appears twice", o.Label)
				}
				labels[o.Label] = true
				if got := l.m[o.Code]; got != o.Label {
					t.Errorf("map[%q] = %q, want %q", o.Code, got, o.Label)
				}
				codes = append(codes, o.Code)
			}
			if len(l.m) != len(l.opts) {
				t.Errorf("map has %d codes, options %d: a code appears twice", len(l.m), len(l.opts))
			}
			slices.Sort(codes)
			want := slices.Sorted(slices.Values(l.want))
			if !slices.Equal(codes, want) {
				t.Errorf("codes = %v, want %v", codes, want)
			}
		})
	}
}

func TestLabel(t *testing.T) {
	tests := []struct {
		list map[string]string
		code string
		want string
	}{
		{person.RSARights, "rsa_droit_ouvert_versable", "Droit ouvert et versable"},
		{person.RSARights, "rsa_refuse", "Droit refusé"},
		{person.EducationLevels, "niveau_3", "Niveau 3 : CAP, BEP"},
		{person.EducationLevels, "niveau_8", "Niveau 8 : doctorat"},
		{person.WorkSituations, "recherche_emploi", "En recherche d'emploi"},
		{person.ConsentMethods, "written", "Écrit signé"},
		{person.ConsentMethods, "digital", "Formulaire en ligne"},
		{person.Visibilities, "structure", "Ma structure uniquement"},
		{person.Visibilities, "team", "Équipe de suivi"},
		{person.Visibilities, "person", "Équipe et personne accompagnée"},
		{person.RSARights, "rsa_inconnu", "rsa_inconnu"}, // a stale code still shows
		{person.RSARights, "", ""},
		{nil, "x", "x"},
	}
	for _, tt := range tests {
		if got := person.Label(tt.list, tt.code); got != tt.want {
			t.Errorf("Label(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func TestSectionLabel(t *testing.T) {
	want := map[person.Section]string{
		person.SectionIdentity:   "Identité",
		person.SectionDiagnostic: "Diagnostic",
		person.SectionProject:    "Projet professionnel",
		person.SectionTeam:       "Équipe de suivi",
		person.SectionTimeline:   "Historique",
		person.SectionNotes:      "Notes",
		person.SectionConsents:   "Consentements",
		person.SectionAccessLog:  "Journal des accès",
		person.SectionHealth:     "Santé et RQTH",
		person.SectionJustice:    "Justice",
		person.SectionFinances:   "Finances",
	}
	for s, w := range want {
		if got := person.SectionLabel(s); got != w {
			t.Errorf("SectionLabel(%q) = %q, want %q", s, got, w)
		}
	}
	for _, s := range person.SensitiveSections {
		if _, ok := want[s]; !ok {
			t.Errorf("sensitive section %q has no expected label", s)
		}
	}
	if got := person.SectionLabel("unknown"); got != "unknown" {
		t.Errorf("SectionLabel(unknown) = %q, want the code", got)
	}
}
