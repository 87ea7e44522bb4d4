// Package graph turns the lists' own relationships, the attributes that
// entities share and the institution's ownership and control records into
// one network, and answers questions over it: the shortest explained paths
// from a party or entity to listed entities, ownership by blocked persons
// under OFAC's 50 percent rule and the EU and UK ownership-and-control
// tests, and clusters of entities that share rare attributes (candidate
// front-company networks).
//
// Nodes are listed entities (by entity ID, "ofac-sdn:9647"), parties of the
// book ("book:" and the party's ID) and companies or persons known only
// from ownership records ("own:" and the name as given). Every edge carries
// its evidence: the list or "ownership records", the field and the record.
// A Graph is immutable once built and safe for concurrent use.
package graph

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/interdict/interdict"
)

// NodeType says where a node comes from.
type NodeType string

// Node types.
const (
	NodeEntity  NodeType = "entity"  // a listed entity
	NodeParty   NodeType = "party"   // a party of the book
	NodeRecords NodeType = "records" // known only from ownership records
)

// Node is one party of the network.
type Node struct {
	ID       string         `json:"id"`
	Name     string         `json:"name"`
	Type     NodeType       `json:"type"`
	Kind     interdict.Kind `json:"kind,omitempty"`
	List     string         `json:"list,omitempty"`
	Programs []string       `json:"programs,omitempty"`
}

// Listed reports whether the node is a listed entity.
func (n *Node) Listed() bool { return n.Type == NodeEntity }

// EdgeType is the kind of an edge.
type EdgeType string

// Edge types. Owns and Controls run from the owner to the owned; the others
// are read both ways.
const (
	EdgeOwns        EdgeType = "owns"
	EdgeControls    EdgeType = "controls"
	EdgeDirector    EdgeType = "director-of"
	EdgeFamily      EdgeType = "family"
	EdgeAssociate   EdgeType = "associate"
	EdgeLinked      EdgeType = "linked-to"
	EdgeActingFor   EdgeType = "acting-for"
	EdgeVesselOwner EdgeType = "vessel-owner"
)

// Edge is one relationship between two nodes, with its evidence.
type Edge struct {
	From, To int32
	Type     EdgeType
	// Min and Max are the owner's share as fractions in [0, 1] for an Owns
	// edge; Known is false when the record gives no share (0 to 1).
	Min, Max float64
	Known    bool
	// Control marks a record of control (EU/UK test).
	Control  bool
	Share    string
	Evidence interdict.LinkEvidence
}

// Options tune a graph.
type Options struct {
	// MaxShared is the most nodes an attribute value may be shared by and
	// still link them (a formation agent's address shared by thousands of
	// companies links nothing); 0 means 50.
	MaxShared int
	// AsOf (YYYY-MM-DD) leaves out ownership records that ended before it
	// or begin after it; "" keeps every record.
	AsOf string
}

// Stats counts what a graph holds.
type Stats struct {
	Nodes      int `json:"nodes"`
	Entities   int `json:"entities"`
	Parties    int `json:"parties"`
	Records    int `json:"record_nodes"`
	Edges      int `json:"edges"`
	Ownerships int `json:"ownership_edges"`
	// SharedValues counts attribute values shared by 2..MaxShared nodes;
	// Hubs those shared by more (not used as links).
	SharedValues int `json:"shared_values"`
	Hubs         int `json:"hubs"`
	// Unresolved counts list relations naming a party the list does not
	// carry as a record of its own (kept out of the graph).
	Unresolved int `json:"unresolved_relations"`
}

// member is one node holding an attribute value, and where.
type member struct {
	node  int32
	field string
	raw   string
}

// attr is one attribute value and the nodes that hold it.
type attr struct {
	kind    string // address, phone, email, registration, imo, vessel-owner
	value   string // normalized
	members []member
}

// Graph is the network. Build it with Build.
type Graph struct {
	opt   Options
	nodes []Node
	index map[string]int32
	edges []Edge
	adj   [][]int32 // node → edge indices, both directions
	attrs []attr
	byKey map[string]int32
	nattr [][]int32 // node → attribute indices
	stats Stats

	ownOnce sync.Once
	own     *ownership

	clusterOnce sync.Once
	clusters    *clusterSet
}

// Input is what a graph is built from.
type Input struct {
	// Entities are the listed entities (the current list versions).
	Entities []interdict.Entity
	// Parties are the parties of the book.
	Parties []*interdict.Party
	// Ownerships are the institution's ownership and control records.
	Ownerships []*interdict.Ownership
}

// PartyNode returns the node ID of a party of the book.
func PartyNode(id string) string { return "book:" + id }

// RecordNode returns the node ID of a party known only from ownership
// records, by the name the records give.
func RecordNode(name string) string {
	return "own:" + strings.Join(strings.Fields(strings.ToUpper(name)), " ")
}

// Build builds the graph of in.
func Build(in Input, opt Options) *Graph {
	if opt.MaxShared <= 0 {
		opt.MaxShared = 50
	}
	g := &Graph{opt: opt, index: make(map[string]int32, len(in.Entities)+len(in.Parties)), byKey: map[string]int32{}}
	for i := range in.Entities {
		e := &in.Entities[i]
		g.addNode(Node{ID: e.ID, Name: e.PrimaryName(), Type: NodeEntity, Kind: e.Kind, List: e.List, Programs: e.Programs})
	}
	for _, p := range in.Parties {
		if p == nil || p.Removed {
			continue
		}
		g.addNode(Node{ID: PartyNode(p.ID), Name: p.Name, Type: NodeParty, Kind: p.Kind})
	}
	seen := map[edgeKey]bool{}
	// The specific relations first (ownership, directorship, family), then
	// the plain links, kept only between entities not linked already: FtM
	// gives a directorship as director-of on one side and linked-to on
	// the other.
	for _, specific := range []bool{true, false} {
		for i := range in.Entities {
			g.entityEdges(&in.Entities[i], seen, specific)
		}
	}
	g.vesselOwners(in.Entities, seen)
	for i := range in.Entities {
		g.entityAttrs(&in.Entities[i])
	}
	for _, p := range in.Parties {
		if p != nil && !p.Removed {
			g.partyAttrs(p)
		}
	}
	for _, o := range in.Ownerships {
		g.ownershipEdge(o)
	}
	g.adj = make([][]int32, len(g.nodes))
	for i, e := range g.edges {
		g.adj[e.From] = append(g.adj[e.From], int32(i))
		if e.To != e.From {
			g.adj[e.To] = append(g.adj[e.To], int32(i))
		}
	}
	g.nattr = make([][]int32, len(g.nodes))
	for i, a := range g.attrs {
		if len(a.members) < 2 {
			continue
		}
		if len(a.members) > opt.MaxShared {
			g.stats.Hubs++
			continue
		}
		g.stats.SharedValues++
		for _, m := range a.members {
			g.nattr[m.node] = append(g.nattr[m.node], int32(i))
		}
	}
	g.stats.Nodes = len(g.nodes)
	g.stats.Edges = len(g.edges)
	for _, n := range g.nodes {
		switch n.Type {
		case NodeEntity:
			g.stats.Entities++
		case NodeParty:
			g.stats.Parties++
		case NodeRecords:
			g.stats.Records++
		}
	}
	for _, e := range g.edges {
		if e.Type == EdgeOwns || e.Type == EdgeControls {
			g.stats.Ownerships++
		}
	}
	return g
}

func (g *Graph) addNode(n Node) int32 {
	if i, ok := g.index[n.ID]; ok {
		return i
	}
	i := int32(len(g.nodes))
	g.nodes = append(g.nodes, n)
	g.index[n.ID] = i
	return i
}

type edgeKey struct {
	a, b int32
	t    EdgeType
}

func (g *Graph) addEdge(e Edge, seen map[edgeKey]bool) {
	if e.From == e.To {
		return
	}
	if seen != nil {
		k := edgeKey{e.From, e.To, e.Type}
		if e.Type != EdgeOwns && e.Type != EdgeControls && e.Type != EdgeDirector && e.Type != EdgeActingFor && e.Type != EdgeVesselOwner && k.a > k.b {
			k.a, k.b = k.b, k.a
		}
		if seen[k] {
			return
		}
		seen[k] = true
	}
	g.edges = append(g.edges, e)
}

var percent = regexp.MustCompile(`(\d+(?:\.\d+)?)\s*%`)

// entityEdges adds the edges of e's relations (OFAC "Linked To", UN, EU and
// UK associations, FollowTheMoney link entities).
func (g *Graph) entityEdges(e *interdict.Entity, seen map[edgeKey]bool, specific bool) {
	self := g.index[e.ID]
	for i, r := range e.Relations {
		if (r.Type == interdict.RelLinkedTo) == specific {
			continue
		}
		if r.Target == "" {
			if specific {
				continue
			}
			g.stats.Unresolved++
			continue
		}
		other, ok := g.index[r.Target]
		if !ok {
			if !specific {
				g.stats.Unresolved++
			}
			continue
		}
		if !specific && g.linked(self, other, seen) {
			continue
		}
		field := "relations[" + strconv.Itoa(i) + "] " + string(r.Type)
		if strings.HasPrefix(e.List, "ofac") && r.Type == interdict.RelLinkedTo && r.Note == "" {
			field = "remarks: Linked To"
		}
		ev := interdict.LinkEvidence{Source: e.List, Field: field, Record: e.ID, Value: relValue(r)}
		ed := Edge{From: self, To: other, Evidence: ev}
		switch r.Type {
		case interdict.RelOwnedBy, interdict.RelOwnerOf:
			ed.Type = EdgeOwns
			if r.Type == interdict.RelOwnedBy {
				ed.From, ed.To = other, self
			}
			ed.Max = 1
			if m := percent.FindStringSubmatch(r.Note); m != nil {
				if v, err := strconv.ParseFloat(m[1], 64); err == nil && v >= 0 && v <= 100 {
					ed.Min, ed.Max, ed.Known, ed.Share = v/100, v/100, true, m[1]+"%"
				}
			}
		case interdict.RelDirector:
			ed.Type = EdgeDirector
		case interdict.RelFamily:
			ed.Type = EdgeFamily
		case interdict.RelAssociate:
			ed.Type = EdgeAssociate
		case interdict.RelActingFor:
			ed.Type = EdgeActingFor
		default:
			ed.Type = EdgeLinked
		}
		g.addEdge(ed, seen)
	}
}

// linked reports whether an edge of any type joins a and b already.
func (g *Graph) linked(a, b int32, seen map[edgeKey]bool) bool {
	for _, t := range []EdgeType{EdgeOwns, EdgeDirector, EdgeActingFor, EdgeVesselOwner} {
		if seen[edgeKey{a, b, t}] || seen[edgeKey{b, a, t}] {
			return true
		}
	}
	lo, hi := min(a, b), max(a, b)
	return seen[edgeKey{lo, hi, EdgeFamily}] || seen[edgeKey{lo, hi, EdgeAssociate}]
}

func relValue(r interdict.Relation) string {
	v := r.TargetName
	if r.Note != "" {
		v = strings.TrimPrefix(v+" ("+r.Note+")", " ")
	}
	return v
}

// vesselOwners links a vessel to the entity of its own list whose primary
// name is the vessel's registered owner, when exactly one entity has it.
func (g *Graph) vesselOwners(es []interdict.Entity, seen map[edgeKey]bool) {
	byName := map[string]int32{}
	for i := range es {
		k := es[i].List + "|" + normText(es[i].PrimaryName())
		if _, dup := byName[k]; dup {
			byName[k] = -1
			continue
		}
		byName[k] = g.index[es[i].ID]
	}
	for i := range es {
		e := &es[i]
		for _, key := range []string{"Vessel Owner", "vessel_owner"} {
			for _, v := range e.Attributes[key] {
				if o, ok := byName[e.List+"|"+normText(v)]; ok && o >= 0 {
					g.addEdge(Edge{From: o, To: g.index[e.ID], Type: EdgeVesselOwner,
						Evidence: interdict.LinkEvidence{Source: e.List, Field: "attributes." + key, Record: e.ID, Value: v}}, seen)
				}
			}
		}
	}
}

func (g *Graph) addAttr(kind, value string, m member) {
	if value == "" {
		return
	}
	k := kind + "|" + value
	i, ok := g.byKey[k]
	if !ok {
		i = int32(len(g.attrs))
		g.attrs = append(g.attrs, attr{kind: kind, value: value})
		g.byKey[k] = i
	}
	a := &g.attrs[i]
	for _, have := range a.members {
		if have.node == m.node {
			return
		}
	}
	a.members = append(a.members, m)
}

func (g *Graph) entityAttrs(e *interdict.Entity) {
	n := g.index[e.ID]
	for i, a := range e.Addresses {
		g.addAttr("address", addressKey(a), member{n, "addresses[" + strconv.Itoa(i) + "]", a.Line()})
	}
	for i, id := range e.Identifiers {
		if id.KnownFalse {
			continue
		}
		f := "identifiers[" + strconv.Itoa(i) + "] " + firstNonEmpty(id.Label, string(id.Type))
		switch id.Type {
		case interdict.IDPhone:
			g.addAttr("phone", phoneKey(id.Value), member{n, f, id.Value})
		case interdict.IDEmail:
			g.addAttr("email", emailKey(id.Value), member{n, f, id.Value})
		case interdict.IDIMO:
			g.addAttr("imo", imoKey(id.Value), member{n, f, id.Value})
		case interdict.IDRegistration, interdict.IDTax, interdict.IDLEI:
			g.addAttr("registration", idKey(id.Value), member{n, f, id.Value})
		}
	}
	for _, key := range []string{"Vessel Owner", "vessel_owner"} {
		for _, v := range e.Attributes[key] {
			g.addAttr("vessel-owner", normText(v), member{n, "attributes." + key, v})
		}
	}
}

func (g *Graph) partyAttrs(p *interdict.Party) {
	n := g.index[PartyNode(p.ID)]
	if p.Address != "" {
		g.addAttr("address", normText(p.Address), member{n, "address", p.Address})
	}
	for i, id := range p.Identifiers {
		f := "identifiers[" + strconv.Itoa(i) + "]"
		if k := imoKey(id); k != "" && (len(idKey(id)) == 7 || strings.HasPrefix(idKey(id), "IMO")) {
			g.addAttr("imo", k, member{n, f, id})
			continue
		}
		if strings.Contains(id, "@") {
			g.addAttr("email", emailKey(id), member{n, f, id})
			continue
		}
		g.addAttr("registration", idKey(id), member{n, f, id})
	}
}

// ownershipEdge adds the edge of one ownership record, making nodes for
// sides that are neither entities nor parties of the book.
func (g *Graph) ownershipEdge(o *interdict.Ownership) {
	if o == nil {
		return
	}
	from := g.resolve(o.Owner)
	to := g.resolve(o.Owned)
	if a := g.opt.AsOf; a != "" {
		if o.To != "" && o.To < a[:min(len(o.To), len(a))] {
			return
		}
		if o.From != "" && o.From > a[:min(len(o.From), len(a))] {
			return
		}
	}
	rec := o.Record
	if rec == "" {
		rec = o.ID
	}
	e := Edge{From: from, To: to, Type: EdgeOwns, Control: o.Control, Share: o.Share,
		Evidence: interdict.LinkEvidence{Source: "ownership records: " + o.Source, Field: firstNonEmpty(o.Role, "shareholder"), Record: rec, Value: ownValue(o)}}
	if o.ShareKnown {
		e.Min, e.Max, e.Known = o.ShareMin/100, o.ShareMax/100, true
	} else {
		e.Min, e.Max = 0, 1
	}
	if !o.ShareKnown && o.Control {
		e.Type = EdgeControls
		e.Max = 0
	} else if !o.ShareKnown && isDirectorRole(o.Role) {
		e.Type = EdgeDirector
		e.Max = 0
	}
	g.addEdge(e, nil)
}

func isDirectorRole(role string) bool {
	r := strings.ToLower(role)
	return strings.Contains(r, "director") || strings.Contains(r, "officer") || strings.Contains(r, "manager")
}

func ownValue(o *interdict.Ownership) string {
	var parts []string
	if o.Share != "" {
		parts = append(parts, o.Share)
	}
	if o.Role != "" {
		parts = append(parts, o.Role)
	}
	if o.From != "" || o.To != "" {
		parts = append(parts, o.From+"–"+o.To)
	}
	return strings.Join(parts, ", ")
}

// resolve returns the node a record's owner or owned names: an entity or
// node ID, a party of the book (with or without "book:"), or else a node of
// its own for the name.
func (g *Graph) resolve(ref string) int32 {
	ref = strings.TrimSpace(ref)
	if i, ok := g.index[ref]; ok {
		return i
	}
	if i, ok := g.index[PartyNode(ref)]; ok {
		return i
	}
	id := RecordNode(ref)
	if i, ok := g.index[id]; ok {
		return i
	}
	return g.addNode(Node{ID: id, Name: strings.Join(strings.Fields(ref), " "), Type: NodeRecords})
}

// Stats returns what the graph holds.
func (g *Graph) Stats() Stats { return g.stats }

// Node returns the node with the given ID: a node ID, an entity ID, or a
// party's own ID (as "book:" + ID) or a name given in ownership records.
func (g *Graph) Node(id string) (*Node, bool) {
	i, ok := g.lookup(id)
	if !ok {
		return nil, false
	}
	return &g.nodes[i], true
}

func (g *Graph) lookup(id string) (int32, bool) {
	id = strings.TrimSpace(id)
	if i, ok := g.index[id]; ok {
		return i, true
	}
	if i, ok := g.index[PartyNode(id)]; ok {
		return i, true
	}
	if i, ok := g.index[RecordNode(id)]; ok {
		return i, true
	}
	return 0, false
}

// Nodes returns the number of nodes.
func (g *Graph) Nodes() int { return len(g.nodes) }

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
