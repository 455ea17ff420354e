package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
)

// An address with ipFailureLimit failed sign-in steps (or reset requests)
// within ipWindow gets 429 until its failures age out.
const (
	ipFailureLimit = 30
	ipWindow       = 15 * time.Minute
)

const badCredentials = "Adresse électronique ou mot de passe incorrect." // #nosec G101 -- an error message, no credential

func (s *Server) throttle(r *http.Request) error {
	n, err := s.store.AuthFailures(r.Context(), clientIP(r), s.now().Add(-ipWindow))
	if err != nil {
		return err
	}
	if n >= ipFailureLimit {
		return tooMany("Trop de tentatives depuis votre adresse. Réessayez dans 15 minutes.", ipWindow)
	}
	return nil
}

func (s *Server) failedFrom(r *http.Request) error {
	return s.store.AddAuthFailure(r.Context(), clientIP(r), s.now())
}

func lockedMessage(until time.Time) string {
	return fmt.Sprintf("Ce compte est verrouillé après %d essais infructueux, jusqu'à %s. Vous pouvez aussi réinitialiser votre mot de passe.",
		account.LockAfter, until.In(paris).Format("15:04"))
}

// safeNext keeps a return path local to this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") || len(next) > 512 {
		return "/"
	}
	return next
}

type signInPage struct {
	formPage
	Email, Next string
}

func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) error {
	if v, err := s.authenticate(r); err == nil && v != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, "signin", &signInPage{formPage: formPage{page: s.page(r, "Connexion")},
		Next: safeNext(r.URL.Query().Get("suite"))})
	return nil
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	if err := s.throttle(r); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return invalid("Le formulaire de connexion est illisible.")
	}
	ctx := r.Context()
	now := s.now()
	data := &signInPage{formPage: formPage{page: s.page(r, "Connexion")},
		Email: strings.TrimSpace(r.PostFormValue("email")), Next: safeNext(r.PostFormValue("suite"))}
	password := r.PostFormValue("password")
	email, err := account.NormalizeEmail(data.Email)
	if err != nil {
		data.Fields.Add("email", err.Error())
	}
	if password == "" {
		data.Fields.Add("password", "Saisissez votre mot de passe.")
	}
	if len(data.Fields) > 0 {
		data.Error = "Vérifiez les champs signalés."
		s.render(w, r, http.StatusBadRequest, "signin", data)
		return nil
	}
	refuse := func(status int, msg string) error {
		if err := s.failedFrom(r); err != nil {
			return err
		}
		data.Error = msg
		s.render(w, r, status, "signin", data)
		return nil
	}
	a, err := s.store.AccountByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		account.DummyCheck()
		return refuse(http.StatusUnauthorized, badCredentials)
	}
	if err != nil {
		return err
	}
	if a.Disabled() {
		account.DummyCheck()
		return refuse(http.StatusUnauthorized, badCredentials)
	}
	if a.Locked(now) {
		return refuse(http.StatusTooManyRequests, lockedMessage(a.LockedUntil))
	}
	if !account.CheckPassword(a.PasswordHash, password) {
		n, err := s.store.RecordLoginFailure(ctx, a.ID, account.LockAfter, now.Add(account.LockFor))
		if err != nil {
			return err
		}
		if n >= account.LockAfter {
			return refuse(http.StatusTooManyRequests, lockedMessage(now.Add(account.LockFor)))
		}
		return refuse(http.StatusUnauthorized, badCredentials)
	}
	stage, next := account.StagePassword, "/connexion/code"
	if !a.TOTPEnabled {
		stage, next = account.StageEnrol, "/connexion/activation"
	}
	se, token := account.NewSession(a.ID, stage, now)
	if old, ok := s.session(r); ok {
		_ = s.store.DeleteSession(ctx, old.TokenHash)
	}
	if err := s.store.CreateSession(ctx, se); err != nil {
		return err
	}
	s.setSessionCookie(w, token)
	http.Redirect(w, r, next+"?suite="+urlQueryEscape(data.Next), http.StatusSeeOther)
	return nil
}

// pending returns the sign-in waiting for its second factor at a stage, and
// its account.
func (s *Server) pending(r *http.Request, stage account.Stage) (account.Session, account.Account, bool) {
	se, ok := s.session(r)
	if !ok || se.Stage != stage {
		return se, account.Account{}, false
	}
	a, err := s.store.Account(r.Context(), se.AccountID)
	if err != nil || a.Disabled() {
		return se, a, false
	}
	return se, a, true
}

type totpPage struct {
	formPage
	Next   string
	QR     template.HTML
	Secret string
}

func (s *Server) totpPage(w http.ResponseWriter, r *http.Request) error {
	if _, _, ok := s.pending(r, account.StagePassword); !ok {
		http.Redirect(w, r, "/connexion", http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, "totp", &totpPage{formPage: formPage{page: s.page(r, "Code de vérification")},
		Next: safeNext(r.URL.Query().Get("suite"))})
	return nil
}

func (s *Server) totpCheck(w http.ResponseWriter, r *http.Request) error {
	return s.secondFactor(w, r, account.StagePassword)
}

// secondFactor checks a TOTP code for a pending sign-in (stage password) or
// an enrolment (stage enrol), and on success opens a full session under a
// new token.
func (s *Server) secondFactor(w http.ResponseWriter, r *http.Request, stage account.Stage) error {
	if err := s.throttle(r); err != nil {
		return err
	}
	ctx := r.Context()
	now := s.now()
	se, a, ok := s.pending(r, stage)
	if !ok {
		http.Redirect(w, r, "/connexion", http.StatusSeeOther)
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return invalid("Le formulaire est illisible.")
	}
	next := safeNext(r.URL.Query().Get("suite"))
	tmpl, title := "totp", "Code de vérification"
	data := &totpPage{formPage: formPage{page: s.page(r, title)}, Next: next}
	if stage == account.StageEnrol {
		tmpl, title = "enrol", "Activer la double authentification"
		data.page.Title = title
		if err := s.enrolData(r.Context(), data, &a); err != nil {
			return err
		}
	}
	if a.Locked(now) {
		_ = s.store.DeleteSession(ctx, se.TokenHash)
		return tooMany(lockedMessage(a.LockedUntil), time.Until(a.LockedUntil))
	}
	step, ok := account.VerifyTOTP(a.TOTPSecret, r.PostFormValue("code"), now, a.LastTOTPStep)
	if ok {
		if stage == account.StageEnrol {
			if err := s.store.SetTOTP(ctx, a.ID, a.TOTPSecret, true); err != nil {
				return err
			}
		}
		if err := s.store.AcceptTOTPStep(ctx, a.ID, step); err != nil {
			if !errors.Is(err, store.ErrConflict) {
				return err
			}
			ok = false
		}
	}
	if !ok {
		if err := s.failedFrom(r); err != nil {
			return err
		}
		n, err := s.store.RecordLoginFailure(ctx, a.ID, account.LockAfter, now.Add(account.LockFor))
		if err != nil {
			return err
		}
		if n >= account.LockAfter {
			_ = s.store.DeleteSession(ctx, se.TokenHash)
			return tooMany(lockedMessage(now.Add(account.LockFor)), account.LockFor)
		}
		data.Error = "Code incorrect ou expiré. Saisissez le code affiché en ce moment par votre application."
		s.render(w, r, http.StatusUnauthorized, tmpl, data)
		return nil
	}
	if err := s.store.ClearLoginFailures(ctx, a.ID); err != nil {
		return err
	}
	full, token := account.NewSession(a.ID, account.StageFull, now)
	if err := s.store.ReplaceSession(ctx, se.TokenHash, full); err != nil {
		return err
	}
	s.setSessionCookie(w, token)
	s.log.InfoContext(ctx, "connexion", "account_id", a.ID, "request_id", requestID(ctx))
	http.Redirect(w, r, next, http.StatusSeeOther) // #nosec G710 -- safeNext keeps only local paths
	return nil
}

// enrolData gives the enrolment page its secret and QR code, creating the
// secret on first display.
func (s *Server) enrolData(ctx context.Context, data *totpPage, a *account.Account) error {
	if a.TOTPSecret == "" {
		secret, err := account.NewTOTPSecret()
		if err != nil {
			return err
		}
		if err := s.store.SetTOTP(ctx, a.ID, secret, false); err != nil {
			return err
		}
		a.TOTPSecret = secret
	}
	issuer := "Parcours"
	if data.Territory.Name != "" {
		issuer += " " + data.Territory.Name
	}
	svg, err := account.QRCodeSVG(account.TOTPURI(a.TOTPSecret, a.Email, issuer))
	if err != nil {
		return err
	}
	data.QR = template.HTML(svg) // #nosec G203 -- SVG built by account.QRCodeSVG from our own data, no user markup
	var groups []string
	for i := 0; i < len(a.TOTPSecret); i += 4 {
		groups = append(groups, a.TOTPSecret[i:min(i+4, len(a.TOTPSecret))])
	}
	data.Secret = strings.Join(groups, " ")
	return nil
}

func (s *Server) enrolPage(w http.ResponseWriter, r *http.Request) error {
	_, a, ok := s.pending(r, account.StageEnrol)
	if !ok {
		http.Redirect(w, r, "/connexion", http.StatusSeeOther)
		return nil
	}
	data := &totpPage{formPage: formPage{page: s.page(r, "Activer la double authentification")},
		Next: safeNext(r.URL.Query().Get("suite"))}
	if err := s.enrolData(r.Context(), data, &a); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "enrol", data)
	return nil
}

func (s *Server) enrolCheck(w http.ResponseWriter, r *http.Request) error {
	return s.secondFactor(w, r, account.StageEnrol)
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	if v := viewerOf(r.Context()); v != nil && v.Session != nil {
		if err := s.store.DeleteSession(r.Context(), v.Session.TokenHash); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w)
	s.redirectWithFlash(w, r, "/connexion", "signed-out")
	return nil
}

type forgotPage struct {
	formPage
	Email string
	Sent  bool
}

func (s *Server) forgotPage(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "forgot", &forgotPage{formPage: formPage{page: s.page(r, "Mot de passe oublié")}})
	return nil
}

func (s *Server) forgot(w http.ResponseWriter, r *http.Request) error {
	if err := s.throttle(r); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return invalid("Le formulaire est illisible.")
	}
	ctx := r.Context()
	data := &forgotPage{formPage: formPage{page: s.page(r, "Mot de passe oublié")}, Email: strings.TrimSpace(r.PostFormValue("email"))}
	email, err := account.NormalizeEmail(data.Email)
	if err != nil {
		data.Fields.Add("email", err.Error())
		s.render(w, r, http.StatusBadRequest, "forgot", data)
		return nil
	}
	// Each request counts against the address, so that nobody can flood
	// a mailbox or probe many addresses.
	if err := s.failedFrom(r); err != nil {
		return err
	}
	a, err := s.store.AccountByEmail(ctx, email)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	case !a.Disabled():
		now := s.now()
		token := account.NewToken("")
		if err := s.store.CreatePasswordReset(ctx, a.ID, account.HashToken(token), now, now.Add(account.ResetLifetime)); err != nil {
			return err
		}
		link := strings.TrimRight(s.cfg.BaseURL, "/") + "/mot-de-passe/nouveau/" + token
		err := s.cfg.Notifier.Send(ctx, notify.Message{To: a.Email,
			Subject: "Parcours : choisir un nouveau mot de passe",
			Body: "Bonjour,\n\nPour choisir un nouveau mot de passe Parcours, ouvrez ce lien dans les 10 minutes :\n" + link +
				"\n\nIl ne fonctionne qu'une fois. Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.\n"})
		if err != nil {
			return err
		}
	}
	data.Sent = true
	s.render(w, r, http.StatusOK, "forgot", data)
	return nil
}

type resetPage struct {
	formPage
	Token string
}

var errResetLink = problem.New(problem.NotFound, "Ce lien de réinitialisation n'est plus valable : il a déjà servi ou a expiré (10 minutes). Demandez un nouveau lien depuis la page de connexion.")

func (s *Server) resetPage(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	if _, err := s.store.PasswordReset(r.Context(), account.HashToken(token), s.now()); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return errResetLink
		}
		return err
	}
	s.render(w, r, http.StatusOK, "reset", &resetPage{formPage: formPage{page: s.page(r, "Nouveau mot de passe")}, Token: token})
	return nil
}

func (s *Server) reset(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	token := r.PathValue("token")
	hash := account.HashToken(token)
	id, err := s.store.PasswordReset(ctx, hash, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return errResetLink
	}
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return invalid("Le formulaire est illisible.")
	}
	a, err := s.store.Account(ctx, id)
	if err != nil {
		return err
	}
	data := &resetPage{formPage: formPage{page: s.page(r, "Nouveau mot de passe")}, Token: token}
	pw := r.PostFormValue("password")
	if err := account.ValidatePassword(pw, a.Email); err != nil {
		data.Fields.Add("password", err.Error())
	} else if pw != r.PostFormValue("confirmation") {
		data.Fields.Add("confirmation", "Les deux mots de passe ne sont pas identiques.")
	}
	if len(data.Fields) > 0 {
		s.render(w, r, http.StatusBadRequest, "reset", data)
		return nil
	}
	newHash, err := account.HashPassword(pw)
	if err != nil {
		return err
	}
	if _, err := s.store.ResetPassword(ctx, hash, newHash, s.now()); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return errResetLink
		}
		return err
	}
	s.clearSessionCookie(w)
	s.redirectWithFlash(w, r, "/connexion", "password-changed")
	return nil
}
