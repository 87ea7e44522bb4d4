package match

import (
	"math/rand/v2"
	"slices"
	"testing"
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
