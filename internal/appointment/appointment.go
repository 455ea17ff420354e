// Package appointment holds the appointments of the pathway and what makes
// them fast: agendas that publish availability, slots computed from them,
// invitations with self-booking, convocations, the appointment statuses and
// the follow-up status derived from invitations and appointments (as
// rdv-insertion does), and the delay indicators. It holds types and rules
// only.
package appointment

import (
	"time"

	"github.com/spie-parcours/parcours/internal/person"
)

// Category is what an appointment type is for.
type Category string

// The categories of appointment types.
const (
	CategoryOrientation   Category = "orientation"   // the orientation appointment (diagnostic)
	CategoryAccompaniment Category = "accompaniment" // the first accompaniment appointment, then follow-ups
	CategoryInformation   Category = "information"   // a collective information session
)

// CategoryOptions are the categories with their French labels.
var CategoryOptions = []person.Option{
	{Code: string(CategoryOrientation), Label: "Rendez-vous d'orientation"},
	{Code: string(CategoryAccompaniment), Label: "Rendez-vous d'accompagnement"},
	{Code: string(CategoryInformation), Label: "Information collective"},
}

// Type is an appointment type of a territory (a "motif"): its category,
// its duration and how many people it takes (1 for an individual
// appointment, more for a collective session).
type Type struct {
	ID          int64
	TerritoryID int64
	Category    Category
	Label       string
	DurationMin int
	Capacity    int
}

// PlaceKind is how the person meets the professional.
type PlaceKind string

// The kinds of places.
const (
	PlaceAddress PlaceKind = "address" // in person, at an address
	PlacePhone   PlaceKind = "phone"   // the professional calls the person
	PlaceVideo   PlaceKind = "video"   // a video call, with a link
)

// Place is where appointments of an agenda take place.
type Place struct {
	ID           int64
	AgendaID     int64
	Kind         PlaceKind
	Label        string // "Accueil du CCAS", "Par téléphone"
	Address      string // for an address
	CommuneINSEE string
	Details      string // access details, or the video link
}

// Agenda is the availability of a professional, or of a structure when
// AccountID is 0 (a shared front desk, a collective session).
type Agenda struct {
	ID          int64
	TerritoryID int64
	StructureID int64
	AccountID   int64
	Name        string
	Active      bool
	Places      []Place
	Rules       []Rule
	Exceptions  []Exception
	CreatedAt   time.Time
}

// Rule is a recurring opening of an agenda: on a weekday, from Start to End
// (minutes after midnight, Europe/Paris), slots of the type's duration, at
// a place, between two dates (ValidUntil zero: no end).
type Rule struct {
	ID         int64
	AgendaID   int64
	TypeID     int64
	PlaceID    int64
	Weekday    time.Weekday
	Start, End int // minutes after midnight
	ValidFrom  time.Time
	ValidUntil time.Time
}

// Exception changes an agenda on one date: a closure (all day when Start
// and End are 0, else between them), or an extra opening of a type at a
// place.
type Exception struct {
	ID         int64
	AgendaID   int64
	Date       time.Time // civil date, UTC midnight
	Start, End int
	Closed     bool
	TypeID     int64 // for an opening
	PlaceID    int64
	Reason     string
}

// Slot is a time at which an appointment of a type can be booked in an
// agenda, with the seats left.
type Slot struct {
	AgendaID    int64
	TypeID      int64
	PlaceID     int64
	StartsAt    time.Time
	DurationMin int
	Capacity    int
	Booked      int
}

// Free reports how many seats are left.
func (s Slot) Free() int { return max(0, s.Capacity-s.Booked) }

// Status is the status of an appointment (a participation).
type Status string

// The statuses of an appointment: unknown until it happens (shown as "à
// venir" before, "à préciser" after), then seen, excused (cancelled by the
// person), revoked (cancelled by the service) or noshow.
const (
	StatusUnknown Status = "unknown"
	StatusSeen    Status = "seen"
	StatusExcused Status = "excused"
	StatusRevoked Status = "revoked"
	StatusNoshow  Status = "noshow"
)

// StatusOptions are the statuses with their French labels.
var StatusOptions = []person.Option{
	{Code: string(StatusUnknown), Label: "À venir ou à préciser"},
	{Code: string(StatusSeen), Label: "Rendez-vous honoré"},
	{Code: string(StatusExcused), Label: "Annulé par la personne"},
	{Code: string(StatusRevoked), Label: "Annulé par le service"},
	{Code: string(StatusNoshow), Label: "Absence non excusée"},
}

// Origin says who booked an appointment.
type Origin string

// The origins of an appointment.
const (
	OriginAgent       Origin = "agent"       // a professional booked it for the person
	OriginPerson      Origin = "person"      // the person booked it through an invitation
	OriginConvocation Origin = "convocation" // a professional fixed it after an expired invitation, a no-show or a cancellation
)

// Appointment is a person's appointment in an agenda.
type Appointment struct {
	ID            int64
	PersonID      int64
	TerritoryID   int64
	StructureID   int64
	AgendaID      int64
	TypeID        int64
	PlaceID       int64
	OrientationID int64 // the orientation it follows, if any
	InvitationID  int64 // the invitation it was booked through, if any
	StartsAt      time.Time
	DurationMin   int
	Status        Status
	Origin        Origin
	CreatedBy     int64 // account; 0 when the person booked
	CreatedAt     time.Time
	StatusAt      time.Time
	StatusBy      int64
	Reminded48At  time.Time
	Reminded24At  time.Time
}

// EndsAt is when the appointment ends.
func (a Appointment) EndsAt() time.Time {
	return a.StartsAt.Add(time.Duration(a.DurationMin) * time.Minute)
}

// Invitation is a link sent to a person to book an appointment of a type
// with a structure, without an account, until ExpiresAt.
type Invitation struct {
	ID            int64
	PersonID      int64
	TerritoryID   int64
	StructureID   int64
	TypeID        int64
	OrientationID int64
	Channels      []string // email, sms
	CreatedBy     int64
	CreatedAt     time.Time
	ExpiresAt     time.Time
	RemindedAt    time.Time
	ExpiredAt     time.Time // when the expiry was handled (the structure told)
	AppointmentID int64     // the appointment booked through it
	BookedAt      time.Time
}

// FollowUpStatus is the status of a person's follow-up for an orientation
// (or a category), derived from invitations and appointments, never set by
// hand (rdv-insertion's list).
type FollowUpStatus string

// The follow-up statuses.
const (
	FollowNotInvited           FollowUpStatus = "not_invited"
	FollowInvitationPending    FollowUpStatus = "invitation_pending"
	FollowInvitationExpired    FollowUpStatus = "invitation_expired"
	FollowRdvPending           FollowUpStatus = "rdv_pending"
	FollowRdvNeedsStatusUpdate FollowUpStatus = "rdv_needs_status_update"
	FollowRdvNoshow            FollowUpStatus = "rdv_noshow"
	FollowRdvRevoked           FollowUpStatus = "rdv_revoked"
	FollowRdvExcused           FollowUpStatus = "rdv_excused"
	FollowRdvSeen              FollowUpStatus = "rdv_seen"
	FollowClosed               FollowUpStatus = "closed"
)

// FollowUpOptions are the follow-up statuses with their French labels.
var FollowUpOptions = []person.Option{
	{Code: string(FollowNotInvited), Label: "Non invité"},
	{Code: string(FollowInvitationPending), Label: "Invitation en attente de réponse"},
	{Code: string(FollowInvitationExpired), Label: "Invitation sans réponse (délai dépassé)"},
	{Code: string(FollowRdvPending), Label: "RDV à venir"},
	{Code: string(FollowRdvNeedsStatusUpdate), Label: "Statut du RDV à préciser"},
	{Code: string(FollowRdvNoshow), Label: "Absence non excusée"},
	{Code: string(FollowRdvRevoked), Label: "RDV annulé par le service"},
	{Code: string(FollowRdvExcused), Label: "RDV annulé par l'usager"},
	{Code: string(FollowRdvSeen), Label: "RDV honoré"},
	{Code: string(FollowClosed), Label: "Dossier traité"},
}

// The delays of invitations and reminders.
const (
	DefaultInvitationDays = 10 // an invitation link stays valid, unless the territory sets another
	InvitationReminderDay = 3  // the person is reminded when no slot was chosen
)

// ReminderBefore are the delays before an appointment at which the person
// is reminded of it.
var ReminderBefore = []time.Duration{48 * time.Hour, 24 * time.Hour}
