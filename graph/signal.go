package graph

import (
	"fmt"
	"strings"

	"github.com/interdict/interdict"
)

// SignalHops is how far Signals looks for listed parties.
const SignalHops = 2

// Signals returns what the network says about a screened query, as signals
// of their own: the query is found as a party of the book (by its Ref), as
// a party of the ownership records (by its name), or by an address or
// identifier it shares with listed entities. Blocked (or possibly blocked)
// by ownership under any regime, and connected to a listed party within
// SignalHops hops, each make one signal with its explanation and paths.
func (g *Graph) Signals(q interdict.Query) []interdict.NetworkSignal {
	var out []interdict.NetworkSignal
	var nodes []int32
	if q.Ref != "" {
		if i, ok := g.index[PartyNode(q.Ref)]; ok {
			nodes = append(nodes, i)
		}
	}
	if q.Name != "" {
		if i, ok := g.index[RecordNode(q.Name)]; ok {
			nodes = append(nodes, i)
		}
	}
	for _, x := range nodes {
		nd := &g.nodes[x]
		rep := g.ownershipReport(x)
		for _, want := range []Status{StatusBlocked, StatusPossibly} {
			var why []string
			for _, f := range rep.Findings {
				if f.Status == want {
					why = append(why, strings.ToUpper(f.Regime)+": "+f.Explanation)
				}
			}
			if len(why) == 0 {
				continue
			}
			sig := interdict.SignalBlocked
			if want == StatusPossibly {
				sig = interdict.SignalPossiblyBlocked
			}
			out = append(out, interdict.NetworkSignal{Signal: sig, Node: nd.ID, NodeName: nd.Name, Explanation: strings.Join(why, "; ")})
			break
		}
		if ps := g.paths(x, PathOptions{MaxHops: SignalHops, Limit: 5}); len(ps) > 0 {
			out = append(out, interdict.NetworkSignal{Signal: interdict.SignalConnected, Node: nd.ID, NodeName: nd.Name,
				Explanation: describePath(ps[0], len(ps)), Paths: ps})
		}
	}
	if len(nodes) == 0 {
		if ps := g.sharedWithQuery(q); len(ps) > 0 {
			out = append(out, interdict.NetworkSignal{Signal: interdict.SignalConnected, Node: "query", NodeName: q.Name,
				Explanation: describePath(ps[0], len(ps)), Paths: ps})
		}
	}
	return out
}

// sharedWithQuery returns one-hop paths from the query to listed entities
// that hold its address or identifier.
func (g *Graph) sharedWithQuery(q interdict.Query) []interdict.NetworkPath {
	var keys [][2]string
	if q.Address != "" {
		keys = append(keys, [2]string{"address", normText(q.Address)}, [2]string{"address", addressKey(interdict.Address{Full: q.Address})})
	}
	if q.IDNumber != "" {
		keys = append(keys, [2]string{"registration", idKey(q.IDNumber)}, [2]string{"imo", imoKey(q.IDNumber)})
	}
	var out []interdict.NetworkPath
	seen := map[int32]bool{}
	for _, k := range keys {
		ai, ok := g.byKey[k[0]+"|"+k[1]]
		if !ok || k[1] == "" {
			continue
		}
		a := &g.attrs[ai]
		if len(a.members) > g.opt.MaxShared {
			continue
		}
		for _, m := range a.members {
			nd := &g.nodes[m.node]
			if nd.Type != NodeEntity || seen[m.node] {
				continue
			}
			seen[m.node] = true
			out = append(out, interdict.NetworkPath{Target: nd.ID, TargetName: nd.Name, TargetList: nd.List, Hops: []interdict.NetworkLink{{
				From: "query", FromName: q.Name, To: nd.ID, ToName: nd.Name, Type: "shared-" + a.kind,
				Evidence: []interdict.LinkEvidence{{Source: nd.List, Field: m.field, Record: nd.ID, Value: m.raw}}}}})
			if len(out) >= 5 {
				return out
			}
		}
	}
	return out
}

func describePath(p interdict.NetworkPath, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s, %s) in %d hop", p.TargetName, p.Target, p.TargetList, len(p.Hops))
	if len(p.Hops) != 1 {
		b.WriteString("s")
	}
	b.WriteString(":")
	for _, h := range p.Hops {
		fmt.Fprintf(&b, " %s %s %s", h.From, h.Type, h.To)
		if h.Share != "" {
			fmt.Fprintf(&b, " (%s)", h.Share)
		}
		b.WriteString(";")
	}
	s := strings.TrimSuffix(b.String(), ";")
	if n > 1 {
		s += fmt.Sprintf(" (and %d more)", n-1)
	}
	return s
}
