// Package audit holds the audit trail's entries and the hash chain that makes
// tampering visible. Every read and write of a person's data writes one entry:
// who (account and structure), when, which person, which section, what was
// done and whether it was allowed. An entry never holds a sensitive value.
//
// Each entry carries the hash of the entry before it (PrevHash) and its own
// hash (Hash), computed over PrevHash and its fields, so that changing,
// inserting or deleting an entry in the middle breaks the chain from that
// point on. Verify walks the chain and names the first broken entry.
//
// The chain alone cannot see that the newest entries were removed (the
// remaining chain is still valid), nor a chain recomputed from the tampered
// entry to the end: that needs an anchor kept outside the database, such as
// the last hash printed by "parcours audit verify" or shipped to a separate
// log sink.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Entry is one line of the audit trail. IDs are consecutive from 1: the
// store assigns them, with the hashes, when it appends the entry. A zero
// AccountID, StructureID or PersonID means "none" (stored as NULL).
type Entry struct {
	ID          int64
	At          time.Time
	AccountID   int64
	StructureID int64
	PersonID    int64
	Section     string // the part of the record concerned ("sante", "justice"…), empty for the whole record
	Action      string // one of the Action constants
	Outcome     string // Allowed or Denied
	Reason      string // why, without sensitive values: "hors équipe", "dérogation consentement"…
	PrevHash    string // Hash of the entry before, GenesisHash for the first
	Hash        string // Hash(PrevHash, entry)
}

// The actions an entry records.
const (
	ActionRead   = "read"
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
	ActionLookup = "lookup" // a search that named the person
	ActionExport = "export"
)

// The outcomes of an access.
const (
	Allowed = "allowed"
	Denied  = "denied"
)

// GenesisHash is the PrevHash of the first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// formatVersion opens every hashed message, so that a future format cannot
// be mistaken for this one.
const formatVersion = "parcours-audit-v1"

// timeFormat is RFC 3339 in UTC with exactly nine fractional digits.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

// Hash returns the entry's hash chained to prev: the lowercase hexadecimal
// SHA-256 of ten netstrings (D. J. Bernstein's "<length>:<bytes>,", the
// length in bytes as a decimal number) written one after the other:
//
//	"parcours-audit-v1", prev, At, AccountID, StructureID, PersonID,
//	Section, Action, Outcome, Reason
//
// At is written in UTC as RFC 3339 with exactly nine fractional digits
// ("2026-11-26T09:30:00.123456000Z"); the IDs as decimal numbers, 0 for
// none; the strings as their UTF-8 bytes. ID and Hash are not hashed. An
// auditor can recompute a hash with standard tools, for example:
//
//	printf '17:parcours-audit-v1,64:<prev>,30:<at>,1:7,1:3,2:42,0:,4:read,7:allowed,0:,' | sha256sum
//
// The store keeps At to the microsecond (PostgreSQL's precision) before
// hashing, so the last three fractional digits are always zero.
func Hash(prev string, e Entry) string {
	h := sha256.New()
	var buf []byte
	for _, f := range [...]string{
		formatVersion,
		prev,
		e.At.UTC().Format(timeFormat),
		strconv.FormatInt(e.AccountID, 10),
		strconv.FormatInt(e.StructureID, 10),
		strconv.FormatInt(e.PersonID, 10),
		e.Section,
		e.Action,
		e.Outcome,
		e.Reason,
	} {
		buf = strconv.AppendInt(buf[:0], int64(len(f)), 10)
		buf = append(buf, ':')
		buf = append(buf, f...)
		buf = append(buf, ',')
		h.Write(buf)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Validate checks an entry before it is appended: a known action and
// outcome, and text that both engines store as is (valid UTF-8, no NUL
// byte). A bad entry must fail alone, not the batch it would be written with.
func (e Entry) Validate() error {
	switch e.Action {
	case ActionRead, ActionCreate, ActionUpdate, ActionDelete, ActionLookup, ActionExport:
	default:
		return fmt.Errorf("audit : action inconnue %q", e.Action)
	}
	switch e.Outcome {
	case Allowed, Denied:
	default:
		return fmt.Errorf("audit : résultat inconnu %q", e.Outcome)
	}
	for _, s := range []string{e.Section, e.Reason} {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return errors.New("audit : texte invalide (UTF-8 mal formé ou caractère nul)")
		}
	}
	return nil
}

// Broken names the first entry where the chain does not hold.
type Broken struct {
	ID      int64  // the first entry found broken, or the first one missing
	Missing int64  // how many consecutive entries are missing from ID on; 0 otherwise
	Reason  string // what is wrong with entry ID, when nothing is missing
}

// Error says, in French, which entry is broken and why.
func (b *Broken) Error() string {
	switch {
	case b.Missing == 1:
		return fmt.Sprintf("entrée n° %d manquante (supprimée ?)", b.ID)
	case b.Missing > 1:
		return fmt.Sprintf("entrées n° %d à %d manquantes (supprimées ?)", b.ID, b.ID+b.Missing-1)
	}
	return fmt.Sprintf("entrée n° %d : %s", b.ID, b.Reason)
}

// The reasons Verify gives.
const (
	reasonHash  = "empreinte incorrecte (modifiée ?)"
	reasonChain = "chaînage rompu (entrée précédente supprimée ou modifiée ?)"
	reasonOrder = "hors d'ordre ou en double"
)

// Verify walks the entries given by next in ID order and checks the chain:
// IDs are consecutive from 1 (a gap means deleted entries), each PrevHash is
// the previous entry's Hash (GenesisHash for the first), and each Hash is
// Hash(PrevHash, entry). It returns how many entries it found intact and, at
// the first one that is not, a *Broken naming it. next returns false when
// there are no more entries; its error stops the walk and is returned as is.
//
// Verify cannot see that the newest entries were removed: compare the count
// and last hash with those of a previous verification kept elsewhere.
func Verify(next func() (Entry, bool, error)) (checked int, err error) {
	want := int64(1)
	prev := GenesisHash
	for {
		e, ok, err := next()
		if err != nil {
			return checked, err
		}
		if !ok {
			return checked, nil
		}
		switch {
		case e.ID > want:
			return checked, &Broken{ID: want, Missing: e.ID - want}
		case e.ID < want:
			return checked, &Broken{ID: e.ID, Reason: reasonOrder}
		case e.PrevHash != prev:
			return checked, &Broken{ID: e.ID, Reason: reasonChain}
		case e.Hash != Hash(e.PrevHash, e):
			return checked, &Broken{ID: e.ID, Reason: reasonHash}
		}
		checked++
		want++
		prev = e.Hash
	}
}
