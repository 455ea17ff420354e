package access_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/territory"
)

// The fixture: one person of territory 1, followed by a référent of the
// Département, a CCAS worker and a France Travail adviser.
const (
	personID    = 100
	territoryID = 1
	otherTerr   = 2

	structDep      = 10 // departement, territory 1
	structCCAS     = 11 // ccas, territory 1
	structFT       = 12 // france_travail, territory 1
	structML       = 13 // mission_locale, territory 1, not in the team
	structEmployer = 14 // employer, territory 1
	structOtherFT  = 20 // france_travail, territory 2

	acctReferent    = 1
	acctCCAS        = 2
	acctFT          = 3
	acctFormer      = 4
	acctSameStruct  = 5
	acctOtherStruct = 6
	acctOtherTerr   = 7
	acctEmployer    = 8
	acctCoordinator = 9
	acctAdmin       = 10
	acctManager     = 11
)

var ended = time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)

// allSections is every section, in the order of the person.Section constants.
var allSections = []person.Section{
	person.SectionIdentity, person.SectionDiagnostic, person.SectionProject, person.SectionPlan, person.SectionAppointments,
	person.SectionTeam,
	person.SectionTimeline, person.SectionNotes, person.SectionConsents, person.SectionAccessLog,
	person.SectionHealth, person.SectionJustice, person.SectionFinances,
}

func membership(acct, structure int64, kind territory.Kind, terr int64, role account.Role) account.Membership {
	return account.Membership{AccountID: acct, StructureID: structure, StructureKind: kind, TerritoryID: terr, Role: role}
}

func viewer(acct int64, ms ...account.Membership) access.Viewer {
	return access.Viewer{AccountID: acct, Memberships: ms}
}

func teamMember(acct, structure int64, kind territory.Kind, referent bool) person.TeamMember {
	return person.TeamMember{
		PersonID: personID, AccountID: acct, StructureID: structure, StructureKind: string(kind),
		Referent: referent, StartedAt: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
	}
}

func endedMember(acct, structure int64, kind territory.Kind, referent bool) person.TeamMember {
	m := teamMember(acct, structure, kind, referent)
	m.EndedAt = ended
	return m
}

// record is the person's record. Non-professional accounts (employer
// contact, coordinator, administrator, manager) and the professional of
// another territory are listed as active team members on purpose: the matrix
// then proves that the role and the territory decide, not the team list.
func record() access.Record {
	return access.Record{
		PersonID:    personID,
		TerritoryID: territoryID,
		Team: []person.TeamMember{
			teamMember(acctReferent, structDep, territory.KindDepartement, true),
			teamMember(acctCCAS, structCCAS, territory.KindCCAS, false),
			teamMember(acctFT, structFT, territory.KindFranceTravail, false),
			endedMember(acctFormer, structCCAS, territory.KindCCAS, false),
			teamMember(acctOtherTerr, structOtherFT, territory.KindFranceTravail, false),
			teamMember(acctEmployer, structEmployer, territory.KindEmployer, false),
			teamMember(acctCoordinator, structDep, territory.KindDepartement, false),
			teamMember(acctAdmin, structDep, territory.KindDepartement, false),
			teamMember(acctManager, structCCAS, territory.KindCCAS, false),
		},
	}
}

var (
	referentV    = viewer(acctReferent, membership(acctReferent, structDep, territory.KindDepartement, territoryID, account.RoleProfessional))
	ccasV        = viewer(acctCCAS, membership(acctCCAS, structCCAS, territory.KindCCAS, territoryID, account.RoleProfessional))
	ftV          = viewer(acctFT, membership(acctFT, structFT, territory.KindFranceTravail, territoryID, account.RoleProfessional))
	formerV      = viewer(acctFormer, membership(acctFormer, structCCAS, territory.KindCCAS, territoryID, account.RoleProfessional))
	sameStructV  = viewer(acctSameStruct, membership(acctSameStruct, structCCAS, territory.KindCCAS, territoryID, account.RoleProfessional))
	otherStructV = viewer(acctOtherStruct, membership(acctOtherStruct, structML, territory.KindMissionLocale, territoryID, account.RoleProfessional))
	otherTerrV   = viewer(acctOtherTerr, membership(acctOtherTerr, structOtherFT, territory.KindFranceTravail, otherTerr, account.RoleProfessional))
	employerV    = viewer(acctEmployer, membership(acctEmployer, structEmployer, territory.KindEmployer, territoryID, account.RoleEmployerContact))
	coordinatorV = viewer(acctCoordinator, membership(acctCoordinator, structDep, territory.KindDepartement, territoryID, account.RoleCoordinator))
	adminV       = viewer(acctAdmin, membership(acctAdmin, structDep, territory.KindDepartement, territoryID, account.RoleTerritoryAdmin))
	managerV     = viewer(acctManager, membership(acctManager, structCCAS, territory.KindCCAS, territoryID, account.RoleStructureManager))
)

// outcome maps a matrix token to the expected decision: "ok" is allowed, any
// other token is a denial with that reason.
var outcome = map[string]access.Decision{
	"ok":   {Allowed: true},
	"terr": {Reason: "not a professional of the territory"},
	"team": {Reason: "not in team"},
	"ref":  {Reason: "not the référent"},
	"sens": {Reason: "section not entitled"},
	"ro":   {Reason: "read-only section"},
	"obj":  {Reason: "objection"},

	"left":    {Reason: "not a professional of the team structure"},
	"account": {Reason: "no account"},
	"already": {Reason: "already in team"},
	"intake":  {Reason: "not a professional or coordinator of the territory"},
	"noreg":   {Reason: "not a professional of the territory"},
	"unknown": {Reason: "unknown section"},
	"other":   {Reason: "note of another structure"},
	"vis":     {Reason: "unknown visibility"},
	"person":  {Reason: "note of another person"},
}

// check compares a decision with a token of the tables below.
func check(t *testing.T, got access.Decision, token string) {
	t.Helper()
	want, ok := outcome[token]
	if !ok {
		t.Fatalf("unknown token %q", token)
	}
	if got.Allowed != want.Allowed {
		t.Fatalf("Allowed = %v (reason %q), want %v (%s)", got.Allowed, got.Reason, want.Allowed, token)
	}
	if !want.Allowed && got.Reason != want.Reason {
		t.Fatalf("Reason = %q, want %q", got.Reason, want.Reason)
	}
	if got.Reason == "" {
		t.Fatalf("empty reason: the audit trail needs one")
	}
}

// row splits a line of the matrix into one token per section.
func row(t *testing.T, line string) []string {
	t.Helper()
	f := strings.Fields(line)
	if len(f) != len(allSections) {
		t.Fatalf("row %q has %d cells, want %d", line, len(f), len(allSections))
	}
	return f
}

// TestMatrix is the authorisation matrix: relationship × section × verb, with
// default settings, no consent and no objection. Each cell is written out.
func TestMatrix(t *testing.T) {
	tests := []struct {
		name  string
		v     access.Viewer
		read  string
		write string
	}{
		//                                         identity diag project plan rdv team timeline notes consents log health justice finances
		{"référent", referentV,
			"ok ok ok ok ok ok ok ok ok ok ok ok ok",
			"ok ok ok ok ok ok ok ok ok ro ok ok ok"},
		{"team member of ccas", ccasV,
			"ok ok ok ok ok ok ok ok ok ref ok ok ok",
			"ok ok ok ok ok ref ok ok ok ro ok ok ok"},
		{"team member of france_travail", ftV,
			"ok ok ok ok ok ok ok ok ok ref sens sens sens",
			"ok ok ok ok ok ref ok ok ok ro sens sens sens"},
		{"former member", formerV,
			"team team team team team team team team team team team team team",
			"team team team team team team team team team team team team team"},
		{"same structure not in team", sameStructV,
			"team team team team team team team team team team team team team",
			"team team team team team team team team team team team team team"},
		{"other structure", otherStructV,
			"team team team team team team team team team team team team team",
			"team team team team team team team team team team team team team"},
		{"other territory", otherTerrV,
			"terr terr terr terr terr terr terr terr terr terr terr terr terr",
			"terr terr terr terr terr terr terr terr terr terr terr terr terr"},
		{"employer contact", employerV,
			"terr terr terr terr terr terr terr terr terr terr terr terr terr",
			"terr terr terr terr terr terr terr terr terr terr terr terr terr"},
		{"coordinator", coordinatorV,
			"terr terr terr terr terr terr terr terr terr terr terr terr terr",
			"terr terr terr terr terr terr terr terr terr terr terr terr terr"},
		{"territory admin", adminV,
			"terr terr terr terr terr terr terr terr terr terr terr terr terr",
			"terr terr terr terr terr terr terr terr terr terr terr terr terr"},
		{"structure manager", managerV,
			"terr terr terr terr terr terr terr terr terr terr terr terr terr",
			"terr terr terr terr terr terr terr terr terr terr terr terr terr"},
	}
	rec := record()
	set := access.DefaultSettings()
	cells := 0
	for _, tt := range tests {
		read, write := row(t, tt.read), row(t, tt.write)
		for i, s := range allSections {
			t.Run(tt.name+"/"+string(s)+"/read", func(t *testing.T) {
				check(t, access.Read(tt.v, rec, s, set), read[i])
			})
			t.Run(tt.name+"/"+string(s)+"/write", func(t *testing.T) {
				check(t, access.Write(tt.v, rec, s, set), write[i])
			})
			cells += 2
		}
	}
	if want := 11 * 13 * 2; cells != want { // relationships × sections × verbs
		t.Errorf("matrix has %d cells, want %d", cells, want)
	}
}

// TestVerbs covers the verbs on the record as a whole, for every relationship.
func TestVerbs(t *testing.T) {
	tests := []struct {
		name                                         string
		v                                            access.Viewer
		manage, join, accessLog, object, lookup, reg string
		caseload                                     bool
	}{
		{"référent", referentV, "ok", "already", "ok", "ok", "ok", "ok", true},
		{"team member of ccas", ccasV, "ref", "already", "ref", "ok", "ok", "ok", true},
		{"team member of france_travail", ftV, "ref", "already", "ref", "ok", "ok", "ok", true},
		{"former member", formerV, "team", "ok", "team", "team", "ok", "ok", true},
		{"same structure not in team", sameStructV, "team", "ok", "team", "team", "ok", "ok", true},
		{"other structure", otherStructV, "team", "ok", "team", "team", "ok", "ok", true},
		{"other territory", otherTerrV, "terr", "terr", "terr", "terr", "intake", "intake", true},
		{"employer contact", employerV, "terr", "terr", "terr", "terr", "intake", "intake", false},
		{"coordinator", coordinatorV, "terr", "terr", "terr", "terr", "ok", "noreg", false},
		{"territory admin", adminV, "terr", "terr", "terr", "terr", "intake", "intake", false},
		{"structure manager", managerV, "terr", "terr", "terr", "terr", "intake", "intake", false},
	}
	rec := record()
	for _, tt := range tests {
		t.Run(tt.name+"/ManageTeam", func(t *testing.T) { check(t, access.ManageTeam(tt.v, rec), tt.manage) })
		t.Run(tt.name+"/RequestJoin", func(t *testing.T) { check(t, access.RequestJoin(tt.v, rec), tt.join) })
		t.Run(tt.name+"/AccessLog", func(t *testing.T) { check(t, access.AccessLog(tt.v, rec), tt.accessLog) })
		t.Run(tt.name+"/Object", func(t *testing.T) { check(t, access.Object(tt.v, rec), tt.object) })
		t.Run(tt.name+"/Lookup", func(t *testing.T) { check(t, access.Lookup(tt.v, territoryID), tt.lookup) })
		t.Run(tt.name+"/Register", func(t *testing.T) { check(t, access.Register(tt.v, territoryID), tt.reg) })
		t.Run(tt.name+"/Caseload", func(t *testing.T) {
			if got := access.Caseload(tt.v); got != tt.caseload {
				t.Errorf("Caseload = %v, want %v", got, tt.caseload)
			}
		})
	}
}

func TestSections(t *testing.T) {
	all := allSections
	tests := []struct {
		name string
		v    access.Viewer
		rec  access.Record
		want []person.Section
	}{
		{"référent", referentV, record(), all},
		{"team member of ccas", ccasV, record(), []person.Section{
			person.SectionIdentity, person.SectionDiagnostic, person.SectionProject, person.SectionPlan, person.SectionAppointments,
			person.SectionTeam,
			person.SectionTimeline, person.SectionNotes, person.SectionConsents,
			person.SectionHealth, person.SectionJustice, person.SectionFinances,
		}},
		{"team member of france_travail", ftV, record(), []person.Section{
			person.SectionIdentity, person.SectionDiagnostic, person.SectionProject, person.SectionPlan, person.SectionAppointments,
			person.SectionTeam,
			person.SectionTimeline, person.SectionNotes, person.SectionConsents,
		}},
		{"former member", formerV, record(), nil},
		{"other territory", otherTerrV, record(), nil},
		{"territory admin", adminV, record(), nil},
		{"team member of ccas after objection", ccasV, objected(), nil},
		{"référent after objection", referentV, objected(), all},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := access.Sections(tt.v, tt.rec, access.DefaultSettings())
			if !slices.Equal(got, tt.want) {
				t.Errorf("Sections = %v, want %v", got, tt.want)
			}
		})
	}
}

func objected() access.Record {
	rec := record()
	rec.Objection = true
	return rec
}

// TestObjection: after the person's objection the référent keeps every
// section, every other member loses every section on both verbs.
func TestObjection(t *testing.T) {
	tests := []struct {
		name  string
		v     access.Viewer
		read  string
		write string
	}{
		//                                       identity diag project plan rdv team timeline notes consents log health justice finances
		{"référent", referentV,
			"ok ok ok ok ok ok ok ok ok ok ok ok ok",
			"ok ok ok ok ok ok ok ok ok ro ok ok ok"},
		{"team member of ccas", ccasV,
			"obj obj obj obj obj obj obj obj obj obj obj obj obj",
			"obj obj obj obj obj obj obj obj obj obj obj obj obj"},
		{"team member of france_travail", ftV,
			"obj obj obj obj obj obj obj obj obj obj obj obj obj",
			"obj obj obj obj obj obj obj obj obj obj obj obj obj"},
		{"former member", formerV,
			"team team team team team team team team team team team team team",
			"team team team team team team team team team team team team team"},
	}
	rec := objected()
	// A consent does not reopen what the objection closed.
	rec.Consents = []person.Consent{{PersonID: personID, StructureIDs: []int64{structFT}, Sections: []person.Section{person.SectionHealth}}}
	set := access.DefaultSettings()
	for _, tt := range tests {
		read, write := row(t, tt.read), row(t, tt.write)
		for i, s := range allSections {
			t.Run(tt.name+"/"+string(s)+"/read", func(t *testing.T) { check(t, access.Read(tt.v, rec, s, set), read[i]) })
			t.Run(tt.name+"/"+string(s)+"/write", func(t *testing.T) { check(t, access.Write(tt.v, rec, s, set), write[i]) })
		}
	}
	verbs := []struct {
		name string
		got  access.Decision
		want string
	}{
		{"référent manages the team", access.ManageTeam(referentV, rec), "ok"},
		{"référent sees the access log", access.AccessLog(referentV, rec), "ok"},
		{"référent records the objection", access.Object(referentV, rec), "ok"},
		{"member cannot record it again", access.Object(ccasV, rec), "obj"},
		{"member loses the access log question", access.AccessLog(ccasV, rec), "obj"},
		{"member loses a team note", access.Note(ccasV, rec, note(structCCAS, person.VisibilityTeam, ""), set), "obj"},
		{"référent keeps a team note", access.Note(referentV, rec, note(structCCAS, person.VisibilityTeam, ""), set), "ok"},
	}
	for _, tt := range verbs {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.got, tt.want) })
	}
}

// TestConsent: a consent opens a sensitive section to a France Travail
// member, only the sections and structures it names, and only while in force.
func TestConsent(t *testing.T) {
	health := person.Consent{
		ID: 1, PersonID: personID, Purpose: "accompagnement global",
		StructureIDs: []int64{structFT}, Sections: []person.Section{person.SectionHealth},
		Method: "written", StartedAt: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
	}
	withdrawn := health
	withdrawn.EndedAt = ended
	otherStructure := health
	otherStructure.StructureIDs = []int64{structML}
	otherPerson := health
	otherPerson.PersonID = personID + 1
	twoSections := health
	twoSections.Sections = []person.Section{person.SectionHealth, person.SectionFinances}

	tests := []struct {
		name     string
		v        access.Viewer
		consents []person.Consent
		// health, justice, finances
		read string
	}{
		{"no consent", ftV, nil, "sens sens sens"},
		{"consent to health", ftV, []person.Consent{health}, "ok sens sens"},
		{"consent withdrawn", ftV, []person.Consent{withdrawn}, "sens sens sens"},
		{"withdrawn then given again", ftV, []person.Consent{withdrawn, health}, "ok sens sens"},
		{"consent to another structure", ftV, []person.Consent{otherStructure}, "sens sens sens"},
		{"consent of another person", ftV, []person.Consent{otherPerson}, "sens sens sens"},
		{"consent to health and finances", ftV, []person.Consent{twoSections}, "ok sens ok"},
		{"consent opens nothing to a non-member", otherStructV, []person.Consent{otherStructure}, "team team team"},
		{"consent opens nothing to a former member", formerV, []person.Consent{{PersonID: personID, StructureIDs: []int64{structCCAS}, Sections: person.SensitiveSections}}, "team team team"},
	}
	set := access.DefaultSettings()
	for _, tt := range tests {
		rec := record()
		rec.Consents = tt.consents
		want := strings.Fields(tt.read)
		for i, s := range person.SensitiveSections {
			t.Run(tt.name+"/"+string(s)+"/read", func(t *testing.T) { check(t, access.Read(tt.v, rec, s, set), want[i]) })
			t.Run(tt.name+"/"+string(s)+"/write", func(t *testing.T) { check(t, access.Write(tt.v, rec, s, set), want[i]) })
		}
	}
	t.Run("reason says consent", func(t *testing.T) {
		rec := record()
		rec.Consents = []person.Consent{health}
		if got := access.Read(ftV, rec, person.SectionHealth, set).Reason; got != "consent" {
			t.Errorf("Reason = %q, want %q", got, "consent")
		}
	})
}

// TestSettings: the territory decides which structure kinds read each
// sensitive section; the référent reads them whatever the settings.
func TestSettings(t *testing.T) {
	ftHealth := access.Settings{SensitiveKinds: map[person.Section][]territory.Kind{
		person.SectionHealth:   {territory.KindFranceTravail},
		person.SectionFinances: {territory.KindCCAS, territory.KindFranceTravail},
	}}
	tests := []struct {
		name string
		set  access.Settings
		v    access.Viewer
		// health, justice, finances
		read string
	}{
		{"default, ccas", access.DefaultSettings(), ccasV, "ok ok ok"},
		{"default, france_travail", access.DefaultSettings(), ftV, "sens sens sens"},
		{"france_travail reads health, ccas", ftHealth, ccasV, "sens sens ok"},
		{"france_travail reads health, france_travail", ftHealth, ftV, "ok sens ok"},
		{"france_travail reads health, référent", ftHealth, referentV, "ok ok ok"},
		{"no settings, ccas", access.Settings{}, ccasV, "sens sens sens"},
		{"no settings, référent", access.Settings{}, referentV, "ok ok ok"},
	}
	rec := record()
	for _, tt := range tests {
		want := strings.Fields(tt.read)
		for i, s := range person.SensitiveSections {
			t.Run(tt.name+"/"+string(s), func(t *testing.T) { check(t, access.Read(tt.v, rec, s, tt.set), want[i]) })
		}
	}
	t.Run("non-sensitive sections ignore settings", func(t *testing.T) {
		check(t, access.Read(ftV, rec, person.SectionDiagnostic, access.Settings{}), "ok")
	})
}

func TestDefaultSettings(t *testing.T) {
	want := []territory.Kind{territory.KindDepartement, territory.KindCCAS, territory.KindAssociation}
	set := access.DefaultSettings()
	if len(set.SensitiveKinds) != 3 {
		t.Errorf("SensitiveKinds has %d sections, want 3", len(set.SensitiveKinds))
	}
	for _, s := range []person.Section{person.SectionHealth, person.SectionJustice, person.SectionFinances} {
		if got := set.SensitiveKinds[s]; !slices.Equal(got, want) {
			t.Errorf("SensitiveKinds[%s] = %v, want %v", s, got, want)
		}
	}
	// A territory changing its settings changes no other territory's.
	set.SensitiveKinds[person.SectionHealth] = append(set.SensitiveKinds[person.SectionHealth][:0], territory.KindFranceTravail)
	if got := access.DefaultSettings().SensitiveKinds[person.SectionHealth]; !slices.Equal(got, want) {
		t.Errorf("after a change, DefaultSettings health = %v, want %v", got, want)
	}
}

func note(structure int64, vis person.Visibility, s person.Section) person.Note {
	return person.Note{ID: 1, PersonID: personID, AuthorID: acctCCAS, StructureID: structure, Visibility: vis, Section: s, Body: "…"}
}

// TestNote covers notes by visibility and section.
func TestNote(t *testing.T) {
	otherPerson := note(structCCAS, person.VisibilityTeam, "")
	otherPerson.PersonID = personID + 1

	tests := []struct {
		name string
		n    person.Note
		// référent, ccas member, france_travail member, former member, same structure not in team, territory admin
		want string
	}{
		{"team note", note(structCCAS, person.VisibilityTeam, ""), "ok ok ok team team terr"},
		{"person note", note(structCCAS, person.VisibilityPerson, ""), "ok ok ok team team terr"},
		{"ccas structure note", note(structCCAS, person.VisibilityStructure, ""), "other ok other team team terr"},
		{"france_travail structure note", note(structFT, person.VisibilityStructure, ""), "other other ok team team terr"},
		{"health team note", note(structCCAS, person.VisibilityTeam, person.SectionHealth), "ok ok sens team team terr"},
		{"justice person note", note(structCCAS, person.VisibilityPerson, person.SectionJustice), "ok ok sens team team terr"},
		{"finances note of france_travail's structure", note(structFT, person.VisibilityStructure, person.SectionFinances), "other other sens team team terr"},
		{"finances note of ccas's structure", note(structCCAS, person.VisibilityStructure, person.SectionFinances), "other ok sens team team terr"},
		{"note filed under the access log", note(structCCAS, person.VisibilityTeam, person.SectionAccessLog), "ok ref ref team team terr"},
		{"note filed under an unknown section", note(structCCAS, person.VisibilityTeam, "salary"), "unknown unknown unknown team team terr"},
		{"unknown visibility", note(structCCAS, "public", ""), "vis vis vis team team terr"},
		{"note of another person", otherPerson, "person person person person person person"},
	}
	viewers := []access.Viewer{referentV, ccasV, ftV, formerV, sameStructV, adminV}
	rec := record()
	set := access.DefaultSettings()
	for _, tt := range tests {
		want := strings.Fields(tt.want)
		if len(want) != len(viewers) {
			t.Fatalf("%s: %d cells, want %d", tt.name, len(want), len(viewers))
		}
		for i, v := range viewers {
			t.Run(tt.name+"/"+[]string{"référent", "ccas", "france_travail", "former", "same structure", "admin"}[i], func(t *testing.T) {
				check(t, access.Note(v, rec, tt.n, set), want[i])
			})
		}
	}
	t.Run("consent opens a health note to france_travail", func(t *testing.T) {
		rec := record()
		rec.Consents = []person.Consent{{PersonID: personID, StructureIDs: []int64{structFT}, Sections: []person.Section{person.SectionHealth}}}
		check(t, access.Note(ftV, rec, note(structCCAS, person.VisibilityTeam, person.SectionHealth), set), "ok")
	})
}

// TestTwoStructures: an account working in two structures acts on a record
// through its team membership only.
func TestTwoStructures(t *testing.T) {
	const acct = 50
	ftAndCCAS := viewer(acct,
		membership(acct, structFT, territory.KindFranceTravail, territoryID, account.RoleProfessional),
		membership(acct, structCCAS, territory.KindCCAS, territoryID, account.RoleProfessional))
	inTeamAs := func(ms ...person.TeamMember) access.Record {
		rec := record()
		rec.Team = append(rec.Team, ms...)
		return rec
	}

	tests := []struct {
		name string
		v    access.Viewer
		rec  access.Record
		// identity, team, access_log, health, finances
		read string
	}{
		{"in the team through france_travail: the ccas membership does not open health",
			ftAndCCAS, inTeamAs(teamMember(acct, structFT, territory.KindFranceTravail, false)),
			"ok ok ref sens sens"},
		{"in the team through ccas",
			ftAndCCAS, inTeamAs(teamMember(acct, structCCAS, territory.KindCCAS, false)),
			"ok ok ref ok ok"},
		{"in the team through both",
			ftAndCCAS, inTeamAs(teamMember(acct, structFT, territory.KindFranceTravail, false), teamMember(acct, structCCAS, territory.KindCCAS, false)),
			"ok ok ref ok ok"},
		{"through ccas, ended, and france_travail, active",
			ftAndCCAS, inTeamAs(endedMember(acct, structCCAS, territory.KindCCAS, false), teamMember(acct, structFT, territory.KindFranceTravail, false)),
			"ok ok ref sens sens"},
		{"référent through ccas, ended, member through france_travail",
			ftAndCCAS, inTeamAs(endedMember(acct, structCCAS, territory.KindCCAS, true), teamMember(acct, structFT, territory.KindFranceTravail, false)),
			"ok ok ref sens sens"},
		{"in the team through ccas but left the ccas",
			viewer(acct, membership(acct, structFT, territory.KindFranceTravail, territoryID, account.RoleProfessional)),
			inTeamAs(teamMember(acct, structCCAS, territory.KindCCAS, false)),
			"left left left left left"},
		{"in the team through ccas, now its manager only",
			viewer(acct,
				membership(acct, structFT, territory.KindFranceTravail, territoryID, account.RoleProfessional),
				membership(acct, structCCAS, territory.KindCCAS, territoryID, account.RoleStructureManager)),
			inTeamAs(teamMember(acct, structCCAS, territory.KindCCAS, false)),
			"left left left left left"},
		{"professional elsewhere, coordinator here, listed in the team",
			viewer(acct,
				membership(acct, structOtherFT, territory.KindFranceTravail, otherTerr, account.RoleProfessional),
				membership(acct, structDep, territory.KindDepartement, territoryID, account.RoleCoordinator)),
			inTeamAs(teamMember(acct, structDep, territory.KindDepartement, false)),
			"terr terr terr terr terr"},
		{"a membership with the team structure's ID in another territory gives nothing",
			viewer(acct,
				membership(acct, structCCAS, territory.KindCCAS, otherTerr, account.RoleProfessional),
				membership(acct, structFT, territory.KindFranceTravail, territoryID, account.RoleProfessional)),
			inTeamAs(teamMember(acct, structCCAS, territory.KindCCAS, false)),
			"left left left left left"},
	}
	secs := []person.Section{person.SectionIdentity, person.SectionTeam, person.SectionAccessLog, person.SectionHealth, person.SectionFinances}
	set := access.DefaultSettings()
	for _, tt := range tests {
		want := strings.Fields(tt.read)
		for i, s := range secs {
			t.Run(tt.name+"/"+string(s), func(t *testing.T) { check(t, access.Read(tt.v, tt.rec, s, set), want[i]) })
		}
	}

	t.Run("structure note follows the team membership", func(t *testing.T) {
		rec := inTeamAs(teamMember(acct, structFT, territory.KindFranceTravail, false))
		check(t, access.Note(ftAndCCAS, rec, note(structFT, person.VisibilityStructure, ""), set), "ok")
		check(t, access.Note(ftAndCCAS, rec, note(structCCAS, person.VisibilityStructure, ""), set), "other")
	})
}

// TestEdges covers inputs a caller could get wrong: each must deny.
func TestEdges(t *testing.T) {
	set := access.DefaultSettings()
	anonymousInTeam := record()
	anonymousInTeam.Team = append(anonymousInTeam.Team, teamMember(0, structCCAS, territory.KindCCAS, true))
	anonymous := viewer(0, membership(0, structCCAS, territory.KindCCAS, territoryID, account.RoleProfessional))
	noTerritory := record()
	noTerritory.TerritoryID = 0
	zeroTerr := viewer(acctCCAS, membership(acctCCAS, structCCAS, territory.KindCCAS, 0, account.RoleProfessional))
	otherPersonsTeam := record()
	for i := range otherPersonsTeam.Team {
		otherPersonsTeam.Team[i].PersonID = personID + 1
	}
	endedReferent := record()
	endedReferent.Team[0].EndedAt = ended

	tests := []struct {
		name string
		got  access.Decision
		want string
	}{
		{"unknown section read", access.Read(referentV, record(), "salary", set), "unknown"},
		{"unknown section write", access.Write(referentV, record(), "salary", set), "unknown"},
		{"empty section", access.Read(referentV, record(), "", set), "unknown"},
		{"anonymous viewer listed in the team", access.Read(anonymous, anonymousInTeam, person.SectionIdentity, set), "account"},
		{"anonymous lookup", access.Lookup(anonymous, territoryID), "account"},
		{"anonymous join", access.RequestJoin(anonymous, record()), "account"},
		{"record without territory", access.Read(zeroTerr, noTerritory, person.SectionIdentity, set), "terr"},
		{"lookup without territory", access.Lookup(zeroTerr, 0), "intake"},
		{"lookup in another territory", access.Lookup(ccasV, otherTerr), "intake"},
		{"coordinator lookup in another territory", access.Lookup(coordinatorV, otherTerr), "intake"},
		{"team of another person", access.Read(ccasV, otherPersonsTeam, person.SectionIdentity, set), "team"},
		{"ended référent", access.Read(referentV, endedReferent, person.SectionIdentity, set), "team"},
		{"ended référent cannot manage", access.ManageTeam(referentV, endedReferent), "team"},
		{"ended référent may ask to join again", access.RequestJoin(referentV, endedReferent), "ok"},
		{"no viewer memberships", access.Read(viewer(acctCCAS), record(), person.SectionIdentity, set), "terr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.got, tt.want) })
	}
}

// TestAllowedReasons: an allowed decision says on which ground, for the
// audit trail.
func TestAllowedReasons(t *testing.T) {
	rec := record()
	set := access.DefaultSettings()
	tests := []struct {
		name string
		got  access.Decision
		want string
	}{
		{"référent reads health", access.Read(referentV, rec, person.SectionHealth, set), "référent"},
		{"ccas reads health", access.Read(ccasV, rec, person.SectionHealth, set), "structure kind"},
		{"france_travail reads identity", access.Read(ftV, rec, person.SectionIdentity, set), "team member"},
		{"référent sees the access log", access.AccessLog(referentV, rec), "référent"},
		{"coordinator looks up", access.Lookup(coordinatorV, territoryID), "professional or coordinator of the territory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.got.Allowed || tt.got.Reason != tt.want {
				t.Errorf("got %+v, want allowed with reason %q", tt.got, tt.want)
			}
		})
	}
}

func TestCoordinate(t *testing.T) {
	tests := []struct {
		name string
		v    access.Viewer
		want bool
	}{
		{"coordinator of the territory", coordinatorV, true},
		{"coordinator, other territory", coordinatorV, false},
		{"professional", referentV, false},
		{"territory admin", adminV, false},
		{"employer contact", employerV, false},
		{"no account", access.Viewer{}, false},
	}
	for i, tt := range tests {
		tid := int64(territoryID)
		if i == 1 {
			tid = otherTerr
		}
		if got := access.Coordinate(tt.v, tid).Allowed; got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestManageStructure(t *testing.T) {
	twoStructures := viewer(acctManager,
		membership(acctManager, structCCAS, territory.KindCCAS, territoryID, account.RoleStructureManager),
		membership(acctManager, structML, territory.KindMissionLocale, territoryID, account.RoleStructureManager))
	managerAndPro := viewer(acctManager,
		membership(acctManager, structCCAS, territory.KindCCAS, territoryID, account.RoleProfessional),
		membership(acctManager, structFT, territory.KindFranceTravail, territoryID, account.RoleStructureManager))
	anonymous := viewer(0, membership(0, structCCAS, territory.KindCCAS, territoryID, account.RoleStructureManager))
	tests := []struct {
		name      string
		v         access.Viewer
		structure int64
		want      access.Decision
	}{
		{"manager of the structure", managerV, structCCAS, access.Decision{Allowed: true, Reason: "manager of the structure"}},
		{"manager of another structure", managerV, structFT, access.Decision{Reason: "not a manager of the structure"}},
		{"manager of two structures, first", twoStructures, structCCAS, access.Decision{Allowed: true, Reason: "manager of the structure"}},
		{"manager of two structures, second", twoStructures, structML, access.Decision{Allowed: true, Reason: "manager of the structure"}},
		{"manager of two structures, a third", twoStructures, structDep, access.Decision{Reason: "not a manager of the structure"}},
		{"professional of the structure, manager elsewhere", managerAndPro, structCCAS, access.Decision{Reason: "not a manager of the structure"}},
		{"manager elsewhere, professional of the structure", managerAndPro, structFT, access.Decision{Allowed: true, Reason: "manager of the structure"}},
		{"professional of the structure", ccasV, structCCAS, access.Decision{Reason: "not a manager of the structure"}},
		{"référent of the person", referentV, structDep, access.Decision{Reason: "not a manager of the structure"}},
		{"coordinator", coordinatorV, structDep, access.Decision{Reason: "not a manager of the structure"}},
		{"territory admin", adminV, structDep, access.Decision{Reason: "not a manager of the structure"}},
		{"employer contact", employerV, structEmployer, access.Decision{Reason: "not a manager of the structure"}},
		{"no structure", managerV, 0, access.Decision{Reason: "not a manager of the structure"}},
		{"no account", anonymous, structCCAS, access.Decision{Reason: "no account"}},
		{"no memberships", viewer(acctManager), structCCAS, access.Decision{Reason: "not a manager of the structure"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := access.ManageStructure(tt.v, tt.structure); got != tt.want {
				t.Errorf("ManageStructure(%d) = %+v, want %+v", tt.structure, got, tt.want)
			}
		})
	}
}

// TestDirectoryAndReferrals covers the directory's doors and the answer of
// a receiving structure.
func TestDirectoryAndReferrals(t *testing.T) {
	tests := []struct {
		name string
		got  access.Decision
		want bool
	}{
		{"a professional searches the directory", access.SearchDirectory(ccasV, territoryID), true},
		{"a coordinator searches it", access.SearchDirectory(coordinatorV, territoryID), true},
		{"a manager searches it", access.SearchDirectory(managerV, territoryID), true},
		{"an employer does not", access.SearchDirectory(employerV, territoryID), false},
		{"another territory does not", access.SearchDirectory(otherTerrV, territoryID), false},
		{"nobody does not", access.SearchDirectory(access.Viewer{}, territoryID), false},
		{"the admin manages the directory", access.ManageDirectory(adminV, territoryID), true},
		{"a manager does not manage it all", access.ManageDirectory(managerV, territoryID), false},
		{"a professional edits its structure's services", access.EditServices(ccasV, territoryID, structCCAS), true},
		{"a manager edits its structure's services", access.EditServices(managerV, territoryID, structCCAS), true},
		{"not another structure's", access.EditServices(ccasV, territoryID, structFT), false},
		{"not in another territory", access.EditServices(otherTerrV, territoryID, structOtherFT), false},
		{"the admin edits any", access.EditServices(adminV, territoryID, structFT), true},
		{"an employer edits none", access.EditServices(employerV, territoryID, structEmployer), false},
		{"the receiving structure's professional answers", access.AnswerReferral(ccasV, structCCAS), true},
		{"its manager answers", access.AnswerReferral(managerV, structCCAS), true},
		{"another structure does not", access.AnswerReferral(ftV, structCCAS), false},
		{"a coordinator of it does not", access.AnswerReferral(coordinatorV, structDep), false},
		{"nobody does not", access.AnswerReferral(access.Viewer{}, structCCAS), false},
		{"a professional follows its structure", access.FollowStructure(ccasV, structCCAS), true},
		{"a manager follows its structure", access.FollowStructure(managerV, structCCAS), true},
		{"not another structure", access.FollowStructure(ftV, structCCAS), false},
		{"an employer follows none", access.FollowStructure(employerV, structEmployer), false},
		{"a professional manages its own agenda", access.ManageAgenda(ccasV, structCCAS, acctCCAS), true},
		{"and the structure's shared agenda", access.ManageAgenda(ccasV, structCCAS, 0), true},
		{"not a colleague's agenda", access.ManageAgenda(ccasV, structCCAS, acctManager), false},
		{"a manager manages every agenda of its structure", access.ManageAgenda(managerV, structCCAS, acctCCAS), true},
		{"not another structure's", access.ManageAgenda(managerV, structFT, 0), false},
		{"a coordinator manages none", access.ManageAgenda(coordinatorV, structDep, 0), false},
		{"an employer contact acts for its employer", access.EmployerContact(employerV, structEmployer), true},
		{"not for another", access.EmployerContact(employerV, structCCAS), false},
		{"a professional is no employer contact", access.EmployerContact(ccasV, structEmployer), false},
		{"professionals see the offers", access.SeeOffers(ccasV, territoryID), true},
		{"employers do not see all offers", access.SeeOffers(employerV, territoryID), false},
		{"a professional registers an employer", access.RegisterEmployer(ccasV, territoryID), true},
		{"an admin registers an employer", access.RegisterEmployer(adminV, territoryID), true},
		{"a coordinator does not", access.RegisterEmployer(coordinatorV, territoryID), false},
		{"the partnership referent edits the employer", access.EditEmployer(ccasV, territoryID, structEmployer, acctCCAS), true},
		{"another professional does not", access.EditEmployer(ftV, territoryID, structEmployer, acctCCAS), false},
		{"the employer's contact does", access.EditEmployer(employerV, territoryID, structEmployer, acctCCAS), true},
		{"the admin does", access.EditEmployer(adminV, territoryID, structEmployer, 0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.Allowed != tt.want || tt.got.Reason == "" {
				t.Errorf("got %+v, want allowed=%v with a reason", tt.got, tt.want)
			}
		})
	}
}
