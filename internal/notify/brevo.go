package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// BrevoURL is the base of Brevo's API.
const BrevoURL = "https://api.brevo.com/v3"

// Brevo sends SMS through the transactional SMS API of Brevo (a French
// company, formerly Sendinblue). It follows Brevo's API reference, « Send
// SMS message asynchronously to a mobile number »
// (https://developers.brevo.com/reference/send-async-transactional-sms) and
// the guide « Send transactional SMS »
// (https://developers.brevo.com/docs/transactional-sms-endpoints):
//
//	POST https://api.brevo.com/v3/transactionalSMS/send
//	api-key: <key>
//	Content-Type: application/json
//	{"sender": "Parcours", "recipient": "33612345678", "content": "…",
//	 "type": "transactional", "tag": "…", "unicodeEnabled": false}
//
// sender is at most 11 letters and digits, recipient the number with its
// country code, type "transactional" (a marketing SMS is held back at night,
// on Sundays and French public holidays). A success (201) answers
// {"messageId": 1511882900176220}; an error answers
// {"code": "invalid_parameter", "message": "…"}. Parcours never puts
// Brevo's [STOP_CODE] in a text: it would turn the SMS into marketing; the
// person stops SMS by the link of Message.StopURL instead.
type Brevo struct {
	BaseURL string // BrevoURL when empty; https, or http on the loopback interface (tests)
	APIKey  string
	// Sender is the name the phone shows: 3 to 11 letters and digits,
	// starting with a letter ("Parcours", "CD93").
	Sender string
	Tag    string       // optional, for Brevo's statistics; never personal
	Client *http.Client // one with a 30 s timeout when nil
}

// Validate checks the settings, with messages for the person who deploys.
func (b Brevo) Validate() error {
	if strings.TrimSpace(b.APIKey) == "" || strings.ContainsAny(b.APIKey, "\r\n") {
		return errors.New("Brevo : clé d'API absente (PARCOURS_BREVO_API_KEY)")
	}
	if !validSender(b.Sender) {
		return fmt.Errorf("Brevo : expéditeur SMS %q invalide : de 3 à 11 lettres et chiffres, en commençant par une lettre (PARCOURS_SMS_SENDER)", b.Sender)
	}
	if _, err := b.endpoint(); err != nil {
		return err
	}
	return nil
}

func validSender(s string) bool {
	if len(s) < 3 || len(s) > 11 {
		return false
	}
	for i, r := range s {
		letter := (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// endpoint is the URL of the send request.
func (b Brevo) endpoint() (string, error) {
	base := b.BaseURL
	if base == "" {
		base = BrevoURL
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "https" && (u.Scheme != "http" || !loopback(u.Hostname()))) {
		return "", fmt.Errorf("Brevo : adresse d'API %q invalide (https attendu)", base)
	}
	return strings.TrimRight(base, "/") + "/transactionalSMS/send", nil
}

// Send sends the message as an SMS.
func (b Brevo) Send(ctx context.Context, m Message) error {
	return SMSSender{Provider: b}.Send(ctx, m)
}

// SendRef sends the message as an SMS and returns Brevo's messageId.
func (b Brevo) SendRef(ctx context.Context, m Message) (string, error) {
	return SMSSender{Provider: b}.SendRef(ctx, m)
}

// brevoSMS is the body of the send request.
type brevoSMS struct {
	Sender         string `json:"sender"`
	Recipient      string `json:"recipient"`
	Content        string `json:"content"`
	Type           string `json:"type"`
	Tag            string `json:"tag,omitempty"`
	UnicodeEnabled bool   `json:"unicodeEnabled"`
}

// SendSMS sends text to number (international form without "+") and
// returns Brevo's messageId. A request Brevo refuses (400) is a permanent
// failure; the others (credits, key, rate, outage) may pass. The error
// gives Brevo's code and message, never the text.
func (b Brevo) SendSMS(ctx context.Context, number, text string) (string, error) {
	if err := b.Validate(); err != nil {
		return "", err
	}
	endpoint, _ := b.endpoint()
	body, err := json.Marshal(brevoSMS{Sender: b.Sender, Recipient: number, Content: text, Type: "transactional",
		Tag: b.Tag, UnicodeEnabled: needsUnicode(text)})
	if err != nil {
		return "", fmt.Errorf("brevo : %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("brevo : %w", err)
	}
	req.Header.Set("api-key", b.APIKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := b.client().Do(req)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return "", errors.New("brevo : pas de réponse dans le délai")
		}
		return "", fmt.Errorf("brevo : requête impossible : %w", redactURLError(err))
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		var e struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(raw, &e)
		msg := e.Message
		if text != "" {
			msg = strings.ReplaceAll(msg, text, "<texte>")
		}
		err := fmt.Errorf("brevo : HTTP %d %s : %s", resp.StatusCode, clip(e.Code, 60), clip(msg, 200))
		if resp.StatusCode == http.StatusBadRequest {
			return "", Permanent(err)
		}
		return "", err
	}
	var ok struct {
		MessageID json.Number `json:"messageId"`
		Reference string      `json:"reference"`
	}
	if err := json.Unmarshal(raw, &ok); err != nil {
		// Brevo took the SMS: its answer not being readable is no reason to
		// send it again.
		return "", nil
	}
	if ok.MessageID != "" {
		return ok.MessageID.String(), nil
	}
	return clip(ok.Reference, 100), nil
}

// client is the HTTP client, which never follows a redirect: the api-key
// header would go with it.
func (b Brevo) client() *http.Client {
	c := &http.Client{Timeout: 30 * time.Second}
	if b.Client != nil {
		cc := *b.Client
		c = &cc
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// redactURLError keeps the error of a failed request without its URL's
// query (none is sent, but a BaseURL could carry one).
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// clip cuts s to n characters, on a character boundary, and drops line
// breaks.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
