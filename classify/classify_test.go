package classify_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/interdict/interdict"
	"github.com/interdict/interdict/classify"
)

// TestClassifier_Classify runs the table of docs/DOMAIN.md 5.5 and the
// destination rules.
func TestClassifier_Classify(t *testing.T) {
	c := mustClassifier(t)
	tests := []struct {
		name, desc, hs, dest, addr string
		verdict                    interdict.Verdict
		top                        string // expected among the top 3 ("" = none)
		region                     string
		attention                  bool
	}{
		{"pressure transducers", "pressure transducers", "", "", "", interdict.VerdictCandidate, "2B230", "", false},
		{"transducer listed", "absolute pressure transducer, 0-10 kPa, alumina diaphragm, ±0.5 % FS", "", "", "", interdict.VerdictListed, "2B230", "", true},
		{"frequency converter", "frequency converter, multiphase, 40 kW, 600-2000 Hz, ±0.1 %", "", "", "", interdict.VerdictListed, "3A225", "", true},
		{"maraging", "maraging steel bar, UTS 2,050 MPa, 100 mm", "", "", "", interdict.VerdictListed, "1C216", "", true},
		{"stainless pump", "centrifugal pump, stainless steel, nuclear plant cooling", "", "", "", interdict.VerdictCandidate, "", "", false},
		{"office chairs", "office chairs", "9401.30", "", "", interdict.VerdictNotListed, "", "", false},
		{"crimea", "office chairs", "", "UA", "ul. Lenina 5, Simferopol, Crimea", interdict.VerdictNotListed, "", "Crimea", true},
		{"iran", "t-shirts", "", "IR", "", interdict.VerdictNotListed, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.Classify(context.Background(), interdict.LineItem{Description: tt.desc, HSCode: tt.hs, Destination: tt.dest, Address: tt.addr})
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != tt.verdict {
				t.Errorf("%q: verdict %s, want %s (basis %s)", tt.desc, res.Verdict, tt.verdict, res.Basis)
			}
			if tt.top != "" {
				found := false
				for i, cd := range res.Candidates {
					if i < 3 && classify.EntryMatches(cd.Entry, tt.top) {
						found = true
					}
				}
				if !found {
					t.Errorf("%q: %s not in top 3 of %+v", tt.desc, tt.top, res.Candidates)
				}
			}
			if res.Basis == "" {
				t.Errorf("%q: no basis", tt.desc)
			}
			region := ""
			if res.Destination != nil {
				region = res.Destination.Region
			}
			if diff := cmp.Diff([]any{tt.region, tt.attention}, []any{region, res.Attention}); diff != "" {
				t.Errorf("%q: region, attention (-want +got):\n%s", tt.desc, diff)
			}
		})
	}
}

func TestClassifier_Classify_Invalid(t *testing.T) {
	_, err := mustClassifier(t).Classify(context.Background(), interdict.LineItem{})
	if interdict.ErrorCode(err) != interdict.EINVALID {
		t.Errorf("err = %v, want EINVALID", err)
	}
}

type fakeScreener struct{ alert bool }

func (f fakeScreener) Screen(_ context.Context, q interdict.Query) (*interdict.ScreenResult, error) {
	if q.Name == "" {
		return nil, errors.New("no name")
	}
	return &interdict.ScreenResult{Query: q, Alert: f.alert, Hits: []interdict.Hit{{Name: q.Name, Score: 0.95}}}, nil
}

func TestClassifier_EndUser(t *testing.T) {
	c, err := classify.New(classify.Options{Screener: fakeScreener{alert: true}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Classify(context.Background(), interdict.LineItem{Description: "coffee", EndUser: "Bad Co"})
	if err != nil {
		t.Fatal(err)
	}
	if res.EndUser == nil || !res.EndUser.Screened || !res.EndUser.Attention || !res.Attention {
		t.Errorf("end user = %+v, attention %v; want screened with attention", res.EndUser, res.Attention)
	}
	res, err = mustClassifier(t).Classify(context.Background(), interdict.LineItem{Description: "coffee", EndUser: "Bad Co"})
	if err != nil {
		t.Fatal(err)
	}
	if res.EndUser == nil || res.EndUser.Screened {
		t.Errorf("without screener: end user = %+v, want unscreened", res.EndUser)
	}
}

func TestQuantities(t *testing.T) {
	tests := []struct {
		in   string
		want []classify.Quantity
	}{
		{"40 kW", []classify.Quantity{{Dim: "power", Min: 40000, Max: 40000, Text: "40 kW"}}},
		{"600-2000 Hz", []classify.Quantity{{Dim: "frequency", Min: 600, Max: 2000, Text: "600-2000 Hz"}}},
		{"UTS 2,050 MPa", []classify.Quantity{{Dim: "pressure", Min: 2050e6, Max: 2050e6, Text: "2,050 MPa", Pos: 3}}},
		{"±0.1 %", []classify.Quantity{{Dim: "percent", Min: 0.1, Max: 0.1, PlusMinus: true, Text: "±0.1 %"}}},
		{"DN50", []classify.Quantity{{Dim: "length", Min: 0.05, Max: 0.05, Text: "DN50"}}},
		{"office chairs", nil},
	}
	for _, tt := range tests {
		got := classify.Quantities(tt.in)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Quantities(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func FuzzQuantities(f *testing.F) {
	for _, s := range []string{"40 kW", "600–2000 Hz", "±0,5 % FS", "1,000,000 frames per second", "DN 25", "500 krad(Si)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, q := range classify.Quantities(s) {
			if q.Min > q.Max || q.Pos < 0 || q.Pos > len(s) {
				t.Fatalf("Quantities(%q): bad %+v", s, q)
			}
		}
	})
}
