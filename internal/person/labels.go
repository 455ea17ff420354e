package person

// Option is one choice of a closed list, in the order a form shows it.
type Option struct {
	Code, Label string
}

// labels returns the code → label map of a list of options.
func labels(opts []Option) map[string]string {
	m := make(map[string]string, len(opts))
	for _, o := range opts {
		m[o.Code] = o.Label
	}
	return m
}

// Label returns the French label of code in list, code itself when the list
// does not hold it (a value recorded before the list changed still shows),
// and "" for "".
func Label(list map[string]string, code string) string {
	if l, ok := list[code]; ok {
		return l
	}
	return code
}

// RSARightOptions are the states of the RSA right, coded as the carnet de
// bord codes the CAF/MSA flux (ETATDOSRSA 0–6), in the order of the file.
var RSARightOptions = []Option{
	{"rsa_demande_en_attente", "Demande en attente de décision"},
	{"rsa_refuse", "Droit refusé"},
	{"rsa_droit_ouvert_versable", "Droit ouvert et versable"},
	{"rsa_droit_ouvert_et_suspendu", "Droit ouvert et suspendu"},
	{"rsa_droit_ouvert_versement_suspendu", "Droit ouvert, versement suspendu"},
	{"rsa_clos", "Droit clos"},
	{"rsa_clos_anterieur", "Droit clos sur un mois antérieur"},
}

// RSARights maps each RSA right code to its label.
var RSARights = labels(RSARightOptions)

// WorkSituationOptions are the work situations of the carnet de bord
// (fr_anchors §1.3), with the same codes.
var WorkSituationOptions = []Option{
	{"recherche_emploi", "En recherche d'emploi"},
	{"recherche_formation", "En recherche de formation"},
	{"recherche_alternance", "En recherche d'alternance"},
	{"recherche_stage", "En recherche de stage"},
	{"emploi", "En emploi"},
	{"cdi_temps_plein", "En CDI à temps plein"},
	{"cdi_temps_partiel", "En CDI à temps partiel"},
	{"cdd_temps_plein", "En CDD à temps plein"},
	{"cdd_temps_partiel", "En CDD à temps partiel"},
	{"interim", "En intérim"},
	{"intermittent", "Intermittent du spectacle"},
	{"iae", "En insertion par l'activité économique (IAE)"},
	{"alternance", "En alternance"},
	{"formation", "En formation"},
	{"stage", "En stage"},
	{"service_civique", "En service civique"},
	{"etudiant", "En études"},
	{"construction_projet", "En construction de projet"},
	{"projet_entrepreneurial", "En projet de création d'entreprise"},
	{"entrepreneur", "Chef d'entreprise ou travailleur indépendant"},
	{"conge_parental", "En congé parental"},
	{"au_foyer", "Au foyer"},
	{"maladie", "En longue maladie"},
	{"invalidite", "En invalidité"},
	{"enretraite", "En retraite ou préretraite"},
	{"autre", "Autre situation"},
}

// WorkSituations maps each work situation code to its label.
var WorkSituations = labels(WorkSituationOptions)

// EducationLevelOptions are the levels of the French nomenclature of
// diplomas (cadre national des certifications professionnelles, décret
// n° 2019-14), from none to doctorate. Levels 1 and 2 of that frame certify
// basic skills, not a diploma, and are grouped under "infra 3".
var EducationLevelOptions = []Option{
	{"aucun_diplome", "Aucun diplôme"},
	{"infra_3", "Niveau infra 3 : brevet des collèges, CFG"},
	{"niveau_3", "Niveau 3 : CAP, BEP"},
	{"niveau_4", "Niveau 4 : baccalauréat, brevet professionnel"},
	{"niveau_5", "Niveau 5 : bac + 2 (BTS, DUT)"},
	{"niveau_6", "Niveau 6 : bac + 3 ou 4 (licence, BUT)"},
	{"niveau_7", "Niveau 7 : bac + 5 (master, diplôme d'ingénieur)"},
	{"niveau_8", "Niveau 8 : doctorat"},
}

// EducationLevels maps each education level code to its label.
var EducationLevels = labels(EducationLevelOptions)

// ConsentMethodOptions are the ways a consent is given.
var ConsentMethodOptions = []Option{
	{"oral", "Oral"},
	{"written", "Écrit signé"},
	{"digital", "Formulaire en ligne"},
}

// ConsentMethods maps each consent method to its label.
var ConsentMethods = labels(ConsentMethodOptions)

// VisibilityOptions are the visibilities of a note, narrowest first.
var VisibilityOptions = []Option{
	{string(VisibilityStructure), "Ma structure uniquement"},
	{string(VisibilityTeam), "Équipe de suivi"},
	{string(VisibilityPerson), "Équipe et personne accompagnée"},
}

// Visibilities maps each visibility to its label.
var Visibilities = labels(VisibilityOptions)

// sectionLabels names every section of the record.
var sectionLabels = map[Section]string{
	SectionIdentity:     "Identité",
	SectionDiagnostic:   "Diagnostic",
	SectionProject:      "Projet professionnel",
	SectionPlan:         "Plan d'action",
	SectionAppointments: "Rendez-vous",
	SectionReferral:     "Adressage à un service",
	SectionTeam:         "Équipe de suivi",
	SectionTimeline:     "Historique",
	SectionNotes:        "Notes",
	SectionConsents:     "Consentements",
	SectionAccessLog:    "Journal des accès",
	SectionHealth:       "Santé et RQTH",
	SectionJustice:      "Justice",
	SectionFinances:     "Finances",
}

// SectionLabel returns the French name of a section, or its code when the
// section is unknown.
func SectionLabel(s Section) string {
	if l, ok := sectionLabels[s]; ok {
		return l
	}
	return string(s)
}
