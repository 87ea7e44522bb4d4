package link_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/evalgen"
	"github.com/interdict/interdict/link"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/pakote"
	"github.com/interdict/interdict/source/ukflat"
)

var sharedLists = filepath.Join("..", "..", "shared", "data", "lists")

var (
	loadOnce sync.Once
	loaded   []interdict.Entity
	loadErr  error
)

// real returns the entities of every official list file of the shared
// data, with the derived EU and UK copies in place of the EU and UK
// excerpts (as in the bundled snapshot).
func real(tb testing.TB) []interdict.Entity {
	tb.Helper()
	if _, err := os.Stat(sharedLists); err != nil {
		tb.Skipf("shared list data not found at %s: %v", sharedLists, err)
	}
	loadOnce.Do(func() {
		var all []interdict.Entity
		all, _, loadErr = evalgen.LoadLists(sharedLists)
		if loadErr != nil {
			return
		}
		for _, e := range all {
			if e.List != interdict.ListEU && e.List != interdict.ListUK {
				loaded = append(loaded, e)
			}
		}
		files, err := source.ReadPaths([]string{filepath.Join(sharedLists, "derived")})
		if err != nil {
			loadErr = err
			return
		}
		res, err := source.ParseAll(append(slices.Clone(pakote.Formats), ukflat.Formats...), files)
		if err != nil {
			loadErr = err
			return
		}
		for _, r := range res {
			loaded = append(loaded, r.Entities...)
		}
	})
	if loadErr != nil {
		tb.Fatal(loadErr)
	}
	return loaded
}

func find(t *testing.T, es []interdict.Entity, ok func(*interdict.Entity) bool) []*interdict.Entity {
	t.Helper()
	var out []*interdict.Entity
	for i := range es {
		if ok(&es[i]) {
			out = append(out, &es[i])
		}
	}
	return out
}

func hasName(e *interdict.Entity, sub string) bool {
	for _, n := range e.Names {
		if strings.Contains(strings.ToUpper(n.Full), sub) {
			return true
		}
	}
	return false
}

func samePartyAll(t *testing.T, p *link.Parties, ids ...string) {
	t.Helper()
	n0, ok := p.PartyOf(ids[0])
	if !ok {
		t.Fatalf("%s: no such record", ids[0])
	}
	for _, id := range ids[1:] {
		if n, ok := p.PartyOf(id); !ok || n != n0 {
			t.Errorf("%s and %s are not one party: %s is with %v, %s with %v", ids[0], id, ids[0], p.Members(n0), id, p.Members(n))
		}
	}
}

// The OFAC SDN record of KALAYE ELECTRIC COMPANY and the CSL's copy of it
// are one party, linked by the SDN number the CSL row carries.
func TestBuild_KalayeElectric(t *testing.T) {
	es := real(t)
	sdn := find(t, es, func(e *interdict.Entity) bool {
		return e.List == interdict.ListOFACSDN && e.PrimaryName() == "KALAYE ELECTRIC COMPANY"
	})
	csl := find(t, es, func(e *interdict.Entity) bool {
		return e.List == interdict.ListCSL && e.PrimaryName() == "KALAYE ELECTRIC COMPANY" &&
			slices.Contains(e.Attributes["source"], "Specially Designated Nationals (SDN) - Treasury Department")
	})
	if len(sdn) != 1 || len(csl) != 1 {
		t.Fatalf("found %d SDN and %d CSL SDN records of KALAYE ELECTRIC COMPANY, want 1 each", len(sdn), len(csl))
	}
	p := link.Build(es)
	samePartyAll(t, p, sdn[0].ID, csl[0].ID)
	var reasons []link.Reason
	for _, l := range p.LinksOf(sdn[0].ID) {
		if l.A == csl[0].ID || l.B == csl[0].ID {
			reasons = append(reasons, l.Reason)
		}
	}
	if !slices.Contains(reasons, link.ReasonSourceID) {
		t.Errorf("links of %s and %s: %v, want %s among them", sdn[0].ID, csl[0].ID, reasons, link.ReasonSourceID)
	}
}

// A UN-listed individual that Canada and Australia list too is one party
// across the three lists.
func TestBuild_UNCanadaAustralia(t *testing.T) {
	es := real(t)
	// Akbar AHMADIAN, UN IRi.004, born 1961: found on each list by family
	// name and birth year.
	born1961 := func(e *interdict.Entity) bool {
		for _, d := range e.Dates {
			if d.Type == interdict.DateBirth && strings.HasPrefix(d.From, "1961") {
				return true
			}
		}
		return false
	}
	var ids []string
	for _, list := range []string{interdict.ListUN, interdict.ListCA, interdict.ListAU} {
		got := find(t, es, func(e *interdict.Entity) bool {
			return e.List == list && e.Kind == interdict.KindPerson && hasName(e, "AHMADIAN") && born1961(e)
		})
		if len(got) != 1 {
			t.Fatalf("%s: %d records of AHMADIAN born 1961, want 1", list, len(got))
		}
		ids = append(ids, got[0].ID)
	}
	if ids[0] != "un:IRi.004" {
		t.Errorf("UN record %s, want un:IRi.004", ids[0])
	}
	samePartyAll(t, link.Build(es), ids...)
}

// Names alone never link: records of one name on two lists stay two
// parties unless something else names the same party.
func TestBuild_NameAloneNeverLinks(t *testing.T) {
	person := func(list, id, name string, dob string) interdict.Entity {
		e := interdict.Entity{ID: list + ":" + id, List: list, SourceID: id, Kind: interdict.KindPerson,
			Names: []interdict.Name{{Full: name, Quality: interdict.NamePrimary}}}
		if dob != "" {
			e.Dates = []interdict.Date{{Type: interdict.DateBirth, From: dob, To: dob, Precision: interdict.PrecisionDay}}
		}
		return e
	}
	org := func(list, id, name, country string) interdict.Entity {
		return interdict.Entity{ID: list + ":" + id, List: list, SourceID: id, Kind: interdict.KindOrganization,
			Names: []interdict.Name{{Full: name, Quality: interdict.NamePrimary}}, Countries: []string{country}}
	}
	copyOnly := func(e interdict.Entity) interdict.Entity {
		e.Attributes = map[string][]string{interdict.AttrUnofficialCopy: {"EU list, from an unofficial copy dated 2026-01-28"}}
		return e
	}
	copyOrg := func(list, id, name string) interdict.Entity {
		e := org(list, id, name, "")
		e.Countries = nil
		return copyOnly(e)
	}
	withCountry := func(e interdict.Entity, c string) interdict.Entity {
		e.Countries = []string{c}
		return e
	}
	for _, tc := range []struct {
		name string
		es   []interdict.Entity
		same bool
	}{
		{"SameNameNoOtherData", []interdict.Entity{person("un", "1", "Ali Hassan", ""), person("au", "2", "Ali Hassan", "")}, false},
		{"SameNameDifferentBirthDays", []interdict.Entity{person("un", "1", "Ali Hassan", "1970-03-04"), person("au", "2", "Ali Hassan", "1970-05-06")}, false},
		{"SameNameDifferentBirthYears", []interdict.Entity{person("un", "1", "Ali Hassan", "1970-03-04"), person("au", "2", "Ali Hassan", "1971-03-04")}, false},
		{"SameNameSameBirthDay", []interdict.Entity{person("un", "1", "HASSAN, Ali", "1970-03-04"), person("au", "2", "Ali Hassan", "1970-03-04")}, true},
		{"OneWordName", []interdict.Entity{person("un", "1", "Hassan", "1970-03-04"), person("au", "2", "Hassan", "1970-03-04")}, false},
		{"SameListNeverLinked", []interdict.Entity{person("au", "1", "Ali Hassan", "1970-03-04"), person("au", "2", "Ali Hassan", "1970-03-04")}, false},
		// Two records of one name and birth day on one list: the name does
		// not say which of them a third list's record is.
		{"AmbiguousOnOneList", []interdict.Entity{person("au", "1", "Ali Hassan", "1970-03-04"), person("au", "2", "Ali Hassan", "1970-03-04"),
			person("un", "3", "Ali Hassan", "1970-03-04")}, false},
		{"OrganisationSameNameOtherCountry", []interdict.Entity{org("ca", "1", "Star Trading LLC", "AE"), org("au", "2", "Star Trading LLC", "IR")}, false},
		{"OrganisationSameNameSameCountry", []interdict.Entity{org("ca", "1", "Star Trading LLC", "AE"), org("au", "2", "STAR TRADING LLC", "AE")}, true},
		// An unofficial copy's record that carries only names links by its
		// full name; official records of one name never do, nor does a
		// copy's record that gives a country, nor a one-word name.
		{"CopyNamesOnly", []interdict.Entity{copyOrg("eu", "1", "Mahan Air"), org("ofac-sdn", "2", "MAHAN AIR", "IR")}, true},
		{"CopyNamesOnlyOneWord", []interdict.Entity{copyOrg("eu", "1", "Mahan"), org("ofac-sdn", "2", "MAHAN", "IR")}, false},
		{"CopyNamesOnlyAmbiguous", []interdict.Entity{copyOrg("eu", "1", "Star Trading LLC"), org("ca", "2", "Star Trading LLC", "AE"),
			org("ca", "3", "Star Trading LLC", "IR")}, false},
		{"CopyWithCountry", []interdict.Entity{withCountry(copyOrg("eu", "1", "Star Trading LLC"), "IR"), org("ca", "2", "Star Trading LLC", "AE")}, false},
		{"OfficialOnlySameName", []interdict.Entity{org("ca", "1", "Star Trading LLC", "AE"), org("au", "2", "Star Trading LLC", "IR")}, false},
		{"CopyPerson", []interdict.Entity{copyOnly(person("eu", "1", "Ali Hassan", "")), person("un", "2", "Ali Hassan", "")}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := link.Build(tc.es)
			a, _ := p.PartyOf(tc.es[0].ID)
			b, _ := p.PartyOf(tc.es[len(tc.es)-1].ID)
			if got := a == b; got != tc.same {
				t.Errorf("one party: %v, want %v; links %v", got, tc.same, p.Links())
			}
		})
	}
}

// The strong identifiers link across lists; a number on more than
// MaxShared records links none of them.
func TestBuild_Identifiers(t *testing.T) {
	vessel := func(list, id, imo string) interdict.Entity {
		return interdict.Entity{ID: list + ":" + id, List: list, SourceID: id, Kind: interdict.KindVessel,
			Names:       []interdict.Name{{Full: "SHIP " + id, Quality: interdict.NamePrimary}},
			Identifiers: []interdict.Identifier{{Type: interdict.IDIMO, Value: imo}}}
	}
	p := link.Build([]interdict.Entity{vessel("ofac-sdn", "1", "IMO 9187629"), vessel("ca", "2", "9187629"), vessel("au", "3", "9187620")})
	if got := p.Same("ofac-sdn:1"); !slices.Equal(got, []string{"ca:2"}) {
		t.Errorf("Same(ofac-sdn:1) = %v, want [ca:2]", got)
	}
	if ls := p.LinksOf("ca:2"); len(ls) != 1 || ls[0].Reason != link.ReasonIMO || ls[0].Detail != "IMO 9187629" {
		t.Errorf("LinksOf(ca:2) = %+v, want one imo link with detail IMO 9187629", ls)
	}
	var many []interdict.Entity
	for i, l := range []string{"ofac-sdn", "ofac-cons", "un", "eu", "uk", "ca", "au"} {
		many = append(many, vessel(l, string(rune('a'+i)), "1234567"))
	}
	if s := link.Build(many).Stats(); s.Linked != 0 {
		t.Errorf("%d records sharing one IMO number: %d linked parties, want 0", len(many), s.Linked)
	}
}

// Build gives the same parties whatever the order of the entities.
func TestBuild_OrderIndependent(t *testing.T) {
	es := real(t)
	want := link.Build(es)
	shuffled := slices.Clone(es)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	got := link.Build(shuffled)
	if ws, gs := want.Stats(), got.Stats(); ws.Parties != gs.Parties || ws.Linked != gs.Linked {
		t.Fatalf("stats %+v in file order, %+v shuffled", ws, gs)
	}
	for _, id := range []string{"ofac-sdn:10122", "un:IRi.004", "ofac-sdn:12927"} {
		if w, g := sorted(want.Same(id)), sorted(got.Same(id)); !slices.Equal(w, g) {
			t.Errorf("Same(%s) = %v in file order, %v shuffled", id, w, g)
		}
	}
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

// The counts of links by reason agree with a count made another way: the
// CSL rows naming an OFAC record by number are counted from the CSL's
// source column and the OFAC records' own IDs; UN reference numbers and
// IMO numbers by grouping the records by the number.
func TestBuild_StatsAgainstIndependentCounts(t *testing.T) {
	es := real(t)
	st := link.Build(es).Stats()

	have := map[string]bool{}
	for _, e := range es {
		have[e.ID] = true
	}
	sourceID := 0
	for _, e := range es {
		if e.List != interdict.ListCSL || len(e.Attributes["source"]) == 0 {
			continue
		}
		src := e.Attributes["source"][0]
		switch {
		case strings.Contains(src, "(SDN)"):
			if have["ofac-sdn:"+e.SourceID] {
				sourceID++
			}
		case strings.HasSuffix(src, "Treasury Department"):
			i := strings.LastIndexByte(e.SourceID, '-')
			if have["ofac-cons:"+e.SourceID[i+1:]] {
				sourceID++
			}
		}
	}
	if st.Links[link.ReasonSourceID] != sourceID {
		t.Errorf("source-id links: %d, counted independently %d", st.Links[link.ReasonSourceID], sourceID)
	}

	// Pairs of records of different lists sharing a number, in groups of
	// at most MaxShared records.
	pairs := func(key func(e *interdict.Entity) []string) int {
		groups := map[string]map[string]string{} // number → entity ID → list
		for i := range es {
			for _, k := range key(&es[i]) {
				if groups[k] == nil {
					groups[k] = map[string]string{}
				}
				groups[k][es[i].ID] = es[i].List
			}
		}
		n := 0
		for _, g := range groups {
			if len(g) < 2 || len(g) > link.MaxShared {
				continue
			}
			var lists []string
			for _, l := range g {
				lists = append(lists, l)
			}
			for i := range lists {
				for j := i + 1; j < len(lists); j++ {
					if lists[i] != lists[j] {
						n++
					}
				}
			}
		}
		return n
	}
	un := pairs(func(e *interdict.Entity) []string {
		if e.List == interdict.ListUN {
			return []string{e.SourceID}
		}
		return e.Attributes["un_reference_number"]
	})
	if st.Links[link.ReasonUNReference] != un {
		t.Errorf("un-reference links: %d, counted independently %d", st.Links[link.ReasonUNReference], un)
	}
	imo := pairs(func(e *interdict.Entity) []string {
		var out []string
		for _, id := range e.Identifiers {
			if id.Type != interdict.IDIMO || id.KnownFalse {
				continue
			}
			digits := strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, id.Value)
			if len(digits) == 7 && digits != "0000000" && !slices.Contains(out, digits) {
				out = append(out, digits)
			}
		}
		return out
	})
	if st.Links[link.ReasonIMO] != imo {
		t.Errorf("imo links: %d, counted independently %d", st.Links[link.ReasonIMO], imo)
	}
	t.Logf("%d entities, %d parties (%d on several lists); links %v", st.Entities, st.Parties, st.Linked, st.Links)
}

func BenchmarkBuild(b *testing.B) {
	es := real(b)
	for b.Loop() {
		link.Build(es)
	}
}
