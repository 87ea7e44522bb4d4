package cli

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/eval"
	"github.com/interdict/interdict/screen"
	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, (*App).newBenchCmd) }

// benchSubcommands are added under `bench` by other files (bench http).
var benchSubcommands []func(*App) *cobra.Command

type benchOptions struct {
	Entities    int
	FTM         string
	Duration    time.Duration
	Concurrency []int
	Policy      policyFlags
}

func (a *App) newBenchCmd() *cobra.Command {
	var opts benchOptions
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure screening speed in-process against the bundled lists",
		Long: `Bench builds the index over the bundled snapshot of the public lists (reporting
the build time and the memory per entity), then screens the names of the
evaluation sets for --duration at each --concurrency, and reports screens per
second and latency percentiles. Run it on an otherwise idle machine.

With --entities N it indexes N synthetic entities instead, whose names are
drawn from the real name tokens of the bundled lists as often as they occur
there (persons and organizations, with reordered, shortened and weak
aliases), and screens their names with one letter changed alongside the
names of the evaluation sets: the figures to size a machine for N entities.
It reports the build time, the resident memory after the build (VmRSS) and
its peak (VmHWM), the index's heap bytes per entity, and per concurrency the
screens per second and the latency percentiles.

With --ftm FILE it indexes the parties of a FollowTheMoney JSON-lines file
(OpenSanctions' nested export, plain or .gz), streamed line by line with a
progress bar, and screens their names with one letter changed: the figures
for one's own data.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runBench(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.Entities, "entities", 0, "index this many synthetic entities instead of the bundled lists")
	f.StringVar(&opts.FTM, "ftm", "", "index the parties of this FollowTheMoney JSON-lines file (nested export; .gz read) instead of the bundled lists")
	f.DurationVar(&opts.Duration, "duration", 5*time.Second, "how long to screen at each concurrency")
	f.IntSliceVar(&opts.Concurrency, "concurrency", []int{1, runtime.GOMAXPROCS(0)}, "numbers of concurrent screens")
	opts.Policy.register(f)
	for _, sub := range benchSubcommands {
		cmd.AddCommand(sub(a))
	}
	return cmd
}

func (a *App) runBench(ctx context.Context, opts benchOptions) error {
	p, err := a.policy(opts.Policy)
	if err != nil {
		return err
	}
	if opts.Entities < 0 {
		return usageError("--entities must be 0 (the bundled lists) or more")
	}
	if opts.Entities > 0 && opts.FTM != "" {
		return usageError("--entities and --ftm exclude each other")
	}
	var ents []interdict.Entity
	if opts.FTM != "" {
		ents, err = a.benchFTM(opts.FTM)
	} else {
		ents, err = bundledEntities()
	}
	if err != nil {
		return err
	}
	var synth []string
	if opts.Entities > 0 {
		ents = syntheticEntities(ents, opts.Entities)
	}
	if opts.Entities > 0 || opts.FTM != "" {
		// The names of a thousand entities, evenly spread, with one letter
		// changed.
		for i := 0; i < len(ents); i += 1 + len(ents)/1000 {
			if len(ents[i].Names) == 0 {
				continue
			}
			nm := []byte(ents[i].Names[0].Full)
			if k := len(nm) / 2; nm[k] >= 'a' && nm[k] <= 'z' {
				nm[k] = 'a' + (nm[k]-'a'+1)%26
			}
			synth = append(synth, string(nm))
		}
	}
	s, err := screen.NewService(screen.ServiceConfig{Policy: p})
	if err != nil {
		return err
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	ix, err := s.Load(ents, nil)
	if err != nil {
		return err
	}
	build := time.Since(start)
	// The build's garbage returned, as a server does after a load.
	debug.FreeOSMemory()
	runtime.ReadMemStats(&after)
	rss, hwm := procStatus()
	// The mix: every listed name and variant of the evaluation sets, and
	// as many non-listed names (the sets hold 4,000 per script per split,
	// far more than the listed ones), drawn the same way in every run.
	var listed, other []interdict.Query
	for _, split := range []string{"dev", "test"} {
		cases, err := eval.Cases(split)
		if err != nil {
			return err
		}
		for _, c := range cases {
			switch {
			case c.Type != eval.TypeSearch:
			case c.Variation == "negative":
				other = append(other, c.Query)
			default:
				listed = append(listed, c.Query)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(other), func(i, j int) { other[i], other[j] = other[j], other[i] })
	queries := append(listed, other[:min(len(other), len(listed))]...)
	if len(synth) > 0 {
		// As many names of the synthetic entities as of the evaluation
		// sets.
		queries = queries[:min(len(queries), len(synth))]
		for _, n := range synth {
			queries = append(queries, interdict.Query{Name: n})
		}
	}
	if len(queries) == 0 {
		return fmt.Errorf("bench: no queries in the evaluation sets")
	}
	// A fixed shuffle mixes listed and non-listed names the same way in
	// every run.
	rng.Shuffle(len(queries), func(i, j int) { queries[i], queries[j] = queries[j], queries[i] })
	index := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	fmt.Fprintf(a.Stdout, "index: %d entities, %d name forms, built in %s; index memory %.1f MiB (%.0f bytes per entity, excluding the entities)\n",
		ix.Entities, ix.Names, build.Round(time.Millisecond), float64(index)/(1<<20), float64(index)/float64(ix.Entities))
	fmt.Fprintf(a.Stdout, "memory: resident %.0f MiB after the build (VmRSS), peak %.0f MiB (VmHWM); Go heap %.0f MiB live, %.0f bytes per entity with the entities\n",
		float64(rss)/(1<<20), float64(hwm)/(1<<20), float64(after.HeapAlloc)/(1<<20), float64(after.HeapAlloc)/float64(max(ix.Entities, 1)))
	if len(synth) > 0 {
		fmt.Fprintf(a.Stdout, "queries: %d names (%d of the evaluation sets, %d of indexed entities with one letter changed); GOMAXPROCS %d; policy %s\n",
			len(queries), len(queries)-len(synth), len(synth), runtime.GOMAXPROCS(0), p.Hash()[:12])
	} else {
		fmt.Fprintf(a.Stdout, "queries: %d names from the evaluation sets (%d listed names and variants, %d not listed); GOMAXPROCS %d; policy %s\n",
			len(queries), len(listed), len(queries)-len(listed), runtime.GOMAXPROCS(0), p.Hash()[:12])
	}
	for _, c := range opts.Concurrency {
		if c < 1 {
			return usageError("--concurrency must be at least 1")
		}
		cpu0 := cpuTime()
		n, lat, alerts := benchRun(ctx, s, queries, c, opts.Duration)
		cpu := cpuTime() - cpu0
		perCPU := ""
		if cpu > 0 {
			// Screens per second of processor time: the figure that holds on
			// a busy machine, where the wall clock's does not.
			perCPU = fmt.Sprintf(" (%.0f per CPU-second, %.1f CPU-s used)", float64(n)/cpu.Seconds(), cpu.Seconds())
		}
		fmt.Fprintf(a.Stdout, "concurrency %d: %d screens in %s: %.0f screens/s%s; latency p50 %s p95 %s p99 %s; %.1f%% alerted\n",
			c, n, opts.Duration, float64(n)/opts.Duration.Seconds(), perCPU, pct(lat, 0.50), pct(lat, 0.95), pct(lat, 0.99), 100*float64(alerts)/float64(max(n, 1)))
	}
	rss, hwm = procStatus()
	fmt.Fprintf(a.Stdout, "memory after screening: resident %.0f MiB (VmRSS), peak %.0f MiB (VmHWM)\n", float64(rss)/(1<<20), float64(hwm)/(1<<20))
	return nil
}

// benchRun screens queries round-robin from c goroutines for d and returns
// the number of screens, their sorted latencies and the number that alerted.
func benchRun(ctx context.Context, s *screen.Service, queries []interdict.Query, c int, d time.Duration) (int, []time.Duration, int) {
	var next, alerts atomic.Int64
	next.Store(-1)
	lats := make([][]time.Duration, c)
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) && ctx.Err() == nil {
				q := queries[int(next.Add(1))%len(queries)]
				t := time.Now()
				res, err := s.Screen(ctx, q)
				lats[w] = append(lats[w], time.Since(t))
				if err == nil && res.Alert {
					alerts.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	var all []time.Duration
	for _, l := range lats {
		all = append(all, l...)
	}
	slices.Sort(all)
	return len(all), all, int(alerts.Load())
}

func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return sorted[i].Round(time.Microsecond)
}
