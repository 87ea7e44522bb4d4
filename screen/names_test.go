package screen_test

import (
	"context"
	"strings"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/screen"
)

// TestFamousNames: names that a screener must never miss, each finding one
// of the listings of the right party first among the hits of its kind, at
// or above the alert threshold. want holds the lists' own record IDs of the
// party (the part after "list:"), on every list that carries it.
func TestFamousNames(t *testing.T) {
	_, ix := snapshotIndex(t)
	s, err := screen.NewScreener(ix, screen.DefaultPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		kind interdict.Kind
		want []string
	}{
		{"Islamic State", interdict.KindOrganization, []string{"8759"}},
		{"ISLAMIC STATE", interdict.KindOrganization, []string{"8759"}},
		{"AL-QAIDA", interdict.KindOrganization, []string{"6366", "QDe.004", "155"}},
		{"Al Qa'ida", interdict.KindOrganization, []string{"6366", "QDe.004", "155"}},
		{"IRGC", interdict.KindOrganization, []string{"10391", "2075", "IR-1-part-1-136"}},
		{"Pasdaran", interdict.KindOrganization, []string{"10391", "2075"}},
		{"MS-13", interdict.KindOrganization, []string{"15412"}},
		{"Hizballah", interdict.KindOrganization, []string{"4697", "277"}},
		{"JOINT STOCK COMPANY STAR", interdict.KindOrganization, []string{"44022"}},
		{"KB LINES LTD", interdict.KindOrganization, []string{"23208"}},
		{"SB SECURITIES SA", interdict.KindOrganization, []string{"18753", "CAP-18753", "SSI-18753"}},
		{"CAPITAL S.A.L.", interdict.KindOrganization, []string{"28539"}},
		{"GP-21", interdict.KindVessel, []string{"26624"}},
		{"RF-78838", interdict.KindAircraft, []string{"43187"}},
		{"AL-AQSA FOUNDATION", interdict.KindOrganization, []string{"7637", "7638", "7639", "7640", "7641", "7642", "7643", "7644", "7645", "399"}},
		// Persian script, and the Russian romanization dzh of дж.
		{"مجید کاکاوند", "", []string{"fa11888b58b441184dc4a0ed49bf08590af83e04"}},
		{"Madzhid Kakavand", "", []string{"fa11888b58b441184dc4a0ed49bf08590af83e04"}},
	}
	threshold := screen.DefaultPolicy().Threshold
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := s.Screen(context.Background(), interdict.Query{Name: c.name})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Alert {
				t.Fatalf("%q does not alert: %d hits", c.name, len(res.Hits))
			}
			var first *interdict.Hit
			for i := range res.Hits {
				h := &res.Hits[i]
				if c.kind == "" || h.Kind == c.kind || h.Kind == interdict.KindUnknown {
					first = h
					break
				}
			}
			if first == nil {
				t.Fatalf("%q: no hit of kind %s", c.name, c.kind)
			}
			_, rec, _ := strings.Cut(first.EntityID, ":")
			ok := false
			for _, w := range c.want {
				ok = ok || rec == w
			}
			if !ok || first.Score < threshold {
				t.Errorf("%q: first %s hit is %s %q at %.3f, want one of %v at %.2f or more", c.name, c.kind, first.EntityID, first.MatchedName, first.Score, c.want, threshold)
			}
			// Every listing that carries the name word for word comes back,
			// whatever the hit limit.
			if c.name == "AL-AQSA FOUNDATION" {
				got := map[string]bool{}
				for _, h := range res.Hits {
					_, rec, _ := strings.Cut(h.EntityID, ":")
					got[rec] = true
				}
				for _, w := range c.want {
					if !got[w] {
						t.Errorf("%q: listing %s missing from the %d hits (%d in all)", c.name, w, len(res.Hits), res.TotalHits)
					}
				}
				if res.TotalHits < len(res.Hits) {
					t.Errorf("total_hits %d < %d hits returned", res.TotalHits, len(res.Hits))
				}
			}
		})
	}
}

// TestNoNameStaysQuiet: queries that name no party never alert, and the
// result says why.
func TestNoNameStaysQuiet(t *testing.T) {
	_, ix := snapshotIndex(t)
	s, err := screen.NewScreener(ix, screen.DefaultPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"x", "X", "E. X.", "and", "AND", "LLC", "Ltd", "Ltd Co", "OOO", "Mr", "the", "13", "12345", "Li", "&"} {
		res, err := s.Screen(context.Background(), interdict.Query{Name: name})
		if err != nil {
			t.Errorf("%q: %v", name, err)
			continue
		}
		if res.Alert {
			t.Errorf("%q alerts: first hit %s %q %.3f", name, res.Hits[0].EntityID, res.Hits[0].MatchedName, res.Hits[0].Score)
		}
		if len(res.Warnings) == 0 || res.Warnings[0].Field != "name" || res.Warnings[0].Message == "" {
			t.Errorf("%q: no warning on the name: %+v", name, res.Warnings)
		}
	}
	// Pairwise, too.
	c := screen.Compare(screen.DefaultPolicy(), interdict.Query{Name: "x"}, interdict.Query{Name: "E. X. Co"})
	if c.Alert || len(c.Warnings) == 0 {
		t.Errorf("compare x / E. X. Co: %+v", c)
	}
}

// TestNumberIsIdentifier: a name that is only a number is looked up as an
// identifier (an IMO number given as the name finds its vessel).
func TestNumberIsIdentifier(t *testing.T) {
	ents, ix := snapshotIndex(t)
	var imo, id string
	for i := range ents {
		for _, d := range ents[i].Identifiers {
			if d.Type == interdict.IDIMO && len(d.Value) == 7 && ents[i].List == interdict.ListOFACSDN {
				imo, id = d.Value, ents[i].ID
				break
			}
		}
		if imo != "" {
			break
		}
	}
	if imo == "" {
		t.Fatal("no OFAC vessel with a 7-digit IMO number in the snapshot")
	}
	s, _ := screen.NewScreener(ix, screen.DefaultPolicy(), nil)
	res, err := s.Screen(context.Background(), interdict.Query{Name: imo})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, h := range res.Hits {
		found = found || h.EntityID == id && h.Score >= screen.DefaultPolicy().Threshold
	}
	if !found {
		t.Errorf("IMO %s as a name: %s not among the alerting hits %+v", imo, id, res.Hits)
	}
}
