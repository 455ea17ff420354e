package jobs_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spie-parcours/parcours/internal/jobs"
	"github.com/spie-parcours/parcours/internal/notify"
	"github.com/spie-parcours/parcours/internal/notify/notifytest"
	"github.com/spie-parcours/parcours/internal/person"
	"github.com/spie-parcours/parcours/internal/store"
	"github.com/spie-parcours/parcours/internal/store/storetest"
	"github.com/spie-parcours/parcours/internal/territory"
)

// eachEngine runs f on every engine with a fresh store and its DSN.
func eachEngine(t *testing.T, f func(t *testing.T, s *store.Store, dsn string)) {
	t.Helper()
	for _, e := range storetest.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			dsn := storetest.DSN(t, e)
			f(t, storetest.OpenDSN(t, dsn), dsn)
		})
	}
}

// newPerson writes a person to send messages to.
func newPerson(t *testing.T, s *store.Store) int64 {
	t.Helper()
	ctx := context.Background()
	tr := territory.Territory{Code: "93", Name: "Seine-Saint-Denis"}
	if err := s.CreateTerritory(ctx, &tr); err != nil {
		t.Fatal(err)
	}
	ps := []person.Person{{TerritoryID: tr.ID, FirstName: "Jeanne", LastName: "Martin",
		BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)}}
	if err := s.InsertPersons(ctx, ps); err != nil {
		t.Fatal(err)
	}
	return ps[0].ID
}

// contactStop records that the person stopped the channel, as the stop
// link does (its handler is not the worker's), by SQL of its own.
func contactStop(t *testing.T, dsn string, personID int64, ch notify.Channel) {
	t.Helper()
	driver, q := "sqlite", "INSERT INTO contact_stops (person_id, channel, stopped_at) VALUES (?, ?, ?)"
	if store.IsPostgresURL(dsn) {
		driver, q = "pgx", strings.ReplaceAll(q, "?, ?, ?", "$1, $2, $3")
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q, personID, string(ch), time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
}

// refSender records what it sends and gives each a reference.
type refSender struct {
	mu   sync.Mutex
	sent []notify.Message
	fail error // returned instead of sending when set
}

func (r *refSender) Send(ctx context.Context, m notify.Message) error {
	_, err := r.SendRef(ctx, m)
	return err
}

func (r *refSender) SendRef(_ context.Context, m notify.Message) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return "", r.fail
	}
	r.sent = append(r.sent, m)
	return fmt.Sprintf("ref-%d", m.ID), nil
}

func (r *refSender) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sent)
}

func statuses(t *testing.T, s *store.Store) map[string]store.OutboxItem {
	t.Helper()
	items, err := s.Outbox(context.Background(), store.OutboxFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.OutboxItem{}
	for _, it := range items {
		out[it.Key] = it
	}
	return out
}

// The provider's reference is recorded with the delivery; a channel the
// person stopped gets nothing, and the row is closed as "stopped" with its
// body erased; the other channel still goes.
func TestDrainRecordsReferencesAndStops(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, dsn string) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		p := newPerson(t, s)
		contactStop(t, dsn, p, notify.SMS)
		mail, sms := &refSender{}, &refSender{}
		w := &jobs.Worker{Store: s, Senders: map[notify.Channel]notify.Sender{notify.Email: mail, notify.SMS: sms},
			Now: func() time.Time { return now }}
		if err := s.Enqueue(ctx, now,
			notify.Message{To: "jeanne@exemple.fr", Subject: "S", Body: "B", Key: "p:mail", PersonID: p},
			notify.Message{Channel: notify.SMS, To: "0612345678", Body: "B", Key: "p:sms", PersonID: p},
			notify.Message{Channel: notify.SMS, To: "0612345679", Body: "B", Key: "pro:sms"}); err != nil {
			t.Fatal(err)
		}
		n, err := w.Drain(ctx)
		if err != nil || n != 2 {
			t.Fatalf("Drain = %d, %v; want 2 sent", n, err)
		}
		if mail.count() != 1 || sms.count() != 1 || sms.sent[0].To != "0612345679" {
			t.Errorf("sent %d emails, SMS %+v", mail.count(), sms.sent)
		}
		st := statuses(t, s)
		if it := st["p:mail"]; it.Status != store.OutboxSent || it.ProviderRef != fmt.Sprintf("ref-%d", it.ID) {
			t.Errorf("email: %+v", it)
		}
		if it := st["p:sms"]; it.Status != store.OutboxSent || it.ProviderRef != store.OutboxRefStopped || it.Body != "" {
			t.Errorf("stopped SMS: %+v, want closed as stopped, body erased", it)
		}
		if n, _ := w.Drain(ctx); n != 0 || sms.count() != 1 {
			t.Errorf("a second drain sent %d", n)
		}
	})
}

// A permanent failure (a landline, an address refused) is given up at the
// first attempt; a passing one is retried.
func TestDrainPermanentFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		snd := &refSender{fail: notify.Permanent(errors.New("ce n'est pas un numéro de mobile"))}
		w := &jobs.Worker{Store: s, Senders: map[notify.Channel]notify.Sender{notify.SMS: snd},
			Now: func() time.Time { return now }}
		if err := s.Enqueue(ctx, now, notify.Message{Channel: notify.SMS, To: "0123456789", Body: "B", Key: "fixe"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if it := statuses(t, s)["fixe"]; it.Status != store.OutboxFailed || it.Attempts != 1 || it.Body != "" {
			t.Errorf("after a permanent failure: %+v, want given up at once", it)
		}
	})
}

// A message claimed by a worker that died before sending it is sent once
// its lease lapses (nothing lost); a message sent and marked is never sent
// again (nothing repeated).
func TestDrainAfterCrash(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		if err := s.Enqueue(ctx, now,
			notify.Message{To: "a@exemple.fr", Subject: "S", Body: "B", Key: "claimed"},
			notify.Message{To: "b@exemple.fr", Subject: "S", Body: "B", Key: "sent"}); err != nil {
			t.Fatal(err)
		}
		// The dead worker: it claimed both, sent and marked "sent", and
		// died before sending "claimed".
		claimed, err := s.ClaimOutbox(ctx, now, time.Minute, 10)
		if err != nil || len(claimed) != 2 {
			t.Fatalf("claimed %d, %v", len(claimed), err)
		}
		for _, m := range claimed {
			if m.Key == "sent" {
				if err := s.MarkOutboxSent(ctx, m.ID, now, "ref"); err != nil {
					t.Fatal(err)
				}
			}
		}
		snd := &refSender{}
		w := &jobs.Worker{Store: s, Senders: map[notify.Channel]notify.Sender{notify.Email: snd}, Lease: time.Minute,
			Now: func() time.Time { return now }}
		now = now.Add(59 * time.Second) // the dead worker's lease still runs
		if n, _ := w.Drain(ctx); n != 0 {
			t.Errorf("sent %d under another worker's lease", n)
		}
		now = now.Add(2 * time.Second)
		if n, err := w.Drain(ctx); n != 1 || err != nil {
			t.Fatalf("after the lease: sent %d, %v; want 1", n, err)
		}
		now = now.Add(24 * time.Hour)
		if n, _ := w.Drain(ctx); n != 0 {
			t.Errorf("sent %d more a day later", n)
		}
		if snd.count() != 1 || snd.sent[0].Key != "claimed" || snd.sent[0].Body != "B" {
			t.Errorf("sent %+v, want the claimed message once, whole", snd.sent)
		}
		st := statuses(t, s)
		if st["claimed"].Status != store.OutboxSent || st["sent"].ProviderRef != "ref" {
			t.Errorf("statuses %+v", st)
		}
	})
}

// A worker starts sends only in the first half of its lease: past it, it
// hands the rest of its batch back and claims again, so that no message is
// sent near the end of a lease, when another worker may take it.
func TestDrainHalfLease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		// Each send takes 20 s of a lease of a minute.
		snd := &leaseSender{s: s, now: clock, advance: func() { mu.Lock(); now = now.Add(20 * time.Second); mu.Unlock() }}
		w := &jobs.Worker{Store: s, Senders: map[notify.Channel]notify.Sender{notify.Email: snd}, Lease: time.Minute,
			Batch: 10, Now: clock}
		for i := range 5 {
			if err := s.Enqueue(ctx, now, notify.Message{To: "a@exemple.fr", Body: "B", Key: fmt.Sprintf("h:%d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		n, err := w.Drain(ctx)
		if err != nil || n != 5 {
			t.Fatalf("Drain = %d, %v; want 5", n, err)
		}
		if len(snd.left) != 5 {
			t.Fatalf("%d sends", len(snd.left))
		}
		for i, left := range snd.left {
			if left < 30*time.Second {
				t.Errorf("send %d started with %s of its lease left, want half of it at least", i, left)
			}
		}
		for k, it := range statuses(t, s) {
			if it.Attempts != 1 {
				t.Errorf("%s: %d attempts, want 1 (a hand-back is no attempt)", k, it.Attempts)
			}
		}
	})
}

// leaseSender notes how much of its lease each message has left when its
// send starts, and moves the clock on.
type leaseSender struct {
	s       *store.Store
	now     func() time.Time
	advance func()
	left    []time.Duration
}

func (l *leaseSender) Send(ctx context.Context, m notify.Message) error {
	items, err := l.s.Outbox(ctx, store.OutboxFilter{KeyPrefix: m.Key, Limit: 1})
	if err != nil || len(items) != 1 {
		return fmt.Errorf("outbox row of %s: %v", m.Key, err)
	}
	l.left = append(l.left, items[0].LeaseUntil.Sub(l.now()))
	l.advance()
	return nil
}

// When the worker stops, the messages it claimed and did not try are
// handed back, due at once, and the one interrupted counts no attempt.
func TestDrainHandsBackOnStop(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		snd := &blocking{started: make(chan struct{}, 10)}
		w := &jobs.Worker{Store: s, Senders: map[notify.Channel]notify.Sender{notify.Email: snd},
			Now: func() time.Time { return now }}
		for i := range 3 {
			if err := s.Enqueue(ctx, now, notify.Message{To: "a@exemple.fr", Body: "B", Key: fmt.Sprintf("s:%d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		done := make(chan error, 1)
		go func() { _, err := w.Drain(ctx); done <- err }()
		<-snd.started
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Drain = %v, want context.Canceled", err)
		}
		got, err := s.ClaimOutbox(context.Background(), now, time.Minute, 10)
		if err != nil || len(got) != 3 {
			t.Fatalf("after the stop: %d claimable, %v; want the 3 at once", len(got), err)
		}
		for _, m := range got {
			if m.Attempts != 1 {
				t.Errorf("%s on attempt %d, want 1", m.Key, m.Attempts)
			}
		}
	})
}

// blocking waits for the end of ctx.
type blocking struct{ started chan struct{} }

func (b *blocking) Send(ctx context.Context, _ notify.Message) error {
	b.started <- struct{}{}
	<-ctx.Done()
	return ctx.Err()
}

// The worker delivers the outbox through notify.SMTP to a real SMTP server
// (STARTTLS, AUTH PLAIN): the messages arrive whole, and each row records
// the Message-ID it was sent with.
func TestWorkerSMTP(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, dsn string) {
		ctx := context.Background()
		srv := notifytest.Start(t, notifytest.Options{Username: "parcours", Password: "s3cret"})
		smtp := notify.SMTP{Addr: srv.Addr, Username: "parcours", Password: "s3cret",
			From: "Parcours <ne-pas-repondre@parcours.test>", TLSConfig: srv.ClientTLS, Timeout: 10 * time.Second}
		w := &jobs.Worker{Store: s, Senders: map[notify.Channel]notify.Sender{notify.Email: smtp}}
		p := newPerson(t, s)
		now := time.Now()
		start := now.Add(72 * time.Hour)
		ics := notify.ICS(notify.Event{UID: "rdv-1@parcours.test", Start: start, End: start.Add(time.Hour),
			Summary: "Rendez-vous", Organizer: "ne-pas-repondre@parcours.test"}, now)
		if err := s.Enqueue(ctx, now,
			notify.Message{To: "jeanne@exemple.fr", PersonID: p, Key: "rdv:1", Subject: "Votre rendez-vous à Bobigny",
				Body: "Bonjour, votre rendez-vous est confirmé.", StopURL: "https://parcours.example.fr/arret/x",
				Attachments: []notify.Attachment{{Name: "rdv.ics", ContentType: "text/calendar", Data: ics}}},
			notify.Message{To: "pro@exemple.fr", Key: "pro:1", Subject: "Nouvelle orientation n° 4",
				Body: "Consultez l'orientation : https://parcours.example.fr/orientations/4"}); err != nil {
			t.Fatal(err)
		}
		if n, err := w.Drain(ctx); err != nil || n != 2 {
			t.Fatalf("Drain = %d, %v", n, err)
		}
		mails := srv.Mails()
		if len(mails) != 2 {
			t.Fatalf("%d mails received", len(mails))
		}
		byTo := map[string]notifytest.Mail{}
		for _, m := range mails {
			byTo[m.To[0]] = m
		}
		st := statuses(t, s)
		for key, to := range map[string]string{"rdv:1": "jeanne@exemple.fr", "pro:1": "pro@exemple.fr"} {
			it, m := st[key], byTo[to]
			if want := "<" + notify.MessageID(it.ID, "parcours.test") + ">"; it.ProviderRef != want || m.Header("Message-ID") != want {
				t.Errorf("%s: ref %q, Message-ID %q, want %q", key, it.ProviderRef, m.Header("Message-ID"), want)
			}
			if it.Status != store.OutboxSent || it.Body != "" {
				t.Errorf("%s: %+v", key, it)
			}
		}
		raw := string(byTo["jeanne@exemple.fr"].Data)
		for _, w := range []string{"Content-Type: text/calendar; charset=utf-8; method=REQUEST", "filename=rdv.ics"} {
			if !strings.Contains(raw, w) {
				t.Errorf("the person's mail lacks %q", w)
			}
		}
		if text := textPart(t, byTo["jeanne@exemple.fr"].Data); !strings.HasSuffix(text,
			"\r\n\r\nPour ne plus recevoir de courriels de Parcours : https://parcours.example.fr/arret/x") {
			t.Errorf("the person's mail does not end with the stop line: %q", text)
		}
		if byTo["jeanne@exemple.fr"].Header("Subject") != "Votre rendez-vous à Bobigny" {
			t.Errorf("subject %q", byTo["jeanne@exemple.fr"].Header("Subject"))
		}
	})
}

// textPart is the decoded text of a multipart message's first part.
func textPart(t *testing.T, data []byte) string {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := multipart.NewReader(msg.Body, params["boundary"]).NextPart()
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
