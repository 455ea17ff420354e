package referential

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fold returns s in the form used to compare names and search labels: lower
// case, without French (and common Latin) diacritics, with ligatures spelled
// out (œ→oe, æ→ae, ß→ss), with hyphens, apostrophes and any run of white space
// turned into one space, and trimmed. It needs no Unicode normalization:
// combining accents of decomposed input are dropped too, so "É" typed on any
// keyboard folds the same way. Other punctuation is kept.
func Fold(s string) string {
	return fold(s, false)
}

// fold implements Fold. With words set, every rune other than a letter or a
// digit is a separator too, and the result starts with a space (see
// searchKey).
func fold(s string, words bool) string {
	var b strings.Builder
	b.Grow(len(s) + 1)
	start := 0 // length of the leading space, if any
	if words {
		b.WriteByte(' ')
		start = 1
	}
	space := false // a separator is pending, written only before the next letter
	for i := 0; i < len(s); {
		c := rune(s[i])
		size := 1
		if c >= utf8.RuneSelf {
			c, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		r1, r2 := foldRune(c)
		if r1 == 0 {
			continue
		}
		if r1 == ' ' || words && !isAlnum(r1) {
			space = b.Len() > start
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if r1 < utf8.RuneSelf {
			b.WriteByte(byte(r1)) // #nosec G115 -- r1 < 0x80 here (ASCII branch)
		} else {
			b.WriteRune(r1)
		}
		if r2 != 0 {
			b.WriteByte(byte(r2)) // #nosec G115 -- always ASCII
		}
	}
	if b.Len() == start {
		return ""
	}
	return b.String()
}

// isAlnum reports whether c is a letter or a digit.
func isAlnum(c rune) bool {
	if c < utf8.RuneSelf {
		return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z'
	}
	return unicode.IsLetter(c) || unicode.IsDigit(c)
}

// foldRune folds one rune into one or two runes. It returns r1 == 0 for a rune
// to drop and r1 == ' ' for a separator.
func foldRune(c rune) (r1, r2 rune) {
	if c < utf8.RuneSelf {
		switch {
		case 'A' <= c && c <= 'Z':
			return c + 'a' - 'A', 0
		case c == '-', c == '\'', c == '`', c == ' ', c == '\t', c == '\n', c == '\r', c == '\v', c == '\f':
			return ' ', 0
		}
		return c, 0
	}
	switch c {
	case '\u00ad': // soft hyphen
		return 0, 0
	case '\u2018', '\u2019', '\u201b', '\u02bc', '\u00b4', '\u2032', // apostrophes and primes
		'\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212': // hyphens and dashes
		return ' ', 0
	}
	if unicode.Is(unicode.Mn, c) { // combining accents of decomposed text
		return 0, 0
	}
	if unicode.IsSpace(c) {
		return ' ', 0
	}
	switch c = unicode.ToLower(c); c {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā', 'ă', 'ą':
		return 'a', 0
	case 'æ':
		return 'a', 'e'
	case 'ç', 'ć', 'ĉ', 'ċ', 'č':
		return 'c', 0
	case 'ď', 'đ', 'ð':
		return 'd', 0
	case 'è', 'é', 'ê', 'ë', 'ē', 'ĕ', 'ė', 'ę', 'ě':
		return 'e', 0
	case 'ĝ', 'ğ', 'ġ', 'ģ':
		return 'g', 0
	case 'ĥ', 'ħ':
		return 'h', 0
	case 'ì', 'í', 'î', 'ï', 'ĩ', 'ī', 'ĭ', 'į', 'ı':
		return 'i', 0
	case 'ĵ':
		return 'j', 0
	case 'ķ':
		return 'k', 0
	case 'ĺ', 'ļ', 'ľ', 'ŀ', 'ł':
		return 'l', 0
	case 'ñ', 'ń', 'ņ', 'ň':
		return 'n', 0
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'ō', 'ŏ', 'ő':
		return 'o', 0
	case 'œ':
		return 'o', 'e'
	case 'ŕ', 'ŗ', 'ř':
		return 'r', 0
	case 'ś', 'ŝ', 'ş', 'š', 'ș':
		return 's', 0
	case 'ß':
		return 's', 's'
	case 'ţ', 'ť', 'ŧ', 'ț':
		return 't', 0
	case 'þ':
		return 't', 'h'
	case 'ù', 'ú', 'û', 'ü', 'ũ', 'ū', 'ŭ', 'ů', 'ű', 'ų':
		return 'u', 0
	case 'ŵ':
		return 'w', 0
	case 'ý', 'ÿ', 'ŷ':
		return 'y', 0
	case 'ź', 'ż', 'ž':
		return 'z', 0
	}
	return c, 0
}

// searchKey is the form a label is searched in: Fold(s) with every run of
// characters other than letters and digits turned into one space, and one
// leading space, so that " "+word matches the start of any word; "" if s has
// no letter or digit. "Accueillant(e) familial(e)" gives
// " accueillant e familial e".
func searchKey(s string) string {
	return fold(s, true)
}
