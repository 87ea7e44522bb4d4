package graph

import (
	"fmt"
	"sort"
	"strings"

	"github.com/interdict/interdict"
)

// Regime is one ownership test.
type Regime struct {
	// Name is "ofac", "eu" or "uk".
	Name string `json:"name"`
	// Lists are the lists whose entities are the designated (blocked)
	// persons of the regime.
	Lists []string `json:"lists"`
	// Strict requires more than half (EU, UK) rather than half or more
	// (OFAC's "50 percent or more").
	Strict bool `json:"strict"`
	// Aggregate adds the holdings of different designated persons (OFAC);
	// without it a company is owned only through one holding of more than
	// half, and an aggregate over half is left to the analyst ("possibly").
	Aggregate bool `json:"aggregate"`
	// Control counts records of control (power to appoint the board) as
	// ownership (the EU and UK "owned or controlled" test).
	Control bool `json:"control"`
}

// Regimes are the tests applied: OFAC's 50 percent rule (31 CFR and OFAC's
// revised guidance of August 2014: 50% or more, in the aggregate, directly
// or indirectly; control alone does not block), and the EU and UK
// ownership-and-control tests (more than 50%, or control).
var Regimes = []Regime{
	{Name: "ofac", Lists: []string{interdict.ListOFACSDN}, Aggregate: true},
	{Name: "eu", Lists: []string{interdict.ListEU}, Strict: true, Control: true},
	{Name: "uk", Lists: []string{interdict.ListUK}, Strict: true, Control: true},
}

// Status is the outcome of an ownership test for one node.
type Status string

// Statuses. StatusUnknown is the explicit outcome for a company of which
// no owner is recorded: never a silent clear.
const (
	StatusListed     Status = "listed"
	StatusBlocked    Status = "blocked"
	StatusPossibly   Status = "possibly-blocked"
	StatusNotBlocked Status = "not-blocked"
	StatusUnknown    Status = "ownership-unknown"
)

const eps = 1e-9

// regimeState is a regime's outcome over the whole graph.
type regimeState struct {
	r      Regime
	seed   []bool
	lo, hi []bool    // blocked on the lower / upper bounds of the shares
	accLo  []float64 // share held by lower-bound blocked owners
	accHi  []float64 // share held by upper-bound blocked owners
	ltLo   []float64 // look-through share: multiplied along chains, added across paths
	ltHi   []float64
}

type ownership struct {
	start []int32 // CSR of ownership edges by owner
	out   []int32
	inAt  []int32 // CSR of ownership edges by owned
	in    []int32
	order []int32 // owners before what they own; cycles last
	reg   []*regimeState
}

func (o *ownership) inEdges(x int32) []int32 { return o.in[o.inAt[x]:o.inAt[x+1]] }

func (g *Graph) ownershipState() *ownership {
	g.ownOnce.Do(func() { g.own = g.computeOwnership(Regimes) })
	return g.own
}

func isOwnership(e *Edge) bool { return e.Type == EdgeOwns || e.Type == EdgeControls }

func (g *Graph) computeOwnership(regimes []Regime) *ownership {
	n := len(g.nodes)
	o := &ownership{start: make([]int32, n+1), inAt: make([]int32, n+1)}
	for i := range g.edges {
		if e := &g.edges[i]; isOwnership(e) {
			o.start[e.From+1]++
			o.inAt[e.To+1]++
		}
	}
	for i := 1; i <= n; i++ {
		o.start[i] += o.start[i-1]
		o.inAt[i] += o.inAt[i-1]
	}
	o.out = make([]int32, o.start[n])
	o.in = make([]int32, o.inAt[n])
	fillOut := append([]int32(nil), o.start[:n]...)
	fillIn := append([]int32(nil), o.inAt[:n]...)
	for i := range g.edges {
		if e := &g.edges[i]; isOwnership(e) {
			o.out[fillOut[e.From]] = int32(i)
			fillOut[e.From]++
			o.in[fillIn[e.To]] = int32(i)
			fillIn[e.To]++
		}
	}
	// Kahn's order: each node after its owners, the nodes on cycles last.
	indeg := make([]int32, n)
	for i := 0; i < n; i++ {
		indeg[i] = o.inAt[i+1] - o.inAt[i]
	}
	o.order = make([]int32, 0, n)
	for i := 0; i < n; i++ {
		if indeg[i] == 0 {
			o.order = append(o.order, int32(i))
		}
	}
	for k := 0; k < len(o.order); k++ {
		x := o.order[k]
		for _, ei := range o.out[o.start[x]:o.start[x+1]] {
			y := g.edges[ei].To
			if indeg[y]--; indeg[y] == 0 {
				o.order = append(o.order, y)
			}
		}
	}
	for i := 0; i < n; i++ {
		if indeg[i] > 0 {
			o.order = append(o.order, int32(i))
		}
	}
	for _, r := range regimes {
		o.reg = append(o.reg, g.runRegime(o, r))
	}
	return o
}

func reaches(r Regime, v float64) bool {
	if r.Strict {
		return v > 0.5+eps
	}
	return v >= 0.5-eps
}

// runRegime decides every node under r: a least fixed point, so that
// cycles of ownership end. A company becomes blocked when the shares held
// by blocked persons and companies already blocked reach the threshold;
// unblocked companies break the chain (OFAC FAQ 398). It runs twice, on
// the lower and on the upper bounds of the shares.
func (g *Graph) runRegime(o *ownership, r Regime) *regimeState {
	n := len(g.nodes)
	s := &regimeState{r: r, seed: make([]bool, n), lo: make([]bool, n), hi: make([]bool, n),
		accLo: make([]float64, n), accHi: make([]float64, n), ltLo: make([]float64, n), ltHi: make([]float64, n)}
	var seeds []int32
	for i := range g.nodes {
		nd := &g.nodes[i]
		if nd.Type == NodeEntity && contains(r.Lists, nd.List) {
			s.seed[i], s.lo[i], s.hi[i] = true, true, true
			seeds = append(seeds, int32(i))
		}
	}
	for pass := 0; pass < 2; pass++ {
		blocked, acc := s.lo, s.accLo
		if pass == 1 {
			blocked, acc = s.hi, s.accHi
		}
		queue := append([]int32(nil), seeds...)
		for len(queue) > 0 {
			x := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			for _, ei := range o.out[o.start[x]:o.start[x+1]] {
				e := &g.edges[ei]
				y := e.To
				share := e.Min
				if pass == 1 {
					share = e.Max
				}
				if e.Type == EdgeControls {
					share = 0
				}
				acc[y] += share
				if blocked[y] {
					continue
				}
				hit := false
				if r.Control && e.Control {
					hit = true
				} else if r.Aggregate {
					hit = reaches(r, acc[y])
				} else {
					hit = reaches(r, share)
				}
				if hit {
					blocked[y] = true
					queue = append(queue, y)
				}
			}
		}
	}
	g.lookThrough(o, s, s.lo, s.ltLo, false)
	g.lookThrough(o, s, s.hi, s.ltHi, true)
	return s
}

// lookThrough computes, for every node, the share blocked persons hold in
// it counting companies they do not block by the product of the shares
// along the chain, added across paths (a blocked company counts in full),
// capped at 100%. Sweeps in the order owners-first are exact for chains
// without cycles after one sweep; cycles take a few more.
func (g *Graph) lookThrough(o *ownership, s *regimeState, blocked []bool, lt []float64, upper bool) {
	for sweep := 0; sweep < 100; sweep++ {
		change := 0.0
		for _, y := range o.order {
			if s.seed[y] {
				continue
			}
			v := 0.0
			for _, ei := range o.inEdges(y) {
				e := &g.edges[ei]
				if e.Type == EdgeControls {
					continue
				}
				sh := e.Min
				if upper {
					sh = e.Max
				}
				if blocked[e.From] {
					v += sh
				} else {
					v += sh * lt[e.From]
				}
			}
			v = min(v, 1)
			if d := v - lt[y]; d > change {
				change = d
			} else if -d > change {
				change = -d
			}
			lt[y] = v
		}
		if change < 1e-9 {
			return
		}
	}
}

func (s *regimeState) status(g *Graph, o *ownership, x int32) Status {
	switch {
	case s.seed[x]:
		return StatusListed
	case s.lo[x]:
		return StatusBlocked
	case s.hi[x]:
		return StatusPossibly
	case !s.r.Aggregate && reaches(s.r, s.accHi[x]):
		return StatusPossibly
	case len(o.inEdges(x)) == 0 && g.nodes[x].Kind != interdict.KindPerson:
		return StatusUnknown
	}
	return StatusNotBlocked
}

// Holding is one direct owner of a company, as an ownership test reads it.
type Holding struct {
	Owner     string  `json:"owner"`
	OwnerName string  `json:"owner_name,omitempty"`
	Share     string  `json:"share"`
	Min       float64 `json:"min"`
	Max       float64 `json:"max"`
	Control   bool    `json:"control,omitempty"`
	// OwnerStatus is the owner's own status under the regime; Counts says
	// whether the holding counts towards the company's blocked share.
	OwnerStatus Status                 `json:"owner_status"`
	Counts      bool                   `json:"counts"`
	Evidence    interdict.LinkEvidence `json:"evidence"`
}

// Downstream is a company a node blocks (or possibly blocks) through its
// holdings.
type Downstream struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status Status `json:"status"`
	Hops   int    `json:"hops"`
}

// Finding is the outcome of one regime's test for one node.
type Finding struct {
	Regime string `json:"regime"`
	Status Status `json:"status"`
	// Min and Max are the aggregate share, in percent, held by blocked
	// persons and companies the regime blocks, on the lower and upper
	// bounds of the recorded shares; "blocked" is decided on Min,
	// "possibly blocked" when only Max reaches the threshold.
	Min float64 `json:"min"`
	Max float64 `json:"max"`
	// LookThroughMin and LookThroughMax count holdings through companies
	// the regime does not block too, multiplied along each chain and added
	// across paths: what blocked persons hold economically.
	LookThroughMin float64      `json:"look_through_min"`
	LookThroughMax float64      `json:"look_through_max"`
	Explanation    string       `json:"explanation"`
	Caution        string       `json:"caution,omitempty"`
	Owners         []Holding    `json:"owners,omitempty"`
	Blocks         []Downstream `json:"blocks,omitempty"`
}

// OwnershipReport is the outcome of every regime's test for one node.
type OwnershipReport struct {
	Node     string    `json:"node"`
	Name     string    `json:"name"`
	Type     NodeType  `json:"type"`
	List     string    `json:"list,omitempty"`
	Findings []Finding `json:"findings"`
}

// Ownership returns the ownership findings of the node id under every
// regime. It returns ENOTFOUND for an unknown id.
func (g *Graph) Ownership(id string) (*OwnershipReport, error) {
	x, ok := g.lookup(id)
	if !ok {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "%q is no entity, party or ownership record of the network.", id)
	}
	return g.ownershipReport(x), nil
}

func (g *Graph) ownershipReport(x int32) *OwnershipReport {
	o := g.ownershipState()
	nd := &g.nodes[x]
	rep := &OwnershipReport{Node: nd.ID, Name: nd.Name, Type: nd.Type, List: nd.List}
	for _, s := range o.reg {
		rep.Findings = append(rep.Findings, g.finding(o, s, x))
	}
	return rep
}

func round(v float64) float64 {
	v *= 100
	return float64(int64(v*1000+0.5)) / 1000
}

func (g *Graph) finding(o *ownership, s *regimeState, x int32) Finding {
	st := s.status(g, o, x)
	f := Finding{Regime: s.r.Name, Status: st, Min: round(min(s.accLo[x], 1)), Max: round(min(s.accHi[x], 1)),
		LookThroughMin: round(min(s.ltLo[x], 1)), LookThroughMax: round(min(s.ltHi[x], 1))}
	if st == StatusListed {
		f.Min, f.Max = 100, 100
	}
	for _, ei := range o.inEdges(x) {
		e := &g.edges[ei]
		h := Holding{Owner: g.nodes[e.From].ID, OwnerName: g.nodes[e.From].Name, Share: shareText(e),
			Min: round(e.Min), Max: round(e.Max), Control: e.Control, OwnerStatus: s.status(g, o, e.From), Evidence: e.Evidence}
		if e.Type == EdgeControls {
			h.Share, h.Min, h.Max = "control", 0, 0
		}
		h.Counts = s.lo[e.From] || s.hi[e.From]
		f.Owners = append(f.Owners, h)
	}
	sort.SliceStable(f.Owners, func(i, j int) bool {
		if f.Owners[i].Counts != f.Owners[j].Counts {
			return f.Owners[i].Counts
		}
		return f.Owners[i].Max > f.Owners[j].Max
	})
	f.Explanation = g.explain(o, s, x, 0, map[int32]bool{})
	if s.r.Name == "ofac" && st != StatusBlocked && st != StatusListed && s.ltLo[x] >= 0.5-eps {
		f.Caution = fmt.Sprintf("blocked persons hold %s through companies that are not blocked themselves: OFAC does not block on this, but urges caution", pct(min(s.ltLo[x], 1)))
	}
	if s.r.Name == "ofac" && st != StatusListed {
		for _, ei := range o.inEdges(x) {
			if e := &g.edges[ei]; e.Control && s.lo[e.From] {
				f.Caution = strings.TrimPrefix(f.Caution+"; controlled by "+g.nodes[e.From].ID+": control alone does not block under OFAC's rule, but OFAC urges caution", "; ")
				break
			}
		}
	}
	if st == StatusListed || st == StatusBlocked || st == StatusPossibly {
		f.Blocks = g.downstream(o, s, x, 1000)
	}
	return f
}

// explain writes why x has its status: "blocked: A 30% + B 25% = 55%",
// each owner that counts explained in turn, to a depth of 4.
func (g *Graph) explain(o *ownership, s *regimeState, x int32, depth int, seen map[int32]bool) string {
	nd := &g.nodes[x]
	st := s.status(g, o, x)
	switch st {
	case StatusListed:
		return fmt.Sprintf("%s is listed on %s", nd.ID, nd.List)
	case StatusUnknown:
		return fmt.Sprintf("no owner of %s is recorded: ownership unknown", nd.ID)
	}
	if seen[x] || depth > 4 {
		return nd.ID + " (see above)"
	}
	seen[x] = true
	var parts []string
	var control []string
	for _, ei := range o.inEdges(x) {
		e := &g.edges[ei]
		if !(s.lo[e.From] || s.hi[e.From]) {
			continue
		}
		if e.Type == EdgeControls || (e.Control && s.r.Control) {
			control = append(control, g.nodes[e.From].ID)
		}
		if e.Type == EdgeControls {
			continue
		}
		p := g.nodes[e.From].ID + " " + shareText(e)
		if sub := s.status(g, o, e.From); sub != StatusListed {
			p += " (" + g.explain(o, s, e.From, depth+1, seen) + ")"
		} else {
			p += " (listed on " + g.nodes[e.From].List + ")"
		}
		parts = append(parts, p)
	}
	var b strings.Builder
	b.WriteString(string(st))
	if len(parts) == 0 && len(control) == 0 {
		if st == StatusNotBlocked {
			return "not blocked: no blocked person holds a share"
		}
		return b.String()
	}
	b.WriteString(": ")
	b.WriteString(strings.Join(parts, " + "))
	if len(parts) > 0 {
		lo, hi := pct(min(s.accLo[x], 1)), pct(min(s.accHi[x], 1))
		if lo == hi {
			b.WriteString(" = " + lo)
		} else {
			b.WriteString(" = " + lo + " to " + hi)
		}
	}
	if len(control) > 0 && s.r.Control {
		b.WriteString("; controlled by " + strings.Join(control, ", "))
	}
	return b.String()
}

// downstream returns the companies x blocks or possibly blocks through
// chains of blocked companies, nearest first.
func (g *Graph) downstream(o *ownership, s *regimeState, x int32, limit int) []Downstream {
	seen := map[int32]bool{x: true}
	frontier := []int32{x}
	var out []Downstream
	for hop := 1; len(frontier) > 0 && len(out) < limit; hop++ {
		var next []int32
		for _, n := range frontier {
			for _, ei := range o.out[o.start[n]:o.start[n+1]] {
				y := g.edges[ei].To
				if seen[y] || s.seed[y] || !(s.lo[y] || s.hi[y]) {
					continue
				}
				seen[y] = true
				out = append(out, Downstream{ID: g.nodes[y].ID, Name: g.nodes[y].Name, Status: s.status(g, o, y), Hops: hop})
				next = append(next, y)
			}
		}
		frontier = next
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// Blocked counts the nodes each regime blocks (on the lower bounds) and
// possibly blocks, listed entities excluded.
func (g *Graph) Blocked() map[string][2]int {
	o := g.ownershipState()
	out := map[string][2]int{}
	for _, s := range o.reg {
		var c [2]int
		for i := range g.nodes {
			if s.seed[i] {
				continue
			}
			if s.lo[i] {
				c[0]++
			} else if s.hi[i] {
				c[1]++
			}
		}
		out[s.r.Name] = c
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
