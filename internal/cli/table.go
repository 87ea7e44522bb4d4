package cli

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// maxCSVField bounds one field of a CSV read by openCSV.
const maxCSVField = 1 << 20

// csvRows reads the rows of a small CSV file of pairs (compare --input) as
// maps from lower-cased column names to values. Party files are read by
// package batch.
type csvRows struct {
	name string
	r    *csv.Reader
	c    io.Closer
	cols []string
}

// openCSV opens a CSV file ("-" is stdin) whose header must name the
// column required.
func (a *App) openCSV(path, required string) (*csvRows, error) {
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
		r.Close()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty file, no header", path)
		}
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	cols := make([]string, len(h))
	found := false
	for i, c := range h {
		cols[i] = strings.ToLower(strings.TrimSpace(c))
		found = found || cols[i] == required
	}
	if !found {
		r.Close()
		return nil, fmt.Errorf("%s: no %q column in the header %q", path, required, strings.Join(cols, ","))
	}
	return &csvRows{name: path, r: cr, c: r, cols: cols}, nil
}

// Next returns the next row and its line, or io.EOF after the last.
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
		if i < len(c.cols) && len(v) <= maxCSVField {
			row[c.cols[i]] = strings.TrimSpace(v)
		}
	}
	return row, line, nil
}

func (c *csvRows) Close() error { return c.c.Close() }

// csvTable writes rows of strings as CSV.
type csvTable struct {
	csv   *csv.Writer
	close func() error
}

// createCSV opens path ("-" is stdout) for writing CSV rows under the
// header cols.
func (a *App) createCSV(path string, cols []string) (*csvTable, error) {
	var w io.Writer = a.Stdout
	closeFn := func() error { return nil }
	if path != "-" {
		f, err := os.Create(path)
		if err != nil {
			return nil, err
		}
		w, closeFn = f, f.Close
	}
	t := &csvTable{csv: csv.NewWriter(w), close: closeFn}
	if err := t.csv.Write(cols); err != nil {
		closeFn()
		return nil, err
	}
	return t, nil
}

// Write writes one row.
func (t *csvTable) Write(vals []string) error { return t.csv.Write(vals) }

// Close flushes and closes the output.
func (t *csvTable) Close() error {
	t.csv.Flush()
	err := t.csv.Error()
	if cerr := t.close(); err == nil {
		err = cerr
	}
	return err
}
