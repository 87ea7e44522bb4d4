package clustertest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interdict/interdict/message"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// streamMessages is the number of payment messages the acceptance test
// streams; every 50th names a listed party as creditor.
const streamMessages = 10_000

// stream is the acceptance test's message stream: its subjects, the
// results published, and the consumers (`interdict messages consume`)
// beside the replicas.
type stream struct {
	t    *testing.T
	c    *cluster
	opt  message.ConsumeOptions
	nc   *nats.Conn
	js   jetstream.JetStream
	db   *sql.DB
	pacs string
	mt   string

	mu      sync.Mutex
	planted map[string]string // message ID → listed name
}

// newStream creates the stream and its durable consumer, or returns nil
// when the message samples (../shared/data/messages) are not at hand.
func newStream(t *testing.T, c *cluster) *stream {
	dir := filepath.Join(moduleRoot(t), "..", "shared", "data", "messages")
	pacs, err1 := os.ReadFile(filepath.Join(dir, "iso20022", "cbpr-examples", "pacs008_credit_transfer_sample.xml"))
	mt, err2 := os.ReadFile(filepath.Join(dir, "mt", "ballerina-mt-mx", "p_2_3_1_a__mt103_pacs_008_A_D.fin"))
	if err1 != nil || err2 != nil {
		t.Logf("message samples not found at %s (%v, %v): the stream part is skipped", dir, err1, err2)
		return nil
	}
	nc, err := nats.Connect(c.nats)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	tag := strings.ToUpper(c.prefix)
	db, err := sql.Open("pgx", c.dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// Batches of 50: a batch is screened, stored and acknowledged well
	// within AckWait even on a busy machine, so that no batch is delivered
	// again while its consumer is still at it; AckWait is short so that
	// the batch of the consumer killed is delivered again soon.
	s := &stream{t: t, c: c, nc: nc, js: js, db: db, pacs: string(pacs), mt: string(mt),
		opt: message.ConsumeOptions{Stream: tag + "_MESSAGES", Subject: c.prefix + ".messages.in", ResultSubject: c.prefix + ".messages.result",
			DeadLetterSubject: c.prefix + ".messages.dead", Durable: "screen", AckWait: 15 * time.Second, Batch: 50},
		planted: map[string]string{}}
	ctx := context.Background()
	if _, err := message.EnsureStream(ctx, js, s.opt.Stream, s.opt.Subject, s.opt.ResultSubject, s.opt.DeadLetterSubject); err != nil {
		t.Fatal(err)
	}
	if _, err := js.CreateOrUpdateConsumer(ctx, s.opt.Stream, message.ConsumerConfig(s.opt)); err != nil {
		t.Fatal(err)
	}
	return s
}

// startConsumer starts `interdict messages consume` as a replica's
// consumer process.
func (s *stream) startConsumer(r *replica) {
	s.t.Helper()
	f, err := os.OpenFile(filepath.Join(s.c.dir, r.name+".log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		s.t.Fatal(err)
	}
	r.log = f
	r.cmd = exec.Command(s.c.bin, "messages", "consume", "--nats", s.c.nats, "--stream", s.opt.Stream, "--subject", s.opt.Subject,
		"--result-subject", s.opt.ResultSubject, "--dead-letter-subject", s.opt.DeadLetterSubject, "--durable", s.opt.Durable,
		"--ack-wait", s.opt.AckWait.String(), "--batch", fmt.Sprint(s.opt.Batch))
	r.cmd.Env = s.c.env(r.home, r.name)
	r.cmd.Stdout, r.cmd.Stderr = f, f
	if err := r.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { r.stop() })
}

// publish publishes the messages: pacs.008 and MT103 samples in turn,
// each with an ID of its own, every 50th an MT103 whose creditor is a
// listed party.
func (s *stream) publish(listed []string) {
	var short []string // an MT line holds 35 characters
	for _, n := range listed {
		if len(n) <= 33 {
			short = append(short, n)
		}
	}
	var batch []outgoing
	for i := 0; i < streamMessages; i++ {
		id := fmt.Sprintf("%s-%05d", s.c.prefix, i)
		var m string
		switch {
		case i%50 == 1:
			name := short[(i/50)%len(short)]
			m = strings.ReplaceAll(s.mt, "7a562c67-ca16-48ba-b074-65581be6f001", id)
			m = strings.Replace(m, "1/B Creditor Co", "1/"+name, 1)
			s.mu.Lock()
			s.planted[id] = name
			s.mu.Unlock()
		case i%2 == 0:
			m = strings.ReplaceAll(s.pacs, "P008-20260413-5017", id)
		default:
			m = strings.ReplaceAll(s.mt, "7a562c67-ca16-48ba-b074-65581be6f001", id)
		}
		batch = append(batch, outgoing{id, []byte(m)})
		if len(batch) == publishWindow || i == streamMessages-1 {
			if err := s.publishBatch(batch); err != nil {
				s.t.Errorf("publish messages %s to %s: %v", batch[0].id, batch[len(batch)-1].id, err)
				return
			}
			batch = batch[:0]
		}
	}
	s.t.Logf("%d messages published", streamMessages)
}

// publishWindow is how many messages are published before their
// acknowledgements are awaited: below the client's limit of outstanding
// asynchronous publishes, past which PublishAsync fails (after a short
// stall) instead of waiting.
const publishWindow = 500

// outgoing is a message to publish and its ID.
type outgoing struct {
	id   string
	data []byte
}

// publishBatch publishes msgs asynchronously and waits for the stream to
// acknowledge each; one that fails or is not acknowledged in a minute is
// published again, synchronously (with its ID as Nats-Msg-Id, so that the
// stream keeps a message published twice once).
func (s *stream) publishBatch(msgs []outgoing) error {
	ctx := context.Background()
	futures := make([]jetstream.PubAckFuture, len(msgs))
	for i, m := range msgs {
		f, err := s.js.PublishAsync(s.opt.Subject, m.data, jetstream.WithMsgID(m.id))
		if err == nil {
			futures[i] = f
		}
	}
	wait, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for i, f := range futures {
		ok := false
		if f != nil {
			select {
			case <-f.Ok():
				ok = true
			case <-f.Err():
			case <-wait.Done():
			}
		}
		for try := 0; !ok; try++ {
			pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			_, err := s.js.Publish(pctx, s.opt.Subject, msgs[i].data, jetstream.WithMsgID(msgs[i].id))
			cancel()
			if err == nil {
				ok = true
			} else if try == 4 {
				return fmt.Errorf("message %s: %w", msgs[i].id, err)
			}
		}
	}
	return nil
}

// stored returns the number of messages of the stream with a result
// stored in the database (the store keeps one per message ID).
func (s *stream) stored() int {
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM message_results WHERE id LIKE $1`, s.c.prefix+"-%").Scan(&n); err != nil {
		s.t.Logf("count message results: %v", err)
		return -1
	}
	return n
}

// wait waits until every message has a stored result, and reports the
// durable consumer's state if they do not within the time given.
func (s *stream) wait(within time.Duration) {
	deadline := time.Now().Add(max(within, time.Second))
	for {
		n := s.stored()
		if n == streamMessages {
			return
		}
		if time.Now().After(deadline) {
			s.t.Errorf("%d of %d messages have a stored result after %s; %s\n%s", n, streamMessages, within.Round(time.Second), s.consumerState(), logTails(s.c.dir))
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// consumerState describes the durable consumer: what is waiting, what
// was delivered and not acknowledged, what was delivered again.
func (s *stream) consumerState() string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := s.js.Consumer(ctx, s.opt.Stream, s.opt.Durable)
	if err != nil {
		return fmt.Sprintf("consumer %s: %v", s.opt.Durable, err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		return fmt.Sprintf("consumer %s: %v", s.opt.Durable, err)
	}
	return fmt.Sprintf("consumer %s: %d pending, %d delivered and not acknowledged, %d delivered again, %d pull requests waiting",
		s.opt.Durable, info.NumPending, info.NumAckPending, info.NumRedelivered, info.NumWaiting)
}

// published reads back from the stream the results published to the
// result subject: the decision by message ID, and how many IDs were
// published more than once (the stream keeps one copy of a result
// published again within its duplicate window).
func (s *stream) published() (map[string]string, int) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := s.js.OrderedConsumer(ctx, s.opt.Stream, jetstream.OrderedConsumerConfig{FilterSubjects: []string{s.opt.ResultSubject}})
	if err != nil {
		s.t.Fatal(err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	left := info.NumPending
	held := map[string]string{}
	again := 0
	for left > 0 {
		batch, err := c.Fetch(int(min(left, 1000)), jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			s.t.Fatal(err)
		}
		n := 0
		for m := range batch.Messages() {
			n++
			id := m.Headers().Get(message.HeaderMessageID)
			if _, ok := held[id]; ok {
				again++
			}
			held[id] = m.Headers().Get(message.HeaderDecision)
		}
		if err := batch.Error(); err != nil && n == 0 {
			s.t.Fatalf("read the published results back: %v (%d left)", err, left)
		}
		left -= uint64(n)
	}
	return held, again
}

// check verifies the stream's outcome in the database: one stored result
// per message, and every message naming a listed party held with its
// alerts on the review queue, none raised twice.
func (s *stream) check(db *sql.DB) {
	t := s.t
	var rows, ids, redelivered int
	if err := db.QueryRow(`SELECT count(*), count(DISTINCT id), count(*) FILTER (WHERE deliveries > 1) FROM message_results WHERE id LIKE $1`,
		s.c.prefix+"-%").Scan(&rows, &ids, &redelivered); err != nil {
		t.Fatal(err)
	}
	t.Logf("message results stored: %d for %d messages (%d delivered more than once)", rows, ids, redelivered)
	if rows != streamMessages || ids != streamMessages {
		t.Errorf("%d results stored for %d distinct messages; want %d, one each\n%s", rows, ids, streamMessages, logTails(s.c.dir))
	}
	held, again := s.published()
	t.Logf("results published: %d messages, %d published again (the stored result, after a redelivery)", len(held), again)
	if len(held) != streamMessages {
		t.Errorf("results of %d messages published, want %d", len(held), streamMessages)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var alerts, pairs, creates int
	if err := db.QueryRow(`SELECT count(*), count(DISTINCT (party_id, entity_id)) FROM alerts WHERE party_id LIKE $1`, "message:"+s.c.prefix+"-%").Scan(&alerts, &pairs); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM audit WHERE action = 'alert.create' AND payload LIKE $1`, `{"party_id":"message:`+s.c.prefix+`-%`).Scan(&creates); err != nil {
		t.Fatal(err)
	}
	t.Logf("messages: %d alerts on held messages, %d alert.create records", alerts, creates)
	if alerts != pairs || creates > alerts {
		t.Errorf("%d message alerts on %d message-entity pairs with %d alert.create records: an alert was raised twice", alerts, pairs, creates)
	}
	if creates < alerts {
		// The alert and its audit record are written in one transaction:
		// a consumer killed at any point leaves both or neither.
		t.Errorf("%d message alerts lack their alert.create record", alerts-creates)
	}
	missing := 0
	for id, name := range s.planted {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM alerts WHERE party_id = $1`, "message:"+id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if held[id] != "hold" || n == 0 {
			missing++
			if missing <= 5 {
				t.Errorf("message %s naming %q: decision %q, %d alerts; want hold with alerts", id, name, held[id], n)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d messages naming a listed party were not held with an alert", missing, len(s.planted))
	}
}
