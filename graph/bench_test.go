package graph

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/evalgen"
)

// synthetic builds an ownership graph of n companies and n/1000 blocked
// persons (SDN entities) directly: each company has one to three owners
// among the blocked persons and the companies created before it, with a
// share that is exact or a range, and one company in 50 also holds a stake
// in a later company, which makes cycles.
func synthetic(n int, seed uint64) *Graph {
	r := rand.New(rand.NewPCG(seed, 7))
	seeds := max(n/1000, 1)
	g := &Graph{opt: Options{MaxShared: 50}, index: map[string]int32{}}
	g.nodes = make([]Node, 0, seeds+n)
	for i := 0; i < seeds; i++ {
		g.nodes = append(g.nodes, Node{ID: "ofac-sdn:" + strconv.Itoa(i), Type: NodeEntity, List: interdict.ListOFACSDN, Kind: interdict.KindPerson})
	}
	for i := 0; i < n; i++ {
		g.nodes = append(g.nodes, Node{ID: "own:C" + strconv.Itoa(i), Type: NodeRecords, Kind: interdict.KindOrganization})
	}
	g.edges = make([]Edge, 0, n*2)
	share := func() (lo, hi float64, known bool) {
		switch k := r.IntN(20); {
		case k == 0:
			return 0, 1, false
		case k < 4:
			lo = float64(r.IntN(60)) / 100
			return lo, lo + 0.25, true
		default:
			lo = float64(r.IntN(1000)) / 1000
			return lo, lo, true
		}
	}
	for i := 0; i < n; i++ {
		c := int32(seeds + i)
		owners := 1 + r.IntN(3)
		for j := 0; j < owners; j++ {
			var o int32
			if i == 0 || r.IntN(10) == 0 {
				o = int32(r.IntN(seeds))
			} else {
				o = int32(seeds + r.IntN(i))
			}
			lo, hi, known := share()
			g.edges = append(g.edges, Edge{From: o, To: c, Type: EdgeOwns, Min: lo / float64(owners), Max: min(hi/float64(owners), 1), Known: known})
		}
		if i > 0 && r.IntN(50) == 0 {
			back := int32(seeds + r.IntN(i))
			g.edges = append(g.edges, Edge{From: c, To: back, Type: EdgeOwns, Min: 0.2, Max: 0.2, Known: true})
		}
	}
	g.adj = make([][]int32, len(g.nodes))
	g.nattr = make([][]int32, len(g.nodes))
	return g
}

// TestSyntheticAgainstNaive checks the worklist aggregation against the
// rule applied naively (every company, again and again, until nothing
// changes) on a synthetic graph with cycles and ranges.
func TestSyntheticAgainstNaive(t *testing.T) {
	g := synthetic(3000, 1)
	o := g.ownershipState()
	s := o.reg[0]
	for pass, upper := range []bool{false, true} {
		blocked := make([]bool, len(g.nodes))
		for i := range g.nodes {
			blocked[i] = g.nodes[i].Type == NodeEntity
		}
		for changed := true; changed; {
			changed = false
			sum := make([]float64, len(g.nodes))
			for _, e := range g.edges {
				if blocked[e.From] {
					if upper {
						sum[e.To] += e.Max
					} else {
						sum[e.To] += e.Min
					}
				}
			}
			for i := range g.nodes {
				if !blocked[i] && sum[i] >= 0.5-eps {
					blocked[i], changed = true, true
				}
			}
		}
		want := s.lo
		if pass == 1 {
			want = s.hi
		}
		n := 0
		for i := range g.nodes {
			if blocked[i] != want[i] {
				t.Errorf("upper=%v: %s blocked %v by the naive rule, %v by the worklist", upper, g.nodes[i].ID, blocked[i], want[i])
			}
			if blocked[i] {
				n++
			}
		}
		if n <= len(g.nodes)/1000+10 || n == len(g.nodes) {
			t.Errorf("upper=%v: %d of %d nodes blocked: the synthetic graph tests nothing", upper, n, len(g.nodes))
		}
	}
}

// BenchmarkOwnership1M runs the 50 percent rule and the EU and UK tests,
// with look-through figures on both bounds, over a synthetic graph of
// 1,000,000 companies (about 2,000,000 holdings, cycles and ranges).
func BenchmarkOwnership1M(b *testing.B) {
	g := synthetic(1_000_000, 2)
	b.ResetTimer()
	for b.Loop() {
		o := g.computeOwnership(Regimes)
		if o.reg[0].seed[0] != true {
			b.Fatal("seed not blocked")
		}
	}
	b.StopTimer()
	o := g.computeOwnership(Regimes)
	var blocked, possibly int
	for i := range g.nodes {
		if o.reg[0].seed[i] {
			continue
		}
		if o.reg[0].lo[i] {
			blocked++
		} else if o.reg[0].hi[i] {
			possibly++
		}
	}
	b.ReportMetric(float64(blocked), "blocked")
	b.ReportMetric(float64(possibly), "possibly")
	b.ReportMetric(float64(len(g.edges)), "holdings")
}

// BenchmarkPathsAllLists measures path queries (3 hops, the default) from
// every 5th entity of the graph of all the bundled lists, and reports the
// 50th and 99th percentiles of one query.
func BenchmarkPathsAllLists(b *testing.B) {
	ents := allLists(b)
	start := time.Now()
	g := Build(Input{Entities: ents}, Options{})
	build := time.Since(start)
	var ds []time.Duration
	b.ResetTimer()
	for b.Loop() {
		ds = ds[:0]
		for i := 0; i < len(ents); i += 5 {
			t0 := time.Now()
			if _, err := g.Paths(ents[i].ID, PathOptions{}); err != nil {
				b.Fatal(err)
			}
			ds = append(ds, time.Since(t0))
		}
	}
	b.StopTimer()
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(ds[len(ds)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(ds[len(ds)-1].Microseconds()), "max-µs")
	b.ReportMetric(float64(len(ds)), "queries/op")
	b.ReportMetric(float64(build.Milliseconds()), "build-ms")
	b.ReportMetric(float64(len(ents)), "entities")
}

// allLists reads every list of the shared list data, or skips.
func allLists(tb testing.TB) []interdict.Entity {
	tb.Helper()
	ents, _, err := evalgen.LoadLists("../../shared/data/lists")
	if err != nil {
		tb.Skip("the shared list data is not beside the checkout:", err)
	}
	return ents
}
