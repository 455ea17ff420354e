package demo

import (
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/territory"
)

func loadRef(t *testing.T) *referential.Referential {
	t.Helper()
	ref, err := referential.Load()
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// TestServicesValid checks that every service and structure of the demo
// directory passes the rules the store and the import apply, published
// ones included.
func TestServicesValid(t *testing.T) {
	ref := loadRef(t)
	for _, d := range DirectoryStructures {
		st := d.Directory()
		st.Normalize(ref)
		if fs := st.Validate(ref); len(fs) > 0 {
			t.Errorf("structure %q: %v", d.Name, fs)
		}
	}
	for _, s := range Services() {
		s.Normalize(ref)
		if fs := s.Validate(ref, testNow); len(fs) > 0 {
			t.Errorf("service %q (%s): %v", s.Name, s.StructureName, fs)
		}
	}
}

// TestServicesCounts checks the size of the directory and the mix of
// statuses a demo needs.
func TestServicesCounts(t *testing.T) {
	services := Services()
	if len(services) < 160 {
		t.Errorf("%d services, want at least 160", len(services))
	}
	by := map[directory.Status]int{}
	for _, s := range services {
		by[s.Status]++
	}
	if by[directory.StatusPublished] < 150 {
		t.Errorf("%d published services, want at least 150", by[directory.StatusPublished])
	}
	for _, st := range []directory.Status{directory.StatusDraft, directory.StatusSuspended, directory.StatusArchived} {
		if by[st] == 0 {
			t.Errorf("no %s service", st)
		}
	}
	own := 0
	for _, d := range DirectoryStructures {
		if !d.Member {
			own++
		}
	}
	if own < 35 {
		t.Errorf("%d structures of the directory only, want about 40", own)
	}
}

// TestServicesCoverEveryThematique checks that every data·inclusion
// thématique, hence every category, has a published service.
func TestServicesCoverEveryThematique(t *testing.T) {
	ref := loadRef(t)
	have := map[string]int{}
	for _, s := range Services() {
		if s.Status != directory.StatusPublished {
			continue
		}
		for _, th := range s.Thematiques {
			have[th]++
		}
	}
	cats := map[string]int{}
	for _, th := range ref.DataInclusion("thematiques") {
		if have[th.Code] == 0 {
			t.Errorf("no published service for %s", th.Code)
		}
		cats[th.Category] += have[th.Code]
	}
	for _, c := range ref.DataInclusion("thematiques_categories") {
		if cats[c.Code] == 0 {
			t.Errorf("no published service in the category %s", c.Code)
		}
	}
}

// TestServicesPublishers checks that every service names a structure of the
// directory, that members are the consortium's and the others are not.
func TestServicesPublishers(t *testing.T) {
	names := map[string]DirStructure{}
	for _, d := range DirectoryStructures {
		if _, dup := names[d.Name]; dup {
			t.Errorf("structure %q listed twice", d.Name)
		}
		names[d.Name] = d
		inConsortium := slices.ContainsFunc(Structures, func(s territory.Structure) bool { return s.Name == d.Name })
		if d.Member != inConsortium {
			t.Errorf("structure %q: Member = %v, in Structures = %v", d.Name, d.Member, inConsortium)
		}
	}
	published := map[string]int{}
	for _, s := range Services() {
		if _, ok := names[s.StructureName]; !ok {
			t.Errorf("service %q: unknown structure %q", s.Name, s.StructureName)
		}
		published[s.StructureName]++
	}
	for _, d := range DirectoryStructures {
		if !d.Member && published[d.Name] == 0 {
			t.Errorf("structure %q publishes nothing", d.Name)
		}
	}
}

// TestServicesFictional checks that nothing of the directory can reach a
// real person or organisation: fictional names, descriptions that say so,
// reserved e-mail domains and web hosts, phone numbers of the fiction
// ranges.
func TestServicesFictional(t *testing.T) {
	checkEmail := func(what, e string) {
		t.Helper()
		if e != "" && !strings.HasSuffix(e, ".example") && !strings.HasSuffix(e, ".invalid") {
			t.Errorf("%s: e-mail %q is not under .example or .invalid", what, e)
		}
	}
	checkPhone := func(what, p string) {
		t.Helper()
		if p != "" && (len(p) != 14 || !strings.HasPrefix(p, "03 53 01 ") && !strings.HasPrefix(p, "06 39 98 ")) {
			t.Errorf("%s: phone %q is not in a fiction range (03 53 01 xx xx, 06 39 98 xx xx)", what, p)
		}
	}
	checkURL := func(what, u string) {
		t.Helper()
		if u == "" {
			return
		}
		p, err := url.Parse(u)
		if err != nil || !strings.HasSuffix(p.Hostname(), ".example") {
			t.Errorf("%s: address %q is not under .example", what, u)
		}
	}
	for _, d := range DirectoryStructures {
		if !d.Member && !strings.Contains(d.Name, "(fictif)") && !strings.Contains(d.Name, "(fictive)") &&
			!strings.Contains(d.Name, " fictive)") && !strings.Contains(d.Name, " fictif)") {
			t.Errorf("structure %q is not marked fictional", d.Name)
		}
		checkEmail(d.Name, d.Email)
		checkPhone(d.Name, d.Phone)
		checkURL(d.Name, d.Website)
	}
	for _, s := range Services() {
		if !strings.HasSuffix(s.Description, " "+fictionSuffix) {
			t.Errorf("service %q: description does not end with %q", s.Name, fictionSuffix)
		}
		checkEmail(s.Name, s.Email)
		checkPhone(s.Name, s.Phone)
		checkURL(s.Name, s.MobilisationLink)
	}
}

// TestServicesCommunes checks that every commune is a real one of the
// Territoire de Belfort, and that Belfort has the most services.
func TestServicesCommunes(t *testing.T) {
	ref := loadRef(t)
	in90 := func(what, insee string) {
		t.Helper()
		if c, ok := ref.Commune(insee); !ok || c.Departement != TerritoryCode {
			t.Errorf("%s: %q is not a commune of the %s", what, insee, TerritoryCode)
		}
	}
	for _, d := range DirectoryStructures {
		in90(d.Name, d.CommuneINSEE)
	}
	by := map[string]int{}
	remote := 0
	for _, s := range Services() {
		for _, z := range s.EligibilityZone {
			if z != TerritoryCode {
				in90(s.Name+" (zone)", z)
			}
		}
		if s.CommuneINSEE == "" {
			remote++
			if !slices.Equal(s.ReceptionModes, []string{"a-distance"}) {
				t.Errorf("service %q has no commune but is not at a distance only", s.Name)
			}
			continue
		}
		in90(s.Name, s.CommuneINSEE)
		by[s.CommuneINSEE]++
	}
	if remote < 3 {
		t.Errorf("%d services at a distance only, want a few", remote)
	}
	if len(by) < 12 {
		t.Errorf("services in %d communes, want them spread over at least 12", len(by))
	}
	for insee, n := range by {
		if insee != atBelfort && n >= by[atBelfort] {
			t.Errorf("%s has %d services, Belfort %d: Belfort should have the most", insee, n, by[atBelfort])
		}
	}
}

// TestServicesNearBelfort checks what a search of the demo shows first:
// several mobility services around Belfort and childcare in several
// communes.
func TestServicesNearBelfort(t *testing.T) {
	ref := loadRef(t)
	belfort, _ := ref.Commune(atBelfort)
	var services []directory.Service
	for _, s := range Services() {
		s.Normalize(ref)
		services = append(services, s)
	}
	near := directory.Query{HasFrom: true, FromLat: belfort.Lat, FromLon: belfort.Lon, RadiusKm: 10,
		CommuneINSEE: atBelfort, Departement: TerritoryCode}
	for _, tc := range []struct {
		thematiques []string
		want        int
	}{
		{[]string{"mobilite"}, 12},
		{[]string{"mobilite--entretenir-reparer-son-vehicule"}, 1},
		{[]string{"mobilite--preparer-un-permis"}, 3},
		{[]string{"mobilite--mobilite-douce-partagee-collective"}, 3},
		{[]string{"famille--garde-denfants"}, 4},
	} {
		q := near
		q.Thematiques = tc.thematiques
		if got := directory.Rank(ref, services, q); len(got) < tc.want {
			t.Errorf("%v within 10 km of Belfort: %d services, want at least %d", tc.thematiques, len(got), tc.want)
		}
	}
	childcare := map[string]bool{}
	for _, s := range services {
		if s.Status == directory.StatusPublished && slices.Contains(s.Thematiques, "famille--garde-denfants") {
			childcare[s.CommuneINSEE] = true
		}
	}
	if len(childcare) < 5 {
		t.Errorf("published childcare in %d communes, want at least 5", len(childcare))
	}
}

// TestServicesWorkshopHours checks that trainings say how many hours a week
// they take, since those hours count in the contract's 15 hours.
func TestServicesWorkshopHours(t *testing.T) {
	workshops, withHours := 0, 0
	for _, s := range Services() {
		switch s.Type {
		case "formation":
			if s.WeeklyHours <= 0 {
				t.Errorf("training %q has no weekly hours", s.Name)
			}
		case "atelier":
			workshops++
			if s.WeeklyHours > 0 {
				withHours++
			}
		}
	}
	if withHours*3 < workshops*2 {
		t.Errorf("%d of %d workshops give weekly hours, want two thirds at least", withHours, workshops)
	}
}

// TestServicesDeterministic checks that Services returns the same directory
// at each call, and a copy that a caller may change.
func TestServicesDeterministic(t *testing.T) {
	a, b := Services(), Services()
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two calls of Services differ")
	}
	a[0].Name = "changé"
	a[0].Thematiques[0] = "changé"
	if c := Services(); c[0].Name == "changé" || c[0].Thematiques[0] == "changé" {
		t.Error("a change to the result of Services shows in the next call")
	}
	d := DirectoryStructures[0].Directory()
	d.Networks = append(d.Networks[:0], "changé")
	if DirectoryStructures[0].Networks[0] == "changé" {
		t.Error("a change to Directory() shows in DirectoryStructures")
	}
}
