package scan

import (
	"fmt"
	"strings"

	"github.com/interdict/interdict/normalize"
)

// Levels of a token match, best first.
const (
	levelNone = iota
	// levelShort is a short word of a script without case that has the
	// skeleton of the name part (ملی, mli: MELLI): it counts only in a
	// name found whole, beside a name part matched better.
	levelShort
	levelFuzzy
	levelSkeleton
	levelExact
)

var levelNames = [...]string{"", "same consonant skeleton, short", "within an edit", "same consonant skeleton", "exact"}

// maxFormTokens bounds the names aligned token by token.
const maxFormTokens = 12

// align aligns form fi with the words around its anchor, token i, in i's
// sentence, and applies the rules that make the words look like a name.
func (s *Scanner) align(d *doc, sk *skelCache, i int, fi int32) (cand, bool) {
	f := &s.parties.forms[fi]
	L := len(f.toks)
	if L > maxFormTokens {
		return cand{}, false
	}
	sent := d.toks[i].sent
	lo, hi := i, i
	for lo > 0 && i-lo < L+1 && d.toks[lo-1].sent == sent {
		lo--
	}
	for hi+1 < len(d.toks) && hi-i < L+1 && d.toks[hi+1].sent == sent {
		hi++
	}
	var used [2*maxFormTokens + 4]bool
	var at [maxFormTokens]int
	var lev [maxFormTokens]int
	for j := range at {
		at[j] = -1
	}
	missing, matchedReq := 0, 0
	// Name parts first, then the other tokens (exact only).
	for pass := 0; pass < 2; pass++ {
		for j := range f.toks {
			ft := &f.toks[j]
			if ft.req != (pass == 0) {
				continue
			}
			at[j] = -1
			best, bestLev, bestDist := -1, levelNone, 1<<30
			for k := lo; k <= hi; k++ {
				if used[k-lo] {
					continue
				}
				l := s.tokenLevel(d, sk, k, ft)
				if !ft.req && l < levelExact {
					continue
				}
				// Near the anchor and the words found so far, so that the
				// name stays together.
				dist := abs(k - i)
				for jj := range f.toks {
					if at[jj] >= 0 {
						dist = min(dist, abs(k-at[jj]))
					}
				}
				// On a tie, keep the form's order (Tanchon Commercial Bank;
				// Daedong Credit Bank).
				if l > bestLev || l == bestLev && l > levelNone && (dist < bestDist || dist == bestDist && inOrderAt(at[:L], j, k)) {
					best, bestLev, bestDist = k, l, dist
				}
			}
			if best < 0 {
				if ft.req {
					missing++
				}
				continue
			}
			used[best-lo] = true
			at[j], lev[j] = best, bestLev
			if ft.req {
				matchedReq++
			}
		}
	}
	if matchedReq == 0 || missing > 0 && (f.nreq < 3 || missing > 1 || matchedReq < 2) {
		return cand{}, false
	}
	if f.person && f.nreq >= 2 && matchedReq < 2 {
		return cand{}, false
	}
	// A short word matched by its skeleton only counts in a name found
	// whole, beside a word of the name matched as written (BANK in BANK
	// MELLI IRAN) or by a skeleton of four consonants (nsrl: NASRALLAH,
	// Hasan).
	short, better := 0, 0
	for j := range f.toks {
		if at[j] < 0 {
			continue
		}
		switch c := f.toks[j].class; {
		case lev[j] == levelShort:
			short++
		case lev[j] == levelExact && c != normalize.ClassLegalForm && c != normalize.ClassStopword && c != normalize.ClassTitle,
			lev[j] == levelSkeleton && len(f.toks[j].key) >= 4:
			better++
		}
	}
	if short > 0 && (missing > 0 || better == 0) {
		return cand{}, false
	}
	// Two name parts that many listed names share (Mohammed Ali, Abdul
	// Rahman) are the names of many people: not a mention on their own,
	// for a person or a party of unknown kind (the UK copy's records).
	if !f.org && f.nreq < 3 {
		frequent := true
		for j := range f.toks {
			if f.toks[j].req && f.toks[j].df <= maxSingleDF {
				frequent = false
			}
		}
		if frequent {
			return cand{}, false
		}
	}
	from, to := len(d.toks), -1
	exact, inOrder := missing == 0, true
	prev := -1
	for j := range f.toks {
		if at[j] < 0 {
			continue
		}
		from, to = min(from, at[j]), max(to, at[j]+1)
		if f.toks[j].req && lev[j] != levelExact {
			exact = false
		}
		if at[j] < prev {
			inOrder = false
		}
		prev = at[j]
	}
	// The words must be together: at most one unmatched word inside, and
	// that word must look like part of a name.
	for k := from + 1; k < to; k++ {
		if !nameGlue(d.text[d.toks[k-1].end:d.toks[k].start]) {
			return cand{}, false
		}
	}
	gaps := 0
	for k := from; k < to; k++ {
		if used[k-lo] {
			continue
		}
		gaps++
		if gaps > 1 || d.toks[k].flags&(fUpperFirst|fUncased) == 0 {
			return cand{}, false
		}
	}
	if gaps > 0 {
		exact = false
	}
	// Case and shape: does it look like a name here?
	long := exact && f.nreq >= 3 && f.letters >= 18 && !f.common
	if !long {
		for j := range f.toks {
			if at[j] < 0 || !f.toks[j].req {
				continue
			}
			t := &d.toks[at[j]]
			if t.flags&(fUpperFirst|fUncased) == 0 && t.flags&fDigit == 0 {
				return cand{}, false
			}
		}
	}
	// whole: every word of the name but legal forms, stopwords and titles
	// is there as written ("National Iranian Oil Company"): a name of
	// several words, even if one of them is its only name part.
	whole, words := exact, 0
	for j := range f.toks {
		c := f.toks[j].class
		if c == normalize.ClassLegalForm || c == normalize.ClassStopword || c == normalize.ClassTitle {
			continue
		}
		words++
		if at[j] < 0 || f.toks[j].req && lev[j] != levelExact {
			whole = false
		}
	}
	single := matchedReq == 1 && !(whole && words >= 2)
	if matchedReq == 1 && !single && s.capitalisedNeighbour(d, from, to, true) {
		return cand{}, false
	}
	if single {
		j := firstReq(f)
		t := &d.toks[at[j]]
		// One word must be the name as listed, or a long name with one
		// slip (Rosoboronexprot).
		if lev[j] != levelExact && (len(f.toks[j].text) < 9 || t.flags&fUncased != 0) || f.weak || commonWords[f.toks[j].text] {
			return cand{}, false
		}
		if int(t.nlet) < 5 && !(t.flags&fAllUpper != 0 && t.nlet >= 4) && !(t.flags&fUncased != 0 && t.nlet >= 4) ||
			len(f.toks[j].text) < 5 && t.flags&fAllUpper == 0 {
			return cand{}, false
		}
		if t.flags&fSentStart != 0 && t.flags&fAllUpper == 0 && to-from == 1 && t.flags&fLatin != 0 && len(f.toks) > 1 {
			// "Union said ..." at the start of a sentence: a lone word of a
			// longer name is not enough there.
			return cand{}, false
		}
		if s.capitalisedNeighbour(d, from, to, false) {
			return cand{}, false
		}
		// "Washington" is not WASHINGTON TRADING: the generic words of a
		// name of one name part must be there too.
		for j := range f.toks {
			if at[j] < 0 && f.toks[j].class == normalize.ClassGeneric {
				return cand{}, false
			}
		}
		// A word many listed names share (Rahman, Hassan) is a given name,
		// not a name on its own.
		if f.toks[j].df > maxSingleDF {
			return cand{}, false
		}
	}
	// Words that are everyday words as written ("National Bank") name a
	// party only when they are its listed name, whole.
	textCommon := true
	for j := range f.toks {
		if at[j] >= 0 && f.toks[j].req && !d.common(at[j]) {
			textCommon = false
		}
	}
	if f.common || textCommon {
		if !exact || words < 2 || f.letters < 6 {
			return cand{}, false
		}
		for j := range f.toks {
			c := f.toks[j].class
			if at[j] < 0 && c != normalize.ClassLegalForm && c != normalize.ClassStopword && c != normalize.ClassTitle {
				return cand{}, false
			}
		}
		if s.capitalisedNeighbour(d, from, to, true) {
			return cand{}, false
		}
	}
	// A name found with a part missing or spelt otherwise must not run on
	// into another capitalised word: "Pak Pong Ju" is not PAK Bong Nam.
	if !exact && !single && s.capitalisedNeighbour(d, from, to, false) {
		return cand{}, false
	}
	// Take in a legal form written after the name ("Rosneft PJSC").
	for to < len(d.toks) && d.toks[to].sent == sent && to-from < L+2 && sk.legalForm(to) {
		to++
	}
	c := cand{from: from, to: to, start: int(d.toks[from].start), end: int(d.toks[to-1].end), ents: f.ents, exact: exact, form: fi + 1}
	switch {
	case long:
		c.how = howLong
	case exact && inOrder:
		c.how = howExact
	case exact:
		c.how = howOtherOrder
	default:
		// A partial match: its words are said now, as the levels are not kept.
		var ls []string
		for j := range f.toks {
			if at[j] >= 0 && f.toks[j].req && lev[j] != levelExact {
				ls = append(ls, f.toks[j].text+": "+levelNames[lev[j]])
			}
		}
		if missing > 0 {
			ls = append(ls, "one name part missing")
		}
		c.why = fmt.Sprintf("aligned with %q (%s)", formText(f), strings.Join(ls, ", "))
	}
	return c, true
}

// Kinds of an alignment whose explanation is written when it is verified.
const (
	howLong = iota + 1
	howExact
	howOtherOrder
)

// explain returns the explanation of candidate c.
func (s *Scanner) explain(c *cand) string {
	if c.why != "" || c.form == 0 {
		return c.why
	}
	t := fmt.Sprintf("aligned with %q", formText(&s.parties.forms[c.form-1]))
	switch c.how {
	case howLong:
		return t + " (long and exact)"
	case howExact:
		return t + " (exact)"
	}
	return t + " (exact, other order)"
}

func firstReq(f *form) int {
	for j := range f.toks {
		if f.toks[j].req {
			return j
		}
	}
	return 0
}

func formText(f *form) string {
	ws := make([]string, len(f.toks))
	for j, t := range f.toks {
		ws[j] = t.text
	}
	return strings.Join(ws, " ")
}

// capitalisedNeighbour reports a capitalised Latin word right before or
// after tokens [from, to) in the same sentence that is neither the start of
// the sentence nor a legal form: the words are then part of a longer name
// ("Union Pacific", "Golden Star Hotel").
func (s *Scanner) capitalisedNeighbour(d *doc, from, to int, strict bool) bool {
	sent := d.toks[from].sent
	if d.titleCase(sent) && !strict {
		return false // a headline in Title Case: every word is capitalised
	}
	if to < len(d.toks) && d.toks[to].sent == sent && d.spaced(to-1, to) {
		t := &d.toks[to]
		if t.flags&fUpperFirst != 0 && t.flags&(fUncased|fHyphenCap) == 0 && !d.legalForm(to) {
			return true
		}
		// "National Bank of Canada", "Banco Nacional de Costa Rica"
		if strict && connectors[d.foldedWord(to)] && to+1 < len(d.toks) && d.toks[to+1].sent == sent && d.toks[to+1].flags&fUpperFirst != 0 {
			return true
		}
	}
	if from > 0 && d.toks[from-1].sent == sent && d.spaced(from-1, from) {
		t := &d.toks[from-1]
		if t.flags&fUpperFirst != 0 && t.flags&(fUncased|fHyphenCap) == 0 && !d.german() && (strict || t.flags&fSentStart == 0 && !adjectival(d.word(from-1))) {
			return true
		}
	}
	return false
}

var connectors = set("of de du des del della di da do dos das der für for van von")

// spaced reports whether only spaces lie between tokens i and j (no
// punctuation that would separate two names).
func (d *doc) spaced(i, j int) bool {
	for _, c := range d.text[d.toks[i].end:d.toks[j].start] {
		if c != ' ' && c != '\u00a0' && c != '\t' {
			return false
		}
	}
	return true
}

// titleCase reports whether sentence s is written in Title Case (a
// headline): most of its words of four letters or more are capitalised.
func (d *doc) titleCase(s int32) bool {
	if v, ok := d.title[s]; ok {
		return v
	}
	if d.title == nil {
		d.title = map[int32]bool{}
	}
	caps, words := 0, 0
	sp := d.sents[s]
	// Tokens of the sentence: find the first by binary search.
	lo, hi := 0, len(d.toks)
	for lo < hi {
		m := (lo + hi) / 2
		if d.toks[m].start < sp[0] {
			lo = m + 1
		} else {
			hi = m
		}
	}
	for k := lo; k < len(d.toks) && d.toks[k].sent == s; k++ {
		t := &d.toks[k]
		if t.nlet >= 4 && t.flags&fUncased == 0 {
			words++
			if t.flags&fUpperFirst != 0 {
				caps++
			}
		}
	}
	v := words >= 3 && caps*10 >= words*7
	d.title[s] = v
	return v
}

// adjectival reports words of nationality or title that often precede a
// name ("Iranian", "Lebanese", "General").
func adjectival(w string) bool {
	l := strings.ToLower(w)
	return strings.HasSuffix(l, "ian") || strings.HasSuffix(l, "ese") || strings.HasSuffix(l, "ish") ||
		strings.HasSuffix(l, "an") || strings.HasSuffix(l, "i") || honorifics[l]
}

var honorifics = set(`mr mrs ms dr general gen colonel col president minister sheikh shaykh haji commander chairman director ceo
	founder leader chief judge prince emir mullah ayatollah brigadier major captain lieutenant senator governor`)

func legalWord(w string) bool {
	vs := normalize.Parse(w, normalize.Organization)
	return len(vs) > 0 && len(vs[0].Tokens) == 1 && vs[0].Tokens[0].Class == normalize.ClassLegalForm
}

// canonical returns the text of token i as normalize spells a one-word
// name (Hizballah -> hizbullah), or "".
func (c *skelCache) canonical(i int) string {
	// By the word as written: a word comes back many times in a text.
	w := c.d.word(i)
	if s, ok := c.canon[w]; ok {
		return s
	}
	if c.canon == nil {
		c.canon = map[string]string{}
	}
	s := ""
	if vs := normalize.Parse(w, normalize.AnyParty); len(vs) > 0 && len(vs[0].Tokens) == 1 {
		s = vs[0].Tokens[0].Text
	}
	c.canon[w] = s
	return s
}

// legalForm reports whether token i is a company legal form (LLC, GmbH,
// PJSC), with a cache.
func (c *skelCache) legalForm(i int) bool { return c.d.legalForm(i) }

// legalForm reports whether token i is a company legal form, with a cache
// per token.
func (d *doc) legalForm(i int) bool {
	t := &d.toks[i]
	if t.nlet > 6 || t.nlet < 2 {
		return false
	}
	if d.legal == nil {
		d.legal = make([]int8, len(d.toks))
	}
	if v := d.legal[i]; v != 0 {
		return v > 0
	}
	v := legalWord(d.word(i))
	d.legal[i] = -1
	if v {
		d.legal[i] = 1
	}
	return v
}

// tokenLevel compares text token k with a form token.
func (s *Scanner) tokenLevel(d *doc, sk *skelCache, k int, ft *ftok) int {
	t := &d.toks[k]
	if t.flags&fHan != 0 {
		return levelNone
	}
	uncased := t.flags&fUncased != 0
	if t.rom == ft.th {
		if uncased && uncasedCommon[d.foldedWord(k)] {
			return levelNone
		}
		return levelExact
	}
	if t.flags&fLatin == 0 {
		if uncased && uncasedCommon[d.foldedWord(k)] {
			return levelNone
		}
		for _, r := range d.romWords(k)[1:] {
			if r == ft.text {
				return levelExact
			}
		}
	}
	nameLike := t.flags&(fUpperFirst|fUncased) != 0
	if !nameLike || len(ft.text) < 4 || t.nlet < 3 {
		return levelNone
	}
	skel := sk.hasKey(k, ft.kh)
	if uncased {
		// No case tells a name from a word here (Arabic, Persian): only
		// long words may match by their skeleton.
		if skel && t.nlet >= 4 && len(ft.text) >= 5 && len(ft.key) >= 3 {
			return levelSkeleton
		}
		if skel && len(ft.key) >= 2 && ft.class == normalize.ClassName {
			return levelShort
		}
		return levelNone
	}
	if skel && len(ft.key) >= 2 {
		// Hizballah is listed as "hizbullah": the word as normalize
		// spells it may be the listed token.
		if sk.canonical(k) == ft.text {
			return levelExact
		}
		return levelSkeleton
	}
	if len(ft.text) >= 5 {
		budget := 1
		if len(ft.text) >= 9 {
			budget = 2
		}
		if n := int(t.end - t.start); n-len(ft.text) > budget+1 || len(ft.text)-n > budget+1 {
			return levelNone
		}
		if t.flags&fLatin != 0 && lowerByte(d.text[t.start]) != ft.text[0] && d.text[t.start] < 0x80 {
			return levelNone
		}
		for _, r := range d.romWords(k) {
			if r != "" && r[0] == ft.text[0] && editWithin(r, ft.text, budget) {
				return levelFuzzy
			}
		}
	}
	return levelNone
}

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 32
	}
	return c
}

// editWithin reports whether the optimal string alignment distance of a
// and b is at most k.
func editWithin(a, b string, k int) bool {
	if d := len(a) - len(b); d > k || -d > k {
		return false
	}
	if len(a) > 40 || len(b) > 40 {
		return a == b
	}
	var rows [3][41]int
	prev2, prev, cur := rows[0][:len(b)+1], rows[1][:len(b)+1], rows[2][:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			low = min(low, v)
		}
		if low > k {
			return false
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)] <= k
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// inOrderAt reports whether text token k for form token j follows the
// text token of the form token before j.
func inOrderAt(at []int, j, k int) bool {
	for jj := j - 1; jj >= 0; jj-- {
		if at[jj] >= 0 {
			return at[jj] < k
		}
	}
	for jj := j + 1; jj < len(at); jj++ {
		if at[jj] >= 0 {
			return k < at[jj]
		}
	}
	return false
}

// nameGlue reports whether the characters between two words may lie inside
// one name: spaces, a comma (SURNAME, Given), a hyphen, a dot, an
// apostrophe, quotes around a nickname.
func nameGlue(s string) bool {
	for _, r := range s {
		switch r {
		case ' ', '\u00a0', '\n', '\r', ',', '-', '.', '\'', '’', '"', '“', '”', '«', '»', '‘', '\t':
		default:
			return false
		}
	}
	return true
}

// present reports whether every name part of form fi is near token i, as
// written or by its skeleton (one may be misspelt or missing in a name of
// three parts): hash compares only, before the alignment proper.
func (s *Scanner) present(d *doc, sk *skelCache, i int, fi int32) bool {
	f := &s.parties.forms[fi]
	L := len(f.toks)
	if L > maxFormTokens {
		return false
	}
	sent := d.toks[i].sent
	lo, hi := i, i
	for lo > 0 && i-lo < L+1 && d.toks[lo-1].sent == sent {
		lo--
	}
	for hi+1 < len(d.toks) && hi-i < L+1 && d.toks[hi+1].sent == sent {
		hi++
	}
	// Every name part must be there, as written or by its skeleton (one may
	// be misspelt or missing in a name of three parts): hash compares
	// only, before the alignment proper.
	misses := 0
	for j := range f.toks {
		ft := &f.toks[j]
		if !ft.req {
			continue
		}
		hit := false
		for k := lo; k <= hi && !hit; k++ {
			t := &d.toks[k]
			hit = t.rom == ft.th || t.flags&(fUpperFirst|fUncased) != 0 && t.nlet >= 3 && sk.hasKey(k, ft.kh)
		}
		if !hit {
			misses++
			if misses > 1 || len(ft.text) < 5 && f.nreq < 3 {
				return false
			}
		}
	}
	for _, h := range f.must {
		hit := false
		for k := lo; k <= hi && !hit; k++ {
			hit = d.toks[k].rom == h || d.toks[k].flags&fLatin == 0 && sk.romHas(k, h)
		}
		if !hit {
			return false
		}
	}
	return true
}

// romHas reports whether one of the romanizations of token k (a token not
// in Latin script) hashes to h.
func (c *skelCache) romHas(k int, h uint64) bool {
	for _, r := range c.d.romWords(k)[1:] {
		if hashString(r) == h {
			return true
		}
	}
	return false
}

// mayCanonicalize reports whether normalize may spell the folded word w
// otherwise as a one-word name (the theophoric and Abd- forms, Persian
// -zadeh and -pour): only such words are parsed to find their canonical
// spelling.
func mayCanonicalize(w string) bool {
	return strings.Contains(w, "abd") || strings.Contains(w, "lla") || strings.Contains(w, "zad") ||
		strings.Contains(w, "zod") || strings.Contains(w, "pour") || strings.Contains(w, "poor") || strings.HasSuffix(w, "pur")
}
