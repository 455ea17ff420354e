package referential

import "testing"

func TestFold(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Éloïse-Marie D'Œuvre", "eloise marie d oeuvre"},
		{"Héricourt", "hericourt"},
		{"HÉRICOURT", "hericourt"},
		{"Saint-Étienne-du-Rouvray", "saint etienne du rouvray"},
		{"L’Haÿ-les-Roses", "l hay les roses"},
		{"Ça, c'est « français »", "ca, c est « francais »"},
		{"Cœur ÆGIR straße", "coeur aegir strasse"},
		{"  Jean -- Pierre\t\u00a0Dupont  ", "jean pierre dupont"},
		{"Jean\u2013Pierre \u2014 Dupont", "jean pierre dupont"},
		{"E\u0301lise Mu\u0308ller", "elise muller"}, // decomposed accents
		{"Łukasz Dvořák Ñúñez", "lukasz dvorak nunez"},
		{"Accompagné·e 15 h", "accompagne·e 15 h"}, // other punctuation is kept
		{"", ""},
		{" - ' ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSearchKey(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Accueillant(e) familial(e)", " accueillant e familial e"},
		{"Secrétaire administratif / administrative", " secretaire administratif administrative"},
		{"Auxiliaire de Vie Sociale -AVS-", " auxiliaire de vie sociale avs"},
		{"Paris 11e Arrondissement", " paris 11e arrondissement"},
		{"L'Isle-sur-le-Doubs", " l isle sur le doubs"},
		{" / ( ) ", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := searchKey(tt.in); got != tt.want {
				t.Errorf("searchKey(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
