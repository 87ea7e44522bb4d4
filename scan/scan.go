package scan

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/normalize"
)

// Mention kinds.
const (
	KindParty = "party"
	KindPlace = "place"
	KindGoods = "goods"
)

// Mention is one mention of a listed party, an embargoed place or a
// controlled-goods term in a document.
type Mention struct {
	// Kind is "party", "place" or "goods".
	Kind string `json:"kind"`
	// EntityID is the listed entity ("ofac-sdn:1234"), the place
	// ("place:IR", "place:UA-Crimea", "place:SY:Latakia") or the control
	// entry ("goods:9A012").
	EntityID string `json:"entity_id"`
	// Name is the listed name.
	Name string `json:"name"`
	// Text is the mention as written.
	Text string `json:"text"`
	// Start and End are byte offsets of Text in the scanned text (UTF-8);
	// CharStart and CharEnd are the same in characters (code points).
	Start     int `json:"start"`
	End       int `json:"end"`
	CharStart int `json:"char_start"`
	CharEnd   int `json:"char_end"`
	// Sentence is the sentence around the mention.
	Sentence string `json:"sentence"`
	// Score is in [0, 1]: the screening score for a party, 1 for a place
	// or goods term found as listed.
	Score float64 `json:"score"`
	// Why explains the match in one line; Explanation is the screener's
	// per-feature explanation for a party.
	Why         string                 `json:"why"`
	Explanation *interdict.Explanation `json:"explanation,omitempty"`
	// Matched is the listed name (alias) that matched, when it is not Name.
	Matched string `json:"matched,omitempty"`
	// List and Programs are the party's list and programs.
	List     string   `json:"list,omitempty"`
	Programs []string `json:"programs,omitempty"`
	// Also holds other listed entities the same words name at or above the
	// threshold (the same party on other lists).
	Also []string `json:"also,omitempty"`
	// Country is the ISO code of a place; Measures the kinds of measures.
	Country  string   `json:"country,omitempty"`
	Measures []string `json:"measures,omitempty"`
}

// Topic is a risk topic of a document with the sentences that support it.
type Topic struct {
	Topic     string   `json:"topic"`
	Sentences []string `json:"sentences"`
	// Terms are the topic's terms as they occur.
	Terms []string `json:"terms"`
}

// Group is every mention of one party, place or goods entry.
type Group struct {
	Kind     string   `json:"kind"`
	EntityID string   `json:"entity_id"`
	Name     string   `json:"name"`
	Count    int      `json:"count"`
	Score    float64  `json:"score"`
	Texts    []string `json:"texts"`
}

// Result is the scan of one document.
type Result struct {
	Document string    `json:"document"`
	Mentions []Mention `json:"mentions"`
	Topics   []Topic   `json:"topics"`
	Groups   []Group   `json:"groups"`
	// Bytes and Chars are the length of the scanned text.
	Bytes int `json:"bytes"`
	Chars int `json:"chars"`
}

// Options configure a Scanner.
type Options struct {
	// Screener verifies party candidates: the span as written is screened
	// and must reach Threshold for one of the candidate entities. Required
	// when entities are given.
	Screener interdict.Screener
	// Threshold is the score, in (0, 1], a party mention must reach; 0
	// means 0.80 (the default policy's threshold).
	Threshold float64
}

// Scanner scans documents against one set of entities. Build it with New;
// it is immutable and safe for concurrent use.
type Scanner struct {
	opts    Options
	parties *partyIndex
	places  *lexicon
	place   []place
	goods   *lexicon
	goodsT  []goodsTerm
	topics  *lexicon
}

// New builds a scanner over entities (the entities of the screening index
// opts.Screener screens on). It returns EINVALID when entities are given
// without a screener.
func New(entities []interdict.Entity, opts Options) (*Scanner, error) {
	if len(entities) > 0 && opts.Screener == nil {
		return nil, interdict.Errorf(interdict.EINVALID, "a scanner over listed entities needs a screener to verify mentions")
	}
	if opts.Threshold == 0 {
		opts.Threshold = 0.80
	}
	if opts.Threshold < 0 || opts.Threshold > 1 {
		return nil, interdict.Errorf(interdict.EINVALID, "scan threshold %v is outside (0, 1]", opts.Threshold)
	}
	s := &Scanner{opts: opts}
	var err error
	s.places, s.place, err = buildPlaces()
	if err != nil {
		return nil, err
	}
	s.goods, s.goodsT = buildGoods()
	s.topics = buildTopics()
	s.parties = buildParties(entities)
	return s, nil
}

// Entities returns the number of entities the scanner finds.
func (s *Scanner) Entities() int { return len(s.parties.entities) }

// Scan scans text, named document in the result. It returns the context's
// error if ctx is done during the scan, and a screening error as is.
func (s *Scanner) Scan(ctx context.Context, document, text string) (*Result, error) {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	d := tokenize(text)
	defer d.release()
	res := &Result{Document: document, Mentions: []Mention{}, Topics: []Topic{}, Groups: []Group{}, Bytes: len(text)}
	placeHits := s.places.find(d)
	parties, err := s.findParties(ctx, d, placeHits)
	if err != nil {
		return nil, err
	}
	ms := parties
	sort.Slice(parties, func(i, j int) bool { return parties[i].Start < parties[j].Start })
	inParty := func(a, b int) bool {
		// parties do not overlap: the one that starts last before b is the
		// only one that can overlap [a, b).
		k := sort.Search(len(parties), func(i int) bool { return parties[i].Start >= b }) - 1
		return k >= 0 && parties[k].End > a
	}
	// A place inside a party's name ("Bank Melli Iran") is not a mention of
	// the place.
	for _, h := range placeHits {
		if inParty(h.start, h.end) {
			continue
		}
		p := &s.place[s.places.phrases[h.phrase].ref]
		ms = append(ms, Mention{Kind: KindPlace, EntityID: p.id, Name: p.name, Text: text[h.start:h.end], Start: h.start, End: h.end,
			Sentence: d.sentence(h.from), Score: 1, Why: "embargoed destination (" + strings.Join(p.kinds, ", ") + ")", Country: p.country, Measures: p.kinds})
	}
	for _, h := range s.goods.find(d) {
		if inParty(h.start, h.end) {
			continue
		}
		g := &s.goodsT[s.goods.phrases[h.phrase].ref]
		ms = append(ms, Mention{Kind: KindGoods, EntityID: "goods:" + g.entry, Name: g.name, Text: text[h.start:h.end], Start: h.start, End: h.end,
			Sentence: d.sentence(h.from), Score: 1, Why: "controlled-goods term for entry " + g.entry})
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Start < ms[j].Start })
	charOffsets(text, ms)
	res.Mentions = ms
	res.Chars = utf8.RuneCountInString(text)
	res.Topics = s.findTopics(d)
	res.Groups = groups(ms)
	return res, nil
}

// charOffsets fills CharStart and CharEnd (ms sorted by Start) in one pass.
func charOffsets(text string, ms []Mention) {
	type at struct {
		off int
		dst *int
	}
	var pts []at
	for i := range ms {
		pts = append(pts, at{ms[i].Start, &ms[i].CharStart}, at{ms[i].End, &ms[i].CharEnd})
	}
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].off < pts[j].off })
	pos, chars := 0, 0
	for _, p := range pts {
		chars += utf8.RuneCountInString(text[pos:p.off])
		pos = p.off
		*p.dst = chars
	}
}

func (s *Scanner) findTopics(d *doc) []Topic {
	byTopic := map[int32]*Topic{}
	seenSent := map[[2]int32]bool{}
	for _, h := range s.topics.find(d) {
		ref := s.topics.phrases[h.phrase].ref
		t := byTopic[ref]
		if t == nil {
			t = &Topic{Topic: Topics[ref]}
			byTopic[ref] = t
		}
		term := d.text[h.start:h.end]
		if !slices.Contains(t.Terms, term) {
			t.Terms = append(t.Terms, term)
		}
		k := [2]int32{ref, d.toks[h.from].sent}
		if !seenSent[k] {
			seenSent[k] = true
			t.Sentences = append(t.Sentences, d.sentence(h.from))
		}
	}
	out := []Topic{}
	for i := range Topics {
		if t := byTopic[int32(i)]; t != nil {
			out = append(out, *t)
		}
	}
	return out
}

// groups gathers the mentions by entity, parties first, then by count.
func groups(ms []Mention) []Group {
	idx := map[string]int{}
	out := []Group{}
	for _, m := range ms {
		i, ok := idx[m.EntityID]
		if !ok {
			i = len(out)
			idx[m.EntityID] = i
			out = append(out, Group{Kind: m.Kind, EntityID: m.EntityID, Name: m.Name})
		}
		g := &out[i]
		g.Count++
		g.Score = max(g.Score, m.Score)
		if !slices.Contains(g.Texts, m.Text) {
			g.Texts = append(g.Texts, m.Text)
		}
	}
	rank := map[string]int{KindParty: 0, KindPlace: 1, KindGoods: 2}
	sort.SliceStable(out, func(i, j int) bool {
		if rank[out[i].Kind] != rank[out[j].Kind] {
			return rank[out[i].Kind] < rank[out[j].Kind]
		}
		return out[i].Count > out[j].Count
	})
	return out
}

// cand is a span of tokens that may name a listed party.
type cand struct {
	from, to int // tokens [from, to)
	start    int // bytes
	end      int
	ents     []int32
	why      string
	exact    bool
	// form is 1 + the form aligned (0: none) and how the kind of
	// alignment, from which explain writes why when why is empty.
	form int32
	how  int8
}

// findParties generates party candidates at anchor tokens, aligns and
// filters them, and verifies the survivors with the screener.
func (s *Scanner) findParties(ctx context.Context, d *doc, places []hit) ([]Mention, error) {
	px := s.parties
	if len(px.forms) == 0 && len(px.script.phrases) == 0 {
		return nil, nil
	}
	var cands []cand
	bySpan := map[[2]int]int{}
	add := func(c cand) {
		if i, ok := bySpan[[2]int{c.from, c.to}]; ok {
			{
				for _, e := range c.ents {
					if !slices.Contains(cands[i].ents, e) {
						cands[i].ents = append(cands[i].ents, e)
					}
				}
				if c.exact && !cands[i].exact {
					cands[i].why, cands[i].form, cands[i].how = c.why, c.form, c.how
				}
				cands[i].exact = cands[i].exact || c.exact
				return
			}
		}
		bySpan[[2]int{c.from, c.to}] = len(cands)
		cands = append(cands, c)
	}
	sk := &skelCache{d: d}
	// A word of a place name ("Iran") is not looked up as a name of one
	// word: it is the place.
	// placeAt holds, per token, 1 + the index of the longest place hit
	// that covers it (0: none).
	placeAt := make([]int32, len(d.toks))
	for hi, h := range places {
		for k := h.from; k < h.to; k++ {
			if o := placeAt[k]; o == 0 || places[o-1].to-places[o-1].from < h.to-h.from {
				placeAt[k] = int32(hi + 1)
			}
		}
	}
	inPlace := func(k int) bool { return placeAt[k] != 0 }
	// Both are of the current sentence only, and cleared at the next.
	found := map[int32]int{}  // form -> the token after its last candidate
	tried := map[int32]bool{} // forms aligned without success
	sentNow := int32(-1)
	var buf []int32
	for i := range d.toks {
		t := &d.toks[i]
		if t.flags&fHan != 0 || t.nlet == 0 {
			continue
		}
		if t.sent != sentNow {
			sentNow = t.sent
			clear(found)
			clear(tried)
		}
		nameLike := t.flags&(fUpperFirst|fUncased) != 0
		buf = buf[:0]
		if nameLike {
			ki := sk.keyHashes(i)
			// A word whose skeleton is no name part's is no name part:
			// neither alone nor in a pair (nor its canonical spelling,
			// which keeps the skeleton).
			anyKey := false
			for _, h := range ki {
				anyKey = anyKey || px.keys.has(h)
			}
			// A common word alone is no name; with the capitalised words
			// after it, it may begin one ("National Iranian Oil Company").
			nextCap := i+1 < len(d.toks) && d.toks[i+1].sent == t.sent && d.toks[i+1].flags&fUpperFirst != 0
			if t.nlet >= 4 && !inPlace(i) && (nextCap || !d.common(i)) {
				for _, h := range ki {
					if px.keys.has(h) {
						buf = append(buf, px.singles[h]...)
					}
				}
				if px.keys.has(t.rom) {
					buf = append(buf, px.singles[t.rom]...)
				}
				if t.flags&fLatin == 0 {
					// Any of its romanizations may be the name as listed.
					for _, r := range d.romWords(i)[1:] {
						if h := hashString(r); px.keys.has(h) {
							buf = append(buf, px.singles[h]...)
						}
					}
				} else if anyKey && mayCanonicalize(d.foldedWord(i)) {
					if c := sk.canonical(i); c != "" {
						if h := hashString(c); px.keys.has(h) {
							buf = append(buf, px.singles[h]...)
						}
					}
				}
			}
			// The name parts around: the next two words of the sentence.
			ci := d.common(i)
			if i+1 < len(d.toks) && d.toks[i+1].sent == t.sent {
				if h := combine(t.rom, d.toks[i+1].rom); px.firsts.has(h) {
					buf = append(buf, px.common[h]...)
				}
			}
			for j := i + 1; anyKey && j <= i+2 && j < len(d.toks) && d.toks[j].sent == t.sent; j++ {
				if d.toks[j].flags&(fUpperFirst|fUncased|fDigit) == 0 {
					continue
				}
				if ci && d.common(j) {
					continue
				}
				for _, hj := range sk.keyHashes(j) {
					if !px.keys.has(hj) {
						continue
					}
					for _, h := range ki {
						buf = append(buf, px.pairs[combine(h, hj)]...)
						buf = append(buf, px.pairs[combine(hj, h)]...)
					}
				}
			}
		} else if i+1 < len(d.toks) && d.toks[i+1].sent == t.sent {
			if h := combine(t.rom, d.toks[i+1].rom); px.firsts.has(h) {
				buf = append(buf, px.long[h]...)
			}
		}
		if len(buf) == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		slices.Sort(buf)
		buf = slices.Compact(buf)
		for _, fi := range buf {
			if !s.present(d, sk, i, fi) {
				continue
			}
			if to, ok := found[fi]; ok && i < to {
				continue
			}
			if tried[fi] {
				continue
			}
			if c, ok := s.align(d, sk, i, fi); ok {
				found[fi] = c.to
				add(c)
			} else {
				tried[fi] = true
			}
		}
	}
	// Names written in a non-Latin script, as listed.
	for _, h := range px.script.find(d) {
		e := px.script.phrases[h.phrase].ref
		if !s.scriptNameLooksLikeName(d, h) {
			continue
		}
		add(cand{from: h.from, to: h.to, start: h.start, end: h.end, ents: []int32{e}, exact: true, why: "name as listed in its own script"})
	}
	// Verify, longest spans first; a span overlapping a verified one is dropped.
	sort.SliceStable(cands, func(i, j int) bool {
		li, lj := cands[i].end-cands[i].start, cands[j].end-cands[j].start
		if li != lj {
			return li > lj
		}
		return cands[i].start < cands[j].start
	})
	var out []Mention
	cache := map[string]*interdict.ScreenResult{}
	covered := make([]bool, len(d.toks))
	for _, c := range cands {
		taken := false
		for k := c.from; k < c.to && !taken; k++ {
			taken = covered[k]
		}
		if taken {
			continue // candidates are token spans: it overlaps a verified one
		}
		if o := placeAt[c.from]; o != 0 && places[o-1].start <= c.start && c.end <= places[o-1].end || country.Code(d.text[c.start:c.end]) != "" {
			continue // a place, not a party, in this sentence
		}
		m, ok, err := s.verify(ctx, d, c, cache)
		if err != nil {
			return nil, err
		}
		if !ok && d.toks[c.from].flags&fUncased != 0 && d.toks[c.from].flags&fHan == 0 {
			// وحماس: the name without the proclitic joined to it.
			if r, size := utf8.DecodeRuneInString(d.text[c.start:]); procliticRune(r) && utf8.RuneCountInString(d.word(c.from)[size:]) >= 3 {
				c2 := c
				c2.start += size
				if m, ok, err = s.verify(ctx, d, c2, cache); err != nil {
					return nil, err
				}
			}
		}
		if ok {
			out = append(out, m)
			for k := c.from; k < c.to; k++ {
				covered[k] = true
			}
		}
	}
	return out, nil
}

// verify screens the candidate's text and keeps it when one of its
// entities scores at or above the threshold.
func (s *Scanner) verify(ctx context.Context, d *doc, c cand, cache map[string]*interdict.ScreenResult) (Mention, bool, error) {
	text := d.text[c.start:c.end]
	q := strings.Join(strings.Fields(text), " ")
	res, ok := cache[q]
	if !ok {
		var err error
		res, err = s.opts.Screener.Screen(ctx, interdict.Query{Name: q})
		if err != nil {
			if interdict.ErrorCode(err) == interdict.EINVALID {
				cache[q] = nil
				return Mention{}, false, nil
			}
			return Mention{}, false, fmt.Errorf("screen %q: %w", q, err)
		}
		cache[q] = res
	}
	if res == nil {
		return Mention{}, false, nil
	}
	ids := make([]string, len(c.ents))
	for i, e := range c.ents {
		ids[i] = s.parties.entities[e].ID
	}
	var best *interdict.Hit
	var also []string
	for i := range res.Hits {
		h := &res.Hits[i]
		if h.Score < s.opts.Threshold {
			continue
		}
		if best == nil && slices.Contains(ids, h.EntityID) {
			best = h
			continue
		}
		also = append(also, h.EntityID)
	}
	if best == nil {
		return Mention{}, false, nil
	}
	if len(also) > 5 {
		also = also[:5]
	}
	expl := best.Explanation
	why := s.explain(&c)
	if best.MatchedName != "" {
		why += fmt.Sprintf("; screened %q: %s %q scores %.2f", q, best.EntityID, best.MatchedName, best.Score)
	}
	matched := best.MatchedName
	if matched == best.Name {
		matched = ""
	}
	return Mention{Kind: KindParty, EntityID: best.EntityID, Name: best.Name, Matched: matched, Text: text, Start: c.start, End: c.end,
		Sentence: d.sentence(c.from), Score: best.Score, Why: why, Explanation: &expl, List: best.List, Programs: best.Programs, Also: also}, true, nil
}

// skelCache holds the consonant skeletons of the document's tokens,
// computed on first use.
type skelCache struct {
	d     *doc
	m     map[int32][]string
	canon map[string]string
	// hash holds, for Latin tokens, the hash of the skeleton with the low
	// bit set (0: not yet computed).
	hash []uint64
	khs  map[int32][]uint64
	// memo holds the skeleton hash of the Latin words seen, by the hash
	// of their text.
	memo map[uint64]uint64
}

// keyHashes returns the hashes of the skeletons of token i (one for a
// Latin word, one per romanization otherwise).
func (c *skelCache) keyHashes(i int) []uint64 {
	t := &c.d.toks[i]
	if t.flags&fLatin != 0 {
		c.hasKey(i, 0)
		return c.hash[i : i+1 : i+1]
	}
	if hs, ok := c.khs[int32(i)]; ok {
		return hs
	}
	if c.khs == nil {
		c.khs = map[int32][]uint64{}
	}
	var hs []uint64
	for _, k := range c.keys(i) {
		hs = append(hs, keyHash(k))
	}
	c.khs[int32(i)] = hs
	return hs
}

// hasKey reports whether token i has the skeleton of hash h.
func (c *skelCache) hasKey(i int, h uint64) bool {
	t := &c.d.toks[i]
	if t.flags&fLatin != 0 {
		if c.hash == nil {
			c.hash = make([]uint64, len(c.d.toks))
		}
		if c.hash[i] == 0 {
			// A word comes back many times in a text: its skeleton is
			// computed once.
			k, ok := c.memo[t.rom]
			if !ok {
				if c.memo == nil {
					c.memo = map[uint64]uint64{}
				}
				k = keyHash(normalize.Skeleton(c.d.romWords(i)[0]))
				c.memo[t.rom] = k
			}
			c.hash[i] = k
		}
		return c.hash[i] == h
	}
	for _, k := range c.keyHashes(i) {
		if k == h {
			return true
		}
	}
	return false
}

func (c *skelCache) keys(i int) []string {
	if k, ok := c.m[int32(i)]; ok {
		return k
	}
	if c.m == nil {
		c.m = map[int32][]string{}
	}
	var ks []string
	for _, r := range c.d.romWords(i) {
		k := normalize.Skeleton(r)
		if !slices.Contains(ks, k) {
			ks = append(ks, k)
		}
	}
	c.m[int32(i)] = ks
	return ks
}

// scriptNameLooksLikeName applies the rules of align to a name found as
// listed in its own script: one word must be long, no common word, and not
// run on into another capitalised word; several words must not be part of
// a longer capitalised name.
func (s *Scanner) scriptNameLooksLikeName(d *doc, h hit) bool {
	if h.to-h.from == 1 && d.toks[h.from].flags&fHan == 0 {
		t := &d.toks[h.from]
		f := d.foldedWord(h.from)
		if t.nlet < 4 || uncasedCommon[f] || commonWords[f] {
			return false
		}
	}
	if d.toks[h.from].flags&fHan != 0 {
		return true
	}
	return !s.capitalisedNeighbour(d, h.from, h.to, false)
}

// keyHash hashes a skeleton, with the low bit set (so never 0).
func keyHash(k string) uint64 { return hashString(k) | 1 }
