package un_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/sourcetest"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/un"
)

func mustParse(tb testing.TB, name string, data []byte) *source.Result {
	tb.Helper()
	r, err := un.Parse(interdict.ListUN, []source.File{{Name: name, Path: name, Data: data}})
	if err != nil {
		tb.Fatalf("Parse(%s): %v", name, err)
	}
	return r
}

func TestParse_RealFile(t *testing.T) {
	r := sourcetest.ParseShared(t, un.Formats[0], interdict.ListUN, "un/UN_consolidated_2026-02-27.xml")
	kinds := map[interdict.Kind]int{}
	original := 0
	for _, e := range r.Entities {
		kinds[e.Kind]++
		for _, n := range e.Names {
			if n.Quality == interdict.NameOriginal && n.Script != "Latn" {
				original++
				break
			}
		}
	}
	// Counts from shared/data/lists/MANIFEST.md.
	want := map[string]int{"entities": 1003, "person": 730, "organization": 273, "records": 1003, "skipped": 0}
	got := map[string]int{"entities": len(r.Entities), "person": kinds[interdict.KindPerson], "organization": kinds[interdict.KindOrganization], "records": r.Report.Records, "skipped": r.Report.Skipped}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	// 378 records have NAME_ORIGINAL_SCRIPT; a few more have aliases in
	// Arabic or other scripts.
	if original < 378 {
		t.Errorf("entities with an original-script name = %d, want at least 378", original)
	}
	if r.Published != "2026-02-27" {
		t.Errorf("Published = %q, want 2026-02-27", r.Published)
	}
	for _, e := range r.Entities {
		if !strings.HasPrefix(e.ID, "un:") || e.ID != "un:"+e.SourceID {
			t.Errorf("bad ID %q for source id %q", e.ID, e.SourceID)
		}
	}
	for _, is := range r.Report.Issues {
		t.Logf("%s: %s %s %s: %s", is.Severity, is.Record, is.Field, is.File, is.Message)
	}
}

func TestParse_Golden(t *testing.T) {
	data, err := os.ReadFile("testdata/consolidated_sample.xml")
	if err != nil {
		t.Fatal(err)
	}
	r := mustParse(t, "consolidated_sample.xml", data)
	sourcetest.Golden(t, "testdata/consolidated_sample.golden", r)
}

// wrap puts records into a minimal list document.
func wrap(individuals, entities string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">
<INDIVIDUALS>` + individuals + `</INDIVIDUALS>
<ENTITIES>` + entities + `</ENTITIES>
</CONSOLIDATED_LIST>`)
}

func TestParse_Records(t *testing.T) {
	tests := []struct {
		name      string
		data      []byte
		check     func(t *testing.T, r *source.Result)
		wantIDs   []string
		wantWarn  int
		wantError int
	}{
		{
			name:     "NoReferenceNumberFallsBackToDATAID",
			data:     wrap(`<INDIVIDUAL><DATAID>42</DATAID><FIRST_NAME>ALI</FIRST_NAME><SECOND_NAME>HASSAN</SECOND_NAME></INDIVIDUAL>`, ""),
			wantIDs:  []string{"un:42"},
			wantWarn: 1,
		},
		{
			name:      "NoIdentifierIsSkipped",
			data:      wrap(`<INDIVIDUAL><FIRST_NAME>ALI</FIRST_NAME></INDIVIDUAL>`, `<ENTITY><REFERENCE_NUMBER>QDe.001</REFERENCE_NUMBER><FIRST_NAME>X</FIRST_NAME></ENTITY>`),
			wantIDs:   []string{"un:QDe.001"},
			wantError: 1,
		},
		{
			name:      "NoNameIsSkipped",
			data:      wrap(`<INDIVIDUAL><REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER><FIRST_NAME/></INDIVIDUAL>`, ""),
			wantError: 1,
		},
		{
			name: "DatesOfBirth",
			data: wrap(`<INDIVIDUAL><REFERENCE_NUMBER>QDi.002</REFERENCE_NUMBER><FIRST_NAME>A</FIRST_NAME>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1957-04-15</DATE></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1971</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1963</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1973</FROM_YEAR><TO_YEAR>1974</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><NOTE>Nov. 1973 </NOTE></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>3033</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE/></INDIVIDUAL_DATE_OF_BIRTH>
</INDIVIDUAL>`, ""),
			wantIDs:  []string{"un:QDi.002"},
			wantWarn: 1,
			check: func(t *testing.T, r *source.Result) {
				want := []interdict.Date{
					{Type: "birth", From: "1957-04-15", To: "1957-04-15", Precision: "day", Raw: "1957-04-15"},
					{Type: "birth", From: "1971-01-01", To: "1971-12-31", Precision: "year", Raw: "1971"},
					{Type: "birth", From: "1961-01-01", To: "1965-12-31", Precision: "circa", Raw: "APPROXIMATELY 1963"},
					{Type: "birth", From: "1973-01-01", To: "1974-12-31", Precision: "range", Raw: "BETWEEN 1973-1974"},
					{Type: "birth", From: "1973-11-01", To: "1973-11-30", Precision: "month", Raw: "Nov. 1973"},
					{Type: "birth", Raw: "3033"},
				}
				if diff := cmp.Diff(want, r.Entities[0].Dates); diff != "" {
					t.Errorf("dates (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "AliasQualities",
			data: wrap(`<INDIVIDUAL><REFERENCE_NUMBER>QDi.003</REFERENCE_NUMBER><FIRST_NAME>GASTON</FIRST_NAME><SECOND_NAME>IYAMUREMYE</SECOND_NAME>
<NAME_ORIGINAL_SCRIPT>غاستون</NAME_ORIGINAL_SCRIPT>
<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Rumuli</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Victor Rumuri</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
</INDIVIDUAL>`, `<ENTITY><REFERENCE_NUMBER>CDe.001</REFERENCE_NUMBER><FIRST_NAME>ADF</FIRST_NAME>
<COMMENTS1>Led by Jamil Mukulu (CDi.015), see also QDi.003; ignore XQDi.1 and CDe.001.</COMMENTS1>
<ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Allied Democratic Forces</ALIAS_NAME></ENTITY_ALIAS>
<ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>NALU</ALIAS_NAME></ENTITY_ALIAS>
</ENTITY>`),
			wantIDs: []string{"un:CDe.001", "un:QDi.003"},
			check: func(t *testing.T, r *source.Result) {
				qual := func(e interdict.Entity) map[string]interdict.NameQuality {
					m := map[string]interdict.NameQuality{}
					for _, n := range e.Names {
						m[n.Full] = n.Quality
					}
					return m
				}
				want := map[string]interdict.NameQuality{"ADF": "primary", "Allied Democratic Forces": "strong", "NALU": "former"}
				if diff := cmp.Diff(want, qual(r.Entities[0])); diff != "" {
					t.Errorf("entity names (-want +got):\n%s", diff)
				}
				want = map[string]interdict.NameQuality{"GASTON IYAMUREMYE": "primary", "غاستون": "original-script", "Rumuli": "weak", "Victor Rumuri": "strong"}
				if diff := cmp.Diff(want, qual(r.Entities[1])); diff != "" {
					t.Errorf("person names (-want +got):\n%s", diff)
				}
				rels := []interdict.Relation{
					{Type: "linked-to", Target: "un:CDi.015", Note: "cited in comments"},
					{Type: "linked-to", Target: "un:QDi.003", TargetName: "GASTON IYAMUREMYE", Note: "cited in comments"},
				}
				if diff := cmp.Diff(rels, r.Entities[0].Relations); diff != "" {
					t.Errorf("relations (-want +got):\n%s", diff)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustParse(t, "test.xml", tt.data)
			var ids []string
			for _, e := range r.Entities {
				ids = append(ids, e.ID)
			}
			if diff := cmp.Diff(tt.wantIDs, ids); diff != "" {
				t.Errorf("IDs (-want +got):\n%s", diff)
			}
			if r.Report.Warnings != tt.wantWarn || r.Report.Errors != tt.wantError {
				t.Errorf("warnings, errors = %d, %d; want %d, %d; issues: %+v", r.Report.Warnings, r.Report.Errors, tt.wantWarn, tt.wantError, r.Report.Issues)
			}
			if tt.check != nil && len(r.Entities) > 0 {
				tt.check(t, r)
			}
		})
	}
}

func TestParse_BadFile(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
	}{
		{"Truncated", `<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>QDi.1</REFE`, "bad.xml:1"},
		{"WrongRoot", `<sdnList><sdnEntry/></sdnList>`, "not CONSOLIDATED_LIST"},
		{"Empty", ``, "no CONSOLIDATED_LIST"},
		{"Garbage", `not xml at all`, "no CONSOLIDATED_LIST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := un.Parse(interdict.ListUN, []source.File{{Name: "bad.xml", Data: []byte(tt.data)}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, head string
		want       bool
	}{
		{"consolidated.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<CONSOLIDATED_LIST xmlns:xsi="x" dateGenerated="2026-02-27T00:00:09.554Z">`, true},
		{"sdn.xml", `<?xml version="1.0"?><sdnList><sdnEntry></sdnEntry></sdnList>`, false},
		{"uk.xml", `<?xml version="1.0"?><Designations><Designation>CONSOLIDATED_LIST</Designation></Designations>`, false},
		{"export.xml", `<export xmlns="http://eu.europa.ec/fpi/fsd/export">`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, ok := un.Detect(tt.name, []byte(tt.head))
			if ok != tt.want || (ok && list != interdict.ListUN) {
				t.Errorf("Detect(%q) = %q, %v; want %v", tt.name, list, ok, tt.want)
			}
		})
	}
}

func FuzzParseUN(f *testing.F) {
	data, err := os.ReadFile("testdata/consolidated_sample.xml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(wrap(`<INDIVIDUAL><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER><FIRST_NAME>A</FIRST_NAME><INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1</FROM_YEAR></INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>`, ""))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := un.Parse(interdict.ListUN, []source.File{{Name: "fuzz.xml", Data: data}})
		if err != nil {
			return
		}
		for _, e := range r.Entities {
			if e.ID == "" || len(e.Names) == 0 {
				t.Fatalf("entity without ID or name: %+v", e)
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(sourcetest.SharedList(b, "un/UN_consolidated_2026-02-27.xml"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		mustParse(b, "consolidated.xml", data)
	}
}
