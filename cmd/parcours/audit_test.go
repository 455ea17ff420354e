package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spie-parcours/parcours/internal/audit"
	"github.com/spie-parcours/parcours/internal/store/storetest"
)

// auditCLI runs "parcours audit …" through run once the command is in the
// table of run.go, and until then through cmdAudit with run's exit
// statuses and error line.
func auditCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if _, ok := commands()["audit"]; ok {
		return runCLI(t, nil, args...)
	}
	var out, errb bytes.Buffer
	e := &env{ctx: context.Background(), getenv: func(string) string { return "" },
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	err := cmdAudit(e, args[1:])
	var ue usageError
	switch {
	case err == nil:
	case errors.As(err, &ue):
		code = 2
	default:
		code = 1
	}
	if err != nil {
		fmt.Fprintf(&errb, "parcours : %v\n", err)
	}
	return code, out.String(), errb.String()
}

func TestAuditVerify(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "parcours.db")

	code, stdout, stderr := auditCLI(t, "audit", "verify", "--db", path)
	if code != 0 || !strings.Contains(stdout, "Journal d'audit intact : 0 entrée vérifiée.") {
		t.Fatalf("empty trail: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	st := storetest.OpenDSN(t, path)
	for i := range 5 {
		e := audit.Entry{AccountID: 7, StructureID: 3, PersonID: int64(40 + i), Action: audit.ActionRead, Outcome: audit.Allowed}
		if err := st.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr = auditCLI(t, "audit", "verify", "--db", path)
	if code != 0 || !strings.Contains(stdout, "Journal d'audit intact : 5 entrées vérifiées.") ||
		!strings.Contains(stdout, "Dernière entrée : n° 5, empreinte ") {
		t.Fatalf("intact trail: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("UPDATE audit_entries SET person_id = 99 WHERE id = 3"); err == nil {
		t.Fatal("the database let an audit entry be changed")
	}
	for _, q := range []string{
		"DROP TRIGGER audit_entries_no_update",
		"UPDATE audit_entries SET person_id = 99 WHERE id = 3",
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	code, stdout, stderr = auditCLI(t, "audit", "verify", "--db", path)
	if code != 1 || !strings.Contains(stderr, "entrée n° 3 : empreinte incorrecte") || strings.Contains(stdout, "intact") {
		t.Errorf("tampered trail: exit %d, stdout %q, stderr %q; want exit 1 naming entry 3", code, stdout, stderr)
	}

	for _, args := range [][]string{{"audit"}, {"audit", "réparer"}, {"audit", "verify", "--bogus"}} {
		if code, _, _ := auditCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
