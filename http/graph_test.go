package http_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/graph"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/sqlite"
)

// MustOpenGraphServer is a server with users, a network over the test
// lists (ofac-sdn:1 linked to ofac-sdn:2) and an ownership store.
func MustOpenGraphServer(t *testing.T) *userServer {
	t.Helper()
	db := sqlite.NewDB(t.TempDir() + "/own.db")
	if err := db.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return MustOpenUserServer(t, true, func(s *interdicthttp.Server) {
		own := sqlite.NewOwnershipStore(db)
		s.Ownerships = own
		// The current versions of the test store, read as the screening
		// service reads them.
		ctx := context.Background()
		var ents []interdict.Entity
		vs, err := s.Lists.FindCurrentVersions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			es, err := s.Lists.FindEntities(ctx, v.List, v.Version)
			if err != nil {
				t.Fatal(err)
			}
			ents = append(ents, es...)
		}
		s.Network = &graph.Live{Ownerships: own, Entities: func() ([]interdict.Entity, any) { return ents, &vs }}
	})
}

func TestServer_Graph(t *testing.T) {
	srv := MustOpenGraphServer(t)
	doc := mustDoc(t)
	bot, ana := bearer(srv.Keys["bot"]), bearer(srv.Keys["ana"])
	call := func(method, pattern, path, body string, h map[string]string, want int) []byte {
		t.Helper()
		resp, b := do(t, srv.Server, req{method: method, path: path, ctype: "text/csv", body: body, header: h})
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d %s, want %d", method, path, resp.StatusCode, b, want)
		}
		if err := doc.ValidateResponse(pattern, resp.StatusCode, resp.Header.Get("Content-Type"), b); err != nil {
			t.Errorf("%s %s: %v", method, path, err)
		}
		return b
	}
	csv := "owner,owned,share,role\nofac-sdn:1,Front Co,30,shareholder\nofac-sdn:2,Front Co,20-40,\nFront Co,Sub Co,49.9,\n"
	call("POST", "POST /v1/graph/ownerships", "/v1/graph/ownerships", csv, bot, 400) // no source
	call("POST", "POST /v1/graph/ownerships", "/v1/graph/ownerships?source=kyc.csv", "owner,owned,share\nA,B,150\n", bot, 422)
	call("POST", "POST /v1/graph/ownerships", "/v1/graph/ownerships?source=kyc.csv", csv, ana, 403) // analysts read only
	b := call("POST", "POST /v1/graph/ownerships", "/v1/graph/ownerships?source=kyc.csv", csv, bot, 200)
	var imp interdicthttp.OwnershipsResponse
	if err := json.Unmarshal(b, &imp); err != nil || imp.Imported != 3 {
		t.Fatalf("import: %s", b)
	}

	b = call("GET", "GET /v1/graph/ownership/{id}", "/v1/graph/ownership/"+url.PathEscape("Front Co"), "", ana, 200)
	var rep graph.OwnershipReport
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if f := rep.Findings[0]; f.Status != graph.StatusBlocked || f.Min != 50 || f.Max != 70 {
		t.Errorf("Front Co: %+v; want blocked, 50-70%%", f)
	}
	b = call("GET", "GET /v1/graph/ownership/{id}", "/v1/graph/ownership/"+url.PathEscape("Sub Co"), "", ana, 200)
	if err := json.Unmarshal(b, &rep); err != nil || rep.Findings[0].Status != graph.StatusNotBlocked || rep.Findings[0].Min != 49.9 {
		t.Errorf("Sub Co: %s; want not blocked at 49.9%%", b)
	}
	call("GET", "GET /v1/graph/ownership/{id}", "/v1/graph/ownership/nobody", "", ana, 404)

	b = call("GET", "GET /v1/graph/paths/{id}", "/v1/graph/paths/"+url.PathEscape("Sub Co")+"?hops=3", "", ana, 200)
	var pr interdicthttp.PathsResponse
	if err := json.Unmarshal(b, &pr); err != nil || len(pr.Paths) != 2 || len(pr.Paths[0].Hops) != 2 {
		t.Errorf("paths from Sub Co: %s; want both SDN entries in 2 hops", b)
	}
	call("GET", "GET /v1/graph/paths/{id}", "/v1/graph/paths/x?hops=9", "", ana, 400)
	call("GET", "GET /v1/graph/clusters", "/v1/graph/clusters", "", ana, 200)
	b = call("GET", "GET /v1/graph/neighbourhood/{id}", "/v1/graph/neighbourhood/ofac-sdn:1", "", ana, 200)
	var sub graph.Subgraph
	if err := json.Unmarshal(b, &sub); err != nil || len(sub.Nodes) != 4 || sub.Center != "ofac-sdn:1" {
		t.Errorf("neighbourhood of ofac-sdn:1: %s", b)
	}
	resp, gml := do(t, srv.Server, req{method: "GET", path: "/v1/graph/neighbourhood/ofac-sdn:1?format=graphml", header: ana})
	if resp.StatusCode != 200 || !strings.Contains(string(gml), `<graphml xmlns="http://graphml.graphdrawing.org/xmlns">`) || !strings.Contains(string(gml), `source="ofac-sdn:1"`) {
		t.Errorf("GraphML: %d %.300s", resp.StatusCode, gml)
	}
	b = call("GET", "GET /v1/graph/ownerships", "/v1/graph/ownerships?node="+url.QueryEscape("Front Co"), "", ana, 200)
	if err := json.Unmarshal(b, &imp); err != nil || len(imp.Ownerships) != 3 {
		t.Errorf("records of Front Co: %s", b)
	}

	// The page: the neighbourhood as data for graph.js (escaped: the test
	// lists' names are hostile), Cytoscape from our own assets.
	resp, page := do(t, srv.Server, req{method: "GET", path: "/graph?id=ofac-sdn:1", header: mergeHeaders(ana, map[string]string{"Accept": "text/html"})})
	if resp.StatusCode != 200 {
		t.Fatalf("GET /graph: %d %s", resp.StatusCode, page)
	}
	for _, want := range []string{`<script src="/static/cytoscape.min.js" defer></script>`, `<script src="/static/graph.js" defer></script>`, `id="graph-data"`, `"center":"ofac-sdn:1"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if strings.Contains(string(page), "<script>alert") || strings.Contains(string(page), "<img src=x") {
		t.Errorf("the page carries a list's hostile name unescaped")
	}
	for _, asset := range []string{"/static/cytoscape.min.js", "/static/graph.js"} {
		if resp, b := do(t, srv.Server, req{method: "GET", path: asset}); resp.StatusCode != 200 || len(b) < 1000 {
			t.Errorf("GET %s: %d, %d bytes", asset, resp.StatusCode, len(b))
		}
	}
}

func mergeHeaders(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
