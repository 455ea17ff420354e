package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/jobs"
	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/notify/notifytest"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
)

// The environment of a worker process started by TestCrashExactlyOnce.
const (
	envChild = "PARCOURS_CRASH_CHILD" // set: this process is the worker
	envDSN   = "PARCOURS_CRASH_DSN"
	envSMTP  = "PARCOURS_CRASH_SMTP" // host:port of the test's SMTP server
	envCA    = "PARCOURS_CRASH_CA"   // file of the server's certificate
)

// The crash test's worker settings: a short lease so that the test does
// not wait long for the claims of a killed worker, and an SMTP timeout
// under half of it (see the package's delivery guarantee).
const (
	crashLease   = 3 * time.Second
	crashTimeout = 1200 * time.Millisecond
)

func TestMain(m *testing.M) {
	if os.Getenv(envChild) != "" {
		os.Exit(crashWorker())
	}
	os.Exit(m.Run())
}

// crashWorker is the worker process: it drains the outbox to the test's
// SMTP server until it is killed.
func crashWorker() int {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	st, err := store.Open(ctx, os.Getenv(envDSN))
	if err != nil {
		log.Error("open", "error", err.Error())
		return 1
	}
	pem, err := os.ReadFile(os.Getenv(envCA))
	if err != nil {
		log.Error("certificate", "error", err.Error())
		return 1
	}
	cfg, err := notifytest.ClientTLS(pem)
	if err != nil {
		log.Error("certificate", "error", err.Error())
		return 1
	}
	w := &jobs.Worker{Store: st, Log: log, Poll: 20 * time.Millisecond, Lease: crashLease, Batch: 20,
		Senders: map[notify.Channel]notify.Sender{notify.Email: notify.SMTP{Addr: os.Getenv(envSMTP), Username: "parcours",
			Password: "s3cret", From: "Parcours <ne-pas-repondre@parcours.test>", TLSConfig: cfg, Timeout: crashTimeout}}}
	w.Run(ctx)
	return 0
}

// worker is a worker process of the test.
type worker struct {
	cmd  *exec.Cmd
	out  lockedBuffer
	done chan struct{}
}

// lockedBuffer keeps a process's output, read while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startWorker(t *testing.T, env []string) *worker {
	t.Helper()
	w := &worker{done: make(chan struct{})}
	w.cmd = exec.Command(os.Args[0], "-test.run=^$") // #nosec G204 -- the test binary itself
	w.cmd.Env = append(os.Environ(), env...)
	w.cmd.Stdout, w.cmd.Stderr = &w.out, &w.out
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = w.cmd.Wait(); close(w.done) }()
	t.Cleanup(func() { w.kill(t) })
	return w
}

// kill sends SIGKILL: the process gets no chance to clean up.
func (w *worker) kill(t *testing.T) {
	t.Helper()
	_ = w.cmd.Process.Kill()
	select {
	case <-w.done:
	case <-time.After(10 * time.Second):
		t.Fatal("a killed worker did not end")
	}
}

// TestCrashExactlyOnce kills worker processes with SIGKILL while they
// drain 300 messages to an SMTP server, restarts them, and checks that
// every message arrived exactly once, none missing.
//
// The server takes a few milliseconds to accept each message. The kills
// happen while a message is in flight (its DATA received, the reply not
// yet given): after 100 messages accepted, and after 200. That message is
// not acknowledged, so it must be sent again after the restart, and every
// message acknowledged before must not. The restart after the second kill
// runs two workers at once, as two instances would. The one window where
// a message would be sent twice, between the server's acceptance and the
// commit of the "sent" mark, is described in the package documentation;
// the kills here do not aim at it.
func TestCrashExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts processes")
	}
	for _, e := range storetest.Engines(t) {
		t.Run(string(e), func(t *testing.T) { crashExactlyOnce(t, e) })
	}
}

func crashExactlyOnce(t *testing.T, engine store.Engine) {
	const total = 300
	ctx := context.Background()
	dsn := storetest.DSN(t, engine)
	s := storetest.OpenDSN(t, dsn)
	msgs := make([]notify.Message, total)
	for i := range msgs {
		msgs[i] = notify.Message{To: fmt.Sprintf("p%d@exemple.fr", i), Subject: fmt.Sprintf("Message n° %d", i),
			Body: "Bonjour, un message de Parcours : https://parcours.example.fr/m/" + strconv.Itoa(i), Key: fmt.Sprintf("crash:%d", i)}
	}
	if err := s.Enqueue(ctx, time.Now(), msgs...); err != nil {
		t.Fatal(err)
	}

	var (
		mu       sync.Mutex
		accepted int
		kills    = []int{97, 203} // kill when the next message arrives after this many (not a batch's end)
		killNow  = make(chan struct{})
		killed   = make(chan struct{})
	)
	srv := notifytest.Start(t, notifytest.Options{Username: "parcours", Password: "s3cret",
		OnData: func([]byte) error {
			time.Sleep(3 * time.Millisecond)
			mu.Lock()
			kill := len(kills) > 0 && accepted == kills[0]
			if kill {
				kills = kills[1:]
			} else {
				accepted++
			}
			mu.Unlock()
			if kill {
				killNow <- struct{}{}
				<-killed
				return errors.New("le client a disparu") // never acknowledged: not delivered
			}
			return nil
		}})
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, srv.CertPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{envChild + "=1", envDSN + "=" + dsn, envSMTP + "=" + srv.Addr, envCA + "=" + ca}

	start := time.Now()
	w := startWorker(t, env)
	var workers []*worker
	for round := range 2 {
		select {
		case <-killNow:
		case <-time.After(60 * time.Second):
			t.Fatalf("round %d: %d messages accepted in a minute; worker output:\n%s", round, len(srv.Mails()), w.out.String())
		}
		w.kill(t)
		killed <- struct{}{}
		if round == 0 {
			w = startWorker(t, env)
		} else {
			workers = []*worker{startWorker(t, env), startWorker(t, env)}
		}
	}
	// Wait until every row is marked sent.
	deadline := time.Now().Add(90 * time.Second)
	var items []store.OutboxItem
	for {
		var err error
		items, err = s.Outbox(ctx, store.OutboxFilter{Limit: 2 * total})
		if err != nil {
			t.Fatal(err)
		}
		sent := 0
		for _, it := range items {
			if it.Status == store.OutboxSent {
				sent++
			}
		}
		if sent == total {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d marked sent; workers:\n%s\n%s", sent, total, workers[0].out.String(), workers[1].out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, w := range workers {
		w.kill(t)
	}

	received := map[string]int{}
	for _, m := range srv.Mails() {
		received[m.Header("Message-ID")]++
	}
	for _, it := range items {
		id := "<" + notify.MessageID(it.ID, "parcours.test") + ">"
		switch n := received[id]; {
		case n == 0:
			t.Errorf("message %d (%s) never arrived", it.ID, it.Key)
		case n > 1:
			t.Errorf("message %d (%s) arrived %d times", it.ID, it.Key, n)
		}
		if it.ProviderRef != id || it.Body != "" {
			t.Errorf("row %d: ref %q, body %q", it.ID, it.ProviderRef, it.Body)
		}
		delete(received, id)
	}
	if len(received) != 0 {
		t.Errorf("unknown messages arrived: %v", received)
	}
	if got := len(srv.Mails()); got != total {
		t.Errorf("%d messages arrived, want %d", got, total)
	}
	t.Logf("%s: %d messages, 2 kills, %s", engine, total, time.Since(start).Round(time.Millisecond))
}
