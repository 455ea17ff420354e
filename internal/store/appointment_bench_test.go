//go:build unix

package store_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
)

// BenchmarkInvitationJobs measures the issue's target: "The reminder and
// expiry jobs process 100,000 pending invitations in under 10 s on
// SQLite". Half the invitations are due for their reminder (an email and an
// SMS each, with fresh links), half have expired (a timeline line and a
// message to each of the structure's two accounts). One iteration is the
// whole run, on a fresh database built outside the timer; it reports the
// seconds per 100,000 invitations ("s/100k"), the processor seconds they
// took ("cpu-s/100k"), the rows handled and the peak heap ("MB"). Run it
// with -benchtime 1x.
func BenchmarkInvitationJobs(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	now := rdvAt(20, 10, 0)
	var handled int
	var peak uint64
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		s := storetest.Open(b, store.SQLite)
		f := newRdvFixture(b, s)
		invs := pendingInvitations(b, s, f, n/2, n/2, now)
		runtime.GC()
		stop := heapPeak(&peak)
		cpu0 := cpuTime()
		b.StartTimer()

		reminded, err := s.RemindInvitations(ctx, now, base)
		if err != nil {
			b.Fatal(err)
		}
		expired, err := s.ExpireInvitations(ctx, now, base)
		if err != nil {
			b.Fatal(err)
		}

		b.StopTimer()
		cpu += cpuTime() - cpu0
		stop()
		handled += reminded + expired
		if reminded != n/2 || expired != n/2 {
			b.Fatalf("%d reminded, %d expired; want %d each", reminded, expired, n/2)
		}
		items, err := s.Outbox(ctx, store.OutboxFilter{KeyPrefix: "invitation:", Limit: 2*n + 1})
		if err != nil {
			b.Fatal(err)
		}
		if len(items) != 2*n {
			b.Errorf("%d messages in the outbox, want %d", len(items), 2*n)
		}
		per := make(map[string]int, n)
		for _, m := range items {
			parts := strings.Split(m.Key, ":")
			per[parts[1]+":"+parts[2]]++
		}
		for i, inv := range invs {
			key := fmt.Sprintf("%d:%s", inv.ID, store.NoticeInvitationReminder)
			if i >= n/2 {
				key = fmt.Sprintf("%d:expired", inv.ID)
			}
			if per[key] != 2 {
				b.Fatalf("invitation %d: %d messages %s, want 2", inv.ID, per[key], key)
			}
		}
		b.StartTimer()
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/100k")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/100k")
	b.ReportMetric(float64(handled)/float64(b.N), "rows")
	b.ReportMetric(float64(peak)/(1<<20), "MB")
}

// cpuTime is the processor time the process used so far, user and
// system: on a machine shared with other work, it tells the cost of the
// jobs when the wall clock also counts the waits for a processor.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// heapPeak samples the heap in use every 10 ms into *peak, keeping the
// highest value, until the returned function is called.
func heapPeak(peak *uint64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		*peak = max(*peak, m.HeapAlloc)
	}
	wg.Go(func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				sample()
				return
			case <-t.C:
				sample()
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}
