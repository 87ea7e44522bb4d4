package batch_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/batch"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// The messy-file corpus: customer files as they arrive, generated
// deterministically here (seeded), 5,700 rows in eight files. Each row
// knows whether its date and country should be read whole or warned about.

type genRow struct {
	id, name, dob, country string
	idnum                  string // a passport number: screened without a name
	readWarn               bool   // reading warns about the dob (an XLSX serial), name or not
	dobWarn, countryWarn   bool
}

type dateForm struct {
	format func(y, m, d int) string
	warn   bool
}

var dateForms = []dateForm{
	{func(y, m, d int) string { return fmt.Sprintf("%04d-%02d-%02d", y, m, d) }, false},
	{func(y, m, d int) string { return fmt.Sprintf("%04d-%d-%d", y, m, d) }, false},
	{func(y, m, d int) string { return fmt.Sprintf("%02d.%02d.%04d", d, m, y) }, false},
	{func(y, m, d int) string { return fmt.Sprintf("%d/%d/%04d", d+12, m, y) }, false},  // unambiguous d/m
	{func(y, m, d int) string { return fmt.Sprintf("%d/%d/%04d", m, d+12, y) }, false},  // unambiguous m/d
	{func(y, m, d int) string { return fmt.Sprintf("%02d/%02d/%04d", d, m, y) }, false}, // often ambiguous: an interval
	{func(y, m, d int) string { return fmt.Sprintf("%04d/%02d/%02d", y, m, d) }, false},
	{func(y, m, d int) string { return fmt.Sprintf("%d %s %04d", d, time.Month(m).String()[:3], y) }, false},
	{func(y, m, d int) string { return fmt.Sprintf("%s %d, %04d", time.Month(m), d, y) }, false},
	{func(y, m, d int) string {
		return fmt.Sprintf("%02d-%s-%04d", d, strings.ToUpper(time.Month(m).String()[:3]), y)
	}, false},
	{func(y, m, d int) string { return fmt.Sprintf("circa %d", y) }, false},
	{func(y, m, d int) string { return fmt.Sprintf("c. %d", y) }, false},
	{func(y, m, d int) string { return fmt.Sprintf("ca. %d", y) }, false},
	{func(y, m, d int) string { return fmt.Sprintf("about %d", y) }, false},
	{func(y, m, d int) string { return fmt.Sprintf("%ds", y/10*10) }, false},
	{func(y, m, d int) string { return fmt.Sprintf("00/00/%d", y) }, false},
	{func(y, m, d int) string { return fmt.Sprintf("%d-00-00", y) }, false},
	{func(y, m, d int) string { return fmt.Sprintf("%04d-%02d-%02dT00:00:00", y, m, d) }, false},
	{func(y, m, d int) string { return fmt.Sprintf("%d", y) }, false},
	{func(y, m, d int) string { return "" }, false},
	{func(y, m, d int) string { return fmt.Sprintf("%04d-%02d-32", y, m) }, true},
	{func(y, m, d int) string { return fmt.Sprintf("%04d-13-%02d", y, d) }, true},
	{func(y, m, d int) string { return fmt.Sprintf("31/02/%d", y) }, true},
	{func(y, m, d int) string { return fmt.Sprintf("%02d-%02d-%02d", m, d+12, y%100) }, true}, // Excel display text
	{func(y, m, d int) string { return "n/a" }, true},
	{func(y, m, d int) string { return "unknown" }, true},
	{func(y, m, d int) string { return "-" }, true},
}

type countryForm struct {
	text string
	warn bool
}

var countryForms = []countryForm{
	{"Frankreich", false}, {"Rossiya", false}, {"n/a", true}, {"Deutschland", false}, {"UAE", false},
	{"Irán", false}, {"Türkiye", false}, {"DE", false}, {"FRA", false}, {"Atlantis", true}, {"", false},
	{"Allemagne", false}, {"Espagne", false}, {"Emirates", false}, {"Rossiyskaya Federatsiya", false},
	{"unknown", true}, {"Россия", false}, {"中国", false}, {"España", false}, {"iran", false},
}

var firstNames = []string{"Ali", "Maria", "Jürgen", "Zoë", "José", "Björn", "Olga", "Chen", "Fatima", "Jean-Luc", "Ana", "Dmitri"}
var lastNames = []string{"Reza", "Müller", "O'Brien", "Hernández", "Ivanov", "Wang", "Al-Sayed", "Dubois", "Smith", "Nowak", "Kakavand"}

// genRows makes n rows; latin keeps every value in Windows-1252.
func genRows(seed uint64, n int, latin bool) []genRow {
	r := rand.New(rand.NewPCG(seed, 1))
	rows := make([]genRow, n)
	for i := range rows {
		y, m, d := 1930+r.IntN(80), 1+r.IntN(12), 1+r.IntN(16)
		df := dateForms[r.IntN(len(dateForms))]
		cf := countryForms[r.IntN(len(countryForms))]
		for latin && (cf.text == "Россия" || cf.text == "中国") {
			cf = countryForms[r.IntN(len(countryForms))]
		}
		g := genRow{id: fmt.Sprintf("C-%d-%05d", seed, i+1), dob: df.format(y, m, d), dobWarn: df.warn,
			country: cf.text, countryWarn: cf.warn}
		if r.IntN(20) != 0 {
			g.name = firstNames[r.IntN(len(firstNames))] + " " + lastNames[r.IntN(len(lastNames))]
		}
		rows[i] = g
	}
	return rows
}

// field quotes v for a delimited file when it must be.
func field(v string, delim string) string {
	if strings.ContainsAny(v, delim+"\"\r\n") {
		return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
	}
	return v
}

type corpusFile struct {
	name    string
	data    []byte
	rows    []genRow
	unknown string // unmapped columns named in the file warning
}

func delimited(name, delim, eol string, header []string, rows []genRow, cells func(i int, g genRow) []string, unknown string) corpusFile {
	var b strings.Builder
	b.WriteString(strings.Join(header, delim) + eol)
	for i, g := range rows {
		c := cells(i, g)
		for j := range c {
			c[j] = field(c[j], delim)
		}
		b.WriteString(strings.Join(c, delim) + eol)
	}
	return corpusFile{name: name, data: []byte(b.String()), rows: rows, unknown: unknown}
}

func corpus(t *testing.T) []corpusFile {
	var files []corpusFile
	files = append(files, delimited("semicolon.csv", ";", "\r\n", []string{"Customer ID", "Full Name", "Date of Birth", "Nationality", "Branch"},
		genRows(1, 800, false), func(i int, g genRow) []string { return []string{g.id, g.name, g.dob, g.country, "Zürich"} }, "Branch"))

	// First and last names in separate columns, German headers.
	tabRows := genRows(2, 700, false)
	files = append(files, delimited("tab.txt", "\t", "\n", []string{"Kunden-Nr", "Vorname", "Nachname", "Geburtsdatum", "Staatsangehörigkeit"},
		tabRows, func(i int, g genRow) []string {
			first, last, _ := strings.Cut(g.name, " ")
			return []string{g.id, first, last, g.dob, g.country}
		}, ""))

	pipeRows := genRows(3, 700, false)
	for i := range pipeRows {
		if i%2 == 0 {
			pipeRows[i].idnum = fmt.Sprintf("P%07d", i)
		}
	}
	files = append(files, delimited("pipe.csv", "|", "\n", []string{"ID", "Name", "DOB", "Country", "Passport No", "Address"},
		pipeRows, func(i int, g genRow) []string {
			return []string{g.id, g.name, g.dob, g.country, g.idnum, fmt.Sprintf("%d Rue de la Paix | Paris", i)}
		}, ""))

	// Excel "Unicode text": UTF-16 LE with a BOM, tab-separated.
	u := delimited("unicode.txt", "\t", "\r\n", []string{"Client Name", "Birthdate", "Citizenship", "Customer ID", "Notes"},
		genRows(4, 700, false), func(i int, g genRow) []string { return []string{g.name, g.dob, g.country, g.id, "note\twith tab"} }, "Notes")
	var le bytes.Buffer
	le.Write([]byte{0xff, 0xfe})
	for _, r := range string(u.data) {
		if r > 0xffff {
			t.Fatalf("generator: rune %q outside the BMP", r)
		}
		le.Write([]byte{byte(r), byte(r >> 8)})
	}
	u.data = le.Bytes()
	files = append(files, u)

	// A Windows "ANSI" export.
	w := delimited("ansi.csv", ",", "\r\n", []string{"Customer Name", "Birth Date", "Country", "Customer ID"},
		genRows(5, 700, true), func(i int, g genRow) []string { return []string{g.name, g.dob, g.country, g.id} }, "")
	enc, err := charmap.Windows1252.NewEncoder().Bytes(w.data)
	if err != nil {
		t.Fatalf("generator: %v", err)
	}
	w.data = enc
	files = append(files, w)

	// UTF-8 with a BOM, addresses with line breaks in quotes.
	bom := delimited("bom.csv", ",", "\n", []string{"Customer ID", "Full Name", "Date of Birth", "Nationality", "Address"},
		genRows(6, 700, false), func(i int, g genRow) []string {
			return []string{g.id, g.name, g.dob, g.country, fmt.Sprintf("%d Main St\nApt %d\nSpringfield, IL", i, i%9)}
		}, "")
	bom.data = append([]byte("\xef\xbb\xbf"), bom.data...)
	files = append(files, bom)

	// JSON lines.
	jr := genRows(7, 700, false)
	var jb strings.Builder
	for _, g := range jr {
		fmt.Fprintf(&jb, "{\"Customer ID\":%q,\"Full Name\":%q,\"DOB\":%q,\"nationality\":%q,\"score\":%d}\n", g.id, g.name, g.dob, g.country, len(g.name))
	}
	files = append(files, corpusFile{name: "customers.jsonl", data: []byte(jb.String()), rows: jr, unknown: "score"})
	return files
}

func TestRun_Corpus(t *testing.T) {
	total := 0
	for _, f := range corpus(t) {
		t.Run(f.name, func(t *testing.T) {
			rd, sum, out := runCSV(t, f.data, f.name, batch.ReadOptions{}, batch.RunOptions{Workers: 3})
			checkCorpus(t, f.rows, sum, out)
			got := ""
			for _, w := range rd.Warnings() {
				if w.Field == "header" {
					got = w.Value
				}
			}
			if got != f.unknown {
				t.Errorf("unmapped columns %q, want %q", got, f.unknown)
			}
		})
		total += len(f.rows)
	}
	t.Run("customers.xlsx", func(t *testing.T) { total += testXLSX(t) })
	if total < 5000 {
		t.Fatalf("corpus has %d rows, want at least 5,000", total)
	}
	t.Logf("corpus: %d rows", total)
}

// checkCorpus checks a run against the generated rows: every row with a
// name is screened, the others are error rows, every input row is an
// output row in order, and warnings are counted by field.
func checkCorpus(t *testing.T, rows []genRow, sum batch.Summary, out [][]string) {
	t.Helper()
	named, dobWarn, countryWarn := 0, 0, 0
	for _, g := range rows {
		if g.readWarn {
			dobWarn++
		}
		if g.name == "" && g.idnum == "" {
			continue
		}
		named++
		if g.dobWarn {
			dobWarn++
		}
		if g.countryWarn {
			countryWarn++
		}
	}
	if sum.Records != len(rows) || sum.Screened != named || sum.Errors != len(rows)-named {
		t.Fatalf("summary: %d records, %d screened, %d errors (%v); want %d, %d, %d",
			sum.Records, sum.Screened, sum.Errors, sum.ErrorRows[:min(3, len(sum.ErrorRows))], len(rows), named, len(rows)-named)
	}
	if sum.WarningsByField["dob"] != dobWarn || sum.WarningsByField["country"] != countryWarn {
		t.Errorf("warnings: dob %d, country %d; want dob %d, country %d",
			sum.WarningsByField["dob"], sum.WarningsByField["country"], dobWarn, countryWarn)
	}
	idc := -1
	for i, h := range out[0] {
		if strings.Contains(strings.ToLower(h), "customer id") || h == "ID" || h == "Kunden-Nr" {
			idc = i
		}
	}
	errc := col(out, "error")
	for i, g := range rows {
		o := out[i+1]
		if o[idc] != g.id {
			t.Fatalf("output row %d: id %q, want %q", i+1, o[idc], g.id)
		}
		if (o[errc] != "") != (g.name == "" && g.idnum == "") {
			t.Fatalf("output row %d (%+v): error %q", i+1, g, o[errc])
		}
	}
}

// recorder keeps the queries a screener saw, by Ref.
type recorder struct {
	fakeScreener
	mu sync.Mutex
	q  map[string]interdict.Query
}

func (r *recorder) Screen(ctx context.Context, q interdict.Query) (*interdict.ScreenResult, error) {
	r.mu.Lock()
	r.q[q.Ref] = q
	r.mu.Unlock()
	return r.fakeScreener.Screen(ctx, q)
}

// testXLSX writes a workbook with real date cells in several number
// formats, plain serial numbers, years and text dates in the dob column,
// and checks that each is read as the date it shows.
func testXLSX(t *testing.T) int {
	f := excelize.NewFile()
	defer f.Close()
	sh := "Kunden"
	f.SetSheetName("Sheet1", sh)
	f.SetSheetRow(sh, "A1", &[]any{"Customer list", "exported 2026-12-01"}) // a title above the header
	f.SetSheetRow(sh, "A2", &[]any{"Customer ID", "Full Name", "Date of Birth", "Nationality", "Balance"})
	styles := []int{}
	for _, st := range []*excelize.Style{{NumFmt: 14}, {NumFmt: 15}, {NumFmt: 22}, {CustomNumFmt: ptr("dd.mm.yyyy")}, {CustomNumFmt: ptr("[$-409]mmmm d, yyyy;@")}} {
		id, err := f.NewStyle(st)
		if err != nil {
			t.Fatal(err)
		}
		styles = append(styles, id)
	}
	rows := genRows(8, 700, false)
	want := map[string]string{}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		g := &rows[i]
		r := i + 3
		day := time.Date(1930+i%70, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
		serial := day.Sub(base).Hours() / 24
		cell := fmt.Sprintf("C%d", r)
		switch i % 4 {
		case 0, 1: // a date cell, in one of several formats
			f.SetCellValue(sh, cell, serial)
			f.SetCellStyle(sh, cell, cell, styles[i%len(styles)])
			g.dob, g.dobWarn = "", false
			want[g.id] = day.Format("2006-01-02")
		case 2: // a plain number in a dob column: a serial date, with a warning
			f.SetCellValue(sh, cell, int(serial))
			g.dob, g.dobWarn, g.readWarn = "", false, true
			want[g.id] = day.Format("2006-01-02")
		default: // text, as generated
			f.SetCellStr(sh, cell, g.dob)
		}
		f.SetCellStr(sh, fmt.Sprintf("A%d", r), g.id)
		f.SetCellStr(sh, fmt.Sprintf("B%d", r), g.name)
		f.SetCellStr(sh, fmt.Sprintf("D%d", r), g.country)
		f.SetCellValue(sh, fmt.Sprintf("E%d", r), -12.5)
	}
	f.SetCellValue(sh, "C6", 1970) // a year as a number stays a year
	rows[3].dobWarn = false
	want[rows[3].id] = "1970"
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rd, err := batch.Open(bytes.NewReader(buf.Bytes()), "customers.xlsx", batch.ReadOptions{Sheet: "kunden"})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{q: map[string]interdict.Query{}}
	var out bytes.Buffer
	wr, _ := batch.NewWriter(&out, "csv", rd.Header())
	sum, err := batch.Run(context.Background(), rd, rec, wr, batch.RunOptions{Check: checkOpts})
	if err != nil {
		t.Fatal(err)
	}
	wr.Close()
	cr := csv.NewReader(&out)
	o, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	checkCorpus(t, rows, sum, o)
	title := false
	for _, w := range rd.Warnings() {
		title = title || w.Value == "rows 1-1"
	}
	if !title {
		t.Errorf("file warnings %+v, want the title row named", rd.Warnings())
	}
	for id, d := range want {
		if q, ok := rec.q[id]; ok && q.DOB != d {
			t.Errorf("%s: dob %q, want %q", id, q.DOB, d)
		}
	}
	if b := o[1][col(o, "Balance")]; b != "-12.5" {
		t.Errorf("a negative number was defused: %q", b)
	}
	// XLSX output of the same rows.
	rd, _ = batch.Open(bytes.NewReader(buf.Bytes()), "customers.xlsx", batch.ReadOptions{})
	var xb bytes.Buffer
	xw, _ := batch.NewWriter(&xb, "xlsx", rd.Header())
	if _, err := batch.Run(context.Background(), rd, fakeScreener{}, xw, batch.RunOptions{Check: checkOpts}); err != nil {
		t.Fatal(err)
	}
	if err := xw.Close(); err != nil {
		t.Fatal(err)
	}
	xf, err := excelize.OpenReader(&xb)
	if err != nil {
		t.Fatalf("xlsx output: %v", err)
	}
	xr, _ := xf.GetRows("Sheet1")
	if len(xr) != len(rows)+1 || xr[0][len(xr[0])-1] != "line" {
		t.Fatalf("xlsx output: %d rows, header %q", len(xr), xr[0])
	}
	return len(rows)
}

func ptr[T any](v T) *T { return &v }
