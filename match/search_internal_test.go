package match

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/interdict/interdict"
)

func TestKthLargest(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 1; n < 200; n += 7 {
		a := make([]float32, n)
		for i := range a {
			a[i] = float32(rng.IntN(20)) // many ties
		}
		sorted := slices.Clone(a)
		slices.Sort(sorted)
		slices.Reverse(sorted)
		for _, k := range []int{1, n / 2, n} {
			if k < 1 {
				continue
			}
			if got := kthLargest(slices.Clone(a), k); got != sorted[k-1] {
				t.Errorf("kthLargest(n=%d, k=%d) = %v, want %v", n, k, got, sorted[k-1])
			}
		}
	}
}

func TestDeletionHashes(t *testing.T) {
	for _, s := range []string{"hossseini", "abc", "mohammed"} {
		hs := deletionHashes(s, nil)
		if hs[0] != delHash(s, -1) {
			t.Errorf("%s: first hash is not of the token", s)
		}
		for i := range len(s) {
			if !slices.Contains(hs, delHash(s, i)) {
				t.Errorf("%s: deletion at %d missing", s, i)
			}
		}
	}
}

// TestSearchLimitPrefix checks that the best opt.Limit matches, and those
// tied with the last of them, are the first of a search with no effective
// limit, also when entities share an ID (ties in the ranking fall back to
// the full sort).
func TestSearchLimitPrefix(t *testing.T) {
	names := []string{"Ali Hassan", "Ali Hasan", "Alli Hassan", "Ali Hassan Musa", "Hassan Ali", "Ali Hassen", "Aly Hassan", "Ali Hassan"}
	var ents []interdict.Entity
	for i, n := range names {
		for _, id := range []string{fmt.Sprint("x", i), fmt.Sprint("y", i%7)} {
			ents = append(ents, interdict.Entity{ID: id, List: "t", Kind: interdict.KindPerson, Names: []interdict.Name{{Full: n, Quality: interdict.NamePrimary}}})
		}
	}
	for _, dup := range []bool{false, true} {
		es := ents
		if !dup {
			es = nil
			for i, e := range ents {
				e.ID = fmt.Sprint("u", i)
				es = append(es, e)
			}
		}
		ix := NewIndex(es)
		q := interdict.Query{Name: "Ali Hassan"}
		all := ix.Search(q, Options{Limit: 1000})
		for lim := 1; lim <= len(all); lim++ {
			got, total := ix.SearchTotal(q, Options{Limit: lim})
			// The limit applies after ties: every entity that scores
			// the same as the last one kept comes back too.
			want := lim
			for want < len(all) && all[want].Score == all[lim-1].Score {
				want++
			}
			if len(got) != want || total != len(all) {
				t.Fatalf("dup=%v limit %d: %d matches (%d in all), want %d (%d)", dup, lim, len(got), total, want, len(all))
			}
			for i := range got {
				if got[i].Entity != all[i].Entity || got[i].Score != all[i].Score {
					t.Errorf("dup=%v limit %d: match %d is %s %.3f, want %s %.3f", dup, lim, i, got[i].Entity.ID, got[i].Score, all[i].Entity.ID, all[i].Score)
				}
			}
		}
	}
}

func TestParseDOBInterval(t *testing.T) {
	for s, want := range map[string][2]int{
		"1965/1975":             {19650101, 19751231},
		"1970-03-04/1970-04-03": {19700304, 19700403},
		"1969-07/1969-08":       {19690701, 19690831},
		"1970":                  {19700101, 19701231},
		"16/07/1969":            {19690716, 19690716},
	} {
		got, ok := parseDOB(s)
		if !ok || got.from != want[0] || got.to != want[1] {
			t.Errorf("parseDOB(%q) = %v %v, want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"1975/1965", "1970/abc", "03/04"} {
		if got, ok := parseDOB(s); ok {
			t.Errorf("parseDOB(%q) = %v, want not a date", s, got)
		}
	}
}

func TestGenderedPair(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"paul", "paula", true}, {"joanna", "joan", true}, {"carlo", "carla", true}, {"ivanov", "ivanova", true},
		{"daniel", "daniela", true}, {"maria", "mario", true},
		{"mohamed", "mohammed", false}, {"ali", "alia", false}, {"musa", "mussa", false}, {"hamza", "hamzo", true}, {"anna", "ana", false},
	} {
		if got := genderedPair(c.a, c.b); got != c.want {
			t.Errorf("genderedPair(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestBalticPair(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"putinas", "putin", true}, {"vladimirs", "vladimir", true}, {"andrius", "andr", true}, {"janis", "jan", true},
		{"paul", "paula", false}, {"ali", "alis", true}, {"maria", "marias", false}, {"ab", "abas", false},
	} {
		if got := balticPair(c.a, c.b); got != c.want {
			t.Errorf("balticPair(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
