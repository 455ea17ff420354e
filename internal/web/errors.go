package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
)

// handlerFunc is a handler that returns its failure; fail renders it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func notFound(detail string) error  { return problem.New(problem.NotFound, detail) }
func forbidden(detail string) error { return problem.New(problem.Forbidden, detail) }
func unauthorized(detail string) error {
	return problem.New(problem.Unauthorized, detail)
}
func invalid(detail string) error { return problem.New(problem.Invalid, detail) }
func tooMany(detail string, retry time.Duration) error {
	return &problem.Error{Kind: problem.TooMany, Detail: detail, RetryAfter: retry}
}

// status and title of each kind.
var kinds = map[problem.Kind]struct {
	status int
	title  string
}{
	problem.Internal:     {http.StatusInternalServerError, "Erreur interne"},
	problem.NotFound:     {http.StatusNotFound, "Page introuvable"},
	problem.Invalid:      {http.StatusBadRequest, "Saisie invalide"},
	problem.Conflict:     {http.StatusConflict, "Conflit"},
	problem.Forbidden:    {http.StatusForbidden, "Accès refusé"},
	problem.Unauthorized: {http.StatusUnauthorized, "Connexion requise"},
	problem.TooMany:      {http.StatusTooManyRequests, "Trop de tentatives"},
}

// classify maps any error to a problem.Error the user may see: store
// errors become their kind, and anything unknown becomes an internal error
// whose cause stays in the log.
func classify(err error) *problem.Error {
	if p, ok := problem.As(err); ok {
		return p
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return &problem.Error{Kind: problem.NotFound, Detail: "Cette ressource n'existe pas ou ne vous est pas accessible.", Err: err}
	case errors.Is(err, store.ErrConflict):
		return &problem.Error{Kind: problem.Conflict, Detail: "Cette information existe déjà.", Err: err}
	case errors.Is(err, errBodyTooLarge):
		return &problem.Error{Kind: problem.Invalid, Detail: "La requête est trop volumineuse.", Err: err}
	}
	return &problem.Error{Kind: problem.Internal, Detail: "Une erreur interne est survenue. L'équipe technique a été prévenue ; réessayez dans quelques instants.", Err: err}
}

var errBodyTooLarge = errors.New("corps de requête trop volumineux")

// isAPI reports whether the request is for the JSON API.
func isAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/")
}

// fail renders an error as an RFC 9457 problem (API) or a DSFR error page,
// and logs internal errors without any personal data.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := classify(err)
	k := kinds[p.Kind]
	if p.Kind == problem.Internal {
		s.log.ErrorContext(r.Context(), "erreur interne", "route", r.Pattern, "request_id", requestID(r.Context()), "error", err.Error())
	}
	if p.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(p.RetryAfter.Seconds())))
	}
	if isAPI(r) {
		body := map[string]any{"type": "about:blank", "status": k.status, "title": k.title, "detail": p.Detail}
		if len(p.Fields) > 0 {
			body["errors"] = p.Fields
		}
		if p.Kind == problem.Unauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="parcours"`)
		}
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(k.status)
		_ = json.NewEncoder(w).Encode(body)
		return
	}
	s.render(w, r, k.status, "error", &errorPage{page: s.page(r, k.title), Status: k.status, Detail: p.Detail, Fields: p.Fields})
}

type errorPage struct {
	page
	Status int
	Detail string
	Fields []problem.Field
}

// formErrors returns the messages of an invalid input naming its fields,
// for a form shown again as typed; ok is false for any other error, which
// goes to the error page.
func formErrors(err error) (fs problem.Fields, ok bool) {
	p, isProblem := problem.As(err)
	if !isProblem || p.Kind != problem.Invalid || len(p.Fields) == 0 {
		return nil, false
	}
	return p.Fields, true
}
