package cli_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interdict/interdict"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/http/openapitest"
	"github.com/interdict/interdict/internal/cli"
	"github.com/interdict/interdict/screen"
)

var (
	seedOnce sync.Once
	seedDir  string
	seedErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if seedDir != "" {
		os.RemoveAll(seedDir)
	}
	os.Exit(code)
}

// seededHome returns a fresh data directory holding the bundled snapshot,
// imported once per test binary and copied for each test.
func seededHome(tb testing.TB) string {
	tb.Helper()
	seedOnce.Do(func() {
		seedDir, seedErr = os.MkdirTemp("", "interdict-serve-seed-")
		if seedErr != nil {
			return
		}
		var stderr bytes.Buffer
		app := testApp(seedDir, &stderr)
		if code := app.Run(context.Background(), []string{"lists", "status"}); code != 0 {
			seedErr = fmt.Errorf("seed: exit %d: %s", code, stderr.String())
		}
	})
	if seedErr != nil {
		tb.Fatal(seedErr)
	}
	home := tb.TempDir()
	b, err := os.ReadFile(filepath.Join(seedDir, "interdict.db"))
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "interdict.db"), b, 0o600); err != nil {
		tb.Fatal(err)
	}
	return home
}

func testApp(home string, stderr io.Writer) *cli.App {
	return &cli.App{
		Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: stderr,
		Getenv: func(k string) string {
			if k == "INTERDICT_HOME" {
				return home
			}
			return ""
		},
		Now:     func() time.Time { return time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) },
		Indexes: testIndexes,
	}
}

// syncBuffer is a bytes.Buffer safe for the server's log writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// testServer is a running `interdict serve` on a free loopback port.
type testServer struct {
	*cli.Server
	Home string
	Log  *syncBuffer
	doc  *openapitest.Doc
}

// MustOpenServer starts the server on 127.0.0.1:0 in a copy of the seeded
// home and waits until its index is loaded.
func MustOpenServer(tb testing.TB, configure ...func(*cli.Server)) *testServer {
	tb.Helper()
	home := seededHome(tb)
	log := &syncBuffer{}
	app := testApp(home, log)
	s := cli.NewServer(app)
	s.Addr = "127.0.0.1:0"
	s.CheckEvery = 0
	for _, c := range configure {
		c(s)
	}
	if err := s.Open(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Error(err)
		}
		app.Close()
	})
	select {
	case <-s.Ready():
	case <-time.After(60 * time.Second):
		tb.Fatalf("index not loaded after a minute; log:\n%s", log.String())
	}
	doc, err := openapitest.Load(interdicthttp.OpenAPI())
	if err != nil {
		tb.Fatal(err)
	}
	return &testServer{Server: s, Home: home, Log: log, doc: doc}
}

type call struct {
	method, path, ctype, body string
	header                    map[string]string
}

// do makes a request and, when pattern is given, validates the response
// against the OpenAPI document.
func (ts *testServer) do(tb testing.TB, pattern string, c call) (*http.Response, []byte) {
	tb.Helper()
	r, err := http.NewRequest(c.method, ts.URL()+c.path, strings.NewReader(c.body))
	if err != nil {
		tb.Fatal(err)
	}
	if c.ctype != "" {
		r.Header.Set("Content-Type", c.ctype)
	}
	for k, v := range c.header {
		r.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	if pattern != "" {
		if err := ts.doc.ValidateResponse(pattern, resp.StatusCode, resp.Header.Get("Content-Type"), b); err != nil {
			tb.Errorf("%s %s: response does not match the OpenAPI document: %v", c.method, c.path, err)
		}
	}
	return resp, b
}

func TestServe_API(t *testing.T) {
	ts := MustOpenServer(t)

	// POST /v1/screen finds the BIS Entity List row of the CSL.
	resp, body := ts.do(t, "POST /v1/screen", call{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":"Majid Kakavand"}`})
	if resp.StatusCode != 200 {
		t.Fatalf("POST /v1/screen: %d %s", resp.StatusCode, body)
	}
	var res interdict.ScreenResult
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	if !res.Alert || len(res.Hits) == 0 || res.Hits[0].List != interdict.ListCSL || res.Hits[0].Name != "Majid Kakavand" || res.Policy == "" || res.Lists["csl"] != "1" {
		t.Fatalf("POST /v1/screen Majid Kakavand: %s", body)
	}
	id := res.Hits[0].EntityID

	// GET gives the same result as POST.
	resp, body2 := ts.do(t, "GET /v1/screen", call{method: "GET", path: "/v1/screen?name=Majid+Kakavand"})
	if resp.StatusCode != 200 || !bytes.Equal(body, body2) {
		t.Errorf("GET /v1/screen differs from POST:\n%s\n%s", body, body2)
	}

	// The same JSON as the CLI's `interdict screen --json`, when the
	// screen command is there.
	var out, errOut bytes.Buffer
	app := testApp(ts.Home, &errOut)
	app.Stdout = &out
	if code := app.Run(context.Background(), []string{"screen", "--json", "Majid Kakavand"}); code != 0 && code != cli.ExitMatch && strings.Contains(errOut.String(), `unknown command "screen"`) {
		t.Logf("interdict screen is not available yet, not compared with the CLI: %s", errOut.String())
	} else {
		var a, b any
		if err := json.Unmarshal(out.Bytes(), &a); err != nil {
			t.Fatalf("screen --json: exit %d, %v: %s %s", code, err, out.String(), errOut.String())
		}
		_ = json.Unmarshal(body, &b)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("API and CLI differ:\nAPI %s\nCLI %s", body, out.String())
		}
	}

	resp, body = ts.do(t, "GET /v1/entities/{id}", call{method: "GET", path: "/v1/entities/" + id})
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"list_version":1`) || !strings.Contains(string(body), "Kakavand") {
		t.Errorf("GET /v1/entities/%s: %d %s", id, resp.StatusCode, trimBody(body))
	}
	resp, body = ts.do(t, "GET /v1/lists", call{method: "GET", path: "/v1/lists"})
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"id":"ofac-sdn"`) || !strings.Contains(string(body), `"loaded":1`) {
		t.Errorf("GET /v1/lists: %d %s", resp.StatusCode, trimBody(body))
	}
	resp, body = ts.do(t, "POST /v1/compare", call{method: "POST", path: "/v1/compare", ctype: "application/json", body: `{"name1":"Mohammed bin Salman","name2":"Muhammad ibn Salman","type":"person"}`})
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"score"`) {
		t.Errorf("POST /v1/compare: %d %s", resp.StatusCode, body)
	}
	resp, body = ts.do(t, "POST /v1/screen/batch", call{method: "POST", path: "/v1/screen/batch", ctype: "application/x-ndjson",
		body: "{\"name\":\"Majid Kakavand\",\"id\":\"1\"}\n{\"name\":\"Jane Ordinary\",\"id\":\"2\"}\n{\"name\":\"\"}\n"})
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if resp.StatusCode != 200 || len(lines) != 3 || !strings.Contains(lines[0], `"alert":true`) || !strings.Contains(lines[2], `"status":422`) {
		t.Errorf("POST /v1/screen/batch: %d\n%s", resp.StatusCode, body)
	}
	for _, p := range []struct{ pattern, path string }{{"GET /healthz", "/healthz"}, {"GET /readyz", "/readyz"}, {"GET /openapi.json", "/openapi.json"}} {
		if resp, body := ts.do(t, p.pattern, call{method: "GET", path: p.path}); resp.StatusCode != 200 {
			t.Errorf("GET %s: %d %s", p.path, resp.StatusCode, body)
		}
	}
	_, body = ts.do(t, "GET /metrics", call{method: "GET", path: "/metrics"})
	for _, want := range []string{`interdict_screens_total 4`, `interdict_alerts_total 3`, `interdict_list_age_seconds{list="csl"}`, `interdict_index_entities `, `route="POST /v1/screen"`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if !strings.Contains(ts.Log.String(), `"msg":"request"`) || !strings.Contains(ts.Log.String(), `"route":"POST /v1/screen"`) {
		t.Errorf("no JSON request log:\n%s", ts.Log.String())
	}
	if strings.Contains(ts.Log.String(), "Kakavand") {
		t.Errorf("the log holds a screened name")
	}
}

// TestServe_BadInput sends the server what a careless or hostile client
// would, and checks each gets a clear problem and the server goes on.
func TestServe_BadInput(t *testing.T) {
	ts := MustOpenServer(t)
	tests := []struct {
		name    string
		pattern string
		c       call
		status  int
	}{
		{"MalformedJSON", "POST /v1/screen", call{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":`}, 400},
		{"HugeBody", "POST /v1/screen", call{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":"` + strings.Repeat("x", 4<<20) + `"}`}, 413},
		{"InvalidDate", "POST /v1/screen", call{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":"Majid Kakavand","dob":"1980-13-45","strict":true}`}, 422},
		{"UnknownField", "POST /v1/screen", call{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":"Majid Kakavand","birthday":"1980"}`}, 400},
		{"WrongContentType", "POST /v1/screen", call{method: "POST", path: "/v1/screen", ctype: "application/x-www-form-urlencoded", body: `name=Majid`}, 415},
		{"BatchWrongContentType", "POST /v1/screen/batch", call{method: "POST", path: "/v1/screen/batch", ctype: "text/csv", body: "name\nA\n"}, 415},
		{"NoEntity", "GET /v1/entities/{id}", call{method: "GET", path: "/v1/entities/ofac-sdn:0"}, 404},
		{"NoPreviousVersion", "GET /v1/lists/{list}/diff", call{method: "GET", path: "/v1/lists/un/diff"}, 404},
		{"CrossOrigin", "POST /v1/compare", call{method: "POST", path: "/v1/compare", ctype: "application/json", body: `{"name1":"a","name2":"b"}`, header: map[string]string{"Origin": "http://evil.example"}}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := ts.do(t, tt.pattern, tt.c)
			if resp.StatusCode != tt.status || resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%d %s %s, want %d problem+json", resp.StatusCode, resp.Header.Get("Content-Type"), trimBody(body), tt.status)
			}
			var p interdicthttp.Problem
			if err := json.Unmarshal(body, &p); err != nil || p.Detail == "" || p.RequestID == "" {
				t.Errorf("problem %s: %v", body, err)
			}
		})
	}
	resp, body := ts.do(t, "GET /v1/screen", call{method: "GET", path: "/v1/screen?name=Majid+Kakavand"})
	if resp.StatusCode != 200 {
		t.Fatalf("after bad input: %d %s", resp.StatusCode, body)
	}
}

// TestServe_Reload imports a new version of the UN list from another App
// on the same home (as another process would: it shares no event bus with
// the server) while requests run, and checks that the server screens on
// the new version within 2 seconds of the import, by its own check of the
// store, and that no request failed.
func TestServe_Reload(t *testing.T) {
	ts := MustOpenServer(t, func(s *cli.Server) { s.CheckEvery = screen.DefaultCheckEvery })
	un := gunzipFile(t, "UN_consolidated_2026-02-27.xml.gz")
	// Version 2 drops the first individual and renames a second one.
	i := strings.Index(un, "<INDIVIDUAL>")
	j := strings.Index(un, "</INDIVIDUAL>") + len("</INDIVIDUAL>")
	un = un[:i] + un[j:]
	k := strings.Index(un, "<FIRST_NAME>")
	un = un[:k] + "<FIRST_NAME>Zzyzxq Reloaded " + un[k+len("<FIRST_NAME>"):]
	path := filepath.Join(t.TempDir(), "un2.xml")
	if err := os.WriteFile(path, []byte(un), 0o600); err != nil {
		t.Fatal(err)
	}

	var failures, total atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	client := &http.Client{}
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				// A steady load (some 2,000 requests a second), not a
				// saturating one: the index is rebuilt on the same cores.
				select {
				case <-stop:
					return
				case <-time.After(2 * time.Millisecond):
				}
				resp, err := client.Post(ts.URL()+"/v1/screen", "application/json", strings.NewReader(`{"name":"Majid Kakavand"}`))
				total.Add(1)
				if err != nil {
					failures.Add(1)
					continue
				}
				var res interdict.ScreenResult
				err = json.NewDecoder(resp.Body).Decode(&res)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 || len(res.Hits) == 0 || res.Lists["un"] == "" {
					failures.Add(1)
				}
			}
		}()
	}

	var stderr bytes.Buffer
	other := testApp(ts.Home, &stderr)
	if code := other.Run(context.Background(), []string{"lists", "import", path}); code != 0 {
		t.Fatalf("lists import: exit %d: %s", code, stderr.String())
	}
	imported := time.Now()
	for ts.Service.Current().Version("un") != 2 {
		// A safety net only: the bounds below are what the test asserts,
		// relative to the time the index build took on this machine.
		if time.Since(imported) > 90*time.Second {
			t.Fatalf("the new UN version was not served within 90s; log:\n%s", ts.Log.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	took := time.Since(imported)
	build := ts.Service.Current().BuildTime
	t.Logf("the new UN version was served %s after the import (reading and building the index took %s)", took.Round(time.Millisecond), build.Round(time.Millisecond))
	// The service's own part: it sees the import within one check and
	// swaps the index in as soon as it is built.
	if detect := took - build; detect > screen.DefaultCheckEvery+250*time.Millisecond {
		t.Errorf("the import was picked up %s after it was made, want within the check interval %s", detect.Round(time.Millisecond), screen.DefaultCheckEvery)
	}
	// The bound: served within 2s. Rebuilding the index over every list
	// takes under a second on an idle machine; on one so loaded that the
	// build alone takes 1.5s, the bound says nothing about the server.
	if took > 2*time.Second && build < 1500*time.Millisecond {
		t.Errorf("the new UN version was served %s after the import, want at most 2s", took.Round(time.Millisecond))
	}
	if again, err := ts.Reload(context.Background()); err != nil || again {
		t.Errorf("second Reload: %v, %v; want no swap", again, err)
	}
	for total.Load() < 200 {
		time.Sleep(time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if failures.Load() > 0 {
		t.Errorf("%d of %d requests failed across the reload", failures.Load(), total.Load())
	}
	t.Logf("%d requests across the reload, none failed", total.Load())

	_, body := ts.do(t, "GET /v1/screen", call{method: "GET", path: "/v1/screen?name=Zzyzxq+Reloaded"})
	if !strings.Contains(string(body), `"un":"2"`) || !strings.Contains(string(body), `"list":"un"`) {
		t.Errorf("after reload, the renamed UN entry is not found on version 2: %s", trimBody(body))
	}
	_, body = ts.do(t, "GET /v1/lists/{list}/diff", call{method: "GET", path: "/v1/lists/un/diff?from=1&to=2"})
	if !strings.Contains(string(body), `"removed":1`) || !strings.Contains(string(body), `"changed":1`) {
		t.Errorf("diff 1→2: %s", trimBody(body))
	}
	_, body = ts.do(t, "GET /readyz", call{method: "GET", path: "/readyz"})
	if !strings.Contains(string(body), `"un":2`) {
		t.Errorf("/readyz after reload: %s", body)
	}
}

// TestServe_Watch checks that the check loop picks up a new version by
// itself.
func TestServe_Watch(t *testing.T) {
	ts := MustOpenServer(t, func(s *cli.Server) { s.CheckEvery = 20 * time.Millisecond })
	un := gunzipFile(t, "UN_consolidated_2026-02-27.xml.gz")
	k := strings.Index(un, "<FIRST_NAME>")
	un = un[:k] + "<FIRST_NAME>Watched " + un[k+len("<FIRST_NAME>"):]
	path := filepath.Join(t.TempDir(), "un2.xml")
	if err := os.WriteFile(path, []byte(un), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	if code := testApp(ts.Home, &stderr).Run(context.Background(), []string{"lists", "import", path}); code != 0 {
		t.Fatalf("lists import: exit %d: %s", code, stderr.String())
	}
	deadline := time.Now().Add(30 * time.Second)
	for ts.Service.Current().Version("un") != 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the new UN version was not loaded within 30s; log:\n%s", ts.Log.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The reload is logged once the new index is swapped in, so shortly
	// after the new version is served.
	for !strings.Contains(ts.Log.String(), `"msg":"index reloaded"`) {
		if time.Now().After(deadline) {
			t.Fatalf("no reload logged; log:\n%s", ts.Log.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestServe_Auth(t *testing.T) {
	home := seededHome(t)
	tests := []struct {
		name    string
		addr    string
		tokens  string
		wantErr string
	}{
		{"NonLoopbackNoToken", "0.0.0.0:0", "", "refusing to listen on 0.0.0.0:0"},
		{"AllInterfacesNoToken", ":0", "", "refusing to listen"},
		{"ShortToken", "127.0.0.1:0", "short\n", "at least 16 characters"},
		{"EmptyTokenFile", "127.0.0.1:0", "# nobody\n", "holds no token"},
		{"NonLoopbackToken", "0.0.0.0:0", "# ops\n0123456789abcdef-token ops team\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log syncBuffer
			app := testApp(home, &log)
			defer app.Close()
			s := cli.NewServer(app)
			s.Addr = tt.addr
			s.CheckEvery = 0
			if tt.tokens != "" {
				s.TokenFile = filepath.Join(t.TempDir(), "tokens")
				os.WriteFile(s.TokenFile, []byte(tt.tokens), 0o600)
			}
			err := s.Open(context.Background())
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Open: %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			<-s.Ready()
			u := strings.Replace(s.URL(), "0.0.0.0", "127.0.0.1", 1)
			resp, err := http.Get(u + "/v1/lists")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 401 {
				t.Errorf("without token: %d, want 401", resp.StatusCode)
			}
			r, _ := http.NewRequest("GET", u+"/v1/lists", nil)
			r.Header.Set("Authorization", "Bearer 0123456789abcdef-token")
			resp, err = http.DefaultClient.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("with token: %d, want 200", resp.StatusCode)
			}
			if strings.Contains(log.String(), "0123456789abcdef-token") {
				t.Errorf("the token was logged")
			}
		})
	}
}

func gunzipFile(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "snapshot", "data", name))
	if err != nil {
		tb.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatal(err)
	}
	return string(out)
}

func trimBody(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "..."
	}
	return string(b)
}
