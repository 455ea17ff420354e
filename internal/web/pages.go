package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	if err := s.store.Ping(r.Context()); err != nil {
		s.log.ErrorContext(r.Context(), "base de données indisponible", "error", err.Error())
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"status":"indisponible","database":"injoignable"}` + "\n"))
		return nil
	}
	_, _ = w.Write([]byte(`{"status":"ok","database":"` + string(s.store.Engine()) + `"}` + "\n"))
	return nil
}

func (s *Server) staticFiles(w http.ResponseWriter, r *http.Request) error {
	s.static.ServeHTTP(w, r)
	return nil
}

func (s *Server) notFoundPage(w http.ResponseWriter, r *http.Request) error {
	return notFound("La page demandée n'existe pas. Vérifiez l'adresse, ou revenez à l'accueil.")
}

func (s *Server) accessibilityPage(w http.ResponseWriter, r *http.Request) error {
	v, _ := s.authenticate(r)
	if v != nil {
		r = r.WithContext(contextWithViewer(r.Context(), v))
	}
	s.render(w, r, http.StatusOK, "accessibility", &struct{ page }{s.page(r, "Accessibilité")})
	return nil
}

// homeSection is a card of the home page: what the role will find there.
type homeSection struct {
	ID, Title, Text, Href string
	Items                 []string
}

type homePage struct {
	page
	Sections []homeSection
	Open     string
}

// home shows one card per role the account holds; each says what comes
// there as the pathway features arrive.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r.Context())
	data := &homePage{page: s.page(r, "Accueil"), Open: "Ouvrir"}
	a := &v.Account
	if a.HasRole(account.RoleProfessional) {
		data.Sections = append(data.Sections, homeSection{ID: "personnes", Title: "Mes personnes accompagnées",
			Text: "Les personnes dont vous êtes référent ou membre de l'équipe de suivi, avec leurs prochains rendez-vous et les actions en retard. Vérifiez si une personne est déjà connue avant de l'inscrire.", Href: "/personnes"},
			homeSection{ID: "emploi", Title: "Offres des employeurs partenaires",
				Text: "Les offres d'emploi et d'immersion du territoire, les personnes à qui elles correspondent, et les candidatures que vous avez proposées.", Href: "/offres"})
	}
	if a.HasRole(account.RoleCoordinator) {
		data.Sections = append(data.Sections, homeSection{ID: "orientations", Title: "Orientations à traiter",
			Text: "La file des demandes d'orientation du territoire, les plus en retard d'abord, avec la date limite légale de chacune (6 semaines), et les demandes de réorientation.", Href: "/orientations"})
	}
	overdue, err := s.structureOverdue(r.Context(), a)
	if err != nil {
		return err
	}
	if a.HasRole(account.RoleStructureManager) {
		sec := homeSection{ID: "structure", Title: "Ma structure", Href: "/structure/affectations",
			Text: "Les personnes orientées vers votre structure sans référent désigné : affectez-leur un référent parmi vos professionnels, plusieurs à la fois."}
		for _, m := range a.Memberships {
			if m.Role == account.RoleStructureManager {
				n := overdue[m.StructureID].Awaiting
				waiting := "personne n'attend de référent"
				if n > 0 {
					waiting = strconv.Itoa(n) + plural(n, " personne attend", " personnes attendent") + " un référent"
				}
				sec.Items = append(sec.Items, m.StructureName+" ("+m.StructureKind.Label()+") : "+waiting)
			}
		}
		data.Sections = append(data.Sections, sec)
	}
	if ids := receivingStructures(v); len(ids) > 0 {
		sec := homeSection{ID: "adressages", Title: "Adressages vers nos services", Href: "/adressages",
			Text: "Les personnes que les professionnels du territoire orientent vers les services de votre structure : acceptez ou refusez sous 30 jours."}
		seen := map[int64]bool{}
		for _, m := range a.Memberships {
			if !containsID(ids, m.StructureID) || seen[m.StructureID] {
				continue
			}
			seen[m.StructureID] = true
			n, err := s.store.OpenReferrals(r.Context(), m.StructureID)
			if err != nil {
				return err
			}
			waiting := "aucun adressage en attente"
			if n > 0 {
				waiting = strconv.Itoa(n) + plural(n, " adressage attend", " adressages attendent") + " votre réponse"
			}
			sec.Items = append(sec.Items, m.StructureName+" : "+waiting)
		}
		data.Sections = append(data.Sections, sec)
	}
	if sec, ok, err := s.delaysSection(r.Context(), a, overdue); err != nil {
		return err
	} else if ok {
		data.Sections = append(data.Sections, sec)
	}
	if a.HasRole(account.RoleTerritoryAdmin) {
		data.Sections = append(data.Sections, homeSection{ID: "administration", Title: "Administration du territoire",
			Text: "Les structures du consortium, les comptes des professionnels et les réglages du territoire.", Href: "/administration"})
	}
	if a.HasRole(account.RoleEmployerContact) {
		sec, err := s.employerSection(r.Context(), a)
		if err != nil {
			return err
		}
		data.Sections = append(data.Sections, sec)
	}
	if len(data.Sections) == 0 {
		data.Sections = append(data.Sections, homeSection{ID: "rattachement", Title: "Compte sans structure",
			Text: "Votre compte n'est rattaché à aucune structure. Demandez au gestionnaire de votre structure de vous y ajouter."})
	}
	s.render(w, r, http.StatusOK, "home", data)
	return nil
}

// employerSection is the home card of an employer contact: for each of
// its employers, the open offers and the candidates waiting for an answer.
func (s *Server) employerSection(ctx context.Context, a *account.Account) (homeSection, error) {
	sec := homeSection{ID: "offres", Title: "Mes offres et mes candidats", Href: "/candidatures",
		Text: "Vos offres d'emploi et d'immersion, et les candidats que les référents vous proposent : vous ne voyez que ce que chaque personne a accepté de partager. Répondez sous 60 jours, sans quoi la candidature est déclinée."}
	for _, m := range a.Memberships {
		if m.Role != account.RoleEmployerContact {
			continue
		}
		_, open, err := s.store.Offers(ctx, store.OfferFilter{EmployerID: m.StructureID,
			Statuses: []employment.OfferStatus{employment.OfferOpen}, Limit: 1})
		if err != nil {
			return sec, err
		}
		counts, err := s.applicationCounts(ctx, m.StructureID)
		if err != nil {
			return sec, err
		}
		waiting := 0
		for _, c := range counts {
			if st := employment.ApplicationState(c.State); st == employment.StateNew || st == employment.StateProcessing {
				waiting += c.N
			}
		}
		line := m.StructureName + " : " + strconv.Itoa(open) + plural(open, " offre ouverte", " offres ouvertes") + ", "
		if waiting == 0 {
			line += "aucun candidat n'attend votre réponse"
		} else {
			line += strconv.Itoa(waiting) + plural(waiting, " candidat attend", " candidats attendent") + " votre réponse"
		}
		sec.Items = append(sec.Items, line)
	}
	return sec, nil
}

// structureOverdue counts, for each structure the account works in as a
// professional or manages, the people waiting for a référent and their
// late due dates.
func (s *Server) structureOverdue(ctx context.Context, a *account.Account) (map[int64]store.OverdueCounts, error) {
	out := map[int64]store.OverdueCounts{}
	today := s.today()
	for _, m := range a.Memberships {
		if m.Role != account.RoleProfessional && m.Role != account.RoleStructureManager {
			continue
		}
		if _, done := out[m.StructureID]; done {
			continue
		}
		c, err := s.store.StructureOverdue(ctx, m.StructureID, today)
		if err != nil {
			return nil, err
		}
		out[m.StructureID] = c
	}
	return out, nil
}

// delaysSection is the "Délais à surveiller" card: for each structure of
// a professional or a manager, the people oriented to it, still without a
// référent, whose first appointment or contrat d'engagement is late; for a
// coordinator, the territory's orientation requests past their due date.
// It returns false for an account that has neither.
func (s *Server) delaysSection(ctx context.Context, a *account.Account, overdue map[int64]store.OverdueCounts) (homeSection, bool, error) {
	sec := homeSection{ID: "delais", Title: "Délais à surveiller"}
	var texts []string
	if len(overdue) > 0 {
		texts = append(texts, "Les personnes orientées vers votre structure et toujours sans référent dont la date limite du premier rendez-vous ou du contrat d'engagement est passée.")
		seen := map[int64]bool{}
		for _, m := range a.Memberships {
			c, ok := overdue[m.StructureID]
			if !ok || seen[m.StructureID] {
				continue
			}
			seen[m.StructureID] = true
			line := "aucun délai dépassé"
			if c.Appointment > 0 || c.Contract > 0 {
				line = lateCount(c.Appointment, "premier rendez-vous", "premiers rendez-vous") + ", " +
					lateCount(c.Contract, "contrat d'engagement", "contrats d'engagement")
			}
			sec.Items = append(sec.Items, m.StructureName+" : "+line)
		}
	}
	// The queue of the territory the viewer works in, as /orientations
	// shows it: none when the viewer coordinates another one.
	if tid, err := s.coordinator(ctx); a.HasRole(account.RoleCoordinator) && err == nil {
		n, err := s.store.OverdueRequests(ctx, tid, s.today())
		if err != nil {
			return sec, false, err
		}
		texts = append(texts, "Les demandes d'orientation du territoire dont la décision a dépassé sa date limite.")
		line := "Orientations du territoire : aucune demande en retard"
		if n > 0 {
			line = "Orientations du territoire : " + strconv.Itoa(n) + " demande" + plural(n, "", "s") + " en retard"
		}
		sec.Items = append(sec.Items, line)
	}
	if len(texts) == 0 {
		return sec, false, nil
	}
	sec.Text = strings.Join(texts, " ")
	switch {
	case a.HasRole(account.RoleStructureManager):
		sec.Href = "/structure/affectations"
	case a.HasRole(account.RoleCoordinator):
		sec.Href = "/orientations"
	}
	return sec, true, nil
}

// lateCount says how many of a due date are late: "aucun …", "1 … en
// retard", "3 … en retard".
func lateCount(n int, one, many string) string {
	if n == 0 {
		return "aucun " + one + " en retard"
	}
	return strconv.Itoa(n) + " " + plural(n, one, many) + " en retard"
}

type accountPage struct {
	formPage
	Tokens   []account.APIToken
	NewToken string
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, http.StatusOK, &accountPage{formPage: formPage{page: s.page(r, "Mon compte")}})
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, data *accountPage) error {
	v := viewerOf(r.Context())
	tokens, err := s.store.APITokens(r.Context(), v.Account.ID)
	if err != nil {
		return err
	}
	data.Tokens = tokens
	s.render(w, r, status, "account", data)
	return nil
}

func (s *Server) createTokenPage(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return invalid("Le formulaire est illisible.")
	}
	v := viewerOf(r.Context())
	data := &accountPage{formPage: formPage{page: s.page(r, "Mon compte")}}
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" || len(name) > 80 {
		data.Fields.Add("name", "Donnez au jeton un nom de 1 à 80 caractères.")
		return s.renderAccount(w, r, http.StatusBadRequest, data)
	}
	token, err := s.createAPIToken(r, v.Account.ID, name)
	if err != nil {
		return err
	}
	data.NewToken = token
	return s.renderAccount(w, r, http.StatusOK, data)
}

func (s *Server) createAPIToken(r *http.Request, accountID int64, name string) (string, error) {
	token := account.NewToken(account.APITokenPrefix)
	t := account.APIToken{AccountID: accountID, Name: name, TokenHash: account.HashToken(token), CreatedAt: s.now()}
	if err := s.store.CreateAPIToken(r.Context(), &t); err != nil {
		return "", err
	}
	return token, nil
}

// revokeToken revokes the viewer's token named in the path; another
// account's token is "not found".
func (s *Server) revokeToken(r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return notFound("Ce jeton n'existe pas.")
	}
	return s.store.RevokeAPIToken(r.Context(), viewerOf(r.Context()).Account.ID, id, s.now())
}

func (s *Server) revokeTokenPage(w http.ResponseWriter, r *http.Request) error {
	if err := s.revokeToken(r); err != nil {
		return err
	}
	s.redirectWithFlash(w, r, "/compte", "token-revoked")
	return nil
}

type adminPage struct {
	page
	Structures []territory.Structure
	Accounts   []store.AccountSummary
}

func (s *Server) adminPage(w http.ResponseWriter, r *http.Request) error {
	data := &adminPage{page: s.page(r, "Administration")}
	if data.Territory.ID == 0 {
		return problem.New(problem.NotFound, "Aucun territoire n'est encore configuré dans cette base.")
	}
	var err error
	if data.Structures, err = s.store.Structures(r.Context(), data.Territory.ID); err != nil {
		return err
	}
	if data.Accounts, err = s.store.Accounts(r.Context(), data.Territory.ID); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin", data)
	return nil
}
