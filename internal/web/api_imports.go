package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/spie-parcours/parcours/internal/access"
	"github.com/spie-parcours/parcours/internal/account"
	"github.com/spie-parcours/parcours/internal/importer"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

// maxImport bounds an uploaded file: 100,000 rows of a CAF list fit well
// under it.
const maxImport = 64 << 20

// importer returns the structure the viewer imports for: the one named if
// it is one of its professional or coordinator memberships, else its first.
func (s *Server) importStructure(ctx context.Context, structureID int64) (territory.Structure, error) {
	v := viewerOf(ctx)
	t := s.territory(ctx)
	if d := access.Import(accessViewer(v), t.ID); !d.Allowed {
		return territory.Structure{}, forbidden("Votre compte ne permet pas d'importer des listes de personnes.")
	}
	for _, m := range v.Account.Memberships {
		if m.TerritoryID != t.ID || (m.Role != account.RoleProfessional && m.Role != account.RoleCoordinator) {
			continue
		}
		if structureID == 0 || m.StructureID == structureID {
			return s.store.Structure(ctx, m.StructureID)
		}
	}
	return territory.Structure{}, problem.InvalidFields("Structure invalide.",
		problem.Field{Field: "structure_id", Message: "Vous ne pouvez importer que pour une structure dont vous êtes membre."})
}

type apiImportError struct {
	Column  string `json:"column"`
	Message string `json:"message"`
}

type apiImportRow struct {
	Line   int              `json:"line"`
	Action string           `json:"action"`
	Errors []apiImportError `json:"errors,omitempty"`
}

type apiImport struct {
	ID      int64               `json:"id"`
	Status  string              `json:"status"`
	Summary store.ImportSummary `json:"summary"`
	Mapping importer.Mapping    `json:"mapping,omitempty"`
	Rows    []apiImportRow      `json:"rows,omitempty"`
}

// preview reads, maps, checks and plans a file, and stores the preview.
// Nothing of the people is written before the commit.
func (s *Server) preview(ctx context.Context, st territory.Structure, filename string, file io.Reader, m importer.Mapping) (store.Import, []importer.Planned, importer.Mapping, error) {
	t, err := importer.Read(filename, file)
	if err != nil {
		return store.Import{}, nil, nil, problem.InvalidFields("Le fichier n'a pas pu être lu.", problem.Field{Field: "file", Message: err.Error()})
	}
	terr, err := s.store.Territory(ctx, st.TerritoryID)
	if err != nil {
		return store.Import{}, nil, m, err
	}
	ix, err := s.store.IndexPersons(ctx, st.TerritoryID)
	if err != nil {
		return store.Import{}, nil, m, err
	}
	m, planned, err := importer.Prepare(t, m, s.cfg.Referential, terr.Code, ix, s.now())
	if err != nil {
		return store.Import{}, nil, m, err
	}
	mj, err := json.Marshal(m)
	if err != nil {
		return store.Import{}, nil, m, err
	}
	imp := store.Import{TerritoryID: st.TerritoryID, StructureID: st.ID, AccountID: viewerOf(ctx).Account.ID, Filename: filename,
		Mapping: string(mj), CreatedAt: s.now()}
	if err := s.store.CreateImport(ctx, &imp, planned); err != nil {
		return imp, nil, m, err
	}
	return imp, planned, m, nil
}

func importJSON(imp store.Import, m importer.Mapping, planned []importer.Planned) apiImport {
	out := apiImport{ID: imp.ID, Status: imp.Status, Summary: imp.Summary, Mapping: m, Rows: []apiImportRow{}}
	for _, p := range planned {
		row := apiImportRow{Line: p.Line, Action: p.Action}
		for _, e := range p.Errors {
			row.Errors = append(row.Errors, apiImportError{e.Field, e.Message})
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

func (s *Server) apiPreviewImport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	mr, err := r.MultipartReader()
	if err != nil {
		return problem.InvalidFields("Envoi invalide.", problem.Field{Field: "file", Message: "Envoyez le fichier en multipart/form-data, champ « file »."})
	}
	var (
		m           importer.Mapping
		structureID int64
		planned     []importer.Planned
		imp         store.Import
		got         bool
	)
	// The fields before the file say how to read it.
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return problem.InvalidFields("Envoi invalide.", problem.Field{Field: "file", Message: "Le corps multipart est illisible."})
		}
		switch part.FormName() {
		case "mapping":
			if err := json.NewDecoder(io.LimitReader(part, 1<<16)).Decode(&m); err != nil {
				return problem.InvalidFields("Correspondance illisible.", problem.Field{Field: "mapping",
					Message: `Objet JSON attendu, par exemple {"first_name": "Prénom", "last_name": "Nom", "birth_date": "Date de naissance"}.`})
			}
		case "structure_id":
			b, _ := io.ReadAll(io.LimitReader(part, 32))
			structureID, _ = strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		case "file":
			st, err := s.importStructure(ctx, structureID)
			if err != nil {
				return err
			}
			if len(m) == 0 {
				if saved, err := s.store.ImportMapping(ctx, st.ID); err == nil {
					m = saved
				}
			}
			imp, planned, m, err = s.preview(ctx, st, partName(part), part, m)
			if err != nil {
				return err
			}
			got = true
		}
	}
	if !got {
		return problem.InvalidFields("Aucun fichier.", problem.Field{Field: "file", Message: "Joignez le fichier CSV ou XLSX dans le champ « file »."})
	}
	return writeJSON(w, http.StatusCreated, importJSON(imp, m, planned))
}

func partName(p *multipart.Part) string {
	if n := p.FileName(); n != "" {
		return n
	}
	return "import.csv"
}

// ownImport returns an import of the viewer's structures.
func (s *Server) ownImport(r *http.Request) (store.Import, error) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	imp, err := s.store.ImportByID(r.Context(), id)
	if err == nil {
		_, err = s.importStructure(r.Context(), imp.StructureID)
		if err != nil {
			err = store.ErrNotFound
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		return imp, notFound("Cet import n'existe pas.")
	}
	return imp, err
}

// commitImport writes a previewed import and saves its mapping for the
// structure's next file.
func (s *Server) commitImport(r *http.Request, imp store.Import) (store.ImportSummary, error) {
	ctx := r.Context()
	rules, err := s.store.OrientationRules(ctx, imp.TerritoryID)
	if err != nil {
		return store.ImportSummary{}, err
	}
	v := viewerOf(ctx)
	sum, err := s.store.CommitImport(ctx, imp.ID, rules, store.Actor{AccountID: v.Account.ID, StructureID: imp.StructureID, At: s.now()})
	if errors.Is(err, store.ErrConflict) {
		return sum, problem.New(problem.Conflict, "Cet import a déjà été validé ou annulé, ou des personnes ont été inscrites entre-temps : refaites l'aperçu.")
	}
	if err != nil {
		return sum, err
	}
	var m importer.Mapping
	if json.Unmarshal([]byte(imp.Mapping), &m) == nil {
		if err := s.store.SaveImportMapping(ctx, imp.StructureID, m, s.now()); err != nil {
			s.log.WarnContext(ctx, "correspondance d'import non enregistrée", "error", err.Error())
		}
	}
	return sum, nil
}

func (s *Server) apiCommitImport(w http.ResponseWriter, r *http.Request) error {
	imp, err := s.ownImport(r)
	if err != nil {
		return err
	}
	sum, err := s.commitImport(r, imp)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, apiImport{ID: imp.ID, Status: "committed", Summary: sum})
}

func (s *Server) apiCancelImport(w http.ResponseWriter, r *http.Request) error {
	imp, err := s.ownImport(r)
	if err != nil {
		return err
	}
	if err := s.store.CancelImport(r.Context(), imp.ID); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return problem.New(problem.Conflict, "Cet import a déjà été validé ou annulé.")
		}
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiImportErrors serves the error report as CSV: line, column, message,
// every cell neutralised against formula injection.
func (s *Server) apiImportErrors(w http.ResponseWriter, r *http.Request) error {
	imp, err := s.ownImport(r)
	if err != nil {
		return err
	}
	var rows [][]string
	err = s.store.ImportRows(r.Context(), imp.ID, true, func(row store.ImportRow) error {
		for _, e := range row.Errors {
			rows = append(rows, []string{strconv.Itoa(row.Line), e.Field, e.Message})
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="erreurs-import-%d.csv"`, imp.ID))
	return importer.WriteCSV(w, []string{"Ligne", "Colonne", "Erreur"}, rows)
}
