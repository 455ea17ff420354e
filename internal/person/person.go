// Package person holds the person accompanied and their shared record: the
// identity and statuses, the diagnostic, the professional project, the team,
// the notes, the consents and the timeline. It holds types and rules only.
package person

import "time"

// Person is the identity and statuses of a person accompanied. NIR is
// never held.
type Person struct {
	ID              int64
	TerritoryID     int64
	FirstName       string
	LastName        string
	BirthName       string
	BirthDate       time.Time // date only, UTC midnight
	Sex             string    // "F", "M" or ""
	Email           string
	Phone           string
	Address         string
	CommuneINSEE    string
	CAFNumber       string
	CAFRole         string // "demandeur", "conjoint"…: a CAF number is the household's
	FranceTravailID string
	CreatedAt       time.Time

	// Statuses.
	RSARight           string    // one of RSARights, or ""
	RSAOpenedOn        time.Time // date the RSA right opened, if known
	RQTH               bool      // recognised disabled worker: health data, a sensitive section
	LongTermUnemployed bool      // DELD
	EducationLevel     string    // one of EducationLevels, or ""
	WorkSituation      string    // one of WorkSituations, or ""

	// Objection to sharing, recorded for the person.
	ObjectionAt     time.Time
	ObjectionReason string

	UpdatedAt        time.Time
	CreatedBy        int64 // account
	CreatedStructure int64
}

// Section is a part of the record with its own access rule.
type Section string

// The sections of a record. Health (including RQTH), justice and finances
// are sensitive: only entitled structures and the référent see them.
const (
	SectionIdentity   Section = "identity"
	SectionDiagnostic Section = "diagnostic"
	SectionProject    Section = "project"
	SectionPlan       Section = "plan" // the contrat d'engagement: objectives, actions, referrals
	// SectionAppointments is the person's invitations and appointments,
	// read by the team like the plan.
	SectionAppointments Section = "appointments"
	// SectionReferral names, in the audit trail, what a receiving structure
	// reads of a referral (the person's name and contact, the motive): it
	// is no section of the record, which that structure never reads.
	SectionReferral  Section = "referral"
	SectionTeam      Section = "team"
	SectionTimeline  Section = "timeline"
	SectionNotes     Section = "notes"
	SectionConsents  Section = "consents"
	SectionAccessLog Section = "access_log"
	SectionHealth    Section = "health"
	SectionJustice   Section = "justice"
	SectionFinances  Section = "finances"
)

// SensitiveSections lists the sections hidden from those not entitled.
var SensitiveSections = []Section{SectionHealth, SectionJustice, SectionFinances}

// Sensitive reports whether the section is sensitive.
func (s Section) Sensitive() bool {
	return s == SectionHealth || s == SectionJustice || s == SectionFinances
}

// DiagnosticEntry is one situation of the diagnostic, dated and signed.
// Entries are never changed: a new one replaces the old, which is ended.
type DiagnosticEntry struct {
	ID            int64
	PersonID      int64
	Theme         string // cdb theme code
	Situation     string // situation label from the referential
	Comment       string
	Section       Section // "" or a sensitive section, derived from theme and situation
	AuthorID      int64
	AuthorName    string
	StructureID   int64
	StructureName string
	CreatedAt     time.Time
	EndedAt       time.Time
}

// Project is the professional project.
type Project struct {
	PersonID       int64
	TargetJobs     []string // ROME appellation codes (code_ogr)
	Experience     string
	Skills         string
	AvailableFrom  time.Time
	HoursWanted    int // per week
	DrivingLicence bool
	Vehicle        bool
	MobilityKm     int
	UpdatedBy      int64
	UpdatedAt      time.Time
}

// TeamMember is a professional in the person's team (groupe de suivi).
type TeamMember struct {
	ID            int64
	PersonID      int64
	AccountID     int64
	AccountName   string
	AccountEmail  string
	StructureID   int64
	StructureName string
	StructureKind string
	Referent      bool
	StartedAt     time.Time
	EndedAt       time.Time
}

// Active reports whether the membership is current.
func (m TeamMember) Active() bool { return m.EndedAt.IsZero() }

// JoinRequest is a professional's request to join a team, decided by the
// référent.
type JoinRequest struct {
	ID            int64
	PersonID      int64
	AccountID     int64
	AccountName   string
	StructureID   int64
	StructureName string
	Reason        string
	Status        string // pending, accepted, refused
	CreatedAt     time.Time
	DecidedAt     time.Time
}

// Visibility says who reads a note.
type Visibility string

// The visibilities of a note.
const (
	VisibilityStructure Visibility = "structure" // the author's structure, within the team
	VisibilityTeam      Visibility = "team"
	VisibilityPerson    Visibility = "person" // the team, and the person too
)

// Note is a free text in the record.
type Note struct {
	ID            int64
	PersonID      int64
	AuthorID      int64
	AuthorName    string
	StructureID   int64
	StructureName string
	Visibility    Visibility
	Section       Section // "" or a sensitive section
	Body          string
	CreatedAt     time.Time
}

// Consent is the person's consent to a sharing beyond the team's legal
// basis: for a purpose, to some structures, for some sections.
type Consent struct {
	ID           int64
	PersonID     int64
	Purpose      string
	StructureIDs []int64
	Sections     []Section
	Method       string // oral, written, digital
	Evidence     string
	StartedAt    time.Time
	EndedAt      time.Time
	RecordedBy   int64
	StructureID  int64
	WithdrawnBy  int64
}

// Active reports whether the consent is in force.
func (c Consent) Active() bool { return c.EndedAt.IsZero() }

// Event is a line of the timeline. Summaries never hold sensitive values.
type Event struct {
	ID            int64
	PersonID      int64
	At            time.Time
	Kind          string
	Summary       string
	Section       Section
	Visibility    Visibility
	AccountID     int64
	AccountName   string
	StructureID   int64
	StructureName string
	RefID         int64
}
