package browsertest

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// pages are the documents that the self-test serves.
var pages = map[string]string{
	"/ok": `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inscription</title>
</head>
<body>
<main>
<h1>Inscription</h1>
<form method="post">
<label for="nom">Nom</label>
<input id="nom" name="nom" type="text" autocomplete="family-name">
<button type="submit">Envoyer</button>
</form>
</main>
</body>
</html>`,
	"/inaccessible": `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>Inaccessible</title></head>
<body>
<main>
<h1>Inaccessible</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<form><input name="nom" type="text"></form>
</main>
</body>
</html>`,
	"/exception": `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Exception</title></head>
<body><main><h1>Exception</h1>
<script>throw new Error("boum dans la page");</script>
</main></body></html>`,
	"/console": `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Console</title></head>
<body><main><h1>Console</h1>
<script>console.log("rien à signaler"); console.error("oups", 42);</script>
</main></body></html>`,
	// Served with a CSP that forbids inline scripts.
	"/csp": `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>CSP</title></head>
<body><main><h1>CSP</h1>
<script>document.title = "script en ligne exécuté";</script>
</main></body></html>`,
	// Served with the same CSP, and valid: axe must run under it.
	"/csp-ok": `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>CSP stricte</title></head>
<body><main><h1>CSP stricte</h1><p>Rien à signaler.</p></main></body></html>`,
	"/missing-image": `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Image absente</title></head>
<body><main><h1>Image absente</h1><img src="/absente.png" alt=""></main></body></html>`,
}

func server(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/csp") {
			w.Header().Set("Content-Security-Policy", "default-src 'self'")
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = fmt.Fprint(w, page)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// recorder is a testing.TB that records the failures of the helper under
// test instead of failing the test.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestAxe(t *testing.T) {
	srv := server(t)
	ctx := New(t)

	t.Run("accessible page passes", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/ok")); err != nil {
			t.Fatal(err)
		}
		Axe(t, ctx)
	})

	t.Run("image without alt and input without label are reported", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/inaccessible")); err != nil {
			t.Fatal(err)
		}
		vs, err := AxeViolations(ctx)
		if errors.Is(err, ErrNoAxe) {
			t.Skip("axe-core absent : lancer `make assets`")
		}
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, v := range vs {
			if v.Serious() {
				ids = append(ids, v.ID)
			}
		}
		for _, want := range []string{"image-alt", "label"} {
			if !slices.Contains(ids, want) {
				t.Errorf("serious violations = %v, want %s among them", ids, want)
			}
		}

		rec := &recorder{TB: t}
		Axe(rec, ctx)
		if len(rec.errors) != 1 {
			t.Fatalf("Axe reported %d failures, want 1: %q", len(rec.errors), rec.errors)
		}
		for _, want := range []string{"image-alt", "label", "img", "input", "/inaccessible"} {
			if !strings.Contains(rec.errors[0], want) {
				t.Errorf("Axe failure does not mention %q:\n%s", want, rec.errors[0])
			}
		}
	})

	t.Run("runs under a strict CSP", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/csp-ok")); err != nil {
			t.Fatal(err)
		}
		Axe(t, ctx)
		NoErrors(t, ctx)
	})

	NoErrors(t, ctx)
}

func TestErrors(t *testing.T) {
	srv := server(t)
	ctx := New(t)

	tests := []struct {
		path string
		want string // a part of the one error that the page causes
	}{
		{"/ok", ""},
		{"/exception", "boum dans la page"},
		{"/console", "oups 42"},
		{"/csp", "Content Security Policy"},
		{"/missing-image", "404"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			before := len(Errors(ctx))
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+tt.path)); err != nil {
				t.Fatal(err)
			}
			got := Errors(ctx)[before:]
			if tt.want == "" {
				if len(got) != 0 {
					t.Errorf("errors = %q, want none", got)
				}
				return
			}
			if len(got) != 1 || !strings.Contains(got[0], tt.want) {
				t.Errorf("errors = %q, want one error containing %q", got, tt.want)
			}
		})
	}

	t.Run("NoErrors reports each error once", func(t *testing.T) {
		rec := &recorder{TB: t}
		NoErrors(rec, ctx)
		if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "boum dans la page") {
			t.Fatalf("NoErrors failures = %q, want one listing the errors", rec.errors)
		}
		rec = &recorder{TB: t}
		NoErrors(rec, ctx)
		if len(rec.errors) != 0 {
			t.Errorf("second NoErrors failures = %q, want none", rec.errors)
		}
	})

	t.Run("NoErrorsBut accepts the expected errors only", func(t *testing.T) {
		visit := func(path string) {
			t.Helper()
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+path)); err != nil {
				t.Fatal(err)
			}
		}
		visit("/missing-image")
		rec := &recorder{TB: t}
		NoErrorsBut(rec, ctx, "404")
		if len(rec.errors) != 0 {
			t.Errorf("expected error: failures = %q, want none", rec.errors)
		}
		visit("/ok")
		rec = &recorder{TB: t}
		NoErrorsBut(rec, ctx, "404")
		if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "absente") {
			t.Errorf("expected error missing: failures = %q, want one saying so", rec.errors)
		}
		visit("/missing-image")
		visit("/console")
		rec = &recorder{TB: t}
		NoErrorsBut(rec, ctx, "404")
		if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "oups 42") {
			t.Errorf("another error: failures = %q, want one listing it", rec.errors)
		}
	})
}

func TestViewport(t *testing.T) {
	srv := server(t)
	ctx := New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/ok")); err != nil {
		t.Fatal(err)
	}
	width := func() int {
		t.Helper()
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.innerWidth`))
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	if got := width(); got != desktopWidth {
		t.Errorf("width at start = %d, want %d", got, desktopWidth)
	}
	if err := SetMobile(ctx); err != nil {
		t.Fatal(err)
	}
	if got := width(); got != mobileWidth {
		t.Errorf("width after SetMobile = %d, want %d", got, mobileWidth)
	}
	if err := SetDesktop(ctx); err != nil {
		t.Fatal(err)
	}
	if got := width(); got != desktopWidth {
		t.Errorf("width after SetDesktop = %d, want %d", got, desktopWidth)
	}
	NoErrors(t, ctx)
}

func TestReport(t *testing.T) {
	nodes := make([]Node, 7)
	for i := range nodes {
		nodes[i] = Node{Target: fmt.Sprintf("#n%d", i)}
	}
	vs := []Violation{
		{ID: "region", Impact: "moderate", Help: "All page content should be contained by landmarks", Nodes: nodes[:1]},
		{ID: "color-contrast", Impact: "serious", Help: "Elements must meet minimum color contrast ratio thresholds", Nodes: nodes},
	}
	got := report(vs)
	for _, want := range []string{"1 règle(s)", "color-contrast (serious)", "#n4", "… et 2 autre(s)"} {
		if !strings.Contains(got, want) {
			t.Errorf("report does not contain %q:\n%s", want, got)
		}
	}
	for _, unwanted := range []string{"region", "#n5"} {
		if strings.Contains(got, unwanted) {
			t.Errorf("report contains %q:\n%s", unwanted, got)
		}
	}
	if got := report(vs[:1]); got != "" {
		t.Errorf("report of a moderate violation = %q, want empty", got)
	}
}
