package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits of the parts of an XLSX archive. A worksheet or the shared strings
// larger than xlsxChunk is unzipped to a temporary file and streamed, as
// excelize does; every other part is held in memory, so their total is
// capped apart.
const (
	xlsxMaxParts    = 10_000
	xlsxChunk       = 16 << 20
	xlsxMaxInMemory = 64 << 20
	xlsxMaxUnzipped = 512 << 20
)

// userError is an error whose message is for the user, in French, and whose
// cause, in the words of a library, is kept for the logs.
type userError struct {
	msg string
	err error
}

func (e *userError) Error() string { return e.msg }
func (e *userError) Unwrap() error { return e.err }

// errUnreadableXLSX is the message on a file that is not a workbook.
const errUnreadableXLSX = "le fichier n'est pas un classeur Excel .xlsx lisible"

// ReadXLSX reads the first sheet that holds data of an XLSX workbook, the
// visible sheets before the hidden ones, in workbook order. Its first
// non-empty row is the header. Cells are read raw, as stored: a date stored
// as a number stays an Excel serial ("31120"), which ParseDate reads, since
// the displayed form depends on a number format that may well be American; a
// formula is not evaluated and its cell keeps the value Excel cached when it
// last saved the file (nothing when another tool wrote the formula without
// computing it). Cells right of the last header cell are ignored: a column
// without a name cannot be mapped to a field. Workbooks using the 1904 date
// system are refused rather than read with every date four years off.
func ReadXLSX(r io.Reader) (t *Table, err error) {
	b, err := readAll(r)
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(b, oleMagic) {
		return nil, errXLS
	}
	if err := checkZip(b); err != nil {
		return nil, err
	}
	defer func() {
		// excelize parses untrusted XML; a panic in it is a bad file,
		// not a reason to bring the server down.
		if p := recover(); p != nil {
			t, err = nil, &userError{msg: errUnreadableXLSX, err: fmt.Errorf("excelize panic: %v", p)}
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{
		UnzipSizeLimit:    xlsxMaxUnzipped,
		UnzipXMLSizeLimit: xlsxChunk,
	})
	if err != nil {
		return nil, &userError{msg: errUnreadableXLSX, err: err}
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			t, err = nil, &userError{msg: errUnreadableXLSX, err: cerr}
		}
	}()
	if props, err := f.GetWorkbookProps(); err != nil {
		return nil, &userError{msg: errUnreadableXLSX, err: err}
	} else if props.Date1904 != nil && *props.Date1904 {
		return nil, errors.New("ce classeur utilise le calendrier depuis 1904 (ancienne option d'Excel pour Mac), qui décale les dates : enregistrez-le au format CSV pour l'importer")
	}

	var visible, hidden []string
	for _, name := range f.GetSheetList() {
		if v, err := f.GetSheetVisible(name); err == nil && !v {
			hidden = append(hidden, name)
		} else {
			visible = append(visible, name)
		}
	}
	for _, name := range append(visible, hidden...) {
		t, err := readSheet(f, name)
		if err != nil {
			return nil, err
		}
		if t != nil {
			return t, nil
		}
	}
	return nil, errors.New("le classeur ne contient aucune donnée")
}

// checkZip refuses an archive that would take too much memory or disk to
// open: too many parts, or parts that unzip too large. The sizes it reads
// are those the archive declares, which archive/zip enforces when it
// unzips.
func checkZip(b []byte) error {
	// Every entry of the central directory starts with this signature, so
	// counting it bounds the entries zip.NewReader would allocate.
	if bytes.Count(b, []byte("PK\x01\x02")) > xlsxMaxParts {
		return fmt.Errorf("%s : l'archive contient plus de %d parties", errUnreadableXLSX, xlsxMaxParts)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return &userError{msg: errUnreadableXLSX, err: err}
	}
	var total, inMemory uint64
	for _, zf := range zr.File {
		size := zf.UncompressedSize64
		if size > xlsxMaxUnzipped {
			return tooLarge()
		}
		total += size
		name := strings.ToLower(strings.ReplaceAll(zf.Name, `\`, "/"))
		streamed := strings.HasPrefix(name, "xl/worksheets/sheet") || name == "xl/sharedstrings.xml"
		if !streamed || size <= xlsxChunk {
			inMemory += size
		}
	}
	if total > xlsxMaxUnzipped || inMemory > xlsxMaxInMemory {
		return tooLarge()
	}
	return nil
}

// tooLarge is the error on a workbook too large once unzipped.
func tooLarge() error {
	return fmt.Errorf("le classeur décompressé dépasse %d Mo : enregistrez-le au format CSV ou découpez-le", xlsxMaxUnzipped>>20)
}

// readSheet reads one sheet into a Table, or returns nil when the sheet
// holds nothing.
func readSheet(f *excelize.File, sheet string) (t *Table, err error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, &userError{msg: errUnreadableXLSX, err: err}
	}
	defer func() {
		if cerr := rows.Close(); cerr != nil && err == nil {
			t, err = nil, &userError{msg: errUnreadableXLSX, err: cerr}
		}
	}()
	var tb builder
	line := 0
	for rows.Next() {
		line++ // Next stops at every row number, missing rows included
		rec, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, &userError{msg: fmt.Sprintf("feuille « %s », ligne %d : cellule illisible", sheet, line), err: err}
		}
		if tb.t.Header != nil && len(rec) > len(tb.t.Header) {
			rec = rec[:len(tb.t.Header)] // cells without a header are ignored
		}
		for i, c := range rec {
			rec[i] = strings.TrimSpace(c)
		}
		if empty(rec) {
			continue
		}
		if tb.t.Header == nil {
			if err := tb.header(rec); err != nil {
				return nil, err
			}
			continue
		}
		if err := tb.add(rec, line); err != nil {
			return nil, err
		}
	}
	if err := rows.Error(); err != nil {
		return nil, &userError{msg: fmt.Sprintf("feuille « %s » illisible", sheet), err: err}
	}
	if tb.t.Header == nil {
		return nil, nil
	}
	return &tb.t, nil
}
