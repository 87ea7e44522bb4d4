// Package sourcetest holds the test helpers shared by the list-format
// packages: golden files rewritten with -update, and the real official
// lists that sit in ../shared beside the checkout in CI. It is imported by
// tests only.
package sourcetest

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/interdict/interdict/source"
)

// Update rewrites golden files instead of comparing with them:
// go test ./source/ofac -update.
var Update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Golden compares the indented JSON of v with the golden file at path, or
// rewrites the file when -update is given.
func Golden(tb testing.TB, path string, v any) {
	tb.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	got = append(got, '\n')
	if *Update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (rerun with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		tb.Errorf("%s differs (-want +got; rerun with -update if intended):\n%s", path, diff)
	}
}

// SharedList returns the path of a file of the shared list data
// (shared/data/lists/rel beside the repository), or skips the test when it
// is not there.
func SharedList(tb testing.TB, rel string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("sourcetest: no go.mod above the test's directory")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "data", "lists", rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("real list %s not found (it sits in ../shared beside the checkout in CI): %v", rel, err)
	}
	return p
}

// ParseShared reads a file of the shared list data (skipping the test when
// it is absent), checks that ft detects it as list, and parses it.
func ParseShared(tb testing.TB, ft source.Format, list, rel string) *source.Result {
	tb.Helper()
	p := SharedList(tb, rel)
	data, err := os.ReadFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	files, err := source.Expand(p, data)
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range files {
		if got, ok := ft.Detect(strings.ToLower(f.Name), head(f.Data)); !ok || got != list {
			tb.Fatalf("%s: Detect = %q, %v; want %s, true", f.Name, got, ok, list)
		}
	}
	r, err := source.Parse(ft, list, files)
	if err != nil {
		tb.Fatalf("parse %s: %v", rel, err)
	}
	return r
}

func head(b []byte) []byte {
	if len(b) > 4096 {
		return b[:4096]
	}
	return b
}
