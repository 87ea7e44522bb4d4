package normalize

import (
	"strings"
	"sync"

	"github.com/mozillazg/go-pinyin"
)

var (
	pinyinOnce      sync.Once
	pinyinSyllables map[string]bool
)

// PinyinSyllables returns the number of toneless Hanyu Pinyin syllables of
// two letters or more that spell s whole (tianyu is tian yu: 2), the fewest
// when there are several ways, or 0 when there is none. The syllables are
// those of go-pinyin's dictionary (github.com/mozillazg/go-pinyin, MIT).
// Syllables of one letter (a, e, o) are left out, so that most names of
// other languages (Elena, Maria) spell none.
func PinyinSyllables(s string) int {
	if len(s) < 2 || len(s) > 24 {
		return 0
	}
	pinyinOnce.Do(func() {
		pinyinSyllables = map[string]bool{}
		a := pinyin.NewArgs()
		a.Style = pinyin.Normal
		for r := range pinyin.PinyinDict {
			for _, p := range pinyin.SinglePinyin(rune(r), a) {
				p = strings.ReplaceAll(p, "ü", "u")
				if len(p) >= 2 {
					pinyinSyllables[p] = true
				}
			}
		}
	})
	// best[i] is the fewest syllables spelling s[:i], 0 for none.
	var best [25]int
	for i := 2; i <= len(s); i++ {
		for j := max(0, i-6); j <= i-2; j++ {
			if (j == 0 || best[j] > 0) && pinyinSyllables[s[j:i]] {
				if n := best[j] + 1; best[i] == 0 || n < best[i] {
					best[i] = n
				}
			}
		}
	}
	return best[len(s)]
}
