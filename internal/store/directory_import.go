package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/spie-parcours/parcours/internal/directory"
)

// ImportedService is a service read from a data·inclusion file, with the
// data·inclusion id of its structure (its "structure_id"), which the import
// resolves to a structure of the territory.
type ImportedService struct {
	Service     directory.Service
	StructureDI string
}

// ImportReport counts what an import of the directory created and updated.
type ImportReport struct {
	StructuresCreated, StructuresUpdated int
	ServicesCreated, ServicesUpdated     int
}

// ItemError is the failure of one item of a directory import: its list
// ("structures" or "services"), its index in that list and the
// data·inclusion field at fault. Err is ErrNotFound for a service whose
// structure is unknown or an item whose ID is not of the territory,
// ErrConflict for a structure whose name is taken in the territory under
// another data·inclusion id.
type ItemError struct {
	List  string
	Index int
	Field string
	Err   error
}

func (e *ItemError) Error() string {
	return fmt.Sprintf("%s[%d].%s: %v", e.List, e.Index, e.Field, e.Err)
}

func (e *ItemError) Unwrap() error { return e.Err }

// ImportDirectory writes structures and services read from data·inclusion
// files into a territory's directory, all or nothing, in one transaction.
//
// A structure is the one of the territory with the same data·inclusion id,
// else the one with exactly the same name (a member of the consortium then
// gains its directory fields and data·inclusion id), else a new structure
// of the directory. A service is the one of the territory with the same
// data·inclusion id, which keeps its status (a service suspended here stays
// suspended), else a new one with the status it carries. The structure of a
// service is found by its data·inclusion id, among the structures of this
// import first, then among those of the territory.
//
// An item given with its ID (a record of this territory exported, then
// imported back) updates that record, which must be of the territory; a
// service given with its StructureID needs no data·inclusion id for it.
//
// The date of update read from the file (UpdatedAt) is kept for both, so
// that exporting again gives the date the source gave. The items are
// expected valid and normalized; a failing item gives an *ItemError and
// nothing is written.
func (s *Store) ImportDirectory(ctx context.Context, territoryID int64, structures []directory.Structure,
	services []ImportedService, by Actor) (ImportReport, error) {
	var rep ImportReport
	at := by.at()
	err := s.tx(ctx, func(d db) error {
		rep = ImportReport{}
		byDI := map[string]int64{} // data·inclusion id → structure ID, for this import's services
		for i := range structures {
			st := structures[i]
			st.TerritoryID = territoryID
			id := st.ID
			var err error
			if id != 0 {
				err = structureIn(ctx, d, territoryID, id)
			} else {
				id, err = findDirStructure(ctx, d, territoryID, st.ExternalID, st.Name)
			}
			if errors.Is(err, ErrNotFound) {
				return &ItemError{List: "structures", Index: i, Field: "id", Err: err}
			}
			if errors.Is(err, ErrConflict) {
				return &ItemError{List: "structures", Index: i, Field: "nom", Err: err}
			}
			if err != nil {
				return err
			}
			st.ID = id
			dated := st.UpdatedAt
			if err := saveDirStructure(ctx, d, &st, at); err != nil {
				if isUniqueViolation(err) {
					return &ItemError{List: "structures", Index: i, Field: "id", Err: ErrConflict}
				}
				return fmt.Errorf("structure %d: %w", i, err)
			}
			if !dated.IsZero() {
				if _, err := d.exec(ctx, `UPDATE structures SET updated_at = ? WHERE id = ?`, dated.UTC(), st.ID); err != nil {
					return err
				}
			}
			if id == 0 {
				rep.StructuresCreated++
			} else {
				rep.StructuresUpdated++
			}
			if st.ExternalID != "" {
				byDI[st.ExternalID] = st.ID
			}
		}
		for i := range services {
			sv := services[i].Service
			sv.TerritoryID = territoryID
			sid, ok := byDI[services[i].StructureDI]
			if sv.StructureID != 0 {
				sid, ok = sv.StructureID, true
				if err := structureIn(ctx, d, territoryID, sid); err != nil {
					if errors.Is(err, ErrNotFound) {
						return &ItemError{List: "services", Index: i, Field: "structure_id", Err: err}
					}
					return err
				}
			}
			if !ok {
				var err error
				if sid, err = dirStructureByDI(ctx, d, territoryID, services[i].StructureDI); err != nil {
					if errors.Is(err, ErrNotFound) {
						return &ItemError{List: "services", Index: i, Field: "structure_id", Err: ErrNotFound}
					}
					return err
				}
			}
			sv.StructureID = sid
			created := true
			var status string
			switch {
			case sv.ID != 0:
				err := d.queryRow(ctx, `SELECT status FROM services WHERE id = ? AND territory_id = ?`, sv.ID, territoryID).Scan(&status)
				if errors.Is(err, sql.ErrNoRows) {
					return &ItemError{List: "services", Index: i, Field: "id", Err: ErrNotFound}
				}
				if err != nil {
					return err
				}
				sv.Status, created = directory.Status(status), false
			case sv.ExternalID != "":
				var id int64
				err := d.queryRow(ctx, `SELECT id, status FROM services WHERE territory_id = ? AND di_id = ?`,
					territoryID, sv.ExternalID).Scan(&id, &status)
				switch {
				case err == nil:
					sv.ID, sv.Status, created = id, directory.Status(status), false
				case !errors.Is(err, sql.ErrNoRows):
					return err
				}
			}
			if err := saveService(ctx, d, &sv, at); err != nil {
				if isUniqueViolation(err) {
					return &ItemError{List: "services", Index: i, Field: "id", Err: ErrConflict}
				}
				return fmt.Errorf("service %d: %w", i, err)
			}
			if created {
				rep.ServicesCreated++
			} else {
				rep.ServicesUpdated++
			}
		}
		return nil
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("store: import directory: %w", err)
	}
	return rep, nil
}

// findDirStructure returns the ID of the territory's structure with the
// data·inclusion id diID, else of the one named name whose data·inclusion
// id is empty or diID, or 0 when there is none. A structure with that name
// but another data·inclusion id is ErrConflict.
func findDirStructure(ctx context.Context, d db, territoryID int64, diID, name string) (int64, error) {
	if diID != "" {
		id, err := dirStructureByDI(ctx, d, territoryID, diID)
		if err == nil || !errors.Is(err, ErrNotFound) {
			return id, err
		}
	}
	var id int64
	var other string
	err := d.queryRow(ctx, `SELECT id, di_id FROM structures WHERE territory_id = ? AND name = ?`,
		territoryID, strings.TrimSpace(name)).Scan(&id, &other)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, nil
	case err != nil:
		return 0, err
	case other != "" && other != diID:
		return 0, ErrConflict
	}
	return id, nil
}

// structureIn returns ErrNotFound unless the structure id is of the
// territory.
func structureIn(ctx context.Context, d db, territoryID, id int64) error {
	var one int
	return notFound(d.queryRow(ctx, `SELECT 1 FROM structures WHERE id = ? AND territory_id = ?`, id, territoryID).Scan(&one))
}

// dirStructureByDI returns the ID of the territory's structure with the
// data·inclusion id diID, or ErrNotFound.
func dirStructureByDI(ctx context.Context, d db, territoryID int64, diID string) (int64, error) {
	if diID == "" {
		return 0, ErrNotFound
	}
	var id int64
	err := d.queryRow(ctx, `SELECT id FROM structures WHERE territory_id = ? AND di_id = ?`, territoryID, diID).Scan(&id)
	return id, notFound(err)
}
