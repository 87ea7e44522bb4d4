package scan

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/normalize"
)

//go:embed evaldata
var evalFS embed.FS

// EvalDoc is one labelled document of the evaluation set.
type EvalDoc struct {
	ID string `json:"id"`
	// Lang is the document's language (en, fr, de, es, ru, ar, fa, zh).
	Lang string `json:"lang"`
	// Split is "dev" (tuned on), "test" (held out), "test2" (a second
	// held-out set, written after the first had been measured) or "test3"
	// (a third, mostly Arabic and Persian, labelled before it was first
	// run).
	Split string `json:"split"`
	// Genre is "news", "press" (court and government releases) or "clean"
	// (no listed party; full of list-like common words).
	Genre string `json:"genre"`
	// File is the text's file name in the set.
	File string `json:"file"`
	// Mentions are the expected mentions: every occurrence of Text in the
	// document is one.
	Mentions []EvalMention `json:"mentions"`
	Text     string        `json:"-"`
}

// EvalMention is an expected mention.
type EvalMention struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
	// Listed, for a party, is a word the listed name must hold (folded),
	// and for a place or goods term the expected entity ID; empty accepts
	// any.
	Listed string `json:"listed,omitempty"`
}

// Splits are the splits of the evaluation set: dev was tuned on; test,
// test2 and test3 are held out.
var Splits = []string{"dev", "test", "test2", "test3"}

// EvalSet returns the bundled evaluation set (evaldata/labels.json and the
// texts it names).
func EvalSet() ([]EvalDoc, error) {
	sub, err := fs.Sub(evalFS, "evaldata")
	if err != nil {
		return nil, err
	}
	return ReadEvalSet(sub)
}

// ReadEvalSet reads an evaluation set from a directory holding labels.json
// and the texts. A label naming a missing file, or a mention whose text is
// not in its document, is an error naming the document.
func ReadEvalSet(fsys fs.FS) ([]EvalDoc, error) {
	b, err := fs.ReadFile(fsys, "labels.json")
	if err != nil {
		return nil, fmt.Errorf("read evaluation labels: %w", err)
	}
	var docs []EvalDoc
	if err := json.Unmarshal(b, &docs); err != nil {
		return nil, fmt.Errorf("labels.json: %w", err)
	}
	for i := range docs {
		d := &docs[i]
		t, err := fs.ReadFile(fsys, d.File)
		if err != nil {
			return nil, fmt.Errorf("labels.json: document %s: %w", d.ID, err)
		}
		d.Text = string(t)
		if !slices.Contains(Splits, d.Split) {
			return nil, fmt.Errorf("labels.json: document %s: split %q is not one of %s", d.ID, d.Split, strings.Join(Splits, ", "))
		}
		for _, m := range d.Mentions {
			if !strings.Contains(d.Text, m.Text) {
				return nil, fmt.Errorf("labels.json: document %s: mention %q is not in %s", d.ID, m.Text, d.File)
			}
			if m.Kind != KindParty && m.Kind != KindPlace && m.Kind != KindGoods {
				return nil, fmt.Errorf("labels.json: document %s: mention %q has kind %q", d.ID, m.Text, m.Kind)
			}
		}
	}
	return docs, nil
}

// Counts are the true positives, false positives and false negatives of a
// group of mentions.
type Counts struct {
	TP int `json:"tp"`
	FP int `json:"fp"`
	FN int `json:"fn"`
}

// Precision is TP/(TP+FP), or 1 when nothing was found.
func (c Counts) Precision() float64 {
	if c.TP+c.FP == 0 {
		return 1
	}
	return float64(c.TP) / float64(c.TP+c.FP)
}

// Recall is TP/(TP+FN), or 1 when nothing was expected.
func (c Counts) Recall() float64 {
	if c.TP+c.FN == 0 {
		return 1
	}
	return float64(c.TP) / float64(c.TP+c.FN)
}

// EvalError is one wrong or missed mention.
type EvalError struct {
	Doc  string `json:"doc"`
	Kind string `json:"kind"`
	// What is "missed" or "spurious".
	What   string `json:"what"`
	Text   string `json:"text"`
	Listed string `json:"listed,omitempty"`
}

// EvalReport is the outcome of an evaluation, for one split.
type EvalReport struct {
	Split  string            `json:"split"`
	Docs   int               `json:"docs"`
	ByKind map[string]Counts `json:"by_kind"`
	// ByLang counts party mentions by language.
	ByLang map[string]Counts `json:"by_lang"`
	// CleanDocs and CleanPartyMentions count the clean documents and the
	// party mentions found in them (the target is none).
	CleanDocs          int         `json:"clean_docs"`
	CleanPartyMentions int         `json:"clean_party_mentions"`
	Errors             []EvalError `json:"errors"`
}

// Evaluate scans every document of split and compares the mentions found
// with the labels.
func Evaluate(ctx context.Context, s *Scanner, docs []EvalDoc, split string) (*EvalReport, error) {
	r := &EvalReport{Split: split, ByKind: map[string]Counts{}, ByLang: map[string]Counts{}, Errors: []EvalError{}}
	for _, d := range docs {
		if d.Split != split {
			continue
		}
		r.Docs++
		res, err := s.Scan(ctx, d.ID, d.Text)
		if err != nil {
			return nil, fmt.Errorf("scan %s: %w", d.ID, err)
		}
		if d.Genre == "clean" {
			r.CleanDocs++
		}
		type span struct {
			kind, listed string
			a, b         int
			text         string
		}
		var want []span
		for _, m := range d.Mentions {
			for off := 0; ; {
				i := strings.Index(d.Text[off:], m.Text)
				if i < 0 {
					break
				}
				a, b := off+i, off+i+len(m.Text)
				off = b
				if !wordBoundary(d.Text, a, b) {
					continue // "Iran" in "Iranian": not this mention
				}
				want = append(want, span{m.Kind, m.Listed, a, b, m.Text})
			}
		}
		// An occurrence inside a longer expected mention ("Guzman Loera" in
		// "Joaquin Guzman Loera") is that mention.
		inner := want[:0:0]
		for i, w := range want {
			in := false
			for j, o := range want {
				if i != j && o.a <= w.a && w.b <= o.b && o.b-o.a > w.b-w.a {
					in = true
				}
			}
			if !in {
				inner = append(inner, w)
			}
		}
		want = inner
		used := make([]bool, len(res.Mentions))
		add := func(kind string, f func(*Counts)) {
			c := r.ByKind[kind]
			f(&c)
			r.ByKind[kind] = c
			if kind == KindParty {
				c := r.ByLang[d.Lang]
				f(&c)
				r.ByLang[d.Lang] = c
			}
		}
		for _, w := range want {
			found := false
			for i, m := range res.Mentions {
				if used[i] || m.Kind != w.kind || m.Start >= w.b || w.a >= m.End || !listedMatches(w.kind, w.listed, &m) {
					continue
				}
				used[i], found = true, true
				break
			}
			if found {
				add(w.kind, func(c *Counts) { c.TP++ })
			} else {
				add(w.kind, func(c *Counts) { c.FN++ })
				r.Errors = append(r.Errors, EvalError{Doc: d.ID, Kind: w.kind, What: "missed", Text: w.text, Listed: w.listed})
			}
		}
		for i, m := range res.Mentions {
			if used[i] {
				continue
			}
			add(m.Kind, func(c *Counts) { c.FP++ })
			r.Errors = append(r.Errors, EvalError{Doc: d.ID, Kind: m.Kind, What: "spurious", Text: m.Text, Listed: m.EntityID + " " + m.Name})
			if d.Genre == "clean" && m.Kind == KindParty {
				r.CleanPartyMentions++
			}
		}
	}
	return r, nil
}

func listedMatches(kind, listed string, m *Mention) bool {
	if listed == "" {
		return true
	}
	if kind != KindParty {
		return m.EntityID == listed
	}
	// Folded and romanized, so that "deripaska" is in "Oleg Děripaska"
	// and in "Олег Дерипаска".
	wants := evalKeys(listed)
	for _, n := range []string{m.Name, m.Matched} {
		for _, k := range evalKeys(n) {
			for _, w := range wants {
				if strings.Contains(k, w) {
					return true
				}
			}
		}
	}
	// A name in Arabic or Persian script is written without its short
	// vowels (تحرير, thryr: "tahrir"): each word of listed must then have
	// the consonant skeleton of a word of the matched name.
	if interdict.Script(m.Matched) == "Arab" {
		return skeletonWords(listed, m.Matched)
	}
	return false
}

// skeletonWords reports whether every word of listed (Latin) has the
// consonant skeleton of a word of name (as normalize parses it), h left
// out: ح and ه are both h, and تح is read t-h, not th.
func skeletonWords(listed, name string) bool {
	have := map[string]bool{}
	for _, v := range normalize.Parse(name, normalize.AnyParty) {
		for _, t := range v.Tokens {
			have[strings.ReplaceAll(t.Key, "h", "")] = true
		}
	}
	for _, v := range normalize.Parse(listed, normalize.AnyParty) {
		all := len(v.Tokens) > 0
		for _, t := range v.Tokens {
			all = all && have[strings.ReplaceAll(t.Key, "h", "")]
		}
		if all {
			return true
		}
	}
	return false
}

// evalKeys returns s folded, and each romanization of s, without spaces.
func evalKeys(s string) []string {
	if s == "" {
		return nil
	}
	out := []string{strings.ReplaceAll(normalize.Fold(s), " ", "")}
	for _, r := range normalize.Romanize(s) {
		out = append(out, strings.ReplaceAll(r, " ", ""))
	}
	return out
}

// Print writes the report as a table.
func (r *EvalReport) Print(w io.Writer) {
	fmt.Fprintf(w, "split %s: %d documents (%d clean)\n", r.Split, r.Docs, r.CleanDocs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tkind\tTP\tFP\tFN\tprecision\trecall\t")
	for _, k := range []string{KindParty, KindPlace, KindGoods} {
		c := r.ByKind[k]
		fmt.Fprintf(tw, "\t%s\t%d\t%d\t%d\t%.3f\t%.3f\t\n", k, c.TP, c.FP, c.FN, c.Precision(), c.Recall())
	}
	var langs []string
	for l := range r.ByLang {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	fmt.Fprintln(tw, "\tparty, by language\t\t\t\t\t\t")
	for _, l := range langs {
		c := r.ByLang[l]
		fmt.Fprintf(tw, "\t%s\t%d\t%d\t%d\t%.3f\t%.3f\t\n", l, c.TP, c.FP, c.FN, c.Precision(), c.Recall())
	}
	tw.Flush()
	fmt.Fprintf(w, "party mentions in clean documents: %d\n", r.CleanPartyMentions)
}

// wordBoundary reports whether text[a:b] is not glued to a letter on
// either side (Han text, written without spaces, always is at a boundary).
func wordBoundary(text string, a, b int) bool {
	if r, _ := utf8.DecodeRuneInString(text[a:]); isHanLike(r) {
		return true
	}
	if r, _ := utf8.DecodeLastRuneInString(text[:a]); a > 0 && unicode.IsLetter(r) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(text[b:]); b < len(text) && unicode.IsLetter(r) {
		return false
	}
	return true
}
