package store_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
	"github.com/spie-parcours/parcours/internal/territory"
)

// Thématiques of data·inclusion the directory tests use.
const (
	thVehicle  = "mobilite--acceder-a-un-vehicule"
	thFinance  = "mobilite--financer-ma-mobilite"
	thChildren = "famille--garde-denfants"
	thFood     = "equipement-et-alimentation--alimentation"
)

// places are real communes: Belfort, its neighbour Bavilliers, a commune of
// another département 40 to 48 km from Belfort, and Besançon (75 km).
type places struct {
	belfort, bavilliers, far, besancon referential.Commune
	farKm                              float64
}

func communes(t *testing.T) places {
	t.Helper()
	ref, err := referential.Load()
	if err != nil {
		t.Fatal(err)
	}
	get := func(insee string) referential.Commune {
		t.Helper()
		c, ok := ref.Commune(insee)
		if !ok || c.Lat == 0 || c.Lon == 0 {
			t.Fatalf("commune %s missing or without position: %+v", insee, c)
		}
		return c
	}
	p := places{belfort: get("90010"), bavilliers: get("90008"), besancon: get("25056")}
	for _, dep := range []string{"68", "70", "25"} {
		for _, c := range ref.CommunesIn(dep) {
			if d := directory.DistanceKm(p.belfort.Lat, p.belfort.Lon, c.Lat, c.Lon); d >= 40 && d <= 48 {
				p.far, p.farKm = c, d
				break
			}
		}
		if p.far.INSEE != "" {
			break
		}
	}
	if p.far.INSEE == "" {
		t.Fatal("no commune of a neighbouring département 40 to 48 km from Belfort")
	}
	return p
}

// dirStructure creates a structure of the directory only, in Belfort.
func dirStructure(t *testing.T, s *store.Store, territoryID int64, name, email string) directory.Structure {
	t.Helper()
	st := directory.Structure{TerritoryID: territoryID, Name: name, Email: email, CommuneINSEE: "90010"}
	if err := s.SaveDirectoryStructure(context.Background(), &st, store.Actor{At: planStart}); err != nil {
		t.Fatal(err)
	}
	return st
}

// putService saves a service at the commune's centre, published unless
// given another status.
func putService(t *testing.T, s *store.Store, sv directory.Service, at referential.Commune) directory.Service {
	t.Helper()
	sv.CommuneINSEE, sv.Lat, sv.Lon = at.INSEE, at.Lat, at.Lon
	if sv.Status == "" {
		sv.Status = directory.StatusPublished
	}
	if sv.Description == "" {
		sv.Description = "Un service du territoire."
	}
	if err := s.SaveService(context.Background(), &sv, store.Actor{At: planStart}); err != nil {
		t.Fatalf("save service %q: %v", sv.Name, err)
	}
	return sv
}

func TestDirectoryStructureIsNotAMember(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tr, member, _ := fixture(t, s)
		st := directory.Structure{TerritoryID: tr.ID, Source: "dora", ExternalID: "dora--42", Name: "Garage solidaire du Territoire",
			Description: "Réparation de voitures à prix solidaire.", SIRET: "12345678900011", CommuneINSEE: "90010", PostalCode: "90000",
			Address: "2 rue de l'Étang", AddressComplement: "Bâtiment B", Lat: 47.6458, Lon: 6.841, Phone: "0384000000",
			Email: "garage@example.org", Website: "https://garage.example.org", OpeningHours: "Mo-Fr 09:00-17:00",
			AccessibilityLink: "https://acceslibre.beta.gouv.fr/x", SourceLink: "https://dora.inclusion.beta.gouv.fr/x",
			Networks: []string{"emmaus"}}
		by := store.Actor{At: planStart}
		if err := s.SaveDirectoryStructure(ctx, &st, by); err != nil {
			t.Fatal(err)
		}
		got, err := s.DirectoryStructure(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := st
		want.Kind, want.Member, want.UpdatedAt = "association", false, planStart
		if !reflect.DeepEqual(got, want) {
			t.Errorf("read back\n%+v\nwant\n%+v", got, want)
		}

		consortium, err := s.Structures(ctx, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(consortium) != 1 || consortium[0].ID != member.ID {
			t.Errorf("consortium = %+v, want the CCAS only", consortium)
		}
		all, err := s.DirectoryStructures(ctx, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, d := range all {
			names = append(names, d.Name)
			if d.Member != (d.ID == member.ID) {
				t.Errorf("%s: member = %v", d.Name, d.Member)
			}
		}
		if want := []string{"CCAS de Belfort", "Garage solidaire du Territoire"}; !slices.Equal(names, want) {
			t.Errorf("directory structures = %q, want %q", names, want)
		}

		st.Description, st.Networks, st.Lat = "Garage associatif.", []string{"emmaus", "france-travail"}, 47.65
		by.At = planStart.Add(time.Hour)
		if err := s.SaveDirectoryStructure(ctx, &st, by); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.DirectoryStructure(ctx, st.ID); got.Description != "Garage associatif." || len(got.Networks) != 2 ||
			got.Lat != 47.65 || !got.UpdatedAt.Equal(by.At) || got.Member {
			t.Errorf("after update: %+v", got)
		}
		for _, tc := range []struct {
			name string
			st   directory.Structure
			want error
		}{
			{"name already used", directory.Structure{TerritoryID: tr.ID, Name: "CCAS de Belfort"}, store.ErrConflict},
			{"update through another territory", directory.Structure{ID: st.ID, TerritoryID: tr.ID + 1000, Name: "Pirate"}, store.ErrNotFound},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := s.SaveDirectoryStructure(ctx, &tc.st, by); !errors.Is(err, tc.want) {
					t.Errorf("err = %v, want %v", err, tc.want)
				}
			})
		}
	})
}

func TestServiceRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tr, member, _ := fixture(t, s)
		garage := dirStructure(t, s, tr.ID, "Garage solidaire du Territoire", "garage@example.org")
		created := planStart
		sv := directory.Service{TerritoryID: tr.ID, StructureID: garage.ID, Source: "dora", ExternalID: "dora--svc-1",
			Name: "Réparation à petit prix", Description: "Réparation de voitures à prix solidaire.", Type: "aide-materielle",
			Thematiques: []string{thFinance, thVehicle}, Fees: "payant", FeesDetails: "10 € de l'heure",
			Publics: []string{"beneficiaires-des-minimas-sociaux", "jeunes"}, PublicsDetails: "Bénéficiaires du RSA",
			AccessConditions: "Sur orientation", CommuneINSEE: "90008", PostalCode: "90800", Address: "1 rue du Garage",
			AddressComplement: "Au fond de la cour", Lat: 47.6214, Lon: 6.8275, Phone: "0384000001", Email: "atelier@example.org",
			ContactName: "Camille Martin", ReceptionModes: []string{"a-distance", "en-presentiel"}, EligibilityZone: []string{"90"},
			MobilisationLink: "https://garage.example.org/rdv", MobilisationModes: []string{"envoyer-un-courriel"},
			MobilisableBy: []string{"professionnels"}, MobilisationDetails: "Joindre le devis", WeeklyHours: 2.5, Weeks: 6,
			OpeningHours: "Mo-Fr 08:00-12:00", SourceLink: "https://dora.inclusion.beta.gouv.fr/services/1",
			Status: directory.StatusDraft}
		if err := s.SaveService(ctx, &sv, store.Actor{At: created}); err != nil {
			t.Fatal(err)
		}
		check := func(t *testing.T, want directory.Service) {
			t.Helper()
			got, err := s.Service(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("read back\n%+v\nwant\n%+v", got, want)
			}
		}
		want := sv
		want.StructureName, want.CreatedAt, want.UpdatedAt = garage.Name, created, created
		check(t, want)

		// Every field changes, the structure too.
		up := want
		up.UpdatedAt = time.Time{}
		up.StructureID, up.Source, up.ExternalID = member.ID, "", ""
		up.Name, up.Description, up.Type = "Crèche à vocation d'insertion", "Places réservées aux parents en parcours.", "accompagnement"
		up.Thematiques, up.Fees, up.FeesDetails = []string{thChildren}, "gratuit", ""
		up.Publics, up.PublicsDetails, up.AccessConditions = []string{"familles"}, "", "Aucune"
		up.CommuneINSEE, up.PostalCode, up.Address, up.AddressComplement = "90010", "90000", "3 place de la Mairie", ""
		up.Lat, up.Lon, up.Phone, up.Email, up.ContactName = 47.6458, 6.841, "", "creche@example.org", ""
		up.ReceptionModes, up.EligibilityZone = []string{"en-presentiel"}, nil
		up.MobilisationLink, up.MobilisationModes, up.MobilisableBy, up.MobilisationDetails = "", nil, []string{"usagers"}, ""
		up.WeeklyHours, up.Weeks, up.OpeningHours, up.SourceLink = 0, 0, "", ""
		up.Status = directory.StatusPublished
		updated := created.Add(48 * time.Hour)
		if err := s.SaveService(ctx, &up, store.Actor{At: updated}); err != nil {
			t.Fatal(err)
		}
		want = up
		want.StructureName, want.UpdatedAt = member.Name, updated
		check(t, want)
		if n, err := s.CountServices(ctx, tr.ID); err != nil || n[directory.StatusPublished] != 1 || len(n) != 1 {
			t.Errorf("count = %v, %v; want one published service", n, err)
		}
	})
}

func TestSaveServiceRefusesAnotherTerritory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tr, st, _ := fixture(t, s)
		doubs := territory.Territory{Code: "25", Name: "Doubs"}
		if err := s.CreateTerritory(ctx, &doubs); err != nil {
			t.Fatal(err)
		}
		theirs := dirStructure(t, s, doubs.ID, "Garage solidaire du Doubs", "")
		ours := putService(t, s, directory.Service{TerritoryID: tr.ID, StructureID: st.ID, Name: "Épicerie sociale"}, communes(t).belfort)
		for _, tc := range []struct {
			name string
			sv   directory.Service
		}{
			{"new service of a structure of another territory", directory.Service{TerritoryID: tr.ID, StructureID: theirs.ID, Name: "Intrus"}},
			{"moved to a structure of another territory", func() directory.Service { sv := ours; sv.StructureID = theirs.ID; return sv }()},
			{"updated through another territory", func() directory.Service {
				sv := ours
				sv.TerritoryID, sv.StructureID = doubs.ID, theirs.ID
				return sv
			}()},
			{"unknown structure", directory.Service{TerritoryID: tr.ID, StructureID: theirs.ID + 1000, Name: "Fantôme"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := s.SaveService(ctx, &tc.sv, store.Actor{At: planStart}); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("err = %v, want ErrNotFound", err)
				}
			})
		}
		got, err := s.Service(ctx, ours.ID)
		if err != nil || got.StructureID != st.ID || got.TerritoryID != tr.ID || got.Name != "Épicerie sociale" {
			t.Errorf("service after refused changes: %+v, %v", got, err)
		}
		if n, _ := s.CountServices(ctx, doubs.ID); len(n) != 0 {
			t.Errorf("the other territory holds services: %v", n)
		}
	})
}

func hitNames(hs []directory.Hit) []string {
	out := []string{}
	for _, h := range hs {
		out = append(out, h.Name)
	}
	return out
}

func TestSearchServices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tr, ccas, _ := fixture(t, s)
		pl := communes(t)
		garage := dirStructure(t, s, tr.ID, "Garage solidaire du Territoire", "")
		mob := dirStructure(t, s, tr.ID, "Mobilité Nord Franche-Comté", "")
		kids := dirStructure(t, s, tr.ID, "Association Petite Enfance", "")
		svc := func(stID int64, name, desc, typ, fees string, th []string, status directory.Status, modes ...string) directory.Service {
			return directory.Service{TerritoryID: tr.ID, StructureID: stID, Name: name, Description: desc, Type: typ, Fees: fees,
				Thematiques: th, Status: status, ReceptionModes: modes}
		}
		putService(t, s, svc(garage.ID, "Réparation à petit prix", "Réparation de voitures à prix solidaire.", "aide-materielle", "payant",
			[]string{thVehicle}, "", "en-presentiel"), pl.bavilliers)
		far := putService(t, s, svc(mob.ID, "Location de voitures", "Location de véhicules pour aller au travail.", "aide-materielle", "payant",
			[]string{thVehicle, thFinance}, ""), pl.far)
		putService(t, s, svc(mob.ID, "Conseil en mobilité", "Conseils par téléphone pour trouver un moyen de transport.", "accompagnement",
			"gratuit", []string{thVehicle}, "", "a-distance"), pl.besancon)
		putService(t, s, svc(garage.ID, "Ancien garage", "Fermé.", "aide-materielle", "gratuit", []string{thVehicle}, directory.StatusArchived), pl.belfort)
		putService(t, s, svc(garage.ID, "Garage en projet", "Bientôt.", "aide-materielle", "gratuit", []string{thVehicle}, directory.StatusDraft), pl.belfort)
		putService(t, s, svc(garage.ID, "Garage fermé pour travaux", "Réouverture en mars.", "aide-materielle", "gratuit",
			[]string{thVehicle}, directory.StatusSuspended), pl.belfort)
		putService(t, s, svc(garage.ID, "Aide au permis", "Financement du permis de conduire.", "aide-financiere", "gratuit",
			[]string{thVehicle}, ""), pl.belfort)
		putService(t, s, svc(kids.ID, "Crèche Les Lutins", "Accueil des jeunes enfants de 3 mois à 3 ans.", "accompagnement", "gratuit",
			[]string{thChildren}, ""), pl.belfort)
		food := svc(ccas.ID, "Épicerie sociale", "Produits à petit prix.", "aide-materielle", "payant", []string{thFood}, "")
		food.EligibilityZone = []string{"90010"}
		putService(t, s, food, pl.belfort)

		from := func(q directory.Query, km float64) directory.Query {
			q.HasFrom, q.FromLat, q.FromLon, q.RadiusKm = true, pl.belfort.Lat, pl.belfort.Lon, km
			return q
		}
		for _, tc := range []struct {
			name string
			q    directory.Query
			want []string
		}{
			{"thématique: published only", directory.Query{Thematiques: []string{thVehicle}},
				[]string{"Aide au permis", "Conseil en mobilité", "Location de voitures", "Réparation à petit prix"}},
			{"thématique within 15 km: the remote service stays", from(directory.Query{Thematiques: []string{thVehicle}}, 15),
				[]string{"Aide au permis", "Réparation à petit prix", "Conseil en mobilité"}},
			{"thématique within 50 km", from(directory.Query{Thematiques: []string{thVehicle}}, 50),
				[]string{"Aide au permis", "Réparation à petit prix", "Location de voitures", "Conseil en mobilité"}},
			{"more thématiques matched before nearer", from(directory.Query{Thematiques: []string{thVehicle, thFinance}}, 50),
				[]string{"Location de voitures", "Aide au permis", "Réparation à petit prix", "Conseil en mobilité"}},
			{"any service within 15 km", from(directory.Query{}, 15),
				[]string{"Aide au permis", "Crèche Les Lutins", "Épicerie sociale", "Réparation à petit prix", "Conseil en mobilité"}},
			{"text without accent", directory.Query{Text: "creche"}, []string{"Crèche Les Lutins"}},
			{"text in capitals with accent", directory.Query{Text: "CRÈCHE lutins"}, []string{"Crèche Les Lutins"}},
			{"text: every word must match", directory.Query{Text: "crèche voiture"}, []string{}},
			{"text: name before description, whatever the distance", from(directory.Query{Text: "voiture"}, 0),
				[]string{"Location de voitures", "Réparation à petit prix"}},
			{"text in the structure's name", directory.Query{Text: "franche comte"},
				[]string{"Conseil en mobilité", "Location de voitures"}},
			{"type and fees", directory.Query{Type: "aide-materielle", Fees: "payant"},
				[]string{"Épicerie sociale", "Location de voitures", "Réparation à petit prix"}},
			{"free services", directory.Query{Fees: "gratuit"},
				[]string{"Aide au permis", "Conseil en mobilité", "Crèche Les Lutins"}},
			{"type and text", directory.Query{Type: "aide-financiere", Text: "permis"}, []string{"Aide au permis"}},
			{"zone: person of the commune", directory.Query{Thematiques: []string{thFood}, CommuneINSEE: "90010", Departement: "90"},
				[]string{"Épicerie sociale"}},
			{"zone: person of another commune", directory.Query{Thematiques: []string{thFood}, CommuneINSEE: "90008", Departement: "90"},
				[]string{}},
			{"zone: commune not known", directory.Query{Thematiques: []string{thFood}}, []string{"Épicerie sociale"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				hits, err := s.SearchServices(ctx, tr.ID, tc.q)
				if err != nil {
					t.Fatal(err)
				}
				if got := hitNames(hits); !slices.Equal(got, tc.want) {
					t.Errorf("found %q, want %q", got, tc.want)
				}
			})
		}

		hits, err := s.SearchServices(ctx, tr.ID, from(directory.Query{Thematiques: []string{thVehicle, thFinance}}, 50))
		if err != nil || len(hits) == 0 || hits[0].ID != far.ID {
			t.Fatalf("search: %+v, %v", hits, err)
		}
		if got := hits[0].DistanceKm; math.Abs(got-pl.farKm) > 0.01 || hits[0].Score != 6 || hits[0].StructureName != mob.Name {
			t.Errorf("hit = %.2f km, score %d, structure %q; want %.2f km, score 6, %q", got, hits[0].Score, hits[0].StructureName, pl.farKm, mob.Name)
		}
		doubs := territory.Territory{Code: "25", Name: "Doubs"}
		if err := s.CreateTerritory(ctx, &doubs); err != nil {
			t.Fatal(err)
		}
		if got, err := s.SearchServices(ctx, doubs.ID, directory.Query{Thematiques: []string{thVehicle}}); err != nil || len(got) != 0 {
			t.Errorf("another territory finds %q, %v", hitNames(got), err)
		}
	})
}

// Changing a published service's status or thématiques changes what the
// search finds at once.
func TestServiceChangesReachSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tr, _, _ := fixture(t, s)
		pl := communes(t)
		garage := dirStructure(t, s, tr.ID, "Garage solidaire du Territoire", "")
		sv := putService(t, s, directory.Service{TerritoryID: tr.ID, StructureID: garage.ID, Name: "Réparation à petit prix",
			Thematiques: []string{thVehicle}}, pl.belfort)
		near := func(th string) directory.Query {
			return directory.Query{Thematiques: []string{th}, HasFrom: true, FromLat: pl.belfort.Lat, FromLon: pl.belfort.Lon, RadiusKm: 15}
		}
		steps := []struct {
			name   string
			change func(sv *directory.Service)
			q      directory.Query
			want   int
		}{
			{"published", func(*directory.Service) {}, near(thVehicle), 1},
			{"archived: not by thématique", func(sv *directory.Service) { sv.Status = directory.StatusArchived }, near(thVehicle), 0},
			{"archived: not by text", func(*directory.Service) {}, directory.Query{Text: "reparation"}, 0},
			{"published again with another thématique", func(sv *directory.Service) {
				sv.Status, sv.Thematiques = directory.StatusPublished, []string{thFinance}
			}, near(thFinance), 1},
			{"not under the former thématique", func(*directory.Service) {}, near(thVehicle), 0},
			{"moved 40 km away", func(sv *directory.Service) { sv.Lat, sv.Lon = pl.far.Lat, pl.far.Lon }, near(thFinance), 0},
			{"now remote only", func(sv *directory.Service) { sv.ReceptionModes = []string{"a-distance"} }, near(thFinance), 1},
			{"suspended", func(sv *directory.Service) { sv.Status = directory.StatusSuspended }, near(thFinance), 0},
		}
		for i, step := range steps {
			t.Run(step.name, func(t *testing.T) {
				step.change(&sv)
				sv.UpdatedAt = time.Time{}
				if err := s.SaveService(ctx, &sv, store.Actor{At: planStart.Add(time.Duration(i) * time.Hour)}); err != nil {
					t.Fatal(err)
				}
				hits, err := s.SearchServices(ctx, tr.ID, step.q)
				if err != nil {
					t.Fatal(err)
				}
				if len(hits) != step.want {
					t.Errorf("found %q, want %d", hitNames(hits), step.want)
				}
			})
		}
	})
}
