package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/territory"
)

// page is what every page's data carries for the layout.
type page struct {
	Title     string
	Territory territory.Territory
	Viewer    *viewer
	Nav       []navItem
	Demo      bool
	Flash     string
}

type navItem struct {
	Label, Href string
	Current     bool
	// Under are the paths whose pages belong to the item besides Href:
	// each, and any path below it.
	Under []string
}

// current reports whether the page at path belongs to the item: its own
// page, or one below it or below one of Under ("/" only for itself).
func (it navItem) current(path string) bool {
	if path == it.Href {
		return true
	}
	for _, p := range append([]string{it.Href}, it.Under...) {
		if p != "/" && (path == p || strings.HasPrefix(path, p+"/")) {
			return true
		}
	}
	return false
}

// paris is the time zone pages show times in.
var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}()

func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"datetime": func(t time.Time) string { return t.In(paris).Format("02/01/2006 à 15:04") },
		"date":     func(t time.Time) string { return t.In(paris).Format("02/01/2006") },
		"add":      func(a, b int) int { return a + b },
		"communeName": func(insee string) string {
			if s.cfg.Referential != nil {
				if c, ok := s.cfg.Referential.Commune(insee); ok {
					return c.Name
				}
			}
			return insee
		},
	}
}

// parsePages parses each page template with the layout and the form
// fields, once.
func (s *Server) parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" || name == "form_fields" {
			continue
		}
		t, err := template.New(name).Funcs(s.funcs()).ParseFS(files, "templates/layout.html", "templates/form_fields.html", n)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// page builds the layout data for a request.
func (s *Server) page(r *http.Request, title string) page {
	p := page{Title: title, Territory: s.territory(r.Context()), Demo: s.cfg.Demo}
	if v := viewerOf(r.Context()); v != nil {
		p.Viewer = v
		p.Nav = nav(v, r.URL.Path)
	}
	if c, err := r.Cookie(flashCookie); err == nil {
		p.Flash = flashText(c.Value)
	}
	return p
}

// nav is the main menu for the viewer's roles.
func nav(v *viewer, path string) []navItem {
	items := []navItem{{Label: "Accueil", Href: "/"}}
	if v.Account.HasRole(account.RoleProfessional) {
		items = append(items, navItem{Label: "Mes personnes", Href: "/personnes"})
	}
	if v.Account.HasRole(account.RoleCoordinator) {
		items = append(items, navItem{Label: "Orientations", Href: "/orientations"})
	}
	if v.Account.HasRole(account.RoleProfessional) || v.Account.HasRole(account.RoleCoordinator) {
		items = append(items, navItem{Label: "Importer une liste", Href: "/imports"})
	}
	if v.Account.HasRole(account.RoleProfessional) || v.Account.HasRole(account.RoleCoordinator) ||
		v.Account.HasRole(account.RoleStructureManager) || v.Account.HasRole(account.RoleTerritoryAdmin) {
		items = append(items, navItem{Label: "Annuaire des services", Href: "/annuaire"},
			navItem{Label: "Offres et employeurs", Href: "/offres", Under: []string{"/employeurs"}})
	}
	if v.Account.HasRole(account.RoleEmployerContact) {
		items = append(items, navItem{Label: "Mes offres et mes candidats", Href: "/candidatures", Under: []string{"/offres", "/employeurs"}})
	}
	if v.Account.HasRole(account.RoleProfessional) || v.Account.HasRole(account.RoleStructureManager) {
		items = append(items, navItem{Label: "Adressages", Href: "/adressages"}, navItem{Label: "Agendas", Href: "/agendas"},
			navItem{Label: "Suivi des rendez-vous", Href: "/suivi"})
	}
	if v.Account.HasRole(account.RoleStructureManager) {
		items = append(items, navItem{Label: "Affectations", Href: "/structure/affectations"})
	}
	if v.Account.HasRole(account.RoleTerritoryAdmin) {
		items = append(items, navItem{Label: "Administration", Href: "/administration"})
	}
	items = append(items, navItem{Label: "Mon compte", Href: "/compte"})
	// One item at most is the current one: the first the page belongs to.
	for i := range items {
		if items[i].current(path) {
			items[i].Current = true
			break
		}
	}
	return items
}

// render executes a page into a buffer first, so that a template failure
// never leaves half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	t, ok := s.pages[name]
	if !ok {
		s.log.ErrorContext(r.Context(), "gabarit inconnu", "template", name)
		http.Error(w, "Erreur interne", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		s.log.ErrorContext(r.Context(), "rendu impossible", "template", name, "error", err.Error())
		http.Error(w, "Erreur interne", http.StatusInternalServerError)
		return
	}
	if _, err := r.Cookie(flashCookie); err == nil {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// flashCookie carries a message key (never text from the user) to the
// next page after a redirect.
const flashCookie = "__Host-parcours-flash"

var flashes = map[string]string{ // #nosec G101 -- messages shown after a redirect, no credential
	"signed-out":       "Vous êtes déconnecté.",
	"password-changed": "Votre mot de passe a été modifié. Connectez-vous avec votre nouveau mot de passe et votre code.",
	"token-revoked":    "Le jeton a été révoqué.",
	// The record: one key per change a page makes.
	"person-registered":       "La personne est inscrite : vous êtes son référent unique.",
	"identity-updated":        "L'identité et la situation sont enregistrées.",
	"diagnostic-saved":        "Le diagnostic est enregistré.",
	"project-saved":           "Le projet professionnel est enregistré.",
	"member-added":            "Le professionnel a rejoint l'équipe de suivi.",
	"member-removed":          "Le professionnel a été retiré de l'équipe de suivi.",
	"team-left":               "Vous avez quitté l'équipe de suivi : ce dossier ne vous est plus accessible.",
	"referent-changed":        "Le référent unique a changé.",
	"join-requested":          "Votre demande a été transmise au référent. Vous aurez accès au dossier s'il l'accepte.",
	"join-accepted":           "Demande acceptée : le professionnel a rejoint l'équipe de suivi.",
	"join-refused":            "Demande refusée.",
	"note-added":              "Note ajoutée.",
	"consent-recorded":        "Le consentement est enregistré.",
	"consent-withdrawn":       "Le consentement est retiré : le partage qu'il permettait a cessé.",
	"objection-recorded":      "L'opposition est enregistrée : seul le référent garde l'accès au dossier.",
	"objection-recorded-left": "L'opposition est enregistrée : seul le référent garde l'accès, ce dossier ne vous est plus accessible.",
	// Orientation: the requests made from the record, the coordinators' decisions.
	"orientation-requested":         "La demande d'orientation est transmise aux chargés d'orientation du territoire.",
	"reorientation-requested":       "La demande de réorientation est transmise aux chargés d'orientation du territoire.",
	"orientation-decided":           "Orientation enregistrée : le référent désigné rejoint l'équipe de suivi, la structure et lui sont prévenus.",
	"orientation-decided-structure": "Orientation enregistrée : la structure est prévenue et désignera le référent.",
	"orientation-refused":           "Demande refusée. Le motif est inscrit à l'historique du parcours.",
	"reorientation-accepted":        "Réorientation enregistrée : la nouvelle orientation est inscrite au parcours, la structure est prévenue.",
	"reorientation-denied":          "Demande de réorientation refusée. Le motif est inscrit à l'historique du parcours.",
	// Imports of beneficiary lists.
	"import-cancelled": "Import annulé : rien n'a été écrit.",
	// The directory of services.
	"service-created": "Le service est enregistré.",
	"service-updated": "Les modifications du service sont enregistrées.",
	// The plan and the referrals.
	"objective-added":    "L'objectif est ajouté au plan.",
	"objective-updated":  "Le statut de l'objectif est enregistré.",
	"action-added":       "L'action est ajoutée au plan.",
	"action-updated":     "L'action est mise à jour.",
	"contract-saved":     "Le contrat d'engagement est enregistré.",
	"referral-sent":      "L'adressage est envoyé : l'objectif et l'action sont au plan, le service est prévenu et a 30 jours pour répondre.",
	"referral-accepted":  "Vous avez accepté l'adressage : l'équipe de la personne est prévenue.",
	"referral-refused":   "Vous avez refusé l'adressage : l'équipe de la personne est prévenue du motif.",
	"referral-done":      "L'adressage est marqué réalisé.",
	"referral-cancelled": "L'adressage est annulé : le service est libéré de sa réponse.",
	// Appointments.
	"invitation-sent":     "L'invitation est envoyée : la personne choisit son créneau par le lien reçu.",
	"appointment-booked":  "Le rendez-vous est fixé : la personne reçoit une confirmation.",
	"convocation-sent":    "La convocation est envoyée ; la lettre peut être imprimée depuis la liste des rendez-vous.",
	"appointment-updated": "Le statut du rendez-vous est enregistré.",
	// Agendas and appointment types.
	"agenda-created":         "L'agenda est créé : ses créneaux libres sont proposés dès maintenant.",
	"agenda-updated":         "Les modifications de l'agenda sont enregistrées.",
	"appointment-type-saved": "Le motif de rendez-vous est enregistré.",
	"invitation-days-saved":  "La durée de validité des invitations est enregistrée.",
	// Employers, offers and applications.
	"employer-created":     "L'employeur partenaire est enregistré.",
	"employer-updated":     "Les modifications de l'employeur sont enregistrées.",
	"offer-created":        "L'offre est enregistrée.",
	"offer-updated":        "Les modifications de l'offre sont enregistrées.",
	"offer-status":         "Le statut de l'offre est enregistré.",
	"application-updated":  "La candidature est mise à jour : le professionnel qui a proposé la personne est prévenu.",
	"application-accepted": "Embauche enregistrée : le professionnel qui a proposé la personne et son référent sont prévenus, ses autres candidatures en attente sont closes.",
	// Matching: the team proposes a person; the référent agrees to their being found.
	"application-proposed":     "La candidature est transmise à l'employeur, qui a 60 jours pour répondre. Vous serez prévenu de chaque suite.",
	"employment-profile-saved": "Votre accord et les contrats recherchés sont enregistrés.",
}

// countFlashes are the messages that say how many: the cookie carries
// the key and the numbers, as "key:3" or "key:3:5"; each message is given
// as many numbers as it declares.
var countFlashes = map[string]struct {
	n    int
	text func(n []int) string
}{
	"import-committed": {2, importCommittedFlash},
	"referents-assigned": {1, func(n []int) string {
		return strconv.Itoa(n[0]) + " référent" + plural(n[0], " désigné.", "s désignés.")
	}},
	// The coordinator's decision on a selection of the queue.
	"orientations-accepted": {1, func(n []int) string {
		return strconv.Itoa(n[0]) + " demande" + plural(n[0], " orientée", "s orientées") + " : les structures sont prévenues."
	}},
	"orientations-refused": {1, func(n []int) string {
		return strconv.Itoa(n[0]) + " demande" + plural(n[0], " refusée", "s refusées") + ". Le motif est inscrit à l'historique des parcours."
	}},
}

// countFlash is the flash value of a counted message.
func countFlash(key string, n ...int) string {
	parts := []string{key}
	for _, x := range n {
		parts = append(parts, strconv.Itoa(x))
	}
	return strings.Join(parts, ":")
}

// flashText is the message of a flash cookie's value, or "" for an
// unknown one.
func flashText(v string) string {
	parts := strings.Split(v, ":")
	if len(parts) == 1 {
		return flashes[v]
	}
	f, known := countFlashes[parts[0]]
	if !known || len(parts)-1 != f.n {
		return ""
	}
	n := make([]int, f.n)
	for i, p := range parts[1:] {
		x, err := strconv.Atoi(p)
		if err != nil || x < 0 {
			return ""
		}
		n[i] = x
	}
	return f.text(n)
}

func (s *Server) redirectWithFlash(w http.ResponseWriter, r *http.Request, to, key string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: key, Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
	http.Redirect(w, r, to, http.StatusSeeOther) // #nosec G710 -- callers pass local paths: constants, or a constant path and a numeric id
}

// formPage is the data of a page with a form.
type formPage struct {
	page
	Fields problem.Fields
	Error  string
}
