// Package matching ranks, explainably, the open offers for a person and the
// people for an offer. It knows more than a job title: the person's
// obstacles (no driving licence, no vehicle, childcare, health), mobility
// radius, hours and availability. Every result carries its reasons in
// French. The weights are configuration (Config), not code. It is pure: no
// I/O but LoadConfig's reading of its file, and the standard library only;
// the caller gives the features (store) and the ROME hierarchy (the
// appellations' ROME codes, domaines and grands domaines).
package matching

import "time"

// Profile is what matching knows of a person: built by the caller from the
// record (project, diagnostic, commune), never holding sensitive values
// themselves — only the constraints they imply.
type Profile struct {
	PersonID      int64
	HasPlace      bool // the commune is known
	Lat, Lon      float64
	RadiusKm      float64 // mobility radius; 0: Config.DefaultRadiusKm
	Licence       bool    // holds a valid driving licence
	Vehicle       bool    // has a vehicle
	TransitOnly   bool    // depends on public transport (no vehicle, or a diagnostic saying so)
	Appellations  []string
	ROMECodes     []string // of the appellations
	Domaines      []string // ROME domaines (3 characters) of the appellations
	GrandDomaines []string // ROME grands domaines (1 letter)
	HoursWanted   int      // per week; 0: any
	NoNight       bool     // family constraints: no night work
	NoWeekend     bool     // family constraints: no weekend work
	NeedsAdapted  bool     // a post adapted to a disability is needed (RQTH, health)
	Contracts     []string // contracts wanted (employment.ContractType codes); empty: any
	AvailableFrom time.Time
	// UpdatedAt is when the features last changed, for incremental loads.
	UpdatedAt time.Time
}

// Offer is what matching knows of an open offer.
type Offer struct {
	OfferID           int64
	Appellation       string
	ROMECode          string
	Domaine           string
	GrandDomaine      string
	Lat, Lon          float64 // (0, 0) when the place is unknown
	WeeklyHours       int     // 0: not given
	Night, Weekend    bool
	Contract          string
	NeedsLicence      bool
	NeedsVehicle      bool
	TransitReachable  bool
	DisabilityAdapted bool
	StartOn           time.Time
	PublishedAt       time.Time
	UpdatedAt         time.Time
}

// Result is a ranked offer (ID is the offer's) or person (ID is the
// person's), with its score and its reasons, best first.
type Result struct {
	ID      int64
	Score   float64
	Reasons []string
	// HasDistance tells whether both places are known, and DistanceKm is
	// then the distance between them as the crow flies.
	HasDistance bool
	DistanceKm  float64
}
