package store

import (
	"context"
	"fmt"
	"time"

	"github.com/spie-parcours/parcours/internal/territory"
)

// CreateTerritory inserts a territory and sets its ID.
func (s *Store) CreateTerritory(ctx context.Context, t *territory.Territory) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = time.Now().UTC()
	}
	id, err := s.writer().insertID(ctx, `INSERT INTO territories (code, name, operator_state, operator_council, created_at)
		VALUES (?, ?, ?, ?, ?)`, t.Code, t.Name, t.OperatorState, t.OperatorCouncil, t.CreatedAt.UTC())
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: create territory %s: %w", t.Code, ErrConflict)
		}
		return fmt.Errorf("store: create territory: %w", err)
	}
	t.ID = id
	return nil
}

const territoryColumns = `id, code, name, operator_state, operator_council, created_at`

func scanTerritory(sc interface{ Scan(...any) error }) (territory.Territory, error) {
	var t territory.Territory
	err := sc.Scan(&t.ID, &t.Code, &t.Name, &t.OperatorState, &t.OperatorCouncil, &t.CreatedAt)
	return t, err
}

// Territory returns a territory by ID.
func (s *Store) Territory(ctx context.Context, id int64) (territory.Territory, error) {
	t, err := scanTerritory(s.reader().queryRow(ctx, `SELECT `+territoryColumns+` FROM territories WHERE id = ?`, id))
	if err != nil {
		return t, fmt.Errorf("store: territory %d: %w", id, notFound(err))
	}
	return t, nil
}

// TerritoryByCode returns a territory by its département code.
func (s *Store) TerritoryByCode(ctx context.Context, code string) (territory.Territory, error) {
	t, err := scanTerritory(s.reader().queryRow(ctx, `SELECT `+territoryColumns+` FROM territories WHERE code = ?`, code))
	if err != nil {
		return t, fmt.Errorf("store: territory %s: %w", code, notFound(err))
	}
	return t, nil
}

// Territories lists every territory by code.
func (s *Store) Territories(ctx context.Context) ([]territory.Territory, error) {
	rows, err := s.reader().query(ctx, `SELECT `+territoryColumns+` FROM territories ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("store: territories: %w", err)
	}
	defer rows.Close()
	var out []territory.Territory
	for rows.Next() {
		t, err := scanTerritory(rows)
		if err != nil {
			return nil, fmt.Errorf("store: territories: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// CreateStructure inserts a structure and sets its ID.
func (s *Store) CreateStructure(ctx context.Context, st *territory.Structure) error {
	if st.CreatedAt.IsZero() {
		st.CreatedAt = time.Now().UTC()
	}
	id, err := s.writer().insertID(ctx, `INSERT INTO structures
		(territory_id, kind, name, siret, commune_insee, email, phone, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		st.TerritoryID, string(st.Kind), st.Name, st.SIRET, st.CommuneINSEE, st.Email, st.Phone, st.CreatedAt.UTC())
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: create structure %q: %w", st.Name, ErrConflict)
		}
		return fmt.Errorf("store: create structure: %w", err)
	}
	st.ID = id
	return nil
}

const structureColumns = `id, territory_id, kind, name, siret, commune_insee, email, phone, member, created_at`

func scanStructure(sc interface{ Scan(...any) error }) (territory.Structure, error) {
	var st territory.Structure
	var kind string
	err := sc.Scan(&st.ID, &st.TerritoryID, &kind, &st.Name, &st.SIRET, &st.CommuneINSEE, &st.Email, &st.Phone, &st.Member, &st.CreatedAt)
	st.Kind = territory.Kind(kind)
	return st, err
}

// Structure returns a structure by ID.
func (s *Store) Structure(ctx context.Context, id int64) (territory.Structure, error) {
	st, err := scanStructure(s.reader().queryRow(ctx, `SELECT `+structureColumns+` FROM structures WHERE id = ?`, id))
	if err != nil {
		return st, fmt.Errorf("store: structure %d: %w", id, notFound(err))
	}
	return st, nil
}

// StructureByName returns the structure of a territory with that exact name.
func (s *Store) StructureByName(ctx context.Context, territoryID int64, name string) (territory.Structure, error) {
	st, err := scanStructure(s.reader().queryRow(ctx,
		`SELECT `+structureColumns+` FROM structures WHERE territory_id = ? AND name = ?`, territoryID, name))
	if err != nil {
		return st, fmt.Errorf("store: structure %q: %w", name, notFound(err))
	}
	return st, nil
}

// Structures lists the structures of the consortium of a territory (its
// members, not the structures of the directory only) by name.
func (s *Store) Structures(ctx context.Context, territoryID int64) ([]territory.Structure, error) {
	rows, err := s.reader().query(ctx,
		`SELECT `+structureColumns+` FROM structures WHERE territory_id = ? AND member ORDER BY name, id`, territoryID)
	if err != nil {
		return nil, fmt.Errorf("store: structures: %w", err)
	}
	defer rows.Close()
	var out []territory.Structure
	for rows.Next() {
		st, err := scanStructure(rows)
		if err != nil {
			return nil, fmt.Errorf("store: structures: %w", err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}
