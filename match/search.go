package match

import (
	"math"
	"sort"
	"strings"
	"sync"

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
	KindMismatch    float64 `json:"kind_mismatch"`
	AddressMatch    float64 `json:"address_match"`
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
}

func (ix *Index) queryForms(name string, kind interdict.Kind) []qform {
	script := interdict.Script(name)
	latin := script == "Latn" || script == ""
	syllabic := script == "Hani" || script == "Hang" || script == "Hira" || script == "Kana"
	vs := normalize.Parse(name, hintFor(kind))
	out := make([]qform, 0, len(vs))
	for _, v := range vs {
		qf := qform{latin: latin, toks: make([]qtok, len(v.Tokens))}
		parts := make([]string, len(v.Tokens))
		for i, t := range v.Tokens {
			qt := qtok{text: t.Text, key: t.Key, class: t.Class, strict: syllabic}
			if ix == nil {
				qt.w, qt.known = classWeight(t.Class), true
			} else if id, ok := ix.byText[t.Text]; ok && !ix.joined[id] {
				qt.w, qt.known = ix.weight(id, t.Class), true
			} else {
				qt.w = ix.maxIDF * 0.9 * classWeight(t.Class)
			}
			qf.toks[i] = qt
			parts[i] = t.Text
		}
		qf.text = strings.Join(parts, " ")
		out = append(out, qf)
	}
	return out
}

func (ix *Index) entityForm(f *form) []ctok {
	c := make([]ctok, len(f.toks))
	for i, t := range f.toks {
		c[i] = ctok{text: ix.vocab[t.id], key: ix.keys[t.id], class: t.class, w: ix.weight(t.id, t.class)}
	}
	return c
}

type simTok struct {
	id  uint32
	sim float32
}

// similar returns the vocabulary tokens alike to a query token.
func (ix *Index) similar(text, key string, out []simTok) []simTok {
	seen := map[uint32]bool{}
	try := func(id uint32) {
		if seen[id] {
			return
		}
		seen[id] = true
		s, _ := tokenSim(text, key, ix.vocab[id], ix.keys[id])
		if ix.joined[id] && s >= 0.8 {
			out = append(out, simTok{id, float32(s)})
		} else if !ix.joined[id] && s >= 0.6 {
			out = append(out, simTok{id, float32(s)})
		}
	}
	if id, ok := ix.byText[text]; ok {
		try(id)
	}
	if len(text) < 2 {
		return out
	}
	if len(key) >= 2 || len(text) <= 4 {
		for _, id := range ix.byKey[key] {
			try(id)
		}
	}
	if len(text) >= 3 && !isDigits(text) {
		for _, d := range deletions(text) {
			for _, id := range ix.deletes[d] {
				try(id)
			}
		}
	}
	for _, n := range normalize.Nicknames(text) {
		if id, ok := ix.byText[n]; ok {
			try(id)
		}
	}
	return out
}

type scratch struct {
	acc   []float32
	stamp []uint32
	gen   uint32
	touch []uint32
}

var scratchPool sync.Pool

// Search returns the entities q may be, best first (ties by entity ID).
// Entities are retrieved on their names and on exact identifier matches;
// secondary evidence only moves scores. Search does no I/O and is safe for
// concurrent use.
func (ix *Index) Search(q interdict.Query, opt Options) []Match {
	if opt.Limit <= 0 {
		opt.Limit = 10
	}
	w := opt.Weights
	if w == (Weights{}) {
		w = DefaultWeights()
	}
	qfs := ix.queryForms(q.Name, q.Kind)

	sc, _ := scratchPool.Get().(*scratch)
	if sc == nil || len(sc.acc) < len(ix.forms) {
		sc = &scratch{acc: make([]float32, len(ix.forms)), stamp: make([]uint32, len(ix.forms))}
	}
	defer scratchPool.Put(sc)
	sc.touch = sc.touch[:0]

	// Retrieval: accumulate, per form, the weight of query tokens it has
	// something alike to.
	var qtotal float32
	done := map[string]bool{}
	var sims []simTok
	for _, qf := range qfs {
		var t float32
		for _, qt := range qf.toks {
			t += qt.w
		}
		qtotal = max(qtotal, t)
		type lookup struct {
			text, key string
			w         float32
		}
		var looks []lookup
		for i, qt := range qf.toks {
			if qt.w > 0 {
				looks = append(looks, lookup{qt.text, qt.key, qt.w})
			}
			if i+1 < len(qf.toks) && joinable(qt.class) && joinable(qf.toks[i+1].class) {
				jt := qt.text + qf.toks[i+1].text
				looks = append(looks, lookup{jt, normalize.Skeleton(jt), qt.w + qf.toks[i+1].w})
			}
		}
		for _, l := range looks {
			if done[l.text] {
				continue
			}
			done[l.text] = true
			sc.gen++
			sims = ix.similar(l.text, l.key, sims[:0])
			sort.Slice(sims, func(a, b int) bool {
				if sims[a].sim != sims[b].sim {
					return sims[a].sim > sims[b].sim
				}
				return sims[a].id < sims[b].id
			})
			for _, s := range sims {
				for _, f := range ix.postings[s.id] {
					if sc.stamp[f] == sc.gen {
						continue
					}
					if sc.acc[f] == 0 {
						sc.touch = append(sc.touch, f)
					}
					sc.stamp[f] = sc.gen
					sc.acc[f] += l.w * s.sim
				}
			}
		}
	}
	// Keep the forms with enough of the query, best first.
	type cand struct {
		f   uint32
		acc float32
	}
	var cands []cand
	for _, f := range sc.touch {
		a := sc.acc[f]
		sc.acc[f] = 0
		if a >= 0.45*qtotal {
			cands = append(cands, cand{f, a})
		}
	}
	sort.Slice(cands, func(a, b int) bool {
		if cands[a].acc != cands[b].acc {
			return cands[a].acc > cands[b].acc
		}
		return cands[a].f < cands[b].f
	})
	const maxForms = 60
	if len(cands) > maxForms {
		cands = cands[:maxForms]
	}
	// Score candidates: per entity, the best form.
	best := map[uint32]*Match{}
	var order []uint32
	consider := func(fid uint32) {
		f := &ix.forms[fid]
		e := &ix.entities[f.ent]
		if opt.Filter != nil && !opt.Filter(e) {
			return
		}
		m := ix.scoreForm(qfs, fid, &w)
		if cur, ok := best[f.ent]; !ok {
			best[f.ent] = m
			order = append(order, f.ent)
		} else if m.Explanation.NameScore > cur.Explanation.NameScore {
			best[f.ent] = m
		}
	}
	for _, c := range cands {
		consider(c.f)
	}
	if opt.all {
		for fid := range ix.forms {
			consider(uint32(fid))
		}
	}
	// Identifiers go straight to the top.
	idEnts := map[uint32]bool{}
	if q.IDNumber != "" {
		for _, k := range idKeys(q.IDNumber, "") {
			for _, ent := range ix.ids[k] {
				idEnts[ent] = true
				if _, ok := best[ent]; !ok {
					r := ix.entForms[ent]
					for fid := r[0]; fid < r[1]; fid++ {
						consider(fid)
					}
					if _, ok := best[ent]; !ok && (opt.Filter == nil || opt.Filter(&ix.entities[ent])) {
						best[ent] = &Match{Entity: &ix.entities[ent], Name: -1}
						order = append(order, ent)
					}
				}
			}
		}
	}
	qd, hasDOB := parseDOB(q.DOB)
	out := make([]Match, 0, len(order))
	for _, ent := range order {
		m := best[ent]
		score := m.Explanation.NameScore * w.NameOnlyCap
		if m.Name >= 0 && m.Entity.Names[m.Name].Quality == interdict.NameWeak {
			eff := score*w.WeakAlias - score
			m.Explanation.Evidence = append(m.Explanation.Evidence, interdict.Evidence{Feature: "alias_quality", Entity: string(interdict.NameWeak), Effect: round3(eff), Note: "weak alias weighted lower"})
			score += eff
		}
		if idEnts[ent] {
			eff := math.Max(0, w.IdentifierScore-score)
			m.Explanation.Evidence = append(m.Explanation.Evidence, interdict.Evidence{Feature: "identifier", Query: q.IDNumber, Effect: round3(eff), Note: "exact identifier match"})
			score += eff
		}
		for _, ev := range ix.evidence(&q, ent, &w, qd, hasDOB) {
			ev.Effect = round3(ev.Effect)
			m.Explanation.Evidence = append(m.Explanation.Evidence, ev)
			score += ev.Effect
		}
		m.Score = round3(math.Max(0, math.Min(1, score)))
		if m.Score >= opt.MinScore {
			out = append(out, *m)
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Score != out[b].Score {
			return out[a].Score > out[b].Score
		}
		return out[a].Entity.ID < out[b].Entity.ID
	})
	if len(out) > opt.Limit {
		out = out[:opt.Limit]
	}
	return out
}

// scoreForm scores every query form against one entity form and keeps the
// best.
func (ix *Index) scoreForm(qfs []qform, fid uint32, w *Weights) *Match {
	f := &ix.forms[fid]
	e := &ix.entities[f.ent]
	c := ix.entityForm(f)
	var bestAl alignment
	bi := -1
	for i := range qfs {
		al := align(qfs[i].toks, c, w.UnmatchedEntity)
		if bi < 0 || al.score > bestAl.score {
			bestAl, bi = al, i
		}
	}
	m := &Match{Entity: e, Name: int(f.name)}
	if bi < 0 {
		return m
	}
	n := e.Names[f.name]
	script := n.Script
	if script == "" {
		script = interdict.Script(n.Full)
	}
	parts := make([]string, len(c))
	for i := range c {
		parts[i] = c[i].text
	}
	tm, uq, uc := explainAlignment(qfs[bi].toks, c, bestAl, qfs[bi].latin, f.latin)
	m.Explanation = interdict.Explanation{
		NameQuality:     n.Quality,
		NameScript:      script,
		QueryForm:       qfs[bi].text,
		EntityForm:      strings.Join(parts, " "),
		NameScore:       round3(bestAl.score),
		Alignment:       tm,
		UnmatchedQuery:  uq,
		UnmatchedEntity: uc,
	}
	if bestAl.numberBad {
		m.Explanation.Evidence = append(m.Explanation.Evidence, interdict.Evidence{Feature: "numbers", Effect: 0, Note: "numbers in the names differ (name score lowered)"})
	}
	return m
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
