package ofac_test

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/sourcetest"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/ofac"
)

// realDir holds the complete published lists (shared/data/lists beside the
// checkout in CI).
const realDir = "../../../shared/data/lists"

// format returns the named format of ofac.Formats.
func format(tb testing.TB, name string) source.Format {
	tb.Helper()
	for _, f := range ofac.Formats {
		if f.Name == name {
			return f
		}
	}
	tb.Fatalf("no format %q", name)
	return source.Format{}
}

// MustReadFile reads a file as the importer hands it over: gunzipped, or the
// first member of a ZIP archive.
func MustReadFile(tb testing.TB, path string) source.File {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	name := filepath.Base(path)
	switch {
	case strings.HasSuffix(name, ".gz"):
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			tb.Fatal(err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			tb.Fatal(err)
		}
		name = strings.TrimSuffix(name, ".gz")
	case strings.HasSuffix(strings.ToLower(name), ".zip"):
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			tb.Fatal(err)
		}
		rc, err := zr.File[0].Open()
		if err != nil {
			tb.Fatal(err)
		}
		if b, err = io.ReadAll(rc); err != nil {
			tb.Fatal(err)
		}
		name = zr.File[0].Name
	}
	return source.File{Name: name, Path: path, Data: b}
}

// mustReal reads files of the real lists, or skips the test when they are absent.
func mustReal(t *testing.T, paths ...string) []source.File {
	t.Helper()
	var files []source.File
	for _, p := range paths {
		full := filepath.Join(realDir, p)
		if _, err := os.Stat(full); err != nil {
			t.Skipf("real list file %s not present (CI has ../shared beside the checkout): %v", full, err)
		}
		files = append(files, MustReadFile(t, full))
	}
	return files
}

func head(b []byte) []byte {
	if len(b) > 4096 {
		return b[:4096]
	}
	return b
}

// MustParse detects the list of files with the format and parses them.
func MustParse(tb testing.TB, formatName string, files ...source.File) *source.Result {
	tb.Helper()
	f := format(tb, formatName)
	list := ""
	for _, x := range files {
		l, ok := f.Detect(strings.ToLower(x.Name), head(x.Data))
		if !ok {
			tb.Fatalf("%s does not detect %s", formatName, x.Name)
		}
		if list != "" && l != list {
			tb.Fatalf("%s: list %s, want %s", x.Name, l, list)
		}
		list = l
	}
	r, err := f.Parse(list, files)
	if err != nil {
		tb.Fatalf("parse: %v", err)
	}
	return r
}

func sampleFiles(tb testing.TB, dir string) []source.File {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no sample files in testdata/%s", dir)
	}
	var files []source.File
	for _, p := range paths {
		files = append(files, MustReadFile(tb, p))
	}
	return files
}

func TestFormats_Detect(t *testing.T) {
	sdnCSV := []byte("36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n")
	addCSV := []byte("36,25,-0- ,\"Havana\",\"Cuba\",-0- \r\n")
	altCSV := []byte("36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n")
	sdnXML := []byte(`<?xml version="1.0" standalone="yes"?>` + "\n" + `<sdnList xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML"><publshInformation>`)
	enhXML := []byte(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<sanctionsData xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML"><publicationInfo>`)
	unXML := []byte(`<?xml version="1.0" encoding="UTF-8"?><CONSOLIDATED_LIST dateGenerated="2026-02-27">`)
	cslCSV := []byte("_id,source,entity_number,type,programs,name,title\r\n")
	tests := []struct {
		format, name string
		head         []byte
		list         string
		ok           bool
	}{
		{"ofac-csv", "sdn.csv", sdnCSV, interdict.ListOFACSDN, true},
		{"ofac-csv", "sdn_2024-05-03.csv", sdnCSV, interdict.ListOFACSDN, true},
		{"ofac-csv", "add.csv", addCSV, interdict.ListOFACSDN, true},
		{"ofac-csv", "alt.csv", altCSV, interdict.ListOFACSDN, true},
		{"ofac-csv", "sdn_comments.csv", []byte("17016,\"tive Date\"\r\n"), interdict.ListOFACSDN, true},
		{"ofac-csv", "cons_prim.csv", sdnCSV, interdict.ListOFACCons, true},
		{"ofac-csv", "cons_add.csv", addCSV, interdict.ListOFACCons, true},
		{"ofac-csv", "cons_alt.csv", altCSV, interdict.ListOFACCons, true},
		{"ofac-csv", "cons_comments.csv", []byte("17014,\"r 10277\"\r\n"), interdict.ListOFACCons, true},
		{"ofac-csv", "add.csv", []byte("street,city\r\n"), "", false},
		{"ofac-csv", "consolidated.csv", cslCSV, "", false},
		{"ofac-csv", "sdn.xml", sdnXML, "", false},
		{"ofac-xml", "sdn.xml", sdnXML, interdict.ListOFACSDN, true},
		{"ofac-xml", "consolidated.xml", sdnXML, interdict.ListOFACCons, true},
		{"ofac-xml", "consolidated_nonsdn_2026-01-08.xml", sdnXML, interdict.ListOFACCons, true},
		{"ofac-xml", "cons_enhanced.xml", enhXML, "", false},
		{"ofac-xml", "un_consolidated.xml", unXML, "", false},
		{"ofac-xml", "sdn.csv", sdnCSV, "", false},
		{"ofac-enhanced-xml", "cons_enhanced.xml", enhXML, interdict.ListOFACCons, true},
		{"ofac-enhanced-xml", "sdn_enhanced.xml", enhXML, interdict.ListOFACSDN, true},
		{"ofac-enhanced-xml", "sdn.xml", sdnXML, "", false},
		{"ofac-enhanced-xml", "un_consolidated.xml", unXML, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.format+"/"+tt.name, func(t *testing.T) {
			list, ok := format(t, tt.format).Detect(tt.name, tt.head)
			if ok != tt.ok || list != tt.list {
				t.Errorf("Detect(%q) = %q, %v; want %q, %v", tt.name, list, ok, tt.list, tt.ok)
			}
		})
	}
}

// golden is what the golden files hold.
type golden struct {
	List      string                 `json:"list"`
	Format    string                 `json:"format"`
	Published string                 `json:"published"`
	Report    interdict.ImportReport `json:"report"`
	Entities  []interdict.Entity     `json:"entities"`
}

func TestParse_Golden(t *testing.T) {
	tests := []struct {
		name, format, dir string
		list              string
		entities          int
	}{
		{"csv-sdn", "ofac-csv", "csv-sdn", interdict.ListOFACSDN, 16},
		{"csv-cons", "ofac-csv", "csv-cons", interdict.ListOFACCons, 10},
		{"xml-cons", "ofac-xml", "xml", interdict.ListOFACCons, 10},
		{"enhanced-cons", "ofac-enhanced-xml", "enhanced", interdict.ListOFACCons, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := MustParse(t, tt.format, sampleFiles(t, tt.dir)...)
			if r.List != tt.list || len(r.Entities) != tt.entities {
				t.Errorf("list %s with %d entities, want %s with %d", r.List, len(r.Entities), tt.list, tt.entities)
			}
			sourcetest.Golden(t, filepath.Join("testdata", tt.name+".golden"), golden{r.List, r.Format, r.Published, r.Report, r.Entities})
		})
	}
}

func kindCounts(es []interdict.Entity) map[interdict.Kind]int {
	m := map[interdict.Kind]int{}
	for _, e := range es {
		m[e.Kind]++
	}
	return m
}

// TestParse_Real checks the entity counts of the real files against
// shared/data/lists/MANIFEST.md.
func TestParse_Real(t *testing.T) {
	tests := []struct {
		name, format string
		paths        []string
		list         string
		published    string
		kinds        map[interdict.Kind]int
	}{
		{
			name: "sdn-csv", format: "ofac-csv", list: interdict.ListOFACSDN,
			paths: []string{"ofac_sdn/sdn_2024-05-03.csv.gz", "ofac_sdn/2025-12-24_add_alt/add.csv.gz",
				"ofac_sdn/2025-12-24_add_alt/alt.csv.gz", "ofac_sdn/2025-12-24_add_alt/sdn_comments.csv"},
			kinds: map[interdict.Kind]int{interdict.KindPerson: 6854, interdict.KindOrganization: 6884, interdict.KindVessel: 851, interdict.KindAircraft: 376},
		},
		{
			name: "cons-csv", format: "ofac-csv", list: interdict.ListOFACCons,
			paths: []string{"ofac_cons/cons_prim.csv", "ofac_cons/cons_add.csv", "ofac_cons/cons_alt.csv", "ofac_cons/cons_comments.csv"},
			kinds: map[interdict.Kind]int{interdict.KindPerson: 79, interdict.KindOrganization: 363},
		},
		{
			name: "cons-xml", format: "ofac-xml", list: interdict.ListOFACCons, published: "2026-01-08",
			paths: []string{"ofac_cons/consolidated_nonsdn_2026-01-08.xml"},
			kinds: map[interdict.Kind]int{interdict.KindPerson: 79, interdict.KindOrganization: 363},
		},
		{
			name: "cons-enhanced", format: "ofac-enhanced-xml", list: interdict.ListOFACCons, published: "2025-01-10",
			paths: []string{"ofac_cons/CONS_ENHANCED_2025-01-10.ZIP"},
			kinds: map[interdict.Kind]int{interdict.KindPerson: 80, interdict.KindOrganization: 363},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := MustParse(t, tt.format, mustReal(t, tt.paths...)...)
			if r.List != tt.list || r.Published != tt.published {
				t.Errorf("list %q published %q, want %q %q", r.List, r.Published, tt.list, tt.published)
			}
			if diff := cmp.Diff(tt.kinds, kindCounts(r.Entities)); diff != "" {
				t.Errorf("entity kinds (-want +got):\n%s", diff)
			}
			if r.Report.Skipped != 0 || r.Report.Records != len(r.Entities) {
				t.Errorf("read %d records, skipped %d, kept %d entities", r.Report.Records, r.Report.Skipped, len(r.Entities))
			}
		})
	}
}

// TestParse_RealSDNRemarks checks what the SDN remarks yield: the 3,575 weak
// "a.k.a. '...'" mentions of MANIFEST.md, dates that all parse, and the
// warnings for alias and address rows of later records.
func TestParse_RealSDNRemarks(t *testing.T) {
	r := MustParse(t, "ofac-csv", mustReal(t, "ofac_sdn/sdn_2024-05-03.csv.gz", "ofac_sdn/2025-12-24_add_alt/add.csv.gz",
		"ofac_sdn/2025-12-24_add_alt/alt.csv.gz", "ofac_sdn/2025-12-24_add_alt/sdn_comments.csv")...)
	weak, rawDates, crypto, imo, linked, resolved := 0, 0, 0, 0, 0, 0
	for _, e := range r.Entities {
		for _, n := range e.Names {
			if n.Quality == interdict.NameWeak {
				weak++
			}
		}
		for _, d := range e.Dates {
			if d.From == "" {
				rawDates++
			}
		}
		for _, id := range e.Identifiers {
			switch id.Type {
			case interdict.IDCrypto:
				crypto++
			case interdict.IDIMO:
				imo++
			}
		}
		for _, rel := range e.Relations {
			linked++
			if rel.Target != "" {
				resolved++
			}
		}
	}
	// sdn.csv has 3,578 "a.k.a. '...'" and one "n.k.a. '...'" (MANIFEST.md
	// counts 3,575 with a stricter pattern); the late-2025 sdn_comments.csv
	// adds those of the overflow it holds for records of this file; names
	// that repeat one the record already has are dropped.
	if weak != 3608 {
		t.Errorf("%d weak aliases, want 3608", weak)
	}
	if rawDates != 0 {
		t.Errorf("%d dates not parsed", rawDates)
	}
	if crypto < 300 || imo < 850 {
		t.Errorf("%d crypto addresses and %d IMO numbers, want >= 300 and >= 850", crypto, imo)
	}
	if linked < 4000 || resolved < linked*9/10 {
		t.Errorf("%d Linked To relations, %d resolved to an entity", linked, resolved)
	}
	orphans := 0
	for _, is := range r.Report.Issues {
		if is.Severity == interdict.SeverityWarning && is.Field == "ent_num" {
			orphans++
			if is.File == "" || is.Line == 0 || is.Record == "" {
				t.Errorf("orphan row warning without its location: %+v", is)
			}
		}
	}
	if orphans < 5000 {
		t.Errorf("%d warnings for add/alt rows of unknown ent_num, want thousands (mixed vintages)", orphans)
	}
}

// TestParse_RealConsXMLAliases checks the alias counts of MANIFEST.md: 931
// strong a.k.a., 69 weak a.k.a., 141 strong f.k.a., 3 weak f.k.a.
func TestParse_RealConsXMLAliases(t *testing.T) {
	files := mustReal(t, "ofac_cons/consolidated_nonsdn_2026-01-08.xml")

	// The file itself, read independently.
	var doc struct {
		Entries []struct {
			AKAs []struct {
				Type     string `xml:"type"`
				Category string `xml:"category"`
			} `xml:"akaList>aka"`
		} `xml:"sdnEntry"`
	}
	if err := xml.Unmarshal(files[0].Data, &doc); err != nil {
		t.Fatal(err)
	}
	raw := map[string]int{}
	for _, e := range doc.Entries {
		for _, a := range e.AKAs {
			raw[a.Category+" "+a.Type]++
		}
	}
	wantRaw := map[string]int{"strong a.k.a.": 931, "weak a.k.a.": 69, "strong f.k.a.": 141, "weak f.k.a.": 3}
	if diff := cmp.Diff(wantRaw, raw); diff != "" {
		t.Errorf("aliases in the file (-want +got):\n%s", diff)
	}

	// The parsed names: f.k.a. of either category is a former name; one
	// strong a.k.a. of uid 18282 repeats its primary name and is dropped.
	r := MustParse(t, "ofac-xml", files...)
	got := map[interdict.NameQuality]int{}
	for _, e := range r.Entities {
		for _, n := range e.Names {
			got[n.Quality]++
		}
	}
	want := map[interdict.NameQuality]int{interdict.NamePrimary: 442, interdict.NameStrong: 931 - 1, interdict.NameWeak: 69, interdict.NameFormer: 141 + 3}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parsed name qualities (-want +got):\n%s", diff)
	}
}

// TestCSVAndXMLAgree checks that the legacy CSV set and the sdnList XML of the
// consolidated list give the same records the same IDs, names and programs.
func TestCSVAndXMLAgree(t *testing.T) {
	tests := []struct {
		name           string
		csv, xml       func(t *testing.T) []source.File
		namesMayDiffer []string // records whose two publications differ
	}{
		{
			name: "sample",
			csv:  func(t *testing.T) []source.File { return sampleFiles(t, "csv-cons") },
			xml:  func(t *testing.T) []source.File { return sampleFiles(t, "xml") },
			// The CSV quotes 'DRUZHBA' inside '...', the XML inside "...".
			namesMayDiffer: []string{"ofac-cons:22391"},
		},
		{
			name: "real",
			csv: func(t *testing.T) []source.File {
				return mustReal(t, "ofac_cons/cons_prim.csv", "ofac_cons/cons_add.csv", "ofac_cons/cons_alt.csv", "ofac_cons/cons_comments.csv")
			},
			xml:            func(t *testing.T) []source.File { return mustReal(t, "ofac_cons/consolidated_nonsdn_2026-01-08.xml") },
			namesMayDiffer: []string{"ofac-cons:22391"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := MustParse(t, "ofac-csv", tt.csv(t)...)
			x := MustParse(t, "ofac-xml", tt.xml(t)...)
			byID := map[string]interdict.Entity{}
			var cids, xids []string
			for _, e := range c.Entities {
				cids = append(cids, e.ID)
			}
			for _, e := range x.Entities {
				xids = append(xids, e.ID)
				byID[e.ID] = e
			}
			if diff := cmp.Diff(cids, xids); diff != "" {
				t.Fatalf("IDs differ (-csv +xml):\n%s", diff)
			}
			type nameQ struct {
				Full    string
				Quality interdict.NameQuality
				Parts   []interdict.NamePart
			}
			names := func(e interdict.Entity) []nameQ {
				var out []nameQ
				for _, n := range e.Names {
					out = append(out, nameQ{n.Full, n.Quality, n.Parts})
				}
				sort.Slice(out, func(i, j int) bool { return out[i].Full+string(out[i].Quality) < out[j].Full+string(out[j].Quality) })
				return out
			}
			sorted := func(s []string) []string {
				s = append([]string(nil), s...)
				sort.Strings(s)
				return s
			}
			for _, ce := range c.Entities {
				xe := byID[ce.ID]
				if ce.Kind != xe.Kind || ce.PrimaryName() != xe.PrimaryName() {
					t.Errorf("%s: csv %s %q, xml %s %q", ce.ID, ce.Kind, ce.PrimaryName(), xe.Kind, xe.PrimaryName())
				}
				if diff := cmp.Diff(sorted(ce.Programs), sorted(xe.Programs)); diff != "" {
					t.Errorf("%s: programs (-csv +xml):\n%s", ce.ID, diff)
				}
				if !contains(tt.namesMayDiffer, ce.ID) {
					if diff := cmp.Diff(names(ce), names(xe)); diff != "" {
						t.Errorf("%s: names (-csv +xml):\n%s", ce.ID, diff)
					}
				}
				if diff := cmp.Diff(sorted(ce.Nationalities), sorted(xe.Nationalities)); diff != "" {
					t.Errorf("%s: nationalities (-csv +xml):\n%s", ce.ID, diff)
				}
				if diff := cmp.Diff(ce.Dates, xe.Dates); diff != "" {
					t.Errorf("%s: dates (-csv +xml):\n%s", ce.ID, diff)
				}
			}
			// A handful of records in full detail.
			for _, id := range []string{"ofac-cons:9647", "ofac-cons:17014", "ofac-cons:30930"} {
				ce, xe := find(c.Entities, id), byID[id]
				if ce == nil {
					t.Errorf("%s missing", id)
					continue
				}
				idents := func(e interdict.Entity) []string {
					var out []string
					for _, i := range e.Identifiers {
						out = append(out, string(i.Type)+" "+i.Label+" "+i.Value+" "+i.Country)
					}
					sort.Strings(out)
					return out
				}
				if diff := cmp.Diff(idents(*ce), idents(xe)); diff != "" {
					t.Errorf("%s: identifiers (-csv +xml):\n%s", id, diff)
				}
				if ce.Gender != xe.Gender || len(ce.Addresses) != len(xe.Addresses) {
					t.Errorf("%s: gender %q/%q, %d/%d addresses", id, ce.Gender, xe.Gender, len(ce.Addresses), len(xe.Addresses))
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func find(es []interdict.Entity, id string) *interdict.Entity {
	for i := range es {
		if es[i].ID == id {
			return &es[i]
		}
	}
	return nil
}
