package clustertest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkClusterScreen loads POST /v1/screen (the fixed query file of
// `interdict bench http`) from 8 keep-alive clients, round robin over one
// replica and then over three, and reports per level the screens per
// second, the p50 and p99 latency and the CPU time the replicas spent
// per screen (their user and system time, from /proc), which gives the
// screens per second one core sustains. Run it with a fixed count:
//
//	go test ./internal/clustertest -run - -bench ClusterScreen -benchtime 4000x
//
// The replicas of both levels run on the same machine: on fewer cores than
// replicas, three replicas share those cores, and the scaling measured is
// the machine's, not the cluster's (see docs/deploy.md).
func BenchmarkClusterScreen(b *testing.B) {
	c := newClusterB(b)
	rs := []*replica{c.replica("b1"), c.replica("b2"), c.replica("b3")}
	for _, r := range rs {
		c.start(r)
	}
	for _, r := range rs {
		c.waitReady(r, 5*time.Minute)
	}
	queries := benchQueries(b)
	for _, n := range []int{1, 3} {
		b.Run(fmt.Sprintf("replicas=%d", n), func(b *testing.B) {
			targets := rs[:n]
			// Warm up each replica (first requests build caches).
			for _, r := range targets {
				for i := 0; i < 20; i++ {
					if _, err := screenOnce(http.DefaultClient, r.addr, queries[i%len(queries)]); err != nil {
						b.Fatal(err)
					}
				}
			}
			cpu0 := cpuSeconds(b, targets)
			const clients = 8
			var next atomic.Int64
			lat := make([][]time.Duration, clients)
			var failed atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for w := 0; w < clients; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					cl := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}, Timeout: 30 * time.Second}
					for {
						i := int(next.Add(1) - 1)
						if i >= b.N {
							return
						}
						r := targets[i%len(targets)]
						d, err := screenOnce(cl, r.addr, queries[i%len(queries)])
						if err != nil {
							failed.Add(1)
							continue
						}
						lat[w] = append(lat[w], d)
					}
				}()
			}
			wg.Wait()
			wall := time.Since(start)
			b.StopTimer()
			cpu := cpuSeconds(b, targets) - cpu0
			var all []time.Duration
			for _, l := range lat {
				all = append(all, l...)
			}
			slices.Sort(all)
			if f := failed.Load(); f > 0 {
				b.Errorf("%d of %d requests failed", f, b.N)
			}
			if len(all) == 0 {
				return
			}
			pct := func(p float64) float64 {
				return float64(all[min(len(all)-1, int(p*float64(len(all))))].Microseconds()) / 1000
			}
			b.ReportMetric(float64(len(all))/wall.Seconds(), "screens/s")
			b.ReportMetric(pct(0.50), "p50_ms")
			b.ReportMetric(pct(0.99), "p99_ms")
			b.ReportMetric(cpu*1000/float64(len(all)), "cpu_ms/screen")
			b.ReportMetric(float64(len(all))/cpu, "screens/cpu_s")
		})
	}
}

// newClusterB is newCluster for a benchmark: the same schema, prefix and
// binary, with no user (screening on loopback needs none).
func newClusterB(b *testing.B) *cluster {
	base, nurl := os.Getenv("INTERDICT_TEST_POSTGRES_DSN"), os.Getenv("INTERDICT_TEST_NATS_URL")
	if base == "" || nurl == "" {
		b.Skip("INTERDICT_TEST_POSTGRES_DSN and INTERDICT_TEST_NATS_URL are not both set; skipping the cluster benchmark")
	}
	return setup(b, base, nurl)
}

func screenOnce(cl *http.Client, addr string, q []byte) (time.Duration, error) {
	start := time.Now()
	resp, err := cl.Post("http://"+addr+"/v1/screen", "application/json", bytes.NewReader(q))
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return 0, fmt.Errorf("POST /v1/screen on %s: %d", addr, resp.StatusCode)
	}
	return time.Since(start), nil
}

func benchQueries(b *testing.B) [][]byte {
	f, err := os.Open(filepath.Join(moduleRoot(b), "internal", "cli", "benchdata", "http-queries.ndjson"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var out [][]byte
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := bytes.TrimSpace(sc.Bytes()); len(l) > 0 {
			out = append(out, slices.Clone(l))
		}
	}
	return out
}

// cpuSeconds returns the user and system time of the replicas' processes.
func cpuSeconds(b *testing.B, rs []*replica) float64 {
	var total float64
	for _, r := range rs {
		total += procCPU(r)
	}
	return total
}
