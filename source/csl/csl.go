package csl

import (
	"fmt"
	"reflect"
	"strings"
	"unicode"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/source"
)

// Publisher is the publisher of the Consolidated Screening List.
const Publisher = "US Department of Commerce, International Trade Administration"

// Formats are the CSL formats this package reads: the bulk CSV and the JSON
// of the trade.gov API or bulk download.
var Formats = []source.Format{
	{Name: "csl-csv", Detect: detectCSV, Parse: parseCSV},
	{Name: "csl-json", Detect: detectJSON, Parse: parseJSON},
}

// record is one CSL row as both formats give it, before mapping.
type record struct {
	id, source, entityNumber, typ string
	programs                      []string
	name, title                   string
	addresses                     []address
	frn, start, end               string
	standardOrder                 string
	licReq, licPolicy             string
	callSign, vesselType          string
	grossTonnage, grossRegTonnage string
	vesselFlag, vesselOwner       string
	remarks                       string
	sourceListURL, sourceInfoURL  string
	altNames                      []string
	citizenships, nationalities   []string
	datesOfBirth, placesOfBirth   []string
	countries                     []string
	ids                           []ident
}

// address is one CSL address: Full as the CSV writes it, or the JSON parts.
type address struct {
	full                                 string
	street, city, state, postal, country string
}

// ident is one entry of the CSL ids field. date is a lone date of a CSV
// entry, which may be the issue or the expiry date.
type ident struct {
	country, expiration, issue, date, number, typ string
}

// treasuryNonSDN are the Treasury sub-lists whose _id is the OFAC entity
// number shared with the SDN list; their IDs are prefixed with the code.
var treasuryNonSDN = map[string]bool{"SSI": true, "PLC": true, "CMIC": true, "CAP": true, "NS-MBS": true, "FSE": true}

// sourceCode returns the short code of a CSL source name: the text in its
// first parentheses without a trailing " List" ("Non-SDN Menu-Based
// Sanctions List (NS-MBS List) - Treasury Department" → "NS-MBS"), or the
// name itself when it has none.
func sourceCode(s string) string {
	s = source.CleanSpace(s)
	i := strings.IndexByte(s, '(')
	if i < 0 {
		return s
	}
	j := strings.IndexByte(s[i:], ')')
	if j < 0 {
		return s
	}
	code := strings.TrimSpace(strings.TrimSuffix(s[i+1:i+j], " List"))
	if code == "" {
		return s
	}
	return code
}

// sourceID returns the list's own id for a record (see the package doc).
func sourceID(rec *record, code string) string {
	id := strings.TrimSpace(rec.id)
	if id == "" {
		return ""
	}
	if treasuryNonSDN[code] || (code != "SDN" && strings.Contains(rec.source, "Treasury")) {
		return code + "-" + id
	}
	return id
}

// builder maps records to entities and merges rows that share an ID.
type builder struct {
	res   *source.Result
	file  string
	index map[string]int
}

func newBuilder(res *source.Result) *builder {
	return &builder{res: res, index: map[string]int{}}
}

func (b *builder) perr(line int, rec, field string, err error) *source.ParseError {
	return &source.ParseError{List: b.res.List, File: b.file, Line: line, Record: rec, Field: field, Err: err}
}

// add maps rec (read at line, or record number for JSON) and adds it.
func (b *builder) add(rec *record, line int) {
	b.res.Report.Records++
	code := sourceCode(rec.source)
	sid := sourceID(rec, code)
	if sid == "" {
		b.res.Skip(b.perr(line, "", "_id", fmt.Errorf("record %s has no id", source.Prefix(source.CleanSpace(rec.name)))))
		return
	}
	e, ok := b.entity(rec, code, sid, line)
	if !ok {
		return
	}
	if i, dup := b.index[e.ID]; dup {
		b.res.Warn(b.perr(line, sid, "_id", fmt.Errorf("record %s listed again on %s; rows merged", sid, code)))
		merge(&b.res.Entities[i], &e)
		return
	}
	b.index[e.ID] = len(b.res.Entities)
	b.res.Entities = append(b.res.Entities, e)
}

func (b *builder) entity(rec *record, code, sid string, line int) (interdict.Entity, bool) {
	e := interdict.Entity{ID: interdict.EntityID(interdict.ListCSL, sid), SourceID: sid}
	warn := func(field string, err error) { b.res.Warn(b.perr(line, sid, field, err)) }

	kind, ok := interdict.ParseKind(rec.typ)
	if !ok && strings.TrimSpace(rec.typ) != "" {
		warn("type", fmt.Errorf("unknown type %q", rec.typ))
	}
	e.Kind = kind

	n, ok := source.NewName(rec.name, interdict.NamePrimary)
	if !ok {
		b.res.Skip(b.perr(line, sid, "name", fmt.Errorf("record has no name")))
		return e, false
	}
	if kind == interdict.KindPerson {
		n.Parts = nameParts(n.Full)
	}
	e.Names = append(e.Names, n)
	for _, a := range rec.altNames {
		if n, ok := source.NewName(a, aliasQuality(a)); ok {
			if kind == interdict.KindPerson {
				n.Parts = nameParts(n.Full)
			}
			source.AddName(&e, n)
		}
	}

	e.AddAttribute("source_list", code)
	e.AddAttribute("source", source.CleanSpace(rec.source))
	for _, p := range rec.programs {
		e.Programs = source.AppendUnique(e.Programs, source.CleanSpace(p))
	}
	if len(e.Programs) == 0 {
		e.Programs = []string{code}
	}
	e.AddAttribute("entity_number", rec.entityNumber)

	for _, t := range splitMulti(rec.title) {
		e.Titles = source.AppendUnique(e.Titles, t)
	}
	for _, a := range rec.addresses {
		if ad, ok := mapAddress(a); ok {
			if ad.Country == "" && ad.CountryName != "" {
				warn("addresses", fmt.Errorf("unknown country %q", ad.CountryName))
			}
			e.Addresses = appendAddress(e.Addresses, ad)
		}
	}
	for _, c := range rec.countries {
		if cc := country.Code(c); cc != "" {
			e.Countries = source.AppendUnique(e.Countries, cc)
		} else if !source.IsNull(c) {
			warn("country", fmt.Errorf("unknown country %q", c))
		}
	}
	e.Nationalities = b.codes(rec.nationalities, "nationalities", warn)
	e.Citizenships = b.codes(rec.citizenships, "citizenships", warn)
	for _, d := range rec.datesOfBirth {
		if source.IsNull(d) {
			continue
		}
		dt, err := source.ParseDate(interdict.DateBirth, d, source.MonthFirst)
		if err != nil {
			warn("dates_of_birth", err)
			dt = interdict.Date{Type: interdict.DateBirth, Raw: strings.TrimSpace(d)}
		}
		e.Dates = append(e.Dates, dt)
	}
	for _, p := range rec.placesOfBirth {
		p = source.CleanSpace(p)
		if source.IsNull(p) {
			continue
		}
		last := p
		if i := strings.LastIndex(p, ", "); i >= 0 {
			last = p[i+2:]
		}
		e.BirthPlaces = append(e.BirthPlaces, interdict.Place{Text: p, Country: country.Code(last)})
	}

	// Listing: start_date is the date of listing (BIS, ITAR), end_date the
	// end of a denial order.
	if s := strings.TrimSpace(rec.start); s != "" {
		if d, err := source.ParseDate(interdict.DateOther, s, source.MonthFirst); err == nil && d.Precision == interdict.PrecisionDay {
			e.ListedOn = d.From
		} else {
			warn("start_date", fmt.Errorf("start date %q not read; kept as attribute", s))
			e.AddAttribute("start_date", s)
		}
	}
	if s := strings.TrimSpace(rec.end); s != "" {
		if _, err := source.ParseDate(interdict.DateOther, s, source.MonthFirst); err != nil {
			warn("end_date", err)
		}
		e.AddAttribute("end_date", s)
	}
	e.AddAttribute("federal_register_notice", source.CleanSpace(rec.frn))
	e.AddAttribute("standard_order", rec.standardOrder)
	e.AddAttribute("license_requirement", source.CleanSpace(rec.licReq))
	e.AddAttribute("license_policy", source.CleanSpace(rec.licPolicy))
	e.AddAttribute("source_list_url", rec.sourceListURL)
	e.SourceURL = strings.TrimSpace(rec.sourceInfoURL)

	// Vessels and aircraft.
	if cs := source.CleanSpace(rec.callSign); !source.IsNull(cs) {
		e.Identifiers = append(e.Identifiers, interdict.Identifier{Type: interdict.IDCallSign, Label: "Call Sign", Value: cs})
	}
	e.AddAttribute("vessel_type", rec.vesselType)
	e.AddAttribute("gross_tonnage", rec.grossTonnage)
	e.AddAttribute("gross_registered_tonnage", rec.grossRegTonnage)
	e.AddAttribute("vessel_owner", rec.vesselOwner)
	if f := source.CleanSpace(rec.vesselFlag); !source.IsNull(f) && f != "None Identified" {
		e.AddAttribute("vessel_flag", f)
		if cc := country.Code(f); cc != "" {
			e.Countries = source.AppendUnique(e.Countries, cc)
		} else {
			warn("vessel_flag", fmt.Errorf("unknown country %q", f))
		}
	} else if f != "" {
		e.AddAttribute("vessel_flag", f)
	}

	for _, id := range rec.ids {
		b.mapIdent(&e, id, warn)
	}

	if r := source.CleanSpace(rec.remarks); r != "" {
		e.Remarks = append(e.Remarks, r)
		e.Relations = linkedTo(r)
	}
	return e, true
}

func (b *builder) codes(vs []string, field string, warn func(string, error)) []string {
	var out []string
	for _, v := range vs {
		if source.IsNull(v) {
			continue
		}
		if cc := country.Code(v); cc != "" {
			out = source.AppendUnique(out, cc)
		} else {
			warn(field, fmt.Errorf("unknown country %q", v))
		}
	}
	return out
}

// nameParts splits an OFAC-style "FAMILY, Given" name of a person.
func nameParts(full string) []interdict.NamePart {
	fam, given, ok := strings.Cut(full, ", ")
	if !ok || strings.Contains(given, ",") || fam == "" || given == "" {
		return nil
	}
	return []interdict.NamePart{{Type: interdict.PartGiven, Value: given}, {Type: interdict.PartFamily, Value: fam}}
}

// mapAddress turns a CSL address into an interdict.Address. Both formats
// give Full (the JSON parts joined as the CSV joins them) and the country
// resolved from the last part.
func mapAddress(a address) (interdict.Address, bool) {
	full := source.CleanSpace(a.full)
	if full == "" {
		var parts []string
		for _, p := range []string{a.street, a.city, a.state, a.postal, a.country} {
			if p = source.CleanSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		full = strings.Join(parts, ", ")
	}
	if source.IsNull(full) {
		return interdict.Address{}, false
	}
	ad := interdict.Address{Full: full}
	last := full
	if i := strings.LastIndex(full, ", "); i >= 0 {
		last = full[i+2:]
	}
	if len(last) == 2 && strings.ToUpper(last) == last {
		// An ISO code, as the CSL writes countries.
		if cc := country.Code(last); cc != "" {
			ad.Country = cc
		} else {
			ad.CountryName = last
		}
	} else if cc := country.Code(last); cc != "" && !hasDigit(last) {
		// A country written out ("Turkey").
		ad.Country, ad.CountryName = cc, last
	}
	return ad, true
}

func hasDigit(s string) bool {
	return strings.ContainsAny(s, "0123456789")
}

func appendAddress(list []interdict.Address, a interdict.Address) []interdict.Address {
	for _, have := range list {
		if have == a {
			return list
		}
	}
	return append(list, a)
}

// linkedTo reads OFAC's "(Linked To: NAME)" mentions from remarks. Names may
// hold parentheses ("ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE").
func linkedTo(remarks string) []interdict.Relation {
	const marker = "Linked To: "
	var rels []interdict.Relation
	s := remarks
	for {
		i := strings.Index(s, marker)
		if i < 0 {
			return rels
		}
		s = s[i+len(marker):]
		depth, end := 0, len(s)
	scan:
		for j := 0; j < len(s); j++ {
			switch s[j] {
			case '(':
				depth++
			case ')':
				if depth == 0 {
					end = j
					break scan
				}
				depth--
			case ';':
				if depth == 0 {
					end = j
					break scan
				}
			}
		}
		name := strings.TrimSuffix(strings.TrimSpace(s[:end]), ".")
		if name != "" {
			rel := interdict.Relation{Type: interdict.RelLinkedTo, TargetName: name}
			dup := false
			for _, r := range rels {
				if r == rel {
					dup = true
				}
			}
			if !dup {
				rels = append(rels, rel)
			}
		}
		s = s[end:]
	}
}

// splitMulti splits a CSV multi-value ("a; b") into trimmed non-null values.
func splitMulti(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, "; ") {
		if p = source.CleanSpace(p); !source.IsNull(p) {
			out = append(out, p)
		}
	}
	return out
}

// merge adds what src has and dst lacks. It is used for rows that repeat an
// ID, which in practice are copies of each other.
func merge(dst, src *interdict.Entity) {
	for _, n := range src.Names {
		source.AddName(dst, n)
	}
	dst.Identifiers = mergeSlice(dst.Identifiers, src.Identifiers)
	dst.Addresses = mergeSlice(dst.Addresses, src.Addresses)
	dst.Dates = mergeSlice(dst.Dates, src.Dates)
	dst.BirthPlaces = mergeSlice(dst.BirthPlaces, src.BirthPlaces)
	dst.Relations = mergeSlice(dst.Relations, src.Relations)
	dst.Nationalities = source.AppendUnique(dst.Nationalities, src.Nationalities...)
	dst.Citizenships = source.AppendUnique(dst.Citizenships, src.Citizenships...)
	dst.Countries = source.AppendUnique(dst.Countries, src.Countries...)
	dst.Titles = source.AppendUnique(dst.Titles, src.Titles...)
	dst.Programs = source.AppendUnique(dst.Programs, src.Programs...)
	dst.Remarks = source.AppendUnique(dst.Remarks, src.Remarks...)
	if dst.Kind == interdict.KindUnknown {
		dst.Kind = src.Kind
	}
	if dst.Gender == "" {
		dst.Gender = src.Gender
	}
	if dst.ListedOn == "" {
		dst.ListedOn = src.ListedOn
	}
	if dst.SourceURL == "" {
		dst.SourceURL = src.SourceURL
	}
	for k, vs := range src.Attributes {
		if dst.Attributes == nil {
			dst.Attributes = map[string][]string{}
		}
		dst.Attributes[k] = source.AppendUnique(dst.Attributes[k], vs...)
	}
}

func mergeSlice[T any](dst, src []T) []T {
	for _, v := range src {
		dup := false
		for _, have := range dst {
			if reflect.DeepEqual(have, v) {
				dup = true
				break
			}
		}
		if !dup {
			dst = append(dst, v)
		}
	}
	return dst
}

// aliasQuality grades an alias of the CSL's alt_names. The CSL gives no
// quality, and its alias field is split on semicolons, which leaves
// fragments that name nothing alone: a connective ("and" of "...; and
// Beijing ...") or one or two characters ("Al", a nickname "07"). OFAC marks
// such aliases of the SDN records the CSL copies as weak (low quality), and
// so are they here; every other alias is strong.
func aliasQuality(a string) interdict.NameQuality {
	n := 0
	for _, r := range a {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	switch strings.ToLower(strings.TrimSpace(a)) {
	case "and", "or", "the", "of", "&":
		return interdict.NameWeak
	}
	if n < 3 {
		return interdict.NameWeak
	}
	return interdict.NameStrong
}
