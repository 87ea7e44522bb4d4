package eval

import (
	"context"
	"sort"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/normalize"
)

// Naive returns the baseline engine the figures are compared with: names
// romanized and lowercased (normalize.Romanize, first form), then whole-name
// Jaro-Winkler, brute force over every name, as simple engines do. It is
// slow (a full scan per query); evaluate it on a sample.
func Naive(entities []interdict.Entity, threshold float64) Engine {
	type rec struct {
		ent  int
		name string
	}
	var recs []rec
	for i, e := range entities {
		for _, n := range e.Names {
			if r := Romanize1(n.Full); r != "" {
				recs = append(recs, rec{i, r})
			}
		}
	}
	screen := func(ctx context.Context, q interdict.Query) (*interdict.ScreenResult, error) {
		qn := Romanize1(q.Name)
		best := map[int]float64{}
		for _, r := range recs {
			s := JaroWinkler(qn, r.name)
			if s >= 0.7 && s > best[r.ent] {
				best[r.ent] = s
			}
		}
		res := &interdict.ScreenResult{Query: q}
		for ent, s := range best {
			res.Hits = append(res.Hits, interdict.Hit{EntityID: entities[ent].ID, Score: s})
			if s >= threshold {
				res.Alert = true
			}
		}
		sort.Slice(res.Hits, func(i, j int) bool {
			if res.Hits[i].Score != res.Hits[j].Score {
				return res.Hits[i].Score > res.Hits[j].Score
			}
			return res.Hits[i].EntityID < res.Hits[j].EntityID
		})
		return res, nil
	}
	compare := func(a, b interdict.Query) (float64, bool) {
		s := JaroWinkler(Romanize1(a.Name), Romanize1(b.Name))
		return s, s >= threshold
	}
	return Engine{Screen: screen, Compare: compare, Threshold: threshold}
}

// Romanize1 is the naive normal form: first romanization, lowercase.
func Romanize1(s string) string {
	r := normalize.Romanize(s)
	if len(r) == 0 {
		return ""
	}
	return strings.TrimSpace(r[0])
}

// JaroWinkler is the textbook Jaro-Winkler similarity (prefix scale 0.1,
// prefix up to 4) of two strings' bytes.
func JaroWinkler(a, b string) float64 {
	if a == b {
		return 1
	}
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	md := max(la, lb)/2 - 1
	if md < 0 {
		md = 0
	}
	ma := make([]bool, la)
	mb := make([]bool, lb)
	m := 0
	for i := 0; i < la; i++ {
		for j := max(0, i-md); j <= min(lb-1, i+md); j++ {
			if !mb[j] && a[i] == b[j] {
				ma[i], mb[j] = true, true
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	t, k := 0, 0
	for i := 0; i < la; i++ {
		if !ma[i] {
			continue
		}
		for !mb[k] {
			k++
		}
		if a[i] != b[k] {
			t++
		}
		k++
	}
	fm := float64(m)
	j := (fm/float64(la) + fm/float64(lb) + (fm-float64(t/2))/fm) / 3
	p := 0
	for p < 4 && p < la && p < lb && a[p] == b[p] {
		p++
	}
	return j + float64(p)*0.1*(1-j)
}
