package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
)

// importFixture is what a data·inclusion file brings: the CCAS of the
// fixture (found by its name), a garage solidaire of the directory only, and
// a service of each.
func importFixture() ([]directory.Structure, []store.ImportedService) {
	dated := time.Date(2025, 2, 14, 0, 0, 0, 0, time.UTC)
	sts := []directory.Structure{
		{Source: "dora", ExternalID: "st-ccas", Name: "CCAS de Belfort", CommuneINSEE: "90010", Phone: "03 84 54 24 24", UpdatedAt: dated},
		{Source: "dora", ExternalID: "st-garage", Name: "Garage solidaire du Lion", CommuneINSEE: "90010", Networks: []string{"restos-du-coeur"}, UpdatedAt: dated},
	}
	svs := []store.ImportedService{
		{StructureDI: "st-garage", Service: directory.Service{Source: "dora", ExternalID: "sv-garage", Name: "Réparation de véhicules à petit prix",
			Description: "Entretien et réparation pour les personnes en insertion.", Thematiques: []string{"mobilite--entretenir-reparer-son-vehicule"},
			CommuneINSEE: "90010", Lat: 47.64, Lon: 6.86, Phone: "03 84 00 00 00", Status: directory.StatusPublished, UpdatedAt: dated}},
		{StructureDI: "st-ccas", Service: directory.Service{Source: "dora", ExternalID: "sv-epicerie", Name: "Épicerie sociale",
			Description: "Produits à petit prix sur orientation.", Thematiques: []string{"equipement-et-alimentation--alimentation"},
			CommuneINSEE: "90010", Lat: 47.64, Lon: 6.86, Email: "epicerie@ccas.example", Status: directory.StatusPublished, UpdatedAt: dated}},
	}
	return sts, svs
}

func TestImportDirectory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tr, ccas, a := fixture(t, s)
		by := store.Actor{AccountID: a.ID, At: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
		sts, svs := importFixture()
		rep, err := s.ImportDirectory(ctx, tr.ID, sts, svs, by)
		if err != nil {
			t.Fatal(err)
		}
		if want := (store.ImportReport{StructuresCreated: 1, StructuresUpdated: 1, ServicesCreated: 2}); rep != want {
			t.Errorf("first import: %+v, want %+v", rep, want)
		}
		all, err := s.DirectoryStructures(ctx, tr.ID)
		if err != nil || len(all) != 2 {
			t.Fatalf("structures: %+v %v", all, err)
		}
		for _, st := range all {
			if st.UpdatedAt.Format("2006-01-02") != "2025-02-14" {
				t.Errorf("%s: updated %s, want the date of the file", st.Name, st.UpdatedAt)
			}
			switch st.Name {
			case "CCAS de Belfort":
				if st.ID != ccas.ID || !st.Member || st.ExternalID != "st-ccas" || st.Phone != "03 84 54 24 24" {
					t.Errorf("member structure not completed: %+v", st)
				}
			case "Garage solidaire du Lion":
				if st.Member || st.Kind != "association" || st.ExternalID != "st-garage" {
					t.Errorf("structure of the directory: %+v", st)
				}
			}
		}
		got, err := s.Services(ctx, store.ServiceFilter{TerritoryID: tr.ID})
		if err != nil || len(got) != 2 {
			t.Fatalf("services: %+v %v", got, err)
		}
		if got[0].StructureID != ccas.ID || got[0].Name != "Épicerie sociale" || got[1].StructureName != "Garage solidaire du Lion" ||
			got[0].UpdatedAt.Format("2006-01-02") != "2025-02-14" {
			t.Errorf("services: %+v", got)
		}
		hits, err := s.SearchServices(ctx, tr.ID, directory.Query{Thematiques: []string{"mobilite--entretenir-reparer-son-vehicule"}})
		if err != nil || len(hits) != 1 || hits[0].ExternalID != "sv-garage" {
			t.Errorf("search after import: %+v %v", hits, err)
		}

		// Again: every item is updated, and a service suspended here stays so.
		sv := got[0]
		sv.Status = directory.StatusSuspended
		if err := s.SaveService(ctx, &sv, by); err != nil {
			t.Fatal(err)
		}
		sts, svs = importFixture()
		svs[1].Service.Description = "Produits à petit prix, sur orientation d'un travailleur social."
		rep, err = s.ImportDirectory(ctx, tr.ID, sts, svs, by)
		if want := (store.ImportReport{StructuresUpdated: 2, ServicesUpdated: 2}); err != nil || rep != want {
			t.Errorf("second import: %+v %v, want %+v", rep, err, want)
		}
		again, err := s.Service(ctx, sv.ID)
		if err != nil || again.Status != directory.StatusSuspended || again.Description != svs[1].Service.Description {
			t.Errorf("service imported again: %+v %v", again, err)
		}
	})
}

func TestImportDirectoryAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tr, _, a := fixture(t, s)
		by := store.Actor{AccountID: a.ID, At: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}

		// A service whose structure is in neither the file nor the territory.
		sts, svs := importFixture()
		svs[1].StructureDI = "st-inconnue"
		_, err := s.ImportDirectory(ctx, tr.ID, sts, svs, by)
		var ie *store.ItemError
		if !errors.As(err, &ie) || ie.List != "services" || ie.Index != 1 || ie.Field != "structure_id" || !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown structure: %v", err)
		}
		all, _ := s.DirectoryStructures(ctx, tr.ID)
		n, _ := s.CountServices(ctx, tr.ID)
		if len(all) != 1 || all[0].ExternalID != "" || len(n) != 0 {
			t.Errorf("a failed import wrote: %d structures (%+v), services %v", len(all), all[0], n)
		}

		// A structure named as one of the territory known under another id.
		sts, svs = importFixture()
		if _, err := s.ImportDirectory(ctx, tr.ID, sts[:1], nil, by); err != nil {
			t.Fatal(err)
		}
		sts[0].ExternalID = "st-autre"
		_, err = s.ImportDirectory(ctx, tr.ID, sts, svs, by)
		if !errors.As(err, &ie) || ie.List != "structures" || ie.Index != 0 || !errors.Is(err, store.ErrConflict) {
			t.Fatalf("name taken: %v", err)
		}
		if all, _ := s.DirectoryStructures(ctx, tr.ID); len(all) != 1 {
			t.Errorf("a failed import wrote %d structures", len(all))
		}
	})
}

// TestImportDirectoryByID: records of the territory given by their ID (its
// own export read back) are updated, and an ID of another territory is an
// error of the item.
func TestImportDirectoryByID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tr, ccas, a := fixture(t, s)
		by := store.Actor{AccountID: a.ID, At: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
		_, svs := importFixture()
		sv := svs[1].Service
		sv.TerritoryID, sv.StructureID, sv.Source, sv.ExternalID = tr.ID, ccas.ID, "", ""
		if err := s.SaveService(ctx, &sv, by); err != nil {
			t.Fatal(err)
		}
		own := sv
		own.Description = "Produits à petit prix, sans orientation."
		st := directory.Structure{ID: ccas.ID, Name: ccas.Name, Phone: "03 84 00 11 22"}
		rep, err := s.ImportDirectory(ctx, tr.ID, []directory.Structure{st}, []store.ImportedService{{Service: own}}, by)
		if want := (store.ImportReport{StructuresUpdated: 1, ServicesUpdated: 1}); err != nil || rep != want {
			t.Fatalf("import by ID: %+v %v, want %+v", rep, err, want)
		}
		if got, err := s.Service(ctx, sv.ID); err != nil || got.Description != own.Description {
			t.Errorf("service: %+v %v", got, err)
		}
		if got, err := s.DirectoryStructure(ctx, ccas.ID); err != nil || got.Phone != st.Phone || got.ExternalID != "" {
			t.Errorf("structure: %+v %v", got, err)
		}

		other := directory.Structure{Source: "dora", ExternalID: "ailleurs", Name: "Ailleurs"}
		if _, err := s.ImportDirectory(ctx, tr.ID+1000, []directory.Structure{other}, nil, by); err == nil {
			t.Error("import into an unknown territory succeeded")
		}
		own.ID = sv.ID + 1000
		_, err = s.ImportDirectory(ctx, tr.ID, nil, []store.ImportedService{{Service: own}}, by)
		var ie *store.ItemError
		if !errors.As(err, &ie) || ie.Field != "id" || !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown service ID: %v", err)
		}
	})
}
