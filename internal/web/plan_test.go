package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/directory"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

// Situations of the acceptance: no means of transport, a child under 3
// without childcare (the referential's wording of "Enfant(s) < 3 ans").
const (
	sitTransport = "Aucun moyen de transport à disposition"
	sitChildcare = "Enfant(s) de moins de 3 ans sans solution de garde"
)

// dirFixture is a directory: services published around Belfort by a
// structure of the directory only (no account, an email), and by the CCAS
// of the environment (which has accounts).
type dirFixture struct {
	garage, creche, farMobility, housing, draftCreche, ccasService int64
	noAccount                                                      int64
}

func addService(t *testing.T, e *env, st int64, name, insee string, status directory.Status, email string, thematiques ...string) int64 {
	t.Helper()
	sv := directory.Service{TerritoryID: e.terr.ID, StructureID: st, Name: name, Description: "Service de test pour " + name,
		Thematiques: thematiques, Type: "accompagnement", Fees: "gratuit", Publics: []string{"tous-publics"}, CommuneINSEE: insee,
		ReceptionModes: []string{"en-presentiel"}, Email: email, Phone: "03 84 00 00 00", Status: status}
	sv.Normalize(e.srv.cfg.Referential)
	if fs := sv.Validate(e.srv.cfg.Referential, e.clock.Now()); len(fs) > 0 {
		t.Fatalf("service %s: %v", name, fs)
	}
	if err := e.store.SaveService(context.Background(), &sv, store.Actor{At: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	return sv.ID
}

func newDirectory(t *testing.T, e *env) dirFixture {
	t.Helper()
	ctx := context.Background()
	ds := directory.Structure{TerritoryID: e.terr.ID, Name: "Association Roues Libres (fictive)", CommuneINSEE: "90010",
		Email: "contact@roues-libres.example"}
	ds.Normalize(e.srv.cfg.Referential)
	if err := e.store.SaveDirectoryStructure(ctx, &ds, store.Actor{At: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	ccas := structureID(t, e, territory.KindCCAS)
	f := dirFixture{noAccount: ds.ID}
	f.garage = addService(t, e, ds.ID, "Garage solidaire et location de scooters", "90010", directory.StatusPublished, "garage@roues-libres.example",
		"mobilite--acceder-a-un-vehicule", "mobilite--entretenir-reparer-son-vehicule")
	f.creche = addService(t, e, ds.ID, "Crèche à vocation d'insertion professionnelle", "90099", directory.StatusPublished, "creche@roues-libres.example",
		"famille--garde-denfants")
	f.farMobility = addService(t, e, ds.ID, "Auto-école sociale de Besançon", "25056", directory.StatusPublished, "ae@roues-libres.example",
		"mobilite--preparer-un-permis")
	f.housing = addService(t, e, ds.ID, "Accès au logement", "90010", directory.StatusPublished, "logement@roues-libres.example",
		"logement-hebergement--louer-un-logement")
	f.draftCreche = addService(t, e, ds.ID, "Halte-garderie en projet", "90010", directory.StatusDraft, "halte@roues-libres.example",
		"famille--garde-denfants")
	f.ccasService = addService(t, e, ccas, "Aide au financement de la mobilité", "90010", directory.StatusPublished, "",
		"mobilite--financer-ma-mobilite")
	return f
}

// personWithObstacles registers a person in Belfort with the two
// situations of the acceptance and a mobility radius of 10 km, through the
// API of the CCAS professional (their référent).
func personWithObstacles(t *testing.T, c *client) int64 {
	t.Helper()
	path := registerPerson(t, c, "Louise", "Fictive", "1990-04-02")
	c.mustJSON("PUT", path+"/diagnostic", map[string]any{"situations": []map[string]string{
		{"theme": "mobilite", "label": sitTransport}, {"theme": "contraintes_familiales", "label": sitChildcare},
		{"theme": "mobilite", "label": "Permis B"}}}, http.StatusOK)
	c.mustJSON("PUT", path+"/project", map[string]any{"mobility_km": 10}, http.StatusOK)
	id, err := strconv.ParseInt(path[strings.LastIndexByte(path, '/')+1:], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

type planJSON struct {
	WeeklyHours float64 `json:"weekly_hours"`
	Contract    struct {
		TargetHours  float64 `json:"target_hours"`
		Adjusted     bool    `json:"adjusted"`
		AdjustReason string  `json:"adjust_reason"`
		SignedOn     string  `json:"signed_on"`
	} `json:"contract"`
	Objectives []struct {
		ID         int64  `json:"id"`
		Theme      string `json:"theme"`
		Label      string `json:"label"`
		Section    string `json:"section"`
		Situations []struct{ Theme, Label string }
		Actions    []struct {
			ID        int64  `json:"id"`
			Label     string `json:"label"`
			Status    string `json:"status"`
			ServiceID int64  `json:"service_id"`
			Referral  *struct {
				ID     int64  `json:"id"`
				Status string `json:"status"`
			} `json:"referral"`
		} `json:"actions"`
	} `json:"objectives"`
	Referrals []struct {
		ID        int64  `json:"id"`
		Status    string `json:"status"`
		ServiceID int64  `json:"service_id"`
	} `json:"referrals"`
}

func getPlan(t *testing.T, c *client, id int64) planJSON {
	t.Helper()
	var p planJSON
	if err := json.Unmarshal([]byte(c.mustJSON("GET", "/api/v1/persons/"+itoa(id)+"/plan", nil, http.StatusOK)), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSuggestionsAndOneClickReferral is the first acceptance line: from a
// diagnostic saying "no means of transport" and "a child under 3 without
// childcare", the record suggests mobility and childcare services within
// the person's radius; one click creates the objective, the action and the
// referral.
func TestSuggestionsAndOneClickReferral(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		f := newDirectory(t, e)
		api := e.apiClient("pro@test.example")
		id := personWithObstacles(t, api)

		var sug struct {
			RadiusKm float64 `json:"radius_km"`
			Items    []struct {
				Situation struct{ Theme, Label string }
				Objective struct{ Theme, Label string }
				Service   struct {
					ID         int64    `json:"id"`
					DistanceKm *float64 `json:"distance_km"`
				}
			}
		}
		if err := json.Unmarshal([]byte(api.mustJSON("GET", "/api/v1/persons/"+itoa(id)+"/suggestions", nil, http.StatusOK)), &sug); err != nil {
			t.Fatal(err)
		}
		if sug.RadiusKm != 10 {
			t.Errorf("radius = %v, want the project's 10 km", sug.RadiusKm)
		}
		got := map[int64]string{}
		for _, it := range sug.Items {
			got[it.Service.ID] = it.Situation.Label + " → " + it.Objective.Label
			if d := it.Service.DistanceKm; d == nil || *d > 10 {
				t.Errorf("service %d suggested beyond the radius (distance %v)", it.Service.ID, fmtKm(d))
			}
		}
		for _, want := range []int64{f.garage, f.creche, f.ccasService} {
			if _, ok := got[want]; !ok {
				t.Errorf("service %d not suggested; got %v", want, got)
			}
		}
		for _, not := range []int64{f.farMobility, f.housing, f.draftCreche} {
			if _, ok := got[not]; ok {
				t.Errorf("service %d suggested (far, unrelated or draft): %v", not, got[not])
			}
		}
		if !strings.Contains(got[f.creche], "garde d’enfant") {
			t.Errorf("childcare suggestion = %q", got[f.creche])
		}

		// The plan page lists them and one click refers.
		page := e.signIn("pro@test.example")
		res := page.get("/personnes/" + itoa(id) + "/plan")
		html := body(t, res)
		if res.StatusCode != http.StatusOK || !strings.Contains(html, "Crèche à vocation d&#39;insertion professionnelle") ||
			!strings.Contains(html, "Garage solidaire") {
			t.Fatalf("plan page %d lacks the suggestions", res.StatusCode)
		}
		res = page.post("/personnes/"+itoa(id)+"/plan/orienter", url.Values{"service_id": {itoa(f.creche)},
			"situation": {"contraintes_familiales|" + sitChildcare}, "consent": {"1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("one click: %d %s", res.StatusCode, body(t, res))
		}
		p := getPlan(t, api, id)
		if len(p.Objectives) != 1 || p.Objectives[0].Label != "Trouver des solutions de garde d’enfant" || len(p.Objectives[0].Actions) != 1 {
			t.Fatalf("plan after one click = %+v", p.Objectives)
		}
		a := p.Objectives[0].Actions[0]
		if a.ServiceID != f.creche || a.Referral == nil || a.Referral.Status != "sent" || !strings.HasPrefix(a.Label, "Accès à un mode de garde") {
			t.Errorf("action = %+v", a)
		}
		if len(p.Objectives[0].Situations) != 1 || p.Objectives[0].Situations[0].Label != sitChildcare {
			t.Errorf("objective answers %+v", p.Objectives[0].Situations)
		}
		// The referred service is no longer suggested; the mobility one is
		// referred through the API, creating its own objective.
		if strings.Contains(body(t, page.get("/personnes/"+itoa(id)+"/plan")), `name="service_id" value="`+itoa(f.creche)+`"`) {
			t.Error("a service already referred is still suggested")
		}
		api.mustJSON("POST", "/api/v1/referrals", map[string]any{"person_id": id, "service_id": f.garage, "consent": true,
			"situation": map[string]string{"theme": "mobilite", "label": sitTransport}}, http.StatusCreated)
		res, b := api.json("POST", "/api/v1/referrals", map[string]any{"person_id": id, "service_id": f.garage, "consent": true,
			"situation": map[string]string{"theme": "mobilite", "label": sitTransport}})
		if res.StatusCode != http.StatusConflict {
			t.Errorf("second referral to the same service: %d %s", res.StatusCode, b)
		}
		res, b = api.json("POST", "/api/v1/referrals", map[string]any{"person_id": id, "service_id": f.ccasService,
			"situation": map[string]string{"theme": "mobilite", "label": sitTransport}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(b, `"consent"`) {
			t.Errorf("referral without consent: %d %s", res.StatusCode, b)
		}
		if p = getPlan(t, api, id); len(p.Objectives) != 2 || len(p.Referrals) != 2 {
			t.Errorf("plan has %d objectives and %d referrals, want 2 and 2", len(p.Objectives), len(p.Referrals))
		}
	})
}

func fmtKm(d *float64) string {
	if d == nil {
		return "inconnue"
	}
	return strconv.FormatFloat(*d, 'f', 1, 64) + " km"
}

var linkRE = regexp.MustCompile(`https://parcours\.test(/reponse-adressage/\d+/adr_[a-z0-9]+)`)

// linkOf finds the single-use link the outbox sent to an address.
func linkOf(t *testing.T, e *env, to string) string {
	t.Helper()
	e.drain()
	var link string
	for _, m := range e.mail.Sent() {
		if m.To == to {
			if l := linkRE.FindStringSubmatch(m.Body); l != nil {
				link = l[1]
			}
		}
	}
	if link == "" {
		t.Fatalf("no link sent to %s in %d messages", to, len(e.mail.Sent()))
	}
	return link
}

// TestReferralLinkAndDelays is the second acceptance line: a structure
// without accounts answers through its link, which works once, not after 8
// days, not for another referral; an unanswered referral is reminded at 10
// days and expires at 30 (a controllable clock).
func TestReferralLinkAndDelays(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		f := newDirectory(t, e)
		api := e.apiClient("pro@test.example")
		id := personWithObstacles(t, api)
		refer := func(service int64, sit string, theme string) int64 {
			var out struct{ ID int64 }
			b := api.mustJSON("POST", "/api/v1/referrals", map[string]any{"person_id": id, "service_id": service, "consent": true,
				"notify_person": true, "situation": map[string]string{"theme": theme, "label": sit}}, http.StatusCreated)
			if err := json.Unmarshal([]byte(b), &out); err != nil {
				t.Fatal(err)
			}
			return out.ID
		}
		first := refer(f.creche, sitChildcare, "contraintes_familiales")
		link := linkOf(t, e, "creche@roues-libres.example")
		anon := e.client()

		// Another referral's id with this token: refused.
		second := refer(f.garage, sitTransport, "mobilite")
		otherLink := linkOf(t, e, "garage@roues-libres.example")
		token := link[strings.LastIndexByte(link, '/')+1:]
		if res := anon.get("/reponse-adressage/" + itoa(second) + "/" + token); res.StatusCode != http.StatusNotFound {
			t.Errorf("token of referral %d on referral %d: %d", first, second, res.StatusCode)
		}

		res := anon.get(link)
		page := body(t, res)
		if res.StatusCode != http.StatusOK || !strings.Contains(page, "Louise Fictive") || !strings.Contains(page, "Crèche") {
			t.Fatalf("link page: %d", res.StatusCode)
		}
		if strings.Contains(page, sitChildcare) || strings.Contains(page, "Permis B") {
			t.Error("the link page shows the diagnostic")
		}
		// A refusal needs its reason; nothing is spent.
		if res := anon.post(link, url.Values{"outcome": {"refused"}}); res.StatusCode != http.StatusBadRequest {
			t.Errorf("refusal without reason: %d", res.StatusCode)
		}
		res = anon.post(link, url.Values{"outcome": {"accepted"}, "comment": {"Nous l'appelons cette semaine."}})
		if b := body(t, res); res.StatusCode != http.StatusOK || !strings.Contains(b, "Merci") {
			t.Fatalf("answer through the link: %d", res.StatusCode)
		}
		for _, try := range []func() *http.Response{
			func() *http.Response {
				return anon.post(link, url.Values{"outcome": {"refused"}, "reason": {"complet"}})
			},
			func() *http.Response { return anon.get(link) },
		} {
			if res := try(); res.StatusCode != http.StatusNotFound || !strings.Contains(body(t, res), "plus valable") {
				t.Errorf("the link works twice: %d", res.StatusCode)
			}
		}
		p := getPlan(t, api, id)
		status := map[int64]string{}
		for _, r := range p.Referrals {
			status[r.ID] = r.Status
		}
		if status[first] != "accepted" || status[second] != "sent" {
			t.Errorf("statuses = %v", status)
		}
		// The sender hears of it; the person too, without the service's name.
		e.drain()
		var toPro, toPerson bool
		for _, m := range e.mail.Sent() {
			if strings.Contains(m.Key, "referral:"+itoa(first)+":accepted:account:") {
				toPro = true
			}
			if strings.Contains(m.Key, "referral:"+itoa(first)+":accepted:person") {
				toPerson = true
				if strings.Contains(m.Body, "Crèche") || strings.Contains(m.Body, "Roues") {
					t.Errorf("the person's message names the service: %q", m.Body)
				}
			}
		}
		if !toPro {
			t.Error("the sender was not told of the answer")
		}
		if toPerson {
			t.Error("the person has no email in this test: no message should be written")
		}

		// After 8 days the other link no longer works; the reminder at 10
		// days sends a fresh one, and the referral expires at 30 days.
		e.clock.Add(8*24*time.Hour + time.Minute)
		if res := anon.get(otherLink); res.StatusCode != http.StatusNotFound {
			t.Errorf("link after 8 days: %d", res.StatusCode)
		}
		ctx := context.Background()
		if n, err := e.store.RemindReferrals(ctx, e.clock.Now(), "https://parcours.test"); err != nil || n != 0 {
			t.Errorf("reminders at day 8: %d %v", n, err)
		}
		e.clock.Add(2 * 24 * time.Hour)
		if n, err := e.store.RemindReferrals(ctx, e.clock.Now(), "https://parcours.test"); err != nil || n != 1 {
			t.Errorf("reminders at day 10: %d %v", n, err)
		}
		e.mail.Messages = nil
		fresh := linkOf(t, e, "garage@roues-libres.example")
		if fresh == otherLink {
			t.Error("the reminder reused the expired link")
		}
		if res := anon.get(fresh); res.StatusCode != http.StatusOK {
			t.Errorf("fresh link: %d", res.StatusCode)
		}
		if n, _ := e.store.RemindReferrals(ctx, e.clock.Now().Add(time.Hour), "https://parcours.test"); n != 0 {
			t.Errorf("reminded twice: %d", n)
		}
		e.clock.Add(20*24*time.Hour - 2*time.Minute)
		if n, err := e.store.ExpireReferrals(ctx, e.clock.Now(), "https://parcours.test"); err != nil || n != 0 {
			t.Errorf("expired before 30 days: %d %v", n, err)
		}
		e.clock.Add(2 * time.Minute)
		if n, err := e.store.ExpireReferrals(ctx, e.clock.Now(), "https://parcours.test"); err != nil || n != 1 {
			t.Errorf("expiries at day 30: %d %v", n, err)
		}
		if res := anon.get(fresh); res.StatusCode != http.StatusNotFound {
			t.Errorf("link of an expired referral: %d", res.StatusCode)
		}
		for _, r := range getPlan(t, api, id).Referrals {
			if r.ID == second && r.Status != "expired" {
				t.Errorf("referral %d is %s at day 30, want expired", second, r.Status)
			}
		}
	})
}

// TestReferralReceivedInApp: a structure with accounts answers in its
// pages; its members read the person's contact, never the plan or the
// record.
func TestReferralReceivedInApp(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		recordEnv(t, e)
		ctx := context.Background()
		ft := structureID(t, e, territory.KindFranceTravail)
		svc := addService(t, e, ft, "Atelier CV et candidature", "90010", directory.StatusPublished, "",
			"preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation")
		api := e.apiClient("pro@test.example")
		id := personWithObstacles(t, api)
		var out struct{ ID int64 }
		api.mustJSON("POST", "/api/v1/persons/"+itoa(id)+"/plan", map[string]any{"objective": map[string]any{
			"theme": "preparer_sa_candidature", "label": "Réaliser un CV et/ou une lettre de motivation",
			"actions": []map[string]any{{"label": "Atelier CV", "weekly_hours": 3}}}}, http.StatusCreated)
		p := getPlan(t, api, id)
		action := p.Objectives[0].Actions[0].ID
		if err := json.Unmarshal([]byte(api.mustJSON("POST", "/api/v1/referrals", map[string]any{"person_id": id, "service_id": svc,
			"action_id": action, "consent": true, "motive": "Souhaite refaire son CV."}, http.StatusCreated)), &out); err != nil {
			t.Fatal(err)
		}
		e.drain()
		told := false
		for _, m := range e.mail.Sent() {
			if m.To == "ft@test.example" && strings.Contains(m.Body, "/adressages/"+itoa(out.ID)) {
				told = true
				if strings.Contains(m.Body, "Louise") || strings.Contains(m.Body, "/reponse-adressage/") {
					t.Errorf("message to the structure names the person or carries a link: %q", m.Body)
				}
			}
		}
		if !told {
			t.Fatal("the receiving structure's professional was not told")
		}
		ftc := e.apiClient("ft@test.example")
		res, b := ftc.json("GET", "/api/v1/referrals", nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(b, `"first_name":"Louise"`) || strings.Contains(b, "Permis") {
			t.Fatalf("received list: %d %s", res.StatusCode, b)
		}
		if res, _ := ftc.json("GET", "/api/v1/persons/"+itoa(id)+"/plan", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("the receiving structure reads the plan: %d", res.StatusCode)
		}
		// The sender cannot accept for the service; the service can.
		if res, _ := api.json("POST", "/api/v1/referrals/"+itoa(out.ID)+"/decision", map[string]string{"outcome": "accepted"}); res.StatusCode != http.StatusForbidden {
			t.Errorf("sender accepting: %d", res.StatusCode)
		}
		page := e.signIn("ft@test.example")
		if home := body(t, page.get("/")); !strings.Contains(home, "1 adressage attend votre réponse") {
			t.Error("the receiving structure's home page does not count the referral to answer")
		}
		res = page.post("/adressages/"+itoa(out.ID)+"/decision", url.Values{"outcome": {"refused"}, "reason": {"autre"}})
		if b := body(t, res); res.StatusCode != http.StatusBadRequest || !strings.Contains(b, "Précisez le motif") {
			t.Errorf("refusal 'autre' without comment: %d", res.StatusCode)
		}
		res = page.post("/adressages/"+itoa(out.ID)+"/decision", url.Values{"outcome": {"accepted"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("accept: %d %s", res.StatusCode, body(t, res))
		}
		if a, err := e.store.Action(ctx, action); err != nil || a.Status != "in_progress" {
			t.Errorf("action after acceptance: %+v %v", a.Status, err)
		}
		api.mustJSON("POST", "/api/v1/referrals/"+itoa(out.ID)+"/decision", map[string]string{"outcome": "done"}, http.StatusOK)
		if a, _ := e.store.Action(ctx, action); a.Status != "done" {
			t.Errorf("action after done: %s", a.Status)
		}
		// The person's timeline tells the story; an outsider learns nothing.
		tl := api.mustJSON("GET", "/api/v1/persons/"+itoa(id)+"/timeline", nil, http.StatusOK)
		for _, want := range []string{"Orientation envoyée au service", "a accepté l'orientation", "réalisée"} {
			if !strings.Contains(tl, want) {
				t.Errorf("timeline lacks %q", want)
			}
		}
		if res, _ := e.apiClient("emp@test.example").json("GET", "/api/v1/referrals/"+itoa(out.ID), nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("employer reads the referral: %d", res.StatusCode)
		}
	})
}

// TestPlanSectionsAndContract: a health objective stays hidden from a team
// member not entitled to health; the 15 hours are adjustable with a
// reason; the contract's signature is checked; the printable contract
// renders.
func TestPlanSectionsAndContract(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		recordEnv(t, e)
		api := e.apiClient("pro@test.example")
		id := personWithObstacles(t, api)
		path := "/api/v1/persons/" + itoa(id)
		api.mustJSON("POST", path+"/team", map[string]any{"email": "ft@test.example"}, http.StatusCreated)
		api.mustJSON("POST", path+"/plan", map[string]any{"objective": map[string]any{"theme": "sante",
			"label": "Constituer un dossier MDPH/invalidité", "actions": []map[string]any{{"label": "Rendez-vous MDPH", "weekly_hours": 1}}}}, http.StatusCreated)
		api.mustJSON("POST", path+"/plan", map[string]any{"objective": map[string]any{"theme": "mobilite", "label": "Obtenir le permis de conduire (code / conduite)",
			"situations": []map[string]string{{"theme": "mobilite", "label": sitTransport}},
			"actions":    []map[string]any{{"label": "Code de la route", "weekly_hours": 4, "due_date": "2027-01-15"}}}}, http.StatusCreated)
		api.mustJSON("POST", path+"/plan", map[string]any{"contract": map[string]any{"adjust_reason": "health", "target_hours": 8}}, http.StatusCreated)

		p := getPlan(t, api, id)
		if len(p.Objectives) != 2 || p.WeeklyHours != 5 || p.Contract.TargetHours != 8 || p.Contract.AdjustReason != "health" {
			t.Errorf("référent's plan: %d objectives, %v h, target %v (%q)", len(p.Objectives), p.WeeklyHours, p.Contract.TargetHours, p.Contract.AdjustReason)
		}
		ft := e.apiClient("ft@test.example")
		p = getPlan(t, ft, id)
		if len(p.Objectives) != 1 || p.Objectives[0].Theme != "mobilite" || p.Contract.AdjustReason != "" || !p.Contract.Adjusted {
			t.Errorf("France Travail's plan: %+v", p)
		}
		b := body(t, e.signIn("ft@test.example").get("/personnes/"+itoa(id)+"/contrat"))
		if strings.Contains(b, "MDPH") || strings.Contains(b, "santé") || !strings.Contains(b, "Obtenir le permis de conduire") {
			t.Error("the printed contract shows health to France Travail, or lacks the mobility objective")
		}
		// Signature: not in the future, with signatories.
		res, msg := api.json("POST", path+"/plan", map[string]any{"contract": map[string]any{"signed_on": "2027-06-01", "signatories": ""}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(msg, `"signed_on"`) || !strings.Contains(msg, `"signatories"`) {
			t.Errorf("future signature without signatories: %d %s", res.StatusCode, msg)
		}
		api.mustJSON("POST", path+"/plan", map[string]any{"contract": map[string]any{"signed_on": "2026-11-20",
			"signatories": "Louise Fictive (personne accompagnée)\nPrénom Nom (référent)"}}, http.StatusCreated)
		page := e.signIn("pro@test.example")
		res = page.get("/personnes/" + itoa(id) + "/contrat")
		b = body(t, res)
		if res.StatusCode != http.StatusOK || !strings.Contains(b, "Contrat signé le 20/11/2026") || !strings.Contains(b, "MDPH") ||
			!strings.Contains(b, "Louise Fictive (personne accompagnée)") {
			t.Errorf("contract page: %d", res.StatusCode)
		}
		// A wrong form shows the plan again with its message.
		res = page.post("/personnes/"+itoa(id)+"/plan/objectifs", url.Values{"objective": {""}})
		if b := body(t, res); res.StatusCode != http.StatusBadRequest || !strings.Contains(b, "Choisissez un objectif") {
			t.Errorf("objective without choice: %d", res.StatusCode)
		}
		res = page.post("/personnes/"+itoa(id)+"/plan/actions/"+itoa(p.Objectives[0].Actions[0].ID), url.Values{"status": {"done"}, "weekly_hours": {"2,5"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("action update: %d %s", res.StatusCode, body(t, res))
		}
		// Outsiders: an employer, a professional out of the team.
		for _, email := range []string{"emp@test.example", "ml@test.example"} {
			if res, _ := e.apiClient(email).json("GET", path+"/plan", nil); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s reads the plan: %d", email, res.StatusCode)
			}
		}
	})
}
