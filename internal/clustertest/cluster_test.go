package clustertest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
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
	"github.com/interdict/interdict/postgres"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// cluster is a test's database schema, NATS prefix and replicas.
type cluster struct {
	t      testing.TB
	bin    string
	dsn    string // with the test's search_path
	nats   string
	prefix string
	key    string // the admin's API key
	dir    string
}

// newCluster makes a schema and a NATS prefix of the test's own and
// builds the binary, or skips the test when PostgreSQL or NATS is not
// configured.
func newCluster(t *testing.T) *cluster {
	t.Helper()
	base, nurl := os.Getenv("INTERDICT_TEST_POSTGRES_DSN"), os.Getenv("INTERDICT_TEST_NATS_URL")
	if base == "" || nurl == "" {
		t.Skip("INTERDICT_TEST_POSTGRES_DSN and INTERDICT_TEST_NATS_URL are not both set; skipping the cluster test")
	}
	return setup(t, base, nurl)
}

// setup makes the schema and prefix and builds the binary.
func setup(t testing.TB, base, nurl string) *cluster {
	t.Helper()
	tag := fmt.Sprintf("%d_%d", os.Getpid(), time.Now().UnixNano()%1e9)
	schema := "interdict_cluster_" + tag
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	admin.Close()
	t.Cleanup(func() {
		if admin, err := sql.Open("pgx", base); err == nil {
			_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
			admin.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	dir := t.TempDir()
	prefix := "ictest_" + tag
	t.Cleanup(func() { deleteStreams(t, nurl, strings.ToUpper(prefix)) })
	c := &cluster{t: t, dsn: u.String(), nats: nurl, prefix: prefix, dir: dir, bin: filepath.Join(dir, "interdict")}
	build := exec.Command("go", "build", "-o", c.bin, "./cmd/interdict")
	build.Dir = moduleRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return c
}

func moduleRoot(t testing.TB) string {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

func (c *cluster) env(home, replica string) []string {
	return append(os.Environ(), "INTERDICT_HOME="+home, "INTERDICT_DATABASE="+c.dsn, "INTERDICT_NATS="+c.nats,
		"INTERDICT_NATS_PREFIX="+c.prefix, "INTERDICT_REPLICA="+replica)
}

// run runs the binary to the end and returns its standard output.
func (c *cluster) run(stdin string, args ...string) (string, error) {
	cmd := exec.Command(c.bin, args...)
	cmd.Env = append(c.env(filepath.Join(c.dir, "cli"), "cli"), "INTERDICT_NO_SNAPSHOT=1")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil {
		return out.String() + errb.String(), fmt.Errorf("interdict %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errb.String())
	}
	return out.String() + errb.String(), nil
}

// replica is one `interdict serve` child process.
type replica struct {
	name string
	addr string
	home string
	cmd  *exec.Cmd
	log  *os.File
}

func freeAddr(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func (c *cluster) replica(name string) *replica {
	return &replica{name: name, addr: freeAddr(c.t), home: filepath.Join(c.dir, name)}
}

func (c *cluster) start(r *replica) {
	c.t.Helper()
	f, err := os.OpenFile(filepath.Join(c.dir, r.name+".log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		c.t.Fatal(err)
	}
	r.log = f
	r.cmd = exec.Command(c.bin, "serve", "--addr", r.addr, "--check-every", "1s", "--work-ack-wait", "6s")
	r.cmd.Env = c.env(r.home, r.name)
	r.cmd.Stdout, r.cmd.Stderr = f, f
	if err := r.cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { r.stop() })
}

// kill ends the replica with SIGKILL: no shutdown of any kind.
func (r *replica) kill() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Signal(syscall.SIGKILL)
		_ = r.cmd.Wait()
	}
	r.cmd = nil
	if r.log != nil {
		r.log.Close()
	}
}

func (r *replica) stop() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = r.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = r.cmd.Process.Kill()
			<-done
		}
	}
	r.cmd = nil
	if r.log != nil {
		r.log.Close()
	}
}

func (c *cluster) waitReady(r *replica, within time.Duration) {
	c.t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + r.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	b, _ := os.ReadFile(filepath.Join(c.dir, r.name+".log"))
	c.t.Fatalf("replica %s not ready within %s; its log:\n%s", r.name, within, tail(b, 3000))
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// call sends a request as the admin and decodes the JSON answer into out.
func (c *cluster) call(r *replica, method, path string, body any, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, "http://"+r.addr+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("Content-Type", "application/json")
	cl := &http.Client{Timeout: 30 * time.Second}
	resp, err := cl.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: %v: %s", method, path, err, b)
		}
	}
	if resp.StatusCode >= 300 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	return resp.StatusCode, nil
}

// procCPU returns the user and system seconds of a running replica.
func procCPU(r *replica) float64 {
	if r.cmd == nil || r.cmd.Process == nil {
		return 0
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", r.cmd.Process.Pid))
	if err != nil {
		return 0 // not Linux
	}
	s := string(data)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	var total float64
	for _, f := range fields[11:13] { // utime and stime, in 1/100 s
		var v float64
		fmt.Sscan(f, &v)
		total += v / 100
	}
	return total
}

// customers reads n names of the independent customer set (people of 40
// locales that are not listed, eval/data/customers.jsonl.gz).
func customers(t *testing.T, n int) []string {
	f, err := os.Open(filepath.Join(moduleRoot(t), "eval", "data", "customers.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	var out []string
	for sc.Scan() && len(out) < n {
		var c struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c.Name)
	}
	if len(out) < n {
		t.Fatalf("only %d customer names", len(out))
	}
	return out
}

// TestClusterRescreenWithKilledReplica starts three replicas, puts a book
// of 100,000 parties (1,000 of them named as listed entities) in
// PostgreSQL, starts a full re-screening run through one replica's API,
// kills that replica (the run's leader) with SIGKILL a third of the way
// through, and restarts it. The run must end with every page done once,
// every planted party alerted, no alert raised twice, an intact audit
// chain (three processes appending at once), and the two other replicas
// answering every request meanwhile.
func TestClusterRescreenWithKilledReplica(t *testing.T) {
	c := newCluster(t)
	ctx := context.Background()

	// The schema (migrated by the first command) and an admin with a key.
	out, err := c.run("cluster-test-password-1\n", "users", "add", "boss", "--role", "admin", "--api-key", "--password-stdin")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range strings.Fields(out) {
		if strings.HasPrefix(f, "idk_") {
			c.key = f
		}
	}
	if c.key == "" {
		t.Fatalf("no API key in %q", out)
	}

	// Three replicas start together on the empty database: one imports the
	// bundled lists, all load them.
	t0 := time.Now()
	rs := []*replica{c.replica("r1"), c.replica("r2"), c.replica("r3")}
	for _, r := range rs {
		c.start(r)
	}
	// Beside each replica, a consumer of the message stream (one durable
	// shared by the three), when the message samples are at hand.
	st := newStream(t, c)
	var cs []*replica
	if st != nil {
		cs = []*replica{c.replica("c1"), c.replica("c2"), c.replica("c3")}
		for _, r := range cs {
			st.startConsumer(r)
		}
	}
	db, err := postgres.Open(ctx, c.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lists := postgres.NewListStore(db)
	for _, r := range rs {
		c.waitReady(r, 10*time.Minute)
	}
	t.Logf("three replicas ready (lists imported once, three indexes built) in %s", time.Since(t0).Round(time.Millisecond))
	vs, err := lists.FindListVersions(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.Version != 1 {
			t.Errorf("list %s has version %d: the three replicas imported the snapshot more than once", v.List, v.Version)
		}
	}

	// The book: 99,000 customers and 1,000 listed names (UN, then OFAC),
	// every 100th party.
	var listed []string
	for _, l := range []string{interdict.ListUN, interdict.ListOFACSDN} {
		cur, err := lists.FindCurrentVersions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range cur {
			if v.List != l {
				continue
			}
			es, err := lists.FindEntities(ctx, l, v.Version)
			if err != nil {
				t.Fatal(err)
			}
			for i := range es {
				if n := es[i].PrimaryName(); len(n) > 8 && len(listed) < 1000 {
					listed = append(listed, n)
				}
			}
		}
	}
	const total = 100_000
	names := customers(t, total)
	book := postgres.NewReviewStore(db)
	planted := map[string]string{}
	var batch []*interdict.Party
	for i := 0; i < total; i++ {
		p := &interdict.Party{ID: fmt.Sprintf("p%06d", i), Name: names[i]}
		if i%100 == 0 {
			p.Name = listed[(i/100)%len(listed)]
			planted[p.ID] = p.Name
		}
		batch = append(batch, p)
		if len(batch) == 5000 || i == total-1 {
			if _, err := book.PutParties(ctx, batch); err != nil {
				t.Fatal(err)
			}
			batch = nil
		}
	}

	t.Logf("book of %d parties stored, %s after the start", total, time.Since(t0).Round(time.Millisecond))

	// Requests to the replicas that stay up, all along.
	stopLoad := make(chan struct{})
	var loadWG sync.WaitGroup
	var sent, failed atomic.Int64
	var firstFailure atomic.Value
	for _, r := range rs[1:] {
		loadWG.Add(1)
		go func() {
			defer loadWG.Done()
			for i := 0; ; i++ {
				select {
				case <-stopLoad:
					return
				case <-time.After(200 * time.Millisecond):
				}
				var err error
				if i%2 == 0 {
					_, err = c.call(r, "POST", "/v1/screen", map[string]string{"name": listed[i%len(listed)]}, nil)
				} else {
					_, err = c.call(r, "GET", "/v1/rescreens", nil, nil)
				}
				sent.Add(1)
				if err != nil {
					failed.Add(1)
					firstFailure.CompareAndSwap(nil, err.Error())
				}
			}
		}()
	}

	// The run, led by r1. On two idle cores the test takes a few minutes;
	// the deadline, for a machine shared with other work, ends a minute
	// and a half before the test binary's own timeout (-timeout), so that
	// a run that falls short fails with the state of the run, the stream
	// and the processes rather than a panic; without a timeout, it is 8
	// minutes.
	started := time.Now()
	deadline := 8 * time.Minute
	if d, ok := t.Deadline(); ok {
		deadline = max(time.Until(d)-90*time.Second, time.Minute)
	}
	var run interdict.RescreenRun
	if _, err := c.call(rs[0], "POST", "/v1/rescreens", map[string]bool{"full": true}, &run); err != nil {
		t.Fatal(err)
	}
	if run.Parties != total {
		t.Fatalf("run planned over %d parties, want %d", run.Parties, total)
	}
	t.Logf("run %s: %d parties in %d pages", run.ID, run.Parties, run.Pages)
	poll := func(r *replica) interdict.RescreenRun {
		var cur interdict.RescreenRun
		if _, err := c.call(r, "GET", "/v1/rescreens/"+run.ID, nil, &cur); err != nil {
			t.Fatal(err)
		}
		return cur
	}
	// The messages are published a fifth of the way through the run (the
	// stream goes faster than the run), and r1 is killed with its consumer
	// a third of the way through the stream, or without a stream a third
	// of the way through the run: both are then under way.
	published := false
	for {
		cur := poll(rs[1])
		if st != nil && !published && cur.PagesDone*5 >= cur.Pages {
			published = true
			t.Logf("publishing %d messages at %d of %d pages", streamMessages, cur.PagesDone, cur.Pages)
			go st.publish(listed)
		}
		if st == nil && cur.PagesDone*3 >= cur.Pages || st != nil && st.stored()*3 >= streamMessages {
			t.Logf("killing r1 (the leader) at %d of %d pages, %s in", cur.PagesDone, cur.Pages, time.Since(started).Round(time.Millisecond))
			break
		}
		if time.Since(started) > deadline {
			t.Fatalf("no progress: %+v\n%s", cur, logTails(c.dir))
		}
		time.Sleep(250 * time.Millisecond)
	}
	cpuKilled := procCPU(rs[0])
	rs[0].kill()
	if st != nil {
		t.Logf("killing c1, the consumer beside r1, with %d of %d message results stored", st.stored(), streamMessages)
		cs[0].kill()
	}
	killed := time.Now()
	time.Sleep(2 * time.Second)
	c.start(rs[0])
	if st != nil {
		st.startConsumer(cs[0])
	}

	var final interdict.RescreenRun
	for {
		final = poll(rs[2])
		if final.State != interdict.RunRunning {
			break
		}
		if time.Since(started) > deadline {
			t.Fatalf("the run did not finish: %+v\n%s", final, logTails(c.dir))
		}
		time.Sleep(500 * time.Millisecond)
	}
	took := time.Since(started)
	if st != nil {
		st.wait(deadline - time.Since(started))
		t.Logf("message stream: %d results stored %s after the run started", st.stored(), time.Since(started).Round(time.Millisecond))
	}
	cpu := cpuKilled + procCPU(rs[0]) + procCPU(rs[1]) + procCPU(rs[2])
	t.Logf("CPU time of the replicas from their start (index builds included): %.1f s", cpu)
	c.waitReady(rs[0], 10*time.Minute)
	close(stopLoad)
	loadWG.Wait()
	t.Logf("run %s %s in %s (%s after the kill): %d pages, %d parties, %d alerts, %d pending; pages by replica %v",
		final.ID, final.State, took.Round(time.Millisecond), time.Since(killed).Round(time.Millisecond), final.PagesDone, final.PartiesDone, final.Alerts, final.Pending, final.Replicas)
	t.Logf("requests to the other replicas meanwhile: %d, failed %d", sent.Load(), failed.Load())

	if final.State != interdict.RunDone || final.PagesDone != final.Pages || final.PartiesDone != total {
		t.Errorf("run ended %s with %d of %d pages and %d of %d parties", final.State, final.PagesDone, final.Pages, final.PartiesDone, total)
	}
	if len(final.Replicas) < 2 {
		t.Errorf("pages by replica %v: want the work shared", final.Replicas)
	}
	if n := failed.Load(); n > 0 || sent.Load() == 0 {
		t.Errorf("%d of %d requests to the replicas that stayed up failed; first: %v", n, sent.Load(), firstFailure.Load())
	}

	// No alert lost: every planted party has one, on an entity of its
	// name. No alert raised twice: one alert per party and entity, and
	// one alert.create record per alert.
	raw, err := sql.Open("pgx", c.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.QueryContext(ctx, `SELECT party_id, count(*) FROM alerts WHERE party_id NOT LIKE 'message:%' GROUP BY party_id`)
	if err != nil {
		t.Fatal(err)
	}
	alerted := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		alerted[id] = n
	}
	rows.Close()
	missing := 0
	for id, name := range planted {
		if alerted[id] == 0 {
			missing++
			if missing <= 5 {
				t.Errorf("planted party %s (%q) has no alert", id, name)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d planted parties have no alert", missing, len(planted))
	}
	var alerts, pairs, creates int
	if err := raw.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT (party_id, entity_id)) FROM alerts WHERE party_id NOT LIKE 'message:%'`).Scan(&alerts, &pairs); err != nil {
		t.Fatal(err)
	}
	if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM audit WHERE action = 'alert.create' AND payload NOT LIKE '{"party_id":"message:%'`).Scan(&creates); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d alerts on %d parties (%d planted), %d alert.create records", alerts, len(alerted), len(planted), creates)
	if alerts != pairs || creates > alerts {
		t.Errorf("%d alerts on %d party-entity pairs with %d alert.create records: an alert was raised twice", alerts, pairs, creates)
	}
	if creates < alerts {
		// The alert and its audit record are written in one transaction.
		t.Errorf("%d alerts lack their alert.create record", alerts-creates)
	}
	// A page cut off by the kill and screened again finds the alerts its
	// first screening raised pending.
	if alerts < final.Alerts || alerts > final.Alerts+final.Pending {
		t.Errorf("the run counts %d alerts raised and %d pending, the store holds %d", final.Alerts, final.Pending, alerts)
	}

	if st != nil {
		st.check(raw)
	}

	// One audit chain, appended to by six processes at once.
	out, err = c.run("", "audit", "verify")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "audit trail intact") {
		t.Errorf("audit verify: %s", out)
	}
	t.Log(strings.TrimSpace(out))

	// A new list version imported once, from the command line, is stored
	// in PostgreSQL, announced on NATS and loaded by every replica.
	imported := time.Now()
	if _, err := c.run("", "lists", "import", "--list", "exited", "--title", "Exited customers",
		filepath.Join(moduleRoot(t), "internal", "cli", "testdata", "custom", "exited-v1.csv")); err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		for {
			var ready struct {
				Lists map[string]int `json:"lists"`
			}
			if _, err := c.call(r, "GET", "/readyz", nil, &ready); err == nil && ready.Lists["exited"] == 1 {
				break
			}
			if time.Since(imported) > 5*time.Minute {
				t.Fatalf("replica %s did not load the new list within 5 minutes", r.name)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	var versions int
	if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM list_versions WHERE list = 'exited'`).Scan(&versions); err != nil {
		t.Fatal(err)
	}
	t.Logf("a list version imported once (%d stored) was loaded by the three replicas within %s", versions, time.Since(imported).Round(time.Millisecond))
	if versions != 1 {
		t.Errorf("%d versions of the new list stored, want 1", versions)
	}
}

// logTails returns the last lines of the replicas' and consumers' logs in
// dir, for a failure message.
func logTails(dir string) string {
	var b strings.Builder
	logs, _ := filepath.Glob(filepath.Join(dir, "*.log"))
	for _, l := range logs {
		data, err := os.ReadFile(l)
		if err != nil {
			continue
		}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		fmt.Fprintf(&b, "== %s\n%s\n", filepath.Base(l), strings.Join(lines[max(0, len(lines)-3):], "\n"))
	}
	return b.String()
}

// deleteStreams deletes the JetStream streams whose names start with
// prefix: the work queues and message stream of a test's cluster, also
// when the test stops half-way.
func deleteStreams(t testing.TB, nurl, prefix string) {
	nc, err := nats.Connect(nurl)
	if err != nil {
		t.Logf("delete the streams %s*: %v", prefix, err)
		return
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Logf("delete the streams %s*: %v", prefix, err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	names := js.StreamNames(ctx)
	var mine []string
	for n := range names.Name() {
		if strings.HasPrefix(n, prefix) {
			mine = append(mine, n)
		}
	}
	for _, n := range mine {
		if err := js.DeleteStream(ctx, n); err != nil {
			t.Logf("delete stream %s: %v", n, err)
		}
	}
}
