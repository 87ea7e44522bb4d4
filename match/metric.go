package match

import (
	"sync"

	"github.com/interdict/interdict/normalize"
)

// editCost is a weighted optimal-string-alignment distance between two
// ASCII tokens: substitution 1 (0.5 between confusable characters such as
// i/y, c/k, 0/o; 1.5 for the first character), insertion or deletion 1
// (0.5 for h and for a doubled letter), transposition of adjacent letters
// 0.5 (the commonest slip of the keyboard: ksahan / kashan). It returns limit+1
// as soon as the distance must exceed limit. Costs are counted in halves,
// in integers.
func editCost(a, b string, limit float64) float64 {
	la, lb := len(a), len(b)
	if la > 48 || lb > 48 {
		return limit + 1
	}
	d := float64(la - lb)
	if d < 0 {
		d = -d
	}
	if d*0.5 > limit {
		return limit + 1
	}
	lim := int32(limit * 2)
	conf := confusables()
	var rows [3][49]int32
	var ia, ib [48]int32 // indel costs
	for i := 0; i < la; i++ {
		ia[i] = indelCost(a, i)
	}
	for j := 0; j < lb; j++ {
		ib[j] = indelCost(b, j)
	}
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	prev[0] = 0
	for j := 1; j <= lb; j++ {
		prev[j] = prev[j-1] + ib[j-1]
	}
	for i := 1; i <= la; i++ {
		cur[0] = prev[0] + ia[i-1]
		rowMin := cur[0]
		ca := a[i-1]
		for j := 1; j <= lb; j++ {
			cb := b[j-1]
			var sub int32
			if ca != cb {
				switch {
				case ca < 128 && cb < 128 && conf[ca][cb]:
					sub = 1
				case i == 1 && j == 1:
					sub = 3
				default:
					sub = 2
				}
			}
			v := prev[j-1] + sub
			if x := prev[j] + ia[i-1]; x < v {
				v = x
			}
			if x := cur[j-1] + ib[j-1]; x < v {
				v = x
			}
			if i > 1 && j > 1 && ca == b[j-2] && a[i-2] == cb && ca != cb {
				if x := prev2[j-2] + 1; x < v {
					v = x
				}
			}
			cur[j] = v
			if v < rowMin {
				rowMin = v
			}
		}
		if rowMin > lim {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return float64(prev[lb]) / 2
}

// indelCost is the cost, in halves, of inserting or deleting s[i]: 1 for h
// and for a doubled letter, 2 otherwise.
func indelCost(s string, i int) int32 {
	c := s[i]
	if c == 'h' || i > 0 && s[i-1] == c || i+1 < len(s) && s[i+1] == c {
		return 1
	}
	return 2
}

var (
	confOnce sync.Once
	confTab  *[128][128]bool
)

// confusables returns normalize.Confusable as a table.
func confusables() *[128][128]bool {
	confOnce.Do(func() {
		var t [128][128]bool
		for a := 0; a < 128; a++ {
			for b := 0; b < 128; b++ {
				t[a][b] = normalize.Confusable(byte(a), byte(b))
			}
		}
		confTab = &t
	})
	return confTab
}

// editBudget is the edit cost tolerated for a token of n letters: none up
// to 2 letters, 1 up to 7, 2 up to 11, 3 beyond.
func editBudget(n int) float64 {
	switch {
	case n <= 2:
		return 0
	case n <= 7:
		return 1
	case n <= 11:
		return 2
	}
	return 3
}
