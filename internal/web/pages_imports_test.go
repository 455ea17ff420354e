package web

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// uploadPage sends a file to the import form, as a browser does.
func (c *client) uploadPage(name, content string) (*http.Response, string) {
	c.e.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	res := c.do(http.MethodPost, "/imports", &b, mw.FormDataContentType())
	return res, body(c.e.t, res)
}

var validationForm = regexp.MustCompile(`action="/imports/(\d+)/validation"`)

// previewID is the id of the import whose preview page is page.
func previewID(t *testing.T, page string) string {
	t.Helper()
	m := validationForm.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no validation form in the preview:\n%s", page)
	}
	return m[1]
}

func TestImportPages(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	coord := e.signIn("coord@test.example")
	coord.header.Set("Sec-Fetch-Site", "same-origin")
	api := e.apiClient("coord@test.example")
	queue := func() int {
		t.Helper()
		var q struct{ Total int }
		if err := json.Unmarshal([]byte(api.mustJSON("GET", "/api/v1/orientations", nil, http.StatusOK)), &q); err != nil {
			t.Fatal(err)
		}
		return q.Total
	}

	res := coord.get("/imports")
	page := body(t, res)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `enctype="multipart/form-data"`) ||
		!strings.Contains(page, "fr-upload-group") || !strings.Contains(page, `href="/imports" aria-current="page"`) {
		t.Fatalf("upload page: %d\n%s", res.StatusCode, page)
	}

	// The preview lists the errors and writes nothing.
	res, page = coord.uploadPage("liste-caf.csv", importCSV)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d\n%s", res.StatusCode, page)
	}
	for _, want := range []string{"Doublon de la ligne 2", "<td>Date de naissance</td>", "2 lignes sans erreur",
		"Télécharger le rapport d'erreurs (CSV)", "<th scope=\"row\">Prénom</th><td>Prénom</td>", "Valider l'import"} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	id := previewID(t, page)
	if !strings.Contains(page, `href="/api/v1/imports/`+id+`/errors.csv"`) {
		t.Errorf("preview lacks the link to the report")
	}
	if n := queue(); n != 0 {
		t.Fatalf("%d requests after the preview, want 0", n)
	}
	if res := coord.get("/api/v1/imports/" + id + "/errors.csv"); res.StatusCode != http.StatusOK {
		t.Errorf("report with the session: %d", res.StatusCode)
	}

	// Cancelling writes nothing, and the import cannot be validated after.
	res = coord.post("/imports/"+id+"/annulation", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/imports" {
		t.Fatalf("cancel: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if page := body(t, coord.get("/imports")); !strings.Contains(page, "Import annulé : rien n&#39;a été écrit.") {
		t.Errorf("no flash after the cancel")
	}
	res = coord.post("/imports/"+id+"/validation", nil)
	if page := body(t, res); res.StatusCode != http.StatusConflict || !strings.Contains(page, "déjà été validé ou annulé") ||
		strings.Contains(page, "Valider l'import") {
		t.Errorf("validation after the cancel: %d\n%s", res.StatusCode, page)
	}
	if n := queue(); n != 0 {
		t.Fatalf("%d requests after the cancel, want 0", n)
	}

	// Validating writes the good rows and says how many.
	_, page = coord.uploadPage("liste-caf.csv", importCSV)
	id = previewID(t, page)
	res = coord.post("/imports/"+id+"/validation", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/imports" {
		t.Fatalf("validation: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if page := body(t, coord.get("/imports")); !strings.Contains(page, "Import validé : 2 personnes créées, 0 mise à jour.") {
		t.Errorf("no flash after the validation:\n%s", page)
	}
	if n := queue(); n != 2 {
		t.Errorf("%d requests after the validation, want 2", n)
	}
	if res := coord.post("/imports/"+id+"/annulation", nil); res.StatusCode != http.StatusConflict {
		t.Errorf("cancel after the validation: %d", res.StatusCode)
	}

	// A file that cannot be read, or without the required columns, shows
	// the error under the field.
	for name, content := range map[string]string{"vieux.xls": "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1xxxx", "x.csv": "Colonne;Autre\n1;2\n"} {
		res, page = coord.uploadPage(name, content)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "fr-upload-group--error") ||
			!strings.Contains(page, `aria-describedby="file-erreurs"`) || !strings.Contains(page, `href="#file"`) {
			t.Errorf("%s: %d\n%s", name, res.StatusCode, page)
		}
	}
	if !strings.Contains(page, "Prénom") {
		t.Errorf("unmapped file: no message about the first name")
	}
	if n := queue(); n != 2 {
		t.Errorf("%d requests after the bad files, want 2", n)
	}
}

func TestImportPagesRefused(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	emp := e.signIn("emp@test.example")
	emp.header.Set("Sec-Fetch-Site", "same-origin")
	if res := emp.get("/imports"); res.StatusCode != http.StatusForbidden {
		t.Errorf("employer upload page: %d, want 403", res.StatusCode)
	}
	if res, _ := emp.uploadPage("liste.csv", importCSV); res.StatusCode != http.StatusForbidden {
		t.Errorf("employer upload: %d, want 403", res.StatusCode)
	}
	if page := body(t, emp.get("/")); strings.Contains(page, "Importer une liste") {
		t.Errorf("employer menu offers the import")
	}

	// Another structure's import is not found.
	coord := e.signIn("coord@test.example")
	coord.header.Set("Sec-Fetch-Site", "same-origin")
	_, page := coord.uploadPage("liste.csv", importCSV)
	id := previewID(t, page)
	pro := e.signIn("pro@test.example")
	pro.header.Set("Sec-Fetch-Site", "same-origin")
	if res := pro.post("/imports/"+id+"/validation", url.Values{}); res.StatusCode != http.StatusNotFound {
		t.Errorf("other structure validates: %d, want 404", res.StatusCode)
	}
}
