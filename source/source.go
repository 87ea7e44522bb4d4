// Package source holds the plumbing shared by the list-format packages below
// it: the Format each of them registers, the File and Result types, the
// ParseError that says where a record failed, and helpers for the dates,
// names and countries every list writes differently.
package source

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/interdict/interdict"
)

// File is one decompressed source file.
type File struct {
	// Name is the file's base name, as downloaded or found on disk, without a
	// compression suffix (".gz"); for members of a ZIP archive, the member name.
	Name string
	// Path is where the file was read from (a path, a URL, or "archive.zip!member").
	Path string
	Data []byte
	// Walked is true for files found by walking a directory rather than
	// named by the user; an importer may skip those in no known format.
	Walked bool
	raw    rawInfo
}

// Format is one published list format: how to recognise its files and how to
// read them into entities. Each list-format package exports its Formats.
type Format struct {
	// Name identifies the format ("ofac-csv", "un-xml", ...).
	Name string
	// Detect reports whether a file is in this format and, if so, the list
	// it belongs to (interdict.ListOFACSDN, ...). name is the file's base
	// name in lower case and head its first 4 KiB. Files of one format and
	// list passed to the same import are parsed together.
	Detect func(name string, head []byte) (list string, ok bool)
	// Parse reads files (all detected for the same list) into a Result. It
	// returns an error only when the files as a whole cannot be read (not the
	// format, truncated XML); a record that cannot be read is reported in
	// Result.Report, and parsing goes on.
	Parse func(list string, files []File) (*Result, error)
	// Derived is true for a third party's copy of a list in a format of its
	// own, imported until the publisher's file is available: such versions
	// are marked as unofficial wherever they are shown, and a version
	// read from the publisher's own format replaces them.
	Derived bool
	// Member, for a format published as a set of files (OFAC's sdn.csv with
	// add.csv, alt.csv and sdn_comments.csv), names the part a file plays in
	// the set by its lower-case base name ("primary", "alias", ...). The
	// importer refuses a set missing a part the current version had. nil for
	// one-file formats.
	Member func(name string) string
}

// IsDerived reports whether the format named name, among formats, reads a
// third party's copy of a list (see Format.Derived).
func IsDerived(formats []Format, name string) bool {
	for _, f := range formats {
		if f.Name == name {
			return f.Derived
		}
	}
	return false
}

// Result is what a Format's Parse produced.
type Result struct {
	List      string
	Format    string
	Publisher string
	// Published is the publication date the files state, YYYY-MM-DD, or "".
	Published string
	Entities  []interdict.Entity
	Report    interdict.ImportReport
	// Delta is true when the files hold changes to the list's current version
	// (OpenSanctions delta files) rather than the whole list: Entities are
	// added or replaced, and the IDs in Deleted removed.
	Delta   bool
	Deleted []string
}

// Issue records a problem in the report. err may be a *ParseError; its
// location fills the issue.
func (r *Result) Issue(sev interdict.Severity, err error) {
	is := interdict.ImportIssue{Severity: sev, List: r.List, Message: Cut(err.Error(), MaxMessageLen)}
	var pe *ParseError
	if errors.As(err, &pe) {
		is.File, is.Line, is.Field = pe.File, pe.Line, pe.Field
		is.Record = pe.record()
		is.Message = Cut(pe.Err.Error(), MaxMessageLen)
		if pe.List != "" {
			is.List = pe.List
		}
	}
	r.Report.Add(is)
}

// Skip records a record that could not be read and was left out.
func (r *Result) Skip(err error) {
	r.Report.Skipped++
	r.Issue(interdict.SeverityError, err)
}

// Warn records doubtful data that was kept.
func (r *Result) Warn(err error) {
	r.Issue(interdict.SeverityWarning, err)
}

// Finish sorts entities by ID, checks that IDs are unique and set, sets each
// entity's List, and counts entities in the report. A duplicate ID is
// reported as an error and the later record dropped, and so is a record
// whose identifier is longer than MaxIDLen or one of whose names is longer
// than MaxNameLen.
func (r *Result) Finish() {
	seen := make(map[string]bool, len(r.Entities))
	out := r.Entities[:0]
	for _, e := range r.Entities {
		e.List = r.List
		if len(e.SourceID) > MaxIDLen {
			r.Skip(&ParseError{List: r.List, Field: "id", Err: fmt.Errorf("record id %s is longer than %d bytes", Prefix(e.SourceID), MaxIDLen)})
			continue
		}
		if n, ok := longName(e); ok {
			r.Skip(&ParseError{List: r.List, Record: e.SourceID, Field: "name", Err: fmt.Errorf("name %s is longer than %d bytes", Prefix(n), MaxNameLen)})
			continue
		}
		if e.ID == "" {
			e.ID = interdict.EntityID(r.List, e.SourceID)
		}
		if e.SourceID == "" {
			r.Skip(&ParseError{List: r.List, Field: "id", Err: fmt.Errorf("record %q has no identifier", e.PrimaryName())})
			continue
		}
		if seen[e.ID] {
			r.Skip(&ParseError{List: r.List, Record: e.SourceID, Field: "id", Err: fmt.Errorf("duplicate record id %s", e.ID)})
			continue
		}
		seen[e.ID] = true
		if len(e.Names) == 0 {
			r.Skip(&ParseError{List: r.List, Record: e.SourceID, Field: "name", Err: errors.New("record has no name")})
			continue
		}
		out = append(out, e)
	}
	r.Entities = out
	sort.Slice(r.Entities, func(i, j int) bool { return r.Entities[i].ID < r.Entities[j].ID })
	r.Report.Entities = len(r.Entities)
}

// longName returns the first name of e longer than MaxNameLen.
func longName(e interdict.Entity) (string, bool) {
	for _, n := range e.Names {
		if len(n.Full) > MaxNameLen {
			return n.Full, true
		}
	}
	return "", false
}

// ParseError says where in a list file a record or field could not be read.
type ParseError struct {
	List   string
	File   string
	Line   int    // 1-based line, when the format is line-oriented
	Record string // the list's own record id, when known
	Field  string
	Err    error
}

// Error implements error: "un: UN_consolidated.xml: record QDi.430: field DATE_OF_BIRTH: ...".
func (e *ParseError) Error() string {
	var b strings.Builder
	if e.List != "" {
		b.WriteString(e.List)
		b.WriteString(": ")
	}
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if rec := e.record(); rec != "" {
		fmt.Fprintf(&b, "record %s: ", rec)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %s: ", Cut(e.Field, 80))
	}
	if e.Err != nil {
		b.WriteString(Cut(e.Err.Error(), MaxMessageLen))
	}
	return b.String()
}

// record returns the record id as an error shows it: as is when short and
// printable, else quoted and cut to a prefix.
func (e *ParseError) record() string {
	if len(e.Record) <= 64 && strconv.Quote(e.Record) == `"`+e.Record+`"` {
		return e.Record
	}
	return Prefix(e.Record)
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// NewName builds a Name, trimming space and detecting its script. It returns
// false when full is empty or a null marker.
func NewName(full string, q interdict.NameQuality) (interdict.Name, bool) {
	full = CleanSpace(full)
	if IsNull(full) {
		return interdict.Name{}, false
	}
	n := interdict.Name{Full: full, Quality: q, Script: interdict.Script(full)}
	if q != interdict.NameOriginal && n.Script != "" && n.Script != "Latn" && n.Script != "Zyyy" {
		// An alias written in a non-Latin script is an original-script name.
		if q == interdict.NameStrong || q == interdict.NameWeak {
			n.Quality = interdict.NameOriginal
		}
	}
	return n, true
}

// AddName appends a name to e unless e already has the same full name.
func AddName(e *interdict.Entity, n interdict.Name) {
	for _, have := range e.Names {
		if strings.EqualFold(have.Full, n.Full) {
			return
		}
	}
	e.Names = append(e.Names, n)
}

// CleanSpace trims s and collapses runs of white space (including newlines
// and non-breaking spaces) to one space.
func CleanSpace(s string) string {
	if s == "" {
		return ""
	}
	if !strings.ContainsAny(s, "\t\n\r\u00a0\u2028") && !strings.Contains(s, "  ") {
		return strings.TrimSpace(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// IsNull reports whether s is empty or a null marker lists use ("-0-", "-",
// "N/A", "n/a", "None").
func IsNull(s string) bool {
	switch strings.TrimSpace(s) {
	case "", "-0-", "-", "--", "N/A", "n/a", "NA", "None", "none", "null", "NULL", "Not applicable":
		return true
	}
	return false
}

// AppendUnique appends the non-empty values of vs to list, keeping it free of
// duplicates.
func AppendUnique(list []string, vs ...string) []string {
	for _, v := range vs {
		if v == "" {
			continue
		}
		dup := false
		for _, have := range list {
			if have == v {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, v)
		}
	}
	return list
}
