package classify_test

import (
	"context"
	"strings"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/classify"
	"github.com/interdict/interdict/country"
)

// listScreener answers every end user with the given hits; the result
// alerts when alert is true.
type listScreener struct {
	alert bool
	hits  []interdict.Hit
}

func (s listScreener) Screen(_ context.Context, q interdict.Query) (*interdict.ScreenResult, error) {
	return &interdict.ScreenResult{Query: q, Alert: s.alert, Hits: s.hits}, nil
}

func newClassifier(tb testing.TB, s classify.PartyScreener) *classify.Classifier {
	tb.Helper()
	c, err := classify.New(classify.Options{Screener: s, CountryCode: country.Code, CountryName: country.Name})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// TestClassifier_Decision checks the one decision per line and its first
// reason: a listed end user or an embargoed destination decides whatever
// the goods are; then listed goods, candidates and the rest.
func TestClassifier_Decision(t *testing.T) {
	sdn := listScreener{alert: true, hits: []interdict.Hit{
		{EntityID: "ofac-sdn:12927", List: interdict.ListOFACSDN, Name: "MAHAN AIR", Score: 0.97},
		{EntityID: "csl:12927", List: interdict.ListCSL, Name: "MAHAN AIR", Score: 0.96},
		{EntityID: "ofac-sdn:1", List: interdict.ListOFACSDN, Name: "MAHAN TRAVEL", Score: 0.71},
	}}
	entityList := listScreener{alert: true, hits: []interdict.Hit{{EntityID: "csl:99", List: interdict.ListCSL, Name: "ACME ELECTRONICS", Score: 0.93}}}
	quiet := listScreener{hits: []interdict.Hit{{EntityID: "ofac-sdn:5", List: interdict.ListOFACSDN, Name: "ACMEX", Score: 0.6}}}
	tests := []struct {
		name     string
		screener classify.PartyScreener
		item     interdict.LineItem
		want     interdict.GoodsDecision
		// first is the first reason: its source and a field that names it.
		source, ref string
		reasons     int // number of reasons of the deciding severity, 0 = any
	}{
		{"listed end user decides everyday goods", sdn, interdict.LineItem{Description: "office chairs", EndUser: "Mahan Air"},
			interdict.DecisionProhibited, interdict.ReasonEndUser, "ofac-sdn:12927", 1},
		{"entity list end user", entityList, interdict.LineItem{Description: "office chairs", EndUser: "Acme Electronics"},
			interdict.DecisionLicenceRequired, interdict.ReasonEndUser, "csl:99", 1},
		{"end user below the alert threshold", quiet, interdict.LineItem{Description: "office chairs", EndUser: "Acme"},
			interdict.DecisionNoLicenceRequired, interdict.ReasonGoods, "", 1},
		{"end user not screened", nil, interdict.LineItem{Description: "office chairs", EndUser: "Acme"},
			interdict.DecisionReview, interdict.ReasonEndUser, "", 1},
		{"comprehensive embargo by code", nil, interdict.LineItem{Description: "office chairs", Destination: "IR"},
			interdict.DecisionProhibited, interdict.ReasonDestination, "31 CFR Part 560", 0},
		{"comprehensive embargo by name", nil, interdict.LineItem{Description: "printer paper", Destination: "North Korea"},
			interdict.DecisionProhibited, interdict.ReasonDestination, "UNSCR 1718", 0},
		{"regional embargo in the address", nil, interdict.LineItem{Description: "garden furniture", Destination: "UA", Address: "ul. Lenina 5, Simferopol"},
			interdict.DecisionProhibited, interdict.ReasonDestination, "Council Regulation (EU) No 692/2014", 0},
		{"dual-use ban on listed goods", nil, interdict.LineItem{Description: "frequency converter, multiphase, 40 kW, 600-2000 Hz, ±0.1 %", Destination: "Russia"},
			interdict.DecisionProhibited, interdict.ReasonDestination, "833/2014", 0},
		{"listed goods", nil, interdict.LineItem{Description: "frequency converter, multiphase, 40 kW, 600-2000 Hz, ±0.1 %"},
			interdict.DecisionLicenceRequired, interdict.ReasonEntry, "3A225", 1},
		{"listed goods, country chart X", nil, interdict.LineItem{Description: "frequency converter, multiphase, 40 kW, 600-2000 Hz, ±0.1 %", Destination: "AE"},
			interdict.DecisionLicenceRequired, "", "3A225", 0},
		{"candidate", nil, interdict.LineItem{Description: "pressure transducers"},
			interdict.DecisionReview, interdict.ReasonEntry, "2B230", 0},
		{"WMD end use", nil, interdict.LineItem{Description: "office chairs", EndUse: "ballistic missile programme"},
			interdict.DecisionLicenceRequired, interdict.ReasonEndUse, "Art. 4", 1},
		{"everyday goods to a friendly country", nil, interdict.LineItem{Description: "office chairs", Destination: "Frankreich"},
			"", "", "", 0}, // filled below: depends on the country names known
		{"everyday goods", nil, interdict.LineItem{Description: "office chairs", HSCode: "9401.30", Destination: "FR"},
			interdict.DecisionNoLicenceRequired, interdict.ReasonGoods, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClassifier(t, tt.screener)
			if tt.want == "" {
				// An unknown destination is an error, a known one is judged.
				res, err := c.Classify(context.Background(), tt.item)
				if country.Code(tt.item.Destination) == "" {
					if interdict.ErrorCode(err) != interdict.EINVALID {
						t.Errorf("unknown destination %q: err %v, want EINVALID", tt.item.Destination, err)
					}
				} else if err != nil || res.Decision != interdict.DecisionNoLicenceRequired {
					t.Errorf("destination %q: %v %+v", tt.item.Destination, err, res)
				}
				return
			}
			res, err := c.Classify(context.Background(), tt.item)
			if err != nil {
				t.Fatal(err)
			}
			if res.Decision != tt.want || len(res.Reasons) == 0 || res.Reasons[0].Decision != tt.want {
				t.Fatalf("%+v: decision %s, reasons %+v; want %s", tt.item, res.Decision, res.Reasons, tt.want)
			}
			r := res.Reasons[0]
			if tt.source != "" && r.Source != tt.source {
				t.Errorf("first reason %+v, want source %s", r, tt.source)
			}
			if tt.ref != "" {
				found := false
				for _, r := range res.Reasons {
					if r.Decision == tt.want && (r.EntityID == tt.ref || r.Entry == tt.ref || strings.Contains(r.LegalBasis, tt.ref)) {
						found = true
					}
				}
				if !found {
					t.Errorf("no %s reason names %s: %+v", tt.want, tt.ref, res.Reasons)
				}
			}
			if tt.reasons > 0 {
				n := 0
				for _, r := range res.Reasons {
					if r.Decision == tt.want {
						n++
					}
				}
				if n != tt.reasons {
					t.Errorf("%d %s reasons, want %d: %+v", n, tt.want, tt.reasons, res.Reasons)
				}
			}
			for _, r := range res.Reasons {
				if r.Text == "" || r.Decision.Severity() < 0 || r.Decision.Severity() > res.Decision.Severity() {
					t.Errorf("bad reason %+v under decision %s", r, res.Decision)
				}
				if r.Source == interdict.ReasonEndUser && r.Decision != interdict.DecisionReview && (r.EntityID == "" || r.List == "" || r.Score == 0) {
					t.Errorf("end-user reason without its listing: %+v", r)
				}
				if r.Source == interdict.ReasonDestination && r.LegalBasis == "" {
					t.Errorf("destination reason without its rule: %+v", r)
				}
			}
		})
	}
}

func TestClassifier_UnknownDestination(t *testing.T) {
	c := newClassifier(t, nil)
	for _, d := range []string{"Narnia", "XX", "Atlantis"} {
		_, err := c.Classify(context.Background(), interdict.LineItem{Description: "office chairs", Destination: d})
		if interdict.ErrorCode(err) != interdict.EINVALID || !strings.Contains(interdict.ErrorMessage(err), d) {
			t.Errorf("destination %q: err %v, want EINVALID naming it", d, err)
		}
	}
	if _, err := c.Classify(context.Background(), interdict.LineItem{Description: "office chairs", Destination: "Crimea"}); err != nil {
		t.Errorf("a sanctioned region as destination: %v", err)
	}
}

// TestClassifier_Application: the application a line names pulls up the
// entry written for it, and the head noun outweighs incidental words.
func TestClassifier_Application(t *testing.T) {
	c := newClassifier(t, nil)
	tests := []struct {
		desc string
		want []string // any of them among the first three
		not  string   // not a candidate (status candidate or listed)
		// params: the entry found names the parameters still needed.
		params bool
	}{
		{"pumps for nuclear plant cooling, stainless steel", []string{"0A001.g"}, "2B350.i", true},
		{"rotor assemblies for gas centrifuges", []string{"0B001.b", "2B228"}, "", false},
		{"electric chairs for executions", []string{"0A981.b"}, "", false},
	}
	for _, tt := range tests {
		res, err := c.Classify(context.Background(), interdict.LineItem{Description: tt.desc, Destination: "IR"})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for i, cd := range res.Candidates {
			for _, w := range tt.want {
				if i < 3 && classify.EntryMatches(cd.Entry, w) && cd.Status != "excluded" {
					found = true
					if tt.params && len(cd.MissingParameters) == 0 {
						t.Errorf("%q: %s has no missing parameters", tt.desc, cd.Entry)
					}
				}
			}
			if tt.not != "" && classify.EntryMatches(cd.Entry, tt.not) && cd.Status != "excluded" {
				t.Errorf("%q: %s is a candidate: %+v", tt.desc, cd.Entry, cd)
			}
		}
		if !found {
			var got []string
			for _, cd := range res.Candidates {
				got = append(got, cd.Entry)
			}
			t.Errorf("%q: top 3 of %v lacks %v", tt.desc, got, tt.want)
		}
	}
}

// TestClassifier_EverydayGoods: one shared everyday word is no evidence; an
// everyday line gets no candidate at all.
func TestClassifier_EverydayGoods(t *testing.T) {
	c := newClassifier(t, nil)
	for _, desc := range []string{
		"office chairs", "printer paper", "garden furniture",
		"cotton t-shirts", "ceramic coffee mugs", "kitchen towels", "plastic toy cars", "bath soap",
		"ballpoint pens", "wooden dining table", "running shoes", "umbrellas", "LED desk lamp",
		"picture frames", "wool carpets", "bicycle helmets", "porcelain dinner plates",
		"plastic storage boxes", "leather handbags", "scented candles", "frozen chicken legs",
		"wall clocks", "three-seat sofa", "stainless steel cutlery", "glass vases",
	} {
		res, err := c.Classify(context.Background(), interdict.LineItem{Description: desc})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Candidates) != 0 || res.Decision != interdict.DecisionNoLicenceRequired {
			var got []string
			for _, cd := range res.Candidates {
				got = append(got, cd.Entry+" "+strings.Join(cd.MatchedTerms, ","))
			}
			t.Errorf("%q: decision %s, candidates %v; want none", desc, res.Decision, got)
		}
	}
}

// FuzzClassify reads arbitrary lines: every line that is classified gets a
// known decision led by a reason of that decision, and a refused line is
// EINVALID.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{"pumps for nuclear plant cooling, stainless steel", "office chairs", "for for for", ",,, (",
		"rotor assemblies for use in gas centrifuges; end use: missiles", "ΑΒΓ für Zentrifugen", ""} {
		f.Add(s, "IR", "")
	}
	f.Add("frequency converter, 40 kW, 600-2000 Hz", "", "Simferopol")
	c := newClassifier(f, nil)
	f.Fuzz(func(t *testing.T, desc, dest, addr string) {
		res, err := c.Classify(context.Background(), interdict.LineItem{Description: desc, Destination: dest, Address: addr, EndUse: desc})
		if err != nil {
			if interdict.ErrorCode(err) != interdict.EINVALID {
				t.Fatalf("%q %q: %v", desc, dest, err)
			}
			return
		}
		if res.Decision.Severity() < 0 || len(res.Reasons) == 0 || res.Reasons[0].Decision != res.Decision {
			t.Fatalf("%q %q: decision %q, reasons %+v", desc, dest, res.Decision, res.Reasons)
		}
	})
}

// FuzzReadEvalSet reads arbitrary evaluation CSVs: an error or items with
// a known decision and verdict, never a panic.
func FuzzReadEvalSet(f *testing.F) {
	f.Add("id,description,hs,expected_entry,expected_verdict\nx,pump,8413,2B350.i,candidate\n")
	f.Add("# comment\nid,description,hs,expected_entry,expected_verdict,expected_decision\nx,pump,,not-listed,not-listed,review\n")
	f.Add("id,description\n")
	f.Fuzz(func(t *testing.T, s string) {
		items, err := classify.ReadEvalSet(strings.NewReader(s), "fuzz")
		if err != nil {
			return
		}
		for _, it := range items {
			if it.WantDecision.Severity() < 0 {
				t.Fatalf("%q: item %+v has no decision", s, it)
			}
		}
	})
}
