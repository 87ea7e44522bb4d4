package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/interdict/interdict"
)

func article(title, url, text string) *interdict.Article {
	return &interdict.Article{Title: title, URL: url, Source: "Test Wire", Feed: "feed.xml", Text: text, Hash: interdict.ContentHash(text),
		Published: time.Date(2026, 11, 30, 8, 15, 0, 0, time.UTC)}
}

// Media runs the interdict.MediaStore contract on fresh stores made by
// newStore.
func Media(t *testing.T, newStore func(t *testing.T) interdict.MediaStore) {
	ctx := context.Background()

	t.Run("CreateFind", func(t *testing.T) {
		s := newStore(t)
		a := article("Trader held in smuggling case", "https://news.example/1", "Police arrested ACME Trading for smuggling. Kalaye Electric was named.")
		a.Mentions = []interdict.ArticleMention{
			{Kind: interdict.MentionBookParty, PartyID: "C-1", Name: "ACME Trading", Text: "ACME Trading", Start: 16, End: 28, CharStart: 16, CharEnd: 28, Sentence: "Police arrested ACME Trading for smuggling.", Score: 1},
			{Kind: interdict.MentionParty, EntityID: "ofac-sdn:10122", Name: "KALAYE ELECTRIC COMPANY", Text: "Kalaye Electric", Start: 44, End: 59, Score: 0.93, Why: "alias"},
		}
		a.Topics = []interdict.ArticleTopic{{Topic: "smuggling", Sentences: []string{"Police arrested ACME Trading for smuggling."}, Terms: []string{"smuggling"}}, {Topic: "arrest", Sentences: []string{"Police arrested ACME Trading for smuggling."}}}
		a.Parties = []interdict.ArticleParty{{PartyID: "C-1", Name: "ACME Trading", Count: 1, Score: 1, Topics: []string{"arrest", "smuggling"}}}
		if err := s.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if a.ID == "" || a.IngestedAt.IsZero() {
			t.Fatalf("CreateArticle set ID %q, IngestedAt %v", a.ID, a.IngestedAt)
		}
		got, err := s.FindArticle(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Text != a.Text || got.Title != a.Title || got.URL != a.URL || got.Source != a.Source || got.Feed != a.Feed || got.Hash != a.Hash {
			t.Errorf("read back %+v, want %+v", got, a)
		}
		if !got.Published.Equal(a.Published) || !got.IngestedAt.Equal(a.IngestedAt) {
			t.Errorf("times read back %v, %v; want %v, %v", got.Published, got.IngestedAt, a.Published, a.IngestedAt)
		}
		if len(got.Mentions) != 2 || got.Mentions[0] != a.Mentions[0] || got.Mentions[1].EntityID != "ofac-sdn:10122" {
			t.Errorf("mentions read back %+v", got.Mentions)
		}
		if len(got.Topics) != 2 || got.Topics[0].Topic != "smuggling" || got.Topics[0].Sentences[0] != a.Topics[0].Sentences[0] {
			t.Errorf("topics read back %+v", got.Topics)
		}
		if len(got.Parties) != 1 || got.Parties[0].PartyID != "C-1" || len(got.Parties[0].Topics) != 2 || got.Parties[0].AlertID != "" {
			t.Errorf("parties read back %+v", got.Parties)
		}
		_, err = s.FindArticle(ctx, "nope")
		wantCode(t, "FindArticle of a missing article", err, interdict.ENOTFOUND)
	})

	t.Run("Dedupe", func(t *testing.T) {
		s := newStore(t)
		a := article("One", "https://news.example/a", "Some text.")
		if err := s.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		same := article("One again", "", "  Some\n text. ")
		wantCode(t, "an article with the same text (white space aside)", s.CreateArticle(ctx, same), interdict.ECONFLICT)
		sameURL := article("One, updated", "https://news.example/a", "Other text.")
		wantCode(t, "an article with the same URL", s.CreateArticle(ctx, sameURL), interdict.ECONFLICT)
		// Two local files (no URL) with different texts are two articles.
		if err := s.CreateArticle(ctx, article("File 1", "", "first")); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateArticle(ctx, article("File 2", "", "second")); err != nil {
			t.Fatalf("a second article without URL: %v", err)
		}
		got, err := s.FindArticleByKey(ctx, interdict.ContentHash("Some text."), "")
		if err != nil || got.ID != a.ID {
			t.Errorf("FindArticleByKey(hash) = %+v, %v; want %s", got, err, a.ID)
		}
		got, err = s.FindArticleByKey(ctx, "no-such-hash", "https://news.example/a")
		if err != nil || got.ID != a.ID {
			t.Errorf("FindArticleByKey(url) = %+v, %v; want %s", got, err, a.ID)
		}
		_, err = s.FindArticleByKey(ctx, "no-such-hash", "https://news.example/zzz")
		wantCode(t, "FindArticleByKey of nothing stored", err, interdict.ENOTFOUND)
		_, n, err := s.FindArticles(ctx, interdict.ArticleFilter{})
		if err != nil || n != 3 {
			t.Errorf("FindArticles counts %d, %v; want 3", n, err)
		}
		// Concurrent ingestion of one article: exactly one is stored.
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.CreateArticle(ctx, article(fmt.Sprintf("Race %d", i), "https://news.example/race", "race text"))
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if interdict.ErrorCode(err) != interdict.ECONFLICT {
				t.Errorf("concurrent create: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d of %d concurrent creates of one article succeeded, want 1", ok, len(errs))
		}
	})

	t.Run("Invalid", func(t *testing.T) {
		s := newStore(t)
		wantCode(t, "an article with no hash", s.CreateArticle(ctx, &interdict.Article{Title: "x"}), interdict.EINVALID)
		wantCode(t, "an article with no title", s.CreateArticle(ctx, &interdict.Article{Hash: "x"}), interdict.EINVALID)
	})

	t.Run("Filters", func(t *testing.T) {
		s := newStore(t)
		mk := func(title, entity, party, topic string) *interdict.Article {
			a := article(title, "", title+" text")
			if entity != "" {
				a.Mentions = append(a.Mentions, interdict.ArticleMention{Kind: interdict.MentionParty, EntityID: entity, Name: entity, Text: entity})
			}
			a.Mentions = append(a.Mentions, interdict.ArticleMention{Kind: interdict.MentionPlace, EntityID: "place:IR", Name: "Iran", Text: "Iran"})
			if party != "" {
				a.Parties = append(a.Parties, interdict.ArticleParty{PartyID: party, Name: party, Count: 1, Score: 1})
			}
			if topic != "" {
				a.Topics = append(a.Topics, interdict.ArticleTopic{Topic: topic, Sentences: []string{"s"}})
			}
			if err := s.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		a1 := mk("Alpha report", "un:QDi.1", "C-1", "fraud")
		a2 := mk("Beta report", "un:QDi.1", "", "smuggling")
		a3 := mk("Gamma", "", "C-1", "smuggling")
		ids := func(f interdict.ArticleFilter) []string {
			as, n, err := s.FindArticles(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, a := range as {
				if a.Text != "" {
					t.Errorf("FindArticles returned the text of %s", a.ID)
				}
				out = append(out, a.ID)
			}
			if f.Limit == 0 && n != len(out) {
				t.Errorf("FindArticles(%+v) counts %d, returns %d", f, n, len(out))
			}
			return out
		}
		eq := func(what string, got []string, want ...*interdict.Article) {
			t.Helper()
			if len(got) != len(want) {
				t.Errorf("%s: %v, want %d articles", what, got, len(want))
				return
			}
			for i := range want {
				if got[i] != want[i].ID {
					t.Errorf("%s: %v, want %s at %d (newest first)", what, got, want[i].ID, i)
				}
			}
		}
		eq("all", ids(interdict.ArticleFilter{}), a3, a2, a1)
		eq("entity", ids(interdict.ArticleFilter{EntityID: "un:QDi.1"}), a2, a1)
		eq("place ids are not entities", ids(interdict.ArticleFilter{EntityID: "place:IR"}))
		eq("party", ids(interdict.ArticleFilter{PartyID: "C-1"}), a3, a1)
		eq("topic", ids(interdict.ArticleFilter{Topic: "smuggling"}), a3, a2)
		eq("party and topic", ids(interdict.ArticleFilter{PartyID: "C-1", Topic: "smuggling"}), a3)
		eq("title", ids(interdict.ArticleFilter{Query: "REPORT"}), a2, a1)
		eq("page", ids(interdict.ArticleFilter{Offset: 1, Limit: 1}), a2)
		as, _, err := s.FindArticles(ctx, interdict.ArticleFilter{PartyID: "C-1"})
		if err != nil || len(as) != 2 || len(as[0].Parties) != 1 || as[0].Parties[0].PartyID != "C-1" || len(as[0].Mentions) != 1 {
			t.Errorf("FindArticles(party C-1) = %+v, %v: want the parties and mentions of each", as, err)
		}
	})

	t.Run("AlertOncePerPartyAndArticle", func(t *testing.T) {
		s := newStore(t)
		a := article("A", "", "a text")
		a.Parties = []interdict.ArticleParty{{PartyID: "C-1", Name: "One", Count: 1, Score: 1}, {PartyID: "C-2", Name: "Two", Count: 2, Score: 0.9}}
		if err := s.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		got := make([]bool, 10)
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := s.ClaimArticleAlert(ctx, a.ID, "C-1")
				if err != nil {
					t.Error(err)
				}
				got[i] = ok
			}()
		}
		wg.Wait()
		n := 0
		for _, ok := range got {
			if ok {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d of 10 concurrent claims of one pair succeeded, want 1", n)
		}
		if err := s.SetArticleAlert(ctx, a.ID, "C-1", "alert-1"); err != nil {
			t.Fatal(err)
		}
		if ok, err := s.ClaimArticleAlert(ctx, a.ID, "C-1"); ok || err != nil {
			t.Errorf("claim after the alert was raised: %v, %v; want false", ok, err)
		}
		// A released claim (the alert could not be raised) can be claimed again.
		if ok, _ := s.ClaimArticleAlert(ctx, a.ID, "C-2"); !ok {
			t.Fatal("first claim of C-2 refused")
		}
		if err := s.SetArticleAlert(ctx, a.ID, "C-2", ""); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.ClaimArticleAlert(ctx, a.ID, "C-2"); !ok {
			t.Error("a released claim could not be claimed again")
		}
		_, err := s.ClaimArticleAlert(ctx, a.ID, "C-9")
		wantCode(t, "claim for a party the article does not mention", err, interdict.ENOTFOUND)
		wantCode(t, "set alert for a party the article does not mention", s.SetArticleAlert(ctx, a.ID, "C-9", "x"), interdict.ENOTFOUND)
		got2, err := s.FindArticle(ctx, a.ID)
		if err != nil || len(got2.Parties) != 2 || got2.Parties[0].AlertID != "alert-1" || got2.Parties[1].Count != 2 {
			t.Errorf("parties read back %+v, %v", got2.Parties, err)
		}
	})
}
