package matching

import (
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Index is the in-memory set of a territory's open offers and proposable
// people, keyed by ID, that the rankings read. It is safe for concurrent
// use: writers take a lock and publish a new snapshot; readers load the
// current snapshot without locking, and keep it as long as they need,
// whatever is written meanwhile. Its zero value is empty and ready.
//
// Intended use: the web server keeps one Index per territory. Before each
// ranking it asks the store for the rows changed since Since(), minus a
// small overlap (a minute) against transactions committed late, offers and
// profiles in one read transaction; it upserts the open offers and the
// proposable people, removes the others (closed or filled offers, people
// no longer followed or whose référent withdrew the agreement), and calls
// Advance with the newest time of the rows read. With nothing changed this
// is one indexed query returning no row, so several server instances, each
// with its own Index, stay consistent with the database and with each
// other. Refreshes of one Index should not run concurrently (one at a
// time, e.g. behind a mutex of the caller): a row removed by one and
// upserted from an older read by the other would come back.
//
// A write copies the slice it changes, O(n) for a batch of any size: apply
// a refresh's rows in one call. The codes of offers and profiles
// (appellations, ROME codes, domaines, grands domaines, contracts) are
// interned, equal codes read from different rows sharing one string, and a
// profile's lists are copied into one array: this saves memory and keeps
// the rankings' reads close together in the processor's cache.
type Index struct {
	mu       sync.Mutex        // serialises writers
	offerAt  map[int64]int     // offer ID → position in the current offers
	personAt map[int64]int     // person ID → position in the current profiles
	codes    map[string]string // interned codes
	snap     atomic.Pointer[snapshot]
}

// snapshot is an immutable state of the index.
type snapshot struct {
	offers   []Offer
	profiles []Profile
	since    time.Time
}

func (x *Index) load() *snapshot {
	if s := x.snap.Load(); s != nil {
		return s
	}
	return &snapshot{}
}

// Offers returns the current offers, in no particular order. The slice is
// shared with other readers: it must not be modified.
func (x *Index) Offers() []Offer {
	s := x.load()
	return s.offers[:len(s.offers):len(s.offers)]
}

// Profiles returns the current profiles, in no particular order. The slice
// is shared with other readers: it must not be modified.
func (x *Index) Profiles() []Profile {
	s := x.load()
	return s.profiles[:len(s.profiles):len(s.profiles)]
}

// Since returns the newest UpdatedAt of the offers and profiles upserted,
// or the time given to Advance if later: the store loads the rows changed
// since then. It is zero for an empty index, which loads everything.
func (x *Index) Since() time.Time { return x.load().since }

// Advance records that the rows changed up to t were applied, such as the
// rows of removed offers and people, which Upsert does not see.
func (x *Index) Advance(t time.Time) {
	x.mu.Lock()
	defer x.mu.Unlock()
	cur := x.load()
	if !t.After(cur.since) {
		return
	}
	next := *cur
	next.since = t
	x.snap.Store(&next)
}

// Upsert adds offers or replaces those with the same ID. An offer older
// (UpdatedAt) than the one held is ignored, so that replaying rows is
// harmless.
func (x *Index) Upsert(offers ...Offer) {
	if len(offers) == 0 {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.offerAt == nil {
		x.offerAt = make(map[int64]int)
	}
	if x.codes == nil {
		x.codes = make(map[string]string)
	}
	cur := x.load()
	next := *cur
	next.offers, next.since = upsert(cur.offers, offers, x.offerAt, cur.since,
		func(o *Offer) (int64, time.Time) { return o.OfferID, o.UpdatedAt }, x.intern)
	x.snap.Store(&next)
}

// UpsertProfiles adds profiles or replaces those with the same person ID. A
// profile older (UpdatedAt) than the one held is ignored.
func (x *Index) UpsertProfiles(profiles ...Profile) {
	if len(profiles) == 0 {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.personAt == nil {
		x.personAt = make(map[int64]int)
	}
	if x.codes == nil {
		x.codes = make(map[string]string)
	}
	cur := x.load()
	next := *cur
	next.profiles, next.since = upsert(cur.profiles, profiles, x.personAt, cur.since,
		func(p *Profile) (int64, time.Time) { return p.PersonID, p.UpdatedAt }, x.pack)
	x.snap.Store(&next)
}

// RemoveOffers removes the offers of these IDs; an unknown ID is ignored.
func (x *Index) RemoveOffers(ids ...int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	cur := x.load()
	next := *cur
	next.offers = remove(cur.offers, ids, x.offerAt, func(o *Offer) int64 { return o.OfferID })
	x.snap.Store(&next)
}

// RemoveProfiles removes the profiles of these person IDs; an unknown ID is
// ignored.
func (x *Index) RemoveProfiles(ids ...int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	cur := x.load()
	next := *cur
	next.profiles = remove(cur.profiles, ids, x.personAt, func(p *Profile) int64 { return p.PersonID })
	x.snap.Store(&next)
}

// pack copies p's lists of codes into one array, interned, so that
// ranking people reads each person's codes from one place in memory rather
// than from five. The caller's lists are left alone.
func (x *Index) pack(p *Profile) {
	lists := [...]*[]string{&p.Appellations, &p.ROMECodes, &p.Domaines, &p.GrandDomaines, &p.Contracts}
	n := 0
	for _, l := range lists {
		n += len(*l)
	}
	if n == 0 {
		return
	}
	buf := make([]string, 0, n)
	for _, l := range lists {
		start := len(buf)
		for _, s := range *l {
			buf = append(buf, x.code(s))
		}
		if len(*l) > 0 {
			*l = buf[start:len(buf):len(buf)]
		}
	}
}

// code returns the interned copy of s.
func (x *Index) code(s string) string {
	if v, ok := x.codes[s]; ok {
		return v
	}
	x.codes[s] = s
	return s
}

// intern makes o's codes share the strings of equal codes seen before.
func (x *Index) intern(o *Offer) {
	for _, s := range [...]*string{&o.Appellation, &o.ROMECode, &o.Domaine, &o.GrandDomaine, &o.Contract} {
		*s = x.code(*s)
	}
}

// upsert returns a copy of items with rows applied, keeping at, the
// positions by ID, in step, and the newest UpdatedAt seen. fix, if not nil,
// is applied to each row stored.
func upsert[T any](items, rows []T, at map[int64]int, since time.Time, key func(*T) (int64, time.Time), fix func(*T)) ([]T, time.Time) {
	// An incremental load replays the rows of its overlap: when none is
	// new, newer than the one held, or as new but different, nothing is
	// copied.
	fresh := false
	for i := range rows {
		id, updated := key(&rows[i])
		if updated.After(since) {
			since = updated
		}
		k, ok := at[id]
		if !ok {
			fresh = true
			continue
		}
		was := held(key, &items[k])
		if updated.After(was) || (updated.Equal(was) && !reflect.DeepEqual(rows[i], items[k])) {
			fresh = true
		}
	}
	if !fresh {
		return items, since
	}
	out := make([]T, len(items), len(items)+len(rows))
	copy(out, items)
	for i := range rows {
		id, updated := key(&rows[i])
		if updated.After(since) {
			since = updated
		}
		k, ok := at[id]
		switch {
		case !ok:
			k = len(out)
			at[id] = k
			out = append(out, rows[i])
		case updated.Before(held(key, &out[k])):
			continue
		default:
			out[k] = rows[i]
		}
		if fix != nil {
			fix(&out[k])
		}
	}
	return out, since
}

// held returns the UpdatedAt of v, the version the index holds.
func held[T any](key func(*T) (int64, time.Time), v *T) time.Time {
	_, t := key(v)
	return t
}

// remove returns a copy of items without those of ids, moving the last item
// into each hole, and keeps at in step.
func remove[T any](items []T, ids []int64, at map[int64]int, key func(*T) int64) []T {
	var out []T
	for _, id := range ids {
		k, ok := at[id]
		if !ok {
			continue
		}
		if out == nil {
			out = slices.Clone(items)
		}
		last := len(out) - 1
		if k != last {
			out[k] = out[last]
			at[key(&out[k])] = k
		}
		var zero T
		out[last] = zero
		out = out[:last]
		delete(at, id)
	}
	if out == nil {
		return items
	}
	return out
}
