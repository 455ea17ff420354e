package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/audit"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

// errUnknownPerson is the one answer for a person who does not exist and
// for one the viewer may not see: nobody learns that a file exists by
// being refused it.
var errUnknownPerson = notFound("Cette personne n'existe pas, ou son dossier ne vous est pas accessible.")

// record is a person's record as one request sees it. It holds what
// access decisions need: the person, the active team, the settings; the
// consents are read only when a decision may depend on them, and the
// team's names and history only where a page shows them.
type record struct {
	ctx      context.Context
	s        *Server
	v        *viewer
	av       access.Viewer
	p        person.Person
	team     []person.TeamMember // active members, for decisions
	rec      access.Record
	set      access.Settings
	consents []person.Consent
	loaded   bool // consents read
}

// newRecord reads what every decision on the person needs. A missing
// person is store.ErrNotFound.
func (s *Server) newRecord(ctx context.Context, v *viewer, id int64) (*record, error) {
	rc := &record{ctx: ctx, s: s, v: v, av: accessViewer(v)}
	var err error
	if rc.p, rc.team, err = s.store.PersonAccess(ctx, id); err != nil {
		return nil, err
	}
	if rc.set, err = s.settings(ctx, rc.p.TerritoryID); err != nil {
		return nil, err
	}
	rc.rec = access.Record{PersonID: id, TerritoryID: rc.p.TerritoryID, Team: rc.team, Objection: !rc.p.ObjectionAt.IsZero()}
	return rc, nil
}

// allConsents returns the person's consents, reading them once.
func (rc *record) allConsents() ([]person.Consent, error) {
	if !rc.loaded {
		cs, err := rc.s.store.Consents(rc.ctx, rc.p.ID)
		if err != nil {
			return nil, err
		}
		rc.consents, rc.rec.Consents, rc.loaded = cs, cs, true
	}
	return rc.consents, nil
}

// members returns the whole team with names, current members first, then
// the history.
func (rc *record) members() ([]person.TeamMember, error) {
	return rc.s.store.Team(rc.ctx, rc.p.ID)
}

// decide runs a policy decision; when it is refused for want of
// entitlement, the person's consents may open it, so they are read and the
// decision taken again. A failure to read them refuses (fail closed).
func (rc *record) decide(f func(access.Record) access.Decision) access.Decision {
	d := f(rc.rec)
	if d.Allowed || d.Reason != access.ReasonNotEntitled || rc.loaded {
		return d
	}
	if _, err := rc.allConsents(); err != nil {
		rc.s.log.ErrorContext(rc.ctx, "lecture des consentements impossible", "error", err.Error())
		return d
	}
	return f(rc.rec)
}

func accessViewer(v *viewer) access.Viewer {
	return access.Viewer{AccountID: v.Account.ID, Memberships: v.Account.Memberships}
}

// settings returns the territory's sensitive-section configuration, or the
// default one.
func (s *Server) settings(ctx context.Context, territoryID int64) (access.Settings, error) {
	kinds, err := s.store.SensitiveKinds(ctx, territoryID)
	if err != nil {
		return access.Settings{}, err
	}
	if len(kinds) == 0 {
		return access.DefaultSettings(), nil
	}
	set := access.Settings{SensitiveKinds: map[person.Section][]territory.Kind{}}
	for sec, ks := range kinds {
		for _, k := range ks {
			set.SensitiveKinds[sec] = append(set.SensitiveKinds[sec], territory.Kind(k))
		}
	}
	return set, nil
}

// actingStructure is the structure a viewer acts from for a person: its
// active team membership, else its first professional membership in the
// territory.
func actingStructure(v *viewer, team []person.TeamMember, territoryID int64) int64 {
	for _, m := range team {
		if m.Active() && m.AccountID == v.Account.ID {
			return m.StructureID
		}
	}
	for _, m := range v.Account.Memberships {
		if m.TerritoryID == territoryID && (m.Role == account.RoleProfessional || m.Role == account.RoleCoordinator) {
			return m.StructureID
		}
	}
	return 0
}

// actor is who changes the record, for the store.
func (s *Server) actor(rc *record) store.Actor {
	return store.Actor{AccountID: rc.v.Account.ID, StructureID: actingStructure(rc.v, rc.team, rc.p.TerritoryID), At: s.now()}
}

// auditEntry is an audit entry of this request.
func (s *Server) auditEntry(v *viewer, structureID, personID int64, section, action string, d access.Decision) audit.Entry {
	outcome := "allowed"
	if !d.Allowed {
		outcome = "denied"
	}
	return audit.Entry{At: s.now(), AccountID: v.Account.ID, StructureID: structureID, PersonID: personID,
		Section: section, Action: action, Outcome: outcome, Reason: d.Reason}
}

// loadRecord reads the person, their team and consents, and decides with
// the access policy whether the viewer may do the action on the section.
// A refusal is audited and answered as errUnknownPerson. An allowed read is
// audited here, durably, before the handler answers: one entry per read.
// An allowed write is audited by the store, in the transaction of the
// change.
func (s *Server) loadRecord(r *http.Request, section person.Section, action string) (*record, error) {
	ctx := r.Context()
	v := viewerOf(ctx)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, errUnknownPerson
	}
	rc, err := s.newRecord(ctx, v, id)
	if errors.Is(err, store.ErrNotFound) {
		d := access.Decision{Reason: "unknown person"}
		if err := s.store.Audit(ctx, s.auditEntry(v, actingStructure(v, nil, 0), id, string(section), action, d)); err != nil {
			return nil, err
		}
		return nil, errUnknownPerson
	}
	if err != nil {
		return nil, err
	}
	var d access.Decision
	switch {
	case action == "read" && section == person.SectionAccessLog:
		d = access.AccessLog(rc.av, rc.rec)
	case action == "read":
		d = rc.decide(func(rec access.Record) access.Decision { return access.Read(rc.av, rec, section, rc.set) })
	default:
		d = rc.decide(func(rec access.Record) access.Decision { return access.Write(rc.av, rec, section, rc.set) })
	}
	structureID := actingStructure(v, rc.team, rc.p.TerritoryID)
	if !d.Allowed {
		if err := s.store.Audit(ctx, s.auditEntry(v, structureID, id, string(section), action, d)); err != nil {
			return nil, err
		}
		return nil, errUnknownPerson
	}
	if action == "read" {
		if err := s.store.Audit(ctx, s.auditEntry(v, structureID, id, string(section), action, d)); err != nil {
			return nil, err
		}
	}
	return rc, nil
}

// can tells whether the viewer may read a section of this record.
func (rc *record) can(section person.Section) bool {
	return rc.decide(func(rec access.Record) access.Decision { return access.Read(rc.av, rec, section, rc.set) }).Allowed
}

// canWrite tells whether the viewer may change a section of this record.
func (rc *record) canWrite(section person.Section) bool {
	return rc.decide(func(rec access.Record) access.Decision { return access.Write(rc.av, rec, section, rc.set) }).Allowed
}

// referent tells whether the viewer is the référent.
func (rc *record) referent() bool { return access.ManageTeam(rc.av, rc.rec).Allowed }

// deny audits a refusal on an already loaded record and answers like an
// unknown person.
func (s *Server) deny(r *http.Request, rc *record, section person.Section, action string, d access.Decision) error {
	e := s.auditEntry(rc.v, actingStructure(rc.v, rc.team, rc.p.TerritoryID), rc.p.ID, string(section), action, d)
	if err := s.store.Audit(r.Context(), e); err != nil {
		return err
	}
	return errUnknownPerson
}

// visibleNotes filters notes through the policy.
func (rc *record) visibleNotes(ns []person.Note) []person.Note {
	var out []person.Note
	for _, n := range ns {
		if rc.decide(func(rec access.Record) access.Decision { return access.Note(rc.av, rec, n, rc.set) }).Allowed {
			out = append(out, n)
		}
	}
	return out
}

// visibleEvents drops the timeline events of sections the viewer may not
// read, and notes of a structure they are not in.
func (rc *record) visibleEvents(es []person.Event) []person.Event {
	var out []person.Event
	for _, e := range es {
		if e.Section != "" && !rc.can(e.Section) {
			continue
		}
		n := person.Note{PersonID: e.PersonID, StructureID: e.StructureID, Visibility: e.Visibility, Section: e.Section}
		if e.Kind == "note_added" && !rc.decide(func(rec access.Record) access.Decision { return access.Note(rc.av, rec, n, rc.set) }).Allowed {
			continue
		}
		out = append(out, e)
	}
	return out
}

// visibleDiagnostic drops the entries of sensitive sections the viewer may
// not read.
func (rc *record) visibleDiagnostic(es []person.DiagnosticEntry) []person.DiagnosticEntry {
	var out []person.DiagnosticEntry
	for _, e := range es {
		if e.Section == "" || rc.can(e.Section) {
			out = append(out, e)
		}
	}
	return out
}
