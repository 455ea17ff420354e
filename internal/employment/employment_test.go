package employment

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/referential"
)

func loadRef(t *testing.T) *referential.Referential {
	t.Helper()
	ref, err := referential.Load()
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func TestTransition(t *testing.T) {
	for _, c := range []struct {
		from ApplicationState
		a    Action
		to   ApplicationState
		ok   bool
	}{
		{StateNew, ActionProcess, StateProcessing, true},
		{StatePool, ActionProcess, StateProcessing, true},
		{StateProcessing, ActionPriorToHire, StatePriorToHire, true},
		{StatePriorToHire, ActionCancelPriorToHire, StateProcessing, true},
		{StatePostponed, ActionAccept, StateAccepted, true},
		{StateRefused, ActionAccept, StateAccepted, true}, // an employer changes its mind
		{StateAccepted, ActionCancel, StateCancelled, true},
		{StateObsolete, ActionReset, StateNew, true},
		{StateProcessing, ActionRefuse, StateRefused, true},
		{StateAccepted, ActionRefuse, StateAccepted, false},
		{StateAccepted, ActionRenderObsolete, StateAccepted, false},
		{StateRefused, ActionProcess, StateRefused, false},
		{StateCancelled, ActionCancel, StateCancelled, false},
		{StateNew, Action("hire"), StateNew, false},
	} {
		to, ok := Transition(c.from, c.a)
		if to != c.to || ok != c.ok {
			t.Errorf("Transition(%s, %s) = %s, %v; want %s, %v", c.from, c.a, to, ok, c.to, c.ok)
		}
	}
}

func TestPendingAndActions(t *testing.T) {
	var pending []ApplicationState
	for _, o := range StateOptions {
		if s := ApplicationState(o.Code); s.Pending() {
			pending = append(pending, s)
		}
	}
	want := []ApplicationState{StateNew, StateProcessing, StatePostponed, StatePriorToHire, StatePool}
	if !slices.Equal(pending, want) {
		t.Errorf("pending states = %v, want %v", pending, want)
	}
	if got := Actions(StateAccepted); !slices.Equal(got, []Action{ActionCancel}) {
		t.Errorf("Actions(accepted) = %v, want only cancel", got)
	}
	for _, o := range StateOptions {
		for _, a := range Actions(ApplicationState(o.Code)) {
			if a == ActionRenderObsolete {
				t.Errorf("Actions(%s) offers the system's render_obsolete to the employer", o.Code)
			}
			if ActionLabels[a] == "" {
				t.Errorf("action %s has no French label", a)
			}
		}
	}
	if StateRefused.Label() != "Déclinée" || ApplicationState("x").Label() != "x" {
		t.Errorf("labels: %q, %q", StateRefused.Label(), ApplicationState("x").Label())
	}
}

func TestAutoRefuseDue(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, c := range []struct {
		state ApplicationState
		age   time.Duration
		due   bool
	}{
		{StateNew, AutoRefuseDays * day, true},
		{StateProcessing, (AutoRefuseDays + 3) * day, true},
		{StateNew, AutoRefuseDays*day - time.Minute, false},
		{StatePostponed, 200 * day, false}, // the employer answered: waiting
		{StatePriorToHire, 200 * day, false},
		{StateAccepted, 200 * day, false},
	} {
		a := Application{State: c.state, UpdatedAt: now.Add(-c.age)}
		if got := AutoRefuseDue(a, now); got != c.due {
			t.Errorf("AutoRefuseDue(%s, %v old) = %v, want %v", c.state, c.age, got, c.due)
		}
	}
}

func TestValidateOffer(t *testing.T) {
	ref := loadRef(t)
	good := Offer{Appellation: "17993", Title: "Préparateur de commandes", CommuneINSEE: "90010", Contract: ContractCDI,
		WeeklyHours: 35, Positions: 2, Status: OfferOpen}
	if fs := ValidateOffer(ref, good); len(fs) > 0 {
		t.Fatalf("valid offer: %v", fs)
	}
	immersion := good
	immersion.Contract, immersion.WeeklyHours = ContractPMSMP, 0
	if fs := ValidateOffer(ref, immersion); len(fs) > 0 {
		t.Errorf("immersion without hours: %v", fs)
	}
	for name, c := range map[string]struct {
		change func(*Offer)
		field  string
	}{
		"unknown appellation": {func(o *Offer) { o.Appellation = "99999999" }, "appellation"},
		"blank title":         {func(o *Offer) { o.Title = "  " }, "title"},
		"long title":          {func(o *Offer) { o.Title = strings.Repeat("é", MaxTitleLen+1) }, "title"},
		"long description":    {func(o *Offer) { o.Description = strings.Repeat("a", MaxDescriptionLen+1) }, "description"},
		"unknown commune":     {func(o *Offer) { o.CommuneINSEE = "99999" }, "commune_insee"},
		"unknown contract":    {func(o *Offer) { o.Contract = "stage" }, "contract"},
		"no hours":            {func(o *Offer) { o.WeeklyHours = 0 }, "weekly_hours"},
		"too many hours":      {func(o *Offer) { o.WeeklyHours = MaxWeeklyHours + 1 }, "weekly_hours"},
		"no position":         {func(o *Offer) { o.Positions = 0 }, "positions"},
		"unknown status":      {func(o *Offer) { o.Status = "published" }, "status"},
	} {
		o := good
		c.change(&o)
		fs := ValidateOffer(ref, o)
		if len(fs) != 1 || fs[0].Field != c.field || fs[0].Message == "" {
			t.Errorf("%s: errors %v, want one on %s", name, fs, c.field)
		}
	}
}

func TestValidateEmployer(t *testing.T) {
	ref := loadRef(t)
	good := Employer{Name: "Transports du Lion", SIRET: "123 456 789 00012", NAF: "49.41A", CommuneINSEE: "90010",
		Size: SizeOptions[0].Code, Labels: []string{LabelOptions[0].Code}, ContactEmail: "rh@lion.example"}
	if fs := ValidateEmployer(ref, good); len(fs) > 0 {
		t.Fatalf("valid employer: %v", fs)
	}
	if fs := ValidateEmployer(ref, Employer{Name: "Jo"}); len(fs) > 0 {
		t.Errorf("employer with a name only: %v", fs)
	}
	for name, c := range map[string]struct {
		change func(*Employer)
		field  string
	}{
		"short name":      {func(e *Employer) { e.Name = "A" }, "name"},
		"SIRET of 13":     {func(e *Employer) { e.SIRET = "1234567890001" }, "siret"},
		"SIRET letters":   {func(e *Employer) { e.SIRET = "1234567890001A" }, "siret"},
		"NAF lower":       {func(e *Employer) { e.NAF = "49.41a" }, "naf"},
		"NAF no dot":      {func(e *Employer) { e.NAF = "4941A" }, "naf"},
		"unknown commune": {func(e *Employer) { e.CommuneINSEE = "00000" }, "commune_insee"},
		"unknown size":    {func(e *Employer) { e.Size = "1000+" }, "size"},
		"unknown label":   {func(e *Employer) { e.Labels = append(e.Labels, "bio") }, "labels[1]"},
		"bad e-mail":      {func(e *Employer) { e.ContactEmail = "rh@" }, "contact_email"},
	} {
		e := good
		e.Labels = slices.Clone(good.Labels)
		c.change(&e)
		fs := ValidateEmployer(ref, e)
		if len(fs) != 1 || fs[0].Field != c.field || fs[0].Message == "" {
			t.Errorf("%s: errors %v, want one on %s", name, fs, c.field)
		}
	}
}

// Every situation ProfileOf looks for is one of the diagnostic referential:
// a label that drifted would silently stop counting.
func TestProfileSituationsExist(t *testing.T) {
	ref := loadRef(t)
	known := map[string]bool{}
	for _, th := range ref.Themes() {
		for _, s := range ref.Situations(th.Code) {
			known[s.Label] = true
		}
	}
	for _, list := range [][]string{noLicence, hasLicence, transitOnly, noNight, noWeekend, adapted} {
		for _, l := range list {
			if !known[l] {
				t.Errorf("situation %q is not in the diagnostic referential", l)
			}
		}
	}
}

func TestProfileOf(t *testing.T) {
	ref := loadRef(t)
	sit := func(labels ...string) []referential.Situation {
		var out []referential.Situation
		for _, l := range labels {
			out = append(out, referential.Situation{Label: l})
		}
		return out
	}
	src := ProfileSource{PersonID: 7, CommuneINSEE: "90010", MobilityKm: 20, Licence: true, Vehicle: true,
		Appellations: []string{"17993", "11684", "17993", "99999999"}, HoursWanted: 35, RQTH: true}
	p := ProfileOf(src, ref, false)
	if !p.HasPlace || p.Lat == 0 || p.RadiusKm != 20 || !p.Licence || !p.Vehicle || p.TransitOnly || p.NeedsAdapted {
		t.Errorf("profile = %+v", p)
	}
	if !slices.Equal(p.Appellations, []string{"17993", "11684"}) || len(p.ROMECodes) == 0 || len(p.Domaines) == 0 ||
		len(p.GrandDomaines) == 0 {
		t.Errorf("jobs: appellations %v, ROME %v, domaines %v, grands domaines %v (duplicates and unknown codes dropped)",
			p.Appellations, p.ROMECodes, p.Domaines, p.GrandDomaines)
	}
	if !ProfileOf(src, ref, true).NeedsAdapted {
		t.Error("RQTH with health access: an adapted post should count")
	}

	src.Situations = sit("Permis non valide / suspension de permis", "Dépendant des transports en commun",
		"Enfant(s) de moins de 3 ans sans solution de garde")
	p = ProfileOf(src, ref, false)
	if p.Licence || p.Vehicle || !p.TransitOnly || !p.NoNight || !p.NoWeekend {
		t.Errorf("suspended licence, transit only, young child: %+v", p)
	}
	src.Licence, src.Vehicle, src.Situations = false, false, sit("Permis B", "Aidant familial (s’occuper d’un proche)")
	p = ProfileOf(src, ref, false)
	if !p.Licence || !p.TransitOnly || !p.NoNight || p.NoWeekend {
		t.Errorf("licence from the diagnostic, no vehicle, carer: %+v", p)
	}
	src.RQTH, src.Situations = false, sit("Difficulté déclarée entravant l’exercice de certains métiers")
	if ProfileOf(src, ref, false).NeedsAdapted || !ProfileOf(src, ref, true).NeedsAdapted {
		t.Error("a declared difficulty counts only for a reader entitled to health")
	}
	if p := ProfileOf(ProfileSource{CommuneINSEE: "99999"}, ref, true); p.HasPlace {
		t.Errorf("unknown commune placed: %+v", p)
	}
}

func TestOfferOf(t *testing.T) {
	ref := loadRef(t)
	a, _ := ref.Appellation("11684")
	o := OfferOf(Offer{ID: 3, Appellation: "11684", Contract: ContractCDD, WeeklyHours: 35, Night: true}, ref)
	if o.OfferID != 3 || o.ROMECode != a.ROMECode || o.Domaine == "" || o.GrandDomaine == "" || !o.Night || o.Contract != "cdd" {
		t.Errorf("offer = %+v", o)
	}
}
