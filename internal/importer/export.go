package importer

import (
	"encoding/csv"
	"fmt"
	"io"
)

// NeutralizeCSV returns cell as a spreadsheet will show it but never run
// it: a cell starting with '=', '+', '-', '@', a tab or a carriage return
// gets a leading apostrophe, so that "=HYPERLINK(…)" is text, not a formula
// (OWASP, CSV injection). Every CSV file Parcours hands out goes through it.
func NeutralizeCSV(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + cell
	}
	return cell
}

// WriteCSV writes a CSV file that French Excel opens as it is: UTF-8 with a
// byte order mark, cells separated by semicolons, lines ended by CRLF, and
// every cell, the header's too, neutralised by NeutralizeCSV.
func WriteCSV(w io.Writer, header []string, rows [][]string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("importer: write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	rec := make([]string, 0, len(header))
	write := func(cells []string) error {
		rec = rec[:0]
		for _, c := range cells {
			rec = append(rec, NeutralizeCSV(c))
		}
		return cw.Write(rec)
	}
	if err := write(header); err != nil {
		return fmt.Errorf("importer: write csv: %w", err)
	}
	for _, r := range rows {
		if err := write(r); err != nil {
			return fmt.Errorf("importer: write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("importer: write csv: %w", err)
	}
	return nil
}
