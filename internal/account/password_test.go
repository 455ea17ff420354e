package account

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

func TestHashPasswordFormat(t *testing.T) {
	const pw = "une phrase de passe assez longue"
	got, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "$argon2id$v=19$m=32768,t=2,p=1$"
	if !strings.HasPrefix(got, prefix) {
		t.Fatalf("HashPassword = %q, want prefix %q", got, prefix)
	}
	parts := strings.Split(got, "$")
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) != 16 {
		t.Errorf("salt %q: %d bytes, err %v; want 16 bytes of raw standard base64", parts[4], len(salt), err)
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) != 32 {
		t.Errorf("hash %q: %d bytes, err %v; want 32 bytes of raw standard base64", parts[5], len(key), err)
	}
	again, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if again == got {
		t.Errorf("two hashes of the same password are equal (%q): the salt is not random", got)
	}
}

func TestCheckPassword(t *testing.T) {
	const pw = "une phrase de passe assez longue"
	hash, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		pw   string
		want bool
	}{
		{"right password", pw, true},
		{"wrong password", "une phrase de passe assez longuE", false},
		{"prefix", pw[:len(pw)-1], false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckPassword(hash, tt.pw); got != tt.want {
				t.Errorf("CheckPassword(hash, %q) = %v, want %v", tt.pw, got, tt.want)
			}
		})
	}
}

// TestCheckPasswordReadsParameters checks hashes made elsewhere or with other
// parameters, as after a future change of hashParams.
func TestCheckPasswordReadsParameters(t *testing.T) {
	// The argon2id vector of the reference implementation (phc-winner-argon2, src/test.c).
	const reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	if !CheckPassword(reference, "password") {
		t.Errorf("CheckPassword(reference vector, %q) = false, want true", "password")
	}
	if CheckPassword(reference, "Password") {
		t.Errorf("CheckPassword(reference vector, %q) = true, want false", "Password")
	}

	salt := []byte("0123456789abcdef0123")
	p := argonParams{memory: 8 * 1024, time: 3, threads: 2}
	key := argon2.IDKey([]byte("autre paramétrage"), salt, p.time, p.memory, p.threads, 24)
	hash := encodeHash(p, salt, key)
	if !strings.Contains(hash, "$m=8192,t=3,p=2$") {
		t.Fatalf("encodeHash = %q, want m=8192,t=3,p=2", hash)
	}
	if !CheckPassword(hash, "autre paramétrage") {
		t.Errorf("CheckPassword(%q) = false for its own password", hash)
	}
	if CheckPassword(hash, "autre parametrage") {
		t.Errorf("CheckPassword(%q) = true for another password", hash)
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	const pw = "password"
	good := "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	tests := []struct {
		name string
		hash string
	}{
		{"empty", ""},
		{"plain text", "password"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", strings.Replace(good, "argon2id", "argon2i", 1)},
		{"version 16", strings.Replace(good, "v=19", "v=16", 1)},
		{"no version", strings.Replace(good, "$v=19", "", 1)},
		{"missing hash", strings.TrimSuffix(good, "$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")},
		{"extra field", good + "$AAAA"},
		{"no leading dollar", strings.TrimPrefix(good, "$")},
		{"parameters out of order", strings.Replace(good, "m=65536,t=2,p=1", "t=2,m=65536,p=1", 1)},
		{"missing parameter", strings.Replace(good, "m=65536,t=2,p=1", "m=65536,t=2", 1)},
		{"non-numeric memory", strings.Replace(good, "m=65536", "m=lots", 1)},
		{"negative time", strings.Replace(good, "t=2", "t=-2", 1)},
		{"zero time", strings.Replace(good, "t=2", "t=0", 1)},
		{"zero threads", strings.Replace(good, "p=1", "p=0", 1)},
		{"too many threads", strings.Replace(good, "p=1", "p=255", 1)},
		{"memory below 8 KiB per thread", strings.Replace(good, "m=65536", "m=4", 1)},
		{"memory above 1 GiB", strings.Replace(good, "m=65536", "m=4194304", 1)},
		{"memory overflows uint32", strings.Replace(good, "m=65536", "m=4294967296", 1)},
		{"time above bound", strings.Replace(good, "t=2", "t=1000", 1)},
		{"salt not base64", strings.Replace(good, "c29tZXNhbHQ", "c29t*XNhbHQ", 1)},
		{"salt padded", strings.Replace(good, "c29tZXNhbHQ", "c29tZXNhbHQ=", 1)},
		{"salt too short", strings.Replace(good, "c29tZXNhbHQ", "c29tZQ", 1)},
		{"hash too short", strings.Replace(good, "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", "CTFhFdXPJO1a", 1)},
		{"hash truncated by one character", strings.TrimSuffix(good, "c")},
	}
	if !CheckPassword(good, pw) {
		t.Fatalf("CheckPassword(%q, %q) = false; the malformed cases below would prove nothing", good, pw)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if CheckPassword(tt.hash, pw) {
				t.Errorf("CheckPassword(%q) = true, want false", tt.hash)
			}
		})
	}
}

func TestDummyHashMatchesCurrentParameters(t *testing.T) {
	p, salt, key, ok := decodeHash(dummyHash)
	if !ok {
		t.Fatalf("dummyHash %q does not parse", dummyHash)
	}
	if p != hashParams || len(salt) != saltLen || len(key) != keyLen {
		t.Errorf("dummyHash has %+v, %d-byte salt, %d-byte key; want %+v, %d, %d (same cost as a real check)",
			p, len(salt), len(key), hashParams, saltLen, keyLen)
	}
}

// TestDummyCheckTiming compares the fastest of five runs, one way only: the
// point is that an unknown email does not answer in microseconds while a
// known one takes tens of milliseconds. A loaded machine only makes either
// slower, so only a DummyCheck much faster than a real check fails (the
// cost parameters themselves are checked exactly above).
func TestDummyCheckTiming(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	hash, err := HashPassword("une phrase de passe assez longue")
	if err != nil {
		t.Fatal(err)
	}
	fastest := func(f func()) time.Duration {
		var ds []time.Duration
		for range 5 {
			start := time.Now()
			f()
			ds = append(ds, time.Since(start))
		}
		return slices.Min(ds)
	}
	check := fastest(func() { CheckPassword(hash, "mauvais mot de passe") })
	dummy := fastest(DummyCheck)
	t.Logf("CheckPassword %v, DummyCheck %v", check, dummy)
	if dummy < check/4 {
		t.Errorf("DummyCheck takes %v, CheckPassword %v: want the same order", dummy, check)
	}
}

func TestValidatePassword(t *testing.T) {
	const email = "marie.dupont@cd93.fr"
	tests := []struct {
		name  string
		pw    string
		email string
		want  error
	}{
		{"passphrase", "cheval correct batterie agrafe", email, nil},
		{"exactly 12", "Xk4;pq9!rTz2", email, nil},
		{"accents count as one character", "éléphant rosé", email, nil},
		{"128 characters", strings.Repeat("é", 127) + "a", email, nil},
		{"symbols and digits only", "8#3!7@1$9%2^", email, nil},
		{"short email local part is ignored", "jolie phrase de passe", "jo@cd93.fr", nil},
		{"no email", "cheval correct batterie agrafe", "", nil},
		{"common word inside a phrase", "mon soleil se lève à l'est", email, nil},

		{"empty", "", email, errPasswordShort},
		{"11 characters", "Xk4;pq9!rTz", email, errPasswordShort},
		{"11 runes in 16 bytes", "éléphantééé", email, errPasswordShort},
		{"129 characters", strings.Repeat("é", 128) + "a", email, errPasswordLong},
		{"one character repeated", "aaaaaaaaaaaaaaaa", email, errPasswordRepeated},
		{"one accented character repeated", strings.Repeat("é", 12), email, errPasswordRepeated},
		{"email local part", "xx-marie.dupont-2026", email, errPasswordEmail},
		{"email local part in capitals", "MARIE.DUPONT!2026", email, errPasswordEmail},
		{"last name from the email", "Famille Dupont 1984", email, errPasswordEmail},
		{"first name from the email", "marie en vacances", email, errPasswordEmail},
		{"whole short local part", "la clé de jlb reste ici", "jlb@cd93.fr", errPasswordEmail},
		{"motdepasse123", "motdepasse123", email, errPasswordCommon},
		{"azertyuiop12", "azertyuiop12", email, errPasswordCommon},
		{"123456789012", "123456789012", email, errPasswordCommon},
		{"common in capitals", "AZERTYUIOP12", email, errPasswordCommon},
		{"common base word plus year and symbol", "Motdepasse2026!", email, errPasswordCommon},
		{"common base word plus digits", "bonjour123456789", email, errPasswordCommon},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ValidatePassword(tt.pw, tt.email)
			if !errors.Is(got, tt.want) {
				t.Errorf("ValidatePassword(%q, %q) = %v, want %v", tt.pw, tt.email, got, tt.want)
			}
		})
	}
}

func TestPasswordMessagesAreFrench(t *testing.T) {
	for _, err := range []error{errPasswordShort, errPasswordLong, errPasswordRepeated, errPasswordEmail, errPasswordCommon} {
		msg := err.Error()
		if !strings.Contains(msg, "mot de passe") {
			t.Errorf("message %q does not speak of the « mot de passe »", msg)
		}
	}
	if got := errPasswordShort.Error(); !strings.Contains(got, "12 caractères") {
		t.Errorf("short message %q does not state the minimum of 12 caractères", got)
	}
}

// TestCommonPasswordsAreNormalised guards the list itself: an entry in
// capitals, or too short to pass the length check and not a base word,
// would never be looked up.
func TestCommonPasswordsAreNormalised(t *testing.T) {
	if len(commonPasswords) < 100 {
		t.Errorf("commonPasswords has %d entries, want at least 100", len(commonPasswords))
	}
	for pw := range commonPasswords {
		if pw != strings.ToLower(pw) {
			t.Errorf("entry %q is not lower-case", pw)
		}
		if pw != strings.TrimRight(pw, "0123456789!?.*@#$%&-_+= ") && len([]rune(pw)) < MinPasswordLen {
			t.Errorf("entry %q is shorter than %d characters and ends in a digit or symbol: it can never match", pw, MinPasswordLen)
		}
	}
}

// BenchmarkHashPassword measures the cost of hashParams on this machine; run
// it on the production host before changing them (budget: about 50 ms).
func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("une phrase de passe assez longue"); err != nil {
			b.Fatal(err)
		}
	}
}
