package matching

import (
	"math"
	"time"
)

// TopOffers ranks offers for person p at time now and returns the best n,
// best first: higher score, then nearer, then the smaller offer ID. Offers
// excluded by a hard criterion or scoring below c.MinScore are left out.
// The reasons are worded for the person. offers are the open offers of the
// territory (Index.Offers); they are read, never changed. c must be valid
// (Config.Validate).
//
// It keeps the best n in a bounded heap and, once the heap is full, skips
// as early as it can an offer that cannot beat the worst kept one (after
// the hard criteria and the job, then with a lower bound of the distance
// computed without trigonometry, then before the exact distance); it words
// the reasons of the kept offers only. It allocates per call, not per
// offer.
func TopOffers(c Config, p Profile, offers []Offer, now time.Time, n int) []Result {
	if n <= 0 || len(offers) == 0 {
		return nil
	}
	var pp *point
	if p.HasPlace {
		pt := toPoint(p.Lat, p.Lon)
		pp = &pt
	}
	e := newEnv(&c, now)
	t := newTop(n, len(offers))
	for i := range offers {
		o := &offers[i]
		f, ok := evaluate(&e, &p, o, pp, nil, t.floor(c.MinScore), false)
		if ok && f.score >= c.MinScore {
			t.push(entry{score: f.score, km: sortKm(&f), id: o.OfferID, i: i})
		}
	}
	rs := make([]Result, 0, len(t.h))
	for _, k := range t.sorted() {
		o := &offers[k.i]
		f, _ := evaluate(&e, &p, o, pp, nil, math.Inf(-1), true)
		rs = append(rs, result(&c, &f, &p, o, now, true))
	}
	return rs
}

// TopPeople ranks people for offer o at time now and returns the best n,
// best first: higher score, then nearer, then the smaller person ID. People
// excluded by a hard criterion or scoring below c.MinScore are left out.
// The reasons are worded for a professional, in the third person. people
// must already be those a professional may propose: followed in the
// territory, their référent having agreed (the store filters them); they
// are read, never changed. c must be valid (Config.Validate).
//
// It works as TopOffers does, the offer's place computed once.
func TopPeople(c Config, o Offer, people []Profile, now time.Time, n int) []Result {
	if n <= 0 || len(people) == 0 {
		return nil
	}
	var op *point
	if offerPlaced(&o) {
		pt := toPoint(o.Lat, o.Lon)
		op = &pt
	}
	e := newEnv(&c, now)
	t := newTop(n, len(people))
	for i := range people {
		p := &people[i]
		f, ok := evaluate(&e, p, &o, nil, op, t.floor(c.MinScore), false)
		if ok && f.score >= c.MinScore {
			t.push(entry{score: f.score, km: sortKm(&f), id: p.PersonID, i: i})
		}
	}
	rs := make([]Result, 0, len(t.h))
	for _, k := range t.sorted() {
		p := &people[k.i]
		f, _ := evaluate(&e, p, &o, nil, op, math.Inf(-1), true)
		rs = append(rs, result(&c, &f, p, &o, now, false))
	}
	return rs
}

// sortKm is the distance a tie is broken on: an unknown place comes last.
func sortKm(f *facts) float64 {
	if !f.placed {
		return math.Inf(1)
	}
	return f.km
}

// entry is a candidate kept by the ranking: its score, distance and ID
// order it, i finds it again in the caller's slice.
type entry struct {
	score, km float64
	id        int64
	i         int
}

// better reports whether a ranks before b.
func better(a, b *entry) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	if a.km != b.km {
		return a.km < b.km
	}
	return a.id < b.id
}

// top keeps the best n entries seen in a heap whose root is the worst kept
// one, so that a candidate is compared with it alone.
type top struct {
	h []entry
	n int
}

func newTop(n, candidates int) *top {
	return &top{h: make([]entry, 0, min(n, candidates)), n: n}
}

// floor is the score a candidate must reach to be kept: minScore until the
// heap is full, then the worst kept score (a tie may still enter, by
// distance or ID).
func (t *top) floor(minScore float64) float64 {
	if len(t.h) < t.n {
		return minScore
	}
	return max(minScore, t.h[0].score)
}

func (t *top) push(e entry) {
	if len(t.h) < t.n {
		t.h = append(t.h, e)
		t.up(len(t.h) - 1)
		return
	}
	if better(&e, &t.h[0]) {
		t.h[0] = e
		t.down(0)
	}
}

// up and down keep the heap order: a parent ranks after its children.
func (t *top) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !better(&t.h[parent], &t.h[i]) {
			return
		}
		t.h[parent], t.h[i] = t.h[i], t.h[parent]
		i = parent
	}
}

func (t *top) down(i int) {
	for {
		worst := i
		if l := 2*i + 1; l < len(t.h) && better(&t.h[worst], &t.h[l]) {
			worst = l
		}
		if r := 2*i + 2; r < len(t.h) && better(&t.h[worst], &t.h[r]) {
			worst = r
		}
		if worst == i {
			return
		}
		t.h[i], t.h[worst] = t.h[worst], t.h[i]
		i = worst
	}
}

// sorted empties the heap into a slice, best first, by popping the worst
// n times: n log n for the kept n only.
func (t *top) sorted() []entry {
	out := make([]entry, len(t.h))
	for k := len(t.h) - 1; k >= 0; k-- {
		out[k] = t.h[0]
		last := len(t.h) - 1
		t.h[0] = t.h[last]
		t.h = t.h[:last]
		t.down(0)
	}
	return out
}
