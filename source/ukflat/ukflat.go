// Package ukflat reads a third party's flattening of the UK Sanctions List
// (format "uk-derived-csv", kebalkhadka/Sanctionslist's uk_uk_parsed.csv):
// a CSV with the header Name, Alias, Nationality, Designation, Sanction
// Type, Source and one row per designation.
//
// It is a derived, lossy copy, not the publisher's file (Format.Derived):
// it is imported as list uk until an official UK Sanctions List file
// replaces it. The copy has no record identifiers, no birth dates, no
// person/entity flag, and for people often only the family name. The
// package therefore:
//
//   - derives each entity's ID from the row's content: "uk:flat-" and the
//     first 16 hex digits of the SHA-256 of its fields. A row repeated word
//     for word is reported as a duplicate and left out;
//   - sets Kind to interdict.KindUnknown (always screened);
//   - reads Name as the primary name and the comma-separated Alias as
//     strong names, or as weak names when they may be a part of a
//     person's name: one word, or two with no legal form or generic word
//     (the copy cuts names into words), leaving out pieces of fewer than
//     three letters;
//   - resolves Nationality (comma-separated country names) to country
//     codes, Designation to a title, Sanction Type (the regulations) to a
//     programme.
//
// The file states no date; the date in its name (…_2025-05-25.csv) is the
// copy's date. Every entity carries the attribute interdict.AttrUnofficialCopy
// ("UK list, from an unofficial copy dated 2025-05-25"), shown with each
// hit.
package ukflat

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/normalize"
	"github.com/interdict/interdict/source"
)

// Aggregator names the third party that built the copy.
const Aggregator = "kebalkhadka/Sanctionslist"

// Publisher is the publisher of the list the copy is taken from.
const Publisher = "UK Foreign, Commonwealth and Development Office (unofficial copy by " + Aggregator + ")"

// ListURL is the page of the official UK Sanctions List.
const ListURL = "https://www.gov.uk/government/publications/the-uk-sanctions-list"

// MaxRows bounds the rows of one file.
const MaxRows = 200_000

// FormatName names the format.
const FormatName = "uk-derived-csv"

// Formats are the formats this package reads.
var Formats = []source.Format{{Name: FormatName, Detect: Detect, Parse: Parse, Derived: true}}

var header = []string{"Name", "Alias", "Nationality", "Designation", "Sanction Type", "Source"}

var bom = []byte("\xef\xbb\xbf")

// Detect recognises the copy by its header line.
func Detect(name string, head []byte) (string, bool) {
	head = bytes.TrimPrefix(head, bom)
	line, _, _ := bytes.Cut(head, []byte("\n"))
	if string(bytes.TrimSpace(line)) == strings.Join(header, ",") {
		return interdict.ListUK, true
	}
	return "", false
}

var fileDate = regexp.MustCompile(`(\d{4}-\d{2}-\d{2}|\d{4}-\d{2})`)

// Parse reads the copy. It returns an error when a file has not the
// expected header or more than MaxRows rows.
func Parse(list string, files []source.File) (*source.Result, error) {
	if list == "" {
		list = interdict.ListUK
	}
	r := &source.Result{List: list, Format: FormatName, Publisher: Publisher}
	for _, f := range files {
		if err := parseFile(r, f); err != nil {
			return nil, err
		}
	}
	r.Finish()
	return r, nil
}

func parseFile(r *source.Result, f source.File) error {
	date := fileDate.FindString(f.Name)
	if len(date) == 10 && date > r.Published {
		r.Published = date
	}
	note := "UK list, from an unofficial copy"
	if date != "" {
		note += " dated " + date
	}
	note += " (" + Aggregator + ")"
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(f.Data, bom)))
	cr.FieldsPerRecord = -1
	got, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: read header: %w", f.Name, err)
	}
	if strings.Join(got, ",") != strings.Join(header, ",") {
		return fmt.Errorf("%s: header %q, want %q", f.Name, strings.Join(got, ","), strings.Join(header, ","))
	}
	for rows := 0; ; rows++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if rows >= MaxRows {
			return fmt.Errorf("%s: more than %d rows", f.Name, MaxRows)
		}
		r.Report.Records++
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line, err = pe.StartLine, pe.Err
			}
			r.Skip(&source.ParseError{List: r.List, File: f.Name, Line: line, Err: err})
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			r.Skip(&source.ParseError{List: r.List, File: f.Name, Line: line, Err: fmt.Errorf("%d fields, want %d", len(rec), len(header))})
			continue
		}
		e, ok := entity(r, f, line, rec)
		if !ok {
			continue
		}
		e.AddAttribute(interdict.AttrUnofficialCopy, note)
		r.Entities = append(r.Entities, e)
	}
}

// ID returns the entity source ID of a row: "flat-" and the first 16 hex
// digits of the SHA-256 of its fields joined by a zero byte.
func ID(rec []string) string {
	sum := sha256.Sum256([]byte(strings.Join(rec, "\x00")))
	return "flat-" + hex.EncodeToString(sum[:8])
}

func entity(r *source.Result, f source.File, line int, rec []string) (interdict.Entity, bool) {
	name, alias, nat, desig, regime := rec[0], rec[1], rec[2], rec[3], rec[4]
	id := ID(rec)
	where := func(field string, err error) *source.ParseError {
		return &source.ParseError{List: r.List, File: f.Name, Line: line, Record: id, Field: field, Err: err}
	}
	e := interdict.Entity{ID: interdict.EntityID(r.List, id), SourceID: id, SourceURL: ListURL, Kind: interdict.KindUnknown}
	n, ok := source.NewName(name, interdict.NamePrimary)
	if !ok {
		r.Skip(where("Name", errors.New("row has no name")))
		return e, false
	}
	n.Quality = interdict.NamePrimary
	e.Names = append(e.Names, n)
	for _, a := range strings.Split(alias, ",") {
		a = source.CleanSpace(a)
		if letters(a) < 3 {
			continue
		}
		if an, ok := source.NewName(a, interdict.NameStrong); ok {
			source.AddName(&e, an)
		}
	}
	// The copy gives most people a family name alone ("HAQQANI",
	// "ABDULLAH"), and it keeps no alias quality: see
	// source.WeighCopyNames. A name of two words with no word of an
	// organisation's name (a legal form or a generic word) is a part of a
	// person's name too, often the given names of a Korean whose family
	// name the copy dropped ("KYONG IL", "JA HYONG", "HO-JIN"): weak like a
	// one-word name. A weak name still alerts when a query spells it; only
	// a partial likeness stays below.
	source.WeighCopyNames(&e, fragment)
	for _, c := range strings.Split(nat, ",") {
		c = source.CleanSpace(c)
		if c == "" {
			continue
		}
		code, ok := country.Resolve(c)
		if !ok {
			r.Warn(where("Nationality", fmt.Errorf("unknown country %q", c)))
			continue
		}
		e.Countries = source.AppendUnique(e.Countries, code)
	}
	if d := source.CleanSpace(desig); d != "" {
		e.Titles = append(e.Titles, d)
	}
	if p := source.CleanSpace(regime); p != "" {
		e.Programs = append(e.Programs, p)
	}
	return e, true
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// fragment reports whether a name of the copy may be a part of a person's
// name: one word, or two words none of which is a legal form or a generic
// word of organisations' names.
func fragment(name string) bool {
	vs := normalize.Parse(name, normalize.AnyParty)
	if len(vs) == 0 {
		return false
	}
	toks := vs[0].Tokens
	if len(toks) > 2 {
		return false
	}
	for _, t := range toks {
		if t.Class == normalize.ClassLegalForm || t.Class == normalize.ClassGeneric || t.Class == normalize.ClassNumber {
			return false
		}
	}
	return true
}
