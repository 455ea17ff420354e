package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// upload sends a file to POST /api/v1/imports.
func (c *client) upload(name, content, mapping string) (*http.Response, string) {
	c.e.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if mapping != "" {
		_ = mw.WriteField("mapping", mapping)
	}
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	res := c.do("POST", "/api/v1/imports", &b, mw.FormDataContentType())
	var out bytes.Buffer
	_, _ = out.ReadFrom(res.Body)
	return res, out.String()
}

const importCSV = "Nom;Prénom;Date de naissance;N° allocataire;Rôle;Code postal;Ville\n" +
	"DUPONT;Marie;12/03/1985;1234567;demandeur;90000;Belfort\n" +
	"DUPONT;Jean;01/02/1983;1234567;conjoint;90000;Belfort\n" +
	"MARTIN;;1990-05-05;7654321;demandeur;90300;Valdoie\n" +
	"NGUYEN;Thi Lan;31/02/1990;1111111;demandeur;90000;Belfort\n" +
	"DUPONT;Marie;12/03/1985;1234567;demandeur;90000;Belfort\n" +
	"\"=HYPERLINK(\"\"http://x\"\")\";Paul;01/01/1980;2222222;demandeur;90000;Belfort\n"

type importAnswer struct {
	ID      int64
	Status  string
	Summary struct{ Create, Update, Unchanged, Error int }
	Rows    []struct {
		Line   int
		Action string
		Errors []struct{ Column, Message string }
	}
}

func TestImportPreviewCommitIdempotent(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		coord := e.apiClient("coord@test.example")
		res, b := coord.upload("liste-caf.csv", importCSV, "")
		var a importAnswer
		if err := json.Unmarshal([]byte(b), &a); err != nil || res.StatusCode != http.StatusCreated {
			t.Fatalf("preview: %d %s", res.StatusCode, b)
		}
		if a.Summary.Create != 2 || a.Summary.Error != 4 || len(a.Rows) != 6 {
			t.Fatalf("summary %+v rows %d: %s", a.Summary, len(a.Rows), b)
		}
		byLine := map[int]string{}
		for _, r := range a.Rows {
			if len(r.Errors) > 0 {
				byLine[r.Line] = r.Errors[0].Column + " : " + r.Errors[0].Message
			}
		}
		for line, want := range map[int]string{4: "Prénom", 5: "Date de naissance", 6: "Doublon de la ligne 2", 7: "Nom"} {
			if !strings.Contains(byLine[line], want) {
				t.Errorf("line %d: %q, want %q", line, byLine[line], want)
			}
		}
		// Nothing is written before the commit, nor after a cancel.
		queue := func() int {
			var q struct{ Total int }
			_ = json.Unmarshal([]byte(coord.mustJSON("GET", "/api/v1/orientations", nil, http.StatusOK)), &q)
			return q.Total
		}
		if n := queue(); n != 0 {
			t.Fatalf("%d requests before the commit", n)
		}
		coord.mustJSON("POST", fmt.Sprintf("/api/v1/imports/%d/cancel", a.ID), nil, http.StatusNoContent)
		if res, _ := coord.json("POST", fmt.Sprintf("/api/v1/imports/%d/commit", a.ID), nil); res.StatusCode != http.StatusConflict {
			t.Errorf("commit after cancel: %d", res.StatusCode)
		}
		if n := queue(); n != 0 {
			t.Fatalf("%d requests after the cancel", n)
		}
		// Preview again and commit: the two good rows enter the queue.
		_, b = coord.upload("liste-caf.csv", importCSV, "")
		_ = json.Unmarshal([]byte(b), &a)
		b = coord.mustJSON("POST", fmt.Sprintf("/api/v1/imports/%d/commit", a.ID), nil, http.StatusOK)
		if !strings.Contains(b, `"create":2`) {
			t.Errorf("commit: %s", b)
		}
		if n := queue(); n != 2 {
			t.Errorf("queue after commit: %d, want 2", n)
		}
		// The error report neutralises formulas.
		res = coord.get(fmt.Sprintf("/api/v1/imports/%d/errors.csv", a.ID))
		report := body(t, res)
		if res.StatusCode != http.StatusOK || !strings.Contains(report, "Doublon") || strings.Contains(report, ";=HYPERLINK") {
			t.Errorf("report: %d %s", res.StatusCode, report)
		}
		// A second import of the same file changes nothing.
		_, b = coord.upload("liste-caf.csv", importCSV, "")
		_ = json.Unmarshal([]byte(b), &a)
		if a.Summary.Create != 0 || a.Summary.Unchanged != 2 {
			t.Errorf("second preview: %+v", a.Summary)
		}
		coord.mustJSON("POST", fmt.Sprintf("/api/v1/imports/%d/commit", a.ID), nil, http.StatusOK)
		if n := queue(); n != 2 {
			t.Errorf("queue after the second import: %d", n)
		}
		// Employers import nothing; another structure's import is not found.
		if res, _ := e.apiClient("emp@test.example").upload("x.csv", importCSV, ""); res.StatusCode != http.StatusForbidden {
			t.Errorf("employer import: %d", res.StatusCode)
		}
		if res, _ := e.apiClient("pro@test.example").json("POST", fmt.Sprintf("/api/v1/imports/%d/commit", a.ID), nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("other structure commits: %d", res.StatusCode)
		}
	})
}

func TestImportBadFileAndMapping(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	coord := e.apiClient("coord@test.example")
	res, b := coord.upload("x.csv", "Colonne;Autre\n1;2\n", "")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(b, "first_name") {
		t.Errorf("unmapped file: %d %s", res.StatusCode, b)
	}
	res, b = coord.upload("x.csv", "A;B;C\nJean;Dupont;01/01/1980\n", `{"first_name": "A", "last_name": "B", "birth_date": "C"}`)
	if res.StatusCode != http.StatusCreated || !strings.Contains(b, `"create":1`) {
		t.Errorf("explicit mapping: %d %s", res.StatusCode, b)
	}
	res, b = coord.upload("x.csv", "A;B\n", `{"first_name": "Z"}`)
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("mapping to a missing column: %d %s", res.StatusCode, b)
	}
}
