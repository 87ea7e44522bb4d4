package http_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/classify"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/screen"
)

// withGoods gives a server the real goods classifier, screening end users
// through the server's PartyScreener.
func withGoods(tb testing.TB) func(*interdicthttp.Server) {
	return func(s *interdicthttp.Server) {
		c, err := classify.New(classify.Options{Screener: s.PartyScreener(), CountryCode: func(s string) string {
			switch strings.ToUpper(strings.TrimSpace(s)) {
			case "IR", "IRAN":
				return "IR"
			case "AE", "FR":
				return strings.ToUpper(strings.TrimSpace(s))
			}
			return ""
		}})
		if err != nil {
			tb.Fatal(err)
		}
		s.Goods = c
	}
}

func TestServer_Goods(t *testing.T) {
	_, ts := MustOpenServer(t, false, withGoods(t), func(s *interdicthttp.Server) { s.MaxBodyBytes = 4 << 10 })
	doc := mustDoc(t)
	const pattern = "POST /v1/goods/classify"
	tests := []struct {
		name   string
		ctype  string
		body   string
		status int
		want   []string // substrings of the body
	}{
		{"Listed", "application/json", `{"description":"frequency converter, multiphase, 40 kW, 600-2000 Hz, ±0.1 %","id":"line-1"}`, 200,
			[]string{`"verdict":"listed"`, `"entry":"3A225`, `"basis":"3A225`, `"item":{"id":"line-1"`}},
		{"Candidate", "application/json", `{"description":"centrifugal pump, wetted parts of Hastelloy, 50 m3/h","hs":"8413.70"}`, 200,
			[]string{`"verdict":"candidate"`, `"entry":"2B350.i"`, `"tariff":"HS 841370 → 2B350.i"`, `"missing_parameters":[`, `"matched_terms":[`}},
		{"HSOnly", "application/json", `{"hs":"9401.30"}`, 200, []string{`"verdict":"not-listed"`, `"hs6":"940130"`}},
		{"Embargo", "application/json", `{"description":"office chairs","destination":"Iran"}`, 200,
			[]string{`"country":"IR"`, `"legal_basis":`, `31 CFR Part 560`, `"attention":true}`}},
		{"EndUserHit", "application/json", `{"description":"office chairs","end_user":"Majid Kakavand","destination":"AE"}`, 200,
			[]string{`"end_user":{"name":"Majid Kakavand","screened":true,"attention":true,"hits":[{"entity_id":"ofac-sdn:1"`}},
		{"EndUserClear", "application/json", `{"description":"office chairs","end_user":"Jane Ordinary"}`, 200,
			[]string{`"end_user":{"name":"Jane Ordinary","screened":true,"attention":false}`}},
		{"NoEscaping", "application/json", `{"description":"pump <b> & valve > 5 bar"}`, 200, []string{`"description":"pump <b> & valve > 5 bar"`}},

		{"MalformedJSON", "application/json", `{"description":`, 400, []string{`ends too early`}},
		{"UnknownField", "application/json", `{"description":"pump","hs_code":"8413"}`, 400, []string{`Unknown field \"hs_code\"`}},
		{"WrongFieldType", "application/json", `{"description":"pump","quantity":5}`, 400, []string{`Field \"quantity\" must be a string`}},
		{"TwoObjects", "application/json", `{"description":"a"}{"description":"b"}`, 400, []string{`exactly one`}},
		{"HugeBody", "application/json", `{"description":"` + strings.Repeat("a", 8<<10) + `"}`, 413, []string{`larger than the limit`}},
		{"WrongContentType", "text/plain", `{"description":"pump"}`, 415, []string{`Content-Type must be application/json`}},
		{"NoDescription", "application/json", `{"destination":"IR"}`, 422, []string{`description is required (or give hs)`, `"field":"description"`}},
		{"BadHS", "application/json", `{"description":"pump","hs":"84-13-AB"}`, 422, []string{`hs must be a tariff code`, `"field":"hs"`}},
		{"ShortHS", "application/json", `{"hs":"8"}`, 422, []string{`hs must be a tariff code`}},
		{"LongDescription", "application/json", `{"description":"` + strings.Repeat("a", 2001) + `"}`, 422, []string{`description must be at most 2000 bytes`}},
		{"NotUTF8", "application/json", "{\"description\":\"pump\",\"end_user\":\"\xff\"}", 200, []string{`"verdict"`}}, // the decoder replaces invalid bytes
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, ts, req{method: "POST", path: "/v1/goods/classify", ctype: tt.ctype, body: tt.body})
			if resp.StatusCode != tt.status {
				t.Fatalf("POST %s: %d, want %d: %s", trim([]byte(tt.body)), resp.StatusCode, tt.status, trim(body))
			}
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("POST %s:\n%s\nwant it to contain %s", trim([]byte(tt.body)), trim(body), w)
				}
			}
			if tt.status >= 400 {
				var p interdicthttp.Problem
				if err := json.Unmarshal(body, &p); err != nil || p.Status != tt.status || p.Detail == "" || p.RequestID == "" {
					t.Errorf("problem %s: %+v, %v", trim(body), p, err)
				}
			}
			if err := doc.ValidateResponse(pattern, resp.StatusCode, resp.Header.Get("Content-Type"), body); err != nil {
				t.Errorf("response does not match the OpenAPI document: %v\n%s", err, trim(body))
			}
		})
	}
}

// TestServer_GoodsDecision: the decision and its reasons lead the answer,
// a listed end user decides everyday goods, and an unknown destination is
// a 422.
func TestServer_GoodsDecision(t *testing.T) {
	_, ts := MustOpenServer(t, false, withGoods(t))
	doc := mustDoc(t)
	tests := []struct {
		name, body string
		status     int
		want       string
	}{
		{"ListedEndUser", `{"description":"office chairs","end_user":"Majid Kakavand"}`, 200,
			`{"decision":"prohibited","reasons":[{"source":"end-user","decision":"prohibited","text":"end user \"Majid Kakavand\" matches Majid Kakavand (ofac-sdn, ofac-sdn:1)`},
		{"Embargo", `{"description":"office chairs","destination":"IR"}`, 200,
			`{"decision":"prohibited","reasons":[{"source":"destination","decision":"prohibited"`},
		{"Clear", `{"description":"office chairs","destination":"FR"}`, 200, `{"decision":"no-licence-required","reasons":[{"source":"goods"`},
		{"UnknownDestination", `{"description":"office chairs","destination":"Narnia"}`, 422, `Destination \"Narnia\" is not a country`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, ts, req{method: "POST", path: "/v1/goods/classify", ctype: "application/json", body: tt.body})
			if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.want) {
				t.Errorf("%s: %d %s\nwant %d with %s", tt.body, resp.StatusCode, trim(body), tt.status, tt.want)
			}
			if err := doc.ValidateResponse("POST /v1/goods/classify", resp.StatusCode, resp.Header.Get("Content-Type"), body); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestServer_GoodsNotReady classifies before any list is loaded: a line
// with no end user is classified, one with an end user is refused with 503
// rather than passed unscreened.
func TestServer_GoodsNotReady(t *testing.T) {
	_, ts := MustOpenServer(t, true, withGoods(t))
	doc := mustDoc(t)
	resp, body := do(t, ts, req{method: "POST", path: "/v1/goods/classify", ctype: "application/json", body: `{"description":"office chairs"}`})
	if resp.StatusCode != 200 {
		t.Errorf("no end user, no lists: %d %s, want 200", resp.StatusCode, trim(body))
	}
	resp, body = do(t, ts, req{method: "POST", path: "/v1/goods/classify", ctype: "application/json", body: `{"description":"office chairs","end_user":"ACME"}`})
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "cannot be screened yet") {
		t.Errorf("end user, no lists: %d (Retry-After %q) %s, want 503", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if err := doc.ValidateResponse("POST /v1/goods/classify", resp.StatusCode, resp.Header.Get("Content-Type"), body); err != nil {
		t.Error(err)
	}
	resp, body = do(t, ts, req{method: "POST", path: "/v1/goods/classify/batch", ctype: "application/x-ndjson",
		body: "{\"description\":\"office chairs\"}\n{\"description\":\"office chairs\",\"end_user\":\"ACME\"}\n"})
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if resp.StatusCode != 200 || len(lines) != 2 || !strings.Contains(lines[0], `"verdict":"not-listed"`) || !strings.Contains(lines[1], `"status":503`) {
		t.Errorf("batch before the lists: %d\n%s", resp.StatusCode, body)
	}
	if err := doc.ValidateResponse("POST /v1/goods/classify/batch", resp.StatusCode, resp.Header.Get("Content-Type"), body); err != nil {
		t.Error(err)
	}
}

// TestServer_GoodsUnavailable checks a server with no classifier.
func TestServer_GoodsUnavailable(t *testing.T) {
	_, ts := MustOpenServer(t, false)
	doc := mustDoc(t)
	for _, r := range []req{
		{method: "POST", path: "/v1/goods/classify", ctype: "application/json", body: `{"description":"pump"}`},
		{method: "POST", path: "/v1/goods/classify/batch", ctype: "application/x-ndjson", body: `{"description":"pump"}`},
	} {
		resp, body := do(t, ts, r)
		if resp.StatusCode != 503 || !strings.Contains(string(body), "not available") {
			t.Errorf("%s without a classifier: %d %s, want 503", r.path, resp.StatusCode, body)
		}
		if err := doc.ValidateResponse("POST "+r.path, resp.StatusCode, resp.Header.Get("Content-Type"), body); err != nil {
			t.Error(err)
		}
	}
}

func TestServer_GoodsBatch(t *testing.T) {
	_, ts := MustOpenServer(t, false, withGoods(t), func(s *interdicthttp.Server) {
		s.MaxBatchLines = 4
		s.MaxLineBytes = 300
	})
	doc := mustDoc(t)
	tests := []struct {
		name  string
		ctype string
		body  string
		lines []string // substrings of each output line
	}{
		{"OK", "application/x-ndjson", "{\"description\":\"office chairs\",\"id\":\"a\"}\n\n{\"description\":\"pressure transducers\",\"end_user\":\"Majid\"}\r\n{\"hs\":\"8413.70\"}",
			[]string{`{"line":1,"decision":"no-licence-required"`, `"line":3,"decision":"prohibited","reasons":[{"source":"end-user","decision":"prohibited"`, `"line":4,"decision"`}},
		{"BadLines", "application/jsonl", "{\"description\":\"pump\"\n{\"descr\":\"pump\"}\n{\"destination\":\"IR\"}\n{\"description\":\"pump\"} 7",
			[]string{`"line":1,"error":{"type":"about:blank","title":"Bad Request","status":400,"detail":"Line 1: The body is not valid JSON`,
				`"line":2,"error":{"type":"about:blank","title":"Bad Request","status":400,"detail":"Line 2: Unknown field \"descr\"`,
				`"status":422,"detail":"Line 3: Invalid line item: description is required`,
				`"detail":"Line 4: A line must hold exactly one JSON object."`}},
		{"TooManyLines", "application/x-ndjson", strings.Repeat("{\"hs\":\"9401\"}\n", 6),
			[]string{`"line":1`, `"line":2`, `"line":3`, `"line":4`, `"line":5,"error":{"type":"about:blank","title":"Request Entity Too Large","status":413`}},
		{"LineTooLong", "application/x-ndjson", "{\"hs\":\"9401\"}\n{\"description\":\"" + strings.Repeat("x", 400) + "\"}\n{\"hs\":\"9401\"}\n",
			[]string{`"line":1,"decision"`, `"line":2,"error":{"type":"about:blank","title":"Request Entity Too Large","status":413`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, ts, req{method: "POST", path: "/v1/goods/classify/batch", ctype: tt.ctype, body: tt.body})
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/x-ndjson" {
				t.Fatalf("status %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), trim(body))
			}
			got := strings.Split(strings.TrimSpace(string(body)), "\n")
			if len(got) != len(tt.lines) {
				t.Fatalf("%d lines, want %d:\n%s", len(got), len(tt.lines), body)
			}
			for i, want := range tt.lines {
				if !strings.Contains(got[i], want) {
					t.Errorf("line %d: %s\nwant it to contain %s", i+1, trim([]byte(got[i])), want)
				}
			}
			if err := doc.ValidateResponse("POST /v1/goods/classify/batch", resp.StatusCode, resp.Header.Get("Content-Type"), body); err != nil {
				t.Error(err)
			}
		})
	}
	for _, ct := range []string{"application/json", "text/csv", ""} {
		resp, body := do(t, ts, req{method: "POST", path: "/v1/goods/classify/batch", ctype: ct, body: `{"hs":"9401"}`})
		if resp.StatusCode != 415 {
			t.Errorf("batch as %q: %d %s, want 415", ct, resp.StatusCode, body)
		}
	}
}

// TestServer_GoodsBatchKeepsSnapshot swaps the lists in the middle of a
// goods batch: its end users are screened on the snapshot it started with
// to the end, and a request after the swap screens on the new one.
func TestServer_GoodsBatchKeepsSnapshot(t *testing.T) {
	s, ts := MustOpenServer(t, false, withGoods(t))
	pr, pw := io.Pipe()
	hr, _ := http.NewRequest("POST", ts.URL+"/v1/goods/classify/batch", pr)
	hr.Header.Set("Content-Type", "application/x-ndjson")
	respc := make(chan *http.Response, 1)
	go func() {
		resp, err := ts.Client().Do(hr)
		if err != nil {
			t.Error(err)
			close(respc)
			return
		}
		respc <- resp
	}()
	const line = `{"description":"office chairs","end_user":"Majid"}`
	fmt.Fprintln(pw, line)
	resp := <-respc
	if resp == nil {
		t.FailNow()
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	var first, second interdict.Classification
	if err := dec.Decode(&first); err != nil {
		t.Fatal(err)
	}
	// The new lists no longer hold Majid Kakavand.
	s.Service.Swap(&screen.Index{Screener: &fakeScreener{version: "3"}, Threshold: 0.8})
	fmt.Fprintln(pw, line)
	pw.Close()
	if err := dec.Decode(&second); err != nil {
		t.Fatal(err)
	}
	if first.EndUser == nil || second.EndUser == nil || len(first.EndUser.Hits) != 1 || len(second.EndUser.Hits) != 1 {
		t.Errorf("batch end users: %+v and %+v, want one hit each (the snapshot the batch started with)", first.EndUser, second.EndUser)
	}
	_, body := do(t, ts, req{method: "POST", path: "/v1/goods/classify", ctype: "application/json", body: line})
	if !strings.Contains(string(body), `"end_user":{"name":"Majid","screened":true,"attention":false}`) {
		t.Errorf("a request after the swap: %s, want no hit", trim(body))
	}
}

func TestServer_GoodsMetrics(t *testing.T) {
	_, ts := MustOpenServer(t, false, withGoods(t))
	for _, b := range []string{
		`{"description":"frequency converter, multiphase, 40 kW, 600-2000 Hz, ±0.1 %"}`,
		`{"description":"pressure transducers"}`,
		`{"description":"office chairs","end_user":"Majid Kakavand"}`,
	} {
		if resp, body := do(t, ts, req{method: "POST", path: "/v1/goods/classify", ctype: "application/json", body: b}); resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", b, resp.StatusCode, body)
		}
	}
	do(t, ts, req{method: "GET", path: "/goods?description=office+chairs"})
	_, body := do(t, ts, req{method: "GET", path: "/metrics"})
	for _, want := range []string{
		`interdict_goods_classifications_total 4`,
		`interdict_goods_verdicts_total{verdict="listed"} 1`,
		`interdict_goods_verdicts_total{verdict="candidate"} 1`,
		`interdict_goods_verdicts_total{verdict="not-listed"} 2`,
		`interdict_goods_attention_total 2`,
		`interdict_screens_total 1`, // the end user
		`interdict_alerts_total 1`,
		`interdict_http_requests_total{code="200",method="POST",route="POST /v1/goods/classify"} 3`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestServer_GoodsUI(t *testing.T) {
	_, ts := MustOpenServer(t, false, withGoods(t))
	tests := []struct {
		name    string
		path    string
		status  int
		want    []string
		notWant []string
	}{
		{"Form", "/goods", 200, []string{`<a href="/goods" aria-current="page">Goods</a>`, `<label for="description">Description`, `<label for="hs">HS code</label>`,
			`<label for="destination">Destination</label>`, `<label for="end_user">End user</label>`, `<button type="submit">Classify</button>`}, []string{`id="results-title"`}},
		{"Candidate", "/goods?description=centrifugal+pump%2C+wetted+parts+of+Hastelloy%2C+50+m3%2Fh&hs=8413.70&destination=Iran&end_user=Majid+Kakavand", 200, []string{
			`Decision: <span class="badge decision d-prohibited">prohibited</span>`,
			`<span class="tag">end-user</span> end user &#34;Majid Kakavand&#34; matches Majid Kakavand (ofac-sdn, ofac-sdn:1)`,
			`<span class="tag">destination</span> US comprehensive-embargo on IR`,
			`Goods verdict: <span class="badge verdict v-candidate">candidate</span>`,
			`<details>`, // candidate entries collapsed
			`<blockquote class="basis">2B350.i (Australia Group) may apply: &#34;Multiple-seal`, // the basis cites the entry text
			`<code>2B350.i</code> · Australia Group`,
			`<mark class="m-exact" title="exact term">pumps</mark>`,                    // matched term marked in the entry text
			`<mark class="m-exact" title="matched term">pump</mark>`,                   // and in the description
			`<th scope="row">maximum flow rate</th><td>50 m3/h</td>`,                   // stated
			`<h4>Missing parameters</h4>`, `multiple-seal or seal-less pump (2B350.i)`, // missing
			`<cite>31 CFR Part 560`, // destination rule with its citation
			`Licence summary`,
			`<a href="/entities/ofac-sdn:1">Majid Kakavand</a>`, // end-user hit linking to the entity page
			`related entries`,
			`US Commerce Control List, EU Dual-Use Annex I`,
		}, nil},
		{"UnknownDestination", "/goods?description=pump&destination=" + urlEsc(hostile), 422, []string{`role="alert"`, `Destination &#34;&lt;script&gt;`}, []string{hostile}},
		{"Hostile", "/goods?description=" + urlEsc(hostile+" pump") + "&hs=&destination=AE&end_user=evil&address=" + urlEsc(`"><img src=x onerror=alert(1)>`), 200, []string{
			`&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`,
			`<a href="/entities/ofac-sdn:2">Evil &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Ltd</a>`,
			`value="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"`,
		}, []string{hostile, `<img src=x`}},
		{"Synonym", "/goods?description=Hastelloy+pump", 200, []string{`<mark class="m-synonym" title="synonym term">alloy</mark>`}, nil}, // hastelloy ≈ alloy in 2B233.c.1
		{"Invalid", "/goods?description=pump&hs=abc", 422, []string{`role="alert"`, `hs must be a tariff code`}, nil},
		{"HSOnly", "/goods?hs=9401.30", 200, []string{`v-not-listed`, `<code>9401.30</code>`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, ts, req{method: "GET", path: tt.path, header: map[string]string{"Accept": "text/html"}})
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s: %d, want %d: %s", tt.path, resp.StatusCode, tt.status, trim(body))
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" || resp.Header.Get("Content-Security-Policy") == "" {
				t.Errorf("GET %s: Content-Type %q, CSP %q", tt.path, ct, resp.Header.Get("Content-Security-Policy"))
			}
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("GET %s: body lacks %s", tt.path, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(string(body), w) {
					t.Errorf("GET %s: body contains %s", tt.path, w)
				}
			}
		})
	}
}

func urlEsc(s string) string { return url.QueryEscape(s) }
