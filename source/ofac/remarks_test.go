package ofac_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
)

// sdnRow returns an sdn.csv line with the given type and remarks.
func sdnRow(uid, name, typ, remarks string) string {
	q := func(s string) string {
		if s == "" {
			return "-0- "
		}
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	if typ == "" {
		typ = "-0- "
	} else {
		typ = q(typ)
	}
	return uid + "," + q(name) + "," + typ + `,"SDGT] [IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,` + q(remarks) + "\r\n"
}

// parseOne parses a one-record sdn.csv and returns the entity.
func parseOne(t *testing.T, typ, remarks string) (interdict.Entity, *source.Result) {
	t.Helper()
	data := sdnRow("100", "DOE, John", typ, remarks) + sdnRow("200", "HIZBALLAH", "", "")
	r := MustParse(t, "ofac-csv", source.File{Name: "sdn.csv", Data: []byte(data)})
	if len(r.Entities) != 2 {
		t.Fatalf("%d entities, want 2", len(r.Entities))
	}
	return r.Entities[0], r
}

func TestParse_Remarks(t *testing.T) {
	tests := []struct {
		name, typ, remarks string
		want               func(e *interdict.Entity) any
		expect             any
	}{
		{
			name: "DOB forms", typ: "individual",
			remarks: "DOB 10 Dec 1948; alt. DOB 1950; alt. DOB circa 1963; alt. DOB 1960 to 1962; alt. DOB 01 Jan 1970 to 31 Dec 1971; alt. DOB Mar 1945.",
			want:    func(e *interdict.Entity) any { return e.Dates },
			expect: []interdict.Date{
				{Type: "birth", From: "1948-12-10", To: "1948-12-10", Precision: "day", Raw: "10 Dec 1948"},
				{Type: "birth", From: "1950-01-01", To: "1950-12-31", Precision: "year", Raw: "1950"},
				{Type: "birth", From: "1961-01-01", To: "1965-12-31", Precision: "circa", Raw: "circa 1963"},
				{Type: "birth", From: "1960-01-01", To: "1962-12-31", Precision: "range", Raw: "1960 to 1962"},
				{Type: "birth", From: "1970-01-01", To: "1971-12-31", Precision: "range", Raw: "01 Jan 1970 to 31 Dec 1971"},
				{Type: "birth", From: "1945-03-01", To: "1945-03-31", Precision: "month", Raw: "Mar 1945"},
			},
		},
		{
			name: "impossible date kept raw", typ: "individual", remarks: "DOB 10 Dec 3033",
			want:   func(e *interdict.Entity) any { return e.Dates },
			expect: []interdict.Date{{Type: "birth", Raw: "10 Dec 3033"}},
		},
		{
			name: "places countries gender", typ: "individual",
			remarks: "POB Culiacan, Sinaloa, Mexico; nationality Korea, North; citizen Iran; alt. citizen Russia; Gender Female",
			want: func(e *interdict.Entity) any {
				return []any{e.BirthPlaces, e.Nationalities, e.Citizenships, e.Gender}
			},
			expect: []any{[]interdict.Place{{Text: "Culiacan, Sinaloa, Mexico", Country: "MX"}}, []string{"KP"}, []string{"IR", "RU"}, "female"},
		},
		{
			name: "documents", typ: "individual",
			remarks: "Passport A123456 (Iran) issued 01 Jan 2010 expires 31 Dec 2019; National ID No. 216040 (Yemen); Tax ID No. 7707083893 (Russia); Registration Number HRA 738077 (Stuttgart) (Germany); Cedula No. V-8348784 (Venezuela).",
			want:    func(e *interdict.Entity) any { return e.Identifiers },
			expect: []interdict.Identifier{
				{Type: "passport", Label: "Passport", Value: "A123456", Country: "IR", Note: "issued 01 Jan 2010 expires 31 Dec 2019"},
				{Type: "national-id", Label: "National ID No.", Value: "216040", Country: "YE"},
				{Type: "tax-id", Label: "Tax ID No.", Value: "7707083893", Country: "RU"},
				{Type: "registration", Label: "Registration Number", Value: "HRA 738077 (Stuttgart)", Country: "DE"},
				{Type: "national-id", Label: "Cedula No.", Value: "V-8348784", Country: "VE"},
			},
		},
		{
			name: "codes", typ: "",
			remarks: "SWIFT/BIC RUAGRUMM; Legal Entity Number 253400WSS48YWMBUA688 (Russia); Digital Currency Address - XBT 12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h; alt. Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96; Email Address info@example.ru; Website www.example.ru; Phone Number 982188526300",
			want:    func(e *interdict.Entity) any { return e.Identifiers },
			expect: []interdict.Identifier{
				{Type: "bic", Label: "SWIFT/BIC", Value: "RUAGRUMM"},
				{Type: "lei", Label: "Legal Entity Number", Value: "253400WSS48YWMBUA688", Country: "RU"},
				{Type: "crypto", Label: "Digital Currency Address - XBT", Value: "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h"},
				{Type: "crypto", Label: "Digital Currency Address - ETH", Value: "0x098B716B8Aaf21512996dC57EB0615e2383E2f96"},
				{Type: "email", Label: "Email Address", Value: "info@example.ru"},
				{Type: "website", Label: "Website", Value: "www.example.ru"},
				{Type: "phone", Label: "Phone Number", Value: "982188526300"},
			},
		},
		{
			name: "vessel", typ: "vessel",
			remarks: "Vessel Registration Identification IMO 9187629; MMSI 572469210; Former Vessel Flag Malta; Other Vessel Flag Panama; Vessel Year of Build 1999; Identification Number IMO 5342883.",
			want: func(e *interdict.Entity) any {
				return []any{e.Identifiers, e.Countries, e.Dates, e.Attributes}
			},
			expect: []any{
				[]interdict.Identifier{
					{Type: "imo", Label: "Vessel Registration Identification", Value: "9187629"},
					{Type: "mmsi", Label: "MMSI", Value: "572469210"},
					{Type: "imo", Label: "Identification Number", Value: "5342883"},
				},
				[]string{"PA"},
				[]interdict.Date{{Type: "build", From: "1999-01-01", To: "1999-12-31", Precision: "year", Raw: "1999"}},
				map[string][]string{"Former Vessel Flag": {"Malta"}, "Other Vessel Flag": {"Panama"}},
			},
		},
		{
			name: "names and links", typ: "individual",
			remarks: "a.k.a. 'ABU ALI'; a.k.a. 'AL-JAMAL, Sa'id'; f.k.a. 'OLD NAME'; Linked To: BIESTRA S.A.; Linked To: HIZBALLAH.",
			want: func(e *interdict.Entity) any {
				return []any{e.Names, e.Relations}
			},
			expect: []any{
				[]interdict.Name{
					{Full: "DOE, John", Quality: "primary", Script: "Latn", Parts: []interdict.NamePart{{Type: "family", Value: "DOE"}, {Type: "given", Value: "John"}}},
					{Full: "ABU ALI", Quality: "weak", Script: "Latn"},
					{Full: "AL-JAMAL, Sa'id", Quality: "weak", Script: "Latn", Parts: []interdict.NamePart{{Type: "family", Value: "AL-JAMAL"}, {Type: "given", Value: "Sa'id"}}},
					{Full: "OLD NAME", Quality: "former", Script: "Latn"},
				},
				[]interdict.Relation{
					{Type: "linked-to", TargetName: "BIESTRA S.A."},
					{Type: "linked-to", Target: "ofac-sdn:200", TargetName: "HIZBALLAH"},
				},
			},
		},
		{
			name: "sanctions information", typ: "",
			remarks: "Additional Sanctions Information - Subject to Secondary Sanctions; Secondary sanctions risk: section 1(b) of Executive Order 13224, as amended by Executive Order 13886; Organization Established Date 1969; Listing Date (EO 14024 Directive 3): 24 Feb 2022; Target Type Financial Institution",
			want: func(e *interdict.Entity) any {
				return []any{e.Attributes, e.Dates}
			},
			expect: []any{
				map[string][]string{
					"Additional Sanctions Information":    {"Subject to Secondary Sanctions"},
					"Secondary sanctions risk":            {"section 1(b) of Executive Order 13224, as amended by Executive Order 13886"},
					"Listing Date (EO 14024 Directive 3)": {"24 Feb 2022"},
					"Target Type":                         {"Financial Institution"},
				},
				[]interdict.Date{{Type: "incorporation", From: "1969-01-01", To: "1969-12-31", Precision: "year", Raw: "1969"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _ := parseOne(t, tt.typ, tt.remarks)
			if diff := cmp.Diff(tt.expect, tt.want(&e), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("remarks %q (-want +got):\n%s", tt.remarks, diff)
			}
			if len(e.Remarks) != 1 || e.Remarks[0] != strings.TrimSpace(tt.remarks) {
				t.Errorf("Remarks = %q, want the whole remark", e.Remarks)
			}
		})
	}
}

func TestParse_ImpossibleDateWarns(t *testing.T) {
	_, r := parseOne(t, "individual", "DOB 10 Dec 3033")
	if r.Report.Warnings != 1 || r.Report.Issues[0].Record != "100" || r.Report.Issues[0].Line != 1 {
		t.Errorf("report %+v, want one warning for record 100 line 1", r.Report)
	}
}

func TestParse_Errors(t *testing.T) {
	good := sdnRow("100", "DOE, John", "individual", "DOB 1950")
	tests := []struct {
		name    string
		format  string
		list    string
		files   []source.File
		wantErr string // "" when Parse must succeed
		skipped int
		issue   interdict.ImportIssue // the first issue, when skipped > 0
	}{
		{
			name: "no primary file", format: "ofac-csv", list: interdict.ListOFACSDN,
			files:   []source.File{{Name: "alt.csv", Data: []byte("100,1,\"aka\",\"X\",-0- \r\n")}},
			wantErr: "no primary file",
		},
		{
			name: "wrong column count", format: "ofac-csv", list: interdict.ListOFACSDN,
			files:   []source.File{{Name: "sdn.csv", Data: []byte(good + "101,\"SHORT\",-0- \r\n")}},
			skipped: 1,
			issue:   interdict.ImportIssue{Severity: "error", List: "ofac-sdn", File: "sdn.csv", Line: 2, Record: "101", Message: "row has 3 columns, want 12"},
		},
		{
			name: "bad ent_num", format: "ofac-csv", list: interdict.ListOFACSDN,
			files:   []source.File{{Name: "sdn.csv", Data: []byte(good + sdnRow("X1", "BAD", "", ""))}},
			skipped: 1,
			issue:   interdict.ImportIssue{Severity: "error", List: "ofac-sdn", File: "sdn.csv", Line: 2, Record: "X1", Field: "ent_num", Message: `ent_num "X1" is not a number`},
		},
		{
			name: "no name", format: "ofac-csv", list: interdict.ListOFACSDN,
			files:   []source.File{{Name: "sdn.csv", Data: []byte(good + sdnRow("102", "", "", ""))}},
			skipped: 1,
			issue:   interdict.ImportIssue{Severity: "error", List: "ofac-sdn", File: "sdn.csv", Line: 2, Record: "102", Field: "SDN_Name", Message: "record has no name"},
		},
		{
			name: "truncated xml", format: "ofac-xml", list: interdict.ListOFACSDN,
			files:   []source.File{{Name: "sdn.xml", Data: []byte("<sdnList>\n<sdnEntry><uid>1</uid><lastName>X</lastName>\n<sdnEntry>")}},
			wantErr: "sdn.xml: line 3",
		},
		{
			name: "not sdnList", format: "ofac-xml", list: interdict.ListOFACSDN,
			files:   []source.File{{Name: "sdn.xml", Data: []byte("<other/>")}},
			wantErr: "not sdnList",
		},
		{
			name: "xml entry without uid", format: "ofac-xml", list: interdict.ListOFACSDN,
			files:   []source.File{{Name: "sdn.xml", Data: []byte("<sdnList>\n<sdnEntry><lastName>X</lastName><sdnType>Entity</sdnType></sdnEntry></sdnList>")}},
			skipped: 1,
			issue:   interdict.ImportIssue{Severity: "error", List: "ofac-sdn", File: "sdn.xml", Line: 2, Field: "uid", Message: `uid "" is not a number`},
		},
		{
			name: "truncated enhanced", format: "ofac-enhanced-xml", list: interdict.ListOFACCons,
			files:   []source.File{{Name: "CONS_ENHANCED.XML", Data: []byte("<sanctionsData><entities>\n<entity id=\"1\">")}},
			wantErr: "CONS_ENHANCED.XML: line 2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := format(t, tt.format).Parse(tt.list, tt.files)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Report.Skipped != tt.skipped {
				t.Fatalf("skipped %d, want %d: %+v", r.Report.Skipped, tt.skipped, r.Report.Issues)
			}
			if tt.skipped > 0 {
				if diff := cmp.Diff(tt.issue, r.Report.Issues[0]); diff != "" {
					t.Errorf("issue (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestParse_CSVQuirks(t *testing.T) {
	// Windows-1252 bytes (0xE9 é), CRLF and the final Ctrl-Z.
	data := append([]byte("100,\"CAF\xC9 NOIR\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"), 0x1A)
	alt := []byte("100,1,\"fka\",\"OLD CAF\xC9\",-0- \r\n999,2,\"aka\",\"ORPHAN\",-0- \r\n\x1a")
	r := MustParse(t, "ofac-csv", source.File{Name: "sdn.csv", Data: data}, source.File{Name: "alt.csv", Data: alt})
	if len(r.Entities) != 1 {
		t.Fatalf("%d entities", len(r.Entities))
	}
	e := r.Entities[0]
	if e.Kind != interdict.KindOrganization || e.PrimaryName() != "CAFÉ NOIR" || len(e.Names) != 2 || e.Names[1].Quality != interdict.NameFormer || e.Names[1].Full != "OLD CAFÉ" {
		t.Errorf("entity %+v", e)
	}
	if e.SourceURL != "https://sanctionssearch.ofac.treas.gov/Details.aspx?id=100" || e.ID != "ofac-sdn:100" {
		t.Errorf("ID %s URL %s", e.ID, e.SourceURL)
	}
	// Each file's encoding is decided on its own and reported.
	want := []interdict.ImportIssue{
		{Severity: "warning", List: "ofac-sdn", File: "sdn.csv", Field: "encoding", Message: "file is not UTF-8; read as Windows-1252"},
		{Severity: "warning", List: "ofac-sdn", File: "alt.csv", Field: "encoding", Message: "file is not UTF-8; read as Windows-1252"},
		{Severity: "warning", List: "ofac-sdn", File: "alt.csv", Line: 2, Record: "999", Field: "ent_num", Message: `alias "ORPHAN" for ent_num 999, which is not in the primary file`},
	}
	if diff := cmp.Diff(want, r.Report.Issues); diff != "" {
		t.Errorf("issues (-want +got):\n%s", diff)
	}
}
