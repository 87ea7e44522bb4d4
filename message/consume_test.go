package message_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/classify"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/internal/evalgen"
	"github.com/interdict/interdict/message"
	"github.com/interdict/interdict/postgres"
	"github.com/interdict/interdict/screen"
	"github.com/interdict/interdict/snapshot"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/sqlite"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// natsJS connects to INTERDICT_TEST_NATS_URL or skips the test.
func natsJS(t testing.TB) (string, *nats.Conn, jetstream.JetStream) {
	t.Helper()
	u := os.Getenv("INTERDICT_TEST_NATS_URL")
	if u == "" {
		t.Skip("INTERDICT_TEST_NATS_URL is not set; skipping the NATS tests")
	}
	nc, err := nats.Connect(u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return u, nc, js
}

var streamSeq atomic.Int64

// testStream creates a stream of its own for the test, deleted at the end,
// and returns consume options naming it and its subjects.
func testStream(t testing.TB, js jetstream.JetStream) message.ConsumeOptions {
	t.Helper()
	tag := fmt.Sprintf("T%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, streamSeq.Add(1))
	opt := message.ConsumeOptions{Stream: "INTERDICT_TEST_" + tag, Subject: "interdict.test." + tag + ".in",
		ResultSubject: "interdict.test." + tag + ".result", DeadLetterSubject: "interdict.test." + tag + ".dead",
		Durable: "screen-" + tag}
	ctx := context.Background()
	if _, err := message.EnsureStream(ctx, js, opt.Stream, opt.Subject, opt.ResultSubject, opt.DeadLetterSubject); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = js.DeleteStream(context.Background(), opt.Stream) })
	return opt
}

var (
	unOnce sync.Once
	unScr  *message.Screener
	unErr  error
)

// unScreener is a message screener over the bundled UN consolidated list
// alone: the stream tests measure delivery, not matching, and a child
// process must be ready in a moment.
func unScreener(t testing.TB) *message.Screener {
	t.Helper()
	unOnce.Do(func() {
		files, _, err := snapshot.Files()
		if err != nil {
			unErr = err
			return
		}
		var un []source.File
		for _, f := range files {
			if strings.Contains(f.Name, "UN_consolidated") {
				un = append(un, f)
			}
		}
		results, err := source.ParseAll(evalgen.Formats(), un)
		if err != nil {
			unErr = err
			return
		}
		var ents []interdict.Entity
		for _, r := range results {
			ents = append(ents, r.Entities...)
		}
		p := screen.DefaultPolicy()
		svc, err := screen.NewService(screen.ServiceConfig{Policy: p})
		if err != nil {
			unErr = err
			return
		}
		if _, err := svc.Load(ents, nil); err != nil {
			unErr = err
			return
		}
		cl, err := classify.New(classify.Options{CountryCode: country.Code, CountryName: country.Name})
		if err != nil {
			unErr = err
			return
		}
		unScr, unErr = message.NewScreener(message.Options{Parties: svc, Threshold: p.Threshold, Destinations: cl, Goods: cl})
	})
	if unErr != nil {
		t.Fatal("UN screener:", unErr)
	}
	return unScr
}

// streamMessages builds n messages from real samples (pacs.008 and MT103,
// alternately), each with an ID of its own: "<prefix>-<i>".
func streamMessages(t *testing.T, prefix string, n int) (msgs [][]byte, ids []string) {
	t.Helper()
	pacs := sampleText(t, "iso20022/cbpr-examples/pacs008_credit_transfer_sample.xml")
	mt := sampleText(t, "mt/ballerina-mt-mx/p_2_3_1_a__mt103_pacs_008_A_D.fin")
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("%s-%05d", prefix, i)
		var m string
		if i%2 == 0 {
			m = strings.ReplaceAll(pacs, "P008-20260413-5017", id)
		} else {
			m = strings.ReplaceAll(mt, "7a562c67-ca16-48ba-b074-65581be6f001", id)
		}
		msgs = append(msgs, []byte(m))
		ids = append(ids, id)
	}
	return msgs, ids
}

// publishAll publishes msgs to subject and waits for the stream to take
// every one.
func publishAll(t testing.TB, js jetstream.JetStream, subject string, msgs [][]byte) {
	t.Helper()
	for _, m := range msgs {
		if _, err := js.PublishAsync(subject, m); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-js.PublishAsyncComplete():
	case <-time.After(60 * time.Second):
		t.Fatal("publishing took more than 60 s")
	}
}

// storeFor opens the result store the test runs on: PostgreSQL in a fresh
// schema when kind is "postgres", else SQLite at path.
func storeFor(t testing.TB, kind, dsn string) interdict.MessageResultStore {
	t.Helper()
	ctx := context.Background()
	if kind == "postgres" {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return postgres.NewMessageResultStore(db)
	}
	db := sqlite.NewDB(dsn)
	if err := db.Open(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return sqlite.NewMessageResultStore(db)
}

// postgresSchema makes a fresh schema in INTERDICT_TEST_POSTGRES_DSN,
// dropped at the end, and returns a DSN using it, or "" when the variable
// is not set.
func postgresSchema(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("INTERDICT_TEST_POSTGRES_DSN")
	if dsn == "" {
		return ""
	}
	schema := fmt.Sprintf("interdict_msg_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, streamSeq.Add(1))
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if admin, err := sql.Open("pgx", dsn); err == nil {
			_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
			admin.Close()
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// The child consumer of TestConsume_killed reads its configuration from
// these variables.
const (
	childEnv = "INTERDICT_TEST_CONSUME_CHILD"
	childCfg = "INTERDICT_TEST_CONSUME_CONFIG" // stream|subject|result|dead|durable|store kind|dsn
)

// TestConsume_child is the consumer process TestConsume_killed starts and
// kills; it is skipped in a normal run.
func TestConsume_child(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("runs only as the child process of TestConsume_killed")
	}
	_, _, js := natsJS(t)
	f := strings.Split(os.Getenv(childCfg), "|")
	if len(f) != 7 {
		t.Fatalf("%s = %q", childCfg, os.Getenv(childCfg))
	}
	opt := message.ConsumeOptions{Stream: f[0], Subject: f[1], ResultSubject: f[2], DeadLetterSubject: f[3], Durable: f[4],
		AckWait: 2 * time.Second, Screener: unScreener(t), Store: storeFor(t, f[5], f[6])}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := message.Consume(ctx, js, opt); err != nil {
		t.Fatal(err)
	}
}

// TestConsume_killed publishes 10,000 messages built from real samples
// and 5 broken ones, screens them with a child consumer process and one in
// this process sharing one durable consumer, kills the child with SIGKILL
// midway, and checks that every message ends with exactly one stored
// result (the ones the child had stored but not acknowledged are delivered
// again and found stored), every result is published, and the broken
// messages are dead letters naming their field. It runs on SQLite, and on
// PostgreSQL too when INTERDICT_TEST_POSTGRES_DSN is set.
func TestConsume_killed(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		t.Skip("in the child")
	}
	t.Run("sqlite", func(t *testing.T) { testConsumeKilled(t, "sqlite", filepath.Join(t.TempDir(), "results.db")) })
	t.Run("postgres", func(t *testing.T) {
		dsn := postgresSchema(t)
		if dsn == "" {
			t.Skip("INTERDICT_TEST_POSTGRES_DSN is not set")
		}
		testConsumeKilled(t, "postgres", dsn)
	})
}

func testConsumeKilled(t *testing.T, kind, dsn string) {
	url, nc, js := natsJS(t)
	needSamples(t)
	const n, broken = 10000, 5
	opt := testStream(t, js)
	opt.AckWait = 2 * time.Second
	store := storeFor(t, kind, dsn)
	scr := unScreener(t) // before the child starts: this process is ready when it is killed
	msgs, ids := streamMessages(t, "K"+kind[:2], n)

	// Count the published results and dead letters.
	var results, dead atomic.Int64
	deadErrs := make(chan string, broken)
	sub, err := nc.Subscribe(opt.ResultSubject, func(*nats.Msg) { results.Add(1) })
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	dsub, err := nc.Subscribe(opt.DeadLetterSubject, func(m *nats.Msg) {
		dead.Add(1)
		select {
		case deadErrs <- m.Header.Get(message.HeaderError):
		default:
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer dsub.Unsubscribe()

	// The durable exists before anything is published, so that neither
	// consumer creates it with a different configuration.
	if _, err := js.CreateOrUpdateConsumer(context.Background(), opt.Stream, message.ConsumerConfig(opt)); err != nil {
		t.Fatal(err)
	}
	child := exec.Command(os.Args[0], "-test.run=^TestConsume_child$", "-test.v")
	child.Env = append(os.Environ(), childEnv+"=1", "INTERDICT_TEST_NATS_URL="+url,
		childCfg+"="+strings.Join([]string{opt.Stream, opt.Subject, opt.ResultSubject, opt.DeadLetterSubject, opt.Durable, kind, dsn}, "|"))
	var childOut strings.Builder
	child.Stdout, child.Stderr = &childOut, &childOut
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	childDone := make(chan error, 1)
	go func() { childDone <- child.Wait() }()
	defer func() {
		_ = child.Process.Kill()
		<-childDone
	}()

	// Half the messages first: the child alone takes them.
	publishAll(t, js, opt.Subject, msgs[:n/2])
	deadline := time.Now().Add(90 * time.Second)
	for results.Load() < n/5 {
		if time.Now().After(deadline) {
			t.Fatalf("the child consumer published %d results in 90 s; its output:\n%s", results.Load(), childOut.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Start this process's consumer, publish the rest with the broken
	// messages, and kill the child while both are busy.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stats := &message.ConsumeStats{}
	opt.Screener, opt.Store, opt.Stats = scr, store, stats
	opt.Log = func(format string, args ...any) {
		if !strings.HasPrefix(format, "dead letter") {
			t.Logf(format, args...)
		}
	}
	consumed := make(chan error, 1)
	go func() { consumed <- message.Consume(ctx, js, opt) }()
	bad := [][]byte{
		[]byte("{1:F01AAAABBCCXXXX0000000000}{2:I103DDDDEEFFXXXXN}{4:\r\n:20:BAD1\r\n:57A:NOT A BIC\r\n:59:/1\r\nNAME\r\n-}"),
		[]byte("<Document><FIToFICstmrCdtTrf><CdtTrfTxInf><Dbtr><Nm>A</Dbtr>"),
		[]byte("{1500}30User ReqP {1599}x"),
		[]byte(`{"documentParties":{"shipper":{"partyName":"A","address":{"countryCode":"Iran"}}}}`),
		[]byte("hello"),
	}
	rest := append(append([][]byte{}, msgs[n/2:n/2+n/10]...), bad...)
	rest = append(rest, msgs[n/2+n/10:]...)
	publishAll(t, js, opt.Subject, rest)
	atKill := results.Load()
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	werr := <-childDone
	childDone <- werr
	var ee *exec.ExitError
	if !errors.As(werr, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, not killed; its output:\n%s", werr, childOut.String())
	}
	afterKill, _ := store.CountMessageResults(context.Background(), interdict.MessageResultFilter{})
	t.Logf("child killed with %d results published and %d stored", atKill, afterKill)
	if afterKill >= n {
		t.Fatalf("all %d results were stored before the child was killed; the test did not kill it midway", afterKill)
	}

	// Wait until every message is handled.
	cons, err := js.Consumer(context.Background(), opt.Stream, opt.Durable)
	if err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(120 * time.Second)
	for {
		ci, err := cons.Info(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		stored, err := store.CountMessageResults(context.Background(), interdict.MessageResultFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if ci.NumPending == 0 && ci.NumAckPending == 0 && stored >= n && dead.Load() >= broken {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 120 s: %d stored, %d pending, %d awaiting acknowledgement, %d dead letters", stored, ci.NumPending, ci.NumAckPending, dead.Load())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-consumed; err != nil {
		t.Fatal(err)
	}

	// Exactly one stored result per message.
	all, err := store.FindMessageResults(context.Background(), interdict.MessageResultFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	redelivered := 0
	for _, r := range all {
		got[r.ID]++
		if r.Deliveries > 1 {
			redelivered++
		}
		if r.Decision != interdict.MessageRelease && r.Decision != interdict.MessageHold || len(r.Result) == 0 {
			t.Fatalf("result %+v", r)
		}
	}
	if len(all) != n {
		t.Errorf("%d stored results, want %d", len(all), n)
	}
	for _, id := range ids {
		if got[id] != 1 {
			t.Fatalf("message %s has %d stored results, want 1", id, got[id])
		}
	}
	if results.Load() < n {
		t.Errorf("%d results published, want at least %d", results.Load(), n)
	}
	if dead.Load() != broken {
		t.Errorf("%d dead letters, want %d", dead.Load(), broken)
	}
	close(deadErrs)
	for e := range deadErrs {
		if !strings.Contains(e, "nats:"+opt.Stream+"/") || !(strings.Contains(e, "field ") || strings.Contains(e, "not a message format")) {
			t.Errorf("dead letter error %q does not name the stream message and the field", e)
		}
	}
	if stats.Redelivered.Load() == 0 {
		t.Errorf("no message was delivered again after the child was killed")
	}
	t.Logf("%d messages: %d results stored once, %d stored twice; this process received %d again after the kill, stored %d, found %d stored already; %d published, %d dead letters",
		n, len(all), redelivered, stats.Redelivered.Load(), stats.Stored.Load(), stats.Duplicates.Load(), results.Load(), dead.Load())
}

// TestConsume_idempotent delivers one message twice (two stream messages
// with the same message ID, as a sender retrying would) and checks that it
// is stored once with both deliveries counted and its first result
// published again.
func TestConsume_idempotent(t *testing.T) {
	_, nc, js := natsJS(t)
	needSamples(t)
	opt := testStream(t, js)
	opt.Screener = unScreener(t)
	opt.Store = storeFor(t, "sqlite", filepath.Join(t.TempDir(), "results.db"))
	msgs, _ := streamMessages(t, "I", 1)
	results := make(chan *nats.Msg, 10)
	sub, err := nc.ChanSubscribe(opt.ResultSubject, results)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	ctx := context.Background()
	for _, id := range []string{"first", "retry"} {
		m := nats.NewMsg(opt.Subject)
		m.Data = msgs[0]
		m.Header.Set(jetstream.MsgIDHeader, id)
		if _, err := js.PublishMsg(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- message.Consume(cctx, js, opt) }()
	var got []*nats.Msg
	for len(got) < 2 {
		select {
		case m := <-results:
			got = append(got, m)
		case <-time.After(30 * time.Second):
			t.Fatalf("%d results published in 30 s, want 2", len(got))
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got[0].Header.Get(message.HeaderMessageID) != "I-00000" || got[1].Header.Get(message.HeaderMessageID) != "I-00000" || string(got[0].Data) != string(got[1].Data) {
		t.Errorf("results of the message and its retry: %q %q; want the same result of I-00000 twice",
			got[0].Header.Get(message.HeaderMessageID), got[1].Header.Get(message.HeaderMessageID))
	}
	r, err := opt.Store.FindMessageResult(ctx, "I-00000")
	if err != nil || r.Deliveries != 2 {
		t.Fatalf("stored result of I-00000: %+v, %v; want one with 2 deliveries", r, err)
	}
	if n, err := opt.Store.CountMessageResults(ctx, interdict.MessageResultFilter{}); err != nil || n != 1 {
		t.Errorf("%d results stored, %v; want 1", n, err)
	}
}

// BenchmarkConsume measures the stream mode end to end against the real
// NATS server: b.N messages built from real samples (pacs.008 and MT103)
// are published first, then one or two consumers sharing the durable
// consumer (in this process, on one SQLite store) screen against the
// bundled UN list, store, publish and acknowledge them all. msgs/s is the
// stream's throughput, msgs/cpu-s the same per second of CPU time this
// process used (the server's is not counted).
func BenchmarkConsume(b *testing.B) {
	for _, consumers := range []int{1, 2} {
		b.Run(fmt.Sprintf("consumers=%d", consumers), func(b *testing.B) {
			_, _, js := natsJS(b)
			if _, err := os.Stat(samples); err != nil {
				b.Skip("shared message samples not found")
			}
			opt := testStream(b, js)
			opt.Screener = unScreener(b)
			opt.Store = storeFor(b, "sqlite", filepath.Join(b.TempDir(), "results.db"))
			pacs, err := os.ReadFile(filepath.Join(samples, "iso20022/cbpr-examples/pacs008_credit_transfer_sample.xml"))
			if err != nil {
				b.Fatal(err)
			}
			mt, err := os.ReadFile(filepath.Join(samples, "mt/ballerina-mt-mx/p_2_3_1_a__mt103_pacs_008_A_D.fin"))
			if err != nil {
				b.Fatal(err)
			}
			var msgs [][]byte
			for i := 0; i < b.N; i++ {
				id := fmt.Sprintf("B%d-%07d", consumers, i)
				if i%2 == 0 {
					msgs = append(msgs, []byte(strings.ReplaceAll(string(pacs), "P008-20260413-5017", id)))
				} else {
					msgs = append(msgs, []byte(strings.ReplaceAll(string(mt), "7a562c67-ca16-48ba-b074-65581be6f001", id)))
				}
			}
			publishAll(b, js, opt.Subject, msgs)
			if _, err := js.CreateOrUpdateConsumer(context.Background(), opt.Stream, message.ConsumerConfig(opt)); err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stats := &message.ConsumeStats{}
			opt.Stats = stats
			b.ResetTimer()
			cpu := processCPU()
			var wg sync.WaitGroup
			for c := 0; c < consumers; c++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := message.Consume(ctx, js, opt); err != nil {
						b.Error(err)
					}
				}()
			}
			for stats.Stored.Load()+stats.Duplicates.Load() < int64(b.N) {
				time.Sleep(5 * time.Millisecond)
			}
			b.StopTimer()
			used := processCPU() - cpu
			cancel()
			wg.Wait()
			reportRates(b, used)
		})
	}
}
