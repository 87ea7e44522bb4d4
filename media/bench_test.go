package media_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/media"
)

var (
	benchFirst = strings.Fields("Anna Jonas Marco Sofia Lukas Elena Pierre Amira Omar Yuki Chen Olga Ivan Maria Jose Fatima Ahmed Lena Erik Nora " +
		"Pablo Ines Tomas Eva Hugo Lea Karim Leila Viktor Irina Mateo Lucia Felix Clara Noah Mia Emil Alma Rafael Zoe")
	benchLast = strings.Fields("Petrauskas Bellandi Novak Horvat Kowalski Jensen Moreau Haddad Tanaka Wong Sokolova Petrov Garcia Fernandes " +
		"Rahimi Schneider Lindqvist Costa Dubois Nakamura Okafor Varga Popescu Silva Keller")
)

// benchBook returns n invented parties of the book: people and companies.
func benchBook(n int) []*interdict.Party {
	ps := make([]*interdict.Party, 0, n)
	for i := 0; len(ps) < n; i++ {
		f, l := benchFirst[i%len(benchFirst)], benchLast[(i/len(benchFirst))%len(benchLast)]
		if i%3 == 2 {
			ps = append(ps, &interdict.Party{ID: fmt.Sprintf("B-%05d", i), Kind: interdict.KindOrganization, Name: l + " " + f + " Trading GmbH"})
			continue
		}
		ps = append(ps, &interdict.Party{ID: fmt.Sprintf("B-%05d", i), Kind: interdict.KindPerson, Name: f + " " + l})
	}
	return ps
}

func benchText(b *testing.B) string {
	data, err := os.ReadFile("../scan/evaldata/en-news-01.txt")
	if err != nil {
		b.Fatal(err)
	}
	return string(data) + "\nPolice arrested Jonas Petrauskas for smuggling.\n"
}

// BenchmarkScanOnly is the scan of one news article on the UN list: the
// baseline of BenchmarkIngestArticle.
func BenchmarkScanOnly(b *testing.B) {
	newEnv(b)
	text := benchText(b)
	sc, err := live.Scanner(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := sc.Scan(context.Background(), "x", fmt.Sprintf("%s %d", text, i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIngestArticle ingests a new article each time (the same news
// text with a number appended) with a book of 1,000 parties: the scan on
// the lists, the scan for the book, the de-duplication, storing and an
// alert raised. BenchmarkIngestArticleReadBook reads the book for every
// article instead.
func BenchmarkIngestArticleReadBook(b *testing.B) { benchIngest(b, -1) }

func BenchmarkIngestArticle(b *testing.B) { benchIngest(b, 0) }

func benchIngest(b *testing.B, refresh time.Duration) {
	e := newEnvRefresh(b, refresh, benchBook(1000)...)
	text := benchText(b)
	ctx := context.Background()
	e.svc.IngestArticle(ctx, "bench", media.Draft{Title: "warm", Text: "warm up"}) // builds the book scanner
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		o := e.svc.IngestArticle(ctx, "bench", media.Draft{Title: "News", Text: fmt.Sprintf("%s %d", text, i)})
		if o.Error != "" || len(o.Alerts) != 1 {
			b.Fatalf("%+v", o)
		}
	}
}

// BenchmarkBookScanner builds the book scanner (done again whenever the
// book changes) for books of 1,000 and 10,000 parties.
func BenchmarkBookScanner(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("parties=%d", n), func(b *testing.B) {
			e := newEnv(b, benchBook(n)...)
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				// A change of one party makes the next ingestion rebuild.
				p := &interdict.Party{ID: "B-00000", Kind: interdict.KindPerson, Name: fmt.Sprintf("Anna Petrauskas %d", i%2)}
				if _, err := e.review.PutParty(ctx, p); err != nil {
					b.Fatal(err)
				}
				if o := e.svc.IngestArticle(ctx, "bench", media.Draft{Title: "t", Text: fmt.Sprintf("Nothing to see %d.", i)}); o.Error != "" {
					b.Fatal(o.Error)
				}
			}
		})
	}
}
