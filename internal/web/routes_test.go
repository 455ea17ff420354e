package web

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spie-parcours/parcours/internal/store/storetest"
)

var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// concrete turns a route pattern into a method and a path that matches it.
func concrete(pattern string) (method, path string) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = http.MethodGet, pattern
	}
	path = strings.ReplaceAll(path, "{$}", "")
	path = wildcard.ReplaceAllString(path, "1")
	if strings.HasSuffix(path, "/") && path != "/" {
		path += "x"
	}
	return method, path
}

// TestRoutesDenyAnonymous walks routes.go: every route not on the public
// list refuses an anonymous request, with 401 for the API and a redirect to
// sign-in for pages.
func TestRoutesDenyAnonymous(t *testing.T) {
	e := newEnv(t, storetest.Open(t, "sqlite"))
	// The public list, exactly: a new public route must be added here on
	// purpose.
	want := []string{"GET /healthz", "GET /metrics", "GET /static/", "GET /connexion", "POST /connexion",
		"GET /connexion/code", "POST /connexion/code", "GET /connexion/activation", "POST /connexion/activation",
		"GET /mot-de-passe/oubli", "POST /mot-de-passe/oubli", "GET /mot-de-passe/nouveau/{token}",
		"POST /mot-de-passe/nouveau/{token}", "GET /accessibilite", "GET /api/v1/openapi.json",
		"GET /reponse-adressage/{id}/{token}", "POST /reponse-adressage/{id}/{token}",
		"GET /rdv/{token}", "POST /rdv/{token}", "GET /rdv/gerer/{token}", "POST /rdv/gerer/{token}",
		"GET /desabonnement/{token}", "POST /desabonnement/{token}"}
	var publics []string
	for _, rt := range e.srv.routes() {
		if rt.access == public {
			publics = append(publics, rt.pattern)
			continue
		}
		method, path := concrete(rt.pattern)
		t.Run(rt.pattern, func(t *testing.T) {
			c := e.client()
			c.header.Set("Sec-Fetch-Site", "same-origin")
			res := c.do(method, path, strings.NewReader(""), "application/x-www-form-urlencoded")
			if strings.HasPrefix(path, "/api/") {
				if res.StatusCode != http.StatusUnauthorized {
					t.Fatalf("%s %s: status %d, want 401", method, path, res.StatusCode)
				}
				if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("content type %q", ct)
				}
				var p struct{ Detail string }
				decode(t, res, &p)
				if p.Detail == "" {
					t.Error("no French detail")
				}
				return
			}
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/connexion") {
				t.Fatalf("%s %s: status %d to %q, want a redirect to /connexion", method, path, res.StatusCode, res.Header.Get("Location"))
			}
		})
	}
	if !slices.Equal(publics, want) {
		t.Errorf("public routes = %v, want %v: check each new entry is meant to be public", publics, want)
	}
}

// TestOpenAPIListsEveryRoute keeps the OpenAPI document equal to the API
// routes of routes.go.
func TestOpenAPIListsEveryRoute(t *testing.T) {
	e := newEnv(t, storetest.Open(t, "sqlite"))
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	res := e.client().get("/api/v1/openapi.json")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	decode(t, res, &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
	inRoutes := map[string]bool{}
	for _, rt := range e.srv.routes() {
		method, path, ok := strings.Cut(rt.pattern, " ")
		if !ok || !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		key := strings.ToLower(method) + " " + path
		inRoutes[key] = true
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("route %s missing from openapi.json", rt.pattern)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			if !inRoutes[method+" "+path] {
				t.Errorf("openapi.json documents %s %s, which routes.go does not serve", strings.ToUpper(method), path)
			}
		}
	}
}
