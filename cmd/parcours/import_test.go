package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeList writes a CAF-style list of n rows where every 33rd row is
// broken in one of four ways (3 %), and returns the broken lines with the
// column each must be reported on.
func writeList(t *testing.T, path string, n int) map[int]string {
	t.Helper()
	var b strings.Builder
	b.WriteString("\ufeffNom;Prénom;Date de naissance;N° allocataire;Rôle;Code postal;Ville\n")
	broken := map[int]string{}
	for i := 0; i < n; i++ {
		line := i + 2
		last, first := letters(i), "Prénom"
		date := fmt.Sprintf("%02d/%02d/%d", 1+i%28, 1+i%12, 1960+i%40)
		caf := fmt.Sprintf("%07d", 1000000+i)
		pc, city := "90000", "Belfort"
		if i%33 == 7 {
			switch (i / 33) % 4 {
			case 0:
				date, broken[line] = "31/02/1990", "Date de naissance"
			case 1:
				first, broken[line] = "", "Prénom"
			case 2:
				pc, city, broken[line] = "99999", "Nulle-Part", "Code postal"
			case 3: // the same person as the row before
				last, date, caf = letters(i-1), fmt.Sprintf("%02d/%02d/%d", 1+(i-1)%28, 1+(i-1)%12, 1960+(i-1)%40), fmt.Sprintf("%07d", 1000000+i-1)
				broken[line] = "doublon"
			}
		}
		fmt.Fprintf(&b, "%s;%s;%s;%s;demandeur;%s;%s\n", last, first, date, caf, pc, city)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return broken
}

// letters names row i with letters only, as a surname must be.
func letters(i int) string {
	b := []byte("Nom")
	for k := 0; k < 4; k++ {
		b = append(b, byte('a'+i%26))
		i /= 26
	}
	return string(b)
}

// TestImportTenThousandRows: a 10,000-row file with 3 % broken rows writes
// every good row once, reports every bad row with its line and column in
// French, writes nothing on a dry run, and a second import changes nothing.
func TestImportTenThousandRows(t *testing.T) {
	dir := t.TempDir()
	db, list := filepath.Join(dir, "d.db"), filepath.Join(dir, "liste.csv")
	if code, _, stderr := runCLI(t, nil, "demo", "--db", db, "--no-serve", "--persons", "0"); code != 0 {
		t.Fatal(stderr)
	}
	const n = 10_000
	broken := writeList(t, list, n)
	args := []string{"import", "persons", list, "--structure", "Conseil départemental du Territoire de Belfort", "--db", db}
	code, out, stderr := runCLI(t, nil, append(args, "--dry-run")...)
	if code != 0 {
		t.Fatalf("dry run: %d %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := fmt.Sprintf("create=%d update=0 unchanged=0 error=%d", n-len(broken), len(broken))
	if last := lines[len(lines)-1]; last != want {
		t.Fatalf("dry run summary %q, want %q", last, want)
	}
	for line, col := range broken {
		prefix := fmt.Sprintf("ligne %d, colonne « ", line)
		found := false
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) && (col == "doublon" && strings.Contains(l, "Doublon de la ligne") || strings.Contains(l, col)) {
				found = true
			}
		}
		if !found {
			t.Errorf("line %d (%s) not reported", line, col)
		}
	}
	if code, out, _ := runCLI(t, nil, "import", "persons", list, "--structure", "Conseil départemental du Territoire de Belfort", "--db", db, "--dry-run"); code != 0 || !strings.HasSuffix(strings.TrimSpace(out), want) {
		t.Errorf("the dry run wrote something: %s", out)
	}
	code, out, stderr = runCLI(t, nil, args...)
	if code != 0 || !strings.HasSuffix(strings.TrimSpace(out), want) {
		t.Fatalf("import: %d %s %s", code, out[max(0, len(out)-200):], stderr)
	}
	code, out, _ = runCLI(t, nil, args...)
	again := fmt.Sprintf("create=0 update=0 unchanged=%d error=%d", n-len(broken), len(broken))
	if code != 0 || !strings.HasSuffix(strings.TrimSpace(out), again) {
		t.Errorf("second import: %s", out[max(0, len(out)-200):])
	}
	if code, out, _ := runCLI(t, nil, "audit", "verify", "--db", db); code != 0 || !strings.Contains(out, "intact") {
		t.Errorf("audit after import: %s", out)
	}
}
