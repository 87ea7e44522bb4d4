package evalgen_test

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/interdict/interdict/eval"
	"github.com/interdict/interdict/internal/evalgen"
)

var update = flag.Bool("update", false, "regenerate eval/data/cases.jsonl.gz from ../shared/data/lists")

// TestGenerate regenerates the evaluation sets with -update. It needs the
// bundled lists in ../shared/data/lists and skips without them.
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
	var buf bytes.Buffer
	if err := eval.WriteCases(&buf, cases); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("../../eval/data/cases.jsonl.gz", buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d cases", len(cases))
}
