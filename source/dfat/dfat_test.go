package dfat_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/sourcetest"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/dfat"
)

func mustRead(tb testing.TB, path string) source.File {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return source.File{Name: filepath.Base(path), Path: path, Data: b}
}

var header = []any{"Reference", "Name of Individual or Entity", "Type", "Name Type", "Date of Birth", "Place of Birth", "Citizenship", "Address", "Additional Information", "Listing Information", "Committees", "Control Date"}

// mustXLSX builds a workbook with the DFAT header and rows.
func mustXLSX(tb testing.TB, rows ...[]any) []byte {
	tb.Helper()
	f := excelize.NewFile()
	for i, row := range append([][]any{header}, rows...) {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			tb.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func parse(tb testing.TB, rows ...[]any) *source.Result {
	tb.Helper()
	res, err := dfat.Parse(interdict.ListAU, []source.File{{Name: "t.xlsx", Data: mustXLSX(tb, rows...)}})
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return res
}

func TestDetect(t *testing.T) {
	zip := []byte("PK\x03\x04rest")
	tests := []struct {
		name, file string
		head       []byte
		want       bool
	}{
		{"OK", "regulation8_consolidated.xlsx", zip, true},
		{"Renamed", "dfat_2024.xlsx", zip, true},
		{"OtherWorkbook", "budget.xlsx", zip, false},
		{"NotZip", "regulation8_consolidated.xlsx", []byte("Reference,Name"), false},
		{"CSV", "regulation8_consolidated.csv", zip, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, ok := dfat.Detect(tt.file, tt.head)
			if ok != tt.want || (ok && list != interdict.ListAU) {
				t.Errorf("Detect(%q) = %q, %v; want %v", tt.file, list, ok, tt.want)
			}
		})
	}
}

func TestParse_Golden(t *testing.T) {
	res, err := dfat.Parse(interdict.ListAU, []source.File{mustRead(t, "testdata/regulation8_sample.xlsx")})
	if err != nil {
		t.Fatal(err)
	}
	sourcetest.Golden(t, "testdata/regulation8_sample.golden", res)
}

func TestParse_Grouping(t *testing.T) {
	res := parse(t,
		[]any{"7a", "Ivan I. Ivanov", "Individual ", "aka", 25324, "Moscow, Russia", "Russian and Ukrainian", "NA", "IMO number: 1234567.", "Listed on 24 Sep. 2014", "Autonomous (Russia)", 45607},
		[]any{7, "IVANOV, Ivan", "Individual", "Primary Name ", 25324, "Moscow, Russia", "Russian and Ukrainian", "NA", "IMO number: 1234567.", "Listed on 24 Sep. 2014", "Autonomous (Russia)", 45607},
		[]any{"7b", "Иван Иванов", "individual", "Original script", 25324, "Moscow, Russia", "Russian and Ukrainian", "NA", "IMO number: 1234567.", "Listed on 24 Sep. 2014", "Autonomous (Russia)", 45607},
		[]any{"7c1", "Ivan the Terrible", "Individual", "Formerly known as", 25324},
		[]any{},
		[]any{8, "ACME LLC", "Entity", "Primary Name", "", "", "", "a) 1 Main St, Minsk, Belarus b) Spain (detained)", "", "", "Autonomous (Russia)", 45000},
	)
	if res.Report.Records != 5 || len(res.Entities) != 2 || res.Report.Skipped != 0 {
		t.Fatalf("report %+v, %d entities; want 5 rows read into 2 entities", res.Report, len(res.Entities))
	}
	if res.Published != "2024-11-11" {
		t.Errorf("Published = %q, want 2024-11-11 (latest Control Date)", res.Published)
	}
	want := interdict.Entity{
		ID: "au:7", List: interdict.ListAU, SourceID: "7", SourceURL: dfat.SourceURL, Kind: interdict.KindPerson,
		Names: []interdict.Name{
			{Full: "IVANOV, Ivan", Quality: interdict.NamePrimary, Script: "Latn"},
			{Full: "Ivan I. Ivanov", Quality: interdict.NameStrong, Script: "Latn"},
			{Full: "Иван Иванов", Quality: interdict.NameOriginal, Script: "Cyrl"},
			{Full: "Ivan the Terrible", Quality: interdict.NameFormer, Script: "Latn"},
		},
		Identifiers:  []interdict.Identifier{{Type: interdict.IDIMO, Label: "IMO number", Value: "1234567"}},
		Dates:        []interdict.Date{{Type: interdict.DateBirth, From: "1969-05-01", To: "1969-05-01", Precision: interdict.PrecisionDay, Raw: "25324"}},
		BirthPlaces:  []interdict.Place{{Text: "Moscow, Russia", Country: "RU"}},
		Citizenships: []string{"RU", "UA"},
		Programs:     []string{"Autonomous (Russia)"},
		ListedOn:     "2014-09-24",
		Remarks:      []string{"IMO number: 1234567."},
		Attributes:   map[string][]string{"control_date": {"2024-11-11"}, "listing_information": {"Listed on 24 Sep. 2014"}},
	}
	if diff := cmp.Diff(want, res.Entities[0]); diff != "" {
		t.Errorf("au:7 (-want +got):\n%s", diff)
	}
	org := res.Entities[1]
	wantAddr := []interdict.Address{{Full: "1 Main St, Minsk, Belarus", Country: "BY"}, {Full: "Spain (detained)", Country: "ES"}}
	if org.Kind != interdict.KindOrganization || !cmp.Equal(org.Addresses, wantAddr) {
		t.Errorf("au:8 kind %s addresses %v; want organization %v", org.Kind, org.Addresses, wantAddr)
	}
}

func TestParse_Dates(t *testing.T) {
	tests := []struct {
		raw  string
		want []string // from..to or raw
	}{
		{"1963", []string{"1963-01-01..1963-12-31"}},
		{"14 Jul. 1975", []string{"1975-07-14..1975-07-14"}},
		{"15/06/1971", []string{"1971-06-15..1971-06-15"}},
		{"a) 1 Jan. 1964 b) 1 Feb. 1964", []string{"1964-01-01..1964-01-01", "1964-02-01..1964-02-01"}},
		{"a)04/05/1948; b)4/05/1946", []string{"1948-05-04..1948-05-04", "1946-05-04..1946-05-04"}},
		{"1973; 1983", []string{"1973-01-01..1973-12-31", "1983-01-01..1983-12-31"}},
		{"5/06/1953   15/06/1953", []string{"1953-06-05..1953-06-05", "1953-06-15..1953-06-15"}},
		{"Between 1968 and 1973", []string{"1968-01-01..1973-12-31"}},
		{"Approximately 1958", []string{"1956-01-01..1960-12-31"}},
		{"07/08/1957; alt DOB: 08/07/1957", []string{"1957-08-07..1957-08-07", "1957-07-08..1957-07-08"}},
		{"24/06/1402 (Hijri Calendar)", []string{"raw:24/06/1402 (Hijri Calendar)"}},
		{"na", nil},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			res := parse(t, []any{1, "X", "Individual", "Primary Name", tt.raw})
			var got []string
			for _, d := range res.Entities[0].Dates {
				if d.From == "" {
					got = append(got, "raw:"+d.Raw)
				} else {
					got = append(got, d.From+".."+d.To)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("dates of %q (-want +got):\n%s", tt.raw, diff)
			}
		})
	}
}

func TestParse_Errors(t *testing.T) {
	t.Run("NotAWorkbook", func(t *testing.T) {
		if _, err := dfat.Parse(interdict.ListAU, []source.File{{Name: "x.xlsx", Data: []byte("PK\x03\x04garbage")}}); err == nil || !strings.Contains(err.Error(), "x.xlsx") {
			t.Errorf("err = %v, want an error naming the file", err)
		}
	})
	t.Run("WrongHeader", func(t *testing.T) {
		f := excelize.NewFile()
		f.SetSheetRow("Sheet1", "A1", &[]any{"Name", "Amount"})
		buf, _ := f.WriteToBuffer()
		if _, err := dfat.Parse(interdict.ListAU, []source.File{{Name: "x.xlsx", Data: buf.Bytes()}}); err == nil {
			t.Error("err = nil, want a header error")
		}
	})
	t.Run("BadReferenceSkipped", func(t *testing.T) {
		res := parse(t, []any{"x1", "X", "Individual", "Primary Name"}, []any{2, "Y", "Individual", "Primary Name"})
		if len(res.Entities) != 1 || res.Report.Skipped != 1 || res.Report.Issues[0].Line != 2 {
			t.Errorf("%d entities, report %+v; want the bad row skipped at line 2", len(res.Entities), res.Report)
		}
	})
	t.Run("NoPrimaryRowWarned", func(t *testing.T) {
		res := parse(t, []any{"9a", "X", "Entity", "aka"})
		if len(res.Entities) != 1 || res.Entities[0].Names[0].Quality != interdict.NamePrimary || res.Report.Warnings != 1 {
			t.Errorf("entities %+v, report %+v; want the alias promoted with a warning", res.Entities, res.Report)
		}
	})
}

// TestParse_RealFile reads the complete DFAT workbook kept beside the
// repository (../shared/data in CI). The sheet has 9560 rows under the
// header, 7 of them blank; the 9553 name rows group into 3062 references,
// each with exactly one Primary Name row.
func TestParse_RealFile(t *testing.T) {
	path := "../../../shared/data/lists/australia_dfat/regulation8_consolidated_2024-12.xlsx"
	if _, err := os.Stat(path); err != nil {
		t.Skipf("real list not available (%v); it lives in ../shared/data/lists beside the checkout", err)
	}
	res, err := dfat.Parse(interdict.ListAU, []source.File{mustRead(t, path)})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[interdict.Kind]int{}
	names := map[interdict.NameQuality]int{}
	for _, e := range res.Entities {
		counts[e.Kind]++
		for _, n := range e.Names {
			names[n.Quality]++
		}
	}
	if diff := cmp.Diff(map[interdict.Kind]int{interdict.KindPerson: 2316, interdict.KindOrganization: 746}, counts); diff != "" {
		t.Errorf("entity kinds (-want +got):\n%s", diff)
	}
	if names[interdict.NamePrimary] != 3062 {
		t.Errorf("%d primary names, want 3062", names[interdict.NamePrimary])
	}
	if res.Report.Records != 9553 || res.Report.Entities != 3062 || res.Report.Skipped != 0 || res.Report.Errors != 0 {
		t.Errorf("report %d rows, %d entities, %d skipped, %d errors; want 9553, 3062, 0, 0", res.Report.Records, res.Report.Entities, res.Report.Skipped, res.Report.Errors)
	}
	if res.Published != "2024-11-11" {
		t.Errorf("Published = %q, want 2024-11-11", res.Published)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(mustRead(f, "testdata/regulation8_sample.xlsx").Data)
	f.Add(mustXLSX(f, []any{"1a", "X", "Entity", "aka", "a) 1 Jan. 1960 b) 1961", "", "Russian"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := dfat.Parse(interdict.ListAU, []source.File{{Name: "f.xlsx", Data: data}})
		if err != nil {
			return
		}
		for _, e := range res.Entities {
			if e.ID == "" || len(e.Names) == 0 {
				t.Fatalf("entity without id or name: %+v", e)
			}
		}
	})
}

// FuzzParseRows fuzzes the mapping of sheet rows to entities, the part of
// the reader that is ours: lines are rows, tabs separate cells.
func FuzzParseRows(f *testing.F) {
	header := "Reference\tName of Individual or Entity\tType\tName Type\tDate of Birth\tPlace of Birth\tCitizenship\tAddress\tAdditional Information\tListing Information\tCommittees\tControl Date\n"
	f.Add(header + "1\tJohn SMITH\tIndividual\tPrimary Name\t12/03/1960\tTehran, Iran\tIranian\ta) 1 Road b) 2 Street\tIMO number: 1234567\tListed on 1 Jan 2012\tIran\t45000")
	f.Add(header + "2a\tACME\tEntity\taka\t\t\t\t\t\t\t\t\n2\tACME LTD\tEntity\tPrimary Name\t1970 to 1972\t\t\t\t\t\t\t\t")
	f.Fuzz(func(t *testing.T, data string) {
		var rows [][]string
		for _, line := range strings.Split(data, "\n") {
			rows = append(rows, strings.Split(line, "\t"))
		}
		res, err := dfat.ParseRows(interdict.ListAU, "fuzz.xlsx", rows)
		if err != nil {
			return
		}
		for _, e := range res.Entities {
			if e.ID == "" || len(e.Names) == 0 {
				t.Fatalf("entity without id or name: %+v", e)
			}
		}
	})
}
