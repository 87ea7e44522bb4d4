// Package pakote reads the EU entries of a third party's flattened
// aggregate of the EU Financial Sanctions Files, UN and OFAC lists (format
// "eu-derived-json", the all.json of haverisenosku/pakote_data): one JSON
// object {"metadata": {"generated", "total", "by_source"}, "entities":
// [{"name", "type", "aliases", "birthdates", "identifiers": [{"type",
// "number", "country"}], "source": ["EU", "UN", ...], "source_id"}]}.
//
// It is a derived copy, not the publisher's file (Format.Derived): it is
// imported as list eu until an official FSF file replaces it. Only the
// entries whose source names the EU are read, one entity each, with the ID
// "eu:" + source_id, the FSF logicalId, so that the official file's
// records have the same IDs. The UN and OFAC entries are left out (those
// lists are read from their publishers' files) and counted in a warning.
// Every entity carries the attribute interdict.AttrUnofficialCopy ("EU
// list, from an unofficial copy dated 2026-01-28"), shown with each hit.
//
// The copy keeps no addresses, programmes, nationalities or UN reference
// numbers. Identifier types are the FSF codes (passport, regnumber,
// fiscalcode, imo, swiftbic, ...); the country "00" means none. A birth
// date is YYYY-MM-DD; a date that is not is kept in the remarks with a
// warning.
package pakote

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/source"
)

// Aggregator names the third party that built the copy.
const Aggregator = "haverisenosku/pakote_data"

// Publisher is the publisher of the list the copy is taken from.
const Publisher = "European Commission (unofficial copy by " + Aggregator + ")"

// ListURL is the page of the official Financial Sanctions Files.
const ListURL = "https://webgate.ec.europa.eu/fsd/fsf"

// MaxEntities bounds the entities of one file.
const MaxEntities = 200_000

// FormatName names the format.
const FormatName = "eu-derived-json"

// Formats are the formats this package reads.
var Formats = []source.Format{{Name: FormatName, Detect: Detect, Parse: Parse, Derived: true}}

// Detect recognises the aggregate by its content: a JSON object whose
// metadata counts entities by_source before the entities.
func Detect(name string, head []byte) (string, bool) {
	h := bytes.TrimSpace(head)
	if len(h) == 0 || h[0] != '{' {
		return "", false
	}
	if bytes.Contains(h, []byte(`"metadata"`)) && bytes.Contains(h, []byte(`"by_source"`)) &&
		bytes.Contains(h, []byte(`"entities"`)) && bytes.Contains(h, []byte(`"source_id"`)) {
		return interdict.ListEU, true
	}
	return "", false
}

type file struct {
	Metadata struct {
		Generated string         `json:"generated"`
		Total     int            `json:"total"`
		BySource  map[string]int `json:"by_source"`
	} `json:"metadata"`
	Entities []record `json:"entities"`
}

type record struct {
	Name        string       `json:"name"`
	Type        string       `json:"type"`
	Aliases     []string     `json:"aliases"`
	Birthdates  []string     `json:"birthdates"`
	Identifiers []identifier `json:"identifiers"`
	Source      []string     `json:"source"`
	SourceID    string       `json:"source_id"`
}

type identifier struct {
	Type    *string `json:"type"`
	Number  string  `json:"number"`
	Country string  `json:"country"`
}

// Parse reads the EU entries of the aggregate. It returns an error when a
// file is not such an aggregate (not JSON, no metadata date, too many
// entities).
func Parse(list string, files []source.File) (*source.Result, error) {
	if list == "" {
		list = interdict.ListEU
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
	var doc file
	if err := json.Unmarshal(f.Data, &doc); err != nil {
		return fmt.Errorf("%s: not an aggregate of the lists: %w", f.Name, err)
	}
	if len(doc.Entities) > MaxEntities {
		return fmt.Errorf("%s: %d entities, more than the limit of %d", f.Name, len(doc.Entities), MaxEntities)
	}
	gen, err := time.Parse(time.RFC3339Nano, strings.Replace(doc.Metadata.Generated, " ", "T", 1))
	if err != nil {
		return fmt.Errorf("%s: field metadata.generated: %q is no date: %w", f.Name, doc.Metadata.Generated, err)
	}
	if d := gen.UTC().Format(time.DateOnly); d > r.Published {
		r.Published = d
	}
	note := "EU list, from an unofficial copy dated " + gen.UTC().Format(time.DateOnly) + " (" + Aggregator + ")"
	others := map[string]int{}
	for i, rec := range doc.Entities {
		if !hasSource(rec.Source, "EU") {
			for _, s := range rec.Source {
				others[s]++
			}
			continue
		}
		r.Report.Records++
		e, ok := entity(r, f, i, rec)
		if !ok {
			continue
		}
		e.AddAttribute(interdict.AttrUnofficialCopy, note)
		r.Entities = append(r.Entities, e)
	}
	if len(others) > 0 {
		var parts []string
		for _, s := range []string{"UN", "OFAC"} {
			if others[s] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", others[s], s))
				delete(others, s)
			}
		}
		for s, n := range others {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
		r.Warn(&source.ParseError{List: r.List, File: f.Name, Field: "source",
			Err: fmt.Errorf("entries of other lists not read as EU entries (their lists are read from the publishers' files): %s", strings.Join(parts, ", "))})
	}
	return nil
}

func hasSource(ss []string, s string) bool {
	for _, v := range ss {
		if strings.EqualFold(strings.TrimSpace(v), s) {
			return true
		}
	}
	return false
}

// entity maps one record; ok is false when it was skipped (and reported).
func entity(r *source.Result, f source.File, i int, rec record) (interdict.Entity, bool) {
	id := strings.TrimSpace(rec.SourceID)
	where := func(field string, err error) *source.ParseError {
		return &source.ParseError{List: r.List, File: f.Name, Record: id, Field: field, Err: err}
	}
	if id == "" {
		r.Skip(where("source_id", fmt.Errorf("entry %d (%q) has no source_id", i+1, rec.Name)))
		return interdict.Entity{}, false
	}
	e := interdict.Entity{ID: interdict.EntityID(r.List, id), SourceID: id, SourceURL: ListURL}
	switch strings.ToLower(strings.TrimSpace(rec.Type)) {
	case "individual", "person":
		e.Kind = interdict.KindPerson
	case "entity", "enterprise", "organisation", "organization":
		e.Kind = interdict.KindOrganization
	default:
		e.Kind = interdict.KindUnknown
		r.Warn(where("type", fmt.Errorf("unknown type %q, kept as unknown", rec.Type)))
	}
	if n, ok := source.NewName(rec.Name, interdict.NamePrimary); ok {
		e.Names = append(e.Names, n)
	}
	for _, a := range rec.Aliases {
		if n, ok := source.NewName(a, interdict.NameStrong); ok {
			source.AddName(&e, n)
		}
	}
	if len(e.Names) == 0 {
		r.Skip(where("name", fmt.Errorf("entry %d has no name", i+1)))
		return interdict.Entity{}, false
	}
	if e.Names[0].Quality != interdict.NamePrimary {
		e.Names[0].Quality = interdict.NamePrimary
	}
	// The copy's name is the FSF's first alias, in whatever script: a
	// Latin alias is the display name, the other an original-script name.
	if s := e.Names[0].Script; s != "" && s != "Latn" {
		for j := 1; j < len(e.Names); j++ {
			if e.Names[j].Script == "Latn" {
				e.Names[0].Quality, e.Names[j].Quality = interdict.NameOriginal, interdict.NamePrimary
				e.Names[0], e.Names[j] = e.Names[j], e.Names[0]
				break
			}
		}
	}
	// The copy keeps neither the FSF's name languages nor its alias
	// quality: every name of every language comes as an alias like any
	// other (see source.WeighCopyNames).
	source.WeighCopyNames(&e, nil)
	for _, b := range rec.Birthdates {
		t, err := time.Parse(time.DateOnly, strings.TrimSpace(b))
		if err != nil {
			r.Warn(where("birthdates", fmt.Errorf("%q is no YYYY-MM-DD date; kept in the remarks", b)))
			e.Remarks = append(e.Remarks, "Born "+b)
			continue
		}
		e.Dates = append(e.Dates, source.DayDate(interdict.DateBirth, t.Year(), t.Month(), t.Day(), b))
	}
	for _, idf := range rec.Identifiers {
		v := source.CleanSpace(idf.Number)
		if v == "" {
			continue
		}
		label := ""
		if idf.Type != nil {
			label = *idf.Type
		}
		x := interdict.Identifier{Type: idType(label), Label: label, Value: v}
		if c := strings.TrimSpace(idf.Country); c != "" && c != "00" {
			if code, ok := country.Resolve(c); ok {
				x.Country = code
			} else {
				r.Warn(where("identifiers.country", fmt.Errorf("unknown country %q of identifier %s", c, v)))
			}
		}
		e.Identifiers = append(e.Identifiers, x)
	}
	return e, true
}

// idType maps the FSF identification type codes to identifier types.
func idType(code string) interdict.IdentifierType {
	switch strings.ToLower(strings.TrimSpace(code)) {
	case "passport":
		return interdict.IDPassport
	case "id", "national identification number", "nationcert", "ssn", "unssn":
		return interdict.IDNational
	case "regnumber":
		return interdict.IDRegistration
	case "fiscalcode", "taxid", "euvat":
		return interdict.IDTax
	case "imo":
		return interdict.IDIMO
	case "swiftbic":
		return interdict.IDBIC
	}
	return interdict.IDOther
}
