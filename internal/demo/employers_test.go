package demo

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/spie-parcours/parcours/internal/employment"
)

// TestEmployersValid checks that every demo employer and offer passes the
// rules the store and the import apply.
func TestEmployersValid(t *testing.T) {
	ref := loadRef(t)
	for _, e := range Employers() {
		if fs := employment.ValidateEmployer(ref, e); len(fs) > 0 {
			t.Errorf("employer %q: %v", e.Name, fs)
		}
	}
	for _, o := range Offers(testNow) {
		if fs := employment.ValidateOffer(ref, o); len(fs) > 0 {
			t.Errorf("offer %s of %q (%s): %v", o.ExternalRef, o.EmployerName, o.Title, fs)
		}
	}
}

// TestEmployersCounts checks the size and the mix a demo of the job
// market needs: enough employers, with SIAE, an adapted company and hosts
// of immersions; more than 300 offers over at least 12 ROME domaines, of
// every contract, about one in five an immersion, most of them open, with
// night and weekend work, licences, vehicles, adapted posts and posts
// reachable by bus.
func TestEmployersCounts(t *testing.T) {
	ref := loadRef(t)
	emps := Employers()
	if len(emps) < 45 {
		t.Errorf("%d employers, want at least 45", len(emps))
	}
	labelled := map[string]int{}
	for _, e := range emps {
		for _, l := range e.Labels {
			labelled[l]++
		}
	}
	for _, want := range []struct {
		label string
		min   int
	}{{labelSIAE, 4}, {labelEA, 1}, {labelPMSMP, 30}, {labelInclusive, 10}, {labelClauses, 5}, {labelCharte, 5}} {
		if labelled[want.label] < want.min {
			t.Errorf("%d employers labelled %s, want at least %d", labelled[want.label], want.label, want.min)
		}
	}

	offers := Offers(testNow)
	if len(offers) < 300 {
		t.Errorf("%d offers, want at least 300", len(offers))
	}
	domaines := map[string]int{}
	contracts := map[employment.ContractType]int{}
	statuses := map[employment.OfferStatus]int{}
	var night, weekend, licence, vehicle, adapted, transit int
	for _, o := range offers {
		a, _ := ref.Appellation(o.Appellation)
		j, _ := ref.ROMEJob(a.ROMECode)
		domaines[j.DomaineCode]++
		contracts[o.Contract]++
		statuses[o.Status]++
		for _, c := range []struct {
			on bool
			n  *int
		}{{o.Night, &night}, {o.Weekend, &weekend}, {o.NeedsLicence, &licence}, {o.NeedsVehicle, &vehicle},
			{o.DisabilityAdapted, &adapted}, {o.TransitReachable, &transit}} {
			if c.on {
				*c.n++
			}
		}
	}
	t.Logf("%d employers, %d offers over %d domaines; contracts %v; statuses %v; night %d, weekend %d, licence %d, vehicle %d, adapted %d, transit %d",
		len(emps), len(offers), len(domaines), contracts, statuses, night, weekend, licence, vehicle, adapted, transit)
	if len(domaines) < 12 {
		t.Errorf("offers over %d ROME domaines, want at least 12: %v", len(domaines), domaines)
	}
	for _, c := range employment.ContractOptions {
		if contracts[employment.ContractType(c.Code)] == 0 {
			t.Errorf("no offer with contract %s", c.Code)
		}
	}
	if share := float64(contracts[employment.ContractPMSMP]) / float64(len(offers)); share < 0.15 || share > 0.3 {
		t.Errorf("%.0f %% of immersions, want about 20 %%", share*100)
	}
	if statuses[employment.OfferOpen]*100 < len(offers)*70 {
		t.Errorf("%d open offers of %d, want most of them", statuses[employment.OfferOpen], len(offers))
	}
	for _, s := range []employment.OfferStatus{employment.OfferDraft, employment.OfferFilled, employment.OfferClosed} {
		if statuses[s] == 0 {
			t.Errorf("no %s offer", s)
		}
	}
	for _, c := range []struct {
		what string
		n    int
	}{{"night", night}, {"weekend", weekend}, {"licence", licence}, {"vehicle", vehicle}, {"adapted", adapted}} {
		if c.n < 10 || c.n > len(offers)/2 {
			t.Errorf("%d offers with %s, want some but not most", c.n, c.what)
		}
	}
	if transit < len(offers)/2 {
		t.Errorf("%d offers reachable by public transport, want most", transit)
	}
}

// TestOffersSuitDemoProjects checks that the target jobs of the demo
// records (cmd/parcours/demo_records.go: archivage en entrepôt, agent à
// domicile, restauration rapide, assemblage mécanique, nettoyage
// industriel) have open jobs of the same ROME fiche, so that the demo's
// people can be proposed to offers of their project.
func TestOffersSuitDemoProjects(t *testing.T) {
	ref := loadRef(t)
	open := map[string]int{}
	for _, o := range Offers(testNow) {
		if a, ok := ref.Appellation(o.Appellation); ok && o.Status == employment.OfferOpen && !o.Immersion() {
			open[a.ROMECode]++
		}
	}
	for _, code := range []string{"N1103", "K1304", "G1603", "H2909", "K2204"} {
		if open[code] < 8 {
			t.Errorf("%d open jobs of %s, want at least 8", open[code], code)
		}
	}
}

// TestEmployersFictional checks that nothing of the demo employers can
// reach a real company: fictional names, SIRET numbers starting with 000,
// unique, reserved e-mail domains, phone numbers of the fiction range,
// offers that say they are fictional.
func TestEmployersFictional(t *testing.T) {
	sirets := map[string]string{}
	names := map[string]bool{}
	for _, e := range Employers() {
		if !strings.HasSuffix(e.Name, " fictive)") && !strings.HasSuffix(e.Name, " fictif)") &&
			!strings.HasSuffix(e.Name, "(fictive)") && !strings.HasSuffix(e.Name, "(fictif)") {
			t.Errorf("employer %q is not marked fictional", e.Name)
		}
		if names[e.Name] {
			t.Errorf("employer %q listed twice", e.Name)
		}
		names[e.Name] = true
		if len(e.SIRET) != 14 || !strings.HasPrefix(e.SIRET, "000") || strings.Trim(e.SIRET, "0123456789") != "" {
			t.Errorf("employer %q: SIRET %q is not 14 digits starting with 000", e.Name, e.SIRET)
		}
		if other, dup := sirets[e.SIRET]; dup {
			t.Errorf("employers %q and %q share the SIRET %s", other, e.Name, e.SIRET)
		}
		sirets[e.SIRET] = e.Name
		if !strings.HasSuffix(e.ContactEmail, ".example") {
			t.Errorf("employer %q: e-mail %q is not under .example", e.Name, e.ContactEmail)
		}
		if len(e.ContactPhone) != 14 || !strings.HasPrefix(e.ContactPhone, "03 53 01 ") {
			t.Errorf("employer %q: phone %q is not in the fiction range 03 53 01 xx xx", e.Name, e.ContactPhone)
		}
	}
	for _, s := range Structures[8:10] {
		if !names[s.Name] {
			t.Errorf("the consortium's employer %q is not among the demo employers", s.Name)
		}
	}
	refs := map[string]bool{}
	for _, o := range Offers(testNow) {
		if !names[o.EmployerName] {
			t.Errorf("offer %s: unknown employer %q", o.ExternalRef, o.EmployerName)
		}
		if key := o.EmployerName + "/" + o.ExternalRef; refs[key] || o.ExternalRef == "" {
			t.Errorf("offer %q of %q: reference %q empty or taken", o.Title, o.EmployerName, o.ExternalRef)
		} else {
			refs[key] = true
		}
		if !strings.HasSuffix(o.Description, " "+offerSuffix) {
			t.Errorf("offer %s: description does not end with %q", o.ExternalRef, offerSuffix)
		}
	}
}

// TestEmployersCommunes checks that every employer is in a real commune of
// the Territoire de Belfort, the Doubs or the Haute-Saône within 25 km of
// Belfort, in each of the three, and that the offers are where their
// employer is.
func TestEmployersCommunes(t *testing.T) {
	ref := loadRef(t)
	belfort, _ := ref.Commune(atBelfort)
	where := map[string]string{}
	byDept := map[string]int{}
	for _, e := range Employers() {
		c, ok := ref.Commune(e.CommuneINSEE)
		if !ok {
			t.Errorf("employer %q: no commune %q", e.Name, e.CommuneINSEE)
			continue
		}
		byDept[c.Departement]++
		if !slices.Contains([]string{"90", "25", "70"}, c.Departement) {
			t.Errorf("employer %q in %s (%s), not around Belfort", e.Name, c.Name, c.Departement)
		}
		if d := distanceKm(belfort.Lat, belfort.Lon, c.Lat, c.Lon); d > 25 {
			t.Errorf("employer %q in %s, %.0f km from Belfort", e.Name, c.Name, d)
		}
		where[e.Name] = e.CommuneINSEE
	}
	for _, d := range []string{"90", "25", "70"} {
		if byDept[d] < 4 {
			t.Errorf("%d employers in the %s, want at least 4", byDept[d], d)
		}
	}
	for insee := range servedByTransit {
		if _, ok := ref.Commune(insee); !ok {
			t.Errorf("servedByTransit: no commune %q", insee)
		}
	}
	for _, o := range Offers(testNow) {
		if o.CommuneINSEE != where[o.EmployerName] {
			t.Errorf("offer %s in %s, its employer %q in %s", o.ExternalRef, o.CommuneINSEE, o.EmployerName, where[o.EmployerName])
		}
	}
}

// TestOffersDates checks that open offers start around now, and filled
// or closed ones in the past.
func TestOffersDates(t *testing.T) {
	for _, o := range Offers(testNow) {
		days := o.StartOn.Sub(testNow).Hours() / 24
		switch o.Status {
		case employment.OfferOpen, employment.OfferDraft:
			if days < -20 || days > 60 {
				t.Errorf("%s offer %s starts %.0f days from now", o.Status, o.ExternalRef, days)
			}
		default:
			if days > 0 {
				t.Errorf("%s offer %s starts in %.0f days", o.Status, o.ExternalRef, days)
			}
		}
	}
}

// TestEmployersDeterministic checks that Employers and Offers return the
// same at each call, and copies that a caller may change.
func TestEmployersDeterministic(t *testing.T) {
	if a, b := Employers(), Employers(); !reflect.DeepEqual(a, b) {
		t.Error("two calls of Employers differ")
	}
	if a, b := Offers(testNow), Offers(testNow); !reflect.DeepEqual(a, b) {
		t.Error("two calls of Offers differ")
	}
	a := Employers()
	for i := range a {
		if len(a[i].Labels) > 0 {
			a[i].Labels[0] = "changé"
		}
	}
	for _, e := range Employers() {
		if slices.Contains(e.Labels, "changé") {
			t.Fatal("a change to the result of Employers shows in the next call")
		}
	}
}

// distanceKm is the great-circle distance between two points.
func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}
