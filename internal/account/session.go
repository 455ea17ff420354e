package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strings"
	"time"
)

// Session rules (ASVS 7.3): an idle session ends after 30 minutes, any
// session after 12 hours, and a sign-in waiting for its second factor after
// 5 minutes.
const (
	SessionIdle     = 30 * time.Minute
	SessionAbsolute = 12 * time.Hour
	PendingLifetime = 5 * time.Minute
	// LockAfter failed attempts in a row lock the account for LockFor.
	LockAfter = 10
	LockFor   = 15 * time.Minute
	// ResetLifetime is how long a password reset link works.
	ResetLifetime = 10 * time.Minute
)

// Stage is how far a sign-in went.
type Stage string

// The stages of a session: only StageFull opens the application.
const (
	StagePassword Stage = "password" // password checked, TOTP code expected
	StageEnrol    Stage = "enrol"    // password checked, TOTP enrolment expected
	StageFull     Stage = "full"
)

// Session is a server-side session; the browser holds only the token, the
// database only its hash.
type Session struct {
	TokenHash  string
	AccountID  int64
	Stage      Stage
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// NewSession starts a session at a stage and returns it with the token to
// give the browser.
func NewSession(accountID int64, stage Stage, now time.Time) (Session, string) {
	token := NewToken("")
	life := SessionAbsolute
	if stage != StageFull {
		life = PendingLifetime
	}
	now = now.UTC()
	return Session{TokenHash: HashToken(token), AccountID: accountID, Stage: stage,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(life)}, token
}

// Alive reports whether the session may still be used at now.
func (s Session) Alive(now time.Time) bool {
	if !now.Before(s.ExpiresAt) {
		return false
	}
	if s.Stage == StageFull && now.Sub(s.LastSeenAt) >= SessionIdle {
		return false
	}
	return true
}

// NeedsTouch reports whether the last-seen time is old enough to be worth a
// write; it keeps the idle timer accurate to the minute without a write per
// request.
func (s Session) NeedsTouch(now time.Time) bool {
	return now.Sub(s.LastSeenAt) >= time.Minute
}

// Locked reports whether the account refuses sign-in at now.
func (a *Account) Locked(now time.Time) bool {
	return !a.LockedUntil.IsZero() && now.Before(a.LockedUntil)
}

var tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewToken returns a random 160-bit token, lower-case base32, with an
// optional prefix that says what it is (for instance "prc_" for API tokens,
// so that secret scanners can find leaked ones).
func NewToken(prefix string) string {
	var b [20]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return prefix + strings.ToLower(tokenEncoding.EncodeToString(b[:]))
}

// HashToken is the SHA-256 of a token, hex-encoded: what the database keeps.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// APIToken is a bearer token for the JSON API; only its hash is stored.
type APIToken struct {
	ID         int64
	AccountID  int64
	Name       string
	TokenHash  string
	CreatedAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// APITokenPrefix starts every API token.
const APITokenPrefix = "prc_"
