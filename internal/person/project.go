package person

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
)

// Limits of the professional project.
const (
	MaxTargetJobs  = 5
	MaxHoursWanted = 48 // the legal maximum working week (Code du travail, L3121-20)
	MaxMobilityKm  = 200
	MaxProjectText = 2000 // characters of the experience and of the skills
)

// Validate checks the professional project and returns a French message per
// wrong field: at most MaxTargetJobs target jobs, each an existing ROME
// appellation (OGR code) listed once, field "target_jobs[i]"; hours wanted
// from 0 to 48 a week; mobility from 0 to 200 km; experience and skills of
// at most MaxProjectText characters. ref must not be nil.
func (pr *Project) Validate(ref *referential.Referential) problem.Fields {
	var fs problem.Fields
	if len(pr.TargetJobs) > MaxTargetJobs {
		fs.Add("target_jobs", fmt.Sprintf("Choisissez au plus %d métiers.", MaxTargetJobs))
	}
	seen := make(map[string]bool, len(pr.TargetJobs))
	for i, code := range pr.TargetJobs {
		field := fmt.Sprintf("target_jobs[%d]", i)
		code = strings.TrimSpace(code)
		switch _, ok := ref.Appellation(code); {
		case code == "":
			fs.Add(field, "Choisissez un métier.")
		case !ok:
			fs.Add(field, "Ce métier n'existe pas dans le répertoire ROME.")
		case seen[code]:
			fs.Add(field, "Ce métier figure déjà dans le projet.")
		}
		seen[code] = true
	}
	if pr.HoursWanted < 0 || pr.HoursWanted > MaxHoursWanted {
		fs.Add("hours_wanted", fmt.Sprintf("Le nombre d'heures par semaine doit être compris entre 0 et %d.", MaxHoursWanted))
	}
	if pr.MobilityKm < 0 || pr.MobilityKm > MaxMobilityKm {
		fs.Add("mobility_km", fmt.Sprintf("La distance de mobilité doit être comprise entre 0 et %d km.", MaxMobilityKm))
	}
	if utf8.RuneCountInString(strings.TrimSpace(pr.Experience)) > MaxProjectText {
		fs.Add("experience", fmt.Sprintf("L'expérience ne doit pas dépasser %s caractères.", thousands(MaxProjectText)))
	}
	if utf8.RuneCountInString(strings.TrimSpace(pr.Skills)) > MaxProjectText {
		fs.Add("skills", fmt.Sprintf("Les compétences ne doivent pas dépasser %s caractères.", thousands(MaxProjectText)))
	}
	return fs
}
