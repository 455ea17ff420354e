package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/territory"
)

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, se account.Session) error {
	_, err := s.writer().exec(ctx, `INSERT INTO sessions (token_hash, account_id, stage, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, se.TokenHash, se.AccountID, string(se.Stage),
		se.CreatedAt.UTC(), se.LastSeenAt.UTC(), se.ExpiresAt.UTC())
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// ReplaceSession swaps a session for a new one in one transaction: the
// token rotation at each step of the sign-in.
func (s *Store) ReplaceSession(ctx context.Context, oldHash string, se account.Session) error {
	err := s.tx(ctx, func(d db) error {
		res, err := d.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, oldHash)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrNotFound
		}
		_, err = d.exec(ctx, `INSERT INTO sessions (token_hash, account_id, stage, created_at, last_seen_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, se.TokenHash, se.AccountID, string(se.Stage),
			se.CreatedAt.UTC(), se.LastSeenAt.UTC(), se.ExpiresAt.UTC())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: replace session: %w", err)
	}
	return nil
}

// Session returns a session by the hash of its token.
func (s *Store) Session(ctx context.Context, tokenHash string) (account.Session, error) {
	var se account.Session
	var stage string
	err := s.reader().queryRow(ctx, `SELECT token_hash, account_id, stage, created_at, last_seen_at, expires_at
		FROM sessions WHERE token_hash = ?`, tokenHash).
		Scan(&se.TokenHash, &se.AccountID, &stage, &se.CreatedAt, &se.LastSeenAt, &se.ExpiresAt)
	if err != nil {
		return se, fmt.Errorf("store: session: %w", notFound(err))
	}
	se.Stage = account.Stage(stage)
	return se, nil
}

// TouchSession moves a session's last-seen time forward.
func (s *Store) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	_, err := s.writer().exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`, at.UTC(), tokenHash)
	if err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := s.writer().exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their absolute end or idle
// for longer than the idle limit, and returns how many it removed.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.writer().exec(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?`,
		now.UTC(), now.Add(-account.SessionIdle).UTC())
	if err != nil {
		return 0, fmt.Errorf("store: delete expired sessions: %w", err)
	}
	return res.RowsAffected()
}

// CreateAPIToken stores a token's hash and sets its ID.
func (s *Store) CreateAPIToken(ctx context.Context, t *account.APIToken) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = time.Now().UTC()
	}
	id, err := s.writer().insertID(ctx, `INSERT INTO api_tokens (account_id, name, token_hash, created_at)
		VALUES (?, ?, ?, ?)`, t.AccountID, t.Name, t.TokenHash, t.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("store: create api token: %w", err)
	}
	t.ID = id
	return nil
}

// #nosec G101 -- column names, no credential
const apiTokenColumns = `id, account_id, name, token_hash, created_at, last_used_at, revoked_at`

func scanAPIToken(sc interface{ Scan(...any) error }) (account.APIToken, error) {
	var t account.APIToken
	var used, revoked sql.NullTime
	err := sc.Scan(&t.ID, &t.AccountID, &t.Name, &t.TokenHash, &t.CreatedAt, &used, &revoked)
	t.LastUsedAt, t.RevokedAt = timeOf(used), timeOf(revoked)
	return t, err
}

// APITokenByHash returns a token by the hash of its value.
func (s *Store) APITokenByHash(ctx context.Context, hash string) (account.APIToken, error) {
	t, err := scanAPIToken(s.reader().queryRow(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE token_hash = ?`, hash))
	if err != nil {
		return t, fmt.Errorf("store: api token: %w", notFound(err))
	}
	return t, nil
}

// APITokens lists an account's tokens, newest first.
func (s *Store) APITokens(ctx context.Context, accountID int64) ([]account.APIToken, error) {
	rows, err := s.reader().query(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE account_id = ?
		ORDER BY id DESC`, accountID)
	if err != nil {
		return nil, fmt.Errorf("store: api tokens: %w", err)
	}
	defer rows.Close()
	var out []account.APIToken
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, fmt.Errorf("store: api tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TouchAPIToken records a token's use.
func (s *Store) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	_, err := s.writer().exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, at.UTC(), id)
	if err != nil {
		return fmt.Errorf("store: touch api token: %w", err)
	}
	return nil
}

// RevokeAPIToken revokes one of an account's tokens.
func (s *Store) RevokeAPIToken(ctx context.Context, accountID, id int64, at time.Time) error {
	return s.execOne(ctx, "revoke api token", `UPDATE api_tokens SET revoked_at = ?
		WHERE id = ? AND account_id = ? AND revoked_at IS NULL`, at.UTC(), id, accountID)
}

// CreatePasswordReset stores the hash of a single-use reset token.
func (s *Store) CreatePasswordReset(ctx context.Context, accountID int64, tokenHash string, now, expires time.Time) error {
	_, err := s.writer().exec(ctx, `INSERT INTO password_resets (token_hash, account_id, created_at, expires_at)
		VALUES (?, ?, ?, ?)`, tokenHash, accountID, now.UTC(), expires.UTC())
	if err != nil {
		return fmt.Errorf("store: create password reset: %w", err)
	}
	return nil
}

// PasswordReset returns the account a live, unused reset token is for,
// without using it.
func (s *Store) PasswordReset(ctx context.Context, tokenHash string, now time.Time) (int64, error) {
	var id int64
	err := s.reader().queryRow(ctx, `SELECT account_id FROM password_resets
		WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`, tokenHash, now.UTC()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: password reset: %w", notFound(err))
	}
	return id, nil
}

// ResetPassword uses a reset token once: it sets the new password hash,
// clears the lock, ends every session of the account, and marks the token
// used, all in one transaction. A used, expired or unknown token is
// ErrNotFound.
func (s *Store) ResetPassword(ctx context.Context, tokenHash, newHash string, now time.Time) (int64, error) {
	var id int64
	err := s.tx(ctx, func(d db) error {
		err := d.queryRow(ctx, `UPDATE password_resets SET used_at = ?
			WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING account_id`,
			now.UTC(), tokenHash, now.UTC()).Scan(&id)
		if err != nil {
			return notFound(err)
		}
		if _, err := d.exec(ctx, `UPDATE accounts SET password_hash = ?, failed_logins = 0, locked_until = NULL
			WHERE id = ?`, newHash, id); err != nil {
			return err
		}
		_, err = d.exec(ctx, `DELETE FROM sessions WHERE account_id = ?`, id)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: reset password: %w", err)
	}
	return id, nil
}

// AddAuthFailure records a failed sign-in from an address, and forgets
// failures older than a day.
func (s *Store) AddAuthFailure(ctx context.Context, ip string, at time.Time) error {
	err := s.tx(ctx, func(d db) error {
		if _, err := d.exec(ctx, `INSERT INTO auth_failures (ip, at) VALUES (?, ?)`, ip, at.UTC()); err != nil {
			return err
		}
		_, err := d.exec(ctx, `DELETE FROM auth_failures WHERE at < ?`, at.Add(-24*time.Hour).UTC())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: add auth failure: %w", err)
	}
	return nil
}

// AuthFailures counts the failed sign-ins from an address since a time.
func (s *Store) AuthFailures(ctx context.Context, ip string, since time.Time) (int, error) {
	var n int
	if err := s.reader().queryRow(ctx, `SELECT COUNT(*) FROM auth_failures WHERE ip = ? AND at >= ?`,
		ip, since.UTC()).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: auth failures: %w", err)
	}
	return n, nil
}

// AccountByAPIToken returns a token by the hash of its value together with
// its account and memberships, in one query: the read of every API request.
func (s *Store) AccountByAPIToken(ctx context.Context, hash string) (account.APIToken, account.Account, error) {
	var t account.APIToken
	var a account.Account
	rows, err := s.reader().query(ctx, `SELECT t.id, t.account_id, t.name, t.created_at, t.last_used_at, t.revoked_at,
		a.email, a.first_name, a.last_name, a.totp_enabled, a.locked_until, a.disabled_at, a.created_at,
		m.structure_id, st.name, st.kind, st.territory_id, m.role
		FROM api_tokens t JOIN accounts a ON a.id = t.account_id
		LEFT JOIN memberships m ON m.account_id = a.id LEFT JOIN structures st ON st.id = m.structure_id
		WHERE t.token_hash = ? ORDER BY st.name, m.role`, hash)
	if err != nil {
		return t, a, fmt.Errorf("store: api token: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var used, revoked, locked, disabled sql.NullTime
		var sid, tid sql.NullInt64
		var sname, kind, role sql.NullString
		if err := rows.Scan(&t.ID, &t.AccountID, &t.Name, &t.CreatedAt, &used, &revoked,
			&a.Email, &a.FirstName, &a.LastName, &a.TOTPEnabled, &locked, &disabled, &a.CreatedAt,
			&sid, &sname, &kind, &tid, &role); err != nil {
			return t, a, fmt.Errorf("store: api token: %w", err)
		}
		t.LastUsedAt, t.RevokedAt = timeOf(used), timeOf(revoked)
		a.ID, a.LockedUntil, a.DisabledAt = t.AccountID, timeOf(locked), timeOf(disabled)
		if sid.Valid {
			a.Memberships = append(a.Memberships, account.Membership{AccountID: a.ID, StructureID: sid.Int64,
				StructureName: sname.String, StructureKind: territory.Kind(kind.String), TerritoryID: tid.Int64,
				Role: account.Role(role.String)})
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return t, a, fmt.Errorf("store: api token: %w", err)
	}
	if n == 0 {
		return t, a, fmt.Errorf("store: api token: %w", ErrNotFound)
	}
	t.TokenHash = hash
	return t, a, nil
}
