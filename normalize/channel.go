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

// channel holds, per Han character, its likelier Latin spellings and the
// probability of the likeliest.
type channel struct {
	segs map[rune][]chanSeg
	best map[rune]float64
}

var loadChannel = sync.OnceValue(func() *channel {
	ch := &channel{segs: make(map[rune][]chanSeg, 3000), best: make(map[rune]float64, 3000)}
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
		ch.segs[r] = append(ch.segs[r], chanSeg{f[1], p})
		ch.best[r] = math.Max(ch.best[r], p)
	}
	return ch
})

// channelOther is the likelihood of a spelling of a character that the
// model has not seen for it.
var channelOther = 0.002

// HanLikeness says how likely the Latin token latin is a spelling of w, a
// word of Han characters that transcribes a foreign name (阿米尔, Amir or
// Amiel): the likelihood of latin under the letter model's spellings of each
// character (channel.tsv), over all ways of cutting latin into one spelling
// per character, against the likelihood of the likeliest spelling, as a
// geometric mean per character, in [0, 1]. It is 0 when w has a character
// the model does not know or latin cannot be cut into its spellings.
func HanLikeness(w, latin string) float64 {
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
		for j := 0; j < m; j++ {
			v := *at(i, j)
			if v == 0 {
				continue
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
