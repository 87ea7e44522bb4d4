package graph

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/interdict/interdict"
)

func listed(list, id, name string) interdict.Entity {
	return interdict.Entity{ID: list + ":" + id, List: list, SourceID: id, Kind: interdict.KindOrganization,
		Names: []interdict.Name{{Full: name, Quality: interdict.NamePrimary}}}
}

// own builds ownership records "owner>owned:share[:role]".
func own(t *testing.T, specs ...string) []*interdict.Ownership {
	t.Helper()
	var out []*interdict.Ownership
	for i, s := range specs {
		owner, rest, _ := strings.Cut(s, ">")
		parts := strings.Split(rest, ":")
		ends := []string{owner, parts[0]}
		share := ""
		if len(parts) > 1 {
			share = parts[1]
		}
		role := ""
		if len(parts) > 2 {
			role = parts[2]
		}
		o, err := fields{owner: ends[0], owned: ends[1], share: share, role: role}.ownership("test", "spec "+s)
		if err != nil {
			t.Fatal(err)
		}
		o.ID = string(rune('a' + i))
		out = append(out, o)
	}
	return out
}

func sdnGraph(t *testing.T, specs ...string) *Graph {
	t.Helper()
	ents := []interdict.Entity{
		listed("ofac-sdn", "A", "ALPHA HOLDING"), listed("ofac-sdn", "B", "BETA TRADING"),
		listed("eu", "E1", "EU DESIGNATED ONE"), listed("uk", "U1", "UK DESIGNATED ONE"),
	}
	return Build(Input{Entities: ents, Ownerships: own(t, specs...)}, Options{})
}

func finding(t *testing.T, g *Graph, id, regime string) Finding {
	t.Helper()
	rep, err := g.Ownership(id)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Regime == regime {
			return f
		}
	}
	t.Fatalf("no %s finding for %s", regime, id)
	return Finding{}
}

func TestOFACRule(t *testing.T) {
	cases := []struct {
		name   string
		specs  []string
		node   string
		status Status
		min    float64
		max    float64
		lt     float64 // look-through lower figure
	}{
		{"aggregation 30+25", []string{"ofac-sdn:A>X:30", "ofac-sdn:B>X:25"}, "X", StatusBlocked, 55, 55, 55},
		{"exactly 50", []string{"ofac-sdn:A>X:50"}, "X", StatusBlocked, 50, 50, 50},
		{"49.9 is not 50", []string{"ofac-sdn:A>X:49.9"}, "X", StatusNotBlocked, 49.9, 49.9, 49.9},
		{"49.9 aggregated", []string{"ofac-sdn:A>X:24.9", "ofac-sdn:B>X:25"}, "X", StatusNotBlocked, 49.9, 49.9, 49.9},
		// A 50% of Y, Y 50% of Z: both blocked (OFAC guidance); the
		// look-through figure counts Y in full since Y is blocked.
		{"chain of blocked", []string{"ofac-sdn:A>Y:50", "Y>Z:50"}, "Z", StatusBlocked, 50, 50, 50},
		{"chain intermediate", []string{"ofac-sdn:A>Y:50", "Y>Z:50"}, "Y", StatusBlocked, 50, 50, 50},
		// A 40% of Y, Y all of Z: neither blocked; look-through 40%.
		{"unblocked link breaks the chain", []string{"ofac-sdn:A>Y:40", "Y>Z:100"}, "Z", StatusNotBlocked, 0, 0, 40},
		// A 60% of P, P 60% of Q, Q 60% of R: each blocked through the one above.
		{"long chain", []string{"ofac-sdn:A>P:60", "P>Q:60", "Q>R:60"}, "R", StatusBlocked, 60, 60, 60},
		// Diamond: A holds Y1 and Y2 at 50% each; each holds 25% of Z:
		// Y1 and Y2 blocked, so Z is 50% held by blocked companies.
		{"diamond", []string{"ofac-sdn:A>Y1:50", "ofac-sdn:A>Y2:50", "Y1>Z:25", "Y2>Z:25"}, "Z", StatusBlocked, 50, 50, 50},
		// Diamond of unblocked halves: A 30% of Y1 and Y2, each 50% of Z:
		// Z not blocked; look-through 30%.
		{"diamond unblocked", []string{"ofac-sdn:A>Y1:30", "ofac-sdn:A>Y2:30", "Y1>Z:50", "Y2>Z:50"}, "Z", StatusNotBlocked, 0, 0, 30},
		// Cycle: C1 and C2 own 50% of each other; A owns the other 50% of C1.
		{"cycle", []string{"ofac-sdn:A>C1:50", "C1>C2:50", "C2>C1:50"}, "C2", StatusBlocked, 50, 50, 50},
		// Cycle with no blocked owner stays clear and terminates.
		// C1 = 10%×10% + 50%×C2 and C2 = 50%×C1: C2 = 0.01/1.5.
		{"cycle of unblocked", []string{"C1>C2:50", "C2>C1:50", "ofac-sdn:A>C3:10", "C3>C1:10"}, "C2", StatusNotBlocked, 0, 0, 0.667},
		// Shares that cannot be (two companies owning all of each other)
		// end all the same, capped at 100%.
		{"impossible cycle", []string{"C1>C2:100", "C2>C1:100", "ofac-sdn:A>C1:10"}, "C2", StatusNotBlocked, 0, 0, 100},
		// Ranges: 25-50 blocks only on the upper bound: possibly blocked.
		{"range possibly", []string{"ofac-sdn:A>X:25-50"}, "X", StatusPossibly, 25, 50, 25},
		{"range blocked", []string{"ofac-sdn:A>X:50-60"}, "X", StatusBlocked, 50, 60, 50},
		{"range aggregated", []string{"ofac-sdn:A>X:20-30", "ofac-sdn:B>X:30"}, "X", StatusBlocked, 50, 60, 50},
		{"unknown share", []string{"ofac-sdn:A>X:"}, "X", StatusPossibly, 0, 100, 0},
		{"no owner recorded", []string{"Y>Z:10"}, "Y", StatusUnknown, 0, 0, 0},
		{"control alone does not block", []string{"ofac-sdn:A>X::control"}, "X", StatusNotBlocked, 0, 0, 0},
		{"listed", []string{"ofac-sdn:A>X:10"}, "ofac-sdn:A", StatusListed, 100, 100, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := sdnGraph(t, c.specs...)
			f := finding(t, g, c.node, "ofac")
			if f.Status != c.status || f.Min != c.min || f.Max != c.max || f.LookThroughMin != c.lt {
				t.Errorf("%s: status %s, share %v-%v, look-through %v; want %s, %v-%v, %v\nexplanation: %s",
					c.node, f.Status, f.Min, f.Max, f.LookThroughMin, c.status, c.min, c.max, c.lt, f.Explanation)
			}
		})
	}
}

func TestExplanationAndBlocks(t *testing.T) {
	g := sdnGraph(t, "ofac-sdn:A>X:30", "ofac-sdn:B>X:25", "X>Z:50", "Z>W:10")
	f := finding(t, g, "Z", "ofac")
	want := "blocked: own:X 50% (blocked: ofac-sdn:A 30% (listed on ofac-sdn) + ofac-sdn:B 25% (listed on ofac-sdn) = 55%) = 50%"
	if f.Explanation != want {
		t.Errorf("explanation\n got %s\nwant %s", f.Explanation, want)
	}
	a := finding(t, g, "ofac-sdn:A", "ofac")
	var ids []string
	for _, d := range a.Blocks {
		ids = append(ids, d.ID)
	}
	if strings.Join(ids, ",") != "own:X,own:Z" {
		t.Errorf("ofac-sdn:A blocks %v, want own:X, own:Z (not own:W, 10%%)", ids)
	}
	if w := finding(t, g, "W", "ofac"); w.Status != StatusNotBlocked || w.Min != 10 {
		t.Errorf("W: %+v, want not blocked with 10%% held by blocked companies", w)
	}
}

func TestCaution(t *testing.T) {
	// 40% through an unblocked company plus 20% directly: OFAC's rule
	// does not block, the look-through figure is 60%.
	g := sdnGraph(t, "ofac-sdn:A>Y:40", "Y>Z:100", "ofac-sdn:B>Z:20")
	f := finding(t, g, "Z", "ofac")
	if f.Status != StatusNotBlocked || f.Min != 20 || f.LookThroughMin != 60 || f.Caution == "" {
		t.Errorf("Z: %s %v look-through %v caution %q; want not blocked, 20, 60 and a caution", f.Status, f.Min, f.LookThroughMin, f.Caution)
	}
}

func TestEUUKControl(t *testing.T) {
	cases := []struct {
		name   string
		specs  []string
		regime string
		status Status
	}{
		{"EU exactly 50 is not more than half", []string{"eu:E1>X:50"}, "eu", StatusNotBlocked},
		{"EU 50.1", []string{"eu:E1>X:50.1"}, "eu", StatusBlocked},
		{"EU control", []string{"eu:E1>X::power to appoint the board"}, "eu", StatusBlocked},
		{"EU control through an owned company", []string{"eu:E1>Y:60", "Y>X::control"}, "eu", StatusBlocked},
		{"UK aggregate left to the analyst", []string{"uk:U1>X:30", "uk:U1>Y:60", "Y>X:30"}, "uk", StatusPossibly},
		{"OFAC list does not count for the EU", []string{"ofac-sdn:A>X:100"}, "eu", StatusNotBlocked},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := sdnGraph(t, c.specs...)
			if f := finding(t, g, "X", c.regime); f.Status != c.status {
				t.Errorf("X under %s: %s (%s), want %s", c.regime, f.Status, f.Explanation, c.status)
			}
		})
	}
}

func TestAsOf(t *testing.T) {
	recs := own(t, "ofac-sdn:A>X:60")
	recs[0].To = "2020-06-30"
	g := Build(Input{Entities: []interdict.Entity{listed("ofac-sdn", "A", "ALPHA")}, Ownerships: recs}, Options{AsOf: "2026-12-01"})
	if f := finding(t, g, "X", "ofac"); f.Status == StatusBlocked {
		t.Errorf("a holding that ended in 2020 blocks X in 2026: %+v", f)
	}
}

func TestSignals(t *testing.T) {
	g := sdnGraph(t, "ofac-sdn:A>FRONT CO:60")
	sig := g.Signals(interdict.Query{Name: "Front Co"})
	if len(sig) != 2 || sig[0].Signal != interdict.SignalBlocked || sig[1].Signal != interdict.SignalConnected {
		t.Fatalf("signals %+v, want blocked then connected", sig)
	}
	if !strings.Contains(sig[0].Explanation, "ofac-sdn:A 60%") {
		t.Errorf("explanation %q does not name the owner and share", sig[0].Explanation)
	}
	if len(sig[1].Paths) != 1 || sig[1].Paths[0].Target != "ofac-sdn:A" || sig[1].Paths[0].Hops[0].Type != "owned-by" {
		t.Errorf("paths %+v", sig[1].Paths)
	}
	if s := g.Signals(interdict.Query{Name: "Unrelated Ltd"}); len(s) != 0 {
		t.Errorf("an unknown query has signals %+v", s)
	}
}

func TestLive(t *testing.T) {
	ents := []interdict.Entity{listed("ofac-sdn", "A", "ALPHA")}
	fo := &fakeOwnerships{recs: own(t, "ofac-sdn:A>X:60")}
	l := &Live{Entities: func() ([]interdict.Entity, any) { return ents, &ents }, Ownerships: fo}
	g1, err := l.Graph(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if g2, _ := l.Graph(t.Context()); g2 != g1 {
		t.Error("the graph was rebuilt with nothing changed")
	}
	if l.Peek() != g1 {
		t.Error("Peek does not return the graph built last")
	}
	fo.set(own(t, "ofac-sdn:A>X:10"))
	l.Invalidate()
	g3, _ := l.Graph(t.Context())
	if g3 == g1 {
		t.Fatal("Invalidate did not rebuild")
	}
	if f := finding(t, g3, "X", "ofac"); f.Status != StatusNotBlocked {
		t.Errorf("after the new records X is %s", f.Status)
	}
}

type fakeOwnerships struct {
	mu   sync.Mutex
	recs []*interdict.Ownership
}

func (f *fakeOwnerships) set(recs []*interdict.Ownership) {
	f.mu.Lock()
	f.recs = recs
	f.mu.Unlock()
}

func (f *fakeOwnerships) ReplaceOwnerships(context.Context, string, []*interdict.Ownership) error {
	return nil
}

func (f *fakeOwnerships) FindOwnerships(context.Context, interdict.OwnershipFilter) ([]*interdict.Ownership, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.recs, nil
}

func (f *fakeOwnerships) OwnershipSources(context.Context) (map[string]int, error) { return nil, nil }
