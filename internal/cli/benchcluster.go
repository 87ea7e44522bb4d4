package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/interdict/interdict/natsbus"
	"github.com/spf13/cobra"
)

func init() { benchSubcommands = append(benchSubcommands, (*App).newBenchClusterCmd) }

// benchClusterOptions are the flags of `bench cluster`.
type benchClusterOptions struct {
	Database    string
	NATS        string
	Replicas    []int
	Pin         bool
	Concurrency int
	Duration    time.Duration
	Warmup      time.Duration
	JSON        bool
}

func (a *App) newBenchClusterCmd() *cobra.Command {
	var opts benchClusterOptions
	cmd := &cobra.Command{
		Use:   "cluster --database URL --nats URL",
		Short: "Start replicas on PostgreSQL and NATS, load them, and report the scaling from one replica to several",
		Long: `bench cluster measures how screening scales with replicas. In a schema of its
own in the PostgreSQL database (dropped at the end), with NATS subjects of its
own, it starts 'interdict serve' replicas as child processes on loopback
(the first imports the bundled lists, every one builds its index), then for
each count of --replicas loads POST /v1/screen with the fixed query file of
'bench http' from --concurrency keep-alive clients, round robin over that
many replicas, and reports the screens per second, the p50 and p99 latency,
the CPU time the replicas spent (user and system, from /proc) and the
screens per CPU-second.

With --pin it measures per-core scaling as well: it starts replicas pinned
with taskset, the first to CPU 0, the second to CPU 1 and so on (as many as
the machine has CPUs, up to the largest --replicas), and loads 1, 2, ...
of them. The load clients run unpinned beside them; their CPU time is
reported too.

Replicas on one machine share its cores: the unpinned figures show the
machine's scaling, the pinned ones the scaling per core, and the screens
per CPU-second is the capacity unit of docs/deploy.md. Run it on an
otherwise idle machine.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Database == "" {
				opts.Database = a.Getenv("INTERDICT_DATABASE")
			}
			if opts.NATS == "" {
				opts.NATS = a.Getenv("INTERDICT_NATS")
			}
			return a.runBenchCluster(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Database, "database", "", "PostgreSQL URL (default $INTERDICT_DATABASE); a schema of the benchmark's own is created in it and dropped")
	f.StringVar(&opts.NATS, "nats", "", "NATS server URL (default $INTERDICT_NATS)")
	f.IntSliceVar(&opts.Replicas, "replicas", []int{1, 2, 3}, "numbers of replicas to load")
	f.BoolVar(&opts.Pin, "pin", false, "also measure replicas pinned one per CPU with taskset")
	f.IntVar(&opts.Concurrency, "concurrency", 8, "concurrent keep-alive clients")
	f.DurationVar(&opts.Duration, "duration", 15*time.Second, "measuring time per level")
	f.DurationVar(&opts.Warmup, "warmup", 3*time.Second, "unmeasured warm-up per level")
	f.BoolVar(&opts.JSON, "json", false, "print the results as JSON")
	return cmd
}

// ClusterBenchResult is one level of `bench cluster`.
type ClusterBenchResult struct {
	// Replicas is the number of replicas loaded; Pinned says whether each
	// ran on a CPU of its own (CPUs lists them).
	Replicas int    `json:"replicas"`
	Pinned   bool   `json:"pinned"`
	CPUs     string `json:"cpus,omitempty"`
	Requests int    `json:"requests"`
	Errors   int    `json:"errors"`
	// PerSecond is the successful screens per wall-clock second.
	PerSecond float64 `json:"per_second"`
	P50ms     float64 `json:"p50_ms"`
	P99ms     float64 `json:"p99_ms"`
	// ReplicaCPU is the CPU time (user and system) the loaded replicas
	// spent, ClientCPU that of the load clients (this process), both in
	// seconds; PerCPUSecond is the screens per replica CPU-second.
	ReplicaCPU   float64 `json:"replica_cpu_s"`
	ClientCPU    float64 `json:"client_cpu_s"`
	PerCPUSecond float64 `json:"per_cpu_second"`
}

// benchReplica is one `interdict serve` child process of bench cluster.
type benchReplica struct {
	name string
	addr string
	cmd  *exec.Cmd
	log  *os.File
}

func (r *benchReplica) stop() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = r.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = r.cmd.Process.Kill()
		<-done
	}
	r.log.Close()
}

// cpu returns the user and system seconds of the replica's process, from
// /proc (0 where there is none).
func (r *benchReplica) cpu() float64 {
	return procCPUSeconds(r.cmd.Process.Pid)
}

// procCPUSeconds reads utime and stime of a process from /proc/PID/stat.
func procCPUSeconds(pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	fields := strings.Fields(s[i+1:])
	if len(fields) < 13 {
		return 0
	}
	var total float64
	for _, f := range fields[11:13] { // utime, stime in clock ticks
		v, _ := strconv.ParseFloat(f, 64)
		total += v / 100 // USER_HZ is 100 on Linux
	}
	return total
}

func (a *App) runBenchCluster(ctx context.Context, opts benchClusterOptions) error {
	if !isPostgresURL(opts.Database) {
		return usageError("bench cluster needs --database postgres://... (or $INTERDICT_DATABASE)")
	}
	if opts.NATS == "" {
		return usageError("bench cluster needs --nats nats://... (or $INTERDICT_NATS)")
	}
	if opts.Concurrency < 1 {
		return usageError("--concurrency must be at least 1")
	}
	most := 0
	for _, n := range opts.Replicas {
		if n < 1 || n > 16 {
			return usageError("--replicas must be between 1 and 16, not %d", n)
		}
		most = max(most, n)
	}
	taskset := ""
	if opts.Pin {
		var err error
		if taskset, err = exec.LookPath("taskset"); err != nil {
			return usageError("--pin needs taskset (util-linux) on the PATH")
		}
	}
	bodies, err := benchBodies(benchQueries)
	if err != nil {
		return err
	}
	bin, err := os.Executable()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "interdict-bench-cluster-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	// A schema and NATS prefix of the benchmark's own.
	tag := fmt.Sprintf("%d_%d", os.Getpid(), time.Now().Unix()%1e6)
	schema := "interdict_bench_" + tag
	admin, err := sql.Open("pgx", opts.Database)
	if err != nil {
		return err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return fmt.Errorf("create schema %s: %w", schema, err)
	}
	defer func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			fmt.Fprintf(a.Stderr, "interdict: bench: drop schema %s: %v\n", schema, err)
		}
	}()
	u, err := url.Parse(opts.Database)
	if err != nil {
		return err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	dsn := u.String()
	prefix := "bench_" + tag
	defer func() {
		// The replicas' work queue goes with the schema.
		bus, err := natsbus.Connect(opts.NATS, natsbus.Options{Prefix: prefix, Name: "interdict bench cluster"})
		if err != nil {
			fmt.Fprintf(a.Stderr, "interdict: bench: delete the work queue: %v\n", err)
			return
		}
		defer bus.Close()
		if err := bus.DeleteQueue(context.Background(), rescreenQueue); err != nil {
			fmt.Fprintf(a.Stderr, "interdict: bench: delete the work queue: %v\n", err)
		}
	}()

	var started []*benchReplica
	defer func() {
		for _, r := range started {
			r.stop()
		}
	}()
	start := func(name, cpus string) (*benchReplica, error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		addr := ln.Addr().String()
		ln.Close()
		f, err := os.Create(filepath.Join(dir, name+".log"))
		if err != nil {
			return nil, err
		}
		args := []string{"serve", "--addr", addr}
		cmd := exec.Command(bin, args...)
		if cpus != "" {
			cmd = exec.Command(taskset, append([]string{"-c", cpus, bin}, args...)...)
		}
		cmd.Env = append(os.Environ(), "INTERDICT_HOME="+filepath.Join(dir, name), "INTERDICT_DATABASE="+dsn, "INTERDICT_NATS="+opts.NATS,
			"INTERDICT_NATS_PREFIX="+prefix, "INTERDICT_REPLICA="+name)
		cmd.Stdout, cmd.Stderr = f, f
		if err := cmd.Start(); err != nil {
			f.Close()
			return nil, fmt.Errorf("start replica %s: %w", name, err)
		}
		r := &benchReplica{name: name, addr: addr, cmd: cmd, log: f}
		started = append(started, r)
		return r, nil
	}
	ready := func(rs []*benchReplica) error {
		t0 := time.Now()
		for _, r := range rs {
			for {
				resp, err := http.Get("http://" + r.addr + "/readyz")
				if err == nil {
					resp.Body.Close()
					if resp.StatusCode == http.StatusOK {
						break
					}
				}
				if r.cmd.ProcessState != nil || time.Since(t0) > 15*time.Minute {
					b, _ := os.ReadFile(r.log.Name())
					return fmt.Errorf("replica %s not ready; its log ends:\n%s", r.name, tailString(string(b), 2000))
				}
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(500 * time.Millisecond):
				}
			}
		}
		fmt.Fprintf(a.Stderr, "interdict: bench: %d replicas ready in %s\n", len(rs), time.Since(t0).Round(time.Second))
		return nil
	}

	var results []ClusterBenchResult
	measure := func(rs []*benchReplica, pinned bool, cpus string) error {
		if opts.Warmup > 0 {
			if _, err := loadReplicas(ctx, rs, bodies, opts.Concurrency, opts.Warmup); err != nil {
				return err
			}
		}
		cpu0 := 0.0
		for _, r := range rs {
			cpu0 += r.cpu()
		}
		self0 := procCPUSeconds(os.Getpid())
		res, err := loadReplicas(ctx, rs, bodies, opts.Concurrency, opts.Duration)
		if err != nil {
			return err
		}
		cpu := -cpu0
		for _, r := range rs {
			cpu += r.cpu()
		}
		res.Replicas, res.Pinned, res.CPUs = len(rs), pinned, cpus
		res.ReplicaCPU, res.ClientCPU = cpu, procCPUSeconds(os.Getpid())-self0
		if cpu > 0 {
			res.PerCPUSecond = float64(res.Requests-res.Errors) / cpu
		}
		results = append(results, *res)
		fmt.Fprintf(a.Stderr, "interdict: bench: %d replicas (pinned %v): %.0f screens/s, p50 %.1f ms, p99 %.1f ms, %.0f screens per CPU-second\n",
			res.Replicas, pinned, res.PerSecond, res.P50ms, res.P99ms, res.PerCPUSecond)
		return nil
	}

	var rs []*benchReplica
	for i := 1; i <= most; i++ {
		r, err := start(fmt.Sprintf("b%d", i), "")
		if err != nil {
			return err
		}
		rs = append(rs, r)
	}
	if err := ready(rs); err != nil {
		return err
	}
	for _, n := range opts.Replicas {
		if err := measure(rs[:n], false, ""); err != nil {
			return err
		}
	}
	if opts.Pin {
		// The unpinned replicas stop, so that the pinned ones have the
		// cores to themselves.
		for _, r := range rs {
			r.stop()
		}
		started = nil
		cpus := min(most, runtime.NumCPU())
		var ps []*benchReplica
		for i := 0; i < cpus; i++ {
			r, err := start(fmt.Sprintf("p%d", i), strconv.Itoa(i))
			if err != nil {
				return err
			}
			ps = append(ps, r)
		}
		if err := ready(ps); err != nil {
			return err
		}
		for n := 1; n <= cpus; n++ {
			list := make([]string, n)
			for i := range list {
				list[i] = strconv.Itoa(i)
			}
			if err := measure(ps[:n], true, strings.Join(list, ",")); err != nil {
				return err
			}
		}
	}

	if opts.JSON {
		return writeJSON(a.Stdout, map[string]any{"queries": len(bodies), "concurrency": opts.Concurrency, "cpus": runtime.NumCPU(), "results": results})
	}
	tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "replicas\tpinned to CPUs\trequests\terrors\tscreens/s\tp50 ms\tp99 ms\treplica CPU s\tclient CPU s\tscreens/CPU-s\tscaling\t\n")
	var base, pinBase float64
	for _, r := range results {
		ref := &base
		pin := "-"
		if r.Pinned {
			ref, pin = &pinBase, r.CPUs
		}
		if *ref == 0 {
			*ref = r.PerSecond
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.1f\t%.1f\t%.0f\t%.2f\t\n", r.Replicas, pin, r.Requests, r.Errors, r.PerSecond, r.P50ms, r.P99ms,
			r.ReplicaCPU, r.ClientCPU, r.PerCPUSecond, r.PerSecond/(*ref))
	}
	return tw.Flush()
}

// loadReplicas sends POST /v1/screen from c keep-alive clients for d,
// round robin over the replicas, and measures every request.
func loadReplicas(ctx context.Context, rs []*benchReplica, bodies [][]byte, c int, d time.Duration) (*ClusterBenchResult, error) {
	tr := &http.Transport{MaxIdleConns: c * 2 * len(rs), MaxIdleConnsPerHost: c * 2, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	lat := make([][]time.Duration, c)
	errs := make([]int, c)
	var firstErr error
	var mu sync.Mutex
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; time.Now().Before(deadline) && ctx.Err() == nil; i += c {
				r := rs[i%len(rs)]
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+r.addr+"/v1/screen", bytes.NewReader(bodies[i%len(bodies)]))
				req.Header.Set("Content-Type", "application/json")
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("POST /v1/screen on replica %s: status %d", r.name, resp.StatusCode)
					}
				}
				if err != nil {
					errs[w]++
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				lat[w] = append(lat[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	res := &ClusterBenchResult{}
	for w := range lat {
		all = append(all, lat[w]...)
		res.Errors += errs[w]
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("no request succeeded: %v", firstErr)
	}
	slices.Sort(all)
	pct := func(p float64) float64 { return float64(all[int(float64(len(all)-1)*p)].Microseconds()) / 1000 }
	res.Requests = len(all) + res.Errors
	res.PerSecond = float64(len(all)) / elapsed.Seconds()
	res.P50ms, res.P99ms = pct(0.50), pct(0.99)
	if res.Errors > 0 {
		return res, fmt.Errorf("%d of %d requests failed; first: %v", res.Errors, res.Requests, firstErr)
	}
	return res, nil
}

// tailString returns the last n bytes of s.
func tailString(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
