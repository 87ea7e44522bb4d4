package graph

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/interdict/interdict"
)

// Limits of an ownership file.
const (
	MaxOwnershipBytes   = 256 << 20
	MaxOwnershipRecords = 2_000_000
	maxField            = 1000
)

// columns maps the header names an ownership CSV may use to the fields.
var columns = map[string]string{
	"owner": "owner", "owner_id": "owner", "shareholder": "owner", "parent": "owner", "holder": "owner",
	"owned": "owned", "owned_id": "owned", "company": "owned", "subsidiary": "owned", "asset": "owned", "entity": "owned",
	"share": "share", "percentage": "share", "percent": "share", "ownership": "share", "share_pct": "share",
	"role": "role", "type": "role", "relationship": "role",
	"control": "control", "controls": "control",
	"from": "from", "start": "from", "start_date": "from", "valid_from": "from", "since": "from",
	"to": "to", "end": "to", "end_date": "to", "valid_to": "to", "until": "to",
}

// ReadOwnerships reads ownership and control records from r, a CSV file
// with a header row (owner, owned, share, role, control, from, to; comma,
// semicolon or tab separated) or JSON (an array of objects, or one object a
// line, with the same keys; share a number or a string). name is the file's
// name, used in errors and as the records' Source. A share is a percentage
// ("50", "49.9%", "49,9"), a range ("25-50", "25 to 50"), a bound (">50",
// "<25") or empty for unknown.
func ReadOwnerships(r io.Reader, name string) ([]*interdict.Ownership, error) {
	br := bufio.NewReader(io.LimitReader(r, MaxOwnershipBytes+1))
	head, _ := br.Peek(512)
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	t := bytes.TrimSpace(head)
	var recs []*interdict.Ownership
	var err error
	if len(t) > 0 && (t[0] == '[' || t[0] == '{') {
		recs, err = readJSON(br, name, t[0] == '[')
	} else {
		recs, err = readCSV(br, name)
	}
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, interdict.Errorf(interdict.EINVALID, "%s: no ownership records", name)
	}
	return recs, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > MaxOwnershipBytes {
		return n, fmt.Errorf("larger than %d MiB", MaxOwnershipBytes>>20)
	}
	return n, err
}

func readCSV(r io.Reader, name string) ([]*interdict.Ownership, error) {
	br := bufio.NewReader(&countingReader{r: r})
	first, err := br.Peek(4096)
	if err != nil && err != io.EOF && len(first) == 0 {
		return nil, interdict.Errorf(interdict.EINVALID, "%s: %v", name, err)
	}
	line, _, _ := bytes.Cut(first, []byte("\n"))
	sep := ','
	if bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
		sep = ';'
	}
	if bytes.Count(line, []byte("\t")) > bytes.Count(line, []byte(string(sep))) {
		sep = '\t'
	}
	cr := csv.NewReader(br)
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, interdict.Errorf(interdict.EINVALID, "%s: line 1: header: %v", name, err)
	}
	idx := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		h = strings.ReplaceAll(strings.ReplaceAll(h, " ", "_"), "-", "_")
		if f, ok := columns[h]; ok {
			if _, dup := idx[f]; !dup {
				idx[f] = i
			}
		}
	}
	for _, need := range []string{"owner", "owned"} {
		if _, ok := idx[need]; !ok {
			return nil, interdict.Errorf(interdict.EINVALID, "%s: line 1: the header has no %q column (columns: owner, owned, share, role, control, from, to)", name, need)
		}
	}
	var out []*interdict.Ownership
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, interdict.Errorf(interdict.EINVALID, "%s: line %d: %v", name, pe.Line, pe.Err)
			}
			return nil, interdict.Errorf(interdict.EINVALID, "%s: after record %d: %v", name, len(out), err)
		}
		line, _ := cr.FieldPos(0)
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		get := func(f string) string {
			if i, ok := idx[f]; ok && i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		rec := fields{owner: get("owner"), owned: get("owned"), share: get("share"), role: get("role"),
			control: get("control"), from: get("from"), to: get("to")}
		o, err := rec.ownership(name, "line "+strconv.Itoa(line))
		if err != nil {
			return nil, err
		}
		out = append(out, o)
		if len(out) > MaxOwnershipRecords {
			return nil, interdict.Errorf(interdict.EINVALID, "%s: more than %d records", name, MaxOwnershipRecords)
		}
	}
	return out, nil
}

func readJSON(r io.Reader, name string, array bool) ([]*interdict.Ownership, error) {
	dec := json.NewDecoder(&countingReader{r: r})
	dec.UseNumber()
	var out []*interdict.Ownership
	n := 0
	one := func(raw map[string]any) error {
		n++
		var f fields
		for k, v := range raw {
			key := strings.ReplaceAll(strings.ReplaceAll(strings.ToLower(k), " ", "_"), "-", "_")
			col, ok := columns[key]
			if !ok {
				continue
			}
			var s string
			switch v := v.(type) {
			case string:
				s = v
			case json.Number:
				s = v.String()
			case bool:
				s = strconv.FormatBool(v)
			case nil:
			default:
				return interdict.Errorf(interdict.EINVALID, "%s: record %d: field %q: want a string or number", name, n, k)
			}
			s = strings.TrimSpace(s)
			switch col {
			case "owner":
				f.owner = s
			case "owned":
				f.owned = s
			case "share":
				f.share = s
			case "role":
				f.role = s
			case "control":
				f.control = s
			case "from":
				f.from = s
			case "to":
				f.to = s
			}
		}
		o, err := f.ownership(name, "record "+strconv.Itoa(n))
		if err != nil {
			return err
		}
		out = append(out, o)
		if len(out) > MaxOwnershipRecords {
			return interdict.Errorf(interdict.EINVALID, "%s: more than %d records", name, MaxOwnershipRecords)
		}
		return nil
	}
	if !array {
		// JSON lines, or any run of objects.
		for {
			var raw map[string]any
			err := dec.Decode(&raw)
			if err == io.EOF {
				return out, nil
			}
			if err != nil {
				return nil, interdict.Errorf(interdict.EINVALID, "%s: record %d: %v", name, n+1, err)
			}
			if err := one(raw); err != nil {
				return nil, err
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, interdict.Errorf(interdict.EINVALID, "%s: %v", name, err)
	}
	for dec.More() {
		var raw map[string]any
		if err := dec.Decode(&raw); err != nil {
			return nil, interdict.Errorf(interdict.EINVALID, "%s: record %d: %v", name, n+1, err)
		}
		if err := one(raw); err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, interdict.Errorf(interdict.EINVALID, "%s: after record %d: %v", name, n, err)
	}
	return out, nil
}

// fields is one record's fields as read.
type fields struct{ owner, owned, share, role, control, from, to string }

var datePattern = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

func (f fields) ownership(name, where string) (*interdict.Ownership, error) {
	bad := func(field, format string, a ...any) error {
		return interdict.Errorf(interdict.EINVALID, "%s: %s: %s: %s", name, where, field, fmt.Sprintf(format, a...))
	}
	for _, v := range []struct{ k, s string }{{"owner", f.owner}, {"owned", f.owned}, {"share", f.share}, {"role", f.role}, {"from", f.from}, {"to", f.to}} {
		if len(v.s) > maxField {
			return nil, bad(v.k, "longer than %d bytes", maxField)
		}
		if !utf8.ValidString(v.s) {
			return nil, bad(v.k, "not valid UTF-8")
		}
	}
	if f.owner == "" {
		return nil, bad("owner", "empty")
	}
	if f.owned == "" {
		return nil, bad("owned", "empty")
	}
	if strings.EqualFold(strings.TrimSpace(f.owner), strings.TrimSpace(f.owned)) {
		return nil, bad("owned", "%q owns itself", f.owned)
	}
	lo, hi, known, err := ParseShare(f.share)
	if err != nil {
		return nil, bad("share", "%v", err)
	}
	for _, d := range []struct{ k, v string }{{"from", f.from}, {"to", f.to}} {
		if d.v != "" && !datePattern.MatchString(d.v) {
			return nil, bad(d.k, "%q is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", d.v)
		}
	}
	if f.from != "" && f.to != "" && f.to < f.from {
		return nil, bad("to", "%s is before from %s", f.to, f.from)
	}
	control := false
	switch strings.ToLower(f.control) {
	case "", "no", "false", "0", "n":
	case "yes", "true", "1", "y", "x":
		control = true
	default:
		return nil, bad("control", "%q is not yes or no", f.control)
	}
	role := strings.ToLower(f.role)
	if strings.Contains(role, "control") || strings.Contains(role, "appoint") {
		control = true
	}
	return &interdict.Ownership{Owner: f.owner, Owned: f.owned, Share: f.share, ShareMin: lo, ShareMax: hi, ShareKnown: known,
		Role: f.role, Control: control, From: f.from, To: f.to, Source: name, Record: where}, nil
}

var shareNum = `(\d{1,3}(?:[.,]\d+)?)`
var (
	shareOne   = regexp.MustCompile(`^` + shareNum + `\s*%?$`)
	shareRange = regexp.MustCompile(`^` + shareNum + `\s*%?\s*(?:-|–|—|to|\.\.)\s*` + shareNum + `\s*%?$`)
	shareBound = regexp.MustCompile(`^(>=|<=|>|<|≥|≤|over|under|at least|at most|more than|less than)\s*` + shareNum + `\s*%?$`)
)

// ParseShare reads a share: a percentage, a range or a bound, as an
// interval of percentages. An empty share, "unknown" or "?" is unknown.
func ParseShare(s string) (lo, hi float64, known bool, err error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "", "unknown", "?", "n/a", "na", "-":
		return 0, 0, false, nil
	}
	num := func(v string) (float64, error) {
		f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
		if err != nil || f < 0 || f > 100 {
			return 0, fmt.Errorf("%q is not a percentage from 0 to 100", v)
		}
		return f, nil
	}
	if m := shareOne.FindStringSubmatch(s); m != nil {
		v, err := num(m[1])
		return v, v, err == nil, err
	}
	if m := shareRange.FindStringSubmatch(s); m != nil {
		a, err := num(m[1])
		if err != nil {
			return 0, 0, false, err
		}
		b, err := num(m[2])
		if err != nil {
			return 0, 0, false, err
		}
		if b < a {
			return 0, 0, false, fmt.Errorf("range %q runs backwards", s)
		}
		return a, b, true, nil
	}
	if m := shareBound.FindStringSubmatch(s); m != nil {
		v, err := num(m[2])
		if err != nil {
			return 0, 0, false, err
		}
		switch m[1] {
		case ">", ">=", "≥", "over", "at least", "more than":
			return v, 100, true, nil
		default:
			return 0, v, true, nil
		}
	}
	return 0, 0, false, fmt.Errorf("%q is not a share (a percentage such as 50 or 49.9%%, a range such as 25-50, or a bound such as >50)", s)
}
