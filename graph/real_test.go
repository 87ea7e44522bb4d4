package graph_test

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/graph"
	"github.com/interdict/interdict/internal/evalgen"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/ftm"
)

// lists is the shared list data beside the checkout.
const lists = "../../shared/data/lists"

var (
	realOnce sync.Once
	realEnts []interdict.Entity
	realErr  error
)

// realLists reads the OFAC SDN list and the US Consolidated Screening List
// (whose Entity List rows repeat SDN addresses), or skips.
func realLists(tb testing.TB) []interdict.Entity {
	tb.Helper()
	if _, err := os.Stat(filepath.Join(lists, "ofac_sdn")); err != nil {
		tb.Skip("the shared list data is not beside the checkout:", err)
	}
	realOnce.Do(func() {
		for _, dir := range []string{"ofac_sdn", "us_csl"} {
			es, _, err := evalgen.LoadLists(filepath.Join(lists, dir))
			if err != nil {
				realErr = err
				return
			}
			realEnts = append(realEnts, es...)
		}
	})
	if realErr != nil {
		tb.Fatal(realErr)
	}
	return realEnts
}

// linkedInCSV reads the SDN CSV itself and returns the ent_nums of the
// records whose remarks say "Linked To: NAME".
func linkedInCSV(t *testing.T, name string) map[string]bool {
	t.Helper()
	f, err := os.Open(filepath.Join(lists, "ofac_sdn", "sdn_2024-05-03.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bufio.NewReader(zr))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	out := map[string]bool{}
	for {
		rec, err := r.Read()
		if err != nil {
			break
		}
		if len(rec) > 11 {
			for _, part := range strings.Split(rec[11], ";") {
				v, ok := strings.CutPrefix(strings.TrimSpace(part), "Linked To: ")
				if ok && strings.TrimSuffix(strings.TrimSpace(v), ".") == name {
					out["ofac-sdn:"+rec[0]] = true
				}
			}
		}
	}
	return out
}

func TestRealIRISL(t *testing.T) {
	ents := realLists(t)
	g := graph.Build(graph.Input{Entities: ents}, graph.Options{})
	const irisl = "ofac-sdn:25396"
	if n, ok := g.Node(irisl); !ok || n.Name != "ISLAMIC REPUBLIC OF IRAN SHIPPING LINES" {
		t.Fatalf("node %s: %+v", irisl, n)
	}
	want := linkedInCSV(t, "ISLAMIC REPUBLIC OF IRAN SHIPPING LINES")
	if len(want) < 100 {
		t.Fatalf("the SDN CSV links only %d records to IRISL", len(want))
	}
	ps, err := g.Paths(irisl, graph.PathOptions{MaxHops: 1, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, p := range ps {
		h := p.Hops[0]
		if h.Type != string(graph.EdgeLinked) {
			continue
		}
		got[p.Target] = true
		ev := h.Evidence[0]
		if ev.Source != "ofac-sdn" || ev.Field != "remarks: Linked To" || ev.Record != p.Target || ev.Value != "ISLAMIC REPUBLIC OF IRAN SHIPPING LINES" {
			t.Errorf("link to %s: evidence %+v", p.Target, ev)
		}
	}
	for id := range want {
		if !got[id] {
			t.Errorf("%s is linked to IRISL in the SDN CSV but not in the graph", id)
		}
	}
	for id := range got {
		if !want[id] {
			t.Errorf("%s is linked to IRISL in the graph but not in the SDN CSV", id)
		}
	}
	// The CSL copy of IRISL shares its P.O. box; through it, IRISL's
	// vessels are two hops from the CSL record.
	ps, err = g.Paths("csl:25396", graph.PathOptions{MaxHops: 2, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) < len(want) || ps[0].Target != irisl || ps[0].Hops[0].Type != "shared-address" {
		t.Errorf("csl:25396: %d paths, first %+v; want IRISL first by its shared address, then its %d linked records", len(ps), ps[0], len(want))
	}
}

func TestRealKalaye(t *testing.T) {
	ents := realLists(t)
	const kalaye = "ofac-sdn:10122"
	recs := []*interdict.Ownership{
		// A hypothetical front company, owned 30% by KALAYE ELECTRIC and
		// 25% by AEOI's TAMIN KALAYE SABZ ARAS, and its own subsidiary.
		{ID: "r1", Owner: kalaye, Owned: "PARS SWITCH TRADING FZE", Share: "30", ShareMin: 30, ShareMax: 30, ShareKnown: true, Source: "kyc.csv", Record: "line 2"},
		{ID: "r2", Owner: "ofac-sdn:27026", Owned: "PARS SWITCH TRADING FZE", Share: "25", ShareMin: 25, ShareMax: 25, ShareKnown: true, Source: "kyc.csv", Record: "line 3"},
		{ID: "r3", Owner: "PARS SWITCH TRADING FZE", Owned: "book:C-7", Share: "25-50", ShareMin: 25, ShareMax: 50, ShareKnown: true, Source: "kyc.csv", Record: "line 4"},
	}
	parties := []*interdict.Party{{ID: "C-7", Name: "Gulf Electro Supplies LLC", Kind: interdict.KindOrganization,
		Address: "33 Fifteenth (15th) Street, Seyed-Jamal-Eddin-Assad Abadi Avenue, Tehran, IR"}}
	g := graph.Build(graph.Input{Entities: ents, Parties: parties, Ownerships: recs}, graph.Options{})

	// KALAYE ELECTRIC has no "Linked To" of its own; the BIS Entity List
	// row of the CSL gives the same street address.
	ps, err := g.Paths(kalaye, graph.PathOptions{MaxHops: 1})
	if err != nil {
		t.Fatal(err)
	}
	var bis bool
	for _, p := range ps {
		if p.TargetList == "csl" && strings.EqualFold(p.TargetName, "Kalaye Electric Company") && p.Hops[0].Type == "shared-address" {
			bis = true
		}
	}
	if !bis {
		t.Errorf("KALAYE ELECTRIC: no shared-address path to its CSL records: %+v", ps)
	}

	rep, err := g.Ownership("PARS SWITCH TRADING FZE")
	if err != nil {
		t.Fatal(err)
	}
	f := rep.Findings[0]
	if f.Regime != "ofac" || f.Status != graph.StatusBlocked || f.Min != 55 {
		t.Errorf("front company: %+v; want blocked, 55%%", f)
	}
	if !strings.Contains(f.Explanation, "ofac-sdn:10122 30%") || !strings.Contains(f.Explanation, "ofac-sdn:27026 25%") {
		t.Errorf("explanation %q does not name both owners", f.Explanation)
	}
	// The party of the book is held 25-50% by the blocked front company:
	// possibly blocked, and its screening result says so.
	c7, err := g.Ownership("C-7")
	if err != nil {
		t.Fatal(err)
	}
	if f := c7.Findings[0]; f.Status != graph.StatusPossibly || f.Min != 25 || f.Max != 50 {
		t.Errorf("C-7: %+v; want possibly blocked, 25-50%%", f)
	}
	sig := g.Signals(interdict.Query{Name: "Gulf Electro Supplies LLC", Ref: "C-7"})
	if len(sig) != 2 || sig[0].Signal != interdict.SignalPossiblyBlocked || sig[1].Signal != interdict.SignalConnected {
		t.Fatalf("C-7 signals: %+v", sig)
	}
	if p := sig[1].Paths[0]; p.Target != kalaye && p.TargetList != "csl" {
		t.Errorf("C-7's nearest listed party %s, want KALAYE ELECTRIC by address", p.Target)
	}
	k, err := g.Ownership(kalaye)
	if err != nil {
		t.Fatal(err)
	}
	if f := k.Findings[0]; f.Status != graph.StatusListed || len(f.Blocks) != 2 || f.Blocks[0].ID != "own:PARS SWITCH TRADING FZE" || f.Blocks[1].ID != "book:C-7" {
		t.Errorf("KALAYE blocks %+v; want the front company (blocked) and C-7 (possibly)", f.Blocks)
	}
}

func TestRealClusters(t *testing.T) {
	ents := realLists(t)
	g := graph.Build(graph.Input{Entities: ents}, graph.Options{})
	cs, err := g.Clusters("", 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 20 {
		t.Fatalf("%d clusters", len(cs))
	}
	for i := 1; i < len(cs); i++ {
		if cs[i].Score > cs[i-1].Score {
			t.Errorf("cluster %d scores %v above cluster %d's %v", i, cs[i].Score, i-1, cs[i-1].Score)
		}
	}
	for _, c := range cs {
		if c.Size < 2 || len(c.Shared) == 0 || c.Shared[0].Holders < 2 || c.Shared[0].Holders > 50 {
			t.Errorf("cluster %+v", c)
		}
	}
	// KALAYE ELECTRIC's address is shared by its three records only: a
	// rare value.
	kc, err := g.Clusters("ofac-sdn:10122", 0)
	if err != nil || len(kc) != 1 {
		t.Fatalf("KALAYE's cluster: %+v, %v", kc, err)
	}
	if kc[0].Size != 3 || kc[0].Shared[0].Kind != "address" || kc[0].Shared[0].Holders != 3 {
		t.Errorf("KALAYE's cluster: %+v", kc[0])
	}
	if common := cs[len(cs)-1].Score; kc[0].Score <= 0 || common <= 0 {
		t.Errorf("scores %v, %v", kc[0].Score, common)
	}
}

// ftmLinked is a FollowTheMoney file in the shape of the OpenSanctions
// export: an ownership with a percentage, a directorship and a family link.
var ftmLinked = strings.Join([]string{
	`{"id": "co", "caption": "Acme LLC", "schema": "Company", "properties": {"name": ["Acme LLC"]}}`,
	`{"id": "p1", "caption": "Ivan Petrov", "schema": "Person", "properties": {"name": ["Ivan Petrov"]}}`,
	`{"id": "p2", "caption": "Olga Petrova", "schema": "Person", "properties": {"name": ["Olga Petrova"]}}`,
	`{"id": "own-1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["co"], "percentage": ["51"]}}`,
	`{"id": "dir-1", "schema": "Directorship", "properties": {"director": ["p2"], "organization": ["co"], "role": ["CEO"]}}`,
	`{"id": "fam-1", "schema": "Family", "properties": {"person": ["p1"], "relative": ["p2"], "relationship": ["spouse"]}}`,
}, "\n")

func TestFTMRelationships(t *testing.T) {
	var f source.Format
	for _, x := range ftm.Formats {
		if x.Name == ftm.FormatJSON {
			f = x
		}
	}
	res, err := f.Parse(interdict.ListFTM, []source.File{{Name: "x.ftm.json", Data: []byte(ftmLinked)}})
	if err != nil {
		t.Fatal(err)
	}
	g := graph.Build(graph.Input{Entities: res.Entities}, graph.Options{})
	rep, err := g.Ownership("ftm:co")
	if err != nil {
		t.Fatal(err)
	}
	o := rep.Findings[0].Owners
	if len(o) != 1 || o[0].Owner != "ftm:p1" || o[0].Min != 51 || o[0].Max != 51 || o[0].Evidence.Source != interdict.ListFTM {
		t.Errorf("ftm:co owners %+v; want ftm:p1 51%% from the ftm list", o)
	}
	ps, err := g.Paths("ftm:p2", graph.PathOptions{MaxHops: 1})
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]string{}
	for _, p := range ps {
		types[p.Target] = p.Hops[0].Type
	}
	if types["ftm:co"] != "director-of" || types["ftm:p1"] != "family" {
		t.Errorf("ftm:p2's links %v; want director-of ftm:co and family ftm:p1", types)
	}
}
