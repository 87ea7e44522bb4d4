package evalgen

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/eval"
	"github.com/interdict/interdict/normalize"
)

// Split returns "dev" or "test" for a key (an entity ID or a name), by hash,
// so that every case drawn from one entity lands in the same split.
func Split(key string) string {
	h := fnv.New32a()
	h.Write([]byte(key))
	if h.Sum32()%2 == 0 {
		return "test"
	}
	return "dev"
}

// nameKey is a name's primary romanization with its tokens sorted.
func nameKey(s string) string {
	vs := normalize.Parse(s, normalize.AnyParty)
	if len(vs) == 0 {
		return ""
	}
	var ts []string
	for _, t := range vs[0].Tokens {
		ts = append(ts, t.Text)
	}
	sort.Strings(ts)
	return strings.Join(ts, " ")
}

type gen struct {
	rng      *rand.Rand
	ents     []interdict.Entity
	byKey    map[string][]string // nameKey -> entity IDs
	skel     map[string][]int32  // skeleton -> entity indices (sorted, unique)
	cases    []eval.Case
	n        int
	matching string
}

// Generate builds the evaluation cases from the entities of every bundled
// list and the matching resources in matchingDir
// (../shared/data/lists/matching).
func Generate(ents []interdict.Entity, matchingDir string) ([]eval.Case, error) {
	g := &gen{rng: rand.New(rand.NewPCG(3, 2026)), ents: ents, byKey: map[string][]string{}, skel: map[string][]int32{}, matching: matchingDir}
	for i, e := range ents {
		for _, n := range e.Names {
			k := nameKey(n.Full)
			if l := g.byKey[k]; len(l) == 0 || l[len(l)-1] != e.ID {
				g.byKey[k] = append(l, e.ID)
			}
			for _, v := range normalize.Parse(n.Full, normalize.AnyParty) {
				for _, t := range v.Tokens {
					if l := g.skel[t.Key]; len(l) == 0 || l[len(l)-1] != int32(i) {
						g.skel[t.Key] = append(l, int32(i))
					}
				}
			}
		}
	}
	g.positives()
	if err := g.negatives(); err != nil {
		return nil, err
	}
	g.pairs()
	if err := g.crossScript(); err != nil {
		return nil, err
	}
	return g.cases, nil
}

func (g *gen) add(c eval.Case) {
	g.n++
	c.ID = fmt.Sprintf("%s-%05d", c.Variation, g.n)
	if c.Script == "" {
		c.Script = interdict.Script(c.Query.Name)
	}
	g.cases = append(g.cases, c)
}

// expect lists the entities a correct top-1 hit may be: the source entity
// and every entity that shares one of its names (the same party on another
// list, spelt the same way).
func (g *gen) expect(e *interdict.Entity, name string) []string {
	out := []string{e.ID}
	seen := map[string]bool{e.ID: true}
	for _, n := range append([]interdict.Name{{Full: name}}, e.Names...) {
		for _, id := range g.byKey[nameKey(n.Full)] {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// uncomma turns "SURNAME, Given" into "Given SURNAME".
func uncomma(name string) string {
	last, given, ok := strings.Cut(name, ",")
	if !ok || strings.Contains(given, ",") || strings.TrimSpace(given) == "" {
		return strings.ReplaceAll(name, ",", " ")
	}
	return strings.TrimSpace(given) + " " + strings.TrimSpace(last)
}

func (g *gen) query(e *interdict.Entity, name string) interdict.Query {
	q := interdict.Query{Name: name}
	if g.rng.IntN(2) == 0 && e.Kind != interdict.KindUnknown {
		q.Kind = e.Kind
	}
	return q
}

// positives: aliases, original-script names and perturbed primary names.
func (g *gen) positives() {
	idx := g.rng.Perm(len(g.ents))
	aliases, originals, variants := 0, 0, 0
	for _, i := range idx {
		e := &g.ents[i]
		split := Split(e.ID)
		primary := e.PrimaryName()
		for _, n := range e.Names {
			script := n.Script
			if script == "" {
				script = interdict.Script(n.Full)
			}
			switch {
			case script != "Latn" && script != "" && originals < 1500:
				originals++
				g.add(eval.Case{Split: split, Type: eval.TypeSearch, Variation: "original-script", Query: g.query(e, n.Full), Expect: g.expect(e, n.Full)})
			case n.Full != primary && script == "Latn" && aliases < 1500 && g.rng.IntN(4) == 0:
				aliases++
				v := "alias"
				if n.Quality == interdict.NameWeak {
					v = "weak-alias"
				}
				g.add(eval.Case{Split: split, Type: eval.TypeSearch, Variation: v, Query: g.query(e, n.Full), Expect: g.expect(e, n.Full)})
			}
		}
		if variants < 3000 && interdict.Script(primary) == "Latn" && len(strings.Fields(primary)) >= 2 {
			kind, q, ok := g.perturb(e, primary)
			if ok {
				variants++
				g.add(eval.Case{Split: split, Type: eval.TypeSearch, Variation: kind, Query: g.query(e, q), Expect: g.expect(e, primary)})
			}
		}
	}
}

var translitSubs = [][2]string{
	{"mohammed", "muhammad"}, {"muhammad", "mohamed"}, {"mohamed", "mohammad"}, {"ahmed", "ahmad"}, {"ahmad", "ahmed"},
	{"ou", "u"}, {"oo", "u"}, {"ee", "i"}, {"ei", "ey"}, {"ey", "ei"}, {"iy", "y"}, {"ph", "f"}, {"kh", "h"}, {"q", "k"},
	{"ya", "ia"}, {"yu", "iu"}, {"ck", "k"}, {"w", "v"}, {"v", "w"}, {"ks", "x"}, {"x", "ks"}, {"dj", "j"}, {"j", "dj"},
	{"y", "i"}, {"sch", "sh"}, {"tch", "ch"}, {"aa", "a"}, {"ie", "i"}, {"u", "ou"}, {"i", "ee"}, {"e", "a"},
}

var legalAlts = []string{"LLC", "Ltd", "Limited", "Co., Ltd.", "Inc.", "Corp.", "Company", "L.L.C.", "JSC", "S.A."}

// perturb derives a realistic variant of a name.
func (g *gen) perturb(e *interdict.Entity, name string) (string, string, bool) {
	person := e.Kind == interdict.KindPerson
	if person {
		name = uncomma(name)
	}
	words := strings.Fields(name)
	var kinds []string
	kinds = append(kinds, "typo", "translit", "case-punct")
	if len(words) >= 2 {
		kinds = append(kinds, "reorder")
	}
	if person && len(words) >= 3 {
		kinds = append(kinds, "drop-middle")
	}
	if person && !strings.Contains(name, ",") {
		kinds = append(kinds, "comma")
	}
	if !person {
		kinds = append(kinds, "legal-form")
	}
	k := kinds[g.rng.IntN(len(kinds))]
	w := append([]string(nil), words...)
	switch k {
	case "typo":
		// One edit in the longest word of 5 letters or more, not the first letter.
		bi := -1
		for i, x := range w {
			if len(x) >= 5 && (bi < 0 || len(x) > len(w[bi])) && isAlpha(x) {
				bi = i
			}
		}
		if bi < 0 {
			return "", "", false
		}
		x := []byte(w[bi])
		p := 1 + g.rng.IntN(len(x)-1)
		switch g.rng.IntN(4) {
		case 0:
			x = append(x[:p], x[p+1:]...)
		case 1:
			if p+1 < len(x) {
				x[p], x[p+1] = x[p+1], x[p]
			} else {
				x[p-1], x[p] = x[p], x[p-1]
			}
		case 2:
			x = append(x[:p], append([]byte{x[p]}, x[p:]...)...)
		default:
			x[p] = neighbour(x[p])
		}
		w[bi] = string(x)
	case "translit":
		done := false
		for _, o := range g.rng.Perm(len(w)) {
			lw := strings.ToLower(w[o])
			for _, s := range translitSubs {
				if strings.Contains(lw, s[0]) && len(lw) > 3 {
					w[o] = strings.Replace(lw, s[0], s[1], 1)
					done = true
					break
				}
			}
			if done {
				break
			}
		}
		if !done {
			return "", "", false
		}
	case "case-punct":
		s := strings.ToLower(strings.NewReplacer("-", " ", ".", "", ",", "").Replace(name))
		return k, s, true
	case "reorder":
		for i, j := 0, len(w)-1; i < j; i, j = i+1, j-1 {
			w[i], w[j] = w[j], w[i]
		}
	case "drop-middle":
		m := 1 + g.rng.IntN(len(w)-2)
		w = append(w[:m], w[m+1:]...)
	case "comma":
		last := w[len(w)-1]
		return k, strings.ToUpper(last) + ", " + strings.Join(w[:len(w)-1], " "), true
	case "legal-form":
		vs := normalize.Parse(name, normalize.Organization)
		if len(vs) == 0 {
			return "", "", false
		}
		toks := vs[0].Tokens
		nl := 0
		for i := len(toks) - 1; i >= 0 && toks[i].Class == normalize.ClassLegalForm; i-- {
			nl++
		}
		base := w
		if nl > 0 && nl < len(w) {
			base = w[:len(w)-nl]
		}
		alt := legalAlts[g.rng.IntN(len(legalAlts))]
		if nl > 0 && g.rng.IntN(3) == 0 {
			return k, strings.Join(base, " "), true // legal form dropped
		}
		return k, strings.Join(base, " ") + " " + alt, true
	}
	return k, strings.Join(w, " "), true
}

func isAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

var keyboard = map[byte]string{'a': "sq", 'b': "vn", 'c': "xv", 'd': "sf", 'e': "wr", 'f': "dg", 'g': "fh", 'h': "gj", 'i': "uo", 'j': "hk", 'k': "jl", 'l': "k", 'm': "n", 'n': "bm", 'o': "ip", 'p': "o", 'q': "w", 'r': "et", 's': "ad", 't': "ry", 'u': "yi", 'v': "cb", 'w': "qe", 'x': "zc", 'y': "tu", 'z': "x"}

func neighbour(c byte) byte {
	up := c >= 'A' && c <= 'Z'
	l := c | 0x20
	n := keyboard[l]
	if n == "" {
		return c
	}
	r := n[int(c)%len(n)]
	if up {
		r -= 0x20
	}
	return r
}

// listed reports whether some entity has a name with tokens alike to every
// name token of s (same skeleton): such a name is no negative.
func (g *gen) listed(s string) bool {
	for _, v := range normalize.Parse(s, normalize.AnyParty) {
		var sets [][]int32
		for _, t := range v.Tokens {
			if t.Class != normalize.ClassName {
				continue
			}
			sets = append(sets, g.skel[t.Key])
		}
		if len(sets) == 0 {
			return true
		}
		if len(intersect(sets)) > 0 {
			return true
		}
	}
	return false
}

func intersect(sets [][]int32) []int32 {
	sort.Slice(sets, func(i, j int) bool { return len(sets[i]) < len(sets[j]) })
	cur := sets[0]
	for _, s := range sets[1:] {
		var next []int32
		i, j := 0, 0
		for i < len(cur) && j < len(s) {
			switch {
			case cur[i] == s[j]:
				next = append(next, cur[i])
				i++
				j++
			case cur[i] < s[j]:
				i++
			default:
				j++
			}
		}
		cur = next
		if len(cur) == 0 {
			break
		}
	}
	return cur
}

// tokenPairs reads a Wikidata-style token pair file: latin TAB spaced
// script letters TAB count; or, with google set, script TAB latin.
func readPairs(path string, google bool) ([][2]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		r = zr
	}
	var out [][2]string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) < 2 {
			continue
		}
		if google {
			out = append(out, [2]string{p[1], p[0]})
		} else {
			out = append(out, [2]string{p[0], strings.ReplaceAll(p[1], " ", "")})
		}
	}
	return out, sc.Err()
}

// scriptSets lists the token-pair files by script: [latin, script] pairs.
func (g *gen) scriptSets() (map[string][][2]string, error) {
	dir := filepath.Join(g.matching, "transliteration")
	out := map[string][][2]string{}
	for _, f := range []struct {
		script, file string
		google       bool
	}{
		{"Arab", "google_ar2en-eval.txt", true},
		{"Arab", "google_ar2en-train.txt", true},
		{"Cyrl", "wd_russian_16.gz", false},
		{"Hebr", "wd_hebrew.normalized.aligned.tokens.gz", false},
		{"Hani", "wd_chinese.normalized.aligned.tokens.gz", false},
	} {
		ps, err := readPairs(filepath.Join(dir, f.file), f.google)
		if err != nil {
			return nil, err
		}
		var keep [][2]string
		for _, p := range ps {
			if len(p[0]) >= 3 && isAlpha(p[0]) && interdict.Script(p[1]) == f.script {
				keep = append(keep, p)
			}
		}
		out[f.script] = append(out[f.script], keep...)
	}
	return out, nil
}

// toPersian writes Arabic letters the Persian way (ی, ک) and swaps in
// Persian-only letters where an Arabic one stands for the sound.
var toPersian = strings.NewReplacer("ي", "ی", "ك", "ک", "ة", "ه")

// negatives: plausible full names built from real name tokens, checked not
// to be on any list, in every script.
func (g *gen) negatives() error {
	sets, err := g.scriptSets()
	if err != nil {
		return err
	}
	var latin []string
	for _, s := range []string{"Arab", "Cyrl", "Hebr", "Hani"} {
		for _, p := range sets[s] {
			latin = append(latin, strings.ToUpper(p[0][:1])+p[0][1:])
		}
	}
	sort.Strings(latin)
	latin = dedupe(latin)
	build := func(script string, toks []string, n int, sep string, conv func(string) string) {
		made := 0
		for tries := 0; made < n && tries < n*20; tries++ {
			k := 2 + g.rng.IntN(2)
			if script == "Hani" {
				k = 1
			}
			parts := make([]string, k)
			for i := range parts {
				parts[i] = toks[g.rng.IntN(len(toks))]
			}
			name := strings.Join(parts, sep)
			if conv != nil {
				name = conv(name)
			}
			if g.listed(name) {
				continue
			}
			made++
			label := script
			if conv != nil {
				label = "Arab-fa"
			}
			g.add(eval.Case{Split: Split(name), Type: eval.TypeSearch, Variation: "negative", Script: label, Query: interdict.Query{Name: name}})
		}
	}
	build("Latn", latin, 3000, " ", nil)
	for _, s := range []string{"Arab", "Cyrl", "Hebr", "Hani"} {
		var toks []string
		for _, p := range sets[s] {
			toks = append(toks, p[1])
		}
		sort.Strings(toks)
		toks = dedupe(toks)
		if s == "Hani" {
			// Chinese names: a family name character and one or two given
			// name characters from the transcriptions' characters.
			build(s, toks, 1500, "", nil)
			continue
		}
		build(s, toks, 1500, " ", nil)
		if s == "Arab" {
			build(s, toks, 1500, " ", toPersian.Replace)
		}
	}
	return nil
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// pairs: pairwise cases in Latin script: a listed name against a variant
// of it or an alias sharing a name token (positives), and against another
// entity's name sharing a token or a random name of the same kind
// (negatives).
func (g *gen) pairs() {
	idx := g.rng.Perm(len(g.ents))
	pos, neg := 0, 0
	for _, i := range idx {
		e := &g.ents[i]
		primary := e.PrimaryName()
		if interdict.Script(primary) != "Latn" {
			continue
		}
		split := Split(e.ID)
		if pos < 1500 {
			if _, v, ok := g.perturb(e, primary); ok && g.rng.IntN(2) == 0 {
				pos++
				o := interdict.Query{Name: primary, Kind: e.Kind}
				g.add(eval.Case{Split: split, Type: eval.TypePair, Variation: "pair-variant", Query: interdict.Query{Name: v}, Other: &o, Match: true})
			} else {
				for _, n := range e.Names {
					if n.Full != primary && interdict.Script(n.Full) == "Latn" && shareToken(n.Full, primary) {
						pos++
						o := interdict.Query{Name: primary, Kind: e.Kind}
						g.add(eval.Case{Split: split, Type: eval.TypePair, Variation: "pair-alias", Query: interdict.Query{Name: n.Full}, Other: &o, Match: true})
						break
					}
				}
			}
		}
		if neg < 1500 {
			// Another entity sharing a name token, else a random one.
			var other *interdict.Entity
			vs := normalize.Parse(primary, normalize.AnyParty)
			if len(vs) > 0 && g.rng.IntN(2) == 0 {
				for _, t := range vs[0].Tokens {
					if t.Class != normalize.ClassName {
						continue
					}
					l := g.skel[t.Key]
					if len(l) > 1 {
						j := l[g.rng.IntN(len(l))]
						if int(j) != i && !sameName(&g.ents[j], e) {
							other = &g.ents[j]
						}
						break
					}
				}
			}
			variation := "pair-different-shared"
			if other == nil {
				j := g.rng.IntN(len(g.ents))
				if j == i || sameName(&g.ents[j], e) {
					continue
				}
				other = &g.ents[j]
				variation = "pair-different"
			}
			if interdict.Script(other.PrimaryName()) != "Latn" {
				continue
			}
			neg++
			o := interdict.Query{Name: other.PrimaryName(), Kind: other.Kind}
			g.add(eval.Case{Split: split, Type: eval.TypePair, Variation: variation, Query: interdict.Query{Name: primary}, Other: &o, Match: false})
		}
	}
}

// sameName reports whether two entities share a name (the same party on
// two lists, or namesakes): such a pair is no negative.
func sameName(a, b *interdict.Entity) bool {
	keys := map[string]bool{}
	for _, n := range a.Names {
		keys[nameKey(n.Full)] = true
	}
	for _, n := range b.Names {
		if keys[nameKey(n.Full)] {
			return true
		}
	}
	return false
}

func shareToken(a, b string) bool {
	ka := map[string]bool{}
	for _, v := range normalize.Parse(a, normalize.AnyParty) {
		for _, t := range v.Tokens {
			if t.Class == normalize.ClassName {
				ka[t.Key] = true
			}
		}
	}
	for _, v := range normalize.Parse(b, normalize.AnyParty) {
		for _, t := range v.Tokens {
			if t.Class == normalize.ClassName && ka[t.Key] {
				return true
			}
		}
	}
	return false
}

// crossScript: a name in Arabic, Persian, Cyrillic, Hebrew or Chinese
// script against a Latin spelling: original-script names of listed entities
// with their Latin names, watchman's cross-script pairs, the Putin variants,
// and full names built from the held-out transliteration token pairs;
// negatives pair a script name with another party's Latin name.
func (g *gen) crossScript() error {
	n := 0
	for i := range g.ents {
		e := &g.ents[i]
		var latin []string
		var orig []string
		for _, nm := range e.Names {
			s := interdict.Script(nm.Full)
			if s == "Latn" {
				latin = append(latin, nm.Full)
			} else if s != "" {
				orig = append(orig, nm.Full)
			}
		}
		if len(latin) == 0 || len(orig) == 0 {
			continue
		}
		split := Split(e.ID)
		o := orig[g.rng.IntN(len(orig))]
		// Positive: the Latin name that shares the most with it is unknown
		// to us; take the primary name, which lists write as the
		// transliteration of the original.
		l := e.PrimaryName()
		if interdict.Script(l) != "Latn" {
			l = latin[0]
		}
		lq := interdict.Query{Name: l, Kind: e.Kind}
		g.add(eval.Case{Split: split, Type: eval.TypePair, Variation: "cross-script", Query: interdict.Query{Name: o}, Other: &lq, Match: true})
		j := g.rng.IntN(len(g.ents))
		if j != i && interdict.Script(g.ents[j].PrimaryName()) == "Latn" && !sameName(&g.ents[j], e) {
			nq := interdict.Query{Name: g.ents[j].PrimaryName(), Kind: g.ents[j].Kind}
			g.add(eval.Case{Split: split, Type: eval.TypePair, Variation: "cross-script-different", Query: interdict.Query{Name: o}, Other: &nq, Match: false})
		}
		n++
	}
	// watchman's pairs.
	b, err := os.ReadFile(filepath.Join(g.matching, "watchman_cross_script_pairs.csv"))
	if err != nil {
		return err
	}
	var wm [][2]string
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		p := strings.Split(line, ",")
		if len(p) >= 2 {
			wm = append(wm, [2]string{p[0], p[1]})
		}
	}
	for i, p := range wm {
		o := interdict.Query{Name: p[1]}
		g.add(eval.Case{Split: Split(p[0]), Type: eval.TypePair, Variation: "cross-script-watchman", Query: interdict.Query{Name: p[0]}, Other: &o, Match: true})
		d := wm[(i+7)%len(wm)]
		od := interdict.Query{Name: d[1]}
		g.add(eval.Case{Split: Split(p[0]), Type: eval.TypePair, Variation: "cross-script-watchman-different", Query: interdict.Query{Name: p[0]}, Other: &od, Match: false})
	}
	// Putin.
	b, err = os.ReadFile(filepath.Join(g.matching, "rigour", "putin_names.txt"))
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		o := interdict.Query{Name: "Vladimir Vladimirovich PUTIN", Kind: interdict.KindPerson}
		g.add(eval.Case{Split: Split(line), Type: eval.TypePair, Variation: "putin", Query: interdict.Query{Name: line}, Other: &o, Match: true})
	}
	// Full names from token pairs: two or three tokens, script vs Latin.
	sets, err := g.scriptSets()
	if err != nil {
		return err
	}
	for _, s := range []string{"Arab", "Cyrl", "Hebr"} {
		ps := sets[s]
		if s == "Arab" {
			ps = ps[:min(len(ps), 1400)] // the held-out Google eval split comes first
		}
		for k := 0; k < 600; k++ {
			m := 2 + g.rng.IntN(2)
			var sc, la []string
			for x := 0; x < m; x++ {
				p := ps[g.rng.IntN(len(ps))]
				la = append(la, p[0])
				sc = append(sc, p[1])
			}
			q := interdict.Query{Name: strings.Join(sc, " ")}
			o := interdict.Query{Name: strings.Join(la, " ")}
			g.add(eval.Case{Split: Split(q.Name), Type: eval.TypePair, Variation: "cross-script-tokens", Query: q, Other: &o, Match: true})
			// A different name: replace all but one token.
			la2 := append([]string(nil), la...)
			for x := 1; x < m; x++ {
				la2[x] = ps[g.rng.IntN(len(ps))][0]
			}
			o2 := interdict.Query{Name: strings.Join(la2, " ")}
			g.add(eval.Case{Split: Split(q.Name), Type: eval.TypePair, Variation: "cross-script-tokens-different", Query: q, Other: &o2, Match: false})
		}
	}
	return nil
}
