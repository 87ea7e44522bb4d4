package classify

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/interdict/interdict"
)

// PartyScreener screens the end user of a line; interdict.Screener
// satisfies it.
type PartyScreener interface {
	Screen(ctx context.Context, q interdict.Query) (*interdict.ScreenResult, error)
}

// Options configure a Classifier. The zero value is usable.
type Options struct {
	// Screener screens end users; nil leaves the end-user section
	// unscreened.
	Screener PartyScreener
	// CountryCode resolves a destination name or code to ISO 3166-1
	// alpha-2; nil accepts only two-letter codes.
	CountryCode func(string) string
	// CountryName names an alpha-2 code; nil leaves names empty.
	CountryName func(string) string
	// MaxCandidates caps the candidates returned; 0 means 5.
	MaxCandidates int
}

// Thresholds of the verdict, on the candidate score in [0, 1].
const (
	// CandidateThreshold is the score from which an entry is reported as a
	// candidate.
	CandidateThreshold = 0.42
	// ReportThreshold is the score from which an entry is shown at all.
	ReportThreshold = 0.25
)

// Classifier proposes control entries for line items. It is immutable and
// safe for concurrent use.
type Classifier struct {
	opts  Options
	cat   *catalog
	ix    *index
	dest  *destRules
	kwIdx []kwEntry
	syn   [][2][]string
	// missing caches genericMissing per entry index ([]string values).
	missing sync.Map
	// headOnly marks entries described by their heading alone.
	headOnly map[int]bool
	pool     sync.Pool
}

// scratch holds per-call dense buffers indexed by document.
type scratch struct {
	best       []float32
	via        []int16
	touched    []int32
	accIdx     []int32
	accTouched []int32
}

func (c *Classifier) scratch() *scratch {
	if v, ok := c.pool.Get().(*scratch); ok {
		return v
	}
	n := len(c.ix.docs)
	sc := &scratch{best: make([]float32, n), via: make([]int16, n), accIdx: make([]int32, n)}
	for i := range sc.accIdx {
		sc.accIdx[i] = -1
	}
	return sc
}

type kwEntry struct {
	phrase string
	terms  []string
	codes  []string
}

// New loads the bundled control lists and builds a Classifier.
func New(opts Options) (*Classifier, error) {
	if opts.MaxCandidates <= 0 {
		opts.MaxCandidates = 5
	}
	cat, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	dr, err := loadDestRules()
	if err != nil {
		return nil, err
	}
	c := &Classifier{opts: opts, cat: cat, ix: buildIndex(cat), dest: dr, headOnly: map[int]bool{}}
	for _, s := range synonyms {
		c.syn = append(c.syn, [2][]string{terms(s.from), terms(s.to)})
	}
	for i := range cat.entries {
		if cat.entries[i].Parent == "" && headingOnly(&cat.entries[i]) {
			c.headOnly[i] = true
		}
	}
	byPhrase := map[string][]string{}
	for code, ps := range keywords {
		for _, p := range ps {
			byPhrase[p] = append(byPhrase[p], code)
		}
	}
	for p, codes := range byPhrase {
		sort.Strings(codes)
		c.kwIdx = append(c.kwIdx, kwEntry{p, terms(p), codes})
	}
	sort.Slice(c.kwIdx, func(i, j int) bool { return c.kwIdx[i].phrase < c.kwIdx[j].phrase })
	return c, nil
}

// Entry returns the catalog entry for a code as the list writes it.
func (c *Classifier) Entry(code string) (interdict.ControlEntry, bool) {
	i, ok := c.cat.byCode[code]
	if !ok {
		return interdict.ControlEntry{}, false
	}
	return c.cat.entries[i], true
}

type concept struct {
	word string
	alts []string
	w    float64
	// head and app: the term is the line's head noun or part of the
	// application it names; generic: see genericTerms.
	head, app, generic bool
}

type acc struct {
	doc     int
	text    float64
	matched [][2]string
	phrase  float64
	kw      []string
	tariff  string
	// specific is true when a non-generic term, a synonym or a phrase not
	// used by ordinary goods matched; head when the head noun matched; app
	// the weight of the application terms matched.
	specific, head bool
	app            float64
	// nSpecific counts the non-generic terms (or synonyms) matched;
	// phraseSpecific is true when a phrase ordinary goods do not use
	// matched.
	nSpecific      int
	phraseSpecific bool
}

// evidence reports whether the text gives evidence for an entry beyond
// generic words: a keyword or a phrase ordinary goods do not use; or the
// line's head noun together with every other word of its first phrase, an
// application term or two more specific terms ("frames" alone is no
// evidence for "picture frames"); or, when the head noun is missed, three
// specific terms (two when the lists do not know the head noun at all).
func (a *acc) evidence(rd *reading, headKnown bool) bool {
	if len(a.kw) > 0 || a.phraseSpecific {
		return true
	}
	if !a.head {
		return a.nSpecific >= 3 || (!headKnown && a.nSpecific >= 2)
	}
	if a.app > 0 || a.nSpecific >= 3 {
		return true
	}
	for _, m := range rd.mods {
		found := false
		for _, mt := range a.matched {
			if mt[0] == m {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Weights of the reading of a line (see reading).
const (
	// wGeneric scales the weight of a generic term.
	wGeneric = 0.5
	// wHeadNoun and wApp scale the head noun and the application terms.
	wHeadNoun = 2.0
	wApp      = 1.4
	// headMiss scales the score of an entry that misses a head noun the
	// lists know, unless a keyword led to it.
	headMiss = 0.8
	// appBonus is added, in proportion to the application terms matched,
	// to an entry that matches both the head noun and the application.
	appBonus = 0.15
)

var softwareRe = regexp.MustCompile(`(?i)\b(software|technology|source code|firmware licen[cs]e|know-how)\b`)

// Classify classifies one line item. It returns EINVALID when the item has
// neither a description nor a tariff code.
func (c *Classifier) Classify(ctx context.Context, item interdict.LineItem) (*interdict.Classification, error) {
	if strings.TrimSpace(item.Description) == "" && strings.TrimSpace(item.HSCode) == "" {
		return nil, interdict.Errorf(interdict.EINVALID, "A line item needs a description or a tariff code.")
	}
	if d := strings.TrimSpace(item.Destination); d != "" && c.countryCode(d) == "" && c.dest.region(strings.ToLower(d)) == nil {
		return nil, interdict.Errorf(interdict.EINVALID, "Destination %q is not a country interdict knows; give an ISO 3166 code (FR) or a country name (France), or leave the destination out.", d)
	}
	lower := strings.ToLower(item.Description)
	res := &interdict.Classification{Item: item, Candidates: []interdict.Candidate{}}

	// Text signal.
	qterms := terms(item.Description)
	concepts := make([]concept, 0, len(qterms))
	seen := map[string]bool{}
	rd := c.read(lower)
	// headKnown: the head noun is a specific term of the lists; headNoun:
	// the lists use it at all.
	headKnown, headNoun := false, false
	var appTotal float64
	for _, t := range qterms {
		if seen[t] {
			continue
		}
		seen[t] = true
		cp := concept{word: t, w: c.ix.termIDF(t), head: has(rd.head, t), app: has(rd.app, t), generic: c.ix.generic[t]}
		headNoun = headNoun || (cp.head && len(c.ix.post[t]) > 0)
		switch {
		case cp.generic:
			cp.w *= wGeneric
		case cp.head:
			cp.w *= wHeadNoun
			headKnown = headKnown || len(c.ix.post[t]) > 0
		case cp.app:
			cp.w *= wApp
			appTotal += cp.w
		}
		concepts = append(concepts, cp)
	}
	for _, s := range c.syn {
		from, to := s[0], s[1]
		if !containsSeq(qterms, from) {
			continue
		}
		for i := range concepts {
			for _, f := range from {
				if concepts[i].word == f {
					concepts[i].alts = append(concepts[i].alts, to...)
				}
			}
		}
	}
	var total float64
	for _, cp := range concepts {
		total += cp.w
	}
	soft := softwareRe.MatchString(item.Description)
	sc := c.scratch()
	defer c.pool.Put(sc)
	var accs []*acc
	get := func(d int) *acc {
		if k := sc.accIdx[d]; k >= 0 {
			return accs[k]
		}
		a := &acc{doc: d}
		sc.accIdx[d] = int32(len(accs))
		sc.accTouched = append(sc.accTouched, int32(d))
		accs = append(accs, a)
		return a
	}
	for _, cp := range concepts {
		sc.touched = sc.touched[:0]
		for ti, t := range append([]string{cp.word}, cp.alts...) {
			for _, p := range c.ix.post[t] {
				if sc.best[p.doc] == 0 {
					sc.touched = append(sc.touched, p.doc)
				}
				if p.weight > sc.best[p.doc] {
					sc.best[p.doc] = p.weight
					sc.via[p.doc] = int16(ti)
				}
			}
		}
		for _, d := range sc.touched {
			w := sc.best[d]
			sc.best[d] = 0
			if c.ix.docs[d].soft != soft {
				continue
			}
			a := get(int(d))
			a.text += cp.w * float64(w)
			v := cp.word
			if ti := sc.via[d]; ti > 0 {
				v = cp.alts[ti-1]
			}
			if !cp.generic || sc.via[d] > 0 {
				a.specific = true
				a.nSpecific++
				if cp.head {
					a.head = true
				} else if cp.app {
					a.app += cp.w
				}
			}
			a.matched = append(a.matched, [2]string{cp.word, v})
		}
	}
	defer func() {
		for _, d := range sc.accTouched {
			sc.accIdx[d] = -1
		}
		sc.accTouched = sc.accTouched[:0]
	}()
	for i := 0; i+1 < len(qterms); i++ {
		bg := [2]string{qterms[i], qterms[i+1]}
		for _, a := range accs {
			// Phrases only refine documents the words already point to.
			if a.text < 0.2*total {
				continue
			}
			if c.ix.docs[a.doc].bigram[bg] {
				a.phrase += 0.08
				if !c.ix.hsBigrams[bg] {
					a.specific = true
					a.phraseSpecific = true
				}
			}
		}
	}
	for _, k := range c.kwIdx {
		if !containsSeq(qterms, k.terms) && !containsWord(lower, k.phrase) {
			continue
		}
		for _, code := range k.codes {
			if d, ok := c.ix.byCode[code]; ok && !c.ix.docs[d].soft {
				a := get(d)
				a.kw = append(a.kw, k.phrase)
			}
		}
	}

	// Code signal.
	if hs := digits(item.HSCode); hs != "" {
		ts := c.tariff(item.HSCode, hs)
		res.Tariff = ts
		for _, code := range ts.Related {
			if d, ok := c.ix.byCode[code]; ok {
				a := get(d)
				a.tariff = fmt.Sprintf("HS %s → %s", ts.HS6, code)
			}
		}
	}

	// Score and keep the best document per root entry.
	qs := Quantities(item.Description)
	mats := statedMaterials(lower)
	type scored struct {
		a     *acc
		score float64
	}
	bestByRoot := map[int]scored{}
	for _, a := range accs {
		d := a.doc
		// An entry matched on generic words alone, or on the head noun of
		// another kind of thing, is no candidate unless a keyword or the
		// tariff code points to it.
		textEvidence := a.evidence(&rd, headNoun)
		if !textEvidence && a.tariff == "" {
			continue
		}
		var s float64
		if total > 0 {
			s = 0.8 * a.text / total
		}
		s += math.Min(a.phrase, 0.16)
		if headKnown && !a.head && len(a.kw) == 0 {
			s *= headMiss
		}
		if a.head && appTotal > 0 {
			s += appBonus * a.app / appTotal
		}
		if len(a.kw) > 0 {
			s += 0.4
		}
		if a.tariff != "" {
			if s > 0 {
				s += 0.12
			} else {
				s = 0.3
			}
		}
		s = math.Min(s, 1)
		if s < ReportThreshold {
			continue
		}
		// The tariff code alone raises an entry the description does not
		// support only when the score reaches a candidate's.
		if !textEvidence && len(concepts) > 0 && s < CandidateThreshold {
			continue
		}
		r := c.ix.docs[d].root
		if b, ok := bestByRoot[r]; !ok || s > b.score || (s == b.score && c.ix.docs[d].code < c.ix.docs[b.a.doc].code) {
			bestByRoot[r] = scored{a, s}
		}
	}
	list := make([]scored, 0, len(bestByRoot))
	for _, s := range bestByRoot {
		list = append(list, s)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].score != list[j].score {
			return list[i].score > list[j].score
		}
		return c.ix.docs[list[i].a.doc].code < c.ix.docs[list[j].a.doc].code
	})
	if len(list) > c.opts.MaxCandidates*2 {
		list = list[:c.opts.MaxCandidates*2]
	}

	// Missing parameters and the verdict.
	var cands, excluded []interdict.Candidate
	for _, s := range list {
		cand := c.candidate(s.a, s.score, lower, qs, mats)
		if cand.Status == "excluded" {
			excluded = append(excluded, cand)
			continue
		}
		cands = append(cands, cand)
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].Score > cands[j].Score })
	if len(cands) > c.opts.MaxCandidates {
		cands = cands[:c.opts.MaxCandidates]
	}
	if len(excluded) > 2 {
		excluded = excluded[:2]
	}
	res.Candidates = append(cands, excluded...)
	if res.Candidates == nil {
		res.Candidates = []interdict.Candidate{}
	}
	res.Verdict, res.Basis = verdict(cands, excluded, res.Tariff)

	// Destination and end user.
	if item.Destination != "" || item.Address != "" {
		res.Destination = c.destination(item, cands)
	}
	if item.EndUser != "" {
		eu, err := c.endUser(ctx, item)
		if err != nil {
			return nil, err
		}
		res.EndUser = eu
	}
	res.Attention = res.Verdict == interdict.VerdictListed ||
		(res.Destination != nil && res.Destination.Attention) || (res.EndUser != nil && res.EndUser.Attention)
	c.decide(res, cands)
	return res, nil
}

func containsSeq(hay, needle []string) bool {
	if len(needle) == 0 {
		return false
	}
	for i := 0; i+len(needle) <= len(hay); i++ {
		ok := true
		for j := range needle {
			if hay[i+j] != needle[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func verdict(cands, excluded []interdict.Candidate, ts *interdict.TariffSignal) (interdict.Verdict, string) {
	for _, c := range cands {
		if c.Status == "listed" {
			return interdict.VerdictListed, fmt.Sprintf("%s (%s): every deciding parameter stated and met: %q", c.Entry, c.Regime, clip(c.Text, 240))
		}
	}
	for _, c := range cands {
		if c.Score >= CandidateThreshold {
			return interdict.VerdictCandidate, fmt.Sprintf("%s (%s) may apply: %q; still needed: %s", c.Entry, c.Regime, clip(c.Text, 240), strings.Join(orNone(c.MissingParameters), "; "))
		}
	}
	if len(excluded) > 0 {
		e := excluded[0]
		var why []string
		for _, p := range e.Parameters {
			if !p.Met {
				why = append(why, fmt.Sprintf("%s %s does not meet %q", p.Name, p.Stated, p.Threshold))
			}
		}
		return interdict.VerdictNotListed, fmt.Sprintf("closest entry %s is ruled out: %s", e.Entry, strings.Join(why, "; "))
	}
	b := "no control entry matched the description's technical terms (EAR99 if subject to the EAR)"
	if ts != nil && ts.CHPLTier != "" {
		b += fmt.Sprintf("; HS %s is on the Common High Priority List, tier %s", ts.HS6, ts.CHPLTier)
	}
	return interdict.VerdictNotListed, b
}

func orNone(s []string) []string {
	if len(s) == 0 {
		return []string{"a closer reading of the entry text"}
	}
	return s
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndex(s[:n], " ")
	if cut < n/2 {
		cut = n
	}
	return s[:cut] + " …"
}

var casRe = regexp.MustCompile(`^\(C\.A\.S\. #[0-9-]+\),?\s*`)

// candidate builds the candidate for a scored document, with the parameter
// checks that decide its status.
func (c *Classifier) candidate(a *acc, score float64, lower string, qs []Quantity, mats []string) interdict.Candidate {
	d := &c.ix.docs[a.doc]
	e := &c.cat.entries[d.entry]
	root := &c.cat.entries[d.root]
	cand := interdict.Candidate{
		Entry: d.code, Regime: root.Regime, Lists: root.Lists, Score: math.Round(score*1000) / 1000,
		Status: "candidate", Heading: root.Heading, Text: clip(e.Text, 700), Reasons: root.Reasons,
		Tariff: a.tariff, MatchedTerms: []string{}, MissingParameters: []string{},
	}
	if cand.Text == "" {
		cand.Text = root.Heading
	}
	ms := append([][2]string(nil), a.matched...)
	sort.Slice(ms, func(i, j int) bool { return ms[i][0] < ms[j][0] })
	for _, m := range ms {
		if m[1] != m[0] {
			cand.MatchedTerms = append(cand.MatchedTerms, m[0]+" ≈ "+m[1])
		} else {
			cand.MatchedTerms = append(cand.MatchedTerms, m[0])
		}
	}
	for _, k := range a.kw {
		cand.MatchedTerms = append(cand.MatchedTerms, "\""+k+"\"")
	}
	sp, ok := specs[d.code]
	if !ok {
		sp, ok = specs[root.Code]
	}
	switch {
	case ok:
		ev := sp.evaluate(lower, qs, mats)
		for _, ch := range ev.checks {
			cand.Parameters = append(cand.Parameters, interdict.ParameterCheck{Name: ch.name, Stated: ch.stated, Threshold: ch.threshold, Met: ch.met})
		}
		cand.MissingParameters = append(cand.MissingParameters, ev.missing...)
		switch {
		case ev.excluded:
			cand.Status = "excluded"
			cand.Score = math.Round(score*300) / 1000
		case ev.listed && score >= CandidateThreshold:
			cand.Status = "listed"
		}
	case casRe.MatchString(e.Text):
		name := strings.ToLower(strings.TrimRight(casRe.ReplaceAllString(e.Text, ""), ";. "))
		if name != "" && strings.Contains(lower, name) {
			cand.Status = "listed"
			cand.Score = math.Max(cand.Score, 0.9)
			cand.MatchedTerms = append(cand.MatchedTerms, "\""+name+"\"")
		} else {
			cand.MissingParameters = c.genericMissing(d.entry)
		}
	case c.headOnly[d.root] && d.code == root.Code && len(a.kw) > 0 && score >= CandidateThreshold:
		cand.Status = "listed"
	default:
		cand.MissingParameters = c.genericMissing(d.entry)
	}
	return cand
}

// headingOnly reports whether an entry is fully described by its heading
// with no technical threshold ("The list of items controlled is contained in
// the ECCN heading").
func headingOnly(e *interdict.ControlEntry) bool {
	if !strings.HasPrefix(e.Text, "The list of items controlled is contained in the ECCN heading") {
		return false
	}
	return len(Quantities(e.Heading)) == 0 && !strings.Contains(e.Heading, "having")
}

var paramWords = regexp.MustCompile(`(?i)\b(accuracy|frequency|power|speed|resolution|rate|temperature|pressure|volume|diameter|exceeding|better than|greater than|less than|or more|or greater|capacity|range|wavelength|bandwidth|made of|made from|lined with|nickel|fluoropolymer)\b`)

// genericMissing lists the clauses of an entry's text (and its sub-items)
// that state a threshold, as the parameters to ask for.
func (c *Classifier) genericMissing(i int) []string {
	if v, ok := c.missing.Load(i); ok {
		return append([]string{}, v.([]string)...)
	}
	out := c.computeMissing(i)
	c.missing.Store(i, out)
	return append([]string{}, out...)
}

var clauseRe = regexp.MustCompile(`[;:]\s+|\.\s+(?:[a-z]\.(?:\d+\.)?\s)?`)

func (c *Classifier) computeMissing(i int) []string {
	var b strings.Builder
	c.cat.subtreeText(i, &b)
	text := b.String()
	seen := map[string]bool{}
	out := []string{}
	for _, cl := range clauseRe.Split(text, -1) {
		cl = strings.TrimSpace(cl)
		if len(cl) < 12 || !paramWords.MatchString(cl) {
			continue
		}
		if len(Quantities(cl)) == 0 && !strings.Contains(strings.ToLower(cl), "made") && !strings.Contains(strings.ToLower(cl), "lined") {
			continue
		}
		cl = clip(cl, 140)
		if seen[cl] {
			continue
		}
		seen[cl] = true
		out = append(out, cl)
		if len(out) == 4 {
			break
		}
	}
	if strings.Contains(text, "\"specially designed\"") || strings.Contains(text, "specially designed") {
		out = append(out, "whether \"specially designed\" or prepared for the use the entry names")
	}
	return out
}

// tariff returns the code signal for an HS code.
func (c *Classifier) tariff(raw, hs string) *interdict.TariffSignal {
	ts := &interdict.TariffSignal{HSCode: raw}
	if len(hs) >= 6 {
		ts.HS6 = hs[:6]
	} else {
		ts.HS6 = hs
	}
	if d, ok := c.cat.hs[ts.HS6]; ok {
		ts.Description = d
	} else if len(hs) >= 4 {
		ts.Description = c.cat.hs[hs[:4]]
	}
	if tier, ok := c.cat.chpl[ts.HS6]; ok {
		ts.CHPLTier = tier
		ts.CHPLNote = "Common High Priority List (BIS/EU/UK/JP, 2024-02-23): enforcement priority for diversion to Russia; not a control entry"
	}
	seen := map[string]bool{}
	for _, n := range []int{6, 4, 2} {
		if len(hs) < n {
			continue
		}
		for _, code := range hsRelated[hs[:n]] {
			if !seen[code] {
				seen[code] = true
				ts.Related = append(ts.Related, code)
			}
		}
	}
	return ts
}
