package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/demo"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/referential"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

func cmdDemo(e *env, args []string) error {
	fs := e.flags("demo", "demo [--addr 127.0.0.1:8080] [--db parcours-demo.db] [--persons N] [--no-serve]")
	f := e.serveFlags(fs, "parcours-demo.db")
	persons := fs.Int("persons", 200, "nombre de personnes fictives à générer")
	noServe := fs.Bool("no-serve", false, "prépare la base et s'arrête sans servir")
	seed := fs.Uint64("seed", 90, "graine du générateur de personnes fictives")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *persons < 0 || *persons > 5_000_000 {
		return usageError{fmt.Sprintf("--persons %d : attendu un nombre entre 0 et 5 000 000", *persons)}
	}
	log, st, err := e.start(f)
	if err != nil {
		return err
	}
	defer st.Close()
	ref, err := referential.Load()
	if err != nil {
		return err
	}
	start := time.Now()
	t, added, err := seedDemo(e.ctx, st, ref, *persons, *seed)
	if err != nil {
		return fmt.Errorf("territoire de démonstration : %w", err)
	}
	*f.territory = t.Code
	if err := printDemo(e.ctx, e.stdout, st, t, added, time.Since(start), *f.addr); err != nil {
		return err
	}
	if *noServe {
		return nil
	}
	return e.serve(st, log, f, true, nil)
}

// seedDemo creates the demo territory, its structures and accounts when
// missing, and tops the people up to n. It returns how many people it added.
func seedDemo(ctx context.Context, st *store.Store, ref *referential.Referential, n int, seed uint64) (territory.Territory, int, error) {
	t, err := st.TerritoryByCode(ctx, demo.TerritoryCode)
	if errors.Is(err, store.ErrNotFound) {
		t = demo.Territory
		err = st.CreateTerritory(ctx, &t)
	}
	if err != nil {
		return t, 0, err
	}
	structures := map[string]int64{}
	for _, s := range demo.Structures {
		got, err := st.StructureByName(ctx, t.ID, s.Name)
		if errors.Is(err, store.ErrNotFound) {
			got = s
			got.TerritoryID = t.ID
			err = st.CreateStructure(ctx, &got)
		}
		if err != nil {
			return t, 0, err
		}
		structures[s.Name] = got.ID
	}
	if err := account.ValidatePassword(demo.Password, ""); err != nil {
		return t, 0, fmt.Errorf("mot de passe de démonstration refusé par la politique : %w", err)
	}
	var hash string
	for _, m := range demo.Members {
		a, err := st.AccountByEmail(ctx, m.Email)
		if errors.Is(err, store.ErrNotFound) {
			if hash == "" {
				if hash, err = account.HashPassword(demo.Password); err != nil {
					return t, 0, err
				}
			}
			secret, err := account.NewTOTPSecret()
			if err != nil {
				return t, 0, err
			}
			a = account.Account{Email: m.Email, FirstName: m.FirstName, LastName: m.LastName, PasswordHash: hash,
				TOTPSecret: secret, TOTPEnabled: true}
			if err := st.CreateAccount(ctx, &a); err != nil {
				return t, 0, err
			}
		} else if err != nil {
			return t, 0, err
		}
		for _, r := range m.Roles {
			if err := st.AddMembership(ctx, a.ID, structures[m.Structure], r); err != nil {
				return t, 0, err
			}
		}
	}
	have, err := st.CountPersons(ctx, t.ID)
	if err != nil {
		return t, 0, err
	}
	missing := n - have
	if missing <= 0 {
		return t, 0, seedDemoRecords(ctx, st, ref, t)
	}
	var places []demo.Place
	for _, c := range ref.CommunesIn(demo.TerritoryCode) {
		pc := ""
		if len(c.PostalCodes) > 0 {
			pc = c.PostalCodes[0]
		}
		places = append(places, demo.Place{INSEE: c.INSEE, Name: c.Name, PostalCode: pc, Population: c.Population})
	}
	// A different seed for each top-up keeps identifiers unique across runs.
	g := demo.NewGenerator(seed+uint64(have), places, time.Now()) // #nosec G115 -- a count is never negative
	const batch = 20_000
	for done := 0; done < missing; done += batch {
		ps := make([]person.Person, min(batch, missing-done))
		for i := range ps {
			ps[i] = g.Person(t.ID)
		}
		if err := st.InsertPersons(ctx, ps); err != nil {
			return t, done, err
		}
	}
	return t, missing, seedDemoRecords(ctx, st, ref, t)
}

func printDemo(ctx context.Context, w io.Writer, st *store.Store, t territory.Territory, added int, took time.Duration, addr string) error {
	n, err := st.CountPersons(ctx, t.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Territoire de démonstration : %s (%s), %d personnes fictives (%d ajoutées en %s).\n",
		t.Name, t.Code, n, added, took.Round(time.Millisecond))
	fmt.Fprintf(w, "Adresse : http://%s/\n\n", addr)
	fmt.Fprintf(w, "Mot de passe de tous les comptes de démonstration : %s\n", demo.Password)
	fmt.Fprintln(w, "Second facteur : ajoutez la clé TOTP du compte dans une application d'authentification (Aegis, FreeOTP, Authenticator…).")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "COMPTE\tRÔLE\tSTRUCTURE\tCLÉ TOTP")
	for _, m := range demo.Members {
		a, err := st.AccountByEmail(ctx, m.Email)
		if err != nil {
			return err
		}
		role := ""
		for i, r := range m.Roles {
			if i > 0 {
				role += ", "
			}
			role += r.Label()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Email, role, m.Structure, a.TOTPSecret)
	}
	return tw.Flush()
}

// seedDemoRecords gives the demo its records and its orientation queue.
func seedDemoRecords(ctx context.Context, st *store.Store, ref *referential.Referential, t territory.Territory) error {
	if err := seedRecords(ctx, st, ref, t); err != nil {
		return err
	}
	if err := seedQueue(ctx, st, t); err != nil {
		return err
	}
	return seedDirectoryPlans(ctx, st, ref, t)
}
