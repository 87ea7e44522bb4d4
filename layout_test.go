package interdict_test

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/interdict/interdict"

type pkgInfo struct {
	ImportPath string
	Imports    []string
	Doc        string
	Standard   bool
	Name       string
}

// listPackages runs `go list -json ./...` and returns the project's packages.
func listPackages(t *testing.T) []pkgInfo {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkgInfo
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p pkgInfo
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func rel(path string) string {
	if path == module {
		return "."
	}
	return strings.TrimPrefix(path, module+"/")
}

// The import rules of docs/architecture.md:
//   - the root package imports only the standard library;
//   - a list-format package (source/X) imports no other list-format package
//     and no adapter;
//   - logic packages (normalize, match, classify, graph, screen, country) do
//     no I/O through adapters: they import no adapter and nothing internal;
//   - batch (reading, screening and writing files) imports no adapter and
//     nothing internal either: the CLI and HTTP wire it to a Screener;
//   - adapters (sqlite, postgres, nats, inmem, http) never import each other;
//   - no public package imports internal/ (internal/cli may import anything);
//   - no non-test package imports mock;
//   - cmd/interdict imports only internal/cli from the project.
func TestLayout(t *testing.T) {
	adapters := map[string]bool{"sqlite": true, "postgres": true, "nats": true, "inmem": true, "http": true}
	logic := map[string]bool{"normalize": true, "match": true, "classify": true, "graph": true, "screen": true, "country": true}
	for _, p := range listPackages(t) {
		me := rel(p.ImportPath)
		top, _, _ := strings.Cut(me, "/")
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module) {
				if me == "." && strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
					t.Errorf("%s imports %s: the root package may import only the standard library", me, imp)
				}
				continue
			}
			dep := rel(imp)
			depTop, _, _ := strings.Cut(dep, "/")
			switch {
			case me == ".":
				t.Errorf("root package imports %s", dep)
			case strings.HasPrefix(me, "source/") && strings.HasPrefix(dep, "source/"):
				t.Errorf("%s imports %s: list-format packages must not import each other", me, dep)
			case (strings.HasPrefix(me, "source") || logic[top] || top == "batch") && (adapters[depTop] || strings.HasPrefix(dep, "internal/")):
				t.Errorf("%s imports %s: logic and list-format packages must not import adapters or internal packages", me, dep)
			case adapters[top] && adapters[depTop] && top != depTop:
				t.Errorf("%s imports %s: adapters must not import each other", me, dep)
			case !strings.HasPrefix(me, "internal/") && !strings.HasPrefix(me, "cmd/") && strings.HasPrefix(dep, "internal/"):
				t.Errorf("%s imports %s: public packages must not depend on internal packages", me, dep)
			case depTop == "mock":
				t.Errorf("%s imports %s: only tests may import mock", me, dep)
			case me == "cmd/interdict" && dep != "internal/cli":
				t.Errorf("cmd/interdict imports %s: main must stay thin and import only internal/cli", dep)
			}
		}
	}
}

// TestPackageDocs checks that every package has a package comment.
func TestPackageDocs(t *testing.T) {
	for _, p := range listPackages(t) {
		if strings.TrimSpace(p.Doc) == "" {
			t.Errorf("package %s has no package comment", rel(p.ImportPath))
		}
	}
}
