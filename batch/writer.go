package batch

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/interdict/interdict"
	"github.com/xuri/excelize/v2"
)

// ResultColumns are the columns CSV and XLSX output adds after the input's
// own columns: alert (true/false, empty for an error row), hits (the
// result's TotalHits), the top hit's entity ID, list, kind, name, matched
// name and score (3 decimals), alerting_entities (the entity IDs of the
// hits that alert under the policy, Hit.Alert, space-separated), policy (hash), lists
// ("id@version", space-separated), warnings ("field: message", joined by
// " | "), error, and line (the record's first input line, or XLSX row).
var ResultColumns = []string{"alert", "hits", "top_entity_id", "top_list", "top_kind", "top_name",
	"top_matched_name", "top_score", "alerting_entities", "policy", "lists", "warnings", "error", "line"}

// Row is one output row: an input record and its outcome.
type Row struct {
	// Line and EndLine are the record's lines in the input.
	Line, EndLine int
	// Values are the input columns, carried through.
	Values []string
	// Result is the screening result; nil for an error row.
	Result *interdict.ScreenResult
	// Warnings are the fields read only in part or not at all.
	Warnings []interdict.Warning
	// Err says why the row was not screened.
	Err error
}

// Writer writes output rows. It is not safe for concurrent use.
type Writer interface {
	// WriteRow writes one row.
	WriteRow(r Row) error
	// Flush writes buffered rows through to the underlying io.Writer (for
	// XLSX, rows stay in the workbook until Close).
	Flush() error
	// Close flushes and finishes the output (XLSX writes the workbook
	// here). It closes the underlying writer only when the Writer was made
	// by CreateOutput.
	Close() error
}

// offsetWriter is a Writer whose flushed output can be cut back to a row
// boundary, which resume needs.
type offsetWriter interface {
	Writer
	// offset is the number of bytes flushed to the underlying writer,
	// counted from the start of the output file.
	offset() int64
}

// NewWriter returns a Writer of format csv, jsonl (or ndjson) or xlsx to w,
// for rows of an input with the given header. CSV output starts with the
// header row: the input columns then ResultColumns. JSON lines output has
// one object per row: "input" (the input columns by name, in order),
// "result" (the full ScreenResult, or null), "warnings", "error", "line"
// and "end_line".
func NewWriter(w io.Writer, format string, inputHeader []string) (Writer, error) {
	return newWriter(w, format, inputHeader, 0, true)
}

func newWriter(w io.Writer, format string, hdr []string, base int64, writeHeader bool) (Writer, error) {
	cw := &countWriter{w: w, n: base}
	switch strings.ToLower(format) {
	case "csv", "":
		x := &csvWriter{cw: cw, bw: bufio.NewWriterSize(cw, 64<<10), ncols: len(hdr)}
		x.csv = csv.NewWriter(x.bw)
		if writeHeader {
			head := make([]string, 0, len(hdr)+len(ResultColumns))
			for _, h := range hdr {
				head = append(head, Defuse(h))
			}
			if err := x.csv.Write(append(head, ResultColumns...)); err != nil {
				return nil, err
			}
		}
		return x, nil
	case "jsonl", "ndjson", "json":
		return &jsonWriter{cw: cw, bw: bufio.NewWriterSize(cw, 64<<10), hdr: hdr}, nil
	case "xlsx":
		if base != 0 || !writeHeader {
			return nil, errors.New("XLSX output cannot be resumed; write csv or jsonl output to resume")
		}
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			return nil, err
		}
		x := &xlsxWriter{w: w, f: f, sw: sw, ncols: len(hdr)}
		head := append(append([]string(nil), hdr...), ResultColumns...)
		cells := make([]any, len(head))
		for i, h := range head {
			cells[i] = Defuse(h)
		}
		if err := x.setRow(cells); err != nil {
			return nil, err
		}
		return x, nil
	}
	return nil, fmt.Errorf("output format %q: use csv, xlsx or jsonl", format)
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Defuse keeps a spreadsheet from evaluating a cell as a formula: a value
// starting with =, +, -, @, a tab or a carriage return gets a leading
// apostrophe, unless it is a plain number (-1.5, +44) or a lone sign (OWASP,
// "CSV Injection").
func Defuse(v string) string {
	if v == "" {
		return v
	}
	switch v[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if len(v) == 1 && (v[0] == '-' || v[0] == '+') {
			return v
		}
		if _, err := strconv.ParseFloat(v, 64); err == nil {
			return v
		}
		return "'" + v
	}
	return v
}

// resultCells returns the values of ResultColumns for r.
func resultCells(r Row) []string {
	out := make([]string, len(ResultColumns))
	out[11] = warningText(r.Warnings)
	out[13] = strconv.Itoa(r.Line)
	if r.Err != nil {
		out[12] = errorText(r.Err)
		return out
	}
	res := r.Result
	if res == nil {
		return out
	}
	out[0] = strconv.FormatBool(res.Alert)
	out[1] = strconv.Itoa(max(res.TotalHits, len(res.Hits)))
	if len(res.Hits) > 0 {
		h := res.Hits[0]
		out[2], out[3], out[4], out[5], out[6] = h.EntityID, h.List, string(h.Kind), h.Name, h.MatchedName
		out[7] = strconv.FormatFloat(h.Score, 'f', 3, 64)
	}
	var alerting []string
	for _, h := range res.Hits {
		if h.Alert {
			alerting = append(alerting, h.EntityID)
		}
	}
	out[8] = strings.Join(alerting, " ")
	out[9] = res.Policy
	out[10] = listsText(res.Lists)
	return out
}

// listsText writes list versions as "id@version", in interdict.Lists order
// and then by name.
func listsText(m map[string]string) string {
	var out []string
	seen := map[string]bool{}
	for _, l := range interdict.Lists {
		if v, ok := m[l.ID]; ok {
			out = append(out, l.ID+"@"+v)
			seen[l.ID] = true
		}
	}
	var rest []string
	for k := range m {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, k+"@"+m[k])
	}
	return strings.Join(out, " ")
}

func warningText(ws []interdict.Warning) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.Field + ": " + w.Message
	}
	return strings.Join(parts, " | ")
}

func errorText(err error) string {
	var e *interdict.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

type csvWriter struct {
	cw    *countWriter
	bw    *bufio.Writer
	csv   *csv.Writer
	ncols int
	rec   []string
}

func (x *csvWriter) WriteRow(r Row) error {
	x.rec = x.rec[:0]
	for i := 0; i < x.ncols; i++ {
		v := ""
		if i < len(r.Values) {
			v = r.Values[i]
		}
		x.rec = append(x.rec, Defuse(v))
	}
	for _, v := range resultCells(r) {
		x.rec = append(x.rec, Defuse(v))
	}
	return x.csv.Write(x.rec)
}

func (x *csvWriter) Flush() error {
	x.csv.Flush()
	if err := x.csv.Error(); err != nil {
		return err
	}
	return x.bw.Flush()
}

func (x *csvWriter) Close() error { return x.Flush() }

func (x *csvWriter) offset() int64 { return x.cw.n }

type jsonWriter struct {
	cw  *countWriter
	bw  *bufio.Writer
	hdr []string
	buf bytes.Buffer
}

func (x *jsonWriter) WriteRow(r Row) error {
	b := &x.buf
	b.Reset()
	b.WriteString(`{"input":{`)
	for i, h := range x.hdr {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(h)
		v := ""
		if i < len(r.Values) {
			v = r.Values[i]
		}
		vb, _ := json.Marshal(v)
		b.Write(k)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteString(`},"result":`)
	res, err := json.Marshal(r.Result)
	if err != nil {
		return fmt.Errorf("line %d: %w", r.Line, err)
	}
	b.Write(res)
	ws := r.Warnings
	if ws == nil {
		ws = []interdict.Warning{}
	}
	wb, _ := json.Marshal(ws)
	b.WriteString(`,"warnings":`)
	b.Write(wb)
	if r.Err != nil {
		eb, _ := json.Marshal(errorText(r.Err))
		b.WriteString(`,"error":`)
		b.Write(eb)
	}
	fmt.Fprintf(b, `,"line":%d,"end_line":%d}`+"\n", r.Line, r.EndLine)
	_, err = x.bw.Write(b.Bytes())
	return err
}

func (x *jsonWriter) Flush() error  { return x.bw.Flush() }
func (x *jsonWriter) Close() error  { return x.Flush() }
func (x *jsonWriter) offset() int64 { return x.cw.n }

type xlsxWriter struct {
	w     io.Writer
	f     *excelize.File
	sw    *excelize.StreamWriter
	row   int
	ncols int
}

func (x *xlsxWriter) setRow(cells []any) error {
	x.row++
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, cells)
}

func (x *xlsxWriter) WriteRow(r Row) error {
	res := resultCells(r)
	cells := make([]any, 0, x.ncols+len(res))
	for i := 0; i < x.ncols; i++ {
		v := ""
		if i < len(r.Values) {
			v = r.Values[i]
		}
		cells = append(cells, Defuse(v))
	}
	for i, v := range res {
		switch ResultColumns[i] {
		case "hits", "top_score", "line":
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				cells = append(cells, n)
				continue
			}
		}
		cells = append(cells, Defuse(v))
	}
	return x.setRow(cells)
}

func (x *xlsxWriter) Flush() error { return nil }

func (x *xlsxWriter) Close() error {
	if err := x.sw.Flush(); err != nil {
		return err
	}
	if err := x.f.Write(x.w); err != nil {
		return err
	}
	return x.f.Close()
}
