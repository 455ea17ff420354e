package importer

import (
	"testing"

	"github.com/spie-parcours/parcours/internal/referential"
)

// TestNationalIndexComplete checks that enumerating département codes finds
// every commune of the referential, which lists them by code prefix too.
func TestNationalIndexComplete(t *testing.T) {
	ref, err := referential.Load()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, c := range newCommunes(ref, "").nationalIndex().list {
		got[c.INSEE] = true
	}
	want := 0
	for d := '0'; d <= '9'; d++ {
		for _, c := range ref.SearchCommunes(string(d), "", 0) {
			if !got[c.INSEE] {
				t.Errorf("commune %s %s missing", c.INSEE, c.Name)
			}
			want++
		}
	}
	if len(got) < 30000 || len(got) > want {
		t.Errorf("%d communes indexed, want %d at most and a full France", len(got), want)
	}
}

func TestCommuneKeys(t *testing.T) {
	tests := []struct{ name, key, base string }{
		{"Saint-Germain-le-Châtelet", "saintgermainlechatelet", "saintgermainlechatelet"},
		{"ST GERMAIN LE CHATELET", "saintgermainlechatelet", "saintgermainlechatelet"},
		{"Ste Marie", "saintemarie", "saintemarie"},
		{"Mans (Le)", "lemans", "lemans"},
		{"PARIS 11", "paris11", "paris"},
		{"Lyon 3e arrondissement", "lyon3earrondissement", "lyon"},
		{"Paris 1er Arrondissement", "paris1erarrondissement", "paris"},
		{"BELFORT CEDEX 9", "belfortcedex9", "belfort"},
		{"", "", ""},
		{"(Le)", "le", "le"},
	}
	for _, tt := range tests {
		key, base := communeKeys(tt.name)
		if key != tt.key || base != tt.base {
			t.Errorf("communeKeys(%q) = %q, %q, want %q, %q", tt.name, key, base, tt.key, tt.base)
		}
	}
}

// TestNationalScansAgree checks that the lookups made by searching the
// referential, before the full index is built, answer as the full index.
func TestNationalScansAgree(t *testing.T) {
	ref, err := referential.Load()
	if err != nil {
		t.Fatal(err)
	}
	lookups := [][2]string{
		{"75011", "PARIS 11"}, {"75011", ""}, {"69003", "Lyon 3e"}, {"25200", "Montbéliard"}, {"", "montbeliard"},
		{"", "Sainte-Colombe"}, {"", "ST GERMAIN"}, {"", "Le Mans"}, {"", "Mans (Le)"}, {"", "Atlantide"},
		{"99999", "Belfort"}, {"01400", "L ABERGEMENT CLEMENCIAT"}, {"1400", ""}, {"20000", "Ajaccio"},
		{"97400", "Saint-Denis"}, {"", "Saint-Denis"}, {"", "Œuilly"}, {"", "11 novembre"}, {"", "Éà"},
	}
	for _, l := range lookups {
		scanned := newCommunes(ref, "90").lookup(l[0], l[1])
		full := newCommunes(ref, "90")
		full.scans = maxScans
		if want := full.lookup(l[0], l[1]); scanned != want {
			t.Errorf("lookup(%q, %q) = %+v by search, %+v by the full index", l[0], l[1], scanned, want)
		}
	}
}
