package eval_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/eval"
	"github.com/interdict/interdict/internal/evalgen"
	"github.com/interdict/interdict/match"
	"github.com/interdict/interdict/screen"
)

var (
	failures = flag.Int("failures", 0, "print this many failed cases per split")
	naive    = flag.Bool("naive", false, "also run the naive baseline (slow)")
)

var (
	loadOnce sync.Once
	entities []interdict.Entity
	loadErr  error
)

// mustLists loads every bundled list from ../shared/data/lists; it skips the
// test when they are not there.
func mustLists(tb testing.TB) []interdict.Entity {
	tb.Helper()
	loadOnce.Do(func() { entities, _, loadErr = evalgen.LoadLists("../../shared/data/lists") })
	if loadErr != nil {
		tb.Skip("bundled lists not available in ../shared/data/lists:", loadErr)
	}
	return entities
}

func engine(tb testing.TB, ents []interdict.Entity) eval.Engine {
	tb.Helper()
	p := screen.DefaultPolicy()
	s, err := screen.NewScreener(match.NewIndex(ents), p, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return eval.Engine{
		Screen: s.Screen,
		Compare: func(a, b interdict.Query) (float64, bool) {
			c := screen.Compare(p, a, b)
			return c.Score, c.Alert
		},
		Threshold: p.Threshold,
	}
}

// TestEval runs the evaluation sets and fails when the test split falls
// below the acceptance figures of issue 3.
func TestEval(t *testing.T) {
	ents := mustLists(t)
	eng := engine(t, ents)
	for _, split := range []string{"dev", "test"} {
		cases, err := eval.Cases(split)
		if err != nil {
			t.Fatal(err)
		}
		r, err := eval.Run(context.Background(), eng, cases)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		r.Print(&b, "interdict, "+split+" split")
		t.Log("\n" + b.String())
		for i, f := range r.Failures {
			if i >= *failures {
				break
			}
			fmt.Fprintf(os.Stderr, "%s %s %s %q other=%v expect=%v got=%s %.3f\n", split, f.Case.ID, f.Case.Variation, f.Case.Query.Name, f.Case.Other, f.Case.Expect, f.Got, f.Score)
		}
		if *naive {
			sample := sampleCases(cases, 400)
			nr, err := eval.Run(context.Background(), eval.Naive(ents, 0.90), sample)
			if err != nil {
				t.Fatal(err)
			}
			b.Reset()
			nr.Print(&b, "naive baseline (romanize + whole-name Jaro-Winkler >= 0.90), "+split+" split, sample")
			t.Log("\n" + b.String())
		}
		if split != "test" {
			continue
		}
		// The floors are issue 3's acceptance figures, all met on the
		// test split: a change that falls below one fails the build.
		check := func(what string, got, floor float64, atLeast bool) {
			if atLeast && got < floor || !atLeast && got > floor {
				t.Errorf("%s = %.4f, beyond the acceptance figure %.4f", what, got, floor)
			}
		}
		var pos eval.Counts
		for _, c := range r.ByVariation {
			pos.Positives += c.Positives
			pos.Top1 += c.Top1
		}
		check("top-1 recall, alias and variant queries", pos.Top1Recall(), 0.99, true)
		// 4,000 negatives per script: 0.1% is 4 false alerts.
		for _, s := range sortedScripts(r) {
			if c := r.ByScript[s]; c.Negatives > 0 {
				check("false-alert rate, non-listed names, script "+s, c.FalseAlertRate(), 0.001, false)
			}
		}
		check("F1, pairwise", r.Pairs.F1(), 0.95, true)
		check("F1, cross-script", r.CrossScript.F1(), 0.90, true)
	}
}

// TestNegatives checks that each split holds at least 4,000 negatives of
// every script the false-alert target names, all different names, so that a
// rate of 0.1% is measured on 4 alerts or more.
func TestNegatives(t *testing.T) {
	for _, split := range []string{"dev", "test"} {
		cases, err := eval.Cases(split)
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		seen := map[string]string{}
		for _, c := range cases {
			if c.Variation != "negative" {
				continue
			}
			n[c.Script]++
			if id, ok := seen[c.Query.Name]; ok {
				t.Errorf("%s: negatives %s and %s are both %q", split, id, c.ID, c.Query.Name)
			}
			seen[c.Query.Name] = c.ID
		}
		for _, s := range []string{"Latn", "Arab", "Arab-fa", "Cyrl", "Hebr", "Hani"} {
			if n[s] < 4000 {
				t.Errorf("%s: %d negatives in script %s, want 4000 or more", split, n[s], s)
			}
		}
	}
}

func sortedScripts(r *eval.Report) []string {
	var out []string
	for s := range r.ByScript {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// sampleCases keeps every n-th search case and all pair cases, up to n of each.
func sampleCases(cases []eval.Case, n int) []eval.Case {
	var out []eval.Case
	var s, p int
	step := len(cases)/n + 1
	for i, c := range cases {
		if i%step != 0 {
			continue
		}
		if c.Type == eval.TypeSearch && s < n {
			out = append(out, c)
			s++
		} else if c.Type == eval.TypePair && p < n {
			out = append(out, c)
			p++
		}
	}
	return out
}

// TestEvalCustomers screens the test split of the independent customer set
// and fails when a script family's false-alert rate rises above 1%, or the
// F1 of names against their own Latin forms falls below 0.85: guards
// against regression at the level reached, short of the 0.1% a bank needs
// (see eval/data/README.md).
func TestEvalCustomers(t *testing.T) {
	if testing.Short() {
		t.Skip("the customer set takes a minute")
	}
	ents := mustLists(t)
	eng := engine(t, ents)
	cs, err := eval.Customers("test")
	if err != nil {
		t.Fatal(err)
	}
	r, err := eval.Run(context.Background(), eng, eval.CustomerCases(cs))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	r.Print(&b, "interdict, customers, test split")
	t.Log("\n" + b.String())
	for _, s := range sortedScripts(r) {
		if c := r.ByScript[s]; c.Negatives > 0 && c.FalseAlertRate() > 0.01 {
			t.Errorf("false-alert rate, customers, %s = %.4f, above 0.01", s, c.FalseAlertRate())
		}
	}
	if f := r.ByVariation["translit"].F1(); f < 0.85 {
		t.Errorf("F1, customers against their Latin forms = %.4f, below 0.85", f)
	}
}
