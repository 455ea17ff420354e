package person

// The kinds of timeline events, stored in Event.Kind.
const (
	EventPersonRegistered   = "person_registered"
	EventIdentityUpdated    = "identity_updated"
	EventNoteAdded          = "note_added"
	EventDiagnosticUpdated  = "diagnostic_updated"
	EventProjectUpdated     = "project_updated"
	EventTeamMemberAdded    = "team_member_added"
	EventTeamMemberRemoved  = "team_member_removed"
	EventReferentChanged    = "referent_changed"
	EventJoinRequested      = "join_requested"
	EventJoinDecided        = "join_decided"
	EventConsentRecorded    = "consent_recorded"
	EventConsentWithdrawn   = "consent_withdrawn"
	EventObjectionRecorded  = "objection_recorded"
	EventObjectiveAdded     = "objective_added"
	EventObjectiveUpdated   = "objective_updated"
	EventActionAdded        = "action_added"
	EventActionUpdated      = "action_updated"
	EventContractUpdated    = "contract_updated"
	EventReferralSent       = "referral_sent"
	EventReferralUpdated    = "referral_updated"
	EventInvitationSent     = "invitation_sent"
	EventInvitationUpdated  = "invitation_updated"
	EventAppointmentBooked  = "appointment_booked"
	EventAppointmentUpdated = "appointment_updated"
)

// EventKindOptions are the kinds of timeline events with their French
// labels, for a filter of the timeline.
var EventKindOptions = []Option{
	{EventPersonRegistered, "Inscription de la personne"},
	{EventIdentityUpdated, "Identité modifiée"},
	{EventNoteAdded, "Note ajoutée"},
	{EventDiagnosticUpdated, "Diagnostic mis à jour"},
	{EventProjectUpdated, "Projet professionnel mis à jour"},
	{EventTeamMemberAdded, "Arrivée dans l'équipe de suivi"},
	{EventTeamMemberRemoved, "Départ de l'équipe de suivi"},
	{EventReferentChanged, "Changement de référent"},
	{EventJoinRequested, "Demande pour rejoindre l'équipe"},
	{EventJoinDecided, "Réponse à une demande pour rejoindre l'équipe"},
	{EventConsentRecorded, "Consentement recueilli"},
	{EventConsentWithdrawn, "Consentement retiré"},
	{EventObjectionRecorded, "Opposition au partage enregistrée"},
	{EventObjectiveAdded, "Objectif ajouté au plan"},
	{EventObjectiveUpdated, "Objectif mis à jour"},
	{EventActionAdded, "Action ajoutée au plan"},
	{EventActionUpdated, "Action mise à jour"},
	{EventContractUpdated, "Contrat d'engagement"},
	{EventReferralSent, "Orientation vers un service"},
	{EventReferralUpdated, "Réponse ou suite d'une orientation vers un service"},
	{EventInvitationSent, "Invitation à prendre rendez-vous"},
	{EventInvitationUpdated, "Suite d'une invitation"},
	{EventAppointmentBooked, "Rendez-vous fixé"},
	{EventAppointmentUpdated, "Rendez-vous mis à jour"},
}

// EventKinds maps each event kind to its label.
var EventKinds = labels(EventKindOptions)

// EventLabel returns the French label of an event kind, or the kind itself
// when it is unknown.
func EventLabel(kind string) string {
	return Label(EventKinds, kind)
}
