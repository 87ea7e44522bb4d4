package graph

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/interdict/interdict"
)

// SubNode is a node of an exported graph.
type SubNode struct {
	Node
	// Status is the node's status under OFAC's 50 percent rule.
	Status Status `json:"status"`
	// Hops is the node's distance from the centre of a neighbourhood.
	Hops int `json:"hops"`
}

// SubEdge is an edge of an exported graph, with its evidence. A shared
// attribute value appears as an edge of type "shared-<kind>" between two
// of the nodes that hold it.
type SubEdge struct {
	ID       string                   `json:"id"`
	Source   string                   `json:"source"`
	Target   string                   `json:"target"`
	Type     string                   `json:"type"`
	Share    string                   `json:"share,omitempty"`
	Control  bool                     `json:"control,omitempty"`
	Evidence []interdict.LinkEvidence `json:"evidence"`
}

// Subgraph is a part of the graph (or the whole), for export and drawing.
type Subgraph struct {
	Center    string    `json:"center,omitempty"`
	Nodes     []SubNode `json:"nodes"`
	Edges     []SubEdge `json:"edges"`
	Truncated bool      `json:"truncated,omitempty"`
}

// Neighbourhood returns the nodes within hops (0 means 2, at most 4) of id,
// at most maxNodes of them (0 means 300), with every edge and shared value
// among them. It returns ENOTFOUND for an unknown id.
func (g *Graph) Neighbourhood(id string, hops, maxNodes int) (*Subgraph, error) {
	start, ok := g.lookup(id)
	if !ok {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "%q is no entity, party or ownership record of the network.", id)
	}
	if hops <= 0 {
		hops = 2
	}
	hops = min(hops, 4)
	if maxNodes <= 0 {
		maxNodes = 300
	}
	dist := map[int32]int{start: 0}
	order := []int32{start}
	frontier := []int32{start}
	truncated := false
	add := func(n int32, d int) bool {
		if _, ok := dist[n]; ok {
			return true
		}
		if len(order) >= maxNodes {
			truncated = true
			return false
		}
		dist[n] = d
		order = append(order, n)
		return true
	}
	for d := 1; d <= hops && len(frontier) > 0 && !truncated; d++ {
		var next []int32
		for _, n := range frontier {
			for _, ei := range g.adj[n] {
				e := &g.edges[ei]
				o := e.To
				if o == n {
					o = e.From
				}
				if _, ok := dist[o]; !ok && add(o, d) {
					next = append(next, o)
				}
			}
			for _, ai := range g.nattr[n] {
				for _, m := range g.attrs[ai].members {
					if _, ok := dist[m.node]; !ok && add(m.node, d) {
						next = append(next, m.node)
					}
				}
			}
		}
		frontier = next
	}
	sub := g.subgraph(order, dist)
	sub.Center = g.nodes[start].ID
	sub.Truncated = truncated
	return sub, nil
}

// All returns the whole graph.
func (g *Graph) All() *Subgraph {
	order := make([]int32, len(g.nodes))
	for i := range order {
		order[i] = int32(i)
	}
	return g.subgraph(order, nil)
}

func (g *Graph) subgraph(order []int32, dist map[int32]int) *Subgraph {
	in := make(map[int32]bool, len(order))
	for _, n := range order {
		in[n] = true
	}
	o := g.ownershipState()
	ofac := o.reg[0]
	sub := &Subgraph{Nodes: make([]SubNode, 0, len(order)), Edges: []SubEdge{}}
	for _, n := range order {
		sub.Nodes = append(sub.Nodes, SubNode{Node: g.nodes[n], Status: ofac.status(g, o, n), Hops: dist[n]})
	}
	seenEdge := map[int32]bool{}
	for _, n := range order {
		for _, ei := range g.adj[n] {
			e := &g.edges[ei]
			if seenEdge[ei] || !in[e.From] || !in[e.To] {
				continue
			}
			seenEdge[ei] = true
			se := SubEdge{ID: "e" + strconv.Itoa(int(ei)), Source: g.nodes[e.From].ID, Target: g.nodes[e.To].ID, Type: string(e.Type),
				Control: e.Control, Evidence: []interdict.LinkEvidence{e.Evidence}}
			if e.Type == EdgeOwns {
				se.Share = shareText(e)
			}
			sub.Edges = append(sub.Edges, se)
		}
	}
	seenAttr := map[int32]bool{}
	for _, n := range order {
		for _, ai := range g.nattr[n] {
			if seenAttr[ai] {
				continue
			}
			seenAttr[ai] = true
			a := &g.attrs[ai]
			var held []member
			for _, m := range a.members {
				if in[m.node] {
					held = append(held, m)
				}
			}
			// A star from the first holder: one edge per other holder.
			for k := 1; k < len(held); k++ {
				l := g.link(held[0].node, held[k].node, step{edge: -1, attr: ai})
				sub.Edges = append(sub.Edges, SubEdge{ID: "a" + strconv.Itoa(int(ai)) + "-" + strconv.Itoa(k), Source: l.From, Target: l.To,
					Type: l.Type, Evidence: l.Evidence})
			}
		}
	}
	sort.SliceStable(sub.Edges, func(i, j int) bool { return sub.Edges[i].ID < sub.Edges[j].ID })
	return sub
}

// WriteJSON writes sub as indented JSON.
func (sub *Subgraph) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sub)
}

// WriteGraphML writes sub as GraphML (http://graphml.graphdrawing.org), with
// the nodes' names, types and lists and the edges' types, shares and
// evidence as data keys.
func (sub *Subgraph) WriteGraphML(w io.Writer) error {
	type data struct {
		Key   string `xml:"key,attr"`
		Value string `xml:",chardata"`
	}
	type node struct {
		ID   string `xml:"id,attr"`
		Data []data `xml:"data"`
	}
	type edge struct {
		ID     string `xml:"id,attr"`
		Source string `xml:"source,attr"`
		Target string `xml:"target,attr"`
		Data   []data `xml:"data"`
	}
	type key struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	}
	type graphEl struct {
		ID          string `xml:"id,attr"`
		EdgeDefault string `xml:"edgedefault,attr"`
		Nodes       []node `xml:"node"`
		Edges       []edge `xml:"edge"`
	}
	type graphml struct {
		XMLName xml.Name `xml:"graphml"`
		XMLNS   string   `xml:"xmlns,attr"`
		Keys    []key    `xml:"key"`
		Graph   graphEl  `xml:"graph"`
	}
	doc := graphml{XMLNS: "http://graphml.graphdrawing.org/xmlns", Graph: graphEl{ID: "interdict", EdgeDefault: "directed"}}
	doc.Keys = []key{{"name", "node", "name", "string"}, {"type", "node", "type", "string"}, {"kind", "node", "kind", "string"},
		{"list", "node", "list", "string"}, {"status", "node", "status", "string"},
		{"etype", "edge", "type", "string"}, {"share", "edge", "share", "string"}, {"evidence", "edge", "evidence", "string"}}
	for _, n := range sub.Nodes {
		doc.Graph.Nodes = append(doc.Graph.Nodes, node{ID: n.ID, Data: []data{{"name", n.Name}, {"type", string(n.Type)},
			{"kind", string(n.Kind)}, {"list", n.List}, {"status", string(n.Status)}}})
	}
	for _, e := range sub.Edges {
		ev, err := json.Marshal(e.Evidence)
		if err != nil {
			return fmt.Errorf("graphml: edge %s: %w", e.ID, err)
		}
		doc.Graph.Edges = append(doc.Graph.Edges, edge{ID: e.ID, Source: e.Source, Target: e.Target,
			Data: []data{{"etype", e.Type}, {"share", e.Share}, {"evidence", string(ev)}}})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("graphml: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
