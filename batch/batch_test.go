package batch_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/batch"
	"github.com/interdict/interdict/country"
)

// fakeScreener is a deterministic in-memory screener: the pipeline is under
// test, not matching. A name alerts when its FNV hash is divisible by 7.
// It fails a query whose dob or country Check has not normalized, so a
// query that skips Check shows up as an error row.
type fakeScreener struct{}

var canonicalDOB = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$`)

func (fakeScreener) Screen(ctx context.Context, q interdict.Query) (*interdict.ScreenResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if q.DOB != "" && !canonicalDOB.MatchString(q.DOB) {
		return nil, fmt.Errorf("fake screener: dob %q not canonical", q.DOB)
	}
	if q.Country != "" && (len(q.Country) != 2 || strings.ToUpper(q.Country) != q.Country) {
		return nil, fmt.Errorf("fake screener: country %q not an ISO code", q.Country)
	}
	h := fnv.New32a()
	h.Write([]byte(q.Name))
	n := h.Sum32()
	res := &interdict.ScreenResult{Query: q, Policy: "f00d", Lists: map[string]string{"ofac-sdn": "7", "un": "3"}, Warnings: []interdict.Warning{}}
	if n%7 == 0 {
		res.Alert = true
		res.TotalHits = 2
		res.Hits = []interdict.Hit{
			{EntityID: fmt.Sprintf("ofac-sdn:%d", n%1000), List: "ofac-sdn", Kind: interdict.KindPerson, Name: strings.ToUpper(q.Name), MatchedName: q.Name, Score: 0.93, Alert: true},
			{EntityID: fmt.Sprintf("un:%d", n%977), List: "un", Kind: interdict.KindPerson, Name: q.Name + " X", MatchedName: q.Name + " X", Score: 0.71},
		}
	}
	return res, nil
}

var checkOpts = interdict.CheckOptions{Country: country.Resolve}

// runCSV reads input named name and returns the summary and the CSV output
// parsed.
func runCSV(t *testing.T, input []byte, name string, ropt batch.ReadOptions, opt batch.RunOptions) (*batch.Reader, batch.Summary, [][]string) {
	t.Helper()
	rd, err := batch.Open(bytes.NewReader(input), name, ropt)
	if err != nil {
		t.Fatalf("Open(%s): %v", name, err)
	}
	var out bytes.Buffer
	wr, err := batch.NewWriter(&out, "csv", rd.Header())
	if err != nil {
		t.Fatal(err)
	}
	if opt.Check.Country == nil {
		opt.Check = checkOpts
	}
	sum, err := batch.Run(context.Background(), rd, fakeScreener{}, wr, opt)
	if err != nil {
		t.Fatalf("Run(%s): %v", name, err)
	}
	if err := wr.Close(); err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(&out)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("output of %s is not CSV: %v", name, err)
	}
	if sum.Records != sum.Screened+sum.Errors {
		t.Fatalf("%s: Records %d != Screened %d + Errors %d", name, sum.Records, sum.Screened, sum.Errors)
	}
	if len(rows)-1 != sum.Records {
		t.Fatalf("%s: %d output rows, %d records", name, len(rows)-1, sum.Records)
	}
	return rd, sum, rows
}

func col(rows [][]string, name string) int {
	for i, h := range rows[0] {
		if h == name {
			return i
		}
	}
	return -1
}

func TestOpen_Header(t *testing.T) {
	tests := []struct {
		name   string
		header string
		m      map[string]string
		row    string
		want   interdict.Query
		warn   string // the unmapped columns named in the file warning
	}{
		{"aliases", "Customer ID,Full Name,Date of Birth,Nationality,Branch", nil, "C-1,Ali Reza,1970,Iran,Zurich",
			interdict.Query{Ref: "C-1", Name: "Ali Reza", DOB: "1970", Country: "Iran"}, "Branch"},
		{"first and last", "id;First Name;Middle Name;Surname;Passport No", nil, "7;Ali; ;Reza;X123",
			interdict.Query{Ref: "7", Name: "Ali Reza", IDNumber: "X123"}, ""},
		{"nationality before country", "Name,Country,Nationality", nil, "A,France,Iran",
			interdict.Query{Name: "A", Country: "Iran"}, "Country"},
		{"punctuation and case", "FULL_NAME|date-of-birth|CITIZENSHIP|National ID", nil, "A|1970|FR|9",
			interdict.Query{Name: "A", DOB: "1970", Country: "FR", IDNumber: "9"}, ""},
		{"map", "Client Name,Name,Born", map[string]string{"name": "client name"}, "A,B,1970",
			interdict.Query{Name: "A", DOB: "1970"}, "Name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, err := batch.Open(strings.NewReader(tt.header+"\n"+tt.row+"\n"), "t.csv", batch.ReadOptions{Map: tt.m})
			if err != nil {
				t.Fatal(err)
			}
			rec, err := rd.Next()
			if err != nil || rec.Err != nil {
				t.Fatalf("Next: %v %v", err, rec.Err)
			}
			if rec.Query != tt.want {
				t.Fatalf("query = %+v, want %+v", rec.Query, tt.want)
			}
			got := ""
			for _, w := range rd.Warnings() {
				if w.Field == "header" {
					got = w.Value
				}
			}
			if got != tt.warn {
				t.Fatalf("unmapped columns warning = %q, want %q", got, tt.warn)
			}
			if _, err := rd.Next(); err != io.EOF {
				t.Fatalf("after the last record: %v, want io.EOF", err)
			}
		})
	}
	for _, bad := range []struct{ in, m string }{{"Branch,City\nx,y\n", ""}, {"Name,City\nx,y\n", "Client Name"}, {"", ""}} {
		var m map[string]string
		if bad.m != "" {
			m = map[string]string{"name": bad.m}
		}
		if _, err := batch.Open(strings.NewReader(bad.in), "bad.csv", batch.ReadOptions{Map: m}); err == nil || !strings.Contains(err.Error(), "bad.csv") {
			t.Errorf("Open(%q, map %q) = %v, want an error naming the file", bad.in, bad.m, err)
		}
	}
}

func TestOpen_Dialects(t *testing.T) {
	utf16 := func(s string, le bool) []byte {
		var b []byte
		if le {
			b = []byte{0xff, 0xfe}
		} else {
			b = []byte{0xfe, 0xff}
		}
		for _, r := range s { // BMP only
			if le {
				b = append(b, byte(r), byte(r>>8))
			} else {
				b = append(b, byte(r>>8), byte(r))
			}
		}
		return b
	}
	want := []string{"Jürgen Müller", "Zoë O'Brien, Ltd"}
	tests := []struct {
		name string
		in   []byte
	}{
		{"comma", []byte("Name,Country\nJürgen Müller,DE\n\"Zoë O'Brien, Ltd\",IE\n")},
		{"semicolon crlf", []byte("Name;Country\r\nJürgen Müller;DE\r\nZoë O'Brien, Ltd;IE\r\n")},
		{"tab", []byte("Name\tCountry\nJürgen Müller\tDE\nZoë O'Brien, Ltd\tIE")},
		{"pipe", []byte("Name|Country\nJürgen Müller|DE\n\"Zoë O'Brien, Ltd\"|IE\n")},
		{"utf-8 bom", []byte("\xef\xbb\xbfName,Country\nJürgen Müller,DE\n\"Zoë O'Brien, Ltd\",IE\n")},
		{"utf-16le bom", utf16("Name\tCountry\r\nJürgen Müller\tDE\r\nZoë O'Brien, Ltd\tIE\r\n", true)},
		{"utf-16be bom", utf16("Name\tCountry\nJürgen Müller\tDE\nZoë O'Brien, Ltd\tIE\n", false)},
		{"windows-1252", []byte("Name;Country\nJ\xfcrgen M\xfcller;DE\nZo\xeb O'Brien, Ltd;IE\n")},
		{"blank lines", []byte("\n\nName,Country\n\nJürgen Müller,DE\n\n\"Zoë O'Brien, Ltd\",IE\n\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, sum, rows := runCSV(t, tt.in, "in.csv", batch.ReadOptions{}, batch.RunOptions{})
			if sum.Records != 2 || sum.Errors != 0 {
				t.Fatalf("summary %+v, want 2 records and no errors", sum)
			}
			for i, w := range want {
				if rows[i+1][0] != w {
					t.Errorf("row %d name = %q, want %q", i+1, rows[i+1][0], w)
				}
			}
		})
	}
}

func TestRun_QuotedNewlines(t *testing.T) {
	in := "Name,Address,DOB\n" +
		"\"Ali Reza\",\"12 Main St\nApt 4\nTehran\",1970\n" +
		"Bob,\"one line\",1980\n" +
		"\"Carl \"\"The Hammer\"\" Smith\",\"a\r\nb\",1990\n"
	_, sum, rows := runCSV(t, []byte(in), "q.csv", batch.ReadOptions{}, batch.RunOptions{})
	if sum.Records != 3 || sum.Errors != 0 {
		t.Fatalf("summary %+v", sum)
	}
	if rows[1][1] != "12 Main St\nApt 4\nTehran" || rows[3][0] != `Carl "The Hammer" Smith` {
		t.Fatalf("rows = %q", rows)
	}
	if l := col(rows, "line"); rows[1][l] != "2" || rows[2][l] != "5" || rows[3][l] != "6" {
		t.Fatalf("lines = %s %s %s, want 2 5 6", rows[1][l], rows[2][l], rows[3][l])
	}
}

// bigCSV writes n data rows; row i (1-based) is on line i+1.
func bigCSV(n int, damage func(i int) string) []byte {
	var b bytes.Buffer
	b.WriteString("Customer ID,Full Name,Date of Birth,Nationality,Address\n")
	for i := 1; i <= n; i++ {
		if damage != nil {
			if s := damage(i); s != "" {
				b.WriteString(s)
				continue
			}
		}
		fmt.Fprintf(&b, "C%06d,Person %d Name%d,%d-%02d-%02d,%s,%d Long Street\n", i, i, i%97, 1930+i%70, 1+i%12, 1+i%28, []string{"DE", "Frankreich", "Rossiya", "IR", "n/a"}[i%5], i)
	}
	return b.Bytes()
}

// TestRun_StrayQuote is the file that lost rows 101-120: one opening quote
// in row 100 of 200,000. The run ends, the broken record is one error row
// naming its line, and every other row is screened.
func TestRun_StrayQuote(t *testing.T) {
	const n = 200000
	in := bigCSV(n, func(i int) string {
		if i == 100 {
			return "C000100,\"Broken Name,1970-01-01,DE,1 Street\n"
		}
		if i == 120 { // a later quoted field closes the runaway quote
			return "C000120,\"Quoted, Name\",1970-01-01,DE,\"2 Street\"\n"
		}
		return ""
	})
	_, sum, rows := runCSV(t, in, "big.csv", batch.ReadOptions{}, batch.RunOptions{})
	if sum.Records != n || sum.Errors != 1 || sum.Screened != n-1 {
		t.Fatalf("summary: %d records, %d screened, %d errors; want %d, %d, 1", sum.Records, sum.Screened, sum.Errors, n, n-1)
	}
	e := sum.ErrorRows[0]
	if e.Line != 101 || !strings.Contains(e.Message, "big.csv:101") {
		t.Fatalf("error row = %+v, want line 101 named", e)
	}
	idc, errc := col(rows, "Customer ID"), col(rows, "error")
	for i := 1; i <= n; i++ {
		if i == 100 {
			if rows[i][errc] == "" {
				t.Fatalf("row 100 has no error")
			}
			continue
		}
		if want := fmt.Sprintf("C%06d", i); rows[i][idc] != want || rows[i][errc] != "" {
			t.Fatalf("output row %d = %q (error %q), want %s screened", i, rows[i][idc], rows[i][errc], want)
		}
	}
}

// TestRun_LongJSONLine: a 2 MiB line between good lines is one error row
// and reading goes on.
func TestRun_LongJSONLine(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`{"id":"1","name":"Ali Reza","dob":"16.07.1969","nationality":"Irán"}` + "\n")
	b.WriteString(`{"id":"2","name":"` + strings.Repeat("x", 2<<20) + `"}` + "\n")
	b.WriteString(`{"id":"3","name":"Bob","dob":"n/a","country":"Frankreich","extra":1}` + "\n")
	b.WriteString("not json\n")
	b.WriteString(`{"id":"5","name":"Carl"}`)
	rd, err := batch.Open(bytes.NewReader(b.Bytes()), "in.jsonl", batch.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	wr, _ := batch.NewWriter(&out, "jsonl", rd.Header())
	sum, err := batch.Run(context.Background(), rd, fakeScreener{}, wr, batch.RunOptions{Check: checkOpts})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Records != 5 || sum.Screened != 3 || sum.Errors != 2 {
		t.Fatalf("summary %+v", sum)
	}
	if sum.ErrorRows[0].Line != 2 || !strings.Contains(sum.ErrorRows[0].Message, "longer than") || sum.ErrorRows[1].Line != 4 {
		t.Fatalf("error rows %+v", sum.ErrorRows)
	}
	var got []struct {
		Input    map[string]string       `json:"input"`
		Result   *interdict.ScreenResult `json:"result"`
		Warnings []interdict.Warning     `json:"warnings"`
		Error    string                  `json:"error"`
		Line     int                     `json:"line"`
	}
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var r struct {
			Input    map[string]string       `json:"input"`
			Result   *interdict.ScreenResult `json:"result"`
			Warnings []interdict.Warning     `json:"warnings"`
			Error    string                  `json:"error"`
			Line     int                     `json:"line"`
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("output line %q: %v", l, err)
		}
		got = append(got, r)
	}
	if len(got) != 5 {
		t.Fatalf("%d output lines, want 5", len(got))
	}
	if q := got[0].Result.Query; q.DOB != "1969-07-16" || q.Country != "IR" || got[0].Input["nationality"] != "Irán" {
		t.Fatalf("row 1: query %+v input %v", q, got[0].Input)
	}
	if q := got[2].Result.Query; q.DOB != "" || q.Country != "FR" || len(got[2].Result.Warnings) != 2 {
		t.Fatalf("row 3: query %+v, warnings %+v (want dob and the extra key)", q, got[2].Result.Warnings)
	}
	if got[1].Error == "" || got[1].Result != nil || got[3].Error == "" || got[4].Line != 5 {
		t.Fatalf("error rows: %+v", got)
	}
}

func TestDefuse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=SUM(A1:A2)", "'=SUM(A1:A2)"}, {"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"}, {"-2+3", "'-2+3"},
		{"@SUM(1)", "'@SUM(1)"}, {"\t=1", "'\t=1"}, {"\r=1", "'\r=1"}, {"-1.5", "-1.5"}, {"+44", "+44"},
		{"0.930", "0.930"}, {"-", "-"}, {"Ali", "Ali"}, {"", ""}, {"a=b", "a=b"}, {"-1e5", "-1e5"},
	}
	for _, tt := range tests {
		if got := batch.Defuse(tt.in); got != tt.want {
			t.Errorf("Defuse(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	in := "Name,Note\n=HYPERLINK(\"x\"),-1.5\n"
	_, _, rows := runCSV(t, []byte(in), "f.csv", batch.ReadOptions{}, batch.RunOptions{})
	if rows[1][0] != `'=HYPERLINK("x")` || rows[1][1] != "-1.5" {
		t.Fatalf("output row = %q", rows[1])
	}
}

func TestRun_Order(t *testing.T) {
	in := bigCSV(5000, nil)
	_, sum, rows := runCSV(t, in, "o.csv", batch.ReadOptions{}, batch.RunOptions{Workers: 8})
	if sum.Screened != 5000 {
		t.Fatalf("summary %+v", sum)
	}
	lc, ac, alc := col(rows, "line"), col(rows, "alert"), col(rows, "alerting_entities")
	for i := 1; i < len(rows); i++ {
		if rows[i][lc] != fmt.Sprint(i+1) {
			t.Fatalf("row %d has line %s", i, rows[i][lc])
		}
		if (rows[i][ac] == "true") != (rows[i][alc] != "") || strings.Contains(rows[i][alc], " ") {
			t.Fatalf("row %d: alert %s, alerting entities %q (threshold 0.9 keeps one)", i, rows[i][ac], rows[i][alc])
		}
	}
	if sum.WarningsByField["country"] != 1000 {
		t.Fatalf("country warnings = %d, want 1000 (every n/a)", sum.WarningsByField["country"])
	}
}

// TestOpen_DamagedRecords: each damaged record is one error row naming its
// line, and reading resumes at the next physical line.
func TestOpen_DamagedRecords(t *testing.T) {
	many := strings.Repeat("t\n", 70)
	tests := []struct {
		name      string
		in        string
		errLines  []int // lines of the error rows
		screened  []string
		wantInMsg string
	}{
		{"runaway to the end", "Name,DOB\nA,1970\n\"B,1980\nC,1990\n", []int{3}, []string{"A", "C"}, "end of the file"},
		{"runaway past 64 lines", "Name,Note\n\"A,x\n" + many + "\"B\",y\n", []int{2}, nil, "more than 64 lines"},
		{"swallowed records", "Name,DOB,Country\n\"A,1970,DE\nB,1980,FR\nC,1990,IR\",x,y\nD,2000,ES\n", []int{2, 4}, []string{"B", "D"}, "whole lines"},
		{"text after the closing quote", "Name,DOB\n\"A,1970\nB\"x,1980\nC,1990\n", []int{2}, []string{"B\"x", "C"}, "followed by text"},
		{"too many fields", "Name,DOB\nSmith, John,1970\nB,1980\n", []int{2}, []string{"B"}, "3 fields"},
		{"a quote inside a field is text", "Name,DOB\nJohn \"Johnny\" Smith,1970\n", nil, []string{`John "Johnny" Smith`}, ""},
		{"a stray quote on one line is text", "Name,DOB\n\"ACME \"Ltd\"\",1970\n", nil, []string{`ACME "Ltd""`}, ""},
		{"a line over the bound", "Name,DOB\nA,1970\n" + strings.Repeat("x", 300) + ",1\nC,1990\n", []int{3}, []string{"A", "C"}, "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, sum, rows := runCSV(t, []byte(tt.in), "d.csv", batch.ReadOptions{MaxRecordBytes: 256}, batch.RunOptions{})
			var lines []int
			for _, e := range sum.ErrorRows {
				lines = append(lines, e.Line)
			}
			if fmt.Sprint(lines) != fmt.Sprint(tt.errLines) {
				t.Fatalf("error rows %+v, want lines %v", sum.ErrorRows, tt.errLines)
			}
			if tt.wantInMsg != "" && !strings.Contains(sum.ErrorRows[0].Message, tt.wantInMsg) {
				t.Fatalf("error %q does not say %q", sum.ErrorRows[0].Message, tt.wantInMsg)
			}
			var names []string
			errc := col(rows, "error")
			for _, r := range rows[1:] {
				if r[errc] == "" && r[0] != "t" {
					names = append(names, r[0])
				}
			}
			if tt.screened != nil && fmt.Sprint(names) != fmt.Sprint(tt.screened) {
				t.Fatalf("screened %q, want %q", names, tt.screened)
			}
		})
	}
}

type failAfter struct{ n int }

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestRun_WriteError(t *testing.T) {
	rd, err := batch.Open(bytes.NewReader(bigCSV(50000, nil)), "w.csv", batch.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wr, _ := batch.NewWriter(&failAfter{n: 200 << 10}, "csv", rd.Header())
	sum, err := batch.Run(context.Background(), rd, fakeScreener{}, wr, batch.RunOptions{Check: checkOpts})
	if err == nil || !strings.Contains(err.Error(), "disk full") || sum.Records >= 50000 {
		t.Fatalf("Run to a full disk: %+v, %v", sum, err)
	}
}
