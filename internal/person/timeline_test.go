package person_test

import (
	"testing"

	"github.com/spie-parcours/parcours/internal/person"
)

func TestEventLabel(t *testing.T) {
	kinds := []string{
		person.EventPersonRegistered, person.EventIdentityUpdated, person.EventNoteAdded,
		person.EventDiagnosticUpdated, person.EventProjectUpdated, person.EventTeamMemberAdded,
		person.EventTeamMemberRemoved, person.EventReferentChanged, person.EventJoinRequested,
		person.EventJoinDecided, person.EventConsentRecorded, person.EventConsentWithdrawn,
		person.EventObjectionRecorded,
	}
	for _, k := range kinds {
		if got := person.EventLabel(k); got == "" || got == k {
			t.Errorf("EventLabel(%q) = %q, want a French label", k, got)
		}
	}
	if got := person.EventLabel(person.EventReferentChanged); got != "Changement de référent" {
		t.Errorf("EventLabel(referent_changed) = %q", got)
	}
	if got := person.EventLabel("legacy_kind"); got != "legacy_kind" {
		t.Errorf("EventLabel(legacy_kind) = %q, want the kind itself", got)
	}
}
