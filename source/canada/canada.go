// Package canada reads the Consolidated Canadian Autonomous Sanctions List
// published by Global Affairs Canada: the XML file of sanctions imposed under
// the Special Economic Measures Act (SEMA) and the Justice for Victims of
// Corrupt Foreign Officials Act (JVCFOA).
//
// The file is a flat <data-set> of <record> elements with the children
// Country, LastName, GivenName, EntityOrShip, TitleOrShip, ShipIMONumber,
// Aliases, DateOfBirthOrShipBuildDate, Schedule, Item and DateOfListing.
// Country names the sanctions regime ("Russia / Russie", "Justice for Victims
// of Corrupt Foreign Officials Regulations (JVCFOR) / ..."), bilingually.
//
// Records carry no identifier. A record is identified by its place in the
// regulations: regime, schedule and item number, which together are unique
// in the published file and do not change when other records are added or
// repealed. The entity ID is "ca:<regime>-<schedule>-<item>", where regime is
// the ISO alpha-2 code of the regime country when it has one ("RU") or a slug
// of its English name ("jvcfor", "hamas-terrorist-attacks"), and schedule is
// a slug of Schedule ("1, Part 1" → "1-part-1"), left out when the record has
// no Schedule: "ca:RU-1-part-1-123", "ca:VE-12".
//
// The file states no publication date; Result.Published is the latest
// DateOfListing, which is the date of the newest listing and so a lower bound
// of the publication date.
package canada

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/source"
)

// FormatName is the name of the Canadian XML format.
const FormatName = "ca-xml"

// Publisher is the publisher of the list.
const Publisher = "Global Affairs Canada"

// SourceURL is the page the consolidated list is published on.
const SourceURL = "https://www.international.gc.ca/world-monde/international_relations-relations_internationales/sanctions/consolidated-consolide.aspx"

// Formats are the formats this package reads.
var Formats = []source.Format{{Name: FormatName, Detect: Detect, Parse: Parse}}

// Detect reports whether a file is the Canadian consolidated list XML: a
// <data-set> root holding <record> elements with Country and Item children.
func Detect(name string, head []byte) (string, bool) {
	if !bytes.Contains(head, []byte("<data-set")) || !bytes.Contains(head, []byte("<record")) {
		return "", false
	}
	if !bytes.Contains(head, []byte("<Country>")) {
		return "", false
	}
	if !bytes.Contains(head, []byte("<Item>")) && !bytes.Contains(head, []byte("<DateOfListing>")) {
		return "", false
	}
	return interdict.ListCA, true
}

// record is one <record> element.
type record struct {
	Country      string     `xml:"Country"`
	LastName     string     `xml:"LastName"`
	GivenName    string     `xml:"GivenName"`
	EntityOrShip string     `xml:"EntityOrShip"`
	TitleOrShip  string     `xml:"TitleOrShip"`
	IMO          string     `xml:"ShipIMONumber"`
	Aliases      string     `xml:"Aliases"`
	Date         string     `xml:"DateOfBirthOrShipBuildDate"`
	Schedule     string     `xml:"Schedule"`
	Item         string     `xml:"Item"`
	Listed       string     `xml:"DateOfListing"`
	Other        []anyField `xml:",any"`
}

// anyField keeps an element the format does not (yet) define.
type anyField struct {
	XMLName xml.Name
	Value   string `xml:",chardata"`
}

// Parse reads Canadian consolidated list XML files.
func Parse(list string, files []source.File) (*source.Result, error) {
	if list == "" {
		list = interdict.ListCA
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
	dec := xml.NewDecoder(bytes.NewReader(f.Data))
	root := false
	for {
		line, _ := dec.InputPos()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", f.Name, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !root {
			if se.Name.Local != "data-set" {
				return fmt.Errorf("read %s: root element <%s>, want <data-set>", f.Name, se.Name.Local)
			}
			root = true
			continue
		}
		if se.Name.Local != "record" {
			if err := dec.Skip(); err != nil {
				return fmt.Errorf("read %s: %w", f.Name, err)
			}
			continue
		}
		var rec record
		if err := dec.DecodeElement(&rec, &se); err != nil {
			return fmt.Errorf("read %s: record at line %d: %w", f.Name, line, err)
		}
		r.Report.Records++
		// line is where the <record> start tag is.
		e, ok := toEntity(r, f.Name, line, &rec)
		if !ok {
			continue
		}
		if e.ListedOn > r.Published {
			r.Published = e.ListedOn
		}
		r.Entities = append(r.Entities, e)
	}
	if !root {
		return fmt.Errorf("read %s: no <data-set> element", f.Name)
	}
	return nil
}

func toEntity(r *source.Result, file string, line int, rec *record) (interdict.Entity, bool) {
	perr := func(field string, err error) *source.ParseError {
		return &source.ParseError{List: r.List, File: file, Line: line, Field: field, Err: err}
	}
	regime := source.CleanSpace(rec.Country)
	item := source.CleanSpace(rec.Item)
	if item == "" {
		r.Skip(perr("Item", errors.New("record has no item number, so no identifier")))
		return interdict.Entity{}, false
	}
	code := country.Code(regime)
	regimeID := code
	if regimeID == "" {
		regimeID = strings.ToLower(regimeSlug(regime))
	}
	if regimeID == "" {
		r.Skip(perr("Country", errors.New("record has no regime (Country), so no identifier")))
		return interdict.Entity{}, false
	}
	id := regimeID
	if s := slug(rec.Schedule); s != "" {
		id += "-" + s
	}
	id += "-" + item
	e := interdict.Entity{
		ID:        interdict.EntityID(r.List, id),
		SourceID:  id,
		SourceURL: SourceURL,
	}
	perr = func(field string, err error) *source.ParseError {
		return &source.ParseError{List: r.List, File: file, Line: line, Record: id, Field: field, Err: err}
	}

	last, given := source.CleanSpace(rec.LastName), source.CleanSpace(rec.GivenName)
	entity := source.CleanSpace(rec.EntityOrShip)
	imo := source.CleanSpace(rec.IMO)
	switch {
	case last != "" || given != "":
		e.Kind = interdict.KindPerson
	case imo != "":
		e.Kind = interdict.KindVessel
	default:
		e.Kind = interdict.KindOrganization
	}

	// Names.
	if e.Kind == interdict.KindPerson {
		full := strings.TrimSpace(given + " " + last)
		if n, ok := source.NewName(full, interdict.NamePrimary); ok {
			if given != "" {
				n.Parts = append(n.Parts, interdict.NamePart{Type: interdict.PartGiven, Value: given})
			}
			if last != "" {
				n.Parts = append(n.Parts, interdict.NamePart{Type: interdict.PartFamily, Value: last})
			}
			e.Names = append(e.Names, n)
		}
		if entity != "" {
			// Not seen in the data: a person record that also names an entity.
			if n, ok := source.NewName(entity, interdict.NameStrong); ok {
				source.AddName(&e, n)
			}
		}
	} else if n, ok := source.NewName(entity, interdict.NamePrimary); ok {
		e.Names = append(e.Names, n)
	}
	for _, a := range splitAliases(rec.Aliases, e.Kind == interdict.KindPerson) {
		if n, ok := source.NewName(a.name, interdict.NameStrong); ok {
			n.Lang = a.lang
			source.AddName(&e, n)
		}
	}

	// Title or, for ships, vessel type.
	if t := source.CleanSpace(rec.TitleOrShip); t != "" {
		if e.Kind == interdict.KindVessel {
			e.AddAttribute("vessel_type", t)
		} else {
			e.Titles = source.AppendUnique(e.Titles, t)
		}
	}
	if imo != "" {
		e.Identifiers = append(e.Identifiers, interdict.Identifier{Type: interdict.IDIMO, Label: "ShipIMONumber", Value: imo})
	}

	// DateOfBirthOrShipBuildDate: a build date for ships, a birth date for
	// persons. Organisations have none in the data; treat one as "other".
	if raw := source.CleanSpace(rec.Date); raw != "" {
		typ := interdict.DateBirth
		switch e.Kind {
		case interdict.KindVessel:
			typ = interdict.DateBuild
		case interdict.KindOrganization:
			typ = interdict.DateOther
		}
		for _, d := range parseDates(typ, raw) {
			if d.err != nil {
				r.Warn(perr("DateOfBirthOrShipBuildDate", d.err))
			}
			e.Dates = append(e.Dates, d.date)
		}
	}

	// Regime.
	if regime != "" {
		e.Programs = append(e.Programs, "CA-"+regimeSlug(regime))
		e.AddAttribute("regime", regime)
		if code != "" {
			e.Countries = append(e.Countries, code)
		}
	}
	e.AddAttribute("schedule", source.CleanSpace(rec.Schedule))
	e.AddAttribute("item", item)
	if raw := source.CleanSpace(rec.Listed); raw != "" {
		d, err := source.ParseDate(interdict.DateOther, raw, source.DayFirst)
		if err != nil || d.Precision != interdict.PrecisionDay {
			if err == nil {
				err = fmt.Errorf("date %q: not a day", raw)
			}
			r.Warn(perr("DateOfListing", err))
			e.AddAttribute("date_of_listing", raw)
		} else {
			e.ListedOn = d.From
		}
	}
	for _, o := range rec.Other {
		e.AddAttribute(o.XMLName.Local, source.CleanSpace(o.Value))
	}
	return e, true
}

// slug lower-cases s and joins its runs of letters, digits and dots with
// "-": "1, Part 1.1" → "1-part-1.1".
func slug(s string) string {
	var b strings.Builder
	sep := false
	for _, c := range strings.ToLower(s) {
		if unicode.IsLetter(c) || unicode.IsDigit(c) || c == '.' {
			if sep && b.Len() > 0 {
				b.WriteByte('-')
			}
			sep = false
			b.WriteRune(c)
		} else {
			sep = true
		}
	}
	return strings.Trim(b.String(), ".-")
}

// regimeSlug names a regime from the English half of the Country element,
// upper-case: "Russia / Russie" → "RUSSIA", "Myanmar (Burma) / ..." →
// "MYANMAR", "Justice for Victims ... (JVCFOR) / ..." → "JVCFOR",
// "Hamas Terrorist Attacks / ..." → "HAMAS-TERRORIST-ATTACKS".
func regimeSlug(s string) string {
	en, _, _ := strings.Cut(s, " / ")
	en = strings.TrimSpace(en)
	// An acronym in parentheses names the regime.
	var plain strings.Builder
	for {
		i := strings.IndexByte(en, '(')
		if i < 0 {
			plain.WriteString(en)
			break
		}
		j := strings.IndexByte(en[i:], ')')
		if j < 0 {
			plain.WriteString(en)
			break
		}
		inner := en[i+1 : i+j]
		if isAcronym(inner) {
			return inner
		}
		plain.WriteString(en[:i])
		en = en[i+j+1:]
	}
	return strings.ToUpper(slug(plain.String()))
}

func isAcronym(s string) bool {
	if len(s) < 2 {
		return false
	}
	for _, c := range s {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}
