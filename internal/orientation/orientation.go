// Package orientation holds the orientation of a person: the request made by
// a professional or an import, the coordinator's decision (type, structure,
// référent), reorientation requests, and the legal delays that follow from a
// request and a decision (rules.go). It imports neither the store nor the web.
package orientation

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/problem"
)

// Limits of the orientation forms, in characters.
const (
	MaxReasonLen     = 2000 // a request, decision or reorientation reason
	MinRefusalLen    = 5    // a refusal or denial must say why, in a few words at least
	MaxDispositifLen = 200  // the name of a local scheme
)

// maxReasonText is MaxReasonLen as the messages write it.
const maxReasonText = "2\u00a0000"

// Type is the kind of accompaniment a person is oriented to, as in the carnet
// de bord (fr_anchors §1.3).
type Type string

// The orientation types.
const (
	TypePro      Type = "pro"
	TypeSocioPro Type = "sociopro"
	TypeSocial   Type = "social"
)

// Types lists the orientation types in the order forms show them.
var Types = []Type{TypePro, TypeSocioPro, TypeSocial}

var typeLabels = map[Type]string{
	TypePro:      "Professionnelle",
	TypeSocioPro: "Socio-professionnelle",
	TypeSocial:   "Sociale",
}

// Label is the French name of the type, the code itself for a type recorded
// before the list changed.
func (t Type) Label() string {
	if l, ok := typeLabels[t]; ok {
		return l
	}
	return string(t)
}

// known reports whether t is one of Types.
func (t Type) known() bool {
	_, ok := typeLabels[t]
	return ok
}

// typeNames maps what a form or an import may send, lower-cased and without
// spaces, hyphens or underscores, to the type: the codes, the French labels
// in either gender, and the carnet de bord names ("Socio-pro").
var typeNames = map[string]Type{
	"pro":                  TypePro,
	"professionnel":        TypePro,
	"professionnelle":      TypePro,
	"sociopro":             TypeSocioPro,
	"socioprofessionnel":   TypeSocioPro,
	"socioprofessionnelle": TypeSocioPro,
	"social":               TypeSocial,
	"sociale":              TypeSocial,
}

// ParseType reads an orientation type from a form or an import file: a code,
// a French label or a carnet de bord name, in any case. An empty value is an
// error; a caller for which the type is optional checks for "" first.
func ParseType(s string) (Type, error) {
	key := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '_' || r == '\u00a0' {
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
	if key == "" {
		return "", problem.New(problem.Invalid, "Le type d'orientation est obligatoire.")
	}
	t, ok := typeNames[key]
	if !ok {
		return "", problem.New(problem.Invalid, fmt.Sprintf(
			"Type d'orientation inconnu : « %s » (attendu : professionnelle, socio-professionnelle ou sociale).", strings.TrimSpace(s)))
	}
	return t, nil
}

// Status is where an orientation request stands.
type Status string

// The request statuses: pending → accepted | refused.
const (
	StatusPending  Status = "pending"
	StatusAccepted Status = "accepted"
	StatusRefused  Status = "refused"
)

// Statuses lists the request statuses in the order filters show them.
var Statuses = []Status{StatusPending, StatusAccepted, StatusRefused}

var statusLabels = map[Status]string{
	StatusPending:  "À orienter",
	StatusAccepted: "Orientée",
	StatusRefused:  "Refusée",
}

// Label is the French name of the status.
func (s Status) Label() string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return string(s)
}

// Source is where an orientation request came from.
type Source string

// The request sources.
const (
	SourceProfessional  Source = "professional"
	SourceImport        Source = "import"
	SourceCAF           Source = "caf"
	SourceDepartement   Source = "departement"
	SourceFranceTravail Source = "france_travail"
)

// Sources lists the request sources in the order filters show them.
var Sources = []Source{SourceProfessional, SourceImport, SourceCAF, SourceDepartement, SourceFranceTravail}

var sourceLabels = map[Source]string{
	SourceProfessional:  "Demande d'un professionnel",
	SourceImport:        "Import de fichier",
	SourceCAF:           "CAF",
	SourceDepartement:   "Conseil départemental",
	SourceFranceTravail: "France Travail",
}

// Label is the French name of the source.
func (s Source) Label() string {
	if l, ok := sourceLabels[s]; ok {
		return l
	}
	return string(s)
}

// Request is a request to orient a person, and, once decided, the decision
// and the due dates it starts.
type Request struct {
	ID, PersonID, TerritoryID       int64
	SuggestedType                   Type
	Reason                          string
	Source                          Source
	RequestedBy, RequestedStructure int64 // account and structure; 0 for an import without an author
	RequestedAt                     time.Time
	DueOn                           time.Time // date (UTC midnight) by which the coordinator must decide
	Status                          Status
	DecidedAt                       time.Time
	DecidedBy                       int64
	Type                            Type   // decided type
	StructureID                     int64  // structure oriented to
	Dispositif                      string // local scheme of the territory, optional
	ReferentID                      int64  // account named référent; 0 = left to the structure manager
	RefusalReason                   string
	// Set on acceptance, as dates (UTC midnight): the contrat d'engagement,
	// the first appointment (legal delay) and the national target for it.
	ContractDueOn, AppointmentDueOn, AppointmentTargetOn time.Time
}

// Validate checks a new request and returns a French message per wrong
// field, named by its JSON name.
func (r *Request) Validate() problem.Fields {
	var fs problem.Fields
	if r.PersonID <= 0 {
		fs.Add("person_id", "Choisissez la personne à orienter.")
	}
	if r.SuggestedType != "" && !r.SuggestedType.known() {
		fs.Add("suggested_type", "Le type d'orientation proposé doit être professionnel, socio-professionnel ou social.")
	}
	if tooLong(r.Reason) {
		fs.Add("reason", "Le motif ne doit pas dépasser "+maxReasonText+" caractères.")
	}
	if _, ok := sourceLabels[r.Source]; !ok {
		fs.Add("source", "L'origine de la demande est inconnue.")
	}
	return fs
}

// Decision is a coordinator's answer to a request.
type Decision struct {
	Outcome     Status // StatusAccepted or StatusRefused
	Type        Type
	StructureID int64
	Dispositif  string
	ReferentID  int64
	Reason      string // required on refusal
}

// Validate checks a decision and returns a French message per wrong field,
// named by its JSON name. The référent is given by email in the API and
// resolved by the caller, who reports "referent_email" itself.
func (d Decision) Validate() problem.Fields {
	var fs problem.Fields
	switch d.Outcome {
	case StatusAccepted:
		switch {
		case d.Type == "":
			fs.Add("type", "Choisissez le type d'orientation.")
		case !d.Type.known():
			fs.Add("type", "Le type d'orientation doit être professionnel, socio-professionnel ou social.")
		}
		if d.StructureID <= 0 {
			fs.Add("structure_id", "Choisissez la structure vers laquelle orienter la personne.")
		}
		if utf8.RuneCountInString(strings.TrimSpace(d.Dispositif)) > MaxDispositifLen {
			fs.Add("dispositif", fmt.Sprintf("Le nom du dispositif ne doit pas dépasser %d caractères.", MaxDispositifLen))
		}
	case StatusRefused:
		if utf8.RuneCountInString(strings.TrimSpace(d.Reason)) < MinRefusalLen {
			fs.Add("reason", fmt.Sprintf("Indiquez le motif du refus (au moins %d caractères).", MinRefusalLen))
		}
	default:
		fs.Add("outcome", "Choisissez d'accepter ou de refuser la demande.")
	}
	if tooLong(d.Reason) {
		fs.Add("reason", "Le motif ne doit pas dépasser "+maxReasonText+" caractères.")
	}
	return fs
}

// tooLong reports whether a reason, trimmed, is over MaxReasonLen characters.
func tooLong(s string) bool {
	return utf8.RuneCountInString(strings.TrimSpace(s)) > MaxReasonLen
}

// Explain is the timeline's sentence for the request: what was decided, to
// which structure and référent, when (date in Europe/Paris) and why. It holds
// nothing beyond the names given and the reason typed: for an accepted
// orientation, the request's reason; for a refusal, the refusal reason.
// structureName and referentName are resolved by the caller; an empty
// referentName with no référent named says the structure will name one.
func (r Request) Explain(structureName, referentName string) string {
	var b strings.Builder
	var reason string
	switch r.Status {
	case StatusAccepted:
		b.WriteString("Orientation")
		if r.Type != "" {
			b.WriteString(" " + strings.ToLower(r.Type.Label()))
		}
		if structureName = strings.TrimSpace(structureName); structureName != "" {
			b.WriteString(" vers " + structureName)
		}
		var details []string
		if dispositif := strings.TrimSpace(r.Dispositif); dispositif != "" {
			details = append(details, "dispositif : "+dispositif)
		}
		if referentName = strings.TrimSpace(referentName); referentName != "" {
			details = append(details, "référent : "+referentName)
		} else if r.ReferentID == 0 {
			details = append(details, "référent à désigner par la structure")
		}
		if len(details) > 0 {
			b.WriteString(" (" + strings.Join(details, " ; ") + ")")
		}
		if !r.DecidedAt.IsZero() {
			b.WriteString(", décidée le " + r.DecidedAt.In(paris).Format("02/01/2006"))
		}
		reason = r.Reason
	case StatusRefused:
		b.WriteString("Demande d'orientation refusée")
		reason = r.RefusalReason
	default:
		b.WriteString("Demande d'orientation")
		if r.SuggestedType != "" {
			b.WriteString(" " + strings.ToLower(r.SuggestedType.Label()))
		}
		if r.DueOn.IsZero() {
			b.WriteString(" en attente de décision")
		} else {
			b.WriteString(" à décider au plus tard le " + r.DueOn.Format("02/01/2006"))
		}
		reason = r.Reason
	}
	if reason = strings.Join(strings.Fields(reason), " "); reason != "" {
		b.WriteString(" : " + reason)
	}
	s := b.String()
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "!") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "…") {
		s += "."
	}
	return s
}

// ReorientationStatus is where a reorientation request stands.
type ReorientationStatus string

// The reorientation statuses: pending → accepted | denied.
const (
	ReorientationPending  ReorientationStatus = "pending"
	ReorientationAccepted ReorientationStatus = "accepted"
	ReorientationDenied   ReorientationStatus = "denied"
)

var reorientationLabels = map[ReorientationStatus]string{
	ReorientationPending:  "En attente",
	ReorientationAccepted: "Acceptée",
	ReorientationDenied:   "Refusée",
}

// Label is the French name of the status.
func (s ReorientationStatus) Label() string {
	if l, ok := reorientationLabels[s]; ok {
		return l
	}
	return string(s)
}

// Reorientation is a référent's request to change a person's orientation.
// Accepting it does not orient the person: the coordinator then decides a
// new orientation, with its own due dates.
type Reorientation struct {
	ID, PersonID, OrientationID int64
	RequestedBy, FromStructure  int64
	ToType                      Type
	ToStructure                 int64 // wished structure, optional
	Reason                      string
	Status                      ReorientationStatus
	RequestedAt, DecidedAt      time.Time
	DecidedBy                   int64
	DenialReason                string
}

// Validate checks a new reorientation request and returns a French message
// per wrong field, named by its JSON name.
func (r *Reorientation) Validate() problem.Fields {
	var fs problem.Fields
	if r.PersonID <= 0 {
		fs.Add("person_id", "Choisissez la personne à réorienter.")
	}
	switch {
	case r.ToType == "":
		fs.Add("to_type", "Choisissez le type d'orientation souhaité.")
	case !r.ToType.known():
		fs.Add("to_type", "Le type d'orientation souhaité doit être professionnel, socio-professionnel ou social.")
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(r.Reason)); {
	case n < MinRefusalLen:
		fs.Add("reason", fmt.Sprintf("Indiquez le motif de la réorientation (au moins %d caractères).", MinRefusalLen))
	case n > MaxReasonLen:
		fs.Add("reason", "Le motif ne doit pas dépasser "+maxReasonText+" caractères.")
	}
	return fs
}

// Accept records that the coordinator accepts the reorientation; an error of
// kind Conflict when it was already decided.
func (r *Reorientation) Accept(by int64, at time.Time) error {
	if err := r.decidable(); err != nil {
		return err
	}
	r.Status, r.DecidedBy, r.DecidedAt, r.DenialReason = ReorientationAccepted, by, at, ""
	return nil
}

// Deny records that the coordinator denies the reorientation, for a reason
// the référent will read; an error of kind Conflict when it was already
// decided, Invalid (field "reason") when the reason is missing or too long.
func (r *Reorientation) Deny(reason string, by int64, at time.Time) error {
	if err := r.decidable(); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	var fs problem.Fields
	switch n := utf8.RuneCountInString(reason); {
	case n < MinRefusalLen:
		fs.Add("reason", fmt.Sprintf("Indiquez le motif du refus (au moins %d caractères).", MinRefusalLen))
	case n > MaxReasonLen:
		fs.Add("reason", "Le motif ne doit pas dépasser "+maxReasonText+" caractères.")
	}
	if err := fs.Err(); err != nil {
		return err
	}
	r.Status, r.DecidedBy, r.DecidedAt, r.DenialReason = ReorientationDenied, by, at, reason
	return nil
}

func (r *Reorientation) decidable() error {
	if r.Status != ReorientationPending {
		return problem.New(problem.Conflict, "Cette demande de réorientation a déjà été traitée.")
	}
	return nil
}
