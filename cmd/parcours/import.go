package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/spie-parcours/parcours/internal/importer"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
)

// importMemoryLimit is the import command's soft memory limit.
const importMemoryLimit = 200 << 20

func cmdImport(e *env, args []string) error {
	return sub(e, "import", args, map[string]func(*env, []string) error{"persons": importPersons})
}

// importPersons previews a list of beneficiaries, prints every row in
// error, and, unless --dry-run, commits the good rows all at once. Its last
// line is the summary "create=N update=N unchanged=N error=N".
func importPersons(e *env, args []string) error {
	if len(args) == 0 || args[0] == "" || args[0][0] == '-' {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(e.stdout, "Usage : parcours import persons FICHIER --structure S [--mapping M] [--dry-run] [--db …]")
			return nil
		}
		return usageError{"parcours import persons attend le fichier à importer (CSV ou XLSX) en premier argument"}
	}
	file := args[0]
	fs := e.flags("import persons", "import persons FICHIER --structure S [--mapping M] [--dry-run] [--db …]")
	structure := fs.String("structure", "", "structure qui importe : numéro ou nom exact (obligatoire)")
	mapping := fs.String("mapping", "", `correspondance des colonnes : fichier JSON {"first_name": "Prénom", …} ; sinon celle du dernier import de la structure, sinon devinée`)
	dry := fs.Bool("dry-run", false, "aperçu seulement : rien n'est écrit")
	db := e.dbFlag(fs, "parcours.db")
	if err := e.parse(fs, args[1:]); err != nil {
		return err
	}
	if *structure == "" {
		return usageError{"--structure est obligatoire (numéro ou nom exact)"}
	}
	// A large list is read, planned and written in one go: a soft memory
	// limit has the collector return what each step leaves behind, keeping
	// 100,000 rows under 300 MB (docs/benchmarks.md). GOMEMLIMIT overrides it.
	if e.getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(importMemoryLimit)
	}
	f, err := os.Open(filepath.Clean(file)) // #nosec G703 -- the operator names a file of their own machine on the command line
	if err != nil {
		return fmt.Errorf("fichier %q illisible : %w", file, err)
	}
	defer f.Close()
	st, err := e.openStore(*db)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := structureArg(e, st, *structure)
	if err != nil {
		return err
	}
	var m importer.Mapping
	if *mapping != "" {
		b, err := os.ReadFile(filepath.Clean(*mapping))
		if err != nil {
			return fmt.Errorf("--mapping : %w", err)
		}
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("--mapping : JSON attendu, par exemple {\"first_name\": \"Prénom\"} : %w", err)
		}
	} else if saved, err := st.ImportMapping(e.ctx, s.ID); err == nil {
		m = saved
	}
	t, err := importer.Read(file, f)
	if err != nil {
		return fmt.Errorf("%s : %w", file, err)
	}
	ref, err := referential.Load()
	if err != nil {
		return err
	}
	terr, err := st.Territory(e.ctx, s.TerritoryID)
	if err != nil {
		return err
	}
	now := time.Now()
	ix, err := st.IndexPersons(e.ctx, s.TerritoryID)
	if err != nil {
		return err
	}
	m, planned, err := importer.Prepare(t, m, ref, terr.Code, ix, now)
	if err != nil {
		return err
	}
	var sum store.ImportSummary
	for _, p := range planned {
		sum.Count(p.Action)
		for _, fe := range p.Errors {
			fmt.Fprintf(e.stdout, "ligne %d, colonne « %s » : %s\n", p.Line, fe.Field, fe.Message)
		}
	}
	if !*dry {
		mj, _ := json.Marshal(m)
		imp := store.Import{TerritoryID: s.TerritoryID, StructureID: s.ID, Filename: filepath.Base(file), Mapping: string(mj), CreatedAt: now}
		if err := st.CreateImport(e.ctx, &imp, planned); err != nil {
			return err
		}
		rules, err := st.OrientationRules(e.ctx, s.TerritoryID)
		if err != nil {
			return err
		}
		if _, err := st.CommitImport(e.ctx, imp.ID, rules, store.Actor{StructureID: s.ID, At: now}); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return fmt.Errorf("des personnes du fichier ont été inscrites pendant l'import : relancez-le")
			}
			return err
		}
		if err := st.SaveImportMapping(e.ctx, s.ID, m, now); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(e.stdout, "Aperçu seulement (--dry-run) : rien n'a été écrit.")
	}
	fmt.Fprintf(e.stdout, "create=%d update=%d unchanged=%d error=%d\n", sum.Create, sum.Update, sum.Unchanged, sum.Error)
	return nil
}
