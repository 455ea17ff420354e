package matching

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Policy says what happens to an offer and a person that a hard criterion
// opposes (a licence required and not held, a schedule against family
// constraints…): the pair is dropped, or kept with a penalty and a reason
// that says why, so that a professional can still see it and lift the
// obstacle (a mobility aid, a licence funded).
type Policy string

// The policies of a hard criterion.
const (
	Exclude  Policy = "exclude"
	Penalize Policy = "penalize"
)

// Config holds the weights and policies of the score: the points each
// criterion adds, what happens when a hard criterion fails, and the curves'
// parameters. It is configuration, not code: an operator changes it with a
// JSON file read by LoadConfig, whose keys are the json tags below; a key
// left out keeps its default (DefaultConfig), an unknown key is refused.
// testdata/defaults.json lists every key with its default value. For
// example, to penalize rather than exclude the offers needing a licence the
// person does not hold, and to weigh distance more:
//
//	{
//	  "licence_missing": "penalize",
//	  "licence_penalty": 30,
//	  "distance": 30
//	}
//
// The score of an offer for a person (and of a person for an offer, the
// same number) is the sum of:
//
//   - job proximity, the best of the four levels only: SameAppellation (the
//     same ROME appellation, "même métier"), SameROME (the same ROME code),
//     SameDomaine (the same domaine professionnel, e.g. K13), or
//     SameGrandDomaine (e.g. K); nothing when the job is unrelated;
//   - distance from the person's commune, with R the mobility radius
//     (DefaultRadiusKm when the person gave none) and d the distance in km:
//     Distance × (1 − (d/R)²) within the radius, which stays near full
//     close to home (75 % at half the radius) and reaches 0 at the radius;
//     beyond it, under BeyondRadius "penalize", −BeyondRadiusPenalty −
//     Distance × min(1, (d − R)/R), a step down at the radius then a
//     slope reaching its floor at twice the radius; nothing when a place
//     is unknown;
//   - Hours × max(0, 1 − |offered − wanted| / HoursGap), half of Hours when
//     the person wants any hours or the offer does not say;
//   - Schedule when the offer's night and weekend work suit the person's
//     family constraints; under ScheduleConflict "penalize", −SchedulePenalty
//     instead;
//   - Availability when the person is available by the start of the post;
//   - Adapted when the person needs a post adapted to a disability and the
//     post is (nothing otherwise: no one is ranked lower for needing it);
//   - Contract when the offer's contract is one the person wants, half of it
//     when they want any;
//   - Freshness × max(0, 1 − age/FreshDays), age being the days since the
//     offer was published;
//   - minus LicencePenalty, VehiclePenalty, TransitPenalty under the
//     "penalize" policy of LicenceMissing, VehicleMissing, TransitUnreachable.
//
// Results scoring below MinScore are dropped.
type Config struct {
	SameAppellation  float64 `json:"same_appellation"`
	SameROME         float64 `json:"same_rome"`
	SameDomaine      float64 `json:"same_domaine"`
	SameGrandDomaine float64 `json:"same_grand_domaine"`

	// Distance is the points of an offer at the person's door, falling
	// with distance as Config's documentation says.
	Distance float64 `json:"distance"`
	// BeyondRadius is the policy for an offer beyond the mobility radius.
	BeyondRadius        Policy  `json:"beyond_radius"`
	BeyondRadiusPenalty float64 `json:"beyond_radius_penalty"`
	// DefaultRadiusKm is the mobility radius of a person who gave none.
	DefaultRadiusKm float64 `json:"default_radius_km"`

	// TransitUnreachable is the policy for a person depending on public
	// transport and an offer not reachable by it, farther than WalkKm (or
	// at an unknown distance).
	TransitUnreachable Policy  `json:"transit_unreachable"`
	TransitPenalty     float64 `json:"transit_penalty"`
	WalkKm             float64 `json:"walk_km"`

	// Hours is the points of an offer with exactly the hours wanted,
	// falling to 0 at HoursGap hours a week away from them.
	Hours    float64 `json:"hours"`
	HoursGap float64 `json:"hours_gap"`
	// Schedule is the points of an offer whose night and weekend work suit
	// the person's family constraints; ScheduleConflict is the policy when
	// they do not.
	Schedule         float64 `json:"schedule"`
	ScheduleConflict Policy  `json:"schedule_conflict"`
	SchedulePenalty  float64 `json:"schedule_penalty"`
	// Availability is the points of a person available by the start of
	// the post.
	Availability float64 `json:"availability"`

	// LicenceMissing is the policy for an offer requiring a driving licence
	// the person does not hold; VehicleMissing, a vehicle they do not have.
	LicenceMissing Policy  `json:"licence_missing"`
	LicencePenalty float64 `json:"licence_penalty"`
	VehicleMissing Policy  `json:"vehicle_missing"`
	VehiclePenalty float64 `json:"vehicle_penalty"`
	// Adapted is the points of a post adapted to a disability for a person
	// who needs one.
	Adapted float64 `json:"adapted"`

	Contract float64 `json:"contract"`

	// Freshness is the points of an offer published now, decaying to 0
	// over FreshDays days.
	Freshness float64 `json:"freshness"`
	FreshDays float64 `json:"fresh_days"`

	// MinScore drops the results scoring below it.
	MinScore float64 `json:"min_score"`
}

// DefaultConfig returns the weights and policies Parcours ships with. Job
// proximity weighs most (a same job gives 40 of the about 100 points of a
// perfect match), then distance (20); a same job at the edge of the radius
// still outranks a same domaine next door, but not beyond the radius. A
// licence required and not held excludes (it takes months to get one); a
// vehicle, public transport and the radius penalize, as a mobility aid can
// lift them; night or weekend work against family constraints excludes.
func DefaultConfig() Config {
	return Config{
		SameAppellation:     40,
		SameROME:            30,
		SameDomaine:         18,
		SameGrandDomaine:    8,
		Distance:            20,
		BeyondRadius:        Penalize,
		BeyondRadiusPenalty: 10,
		DefaultRadiusKm:     15,
		TransitUnreachable:  Penalize,
		TransitPenalty:      15,
		WalkKm:              2,
		Hours:               8,
		HoursGap:            15,
		Schedule:            6,
		ScheduleConflict:    Exclude,
		SchedulePenalty:     20,
		Availability:        4,
		LicenceMissing:      Exclude,
		LicencePenalty:      30,
		VehicleMissing:      Penalize,
		VehiclePenalty:      20,
		Adapted:             8,
		Contract:            6,
		Freshness:           5,
		FreshDays:           30,
		MinScore:            0,
	}
}

// Validate checks the configuration and returns a French message per wrong
// field, naming it by its JSON key: weights and penalties are positive or
// zero, the job levels are ordered (a same appellation weighs at least a
// same ROME code, which weighs at least a same domaine…), the policies are
// "exclude" or "penalize", the radius, gap and days are positive.
func (c Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	for _, w := range []struct {
		key string
		v   float64
	}{
		{"same_appellation", c.SameAppellation},
		{"same_rome", c.SameROME},
		{"same_domaine", c.SameDomaine},
		{"same_grand_domaine", c.SameGrandDomaine},
		{"distance", c.Distance},
		{"beyond_radius_penalty", c.BeyondRadiusPenalty},
		{"transit_penalty", c.TransitPenalty},
		{"walk_km", c.WalkKm},
		{"hours", c.Hours},
		{"schedule", c.Schedule},
		{"schedule_penalty", c.SchedulePenalty},
		{"availability", c.Availability},
		{"licence_penalty", c.LicencePenalty},
		{"vehicle_penalty", c.VehiclePenalty},
		{"adapted", c.Adapted},
		{"contract", c.Contract},
		{"freshness", c.Freshness},
	} {
		if !(w.v >= 0) || w.v > 1e6 { // also refuses NaN
			add("%s : la valeur doit être un nombre positif ou nul (au plus 1 000 000).", w.key)
		}
	}
	if c.SameAppellation < c.SameROME {
		add("same_appellation : un même métier doit valoir au moins une même fiche ROME (same_rome).")
	}
	if c.SameROME < c.SameDomaine {
		add("same_rome : une même fiche ROME doit valoir au moins un même domaine (same_domaine).")
	}
	if c.SameDomaine < c.SameGrandDomaine {
		add("same_domaine : un même domaine doit valoir au moins un même grand domaine (same_grand_domaine).")
	}
	for _, p := range []struct {
		key string
		v   Policy
	}{
		{"beyond_radius", c.BeyondRadius},
		{"transit_unreachable", c.TransitUnreachable},
		{"schedule_conflict", c.ScheduleConflict},
		{"licence_missing", c.LicenceMissing},
		{"vehicle_missing", c.VehicleMissing},
	} {
		if p.v != Exclude && p.v != Penalize {
			add("%s : la règle doit être « exclude » (exclure) ou « penalize » (pénaliser), pas « %s ».", p.key, p.v)
		}
	}
	if !(c.DefaultRadiusKm > 0) || c.DefaultRadiusKm > 1000 {
		add("default_radius_km : le rayon par défaut doit être compris entre 0 (exclu) et 1 000 km.")
	}
	if !(c.HoursGap > 0) || c.HoursGap > 168 {
		add("hours_gap : l'écart d'heures doit être compris entre 0 (exclu) et 168 heures.")
	}
	if !(c.FreshDays > 0) || c.FreshDays > 3650 {
		add("fresh_days : la durée de fraîcheur doit être comprise entre 0 (exclu) et 3 650 jours.")
	}
	if c.MinScore != c.MinScore || c.MinScore > 1e6 || c.MinScore < -1e6 { // NaN
		add("min_score : le score minimal doit être un nombre entre -1 000 000 et 1 000 000.")
	}
	return errors.Join(errs...)
}

// LoadConfig reads the JSON file at path over DefaultConfig, so that the
// file holds only what the operator changes, and validates the result. An
// unknown key (a typo) is an error, not silently ignored.
func LoadConfig(path string) (Config, error) {
	b, err := os.ReadFile(filepath.Clean(path)) // #nosec G304 -- the operator names the configuration file
	if err != nil {
		return Config{}, fmt.Errorf("matching: config: %w", err)
	}
	c := DefaultConfig()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("matching: config %s: %w", path, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Config{}, fmt.Errorf("matching: config %s: données après l'objet JSON", path)
	}
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("matching: config %s: %w", path, err)
	}
	return c, nil
}
