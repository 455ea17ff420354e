package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/spie-parcours/parcours/internal/store/storetest"
)

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, storetest.Open(t, "sqlite"))
	c := e.signIn("pro@test.example")
	for _, path := range []string{"/", "/connexion", "/api/v1/me", "/nexiste-pas"} {
		res := c.get(path)
		h := res.Header
		for name, want := range map[string]string{
			"Content-Security-Policy":   contentSecurityPolicy,
			"X-Content-Type-Options":    "nosniff",
			"Referrer-Policy":           "no-referrer",
			"Cache-Control":             "no-store",
			"Strict-Transport-Security": "max-age=63072000; includeSubDomains",
			"X-Frame-Options":           "DENY",
		} {
			if got := h.Get(name); got != want {
				t.Errorf("%s: %s = %q, want %q", path, name, got, want)
			}
		}
		if h.Get("X-Request-Id") == "" {
			t.Errorf("%s: no request id", path)
		}
	}
	if !strings.Contains(contentSecurityPolicy, "script-src 'self'") || strings.Contains(contentSecurityPolicy, "unsafe") {
		t.Error("the CSP allows inline code")
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	e := newEnv(t, storetest.Open(t, "sqlite"))
	c := e.signIn("pro@test.example")
	c.header.Set("Sec-Fetch-Site", "cross-site")
	res := c.post("/compte/jetons", url.Values{"name": {"piège"}})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d, want 403", res.StatusCode)
	}
	c.header.Del("Sec-Fetch-Site")
	c.header.Set("Origin", "https://attaquant.example")
	c.header.Set("Host", "parcours.test")
	if res := c.post("/deconnexion", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST with a foreign Origin: %d, want 403", res.StatusCode)
	}
	c.header.Del("Origin")
	c.header.Set("Sec-Fetch-Site", "same-origin")
	if res := c.post("/compte/jetons", url.Values{"name": {"outil"}}); res.StatusCode != http.StatusOK {
		t.Errorf("same-origin POST: %d", res.StatusCode)
	}
}

func TestEveryPageRenders(t *testing.T) {
	e := newEnv(t, storetest.Open(t, "sqlite"))
	anon := e.client()
	for _, path := range []string{"/connexion", "/mot-de-passe/oubli", "/accessibilite"} {
		res := anon.get(path)
		page := body(t, res)
		if res.StatusCode != http.StatusOK || !strings.Contains(page, `<html lang="fr"`) || !strings.Contains(page, "fr-header") {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
	homes := map[string]string{
		"pro@test.example":     "Mes personnes accompagnées",
		"coord@test.example":   "Orientations à traiter",
		"manager@test.example": "Ma structure",
		"admin@test.example":   "Administration du territoire",
		"emp@test.example":     "Mes offres et mes candidats",
	}
	for email, want := range homes {
		c := e.signIn(email)
		res := c.get("/")
		page := body(t, res)
		if res.StatusCode != http.StatusOK || !strings.Contains(page, want) {
			t.Errorf("home of %s: %d, want %q", email, res.StatusCode, want)
		}
		if !strings.Contains(page, "Se déconnecter") || !strings.Contains(page, "Territoire de Belfort") {
			t.Errorf("home of %s lacks the header", email)
		}
		if res := c.get("/compte"); res.StatusCode != http.StatusOK {
			t.Errorf("account page of %s: %d", email, res.StatusCode)
		}
	}
	admin := e.signIn("admin@test.example")
	res := admin.get("/administration")
	if page := body(t, res); res.StatusCode != http.StatusOK || !strings.Contains(page, "pro@test.example") {
		t.Errorf("admin page: %d", res.StatusCode)
	}
	pro := e.signIn("pro@test.example")
	if res := pro.get("/administration"); res.StatusCode != http.StatusForbidden {
		t.Errorf("admin page for a professional: %d, want 403", res.StatusCode)
	}
	res = pro.get("/nexiste-pas")
	if page := body(t, res); res.StatusCode != http.StatusNotFound || !strings.Contains(page, "existe pas") {
		t.Errorf("unknown page: %d", res.StatusCode)
	}
}

func TestMalformedInput(t *testing.T) {
	e := newEnv(t, storetest.Open(t, "sqlite"))
	c := e.client()
	res := c.post("/connexion", url.Values{"email": {"pas-une-adresse"}, "password": {""}})
	page := body(t, res)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "est pas valide") || !strings.Contains(page, "Saisissez votre mot de passe") {
		t.Errorf("malformed sign-in: %d", res.StatusCode)
	}
	res = c.do(http.MethodPost, "/connexion", strings.NewReader("%zz=%"), "application/x-www-form-urlencoded")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body(t, res), "illisible") {
		t.Errorf("unparsable form: %d", res.StatusCode)
	}
	res = c.do(http.MethodPost, "/connexion", strings.NewReader("email="+strings.Repeat("a", maxBody+10)), "application/x-www-form-urlencoded")
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("oversized form: %d", res.StatusCode)
	}
	pro := e.signIn("pro@test.example")
	pro.header.Set("Sec-Fetch-Site", "same-origin")
	if res := pro.post("/compte/jetons", url.Values{"name": {""}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("empty token name: %d", res.StatusCode)
	}
}

func TestAPIMeAndTokens(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		pro := e.signIn("pro@test.example")
		pro.header.Set("Sec-Fetch-Site", "same-origin")
		page := body(t, pro.post("/compte/jetons", url.Values{"name": {"logiciel"}}))
		i := strings.Index(page, "prc_")
		if i < 0 {
			t.Fatal("token not shown")
		}
		token := page[i : i+strings.IndexByte(page[i:], '<')]
		api := e.client()
		api.header.Set("Authorization", "Bearer "+token)
		res := api.get("/api/v1/me")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("me: %d", res.StatusCode)
		}
		var me struct {
			Email       string
			Roles       []string
			Memberships []struct {
				StructureKind string `json:"structure_kind"`
			}
		}
		decode(t, res, &me)
		if me.Email != "pro@test.example" || len(me.Roles) != 1 || me.Roles[0] != "professional" ||
			len(me.Memberships) != 1 || me.Memberships[0].StructureKind != "ccas" {
			t.Errorf("me = %+v", me)
		}
		var sts struct{ Items []struct{ ID int64 } }
		decode(t, api.get("/api/v1/structures"), &sts)
		if len(sts.Items) != 3 {
			t.Errorf("%d structures, want 3", len(sts.Items))
		}
		var toks struct{ Items []struct{ ID int64 } }
		decode(t, api.get("/api/v1/tokens"), &toks)
		if len(toks.Items) != 1 {
			t.Fatalf("tokens = %+v", toks)
		}
		if res := api.get("/api/v1/nexiste"); res.StatusCode != http.StatusNotFound || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("unknown API route: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		other := e.signIn("admin@test.example")
		other.header.Set("Sec-Fetch-Site", "same-origin")
		if res := other.do(http.MethodDelete, "/api/v1/tokens/"+itoa(toks.Items[0].ID), nil, ""); res.StatusCode != http.StatusNotFound {
			t.Errorf("revoking another account's token: %d, want 404", res.StatusCode)
		}
		if res := api.do(http.MethodDelete, "/api/v1/tokens/"+itoa(toks.Items[0].ID), nil, ""); res.StatusCode != http.StatusNoContent {
			t.Fatalf("revoke: %d", res.StatusCode)
		}
		if res := api.get("/api/v1/me"); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("revoked token: %d", res.StatusCode)
		}
	})
}

func TestOperations(t *testing.T) {
	e := newEnv(t, storetest.Open(t, "sqlite"))
	c := e.client()
	res := c.get("/healthz")
	if page := body(t, res); res.StatusCode != http.StatusOK || !strings.Contains(page, `"status":"ok"`) {
		t.Errorf("healthz: %d %s", res.StatusCode, page)
	}
	c.get("/connexion")
	c.ip = "127.0.0.1"
	res = c.get("/metrics")
	page := body(t, res)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `parcours_http_requests_total{code="200",method="GET",route="GET /connexion"}`) ||
		!strings.Contains(page, "go_goroutines") {
		t.Errorf("metrics: %d\n%.600s", res.StatusCode, page)
	}
	c.ip = "203.0.113.9"
	if res := c.get("/metrics"); res.StatusCode != http.StatusForbidden {
		t.Errorf("metrics from afar without token: %d, want 403", res.StatusCode)
	}
	e.store.Close()
	c.ip = "127.0.0.1"
	if res := c.get("/healthz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("healthz with the database closed: %d, want 503", res.StatusCode)
	}
}
