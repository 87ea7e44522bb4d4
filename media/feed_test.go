package media_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/media"
)

func TestParseFeedRSSAndAtom(t *testing.T) {
	for _, tc := range []struct {
		file, format, title string
		items               int
		first               media.Item
	}{
		{"testdata/wire-en.rss", "rss", "Harbour Wire", 5, media.Item{Title: "Vilnius logistics firm raided over sanctions evasion",
			Link: "https://harbour-wire.example/2026/11/baltic-amber-raid", GUID: "hw-2026-1101", HTML: true}},
		{"testdata/europe.atom", "atom", "Europa Handelsnachrichten", 4, media.Item{Title: "Anklage gegen Schweizer Messtechnikhersteller wegen Schmuggel",
			Link: "https://europa-handel.example/de/2026/helvetia-anklage", GUID: "urn:uuid:5a1e0d64-0000-4000-8000-000000000002", HTML: true}},
	} {
		f, err := os.Open(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		feed, err := media.ParseFeed(tc.file, f, media.DefaultFeedLimits())
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if feed.Format != tc.format || feed.Title != tc.title || len(feed.Items) != tc.items {
			t.Fatalf("%s: %s %q with %d items", tc.file, feed.Format, feed.Title, len(feed.Items))
		}
		it := feed.Items[0]
		if it.Title != tc.first.Title || it.Link != tc.first.Link || it.GUID != tc.first.GUID || it.HTML != tc.first.HTML || it.Published.IsZero() || it.Body == "" {
			t.Errorf("%s: first item %+v", tc.file, it)
		}
	}
}

// Elements of other vocabularies with the names of item fields (Media
// RSS, iTunes) are not taken for the item's title, content or date.
func TestParseFeedOtherNamespaces(t *testing.T) {
	rss := `<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>T</title><item>
<media:title>Photo caption</media:title>
<title>Real title</title>
<media:content url="https://x.example/a.jpg"><media:description>A photo of a harbour</media:description></media:content>
<description>The real description.</description>
<itunes:summary>Podcast summary</itunes:summary>
<content:encoded>The full text.</content:encoded>
</item></channel></rss>`
	feed, err := media.ParseFeed("ns.rss", strings.NewReader(rss), media.DefaultFeedLimits())
	if err != nil {
		t.Fatal(err)
	}
	if it := feed.Items[0]; it.Title != "Real title" || it.Body != "The full text." {
		t.Errorf("item %+v", it)
	}
}

func TestParseFeedRDFAndDates(t *testing.T) {
	rdf := `<?xml version="1.0" encoding="ISO-8859-1"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Gazette</title><link>https://gazette.example/</link></channel>
<item><title>Caf` + "\xe9" + ` owner fined</title><link>https://gazette.example/1</link><dc:date>2026-11-02</dc:date><description>Plain &amp; simple&nbsp;text.</description></item>
<item><title>Undated</title><pubDate>the second of November</pubDate><description>x</description></item>
</rdf:RDF>`
	feed, err := media.ParseFeed("gazette.rdf", strings.NewReader(rdf), media.DefaultFeedLimits())
	if err != nil {
		t.Fatal(err)
	}
	if feed.Format != "rdf" || feed.Title != "Gazette" || len(feed.Items) != 2 {
		t.Fatalf("%+v", feed)
	}
	if it := feed.Items[0]; it.Title != "Café owner fined" || it.Published.Format("2006-01-02") != "2026-11-02" || it.Body != "Plain & simple\u00a0text." {
		t.Errorf("item 1: %+v", it)
	}
	if it := feed.Items[1]; !it.Published.IsZero() || it.DateText != "the second of November" {
		t.Errorf("item 2: %+v", it)
	}
	// An unreadable date is a warning of the item, not a failure.
	e := newEnv(t)
	rep, err := e.svc.IngestData(context.Background(), "tester", "gazette.rdf", []byte(rdf), "")
	if err != nil || rep.Stored != 2 || len(rep.Articles[1].Warnings) != 1 || !strings.Contains(rep.Articles[1].Warnings[0], "the second of November") {
		t.Errorf("ingest: %+v, %v", rep, err)
	}
}

// newRepeat yields head, then body n times, then tail, without holding it
// all in memory.
func newRepeat(head, body, tail string, n int) io.Reader {
	return io.MultiReader(strings.NewReader(head), &repeater{body: []byte(body), n: n}, strings.NewReader(tail))
}

type repeater struct {
	body []byte
	n    int
	off  int
}

func (r *repeater) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := copy(p, r.body[r.off:])
	r.off += k
	if r.off == len(r.body) {
		r.off = 0
		r.n--
	}
	return k, nil
}

// Hostile and broken feeds are refused with an error naming the feed, the
// line and the item.
func TestParseFeedHostile(t *testing.T) {
	item := `<item><title>Ordinary item</title><description>Text.</description></item>` + "\n"
	lim := media.DefaultFeedLimits()
	for _, tc := range []struct {
		name string
		r    func() io.Reader
		lim  media.FeedLimits
		want []string
		is   error
	}{
		{"huge.rss", func() io.Reader {
			// 1 GiB of items: refused at the 32 MiB limit, never read whole.
			big := `<item><title>Big item</title><description>` + strings.Repeat("word ", 4000) + `</description></item>` + "\n"
			return newRepeat(`<rss><channel><title>Huge</title>`, big, `</channel></rss>`, (1<<30)/len(big))
		}, lim, []string{"feed huge.rss", "larger than the limit of 33554432 bytes"}, media.ErrFeedTooLarge},
		{"invalid.rss", func() io.Reader {
			return strings.NewReader("<rss><channel>\n<item><title>First</title></item>\n<item><title>Second</title>\n<description>a < b</description></item></channel></rss>")
		}, lim, []string{"feed invalid.rss", "line 4", "item 2", `"Second"`, "invalid XML"}, nil},
		{"laughs.rss", func() io.Reader {
			return strings.NewReader(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><rss><channel><item><title>&lol3;</title></item></channel></rss>`)
		}, lim, []string{"feed laughs.rss", "line 1", "DOCTYPE declaration is not allowed"}, nil},
		{"undeclared-entity.rss", func() io.Reader {
			return strings.NewReader("<rss><channel><item><title>A</title></item>\n<item><title>B &xxe; </title></item></channel></rss>")
		}, lim, []string{"feed undeclared-entity.rss", "line 2", "item 2", "invalid XML", "xxe"}, nil},
		{"deep.rss", func() io.Reader {
			return newRepeat("<rss><channel><item><title>Deep</title><description>", "<div>", "", 100000)
		}, lim, []string{"feed deep.rss", "item 1", `"Deep"`, "nested deeper than 64"}, nil},
		{"many.rss", func() io.Reader {
			return newRepeat("<rss><channel>", item, "</channel></rss>", 20)
		}, media.FeedLimits{MaxItems: 10}, []string{"feed many.rss", "item 11", "more than 10 items"}, nil},
		{"bigfield.rss", func() io.Reader {
			return newRepeat("<rss><channel><item><title>Big</title><description>", "aaaaaaaaaaaaaaaa", "</description></item></channel></rss>", 1<<16+1)
		}, media.FeedLimits{MaxField: 1 << 20}, []string{"feed bigfield.rss", "item 1", "text of <description> is larger than the limit of 1048576 bytes"}, nil},
		{"page.html", func() io.Reader { return strings.NewReader("<html><body>hello</body></html>") }, lim, []string{"feed page.html", "not an RSS or Atom feed", "<html>"}, media.ErrNotFeed},
		{"empty.rss", func() io.Reader { return strings.NewReader("") }, lim, []string{"feed empty.rss", "not an RSS or Atom feed"}, media.ErrNotFeed},
		{"truncated.atom", func() io.Reader {
			return strings.NewReader("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>\n<entry><title>Cut</title><content>half")
		}, lim, []string{"feed truncated.atom", "item 1", `"Cut"`, "unexpected EOF"}, nil},
		{"charset.rss", func() io.Reader {
			return strings.NewReader(`<?xml version="1.0" encoding="KOI8-R"?><rss><channel></channel></rss>`)
		}, lim, []string{"feed charset.rss", `encoding "KOI8-R" is not supported`}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := media.ParseFeed(tc.name, tc.r(), tc.lim)
			if err == nil {
				t.Fatal("accepted")
			}
			var fe *media.FeedError
			if !errors.As(err, &fe) {
				t.Errorf("error %T %v, want a *FeedError", err, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v is not %v", err, tc.is)
			}
			if len(err.Error()) > 400 {
				t.Errorf("error of %d bytes", len(err.Error()))
			}
		})
	}
}

// A feed refused is refused whole through the service too, and nothing of
// it is stored.
func TestIngestHostileFeed(t *testing.T) {
	e := newEnv(t, testBook...)
	bad := []byte("<rss><channel><item><title>Jonas Petrauskas arrested</title><description>smuggling</description></item>\n<item><title>x</title><description>&bad;</description></item></channel></rss>")
	_, err := e.svc.IngestData(context.Background(), "tester", "bad.rss", bad, "application/rss+xml")
	if err == nil || !strings.Contains(err.Error(), "feed bad.rss, line 2, item 2") {
		t.Fatalf("error %v", err)
	}
	if _, n, _ := e.store.FindArticles(context.Background(), interdict.ArticleFilter{}); n != 0 {
		t.Errorf("%d articles stored from a refused feed", n)
	}
	if as := e.alerts(t); len(as) != 0 {
		t.Errorf("%d alerts from a refused feed", len(as))
	}
}

func FuzzParseFeed(f *testing.F) {
	for _, name := range []string{"testdata/wire-en.rss", "testdata/europe.atom"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<rdf:RDF xmlns:rdf="x"><item><title>t</title><dc:date>2026-01-01</dc:date></item></rdf:RDF>`))
	f.Add([]byte(`<feed><entry><content type="xhtml"><div><p>a</p><p>b</p></div></content><link href="u"/></entry></feed>`))
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "b">]><rss/>`))
	lim := media.FeedLimits{MaxBytes: 1 << 20, MaxItems: 100, MaxDepth: 32, MaxField: 64 << 10}
	f.Fuzz(func(t *testing.T, b []byte) {
		feed, err := media.ParseFeed("fuzz.xml", bytes.NewReader(b), lim)
		if err != nil {
			var fe *media.FeedError
			if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), "feed fuzz.xml") {
				t.Fatalf("error %T %q does not name the feed", err, err)
			}
			return
		}
		if len(feed.Items) > lim.MaxItems {
			t.Fatalf("%d items over the limit %d", len(feed.Items), lim.MaxItems)
		}
		for _, it := range feed.Items {
			if len(it.Body) > lim.MaxField || len(it.Title) > lim.MaxField {
				t.Fatalf("a field over the limit: %d, %d bytes", len(it.Body), len(it.Title))
			}
		}
	})
}
