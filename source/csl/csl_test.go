package csl_test

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/sourcetest"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/csl"
)

const realFile = "../../../shared/data/lists/us_csl/consolidated_screening_list_2022-05.csv.gz"

func format(t testing.TB, name string) source.Format {
	t.Helper()
	for _, f := range csl.Formats {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no format %q", name)
	return source.Format{}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parse(t testing.TB, fmtName, name string, data []byte) *source.Result {
	t.Helper()
	res, err := format(t, fmtName).Parse(interdict.ListCSL, []source.File{{Name: name, Path: name, Data: data}})
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return res
}

// golden is what the golden files hold.
type golden struct {
	Format    string                 `json:"format"`
	Publisher string                 `json:"publisher"`
	Published string                 `json:"published"`
	Report    interdict.ImportReport `json:"report"`
	Entities  []interdict.Entity     `json:"entities"`
}

func checkGolden(t *testing.T, path string, res *source.Result) {
	t.Helper()
	sourcetest.Golden(t, path, golden{res.Format, res.Publisher, res.Published, res.Report, res.Entities})
}

func TestParseCSV_Golden(t *testing.T) {
	res := parse(t, "csl-csv", "csl_sample.csv", mustRead(t, "testdata/csl_sample.csv"))
	checkGolden(t, "testdata/csl_sample.csv.golden", res)
}

func TestParseCSV_Sample(t *testing.T) {
	res := parse(t, "csl-csv", "csl_sample.csv", mustRead(t, "testdata/csl_sample.csv"))
	byID := map[string]interdict.Entity{}
	for _, e := range res.Entities {
		byID[e.ID] = e
	}
	tests := []struct {
		name  string
		id    string
		check func(e interdict.Entity) string
	}{
		{"SDNIndividualKeepsEntityNumber", "csl:12562", func(e interdict.Entity) string {
			if e.Kind != interdict.KindPerson || e.Attributes["source_list"][0] != "SDN" || e.Programs[0] != "SDGT" {
				return "want SDN person with program SDGT"
			}
			want := interdict.Identifier{Type: interdict.IDPassport, Label: "Passport", Value: "4117921", Country: "PK", Note: "issued 2008-09-09; expires 2013-09-09"}
			return cmp.Diff(want, e.Identifiers[0])
		}},
		{"NamePartsFromFamilyComma", "csl:12562", func(e interdict.Entity) string {
			return cmp.Diff([]interdict.NamePart{{Type: interdict.PartGiven, Value: "Said Jan"}, {Type: interdict.PartFamily, Value: "'ABD AL-SALAM"}}, e.Names[0].Parts)
		}},
		{"LinkedToKeepsParentheses", "csl:26860", func(e interdict.Entity) string {
			return cmp.Diff([]interdict.Relation{{Type: interdict.RelLinkedTo, TargetName: "ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE"}}, e.Relations)
		}},
		{"GenderFromIDs", "csl:24904", func(e interdict.Entity) string {
			return cmp.Diff("male", e.Gender)
		}},
		{"DPLRowIsUnknownKindWithListAsProgram", "csl:deb7a1d5743a85c354ca1a2c7f2664e2104b32d7", func(e interdict.Entity) string {
			if e.Kind != interdict.KindUnknown {
				return "kind " + string(e.Kind)
			}
			if d := cmp.Diff([]string{"DPL"}, e.Programs); d != "" {
				return d
			}
			if e.ListedOn != "2003-06-19" || e.Attributes["end_date"][0] != "2056-06-29" {
				return "listed/end dates wrong"
			}
			return cmp.Diff("US", e.Addresses[0].Country)
		}},
		{"SSIRowOfSDNPartyHasOwnID", "csl:SSI-18291", func(e interdict.Entity) string {
			return cmp.Diff([]string{"SSI"}, e.Attributes["source_list"])
		}},
		{"CAPRowOfSDNPartyHasOwnID", "csl:CAP-18291", func(e interdict.Entity) string {
			return cmp.Diff([]string{"CAP"}, e.Attributes["source_list"])
		}},
		{"RepeatedCAPRowMerged", "csl:CAP-15268", func(e interdict.Entity) string {
			return cmp.Diff([]string{"http://bit.ly/1QWTIfE"}, e.Attributes["source_list_url"])
		}},
		{"VesselFlagToCountry", "csl:31920", func(e interdict.Entity) string {
			if e.Kind != interdict.KindVessel {
				return "kind " + string(e.Kind)
			}
			return cmp.Diff([]string{"RU"}, e.Countries)
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
	if res.Report.Records != 30 || res.Report.Entities != 29 {
		t.Errorf("records %d entities %d, want 30 rows and 29 entities (one repeated CAP row)", res.Report.Records, res.Report.Entities)
	}
}

// csvToJSON converts CSL CSV rows into the trade.gov JSON shape: the
// inverse of the CSV flattening, with null for empty scalars, arrays for
// multi-values, numbers for numeric tonnage, address objects and id objects.
func csvToJSON(t testing.TB, data []byte) []byte {
	t.Helper()
	rd := csv.NewReader(bytes.NewReader(data))
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := rows[0]
	multi := map[string]bool{"programs": true, "alt_names": true, "citizenships": true, "dates_of_birth": true, "nationalities": true, "places_of_birth": true}
	date := regexp.MustCompile(`^\d{4}-\d\d-\d\d$`)
	cc := regexp.MustCompile(`^[A-Z]{2}$`)
	split := func(s string) []string {
		out := []string{}
		if s != "" {
			out = strings.Split(s, "; ")
		}
		return out
	}
	var results []map[string]any
	for _, row := range rows[1:] {
		m := map[string]any{}
		for i, h := range header {
			v := row[i]
			switch {
			case h == "_id":
				m["id"] = v
			case multi[h]:
				m[h] = split(v)
			case h == "addresses":
				addrs := []map[string]any{}
				for _, a := range split(v) {
					parts := strings.Split(a, ", ")
					obj := map[string]any{"address": a, "city": nil, "state": nil, "postal_code": nil, "country": nil}
					if last := parts[len(parts)-1]; cc.MatchString(last) {
						obj["country"] = last
						obj["address"] = nil
						if len(parts) > 1 {
							obj["address"] = strings.Join(parts[:len(parts)-1], ", ")
						}
					}
					addrs = append(addrs, obj)
				}
				m[h] = addrs
			case h == "ids":
				ids := []map[string]any{}
				for _, e := range split(v) {
					p := strings.Split(e, ", ")
					obj := map[string]any{"type": p[len(p)-1], "number": nil, "country": nil, "issue_date": nil, "expiration_date": nil}
					p = p[:len(p)-1]
					if len(p) >= 2 && cc.MatchString(p[0]) {
						obj["country"], p = p[0], p[1:]
					}
					var dates []string
					for len(p) >= 2 && date.MatchString(p[0]) {
						dates, p = append(dates, p[0]), p[1:]
					}
					switch len(dates) {
					case 1:
						obj["issue_date"] = dates[0] // the CSV cannot tell which
					case 2:
						obj["expiration_date"], obj["issue_date"] = dates[0], dates[1]
					}
					obj["number"] = strings.Join(p, ", ")
					ids = append(ids, obj)
				}
				m[h] = ids
			case v == "":
				m[h] = nil
			case (h == "gross_tonnage" || h == "gross_registered_tonnage") && regexp.MustCompile(`^\d+$`).MatchString(v):
				m[h] = json.Number(v)
			default:
				m[h] = v
			}
		}
		results = append(results, m)
	}
	out, err := json.MarshalIndent(map[string]any{"total": len(results), "sources": []any{}, "results": results}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// loneDate is an identifier note with one date: the CSV cannot say whether
// it is the issue or the expiry date.
var loneDate = regexp.MustCompile(`^(issued or expires|issued|expires) (\d{4}-\d\d-\d\d)$`)

func TestParseJSON_SameEntitiesAsCSV(t *testing.T) {
	csvData := mustRead(t, "testdata/csl_sample.csv")
	jsonPath := "testdata/csl_sample.json"
	if *sourcetest.Update {
		if err := os.WriteFile(jsonPath, csvToJSON(t, csvData), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fromCSV := parse(t, "csl-csv", "csl_sample.csv", csvData)
	tests := []struct {
		name string
		data []byte
	}{
		{"ResultsObject", mustRead(t, jsonPath)},
		{"ConvertedNow", csvToJSON(t, csvData)},
	}
	// A bare array of records, as the bulk JSON may be.
	var doc struct{ Results json.RawMessage }
	if err := json.Unmarshal(tests[0].data, &doc); err != nil {
		t.Fatal(err)
	}
	tests = append(tests, struct {
		name string
		data []byte
	}{"TopLevelArray", doc.Results})

	normalize := cmp.Transformer("loneDate", func(id interdict.Identifier) interdict.Identifier {
		id.Note = loneDate.ReplaceAllString(id.Note, "one date $2")
		return id
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := format(t, "csl-json").Detect("csl_sample.json", head(tt.data)); !ok {
				t.Fatalf("csl-json does not detect the sample")
			}
			fromJSON := parse(t, "csl-json", "csl_sample.json", tt.data)
			if diff := cmp.Diff(fromCSV.Entities, fromJSON.Entities, normalize); diff != "" {
				t.Errorf("JSON and CSV entities differ (-csv +json):\n%s", diff)
			}
			if fromJSON.Report.Records != fromCSV.Report.Records || fromJSON.Report.Warnings != fromCSV.Report.Warnings {
				t.Errorf("reports differ: csv %+v json %+v", fromCSV.Report, fromJSON.Report)
			}
		})
	}
}

func head(b []byte) []byte {
	if len(b) > 4096 {
		return b[:4096]
	}
	return b
}

func TestDetect(t *testing.T) {
	csvSample := mustRead(t, "testdata/csl_sample.csv")
	jsonSample := mustRead(t, "testdata/csl_sample.json")
	tests := []struct {
		name     string
		file     string
		head     string
		wantCSV  bool
		wantJSON bool
	}{
		{"CSV", "consolidated.csv", string(head(csvSample)), true, false},
		{"CSVWithBOM", "x.csv", "\xef\xbb\xbf" + string(head(csvSample)), true, false},
		{"JSON", "consolidated.json", string(head(jsonSample)), false, true},
		{"JSONArrayNamedCSL", "csl.json", `[{"id":"1","name":"X","alt_names":[]}]`, false, true},
		{"OFACCSV", "sdn.csv", `36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0-`, false, false},
		{"DPL", "dpl.txt", "\"Name\"\t\"Street_Address\"\t\"City\"", false, false},
		{"FtM", "entities.ftm.json", `{"id":"Q7747","schema":"Person","properties":{"name":["Vladimir Putin"]}}`, false, false},
		{"OtherJSONArray", "data.json", `[{"id":"1","name":"X"}]`, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, gotCSV := format(t, "csl-csv").Detect(tt.file, []byte(tt.head))
			if gotCSV != tt.wantCSV || (gotCSV && list != interdict.ListCSL) {
				t.Errorf("csl-csv Detect(%q) = %q, %v; want %v", tt.file, list, gotCSV, tt.wantCSV)
			}
			list, gotJSON := format(t, "csl-json").Detect(tt.file, []byte(tt.head))
			if gotJSON != tt.wantJSON || (gotJSON && list != interdict.ListCSL) {
				t.Errorf("csl-json Detect(%q) = %q, %v; want %v", tt.file, list, gotJSON, tt.wantJSON)
			}
		})
	}
}

func TestParse_BadInput(t *testing.T) {
	const hdr = "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids\n"
	const sdn = "Specially Designated Nationals (SDN) - Treasury Department"
	const rest = ",,,,,,,,,,,,,,,,,,,,,,," // the 23 columns after name
	tests := []struct {
		name         string
		format       string
		data         string
		wantErr      bool
		wantEntities int
		wantSkipped  int
		wantWarnings int
		wantField    string
		wantLine     int
	}{
		{name: "CSVNoID", format: "csl-csv", data: hdr + ",SDN (SDN),,Individual,SDGT,\"DOE, John\"" + rest + "\n1," + sdn + ",1,Individual,SDGT,\"ROE, Jane\"" + rest + "\n",
			wantEntities: 1, wantSkipped: 1, wantField: "_id", wantLine: 2},
		{name: "CSVNoName", format: "csl-csv", data: hdr + "1," + sdn + ",1,Individual,SDGT," + rest + "\n",
			wantSkipped: 1, wantField: "name", wantLine: 2},
		{name: "CSVBadDateKept", format: "csl-csv", data: hdr + "2," + sdn + ",2,Individual,SDGT,\"DOE, John\",,,,,,,,,,,,,,,,,,,3033-01-01,,,,\n",
			wantEntities: 1, wantWarnings: 1, wantField: "dates_of_birth", wantLine: 2},
		{name: "CSVUnknownType", format: "csl-csv", data: hdr + "3," + sdn + ",3,Spaceship,SDGT,X" + rest + "\n",
			wantEntities: 1, wantWarnings: 1, wantField: "type", wantLine: 2},
		{name: "CSVShortRowKept", format: "csl-csv", data: hdr + "4," + sdn + ",4,Entity,SDGT,X\n",
			wantEntities: 1, wantWarnings: 1, wantField: "", wantLine: 2},
		{name: "CSVStrayQuoteKept", format: "csl-csv", data: hdr + "5," + sdn + ",5,Entity,SDGT,\"X\"Y\"" + rest + "\n6," + sdn + ",6,Entity,SDGT,Z" + rest + "\n",
			wantEntities: 2},
		{name: "CSVMissingColumns", format: "csl-csv", data: "_id,foo\n1,2\n", wantErr: true},
		{name: "CSVEmpty", format: "csl-csv", data: "", wantErr: true},
		{name: "JSONBadRecordSkipped", format: "csl-json", data: `{"results":[{"id":"1","source":"` + sdn + `","name":{"x":1}},` + "\n" + `{"id":"2","source":"` + sdn + `","name":"X","alt_names":"A; B"}]}`,
			wantEntities: 1, wantSkipped: 1, wantLine: 1},
		{name: "JSONTruncated", format: "csl-json", data: `{"results":[{"id":"1","name":"X"},{"id":"2"`, wantErr: true},
		{name: "JSONNoResults", format: "csl-json", data: `{"total":0}`, wantErr: true},
		{name: "JSONTrailingGarbage", format: "csl-json", data: `[] x`, wantErr: true},
		{name: "JSONScalar", format: "csl-json", data: `"x"`, wantErr: true},
		{name: "JSONNumbersAsText", format: "csl-json", data: `[{"id":7,"source":"` + sdn + `","type":"Vessel","name":"SHIP","gross_tonnage":1234,"programs":"IRAN"}]`,
			wantEntities: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := format(t, tt.format).Parse(interdict.ListCSL, []source.File{{Name: "f", Data: []byte(tt.data)}})
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Parse(%q) succeeded, want an error", tt.data)
				}
				if !strings.Contains(err.Error(), "f") {
					t.Errorf("error %q does not name the file", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.data, err)
			}
			if len(res.Entities) != tt.wantEntities || res.Report.Skipped != tt.wantSkipped || res.Report.Warnings != tt.wantWarnings {
				t.Fatalf("Parse(%q): entities %d skipped %d warnings %d, want %d %d %d; issues %+v", tt.data, len(res.Entities),
					res.Report.Skipped, res.Report.Warnings, tt.wantEntities, tt.wantSkipped, tt.wantWarnings, res.Report.Issues)
			}
			if len(res.Report.Issues) > 0 {
				is := res.Report.Issues[0]
				if is.Field != tt.wantField || is.Line != tt.wantLine || is.File != "f" || is.List != interdict.ListCSL {
					t.Errorf("issue %+v, want field %q line %d in file f", is, tt.wantField, tt.wantLine)
				}
			}
		})
	}
}

// TestParseCSV_RealFile reads the complete 2022-05 CSL (see
// shared/data/lists/MANIFEST.md): 14160 rows. One row repeats a CAP record
// (BANK OF KUNLUN CO LTD, _id 15268) and is merged, so 14159 entities.
func TestParseCSV_RealFile(t *testing.T) {
	raw, err := os.ReadFile(realFile)
	if os.IsNotExist(err) {
		t.Skipf("real CSL file not found at %s (shared data is beside the checkout in CI)", realFile)
	}
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimSuffix(filepath.Base(realFile), ".gz")
	if _, ok := format(t, "csl-csv").Detect(name, head(data)); !ok {
		t.Fatal("csl-csv does not detect the real file")
	}
	res := parse(t, "csl-csv", name, data)

	if res.Report.Records != 14160 || res.Report.Entities != 14159 || res.Report.Skipped != 0 || res.Report.Errors != 0 {
		t.Errorf("report %+v, want 14160 records, 14159 entities, nothing skipped", res.Report)
	}
	if res.Publisher != "US Department of Commerce, International Trade Administration" || res.Published != "" {
		t.Errorf("publisher %q published %q", res.Publisher, res.Published)
	}
	kinds := map[interdict.Kind]int{}
	lists := map[string]int{}
	for _, e := range res.Entities {
		kinds[e.Kind]++
		lists[e.Attributes["source_list"][0]]++
		if len(e.Programs) == 0 {
			t.Errorf("%s has no program", e.ID)
		}
	}
	// MANIFEST: Individual 5286, Entity 4533, Vessel 433, Aircraft 283,
	// blank 3625 rows; the merged CAP row was an Entity.
	wantKinds := map[interdict.Kind]int{interdict.KindPerson: 5286, interdict.KindOrganization: 4532,
		interdict.KindVessel: 433, interdict.KindAircraft: 283, interdict.KindUnknown: 3625}
	if diff := cmp.Diff(wantKinds, kinds); diff != "" {
		t.Errorf("kinds (-want +got):\n%s", diff)
	}
	// MANIFEST rows by source; CAP has 53 rows, one of them merged.
	wantLists := map[string]int{"SDN": 10026, "EL": 2001, "DTC": 727, "DPL": 462, "SSI": 290, "UVL": 201, "ISN": 163,
		"PLC": 78, "MEU": 71, "CMIC": 68, "CAP": 52, "NS-MBS": 17, "FSE": 3}
	if diff := cmp.Diff(wantLists, lists); diff != "" {
		t.Errorf("entities by sub-list (-want +got):\n%s", diff)
	}
	for _, is := range res.Report.Issues {
		t.Logf("%s %s:%d %s %s: %s", is.Severity, is.File, is.Line, is.Record, is.Field, is.Message)
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add(mustRead(f, "testdata/csl_sample.csv"))
	f.Add([]byte("_id,source,name\n1,SDN,\"X\n"))
	parseFn := format(f, "csl-csv").Parse
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := parseFn(interdict.ListCSL, []source.File{{Name: "fuzz.csv", Data: data}})
		if err == nil && res.Report.Entities != len(res.Entities) {
			t.Fatalf("report counts %d entities, result has %d", res.Report.Entities, len(res.Entities))
		}
	})
}

func FuzzParseJSON(f *testing.F) {
	f.Add(mustRead(f, "testdata/csl_sample.json"))
	f.Add([]byte(`[{"id":1,"name":"X","addresses":["a"],"ids":[{"type":"Gender","number":"Male"}]}]`))
	parseFn := format(f, "csl-json").Parse
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := parseFn(interdict.ListCSL, []source.File{{Name: "fuzz.json", Data: data}})
		if err == nil && res.Report.Entities != len(res.Entities) {
			t.Fatalf("report counts %d entities, result has %d", res.Report.Entities, len(res.Entities))
		}
	})
}
