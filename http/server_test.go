package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interdict/interdict"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/http/openapitest"
	"github.com/interdict/interdict/inmem"
	"github.com/interdict/interdict/screen"
	"github.com/xuri/excelize/v2"
)

// fakeScreener returns one hit per query whose name contains a listed
// entity's name, scoring 0.9, and records the version it stands for.
type fakeScreener struct {
	version  string
	entities []interdict.Entity
	screen   func(ctx context.Context, q interdict.Query) (*interdict.ScreenResult, error)
}

func (f *fakeScreener) Screen(ctx context.Context, q interdict.Query) (*interdict.ScreenResult, error) {
	if f.screen != nil {
		return f.screen(ctx, q)
	}
	res := &interdict.ScreenResult{Query: q, Policy: "fakepolicy", Lists: map[string]string{"ofac-sdn": f.version}, Hits: []interdict.Hit{}}
	for _, e := range f.entities {
		if strings.Contains(strings.ToLower(e.PrimaryName()), strings.ToLower(q.Name)) {
			res.Hits = append(res.Hits, interdict.Hit{EntityID: e.ID, List: e.List, Kind: e.Kind, Name: e.PrimaryName(), MatchedName: e.PrimaryName(), Score: 0.9, Alert: true,
				Programs: e.Programs,
				Explanation: interdict.Explanation{NameScore: 0.9, QueryForm: strings.ToLower(q.Name), EntityForm: strings.ToLower(e.PrimaryName()),
					Alignment: []interdict.TokenMatch{{Query: strings.ToLower(q.Name), Entity: strings.ToLower(q.Name), Similarity: 1, Kind: interdict.MatchExact, Weight: 1}},
					Evidence:  []interdict.Evidence{{Feature: "dob", Query: q.DOB, Entity: "1970", Effect: -0.1, Note: "different year"}}}})
			res.Alert = true
		}
	}
	return res, nil
}

// fakeStore is an in-memory interdict.ListStore holding versions of one
// list.
type fakeStore struct {
	versions []*interdict.ListVersion
	entities map[int][]interdict.Entity
}

func (s *fakeStore) CreateListVersion(ctx context.Context, v *interdict.ListVersion, es []interdict.Entity) error {
	return interdict.Errorf(interdict.EINVALID, "read only")
}

func (s *fakeStore) FindListVersions(ctx context.Context, list string) ([]*interdict.ListVersion, error) {
	var out []*interdict.ListVersion
	for i := len(s.versions) - 1; i >= 0; i-- {
		if list == "" || s.versions[i].List == list {
			out = append(out, s.versions[i])
		}
	}
	return out, nil
}

func (s *fakeStore) FindCurrentVersions(ctx context.Context) ([]*interdict.ListVersion, error) {
	return []*interdict.ListVersion{s.versions[len(s.versions)-1]}, nil
}

func (s *fakeStore) FindListVersion(ctx context.Context, list string, version int) (*interdict.ListVersion, error) {
	for _, v := range s.versions {
		if v.List == list && v.Version == version {
			return v, nil
		}
	}
	return nil, interdict.Errorf(interdict.ENOTFOUND, "List %s has no version %d.", list, version)
}

func (s *fakeStore) FindEntities(ctx context.Context, list string, version int) ([]interdict.Entity, error) {
	if _, err := s.FindListVersion(ctx, list, version); err != nil {
		return nil, err
	}
	return s.entities[version], nil
}

func (s *fakeStore) FindEntityByID(ctx context.Context, id string) (*interdict.Entity, *interdict.ListVersion, error) {
	v := s.versions[len(s.versions)-1]
	for _, e := range s.entities[v.Version] {
		if e.ID == id {
			return &e, v, nil
		}
	}
	return nil, nil, interdict.Errorf(interdict.ENOTFOUND, "No entity %s.", id)
}

func (s *fakeStore) SetCurrentVersion(ctx context.Context, list string, version int) error {
	return nil
}

func (s *fakeStore) Generation(ctx context.Context) (string, error) {
	v := s.versions[len(s.versions)-1]
	return fmt.Sprintf("%s:%d", v.List, v.Version), nil
}

// hostile is list data written to break out of HTML.
const hostile = `<script>alert("x")</script>`

func newFakeStore() *fakeStore {
	e1 := interdict.Entity{ID: "ofac-sdn:1", List: "ofac-sdn", SourceID: "1", Kind: interdict.KindPerson, Programs: []string{"IRAN"},
		SourceURL: "javascript:alert(1)",
		Names:     []interdict.Name{{Full: "Majid Kakavand", Quality: interdict.NamePrimary, Script: "Latn"}, {Full: "مجید کاکاوند", Quality: interdict.NameOriginal, Script: "Arab"}},
		Remarks:   []string{hostile}, Relations: []interdict.Relation{{Type: interdict.RelLinkedTo, Target: "ofac-sdn:2", TargetName: "Evil " + hostile}}}
	e2 := interdict.Entity{ID: "ofac-sdn:2", List: "ofac-sdn", SourceID: "2", Kind: interdict.KindOrganization, Names: []interdict.Name{{Full: "Evil " + hostile + " Ltd", Quality: interdict.NamePrimary}}}
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	return &fakeStore{
		versions: []*interdict.ListVersion{
			{List: "ofac-sdn", Version: 1, Publisher: "OFAC", Format: "ofac-xml", ImportedAt: now, Checksum: "a", Total: 1, Counts: map[interdict.Kind]int{interdict.KindPerson: 1}},
			{List: "ofac-sdn", Version: 2, Publisher: "OFAC", Format: "ofac-xml", Published: "2026-11-20", ImportedAt: now.Add(time.Hour), Checksum: "b", Total: 2, Current: true,
				Counts: map[interdict.Kind]int{interdict.KindPerson: 1, interdict.KindOrganization: 1}},
		},
		entities: map[int][]interdict.Entity{1: {e1}, 2: {e1, e2}},
	}
}

func snapshot(st *fakeStore, version string) *screen.Index {
	return &screen.Index{
		Screener: &fakeScreener{version: version, entities: st.entities[2]}, Threshold: 0.8,
		Versions: st.versions[1:], Entities: 2, Names: 3, BuiltAt: time.Now(), BuildTime: time.Millisecond,
	}
}

// newServer returns a server over st, screening through a service with
// the default policy and no index.
func newServer(tb testing.TB, st interdict.ListStore) *interdicthttp.Server {
	tb.Helper()
	svc, err := screen.NewService(screen.ServiceConfig{Lists: st, Policy: screen.DefaultPolicy()})
	if err != nil {
		tb.Fatal(err)
	}
	s := interdicthttp.NewServer(st, svc, interdicthttp.LocalAuth{})
	s.Jobs = inmem.NewJobStore()
	return s
}

// MustOpenServer starts an interdicthttp.Server over a fake store, loaded
// with a fake snapshot unless empty, on an httptest listener.
func MustOpenServer(tb testing.TB, empty bool, configure ...func(*interdicthttp.Server)) (*interdicthttp.Server, *httptest.Server) {
	tb.Helper()
	st := newFakeStore()
	s := newServer(tb, st)
	s.LoopbackHosts = true
	for _, c := range configure {
		c(s)
	}
	if !empty {
		s.Service.Swap(snapshot(st, "2"))
	}
	ts := httptest.NewServer(s.Handler())
	tb.Cleanup(func() {
		ts.Close()
		s.Close()
	})
	return s, ts
}

func mustDoc(tb testing.TB) *openapitest.Doc {
	tb.Helper()
	doc, err := openapitest.Load(interdicthttp.OpenAPI())
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

type req struct {
	method, path, ctype, body string
	header                    map[string]string
}

func do(tb testing.TB, ts *httptest.Server, r req) (*http.Response, []byte) {
	tb.Helper()
	hr, err := http.NewRequest(r.method, ts.URL+r.path, strings.NewReader(r.body))
	if err != nil {
		tb.Fatal(err)
	}
	if r.ctype != "" {
		hr.Header.Set("Content-Type", r.ctype)
	}
	for k, v := range r.header {
		if k == "Host" {
			hr.Host = v
			continue
		}
		hr.Header.Set(k, v)
	}
	resp, err := ts.Client().Do(hr)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp, b
}

// TestServer_OpenAPI checks that every API route is documented and every
// documented operation is routed.
func TestServer_OpenAPI(t *testing.T) {
	s, ts := MustOpenServer(t, false)
	doc := mustDoc(t)
	routes := s.Routes()
	sort.Strings(routes)
	ops := doc.Operations()
	for _, r := range routes {
		if !slices.Contains(ops, r) {
			t.Errorf("route %s is not in the OpenAPI document", r)
		}
	}
	for _, o := range ops {
		if !slices.Contains(routes, o) {
			t.Errorf("documented operation %s has no route", o)
		}
	}
	resp, body := do(t, ts, req{method: "GET", path: "/openapi.json"})
	if resp.StatusCode != 200 || !bytes.Equal(body, interdicthttp.OpenAPI()) {
		t.Errorf("GET /openapi.json: %d, %d bytes; want the embedded document", resp.StatusCode, len(body))
	}
}

func TestServer_API(t *testing.T) {
	_, ts := MustOpenServer(t, false)
	doc := mustDoc(t)
	tests := []struct {
		name    string
		pattern string
		req     req
		status  int
		want    string // substring of the body
	}{
		{"ScreenPost", "POST /v1/screen", req{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":"Majid Kakavand","type":"individual","dob":"1970","country":"IR","id":"row-1"}`}, 200, `"entity_id":"ofac-sdn:1"`},
		{"ScreenPostCharset", "POST /v1/screen", req{method: "POST", path: "/v1/screen", ctype: "application/json; charset=utf-8", body: `{"name":"nobody"}`}, 200, `"hits":[]`},
		{"ScreenGet", "GET /v1/screen", req{method: "GET", path: "/v1/screen?name=Majid+Kakavand&type=person&dob=12.03.1970&country=Iran"}, 200, `"alert":true`},
		{"Entity", "GET /v1/entities/{id}", req{method: "GET", path: "/v1/entities/ofac-sdn:1"}, 200, `"list_version":2`},
		{"Lists", "GET /v1/lists", req{method: "GET", path: "/v1/lists"}, 200, `"loaded":2`},
		{"Diff", "GET /v1/lists/{list}/diff", req{method: "GET", path: "/v1/lists/ofac-sdn/diff?from=1&to=2"}, 200, `"added":1`},
		{"DiffDefault", "GET /v1/lists/{list}/diff", req{method: "GET", path: "/v1/lists/ofac-sdn/diff"}, 200, `"from":1`},
		{"Compare", "POST /v1/compare", req{method: "POST", path: "/v1/compare", ctype: "application/json", body: `{"name1":"Ali Bakr","name2":"ali bakr","type":"person"}`}, 200, `"alert":true`},
		{"CompareNoName", "POST /v1/compare", req{method: "POST", path: "/v1/compare", ctype: "application/json", body: `{"name1":"A B","name2":"a b","type":"person"}`}, 200, `"alert":false`},
		{"Health", "GET /healthz", req{method: "GET", path: "/healthz"}, 200, `"ok"`},
		{"Ready", "GET /readyz", req{method: "GET", path: "/readyz"}, 200, `"ofac-sdn":2`},
		{"Metrics", "GET /metrics", req{method: "GET", path: "/metrics"}, 200, `interdict_index_entities 2`},

		{"MalformedJSON", "POST /v1/screen", req{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name": "x",`}, 400, `ends too early`},
		{"SyntaxError", "POST /v1/screen", req{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name": x}`}, 400, `not valid JSON`},
		{"EmptyBody", "POST /v1/screen", req{method: "POST", path: "/v1/screen", ctype: "application/json"}, 400, `empty`},
		{"TwoObjects", "POST /v1/screen", req{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":"a"}{"name":"b"}`}, 400, `exactly one`},
		{"NotAnObject", "POST /v1/screen", req{method: "POST", path: "/v1/screen", ctype: "application/json", body: `["a"]`}, 400, `must be a JSON object`},
		{"WrongFieldType", "POST /v1/screen", req{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":42}`}, 400, `Field \"name\" must be a string`},
		{"UnknownField", "POST /v1/screen", req{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":"a","nmae":"b"}`}, 400, `Unknown field \"nmae\"`},
		{"HugeBody", "POST /v1/screen", req{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":"` + strings.Repeat("a", 2<<20) + `"}`}, 413, `larger than the limit`},
		{"WrongContentType", "POST /v1/screen", req{method: "POST", path: "/v1/screen", ctype: "text/plain", body: `{"name":"a"}`}, 415, `Content-Type must be application/json`},
		{"NoContentType", "POST /v1/screen", req{method: "POST", path: "/v1/screen", body: `{"name":"a"}`}, 415, `got none`},
		{"InvalidDate", "POST /v1/screen", req{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":"a","dob":"1970-02-30"}`}, 200, `"warnings":[{"field":"dob","value":"1970-02-30","message":"day 30 does not exist in 1970-02; only the year and month are used; screened with 1970-02"}]`},
		{"InvalidDateStrict", "POST /v1/screen", req{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":"a","dob":"1970-02-30","strict":true}`}, 422, `"errors":[{"field":"dob"`},
		{"InvalidDateWords", "GET /v1/screen", req{method: "GET", path: "/v1/screen?name=a&dob=yesterday"}, 200, `"warnings":[{"field":"dob","value":"yesterday"`},
		{"InvalidDateWordsStrict", "GET /v1/screen", req{method: "GET", path: "/v1/screen?name=a&dob=yesterday&strict=true"}, 422, `"field":"dob"`},
		{"StrictNotBool", "GET /v1/screen", req{method: "GET", path: "/v1/screen?name=a&strict=maybe"}, 400, `must be true or false`},
		{"NoWarnings", "GET /v1/screen", req{method: "GET", path: "/v1/screen?name=Majid&dob=1970&strict=true"}, 200, `"warnings":[]`},
		{"MissingName", "POST /v1/screen", req{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"country":"IR"}`}, 422, `"errors":[{"field":"name","message":"a query needs a name or an id_number"}]`},
		{"UnknownType", "POST /v1/screen", req{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":"a","type":"spaceship"}`}, 200, `"warnings":[{"field":"type","value":"spaceship"`},
		{"UnknownTypeStrict", "POST /v1/screen", req{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":"a","type":"spaceship","strict":true}`}, 422, `"field":"type"`},
		{"LongName", "POST /v1/screen", req{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":"` + strings.Repeat("a", 1001) + `"}`}, 422, `at most 1000 bytes`},
		{"UnknownParam", "GET /v1/screen", req{method: "GET", path: "/v1/screen?name=a&nam=b"}, 400, `Unknown parameter`},
		{"RepeatedParam", "GET /v1/screen", req{method: "GET", path: "/v1/screen?name=a&name=b"}, 400, `given 2 times`},
		{"NoEntity", "GET /v1/entities/{id}", req{method: "GET", path: "/v1/entities/ofac-sdn:999"}, 404, `No entity`},
		{"BadEntityID", "GET /v1/entities/{id}", req{method: "GET", path: "/v1/entities/nocolon"}, 404, `IDs look like`},
		{"NoList", "GET /v1/lists/{list}/diff", req{method: "GET", path: "/v1/lists/nope/diff"}, 404, `No list`},
		{"NoVersion", "GET /v1/lists/{list}/diff", req{method: "GET", path: "/v1/lists/ofac-sdn/diff?from=7&to=2"}, 404, `no version 7`},
		{"BadVersion", "GET /v1/lists/{list}/diff", req{method: "GET", path: "/v1/lists/ofac-sdn/diff?from=one"}, 400, `version number`},
		{"CompareMissing", "POST /v1/compare", req{method: "POST", path: "/v1/compare", ctype: "application/json", body: `{"name1":"a"}`}, 422, `name2 is required`},
		{"CrossOrigin", "POST /v1/screen", req{method: "POST", path: "/v1/screen", ctype: "application/json", body: `{"name":"a"}`, header: map[string]string{"Origin": "https://evil.example"}}, 403, `Cross-origin`},
		{"DNSRebinding", "GET /v1/screen", req{method: "GET", path: "/v1/screen?name=a", header: map[string]string{"Host": "evil.example:8080"}}, 403, `only to localhost`},
		{"WrongMethod", "", req{method: "DELETE", path: "/v1/screen"}, 405, `Method DELETE is not allowed`},
		{"NoRoute", "", req{method: "GET", path: "/v2/screen"}, 404, `No resource at /v2/screen`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, ts, tt.req)
			if resp.StatusCode != tt.status {
				t.Fatalf("%s %s: status %d, want %d; body %s", tt.req.method, tt.req.path, resp.StatusCode, tt.status, trim(body))
			}
			if !strings.Contains(string(body), tt.want) {
				t.Errorf("%s %s: body %s, want it to contain %s", tt.req.method, tt.req.path, trim(body), tt.want)
			}
			if id := resp.Header.Get("X-Request-ID"); id == "" {
				t.Errorf("no X-Request-ID")
			}
			if tt.status == 405 && resp.Header.Get("Allow") != "GET, POST" {
				t.Errorf("Allow %q, want GET, POST", resp.Header.Get("Allow"))
			}
			if tt.status >= 400 {
				if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("Content-Type %q, want application/problem+json", ct)
				}
				var p interdicthttp.Problem
				if err := json.Unmarshal(body, &p); err != nil || p.Status != tt.status || p.Title == "" || p.Detail == "" {
					t.Errorf("problem %s: %+v, %v", trim(body), p, err)
				}
			}
			if tt.pattern != "" {
				if err := doc.ValidateResponse(tt.pattern, resp.StatusCode, resp.Header.Get("Content-Type"), body); err != nil {
					t.Errorf("response does not match the OpenAPI document: %v", err)
				}
			}
		})
	}
	// The server keeps serving after all of that.
	resp, body := do(t, ts, req{method: "GET", path: "/v1/screen?name=Majid"})
	if resp.StatusCode != 200 {
		t.Fatalf("after bad input: %d %s", resp.StatusCode, body)
	}
}

func trim(b []byte) string {
	if len(b) > 400 {
		return string(b[:400]) + "..."
	}
	return string(b)
}

func TestServer_RequestID(t *testing.T) {
	_, ts := MustOpenServer(t, false)
	tests := []struct{ name, in, want string }{
		{"Kept", "abc-123", "abc-123"},
		{"Replaced", "bad id!", ""},
		{"TooLong", strings.Repeat("a", 65), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, ts, req{method: "GET", path: "/v1/entities/nope:1", header: map[string]string{"X-Request-ID": tt.in}})
			got := resp.Header.Get("X-Request-ID")
			if tt.want != "" && got != tt.want || tt.want == "" && (got == "" || got == tt.in) {
				t.Errorf("X-Request-ID %q → %q, want %q", tt.in, got, tt.want)
			}
			if !strings.Contains(string(body), `"request_id":"`+got+`"`) {
				t.Errorf("problem %s lacks request_id %s", body, got)
			}
		})
	}
}

func TestServer_NotReady(t *testing.T) {
	_, ts := MustOpenServer(t, true)
	doc := mustDoc(t)
	for _, r := range []struct{ pattern, path string }{{"GET /readyz", "/readyz"}, {"GET /v1/screen", "/v1/screen?name=a"}} {
		resp, body := do(t, ts, req{method: "GET", path: r.path})
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
			t.Errorf("GET %s before load: %d (Retry-After %q), want 503", r.path, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if err := doc.ValidateResponse(r.pattern, resp.StatusCode, resp.Header.Get("Content-Type"), body); err != nil {
			t.Error(err)
		}
	}
	resp, _ := do(t, ts, req{method: "GET", path: "/healthz"})
	if resp.StatusCode != 200 {
		t.Errorf("GET /healthz before load: %d, want 200", resp.StatusCode)
	}
}

func TestServer_Auth(t *testing.T) {
	const token = "s3cret-token-0123456789"
	var logs bytes.Buffer
	_, ts := MustOpenServer(t, false, func(s *interdicthttp.Server) {
		s.Auth = interdicthttp.NewTokenAuth(map[string]string{token: "ops"})
		s.LoopbackHosts = false
		s.Logger = slogJSON(&logs)
	})
	tests := []struct {
		name   string
		path   string
		header map[string]string
		status int
	}{
		{"NoToken", "/v1/screen?name=a", nil, 401},
		{"WrongToken", "/v1/screen?name=a", map[string]string{"Authorization": "Bearer nope"}, 401},
		{"WrongScheme", "/v1/screen?name=a", map[string]string{"Authorization": "Basic " + token}, 401},
		{"Token", "/v1/screen?name=a", map[string]string{"Authorization": "Bearer " + token}, 200},
		{"MetricsNeedToken", "/metrics", nil, 401},
		{"HealthIsPublic", "/healthz", nil, 200},
		{"ReadyIsPublic", "/readyz", nil, 200},
		{"OtherHostAllowed", "/v1/lists", map[string]string{"Authorization": "Bearer " + token, "Host": "interdict.example.com"}, 200},
		{"UIRedirectsToLogin", "/lists", map[string]string{"Accept": "text/html"}, 303},
		{"Cookie", "/lists", map[string]string{"Cookie": interdicthttp.TokenCookie + "=" + token}, 200},
	}
	client := ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, ts, req{method: "GET", path: tt.path, header: tt.header})
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s with %v: %d, want %d: %s", tt.path, tt.header, resp.StatusCode, tt.status, trim(body))
			}
			if tt.status == 401 && resp.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("401 without WWW-Authenticate")
			}
		})
	}
	if strings.Contains(logs.String(), token) {
		t.Errorf("the token appears in the log")
	}
}

// TestServer_InternalError checks that an internal error is a 500 problem
// with no internal detail, that a panic is one too, and that the detail
// goes to the log.
func TestServer_InternalError(t *testing.T) {
	var logs bytes.Buffer
	st := newFakeStore()
	s := newServer(t, st)
	s.Logger = slogJSON(&logs)
	s.Service.Swap(&screen.Index{Screener: &fakeScreener{screen: func(ctx context.Context, q interdict.Query) (*interdict.ScreenResult, error) {
		if q.Name == "panic" {
			panic("index corrupt at 0xdeadbeef")
		}
		return nil, errors.New("sqlite: disk I/O error at /secret/path")
	}}})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	for _, name := range []string{"error", "panic"} {
		resp, body := do(t, ts, req{method: "GET", path: "/v1/screen?name=" + name})
		if resp.StatusCode != 500 || strings.Contains(string(body), "secret") || strings.Contains(string(body), "deadbeef") || !strings.Contains(string(body), "Internal error.") {
			t.Errorf("%s: %d %s; want 500 Internal error. without detail", name, resp.StatusCode, body)
		}
	}
	if !strings.Contains(logs.String(), "/secret/path") || !strings.Contains(logs.String(), "deadbeef") {
		t.Errorf("the log lacks the internal detail:\n%s", logs.String())
	}
	resp, _ := do(t, ts, req{method: "GET", path: "/healthz"})
	if resp.StatusCode != 200 {
		t.Errorf("after a panic: %d", resp.StatusCode)
	}
}

func TestServer_TooManyRequests(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	st := newFakeStore()
	s := newServer(t, st)
	s.MaxInFlight = 1
	s.Service.Swap(&screen.Index{Screener: &fakeScreener{screen: func(ctx context.Context, q interdict.Query) (*interdict.ScreenResult, error) {
		started <- struct{}{}
		<-release
		return &interdict.ScreenResult{Query: q, Hits: []interdict.Hit{}}, nil
	}}})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	done := make(chan int)
	go func() {
		resp, _ := do(t, ts, req{method: "GET", path: "/v1/screen?name=slow"})
		done <- resp.StatusCode
	}()
	<-started
	resp, body := do(t, ts, req{method: "GET", path: "/v1/screen?name=second"})
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("second request while one is in flight: %d %s, want 429 with Retry-After", resp.StatusCode, body)
	}
	if err := mustDoc(t).ValidateResponse("GET /v1/screen", resp.StatusCode, resp.Header.Get("Content-Type"), body); err != nil {
		t.Error(err)
	}
	resp, _ = do(t, ts, req{method: "GET", path: "/healthz"})
	if resp.StatusCode != 200 {
		t.Errorf("probe while full: %d, want 200", resp.StatusCode)
	}
	close(release)
	if code := <-done; code != 200 {
		t.Errorf("first request: %d", code)
	}
}

func TestServer_Batch(t *testing.T) {
	_, ts := MustOpenServer(t, false, func(s *interdicthttp.Server) {
		s.MaxBatchLines = 5
		s.MaxLineBytes = 200
	})
	doc := mustDoc(t)
	tests := []struct {
		name  string
		body  string
		lines []string // substrings of each output line
	}{
		{"OK", "{\"name\":\"Majid Kakavand\",\"id\":\"r1\"}\n\n{\"name\":\"nobody\"}\r\n{\"name\":\"Evil\"}", []string{`"line":1,"query":{"name":"Majid Kakavand","id":"r1"},"alert":true`, `"line":3,"query":{"name":"nobody"},"alert":false`, `"line":4`}},
		{"BadLines", "{\"name\":\"a\"\n{\"nme\":\"a\"}\n{\"name\":\"a\",\"dob\":\"1999-13-01\"}\n[1]\n{\"name\":\"a\"}", []string{`"line":1,"error":{"type":"about:blank","title":"Bad Request","status":400,"detail":"Line 1: The body is not valid JSON`, `"line":2,"error"`, `"line":3,"query":{"name":"a","dob":"1999"},"alert":true,"policy":"fakepolicy","lists":{"ofac-sdn":"2"},"warnings":[{"field":"dob","value":"1999-13-01"`, `"line":4,"error"`, `"line":5,"query"`}},
		{"TooManyLines", strings.Repeat("{\"name\":\"a\"}\n", 7), []string{`"line":1`, `"line":2`, `"line":3`, `"line":4`, `"line":5`, `"line":6,"error":{"type":"about:blank","title":"Request Entity Too Large","status":413`}},
		{"LineTooLong", "{\"name\":\"a\"}\n{\"name\":\"" + strings.Repeat("x", 300) + "\"}\n{\"name\":\"a\"}\n", []string{`"line":1,"query"`, `"line":2,"error":{"type":"about:blank","title":"Request Entity Too Large","status":413`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, ts, req{method: "POST", path: "/v1/screen/batch", ctype: "application/x-ndjson", body: tt.body})
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			got := strings.Split(strings.TrimSpace(string(body)), "\n")
			if len(got) != len(tt.lines) {
				t.Fatalf("%d lines, want %d:\n%s", len(got), len(tt.lines), body)
			}
			for i, want := range tt.lines {
				if !strings.Contains(got[i], want) {
					t.Errorf("line %d: %s\nwant it to contain %s", i+1, got[i], want)
				}
			}
			if err := doc.ValidateResponse("POST /v1/screen/batch", resp.StatusCode, resp.Header.Get("Content-Type"), body); err != nil {
				t.Error(err)
			}
		})
	}
	resp, body := do(t, ts, req{method: "POST", path: "/v1/screen/batch", ctype: "application/json", body: `{"name":"a"}`})
	if resp.StatusCode != 415 {
		t.Errorf("batch as application/json: %d %s, want 415", resp.StatusCode, body)
	}
}

// TestServer_BatchStreams checks that batch results come back while the
// request is still being written: the client reads the answer to each
// line before it sends the next.
func TestServer_BatchStreams(t *testing.T) {
	_, ts := MustOpenServer(t, false)
	pr, pw := io.Pipe()
	hr, _ := http.NewRequest("POST", ts.URL+"/v1/screen/batch", pr)
	hr.Header.Set("Content-Type", "application/x-ndjson")
	respc := make(chan *http.Response, 1)
	errc := make(chan error, 1)
	go func() {
		resp, err := ts.Client().Do(hr)
		if err != nil {
			errc <- err
			return
		}
		respc <- resp
	}()
	fmt.Fprintln(pw, `{"name":"first"}`)
	var resp *http.Response
	select {
	case resp = <-respc:
	case err := <-errc:
		t.Fatal(err)
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	for i := 1; i <= 3; i++ {
		var line map[string]any
		if err := dec.Decode(&line); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if line["line"] != float64(i) {
			t.Fatalf("got %v, want line %d", line, i)
		}
		if i < 3 {
			fmt.Fprintf(pw, "{\"name\":\"q%d\"}\n", i+1)
		} else {
			pw.Close()
		}
	}
}

func TestServer_Metrics(t *testing.T) {
	_, ts := MustOpenServer(t, false)
	do(t, ts, req{method: "GET", path: "/v1/screen?name=Majid"})
	do(t, ts, req{method: "GET", path: "/v1/screen?name=nobody"})
	_, body := do(t, ts, req{method: "GET", path: "/metrics"})
	for _, want := range []string{
		`interdict_http_requests_total{code="200",method="GET",route="GET /v1/screen"} 2`,
		`interdict_http_request_duration_seconds_bucket{method="GET",route="GET /v1/screen",le="0.005"}`,
		`interdict_screens_total 2`,
		`interdict_alerts_total 1`,
		`interdict_index_entities 2`,
		`interdict_list_version{list="ofac-sdn"} 2`,
		`interdict_list_age_seconds{list="ofac-sdn"}`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestServer_Swap screens continuously from several goroutines while
// snapshots are swapped, and checks that no request fails and each
// answer comes from one whole snapshot.
func TestServer_Swap(t *testing.T) {
	s, ts := MustOpenServer(t, false)
	st := newFakeStore()
	var failures, total atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := ts.Client().Get(ts.URL + "/v1/screen?name=Majid")
				total.Add(1)
				if err != nil {
					failures.Add(1)
					continue
				}
				var res interdict.ScreenResult
				err = json.NewDecoder(resp.Body).Decode(&res)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 || len(res.Hits) != 1 || res.Lists["ofac-sdn"] == "" {
					failures.Add(1)
				}
			}
		}()
	}
	swaps := 0
	for ; total.Load() < 500; swaps++ {
		s.Service.Swap(snapshot(st, fmt.Sprint(3+swaps)))
		runtime.Gosched()
	}
	close(stop)
	wg.Wait()
	if failures.Load() > 0 {
		t.Errorf("%d of %d requests failed during %d swaps", failures.Load(), total.Load(), swaps)
	}
}

func TestServer_UI(t *testing.T) {
	_, ts := MustOpenServer(t, false)
	tests := []struct {
		name    string
		path    string
		status  int
		want    []string
		notWant []string
	}{
		{"Home", "/", 200, []string{`<label for="name">Name`, `<script src="/static/htmx.min.js"`}, nil},
		{"Screen", "/?name=Majid+Kakavand&dob=&country=&type=", 200, []string{`IRAN`, `<a href="/entities/ofac-sdn:1">Majid Kakavand</a>`, `<mark class="m-exact"`, `Token alignment`, `different year`, `aria-label="Score 0.900, alert"`}, nil},
		{"ScreenHostile", "/?name=evil", 200, []string{`Evil &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Ltd`}, []string{hostile}},
		{"ScreenWarning", "/?name=a&dob=someday", 200, []string{`class="warnings"`, `<strong>dob</strong> “someday”: not a date`}, nil},
		{"ScreenInvalid", "/?name=a&type=" + strings.Repeat("x", 201), 422, []string{`role="alert"`, `type must be at most 200 bytes`}, nil},
		{"Entity", "/entities/ofac-sdn:1", 200, []string{`مجید کاکاوند`, `Arab`, `<a href="/entities/ofac-sdn:2">`, `List version`, `Specially Designated Nationals`}, []string{hostile, `href="javascript:`}},
		{"EntityMissing", "/entities/ofac-sdn:404", 404, []string{`No entity`}, nil},
		{"Lists", "/lists", 200, []string{`<a href="/lists/ofac-sdn/diff?from=1&amp;to=2"`, `Specially Designated Nationals`}, nil},
		{"Diff", "/lists/ofac-sdn/diff?from=1&to=2", 200, []string{`<strong>1</strong> added`, `ofac-sdn:2`}, []string{hostile}},
		{"Batch", "/batch", 200, []string{`<input id="file" name="file" type="file"`}, nil},
		{"Static", "/static/htmx.min.js", 200, []string{`htmx`}, nil},
		{"StaticMissing", "/static/nope.js", 404, nil, nil},
		{"NotFoundHTML", "/nowhere", 404, []string{`<h1>Not Found</h1>`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, ts, req{method: "GET", path: tt.path, header: map[string]string{"Accept": "text/html"}})
			if resp.StatusCode != tt.status {
				t.Fatalf("GET %s: %d, want %d: %s", tt.path, resp.StatusCode, tt.status, trim(body))
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

func TestServer_UIBatch(t *testing.T) {
	_, ts := MustOpenServer(t, false)
	client := ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "customers.csv")
	fmt.Fprint(fw, "\ufeffid,Name,dob\nc1,Majid Kakavand,1970\nc2,=HYPERLINK(\"x\"),\nc3,nobody,31.02.2000\n")
	mw.Close()
	hr, _ := http.NewRequest("POST", ts.URL+"/batch", &buf)
	hr.Header.Set("Content-Type", mw.FormDataContentType())
	hr.Header.Set("Origin", ts.URL)
	resp, err := client.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/batch/") {
		t.Fatalf("upload: %d, Location %q", resp.StatusCode, loc)
	}
	var results []byte
	for i := 0; ; i++ {
		resp, body := do(t, ts, req{method: "GET", path: loc + "?fragment=progress"})
		if resp.StatusCode != 200 {
			t.Fatalf("progress: %d %s", resp.StatusCode, body)
		}
		if strings.Contains(string(body), "Download results") {
			resp, results = do(t, ts, req{method: "GET", path: loc + "/results.csv"})
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("results: %d %v", resp.StatusCode, resp.Header)
			}
			break
		}
		if i > 1000 {
			t.Fatal("batch did not finish")
		}
		time.Sleep(5 * time.Millisecond)
	}
	for _, want := range []string{"id,Name,dob,alert,hits,top_entity_id,top_list,top_kind,top_name,top_matched_name,top_score,alerting_entities,policy,lists,warnings,error,line",
		"c1,Majid Kakavand,1970,true,1,ofac-sdn:1,ofac-sdn,person,Majid Kakavand,Majid Kakavand,0.900,ofac-sdn:1,fakepolicy,ofac-sdn@2,,,2", `c2,"'=HYPERLINK`,
		"c3,nobody,31.02.2000,false,0,", "fakepolicy,ofac-sdn@2,dob: day 31 does not exist in 2000-02"} {
		if !strings.Contains(string(results), want) {
			t.Errorf("results lack %q:\n%s", want, results)
		}
	}
}

func TestCheckUpload(t *testing.T) {
	tests := []struct {
		name, file, data string
		rows             int
		status           int
	}{
		{"CSV", "a.csv", "name,country\nA,IR\nB,\n", 2, 0},
		{"Semicolons", "a.csv", "name;country\nA;IR\nB;RU\n", 2, 0},
		{"Aliases", "a.csv", "Client Name|Nationality\nA|IR\n", 1, 0},
		{"Windows1252", "a.csv", "name\nJos\xe9\n", 1, 0},
		{"JSONLines", "a.jsonl", "{\"name\":\"A\"}\n{\"name\":\"B\"}\n", 2, 0},
		{"DamagedRowKept", "a.csv", "name,dob\n\"A,1970\nB,1980\n", 2, 0},
		{"NoNameColumn", "a.csv", "who\nA\n", 0, 400},
		{"Empty", "a.csv", "", 0, 400},
		{"HeaderOnly", "a.csv", "name\n", 0, 400},
		{"TooMany", "a.csv", "name\na\nb\nc\nd\n", 0, 413},
		{"BadXLSX", "a.xlsx", "PK\x03\x04garbage", 0, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := interdicthttp.CheckUpload([]byte(tt.data), tt.file, 3)
			if tt.status == 0 {
				if err != nil || n != tt.rows {
					t.Errorf("CheckUpload: %d rows, %v; want %d rows", n, err, tt.rows)
				}
				return
			}
			var p *interdicthttp.Problem
			if !errors.As(err, &p) || p.Status != tt.status {
				t.Errorf("CheckUpload: %v, want a %d problem", err, tt.status)
			}
		})
	}
}

func TestServer_Login(t *testing.T) {
	const token = "0123456789abcdef-login"
	_, ts := MustOpenServer(t, false, func(s *interdicthttp.Server) {
		s.Auth = interdicthttp.NewTokenAuth(map[string]string{token: "analyst"})
		s.LoopbackHosts = false
	})
	client := ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	post := func(form url.Values, origin string) *http.Response {
		r, _ := http.NewRequest("POST", ts.URL+"/login", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			r.Header.Set("Origin", origin)
		}
		resp, err := client.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := post(url.Values{"token": {"wrong"}, "next": {"/lists"}}, ts.URL); resp.StatusCode != 401 {
		t.Errorf("wrong token: %d, want 401", resp.StatusCode)
	}
	if resp := post(url.Values{"token": {token}}, "https://evil.example"); resp.StatusCode != 403 {
		t.Errorf("cross-origin login: %d, want 403", resp.StatusCode)
	}
	resp := post(url.Values{"token": {token}, "next": {"//evil.example/"}}, ts.URL)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("login: %d to %q, want 303 to / (never off-site)", resp.StatusCode, resp.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == interdicthttp.TokenCookie {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode {
		t.Fatalf("login cookie %+v, want HttpOnly and SameSite=Strict", cookie)
	}
	r, _ := http.NewRequest("GET", ts.URL+"/?name=Majid", nil)
	r.AddCookie(cookie)
	resp2, err := client.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp2.Body)
	resp2.Body.Close()
	if resp2.StatusCode != 200 || !strings.Contains(string(body), "Signed in as analyst") {
		t.Errorf("with the cookie: %d", resp2.StatusCode)
	}
}

func TestServer_UIBatchXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{{"ID", "Name", "Country"}, {"x1", "Majid Kakavand", "IR"}, {"x2", "Nobody Atall", ""}}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	n, err := interdicthttp.CheckUpload(buf.Bytes(), "customers.xlsx", 10)
	if err != nil || n != 2 {
		t.Errorf("CheckUpload(xlsx) = %d, %v; want 2 rows", n, err)
	}
}

// TestServer_BatchKeepsSnapshot swaps in a new snapshot in the middle of a
// batch stream: the batch finishes on the snapshot it started with, and a
// new request gets the new one.
func TestServer_BatchKeepsSnapshot(t *testing.T) {
	s, ts := MustOpenServer(t, false)
	pr, pw := io.Pipe()
	hr, _ := http.NewRequest("POST", ts.URL+"/v1/screen/batch", pr)
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
	fmt.Fprintln(pw, `{"name":"Majid"}`)
	resp := <-respc
	if resp == nil {
		t.FailNow()
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	var first, second interdict.ScreenResult
	if err := dec.Decode(&first); err != nil {
		t.Fatal(err)
	}
	s.Service.Swap(snapshot(newFakeStore(), "3"))
	fmt.Fprintln(pw, `{"name":"Majid"}`)
	pw.Close()
	if err := dec.Decode(&second); err != nil {
		t.Fatal(err)
	}
	if first.Lists["ofac-sdn"] != "2" || second.Lists["ofac-sdn"] != "2" {
		t.Errorf("batch lines screened on versions %s and %s, want 2 and 2", first.Lists["ofac-sdn"], second.Lists["ofac-sdn"])
	}
	_, body := do(t, ts, req{method: "GET", path: "/v1/screen?name=Majid"})
	if !strings.Contains(string(body), `"ofac-sdn":"3"`) {
		t.Errorf("a request after the swap: %s, want version 3", trim(body))
	}
}

func TestServer_Authorize(t *testing.T) {
	_, ts := MustOpenServer(t, false, func(s *interdicthttp.Server) {
		s.Authorize = func(ctx context.Context, u *interdicthttp.User, route string) error {
			if route == "POST /v1/screen/batch" {
				return interdict.Errorf(interdict.EFORBIDDEN, "User %s may not run batches.", u.Name)
			}
			return nil
		}
	})
	resp, body := do(t, ts, req{method: "POST", path: "/v1/screen/batch", ctype: "application/x-ndjson", body: "{\"name\":\"a\"}\n"})
	if resp.StatusCode != 403 || !strings.Contains(string(body), "User local may not run batches.") {
		t.Errorf("refused route: %d %s, want 403", resp.StatusCode, body)
	}
	if err := mustDoc(t).ValidateResponse("POST /v1/screen/batch", resp.StatusCode, resp.Header.Get("Content-Type"), body); err != nil {
		t.Error(err)
	}
	if resp, _ := do(t, ts, req{method: "GET", path: "/v1/screen?name=a"}); resp.StatusCode != 200 {
		t.Errorf("allowed route: %d", resp.StatusCode)
	}
}
