package match_test

import (
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/match"
)

// syntheticEntities builds n entities whose names are drawn from the real
// name tokens of the bundled lists, in proportion to how often each token
// occurs there (so common tokens stay common): persons of two to four
// tokens, organizations of two to four tokens plus a legal form, each with
// one to three names (a reordered or shortened alias). The same n gives the
// same entities.
func syntheticEntities(b *testing.B, n int) []interdict.Entity {
	b.Helper()
	var person, org []string
	legal := []string{"llc", "ltd", "co", "gmbh", "sa", "jsc", "fze", "corp"}
	for _, e := range bundled(b) {
		for _, nm := range e.Names {
			if nm.Script != "Latn" && nm.Script != "" {
				continue
			}
			for _, t := range strings.Fields(strings.ToLower(nm.Full)) {
				t = strings.Trim(t, ",.()\"'-")
				if len(t) < 2 {
					continue
				}
				if e.Kind == interdict.KindPerson {
					person = append(person, t)
				} else {
					org = append(org, t)
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(toks []string, k int) []string {
		out := make([]string, k)
		for i := range out {
			out[i] = toks[rng.IntN(len(toks))]
		}
		return out
	}
	ents := make([]interdict.Entity, n)
	for i := range ents {
		e := &ents[i]
		e.ID = "syn:" + strconv.Itoa(i)
		e.List = "syn"
		var toks []string
		if rng.IntN(10) < 7 {
			e.Kind = interdict.KindPerson
			toks = pick(person, 2+rng.IntN(3))
		} else {
			e.Kind = interdict.KindOrganization
			toks = append(pick(org, 2+rng.IntN(3)), legal[rng.IntN(len(legal))])
		}
		e.Names = append(e.Names, interdict.Name{Full: strings.Join(toks, " "), Quality: interdict.NamePrimary, Script: "Latn"})
		switch rng.IntN(3) {
		case 1: // reordered
			r := slicesRotate(toks)
			e.Names = append(e.Names, interdict.Name{Full: strings.Join(r, " "), Quality: interdict.NameStrong, Script: "Latn"})
		case 2: // without its second token, plus a weak alias
			short := append(append([]string{}, toks[:1]...), toks[2:]...)
			e.Names = append(e.Names, interdict.Name{Full: strings.Join(short, " "), Quality: interdict.NameStrong, Script: "Latn"},
				interdict.Name{Full: toks[len(toks)-1], Quality: interdict.NameWeak, Script: "Latn"})
		}
	}
	return ents
}

func slicesRotate(t []string) []string {
	return append(append([]string{}, t[1:]...), t[0])
}

// rssMB reads the resident set size from /proc (Linux); 0 elsewhere.
func rssMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkSearch1M screens single names against a synthetic index of
// 1,000,000 entities built from real name tokens (see syntheticEntities),
// in parallel (run with -cpu 2 for the 2-core figure). It reports the heap
// per entity (entities and index) and the resident set size. Building the
// entities and the index takes about a minute on 2 cores; run it alone:
// go test -run '^$' -bench Search1M -benchtime 10000x -cpu 2 ./match
func BenchmarkSearch1M(b *testing.B) {
	large.Do(func() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		ents := syntheticEntities(b, largeN)
		large.ix = match.NewIndex(ents)
		runtime.GC()
		runtime.ReadMemStats(&after)
		large.heap = float64(after.HeapInuse-before.HeapInuse) / largeN
		large.rss = rssMB()
		// Queries: the names of every 997th entity with one letter
		// changed, and the bundled benchmark queries.
		for i := 0; i < largeN; i += 997 {
			nm := []byte(ents[i].Names[0].Full)
			if k := len(nm) / 2; nm[k] != ' ' {
				nm[k] = 'a' + (nm[k]-'a'+1)%26
			}
			large.qs = append(large.qs, string(nm))
		}
		large.qs = append(large.qs, benchQueries...)
	})
	ix, qs := large.ix, large.qs
	b.ResetTimer()
	var i int64
	var mu chan struct{} = make(chan struct{}, 1)
	b.RunParallel(func(pb *testing.PB) {
		mu <- struct{}{}
		k := int(i)
		i += 7919
		<-mu
		for pb.Next() {
			ix.Search(interdict.Query{Name: qs[k%len(qs)]}, match.Options{})
			k++
		}
	})
	b.StopTimer()
	b.ReportMetric(large.heap, "heapB/entity")
	b.ReportMetric(large.rss, "rssMB")
	b.ReportMetric(rssMB(), "rssEndMB")
	b.ReportMetric(float64(ix.Names()), "forms")
}

const largeN = 1_000_000

// large is the synthetic index, built once per process.
var large struct {
	sync.Once
	ix   *match.Index
	qs   []string
	heap float64
	rss  float64
}
