package ftm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
)

// Format names.
const (
	FormatJSON  = "ftm-json"
	FormatDelta = "ftm-delta"
)

// Publisher is the publisher of FtM data.
const Publisher = "OpenSanctions"

// EntityURL is the OpenSanctions page of an entity: fmt.Sprintf(EntityURL, id).
const EntityURL = "https://www.opensanctions.org/entities/%s/"

// Formats are the FtM formats this package reads: entity JSON lines and
// delta files.
var Formats = []source.Format{
	{Name: FormatJSON, Detect: detectJSON, Parse: parseJSON},
	{Name: FormatDelta, Detect: detectDelta, Parse: parseDelta},
}

var bom = []byte("\xef\xbb\xbf")

// firstLine returns head without a BOM and leading space, cut at the first
// newline.
func firstLine(head []byte) []byte {
	h := bytes.TrimLeft(bytes.TrimPrefix(head, bom), " \t\r\n")
	if i := bytes.IndexByte(h, '\n'); i >= 0 {
		h = h[:i]
	}
	return h
}

// startsWithKey reports whether line is a JSON object whose first key is key.
func startsWithKey(line []byte, key string) bool {
	if len(line) == 0 || line[0] != '{' {
		return false
	}
	return bytes.HasPrefix(bytes.TrimLeft(line[1:], " \t\r"), []byte(`"`+key+`"`))
}

func detectDelta(name string, head []byte) (string, bool) {
	line := firstLine(head)
	if len(line) == 0 || line[0] != '{' {
		return "", false
	}
	if strings.HasSuffix(name, ".delta.json") || strings.HasSuffix(name, ".delta.jsonl") || startsWithKey(line, "op") {
		return interdict.ListFTM, true
	}
	return "", false
}

func detectJSON(name string, head []byte) (string, bool) {
	line := firstLine(head)
	if len(line) == 0 || line[0] != '{' || startsWithKey(line, "op") {
		return "", false
	}
	if strings.HasSuffix(name, ".delta.json") || strings.HasSuffix(name, ".delta.jsonl") {
		return "", false
	}
	if strings.HasSuffix(name, ".ftm.json") || strings.HasSuffix(name, ".ftm.jsonl") {
		return interdict.ListFTM, true
	}
	schema := bytes.Contains(line, []byte(`"schema"`))
	if schema && (startsWithKey(line, "id") || bytes.Contains(line, []byte(`"properties"`))) {
		return interdict.ListFTM, true
	}
	return "", false
}

// rawEntity is one FtM entity as a line (or a nested value) holds it.
type rawEntity struct {
	ID         string                     `json:"id"`
	Caption    string                     `json:"caption"`
	Schema     string                     `json:"schema"`
	Properties map[string]json.RawMessage `json:"properties"`
	Datasets   []string                   `json:"datasets"`
	Referents  []string                   `json:"referents"`
	FirstSeen  string                     `json:"first_seen"`
	LastSeen   string                     `json:"last_seen"`
	LastChange string                     `json:"last_change"`
	Target     *bool                      `json:"target"`
}

// deltaOp is one line of a delta file.
type deltaOp struct {
	Op     string          `json:"op"`
	Entity json.RawMessage `json:"entity"`
}

// record is an entity with where it was read.
type record struct {
	file string
	line int
	seq  int
	ent  *rawEntity
	// vals holds the string values of the properties, set by prepare.
	vals map[string][]string
	// back holds references to add once vals is set: a nested entity's
	// forward property pointing at the entity that holds it.
	back [][2]string
}

func (rec *record) errorf(field, format string, args ...any) error {
	// The list is left to the Result the error is reported in: FtM data
	// may be imported under another list's name (PEP data as "peps").
	return &source.ParseError{File: rec.file, Line: rec.line, Record: rec.ent.ID, Field: field, Err: fmt.Errorf(format, args...)}
}

// readLines calls fn with each non-blank line of f and its 1-based number,
// reporting on res a line that is not valid UTF-8 (its invalid bytes become
// U+FFFD). It returns an error when the last line is not a whole JSON
// value: a file cut short ends in half an object, and the entities after the
// cut would be missing without a word.
func readLines(res *source.Result, f source.File, fn func(n int, line []byte)) error {
	lastN, lastOK := 0, true
	lines(f.Data, func(n int, line []byte) {
		if !utf8.Valid(line) {
			res.Warn(&source.ParseError{List: res.List, File: f.Name, Line: n, Field: "encoding", Err: fmt.Errorf("invalid UTF-8 at byte %d; replaced by U+FFFD", invalidAt(line)+1)})
			line = bytes.ToValidUTF8(line, []byte("\uFFFD"))
		}
		lastN, lastOK = n, json.Valid(line)
		fn(n, line)
	})
	if !lastOK {
		return &source.ParseError{List: res.List, File: f.Name, Line: lastN, Err: errors.New("the last line is not a whole JSON object: the file was cut short; refusing the whole file")}
	}
	return nil
}

func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// lines calls fn with each non-blank line of data and its 1-based number.
func lines(data []byte, fn func(n int, line []byte)) {
	n := 0
	for len(data) > 0 {
		n++
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, bom)
		}
		line = bytes.TrimSpace(line)
		if len(line) > 0 {
			fn(n, line)
		}
	}
}

// decodeEntity reads one entity object, checking that it has an id and a
// schema.
func decodeEntity(b []byte) (*rawEntity, error) {
	var e rawEntity
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, err
	}
	e.ID = strings.TrimSpace(e.ID)
	if e.ID == "" {
		return &e, errors.New("entity has no id")
	}
	if strings.TrimSpace(e.Schema) == "" {
		return &e, errors.New("entity has no schema")
	}
	return &e, nil
}

// set is the entities read from a file set, latest version of each id.
type set struct {
	res     *source.Result
	byID    map[string]*record
	deleted map[string]bool
	seq     int
}

func newSet(res *source.Result) *set {
	return &set{res: res, byID: map[string]*record{}, deleted: map[string]bool{}}
}

func (s *set) put(rec *record) {
	s.seq++
	rec.seq = s.seq
	s.byID[rec.ent.ID] = rec
	delete(s.deleted, rec.ent.ID)
}

func parseJSON(list string, files []source.File) (*source.Result, error) {
	res := &source.Result{List: list, Format: FormatJSON, Publisher: Publisher}
	s := newSet(res)
	for _, f := range files {
		valid := 0
		err := readLines(res, f, func(n int, line []byte) {
			res.Report.Records++
			ent, err := decodeEntity(line)
			if err != nil {
				pe := &source.ParseError{List: list, File: f.Name, Line: n, Err: fmt.Errorf("read entity: %w", err)}
				if ent != nil {
					pe.Record = ent.ID
				}
				res.Skip(pe)
				return
			}
			valid++
			rec := &record{file: f.Name, line: n, ent: ent}
			if prev, ok := s.byID[ent.ID]; ok {
				res.Warn(rec.errorf("id", "entity %s also at %s:%d; the later line is kept", ent.ID, prev.file, prev.line))
			}
			s.put(rec)
		})
		if err != nil {
			return nil, err
		}
		if valid == 0 {
			return nil, fmt.Errorf("%s: no FtM entity line could be read", f.Name)
		}
	}
	s.build()
	return res, nil
}

func parseDelta(list string, files []source.File) (*source.Result, error) {
	res := &source.Result{List: list, Format: FormatDelta, Publisher: Publisher, Delta: true}
	s := newSet(res)
	for _, f := range files {
		valid := 0
		err := readLines(res, f, func(n int, line []byte) {
			res.Report.Records++
			skip := func(id string, err error) {
				res.Skip(&source.ParseError{List: list, File: f.Name, Line: n, Record: id, Err: err})
			}
			var op deltaOp
			if err := json.Unmarshal(line, &op); err != nil {
				skip("", fmt.Errorf("read delta operation: %w", err))
				return
			}
			ent, err := decodeEntity(op.Entity)
			id := ""
			if ent != nil {
				id = ent.ID
			}
			switch op.Op {
			case "ADD", "MOD":
				if err != nil {
					skip(id, fmt.Errorf("read %s entity: %w", op.Op, err))
					return
				}
				s.put(&record{file: f.Name, line: n, ent: ent})
			case "DEL":
				// A DEL entity may carry only its id.
				if id == "" {
					skip("", errors.New("read DEL entity: entity has no id"))
					return
				}
				delete(s.byID, id)
				s.deleted[id] = true
			default:
				skip(id, fmt.Errorf("unknown delta operation %q", op.Op))
				return
			}
			valid++
		})
		if err != nil {
			return nil, err
		}
		if valid == 0 {
			return nil, fmt.Errorf("%s: no FtM delta line could be read", f.Name)
		}
	}
	s.build()
	for id := range s.deleted {
		res.Deleted = append(res.Deleted, interdict.EntityID(list, id))
	}
	sort.Strings(res.Deleted)
	return res, nil
}
