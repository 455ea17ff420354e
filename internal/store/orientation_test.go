package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/orientation"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
)

func TestNoteOverdueOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tr, st, a := fixture(t, s)
		by := store.Actor{AccountID: a.ID, StructureID: st.ID, At: time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)}
		p := person.Person{TerritoryID: tr.ID, FirstName: "Jade", LastName: "Roux", BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)}
		if err := s.CreatePerson(ctx, &p, by); err != nil {
			t.Fatal(err)
		}
		o := orientation.Request{PersonID: p.ID, TerritoryID: tr.ID, Source: orientation.SourceProfessional,
			DueOn: time.Date(2026, 10, 13, 0, 0, 0, 0, time.UTC)}
		if err := s.CreateOrientation(ctx, &o, by); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			today time.Time
			want  int
		}{
			{time.Date(2026, 10, 13, 23, 0, 0, 0, time.UTC), 0}, // on the due date: not overdue
			{time.Date(2026, 10, 14, 8, 0, 0, 0, time.UTC), 1},
			{time.Date(2026, 10, 15, 8, 0, 0, 0, time.UTC), 0}, // noted once
		} {
			n, err := s.NoteOverdue(ctx, tc.today)
			if err != nil || n != tc.want {
				t.Errorf("%s: noted %d, %v; want %d", tc.today, n, err, tc.want)
			}
		}
		es, err := s.Timeline(ctx, p.ID, 0, 10)
		if err != nil || es[0].Kind != "orientation_overdue" || !strings.Contains(es[0].Summary, "13/10/2026") {
			t.Errorf("timeline: %+v %v", es, err)
		}
	})
}
