package cli

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
)

// MaxBatchRow bounds one input row (a JSON line or CSV record).
const MaxBatchRow = 1 << 20

// tableFormat returns the format of a batch file: csv, xlsx or jsonl, from
// the explicit format or the file name; "-" with no format is CSV.
func tableFormat(path, format string) (string, error) {
	if format != "" {
		switch f := strings.ToLower(format); f {
		case "csv", "xlsx", "jsonl":
			return f, nil
		case "json", "ndjson":
			return "jsonl", nil
		}
		return "", usageError("--format %q: use csv, xlsx or jsonl", format)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx":
		return "xlsx", nil
	case ".jsonl", ".ndjson", ".json":
		return "jsonl", nil
	}
	return "csv", nil
}

// rowReader reads the rows of a batch file as maps from lower-cased column
// names to values. Next returns io.EOF after the last row.
type rowReader interface {
	Next() (row map[string]string, line int, err error)
	Close() error
}

// openRows opens a batch file ("-" is stdin) in the given format. required
// names a column that must be present.
func (a *App) openRows(path, format, required string) (rowReader, error) {
	var r io.ReadCloser
	if path == "-" {
		r = io.NopCloser(a.Stdin)
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		r = f
	}
	var rr rowReader
	var err error
	switch format {
	case "csv":
		rr, err = newCSVRows(path, r)
	case "xlsx":
		rr, err = newXLSXRows(path, r)
	case "jsonl":
		rr = &jsonRows{name: path, sc: newLineScanner(r), c: r}
	}
	if err != nil {
		r.Close()
		return nil, err
	}
	if h, ok := rr.(interface{ header() []string }); ok {
		found := false
		for _, c := range h.header() {
			if c == required {
				found = true
			}
		}
		if !found {
			rr.Close()
			return nil, fmt.Errorf("%s: no %q column in the header %q", path, required, strings.Join(h.header(), ","))
		}
	}
	return rr, nil
}

func normHeader(h []string) []string {
	out := make([]string, len(h))
	for i, c := range h {
		c = strings.TrimPrefix(c, "\ufeff")
		out[i] = strings.ToLower(strings.TrimSpace(c))
	}
	return out
}

type csvRows struct {
	name string
	r    *csv.Reader
	c    io.Closer
	cols []string
}

func newCSVRows(name string, r io.ReadCloser) (*csvRows, error) {
	br := bufio.NewReader(r)
	// Strip a UTF-8 byte order mark, as spreadsheet programs write one.
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	h, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty file, no header", name)
		}
		return nil, fmt.Errorf("%s: header: %w", name, err)
	}
	return &csvRows{name: name, r: cr, c: r, cols: normHeader(h)}, nil
}

func (c *csvRows) header() []string { return c.cols }

func (c *csvRows) Next() (map[string]string, int, error) {
	rec, err := c.r.Read()
	line, _ := c.r.FieldPos(0)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, 0, io.EOF
		}
		return nil, line, fmt.Errorf("%s: %w", c.name, err)
	}
	row := make(map[string]string, len(c.cols))
	for i, v := range rec {
		if i < len(c.cols) && len(v) <= MaxBatchRow {
			row[c.cols[i]] = strings.TrimSpace(v)
		}
	}
	return row, line, nil
}

func (c *csvRows) Close() error { return c.c.Close() }

type xlsxRows struct {
	name string
	f    *excelize.File
	rows *excelize.Rows
	cols []string
	line int
	c    io.Closer
}

func newXLSXRows(name string, r io.ReadCloser) (*xlsxRows, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable XLSX workbook: %w", name, err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, fmt.Errorf("%s: workbook has no sheet", name)
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	x := &xlsxRows{name: name, f: f, rows: rows, c: r}
	for x.rows.Next() {
		x.line++
		h, err := x.rows.Columns()
		if err != nil {
			x.Close()
			return nil, fmt.Errorf("%s: row %d: %w", name, x.line, err)
		}
		if strings.TrimSpace(strings.Join(h, "")) != "" {
			x.cols = normHeader(h)
			return x, nil
		}
	}
	x.Close()
	return nil, fmt.Errorf("%s: empty sheet, no header", name)
}

func (x *xlsxRows) header() []string { return x.cols }

func (x *xlsxRows) Next() (map[string]string, int, error) {
	for x.rows.Next() {
		x.line++
		rec, err := x.rows.Columns()
		if err != nil {
			return nil, x.line, fmt.Errorf("%s: row %d: %w", x.name, x.line, err)
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		row := make(map[string]string, len(x.cols))
		for i, v := range rec {
			if i < len(x.cols) {
				row[x.cols[i]] = strings.TrimSpace(v)
			}
		}
		return row, x.line, nil
	}
	if err := x.rows.Error(); err != nil {
		return nil, x.line, fmt.Errorf("%s: %w", x.name, err)
	}
	return nil, 0, io.EOF
}

func (x *xlsxRows) Close() error {
	x.rows.Close()
	x.f.Close()
	return x.c.Close()
}

func newLineScanner(r io.Reader) *bufio.Scanner {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxBatchRow)
	return sc
}

type jsonRows struct {
	name string
	sc   *bufio.Scanner
	c    io.Closer
	line int
}

func (j *jsonRows) Next() (map[string]string, int, error) {
	for j.sc.Scan() {
		j.line++
		b := bytes.TrimSpace(j.sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var raw map[string]any
		if err := json.Unmarshal(b, &raw); err != nil {
			return nil, j.line, fmt.Errorf("%s:%d: not a JSON object: %w", j.name, j.line, err)
		}
		row := make(map[string]string, len(raw))
		for k, v := range raw {
			switch v := v.(type) {
			case string:
				row[strings.ToLower(k)] = strings.TrimSpace(v)
			case float64, bool:
				row[strings.ToLower(k)] = fmt.Sprint(v)
			case nil:
			default:
				return nil, j.line, fmt.Errorf("%s:%d: field %s: not a string", j.name, j.line, k)
			}
		}
		return row, j.line, nil
	}
	if err := j.sc.Err(); err != nil {
		return nil, j.line + 1, fmt.Errorf("%s:%d: %w", j.name, j.line+1, err)
	}
	return nil, 0, io.EOF
}

func (j *jsonRows) Close() error { return j.c.Close() }

// tableWriter writes rows of strings as CSV, XLSX or JSON lines objects.
type tableWriter struct {
	format string
	cols   []string
	csv    *csv.Writer
	xlsx   *excelize.File
	sw     *excelize.StreamWriter
	row    int
	out    io.Writer
	close  func() error
}

// createTable opens path ("-" is stdout) for writing rows with the given
// columns.
func (a *App) createTable(path, format string, cols []string) (*tableWriter, error) {
	var w io.Writer
	closeFn := func() error { return nil }
	if path == "-" {
		w = a.Stdout
	} else {
		f, err := os.Create(path)
		if err != nil {
			return nil, err
		}
		w, closeFn = f, f.Close
	}
	t := &tableWriter{format: format, cols: cols, out: w, close: closeFn}
	switch format {
	case "csv":
		t.csv = csv.NewWriter(w)
		if err := t.csv.Write(cols); err != nil {
			return nil, err
		}
	case "xlsx":
		t.xlsx = excelize.NewFile()
		sw, err := t.xlsx.NewStreamWriter("Sheet1")
		if err != nil {
			return nil, err
		}
		t.sw = sw
		if err := t.writeXLSX(cols); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func (t *tableWriter) writeXLSX(vals []string) error {
	t.row++
	cells := make([]any, len(vals))
	for i, v := range vals {
		cells[i] = v
	}
	cell, err := excelize.CoordinatesToCellName(1, t.row)
	if err != nil {
		return err
	}
	return t.sw.SetRow(cell, cells)
}

// Write writes one row; raw, when not nil, is written as the JSON line
// instead of the columns.
func (t *tableWriter) Write(vals []string, raw any) error {
	switch t.format {
	case "csv":
		return t.csv.Write(vals)
	case "xlsx":
		return t.writeXLSX(vals)
	default:
		if raw == nil {
			m := make(map[string]string, len(vals))
			for i, v := range vals {
				m[t.cols[i]] = v
			}
			raw = m
		}
		b, err := json.Marshal(raw)
		if err != nil {
			return err
		}
		b = append(b, '\n')
		_, err = t.out.Write(b)
		return err
	}
}

// Close flushes and closes the output.
func (t *tableWriter) Close() error {
	var err error
	switch t.format {
	case "csv":
		t.csv.Flush()
		err = t.csv.Error()
	case "xlsx":
		if err = t.sw.Flush(); err == nil {
			err = t.xlsx.Write(t.out)
		}
	}
	if cerr := t.close(); err == nil {
		err = cerr
	}
	return err
}
