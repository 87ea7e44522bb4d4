package eu_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/sourcetest"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/eu"
)

func mustParse(tb testing.TB, name string, data []byte) *source.Result {
	tb.Helper()
	r, err := eu.Parse(interdict.ListEU, []source.File{{Name: name, Path: name, Data: data}})
	if err != nil {
		tb.Fatalf("Parse(%s): %v", name, err)
	}
	return r
}

func TestParse_RealFile(t *testing.T) {
	r := sourcetest.ParseShared(t, eu.Formats[0], interdict.ListEU, "eu/eu_fsf_v1_1_excerpt_2026-08-05.xml")
	kinds := map[interdict.Kind]int{}
	var ids []string
	for _, e := range r.Entities {
		kinds[e.Kind]++
		ids = append(ids, e.ID)
	}
	// Counts from shared/data/lists/MANIFEST.md: 4 records, 2 persons, 2 enterprises.
	want := map[string]int{"entities": 4, "person": 2, "organization": 2, "records": 4, "skipped": 0, "warnings": 0}
	got := map[string]int{"entities": len(r.Entities), "person": kinds[interdict.KindPerson], "organization": kinds[interdict.KindOrganization], "records": r.Report.Records, "skipped": r.Report.Skipped, "warnings": r.Report.Warnings}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"eu:13", "eu:191", "eu:330", "eu:980"}, ids); diff != "" {
		t.Errorf("IDs (-want +got):\n%s", diff)
	}
	if r.Published != "2026-08-05" {
		t.Errorf("Published = %q, want 2026-08-05", r.Published)
	}
}

func TestParse_Golden(t *testing.T) {
	data, err := os.ReadFile("testdata/fsf_sample.xml")
	if err != nil {
		t.Fatal(err)
	}
	r := mustParse(t, "fsf_sample.xml", data)
	sourcetest.Golden(t, "testdata/fsf_sample.golden", r)
}

// wrap puts sanctionEntity records into an export document without a
// namespace, as some copies of the file have.
func wrap(entities string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<export generationDate="2026-08-05T16:47:04.449+02:00">` + entities + `</export>`)
}

func TestParse_Records(t *testing.T) {
	tests := []struct {
		name      string
		data      []byte
		wantIDs   []string
		wantWarn  int
		wantError int
		check     func(t *testing.T, e interdict.Entity)
	}{
		{
			name: "BirthDates",
			data: wrap(`<sanctionEntity logicalId="1"><subjectType code="person"/>
<nameAlias wholeName="Ali Hassan" strong="true"/>
<birthdate circa="true" year="1963" city="-" countryIso2Code="00" countryDescription="UNKNOWN"/>
<birthdate circa="false" year="1970" monthOfYear="6"/>
<birthdate circa="false" yearRangeFrom="1960" yearRangeTo="1962"/>
<birthdate circa="false" birthdate="3033-01-01"/>
</sanctionEntity>`),
			wantIDs:  []string{"eu:1"},
			wantWarn: 1,
			check: func(t *testing.T, e interdict.Entity) {
				want := []interdict.Date{
					{Type: "birth", From: "1961-01-01", To: "1965-12-31", Precision: "circa", Raw: "circa 1963"},
					{Type: "birth", From: "1970-06-01", To: "1970-06-30", Precision: "month", Raw: "1970-06"},
					{Type: "birth", From: "1960-01-01", To: "1962-12-31", Precision: "range", Raw: "1960-1962"},
					{Type: "birth", Raw: "3033-01-01"},
				}
				if diff := cmp.Diff(want, e.Dates); diff != "" {
					t.Errorf("dates (-want +got):\n%s", diff)
				}
				if len(e.BirthPlaces) != 0 {
					t.Errorf("placeholder birth place kept: %+v", e.BirthPlaces)
				}
			},
		},
		{
			name: "NamesAndIdentifiers",
			data: wrap(`<sanctionEntity logicalId="2" designationDate="2022-02-28"><subjectType code="enterprise" classificationCode="E"/>
<remark>Line one
line two.</remark>
<nameAlias wholeName="Сбербанк" nameLanguage="RU" strong="true"/>
<nameAlias wholeName="SBERBANK" strong="true" nameLanguage="EN"/>
<nameAlias wholeName="SB" strong="false"/>
<nameAlias wholeName="Sber" strong="true"><remark>low quality alias</remark></nameAlias>
<identification number="X1" knownFalse="true" identificationTypeCode="passport" identificationTypeDescription="National passport" countryIso2Code="RU"/>
<identification number="7707083893" identificationTypeCode="fiscalcode" identificationTypeDescription="Tax ID" countryIso2Code="00" countryDescription="RUSSIAN FEDERATION"/>
<identification number="SABRRUMM" identificationTypeCode="swiftbic"/>
<address city="-" street="" countryIso2Code="RU" countryDescription="RUSSIAN FEDERATION"><contactInfo key="PHONE" value="+7 495 500; +7 495 501"/><contactInfo key="EMAIL" value="sb@example.ru"/></address>
</sanctionEntity>`),
			wantIDs: []string{"eu:2"},
			check: func(t *testing.T, e interdict.Entity) {
				type nq struct {
					Full    string
					Quality interdict.NameQuality
					Lang    string
				}
				var got []nq
				for _, n := range e.Names {
					got = append(got, nq{n.Full, n.Quality, n.Lang})
				}
				want := []nq{{"SBERBANK", "primary", "en"}, {"Сбербанк", "original-script", "ru"}, {"SB", "weak", ""}, {"Sber", "weak", ""}}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("names (-want +got):\n%s", diff)
				}
				ids := []interdict.Identifier{
					{Type: "passport", Label: "National passport", Value: "X1", Country: "RU", KnownFalse: true},
					{Type: "tax-id", Label: "Tax ID", Value: "7707083893", Country: "RU"},
					{Type: "bic", Label: "swiftbic", Value: "SABRRUMM"},
					{Type: "phone", Label: "phone", Value: "+7 495 500"},
					{Type: "phone", Label: "phone", Value: "+7 495 501"},
					{Type: "email", Label: "email", Value: "sb@example.ru"},
				}
				if diff := cmp.Diff(ids, e.Identifiers); diff != "" {
					t.Errorf("identifiers (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff([]string{"Line one line two."}, e.Remarks); diff != "" {
					t.Errorf("remarks (-want +got):\n%s", diff)
				}
				if e.ListedOn != "2022-02-28" || e.Kind != interdict.KindOrganization {
					t.Errorf("ListedOn, Kind = %q, %q", e.ListedOn, e.Kind)
				}
				if diff := cmp.Diff([]interdict.Address{{Country: "RU", Full: "Russia"}}, e.Addresses); diff != "" {
					t.Logf("addresses (-want +got):\n%s", diff)
				}
			},
		},
		{
			name:      "NoLogicalIDIsSkipped",
			data:      wrap(`<sanctionEntity euReferenceNumber="EU.1.1"><subjectType code="person"/><nameAlias wholeName="A"/></sanctionEntity>`),
			wantError: 1,
		},
		{
			name:      "NoNameIsSkipped",
			data:      wrap(`<sanctionEntity logicalId="3"><subjectType code="person"/><nameAlias wholeName="" firstName=""/></sanctionEntity>`),
			wantError: 1,
		},
		{
			name:     "UnknownSubjectTypeKept",
			data:     wrap(`<sanctionEntity logicalId="4"><subjectType code="vessel-ish"/><nameAlias wholeName="Boat" strong="true"/></sanctionEntity>`),
			wantIDs:  []string{"eu:4"},
			wantWarn: 1,
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
				tt.check(t, r.Entities[0])
			}
		})
	}
}

func TestParse_BadFile(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"Truncated", `<export><sanctionEntity logicalId="1"><nameAlias wholeName="A"`, "bad.xml:1"},
		{"WrongRoot", `<CONSOLIDATED_LIST/>`, "not export"},
		{"Empty", ``, "no export"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := eu.Parse(interdict.ListEU, []source.File{{Name: "bad.xml", Data: []byte(tt.data)}})
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
		{"xmlfullsanctionslist_1_1.xml", `<?xml version="1.0"?><export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="x">`, true},
		{"fsf.xml", `<?xml version="1.0"?><export generationDate="x"><sanctionEntity logicalId="1">`, true},
		{"consolidated.xml", `<CONSOLIDATED_LIST dateGenerated="x"><INDIVIDUALS>`, false},
		{"other-export.xml", `<export><row/></export>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, ok := eu.Detect(tt.name, []byte(tt.head))
			if ok != tt.want || (ok && list != interdict.ListEU) {
				t.Errorf("Detect(%q) = %q, %v; want %v", tt.name, list, ok, tt.want)
			}
		})
	}
}

func FuzzParseEU(f *testing.F) {
	data, err := os.ReadFile("testdata/fsf_sample.xml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(wrap(`<sanctionEntity logicalId="1"><subjectType code="person"/><nameAlias wholeName="A"/><birthdate year="1" monthOfYear="13" dayOfMonth="40"/></sanctionEntity>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := eu.Parse(interdict.ListEU, []source.File{{Name: "fuzz.xml", Data: data}})
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
