package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spie-parcours/parcours/internal/notify"
)

// A partial or wrong setting of email or SMS stops the start with a French
// message; it never falls back to the log silently.
func TestSenderSettingsErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	smtp := map[string]string{"PARCOURS_SMTP_ADDR": "smtp.exemple.fr:587", "PARCOURS_SMTP_USER": "parcours",
		"PARCOURS_SMTP_PASSWORD": "s3cret", "PARCOURS_SMTP_FROM": "Parcours <ne-pas-repondre@exemple.fr>"}
	with := func(base map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range base {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"no sender", with(smtp, "PARCOURS_SMTP_FROM", ""), "PARCOURS_SMTP_FROM"},
		{"bad address", with(smtp, "PARCOURS_SMTP_ADDR", "smtp.exemple.fr"), "hôte:port"},
		{"unknown TLS mode", with(smtp, "PARCOURS_SMTP_TLS", "parfois"), "required, opportunistic ou none"},
		{"no TLS off loopback", with(smtp, "PARCOURS_SMTP_TLS", "none"), "boucle locale"},
		{"password without user", with(smtp, "PARCOURS_SMTP_USER", ""), "vont ensemble"},
		{"credentials without server", with(smtp, "PARCOURS_SMTP_ADDR", ""), "sans serveur"},
		{"SMS sender without key", map[string]string{"PARCOURS_SMS_SENDER": "CD93"}, "PARCOURS_BREVO_API_KEY"},
		{"bad SMS sender", map[string]string{"PARCOURS_BREVO_API_KEY": "xkeysib-1", "PARCOURS_SMS_SENDER": "Conseil départemental"}, "expéditeur SMS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.env, "serve", "--db", db)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.want)
			}
			if strings.Contains(stdout+stderr, "s3cret") {
				t.Error("the SMTP password is shown")
			}
		})
	}
}

// The worker gets SMTP and Brevo when they are set, the log otherwise, and
// the log says once which; no secret shows in it nor in --help.
func TestSenders(t *testing.T) {
	for _, tc := range []struct {
		name       string
		env        map[string]string
		email, sms string // the sender types
		say        string
	}{
		{"development", nil, "notify.Log", "notify.Log", "courriel=\"journal"},
		{"SMTP and Brevo", map[string]string{"PARCOURS_SMTP_ADDR": "smtp.exemple.fr:587", "PARCOURS_SMTP_USER": "parcours",
			"PARCOURS_SMTP_PASSWORD": "s3cret", "PARCOURS_SMTP_FROM": "Parcours <ne-pas-repondre@exemple.fr>",
			"PARCOURS_BREVO_API_KEY": "xkeysib-secret", "PARCOURS_SMS_SENDER": "CD93"},
			"notify.SMTP", "notify.Brevo", "courriel=\"SMTP smtp.exemple.fr:587\" sms=Brevo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			e := &env{ctx: context.Background(), getenv: func(k string) string { return tc.env[k] }, stdout: &out, stderr: io.Discard}
			fs := e.flags("serve", "serve")
			f := e.serveFlags(fs, "x.db")
			if err := e.parse(fs, nil); err != nil {
				t.Fatal(err)
			}
			if err := f.validateSenders(); err != nil {
				t.Fatal(err)
			}
			var logs bytes.Buffer
			got := f.senders(slog.New(slog.NewTextHandler(&logs, nil)))
			if typeName(got[notify.Email]) != tc.email || typeName(got[notify.SMS]) != tc.sms {
				t.Errorf("senders %T, %T; want %s, %s", got[notify.Email], got[notify.SMS], tc.email, tc.sms)
			}
			if b, ok := got[notify.SMS].(notify.Brevo); ok && (b.Sender != "CD93" || b.APIKey != "xkeysib-secret") {
				t.Errorf("Brevo %+v", b)
			}
			if s, ok := got[notify.Email].(notify.SMTP); ok && (s.Password != "s3cret" || s.StartTLS != notify.TLSRequired) {
				t.Errorf("SMTP %+v", s)
			}
			if !strings.Contains(logs.String(), tc.say) || strings.Count(logs.String(), "\n") != 1 {
				t.Errorf("log %q, want one line with %q", logs.String(), tc.say)
			}
			fs.Usage()
			for _, secret := range []string{"s3cret", "xkeysib-secret"} {
				if strings.Contains(logs.String()+out.String(), secret) {
					t.Errorf("a secret shows in the log or --help")
				}
			}
		})
	}
}

func typeName(v any) string {
	switch v.(type) {
	case notify.Log:
		return "notify.Log"
	case notify.SMTP:
		return "notify.SMTP"
	case notify.Brevo:
		return "notify.Brevo"
	}
	return "?"
}
