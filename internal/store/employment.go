package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/territory"
)

// Partner employers and their offers. An employer is a structure of kind
// employer (its name, SIRET and commune live there, unique names per
// territory included) with a row of employers for the rest; its contacts
// are accounts with the employer_contact role in that structure.

// The kinds of timeline events of employment. They are not (yet) listed in
// person.EventKindOptions: the timeline shows the kind itself for them.
const (
	eventEmploymentProfile  = "employment_profile_updated"
	eventApplicationCreated = "application_created"
	eventApplicationUpdated = "application_updated"
)

const employerSelect = `SELECT st.id, e.territory_id, st.name, st.siret, e.naf, st.commune_insee, e.address, e.size, e.labels,
	e.partner_referent_id, COALESCE(a.first_name || ' ' || a.last_name, ''), e.contact_name, e.contact_email, e.contact_phone,
	e.created_at, e.updated_at
	FROM employers e JOIN structures st ON st.id = e.structure_id LEFT JOIN accounts a ON a.id = e.partner_referent_id`

func scanEmployer(sc interface{ Scan(...any) error }) (employment.Employer, error) {
	var e employment.Employer
	var labels string
	var referent sql.NullInt64
	err := sc.Scan(&e.StructureID, &e.TerritoryID, &e.Name, &e.SIRET, &e.NAF, &e.CommuneINSEE, &e.Address, &e.Size, &labels,
		&referent, &e.PartnerReferentName, &e.ContactName, &e.ContactEmail, &e.ContactPhone, &e.CreatedAt, &e.UpdatedAt)
	e.Labels, e.PartnerReferentID = splitList(labels), referent.Int64
	e.PartnerReferentName = strings.TrimSpace(e.PartnerReferentName)
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	return e, err
}

// SaveEmployer creates a partner employer (StructureID 0: its structure of
// kind employer and its employers row) or updates both, in one
// transaction. A name another structure of the territory holds is
// ErrConflict; a StructureID that is not an employer is ErrNotFound.
func (s *Store) SaveEmployer(ctx context.Context, e *employment.Employer, by Actor) error {
	now := by.at()
	siret := strings.ReplaceAll(e.SIRET, " ", "")
	labels := strings.Join(e.Labels, ",")
	err := s.tx(ctx, func(d db) error {
		if e.StructureID == 0 {
			id, err := d.insertID(ctx, `INSERT INTO structures (territory_id, kind, name, siret, commune_insee, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, e.TerritoryID, string(territory.KindEmployer), strings.TrimSpace(e.Name), siret,
				e.CommuneINSEE, now, now)
			if err != nil {
				return err
			}
			if _, err := d.exec(ctx, `INSERT INTO employers (structure_id, territory_id, naf, address, size, labels,
				partner_referent_id, contact_name, contact_email, contact_phone, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, e.TerritoryID, e.NAF, e.Address, e.Size, labels,
				nullID(e.PartnerReferentID), e.ContactName, e.ContactEmail, e.ContactPhone, now, now); err != nil {
				return err
			}
			e.StructureID, e.CreatedAt = id, now
		} else {
			// An employer structure of the consortium is completed with its
			// employer's features the first time it is saved.
			var created sql.NullTime
			if err := d.queryRow(ctx, `SELECT st.territory_id, e.created_at FROM structures st
				LEFT JOIN employers e ON e.structure_id = st.id WHERE st.id = ? AND st.kind = ?`, e.StructureID,
				string(territory.KindEmployer)).Scan(&e.TerritoryID, &created); err != nil {
				return notFound(err)
			}
			if !created.Valid {
				if _, err := d.exec(ctx, `INSERT INTO employers (structure_id, territory_id, created_at, updated_at)
					VALUES (?, ?, ?, ?)`, e.StructureID, e.TerritoryID, now, now); err != nil {
					return err
				}
				created = sql.NullTime{Time: now, Valid: true}
			}
			if _, err := d.exec(ctx, `UPDATE structures SET name = ?, siret = ?, commune_insee = ?, updated_at = ? WHERE id = ?`,
				strings.TrimSpace(e.Name), siret, e.CommuneINSEE, now, e.StructureID); err != nil {
				return err
			}
			if _, err := d.exec(ctx, `UPDATE employers SET naf = ?, address = ?, size = ?, labels = ?, partner_referent_id = ?,
				contact_name = ?, contact_email = ?, contact_phone = ?, updated_at = ? WHERE structure_id = ?`, e.NAF, e.Address,
				e.Size, labels, nullID(e.PartnerReferentID), e.ContactName, e.ContactEmail, e.ContactPhone, now, e.StructureID); err != nil {
				return err
			}
			e.CreatedAt = created.Time.UTC()
		}
		e.Name, e.SIRET, e.UpdatedAt = strings.TrimSpace(e.Name), siret, now
		return nil
	})
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: save employer %q: %w", e.Name, ErrConflict)
		}
		return fmt.Errorf("store: save employer: %w", err)
	}
	return nil
}

// Employer returns a partner employer by its structure's ID.
func (s *Store) Employer(ctx context.Context, structureID int64) (employment.Employer, error) {
	e, err := scanEmployer(s.reader().queryRow(ctx, employerSelect+` WHERE e.structure_id = ?`, structureID))
	if err != nil {
		return e, fmt.Errorf("store: employer %d: %w", structureID, notFound(err))
	}
	return e, nil
}

// Employers lists the partner employers of a territory by name, each with
// the name of its partnership's referent.
func (s *Store) Employers(ctx context.Context, territoryID int64) ([]employment.Employer, error) {
	out, err := collect(ctx, s.reader(), func(rows *sql.Rows) (employment.Employer, error) { return scanEmployer(rows) },
		employerSelect+` WHERE e.territory_id = ? ORDER BY st.name, st.id`, territoryID)
	if err != nil {
		return nil, fmt.Errorf("store: employers: %w", err)
	}
	return out, nil
}

const offerColumns = `o.id, o.territory_id, o.external_ref, o.employer_id, st.name, o.appellation, o.rome_code, o.title,
	o.description, o.commune_insee, o.latitude, o.longitude, o.contract, o.weekly_hours, o.night, o.weekend, o.start_on,
	o.positions, o.needs_licence, o.needs_vehicle, o.transit_reachable, o.disability_adapted, o.status, o.created_at,
	o.updated_at, o.published_at`

const offerSelect = `SELECT ` + offerColumns + ` FROM offers o JOIN structures st ON st.id = o.employer_id`

func scanOffer(sc interface{ Scan(...any) error }) (employment.Offer, error) {
	var o employment.Offer
	var contract, status string
	var start, published sql.NullTime
	err := sc.Scan(&o.ID, &o.TerritoryID, &o.ExternalRef, &o.EmployerID, &o.EmployerName, &o.Appellation, &o.ROMECode, &o.Title,
		&o.Description, &o.CommuneINSEE, &o.Lat, &o.Lon, &contract, &o.WeeklyHours, &o.Night, &o.Weekend, &start,
		&o.Positions, &o.NeedsLicence, &o.NeedsVehicle, &o.TransitReachable, &o.DisabilityAdapted, &status, &o.CreatedAt,
		&o.UpdatedAt, &published)
	o.Contract, o.Status = employment.ContractType(contract), employment.OfferStatus(status)
	o.StartOn, o.PublishedAt = timeOf(start), timeOf(published)
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return o, err
}

// after returns now, or just after prev when the clock has not passed it:
// a row's updated_at moves at every change, which the matching index's
// incremental loads rely on.
func after(now, prev time.Time) time.Time {
	if now.After(prev) {
		return now
	}
	return prev.Add(time.Microsecond)
}

// saveOffer creates or updates an offer of an employer in the
// transaction and reports whether it created it. The offer takes its
// territory and employer name from the employer; an offer of another
// employer or territory is ErrNotFound.
func saveOffer(ctx context.Context, d db, o *employment.Offer, now time.Time) (bool, error) {
	var tid int64
	var name string
	if err := d.queryRow(ctx, `SELECT e.territory_id, st.name FROM employers e JOIN structures st ON st.id = e.structure_id
		WHERE e.structure_id = ?`, o.EmployerID).Scan(&tid, &name); err != nil {
		return false, notFound(err)
	}
	if o.TerritoryID != 0 && o.TerritoryID != tid {
		return false, ErrNotFound
	}
	o.TerritoryID, o.EmployerName = tid, name
	if o.Status == "" {
		o.Status = employment.OfferDraft
	}
	o.Title = strings.TrimSpace(o.Title)
	open := o.Status == employment.OfferOpen
	if o.ID == 0 {
		o.CreatedAt, o.UpdatedAt, o.PublishedAt = now, now, time.Time{}
		if open {
			o.PublishedAt = now
		}
		id, err := d.insertID(ctx, `INSERT INTO offers (territory_id, employer_id, external_ref, appellation, rome_code, title,
			search_title, description, commune_insee, latitude, longitude, contract, weekly_hours, night, weekend, start_on,
			positions, needs_licence, needs_vehicle, transit_reachable, disability_adapted, status, created_at, updated_at,
			published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			o.TerritoryID, o.EmployerID, o.ExternalRef, o.Appellation, o.ROMECode, o.Title, referential.Fold(o.Title),
			o.Description, o.CommuneINSEE, o.Lat, o.Lon, string(o.Contract), o.WeeklyHours, o.Night, o.Weekend, nullTime(o.StartOn),
			o.Positions, o.NeedsLicence, o.NeedsVehicle, o.TransitReachable, o.DisabilityAdapted, string(o.Status), now, now,
			nullTime(o.PublishedAt))
		if err != nil {
			return false, err
		}
		o.ID = id
		return true, nil
	}
	var employer int64
	var created, updated time.Time
	var published sql.NullTime
	if err := d.queryRow(ctx, `SELECT employer_id, created_at, updated_at, published_at FROM offers WHERE id = ?`, o.ID).
		Scan(&employer, &created, &updated, &published); err != nil {
		return false, notFound(err)
	}
	if employer != o.EmployerID {
		return false, ErrNotFound
	}
	o.CreatedAt, o.UpdatedAt, o.PublishedAt = created.UTC(), after(now, updated.UTC()), timeOf(published)
	if o.PublishedAt.IsZero() && open {
		o.PublishedAt = o.UpdatedAt
	}
	_, err := d.exec(ctx, `UPDATE offers SET external_ref = ?, appellation = ?, rome_code = ?, title = ?, search_title = ?,
		description = ?, commune_insee = ?, latitude = ?, longitude = ?, contract = ?, weekly_hours = ?, night = ?, weekend = ?,
		start_on = ?, positions = ?, needs_licence = ?, needs_vehicle = ?, transit_reachable = ?, disability_adapted = ?,
		status = ?, updated_at = ?, published_at = ? WHERE id = ?`, o.ExternalRef, o.Appellation, o.ROMECode, o.Title,
		referential.Fold(o.Title), o.Description, o.CommuneINSEE, o.Lat, o.Lon, string(o.Contract), o.WeeklyHours, o.Night,
		o.Weekend, nullTime(o.StartOn), o.Positions, o.NeedsLicence, o.NeedsVehicle, o.TransitReachable, o.DisabilityAdapted,
		string(o.Status), o.UpdatedAt, nullTime(o.PublishedAt), o.ID)
	return false, err
}

// SaveOffer creates (ID 0) or updates an offer of an employer, whose
// territory it takes. PublishedAt is set the first time the offer is
// open and kept after; UpdatedAt moves at every save (the matching index
// reloads the offers by it). The caller validates the offer
// (employment.ValidateOffer) and sets ROMECode, Lat and Lon from the
// referential. An offer of another employer, or an employer of another
// territory, is ErrNotFound; an external reference the employer already
// uses is ErrConflict.
func (s *Store) SaveOffer(ctx context.Context, o *employment.Offer, by Actor) error {
	err := s.tx(ctx, func(d db) error {
		_, err := saveOffer(ctx, d, o, by.at())
		return err
	})
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: save offer: %w", ErrConflict)
		}
		return fmt.Errorf("store: save offer: %w", err)
	}
	return nil
}

// Offer returns an offer by ID, with its employer's name.
func (s *Store) Offer(ctx context.Context, id int64) (employment.Offer, error) {
	o, err := scanOffer(s.reader().queryRow(ctx, offerSelect+` WHERE o.id = ?`, id))
	if err != nil {
		return o, fmt.Errorf("store: offer %d: %w", id, notFound(err))
	}
	return o, nil
}

// OfferFilter selects offers. Zero fields select everything; Query keeps
// the offers whose title holds every word of it (case and accents
// ignored). Limit is 50 when not positive.
type OfferFilter struct {
	TerritoryID int64
	EmployerID  int64
	Statuses    []employment.OfferStatus
	Appellation string
	Query       string
	Limit       int
	Offset      int
}

// Offers lists the offers the filter selects, most recently changed
// first, with the number of offers it selects in all.
func (s *Store) Offers(ctx context.Context, f OfferFilter) ([]employment.Offer, int, error) {
	where := ` WHERE 1 = 1`
	var args []any
	if f.TerritoryID != 0 {
		where += ` AND o.territory_id = ?`
		args = append(args, f.TerritoryID)
	}
	if f.EmployerID != 0 {
		where += ` AND o.employer_id = ?`
		args = append(args, f.EmployerID)
	}
	if len(f.Statuses) > 0 {
		where += ` AND o.status IN (` + placeholderList(len(f.Statuses)) + `)`
		for _, st := range f.Statuses {
			args = append(args, string(st))
		}
	}
	if f.Appellation != "" {
		where += ` AND o.appellation = ?`
		args = append(args, f.Appellation)
	}
	for _, w := range strings.Fields(referential.Fold(f.Query)) {
		where += ` AND o.search_title LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscaper.Replace(w)+"%")
	}
	var total int
	if err := s.reader().queryRow(ctx, `SELECT COUNT(*) FROM offers o`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: offers: %w", err)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	out, err := collect(ctx, s.reader(), func(rows *sql.Rows) (employment.Offer, error) { return scanOffer(rows) },
		offerSelect+where+` ORDER BY o.updated_at DESC, o.id DESC LIMIT ? OFFSET ?`, append(args, f.Limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: offers: %w", err)
	}
	return out, total, nil
}

// likeEscaper escapes the wildcards of LIKE (with ESCAPE '\').
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// ImportOffers writes the offers of a territory's employers, all or
// nothing: an offer with an ID updates it; one with an ExternalRef updates
// the employer's offer of that reference, or creates it; the others are
// created. It sets the offers' IDs and returns how many it created and
// updated. An employer of another territory is ErrNotFound.
func (s *Store) ImportOffers(ctx context.Context, territoryID int64, offers []employment.Offer, by Actor) (created, updated int, err error) {
	now := by.at()
	err = s.tx(ctx, func(d db) error {
		created, updated = 0, 0
		for i := range offers {
			o := &offers[i]
			o.TerritoryID = territoryID
			if o.ID == 0 && o.ExternalRef != "" {
				// external_ref <> '' lets both engines read the partial
				// unique index offers_external.
				err := d.queryRow(ctx, `SELECT id FROM offers WHERE employer_id = ? AND external_ref = ?
					AND external_ref <> ''`, o.EmployerID, o.ExternalRef).Scan(&o.ID)
				if err != nil && !errors.Is(err, sql.ErrNoRows) {
					return err
				}
			}
			isNew, err := saveOffer(ctx, d, o, now)
			if err != nil {
				return fmt.Errorf("offer %d (%q): %w", i+1, o.ExternalRef, err)
			}
			if isNew {
				created++
			} else {
				updated++
			}
		}
		return nil
	})
	if err != nil {
		created, updated = 0, 0
		if isUniqueViolation(err) {
			return 0, 0, fmt.Errorf("store: import offers: %w", ErrConflict)
		}
		return 0, 0, fmt.Errorf("store: import offers: %w", err)
	}
	return created, updated, nil
}

// SaveEmploymentProfile records whether the référent agrees to propose the
// person to the offers of partner employers, and the contracts the person
// wants, with a timeline line and an audit entry (section project).
func (s *Store) SaveEmploymentProfile(ctx context.Context, personID int64, proposable bool, contracts []string, by Actor) error {
	now := by.at()
	err := s.tx(ctx, func(d db) error {
		var one int
		if err := d.queryRow(ctx, `SELECT 1 FROM persons WHERE id = ?`, personID).Scan(&one); err != nil {
			return notFound(err)
		}
		var was bool
		var prev time.Time
		err := d.queryRow(ctx, `SELECT proposable, updated_at FROM employment_profiles WHERE person_id = ?`, personID).Scan(&was, &prev)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := d.exec(ctx, `INSERT INTO employment_profiles (person_id, proposable, contracts, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET proposable = excluded.proposable,
			contracts = excluded.contracts, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			personID, proposable, strings.Join(contracts, ","), nullID(by.AccountID), after(now, prev.UTC())); err != nil {
			return err
		}
		summary := "Contrats recherchés mis à jour"
		switch {
		case proposable && !was:
			summary = "Peut être proposé aux offres des employeurs partenaires"
		case !proposable && was:
			summary = "Ne peut plus être proposé aux offres des employeurs partenaires"
		}
		if err := by.event(ctx, d, personID, eventEmploymentProfile, summary, "", "", 0); err != nil {
			return err
		}
		return s.AuditInTx(ctx, d, by.entry(personID, person.SectionProject, "update"))
	})
	if err != nil {
		return fmt.Errorf("store: save employment profile: %w", err)
	}
	return nil
}
