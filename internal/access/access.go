// Package access is the access policy of Parcours: who may read or change
// which part of a person's record. It holds pure functions only, with no I/O,
// so that every handler, export and notification asks the same questions and
// gets the same answers.
//
// The policy is need-to-know (besoin d'en connaître, R.263-5 CASF): a
// professional sees a record only while an active member of the person's team,
// and only the sections their structure needs. Secret-covered content is
// shared only between the professionals actually involved with the person and
// only as far as strictly necessary (secret professionnel partagé, L.121-6-2
// CASF), so managers and administrators manage accounts and never read files.
// Access granted by role or structure alone is what the CNIL sanctioned as
// over-broad in SAN-2026-003.
//
// Every function denies unless one rule below allows, and every Decision
// carries a short English reason for the audit trail.
package access

import (
	"slices"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/territory"
)

// Viewer is the signed-in account asking, with its memberships. Only the
// memberships decide: a viewer has no rights of its own.
type Viewer struct {
	AccountID   int64
	Memberships []account.Membership
}

// Record is what the policy needs to know about a person's record. Team holds
// active and ended memberships and Consents active and withdrawn ones: the
// policy itself tells them apart, so a caller cannot forget to filter.
type Record struct {
	PersonID    int64
	TerritoryID int64
	Team        []person.TeamMember
	Objection   bool // the person objected to sharing
	Consents    []person.Consent
}

// Settings is territory configuration: which structure kinds may read each
// sensitive section. A section absent from the map is open to no kind: only
// the référent and consents then open it.
type Settings struct {
	SensitiveKinds map[person.Section][]territory.Kind
}

// DefaultSettings opens every sensitive section (health, justice, finances) to
// the social structures of the consortium: the Département, the CCAS and the
// associations, whose mission of action sociale needs them. Employment
// advisers (France Travail, Mission locale, Cap emploi…) do not see them by
// default. Each call returns a fresh map, so a territory changing its copy
// changes no other.
func DefaultSettings() Settings {
	kinds := map[person.Section][]territory.Kind{}
	for _, s := range person.SensitiveSections {
		kinds[s] = []territory.Kind{territory.KindDepartement, territory.KindCCAS, territory.KindAssociation}
	}
	return Settings{SensitiveKinds: kinds}
}

// Decision is the answer of the policy. Reason is short English text for the
// audit trail, for both outcomes: why access was given, or why it was refused.
type Decision struct {
	Allowed bool
	Reason  string
}

// The reasons of the policy, one per rule, so the audit trail can be counted.
const (
	ReasonReferent        = "référent"
	ReasonTeamMember      = "team member"
	ReasonStructureKind   = "structure kind"
	ReasonConsent         = "consent"
	ReasonIntake          = "professional or coordinator of the territory"
	ReasonProfessional    = "professional of the territory"
	ReasonNoAccount       = "no account"
	ReasonNotProfessional = "not a professional of the territory"
	ReasonNotInTeam       = "not in team"
	ReasonLeftStructure   = "not a professional of the team structure"
	ReasonObjection       = "objection"
	ReasonNotReferent     = "not the référent"
	ReasonNotEntitled     = "section not entitled"
	ReasonReadOnly        = "read-only section"
	ReasonUnknownSection  = "unknown section"
	ReasonNoIntake        = "not a professional or coordinator of the territory"
	ReasonNoRegister      = "not a professional of the territory"
	ReasonCoordinator     = "coordinator of the territory"
	ReasonNotCoordinator  = "not a coordinator of the territory"
	ReasonManager         = "manager of the structure"
	ReasonNotManager      = "not a manager of the structure"
	ReasonAlreadyInTeam   = "already in team"
	ReasonOtherPerson     = "note of another person"
	ReasonOtherStructure  = "note of another structure"
	ReasonVisibility      = "unknown visibility"
	ReasonTerritoryMember = "member of the territory"
	ReasonNotInTerritory  = "not a member of the territory"
	ReasonStructureMember = "member of the structure"
	ReasonNotInStructure  = "not a member of the structure"
	ReasonAdmin           = "administrator of the territory"
	ReasonNotAdmin        = "not an administrator of the territory"
	ReasonReceiver        = "receiving structure"
	ReasonEmployer        = "employer contact"
	ReasonNotEmployer     = "not a contact of the employer"
	ReasonPartnerReferent = "partnership referent"
)

func allow(reason string) Decision { return Decision{Allowed: true, Reason: reason} }
func deny(reason string) Decision  { return Decision{Reason: reason} }

// sections lists every section in the order of the person.Section constants.
// A section missing here is unknown, hence denied.
var sections = []person.Section{
	person.SectionIdentity,
	person.SectionDiagnostic,
	person.SectionProject,
	person.SectionPlan,
	person.SectionAppointments,
	person.SectionTeam,
	person.SectionTimeline,
	person.SectionNotes,
	person.SectionConsents,
	person.SectionAccessLog,
	person.SectionHealth,
	person.SectionJustice,
	person.SectionFinances,
}

// professionalAt reports whether the viewer works as a professional in the
// structure, within the territory. Only the professional role reads records:
// coordinators orient, managers and administrators manage accounts and
// employer contacts see candidates, and none of them reads a file
// (L.121-6-2 CASF). A zero territory or structure is unset and matches none.
func professionalAt(v Viewer, territoryID, structureID int64) bool {
	if territoryID == 0 || structureID == 0 {
		return false
	}
	for _, m := range v.Memberships {
		if m.Role == account.RoleProfessional && m.TerritoryID == territoryID && m.StructureID == structureID {
			return true
		}
	}
	return false
}

// hasRoleIn reports whether the viewer holds one of the roles in a structure
// of the territory. A membership in another territory gives nothing there.
func hasRoleIn(v Viewer, territoryID int64, roles ...account.Role) bool {
	if territoryID == 0 {
		return false
	}
	for _, m := range v.Memberships {
		if m.TerritoryID == territoryID && slices.Contains(roles, m.Role) {
			return true
		}
	}
	return false
}

// inTeam reports whether the viewer's account has an active membership of the
// record's team, whatever the structure.
func inTeam(v Viewer, rec Record) bool {
	for _, m := range rec.Team {
		if m.AccountID == v.AccountID && m.PersonID == rec.PersonID && m.Active() {
			return true
		}
	}
	return false
}

// member finds the viewer's team memberships that open the record: active
// (leaving the team ends access at once), for this person, and in a structure
// where the viewer still works as a professional of the record's territory
// (leaving the structure ends access too). This is the need-to-know rule of
// R.263-5 CASF: being in the same structure, or in the territory, opens
// nothing. It returns the reason when there is none.
func member(v Viewer, rec Record) ([]person.TeamMember, string) {
	if v.AccountID == 0 {
		return nil, ReasonNoAccount
	}
	if !hasRoleIn(v, rec.TerritoryID, account.RoleProfessional) {
		return nil, ReasonNotProfessional
	}
	var found []person.TeamMember
	listed := false
	for _, m := range rec.Team {
		if m.AccountID != v.AccountID || m.PersonID != rec.PersonID || !m.Active() {
			continue
		}
		listed = true
		if professionalAt(v, rec.TerritoryID, m.StructureID) {
			found = append(found, m)
		}
	}
	switch {
	case len(found) > 0:
		return found, ""
	case listed:
		return nil, ReasonLeftStructure
	default:
		return nil, ReasonNotInTeam
	}
}

// referent reports whether one of the memberships is the référent's.
func referent(ms []person.TeamMember) bool {
	return slices.ContainsFunc(ms, func(m person.TeamMember) bool { return m.Referent })
}

// reader finds the memberships through which the viewer may act on the record
// at all, once the person's objection is applied: after an objection only the
// référent keeps the record, since the person still needs one professional to
// follow them (L.263-4-1 CASF right to object), and every other member loses
// every section on the next request.
func reader(v Viewer, rec Record) ([]person.TeamMember, string) {
	ms, why := member(v, rec)
	if why != "" {
		return nil, why
	}
	if rec.Objection && !referent(ms) {
		return nil, ReasonObjection
	}
	return ms, ""
}

// referentOnly allows the active référent alone: for the access log, which
// reveals who follows the person, and for managing the team, which decides who
// else reads the record.
func referentOnly(v Viewer, rec Record) Decision {
	ms, why := reader(v, rec)
	if why != "" {
		return deny(why)
	}
	if !referent(ms) {
		return deny(ReasonNotReferent)
	}
	return allow(ReasonReferent)
}

// entitled decides a sensitive section (health including RQTH, justice,
// finances) for members already allowed the record. Being in the team is not
// enough: secret-covered content goes only to those whose mission needs it
// (L.121-6-2 CASF, R.263-3 II CASF). The référent is entitled; so is a member
// whose team structure is of a kind the territory opens the section to; so is a
// member whose team structure the person consented to share the section with,
// while that consent is in force.
func entitled(ms []person.TeamMember, rec Record, s person.Section, set Settings) Decision {
	if referent(ms) {
		return allow(ReasonReferent)
	}
	for _, m := range ms {
		if slices.Contains(set.SensitiveKinds[s], territory.Kind(m.StructureKind)) {
			return allow(ReasonStructureKind)
		}
	}
	for _, c := range rec.Consents {
		if !c.Active() || c.PersonID != rec.PersonID || !slices.Contains(c.Sections, s) {
			continue
		}
		for _, m := range ms {
			if slices.Contains(c.StructureIDs, m.StructureID) {
				return allow(ReasonConsent)
			}
		}
	}
	return deny(ReasonNotEntitled)
}

// Read decides whether the viewer may read a section of the record. Only an
// active team member working as a professional of the record's territory reads
// anything (R.263-5 CASF need-to-know); the person's objection leaves only the
// référent; sensitive sections need an entitlement (see Settings and
// person.Consent); the access log is the référent's alone.
func Read(v Viewer, rec Record, s person.Section, set Settings) Decision {
	if !slices.Contains(sections, s) {
		return deny(ReasonUnknownSection)
	}
	ms, why := reader(v, rec)
	if why != "" {
		return deny(why)
	}
	switch {
	case s == person.SectionAccessLog:
		return referentOnly(v, rec)
	case s.Sensitive():
		return entitled(ms, rec, s, set)
	default:
		return allow(ReasonTeamMember)
	}
}

// Write decides whether the viewer may change a section of the record. It
// equals Read, except that the access log is never written (it is evidence),
// and the team is changed only by whoever may ManageTeam. Consents are written
// by any member who reads them, since the person tells whoever they meet.
func Write(v Viewer, rec Record, s person.Section, set Settings) Decision {
	if !slices.Contains(sections, s) {
		return deny(ReasonUnknownSection)
	}
	if _, why := reader(v, rec); why != "" {
		return deny(why)
	}
	switch s {
	case person.SectionAccessLog:
		return deny(ReasonReadOnly)
	case person.SectionTeam:
		return ManageTeam(v, rec)
	default:
		return Read(v, rec, s, set)
	}
}

// Sections lists every section the viewer may read, in the order of the
// person.Section constants, so a page or an export shows exactly these and
// hides the rest.
func Sections(v Viewer, rec Record, set Settings) []person.Section {
	var out []person.Section
	for _, s := range sections {
		if Read(v, rec, s, set).Allowed {
			out = append(out, s)
		}
	}
	return out
}

// intake allows professionals and coordinators of the territory: whoever the
// person meets first is the right door, so they may learn whether the person
// is known and register them, without seeing the file. Employer contacts and
// administrators are no door.
func intake(v Viewer, territoryID int64) Decision {
	if v.AccountID == 0 {
		return deny(ReasonNoAccount)
	}
	if !hasRoleIn(v, territoryID, account.RoleProfessional, account.RoleCoordinator) {
		return deny(ReasonNoIntake)
	}
	return allow(ReasonIntake)
}

// Lookup decides whether the viewer may ask "is this person known?" in the
// territory. The answer it gates holds only that the person exists and which
// structures follow them, never the file.
func Lookup(v Viewer, territoryID int64) Decision { return intake(v, territoryID) }

// Register decides whether the viewer may register a new person in the
// territory: a professional, who becomes the person's référent until an
// orientation names another. A coordinator asks "is this person known?" but
// registers nobody: they orient, they do not accompany.
func Register(v Viewer, territoryID int64) Decision {
	if d := intake(v, territoryID); !d.Allowed {
		return d
	}
	if !hasRoleIn(v, territoryID, account.RoleProfessional) {
		return deny(ReasonNoRegister)
	}
	return allow(ReasonIntake)
}

// ManageTeam decides whether the viewer may add or remove team members, answer
// join requests or change the référent: the active référent alone, since the
// team decides who reads the record.
func ManageTeam(v Viewer, rec Record) Decision { return referentOnly(v, rec) }

// RequestJoin decides whether the viewer may ask to join the person's team: a
// professional of the record's territory who is not already an active member.
// The référent decides; asking opens nothing.
func RequestJoin(v Viewer, rec Record) Decision {
	if v.AccountID == 0 {
		return deny(ReasonNoAccount)
	}
	if !hasRoleIn(v, rec.TerritoryID, account.RoleProfessional) {
		return deny(ReasonNotProfessional)
	}
	if inTeam(v, rec) {
		return deny(ReasonAlreadyInTeam)
	}
	return allow(ReasonProfessional)
}

// Note decides whether the viewer may read a note. The viewer must read the
// notes section and, for a note filed under another section (a sensitive one),
// that section too, so a health note stays as hidden as health itself. A note
// of visibility structure is read only by members whose team membership is in
// the author's structure; team and person notes by every member who reads
// notes.
func Note(v Viewer, rec Record, n person.Note, set Settings) Decision {
	if n.PersonID != rec.PersonID {
		return deny(ReasonOtherPerson)
	}
	d := Read(v, rec, person.SectionNotes, set)
	if !d.Allowed {
		return d
	}
	if n.Section != "" {
		if d := Read(v, rec, n.Section, set); !d.Allowed {
			return d
		}
	}
	switch n.Visibility {
	case person.VisibilityTeam, person.VisibilityPerson:
		return allow(ReasonTeamMember)
	case person.VisibilityStructure:
		ms, _ := reader(v, rec)
		for _, m := range ms {
			if m.StructureID == n.StructureID {
				return allow(ReasonTeamMember)
			}
		}
		return deny(ReasonOtherStructure)
	default:
		return deny(ReasonVisibility)
	}
}

// AccessLog decides whether the viewer may see who consulted the record: the
// référent alone, who answers the person's questions about it. The log tells
// who follows the person, so it is no wider than the team's management.
func AccessLog(v Viewer, rec Record) Decision { return referentOnly(v, rec) }

// Object decides whether the viewer may record the person's objection to
// sharing: any member who may act on the record, since the person tells
// whoever they meet. Once recorded, only the référent keeps the record.
func Object(v Viewer, rec Record) Decision {
	if _, why := reader(v, rec); why != "" {
		return deny(why)
	}
	return allow(ReasonTeamMember)
}

// Caseload reports whether the viewer has a caseload ("my people"): only
// professionals follow people. The caseload itself is the people whose team
// the viewer is in, and no search or export reaches beyond it.
func Caseload(v Viewer) bool {
	return slices.ContainsFunc(v.Memberships, func(m account.Membership) bool {
		return m.Role == account.RoleProfessional
	})
}

// Coordinate decides whether the viewer may work the territory's
// orientation queue and decide orientations and reorientations: a
// coordinator (chargé d'orientation) of that territory. The queue shows the
// identity needed to orient, never the record (R.263-5 CASF: need-to-know).
func Coordinate(v Viewer, territoryID int64) Decision {
	if v.AccountID == 0 {
		return deny(ReasonNoAccount)
	}
	if !hasRoleIn(v, territoryID, account.RoleCoordinator) {
		return deny(ReasonNotCoordinator)
	}
	return allow(ReasonCoordinator)
}

// Import decides whether the viewer may import a list of beneficiaries into
// the territory: the same doors as Lookup (professionals and coordinators);
// the people it creates enter the orientation queue, no one's caseload.
func Import(v Viewer, territoryID int64) Decision { return intake(v, territoryID) }

// ManageStructure decides whether the viewer may act for a structure as its
// manager (gestionnaire de structure): see the people oriented to it who
// wait for a référent, and name référents among its professionals. Only the
// structure_manager role in that very structure allows it; managing another
// structure, or working in this one as a professional, does not. The list
// shows identities, never records: the manager names who accompanies, and
// reads no file (L.121-6-2 CASF).
func ManageStructure(v Viewer, structureID int64) Decision {
	if v.AccountID == 0 {
		return deny(ReasonNoAccount)
	}
	if structureID != 0 {
		for _, m := range v.Memberships {
			if m.Role == account.RoleStructureManager && m.StructureID == structureID {
				return allow(ReasonManager)
			}
		}
	}
	return deny(ReasonNotManager)
}

// SearchDirectory decides whether the viewer may search the territory's
// directory of services: any professional, coordinator, structure manager
// or administrator of the territory. The directory describes services,
// never people.
func SearchDirectory(v Viewer, territoryID int64) Decision {
	if v.AccountID == 0 {
		return deny(ReasonNoAccount)
	}
	if !hasRoleIn(v, territoryID, account.RoleProfessional, account.RoleCoordinator, account.RoleStructureManager, account.RoleTerritoryAdmin) {
		return deny(ReasonNotInTerritory)
	}
	return allow(ReasonTerritoryMember)
}

// ManageDirectory decides whether the viewer may manage the whole directory
// of the territory: import and export it, edit any structure's services.
// The territory's administrators do.
func ManageDirectory(v Viewer, territoryID int64) Decision {
	if v.AccountID == 0 {
		return deny(ReasonNoAccount)
	}
	if !hasRoleIn(v, territoryID, account.RoleTerritoryAdmin) {
		return deny(ReasonNotAdmin)
	}
	return allow(ReasonAdmin)
}

// EditServices decides whether the viewer may publish and change the
// services of a structure: its professionals and managers (they know what
// it offers), or an administrator of its territory.
func EditServices(v Viewer, territoryID, structureID int64) Decision {
	if d := ManageDirectory(v, territoryID); d.Allowed {
		return d
	}
	if v.AccountID == 0 {
		return deny(ReasonNoAccount)
	}
	for _, m := range v.Memberships {
		if m.StructureID == structureID && structureID != 0 && m.TerritoryID == territoryID &&
			(m.Role == account.RoleProfessional || m.Role == account.RoleStructureManager) {
			return allow(ReasonStructureMember)
		}
	}
	return deny(ReasonNotInStructure)
}

// worksIn reports whether the viewer is a professional or a manager of the
// structure.
func worksIn(v Viewer, structureID int64) bool {
	for _, m := range v.Memberships {
		if m.StructureID == structureID && structureID != 0 && (m.Role == account.RoleProfessional || m.Role == account.RoleStructureManager) {
			return true
		}
	}
	return false
}

// AnswerReferral decides whether the viewer may read and answer the
// referrals a structure received: its professionals and managers. They
// read what the referral needs (the person's name and contact, the motive),
// never the record.
func AnswerReferral(v Viewer, structureID int64) Decision {
	if v.AccountID == 0 {
		return deny(ReasonNoAccount)
	}
	if !worksIn(v, structureID) {
		return deny(ReasonNotInStructure)
	}
	return allow(ReasonReceiver)
}

// FollowStructure decides whether the viewer may see the follow-up of the
// people oriented to a structure (their invitations and appointments with
// it, the statuses that need an action, the delay indicators): its
// professionals and managers, who must call, invite and convene them. It
// shows identities and appointment statuses, never the record.
func FollowStructure(v Viewer, structureID int64) Decision {
	if v.AccountID == 0 {
		return deny(ReasonNoAccount)
	}
	if !worksIn(v, structureID) {
		return deny(ReasonNotInStructure)
	}
	return allow(ReasonStructureMember)
}

// ManageAgenda decides whether the viewer may change an agenda and see the
// appointments it holds: a professional's own agenda, a structure's shared
// agenda (accountID 0) for its professionals, any agenda of the structure
// for its managers.
func ManageAgenda(v Viewer, structureID, accountID int64) Decision {
	if v.AccountID == 0 {
		return deny(ReasonNoAccount)
	}
	for _, m := range v.Memberships {
		if m.StructureID != structureID || structureID == 0 {
			continue
		}
		switch {
		case m.Role == account.RoleStructureManager:
			return allow(ReasonManager)
		case m.Role == account.RoleProfessional && (accountID == 0 || accountID == v.AccountID):
			return allow(ReasonStructureMember)
		}
	}
	return deny(ReasonNotInStructure)
}

// EmployerContact decides whether the viewer acts for a partner employer:
// an employer-contact account of that employer's structure. Such an account
// sees only its own offers and the candidates proposed to them, with what
// each person agreed to share, never a record.
func EmployerContact(v Viewer, employerID int64) Decision {
	if v.AccountID == 0 {
		return deny(ReasonNoAccount)
	}
	for _, m := range v.Memberships {
		if m.StructureID == employerID && employerID != 0 && m.Role == account.RoleEmployerContact {
			return allow(ReasonEmployer)
		}
	}
	return deny(ReasonNotEmployer)
}

// SeeOffers decides whether the viewer may read the offers of the
// territory and rank people for them: the professionals, coordinators,
// managers and administrators of the territory. Employer contacts see
// their own offers only (EmployerContact).
func SeeOffers(v Viewer, territoryID int64) Decision { return SearchDirectory(v, territoryID) }

// RegisterEmployer decides whether the viewer may add a partner employer
// to the territory: an administrator, or a professional (who prospects
// employers and becomes the partnership's referent).
func RegisterEmployer(v Viewer, territoryID int64) Decision {
	if v.AccountID == 0 {
		return deny(ReasonNoAccount)
	}
	if !hasRoleIn(v, territoryID, account.RoleTerritoryAdmin, account.RoleProfessional) {
		return deny(ReasonNotProfessional)
	}
	return allow(ReasonProfessional)
}

// EditEmployer decides whether the viewer may change a partner employer and
// its offers: an administrator of the territory, the partnership's referent,
// or the employer's own contacts.
func EditEmployer(v Viewer, territoryID, employerID, partnerReferentID int64) Decision {
	if d := ManageDirectory(v, territoryID); d.Allowed {
		return d
	}
	if v.AccountID != 0 && v.AccountID == partnerReferentID && hasRoleIn(v, territoryID, account.RoleProfessional) {
		return allow(ReasonPartnerReferent)
	}
	return EmployerContact(v, employerID)
}
