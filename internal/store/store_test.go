package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/importer"
	"github.com/spie-parcours/parcours/internal/orientation"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
	"github.com/spie-parcours/parcours/internal/territory"
)

func fixture(t *testing.T, s *store.Store) (territory.Territory, territory.Structure, account.Account) {
	t.Helper()
	ctx := context.Background()
	tr := territory.Territory{Code: "90", Name: "Territoire de Belfort"}
	if err := s.CreateTerritory(ctx, &tr); err != nil {
		t.Fatal(err)
	}
	st := territory.Structure{TerritoryID: tr.ID, Kind: territory.KindCCAS, Name: "CCAS de Belfort"}
	if err := s.CreateStructure(ctx, &st); err != nil {
		t.Fatal(err)
	}
	a := account.Account{Email: "ts@ccas.example", FirstName: "Awa", LastName: "Diallo", PasswordHash: "x"}
	if err := s.CreateAccount(ctx, &a); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMembership(ctx, a.ID, st.ID, account.RoleProfessional); err != nil {
		t.Fatal(err)
	}
	return tr, st, a
}

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		got, err := s.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 0 {
			t.Errorf("second Migrate applied %v, want nothing", got)
		}
	})
}

func TestAccountRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		_, st, a := fixture(t, s)
		got, err := s.AccountByEmail(ctx, "ts@ccas.example")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != a.ID || got.FirstName != "Awa" || got.Disabled() || got.TOTPEnabled {
			t.Errorf("got %+v", got)
		}
		if len(got.Memberships) != 1 || got.Memberships[0].StructureID != st.ID ||
			got.Memberships[0].StructureKind != territory.KindCCAS || got.Memberships[0].Role != account.RoleProfessional {
			t.Errorf("memberships = %+v", got.Memberships)
		}
		dup := account.Account{Email: "ts@ccas.example"}
		if err := s.CreateAccount(ctx, &dup); !errors.Is(err, store.ErrConflict) {
			t.Errorf("duplicate email: err = %v, want ErrConflict", err)
		}
		if _, err := s.AccountByEmail(ctx, "nobody@example.org"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown email: err = %v, want ErrNotFound", err)
		}
	})
}

func TestLoginFailuresLock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		_, _, a := fixture(t, s)
		now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
		for i := 1; i <= account.LockAfter; i++ {
			n, err := s.RecordLoginFailure(ctx, a.ID, account.LockAfter, now.Add(account.LockFor))
			if err != nil {
				t.Fatal(err)
			}
			if n != i {
				t.Fatalf("failure %d counted as %d", i, n)
			}
		}
		got, _ := s.Account(ctx, a.ID)
		if !got.Locked(now) || !got.Locked(now.Add(account.LockFor-time.Second)) || got.Locked(now.Add(account.LockFor)) {
			t.Errorf("locked until %v, want %v", got.LockedUntil, now.Add(account.LockFor))
		}
		if err := s.ClearLoginFailures(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Account(ctx, a.ID)
		if got.Locked(now) || got.FailedLogins != 0 {
			t.Errorf("after clear: %+v", got)
		}
	})
}

func TestTOTPStepReplay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		_, _, a := fixture(t, s)
		if err := s.AcceptTOTPStep(ctx, a.ID, 100); err != nil {
			t.Fatal(err)
		}
		if err := s.AcceptTOTPStep(ctx, a.ID, 100); !errors.Is(err, store.ErrConflict) {
			t.Errorf("same step twice: err = %v, want ErrConflict", err)
		}
		if err := s.AcceptTOTPStep(ctx, a.ID, 101); err != nil {
			t.Errorf("next step: %v", err)
		}
	})
}

func TestSessionsAndDisable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		_, _, a := fixture(t, s)
		now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
		pending, _ := account.NewSession(a.ID, account.StagePassword, now)
		if err := s.CreateSession(ctx, pending); err != nil {
			t.Fatal(err)
		}
		full, _ := account.NewSession(a.ID, account.StageFull, now)
		if err := s.ReplaceSession(ctx, pending.TokenHash, full); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, pending.TokenHash); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("old session still there: %v", err)
		}
		if err := s.ReplaceSession(ctx, pending.TokenHash, full); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("replacing a used session: err = %v, want ErrNotFound", err)
		}
		got, err := s.Session(ctx, full.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		if got.Stage != account.StageFull || !got.ExpiresAt.Equal(now.Add(account.SessionAbsolute)) {
			t.Errorf("session = %+v", got)
		}
		tok := account.APIToken{AccountID: a.ID, Name: "test", TokenHash: account.HashToken("prc_x")}
		if err := s.CreateAPIToken(ctx, &tok); err != nil {
			t.Fatal(err)
		}
		if err := s.SetAccountDisabled(ctx, a.ID, true, now); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, full.TokenHash); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session of a disabled account: err = %v, want ErrNotFound", err)
		}
		gotTok, err := s.APITokenByHash(ctx, tok.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		if gotTok.RevokedAt.IsZero() {
			t.Error("token of a disabled account not revoked")
		}
		acc, _ := s.Account(ctx, a.ID)
		if !acc.Disabled() {
			t.Error("account not disabled")
		}
	})
}

func TestPasswordResetSingleUse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		_, _, a := fixture(t, s)
		now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
		h := account.HashToken("reset-token")
		if err := s.CreatePasswordReset(ctx, a.ID, h, now, now.Add(account.ResetLifetime)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ResetPassword(ctx, h, "new", now.Add(account.ResetLifetime)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired reset: err = %v, want ErrNotFound", err)
		}
		id, err := s.ResetPassword(ctx, h, "new", now.Add(account.ResetLifetime-time.Second))
		if err != nil || id != a.ID {
			t.Fatalf("reset = %d, %v", id, err)
		}
		if _, err := s.ResetPassword(ctx, h, "again", now.Add(time.Second)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("second use: err = %v, want ErrNotFound", err)
		}
		got, _ := s.Account(ctx, a.ID)
		if got.PasswordHash != "new" {
			t.Errorf("password hash = %q", got.PasswordHash)
		}
	})
}

func TestAuthFailuresWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
		for i := range 5 {
			if err := s.AddAuthFailure(ctx, "192.0.2.1", now.Add(time.Duration(i)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.AuthFailures(ctx, "192.0.2.1", now.Add(2*time.Minute))
		if err != nil || n != 3 {
			t.Errorf("failures since +2 min = %d, %v; want 3", n, err)
		}
		if n, _ := s.AuthFailures(ctx, "192.0.2.2", now); n != 0 {
			t.Errorf("other address = %d, want 0", n)
		}
	})
}

func TestInsertPersonsKeepsOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tr, _, _ := fixture(t, s)
		ps := make([]person.Person, 1203)
		for i := range ps {
			ps[i] = person.Person{TerritoryID: tr.ID, FirstName: "P", LastName: string(rune('A' + i%26)),
				BirthDate: time.Date(1990, 1, 1+i%28, 0, 0, 0, 0, time.UTC)}
			if i%2 == 0 {
				ps[i].CAFNumber = "C" + time.Duration(i).String()
			}
		}
		if err := s.InsertPersons(ctx, ps); err != nil {
			t.Fatal(err)
		}
		n, _ := s.CountPersons(ctx, tr.ID)
		if n != len(ps) {
			t.Errorf("count = %d, want %d", n, len(ps))
		}
		for i := 1; i < len(ps); i++ {
			if ps[i].ID <= ps[i-1].ID {
				t.Fatalf("ids not increasing at %d: %d then %d", i, ps[i-1].ID, ps[i].ID)
			}
		}
		dup := []person.Person{{TerritoryID: tr.ID, FirstName: "X", LastName: "Y", BirthDate: ps[0].BirthDate, CAFNumber: ps[0].CAFNumber}}
		if err := s.InsertPersons(ctx, dup); !errors.Is(err, store.ErrConflict) {
			t.Errorf("duplicate CAF number: err = %v, want ErrConflict", err)
		}
	})
}

func TestOpenRefusesBadPaths(t *testing.T) {
	ctx := context.Background()
	for _, dsn := range []string{
		filepath.Join(t.TempDir(), "missing", "dir", "x.db"),
		"postgres://%zz",
	} {
		if s, err := store.Open(ctx, dsn); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", dsn)
		}
	}
}

// TestPostgresSuite says, in the verbose output, whether the PostgreSQL
// half of the store suite ran.
func TestPostgresSuite(t *testing.T) {
	if len(storetest.Engines(t)) == 1 {
		t.Skipf("%s non défini : suite PostgreSQL ignorée", storetest.EnvPostgres)
	}
}

// TestImportCommitPartialBatch commits an import whose row count is not a
// multiple of the batch size: the last, shorter batch has its own statement.
func TestImportCommitPartialBatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tr, st, a := fixture(t, s)
		var planned []importer.Planned
		for i := range 1203 {
			p := person.Person{FirstName: "Léa", LastName: "Nom" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676)),
				BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)}
			planned = append(planned, importer.Planned{Row: importer.Row{Line: i + 2, Person: p}, Action: importer.ActionCreate})
		}
		imp := store.Import{TerritoryID: tr.ID, StructureID: st.ID, AccountID: a.ID, Filename: "x.csv", Mapping: "{}"}
		if err := s.CreateImport(ctx, &imp, planned); err != nil {
			t.Fatal(err)
		}
		sum, err := s.CommitImport(ctx, imp.ID, orientation.DefaultRules(), store.Actor{AccountID: a.ID, StructureID: st.ID})
		if err != nil || sum.Create != 1203 {
			t.Fatalf("commit: %+v %v", sum, err)
		}
		if n, _ := s.CountPersons(ctx, tr.ID); n != 1203 {
			t.Errorf("%d persons, want 1203", n)
		}
		if n, _ := s.CountOrientations(ctx, tr.ID); n != 1203 {
			t.Errorf("%d orientations, want 1203", n)
		}
	})
}
