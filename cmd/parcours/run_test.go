package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/store/storetest"
)

// syncBuffer is a buffer the server goroutine writes and the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func runCLI(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCommandLineErrors(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "pas-une-base.db")
	if err := os.WriteFile(notDB, []byte("ceci n'est pas une base SQLite, mais un texte assez long pour en avoir l'air"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		code int
		want string
	}{
		{"no command", nil, nil, 2, "Usage : parcours"},
		{"unknown command", []string{"lancer"}, nil, 2, "commande inconnue"},
		{"unknown flag", []string{"serve", "--bogus"}, nil, 2, "option inconnue -bogus"},
		{"flag without value", []string{"serve", "--db"}, nil, 2, "attend une valeur"},
		{"bad number", []string{"demo", "--persons", "beaucoup"}, nil, 2, "valeur invalide"},
		{"stray argument", []string{"migrate", "en-trop"}, nil, 2, "argument inattendu"},
		{"missing folder", []string{"migrate", "--db", filepath.Join(dir, "absent", "x.db")}, nil, 2, "n'existe pas"},
		{"folder as database", []string{"migrate", "--db", dir}, nil, 2, "est un dossier"},
		{"not a database", []string{"migrate", "--db", notDB}, nil, 1, "n'est pas une base SQLite"},
		{"malformed URL", []string{"serve", "--db", "postgres://%zz"}, nil, 2, "URL PostgreSQL mal formée"},
		{"other scheme", []string{"serve", "--db", "mysql://localhost/x"}, nil, 2, "schéma non pris en charge"},
		{"bad address", []string{"serve", "--addr", "nulle-part", "--db", filepath.Join(dir, "a.db")}, nil, 2, "adresse d'écoute invalide"},
		{"bad base URL", []string{"serve", "--base-url", "ftp://x", "--db", filepath.Join(dir, "a.db")}, nil, 2, "--base-url"},
		{"bad log level", []string{"serve", "--db", filepath.Join(dir, "a.db")}, map[string]string{"PARCOURS_LOG_LEVEL": "bavard"}, 2, "niveau inconnu"},
		{"token without verb", []string{"token"}, nil, 2, "attend une action"},
		{"token unknown account", []string{"token", "create", "--email", "x@y.example", "--db", filepath.Join(dir, "a.db")}, nil, 1, "aucun compte"},
		{"token bad email", []string{"token", "create", "--email", "pas une adresse", "--db", filepath.Join(dir, "a.db")}, nil, 2, "n'est pas valide"},
		{"user bad role", []string{"user", "create", "--email", "a@b.example", "--first-name", "A", "--last-name", "B", "--structure", "1", "--role", "chef"}, nil, 2, "rôle inconnu"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.env, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if !strings.Contains(stdout+stderr, tt.want) {
				t.Errorf("output lacks %q:\nstdout: %s\nstderr: %s", tt.want, stdout, stderr)
			}
			if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
				t.Errorf("stack trace in stderr: %s", stderr)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for name := range commands() {
		code, stdout, _ := runCLI(t, nil, name, "--help")
		if code != 0 || !strings.Contains(stdout, "Usage : parcours "+name) {
			t.Errorf("%s --help: exit %d, %q", name, code, stdout)
		}
	}
}

func TestDemoAccountsAndToken(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	code, stdout, stderr := runCLI(t, nil, "demo", "--db", db, "--no-serve", "--persons", "300")
	if code != 0 {
		t.Fatalf("demo: %d %s", code, stderr)
	}
	for _, want := range []string{"300 personnes fictives", "admin@parcours.example", "coordination@cd90.example",
		"referent@cd90.example", "conseiller@francetravail.example", "conseiller@missionlocale.example",
		"conseiller@capemploi.example", "travailleur.social@ccas-belfort.example", "accompagnant@association.example",
		"recrutement@entreprise.example", "Belfort-demo-SPIE-2026", "CLÉ TOTP"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	// Run again: the territory is reused, nothing is duplicated.
	code, stdout, _ = runCLI(t, nil, "demo", "--db", db, "--no-serve", "--persons", "300")
	if code != 0 || !strings.Contains(stdout, "300 personnes fictives (0 ajoutées") {
		t.Errorf("second demo run: %d %s", code, stdout)
	}
	code, stdout, stderr = runCLI(t, nil, "token", "create", "--email", "referent@cd90.example", "--db", db)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 0 || !strings.HasPrefix(lines[len(lines)-1], "prc_") {
		t.Fatalf("token create: %d %q %s", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, nil, "token", "list", "--email", "referent@cd90.example", "--db", db)
	if code != 0 || !strings.Contains(stdout, "actif") {
		t.Errorf("token list: %d %s", code, stdout)
	}
	if code, _, stderr := runCLI(t, nil, "token", "revoke", "--email", "referent@cd90.example", "--id", "1", "--db", db); code != 0 {
		t.Errorf("token revoke: %d %s", code, stderr)
	}
	code, stdout, stderr = runCLI(t, nil, "user", "create", "--email", "nouvelle@cd90.example", "--first-name", "Léa",
		"--last-name", "Martin", "--structure", "CCAS de Belfort", "--role", "professional,coordinator", "--db", db)
	if code != 0 || !strings.Contains(stdout, "Mot de passe provisoire") {
		t.Errorf("user create: %d %s %s", code, stdout, stderr)
	}
	if code, _, stderr := runCLI(t, nil, "user", "disable", "--email", "nouvelle@cd90.example", "--db", db); code != 0 {
		t.Errorf("user disable: %d %s", code, stderr)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// startServer runs "parcours <args…> --addr A" until the test ends and
// waits until /healthz answers. It returns the base URL and the output.
func startServer(t *testing.T, args ...string) (string, *syncBuffer) {
	t.Helper()
	base, out, _ := startServerLog(t, args...)
	return base, out
}

// startServerLog is startServer that also returns the server's log (its
// standard error), where the development sender writes the messages.
func startServerLog(t *testing.T, args ...string) (string, *syncBuffer, *syncBuffer) {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	out, errs := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append(args, "--addr", addr), func(string) string { return "" }, strings.NewReader(""), out, errs)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("server exit %d: %s", code, errs.String())
			}
		case <-time.After(20 * time.Second):
			t.Error("server did not stop within 20 s")
		}
	})
	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return base, out, errs
			}
		}
		select {
		case code := <-done:
			t.Fatalf("server stopped with %d: %s", code, errs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready: %v %s", err, errs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestServeOnEachEngine starts "parcours serve" on an empty database of
// each engine: it migrates, serves the same pages, and stops on cancel.
func TestServeOnEachEngine(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			base, _ := startServer(t, "serve", "--db", dsn)
			code, page := get(t, base+"/connexion")
			if code != http.StatusOK || !strings.Contains(page, "Connexion à Parcours") {
				t.Errorf("/connexion: %d", code)
			}
			code, page = get(t, base+"/healthz")
			if code != http.StatusOK || !strings.Contains(page, string(engine)) {
				t.Errorf("/healthz: %d %s", code, page)
			}
			res, err := http.Get(base + "/api/v1/me")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("/api/v1/me anonymous: %d", res.StatusCode)
			}
		})
	}
}

func TestTerritoryRulesAndDispositifs(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	if code, _, stderr := runCLI(t, nil, "demo", "--db", db, "--no-serve", "--persons", "0"); code != 0 {
		t.Fatal(stderr)
	}
	code, out, _ := runCLI(t, nil, "territory", "rules", "--territory", "90", "--db", db)
	if code != 0 || !strings.Contains(out, "sous 42 jours") {
		t.Errorf("default rules: %d %s", code, out)
	}
	code, out, _ = runCLI(t, nil, "territory", "rules", "--territory", "90", "--decision-days", "30", "--db", db)
	if code != 0 || !strings.Contains(out, "sous 30 jours") {
		t.Errorf("set rules: %d %s", code, out)
	}
	if code, _, stderr := runCLI(t, nil, "territory", "rules", "--territory", "90", "--target-days", "90", "--db", db); code != 2 || stderr == "" {
		t.Errorf("target longer than the delay: %d %s", code, stderr)
	}
	code, out, _ = runCLI(t, nil, "territory", "dispositif", "--territory", "90", "--add", "Parcours renforcé", "--db", db)
	if code != 0 || !strings.Contains(out, "Parcours renforcé") {
		t.Errorf("add dispositif: %d %s", code, out)
	}
	if code, _, stderr := runCLI(t, nil, "territory", "dispositif", "--territory", "90", "--add", "Parcours renforcé", "--db", db); code != 1 || !strings.Contains(stderr, "existe déjà") {
		t.Errorf("same dispositif twice: %d %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, nil, "territory", "rules", "--territory", "99", "--db", db); code != 1 || !strings.Contains(stderr, "aucun territoire") {
		t.Errorf("unknown territory: %d %s", code, stderr)
	}
}
