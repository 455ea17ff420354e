package web

import (
	"net/url"
	"slices"

	"github.com/spie-parcours/parcours/internal/account"
)

// rule is a route's access rule.
type rule int

const (
	public   rule = iota // anyone, no account: the explicit public list
	signedIn             // an account signed in with both factors, or an API token
)

// route is one line of the routing table.
type route struct {
	pattern string
	access  rule
	roles   []account.Role // when set, the viewer needs one of them
	h       handlerFunc
}

func (rt route) allows(v *viewer) bool {
	if len(rt.roles) == 0 {
		return true
	}
	return slices.ContainsFunc(rt.roles, v.Account.HasRole)
}

// routes lists every route of Parcours, one per line, with its access rule.
// A test walks this table: every route not public refuses anonymous
// requests, and every /api/v1 route is in the OpenAPI document.
func (s *Server) routes() []route {
	admin := []account.Role{account.RoleTerritoryAdmin}
	return []route{
		// Public list: operations, static files, sign-in and password reset.
		{"GET /healthz", public, nil, s.healthz},
		{"GET /metrics", public, nil, s.metricsPage}, // loopback or metrics token only
		{"GET /static/", public, nil, s.staticFiles},
		{"GET /connexion", public, nil, s.signInPage},
		{"POST /connexion", public, nil, s.signIn},
		{"GET /connexion/code", public, nil, s.totpPage},        // needs a pending sign-in
		{"POST /connexion/code", public, nil, s.totpCheck},      // needs a pending sign-in
		{"GET /connexion/activation", public, nil, s.enrolPage}, // needs a pending sign-in
		{"POST /connexion/activation", public, nil, s.enrolCheck},
		{"GET /mot-de-passe/oubli", public, nil, s.forgotPage},
		{"POST /mot-de-passe/oubli", public, nil, s.forgot},
		{"GET /mot-de-passe/nouveau/{token}", public, nil, s.resetPage},
		{"POST /mot-de-passe/nouveau/{token}", public, nil, s.reset},
		{"GET /accessibilite", public, nil, s.accessibilityPage},
		{"GET /api/v1/openapi.json", public, nil, s.openAPI},
		// A structure without accounts answers a referral through its
		// single-use link: the token is the credential (store.ReferralByLink).
		{"GET /reponse-adressage/{id}/{token}", public, nil, s.linkReferralPage},
		{"POST /reponse-adressage/{id}/{token}", public, nil, s.linkAnswerPage},
		// A person without an account books, moves or cancels an appointment,
		// and stops a channel, through the link of a message: the token is
		// the credential (store.InvitationByLink, AppointmentByLink).
		{"GET /rdv/{token}", public, nil, s.invitationLinkPage},
		{"POST /rdv/{token}", public, nil, s.invitationLinkBook},
		{"GET /rdv/gerer/{token}", public, nil, s.manageLinkPage},
		{"POST /rdv/gerer/{token}", public, nil, s.manageLinkAction},
		{"GET /desabonnement/{token}", public, nil, s.stopLinkPage},
		{"POST /desabonnement/{token}", public, nil, s.stopLinkAction},

		// Pages.
		{"GET /{$}", signedIn, nil, s.home},
		{"POST /deconnexion", signedIn, nil, s.signOut},
		{"GET /compte", signedIn, nil, s.accountPage},
		{"POST /compte/jetons", signedIn, nil, s.createTokenPage},
		{"POST /compte/jetons/{id}/revocation", signedIn, nil, s.revokeTokenPage},
		{"GET /administration", signedIn, admin, s.adminPage},
		// My people and their records: loadRecord decides per section.
		{"GET /personnes", signedIn, nil, s.personsPage},
		{"POST /personnes/recherche", signedIn, nil, s.searchPersons}, // names in the body, never in the URL
		{"GET /personnes/verifier", signedIn, nil, s.lookupPage},
		{"POST /personnes/verifier", signedIn, nil, s.lookupCheck},
		{"GET /personnes/nouvelle", signedIn, nil, s.newPersonPage},
		{"POST /personnes/nouvelle", signedIn, nil, s.newPersonPrefilled},
		{"POST /personnes", signedIn, nil, s.createPersonPage},
		{"GET /personnes/{id}", signedIn, nil, s.recordPageHandler},
		{"GET /personnes/{id}/identite", signedIn, nil, s.identityPage},
		{"POST /personnes/{id}/identite", signedIn, nil, s.saveIdentity},
		{"GET /personnes/{id}/diagnostic", signedIn, nil, s.diagnosticPage},
		{"POST /personnes/{id}/diagnostic", signedIn, nil, s.saveDiagnosticPage},
		{"GET /personnes/{id}/projet", signedIn, nil, s.projectPage},
		{"POST /personnes/{id}/projet", signedIn, nil, s.saveProjectPage},
		{"POST /personnes/{id}/projet/metiers", signedIn, nil, s.searchJobs},
		{"GET /personnes/{id}/acces", signedIn, nil, s.accessLogPage}, // the référent only
		{"POST /personnes/{id}/equipe", signedIn, nil, s.addMemberPage},
		{"POST /personnes/{id}/equipe/{account}/retrait", signedIn, nil, s.removeMemberPage},
		{"POST /personnes/{id}/equipe/{account}/referent", signedIn, nil, s.setReferentPage},
		{"POST /personnes/{id}/demandes", signedIn, nil, s.requestJoin}, // access.RequestJoin: not yet in the team
		{"POST /personnes/{id}/demandes/{rid}/decision", signedIn, nil, s.decideJoinPage},
		{"POST /personnes/{id}/notes", signedIn, nil, s.addNotePage},
		{"POST /personnes/{id}/consentements", signedIn, nil, s.addConsentPage},
		{"POST /personnes/{id}/consentements/{cid}/retrait", signedIn, nil, s.withdrawConsentPage},
		{"POST /personnes/{id}/opposition", signedIn, nil, s.objectPage},
		{"POST /personnes/{id}/orientation", signedIn, nil, s.requestOrientationPage},     // a team member, while none is pending
		{"POST /personnes/{id}/reorientation", signedIn, nil, s.requestReorientationPage}, // the référent
		// The plan (contrat d'engagement): loadRecord on the plan section, and on an item's sensitive section.
		{"GET /personnes/{id}/plan", signedIn, nil, s.planPage},
		{"POST /personnes/{id}/plan/objectifs", signedIn, nil, s.addObjectivePage},
		{"POST /personnes/{id}/plan/objectifs/{oid}/statut", signedIn, nil, s.objectiveStatusPage},
		{"POST /personnes/{id}/plan/actions", signedIn, nil, s.addActionPage},
		{"POST /personnes/{id}/plan/actions/{aid}", signedIn, nil, s.updateActionPage},
		{"POST /personnes/{id}/plan/contrat", signedIn, nil, s.saveContractPage},
		{"POST /personnes/{id}/plan/orienter", signedIn, nil, s.referPage}, // one click: objective, action and referral
		{"GET /personnes/{id}/contrat", signedIn, nil, s.contractPage},     // printable
		// Appointments of the person: loadRecord on the appointments section.
		{"GET /personnes/{id}/rendez-vous", signedIn, nil, s.personAppointmentsPage},
		{"POST /personnes/{id}/rendez-vous/invitation", signedIn, nil, s.invitePage},
		{"POST /personnes/{id}/rendez-vous", signedIn, nil, s.bookPage}, // a slot for the person, or a convocation
		{"POST /personnes/{id}/rendez-vous/{aid}/statut", signedIn, nil, s.appointmentStatusPage},
		{"GET /personnes/{id}/rendez-vous/{aid}/convocation", signedIn, nil, s.convocationLetterPage}, // printable
		// Agendas, follow-up and indicators of a structure: access.ManageAgenda / FollowStructure.
		{"GET /agendas", signedIn, nil, s.agendasPage},
		{"GET /agendas/nouveau", signedIn, nil, s.newAgendaPage},
		{"POST /agendas", signedIn, nil, s.createAgendaPage},
		{"GET /agendas/{id}", signedIn, nil, s.agendaPage},
		{"GET /agendas/{id}/modifier", signedIn, nil, s.editAgendaPage},
		{"POST /agendas/{id}", signedIn, nil, s.updateAgendaPage},
		// Employers and offers (access.ManageEmployer / EditOffers), the employer's own portal (access.EmployerContact).
		{"GET /employeurs", signedIn, nil, s.employersPage},
		{"GET /employeurs/nouveau", signedIn, nil, s.newEmployerPage},
		{"POST /employeurs", signedIn, nil, s.createEmployerPage},
		{"GET /employeurs/{id}", signedIn, nil, s.employerPage},
		{"GET /employeurs/{id}/modifier", signedIn, nil, s.editEmployerPage},
		{"POST /employeurs/{id}", signedIn, nil, s.updateEmployerPage},
		{"GET /offres", signedIn, nil, s.offersPage},
		{"GET /offres/nouvelle", signedIn, nil, s.newOfferPage},
		{"POST /offres", signedIn, nil, s.createOfferPage},
		{"GET /offres/import", signedIn, nil, s.offersImportPage},
		{"POST /offres/import", signedIn, nil, s.offersImport}, // multipart: the CSV file
		{"GET /offres/{id}", signedIn, nil, s.offerPage},
		{"GET /offres/{id}/modifier", signedIn, nil, s.editOfferPage},
		{"POST /offres/{id}", signedIn, nil, s.updateOfferPage},
		{"GET /candidatures", signedIn, nil, s.applicationsPage},
		{"GET /candidatures/{id}", signedIn, nil, s.applicationPage},
		{"POST /candidatures/{id}/transition", signedIn, nil, s.transitionApplicationPage},
		// Matching: the team finds offers for a person and proposes them; professionals find people for an offer.
		{"GET /personnes/{id}/offres", signedIn, nil, s.personMatchesPage},
		{"POST /personnes/{id}/candidatures", signedIn, nil, s.proposePage},
		{"POST /personnes/{id}/emploi", signedIn, nil, s.employmentProfilePage}, // the référent agrees to propose the person
		{"GET /offres/{id}/personnes", signedIn, nil, s.offerMatchesPage},
		{"GET /suivi", signedIn, nil, s.followUpsPage},
		{"GET /indicateurs", signedIn, nil, s.indicatorsPage},
		{"GET /administration/rendez-vous", signedIn, admin, s.appointmentSettingsPage},
		{"POST /administration/rendez-vous", signedIn, admin, s.saveAppointmentSettings},
		// Directory of services: access.SearchDirectory to read, access.EditServices / ManageDirectory to change.
		{"GET /annuaire", signedIn, nil, s.directoryPage},
		{"GET /annuaire/services/nouveau", signedIn, nil, s.newServicePage},
		{"POST /annuaire/services", signedIn, nil, s.createServicePage},
		{"GET /annuaire/services/{sid}", signedIn, nil, s.servicePage},
		{"GET /annuaire/services/{sid}/modifier", signedIn, nil, s.editServicePage},
		{"POST /annuaire/services/{sid}", signedIn, nil, s.updateServicePage},
		{"GET /annuaire/import", signedIn, nil, s.directoryImportPage},
		{"POST /annuaire/import", signedIn, nil, s.directoryImport}, // multipart: the file
		// Referrals: the sender's team reads them (access.Read on the plan); the receiving structure answers (access.AnswerReferral).
		{"GET /adressages", signedIn, nil, s.referralsPage},
		{"GET /adressages/{id}", signedIn, nil, s.referralPage},
		{"POST /adressages/{id}/decision", signedIn, nil, s.decideReferralPage},
		// Orientation: the territory's coordinators decide (s.coordinator: access.Coordinate).
		{"GET /orientations", signedIn, nil, s.queuePage},
		{"GET /orientations/{id}", signedIn, nil, s.orientationPage},
		{"POST /orientations/{id}/decision", signedIn, nil, s.decideOrientationPage},
		{"GET /reorientations/{id}", signedIn, nil, s.reorientationPage},
		{"POST /reorientations/{id}/decision", signedIn, nil, s.decideReorientationPage},
		// Référents named by the structure's manager (access.ManageStructure).
		{"GET /structure/affectations", signedIn, nil, s.assignmentsPageHandler},
		{"POST /structure/affectations", signedIn, nil, s.assignReferentsPage},
		{"POST /orientations/selection", signedIn, nil, s.decideSelectionPage}, // s.coordinator: one decision, each selected request
		// Imports of beneficiary lists: access.Import (professionals and coordinators), in s.importStructure.
		{"GET /imports", signedIn, nil, s.importsPage},
		{"POST /imports", signedIn, nil, s.previewImportPage}, // multipart: the file
		{"POST /imports/{id}/validation", signedIn, nil, s.commitImportPage},
		{"POST /imports/{id}/annulation", signedIn, nil, s.cancelImportPage},
		{"/", signedIn, nil, s.notFoundPage},

		// JSON API.
		{"GET /api/v1/me", signedIn, nil, s.apiMe},
		{"GET /api/v1/structures", signedIn, nil, s.apiStructures},
		{"GET /api/v1/tokens", signedIn, nil, s.apiTokens},
		{"DELETE /api/v1/tokens/{id}", signedIn, nil, s.apiRevokeToken},
		// The shared record: access.Read/Write decide per section, in loadRecord.
		{"GET /api/v1/persons/lookup", signedIn, nil, s.apiLookup},
		{"POST /api/v1/persons", signedIn, nil, s.apiCreatePerson},
		{"GET /api/v1/persons", signedIn, nil, s.apiCaseload},
		{"GET /api/v1/persons/{id}", signedIn, nil, s.apiPerson},
		{"PATCH /api/v1/persons/{id}", signedIn, nil, s.apiPatchPerson},
		{"GET /api/v1/persons/{id}/diagnostic", signedIn, nil, s.apiDiagnostic},
		{"PUT /api/v1/persons/{id}/diagnostic", signedIn, nil, s.apiPutDiagnostic},
		{"GET /api/v1/persons/{id}/project", signedIn, nil, s.apiProject},
		{"PUT /api/v1/persons/{id}/project", signedIn, nil, s.apiPutProject},
		{"GET /api/v1/persons/{id}/team", signedIn, nil, s.apiTeam},
		{"POST /api/v1/persons/{id}/team", signedIn, nil, s.apiAddTeam},
		{"DELETE /api/v1/persons/{id}/team/{account_id}", signedIn, nil, s.apiRemoveTeam},
		{"GET /api/v1/persons/{id}/timeline", signedIn, nil, s.apiTimeline},
		{"GET /api/v1/persons/{id}/notes", signedIn, nil, s.apiNotes},
		{"POST /api/v1/persons/{id}/notes", signedIn, nil, s.apiAddNote},
		{"GET /api/v1/persons/{id}/consents", signedIn, nil, s.apiConsents},
		{"POST /api/v1/persons/{id}/consents", signedIn, nil, s.apiAddConsent},
		{"POST /api/v1/persons/{id}/objection", signedIn, nil, s.apiObjection},
		{"GET /api/v1/persons/{id}/access-log", signedIn, nil, s.apiAccessLog},
		{"GET /api/v1/persons/{id}/plan", signedIn, nil, s.apiPlan},
		{"POST /api/v1/persons/{id}/plan", signedIn, nil, s.apiPostPlan},
		{"GET /api/v1/persons/{id}/suggestions", signedIn, nil, s.apiSuggestions},
		{"PATCH /api/v1/objectives/{id}", signedIn, nil, s.apiPatchObjective},
		{"PATCH /api/v1/actions/{id}", signedIn, nil, s.apiPatchAction},
		// Directory of services (access.SearchDirectory, EditServices, ManageDirectory).
		{"GET /api/v1/services", signedIn, nil, s.apiServices},
		{"POST /api/v1/services", signedIn, nil, s.apiCreateService},
		{"GET /api/v1/services/search", signedIn, nil, s.apiSearchServices},
		{"GET /api/v1/services/export", signedIn, nil, s.apiExportServices},
		{"POST /api/v1/services/import", signedIn, nil, s.apiImportServices},
		{"GET /api/v1/services/{id}", signedIn, nil, s.apiService},
		{"PATCH /api/v1/services/{id}", signedIn, nil, s.apiPatchService},
		{"GET /api/v1/structures/export", signedIn, nil, s.apiExportStructures},
		{"POST /api/v1/structures/import", signedIn, nil, s.apiImportStructures},
		// Appointments: agendas and slots (access.ManageAgenda to change), invitations and appointments of a person (team).
		{"GET /api/v1/appointment-types", signedIn, nil, s.apiAppointmentTypes},
		{"POST /api/v1/appointment-types", signedIn, admin, s.apiCreateAppointmentType},
		{"GET /api/v1/agendas", signedIn, nil, s.apiAgendas},
		{"POST /api/v1/agendas", signedIn, nil, s.apiCreateAgenda},
		{"GET /api/v1/slots", signedIn, nil, s.apiSlots},
		{"POST /api/v1/invitations", signedIn, nil, s.apiCreateInvitation},
		{"GET /api/v1/appointments", signedIn, nil, s.apiAppointments},
		{"POST /api/v1/appointments", signedIn, nil, s.apiCreateAppointment},
		{"PATCH /api/v1/appointments/{id}", signedIn, nil, s.apiPatchAppointment},
		{"GET /api/v1/follow-ups", signedIn, nil, s.apiFollowUps},
		{"GET /api/v1/indicators", signedIn, nil, s.apiIndicators},
		// Employers, offers and applications (issue 7).
		{"GET /api/v1/employers", signedIn, nil, s.apiEmployers},
		{"POST /api/v1/employers", signedIn, nil, s.apiCreateEmployer},
		{"GET /api/v1/employers/{id}", signedIn, nil, s.apiEmployer},
		{"PATCH /api/v1/employers/{id}", signedIn, nil, s.apiPatchEmployer},
		{"GET /api/v1/offers", signedIn, nil, s.apiOffers},
		{"POST /api/v1/offers", signedIn, nil, s.apiCreateOffer},
		{"POST /api/v1/offers/import", signedIn, nil, s.apiImportOffers},
		{"GET /api/v1/offers/export", signedIn, nil, s.apiExportOffers},
		{"GET /api/v1/offers/{id}", signedIn, nil, s.apiOffer},
		{"PATCH /api/v1/offers/{id}", signedIn, nil, s.apiPatchOffer},
		{"GET /api/v1/offers/{id}/matches", signedIn, nil, s.apiOfferMatches},
		{"GET /api/v1/persons/{id}/matches", signedIn, nil, s.apiPersonMatches},
		{"PUT /api/v1/persons/{id}/employment-profile", signedIn, nil, s.apiPutEmploymentProfile},
		{"GET /api/v1/applications", signedIn, nil, s.apiApplications},
		{"POST /api/v1/applications", signedIn, nil, s.apiCreateApplication},
		{"GET /api/v1/applications/{id}", signedIn, nil, s.apiApplication},
		{"POST /api/v1/applications/{id}/transition", signedIn, nil, s.apiTransitionApplication},
		// Referrals to services: from the plan (team), answered by the receiving structure.
		{"POST /api/v1/referrals", signedIn, nil, s.apiCreateReferral},
		{"GET /api/v1/referrals", signedIn, nil, s.apiReferrals},
		{"GET /api/v1/referrals/{id}", signedIn, nil, s.apiReferral},
		{"POST /api/v1/referrals/{id}/decision", signedIn, nil, s.apiDecideReferral},
		// Orientation: any team member asks; the territory's coordinators decide (access.Coordinate).
		{"POST /api/v1/orientations", signedIn, nil, s.apiCreateOrientation},
		{"GET /api/v1/orientations", signedIn, nil, s.apiQueue},
		{"POST /api/v1/orientations/{id}/decision", signedIn, nil, s.apiDecideOrientation},
		{"POST /api/v1/reorientations", signedIn, nil, s.apiCreateReorientation},
		{"POST /api/v1/reorientations/{id}/decision", signedIn, nil, s.apiDecideReorientation},
		// Imports of beneficiary lists: access.Import (professionals and coordinators).
		{"POST /api/v1/imports", signedIn, nil, s.apiPreviewImport},
		{"POST /api/v1/imports/{id}/commit", signedIn, nil, s.apiCommitImport},
		{"POST /api/v1/imports/{id}/cancel", signedIn, nil, s.apiCancelImport},
		{"GET /api/v1/imports/{id}/errors.csv", signedIn, nil, s.apiImportErrors},
		// Référents named by the structure's manager (access.ManageStructure).
		{"GET /api/v1/assignments", signedIn, nil, s.apiAssignments},
		{"POST /api/v1/assignments", signedIn, nil, s.apiAssign},
		{"/api/", signedIn, nil, s.apiNotFound},
	}
}

// bodyLimits raise the request body limit of the routes that take files.
var bodyLimits = map[string]int64{
	"POST /api/v1/imports":           maxImport,
	"POST /imports":                  maxImport,
	"POST /api/v1/services/import":   maxImport,
	"POST /api/v1/structures/import": maxImport,
	"POST /annuaire/import":          maxImport,
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
