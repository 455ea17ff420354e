package main

import (
	"bufio"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

// sub dispatches "parcours <group> <verb> …".
func sub(e *env, group string, args []string, verbs map[string]func(*env, []string) error) error {
	var names []string
	for n := range verbs {
		names = append(names, n)
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintf(e.stdout, "Usage : parcours %s <%s> [options]\n", group, strings.Join(sortStrings(names), "|"))
		if len(args) == 0 {
			return usageError{fmt.Sprintf("parcours %s attend une action : %s", group, strings.Join(sortStrings(names), ", "))}
		}
		return nil
	}
	f, ok := verbs[args[0]]
	if !ok {
		return usageError{fmt.Sprintf("action inconnue %q pour %s (attendu : %s)", args[0], group, strings.Join(sortStrings(names), ", "))}
	}
	return f(e, args[1:])
}

func sortStrings(s []string) []string {
	slices.Sort(s)
	return s
}

// accountFor opens the store and finds the account named by --email.
func (e *env) accountFor(db, email string) (*store.Store, account.Account, error) {
	addr, err := account.NormalizeEmail(email)
	if err != nil {
		return nil, account.Account{}, usageError{"--email : " + err.Error()}
	}
	st, err := e.openStore(db)
	if err != nil {
		return nil, account.Account{}, err
	}
	a, err := st.AccountByEmail(e.ctx, addr)
	if errors.Is(err, store.ErrNotFound) {
		_ = st.Close()
		return nil, a, fmt.Errorf("aucun compte pour l'adresse %s", addr)
	}
	if err != nil {
		_ = st.Close()
		return nil, a, err
	}
	return st, a, nil
}

func cmdToken(e *env, args []string) error {
	return sub(e, "token", args, map[string]func(*env, []string) error{
		"create": tokenCreate, "list": tokenList, "revoke": tokenRevoke,
	})
}

func tokenCreate(e *env, args []string) error {
	fs := e.flags("token create", "token create --email E [--name N] [--db …]")
	email := fs.String("email", "", "adresse du compte (obligatoire)")
	name := fs.String("name", "ligne de commande", "nom du jeton, pour le reconnaître")
	db := e.dbFlag(fs, "parcours.db")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	st, a, err := e.accountFor(*db, *email)
	if err != nil {
		return err
	}
	defer st.Close()
	if a.Disabled() {
		return fmt.Errorf("le compte %s est désactivé", a.Email)
	}
	token := account.NewToken(account.APITokenPrefix)
	t := account.APIToken{AccountID: a.ID, Name: *name, TokenHash: account.HashToken(token)}
	if err := st.CreateAPIToken(e.ctx, &t); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Jeton n° %d créé pour %s. Il ne sera plus affiché : conservez-le comme un mot de passe.\n", t.ID, a.Email)
	fmt.Fprintln(e.stdout, token)
	return nil
}

func tokenList(e *env, args []string) error {
	fs := e.flags("token list", "token list --email E [--db …]")
	email := fs.String("email", "", "adresse du compte (obligatoire)")
	db := e.dbFlag(fs, "parcours.db")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	st, a, err := e.accountFor(*db, *email)
	if err != nil {
		return err
	}
	defer st.Close()
	ts, err := st.APITokens(e.ctx, a.ID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "N°\tNOM\tCRÉÉ LE\tDERNIÈRE UTILISATION\tÉTAT")
	for _, t := range ts {
		used, state := "jamais", "actif"
		if !t.LastUsedAt.IsZero() {
			used = t.LastUsedAt.Format(time.RFC3339)
		}
		if !t.RevokedAt.IsZero() {
			state = "révoqué le " + t.RevokedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.CreatedAt.Format(time.RFC3339), used, state)
	}
	return tw.Flush()
}

func tokenRevoke(e *env, args []string) error {
	fs := e.flags("token revoke", "token revoke --email E --id N [--db …]")
	email := fs.String("email", "", "adresse du compte (obligatoire)")
	id := fs.Int64("id", 0, "numéro du jeton (parcours token list)")
	db := e.dbFlag(fs, "parcours.db")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	st, a, err := e.accountFor(*db, *email)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.RevokeAPIToken(e.ctx, a.ID, *id, time.Now()); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("aucun jeton actif n° %d pour %s", *id, a.Email)
		}
		return err
	}
	fmt.Fprintf(e.stdout, "Jeton n° %d révoqué.\n", *id)
	return nil
}

func cmdUser(e *env, args []string) error {
	return sub(e, "user", args, map[string]func(*env, []string) error{
		"create": userCreate, "disable": func(e *env, a []string) error { return userDisable(e, a, true) },
		"enable": func(e *env, a []string) error { return userDisable(e, a, false) },
	})
}

// structureArg finds a structure by ID or exact name.
func structureArg(e *env, st *store.Store, arg string) (territory.Structure, error) {
	if id, err := strconv.ParseInt(arg, 10, 64); err == nil {
		s, err := st.Structure(e.ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return s, fmt.Errorf("aucune structure n° %d", id)
		}
		return s, err
	}
	ts, err := st.Territories(e.ctx)
	if err != nil {
		return territory.Structure{}, err
	}
	for _, t := range ts {
		s, err := st.StructureByName(e.ctx, t.ID, arg)
		if err == nil {
			return s, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return s, err
		}
	}
	return territory.Structure{}, fmt.Errorf("aucune structure nommée exactement %q", arg)
}

func userCreate(e *env, args []string) error {
	fs := e.flags("user create", "user create --email E --first-name P --last-name N --structure S --role R [--password-stdin] [--db …]")
	email := fs.String("email", "", "adresse électronique (obligatoire)")
	first := fs.String("first-name", "", "prénom (obligatoire)")
	last := fs.String("last-name", "", "nom (obligatoire)")
	structure := fs.String("structure", "", "structure : numéro ou nom exact (obligatoire)")
	roles := fs.String("role", "professional", "rôles séparés par des virgules : professional, coordinator, structure_manager, territory_admin, employer_contact")
	fromStdin := fs.Bool("password-stdin", false, "lit le mot de passe sur l'entrée standard au lieu d'en générer un")
	db := e.dbFlag(fs, "parcours.db")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	addr, err := account.NormalizeEmail(*email)
	if err != nil {
		return usageError{"--email : " + err.Error()}
	}
	if strings.TrimSpace(*first) == "" || strings.TrimSpace(*last) == "" {
		return usageError{"--first-name et --last-name sont obligatoires"}
	}
	if strings.TrimSpace(*structure) == "" {
		return usageError{"--structure est obligatoire (numéro ou nom exact)"}
	}
	var rs []account.Role
	for _, r := range strings.Split(*roles, ",") {
		role, err := account.ParseRole(r)
		if err != nil {
			return usageError{"--role : " + err.Error()}
		}
		rs = append(rs, role)
	}
	password := ""
	if *fromStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("lecture du mot de passe sur l'entrée standard impossible")
		}
		password = strings.TrimRight(line, "\r\n")
		if err := account.ValidatePassword(password, addr); err != nil {
			return err
		}
	} else {
		password = account.NewToken("")[:20]
	}
	hash, err := account.HashPassword(password)
	if err != nil {
		return err
	}
	st, err := e.openStore(*db)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := structureArg(e, st, *structure)
	if err != nil {
		return err
	}
	a := account.Account{Email: addr, FirstName: strings.TrimSpace(*first), LastName: strings.TrimSpace(*last), PasswordHash: hash}
	if err := st.CreateAccount(e.ctx, &a); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("un compte existe déjà pour %s", addr)
		}
		return err
	}
	for _, r := range rs {
		if err := st.AddMembership(e.ctx, a.ID, s.ID, r); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "Compte n° %d créé pour %s (%s). La double authentification sera activée à la première connexion.\n", a.ID, addr, s.Name)
	if !*fromStdin {
		fmt.Fprintf(e.stdout, "Mot de passe provisoire (à transmettre par un canal sûr) : %s\n", password)
	}
	return nil
}

func userDisable(e *env, args []string, disable bool) error {
	verb := "disable"
	if !disable {
		verb = "enable"
	}
	fs := e.flags("user "+verb, "user "+verb+" --email E [--db …]")
	email := fs.String("email", "", "adresse du compte (obligatoire)")
	db := e.dbFlag(fs, "parcours.db")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	st, a, err := e.accountFor(*db, *email)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.SetAccountDisabled(e.ctx, a.ID, disable, time.Now()); err != nil {
		return err
	}
	if disable {
		fmt.Fprintf(e.stdout, "Compte %s désactivé : ses sessions et ses jetons ne fonctionnent plus.\n", a.Email)
	} else {
		fmt.Fprintf(e.stdout, "Compte %s réactivé.\n", a.Email)
	}
	return nil
}

func cmdTerritory(e *env, args []string) error {
	return sub(e, "territory", args, map[string]func(*env, []string) error{
		"create": territoryCreate, "rules": territoryRules, "dispositif": territoryDispositif})
}

func territoryCreate(e *env, args []string) error {
	fs := e.flags("territory create", "territory create --code 90 --name N [--state S] [--council C] [--db …]")
	code := fs.String("code", "", "code du département (obligatoire)")
	name := fs.String("name", "", "nom du territoire (obligatoire)")
	state := fs.String("state", "", "service de l'État affiché dans l'en-tête")
	council := fs.String("council", "", "Département affiché dans l'en-tête")
	db := e.dbFlag(fs, "parcours.db")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*code) == "" || strings.TrimSpace(*name) == "" {
		return usageError{"--code et --name sont obligatoires"}
	}
	st, err := e.openStore(*db)
	if err != nil {
		return err
	}
	defer st.Close()
	t := territory.Territory{Code: strings.TrimSpace(*code), Name: strings.TrimSpace(*name), OperatorState: *state, OperatorCouncil: *council}
	if err := st.CreateTerritory(e.ctx, &t); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("le territoire %s existe déjà", t.Code)
		}
		return err
	}
	fmt.Fprintf(e.stdout, "Territoire n° %d créé : %s (%s).\n", t.ID, t.Name, t.Code)
	return nil
}

func cmdStructure(e *env, args []string) error {
	return sub(e, "structure", args, map[string]func(*env, []string) error{"create": structureCreate})
}

func structureCreate(e *env, args []string) error {
	fs := e.flags("structure create", "structure create --territory 90 --kind K --name N [--commune INSEE] [--db …]")
	code := fs.String("territory", "", "code du département (obligatoire)")
	kind := fs.String("kind", "", "type : departement, france_travail, cap_emploi, mission_locale, ccas, association, siae, plie, region, state, employer")
	name := fs.String("name", "", "nom (obligatoire)")
	commune := fs.String("commune", "", "code INSEE de la commune")
	db := e.dbFlag(fs, "parcours.db")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	k, err := territory.ParseKind(*kind)
	if err != nil {
		return usageError{"--kind : " + err.Error()}
	}
	if strings.TrimSpace(*name) == "" {
		return usageError{"--name est obligatoire"}
	}
	st, t, err := e.territoryArg(*db, *code)
	if err != nil {
		return err
	}
	defer st.Close()
	s := territory.Structure{TerritoryID: t.ID, Kind: k, Name: strings.TrimSpace(*name), CommuneINSEE: *commune}
	if err := st.CreateStructure(e.ctx, &s); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("une structure %q existe déjà dans ce territoire", s.Name)
		}
		return err
	}
	fmt.Fprintf(e.stdout, "Structure n° %d créée : %s (%s).\n", s.ID, s.Name, k.Label())
	return nil
}

// territoryRules shows or sets the territory's legal delays.
func territoryRules(e *env, args []string) error {
	fs := e.flags("territory rules", "territory rules --territory 90 [--decision-days 42] [--contract-months 1] [--appointment-days 30] [--target-days 15] [--db …]")
	code := fs.String("territory", "", "code du département (obligatoire)")
	decision := fs.Int("decision-days", 0, "jours pour décider une orientation (défaut national : 42)")
	contract := fs.Int("contract-months", 0, "mois pour signer le contrat d'engagement après l'orientation (1)")
	appointment := fs.Int("appointment-days", 0, "jours pour le premier rendez-vous d'accompagnement (30)")
	target := fs.Int("target-days", 0, "objectif national pour ce rendez-vous, en jours (15)")
	db := e.dbFlag(fs, "parcours.db")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	st, t, err := e.territoryArg(*db, *code)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := st.OrientationRules(e.ctx, t.ID)
	if err != nil {
		return err
	}
	changed := false
	for _, c := range []struct {
		v   int
		dst *int
	}{{*decision, &r.DecisionDays}, {*contract, &r.ContractMonths}, {*appointment, &r.AppointmentDays}, {*target, &r.AppointmentTargetDays}} {
		if c.v != 0 {
			*c.dst, changed = c.v, true
		}
	}
	if changed {
		if err := r.Validate().Err(); err != nil {
			return usageError{err.Error()}
		}
		if err := st.SetOrientationRules(e.ctx, t.ID, r); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "%s : orientation décidée sous %d jours, contrat signé sous %d mois, premier rendez-vous sous %d jours (objectif %d jours).\n",
		t.Name, r.DecisionDays, r.ContractMonths, r.AppointmentDays, r.AppointmentTargetDays)
	return nil
}

// territoryDispositif lists or adds the territory's local schemes.
func territoryDispositif(e *env, args []string) error {
	fs := e.flags("territory dispositif", "territory dispositif --territory 90 [--add NOM] [--db …]")
	code := fs.String("territory", "", "code du département (obligatoire)")
	add := fs.String("add", "", "nom du dispositif à ajouter")
	db := e.dbFlag(fs, "parcours.db")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	st, t, err := e.territoryArg(*db, *code)
	if err != nil {
		return err
	}
	defer st.Close()
	if name := strings.TrimSpace(*add); name != "" {
		if err := st.AddDispositif(e.ctx, t.ID, name); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return fmt.Errorf("le dispositif %q existe déjà", name)
			}
			return err
		}
	}
	ds, err := st.Dispositifs(e.ctx, t.ID)
	if err != nil {
		return err
	}
	if len(ds) == 0 {
		fmt.Fprintln(e.stdout, "Aucun dispositif : le champ reste libre dans les décisions d'orientation.")
	}
	for _, d := range ds {
		fmt.Fprintln(e.stdout, d)
	}
	return nil
}

// territoryArg opens the store and finds the territory by its code.
func (e *env) territoryArg(db, code string) (*store.Store, territory.Territory, error) {
	if strings.TrimSpace(code) == "" {
		return nil, territory.Territory{}, usageError{"--territory est obligatoire (code du département)"}
	}
	st, err := e.openStore(db)
	if err != nil {
		return nil, territory.Territory{}, err
	}
	t, err := st.TerritoryByCode(e.ctx, code)
	if err != nil {
		_ = st.Close()
		if errors.Is(err, store.ErrNotFound) {
			return nil, t, fmt.Errorf("aucun territoire %q (parcours territory create)", code)
		}
		return nil, t, err
	}
	return st, t, nil
}
