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
			s := normalize.JaroWinkler(qn, r.name)
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
		s := normalize.JaroWinkler(Romanize1(a.Name), Romanize1(b.Name))
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
