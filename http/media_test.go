package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/media"
	"github.com/interdict/interdict/review"
	"github.com/interdict/interdict/scan"
	"github.com/interdict/interdict/sqlite"
)

type anyRoles struct{}

func (anyRoles) HasRole(context.Context, string, string) (bool, error) { return true, nil }

const mediaFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Wire</title>
<item><title>Trader arrested in Lyon</title><link>https://wire.example/1</link><pubDate>Tue, 01 Dec 2026 08:00:00 +0000</pubDate>
<description>Police arrested Jonas Petrauskas in Lyon. He is accused of smuggling drones to Iran for Majid KAKAVAND.</description></item>
<item><title>Harbour reopens</title><link>https://wire.example/2</link><description>The harbour of Genoa reopened after the storm.</description></item>
</channel></rss>`

func TestServer_Media(t *testing.T) {
	var ms *sqlite.MediaStore
	srv := MustOpenUserServer(t, true, func(s *interdicthttp.Server) {
		db := sqlite.NewDB(t.TempDir() + "/media.db")
		if err := db.Open(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		rs := sqlite.NewReviewStore(db)
		if _, err := rs.PutParty(context.Background(), &interdict.Party{ID: "P-1", Name: "Jonas Petrauskas", Kind: interdict.KindPerson}); err != nil {
			t.Fatal(err)
		}
		rv, err := review.NewService(review.Config{Store: rs, Lists: s.Lists, Screen: s.Service, Roles: anyRoles{}})
		if err != nil {
			t.Fatal(err)
		}
		ms = sqlite.NewMediaStore(db)
		m, err := media.NewService(media.Config{Store: ms, Book: rs, Scanner: scan.NewLive(s.Service).Scanner, Alerts: rv, Policy: s.Service.Policy()})
		if err != nil {
			t.Fatal(err)
		}
		s.Review, s.Media = rs, m
	})
	st := newFakeStore()
	if _, err := srv.HTTP.Service.Load(st.entities[2], st.versions[1:]); err != nil {
		t.Fatal(err)
	}
	doc := mustDoc(t)
	call := func(method, path, ctype, body, user string) (int, []byte) {
		t.Helper()
		resp, b := do(t, srv.Server, req{method: method, path: path, ctype: ctype, body: body, header: bearer(srv.Keys[user])})
		if strings.HasPrefix(path, "/v1/") {
			pattern := method + " " + path
			switch {
			case method == "POST":
				pattern = "POST /v1/media"
			case strings.HasPrefix(path, "/v1/media/"):
				pattern = "GET /v1/media/{id}"
			case strings.HasPrefix(path, "/v1/media?"):
				pattern = "GET /v1/media"
			}
			if err := doc.ValidateResponse(pattern, resp.StatusCode, resp.Header.Get("Content-Type"), b); err != nil {
				t.Errorf("%s %s: %v", method, path, err)
			}
		}
		return resp.StatusCode, b
	}

	status, b := call("POST", "/v1/media?name=wire.rss", "application/rss+xml", mediaFeed, "bot")
	var rep media.Report
	if err := json.Unmarshal(b, &rep); status != 200 || err != nil || rep.Stored != 2 || rep.Alerts != 1 || rep.Format != "rss" || rep.Source != "Wire" {
		t.Fatalf("POST /v1/media: %d %s", status, b)
	}
	first := rep.Articles[0]
	if first.Parties[0] != "P-1" || first.Entities[0] != "ofac-sdn:1" || len(first.Alerts) != 1 {
		t.Errorf("item 1: %+v", first)
	}
	// Again: nothing new, no alert.
	status, b = call("POST", "/v1/media?name=wire.rss", "application/rss+xml", mediaFeed, "root")
	if err := json.Unmarshal(b, &rep); status != 200 || err != nil || rep.Stored != 0 || rep.Duplicates != 2 || rep.Alerts != 0 {
		t.Errorf("POST /v1/media again: %d %s", status, b)
	}
	// One article as JSON.
	status, b = call("POST", "/v1/media", "application/json", `{"title":"Court news","published":"2026-12-02T09:00:00Z","text":"Jonas Petrauskas was indicted in Paris for fraud."}`, "bot")
	if err := json.Unmarshal(b, &rep); status != 200 || err != nil || rep.Stored != 1 || rep.Alerts != 1 {
		t.Errorf("POST /v1/media (JSON): %d %s", status, b)
	}
	// A document uploaded as a form.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "filing.html")
	fw.Write([]byte("<html><head><title>Filing</title></head><body><article><p>Jonas Petrauskas pleaded guilty to smuggling in Vilnius.</p></article></body></html>"))
	mw.Close()
	status, b = call("POST", "/v1/media", mw.FormDataContentType(), buf.String(), "bot")
	if err := json.Unmarshal(b, &rep); status != 200 || err != nil || rep.Stored != 1 || rep.Format != "html" || rep.Articles[0].Title != "Filing" || rep.Alerts != 1 {
		t.Errorf("POST /v1/media (upload): %d %s", status, b)
	}
	// Hostile and bad input.
	for _, tc := range []struct {
		ctype, body string
		status      int
		want        string
	}{
		{"application/rss+xml", `<!DOCTYPE rss [<!ENTITY a "aaaa">]><rss><channel><item><title>&a;</title></item></channel></rss>`, 422, "feed evil.rss, line 1: a DOCTYPE declaration is not allowed"},
		{"application/rss+xml", "<rss><channel><item><title>x</title></item>\n<item><title>y</title><description>&nope;</description></item></channel></rss>", 422, "feed evil.rss, line 2, item 2"},
		{"application/json", `{"title":"x"}`, 422, "text"},
		{"application/json", `{"text":"x","published":"yesterday"}`, 422, "published"},
		{"image/png", "x", 415, "Send a feed"},
	} {
		status, b := call("POST", "/v1/media?name=evil.rss", tc.ctype, tc.body, "bot")
		if status != tc.status || !strings.Contains(string(b), tc.want) {
			t.Errorf("POST %s %.40q: %d %s; want %d with %q", tc.ctype, tc.body, status, b, tc.status, tc.want)
		}
	}
	// Reading.
	status, b = call("GET", "/v1/media?party=P-1", "", "", "ana")
	var list interdicthttp.MediaResponse
	if err := json.Unmarshal(b, &list); status != 200 || err != nil || list.Total != 3 {
		t.Fatalf("GET /v1/media?party=P-1: %d %s", status, b)
	}
	status, b = call("GET", "/v1/media?topic=smuggling&entity=ofac-sdn:1", "", "", "bea")
	if err := json.Unmarshal(b, &list); status != 200 || err != nil || list.Total != 1 || list.Articles[0].Text != "" {
		t.Errorf("GET /v1/media?topic&entity: %d %s", status, b)
	}
	status, b = call("GET", "/v1/media/"+first.ID, "", "", "ana")
	var a interdict.Article
	if err := json.Unmarshal(b, &a); status != 200 || err != nil || a.ID != first.ID || !strings.Contains(a.Text, "Police arrested Jonas Petrauskas") ||
		a.Published.Format(time.RFC3339) != "2026-12-01T08:00:00Z" || a.Parties[0].AlertID == "" {
		t.Errorf("GET /v1/media/{id}: %d %s", status, b)
	}
	if status, _ := call("GET", "/v1/media/nope", "", "", "ana"); status != http.StatusNotFound {
		t.Errorf("GET /v1/media/nope: %d, want 404", status)
	}
	// The pages.
	status, b = call("GET", "/media", "", "", "ana")
	page := string(b)
	for _, w := range []string{"Trader arrested in Lyon", `href="/media/` + first.ID + `"`, `href="/entities/ofac-sdn:1"`, `href="/alerts/` + a.Parties[0].AlertID + `"`, "smuggling", `href="/media?party=P-1"`} {
		if status != 200 || !strings.Contains(page, w) {
			t.Errorf("GET /media: %d, lacks %q", status, w)
		}
	}
	status, b = call("GET", "/media/"+first.ID, "", "", "ana")
	page = string(b)
	for _, w := range []string{`<mark class="m-book"`, `<mark class="m-party"`, `href="/entities/ofac-sdn:1">Majid KAKAVAND</a>`, "https://wire.example/1", "Parties of the book mentioned"} {
		if status != 200 || !strings.Contains(page, w) {
			t.Errorf("GET /media/{id}: %d, lacks %q", status, w)
		}
	}
	if _, n, _ := ms.FindArticles(context.Background(), interdict.ArticleFilter{}); n != 4 {
		t.Errorf("%d articles stored, want 4", n)
	}
}
