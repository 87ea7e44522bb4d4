// Package eval runs interdict's labelled evaluation sets and reports recall
// (top-1 and at the alert threshold), false-alert rate and F1, by variation
// kind and by script. Two sets are embedded: the generated set, made from
// the bundled lists by internal/evalgen, and the independent customer set
// (Customers): ordinary people of many locales and scripts with birth
// dates, from a multi-locale fake-name generator, none of them listed.
//
// Each set has three splits: dev (for tuning), test (read at the end of a
// change) and sealed (run once per round for the closing figures, never
// used to choose; see data/README.md). The generated set's dev and test
// splits are kept apart by a hash of the entity or name a case comes from;
// its sealed split is drawn with other seeds from the test side only.
//
// Run screens a search case against a screener built over all bundled lists
// and compares a pair case with Compare; it does no I/O of its own.
package eval

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"sort"

	"github.com/interdict/interdict"
)

//go:embed data/cases.jsonl.gz
var casesGz []byte

//go:embed data/sealed.jsonl.gz
var sealedGz []byte

// Splits of the evaluation sets. Dev is for tuning; test is read at the end
// of a change; sealed is run once per round, in the closing figures, and is
// never used to choose anything (see data/README.md).
const (
	SplitDev    = "dev"
	SplitTest   = "test"
	SplitSealed = "sealed"
)

// Case types.
const (
	TypeSearch = "search" // screen Query against all lists; Expect lists acceptable top-1 entities, empty for a non-listed name
	TypePair   = "pair"   // compare Query with Other; Match says whether they are the same party
)

// Case is one labelled evaluation case.
type Case struct {
	ID    string `json:"id"`
	Split string `json:"split"` // "dev", "test" or "sealed"
	Type  string `json:"type"`
	// Variation is what makes the query differ from the listed name: alias,
	// original-script, typo, reorder, drop, translit, legal-form, comma,
	// negative, cross-script, pair-variant, pair-different.
	Variation string `json:"variation"`
	// Script is the ISO 15924 code of the query's script.
	Script string          `json:"script"`
	Query  interdict.Query `json:"query"`
	// Expect holds the entity IDs counted as a correct top-1 hit (the
	// source entity and any entity with the same name on another list).
	Expect []string         `json:"expect,omitempty"`
	Other  *interdict.Query `json:"other,omitempty"`
	Match  bool             `json:"match,omitempty"`
}

// Cases returns the embedded generated cases of one split ("dev", "test" or
// "sealed"; "" for dev and test, never the sealed split).
func Cases(split string) ([]Case, error) {
	if split == SplitSealed {
		return ReadCases(bytes.NewReader(sealedGz), split)
	}
	return ReadCases(bytes.NewReader(casesGz), split)
}

// ReadCases reads gzipped JSON-lines cases.
func ReadCases(r io.Reader, split string) ([]Case, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("read cases: %w", err)
	}
	var out []Case
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var c Case
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("read cases: %w", err)
		}
		if split == "" || c.Split == split {
			out = append(out, c)
		}
	}
	return out, sc.Err()
}

// WriteCases writes cases as gzipped JSON lines.
func WriteCases(w io.Writer, cases []Case) error {
	zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	for i := range cases {
		if err := enc.Encode(&cases[i]); err != nil {
			return err
		}
	}
	return zw.Close()
}

// Engine is what Run evaluates: a screener and a pairwise comparison.
type Engine struct {
	Screen  func(ctx context.Context, q interdict.Query) (*interdict.ScreenResult, error)
	Compare func(a, b interdict.Query) (score float64, alert bool)
	// Threshold is the alert threshold: a positive counts as recalled at the
	// threshold when its entity scores at least this.
	Threshold float64
}

// Counts are the tallies of one group of cases.
type Counts struct {
	Cases int `json:"cases"`
	// Search positives.
	Positives  int `json:"positives"`
	Top1       int `json:"top1"`         // expected entity ranked first
	AtThresh   int `json:"at_threshold"` // expected entity among the hits at or above the threshold
	Negatives  int `json:"negatives"`
	FalseAlert int `json:"false_alerts"` // non-listed name that alerted
	// Pairs.
	TP int `json:"tp"`
	FP int `json:"fp"`
	FN int `json:"fn"`
	TN int `json:"tn"`
}

// Top1Recall is Top1/Positives (1 when there are none).
func (c Counts) Top1Recall() float64 { return ratio(c.Top1, c.Positives) }

// Recall is AtThresh/Positives.
func (c Counts) Recall() float64 { return ratio(c.AtThresh, c.Positives) }

// FalseAlertRate is FalseAlert/Negatives (0 when there are none).
func (c Counts) FalseAlertRate() float64 {
	if c.Negatives == 0 {
		return 0
	}
	return float64(c.FalseAlert) / float64(c.Negatives)
}

// F1 of the pair cases (1 when there are none).
func (c Counts) F1() float64 {
	if c.TP+c.FP+c.FN == 0 {
		return 1
	}
	return 2 * float64(c.TP) / float64(2*c.TP+c.FP+c.FN)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func (c *Counts) add(o Counts) {
	c.Cases += o.Cases
	c.Positives += o.Positives
	c.Top1 += o.Top1
	c.AtThresh += o.AtThresh
	c.Negatives += o.Negatives
	c.FalseAlert += o.FalseAlert
	c.TP += o.TP
	c.FP += o.FP
	c.FN += o.FN
	c.TN += o.TN
}

// Failure is one case the engine got wrong, for inspection.
type Failure struct {
	Case  Case    `json:"case"`
	Got   string  `json:"got"` // top entity or "alert"/"no alert"
	Score float64 `json:"score"`
}

// Report holds the figures of one run.
type Report struct {
	All         Counts            `json:"all"`
	ByVariation map[string]Counts `json:"by_variation"`
	ByScript    map[string]Counts `json:"by_script"`
	// Pairs and CrossScript group the pair cases: same-script pairs and
	// pairs whose two names are in different scripts.
	Pairs       Counts    `json:"pairs"`
	CrossScript Counts    `json:"cross_script"`
	Failures    []Failure `json:"failures,omitempty"`
}

// Run evaluates cases with an engine. It stops early when ctx is done.
func Run(ctx context.Context, eng Engine, cases []Case) (*Report, error) {
	r := &Report{ByVariation: map[string]Counts{}, ByScript: map[string]Counts{}}
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var k Counts
		k.Cases = 1
		switch c.Type {
		case TypeSearch:
			res, err := eng.Screen(ctx, c.Query)
			if err != nil {
				return nil, fmt.Errorf("case %s: %w", c.ID, err)
			}
			if len(c.Expect) == 0 {
				k.Negatives = 1
				if res.Alert {
					k.FalseAlert = 1
					r.Failures = append(r.Failures, Failure{c, res.Hits[0].EntityID + " " + res.Hits[0].MatchedName, res.Hits[0].Score})
				}
				break
			}
			k.Positives = 1
			exp := map[string]bool{}
			for _, id := range c.Expect {
				exp[id] = true
			}
			// A hit on another list's record of an expected party (linked
			// into one party by the screener: Hit.Party) is that party.
			for _, h := range res.Hits {
				if exp[h.EntityID] && h.Party != "" {
					exp["party "+h.Party] = true
				}
			}
			for _, h := range res.Hits {
				if h.Party != "" && exp["party "+h.Party] {
					exp[h.EntityID] = true
				}
			}
			if len(res.Hits) > 0 {
				// Top-1: an expected entity is ranked first, or ties the first.
				top := res.Hits[0].Score
				for _, h := range res.Hits {
					if h.Score < top {
						break
					}
					if exp[h.EntityID] {
						k.Top1 = 1
						break
					}
				}
				for _, h := range res.Hits {
					if exp[h.EntityID] && h.Score >= eng.Threshold {
						k.AtThresh = 1
						break
					}
				}
			}
			if k.Top1 == 0 {
				got := "none"
				score := 0.0
				if len(res.Hits) > 0 {
					got, score = res.Hits[0].EntityID+" "+res.Hits[0].MatchedName, res.Hits[0].Score
				}
				r.Failures = append(r.Failures, Failure{c, got, score})
			}
		case TypePair:
			if c.Other == nil {
				return nil, fmt.Errorf("case %s: pair without other", c.ID)
			}
			score, alert := eng.Compare(c.Query, *c.Other)
			switch {
			case alert && c.Match:
				k.TP = 1
			case alert && !c.Match:
				k.FP = 1
			case !alert && c.Match:
				k.FN = 1
			default:
				k.TN = 1
			}
			if alert != c.Match {
				r.Failures = append(r.Failures, Failure{c, fmt.Sprint(alert), score})
			}
			if c.Script != "Latn" || interdict.Script(c.Other.Name) != "Latn" {
				if c.Script != interdict.Script(c.Other.Name) {
					r.CrossScript.add(k)
				} else {
					r.Pairs.add(k)
				}
			} else {
				r.Pairs.add(k)
			}
		default:
			return nil, fmt.Errorf("case %s: unknown type %q", c.ID, c.Type)
		}
		r.All.add(k)
		v := r.ByVariation[c.Variation]
		v.add(k)
		r.ByVariation[c.Variation] = v
		s := r.ByScript[c.Script]
		s.add(k)
		r.ByScript[c.Script] = s
	}
	return r, nil
}

// Print writes the report as a table.
func (r *Report) Print(w io.Writer, title string) {
	fmt.Fprintf(w, "%s\n", title)
	line := func(name string, c Counts) {
		fmt.Fprintf(w, "  %-22s cases %6d", name, c.Cases)
		if c.Positives > 0 {
			fmt.Fprintf(w, "  top1 %6.2f%%  recall@t %6.2f%%", 100*c.Top1Recall(), 100*c.Recall())
		}
		if c.Negatives > 0 {
			fmt.Fprintf(w, "  false-alert %5.2f%% (%d/%d)", 100*c.FalseAlertRate(), c.FalseAlert, c.Negatives)
		}
		if c.TP+c.FP+c.FN+c.TN > 0 {
			fmt.Fprintf(w, "  F1 %.3f (tp %d fp %d fn %d tn %d)", c.F1(), c.TP, c.FP, c.FN, c.TN)
		}
		fmt.Fprintln(w)
	}
	line("all", r.All)
	line("pairs (same script)", r.Pairs)
	line("pairs (cross-script)", r.CrossScript)
	fmt.Fprintln(w, " by variation:")
	for _, k := range sortedKeys(r.ByVariation) {
		line(k, r.ByVariation[k])
	}
	fmt.Fprintln(w, " by script:")
	for _, k := range sortedKeys(r.ByScript) {
		line(k, r.ByScript[k])
	}
}

func sortedKeys(m map[string]Counts) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// HeldOut reports whether a transliteration-pair token (the script side of
// a Wikidata pair, as written in the file with its spaces removed) belongs
// to the held-out fifth of the pair files that have no split of their own
// (wd_arabic, wd_hebrew, wd_chinese: each a random 80% of the published
// file). Held-out pairs are used only to evaluate (normalize's check test,
// the negatives and cross-script cases of these sets); the rest train
// normalize's learned spellings (normalize/internal/gentables). The Google
// ar2en files and wd_russian_64/_16 come with their own train and
// evaluation splits.
func HeldOut(token string) bool {
	h := fnv.New32a()
	h.Write([]byte(token))
	return h.Sum32()%5 == 0
}
