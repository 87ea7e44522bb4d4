package graph

import (
	"sort"
	"strconv"
	"strings"

	"github.com/interdict/interdict"
)

// PathOptions tune a path query.
type PathOptions struct {
	// MaxHops is the longest path searched; 0 means 3, at most 6.
	MaxHops int
	// Limit is the most paths returned; 0 means 20.
	Limit int
	// MaxVisit bounds the nodes a query visits; 0 means 100,000.
	MaxVisit int
}

// step is how BFS reached a node: through an edge, or through a shared
// attribute value held by the previous node.
type step struct {
	prev int32
	edge int32 // -1 when through an attribute
	attr int32
	hops int8
}

// Paths returns the shortest explained paths, up to opt.MaxHops hops, from
// the node id (a party, an entity, or a name from the ownership records) to
// listed entities other than itself: one shortest path per entity reached,
// the nearest first (ties by entity ID). It returns ENOTFOUND for an
// unknown id.
func (g *Graph) Paths(id string, opt PathOptions) ([]interdict.NetworkPath, error) {
	start, ok := g.lookup(id)
	if !ok {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "%q is no entity, party or ownership record of the network.", id)
	}
	return g.paths(start, opt), nil
}

func (g *Graph) paths(start int32, opt PathOptions) []interdict.NetworkPath {
	if opt.MaxHops <= 0 {
		opt.MaxHops = 3
	}
	opt.MaxHops = min(opt.MaxHops, 6)
	if opt.Limit <= 0 {
		opt.Limit = 20
	}
	if opt.MaxVisit <= 0 {
		opt.MaxVisit = 100000
	}
	seen := map[int32]step{start: {prev: -1, edge: -1, attr: -1}}
	frontier := []int32{start}
	var found []int32
	visit := func(n, from int32, s step) bool {
		if _, ok := seen[n]; ok {
			return false
		}
		seen[n] = s
		if g.nodes[n].Type == NodeEntity {
			found = append(found, n)
		}
		return true
	}
	for hop := 1; hop <= opt.MaxHops && len(frontier) > 0 && len(seen) < opt.MaxVisit; hop++ {
		var next []int32
		for _, n := range frontier {
			for _, ei := range g.adj[n] {
				e := &g.edges[ei]
				o := e.To
				if o == n {
					o = e.From
				}
				if visit(o, n, step{prev: n, edge: ei, attr: -1, hops: int8(hop)}) {
					next = append(next, o)
				}
			}
			for _, ai := range g.nattr[n] {
				for _, m := range g.attrs[ai].members {
					if visit(m.node, n, step{prev: n, edge: -1, attr: ai, hops: int8(hop)}) {
						next = append(next, m.node)
					}
				}
			}
			if len(seen) >= opt.MaxVisit {
				break
			}
		}
		frontier = next
	}
	sort.SliceStable(found, func(i, j int) bool {
		a, b := seen[found[i]], seen[found[j]]
		if a.hops != b.hops {
			return a.hops < b.hops
		}
		return g.nodes[found[i]].ID < g.nodes[found[j]].ID
	})
	if len(found) > opt.Limit {
		found = found[:opt.Limit]
	}
	out := make([]interdict.NetworkPath, 0, len(found))
	for _, t := range found {
		var hops []interdict.NetworkLink
		for n := t; n != start; n = seen[n].prev {
			s := seen[n]
			hops = append(hops, g.link(s.prev, n, s))
		}
		for i, j := 0, len(hops)-1; i < j; i, j = i+1, j-1 {
			hops[i], hops[j] = hops[j], hops[i]
		}
		tn := &g.nodes[t]
		out = append(out, interdict.NetworkPath{Target: tn.ID, TargetName: tn.Name, TargetList: tn.List, Hops: hops})
	}
	return out
}

// reversed names an edge read against its direction.
var reversed = map[EdgeType]string{
	EdgeOwns: "owned-by", EdgeControls: "controlled-by", EdgeDirector: "has-director",
	EdgeActingFor: "acted-for-by", EdgeVesselOwner: "vessel-owned-by",
}

// link explains the hop from a to b that s records.
func (g *Graph) link(a, b int32, s step) interdict.NetworkLink {
	na, nb := &g.nodes[a], &g.nodes[b]
	l := interdict.NetworkLink{From: na.ID, FromName: na.Name, To: nb.ID, ToName: nb.Name}
	if s.edge >= 0 {
		e := &g.edges[s.edge]
		l.Type = string(e.Type)
		if e.From != a {
			if r, ok := reversed[e.Type]; ok {
				l.Type = r
			}
		}
		if e.Type == EdgeOwns {
			l.Share = shareText(e)
		}
		l.Evidence = []interdict.LinkEvidence{e.Evidence}
		return l
	}
	at := &g.attrs[s.attr]
	l.Type = "shared-" + at.kind
	for _, m := range at.members {
		if m.node == a || m.node == b {
			n := &g.nodes[m.node]
			src := n.List
			if n.Type == NodeParty {
				src = "book"
			}
			l.Evidence = append(l.Evidence, interdict.LinkEvidence{Source: src, Field: m.field, Record: n.ID, Value: m.raw})
		}
	}
	if len(at.members) > 2 {
		l.Evidence[len(l.Evidence)-1].Value += " (value shared by " + strconv.Itoa(len(at.members)) + " parties)"
	}
	return l
}

// shareText writes an ownership edge's share: as recorded, or the interval.
func shareText(e *Edge) string {
	if !e.Known {
		return "unknown"
	}
	if e.Share != "" {
		s := e.Share
		if !strings.HasSuffix(s, "%") {
			s += "%"
		}
		return s
	}
	return pct(e.Min) + "-" + pct(e.Max)
}

func pct(f float64) string {
	return strconv.FormatFloat(round(f), 'f', -1, 64) + "%"
}
