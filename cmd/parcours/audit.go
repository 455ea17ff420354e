package main

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/spie-parcours/parcours/internal/audit"
	"github.com/spie-parcours/parcours/internal/store"
)

// cmdAudit is "parcours audit verify": the check of the audit trail's hash
// chain, for internal control and before handing the trail to an auditor.
func cmdAudit(e *env, args []string) error {
	return sub(e, "audit", args, map[string]func(*env, []string) error{"verify": auditVerify})
}

// auditVerify walks the whole audit trail and checks its hash chain. It
// prints the number and hash of the last entry: the chain alone cannot show
// that the newest entries were deleted, a comparison with an earlier run
// kept outside the database can.
func auditVerify(e *env, args []string) error {
	fs := e.flags("audit verify", "audit verify [--db …]")
	db := e.dbFlag(fs, "parcours.db")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	st, err := e.openStore(*db)
	if err != nil {
		return err
	}
	defer st.Close()

	next, stop := iter.Pull2(auditTrail(e.ctx, st))
	defer stop()
	var last audit.Entry
	checked, err := audit.Verify(func() (audit.Entry, bool, error) {
		en, err, ok := next()
		if ok && err == nil {
			last = en
		}
		return en, ok, err
	})
	var broken *audit.Broken
	switch {
	case errors.As(err, &broken) && checked == 0:
		return fmt.Errorf("journal d'audit altéré : %w", broken)
	case errors.As(err, &broken) && checked == 1:
		return fmt.Errorf("journal d'audit altéré : %w ; l'entrée n° 1 est intacte", broken)
	case errors.As(err, &broken):
		return fmt.Errorf("journal d'audit altéré : %w ; les entrées n° 1 à %d sont intactes", broken, checked)
	case err != nil:
		return fmt.Errorf("lecture du journal d'audit impossible : %w", err)
	}
	if checked < 2 {
		fmt.Fprintf(e.stdout, "Journal d'audit intact : %d entrée vérifiée.\n", checked)
	} else {
		fmt.Fprintf(e.stdout, "Journal d'audit intact : %d entrées vérifiées.\n", checked)
	}
	if checked > 0 {
		fmt.Fprintf(e.stdout, "Dernière entrée : n° %d, empreinte %s.\n", last.ID, last.Hash)
		fmt.Fprintln(e.stdout, "Conservez ce numéro et cette empreinte hors de la base : la suppression des dernières entrées ne se voit qu'en les comparant à la vérification suivante.")
	}
	return nil
}

// auditTrail gives the audit entries in ID order, then the error that
// stopped the walk, if any.
func auditTrail(ctx context.Context, st *store.Store) iter.Seq2[audit.Entry, error] {
	return func(yield func(audit.Entry, error) bool) {
		errStop := errors.New("stop")
		err := st.WalkAudit(ctx, func(en audit.Entry) error {
			if !yield(en, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(audit.Entry{}, err)
		}
	}
}
