package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
)

func TestSignInNeedsSecondFactor(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.client()
		res := c.post("/connexion", url.Values{"email": {"pro@test.example"}, "password": {testPassword}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/connexion/code") {
			t.Fatalf("password step: %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		pending := c.cookies[sessionCookie]
		if pending == "" {
			t.Fatal("no pending cookie")
		}
		// The pending sign-in opens nothing.
		for _, path := range []string{"/", "/compte", "/api/v1/me"} {
			res := c.get(path)
			if res.StatusCode == http.StatusOK {
				t.Errorf("%s answered 200 with the password alone", path)
			}
		}
		// A wrong code keeps the pending state and yields no session.
		res = c.post("/connexion/code", url.Values{"code": {"000000"}})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body(t, res), "Code incorrect") {
			t.Fatalf("wrong code: %d", res.StatusCode)
		}
		if res := c.get("/api/v1/me"); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("after a wrong code /api/v1/me = %d", res.StatusCode)
		}
		res = c.post("/connexion/code", url.Values{"code": {e.code("pro@test.example")}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Fatalf("right code: %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		full := c.cookies[sessionCookie]
		if full == "" || full == pending {
			t.Fatal("the session token was not rotated at sign-in")
		}
		if res := c.get("/"); res.StatusCode != http.StatusOK {
			t.Fatalf("home = %d", res.StatusCode)
		}
		// The same code cannot be used twice (replay).
		c2 := e.client()
		c2.post("/connexion", url.Values{"email": {"pro@test.example"}, "password": {testPassword}})
		if res := c2.post("/connexion/code", url.Values{"code": {e.code("pro@test.example")}}); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("replayed code: %d, want 401", res.StatusCode)
		}
	})
}

func TestSessionCookieAttributes(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.client()
		res := c.post("/connexion", url.Values{"email": {"pro@test.example"}, "password": {testPassword}})
		var found bool
		for _, ck := range res.Cookies() {
			if ck.Name == sessionCookie {
				found = true
				if !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Domain != "" {
					t.Errorf("cookie %+v", ck)
				}
				if len(ck.Value) < 32 {
					t.Errorf("token too short: %d characters", len(ck.Value))
				}
			}
		}
		if !found {
			t.Fatal("no session cookie")
		}
	})
}

func TestEnrolmentAtFirstSignIn(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.client()
		res := c.post("/connexion", url.Values{"email": {"new@test.example"}, "password": {testPassword}})
		if !strings.HasPrefix(res.Header.Get("Location"), "/connexion/activation") {
			t.Fatalf("password step to %q, want the enrolment", res.Header.Get("Location"))
		}
		res = c.get("/connexion/activation")
		page := body(t, res)
		if res.StatusCode != http.StatusOK || !strings.Contains(page, "<svg") || !strings.Contains(page, "QR code") {
			t.Fatalf("enrolment page: %d", res.StatusCode)
		}
		if res := c.get("/"); res.StatusCode == http.StatusOK {
			t.Error("home reachable before enrolment")
		}
		res = c.post("/connexion/activation", url.Values{"code": {e.code("new@test.example")}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Fatalf("enrolment code: %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		a, _ := e.store.AccountByEmail(context.Background(), "new@test.example")
		if !a.TOTPEnabled {
			t.Error("TOTP not enabled after enrolment")
		}
		if res := c.get("/"); res.StatusCode != http.StatusOK {
			t.Errorf("home after enrolment = %d", res.StatusCode)
		}
	})
}

func TestLockAfterTenFailures(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.client()
		for i := 1; i <= account.LockAfter; i++ {
			res := c.post("/connexion", url.Values{"email": {"pro@test.example"}, "password": {"mauvais mot de passe"}})
			if res.StatusCode != http.StatusUnauthorized && res.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("attempt %d: %d", i, res.StatusCode)
			}
		}
		// The 11th attempt, with the right password, is refused.
		res := c.post("/connexion", url.Values{"email": {"pro@test.example"}, "password": {testPassword}})
		if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body(t, res), "verrouillé") {
			t.Fatalf("11th attempt with the right password: %d", res.StatusCode)
		}
		if c.cookies[sessionCookie] != "" {
			t.Fatal("a locked account got a session cookie")
		}
		e.clock.Add(account.LockFor + time.Second)
		e.signIn("pro@test.example")
	})
}

func TestAddressThrottled(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.client()
		for i := range ipFailureLimit {
			res := c.post("/connexion", url.Values{"email": {"inconnu" + string(rune('a'+i%26)) + "@test.example"}, "password": {"x"}})
			if res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d", i, res.StatusCode)
			}
		}
		res := c.post("/connexion", url.Values{"email": {"pro@test.example"}, "password": {testPassword}})
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
			t.Fatalf("after %d failures: %d, want 429 with Retry-After", ipFailureLimit, res.StatusCode)
		}
		other := e.client()
		other.ip = "198.51.100.8"
		other.post("/connexion", url.Values{"email": {"pro@test.example"}, "password": {testPassword}})
		if other.cookies[sessionCookie] == "" {
			t.Error("another address was throttled too")
		}
		e.clock.Add(ipWindow + time.Second)
		e.signIn("pro@test.example")
	})
}

func TestDisabledAccountStopsAtOnce(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		c1 := e.signIn("pro@test.example")
		c2 := e.signIn("pro@test.example")
		token, err := e.srv.createAPIToken(httptestRequest(), e.accounts["pro@test.example"].ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		api := e.client()
		api.header.Set("Authorization", "Bearer "+token)
		if res := api.get("/api/v1/me"); res.StatusCode != http.StatusOK {
			t.Fatalf("token before: %d", res.StatusCode)
		}
		if err := e.store.SetAccountDisabled(ctx, e.accounts["pro@test.example"].ID, true, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		for i, c := range []*client{c1, c2} {
			if res := c.get("/api/v1/me"); res.StatusCode != http.StatusUnauthorized {
				t.Errorf("session %d after disabling: %d", i+1, res.StatusCode)
			}
			if res := c.get("/"); res.StatusCode != http.StatusSeeOther {
				t.Errorf("session %d page after disabling: %d", i+1, res.StatusCode)
			}
		}
		if res := api.get("/api/v1/me"); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("token after disabling: %d", res.StatusCode)
		}
		// Nor can it sign in again.
		c := e.client()
		res := c.post("/connexion", url.Values{"email": {"pro@test.example"}, "password": {testPassword}})
		if res.StatusCode != http.StatusUnauthorized || c.cookies[sessionCookie] != "" {
			t.Errorf("disabled sign-in: %d", res.StatusCode)
		}
	})
}

func TestSessionLimits(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.signIn("pro@test.example")
		// Active use keeps it alive past the idle limit...
		for range 3 {
			e.clock.Add(account.SessionIdle - time.Minute)
			if res := c.get("/api/v1/me"); res.StatusCode != http.StatusOK {
				t.Fatalf("active session refused: %d", res.StatusCode)
			}
		}
		// ...but not 30 idle minutes.
		e.clock.Add(account.SessionIdle)
		if res := c.get("/api/v1/me"); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("idle session: %d, want 401", res.StatusCode)
		}
		// And never more than 12 hours.
		c = e.signIn("pro@test.example")
		for elapsed := time.Duration(0); elapsed < account.SessionAbsolute-20*time.Minute; elapsed += 20 * time.Minute {
			e.clock.Add(20 * time.Minute)
			if res := c.get("/api/v1/me"); res.StatusCode != http.StatusOK {
				t.Fatalf("session refused after %v", elapsed)
			}
		}
		e.clock.Add(25 * time.Minute)
		if res := c.get("/api/v1/me"); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("session past 12 h: %d, want 401", res.StatusCode)
		}
	})
}

func TestSignOut(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.signIn("pro@test.example")
		token := c.cookies[sessionCookie]
		c.header.Set("Sec-Fetch-Site", "same-origin")
		res := c.post("/deconnexion", nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/connexion" {
			t.Fatalf("sign out: %d", res.StatusCode)
		}
		stale := e.client()
		stale.cookies[sessionCookie] = token
		if res := stale.get("/api/v1/me"); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("the old token still works: %d", res.StatusCode)
		}
		if res := c.get("/connexion"); !strings.Contains(body(t, res), "Vous êtes déconnecté") {
			t.Error("no sign-out message")
		}
	})
}

func TestPasswordReset(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.client()
		res := c.post("/mot-de-passe/oubli", url.Values{"email": {"pro@test.example"}})
		if res.StatusCode != http.StatusOK || !strings.Contains(body(t, res), "Si un compte actif") {
			t.Fatalf("request: %d", res.StatusCode)
		}
		// An unknown address gets the same answer and no message.
		res = c.post("/mot-de-passe/oubli", url.Values{"email": {"personne@test.example"}})
		if !strings.Contains(body(t, res), "Si un compte actif") {
			t.Error("unknown address answered differently")
		}
		if len(e.mail.Messages) != 1 {
			t.Fatalf("%d messages, want 1", len(e.mail.Messages))
		}
		m := e.mail.Messages[0]
		i := strings.Index(m.Body, "https://parcours.test/mot-de-passe/nouveau/")
		if m.To != "pro@test.example" || i < 0 {
			t.Fatalf("message %+v", m)
		}
		link := strings.Fields(m.Body[i:])[0]
		path := strings.TrimPrefix(link, "https://parcours.test")
		if res := c.get(path); res.StatusCode != http.StatusOK {
			t.Fatalf("link: %d", res.StatusCode)
		}
		newPassword := "un autre mot de passe bien long"
		res = c.post(path, url.Values{"password": {"court"}, "confirmation": {"court"}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body(t, res), "12 caractères") {
			t.Errorf("short password: %d", res.StatusCode)
		}
		res = c.post(path, url.Values{"password": {newPassword}, "confirmation": {newPassword}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("reset: %d %s", res.StatusCode, body(t, res))
		}
		// Single use.
		if res := c.post(path, url.Values{"password": {newPassword + "!"}, "confirmation": {newPassword + "!"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("second use: %d, want 404", res.StatusCode)
		}
		a, _ := e.store.AccountByEmail(context.Background(), "pro@test.example")
		if !account.CheckPassword(a.PasswordHash, newPassword) {
			t.Error("password not changed")
		}
		// A link older than 10 minutes is refused.
		c.post("/mot-de-passe/oubli", url.Values{"email": {"pro@test.example"}})
		m = e.mail.Messages[len(e.mail.Messages)-1]
		path = strings.TrimPrefix(strings.Fields(m.Body[strings.Index(m.Body, "https://"):])[0], "https://parcours.test")
		e.clock.Add(account.ResetLifetime + time.Second)
		if res := c.get(path); res.StatusCode != http.StatusNotFound || !strings.Contains(body(t, res), "plus valable") {
			t.Errorf("expired link: %d", res.StatusCode)
		}
	})
}

func TestNoPersonalDataInLogs(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		c := e.client()
		c.post("/connexion", url.Values{"email": {"pro@test.example"}, "password": {"secret-qui-ne-doit-pas-fuir"}})
		c.post("/mot-de-passe/oubli", url.Values{"email": {"pro@test.example"}})
		logMu.Lock()
		logs := e.logs.String()
		logMu.Unlock()
		for _, s := range []string{"secret-qui-ne-doit-pas-fuir", testPassword} {
			if strings.Contains(logs, s) {
				t.Errorf("the log holds %q", s)
			}
		}
		if !strings.Contains(logs, "route=\"POST /connexion\"") {
			t.Errorf("no access log line by route pattern:\n%s", logs)
		}
	})
}
