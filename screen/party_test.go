package screen_test

import (
	"context"
	"runtime"
	"sync"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/screen"
)

var benchNames = []string{"Mohammed Ali", "Vladimir Putin", "Jon Smith", "BELLETECH CORP", "Usama bin Ladin", "Ali Akbar Velayati",
	"Rosneft Trading SA", "Kim Jong Un", "محمد بن سلمان", "Сергей Шойгу", "Hassan Nasrallah", "Banco Nacional de Cuba", "Abdul Rahman Yasin", "OCEAN STAR", "Emma Daniels", "Islamic Revolutionary Guard Corps"}

// BenchmarkScreen screens single names against the bundled lists with the
// hits grouped by party (grouped) and without (ungrouped), in parallel: the
// cost of grouping is the difference.
func BenchmarkScreen(b *testing.B) {
	ents, ix := snapshotIndex(b)
	plain, err := screen.NewScreener(ix, screen.DefaultPolicy(), nil)
	if err != nil {
		b.Fatal(err)
	}
	grouped, err := screen.NewScreener(ix, screen.DefaultPolicy(), nil)
	if err != nil {
		b.Fatal(err)
	}
	grouped.LinkParties(ents)
	for _, s := range []*screen.Screener{plain, grouped} {
		name := "ungrouped"
		if s == grouped {
			name = "grouped"
		}
		b.Run(name, func(b *testing.B) {
			runtime.GC()
			var mu sync.Mutex
			next := 0
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				mu.Lock()
				k := next
				next++
				mu.Unlock()
				for pb.Next() {
					if _, err := s.Screen(context.Background(), interdict.Query{Name: benchNames[k%len(benchNames)]}); err != nil {
						b.Error(err)
						return
					}
					k++
				}
			})
		})
	}
}

// Grouping keeps every hit and puts each in exactly one party; a party's
// listings are its hits and its linked records.
func TestScreener_Parties(t *testing.T) {
	ents, ix := snapshotIndex(t)
	s, err := screen.NewScreener(ix, screen.DefaultPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ps := s.LinkParties(ents)
	for _, name := range benchNames {
		res, err := s.Screen(context.Background(), interdict.Query{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		in := map[string]int{}
		for _, p := range res.Parties {
			for i, l := range p.Listings {
				in[l.EntityID]++
				if i > 0 && l.Score > p.Listings[0].Score {
					t.Errorf("%q: party %s: listing %s scores %.3f above the first", name, p.ID, l.EntityID, l.Score)
				}
				if n, _ := ps.PartyOf(l.EntityID); ps.Lead(n) != p.ID {
					t.Errorf("%q: listing %s of party %s belongs to %s", name, l.EntityID, p.ID, ps.Lead(n))
				}
			}
		}
		for _, h := range res.Hits {
			if in[h.EntityID] != 1 {
				t.Errorf("%q: hit %s is in %d parties, want 1", name, h.EntityID, in[h.EntityID])
			}
		}
	}
}
