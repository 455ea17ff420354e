package importer_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/spie-parcours/parcours/internal/importer"
)

func TestFields(t *testing.T) {
	codes := map[string]bool{}
	for _, f := range importer.Fields {
		if codes[f.Code] {
			t.Errorf("field %s listed twice", f.Code)
		}
		codes[f.Code] = true
		if f.Label == "" || len(f.Synonyms) == 0 {
			t.Errorf("field %s has no label or no synonyms", f.Code)
		}
	}
	for _, code := range []string{"first_name", "last_name", "birth_name", "birth_date", "sex", "email", "phone", "address",
		"commune_insee", "postal_code", "commune_name", "caf_number", "france_travail_id", "rsa_right", "rsa_opened_on",
		"role", "long_term_unemployed"} {
		if !codes[code] {
			t.Errorf("field %s missing", code)
		}
	}
	var required []string
	for _, f := range importer.Fields {
		if f.Required {
			required = append(required, f.Code)
		}
	}
	if want := []string{"first_name", "last_name", "birth_date"}; !slices.Equal(required, want) {
		t.Errorf("required fields = %v, want %v", required, want)
	}
}

func TestGuessMapping(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		want   importer.Mapping
	}{
		{
			name: "carnet de bord template",
			header: []string{"Identifiant dans le SI*", "Prénom*", "Nom*", "Date de naissance*", "NIR", "Lieu de naissance",
				"Téléphone", "Email", "Adresse", "Adresse (complément)", "Code postal", "Ville", "Situation",
				"Numéro allocataire CAF/MSA", "Identifiant Pôle emploi", "Droits RSA", "Droits ARE", "RQTH"},
			want: importer.Mapping{
				"first_name": "Prénom*", "last_name": "Nom*", "birth_date": "Date de naissance*", "phone": "Téléphone",
				"email": "Email", "address": "Adresse", "postal_code": "Code postal", "commune_name": "Ville",
				"caf_number": "Numéro allocataire CAF/MSA", "france_travail_id": "Identifiant Pôle emploi",
				"rsa_right": "Droits RSA",
			},
		},
		{
			name: "rdv-insertion file",
			header: []string{"Civilité", "Prénom", "Nom", "Nom de naissance", "Date de naissance", "Adresse mail",
				"N° Téléphone", "Adresse", "Code postal", "Ville", "N° Allocataire", "Rôle", "ID France Travail",
				"Date d'ouverture de droits"},
			want: importer.Mapping{
				"sex": "Civilité", "first_name": "Prénom", "last_name": "Nom", "birth_name": "Nom de naissance",
				"birth_date": "Date de naissance", "email": "Adresse mail", "phone": "N° Téléphone", "address": "Adresse",
				"postal_code": "Code postal", "commune_name": "Ville", "caf_number": "N° Allocataire", "role": "Rôle",
				"france_travail_id": "ID France Travail", "rsa_opened_on": "Date d'ouverture de droits",
			},
		},
		{
			name: "CAF extract in capitals",
			header: []string{"MATRICULE", "NOM", "PRENOM", "DATE_NAISSANCE", "SEXE", "CODE_INSEE", "ETATDOSRSA",
				"DATE D'OUVERTURE DU DROIT", "ROLE", "DELD"},
			want: importer.Mapping{
				"caf_number": "MATRICULE", "last_name": "NOM", "first_name": "PRENOM", "birth_date": "DATE_NAISSANCE",
				"sex": "SEXE", "commune_insee": "CODE_INSEE", "rsa_right": "ETATDOSRSA",
				"rsa_opened_on": "DATE D'OUVERTURE DU DROIT", "role": "ROLE", "long_term_unemployed": "DELD",
			},
		},
		{
			name:   "France Travail list",
			header: []string{"Identifiant France Travail", "Nom d'usage", "Nom de famille", "Prénom", "Date de naissance (jj/mm/aaaa)", "Mail", "Tél. portable", "Code INSEE"},
			want: importer.Mapping{
				"france_travail_id": "Identifiant France Travail", "last_name": "Nom d'usage", "birth_name": "Nom de famille",
				"first_name": "Prénom", "birth_date": "Date de naissance (jj/mm/aaaa)", "email": "Mail",
				"phone": "Tél. portable", "commune_insee": "Code INSEE",
			},
		},
		{
			name:   "only a family name is the last name",
			header: []string{"Nom de famille", "Prénom", "Né(e) le"},
			want:   importer.Mapping{"last_name": "Nom de famille", "first_name": "Prénom", "birth_date": "Né(e) le"},
		},
		{
			name:   "a duplicate header maps once, an unknown one never",
			header: []string{"Nom", "Nom", "Prénom", "Nom Prénom", "Observations", ""},
			want:   importer.Mapping{"last_name": "Nom", "first_name": "Prénom"},
		},
		{
			name:   "nothing known",
			header: []string{"A", "B"},
			want:   importer.Mapping{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := importer.GuessMapping(tt.header)
			if !maps.Equal(got, tt.want) {
				t.Errorf("GuessMapping = %v\nwant %v", got, tt.want)
			}
			if fs := got.Validate(tt.header); len(tt.want) > 3 && len(fs) > 0 {
				t.Errorf("Validate(guess) = %v, want none", fs)
			}
		})
	}
}

func TestMappingValidate(t *testing.T) {
	header := []string{"Nom", "Prénom", "Date de naissance", "Ville", "Ville"}
	tests := []struct {
		name string
		m    importer.Mapping
		want map[string]string // field → part of its message
	}{
		{
			name: "complete",
			m:    importer.Mapping{"last_name": "Nom", "first_name": "Prénom", "birth_date": "Date de naissance"},
		},
		{
			name: "required fields missing",
			m:    importer.Mapping{"last_name": "Nom", "first_name": ""},
			want: map[string]string{
				"first_name": "champ obligatoire « Prénom »",
				"birth_date": "champ obligatoire « Date de naissance »",
			},
		},
		{
			name: "a header not in the file",
			m:    importer.Mapping{"last_name": "Nom", "first_name": "Prénom", "birth_date": "Date de naissance", "email": "Courriel"},
			want: map[string]string{"email": "La colonne « Courriel » n'existe pas dans le fichier."},
		},
		{
			name: "a header found twice",
			m:    importer.Mapping{"last_name": "Nom", "first_name": "Prénom", "birth_date": "Date de naissance", "commune_name": "Ville"},
			want: map[string]string{"commune_name": "Plusieurs colonnes du fichier s'appellent « Ville »"},
		},
		{
			name: "a header feeding two fields",
			m:    importer.Mapping{"last_name": "Nom", "birth_name": "Nom", "first_name": "Prénom", "birth_date": "Date de naissance"},
			want: map[string]string{"birth_name": "déjà associée au champ « Nom »"},
		},
		{
			name: "an unknown field",
			m:    importer.Mapping{"last_name": "Nom", "first_name": "Prénom", "birth_date": "Date de naissance", "nir": "Nom"},
			want: map[string]string{"nir": "ne peut pas être importé"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.m.Validate(header)
			if len(got) != len(tt.want) {
				t.Fatalf("Validate = %v, want %d messages", got, len(tt.want))
			}
			for field, msg := range tt.want {
				if m := got.For(field); !strings.Contains(m, msg) {
					t.Errorf("message on %s = %q, want it to contain %q", field, m, msg)
				}
			}
		})
	}
}
