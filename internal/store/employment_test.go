package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
	"github.com/spie-parcours/parcours/internal/territory"
)

// empStart is when the employment tests begin; each step is dated after
// it, in whole seconds (PostgreSQL keeps microseconds).
var empStart = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

// empAt is the instant n minutes after empStart.
func empAt(n int) time.Time { return empStart.Add(time.Duration(n) * time.Minute) }

// Appellations of the ROME (OGR codes) the tests use.
const (
	ogrCariste   = "11036" // any code: the store does not check them
	ogrElagueur  = "12345"
	ogrVendeuse  = "38000"
	ogrSoignante = "16000"
)

// empFixture is a territory where a CCAS référent (referent) follows the
// people, a France Travail adviser (adviser) proposes them to the offers
// of two partner employers (transport, garden), whose partnership a third
// professional (partner) runs; each employer has an employer-contact
// account.
type empFixture struct {
	tr                    territory.Territory
	ccas, ft              territory.Structure
	referent, adviser     account.Account
	partner               account.Account
	transport, garden     employment.Employer
	transportContact      account.Account
	gardenContact         account.Account
	cariste, elagueur     employment.Offer
	referentBy, adviserBy store.Actor
}

func newEmpFixture(t *testing.T, s *store.Store) *empFixture {
	t.Helper()
	ctx := context.Background()
	f := &empFixture{}
	f.tr, f.ccas, f.referent = fixture(t, s)
	f.ft = territory.Structure{TerritoryID: f.tr.ID, Kind: territory.KindFranceTravail, Name: "France Travail Belfort"}
	if err := s.CreateStructure(ctx, &f.ft); err != nil {
		t.Fatal(err)
	}
	acc := func(email, first string, st int64, role account.Role) account.Account {
		t.Helper()
		a := account.Account{Email: email, FirstName: first, LastName: "Martin", PasswordHash: "x"}
		if err := s.CreateAccount(ctx, &a); err != nil {
			t.Fatal(err)
		}
		if err := s.AddMembership(ctx, a.ID, st, role); err != nil {
			t.Fatal(err)
		}
		return a
	}
	f.adviser = acc("conseiller@ft.example", "Paul", f.ft.ID, account.RoleProfessional)
	f.partner = acc("partenariat@ft.example", "Inès", f.ft.ID, account.RoleProfessional)
	f.referentBy = store.Actor{AccountID: f.referent.ID, StructureID: f.ccas.ID, At: empStart}
	f.adviserBy = store.Actor{AccountID: f.adviser.ID, StructureID: f.ft.ID, At: empStart}
	f.transport = f.employer(t, s, "Transports Dupont", f.partner.ID)
	f.garden = f.employer(t, s, "Jardins du Lion", 0)
	f.transportContact = acc("rh@dupont.example", "Claire", f.transport.StructureID, account.RoleEmployerContact)
	f.gardenContact = acc("contact@jardins.example", "Marc", f.garden.StructureID, account.RoleEmployerContact)
	f.cariste = f.offer(t, s, f.transport, "Cariste H/F", ogrCariste, employment.OfferOpen, empStart)
	f.elagueur = f.offer(t, s, f.garden, "Élagueur confirmé", ogrElagueur, employment.OfferOpen, empStart)
	return f
}

func (f *empFixture) employer(t *testing.T, s *store.Store, name string, partner int64) employment.Employer {
	t.Helper()
	e := employment.Employer{TerritoryID: f.tr.ID, Name: name, SIRET: "123 456 789 00012", NAF: "49.41A", CommuneINSEE: "90010",
		Address: "1 rue de la Gare", Size: "10-49", Labels: []string{"inclusive", "pmsmp"}, PartnerReferentID: partner,
		ContactName: "Claire Petit", ContactEmail: "rh@example.org", ContactPhone: "0384000000"}
	if err := s.SaveEmployer(context.Background(), &e, store.Actor{AccountID: f.partner.ID, StructureID: f.ft.ID, At: empStart}); err != nil {
		t.Fatal(err)
	}
	return e
}

func (f *empFixture) offer(t *testing.T, s *store.Store, e employment.Employer, title, ogr string, status employment.OfferStatus,
	at time.Time) employment.Offer {
	t.Helper()
	o := employment.Offer{EmployerID: e.StructureID, Appellation: ogr, ROMECode: "N1101", Title: title, CommuneINSEE: "90010",
		Lat: 47.64, Lon: 6.85, Contract: employment.ContractCDI, WeeklyHours: 35, Positions: 2, Status: status}
	if err := s.SaveOffer(context.Background(), &o, store.Actor{AccountID: f.partner.ID, StructureID: f.ft.ID, At: at}); err != nil {
		t.Fatal(err)
	}
	return o
}

// person registers a person followed by the CCAS référent, with the
// adviser in the team.
func (f *empFixture) person(t *testing.T, s *store.Store, first, last string) person.Person {
	t.Helper()
	ctx := context.Background()
	p := person.Person{TerritoryID: f.tr.ID, FirstName: first, LastName: last, Email: first + "@example.org",
		Phone: "0611223344", CommuneINSEE: "90010", BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := s.CreatePerson(ctx, &p, f.referentBy); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTeamMember(ctx, p.ID, f.adviser.ID, f.ft.ID, false, f.referentBy); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSaveEmployer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newEmpFixture(t, s)

		got, err := s.Employer(ctx, f.transport.StructureID)
		if err != nil {
			t.Fatal(err)
		}
		want := f.transport
		want.SIRET, want.PartnerReferentName = "12345678900012", "Inès Martin"
		if !sameEmployer(got, want) {
			t.Errorf("employer = %+v\nwant %+v", got, want)
		}
		st, err := s.Structure(ctx, f.transport.StructureID)
		if err != nil {
			t.Fatal(err)
		}
		if st.Kind != territory.KindEmployer || st.Name != "Transports Dupont" || st.SIRET != "12345678900012" || st.CommuneINSEE != "90010" {
			t.Errorf("structure = %+v, want an employer named Transports Dupont", st)
		}

		upd := got
		upd.Name, upd.Labels, upd.PartnerReferentID, upd.Size = "Transports Dupont et fils", []string{"siae"}, 0, "50-249"
		if err := s.SaveEmployer(ctx, &upd, store.Actor{AccountID: f.partner.ID, At: empAt(5)}); err != nil {
			t.Fatal(err)
		}
		got, err = s.Employer(ctx, f.transport.StructureID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Transports Dupont et fils" || !slices.Equal(got.Labels, []string{"siae"}) || got.PartnerReferentID != 0 ||
			got.PartnerReferentName != "" || got.Size != "50-249" || !got.UpdatedAt.Equal(empAt(5)) || !got.CreatedAt.Equal(empStart) {
			t.Errorf("updated employer = %+v", got)
		}

		list, err := s.Employers(ctx, f.tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range list {
			names = append(names, e.Name+"/"+e.PartnerReferentName)
		}
		if want := []string{"Jardins du Lion/", "Transports Dupont et fils/"}; !slices.Equal(names, want) {
			t.Errorf("employers = %q, want %q", names, want)
		}

		for name, e := range map[string]employment.Employer{
			"new with the name of an employer":  {TerritoryID: f.tr.ID, Name: "Jardins du Lion"},
			"new with the name of the CCAS":     {TerritoryID: f.tr.ID, Name: "CCAS de Belfort"},
			"renamed as another employer":       {StructureID: f.transport.StructureID, Name: "Jardins du Lion"},
			"renamed as a consortium structure": {StructureID: f.garden.StructureID, Name: "France Travail Belfort"},
		} {
			if err := s.SaveEmployer(ctx, &e, store.Actor{At: empAt(6)}); !errors.Is(err, store.ErrConflict) {
				t.Errorf("%s: err = %v, want ErrConflict", name, err)
			}
		}
		notEmployer := employment.Employer{StructureID: f.ccas.ID, Name: "CCAS"}
		if err := s.SaveEmployer(ctx, &notEmployer, store.Actor{At: empAt(6)}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("update of a structure that is no employer: err = %v, want ErrNotFound", err)
		}
		if _, err := s.Employer(ctx, f.ccas.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Employer(CCAS): err = %v, want ErrNotFound", err)
		}

		// An employer structure of the consortium, created as a structure,
		// is completed by its first save.
		member := territory.Structure{TerritoryID: f.tr.ID, Kind: territory.KindEmployer, Name: "Logistique membre"}
		if err := s.CreateStructure(ctx, &member); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Employer(ctx, member.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Employer(member before its first save): err = %v, want ErrNotFound", err)
		}
		completed := employment.Employer{StructureID: member.ID, Name: "Logistique membre", NAF: "52.10B", Size: "10-49",
			CommuneINSEE: "90010", PartnerReferentID: f.partner.ID, ContactEmail: "rh@membre.example"}
		if err := s.SaveEmployer(ctx, &completed, store.Actor{AccountID: f.partner.ID, At: empAt(7)}); err != nil {
			t.Fatal(err)
		}
		got, err = s.Employer(ctx, member.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.TerritoryID != f.tr.ID || got.NAF != "52.10B" || got.PartnerReferentName != "Inès Martin" ||
			got.ContactEmail != "rh@membre.example" || !got.CreatedAt.Equal(empAt(7)) || !got.UpdatedAt.Equal(empAt(7)) {
			t.Errorf("completed employer = %+v", got)
		}
	})
}

func sameEmployer(la, lb employment.Employer) bool {
	return slices.Equal(la.Labels, lb.Labels) && la.StructureID == lb.StructureID && la.TerritoryID == lb.TerritoryID && la.Name == lb.Name && la.SIRET == lb.SIRET &&
		la.NAF == lb.NAF && la.CommuneINSEE == lb.CommuneINSEE && la.Address == lb.Address && la.Size == lb.Size &&
		la.PartnerReferentID == lb.PartnerReferentID && la.PartnerReferentName == lb.PartnerReferentName &&
		la.ContactName == lb.ContactName && la.ContactEmail == lb.ContactEmail && la.ContactPhone == lb.ContactPhone &&
		la.CreatedAt.Equal(lb.CreatedAt) && la.UpdatedAt.Equal(lb.UpdatedAt)
}

func TestOfferRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newEmpFixture(t, s)
		by := store.Actor{AccountID: f.transportContact.ID, StructureID: f.transport.StructureID, At: empAt(10)}
		o := employment.Offer{EmployerID: f.transport.StructureID, ExternalRef: "DUP-7", Appellation: ogrCariste, ROMECode: "N1101",
			Title: "  Préparateur de commandes  ", Description: "Port de charges.", CommuneINSEE: "90008", Lat: 47.63, Lon: 6.83,
			Contract: employment.ContractCDD, WeeklyHours: 30, Night: true, Weekend: true, StartOn: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC),
			Positions: 3, NeedsLicence: true, NeedsVehicle: true, TransitReachable: true, DisabilityAdapted: true}
		if err := s.SaveOffer(ctx, &o, by); err != nil {
			t.Fatal(err)
		}
		if o.Status != employment.OfferDraft || !o.PublishedAt.IsZero() || o.TerritoryID != f.tr.ID || o.EmployerName != "Transports Dupont" {
			t.Errorf("new offer = %+v, want a draft, unpublished, of the employer's territory", o)
		}
		got, err := s.Offer(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := o
		want.Title = "Préparateur de commandes"
		if !sameOffer(got, want) {
			t.Errorf("offer =\n%+v\nwant\n%+v", got, want)
		}

		steps := []struct {
			name          string
			at            time.Time
			status        employment.OfferStatus
			wantPublished time.Time
			wantUpdated   time.Time
		}{
			{"opened", empAt(20), employment.OfferOpen, empAt(20), empAt(20)},
			{"edited while open", empAt(30), employment.OfferOpen, empAt(20), empAt(30)},
			{"saved again at the same instant", empAt(30), employment.OfferOpen, empAt(20), empAt(30).Add(time.Microsecond)},
			{"closed", empAt(40), employment.OfferClosed, empAt(20), empAt(40)},
			{"reopened", empAt(50), employment.OfferOpen, empAt(20), empAt(50)},
		}
		for _, st := range steps {
			got.Status = st.status
			by.At = st.at
			if err := s.SaveOffer(ctx, &got, by); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			read, err := s.Offer(ctx, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !read.PublishedAt.Equal(st.wantPublished) || !read.UpdatedAt.Equal(st.wantUpdated) || read.Status != st.status ||
				!read.CreatedAt.Equal(empAt(10)) {
				t.Errorf("%s: published %v, updated %v, status %s; want %v, %v, %s", st.name, read.PublishedAt, read.UpdatedAt,
					read.Status, st.wantPublished, st.wantUpdated, st.status)
			}
		}

		moved := got
		moved.EmployerID = f.garden.StructureID
		if err := s.SaveOffer(ctx, &moved, by); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("offer moved to another employer: err = %v, want ErrNotFound", err)
		}
		other := employment.Offer{EmployerID: f.transport.StructureID, ExternalRef: "DUP-7", Appellation: ogrCariste, Title: "Doublon",
			CommuneINSEE: "90010", Contract: employment.ContractCDI, WeeklyHours: 35, Positions: 1}
		if err := s.SaveOffer(ctx, &other, by); !errors.Is(err, store.ErrConflict) {
			t.Errorf("second offer with the employer's reference DUP-7: err = %v, want ErrConflict", err)
		}
		foreign := employment.Offer{TerritoryID: f.tr.ID + 1, EmployerID: f.transport.StructureID, Title: "Ailleurs"}
		if err := s.SaveOffer(ctx, &foreign, by); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("offer of another territory: err = %v, want ErrNotFound", err)
		}
		if _, err := s.Offer(ctx, o.ID+100); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Offer(unknown): err = %v, want ErrNotFound", err)
		}
	})
}

func sameOffer(a, b employment.Offer) bool {
	times := a.CreatedAt.Equal(b.CreatedAt) && a.UpdatedAt.Equal(b.UpdatedAt) && a.PublishedAt.Equal(b.PublishedAt) && a.StartOn.Equal(b.StartOn)
	a.CreatedAt, a.UpdatedAt, a.PublishedAt, a.StartOn = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	b.CreatedAt, b.UpdatedAt, b.PublishedAt, b.StartOn = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return times && a == b
}

func offerTitles(os []employment.Offer) []string {
	var out []string
	for _, o := range os {
		out = append(out, o.Title)
	}
	slices.Sort(out)
	return out
}

func TestOffersFilter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newEmpFixture(t, s)
		f.offer(t, s, f.transport, "Cariste de nuit", ogrCariste, employment.OfferDraft, empAt(1))
		f.offer(t, s, f.transport, "Chauffeur livreur 50% remote", ogrVendeuse, employment.OfferClosed, empAt(2))
		f.offer(t, s, f.garden, "ÉLAGUEUSE grimpeuse", ogrElagueur, employment.OfferFilled, empAt(3))
		tests := []struct {
			name      string
			filter    store.OfferFilter
			want      []string
			wantTotal int
		}{
			{"territory", store.OfferFilter{TerritoryID: f.tr.ID}, []string{"Cariste H/F", "Cariste de nuit",
				"Chauffeur livreur 50% remote", "ÉLAGUEUSE grimpeuse", "Élagueur confirmé"}, 5},
			{"open", store.OfferFilter{TerritoryID: f.tr.ID, Statuses: []employment.OfferStatus{employment.OfferOpen}},
				[]string{"Cariste H/F", "Élagueur confirmé"}, 2},
			{"draft or closed", store.OfferFilter{Statuses: []employment.OfferStatus{employment.OfferDraft, employment.OfferClosed}},
				[]string{"Cariste de nuit", "Chauffeur livreur 50% remote"}, 2},
			{"employer", store.OfferFilter{EmployerID: f.garden.StructureID}, []string{"ÉLAGUEUSE grimpeuse", "Élagueur confirmé"}, 2},
			{"appellation", store.OfferFilter{Appellation: ogrCariste}, []string{"Cariste H/F", "Cariste de nuit"}, 2},
			{"words, any case and accents", store.OfferFilter{Query: "elagu"}, []string{"ÉLAGUEUSE grimpeuse", "Élagueur confirmé"}, 2},
			{"every word", store.OfferFilter{Query: "Cariste NUIT"}, []string{"Cariste de nuit"}, 1},
			{"a wildcard is a character", store.OfferFilter{Query: "50%"}, []string{"Chauffeur livreur 50% remote"}, 1},
			{"no wildcard match", store.OfferFilter{Query: "5_%"}, nil, 0},
			{"another territory", store.OfferFilter{TerritoryID: f.tr.ID + 1}, nil, 0},
		}
		for _, tt := range tests {
			got, total, err := s.Offers(ctx, tt.filter)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if titles := offerTitles(got); !slices.Equal(titles, tt.want) || total != tt.wantTotal {
				t.Errorf("%s: %q (total %d), want %q (total %d)", tt.name, titles, total, tt.want, tt.wantTotal)
			}
		}
		page, total, err := s.Offers(ctx, store.OfferFilter{TerritoryID: f.tr.ID, Limit: 2, Offset: 1})
		if err != nil {
			t.Fatal(err)
		}
		// Most recently changed first: the garden's filled offer (3), the
		// closed one (2), the draft (1), then the fixture's (empStart).
		if len(page) != 2 || total != 5 || page[0].Title != "Chauffeur livreur 50% remote" || page[1].Title != "Cariste de nuit" {
			t.Errorf("page 2 of 2 = %q (total %d), want the closed offer then the draft (total 5)", offerTitles(page), total)
		}
	})
}

func TestImportOffers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newEmpFixture(t, s)
		by := store.Actor{AccountID: f.partner.ID, StructureID: f.ft.ID, At: empAt(10)}
		mk := func(e employment.Employer, ref, title string) employment.Offer {
			return employment.Offer{EmployerID: e.StructureID, ExternalRef: ref, Appellation: ogrVendeuse, Title: title,
				CommuneINSEE: "90010", Contract: employment.ContractCDD, WeeklyHours: 24, Positions: 1, Status: employment.OfferOpen}
		}
		first := []employment.Offer{mk(f.transport, "A1", "Vendeuse"), mk(f.garden, "A1", "Jardinier"), mk(f.garden, "", "Sans référence")}
		created, updated, err := s.ImportOffers(ctx, f.tr.ID, first, by)
		if err != nil || created != 3 || updated != 0 {
			t.Fatalf("first import: %d created, %d updated, %v; want 3, 0", created, updated, err)
		}
		if first[0].ID == 0 || first[1].ID == 0 || first[0].ID == first[1].ID || !first[0].PublishedAt.Equal(empAt(10)) {
			t.Errorf("imported offers = %+v, want IDs set and published", first)
		}

		by.At = empAt(20)
		second := []employment.Offer{mk(f.transport, "A1", "Vendeuse polyvalente"), mk(f.transport, "A2", "Caissière")}
		second[0].Status = employment.OfferFilled
		created, updated, err = s.ImportOffers(ctx, f.tr.ID, second, by)
		if err != nil || created != 1 || updated != 1 {
			t.Fatalf("second import: %d created, %d updated, %v; want 1, 1", created, updated, err)
		}
		if second[0].ID != first[0].ID {
			t.Errorf("reference A1 of the transport was written as offer %d, want an update of %d", second[0].ID, first[0].ID)
		}
		got, err := s.Offer(ctx, first[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "Vendeuse polyvalente" || got.Status != employment.OfferFilled || !got.PublishedAt.Equal(empAt(10)) {
			t.Errorf("upserted offer = %+v", got)
		}

		other := territory.Territory{Code: "25", Name: "Doubs"}
		if err := s.CreateTerritory(ctx, &other); err != nil {
			t.Fatal(err)
		}
		foreign := employment.Employer{TerritoryID: other.ID, Name: "Horlogerie du Doubs"}
		if err := s.SaveEmployer(ctx, &foreign, by); err != nil {
			t.Fatal(err)
		}
		by.At = empAt(30)
		bad := []employment.Offer{mk(f.transport, "A1", "Écrasé"), mk(f.transport, "A9", "Nouvelle"), mk(foreign, "X", "Ailleurs")}
		created, updated, err = s.ImportOffers(ctx, f.tr.ID, bad, by)
		if !errors.Is(err, store.ErrNotFound) || created != 0 || updated != 0 {
			t.Errorf("import with an employer of another territory: %d, %d, %v; want 0, 0, ErrNotFound", created, updated, err)
		}
		all, total, err := s.Offers(ctx, store.OfferFilter{TerritoryID: f.tr.ID})
		if err != nil {
			t.Fatal(err)
		}
		if total != 6 || slices.Contains(offerTitles(all), "Nouvelle") || slices.Contains(offerTitles(all), "Écrasé") {
			t.Errorf("after the failed import: %q (total %d), want the 6 offers unchanged", offerTitles(all), total)
		}
		dup := []employment.Offer{mk(f.garden, "", "Un"), {ID: first[2].ID, EmployerID: f.garden.StructureID, ExternalRef: "A1",
			Title: "Doublon de référence", Status: employment.OfferOpen}}
		if _, _, err := s.ImportOffers(ctx, f.tr.ID, dup, by); !errors.Is(err, store.ErrConflict) {
			t.Errorf("import giving an offer the reference of another: err = %v, want ErrConflict", err)
		}
		if _, total, _ := s.Offers(ctx, store.OfferFilter{TerritoryID: f.tr.ID}); total != 6 {
			t.Errorf("after the conflicting import: %d offers, want 6", total)
		}
	})
}

func TestSaveEmploymentProfile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newEmpFixture(t, s)
		p := f.person(t, s, "Jade", "Roux")
		src, err := s.ProfileSource(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if src.Proposable || src.Contracts != nil {
			t.Errorf("profile before any = %+v, want not proposable", src)
		}
		steps := []struct {
			proposable  bool
			contracts   []string
			wantSummary string
		}{
			{true, []string{"cdi", "cdd"}, "Peut être proposé aux offres des employeurs partenaires"},
			{true, []string{"pmsmp"}, "Contrats recherchés mis à jour"},
			{false, nil, "Ne peut plus être proposé aux offres des employeurs partenaires"},
		}
		for i, st := range steps {
			by := f.referentBy
			by.At = empAt(10 + i)
			if err := s.SaveEmploymentProfile(ctx, p.ID, st.proposable, st.contracts, by); err != nil {
				t.Fatal(err)
			}
			src, err := s.ProfileSource(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if src.Proposable != st.proposable || !slices.Equal(src.Contracts, st.contracts) || !src.UpdatedAt.Equal(by.At) {
				t.Errorf("step %d: profile = %+v, want proposable %v, contracts %q", i, src, st.proposable, st.contracts)
			}
			if es := events(t, s, p.ID); es[0].Summary != st.wantSummary || es[0].AccountID != f.referent.ID {
				t.Errorf("step %d: timeline line %q, want %q", i, es[0].Summary, st.wantSummary)
			}
			if l := accessLog(t, s, p.ID); l[0].Section != string(person.SectionProject) || l[0].Action != "update" {
				t.Errorf("step %d: audit %+v, want an update of the project", i, l[0])
			}
		}
		if err := s.SaveEmploymentProfile(ctx, p.ID+1000, true, nil, f.referentBy); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("profile of an unknown person: err = %v, want ErrNotFound", err)
		}
		if _, err := s.ProfileSource(ctx, p.ID+1000); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("ProfileSource(unknown): err = %v, want ErrNotFound", err)
		}
	})
}

func offerIDs(os []employment.Offer) []int64 {
	var out []int64
	for _, o := range os {
		out = append(out, o.ID)
	}
	slices.Sort(out)
	return out
}

func TestMatchingOffersIncremental(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newEmpFixture(t, s)
		draft := f.offer(t, s, f.garden, "Paysagiste", ogrElagueur, employment.OfferDraft, empAt(1))

		open, gone, newest, err := s.MatchingOffers(ctx, f.tr.ID, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := offerIDs(open), []int64{f.cariste.ID, f.elagueur.ID}; !slices.Equal(got, want) || !slices.Equal(gone, []int64{draft.ID}) ||
			!newest.Equal(empAt(1)) {
			t.Errorf("full load: open %v, gone %v, newest %v; want %v, [%d], %v", got, gone, newest, want, draft.ID, empAt(1))
		}
		if open[0].EmployerName == "" || open[0].Appellation == "" {
			t.Errorf("loaded offer = %+v, want its features", open[0])
		}

		load := func(name string, wantOpen, wantGone []int64) {
			t.Helper()
			o, g, n, err := s.MatchingOffers(ctx, f.tr.ID, newest)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(offerIDs(o), wantOpen) || !slices.Equal(g, wantGone) {
				t.Errorf("%s: open %v, gone %v; want %v, %v", name, offerIDs(o), g, wantOpen, wantGone)
			}
			if n.Before(newest) {
				t.Errorf("%s: newest went back from %v to %v", name, newest, n)
			}
			newest = n
		}
		load("nothing changed", nil, nil)
		by := store.Actor{AccountID: f.partner.ID, At: empAt(10)}
		f.cariste.Status = employment.OfferClosed
		if err := s.SaveOffer(ctx, &f.cariste, by); err != nil {
			t.Fatal(err)
		}
		load("closed offer", nil, []int64{f.cariste.ID})
		load("nothing twice", nil, nil)
		by.At = empAt(11)
		draft.Status = employment.OfferOpen
		if err := s.SaveOffer(ctx, &draft, by); err != nil {
			t.Fatal(err)
		}
		by.At = empAt(12)
		f.elagueur.WeeklyHours = 20
		if err := s.SaveOffer(ctx, &f.elagueur, by); err != nil {
			t.Fatal(err)
		}
		load("opened and edited", []int64{f.elagueur.ID, draft.ID}, nil)
		load("nothing twice again", nil, nil)
		if o, g, _, err := s.MatchingOffers(ctx, f.tr.ID+1, time.Time{}); err != nil || len(o)+len(g) != 0 {
			t.Errorf("another territory: %v, %v, %v; want nothing", o, g, err)
		}
	})
}

func profileIDs(ps []employment.ProfileSource) []int64 {
	var out []int64
	for _, p := range ps {
		out = append(out, p.PersonID)
	}
	return out
}

func TestMatchingProfilesIncremental(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newEmpFixture(t, s)
		jade, leo, mia, noe := f.person(t, s, "Jade", "Roux"), f.person(t, s, "Léo", "Blanc"), f.person(t, s, "Mia", "Noir"),
			f.person(t, s, "Noé", "Vert")
		by := func(n int) store.Actor { b := f.referentBy; b.At = empAt(n); return b }
		pr := person.Project{PersonID: jade.ID, TargetJobs: []string{ogrCariste, ogrVendeuse}, Experience: "Magasinier 3 ans",
			AvailableFrom: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), HoursWanted: 30, DrivingLicence: true, Vehicle: true, MobilityKm: 25}
		if err := s.SaveProject(ctx, &pr, by(1)); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveDiagnostic(ctx, jade.ID, []person.DiagnosticEntry{
			{Theme: "mobilite", Situation: "Permis B"},
			{Theme: "contraintes_familiales", Situation: "Contrainte horaires"},
		}, nil, by(2)); err != nil {
			t.Fatal(err)
		}
		diag, err := s.Diagnostic(ctx, jade.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		var horaires int64
		for _, e := range diag {
			if e.Situation == "Contrainte horaires" {
				horaires = e.ID
			}
		}
		if err := s.SaveDiagnostic(ctx, jade.ID, nil, []int64{horaires}, by(3)); err != nil {
			t.Fatal(err)
		}
		jade.RQTH = true
		if err := s.UpdatePerson(ctx, &jade, by(4), nil); err != nil {
			t.Fatal(err)
		}
		for i, p := range []person.Person{jade, leo} {
			if err := s.SaveEmploymentProfile(ctx, p.ID, true, []string{"cdi"}, by(5+i)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SaveEmploymentProfile(ctx, mia.ID, false, nil, by(7)); err != nil {
			t.Fatal(err)
		}

		sources, gone, newest, err := s.MatchingProfiles(ctx, f.tr.ID, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if got := profileIDs(sources); !slices.Equal(got, []int64{jade.ID, leo.ID}) || !slices.Equal(gone, []int64{mia.ID}) ||
			!newest.Equal(empAt(7)) {
			t.Fatalf("full load: sources %v, gone %v, newest %v; want [%d %d], [%d], %v", got, gone, newest, jade.ID, leo.ID, mia.ID, empAt(7))
		}
		want := employment.ProfileSource{PersonID: jade.ID, CommuneINSEE: "90010", MobilityKm: 25, Licence: true, Vehicle: true,
			Appellations: []string{ogrCariste, ogrVendeuse}, HoursWanted: 30, AvailableFrom: pr.AvailableFrom, RQTH: true,
			Situations: []referential.Situation{{ThemeCode: "mobilite", Label: "Permis B"}}, Contracts: []string{"cdi"},
			Proposable: true, UpdatedAt: empAt(5)}
		if !sameSource(sources[0], want) {
			t.Errorf("Jade's features =\n%+v\nwant\n%+v", sources[0], want)
		}
		one, err := s.ProfileSource(ctx, jade.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !sameSource(one, want) {
			t.Errorf("ProfileSource(Jade) =\n%+v\nwant\n%+v", one, want)
		}

		load := func(name string, wantSources, wantGone []int64) {
			t.Helper()
			src, g, n, err := s.MatchingProfiles(ctx, f.tr.ID, newest)
			if err != nil {
				t.Fatal(err)
			}
			if got := profileIDs(src); !slices.Equal(got, wantSources) || !slices.Equal(g, wantGone) {
				t.Errorf("%s: sources %v, gone %v; want %v, %v", name, got, g, wantSources, wantGone)
			}
			if n.Before(newest) {
				t.Errorf("%s: newest went back from %v to %v", name, newest, n)
			}
			newest = n
		}
		load("nothing changed", nil, nil)

		pr.HoursWanted = 20
		if err := s.SaveProject(ctx, &pr, by(10)); err != nil {
			t.Fatal(err)
		}
		load("project changed", []int64{jade.ID}, nil)
		load("nothing twice", nil, nil)

		if err := s.SaveDiagnostic(ctx, leo.ID, []person.DiagnosticEntry{{Theme: "mobilite", Situation: "Dépendant des transports en commun"}},
			nil, by(11)); err != nil {
			t.Fatal(err)
		}
		load("diagnostic entry added", []int64{leo.ID}, nil)
		diag, err = s.Diagnostic(ctx, jade.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SaveDiagnostic(ctx, jade.ID, nil, []int64{diag[0].ID}, by(12)); err != nil {
			t.Fatal(err)
		}
		src, g, n, err := s.MatchingProfiles(ctx, f.tr.ID, newest)
		if err != nil {
			t.Fatal(err)
		}
		if len(src) != 1 || src[0].PersonID != jade.ID || len(src[0].Situations) != 0 || !src[0].UpdatedAt.Equal(empAt(12)) || len(g) != 0 {
			t.Errorf("diagnostic entry closed: sources %+v, gone %v; want Jade without situations", src, g)
		}
		newest = n

		if err := s.SaveEmploymentProfile(ctx, mia.ID, true, nil, by(13)); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveEmploymentProfile(ctx, leo.ID, false, nil, by(14)); err != nil {
			t.Fatal(err)
		}
		load("proposable changed", []int64{mia.ID}, []int64{leo.ID})
		if err := s.RecordObjection(ctx, mia.ID, "Refus du partage", by(15)); err != nil {
			t.Fatal(err)
		}
		load("objection recorded", nil, []int64{mia.ID})
		noe.CommuneINSEE = "90008"
		if err := s.UpdatePerson(ctx, &noe, by(16), nil); err != nil {
			t.Fatal(err)
		}
		load("change of a person without a profile", nil, nil)
		jade.CommuneINSEE = "90008"
		if err := s.UpdatePerson(ctx, &jade, by(17), nil); err != nil {
			t.Fatal(err)
		}
		src, _, _, err = s.MatchingProfiles(ctx, f.tr.ID, newest)
		if err != nil {
			t.Fatal(err)
		}
		if len(src) != 1 || src[0].PersonID != jade.ID || src[0].CommuneINSEE != "90008" {
			t.Errorf("commune changed: %+v, want Jade in 90008", src)
		}
		if src, g, _, err := s.MatchingProfiles(ctx, f.tr.ID+1, time.Time{}); err != nil || len(src)+len(g) != 0 {
			t.Errorf("another territory: %v, %v, %v; want nothing", src, g, err)
		}
	})
}

func sameSource(a, b employment.ProfileSource) bool {
	return a.PersonID == b.PersonID && a.CommuneINSEE == b.CommuneINSEE && a.MobilityKm == b.MobilityKm && a.Licence == b.Licence &&
		a.Vehicle == b.Vehicle && slices.Equal(a.Appellations, b.Appellations) && a.HoursWanted == b.HoursWanted &&
		a.AvailableFrom.Equal(b.AvailableFrom) && a.RQTH == b.RQTH && slices.Equal(a.Situations, b.Situations) &&
		slices.Equal(a.Contracts, b.Contracts) && a.Proposable == b.Proposable && a.UpdatedAt.Equal(b.UpdatedAt)
}
