package batch_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/interdict/interdict/batch"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestWriter_Golden fixes the output layout the CLI and the web UI show:
// CSV and JSON lines for a small input with an alert, warnings, an error
// row and a damaged record. go test ./batch -update rewrites the files.
func TestWriter_Golden(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "small.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"csv", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			rd, err := batch.Open(bytes.NewReader(in), "small.csv", batch.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			wr, err := batch.NewWriter(&out, format, rd.Header())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := batch.Run(context.Background(), rd, fakeScreener{}, wr, batch.RunOptions{Check: checkOpts}); err != nil {
				t.Fatal(err)
			}
			if err := wr.Close(); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "small."+format+".golden")
			if *update {
				if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./batch -update)", err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("%s output differs from %s:\n%s", format, golden, out.Bytes())
			}
		})
	}
}
