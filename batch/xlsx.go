package batch

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/interdict/interdict"
	"github.com/xuri/excelize/v2"
)

// xlsxSource reads one sheet of an XLSX workbook. Cells are read as Excel
// displays them, except in the dob column: a date cell (a number with a
// date format) is read as YYYY-MM-DD whatever its format, and a plain
// number there in the range of Excel serial dates (2201 to 73050, 1906 to
// 2099; smaller numbers are years) is read as a serial date with a warning.
type xlsxSource struct {
	name     string
	f        *excelize.File
	sheet    string
	rows     *excelize.Rows
	row      int
	hdr      []string
	dobCol   int // column of dob, or -1; set once the header is mapped
	date1904 bool
	dateFmt  map[int]bool // style ID -> is a date format
}

// Limits of an XLSX workbook read as a batch file.
const (
	// MaxXLSXExpanded bounds the bytes a workbook's parts may expand to, in
	// all; a larger one is refused when opened, before its parts are read.
	MaxXLSXExpanded = 512 << 20
	// MaxXLSXInMemory is the largest sheet or shared-strings part held in
	// memory; a larger one is read from a temporary file.
	MaxXLSXInMemory = 16 << 20
)

func newXLSXSource(r io.Reader, name string, opt ReadOptions, rd *Reader) (*xlsxSource, error) {
	f, err := excelize.OpenReader(r, excelize.Options{
		// Set explicitly: excelize's default lets a workbook expand to 16 GB.
		UnzipSizeLimit:    MaxXLSXExpanded,
		UnzipXMLSizeLimit: MaxXLSXInMemory,
	})
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable XLSX workbook: %w", name, err)
	}
	// The whole workbook has been read; progress is complete.
	rd.total = rd.count.n.Load()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, fmt.Errorf("%s: workbook has no sheet", name)
	}
	sheet := sheets[0]
	if opt.Sheet != "" {
		sheet = ""
		for _, s := range sheets {
			if strings.EqualFold(s, opt.Sheet) {
				sheet = s
			}
		}
		if sheet == "" {
			f.Close()
			return nil, fmt.Errorf("%s: no sheet %q (sheets: %s)", name, opt.Sheet, strings.Join(sheets, ", "))
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: sheet %s: %w", name, sheet, err)
	}
	x := &xlsxSource{name: name, f: f, sheet: sheet, rows: rows, dobCol: -1, dateFmt: map[int]bool{}}
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		x.date1904 = *p.Date1904
	}
	// The header is the first row that names a name column; report
	// exports often put a title and a date above it. When no row among the
	// first maxTitleRows does, the first non-empty row is the header (and
	// Open says which columns it lacks).
	const maxTitleRows = 10
	var first []string
	firstRow, seen := 0, 0
	for x.rows.Next() {
		x.row++
		h, err := x.rows.Columns()
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: sheet %s row %d: %w", name, sheet, x.row, err)
		}
		if strings.TrimSpace(strings.Join(h, "")) == "" {
			continue
		}
		hdr := make([]string, len(h))
		for i, c := range h {
			c = strings.TrimSpace(c)
			if c == "" {
				c = fmt.Sprintf("column_%d", i+1)
			}
			hdr[i] = c
		}
		if first == nil {
			first, firstRow = hdr, x.row
		}
		if c, err := mapColumns(hdr, opt.Map, true); err == nil {
			x.hdr, x.dobCol = hdr, c[fieldDOB]
			if x.row > firstRow {
				rd.warnFile(interdict.Warning{Field: "header", Value: fmt.Sprintf("rows %d-%d", firstRow, x.row-1),
					Message: fmt.Sprintf("rows above the header (row %d) are not read", x.row)})
			}
			return x, nil
		}
		if seen++; seen >= maxTitleRows {
			break
		}
	}
	if first == nil {
		f.Close()
		return nil, fmt.Errorf("%s: sheet %s is empty, no header", name, sheet)
	}
	// No header names a name column; Open reports it.
	x.hdr = first
	return x, nil
}

func (x *xlsxSource) header() []string { return x.hdr }

func (x *xlsxSource) next() (Record, error) {
	if x.f == nil {
		return Record{}, io.EOF
	}
	for x.rows.Next() {
		x.row++
		vals, err := x.rows.Columns()
		if err != nil {
			return Record{Line: x.row, EndLine: x.row, Err: fmt.Errorf("%s: sheet %s row %d: %w", x.name, x.sheet, x.row, err)}, nil
		}
		if strings.TrimSpace(strings.Join(vals, "")) == "" {
			continue
		}
		rec := Record{Line: x.row, EndLine: x.row}
		if len(vals) > len(x.hdr) {
			if countFields(vals) > len(x.hdr) {
				rec.Warnings = append(rec.Warnings, interdict.Warning{Field: "record",
					Message: fmt.Sprintf("cells beyond the %d header columns are not read", len(x.hdr))})
			}
			vals = vals[:len(x.hdr)]
		}
		for len(vals) < len(x.hdr) {
			vals = append(vals, "")
		}
		if x.dobCol >= 0 && strings.TrimSpace(vals[x.dobCol]) != "" {
			if d, w := x.dobCell(x.dobCol, x.row); d != "" {
				vals[x.dobCol] = d
				if w != "" {
					rec.Warnings = append(rec.Warnings, interdict.Warning{Field: "dob", Value: w, Message: "plain number read as an Excel serial date " + d})
				}
			}
		}
		rec.Values = vals
		return rec, nil
	}
	if err := x.rows.Error(); err != nil {
		return Record{}, fmt.Errorf("%s: sheet %s: %w", x.name, x.sheet, err)
	}
	x.close()
	return Record{}, io.EOF
}

func (x *xlsxSource) close() error {
	if x.f == nil {
		return nil
	}
	x.rows.Close()
	err := x.f.Close()
	x.f = nil
	return err
}

// dobCell reads the dob cell at col (0-based), row as a date: YYYY-MM-DD
// for a serial date, "" to keep the displayed text. raw is set when a
// plain number was read as a serial date.
func (x *xlsxSource) dobCell(col, row int) (date, raw string) {
	cell, err := excelize.CoordinatesToCellName(col+1, row)
	if err != nil {
		return "", ""
	}
	if t, err := x.f.GetCellType(x.sheet, cell); err != nil || (t != excelize.CellTypeNumber && t != excelize.CellTypeUnset && t != excelize.CellTypeDate) {
		return "", ""
	}
	v, err := x.f.GetCellValue(x.sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		return "", ""
	}
	serial, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || serial < 1 || serial > 2958465 {
		return "", ""
	}
	isDate := false
	if style, err := x.f.GetCellStyle(x.sheet, cell); err == nil {
		d, ok := x.dateFmt[style]
		if !ok {
			d = x.styleIsDate(style)
			x.dateFmt[style] = d
		}
		isDate = d
	}
	if !isDate {
		if serial < 2201 || serial > 73050 || serial != float64(int64(serial)) {
			return "", ""
		}
		raw = v
	}
	t, err := excelize.ExcelDateToTime(serial, x.date1904)
	if err != nil {
		return "", ""
	}
	return t.Format("2006-01-02"), raw
}

// styleIsDate reports whether a cell style's number format shows a date:
// a built-in date format (ECMA-376 Part 1, 18.8.30: 14-17, 22, 27-36,
// 50-58 in East Asian locales) or a custom format with day or year codes
// outside quoted text and [..] sections.
func (x *xlsxSource) styleIsDate(id int) bool {
	st, err := x.f.GetStyle(id)
	if err != nil || st == nil {
		return false
	}
	switch n := st.NumFmt; {
	case n >= 14 && n <= 17, n == 22, n >= 27 && n <= 36, n >= 50 && n <= 58:
		return true
	}
	if st.CustomNumFmt == nil {
		return false
	}
	code := strings.ToLower(*st.CustomNumFmt)
	var b strings.Builder
	quoted, bracket := false, false
	for _, r := range code {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == '[':
			bracket = true
		case r == ']':
			bracket = false
		case bracket:
		default:
			b.WriteRune(r)
		}
	}
	return strings.ContainsAny(b.String(), "yd")
}
