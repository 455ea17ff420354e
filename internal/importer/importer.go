// Package importer turns the lists of beneficiaries that the CAF, the
// Département or France Travail send as CSV or XLSX files into persons: it
// reads the file into a Table, guesses which column feeds which field of a
// person, and parses every row into a person or a list of French errors,
// one per column. It also writes the CSV files Parcours hands out, with
// every cell neutralised against formula injection.
//
// The package is pure: it reads and writes bytes, and touches neither the
// database nor the network. Saving the rows, and refusing the whole file when
// one row is wrong, is the caller's job.
package importer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
)

// Limits of an imported file. A département's list of RSA beneficiaries
// holds a few tens of thousands of persons; the limits leave room for the
// largest while keeping the import of one file under a few hundred MB.
const (
	MaxRows     = 200_000    // data rows, the header not counted
	MaxColumns  = 1_000      // columns of the header
	MaxCells    = 10_000_000 // rows × columns, the memory a Table takes
	MaxLineSize = 10 << 20   // bytes of one CSV record
	MaxFileSize = 100 << 20  // bytes of the file as uploaded, CSV or XLSX
)

// Table is the file as rows of cells, with its header. Every row has exactly
// len(Header) cells, trimmed of surrounding white space; fully empty rows are
// skipped. Lines holds, for each row, its line in the file (the line where
// its record starts in a CSV file, the row number in a spreadsheet), so that
// an error report points where the user looks; the header is on line 1 when
// nothing precedes it.
type Table struct {
	Header []string
	Rows   [][]string
	Lines  []int
}

// Column returns the index of the first column named name, or -1.
func (t *Table) Column(name string) int {
	if name == "" {
		return -1
	}
	for i, h := range t.Header {
		if h == name {
			return i
		}
	}
	return -1
}

// Signatures that tell a spreadsheet from a text file.
var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1} // .xls and encrypted .xlsx
)

// errXLS is the error on an Excel 97-2003 or password-protected workbook.
var errXLS = errors.New("les classeurs Excel 97-2003 (.xls) et les classeurs protégés par un mot de passe ne sont pas pris en charge : enregistrez le fichier au format .xlsx ou CSV")

// Read reads a CSV or XLSX file, chosen by the extension of name (.csv, .tsv
// and .txt are CSV; .xlsx and .xlsm are XLSX) and otherwise by the content:
// a zip archive is XLSX, anything else CSV. A file whose content is plainly
// a workbook is read as one whatever its name, since no text file starts
// with a zip or OLE signature: users rename files.
func Read(name string, r io.Reader) (*Table, error) {
	br := bufio.NewReaderSize(r, 4096)
	head, _ := br.Peek(len(oleMagic))
	switch {
	case bytes.HasPrefix(head, oleMagic):
		return nil, errXLS
	case bytes.HasPrefix(head, zipMagic):
		return ReadXLSX(br)
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		return ReadXLSX(br)
	case ".xls":
		return nil, errXLS
	}
	return ReadCSV(br)
}

// readAll reads r whole, up to MaxFileSize bytes.
func readAll(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("lecture du fichier : %w", err)
	}
	if len(b) > MaxFileSize {
		return nil, fmt.Errorf("le fichier dépasse %d Mo", MaxFileSize>>20)
	}
	return b, nil
}

// builder fills a Table row by row, within the limits.
type builder struct {
	t     Table
	cells []string // storage rows are carved from, to spare an allocation per row
}

// header sets the header: rec trimmed, without its empty cells at the end.
// rec must hold a non-empty cell.
func (b *builder) header(rec []string) error {
	h := make([]string, len(rec))
	for i, c := range rec {
		h[i] = strings.TrimSpace(c)
	}
	for len(h) > 0 && h[len(h)-1] == "" {
		h = h[:len(h)-1]
	}
	if len(h) > MaxColumns {
		return fmt.Errorf("l'en-tête compte %s colonnes, plus que les %s permises : retirez les colonnes inutiles", thousands(len(h)), thousands(MaxColumns))
	}
	b.t.Header = h
	return nil
}

// add appends a row of the header's width: rec padded with empty cells, or
// cut, its extra cells already checked by the caller.
func (b *builder) add(rec []string, line int) error {
	width := len(b.t.Header)
	if len(b.t.Rows) == MaxRows {
		return fmt.Errorf("le fichier dépasse %s lignes : découpez-le en plusieurs fichiers", thousands(MaxRows))
	}
	if (len(b.t.Rows)+1)*width > MaxCells {
		return fmt.Errorf("le fichier dépasse %s cellules (lignes × colonnes) : retirez les colonnes inutiles ou découpez-le", thousands(MaxCells))
	}
	if len(b.cells) < width {
		b.cells = make([]string, max(1, 4096/width)*width)
	}
	row := b.cells[:width:width]
	b.cells = b.cells[width:]
	n := copy(row, rec)
	clear(row[n:])
	b.t.Rows = append(b.t.Rows, row)
	b.t.Lines = append(b.t.Lines, line)
	return nil
}

// thousands writes n with a space between groups of three digits, as French
// does: "200 000".
func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// empty reports whether every cell of row is empty.
func empty(row []string) bool {
	for _, c := range row {
		if c != "" {
			return false
		}
	}
	return true
}
