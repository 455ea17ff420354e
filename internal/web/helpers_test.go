package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/jobs"
	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
	"github.com/spie-parcours/parcours/internal/territory"
)

const testPassword = "une phrase de passe solide"

var (
	hashOnce sync.Once
	hashed   string
)

func passwordHash(t testing.TB) string {
	hashOnce.Do(func() {
		var err error
		if hashed, err = account.HashPassword(testPassword); err != nil {
			t.Fatal(err)
		}
	})
	return hashed
}

// clock is a controllable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a server on a fresh store, with a territory, structures and
// accounts.
type env struct {
	t        testing.TB
	store    *store.Store
	srv      *Server
	clock    *clock
	mail     *notify.Recorder
	accounts map[string]account.Account // by email
	terr     territory.Territory
	logs     *strings.Builder
}

func newEnv(t testing.TB, s *store.Store) *env {
	t.Helper()
	ctx := context.Background()
	ref, err := referential.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, store: s, clock: &clock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)},
		mail: &notify.Recorder{}, accounts: map[string]account.Account{}, logs: &strings.Builder{}}
	e.terr = territory.Territory{Code: "90", Name: "Territoire de Belfort", OperatorState: "Préfecture", OperatorCouncil: "Département"}
	if err := s.CreateTerritory(ctx, &e.terr); err != nil {
		t.Fatal(err)
	}
	sts := map[territory.Kind]int64{}
	for _, k := range []territory.Kind{territory.KindDepartement, territory.KindCCAS, territory.KindEmployer} {
		st := territory.Structure{TerritoryID: e.terr.ID, Kind: k, Name: "Structure " + string(k)}
		if err := s.CreateStructure(ctx, &st); err != nil {
			t.Fatal(err)
		}
		sts[k] = st.ID
	}
	for _, a := range []struct {
		email string
		kind  territory.Kind
		role  account.Role
		totp  bool
	}{
		{"admin@test.example", territory.KindDepartement, account.RoleTerritoryAdmin, true},
		{"pro@test.example", territory.KindCCAS, account.RoleProfessional, true},
		{"coord@test.example", territory.KindDepartement, account.RoleCoordinator, true},
		{"manager@test.example", territory.KindCCAS, account.RoleStructureManager, true},
		{"emp@test.example", territory.KindEmployer, account.RoleEmployerContact, true},
		{"new@test.example", territory.KindCCAS, account.RoleProfessional, false},
	} {
		acc := account.Account{Email: a.email, FirstName: "Prénom", LastName: "Nom", PasswordHash: passwordHash(t)}
		if a.totp {
			acc.TOTPSecret, _ = account.NewTOTPSecret()
			acc.TOTPEnabled = true
		}
		if err := s.CreateAccount(ctx, &acc); err != nil {
			t.Fatal(err)
		}
		if err := s.AddMembership(ctx, acc.ID, sts[a.kind], a.role); err != nil {
			t.Fatal(err)
		}
		e.accounts[a.email] = acc
	}
	log := slog.New(slog.NewTextHandler(syncWriter{b: e.logs}, nil))
	e.srv, err = NewServer(Config{Store: s, Referential: ref, Logger: log, Notifier: e.mail, Now: e.clock.Now,
		BaseURL: "https://parcours.test"})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// drain delivers what the outbox holds due now to the recorder e.mail, as
// the jobs worker does, and returns how many messages it sent.
func (e *env) drain() int {
	e.t.Helper()
	w := &jobs.Worker{Store: e.store, Now: e.clock.Now,
		Senders: map[notify.Channel]notify.Sender{notify.Email: e.mail, notify.SMS: e.mail}}
	n, err := w.Drain(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

type syncWriter struct{ b *strings.Builder }

var logMu sync.Mutex

func (w syncWriter) Write(p []byte) (int, error) {
	logMu.Lock()
	defer logMu.Unlock()
	return w.b.Write(p)
}

// client keeps cookies by hand: the session cookie is Secure, which
// net/http/cookiejar never sends over plain HTTP.
type client struct {
	e       *env
	cookies map[string]string
	ip      string
	header  http.Header
}

func (e *env) client() *client {
	return &client{e: e, cookies: map[string]string{}, ip: "198.51.100.7", header: http.Header{}}
}

func (c *client) do(method, path string, body io.Reader, contentType string) *http.Response {
	c.e.t.Helper()
	r := httptest.NewRequest(method, path, body)
	r.RemoteAddr = c.ip + ":41000"
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	for k, vs := range c.header {
		r.Header[k] = vs
	}
	for k, v := range c.cookies {
		r.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	w := httptest.NewRecorder()
	c.e.srv.ServeHTTP(w, r)
	res := w.Result()
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	return res
}

func (c *client) get(path string) *http.Response { return c.do(http.MethodGet, path, nil, "") }

func (c *client) post(path string, form url.Values) *http.Response {
	return c.do(http.MethodPost, path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

func body(t testing.TB, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func decode(t testing.TB, res *http.Response, v any) {
	t.Helper()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("decode: %v", err)
	}
}

func (e *env) code(email string) string {
	e.t.Helper()
	a, err := e.store.AccountByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	code, err := account.TOTPCode(a.TOTPSecret, e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return code
}

// signIn goes through both factors and returns the signed-in client.
func (e *env) signIn(email string) *client {
	e.t.Helper()
	c := e.client()
	res := c.post("/connexion", url.Values{"email": {email}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/connexion/code") {
		e.t.Fatalf("password step: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res = c.post("/connexion/code", url.Values{"code": {e.code(email)}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		e.t.Fatalf("code step: %d %s %s", res.StatusCode, res.Header.Get("Location"), body(e.t, res))
	}
	e.clock.Add(31 * time.Second) // the next code of the same account is a new step
	return c
}

func eachEnv(t *testing.T, f func(t *testing.T, e *env)) {
	storetest.Each(t, func(t *testing.T, s *store.Store) { f(t, newEnv(t, s)) })
}

func httptestRequest() *http.Request { return httptest.NewRequest(http.MethodGet, "/", nil) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func openSQLite(t *testing.T) *store.Store { return storetest.Open(t, store.SQLite) }
