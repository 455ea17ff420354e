package demo

import (
	"slices"
	"strings"

	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/territory"
)

// The demo directory: the structures that publish services in the demo
// territory and the services themselves, in the data·inclusion schema v1.
// The communes are real; everything else is invented. The structures of the
// directory only carry "(fictif)" or "(fictive)" in their name, every
// description ends with fictionSuffix, the e-mail addresses and web sites
// are under the reserved .example domain (RFC 2606) and the phone numbers
// in the ranges ARCEP reserves for fiction: 03 53 01 xx xx for the
// north-east fixed lines, 06 39 98 xx xx for mobiles.

// fictionSuffix ends every description of the demo directory.
const fictionSuffix = "Service fictif de démonstration."

// INSEE codes of the communes of the Territoire de Belfort the directory
// uses, as the referential spells them (a test checks each one).
const (
	atBelfort      = "90010"
	atDelle        = "90033"
	atBeaucourt    = "90009"
	atValdoie      = "90099"
	atOffemont     = "90075"
	atBavilliers   = "90008"
	atDanjoutin    = "90032"
	atGiromagny    = "90052"
	atRougemont    = "90089"
	atGrandvillars = "90053"
	atChatenois    = "90022"
	atLepuix       = "90065"
	atEssert       = "90039"
	atBourogne     = "90017"
	atEtueffont    = "90041"
	atRougegoutte  = "90088"
	atAuxellesBas  = "90005"
	atJoncherey    = "90056"
	atMorvillars   = "90072"
	atCravanche    = "90029"
)

// DirStructure is a structure of the demo directory: a member of the
// consortium (Member, its name one of Structures: only its directory
// fields are set) or a structure of the directory only, which has no
// account and answers referrals through the single-use link sent to its
// e-mail address.
type DirStructure struct {
	Name         string
	Kind         territory.Kind
	Member       bool
	Description  string
	CommuneINSEE string
	Address      string
	Phone        string
	Email        string
	Website      string
	OpeningHours string
	Networks     []string // data·inclusion reseaux_porteurs codes
}

// Directory returns the structure as the directory describes it, without
// territory nor ID.
func (d DirStructure) Directory() directory.Structure {
	return directory.Structure{Kind: string(d.Kind), Member: d.Member, Name: d.Name, Description: d.Description,
		CommuneINSEE: d.CommuneINSEE, Address: d.Address, Phone: d.Phone, Email: d.Email, Website: d.Website,
		OpeningHours: d.OpeningHours, Networks: slices.Clone(d.Networks)}
}

// Opening hours in the OpenStreetMap opening_hours syntax.
const (
	hoursOffice  = "Mo-Fr 09:00-12:00,14:00-17:00"
	hoursMorning = "Mo-Fr 08:30-12:00"
	hoursCreche  = "Mo-Fr 07:30-18:30; PH off"
	hoursShop    = "Tu-Sa 09:30-12:00,14:00-18:00"
	hoursAssoc   = "Mo-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00"
	hoursPublic  = "Mo-Fr 08:30-12:00,13:30-17:00; PH off"
)

// DirectoryStructures are the publishers of the demo directory: the
// consortium members first, then about forty structures of the directory
// only. About one in eight of those gives no e-mail address (a small
// association reached by phone), so that a referral cannot reach it.
var DirectoryStructures = []DirStructure{
	// The consortium (territory.go).
	{Name: Structures[0].Name, Kind: Structures[0].Kind, Member: true, CommuneINSEE: atBelfort,
		Description: "Le Département pilote le RSA, l'action sociale et l'insertion : accompagnement social, aides financières, protection maternelle et infantile.",
		Address:     "1 place de la Mairie", Phone: "03 53 01 00 10", Email: "insertion@cd90.example", Website: "https://www.cd90.example",
		OpeningHours: hoursPublic, Networks: []string{"departements"}},
	{Name: Structures[1].Name, Kind: Structures[1].Kind, Member: true, CommuneINSEE: atBelfort,
		Description: "Agence France Travail de Belfort : inscription, indemnisation, accompagnement vers l'emploi et la formation.",
		Address:     "12 avenue de la Liberté", Phone: "03 53 01 00 20", Email: "agence.belfort@francetravail.example",
		OpeningHours: "Mo-We 08:30-16:30; Th 08:30-12:30; Fr 08:30-15:30", Networks: []string{"france-travail"}},
	{Name: Structures[2].Name, Kind: Structures[2].Kind, Member: true, CommuneINSEE: atBelfort,
		Description: "Cap emploi accompagne vers l'emploi et dans l'emploi les personnes en situation de handicap et leurs employeurs.",
		Address:     "4 rue des Tisserands", Phone: "03 53 01 00 30", Email: "contact@capemploi.example",
		OpeningHours: hoursOffice, Networks: []string{"cap-emploi-reseau-cheops"}},
	{Name: Structures[3].Name, Kind: Structures[3].Kind, Member: true, CommuneINSEE: atBelfort,
		Description: "La Mission locale accompagne les jeunes de 16 à 25 ans : emploi, formation, logement, santé, mobilité.",
		Address:     "9 rue de la Gare", Phone: "03 53 01 00 40", Email: "accueil@missionlocale.example",
		OpeningHours: "Mo-Fr 08:30-12:00,13:30-17:30", Networks: []string{"mission-locale"}},
	{Name: Structures[4].Name, Kind: Structures[4].Kind, Member: true, CommuneINSEE: atBelfort,
		Description: "Le centre communal d'action sociale de Belfort : aides facultatives, domiciliation, aide alimentaire, accès aux droits.",
		Address:     "3 place du Marché", Phone: "03 53 01 00 50", Email: "accueil@ccas-belfort.example",
		OpeningHours: hoursPublic, Networks: []string{"ccas-cias"}},
	{Name: Structures[5].Name, Kind: Structures[5].Kind, Member: true, CommuneINSEE: atBelfort,
		Description: "Association d'accompagnement socioprofessionnel : ateliers, accompagnement renforcé, lien social.",
		Address:     "27 rue des Artisans", Phone: "03 53 01 00 60", Email: "contact@entraide-savoureuse.example",
		OpeningHours: hoursAssoc},
	{Name: Structures[6].Name, Kind: Structures[6].Kind, Member: true, CommuneINSEE: atValdoie,
		Description: "Plateforme de mobilité : conseil en mobilité, location de deux-roues, microcrédit véhicule.",
		Address:     "5 rue du Canal", Phone: "03 53 01 00 70", Email: "contact@mobilite-lion.example",
		OpeningHours: hoursOffice, Networks: []string{"mobin"}},
	{Name: Structures[7].Name, Kind: Structures[7].Kind, Member: true, CommuneINSEE: atBelfort,
		Description: "Atelier et chantier d'insertion en maraîchage biologique et entretien d'espaces verts.",
		Address:     "chemin des Vignes", Phone: "03 53 01 00 80", Email: "contact@jardins-miotte.example",
		OpeningHours: "Mo-Fr 08:00-12:00,13:00-16:00", Networks: []string{"aci"}},
	{Name: Structures[8].Name, Kind: Structures[8].Kind, Member: true, CommuneINSEE: atBelfort,
		Description: "Entreprise de logistique partenaire : recrutements de préparateurs de commandes et caristes.",
		Address:     "18 boulevard des Étangs", Phone: "03 53 01 00 90", Email: "recrutement@logistique-nfc.example"},
	{Name: Structures[9].Name, Kind: Structures[9].Kind, Member: true, CommuneINSEE: atDelle,
		Description: "Entreprise de mécanique de précision partenaire : immersions et recrutements en usinage.",
		Address:     "2 rue de la Forge", Phone: "03 53 01 01 00", Email: "rh@ateliers-savoureuse.example"},

	// Mobility.
	{Name: "Garage solidaire du Lion (fictif)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Garage associatif : réparation à prix solidaire, vente et location de véhicules pour l'emploi.",
		Address:     "40 rue du Moulin", Phone: "03 53 01 10 10", Email: "contact@garage-solidaire-lion.example",
		Website: "https://www.garage-solidaire-lion.example", OpeningHours: "Mo-Fr 08:00-12:00,13:30-18:00"},
	{Name: "Garage solidaire des Trois Frontières (fictif)", Kind: territory.KindSIAE, CommuneINSEE: atDelle,
		Description: "Garage d'insertion du sud du Territoire : entretien, réparation et atelier d'auto-réparation.",
		Address:     "7 rue des Prés", Phone: "03 53 01 10 20", Email: "garage@trois-frontieres.example",
		OpeningHours: "Mo-Fr 08:00-12:00,13:30-17:30", Networks: []string{"aci"}},
	{Name: "Auto-école sociale Savoureuse Conduite (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Auto-école associative pour les personnes en insertion : code, conduite, permis AM.",
		Address:     "15 rue des Écoles", Phone: "03 53 01 10 30", Email: "inscriptions@savoureuse-conduite.example",
		OpeningHours: "Mo-Fr 09:00-12:00,14:00-19:00; Sa 09:00-12:00"},
	{Name: "Roulons Ensemble 90 (association fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBavilliers,
		Description: "Location de scooters et de vélos électriques, covoiturage solidaire.",
		Address:     "22 avenue des Sports", Phone: "03 53 01 10 40", Email: "location@roulons-ensemble.example",
		OpeningHours: "Mo-Fr 08:00-12:00,14:00-18:00"},
	{Name: "Navette solidaire du Pays sous-vosgien (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atGiromagny,
		Description: "Transport à la demande et chauffeurs bénévoles pour les villages du nord du Territoire.",
		Address:     "3 place des Tilleuls", Phone: "06 39 98 10 50", OpeningHours: "Mo-Fr 08:00-12:00"},

	// Childcare and family.
	{Name: "Crèche À Petits Pas vers l'Emploi (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Crèche à vocation d'insertion professionnelle : des places pour les enfants de parents en recherche d'emploi ou en formation.",
		Address:     "11 rue des Mésanges", Phone: "03 53 01 11 10", Email: "direction@petits-pas-emploi.example",
		OpeningHours: hoursCreche, Networks: []string{"creches-avip"}},
	{Name: "Halte-garderie Les Petits Lutins (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atOffemont,
		Description: "Halte-garderie associative d'Offemont : accueil occasionnel des enfants de 3 mois à 4 ans.",
		Address:     "6 allée des Pinsons", Phone: "03 53 01 11 20", Email: "petits-lutins@halte-garderie.example",
		OpeningHours: "Mo-Fr 08:30-12:00,13:30-17:30"},
	{Name: "Halte-garderie Les P'tits Loups (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atValdoie,
		Description: "Halte-garderie de Valdoie : accueil occasionnel et d'urgence.",
		Address:     "2 rue des Cerisiers", Phone: "03 53 01 11 30", OpeningHours: "Mo-Fr 08:30-17:30"},
	{Name: "Multi-accueil Les Coccinelles (fictif)", Kind: territory.KindAssociation, CommuneINSEE: atBeaucourt,
		Description: "Multi-accueil de Beaucourt, avec des places en horaires décalés pour les parents qui travaillent en équipe.",
		Address:     "14 rue des Tilleuls", Phone: "03 53 01 11 40", Email: "coccinelles@multi-accueil.example",
		OpeningHours: "Mo-Fr 05:30-21:00; PH off"},
	{Name: "Relais petite enfance du Pays sous-vosgien (fictif)", Kind: territory.KindAssociation, CommuneINSEE: atGiromagny,
		Description: "Relais petite enfance : information des parents sur les modes de garde, mise en relation avec les assistantes maternelles.",
		Address:     "8 rue de l'Église", Phone: "03 53 01 11 50", Email: "rpe@pays-sous-vosgien.example",
		OpeningHours: "Mo,Tu,Th 09:00-12:00,13:30-17:00"},
	{Name: "Relais petite enfance Sud Territoire (fictif)", Kind: territory.KindAssociation, CommuneINSEE: atDelle,
		Description: "Relais petite enfance du sud du Territoire : modes de garde, assistantes maternelles, ateliers d'éveil.",
		Address:     "19 rue des Jardins", Phone: "03 53 01 11 60", Email: "rpe@sud-territoire.example",
		OpeningHours: "Tu,Th,Fr 09:00-12:00,14:00-17:00"},
	{Name: "Association Médiation Familiale Savoureuse (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Médiation familiale et espace de rencontre parents-enfants.",
		Address:     "31 rue des Roses", Phone: "03 53 01 11 70", Email: "mediation@savoureuse-famille.example",
		OpeningHours: hoursOffice},
	{Name: "Association Aidants 90 (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atDanjoutin,
		Description: "Soutien, formation et répit pour les proches aidants ; information sur l'aide à domicile.",
		Address:     "5 rue des Chênes", Phone: "03 53 01 11 80", Email: "contact@aidants90.example",
		OpeningHours: "Mo-Fr 09:00-12:00"},
	{Name: "Accueil Femmes Solidaires 90 (association fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Accueil, écoute, hébergement et accompagnement des femmes victimes de violences.",
		Address:     "adresse communiquée par téléphone", Phone: "03 53 01 11 90", Email: "ecoute@femmes-solidaires90.example",
		OpeningHours: "Mo-Fr 09:00-17:00"},

	// Social centres.
	{Name: "Centre social des Résidences (fictif)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Centre social de quartier : parentalité, lien social, petite enfance, écrit et numérique.",
		Address:     "2 square des Jonquilles", Phone: "03 53 01 12 10", Email: "accueil@cs-residences.example",
		OpeningHours: "Mo-Fr 09:00-12:00,13:30-18:30", Networks: []string{"fcsf"}},
	{Name: "Centre social et culturel de Châtenois (fictif)", Kind: territory.KindAssociation, CommuneINSEE: atChatenois,
		Description: "Centre social : point numérique, jardins partagés, accès aux services publics.",
		Address:     "10 rue de la Fontaine", Phone: "03 53 01 12 20", Email: "accueil@csc-chatenois.example",
		OpeningHours: hoursAssoc, Networks: []string{"fcsf"}},
	{Name: "Centre socioculturel du Pays de Rougemont (fictif)", Kind: territory.KindAssociation, CommuneINSEE: atRougemont,
		Description: "Centre socioculturel rural : permanences, ateliers, convivialité.",
		Address:     "1 rue du Lavoir", Phone: "03 53 01 12 30", Email: "accueil@csc-rougemont.example",
		OpeningHours: "Mo-Fr 09:00-12:00; Tu,Th 14:00-17:00", Networks: []string{"fcsf"}},

	// Food, clothing, equipment.
	{Name: "Épicerie solidaire La Corbeille (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Épicerie solidaire : produits alimentaires et d'hygiène à petits prix, ateliers cuisine.",
		Address:     "8 rue des Vergers", Phone: "03 53 01 13 10", Email: "epicerie@la-corbeille.example",
		OpeningHours: "Tu,Th 14:00-18:00; Fr 09:00-12:00"},
	{Name: "Épicerie sociale du Sud Territoire (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atGrandvillars,
		Description: "Épicerie sociale de Grandvillars et épicerie mobile dans les villages du sud.",
		Address:     "4 place de la Mairie", Phone: "03 53 01 13 20", Email: "epicerie@sud-territoire.example",
		OpeningHours: "We 14:00-18:00; Sa 09:00-12:00"},
	{Name: "Vestiboutique Le Fil Solidaire (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBavilliers,
		Description: "Boutique de vêtements de seconde main ouverte à tous.",
		Address:     "33 rue de la Gare", Phone: "06 39 98 13 30", OpeningHours: hoursShop},
	{Name: "Recyclerie La Seconde Main (fictive)", Kind: territory.KindSIAE, CommuneINSEE: atDanjoutin,
		Description: "Recyclerie : électroménager reconditionné, meubles et équipement de la maison.",
		Address:     "chemin des Carrières", Phone: "03 53 01 13 40", Email: "boutique@seconde-main.example",
		OpeningHours: "We-Sa 10:00-12:30,14:00-18:00", Networks: []string{"ressourceries"}},
	{Name: "Restaurant solidaire Le Partage (fictif)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Restaurant associatif : repas chauds à prix solidaire, dans un lieu convivial.",
		Address:     "17 faubourg des Vignes", Phone: "06 39 98 13 50", OpeningHours: "Mo-Fr 11:45-13:30"},

	// Budget and rights.
	{Name: "Point conseil budget Nord Franche-Comté (fictif)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Conseil budgétaire gratuit, confidentiel et sans condition de ressources.",
		Address:     "21 rue des Acacias", Phone: "03 53 01 14 10", Email: "budget@pcb-nfc.example",
		OpeningHours: hoursOffice, Networks: []string{"points-conseil-budget"}},
	{Name: "Association Familles et Budget 90 (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atValdoie,
		Description: "Ateliers et accompagnement à la gestion du budget familial.",
		Address:     "12 rue des Bleuets", Phone: "03 53 01 14 20", Email: "contact@familles-budget90.example",
		OpeningHours: "Mo-Th 09:00-12:00,14:00-17:00"},
	{Name: "Maison du droit de la Savoureuse (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Point d'accès au droit : consultations juridiques, aide juridictionnelle, lutte contre les discriminations.",
		Address:     "5 boulevard de la Paix", Phone: "03 53 01 14 30", Email: "acces-droit@maison-droit-savoureuse.example",
		OpeningHours: "Mo-Fr 09:00-12:00,14:00-17:00", Networks: []string{"points-justice"}},
	{Name: "Écrivain public Plume Solidaire (association fictive)", Kind: territory.KindAssociation, CommuneINSEE: atOffemont,
		Description: "Écrivains publics bénévoles : courriers, formulaires, dossiers administratifs.",
		Address:     "9 rue des Hirondelles", Phone: "03 53 01 14 40", Email: "plume-solidaire@ecrivain-public.example",
		OpeningHours: "Tu,Th 09:00-12:00"},
	{Name: "Association Tutélaire Savoureuse (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Service mandataire judiciaire à la protection des majeurs : information des familles et mesures de protection.",
		Address:     "26 avenue des Marronniers", Phone: "03 53 01 14 50", Email: "information@tutelaire-savoureuse.example",
		OpeningHours: hoursOffice},
	{Name: "Association Microcrédit Solidaire Est (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Microcrédit personnel et professionnel accompagné pour les personnes exclues du crédit bancaire.",
		Address:     "3 quai des Tanneurs", Phone: "03 53 01 14 60", Email: "contact@microcredit-est.example",
		OpeningHours: hoursOffice},

	// Digital skills, reading and writing, French.
	{Name: "Espace numérique Le Clic (fictif)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Espace public numérique : accès libre, ateliers, aide aux démarches en ligne.",
		Address:     "45 rue de la Forge", Phone: "03 53 01 15 10", Email: "bonjour@espace-le-clic.example",
		OpeningHours: "Tu-Fr 10:00-12:00,14:00-18:00; Sa 10:00-12:00", Networks: []string{"espaces-publics-numeriques"}},
	{Name: "Atelier numérique des Vosges du Sud (fictif)", Kind: territory.KindAssociation, CommuneINSEE: atLepuix,
		Description: "Médiation numérique itinérante dans les villages du nord du Territoire.",
		Address:     "2 rue du Château d'Eau", Phone: "03 53 01 15 20", Email: "atelier@numerique-vosges-sud.example",
		OpeningHours: "Mo-Fr 09:00-12:00", Networks: []string{"conseillers-numeriques"}},
	{Name: "Ordi Solidaire 90 (association fictive)", Kind: territory.KindSIAE, CommuneINSEE: atDanjoutin,
		Description: "Reconditionnement d'ordinateurs et de smartphones, vendus à prix solidaire.",
		Address:     "16 rue des Artisans", Phone: "03 53 01 15 30", Email: "contact@ordi-solidaire90.example",
		OpeningHours: "We-Fr 13:30-17:30"},
	{Name: "Atelier Lire et Écrire 90 (fictif)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Ateliers de savoirs de base pour adultes : lire, écrire, compter, préparer CléA.",
		Address:     "7 place du Marché", Phone: "03 53 01 15 40", Email: "contact@lire-ecrire90.example",
		OpeningHours: "Mo-Th 09:00-12:00,14:00-17:00"},
	{Name: "Association Langues et Cultures du Lion (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Cours de français langue étrangère et accompagnement des personnes exilées.",
		Address:     "13 rue des Violettes", Phone: "03 53 01 15 50", Email: "fle@langues-cultures-lion.example",
		OpeningHours: "Mo-Fr 09:00-12:00,14:00-18:00"},

	// Housing.
	{Name: "Foyer d'hébergement Le Relais (fictif)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Centre d'hébergement et accueil de jour pour les personnes sans logement.",
		Address:     "28 rue du Stade", Phone: "03 53 01 16 10", Email: "accueil@foyer-le-relais.example",
		OpeningHours: "Mo-Su 08:00-20:00", Networks: []string{"chrs"}},
	{Name: "Agence immobilière sociale Toit Savoureuse (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Agence immobilière à vocation sociale : logements à loyer modéré et gestion locative adaptée.",
		Address:     "6 avenue du Parc", Phone: "03 53 01 16 20", Email: "location@toit-savoureuse.example",
		OpeningHours: hoursOffice},
	{Name: "Association Habitat et Maintien 90 (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBavilliers,
		Description: "Accompagnement social lié au logement, prévention des expulsions, adaptation du logement.",
		Address:     "37 rue des Peupliers", Phone: "03 53 01 16 30", Email: "contact@habitat-maintien90.example",
		OpeningHours: hoursOffice},
	{Name: "Résidence jeunes travailleurs Les Forges (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Foyer de jeunes travailleurs : logements meublés pour les 16-30 ans en emploi ou en formation.",
		Address:     "1 allée des Érables", Phone: "03 53 01 16 40", Email: "admission@residence-les-forges.example",
		OpeningHours: "Mo-Fr 09:00-19:00", Networks: []string{"residences-fjt"}},

	// Health.
	{Name: "Centre de santé Savoureuse (fictif)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Centre de santé associatif : médecine générale en tiers payant, prévention, accès aux droits de santé.",
		Address:     "20 rue de la Source", Phone: "03 53 01 17 10", Email: "secretariat@centre-sante-savoureuse.example",
		OpeningHours: "Mo-Fr 08:00-19:00; Sa 08:00-12:00"},
	{Name: "Association Écoute et Addictions 90 (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Prévention et accompagnement des addictions, consultations jeunes consommateurs.",
		Address:     "4 impasse des Saules", Phone: "03 53 01 17 20", Email: "accueil@ecoute-addictions90.example",
		OpeningHours: "Mo-Fr 09:00-17:30", Networks: []string{"csapa"}},
	{Name: "Point écoute santé mentale du Territoire (fictif)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Écoute et soutien psychologique gratuits, groupes de parole.",
		Address:     "10 allée du Bosquet", Phone: "03 53 01 17 30", Email: "ecoute@sante-mentale90.example",
		OpeningHours: "Mo-Fr 10:00-18:00"},

	// Enterprise creation, international.
	{Name: "Couveuse d'entreprises Nord Franche-Comté (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Couveuse et accompagnement à la création d'entreprise.",
		Address:     "50 avenue de la Liberté", Phone: "03 53 01 18 10", Email: "creer@couveuse-nfc.example",
		Website: "https://www.couveuse-nfc.example", OpeningHours: hoursOffice},
	{Name: "Maison de l'Europe du Nord Franche-Comté (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Information sur la mobilité en Europe et le travail frontalier.",
		Address:     "2 place de la Mairie", Phone: "03 53 01 18 20", Email: "info@europe-nfc.example",
		OpeningHours: "Tu-Fr 10:00-12:30,13:30-17:00", Networks: []string{"reseau-information-jeunesse"}},
	{Name: "Association Retour et Avenir (fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Accompagnement à distance des Françaises et Français qui reviennent de l'étranger.",
		Phone:       "03 53 01 18 30", Email: "contact@retour-avenir.example", Website: "https://www.retour-avenir.example"},

	// Remobilisation.
	{Name: "Sport pour Tous Belfort (association fictive)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Club omnisports : séances adaptées pour reprendre une activité physique.",
		Address:     "avenue des Sports", Phone: "06 39 98 19 10", OpeningHours: "Mo-Fr 17:00-21:00; Sa 09:00-12:00"},
	{Name: "Ateliers Théâtre et Confiance (association fictive)", Kind: territory.KindAssociation, CommuneINSEE: atDelle,
		Description: "Ateliers de théâtre et d'expression pour reprendre confiance.",
		Address:     "5 rue des Tisserands", Phone: "06 39 98 19 20", OpeningHours: "Tu,Th 14:00-17:00"},

	// Training, employment.
	{Name: "Compétences Lion, organisme de formation (fictif)", Kind: territory.KindAssociation, CommuneINSEE: atBavilliers,
		Description: "Organisme de formation : logistique, propreté, aide à domicile, remise à niveau, bilans de compétences.",
		Address:     "8 rue des Tilleuls", Phone: "03 53 01 20 10", Email: "formation@competences-lion.example",
		Website: "https://www.competences-lion.example", OpeningHours: "Mo-Fr 08:30-12:00,13:30-17:00"},
	{Name: "Groupement d'employeurs Savoureuse Emploi (fictif)", Kind: territory.KindEmployer, CommuneINSEE: atBeaucourt,
		Description: "Groupement d'employeurs de l'industrie et de la logistique : emplois partagés en CDI.",
		Address:     "3 rue du Verger", Phone: "03 53 01 20 20", Email: "recrutement@savoureuse-emploi.example",
		OpeningHours: hoursMorning, Networks: []string{"geiq"}},
	{Name: "Les Ateliers du Rosemont, entreprise d'insertion (fictive)", Kind: territory.KindSIAE, CommuneINSEE: atGiromagny,
		Description: "Entreprise d'insertion en menuiserie et second œuvre du bâtiment.",
		Address:     "12 chemin du Bois", Phone: "03 53 01 20 30", Email: "contact@ateliers-rosemont.example",
		OpeningHours: "Mo-Fr 07:30-12:00,13:00-16:00", Networks: []string{"ei"}},
	{Name: "Association intermédiaire Coup de Main 90 (fictive)", Kind: territory.KindSIAE, CommuneINSEE: atGrandvillars,
		Description: "Association intermédiaire : missions de travail chez des particuliers, des collectivités et des entreprises.",
		Address:     "6 rue de la Gare", Phone: "03 53 01 20 40", Email: "missions@coup-de-main90.example",
		OpeningHours: hoursMorning, Networks: []string{"ai"}},
	{Name: "Cap Distance, accompagnement en ligne (fictif)", Kind: territory.KindAssociation, CommuneINSEE: atBelfort,
		Description: "Accompagnement à la recherche d'emploi en visioconférence et par téléphone.",
		Phone:       "03 53 01 20 50", Email: "bonjour@cap-distance.example", Website: "https://www.cap-distance.example"},
}

// opt completes a service of the table.
type opt func(*directory.Service)

// svc describes a service published by the structure named by, in the
// commune insee ("" for a service at a distance only), of type typ, with
// the space-separated thématiques them. Services fills what opts leave
// from the structure.
func svc(by, insee, typ, them, name, desc string, opts ...opt) directory.Service {
	s := directory.Service{StructureName: by, CommuneINSEE: insee, Type: typ, Thematiques: strings.Fields(them),
		Name: name, Description: desc + " " + fictionSuffix}
	for _, o := range opts {
		o(&s)
	}
	return s
}

// pub sets the publics.
func pub(codes ...string) opt { return func(s *directory.Service) { s.Publics = codes } }

// pay makes the service payant, with what it costs.
func pay(details string) opt {
	return func(s *directory.Service) { s.Fees, s.FeesDetails = "payant", details }
}

// freeNote keeps the service free and says how.
func freeNote(details string) opt { return func(s *directory.Service) { s.FeesDetails = details } }

// week sets the weekly hours and the number of weeks (0: ongoing) of a
// workshop or a training: they count in the 15 hours of the contract.
func week(hours float64, weeks int) opt {
	return func(s *directory.Service) { s.WeeklyHours, s.Weeks = hours, weeks }
}

// remote adds the reception at a distance.
func remote(s *directory.Service) {
	s.ReceptionModes = []string{"a-distance", "en-presentiel"}
}

// prescribed makes the service mobilised by professionals only.
func prescribed(s *directory.Service) { s.MobilisableBy = []string{"professionnels"} }

// walkIn adds "se présenter" to the ways of mobilising the service.
func walkIn(s *directory.Service) {
	s.MobilisationModes = append(s.MobilisationModes, "se-presenter")
}

// cond sets the access conditions.
func cond(text string) opt { return func(s *directory.Service) { s.AccessConditions = text } }

// zone sets the zone of eligibility (INSEE commune codes or "90").
func zone(codes ...string) opt { return func(s *directory.Service) { s.EligibilityZone = codes } }

// open sets the opening hours.
func open(osm string) opt { return func(s *directory.Service) { s.OpeningHours = osm } }

// at sets an address of the service away from its structure.
func at(address, complement string) opt {
	return func(s *directory.Service) { s.Address, s.AddressComplement = address, complement }
}

// status sets a status other than published.
func status(st directory.Status) opt { return func(s *directory.Service) { s.Status = st } }

// link sets the mobilisation link.
func link(u string) opt { return func(s *directory.Service) { s.MobilisationLink = u } }

// Short names of the publishers.
var (
	cd           = Structures[0].Name
	franceTrav   = Structures[1].Name
	capEmploi    = Structures[2].Name
	missionLoc   = Structures[3].Name
	ccasBelfort  = Structures[4].Name
	entraide     = Structures[5].Name
	mobiliteLion = Structures[6].Name
	jardins      = Structures[7].Name
	logistique   = Structures[8].Name
	ateliersMeca = Structures[9].Name
)

// Services returns the services of the demo directory, a new slice at each
// call, always the same: at least 160, most of them published, covering
// every thématique of data·inclusion. StructureName is the publisher, one
// of DirectoryStructures; territory and IDs are left to the caller.
func Services() []directory.Service {
	const (
		garageLion  = "Garage solidaire du Lion (fictif)"
		garageDelle = "Garage solidaire des Trois Frontières (fictif)"
		autoEcole   = "Auto-école sociale Savoureuse Conduite (fictive)"
		roulons     = "Roulons Ensemble 90 (association fictive)"
		navette     = "Navette solidaire du Pays sous-vosgien (fictive)"
		creche      = "Crèche À Petits Pas vers l'Emploi (fictive)"
		lutins      = "Halte-garderie Les Petits Lutins (fictive)"
		loups       = "Halte-garderie Les P'tits Loups (fictive)"
		coccinelles = "Multi-accueil Les Coccinelles (fictif)"
		rpeNord     = "Relais petite enfance du Pays sous-vosgien (fictif)"
		rpeSud      = "Relais petite enfance Sud Territoire (fictif)"
		mediation   = "Association Médiation Familiale Savoureuse (fictive)"
		aidants     = "Association Aidants 90 (fictive)"
		femmes      = "Accueil Femmes Solidaires 90 (association fictive)"
		csResid     = "Centre social des Résidences (fictif)"
		csChatenois = "Centre social et culturel de Châtenois (fictif)"
		csRougemont = "Centre socioculturel du Pays de Rougemont (fictif)"
		corbeille   = "Épicerie solidaire La Corbeille (fictive)"
		epicerieSud = "Épicerie sociale du Sud Territoire (fictive)"
		vesti       = "Vestiboutique Le Fil Solidaire (fictive)"
		recyclerie  = "Recyclerie La Seconde Main (fictive)"
		partage     = "Restaurant solidaire Le Partage (fictif)"
		pcb         = "Point conseil budget Nord Franche-Comté (fictif)"
		famBudget   = "Association Familles et Budget 90 (fictive)"
		droit       = "Maison du droit de la Savoureuse (fictive)"
		plume       = "Écrivain public Plume Solidaire (association fictive)"
		tutelaire   = "Association Tutélaire Savoureuse (fictive)"
		microcredit = "Association Microcrédit Solidaire Est (fictive)"
		clic        = "Espace numérique Le Clic (fictif)"
		vosgesSud   = "Atelier numérique des Vosges du Sud (fictif)"
		ordi        = "Ordi Solidaire 90 (association fictive)"
		lireEcrire  = "Atelier Lire et Écrire 90 (fictif)"
		langues     = "Association Langues et Cultures du Lion (fictive)"
		relais      = "Foyer d'hébergement Le Relais (fictif)"
		toit        = "Agence immobilière sociale Toit Savoureuse (fictive)"
		habitat     = "Association Habitat et Maintien 90 (fictive)"
		forges      = "Résidence jeunes travailleurs Les Forges (fictive)"
		sante       = "Centre de santé Savoureuse (fictif)"
		addictions  = "Association Écoute et Addictions 90 (fictive)"
		ecoute      = "Point écoute santé mentale du Territoire (fictif)"
		couveuse    = "Couveuse d'entreprises Nord Franche-Comté (fictive)"
		europe      = "Maison de l'Europe du Nord Franche-Comté (fictive)"
		retour      = "Association Retour et Avenir (fictive)"
		sport       = "Sport pour Tous Belfort (association fictive)"
		theatre     = "Ateliers Théâtre et Confiance (association fictive)"
		competences = "Compétences Lion, organisme de formation (fictif)"
		geSavour    = "Groupement d'employeurs Savoureuse Emploi (fictif)"
		rosemont    = "Les Ateliers du Rosemont, entreprise d'insertion (fictive)"
		coupDeMain  = "Association intermédiaire Coup de Main 90 (fictive)"
		capDistance = "Cap Distance, accompagnement en ligne (fictif)"
	)
	// Zones of eligibility of local services.
	var (
		grandBelfort = []string{atBelfort, atBavilliers, atCravanche, atDanjoutin, atEssert, atOffemont, atValdoie}
		paysNord     = []string{atGiromagny, atLepuix, atAuxellesBas, atRougegoutte, atEtueffont, atRougemont}
		paysSud      = []string{atDelle, atGrandvillars, atJoncherey, atMorvillars, atBeaucourt}
	)
	out := []directory.Service{
		// Mobilité.
		svc(garageLion, atBelfort, "aide-materielle", "mobilite--entretenir-reparer-son-vehicule",
			"Réparation de véhicules à prix solidaire",
			"Entretien et réparation de voitures et deux-roues par des mécaniciens professionnels, pour les personnes qui en ont besoin pour travailler ou se former. Devis expliqué avant toute intervention.",
			pay("Main-d'œuvre à 15 € de l'heure, pièces au prix coûtant ; devis gratuit."),
			pub("beneficiaires-des-minimas-sociaux", "demandeurs-emploi"), prescribed,
			cond("Sur prescription d'un professionnel de l'insertion ; ressources inférieures au plafond fixé par le garage.")),
		svc(garageLion, atBelfort, "aide-materielle", "mobilite--acceder-a-un-vehicule",
			"Vente de véhicules d'occasion révisés",
			"Voitures d'occasion contrôlées et révisées par le garage, avec une garantie de six mois, pour les personnes qui reprennent un emploi.",
			pay("Véhicules de 1 500 à 4 000 € ; paiement échelonné possible avec un microcrédit."),
			pub("beneficiaires-des-minimas-sociaux", "demandeurs-emploi", "actifs"), prescribed),
		svc(garageLion, atBelfort, "aide-materielle", "mobilite--acceder-a-un-vehicule mobilite--mobilite-douce-partagee-collective",
			"Location de voitures à tarif solidaire",
			"Location d'une voiture pour se rendre à un emploi, une formation ou un entretien, le temps de trouver une solution durable.",
			pay("8 € par jour, assurance comprise ; caution de 150 €."),
			cond("Permis B valide ; location de trois mois au plus, renouvelable une fois."), prescribed),
		svc(garageDelle, atDelle, "aide-materielle", "mobilite--entretenir-reparer-son-vehicule",
			"Garage solidaire : entretien et réparation",
			"Vidange, freins, pneus, contrôle technique préparé : le garage d'insertion du sud du Territoire répare à prix solidaire.",
			pay("Main-d'œuvre à 18 € de l'heure ; pièces d'occasion garanties."), zone(paysSud...)),
		svc(garageDelle, atDelle, "atelier", "mobilite--entretenir-reparer-son-vehicule",
			"Atelier d'auto-réparation accompagnée",
			"Réparer soi-même son véhicule avec l'outillage du garage et les conseils d'un mécanicien.",
			pay("Accès au pont et à l'outillage : 5 € de l'heure."), status(directory.StatusSuspended)),
		svc(autoEcole, atBelfort, "formation", "mobilite--preparer-un-permis",
			"Préparation au code de la route",
			"Cours collectifs du code de la route en petits groupes, avec des supports adaptés aux personnes qui ont des difficultés à lire.",
			pay("Forfait de 30 € (livret et tests en ligne)."), week(6, 8), pub("beneficiaires-des-minimas-sociaux", "demandeurs-emploi", "jeunes")),
		svc(autoEcole, atBelfort, "formation", "mobilite--preparer-un-permis",
			"Formation au permis B en auto-école sociale",
			"Leçons de conduite à un rythme adapté, avec un moniteur formé à l'accompagnement, jusqu'à l'examen du permis B.",
			pay("Forfait de 350 € pour 25 heures de conduite, ajusté aux ressources ; aides du Département et de France Travail mobilisables."),
			week(4, 16), prescribed, cond("Code obtenu ou en cours ; projet professionnel qui demande le permis.")),
		svc(autoEcole, atBelfort, "formation", "mobilite--preparer-un-permis",
			"Permis AM (cyclomoteur) en huit heures",
			"Formation au permis AM pour conduire un scooter de 50 cm³ dès 14 ans, sur deux journées.",
			pay("90 €, gratuit avec l'aide au permis de la Mission locale."), week(8, 1), pub("jeunes")),
		svc(autoEcole, "", "formation", "mobilite--preparer-un-permis",
			"Code de la route en ligne avec suivi à distance",
			"Accès à une plateforme d'entraînement au code et rendez-vous téléphonique chaque semaine avec un moniteur.",
			pay("20 € pour trois mois d'accès."), week(5, 6), func(s *directory.Service) { s.ReceptionModes = []string{"a-distance"} }),
		svc(roulons, atBavilliers, "aide-materielle", "mobilite--acceder-a-un-vehicule mobilite--mobilite-douce-partagee-collective",
			"Location de scooters pour l'emploi",
			"Scooters de 50 cm³ loués à la semaine ou au mois pour aller travailler, avec casque et antivol.",
			pay("2 € par jour, casque et assurance compris ; caution de 50 €."),
			cond("Permis AM ou B ; contrat de travail, de formation ou promesse d'embauche."), zone("90")),
		svc(roulons, atBavilliers, "aide-materielle", "mobilite--mobilite-douce-partagee-collective",
			"Location de vélos à assistance électrique",
			"Vélos électriques loués au mois, avec un point d'entretien gratuit et un cadenas.",
			pay("20 € par mois ; caution de 100 €."), walkIn),
		svc(roulons, atBavilliers, "atelier", "mobilite--mobilite-douce-partagee-collective mobilite--etre-accompagne-dans-son-parcours-mobilite",
			"Remise en selle : apprendre à circuler à vélo",
			"Apprendre ou réapprendre à faire du vélo et à circuler en ville en sécurité, en petit groupe.",
			week(2, 4)),
		svc(roulons, atBourogne, "accompagnement", "mobilite--mobilite-douce-partagee-collective",
			"Covoiturage solidaire vers les zones d'activités",
			"Mise en relation de salariés et de personnes en reprise d'emploi pour partager les trajets vers les zones d'activités de Bourogne et de Fontaine.",
			status(directory.StatusDraft)),
		svc(navette, atGiromagny, "aide-materielle", "mobilite--mobilite-douce-partagee-collective",
			"Transport à la demande vers l'emploi et la formation",
			"Un minibus vient chercher les personnes des villages du nord du Territoire pour un entretien, une formation ou les premiers jours d'un emploi.",
			pay("2 € le trajet ; gratuit pour les bénéficiaires du RSA."), zone(paysNord...),
			cond("Réservation par téléphone la veille avant 17 heures.")),
		svc(navette, atGiromagny, "aide-materielle", "mobilite--mobilite-douce-partagee-collective",
			"Transport solidaire par chauffeurs bénévoles",
			"Des chauffeurs bénévoles accompagnent à un rendez-vous médical, administratif ou d'emploi les personnes sans moyen de transport.",
			pay("0,35 € par kilomètre parcouru."), zone(paysNord...), pub("seniors", "beneficiaires-des-minimas-sociaux")),
		svc(mobiliteLion, atValdoie, "accompagnement", "mobilite--etre-accompagne-dans-son-parcours-mobilite",
			"Conseil en mobilité : bilan et plan d'action",
			"Un conseiller en mobilité fait le point sur les déplacements, les freins et les solutions, puis construit un plan d'action avec la personne.",
			prescribed, pub("beneficiaires-des-minimas-sociaux", "demandeurs-emploi", "jeunes")),
		svc(mobiliteLion, atValdoie, "atelier", "mobilite--etre-accompagne-dans-son-parcours-mobilite mobilite--mobilite-douce-partagee-collective",
			"Atelier « Bouger pour travailler » : se repérer dans les transports",
			"Lire un plan de bus, acheter un titre de transport, préparer un trajet : un atelier collectif suivi d'un trajet réel.",
			week(3, 2)),
		svc(mobiliteLion, atValdoie, "aide-financiere", "mobilite--financer-ma-mobilite mobilite--acceder-a-un-vehicule",
			"Microcrédit pour l'achat ou la réparation d'un véhicule",
			"Montage d'un dossier de microcrédit accompagné avec une banque partenaire pour acheter ou réparer un véhicule indispensable à l'emploi.",
			cond("Prêt de 300 à 5 000 €, remboursable sur 36 mois au plus ; capacité de remboursement étudiée avec la personne."), prescribed),
		svc(mobiliteLion, atRougemont, "information", "mobilite--etre-accompagne-dans-son-parcours-mobilite",
			"Point mobilité itinérant à Rougemont-le-Château",
			"Permanence mensuelle du conseiller en mobilité dans le centre socioculturel : informations sur les aides, le transport à la demande et la location de deux-roues.",
			at("1 rue du Lavoir", "Centre socioculturel du Pays de Rougemont"), open("Th 09:00-12:00"), walkIn),
		svc(cd, atBelfort, "aide-financiere", "mobilite--financer-ma-mobilite mobilite--preparer-un-permis",
			"Aide départementale au permis de conduire",
			"Participation du Département au financement du permis B pour les allocataires du RSA dont le projet professionnel le demande.",
			pub("beneficiaires-des-minimas-sociaux"), prescribed,
			cond("Allocataire du RSA avec un contrat d'engagement ; jusqu'à 1 000 €, versés à l'auto-école.")),
		svc(franceTrav, atBelfort, "aide-financiere", "mobilite--financer-ma-mobilite",
			"Aides à la mobilité pour la reprise d'emploi ou la formation",
			"Prise en charge de frais de déplacement, de repas ou d'hébergement pour un entretien, une formation ou une reprise d'emploi éloignée.",
			pub("demandeurs-emploi"), remote, link("https://www.francetravail.example/aides-mobilite")),
		svc(missionLoc, atBelfort, "aide-financiere", "mobilite--financer-ma-mobilite mobilite--preparer-un-permis",
			"Aide au permis pour les jeunes",
			"Financement d'une partie du permis de conduire des jeunes accompagnés, en complément des aides de l'État et de la Région.",
			pub("jeunes"), prescribed),

		// Famille.
		svc(creche, atBelfort, "accompagnement", "famille--garde-denfants",
			"Crèche à vocation d'insertion professionnelle (AVIP)",
			"Des places en crèche réservées aux enfants de 0 à 3 ans dont les parents cherchent un emploi ou entrent en formation, avec un accompagnement du parent vers l'emploi.",
			pay("Participation familiale selon le barème national de la CAF, à partir de 0,50 € de l'heure."),
			pub("familles", "beneficiaires-des-minimas-sociaux", "demandeurs-emploi"), prescribed, zone(grandBelfort...),
			cond("Parent en recherche d'emploi ou en formation, engagé dans un parcours d'accompagnement.")),
		svc(creche, atBelfort, "accompagnement", "famille--garde-denfants",
			"Accueil ponctuel pour un entretien ou une formation",
			"Une garde de quelques heures ou de quelques jours, réservée la veille, pour se rendre à un entretien d'embauche ou à une session de formation.",
			pay("Barème de la CAF ; gratuit pour un entretien d'embauche."), pub("familles"), zone(grandBelfort...)),
		svc(lutins, atOffemont, "accompagnement", "famille--garde-denfants",
			"Halte-garderie : accueil occasionnel des 3 mois - 4 ans",
			"Accueil à la demi-journée ou à la journée, pour souffler, faire ses démarches ou suivre un atelier.",
			pay("Barème de la CAF, selon les ressources et la composition de la famille."), pub("familles"),
			zone(atOffemont, atValdoie, atBelfort, atEssert), walkIn),
		svc(loups, atValdoie, "accompagnement", "famille--garde-denfants",
			"Halte-garderie à Valdoie",
			"Accueil occasionnel et d'urgence des enfants de 3 mois à 4 ans. Fermée pour travaux jusqu'à la rentrée.",
			pay("Barème de la CAF."), pub("familles"), status(directory.StatusSuspended)),
		svc(coccinelles, atBeaucourt, "accompagnement", "famille--garde-denfants",
			"Multi-accueil : places pour les parents en reprise d'emploi",
			"Des places réservées aux familles dont un parent reprend un emploi ou une formation, le temps de trouver une solution de garde durable.",
			pay("Barème de la CAF."), pub("familles", "demandeurs-emploi"), zone(paysSud...)),
		svc(coccinelles, atBeaucourt, "accompagnement", "famille--garde-denfants",
			"Accueil en horaires décalés (5 h 30 - 21 h)",
			"Pour les parents qui travaillent tôt le matin ou tard le soir : accueil dès 5 h 30 et jusqu'à 21 heures.",
			pay("Barème de la CAF, majoration de 10 % avant 7 heures."), pub("familles", "actifs"), open("Mo-Fr 05:30-21:00")),
		svc(rpeNord, atGiromagny, "information", "famille--garde-denfants",
			"Relais petite enfance : trouver une assistante maternelle",
			"Liste des assistantes maternelles disponibles, aide au contrat de travail et aux démarches auprès de la CAF.",
			pub("familles"), zone(paysNord...)),
		svc(rpeNord, atRougemont, "information", "famille--garde-denfants",
			"Permanence du relais petite enfance à Rougemont-le-Château",
			"Une matinée par semaine, informations sur les modes de garde du secteur de Rougemont.",
			at("1 rue du Lavoir", "Centre socioculturel du Pays de Rougemont"), open("We 09:00-12:00"), pub("familles"), walkIn),
		svc(rpeSud, atDelle, "information", "famille--garde-denfants famille--soutien-a-la-parentalite-et-a-leducation",
			"Relais petite enfance : modes de garde du sud du Territoire",
			"Information des parents sur l'accueil individuel et collectif, ateliers d'éveil avec les assistantes maternelles.",
			pub("familles"), zone(paysSud...)),
		svc(rpeSud, atGrandvillars, "information", "famille--garde-denfants",
			"Permanence du relais petite enfance à Grandvillars",
			"Permanence mensuelle en mairie de Grandvillars pour les parents qui cherchent une assistante maternelle.",
			at("", "Salle de permanences de la mairie"), open("Mo 14:00-17:00"), pub("familles")),
		svc(csResid, atBelfort, "information", "famille--garde-denfants",
			"Relais petite enfance Belfort-Est",
			"Information sur les crèches, les haltes-garderies et les assistantes maternelles de Belfort, aide à l'inscription.",
			pub("familles"), zone(grandBelfort...)),
		svc(csResid, atBelfort, "atelier", "famille--soutien-a-la-parentalite-et-a-leducation",
			"Café des parents",
			"Un temps d'échange entre parents, animé par une conseillère en économie sociale et familiale, autour de l'éducation et du quotidien.",
			week(2, 0), pub("familles"), walkIn),
		svc(csResid, atBelfort, "accompagnement", "famille--soutien-a-la-parentalite-et-a-leducation",
			"Accompagnement à la scolarité",
			"Aide aux devoirs pour les enfants du primaire et du collège, et lien avec les parents sur la scolarité.",
			pay("Adhésion familiale de 10 € par an."), pub("familles")),
		svc(mediation, atBelfort, "accompagnement", "famille--surmonter-conflits-separation-violence",
			"Médiation familiale",
			"Un médiateur diplômé aide les parents qui se séparent à s'accorder sur les enfants, le logement et le budget.",
			pay("Participation selon le barème national, de 2 à 131 € par séance ; premier entretien gratuit."), pub("familles")),
		svc(mediation, atBelfort, "accompagnement", "famille--surmonter-conflits-separation-violence famille--soutien-a-la-parentalite-et-a-leducation",
			"Espace de rencontre parents-enfants",
			"Un lieu neutre pour maintenir le lien entre un enfant et le parent chez qui il ne vit pas.",
			pub("familles"), prescribed, cond("Sur décision du juge aux affaires familiales ou accord des parents.")),
		svc(aidants, atDanjoutin, "accompagnement", "famille--soutien-aidants famille--prise-en-charge-personne-dependante",
			"Soutien et répit pour les aidants familiaux",
			"Écoute, information sur les aides, solutions de répit pour les personnes qui s'occupent d'un proche âgé, malade ou handicapé.",
			pub("tous-publics"), remote),
		svc(aidants, atDanjoutin, "atelier", "famille--soutien-aidants",
			"Formation des aidants",
			"Cinq séances pour mieux comprendre la maladie ou le handicap du proche, prendre soin de soi et connaître ses droits.",
			week(2, 5)),
		svc(aidants, atDanjoutin, "information", "equipement-et-alimentation--aide-menagere famille--prise-en-charge-personne-dependante",
			"Aide ménagère à domicile : information et demande",
			"Information sur l'aide ménagère et l'aide à domicile, montage du dossier auprès de la caisse de retraite ou du Département.",
			pub("seniors", "personnes-en-situation-de-handicap")),
		svc(femmes, atBelfort, "accompagnement", "famille--surmonter-conflits-separation-violence",
			"Accueil de jour des femmes victimes de violences",
			"Écoute, information juridique et accompagnement des femmes victimes de violences, avec ou sans enfants, sans rendez-vous.",
			pub("femmes"), walkIn, remote),
		svc(cd, atBelfort, "accompagnement", "famille--soutien-a-la-parentalite-et-a-leducation sante--acces-aux-soins",
			"Consultations de protection maternelle et infantile (PMI)",
			"Suivi de grossesse, consultations des enfants de moins de 6 ans, vaccinations et conseils aux parents, par les équipes de PMI.",
			pub("familles")),
		svc(cd, atBelfort, "information", "famille--prise-en-charge-personne-dependante",
			"Information sur l'allocation personnalisée d'autonomie (APA)",
			"Conditions, montant et démarches de l'APA à domicile ou en établissement pour un proche de 60 ans ou plus.",
			pub("seniors", "familles"), remote),

		// Logement et hébergement.
		svc(relais, atBelfort, "accompagnement", "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
			"Hébergement temporaire avec accompagnement social",
			"Chambres et studios pour quelques mois, avec un travailleur social qui accompagne vers un logement durable.",
			pub("personnes-en-situation-durgence"), prescribed, cond("Orientation par le service intégré d'accueil et d'orientation (SIAO).")),
		svc(relais, atBelfort, "aide-materielle", "logement-hebergement--rechercher-une-solution-dhebergement-temporaire equipement-et-alimentation--habillement",
			"Accueil de jour : douches, laverie, bagagerie",
			"Un lieu pour se poser, prendre une douche, laver son linge et laisser ses affaires en sécurité.",
			pub("personnes-en-situation-durgence"), walkIn, open("Mo-Fr 08:30-12:30")),
		svc(toit, atBelfort, "accompagnement", "logement-hebergement--louer-un-logement",
			"Logements à loyer modéré avec gestion adaptée",
			"L'agence loue des logements du parc privé à des loyers modérés et accompagne l'entrée dans les lieux.",
			pub("beneficiaires-des-minimas-sociaux", "familles", "actifs"), prescribed),
		svc(toit, atBelfort, "atelier", "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement",
			"Atelier « Bien préparer sa recherche de logement »",
			"Dossier de location, garanties, aides au logement, état des lieux : trois séances pour louer sereinement.",
			week(2, 3)),
		svc(toit, atBelfort, "information", "logement-hebergement--acheter-un-logement",
			"Permanence accession sociale à la propriété",
			"Information sur les prêts aidés, le prêt social location-accession et le budget d'un achat immobilier.",
			pub("actifs", "familles"), open("We 14:00-17:00")),
		svc(habitat, atBavilliers, "accompagnement", "logement-hebergement--se-maintenir-dans-le-logement logement-hebergement--reduire-les-impayes-de-loyer",
			"Accompagnement social lié au logement",
			"Un accompagnement de six à douze mois pour stabiliser la situation dans le logement : budget, relations avec le bailleur, entretien.",
			prescribed),
		svc(habitat, atBavilliers, "information", "logement-hebergement--reduire-les-impayes-de-loyer logement-hebergement--se-maintenir-dans-le-logement",
			"Prévention des expulsions : permanence",
			"Aide à comprendre une procédure, à négocier un plan d'apurement avec le bailleur et à mobiliser les aides.",
			walkIn, open("Tu 09:00-12:00")),
		svc(habitat, atBavilliers, "accompagnement", "logement-hebergement--se-maintenir-dans-le-logement",
			"Adapter son logement : diagnostic et aides",
			"Visite à domicile et montage des dossiers d'aide pour adapter un logement à l'âge ou au handicap.",
			pub("seniors", "personnes-en-situation-de-handicap")),
		svc(forges, atBelfort, "aide-materielle", "logement-hebergement--louer-un-logement logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
			"Logement meublé pour jeunes en emploi ou en formation",
			"Studios meublés pour les 16-30 ans qui commencent un emploi, un apprentissage ou une formation, avec un accompagnement socio-éducatif.",
			pay("Redevance de 380 à 460 € par mois, aide au logement déductible."), pub("jeunes")),
		svc(forges, atBourogne, "aide-materielle", "logement-hebergement--louer-un-logement",
			"Chambres en colocation pour alternants à Bourogne",
			"Programme expérimental de colocation pour les alternants de la zone logistique, terminé.",
			pay("Redevance de 300 € par mois."), pub("jeunes"), status(directory.StatusArchived)),
		svc(cd, atBelfort, "aide-financiere", "logement-hebergement--reduire-les-impayes-de-loyer logement-hebergement--louer-un-logement",
			"Fonds de solidarité pour le logement (FSL)",
			"Aides pour entrer dans un logement (dépôt de garantie, premier loyer) ou s'y maintenir (impayés de loyer, d'énergie ou d'eau).",
			prescribed, cond("Sous conditions de ressources ; dossier déposé par un travailleur social.")),
		svc(missionLoc, atBelfort, "information", "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement logement-hebergement--louer-un-logement",
			"Information logement jeunes",
			"Trouver un premier logement : aides, garanties Visale et Loca-Pass, foyers de jeunes travailleurs.",
			pub("jeunes"), walkIn),
		svc(ccasBelfort, atBelfort, "accompagnement", "logement-hebergement--changer-de-logement logement-hebergement--louer-un-logement",
			"Demande de logement social : aide au dossier",
			"Aide à déposer ou renouveler une demande de logement social et à suivre son passage en commission.",
			zone(atBelfort)),
		svc(femmes, atBelfort, "aide-materielle", "logement-hebergement--rechercher-une-solution-dhebergement-temporaire famille--surmonter-conflits-separation-violence",
			"Hébergement d'urgence pour femmes victimes de violences",
			"Mise à l'abri immédiate, avec ou sans enfants, dans un logement dont l'adresse reste confidentielle.",
			pub("femmes", "personnes-en-situation-durgence"), open("Mo-Su 00:00-24:00")),

		// Santé.
		svc(sante, atBelfort, "accompagnement", "sante--acces-aux-soins",
			"Consultations de médecine générale en tiers payant",
			"Médecins généralistes sans dépassement d'honoraires, avec ou sans rendez-vous, pour les personnes sans médecin traitant.",
			freeNote("Tiers payant intégral avec une complémentaire santé ; aide à l'ouverture des droits sinon."), walkIn),
		svc(sante, atBelfort, "accompagnement", "sante--acces-aux-soins",
			"Bilan de santé gratuit",
			"Un bilan complet (examens, dépistages, entretien avec un médecin) en une matinée, avec les résultats expliqués.",
			prescribed, pub("beneficiaires-des-minimas-sociaux", "demandeurs-emploi", "jeunes")),
		svc(sante, atBelfort, "accompagnement", "sante--acces-aux-soins difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
			"Permanence d'accès aux droits de santé",
			"Ouverture des droits à l'assurance maladie et à la complémentaire santé solidaire, choix d'un médecin traitant.",
			walkIn, open("Mo,We 14:00-17:00")),
		svc(sante, atBelfort, "information", "sante--sante-sexuelle",
			"Dépistage et information en santé sexuelle",
			"Dépistages gratuits et anonymes, contraception, information et orientation, sans rendez-vous le mercredi.",
			walkIn, open("We 13:30-18:00")),
		svc(addictions, atBelfort, "accompagnement", "sante--addictions",
			"Consultations jeunes consommateurs",
			"Un espace confidentiel pour les jeunes et leurs familles qui s'interrogent sur l'alcool, le cannabis, les écrans ou les jeux.",
			pub("jeunes", "familles"), remote),
		svc(addictions, atBelfort, "accompagnement", "sante--addictions",
			"Accompagnement en addictologie",
			"Suivi médical, psychologique et social des personnes en difficulté avec l'alcool, le tabac ou les drogues.",
			remote),
		svc(ecoute, atBelfort, "accompagnement", "sante--sante-mentale",
			"Écoute psychologique gratuite",
			"Jusqu'à dix entretiens avec un psychologue, sans avance de frais, pour faire le point et être orienté.",
			walkIn),
		svc(ecoute, "", "accompagnement", "sante--sante-mentale",
			"Soutien psychologique à distance",
			"Entretiens téléphoniques ou en visioconférence avec un psychologue, pour les personnes éloignées ou qui ne peuvent se déplacer.",
			func(s *directory.Service) { s.ReceptionModes = []string{"a-distance"} }),
		svc(ecoute, atBelfort, "atelier", "sante--sante-mentale remobilisation--bien-etre-confiance-en-soi",
			"Groupe de parole « Reprendre pied »",
			"Un groupe de huit personnes, animé par une psychologue, pour parler de ce qui pèse et retrouver de l'élan.",
			week(2, 8)),
		svc(capEmploi, atBelfort, "accompagnement", "sante--constituer-un-dossier-mdph-invalidite",
			"Aide à la constitution du dossier de reconnaissance du handicap",
			"Aide à remplir le dossier de la MDPH (RQTH, orientation professionnelle) et à réunir les pièces médicales.",
			pub("personnes-en-situation-de-handicap")),
		svc(missionLoc, atBelfort, "accompagnement", "sante--acces-aux-soins sante--sante-mentale",
			"Point santé jeunes",
			"Une infirmière et une psychologue reçoivent les jeunes accompagnés : droits, bilan, écoute.",
			pub("jeunes")),
		svc(cd, atBelfort, "accompagnement", "sante--acces-aux-soins",
			"Accompagnement santé des allocataires du RSA",
			"Projet d'accompagnement des allocataires dont la santé freine le retour à l'emploi, en lien avec le service médical.",
			pub("beneficiaires-des-minimas-sociaux"), status(directory.StatusDraft)),

		// Numérique.
		svc(clic, atBelfort, "aide-materielle", "numerique--acceder-a-une-connexion-internet",
			"Accès libre à des ordinateurs et à Internet",
			"Dix postes connectés, une imprimante et un scanner, avec un animateur pour aider.",
			walkIn, freeNote("Impression gratuite jusqu'à 20 pages par jour.")),
		svc(clic, atBelfort, "formation", "numerique--maitriser-les-fondamentaux-du-numerique",
			"Initiation au numérique : les fondamentaux",
			"Allumer un ordinateur, utiliser la souris et le clavier, naviguer sur Internet, envoyer un courriel : six séances en petit groupe.",
			week(3, 6)),
		svc(clic, atBelfort, "accompagnement", "numerique--acceder-a-des-services-en-ligne difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
			"Accompagnement aux démarches en ligne",
			"Un conseiller numérique aide à créer ses comptes (CAF, impots.gouv, ameli, France Travail) et à faire ses démarches.",
			walkIn),
		svc(clic, atBelfort, "formation", "numerique--maitriser-les-fondamentaux-du-numerique",
			"Évaluer et certifier ses compétences numériques (Pix)",
			"Un parcours d'entraînement et le passage de la certification Pix, reconnue par les employeurs.",
			week(3, 4)),
		svc(clic, atBelfort, "aide-materielle", "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
			"Impression et envoi de CV",
			"Impression gratuite des CV et lettres de motivation, numérisation des pièces jointes et aide à l'envoi.",
			walkIn),
		svc(clic, "", "accompagnement", "numerique--acceder-a-des-services-en-ligne",
			"Assistance numérique par téléphone",
			"Un conseiller numérique guide pas à pas au téléphone pour une démarche en ligne.",
			func(s *directory.Service) { s.ReceptionModes = []string{"a-distance"} }, open("Mo-Fr 09:00-12:00")),
		svc(vosgesSud, atLepuix, "atelier", "numerique--maitriser-les-fondamentaux-du-numerique",
			"Atelier numérique itinérant",
			"Des ateliers d'initiation dans les mairies des villages du nord du Territoire, avec des ordinateurs portables prêtés.",
			week(2, 8), zone(paysNord...)),
		svc(vosgesSud, atLepuix, "aide-materielle", "numerique--acceder-a-une-connexion-internet numerique--acquerir-un-equipement",
			"Prêt de clés 4G et de tablettes",
			"Prêt d'une tablette et d'une clé 4G pendant trois mois, le temps d'un accompagnement ou d'une formation.",
			prescribed, zone(paysNord...)),
		svc(ordi, atDanjoutin, "aide-materielle", "numerique--acquerir-un-equipement",
			"Ordinateurs reconditionnés à prix solidaire",
			"Ordinateurs portables et fixes, smartphones reconditionnés et garantis un an, avec une prise en main.",
			pay("Portable à 80 €, fixe à 50 €, smartphone à 40 € ; garantie d'un an."),
			pub("beneficiaires-des-minimas-sociaux", "demandeurs-emploi", "etudiants")),
		svc(ordi, atDanjoutin, "information", "numerique--acceder-a-une-connexion-internet",
			"Aide au choix d'un forfait Internet ou mobile",
			"Comparer les offres sociales et les forfaits à bas prix, résilier un abonnement trop cher.",
			walkIn),
		svc(ccasBelfort, atBelfort, "accompagnement", "numerique--acceder-a-des-services-en-ligne numerique--maitriser-les-fondamentaux-du-numerique",
			"Conseiller numérique du CCAS",
			"Rendez-vous individuels pour apprendre à faire seul ses démarches en ligne.",
			zone(atBelfort)),
		svc(entraide, atBelfort, "atelier", "numerique--maitriser-les-fondamentaux-du-numerique",
			"Atelier « Créer et utiliser sa boîte mail »",
			"Créer une adresse électronique, lire et envoyer un message, joindre un document : deux séances pratiques.",
			week(2, 2)),
		svc(csChatenois, atChatenois, "accompagnement", "numerique--acceder-a-des-services-en-ligne difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
			"Point numérique de Châtenois-les-Forges",
			"Un poste en libre accès et une animatrice pour aider aux démarches en ligne.",
			walkIn),
		svc(csRougemont, atRougemont, "accompagnement", "numerique--acceder-a-des-services-en-ligne",
			"Permanence numérique à Rougemont-le-Château",
			"Aide aux démarches en ligne une matinée par semaine, sur rendez-vous.",
			open("Tu 09:00-12:00")),

		// Lecture, écriture, calcul.
		svc(lireEcrire, atBelfort, "formation", "lecture-ecriture-calcul--maitriser-le-francais lecture-ecriture-calcul--maitriser-le-calcul",
			"Ateliers savoirs de base : lire, écrire, compter",
			"Des ateliers en petits groupes pour les adultes qui ont des difficultés avec l'écrit ou le calcul dans la vie quotidienne et au travail.",
			week(6, 20)),
		svc(lireEcrire, atBelfort, "formation", "lecture-ecriture-calcul--maitriser-le-francais lecture-ecriture-calcul--maitriser-le-calcul se-former--trouver-sa-formation",
			"Préparation au certificat CléA",
			"Évaluation, formation et passage du certificat CléA, qui atteste des connaissances et compétences professionnelles de base.",
			week(9, 10), freeNote("Financé par la Région pour les demandeurs d'emploi.")),
		svc(lireEcrire, atBelfort, "atelier", "lecture-ecriture-calcul--maitriser-le-calcul difficultes-financieres--ameliorer-sa-gestion-budgetaire",
			"Atelier calcul au quotidien",
			"Budget, pourcentages, mesures, lecture d'une fiche de paie : le calcul utile au quotidien.",
			week(2, 8)),
		svc(lireEcrire, atDelle, "formation", "lecture-ecriture-calcul--maitriser-le-francais",
			"Atelier savoirs de base à Delle",
			"Les ateliers de lecture et d'écriture, deux matinées par semaine à Delle.",
			week(4, 20), at("19 rue des Jardins", "Salle associative"), zone(paysSud...)),
		svc(langues, atBelfort, "formation", "lecture-ecriture-calcul--maitriser-le-francais",
			"Français langue étrangère : cours intensifs",
			"Cours de français pour les personnes étrangères, du niveau débutant au niveau B1, avec un test de positionnement.",
			week(12, 16), pub("personnes-exilees")),
		svc(langues, atBelfort, "atelier", "lecture-ecriture-calcul--maitriser-le-francais remobilisation--lien-social",
			"Ateliers de conversation en français",
			"Deux heures par semaine pour pratiquer le français à l'oral dans une ambiance conviviale.",
			week(2, 0), pub("personnes-exilees"), walkIn),
		svc(langues, atBelfort, "formation", "lecture-ecriture-calcul--maitriser-le-francais preparer-sa-candidature--valoriser-ses-competences",
			"Français à visée professionnelle",
			"Le vocabulaire des métiers, les consignes de sécurité, l'entretien d'embauche : le français pour travailler.",
			week(10, 12), pub("personnes-exilees", "demandeurs-emploi")),
		svc(csResid, atBelfort, "atelier", "lecture-ecriture-calcul--maitriser-le-francais difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
			"Atelier d'écriture : courriers et formulaires",
			"Apprendre à rédiger un courrier, remplir un formulaire, comprendre un courrier administratif.",
			week(2, 6)),

		// Difficultés financières.
		svc(pcb, atBelfort, "accompagnement", "difficultes-financieres--ameliorer-sa-gestion-budgetaire difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere",
			"Conseil budgétaire gratuit et confidentiel",
			"Un conseiller fait le point sur le budget, aide à réduire les dépenses et à négocier avec les créanciers.",
			remote, pub("tous-publics")),
		svc(pcb, atBelfort, "accompagnement", "difficultes-financieres--situation-dendettement-surendettement",
			"Accompagnement au dossier de surendettement",
			"Aide à constituer le dossier de la Banque de France et suivi de la procédure jusqu'au plan.",
			prescribed),
		svc(pcb, atBeaucourt, "accompagnement", "difficultes-financieres--ameliorer-sa-gestion-budgetaire",
			"Permanence budget à Beaucourt",
			"Rendez-vous avec un conseiller budgétaire une fois par mois à Beaucourt.",
			open("Fr 09:00-12:00"), at("14 rue des Tilleuls", "Salle des permanences")),
		svc(pcb, "", "accompagnement", "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere",
			"Conseil budgétaire par téléphone",
			"Un premier conseil par téléphone, puis un rendez-vous si besoin.",
			func(s *directory.Service) { s.ReceptionModes = []string{"a-distance"} }),
		svc(famBudget, atValdoie, "atelier", "difficultes-financieres--acquerir-une-autonomie-budgetaire difficultes-financieres--ameliorer-sa-gestion-budgetaire",
			"Atelier « Gérer son budget au quotidien »",
			"Quatre séances pour construire son budget, suivre ses comptes et éviter les frais bancaires.",
			week(2, 4)),
		svc(famBudget, atValdoie, "accompagnement", "difficultes-financieres--acquerir-une-autonomie-budgetaire",
			"Aide éducative budgétaire",
			"Un accompagnement individuel de quelques mois pour reprendre la main sur son budget.",
			prescribed),
		svc(cd, atBelfort, "accompagnement", "difficultes-financieres--mettre-en-place-une-mesure-de-protection-financiere difficultes-administratives-ou-juridiques--beneficier-dune-mesure-daccompagnement-adapte",
			"Mesure d'accompagnement social personnalisé (MASP)",
			"Un contrat avec le Département pour gérer les prestations sociales et rétablir une situation financière fragile.",
			prescribed, cond("Personne percevant des prestations sociales dont la santé ou la sécurité est menacée par ses difficultés de gestion.")),
		svc(ccasBelfort, atBelfort, "aide-financiere", "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere",
			"Aides financières facultatives du CCAS",
			"Secours ponctuels pour faire face à une dépense imprévue : énergie, cantine, frais de santé.",
			prescribed, zone(atBelfort)),
		svc(microcredit, atBelfort, "aide-financiere", "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere mobilite--financer-ma-mobilite",
			"Microcrédit personnel accompagné",
			"Un prêt de 300 à 5 000 € pour un projet d'insertion (véhicule, formation, logement), avec un accompagnement jusqu'au remboursement.",
			cond("Capacité de remboursement étudiée avec la personne ; pas de fichage bloquant."), prescribed),
		svc(missionLoc, atBelfort, "aide-financiere", "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere",
			"Fonds d'aide aux jeunes (FAJ)",
			"Aide financière ponctuelle pour les jeunes en difficulté : subsistance, transport, formation.",
			pub("jeunes"), prescribed),
		svc(csRougemont, atRougemont, "information", "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere logement-hebergement--se-maintenir-dans-le-logement",
			"Permanence budget et énergie (hiver 2024-2025)",
			"Permanence de l'hiver dernier sur les factures d'énergie et le chèque énergie.",
			status(directory.StatusArchived)),
		svc(tutelaire, atBelfort, "information", "difficultes-financieres--mettre-en-place-une-mesure-de-protection-financiere difficultes-administratives-ou-juridiques--beneficier-dune-mesure-daccompagnement-adapte",
			"Mesures de protection : information des familles",
			"Sauvegarde de justice, curatelle, tutelle : ce que change une mesure et comment la demander au juge.",
			remote, pub("familles", "seniors")),

		// Difficultés administratives ou juridiques.
		svc(droit, atBelfort, "information", "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
			"Consultations juridiques gratuites avec un avocat",
			"Trente minutes avec un avocat pour comprendre sa situation : famille, travail, logement, dettes.",
			open("We 14:00-17:00")),
		svc(droit, atBelfort, "information", "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination",
			"Permanence contre les discriminations",
			"Un juriste écoute et conseille les personnes qui s'estiment discriminées à l'embauche, au logement ou dans l'accès à un service.",
			remote),
		svc(droit, atBelfort, "accompagnement", "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire",
			"Aide au dossier d'aide juridictionnelle",
			"Aide à remplir la demande d'aide juridictionnelle et à réunir les justificatifs.",
			walkIn),
		svc(droit, atBelfort, "accompagnement", "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
			"Accès au droit des personnes sous main de justice",
			"Permanences juridiques pour les personnes en aménagement de peine ou sortant de détention.",
			pub("personnes-en-situation-juridique-specifique"), prescribed),
		svc(plume, atOffemont, "accompagnement", "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
			"Écrivain public : courriers et dossiers administratifs",
			"Des bénévoles aident à écrire un courrier, à remplir un dossier, à comprendre un document administratif.",
			walkIn),
		svc(plume, atValdoie, "accompagnement", "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
			"Permanence d'écrivain public à Valdoie",
			"Un écrivain public reçoit sans rendez-vous deux fois par mois.",
			at("", "Salle des associations, près de la mairie"), open("Sa 09:30-11:30"), walkIn),
		svc(ccasBelfort, atBelfort, "accompagnement", "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
			"Domiciliation administrative",
			"Une adresse pour recevoir son courrier et faire valoir ses droits quand on n'a pas de domicile stable.",
			pub("personnes-en-situation-durgence"), walkIn, zone(atBelfort)),
		svc(ccasBelfort, atBelfort, "accompagnement", "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
			"Permanence sociale d'accès aux droits",
			"Un travailleur social vérifie les droits (RSA, prime d'activité, aides au logement) et aide aux démarches.",
			zone(atBelfort)),
		svc(langues, atBelfort, "accompagnement", "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete",
			"Démarches de titre de séjour et de naturalisation",
			"Aide à préparer un dossier de titre de séjour, de renouvellement ou de naturalisation, et à prendre rendez-vous.",
			pub("personnes-exilees")),
		svc(cd, atBelfort, "accompagnement", "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits difficultes-financieres--ameliorer-sa-gestion-budgetaire",
			"Accompagnement social global",
			"Un travailleur social du Département accompagne la personne dans toutes les dimensions de sa situation.",
			prescribed),
		svc(csChatenois, atChatenois, "information", "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
			"Point d'accès aux services publics",
			"Information et aide pour les démarches auprès de la CAF, de l'assurance maladie, des impôts et de France Travail.",
			walkIn),

		// Équipement et alimentation.
		svc(corbeille, atBelfort, "aide-materielle", "equipement-et-alimentation--alimentation",
			"Épicerie solidaire",
			"Produits alimentaires, d'hygiène et d'entretien à petits prix, pour quelques mois, le temps de réaliser un projet.",
			pay("Produits de 10 à 30 % du prix du marché."), prescribed,
			cond("Sur orientation d'un travailleur social ; accès de trois mois renouvelable.")),
		svc(corbeille, atBelfort, "atelier", "equipement-et-alimentation--alimentation",
			"Atelier cuisine petit budget",
			"Cuisiner de saison, équilibré et économique, puis partager le repas.",
			week(2.5, 4)),
		svc(epicerieSud, atGrandvillars, "aide-materielle", "equipement-et-alimentation--alimentation",
			"Épicerie sociale de Grandvillars",
			"Une épicerie à petits prix pour les habitants du sud du Territoire.",
			pay("Produits à 20 % du prix du marché."), prescribed, zone(paysSud...)),
		svc(epicerieSud, atJoncherey, "aide-materielle", "equipement-et-alimentation--alimentation",
			"Épicerie mobile dans les villages",
			"Un camion-épicerie passe chaque semaine dans les villages du sud du Territoire.",
			pay("Produits à 20 % du prix du marché."), prescribed, zone(paysSud...), open("Th 09:00-11:00")),
		svc(vesti, atBavilliers, "aide-materielle", "equipement-et-alimentation--habillement",
			"Vestiboutique : vêtements à petits prix",
			"Vêtements pour adultes et enfants, chaussures et linge de maison de seconde main.",
			pay("Articles de 0,50 € à 5 €."), walkIn, pub("tous-publics")),
		svc(vesti, atBavilliers, "aide-materielle", "equipement-et-alimentation--habillement trouver-un-emploi--convaincre-un-recruteur-en-entretien",
			"Une tenue pour l'entretien d'embauche",
			"Une tenue adaptée à l'entretien ou à la première semaine de travail, choisie avec une bénévole.",
			prescribed),
		svc(recyclerie, atDanjoutin, "aide-materielle", "equipement-et-alimentation--electromenager",
			"Électroménager reconditionné et garanti",
			"Réfrigérateurs, lave-linge, cuisinières révisés par l'atelier de la recyclerie et garantis six mois.",
			pay("De 30 à 150 € ; livraison possible pour 15 €.")),
		svc(recyclerie, atDanjoutin, "aide-materielle", "equipement-et-alimentation--electromenager logement-hebergement--louer-un-logement",
			"Équiper son premier logement",
			"Un lot de meubles, vaisselle et linge de maison à petit prix pour une entrée dans un logement.",
			pay("Lot de base à 50 €."), prescribed),
		svc(partage, atBelfort, "aide-materielle", "equipement-et-alimentation--alimentation remobilisation--lien-social",
			"Repas chauds à 1 €",
			"Un repas complet servi à table, le midi en semaine, dans un lieu ouvert à tous.",
			pay("1 € le repas."), walkIn),
		svc(ccasBelfort, atBelfort, "aide-materielle", "equipement-et-alimentation--alimentation",
			"Aide alimentaire d'urgence",
			"Colis alimentaires et bons d'achat pour les situations d'urgence.",
			pub("personnes-en-situation-durgence"), prescribed, zone(atBelfort)),
		svc(jardins, atBelfort, "aide-materielle", "equipement-et-alimentation--alimentation",
			"Paniers de légumes solidaires",
			"Un panier de légumes bio du chantier d'insertion chaque semaine.",
			pay("Panier à 5 € au lieu de 15 €."), prescribed),

		// Remobilisation.
		svc(sport, atBelfort, "atelier", "remobilisation--activites-sportives-et-culturelles remobilisation--bien-etre-confiance-en-soi",
			"Sport et insertion : séances collectives",
			"Deux séances de sport adapté par semaine pendant trois mois, avec un éducateur sportif.",
			pay("Adhésion de 10 € pour l'année."), week(3, 12)),
		svc(sport, atBelfort, "atelier", "remobilisation--activites-sportives-et-culturelles",
			"Randonnées du samedi",
			"Des marches accessibles autour de Belfort. Reprise au printemps.",
			status(directory.StatusSuspended)),
		svc(theatre, atDelle, "atelier", "remobilisation--bien-etre-confiance-en-soi trouver-un-emploi--convaincre-un-recruteur-en-entretien",
			"Atelier théâtre « Prendre la parole »",
			"Des exercices de théâtre pour oser parler devant les autres et se présenter à un employeur.",
			week(3, 10)),
		svc(theatre, atDelle, "atelier", "remobilisation--bien-etre-confiance-en-soi",
			"Atelier estime de soi",
			"Six séances pour prendre soin de soi et de son image, avec une socio-esthéticienne.",
			week(2, 6)),
		svc(csResid, atBelfort, "atelier", "remobilisation--lien-social remobilisation--activites-sportives-et-culturelles",
			"Café rencontre et sorties culturelles",
			"Un café chaque semaine et une sortie par mois (musée, concert, spectacle) à petit prix.",
			walkIn),
		svc(csResid, atBelfort, "information", "remobilisation--benevolat-action-citoyenne",
			"Bénévolat : trouver une mission près de chez soi",
			"Rencontre avec les associations du quartier qui cherchent des bénévoles.",
			walkIn),
		svc(csChatenois, atChatenois, "atelier", "remobilisation--lien-social remobilisation--activites-sportives-et-culturelles",
			"Jardins partagés",
			"Une parcelle à cultiver ensemble et des ateliers de jardinage.",
			pay("Adhésion de 5 € par an."), week(3, 0)),
		svc(csRougemont, atRougemont, "atelier", "remobilisation--lien-social",
			"Atelier cuisine et convivialité",
			"Préparer un repas à plusieurs et le partager, un jeudi par mois.",
			walkIn),
		svc(entraide, atBelfort, "accompagnement", "remobilisation--bien-etre-confiance-en-soi trouver-un-emploi--repondre-a-des-offres-demploi",
			"Accompagnement socioprofessionnel renforcé",
			"Un accompagnement de six mois, individuel et collectif, pour lever les freins et construire un projet.",
			week(4, 26), prescribed, pub("beneficiaires-des-minimas-sociaux")),
		svc(entraide, atBelfort, "atelier", "remobilisation--bien-etre-confiance-en-soi",
			"Atelier « Reprendre confiance »",
			"Six séances collectives pour se remettre en mouvement après une longue période sans activité.",
			week(3, 6)),
		svc(jardins, atBelfort, "accompagnement", "remobilisation--bien-etre-confiance-en-soi trouver-un-emploi--repondre-a-des-offres-demploi",
			"Chantier d'insertion maraîchage et espaces verts",
			"Un contrat de 26 heures par semaine en maraîchage biologique, avec un accompagnement socioprofessionnel et des formations.",
			week(26, 52), prescribed, pub("beneficiaires-des-minimas-sociaux", "demandeurs-emploi"),
			cond("Éligible à l'insertion par l'activité économique.")),
		svc(rosemont, atGiromagny, "atelier", "remobilisation--bien-etre-confiance-en-soi",
			"Atelier de remobilisation « Premiers pas »",
			"Quelques heures d'atelier par semaine pour reprendre un rythme avant un contrat d'insertion.",
			week(12, 8), prescribed),
		svc(missionLoc, atBelfort, "information", "remobilisation--benevolat-action-citoyenne",
			"Service civique : missions d'intérêt général",
			"Des missions de six à douze mois dans la solidarité, l'environnement ou le sport, indemnisées.",
			pub("jeunes"), walkIn),

		// Préparer sa candidature.
		svc(franceTrav, atBelfort, "atelier", "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
			"Atelier CV et lettre de motivation",
			"Construire un CV clair et une lettre adaptée à l'offre, en deux demi-journées.",
			week(3, 2), pub("demandeurs-emploi")),
		svc(franceTrav, atBelfort, "atelier", "preparer-sa-candidature--valoriser-ses-competences",
			"Atelier « Valoriser ses compétences »",
			"Identifier ses compétences, y compris celles acquises hors de l'emploi, et savoir les présenter.",
			week(3, 1), pub("demandeurs-emploi")),
		svc(franceTrav, atBelfort, "atelier", "preparer-sa-candidature--developper-son-reseau",
			"Atelier réseaux sociaux professionnels",
			"Créer un profil professionnel en ligne et l'utiliser pour se faire connaître des recruteurs.",
			week(2, 1), remote),
		svc(franceTrav, atBelfort, "accompagnement", "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi trouver-un-emploi--suivre-ses-candidatures-et-relancer-les-employeurs",
			"Club de recherche d'emploi",
			"Un groupe qui se retrouve trois matinées par semaine pendant un mois pour chercher ensemble, avec un conseiller.",
			week(9, 4), pub("demandeurs-emploi")),
		svc(missionLoc, atDelle, "atelier", "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
			"Atelier CV jeunes à Delle",
			"Réaliser son premier CV à l'antenne de Delle de la Mission locale.",
			week(2, 2), pub("jeunes"), at("9 rue des Prés", "Antenne de la Mission locale"), zone(paysSud...)),
		svc(missionLoc, atBelfort, "accompagnement", "preparer-sa-candidature--developper-son-reseau",
			"Parrainage vers l'emploi",
			"Un parrain ou une marraine en activité accompagne le jeune pendant six mois et lui ouvre son réseau.",
			pub("jeunes")),
		svc(entraide, atBelfort, "accompagnement", "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
			"Permanence CV sans rendez-vous",
			"Venir avec son CV, repartir avec un CV à jour.",
			walkIn, open("We 09:00-12:00")),
		svc(csRougemont, atRougemont, "atelier", "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
			"Atelier CV à Rougemont-le-Château",
			"Trois séances pour réaliser son CV, près de chez soi.",
			week(2, 3)),
		svc(capEmploi, atBelfort, "atelier", "preparer-sa-candidature--valoriser-ses-competences",
			"Parler de son handicap à un employeur",
			"Savoir si, quand et comment parler de sa RQTH et des aménagements utiles au poste.",
			week(3, 1), pub("personnes-en-situation-de-handicap")),
		svc(capDistance, "", "accompagnement", "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation preparer-sa-candidature--valoriser-ses-competences",
			"Coaching candidature en visioconférence",
			"Trois rendez-vous en visioconférence pour revoir son CV, sa lettre et son discours.",
			func(s *directory.Service) { s.ReceptionModes = []string{"a-distance"} },
			link("https://www.cap-distance.example/rendez-vous")),
		svc(geSavour, atBeaucourt, "atelier", "preparer-sa-candidature--valoriser-ses-competences trouver-un-emploi--convaincre-un-recruteur-en-entretien",
			"Atelier « Se présenter à un employeur »",
			"Des recruteurs du groupement font passer des entretiens d'entraînement et donnent leurs conseils.",
			week(3, 1)),

		// Trouver un emploi.
		svc(franceTrav, atBelfort, "atelier", "trouver-un-emploi--convaincre-un-recruteur-en-entretien",
			"Atelier « Réussir son entretien d'embauche »",
			"Préparer les questions, s'entraîner en simulation filmée, savoir parler de son parcours.",
			week(3, 1), pub("demandeurs-emploi")),
		svc(franceTrav, atBelfort, "information", "trouver-un-emploi--repondre-a-des-offres-demploi preparer-sa-candidature--developper-son-reseau choisir-un-metier--connaitre-les-opportunites-demploi",
			"Forum de l'emploi du Territoire de Belfort",
			"Une journée pour rencontrer une soixantaine d'employeurs qui recrutent, avec des entretiens sur place.",
			walkIn),
		svc(franceTrav, atBelfort, "accompagnement", "trouver-un-emploi--repondre-a-des-offres-demploi trouver-un-emploi--suivre-ses-candidatures-et-relancer-les-employeurs",
			"Accompagnement intensif vers l'emploi",
			"Un conseiller dédié, des rendez-vous chaque semaine et des mises en relation avec des employeurs, pendant trois mois.",
			week(6, 12), prescribed, pub("demandeurs-emploi")),
		svc(capEmploi, atBelfort, "accompagnement", "trouver-un-emploi--repondre-a-des-offres-demploi",
			"Accompagnement vers l'emploi des personnes handicapées",
			"Un chargé de mission accompagne la recherche d'emploi et négocie avec l'employeur les aménagements du poste.",
			pub("personnes-en-situation-de-handicap"), prescribed),
		svc(capEmploi, atBelfort, "accompagnement", "trouver-un-emploi--maintien-dans-lemploi",
			"Maintien dans l'emploi",
			"Quand la santé menace l'emploi : étude du poste, aménagements, aides de l'Agefiph, reclassement.",
			pub("personnes-en-situation-de-handicap", "actifs")),
		svc(missionLoc, atBelfort, "accompagnement", "trouver-un-emploi--repondre-a-des-offres-demploi remobilisation--bien-etre-confiance-en-soi",
			"Contrat d'engagement jeune (CEJ)",
			"Un accompagnement de quinze à vingt heures par semaine, avec une allocation, pour les jeunes sans emploi ni formation.",
			week(15, 52), pub("jeunes"), cond("Avoir de 16 à 25 ans (29 ans en situation de handicap).")),
		svc(coupDeMain, atGrandvillars, "accompagnement", "trouver-un-emploi--repondre-a-des-offres-demploi",
			"Missions de travail en association intermédiaire",
			"Des missions rémunérées (ménage, jardinage, manutention) chez des particuliers et des entreprises, avec un accompagnement.",
			pub("beneficiaires-des-minimas-sociaux", "demandeurs-emploi"), zone(paysSud...)),
		svc(coupDeMain, atDelle, "information", "trouver-un-emploi--repondre-a-des-offres-demploi",
			"Permanence de l'association intermédiaire à Delle",
			"Inscription et point sur les missions disponibles, le lundi matin à Delle.",
			open("Mo 09:00-12:00"), at("7 rue des Prés", "Locaux du garage solidaire"), walkIn),
		svc(geSavour, atBeaucourt, "accompagnement", "trouver-un-emploi--repondre-a-des-offres-demploi trouver-un-emploi--faire-des-candidatures-spontanees",
			"Emplois partagés dans l'industrie et la logistique",
			"Des CDI à temps plein partagés entre plusieurs entreprises adhérentes, avec une formation au poste.",
			pub("demandeurs-emploi", "actifs")),
		svc(logistique, atBourogne, "information", "trouver-un-emploi--repondre-a-des-offres-demploi",
			"Job dating préparateurs de commandes",
			"Rencontres avec l'encadrement de l'entrepôt, visite et entretiens le même jour ; formation au poste assurée.",
			walkIn, at("", "Entrepôt de la zone d'activités")),
		svc(rosemont, atGiromagny, "accompagnement", "trouver-un-emploi--repondre-a-des-offres-demploi",
			"Emplois en entreprise d'insertion : menuiserie et second œuvre",
			"Des contrats de 4 à 24 mois pour apprendre un métier du bâtiment avec un encadrant technique.",
			week(26, 104), prescribed, cond("Éligible à l'insertion par l'activité économique.")),
		svc(capDistance, "", "accompagnement", "trouver-un-emploi--suivre-ses-candidatures-et-relancer-les-employeurs",
			"Suivi des candidatures et relances",
			"Un point hebdomadaire à distance pour suivre ses candidatures, relancer et préparer les entretiens.",
			func(s *directory.Service) { s.ReceptionModes = []string{"a-distance"} }, week(1, 8)),
		svc(entraide, atBelfort, "atelier", "trouver-un-emploi--faire-des-candidatures-spontanees",
			"Atelier « Candidatures spontanées »",
			"Cibler les entreprises, préparer un message, appeler un employeur : deux séances pratiques.",
			week(3, 2)),

		// Choisir un métier.
		svc(franceTrav, atBelfort, "accompagnement", "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite choisir-un-metier--confirmer-son-choix-de-metier",
			"Immersion professionnelle (PMSMP)",
			"Quelques jours en entreprise pour découvrir un métier ou confirmer un projet, sans perdre ses droits.",
			week(35, 2), prescribed),
		svc(franceTrav, atBelfort, "atelier", "choisir-un-metier--identifier-ses-points-forts-et-ses-competences",
			"Évaluation des habiletés par simulation",
			"Des exercices qui reproduisent les gestes d'un métier, pour révéler des capacités sans exiger de diplôme.",
			week(6, 1), pub("demandeurs-emploi")),
		svc(franceTrav, atBelfort, "accompagnement", "choisir-un-metier--identifier-ses-points-forts-et-ses-competences choisir-un-metier--connaitre-les-opportunites-demploi",
			"Conseil en évolution professionnelle",
			"Faire le point sur son parcours et construire un projet d'évolution avec un conseiller.",
			remote),
		svc(missionLoc, atBelfort, "atelier", "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
			"Découverte des métiers : visites d'entreprises",
			"Deux visites d'entreprise par semaine pendant deux semaines, dans des secteurs qui recrutent.",
			week(6, 2), pub("jeunes")),
		svc(logistique, atBourogne, "atelier", "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
			"Découverte des métiers de la logistique",
			"Une demi-journée dans l'entrepôt : réception, préparation de commandes, conduite d'engins.",
			week(4, 1), at("", "Entrepôt de la zone d'activités")),
		svc(ateliersMeca, atDelle, "accompagnement", "choisir-un-metier--confirmer-son-choix-de-metier",
			"Immersion en atelier d'usinage",
			"Une semaine aux côtés d'un opérateur sur commande numérique pour confirmer son projet.",
			week(35, 1), prescribed),
		svc(competences, atBavilliers, "accompagnement", "choisir-un-metier--identifier-ses-points-forts-et-ses-competences",
			"Bilan de compétences",
			"Vingt-quatre heures d'entretiens et de tests pour définir un projet professionnel réaliste.",
			pay("1 500 €, finançables par le compte personnel de formation ; reste à charge de 100 €, sauf pour les demandeurs d'emploi."),
			week(3, 8)),
		svc(entraide, atBelfort, "atelier", "choisir-un-metier--identifier-ses-points-forts-et-ses-competences",
			"Atelier « Mes atouts, mes envies »",
			"Quatre séances pour repérer ce que l'on sait faire et ce que l'on aime faire.",
			week(3, 4)),
		svc(capEmploi, atBelfort, "accompagnement", "choisir-un-metier--confirmer-son-choix-de-metier",
			"Projet professionnel et handicap",
			"Vérifier qu'un métier est compatible avec sa santé, avec le médecin du travail et des immersions.",
			pub("personnes-en-situation-de-handicap"), prescribed),
		svc(cd, atBelfort, "information", "choisir-un-metier--connaitre-les-opportunites-demploi",
			"Forum des métiers qui recrutent 2025",
			"Le forum de l'an dernier ; la prochaine édition sera annoncée ici.",
			status(directory.StatusArchived)),

		// Se former.
		svc(competences, atBavilliers, "formation", "se-former--trouver-sa-formation",
			"Formation préparateur de commandes avec CACES R489",
			"Six semaines de formation, dont deux en entrepôt, avec le passage du CACES chariots.",
			pay("1 800 €, pris en charge par la Région ou France Travail pour les demandeurs d'emploi."),
			week(35, 6), pub("demandeurs-emploi")),
		svc(competences, atBavilliers, "formation", "se-former--trouver-sa-formation",
			"Titre professionnel agent de propreté et d'hygiène",
			"Formation qualifiante de quatre mois en alternance avec des stages en entreprise.",
			pay("Prise en charge par la Région pour les demandeurs d'emploi."), week(30, 16)),
		svc(competences, atBavilliers, "formation", "se-former--trouver-sa-formation",
			"Préparation aux métiers de l'aide à domicile",
			"Douze semaines pour découvrir les métiers de l'aide à la personne et préparer l'entrée en formation qualifiante.",
			week(30, 12)),
		svc(competences, atBavilliers, "formation", "se-former--trouver-sa-formation lecture-ecriture-calcul--maitriser-le-calcul",
			"Remise à niveau avant une formation qualifiante",
			"Français, mathématiques et méthodes de travail pour réussir les tests d'entrée.",
			week(20, 6), status(directory.StatusDraft)),
		svc(franceTrav, atBelfort, "information", "se-former--trouver-sa-formation se-former--monter-son-dossier-de-formation",
			"Information sur les formations financées",
			"Réunion d'information sur les formations financées par la Région et France Travail dans le Territoire.",
			remote, link("https://www.francetravail.example/reunions-formation")),
		svc(franceTrav, atBelfort, "accompagnement", "se-former--monter-son-dossier-de-formation",
			"Aide au montage du dossier de formation",
			"Devis, compte personnel de formation, aide individuelle à la formation : un conseiller monte le dossier avec la personne.",
			pub("demandeurs-emploi")),
		svc(missionLoc, atBelfort, "information", "se-former--trouver-sa-formation",
			"Orientation vers l'apprentissage",
			"Trouver une formation en apprentissage et un employeur, préparer le contrat.",
			pub("jeunes")),
		svc(rosemont, atGiromagny, "formation", "se-former--trouver-sa-formation",
			"Formation en situation de travail : menuiserie",
			"Apprendre les gestes de la menuiserie sur des chantiers réels, avec une validation des compétences.",
			week(26, 26), prescribed),
		svc(jardins, atBelfort, "formation", "se-former--trouver-sa-formation",
			"Préqualification aux métiers des espaces verts",
			"Dix semaines de formation pratique et théorique avant une entrée en formation qualifiante.",
			week(20, 10), prescribed),
		svc(capEmploi, atBelfort, "information", "se-former--monter-son-dossier-de-formation",
			"Formation et handicap : aménagements et aides",
			"Information sur les aides de l'Agefiph et les aménagements d'une formation.",
			pub("personnes-en-situation-de-handicap"), remote),

		// Créer une entreprise.
		svc(couveuse, atBelfort, "accompagnement", "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise",
			"Couveuse : tester son activité en toute sécurité",
			"Tester son activité pendant un à trois ans sans créer de structure, avec un accompagnement et des formations.",
			cond("Projet déjà défini ; réunion d'information préalable.")),
		svc(couveuse, atBelfort, "information", "creer-une-entreprise--definir-son-projet-de-creation-dentreprise",
			"Réunion d'information création d'entreprise",
			"Deux heures pour connaître les étapes, les statuts et les aides à la création.",
			remote, link("https://www.couveuse-nfc.example/reunions")),
		svc(couveuse, atBelfort, "atelier", "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise",
			"Atelier « Étude de marché et communication »",
			"Définir son marché, son offre et sa communication en quatre séances.",
			week(3, 4)),
		svc(microcredit, atBelfort, "aide-financiere", "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise creer-une-entreprise--developper-son-entreprise",
			"Microcrédit professionnel",
			"Un prêt jusqu'à 12 000 € pour créer ou développer une petite entreprise, avec un accompagnement.",
			remote),
		svc(microcredit, atBelfort, "accompagnement", "creer-une-entreprise--developper-son-entreprise",
			"Accompagnement des micro-entrepreneurs",
			"Suivi pendant les trois premières années : gestion, déclarations, développement.",
			remote),
		svc(franceTrav, atBelfort, "atelier", "creer-une-entreprise--definir-son-projet-de-creation-dentreprise",
			"Atelier « Créer son entreprise : de l'idée au projet »",
			"Une journée pour confronter son idée au marché et connaître les aides aux demandeurs d'emploi créateurs.",
			week(6, 1), pub("demandeurs-emploi")),
		svc(cd, atBelfort, "accompagnement", "creer-une-entreprise--developper-son-entreprise",
			"Accompagnement des travailleurs indépendants au RSA",
			"Un conseiller spécialisé aide à rendre l'activité viable ou à envisager une autre voie.",
			pub("beneficiaires-des-minimas-sociaux"), prescribed),

		// S'ouvrir à l'international.
		svc(europe, atBelfort, "information", "souvrir-a-linternational--connaitre-les-opportunites-demploi-a-letranger",
			"Mobilité en Europe : stages, emplois, volontariat",
			"Information sur les programmes européens de mobilité, le corps européen de solidarité et les emplois à l'étranger.",
			pub("jeunes", "etudiants", "demandeurs-emploi"), walkIn),
		svc(europe, atDelle, "information", "souvrir-a-linternational--sinformer-sur-les-aides-pour-travailler-a-letranger",
			"Travailler en Suisse : permanence frontalière",
			"Permis frontalier, assurance maladie, impôts, chômage : ce qu'il faut savoir avant de travailler en Suisse.",
			open("Th 14:00-17:00"), at("19 rue des Jardins", "Maison des associations")),
		svc(franceTrav, atBelfort, "accompagnement", "souvrir-a-linternational--connaitre-les-opportunites-demploi-a-letranger",
			"Conseiller EURES : trouver un emploi en Europe",
			"Un conseiller spécialisé aide à chercher un emploi dans un autre pays européen et à préparer le départ.",
			remote, pub("demandeurs-emploi")),
		svc(retour, "", "accompagnement", "souvrir-a-linternational--sorganiser-suite-a-son-retour-en-france difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
			"S'organiser après un retour en France",
			"Assurance maladie, inscription à France Travail, logement, reconnaissance des diplômes : un accompagnement à distance.",
			func(s *directory.Service) { s.ReceptionModes = []string{"a-distance"} }, link("https://www.retour-avenir.example/contact")),
		svc(missionLoc, atBelfort, "information", "souvrir-a-linternational--sinformer-sur-les-aides-pour-travailler-a-letranger",
			"Volontariat et mobilité internationale des jeunes",
			"Partir à l'étranger pour une mission, un stage ou un emploi, avec les aides disponibles.",
			pub("jeunes")),
	}
	byName := make(map[string]DirStructure, len(DirectoryStructures))
	for _, d := range DirectoryStructures {
		byName[d.Name] = d
	}
	for i := range out {
		complete(&out[i], byName[out[i].StructureName])
	}
	return out
}

// complete fills what a service of the table leaves to its structure and
// to the defaults: its contact, address and opening hours, free of
// charge, open to all, in person, mobilised by professionals and users
// through every contact it gives, in the whole département, published.
func complete(s *directory.Service, d DirStructure) {
	if s.Phone == "" {
		s.Phone = d.Phone
	}
	if s.Email == "" {
		s.Email = d.Email
	}
	if s.CommuneINSEE == d.CommuneINSEE && s.Address == "" && s.AddressComplement == "" {
		s.Address = d.Address
	}
	if s.OpeningHours == "" && s.CommuneINSEE == d.CommuneINSEE {
		s.OpeningHours = d.OpeningHours
	}
	if s.Fees == "" {
		s.Fees = "gratuit"
	}
	if s.Publics == nil {
		s.Publics = []string{"tous-publics"}
	}
	if s.ReceptionModes == nil {
		s.ReceptionModes = []string{"en-presentiel"}
	}
	if s.Email != "" {
		s.MobilisationModes = append(s.MobilisationModes, "envoyer-un-courriel")
	}
	if s.Phone != "" {
		s.MobilisationModes = append(s.MobilisationModes, "telephoner")
	}
	if s.MobilisationLink != "" {
		s.MobilisationModes = append(s.MobilisationModes, "utiliser-lien-mobilisation")
	}
	slices.Sort(s.MobilisationModes)
	if s.MobilisableBy == nil {
		s.MobilisableBy = []string{"professionnels", "usagers"}
	}
	if s.EligibilityZone == nil {
		s.EligibilityZone = []string{TerritoryCode}
	}
	if s.Status == "" {
		s.Status = directory.StatusPublished
	}
}
