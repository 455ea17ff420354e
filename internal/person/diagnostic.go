package person

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
)

// MaxCommentLen is the longest comment of a diagnostic situation, in
// characters.
const MaxCommentLen = 2000

// The themes whose situations are all sensitive.
const (
	themeHealth   = "sante"
	themeFinances = "difficulte_financiere"
)

// healthSituations are the situations outside the "sante" theme that still
// tell something of the health of the person or of a child (health data in
// the sense of article 9 of the GDPR), folded.
var healthSituations = foldSet(
	"Enfant(s) en situation de handicap",
	"Problématique de santé d'un enfant",
	"État de santé déclaré rendant incompatible la conduite",
)

// justiceSituations are the situations about a legal or judicial matter,
// folded. The data has a typographic apostrophe; folding makes the straight
// one match too.
var justiceSituations = foldSet("Difficulté d’ordre juridique")

// justiceWords are the words of a situation or comment that reveal a legal
// or judicial matter (article 10 of the GDPR for offences), as folded words.
// A false alarm only hides the entry from those not entitled, so the list
// leans to caution; words with an everyday meaning ("pénalité", "sursis à
// expulsion") are left out.
var justiceWords = map[string]bool{
	"juridique": true, "juridiques": true, "judiciaire": true, "judiciaires": true,
	"justice": true, "penal": true, "penale": true, "penales": true, "penaux": true,
	"penitentiaire": true, "prison": true, "incarcere": true, "incarceree": true,
	"incarceration": true, "detenu": true, "detenue": true, "detention": true,
	"condamne": true, "condamnee": true, "condamnation": true, "tribunal": true,
	"spip": true, "ppsmj": true, "pjj": true, "probation": true, "tig": true,
}

// justicePhrases are the expressions of several words with the same effect,
// folded, with a space on either side.
var justicePhrases = []string{" garde a vue ", " bracelet electronique ", " liberation conditionnelle ", " travail d interet general "}

// foldSet returns the set of the folded labels.
func foldSet(labels ...string) map[string]bool {
	m := make(map[string]bool, len(labels))
	for _, l := range labels {
		m[referential.Fold(l)] = true
	}
	return m
}

// SectionOf returns the sensitive section a diagnostic situation belongs to,
// or "" when everyone in the team may read it: health for the "sante" theme
// and the health situations of other themes (a child's disability or
// health, a health state that forbids driving); justice for "Difficulté
// d’ordre juridique" and any situation about a judicial matter; finances for
// the "difficulte_financiere" theme. Health comes first, then justice, then
// finances.
func SectionOf(theme, situation string) Section {
	s := referential.Fold(situation)
	switch {
	case theme == themeHealth || healthSituations[s]:
		return SectionHealth
	case justiceSituations[s] || mentionsJustice(s):
		return SectionJustice
	case theme == themeFinances:
		return SectionFinances
	}
	return ""
}

// mentionsJustice reports whether the folded text f names a legal or
// judicial matter.
func mentionsJustice(f string) bool {
	words := strings.FieldsFunc(f, func(r rune) bool { return !isAlnum(r) })
	for _, w := range words {
		if justiceWords[w] {
			return true
		}
	}
	padded := " " + strings.Join(words, " ") + " "
	for _, p := range justicePhrases {
		if strings.Contains(padded, p) {
			return true
		}
	}
	return false
}

// isAlnum reports whether r is a letter or a digit.
func isAlnum(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// SituationInput is a situation of the diagnostic as a professional saves
// it: a theme code, a situation label of the referential, and a comment.
type SituationInput struct {
	Theme   string `json:"theme"`
	Label   string `json:"label"`
	Comment string `json:"comment"`
}

// Section returns the section the entry is filed under: SectionOf its theme
// and situation, or justice when it would otherwise be readable by the whole
// team and its comment speaks of a judicial matter. A comment cannot lower
// the protection its situation has.
func (in SituationInput) Section() Section {
	if s := SectionOf(in.Theme, in.Label); s != "" {
		return s
	}
	if mentionsJustice(referential.Fold(in.Comment)) {
		return SectionJustice
	}
	return ""
}

// ValidateDiagnostic checks the situations of a diagnostic saved as a whole:
// each theme must exist, each label must be, exactly, a situation of its
// theme in the referential, a situation may appear once, and a comment holds
// at most MaxCommentLen characters. Fields are named "situations[i].theme",
// "situations[i].label" and "situations[i].comment", i counting from 0.
func ValidateDiagnostic(ref *referential.Referential, in []SituationInput) problem.Fields {
	var fs problem.Fields
	seen := make(map[[2]string]bool, len(in))
	for i, s := range in {
		field := fmt.Sprintf("situations[%d].", i)
		theme, ok := ref.Theme(s.Theme)
		switch {
		case strings.TrimSpace(s.Theme) == "":
			fs.Add(field+"theme", "Choisissez un thème.")
		case !ok:
			fs.Add(field+"theme", "Ce thème n'existe pas dans le diagnostic.")
		case strings.TrimSpace(s.Label) == "":
			fs.Add(field+"label", "Choisissez une situation.")
		case !ref.IsSituation(s.Theme, s.Label):
			fs.Add(field+"label", fmt.Sprintf("Cette situation n'existe pas pour le thème « %s ».", theme.Label))
		case seen[[2]string{s.Theme, s.Label}]:
			fs.Add(field+"label", "Cette situation figure déjà dans le diagnostic.")
		}
		seen[[2]string{s.Theme, s.Label}] = true
		if utf8.RuneCountInString(strings.TrimSpace(s.Comment)) > MaxCommentLen {
			fs.Add(field+"comment", fmt.Sprintf("Le commentaire ne doit pas dépasser %s caractères.", thousands(MaxCommentLen)))
		}
	}
	return fs
}

// thousands writes n with a non-breaking space between thousands, as French
// does: 10000 is "10 000".
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "\u00a0" + s[i:]
	}
	return s
}

// sameComment reports whether two comments say the same thing: a text area
// may send back the same text with other line endings or trailing spaces.
func sameComment(a, b string) bool {
	norm := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }
	return norm(a) == norm(b)
}

// DiagnosticDiff returns what to write when a professional saves the whole
// diagnostic: the situations to add and the current entries to end. An
// entry with the same theme, situation and comment as a wanted situation is
// kept untouched, signature and date included; an entry whose comment
// changed is ended and its new version added, since entries are never
// changed. Entries already ended in current are ignored. add keeps the order
// of wanted and end that of current.
func DiagnosticDiff(current []DiagnosticEntry, wanted []SituationInput) (add []SituationInput, end []DiagnosticEntry) {
	kept := make([]bool, len(current))
	for _, w := range wanted {
		found := false
		for i, c := range current {
			if !kept[i] && c.EndedAt.IsZero() && c.Theme == w.Theme && c.Situation == w.Label && sameComment(c.Comment, w.Comment) {
				kept[i], found = true, true
				break
			}
		}
		if !found {
			add = append(add, w)
		}
	}
	for i, c := range current {
		if !kept[i] && c.EndedAt.IsZero() {
			end = append(end, c)
		}
	}
	return add, end
}
