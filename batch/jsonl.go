package batch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/interdict/interdict"
)

// jsonSource reads JSON lines: one object per line, keys as column names.
// The header is the keys of the first object, in order; a later object's
// keys not in it are read for screening when they map to a query field but
// not carried through. A line longer than the record bound is one error
// row and the rest of it is skipped.
type jsonSource struct {
	name  string
	br    *bufio.Reader
	max   int
	line  int
	hdr   []string
	index map[string]int // header key -> column
	first *Record        // the first record, read to learn the header
	rd    *Reader
}

func newJSONSource(br *bufio.Reader, name string, opt ReadOptions, rd *Reader) (*jsonSource, error) {
	if b, _ := br.Peek(3); bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	s := &jsonSource{name: name, br: br, max: opt.MaxRecordBytes, index: map[string]int{}, rd: rd}
	for {
		b, n, tooLong, err := s.readLine()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: no JSON object", name)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if tooLong || len(bytes.TrimSpace(b)) == 0 {
			if tooLong {
				return nil, fmt.Errorf("%s:%d: first line longer than %d bytes", name, n, s.max)
			}
			continue
		}
		kv, err := parseObject(b)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: the first line is not a JSON object: %w", name, n, err)
		}
		for _, p := range kv {
			if _, dup := s.index[p[0]]; !dup {
				s.index[p[0]] = len(s.hdr)
				s.hdr = append(s.hdr, p[0])
			}
		}
		rec := s.record(n, kv)
		s.first = &rec
		return s, nil
	}
}

func (s *jsonSource) header() []string { return s.hdr }

func (s *jsonSource) close() error { return nil }

// readLine returns the next line without its line break, its number, and
// whether it was longer than the bound (its bytes are then dropped).
func (s *jsonSource) readLine() ([]byte, int, bool, error) {
	buf, tooLong, eof, err := readBounded(s.br, s.max)
	if err != nil {
		return nil, 0, false, fmt.Errorf("line %d: %w", s.line+1, err)
	}
	if buf == nil && !tooLong && eof {
		return nil, 0, false, io.EOF
	}
	s.line++
	return bytes.TrimSpace(buf), s.line, tooLong, nil
}

func (s *jsonSource) next() (Record, error) {
	if s.first != nil {
		r := *s.first
		s.first = nil
		return r, nil
	}
	for {
		b, n, tooLong, err := s.readLine()
		if err != nil {
			return Record{}, err
		}
		if tooLong {
			return Record{Line: n, EndLine: n, Err: fmt.Errorf("%s:%d: line longer than %d bytes; skipped", s.name, n, s.max)}, nil
		}
		if len(b) == 0 {
			continue
		}
		kv, err := parseObject(b)
		if err != nil {
			return Record{Line: n, EndLine: n, Err: fmt.Errorf("%s:%d: not a JSON object: %w", s.name, n, err)}, nil
		}
		return s.record(n, kv), nil
	}
}

// record lays the object's values out in header order.
func (s *jsonSource) record(n int, kv [][2]string) Record {
	rec := Record{Line: n, EndLine: n, Values: make([]string, len(s.hdr))}
	var extra []string
	for _, p := range kv {
		if i, ok := s.index[p[0]]; ok {
			rec.Values[i] = p[1]
		} else {
			extra = append(extra, p[0])
			rec.extra = append(rec.extra, p)
		}
	}
	if len(extra) > 0 {
		rec.Warnings = append(rec.Warnings, interdict.Warning{Field: "record", Value: cut(strings.Join(extra, ", "), 100),
			Message: "keys not in the first line are not carried through (a query field among them is screened)"})
	}
	return rec
}

// parseObject reads one JSON object's keys and values in order. String
// values are taken as they are, null as "", and any other value as its
// JSON text.
func parseObject(b []byte) ([][2]string, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("starts with %v, not {", t)
	}
	var kv [][2]string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("key %q: %w", k, err)
		}
		v := ""
		switch {
		case len(raw) > 0 && raw[0] == '"':
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, fmt.Errorf("key %q: %w", k, err)
			}
		case string(raw) == "null":
		default:
			v = string(raw)
		}
		kv = append(kv, [2]string{k, v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("text after the object")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("text after the object")
	}
	return kv, nil
}
