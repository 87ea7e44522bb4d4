package match

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/normalize"
)

// qtok is one query token with its weight.
type qtok struct {
	text  string
	key   string
	class normalize.Class
	w     float32
	known bool
	// strict tokens (syllables romanized from Han or Hangul) match only
	// exactly or phonetically: a typo in a romanized syllable is another
	// syllable. exact tokens (syllables romanized from a Han name) match
	// only exactly, alone or joined (huang yan is not Hongyuan).
	strict bool
	exact  bool
	// guess tokens are a model's spelling of a transcribed foreign name
	// (normalize.Model, from Han): a likeness of consonant skeletons
	// needs a close spelling too, for the guess already stands for a
	// loose likeness of sounds.
	guess bool
	// sound tokens are guesses at a name transcribed into Chinese, which
	// also pair by the sounds the transcription keeps (guessSound).
	sound bool
	// acronym says that the token may be an acronym (acronymLike) and
	// not strict.
	acronym bool
	// pinyin says that the token is spelled whole by pinyin syllables.
	pinyin bool
	// src is the word of another script a guessed token spells
	// (normalize.Token.Source), and srcID its number in the query.
	src   string
	srcID uint32
	// alts are the same token as other romanizations of the query spell
	// it (a merged form, see mergeForms): a pair takes the closest.
	alts  []qtok
	next  string // for an alternative, the text of its form's next token when the two may join
	patr  bool   // part of the name's patronymic (see patronymicAt)
	vid   uint32 // vocabulary id, noJoin when not in the index
	slot  int32  // memo slot of text
	jslot int32  // memo slot of text joined with the next token, or -1
}

// allows reports whether the token may pair with a likeness of kind k.
func (t *qtok) allows(k interdict.MatchKind) bool {
	switch {
	case t.exact:
		return k == interdict.MatchExact
	case t.strict:
		return k == interdict.MatchExact || k == interdict.MatchPhonetic
	}
	return true
}

// ctok is one entity-name token with its weight.
type ctok struct {
	text  string
	key   string
	class normalize.Class
	w     float32
	id    uint32 // vocabulary id
	join  uint32 // vocabulary id of text joined with the next token, or noJoin
	patr  bool   // part of the name's patronymic (see patronymicAt)
	// pinyin says that the token is spelled whole by pinyin syllables.
	pinyin bool
}

// letterMask is the set of a token's bytes, on their low six bits.
func letterMask(s string) uint64 {
	var m uint64
	for i := 0; i < len(s); i++ {
		m |= 1 << (s[i] & 63)
	}
	return m
}

// tokenSimFast returns how alike two tokens are, in [0, 1], and how, given
// the tokens' letterMasks, which rule out most typo comparisons cheaply;
// nick false says that one of the tokens has no nickname, which spares the
// lookup.
//
// qpy and cpy are the tokens' numbers of pinyin syllables
// (normalize.PinyinSyllables, 0 for none), computed once per token.
func tokenSimFast(q, qkey, c, ckey string, nick bool, qm, cm uint64, typed, syllabic bool, qpy, cpy uint8) (float64, interdict.MatchKind) {
	if q == c {
		return 1, interdict.MatchExact
	}
	if q == "" || c == "" {
		return 0, ""
	}
	lq, lc := len(q), len(c)
	if lq == 1 || lc == 1 {
		if lq > 1 && q[0] == c[0] || lc > 1 && c[0] == q[0] {
			return 0.7, interdict.MatchInitial
		}
		return 0, ""
	}
	if typed && genderedPair(q, c) {
		return 0, ""
	}
	if nick && normalize.SameNickname(q, c) {
		return 0.9, interdict.MatchNickname
	}
	best, kind := 0.0, interdict.MatchKind("")
	if qkey == ckey && (len(qkey) >= 2 || lq <= 4 && lc <= 4 && sameStart(q[0], c[0])) {
		// Below Jaro-Winkler 0.65 the skeletons agree but the spellings
		// hardly do (ayzidori / star, asang / zeng): the likeness falls
		// off steeply, under 0.8 by 0.6 and out of reach by about 0.48.
		jw := normalize.JaroWinkler(q, c)
		s := phonBase + (0.98-phonBase)*math.Max(0, math.Min(1, (jw-0.6)/0.4))
		if jw < 0.65 {
			s -= 1.5 * (0.65 - jw)
		}
		best, kind = s, interdict.MatchPhonetic
	}
	if best < 0.9 && pluralPair(q, c) {
		best, kind = 0.9, interdict.MatchTypo
	}
	n := min(lq, lc)
	if b := editBudget(n); b > 0 && float64(max(lq-lc, lc-lq)) <= 2*b &&
		float64(max(bits.OnesCount64(qm&^cm), bits.OnesCount64(cm&^qm))) <= 2*b && bagDistance(q, c) <= 2*b {
		if d := editCost(q, c, b); d <= b {
			// A slip of one letter in a typed name is the commonest
			// error; a romanization from another script differs from
			// the listed spelling in more ways, so its edits count more.
			per := 0.08 + 0.5/float64(max(lq, lc))
			if !typed {
				per = 0.1 + 0.6/float64(max(lq, lc))
			}
			s := 1 - d*per
			if s > best {
				best, kind = s, interdict.MatchTypo
			}
		}
	}
	// Two different pinyin spellings are two Chinese names, however alike
	// their letters (Ying / Yang, Yin / Yun, Peng / Ping); one of more
	// syllables than the other is another given name (Tianyu / Tian). This
	// holds for names typed in Latin letters and romanized from Hangul or
	// Han (syllabic), as the gendered forms hold for typed names: the
	// vowels of a name romanized from Arabic or Cyrillic are a guess.
	if (typed || syllabic) && best > pinyinOther && qpy > 0 && cpy > 0 && (kind == interdict.MatchPhonetic || kind == interdict.MatchTypo) {
		// A slip in a name of several syllables (Jiarui / Jiaruo) may
		// still be one; in one syllable it makes another name (Bin /
		// Bing).
		if qpy != cpy {
			best = pinyinLonger
		} else if qpy == 1 || normalize.JaroWinkler(q, c) < 0.9 {
			best = pinyinOther
		}
	}
	// A Lithuanian or Latvian name is the name with a case ending
	// (Putinas / Putin, Vladimirs / Vladimir, Andrius / Andriu).
	if typed && best < balticSim && balticPair(q, c) {
		best, kind = balticSim, interdict.MatchTypo
	}
	// Forms of one East Slavic given name, or patronymics on them, in
	// different languages (Andriy/Andrey, Mykolayovych/Nikolaevich) are
	// alike as nicknames are.
	if best < 0.9 && nick && normalize.SameGivenName(q, c) {
		best, kind = 0.9, interdict.MatchNickname
	}
	// Romanizations of one Korean surname (Cho/Jo, Pak/Park, Ri/Lee).
	if best < 0.9 && lq <= 6 && lc <= 6 && normalize.SameKoreanSurname(q, c) {
		best, kind = 0.9, interdict.MatchPhonetic
	}
	// One name in two languages' spellings (Marozau/Morozov, Cebrail/Jebrail).
	if best < 0.9 && normalize.SameSpelling(q, c) {
		best, kind = 0.9, interdict.MatchPhonetic
	}
	return best, kind
}

// tokSim is how alike a query token (or one of its alternatives) and an
// entity token are, with the kind of likeness, 0 when the token may not pair
// with that kind; alt is -1.
func (ix *Index) tokSim(sc *scratch, q *qtok, c *ctok) (float64, interdict.MatchKind, int8) {
	s, k := ix.sim(sc, q.slot, c.id)
	if q.guess {
		if k == interdict.MatchPhonetic {
			s = guessPhonetic(q.text, c.text, s)
		}
		if s < 0.9 && q.sound {
			if g := guessSound(q.text, c.text); g > s {
				s, k = g, interdict.MatchPhonetic
			}
		}
		if q.src != "" && s < 0.97 && c.class == normalize.ClassName {
			key := uint64(q.srcID)<<32 | uint64(c.id)
			g, ok := sc.like[key]
			if !ok {
				g = srcLikeness(q.src, c.text, q.sound)
				if sc.like == nil {
					sc.like = map[uint64]float64{}
				}
				sc.like[key] = g
			}
			if g > s {
				s, k = g, interdict.MatchPhonetic
			}
		}
	}
	if !q.allows(k) {
		return 0, "", -1
	}
	return s, k, -1
}

// srcLikeness is the likeness of a name part and the word of another
// script a guessed token spells, by normalize.Likeness: from 0.82 to 0.97
// for a likeness from the script's floor to 0.7, nothing below. han says
// the word is a foreign name transcribed into Chinese.
//
// The floors were chosen on the dev split. For Han, at 0.15, 0.20 and 0.25
// the dev Han cross-script pairs found were 160, 143 and 130 of 319 (90
// without the likeness) and the dev Han false alerts 7, 5 and 3 of 4,000
// (2 without): 0.25 keeps them under 0.1%. For Hebrew, 0.25 found 274 of
// 321 dev Hebrew pairs (237 without) at the same 2 false alerts. For
// Arabic, 0.25 found 594 of 690 (567 without) but false alerts rose from
// 2 to 7 of 4,000, against organisation names; 0.35 and 0.45 found 582
// and 575 at 2. For Cyrillic, 0.30, 0.25 and 0.20 found 1192, 1200 and
// 1207 of 1339 (1176 without) at 1, 1 and 2 false alerts. On the held-out
// token pairs a likeness of 0.25 or more
// holds for 47% of true Chinese pairs and 82% of Hebrew and Arabic ones,
// and under one random pair in 2,500. Only name parts are compared so:
// a generic word of a company's name is not a spelling of a person's.
func srcLikeness(w, c string, han bool) float64 {
	if len(c) < 2 {
		return 0
	}
	floor := hebrewLikenessMin
	switch {
	case han:
		floor = hanLikenessMin
	case w[0] >= 0xd8 && w[0] <= 0xdb: // an Arabic letter's first byte
		floor = arabicLikenessMin
	case w[0] == 0xd0 || w[0] == 0xd1 || w[0] == 0xd2 || w[0] == 0xd3: // Cyrillic
		floor = cyrillicLikenessMin
	}
	r := normalize.Likeness(w, c)
	if r < floor {
		return 0
	}
	return 0.82 + 0.15*math.Min(1, (r-floor)/(0.7-floor))
}

const (
	hanLikenessMin      = 0.25
	hebrewLikenessMin   = 0.25
	arabicLikenessMin   = 0.35
	cyrillicLikenessMin = 0.25
)

// guessPhonetic is the likeness of a guessed spelling and a token with the
// same consonant skeleton: below Jaro-Winkler 0.85 it falls off steeply
// (baschuai / bach, andyl / anaytullah).
func guessPhonetic(q, c string, s float64) float64 {
	if jw := normalize.JaroWinkler(q, c); jw < guessJW {
		s -= 2 * (guessJW - jw)
	}
	if isVowelByte(q[0]) != isVowelByte(c[0]) {
		// The guess added or dropped a syllable at the start (oman / man).
		s -= 0.1
	}
	return s
}

// guessSound is the likeness of a guessed spelling of a name transcribed
// into Chinese and a name part, by the sounds the transcription keeps: l and
// r are one sound in it, and so are d and t (Helena is 海伦娜, Herenna
// spelled back). Two tokens with the same skeleton under those merges are
// alike from 0.80 to 0.92 by their Jaro-Winkler similarity from 0.75 up;
// 0 otherwise.
func guessSound(q, c string) float64 {
	if len(q) < 3 || len(c) < 3 || q[0] != c[0] && !(isVowelByte(q[0]) && isVowelByte(c[0])) && soundClass(q[0]) != soundClass(c[0]) {
		return 0
	}
	kq, kc := soundKey(q), soundKey(c)
	if kq != kc || len(kq) < 2 {
		return 0
	}
	jw := normalize.JaroWinkler(q, c)
	if jw < 0.75 {
		return 0
	}
	return 0.8 + 0.12*math.Min(1, (jw-0.75)/0.2)
}

func isVowelByte(b byte) bool { return strings.IndexByte("aeiouy", b) >= 0 }

// soundClass maps a letter to the class of sounds a transcription into
// Chinese does not tell apart.
func soundClass(b byte) byte {
	switch b {
	case 'r':
		return 'l'
	case 'd':
		return 't'
	case 'p':
		return 'b'
	case 'c', 'g', 'q':
		return 'k'
	case 'v', 'w':
		return 'f'
	case 'z':
		return 's'
	}
	return b
}

// soundKey is the consonant skeleton of a token in soundClass letters.
func soundKey(s string) string {
	k := []byte(normalize.Skeleton(s))
	out := k[:0]
	for _, b := range k {
		b = soundClass(b)
		if len(out) > 0 && out[len(out)-1] == b {
			continue
		}
		out = append(out, b)
	}
	return string(out)
}

// guessJW is the Jaro-Winkler similarity under which a guessed spelling's
// phonetic likeness falls off.
const guessJW = 0.85

// pluralPair reports whether two tokens are an English plural in -ies and
// its singular in -y (industries / industry), which is more edits than a
// typo allows.
func pluralPair(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	return len(b) >= 5 && len(a) == len(b)+2 && strings.HasSuffix(a, "ies") && b[len(b)-1] == 'y' && a[:len(b)-1] == b[:len(b)-1]
}

// sameStart reports whether two tokens of one-letter skeleton may be the
// same name: they start with the same letter, or both with a vowel
// (Li/Lee, Oday/Uday, but not Zaw/Soe).
func sameStart(a, b byte) bool {
	return a == b || strings.IndexByte("aeiouy", a) >= 0 && strings.IndexByte("aeiouy", b) >= 0
}

// bagDistance is the larger of the numbers of letters of a not in b and of
// b not in a, as multisets (bytes are compared on their low six bits, which
// tells apart the letters and digits tokens are made of and can only make
// the distance smaller). Every edit but a transposition changes it by
// at most one and costs at least 0.5 (see editCost), so editCost(a, b) >=
// bagDistance(a, b)/2.
func bagDistance(a, b string) float64 {
	var cnt [64]int8
	for i := 0; i < len(a); i++ {
		cnt[a[i]&63]++
	}
	for i := 0; i < len(b); i++ {
		cnt[b[i]&63]--
	}
	pos, neg := 0, 0
	for i := 0; i < len(a); i++ {
		if v := cnt[a[i]&63]; v > 0 {
			pos += int(v)
		}
		cnt[a[i]&63] = 0
	}
	for i := 0; i < len(b); i++ {
		if v := cnt[b[i]&63]; v < 0 {
			neg -= int(v)
		}
		cnt[b[i]&63] = 0
	}
	return float64(max(pos, neg))
}

// edge is a candidate pairing of one or two adjacent query tokens with one or
// two adjacent entity tokens.
type edge struct {
	qi, qn, ci, cn int
	sim            float64
	kind           interdict.MatchKind
	w              float64
	alt            int8 // the query token's alternative paired, or -1
}

// alignment is the outcome of aligning a query form with an entity form.
type alignment struct {
	score     float64
	edges     []edge
	qmatched  []bool
	cmatched  []bool
	numberBad bool
	nameHit   bool
}

// align scores a query form against an entity form into al and returns
// the score. lambda is the weight of entity tokens left unmatched relative
// to query tokens left unmatched. Token similarities come from the query's
// memo in sc.
func (ix *Index) align(sc *scratch, q []qtok, c []ctok, lambda float64, al *alignment) float64 {
	edges := al.edges[:0]
	rows := sc.rows[:0]
	for j := range c {
		rows = append(rows, ix.memoRow(sc, c[j].id))
	}
	sc.rows = rows
	for i := range q {
		qTitle := q[i].class == normalize.ClassTitle
		for j := range c {
			s, k := ix.simAt(sc, q[i].slot, c[j].id, rows[j])
			alt := int8(-1)
			if q[i].guess || len(q[i].alts) > 0 {
				s, k, alt = ix.tokSim(sc, &q[i], &c[j])
				for a := range q[i].alts {
					if s2, k2, _ := ix.tokSim(sc, &q[i].alts[a], &c[j]); s2 > s {
						s, k, alt = s2, k2, int8(a)
					}
				}
			} else if !q[i].allows(k) {
				continue
			}
			if s < 0.6 {
				continue
			}
			// A guessed spelling pairs with a legal form only exactly
			// ("stl" is not SAL).
			if k != interdict.MatchExact && isLegal(c[j].text, c[j].class) && (sc.abjad || alt < 0 && q[i].guess || alt >= 0 && q[i].alts[alt].guess) {
				continue
			}
			// A title pairs only exactly: with the same word taken as a
			// name part on the other side ("FAZLULLAH Maulana" / "Maulana
			// FAZLULLAH"), or with itself, where it weighs nothing but
			// leaves no word of the name unpaired ("MS-13").
			if cTitle := c[j].class == normalize.ClassTitle; (qTitle || cTitle) && k != interdict.MatchExact {
				continue
			}
			// An initial stands for a name part, not for a one-letter legal
			// form or particle (the s of Obshchestvo s Ogranichennoi ...).
			if k == interdict.MatchInitial && (len(q[i].text) == 1 && q[i].class != normalize.ClassName || len(c[j].text) == 1 && (c[j].class != normalize.ClassName || !sc.initials)) {
				continue
			}
			qs := q[i : i+1]
			if alt >= 0 {
				qs = q[i].alts[alt : alt+1]
			}
			w := edgeWeight(qs, c[j:j+1], k)
			edges = append(edges, edge{i, 1, j, 1, s, k, w, alt})
		}
	}
	// Joined and split tokens: two adjacent tokens on one side against one on
	// the other ("bin laden" / "binladen").
	for i := 0; i+1 < len(q); i++ {
		if q[i].jslot < 0 && len(q[i].alts) == 0 {
			continue
		}
		for j := range c {
			s, k := 0.0, interdict.MatchKind("")
			if q[i].jslot >= 0 {
				s, k = ix.simAt(sc, q[i].jslot, c[j].id, rows[j])
				if !q[i].allows(k) || q[i+1].exact && k != interdict.MatchExact {
					s = 0
				}
			}
			// The joins of the merged form's alternatives.
			for a := range q[i].alts {
				at := &q[i].alts[a]
				if at.jslot < 0 {
					continue
				}
				if s2, k2 := ix.simAt(sc, at.jslot, c[j].id, rows[j]); s2 > s && at.allows(k2) {
					s, k = s2, k2
				}
			}
			if joinedOK(s, k) {
				edges = append(edges, edge{i, 2, j, 1, math.Min(s, 0.97), interdict.MatchJoined, edgeWeight(q[i:i+2], c[j:j+1], k), -1})
			}
		}
	}
	for j := 0; j+1 < len(c); j++ {
		if c[j].join == noJoin {
			continue
		}
		row := ix.memoRow(sc, c[j].join)
		for i := range q {
			s, k := ix.simAt(sc, q[i].slot, c[j].join, row)
			if !q[i].allows(k) {
				s = 0
			}
			alt := int8(-1)
			for a := range q[i].alts {
				at := &q[i].alts[a]
				if s2, k2 := ix.sim(sc, at.slot, c[j].join); s2 > s && at.allows(k2) {
					s, k, alt = s2, k2, int8(a)
				}
			}
			if joinedOK(s, k) {
				edges = append(edges, edge{i, 1, j, 2, math.Min(s, 0.97), interdict.MatchJoined, edgeWeight(q[i:i+1], c[j:j+2], k), alt})
			}
		}
	}
	// Acronyms: a token spelling the initials of a run of words on the
	// other side (NPO / Novosibirskoe Proizvodstvennoe Obedinenie). The run
	// holds a generic word (acronymOf): a side without one has no run.
	cGeneric, qGeneric := false, false
	for j := range c {
		cGeneric = cGeneric || c[j].class == normalize.ClassGeneric
	}
	for i := range q {
		qGeneric = qGeneric || q[i].class == normalize.ClassGeneric
	}
	for i := range q {
		if !cGeneric {
			break
		}
		if !q[i].acronym {
			continue
		}
		for j := range c {
			if n := len(q[i].text); c[j].text != "" && c[j].text[0] == q[i].text[0] && acronymOf(q[i].text, c[j:], n) {
				edges = append(edges, edge{i, 1, j, n, acronymSim, interdict.MatchInitial, edgeWeight(q[i:i+1], c[j:j+n], interdict.MatchInitial), -1})
			}
		}
	}
	for j := range c {
		if !qGeneric {
			break
		}
		if !acronymLike(c[j].text, c[j].class) {
			continue
		}
		for i := range q {
			if n := len(c[j].text); q[i].text != "" && q[i].text[0] == c[j].text[0] && !q[i].strict && acronymOf(c[j].text, q[i:], n) {
				edges = append(edges, edge{i, n, j, 1, acronymSim, interdict.MatchInitial, edgeWeight(q[i:i+n], c[j:j+1], interdict.MatchInitial), -1})
			}
		}
	}
	// Best pairs first (a stable insertion sort: the lists are short).
	for a := 1; a < len(edges); a++ {
		e := edges[a]
		b := a
		for b > 0 && edgeBefore(&e, &edges[b-1]) {
			edges[b] = edges[b-1]
			b--
		}
		edges[b] = e
	}
	al.edges = edges
	al.qmatched = resetBools(al.qmatched, len(q))
	al.cmatched = resetBools(al.cmatched, len(c))
	al.score, al.numberBad, al.nameHit = 0, false, false
	n, named, lone := 0, 0, -1
	var num, den float64
	for _, e := range edges {
		free := true
		for k := e.qi; k < e.qi+e.qn; k++ {
			free = free && !al.qmatched[k]
		}
		for k := e.ci; k < e.ci+e.cn; k++ {
			free = free && !al.cmatched[k]
		}
		if !free {
			continue
		}
		// Numbers match numbers exactly or not at all.
		if (q[e.qi].class == normalize.ClassNumber || c[e.ci].class == normalize.ClassNumber) && e.kind != interdict.MatchExact {
			continue
		}
		for k := e.qi; k < e.qi+e.qn; k++ {
			al.qmatched[k] = true
		}
		for k := e.ci; k < e.ci+e.cn; k++ {
			al.cmatched[k] = true
		}
		edges[n] = e
		n++
		num += e.sim * e.w
		den += e.w
		if e.sim >= 0.75 && (q[e.qi].class == normalize.ClassName || c[e.ci].class == normalize.ClassName) && e.kind != interdict.MatchInitial &&
			q[e.qi].class != normalize.ClassTitle && c[e.ci].class != normalize.ClassTitle {
			al.nameHit = true
			named++
			lone = n - 1
		}
	}
	// A name that rests on one inexact likeness of tokens joined against one
	// needs more than that likeness: its shortfall counts four times
	// ("Pole Gord" is not Belgorod, "k hrla" not Kherullah).
	if named == 1 && edges[lone].kind == interdict.MatchJoined && edges[lone].sim < 0.97 {
		e := &edges[lone]
		s := math.Max(0, 1-4*(1-e.sim))
		num -= (e.sim - s) * e.w
		e.sim = s
	}
	// A name with no close pair of name parts (none at 0.9 or more, exact,
	// joined, or of the same class on both sides) gets no help from a query
	// name part paired inexactly with a legal form or generic word of the
	// entity: that pair counts as unmatched ("ayzidori stok" is not JOINT
	// STOCK COMPANY STAR).
	if named > 0 {
		strong := false
		for _, e := range edges[:n] {
			if e.sim >= 0.9 && (e.kind == interdict.MatchExact || e.cn > 1 || c[e.ci].class == normalize.ClassName || c[e.ci].class == q[e.qi].class) {
				strong = true
				break
			}
		}
		if !strong {
			for k := range edges[:n] {
				e := &edges[k]
				if e.kind != interdict.MatchExact && e.qn == 1 && e.cn == 1 && q[e.qi].class == normalize.ClassName && c[e.ci].class != normalize.ClassName {
					num -= e.sim * e.w
					e.sim = 0
				}
			}
		}
	}
	al.edges = edges[:n]
	// A patronymic on one side only costs a fraction of its weight; two
	// names that carry different patronymics still differ on them.
	qPatr, cPatr := false, false
	for i := range q {
		qPatr = qPatr || q[i].patr && !al.qmatched[i]
	}
	for j := range c {
		cPatr = cPatr || c[j].patr && !al.cmatched[j]
	}
	patrCheap := qPatr != cPatr
	qNum, cNum := false, false
	var qLegal, cLegal float64 // unmatched legal forms
	// A query name part of a person left unmatched between two matched
	// ones is a middle name the listed name lacks (HAYDAR, Muhammad Ali /
	// HAYDAR, Muhammad): lists often give a person's given name and surname
	// only, so it costs middleNameCost of its weight. Elsewhere it costs
	// extraNameCost when every name part of the listed name is matched, the
	// listed name being a short form of the query's (BEHZAD BSTAKI, Ahmad
	// Abdullah / BEHZAD, Ahmad Abdulla). A syllable romanized from Han or
	// Hangul is half of a given name, not a name of its own (Zhang Yan Lei
	// is not ZHANG, Lei).
	qfirst, qlast := -1, -1
	cAll := false
	if sc.initials {
		for i, m := range al.qmatched {
			if m {
				if qfirst < 0 {
					qfirst = i
				}
				qlast = i
			}
		}
		cAll = qfirst < qlast
		for j, m := range al.cmatched {
			if !m && c[j].class == normalize.ClassName {
				cAll = false
			}
		}
	}
	for i, m := range al.qmatched {
		if !m {
			if isLegal(q[i].text, q[i].class) && !(sc.abjad && len(q[i].text) <= 3) {
				qLegal += float64(q[i].w)
				continue
			}
			if patrCheap && q[i].patr {
				den += patronymicCost * float64(q[i].w)
				continue
			}
			if i > qfirst && i < qlast && q[i].class == normalize.ClassName && !q[i].strict {
				den += middleNameCost * float64(q[i].w)
				continue
			}
			if cAll && q[i].class == normalize.ClassName && !q[i].strict {
				den += extraNameCost * float64(q[i].w)
				continue
			}
			den += float64(q[i].w)
			qNum = qNum || q[i].class == normalize.ClassNumber
		}
	}
	// An entity token left unmatched between two matched ones is a middle
	// name or patronymic the query lacks: it counts for two thirds of one
	// at either end.
	first, last := -1, -1
	for j, m := range al.cmatched {
		if m {
			if first < 0 {
				first = j
			}
			last = j
		}
	}
	// Between two Chinese names in pinyin, a listed syllable left over is
	// half of a given name the query does not have (Zhang Ming is not
	// MING SUAN ZHANG): it costs its whole weight.
	// The same holds between two names written in Han (or Hangul): the
	// entity's name is then in the query's script (王军 is not 王君正).
	chinese := (sc.latinName && sc.typed || sc.syllabic) && pinyinName(q, c)
	for j, m := range al.cmatched {
		if !m {
			l := lambda
			if j > first && j < last {
				l *= 2.0 / 3
			}
			// So does a syllable of a listed Korean name against a query in
			// Hangul, which romanizes as a family name and one given name
			// (김상우, Kim Sangu, is not Sung Su KIM).
			if (chinese || sc.hangul && len(c[j].text) <= 5) && c[j].class == normalize.ClassName {
				l = 1
			}
			if patrCheap && c[j].patr {
				l *= patronymicCost
			}
			if isLegal(c[j].text, c[j].class) {
				cLegal += l * float64(c[j].w)
				continue
			}
			den += l * float64(c[j].w)
			cNum = cNum || c[j].class == normalize.ClassNumber
		}
	}
	// A legal form of a kind the other name has too, in whatever words
	// (JSC / Aktsionernoe Obshchestvo), costs nothing; two names that differ
	// in their legal forms ("Corp" / "Ltd") differ once, not on both sides.
	if qLegal > 0 || cLegal > 0 {
		if qLegal > 0 {
			if qu, ok := legalKinds(q, al.qmatched, true); ok {
				if ca, _ := legalKinds(c, al.cmatched, false); qu&^ca == 0 {
					qLegal = 0
				}
			}
		}
		if cLegal > 0 {
			if cu, ok := legalKinds(c, al.cmatched, true); ok {
				if qa, _ := legalKinds(q, al.qmatched, false); cu&^qa == 0 {
					cLegal = 0
				}
			}
		}
	}
	if qLegal > 0 && cLegal > 0 {
		den += math.Max(qLegal, cLegal)
	} else {
		den += qLegal + cLegal
	}
	if den == 0 {
		return 0
	}
	al.score = num / den
	// Each name part paired beyond three makes a chance likeness less
	// likely: the score closes part of its gap to 1 (a five-part Arabic
	// name whose every part pairs at about 0.8).
	if named >= 4 {
		al.score += (1 - al.score) * manyNamesGain * float64(min(named-3, 3))
	}
	// Two or more name parts each only faintly alike (Elisa Lopes / LUIS
	// LOPEZ, Chaeeun Yun / YIN CHEIN): no pair exact, a nickname or at
	// looseMin or more. Each likeness alone is a plausible spelling, but
	// a whole name of them is most often another name: the score loses
	// looseCost. Both names must be written in Latin letters, or the
	// query in Hangul, which romanizes by rule: spellings guessed from
	// another script (Arabic or Hebrew without its vowels, Han) are faint
	// by nature.
	if named >= 2 && sc.latinName && (sc.typed || sc.hangul) {
		loose := true
		for _, e := range al.edges {
			if e.kind == interdict.MatchExact || e.kind == interdict.MatchNickname || e.sim >= looseMin {
				loose = false
				break
			}
		}
		if loose {
			al.score -= looseCost
		}
	} else if named == 2 && sc.guessed && !sc.abjad {
		// A query in Cyrillic is met through guessed romanizations,
		// whose likenesses run lower: its
		// name is loose when no pair is exact, a nickname or at
		// guessLooseMin, or when one of two parts is paired below
		// guessWeakMin with none at guessStrongMin. For Arabic and Hebrew
		// the rule cost more cross-script pairs than it saved false alerts.
		loose, weakest, strongest := true, 1.0, 0.0
		for _, e := range al.edges {
			if e.kind == interdict.MatchExact || e.kind == interdict.MatchNickname || e.sim >= guessLooseMin {
				loose = false
			}
			if e.kind != interdict.MatchInitial && e.sim >= 0.75 {
				weakest = math.Min(weakest, e.sim)
			}
			strongest = math.Max(strongest, e.sim)
		}
		if loose || weakest < guessWeakMin && strongest < guessStrongMin {
			al.score -= looseCost
		}
	}
	// Between two names written in Han, the order of the given name's
	// syllables is the name: 王政君 is not 王君正, though every character
	// pairs. Pairs that cross cost hanOrderCost.
	if sc.syllabic && !sc.hangul && !sc.latinName && crossed(al.edges) {
		al.score -= hanOrderCost
	}
	if qNum && cNum {
		al.numberBad = true
		al.score *= 0.7
	}
	if !al.nameHit && (fullGeneric(q, c, al) || wholeName(q, c, al, qLegal+cLegal == 0)) {
		// A name made only of generic words ("Islamic Group", "Industrial
		// Bank") matches when all of its words do; so does a name written
		// word for word as listed, whatever its words (AL-QAIDA, IRGC,
		// MS-13, KB LINES LTD).
		al.nameHit = true
	}
	if !al.nameHit {
		// A legal form, title, stopword, generic word or number alone never
		// matches.
		al.score = math.Min(al.score, 0.3) * 0.5
	}
	return al.score
}

// middleNameCost and extraNameCost are the parts of its weight that a
// query person's name part the listed name lacks costs, in the middle of
// the name and elsewhere (see align). On the dev split, extraNameCost 0.7,
// 0.6 and 0.5 found 714, 715 and 715 of the 768 same-script pairs, with the
// false alerts unchanged.
const middleNameCost, extraNameCost = 0.4, 0.6

// genderedPair reports whether two tokens typed in Latin letters are the
// feminine and masculine forms of one name (Paul / Paula, Joan / Joanna, Carlo / Carla, Ivanov /
// Ivanova): a woman is not the listed man, however alike the letters.
func genderedPair(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) < 3 {
		return false
	}
	switch {
	case len(b) == len(a)+1 && b[len(a)] == 'a' && !isVowelByte(a[len(a)-1]):
		return b[:len(a)] == a // Paul / Paula, Daniel / Daniela
	case len(b) == len(a)+2 && strings.HasSuffix(b, "na") && a[len(a)-1] == 'n':
		return b[:len(a)] == a // Joan / Joanna
	case len(a) == len(b) && len(a) >= 4:
		x, y := a[len(a)-1], b[len(b)-1]
		return (x == 'o' && y == 'a' || x == 'a' && y == 'o') && a[:len(a)-1] == b[:len(b)-1] // Carlo / Carla
	}
	return false
}

// pinyinName reports whether every name part of both names is spelled by
// pinyin syllables.
func pinyinName(q []qtok, c []ctok) bool {
	for i := range q {
		if q[i].class == normalize.ClassName && !q[i].pinyin {
			return false
		}
	}
	for j := range c {
		if c[j].class == normalize.ClassName && !c[j].pinyin {
			return false
		}
	}
	return true
}

// balticSim is the likeness of a name and its Lithuanian or Latvian form.
const balticSim = 0.95

// balticPair reports whether the longer of two tokens is the shorter with a
// Lithuanian or Latvian nominative ending: -as, -is, -us, -ys, -s or -ius.
func balticPair(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) < 3 || !strings.HasPrefix(b, a) {
		return false
	}
	switch b[len(a):] {
	case "as", "is", "us", "ys", "ius":
		return true
	case "s":
		return !isVowelByte(a[len(a)-1]) || a[len(a)-1] == 'i'
	}
	return false
}

// pinyinOther and pinyinLonger are the likeness of two different pinyin
// spellings of as many syllables and of different numbers of syllables
// (see tokenSimFast).
const pinyinOther, pinyinLonger = 0.65, 0.6

// looseMin and looseCost: see align.
const looseMin, looseCost = 0.95, 0.06

// hanOrderCost is the cost of pairs out of order between two names written
// in Han (see align).
const hanOrderCost = 0.25

// crossed reports whether two pairs of an alignment cross: one pairs an
// earlier query token with a later entity token than the other.
func crossed(edges []edge) bool {
	for a := range edges {
		for b := a + 1; b < len(edges); b++ {
			if (edges[a].qi < edges[b].qi) != (edges[a].ci < edges[b].ci) {
				return true
			}
		}
	}
	return false
}

// guessLooseMin and guessWeakMin: the loose names of a query in another
// script than Latin (see align).
const guessLooseMin, guessWeakMin, guessStrongMin = 0.85, 0.8, 0.94

// manyNamesGain is the share of the gap to 1 that each name part paired
// beyond three closes (see align): on the dev split it found 4 more
// Arabic cross-script pairs of five names and more, with false alerts and
// same-script pairs unchanged.
const manyNamesGain = 0.1

// acronymSim is the likeness of an acronym and the words it abbreviates.
// It pairs as an initial, so it never makes a match alone.
const acronymSim = 0.9

// acronymLike reports whether a token may be an acronym: two to five
// letters of a name part, generic word or legal form (NPO, Nauchno-
// Proizvodstvennoe Obedinenie, is one in rigour's table).
func acronymLike(s string, c normalize.Class) bool {
	if len(s) < 2 || len(s) > 5 || c != normalize.ClassName && c != normalize.ClassGeneric && c != normalize.ClassLegalForm {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// acronymOf reports whether the first n tokens of toks are words (two
// letters at least, no numbers) whose initials spell acr, one of them at
// least a generic word: the run must read as the words of an
// organisation's name (Torgovyi Dom, Production Association), not as a
// person's names (B.S. is not Brindel Sarahiba); legal forms against
// their initials are left to the legal-form kinds (OAO / Otkrytoe
// Aktsionernoe Obshchestvo).
func acronymOf[T token](acr string, toks []T, n int) bool {
	if len(toks) < n {
		return false
	}
	generic := false
	for k := 0; k < n; k++ {
		t, cl := toks[k].textClass()
		if len(t) < 2 || t[0] != acr[k] || cl == normalize.ClassNumber || cl == normalize.ClassTitle {
			return false
		}
		generic = generic || cl == normalize.ClassGeneric
	}
	return generic
}

// token is what legalKinds needs of a query or entity token.
type token interface {
	qtok | ctok
	textClass() (string, normalize.Class)
}

func (t qtok) textClass() (string, normalize.Class) { return t.text, t.class }
func (t ctok) textClass() (string, normalize.Class) { return t.text, t.class }

// legalKinds returns the set of the kinds (normalize.LegalForm) of a name's
// legal forms (only the unmatched ones when unmatched is set), taking each
// run of adjacent ones as one phrase when it is a known legal form and word
// by word otherwise, as a bit set; ok is false when one of them is of no
// known kind.
func legalKinds[T token](toks []T, matched []bool, unmatched bool) (set uint64, ok bool) {
	in := func(i int) bool {
		t, cl := toks[i].textClass()
		return !(matched[i] && unmatched) && isLegal(t, cl)
	}
	ok = true
	var buf [64]byte
	for i := 0; i < len(toks); {
		if !in(i) {
			i++
			continue
		}
		j := i + 1
		for j < len(toks) && in(j) {
			j++
		}
		if j-i > 1 {
			b := buf[:0]
			for k := i; k < j; k++ {
				t, _ := toks[k].textClass()
				if k > i {
					b = append(b, ' ')
				}
				b = append(b, t...)
			}
			if g, found := normalize.LegalForm(string(b)); found {
				set |= legalBit(g)
				i = j
				continue
			}
		}
		for k := i; k < j; k++ {
			t, _ := toks[k].textClass()
			g, found := normalize.LegalForm(t)
			if !found {
				ok = false
				continue
			}
			set |= legalBit(g)
		}
		i = j
	}
	return set, ok
}

// legalBit maps a legal-form kind to a bit.
func legalBit(g string) uint64 {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(g); i++ {
		h = (h ^ uint64(g[i])) * 1099511628211
	}
	return 1 << (h & 63)
}

func edgeBefore(ea, eb *edge) bool {
	if ea.sim != eb.sim {
		return ea.sim > eb.sim
	}
	if ea.w != eb.w {
		return ea.w > eb.w
	}
	if ea.qi != eb.qi {
		return ea.qi < eb.qi
	}
	return ea.ci < eb.ci
}

func resetBools(b []bool, n int) []bool {
	if cap(b) < n {
		return make([]bool, n)
	}
	b = b[:n]
	clear(b)
	return b
}

// fullGeneric reports whether the entity form has no ordinary name part and
// every generic or name token on both sides is matched, two at least.
func fullGeneric(q []qtok, c []ctok, al *alignment) bool {
	n := 0
	for j, t := range c {
		switch t.class {
		case normalize.ClassName:
			return false
		case normalize.ClassGeneric, normalize.ClassNumber:
			if !al.cmatched[j] {
				return false
			}
			n++
		}
	}
	for i, t := range q {
		if (t.class == normalize.ClassName || t.class == normalize.ClassGeneric || t.class == normalize.ClassNumber) && !al.qmatched[i] {
			return false
		}
	}
	return n >= 2
}

// wholeName reports whether the query and the entity form are the same
// words: every token on both sides paired exactly, one to one, but legal
// forms, which may instead be of one kind on both sides (legalSame, "OOO" /
// "Obshchestvo s Ogranichennoi Otvetstvennostyu"), and one word at least
// that is more than a legal form, title, particle or stopword. Such a name
// matches on all of its words together, as written, even when none of them
// is an ordinary name part.
func wholeName(q []qtok, c []ctok, al *alignment, legalSame bool) bool {
	for _, e := range al.edges {
		if e.kind != interdict.MatchExact || e.qn != 1 || e.cn != 1 {
			return false
		}
	}
	content, all, letters := false, true, 0
	for i, t := range q {
		legal := isLegal(t.text, t.class)
		if !al.qmatched[i] {
			if !(legal && legalSame) {
				return false
			}
			all = false
		}
		if !legal && t.class != normalize.ClassTitle && t.class != normalize.ClassParticle && t.class != normalize.ClassStopword {
			content = true
		}
		letters += len(t.text)
	}
	for j, t := range c {
		if !al.cmatched[j] {
			if !(isLegal(t.text, t.class) && legalSame) {
				return false
			}
			all = false
		}
	}
	// A name of two words or more, every one of them paired exactly, is
	// the listed name even when each word alone would say nothing (the
	// tail number YK-AND, AR.P.C., N.V. Co).
	return content || all && len(q) >= 2 && len(q) == len(c) && letters >= 4
}

// joinedOK reports whether a token and two adjacent tokens joined are alike
// enough to pair: similarity 0.8 at least, and for a phonetic likeness a
// close spelling too (Jaro-Winkler 0.8 and more), since long joined
// strings share a consonant skeleton by chance ("kost tan" / Ghayasudin).
func joinedOK(s float64, k interdict.MatchKind) bool {
	return s >= 0.8 && (k != interdict.MatchPhonetic || s >= 0.92)
}

// edgeWeight is the weight of a pair: the mean of the weights of its two
// sides. A query token the index does not know takes the weight of the
// entity tokens it pairs with (a misspelling of a common token is common),
// unless those are not name parts or it pairs as an initial: then it keeps
// its own weight, so that a long unknown token matched to a letter or a
// legal form does not vanish from the score.
func edgeWeight(q []qtok, c []ctok, k interdict.MatchKind) float64 {
	var wq, wc float64
	named := false
	for _, t := range c {
		wc += float64(t.w)
		named = named || t.class == normalize.ClassName && len(t.text) > 1
	}
	for _, t := range q {
		if t.known || !named || k == interdict.MatchInitial {
			wq += float64(t.w)
		} else {
			wq += wc / float64(len(q))
		}
	}
	return (wq + wc) / 2
}

// explainAlignment renders an alignment for an Explanation. It reorders
// al.edges by query token (their query tokens are disjoint, so the order is
// total).
func explainAlignment(q []qtok, c []ctok, al *alignment, latinQuery bool, latinName bool) ([]interdict.TokenMatch, []string, []string) {
	var total float64
	for _, e := range al.edges {
		total += e.w
	}
	for i, m := range al.qmatched {
		if !m {
			total += float64(q[i].w)
		}
	}
	edges := al.edges
	slices.SortFunc(edges, func(a, b edge) int { return cmp.Compare(a.qi, b.qi) })
	var tm []interdict.TokenMatch
	if len(edges) > 0 {
		tm = make([]interdict.TokenMatch, 0, len(edges))
	}
	for _, e := range edges {
		qtext := func(k int) string {
			if e.alt >= 0 {
				return q[k].alts[e.alt].text
			}
			return q[k].text
		}
		qs := qtext(e.qi)
		for k := e.qi + 1; k < e.qi+e.qn; k++ {
			qs += " " + qtext(k)
		}
		cs := c[e.ci].text
		for k := e.ci + 1; k < e.ci+e.cn; k++ {
			cs += " " + c[k].text
		}
		kind := e.kind
		if (!latinQuery || !latinName) && (kind == interdict.MatchExact || kind == interdict.MatchPhonetic) {
			kind = interdict.MatchTransliteration
		}
		w := 0.0
		if total > 0 {
			w = round3(e.w / total)
		}
		tm = append(tm, interdict.TokenMatch{Query: qs, Entity: cs, Similarity: round3(e.sim), Kind: kind, Weight: w})
	}
	var uq, uc []string
	for i, m := range al.qmatched {
		if !m {
			uq = append(uq, labelTok(q[i].text, q[i].class))
		}
	}
	for j, m := range al.cmatched {
		if !m {
			uc = append(uc, labelTok(c[j].text, c[j].class))
		}
	}
	return tm, uq, uc
}

func labelTok(t string, c normalize.Class) string {
	if c == normalize.ClassName {
		return t
	}
	return t + " (" + c.String() + ")"
}

func round3(f float64) float64 {
	return math.Round(f*1000) / 1000
}

// phonBase is the likeness of two tokens with the same consonant skeleton
// and a Jaro-Winkler similarity of 0.6; it rises to 0.98 at 1. At 0.86 the
// dev split had 12 false alerts of 24,000 (aytshiru / sahar, hasman /
// hasan read as alike); at 0.82, 0.80 and 0.78, 11, 9 and 8, with
// cross-script pairs found 2188, 2183 and 2176 of 2680 (2192 at 0.86),
// same-script pairs unchanged and top-1 recall 99.23% -> 99.30%.
const phonBase = 0.80
