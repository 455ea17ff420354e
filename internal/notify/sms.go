package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// SMSProvider is what an SMS gateway offers Parcours: send a text to a
// mobile number in international form without "+" (33612345678) and say
// the provider's reference of the message. Brevo is one; another provider
// needs only this method, SMSSender does the rest.
type SMSProvider interface {
	SendSMS(ctx context.Context, number, text string) (ref string, err error)
}

// SMSSender sends messages as SMS through a provider: it normalises the
// number (MobileNumber), appends the stop line (Message.Text) and refuses
// a text longer than MaxSMS. Its errors never hold the text or the number.
type SMSSender struct {
	Provider SMSProvider
}

// Send sends the message.
func (s SMSSender) Send(ctx context.Context, m Message) error {
	_, err := s.SendRef(ctx, m)
	return err
}

// SendRef sends the message and returns the provider's reference.
func (s SMSSender) SendRef(ctx context.Context, m Message) (string, error) {
	number, err := MobileNumber(m.To)
	if err != nil {
		return "", Permanent(err)
	}
	text := strings.TrimSpace(m.Text())
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		return "", Permanent(errors.New("SMS vide"))
	case n > MaxSMS:
		return "", Permanent(fmt.Errorf("SMS de %d caractères : %d au plus", n, MaxSMS))
	}
	ref, err := s.Provider.SendSMS(ctx, number, text)
	if err != nil {
		return "", masked(err, number, m.To)
	}
	return ref, nil
}

// The French overseas mobile ranges written in the national plan (06…)
// but reached abroad under their own country code, by their first four
// digits (ARCEP numbering plan).
var overseasMobile = map[string]string{
	"0639": "262", // Mayotte
	"0690": "590", // Guadeloupe, Saint-Martin, Saint-Barthélemy
	"0691": "590",
	"0692": "262", // La Réunion
	"0693": "262",
	"0694": "594", // Guyane
	"0696": "596", // Martinique
	"0697": "596",
}

// MobileNumber normalises a French mobile number, of metropolitan France
// or overseas, to its international form without "+": "06 12 34 56 78",
// "+33 6 12 34 56 78", "0033612345678" and "+33 (0)6 12 34 56 78" all give
// "33612345678", "0692 12 34 56" gives "262692123456". A landline, a
// short or premium number, or a foreign one is refused: an SMS cannot
// reach it, or Parcours does not send abroad. Errors do not repeat the
// number.
func MobileNumber(s string) (string, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), "(0)", "")
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '/' || r == '(' || r == ')' || r == '\u00a0':
		default:
			return "", errors.New("numéro de téléphone illisible")
		}
	}
	n := b.String()
	switch {
	case strings.HasPrefix(n, "+"):
		n = n[1:]
	case strings.HasPrefix(n, "00"):
		n = n[2:]
	case strings.HasPrefix(n, "0"):
		if len(n) != 10 {
			return "", errors.New("numéro de téléphone incomplet ou trop long (10 chiffres attendus)")
		}
		if cc, ok := overseasMobile[n[:4]]; ok {
			return cc + n[1:], nil
		}
		if n[1] != '6' && n[1] != '7' {
			return "", errors.New("ce n'est pas un numéro de mobile (06 ou 07) : un SMS ne peut pas lui être envoyé")
		}
		return "33" + n[1:], nil
	}
	switch {
	case strings.HasPrefix(n, "33"):
		if len(n) != 11 {
			return "", errors.New("numéro de téléphone incomplet ou trop long")
		}
		if n[2] != '6' && n[2] != '7' {
			return "", errors.New("ce n'est pas un numéro de mobile (06 ou 07) : un SMS ne peut pas lui être envoyé")
		}
		return n, nil
	case len(n) == 12 && overseasMobile["0"+n[3:6]] == n[:3]:
		return n, nil
	case strings.HasPrefix(n, "262") || strings.HasPrefix(n, "590") || strings.HasPrefix(n, "594") ||
		strings.HasPrefix(n, "596"):
		return "", errors.New("ce n'est pas un numéro de mobile d'outre-mer : un SMS ne peut pas lui être envoyé")
	}
	return "", errors.New("numéro étranger : Parcours n'envoie de SMS qu'aux mobiles français (métropole et outre-mer)")
}

// gsm7 holds the characters of the GSM 03.38 default alphabet and its
// extension table: a text made of them only travels without Unicode, in
// 160 characters a part instead of 70.
const gsm7 = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡" +
	"ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà" + "\f^{}\\[~]|€"

// needsUnicode reports whether text has a character outside the GSM
// alphabet (ê, ç, ô, the typographic apostrophe…).
func needsUnicode(text string) bool {
	for _, r := range text {
		if !strings.ContainsRune(gsm7, r) {
			return true
		}
	}
	return false
}
