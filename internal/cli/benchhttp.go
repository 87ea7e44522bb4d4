package cli

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/interdict/interdict"
	"github.com/spf13/cobra"
)

func init() { benchSubcommands = append(benchSubcommands, (*App).newBenchHTTPCmd) }

// benchQueries is the fixed query file of `interdict bench http`; see
// benchdata/README.md.
//
//go:embed benchdata/http-queries.ndjson
var benchQueries []byte

// benchHTTPOptions are the flags of `bench http`.
type benchHTTPOptions struct {
	URL         string
	TokenFile   string
	Queries     string
	Concurrency []int
	Duration    time.Duration
	Warmup      time.Duration
	JSON        bool
}

func (a *App) newBenchHTTPCmd() *cobra.Command {
	var opts benchHTTPOptions
	cmd := &cobra.Command{
		Use:   "http",
		Short: "Load POST /v1/screen over HTTP and report throughput and p50/p95/p99 latency",
		Long: `bench http sends the queries of a fixed query file to POST /v1/screen, round
robin, from 1 and then 4 concurrent keep-alive clients (--concurrency), and
reports for each level the screens per second and the p50, p95, p99 and
maximum latency.

Without --url it starts the server in this process on a free loopback port,
over the data directory (the client and the server then share the machine's
cores, as a sidecar deployment would). With --url it loads a running server.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runBenchHTTP(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.URL, "url", "", "base URL of a running server (default: start one in this process)")
	f.StringVar(&opts.TokenFile, "token-file", "", "API token file for --url (the first token is used)")
	f.StringVar(&opts.Queries, "queries", "", "NDJSON query file (default: the bundled fixed query file)")
	f.IntSliceVar(&opts.Concurrency, "concurrency", []int{1, 4}, "concurrency levels")
	f.DurationVar(&opts.Duration, "duration", 10*time.Second, "measuring time per level")
	f.DurationVar(&opts.Warmup, "warmup", 2*time.Second, "unmeasured warm-up per level")
	f.BoolVar(&opts.JSON, "json", false, "print the results as JSON")
	return cmd
}

// BenchResult is one concurrency level of `bench http`.
type BenchResult struct {
	Concurrency int     `json:"concurrency"`
	Requests    int     `json:"requests"`
	Errors      int     `json:"errors"`
	Alerts      int     `json:"alerts"`
	Seconds     float64 `json:"seconds"`
	PerSecond   float64 `json:"per_second"`
	P50ms       float64 `json:"p50_ms"`
	P95ms       float64 `json:"p95_ms"`
	P99ms       float64 `json:"p99_ms"`
	Maxms       float64 `json:"max_ms"`
}

func (a *App) runBenchHTTP(ctx context.Context, opts benchHTTPOptions) error {
	data := benchQueries
	if opts.Queries != "" {
		b, err := os.ReadFile(opts.Queries)
		if err != nil {
			return err
		}
		data = b
	}
	bodies, err := benchBodies(data)
	if err != nil {
		return err
	}
	base, token := strings.TrimSuffix(opts.URL, "/"), ""
	if opts.TokenFile != "" {
		s := &Server{App: a, TokenFile: opts.TokenFile}
		toks, err := s.tokens()
		if err != nil {
			return err
		}
		for t := range toks {
			token = t
			break
		}
	}
	if base == "" {
		s := NewServer(a)
		s.Addr = "127.0.0.1:0"
		s.CheckEvery = 0
		s.Logger = slog.New(slog.DiscardHandler)
		if err := s.Open(ctx); err != nil {
			return err
		}
		defer s.Close()
		select {
		case <-s.Ready():
		case <-ctx.Done():
			return ctx.Err()
		}
		base = s.URL()
		snap := s.Service.Current()
		fmt.Fprintf(a.Stderr, "interdict: bench: server in process at %s, %d entities, %d names, GOMAXPROCS %d\n", base, snap.Entities, snap.Names, runtime.GOMAXPROCS(0))
	}
	var results []BenchResult
	for _, c := range opts.Concurrency {
		if c < 1 {
			return usageError("--concurrency must be at least 1")
		}
		if opts.Warmup > 0 {
			if _, err := benchHTTP(ctx, base, token, bodies, c, opts.Warmup); err != nil {
				return err
			}
		}
		r, err := benchHTTP(ctx, base, token, bodies, c, opts.Duration)
		if err != nil {
			return err
		}
		results = append(results, *r)
	}
	if opts.JSON {
		return writeJSON(a.Stdout, map[string]any{"queries": len(bodies), "results": results})
	}
	tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "concurrency\trequests\terrors\tscreens/s\tp50 ms\tp95 ms\tp99 ms\tmax ms\t\n")
	for _, r := range results {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%.0f\t%.3f\t%.3f\t%.3f\t%.3f\t\n", r.Concurrency, r.Requests, r.Errors, r.PerSecond, r.P50ms, r.P95ms, r.P99ms, r.Maxms)
	}
	return tw.Flush()
}

// benchBodies reads an NDJSON query file into request bodies, checking
// that each line is a query.
func benchBodies(data []byte) ([][]byte, error) {
	var out [][]byte
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var q interdict.Query
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&q); err != nil {
			return nil, fmt.Errorf("query file line %d: %w", n, err)
		}
		out = append(out, bytes.Clone(line))
	}
	if len(out) == 0 {
		return nil, errors.New("the query file holds no query")
	}
	return out, sc.Err()
}

// benchHTTP runs c clients for d and measures every request.
func benchHTTP(ctx context.Context, base, token string, bodies [][]byte, c int, d time.Duration) (*BenchResult, error) {
	tr := &http.Transport{MaxIdleConns: c * 2, MaxIdleConnsPerHost: c * 2, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	type worker struct {
		lat           []time.Duration
		errors, alert int
		firstErr      error
	}
	workers := make([]worker, c)
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func(w *worker, offset int) {
			defer wg.Done()
			w.lat = make([]time.Duration, 0, 1<<16)
			alert := []byte(`"alert":true`)
			for i := offset; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				body := bodies[i%len(bodies)]
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/screen", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					w.errors++
					if w.firstErr == nil {
						w.firstErr = err
					}
					continue
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				w.lat = append(w.lat, time.Since(t0))
				if err != nil || resp.StatusCode != http.StatusOK {
					w.errors++
					if w.firstErr == nil {
						w.firstErr = fmt.Errorf("status %d: %s", resp.StatusCode, b)
					}
					continue
				}
				if bytes.Contains(b, alert) {
					w.alert++
				}
			}
		}(&workers[w], w*len(bodies)/c)
	}
	wg.Wait()
	elapsed := time.Since(start)
	r := &BenchResult{Concurrency: c, Seconds: elapsed.Seconds()}
	var all []time.Duration
	var firstErr error
	for _, w := range workers {
		all = append(all, w.lat...)
		r.Errors += w.errors
		r.Alerts += w.alert
		if firstErr == nil {
			firstErr = w.firstErr
		}
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("no request succeeded: %v", firstErr)
	}
	slices.Sort(all)
	pct := func(p float64) float64 {
		i := int(float64(len(all)-1) * p)
		return float64(all[i].Microseconds()) / 1000
	}
	r.Requests = len(all)
	r.PerSecond = float64(len(all)-r.Errors) / elapsed.Seconds()
	r.P50ms, r.P95ms, r.P99ms, r.Maxms = pct(0.50), pct(0.95), pct(0.99), pct(1)
	if r.Errors > 0 {
		return r, fmt.Errorf("%d of %d requests failed at concurrency %d; first: %v", r.Errors, r.Requests, c, firstErr)
	}
	return r, nil
}
