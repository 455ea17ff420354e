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
	"github.com/spie-parcours/parcours/internal/matching"
	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/web"
)

// serveFlags are the options shared by serve and demo.
type serveFlags struct {
	addr, db, baseURL, territory, metricsToken *string
	// matching names the JSON file of the matching weights, if any.
	matching *string
	// The senders of messages; the secrets come from the environment only,
	// so that they never show in a command line or a --help.
	smtpAddr, smtpUser, smtpFrom, smtpTLS, smsSender *string
	smtpPassword, brevoKey                           string
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
		matching:     fs.String("matching-config", get("PARCOURS_MATCHING_CONFIG", ""), "fichier JSON des poids du rapprochement offres-personnes, par-dessus ceux par défaut (PARCOURS_MATCHING_CONFIG)"),
		smtpAddr:     fs.String("smtp-addr", get("PARCOURS_SMTP_ADDR", ""), "serveur SMTP des courriels, hôte:port (PARCOURS_SMTP_ADDR ; sans lui, les courriels sont écrits au journal) ; mot de passe : PARCOURS_SMTP_PASSWORD"),
		smtpUser:     fs.String("smtp-user", get("PARCOURS_SMTP_USER", ""), "identifiant SMTP (PARCOURS_SMTP_USER)"),
		smtpFrom:     fs.String("smtp-from", get("PARCOURS_SMTP_FROM", ""), "expéditeur des courriels, « Parcours <ne-pas-repondre@exemple.fr> » (PARCOURS_SMTP_FROM)"),
		smtpTLS:      fs.String("smtp-tls", get("PARCOURS_SMTP_TLS", notify.TLSRequired), "chiffrement SMTP : required, opportunistic, ou none sur la boucle locale seulement (PARCOURS_SMTP_TLS)"),
		smsSender:    fs.String("sms-sender", get("PARCOURS_SMS_SENDER", ""), "nom d'expéditeur des SMS, 11 lettres et chiffres au plus (PARCOURS_SMS_SENDER ; défaut Parcours) ; SMS par Brevo quand PARCOURS_BREVO_API_KEY est défini, sinon écrits au journal"),
		smtpPassword: e.getenv("PARCOURS_SMTP_PASSWORD"),
		brevoKey:     e.getenv("PARCOURS_BREVO_API_KEY"),
	}
}

// smtp is the email sender configured, if any.
func (f serveFlags) smtp() (notify.SMTP, bool) {
	s := notify.SMTP{Addr: *f.smtpAddr, Username: *f.smtpUser, Password: f.smtpPassword, From: *f.smtpFrom,
		StartTLS: *f.smtpTLS}
	return s, s.Addr != ""
}

// brevo is the SMS sender configured, if any.
func (f serveFlags) brevo() (notify.Brevo, bool) {
	b := notify.Brevo{APIKey: f.brevoKey, Sender: *f.smsSender}
	if b.Sender == "" {
		b.Sender = "Parcours"
	}
	return b, b.APIKey != ""
}

// validateSenders checks the settings of email and SMS: a partial setting
// is a mistake, not a reason to fall back to the log.
func (f serveFlags) validateSenders() error {
	s, ok := f.smtp()
	switch {
	case ok && s.From == "":
		return usageError{"--smtp-from (PARCOURS_SMTP_FROM) manque : l'adresse d'expédition des courriels est requise avec un serveur SMTP"}
	case ok:
		if err := s.Validate(); err != nil {
			return usageError{err.Error()}
		}
	case s.Username != "" || s.Password != "" || s.From != "":
		return usageError{"identifiants ou expéditeur SMTP donnés sans serveur : indiquez --smtp-addr (PARCOURS_SMTP_ADDR)"}
	}
	b, ok := f.brevo()
	switch {
	case ok:
		if err := b.Validate(); err != nil {
			return usageError{err.Error()}
		}
	case *f.smsSender != "":
		return usageError{"--sms-sender (PARCOURS_SMS_SENDER) donné sans PARCOURS_BREVO_API_KEY : aucun SMS ne partirait"}
	}
	return nil
}

// senders are the jobs worker's senders: SMTP and Brevo when configured,
// else the development log, and it says once which channels are real.
func (f serveFlags) senders(log *slog.Logger) map[notify.Channel]notify.Sender {
	out := map[notify.Channel]notify.Sender{notify.Email: notify.Log{Logger: log}, notify.SMS: notify.Log{Logger: log}}
	email, sms := "journal (développement : rien n'est envoyé)", "journal (développement : rien n'est envoyé)"
	if s, ok := f.smtp(); ok {
		out[notify.Email], email = s, "SMTP "+s.Addr
	}
	if b, ok := f.brevo(); ok {
		out[notify.SMS], sms = b, "Brevo"
	}
	log.Info("envoi des messages", "courriel", email, "sms", sms)
	return out
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
	if err := f.validateSenders(); err != nil {
		return err
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
	weights := matching.DefaultConfig()
	if *f.matching != "" {
		if weights, err = matching.LoadConfig(*f.matching); err != nil {
			return usageError{"--matching-config : " + err.Error()}
		}
	}
	senders := f.senders(log)
	srv, err := web.NewServer(web.Config{Store: st, Referential: ref, Logger: log, Notifier: senders[notify.Email],
		BaseURL: base, TerritoryCode: *f.territory, MetricsToken: *f.metricsToken, Demo: demo, Matching: weights})
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
	worker := &jobs.Worker{Store: st, Log: log, Tasks: tasks(st, base), Senders: senders}
	workerDone := make(chan struct{})
	go func() { defer close(workerDone); worker.Run(workerCtx) }()
	defer func() { stopWorker(); <-workerDone }()

	go srv.WarmMatching(workerCtx)
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
		{Name: "rappels des invitations (3e jour)", Every: 10 * time.Minute, Run: func(ctx context.Context, now time.Time) (int, error) {
			return st.RemindInvitations(ctx, now, base)
		}},
		{Name: "invitations expirées", Every: 10 * time.Minute, Run: func(ctx context.Context, now time.Time) (int, error) {
			return st.ExpireInvitations(ctx, now, base)
		}},
		{Name: "rappels des rendez-vous (48 h et 24 h)", Every: 5 * time.Minute, Run: func(ctx context.Context, now time.Time) (int, error) {
			return st.RemindAppointments(ctx, now, base)
		}},
		{Name: "candidatures sans réponse (60 jours)", Every: time.Hour, Run: func(ctx context.Context, now time.Time) (int, error) {
			return st.AutoRefuseApplications(ctx, now, base)
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
