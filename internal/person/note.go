package person

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/problem"
)

// Limits of notes and consents, in characters.
const (
	MaxNoteLen    = 10000
	MaxPurposeLen = 200
)

// ValidateNote checks a note before it is written: a body of 1 to
// MaxNoteLen characters (white space alone is empty), one of the three
// visibilities, and no section or a sensitive one. Fields are "text",
// "visibility" and "section".
func ValidateNote(body string, vis Visibility, sec Section) problem.Fields {
	var fs problem.Fields
	switch n := utf8.RuneCountInString(strings.TrimSpace(body)); {
	case n == 0:
		fs.Add("text", "Le texte de la note est obligatoire.")
	case n > MaxNoteLen:
		fs.Add("text", fmt.Sprintf("Le texte de la note ne doit pas dépasser %s caractères.", thousands(MaxNoteLen)))
	}
	if _, ok := Visibilities[string(vis)]; !ok {
		fs.Add("visibility", "Choisissez qui peut lire la note : votre structure, l'équipe de suivi, ou l'équipe et la personne accompagnée.")
	}
	if sec != "" && !sec.Sensitive() {
		fs.Add("section", "Une note ne peut être rangée que dans une partie protégée : santé et RQTH, justice ou finances.")
	}
	return fs
}

// Validate checks a consent before it is recorded: a purpose of 1 to
// MaxPurposeLen characters, a method of ConsentMethods, at least one
// structure (valid IDs, each once), and sensitive sections only, or none
// when the sharing concerns no sensitive section. Fields are "purpose",
// "method", "structure_ids" and "sections".
func (c *Consent) Validate() problem.Fields {
	var fs problem.Fields
	switch n := utf8.RuneCountInString(strings.TrimSpace(c.Purpose)); {
	case n == 0:
		fs.Add("purpose", "L'objet du consentement est obligatoire.")
	case n > MaxPurposeLen:
		fs.Add("purpose", fmt.Sprintf("L'objet du consentement ne doit pas dépasser %d caractères.", MaxPurposeLen))
	}
	if _, ok := ConsentMethods[c.Method]; !ok {
		fs.Add("method", "Choisissez comment le consentement a été donné : oral, écrit signé ou formulaire en ligne.")
	}
	seen := make(map[int64]bool, len(c.StructureIDs))
	switch {
	case len(c.StructureIDs) == 0:
		fs.Add("structure_ids", "Choisissez au moins une structure avec qui partager.")
	default:
		for _, id := range c.StructureIDs {
			if id <= 0 || seen[id] {
				fs.Add("structure_ids", "La liste des structures contient une structure inconnue ou en double.")
				break
			}
			seen[id] = true
		}
	}
	for _, s := range c.Sections {
		if !s.Sensitive() {
			fs.Add("sections", "Un consentement ne porte que sur les parties protégées : santé et RQTH, justice ou finances.")
			break
		}
	}
	return fs
}
