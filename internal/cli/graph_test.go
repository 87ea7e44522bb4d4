package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/graph"
	"github.com/interdict/interdict/internal/cli"
)

// frontCompanies are ownership records around KALAYE ELECTRIC COMPANY
// (ofac-sdn:10122) of the bundled snapshot.
const frontCompanies = `owner,owned,share,role,from,to
ofac-sdn:10122,Northgate Ledger Services FZE,30,shareholder,2021-03-01,
ofac-sdn:10122,Northgate Ledger Services FZE,20-40,beneficial owner,,
Northgate Ledger Services FZE,Gulf Electro Supplies LLC,49.9,,,
Northgate Ledger Services FZE,Old Holding Ltd,100,,2010-01-01,2015-12-31
`

func TestGraphCommands(t *testing.T) {
	home := seededHome(t)
	file := filepath.Join(t.TempDir(), "kyc.csv")
	if err := os.WriteFile(file, []byte(frontCompanies), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, home, "", "graph", "import", file)
	if code != 0 || !strings.Contains(out, "4 ownership records imported") {
		t.Fatalf("graph import: %d %s %s", code, out, errOut)
	}

	code, out, errOut = runCLI(t, home, "", "graph", "ownership", "--json", "Northgate Ledger Services FZE")
	if code != cli.ExitMatch {
		t.Fatalf("graph ownership: exit %d, want %d (blocked); %s %s", code, cli.ExitMatch, out, errOut)
	}
	var rep graph.OwnershipReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if f := rep.Findings[0]; f.Status != graph.StatusBlocked || f.Min != 50 || f.Max != 70 {
		t.Errorf("Northgate Ledger: %+v; want blocked at 50-70%%", f)
	}
	code, out, _ = runCLI(t, home, "", "graph", "ownership", "Gulf Electro Supplies LLC")
	if code != 0 || !strings.Contains(out, "OFAC  not-blocked: held by blocked persons 49.9%") {
		t.Errorf("Gulf Electro: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, home, "", "graph", "paths", "--json", "--hops", "2", "Gulf Electro Supplies LLC")
	var ps []interdict.NetworkPath
	if err := json.Unmarshal([]byte(out), &ps); err != nil || code != cli.ExitMatch || len(ps) == 0 {
		t.Fatalf("graph paths: exit %d %s", code, out)
	}
	if p := ps[0]; p.Target != "ofac-sdn:10122" || len(p.Hops) != 2 || p.Hops[1].Evidence[0].Record != "line 2" {
		t.Errorf("first path %+v; want KALAYE ELECTRIC through Northgate Ledger, from line 2 of kyc.csv", p)
	}
	code, out, _ = runCLI(t, home, "", "graph", "clusters", "--json", "--limit", "5")
	var cs []graph.Cluster
	if err := json.Unmarshal([]byte(out), &cs); err != nil || code != 0 || len(cs) != 5 {
		t.Errorf("graph clusters: exit %d %.300s", code, out)
	}

	code, out, _ = runCLI(t, home, "", "graph", "export", "--format", "graphml", "Northgate Ledger Services FZE")
	if code != 0 || !strings.Contains(out, "<graphml") || !strings.Contains(out, `<node id="ofac-sdn:10122">`) {
		t.Errorf("graph export: exit %d %.500s", code, out)
	}
	code, _, errOut = runCLI(t, home, "", "graph", "export", "--format", "dot")
	if code != cli.ExitUsage || !strings.Contains(errOut, "--format must be graphml or json") {
		t.Errorf("export --format dot: exit %d %s", code, errOut)
	}

	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("owner,owned,share\nA,B,ten\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, home, "", "graph", "import", bad)
	if code != 1 || !strings.Contains(errOut, `bad.csv: line 2: share: "ten" is not a share`) {
		t.Errorf("bad import: exit %d %s", code, errOut)
	}
}

// TestServe_NetworkSignal screens, through the server, a company that the
// ownership records make blocked: the result carries the network signals
// beside its hits, never in their scores.
func TestServe_NetworkSignal(t *testing.T) {
	ts := MustOpenServer(t, func(s *cli.Server) {
		home := s.App.Getenv("INTERDICT_HOME")
		file := filepath.Join(t.TempDir(), "kyc.csv")
		if err := os.WriteFile(file, []byte(frontCompanies), 0o600); err != nil {
			t.Fatal(err)
		}
		if code, out, errOut := runCLI(t, home, "", "graph", "import", file); code != 0 {
			t.Fatalf("graph import: %d %s %s", code, out, errOut)
		}
	})
	var res interdict.ScreenResult
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, body := ts.do(t, "POST /v1/screen", call{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":"Northgate Ledger Services FZE"}`})
		if resp.StatusCode != 200 {
			t.Fatalf("POST /v1/screen: %d %s", resp.StatusCode, body)
		}
		if err := json.Unmarshal(body, &res); err != nil {
			t.Fatal(err)
		}
		if len(res.Network) > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(res.Network) != 2 || res.Network[0].Signal != interdict.SignalBlocked || res.Network[1].Signal != interdict.SignalConnected {
		t.Fatalf("network signals %+v; want blocked by ownership, then connected", res.Network)
	}
	if !strings.Contains(res.Network[0].Explanation, "ofac-sdn:10122 30%") {
		t.Errorf("explanation %q", res.Network[0].Explanation)
	}
	if res.Alert {
		t.Errorf("the network signal raised the name-score alert: %+v", res.Hits)
	}
	// The screening page shows the signals apart from the hits, with a
	// link to the drawing of the network.
	resp, page := ts.do(t, "", call{method: "GET", path: "/?name=Northgate+Ledger+Services+FZE", header: map[string]string{"Accept": "text/html"}})
	if resp.StatusCode != 200 || !strings.Contains(string(page), "<strong>blocked by ownership</strong>") ||
		!strings.Contains(string(page), `href="/graph?id=`) {
		t.Errorf("screening page: %d, lacks the network signal:\n%s", resp.StatusCode, page)
	}
	t.Run("Browser", func(t *testing.T) { graphBrowser(t, ts, reviewTeam(t, ts.Home, "")) })
}

// graphBrowser signs in as an analyst, opens the network page of the
// front company, sees Cytoscape draw it and the evidence of a link.
func graphBrowser(t *testing.T, ts *testServer, _ map[string]string) {
	ctx := newBrowser(t)
	b := &browser{t: t, ctx: ctx, ts: ts, dir: artifacts(t)}
	b.do(
		chromedp.Navigate(ts.URL()+"/graph"),
		chromedp.WaitVisible(chromedp.ID("password")), // the network is stored data: sign in
		chromedp.SendKeys(chromedp.ID("name"), "ana"),
		chromedp.SendKeys(chromedp.ID("password"), webPassword),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.ID("graph-id")),
		chromedp.SendKeys(chromedp.ID("graph-id"), "Northgate Ledger Services FZE"),
		chromedp.Submit(chromedp.ID("graph-id")),
		chromedp.WaitVisible(chromedp.ID("graph")),
	)
	n, err := chromedp.Run(ctx, chromedp.Poll[int](`window.interdictGraph && window.interdictGraph.nodes().length`, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		b.fail(err)
	}
	if n < 3 {
		t.Errorf("Cytoscape drew %d nodes, want the company, its subsidiary and KALAYE ELECTRIC", n)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.interdictGraph.edges('[type = "owns"]')[0].emit("tap"), 1`)); err != nil {
		b.fail(err)
	}
	b.screenshot("graph-northgate.png")
	if sel := b.text("#graph-selected"); !strings.Contains(sel, "ownership records: kyc.csv") || !strings.Contains(sel, "owns") {
		t.Errorf("the selected link shows %q, want its type and evidence", sel)
	}
	if own := b.text("#own-h + table"); !strings.Contains(own, "blocked") || !strings.Contains(own, "ofac-sdn:10122 30%") {
		t.Errorf("the ownership table says %q", own)
	}
}
