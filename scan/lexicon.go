package scan

import (
	"strings"
	"unicode/utf8"

	"github.com/interdict/interdict/normalize"
)

// maxPhrase is the most tokens a lexicon phrase may have.
const maxPhrase = 6

// phrase is one entry of a lexicon.
type phrase struct {
	ref  int32 // what the phrase stands for, by the lexicon's owner
	text string
	// acronym phrases (DPRK) match only as written in capitals.
	acronym bool
	// proper phrases (place names) match only capitalised in a cased script.
	proper bool
}

type lexEntry struct {
	phrases []int32 // phrases that end at this n-gram
	prefix  bool    // a longer phrase starts with this n-gram
}

// lexicon matches phrases of folded tokens by n-gram hash, stems (a word
// beginning, for inflected languages) by the hash of a token's first
// runes, and Han phrases by substring.
type lexicon struct {
	phrases []phrase
	grams   map[uint64]lexEntry
	// stems are looked up for non-ASCII tokens only (Russian, Arabic,
	// Persian inflections), by the hash of the token's first n runes.
	stems    map[uint64][]int32
	stemLens []int // rune lengths of the stems, distinct
	han      map[string][]int32
	hanMax   int // longest Han phrase, in runes
	// firsts holds the key of the first word of every phrase: a Latin
	// word not in it starts none.
	firsts bitSet
}

func newLexicon() *lexicon {
	return &lexicon{grams: map[uint64]lexEntry{}, stems: map[uint64][]int32{}, han: map[string][]int32{}, firsts: newBitSet(18)}
}

// add adds a phrase. A phrase ending in "*" is a stem: it matches any one
// word that begins with it (the stem is a single word).
func (lx *lexicon) add(text string, ref int32, proper bool) {
	id := int32(len(lx.phrases))
	p := phrase{ref: ref, text: text, proper: proper}
	if stem, ok := strings.CutSuffix(text, "*"); ok {
		f := strings.ReplaceAll(normalize.Fold(stem), " ", "")
		if f == "" {
			return
		}
		lx.phrases = append(lx.phrases, p)
		n := utf8.RuneCountInString(f)
		lx.stems[hashString(f)] = append(lx.stems[hashString(f)], id)
		for _, l := range lx.stemLens {
			if l == n {
				return
			}
		}
		lx.stemLens = append(lx.stemLens, n)
		return
	}
	d := tokenize(text)
	if len(d.toks) == 0 || len(d.toks) > maxPhrase {
		return
	}
	if len(d.toks) == 1 && d.toks[0].flags&fHan != 0 {
		f := normalize.Fold(text)
		f = strings.ReplaceAll(f, " ", "")
		lx.phrases = append(lx.phrases, p)
		lx.han[f] = append(lx.han[f], id)
		lx.hanMax = max(lx.hanMax, utf8.RuneCountInString(f))
		return
	}
	if len(d.toks) == 1 && d.toks[0].flags&fAllUpper != 0 && d.toks[0].nlet <= 5 {
		p.acronym = true
	}
	lx.phrases = append(lx.phrases, p)
	h := uint64(0)
	for k, t := range d.toks {
		if k == 0 {
			h = lexKey(&t)
			lx.firsts.add(h)
		} else {
			h = combine(h, lexKey(&t))
		}
		e := lx.grams[h]
		if k == len(d.toks)-1 {
			e.phrases = append(e.phrases, id)
		} else {
			e.prefix = true
		}
		lx.grams[h] = e
	}
}

// hit is a phrase found in a document, over tokens [from, to).
type hit struct {
	phrase   int32
	from, to int
	// start and end are byte offsets; for a Han phrase they lie inside
	// the token.
	start, end int
}

// find returns the longest phrase hits of the document, left to right,
// without overlap.
func (lx *lexicon) find(d *doc) []hit {
	var out []hit
	toks := d.toks
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		if t.flags&fHan != 0 {
			if len(lx.han) > 0 {
				out = lx.findHan(d, i, out)
			}
			continue
		}
		h := lexKey(t)
		if t.flags&fLatin != 0 && !lx.firsts.has(h) {
			continue
		}
		e, ok := lx.grams[h]
		if !ok && t.flags&fUncased != 0 {
			// Arabic joins a conjunction or preposition to the next word
			// (وتمويل, بتمويل): look the word up without it.
			if h2, stripped := proclitic(d.foldedWord(i)); stripped {
				h = h2
				e, ok = lx.grams[h]
			}
		}
		best, bestTo := int32(-1), 0
		if ok {
			if len(e.phrases) > 0 && lx.accept(d, i, i+1, e.phrases[0]) {
				best, bestTo = e.phrases[0], i+1
			}
			for j := i + 1; e.prefix && j < len(toks) && j-i < maxPhrase && toks[j].sent == t.sent; j++ {
				h = combine(h, lexKey(&toks[j]))
				e, ok = lx.grams[h]
				if !ok {
					break
				}
				if len(e.phrases) > 0 && lx.accept(d, i, j+1, e.phrases[0]) {
					best, bestTo = e.phrases[0], j+1
				}
			}
		}
		if best < 0 && t.flags&fLatin == 0 && len(lx.stemLens) > 0 {
			best, bestTo = lx.findStem(d, i), i+1
		}
		if best >= 0 {
			out = append(out, hit{phrase: best, from: i, to: bestTo, start: int(t.start), end: int(toks[bestTo-1].end)})
			i = bestTo - 1
		}
	}
	return out
}

// accept applies a phrase's case rules to tokens [from, to).
func (lx *lexicon) accept(d *doc, from, to int, id int32) bool {
	p := &lx.phrases[id]
	if p.acronym {
		return d.toks[from].flags&fAllUpper != 0
	}
	if p.proper {
		for k := from; k < to; k++ {
			t := &d.toks[k]
			if t.flags&(fUpperFirst|fUncased|fDigit) == 0 && t.nlet > 3 {
				return false
			}
		}
		return d.toks[from].flags&(fUpperFirst|fUncased) != 0
	}
	return true
}

func (lx *lexicon) findStem(d *doc, i int) int32 {
	f := d.foldedWord(i)
	for _, l := range lx.stemLens {
		k, n := 0, 0
		for n < l && k < len(f) {
			_, size := utf8.DecodeRuneInString(f[k:])
			k += size
			n++
		}
		if n < l {
			continue
		}
		if ids, ok := lx.stems[hashString(f[:k])]; ok {
			return ids[0]
		}
	}
	return -1
}

// findHan finds Han phrases inside the Han run at token i, longest first.
func (lx *lexicon) findHan(d *doc, i int, out []hit) []hit {
	t := &d.toks[i]
	w := d.text[t.start:t.end]
	f := d.foldedWord(i)
	if len(f) != len(w) {
		// Folding changed byte lengths (full-width forms): offsets would
		// not map back; match the run as written instead.
		f = w
	}
	offs := make([]int, 0, len(f)/3+1)
	for k := range f {
		offs = append(offs, k)
	}
	offs = append(offs, len(f))
	for a := 0; a < len(offs)-1; a++ {
		for l := min(lx.hanMax, len(offs)-1-a); l >= 1; l-- {
			if ids, ok := lx.han[f[offs[a]:offs[a+l]]]; ok {
				out = append(out, hit{phrase: ids[0], from: i, to: i + 1, start: int(t.start) + offs[a], end: int(t.start) + offs[a+l]})
				a += l - 1
				break
			}
		}
	}
	return out
}

// lexKey is the hash a token is looked up by: its romanization for a Latin
// word (so that accents do not matter: Irán, Iran), its folded form in other
// scripts.
func lexKey(t *token) uint64 {
	if t.flags&fLatin != 0 {
		return t.rom
	}
	return t.fold
}

// proclitic returns the hash of an Arabic word without its one-letter
// proclitic (و and, ب with, ل for, ك like, ف so), if it has one and what
// is left is a word of three letters or more.
func proclitic(f string) (uint64, bool) {
	r, size := utf8.DecodeRuneInString(f)
	if procliticRune(r) && utf8.RuneCountInString(f[size:]) >= 3 {
		return hashString(f[size:]), true
	}
	return 0, false
}
