package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/audit"
	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/store"
)

// matchOffer publishes an open offer through the store, with the
// requirements and schedule given.
func matchOffer(t *testing.T, e *env, employerID int64, title, job, insee string, change func(*employment.Offer)) int64 {
	t.Helper()
	o := employment.Offer{EmployerID: employerID, Appellation: job, Title: title, CommuneINSEE: insee, Contract: employment.ContractCDI,
		WeeklyHours: 35, Positions: 1, Status: employment.OfferOpen, TransitReachable: true}
	if change != nil {
		change(&o)
	}
	e.srv.placeOffer(&o)
	if fs := employment.ValidateOffer(e.srv.cfg.Referential, o); len(fs) > 0 {
		t.Fatalf("offer %s: %v", title, fs)
	}
	if err := e.store.SaveOffer(context.Background(), &o, store.Actor{At: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	return o.ID
}

type offerMatchOut struct {
	Offer struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
	} `json:"offer"`
	Score         float64  `json:"score"`
	Reasons       []string `json:"reasons"`
	ApplicationID int64    `json:"application_id"`
	State         string   `json:"application_state"`
}

func personMatches(t *testing.T, c *client, path string) []offerMatchOut {
	t.Helper()
	var out struct{ Results []offerMatchOut }
	if err := json.Unmarshal([]byte(c.mustJSON("GET", path+"/matches", nil, http.StatusOK)), &out); err != nil {
		t.Fatal(err)
	}
	return out.Results
}

func matchedOffers(ms []offerMatchOut) []int64 {
	var ids []int64
	for _, m := range ms {
		ids = append(ids, m.Offer.ID)
	}
	return ids
}

type personMatchOut struct {
	PersonID  int64    `json:"person_id"`
	Named     bool     `json:"named"`
	FirstName string   `json:"first_name"`
	Reasons   []string `json:"reasons"`
	Referent  *struct {
		Email string `json:"email"`
	} `json:"referent"`
}

func offerMatches(t *testing.T, c *client, offerID int64) []personMatchOut {
	t.Helper()
	var out struct{ Results []personMatchOut }
	if err := json.Unmarshal([]byte(c.mustJSON("GET", "/api/v1/offers/"+itoa(offerID)+"/matches", nil, http.StatusOK)), &out); err != nil {
		t.Fatal(err)
	}
	return out.Results
}

// TestOffersForAPerson: the team ranks the open offers for a person with
// their reasons (an offer needing a licence the person lacks, or night
// work against a young child without childcare, drops out), proposes the
// person to one with their consent, and the ranking says so; the
// employer's contact ranks nobody.
func TestOffersForAPerson(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		emp := newEmployer(t, e, "Logistique Fictive", "rh@logistique.example")
		same := matchOffer(t, e, emp, "Magasinier à Belfort", jobStorekeeper, "90010", nil)
		domaine := matchOffer(t, e, emp, "Cariste à Belfort", jobForklift, "90010", nil)
		licence := matchOffer(t, e, emp, "Magasinier itinérant", jobStorekeeper, "90010", func(o *employment.Offer) { o.NeedsLicence = true })
		night := matchOffer(t, e, emp, "Magasinier de nuit", jobStorekeeper, "90010", func(o *employment.Offer) { o.Night = true })
		draft := matchOffer(t, e, emp, "Magasinier en brouillon", jobStorekeeper, "90010", func(o *employment.Offer) { o.Status = employment.OfferDraft })
		other := matchOffer(t, e, emp, "Aide à domicile", jobHomeHelp, "90010", nil)

		pro := e.apiClient("pro@test.example")
		path := registerPerson(t, pro, "Louise", "Candidate", "1990-04-02")
		pid := idOf(t, path)
		pro.mustJSON("PUT", path+"/diagnostic", map[string]any{"situations": []map[string]string{
			{"theme": "contraintes_familiales", "label": sitChildcare}}}, http.StatusOK)
		pro.mustJSON("PUT", path+"/project", map[string]any{"target_jobs": []string{jobStorekeeper}, "mobility_km": 20}, http.StatusOK)

		ms := personMatches(t, pro, path)
		got := matchedOffers(ms)
		if len(got) < 3 || got[0] != same || !slices.Contains(got, domaine) || slices.Index(got, domaine) > slices.Index(got, other) && slices.Contains(got, other) {
			t.Fatalf("ranking: %v (same job %d first, then the same domaine %d, above another domaine %d)", got, same, domaine, other)
		}
		for _, id := range []int64{licence, night, draft} {
			if slices.Contains(got, id) {
				t.Errorf("offer %d should drop out: %v", id, got)
			}
		}
		if !slices.Contains(ms[0].Reasons, "même métier") {
			t.Errorf("reasons of the first: %v", ms[0].Reasons)
		}

		web := e.signIn("pro@test.example")
		res := web.get("/personnes/" + itoa(pid) + "/offres")
		b := body(t, res)
		if res.StatusCode != http.StatusOK || !strings.Contains(b, "Magasinier à Belfort") || !strings.Contains(b, "même métier") ||
			strings.Contains(b, "Magasinier de nuit") || !strings.Contains(b, "?proposer="+itoa(same)) {
			t.Fatalf("page: %d %s", res.StatusCode, b)
		}
		form := web.get("/personnes/" + itoa(pid) + "/offres?proposer=" + itoa(same))
		if b := body(t, form); !strings.Contains(b, `name="consent"`) || !strings.Contains(b, "Logistique Fictive") {
			t.Fatalf("proposal form: %s", b)
		}
		if res := web.get("/personnes/" + itoa(pid) + "/offres?proposer=" + itoa(draft)); res.StatusCode != http.StatusNotFound {
			t.Errorf("proposal form of a draft: %d", res.StatusCode)
		}

		// Without consent nothing is sent.
		res = web.post("/personnes/"+itoa(pid)+"/candidatures", url.Values{"offer_id": {itoa(same)}, "consent_method": {"oral"},
			"share": {"contact"}, "message": {"Motivée"}})
		if b := body(t, res); res.StatusCode != http.StatusBadRequest || !strings.Contains(b, "La personne doit avoir accepté") {
			t.Fatalf("without consent: %d %s", res.StatusCode, b)
		}
		if apps, _ := e.store.Applications(context.Background(), store.ApplicationFilter{PersonID: pid}); len(apps) != 0 {
			t.Fatalf("an application was written without consent: %v", apps)
		}
		res = web.post("/personnes/"+itoa(pid)+"/candidatures", url.Values{"offer_id": {itoa(same)}, "consent": {"1"},
			"consent_method": {"oral"}, "share": {"contact", "nothing"}})
		if b := body(t, res); res.StatusCode != http.StatusBadRequest || !strings.Contains(b, "Élément à partager inconnu") {
			t.Fatalf("unknown share: %d %s", res.StatusCode, b)
		}
		res = web.post("/personnes/"+itoa(pid)+"/candidatures", url.Values{"offer_id": {itoa(same)}, "consent": {"1"},
			"consent_method": {"written"}, "share": {"contact", "experience"}, "message": {"Motivée"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("propose: %d %s", res.StatusCode, body(t, res))
		}
		apps, err := e.store.Applications(context.Background(), store.ApplicationFilter{PersonID: pid})
		if err != nil || len(apps) != 1 || apps[0].OfferID != same || apps[0].ConsentMethod != "written" ||
			!slices.Equal(apps[0].Shares, []employment.Share{employment.ShareContact, employment.ShareExperience}) {
			t.Fatalf("application: %+v %v", apps, err)
		}
		if ms := personMatches(t, pro, path); ms[0].ApplicationID != apps[0].ID || ms[0].State != "new" {
			t.Errorf("the ranking does not show the application: %+v", ms[0])
		}
		res = web.post("/personnes/"+itoa(pid)+"/candidatures", url.Values{"offer_id": {itoa(same)}, "consent": {"1"}, "consent_method": {"oral"}})
		if b := body(t, res); res.StatusCode != http.StatusConflict || !strings.Contains(b, "déjà proposée") {
			t.Fatalf("twice: %d %s", res.StatusCode, b)
		}
		// The API: consent required; an offer not open is a conflict.
		pro.mustJSON("POST", "/api/v1/applications", map[string]any{"person_id": pid, "offer_id": domaine, "consent_method": "oral"},
			http.StatusBadRequest)
		pro.mustJSON("POST", "/api/v1/applications", map[string]any{"person_id": pid, "offer_id": draft, "consent": true,
			"consent_method": "oral"}, http.StatusConflict)
		created := pro.mustJSON("POST", "/api/v1/applications", map[string]any{"person_id": pid, "offer_id": domaine, "consent": true,
			"consent_method": "digital", "shares": []string{"available"}}, http.StatusCreated)
		if !strings.Contains(created, `"state":"new"`) || !strings.Contains(created, `"first_name":"Louise"`) {
			t.Errorf("created: %s", created)
		}

		// Nobody outside the team ranks offers for the person, nor proposes them.
		recordEnv(t, e)
		ft := e.apiClient("ft@test.example")
		ft.mustJSON("GET", path+"/matches", nil, http.StatusNotFound)
		ft.mustJSON("POST", "/api/v1/applications", map[string]any{"person_id": pid, "offer_id": other, "consent": true,
			"consent_method": "oral"}, http.StatusNotFound)
		contact := e.apiClient("rh@logistique.example")
		contact.mustJSON("GET", path+"/matches", nil, http.StatusNotFound)
		contact.mustJSON("GET", "/api/v1/offers/"+itoa(same)+"/matches", nil, http.StatusNotFound)
		if res := e.signIn("rh@logistique.example").get("/personnes/" + itoa(pid) + "/offres"); res.StatusCode != http.StatusNotFound {
			t.Errorf("the employer's contact reads the person's offers: %d", res.StatusCode)
		}
		pro.mustJSON("GET", path+"/matches?limit=0", nil, http.StatusBadRequest)
	})
}

// TestPeopleForAnOffer: a professional ranks for an offer the people whose
// référent agreed, sees the names of their own people only and the
// référent of the others; the agreement withdrawn, or the person's
// constraints changed, the next ranking follows; every person shown is
// audited.
func TestPeopleForAnOffer(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		recordEnv(t, e)
		emp := newEmployer(t, e, "Logistique Fictive", "rh@logistique.example")
		offer := matchOffer(t, e, emp, "Magasinier à Belfort", jobStorekeeper, "90010", nil)

		pro, ft := e.apiClient("pro@test.example"), e.apiClient("ft@test.example")
		mine := registerPerson(t, pro, "Louise", "Suivie", "1990-04-02")
		theirs := registerPerson(t, ft, "Jeanne", "Autrement", "1988-02-03")
		hidden := registerPerson(t, pro, "Paul", "Sansaccord", "1985-01-01")
		for _, x := range []struct {
			c    *client
			path string
		}{{pro, mine}, {ft, theirs}, {pro, hidden}} {
			x.c.mustJSON("PUT", x.path+"/project", map[string]any{"target_jobs": []string{jobStorekeeper}, "mobility_km": 20}, http.StatusOK)
		}
		if got := offerMatches(t, pro, offer); len(got) != 0 {
			t.Fatalf("nobody agreed yet: %+v", got)
		}
		pro.mustJSON("PUT", mine+"/employment-profile", map[string]any{"proposable": true, "contracts": []string{"cdi", "cdd"}}, http.StatusOK)
		ft.mustJSON("PUT", theirs+"/employment-profile", map[string]any{"proposable": true}, http.StatusOK)
		pro.mustJSON("PUT", mine+"/employment-profile", map[string]any{"proposable": true, "contracts": []string{"cdi", "astronaute"}},
			http.StatusBadRequest)
		// A member of the team who is not the référent does not decide.
		ft.mustJSON("POST", theirs+"/team", map[string]any{"email": "ml@test.example"}, http.StatusCreated)
		e.apiClient("ml@test.example").mustJSON("PUT", theirs+"/employment-profile", map[string]any{"proposable": false}, http.StatusForbidden)

		got := offerMatches(t, pro, offer)
		if len(got) != 2 {
			t.Fatalf("matches: %+v", got)
		}
		byID := map[int64]personMatchOut{}
		for _, m := range got {
			byID[m.PersonID] = m
		}
		if m := byID[idOf(t, mine)]; !m.Named || m.FirstName != "Louise" {
			t.Errorf("own person: %+v", m)
		}
		if m := byID[idOf(t, theirs)]; m.Named || m.FirstName != "" || m.Referent == nil || m.Referent.Email != "ft@test.example" {
			t.Errorf("other's person: %+v", m)
		}
		if _, ok := byID[idOf(t, hidden)]; ok {
			t.Error("a person whose référent did not agree is ranked")
		}
		web := e.signIn("pro@test.example")
		res := web.get("/offres/" + itoa(offer) + "/personnes")
		b := body(t, res)
		if res.StatusCode != http.StatusOK || !strings.Contains(b, "Louise Suivie") || strings.Contains(b, "Jeanne") ||
			strings.Contains(b, "Autrement") || !strings.Contains(b, "ft@test.example") {
			t.Fatalf("page: %d %s", res.StatusCode, b)
		}
		entries, err := e.store.AuditEntries(context.Background(), idOf(t, theirs), 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(entries, func(a audit.Entry) bool {
			return a.AccountID == e.accounts["pro@test.example"].ID && a.Reason == "matching for an offer, not named: "+access.ReasonNotInTeam
		}) {
			t.Errorf("the ranking of the other's person is not audited: %+v", entries)
		}

		// The agreement withdrawn, the person leaves the ranking at once.
		ft.mustJSON("PUT", theirs+"/employment-profile", map[string]any{"proposable": false}, http.StatusOK)
		if got := offerMatches(t, pro, offer); len(got) != 1 || got[0].PersonID != idOf(t, mine) {
			t.Fatalf("after withdrawal: %+v", got)
		}
		// A constraint added to the diagnostic (no night work), the night offer drops the person.
		nightly := matchOffer(t, e, emp, "Magasinier de nuit", jobStorekeeper, "90010", func(o *employment.Offer) { o.Night = true })
		if got := offerMatches(t, pro, nightly); len(got) != 1 {
			t.Fatalf("night offer before the constraint: %+v", got)
		}
		pro.mustJSON("PUT", mine+"/diagnostic", map[string]any{"situations": []map[string]string{
			{"theme": "contraintes_familiales", "label": sitChildcare}}}, http.StatusOK)
		if got := offerMatches(t, pro, nightly); len(got) != 0 {
			t.Fatalf("night offer after the constraint: %+v", got)
		}
		// A closed offer ranks nobody.
		if err := closeOffer(e, offer); err != nil {
			t.Fatal(err)
		}
		pro.mustJSON("GET", "/api/v1/offers/"+itoa(offer)+"/matches", nil, http.StatusConflict)
		if b := body(t, web.get("/offres/"+itoa(offer)+"/personnes")); !strings.Contains(b, "n'est pas ouverte") {
			t.Errorf("closed offer page: %s", b)
		}
		// The employer's contact never ranks people.
		if res := e.signIn("rh@logistique.example").get("/offres/" + itoa(nightly) + "/personnes"); res.StatusCode != http.StatusNotFound {
			t.Errorf("employer contact ranks people: %d", res.StatusCode)
		}
	})
}

func closeOffer(e *env, id int64) error {
	o, err := e.store.Offer(context.Background(), id)
	if err != nil {
		return err
	}
	o.Status = employment.OfferClosed
	return e.store.SaveOffer(context.Background(), &o, store.Actor{At: e.clock.Now()})
}

// TestHireClosesThePathway: the employer accepts; the person's plan shows
// the exit to employment, the timeline the hire, the offers page the
// application accepted.
func TestHireClosesThePathway(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		emp := newEmployer(t, e, "Logistique Fictive", "rh@logistique.example")
		offer := matchOffer(t, e, emp, "Magasinier à Belfort", jobStorekeeper, "90010", nil)
		pro := e.apiClient("pro@test.example")
		path := registerPerson(t, pro, "Louise", "Embauchée", "1990-04-02")
		pid := idOf(t, path)
		var a struct{ ID int64 }
		if err := json.Unmarshal([]byte(pro.mustJSON("POST", "/api/v1/applications", map[string]any{"person_id": pid, "offer_id": offer,
			"consent": true, "consent_method": "oral"}, http.StatusCreated)), &a); err != nil {
			t.Fatal(err)
		}
		e.apiClient("rh@logistique.example").mustJSON("POST", "/api/v1/applications/"+itoa(a.ID)+"/transition",
			map[string]any{"action": "accept", "hired_on": "2026-12-01"}, http.StatusOK)
		web := e.signIn("pro@test.example")
		if b := body(t, web.get("/personnes/"+itoa(pid)+"/plan")); !strings.Contains(b, "Sortie vers l'emploi : embauche le 01/12/2026") ||
			!strings.Contains(b, "Logistique Fictive") {
			t.Errorf("plan: %s", b)
		}
		if b := body(t, web.get("/personnes/"+itoa(pid)+"/offres")); !strings.Contains(b, "Sortie vers l'emploi") || !strings.Contains(b, "Acceptée") {
			t.Errorf("offers page: %s", b)
		}
		if b := pro.mustJSON("GET", path+"/timeline", nil, http.StatusOK); !strings.Contains(b, "Logistique Fictive") {
			t.Errorf("timeline: %s", b)
		}
	})
}
