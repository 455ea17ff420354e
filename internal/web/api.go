package web

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"time"
)

//go:embed openapi.json
var openAPIDocument []byte

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	return enc.Encode(v)
}

// list is the shape of every list answer: items and, when there are more,
// the cursor to ask for them.
type list[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(openAPIDocument)
	return err
}

func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) error {
	return notFound("Cette route de l'API n'existe pas. La liste des routes est dans /api/v1/openapi.json.")
}

type apiMembership struct {
	StructureID   int64  `json:"structure_id"`
	StructureName string `json:"structure_name"`
	StructureKind string `json:"structure_kind"`
	Role          string `json:"role"`
}

type apiMe struct {
	ID          int64           `json:"id"`
	Email       string          `json:"email"`
	FirstName   string          `json:"first_name"`
	LastName    string          `json:"last_name"`
	Memberships []apiMembership `json:"memberships"`
	Roles       []string        `json:"roles"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	a := viewerOf(r.Context()).Account
	out := apiMe{ID: a.ID, Email: a.Email, FirstName: a.FirstName, LastName: a.LastName,
		Memberships: []apiMembership{}, Roles: []string{}}
	seen := map[string]bool{}
	for _, m := range a.Memberships {
		out.Memberships = append(out.Memberships, apiMembership{m.StructureID, m.StructureName, string(m.StructureKind), string(m.Role)})
		if !seen[string(m.Role)] {
			seen[string(m.Role)] = true
			out.Roles = append(out.Roles, string(m.Role))
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

type apiStructure struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

func (s *Server) apiStructures(w http.ResponseWriter, r *http.Request) error {
	t := s.territory(r.Context())
	out := list[apiStructure]{Items: []apiStructure{}}
	if t.ID != 0 {
		sts, err := s.store.Structures(r.Context(), t.ID)
		if err != nil {
			return err
		}
		for _, st := range sts {
			out.Items = append(out.Items, apiStructure{st.ID, st.Name, string(st.Kind)})
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

type apiToken struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r.Context())
	ts, err := s.store.APITokens(r.Context(), v.Account.ID)
	if err != nil {
		return err
	}
	out := list[apiToken]{Items: []apiToken{}}
	for _, t := range ts {
		out.Items = append(out.Items, apiToken{t.ID, t.Name, t.CreatedAt.UTC(), timePtr(t.LastUsedAt), timePtr(t.RevokedAt)})
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) error {
	if err := s.revokeToken(r); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
