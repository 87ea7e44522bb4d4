package match

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/normalize"
)

// tableEntities builds n entities of random names over a small alphabet
// (so that tokens, skeletons and deletion hashes are shared), with
// repeated tokens and joinable pairs.
func tableEntities(n int) []interdict.Entity {
	rng := rand.New(rand.NewPCG(5, 6))
	word := func() string {
		var b strings.Builder
		for k := 2 + rng.IntN(5); k > 0; k-- {
			b.WriteByte("abdeilmnorst"[rng.IntN(12)])
		}
		return b.String()
	}
	ents := make([]interdict.Entity, n)
	for i := range ents {
		e := &ents[i]
		e.ID, e.List, e.Kind = fmt.Sprintf("t:%d", i), "t", interdict.KindPerson
		for j := 0; j < 1+rng.IntN(3); j++ {
			var ws []string
			for k := 0; k < 1+rng.IntN(4); k++ {
				ws = append(ws, word())
			}
			if rng.IntN(5) == 0 {
				ws = append(ws, ws[0]) // a token twice in one name
			}
			e.Names = append(e.Names, interdict.Name{Full: strings.Join(ws, " "), Quality: interdict.NameStrong, Script: "Latn"})
		}
	}
	return ents
}

// The index's tables answer as the maps and lists they replace would:
// every token by its text, the tokens of each skeleton, the tokens of each
// deletion hash and the forms of each token.
func TestIndex_Tables(t *testing.T) {
	ix := NewIndex(tableEntities(3000))
	if len(ix.vocab) < 1000 {
		t.Fatalf("only %d tokens: the test needs a larger vocabulary", len(ix.vocab))
	}
	// A token is found by its skeleton when it first came as a token of
	// its own, not as two joined: forms in order, each's tokens before its
	// joined pairs.
	keyed := make([]int8, len(ix.vocab)) // 0 unseen, 1 keyed, -1 not
	for fid := range ix.forms {
		ts := ix.ftoks(&ix.forms[fid])
		for _, tk := range ts {
			if keyed[tk.id] == 0 {
				keyed[tk.id] = 1
			}
		}
		for _, tk := range ts {
			if tk.join != noJoin && keyed[tk.join] == 0 {
				keyed[tk.join] = -1
			}
		}
	}
	byKey := map[string][]uint32{}
	dels := map[uint64][]uint32{}
	for id, s := range ix.vocab {
		if got, ok := ix.lookup(s); !ok || got != uint32(id) {
			t.Fatalf("lookup(%q) = %d, %v; want %d", s, got, ok, id)
		}
		if _, ok := ix.lookup(s + "#"); ok {
			t.Fatalf("lookup(%q) found a token not in the vocabulary", s+"#")
		}
		if keyed[id] == 1 {
			byKey[ix.keys[id]] = append(byKey[ix.keys[id]], uint32(id))
		}
		if !ix.joined[id] {
			if len(s) >= 3 && !isDigits(s) {
				for _, h := range deletionHashes(s, nil) {
					if l := dels[h]; len(l) == 0 || l[len(l)-1] != uint32(id) {
						dels[h] = append(l, uint32(id))
					}
				}
			}
		}
	}
	for k, want := range byKey {
		if got := ix.byKey(k); !slices.Equal(got, want) {
			t.Errorf("byKey(%q) = %v, want %v", k, got, want)
		}
	}
	if got := ix.byKey("#"); got != nil {
		t.Errorf("byKey of an unknown skeleton = %v, want none", got)
	}
	for h, want := range dels {
		if got := ix.deleted(h); !slices.Equal(got, want) {
			t.Errorf("deleted(%x) = %v, want %v", h, got, want)
		}
		if got := ix.deleted(h ^ 1); dels[h^1] == nil && got != nil {
			t.Errorf("deleted of an unknown hash = %v, want none", got)
		}
	}
	posts := make([][]uint32, len(ix.vocab))
	add := func(id uint32, fid int) {
		if l := posts[id]; len(l) == 0 || l[len(l)-1] != uint32(fid) {
			posts[id] = append(l, uint32(fid))
		}
	}
	for fid := range ix.forms {
		f := &ix.forms[fid]
		for _, tk := range ix.ftoks(f) {
			add(tk.id, fid)
			if tk.join != noJoin {
				add(tk.join, fid)
			}
		}
	}
	for id := range posts {
		if got := ix.posting(uint32(id)); !slices.Equal(got, posts[id]) {
			t.Fatalf("posting(%q) = %v, want %v", ix.vocab[id], got, posts[id])
		}
	}
	// Each form's tokens are those of one romanization of its name, in
	// order.
	for fid := range ix.forms {
		f := &ix.forms[fid]
		var texts []string
		for _, tk := range ix.ftoks(f) {
			texts = append(texts, ix.vocab[tk.id])
		}
		name := ix.entities[f.ent].Names[f.name].Full
		found := false
		for _, v := range listedVariants(normalize.Parse(name, normalize.Person)) {
			var want []string
			for _, tk := range v.Tokens {
				want = append(want, tk.Text)
			}
			found = found || v.System == f.sys && slices.Equal(texts, want)
		}
		if !found {
			t.Fatalf("form %d of %q holds %v, the tokens of none of its romanizations", fid, name, texts)
		}
	}
}

// An index of no entity answers every table empty.
func TestIndex_TablesEmpty(t *testing.T) {
	ix := NewIndex(nil)
	if _, ok := ix.lookup("a"); ok {
		t.Error("lookup in an empty index found a token")
	}
	if ix.byKey("a") != nil || ix.deleted(42) != nil {
		t.Error("an empty index found tokens by skeleton or deletion")
	}
	if ms := ix.Search(interdict.Query{Name: "John Smith"}, Options{}); len(ms) != 0 {
		t.Errorf("search of an empty index = %d matches", len(ms))
	}
}
