package demo

import (
	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/territory"
)

// Password is the one password of every demo account. It is printed by
// "parcours demo" and must never exist outside the demo territory.
const Password = "Belfort-demo-SPIE-2026" // #nosec G101 -- the published password of the fictional demo accounts only

// TerritoryCode is the demo territory's département.
const TerritoryCode = "90"

// Territory is the demo Territoire de Belfort.
var Territory = territory.Territory{
	Code:            TerritoryCode,
	Name:            "Territoire de Belfort",
	OperatorState:   "Préfecture du Territoire de Belfort",
	OperatorCouncil: "Département du Territoire de Belfort",
}

// Structures are the demo consortium: the real kinds of the SPIE of the 90.
// Public institutions keep their usual names; the associations, the SIAE
// and the employers are invented.
var Structures = []territory.Structure{
	{Kind: territory.KindDepartement, Name: "Conseil départemental du Territoire de Belfort", CommuneINSEE: "90010"},
	{Kind: territory.KindFranceTravail, Name: "France Travail Belfort", CommuneINSEE: "90010"},
	{Kind: territory.KindCapEmploi, Name: "Cap emploi 90", CommuneINSEE: "90010"},
	{Kind: territory.KindMissionLocale, Name: "Mission locale du Territoire de Belfort", CommuneINSEE: "90010"},
	{Kind: territory.KindCCAS, Name: "CCAS de Belfort", CommuneINSEE: "90010"},
	{Kind: territory.KindAssociation, Name: "Association Entraide Savoureuse (fictive)", CommuneINSEE: "90010"},
	{Kind: territory.KindAssociation, Name: "Association Mobilité Lion (fictive)", CommuneINSEE: "90099"},
	{Kind: territory.KindSIAE, Name: "Chantier d'insertion Les Jardins de la Miotte (fictif)", CommuneINSEE: "90010"},
	{Kind: territory.KindEmployer, Name: "Logistique du Nord Franche-Comté (entreprise fictive)", CommuneINSEE: "90010"},
	{Kind: territory.KindEmployer, Name: "Ateliers mécaniques de la Savoureuse (entreprise fictive)", CommuneINSEE: "90033"},
}

// Member is a demo account and its place in a structure.
type Member struct {
	Email, FirstName, LastName string
	Structure                  string // the name of one of Structures
	Roles                      []account.Role
}

// Members are the fixed demo accounts that the README and the tests use.
var Members = []Member{
	{"admin@parcours.example", "Claire", "Administratrice", Structures[0].Name, []account.Role{account.RoleTerritoryAdmin}},
	{"coordination@cd90.example", "Karim", "Coordinateur", Structures[0].Name, []account.Role{account.RoleCoordinator}},
	{"referent@cd90.example", "Sophie", "Référente", Structures[0].Name, []account.Role{account.RoleProfessional}},
	{"conseiller@francetravail.example", "Julien", "Conseiller", Structures[1].Name, []account.Role{account.RoleProfessional}},
	{"conseiller@missionlocale.example", "Inès", "Conseillère", Structures[3].Name, []account.Role{account.RoleProfessional}},
	{"conseiller@capemploi.example", "Marc", "Conseiller", Structures[2].Name, []account.Role{account.RoleProfessional}},
	{"travailleur.social@ccas-belfort.example", "Awa", "Travailleuse-Sociale", Structures[4].Name, []account.Role{account.RoleProfessional}},
	{"accompagnant@association.example", "Thomas", "Accompagnant", Structures[5].Name, []account.Role{account.RoleProfessional}},
	{"direction@ccas-belfort.example", "Nathalie", "Directrice", Structures[4].Name, []account.Role{account.RoleStructureManager}},
	{"recrutement@entreprise.example", "Laura", "Recruteuse", Structures[8].Name, []account.Role{account.RoleEmployerContact}},
}
