package main

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
)

const modelHeader = `# A letter-by-letter transliteration model: how a letter of Arabic, Hebrew,
# Cyrillic or Han script is most often spelled in Latin in the names of
# people, given the letters around it. Each line is a context TAB the Latin
# spelling TAB how many aligned pairs gave it; a context is three
# characters: the letter before ("^" at the start of a word, "*" for any),
# the letter, and the letter after ("$" at the end, "*" for any).
# Learned by normalize/internal/gentables (model.go) with expectation
# maximisation over the training parts of the transliteration pairs named in
# learned.tsv (the held-out parts are left for the evaluation sets). Only
# contexts seen at least twice whose spelling differs from that of the
# wider context are kept. Do not edit.
`

const channelHeader = `# How likely a letter of Arabic, Cyrillic, Han or Hebrew script in a name
# is spelled so in Latin: letter TAB Latin spelling (empty for a silent
# letter) TAB probability (of the spellings of that letter, those at 0.01
# or more). The emission table of the letter model in model.tsv (see
# there), learned by normalize/internal/gentables (model.go). Do not edit.
`

// emissionLines lists the likelier spellings of every letter.
func emissionLines(t map[rune]map[string]float64) []string {
	var rs []rune
	for r := range t {
		rs = append(rs, r)
	}
	sort.Slice(rs, func(a, b int) bool { return rs[a] < rs[b] })
	var lines []string
	for _, r := range rs {
		var segs []string
		for seg, p := range t[r] {
			if p >= 0.01 {
				segs = append(segs, seg)
			}
		}
		sort.Strings(segs)
		for _, seg := range segs {
			lines = append(lines, fmt.Sprintf("%c\t%s\t%.3f", r, seg, t[r][seg]))
		}
	}
	return lines
}

// pairT is one training pair: a folded script token, its Latin spelling and
// how many times the pair was seen.
type pairT struct {
	s []rune
	l string
	n float64
}

// segLimits are the shortest and longest Latin spelling of one letter of a
// script: a Han character is a syllable (zhuang) or, at the end of a
// transcribed word, a consonant (斯 s); Cyrillic щ is shch; an Arabic or
// Hebrew consonant takes the vowel after it (ba), and a vowel letter may be
// silent.
var segLimits = map[string][2]int{"Hani": {1, 6}, "Cyrl": {0, 4}, "Arab": {0, 3}, "Hebr": {0, 3}}

// nullPrior scales the likelihood of a letter spelled by nothing at each
// step of the training, which otherwise lets neighbouring letters swallow
// it.
const nullPrior = 0.3

// trainEmissions learns P(latin spelling | letter) by expectation
// maximisation over all monotone segmentations of each pair.
func trainEmissions(pairs []pairT, iters, minSeg, maxSeg int) map[rune]map[string]float64 {
	t := map[rune]map[string]float64{}
	// Start uniform over every spelling that occurs.
	for _, p := range pairs {
		for _, r := range p.s {
			if t[r] == nil {
				t[r] = map[string]float64{}
			}
		}
	}
	for _, p := range pairs {
		for i, r := range p.s {
			_ = i
			for j := 0; j <= len(p.l); j++ {
				for k := minSeg; k <= maxSeg && j+k <= len(p.l); k++ {
					t[r][p.l[j:j+k]] = 1
				}
			}
		}
	}
	normalizeEm(t)
	for it := 0; it < iters; it++ {
		counts := map[rune]map[string]float64{}
		for _, p := range pairs {
			n, m := len(p.s), len(p.l)
			fw := make([][]float64, n+1)
			bw := make([][]float64, n+1)
			for i := range fw {
				fw[i] = make([]float64, m+1)
				bw[i] = make([]float64, m+1)
			}
			fw[0][0] = 1
			for i := 0; i < n; i++ {
				tr := t[p.s[i]]
				for j := 0; j <= m; j++ {
					if fw[i][j] == 0 {
						continue
					}
					for k := minSeg; k <= maxSeg && j+k <= m; k++ {
						fw[i+1][j+k] += fw[i][j] * tr[p.l[j:j+k]]
					}
				}
			}
			z := fw[n][m]
			if z == 0 || math.IsNaN(z) {
				continue
			}
			bw[n][m] = 1
			for i := n - 1; i >= 0; i-- {
				tr := t[p.s[i]]
				for j := m; j >= 0; j-- {
					var s float64
					for k := minSeg; k <= maxSeg && j+k <= m; k++ {
						s += tr[p.l[j:j+k]] * bw[i+1][j+k]
					}
					bw[i][j] = s
				}
			}
			for i := 0; i < n; i++ {
				r := p.s[i]
				tr := t[r]
				c := counts[r]
				if c == nil {
					c = map[string]float64{}
					counts[r] = c
				}
				for j := 0; j <= m; j++ {
					if fw[i][j] == 0 {
						continue
					}
					for k := minSeg; k <= maxSeg && j+k <= m; k++ {
						seg := p.l[j : j+k]
						if v := fw[i][j] * tr[seg] * bw[i+1][j+k] / z; v > 1e-6 {
							c[seg] += v * p.n
						}
					}
				}
			}
		}
		t = counts
		for _, m := range t {
			if v, ok := m[""]; ok {
				m[""] = v * nullPrior
			}
		}
		normalizeEm(t)
	}
	return t
}

func normalizeEm(t map[rune]map[string]float64) {
	for _, m := range t {
		// Summed in a fixed order, so that the tables come out the same
		// on every run.
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var s float64
		for _, k := range keys {
			s += m[k]
		}
		for k, v := range m {
			if v/s < 1e-5 {
				delete(m, k)
				continue
			}
			m[k] = v / s
		}
	}
}

// viterbi returns the likeliest spelling of each letter of p under t, or nil.
func viterbi(p pairT, t map[rune]map[string]float64, minSeg, maxSeg int) []string {
	n, m := len(p.s), len(p.l)
	best := make([][]float64, n+1)
	back := make([][]int, n+1)
	for i := range best {
		best[i] = make([]float64, m+1)
		back[i] = make([]int, m+1)
		for j := range best[i] {
			best[i][j] = math.Inf(-1)
		}
	}
	best[0][0] = 0
	for i := 0; i < n; i++ {
		tr := t[p.s[i]]
		for j := 0; j <= m; j++ {
			if math.IsInf(best[i][j], -1) {
				continue
			}
			for k := minSeg; k <= maxSeg && j+k <= m; k++ {
				pr := tr[p.l[j:j+k]]
				if pr == 0 {
					continue
				}
				if v := best[i][j] + math.Log(pr); v > best[i+1][j+k] {
					best[i+1][j+k], back[i+1][j+k] = v, k
				}
			}
		}
	}
	if math.IsInf(best[n][m], -1) {
		return nil
	}
	segs := make([]string, n)
	j := m
	for i := n; i > 0; i-- {
		k := back[i][j]
		segs[i-1] = p.l[j-k : j]
		j -= k
	}
	return segs
}

// ctxKey is a context of three characters.
func ctxKey(p, c, n rune) string { return string([]rune{p, c, n}) }

// spellings counts, per context, the spellings of the aligned letters.
type spellings map[string]map[string]float64

func (sp spellings) add(key, seg string, n float64) {
	m := sp[key]
	if m == nil {
		m = map[string]float64{}
		sp[key] = m
	}
	m[seg] += n
}

func (sp spellings) best(key string) (string, float64, float64) {
	m := sp[key]
	var b string
	var bn, tot float64
	for s, n := range m {
		tot += n
		if n > bn || n == bn && s < b {
			b, bn = s, n
		}
	}
	return b, bn, tot
}

// modelLines trains the model for one script's pairs and returns its table
// lines.
func modelLines(pairs []pairT, script string) ([]string, []string) {
	lim := segLimits[script]
	t := trainEmissions(pairs, 8, lim[0], lim[1])
	sp := spellings{}
	for _, p := range pairs {
		segs := viterbi(p, t, lim[0], lim[1])
		if segs == nil {
			continue
		}
		for i, c := range p.s {
			pr, nx := '^', '$'
			if i > 0 {
				pr = p.s[i-1]
			}
			if i+1 < len(p.s) {
				nx = p.s[i+1]
			}
			sp.add(ctxKey('*', c, '*'), segs[i], p.n)
			sp.add(ctxKey(pr, c, '*'), segs[i], p.n)
			sp.add(ctxKey('*', c, nx), segs[i], p.n)
			sp.add(ctxKey(pr, c, nx), segs[i], p.n)
		}
	}
	keep := map[string]string{}
	var lines []string
	emit := func(k, seg string, n float64) {
		keep[k] = seg
		lines = append(lines, fmt.Sprintf("%s\t%s\t%d", k, seg, int(math.Round(n))))
	}
	keys := make([]string, 0, len(sp))
	for k := range sp {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	// Unigrams first, then one-sided contexts that differ from them, then
	// full contexts that differ from what the narrower ones give.
	for _, k := range keys {
		rs := []rune(k)
		if rs[0] == '*' && rs[2] == '*' {
			if seg, n, _ := sp.best(k); n >= 2 {
				emit(k, seg, n)
			}
		}
	}
	for _, k := range keys {
		rs := []rune(k)
		if (rs[0] == '*') == (rs[2] == '*') {
			continue
		}
		seg, n, tot := sp.best(k)
		if n >= 2 && 2*n > tot && seg != keep[ctxKey('*', rs[1], '*')] {
			emit(k, seg, n)
		}
	}
	for _, k := range keys {
		rs := []rune(k)
		if rs[0] == '*' || rs[2] == '*' {
			continue
		}
		seg, n, tot := sp.best(k)
		if n < 2 || 2*n <= tot {
			continue
		}
		if seg != backoff(keep, sp, rs[0], rs[1], rs[2]) {
			emit(k, seg, n)
		}
	}
	return lines, emissionLines(t)
}

// backoff is the spelling a narrower context gives: the one-sided context
// seen more often, else the letter alone.
func backoff(keep map[string]string, sp spellings, p, c, n rune) string {
	l, lok := keep[ctxKey(p, c, '*')]
	r, rok := keep[ctxKey('*', c, n)]
	switch {
	case lok && rok:
		_, ln, _ := sp.best(ctxKey(p, c, '*'))
		_, rn, _ := sp.best(ctxKey('*', c, n))
		if ln >= rn {
			return l
		}
		return r
	case lok:
		return l
	case rok:
		return r
	}
	return keep[ctxKey('*', c, '*')]
}

// model writes model.tsv from the training pairs in dir.
func model(dir, out string) error {
	byScript := map[string]map[string]*pairT{}
	for _, f := range trainFiles {
		if err := readTrain(filepath.Join(dir, f.file), f, func(script, latin string, n int) {
			sc := scriptOf(script)
			if sc == "" {
				return
			}
			m := byScript[sc]
			if m == nil {
				m = map[string]*pairT{}
				byScript[sc] = m
			}
			k := script + "\t" + latin
			if p := m[k]; p != nil {
				p.n += float64(n)
				return
			}
			m[k] = &pairT{s: []rune(script), l: latin, n: float64(n)}
		}); err != nil {
			return err
		}
	}
	var lines, emissions []string
	for _, sc := range []string{"Arab", "Cyrl", "Hani", "Hebr"} {
		var pairs []pairT
		keys := make([]string, 0, len(byScript[sc]))
		for k := range byScript[sc] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := byScript[sc][k]
			if len(p.s) > 24 || len(p.l) > 40 {
				continue
			}
			pairs = append(pairs, *p)
		}
		ls, es := modelLines(pairs, sc)
		lines = append(lines, ls...)
		emissions = append(emissions, es...)
	}
	if err := write(filepath.Join(out, "channel.tsv"), channelHeader, emissions); err != nil {
		return err
	}
	return write(filepath.Join(out, "model.tsv"), modelHeader, lines)
}

// scriptOf names the script of a folded token, "" for others.
func scriptOf(s string) string {
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Arabic, r):
			return "Arab"
		case unicode.Is(unicode.Cyrillic, r):
			return "Cyrl"
		case unicode.Is(unicode.Han, r):
			return "Hani"
		case unicode.Is(unicode.Hebrew, r):
			return "Hebr"
		}
	}
	return ""
}

var _ = strings.Contains
