package cli_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestScan(t *testing.T) {
	home, dir := t.TempDir(), t.TempDir()
	if code, out, errOut := run(t, home, nil, "lists", "import", writeFile(t, dir, "un.xml", unXML(t, nil))); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	news := writeFile(t, dir, "news.txt", []byte("Investigators said the Korea Mining Development Trading Corporation "+
		"smuggled ballistic missile parts out of Nampo, with payments through Tanchon Commercial Bank.\n"))
	clean := writeFile(t, dir, "clean.txt", []byte("Union Pacific said the National Bank of Canada raised its target.\n"))
	page := "<html><body><nav>Home</nav><article><p>A court charged Tanchon Commercial Bank officials.</p></article></body></html>"
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	defer ts.Close()

	t.Run("Text", func(t *testing.T) {
		code, out, errOut := run(t, home, nil, "scan", news)
		if code != 3 {
			t.Fatalf("exit %d, want 3 (a listed party)\n%s%s", code, out, errOut)
		}
		for _, want := range []string{"Korea Mining Development Trading Corporation", "Tanchon Commercial Bank", "place:KP:Nampo", "goods:9A004", "topic smuggling"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("JSON", func(t *testing.T) {
		code, out, errOut := run(t, home, nil, "scan", "--json", news, clean)
		if code != 3 {
			t.Fatalf("exit %d\n%s", code, errOut)
		}
		dec := json.NewDecoder(strings.NewReader(out))
		type doc struct {
			Document string `json:"document"`
			Mentions []struct {
				Kind     string `json:"kind"`
				EntityID string `json:"entity_id"`
				Text     string `json:"text"`
				Start    int    `json:"start"`
				End      int    `json:"end"`
			} `json:"mentions"`
			Topics []struct {
				Topic string `json:"topic"`
			} `json:"topics"`
		}
		var docs []doc
		for dec.More() {
			var one doc
			if err := dec.Decode(&one); err != nil {
				t.Fatal(err)
			}
			docs = append(docs, one)
		}
		if len(docs) != 2 {
			t.Fatalf("%d JSON documents, want 2", len(docs))
		}
		parties := 0
		for _, m := range docs[0].Mentions {
			if m.Kind == "party" {
				parties++
				if !strings.HasPrefix(m.EntityID, "un:") {
					t.Errorf("party %q: entity %s, want a UN entity", m.Text, m.EntityID)
				}
			}
		}
		if parties != 2 {
			t.Errorf("news: %d party mentions, want 2: %+v", parties, docs[0].Mentions)
		}
		for _, m := range docs[1].Mentions {
			if m.Kind == "party" {
				t.Errorf("clean text: party mention %+v", m)
			}
		}
	})
	t.Run("URL", func(t *testing.T) {
		code, out, errOut := run(t, home, ts.Client(), "scan", ts.URL+"/story")
		if code != 3 || !strings.Contains(out, "(html,") || !strings.Contains(out, "Tanchon Commercial Bank") {
			t.Errorf("scan URL: exit %d\n%s%s", code, out, errOut)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		if code, _, _ := run(t, home, nil, "scan"); code != 2 {
			t.Errorf("scan with no document: exit %d, want 2", code)
		}
		if code, _, errOut := run(t, home, nil, "scan", dir+"/missing.txt"); code != 1 || !strings.Contains(errOut, "missing.txt") {
			t.Errorf("scan of a missing file: exit %d, %s", code, errOut)
		}
		if code, _, errOut := run(t, home, nil, "scan", "--max-bytes", "10", news); code != 1 || !strings.Contains(errOut, "too large") {
			t.Errorf("scan of a file over the limit: exit %d, %s", code, errOut)
		}
	})
}
