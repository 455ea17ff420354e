package main

import (
	"bufio"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/browsertest"
	"github.com/spie-parcours/parcours/internal/demo"
)

// totpSecret reads an account's TOTP secret from the table "parcours demo"
// prints, as a person trying the demo would.
func totpSecret(t *testing.T, out, email string) string {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 1 && f[0] == email {
			return f[len(f)-1]
		}
	}
	t.Fatalf("no TOTP secret printed for %s in:\n%s", email, out)
	return ""
}

// TestBrowserSignInJourney drives Chromium through the demo: sign in as a
// demo account with its password and TOTP code, land on the role's home
// page, sign out; axe-core finds no serious or critical violation on the
// sign-in, code and home pages, and no page logs a JavaScript or CSP error.
func TestBrowserSignInJourney(t *testing.T) {
	ctx := browsertest.New(t)
	base, out := startServer(t, "demo", "--db", filepath.Join(t.TempDir(), "demo.db"), "--persons", "20")
	journeys := []struct {
		email, home string
	}{
		{"travailleur.social@ccas-belfort.example", "Mes personnes accompagnées"},
		{"coordination@cd90.example", "Orientations à traiter"},
		{"admin@parcours.example", "Administration du territoire"},
		{"recrutement@entreprise.example", "Mes offres et mes candidats"},
	}
	for i, j := range journeys {
		secret := totpSecret(t, out.String(), j.email)
		must := func(step string, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %s: %v", j.email, step, err)
			}
		}
		text := func(sel string) string {
			t.Helper()
			s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
			must("text of "+sel, err)
			return s
		}
		must("sign-in page", chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("email"))))
		loc, err := chromedp.Run(ctx, chromedp.Location())
		must("location", err)
		if !strings.Contains(loc, "/connexion") {
			t.Fatalf("anonymous home did not lead to sign-in: %s", loc)
		}
		if i == 0 {
			browsertest.Axe(t, ctx)
		}
		must("password step", chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.ID("email"), j.email),
			chromedp.SendKeys(chromedp.ID("password"), demo.Password),
			chromedp.Submit(chromedp.ID("password")),
			chromedp.WaitVisible(chromedp.ID("code")),
		))
		title, err := chromedp.Run(ctx, chromedp.Title())
		must("title", err)
		if !strings.Contains(title, "Code de vérification") {
			t.Errorf("%s: title after the password = %q", j.email, title)
		}
		if i == 0 {
			browsertest.Axe(t, ctx)
		}
		// Accounts differ from one journey to the next, so the current code
		// is always a fresh step for its account.
		code, err := account.TOTPCode(secret, time.Now())
		must("code", err)
		must("code step", chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.ID("code"), code),
			chromedp.Submit(chromedp.ID("code")),
			chromedp.WaitVisible(chromedp.CSS(`form[action="/deconnexion"] button`)),
		))
		h1, home := text("main h1"), text("main")
		loc, err = chromedp.Run(ctx, chromedp.Location())
		must("location", err)
		if !strings.HasPrefix(h1, "Bonjour") || !strings.HasSuffix(loc, "/") || !strings.Contains(home, j.home) {
			t.Fatalf("%s: landed on %s with %q, want the home page with %q", j.email, loc, h1, j.home)
		}
		browsertest.Axe(t, ctx)
		must("sign out", chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(`form[action="/deconnexion"] button`)),
			chromedp.WaitVisible(chromedp.ID("email")),
		))
		if flash := text(".fr-alert--success"); !strings.Contains(flash, "déconnecté") {
			t.Errorf("%s: after sign-out: %q", j.email, flash)
		}
	}
	browsertest.NoErrors(t, ctx)
}
