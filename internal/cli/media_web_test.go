package cli_test

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/interdict/interdict"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/internal/cli"
	"github.com/interdict/interdict/media"
)

// TestServe_Media drives the adverse-media record through 'interdict
// serve' on the embedded database: a feed posted, an alert raised on a
// party of the book, the articles read back; then the Media pages in a
// headless Chromium (skipped without it).
func TestServe_Media(t *testing.T) {
	ts := MustOpenServer(t)
	keys := reviewTeam(t, ts.Home, "")
	id := mediaWorkflow(t, ts, keys)
	t.Run("Browser", func(t *testing.T) { mediaBrowser(t, ts, id) })
}

// TestServe_MediaPostgreSQL runs the same with the book, alerts and
// articles on PostgreSQL.
func TestServe_MediaPostgreSQL(t *testing.T) {
	database := postgresSchema(t)
	ts := MustOpenServer(t, func(s *cli.Server) { s.Database = database })
	mediaWorkflow(t, ts, reviewTeam(t, ts.Home, database))
}

// mediaWorkflow returns the ID of the article that raised an alert.
func mediaWorkflow(t *testing.T, ts *testServer, keys map[string]string) string {
	t.Helper()
	if st, b := ts.api(t, keys["bot"], "PUT /v1/parties/{id}", "PUT", "/v1/parties/W-2", `{"name":"Jonas Petrauskas","country":"LT","type":"person"}`); st != 200 {
		t.Fatalf("PUT /v1/parties/W-2: %d %s", st, b)
	}
	feed, err := os.ReadFile("../../media/testdata/wire-en.rss")
	if err != nil {
		t.Fatal(err)
	}
	post := func(key string) (int, media.Report) {
		resp, b := ts.do(t, "POST /v1/media", call{method: "POST", path: "/v1/media?name=wire-en.rss", ctype: "application/rss+xml", body: string(feed),
			header: map[string]string{"Authorization": "Bearer " + key}})
		if resp.StatusCode != 200 {
			return resp.StatusCode, media.Report{}
		}
		return resp.StatusCode, mustDecode[media.Report](t, b)
	}
	if st, _ := post(keys["ana"]); st != 403 {
		t.Errorf("POST /v1/media as an analyst: %d, want 403", st)
	}
	st, rep := post(keys["bot"])
	if st != 200 || rep.Stored != 5 || rep.Alerts != 1 || rep.Failed != 0 {
		t.Fatalf("POST /v1/media: %d %+v", st, rep)
	}
	if st, rep := post(keys["root"]); st != 200 || rep.Duplicates != 5 || rep.Alerts != 0 {
		t.Errorf("POST /v1/media again: %d %+v", st, rep)
	}
	st, b := ts.api(t, keys["ana"], "GET /v1/media", "GET", "/v1/media?party=W-2", "")
	list := mustDecode[interdicthttp.MediaResponse](t, b)
	if st != 200 || list.Total != 1 || len(list.Articles[0].Parties) != 1 || list.Articles[0].Parties[0].AlertID == "" {
		t.Fatalf("GET /v1/media?party=W-2: %d %s", st, b)
	}
	a := list.Articles[0]
	st, b = ts.api(t, keys["ana"], "GET /v1/alerts/{id}", "GET", "/v1/alerts/"+a.Parties[0].AlertID, "")
	if st != 200 || !strings.Contains(string(b), `"entity_id":"media:`+a.ID+`"`) || !strings.Contains(string(b), "smuggling") {
		t.Errorf("the alert of the article: %d %s", st, b)
	}
	st, b = ts.api(t, keys["bea"], "GET /v1/media/{id}", "GET", "/v1/media/"+a.ID, "")
	full := mustDecode[interdict.Article](t, b)
	if st != 200 || !strings.Contains(full.Text, "PETRAUSKAS, Jonas") {
		t.Errorf("GET /v1/media/{id}: %d %s", st, b)
	}
	return a.ID
}

// mediaBrowser signs in as an analyst, opens the Media page, filters by
// topic, opens the article and follows the highlighted party.
func mediaBrowser(t *testing.T, ts *testServer, articleID string) {
	ctx := newBrowser(t)
	br := &browser{t: t, ctx: ctx, ts: ts, dir: artifacts(t)}
	br.do(
		chromedp.Navigate(ts.URL()+"/media"),
		chromedp.WaitVisible(chromedp.ID("password")),
		chromedp.SendKeys(chromedp.ID("name"), "ana"),
		chromedp.SendKeys(chromedp.ID("password"), webPassword),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.ID("articles")),
	)
	br.screenshot("media-list.png")
	list := br.text(`#articles`)
	for _, w := range []string{"5 articles", "Freight forwarder's manager arrested", "W-2", "smuggling", "AMIN INDUSTRIAL COMPLEX"} {
		if !strings.Contains(list, w) {
			t.Errorf("the Media page lacks %q:\n%s", w, list)
		}
	}
	br.do(
		chromedp.SetValue(chromedp.ID("topic"), "smuggling"),
		chromedp.Submit(chromedp.ID("topic")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/media/`+articleID+`"]`)),
	)
	if list := br.text(`#articles`); !strings.Contains(list, "1 article") || strings.Contains(list, "Credit union") {
		t.Errorf("filtered by smuggling:\n%s", list)
	}
	br.do(
		chromedp.Click(chromedp.CSS(`a[href="/media/`+articleID+`"]`)),
		chromedp.WaitVisible(chromedp.ID("text-h")),
	)
	br.screenshot("media-article.png")
	page := br.text(`main`)
	for _, w := range []string{"Parties of the book mentioned", "W-2", "arrest-indictment", "Harbour Wire", "PETRAUSKAS, Jonas"} {
		if !strings.Contains(page, w) {
			t.Errorf("the article page lacks %q:\n%s", w, page)
		}
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("mark.m-book").length`)); err != nil || n != 1 {
		t.Errorf("%d highlighted mentions of the party (%v), want 1", n, err)
	}
}
