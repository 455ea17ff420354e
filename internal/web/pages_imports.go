package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/spie-parcours/parcours/internal/importer"
	"github.com/spie-parcours/parcours/internal/problem"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/territory"
)

// The import pages: upload a CSV or XLSX list, read its preview, then
// validate or cancel it. Reading, checking, planning and writing are those
// of the API (api_imports.go): these handlers read a form, call them, and
// render.

// previewMaxErrors bounds the error lines the preview page lists; the CSV
// report holds them all.
const previewMaxErrors = 500

// importUploadPage is the upload form, and what was wrong with the file.
type importUploadPage struct {
	page
	Structure  string
	Required   string // the labels of the required columns
	Errors     []errorLink
	FileErrors []string // shown under the field
}

// importPreviewPage is the preview of an import: what validating it does.
type importPreviewPage struct {
	page
	ID                int64
	Filename, Status  string
	Summary           store.ImportSummary
	Mapping           []importMappingRow
	Errors            []importErrorRow // at most previewMaxErrors
	ErrorCount        int              // error lines in all
	Others            int              // rows without error
	Open              bool             // still a preview: may be validated or cancelled
	Alert             string
	MaxErrors         int
	ErrorsOverflowing bool
}

type importMappingRow struct{ Label, Column string }

type importErrorRow struct {
	Line            int
	Column, Message string
}

// importStatuses name an import's status as the preview page says it.
var importStatuses = map[string]string{
	"committed": "Cet import a déjà été validé.",
	"cancelled": "Cet import a été annulé : rien n'a été écrit.",
}

// importsPage is the upload form.
func (s *Server) importsPage(w http.ResponseWriter, r *http.Request) error {
	st, err := s.importStructure(r.Context(), 0)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "imports", s.uploadData(r, st))
	return nil
}

func (s *Server) uploadData(r *http.Request, st territory.Structure) *importUploadPage {
	var required []string
	for _, f := range importer.Fields {
		if f.Required {
			required = append(required, f.Label)
		}
	}
	return &importUploadPage{page: s.page(r, "Importer une liste"), Structure: st.Name, Required: strings.Join(required, ", ")}
}

// previewImportPage reads the uploaded file and shows its preview; nothing
// of the people is written.
func (s *Server) previewImportPage(w http.ResponseWriter, r *http.Request) error {
	st, err := s.importStructure(r.Context(), 0)
	if err != nil {
		return err
	}
	imp, planned, m, err := s.readUpload(r, st)
	if err != nil {
		return s.uploadFailed(w, r, st, err)
	}
	data := s.previewData(r, imp, m)
	for _, p := range planned {
		if p.Action == importer.ActionError {
			data.addErrors(p.Line, p.Errors)
		}
	}
	s.render(w, r, http.StatusOK, "import_preview", data)
	return nil
}

// readUpload previews the file of the form, with the structure's saved
// mapping when it fits the file's columns, else with the guessed one.
func (s *Server) readUpload(r *http.Request, st territory.Structure) (store.Import, []importer.Planned, importer.Mapping, error) {
	ctx := r.Context()
	fileErr := func(msg string) error {
		return problem.InvalidFields("Le fichier n'a pas pu être lu.", problem.Field{Field: "file", Message: msg})
	}
	if r.ContentLength > maxImport {
		return store.Import{}, nil, nil, fileErr("Le fichier dépasse " + strconv.Itoa(maxImport>>20) + " Mo : découpez-le en plusieurs fichiers.")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return store.Import{}, nil, nil, fileErr("Choisissez le fichier CSV ou XLSX à importer.")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return store.Import{}, nil, nil, fileErr("L'envoi du fichier a échoué : réessayez.")
		}
		if part.FormName() != "file" {
			continue
		}
		if part.FileName() == "" {
			break
		}
		b, err := io.ReadAll(part)
		if err != nil {
			return store.Import{}, nil, nil, fileErr("L'envoi du fichier a échoué : réessayez.")
		}
		if saved, err := s.store.ImportMapping(ctx, st.ID); err == nil && len(saved) > 0 {
			imp, planned, m, err := s.preview(ctx, st, part.FileName(), bytes.NewReader(b), saved)
			if p, ok := problem.As(err); !ok || problem.Fields(p.Fields).For("file") != "" {
				return imp, planned, m, err
			}
		}
		return s.preview(ctx, st, part.FileName(), bytes.NewReader(b), nil)
	}
	return store.Import{}, nil, nil, fileErr("Choisissez le fichier CSV ou XLSX à importer.")
}

// uploadFailed shows the upload form again with what is wrong with the
// file: it could not be read, or its columns do not name the required
// fields. Any other error is returned for the error page.
func (s *Server) uploadFailed(w http.ResponseWriter, r *http.Request, st territory.Structure, err error) error {
	p, ok := problem.As(err)
	if !ok || p.Kind != problem.Invalid {
		return err
	}
	fields := p.Fields
	if len(fields) == 0 {
		fields = problem.Fields{{Field: "file", Message: p.Detail}}
	}
	data := s.uploadData(r, st)
	for _, f := range fields {
		msg := f.Message
		for _, fi := range importer.Fields {
			if fi.Code == f.Field && !strings.Contains(msg, "« "+fi.Label+" »") {
				msg = fi.Label + " : " + msg
			}
		}
		data.FileErrors = append(data.FileErrors, msg)
		data.Errors = append(data.Errors, errorLink{Href: "#file", Text: msg})
	}
	s.render(w, r, kinds[p.Kind].status, "imports", data)
	return nil
}

// previewData builds the preview page of an import, without its error
// lines.
func (s *Server) previewData(r *http.Request, imp store.Import, m importer.Mapping) *importPreviewPage {
	data := &importPreviewPage{page: s.page(r, "Aperçu de l'import"), ID: imp.ID, Filename: imp.Filename,
		Status: importStatuses[imp.Status], Summary: imp.Summary, Open: imp.Status == "preview", MaxErrors: previewMaxErrors,
		Others: imp.Summary.Create + imp.Summary.Update + imp.Summary.Unchanged}
	for _, f := range importer.Fields {
		if h := m[f.Code]; h != "" {
			data.Mapping = append(data.Mapping, importMappingRow{Label: f.Label, Column: h})
		}
	}
	return data
}

// addErrors lists the errors of a row, up to previewMaxErrors lines.
func (d *importPreviewPage) addErrors(line int, errs []problem.Field) {
	for _, e := range errs {
		d.ErrorCount++
		if len(d.Errors) < previewMaxErrors {
			d.Errors = append(d.Errors, importErrorRow{Line: line, Column: e.Field, Message: e.Message})
		}
	}
	d.ErrorsOverflowing = d.ErrorCount > len(d.Errors)
}

// renderStoredPreview shows the preview of an import as stored, with an
// alert: after a validation or a cancellation that could not be done.
func (s *Server) renderStoredPreview(w http.ResponseWriter, r *http.Request, id int64, status int, alert string) error {
	ctx := r.Context()
	imp, err := s.store.ImportByID(ctx, id)
	if err != nil {
		return err
	}
	var m importer.Mapping
	_ = json.Unmarshal([]byte(imp.Mapping), &m) // a mapping that cannot be read is not shown
	data := s.previewData(r, imp, m)
	data.Alert = alert
	err = s.store.ImportRows(ctx, imp.ID, true, func(row store.ImportRow) error {
		data.addErrors(row.Line, row.Errors)
		return nil
	})
	if err != nil {
		return err
	}
	s.render(w, r, status, "import_preview", data)
	return nil
}

// previewFailed shows the preview again with a conflict's message; any
// other error is returned for the error page.
func (s *Server) previewFailed(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	p, ok := problem.As(err)
	if !ok || p.Kind != problem.Conflict {
		return err
	}
	return s.renderStoredPreview(w, r, id, kinds[p.Kind].status, p.Detail)
}

// commitImportPage writes a previewed import.
func (s *Server) commitImportPage(w http.ResponseWriter, r *http.Request) error {
	imp, err := s.ownImport(r)
	if err != nil {
		return err
	}
	sum, err := s.commitImport(r, imp)
	if err != nil {
		return s.previewFailed(w, r, imp.ID, err)
	}
	s.redirectWithFlash(w, r, "/imports", countFlash("import-committed", sum.Create, sum.Update))
	return nil
}

// cancelImportPage cancels a previewed import: nothing is written.
func (s *Server) cancelImportPage(w http.ResponseWriter, r *http.Request) error {
	imp, err := s.ownImport(r)
	if err != nil {
		return err
	}
	if err := s.store.CancelImport(r.Context(), imp.ID); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return s.previewFailed(w, r, imp.ID, problem.New(problem.Conflict, "Cet import a déjà été validé ou annulé."))
		}
		return err
	}
	s.redirectWithFlash(w, r, "/imports", "import-cancelled")
	return nil
}

// importCommittedFlash is the message after a validation: n holds the
// people created and updated.
func importCommittedFlash(n []int) string {
	created, updated := n[0], n[1]
	return "Import validé : " + strconv.Itoa(created) + " personne" + plural(created, " créée", "s créées") + ", " +
		strconv.Itoa(updated) + plural(updated, " mise à jour.", " mises à jour.")
}
