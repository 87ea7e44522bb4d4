package dpl_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/sourcetest"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/dpl"
)

const realFile = "../../../shared/data/lists/us_bis/dpl_2023-11.txt"

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parse(t testing.TB, name string, data []byte) *source.Result {
	t.Helper()
	res, err := dpl.Formats[0].Parse(interdict.ListBISDPL, []source.File{{Name: name, Path: name, Data: data}})
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return res
}

type golden struct {
	Format    string                 `json:"format"`
	Publisher string                 `json:"publisher"`
	Published string                 `json:"published"`
	Report    interdict.ImportReport `json:"report"`
	Entities  []interdict.Entity     `json:"entities"`
}

func TestParse_Golden(t *testing.T) {
	res := parse(t, "dpl_sample.txt", mustRead(t, "testdata/dpl_sample.txt"))
	sourcetest.Golden(t, "testdata/dpl_sample.txt.golden", golden{res.Format, res.Publisher, res.Published, res.Report, res.Entities})
}

func TestParse_Sample(t *testing.T) {
	res := parse(t, "dpl_sample.txt", mustRead(t, "testdata/dpl_sample.txt"))
	byID := map[string]interdict.Entity{}
	for _, e := range res.Entities {
		byID[e.ID] = e
	}
	names := func(e interdict.Entity) []string {
		var out []string
		for _, n := range e.Names {
			out = append(out, n.Full)
		}
		return out
	}
	tests := []struct {
		name  string
		id    string
		check func(e interdict.Entity) string
	}{
		{"CollidingSpellingsMerged", "bis-dpl:AL-NASER-AIRLINES", func(e interdict.Entity) string {
			if e.Kind != interdict.KindOrganization || len(e.Addresses) != 4 {
				return "want an organization with 4 addresses"
			}
			return cmp.Diff([]string{"AL NASER AIRLINES", "AL-NASER AIRLINES"}, names(e))
		}},
		{"LeadingSpaceSameName", "bis-dpl:I-ASH", func(e interdict.Entity) string {
			if e.Kind != interdict.KindUnknown || len(e.Addresses) != 3 {
				return "want kind unknown with 3 addresses"
			}
			return cmp.Diff([]string{"I. ASH"}, names(e))
		}},
		{"OneEntityManyAddresses", "bis-dpl:ALI-M-HIJAZI", func(e interdict.Entity) string {
			var cs []string
			for _, a := range e.Addresses {
				cs = append(cs, a.Country)
			}
			if e.ListedOn != "1981-09-01" {
				return "listed on " + e.ListedOn
			}
			return cmp.Diff([]string{"CH", "FR", "LY"}, cs)
		}},
		{"AKANamesSplit", "bis-dpl:FUYI-SUN-A-K-A-FRANK-SUN", func(e interdict.Entity) string {
			return cmp.Diff([]string{"FUYI SUN A/K/A FRANK SUN", "FUYI SUN", "FRANK SUN"}, names(e))
		}},
		{"PRCIsChina", "bis-dpl:JOHNSON-HU", func(e interdict.Entity) string {
			return cmp.Diff(interdict.Address{Street: "#602, NO. 39, NONG #78, SHOU GUANG ROAD", City: "PU DONG SHANGHAI",
				Country: "CN", CountryName: "PRC", Full: "#602, NO. 39, NONG #78, SHOU GUANG ROAD, PU DONG SHANGHAI, PRC"}, e.Addresses[0])
		}},
		{"ImpossibleYearKeptRaw", "bis-dpl:JOSE-ERNESTO-GARCIA", func(e interdict.Entity) string {
			return cmp.Diff([]string{"3033-09-30"}, e.Attributes["last_update"])
		}},
		{"StateInCountryColumn", "bis-dpl:STEPHEN-EDWARD-SMITH", func(e interdict.Entity) string {
			return cmp.Diff("NM", e.Addresses[0].CountryName)
		}},
		{"DottedLegalForm", "bis-dpl:YARRA-ANSTALT-A-G", func(e interdict.Entity) string {
			return cmp.Diff(interdict.KindOrganization, e.Kind)
		}},
		{"PersonNameStaysUnknown", "bis-dpl:ABEL-HERNANDEZ-JR", func(e interdict.Entity) string {
			if d := cmp.Diff([]string{"DPL"}, e.Programs); d != "" {
				return d
			}
			return cmp.Diff(interdict.KindUnknown, e.Kind)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := byID[tt.id]
			if !ok {
				t.Fatalf("no entity %s", tt.id)
			}
			if msg := tt.check(e); msg != "" {
				t.Errorf("entity %s: %s", tt.id, msg)
			}
		})
	}
	if res.Published != "2023-11-02" {
		t.Errorf("published %q, want the latest plausible Last_Update 2023-11-02", res.Published)
	}
}

func TestID(t *testing.T) {
	tests := []struct{ name, want string }{
		{"AARON ABRAHAM VILLA", "AARON-ABRAHAM-VILLA"},
		{" I. ASH", "I-ASH"},
		{"AL-NASER  AIRLINES", "AL-NASER-AIRLINES"},
		{"ANNEXFIELD , LTD.", "ANNEXFIELD-LTD"},
		{"müller gmbh", "MÜLLER-GMBH"},
		{" ..", ""},
	}
	for _, tt := range tests {
		if got := dpl.ID(tt.name); got != tt.want {
			t.Errorf("ID(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, file, head string
		want             bool
	}{
		{"Quoted", "dpl.txt", "\"Name\"\t\"Street_Address\"\t\"City\"", true},
		{"Unquoted", "dpl.txt", "Name\tStreet_Address\tCity", true},
		{"BOM", "dpl.txt", "\xef\xbb\xbf\"Name\"\t\"Street_Address\"", true},
		{"CSL", "consolidated.csv", "_id,source,entity_number,type,programs,name", false},
		{"CommaSeparated", "x.csv", "Name,Street_Address,City", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, ok := dpl.Formats[0].Detect(tt.file, []byte(tt.head))
			if ok != tt.want || (ok && list != interdict.ListBISDPL) {
				t.Errorf("Detect(%q) = %q, %v; want %v", tt.head, list, ok, tt.want)
			}
		})
	}
}

func TestParse_BadInput(t *testing.T) {
	const hdr = "\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\t\"Postal_Code\"\t\"Effective_Date\"\t\"Expiration_Date\"\t\"Standard_Order\"\t\"Last_Update\"\t\"Action\"\t\"FR_Citation\"\n"
	tests := []struct {
		name                     string
		data                     string
		wantErr                  bool
		entities, skipped, warns int
		field                    string
		line                     int
	}{
		{name: "NoName", data: hdr + "\"\"\t\"1 ROAD\"\t\"\"\t\"\"\t\"US\"\t\"\"\t\"01/02/2003\"\t\"\"\t\"Y\"\t\"2003-01-05\"\t\"\"\t\"\"\n", skipped: 1, field: "Name", line: 2},
		{name: "BadDateKept", data: hdr + "\"X\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"13/45/2003\"\t\"\"\t\"Y\"\t\"2003-01-05\"\t\"\"\t\"\"\n", entities: 1, warns: 1, field: "Effective_Date", line: 2},
		{name: "ShortRowKept", data: hdr + "\"X\"\t\"1 ROAD\"\n", entities: 1, warns: 1, line: 2},
		{name: "NoHeader", data: "", wantErr: true},
		{name: "HeaderWithoutName", data: "\"A\"\t\"B\"\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := dpl.Formats[0].Parse(interdict.ListBISDPL, []source.File{{Name: "f", Data: []byte(tt.data)}})
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Parse(%q) succeeded, want an error", tt.data)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.data, err)
			}
			if len(res.Entities) != tt.entities || res.Report.Skipped != tt.skipped || res.Report.Warnings != tt.warns {
				t.Fatalf("Parse(%q): entities %d skipped %d warnings %d, want %d %d %d; issues %+v", tt.data,
					len(res.Entities), res.Report.Skipped, res.Report.Warnings, tt.entities, tt.skipped, tt.warns, res.Report.Issues)
			}
			if len(res.Report.Issues) > 0 {
				is := res.Report.Issues[0]
				if is.Field != tt.field || is.Line != tt.line || is.File != "f" || is.List != interdict.ListBISDPL {
					t.Errorf("issue %+v, want field %q line %d in file f", is, tt.field, tt.line)
				}
			}
		})
	}
}

// TestParse_RealFile reads the complete DPL of ~2023-11-28 (MANIFEST.md: 665
// rows, 546 distinct names). Two pairs of names differ only in spaces or
// punctuation (" I. ASH"/"I. ASH", "AL-NASER  AIRLINES"/"AL NASER AIRLINES")
// and share an ID, so the file gives 544 entities.
func TestParse_RealFile(t *testing.T) {
	data, err := os.ReadFile(realFile)
	if os.IsNotExist(err) {
		t.Skipf("real DPL file not found at %s (shared data is beside the checkout in CI)", realFile)
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := dpl.Formats[0].Detect(filepath.Base(realFile), data[:4096]); !ok {
		t.Fatal("bis-dpl does not detect the real file")
	}
	// The manifest's counts, read independently of the parser.
	rd := csv.NewReader(strings.NewReader(string(data)))
	rd.Comma = '\t'
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	distinct := map[string]bool{}
	for _, r := range rows[1:] {
		distinct[r[0]] = true
	}
	if len(rows)-1 != 665 || len(distinct) != 546 {
		t.Fatalf("file has %d rows and %d distinct names, MANIFEST says 665 and 546", len(rows)-1, len(distinct))
	}

	res := parse(t, filepath.Base(realFile), data)
	if res.Report.Records != 665 || res.Report.Entities != 544 || res.Report.Skipped != 0 {
		t.Errorf("report %+v, want 665 records and 544 entities", res.Report)
	}
	// Warnings: Last_Update 1023-11-01 (twice) and 3033-09-30; country "NM".
	if res.Report.Warnings != 4 {
		t.Errorf("%d warnings, want 4", res.Report.Warnings)
	}
	if res.Published != "2023-11-28" || res.Publisher != "US Department of Commerce, Bureau of Industry and Security" {
		t.Errorf("published %q publisher %q", res.Published, res.Publisher)
	}
	kinds := map[interdict.Kind]int{}
	addrs := 0
	for _, e := range res.Entities {
		kinds[e.Kind]++
		addrs += len(e.Addresses)
	}
	if diff := cmp.Diff(map[interdict.Kind]int{interdict.KindOrganization: 92, interdict.KindUnknown: 452}, kinds); diff != "" {
		t.Errorf("kinds (-want +got):\n%s", diff)
	}
	for _, is := range res.Report.Issues {
		t.Logf("%s %s:%d %s %s: %s", is.Severity, is.File, is.Line, is.Record, is.Field, is.Message)
	}
}

func FuzzParseDPL(f *testing.F) {
	f.Add(mustRead(f, "testdata/dpl_sample.txt"))
	f.Add([]byte("Name\tStreet_Address\n\"X\t\"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := dpl.Formats[0].Parse(interdict.ListBISDPL, []source.File{{Name: "fuzz.txt", Data: data}})
		if err == nil && res.Report.Entities != len(res.Entities) {
			t.Fatalf("report counts %d entities, result has %d", res.Report.Entities, len(res.Entities))
		}
	})
}
