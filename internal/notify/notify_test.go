package notify_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/notify"
)

func TestText(t *testing.T) {
	const link = "https://parcours.example.fr/arret/abc"
	for _, tc := range []struct {
		name string
		m    notify.Message
		want string
	}{
		{"no stop link", notify.Message{Body: "Bonjour.\n"}, "Bonjour.\n"},
		{"email", notify.Message{Body: "Bonjour.\n", StopURL: link},
			"Bonjour.\n\nPour ne plus recevoir de courriels de Parcours : " + link},
		{"sms", notify.Message{Channel: notify.SMS, Body: "Bonjour.", StopURL: link}, "Bonjour.\nSTOP : " + link},
		{"applied twice", notify.Message{Body: "Bonjour.\n\nPour ne plus recevoir de courriels de Parcours : " + link, StopURL: link},
			"Bonjour.\n\nPour ne plus recevoir de courriels de Parcours : " + link},
		{"sms applied twice", notify.Message{Channel: notify.SMS, Body: "Bonjour.\nSTOP : " + link, StopURL: link},
			"Bonjour.\nSTOP : " + link},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.m.Text(); got != tc.want {
				t.Errorf("Text() = %q, want %q", got, tc.want)
			}
		})
	}
}

// A body of SMSRoom characters fits in MaxSMS with its stop line, one more
// does not.
func TestSMSRoom(t *testing.T) {
	const stop = "https://parcours.example.org/desabonnement/stop_gasbaexls2bg3v4xobfhommxunzzpfad"
	if notify.SMSRoom("") != notify.MaxSMS {
		t.Errorf("SMSRoom(\"\") = %d", notify.SMSRoom(""))
	}
	for _, extra := range []int{0, 1} {
		m := notify.Message{Channel: notify.SMS, Body: strings.Repeat("é", notify.SMSRoom(stop)+extra), StopURL: stop}
		if n := utf8.RuneCountInString(m.Text()); (n <= notify.MaxSMS) != (extra == 0) {
			t.Errorf("body of SMSRoom+%d: text of %d characters", extra, n)
		}
	}
}

type plain struct{ got []notify.Message }

func (p *plain) Send(_ context.Context, m notify.Message) error { p.got = append(p.got, m); return nil }

type withRef struct{ plain }

func (w *withRef) SendRef(_ context.Context, m notify.Message) (string, error) {
	w.got = append(w.got, m)
	return fmt.Sprintf("ref-%d", m.ID), nil
}

func TestDeliver(t *testing.T) {
	ctx := context.Background()
	p := &plain{}
	if ref, err := notify.Deliver(ctx, p, notify.Message{ID: 1}); err != nil || ref != "" || len(p.got) != 1 {
		t.Errorf("plain sender: %q, %v, %d sent", ref, err, len(p.got))
	}
	r := &withRef{}
	if ref, err := notify.Deliver(ctx, r, notify.Message{ID: 7}); err != nil || ref != "ref-7" || len(r.got) != 1 {
		t.Errorf("referencer: %q, %v, %d sent", ref, err, len(r.got))
	}
}

func TestPermanent(t *testing.T) {
	base := errors.New("adresse invalide")
	err := fmt.Errorf("courriel : %w", notify.Permanent(base))
	if !errors.Is(err, notify.ErrPermanent) || !errors.Is(err, base) || err.Error() != "courriel : adresse invalide" {
		t.Errorf("wrapped permanent error: %v", err)
	}
	if errors.Is(base, notify.ErrPermanent) || notify.Permanent(nil) != nil {
		t.Error("a plain error is permanent, or Permanent(nil) is not nil")
	}
}
