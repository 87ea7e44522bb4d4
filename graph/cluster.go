package graph

import (
	"math"
	"sort"

	"github.com/interdict/interdict"
)

// kindWeight is how specific a kind of attribute is, before its rarity: a
// phone number or e-mail address belongs to few, an address to many.
var kindWeight = map[string]float64{
	"phone": 1, "email": 1, "imo": 1, "registration": 0.9, "address": 0.7, "vessel-owner": 0.6,
}

// SharedValue is one attribute value the members of a cluster share.
type SharedValue struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
	// Holders is how many nodes of the whole graph hold the value; Rarity
	// is kindWeight × ln(1 + holders of any value of the kind / Holders).
	Holders  int                      `json:"holders"`
	Rarity   float64                  `json:"rarity"`
	Evidence []interdict.LinkEvidence `json:"evidence"`
}

// ClusterMember is one node of a cluster.
type ClusterMember struct {
	ID   string   `json:"id"`
	Name string   `json:"name"`
	Type NodeType `json:"type"`
	List string   `json:"list,omitempty"`
}

// Cluster is a group of nodes joined by shared attribute values: a
// candidate front-company or procurement network.
type Cluster struct {
	// Score is the rarity of the rarest value shared; clusters are ranked
	// by it, then by the number of listed members.
	Score   float64         `json:"score"`
	Listed  int             `json:"listed"`
	Size    int             `json:"size"`
	Members []ClusterMember `json:"members"`
	Shared  []SharedValue   `json:"shared"`
}

type clusterSet struct {
	of       []int32 // node → cluster index or -1
	clusters []Cluster
}

func (g *Graph) clusterState() *clusterSet {
	g.clusterOnce.Do(func() { g.clusters = g.computeClusters() })
	return g.clusters
}

func (g *Graph) computeClusters() *clusterSet {
	n := len(g.nodes)
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	holdersOfKind := map[string]int{}
	for _, a := range g.attrs {
		holdersOfKind[a.kind] += len(a.members)
	}
	var shared []int32
	for i, a := range g.attrs {
		if len(a.members) < 2 || len(a.members) > g.opt.MaxShared {
			continue
		}
		shared = append(shared, int32(i))
		r := find(a.members[0].node)
		for _, m := range a.members[1:] {
			if o := find(m.node); o != r {
				parent[o] = r
			}
		}
	}
	cs := &clusterSet{of: make([]int32, n)}
	for i := range cs.of {
		cs.of[i] = -1
	}
	byRoot := map[int32]int32{}
	for _, ai := range shared {
		a := &g.attrs[ai]
		root := find(a.members[0].node)
		ci, ok := byRoot[root]
		if !ok {
			ci = int32(len(cs.clusters))
			byRoot[root] = ci
			cs.clusters = append(cs.clusters, Cluster{})
		}
		c := &cs.clusters[ci]
		sv := SharedValue{Kind: a.kind, Value: a.value, Holders: len(a.members),
			Rarity: math.Round(kindWeight[a.kind]*math.Log(1+float64(holdersOfKind[a.kind])/float64(len(a.members)))*1000) / 1000}
		for _, m := range a.members {
			nd := &g.nodes[m.node]
			src := nd.List
			if nd.Type == NodeParty {
				src = "book"
			}
			sv.Evidence = append(sv.Evidence, interdict.LinkEvidence{Source: src, Field: m.field, Record: nd.ID, Value: m.raw})
			if cs.of[m.node] < 0 {
				cs.of[m.node] = ci
				c.Members = append(c.Members, ClusterMember{ID: nd.ID, Name: nd.Name, Type: nd.Type, List: nd.List})
				if nd.Type == NodeEntity {
					c.Listed++
				}
			}
		}
		c.Shared = append(c.Shared, sv)
		c.Score = max(c.Score, sv.Rarity)
	}
	for i := range cs.clusters {
		c := &cs.clusters[i]
		c.Size = len(c.Members)
		sort.Slice(c.Members, func(a, b int) bool { return c.Members[a].ID < c.Members[b].ID })
		sort.SliceStable(c.Shared, func(a, b int) bool { return c.Shared[a].Rarity > c.Shared[b].Rarity })
	}
	return cs
}

// Clusters returns the clusters of nodes sharing attribute values, rarest
// first: the cluster of id when id is given (ENOTFOUND for an unknown id;
// none when it shares nothing), else the first limit of the whole graph.
func (g *Graph) Clusters(id string, limit int) ([]Cluster, error) {
	cs := g.clusterState()
	if id != "" {
		x, ok := g.lookup(id)
		if !ok {
			return nil, interdict.Errorf(interdict.ENOTFOUND, "%q is no entity, party or ownership record of the network.", id)
		}
		if ci := cs.of[x]; ci >= 0 {
			return []Cluster{cs.clusters[ci]}, nil
		}
		return []Cluster{}, nil
	}
	idx := make([]int, len(cs.clusters))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ca, cb := &cs.clusters[idx[a]], &cs.clusters[idx[b]]
		if ca.Score != cb.Score {
			return ca.Score > cb.Score
		}
		if ca.Listed != cb.Listed {
			return ca.Listed > cb.Listed
		}
		return ca.Members[0].ID < cb.Members[0].ID
	})
	if limit <= 0 {
		limit = 50
	}
	out := make([]Cluster, 0, min(limit, len(idx)))
	for _, i := range idx[:min(limit, len(idx))] {
		out = append(out, cs.clusters[i])
	}
	return out, nil
}
