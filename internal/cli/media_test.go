package cli_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/cli"
)

func TestMediaCLI(t *testing.T) {
	home, dir := t.TempDir(), t.TempDir()
	if code, out, errOut := runAs(t, home, nil, "lists", "import", writeFile(t, dir, "un.xml", unXML(t, nil))); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	book := writeFile(t, dir, "book.csv", []byte("Customer ID,Name,Country\nP-BALTIC,Baltic Amber Logistics UAB,LT\nP-PETRAUSKAS,Jonas Petrauskas,LT\n"))
	if code, out, errOut := runAs(t, home, nil, "book", "import", book); code != 0 {
		t.Fatalf("book import: exit %d\n%s%s", code, out, errOut)
	}
	feed, err := os.ReadFile("../../media/testdata/wire-en.rss")
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(feed)
	}))
	defer ts.Close()

	code, out, errOut := runAs(t, home, nil, "media", "ingest", ts.URL+"/feed.xml")
	if code != cli.ExitMatch || !strings.Contains(out, "5 stored, 0 already stored, 0 failed, 2 alerts") || !strings.Contains(out, "parties of the book: P-BALTIC") {
		t.Fatalf("media ingest: exit %d\n%s%s", code, out, errOut)
	}
	// Again, from a file: the same items are stored already.
	code, out, _ = runAs(t, home, nil, "media", "ingest", "../../media/testdata/wire-en.rss")
	if code != 0 || !strings.Contains(out, "0 stored, 5 already stored, 0 failed, 0 alerts") {
		t.Errorf("media ingest again: exit %d\n%s", code, out)
	}
	if l := listAlerts(t, home); l.Total != 2 {
		t.Errorf("%d alerts, want 2", l.Total)
	}
	var list struct {
		Total    int                  `json:"total"`
		Articles []*interdict.Article `json:"articles"`
	}
	code, out, _ = runAs(t, home, nil, "media", "list", "--json", "--party", "P-BALTIC")
	if err := json.Unmarshal([]byte(out), &list); code != 0 || err != nil || list.Total != 1 || list.Articles[0].Parties[0].AlertID == "" {
		t.Fatalf("media list --party: exit %d, %v\n%s", code, err, out)
	}
	id := list.Articles[0].ID
	code, out, _ = runAs(t, home, nil, "media", "list", "--entity", "un:IRe.003")
	if code != 0 || !strings.Contains(out, "Missile programme supplier") || !strings.Contains(out, "1 of 1 articles") {
		t.Errorf("media list --entity: exit %d\n%s", code, out)
	}
	code, out, _ = runAs(t, home, nil, "media", "list", "--topic", "smuggling")
	if code != 0 || !strings.Contains(out, "P-PETRAUSKAS!") {
		t.Errorf("media list --topic: exit %d\n%s", code, out)
	}
	if code, _, errOut := runAs(t, home, nil, "media", "list", "--topic", "gossip"); code != cli.ExitUsage || !strings.Contains(errOut, "unknown topic") {
		t.Errorf("media list --topic gossip: exit %d %s", code, errOut)
	}
	code, out, _ = runAs(t, home, nil, "media", "show", id)
	if code != 0 {
		t.Errorf("media show: exit %d", code)
	}
	for _, w := range []string{"Vilnius logistics firm raided", "https://harbour-wire.example/2026/11/baltic-amber-raid", "P-BALTIC (Baltic Amber Logistics UAB) ×2",
		"un:KPe.001", "topic sanctions-evasion", "Customs officers searched"} {
		if !strings.Contains(out, w) {
			t.Errorf("media show lacks %q:\n%s", w, out)
		}
	}
	var a interdict.Article
	code, out, _ = runAs(t, home, nil, "media", "show", id, "--json")
	if err := json.Unmarshal([]byte(out), &a); code != 0 || err != nil || a.ID != id || a.Text == "" || len(a.Mentions) < 3 {
		t.Errorf("media show --json: exit %d, %v\n%s", code, err, out)
	}
	if code, _, errOut := runAs(t, home, nil, "media", "show", "nope"); code != cli.ExitError || !strings.Contains(errOut, "No article nope") {
		t.Errorf("media show nope: exit %d %s", code, errOut)
	}
	// A hostile feed: refused with the feed, line and item; exit 1.
	bad := writeFile(t, dir, "bad.rss", []byte(fmt.Sprintf("<rss><channel><item><title>A</title></item>\n<item><title>B</title>%s</item></channel></rss>", strings.Repeat("<x>", 100))))
	code, _, errOut = runAs(t, home, nil, "media", "ingest", bad)
	if code != cli.ExitError || !strings.Contains(errOut, "feed "+bad+", line 2, item 2") || !strings.Contains(errOut, "nested deeper than 64") {
		t.Errorf("hostile feed: exit %d: %s", code, errOut)
	}
}
