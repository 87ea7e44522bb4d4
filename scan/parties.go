package scan

import (
	"runtime"
	"sync"
	"unicode/utf8"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/normalize"
)

// maxAnchorForms is the most name forms one token may anchor: a token
// shared by more names (Mohammed, Ali, Kim) is too common to start a
// candidate on its own; the forms that have no rarer token are anchored by
// their first two name parts together.
const maxAnchorForms = 400

// ftok is one token of a name form.
type ftok struct {
	text  string
	key   string // consonant skeleton
	class normalize.Class
	req   bool // a name part: it must be found in the text
	df    int32
}

// maxSingleDF is the most entities whose names may share a word that is
// found alone as a name.
const maxSingleDF = 40

// form is one romanization of one name of one entity.
type form struct {
	ent     int32
	name    int16
	person  bool
	weak    bool
	toks    []ftok
	nreq    int
	letters int  // letters of the name parts
	common  bool // every name part is a common word
}

// partyIndex anchors name forms by their tokens.
type partyIndex struct {
	entities []interdict.Entity
	forms    []form
	byText   map[uint64][]int32 // hash of a name part -> forms
	byKey    map[uint64][]int32 // hash of its skeleton -> forms
	byPair   map[uint64][]int32 // hash of two name parts -> forms with no rarer anchor
	longText map[uint64][]int32 // byText for forms long enough to match in lower case
	script   *lexicon           // names as written in a non-Latin script
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
	px := &partyIndex{entities: entities, byText: map[uint64][]int32{}, byKey: map[uint64][]int32{},
		byPair: map[uint64][]int32{}, longText: map[uint64][]int32{}, script: newLexicon()}
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
	for i := range entities {
		for j, fs := range parsed[i] {
			px.forms = append(px.forms, fs...)
			n := entities[i].Names[j]
			if s := interdict.Script(n.Full); s != "" && s != "Latn" && utf8.RuneCountInString(n.Full) >= 3 {
				px.script.add(n.Full, int32(i), false)
			}
		}
	}
	df := map[uint64]int{}
	entDF := map[string]int32{}
	lastEnt := map[string]int32{}
	for fi := range px.forms {
		f := &px.forms[fi]
		seen := map[string]bool{}
		for _, t := range f.toks {
			if t.req && !seen[t.text] {
				seen[t.text] = true
				df[hashString(t.text)]++
				if e, ok := lastEnt[t.text]; !ok || e != f.ent {
					lastEnt[t.text] = f.ent
					entDF[t.text]++
				}
			}
		}
	}
	for fi := range px.forms {
		for k := range px.forms[fi].toks {
			px.forms[fi].toks[k].df = entDF[px.forms[fi].toks[k].text]
		}
	}
	for fi := range px.forms {
		f := &px.forms[fi]
		id := int32(fi)
		anchored := false
		long := f.nreq >= 3 && f.letters >= 18 && !f.common
		seenT, seenK := map[string]bool{}, map[string]bool{}
		for _, t := range f.toks {
			if !t.req || t.class == normalize.ClassNumber {
				continue
			}
			h := hashString(t.text)
			if df[h] > maxAnchorForms {
				continue
			}
			anchored = true
			if !seenT[t.text] {
				seenT[t.text] = true
				px.byText[h] = append(px.byText[h], id)
				if long {
					px.longText[h] = append(px.longText[h], id)
				}
			}
			if len(t.text) >= 3 && !seenK[t.key] {
				seenK[t.key] = true
				px.byKey[hashString(t.key)] = append(px.byKey[hashString(t.key)], id)
			}
		}
		if !anchored {
			var req []string
			for _, t := range f.toks {
				if t.req {
					req = append(req, t.text)
				}
			}
			// Two very common name parts (Mohammed Ali, Abdul Rahman) are
			// the names of many people: only longer names are looked for.
			if len(req) >= 3 {
				px.byPair[combine(hashString(req[0]), hashString(req[1]))] = append(px.byPair[combine(hashString(req[0]), hashString(req[1]))], id)
				// "SURNAME, Given": the last part first.
				l := len(req) - 1
				px.byPair[combine(hashString(req[l]), hashString(req[0]))] = append(px.byPair[combine(hashString(req[l]), hashString(req[0]))], id)
			}
		}
	}
	// Skeleton postings may be long (a short skeleton is shared by many
	// tokens): drop the ones no text token should anchor on.
	for k, v := range px.byKey {
		if len(v) > 4*maxAnchorForms {
			delete(px.byKey, k)
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
		f := form{ent: int32(ei), name: int16(min(ni, 32767)), person: e.Kind == interdict.KindPerson, weak: n.Quality == interdict.NameWeak}
		common := true
		for _, t := range v.Tokens {
			req := t.Class == normalize.ClassName || t.Class == normalize.ClassNumber
			f.toks = append(f.toks, ftok{text: t.Text, key: t.Key, class: t.Class, req: req})
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
