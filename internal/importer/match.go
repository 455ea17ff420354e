package importer

import (
	"time"

	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/referential"
)

// The actions committing a row takes.
const (
	ActionCreate    = "create"
	ActionUpdate    = "update"
	ActionUnchanged = "unchanged"
	ActionError     = "error"
)

// Index is what rows are matched against: the known people of the
// territory, by France Travail id, by CAF number and role, and by identity
// (first name, last or birth name, birth date, as person.Keys folds them).
type Index struct {
	byFT       map[string]int64
	byCAF      map[string]int64
	byIdentity map[string]int64
	persons    map[int64]person.Person
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{byFT: map[string]int64{}, byCAF: map[string]int64{}, byIdentity: map[string]int64{}, persons: map[int64]person.Person{}}
}

// Add indexes a known person.
func (ix *Index) Add(p person.Person) {
	ix.persons[p.ID] = p
	if p.FranceTravailID != "" {
		ix.byFT[p.FranceTravailID] = p.ID
	}
	if p.CAFNumber != "" {
		ix.byCAF[p.CAFNumber+"|"+p.CAFRole] = p.ID
	}
	first, last, birth := p.Keys()
	date := p.BirthDate.Format(time.DateOnly)
	ix.byIdentity[first+"|"+last+"|"+date] = p.ID
	if birth != "" {
		ix.byIdentity[first+"|"+birth+"|"+date] = p.ID
	}
}

// Len is the number of people indexed.
func (ix *Index) Len() int { return len(ix.persons) }

// match finds the known person a row is about: by France Travail id, then
// by CAF number and role, then by identity.
func (ix *Index) match(p person.Person) (person.Person, bool) {
	if p.FranceTravailID != "" {
		if id, ok := ix.byFT[p.FranceTravailID]; ok {
			return ix.persons[id], true
		}
	}
	if p.CAFNumber != "" {
		if id, ok := ix.byCAF[p.CAFNumber+"|"+p.CAFRole]; ok {
			return ix.persons[id], true
		}
	}
	first, last, birth := p.Keys()
	date := p.BirthDate.Format(time.DateOnly)
	for _, k := range []string{first + "|" + last + "|" + date, first + "|" + birth + "|" + date} {
		if id, ok := ix.byIdentity[k]; ok {
			return ix.persons[id], true
		}
	}
	return person.Person{}, false
}

// Planned is a row and what committing it does.
type Planned struct {
	Row
	Action   string
	PersonID int64 // the known person, for update and unchanged
}

// Plan decides what committing each row does: a row with errors is left; a
// row about a known person updates it when the file brings a value the
// record does not hold (an empty cell never erases), else leaves it
// unchanged; any other row creates a person. Importing the same file twice
// therefore changes nothing the second time.
func Plan(rows []Row, ix *Index) []Planned {
	out := make([]Planned, len(rows))
	for i, r := range rows {
		r.Person.CAFRole = r.Role
		out[i] = Planned{Row: r}
		switch known, ok := ix.match(r.Person); {
		case len(r.Errors) > 0:
			out[i].Action = ActionError
		case !ok:
			out[i].Action = ActionCreate
		case changes(known, r.Person):
			out[i].Action, out[i].PersonID = ActionUpdate, known.ID
		default:
			out[i].Action, out[i].PersonID = ActionUnchanged, known.ID
		}
	}
	return out
}

// changes reports whether the imported person brings a value that the known
// one does not hold. Names count too: a corrected spelling is an update.
func changes(known, in person.Person) bool {
	differs := func(have, got string) bool { return got != "" && got != have }
	return differs(known.FirstName, in.FirstName) || differs(known.LastName, in.LastName) ||
		differs(known.BirthName, in.BirthName) || differs(known.Sex, in.Sex) || differs(known.Email, in.Email) ||
		differs(known.Phone, in.Phone) || differs(known.Address, in.Address) || differs(known.CommuneINSEE, in.CommuneINSEE) ||
		differs(known.CAFNumber, in.CAFNumber) || differs(known.CAFRole, in.CAFRole) ||
		differs(known.FranceTravailID, in.FranceTravailID) || differs(known.RSARight, in.RSARight) ||
		(!in.RSAOpenedOn.IsZero() && !in.RSAOpenedOn.Equal(known.RSAOpenedOn)) ||
		(in.LongTermUnemployed && !known.LongTermUnemployed)
}

// Prepare turns a table into planned rows: the mapping given, else one
// guessed from the header; a mapping that does not fit the file is an
// Invalid error naming the fields. Rows are parsed (territory is the
// département code) and planned against the index. It returns the mapping
// used. The pages, the API and the command line all go through it.
func Prepare(t *Table, m Mapping, ref *referential.Referential, territory string, ix *Index, now time.Time) (Mapping, []Planned, error) {
	if len(m) == 0 {
		m = GuessMapping(t.Header)
	}
	if err := m.Validate(t.Header).Err(); err != nil {
		return m, nil, err
	}
	return m, Plan(ParseRows(t, m, ref, territory, now), ix), nil
}
