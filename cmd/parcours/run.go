package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spie-parcours/parcours/internal/store"
)

// env gives the environment; tests pass their own.
type env struct {
	ctx    context.Context
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is a sub-command of parcours.
type command struct {
	summary string
	run     func(e *env, args []string) error
}

func commands() map[string]command {
	return map[string]command{
		"serve":     {"sert l'application web", cmdServe},
		"demo":      {"crée (ou réutilise) le territoire de démonstration et le sert", cmdDemo},
		"migrate":   {"met à jour le schéma de la base de données", cmdMigrate},
		"token":     {"gère les jetons d'API (create, list, revoke)", cmdToken},
		"user":      {"gère les comptes (create, disable, enable)", cmdUser},
		"territory": {"crée un territoire (create)", cmdTerritory},
		"structure": {"crée une structure (create)", cmdStructure},
		"audit":     {"vérifie le journal d'audit chaîné (verify)", cmdAudit},
		"import":    {"importe une liste de personnes (persons)", cmdImport},
	}
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// run is the whole program: it parses the command line, runs the
// sub-command and returns the exit status. It writes "parcours : <message>"
// in French on failure, never a stack trace.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		w := stdout
		if len(args) == 0 {
			w = stderr
		}
		fmt.Fprint(w, "Parcours — plateforme du Service public de l'insertion et de l'emploi\n\nUsage : parcours <commande> [options]\n\nCommandes :\n")
		var names []string
		for n := range cmds {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].summary)
		}
		fmt.Fprint(w, "\n« parcours <commande> --help » détaille les options de chaque commande.\n")
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "parcours : commande inconnue %q (parcours --help liste les commandes)\n", args[0])
		return 2
	}
	err := c.run(e, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, context.Canceled):
		return 0
	}
	fmt.Fprintf(stderr, "parcours : %v\n", err)
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// flags makes a flag set whose messages are French and whose --help goes
// to stdout.
func (e *env) flags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage : parcours %s\n\nOptions :\n", synopsis)
		fs.VisitAll(func(f *flag.Flag) {
			def := ""
			if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
				def = fmt.Sprintf(" (défaut : %s)", f.DefValue)
			}
			fmt.Fprintf(e.stdout, "  --%-16s %s%s\n", f.Name, f.Usage, def)
		})
	}
	return fs
}

// parse parses args and turns the flag package's English errors into
// French usage errors.
func (e *env) parse(fs *flag.FlagSet, args []string) error {
	usage := fs.Usage
	fs.Usage = func() {} // the flag package prints usage on every error; only --help should
	err := fs.Parse(args)
	fs.Usage = usage
	if err == nil {
		if fs.NArg() > 0 {
			return usageError{fmt.Sprintf("argument inattendu %q (parcours %s --help)", fs.Arg(0), fs.Name())}
		}
		return nil
	}
	if errors.Is(err, flag.ErrHelp) {
		fs.Usage()
		return err
	}
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		msg = "option inconnue " + strings.TrimPrefix(msg, "flag provided but not defined: ")
	case strings.HasPrefix(msg, "flag needs an argument: "):
		msg = "l'option " + strings.TrimPrefix(msg, "flag needs an argument: ") + " attend une valeur"
	case strings.HasPrefix(msg, "invalid value "):
		msg = "valeur invalide : " + strings.TrimPrefix(msg, "invalid value ")
	}
	return usageError{fmt.Sprintf("%s (parcours %s --help)", msg, fs.Name())}
}

// dbFlag adds --db, defaulting to PARCOURS_DB or the given file.
func (e *env) dbFlag(fs *flag.FlagSet, def string) *string {
	if v := e.getenv("PARCOURS_DB"); v != "" {
		def = v
	}
	return fs.String("db", def, "base de données : fichier SQLite ou URL postgres:// (PARCOURS_DB)")
}

// validateDB checks the database setting before opening it.
func validateDB(dsn string) error {
	if strings.TrimSpace(dsn) == "" {
		return usageError{"--db est vide : indiquez un fichier SQLite ou une URL postgres://"}
	}
	if store.IsPostgresURL(dsn) {
		u, err := url.Parse(dsn)
		if err != nil || u.Host == "" {
			return usageError{"--db : URL PostgreSQL mal formée (attendu : postgres://utilisateur@hôte:5432/base)"}
		}
		return nil
	}
	if strings.Contains(dsn, "://") {
		return usageError{fmt.Sprintf("--db : schéma non pris en charge dans %q (fichier SQLite ou postgres://)", redact(dsn))}
	}
	if st, err := os.Stat(dsn); err == nil && st.IsDir() {
		return usageError{fmt.Sprintf("--db : %q est un dossier, pas un fichier", dsn)}
	}
	dir := filepath.Dir(dsn)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usageError{fmt.Sprintf("--db : le dossier %q n'existe pas", dir)}
	}
	return nil
}

// redact hides a password in a URL shown to the user.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "***")
	}
	return u.String()
}

// openStore validates, opens and migrates the database.
func (e *env) openStore(dsn string) (*store.Store, error) {
	if err := validateDB(dsn); err != nil {
		return nil, err
	}
	s, err := store.Open(e.ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(e.ctx); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("mise à jour du schéma impossible : %w", err)
	}
	return s, nil
}

// logger builds the JSON logger; PARCOURS_LOG_LEVEL picks the level.
func (e *env) logger() (*slog.Logger, error) {
	var level slog.Level
	if v := e.getenv("PARCOURS_LOG_LEVEL"); v != "" {
		if err := level.UnmarshalText([]byte(v)); err != nil {
			return nil, usageError{fmt.Sprintf("PARCOURS_LOG_LEVEL=%q : niveau inconnu (debug, info, warn, error)", v)}
		}
	}
	return slog.New(slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: level})), nil
}

// validateAddr checks a listen address.
func validateAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return usageError{fmt.Sprintf("--addr %q : adresse d'écoute invalide (attendu : hôte:port, par exemple 127.0.0.1:8080)", addr)}
	}
	_ = host
	return nil
}
