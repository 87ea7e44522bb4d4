package classify

import (
	"math"
	"strings"
)

// Field weights: a term in the head clause of an item says what the item
// is; a term elsewhere in the text or in the parent heading says less.
const (
	wHead = 1.0
	wCtx  = 0.6
	wBody = 0.45
)

type doc struct {
	code   string
	entry  int // index in catalog.entries
	root   int
	soft   bool // software or technology (product groups D, E)
	text   string
	lower  string
	bigram map[[2]string]bool
}

type posting struct {
	doc    int32
	weight float32
}

type index struct {
	docs   []doc
	post   map[string][]posting
	idf    map[string]float64
	maxIDF float64
	byCode map[string]int // code → doc
	// generic marks terms that are weak evidence on their own (see
	// genericTerms); spread those of them used all over the lists;
	// hsBigrams holds the word pairs of the HS nomenclature.
	generic   map[string]bool
	spread    map[string]bool
	hsBigrams map[[2]string]bool
}

func depth(code string) int { return strings.Count(code, ".") }

func firstClause(s string) string {
	cut := len(s)
	for _, sep := range []string{":", ";", ", having", " having ", " with ", " that ", " which ", " capable ", " where "} {
		if i := strings.Index(s, sep); i > 0 && i < cut {
			cut = i
		}
	}
	return s[:cut]
}

func buildIndex(c *catalog) *index {
	ix := &index{post: map[string][]posting{}, idf: map[string]float64{}, byCode: map[string]int{}}
	df := map[string]int{}
	add := func(d doc, fields map[string]float32) {
		id := int32(len(ix.docs))
		ix.byCode[d.code] = len(ix.docs)
		ix.docs = append(ix.docs, d)
		for t, w := range fields {
			ix.post[t] = append(ix.post[t], posting{id, w})
			df[t]++
		}
	}
	put := func(m map[string]float32, s string, w float32) []string {
		ts := terms(s)
		for _, t := range ts {
			if m[t] < w {
				m[t] = w
			}
		}
		return ts
	}
	bigrams := func(ts ...[]string) map[[2]string]bool {
		m := map[[2]string]bool{}
		for _, seq := range ts {
			for i := 0; i+1 < len(seq); i++ {
				m[[2]string{seq[i], seq[i+1]}] = true
			}
		}
		return m
	}
	for i, e := range c.entries {
		if depth(e.Code) > 2 {
			continue
		}
		ri := i
		if e.Parent != "" {
			r, _, _ := strings.Cut(e.Code, ".")
			var ok bool
			if ri, ok = c.byCode[r]; !ok {
				continue
			}
		}
		soft := len(e.Code) >= 2 && (e.Code[1] == 'D' || e.Code[1] == 'E')
		fields := map[string]float32{}
		var b strings.Builder
		if e.Parent == "" {
			h := put(fields, e.Heading, wHead)
			t := put(fields, e.Text, wBody)
			b.WriteString(e.Text)
			add(doc{code: e.Code, entry: i, root: ri, soft: soft, text: e.Text, lower: strings.ToLower(e.Heading + " " + e.Text), bigram: bigrams(h, t)}, fields)
			continue
		}
		c.subtreeText(i, &b)
		full := b.String()
		h := put(fields, firstClause(e.Text), wHead)
		t := put(fields, full, wBody)
		put(fields, c.entries[ri].Heading, wCtx)
		add(doc{code: e.Code, entry: i, root: ri, soft: soft, text: e.Text, lower: strings.ToLower(full), bigram: bigrams(h, t)}, fields)
	}
	n := float64(len(ix.docs))
	for t, d := range df {
		ix.idf[t] = math.Log(1 + n/float64(d))
	}
	ix.maxIDF = math.Log(1 + n)
	ix.generic, ix.spread, ix.hsBigrams = genericTerms(ix, c.hs)
	return ix
}

// Thresholds of genericTerms.
const (
	// genericSpread: a term in at least this share of the root entries
	// (system, equipment, part, component, device, material) names no
	// particular entry.
	genericSpread = 0.07
	// genericTrade: a term that the HS 2022 nomenclature, the vocabulary of
	// all traded goods, uses at least this share as often as the control
	// lists do (per description vs per root entry) is an everyday word
	// (steel, paper, chair, plant, office, electric, wire).
	genericTrade = 0.2
)

// genericTerms learns which terms are generic from the texts themselves:
// document frequency across the root entries of the control lists, and
// against the descriptions of the HS nomenclature (hs, HS-4 and HS-6).
// Spread holds the generic terms of the first kind (generic holds both).
// It also returns the word pairs of the nomenclature: a phrase shared by a
// line and an entry is evidence only when ordinary goods do not use it.
func genericTerms(ix *index, hs map[string]string) (generic, spread map[string]bool, bigrams map[[2]string]bool) {
	roots := map[int]bool{}
	for i := range ix.docs {
		roots[ix.docs[i].root] = true
	}
	hsDF := map[string]int{}
	bigrams = map[[2]string]bool{}
	for _, d := range hs {
		ts := terms(d)
		seen := map[string]bool{}
		for i, t := range ts {
			if !seen[t] {
				seen[t] = true
				hsDF[t]++
			}
			if i+1 < len(ts) {
				bigrams[[2]string{t, ts[i+1]}] = true
			}
		}
	}
	nRoots, nHS := float64(len(roots)), float64(len(hs))
	generic, spread = map[string]bool{}, map[string]bool{}
	rootsOf := map[int]bool{}
	for t, ps := range ix.post {
		clear(rootsOf)
		for _, p := range ps {
			rootsOf[ix.docs[p.doc].root] = true
		}
		share := float64(len(rootsOf)) / nRoots
		hsShare := float64(hsDF[t]) / nHS
		if share >= genericSpread {
			spread[t] = true
		}
		if share >= genericSpread || (hsDF[t] >= 3 && hsShare >= genericTrade*share) {
			generic[t] = true
		}
	}
	return generic, spread, bigrams
}

func (ix *index) termIDF(t string) float64 {
	if v, ok := ix.idf[t]; ok {
		return v
	}
	return ix.maxIDF
}
