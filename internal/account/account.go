// Package account holds professional accounts, their memberships and roles,
// and the credentials that sign them in: passwords and TOTP second factors.
package account

import (
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/territory"
)

// Role is what a member may do within a structure.
type Role string

// The roles of DESIGN.md.
const (
	RoleProfessional     Role = "professional"
	RoleCoordinator      Role = "coordinator"
	RoleStructureManager Role = "structure_manager"
	RoleTerritoryAdmin   Role = "territory_admin"
	RoleEmployerContact  Role = "employer_contact"
)

// Roles lists every role.
var Roles = []Role{RoleProfessional, RoleCoordinator, RoleStructureManager, RoleTerritoryAdmin, RoleEmployerContact}

var roleLabels = map[Role]string{
	RoleProfessional:     "Professionnel",
	RoleCoordinator:      "Chargé d'orientation",
	RoleStructureManager: "Gestionnaire de structure",
	RoleTerritoryAdmin:   "Administrateur du territoire",
	RoleEmployerContact:  "Contact entreprise",
}

// Label is the French name of the role.
func (r Role) Label() string {
	if l, ok := roleLabels[r]; ok {
		return l
	}
	return string(r)
}

// ParseRole validates a role code.
func ParseRole(s string) (Role, error) {
	r := Role(strings.TrimSpace(s))
	if _, ok := roleLabels[r]; !ok {
		return "", fmt.Errorf("rôle inconnu : %q (attendu : professional, coordinator, structure_manager, territory_admin ou employer_contact)", s)
	}
	return r, nil
}

// Account is a person who signs in: a professional, a coordinator, an
// administrator or an employer contact.
type Account struct {
	ID           int64
	Email        string
	FirstName    string
	LastName     string
	PasswordHash string
	TOTPSecret   string // base32; empty until enrolment starts
	TOTPEnabled  bool   // true once a code from the secret was confirmed
	LastTOTPStep int64  // the last accepted TOTP time step, refused if seen again
	FailedLogins int
	LockedUntil  time.Time
	DisabledAt   time.Time
	CreatedAt    time.Time
	Memberships  []Membership
}

// Disabled reports whether the account was disabled.
func (a *Account) Disabled() bool { return !a.DisabledAt.IsZero() }

// Name is the display name.
func (a *Account) Name() string { return strings.TrimSpace(a.FirstName + " " + a.LastName) }

// Membership is an account's place in a structure, with one role.
type Membership struct {
	AccountID     int64
	StructureID   int64
	StructureName string
	StructureKind territory.Kind
	TerritoryID   int64
	Role          Role
}

// HasRole reports whether any membership carries the role.
func (a *Account) HasRole(r Role) bool {
	for _, m := range a.Memberships {
		if m.Role == r {
			return true
		}
	}
	return false
}

// NormalizeEmail lower-cases and validates an address.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", fmt.Errorf("L'adresse électronique est obligatoire.")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return "", fmt.Errorf("L'adresse électronique %q n'est pas valide.", s)
	}
	return s, nil
}
