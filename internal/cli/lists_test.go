package cli_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/cli"
)

// run runs the CLI with args against home, without the bundled snapshot,
// and returns its exit code, stdout and stderr.
func run(t *testing.T, home string, client *http.Client, args ...string) (int, string, string) {
	t.Helper()
	return runSnapshot(t, home, client, append([]string{"--no-snapshot"}, args...)...)
}

// runSnapshot is run with the bundled snapshot imported on first use.
func runSnapshot(t *testing.T, home string, client *http.Client, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	app := &cli.App{
		Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		Getenv:     func(string) string { return "" },
		Now:        func() time.Time { return time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) },
		HTTPClient: client,
		Indexes:    testIndexes,
	}
	code := app.Run(context.Background(), append([]string{"--home", home}, args...))
	return code, stdout.String(), stderr.String()
}

// testIndexes shares the indexes the tests' commands build: most of them
// screen the same bundled snapshot with the default policy.
var testIndexes = &cli.IndexCache{}

// snapshotFile returns the decompressed bytes of a bundled snapshot file.
func snapshotFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "snapshot", "data", name))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type status struct {
	Lists []struct {
		List      string                 `json:"list"`
		Version   int                    `json:"version"`
		Published string                 `json:"published"`
		Records   int                    `json:"records"`
		Total     int                    `json:"total"`
		Counts    map[interdict.Kind]int `json:"counts"`
		Skipped   int                    `json:"skipped"`
		Checksum  string                 `json:"checksum"`
		Publisher string                 `json:"publisher"`
	} `json:"lists"`
}

func getStatus(t *testing.T, home string) status {
	t.Helper()
	code, out, errOut := run(t, home, nil, "lists", "status", "--json")
	if code != 0 {
		t.Fatalf("lists status: exit %d: %s", code, errOut)
	}
	var st status
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("lists status --json: %v\n%s", err, out)
	}
	return st
}

// unXML returns the bundled UN list, with edit applied.
func unXML(t *testing.T, edit func(string) string) []byte {
	s := string(snapshotFile(t, "UN_consolidated_2026-02-27.xml.gz"))
	if edit != nil {
		s = edit(s)
	}
	return []byte(s)
}

// cutRecord removes the INDIVIDUAL record holding ref from a UN XML list.
func cutRecord(t *testing.T, s, ref string) string {
	t.Helper()
	i := strings.Index(s, "<REFERENCE_NUMBER>"+ref+"</REFERENCE_NUMBER>")
	if i < 0 {
		t.Fatalf("no record %s", ref)
	}
	start := strings.LastIndex(s[:i], "<INDIVIDUAL>")
	end := strings.Index(s[i:], "</INDIVIDUAL>") + i + len("</INDIVIDUAL>")
	return s[:start] + s[end:]
}

func TestListsImport_StatusDiffShow(t *testing.T) {
	home, dir := t.TempDir(), t.TempDir()
	v1 := writeFile(t, dir, "un1.xml", unXML(t, nil))
	code, out, errOut := run(t, home, nil, "lists", "import", v1)
	if code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	st := getStatus(t, home)
	if len(st.Lists) != 1 || st.Lists[0].List != "un" || st.Lists[0].Total != 1003 ||
		st.Lists[0].Counts[interdict.KindPerson] != 730 || st.Lists[0].Counts[interdict.KindOrganization] != 273 ||
		st.Lists[0].Published != "2026-02-27" || st.Lists[0].Version != 1 {
		t.Fatalf("status after import = %+v; want un version 1 of 2026-02-27 with 1003 entities (730 persons, 273 organizations)", st.Lists)
	}

	t.Run("unchanged", func(t *testing.T) {
		code, out, _ := run(t, home, nil, "lists", "import", v1)
		if code != 0 || !strings.Contains(out, "unchanged") {
			t.Fatalf("re-import of the same file: exit %d, %q; want unchanged", code, out)
		}
	})

	// Version 2: one record removed and one amended.
	v2 := writeFile(t, dir, "un2.xml", unXML(t, func(s string) string {
		s = cutRecord(t, s, "QDi.430")
		return strings.Replace(s, "<LISTED_ON>2001-01-25</LISTED_ON>", "<LISTED_ON>2001-01-26</LISTED_ON>", 1)
	}))
	if code, out, errOut := run(t, home, nil, "lists", "import", v2); code != 0 {
		t.Fatalf("import v2: exit %d\n%s%s", code, out, errOut)
	}

	t.Run("diff", func(t *testing.T) {
		code, out, errOut := run(t, home, nil, "lists", "diff", "un", "--json")
		if code != 0 {
			t.Fatalf("diff: exit %d: %s", code, errOut)
		}
		var d interdict.ListDiff
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			t.Fatal(err)
		}
		if d.From != 1 || d.To != 2 || d.Added != 0 || d.Removed != 1 || d.Changed != 1 {
			t.Fatalf("diff = %d->%d +%d -%d ~%d; want 1->2 +0 -1 ~1", d.From, d.To, d.Added, d.Removed, d.Changed)
		}
		if d.Changes[0].ID != "un:QDi.430" || d.Changes[0].Type != interdict.ChangeRemoved {
			t.Fatalf("first change = %s %s, want removed un:QDi.430", d.Changes[0].Type, d.Changes[0].ID)
		}
		if got := d.Changes[1].Fields; len(got) != 1 || got[0] != "listed_on" {
			t.Fatalf("changed fields = %v, want [listed_on]", got)
		}
		// Reversed, the removal is an addition.
		code, out, _ = run(t, home, nil, "lists", "diff", "un", "2", "1")
		if code != 0 || !strings.Contains(out, "1 added, 0 removed, 1 changed") || !strings.Contains(out, "+ un:QDi.430") {
			t.Fatalf("diff un 2 1: exit %d\n%s", code, out)
		}
	})

	t.Run("entity show", func(t *testing.T) {
		code, _, errOut := run(t, home, nil, "entity", "show", "un:QDi.430")
		if code != 1 || !strings.Contains(errOut, "not on the current version") {
			t.Fatalf("show removed entity: exit %d, %q", code, errOut)
		}
		code, out, errOut = run(t, home, nil, "entity", "show", "un:KPi.033", "--json")
		if code != 0 {
			t.Fatalf("entity show: exit %d: %s", code, errOut)
		}
		var e struct {
			interdict.Entity
			ListVersion int `json:"list_version"`
		}
		if err := json.Unmarshal([]byte(out), &e); err != nil {
			t.Fatal(err)
		}
		if e.ID != "un:KPi.033" || e.ListVersion != 2 || len(e.Names) == 0 || e.SourceURL == "" {
			t.Fatalf("entity show = %+v", e)
		}
		code, out, _ = run(t, home, nil, "entity", "show", "un:KPi.033")
		for _, want := range []string{"Names:", "Source link:", "Programs:", "version 2"} {
			if code != 0 || !strings.Contains(out, want) {
				t.Fatalf("entity show text lacks %q:\n%s", want, out)
			}
		}
	})

	t.Run("shrink guard", func(t *testing.T) {
		// Keep only the first 100 individuals: far under 80% of the list.
		small := unXML(t, func(s string) string {
			i := 0
			for n := 0; n < 101; n++ {
				i += strings.Index(s[i:], "<INDIVIDUAL>") + 1
			}
			end := strings.Index(s, "</INDIVIDUALS>")
			return s[:i-1] + s[end:]
		})
		p := writeFile(t, dir, "un-small.xml", small)
		code, out, errOut := run(t, home, nil, "lists", "import", p)
		if code != 1 || !strings.Contains(out, "REFUSED") || !strings.Contains(out, "fewer than 80%") {
			t.Fatalf("shrunk list: exit %d\n%s%s", code, out, errOut)
		}
		if st := getStatus(t, home); st.Lists[0].Version != 2 {
			t.Fatalf("current version after refusal = %d, want 2", st.Lists[0].Version)
		}
		code, out, _ = run(t, home, nil, "lists", "import", "--force", p)
		if code != 0 || !strings.Contains(out, "imported version 3") {
			t.Fatalf("--force: exit %d\n%s", code, out)
		}
	})
}

// garble strips the identifiers of the first record of a UN list, so that
// the record cannot be read.
func garble(b []byte) []byte {
	for _, tag := range []string{"DATAID", "REFERENCE_NUMBER"} {
		b = bytes.Replace(b, []byte("<"+tag+">"), []byte("<X"+tag+">"), 1)
		b = bytes.Replace(b, []byte("</"+tag+">"), []byte("</X"+tag+">"), 1)
	}
	return b
}

func TestListsImport_Strict(t *testing.T) {
	home, dir := t.TempDir(), t.TempDir()
	// A record without any identifier cannot be read.
	bad := garble(unXML(t, nil))
	p := writeFile(t, dir, "un-bad.xml", bad)

	code, out, _ := run(t, home, nil, "lists", "import", "--strict", p)
	if code != 1 || !strings.Contains(out, "strict mode: 1 records could not be read") || !strings.Contains(out, "un-bad.xml:") {
		t.Fatalf("strict import: exit %d\n%s", code, out)
	}
	if st := getStatus(t, home); len(st.Lists) != 0 {
		t.Fatalf("strict refusal stored a version: %+v", st.Lists)
	}

	code, out, _ = run(t, home, nil, "lists", "import", p)
	if code != 0 || !strings.Contains(out, "1002 entities; 1 records skipped") {
		t.Fatalf("lenient import: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, home, nil, "lists", "report", "un", "--json")
	var rep interdict.ImportReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("report: exit %d, %v", code, err)
	}
	if rep.Skipped != 1 || rep.Records != 1003 || rep.Entities != 1002 {
		t.Fatalf("report = %+v; want 1003 records, 1002 entities, 1 skipped", rep)
	}
	var found bool
	for _, is := range rep.Issues {
		if is.Severity == interdict.SeverityError && is.List == "un" && is.File == "un-bad.xml" && is.Line > 0 && is.Field != "" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no error issue naming list, file, line and field: %+v", rep.Issues)
	}
}

func TestListsImport_Errors(t *testing.T) {
	home, dir := t.TempDir(), t.TempDir()
	tests := []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"unknown format", "notes.txt", []byte("hello"), "not a known list format"},
		{"truncated xml", "un.xml", unXML(t, nil)[:50000], "un.xml"},
		{"corrupt gzip", "un.xml.gz", []byte("\x1f\x8b\x08\x00garbage"), "un.xml.gz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, dir, tt.file, tt.data)
			code, out, errOut := run(t, home, nil, "lists", "import", p)
			if code != 1 || !strings.Contains(out+errOut, tt.want) {
				t.Fatalf("import %s: exit %d; output %q %q; want error naming %q", tt.file, code, out, errOut, tt.want)
			}
		})
	}
	if code, _, errOut := run(t, home, nil, "lists", "import"); code != 2 {
		t.Fatalf("import without paths: exit %d (%s), want 2", code, errOut)
	}
	if code, _, _ := run(t, home, nil, "lists", "diff", "un", "x", "y"); code != 2 {
		t.Fatalf("diff with bad versions: exit %d, want 2", code)
	}
}

func TestListsUpdate(t *testing.T) {
	good := unXML(t, nil)
	var serve func(w http.ResponseWriter, r *http.Request)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { serve(w, r) }))
	defer srv.Close()
	home := t.TempDir()
	cfg := `{"sources": {"un": ["` + srv.URL + `/consolidated.xml"]}}`
	writeFile(t, home, "config.json", []byte(cfg))

	serve = func(w http.ResponseWriter, r *http.Request) { w.Write(good) }
	code, out, errOut := run(t, home, srv.Client(), "lists", "update", "un")
	if code != 0 || !strings.Contains(out, "imported version 1") {
		t.Fatalf("update: exit %d\n%s%s", code, out, errOut)
	}
	before := getStatus(t, home).Lists[0]

	bad := []struct {
		name  string
		serve func(w http.ResponseWriter, r *http.Request)
		want  string
	}{
		{"server error", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusServiceUnavailable) }, "status 503"},
		{"partial download", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "3000000")
			w.Write(good[:100000])
		}, "incomplete download"},
		{"html page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<!DOCTYPE html><html>maintenance</html>"))
		}, "HTML page"},
		{"truncated xml", func(w http.ResponseWriter, r *http.Request) { w.Write(good[:len(good)/2]) }, "REFUSED"},
		{"garbled record", func(w http.ResponseWriter, r *http.Request) { w.Write(garble(good)) }, "REFUSED"},
		{"shrunk list", func(w http.ResponseWriter, r *http.Request) {
			s := string(good)
			i := strings.Index(s, "<INDIVIDUAL>")
			w.Write([]byte(s[:i] + s[strings.Index(s, "</INDIVIDUALS>"):]))
		}, "fewer than 80%"},
		{"another list", func(w http.ResponseWriter, r *http.Request) {
			w.Write(snapshotFile(t, "consolidated_nonsdn_2026-01-08.xml.gz"))
		}, "expected un"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			serve = tt.serve
			code, out, errOut := run(t, home, srv.Client(), "lists", "update", "un")
			if code != 1 || !strings.Contains(out+errOut, tt.want) {
				t.Fatalf("update: exit %d; output %q %q; want %q", code, out, errOut, tt.want)
			}
			if after := getStatus(t, home).Lists[0]; after.Version != before.Version || after.Checksum != before.Checksum {
				t.Fatalf("current version changed after a bad download: %+v -> %+v", before, after)
			}
		})
	}
}
