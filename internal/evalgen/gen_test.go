package evalgen_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/interdict/interdict/eval"
	"github.com/interdict/interdict/internal/evalgen"
)

var (
	update        = flag.Bool("update", false, "regenerate eval/data/cases.jsonl.gz from ../shared/data/lists")
	onlyNegatives = flag.Bool("only-negatives", false, "with -update, regenerate only the negatives and keep the file's other cases as they are")
	sealed        = flag.Bool("sealed", false, "regenerate eval/data/sealed.jsonl.gz (the sealed split) from ../shared/data/lists")
)

const (
	casesFile  = "../../eval/data/cases.jsonl.gz"
	sealedFile = "../../eval/data/sealed.jsonl.gz"
)

// TestGenerateSealed regenerates the sealed split with -sealed, apart from
// the dev and test cases it must not repeat.
func TestGenerateSealed(t *testing.T) {
	if !*sealed {
		t.Skip("run with -sealed to regenerate the sealed split")
	}
	ents, _, err := evalgen.LoadLists("../../../shared/data/lists")
	if err != nil {
		t.Skip("lists not available:", err)
	}
	existing, err := eval.Cases("")
	if err != nil {
		t.Fatal(err)
	}
	cases, err := evalgen.GenerateSealed(ents, "../../../shared/data/lists/matching", existing)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := eval.WriteCases(&buf, cases); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sealedFile, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, c := range cases {
		kinds[c.Variation]++
	}
	t.Logf("%d sealed cases: %v", len(cases), kinds)
}

// TestGenerate regenerates the evaluation sets with -update (only their
// negatives with -update -only-negatives). It needs the bundled lists in
// ../shared/data/lists and skips without them.
func TestGenerate(t *testing.T) {
	if !*update {
		t.Skip("run with -update to regenerate the evaluation sets")
	}
	ents, _, err := evalgen.LoadLists("../../../shared/data/lists")
	if err != nil {
		t.Skip("lists not available:", err)
	}
	cases, err := evalgen.Generate(ents, "../../../shared/data/lists/matching")
	if err != nil {
		t.Fatal(err)
	}
	if *onlyNegatives {
		f, err := os.Open(casesFile)
		if err != nil {
			t.Fatal(err)
		}
		old, err := eval.ReadCases(f, "")
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		cases = replaceNegatives(old, cases)
	}
	var buf bytes.Buffer
	if err := eval.WriteCases(&buf, cases); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(casesFile, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d cases", len(cases))
	neg := map[string]int{}
	for _, c := range cases {
		if c.Variation == "negative" {
			neg[c.Script+" "+c.Split]++
		}
	}
	t.Logf("negatives by script and split: %v", neg)
}

// replaceNegatives keeps the cases of old that are no negatives, in their
// order and with their IDs, and appends the negatives of gen, numbered on
// from the kept cases.
func replaceNegatives(old, gen []eval.Case) []eval.Case {
	var out []eval.Case
	for _, c := range old {
		if c.Variation != "negative" {
			out = append(out, c)
		}
	}
	for _, c := range gen {
		if c.Variation == "negative" {
			c.ID = fmt.Sprintf("negative-%05d", len(out)+1)
			out = append(out, c)
		}
	}
	return out
}
