package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/territory"
)

// CreateAccount inserts an account (memberships are added apart) and sets
// its ID. An email already taken is ErrConflict.
func (s *Store) CreateAccount(ctx context.Context, a *account.Account) error {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = time.Now().UTC()
	}
	id, err := s.writer().insertID(ctx, `INSERT INTO accounts
		(email, first_name, last_name, password_hash, totp_secret, totp_enabled, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.Email, a.FirstName, a.LastName, a.PasswordHash, a.TOTPSecret, a.TOTPEnabled, a.CreatedAt.UTC())
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: create account %s: %w", a.Email, ErrConflict)
		}
		return fmt.Errorf("store: create account: %w", err)
	}
	a.ID = id
	return nil
}

// AddMembership gives an account a role in a structure; adding it twice is
// harmless.
func (s *Store) AddMembership(ctx context.Context, accountID, structureID int64, role account.Role) error {
	_, err := s.writer().exec(ctx, `INSERT INTO memberships (account_id, structure_id, role, created_at)
		VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, accountID, structureID, string(role), time.Now().UTC())
	if err != nil {
		return fmt.Errorf("store: add membership: %w", err)
	}
	return nil
}

const accountColumns = `id, email, first_name, last_name, password_hash, totp_secret, totp_enabled,
	last_totp_step, failed_logins, locked_until, disabled_at, created_at`

func scanAccount(sc interface{ Scan(...any) error }) (account.Account, error) {
	var a account.Account
	var locked, disabled sql.NullTime
	err := sc.Scan(&a.ID, &a.Email, &a.FirstName, &a.LastName, &a.PasswordHash, &a.TOTPSecret, &a.TOTPEnabled,
		&a.LastTOTPStep, &a.FailedLogins, &locked, &disabled, &a.CreatedAt)
	a.LockedUntil, a.DisabledAt = timeOf(locked), timeOf(disabled)
	return a, err
}

// Account returns an account with its memberships.
func (s *Store) Account(ctx context.Context, id int64) (account.Account, error) {
	return s.accountWhere(ctx, "id = ?", id)
}

// AccountByEmail returns an account by its (normalised) email.
func (s *Store) AccountByEmail(ctx context.Context, email string) (account.Account, error) {
	return s.accountWhere(ctx, "email = ?", email)
}

func (s *Store) accountWhere(ctx context.Context, where string, arg any) (account.Account, error) {
	a, err := scanAccount(s.reader().queryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE `+where, arg))
	if err != nil {
		return a, fmt.Errorf("store: account: %w", notFound(err))
	}
	a.Memberships, err = s.memberships(ctx, a.ID)
	return a, err
}

func (s *Store) memberships(ctx context.Context, accountID int64) ([]account.Membership, error) {
	rows, err := s.reader().query(ctx, `SELECT m.structure_id, st.name, st.kind, st.territory_id, m.role
		FROM memberships m JOIN structures st ON st.id = m.structure_id
		WHERE m.account_id = ? ORDER BY st.name, m.role`, accountID)
	if err != nil {
		return nil, fmt.Errorf("store: memberships: %w", err)
	}
	defer rows.Close()
	var out []account.Membership
	for rows.Next() {
		m := account.Membership{AccountID: accountID}
		var kind, role string
		if err := rows.Scan(&m.StructureID, &m.StructureName, &kind, &m.TerritoryID, &role); err != nil {
			return nil, fmt.Errorf("store: memberships: %w", err)
		}
		m.StructureKind, m.Role = territory.Kind(kind), account.Role(role)
		out = append(out, m)
	}
	return out, rows.Err()
}

// AccountSummary is a line of an account list.
type AccountSummary struct {
	ID        int64
	Email     string
	Name      string
	Disabled  bool
	Structure string
	Roles     string
}

// SetPassword replaces an account's password hash and clears its lock.
func (s *Store) SetPassword(ctx context.Context, accountID int64, hash string) error {
	return s.execOne(ctx, "set password", `UPDATE accounts SET password_hash = ?, failed_logins = 0, locked_until = NULL
		WHERE id = ?`, hash, accountID)
}

// SetTOTP stores a TOTP secret; enabled says whether a code from it was
// confirmed.
func (s *Store) SetTOTP(ctx context.Context, accountID int64, secret string, enabled bool) error {
	return s.execOne(ctx, "set totp", `UPDATE accounts SET totp_secret = ?, totp_enabled = ?, last_totp_step = 0
		WHERE id = ?`, secret, enabled, accountID)
}

// AcceptTOTPStep records the TOTP step just used, so that it cannot be used
// again. It fails with ErrConflict when the step was already used (a replay
// racing with the first use).
func (s *Store) AcceptTOTPStep(ctx context.Context, accountID, step int64) error {
	res, err := s.writer().exec(ctx, `UPDATE accounts SET last_totp_step = ? WHERE id = ? AND last_totp_step < ?`,
		step, accountID, step)
	if err != nil {
		return fmt.Errorf("store: accept totp step: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("store: accept totp step: %w", ErrConflict)
	}
	return nil
}

// RecordLoginFailure counts a failed sign-in step and locks the account
// until lockUntil once the count reaches lockAfter. It returns the new count.
func (s *Store) RecordLoginFailure(ctx context.Context, accountID int64, lockAfter int, lockUntil time.Time) (int, error) {
	var n int
	err := s.tx(ctx, func(d db) error {
		if err := d.queryRow(ctx, `UPDATE accounts SET failed_logins = failed_logins + 1 WHERE id = ?
			RETURNING failed_logins`, accountID).Scan(&n); err != nil {
			return notFound(err)
		}
		if n >= lockAfter {
			_, err := d.exec(ctx, `UPDATE accounts SET locked_until = ?, failed_logins = 0 WHERE id = ?`,
				lockUntil.UTC(), accountID)
			return err
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: record login failure: %w", err)
	}
	return n, nil
}

// ClearLoginFailures resets the failure count after a successful sign-in.
func (s *Store) ClearLoginFailures(ctx context.Context, accountID int64) error {
	return s.execOne(ctx, "clear login failures",
		`UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = ?`, accountID)
}

// SetAccountDisabled disables (or enables again) an account. Disabling ends
// every session and revokes every API token in the same transaction.
func (s *Store) SetAccountDisabled(ctx context.Context, accountID int64, disabled bool, now time.Time) error {
	err := s.tx(ctx, func(d db) error {
		at := nullTime(time.Time{})
		if disabled {
			at = now.UTC()
		}
		res, err := d.exec(ctx, `UPDATE accounts SET disabled_at = ? WHERE id = ?`, at, accountID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrNotFound
		}
		if !disabled {
			return nil
		}
		if _, err := d.exec(ctx, `DELETE FROM sessions WHERE account_id = ?`, accountID); err != nil {
			return err
		}
		_, err = d.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL`,
			now.UTC(), accountID)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: disable account %d: %w", accountID, err)
	}
	return nil
}

// Accounts lists the accounts with a membership in the territory.
func (s *Store) Accounts(ctx context.Context, territoryID int64) ([]AccountSummary, error) {
	rows, err := s.reader().query(ctx, `SELECT a.id, a.email, a.first_name, a.last_name, a.disabled_at, st.name, m.role
		FROM accounts a JOIN memberships m ON m.account_id = a.id JOIN structures st ON st.id = m.structure_id
		WHERE st.territory_id = ? ORDER BY st.name, a.last_name, a.first_name, a.id, m.role`, territoryID)
	if err != nil {
		return nil, fmt.Errorf("store: accounts: %w", err)
	}
	defer rows.Close()
	var out []AccountSummary
	for rows.Next() {
		var a AccountSummary
		var first, last, role string
		var disabled sql.NullTime
		if err := rows.Scan(&a.ID, &a.Email, &first, &last, &disabled, &a.Structure, &role); err != nil {
			return nil, fmt.Errorf("store: accounts: %w", err)
		}
		a.Name, a.Disabled = first+" "+last, disabled.Valid
		a.Roles = account.Role(role).Label()
		if n := len(out); n > 0 && out[n-1].ID == a.ID && out[n-1].Structure == a.Structure {
			out[n-1].Roles += ", " + a.Roles
			continue
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// execOne runs a statement that must change exactly one row.
func (s *Store) execOne(ctx context.Context, what, q string, args ...any) error {
	res, err := s.writer().exec(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("store: %s: %w", what, ErrNotFound)
	}
	return nil
}
