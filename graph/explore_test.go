package graph_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict/graph"
	"github.com/interdict/interdict/internal/evalgen"
)

func TestExplore(t *testing.T) {
	start := time.Now()
	ents, lists, err := evalgen.LoadLists("../../shared/data/lists")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(len(ents), lists, time.Since(start))
	start = time.Now()
	g := graph.Build(graph.Input{Entities: ents}, graph.Options{})
	fmt.Printf("%+v %v\n", g.Stats(), time.Since(start))
	for _, e := range ents {
		if strings.Contains(strings.ToUpper(e.PrimaryName()), "KALAYE ELECTRIC") || e.PrimaryName() == "ISLAMIC REPUBLIC OF IRAN SHIPPING LINES" {
			ps, _ := g.Paths(e.ID, graph.PathOptions{MaxHops: 2, Limit: 1000})
			fmt.Println(e.ID, e.PrimaryName(), len(e.Relations), "paths", len(ps))
			for _, p := range ps[:min(8, len(ps))] {
				fmt.Printf("   %s %s %d %s %v\n", p.Target, p.TargetName, len(p.Hops), p.Hops[0].Type, p.Hops[0].Evidence)
			}
		}
	}
	var ds []time.Duration
	for i := 0; i < len(ents); i += 7 {
		t0 := time.Now()
		g.Paths(ents[i].ID, graph.PathOptions{})
		ds = append(ds, time.Since(t0))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	fmt.Println("n", len(ds), "p50", ds[len(ds)/2], "p99", ds[len(ds)*99/100], "max", ds[len(ds)-1])
	cs, _ := g.Clusters("", 5)
	for _, c := range cs {
		fmt.Println(c.Score, c.Size, c.Listed, c.Shared[0].Kind, c.Shared[0].Value)
	}
}
