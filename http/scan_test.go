package http_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"strings"
	"testing"

	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/scan"
)

// mustOpenScanServer starts a server whose index is a real one over the
// fake store's entities, with document scanning configured.
func mustOpenScanServer(t *testing.T, configure ...func(*interdicthttp.Server)) (*interdicthttp.Server, string, func(req) ([]byte, int, string)) {
	t.Helper()
	st := newFakeStore()
	s, ts := MustOpenServer(t, true, append([]func(*interdicthttp.Server){func(s *interdicthttp.Server) { s.Documents = scan.NewLive(s.Service) }}, configure...)...)
	if _, err := s.Service.Load(st.entities[2], st.versions[1:]); err != nil {
		t.Fatal(err)
	}
	return s, ts.URL, func(r req) ([]byte, int, string) {
		resp, body := do(t, ts, r)
		return body, resp.StatusCode, resp.Header.Get("Content-Type")
	}
}

func TestServer_DocumentScan(t *testing.T) {
	_, _, call := mustOpenScanServer(t)
	doc := mustDoc(t)
	text := "Investigators said Majid KAKAVAND arranged shipments of drones to Iran through front companies. Kakavand denies it."
	body, _ := json.Marshal(map[string]string{"text": text, "name": "news.txt"})
	b, status, ctype := call(req{method: "POST", path: "/v1/documents/scan", ctype: "application/json", body: string(body)})
	if status != 200 {
		t.Fatalf("POST /v1/documents/scan: %d %s", status, b)
	}
	if err := doc.ValidateResponse("POST /v1/documents/scan", status, ctype, b); err != nil {
		t.Error(err)
	}
	var res interdicthttp.DocumentScanResult
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range res.Mentions {
		got = append(got, m.Kind+":"+m.EntityID+":"+m.Text)
		if text[m.Start:m.End] != m.Text {
			t.Errorf("mention %q at %d-%d: the text there is %q", m.Text, m.Start, m.End, text[m.Start:m.End])
		}
	}
	want := "party:ofac-sdn:1:Majid KAKAVAND|goods:goods:9A012:drones|place:place:IR:Iran"
	if strings.Join(got, "|") != want {
		t.Errorf("mentions = %v, want %s", got, want)
	}
	if len(res.Topics) == 0 || res.Topics[0].Topic != scan.TopicSanctionsEvasion {
		t.Errorf("topics = %+v, want sanctions-evasion", res.Topics)
	}
	if res.Document != "news.txt" || res.Format != "text" {
		t.Errorf("document %q format %q, want news.txt text", res.Document, res.Format)
	}
}

func TestServer_DocumentScanUpload(t *testing.T) {
	_, _, call := mustOpenScanServer(t)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", "page.html")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(`<html><body><nav>Majid Kakavand menu</nav><div class="cookie-consent">Accept cookies</div><article><p>Prosecutors charged Majid Kakavand.</p></article></body></html>`))
	mw.Close()
	b, status, ctype := call(req{method: "POST", path: "/v1/documents/scan", ctype: mw.FormDataContentType(), body: buf.String()})
	if status != 200 {
		t.Fatalf("upload: %d %s", status, b)
	}
	if err := mustDoc(t).ValidateResponse("POST /v1/documents/scan", status, ctype, b); err != nil {
		t.Error(err)
	}
	var res interdicthttp.DocumentScanResult
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if res.Format != "html" || len(res.Mentions) != 1 || res.Mentions[0].Sentence != "Prosecutors charged Majid Kakavand." {
		t.Errorf("upload result = %+v, want one mention in the article, none in the navigation", res)
	}
}

func TestServer_DocumentScanErrors(t *testing.T) {
	_, _, call := mustOpenScanServer(t, func(s *interdicthttp.Server) { s.MaxUploadBytes = 1000 })
	doc := mustDoc(t)
	tests := []struct {
		name   string
		r      req
		status int
	}{
		{"TooLarge", req{method: "POST", path: "/v1/documents/scan", ctype: "application/json", body: `{"text":"` + strings.Repeat("a", 2000) + `"}`}, 413},
		{"MediaType", req{method: "POST", path: "/v1/documents/scan", ctype: "text/csv", body: "a,b"}, 415},
		{"Empty", req{method: "POST", path: "/v1/documents/scan", ctype: "application/json", body: `{"text":"  "}`}, 422},
		{"BadFormat", req{method: "POST", path: "/v1/documents/scan", ctype: "application/json", body: `{"text":"x","format":"xls"}`}, 422},
		{"BadJSON", req{method: "POST", path: "/v1/documents/scan", ctype: "application/json", body: `{"text":`}, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, status, ctype := call(tt.r)
			if status != tt.status {
				t.Fatalf("%s: %d %s, want %d", tt.name, status, b, tt.status)
			}
			if err := doc.ValidateResponse("POST /v1/documents/scan", status, ctype, b); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestServer_DocumentScanNotLoaded(t *testing.T) {
	_, ts := MustOpenServer(t, true, func(s *interdicthttp.Server) { s.Documents = scan.NewLive(s.Service) })
	resp, b := do(t, ts, req{method: "POST", path: "/v1/documents/scan", ctype: "application/json", body: `{"text":"Majid Kakavand"}`})
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("before the lists are loaded: %d %s (Retry-After %q), want 503 with Retry-After", resp.StatusCode, b, resp.Header.Get("Retry-After"))
	}
}

func TestServer_UIDocuments(t *testing.T) {
	_, url, call := mustOpenScanServer(t)
	b, status, _ := call(req{method: "GET", path: "/documents", header: map[string]string{"Accept": "text/html"}})
	if status != 200 || !strings.Contains(string(b), `action="/documents"`) {
		t.Fatalf("GET /documents: %d, no form", status)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("text", "Court documents name Majid Kakavand and "+hostile+" as buyers of centrifuges for Iran.")
	mw.Close()
	b, status, _ = call(req{method: "POST", path: "/documents", ctype: mw.FormDataContentType(), body: buf.String(), header: map[string]string{"Accept": "text/html", "Origin": url}})
	page := string(b)
	if status != 200 {
		t.Fatalf("POST /documents: %d %s", status, page)
	}
	for _, want := range []string{`<mark class="m-party"`, `href="/entities/ofac-sdn:1"`, `>Majid Kakavand</a></mark>`, `<mark class="m-place"`, `<mark class="m-goods"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(page, hostile) {
		t.Errorf("page shows the text unescaped")
	}
}
