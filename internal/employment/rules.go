package employment

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
)

// transitions is Les emplois' JobApplicationWorkflow: for each action, the
// states it applies to and the state it leads to.
var transitions = map[Action]struct {
	from []ApplicationState
	to   ApplicationState
}{
	ActionProcess:           {[]ApplicationState{StateNew, StatePool}, StateProcessing},
	ActionPostpone:          {[]ApplicationState{StateNew, StatePool, StateProcessing, StatePriorToHire}, StatePostponed},
	ActionAccept:            {[]ApplicationState{StateNew, StatePool, StateProcessing, StatePostponed, StatePriorToHire, StateObsolete, StateRefused, StateCancelled}, StateAccepted},
	ActionAddToPool:         {[]ApplicationState{StateNew, StateProcessing, StatePostponed, StateCancelled, StateObsolete}, StatePool},
	ActionPriorToHire:       {[]ApplicationState{StateNew, StatePool, StateProcessing, StatePostponed, StateObsolete, StateRefused, StateCancelled}, StatePriorToHire},
	ActionCancelPriorToHire: {[]ApplicationState{StatePriorToHire}, StateProcessing},
	ActionRefuse:            {[]ApplicationState{StateNew, StatePool, StateProcessing, StatePriorToHire, StatePostponed}, StateRefused},
	ActionCancel:            {[]ApplicationState{StateAccepted}, StateCancelled},
	ActionRenderObsolete:    {[]ApplicationState{StateNew, StatePool, StateProcessing, StatePostponed, StatePriorToHire}, StateObsolete},
	ActionReset:             {[]ApplicationState{StateObsolete}, StateNew},
}

// Transition returns the state an action leads to from a state, and
// whether the action applies.
func Transition(from ApplicationState, a Action) (ApplicationState, bool) {
	t, ok := transitions[a]
	if !ok || !slices.Contains(t.from, from) {
		return from, false
	}
	return t.to, true
}

// Pending reports whether an application still waits for the employer's
// decision: it becomes obsolete when the person is hired elsewhere.
func (s ApplicationState) Pending() bool {
	_, ok := Transition(s, ActionRenderObsolete)
	return ok
}

// Label is the French label of the state.
func (s ApplicationState) Label() string {
	for _, o := range StateOptions {
		if o.Code == string(s) {
			return o.Label
		}
	}
	return string(s)
}

// Actions lists the actions an employer may apply to an application in
// the state (the system's render_obsolete left out).
func Actions(s ApplicationState) []Action {
	var out []Action
	for _, a := range []Action{ActionProcess, ActionPriorToHire, ActionAccept, ActionPostpone, ActionAddToPool, ActionRefuse,
		ActionCancelPriorToHire, ActionCancel, ActionReset} {
		if _, ok := Transition(s, a); ok {
			out = append(out, a)
		}
	}
	return out
}

// ActionLabels are the French labels of the actions, as buttons say them.
var ActionLabels = map[Action]string{
	ActionProcess:           "Étudier la candidature",
	ActionPostpone:          "Mettre en attente",
	ActionAccept:            "Accepter : embauche",
	ActionAddToPool:         "Garder dans le vivier",
	ActionPriorToHire:       "Action préalable à l'embauche",
	ActionCancelPriorToHire: "Annuler l'action préalable",
	ActionRefuse:            "Décliner",
	ActionCancel:            "Annuler l'embauche",
	ActionRenderObsolete:    "Embauché ailleurs",
	ActionReset:             "Réouvrir",
}

// Limits of offers and employers.
const (
	MaxTitleLen       = 150
	MaxDescriptionLen = 5000
	MaxPositions      = 500
	MaxWeeklyHours    = 48
)

// ValidateOffer checks an offer with French messages per field: a ROME
// appellation of the referential, a title, a commune, a known contract and
// status, hours from 1 to 48 (an immersion may leave them at 0), positions
// from 1 to 500.
func ValidateOffer(ref *referential.Referential, o Offer) problem.Fields {
	var fs problem.Fields
	if _, ok := ref.Appellation(o.Appellation); !ok {
		fs.Add("appellation", "Choisissez un métier du répertoire ROME (code OGR de l'appellation).")
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(o.Title)); {
	case n == 0:
		fs.Add("title", "Donnez un intitulé à l'offre.")
	case n > MaxTitleLen:
		fs.Add("title", fmt.Sprintf("L'intitulé ne doit pas dépasser %d caractères.", MaxTitleLen))
	}
	if utf8.RuneCountInString(o.Description) > MaxDescriptionLen {
		fs.Add("description", fmt.Sprintf("La description ne doit pas dépasser %d caractères.", MaxDescriptionLen))
	}
	if _, ok := ref.Commune(o.CommuneINSEE); !ok {
		fs.Add("commune_insee", "Indiquez la commune du poste (code INSEE).")
	}
	if person.Label(labelsOf(ContractOptions), string(o.Contract)) == string(o.Contract) {
		fs.Add("contract", "Contrat attendu : cdi, cdd, interim, cddi, cdi_inclusion, apprentissage, professionnalisation ou pmsmp.")
	}
	if o.WeeklyHours < 0 || o.WeeklyHours > MaxWeeklyHours || o.WeeklyHours == 0 && !o.Immersion() {
		fs.Add("weekly_hours", fmt.Sprintf("Le nombre d'heures par semaine est compris entre 1 et %d.", MaxWeeklyHours))
	}
	if o.Positions < 1 || o.Positions > MaxPositions {
		fs.Add("positions", fmt.Sprintf("Le nombre de postes est compris entre 1 et %d.", MaxPositions))
	}
	if person.Label(labelsOf(OfferStatusOptions), string(o.Status)) == string(o.Status) {
		fs.Add("status", "Statut attendu : draft, open, filled ou closed.")
	}
	return fs
}

// ValidateEmployer checks an employer with French messages per field.
func ValidateEmployer(ref *referential.Referential, e Employer) problem.Fields {
	var fs problem.Fields
	if n := utf8.RuneCountInString(strings.TrimSpace(e.Name)); n < 2 || n > 150 {
		fs.Add("name", "Le nom de l'employeur compte de 2 à 150 caractères.")
	}
	if s := strings.ReplaceAll(e.SIRET, " ", ""); s != "" && (len(s) != 14 || strings.Trim(s, "0123456789") != "") {
		fs.Add("siret", "Le numéro SIRET compte 14 chiffres.")
	}
	if e.NAF != "" && !validNAF(e.NAF) {
		fs.Add("naf", "Code NAF attendu sous la forme 49.41A.")
	}
	if e.CommuneINSEE != "" {
		if _, ok := ref.Commune(e.CommuneINSEE); !ok {
			fs.Add("commune_insee", "Ce code commune INSEE n'existe pas.")
		}
	}
	if e.Size != "" && person.Label(labelsOf(SizeOptions), e.Size) == e.Size {
		fs.Add("size", "Tranche d'effectif inconnue.")
	}
	for i, l := range e.Labels {
		if person.Label(labelsOf(LabelOptions), l) == l {
			fs.Add(fmt.Sprintf("labels[%d]", i), "Label inconnu.")
		}
	}
	if e.ContactEmail != "" && !person.ValidEmail(strings.ToLower(e.ContactEmail)) {
		fs.Add("contact_email", "Adresse électronique invalide.")
	}
	return fs
}

// validNAF reports whether s is a NAF code: two digits, a dot, two digits
// and a letter.
func validNAF(s string) bool {
	if len(s) != 6 || s[2] != '.' {
		return false
	}
	for i, c := range s {
		switch {
		case i == 2:
		case i == 5:
			if c < 'A' || c > 'Z' {
				return false
			}
		case c < '0' || c > '9':
			return false
		}
	}
	return true
}

func labelsOf(opts []person.Option) map[string]string {
	m := make(map[string]string, len(opts))
	for _, o := range opts {
		m[o.Code] = o.Label
	}
	return m
}

// AutoRefuseDue reports whether a pending application waited too long
// without an update: new or processing, not updated for AutoRefuseDays.
func AutoRefuseDue(a Application, now time.Time) bool {
	return (a.State == StateNew || a.State == StateProcessing) && !a.UpdatedAt.After(now.AddDate(0, 0, -AutoRefuseDays))
}
