package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/jobs"
	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/web"
)

// serveFlags are the options shared by serve and demo.
type serveFlags struct {
	addr, db, baseURL, territory, metricsToken *string
}

func (e *env) serveFlags(fs *flag.FlagSet, defDB string) serveFlags {
	get := func(name, def string) string {
		if v := e.getenv(name); v != "" {
			return v
		}
		return def
	}
	return serveFlags{
		addr:         fs.String("addr", get("PARCOURS_ADDR", "127.0.0.1:8080"), "adresse d'écoute (PARCOURS_ADDR)"),
		db:           e.dbFlag(fs, defDB),
		baseURL:      fs.String("base-url", get("PARCOURS_BASE_URL", ""), "adresse publique, pour les liens des messages (PARCOURS_BASE_URL ; défaut http://<addr>)"),
		territory:    fs.String("territory", get("PARCOURS_TERRITORY", ""), "code du département servi quand la base en a plusieurs (PARCOURS_TERRITORY)"),
		metricsToken: fs.String("metrics-token", get("PARCOURS_METRICS_TOKEN", ""), "jeton pour lire /metrics depuis une autre machine (PARCOURS_METRICS_TOKEN)"),
	}
}

func (f serveFlags) validate() error {
	if err := validateAddr(*f.addr); err != nil {
		return err
	}
	if *f.baseURL != "" {
		u, err := url.Parse(*f.baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usageError{fmt.Sprintf("--base-url %q : URL invalide (attendu : https://parcours.exemple.fr)", *f.baseURL)}
		}
	}
	return validateDB(*f.db)
}

func cmdServe(e *env, args []string) error {
	fs := e.flags("serve", "serve [--addr 127.0.0.1:8080] [--db parcours.db | postgres://…]")
	f := e.serveFlags(fs, "parcours.db")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	log, st, err := e.start(f)
	if err != nil {
		return err
	}
	defer st.Close()
	return e.serve(st, log, f, false, nil)
}

// start validates the serve options, builds the logger and opens the
// migrated store.
func (e *env) start(f serveFlags) (*slog.Logger, *store.Store, error) {
	if err := f.validate(); err != nil {
		return nil, nil, err
	}
	log, err := e.logger()
	if err != nil {
		return nil, nil, err
	}
	st, err := e.openStore(*f.db)
	if err != nil {
		return nil, nil, err
	}
	return log, st, nil
}

// serve runs the web service until the context ends, then shuts down
// gracefully: in-flight requests get 15 seconds to finish.
func (e *env) serve(st *store.Store, log *slog.Logger, f serveFlags, demo bool, ready func(addr string)) error {
	ref, err := referential.Load()
	if err != nil {
		return err
	}
	base := *f.baseURL
	if base == "" {
		base = "http://" + *f.addr
	}
	srv, err := web.NewServer(web.Config{Store: st, Referential: ref, Logger: log, Notifier: notify.Log{Logger: log},
		BaseURL: base, TerritoryCode: *f.territory, MetricsToken: *f.metricsToken, Demo: demo})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *f.addr)
	if err != nil {
		msg := err.Error()
		if strings.Contains(msg, "address already in use") {
			return fmt.Errorf("l'adresse %s est déjà utilisée par un autre programme (choisissez --addr)", *f.addr)
		}
		return fmt.Errorf("écoute sur %s impossible : %w", *f.addr, err)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	// The jobs worker delivers the outbox and runs the periodic tasks; it
	// stops with the server, and whatever it left is taken up at the next
	// start (or by another instance).
	workerCtx, stopWorker := context.WithCancel(e.ctx)
	worker := &jobs.Worker{Store: st, Log: log, Tasks: tasks(st, base), Senders: map[notify.Channel]notify.Sender{
		notify.Email: notify.Log{Logger: log}, notify.SMS: notify.Log{Logger: log},
	}}
	workerDone := make(chan struct{})
	go func() { defer close(workerDone); worker.Run(workerCtx) }()
	defer func() { stopWorker(); <-workerDone }()

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("parcours démarré", "addr", ln.Addr().String(), "database", string(st.Engine()))
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serveur arrêté : %w", err)
	case <-e.ctx.Done():
	}
	log.Info("arrêt demandé : fin des requêtes en cours")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("arrêt : %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("parcours arrêté")
	return nil
}

// tasks lists the periodic work of the jobs worker, one line each. Every
// task is idempotent and safe on several instances. base is the public
// address, for the links of the messages tasks write.
func tasks(st *store.Store, base string) []jobs.Task {
	return []jobs.Task{
		{Name: "sessions expirées", Every: 10 * time.Minute, Run: func(ctx context.Context, now time.Time) (int, error) {
			n, err := st.DeleteExpiredSessions(ctx, now)
			return int(n), err
		}},
		{Name: "orientations en retard", Every: 10 * time.Minute, Run: st.NoteOverdue},
		{Name: "rappels des adressages (10 jours)", Every: 10 * time.Minute, Run: func(ctx context.Context, now time.Time) (int, error) {
			return st.RemindReferrals(ctx, now, base)
		}},
		{Name: "adressages expirés (30 jours)", Every: 10 * time.Minute, Run: func(ctx context.Context, now time.Time) (int, error) {
			return st.ExpireReferrals(ctx, now, base)
		}},
	}
}

func cmdMigrate(e *env, args []string) error {
	fs := e.flags("migrate", "migrate [--db parcours.db | postgres://…]")
	db := e.dbFlag(fs, "parcours.db")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := validateDB(*db); err != nil {
		return err
	}
	st, err := store.Open(e.ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	applied, err := st.Migrate(e.ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(e.stdout, "Schéma à jour : aucune migration à appliquer.")
		return nil
	}
	for _, m := range applied {
		fmt.Fprintf(e.stdout, "migration appliquée : %s\n", m)
	}
	return nil
}
