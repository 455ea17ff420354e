package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/notify"
)

func TestMobileNumber(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want "" for a refusal
	}{
		{"06 12 34 56 78", "33612345678"},
		{"07.12.34.56.78", "33712345678"},
		{"+33 6 12 34 56 78", "33612345678"},
		{"+33 (0)6 12 34 56 78", "33612345678"},
		{"0033612345678", "33612345678"},
		{"33612345678", "33612345678"},
		{"0692 12 34 56", "262692123456"}, // La Réunion
		{"0639 98 00 00", "262639980000"}, // Mayotte
		{"0690 12 34 56", "590690123456"}, // Guadeloupe
		{"0694 12 34 56", "594694123456"}, // Guyane
		{"0696 12 34 56", "596696123456"}, // Martinique
		{"+262 692 12 34 56", "262692123456"},
		{"01 23 45 67 89", ""},      // landline
		{"09 70 12 34 56", ""},      // VoIP
		{"+33 1 23 45 67 89", ""},   // landline, international form
		{"+262 262 12 34 56", ""},   // landline in La Réunion
		{"3615", ""},                // short number
		{"06 12 34 56", ""},         // too short
		{"+32 470 12 34 56", ""},    // Belgium
		{"+44 7700 900123", ""},     // United Kingdom
		{"06 12 34 56 78 ; 07", ""}, // not a number
		{"", ""},
	} {
		got, err := notify.MobileNumber(tc.in)
		if got != tc.want || (tc.want == "") != (err != nil) {
			t.Errorf("MobileNumber(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
		if err != nil && tc.in != "" && strings.Contains(err.Error(), strings.TrimSpace(tc.in)) {
			t.Errorf("the error repeats the number: %v", err)
		}
	}
}

// brevoServer stands for Brevo's API: it records each request and answers
// status with body.
type brevoServer struct {
	*httptest.Server
	mu     sync.Mutex
	reqs   []*http.Request
	bodies [][]byte
}

func newBrevo(t *testing.T, status int, body string) *brevoServer {
	t.Helper()
	b := &brevoServer{}
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		b.mu.Lock()
		b.reqs, b.bodies = append(b.reqs, r), append(b.bodies, raw)
		b.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(b.Close)
	return b
}

func (b *brevoServer) client() notify.Brevo {
	return notify.Brevo{BaseURL: b.URL + "/v3", APIKey: "xkeysib-test", Sender: "Parcours", Client: b.Server.Client()}
}

// The request is the one Brevo documents for « Send SMS message
// asynchronously to a mobile number »: POST /v3/transactionalSMS/send, the
// key in the api-key header, a JSON body of sender, recipient (country code,
// no "+"), content, type and unicodeEnabled; the messageId of the 201
// answer is the reference.
func TestBrevoRequest(t *testing.T) {
	srv := newBrevo(t, http.StatusCreated, `{"messageId": 1511882900176220, "smsCount": 1}`)
	m := notify.Message{ID: 5, Channel: notify.SMS, To: "06 12 34 56 78", PersonID: 3,
		Body:    "Parcours : rendez-vous le 03/12 a 14h00, Hotel du Departement, Bobigny. Details : https://parcours.example.fr/r/9f2c",
		StopURL: "https://parcours.example.fr/s/1c0d"}
	ref, err := srv.client().SendRef(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if ref != "1511882900176220" {
		t.Errorf("ref = %q, want Brevo's messageId", ref)
	}
	if len(srv.reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(srv.reqs))
	}
	r := srv.reqs[0]
	if r.Method != http.MethodPost || r.URL.Path != "/v3/transactionalSMS/send" || r.URL.RawQuery != "" {
		t.Errorf("request %s %s", r.Method, r.URL)
	}
	for k, want := range map[string]string{"api-key": "xkeysib-test", "Content-Type": "application/json",
		"Accept": "application/json"} {
		if got := r.Header.Get(k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
	if r.Header.Get("Authorization") != "" {
		t.Error("an Authorization header was sent")
	}
	var body map[string]any
	if err := json.Unmarshal(srv.bodies[0], &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"sender":         "Parcours",
		"recipient":      "33612345678",
		"content":        m.Body + "\nSTOP : https://parcours.example.fr/s/1c0d",
		"type":           "transactional",
		"unicodeEnabled": false,
	}
	if !reflect.DeepEqual(body, want) {
		t.Errorf("body\n%v\nwant\n%v", body, want)
	}
}

func TestBrevoUnicodeAndTag(t *testing.T) {
	srv := newBrevo(t, http.StatusCreated, `{"messageId": 7}`)
	b := srv.client()
	b.Tag = "parcours"
	for _, text := range []string{"Votre rendez-vous est confirmé à 14 h.", "Merci d’être à l’heure", "Ça marche ?"} {
		if err := b.Send(context.Background(), notify.Message{Channel: notify.SMS, To: "0612345678", Body: text}); err != nil {
			t.Fatal(err)
		}
	}
	for i, want := range []bool{false, true, false} {
		var body struct {
			Unicode bool   `json:"unicodeEnabled"`
			Tag     string `json:"tag"`
		}
		_ = json.Unmarshal(srv.bodies[i], &body)
		if body.Unicode != want || body.Tag != "parcours" {
			t.Errorf("SMS %d: unicodeEnabled %v (want %v), tag %q", i, body.Unicode, want, body.Tag)
		}
	}
}

func TestBrevoErrors(t *testing.T) {
	const text = "Votre code secret de rendez-vous"
	for _, tc := range []struct {
		status    int
		body      string
		permanent bool
		want      string
	}{
		{400, `{"code":"invalid_parameter","message":"Invalid content: Votre code secret de rendez-vous"}`, true,
			"HTTP 400 invalid_parameter : Invalid content: <texte>"},
		{401, `{"code":"unauthorized","message":"Key not found"}`, false, "HTTP 401 unauthorized : Key not found"},
		{402, `{"code":"not_enough_credits","message":"Not enough credits"}`, false, "HTTP 402 not_enough_credits"},
		{429, `{"code":"too_many_requests","message":"Too many requests"}`, false, "HTTP 429"},
		{502, `<html>Bad gateway</html>`, false, "HTTP 502"},
		{302, ``, false, "HTTP 302"},
	} {
		srv := newBrevo(t, tc.status, tc.body)
		_, err := srv.client().SendRef(context.Background(), notify.Message{Channel: notify.SMS, To: "+33612345678", Body: text})
		if err == nil || !strings.Contains(err.Error(), tc.want) || errors.Is(err, notify.ErrPermanent) != tc.permanent {
			t.Errorf("HTTP %d: err = %v, want %q (permanent %v)", tc.status, err, tc.want, tc.permanent)
			continue
		}
		if strings.Contains(err.Error(), text) || strings.Contains(err.Error(), "612345678") {
			t.Errorf("HTTP %d: the error holds the text or the number: %v", tc.status, err)
		}
	}
}

// Nothing reaches Brevo for a number that is not a mobile, an empty text
// or a text too long; each is refused for good.
func TestSMSRefusals(t *testing.T) {
	srv := newBrevo(t, http.StatusCreated, `{"messageId": 1}`)
	b := srv.client()
	for _, m := range []notify.Message{
		{Channel: notify.SMS, To: "01 23 45 67 89", Body: "x"},
		{Channel: notify.SMS, To: "06 12 34 56 78", Body: "  "},
		{Channel: notify.SMS, To: "06 12 34 56 78", Body: strings.Repeat("é", notify.MaxSMS+1)},
		{Channel: notify.SMS, To: "06 12 34 56 78", Body: strings.Repeat("a", notify.MaxSMS-10), StopURL: "https://parcours.example.fr/s/1c0d"},
	} {
		if err := b.Send(context.Background(), m); err == nil || !errors.Is(err, notify.ErrPermanent) {
			t.Errorf("To %q, %d characters: err = %v, want a permanent refusal", m.To, utf8.RuneCountInString(m.Text()), err)
		}
	}
	if len(srv.reqs) != 0 {
		t.Errorf("%d requests reached Brevo", len(srv.reqs))
	}
}

// A usual SMS to the person, stop line included, fits in MaxSMS.
func TestSMSLength(t *testing.T) {
	m := notify.Message{Channel: notify.SMS, Body: "Parcours : vous êtes invité(e) à prendre rendez-vous avec votre référent. " +
		"Choisissez votre créneau avant le 13/12 : https://parcours.seine-saint-denis.fr/invitation/9f2c4e1a7b3d5f60a1b2c3d4",
		StopURL: "https://parcours.seine-saint-denis.fr/arret/1c0d9e8f7a6b5c4d3e2f1a0b"}
	if n := utf8.RuneCountInString(m.Text()); n > notify.MaxSMS {
		t.Errorf("a usual SMS has %d characters, more than %d", n, notify.MaxSMS)
	}
}

func TestBrevoValidate(t *testing.T) {
	ok := notify.Brevo{APIKey: "xkeysib-1", Sender: "Parcours"}
	for _, tc := range []struct {
		name string
		edit func(*notify.Brevo)
		want string
	}{
		{"ok", func(*notify.Brevo) {}, ""},
		{"no key", func(b *notify.Brevo) { b.APIKey = "" }, "clé d'API"},
		{"sender too long", func(b *notify.Brevo) { b.Sender = "ParcoursSPIE93" }, "expéditeur SMS"},
		{"sender too short", func(b *notify.Brevo) { b.Sender = "P" }, "expéditeur SMS"},
		{"sender with space", func(b *notify.Brevo) { b.Sender = "CD 93" }, "expéditeur SMS"},
		{"sender of digits", func(b *notify.Brevo) { b.Sender = "0612345678" }, "expéditeur SMS"},
		{"http off loopback", func(b *notify.Brevo) { b.BaseURL = "http://api.brevo.com/v3" }, "https attendu"},
		{"http on loopback", func(b *notify.Brevo) { b.BaseURL = "http://127.0.0.1:8025/v3" }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := ok
			tc.edit(&b)
			err := b.Validate()
			if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("Validate() = %v, want %q", err, tc.want)
			}
		})
	}
}
