// Package employment holds the territory's partner employers, their job
// offers and immersions (PMSMP), and the applications of people proposed to
// them by their référent, with the states of Les emplois de l'inclusion. It
// holds types and rules only; the ranking of offers and people is in
// package matching.
package employment

import (
	"time"

	"github.com/spie-parcours/parcours/internal/person"
)

// Employer is a partner employer of the consortium: a structure of kind
// employer, whose employer-contact accounts see only its own offers and the
// candidates proposed to them.
type Employer struct {
	StructureID  int64 // the structure of kind employer
	TerritoryID  int64
	Name         string
	SIRET        string
	NAF          string // code APE/NAF, e.g. "49.41A"
	CommuneINSEE string
	Address      string
	Size         string   // one of SizeOptions
	Labels       []string // codes of LabelOptions
	// PartnerReferentID is the account of the consortium (a professional)
	// in charge of the partnership with this employer.
	PartnerReferentID   int64
	PartnerReferentName string
	ContactName         string
	ContactEmail        string
	ContactPhone        string
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// SizeOptions are the workforce bands of an employer (INSEE tranches,
// grouped).
var SizeOptions = []person.Option{
	{Code: "0-9", Label: "Moins de 10 salariés"},
	{Code: "10-49", Label: "De 10 à 49 salariés"},
	{Code: "50-249", Label: "De 50 à 249 salariés"},
	{Code: "250+", Label: "250 salariés et plus"},
}

// LabelOptions are the labels and commitments of an employer.
var LabelOptions = []person.Option{
	{Code: "inclusive", Label: "Employeur inclusif"},
	{Code: "siae", Label: "Structure d'insertion par l'activité économique"},
	{Code: "ea", Label: "Entreprise adaptée"},
	{Code: "pmsmp", Label: "Accueille des immersions (PMSMP)"},
	{Code: "clauses", Label: "Clauses sociales d'insertion"},
	{Code: "charte", Label: "Signataire de la charte des entreprises engagées du territoire"},
}

// ContractType is the contract an offer proposes.
type ContractType string

// The contracts of offers; PMSMP is an immersion (période de mise en
// situation en milieu professionnel), not a job.
const (
	ContractCDI          ContractType = "cdi"
	ContractCDD          ContractType = "cdd"
	ContractInterim      ContractType = "interim"
	ContractCDDI         ContractType = "cddi"          // CDD d'insertion (SIAE)
	ContractCDIInclusion ContractType = "cdi_inclusion" // CDI inclusion (SIAE, 57 ans et plus)
	ContractApprentice   ContractType = "apprentissage"
	ContractProfession   ContractType = "professionnalisation"
	ContractPMSMP        ContractType = "pmsmp"
)

// ContractOptions are the contracts with their French labels.
var ContractOptions = []person.Option{
	{Code: string(ContractCDI), Label: "CDI"},
	{Code: string(ContractCDD), Label: "CDD"},
	{Code: string(ContractInterim), Label: "Intérim"},
	{Code: string(ContractCDDI), Label: "CDD d'insertion (IAE)"},
	{Code: string(ContractCDIInclusion), Label: "CDI inclusion (IAE)"},
	{Code: string(ContractApprentice), Label: "Contrat d'apprentissage"},
	{Code: string(ContractProfession), Label: "Contrat de professionnalisation"},
	{Code: string(ContractPMSMP), Label: "Immersion (PMSMP)"},
}

// OfferStatus is the publication state of an offer.
type OfferStatus string

// The states of an offer: only open offers are matched and receive
// applications.
const (
	OfferDraft  OfferStatus = "draft"
	OfferOpen   OfferStatus = "open"
	OfferFilled OfferStatus = "filled"
	OfferClosed OfferStatus = "closed"
)

// OfferStatusOptions are the states with their French labels.
var OfferStatusOptions = []person.Option{
	{Code: string(OfferDraft), Label: "Brouillon"},
	{Code: string(OfferOpen), Label: "Ouverte"},
	{Code: string(OfferFilled), Label: "Pourvue"},
	{Code: string(OfferClosed), Label: "Fermée"},
}

// Offer is a job offer or an immersion of an employer, on a ROME
// appellation, with what matters to the obstacles of the people it may
// suit.
type Offer struct {
	ID          int64
	TerritoryID int64
	ExternalRef string // the employer's or the source's reference, for imports

	EmployerID   int64 // the employer's structure
	EmployerName string
	Appellation  string // ROME appellation (code OGR)
	ROMECode     string // derived from the appellation
	Title        string
	Description  string
	CommuneINSEE string
	Lat, Lon     float64 // the commune's centre
	Contract     ContractType
	WeeklyHours  int
	Night        bool // night work
	Weekend      bool // weekend work
	StartOn      time.Time
	Positions    int
	// What matters to obstacles.
	NeedsLicence      bool // a driving licence is required
	NeedsVehicle      bool // the person needs their own vehicle
	TransitReachable  bool // reachable by public transport at its hours
	DisabilityAdapted bool // the post is adapted to a disability
	Status            OfferStatus
	CreatedAt         time.Time
	UpdatedAt         time.Time
	PublishedAt       time.Time // when it was first opened
}

// Immersion reports whether the offer is an immersion rather than a job.
func (o Offer) Immersion() bool { return o.Contract == ContractPMSMP }

// ApplicationState is the state of an application (Les emplois'
// JobApplicationWorkflow).
type ApplicationState string

// The states of an application.
const (
	StateNew         ApplicationState = "new"
	StateProcessing  ApplicationState = "processing"
	StatePostponed   ApplicationState = "postponed"
	StatePriorToHire ApplicationState = "prior_to_hire"
	StateAccepted    ApplicationState = "accepted"
	StateRefused     ApplicationState = "refused"
	StateCancelled   ApplicationState = "cancelled"
	StateObsolete    ApplicationState = "obsolete"
	StatePool        ApplicationState = "pool"
)

// StateOptions are the states with their French labels (Les emplois').
var StateOptions = []person.Option{
	{Code: string(StateNew), Label: "Nouvelle candidature"},
	{Code: string(StateProcessing), Label: "À l'étude"},
	{Code: string(StatePostponed), Label: "En attente"},
	{Code: string(StatePriorToHire), Label: "Action préalable à l'embauche"},
	{Code: string(StateAccepted), Label: "Acceptée"},
	{Code: string(StateRefused), Label: "Déclinée"},
	{Code: string(StateCancelled), Label: "Embauche annulée"},
	{Code: string(StateObsolete), Label: "Embauché ailleurs"},
	{Code: string(StatePool), Label: "Vivier"},
}

// Action is a transition an employer (or the system) applies to an
// application.
type Action string

// The transitions of Les emplois.
const (
	ActionProcess           Action = "process"
	ActionPostpone          Action = "postpone"
	ActionAccept            Action = "accept"
	ActionAddToPool         Action = "add_to_pool"
	ActionPriorToHire       Action = "move_to_prior_to_hire"
	ActionCancelPriorToHire Action = "cancel_prior_to_hire"
	ActionRefuse            Action = "refuse"
	ActionCancel            Action = "cancel"
	ActionRenderObsolete    Action = "render_obsolete" // the person was hired elsewhere
	ActionReset             Action = "reset"
)

// RefusalReasonOptions are the reasons of a refusal (Les emplois').
var RefusalReasonOptions = []person.Option{
	{Code: "did_not_come", Label: "Candidat non joignable ou non venu"},
	{Code: "did_not_come_to_interview", Label: "Candidat non venu à l'entretien"},
	{Code: "hired_elsewhere", Label: "Candidat embauché ailleurs"},
	{Code: "training", Label: "Formation nécessaire avant l'embauche"},
	{Code: "not_mobile", Label: "Candidat non mobile"},
	{Code: "not_interested", Label: "Candidat non intéressé"},
	{Code: "lacking_skills", Label: "Compétences insuffisantes pour le poste"},
	{Code: "incompatible", Label: "Un des freins à l'emploi du candidat est incompatible avec le poste"},
	{Code: "no_position", Label: "Pas de poste ouvert en ce moment"},
	{Code: "duplicate", Label: "Candidature en doublon"},
	{Code: "other", Label: "Autre (précisé)"},
	{Code: "auto", Label: "Sans réponse après 60 jours"},
}

// AutoRefuseDays is how long an application may stay new or processing
// without an update before it is refused on its own (Les emplois).
const AutoRefuseDays = 60

// Share is an item of the person's record an employer may read when the
// person agreed to it, for one application: the name and the target job
// always, the rest only if ticked. Never the diagnostic.
type Share string

// The items a person may agree to share with an employer.
const (
	ShareContact    Share = "contact"    // phone and email
	ShareExperience Share = "experience" // the project's experience and skills
	ShareAvailable  Share = "available"  // availability date and hours wanted
	ShareLicence    Share = "licence"    // driving licence and vehicle
)

// ShareOptions are the items with their French labels.
var ShareOptions = []person.Option{
	{Code: string(ShareContact), Label: "Ses coordonnées (téléphone, courriel)"},
	{Code: string(ShareExperience), Label: "Son expérience et ses compétences"},
	{Code: string(ShareAvailable), Label: "Sa disponibilité et les heures souhaitées"},
	{Code: string(ShareLicence), Label: "Son permis de conduire et son véhicule"},
}

// Application is the proposal of a person to an offer by a professional of
// their team, with the person's consent for this employer (recorded, as NAV
// asks per offer), and its state.
type Application struct {
	ID            int64
	TerritoryID   int64
	OfferID       int64
	EmployerID    int64
	PersonID      int64
	State         ApplicationState
	Message       string  // from the professional to the employer
	Shares        []Share // what the person agreed to share
	ConsentAt     time.Time
	ConsentMethod string // oral, written, digital (person.ConsentMethods)
	RefusalReason string
	Answer        string // the employer's message to the professional
	HiredOn       time.Time
	ProposedBy    int64
	ProposedFrom  int64 // the structure of the professional
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// Read with the application, for pages.
	OfferTitle, EmployerName, PersonFirstName, PersonLastName string
}
