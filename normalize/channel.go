package normalize

import (
	_ "embed"
	"math"
	"strconv"
	"strings"
	"sync"
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
type channel struct {
	segs   map[rune][]chanSeg
	best   map[rune]float64
	silent map[rune]float64
}

var loadChannel = sync.OnceValue(func() *channel {
	ch := &channel{segs: make(map[rune][]chanSeg, 3200), best: make(map[rune]float64, 3200), silent: map[rune]float64{}}
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
		ch.best[r] = math.Max(ch.best[r], p)
		if f[1] == "" {
			ch.silent[r] = p
			continue
		}
		ch.segs[r] = append(ch.segs[r], chanSeg{f[1], p})
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
	rs := []rune(w)
	n, m := len(rs), len(latin)
	if n == 0 || m == 0 || n > 16 || m > 64 {
		return 0
	}
	var buf [17 * 65]float64
	fw := buf[:(n+1)*(m+1)]
	at := func(i, j int) *float64 { return &fw[i*(m+1)+j] }
	*at(0, 0) = 1
	best := 1.0
	for i, r := range rs {
		segs := ch.segs[r]
		if len(segs) == 0 {
			return 0
		}
		best *= ch.best[r]
		silent := ch.silent[r]
		for j := 0; j <= m; j++ {
			v := *at(i, j)
			if v == 0 {
				continue
			}
			if silent > 0 {
				*at(i+1, j) += v * silent
			}
			for _, s := range segs {
				if strings.HasPrefix(latin[j:], s.latin) {
					*at(i+1, j+len(s.latin)) += v * s.p
				}
			}
			// Any other spelling of one to three letters, at a small
			// likelihood: a rare spelling costs, it does not rule out.
			for k := 1; k <= 3 && j+k <= m; k++ {
				*at(i+1, j+k) += v * channelOther
			}
		}
	}
	p := *at(n, m)
	if p == 0 {
		return 0
	}
	return math.Min(1, math.Pow(p/best, 1/float64(n)))
}

// HanLikeness is Likeness for a word of Han characters.
func HanLikeness(w, latin string) float64 { return Likeness(w, latin) }
