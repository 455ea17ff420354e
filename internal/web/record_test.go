package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/audit"
	"github.com/spie-parcours/parcours/internal/territory"
)

// recordEnv adds a France Travail and a Mission locale advisor, and a
// second CCAS professional, to the common environment.
func recordEnv(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	for _, x := range []struct {
		email string
		kind  territory.Kind
	}{
		{"ft@test.example", territory.KindFranceTravail},
		{"ml@test.example", territory.KindMissionLocale},
		{"ccas2@test.example", territory.KindCCAS},
	} {
		st, err := e.store.StructureByName(ctx, e.terr.ID, "Structure "+string(x.kind))
		if err != nil {
			st = territory.Structure{TerritoryID: e.terr.ID, Kind: x.kind, Name: "Structure " + string(x.kind)}
			if err := e.store.CreateStructure(ctx, &st); err != nil {
				t.Fatal(err)
			}
		}
		a := account.Account{Email: x.email, FirstName: "Prénom", LastName: strings.ToUpper(string(x.kind)), PasswordHash: passwordHash(t)}
		a.TOTPSecret, _ = account.NewTOTPSecret()
		a.TOTPEnabled = true
		if err := e.store.CreateAccount(ctx, &a); err != nil {
			t.Fatal(err)
		}
		if err := e.store.AddMembership(ctx, a.ID, st.ID, account.RoleProfessional); err != nil {
			t.Fatal(err)
		}
		e.accounts[x.email] = a
	}
}

// apiClient is a client with a bearer token of the account.
func (e *env) apiClient(email string) *client {
	e.t.Helper()
	token, err := e.srv.createAPIToken(httptestRequest(), e.accounts[email].ID, "test")
	if err != nil {
		e.t.Fatal(err)
	}
	c := e.client()
	c.header.Set("Authorization", "Bearer "+token)
	return c
}

func (c *client) json(method, path string, body any) (*http.Response, string) {
	c.e.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.e.t.Fatal(err)
		}
		r = strings.NewReader(string(b))
	}
	res := c.do(method, path, r, "application/json")
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (c *client) mustJSON(method, path string, body any, want int) string {
	c.e.t.Helper()
	res, b := c.json(method, path, body)
	if res.StatusCode != want {
		c.e.t.Fatalf("%s %s: %d, want %d: %s", method, path, res.StatusCode, want, b)
	}
	return b
}

// registerPerson creates a person through the API and returns its path.
func registerPerson(t *testing.T, c *client, first, last, birth string) string {
	t.Helper()
	b := c.mustJSON("POST", "/api/v1/persons", map[string]any{"first_name": first, "last_name": last, "birth_date": birth,
		"commune_insee": "90010", "caf_number": "", "rsa_right": "rsa_droit_ouvert_versable"}, http.StatusCreated)
	var p struct{ ID int64 }
	if err := json.Unmarshal([]byte(b), &p); err != nil || p.ID == 0 {
		t.Fatalf("create: %s", b)
	}
	return fmt.Sprintf("/api/v1/persons/%d", p.ID)
}

func (e *env) auditCount() int {
	e.t.Helper()
	n := 0
	if err := e.store.WalkAudit(context.Background(), func(audit.Entry) error { n++; return nil }); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestLookupRegisterAndJoin(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		recordEnv(t, e)
		ccas := e.apiClient("pro@test.example")
		var ans struct {
			Known      bool
			Structures []map[string]any
		}
		_, b := ccas.json("GET", "/api/v1/persons/lookup?first_name=L%C3%A9a&last_name=Muller-Diallo&birth_date=1990-04-12", nil)
		if err := json.Unmarshal([]byte(b), &ans); err != nil || ans.Known {
			t.Fatalf("unknown person: %s", b)
		}
		path := registerPerson(t, ccas, "Léa", "Muller-Diallo", "1990-04-12")
		ft := e.apiClient("ft@test.example")
		// Another spelling of the same identity is known, and the answer
		// holds only the structures.
		_, b = ft.json("GET", "/api/v1/persons/lookup?first_name=LEA&last_name=muller+diallo&birth_date=1990-04-12", nil)
		var raw map[string]any
		if err := json.Unmarshal([]byte(b), &raw); err != nil {
			t.Fatal(err)
		}
		if raw["known"] != true || len(raw) != 2 {
			t.Fatalf("known answer: %s", b)
		}
		sts := raw["structures"].([]any)
		if len(sts) != 1 || sts[0].(map[string]any)["kind"] != "ccas" || len(sts[0].(map[string]any)) != 3 {
			t.Errorf("structures: %s", b)
		}
		if strings.Contains(b, "1990") || strings.Contains(b, "Muller") {
			t.Errorf("the lookup answer leaks the file: %s", b)
		}
		// Registering again is refused with the same answer.
		res, b := ft.json("POST", "/api/v1/persons", map[string]any{"first_name": "Léa", "last_name": "MULLER DIALLO", "birth_date": "1990-04-12"})
		if res.StatusCode != http.StatusConflict || !strings.Contains(b, "Structure ccas") {
			t.Errorf("second registration: %d %s", res.StatusCode, b)
		}
		// The CCAS référent adds the France Travail advisor to the team.
		ccas.mustJSON("POST", path+"/team", map[string]any{"email": "ft@test.example"}, http.StatusCreated)
		ft.mustJSON("GET", path, nil, http.StatusOK)
		var team struct{ Items []struct{ Referent bool } }
		_ = json.Unmarshal([]byte(ft.mustJSON("GET", path+"/team", nil, http.StatusOK)), &team)
		if len(team.Items) != 2 {
			t.Errorf("team: %+v", team)
		}
		// A member cannot manage the team.
		if res, _ := ft.json("POST", path+"/team", map[string]any{"email": "ml@test.example"}); res.StatusCode != http.StatusNotFound {
			t.Errorf("a member adding to the team: %d, want 404", res.StatusCode)
		}
	})
}

func TestOutsiderGetsTheSameNotFound(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		recordEnv(t, e)
		ccas := e.apiClient("pro@test.example")
		path := registerPerson(t, ccas, "Jean-Marc", "Schmitt", "1975-09-30")
		outsider := e.apiClient("ccas2@test.example") // same structure kind, even the same structure: not in the team
		before := e.auditCount()
		resA, bodyA := outsider.json("GET", path, nil)
		resB, bodyB := outsider.json("GET", "/api/v1/persons/999999", nil)
		if resA.StatusCode != http.StatusNotFound || resB.StatusCode != http.StatusNotFound {
			t.Fatalf("statuses %d and %d, want 404", resA.StatusCode, resB.StatusCode)
		}
		if bodyA != bodyB {
			t.Errorf("the answers differ:\n%s\n%s", bodyA, bodyB)
		}
		if got := e.auditCount() - before; got != 2 {
			t.Errorf("%d audit entries for two refused reads, want 2", got)
		}
		items, _, err := e.store.AccessLog(context.Background(), idOf(t, path), 0, 10)
		if err != nil || len(items) == 0 || items[0].Outcome != "denied" || items[0].AccountEmail != "ccas2@test.example" {
			t.Errorf("the refused attempt is not in the trail: %+v %v", items, err)
		}
		for _, who := range []string{"admin@test.example", "coord@test.example", "manager@test.example", "emp@test.example"} {
			if res, _ := e.apiClient(who).json("GET", path, nil); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s reads the record: %d", who, res.StatusCode)
			}
		}
	})
}

func idOf(t *testing.T, path string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(path[strings.LastIndex(path, "/")+1:], "%d", &id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestAccessEndsOnTheNextRequest(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		recordEnv(t, e)
		ccas := e.apiClient("pro@test.example")
		path := registerPerson(t, ccas, "Inès", "Benali", "2001-02-03")
		ccas.mustJSON("POST", path+"/team", map[string]any{"email": "ft@test.example"}, http.StatusCreated)
		ccas.mustJSON("POST", path+"/team", map[string]any{"email": "ml@test.example"}, http.StatusCreated)
		ft, ml := e.apiClient("ft@test.example"), e.apiClient("ml@test.example")
		ft.mustJSON("GET", path, nil, http.StatusOK)
		ml.mustJSON("GET", path+"/timeline", nil, http.StatusOK)
		// Removal: the very next request is refused.
		ccas.mustJSON("DELETE", fmt.Sprintf("%s/team/%d", path, e.accounts["ft@test.example"].ID), nil, http.StatusNoContent)
		for _, sub := range []string{"", "/diagnostic", "/team", "/timeline", "/notes", "/consents", "/project"} {
			if res, _ := ft.json("GET", path+sub, nil); res.StatusCode != http.StatusNotFound {
				t.Errorf("removed member GET %s: %d", sub, res.StatusCode)
			}
		}
		// Objection: only the référent keeps access, from the next request.
		ml.mustJSON("POST", path+"/objection", map[string]any{"reason": "Ne souhaite plus de partage"}, http.StatusNoContent)
		if res, _ := ml.json("GET", path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("member after objection: %d", res.StatusCode)
		}
		ccas.mustJSON("GET", path, nil, http.StatusOK)
		// The person is now followed only by the référent's structure.
		if b := ccas.mustJSON("GET", path+"/team", nil, http.StatusOK); !strings.Contains(b, "ml@test.example") {
			t.Errorf("team history lost: %s", b)
		}
	})
}

// markers are unique strings a social worker enters in sensitive places;
// none may reach an account not entitled, in any response, nor the logs.
var markers = []string{"MARQUEUR-SANTE-7c1f", "MARQUEUR-JUSTICE-92ab", "MARQUEUR-FINANCES-5d0e"}

func TestSensitiveValuesNeverLeak(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		recordEnv(t, e)
		ccas := e.apiClient("pro@test.example")
		path := registerPerson(t, ccas, "Yasmine", "Haddad", "1988-11-20")
		ccas.mustJSON("POST", path+"/team", map[string]any{"email": "ft@test.example"}, http.StatusCreated)
		ccas.mustJSON("PATCH", path, map[string]any{"rqth": true}, http.StatusOK)
		ccas.mustJSON("PUT", path+"/diagnostic", map[string]any{"situations": []map[string]any{
			{"theme": "sante", "label": healthSituation(t, e), "comment": markers[0]},
			{"theme": "difficulte_administrative", "label": "Difficulté d’ordre juridique", "comment": markers[1]},
			{"theme": "difficulte_financiere", "label": financeSituation(t, e), "comment": markers[2]},
			{"theme": "mobilite", "label": mobilitySituation(t, e), "comment": "Pas de voiture"},
		}}, http.StatusOK)
		for i, sec := range []string{"health", "justice", "finances"} {
			ccas.mustJSON("POST", path+"/notes", map[string]any{"text": "Note " + markers[i], "visibility": "team", "section": sec}, http.StatusCreated)
		}
		ccas.mustJSON("POST", path+"/notes", map[string]any{"text": "Rendez-vous pris", "visibility": "team"}, http.StatusCreated)
		// The référent sees everything.
		all := ccas.mustJSON("GET", path+"/diagnostic", nil, http.StatusOK) + ccas.mustJSON("GET", path+"/notes", nil, http.StatusOK)
		for _, m := range markers {
			if !strings.Contains(all, m) {
				t.Fatalf("the référent does not see %s", m)
			}
		}
		// Every other account, through every read route of the API.
		for _, who := range []string{"ft@test.example", "ml@test.example", "admin@test.example", "coord@test.example", "emp@test.example"} {
			c := e.apiClient(who)
			for _, sub := range []string{"", "/diagnostic", "/diagnostic?history=true", "/team", "/timeline", "/notes", "/consents", "/project", "/access-log"} {
				_, b := c.json("GET", path+sub, nil)
				for _, m := range markers {
					if strings.Contains(b, m) {
						t.Errorf("%s GET %s leaks %s", who, sub, m)
					}
				}
				if strings.Contains(b, `"rqth"`) {
					t.Errorf("%s GET %s shows the RQTH status", who, sub)
				}
			}
			for _, q := range []string{"/api/v1/persons", "/api/v1/persons?q=haddad", "/api/v1/persons/lookup?first_name=Yasmine&last_name=Haddad&birth_date=1988-11-20"} {
				_, b := c.json("GET", q, nil)
				for _, m := range markers {
					if strings.Contains(b, m) {
						t.Errorf("%s GET %s leaks %s", who, q, m)
					}
				}
			}
		}
		// The France Travail member still sees the non-sensitive part.
		ft := e.apiClient("ft@test.example")
		if b := ft.mustJSON("GET", path+"/diagnostic", nil, http.StatusOK); !strings.Contains(b, "Pas de voiture") {
			t.Errorf("the member lost the mobility situation: %s", b)
		}
		logMu.Lock()
		logs := e.logs.String()
		logMu.Unlock()
		for _, m := range markers {
			if strings.Contains(logs, m) {
				t.Errorf("the log holds %s", m)
			}
		}
	})
}

func situation(t *testing.T, e *env, theme string) string {
	t.Helper()
	ss := e.srv.cfg.Referential.Situations(theme)
	if len(ss) == 0 {
		t.Fatalf("no situation for %s", theme)
	}
	return ss[0].Label
}

func healthSituation(t *testing.T, e *env) string   { return situation(t, e, "sante") }
func financeSituation(t *testing.T, e *env) string  { return situation(t, e, "difficulte_financiere") }
func mobilitySituation(t *testing.T, e *env) string { return situation(t, e, "mobilite") }

func TestEveryReadAuditedOnce(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		recordEnv(t, e)
		ccas := e.apiClient("pro@test.example")
		path := registerPerson(t, ccas, "Océane", "Nguyen", "1999-07-14")
		for _, sub := range []string{"", "/diagnostic", "/team", "/timeline", "/notes", "/consents", "/project", "/access-log"} {
			before := e.auditCount()
			ccas.mustJSON("GET", path+sub, nil, http.StatusOK)
			if got := e.auditCount() - before; got != 1 {
				t.Errorf("GET %s wrote %d audit entries, want 1", sub, got)
			}
		}
		var log struct {
			Items []struct {
				AccountEmail string `json:"account_email"`
				Action       string
				Section      string
				Outcome      string
			}
		}
		_ = json.Unmarshal([]byte(ccas.mustJSON("GET", path+"/access-log", nil, http.StatusOK)), &log)
		if len(log.Items) < 8 || log.Items[0].AccountEmail != "pro@test.example" || log.Items[0].Section != "access_log" {
			t.Errorf("access log: %+v", log.Items)
		}
		// The access log is the référent's: a member gets the same 404.
		ccas.mustJSON("POST", path+"/team", map[string]any{"email": "ft@test.example"}, http.StatusCreated)
		if res, _ := e.apiClient("ft@test.example").json("GET", path+"/access-log", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("member reads the access log: %d", res.StatusCode)
		}
		n := 0
		var prev string
		err := e.store.WalkAudit(context.Background(), func(en audit.Entry) error {
			if n == 0 && en.PrevHash != audit.GenesisHash || n > 0 && en.PrevHash != prev {
				return fmt.Errorf("chain broken at %d", en.ID)
			}
			prev = en.Hash
			n++
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	})
}

func TestBadRecordInput(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	recordEnv(t, e)
	ccas := e.apiClient("pro@test.example")
	for _, tc := range []struct {
		body  string
		field string
	}{
		{`{"first_name": "", "last_name": "X", "birth_date": "1990-01-01"}`, "first_name"},
		{`{"first_name": "A", "last_name": "X", "birth_date": "01/01/1990"}`, "birth_date"},
		{`{"first_name": "A", "last_name": "X", "birth_date": "1990-01-01", "commune_insee": "99999"}`, "commune_insee"},
		{`{"first_name": "A", "last_name": "X", "birth_date": "1990-01-01", "role": "admin"}`, "role"},
		{`{"first_name": 12}`, "first_name"},
	} {
		res := ccas.do("POST", "/api/v1/persons", strings.NewReader(tc.body), "application/json")
		var p struct {
			Detail string
			Errors []struct{ Field, Message string }
		}
		decode(t, res, &p)
		if res.StatusCode != http.StatusBadRequest || len(p.Errors) == 0 || p.Errors[0].Field != tc.field || p.Errors[0].Message == "" {
			t.Errorf("%s: %d %+v", tc.body, res.StatusCode, p)
		}
	}
	path := registerPerson(t, ccas, "Kévin", "Petit", "1995-05-05")
	res, b := ccas.json("PUT", path+"/diagnostic", map[string]any{"situations": []map[string]any{{"theme": "mobilite", "label": "Situation inventée"}}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(b, "situations[0].label") {
		t.Errorf("unknown situation: %d %s", res.StatusCode, b)
	}
	res, b = ccas.json("POST", path+"/notes", map[string]any{"text": "x", "visibility": "tous"})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(b, "visibility") {
		t.Errorf("bad visibility: %d %s", res.StatusCode, b)
	}
}

func TestJoinRequestRevealsNoExistence(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	recordEnv(t, e)
	path := registerPerson(t, e.apiClient("pro@test.example"), "Awa", "Traoré", "1993-03-03")
	ft := e.signIn("ft@test.example")
	ft.header.Set("Sec-Fetch-Site", "same-origin")
	form := map[string][]string{"reason": {"Je l'accompagne dans sa recherche d'emploi."}}
	real := ft.post(fmt.Sprintf("/personnes/%d/demandes", idOf(t, path)), form)
	fake := ft.post("/personnes/987654/demandes", form)
	if real.StatusCode != http.StatusSeeOther || fake.StatusCode != real.StatusCode ||
		fake.Header.Get("Location") != real.Header.Get("Location") {
		t.Errorf("real %d %q, unknown %d %q: the answers differ", real.StatusCode, real.Header.Get("Location"),
			fake.StatusCode, fake.Header.Get("Location"))
	}
	jrs, err := e.store.JoinRequests(context.Background(), idOf(t, path))
	if err != nil || len(jrs) != 1 {
		t.Errorf("join requests = %v, %v; want the real one only", jrs, err)
	}
}

func TestCoordinatorLooksUpButDoesNotRegister(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	coord := e.apiClient("coord@test.example")
	coord.mustJSON("GET", "/api/v1/persons/lookup?caf_number=1234567", nil, http.StatusOK)
	res, _ := coord.json("POST", "/api/v1/persons", map[string]any{"first_name": "A", "last_name": "B", "birth_date": "1990-01-01"})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator registers: %d, want 403", res.StatusCode)
	}
}

// TestRecordRoutesMatrix walks every GET route of a person's record, pages
// and API, for each relationship to the person, on each engine: only the
// team reads, the access log is the référent's, and every refusal looks
// like an unknown person.
func TestRecordRoutesMatrix(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		recordEnv(t, e)
		ctx := context.Background()
		// A professional of another territory.
		other := territory.Territory{Code: "25", Name: "Doubs"}
		if err := e.store.CreateTerritory(ctx, &other); err != nil {
			t.Fatal(err)
		}
		ost := territory.Structure{TerritoryID: other.ID, Kind: territory.KindCCAS, Name: "CCAS de Besançon"}
		if err := e.store.CreateStructure(ctx, &ost); err != nil {
			t.Fatal(err)
		}
		oa := account.Account{Email: "doubs@test.example", FirstName: "A", LastName: "B", PasswordHash: passwordHash(t)}
		if err := e.store.CreateAccount(ctx, &oa); err != nil {
			t.Fatal(err)
		}
		if err := e.store.AddMembership(ctx, oa.ID, ost.ID, account.RoleProfessional); err != nil {
			t.Fatal(err)
		}
		e.accounts[oa.Email] = oa

		ccas := e.apiClient("pro@test.example")
		path := registerPerson(t, ccas, "Sacha", "Lambert", "1986-12-01")
		id := idOf(t, path)
		ccas.mustJSON("POST", path+"/team", map[string]any{"email": "ft@test.example"}, http.StatusCreated)
		ccas.mustJSON("POST", path+"/team", map[string]any{"email": "ml@test.example"}, http.StatusCreated)
		ccas.mustJSON("DELETE", fmt.Sprintf("%s/team/%d", path, e.accounts["ml@test.example"].ID), nil, http.StatusNoContent)

		var routes []string
		for _, rt := range e.srv.routes() {
			method, p, _ := strings.Cut(rt.pattern, " ")
			// Routes of one item of the record ({aid}…) have their own tests.
			if method == http.MethodGet && (strings.HasPrefix(p, "/api/v1/persons/{id}") || strings.HasPrefix(p, "/personnes/{id}")) &&
				strings.Count(p, "{") == 1 {
				routes = append(routes, strings.ReplaceAll(p, "{id}", fmt.Sprint(id)))
			}
		}
		if len(routes) < 12 {
			t.Fatalf("only %d record routes found: %v", len(routes), routes)
		}
		const all, notLog, none = "all", "all but the access log", "none"
		relations := []struct{ name, email, reads string }{
			{"référent", "pro@test.example", all},
			{"member of another structure", "ft@test.example", notLog},
			{"former member", "ml@test.example", none},
			{"same structure, not in the team", "ccas2@test.example", none},
			{"other territory", "doubs@test.example", none},
			{"coordinator", "coord@test.example", none},
			{"structure manager", "manager@test.example", none},
			{"territory administrator", "admin@test.example", none},
			{"employer contact", "emp@test.example", none},
		}
		_, unknown := e.apiClient("emp@test.example").json("GET", "/api/v1/persons/999999", nil)
		for _, rel := range relations {
			c := e.apiClient(rel.email)
			for _, route := range routes {
				res, b := c.json("GET", route, nil)
				isLog := strings.HasSuffix(route, "/access-log") || strings.HasSuffix(route, "/acces")
				want := http.StatusOK
				if rel.reads == none || (rel.reads == notLog && isLog) {
					want = http.StatusNotFound
				}
				if res.StatusCode != want {
					t.Errorf("%s GET %s: %d, want %d", rel.name, route, res.StatusCode, want)
				}
				if want == http.StatusNotFound && strings.HasPrefix(route, "/api/") && b != unknown {
					t.Errorf("%s GET %s: the refusal differs from an unknown person: %s", rel.name, route, b)
				}
				if want == http.StatusNotFound && strings.Contains(b, "Lambert") {
					t.Errorf("%s GET %s: the refusal names the person", rel.name, route)
				}
			}
		}
	})
}
