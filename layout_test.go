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

// Package roles. Every package of the module has one; a package that is
// not listed here fails TestLayout until it is placed (here and in
// docs/architecture.md).
const (
	roleRoot     = "root"     // package interdict: the domain and the contracts
	roleLogic    = "logic"    // pure logic over plain values
	roleFormat   = "format"   // list formats and their shared plumbing (source)
	roleInput    = "input"    // customer input files (batch)
	rolePipeline = "pipeline" // ingest: fetch, verify, import
	roleData     = "data"     // bundled data and the evaluation sets
	roleAdapter  = "adapter"  // storage, messaging and transport adapters
	roleSQL      = "sql"      // the database/sql stores the SQL adapters share (sqlstore)
	roleInternal = "internal" // wiring, generators and test suites
	roleMock     = "mock"     // test doubles, imported by tests only
	roleCmd      = "cmd"      // main packages
)

// roles places every package, present or planned (graph, postgres, nats,
// mock), by its path relative to the module.
var roles = map[string]string{
	".": roleRoot,

	"normalize": roleLogic, "match": roleLogic, "classify": roleLogic, "screen": roleLogic,
	"country": roleLogic, "graph": roleLogic, "review": roleLogic, "link": roleLogic, "scan": roleLogic,
	"media": roleLogic,

	"source": roleFormat, "source/ofac": roleFormat, "source/un": roleFormat, "source/eu": roleFormat,
	"source/uk": roleFormat, "source/csl": roleFormat, "source/dpl": roleFormat, "source/canada": roleFormat,
	"source/dfat": roleFormat, "source/ftm": roleFormat, "source/ccl": roleFormat, "source/euannex": roleFormat,
	"source/pakote": roleFormat, "source/ukflat": roleFormat,
	"source/custom": roleFormat,

	"batch": roleInput, "message": roleInput, "document": roleInput,

	"ingest": rolePipeline,

	"snapshot": roleData, "eval": roleData,

	"sqlite": roleAdapter, "postgres": roleAdapter, "nats": roleAdapter, "natsbus": roleAdapter, "inmem": roleAdapter,
	"http": roleAdapter, "http/html": roleAdapter, "http/openapitest": roleAdapter,

	"sqlstore": roleSQL,

	"internal/cli": roleInternal, "internal/evalgen": roleInternal, "internal/sourcetest": roleInternal,
	"internal/storetest": roleInternal, "internal/clustertest": roleInternal, "normalize/internal/gentables": roleInternal, "normalize/internal/gengenders": roleInternal,
	"country/internal/gennames": roleInternal,

	"mock": roleMock,

	"cmd/interdict": roleCmd,
}

// The import rules of docs/architecture.md:
//   - the root package imports only the standard library;
//   - a list-format package (source/X) imports no other list-format package;
//   - logic, list-format, input, pipeline and data packages import no
//     adapter and nothing internal (they take the root's contracts as
//     interfaces); logic packages import no pipeline either;
//   - adapters never import each other (a package and its subpackages are
//     one adapter);
//   - sqlstore imports only the root package, and only adapters (and
//     internal packages) import it;
//   - no public package imports internal/ (internal/cli may import anything);
//   - no non-test package imports mock;
//   - cmd/interdict imports only internal/cli from the project.
func TestLayout(t *testing.T) {
	for _, p := range listPackages(t) {
		me := rel(p.ImportPath)
		role, ok := roles[me]
		if !ok {
			t.Errorf("package %s has no place in the layout: give it a role in layout_test.go and docs/architecture.md", me)
			continue
		}
		top, _, _ := strings.Cut(me, "/")
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module) {
				if role == roleRoot && strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
					t.Errorf("%s imports %s: the root package may import only the standard library", me, imp)
				}
				continue
			}
			dep := rel(imp)
			depRole := roles[dep]
			depTop, _, _ := strings.Cut(dep, "/")
			pure := role == roleLogic || role == roleFormat || role == roleInput || role == rolePipeline || role == roleData
			switch {
			case role == roleRoot:
				t.Errorf("root package imports %s", dep)
			case role == roleFormat && me != "source" && depRole == roleFormat && dep != "source":
				t.Errorf("%s imports %s: list-format packages must not import each other", me, dep)
			case pure && (depRole == roleAdapter || depRole == roleInternal || strings.HasPrefix(dep, "internal/")):
				t.Errorf("%s imports %s: %s packages must not import adapters or internal packages", me, dep, role)
			case role == roleLogic && depRole == rolePipeline:
				t.Errorf("%s imports %s: logic packages must not import the ingest pipeline", me, dep)
			case role == roleSQL && dep != ".":
				t.Errorf("%s imports %s: the shared SQL stores import only the root package (the adapters bring the drivers)", me, dep)
			case depRole == roleSQL && role != roleAdapter && role != roleInternal:
				t.Errorf("%s imports %s: only adapters use the shared SQL stores", me, dep)
			case role == roleAdapter && depRole == roleAdapter && top != depTop:
				t.Errorf("%s imports %s: adapters must not import each other", me, dep)
			case role != roleInternal && role != roleCmd && strings.HasPrefix(dep, "internal/"):
				t.Errorf("%s imports %s: public packages must not depend on internal packages", me, dep)
			case depRole == roleMock:
				t.Errorf("%s imports %s: only tests may import mock", me, dep)
			case role == roleCmd && dep != "internal/cli":
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
