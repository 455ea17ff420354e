package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// ReadCSV reads a CSV file as Excel, LibreOffice and the information systems
// of the CAF and France Travail write them. The encoding is UTF-8 (with or
// without a byte order mark) when the bytes are valid UTF-8, UTF-16 when a
// byte order mark says so (Excel's "Texte Unicode"), and Windows-1252 (what
// French Excel writes for "CSV (séparateur : point-virgule)") otherwise. The
// separator is ';', ',' or a tab, whichever the header line holds most of
// outside quotes. Quotes follow RFC 4180. Fully empty lines, including lines
// of separators only, are skipped; cells are trimmed. The header is the first
// non-empty line; empty header cells at its end are dropped. A row with more
// filled cells than the header has columns is an error, since it means a
// separator inside an unquoted cell, and would shift every value after it.
// Errors are in French and give the line: « ligne 12 : guillemet non
// fermé ».
func ReadCSV(r io.Reader) (*Table, error) {
	b, err := readAll(r)
	if err != nil {
		return nil, err
	}
	text, err := decode(b)
	if err != nil {
		return nil, err
	}
	if !strings.Contains(text, "\n") && strings.Contains(text, "\r") {
		text = strings.ReplaceAll(text, "\r", "\n") // classic Mac line endings
	}

	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = detectComma(text)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	var tb builder
	for {
		start := cr.InputOffset()
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, csvError(pe, text)
			}
			return nil, fmt.Errorf("lecture du fichier : %w", err)
		}
		line, _ := cr.FieldPos(0)
		if cr.InputOffset()-start > MaxLineSize {
			return nil, fmt.Errorf("ligne %d : la ligne dépasse %d Mo ; un guillemet n'est-il pas fermé ?", line, MaxLineSize>>20)
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
		filled := len(rec)
		for filled > 0 && rec[filled-1] == "" {
			filled--
		}
		if filled > len(tb.t.Header) {
			return nil, fmt.Errorf("ligne %d : %d colonnes remplies alors que l'en-tête en compte %d ; vérifiez le séparateur et les guillemets de cette ligne", line, filled, len(tb.t.Header))
		}
		if err := tb.add(rec, line); err != nil {
			return nil, err
		}
	}
	if tb.t.Header == nil {
		return nil, errors.New("le fichier est vide")
	}
	return &tb.t, nil
}

// decode returns the text of a CSV file in UTF-8, without its byte order
// mark.
func decode(b []byte) (string, error) {
	var text string
	switch {
	case bytes.HasPrefix(b, []byte{0xef, 0xbb, 0xbf}):
		text = string(b[3:])
		if !utf8.ValidString(text) {
			return "", errors.New("le fichier annonce l'encodage UTF-8 mais contient des caractères invalides : enregistrez-le à nouveau au format « CSV UTF-8 »")
		}
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		text = decodeUTF16(b[2:], false)
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		text = decodeUTF16(b[2:], true)
	case utf8.Valid(b):
		text = string(b)
	default:
		d, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err != nil {
			return "", fmt.Errorf("encodage du fichier illisible : %w", err)
		}
		text = string(d)
	}
	if strings.IndexByte(text, 0) >= 0 {
		return "", errors.New("le fichier contient des caractères nuls : ce n'est pas un fichier CSV (depuis Excel, enregistrez-le au format « CSV UTF-8 »)")
	}
	return text, nil
}

// decodeUTF16 decodes UTF-16 text; a last odd byte is dropped.
func decodeUTF16(b []byte, bigEndian bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		hi, lo := b[2*i+1], b[2*i]
		if bigEndian {
			hi, lo = lo, hi
		}
		u[i] = uint16(hi)<<8 | uint16(lo)
	}
	return string(utf16.Decode(u))
}

// detectComma returns the separator of the header line, the first line that
// holds more than white space: ';', ',' or a tab, the one found most often
// outside quotes, ';' winning ties as the French Excel separator. A header
// of one column has none; ',' is as good as any then.
func detectComma(text string) rune {
	for len(text) > 0 {
		line, rest, _ := strings.Cut(text, "\n")
		if strings.TrimSpace(line) != "" {
			break
		}
		text = rest
	}
	var semi, comma, tab int
	quoted := false
scan:
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n':
			break scan
		case c == ';':
			semi++
		case c == ',':
			comma++
		case c == '\t':
			tab++
		}
	}
	switch {
	case semi > 0 && semi >= comma && semi >= tab:
		return ';'
	case comma > 0 && comma >= tab:
		return ','
	case tab > 0:
		return '\t'
	}
	return ','
}

// csvError turns a parse error of encoding/csv into a French message. An
// "extraneous or missing quote" error is either a quoted cell never closed,
// which encoding/csv reports at the end of the input, or text after a
// closing quote.
func csvError(pe *csv.ParseError, text string) error {
	switch pe.Err {
	case csv.ErrBareQuote:
		return fmt.Errorf("ligne %d : guillemet au milieu d'une cellule sans guillemets ; entourez la cellule de guillemets et doublez ceux qu'elle contient (\"\")", pe.Line)
	case csv.ErrQuote:
		if offset(text, pe.Line, pe.Column) >= len(text) {
			return fmt.Errorf("ligne %d : guillemet non fermé", pe.StartLine)
		}
		return fmt.Errorf("ligne %d : texte après un guillemet fermant ; doublez les guillemets à l'intérieur d'une cellule (\"\")", pe.Line)
	}
	return fmt.Errorf("ligne %d : %v", pe.Line, pe.Err)
}

// offset returns the byte offset of a 1-based line and column in text, or
// len(text) when they lie beyond it.
func offset(text string, line, column int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			return len(text)
		}
		off += i + 1
	}
	return min(off+column-1, len(text))
}
