package directory

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/problem"
)

// ReferralStatus is the state of a referral (adressage) to a service.
type ReferralStatus string

// The states of a referral: sent, then accepted, refused or expired (with
// no answer after ExpiryDays); an accepted referral is done once the
// service was given. The sender may cancel it while it is open.
const (
	ReferralSent      ReferralStatus = "sent"
	ReferralAccepted  ReferralStatus = "accepted"
	ReferralRefused   ReferralStatus = "refused"
	ReferralExpired   ReferralStatus = "expired"
	ReferralDone      ReferralStatus = "done"
	ReferralCancelled ReferralStatus = "cancelled"
)

// ReferralStatusOptions are the states with their French labels.
var ReferralStatusOptions = []person.Option{
	{Code: string(ReferralSent), Label: "Envoyé, en attente de réponse"},
	{Code: string(ReferralAccepted), Label: "Accepté"},
	{Code: string(ReferralRefused), Label: "Refusé"},
	{Code: string(ReferralExpired), Label: "Expiré sans réponse"},
	{Code: string(ReferralDone), Label: "Réalisé"},
	{Code: string(ReferralCancelled), Label: "Annulé"},
}

// Label is the French label of the state.
func (s ReferralStatus) Label() string {
	for _, o := range ReferralStatusOptions {
		if o.Code == string(s) {
			return o.Label
		}
	}
	return string(s)
}

// Open reports whether the referral still waits for an answer.
func (s ReferralStatus) Open() bool { return s == ReferralSent }

// The delays of a referral, as DORA and Les emplois set them.
const (
	ExpiryDays   = 30                 // an unanswered referral expires
	ReminderDays = 10                 // the receiving structure is reminded once
	LinkTTL      = 8 * 24 * time.Hour // a single-use answer link stays valid
)

// RefusalReasonOptions are the reasons a structure gives when it refuses.
var RefusalReasonOptions = []person.Option{
	{Code: "conditions", Label: "La personne ne remplit pas les conditions d'accès"},
	{Code: "complet", Label: "Le service est complet pour le moment"},
	{Code: "hors_zone", Label: "La personne habite hors de la zone du service"},
	{Code: "injoignable", Label: "La personne n'a pas pu être jointe"},
	{Code: "decline", Label: "La personne a décliné la proposition"},
	{Code: "autre_service", Label: "Un autre service répond mieux au besoin"},
	{Code: "autre", Label: "Autre motif (précisé)"},
}

// RefusalLabel returns the French label of a refusal reason.
func RefusalLabel(code string) string {
	for _, o := range RefusalReasonOptions {
		if o.Code == code {
			return o.Label
		}
	}
	return code
}

// MaxMotiveLen is the longest motive of a referral or comment of an answer.
const MaxMotiveLen = 2000

// Referral is the referral of a person to a service, from an action of
// their plan.
type Referral struct {
	ID          int64
	PersonID    int64
	TerritoryID int64
	ActionID    int64
	ServiceID   int64
	StructureID int64 // the service's structure, which answers

	SenderID          int64 // account
	SenderStructureID int64
	Motive            string // what the service needs to know, written for it: no diagnostic
	NotifyPerson      bool   // the person asked to be told of each change
	Section           person.Section

	Status        ReferralStatus
	RefusalReason string
	Comment       string // the answer's comment
	SentAt        time.Time
	RemindedAt    time.Time
	AnsweredAt    time.Time
	AnsweredBy    int64 // account; 0 when answered through the link
	ClosedAt      time.Time
	ClosedBy      int64

	// Read with the referral, for pages.
	ServiceName, StructureName, SenderName, SenderStructure, SenderEmail string
	PersonFirstName, PersonLastName                                      string
}

// ExpiresAt is when an unanswered referral expires.
func (r Referral) ExpiresAt() time.Time { return r.SentAt.AddDate(0, 0, ExpiryDays) }

// RemindAt is when the structure is reminded of an unanswered referral.
func (r Referral) RemindAt() time.Time { return r.SentAt.AddDate(0, 0, ReminderDays) }

// ValidateMotive checks the motive the sender writes for the service.
func ValidateMotive(motive string, consent bool) problem.Fields {
	var fs problem.Fields
	switch n := utf8.RuneCountInString(strings.TrimSpace(motive)); {
	case n == 0:
		fs.Add("motive", "Dites en quelques mots au service ce que la personne attend de lui.")
	case n > MaxMotiveLen:
		fs.Add("motive", fmt.Sprintf("Le message ne doit pas dépasser %d caractères.", MaxMotiveLen))
	}
	if !consent {
		fs.Add("consent", "La personne doit avoir accepté que ses coordonnées soient transmises à ce service.")
	}
	return fs
}

// Answer is a decision of the receiving structure.
type Answer struct {
	Accept  bool
	Reason  string // refusal reason code
	Comment string
}

// Validate checks an answer.
func (a Answer) Validate() problem.Fields {
	var fs problem.Fields
	if !a.Accept {
		if RefusalLabel(a.Reason) == a.Reason {
			fs.Add("reason", "Choisissez le motif du refus.")
		} else if a.Reason == "autre" && strings.TrimSpace(a.Comment) == "" {
			fs.Add("comment", "Précisez le motif du refus.")
		}
	}
	if utf8.RuneCountInString(a.Comment) > MaxMotiveLen {
		fs.Add("comment", fmt.Sprintf("Le commentaire ne doit pas dépasser %d caractères.", MaxMotiveLen))
	}
	return fs
}

// Transition tells whether a referral in state from may move to state to:
// an open referral is answered (accepted, refused), expires or is
// cancelled; an accepted one is done or cancelled.
func Transition(from, to ReferralStatus) bool {
	switch from {
	case ReferralSent:
		return to == ReferralAccepted || to == ReferralRefused || to == ReferralExpired || to == ReferralCancelled
	case ReferralAccepted:
		return to == ReferralDone || to == ReferralCancelled
	}
	return false
}

// Delay is the average response delay of a service's answered referrals, in
// days, and how many were answered.
type Delay struct {
	Days     float64
	Answered int
}

// String writes the delay for a page: "3,5 jours (12 réponses)".
func (d Delay) String() string {
	if d.Answered == 0 {
		return "Pas encore de réponse"
	}
	days := strings.Replace(fmt.Sprintf("%.1f", d.Days), ".", ",", 1)
	days = strings.TrimSuffix(days, ",0")
	unit, answers := "jours", "réponses"
	if d.Days < 2 {
		unit = "jour"
	}
	if d.Answered == 1 {
		answers = "réponse"
	}
	return fmt.Sprintf("%s %s en moyenne (%d %s)", days, unit, d.Answered, answers)
}
