// Package dfat reads the Consolidated List of the Australian Department of
// Foreign Affairs and Trade (DFAT): the official XLSX workbook
// (regulation8_consolidated.xlsx) of persons and entities designated under
// Australian autonomous sanctions and the UN Security Council regimes that
// Australia implements.
//
// The sheet has one row per name. Rows are grouped by Reference: "2" is a
// record's primary name and "2a", "2b", ... (and, for long lists, "34c1")
// its other names, each row repeating the record's other columns. The entity
// ID is "au:<base reference>", the leading digits of Reference, which DFAT
// keeps for the life of a listing. Name Type says which name a row holds:
// "Primary Name", "aka", "Original Script", and rarely "Formerly known as";
// the text has inconsistent case and trailing spaces.
//
// Dates of birth are Excel serial days, bare years, or free text ("a) 1 Jan.
// 1960 b) Approximately 1963"); Control Date is an Excel serial day. The
// workbook states no publication date; Result.Published is the latest Control
// Date, the date of the newest change.
package dfat

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
)

// FormatName is the name of the DFAT workbook format.
const FormatName = "au-xlsx"

// Publisher is the publisher of the list.
const Publisher = "Australian Department of Foreign Affairs and Trade"

// SourceURL is the page the consolidated list is published on.
const SourceURL = "https://www.dfat.gov.au/international-relations/security/sanctions/consolidated-list"

// Formats are the formats this package reads.
var Formats = []source.Format{{Name: FormatName, Detect: Detect, Parse: Parse}}

// Detect reports whether a file is the DFAT consolidated list workbook. The
// header row sits compressed inside the ZIP container, so Detect goes by the
// name DFAT publishes ("regulation8_consolidated.xlsx") or names that say
// "dfat" or "australia", plus the ZIP signature; Parse checks the header.
func Detect(name string, head []byte) (string, bool) {
	if !strings.HasSuffix(name, ".xlsx") || !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return "", false
	}
	if !strings.Contains(name, "regulation8") && !strings.Contains(name, "dfat") && !strings.Contains(name, "australia") {
		return "", false
	}
	return interdict.ListAU, true
}

// Column names in the header row, lower case.
const (
	colReference   = "reference"
	colName        = "name of individual or entity"
	colType        = "type"
	colNameType    = "name type"
	colDOB         = "date of birth"
	colPOB         = "place of birth"
	colCitizenship = "citizenship"
	colAddress     = "address"
	colInfo        = "additional information"
	colListing     = "listing information"
	colCommittees  = "committees"
	colControlDate = "control date"
)

// record collects the rows of one reference.
type record struct {
	e       interdict.Entity
	line    int
	primary bool
	seen    map[string]bool // column + "\x00" + raw value already read
}

// Parse reads DFAT consolidated list workbooks.
func Parse(list string, files []source.File) (*source.Result, error) {
	if list == "" {
		list = interdict.ListAU
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

type parser struct {
	r     *source.Result
	file  string
	col   map[string]int
	names []string // header names by column
	recs  map[string]*record
	order []string
}

func parseFile(r *source.Result, f source.File) error {
	rows, err := readRows(f)
	if err != nil {
		return err
	}
	return parseRows(r, f.Name, rows)
}

// MaxExpanded bounds the bytes a DFAT workbook's parts may expand to, in all.
const MaxExpanded = 128 << 20

// readRows reads the first sheet of a workbook as rows of raw cell values
// (dates stay Excel serial numbers).
func readRows(f source.File) (out [][]string, err error) {
	// excelize is a large third-party reader; a malformed workbook must
	// not take the import down with it.
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("read %s: malformed workbook: %v", f.Name, p)
		}
	}()
	x, err := excelize.OpenReader(bytes.NewReader(f.Data), excelize.Options{
		// The real workbook expands to about 5 MiB; a shared-strings or
		// sheet part of gigabytes is a bomb, refused before it is read.
		UnzipSizeLimit:    MaxExpanded,
		UnzipXMLSizeLimit: 16 << 20,
	})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", f.Name, err)
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("read %s: workbook has no sheet", f.Name)
	}
	rows, err := x.Rows(sheets[0])
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Name, err)
	}
	defer rows.Close()
	for rows.Next() {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("read %s: row %d: %w", f.Name, len(out)+1, err)
		}
		out = append(out, cols)
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Name, err)
	}
	return out, nil
}

// ParseRows reads the rows of a DFAT consolidated list sheet, header
// included, as read from file. Parse uses it after reading the workbook; it
// is exported for tests and fuzzing of the row mapping on its own.
func ParseRows(list, file string, rows [][]string) (*source.Result, error) {
	if list == "" {
		list = interdict.ListAU
	}
	r := &source.Result{List: list, Format: FormatName, Publisher: Publisher}
	if err := parseRows(r, file, rows); err != nil {
		return nil, err
	}
	r.Finish()
	return r, nil
}

func parseRows(r *source.Result, file string, rows [][]string) error {
	p := &parser{r: r, file: file, recs: map[string]*record{}}
	for i, cols := range rows {
		line := i + 1
		if p.col == nil {
			if blank(cols) {
				continue
			}
			if err := p.header(cols); err != nil {
				return fmt.Errorf("read %s: row %d: %w", file, line, err)
			}
			continue
		}
		if blank(cols) {
			continue
		}
		r.Report.Records++
		p.row(line, cols)
	}
	if p.col == nil {
		return fmt.Errorf("read %s: no header row", file)
	}
	for _, ref := range p.order {
		rec := p.recs[ref]
		if !rec.primary {
			p.r.Warn(&source.ParseError{List: r.List, File: file, Line: rec.line, Record: ref, Field: "Name Type",
				Err: errors.New("reference has no Primary Name row; its first name is used")})
			if len(rec.e.Names) > 0 {
				rec.e.Names[0].Quality = interdict.NamePrimary
			}
		}
		if rec.e.Kind == "" {
			rec.e.Kind = interdict.KindUnknown
		}
		r.Entities = append(r.Entities, rec.e)
	}
	return nil
}

func blank(cols []string) bool {
	for _, c := range cols {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func (p *parser) header(cols []string) error {
	p.col = map[string]int{}
	p.names = make([]string, len(cols))
	for i, c := range cols {
		k := strings.ToLower(source.CleanSpace(c))
		p.names[i] = source.CleanSpace(c)
		if k != "" {
			if _, dup := p.col[k]; !dup {
				p.col[k] = i
			}
		}
	}
	for _, need := range []string{colReference, colName, colNameType} {
		if _, ok := p.col[need]; !ok {
			return fmt.Errorf("header has no %q column: not a DFAT consolidated list", need)
		}
	}
	return nil
}

func (p *parser) get(cols []string, name string) string {
	i, ok := p.col[name]
	if !ok || i >= len(cols) {
		return ""
	}
	return cols[i]
}

// baseRef returns the leading digits of a Reference ("34c1" → "34").
func baseRef(ref string) string {
	ref = strings.TrimSpace(ref)
	i := 0
	for i < len(ref) && ref[i] >= '0' && ref[i] <= '9' {
		i++
	}
	return ref[:i]
}

func (p *parser) row(line int, cols []string) {
	rawRef := source.CleanSpace(p.get(cols, colReference))
	ref := baseRef(rawRef)
	if ref == "" {
		p.r.Skip(&source.ParseError{List: p.r.List, File: p.file, Line: line, Record: rawRef, Field: "Reference",
			Err: fmt.Errorf("reference %q does not start with a number", rawRef)})
		return
	}
	perr := func(field string, err error) *source.ParseError {
		return &source.ParseError{List: p.r.List, File: p.file, Line: line, Record: rawRef, Field: field, Err: err}
	}
	rec := p.recs[ref]
	if rec == nil {
		rec = &record{line: line, seen: map[string]bool{}}
		rec.e = interdict.Entity{ID: interdict.EntityID(p.r.List, ref), SourceID: ref, SourceURL: SourceURL}
		p.recs[ref] = rec
		p.order = append(p.order, ref)
	}
	e := &rec.e

	// Type: Individual or Entity.
	if t := source.CleanSpace(p.get(cols, colType)); t != "" {
		k, ok := interdict.ParseKind(t)
		if !ok {
			p.r.Warn(perr("Type", fmt.Errorf("unknown type %q", t)))
			k = interdict.KindUnknown
		}
		switch {
		case e.Kind == "":
			e.Kind = k
		case e.Kind != k:
			p.r.Warn(perr("Type", fmt.Errorf("type %q differs from the reference's other rows (%s)", t, e.Kind)))
		}
	}

	// Name.
	nameType := strings.ToLower(source.CleanSpace(p.get(cols, colNameType)))
	q := interdict.NameStrong
	switch nameType {
	case "primary name":
		q = interdict.NamePrimary
	case "aka", "a.k.a.", "also known as":
	case "original script":
		q = interdict.NameOriginal
	case "formerly known as", "previously listed as", "fka", "f.k.a.":
		q = interdict.NameFormer
	default:
		p.r.Warn(perr("Name Type", fmt.Errorf("unknown name type %q, read as an alias", nameType)))
	}
	n, ok := source.NewName(p.get(cols, colName), q)
	switch {
	case !ok:
		p.r.Warn(perr("Name of Individual or Entity", errors.New("row has no name")))
	case q == interdict.NamePrimary && rec.primary:
		p.r.Warn(perr("Name Type", fmt.Errorf("second Primary Name %q, read as an alias", n.Full)))
		n.Quality = interdict.NameStrong
		source.AddName(e, n)
	case q == interdict.NamePrimary:
		rec.primary = true
		// The primary name goes first, whatever the row order.
		e.Names = append([]interdict.Name{n}, removeName(e.Names, n.Full)...)
	default:
		source.AddName(e, n)
	}

	// The other columns repeat the record's data on every row; each distinct
	// value is read once.
	for i, v := range cols {
		if i >= len(p.names) {
			break
		}
		k := strings.ToLower(p.names[i])
		switch k {
		case colReference, colName, colType, colNameType:
			continue
		}
		v = strings.TrimSpace(v)
		if isNull(v) || rec.seen[k+"\x00"+v] {
			continue
		}
		rec.seen[k+"\x00"+v] = true
		p.field(e, k, p.names[i], v, perr)
	}
}

func removeName(ns []interdict.Name, full string) []interdict.Name {
	out := ns[:0]
	for _, n := range ns {
		if !strings.EqualFold(n.Full, full) {
			out = append(out, n)
		}
	}
	return out
}

func (p *parser) field(e *interdict.Entity, key, label, v string, perr func(string, error) *source.ParseError) {
	switch key {
	case colDOB:
		typ := interdict.DateBirth
		if e.Kind == interdict.KindOrganization {
			typ = interdict.DateOther
		}
		for _, d := range parseDates(typ, v) {
			if d.err != nil {
				p.r.Warn(perr(label, d.err))
			}
			e.Dates = appendDate(e.Dates, d.date)
		}
	case colPOB:
		for _, s := range splitList(v) {
			e.BirthPlaces = appendPlace(e.BirthPlaces, interdict.Place{Text: s, Country: placeCountry(s)})
		}
	case colCitizenship:
		codes, unresolved := citizenships(v)
		e.Citizenships = source.AppendUnique(e.Citizenships, codes...)
		if unresolved {
			e.AddAttribute("citizenship", source.CleanSpace(v))
		}
	case colAddress:
		for _, s := range splitList(v) {
			a := interdict.Address{Full: s, Country: placeCountry(s)}
			if a.Country == "" {
				a.CountryName = lastPart(s)
			}
			e.Addresses = append(e.Addresses, a)
		}
	case colInfo:
		e.Remarks = source.AppendUnique(e.Remarks, source.CleanSpace(v))
		for _, imo := range imoNumbers(v) {
			e.Identifiers = appendID(e.Identifiers, interdict.Identifier{Type: interdict.IDIMO, Label: "IMO number", Value: imo})
		}
	case colListing:
		v = source.CleanSpace(v)
		e.AddAttribute("listing_information", v)
		if d := listedOn(v); d != "" && (e.ListedOn == "" || d < e.ListedOn) {
			e.ListedOn = d
		}
	case colCommittees:
		e.Programs = source.AppendUnique(e.Programs, source.CleanSpace(v))
	case colControlDate:
		d, err := excelOrText(interdict.DateOther, v)
		if err != nil || d.Precision != interdict.PrecisionDay {
			if err == nil {
				err = fmt.Errorf("control date %q: not a day", v)
			}
			p.r.Warn(perr(label, err))
			e.AddAttribute("control_date", v)
			return
		}
		e.AddAttribute("control_date", d.From)
		if d.From > p.r.Published {
			p.r.Published = d.From
		}
	default:
		// Columns DFAT adds later ("Instrument of Designation") are kept.
		e.AddAttribute(strings.ReplaceAll(key, " ", "_"), source.CleanSpace(v))
	}
}

func appendDate(ds []interdict.Date, d interdict.Date) []interdict.Date {
	for _, have := range ds {
		if have == d {
			return ds
		}
	}
	return append(ds, d)
}

func appendPlace(ps []interdict.Place, p interdict.Place) []interdict.Place {
	for _, have := range ps {
		if have == p {
			return ps
		}
	}
	return append(ps, p)
}

func appendID(ids []interdict.Identifier, id interdict.Identifier) []interdict.Identifier {
	for _, have := range ids {
		if have == id {
			return ids
		}
	}
	return append(ids, id)
}

// imoNumbers finds "IMO number: 5878561" and "IMO: 5878561" in free text.
func imoNumbers(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "IMO")
		if i < 0 {
			return out
		}
		s = s[i+3:]
		j := 0
		for j < len(s) && j < 16 && (s[j] < '0' || s[j] > '9') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k-j == 7 {
			out = source.AppendUnique(out, s[j:k])
		}
		s = s[k:]
	}
}

// listedOn finds the first listing date in Listing Information: "Listed on
// 24 Sep. 2014", "Listed by UN 1267 Committee on 25 January 2001",
// "Designated under the ... Regulations 2011 on 2 March 2012".
func listedOn(s string) string {
	lower := strings.ToLower(s)
	if !strings.Contains(lower, "listed") && !strings.Contains(lower, "designated") {
		return ""
	}
	i := strings.Index(lower, " on")
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(s[i+3:], ": ")
	f := strings.Fields(rest)
	for n := 3; n >= 1; n-- {
		if len(f) < n {
			continue
		}
		cand := strings.TrimRight(strings.Join(f[:n], " "), ".,;)")
		if d, err := source.ParseDate(interdict.DateOther, cand, source.DayFirst); err == nil && d.Precision == interdict.PrecisionDay {
			return d.From
		}
	}
	return ""
}
