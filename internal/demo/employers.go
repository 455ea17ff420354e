package demo

import (
	"fmt"
	"slices"
	"time"

	"github.com/spie-parcours/parcours/internal/employment"
)

// The demo's partner employers, around Belfort, Montbéliard and Héricourt
// (within about 25 km of Belfort), and their offers and immersions. The
// communes and the ROME appellations are real; the employers are invented:
// every name says it is fictional, the SIRET numbers start with 000 (no
// real SIRET does), the e-mail addresses are under .example and the phone
// numbers in the fiction range 03 53 01 xx xx, and every offer description
// ends with offerSuffix.

// offerSuffix ends every description of a demo offer.
const offerSuffix = "Offre fictive de démonstration."

// INSEE codes of the communes of the demo employers beyond the ones of the
// directory (services.go), as the referential spells them (a test checks
// each one): the Territoire de Belfort, the Pays de Montbéliard (25) and
// the Pays d'Héricourt (70).
const (
	atAndelnans     = "90001"
	atTrevenans     = "90097"
	atMezire        = "90069"
	atSermamagny    = "90093"
	atRoppe         = "90087"
	atFontaine      = "90047"
	atMontbeliard   = "25388"
	atAudincourt    = "25031"
	atValentigney   = "25580"
	atSochaux       = "25547"
	atEtupes        = "25228"
	atExincourt     = "25230"
	atBethoncourt   = "25057"
	atGrandCharmont = "25284"
	atSeloncourt    = "25539"
	atVoujeaucourt  = "25632"
	atNommay        = "25428"
	atHericourt     = "70285"
	atChalonvillars = "70117"
	atCouthenans    = "70184"
	atChenebier     = "70149"
)

// servedByTransit are the communes whose urban bus network (Optymo in the
// Territoire de Belfort, evolitY in the Pays de Montbéliard, the town
// lines of Héricourt) reaches a workplace at day hours.
var servedByTransit = map[string]bool{
	atBelfort: true, atBavilliers: true, atDanjoutin: true, atValdoie: true, atOffemont: true, atEssert: true,
	atCravanche: true, atDelle: true, atBeaucourt: true, atGrandvillars: true, atGiromagny: true, atBourogne: true,
	atChatenois: true, atAndelnans: true, atTrevenans: true, atMezire: true,
	atMontbeliard: true, atAudincourt: true, atValentigney: true, atSochaux: true, atEtupes: true, atExincourt: true,
	atBethoncourt: true, atGrandCharmont: true, atSeloncourt: true, atVoujeaucourt: true, atNommay: true,
	atHericourt: true,
}

// postFlag is a condition of a post.
type postFlag uint8

const (
	postNight   postFlag = 1 << iota // night work
	postShifts                       // shifts: one offer in two is the night team
	postWeekend                      // weekend work
	postLicence                      // a driving licence is required
	postVehicle                      // the person needs their own vehicle
	postAdapted                      // adapted to a disability
)

// post is a kind of job an employer offers: a ROME appellation (code OGR),
// a title, the usual weekly hours, its conditions and what it is.
type post struct {
	appellation string
	title       string
	hours       int
	flags       postFlag
	desc        string
}

// The posts of the demo, by ROME domaine.
var (
	// Logistics (N11, N13).
	postPicker   = post{"17993", "Préparateur / Préparatrice de commandes", 35, postShifts, "Préparation des commandes au scanner et à la commande vocale, filmage des palettes, contrôle des colis."}
	postForklift = post{"11684", "Cariste d'entrepôt", 35, postShifts, "Conduite de chariots élévateurs (CACES 1, 3 et 5 ou formation prise en charge), chargement des camions, inventaires."}
	postDock     = post{"10580", "Agent / Agente de quai réceptionnaire", 35, postNight, "Déchargement des camions, contrôle des livraisons, tri des colis par tournée."}
	postHandler  = post{"16361", "Manutentionnaire", 35, 0, "Manutention de colis et de charges, rangement du stock, port de charges avec aides à la manutention."}
	postStock    = post{"10386", "Agent / Agente d'archivage en entrepôt", 35, 0, "Réception, classement et destruction d'archives de clients, saisie dans le logiciel de gestion."}
	postStorekpr = post{"16276", "Magasinier / Magasinière", 35, 0, "Réception des pièces, rangement, préparation des sorties de stock pour les ateliers."}
	postDockLead = post{"12266", "Chef de quai logistique", 35, postShifts, "Organisation des chargements et des équipes de quai, suivi des expéditions."}
	postMover    = post{"13947", "Déménageur / Déménageuse", 39, postLicence, "Emballage, portage et chargement de mobilier chez les particuliers et les entreprises."}
	postMoverAid = post{"10875", "Aide-déménageur / Aide-déménageuse", 35, 0, "Portage et protection du mobilier, en équipe avec un chef déménageur."}

	// Road transport (N41).
	postTruck    = post{"11989", "Chauffeur / Chauffeuse de poids lourd", 39, postLicence | postShifts, "Transport régional de palettes, départ tôt le matin (permis C ou CE et FIMO exigés)."}
	postDelivery = post{"11999", "Chauffeur-livreur / Chauffeuse-livreuse", 35, postLicence, "Livraison de colis en véhicule utilitaire léger sur le Nord Franche-Comté (permis B)."}
	postBus      = post{"12898", "Conducteur / Conductrice de bus urbain et interurbain", 35, postLicence | postWeekend, "Conduite sur les lignes urbaines et scolaires (permis D, formation possible par la voie de la professionnalisation)."}
	postCourier  = post{"13795", "Coursier / Coursière", 24, postLicence, "Courses urgentes entre entreprises en scooter ou en voiture (permis B ou AM)."}

	// Industry (H21, H26, H29, H32, H33, H34).
	postAssembly = post{"10390", "Agent / Agente d'assemblage mécanique", 35, postShifts, "Montage de sous-ensembles mécaniques sur ligne, contrôle visuel, autocontrôle des couples de serrage."}
	postMounter  = post{"10533", "Agent / Agente de montage mécanique", 35, postShifts, "Montage et réglage d'équipements sur poste de travail, lecture de gammes de montage."}
	postLineOp   = post{"10561", "Agent / Agente de production de montage-assemblage mécanique", 35, postShifts, "Production en équipes de 2x8 sur ligne d'assemblage, formation interne au poste."}
	postMachinst = post{"20497", "Usineur / Usineuse", 35, postShifts, "Usinage de pièces sur tours et centres d'usinage, contrôle aux instruments de mesure."}
	postCNC      = post{"17282", "Opérateur / Opératrice sur Commande Numérique -CN-", 35, postShifts, "Chargement des machines à commande numérique, surveillance de la production, contrôle des cotes."}
	postMiller   = post{"15164", "Fraiseur / Fraiseuse sur Commande Numérique -CN-", 35, 0, "Réglage et conduite de fraiseuses à commande numérique sur petites séries."}
	postSetter   = post{"18432", "Régleur / Régleuse de machine d'usinage des matériaux", 35, postShifts, "Changements de série et réglages des décolleteuses, premier contrôle des pièces."}
	postWelder   = post{"19459", "Soudeur / Soudeuse à l'arc semi-automatique", 35, 0, "Soudage MIG-MAG de structures en acier, lecture de plans, préparation des pièces."}
	postWeldAid  = post{"10896", "Aide-soudeur / Aide-soudeuse en montage-assemblage mécanique", 35, 0, "Préparation et meulage des pièces, pointage, aide au soudage en atelier."}
	postPiper    = post{"20475", "Tuyauteur / Tuyauteuse", 35, 0, "Fabrication et montage de tuyauteries industrielles en atelier et sur site."}
	postBoiler   = post{"11971", "Chaudronnier / Chaudronnière", 35, 0, "Traçage, découpe, formage et assemblage de tôles en atelier de chaudronnerie."}
	postPainter  = post{"17632", "Peintre industriel / industrielle", 35, postShifts, "Préparation des surfaces et mise en peinture au pistolet de pièces métalliques en cabine."}
	postCabler   = post{"11610", "Câbleur / Câbleuse d'armoires", 35, 0, "Câblage d'armoires électriques d'après schémas, repérage et tests de continuité."}
	postElecProd = post{"16778", "Monteur / Monteuse de fabrication de matériels électriques", 35, 0, "Montage de composants et de faisceaux électriques sur poste de travail."}
	postFoundry  = post{"17149", "Opérateur / Opératrice de production des métaux", 35, postShifts, "Conduite des installations de coulée, ébavurage et contrôle des pièces de fonderie."}
	postMoulder  = post{"13140", "Conducteur / Conductrice de presses à injecter les matières plastiques", 35, postShifts, "Surveillance des presses à injecter, changements de moules avec le régleur, contrôle qualité."}
	postComposit = post{"17203", "Opérateur / Opératrice en matériaux composites", 35, 0, "Drapage et moulage de pièces en composite, finition et contrôle."}
	postPacker   = post{"10405", "Agent / Agente de conditionnement et de manutention", 35, postShifts, "Conditionnement des pièces en sortie de ligne, étiquetage et mise sur palette."}
	postHandPack = post{"10406", "Agent / Agente de conditionnement manuel", 30, 0, "Mise sous sachet, assemblage simple et étiquetage à un poste assis ou debout."}
	postPackLine = post{"12992", "Conducteur / Conductrice de ligne d'emballage", 35, postShifts, "Conduite d'une ligne d'emballage automatisée, approvisionnement et petits réglages."}
	postFoodProd = post{"10448", "Agent / Agente de fabrication de production alimentaire", 35, postShifts, "Pesée des ingrédients, fabrication et conditionnement en respectant les règles d'hygiène."}
	postFoodLine = post{"12997", "Conducteur / Conductrice de ligne en pâtisserie industrielle", 35, postNight, "Conduite d'une ligne de fabrication de biscuits, réglages et nettoyage de fin de poste."}
	postDairy    = post{"12996", "Conducteur / Conductrice de ligne en industrie laitière", 35, postWeekend, "Conduite de la ligne de moulage et d'affinage des fromages, travail en salle réfrigérée."}

	// Building and public works (F16, F17).
	postMason    = post{"16250", "Maçon / Maçonne", 39, postLicence, "Maçonnerie de maisons individuelles et de petits collectifs, lecture de plans."}
	postMasonAid = post{"10879", "Aide-maçon / Aide-maçonne", 39, 0, "Préparation du mortier et du béton, approvisionnement du poste, montage d'échafaudages."}
	postLabourer = post{"16351", "Manoeuvre bâtiment", 35, 0, "Nettoyage et approvisionnement de chantier, manutention, aide aux compagnons."}
	postRoadLab  = post{"16356", "Manoeuvre routier / routière", 39, 0, "Travaux de voirie et de réseaux : terrassement manuel, pose de bordures, signalisation de chantier."}
	postVRDAid   = post{"10851", "Aide maçon / maçonne Voiries et Réseaux Divers VRD", 39, postLicence, "Pose de canalisations et de regards, en équipe, sur chantiers du Territoire."}
	postTipper   = post{"12902", "Conducteur / Conductrice de camion-benne", 39, postLicence, "Transport de matériaux entre carrières et chantiers (permis C exigé)."}
	postDrywall  = post{"17821", "Plaquiste", 39, 0, "Pose de cloisons, de doublages et de plafonds en plaques de plâtre, bandes et finitions."}
	postPaintBld = post{"17619", "Peintre en bâtiment", 35, 0, "Préparation des supports, peinture intérieure et extérieure, pose de revêtements muraux."}
	postPaintInt = post{"17618", "Peintre d'intérieur", 35, 0, "Remise en état de logements entre deux locataires : rebouchage, peinture, sols."}
	postElec     = post{"14635", "Electricien / Electricienne du bâtiment", 35, postLicence, "Installation électrique de logements neufs et rénovation, mise en conformité."}
	postRoofer   = post{"13822", "Couvreur / Couvreuse", 39, 0, "Couverture en tuiles et en ardoises, zinguerie, travail en hauteur avec protections."}
	postJoiner   = post{"16611", "Menuisier / Menuisière", 35, 0, "Fabrication en atelier de fenêtres, portes et escaliers en bois."}
	postFitter   = post{"16625", "Menuisier poseur / Menuisière poseuse aluminium", 35, postLicence, "Pose de fenêtres et de vérandas en aluminium chez les particuliers."}

	// Hotels and restaurants (G15, G16, G17, G18).
	postChamber  = post{"20500", "Valet / Femme de chambre", 28, postWeekend, "Nettoyage et préparation des chambres, réassort des produits d'accueil."}
	postFloor    = post{"14793", "Employé / Employée d'étage", 30, postWeekend, "Entretien des étages et des parties communes de l'hôtel."}
	postReceptn  = post{"14780", "Employé / Employée de réception en établissement hôtelier", 35, postWeekend | postShifts, "Accueil des clients, arrivées et départs, réservations et encaissements."}
	postWaiter   = post{"19427", "Serveur / Serveuse de restaurant", 35, postWeekend, "Mise en place de la salle, service à l'assiette, encaissement."}
	postCook     = post{"13861", "Cuisinier / Cuisinière", 39, postWeekend, "Préparation des entrées, plats et desserts d'une carte de brasserie."}
	postCommis   = post{"12756", "Commis / Commise de cuisine", 35, postWeekend, "Épluchage, préparations froides, dressage et nettoyage du poste."}
	postDish     = post{"17846", "Plongeur / Plongeuse en restauration", 30, postWeekend, "Lavage de la vaisselle et des ustensiles, entretien de la cuisine."}
	postCanteen  = post{"13863", "Cuisinier / Cuisinière de collectivité", 35, 0, "Production de repas pour les cantines scolaires et les établissements de santé."}
	postCantCom  = post{"12757", "Commis / Commise de cuisine de collectivité", 35, 0, "Préparations en cuisine centrale, conditionnement des repas, nettoyage."}
	postCantEmp  = post{"14786", "Employé / Employée de restauration collective", 26, 0, "Service des repas au self, plonge et entretien de la salle."}
	postFastFood = post{"10594", "Agent / Agente de restauration rapide", 24, postWeekend, "Préparation des commandes, service au comptoir et au drive, entretien du restaurant."}
	postCrew     = post{"14812", "Employé polyvalent / Employée polyvalente de restaurant", 30, postWeekend, "Préparation, service et encaissement dans un restaurant de centre-ville."}
	postCafeter  = post{"14759", "Employé / Employée de cafétéria", 28, postWeekend, "Préparation des plats froids, service en ligne de self, encaissement."}

	// Personal services (K13), health (J13, J14, J15).
	postHomeAid   = post{"10805", "Aide à domicile", 26, postLicence | postVehicle | postWeekend, "Entretien du logement, courses et repas chez des personnes âgées, un week-end sur trois."}
	postHomeAgt   = post{"10348", "Agent / Agente à domicile", 24, postLicence | postVehicle, "Ménage et repassage chez des particuliers, secteurs regroupés pour limiter les trajets."}
	postLifeAsst  = post{"11255", "Assistant / Assistante de vie", 28, postLicence | postWeekend, "Aide au lever, à la toilette et aux repas de personnes âgées ou handicapées."}
	postAuxVie    = post{"11453", "Auxiliaire de vie", 30, postLicence | postWeekend, "Accompagnement dans les actes de la vie quotidienne, en lien avec l'infirmier coordinateur."}
	postHouseAid  = post{"10857", "Aide ménager / ménagère à domicile", 20, 0, "Ménage chez des particuliers en centre-ville, accessibles à pied ou en bus."}
	postChildAsst = post{"11180", "Assistant / Assistante accueil petite enfance", 30, 0, "Accueil des enfants et des parents, soins, repas, activités d'éveil en micro-crèche."}
	postNursAux   = post{"11448", "Auxiliaire de puériculture", 35, 0, "Soins et accompagnement des enfants de 3 mois à 3 ans au sein d'une équipe pluridisciplinaire."}
	postHouseMgr  = post{"16325", "Maître / Maîtresse de maison de retraite", 35, postWeekend, "Entretien du linge et des espaces de vie, aide au service des repas, présence auprès des résidents."}
	postCareAid   = post{"10891", "Aide-soignant / Aide-soignante", 35, postWeekend | postShifts, "Soins d'hygiène et de confort des résidents, en équipe de jour ou de nuit."}
	postGeriAid   = post{"10893", "Aide-soignant / Aide-soignante en gériatrie", 35, postWeekend | postShifts, "Soins et accompagnement des patients âgés en service de soins de suite."}
	postASH       = post{"10698", "Agent / Agente des services hospitaliers", 35, postWeekend, "Bionettoyage des chambres et des locaux de soins, distribution des repas."}
	postBioClean  = post{"10395", "Agent / Agente de bio nettoyage hospitalier", 30, postWeekend, "Bionettoyage des blocs et des services, protocoles d'hygiène hospitalière."}
	postAmbul     = post{"10927", "Ambulancier / Ambulancière", 35, postLicence | postWeekend | postShifts, "Transport sanitaire de patients, en équipage (diplôme d'auxiliaire ambulancier pour débuter)."}

	// Cleaning (K22), waste (K23), security (K25).
	postCleaner  = post{"10571", "Agent / Agente de propreté de locaux", 24, 0, "Entretien de bureaux et de locaux commerciaux, en début de matinée ou en fin de journée."}
	postOffClean = post{"10687", "Agent / Agente d'entretien/propreté de bureaux", 20, 0, "Nettoyage de bureaux en horaires décalés, matériel fourni."}
	postIndClean = post{"10537", "Agent / Agente de nettoyage industriel", 35, postShifts, "Nettoyage de lignes de production et d'ateliers, utilisation d'autolaveuses et de nettoyeurs haute pression."}
	postIndMaint = post{"10669", "Agent / Agente d'entretien de nettoyage industriel", 35, postNight, "Nettoyage des installations industrielles à l'arrêt de production, la nuit."}
	postWindow   = post{"16166", "Laveur / Laveuse de vitres", 35, postLicence, "Nettoyage de vitreries de bâtiments tertiaires, travail sur perche et nacelle."}
	postLaundry  = post{"10563", "Agent / Agente de production en blanchisserie industrielle", 35, postAdapted, "Tri du linge, alimentation des machines de repassage, pliage et mise en chariot."}
	postSorter   = post{"10638", "Agent / Agente de tri des déchets", 26, 0, "Tri des dons et des encombrants, réparation simple et mise en rayon à la ressourcerie."}
	postRecycler = post{"10582", "Agent / Agente de récupération et de recyclage", 26, postLicence, "Collecte d'objets chez les particuliers, démontage et valorisation des matériaux."}
	postGuard    = post{"10599", "Agent / Agente de sécurité", 35, postNight | postWeekend, "Surveillance de sites industriels et commerciaux, rondes (carte professionnelle CNAPS)."}
	postPrevent  = post{"10556", "Agent / Agente de prévention et de sécurité", 35, postWeekend | postShifts, "Filtrage des accès et prévention dans un centre commercial (formation possible)."}

	// Retail (D11, D12, D15).
	postShelf    = post{"14778", "Employé / Employée de rayon", 30, postWeekend, "Mise en rayon, rotation des produits, facing et renseignement des clients."}
	postShelfNgt = post{"14802", "Employé / Employée en approvisionnement de rayon", 30, postNight, "Réception et mise en rayon avant l'ouverture du magasin, de 4 h à 10 h."}
	postSelfSvc  = post{"14769", "Employé / Employée de libre-service", 30, postWeekend, "Approvisionnement des rayons et accueil des clients dans un supermarché de quartier."}
	postCashier  = post{"15487", "Hôte / Hôtesse de caisse", 25, postWeekend, "Encaissement, accueil et information des clients, ouverture et fermeture de caisse."}
	postCashSelf = post{"11645", "Caissier / Caissière en libre-service", 24, postWeekend, "Encaissement et caisses automatiques, tenue de l'accueil."}
	postButcher  = post{"11564", "Boucher / Bouchère", 39, postWeekend, "Découpe et préparation des viandes, service à la coupe."}
	postBakeSale = post{"20560", "Vendeur / Vendeuse en boulangerie-pâtisserie", 30, postWeekend, "Vente, conseil et encaissement, mise en place de la vitrine dès l'ouverture."}
	postBaker    = post{"11573", "Boulanger / Boulangère", 39, postNight | postWeekend, "Pétrissage, façonnage et cuisson du pain et des viennoiseries, à partir de 3 h."}
	postBakerAid = post{"10868", "Aide-boulanger / Aide-boulangère", 35, postNight, "Aide à la fabrication et à la cuisson, nettoyage du fournil."}
	postDIY      = post{"20561", "Vendeur / Vendeuse en bricolage", 35, postWeekend, "Conseil et vente au rayon outillage et quincaillerie, réassort."}
	postGreens   = post{"20525", "Vendeur / Vendeuse de fruits et légumes", 26, postWeekend, "Vente des légumes du jardin au marché et au point de vente de l'exploitation."}

	// Farming, green spaces, forestry (A12, A14).
	postGreenWkr = post{"17480", "Ouvrier / Ouvrière des espaces verts", 35, postLicence, "Tonte, taille, débroussaillage et plantations chez des particuliers et des collectivités."}
	postGardener = post{"16069", "Jardinier / Jardinière paysagiste", 35, postLicence, "Création de jardins : plantations, engazonnement, petite maçonnerie paysagère."}
	postParks    = post{"10675", "Agent / Agente d'entretien des parcs et jardins", 26, 0, "Entretien des espaces verts de sites d'entreprises : tonte, désherbage manuel, ramassage."}
	postNature   = post{"10673", "Agent / Agente d'entretien des espaces naturels", 26, 0, "Entretien de sentiers et de milieux naturels, débroussaillage, petits aménagements en bois."}
	postRivers   = post{"10677", "Agent / Agente d'entretien des rivières", 26, 0, "Entretien des berges de la Savoureuse et de ses affluents, abattage léger, plantations."}
	postMarket   = post{"17388", "Ouvrier / Ouvrière agricole en maraîchage-horticulture", 26, 0, "Semis, plantations, récoltes et préparation des paniers de légumes biologiques."}
	postGrower   = post{"16384", "Maraîcher / Maraîchère", 35, postWeekend, "Conduite des cultures sous serre et en plein champ, irrigation, récoltes."}
	postDairyFrm = post{"17395", "Ouvrier / Ouvrière agricole en production laitière", 35, postWeekend | postVehicle, "Traite, alimentation et soins du troupeau, entretien des bâtiments."}
	postLogger   = post{"11606", "Bûcheron / Bûcheronne", 39, postLicence | postVehicle, "Abattage et façonnage en forêt communale et domaniale, travail en équipe."}
	postForestry = post{"16353", "Manoeuvre forestier / forestière", 35, postVehicle, "Débroussaillage, plantations et entretien des parcelles forestières."}

	// Support (M16), maintenance (I12, I16).
	postAdmin     = post{"11183", "Assistant administratif / Assistante administrative", 35, 0, "Accueil téléphonique, saisie, classement et suivi des dossiers administratifs."}
	postSecret    = post{"19364", "Secrétaire", 28, 0, "Tenue de l'agenda, courriers, devis et factures pour une petite entreprise."}
	postReception = post{"10372", "Agent / Agente d'accueil", 30, 0, "Accueil physique et téléphonique, orientation des visiteurs, gestion du courrier."}
	postJanitor   = post{"10679", "Agent / Agente d'entretien du bâtiment", 35, postLicence, "Petits travaux de plomberie, d'électricité et de peinture dans un parc de logements."}
	postMechanic  = post{"16446", "Mécanicien / Mécanicienne automobile", 39, 0, "Entretien et réparation de véhicules légers, diagnostic, montage de pneumatiques."}
	postBodywork  = post{"11698", "Carrossier / Carrossière", 39, 0, "Redressage, remplacement d'éléments de carrosserie et préparation à la peinture."}
)

// The contracts an employer offers, in turn.
var (
	contractsLogistics = []employment.ContractType{employment.ContractInterim, employment.ContractCDI, employment.ContractInterim, employment.ContractCDD, employment.ContractProfession}
	contractsIndustry  = []employment.ContractType{employment.ContractCDI, employment.ContractInterim, employment.ContractCDD, employment.ContractApprentice, employment.ContractInterim, employment.ContractProfession}
	contractsBuilding  = []employment.ContractType{employment.ContractCDI, employment.ContractInterim, employment.ContractApprentice, employment.ContractCDD}
	contractsHotel     = []employment.ContractType{employment.ContractCDI, employment.ContractCDD, employment.ContractApprentice, employment.ContractCDD}
	contractsCare      = []employment.ContractType{employment.ContractCDI, employment.ContractCDD, employment.ContractProfession, employment.ContractCDI}
	contractsRetail    = []employment.ContractType{employment.ContractCDI, employment.ContractCDD, employment.ContractApprentice, employment.ContractCDD}
	contractsTransport = []employment.ContractType{employment.ContractCDI, employment.ContractCDD, employment.ContractProfession, employment.ContractInterim}
	contractsHealth    = []employment.ContractType{employment.ContractCDI, employment.ContractCDD, employment.ContractApprentice, employment.ContractCDD}
	contractsSmall     = []employment.ContractType{employment.ContractCDI, employment.ContractApprentice, employment.ContractCDD}
	contractsACI       = []employment.ContractType{employment.ContractCDDI}
	contractsEI        = []employment.ContractType{employment.ContractCDDI, employment.ContractCDDI, employment.ContractCDIInclusion}
	contractsETTI      = []employment.ContractType{employment.ContractInterim}
	contractsEA        = []employment.ContractType{employment.ContractCDI, employment.ContractCDD, employment.ContractCDI}
)

// Labels of employers.
const (
	labelInclusive = "inclusive"
	labelSIAE      = "siae"
	labelEA        = "ea"
	labelPMSMP     = "pmsmp"
	labelClauses   = "clauses"
	labelCharte    = "charte"
)

// demoEmployer is a partner employer of the demo and what it offers.
type demoEmployer struct {
	name, naf, insee, address, size string
	labels                          []string
	email                           string
	contracts                       []employment.ContractType
	posts                           []post
}

// Sizes of employers.
const (
	size0   = "0-9"
	size10  = "10-49"
	size50  = "50-249"
	size250 = "250+"
)

func labels(l ...string) []string { return l }

// employers are the demo's partner employers: the two of the consortium
// (territory.go) first, with the address of the directory, then the
// others.
var employers = []demoEmployer{
	// Logistics and transport.
	{Structures[8].Name, "52.10B", atBelfort, "18 boulevard des Étangs", size50,
		labels(labelInclusive, labelPMSMP, labelCharte), "recrutement@logistique-nfc.example", contractsLogistics,
		[]post{postPicker, postForklift, postDock, postStock, postDockLead}},
	{Structures[9].Name, "25.62B", atDelle, "2 rue de la Forge", size50,
		labels(labelInclusive, labelPMSMP), "rh@ateliers-savoureuse.example", contractsIndustry,
		[]post{postAssembly, postMachinst, postCNC, postMiller, postWelder}},
	{"Plateforme logistique des Trois Frontières (entreprise fictive)", "52.10B", atBourogne, "ZA de la Porte Sud, allée 4", size250,
		labels(labelPMSMP, labelClauses), "emploi@plateforme-trois-frontieres.example", contractsLogistics,
		[]post{postPicker, postForklift, postHandler, postDockLead, postStorekpr}},
	{"Messagerie express du Lion (entreprise fictive)", "52.29A", atDanjoutin, "7 rue des Entrepreneurs", size50,
		labels(labelPMSMP), "agence@messagerie-lion.example", contractsLogistics,
		[]post{postDock, postDelivery, postPicker, postHandler}},
	{"Froid et logistique de l'Allan (entreprise fictive)", "52.10A", atEtupes, "12 rue de la Technopole", size50,
		labels(labelPMSMP, labelInclusive), "rh@froid-allan.example", contractsLogistics,
		[]post{postPicker, postForklift, postIndClean, postDock}},
	{"Transports routiers du Nord Doubs (entreprise fictive)", "49.41A", atExincourt, "3 rue du Pont", size50,
		labels(labelPMSMP, labelCharte), "exploitation@trnd.example", contractsTransport,
		[]post{postTruck, postDelivery, postMechanic, postStorekpr}},
	{"Autocars de la Savoureuse (entreprise fictive)", "49.39A", atValdoie, "40 rue de Turenne", size50,
		labels(labelPMSMP), "conduite@autocars-savoureuse.example", contractsTransport,
		[]post{postBus, postIndClean, postMechanic}},
	{"Déménagements Vauban (entreprise fictive)", "49.42Z", atBavilliers, "9 rue des Carrières", size10,
		labels(labelPMSMP), "contact@demenagements-vauban.example", contractsTransport,
		[]post{postMover, postMoverAid, postHandler}},
	{"Coursiers du Territoire (entreprise fictive)", "53.20Z", atBelfort, "25 faubourg de Montbéliard", size0,
		nil, "contact@coursiers-territoire.example", contractsSmall,
		[]post{postCourier, postDelivery}},

	// Industry.
	{"Équipementier automobile du Pays de Montbéliard (entreprise fictive)", "29.32Z", atSochaux, "1 rue des Usines", size250,
		labels(labelPMSMP, labelClauses, labelCharte), "recrutement@equipauto-pm.example", contractsIndustry,
		[]post{postLineOp, postMounter, postPacker, postPainter, postForklift, postIndClean}},
	{"Turbines et énergie de l'Est (entreprise fictive)", "28.11Z", atBelfort, "avenue des Trois Chênes", size250,
		labels(labelPMSMP, labelCharte), "talents@turbines-est.example", contractsIndustry,
		[]post{postMounter, postMachinst, postWelder, postPiper, postPainter, postStorekpr, postBoiler}},
	{"Ateliers ferroviaires du Lion (entreprise fictive)", "30.20Z", atDanjoutin, "15 rue du Rail", size250,
		labels(labelPMSMP, labelInclusive), "rh@ateliers-ferroviaires-lion.example", contractsIndustry,
		[]post{postCabler, postAssembly, postPainter, postWeldAid}},
	{"Fonderie de la Lizaine (entreprise fictive)", "24.53Z", atHericourt, "4 rue de la Lizaine", size50,
		labels(labelPMSMP), "emploi@fonderie-lizaine.example", contractsIndustry,
		[]post{postFoundry, postPacker, postIndMaint, postSetter}},
	{"Plasturgie du Mont Bart (entreprise fictive)", "22.29A", atBethoncourt, "8 rue des Prés", size50,
		labels(labelPMSMP, labelInclusive), "rh@plasturgie-montbart.example", contractsIndustry,
		[]post{postMoulder, postComposit, postHandPack, postPacker}},
	{"Chaudronnerie du Salbert (entreprise fictive)", "25.11Z", atEssert, "6 rue de l'Artisanat", size10,
		labels(labelPMSMP), "atelier@chaudronnerie-salbert.example", contractsIndustry,
		[]post{postBoiler, postWelder, postWeldAid}},
	{"Câblages du Rosemont (entreprise fictive)", "27.90Z", atGiromagny, "21 rue de la Noye", size50,
		labels(labelPMSMP, labelInclusive), "recrutement@cablages-rosemont.example", contractsIndustry,
		[]post{postCabler, postElecProd, postHandPack}},
	{"Décolletage de Seloncourt (entreprise fictive)", "25.62A", atSeloncourt, "30 rue du Général Leclerc", size10,
		labels(labelPMSMP), "contact@decolletage-seloncourt.example", contractsIndustry,
		[]post{postSetter, postCNC, postPacker}},
	{"Outillage et cycles de Valentigney (entreprise fictive)", "25.73B", atValentigney, "2 rue des Forges", size50,
		labels(labelPMSMP, labelCharte), "rh@outillage-valentigney.example", contractsIndustry,
		[]post{postAssembly, postMounter, postPacker, postForklift}},
	{"Biscuiterie du Ballon (entreprise fictive)", "10.72Z", atSermamagny, "route du Ballon", size50,
		labels(labelPMSMP), "emploi@biscuiterie-ballon.example", contractsIndustry,
		[]post{postFoodProd, postFoodLine, postPackLine, postIndClean}},
	{"Fromagerie du Pays sous-vosgien (entreprise fictive)", "10.51C", atRougemont, "1 chemin de la Fruitière", size10,
		labels(labelPMSMP), "fromagerie@pays-sous-vosgien.example", contractsIndustry,
		[]post{postDairy, postFoodProd, postPackLine}},
	{"Cartonnages de la Savoureuse (entreprise fictive)", "17.21A", atBavilliers, "14 rue de l'Étang", size50,
		labels(labelInclusive), "rh@cartonnages-savoureuse.example", contractsIndustry,
		[]post{postPackLine, postPacker, postForklift}},

	// Building and public works.
	{"Bâtiment rénovation belfortaine (entreprise fictive)", "41.20A", atBelfort, "33 rue de la Découverte", size10,
		labels(labelPMSMP, labelClauses), "chantiers@batiment-renovation90.example", contractsBuilding,
		[]post{postMason, postMasonAid, postLabourer, postDrywall}},
	{"Travaux publics de la Savoureuse (entreprise fictive)", "42.11Z", atChatenois, "ZA des Grands Champs", size50,
		labels(labelClauses, labelPMSMP), "rh@tp-savoureuse.example", contractsBuilding,
		[]post{postRoadLab, postVRDAid, postTipper, postLabourer}},
	{"Électricité générale du Pays de Montbéliard (entreprise fictive)", "43.21A", atAudincourt, "17 rue de la Paix", size10,
		labels(labelPMSMP), "contact@elec-pm.example", contractsBuilding,
		[]post{postElec, postLabourer}},
	{"Couverture des Vosges du Sud (entreprise fictive)", "43.91B", atGiromagny, "4 rue de la Scierie", size0,
		nil, "contact@couverture-vosges-sud.example", contractsSmall,
		[]post{postRoofer, postLabourer}},
	{"Peinture et décoration Vauban (entreprise fictive)", "43.34Z", atOffemont, "11 rue Jean Moulin", size10,
		labels(labelPMSMP, labelClauses), "devis@peinture-vauban.example", contractsBuilding,
		[]post{postPaintBld, postPaintInt, postDrywall}},
	{"Menuiserie du Pays d'Héricourt (entreprise fictive)", "16.23Z", atCouthenans, "2 rue de la Scie", size10,
		labels(labelPMSMP), "atelier@menuiserie-hericourt.example", contractsBuilding,
		[]post{postJoiner, postFitter}},

	// Hotels and restaurants.
	{"Hôtel-restaurant de la Citadelle (entreprise fictive)", "55.10Z", atBelfort, "5 place de la Grande Fontaine", size10,
		labels(labelPMSMP, labelCharte), "direction@hotel-citadelle.example", contractsHotel,
		[]post{postChamber, postReceptn, postWaiter, postCommis, postDish}},
	{"Hôtel des Princes de Montbéliard (entreprise fictive)", "55.10Z", atMontbeliard, "2 rue du Château", size10,
		labels(labelPMSMP), "reception@hotel-princes.example", contractsHotel,
		[]post{postFloor, postReceptn, postChamber}},
	{"Brasserie du Lion (entreprise fictive)", "56.10A", atBelfort, "8 place d'Armes", size10,
		labels(labelPMSMP, labelInclusive), "brasserie@brasserie-lion.example", contractsHotel,
		[]post{postWaiter, postCook, postCommis, postDish}},
	{"Restauration collective du Nord Franche-Comté (entreprise fictive)", "56.29A", atBavilliers, "19 rue de la Cuisine centrale", size50,
		labels(labelPMSMP, labelClauses, labelInclusive), "emploi@restonfc.example", contractsCare,
		[]post{postCanteen, postCantCom, postCantEmp, postDish, postDelivery}},
	{"Restauration rapide Montbéliard Centre (entreprise fictive)", "56.10C", atMontbeliard, "46 rue de Belfort", size10,
		labels(labelPMSMP), "equipe@resto-rapide-mtb.example", contractsHotel,
		[]post{postFastFood, postCrew}},
	{"Restauration rapide des Glacis (entreprise fictive)", "56.10C", atBelfort, "3 avenue Jean Jaurès", size10,
		labels(labelPMSMP, labelInclusive), "equipe@resto-rapide-glacis.example", contractsHotel,
		[]post{postFastFood, postCrew, postFastFood}},
	{"Cafétéria de la zone commerciale (entreprise fictive)", "56.10C", atAndelnans, "rue du Commerce", size10,
		labels(labelPMSMP), "cafeteria@zone-andelnans.example", contractsHotel,
		[]post{postCafeter, postFastFood, postDish}},

	// Personal services, childcare, health.
	{"Savoureuse Services à domicile (association fictive)", "88.10A", atBelfort, "12 rue de Mulhouse", size50,
		labels(labelPMSMP, labelInclusive, labelCharte), "recrutement@savoureuse-services.example", contractsCare,
		[]post{postHomeAid, postHomeAgt, postLifeAsst, postAuxVie, postHouseAid}},
	{"Présence seniors du Pays de Montbéliard (entreprise fictive)", "88.10A", atAudincourt, "9 rue de Valentigney", size50,
		labels(labelPMSMP), "agence@presence-seniors.example", contractsCare,
		[]post{postHomeAid, postHomeAgt, postHouseAid, postAuxVie}},
	{"Ménage et repassage d'Héricourt (entreprise fictive)", "81.21Z", atHericourt, "6 rue du Temple", size10,
		labels(labelPMSMP, labelInclusive), "contact@menage-hericourt.example", contractsCare,
		[]post{postHomeAgt, postHouseAid}},
	{"Micro-crèches Les Lucioles (entreprise fictive)", "88.91A", atDanjoutin, "4 rue des Écoles", size10,
		labels(labelPMSMP), "direction@lucioles-creches.example", contractsHealth,
		[]post{postChildAsst, postNursAux, postCleaner}},
	{"EHPAD Les Tilleuls de Valdoie (établissement fictif)", "87.10A", atValdoie, "10 rue des Tilleuls", size50,
		labels(labelPMSMP, labelCharte), "rh@ehpad-tilleuls.example", contractsHealth,
		[]post{postCareAid, postASH, postHouseMgr, postCanteen}},
	{"Clinique de soins de suite du Mont (établissement fictif)", "86.10Z", atTrevenans, "route de la Clinique", size50,
		labels(labelPMSMP, labelInclusive), "recrutement@clinique-du-mont.example", contractsHealth,
		[]post{postGeriAid, postBioClean, postASH, postReception}},
	{"Ambulances de la Porte de Bourgogne (entreprise fictive)", "86.90A", atOffemont, "27 rue de Belfort", size10,
		labels(labelPMSMP), "regulation@ambulances-porte-bourgogne.example", contractsTransport,
		[]post{postAmbul}},

	// Cleaning and security.
	{"Propreté Services Franche-Comté (entreprise fictive)", "81.21Z", atBelfort, "2 rue Parant", size250,
		labels(labelPMSMP, labelInclusive, labelClauses), "recrutement@proprete-fc.example", contractsCare,
		[]post{postCleaner, postOffClean, postWindow, postIndClean}},
	{"Nettoyage industriel du Pays de Montbéliard (entreprise fictive)", "81.22Z", atSochaux, "ZI des Usines, bâtiment 3", size50,
		labels(labelPMSMP, labelClauses), "agence@nettoyage-indus-pm.example", contractsLogistics,
		[]post{postIndClean, postIndMaint, postCleaner}},
	{"Sécurité privée du Nord Franche-Comté (entreprise fictive)", "80.10Z", atBelfort, "14 avenue Wilson", size50,
		labels(labelPMSMP), "recrutement@securite-nfc.example", contractsTransport,
		[]post{postGuard, postPrevent}},

	// Retail.
	{"Supermarché du Faubourg (entreprise fictive)", "47.11D", atBelfort, "60 faubourg de France", size50,
		labels(labelPMSMP, labelInclusive), "magasin@supermarche-faubourg.example", contractsRetail,
		[]post{postShelf, postCashier, postSelfSvc, postButcher, postShelfNgt}},
	{"Hypermarché des Prés (entreprise fictive)", "47.11F", atAudincourt, "avenue des Prés", size250,
		labels(labelPMSMP, labelCharte), "rh@hyper-des-pres.example", contractsRetail,
		[]post{postShelfNgt, postCashier, postCashSelf, postPicker, postShelf, postPrevent}},
	{"Boulangerie-pâtisserie du Marché (entreprise fictive)", "10.71C", atMontbeliard, "7 place du Marché", size0,
		labels(labelPMSMP), "fournil@boulangerie-marche.example", contractsSmall,
		[]post{postBakeSale, postBaker, postBakerAid}},
	{"Bricolage du Lion (entreprise fictive)", "47.52B", atAndelnans, "rue du Commerce, zone commerciale", size50,
		labels(labelPMSMP), "magasin@bricolage-lion.example", contractsRetail,
		[]post{postDIY, postCashier, postStorekpr}},

	// Structures of insertion by economic activity and an adapted company.
	{"Chantier d'insertion Nature et Rivières (fictif)", "81.30Z", atGiromagny, "5 rue de la Gare", size10,
		labels(labelSIAE, labelPMSMP), "chantier@nature-rivieres.example", contractsACI,
		[]post{postNature, postRivers, postGreenWkr}},
	{"Jardins maraîchers du Pays d'Héricourt (chantier d'insertion fictif)", "01.13Z", atChenebier, "chemin des Jardins", size10,
		labels(labelSIAE, labelPMSMP), "jardins@maraichers-hericourt.example", contractsACI,
		[]post{postMarket, postGreens, postMarket}},
	{"Ressourcerie du Pays de Montbéliard (chantier d'insertion fictif)", "38.32Z", atGrandCharmont, "3 rue de la Récup", size10,
		labels(labelSIAE, labelPMSMP, labelInclusive), "accueil@ressourcerie-pm.example", contractsACI,
		[]post{postSorter, postRecycler, postDelivery}},
	{"Entreprise d'insertion Services Plus 90 (fictive)", "81.21Z", atBelfort, "22 rue de Londres", size10,
		labels(labelSIAE, labelPMSMP, labelClauses), "contact@services-plus90.example", contractsEI,
		[]post{postCleaner, postParks, postLabourer}},
	{"Tremplin Intérim 90, entreprise de travail temporaire d'insertion (fictive)", "78.20Z", atBelfort, "1 rue de l'Étuve", size10,
		labels(labelSIAE, labelClauses), "agence@tremplin-interim90.example", contractsETTI,
		[]post{postHandler, postPicker, postAssembly, postMasonAid, postCleaner, postRoadLab}},
	{"Entreprise adaptée Les Ateliers du Lion (fictive)", "82.92Z", atMezire, "9 rue de l'Industrie", size50,
		labels(labelEA, labelPMSMP, labelInclusive), "rh@ateliers-du-lion.example", contractsEA,
		[]post{postHandPack, postLaundry, postParks, postAssembly}},

	// Farming, green spaces, forestry.
	{"Paysages et jardins du Territoire (entreprise fictive)", "81.30Z", atCravanche, "16 rue du Salbert", size10,
		labels(labelPMSMP), "contact@paysages-territoire.example", contractsBuilding,
		[]post{postGardener, postGreenWkr}},
	{"Exploitation forestière des Vosges du Sud (entreprise fictive)", "02.20Z", atLepuix, "lieu-dit Malvaux", size0,
		nil, "contact@foret-vosges-sud.example", contractsSmall,
		[]post{postLogger, postForestry}},
	{"Ferme laitière de la Savoureuse (exploitation fictive)", "01.41Z", atRoppe, "2 rue de la Ferme", size0,
		labels(labelPMSMP), "ferme@laitiere-savoureuse.example", contractsSmall,
		[]post{postDairyFrm, postGrower}},
	{"Serres maraîchères de Châlonvillars (entreprise fictive)", "01.13Z", atChalonvillars, "route de Belfort", size10,
		labels(labelPMSMP), "serres@maraichage-chalonvillars.example", contractsSmall,
		[]post{postGrower, postMarket}},

	// Support services and car repair.
	{"Services administratifs partagés de Montbéliard (entreprise fictive)", "82.11Z", atMontbeliard, "10 rue Cuvier", size10,
		labels(labelPMSMP, labelInclusive), "contact@sap-montbeliard.example", contractsSmall,
		[]post{postAdmin, postSecret, postReception}},
	{"Habitat du Nord Franche-Comté (bailleur fictif)", "68.20A", atBelfort, "5 avenue de la Laurencie", size50,
		labels(labelPMSMP, labelClauses), "rh@habitat-nfc.example", contractsBuilding,
		[]post{postJanitor, postReception, postCleaner}},
	{"Garage de l'Allan (entreprise fictive)", "45.20A", atVoujeaucourt, "13 route de Montbéliard", size0,
		labels(labelPMSMP), "atelier@garage-allan.example", contractsSmall,
		[]post{postMechanic, postBodywork}},
	{"Carrosserie de Nommay (entreprise fictive)", "45.20A", atNommay, "ZA du Technoland", size10,
		nil, "contact@carrosserie-nommay.example", contractsSmall,
		[]post{postBodywork, postMechanic}},
	{"Traiteur de l'Aéroparc (entreprise fictive)", "56.21Z", atFontaine, "rue de l'Aéroparc", size10,
		labels(labelPMSMP), "traiteur@aeroparc-traiteur.example", contractsHotel,
		[]post{postCommis, postWaiter, postDelivery}},
}

// contactFirst and contactLast make the names of the employers' contacts.
var (
	contactFirst = []string{"Émilie", "Laurent", "Nadia", "Sébastien", "Caroline", "Mehdi", "Virginie", "Olivier", "Sandra",
		"Franck", "Aurélie", "Yannick", "Leïla", "Pascal", "Céline", "Rachid", "Hélène", "Jérôme", "Samia"}
	contactLast = []string{"Girardot", "Perrin", "Boillot", "Mougin", "Vuillemin", "Faivre", "Bourquin", "Cuenot", "Jeanningros",
		"Monnier", "Tournier", "Grosjean", "Parrot", "Courvoisier", "Roy", "Nicolet", "Bouveresse"}
)

// contactRoles are the capacities of the contacts, by size.
var contactRoles = map[string]string{size0: "gérance", size10: "responsable du recrutement", size50: "ressources humaines",
	size250: "service recrutement"}

// Employers returns the partner employers of the demo, a new slice at each
// call, always the same: the two employer structures of the consortium
// first, then about sixty others, each with a SIRET starting with 000, a
// NAF code of its trade, a real commune within 25 km of Belfort, a size,
// labels and a contact. Territory, structure and referent are left to the
// caller.
func Employers() []employment.Employer {
	out := make([]employment.Employer, len(employers))
	for i, e := range employers {
		first, last := contactFirst[i%len(contactFirst)], contactLast[(i*7)%len(contactLast)]
		out[i] = employment.Employer{Name: e.name, SIRET: siret(i), NAF: e.naf, CommuneINSEE: e.insee, Address: e.address,
			Size: e.size, Labels: slices.Clone(e.labels), ContactName: first + " " + last + ", " + contactRoles[e.size],
			ContactEmail: e.email, ContactPhone: fmt.Sprintf("03 53 01 6%d %02d", i/100, i%100)}
	}
	return out
}

// siret returns the SIRET of the i-th demo employer: 000, then eight
// digits of an invented SIREN, then an establishment number.
func siret(i int) string {
	return fmt.Sprintf("000%06d%05d", 104729+(i*48611)%880000, 10+i%7*10)
}

// Offers returns the offers and immersions of the demo employers as of
// now, a new slice at each call, the same for the same now: a few per
// employer by its size, more than 300 in all over the ROME domaines of the
// posts, about one in five an immersion (PMSMP) where the employer hosts
// them, starting within a few weeks of now, most of them open. Each
// names its employer by EmployerName and is unique by ExternalRef for it;
// territory, IDs, ROME code and place are left to the caller.
func Offers(now time.Time) []employment.Offer {
	y, m, d := now.UTC().Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	var out []employment.Offer
	k := 0 // the offer's rank in the territory
	for i, e := range employers {
		hosts := slices.Contains(e.labels, labelPMSMP)
		ea := slices.Contains(e.labels, labelEA)
		inclusive := slices.Contains(e.labels, labelInclusive)
		siae := slices.Contains(e.labels, labelSIAE)
		jobs := 0 // the offers that are jobs, to turn over the contracts
		for n := range offersBySize[e.size] {
			p := e.posts[n%len(e.posts)]
			o := employment.Offer{ExternalRef: fmt.Sprintf("DEMO-%02d-%02d", i+1, n+1), EmployerName: e.name,
				Appellation: p.appellation, Title: p.title, CommuneINSEE: e.insee, WeeklyHours: p.hours, Positions: 1,
				Night:   p.flags&postNight != 0 || p.flags&postShifts != 0 && (n/len(e.posts)+i)%2 == 1,
				Weekend: p.flags&postWeekend != 0, NeedsLicence: p.flags&postLicence != 0,
				DisabilityAdapted: ea || p.flags&postAdapted != 0 || inclusive && k%5 == 3}
			o.NeedsVehicle = p.flags&postVehicle != 0 || o.Night && !servedByTransit[e.insee]
			o.TransitReachable = servedByTransit[e.insee] && !o.Night && !o.NeedsVehicle
			if hosts && (n+i)%5 == 1 {
				o.Contract = employment.ContractPMSMP
				o.Title = "Immersion : " + p.title
				o.Night = false // an immersion discovers the job by day
				o.TransitReachable = servedByTransit[e.insee] && !o.NeedsVehicle
			} else {
				o.Contract = e.contracts[(jobs+i)%len(e.contracts)]
				jobs++
			}
			switch o.Contract {
			case employment.ContractCDDI:
				o.WeeklyHours, o.Positions = 26, 2+k%3
			case employment.ContractCDIInclusion:
				o.WeeklyHours = max(p.hours, 26)
			case employment.ContractApprentice, employment.ContractProfession:
				o.WeeklyHours = 35
			case employment.ContractInterim:
				o.Positions = 1 + k%4
				if siae {
					o.WeeklyHours = min(p.hours, 35)
				}
			case employment.ContractPMSMP:
				o.WeeklyHours = min(p.hours, 35)
			default:
				if k%7 == 0 {
					o.Positions = 2
				}
			}
			if o.Night {
				o.Title += " – équipe de nuit"
			}
			o.Status, o.StartOn = offerState(k, today)
			if o.Immersion() && o.Status == employment.OfferOpen {
				o.StartOn = today.AddDate(0, 0, 3+k%25)
			}
			o.Description = offerDescription(p, o, k)
			out = append(out, o)
			k++
		}
	}
	return out
}

// offersBySize is how many offers and immersions an employer publishes.
var offersBySize = map[string]int{size0: 4, size10: 5, size50: 7, size250: 10}

// offerState returns the status and the start of the k-th offer: mostly
// open and starting from two weeks ago to six weeks ahead; some filled or
// closed, started weeks ago; a few drafts, to start later.
func offerState(k int, today time.Time) (employment.OfferStatus, time.Time) {
	switch {
	case k%12 == 7:
		return employment.OfferFilled, today.AddDate(0, 0, -10-k%30)
	case k%17 == 5:
		return employment.OfferClosed, today.AddDate(0, 0, -20-k%40)
	case k%23 == 11:
		return employment.OfferDraft, today.AddDate(0, 0, 20+k%30)
	default:
		return employment.OfferOpen, today.AddDate(0, 0, (k*13)%60-15)
	}
}

// offerDescription is the post, its contract and conditions, and
// offerSuffix.
func offerDescription(p post, o employment.Offer, k int) string {
	s := p.desc + " "
	switch o.Contract {
	case employment.ContractCDI:
		s += "Poste en CDI après une période d'essai."
	case employment.ContractCDD:
		s += fmt.Sprintf("CDD de %d mois, renouvelable.", 3+3*(k%4))
	case employment.ContractInterim:
		s += fmt.Sprintf("Mission d'intérim de %d semaines, possibilité d'embauche.", 2+2*(k%5))
	case employment.ContractCDDI:
		s += "CDD d'insertion de 4 mois renouvelable, avec un accompagnement socioprofessionnel et des formations."
	case employment.ContractCDIInclusion:
		s += "CDI inclusion pour une personne de 57 ans et plus éligible à l'insertion par l'activité économique."
	case employment.ContractApprentice:
		s += "Contrat d'apprentissage en alternance avec un CFA du territoire."
	case employment.ContractProfession:
		s += "Contrat de professionnalisation de 12 mois avec une formation qualifiante."
	case employment.ContractPMSMP:
		s += "Immersion de deux semaines pour découvrir le métier (PMSMP), sur prescription de votre conseiller."
	}
	if o.Night {
		s += " Travail en équipe de nuit."
	}
	if o.Weekend {
		s += " Travail le week-end par roulement."
	}
	if o.NeedsLicence {
		s += " Permis exigé."
	}
	if o.NeedsVehicle {
		s += " Véhicule personnel indispensable : pas de transport en commun aux horaires du poste."
	}
	if o.DisabilityAdapted {
		s += " Poste aménagé pour une personne en situation de handicap."
	}
	return s + " " + offerSuffix
}
