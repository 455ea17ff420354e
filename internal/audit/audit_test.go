package audit_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/audit"
)

// The golden hashes were computed outside Go, with printf and sha256sum, as
// the doc comment of Hash tells an auditor to do.
func TestHashGolden(t *testing.T) {
	paris := time.FixedZone("Europe/Paris", 3600)
	first := audit.Entry{
		At:        time.Date(2026, 11, 26, 9, 30, 0, 123456000, time.UTC),
		AccountID: 7, StructureID: 3, PersonID: 42,
		Section: "sante", Action: audit.ActionRead, Outcome: audit.Allowed,
	}
	second := audit.Entry{
		At:        time.Date(2026, 11, 26, 9, 31, 0, 0, paris), // 08:31 UTC
		AccountID: 8, PersonID: 42,
		Action: audit.ActionRead, Outcome: audit.Denied, Reason: "hors équipe",
	}
	tests := []struct {
		name string
		prev string
		e    audit.Entry
		want string
	}{
		{"first entry", audit.GenesisHash, first, "a706c471e0f1610df64c81cd0d775069509bb0ed8f23106d5e97daf83995f028"},
		{"local time and accents", "a706c471e0f1610df64c81cd0d775069509bb0ed8f23106d5e97daf83995f028", second, "de6fefb820b412dc534e70bfd6d3d10ba64868e4dfe100d4380b409d9c4b59d2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := audit.Hash(tt.prev, tt.e); got != tt.want {
				t.Errorf("Hash = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestHashCoversEveryField(t *testing.T) {
	base := audit.Entry{
		ID: 5, At: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC),
		AccountID: 1, StructureID: 2, PersonID: 3,
		Section: "ab", Action: audit.ActionUpdate, Outcome: audit.Allowed, Reason: "c",
	}
	want := audit.Hash(audit.GenesisHash, base)
	changes := map[string]func(e *audit.Entry){
		"at":               func(e *audit.Entry) { e.At = e.At.Add(time.Microsecond) },
		"account":          func(e *audit.Entry) { e.AccountID = 9 },
		"structure":        func(e *audit.Entry) { e.StructureID = 9 },
		"person":           func(e *audit.Entry) { e.PersonID = 9 },
		"section":          func(e *audit.Entry) { e.Section = "ax" },
		"action":           func(e *audit.Entry) { e.Action = audit.ActionRead },
		"outcome":          func(e *audit.Entry) { e.Outcome = audit.Denied },
		"reason":           func(e *audit.Entry) { e.Reason = "d" },
		"text moved":       func(e *audit.Entry) { e.Section, e.Reason = "a", "bc" },
		"ids moved":        func(e *audit.Entry) { e.AccountID, e.StructureID = 12, 0 },
		"digits into text": func(e *audit.Entry) { e.PersonID, e.Section = 0, "3ab" },
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			e := base
			change(&e)
			if got := audit.Hash(audit.GenesisHash, e); got == want {
				t.Errorf("hash unchanged after changing %s", name)
			}
		})
	}
	t.Run("prev", func(t *testing.T) {
		if audit.Hash(strings.Repeat("1", 64), base) == want {
			t.Error("hash unchanged after changing prev")
		}
	})
	t.Run("id and hash are not hashed", func(t *testing.T) {
		e := base
		e.ID, e.Hash, e.PrevHash = 99, "x", "y"
		if got := audit.Hash(audit.GenesisHash, e); got != want {
			t.Errorf("hash changed with ID/Hash/PrevHash fields: %s", got)
		}
	})
	t.Run("same instant in another zone", func(t *testing.T) {
		e := base
		e.At = e.At.In(time.FixedZone("UTC+5", 5*3600))
		if got := audit.Hash(audit.GenesisHash, e); got != want {
			t.Errorf("hash depends on the time zone: %s", got)
		}
	})
}

// chain builds n intact entries.
func chain(n int) []audit.Entry {
	es := make([]audit.Entry, n)
	prev := audit.GenesisHash
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	for i := range es {
		e := audit.Entry{
			ID: int64(i + 1), At: at.Add(time.Duration(i) * time.Second),
			AccountID: 7, StructureID: 3, PersonID: int64(100 + i%3),
			Action: audit.ActionRead, Outcome: audit.Allowed, PrevHash: prev,
		}
		e.Hash = audit.Hash(prev, e)
		prev = e.Hash
		es[i] = e
	}
	return es
}

// from gives the entries one by one, as a store walk would.
func from(es []audit.Entry) func() (audit.Entry, bool, error) {
	i := 0
	return func() (audit.Entry, bool, error) {
		if i == len(es) {
			return audit.Entry{}, false, nil
		}
		i++
		return es[i-1], true, nil
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name    string
		tamper  func(es []audit.Entry) []audit.Entry
		checked int
		want    string // the error, empty when the chain is intact
	}{
		{"intact", func(es []audit.Entry) []audit.Entry { return es }, 10, ""},
		{"empty", func(es []audit.Entry) []audit.Entry { return nil }, 0, ""},
		{"changed field", func(es []audit.Entry) []audit.Entry {
			es[4].PersonID = 999
			return es
		}, 4, "entrée n° 5 : empreinte incorrecte (modifiée ?)"},
		{"changed hash", func(es []audit.Entry) []audit.Entry {
			es[4].Hash = strings.Repeat("f", 64)
			return es
		}, 4, "entrée n° 5 : empreinte incorrecte (modifiée ?)"},
		{"deleted in the middle", func(es []audit.Entry) []audit.Entry {
			return append(es[:4:4], es[5:]...)
		}, 4, "entrée n° 5 manquante (supprimée ?)"},
		{"several deleted", func(es []audit.Entry) []audit.Entry {
			return append(es[:4:4], es[7:]...)
		}, 4, "entrées n° 5 à 7 manquantes (supprimées ?)"},
		{"first deleted", func(es []audit.Entry) []audit.Entry { return es[1:] }, 0, "entrée n° 1 manquante (supprimée ?)"},
		{"re-hashed forgery", func(es []audit.Entry) []audit.Entry {
			es[4].AccountID = 666
			es[4].Hash = audit.Hash(es[4].PrevHash, es[4])
			return es
		}, 5, "entrée n° 6 : chaînage rompu (entrée précédente supprimée ou modifiée ?)"},
		{"deleted and renumbered", func(es []audit.Entry) []audit.Entry {
			out := append(es[:4:4], es[5:]...)
			for i := 4; i < len(out); i++ {
				out[i].ID--
			}
			return out
		}, 4, "entrée n° 5 : chaînage rompu (entrée précédente supprimée ou modifiée ?)"},
		{"swapped", func(es []audit.Entry) []audit.Entry {
			es[3], es[4] = es[4], es[3]
			return es
		}, 3, "entrée n° 4 manquante (supprimée ?)"}, // entry 5 comes where 4 is expected
		{"duplicated", func(es []audit.Entry) []audit.Entry {
			return append(es[:5:5], es[4:]...)
		}, 5, "entrée n° 5 : hors d'ordre ou en double"},
		// The chain alone cannot see that the newest entries are gone: the
		// rest is a valid chain. "parcours audit verify" prints the last
		// number and hash so that they can be compared with a previous run.
		{"last deleted (not detectable)", func(es []audit.Entry) []audit.Entry { return es[:9] }, 9, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checked, err := audit.Verify(from(tt.tamper(chain(10))))
			if checked != tt.checked {
				t.Errorf("checked = %d, want %d", checked, tt.checked)
			}
			if tt.want == "" {
				if err != nil {
					t.Errorf("err = %v, want nil", err)
				}
				return
			}
			var b *audit.Broken
			if !errors.As(err, &b) {
				t.Fatalf("err = %v, want *audit.Broken", err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("err = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestVerifyStopsOnReadError(t *testing.T) {
	es := chain(3)
	boom := errors.New("disque illisible")
	i := 0
	checked, err := audit.Verify(func() (audit.Entry, bool, error) {
		if i == 2 {
			return audit.Entry{}, false, boom
		}
		i++
		return es[i-1], true, nil
	})
	if !errors.Is(err, boom) || checked != 2 {
		t.Errorf("Verify = %d, %v; want 2, %v", checked, err, boom)
	}
}

func TestValidate(t *testing.T) {
	ok := audit.Entry{Action: audit.ActionExport, Outcome: audit.Denied, Section: "santé"}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid entry: %v", err)
	}
	bad := map[string]audit.Entry{
		"no action":       {Outcome: audit.Allowed},
		"unknown action":  {Action: "peek", Outcome: audit.Allowed},
		"unknown outcome": {Action: audit.ActionRead, Outcome: "maybe"},
		"NUL in reason":   {Action: audit.ActionRead, Outcome: audit.Allowed, Reason: "a\x00b"},
		"bad UTF-8":       {Action: audit.ActionRead, Outcome: audit.Allowed, Section: "\xff"},
	}
	for name, e := range bad {
		if err := e.Validate(); err == nil {
			t.Errorf("%s: Validate accepted %+v", name, e)
		}
	}
}
