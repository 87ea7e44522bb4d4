package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/interdict/interdict/internal/cli"
)

// TestServe_Goods classifies line items over a real listener and checks
// that the API answers with the bytes `interdict goods classify --json`
// prints for the same line (compacted: the CLI indents), end users
// included, screened on the bundled lists.
func TestServe_Goods(t *testing.T) {
	ts := MustOpenServer(t)
	tests := []struct {
		name string
		args []string // after "goods classify --json"
		body string
		want string
	}{
		{"Listed", []string{"frequency converter, multiphase, 40 kW, 600-2000 Hz, ±0.1 %"},
			`{"description":"frequency converter, multiphase, 40 kW, 600-2000 Hz, ±0.1 %"}`, `"verdict":"listed"`},
		{"CandidateToIranForAListedEndUser", []string{"--hs", "8413.70", "--destination", "Iran", "--end-user", "Majid Kakavand", "centrifugal pump, wetted parts of Hastelloy, 50 m3/h"},
			`{"description":"centrifugal pump, wetted parts of Hastelloy, 50 m3/h","hs":"8413.70","destination":"Iran","end_user":"Majid Kakavand"}`, `"list":"csl"`},
		{"NotListedToCrimea", []string{"--hs", "9401.30", "--destination", "UA", "--address", "Simferopol, Crimea", "office chairs"},
			`{"description":"office chairs","hs":"9401.30","destination":"UA","address":"Simferopol, Crimea"}`, `"region":"Crimea"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := ts.do(t, "POST /v1/goods/classify", call{method: "POST", path: "/v1/goods/classify", ctype: "application/json", body: tt.body})
			if resp.StatusCode != 200 || !strings.Contains(string(body), tt.want) {
				t.Fatalf("POST /v1/goods/classify %s: %d %s; want %s", tt.body, resp.StatusCode, trimBody(body), tt.want)
			}
			var out, errOut bytes.Buffer
			app := testApp(ts.Home, &errOut)
			app.Stdout = &out
			defer app.Close()
			code := app.Run(context.Background(), append([]string{"goods", "classify", "--json"}, tt.args...))
			if code != 0 && code != cli.ExitMatch {
				t.Fatalf("goods classify: exit %d: %s", code, errOut.String())
			}
			var cliJSON bytes.Buffer
			if err := json.Compact(&cliJSON, out.Bytes()); err != nil {
				t.Fatal(err)
			}
			if api := bytes.TrimSuffix(body, []byte("\n")); !bytes.Equal(api, cliJSON.Bytes()) {
				t.Errorf("API and CLI differ:\nAPI %s\nCLI %s", api, cliJSON.Bytes())
			}
		})
	}

	// Batch: NDJSON both ways, one line per item.
	resp, body := ts.do(t, "POST /v1/goods/classify/batch", call{method: "POST", path: "/v1/goods/classify/batch", ctype: "application/x-ndjson",
		body: "{\"description\":\"office chairs\",\"end_user\":\"Majid Kakavand\",\"id\":\"1\"}\n{\"description\":\"pressure transducers\",\"id\":\"2\"}\n{\"destination\":\"IR\"}\n"})
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if resp.StatusCode != 200 || len(lines) != 3 || !strings.Contains(lines[0], `"attention":true`) || !strings.Contains(lines[1], `"verdict":"candidate"`) || !strings.Contains(lines[2], `"status":422`) {
		t.Errorf("POST /v1/goods/classify/batch: %d\n%s", resp.StatusCode, body)
	}

	// The Goods page shows the end user's hit, linked to its entity page.
	resp, body = ts.do(t, "", call{method: "GET", path: "/goods?description=office+chairs&destination=AE&end_user=" + url.QueryEscape("Majid Kakavand"), header: map[string]string{"Accept": "text/html"}})
	if resp.StatusCode != 200 || !strings.Contains(string(body), `<a href="/entities/csl:`) {
		t.Errorf("GET /goods with an end user: %d, no link to the entity page:\n%s", resp.StatusCode, trimBody(body))
	}

	_, body = ts.do(t, "GET /metrics", call{method: "GET", path: "/metrics"})
	for _, want := range []string{`interdict_goods_classifications_total 6`, `interdict_goods_verdicts_total{verdict="listed"} 1`,
		`interdict_goods_verdicts_total{verdict="candidate"} 2`, `interdict_goods_verdicts_total{verdict="not-listed"} 3`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestServe_GoodsReload checks that end users are screened on the lists
// the server holds now: a name added by a new list version is found once
// the version is swapped in.
func TestServe_GoodsReload(t *testing.T) {
	ts := MustOpenServer(t)
	const item = `{"description":"office chairs","end_user":"Zzyzxq Goodsreload"}`
	_, body := ts.do(t, "POST /v1/goods/classify", call{method: "POST", path: "/v1/goods/classify", ctype: "application/json", body: item})
	if strings.Contains(string(body), `"matched_name":"Zzyzxq Goodsreload`) {
		t.Fatalf("before the reload, the end user already has a hit: %s", trimBody(body))
	}
	un := gunzipFile(t, "UN_consolidated_2026-02-27.xml.gz")
	k := strings.Index(un, "<FIRST_NAME>")
	un = un[:k] + "<FIRST_NAME>Zzyzxq Goodsreload " + un[k+len("<FIRST_NAME>"):]
	path := filepath.Join(t.TempDir(), "un2.xml")
	if err := os.WriteFile(path, []byte(un), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	if code := testApp(ts.Home, &stderr).Run(context.Background(), []string{"lists", "import", path}); code != 0 {
		t.Fatalf("lists import: exit %d: %s", code, stderr.String())
	}
	if swapped, err := ts.Reload(context.Background()); err != nil || !swapped {
		t.Fatalf("Reload: %v, %v; want a swap", swapped, err)
	}
	resp, body := ts.do(t, "POST /v1/goods/classify", call{method: "POST", path: "/v1/goods/classify", ctype: "application/json", body: item})
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"list":"un",`) || !strings.Contains(string(body), `"name":"Zzyzxq Goodsreload`) {
		i := max(0, strings.Index(string(body), `"end_user"`))
		t.Errorf("after the reload, the end user is not found on the new UN version: %d %s", resp.StatusCode, trimBody(body[i:]))
	}
}
