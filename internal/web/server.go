// Package web serves the pages (html/template with the DSFR) and the JSON
// API of Parcours. routes.go lists every route with its access rule.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/matching"
	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

//go:embed templates static
var files embed.FS

// Config is what the server needs from its caller.
type Config struct {
	Store       *store.Store
	Referential *referential.Referential
	Logger      *slog.Logger
	Notifier    notify.Sender
	// Now is the clock; tests pass a controllable one.
	Now func() time.Time
	// BaseURL is the public address, for links in messages.
	BaseURL string
	// TerritoryCode picks the territory served when the database has several.
	TerritoryCode string
	// MetricsToken, when set, lets a scraper read /metrics from another
	// address with "Authorization: Bearer <token>"; loopback needs none.
	MetricsToken string
	// Demo shows the demo banner.
	Demo bool
	// Matching is the weights and policies of the ranking of offers and
	// people; zero means matching.DefaultConfig.
	Matching matching.Config
}

// Server is the HTTP handler of Parcours.
type Server struct {
	cfg      Config
	store    *store.Store
	log      *slog.Logger
	now      func() time.Time
	pages    map[string]*template.Template
	static   http.Handler
	registry *prometheus.Registry
	metrics  *httpMetrics
	handler  http.Handler
	matches  matchIndexes
}

// NewServer builds the handler: templates parsed once, routes registered,
// middleware around them.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("web: no store")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Notifier == nil {
		cfg.Notifier = notify.Log{Logger: cfg.Logger}
	}
	if cfg.Matching == (matching.Config{}) {
		cfg.Matching = matching.DefaultConfig()
	}
	if err := cfg.Matching.Validate(); err != nil {
		return nil, fmt.Errorf("web: configuration du rapprochement : %w", err)
	}
	s := &Server{cfg: cfg, store: cfg.Store, log: cfg.Logger, now: cfg.Now}
	var err error
	if s.pages, err = s.parsePages(); err != nil {
		return nil, err
	}
	staticFS, err := fs.Sub(files, "static")
	if err != nil {
		return nil, fmt.Errorf("web: static: %w", err)
	}
	s.static = http.StripPrefix("/static/", staticHandler(http.FileServerFS(staticFS)))
	s.registry, s.metrics = newMetrics()
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.pattern, s.guard(rt))
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, forbidden("Requête refusée : elle ne vient pas de ce site."))
	}))
	s.handler = s.observe(s.secure(cop.Handler(mux)))
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// territory returns the territory of the request: the one the signed-in
// viewer works in (its first professional or coordinator membership, else
// any), so that one database serves many départements; for anonymous
// pages, the one configured, or the first. A fresh database gives a zero
// territory.
func (s *Server) territory(ctx context.Context) territory.Territory {
	if v := viewerOf(ctx); v != nil && len(v.Account.Memberships) > 0 {
		id := v.Account.Memberships[0].TerritoryID
		for _, m := range v.Account.Memberships {
			if m.Role == account.RoleProfessional || m.Role == account.RoleCoordinator {
				id = m.TerritoryID
				break
			}
		}
		if t, err := s.store.Territory(ctx, id); err == nil {
			return t
		}
	}
	if s.cfg.TerritoryCode != "" {
		t, err := s.store.TerritoryByCode(ctx, s.cfg.TerritoryCode)
		if err == nil {
			return t
		}
	}
	ts, err := s.store.Territories(ctx)
	if err != nil || len(ts) == 0 {
		return territory.Territory{}
	}
	return ts[0]
}

func staticHandler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		next.ServeHTTP(w, r)
	})
}
