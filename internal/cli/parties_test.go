package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/link"
	"github.com/interdict/interdict/snapshot"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/canada"
	"github.com/interdict/interdict/source/csl"
	"github.com/interdict/interdict/source/dfat"
	"github.com/interdict/interdict/source/dpl"
	"github.com/interdict/interdict/source/ofac"
	"github.com/interdict/interdict/source/pakote"
	"github.com/interdict/interdict/source/ukflat"
	"github.com/interdict/interdict/source/un"
)

// snapshotEntities parses the bundled snapshot with the format packages
// named here (not through the CLI).
func snapshotEntities(t *testing.T) []interdict.Entity {
	t.Helper()
	files, _, err := snapshot.Files()
	if err != nil {
		t.Fatal(err)
	}
	var fs []source.Format
	for _, f := range [][]source.Format{ofac.Formats, un.Formats, pakote.Formats, ukflat.Formats, csl.Formats, dpl.Formats, canada.Formats, dfat.Formats} {
		fs = append(fs, f...)
	}
	res, err := source.ParseAll(fs, files)
	if err != nil {
		t.Fatal(err)
	}
	var all []interdict.Entity
	for _, r := range res {
		all = append(all, r.Entities...)
	}
	return all
}

type partiesStatus struct {
	Lists []struct {
		List       string `json:"list"`
		Published  string `json:"published"`
		Total      int    `json:"total"`
		Derived    bool   `json:"derived"`
		Note       string `json:"note"`
		AgeDays    int    `json:"age_days"`
		MaxAgeDays int    `json:"max_age_days"`
		Stale      bool   `json:"stale"`
	} `json:"lists"`
	Parties link.Stats `json:"parties"`
}

// screenAll screens names in one batch run (one index build) and returns
// each name's result, as `screen --input --output x.jsonl` writes it.
func screenAll(t *testing.T, home string, names []string) map[string]interdict.ScreenResult {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.csv"), filepath.Join(dir, "out.jsonl")
	var b strings.Builder
	b.WriteString("Name\n")
	for _, n := range names {
		b.WriteString("\"" + strings.ReplaceAll(n, "\"", "\"\"") + "\"\n")
	}
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runSnapshot(t, home, nil, "screen", "--input", in, "--output", out); code != 0 && code != 3 {
		t.Fatalf("screen --input: exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]interdict.ScreenResult{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var row struct {
			Result *interdict.ScreenResult `json:"result"`
		}
		if err := json.Unmarshal([]byte(line), &row); err != nil || row.Result == nil {
			t.Fatalf("output line %q: %v", line, err)
		}
		got[row.Result.Query.Name] = *row.Result
	}
	return got
}

// partyOf returns the party of res that carries the entity id.
func partyOf(res interdict.ScreenResult, id string) (interdict.ListedParty, int) {
	n := 0
	var got interdict.ListedParty
	for _, p := range res.Parties {
		for _, l := range p.Listings {
			if l.EntityID == id {
				got = p
				n++
			}
		}
	}
	return got, n
}

// A fresh install: the bundled snapshot with the derived EU and UK copies,
// its parties and links, grouped results and the age of each list.
func TestFreshInstall_Parties(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the bundled snapshot and builds the screening index several times")
	}
	home := t.TempDir()
	code, out, errOut := runSnapshot(t, home, nil, "lists", "status", "--json")
	if code != 0 {
		t.Fatalf("lists status: exit %d: %s", code, errOut)
	}
	var st partiesStatus
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("lists status --json: %v\n%s", err, out)
	}
	ents := snapshotEntities(t)
	// Two SDN people of one name with different birth dates.
	byName := map[string][]*interdict.Entity{}
	for i := range ents {
		e := &ents[i]
		if e.List == interdict.ListOFACSDN && e.Kind == interdict.KindPerson && len(e.Dates) > 0 && strings.Count(e.PrimaryName(), " ") >= 2 {
			byName[e.PrimaryName()] = append(byName[e.PrimaryName()], e)
		}
	}
	var twoPeople []string
	for n, es := range byName {
		if len(es) == 2 && es[0].Dates[0].From != es[1].Dates[0].From {
			twoPeople = append(twoPeople, n)
		}
	}
	slices.Sort(twoPeople)
	if len(twoPeople) == 0 {
		t.Fatal("no two SDN people of one name")
	}
	results := screenAll(t, home, []string{"Mahan Air", twoPeople[0], "Igor Vladimirovich KOSTIN", "KAZSTANEX LIMITED LIABILITY PARTNERSHIP"})

	t.Run("DerivedAndFresh", func(t *testing.T) {
		now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) // runSnapshot's clock
		seen := map[string]bool{}
		for _, l := range st.Lists {
			seen[l.List] = true
			wantDerived := l.List == interdict.ListEU || l.List == interdict.ListUK
			if l.Derived != wantDerived || wantDerived && !strings.Contains(l.Note, "unofficial copy dated "+l.Published) {
				t.Errorf("%s: derived %v, note %q; want derived %v", l.List, l.Derived, l.Note, wantDerived)
			}
			pub, err := time.Parse(time.DateOnly, l.Published)
			if err != nil {
				t.Errorf("%s: published %q: %v", l.List, l.Published, err)
				continue
			}
			days := int(now.Sub(pub).Hours() / 24)
			if l.AgeDays != days || l.Stale != (days > l.MaxAgeDays) {
				t.Errorf("%s: age %d days, stale %v (limit %d); want %d days", l.List, l.AgeDays, l.Stale, l.MaxAgeDays, days)
			}
		}
		if !seen[interdict.ListEU] || !seen[interdict.ListUK] {
			t.Errorf("lists %v: the EU and UK copies are not imported", seen)
		}
	})

	t.Run("CountsAgainstIndependentCounts", func(t *testing.T) {
		total := 0
		for _, l := range st.Lists {
			total += l.Total
		}
		if st.Parties.Entities != total || total != len(ents) {
			t.Errorf("parties over %d entities; the lists hold %d, the snapshot parses to %d", st.Parties.Entities, total, len(ents))
		}
		// The CSL rows that name an OFAC record by number, found from the
		// CSL's source column.
		have := map[string]bool{}
		for _, e := range ents {
			have[e.ID] = true
		}
		sourceID := 0
		for _, e := range ents {
			if e.List != interdict.ListCSL || len(e.Attributes["source"]) == 0 {
				continue
			}
			src := e.Attributes["source"][0]
			i := strings.LastIndexByte(e.SourceID, '-')
			switch {
			case strings.Contains(src, "(SDN)") && have["ofac-sdn:"+e.SourceID]:
				sourceID++
			case !strings.Contains(src, "(SDN)") && strings.HasSuffix(src, "Treasury Department") && have["ofac-cons:"+e.SourceID[i+1:]]:
				sourceID++
			}
		}
		if got := st.Parties.Links[link.ReasonSourceID]; got != sourceID {
			t.Errorf("source-id links %d, counted from the CSL's source column %d", got, sourceID)
		}
		// Parties are the connected components of the links: counted here
		// by walking the links breadth first.
		adj := map[string][]string{}
		for _, l := range link.Build(ents).Links() {
			adj[l.A] = append(adj[l.A], l.B)
			adj[l.B] = append(adj[l.B], l.A)
		}
		visited := map[string]bool{}
		parties, linked := 0, 0
		for _, e := range ents {
			if visited[e.ID] {
				continue
			}
			parties++
			size := 0
			queue := []string{e.ID}
			visited[e.ID] = true
			for len(queue) > 0 {
				id := queue[0]
				queue = queue[1:]
				size++
				for _, o := range adj[id] {
					if !visited[o] {
						visited[o] = true
						queue = append(queue, o)
					}
				}
			}
			if size > 1 {
				linked++
			}
		}
		if st.Parties.Parties != parties || st.Parties.Linked != linked {
			t.Errorf("status: %d parties, %d linked; the links' components: %d, %d", st.Parties.Parties, st.Parties.Linked, parties, linked)
		}
		t.Logf("%d entities, %d parties, %d on several lists; links %v", st.Parties.Entities, st.Parties.Parties, st.Parties.Linked, st.Parties.Links)
	})

	t.Run("MahanAirOneParty", func(t *testing.T) {
		res := results["Mahan Air"]
		p, n := partyOf(res, "ofac-sdn:12927")
		if n != 1 {
			t.Fatalf("ofac-sdn:12927 in %d parties, want 1: %+v", n, res.Parties)
		}
		var ids []string
		for _, l := range p.Listings {
			ids = append(ids, l.EntityID)
		}
		// OFAC's SDN record, the CSL's copy of it (same number),
		// Canada's listing (same name in the same country, Iran) and the
		// EU copy's record, which carries only its names.
		for _, want := range []string{"ofac-sdn:12927", "csl:12927", "ca:IR-1-part-1-149", "eu:170089"} {
			if !slices.Contains(ids, want) {
				t.Errorf("party %s listings %v: %s missing", p.ID, ids, want)
			}
			if _, n := partyOf(res, want); n != 1 {
				t.Errorf("%s in %d parties, want 1", want, n)
			}
		}
		if !p.Alert || p.Listings[0].Score != p.Score {
			t.Errorf("party %+v: want an alert with its best listing first", p)
		}
		for _, h := range res.Hits {
			if slices.Contains(ids, h.EntityID) && h.Party != p.ID {
				t.Errorf("hit %s: party %q, want %q", h.EntityID, h.Party, p.ID)
			}
		}
	})

	t.Run("SameNameTwoPeople", func(t *testing.T) {
		name := twoPeople[0]
		res := results[name]
		a, na := partyOf(res, byName[name][0].ID)
		b, nb := partyOf(res, byName[name][1].ID)
		if na != 1 || nb != 1 || a.ID == b.ID {
			t.Errorf("%q: %s in party %q, %s in party %q: want two parties", name, byName[name][0].ID, a.ID, byName[name][1].ID, b.ID)
		}
	})

	t.Run("EUOnlyPerson", func(t *testing.T) {
		// EU logicalId 166532: "EU" alone in the copy's sources.
		res := results["Igor Vladimirovich KOSTIN"]
		if len(res.Hits) == 0 || res.Hits[0].List != interdict.ListEU || res.Hits[0].EntityID != "eu:166532" || !res.Alert {
			t.Fatalf("hits %+v; want eu:166532 first, alerting", res.Hits)
		}
		if !strings.HasPrefix(res.Hits[0].Note, "EU list, from an unofficial copy dated 2026-01-28") {
			t.Errorf("note %q", res.Hits[0].Note)
		}
		if p, _ := partyOf(res, "eu:166532"); len(p.Listings) != 1 {
			t.Errorf("party %+v: want the EU listing alone", p)
		}
	})

	t.Run("UKOnlyDesignation", func(t *testing.T) {
		res := results["KAZSTANEX LIMITED LIABILITY PARTNERSHIP"]
		if len(res.Hits) == 0 || res.Hits[0].List != interdict.ListUK || !res.Alert {
			t.Fatalf("hits %+v; want the UK designation first, alerting", res.Hits)
		}
		if !strings.HasPrefix(res.Hits[0].Note, "UK list, from an unofficial copy dated 2025-05-25") {
			t.Errorf("note %q", res.Hits[0].Note)
		}
		for _, h := range res.Hits[1:] {
			if h.Score >= res.Hits[0].Score {
				t.Errorf("another listing ties the UK one: %s %.3f", h.EntityID, h.Score)
			}
		}
	})

	t.Run("EntityShowAlsoListed", func(t *testing.T) {
		code, out, errOut := runSnapshot(t, home, nil, "entity", "show", "ofac-sdn:10122")
		if code != 0 {
			t.Fatalf("entity show: exit %d: %s", code, errOut)
		}
		i := strings.Index(out, "Also listed as:")
		if i < 0 || !strings.Contains(out[i:], "csl:10122") || !strings.Contains(out[i:], "source-id SDN 10122") {
			t.Errorf("entity show ofac-sdn:10122: no CSL copy under \"Also listed as\":\n%s", out[max(i, 0):])
		}
	})

	// Last, as it changes the store: the publisher's file of the EU list
	// replaces the unofficial copy (an excerpt of 4 records here, so
	// --force past the shrink guard; a full file needs none).
	t.Run("OfficialReplacesCopy", func(t *testing.T) {
		excerpt := filepath.Join(sharedLists, "eu", "eu_fsf_v1_1_excerpt_2026-08-05.xml")
		if _, err := os.Stat(excerpt); err != nil {
			t.Skipf("shared EU excerpt not found: %v", err)
		}
		if code, out, errOut := runSnapshot(t, home, nil, "lists", "import", "--force", excerpt); code != 0 {
			t.Fatalf("import of the official EU file: exit %d\n%s\n%s", code, out, errOut)
		}
		code, out, _ := runSnapshot(t, home, nil, "lists", "status", "--json")
		var st partiesStatus
		if err := json.Unmarshal([]byte(out), &st); code != 0 || err != nil {
			t.Fatalf("lists status: exit %d, %v", code, err)
		}
		for _, l := range st.Lists {
			if l.List == interdict.ListEU && (l.Derived || l.Total != 4 || l.Note != "") {
				t.Errorf("eu after the official file: derived %v, %d entities, note %q; want the official version of 4", l.Derived, l.Total, l.Note)
			}
		}
	})
	t.Run("StatusText", func(t *testing.T) {
		code, out, _ := runSnapshot(t, home, nil, "lists", "status", "--parties")
		if code != 0 || !strings.Contains(out, "listed parties") || !strings.Contains(out, "STALE") || !strings.Contains(out, "unofficial copy") {
			t.Errorf("lists status: exit %d, no parties, stale or unofficial copy line:\n%s", code, out)
		}
	})
}
