package scan

import (
	"fmt"
	"runtime"
	"sync"
	"unicode/utf8"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/normalize"
)

// ftok is one token of a name form.
type ftok struct {
	text  string
	key   string // consonant skeleton
	class normalize.Class
	req   bool // a name part: it must be found in the text
	df    int32
	th    uint64 // hash of text
	kh    uint64 // hash of key
}

// maxSingleDF is the most entities whose names may share a word that is
// found alone as a name.
const maxSingleDF = 40

// form is one romanization of one name of one entity.
type form struct {
	// ents are the entities with a name of this form (the same name on
	// several lists is one form).
	ents    []int32
	name    int16
	person  bool
	org     bool // an organization, vessel or aircraft
	weak    bool
	toks    []ftok
	nreq    int
	letters int  // letters of the name parts
	common  bool // every name part is a common word
	// must holds the hashes of words the alignment requires as written
	// besides the name parts (the generic words of a name of one name
	// part, every word of a name of everyday words): the prefilter checks
	// them before the alignment proper.
	must []uint64
}

// partyIndex finds candidate name forms from the words of a text with a
// few hash probes per word.
type partyIndex struct {
	entities []interdict.Entity
	forms    []form
	// singles holds the forms with one name part, by the hash of its
	// skeleton and of its text.
	singles map[uint64][]int32
	// pairs holds the forms with two name parts or more by the hash of
	// the skeletons of every ordered pair of their name parts (so any
	// order, a part left out, and spellings that keep the skeleton meet).
	pairs map[uint64][]int32
	// long holds the forms long enough to be found in lower case, by the
	// hash of the text of each two name parts in a row.
	long map[uint64][]int32
	// common holds the forms whose name parts are all everyday words, by
	// the hash of the text of each two words in a row.
	common map[uint64][]int32
	script *lexicon // names as written in a non-Latin script
	// keys holds every key of singles and the skeleton hash of every name
	// part that pairs holds; firsts every key of long and common: most
	// words of a text are in neither, and are passed over after a bit
	// test.
	keys, firsts bitSet
}

// bitSet is a set of hashes with false positives (a Bloom filter of one
// hash function): a word not in it is certainly not a key.
type bitSet struct {
	bits  []uint64
	shift uint
}

// newBitSet returns a set of 2^log bits.
func newBitSet(log uint) bitSet { return bitSet{bits: make([]uint64, 1<<(log-6)), shift: 64 - log} }

func (b bitSet) add(h uint64) {
	x := h >> b.shift
	b.bits[x>>6] |= 1 << (x & 63)
}

func (b bitSet) has(h uint64) bool {
	x := h >> b.shift
	return b.bits[x>>6]&(1<<(x&63)) != 0
}

func hintOf(k interdict.Kind) normalize.Hint {
	switch k {
	case interdict.KindPerson:
		return normalize.Person
	case interdict.KindOrganization, interdict.KindVessel, interdict.KindAircraft:
		return normalize.Organization
	}
	return normalize.AnyParty
}

// buildParties parses every name of every entity (in parallel; assembly is
// sequential, so the index does not depend on scheduling).
func buildParties(entities []interdict.Entity) *partyIndex {
	px := &partyIndex{entities: entities, singles: map[uint64][]int32{}, pairs: map[uint64][]int32{},
		long: map[uint64][]int32{}, common: map[uint64][]int32{}, script: newLexicon(), keys: newBitSet(23), firsts: newBitSet(20)}
	parsed := make([][][]form, len(entities))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(entities); i += workers {
				e := &entities[i]
				ps := make([][]form, len(e.Names))
				for j, n := range e.Names {
					ps[j] = parseForms(i, j, e, n)
				}
				parsed[i] = ps
			}
		}(w)
	}
	wg.Wait()
	same := map[string]int{}
	for i := range entities {
		for j, fs := range parsed[i] {
			for _, f := range fs {
				k := fmt.Sprint(formText(&f), f.person, f.org, f.weak)
				if at, ok := same[k]; ok {
					if e := px.forms[at].ents; e[len(e)-1] != f.ents[0] {
						px.forms[at].ents = append(e, f.ents[0])
					}
					continue
				}
				same[k] = len(px.forms)
				px.forms = append(px.forms, f)
			}
			n := entities[i].Names[j]
			if s := interdict.Script(n.Full); s != "" && s != "Latn" && utf8.RuneCountInString(n.Full) >= 3 {
				px.script.add(n.Full, int32(i), false)
			}
		}
	}
	entDF := map[string]int32{}
	lastEnt := map[string]int32{}
	for fi := range px.forms {
		f := &px.forms[fi]
		for _, t := range f.toks {
			for _, ent := range f.ents {
				if e, ok := lastEnt[t.text]; t.req && (!ok || e != ent) {
					lastEnt[t.text] = ent
					entDF[t.text]++
				}
			}
		}
	}
	add := func(m map[uint64][]int32, h uint64, id int32) {
		if l := m[h]; len(l) == 0 || l[len(l)-1] != id {
			m[h] = append(l, id)
		}
	}
	for fi := range px.forms {
		f := &px.forms[fi]
		id := int32(fi)
		var req []*ftok
		for k := range f.toks {
			f.toks[k].df = entDF[f.toks[k].text]
			if f.toks[k].req {
				req = append(req, &f.toks[k])
			}
		}
		f.must = mustWords(f, len(req) == 1)
		if len(req) == 1 {
			// A name of one name part is found alone only as written (or
			// as normalize spells it), unless it is long enough for one
			// slip: only then is it looked up by its skeleton.
			if len(req[0].text) >= 9 {
				add(px.singles, req[0].kh, id)
				px.keys.add(req[0].kh)
			}
			add(px.singles, req[0].th, id)
			px.keys.add(req[0].th)
			px.keys.add(req[0].kh) // for the canonical spelling, see findParties
			continue
		}
		paired := false
		for a := range req {
			for b := range req {
				// Two everyday words ("National Bank") pair up in too many
				// names: such pairs are looked up as written, in a row.
				if a != b && (b-a <= 3 && a-b <= 3) && !(commonWords[req[a].text] && commonWords[req[b].text]) {
					add(px.pairs, combine(req[a].kh, req[b].kh), id)
					px.keys.add(req[a].kh)
					px.keys.add(req[b].kh)
					paired = true
				}
			}
		}
		if !paired {
			for a := 0; a+1 < len(f.toks); a++ {
				add(px.common, combine(f.toks[a].th, f.toks[a+1].th), id)
				px.firsts.add(combine(f.toks[a].th, f.toks[a+1].th))
			}
		}
		if f.nreq >= 3 && f.letters >= 18 && !f.common {
			// Two words in a row of which one at least is a name part and
			// not an everyday word: "of the" or "and the" would send every
			// sentence to the long names.
			for a := 0; a+1 < len(f.toks); a++ {
				if distinctive(&f.toks[a]) || distinctive(&f.toks[a+1]) {
					add(px.long, combine(f.toks[a].th, f.toks[a+1].th), id)
					px.firsts.add(combine(f.toks[a].th, f.toks[a+1].th))
				}
			}
		}
	}
	return px
}

// parseForms returns the forms of one name: its romanizations by the rule
// systems (not the letter model's guesses).
func parseForms(ei, ni int, e *interdict.Entity, n interdict.Name) []form {
	var out []form
	for vi, v := range normalize.Parse(n.Full, hintOf(e.Kind)) {
		if v.System == normalize.Model || vi >= 4 {
			continue
		}
		f := form{ents: []int32{int32(ei)}, name: int16(min(ni, 32767)), person: e.Kind == interdict.KindPerson, org: hintOf(e.Kind) == normalize.Organization, weak: n.Quality == interdict.NameWeak}
		common := true
		for _, t := range v.Tokens {
			req := t.Class == normalize.ClassName || t.Class == normalize.ClassNumber
			f.toks = append(f.toks, ftok{text: t.Text, key: t.Key, class: t.Class, req: req, th: hashString(t.Text), kh: keyHash(t.Key)})
			if req {
				f.nreq++
				f.letters += len(t.Text)
				if !commonWords[t.Text] {
					common = false
				}
			}
		}
		if f.nreq == 0 {
			// A name of generic words only (HIZBALLAH is "hizb" + "allah",
			// classed generic): its generic words are its name parts.
			for k := range f.toks {
				if t := &f.toks[k]; t.class == normalize.ClassGeneric {
					t.req = true
					f.nreq++
					f.letters += len(t.text)
					if !commonWords[t.text] {
						common = false
					}
				}
			}
		}
		if f.nreq == 0 {
			continue
		}
		f.common = common
		out = append(out, f)
	}
	return out
}

// mustWords returns the hashes of the words other than name parts that
// align requires as written for form f: for a name of one name part its
// generic words ("Washington" is not WASHINGTON TRADING), and every word
// when the name part alone would not do (a weak name, a common word, a word
// many names share); for a name of everyday words, every word.
func mustWords(f *form, single bool) []uint64 {
	all := f.common
	if single {
		j := firstReq(f)
		t := &f.toks[j]
		all = all || f.weak || commonWords[t.text] || t.df > maxSingleDF
	}
	var out []uint64
	for j := range f.toks {
		t := &f.toks[j]
		if t.req {
			continue
		}
		switch t.class {
		case normalize.ClassLegalForm, normalize.ClassStopword, normalize.ClassTitle:
			continue
		case normalize.ClassGeneric:
			if single || all {
				out = append(out, t.th)
			}
		default:
			if all {
				out = append(out, t.th)
			}
		}
	}
	return out
}

// distinctive reports a name part that is not an everyday word.
func distinctive(t *ftok) bool {
	return t.req && len(t.text) >= 3 && !commonWords[t.text]
}
