package screen_test

import (
	"context"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/interdict/interdict"
	"github.com/interdict/interdict/match"
	"github.com/interdict/interdict/screen"
)

func fixtures() []interdict.Entity {
	return []interdict.Entity{
		{ID: "a:1", List: "a", Kind: interdict.KindPerson, Names: []interdict.Name{{Full: "John Smith", Quality: interdict.NamePrimary}}},
		{ID: "a:2", List: "a", Kind: interdict.KindPerson, Names: []interdict.Name{{Full: "Jon Smyth", Quality: interdict.NamePrimary}}},
		{ID: "b:1", List: "b", Kind: interdict.KindOrganization, Names: []interdict.Name{{Full: "Smith Trading LLC", Quality: interdict.NamePrimary}}},
		{ID: "b:2", List: "b", Kind: interdict.KindVessel, Names: []interdict.Name{{Full: "OCEAN STAR", Quality: interdict.NamePrimary}},
			Identifiers: []interdict.Identifier{{Type: interdict.IDIMO, Value: "IMO 9233753"}}},
	}
}

func MustScreener(tb testing.TB, p screen.Policy) *screen.Screener {
	tb.Helper()
	s, err := screen.NewScreener(match.NewIndex(fixtures()), p, map[string]string{"a": "1", "b": "7"})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestPolicy_Hash(t *testing.T) {
	p := screen.DefaultPolicy()
	h := p.Hash()
	if len(h) != 64 {
		t.Fatalf("Hash() = %q, want 64 hex digits", h)
	}
	if h2 := screen.DefaultPolicy().Hash(); h2 != h {
		t.Errorf("Hash() not stable: %s then %s", h, h2)
	}
	a, b := p, p
	a.Lists, b.Lists = []string{"x", "y"}, []string{"y", "x"}
	a.Kinds, b.Kinds = []interdict.Kind{interdict.KindPerson, interdict.KindVessel}, []interdict.Kind{interdict.KindVessel, interdict.KindPerson}
	if a.Hash() != b.Hash() {
		t.Errorf("Hash() depends on the order of lists and kinds")
	}
	if a.Lists[0] != "x" || b.Lists[0] != "y" {
		t.Errorf("Hash() reordered the caller's slices")
	}
	for name, change := range map[string]func(*screen.Policy){
		"threshold": func(p *screen.Policy) { p.Threshold = 0.81 },
		"min_score": func(p *screen.Policy) { p.MinScore = 0.5 },
		"limit":     func(p *screen.Policy) { p.Limit = 11 },
		"lists":     func(p *screen.Policy) { p.Lists = []string{"a"} },
		"kinds":     func(p *screen.Policy) { p.Kinds = []interdict.Kind{interdict.KindPerson} },
		"weights":   func(p *screen.Policy) { p.Weights.DOBMatch += 0.01 },
	} {
		q := screen.DefaultPolicy()
		change(&q)
		if q.Hash() == h {
			t.Errorf("changing %s left the hash unchanged", name)
		}
	}
}

func TestPolicy_Validate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*screen.Policy)
		ok     bool
	}{
		{"OK", func(*screen.Policy) {}, true},
		{"ThresholdZero", func(p *screen.Policy) { p.Threshold = 0 }, false},
		{"ThresholdAboveOne", func(p *screen.Policy) { p.Threshold = 1.01 }, false},
		{"MinScoreAboveThreshold", func(p *screen.Policy) { p.MinScore = p.Threshold + 0.01 }, false},
		{"MinScoreNegative", func(p *screen.Policy) { p.MinScore = -0.1 }, false},
		{"LimitZero", func(p *screen.Policy) { p.Limit = 0 }, false},
		{"UnknownKind", func(p *screen.Policy) { p.Kinds = []interdict.Kind{"spaceship"} }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := screen.DefaultPolicy()
			tc.change(&p)
			err := p.Validate()
			if tc.ok && err != nil {
				t.Errorf("Validate() = %v, want nil", err)
			}
			if !tc.ok && interdict.ErrorCode(err) != interdict.EINVALID {
				t.Errorf("Validate() = %v, want EINVALID", err)
			}
			if _, err2 := screen.NewScreener(match.NewIndex(nil), p, nil); (err2 == nil) != tc.ok {
				t.Errorf("NewScreener() error = %v, want error %v", err2, !tc.ok)
			}
		})
	}
}

func TestScreener_Screen(t *testing.T) {
	ctx := context.Background()
	t.Run("ErrInvalid", func(t *testing.T) {
		s := MustScreener(t, screen.DefaultPolicy())
		for _, q := range []interdict.Query{{}, {Name: "  \t"}, {Name: " ", IDNumber: " "}} {
			if _, err := s.Screen(ctx, q); interdict.ErrorCode(err) != interdict.EINVALID {
				t.Errorf("Screen(%+v) error = %v, want EINVALID", q, err)
			}
		}
	})
	t.Run("Canceled", func(t *testing.T) {
		s := MustScreener(t, screen.DefaultPolicy())
		c, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.Screen(c, interdict.Query{Name: "John Smith"}); err == nil {
			t.Error("Screen on a cancelled context = nil error")
		}
	})
	t.Run("Deterministic", func(t *testing.T) {
		s := MustScreener(t, screen.DefaultPolicy())
		q := interdict.Query{Name: "Jon Smith", DOB: "1960", Country: "GB"}
		want, err := s.Screen(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 5; i++ {
			// A fresh index over the same entities gives the same result too.
			got, err := MustScreener(t, screen.DefaultPolicy()).Screen(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("run %d differs (-first +now):\n%s", i, diff)
			}
		}
	})
	t.Run("ThresholdAndAlert", func(t *testing.T) {
		for _, th := range []float64{0.6, 0.8, 0.95, 1} {
			p := screen.DefaultPolicy()
			p.Threshold, p.MinScore = th, 0.3
			s := MustScreener(t, p)
			res, err := s.Screen(ctx, interdict.Query{Name: "John Smith"})
			if err != nil {
				t.Fatal(err)
			}
			if res.Policy != p.Hash() {
				t.Errorf("Policy = %s, want %s", res.Policy, p.Hash())
			}
			if diff := cmp.Diff(map[string]string{"a": "1", "b": "7"}, res.Lists); diff != "" {
				t.Errorf("Lists (-want +got):\n%s", diff)
			}
			alert := false
			for _, h := range res.Hits {
				if h.Score < p.MinScore {
					t.Errorf("threshold %.2f: hit %s at %.3f below min_score %.2f", th, h.EntityID, h.Score, p.MinScore)
				}
				alert = alert || h.Score >= th
			}
			if res.Alert != alert {
				t.Errorf("threshold %.2f: Alert = %v, want %v (hits %+v)", th, res.Alert, alert, res.Hits)
			}
			if !sort.SliceIsSorted(res.Hits, func(i, j int) bool {
				a, b := res.Hits[i], res.Hits[j]
				return a.Score > b.Score || a.Score == b.Score && a.EntityID < b.EntityID
			}) {
				t.Errorf("hits not sorted by score then ID: %+v", res.Hits)
			}
			if len(res.Hits) == 0 || res.Hits[0].EntityID != "a:1" {
				t.Fatalf("top hit = %+v, want a:1", res.Hits)
			}
			if top := res.Hits[0]; top.MatchedName != "John Smith" || top.Explanation.NameScore == 0 || len(top.Explanation.Alignment) == 0 {
				t.Errorf("top hit not explained: %+v", top)
			}
		}
	})
	t.Run("Limit", func(t *testing.T) {
		p := screen.DefaultPolicy()
		p.Limit, p.MinScore = 1, 0
		res, err := MustScreener(t, p).Screen(ctx, interdict.Query{Name: "Smith"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 1 {
			t.Errorf("got %d hits, want 1", len(res.Hits))
		}
	})
	t.Run("ListsAndKinds", func(t *testing.T) {
		p := screen.DefaultPolicy()
		p.MinScore = 0
		p.Lists = []string{"b"}
		res, err := MustScreener(t, p).Screen(ctx, interdict.Query{Name: "John Smith"})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if h.List != "b" {
				t.Errorf("hit %s from list %s, want only list b", h.EntityID, h.List)
			}
		}
		p.Lists = nil
		p.Kinds = []interdict.Kind{interdict.KindVessel}
		res, err = MustScreener(t, p).Screen(ctx, interdict.Query{Name: "John Smith"})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if h.Kind != interdict.KindVessel {
				t.Errorf("hit %s of kind %s, want only vessels", h.EntityID, h.Kind)
			}
		}
	})
	t.Run("Identifier", func(t *testing.T) {
		res, err := MustScreener(t, screen.DefaultPolicy()).Screen(ctx, interdict.Query{IDNumber: "imo9233753"})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Alert || len(res.Hits) == 0 || res.Hits[0].EntityID != "b:2" {
			t.Errorf("identifier query: alert %v hits %+v, want b:2 alerting", res.Alert, res.Hits)
		}
	})
}

func TestCompare(t *testing.T) {
	p := screen.DefaultPolicy()
	for _, tc := range []struct {
		a, b  string
		alert bool
	}{
		{"John Smith", "SMITH, John", true},
		{"Jon Smith", "John Smith", true},
		{"John Smith", "Omar Kamal", false},
		{"11420 CORP.", "BELLETECH CORP", false},
		// Names separated by semicolons are compared one by one.
		{"Ali Akber Tabatabaei; Ali Akbar Tahmaesebi", "ALI AKBAR TABATABAEI", true},
		{"Omar Kamal; John Smith", "SMITH, John", true},
		{"Omar Kamal; Ali Hassan", "SMITH, John", false},
		{";", "John Smith", false},
	} {
		c := screen.Compare(p, interdict.Query{Name: tc.a}, interdict.Query{Name: tc.b})
		if c.Alert != tc.alert || c.Alert != (c.Score >= p.Threshold) || c.Policy != p.Hash() {
			t.Errorf("Compare(%q, %q) = %+v, want alert %v under policy %s", tc.a, tc.b, c, tc.alert, p.Hash())
		}
		if again := screen.Compare(p, interdict.Query{Name: tc.a}, interdict.Query{Name: tc.b}); !cmp.Equal(c, again) {
			t.Errorf("Compare(%q, %q) not deterministic", tc.a, tc.b)
		}
	}
}
