// Package territory holds the consortium of a département: the territory and
// its structures (Conseil départemental, France Travail, Cap emploi, …).
package territory

import (
	"fmt"
	"strings"
	"time"
)

// Territory is one département running a SPIE consortium. The operator names
// are shown in the DSFR header block and are configuration, not code.
type Territory struct {
	ID              int64
	Code            string // département code, e.g. "90"
	Name            string // e.g. "Territoire de Belfort"
	OperatorState   string // State service shown in the header, e.g. "Préfecture du Territoire de Belfort"
	OperatorCouncil string // Département shown in the header, e.g. "Département du Territoire de Belfort"
	CreatedAt       time.Time
}

// Kind is the kind of a structure of the consortium.
type Kind string

// The structure kinds of DESIGN.md.
const (
	KindDepartement   Kind = "departement"
	KindFranceTravail Kind = "france_travail"
	KindCapEmploi     Kind = "cap_emploi"
	KindMissionLocale Kind = "mission_locale"
	KindCCAS          Kind = "ccas"
	KindAssociation   Kind = "association"
	KindSIAE          Kind = "siae"
	KindPLIE          Kind = "plie"
	KindRegion        Kind = "region"
	KindState         Kind = "state"
	KindEmployer      Kind = "employer"
)

// Kinds lists every structure kind, in the order pages show them.
var Kinds = []Kind{
	KindDepartement, KindFranceTravail, KindCapEmploi, KindMissionLocale, KindCCAS,
	KindAssociation, KindSIAE, KindPLIE, KindRegion, KindState, KindEmployer,
}

var kindLabels = map[Kind]string{
	KindDepartement:   "Conseil départemental",
	KindFranceTravail: "France Travail",
	KindCapEmploi:     "Cap emploi",
	KindMissionLocale: "Mission locale",
	KindCCAS:          "CCAS",
	KindAssociation:   "Association",
	KindSIAE:          "Structure d'insertion par l'activité économique",
	KindPLIE:          "PLIE",
	KindRegion:        "Région",
	KindState:         "Services de l'État",
	KindEmployer:      "Entreprise partenaire",
}

// Label is the French name of the kind.
func (k Kind) Label() string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return string(k)
}

// ParseKind validates a kind code.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.TrimSpace(s))
	if _, ok := kindLabels[k]; !ok {
		return "", fmt.Errorf("type de structure inconnu : %q", s)
	}
	return k, nil
}

// Structure is a member organisation of the consortium.
type Structure struct {
	ID           int64
	TerritoryID  int64
	Kind         Kind
	Name         string
	SIRET        string
	CommuneINSEE string
	Email        string
	Phone        string
	// Member is false for a structure of the directory only: it publishes
	// services and answers referrals, has no account, orients and
	// accompanies nobody.
	Member    bool
	CreatedAt time.Time
}
