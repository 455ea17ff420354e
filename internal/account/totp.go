package account

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1" // #nosec G505 -- HMAC-SHA-1 is what RFC 6238 and every authenticator app use; HMAC does not rely on SHA-1 collision resistance
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// TOTP settings shared by codes, verification and the enrolment URI: the
// defaults of RFC 6238 that every authenticator application supports.
const (
	totpDigits    = 6
	totpPeriod    = 30 // seconds
	totpSecretLen = 20 // bytes, the HMAC-SHA-1 output size (RFC 4226 R6)
	totpMinKeyLen = 16 // bytes, RFC 4226 R6: at least 128 bits
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a fresh random 160-bit TOTP secret, base32-encoded
// without padding as authenticator applications expect.
func NewTOTPSecret() (string, error) {
	key := make([]byte, totpSecretLen)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("account: new TOTP secret: %w", err)
	}
	return b32.EncodeToString(key), nil
}

// TOTPCode returns the 6-digit code of secret at time t (RFC 6238, HMAC-SHA-1,
// 30-second steps).
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := decodeTOTPSecret(secret)
	if err != nil {
		return "", err
	}
	step, err := totpStep(t)
	if err != nil {
		return "", err
	}
	return hotp(key, uint64(step), totpDigits), nil // #nosec G115 -- totpStep refuses times before 1970, so step >= 0
}

// VerifyTOTP checks code against secret at time t. It accepts the current
// time step and one step either side for clock skew, ignores spaces in the
// code, and refuses any step at or before lastStep so that an accepted code
// cannot be replayed. It returns the matched step, which the caller stores
// as the new lastStep.
func VerifyTOTP(secret, code string, t time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, code)
	if len(code) != totpDigits || strings.Trim(code, "0123456789") != "" {
		return 0, false
	}
	key, err := decodeTOTPSecret(secret)
	if err != nil {
		return 0, false
	}
	now, err := totpStep(t)
	if err != nil {
		return 0, false
	}
	// Every candidate is computed and compared, so that timing does not
	// tell which step matched.
	for s := now - 1; s <= now+1; s++ {
		if s < 0 {
			continue
		}
		match := subtle.ConstantTimeCompare([]byte(hotp(key, uint64(s), totpDigits)), []byte(code)) == 1
		if match && s > lastStep {
			step, ok = s, true
		}
	}
	return step, ok
}

// TOTPURI returns the otpauth:// URI that enrols secret in an authenticator
// application, in the Key URI Format of Google Authenticator, labelled
// "issuer:accountEmail".
func TOTPURI(secret, accountEmail, issuer string) string {
	label := escapeLabel(issuer) + ":" + escapeLabel(accountEmail)
	return "otpauth://totp/" + label +
		"?secret=" + escapeQuery(secret) +
		"&issuer=" + escapeQuery(issuer) +
		"&algorithm=SHA1&digits=6&period=30"
}

// escapeLabel escapes one side of the label; a colon would split it and a
// plus sign is read as a space by some applications.
func escapeLabel(s string) string {
	s = url.PathEscape(s)
	return strings.NewReplacer(":", "%3A", "+", "%2B").Replace(s)
}

// escapeQuery escapes a query value with %20 for spaces, as the Key URI
// Format asks.
func escapeQuery(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// decodeTOTPSecret accepts the base32 secret in either case, with or
// without padding and spaces, and refuses keys shorter than 128 bits.
func decodeTOTPSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.ReplaceAll(secret, " ", ""))
	s = strings.TrimRight(s, "=")
	key, err := b32.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("account: decode TOTP secret: %w", err)
	}
	if len(key) < totpMinKeyLen {
		return nil, errors.New("account: decode TOTP secret: shorter than 128 bits")
	}
	return key, nil
}

// totpStep is the RFC 6238 time step T of t, with T0 = 0.
func totpStep(t time.Time) (int64, error) {
	u := t.Unix()
	if u < 0 {
		return 0, errors.New("account: TOTP time before 1970")
	}
	return u / totpPeriod, nil
}

// hotp is RFC 4226 HOTP with HMAC-SHA-1 and dynamic truncation to digits
// decimal digits (6 to 9; 8 only serves the RFC 6238 test vectors).
func hotp(key []byte, counter uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}
