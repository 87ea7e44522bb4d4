package scan

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/interdict/interdict/normalize"
)

// Token flags.
const (
	fUpperFirst uint16 = 1 << iota // the first letter is upper case
	fAllUpper                      // every letter is upper case (and there are two or more)
	fUncased                       // a script without case (Arabic, Persian, Hebrew, Han...)
	fLatin                         // Latin script (or digits only)
	fSentStart                     // the first token of a sentence
	fHan                           // a run of Han, Kana or Hangul
	fDigit                         // holds a digit
	fCommaAfter                    // a comma follows the token
	fHyphenCap                     // capitalised only as the second part of a hyphenated word
)

// token is one word of the text.
type token struct {
	start, end int32  // byte offsets in the text
	fold       uint64 // hash of the folded word (lower case, own script)
	rom        uint64 // hash of its romanization (lowercase ASCII); = fold for ASCII
	sent       int32  // sentence number
	flags      uint16
	nlet       uint8 // letters, capped at 255
}

// Words are hashed by FNV-1a over their bytes, then mixed (the finalizer
// of MurmurHash3) so that the high bits, which bitSet uses, are as good as
// the low. The tokenizer computes the same hash byte by byte as it reads an
// ASCII word.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashString(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return mix(h)
}

func hashBytes(s []byte) uint64 {
	h := uint64(fnvOffset)
	for _, c := range s {
		h = (h ^ uint64(c)) * fnvPrime
	}
	return mix(h)
}

func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// Classes of ASCII bytes in a word.
const (
	cNone  = 0
	cLower = 1
	cUpper = 2
	cDigit = 3
)

var asciiClass = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = cLower
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = cUpper
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = cDigit
	}
	return t
}()

// combine hashes an n-gram from the hash of its prefix and the next token.
func combine(h, t uint64) uint64 {
	h ^= t + 0x9e3779b97f4a7c15 + (h << 6) + (h >> 2)
	return h * 0xff51afd7ed558ccd
}

// doc is a tokenized text.
type doc struct {
	text   string
	toks   []token
	sents  [][2]int32 // byte span of each sentence
	roms   map[int32][]string
	folded map[int32]string // folded text of non-ASCII tokens
	title  map[int32]bool   // sentence -> written in Title Case
	// sentText caches the text of sentences (short ones: a long one is
	// cut around the token, see sentence).
	sentText map[int32]string
	isDE     int8   // German (nouns capitalised): 0 unknown, 1 yes, -1 no
	legal    []int8 // per token: 1 a legal form, -1 not, 0 not yet known
}

var germanWords = set("der die das und nicht mit ist des dem den ein eine einer eines wurde wird sich auch für von zu im auf")

// german reports whether the text is German, where every noun is
// capitalised, so that a capitalised word before a name says nothing.
func (d *doc) german() bool {
	if d.isDE == 0 {
		n, de := 0, 0
		for i := range d.toks {
			if d.toks[i].flags&fLatin == 0 {
				continue
			}
			n++
			if d.toks[i].nlet <= 5 && germanWords[d.foldedWord(i)] {
				de++
			}
			if n >= 2000 {
				break
			}
		}
		d.isDE = -1
		if n > 0 && de*100 >= n*6 {
			d.isDE = 1
		}
	}
	return d.isDE == 1
}

// word returns the text of token i as written.
func (d *doc) word(i int) string { return d.text[d.toks[i].start:d.toks[i].end] }

// foldedWord returns the folded text of token i.
func (d *doc) foldedWord(i int) string {
	if f, ok := d.folded[int32(i)]; ok {
		return f
	}
	return lowerASCII(d.word(i))
}

// romWords returns the romanizations of token i (one for Latin words).
func (d *doc) romWords(i int) []string {
	if r, ok := d.roms[int32(i)]; ok {
		return r
	}
	return []string{d.foldedWord(i)}
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 32
				}
			}
			return string(b)
		}
	}
	return s
}

func isApos(r rune) bool {
	return r == '\'' || r == '’' || r == 'ʼ' || r == 'ʻ' || r == '`' || r == 'ʿ' || r == 'ʾ'
}

// isHanLike reports runes of scripts written without spaces between words.
func isHanLike(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || r == 'ー'
}

// tokenize splits text into words and sentences in one pass. A word is a
// run of letters, digits and combining marks; an apostrophe between letters
// joins (O'Brien); a run of Han or Kana is one word. Sentences end at
// . ! ? 。 ！ ？ ؟ followed by space (or a line break), and at a blank line.
func tokenize(text string) *doc {
	d := newDoc(text)
	var buf [64]byte
	sent := int32(0)
	sentStart := 0
	newSent := true
	n := len(text)
	i := 0
	endSentence := func(at int) {
		if at > sentStart {
			d.sents = append(d.sents, [2]int32{int32(sentStart), int32(at)})
			sent++
		}
		sentStart = at
		newSent = true
	}
	for i < n {
		c := text[i]
		// ASCII fast path for the bytes between words.
		if c < 0x80 {
			isWord := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
			if !isWord {
				switch c {
				case '.', '!', '?':
					j := i + 1
					for j < n && (text[j] == '.' || text[j] == '"' || text[j] == '\'' || text[j] == ')') {
						j++
					}
					if j >= n || text[j] == ' ' || text[j] == '\n' || text[j] == '\t' || text[j] == '\r' {
						// "U.S. sanctions" and "Mr. Kim": a dot after one or two
						// letters is an abbreviation, not the end.
						if c == '.' && len(d.toks) > 0 {
							lt := d.toks[len(d.toks)-1]
							if int(lt.end) == i && lt.end-lt.start <= 3 && lt.flags&fUpperFirst != 0 && lt.flags&fAllUpper == 0 || int(lt.end) == i && lt.end-lt.start == 1 {
								i = j
								continue
							}
						}
						endSentence(j)
					}
					i = j
					continue
				case '\n':
					// A blank line ends a sentence (headlines, list items).
					j := i + 1
					for j < n && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
						j++
					}
					if j < n && text[j] == '\n' {
						endSentence(i)
					}
					i++
					continue
				case ',':
					if len(d.toks) > 0 && d.toks[len(d.toks)-1].end == int32(i) {
						d.toks[len(d.toks)-1].flags |= fCommaAfter
					}
				}
				i++
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && size <= 1 {
			i++
			continue
		}
		if !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			switch r {
			case '。', '！', '？', '؟', '۔':
				endSentence(i + size)
			case '،', '，', '、':
				if len(d.toks) > 0 && d.toks[len(d.toks)-1].end == int32(i) {
					d.toks[len(d.toks)-1].flags |= fCommaAfter
				}
			}
			i += size
			continue
		}
		// A word starts at i.
		start := i
		var t token
		t.start = int32(start)
		t.sent = sent
		if newSent {
			t.flags |= fSentStart
			newSent = false
		}
		if isHanLike(r) {
			for i < n {
				r, size := utf8.DecodeRuneInString(text[i:])
				if !isHanLike(r) {
					break
				}
				i += size
			}
			t.end = int32(i)
			t.flags |= fHan | fUncased
			w := text[start:i]
			f := normalize.Fold(w)
			t.fold = hashString(f)
			t.rom = t.fold
			t.nlet = uint8(min(255, utf8.RuneCountInString(w)))
			d.toks = append(d.toks, t)
			continue
		}
		if c < 0x80 {
			// A word of ASCII letters and digits only, ended by an ASCII
			// byte other than an apostrophe: read, classified and hashed
			// in one pass. Any other word takes the general way below.
			h := uint64(fnvOffset)
			lower, upper, digits := 0, 0, 0
			j := i
			for j < n {
				b := text[j]
				switch asciiClass[b] {
				case cLower:
					lower++
				case cUpper:
					upper++
					b += 32
				case cDigit:
					digits++
				default:
					goto ended
				}
				h = (h ^ uint64(b)) * fnvPrime
				j++
			}
		ended:
			if j == n || text[j] < 0x80 && text[j] != '\'' && text[j] != '`' {
				if asciiClass[c] == cUpper {
					t.flags |= fUpperFirst
				}
				if upper >= 2 && lower == 0 {
					t.flags |= fAllUpper
				}
				if digits > 0 {
					t.flags |= fDigit
				}
				t.nlet = uint8(min(255, lower+upper))
				t.end = int32(j)
				if k := len(d.toks); k > 0 && start > 0 && text[start-1] == '-' && int(d.toks[k-1].end) == start-1 && d.toks[k-1].flags&fUpperFirst != 0 && t.flags&fUpperFirst == 0 {
					t.flags |= fUpperFirst | fHyphenCap
				}
				t.flags |= fLatin
				t.fold = mix(h)
				t.rom = t.fold
				d.toks = append(d.toks, t)
				i = j
				continue
			}
		}
		ascii := true
		upperFirst, lower, upper, letters := false, 0, 0, 0
		first := true
		for i < n {
			c := text[i]
			if c < 0x80 {
				switch {
				case c >= 'a' && c <= 'z':
					lower++
					letters++
				case c >= 'A' && c <= 'Z':
					if first {
						upperFirst = true
					}
					upper++
					letters++
				case c >= '0' && c <= '9':
					t.flags |= fDigit
				case c == '\'' || c == '`':
					// joins two letters: O'Brien; but not the possessive 's
					// nor a French or Italian elision (l'Iran, d'Oleg)
					if i+1 < n && i > start && isLetterAt(text, i+1) && !possessive(text, i+1) && !elided(text[start:i]) {
						i++
						first = false
						continue
					}
					goto done
				default:
					goto done
				}
				first = false
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(text[i:])
			switch {
			case isHanLike(r):
				goto done
			case unicode.IsLetter(r):
				ascii = false
				if unicode.IsUpper(r) {
					if first {
						upperFirst = true
					}
					upper++
				} else if unicode.IsLower(r) {
					lower++
				}
				letters++
			case unicode.IsDigit(r):
				ascii = false
				t.flags |= fDigit
			case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) || r == 0x200C || r == 0x200D || r == 0x640:
				ascii = false
			case isApos(r) && i+size < n && isLetterAt(text, i+size) && !possessive(text, i+size) && !elided(text[start:i]):
				ascii = false
			default:
				goto done
			}
			first = false
			i += size
		}
	done:
		t.end = int32(i)
		w := text[start:i]
		if upperFirst {
			t.flags |= fUpperFirst
		}
		if upper >= 2 && lower == 0 {
			t.flags |= fAllUpper
		}
		if upper == 0 && lower == 0 && letters > 0 {
			t.flags |= fUncased
		}
		t.nlet = uint8(min(255, letters))
		// The second part of a hyphenated name takes the case of the
		// first: Kim Jong-un, Al-Qaida.
		if k := len(d.toks); k > 0 && start > 0 && text[start-1] == '-' && int(d.toks[k-1].end) == start-1 && d.toks[k-1].flags&fUpperFirst != 0 && t.flags&fUpperFirst == 0 {
			t.flags |= fUpperFirst | fHyphenCap
		}
		if ascii {
			t.flags |= fLatin
			var lw []byte
			if len(w) <= len(buf) {
				lw = buf[:0]
			} else {
				lw = make([]byte, 0, len(w))
			}
			for k := 0; k < len(w); k++ {
				c := w[k]
				if c >= 'A' && c <= 'Z' {
					c += 32
				} else if c == '\'' || c == '`' {
					continue
				}
				lw = append(lw, c)
			}
			t.fold = hashBytes(lw)
			t.rom = t.fold
		} else {
			// The name of God is written apart but read with the word
			// before it in names: نصر الله is Nasrallah, حزب الله Hizballah.
			if k := len(d.toks) - 1; k >= 0 && t.flags&fUncased != 0 && d.toks[k].flags&fUncased != 0 && d.toks[k].flags&fHan == 0 &&
				d.toks[k].sent == t.sent && allahWord(w) && onlySpaces(text[d.toks[k].end:start]) {
				p := d.toks[k]
				p.end = t.end
				p.nlet = uint8(min(255, int(p.nlet)+int(t.nlet)))
				p.flags |= t.flags & fDigit
				t = p
				w = text[t.start:t.end]
				d.toks = d.toks[:k]
			}
			d.setScript(&t, w)
		}
		d.toks = append(d.toks, t)
	}
	endSentence(n)
	return d
}

// setScript sets the folded text, the romanizations and their hashes of
// token t, a word not in ASCII, which is the next token of d.
func (d *doc) setScript(t *token, w string) {
	f := normalize.Fold(w)
	f = strings.ReplaceAll(f, " ", "")
	t.fold = hashString(f)
	if d.folded == nil {
		d.folded = map[int32]string{}
		d.roms = map[int32][]string{}
	}
	at := int32(len(d.toks))
	d.folded[at] = f
	roms := normalize.Romanize(w)
	for k, r := range roms {
		roms[k] = strings.ReplaceAll(r, " ", "")
	}
	if t.flags&fUncased != 0 {
		// A one-letter proclitic (و and, ب with, ل for, ف so, ك like) is
		// written joined to the word: وحماس is "and Hamas". The word
		// without it is one more reading.
		if r, size := utf8.DecodeRuneInString(f); procliticRune(r) && utf8.RuneCountInString(f[size:]) >= 3 {
			for _, r := range normalize.Romanize(w[len(string(firstRune(w))):]) {
				r = strings.ReplaceAll(r, " ", "")
				if r != "" && !slices.Contains(roms, r) {
					roms = append(roms, r)
				}
			}
		}
	}
	if len(roms) > 0 {
		t.rom = hashString(roms[0])
		d.roms[at] = roms
	} else {
		t.rom = t.fold
	}
	if latinWord(w) {
		t.flags |= fLatin
	}
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// procliticRune reports the Arabic letters written as one-letter
// proclitics.
func procliticRune(r rune) bool {
	switch r {
	case 'و', 'ب', 'ل', 'ك', 'ک', 'ف':
		return true
	}
	return false
}

// allahWord reports the word الله as written (with or without its marks).
func allahWord(w string) bool {
	return strings.HasPrefix(w, "ال") && normalize.Fold(w) == "الله"
}

func onlySpaces(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			return false
		}
	}
	return true
}

// docPool keeps the token arrays of scanned documents for the next scan.
var docPool = sync.Pool{New: func() any { return new(doc) }}

func newDoc(text string) *doc {
	d := docPool.Get().(*doc)
	toks, sents := d.toks[:0], d.sents[:0]
	if cap(toks) < len(text)/6+1 {
		toks = make([]token, 0, len(text)/6+1)
	}
	*d = doc{text: text, toks: toks, sents: sents}
	return d
}

// release returns d to the pool; d must not be used after.
func (d *doc) release() {
	if cap(d.toks) > 1<<22 {
		return // a very long document's arrays are left to the collector
	}
	*d = doc{toks: d.toks[:0], sents: d.sents[:0]}
	docPool.Put(d)
}

// possessive reports an English possessive "s" at i: an s followed by no
// letter (Vekselberg's).
func possessive(s string, i int) bool {
	return (s[i] == 's' || s[i] == 'S') && (i+1 >= len(s) || !isLetterAt(s, i+1))
}

func isLetterAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

func latinWord(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

// sentence returns the sentence around token i, trimmed.
func (d *doc) sentence(i int) string {
	s := d.toks[i].sent
	if int(s) >= len(d.sents) {
		return ""
	}
	if sp := d.sents[s]; sp[1]-sp[0] > 600 {
		return d.sentenceAt(i, s)
	}
	if v, ok := d.sentText[s]; ok {
		return v
	}
	if d.sentText == nil {
		d.sentText = map[int32]string{}
	}
	v := d.sentenceAt(i, s)
	d.sentText[s] = v
	return v
}

func (d *doc) sentenceAt(i int, s int32) string {
	sp := d.sents[s]
	out := strings.TrimSpace(d.text[sp[0]:sp[1]])
	if len(out) > 600 {
		// Keep a window around the token in very long "sentences".
		a := max(int(sp[0]), int(d.toks[i].start)-250)
		b := min(int(sp[1]), int(d.toks[i].end)+250)
		for a > int(sp[0]) && !utf8.RuneStart(d.text[a]) {
			a--
		}
		for b < int(sp[1]) && !utf8.RuneStart(d.text[b]) {
			b++
		}
		out = "…" + strings.TrimSpace(d.text[a:b]) + "…"
	}
	return strings.Join(strings.Fields(out), " ")
}

// elided reports the elided articles and prepositions of French and
// Italian written before an apostrophe (l', d', qu', dell').
func elided(w string) bool {
	switch strings.ToLower(w) {
	case "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "dell", "all", "dall", "nell", "sull":
		return true
	}
	return false
}
