package web

import (
	"context"
	"sync"
	"time"

	"github.com/spie-parcours/parcours/internal/employment"
	"github.com/spie-parcours/parcours/internal/matching"
)

// The matching index of each territory: the features of its open offers
// and of the people their référent agreed to propose, in memory, so that
// ranking 50,000 offers or 100,000 people reads no database. Before each
// ranking the index reads what changed since its previous read, less a
// margin for the transactions that commit a little after the time they
// wrote (one indexed query per table, returning nothing when nothing
// changed), so that every instance of the server ranks what the database
// holds. The margin is measured from when the previous read began, not
// from the newest change it saw: a batch written at one instant (an
// import) is read once, not at every ranking. Now and then the index is
// rebuilt whole, in the background, which drops the people deleted since
// (nothing dates a deletion) and any row written with a time older than
// the margin.

const (
	// matchOverlap is how far back each incremental read reaches before
	// the previous read began: a transaction may commit a little after the
	// time it wrote, and the clocks of several servers differ a little.
	matchOverlap = time.Minute
	// matchRebuildEvery is how often the index is rebuilt whole.
	matchRebuildEvery = 30 * time.Minute
)

// matchIndexes holds the index of each territory.
type matchIndexes struct {
	mu sync.Mutex
	by map[int64]*matchIndex
}

// matchIndex is a territory's index and how far it has read.
type matchIndex struct {
	mu         sync.Mutex // one refresh at a time
	idx        *matching.Index
	readAt     time.Time // when the previous read began (the server's clock)
	built      time.Time // when the index was last built whole (wall clock)
	rebuilding bool
}

func (m *matchIndexes) of(territoryID int64) *matchIndex {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.by == nil {
		m.by = map[int64]*matchIndex{}
	}
	mi, ok := m.by[territoryID]
	if !ok {
		mi = &matchIndex{}
		m.by[territoryID] = mi
	}
	return mi
}

// matchingIndex returns the territory's index, brought up to date with the
// database.
func (s *Server) matchingIndex(ctx context.Context, territoryID int64) (*matching.Index, error) {
	mi := s.matches.of(territoryID)
	mi.mu.Lock()
	defer mi.mu.Unlock()
	at := s.now()
	if mi.idx == nil {
		idx := &matching.Index{}
		if err := s.loadMatching(ctx, idx, territoryID, time.Time{}); err != nil {
			return nil, err
		}
		mi.idx, mi.readAt, mi.built = idx, at, time.Now()
		return idx, nil
	}
	if err := s.loadMatching(ctx, mi.idx, territoryID, mi.readAt.Add(-matchOverlap)); err != nil {
		return nil, err
	}
	mi.readAt = at
	if time.Since(mi.built) > matchRebuildEvery && !mi.rebuilding {
		mi.rebuilding = true
		go s.rebuildMatching(context.WithoutCancel(ctx), territoryID, mi)
	}
	return mi.idx, nil
}

// rebuildMatching builds the territory's index whole, aside, and puts it
// in place of the old one; the next ranking reads what changed meanwhile.
// It outlives the request that started it (ctx is not cancelled with it).
func (s *Server) rebuildMatching(ctx context.Context, territoryID int64, mi *matchIndex) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	idx := &matching.Index{}
	at := s.now()
	err := s.loadMatching(ctx, idx, territoryID, time.Time{})
	mi.mu.Lock()
	defer mi.mu.Unlock()
	mi.rebuilding = false
	if err != nil {
		s.log.Error("reconstruction de l'index de rapprochement impossible", "territory", territoryID, "error", err.Error())
		mi.built = time.Now() // try again later, not at every ranking
		return
	}
	// The next read starts from the older of the two reads, so that
	// nothing committed between them is missed.
	mi.idx, mi.built = idx, time.Now()
	if at.Before(mi.readAt) {
		mi.readAt = at
	}
}

// loadMatching applies to idx the offers and people changed after since
// (everything for a zero time). People are ranked for a reader who does
// not know their health: their need of an adapted post does not count
// (employment.ProfileOf).
func (s *Server) loadMatching(ctx context.Context, idx *matching.Index, territoryID int64, since time.Time) error {
	open, gone, _, err := s.store.MatchingOffers(ctx, territoryID, since)
	if err != nil {
		return err
	}
	sources, left, _, err := s.store.MatchingProfiles(ctx, territoryID, since)
	if err != nil {
		return err
	}
	ref := s.cfg.Referential
	features := make([]matching.Offer, len(open))
	for i, o := range open {
		features[i] = employment.OfferOf(o, ref)
	}
	people := make([]matching.Profile, len(sources))
	for i, src := range sources {
		people[i] = employment.ProfileOf(src, ref, false)
	}
	idx.Upsert(features...)
	idx.RemoveOffers(gone...)
	idx.UpsertProfiles(people...)
	idx.RemoveProfiles(left...)
	return nil
}

// WarmMatching builds the matching index of every territory, so that the
// first ranking after a start does not wait for it. A failure is logged:
// the first ranking will try again.
func (s *Server) WarmMatching(ctx context.Context) {
	ts, err := s.store.Territories(ctx)
	if err != nil {
		s.log.Error("index de rapprochement non préparé", "error", err.Error())
		return
	}
	for _, t := range ts {
		if _, err := s.matchingIndex(ctx, t.ID); err != nil {
			s.log.Error("index de rapprochement non préparé", "territory", t.ID, "error", err.Error())
		}
	}
}
