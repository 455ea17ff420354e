package account

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// rfcSecret is the RFC 6238 Appendix B SHA-1 seed "12345678901234567890" in base32.
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

// rfcVectors are the SHA-1 rows of RFC 6238 Appendix B.
var rfcVectors = []struct {
	unix int64
	step int64
	code string // 8 digits
}{
	{59, 0x1, "94287082"},
	{1111111109, 0x23523EC, "07081804"},
	{1111111111, 0x23523ED, "14050471"},
	{1234567890, 0x273EF07, "89005924"},
	{2000000000, 0x3F940AA, "69279037"},
	{20000000000, 0x27BC86AA, "65353130"},
}

func TestTOTPRFC6238Vectors(t *testing.T) {
	key, err := decodeTOTPSecret(rfcSecret)
	if err != nil {
		t.Fatal(err)
	}
	if string(key) != "12345678901234567890" {
		t.Fatalf("decoded seed = %q", key)
	}
	for _, v := range rfcVectors {
		tm := time.Unix(v.unix, 0).UTC()
		t.Run(tm.Format(time.RFC3339), func(t *testing.T) {
			step, err := totpStep(tm)
			if err != nil || step != v.step {
				t.Fatalf("totpStep = %d, %v; want %d", step, err, v.step)
			}
			if got := hotp(key, uint64(step), 8); got != v.code {
				t.Errorf("8-digit code = %s, want %s", got, v.code)
			}
			got, err := TOTPCode(rfcSecret, tm)
			if want := v.code[2:]; err != nil || got != want {
				t.Errorf("TOTPCode = %q, %v; want %q", got, err, want)
			}
		})
	}
}

// TestHOTPRFC4226Vectors checks the truncation against RFC 4226 Appendix D.
func TestHOTPRFC4226Vectors(t *testing.T) {
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	key := []byte("12345678901234567890")
	for counter, w := range want {
		if got := hotp(key, uint64(counter), 6); got != w {
			t.Errorf("hotp(counter %d) = %s, want %s", counter, got, w)
		}
	}
}

func TestNewTOTPSecret(t *testing.T) {
	a, err := NewTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Errorf("two secrets are equal: %q", a)
	}
	if len(a) != 32 || strings.ContainsAny(a, "= ") || strings.ToUpper(a) != a {
		t.Errorf("secret %q: want 32 upper-case base32 characters without padding", a)
	}
	key, err := decodeTOTPSecret(a)
	if err != nil || len(key) != 20 {
		t.Errorf("secret %q decodes to %d bytes, %v; want 20", a, len(key), err)
	}
	if _, err := TOTPCode(a, time.Now()); err != nil {
		t.Errorf("TOTPCode(new secret) = %v", err)
	}
}

func TestVerifyTOTP(t *testing.T) {
	// RFC 6238 row 1234567890 s: step 41152263, 6-digit code 005924.
	now := time.Unix(1234567890, 0)
	const step = 41152263
	codeAt := func(s int64) string {
		t.Helper()
		c, err := TOTPCode(rfcSecret, time.Unix(s*30, 0))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if codeAt(step) != "005924" {
		t.Fatalf("code at step %d = %s, want 005924", step, codeAt(step))
	}
	tests := []struct {
		name     string
		secret   string
		code     string
		lastStep int64
		wantStep int64
		wantOK   bool
	}{
		{"current step", rfcSecret, "005924", 0, step, true},
		{"leading zeros kept", rfcSecret, "5924", 0, 0, false},
		{"spaces in the code", rfcSecret, " 005 924 ", 0, step, true},
		{"tab and non-breaking space", rfcSecret, "005\t924\u00a0", 0, step, true},
		{"previous step (slow clock)", rfcSecret, codeAt(step - 1), 0, step - 1, true},
		{"next step (fast clock)", rfcSecret, codeAt(step + 1), 0, step + 1, true},
		{"two steps behind", rfcSecret, codeAt(step - 2), 0, 0, false},
		{"two steps ahead", rfcSecret, codeAt(step + 2), 0, 0, false},
		{"replay of the same step", rfcSecret, "005924", step, 0, false},
		{"older step after a newer one", rfcSecret, codeAt(step - 1), step, 0, false},
		{"previous step still new", rfcSecret, codeAt(step - 1), step - 2, step - 1, true},
		{"current step after the previous one", rfcSecret, "005924", step - 1, step, true},
		{"replay after a future step", rfcSecret, "005924", step + 1, 0, false},
		{"wrong code", rfcSecret, "005925", 0, 0, false},
		{"lower-case secret", strings.ToLower(rfcSecret), "005924", 0, step, true},
		{"padded secret", rfcSecret + "====", "005924", 0, step, true},
		{"empty code", rfcSecret, "", 0, 0, false},
		{"five digits", rfcSecret, "00592", 0, 0, false},
		{"seven digits", rfcSecret, "0059240", 0, 0, false},
		{"eight-digit RFC code", rfcSecret, "89005924", 0, 0, false},
		{"letter", rfcSecret, "00592a", 0, 0, false},
		{"sign", rfcSecret, "+05924", 0, 0, false},
		{"non-ASCII digits", rfcSecret, "٠٠٥٩٢٤", 0, 0, false},
		{"empty secret", "", "005924", 0, 0, false},
		{"secret not base32", "GEZDGNBVGY3TQOJQ!EZDGNBVGY3TQOJQ", "005924", 0, 0, false},
		{"secret with digit 1", "1EZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "005924", 0, 0, false},
		{"secret under 128 bits", "GEZDGNBVGY3TQOJQGEZDGNA", "005924", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotStep, gotOK := VerifyTOTP(tt.secret, tt.code, now, tt.lastStep)
			if gotStep != tt.wantStep || gotOK != tt.wantOK {
				t.Errorf("VerifyTOTP(%q, %q, lastStep %d) = %d, %v; want %d, %v",
					tt.secret, tt.code, tt.lastStep, gotStep, gotOK, tt.wantStep, tt.wantOK)
			}
		})
	}
}

// TestVerifyTOTPReplay follows a user through two sign-ins in the same
// 30 seconds: the second use of the code is refused.
func TestVerifyTOTPReplay(t *testing.T) {
	secret, err := NewTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 9, 0, 10, 0, time.UTC)
	code, err := TOTPCode(secret, now)
	if err != nil {
		t.Fatal(err)
	}
	last, ok := VerifyTOTP(secret, code, now, 0)
	if !ok {
		t.Fatalf("first use of %s refused", code)
	}
	if _, ok := VerifyTOTP(secret, code, now.Add(5*time.Second), last); ok {
		t.Errorf("second use of %s within the step accepted", code)
	}
	if _, ok := VerifyTOTP(secret, code, now.Add(30*time.Second), last); ok {
		t.Errorf("second use of %s in the next step (skew window) accepted", code)
	}
	next, err := TOTPCode(secret, now.Add(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if step, ok := VerifyTOTP(secret, next, now.Add(30*time.Second), last); !ok || step != last+1 {
		t.Errorf("code of the next step = %d, %v; want %d, true", step, ok, last+1)
	}
}

func TestTOTPCodeErrors(t *testing.T) {
	if _, err := TOTPCode("pas du base32 !", time.Now()); err == nil {
		t.Error("TOTPCode(malformed secret) = nil error")
	}
	if _, err := TOTPCode("GEZDGNBV", time.Now()); err == nil {
		t.Error("TOTPCode(40-bit secret) = nil error")
	}
	if _, err := TOTPCode(rfcSecret, time.Unix(-1, 0)); err == nil {
		t.Error("TOTPCode(before 1970) = nil error")
	}
}

func TestTOTPURI(t *testing.T) {
	got := TOTPURI("JBSWY3DPEHPK3PXP", "marie.dupont@cd93.fr", "Parcours")
	want := "otpauth://totp/Parcours:marie.dupont@cd93.fr?secret=JBSWY3DPEHPK3PXP&issuer=Parcours&algorithm=SHA1&digits=6&period=30"
	if got != want {
		t.Errorf("TOTPURI =\n%s\nwant\n%s", got, want)
	}

	// An issuer with spaces, a colon and an ampersand, and an email with a plus sign.
	const issuer, email = "Parcours : Seine & Marne", "jean+test@cd77.fr"
	raw := TOTPURI("JBSWY3DPEHPK3PXP", email, issuer)
	if strings.ContainsAny(raw, " +") {
		t.Errorf("TOTPURI = %q: contains a space or a plus sign", raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" {
		t.Errorf("scheme, host = %q, %q; want otpauth, totp", u.Scheme, u.Host)
	}
	label := strings.TrimPrefix(u.EscapedPath(), "/")
	if strings.Count(label, ":") != 1 {
		t.Fatalf("label %q: want exactly one literal colon between issuer and account", label)
	}
	gotIssuer, gotEmail, _ := strings.Cut(label, ":")
	for _, c := range []struct{ escaped, want string }{{gotIssuer, issuer}, {gotEmail, email}} {
		if s, err := url.PathUnescape(c.escaped); err != nil || s != c.want {
			t.Errorf("label part %q unescapes to %q, %v; want %q", c.escaped, s, err, c.want)
		}
	}
	q := u.Query()
	for k, v := range map[string]string{"secret": "JBSWY3DPEHPK3PXP", "issuer": issuer, "algorithm": "SHA1", "digits": "6", "period": "30"} {
		if q.Get(k) != v {
			t.Errorf("query %s = %q, want %q", k, q.Get(k), v)
		}
	}
	if len(q) != 5 {
		t.Errorf("query has %d parameters, want 5: %v", len(q), q)
	}
}
