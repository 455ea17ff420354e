package importer

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spie-parcours/parcours/internal/referential"
)

// communes finds the INSEE code of a commune from its postal code and name,
// as CAF and France Travail files give them. It looks in the territory's
// département first, then in all of France, and remembers its answers: a
// file names the same few communes again and again.
type communes struct {
	ref       *referential.Referential
	territory string
	local     *communeIndex // the territory's communes; nil until needed
	national  *communeIndex // every commune; nil until needed
	scans     int           // national lookups made without the full index
	answers   map[[2]string]commune
}

// maxScans is how many lookups outside the territory are made by searching
// the referential, about a millisecond each, before building the index of
// every commune, some tens of milliseconds: a small file, or a file of the
// territory, never pays for the full index, and a large file of all France
// pays for it once.
const maxScans = 16

// commune is the answer for a postal code and a name: an INSEE code, or the
// field to blame and a French message.
type commune struct {
	insee, field, msg string
}

// communeIndex indexes a list of communes by postal code and, once a name
// alone is looked up, by name key. The keys of a name are computed on first
// need: most lookups compare a name with the few communes of a postal code.
type communeIndex struct {
	list     []referential.Commune
	keys     []string // communeKeys of each name; "" until computed
	bases    []string
	byPostal map[string][]int
	byName   map[string][]int // nil until needed
}

func newCommunes(ref *referential.Referential, territory string) *communes {
	return &communes{
		ref:       ref,
		territory: strings.ToUpper(strings.TrimSpace(territory)),
		answers:   map[[2]string]commune{},
	}
}

func newIndex(list []referential.Commune) *communeIndex {
	x := &communeIndex{
		list:     list,
		keys:     make([]string, len(list)),
		bases:    make([]string, len(list)),
		byPostal: make(map[string][]int, len(list)),
	}
	for i, c := range list {
		for _, p := range c.PostalCodes {
			x.byPostal[p] = append(x.byPostal[p], i)
		}
	}
	return x
}

// key returns the name keys of commune i.
func (x *communeIndex) key(i int) (key, base string) {
	if x.keys[i] == "" {
		x.keys[i], x.bases[i] = communeKeys(x.list[i].Name)
	}
	return x.keys[i], x.bases[i]
}

// named returns the communes whose name has key.
func (x *communeIndex) named(key string) []int {
	if x.byName == nil {
		x.byName = make(map[string][]int, len(x.list))
		for i := range x.list {
			k, _ := x.key(i)
			x.byName[k] = append(x.byName[k], i)
		}
	}
	return x.byName[key]
}

// localIndex returns the index of the territory's communes, nil without a
// territory.
func (c *communes) localIndex() *communeIndex {
	if c.local == nil && c.territory != "" {
		c.local = newIndex(c.ref.CommunesIn(c.territory))
	}
	return c.local
}

// nationalIndex returns the index of every commune: those of every
// département code, "01" to "99", "2A", "2B" and "970" to "999" overseas,
// as an INSEE code starts with its département's code.
func (c *communes) nationalIndex() *communeIndex {
	if c.national == nil {
		var list []referential.Commune
		for _, d := range departementCodes() {
			list = append(list, c.ref.CommunesIn(d)...)
		}
		c.national = newIndex(list)
	}
	return c.national
}

// nationalFor returns an index of the communes of France that holds every
// commune with the postal code cp, or if cp is empty, every commune whose
// name key is key: the full index, or for the first lookups, an index of
// what the referential's search finds. A search by postal code finds every
// commune with that code; a search by the first letter of key finds every
// name with a word starting with it, among which every name whose key is
// key, since a key starts with the first letter of the name.
func (c *communes) nationalFor(cp, key string) *communeIndex {
	if c.national != nil || c.scans >= maxScans {
		return c.nationalIndex()
	}
	var list []referential.Commune
	switch first, _ := utf8.DecodeRuneInString(key); {
	case cp != "":
		for _, x := range c.ref.SearchCommunes(cp, "", 0) {
			if slices.Contains(x.PostalCodes, cp) {
				list = append(list, x)
			}
		}
	case unicode.IsLetter(first): // a digit would be read as a code
		list = c.ref.SearchCommunes(string(first), "", 0)
	default:
		return c.nationalIndex()
	}
	c.scans++
	return newIndex(list)
}

// departementCodes returns every code a département or collectivité
// d'outre-mer can have.
func departementCodes() []string {
	codes := []string{"2A", "2B"}
	for n := 1; n <= 99; n++ {
		codes = append(codes, fmt.Sprintf("%02d", n))
	}
	for n := 970; n <= 999; n++ {
		codes = append(codes, strconv.Itoa(n))
	}
	return codes
}

// resolve returns the commune of a postal code and a commune name, either of
// which may be empty; the zero commune when both are.
func (c *communes) resolve(postal, name string) commune {
	k := [2]string{postal, name}
	if a, ok := c.answers[k]; ok {
		return a
	}
	a := c.lookup(postal, name)
	c.answers[k] = a
	return a
}

func (c *communes) lookup(postal, name string) commune {
	cp := strings.Join(strings.Fields(postal), "")
	if len(cp) == 4 && allDigits(cp) {
		cp = "0" + cp // a spreadsheet dropped the leading zero of 01000
	}
	if cp != "" && (len(cp) != 5 || !allDigits(cp)) {
		return commune{field: fieldPostalCode, msg: fmt.Sprintf("Le code postal %s doit compter 5 chiffres.", quote(postal))}
	}
	key, base := communeKeys(name)
	if cp == "" && name == "" {
		return commune{}
	}
	if name != "" && key == "" {
		return commune{field: fieldCommuneName, msg: fmt.Sprintf("Le nom de commune %s est illisible.", quote(name))}
	}

	pick := func(x *communeIndex) (commune, bool) {
		switch found := x.find(cp, key, base); {
		case len(found) == 1:
			return commune{insee: x.list[found[0]].INSEE}, true
		case len(found) > 1 && key == "":
			return commune{field: fieldPostalCode, msg: fmt.Sprintf("Plusieurs communes ont le code postal %s : indiquez aussi le nom de la commune.", cp)}, true
		case len(found) > 1 && cp == "":
			return commune{field: fieldCommuneName, msg: fmt.Sprintf("Plusieurs communes s'appellent %s : indiquez aussi le code postal.", quote(name))}, true
		case len(found) > 1:
			return commune{field: fieldCommuneName, msg: fmt.Sprintf("Plusieurs communes s'appellent %s avec le code postal %s : indiquez le code INSEE.", quote(name), cp)}, true
		}
		return commune{}, false
	}
	if x := c.localIndex(); x != nil {
		if a, ok := pick(x); ok {
			return a
		}
	}
	national := c.nationalFor(cp, key)
	if a, ok := pick(national); ok {
		return a
	}
	switch {
	case cp != "" && len(national.byPostal[cp]) == 0:
		return commune{field: fieldPostalCode, msg: fmt.Sprintf("Le code postal %s ne correspond à aucune commune.", cp)}
	case cp != "":
		return commune{field: fieldCommuneName, msg: fmt.Sprintf("Aucune commune %s n'a le code postal %s.", quote(name), cp)}
	}
	return commune{field: fieldCommuneName, msg: fmt.Sprintf("La commune %s est inconnue.", quote(name))}
}

// find returns the communes with the postal code cp (if any) and the name of
// key or base (if any). A name matches on its key, else on its base, the key
// without arrondissement or CEDEX ("PARIS 11" finds Paris). When both a
// commune and its arrondissements match, the commune wins.
func (x *communeIndex) find(cp, key, base string) []int {
	var cands []int
	if cp != "" {
		cands = x.byPostal[cp]
		if key != "" {
			cands = x.filter(cands, key, base)
		}
	} else {
		cands = x.named(key)
		if len(cands) == 0 && base != key {
			cands = x.named(base)
		}
	}
	var whole []int
	for _, i := range cands {
		if !strings.HasSuffix(x.list[i].Name, " Arrondissement") {
			whole = append(whole, i)
		}
	}
	if len(whole) > 0 && len(whole) < len(cands) {
		return whole
	}
	return cands
}

// filter keeps the candidates whose name key is key, else base; else those
// whose name base is base.
func (x *communeIndex) filter(cands []int, key, base string) []int {
	for pass := range 3 {
		var out []int
		for _, i := range cands {
			k, b := x.key(i)
			if pass == 0 && k == key || pass == 1 && k == base || pass == 2 && b == base {
				out = append(out, i)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// communeKeys returns the forms a commune name is compared in. key is the
// name folded, its letters and digits only, with "St" and "Ste" spelled out
// and an article written after the name in parentheses moved to the front:
// "ST GERMAIN LE CHATELET" and "Saint-Germain-le-Châtelet" both give
// "saintgermainlechatelet", "Mans (Le)" and "LE MANS" both "lemans". base is
// key without what a postal address appends to the name: a CEDEX, an
// arrondissement ("PARIS 11", "Lyon 3e arrondissement").
func communeKeys(name string) (key, base string) {
	name = strings.TrimSpace(name)
	if strings.HasSuffix(name, ")") {
		if i := strings.LastIndexByte(name, '('); i > 0 {
			switch referential.Fold(name[i+1 : len(name)-1]) {
			case "le", "la", "les", "l":
				name = name[i+1:len(name)-1] + " " + name[:i]
			}
		}
	}
	words := strings.FieldsFunc(referential.Fold(name), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for i, w := range words {
		switch w {
		case "st":
			words[i] = "saint"
		case "ste":
			words[i] = "sainte"
		}
	}
	key = strings.Join(words, "")
	n := len(words)
	for i, w := range words {
		if w == "cedex" {
			n = i
			break
		}
	}
	for n > 1 && codeWord(words[n-1]) {
		n--
	}
	return key, strings.Join(words[:n], "")
}

// codeWord reports whether w is a word a postal address appends to a
// commune name.
func codeWord(w string) bool {
	return w == "cedex" || w == "arrondissement" || w == "arr" || ordinal(w)
}

// ordinal reports whether w is a number or an ordinal: "11", "1er", "3e",
// "3eme".
func ordinal(w string) bool {
	i := 0
	for i < len(w) && '0' <= w[i] && w[i] <= '9' {
		i++
	}
	if i == 0 {
		return false
	}
	switch w[i:] {
	case "", "e", "er", "eme", "ere", "em":
		return true
	}
	return false
}
