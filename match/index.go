package match

import (
	"cmp"
	"hash/maphash"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/normalize"
)

// tok is one token of an indexed form: its vocabulary id and class, and
// the vocabulary id of the token joined with the next one (noJoin when the
// two are not joinable).
type tok struct {
	id    uint32
	join  uint32
	class normalize.Class
	patr  bool // part of the name's patronymic (see patronymicAt)
}

const noJoin = ^uint32(0)

// form is one romanization of one name of one entity. Its tokens are
// Index.toks[off:off+n] (see Index.ftoks): one array holds every form's,
// so that a form costs 20 bytes and no slice of its own.
type form struct {
	ent    uint32
	name   uint16
	sys    normalize.System
	latin  bool // the name was written in Latin script
	off    uint32
	weight float32 // sum of token weights, for retrieval bounds
	n      uint16
	// weak and person cache, in the struct's padding, whether the name is
	// a weak alias and whether the entity may be a person (personLike),
	// which scoring asks of every candidate.
	weak   bool
	person bool
}

// ftoks returns the tokens of form f.
func (ix *Index) ftoks(f *form) []tok {
	return ix.toks[f.off : f.off+uint32(f.n) : f.off+uint32(f.n)]
}

// Index is an immutable in-memory index over every name of a set of
// entities. Build it with NewIndex; it is safe for concurrent use.
type Index struct {
	entities []interdict.Entity
	forms    []form
	toks     []tok    // every form's tokens, form after form
	vocab    []string // token text by id
	keys     []string // skeleton by id
	idf      []float32
	joined   []bool // the token is two adjacent tokens joined
	// byText finds a token's id by its text (see Index.lookup).
	byText strTable
	// byKey finds the tokens (not joined) of a skeleton: keyTable holds
	// the skeletons, keyIDs[keyOff[k]:keyOff[k+1]] the ids of skeleton k.
	keyTable strTable
	keyStrs  []string
	keyOff   []uint32
	keyIDs   []uint32
	// deletes finds the tokens of every hash (delHash) of a token and of
	// each of its one-letter deletions (see Index.deleted).
	deletes  delTable
	nicks    map[uint32][]uint32 // token id -> ids of its nicknames in the vocabulary
	hasNick  []bool              // token id -> it has nicknames
	masks    []uint64            // token id -> letterMask
	legalish []bool              // token id -> a generic word used as a legal form (see legalWord)
	pinyin   []uint8             // token id -> its number of pinyin syllables (normalize.PinyinSyllables)
	// postings holds, token after token, the ids of the forms holding
	// each token: token id's are postings[postOff[id]:postOff[id+1]].
	postings []uint32
	postOff  []uint32
	ids      map[string][]uint32
	maxIDF   float32
	// exact holds every form's bagKey, sorted, with the form: the forms a
	// query spells word for word, found whatever retrieval keeps (see
	// Index.exactForms).
	exact    []uint64      // sorted
	exactFor []uint32      // the form of exact[i]
	dates    [][]dateRange // per entity, birth dates
	// orgish says, per entity of no known kind, that one of its names reads
	// as an organisation's: it holds a legal form or a generic word of
	// companies (Trading, Technology, Corporation).
	orgish   []bool
	entForms [][2]uint32 // per entity, its forms [start, end)

	scratch sync.Pool // *scratch sized for this index
	// similar holds, per token, the tokens alike to it (see Index.similar),
	// computed on first use: a pure function of the index, so caching it
	// changes no result.
	similar []atomic.Pointer[[]simTok]
	// similarRom is similar for tokens of queries romanized from another
	// script, whose likenesses differ (tokenSimFast's typed).
	similarRom []atomic.Pointer[[]simTok]
	// similarSyl is similar for tokens romanized from Hangul or Han.
	similarSyl []atomic.Pointer[[]simTok]
}

// Len returns the number of entities in the index.
func (ix *Index) Len() int { return len(ix.entities) }

// Names returns the number of indexed name forms.
func (ix *Index) Names() int { return len(ix.forms) }

type parsedName struct {
	variants []normalize.Variant
	latin    bool
}

// NewIndex builds an index over entities. The slice is kept, not copied:
// the caller must not modify it afterwards. Entities without names are
// still indexed by their identifiers.
func NewIndex(entities []interdict.Entity) *Index {
	ix := &Index{
		entities: entities,
		ids:      map[string][]uint32{},
		forms:    make([]form, 0, namesOf(entities)*5/4),
		orgish:   make([]bool, 0, len(entities)),
		entForms: make([][2]uint32, 0, len(entities)),
		dates:    make([][]dateRange, 0, len(entities)),
	}
	// Names are parsed in parallel, a chunk of entities at a time, and
	// assembled in order (so that the index does not depend on
	// scheduling); a chunk's parses are dropped once assembled, so that the
	// build never holds the parses of every name at once.
	const chunk = 8192
	parsed := make([][]parsedName, min(chunk, len(entities)))
	workers := runtime.GOMAXPROCS(0)
	parseChunk := func(from int) {
		to := min(from+chunk, len(entities))
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := from + w; i < to; i += workers {
					e := &entities[i]
					hint := hintFor(e.Kind)
					ps := make([]parsedName, len(e.Names))
					for j, n := range e.Names {
						ps[j] = parsedName{variants: listedVariants(normalize.Parse(n.Full, hint)), latin: isLatinName(n)}
					}
					parsed[i-from] = ps
				}
			}(w)
		}
		wg.Wait()
	}

	df := []uint32{}
	lastEnt := []int32{}
	b := &builder{byText: map[string]uint32{}}
	intern := func(s string, joined bool, ent int) uint32 {
		id, ok := b.byText[s]
		if !ok {
			id = uint32(len(ix.vocab))
			b.byText[s] = id
			ix.vocab = append(ix.vocab, s)
			k := normalize.Skeleton(s)
			ix.keys = append(ix.keys, k)
			ix.joined = append(ix.joined, joined)
			df = append(df, 0)
			lastEnt = append(lastEnt, -1)
			// A token is found by its skeleton when it first came as
			// a token of its own, not joined.
			b.keyed = append(b.keyed, !joined)
		}
		if !joined {
			ix.joined[id] = false
		}
		if lastEnt[id] != int32(ent) {
			lastEnt[id] = int32(ent)
			df[id]++
		}
		return id
	}
	for i := range entities {
		if i%chunk == 0 {
			parseChunk(i)
		}
		start := uint32(len(ix.forms))
		for j, pn := range parsed[i%chunk] {
			for _, v := range pn.variants {
				f := form{ent: uint32(i), name: uint16(j), sys: v.System, latin: pn.latin, off: uint32(len(ix.toks)), n: uint16(len(v.Tokens)),
					weak: entities[i].Names[j].Quality == interdict.NameWeak, person: personLike(entities[i].Kind)}
				patr := isPatronymic(v.Tokens)
				for k, t := range v.Tokens {
					ix.toks = append(ix.toks, tok{id: intern(t.Text, false, i), join: noJoin, class: t.Class, patr: patr != nil && patr[k]})
				}
				ftoks := ix.ftoks(&f)
				// Adjacent tokens joined, so that "binladen" finds "bin laden".
				for k := 0; k+1 < len(v.Tokens); k++ {
					a, c := v.Tokens[k], v.Tokens[k+1]
					if joinable(a.Class) && joinable(c.Class) {
						id := intern(a.Text+c.Text, true, i)
						ftoks[k].join = id
					}
				}
				ix.forms = append(ix.forms, f)
			}
		}
		for _, id := range entities[i].Identifiers {
			for _, k := range idKeys(id.Value, id.Type) {
				if l := ix.ids[k]; len(l) == 0 || l[len(l)-1] != uint32(i) {
					ix.ids[k] = append(l, uint32(i))
				}
			}
		}
		ix.dates = append(ix.dates, birthDates(&entities[i]))
		org := false
		if k := entities[i].Kind; k == "" || k == interdict.KindUnknown {
			for k := range ix.forms[start:] {
				for _, t := range ix.ftoks(&ix.forms[int(start)+k]) {
					org = org || t.class == normalize.ClassLegalForm || t.class == normalize.ClassGeneric
				}
			}
		}
		ix.orgish = append(ix.orgish, org)
		ix.entForms = append(ix.entForms, [2]uint32{start, uint32(len(ix.forms))})
	}
	n := float64(len(entities)) + 1
	ix.idf = make([]float32, len(ix.vocab))
	for id := range ix.vocab {
		ix.idf[id] = float32(math.Log(1 + n/float64(df[id])))
	}
	ix.maxIDF = float32(math.Log(1 + n))
	ix.compact(b)
	ix.setPostings()
	ix.buildDeletes()
	ix.buildExact()
	ix.similar = make([]atomic.Pointer[[]simTok], len(ix.vocab))
	ix.similarRom = make([]atomic.Pointer[[]simTok], len(ix.vocab))
	ix.similarSyl = make([]atomic.Pointer[[]simTok], len(ix.vocab))
	ix.nicks = map[uint32][]uint32{}
	ix.hasNick = make([]bool, len(ix.vocab))
	ix.masks = make([]uint64, len(ix.vocab))
	ix.legalish = make([]bool, len(ix.vocab))
	ix.pinyin = make([]uint8, len(ix.vocab))
	for id, s := range ix.vocab {
		ix.masks[id] = letterMask(s)
		ix.legalish[id] = legalWord(s)
		ix.pinyin[id] = uint8(normalize.PinyinSyllables(s))
	}
	for id, s := range ix.vocab {
		if !normalize.HasNickname(s) {
			continue
		}
		ix.hasNick[id] = true
		if ix.joined[id] {
			continue
		}
		var l []uint32
		for _, n := range normalize.Nicknames(s) {
			if nid, ok := ix.lookup(n); ok {
				l = append(l, nid)
			}
		}
		ix.nicks[uint32(id)] = l
	}
	for i := range ix.forms {
		f := &ix.forms[i]
		var w float32
		for _, t := range ix.ftoks(f) {
			w += ix.weight(t.id, t.class)
		}
		f.weight = w
	}
	return ix
}

// compact moves what assembly grew piece by piece into exactly sized
// blocks: the forms and their tokens; the token texts and skeletons,
// packed into one string each; and builds the tables over them at their
// size, dropping the build's map. The index reads the same afterwards;
// the pieces become garbage.
func (ix *Index) compact(b *builder) {
	ix.forms = slices.Clone(ix.forms)
	ix.toks = slices.Clone(ix.toks)
	ix.orgish = slices.Clone(ix.orgish)
	ix.entForms = slices.Clone(ix.entForms)
	ix.dates = slices.Clone(ix.dates)
	ix.vocab = packStrings(ix.vocab)
	ix.keys = packStrings(ix.keys)
	b.byText = nil
	ix.byText = newStrTable(ix.vocab, nil)
	// Skeletons: the tokens (not joined) of each, in id order.
	type kv struct {
		k  string
		id uint32
	}
	var all []kv
	for id, k := range ix.keys {
		if b.keyed[id] {
			all = append(all, kv{k, uint32(id)})
		}
	}
	slices.SortFunc(all, func(a, b kv) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	ix.keyIDs = make([]uint32, len(all))
	ix.keyStrs, ix.keyOff = nil, nil
	for i, e := range all {
		if i == 0 || e.k != all[i-1].k {
			ix.keyStrs = append(ix.keyStrs, e.k)
			ix.keyOff = append(ix.keyOff, uint32(i))
		}
		ix.keyIDs[i] = e.id
	}
	ix.keyOff = append(ix.keyOff, uint32(len(all)))
	ix.keyStrs = slices.Clip(ix.keyStrs)
	ix.keyOff = slices.Clip(ix.keyOff)
	ix.keyTable = newStrTable(ix.keyStrs, nil)
}

// builder holds what only building an index needs.
type builder struct {
	byText map[string]uint32
	keyed  []bool // per token, found by its skeleton
}

// setPostings builds the posting lists from the forms' tokens and joined
// pairs, counting them first, so that the build holds no list that grows.
func (ix *Index) setPostings() {
	last := make([]uint32, len(ix.vocab)) // per token, the last form counted + 1
	ix.postOff = make([]uint32, len(ix.vocab)+1)
	count := func(id, fid uint32) {
		if last[id] != fid+1 {
			last[id] = fid + 1
			ix.postOff[id+1]++
		}
	}
	for fid := range ix.forms {
		for _, t := range ix.ftoks(&ix.forms[fid]) {
			count(t.id, uint32(fid))
			if t.join != noJoin {
				count(t.join, uint32(fid))
			}
		}
	}
	for id := range ix.vocab {
		ix.postOff[id+1] += ix.postOff[id]
	}
	ix.postings = make([]uint32, ix.postOff[len(ix.vocab)])
	next := last // reused: per token, where its next posting goes
	copy(next, ix.postOff)
	add := func(id, fid uint32) {
		if n := next[id]; n == ix.postOff[id] || ix.postings[n-1] != fid {
			ix.postings[n] = fid
			next[id] = n + 1
		}
	}
	for fid := range ix.forms {
		for _, t := range ix.ftoks(&ix.forms[fid]) {
			add(t.id, uint32(fid))
			if t.join != noJoin {
				add(t.join, uint32(fid))
			}
		}
	}
}

// posting returns the ids of the forms holding token id, in order.
func (ix *Index) posting(id uint32) []uint32 {
	return ix.postings[ix.postOff[id]:ix.postOff[id+1]]
}

// lookup returns the id of the token spelled s.
func (ix *Index) lookup(s string) (uint32, bool) {
	return ix.byText.find(s, ix.vocab)
}

// byKey returns the ids of the tokens (not joined) of skeleton k.
func (ix *Index) byKey(k string) []uint32 {
	g, ok := ix.keyTable.find(k, ix.keyStrs)
	if !ok {
		return nil
	}
	return ix.keyIDs[ix.keyOff[g]:ix.keyOff[g+1]]
}

// strTable is a hash table of the distinct strings of a []string, each by
// its index: open addressing over uint32 slots (index+1; 0 is empty), at
// most half full. It costs 8 to 16 bytes a string, a map 40 or more.
type strTable struct {
	slots []uint32
	seed  maphash.Seed
}

// newStrTable builds the table of ss, keeping the first of equal strings;
// skip, when set, leaves out the strings it is true for.
func newStrTable(ss []string, skip []bool) strTable {
	n := 8
	for n < 2*len(ss) {
		n *= 2
	}
	t := strTable{slots: make([]uint32, n), seed: maphash.MakeSeed()}
	mask := uint64(n - 1)
	for i, s := range ss {
		if skip != nil && skip[i] {
			continue
		}
		for h := maphash.String(t.seed, s) & mask; ; h = (h + 1) & mask {
			v := t.slots[h]
			if v == 0 {
				t.slots[h] = uint32(i) + 1
				break
			}
			if ss[v-1] == s {
				break
			}
		}
	}
	return t
}

// find returns the index in ss (the strings the table was built of) of s.
func (t *strTable) find(s string, ss []string) (uint32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	mask := uint64(len(t.slots) - 1)
	for h := maphash.String(t.seed, s) & mask; ; h = (h + 1) & mask {
		v := t.slots[h]
		if v == 0 {
			return 0, false
		}
		if ss[v-1] == s {
			return v - 1, true
		}
	}
}

// packStrings returns ss with every string's bytes copied into one block.
func packStrings(ss []string) []string {
	n := 0
	for _, s := range ss {
		n += len(s)
	}
	var b strings.Builder
	b.Grow(n)
	for _, s := range ss {
		b.WriteString(s)
	}
	all := b.String()
	out := make([]string, len(ss))
	off := 0
	for i, s := range ss {
		out[i] = all[off : off+len(s)]
		off += len(s)
	}
	return out
}

// namesOf counts the names of entities.
func namesOf(entities []interdict.Entity) int {
	n := 0
	for i := range entities {
		n += len(entities[i].Names)
	}
	return n
}

// joinable reports whether a token of class c may be joined with a neighbour:
// name parts, particles and stopwords, which are also short name parts
// ("TAY ZA" / "TAYZA").
func joinable(c normalize.Class) bool {
	return c == normalize.ClassName || c == normalize.ClassParticle || c == normalize.ClassStopword
}

func hintFor(k interdict.Kind) normalize.Hint {
	switch k {
	case interdict.KindPerson:
		return normalize.Person
	case interdict.KindOrganization, interdict.KindVessel, interdict.KindAircraft:
		return normalize.Organization
	}
	return normalize.AnyParty
}

func isLatinName(n interdict.Name) bool {
	s := n.Script
	if s == "" {
		s = interdict.Script(n.Full)
	}
	return s == "Latn" || s == ""
}

// buildDeletes indexes every token of three letters or more that is not a
// number or a joined pair by the hashes of its one-deletion neighbourhood.
func (ix *Index) buildDeletes() {
	type kv struct {
		h  uint64
		id uint32
	}
	var all []kv
	var hs []uint64
	for id, s := range ix.vocab {
		if ix.joined[id] || len(s) < 3 || isDigits(s) {
			continue
		}
		hs = deletionHashes(s, hs[:0])
		for _, h := range hs {
			all = append(all, kv{h, uint32(id)})
		}
	}
	slices.SortFunc(all, func(a, b kv) int {
		if c := cmp.Compare(a.h, b.h); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	all = slices.Compact(all)
	d := &ix.deletes
	d.ids = make([]uint32, len(all))
	for i, e := range all {
		d.ids[i] = e.id
		if i == 0 || e.h != all[i-1].h {
			d.hashes = append(d.hashes, e.h)
			d.off = append(d.off, uint32(i))
		}
	}
	d.off = append(d.off, uint32(len(all)))
	d.hashes, d.off = slices.Clip(d.hashes), slices.Clip(d.off)
	// The directory: the first hash of each value of the top bits, for
	// about two hashes a bucket.
	d.shift = 64
	for n := 1; n < len(d.hashes)/2+1; n *= 2 {
		d.shift--
	}
	d.dir = make([]uint32, (1<<(64-d.shift))+1)
	k := 0
	for b := range d.dir {
		for k < len(d.hashes) && d.hashes[k]>>d.shift < uint64(b) {
			k++
		}
		d.dir[b] = uint32(k)
	}
}

// delTable holds the tokens by deletion hash: the distinct hashes sorted,
// the tokens of hashes[i] in ids[off[i]:off[i+1]], and a directory by the
// hash's top bits (a radix table, cheaper than a map of slices: 14 bytes
// a hash, not 30).
type delTable struct {
	hashes []uint64
	off    []uint32
	ids    []uint32
	dir    []uint32 // bucket b's hashes are hashes[dir[b]:dir[b+1]]
	shift  uint     // 64 minus the bits of the directory
}

// deleted returns the tokens of deletion hash h.
func (ix *Index) deleted(h uint64) []uint32 {
	d := &ix.deletes
	if len(d.dir) == 0 {
		return nil
	}
	var b uint64
	if d.shift < 64 {
		b = h >> d.shift
	}
	for i := d.dir[b]; i < d.dir[b+1]; i++ {
		if d.hashes[i] == h {
			return d.ids[d.off[i]:d.off[i+1]]
		}
	}
	return nil
}

// deletionHashes appends to out the hash of s and of s with each one of its
// letters removed (a doubled letter once).
func deletionHashes(s string, out []uint64) []uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	out = append(out, delHash(s, -1))
	var pre [64]uint64
	if len(s) >= len(pre) {
		for i := 0; i < len(s); i++ {
			if i > 0 && s[i] == s[i-1] {
				continue
			}
			out = append(out, delHash(s, i))
		}
		return out
	}
	h := uint64(offset)
	for i := 0; i < len(s); i++ {
		pre[i] = h
		h = (h ^ uint64(s[i])) * prime
	}
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i] == s[i-1] {
			continue
		}
		h := pre[i]
		for k := i + 1; k < len(s); k++ {
			h = (h ^ uint64(s[k])) * prime
		}
		out = append(out, h)
	}
	return out
}

// delHash is the FNV-1a hash of s without its byte at skip (none when skip
// is negative).
func delHash(s string, skip int) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := 0; i < len(s); i++ {
		if i != skip {
			h = (h ^ uint64(s[i])) * prime
		}
	}
	return h
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// classWeight scales a token's IDF by its class: only name parts carry full
// weight.
func classWeight(c normalize.Class) float32 {
	switch c {
	case normalize.ClassName:
		return 1
	case normalize.ClassNumber:
		return 0.6
	case normalize.ClassGeneric:
		return 0.25
	case normalize.ClassParticle:
		return 0.1
	case normalize.ClassLegalForm:
		return 0.05
	case normalize.ClassStopword:
		return 0.02
	}
	return 0 // titles
}

// weight is a token's weight in scoring.
func (ix *Index) weight(id uint32, c normalize.Class) float32 {
	if c == normalize.ClassGeneric && ix.legalish[id] {
		c = normalize.ClassLegalForm
	}
	return ix.idf[id] * classWeight(c) * lengthWeight(len(ix.vocab[id]))
}

// tokWeight is classWeight for a token the index may not know.
func tokWeight(text string, c normalize.Class) float32 {
	if c == normalize.ClassGeneric && legalWord(text) {
		c = normalize.ClassLegalForm
	}
	return classWeight(c)
}

// legalWord reports whether a generic organisation word is used as a legal
// form ("Sparx Air Corp." / "Sparx Air Ltd"): it weighs as a legal form,
// and a legal-form difference between two names costs little (see align).
func legalWord(s string) bool {
	switch s {
	case "co", "corp", "corporation", "company", "inc", "incorporated", "korporatsiya", "kompaniya",
		"compania", "compagnie", "companhia", "sirketi", "sirket", "sherkat", "sharikat", "sharikati":
		return true
	}
	return false
}

// isLegal reports whether a token of class c is a legal form or weighs as
// one.
func isLegal(text string, c normalize.Class) bool {
	return c == normalize.ClassLegalForm || c == normalize.ClassGeneric && legalWord(text)
}

// lengthWeight scales the weight of a one-letter token (an initial, or the
// Burmese honorific U): it says less than a whole name part.
func lengthWeight(n int) float32 {
	if n == 1 {
		return 0.5
	}
	return 1
}

// idKeys normalises an identifier for exact matching: upper case, letters
// and digits only ("IMO 9233753" and "IMO9233753" give "IMO9233753"); IMO
// and MMSI numbers are also keyed by their digits. Values shorter than 5
// characters are not keyed.
func idKeys(v string, t interdict.IdentifierType) []string {
	k := idKey(v)
	if len(k) < 5 {
		return nil
	}
	out := []string{k}
	if d := strings.TrimLeft(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"); d != k && len(d) >= 6 && isDigits(d) &&
		(t == interdict.IDIMO || t == interdict.IDMMSI || strings.HasPrefix(k, "IMO") || strings.HasPrefix(k, "MMSI")) {
		out = append(out, d)
	}
	return out
}

func idKey(v string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(v) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// listedVariants drops from the romanizations of a listed name the letter
// model's: a guess at how another language spells the name is worth
// making for the name being screened, which may come in any spelling,
// not for a listed one, which comes with its Latin names; indexed, it
// only adds candidates (and cost) to every search.
func listedVariants(vs []normalize.Variant) []normalize.Variant {
	out := vs[:0]
	for _, v := range vs {
		if v.System != normalize.Model {
			out = append(out, v)
		}
	}
	return out
}

// exactEnt is one form under its bagKey.
type exactEnt struct {
	key uint64
	f   uint32
}

// bagKey is a hash of the multiset of token ids ids (reordered): the same
// words in any order give the same key.
func bagKey(ids []uint32) uint64 {
	slices.Sort(ids)
	h := uint64(14695981039346656037)
	for _, id := range ids {
		h = (h ^ uint64(id)) * 1099511628211
		h = (h ^ uint64(id>>16)) * 1099511628211
	}
	return h ^ uint64(len(ids))
}

// buildExact keys every form by the words it is made of.
func (ix *Index) buildExact() {
	exact := make([]exactEnt, 0, len(ix.forms))
	var ids []uint32
	for fid := range ix.forms {
		ids = ids[:0]
		for _, t := range ix.ftoks(&ix.forms[fid]) {
			ids = append(ids, t.id)
		}
		if len(ids) == 0 {
			continue
		}
		exact = append(exact, exactEnt{bagKey(ids), uint32(fid)})
	}
	slices.SortFunc(exact, func(a, b exactEnt) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.f, b.f)
	})
	// Kept as two arrays: 12 bytes a form, not 16.
	ix.exact = make([]uint64, len(exact))
	ix.exactFor = make([]uint32, len(exact))
	for i, e := range exact {
		ix.exact[i], ix.exactFor[i] = e.key, e.f
	}
}

// exactForms appends to out the forms made of the same words as the query
// form qf (a hash match: the caller scores them, so a collision costs only
// time).
func (ix *Index) exactForms(qf *qform, ids []uint32, out []uint32) ([]uint32, []uint32) {
	ids = ids[:0]
	for i := range qf.toks {
		if qf.toks[i].vid == noJoin {
			return out, ids
		}
		ids = append(ids, qf.toks[i].vid)
	}
	if len(ids) == 0 {
		return out, ids
	}
	k := bagKey(ids)
	i, _ := slices.BinarySearch(ix.exact, k)
	for ; i < len(ix.exact) && ix.exact[i] == k; i++ {
		out = append(out, ix.exactFor[i])
	}
	return out, ids
}
