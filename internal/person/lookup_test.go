package person_test

import (
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/person"
)

func TestSearchKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Jean-Pierre", "jeanpierre"},
		{"jean pierre", "jeanpierre"},
		{"JEAN PIERRE", "jeanpierre"},
		{"Jéan Pierre", "jeanpierre"},
		{"  Jean\u2011Pierre ", "jeanpierre"}, // non-breaking hyphen
		{"D'Amico", "damico"},
		{"D’Amico", "damico"},
		{"DAMICO", "damico"},
		{"Lætitia", "laetitia"},
		{"Œuvrard", "oeuvrard"},
		{"Ame\u0301lie", "amelie"}, // decomposed accent
		{"St. Jean", "stjean"},
		{"-'", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := person.SearchKey(tt.in); got != tt.want {
			t.Errorf("SearchKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKeys(t *testing.T) {
	tests := []struct {
		p                      person.Person
		first, last, birthName string
	}{
		{person.Person{FirstName: "Anne-Sophie", LastName: "Martin", BirthName: "Dupont"}, "annesophie", "martin", "dupont"},
		{person.Person{FirstName: "Anne", LastName: "Le Gall"}, "anne", "legall", "legall"},
		{person.Person{FirstName: "Anne", LastName: "Martin", BirthName: " "}, "anne", "martin", "martin"},
	}
	for _, tt := range tests {
		f, l, b := tt.p.Keys()
		if f != tt.first || l != tt.last || b != tt.birthName {
			t.Errorf("Keys(%+v) = %q, %q, %q, want %q, %q, %q", tt.p, f, l, b, tt.first, tt.last, tt.birthName)
		}
	}
}

func TestMatchesIdentity(t *testing.T) {
	born := date(1985, time.April, 3)
	jeanPierre := person.Person{FirstName: "Jean-Pierre", LastName: "Dupont", BirthDate: born}
	married := person.Person{FirstName: "Marie", LastName: "Martin", BirthName: "Dupont", BirthDate: born}
	tests := []struct {
		name        string
		p           person.Person
		first, last string
		birth       time.Time
		want        bool
	}{
		{"same spelling", jeanPierre, "Jean-Pierre", "Dupont", born, true},
		{"space for hyphen", jeanPierre, "jean pierre", "dupont", born, true},
		{"upper case", jeanPierre, "JEAN PIERRE", "DUPONT", born, true},
		{"stray accent", jeanPierre, "Jéan Pierre", "Dupônt", born, true},
		{"no separator", jeanPierre, "Jeanpierre", "Dupont", born, true},
		{"one first name of two", jeanPierre, "Jean", "Dupont", born, false},
		{"other birth date", jeanPierre, "Jean-Pierre", "Dupont", date(1985, time.April, 4), false},
		{"birth date not given", jeanPierre, "Jean-Pierre", "Dupont", time.Time{}, false},
		{"other first name", jeanPierre, "Jean-Paul", "Dupont", born, false},
		{"other last name", jeanPierre, "Jean-Pierre", "Durand", born, false},
		{"birth date as Paris midnight", jeanPierre, "Jean-Pierre", "Dupont", time.Date(1985, time.April, 3, 0, 0, 0, 0, paris()), true},
		{"birth name of a married woman", married, "Marie", "Dupont", born, true},
		{"usage name of a married woman", married, "Marie", "Martin", born, true},
		{"both names together", married, "Marie", "Martin Dupont", born, false},
		{"apostrophe dropped", person.Person{FirstName: "Luca", LastName: "D'Amico", BirthDate: born}, "Luca", "DAMICO", born, true},
		{"typographic apostrophe", person.Person{FirstName: "Luca", LastName: "D'Amico", BirthDate: born}, "Luca", "d’amico", born, true},
		{"apostrophe as space", person.Person{FirstName: "Luca", LastName: "D'Amico", BirthDate: born}, "luca", "D Amico", born, true},
		{"double-barrelled, spaced", person.Person{FirstName: "Inès", LastName: "Haddad-Benali", BirthDate: born}, "Ines", "Haddad Benali", born, true},
		{"double-barrelled, one part", person.Person{FirstName: "Inès", LastName: "Haddad-Benali", BirthDate: born}, "Ines", "Haddad", born, false},
		{"particle joined", person.Person{FirstName: "Yann", LastName: "Le Gall", BirthDate: born}, "Yann", "LEGALL", born, true},
		{"ligature", person.Person{FirstName: "Lætitia", LastName: "Cœur", BirthDate: born}, "Laetitia", "Coeur", born, true},
		{"empty first name", jeanPierre, "", "Dupont", born, false},
		{"empty last name", jeanPierre, "Jean-Pierre", " - ", born, false},
		{"person without birth date", person.Person{FirstName: "A", LastName: "B"}, "A", "B", time.Time{}, false},
	}
	for _, tt := range tests {
		if got := person.MatchesIdentity(tt.p, tt.first, tt.last, tt.birth); got != tt.want {
			t.Errorf("%s: MatchesIdentity(%s %s, %q %q) = %v, want %v",
				tt.name, tt.p.FirstName, tt.p.LastName, tt.first, tt.last, got, tt.want)
		}
	}
}
