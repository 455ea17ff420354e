package person

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/referential"
)

// The plan (contrat d'engagement, L.262-35 CASF as amended by the law of 18
// December 2023 "pour le plein emploi"): objectives per theme, each answering
// situations of the diagnostic, and actions that carry them out, with the
// weekly hours of activity the contract plans.

// ObjectiveStatus is the state of an objective of the plan.
type ObjectiveStatus string

// The states of an objective, as the carnet de bord had them.
const (
	ObjectiveInProgress ObjectiveStatus = "in_progress"
	ObjectiveDone       ObjectiveStatus = "done"
	ObjectiveAbandoned  ObjectiveStatus = "abandoned"
)

// ObjectiveStatusOptions are the states of an objective with their labels.
var ObjectiveStatusOptions = []Option{
	{string(ObjectiveInProgress), "En cours"},
	{string(ObjectiveDone), "Atteint"},
	{string(ObjectiveAbandoned), "Abandonné"},
}

// ObjectiveStatuses maps each state of an objective to its label.
var ObjectiveStatuses = labels(ObjectiveStatusOptions)

// ActionStatus is the state of an action of the plan.
type ActionStatus string

// The states of an action (carnet de bord: planned, in_progress, standby,
// done, abandonned by the person, canceled by the structure).
const (
	ActionPlanned    ActionStatus = "planned"
	ActionInProgress ActionStatus = "in_progress"
	ActionStandby    ActionStatus = "standby"
	ActionDone       ActionStatus = "done"
	ActionAbandoned  ActionStatus = "abandoned"
	ActionCanceled   ActionStatus = "canceled"
)

// ActionStatusOptions are the states of an action with their labels.
var ActionStatusOptions = []Option{
	{string(ActionPlanned), "Prévue"},
	{string(ActionInProgress), "En cours"},
	{string(ActionStandby), "En attente"},
	{string(ActionDone), "Réalisée"},
	{string(ActionAbandoned), "Abandonnée par la personne"},
	{string(ActionCanceled), "Annulée par la structure"},
}

// ActionStatuses maps each state of an action to its label.
var ActionStatuses = labels(ActionStatusOptions)

// Active reports whether an action in this state counts in the week's
// activity: planned or in progress.
func (s ActionStatus) Active() bool { return s == ActionPlanned || s == ActionInProgress }

// Objective is an objective of the plan, under a diagnostic theme. Label
// is an objective of the referential. Situations are the diagnostic
// situations it answers (of any theme: a rural isolation in housing is
// answered by mobility).
type Objective struct {
	ID         int64
	PersonID   int64
	Theme      string
	Label      string
	Situations []referential.Situation
	Status     ObjectiveStatus
	Section    Section // derived: the sensitive section of its theme, if any
	CreatedBy  int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Actions    []Action
}

// Action is an action of an objective: a label of the referential or a
// free text, who carries it (a structure, a professional), when it is due,
// and how many hours a week it takes.
type Action struct {
	ID            int64
	ObjectiveID   int64
	PersonID      int64
	Label         string
	Status        ActionStatus
	DueOn         time.Time // a date, or zero
	StructureID   int64     // who carries it
	StructureName string
	AccountID     int64
	AccountName   string
	WeeklyHours   float64
	ServiceID     int64 // the service of the directory it calls on, if any
	Section       Section
	CreatedBy     int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Limits of the plan.
const (
	MaxActionLabel    = 300
	MaxWeeklyHours    = 35.0 // one action; a full-time week
	StandardHours     = 15.0 // the weekly activity of the contrat d'engagement
	MaxAdjustComment  = 1000
	MaxSignatories    = 500
	ContractMonthsDue = 1 // after the orientation decision (D.262-65-2 CASF)
)

// SectionOfObjective returns the sensitive section of an objective: that of
// its theme, or justice when its label speaks of a judicial matter.
func SectionOfObjective(theme, label string) Section { return SectionOf(theme, label) }

// ValidateObjective checks an objective: a theme of the referential, one of
// its objectives, and situations of that theme.
func ValidateObjective(ref *referential.Referential, o Objective) problem.Fields {
	var fs problem.Fields
	theme, ok := ref.Theme(o.Theme)
	switch {
	case strings.TrimSpace(o.Theme) == "":
		fs.Add("theme", "Choisissez un thème.")
	case !ok:
		fs.Add("theme", "Ce thème n'existe pas dans le référentiel.")
	case strings.TrimSpace(o.Label) == "":
		fs.Add("label", "Choisissez un objectif.")
	case !ref.IsObjective(o.Theme, o.Label):
		fs.Add("label", fmt.Sprintf("Cet objectif n'existe pas pour le thème « %s ».", theme.Label))
	}
	for i, s := range o.Situations {
		if !ref.IsSituation(s.ThemeCode, s.Label) {
			fs.Add(fmt.Sprintf("situations[%d]", i), "Cette situation n'existe pas dans le diagnostic.")
		}
	}
	if o.Status != "" && ObjectiveStatuses[string(o.Status)] == "" {
		fs.Add("status", "Statut attendu : in_progress, done ou abandoned.")
	}
	return fs
}

// ValidateAction checks an action: a label (of the referential or free),
// a known status, hours between 0 and MaxWeeklyHours in quarters of an hour.
func ValidateAction(a Action) problem.Fields {
	var fs problem.Fields
	switch n := utf8.RuneCountInString(strings.TrimSpace(a.Label)); {
	case n == 0:
		fs.Add("label", "Décrivez l'action ou choisissez-la dans la liste.")
	case n > MaxActionLabel:
		fs.Add("label", fmt.Sprintf("L'action ne doit pas dépasser %d caractères.", MaxActionLabel))
	}
	if ActionStatuses[string(a.Status)] == "" {
		fs.Add("status", "Statut attendu : planned, in_progress, standby, done, abandoned ou canceled.")
	}
	if a.WeeklyHours < 0 || a.WeeklyHours > MaxWeeklyHours || math.IsNaN(a.WeeklyHours) {
		fs.Add("weekly_hours", fmt.Sprintf("Le nombre d'heures par semaine est compris entre 0 et %g.", MaxWeeklyHours))
	} else if q := a.WeeklyHours * 4; q != math.Trunc(q) {
		fs.Add("weekly_hours", "Le nombre d'heures se compte par quarts d'heure (par exemple 2,5 ou 0,25).")
	}
	return fs
}

// WeeklyActivity is the weekly hours of the plan's active actions (planned
// or in progress).
func WeeklyActivity(objectives []Objective) float64 {
	var h float64
	for _, o := range objectives {
		for _, a := range o.Actions {
			if a.Status.Active() {
				h += a.WeeklyHours
			}
		}
	}
	return h
}

// AdjustReason is why a person's weekly activity is set below 15 hours, as
// the law allows (L.5411-6-1 Code du travail: health, disability, a single
// parent without childcare, or another particular difficulty).
type AdjustReason string

// The reasons of an adjustment.
const (
	AdjustHealth       AdjustReason = "health"
	AdjustDisability   AdjustReason = "disability"
	AdjustSingleParent AdjustReason = "single_parent"
	AdjustOther        AdjustReason = "other"
)

// AdjustReasonOptions are the reasons with their labels.
var AdjustReasonOptions = []Option{
	{string(AdjustHealth), "Raison de santé"},
	{string(AdjustDisability), "Situation de handicap"},
	{string(AdjustSingleParent), "Parent isolé sans solution de garde"},
	{string(AdjustOther), "Autre difficulté particulière (précisée)"},
}

// AdjustReasons maps each reason to its label.
var AdjustReasons = labels(AdjustReasonOptions)

// Section is where an adjustment reason is filed: health and disability
// are health data.
func (r AdjustReason) Section() Section {
	if r == AdjustHealth || r == AdjustDisability {
		return SectionHealth
	}
	return ""
}

// Contract is the contrat d'engagement of a person: the weekly hours it
// plans (15 unless adjusted with a reason), when it is due and when it was
// signed, by whom.
type Contract struct {
	PersonID      int64
	TargetHours   float64
	AdjustReason  AdjustReason
	AdjustComment string
	DueOn         time.Time // one month after the orientation decision
	SignedOn      time.Time
	Signatories   string // names and capacities, one per line
	UpdatedBy     int64
	UpdatedAt     time.Time
}

// Target returns the weekly hours the contract asks for: StandardHours
// unless adjusted.
func (c Contract) Target() float64 {
	if c.AdjustReason == "" {
		return StandardHours
	}
	return c.TargetHours
}

// Signed reports whether the contract was signed.
func (c Contract) Signed() bool { return !c.SignedOn.IsZero() }

// Validate checks the contract's settings: an adjusted target needs a
// reason (and a comment for "other"), lies between 0 and 15 hours; a
// signature needs a date not in the future and the signatories.
func (c Contract) Validate(now time.Time) problem.Fields {
	var fs problem.Fields
	if c.AdjustReason != "" {
		if AdjustReasons[string(c.AdjustReason)] == "" {
			fs.Add("adjust_reason", "Motif attendu : health, disability, single_parent ou other.")
		}
		if c.TargetHours < 0 || c.TargetHours >= StandardHours || math.IsNaN(c.TargetHours) {
			fs.Add("target_hours", "Une durée aménagée est comprise entre 0 et 15 heures (exclu).")
		}
		if c.AdjustReason == AdjustOther && strings.TrimSpace(c.AdjustComment) == "" {
			fs.Add("adjust_comment", "Précisez la difficulté qui justifie l'aménagement.")
		}
	}
	if utf8.RuneCountInString(c.AdjustComment) > MaxAdjustComment {
		fs.Add("adjust_comment", fmt.Sprintf("Le commentaire ne doit pas dépasser %d caractères.", MaxAdjustComment))
	}
	if c.Signed() {
		if afterToday(c.SignedOn, now) {
			fs.Add("signed_on", "La date de signature ne peut pas être dans le futur.")
		}
		if strings.TrimSpace(c.Signatories) == "" {
			fs.Add("signatories", "Indiquez qui a signé le contrat (la personne et le référent au moins).")
		}
	}
	if utf8.RuneCountInString(c.Signatories) > MaxSignatories {
		fs.Add("signatories", fmt.Sprintf("Les signataires ne doivent pas dépasser %d caractères.", MaxSignatories))
	}
	return fs
}
