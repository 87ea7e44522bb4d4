package cli_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"mime/multipart"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interdict/interdict"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/http/openapitest"
	"github.com/interdict/interdict/internal/cli"
	"github.com/xuri/excelize/v2"
)

const (
	exitedV1     = "testdata/custom/exited-v1.csv"
	exitedV2     = "testdata/custom/exited-v2.csv"
	exitedShrunk = "testdata/custom/exited-shrunk.csv"
	pepsFtM      = "testdata/custom/peps.ftm.json"
)

// uploadResult decodes the JSON outcome of `lists import --list --json`.
func uploadResult(t *testing.T, out string) interdicthttp.ListUploadResult {
	t.Helper()
	var res interdicthttp.ListUploadResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("outcome is not JSON: %v\n%s", err, out)
	}
	return res
}

// xlsxFromCSV writes the rows of a semicolon CSV file to a workbook, as a
// user saving the same sheet as XLSX would.
func xlsxFromCSV(t *testing.T, csvPath string) string {
	t.Helper()
	b, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		vals := make([]any, len(row))
		for j, v := range row {
			vals[j] = v
		}
		if err := f.SetSheetRow("Sheet1", cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), strings.TrimSuffix(filepath.Base(csvPath), ".csv")+".xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func screenCustom(t *testing.T, home string, args ...string) (int, interdict.ScreenResult) {
	t.Helper()
	code, out, errOut := run(t, home, nil, append([]string{"screen", "--json"}, args...)...)
	var res interdict.ScreenResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("screen %v: exit %d, %v\n%s\n%s", args, code, err, out, errOut)
	}
	return code, res
}

func TestListsImport_Custom(t *testing.T) {
	home := t.TempDir()

	// A spreadsheet exported as CSV with semicolons: 10 parties.
	code, out, errOut := run(t, home, nil, "lists", "import", "--list", "exited", "--title", "Exited customers", "--json", exitedV1)
	if code != 0 {
		t.Fatalf("import v1: exit %d\n%s\n%s", code, out, errOut)
	}
	v1 := uploadResult(t, out)
	if v1.Status != "imported" || v1.Version.Version != 1 || v1.Version.Total != 10 || v1.Report.Records != 10 || v1.Report.Skipped != 0 {
		t.Fatalf("import v1: %s", out)
	}
	if v1.Version.Publisher != "Exited customers" || v1.Format != "custom-table" {
		t.Errorf("import v1: publisher %q, format %q; want the title and custom-table", v1.Version.Publisher, v1.Format)
	}

	// The same sheet saved as XLSX: the same 10 parties, the same IDs.
	xlsx := xlsxFromCSV(t, exitedV1)
	code, out, errOut = run(t, home, nil, "lists", "import", "--list", "exited-xlsx", "--json", xlsx)
	if res := uploadResult(t, out); code != 0 || res.Version == nil || res.Version.Total != 10 {
		t.Fatalf("import XLSX: exit %d\n%s\n%s", code, out, errOut)
	}
	// Read again as CSV, the XLSX list is unchanged: the same entities.
	code, out, _ = run(t, home, nil, "lists", "import", "--list", "exited-xlsx", "--dry-run", "--json", exitedV1)
	if res := uploadResult(t, out); code != 0 || res.Status != "unchanged" {
		t.Errorf("the CSV read against the XLSX version: exit %d, %s; want unchanged", code, out)
	}

	// The second version: one added, one removed, one changed.
	code, out, errOut = run(t, home, nil, "lists", "import", "--list", "exited", "--json", exitedV2)
	v2 := uploadResult(t, out)
	if code != 0 || v2.Status != "imported" || v2.Version.Version != 2 || v2.Version.Total != 10 {
		t.Fatalf("import v2: exit %d\n%s\n%s", code, out, errOut)
	}
	if d := v2.Diff; d == nil || d.From != 1 || d.To != 2 || d.Added != 1 || d.Removed != 1 || d.Changed != 1 {
		t.Errorf("import v2 diff: %+v, want 1 -> 2: 1 added, 1 removed, 1 changed", d)
	}
	if v2.Version.Publisher != "Exited customers" {
		t.Errorf("v2 publisher %q: the title is kept from version 1", v2.Version.Publisher)
	}
	code, out, _ = run(t, home, nil, "lists", "diff", "exited", "--json")
	var diff interdict.ListDiff
	if err := json.Unmarshal([]byte(out), &diff); err != nil || code != 0 {
		t.Fatalf("lists diff exited: exit %d %v\n%s", code, err, out)
	}
	var changes []string
	for _, c := range diff.Changes {
		changes = append(changes, string(c.Type)+" "+c.ID+" "+strings.Join(c.Fields, ","))
	}
	want := []string{"added exited:K-110 ", "removed exited:K-108 ", "changed exited:K-107 programs"}
	if strings.Join(changes, "|") != strings.Join(want, "|") {
		t.Errorf("lists diff exited: %q, want %q", changes, want)
	}

	// A shrunk version is refused and the current version stays.
	code, out, _ = run(t, home, nil, "lists", "import", "--list", "exited", "--json", exitedShrunk)
	if res := uploadResult(t, out); code != 1 || res.Status != "refused" || !strings.Contains(res.Reason, "fewer than 80%") {
		t.Errorf("import shrunk: exit %d, %s", code, out)
	}
	code, out, _ = run(t, home, nil, "lists", "status", "--json")
	var st struct {
		Lists []struct {
			List, Name string
			Version    int
			Total      int
		}
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != 0 {
		t.Fatalf("lists status: exit %d %v\n%s", code, err, out)
	}
	found := false
	for _, l := range st.Lists {
		if l.List == "exited" {
			found = true
			if l.Version != 2 || l.Total != 10 || l.Name != "Exited customers" {
				t.Errorf("lists status exited: %+v, want version 2, 10 entities, named Exited customers", l)
			}
		}
	}
	if !found {
		t.Errorf("lists status has no exited list: %s", out)
	}

	// A name on the custom list alerts with list set to the list's name.
	code, res := screenCustom(t, home, "--lists", "exited", "Tobias Brandauer")
	if code != cli.ExitMatch || !res.Alert || len(res.Hits) == 0 {
		t.Fatalf("screen Tobias Brandauer: exit %d, %+v", code, res)
	}
	if h := res.Hits[0]; h.List != "exited" || h.EntityID != "exited:K-100" || h.HitKind != interdict.HitInternal {
		t.Errorf("screen Tobias Brandauer: top hit %s on %s (%s), want exited:K-100 on exited (internal)", h.EntityID, h.List, h.HitKind)
	}

	// FtM data and a table together are refused before anything is stored.
	if code, out, errOut := run(t, home, nil, "lists", "import", "--list", "exited", exitedV1, pepsFtM); code != 1 || !strings.Contains(errOut, "two formats") {
		t.Errorf("import a table and FtM data together: exit %d, %s %s", code, out, errOut)
	}
	if _, out, _ := run(t, home, nil, "lists", "versions", "exited"); strings.Contains(out, "\n3 ") {
		t.Errorf("a mixed import stored version 3:\n%s", out)
	}

	// Bad list names are usage errors.
	for _, name := range []string{"ofac-sdn", "Exited_Customers", "-x"} {
		if code, _, errOut := run(t, home, nil, "lists", "import", "--list", name, exitedV1); code != 2 || !strings.Contains(errOut, "--list") {
			t.Errorf("import --list %q: exit %d, %s; want 2 and the reason", name, code, errOut)
		}
	}
}

func TestListsImport_CustomDryRun(t *testing.T) {
	home := t.TempDir()
	if code, out, errOut := run(t, home, nil, "lists", "import", "--list", "exited", exitedV1); code != 0 {
		t.Fatalf("import: %s %s", out, errOut)
	}
	code, out, _ := run(t, home, nil, "lists", "import", "--list", "exited", "--dry-run", exitedV2)
	if code != 0 || !strings.Contains(out, "would import version 2") || !strings.Contains(out, "1 added, 1 removed, 1 changed") {
		t.Errorf("dry run: exit %d: %s", code, out)
	}
	_, out, _ = run(t, home, nil, "lists", "versions", "exited")
	if strings.Contains(out, "\n2 ") {
		t.Errorf("a dry run stored version 2:\n%s", out)
	}
}

func TestListsImport_PEP(t *testing.T) {
	home := t.TempDir()
	code, out, errOut := run(t, home, nil, "lists", "import", "--list", "peps", "--json", pepsFtM)
	res := uploadResult(t, out)
	if code != 0 || res.Format != "ftm-json" || res.Version == nil || res.Version.Total != 3 {
		t.Fatalf("import peps: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, tc := range []struct{ name, id string }{
		{"Aurelio Mendoza Castillo", "peps:Q-pep-aurelio"},
		{"Lucia Mendoza Paredes", "peps:Q-rca-lucia"}, // a relative (role.rca)
	} {
		_, sr := screenCustom(t, home, tc.name)
		if len(sr.Hits) == 0 || sr.Hits[0].EntityID != tc.id || sr.Hits[0].HitKind != interdict.HitPEP || sr.Hits[0].List != "peps" {
			t.Errorf("screen %s: %+v, want %s marked pep first", tc.name, sr.Hits, tc.id)
		}
	}
	// A policy that does not alert on PEP hits reports them without alerting.
	cfg := `{"policy": {"per_list": {"peps": {"alert": false}}}}`
	if err := os.WriteFile(filepath.Join(home, "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	code, sr := screenCustom(t, home, "Aurelio Mendoza Castillo")
	if code != 0 || sr.Alert || len(sr.Hits) == 0 || sr.Hits[0].HitKind != interdict.HitPEP || sr.Hits[0].Alert {
		t.Errorf("screen with per_list peps alert false: exit %d, alert %v, hits %+v", code, sr.Alert, sr.Hits)
	}
	// The batch follows the same per-list policy: the PEP hit is reported
	// as the top hit but neither alerts nor is named in alerting_entities.
	code, out, errOut = runIn(t, home, "id,name\n1,Aurelio Mendoza Castillo\n", "--no-snapshot", "screen", "--input", "-", "--output", "-")
	rows := readCSV(t, out)
	if code != 0 || len(rows) != 1 || rows[0]["alert"] != "false" || rows[0]["top_entity_id"] != "peps:Q-pep-aurelio" || rows[0]["alerting_entities"] != "" {
		t.Errorf("batch with per_list peps alert false: exit %d, rows %v\n%s", code, rows, errOut)
	}
}

// TestServe_CustomList runs the server without the snapshot on a store
// holding only a custom list: it screens it, reports it in /metrics and
// GET /v1/lists, takes new versions through POST /v1/lists/{list} and the
// upload form, and keeps them across a restart.
func TestServe_CustomList(t *testing.T) {
	home := t.TempDir()
	if code, out, errOut := run(t, home, nil, "lists", "import", "--list", "exited", "--title", "Exited customers", exitedV1); code != 0 {
		t.Fatalf("import: %s %s", out, errOut)
	}
	// Uploading a list is for administrators.
	code, stdout, stderr := runCLI(t, home, webPassword+"\n", "--no-snapshot", "users", "add", "root", "--role", "admin", "--api-key", "--label", "tests", "--password-stdin")
	key := strings.TrimSpace(stdout)
	if code != 0 || key == "" {
		t.Fatalf("users add root: exit %d, %s", code, stderr)
	}
	admin := map[string]string{"Authorization": "Bearer " + key}
	page := map[string]string{"Authorization": "Bearer " + key, "Accept": "text/html"}
	ts, stop := openNoSnapshot(t, home)

	// (Screening results are not checked against the OpenAPI document
	// here: it holds two "Party" schemas, and the second, the book's,
	// hides the first.)
	resp, body := ts.do(t, "", call{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":"Ottavio Lanfranchi"}`, header: admin})
	var res interdict.ScreenResult
	if err := json.Unmarshal(body, &res); err != nil || resp.StatusCode != 200 {
		t.Fatalf("POST /v1/screen: %d %s", resp.StatusCode, body)
	}
	if !res.Alert || len(res.Hits) == 0 || res.Hits[0].List != "exited" || res.Hits[0].HitKind != interdict.HitInternal || res.Lists["exited"] != "1" {
		t.Errorf("POST /v1/screen Ottavio Lanfranchi: %s", body)
	}
	_, body = ts.do(t, "GET /metrics", call{method: "GET", path: "/metrics", header: admin})
	if !strings.Contains(string(body), `interdict_list_version{list="exited"} 1`) {
		t.Errorf("/metrics has no version of exited:\n%s", grepLines(string(body), "interdict_list"))
	}
	_, body = ts.do(t, "GET /v1/lists", call{method: "GET", path: "/v1/lists", header: admin})
	if !strings.Contains(string(body), `"id":"exited","name":"Exited customers"`) {
		t.Errorf("GET /v1/lists has no exited list: %s", trimBody(body))
	}

	v2, _ := os.ReadFile(exitedV2)
	shrunk, _ := os.ReadFile(exitedShrunk)
	// Preview: the diff, nothing stored.
	resp, body = ts.do(t, "POST /v1/lists/{list}", call{method: "POST", path: "/v1/lists/exited?dry_run=true", ctype: "text/csv", body: string(v2), header: admin})
	var up interdicthttp.ListUploadResult
	if err := json.Unmarshal(body, &up); err != nil || resp.StatusCode != 200 || up.Status != "preview" || up.Diff == nil || up.Diff.Added != 1 || up.Diff.Removed != 1 || up.Diff.Changed != 1 {
		t.Fatalf("dry run: %d %s", resp.StatusCode, trimBody(body))
	}
	// Confirm against the version previewed.
	resp, body = ts.do(t, "POST /v1/lists/{list}", call{method: "POST", path: "/v1/lists/exited?base=1", ctype: "text/csv", body: string(v2), header: admin})
	if err := json.Unmarshal(body, &up); err != nil || resp.StatusCode != 201 || up.Status != "imported" || up.Version.Version != 2 {
		t.Fatalf("import v2: %d %s", resp.StatusCode, trimBody(body))
	}
	resp, body = ts.do(t, "POST /v1/lists/{list}", call{method: "POST", path: "/v1/lists/exited?base=1", ctype: "text/csv", body: string(v2), header: admin})
	if resp.StatusCode != 409 {
		t.Errorf("import against a stale preview: %d %s, want 409", resp.StatusCode, body)
	}
	resp, body = ts.do(t, "POST /v1/lists/{list}", call{method: "POST", path: "/v1/lists/exited", ctype: "text/csv", body: string(shrunk), header: admin})
	if err := json.Unmarshal(body, &up); err != nil || resp.StatusCode != 422 || up.Status != "refused" {
		t.Errorf("import shrunk: %d %s, want 422 refused", resp.StatusCode, trimBody(body))
	}
	resp, body = ts.do(t, "POST /v1/lists/{list}", call{method: "POST", path: "/v1/lists/un", ctype: "text/csv", body: string(v2), header: admin})
	if resp.StatusCode != 422 || !strings.Contains(string(body), "official list") {
		t.Errorf("upload to the un list: %d %s, want 422", resp.StatusCode, body)
	}
	resp, body = ts.do(t, "GET /v1/lists/{list}/diff", call{method: "GET", path: "/v1/lists/exited/diff", header: admin})
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"added":1`) {
		t.Errorf("GET /v1/lists/exited/diff: %d %s", resp.StatusCode, trimBody(body))
	}

	// The web UI: upload PEP data, preview, confirm.
	resp, body = ts.do(t, "", call{method: "GET", path: "/lists/upload", header: page})
	if resp.StatusCode != 200 || !strings.Contains(string(body), `action="/lists/upload"`) {
		t.Fatalf("GET /lists/upload: %d", resp.StatusCode)
	}
	peps, _ := os.ReadFile(pepsFtM)
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	_ = mw.WriteField("list", "peps")
	_ = mw.WriteField("title", "PEP data")
	fw, _ := mw.CreateFormFile("file", "peps.ftm.json")
	_, _ = fw.Write(peps)
	_ = mw.Close()
	resp, body = ts.do(t, "", call{method: "POST", path: "/lists/upload", ctype: mw.FormDataContentType(), body: form.String(), header: page})
	m := regexp.MustCompile(`action="/lists/upload/([0-9a-f]+)"`).FindSubmatch(body)
	if resp.StatusCode != 200 || m == nil || !strings.Contains(string(body), "not stored yet") || !strings.Contains(string(body), "<strong>3</strong> added") {
		t.Fatalf("POST /lists/upload: %d\n%s", resp.StatusCode, trimBody(body))
	}
	if ix := ts.Service.Current(); ix.Version("peps") != 0 {
		t.Fatalf("the preview stored peps version %d", ix.Version("peps"))
	}
	resp, body = ts.do(t, "", call{method: "POST", path: "/lists/upload/" + string(m[1]), header: page})
	if resp.StatusCode != 200 || !strings.Contains(string(body), "version 1 is now current") {
		t.Fatalf("confirm: %d\n%s", resp.StatusCode, trimBody(body))
	}
	if _, err := ts.Service.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, body = ts.do(t, "", call{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":"Ingrid Vasstrand"}`, header: admin})
	if err := json.Unmarshal(body, &res); err != nil || len(res.Hits) == 0 || res.Hits[0].HitKind != interdict.HitPEP || res.Hits[0].List != "peps" {
		t.Errorf("screen a PEP after the upload: %s", body)
	}

	_, body = ts.do(t, "", call{method: "GET", path: "/?name=Ingrid+Vasstrand", header: page})
	if !strings.Contains(string(body), `<span class="tag">PEP</span>`) {
		t.Errorf("the screening page does not mark the PEP hit:\n%s", grepLines(string(body), "meta"))
	}
	_, body = ts.do(t, "GET /v1/lists", call{method: "GET", path: "/v1/lists", header: admin})
	if !strings.Contains(string(body), `"id":"peps","name":"PEP data"`) {
		t.Errorf("GET /v1/lists has no peps list titled PEP data: %s", trimBody(body))
	}

	// A restart finds both lists.
	stop()
	ts, _ = openNoSnapshot(t, home)
	if ix := ts.Service.Current(); ix.Version("exited") != 2 || ix.Version("peps") != 1 {
		t.Errorf("after a restart: exited v%d, peps v%d; want 2 and 1", ix.Version("exited"), ix.Version("peps"))
	}
}

// openNoSnapshot starts the server on home without the bundled snapshot;
// stop stops it (and is called at the end of the test if not before).
func openNoSnapshot(t *testing.T, home string) (ts *testServer, stop func()) {
	t.Helper()
	log := &syncBuffer{}
	app := testApp(home, log)
	getenv := app.Getenv
	app.Getenv = func(k string) string {
		if k == "INTERDICT_NO_SNAPSHOT" {
			return "1"
		}
		return getenv(k)
	}
	s := cli.NewServer(app)
	s.Addr = "127.0.0.1:0"
	s.CheckEvery = 0
	if err := s.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			if err := s.Close(); err != nil {
				t.Error(err)
			}
			app.Close()
		})
	}
	t.Cleanup(stop)
	select {
	case <-s.Ready():
	case <-time.After(30 * time.Second):
		t.Fatalf("index not loaded; log:\n%s", log.String())
	}
	doc, err := openapitest.Load(interdicthttp.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	return &testServer{Server: s, Home: home, Log: log, doc: doc}, stop
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
