package uk_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/sourcetest"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/uk"
)

func mustParse(tb testing.TB, name string, data []byte) *source.Result {
	tb.Helper()
	r, err := uk.Parse(interdict.ListUK, []source.File{{Name: name, Path: name, Data: data}})
	if err != nil {
		tb.Fatalf("Parse(%s): %v", name, err)
	}
	return r
}

func TestParse_RealFile(t *testing.T) {
	r := sourcetest.ParseShared(t, uk.Formats[0], interdict.ListUK, "uk/uk_sanctions_list_excerpt_2026-08-14.xml")
	kinds := map[interdict.Kind]int{}
	var ids []string
	for _, e := range r.Entities {
		kinds[e.Kind]++
		ids = append(ids, e.ID)
	}
	// Counts from shared/data/lists/MANIFEST.md: 4 records, 2 individuals,
	// 1 entity, 1 ship.
	want := map[string]int{"entities": 4, "person": 2, "organization": 1, "vessel": 1, "records": 4, "skipped": 0, "warnings": 0}
	got := map[string]int{"entities": len(r.Entities), "person": kinds[interdict.KindPerson], "organization": kinds[interdict.KindOrganization], "vessel": kinds[interdict.KindVessel], "records": r.Report.Records, "skipped": r.Report.Skipped, "warnings": r.Report.Warnings}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"uk:AFG0011", "uk:AQD0128", "uk:AQD0377", "uk:DPR0075"}, ids); diff != "" {
		t.Errorf("IDs (-want +got):\n%s", diff)
	}
	if r.Published != "2026-08-14" {
		t.Errorf("Published = %q, want 2026-08-14", r.Published)
	}
}

func TestParse_Golden(t *testing.T) {
	data, err := os.ReadFile("testdata/uk_sample.xml")
	if err != nil {
		t.Fatal(err)
	}
	r := mustParse(t, "uk_sample.xml", data)
	sourcetest.Golden(t, "testdata/uk_sample.golden", r)
}

func wrap(designations string) []byte {
	return []byte(`<?xml version="1.0" encoding="utf-8"?>
<Designations dateGenerated="2026-08-14T23:00:04.744Z"><DateGenerated>14/08/2026</DateGenerated>` + designations + `</Designations>`)
}

func TestParse_Records(t *testing.T) {
	tests := []struct {
		name      string
		data      []byte
		wantIDs   []string
		wantWarn  int
		wantError int
		check     func(t *testing.T, r *source.Result)
	}{
		{
			name: "PersonQuirks",
			data: wrap(`<Designation><UniqueID> RUS0001 </UniqueID><IndividualEntityShip>individual</IndividualEntityShip>
<Names>
<Name><Name1>Ivan</Name1><Name6>PETROV</Name6><NameType>primary name</NameType></Name>
<Name><Name1>Vanya</Name1><NameType>Alias</NameType><AliasStrength>Low Quality a.k.a</AliasStrength></Name>
<Name><Name1>Ivan</Name1><Name2>Ivanovich</Name2><Name6>PETROV</Name6><NameType>Primary Name Variation</NameType></Name>
</Names>
<NonLatinNames><NonLatinName><NameNonLatinScript>Иван Петров</NameNonLatinScript><NonLatinScriptLanguage>Russian</NonLatinScriptLanguage></NonLatinName></NonLatinNames>
<IndividualDetails><Individual>
<DOBs><DOB>dd/mm/1968</DOB><DOB>12/11/1967</DOB><DOB>12/11/1967</DOB><DOB>dd/09/1958</DOB><DOB>1985</DOB><DOB>15/08/19yy</DOB></DOBs>
<PassportDetails><Passport><PassportNumber> 0123 </PassportNumber><PassportAdditionalInformation>Russian passport</PassportAdditionalInformation></Passport></PassportDetails>
<Genders><Gender>Male</Gender></Genders>
<Nationalities><Nationality>Russia</Nationality></Nationalities>
</Individual></IndividualDetails>
</Designation>`),
			wantIDs:  []string{"uk:RUS0001"},
			wantWarn: 1,
			check: func(t *testing.T, r *source.Result) {
				e := r.Entities[0]
				type nq struct {
					Full    string
					Quality interdict.NameQuality
				}
				var names []nq
				for _, n := range e.Names {
					names = append(names, nq{n.Full, n.Quality})
				}
				want := []nq{{"Ivan PETROV", "primary"}, {"Vanya", "weak"}, {"Ivan Ivanovich PETROV", "strong"}, {"Иван Петров", "original-script"}}
				if diff := cmp.Diff(want, names); diff != "" {
					t.Errorf("names (-want +got):\n%s", diff)
				}
				dates := []interdict.Date{
					{Type: "birth", From: "1968-01-01", To: "1968-12-31", Precision: "year", Raw: "dd/mm/1968"},
					{Type: "birth", From: "1967-11-12", To: "1967-11-12", Precision: "day", Raw: "12/11/1967"},
					{Type: "birth", From: "1958-09-01", To: "1958-09-30", Precision: "month", Raw: "dd/09/1958"},
					{Type: "birth", From: "1985-01-01", To: "1985-12-31", Precision: "year", Raw: "1985"},
					{Type: "birth", Raw: "15/08/19yy"},
				}
				if diff := cmp.Diff(dates, e.Dates); diff != "" {
					t.Errorf("dates (-want +got):\n%s", diff)
				}
				ids := []interdict.Identifier{{Type: "passport", Label: "Passport", Value: "0123", Note: "Russian passport"}}
				if diff := cmp.Diff(ids, e.Identifiers); diff != "" {
					t.Errorf("identifiers (-want +got):\n%s", diff)
				}
				if e.Gender != "male" || len(e.Nationalities) != 1 || e.Nationalities[0] != "RU" || e.Names[3].Lang != "ru" {
					t.Errorf("gender %q, nationalities %v, lang %q", e.Gender, e.Nationalities, e.Names[3].Lang)
				}
			},
		},
		{
			name: "EntityRelations",
			data: wrap(`<Designation><UniqueID>AQD0001</UniqueID><UNReferenceNumber>QDe.001</UNReferenceNumber><IndividualEntityShip>Entity</IndividualEntityShip>
<Names><Name><Name6>PARENT GROUP</Name6><NameType>Primary Name</NameType></Name></Names></Designation>
<Designation><UniqueID>AQD0002</UniqueID><IndividualEntityShip>Entity</IndividualEntityShip>
<Names><Name><Name6>CHILD LLC</Name6><NameType>Alias</NameType></Name></Names>
<OtherInformation>A front for PARENT GROUP (QDe.001) and QDi.999.</OtherInformation>
<EntityDetails><Entity><ParentCompanies><ParentCompany>PARENT GROUP</ParentCompany></ParentCompanies>
<BusinessRegistrationNumbers><BusinessRegistrationNumber>OGRN: 1027700132195</BusinessRegistrationNumber></BusinessRegistrationNumbers></Entity></EntityDetails>
<PhoneNumbers><PhoneNumber>+7 495 1</PhoneNumber></PhoneNumbers><EmailAddresses><EmailAddress>a@b.ru; c@d.ru</EmailAddress></EmailAddresses>
</Designation>`),
			wantIDs: []string{"uk:AQD0001", "uk:AQD0002"},
			check: func(t *testing.T, r *source.Result) {
				e := r.Entities[1]
				if e.PrimaryName() != "CHILD LLC" || e.Names[0].Quality != interdict.NamePrimary {
					t.Errorf("names = %+v, want CHILD LLC as primary", e.Names)
				}
				rels := []interdict.Relation{
					{Type: "owned-by", TargetName: "PARENT GROUP", Note: "parent company"},
					{Type: "linked-to", Target: "uk:AQD0001", TargetName: "PARENT GROUP", Note: "cited in other information"},
					{Type: "linked-to", Target: "un:QDi.999", Note: "cited in other information"},
				}
				if diff := cmp.Diff(rels, e.Relations); diff != "" {
					t.Errorf("relations (-want +got):\n%s", diff)
				}
				if len(e.Identifiers) != 4 {
					t.Errorf("identifiers = %+v, want registration, phone and two e-mails", e.Identifiers)
				}
			},
		},
		{
			name:      "NoUniqueIDIsSkipped",
			data:      wrap(`<Designation><IndividualEntityShip>Entity</IndividualEntityShip><Names><Name><Name6>X</Name6></Name></Names></Designation>`),
			wantError: 1,
		},
		{
			name:      "NoNameIsSkipped",
			data:      wrap(`<Designation><UniqueID>X1</UniqueID><IndividualEntityShip>Ship</IndividualEntityShip><Names><Name><Name6> </Name6></Name></Names></Designation>`),
			wantError: 1,
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
		name, data, want string
	}{
		{"Truncated", "<Designations>\n<Designation><UniqueID>AFG1</Uniq", "bad.xml:2"},
		{"WrongRoot", `<export/>`, "not Designations"},
		{"Empty", ``, "no Designations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := uk.Parse(interdict.ListUK, []source.File{{Name: "bad.xml", Data: []byte(tt.data)}})
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
		{"uk_sanctions_list.xml", `<?xml version="1.0" encoding="utf-8"?><Designations xmlns:xsi="x" xsi:noNamespaceSchemaLocation="SanctionsListSchema-4.33.3.xsd"><DateGenerated>14/08/2026</DateGenerated>`, true},
		{"consolidated.xml", `<CONSOLIDATED_LIST><INDIVIDUALS>`, false},
		{"export.xml", `<export xmlns="http://eu.europa.ec/fpi/fsd/export">`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, ok := uk.Detect(tt.name, []byte(tt.head))
			if ok != tt.want || (ok && list != interdict.ListUK) {
				t.Errorf("Detect(%q) = %q, %v; want %v", tt.name, list, ok, tt.want)
			}
		})
	}
}

func FuzzParseUK(f *testing.F) {
	data, err := os.ReadFile("testdata/uk_sample.xml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(wrap(`<Designation><UniqueID>A</UniqueID><Names><Name><Name6>X</Name6></Name></Names><IndividualDetails><Individual><DOBs><DOB>dd/13/0000</DOB></DOBs></Individual></IndividualDetails></Designation>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := uk.Parse(interdict.ListUK, []source.File{{Name: "fuzz.xml", Data: data}})
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
