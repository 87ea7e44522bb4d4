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
	return ix
}

func (ix *index) termIDF(t string) float64 {
	if v, ok := ix.idf[t]; ok {
		return v
	}
	return ix.maxIDF
}
