// Package dpl reads the Denied Persons List (DPL) of the US Department of
// Commerce, Bureau of Industry and Security (format "bis-dpl"): a
// tab-separated text file with quoted fields and the header Name,
// Street_Address, City, State, Country, Postal_Code, Effective_Date,
// Expiration_Date, Standard_Order, Last_Update, Action, FR_Citation.
//
// The file has one row per denial order and address, no record identifier
// and no person/organization flag. The package therefore:
//
//   - groups rows into one entity per name. The ID is derived from the name:
//     upper case, spaces collapsed, every run of other characters than
//     letters and digits turned into "-" ("bis-dpl:AARON-ABRAHAM-VILLA").
//     Raw spellings that give the same ID ("AL-NASER  AIRLINES" and "AL
//     NASER AIRLINES") are one entity with both spellings as names. The ID
//     is stable while BIS spells the name the same way.
//   - sets Kind to organization only when the name holds an unambiguous
//     legal form or company word (LTD, LLC, INC, CORP, GMBH, CO., S.A.,
//     COMPANY, TRADING, AIRLINES, ...; see orgWords), and to
//     interdict.KindUnknown otherwise: most DPL names are people, but the
//     list does not say so, and a wrong "person" would hide an entity.
//   - adds both sides of "X A/K/A Y" and "X D/B/A Y" names as strong names.
//   - keeps every address, and every distinct order (effective and
//     expiration date, standard order, last update, action, Federal
//     Register citation) as a remark, with the distinct values also in
//     Attributes. ListedOn is the earliest effective date.
//
// Countries are ISO alpha-2 codes already; "PRC" is read as CN, and codes
// that are not countries (the state "NM" in the country column) are kept in
// Address.CountryName with a warning. Dates are MM/DD/YYYY (effective,
// expiration) or YYYY-MM-DD (last update); an implausible year such as 3033
// is kept as written with a warning. The file states no publication date:
// Result.Published is inferred as the latest plausible Last_Update.
package dpl

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/source"
)

// Publisher is the publisher of the Denied Persons List.
const Publisher = "US Department of Commerce, Bureau of Industry and Security"

// SourceURL is the page of the Denied Persons List.
const SourceURL = "https://www.bis.gov/dpl"

// Formats are the DPL formats this package reads.
var Formats = []source.Format{{Name: "bis-dpl", Detect: detect, Parse: parse}}

var bom = []byte("\xef\xbb\xbf")

func detect(name string, head []byte) (string, bool) {
	head = bytes.TrimPrefix(head, bom)
	if bytes.HasPrefix(head, []byte("\"Name\"\t\"Street_Address\"")) || bytes.HasPrefix(head, []byte("Name\tStreet_Address")) {
		return interdict.ListBISDPL, true
	}
	return "", false
}

// countryAliases are country column values that are not ISO codes.
var countryAliases = map[string]string{"PRC": "CN"}

// columns are the columns the parser reads; Name is required.
var columns = []string{"Name", "Street_Address", "City", "State", "Country", "Postal_Code", "Effective_Date",
	"Expiration_Date", "Standard_Order", "Last_Update", "Action", "FR_Citation"}

// ID returns the DPL source id derived from a name: upper case, and every run
// of characters other than letters and digits replaced by one "-", without
// leading or trailing "-". It returns "" for a name without letters or digits.
func ID(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToUpper(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return b.String()
}

type parser struct {
	res       *source.Result
	file      string
	index     map[string]int
	published string
}

func parse(list string, files []source.File) (*source.Result, error) {
	p := &parser{res: &source.Result{List: list, Format: "bis-dpl", Publisher: Publisher}, index: map[string]int{}}
	for _, f := range files {
		p.file = f.Name
		if err := p.read(f); err != nil {
			return nil, err
		}
	}
	for i := range p.res.Entities {
		finishEntity(&p.res.Entities[i])
	}
	p.res.Published = p.published
	p.res.Finish()
	return p.res, nil
}

func (p *parser) perr(line int, rec, field string, err error) *source.ParseError {
	return &source.ParseError{List: p.res.List, File: p.file, Line: line, Record: rec, Field: field, Err: err}
}

func (p *parser) read(f source.File) error {
	if err := source.CheckEnd(p.res.List, f); err != nil {
		return err
	}
	rd := csv.NewReader(bytes.NewReader(source.DecodeText(p.res, p.res.List, f)))
	rd.Comma = '\t'
	rd.FieldsPerRecord = -1
	rd.LazyQuotes = true
	header, err := rd.Read()
	if err != nil {
		return fmt.Errorf("read dpl %s: header: %w", f.Name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	if _, ok := col["Name"]; !ok {
		return fmt.Errorf("read dpl %s: header has no Name column", f.Name)
	}
	for {
		row, err := rd.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := rd.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			p.res.Report.Records++
			p.res.Skip(p.perr(line, "", "", fmt.Errorf("unreadable record: %w", err)))
			continue
		}
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		p.res.Report.Records++
		if name, err := source.CheckFields(header, row, "", "Name"); err != nil {
			p.res.Skip(p.perr(line, "", name, err))
			continue
		}
		rec := map[string]string{}
		for _, c := range columns {
			if i, ok := col[c]; ok && i < len(row) {
				rec[c] = source.CleanSpace(row[i])
			}
		}
		if len(row) != len(header) {
			p.res.Warn(p.perr(line, ID(rec["Name"]), "", fmt.Errorf("record has %d fields, header %d", len(row), len(header))))
		}
		p.add(rec, line)
	}
}

func (p *parser) add(rec map[string]string, line int) {
	name := rec["Name"]
	id := ID(name)
	if id == "" {
		p.res.Skip(p.perr(line, "", "Name", fmt.Errorf("record has no name")))
		return
	}
	i, ok := p.index[id]
	if !ok {
		i = len(p.res.Entities)
		p.index[id] = i
		p.res.Entities = append(p.res.Entities, interdict.Entity{
			ID: interdict.EntityID(p.res.List, id), SourceID: id, SourceURL: SourceURL,
			Kind: interdict.KindUnknown, Programs: []string{"DPL"},
		})
	}
	e := &p.res.Entities[i]
	warn := func(field string, err error) { p.res.Warn(p.perr(line, id, field, err)) }

	q := interdict.NamePrimary
	if len(e.Names) > 0 {
		q = interdict.NameStrong
	}
	if n, ok := source.NewName(name, q); ok {
		source.AddName(e, n)
	}
	// "FUYI SUN A/K/A FRANK SUN", "SIBERIAN AIRLINES D/B/A S7 AIRLINES":
	// each side is also a name.
	if up := strings.ToUpper(name); len(up) == len(name) {
		for _, sep := range []string{" A/K/A ", " D/B/A "} {
			if i := strings.Index(up, sep); i >= 0 {
				for _, part := range []string{name[:i], name[i+len(sep):]} {
					if n, ok := source.NewName(part, interdict.NameStrong); ok {
						source.AddName(e, n)
					}
				}
			}
		}
	}
	if isOrganization(name) {
		e.Kind = interdict.KindOrganization
	}

	// The address of this row.
	ad := interdict.Address{Street: rec["Street_Address"], City: rec["City"], Region: rec["State"], PostalCode: rec["Postal_Code"]}
	if c := rec["Country"]; c != "" {
		if cc, ok := countryAliases[strings.ToUpper(c)]; ok {
			ad.Country, ad.CountryName = cc, c
		} else if cc := country.Code(c); cc != "" && len(c) == 2 {
			ad.Country = cc
		} else if cc != "" {
			ad.Country, ad.CountryName = cc, c
		} else {
			ad.CountryName = c
			warn("Country", fmt.Errorf("unknown country code %q", c))
		}
	}
	var parts []string
	for _, s := range []string{ad.Street, ad.City, ad.Region, ad.PostalCode, ad.CountryName} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if ad.CountryName == "" && ad.Country != "" {
		parts = append(parts, ad.Country)
	}
	if len(parts) > 0 {
		ad.Full = strings.Join(parts, ", ")
		dup := false
		for _, have := range e.Addresses {
			if have == ad {
				dup = true
			}
		}
		if !dup {
			e.Addresses = append(e.Addresses, ad)
		}
	}

	// The order of this row.
	eff := p.date(rec["Effective_Date"], "Effective_Date", warn)
	exp := p.date(rec["Expiration_Date"], "Expiration_Date", warn)
	upd := p.date(rec["Last_Update"], "Last_Update", warn)
	if eff.ok && (e.ListedOn == "" || eff.iso < e.ListedOn) {
		e.ListedOn = eff.iso
	}
	if upd.ok && upd.iso > p.published {
		p.published = upd.iso
	}
	addUnique(e, "effective_date", eff.text)
	addUnique(e, "expiration_date", exp.text)
	addUnique(e, "last_update", upd.text)
	addUnique(e, "standard_order", rec["Standard_Order"])
	addUnique(e, "action", rec["Action"])
	addUnique(e, "fr_citation", rec["FR_Citation"])

	var b strings.Builder
	b.WriteString("Denial order")
	if eff.text != "" {
		b.WriteString(" effective " + eff.text)
	}
	if exp.text != "" {
		b.WriteString(", expires " + exp.text)
	}
	if so := rec["Standard_Order"]; so != "" {
		b.WriteString(", standard order " + strings.ToUpper(so))
	}
	if upd.text != "" {
		b.WriteString("; last update " + upd.text)
	}
	if a := rec["Action"]; a != "" {
		b.WriteString(": " + a)
	}
	if fr := rec["FR_Citation"]; fr != "" {
		b.WriteString(" (" + fr + ")")
	}
	e.Remarks = source.AppendUnique(e.Remarks, b.String())
}

// dateValue is a DPL date: ISO when it could be read, else the raw text.
type dateValue struct {
	text, iso string
	ok        bool
}

func (p *parser) date(raw, field string, warn func(string, error)) dateValue {
	if raw == "" {
		return dateValue{}
	}
	d, err := source.ParseDate(interdict.DateOther, raw, source.MonthFirst)
	if err != nil || d.Precision != interdict.PrecisionDay {
		if err == nil {
			err = fmt.Errorf("date %q is not a day", raw)
		}
		warn(field, fmt.Errorf("%w; kept as written", err))
		return dateValue{text: raw}
	}
	return dateValue{text: d.From, iso: d.From, ok: true}
}

func addUnique(e *interdict.Entity, key, v string) {
	if v == "" {
		return
	}
	if e.Attributes == nil {
		e.Attributes = map[string][]string{}
	}
	e.Attributes[key] = source.AppendUnique(e.Attributes[key], v)
}

// finishEntity sorts the per-order attributes so that an entity does not
// change when BIS reorders its rows.
func finishEntity(e *interdict.Entity) {
	for _, vs := range e.Attributes {
		sort.Strings(vs)
	}
	sort.Strings(e.Remarks)
}

// orgWords are legal forms and company words that mark a DPL name as an
// organization. Dotted forms are matched with their dots removed, so "S.A."
// matches "SA"; two-letter forms are only taken when written with dots.
var orgWords = map[string]bool{
	"LTD": true, "LIMITED": true, "LLC": true, "INC": true, "INCORPORATED": true, "CORP": true,
	"CORPORATION": true, "CO": true, "COMPANY": true, "GMBH": true, "SARL": true, "SRL": true,
	"PLC": true, "LLP": true, "OOO": true, "ZAO": true, "OAO": true, "JSC": true, "PJSC": true, "FZE": true,
	"FZCO": true, "FZC": true, "PTE": true, "BHD": true, "KG": true, "SPA": true,
	"TRADING": true, "AIRLINES": true, "AIRLINE": true, "AIRWAYS": true, "ENTERPRISES": true, "ENTERPRISE": true,
	"INDUSTRIES": true, "INDUSTRIAL": true, "HOLDINGS": true, "HOLDING": true, "TECHNOLOGIES": true,
	"TECHNOLOGY": true, "ELECTRONICS": true, "SERVICES": true, "SYSTEMS": true, "GROUP": true,
	"INTERNATIONAL": true, "ESTABLISHMENT": true, "SHIPPING": true, "AVIATION": true, "LOGISTICS": true,
	"EXPORT": true, "EXPORTS": true, "IMPORT": true, "IMPORTS": true, "AEROSPACE": true, "ENGINEERING": true,
	"MANUFACTURING": true, "SUPPLY": true, "SUPPLIES": true, "LABORATORIES": true, "INSTITUTE": true,
}

// dotted are short forms counted only when written with dots.
var dotted = map[string]bool{"SA": true, "BV": true, "NV": true, "SL": true, "AG": true, "SAS": true, "LC": true}

// isOrganization reports whether a DPL name holds an unambiguous legal form
// or company word.
func isOrganization(name string) bool {
	for _, tok := range strings.FieldsFunc(strings.ToUpper(name), func(r rune) bool {
		return r == ' ' || r == ',' || r == '(' || r == ')' || r == '/' || r == '&'
	}) {
		bare := strings.ReplaceAll(tok, ".", "")
		if orgWords[bare] {
			return true
		}
		if dotted[bare] && strings.Contains(tok, ".") {
			return true
		}
	}
	return false
}
