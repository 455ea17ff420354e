package employment

import (
	"slices"
	"time"

	"github.com/spie-parcours/parcours/internal/matching"
	"github.com/spie-parcours/parcours/internal/referential"
)

// ProfileSource is what the store reads of a person for matching: the
// project, the commune, the open diagnostic situations, the RQTH, and the
// référent's agreement to propose them.
type ProfileSource struct {
	PersonID      int64
	CommuneINSEE  string
	MobilityKm    int
	Licence       bool
	Vehicle       bool
	Appellations  []string
	HoursWanted   int
	AvailableFrom time.Time
	RQTH          bool
	Situations    []referential.Situation
	Contracts     []string
	Proposable    bool // the référent agreed to propose the person to offers
	UpdatedAt     time.Time
}

// The situations of the diagnostic that change what offers suit a person.
var (
	noLicence = []string{"Permis non valide / suspension de permis", "Permis et/ou code en cours",
		"Permis étranger (hors EEE)", "État de santé déclaré rendant incompatible la conduite"}
	hasLicence  = []string{"Permis B"}
	transitOnly = []string{"Aucun moyen de transport à disposition", "Dépendant des transports en commun"}
	noNight     = []string{"Enfant(s) de moins de 3 ans sans solution de garde", "Contrainte horaires",
		"Aidant familial (s’occuper d’un proche)", "Enfant(s) en situation de handicap"}
	noWeekend = []string{"Enfant(s) de moins de 3 ans sans solution de garde", "Contrainte horaires"}
	adapted   = []string{"Difficulté déclarée entravant l’exercice de certains métiers"}
)

// ProfileOf turns what the store read into matching features: the
// commune's centre, the ROME hierarchy of the target jobs, and the
// constraints the diagnostic implies (a suspended licence, public transport
// only, no night or weekend work with a young child or as a carer). health
// tells whether the reader of the results may know of the person's health:
// only then does a need for an adapted post count, so that no ranking shown
// to others reveals it.
func ProfileOf(src ProfileSource, ref *referential.Referential, health bool) matching.Profile {
	p := matching.Profile{PersonID: src.PersonID, RadiusKm: float64(src.MobilityKm), Licence: src.Licence, Vehicle: src.Vehicle,
		HoursWanted: src.HoursWanted, AvailableFrom: src.AvailableFrom, Contracts: slices.Clone(src.Contracts), UpdatedAt: src.UpdatedAt}
	if c, ok := ref.Commune(src.CommuneINSEE); ok {
		p.HasPlace, p.Lat, p.Lon = true, c.Lat, c.Lon
	}
	add := func(l []string, v string) []string {
		if v != "" && !slices.Contains(l, v) {
			return append(l, v)
		}
		return l
	}
	for _, code := range src.Appellations {
		a, ok := ref.Appellation(code)
		if !ok {
			continue
		}
		p.Appellations = add(p.Appellations, a.Code)
		p.ROMECodes = add(p.ROMECodes, a.ROMECode)
		if j, ok := ref.ROMEJob(a.ROMECode); ok {
			p.Domaines = add(p.Domaines, j.DomaineCode)
			p.GrandDomaines = add(p.GrandDomaines, j.GrandDomaineCode)
		}
	}
	has := func(labels []string) bool {
		return slices.ContainsFunc(src.Situations, func(s referential.Situation) bool { return slices.Contains(labels, s.Label) })
	}
	if has(hasLicence) {
		p.Licence = true
	}
	if has(noLicence) {
		p.Licence = false
	}
	p.TransitOnly = !p.Vehicle || has(transitOnly)
	if has(transitOnly) {
		p.Vehicle = false
	}
	p.NoNight, p.NoWeekend = has(noNight), has(noWeekend)
	p.NeedsAdapted = health && (src.RQTH || has(adapted))
	return p
}

// OfferOf turns an offer into matching features, with the ROME hierarchy
// of its appellation.
func OfferOf(o Offer, ref *referential.Referential) matching.Offer {
	f := matching.Offer{OfferID: o.ID, Appellation: o.Appellation, ROMECode: o.ROMECode, Lat: o.Lat, Lon: o.Lon,
		WeeklyHours: o.WeeklyHours, Night: o.Night, Weekend: o.Weekend, Contract: string(o.Contract), NeedsLicence: o.NeedsLicence,
		NeedsVehicle: o.NeedsVehicle, TransitReachable: o.TransitReachable, DisabilityAdapted: o.DisabilityAdapted,
		StartOn: o.StartOn, PublishedAt: o.PublishedAt, UpdatedAt: o.UpdatedAt}
	if f.ROMECode == "" {
		if a, ok := ref.Appellation(o.Appellation); ok {
			f.ROMECode = a.ROMECode
		}
	}
	if j, ok := ref.ROMEJob(f.ROMECode); ok {
		f.Domaine, f.GrandDomaine = j.DomaineCode, j.GrandDomaineCode
	}
	return f
}
