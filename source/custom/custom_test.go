package custom_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/custom"
	"github.com/xuri/excelize/v2"
)

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// parse reads files as the custom list "exited" and finishes the result
// as the importer does.
func parse(tb testing.TB, opt custom.Options, files ...source.File) *source.Result {
	tb.Helper()
	res, err := source.Parse(custom.Formats("exited", opt)[0], "exited", files)
	if err != nil {
		tb.Fatal(err)
	}
	res.Finish()
	return res
}

func byID(res *source.Result) map[string]interdict.Entity {
	m := map[string]interdict.Entity{}
	for _, e := range res.Entities {
		m[e.ID] = e
	}
	return m
}

func TestParse_SemicolonCSV(t *testing.T) {
	res := parse(t, custom.Options{Title: "Exited customers"}, source.File{Name: "exited.csv", Path: "testdata/exited.csv", Data: mustRead(t, "testdata/exited.csv")})
	if res.Publisher != "Exited customers" {
		t.Errorf("publisher %q, want the title", res.Publisher)
	}
	// 6 rows: one has no name.
	if res.Report.Records != 6 || len(res.Entities) != 5 || res.Report.Skipped != 1 {
		t.Fatalf("records %d, entities %d, skipped %d; want 6, 5, 1\n%+v", res.Report.Records, len(res.Entities), res.Report.Skipped, res.Report.Issues)
	}
	got := byID(res)
	ivan, ok := got["exited:C-1001"]
	if !ok {
		t.Fatalf("no exited:C-1001 among %v", keys(got))
	}
	want := interdict.Entity{
		ID: "exited:C-1001", List: "exited", SourceID: "C-1001", Kind: interdict.KindPerson,
		Names: []interdict.Name{
			{Full: "Ivan Petrovich Sidorov", Quality: interdict.NamePrimary, Script: "Latn"},
			{Full: "Ivan Sidorov", Quality: interdict.NameStrong, Script: "Latn"},
			{Full: "I. P. Sidorov", Quality: interdict.NameStrong, Script: "Latn"},
		},
		Identifiers:   []interdict.Identifier{{Type: interdict.IDOther, Value: "7701 123456"}},
		Addresses:     []interdict.Address{{Full: "Moscow, Tverskaya 1"}},
		Dates:         []interdict.Date{{Type: interdict.DateBirth, From: "1971-03-12", To: "1971-03-12", Precision: interdict.PrecisionDay, Raw: "12.03.1971"}},
		Nationalities: []string{"RU"},
		Programs:      []string{"Exited customer: suspicious activity"},
		ListedOn:      "2023-06-01",
		Remarks:       []string{"Exited after SAR 2023-114"},
	}
	if d := cmp.Diff(want, ivan); d != "" {
		t.Errorf("exited:C-1001 (-want +got):\n%s", d)
	}
	if e := got["exited:C-1002"]; e.Kind != interdict.KindOrganization || e.ListedOn != "2024-09-15" || len(e.Countries) != 1 || e.Countries[0] != "AE" {
		t.Errorf("exited:C-1002: kind %s, listed %q, countries %v; want organization, 2024-09-15, [AE]", e.Kind, e.ListedOn, e.Countries)
	}
	if e := got["exited:C-1005"]; e.Kind != interdict.KindVessel || e.Attributes["listed_since"][0] != "2022" {
		t.Errorf("exited:C-1005: kind %s, attributes %v; want vessel and listed_since 2022 kept as text", e.Kind, e.Attributes)
	}
	// The row without an id has the row hash as its id.
	hash := custom.RowHash("Marta Kowalska", interdict.KindPerson, "1985", "PL", nil)
	if _, ok := got["exited:"+hash]; !ok {
		t.Errorf("no exited:%s (the row hash of Marta Kowalska) among %v", hash, keys(got))
	}
	// The errors and warnings name the file, the line and the field.
	var issues []string
	for _, is := range res.Report.Issues {
		issues = append(issues, string(is.Severity)+" "+source.DescribeIssue(is))
	}
	for _, want := range []string{
		"error exited.csv:5: record C-1004: field name: row has no name",
		`warning exited.csv:7: record C-1006: field dob: "31/02/1980"`,
		`warning exited.csv:7: record C-1006: field country: "Atlantis": not a known country code or name`,
		`warning exited.csv: field header: "Branch": columns not read`,
	} {
		found := false
		for _, is := range issues {
			if strings.HasPrefix(is, want) {
				found = true
			}
		}
		if !found {
			t.Errorf("no issue starting %q among\n%s", want, strings.Join(issues, "\n"))
		}
	}
}

func keys(m map[string]interdict.Entity) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// xlsxOf writes rows (the first the header) to a workbook, the dates of
// birth as date cells.
func xlsxOf(tb testing.TB, rows [][]string, dateCol int) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		tb.Fatal(err)
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if c == dateCol && r > 0 && len(v) == len("2006-01-02") {
				d, err := source.ParseDate(interdict.DateBirth, v, source.DayFirst)
				if err != nil {
					tb.Fatal(err)
				}
				if err := f.SetCellValue("Sheet1", cell, mustTime(tb, d.From)); err != nil {
					tb.Fatal(err)
				}
				_ = f.SetCellStyle("Sheet1", cell, cell, style)
				continue
			}
			if err := f.SetCellStr("Sheet1", cell, v); err != nil {
				tb.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func mustTime(tb testing.TB, iso string) time.Time {
	tb.Helper()
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func TestParse_XLSXMatchesCSV(t *testing.T) {
	header := []string{"ID", "Name", "Type", "DOB", "Country", "Aliases", "Reason"}
	rows := [][]string{header,
		{"A-1", "Ivan Petrovich Sidorov", "person", "1971-03-12", "RU", "Ivan Sidorov; I. P. Sidorov", "Exited"},
		{"A-2", "Bluewater Trading FZE", "entity", "", "AE", "", "Warning"},
		{"", "Marta Kowalska", "person", "1985", "PL", "", "Fraud"},
	}
	var csv strings.Builder
	for _, r := range rows {
		for i, v := range r {
			if i > 0 {
				csv.WriteByte(';')
			}
			if strings.Contains(v, ";") {
				v = `"` + v + `"`
			}
			csv.WriteString(v)
		}
		csv.WriteString("\r\n")
	}
	fromCSV := parse(t, custom.Options{}, source.File{Name: "list.csv", Data: []byte(csv.String())})
	fromXLSX := parse(t, custom.Options{}, source.File{Name: "list.xlsx", Data: xlsxOf(t, rows, 3)})
	if len(fromCSV.Entities) != 3 || len(fromXLSX.Entities) != 3 {
		t.Fatalf("entities: CSV %d, XLSX %d; want 3 each", len(fromCSV.Entities), len(fromXLSX.Entities))
	}
	// The same parties, whatever the file: the raw text of a date differs
	// (a date cell reads as YYYY-MM-DD).
	strip := func(es []interdict.Entity) []interdict.Entity {
		for i := range es {
			for j := range es[i].Dates {
				es[i].Dates[j].Raw = ""
			}
		}
		return es
	}
	if d := cmp.Diff(strip(fromCSV.Entities), strip(fromXLSX.Entities)); d != "" {
		t.Errorf("CSV and XLSX differ (-csv +xlsx):\n%s", d)
	}
}

func TestParse_JSONLines(t *testing.T) {
	data := `{"id":"J-1","name":"Oceanic Star","type":"vessel","id_numbers":"IMO 9123456","topics":"role.pep"}
{"id":"J-2","name":"","type":"person"}
{"id":"J-3","full_name":"x","name":"Samir Haddad","aliases":"S. Haddad","listed_since":"2025-01-31"}
`
	res := parse(t, custom.Options{}, source.File{Name: "list.jsonl", Data: []byte(data)})
	got := byID(res)
	if len(res.Entities) != 2 || res.Report.Skipped != 1 {
		t.Fatalf("entities %v, skipped %d; want J-1, J-3 and 1 skipped", keys(got), res.Report.Skipped)
	}
	if e := got["exited:J-1"]; len(e.Identifiers) != 1 || e.Identifiers[0].Value != "IMO 9123456" || e.Attributes["topics"][0] != "role.pep" {
		t.Errorf("J-1: %+v", e)
	}
	if e := got["exited:J-3"]; len(e.Names) != 2 || e.ListedOn != "2025-01-31" {
		t.Errorf("J-3: names %v, listed %q", e.Names, e.ListedOn)
	}
}

// TestRowHash_Stable: a row without an id keeps its ID whatever the order
// of rows and columns, and when its remarks or reason change.
func TestRowHash_Stable(t *testing.T) {
	a := "name;dob;country;reason\nMarta Kowalska;1985;PL;Fraud\nJan Nowak;1990;PL;Fraud\n"
	b := "reason;country;name;dob\nChargeback fraud;PL;Jan Nowak;1990\nFraud;PL;marta  kowalska;1985\n"
	ra := parse(t, custom.Options{}, source.File{Name: "a.csv", Data: []byte(a)})
	rb := parse(t, custom.Options{}, source.File{Name: "b.csv", Data: []byte(b)})
	var ia, ib []string
	for _, e := range ra.Entities {
		ia = append(ia, e.ID)
	}
	for _, e := range rb.Entities {
		ib = append(ib, e.ID)
	}
	if len(ia) != 2 || cmp.Diff(ia, ib) != "" {
		t.Errorf("ids %v and %v; want the same two", ia, ib)
	}
	d := interdict.DiffEntities("exited", 1, 2, ra.Entities, rb.Entities)
	if d.Added != 0 || d.Removed != 0 || d.Changed != 2 {
		t.Errorf("diff: %d added, %d removed, %d changed; want 0, 0, 2", d.Added, d.Removed, d.Changed)
	}
}

func TestParse_Errors(t *testing.T) {
	for _, tc := range []struct {
		name, file, data string
		opt              custom.Options
		want             string
	}{
		{"NoNameColumn", "a.csv", "reference;country\nX;DE\n", custom.Options{}, "a.csv: no name column"},
		{"BadMapField", "a.csv", "name\nX\n", custom.Options{Map: map[string]string{"salary": "name"}}, "map salary: not a field"},
		{"MissingMappedColumn", "a.csv", "name\nX\n", custom.Options{Map: map[string]string{"reason": "Grund"}}, `a.csv: map reason="Grund": no such column`},
		{"Empty", "a.csv", "", custom.Options{}, "a.csv: empty file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := source.Parse(custom.Formats("exited", tc.opt)[0], "exited", []source.File{{Name: tc.file, Data: []byte(tc.data)}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestValidName(t *testing.T) {
	for name, ok := range map[string]bool{
		"exited-customers": true, "peps": true, "dns2": true, "a": true,
		"": false, "Exited": false, "2peps": false, "-x": false, "x-": false, "x_y": false, "x y": false,
		"ofac-sdn": false, "un": false, "ftm": false, strings.Repeat("a", 41): false, "pëp": false,
	} {
		if err := custom.ValidName(name); (err == nil) != ok {
			t.Errorf("ValidName(%q) = %v, want ok %v", name, err, ok)
		} else if err != nil && interdict.ErrorCode(err) != interdict.EINVALID {
			t.Errorf("ValidName(%q): code %s, want EINVALID", name, interdict.ErrorCode(err))
		}
	}
}
