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
	"github.com/mozillazg/go-unidecode"
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
	negSeed  uint64 // seed of the negatives' own random stream
}

// Generate builds the evaluation cases from the entities of every bundled
// list and the matching resources in matchingDir
// (../shared/data/lists/matching).
func Generate(ents []interdict.Entity, matchingDir string) ([]eval.Case, error) {
	return generate(ents, matchingDir, 3, 7)
}

// GenerateSealed builds the sealed split: the same kinds of case drawn with
// other random streams, kept only where they come from the test side of
// Split (entities and names never in the development split) and that are
// not a case of existing (the dev and test splits) again: no search case
// with the same query name, no pair case with the same two names. Every case it returns has Split "sealed" and an ID
// starting "sealed-". The sealed split is run once per round and never used
// to choose (eval/README.md).
func GenerateSealed(ents []interdict.Entity, matchingDir string, existing []eval.Case) ([]eval.Case, error) {
	cases, err := generate(ents, matchingDir, 1031, 1033)
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	key := func(c eval.Case) string {
		if c.Other != nil {
			return c.Query.Name + "\x00" + c.Other.Name
		}
		return c.Query.Name
	}
	for _, c := range existing {
		used[key(c)] = true
	}
	var out []eval.Case
	for _, c := range cases {
		if c.Split != "test" || used[key(c)] {
			continue
		}
		c.Split = "sealed"
		c.ID = "sealed-" + c.ID
		out = append(out, c)
	}
	return out, nil
}

func generate(ents []interdict.Entity, matchingDir string, seed, negSeed uint64) ([]eval.Case, error) {
	g := &gen{rng: rand.New(rand.NewPCG(seed, 2026)), ents: ents, byKey: map[string][]string{}, skel: map[string][]int32{}, matching: matchingDir, negSeed: negSeed}
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
	g.pairs()
	if err := g.crossScript(); err != nil {
		return nil, err
	}
	// The negatives come last and draw from their own random stream, so
	// that their number can change without changing any other case or ID.
	if err := g.negatives(); err != nil {
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
func (g *gen) expect(e *interdict.Entity, name string, query ...string) []string {
	out := []string{e.ID}
	seen := map[string]bool{e.ID: true}
	names := append([]interdict.Name{{Full: name}}, e.Names...)
	for _, q := range query {
		// An entity with a name equal to the query itself (a variant that
		// happens to be another entry of the same party, or a namesake) is
		// a correct top-1 hit too.
		names = append(names, interdict.Name{Full: q})
	}
	for _, n := range names {
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
				g.add(eval.Case{Split: split, Type: eval.TypeSearch, Variation: kind, Query: g.query(e, q), Expect: g.expect(e, primary, q)})
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
	// Only the held-out parts: normalize learns spellings from the rest.
	for _, f := range []struct {
		script, file   string
		google, filter bool
	}{
		{"Arab", "google_ar2en-eval.txt", true, false},
		{"Arab", "wd_arabic.normalized.aligned.tokens.gz", false, true},
		{"Cyrl", "wd_russian_16.gz", false, false},
		{"Hebr", "wd_hebrew.normalized.aligned.tokens.gz", false, true},
		{"Hani", "wd_chinese.normalized.aligned.tokens.gz", false, true},
	} {
		ps, err := readPairs(filepath.Join(dir, f.file), f.google)
		if err != nil {
			return nil, err
		}
		var keep [][2]string
		for _, p := range ps {
			if f.filter && !eval.HeldOut(p[1]) {
				continue
			}
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

// NegativesPerSplit is the number of negatives made for each script label
// (Latn, Arab, Arab-fa, Cyrl, Hebr, Hani) in each split: enough that a
// false-alert rate of 0.1% is 4 alerts, not a fraction of one.
const NegativesPerSplit = 4000

// negatives: plausible full names built from real name tokens, checked not
// to be on any list, in every script; NegativesPerSplit of each script label
// in each split (fewer if the token pools ran dry: TestGenerate logs the
// counts and eval's TestNegatives wants them all). The names are distinct: no two
// negatives share a name key (the tokens of the primary romanization,
// sorted), so a name and its reordering or its Persian spelling count once.
func (g *gen) negatives() error {
	sets, err := g.scriptSets()
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(g.negSeed, 2026)) // the negatives' own stream, apart from g.rng
	var latin []string
	for _, s := range []string{"Arab", "Cyrl", "Hebr", "Hani"} {
		for _, p := range sets[s] {
			latin = append(latin, strings.ToUpper(p[0][:1])+p[0][1:])
		}
	}
	sort.Strings(latin)
	latin = dedupe(latin)
	seenName, seenKey := map[string]bool{}, map[string]bool{}
	// build adds n negatives per split labelled label, each drawn by draw,
	// giving up after 50 draws per negative wanted.
	build := func(label string, n int, draw func() string) {
		made := map[string]int{}
		for tries := 0; (made["dev"] < n || made["test"] < n) && tries < 2*n*50; tries++ {
			name := draw()
			split := Split(name)
			if made[split] >= n || seenName[name] {
				continue
			}
			seenName[name] = true
			k := nameKey(name)
			if k == "" || seenKey[k] || g.listed(name) {
				continue
			}
			seenKey[k] = true
			made[split]++
			g.add(eval.Case{Split: split, Type: eval.TypeSearch, Variation: "negative", Script: label, Query: interdict.Query{Name: name}})
		}
	}
	// tokens joins two or three tokens drawn from toks (k of them when k >
	// 0) with sep, through conv when set.
	tokens := func(toks []string, k int, sep string, conv func(string) string) func() string {
		return func() string {
			m := k
			if m == 0 {
				m = 2 + rng.IntN(2)
			}
			parts := make([]string, m)
			for i := range parts {
				parts[i] = toks[rng.IntN(len(toks))]
			}
			name := strings.Join(parts, sep)
			if conv != nil {
				name = conv(name)
			}
			return name
		}
	}
	build("Latn", NegativesPerSplit, tokens(latin, 0, " ", nil))
	for _, s := range []string{"Arab", "Cyrl", "Hebr", "Hani"} {
		var toks []string
		for _, p := range sets[s] {
			toks = append(toks, p[1])
		}
		sort.Strings(toks)
		toks = dedupe(toks)
		switch s {
		case "Hani":
			// Foreign full names as Chinese writes them, given name and
			// family name transcribed and split by a middle dot (乔治·布什),
			// and Chinese names: a common family name and a given name of
			// one or two characters.
			build(s, NegativesPerSplit/2, tokens(toks, 2, "·", nil))
			build(s, NegativesPerSplit-NegativesPerSplit/2, func() string { return chineseName(rng) })
		case "Arab":
			build(s, NegativesPerSplit, tokens(toks, 0, " ", nil))
			build("Arab-fa", NegativesPerSplit, tokens(toks, 0, " ", toPersian.Replace))
		default:
			build(s, NegativesPerSplit, tokens(toks, 0, " ", nil))
		}
	}
	return nil
}

// chineseName returns a Chinese personal name: one of the commonest family
// names and a given name of one or two characters common in given names
// (simplified script).
func chineseName(rng *rand.Rand) string {
	n := string(chineseFamily[rng.IntN(len(chineseFamily))]) + string(chineseGiven[rng.IntN(len(chineseGiven))])
	if rng.IntN(3) > 0 {
		n += string(chineseGiven[rng.IntN(len(chineseGiven))])
	}
	return n
}

var (
	chineseFamily = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛")
	chineseGiven  = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文斌宇浩凯晨欣怡佳嘉颖雪梅琳晶婷慧俊峰雷鑫波宁海燕丹龙飞云翔东亮林永春成")
)

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
					if n.Full != primary && interdict.Script(n.Full) == "Latn" && shareToken(n.Full, primary) && variantOf(n.Full, primary) {
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

// crudeTokens reads a name with go-unidecode, lowercased, as words.
func crudeTokens(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(unidecode.Unidecode(s)), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		if len(w) >= 2 {
			out = append(out, w)
		}
	}
	return out
}

func consonants(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte("aeiouyhw", s[i]) < 0 || i == 0 {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// crudeLike reports whether two crude tokens may spell the same word.
func crudeLike(a, b string) bool {
	return normalize.JaroWinkler(a, b) >= 0.8 || normalize.JaroWinkler(consonants(a), consonants(b)) >= 0.8
}

// crudeCover is the share of a's words that some word of b may spell.
func crudeCover(a, b []string) float64 {
	if len(a) == 0 {
		return 0
	}
	n := 0
	for _, x := range a {
		for _, y := range b {
			if crudeLike(x, y) {
				n++
				break
			}
		}
	}
	return float64(n) / float64(len(a))
}

// closestLatin returns the Latin name that best spells a script name, and
// whether it spells at least half of the script name's words.
func closestLatin(script string, latin []string) (string, bool) {
	st := crudeTokens(script)
	best, bs := "", 0.0
	for _, l := range latin {
		if c := crudeCover(st, crudeTokens(l)); c > bs {
			best, bs = l, c
		}
	}
	return best, bs >= 0.5
}

// variantOf reports whether two names of one entity are variants of one
// name (every name word of the shorter has a like word in the longer)
// rather than two different names (Mohammed ISHAQ / Malik ISHAQ).
func variantOf(a, b string) bool {
	ta, tb := nameWords(a), nameWords(b)
	if len(ta) > len(tb) {
		ta, tb = tb, ta
	}
	return len(ta) > 0 && crudeCover(ta, tb) == 1
}

// nameWords are the name-class tokens of a name's primary romanization.
func nameWords(s string) []string {
	vs := normalize.Parse(s, normalize.AnyParty)
	if len(vs) == 0 {
		return nil
	}
	var out []string
	for _, t := range vs[0].Tokens {
		if t.Class == normalize.ClassName {
			out = append(out, t.Text)
		}
	}
	return out
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
		// Positive: an original-script name against the Latin name that
		// spells it. Lists also give script names that are translations
		// ("Russian Imperial Movement"), other aliases (a nom de guerre
		// against the passport name) or several names in one field
		// ("Маслюков/ Масліавукаў"); those are no transliteration pairs.
		// A field is split at "/" and paired with the Latin name closest to
		// it under a crude, independent reading (go-unidecode, consonants,
		// Jaro-Winkler), and dropped when no Latin name spells at least
		// half of its words.
		o := orig[g.rng.IntN(len(orig))]
		if k := strings.IndexAny(o, "/;"); k > 0 {
			o = strings.TrimSpace(o[:k])
		}
		l, ok := closestLatin(o, latin)
		if !ok {
			continue
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
	for _, s := range []string{"Arab", "Cyrl", "Hebr", "Hani"} {
		ps := sets[s]
		sep := " "
		if s == "Hani" {
			sep = "·" // a foreign name in Chinese: 乔治·布什
		}
		for k := 0; k < 600; k++ {
			m := 2 + g.rng.IntN(2)
			var sc, la []string
			for x := 0; x < m; x++ {
				p := ps[g.rng.IntN(len(ps))]
				la = append(la, p[0])
				sc = append(sc, p[1])
			}
			q := interdict.Query{Name: strings.Join(sc, sep)}
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
