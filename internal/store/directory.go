package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/directory"
)

// The directory of services (data·inclusion schema v1) and its structures.
// List fields are stored joined with "|" (no code of data·inclusion holds
// one); the thématiques of published services are also written, with their
// position, to service_thematiques, which the search reads first.

func joinCodes(l []string) string { return strings.Join(l, "|") }

func splitCodes(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "|")
}

const dirStructureColumns = `id, territory_id, kind, member, di_source, di_id, name, description, siret, commune_insee,
	postal_code, address, address_complement, latitude, longitude, phone, email, website, opening_hours,
	accessibility_link, source_link, networks, created_at, updated_at`

func scanDirStructure(sc interface{ Scan(...any) error }) (directory.Structure, error) {
	var st directory.Structure
	var networks string
	var created time.Time
	var updated sql.NullTime
	err := sc.Scan(&st.ID, &st.TerritoryID, &st.Kind, &st.Member, &st.Source, &st.ExternalID, &st.Name, &st.Description,
		&st.SIRET, &st.CommuneINSEE, &st.PostalCode, &st.Address, &st.AddressComplement, &st.Lat, &st.Lon, &st.Phone,
		&st.Email, &st.Website, &st.OpeningHours, &st.AccessibilityLink, &st.SourceLink, &networks, &created, &updated)
	st.Networks = splitCodes(networks)
	st.UpdatedAt = timeOf(updated)
	if st.UpdatedAt.IsZero() {
		st.UpdatedAt = created.UTC()
	}
	return st, err
}

// DirectoryStructure returns a structure with its directory fields.
func (s *Store) DirectoryStructure(ctx context.Context, id int64) (directory.Structure, error) {
	st, err := scanDirStructure(s.reader().queryRow(ctx, `SELECT `+dirStructureColumns+` FROM structures WHERE id = ?`, id))
	if err != nil {
		return st, fmt.Errorf("store: directory structure %d: %w", id, notFound(err))
	}
	return st, nil
}

// DirectoryStructures lists every structure of a territory, members of the
// consortium and structures of the directory alike, by name.
func (s *Store) DirectoryStructures(ctx context.Context, territoryID int64) ([]directory.Structure, error) {
	rows, err := s.reader().query(ctx, `SELECT `+dirStructureColumns+` FROM structures WHERE territory_id = ? ORDER BY name, id`, territoryID)
	if err != nil {
		return nil, fmt.Errorf("store: directory structures: %w", err)
	}
	defer rows.Close()
	var out []directory.Structure
	for rows.Next() {
		st, err := scanDirStructure(rows)
		if err != nil {
			return nil, fmt.Errorf("store: directory structures: %w", err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// saveDirStructure inserts a structure of the directory (not a member) or
// updates the directory fields of an existing one, in a transaction.
func saveDirStructure(ctx context.Context, d db, st *directory.Structure, at time.Time) error {
	args := []any{st.Source, st.ExternalID, st.Description, st.SIRET, st.CommuneINSEE, st.PostalCode, st.Address,
		st.AddressComplement, st.Lat, st.Lon, st.Phone, st.Email, st.Website, st.OpeningHours, st.AccessibilityLink,
		st.SourceLink, joinCodes(st.Networks), at.UTC()}
	if st.ID == 0 {
		if st.Kind == "" {
			st.Kind = directory.KindFromNetworks(st.Networks)
		}
		id, err := d.insertID(ctx, `INSERT INTO structures (territory_id, kind, name, member, created_at, di_source, di_id,
			description, siret, commune_insee, postal_code, address, address_complement, latitude, longitude, phone, email,
			website, opening_hours, accessibility_link, source_link, networks, updated_at)
			VALUES (?, ?, ?, FALSE, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			append([]any{st.TerritoryID, st.Kind, st.Name, at.UTC()}, args...)...)
		if err != nil {
			return err
		}
		st.ID = id
	} else {
		res, err := d.exec(ctx, `UPDATE structures SET di_source = ?, di_id = ?, description = ?, siret = ?, commune_insee = ?,
			postal_code = ?, address = ?, address_complement = ?, latitude = ?, longitude = ?, phone = ?, email = ?,
			website = ?, opening_hours = ?, accessibility_link = ?, source_link = ?, networks = ?, updated_at = ?, name = ?
			WHERE id = ? AND territory_id = ?`, append(args, st.Name, st.ID, st.TerritoryID)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrNotFound
		}
		if err := reindexServices(ctx, d, st.ID, st.Name); err != nil {
			return err
		}
	}
	st.UpdatedAt = at.UTC()
	return nil
}

// reindexServices writes again the search text of a structure's services,
// which holds the structure's name.
func reindexServices(ctx context.Context, d db, structureID int64, name string) error {
	type change struct {
		id   int64
		text string
	}
	rows, err := collect(ctx, d, func(rows *sql.Rows) (change, error) {
		var sv directory.Service
		var old string
		err := rows.Scan(&sv.ID, &sv.Name, &sv.Description, &old)
		sv.StructureName = name
		if text := directory.SearchText(sv); text != old {
			return change{sv.ID, text}, err
		}
		return change{}, err
	}, `SELECT id, name, description, search_text FROM services WHERE structure_id = ?`, structureID)
	if err != nil {
		return err
	}
	var changes []change
	for _, c := range rows {
		if c.id != 0 {
			changes = append(changes, c)
		}
	}
	for _, c := range changes {
		if _, err := d.exec(ctx, `UPDATE services SET search_text = ? WHERE id = ?`, c.text, c.id); err != nil {
			return err
		}
	}
	return nil
}

// SaveDirectoryStructure creates a structure of the directory, or updates
// the directory fields of a structure. A name already used in the
// territory is ErrConflict.
func (s *Store) SaveDirectoryStructure(ctx context.Context, st *directory.Structure, by Actor) error {
	err := s.tx(ctx, func(d db) error { return saveDirStructure(ctx, d, st, by.at()) })
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: save directory structure: %w", ErrConflict)
		}
		return fmt.Errorf("store: save directory structure: %w", err)
	}
	return nil
}

const serviceColumns = `sv.id, sv.territory_id, sv.structure_id, st.name, sv.di_source, sv.di_id, sv.name, sv.description,
	sv.type, sv.thematiques, sv.fees, sv.fees_details, sv.publics, sv.publics_details, sv.access_conditions,
	sv.commune_insee, sv.postal_code, sv.address, sv.address_complement, sv.latitude, sv.longitude, sv.phone, sv.email,
	sv.contact_name, sv.reception_modes, sv.eligibility_zone, sv.mobilisation_link, sv.mobilisation_modes,
	sv.mobilisable_by, sv.mobilisation_details, sv.weekly_hours, sv.weeks, sv.opening_hours, sv.source_link, sv.status,
	sv.created_at, sv.updated_at`

const serviceFrom = ` FROM services sv JOIN structures st ON st.id = sv.structure_id`

func scanService(sc interface{ Scan(...any) error }) (directory.Service, error) {
	var sv directory.Service
	var them, publics, modes, zone, mobModes, mobBy, status string
	err := sc.Scan(&sv.ID, &sv.TerritoryID, &sv.StructureID, &sv.StructureName, &sv.Source, &sv.ExternalID, &sv.Name,
		&sv.Description, &sv.Type, &them, &sv.Fees, &sv.FeesDetails, &publics, &sv.PublicsDetails, &sv.AccessConditions,
		&sv.CommuneINSEE, &sv.PostalCode, &sv.Address, &sv.AddressComplement, &sv.Lat, &sv.Lon, &sv.Phone, &sv.Email,
		&sv.ContactName, &modes, &zone, &sv.MobilisationLink, &mobModes, &mobBy, &sv.MobilisationDetails, &sv.WeeklyHours,
		&sv.Weeks, &sv.OpeningHours, &sv.SourceLink, &status, &sv.CreatedAt, &sv.UpdatedAt)
	sv.Thematiques, sv.Publics, sv.ReceptionModes, sv.EligibilityZone = splitCodes(them), splitCodes(publics), splitCodes(modes), splitCodes(zone)
	sv.MobilisationModes, sv.MobilisableBy, sv.Status = splitCodes(mobModes), splitCodes(mobBy), directory.Status(status)
	sv.CreatedAt, sv.UpdatedAt = sv.CreatedAt.UTC(), sv.UpdatedAt.UTC()
	return sv, err
}

// Service returns a service by ID.
func (s *Store) Service(ctx context.Context, id int64) (directory.Service, error) {
	sv, err := scanService(s.reader().queryRow(ctx, `SELECT `+serviceColumns+serviceFrom+` WHERE sv.id = ?`, id))
	if err != nil {
		return sv, fmt.Errorf("store: service %d: %w", id, notFound(err))
	}
	return sv, nil
}

// ServiceFilter selects services for a list or an export.
type ServiceFilter struct {
	TerritoryID int64
	StructureID int64              // 0: every structure
	Statuses    []directory.Status // empty: every status
}

// Services lists services by structure name, then name.
func (s *Store) Services(ctx context.Context, f ServiceFilter) ([]directory.Service, error) {
	q := `SELECT ` + serviceColumns + serviceFrom + ` WHERE sv.territory_id = ?`
	args := []any{f.TerritoryID}
	if f.StructureID != 0 {
		q += ` AND sv.structure_id = ?`
		args = append(args, f.StructureID)
	}
	if len(f.Statuses) > 0 {
		q += ` AND sv.status IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(f.Statuses)), ", ") + `)`
		for _, st := range f.Statuses {
			args = append(args, string(st))
		}
	}
	return s.queryServices(ctx, s.reader(), q+` ORDER BY st.name, sv.name, sv.id`, args...)
}

func (s *Store) queryServices(ctx context.Context, d db, q string, args ...any) ([]directory.Service, error) {
	rows, err := d.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: services: %w", err)
	}
	defer rows.Close()
	var out []directory.Service
	for rows.Next() {
		sv, err := scanService(rows)
		if err != nil {
			return nil, fmt.Errorf("store: services: %w", err)
		}
		out = append(out, sv)
	}
	return out, rows.Err()
}

// CountServices counts the services of a territory by status.
func (s *Store) CountServices(ctx context.Context, territoryID int64) (map[directory.Status]int, error) {
	rows, err := s.reader().query(ctx, `SELECT status, COUNT(*) FROM services WHERE territory_id = ? GROUP BY status`, territoryID)
	if err != nil {
		return nil, fmt.Errorf("store: count services: %w", err)
	}
	defer rows.Close()
	out := map[directory.Status]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("store: count services: %w", err)
		}
		out[directory.Status(st)] = n
	}
	return out, rows.Err()
}

func serviceArgs(sv *directory.Service) []any {
	return []any{sv.Source, sv.ExternalID, sv.Name, sv.Description, sv.Type, joinCodes(sv.Thematiques), sv.Fees,
		sv.FeesDetails, joinCodes(sv.Publics), sv.PublicsDetails, sv.AccessConditions, sv.CommuneINSEE, sv.PostalCode,
		sv.Address, sv.AddressComplement, sv.Lat, sv.Lon, sv.Phone, sv.Email, sv.ContactName, joinCodes(sv.ReceptionModes),
		joinCodes(sv.EligibilityZone), sv.MobilisationLink, joinCodes(sv.MobilisationModes), joinCodes(sv.MobilisableBy),
		sv.MobilisationDetails, sv.WeeklyHours, sv.Weeks, sv.OpeningHours, sv.SourceLink, string(sv.Status),
		directory.SearchText(*sv), sv.UpdatedAt.UTC()}
}

const serviceSet = `di_source = ?, di_id = ?, name = ?, description = ?, type = ?, thematiques = ?, fees = ?,
	fees_details = ?, publics = ?, publics_details = ?, access_conditions = ?, commune_insee = ?, postal_code = ?,
	address = ?, address_complement = ?, latitude = ?, longitude = ?, phone = ?, email = ?, contact_name = ?,
	reception_modes = ?, eligibility_zone = ?, mobilisation_link = ?, mobilisation_modes = ?, mobilisable_by = ?,
	mobilisation_details = ?, weekly_hours = ?, weeks = ?, opening_hours = ?, source_link = ?, status = ?,
	search_text = ?, updated_at = ?`

// saveService inserts or updates a service and its search rows, in a
// transaction. The structure must be of the service's territory.
func saveService(ctx context.Context, d db, sv *directory.Service, at time.Time) error {
	var tid int64
	var stName string
	if err := d.queryRow(ctx, `SELECT territory_id, name FROM structures WHERE id = ?`, sv.StructureID).Scan(&tid, &stName); err != nil || tid != sv.TerritoryID {
		if err == nil || errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("structure %d of another territory: %w", sv.StructureID, ErrNotFound)
		}
		return err
	}
	sv.StructureName = stName // searched in: the caller may not have it
	if sv.UpdatedAt.IsZero() {
		sv.UpdatedAt = at.UTC()
	}
	if sv.ID == 0 {
		sv.CreatedAt = at.UTC()
		cols := strings.ReplaceAll(strings.ReplaceAll(serviceSet, " = ?", ""), "\n\t", " ")
		id, err := d.insertID(ctx, `INSERT INTO services (territory_id, structure_id, created_at, `+cols+`)
			VALUES (?, ?, ?, `+placeholderList(33)+`)`, append([]any{sv.TerritoryID, sv.StructureID, sv.CreatedAt}, serviceArgs(sv)...)...)
		if err != nil {
			return err
		}
		sv.ID = id
	} else {
		res, err := d.exec(ctx, `UPDATE services SET structure_id = ?, `+serviceSet+` WHERE id = ? AND territory_id = ?`,
			append(append([]any{sv.StructureID}, serviceArgs(sv)...), sv.ID, sv.TerritoryID)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrNotFound
		}
		if _, err := d.exec(ctx, `DELETE FROM service_thematiques WHERE service_id = ?`, sv.ID); err != nil {
			return err
		}
	}
	if sv.Status != directory.StatusPublished {
		return nil
	}
	for _, t := range sv.Thematiques {
		if _, err := d.exec(ctx, `INSERT INTO service_thematiques (territory_id, thematique, service_id, latitude, longitude, remote)
			VALUES (?, ?, ?, ?, ?, ?)`, sv.TerritoryID, t, sv.ID, sv.Lat, sv.Lon, sv.Remote()); err != nil {
			return err
		}
	}
	return nil
}

// placeholderList returns "?, ?, …" with n marks.
func placeholderList(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// SaveService creates or updates a service (with its search rows) and its
// date of update, in one transaction.
func (s *Store) SaveService(ctx context.Context, sv *directory.Service, by Actor) error {
	if err := s.tx(ctx, func(d db) error { return saveService(ctx, d, sv, by.at()) }); err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: save service: %w", ErrConflict)
		}
		return fmt.Errorf("store: save service: %w", err)
	}
	return nil
}

// SaveServices creates or updates many services in one transaction: all
// or none.
func (s *Store) SaveServices(ctx context.Context, svs []directory.Service, by Actor) error {
	err := s.tx(ctx, func(d db) error {
		for i := range svs {
			if err := saveService(ctx, d, &svs[i], by.at()); err != nil {
				return fmt.Errorf("service %d (%q): %w", i, svs[i].Name, err)
			}
		}
		return nil
	})
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: save services: %w", ErrConflict)
		}
		return fmt.Errorf("store: save services: %w", err)
	}
	return nil
}

// SearchServices finds the published services of a territory that match
// the query, by relevance then distance. Thématiques must be expanded by
// the caller (directory.ExpandThematiques). A search by thématiques with a
// limit and no text reads the index of thématiques and positions first
// (searchByIndex); otherwise the criteria narrow the services in SQL before
// directory.Rank scores and orders them.
func (s *Store) SearchServices(ctx context.Context, territoryID int64, q directory.Query) ([]directory.Hit, error) {
	if len(q.Thematiques) > 0 && q.Limit > 0 && len(directory.Terms(q.Text)) == 0 {
		return s.searchByIndex(ctx, territoryID, q)
	}
	var where []string
	args := []any{territoryID}
	if len(q.Thematiques) > 0 {
		sub, sargs := thematiqueFilter(territoryID, q, `service_id`)
		where = append(where, `sv.id IN (`+sub+`)`)
		args = append(args, sargs...)
	} else if q.HasFrom && q.RadiusKm > 0 {
		b := directory.BoxAround(q.FromLat, q.FromLon, q.RadiusKm)
		where = append(where, `(sv.reception_modes = 'a-distance' OR (sv.latitude BETWEEN ? AND ? AND sv.longitude BETWEEN ? AND ?))`)
		args = append(args, b.MinLat, b.MaxLat, b.MinLon, b.MaxLon)
	}
	for _, t := range directory.Terms(q.Text) {
		where = append(where, `sv.search_text LIKE ?`)
		args = append(args, "% "+t+"%")
	}
	cands, err := s.servicesWhere(ctx, q, where, args)
	if err != nil {
		return nil, err
	}
	return directory.Rank(nil, cands, q), nil
}

// thematiqueFilter is the query of service_thematiques for the query's
// thématiques and bounding box, selecting cols.
func thematiqueFilter(territoryID int64, q directory.Query, cols string) (string, []any) {
	sub := `SELECT ` + cols + ` FROM service_thematiques WHERE territory_id = ? AND thematique IN (` +
		placeholderList(len(q.Thematiques)) + `)`
	args := []any{territoryID}
	for _, t := range q.Thematiques {
		args = append(args, t)
	}
	if q.HasFrom && q.RadiusKm > 0 {
		b := directory.BoxAround(q.FromLat, q.FromLon, q.RadiusKm)
		sub += ` AND (remote OR (latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?))`
		args = append(args, b.MinLat, b.MaxLat, b.MinLon, b.MaxLon)
	}
	return sub, args
}

// servicesWhere reads the published services matching the conditions and
// the query's type and fees.
func (s *Store) servicesWhere(ctx context.Context, q directory.Query, where []string, args []any) ([]directory.Service, error) {
	if q.Type != "" {
		where = append(where, `sv.type = ?`)
		args = append(args, q.Type)
	}
	if q.Fees != "" {
		where = append(where, `sv.fees = ?`)
		args = append(args, q.Fees)
	}
	sqlText := `SELECT ` + serviceColumns + serviceFrom + ` WHERE sv.territory_id = ? AND sv.status = 'published'`
	for _, w := range where {
		sqlText += ` AND ` + w
	}
	cands, err := s.queryServices(ctx, s.reader(), sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search services: %w", err)
	}
	return cands, nil
}

// candidate is a service found in the index of thématiques: how many of the
// thématiques asked for it has, and its distance.
type candidate struct {
	id      int64
	matched int
	dist    float64 // -1 when unknown
}

// searchByIndex ranks the services from the index alone — the number of
// thématiques matched and the distance are what Rank orders by when there
// is no text — then reads the services in that order, a whole group of
// equal rank at a time, until the limit is reached after the filters that
// need the service (eligibility, type, fees, public). Reading whole groups
// keeps the order of Rank, name included, exactly.
func (s *Store) searchByIndex(ctx context.Context, territoryID int64, q directory.Query) ([]directory.Hit, error) {
	sub, args := thematiqueFilter(territoryID, q, `service_id, COUNT(*), MAX(latitude), MAX(longitude), MAX(CASE WHEN remote THEN 1 ELSE 0 END)`)
	found, err := collect(ctx, s.reader(), func(rows *sql.Rows) (candidate, error) {
		var c candidate
		var lat, lon float64
		var remote int
		err := rows.Scan(&c.id, &c.matched, &lat, &lon, &remote)
		c.dist = -1
		if q.HasFrom && (lat != 0 || lon != 0) {
			c.dist = directory.DistanceKm(q.FromLat, q.FromLon, lat, lon)
		}
		if q.HasFrom && q.RadiusKm > 0 && remote == 0 && (c.dist < 0 || c.dist > q.RadiusKm) {
			c.id = 0 // out of reach
		}
		return c, err
	}, sub+` GROUP BY service_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search services: %w", err)
	}
	cands := slices.DeleteFunc(found, func(c candidate) bool { return c.id == 0 })
	slices.SortFunc(cands, func(a, b candidate) int {
		if c := cmp.Compare(b.matched, a.matched); c != 0 {
			return c
		}
		return directory.CompareDistance(a.dist, b.dist)
	})
	var hits []directory.Hit
	full := q
	full.Limit = 0
	for start := 0; start < len(cands) && len(hits) < q.Limit; {
		end := min(start+max(2*q.Limit, 32), len(cands))
		for end < len(cands) && cands[end].matched == cands[end-1].matched && directory.CompareDistance(cands[end].dist, cands[end-1].dist) == 0 {
			end++ // a group of equal rank is read whole
		}
		ids := make([]any, 0, end-start)
		for _, c := range cands[start:end] {
			ids = append(ids, c.id)
		}
		svs, err := s.servicesWhere(ctx, q, []string{`sv.id IN (` + placeholderList(len(ids)) + `)`}, append([]any{territoryID}, ids...))
		if err != nil {
			return nil, err
		}
		hits = append(hits, directory.Rank(nil, svs, full)...)
		start = end
	}
	if len(hits) > q.Limit {
		hits = hits[:q.Limit]
	}
	return hits, nil
}

// ServiceDelays returns the average response delay of the services'
// answered referrals (accepted or refused), by service.
func (s *Store) ServiceDelays(ctx context.Context, territoryID int64) (map[int64]directory.Delay, error) {
	rows, err := s.reader().query(ctx, `SELECT service_id, sent_at, answered_at FROM referrals
		WHERE territory_id = ? AND answered_at IS NOT NULL`, territoryID)
	if err != nil {
		return nil, fmt.Errorf("store: service delays: %w", err)
	}
	defer rows.Close()
	sums := map[int64]time.Duration{}
	out := map[int64]directory.Delay{}
	for rows.Next() {
		var id int64
		var sent, answered time.Time
		if err := rows.Scan(&id, &sent, &answered); err != nil {
			return nil, fmt.Errorf("store: service delays: %w", err)
		}
		sums[id] += answered.Sub(sent)
		d := out[id]
		d.Answered++
		out[id] = d
	}
	for id, d := range out {
		d.Days = sums[id].Hours() / 24 / float64(d.Answered)
		out[id] = d
	}
	return out, rows.Err()
}
