package normalize

import (
	_ "embed"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed channel.tsv
var channelTSV string

// chanSeg is one Latin spelling of a Han character and its probability.
type chanSeg struct {
	latin string
	p     float64
}

// channel holds, per letter, its likelier Latin spellings, the probability
// of the likeliest and of none (a silent letter).
type channel map[rune]*letterChannel

type letterChannel struct {
	segs   []chanSeg
	best   float64
	silent float64
}

var loadChannel = sync.OnceValue(func() channel {
	ch := make(channel, 3200)
	for _, line := range strings.Split(channelTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			continue
		}
		p, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			continue
		}
		r := []rune(f[0])[0]
		lc := ch[r]
		if lc == nil {
			lc = &letterChannel{}
			ch[r] = lc
		}
		lc.best = math.Max(lc.best, p)
		if f[1] == "" {
			lc.silent = p
			continue
		}
		lc.segs = append(lc.segs, chanSeg{f[1], p})
	}
	return ch
})

// channelOther is the likelihood of a spelling of a character that the
// model has not seen for it.
var channelOther = 0.002

// Likeness says how likely the Latin token latin is a spelling of w, a
// word of Arabic, Cyrillic, Han or Hebrew letters (a foreign name
// transcribed into Chinese, 阿米尔, Amir or Amiel; a name written without
// its vowels, פליפה, Felipe): the likelihood of latin under the letter
// model's spellings of each letter (channel.tsv), over all ways of cutting
// latin into one spelling per letter (a letter may also be silent), against
// the likelihood of the likeliest spelling, as a geometric mean per letter,
// in [0, 1]. A spelling the model has not seen for a letter counts at a
// small likelihood (channelOther). It is 0 when w has a letter the model
// does not know.
func Likeness(w, latin string) float64 {
	ch := loadChannel()
	n, m := utf8.RuneCountInString(w), len(latin)
	if n == 0 || m == 0 || n > 16 || m > 64 {
		return 0
	}
	// Forward sums over the cuttings, a row per letter of w.
	var rows [2][65]float64
	prev, cur := &rows[0], &rows[1]
	prev[0] = 1
	best := 1.0
	for _, r := range w {
		lc := ch[r]
		if lc == nil || len(lc.segs) == 0 {
			return 0
		}
		best *= lc.best
		clear(cur[:m+1])
		for j := 0; j <= m; j++ {
			v := prev[j]
			if v == 0 {
				continue
			}
			if lc.silent > 0 {
				cur[j] += v * lc.silent
			}
			for _, s := range lc.segs {
				if strings.HasPrefix(latin[j:], s.latin) {
					cur[j+len(s.latin)] += v * s.p
				}
			}
			// Any other spelling of one to three letters, at a small
			// likelihood: a rare spelling costs, it does not rule out.
			for k := 1; k <= 3 && j+k <= m; k++ {
				cur[j+k] += v * channelOther
			}
		}
		prev, cur = cur, prev
	}
	p := prev[m]
	if p == 0 {
		return 0
	}
	return math.Min(1, math.Pow(p/best, 1/float64(n)))
}
