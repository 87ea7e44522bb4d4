package match

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/normalize"
)

// Weights are the scoring knobs a policy may set. Effects are added to (or
// taken from) a score in [0, 1].
type Weights struct {
	// UnmatchedEntity is the weight of an entity-name token left unmatched
	// (a middle name or patronymic the query lacks) relative to a query
	// token left unmatched, in [0, 1].
	UnmatchedEntity float64 `json:"unmatched_entity"`
	// WeakAlias multiplies the name score of a weak (low-quality) alias.
	WeakAlias float64 `json:"weak_alias"`
	// NameOnlyCap is the highest score a name alone can reach; secondary
	// evidence may add up to 1 - NameOnlyCap.
	NameOnlyCap     float64 `json:"name_only_cap"`
	DOBMatch        float64 `json:"dob_match"`
	DOBMismatch     float64 `json:"dob_mismatch"`
	CountryMatch    float64 `json:"country_match"`
	CountryMismatch float64 `json:"country_mismatch"`
	// KindMismatch is the cost of a kind read from the query's name that
	// differs from the entity's; a kind the query declares costs twice it.
	KindMismatch float64 `json:"kind_mismatch"`
	// GenderMismatch is the cost of a query's gender that differs from the
	// listed one; three quarters of it when either gender is only the usual
	// gender of the given name (normalize.GivenNameGender).
	GenderMismatch float64 `json:"gender_mismatch"`
	AddressMatch   float64 `json:"address_match"`
	// IdentifierScore is the score of an exact identifier match, whatever
	// the name.
	IdentifierScore float64 `json:"identifier_score"`
}

// DefaultWeights returns the weights the default policy uses.
func DefaultWeights() Weights {
	return Weights{
		UnmatchedEntity: 0.3,
		WeakAlias:       0.88,
		NameOnlyCap:     0.96,
		DOBMatch:        0.04,
		DOBMismatch:     0.12,
		CountryMatch:    0.02,
		CountryMismatch: 0.05,
		KindMismatch:    0.08,
		GenderMismatch:  0.12,
		AddressMatch:    0.02,
		IdentifierScore: 0.99,
	}
}

// Options control a search.
type Options struct {
	Weights Weights
	// Limit is the most matches returned; 0 means 10.
	Limit int
	// MinScore drops matches scoring below it.
	MinScore float64
	// Filter, when set, keeps only the entities for which it returns true.
	Filter func(e *interdict.Entity) bool

	all bool // score every form (pairwise comparison)
}

// Match is one entity a query may be.
type Match struct {
	Entity *interdict.Entity
	// Name is the index in Entity.Names of the name that matched, or -1 for
	// a match on an identifier alone.
	Name        int
	Score       float64
	Explanation interdict.Explanation
}

// MatchedName returns the name that matched, or the display name.
func (m *Match) MatchedName() string {
	if m.Name >= 0 && m.Name < len(m.Entity.Names) {
		return m.Entity.Names[m.Name].Full
	}
	return m.Entity.PrimaryName()
}

// qform is one romanization of the query, tokenized and weighted.
type qform struct {
	toks  []qtok
	latin bool
	text  string
	total float32 // sum of token weights
}

func (ix *Index) queryForms(name string, kind interdict.Kind) []qform {
	script := interdict.Script(name)
	latin := script == "Latn" || script == ""
	syllabic := script == "Hani" || script == "Hang" || script == "Hira" || script == "Kana"
	// A Han name's tokens are syllables, or given names of two, that match
	// only exactly; a foreign name transcribed in Han has its words set
	// apart by an interpunct, and each word is many syllables spelled
	// after the sound (阿兹米·木心, Azmi Muxin).
	hanSyllables := script == "Hani" && !strings.ContainsAny(name, "·・‧•")
	vs := normalize.Parse(name, hintFor(kind))
	out := make([]qform, 0, len(vs))
	var srcIDs wordIDs
	for _, v := range vs {
		qf := qform{latin: latin, toks: make([]qtok, len(v.Tokens))}
		parts := make([]string, len(v.Tokens))
		patr := isPatronymic(v.Tokens)
		for i, t := range v.Tokens {
			// The Model spelling of a transcribed name is a guess at
			// another language's spelling, as loose as a typed one.
			model := v.System == normalize.Model
			qt := qtok{text: t.Text, key: t.Key, class: t.Class, strict: syllabic && !model, exact: hanSyllables && !model, guess: model, sound: model && syllabic, vid: noJoin, patr: patr != nil && patr[i]}
			qt.acronym = !syllabic && acronymLike(t.Text, t.Class)
			qt.pinyin = normalize.PinyinSyllables(t.Text) > 0
			qt.src = t.Source
			if t.Source != "" {
				qt.srcID = srcIDs.id(t.Source)
			}
			if ix == nil {
				qt.w, qt.known = tokWeight(t.Text, t.Class), true
			} else if id, ok := ix.lookup(t.Text); ok && !ix.joined[id] {
				qt.w, qt.known, qt.vid = ix.weight(id, t.Class), true, id
			} else {
				qt.w = ix.maxIDF * 0.9 * tokWeight(t.Text, t.Class) * lengthWeight(len(t.Text))
			}
			qf.total += qt.w
			qf.toks[i] = qt
			parts[i] = t.Text
		}
		qf.text = strings.Join(parts, " ")
		out = append(out, qf)
	}
	if !latin {
		if m, ok := mergeForms(out); ok {
			out = append(out, m)
		}
	}
	return out
}

// mergeForms builds, from the romanizations of a name written in another
// script, one form whose every token carries the other spellings the
// romanizations give it, so that each token pairs at its closest spelling
// (انور ناصر: "anwar" from one system, "nasser" from another). It merges the
// largest group of forms with the same number of tokens of the same classes;
// ok is false when there is nothing to merge.
func mergeForms(fs []qform) (qform, bool) {
	best, bestN := -1, 1
	for i := range fs {
		n := 0
		for j := range fs {
			if sameShape(fs[i].toks, fs[j].toks) {
				n++
			}
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	if best < 0 {
		return qform{}, false
	}
	base := fs[best]
	m := qform{latin: base.latin, text: base.text, total: base.total, toks: make([]qtok, len(base.toks))}
	copy(m.toks, base.toks)
	any := false
	for j := range fs {
		if j == best || !sameShape(base.toks, fs[j].toks) {
			continue
		}
		for i := range m.toks {
			t := fs[j].toks[i]
			if t.text == m.toks[i].text {
				continue
			}
			dup := false
			for _, a := range m.toks[i].alts {
				dup = dup || a.text == t.text
			}
			if !dup {
				t.alts, t.next = nil, ""
				if i+1 < len(fs[j].toks) && joinable(t.class) && joinable(fs[j].toks[i+1].class) {
					t.next = fs[j].toks[i+1].text
				}
				m.toks[i].alts = append(m.toks[i].alts, t)
				any = true
			}
		}
	}
	return m, any
}

// sameShape reports whether two forms have as many tokens, of the same
// classes.
func sameShape(a, b []qtok) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].class != b[i].class {
			return false
		}
	}
	return true
}

func (ix *Index) entityForm(f *form, c []ctok) []ctok {
	c = c[:0]
	for _, t := range ix.ftoks(f) {
		c = append(c, ctok{text: ix.vocab[t.id], key: ix.keys[t.id], class: t.class, w: ix.weight(t.id, t.class), id: t.id, join: t.join, patr: t.patr, pinyin: ix.pinyin[t.id] > 0})
	}
	return c
}

type simTok struct {
	id  uint32
	sim float32
}

// slot is one distinct text of the query (a token, or two adjacent tokens
// joined) whose similarity to vocabulary tokens is computed once per query.
type slot struct {
	text, key string
	nick      bool   // the text has nicknames
	mask      uint64 // letterMask(text)
	py        uint8  // normalize.PinyinSyllables(text)
}

// lookup is one retrieval key of the query: a slot and its weight.
type lookup struct {
	slot   int32
	w      float32
	joined bool     // the slot is two query tokens joined
	sims   []simTok // vocabulary tokens alike, best first
	cost   int      // postings to visit
}

// memoEnt is a memoized token similarity.
type memoEnt struct {
	sim  float64
	kind uint8 // index in matchKinds
	ok   bool
}

var matchKinds = []interdict.MatchKind{"", interdict.MatchExact, interdict.MatchPhonetic, interdict.MatchNickname, interdict.MatchTypo, interdict.MatchInitial}

func kindIndex(k interdict.MatchKind) uint8 {
	for i, m := range matchKinds {
		if m == k {
			return uint8(i)
		}
	}
	return 0
}

// scratch holds the reusable buffers of one search. Per-form, per-token and
// per-entity arrays are validated by generation stamps, so that they need
// no clearing between searches.
type scratch struct {
	// typed says that the query was written in Latin script: its tokens
	// were typed, not romanized from another script (see tokenSimFast).
	typed  bool
	like   map[uint64]float64 // per query, srcLikeness by word (srcID) and token
	scored []scoredEnt        // per entity scored, reused
	top    []scoredEnt        // the best scored, reused
	order  []uint32           // entities in the order first scored, reused

	// initials says whether the entity being scored may have initials:
	// a one-letter token of a company, vessel or aircraft name is part of
	// its name (ZEEL - M, M-SAAN), not a given name cut short.
	initials bool
	// latinName says that the entity name being aligned is written in
	// Latin letters, not romanized from another script.
	latinName bool
	// hangul says that the query is written in Hangul, whose romanization
	// is a rule, not a guess (see align).
	hangul bool
	// syllabic says that the query is written in Hangul or Han, whose
	// romanizations are syllables of a closed set (see tokenSimFast).
	syllabic bool
	// guessed says that the query is written in Arabic, Hebrew, Syriac,
	// Thaana or Cyrillic, whose romanizations are guessed from a script
	// that leaves vowels out or spells them several ways (see align).
	guessed bool
	// abjad says that the query is written in Arabic, Hebrew, Syriac or
	// Thaana, which leave vowels out: a short legal form its romanization
	// happens to spell (nz, lbd for ltd) is a name part.
	abjad bool

	fs    []formState // per form
	touch []uint32    // forms touched
	gen   uint32

	vstamp []uint32  // per token, the generation of vsim
	vsim   []float32 // per token, similarity to the current lookup
	vgen   uint32
	vloc   []uint32 // per token, its row in memo
	vlocAt []uint32 // per token, the query the row belongs to
	qgen   uint32
	memo   []memoEnt // rows of len(slots)
	nslots int

	estamp []uint32 // per entity, the query its best form belongs to
	ebest  []int32  // per entity, index in cands of its best form

	slots    []slot
	looks    []lookup
	sims     []simTok
	jsims    []simTok
	hashes   []uint64
	accs     []float32
	cands    []cand
	ctoks    []ctok
	rows     []int    // per entity token being aligned, its memo row
	exactIDs []uint32 // forms spelled word for word (exactForms)
	bagIDs   []uint32
	al       alignment
}

// formState is a form's retrieval weight and the lookup that last touched
// it, side by side for locality.
type formState struct {
	acc   float32
	stamp uint32
}

type cand struct {
	f   uint32
	acc float32
	// set when scored
	qf    int32
	score float64 // name score, rounded
	raw   float64
}

func (ix *Index) getScratch() *scratch {
	sc, _ := ix.scratch.Get().(*scratch)
	if sc == nil {
		sc = &scratch{
			fs:     make([]formState, len(ix.forms)),
			vstamp: make([]uint32, len(ix.vocab)),
			vsim:   make([]float32, len(ix.vocab)),
			vloc:   make([]uint32, len(ix.vocab)),
			vlocAt: make([]uint32, len(ix.vocab)),
			estamp: make([]uint32, len(ix.entities)),
			ebest:  make([]int32, len(ix.entities)),
		}
	}
	sc.qgen++
	if sc.qgen == 0 || sc.gen > math.MaxUint32-1<<20 || sc.vgen > math.MaxUint32-1<<20 {
		clear(sc.fs)
		clear(sc.vstamp)
		clear(sc.vlocAt)
		clear(sc.estamp)
		sc.gen, sc.vgen, sc.qgen = 0, 0, 1
	}
	sc.memo = sc.memo[:0]
	return sc
}

// sim returns the similarity of query slot s with vocabulary token v,
// computing it once per query.
func (ix *Index) sim(sc *scratch, s int32, v uint32) (float64, interdict.MatchKind) {
	return ix.simAt(sc, s, v, ix.memoRow(sc, v))
}

// memoRow returns where the memo row of vocabulary token v starts, adding
// the row on first use in the query.
func (ix *Index) memoRow(sc *scratch, v uint32) int {
	if sc.vlocAt[v] != sc.qgen {
		sc.vlocAt[v] = sc.qgen
		sc.vloc[v] = uint32(len(sc.memo))
		n := len(sc.memo)
		sc.memo = slices.Grow(sc.memo, sc.nslots)[:n+sc.nslots]
		clear(sc.memo[n:])
	}
	return int(sc.vloc[v])
}

// simAt is sim given the memo row of v (memoRow).
func (ix *Index) simAt(sc *scratch, s int32, v uint32, row int) (float64, interdict.MatchKind) {
	e := &sc.memo[row+int(s)]
	if !e.ok {
		sl := &sc.slots[s]
		sim, k := tokenSimFast(sl.text, sl.key, ix.vocab[v], ix.keys[v], sl.nick && ix.hasNick[v], sl.mask, ix.masks[v], sc.typed, sc.syllabic, sl.py, ix.pinyin[v])
		*e = memoEnt{sim: sim, kind: kindIndex(k), ok: true}
		return sim, k
	}
	return e.sim, matchKinds[e.kind]
}

// alike returns the vocabulary tokens alike to query slot s, best first
// (ties by id). The slice may be shared: callers must not modify it.
func (ix *Index) alike(sc *scratch, s int32) []simTok {
	id, known := ix.lookup(sc.slots[s].text)
	// Two caches: typed tokens and tokens romanized from another script
	// have different likenesses (tokenSimFast), and a query must never
	// see the other kind's, so that results do not depend on which
	// queries came before.
	cache := ix.similar
	if sc.syllabic {
		cache = ix.similarSyl
	} else if !sc.typed {
		cache = ix.similarRom
	}
	if known {
		if p := cache[id].Load(); p != nil {
			return *p
		}
	}
	start := len(sc.sims)
	sc.sims = ix.similarTo(sc, s, sc.sims)
	sims := sc.sims[start:len(sc.sims):len(sc.sims)]
	slices.SortFunc(sims, func(a, b simTok) int {
		if c := cmp.Compare(b.sim, a.sim); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	if known {
		c := slices.Clone(sims)
		cache[id].Store(&c)
	}
	return sims
}

// similarTo appends to out the vocabulary tokens alike to query slot s.
func (ix *Index) similarTo(sc *scratch, s int32, out []simTok) []simTok {
	sc.vgen++
	text, key := sc.slots[s].text, sc.slots[s].key
	try := func(id uint32) {
		if sc.vstamp[id] == sc.vgen {
			return
		}
		sc.vstamp[id] = sc.vgen
		sim, k := ix.sim(sc, s, id)
		if ix.joined[id] && joinedOK(sim, k) {
			out = append(out, simTok{id, float32(sim)})
		} else if !ix.joined[id] && sim >= 0.6 {
			out = append(out, simTok{id, float32(sim)})
		}
	}
	id, known := ix.lookup(text)
	if known {
		try(id)
	}
	if len(text) < 2 {
		return out
	}
	if len(key) >= 2 || len(text) <= 4 {
		for _, id := range ix.byKey(key) {
			try(id)
		}
		// A w romanized from Arabic or Persian و (waw, vav) is as often
		// a v: کاکاوند is "kakawnd" and KAKAVAND.
		if !sc.typed && strings.IndexByte(text, 'w') > 0 {
			v := strings.ReplaceAll(text, "w", "v")
			if k2 := normalize.Skeleton(v); k2 != key {
				vm := letterMask(v)
				for _, id := range ix.byKey(k2) {
					if sc.vstamp[id] == sc.vgen || ix.joined[id] {
						continue
					}
					sc.vstamp[id] = sc.vgen
					if sim, _ := tokenSimFast(v, k2, ix.vocab[id], ix.keys[id], false, vm, ix.masks[id], false, false, 0, 0); sim >= 0.6 {
						out = append(out, simTok{id, float32(sim)})
					}
				}
			}
		}
	}
	if len(text) >= 3 && !isDigits(text) {
		sc.hashes = deletionHashes(text, sc.hashes[:0])
		for _, h := range sc.hashes {
			for _, id := range ix.deleted(h) {
				try(id)
			}
		}
	}
	if known && !ix.joined[id] {
		for _, n := range ix.nicks[id] {
			try(n)
		}
	} else {
		for _, n := range normalize.Nicknames(text) {
			if id, ok := ix.lookup(n); ok {
				try(id)
			}
		}
	}
	return out
}

func (sc *scratch) slotOf(text, key string) int32 {
	for i := range sc.slots {
		if sc.slots[i].text == text {
			return int32(i)
		}
	}
	sc.slots = append(sc.slots, slot{text, key, normalize.HasNickname(text), letterMask(text), uint8(normalize.PinyinSyllables(text))})
	return int32(len(sc.slots) - 1)
}

// maxForms is the most forms fully scored per query: the ones holding the
// largest share of the query's weight. From 60 to 40 it took about a fifth
// off the time of a search; on the evaluation sets one dev query found
// its entity at the threshold no more (MANUEL, a weak alias shared by
// many) and one found it again, and two test false alerts went.
const maxForms = 40

// maxFormsRomanized is maxForms for a query romanized from another script,
// which has several romanizations (and their merged form) to score against
// each candidate. At 25 instead of 40 the evaluation sets gave the same
// dev results, two test false alerts fewer, and such queries took half the
// time (Сергей Шойгу, محمد بن سلمان: 330-357 -> 157 µs a pair).
const maxFormsRomanized = 25

// Search returns the entities q may be, best first (ties by entity ID).
// Entities are retrieved on their names and on exact identifier matches;
// secondary evidence only moves scores. Search does no I/O and is safe for
// concurrent use.
func (ix *Index) Search(q interdict.Query, opt Options) []Match {
	ms, _ := ix.SearchTotal(q, opt)
	return ms
}

// SearchTotal is Search that also returns how many entities reached
// opt.MinScore in all. The matches hold the opt.Limit best and every entity
// that ties with the last of them.
func (ix *Index) SearchTotal(q interdict.Query, opt Options) (res []Match, total int) {
	if opt.Limit <= 0 {
		opt.Limit = 10
	}
	w := opt.Weights
	if w == (Weights{}) {
		w = DefaultWeights()
	}
	qfs := ix.queryForms(q.Name, q.Kind)
	qScript := ""
	if len(qfs) > 0 && !qfs[0].latin {
		qScript = interdict.Script(q.Name)
	}
	sc := ix.getScratch()
	defer ix.scratch.Put(sc)
	sc.typed = len(qfs) > 0 && qfs[0].latin
	sc.hangul = qScript == "Hang"
	sc.syllabic = qScript == "Hang" || qScript == "Hani"
	sc.abjad = guessedScript(qScript)
	sc.guessed = sc.abjad || qScript == "Cyrl"
	nForms := maxForms
	if !sc.typed {
		nForms = maxFormsRomanized
	}
	clear(sc.like)

	// Slots: every distinct token and joined pair of every query form.
	// Lookups: the slots retrieval uses, with the weight of their first
	// occurrence.
	sc.slots, sc.looks = sc.slots[:0], sc.looks[:0]
	var qtotal float32
	for fi := range qfs {
		qf := &qfs[fi]
		qtotal = max(qtotal, qf.total)
		for i := range qf.toks {
			qt := &qf.toks[i]
			qt.slot, qt.jslot = sc.slotOf(qt.text, qt.key), -1
			for a := range qt.alts {
				at := &qt.alts[a]
				at.slot, at.jslot = sc.slotOf(at.text, at.key), -1
				if at.next != "" {
					jt := at.text + at.next
					at.jslot = sc.slotOf(jt, normalize.Skeleton(jt))
				}
			}
			n := len(sc.slots)
			if qt.w > 0 {
				sc.addLookup(qt.slot, qt.w, false)
			}
			if i+1 < len(qf.toks) && joinable(qt.class) && joinable(qf.toks[i+1].class) {
				jt := qt.text + qf.toks[i+1].text
				qt.jslot = sc.slotOf(jt, normalize.Skeleton(jt))
				sc.addLookup(qt.jslot, qt.w+qf.toks[i+1].w, true)
			}
			_ = n
		}
	}
	sc.nslots = len(sc.slots)

	// Retrieval: accumulate, per form, the weight of the query lookups it
	// has something alike to (each lookup counts once, at its best
	// similarity). Heavy lookups first. A form is kept when it reaches the
	// bar and is among the maxForms best, so once the lookups left cannot
	// bring an untouched form to the bar or to the current maxForms-th
	// best (the floor), the light lookups only update the forms already
	// touched that can still make it, probing them when that is cheaper
	// than walking the postings. The result is the same as visiting every
	// posting.
	sc.touch = sc.touch[:0]
	sc.sims, sc.jsims = sc.sims[:0], sc.jsims[:0]
	for i := range sc.looks {
		l := &sc.looks[i]
		l.sims = ix.alike(sc, l.slot)
		if l.joined {
			// Two query tokens joined pair only with tokens spelled alike.
			start := len(sc.jsims)
			for _, st := range l.sims {
				if sim, k := ix.sim(sc, l.slot, st.id); joinedOK(sim, k) {
					sc.jsims = append(sc.jsims, st)
				}
			}
			l.sims = sc.jsims[start:len(sc.jsims):len(sc.jsims)]
		}
		for _, s := range l.sims {
			l.cost += len(ix.posting(s.id))
		}
	}
	slices.SortStableFunc(sc.looks, func(a, b lookup) int { return cmp.Compare(b.w, a.w) })
	bar := 0.45 * qtotal
	floor := bar
	var rest float32
	for i := range sc.looks {
		rest += sc.looks[i].w
	}
	for i := range sc.looks {
		l := &sc.looks[i]
		closed := rest < floor*0.999 // no untouched form can reach the floor
		if closed && i > 0 {
			n := 0
			for _, f := range sc.touch {
				if sc.fs[f].acc+rest < floor*0.999 {
					sc.fs[f].acc = 0
					continue
				}
				sc.touch[n] = f
				n++
			}
			sc.touch = sc.touch[:n]
		}
		rest -= l.w
		sc.gen++
		if closed && len(sc.touch)*4 < l.cost {
			sc.vgen++
			for _, s := range l.sims {
				sc.vstamp[s.id] = sc.vgen
				sc.vsim[s.id] = s.sim
			}
			for _, f := range sc.touch {
				var best float32
				for _, t := range ix.ftoks(&ix.forms[f]) {
					if sc.vstamp[t.id] == sc.vgen {
						best = max(best, sc.vsim[t.id])
					}
					if t.join != noJoin && sc.vstamp[t.join] == sc.vgen {
						best = max(best, sc.vsim[t.join])
					}
				}
				sc.fs[f].acc += l.w * best
			}
		} else {
			for _, s := range l.sims {
				for _, f := range ix.posting(s.id) {
					if sc.fs[f].stamp == sc.gen {
						continue
					}
					sc.fs[f].stamp = sc.gen
					if sc.fs[f].acc == 0 {
						if closed {
							continue
						}
						sc.touch = append(sc.touch, f)
					}
					sc.fs[f].acc += l.w * s.sim
				}
			}
		}
		if i+1 < len(sc.looks) && len(sc.touch) > nForms {
			// Only the forms at the floor or above can raise it: the
			// nForms-th largest of all is the nForms-th of those when
			// there are as many, and below the floor otherwise.
			sc.accs = sc.accs[:0]
			for _, f := range sc.touch {
				if a := sc.fs[f].acc; a >= floor {
					sc.accs = append(sc.accs, a)
				}
			}
			if len(sc.accs) >= nForms {
				floor = max(floor, kthLargest(sc.accs, nForms))
			}
		}
	}
	// Keep the forms with enough of the query, the nForms best.
	cands := sc.cands[:0]
	candLess := func(a, b cand) bool { return a.acc > b.acc || a.acc == b.acc && a.f < b.f }
	for _, f := range sc.touch {
		a := sc.fs[f].acc
		sc.fs[f].acc = 0
		if a < bar {
			continue
		}
		c := cand{f: f, acc: a}
		if len(cands) < nForms {
			cands = append(cands, c)
			if len(cands) == nForms {
				slices.SortFunc(cands, func(a, b cand) int { return cmpCand(a, b) })
			}
			continue
		}
		if !candLess(c, cands[nForms-1]) {
			continue
		}
		// Insert into the sorted window.
		k := nForms - 1
		for k > 0 && candLess(c, cands[k-1]) {
			cands[k] = cands[k-1]
			k--
		}
		cands[k] = c
	}
	if len(cands) < nForms {
		slices.SortFunc(cands, func(a, b cand) int { return cmpCand(a, b) })
	}
	if opt.all {
		for fid := range ix.forms {
			cands = append(cands, cand{f: uint32(fid)})
		}
	}
	// Score candidates: per entity, its best form (see betterForm).
	order := sc.order[:0]
	scoreCands := func(from int) {
		for ci := from; ci < len(cands); ci++ {
			c := &cands[ci]
			f := &ix.forms[c.f]
			if opt.Filter != nil && !opt.Filter(&ix.entities[f.ent]) {
				continue
			}
			// A name written in another script than the query's, and not
			// in Latin, is met only through two romanizations, each a
			// guess: the entity's Latin names stand for it.
			if qScript != "" && !f.latin && ix.nameScript(f) != qScript {
				continue
			}
			// A query typed in Latin letters meets a name in Arabic or
			// Hebrew script, whose vowels are guessed, only when the
			// entity has no Latin name to stand for it ("Li Lu" is not
			// لؤي العلي, Luay AL-ALI).
			if sc.typed && !f.latin && guessedScript(ix.nameScript(f)) && hasLatinName(&ix.entities[f.ent]) {
				continue
			}
			c.qf, c.raw = -1, 0
			sc.ctoks = ix.entityForm(f, sc.ctoks)
			sc.initials = f.person
			sc.latinName = f.latin
			for i := range qfs {
				s := ix.align(sc, qfs[i].toks, sc.ctoks, w.UnmatchedEntity, &sc.al)
				if c.qf < 0 || s > c.raw {
					c.qf, c.raw = int32(i), s
				}
				if c.raw >= 1 {
					// No form scores above 1 (align), and a tie keeps
					// the first.
					break
				}
			}
			c.score = round3(c.raw)
			if sc.estamp[f.ent] != sc.qgen {
				sc.estamp[f.ent] = sc.qgen
				sc.ebest[f.ent] = int32(ci)
				order = append(order, f.ent)
			} else if ix.betterForm(c, &cands[sc.ebest[f.ent]]) {
				sc.ebest[f.ent] = int32(ci)
			}
		}
	}
	scoreCands(0)
	// A listed name the query spells word for word is scored whatever
	// retrieval kept: a name of common words (ISLAMIC STATE), one that many
	// entities share (AL-AQSA FOUNDATION), or a number (RF-78838).
	if !opt.all {
		from := len(cands)
		sc.exactIDs = sc.exactIDs[:0]
		for i := range qfs {
			sc.exactIDs, sc.bagIDs = ix.exactForms(&qfs[i], sc.bagIDs, sc.exactIDs)
		}
	next:
		for _, fid := range sc.exactIDs {
			// An entity already scored at 1 by another form gains nothing.
			if ent := ix.forms[fid].ent; sc.estamp[ent] == sc.qgen && cands[sc.ebest[ent]].raw >= 1 {
				continue
			}
			for i := range from {
				if cands[i].f == fid {
					continue next
				}
			}
			cands = append(cands, cand{f: fid})
		}
		scoreCands(from)
	}
	// Identifiers go straight to the top: every form of an entity with the
	// query's identifier is scored.
	var idEnts []uint32
	if q.IDNumber != "" {
		for _, k := range idKeys(q.IDNumber, "") {
			for _, ent := range ix.ids[k] {
				if slices.Contains(idEnts, ent) {
					continue
				}
				idEnts = append(idEnts, ent)
				if sc.estamp[ent] == sc.qgen {
					continue
				}
				from := len(cands)
				r := ix.entForms[ent]
				for fid := r[0]; fid < r[1]; fid++ {
					cands = append(cands, cand{f: fid})
				}
				scoreCands(from)
				if sc.estamp[ent] != sc.qgen && (opt.Filter == nil || opt.Filter(&ix.entities[ent])) {
					order = append(order, ent)
				}
			}
		}
	}
	sc.cands, sc.order = cands, order
	qd, hasDOB := parseDOB(q.DOB)
	read := kindOfName(q.Name, qfs)
	qg := queryGender(&q, qfs)
	// Score every entity (name score and evidence), then build the
	// matches, with their explanations, for the best opt.Limit only.
	out := sc.scored[:0]
	for _, ent := range order {
		r := scoredEnt{ent: ent, bi: -1, name: -1}
		if sc.estamp[ent] == sc.qgen {
			r.bi = sc.ebest[ent]
			c := &cands[r.bi]
			r.name = int(ix.forms[c.f].name)
			r.nameScore = c.score
		}
		score := r.nameScore * w.NameOnlyCap
		var evs []interdict.Evidence
		if r.bi >= 0 && ix.forms[cands[r.bi].f].weak {
			eff := score*w.WeakAlias - score
			evs = append(evs, interdict.Evidence{Feature: "alias_quality", Entity: string(interdict.NameWeak), Effect: round3(eff), Note: "weak alias weighted lower"})
			score += eff
		}
		if slices.Contains(idEnts, ent) {
			eff := math.Max(0, w.IdentifierScore-score)
			evs = append(evs, interdict.Evidence{Feature: "identifier", Query: q.IDNumber, Effect: round3(eff), Note: "exact identifier match"})
			score += eff
		}
		for _, ev := range ix.evidence(&q, read, ent, &w, qd, hasDOB) {
			ev.Effect = round3(ev.Effect)
			evs = append(evs, ev)
			score += ev.Effect
		}
		if r.bi >= 0 && qg.g != 0 {
			if ev, ok := ix.genderEvidence(&q, qg, &ix.forms[cands[r.bi].f], &w); ok {
				ev.Effect = round3(ev.Effect)
				evs = append(evs, ev)
				score += ev.Effect
			}
		}
		r.evs = evs
		r.score = round3(math.Max(0, math.Min(1, score)))
		if r.score >= opt.MinScore {
			out = append(out, r)
		}
	}
	sc.scored = out
	entCmp := func(a, b *scoredEnt) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return strings.Compare(ix.entities[a.ent].ID, ix.entities[b.ent].ID)
	}
	// The opt.Limit best, in a sorted window. When no two entities
	// compare equal (distinct entities with one ID and score), the
	// window's order is strict and every other entity ranks strictly
	// below it, so a full sort would put the same entities first in the
	// same order; otherwise fall back to the full sort.
	lim := min(len(out), opt.Limit)
	top := sc.top[:0]
	full := len(out) <= lim
	if !full {
		top = append(top, out[:lim]...)
		slices.SortFunc(top, func(a, b scoredEnt) int { return entCmp(&a, &b) })
		for i := 1; i < lim; i++ {
			full = full || entCmp(&top[i-1], &top[i]) == 0
		}
		for i := lim; i < len(out) && !full; i++ {
			if c := entCmp(&out[i], &top[lim-1]); c >= 0 {
				full = c == 0
				continue
			}
			r := out[i]
			k := lim - 1
			for k > 0 {
				c := entCmp(&r, &top[k-1])
				full = full || c == 0
				if c >= 0 {
					break
				}
				top[k] = top[k-1]
				k--
			}
			top[k] = r
		}
	}
	sc.top = top
	// Entities that tie with the last one kept are never cut: the limit
	// applies after ties.
	if lim > 0 && lim < len(out) && !full {
		last := top[lim-1].score
		n := 0
		for i := range out {
			if out[i].score >= last {
				n++
			}
		}
		if n > lim {
			full, lim = true, n
		}
	}
	if full {
		slices.SortFunc(out, func(a, b scoredEnt) int { return entCmp(&a, &b) })
		for lim > 0 && lim < len(out) && out[lim].score == out[lim-1].score {
			lim++
		}
		top = out[:lim]
	}
	total = len(out)
	res = make([]Match, 0, lim)
	for _, r := range top {
		m := Match{Entity: &ix.entities[r.ent], Name: r.name, Score: r.score}
		m.Explanation.NameScore = r.nameScore
		m.Explanation.Evidence = r.evs
		if r.bi >= 0 {
			ix.explain(sc, qfs, &cands[r.bi], &w, &m)
		}
		res = append(res, m)
	}
	return res, total
}

// scoredEnt is an entity's score for a query before its match is built.
type scoredEnt struct {
	ent       uint32
	bi        int32 // its best candidate form, or -1
	name      int
	nameScore float64
	score     float64
	evs       []interdict.Evidence
}

// betterForm reports whether candidate a is a better match for its entity
// than b, a form of the same entity: a higher rounded name score, then a
// name that is not a weak alias, then a higher unrounded score, then the
// first form. The choice does not depend on retrieval order.
func (ix *Index) betterForm(a, b *cand) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	wa, wb := ix.forms[a.f].weak, ix.forms[b.f].weak
	if wa != wb {
		return wb
	}
	if a.raw != b.raw {
		return a.raw > b.raw
	}
	return a.f < b.f
}

// kthLargest returns the k-th largest value of a (1 <= k <= len(a)),
// reordering a.
func kthLargest(a []float32, k int) float32 {
	lo, hi, k := 0, len(a)-1, k-1
	for lo < hi {
		// Median of three as the pivot, then a three-way partition.
		mid := lo + (hi-lo)/2
		p := max(min(a[lo], a[mid]), min(max(a[lo], a[mid]), a[hi]))
		lt, i, gt := lo, lo, hi
		for i <= gt {
			switch {
			case a[i] > p:
				a[lt], a[i] = a[i], a[lt]
				lt++
				i++
			case a[i] < p:
				a[gt], a[i] = a[i], a[gt]
				gt--
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt - 1
		case k > gt:
			lo = gt + 1
		default:
			return p
		}
	}
	return a[k]
}

func cmpCand(a, b cand) int {
	if c := cmp.Compare(b.acc, a.acc); c != 0 {
		return c
	}
	return cmp.Compare(a.f, b.f)
}

func (sc *scratch) addLookup(s int32, w float32, joined bool) {
	for i := range sc.looks {
		if sc.looks[i].slot == s {
			return
		}
	}
	sc.looks = append(sc.looks, lookup{slot: s, w: w, joined: joined})
}

// explain fills the explanation of a match on candidate form c.
func (ix *Index) explain(sc *scratch, qfs []qform, c *cand, w *Weights, m *Match) {
	if c.qf < 0 {
		return // no query form: a match on an identifier alone
	}
	f := &ix.forms[c.f]
	e := m.Entity
	n := e.Names[f.name]
	script := n.Script
	if script == "" {
		script = interdict.Script(n.Full)
	}
	sc.ctoks = ix.entityForm(f, sc.ctoks)
	ct := sc.ctoks
	qf := &qfs[c.qf]
	sc.initials = personLike(e.Kind)
	sc.latinName = f.latin
	ix.align(sc, qf.toks, ct, w.UnmatchedEntity, &sc.al)
	eform := ""
	if len(ct) == 1 {
		eform = ct[0].text
	} else if len(ct) > 1 {
		var eb strings.Builder
		n := len(ct) - 1
		for i := range ct {
			n += len(ct[i].text)
		}
		eb.Grow(n)
		for i := range ct {
			if i > 0 {
				eb.WriteByte(' ')
			}
			eb.WriteString(ct[i].text)
		}
		eform = eb.String()
	}
	tm, uq, uc := explainAlignment(qf.toks, ct, &sc.al, qf.latin, f.latin)
	evs := m.Explanation.Evidence
	m.Explanation = interdict.Explanation{
		NameQuality:     n.Quality,
		NameScript:      script,
		QueryForm:       qf.text,
		EntityForm:      eform,
		NameScore:       c.score,
		Alignment:       tm,
		UnmatchedQuery:  uq,
		UnmatchedEntity: uc,
	}
	if sc.al.numberBad {
		m.Explanation.Evidence = append(m.Explanation.Evidence, interdict.Evidence{Feature: "numbers", Effect: 0, Note: "numbers in the names differ (name score lowered)"})
	}
	m.Explanation.Evidence = append(m.Explanation.Evidence, evs...)
}

// Compare scores two parties against each other with no list: every name
// token weighs the same (there are no frequencies to weigh by). The first
// is the query; the second stands for a listed entity with one name.
func Compare(a, b interdict.Query, w Weights) Match {
	e := interdict.Entity{ID: "compare:b", List: "compare", Kind: b.Kind, Names: []interdict.Name{{Full: b.Name, Quality: interdict.NamePrimary}}}
	if b.Kind == "" {
		e.Kind = interdict.KindUnknown
	}
	if b.DOB != "" {
		if d, ok := parseDOB(b.DOB); ok {
			e.Dates = []interdict.Date{{Type: interdict.DateBirth, From: fmtDay(d.from), To: fmtDay(d.to), Precision: d.prec}}
		}
	}
	if b.Country != "" {
		e.Countries = []string{b.Country}
	}
	if b.Gender == "male" || b.Gender == "female" {
		e.Gender = b.Gender
	}
	if b.IDNumber != "" {
		e.Identifiers = []interdict.Identifier{{Type: interdict.IDOther, Value: b.IDNumber}}
	}
	ix := NewIndex([]interdict.Entity{e})
	for i := range ix.idf {
		ix.idf[i] = 1
	}
	ix.maxIDF = 1 / 0.9
	ms := ix.Search(a, Options{Weights: w, Limit: 1, all: true})
	if len(ms) == 0 {
		return Match{Entity: &ix.entities[0], Name: 0}
	}
	return ms[0]
}

func fmtDay(v int) string {
	return fmtRange(dateRange{from: v, to: v})
}

func sortStrings(s []string) { sort.Strings(s) }

// personLike reports whether an entity of kind k may be a person.
func personLike(k interdict.Kind) bool {
	return k == interdict.KindPerson || k == interdict.KindUnknown || k == ""
}

// nameScript is the script of the name a form was made from.
func (ix *Index) nameScript(f *form) string {
	n := &ix.entities[f.ent].Names[f.name]
	if n.Script != "" {
		return n.Script
	}
	return interdict.Script(n.Full)
}

// wordIDs numbers the distinct words of another script a query's tokens
// spell (qtok.srcID), from 1.
type wordIDs []string

func (w *wordIDs) id(s string) uint32 {
	for i, x := range *w {
		if x == s {
			return uint32(i + 1)
		}
	}
	*w = append(*w, s)
	return uint32(len(*w))
}

// guessedScript reports whether a romanization of a name in script s
// guesses its vowels.
func guessedScript(s string) bool {
	return s == "Arab" || s == "Hebr" || s == "Syrc" || s == "Thaa"
}

// hasLatinName reports whether an entity has a name written in Latin
// letters.
func hasLatinName(e *interdict.Entity) bool {
	for i := range e.Names {
		if s := e.Names[i].Script; s == "Latn" || s == "" && interdict.Script(e.Names[i].Full) == "Latn" {
			return true
		}
	}
	return false
}
