package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/person"
)

// CaseloadFilter narrows a professional's "my people" list.
type CaseloadFilter struct {
	Query        string // name (folded prefix of last, birth or first name)
	ReferentOnly bool
	Commune      string
	Limit        int
	Cursor       string // opaque, from the previous page
}

// CaseloadItem is a line of the list: identity and follow-up, nothing
// sensitive.
type CaseloadItem struct {
	PersonID     int64
	FirstName    string
	LastName     string
	BirthDate    time.Time
	CommuneINSEE string
	Referent     bool
	Since        time.Time
}

func encodeCursor(key string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(key + "\x00" + strconv.FormatInt(id, 10)))
}

func decodeCursor(c string) (string, int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", 0, false
	}
	key, idText, ok := strings.Cut(string(b), "\x00")
	id, err := strconv.ParseInt(idText, 10, 64)
	return key, id, ok && err == nil
}

// Caseload lists the people whose team the account is an active member of,
// ordered by last name, with keyset pagination. It returns the cursor of
// the next page, or "".
func (s *Store) Caseload(ctx context.Context, accountID int64, f CaseloadFilter) ([]CaseloadItem, string, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	q := `SELECT p.id, p.first_name, p.last_name, p.birth_date, p.commune_insee, tm.referent, tm.started_at, p.search_last
		FROM team_members tm JOIN persons p ON p.id = tm.person_id
		WHERE tm.account_id = ? AND tm.ended_at IS NULL`
	args := []any{accountID}
	if key := person.SearchKey(f.Query); key != "" {
		q += ` AND (p.search_last LIKE ? OR p.search_birth LIKE ? OR p.search_first LIKE ?)`
		like := escapeLike(key) + "%"
		args = append(args, like, like, like)
		q = strings.ReplaceAll(q, "LIKE ?", "LIKE ? ESCAPE '\\'")
	}
	if f.ReferentOnly {
		q += ` AND tm.referent`
	}
	if f.Commune != "" {
		q += ` AND p.commune_insee = ?`
		args = append(args, f.Commune)
	}
	if f.Cursor != "" {
		key, id, ok := decodeCursor(f.Cursor)
		if !ok {
			return nil, "", fmt.Errorf("store: caseload: %w", ErrNotFound)
		}
		q += ` AND (p.search_last > ? OR (p.search_last = ? AND p.id > ?))`
		args = append(args, key, key, id)
	}
	args = append(args, f.Limit+1)
	rows, err := s.reader().query(ctx, q+` ORDER BY p.search_last, p.id LIMIT ?`, args...)
	if err != nil {
		return nil, "", fmt.Errorf("store: caseload: %w", err)
	}
	defer rows.Close()
	var out []CaseloadItem
	var keys []string
	for rows.Next() {
		var it CaseloadItem
		var key string
		var since sql.NullTime
		if err := rows.Scan(&it.PersonID, &it.FirstName, &it.LastName, &it.BirthDate, &it.CommuneINSEE, &it.Referent, &since, &key); err != nil {
			return nil, "", fmt.Errorf("store: caseload: %w", err)
		}
		it.Since = timeOf(since)
		out = append(out, it)
		keys = append(keys, key)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("store: caseload: %w", err)
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = encodeCursor(keys[f.Limit-1], out[f.Limit-1].PersonID)
	}
	return out, next, nil
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
