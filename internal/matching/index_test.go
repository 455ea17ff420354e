package matching

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"
)

// offerIDs returns the IDs of offers, sorted.
func offerIDs(offers []Offer) []int64 {
	var ids []int64
	for _, o := range offers {
		ids = append(ids, o.OfferID)
	}
	slices.Sort(ids)
	return ids
}

func TestIndexZeroValue(t *testing.T) {
	var x Index
	if got := x.Offers(); len(got) != 0 {
		t.Errorf("Offers() = %v, want none", got)
	}
	if got := x.Profiles(); len(got) != 0 {
		t.Errorf("Profiles() = %v, want none", got)
	}
	if !x.Since().IsZero() {
		t.Errorf("Since() = %v, want zero: load everything", x.Since())
	}
	x.RemoveOffers(1)
	x.RemoveProfiles(1)
}

func TestIndexUpsertRemoveSince(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	at := func(id int64, title string, updated time.Time) Offer {
		return Offer{OfferID: id, Appellation: title, UpdatedAt: updated}
	}
	var x Index
	x.Upsert(at(1, "v1", t0), at(2, "v1", t0.Add(time.Hour)), at(3, "v1", t0))
	if got, want := offerIDs(x.Offers()), []int64{1, 2, 3}; !slices.Equal(got, want) {
		t.Fatalf("Offers() = %v, want %v", got, want)
	}
	if got, want := x.Since(), t0.Add(time.Hour); !got.Equal(want) {
		t.Errorf("Since() = %v, want %v", got, want)
	}

	before := x.Offers()
	x.Upsert(at(1, "v2", t0.Add(2*time.Hour)), at(2, "stale", t0), at(4, "v1", t0.Add(30*time.Minute)))
	got := map[int64]string{}
	for _, o := range x.Offers() {
		got[o.OfferID] = o.Appellation
	}
	want := map[int64]string{1: "v2", 2: "v1", 3: "v1", 4: "v1"}
	if len(got) != len(want) {
		t.Errorf("Offers() = %v, want %v", got, want)
	}
	for id, title := range want {
		if got[id] != title {
			t.Errorf("offer %d = %q, want %q (a newer version replaces, an older one is ignored)", id, got[id], title)
		}
	}
	if got, want := x.Since(), t0.Add(2*time.Hour); !got.Equal(want) {
		t.Errorf("Since() = %v, want %v", got, want)
	}
	if got, want := offerIDs(before), []int64{1, 2, 3}; !slices.Equal(got, want) || before[0].Appellation != "v1" {
		t.Errorf("an earlier snapshot changed: %v", before)
	}

	x.RemoveOffers(1, 42, 3)
	if got, want := offerIDs(x.Offers()), []int64{2, 4}; !slices.Equal(got, want) {
		t.Errorf("after removing 1 and 3: Offers() = %v, want %v", got, want)
	}
	// The positions stay right after a removal moved offers around.
	x.Upsert(at(4, "v2", t0.Add(3*time.Hour)))
	for _, o := range x.Offers() {
		if o.OfferID == 4 && o.Appellation != "v2" {
			t.Errorf("offer 4 = %q after removal and upsert, want v2", o.Appellation)
		}
	}
	if got, want := offerIDs(x.Offers()), []int64{2, 4}; !slices.Equal(got, want) {
		t.Errorf("Offers() = %v, want %v", got, want)
	}

	x.UpsertProfiles(Profile{PersonID: 7, UpdatedAt: t0.Add(5 * time.Hour)}, Profile{PersonID: 8, UpdatedAt: t0})
	if got := len(x.Profiles()); got != 2 {
		t.Errorf("%d profiles, want 2", got)
	}
	if got, want := x.Since(), t0.Add(5*time.Hour); !got.Equal(want) {
		t.Errorf("Since() = %v, want the newest of offers and profiles, %v", got, want)
	}
	x.RemoveProfiles(7)
	if p := x.Profiles(); len(p) != 1 || p[0].PersonID != 8 {
		t.Errorf("Profiles() = %v, want person 8 alone", p)
	}

	x.Advance(t0.Add(6 * time.Hour))
	x.Advance(t0) // never back
	if got, want := x.Since(), t0.Add(6*time.Hour); !got.Equal(want) {
		t.Errorf("Since() after Advance = %v, want %v", got, want)
	}
}

// TestIndexAppendToSnapshot checks that a reader appending to its snapshot
// cannot write into the index's.
func TestIndexAppendToSnapshot(t *testing.T) {
	var x Index
	x.Upsert(Offer{OfferID: 1}, Offer{OfferID: 2})
	x.RemoveOffers(2) // leaves spare capacity behind the first offer
	s := x.Offers()
	_ = append(s, Offer{OfferID: 99})
	x.Upsert(Offer{OfferID: 3})
	if got, want := offerIDs(x.Offers()), []int64{1, 3}; !slices.Equal(got, want) {
		t.Errorf("Offers() = %v, want %v", got, want)
	}
}

// TestIndexConcurrent runs writers and readers (ranking) together; run it
// with -race.
func TestIndexConcurrent(t *testing.T) {
	var x Index
	offers := benchOffers(2000, 1)
	people := benchProfiles(500, 2)
	c := DefaultConfig()
	const size, writers = 50, 4
	batch := func(k int) []Offer { return offers[k*size : (k+1)*size] }
	batches := len(offers) / size
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for k := w; k < batches; k += writers {
				x.Upsert(batch(k)...)
				x.UpsertProfiles(people[k])
				x.RemoveOffers(batch(k)[0].OfferID)
			}
		})
	}
	for r := range 4 {
		wg.Go(func() {
			for i := range 100 {
				snap := x.Offers()
				seen := make(map[int64]bool, len(snap))
				for _, o := range snap {
					if seen[o.OfferID] {
						t.Errorf("offer %d twice in a snapshot", o.OfferID)
						return
					}
					seen[o.OfferID] = true
				}
				TopOffers(c, people[(r*100+i)%len(people)], snap, benchNow, 10)
				if ps := x.Profiles(); len(ps) > 0 {
					TopPeople(c, offers[i], ps, benchNow, 10)
				}
				_ = x.Since()
			}
		})
	}
	wg.Wait()

	// Every batch was upserted whole, then its first offer removed.
	got := x.Offers()
	if len(got) != len(offers)-batches {
		t.Errorf("%d offers, want %d", len(got), len(offers)-batches)
	}
	for _, o := range got {
		if (o.OfferID-1)%size == 0 {
			t.Errorf("offer %d was removed, it is still there", o.OfferID)
		}
	}
	if got := len(x.Profiles()); got != batches {
		t.Errorf("%d profiles, want %d", got, batches)
	}
	var newest time.Time
	for _, o := range offers {
		newest = latest(newest, o.UpdatedAt)
	}
	for _, p := range people[:batches] {
		newest = latest(newest, p.UpdatedAt)
	}
	if !x.Since().Equal(newest) {
		t.Errorf("Since() = %v, want the newest row, %v", x.Since(), newest)
	}
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// TestIndexInternsCodes checks that equal codes of offers read from
// different rows end up sharing one string.
func TestIndexInternsCodes(t *testing.T) {
	row := func(id int64) Offer {
		o := post(id, aideDomicile, 3)
		o.Appellation, o.ROMECode, o.Contract = strings.Clone(o.Appellation), strings.Clone(o.ROMECode), strings.Clone("cdi")
		return o
	}
	var x Index
	x.Upsert(row(1))
	x.Upsert(row(2), row(3))
	x.Upsert(with(row(1), func(o *Offer) { o.UpdatedAt = now }))
	offers := x.Offers()
	for _, o := range offers[1:] {
		for _, pair := range [][2]string{{o.Appellation, offers[0].Appellation}, {o.ROMECode, offers[0].ROMECode}, {o.Contract, offers[0].Contract}} {
			if unsafe.StringData(pair[0]) != unsafe.StringData(pair[1]) {
				t.Errorf("offer %d: %q is not shared", o.OfferID, pair[0])
			}
		}
	}
}

// TestIndexPacksProfiles checks that a profile's codes are copied into the
// index, equal, without touching the caller's lists, and that appending to
// one list cannot overwrite the next.
func TestIndexPacksProfiles(t *testing.T) {
	p := seeker(1, 0, aideDomicile, cariste)
	p.Contracts = []string{"cdi"}
	orig := slices.Clone(p.Appellations)
	var x Index
	x.UpsertProfiles(p)
	got := x.Profiles()[0]
	for _, pair := range [][2][]string{{got.Appellations, p.Appellations}, {got.ROMECodes, p.ROMECodes}, {got.Domaines, p.Domaines}, {got.GrandDomaines, p.GrandDomaines}, {got.Contracts, p.Contracts}} {
		if !slices.Equal(pair[0], pair[1]) {
			t.Errorf("held %q, want %q", pair[0], pair[1])
		}
		if unsafe.SliceData(pair[0]) == unsafe.SliceData(pair[1]) {
			t.Errorf("%q shares the caller's array", pair[0])
		}
		if cap(pair[0]) != len(pair[0]) {
			t.Errorf("%q has room to grow into the next list", pair[0])
		}
	}
	if !slices.Equal(p.Appellations, orig) {
		t.Errorf("the caller's list changed: %q", p.Appellations)
	}
}

// TestIndexReplay: the rows of an incremental load's overlap, replayed
// unchanged, copy nothing; a row as new as the one held but different
// (two changes in one tick of the clock) replaces it.
func TestIndexReplay(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	var x Index
	x.Upsert(Offer{OfferID: 1, Appellation: "10805", UpdatedAt: t0}, Offer{OfferID: 2, Appellation: "16276", UpdatedAt: t0})
	x.UpsertProfiles(Profile{PersonID: 7, Appellations: []string{"10805"}, UpdatedAt: t0})
	offers, profiles := x.Offers(), x.Profiles()
	x.Upsert(Offer{OfferID: 2, Appellation: "16276", UpdatedAt: t0})
	x.UpsertProfiles(Profile{PersonID: 7, Appellations: []string{"10805"}, UpdatedAt: t0})
	if unsafe.SliceData(x.Offers()) != unsafe.SliceData(offers) || unsafe.SliceData(x.Profiles()) != unsafe.SliceData(profiles) {
		t.Error("an unchanged replay copied the index")
	}
	x.Upsert(Offer{OfferID: 2, Appellation: "16276", Night: true, UpdatedAt: t0})
	x.UpsertProfiles(Profile{PersonID: 7, Appellations: []string{"10805"}, NoNight: true, UpdatedAt: t0})
	for _, o := range x.Offers() {
		if o.OfferID == 2 && !o.Night {
			t.Error("a change in the same tick was ignored (offer)")
		}
	}
	if p := x.Profiles(); len(p) != 1 || !p[0].NoNight {
		t.Errorf("a change in the same tick was ignored (profile): %+v", p)
	}
}
