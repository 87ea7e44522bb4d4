package custom

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/batch"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/source"
)

// FormatTable is the format name of a custom list read from a CSV, XLSX or
// JSON-lines file.
const FormatTable = "custom-table"

// MaxRows bounds the rows of one file of a custom list.
const MaxRows = 1_000_000

// maxNameLen bounds a custom list's name.
const maxNameLen = 40

// ValidName returns an EINVALID error unless name may name a custom list:
// 1 to 40 lowercase ASCII letters, digits and hyphens, starting with a
// letter and not ending with a hyphen, and not the ID of a list interdict
// publishes itself (interdict.Lists).
func ValidName(name string) error {
	bad := func(why string) error {
		return interdict.Errorf(interdict.EINVALID, "list name %q: %s", cutName(name), why)
	}
	if name == "" {
		return bad("empty; use lowercase letters, digits and hyphens, e.g. exited-customers")
	}
	if len(name) > maxNameLen {
		return bad(fmt.Sprintf("longer than %d characters", maxNameLen))
	}
	for i, r := range name {
		switch {
		case r >= 'a' && r <= 'z':
		case (r >= '0' && r <= '9' || r == '-') && i > 0:
		default:
			return bad("use lowercase letters, digits and hyphens only, starting with a letter")
		}
	}
	if strings.HasSuffix(name, "-") {
		return bad("ends with a hyphen")
	}
	if _, official := interdict.LookupList(name); official {
		return bad("the ID of an official list; choose another name")
	}
	return nil
}

func cutName(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// Options tune how a custom list's files are read.
type Options struct {
	// Title is the list's display title, recorded as the publisher of its
	// versions (the list is the institution's own).
	Title string
	// Map maps fields (id, name, type, dob, country, id_number, address,
	// first_name, middle_name, last_name, aliases, id_numbers, remarks,
	// listed_since, reason, topics) to header names of the file, overriding
	// the aliases.
	Map map[string]string
	// DateOrder reads ambiguous numeric dates (see interdict.ParseDOB);
	// "" reads a date of birth as the interval of both readings and leaves
	// an ambiguous listed-since date as text.
	DateOrder interdict.DateOrder
}

// Formats returns the format that reads every file given to it as a
// version of the custom list named list: pass them alone to a
// source.Importer (after any format that should take precedence, such as
// FtM files imported under the same name).
func Formats(list string, opt Options) []source.Format {
	return []source.Format{{
		Name:   FormatTable,
		Detect: func(string, []byte) (string, bool) { return list, true },
		Parse: func(l string, files []source.File) (*source.Result, error) {
			return Parse(l, files, opt)
		},
	}}
}

// extra fields a custom list reads besides the query fields of package
// batch.
const (
	fieldAliases = iota
	fieldIDNumbers
	fieldRemarks
	fieldListed
	fieldReason
	fieldTopics
	numExtra
)

var extraNames = [numExtra]string{"aliases", "id_numbers", "remarks", "listed_since", "reason", "topics"}

var extraAliases = [numExtra][]string{
	fieldAliases:   {"aliases", "alias", "aka", "a k a", "also known as", "other names", "alternative names", "alt names", "alias names", "akas"},
	fieldIDNumbers: {"id numbers", "identifiers", "identification numbers", "documents", "document numbers", "ids"},
	fieldRemarks:   {"remarks", "remark", "notes", "note", "comments", "comment", "description", "details"},
	fieldListed:    {"listed since", "listed on", "listed", "date listed", "listing date", "date added", "added on", "added", "since"},
	fieldReason:    {"reason", "reason for listing", "listing reason", "grounds", "basis", "program", "programme", "sanction program"},
	fieldTopics:    {"topics", "topic", "tags"},
}

// batchFields are the query fields package batch maps itself.
var batchFields = map[string]bool{"id": true, "name": true, "type": true, "dob": true, "country": true, "id_number": true,
	"address": true, "first_name": true, "middle_name": true, "last_name": true}

// fold folds a header name as package batch does: lower case, any run of
// characters that are not letters or digits one space.
func fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(strings.TrimPrefix(s, "\ufeff")) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

// extraColumns finds the column of each extra field in header, -1 when
// absent. m maps fields to header names and overrides the aliases.
func extraColumns(header []string, m map[string]string) ([numExtra]int, error) {
	var cols [numExtra]int
	rank := [numExtra]int{}
	for f := range cols {
		cols[f], rank[f] = -1, 1<<30
	}
	folded := make([]string, len(header))
	for i, h := range header {
		folded[i] = fold(h)
	}
	for f, h := range m {
		fi := -1
		for i, n := range extraNames {
			if n == f {
				fi = i
			}
		}
		if fi < 0 {
			continue
		}
		want := fold(h)
		for i, fh := range folded {
			if fh == want {
				cols[fi], rank[fi] = i, -1
				break
			}
		}
		if cols[fi] < 0 {
			return cols, fmt.Errorf("map %s=%q: no such column in the header %q", f, h, strings.Join(header, ", "))
		}
	}
	for i, fh := range folded {
		for f, names := range extraAliases {
			for r, n := range names {
				if fh == n && r < rank[f] {
					cols[f], rank[f] = i, r
				}
			}
		}
	}
	return cols, nil
}

// Parse reads files as one version of the custom list named list. It
// returns an error when a file cannot be read at all (no header, no name
// column, not a workbook); a row that cannot be read is reported in the
// result and left out.
func Parse(list string, files []source.File, opt Options) (*source.Result, error) {
	if err := ValidName(list); err != nil {
		return nil, err
	}
	res := &source.Result{List: list, Format: FormatTable, Publisher: opt.Title}
	if res.Publisher == "" {
		res.Publisher = list
	}
	batchMap := map[string]string{}
	for f, h := range opt.Map {
		f = strings.ToLower(strings.TrimSpace(f))
		switch {
		case batchFields[f]:
			batchMap[f] = h
		case !isExtra(f):
			return nil, fmt.Errorf("map %s: not a field of a custom list (use %s, %s)", f, "id, name, type, dob, country, id_number, address, first_name, middle_name, last_name", strings.Join(extraNames[:], ", "))
		}
	}
	for _, f := range files {
		if err := parseFile(res, f, batchMap, opt); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func isExtra(f string) bool {
	for _, n := range extraNames {
		if n == f {
			return true
		}
	}
	return false
}

func parseFile(res *source.Result, f source.File, batchMap map[string]string, opt Options) error {
	rd, err := batch.Open(bytes.NewReader(completeHeader(f.Data)), f.Name, batch.ReadOptions{Map: batchMap})
	if err != nil {
		return err
	}
	defer rd.Close()
	header := rd.Header()
	extra, err := extraColumns(header, opt.Map)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	check := interdict.CheckOptions{DateOrder: opt.DateOrder, Country: country.Resolve}
	rows := 0
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		if rows++; rows > MaxRows {
			return fmt.Errorf("%s: more than %d rows; split the list", f.Name, MaxRows)
		}
		res.Report.Records++
		readRow(res, f.Name, rec, extra, check)
	}
	// File-level warnings: the columns that neither package batch nor this
	// package reads, and a fallback to Windows-1252.
	for _, w := range rd.Warnings() {
		if w.Field == "header" && strings.HasPrefix(w.Message, "columns not screened") {
			var left []string
			for _, c := range strings.Split(w.Value, ", ") {
				if !usedExtra(header, extra, c) {
					left = append(left, c)
				}
			}
			if len(left) == 0 {
				continue
			}
			w = interdict.Warning{Field: "header", Value: strings.Join(left, ", "), Message: "columns not read"}
		}
		res.Warn(&source.ParseError{List: res.List, File: f.Name, Field: w.Field, Err: warnErr(w)})
	}
	return nil
}

func usedExtra(header []string, extra [numExtra]int, name string) bool {
	for _, i := range extra {
		if i >= 0 && i < len(header) && header[i] == name {
			return true
		}
	}
	return false
}

func warnErr(w interdict.Warning) error {
	if w.Value != "" {
		return fmt.Errorf("%q: %s", w.Value, w.Message)
	}
	return errors.New(w.Message)
}

// readRow maps one record to an entity, or reports why it cannot.
func readRow(res *source.Result, file string, rec batch.Record, extra [numExtra]int, check interdict.CheckOptions) {
	pe := func(field string, err error) *source.ParseError {
		return &source.ParseError{List: res.List, File: file, Line: rec.Line, Record: rec.Query.Ref, Field: field, Err: err}
	}
	if rec.Err != nil {
		res.Skip(&source.ParseError{List: res.List, File: file, Line: rec.Line, Field: "record", Err: rec.Err})
		return
	}
	for _, w := range rec.Warnings {
		res.Warn(pe(w.Field, warnErr(w)))
	}
	get := func(f int) string {
		if i := extra[f]; i >= 0 && i < len(rec.Values) {
			return strings.TrimSpace(rec.Values[i])
		}
		return ""
	}
	raw := rec.Query
	if strings.TrimSpace(raw.Name) == "" {
		res.Skip(pe("name", errors.New("row has no name")))
		return
	}
	q, warns, err := raw.Check(check)
	if err != nil {
		res.Skip(pe("name", errors.New(interdict.ErrorMessage(err))))
		return
	}
	for _, w := range warns {
		res.Warn(pe(w.Field, fmt.Errorf("%q: %s", w.Value, strings.Replace(w.Message, "screened", "listed", 1))))
	}
	e := interdict.Entity{Kind: q.Kind}
	if e.Kind == "" {
		e.Kind = interdict.KindUnknown
	}
	if n, ok := source.NewName(q.Name, interdict.NamePrimary); ok {
		e.Names = append(e.Names, n)
	} else {
		res.Skip(pe("name", errors.New("row has no name")))
		return
	}
	for _, a := range splitList(get(fieldAliases)) {
		if n, ok := source.NewName(a, interdict.NameStrong); ok {
			source.AddName(&e, n)
		}
	}
	if q.DOB != "" {
		typ := interdict.DateBirth
		if e.Kind == interdict.KindOrganization {
			typ = interdict.DateIncorporation
		}
		if d, ok := dobDate(typ, q.DOB, raw.DOB); ok {
			e.Dates = append(e.Dates, d)
		}
	}
	if q.Country != "" {
		if e.Kind == interdict.KindPerson {
			e.Nationalities = []string{q.Country}
		} else {
			e.Countries = []string{q.Country}
		}
	}
	var ids []string
	for _, v := range append(splitList(q.IDNumber), splitList(get(fieldIDNumbers))...) {
		if !containsFold(ids, v) {
			ids = append(ids, v)
			e.Identifiers = append(e.Identifiers, interdict.Identifier{Type: interdict.IDOther, Value: v})
		}
	}
	if a := source.CleanSpace(q.Address); a != "" {
		e.Addresses = []interdict.Address{{Full: a}}
	}
	if r := get(fieldRemarks); !source.IsNull(r) {
		e.Remarks = []string{r}
	}
	if r := source.CleanSpace(get(fieldReason)); !source.IsNull(r) {
		e.Programs = []string{r}
	}
	for _, t := range splitList(get(fieldTopics)) {
		e.AddAttribute("topics", strings.ToLower(t))
	}
	if v := get(fieldListed); !source.IsNull(v) {
		// The date forms of a date of birth (interdict.ParseDOB); a date
		// given to the day is ListedOn, anything less exact is kept as text.
		d, note := interdict.ParseDOB(v, check.DateOrder)
		switch {
		case d == "" && note != "":
			res.Warn(pe("listed_since", fmt.Errorf("%q: %s; kept as text", v, note)))
			e.AddAttribute("listed_since", v)
		case len(d) == len("2006-01-02"):
			e.ListedOn = d
		default:
			e.AddAttribute("listed_since", v)
		}
	}
	e.SourceID = strings.TrimSpace(raw.Ref)
	if e.SourceID == "" {
		e.SourceID = RowHash(q.Name, e.Kind, q.DOB, q.Country, ids)
	} else if strings.ContainsAny(e.SourceID, "\r\n\t") || len(e.SourceID) > 200 {
		res.Skip(pe("id", fmt.Errorf("id %q is not a single line of at most 200 bytes", cutName(e.SourceID))))
		return
	}
	res.Entities = append(res.Entities, e)
}

// RowHash is the stable ID of a row that has none: the first 16 hex digits
// of the SHA-256 of its folded name, type, date of birth (canonical form),
// country code and identifiers (in order).
func RowHash(name string, kind interdict.Kind, dob, country string, ids []string) string {
	h := sha256.New()
	for _, s := range append([]string{fold(name), string(kind), dob, country}, ids...) {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// dobDate turns a canonical date of birth (interdict.ParseDOB: YYYY,
// YYYY-MM, YYYY-MM-DD or FROM/TO of those) into a Date interval.
func dobDate(typ interdict.DateType, canon, raw string) (interdict.Date, bool) {
	from, to, interval := strings.Cut(canon, "/")
	a, err := source.ParseDate(typ, from, source.DayFirst)
	if err != nil {
		return interdict.Date{}, false
	}
	a.Raw = raw
	if !interval {
		return a, true
	}
	b, err := source.ParseDate(typ, to, source.DayFirst)
	if err != nil {
		return interdict.Date{}, false
	}
	a.To, a.Precision = b.To, interdict.PrecisionRange
	return a, true
}

// splitList splits a cell holding several values separated by semicolons.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ";") {
		if v = source.CleanSpace(v); !source.IsNull(v) {
			out = append(out, v)
		}
	}
	return out
}

func containsFold(list []string, v string) bool {
	for _, have := range list {
		if strings.EqualFold(have, v) {
			return true
		}
	}
	return false
}

// completeHeader returns JSON-lines data whose first object names every
// key of the file: package batch reads the columns from the first object,
// and a key that appears only on later lines ("aliases" on the third
// party) must not be dropped. Missing keys are added to the first object
// with empty values, so line numbers stay as they are. Other data is
// returned as it is.
func completeHeader(data []byte) []byte {
	body := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	start := len(data) - len(bytes.TrimLeft(body, " \t\r\n"))
	if start >= len(data) || data[start] != '{' {
		return data
	}
	end := bytes.IndexByte(data[start:], '\n')
	if end < 0 {
		return data
	}
	end += start
	first := bytes.TrimRight(data[start:end], " \t\r")
	var have map[string]json.RawMessage
	if len(first) < 2 || first[len(first)-1] != '}' || json.Unmarshal(first, &have) != nil {
		return data
	}
	var missing []string
	seen := map[string]bool{}
	for _, line := range bytes.Split(data[end+1:], []byte("\n")) {
		var obj map[string]json.RawMessage
		if json.Unmarshal(line, &obj) != nil {
			continue
		}
		for k := range obj {
			if _, ok := have[k]; !ok && !seen[k] {
				seen[k] = true
				missing = append(missing, k)
			}
		}
	}
	if len(missing) == 0 {
		return data
	}
	sort.Strings(missing)
	var b bytes.Buffer
	b.Write(data[:start])
	b.Write(first[:len(first)-1])
	empty := len(have) == 0
	for _, k := range missing {
		if !empty {
			b.WriteByte(',')
		}
		empty = false
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteString(`:""`)
	}
	b.WriteByte('}')
	b.Write(data[end:])
	return b.Bytes()
}
