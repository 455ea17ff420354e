package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/store"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyViewer
)

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(keyRequestID).(string)
	return id
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe gives each request an id, recovers panics, counts and times it
// by route pattern, and logs one line without the path (which may hold a
// token) nor any personal data.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		r = r.WithContext(context.WithValue(r.Context(), keyRequestID, id))
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panique", "route", r.Pattern, "request_id", id, "panic", v)
				if sw.status == 0 {
					s.fail(sw, r, errors.New("panic"))
				}
			}
			d := time.Since(start)
			s.metrics.observe(r.Pattern, r.Method, sw.status, d)
			attrs := []any{"method", r.Method, "route", r.Pattern, "status", sw.status,
				"duration_ms", float64(d.Microseconds()) / 1000, "request_id", id}
			if v := viewerOf(r.Context()); v != nil {
				attrs = append(attrs, "account_id", v.Account.ID)
			}
			s.log.InfoContext(r.Context(), "requête", attrs...)
		}()
		next.ServeHTTP(sw, r)
	})
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// contentSecurityPolicy is strict: only this origin, no inline script or
// style; the DSFR works under it.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// secure sets the security headers on every response, and no-store on
// everything but the static files.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// viewer is who makes the request: an account signed in with a full
// session, or the bearer of an API token.
type viewer struct {
	Account account.Account
	Session *account.Session
	Token   *account.APIToken
}

func viewerOf(ctx context.Context) *viewer {
	v, _ := ctx.Value(keyViewer).(*viewer)
	return v
}

// sessionCookie is the name of the session cookie; the __Host- prefix
// binds it to this host, path /, and HTTPS.
const sessionCookie = "__Host-parcours"

func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// session returns the request's session at any stage, if alive.
func (s *Server) session(r *http.Request) (account.Session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 128 {
		return account.Session{}, false
	}
	se, err := s.store.Session(r.Context(), account.HashToken(c.Value))
	if err != nil || !se.Alive(s.now()) {
		return account.Session{}, false
	}
	return se, true
}

// authenticate finds the viewer from an API token or a full session. A
// disabled account, a revoked token or a dead session yields nil.
func (s *Server) authenticate(r *http.Request) (*viewer, error) {
	ctx := r.Context()
	now := s.now()
	if tok := bearer(r); tok != "" {
		t, a, err := s.store.AccountByAPIToken(ctx, account.HashToken(tok))
		if errors.Is(err, store.ErrNotFound) || (err == nil && !t.RevokedAt.IsZero()) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if a.Disabled() {
			return nil, nil
		}
		if now.Sub(t.LastUsedAt) >= time.Minute {
			if err := s.store.TouchAPIToken(ctx, t.ID, now); err != nil {
				return nil, err
			}
		}
		return &viewer{Account: a, Token: &t}, nil
	}
	se, ok := s.session(r)
	if !ok || se.Stage != account.StageFull {
		return nil, nil
	}
	a, err := s.store.Account(ctx, se.AccountID)
	if err != nil {
		return nil, err
	}
	if a.Disabled() {
		return nil, s.store.DeleteSession(ctx, se.TokenHash)
	}
	if se.NeedsTouch(now) {
		if err := s.store.TouchSession(ctx, se.TokenHash, now); err != nil {
			return nil, err
		}
	}
	return &viewer{Account: a, Session: &se}, nil
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

func equalSecret(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// clientIP is the address the request came from. Behind a reverse proxy the
// proxy must be trusted to set the connection address (see docs).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func isLoopback(r *http.Request) bool {
	ip := net.ParseIP(clientIP(r))
	return ip != nil && ip.IsLoopback()
}

// maxBody bounds request bodies.
const maxBody = 1 << 20

// guard wraps a route with its access rule: anonymous requests to anything
// not public get 401 (API) or a redirect to sign-in (pages); a viewer
// without the route's roles gets 403.
func (s *Server) guard(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(maxBody)
		if l, ok := bodyLimits[rt.pattern]; ok {
			limit = l
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if rt.access != public {
			v, err := s.authenticate(r)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if v == nil {
				if isAPI(r) {
					s.fail(w, r, unauthorized("Authentification requise : jeton d'API ou session valide."))
					return
				}
				target := "/connexion"
				if r.Method == http.MethodGet && r.URL.Path != "/" {
					target += "?suite=" + urlQueryEscape(r.URL.Path)
				}
				http.Redirect(w, r, target, http.StatusSeeOther) // #nosec G710 -- fixed local path; the original path is only a query-escaped parameter
				return
			}
			if !rt.allows(v) {
				s.fail(w, r, forbidden("Votre compte n'a pas accès à cette page."))
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), keyViewer, v))
		}
		if err := rt.h(w, r); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				err = errBodyTooLarge
			}
			s.fail(w, r, err)
		}
	})
}

func contextWithViewer(ctx context.Context, v *viewer) context.Context {
	return context.WithValue(ctx, keyViewer, v)
}
