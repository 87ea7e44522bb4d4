// Package un reads the UN Security Council Consolidated List in its XML
// format (root element CONSOLIDATED_LIST, schema sc-sanctions.xsd) into
// interdict entities.
//
// Each INDIVIDUAL and ENTITY becomes one entity whose ID is "un:" followed by
// the record's REFERENCE_NUMBER ("un:QDi.430"), the permanent reference the
// Security Council committees publish; DATAID is a database key that is used
// only when a record lacks its reference number. Names, aliases with their
// QUALITY (Good, Low, a.k.a., f.k.a.), the original-script name, dates and
// places of birth, documents, addresses, nationalities, designations, titles,
// the regime (UN_LIST_TYPE) and the listing date are mapped to the common
// model; reference numbers cited in COMMENTS1 ("(CDi.015)") become relations.
package un

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/source"
)

// Publisher names the body that publishes the list.
const Publisher = "United Nations Security Council"

// ListURL is where the Security Council publishes the consolidated list as
// XML. The list has no per-record pages, so every entity links here.
const ListURL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"

// Formats are the formats this package reads: the consolidated list XML.
var Formats = []source.Format{
	{Name: "un-xml", Detect: Detect, Parse: Parse},
}

// Detect reports whether a file is the UN consolidated list XML: its root
// element is CONSOLIDATED_LIST.
func Detect(name string, head []byte) (string, bool) {
	if source.RootElement(head) != "CONSOLIDATED_LIST" {
		return "", false
	}
	return interdict.ListUN, true
}

// Parse reads UN consolidated list files. It returns an error only when a
// file is not well-formed XML or has no CONSOLIDATED_LIST root.
func Parse(list string, files []source.File) (*source.Result, error) {
	if list == "" {
		list = interdict.ListUN
	}
	r := &source.Result{List: list, Format: "un-xml", Publisher: Publisher}
	for _, f := range files {
		if err := parseFile(r, f); err != nil {
			return nil, err
		}
	}
	resolveRelations(r.Entities)
	r.Finish()
	return r, nil
}

func parseFile(r *source.Result, f source.File) error {
	d := source.NewXMLDecoder(f.Data)
	rootSeen := false
	fail := func(err error) error {
		line, _ := d.InputPos()
		return &source.ParseError{List: r.List, File: f.Name, Line: line, Err: fmt.Errorf("read xml: %w", err)}
	}
	for {
		tok, err := d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return fail(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "CONSOLIDATED_LIST":
			rootSeen = true
			for _, a := range se.Attr {
				if a.Name.Local == "dateGenerated" {
					if p := publishedDate(a.Value); p > r.Published {
						r.Published = p
					}
				}
			}
		case "INDIVIDUAL", "ENTITY":
			if !rootSeen {
				return fail(fmt.Errorf("%s outside CONSOLIDATED_LIST", se.Name.Local))
			}
			n, err := source.ReadNode(d, se)
			if err != nil {
				return fail(err)
			}
			r.Report.Records++
			if e, ok := readRecord(r, f.Name, n); ok {
				r.Entities = append(r.Entities, e)
			}
		default:
			if !rootSeen {
				return fail(fmt.Errorf("root element is %s, not CONSOLIDATED_LIST", se.Name.Local))
			}
		}
	}
	if !rootSeen {
		return &source.ParseError{List: r.List, File: f.Name, Err: errors.New("no CONSOLIDATED_LIST element")}
	}
	return nil
}

// publishedDate returns the YYYY-MM-DD part of an ISO timestamp, or "".
func publishedDate(s string) string {
	s = strings.TrimSpace(s)
	if len(s) < 10 {
		return ""
	}
	d, err := source.ParseDate(interdict.DateOther, s[:10], source.DayFirst)
	if err != nil || d.Precision != interdict.PrecisionDay {
		return ""
	}
	return d.From
}

// stripZone drops the time-zone offset that xs:date values may carry
// ("2015-04-07-04:00", "2015-04-07Z").
func stripZone(s string) string {
	if len(s) > 10 && s[4] == '-' && s[7] == '-' && (s[10] == '-' || s[10] == '+' || s[10] == 'Z') {
		return s[:10]
	}
	return s
}

// recordCtx carries what issue reports about one record need.
type recordCtx struct {
	r    *source.Result
	file string
	id   string
}

func (c *recordCtx) warn(line int, field string, err error) {
	c.r.Warn(&source.ParseError{List: c.r.List, File: c.file, Line: line, Record: c.id, Field: field, Err: err})
}

// readRecord maps one INDIVIDUAL or ENTITY. It reports and returns false for
// a record that cannot be used.
func readRecord(r *source.Result, file string, n *source.Node) (interdict.Entity, bool) {
	c := &recordCtx{r: r, file: file}
	person := n.Name == "INDIVIDUAL"
	e := interdict.Entity{Kind: interdict.KindOrganization, SourceURL: ListURL}
	if person {
		e.Kind = interdict.KindPerson
	}
	ref := n.Get("REFERENCE_NUMBER")
	dataID := n.Get("DATAID")
	switch {
	case ref != "":
		e.SourceID = ref
	case dataID != "":
		e.SourceID = dataID
		c.id = dataID
		c.warn(n.Line, "REFERENCE_NUMBER", fmt.Errorf("record has no reference number; DATAID %s used as its id", dataID))
	default:
		r.Skip(&source.ParseError{List: r.List, File: file, Line: n.Line, Field: "REFERENCE_NUMBER", Err: errors.New("record has neither REFERENCE_NUMBER nor DATAID")})
		return e, false
	}
	c.id = e.SourceID
	e.ID = interdict.EntityID(r.List, e.SourceID)

	readNames(c, n, &e, person)
	if len(e.Names) == 0 {
		r.Skip(&source.ParseError{List: r.List, File: file, Line: n.Line, Record: e.SourceID, Field: "FIRST_NAME", Err: errors.New("record has no name")})
		return e, false
	}

	e.Programs = source.AppendUnique(e.Programs, n.Get("UN_LIST_TYPE"))
	if s := n.Get("LISTED_ON"); s != "" {
		if d, err := source.ParseDate(interdict.DateOther, stripZone(s), source.DayFirst); err == nil && d.Precision == interdict.PrecisionDay {
			e.ListedOn = d.From
		} else {
			c.warn(n.Line, "LISTED_ON", fmt.Errorf("listing date %q not read", s))
			e.AddAttribute("listed_on", s)
		}
	}
	switch strings.ToLower(n.Get("GENDER")) {
	case "male":
		e.Gender = "male"
	case "female":
		e.Gender = "female"
	case "":
	default:
		e.AddAttribute("gender", n.Get("GENDER"))
	}
	e.Titles = source.AppendUnique(e.Titles, n.Values("TITLE")...)
	e.Titles = source.AppendUnique(e.Titles, n.Values("DESIGNATION")...)
	for _, v := range n.Values("NATIONALITY") {
		if code := country.Code(v); code != "" {
			e.Nationalities = source.AppendUnique(e.Nationalities, code)
		} else if !source.IsNull(v) {
			e.AddAttribute("nationality", v)
			c.warn(n.Line, "NATIONALITY", fmt.Errorf("country %q not resolved", v))
		}
	}
	if s := n.Get("COMMENTS1"); !source.IsNull(s) {
		e.Remarks = append(e.Remarks, s)
	}
	e.AddAttribute("dataid", dataID)
	e.AddAttribute("version", n.Get("VERSIONNUM"))
	for _, v := range n.Values("LIST_TYPE") {
		e.AddAttribute("list_type", v)
	}
	for _, v := range n.Values("LAST_DAY_UPDATED") {
		e.AddAttribute("last_updated", v)
	}

	for _, a := range n.All("INDIVIDUAL_ADDRESS") {
		readAddress(c, a, &e)
	}
	for _, a := range n.All("ENTITY_ADDRESS") {
		readAddress(c, a, &e)
	}
	for _, b := range n.All("INDIVIDUAL_DATE_OF_BIRTH") {
		readBirthDate(c, b, &e)
	}
	for _, p := range n.All("INDIVIDUAL_PLACE_OF_BIRTH") {
		readBirthPlace(c, p, &e)
	}
	for _, doc := range n.All("INDIVIDUAL_DOCUMENT") {
		readDocument(c, doc, &e)
	}
	e.Relations = source.CitedUNRelations(e.SourceID, e.Remarks, "cited in comments")
	return e, true
}

// readNames maps FIRST_NAME…FOURTH_NAME, NAME_ORIGINAL_SCRIPT and the
// aliases. The UN does not say which name part is the family name (for many
// names none is), so for persons FIRST_NAME is marked given and the other
// parts other; the full name is the parts joined in order.
func readNames(c *recordCtx, n *source.Node, e *interdict.Entity, person bool) {
	tags := [...]string{"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"}
	var parts []interdict.NamePart
	var full []string
	for i, tag := range tags {
		v := n.Get(tag)
		if source.IsNull(v) {
			continue
		}
		full = append(full, v)
		typ := interdict.PartOther
		if i == 0 {
			typ = interdict.PartGiven
		}
		parts = append(parts, interdict.NamePart{Type: typ, Value: v})
	}
	if name, ok := source.NewName(strings.Join(full, " "), interdict.NamePrimary); ok {
		if person && len(parts) > 1 {
			name.Parts = parts
		}
		source.AddName(e, name)
	}
	if name, ok := source.NewName(n.Get("NAME_ORIGINAL_SCRIPT"), interdict.NameOriginal); ok {
		source.AddName(e, name)
	}
	aliases := n.All("INDIVIDUAL_ALIAS")
	aliases = append(aliases, n.All("ENTITY_ALIAS")...)
	for _, a := range aliases {
		raw := a.Get("ALIAS_NAME")
		q := interdict.NameStrong
		switch quality := strings.ToLower(a.Get("QUALITY")); quality {
		case "good", "a.k.a.", "a.k.a", "aka", "":
		case "low":
			q = interdict.NameWeak
		case "f.k.a.", "f.k.a", "fka":
			q = interdict.NameFormer
		default:
			if raw != "" {
				c.warn(a.Line, "QUALITY", fmt.Errorf("unknown alias quality %q; alias %q kept as strong", a.Get("QUALITY"), raw))
			}
		}
		name, ok := source.NewName(raw, q)
		if !ok {
			continue
		}
		source.AddName(e, name)
		if note := a.Get("NOTE"); note != "" {
			e.AddAttribute("alias_note", name.Full+": "+note)
		}
		// Some aliases carry their own date and place of birth.
		if s := a.Get("DATE_OF_BIRTH"); s != "" {
			if d, err := source.ParseDate(interdict.DateBirth, stripZone(s), source.DayFirst); err == nil {
				addDate(e, d)
			} else {
				addDate(e, interdict.Date{Type: interdict.DateBirth, Raw: s})
				c.warn(a.Line, "DATE_OF_BIRTH", err)
			}
		}
		city, ctry := a.Get("CITY_OF_BIRTH"), a.Get("COUNTRY_OF_BIRTH")
		if city != "" || ctry != "" {
			addPlace(e, interdict.Place{Text: join(", ", city, ctry), Country: country.Code(ctry)})
		}
	}
}

func readAddress(c *recordCtx, a *source.Node, e *interdict.Entity) {
	ad := interdict.Address{
		Street:     a.Get("STREET"),
		City:       a.Get("CITY"),
		Region:     a.Get("STATE_PROVINCE"),
		PostalCode: a.Get("ZIP_CODE"),
	}
	name := a.Get("COUNTRY")
	if !source.IsNull(name) {
		ad.Country = country.Code(name)
		if ad.Country == "" || country.Name(ad.Country) != name {
			ad.CountryName = name
		}
		if ad.Country == "" {
			c.warn(a.Line, "COUNTRY", fmt.Errorf("address country %q not resolved", name))
		}
	}
	ad.Full = join(", ", ad.Street, ad.City, ad.Region, ad.PostalCode, name)
	note := a.Get("NOTE")
	if ad.Full == "" {
		if note != "" {
			e.AddAttribute("address_note", note)
		}
		return
	}
	for _, have := range e.Addresses {
		if have == ad {
			return
		}
	}
	e.Addresses = append(e.Addresses, ad)
	e.Countries = source.AppendUnique(e.Countries, ad.Country)
	if note != "" {
		e.AddAttribute("address_note", ad.Full+": "+note)
	}
}

// readBirthDate maps INDIVIDUAL_DATE_OF_BIRTH: TYPE_OF_DATE EXACT (DATE or
// YEAR), APPROXIMATELY (widened by source.CircaYears) or BETWEEN
// (FROM_YEAR/TO_YEAR). A date given only in NOTE is read from the note.
func readBirthDate(c *recordCtx, b *source.Node, e *interdict.Entity) {
	typ := strings.ToUpper(b.Get("TYPE_OF_DATE"))
	date, year := b.Get("DATE"), b.Get("YEAR")
	from, to := b.Get("FROM_YEAR"), b.Get("TO_YEAR")
	note := b.Get("NOTE")
	var raw string
	switch {
	case from != "" || to != "":
		if from == "" {
			from = to
		}
		if to == "" {
			to = from
		}
		raw = from + "-" + to
	case date != "":
		raw = stripZone(date)
	case year != "":
		raw = year
	case note != "":
		raw, note = note, ""
	default:
		return // an empty placeholder
	}
	text := raw
	if typ == "APPROXIMATELY" {
		text = "circa " + raw
	}
	d, err := source.ParseDate(interdict.DateBirth, text, source.DayFirst)
	if err != nil {
		c.warn(b.Line, "INDIVIDUAL_DATE_OF_BIRTH", err)
		d = interdict.Date{Type: interdict.DateBirth, Raw: text}
	}
	if typ == "APPROXIMATELY" || typ == "BETWEEN" {
		d.Raw = typ + " " + raw
	}
	addDate(e, d)
	if note != "" {
		e.AddAttribute("birth_date_note", note)
	}
}

func readBirthPlace(c *recordCtx, p *source.Node, e *interdict.Entity) {
	name := p.Get("COUNTRY")
	text := join(", ", p.Get("STREET"), p.Get("CITY"), p.Get("STATE_PROVINCE"), name)
	if note := p.Get("NOTE"); note != "" {
		text = join(" ", text, "("+note+")")
	}
	if text == "" {
		return
	}
	pl := interdict.Place{Text: text}
	if !source.IsNull(name) {
		if pl.Country = country.Code(name); pl.Country == "" {
			c.warn(p.Line, "COUNTRY", fmt.Errorf("birth country %q not resolved", name))
		}
	}
	addPlace(e, pl)
}

// readDocument maps INDIVIDUAL_DOCUMENT. A document without a NUMBER is
// kept as a remark, since its note is all the list gives.
func readDocument(c *recordCtx, doc *source.Node, e *interdict.Entity) {
	label := doc.Get("TYPE_OF_DOCUMENT")
	label2 := doc.Get("TYPE_OF_DOCUMENT2")
	number := doc.Get("NUMBER")
	note := doc.Get("NOTE")
	if number == "" && note == "" {
		return // an empty placeholder, or a type with nothing to identify
	}
	id := interdict.Identifier{Type: documentType(label, label2), Label: label, Value: number}
	if label2 != "" && !strings.EqualFold(strings.TrimRight(label2, ": "), label) {
		id.Label = join(" ", label, "("+strings.TrimRight(label2, ": ")+")")
	}
	var notes []string
	issuer := doc.Get("ISSUING_COUNTRY")
	if issuer == "" {
		issuer = doc.Get("COUNTRY_OF_ISSUE")
	}
	if !source.IsNull(issuer) {
		if id.Country = country.Code(issuer); id.Country == "" {
			c.warn(doc.Line, "ISSUING_COUNTRY", fmt.Errorf("issuing country %q not resolved", issuer))
			notes = append(notes, "issued by "+issuer)
		}
	}
	if s := doc.Get("DATE_OF_ISSUE"); s != "" {
		notes = append(notes, "issued "+s)
	}
	if s := doc.Get("CITY_OF_ISSUE"); s != "" {
		notes = append(notes, "issued in "+s)
	}
	if note != "" {
		notes = append(notes, note)
	}
	id.Note = strings.Join(notes, "; ")
	if number == "" {
		e.Remarks = append(e.Remarks, join(": ", id.Label, id.Note))
		return
	}
	for _, have := range e.Identifiers {
		if have == id {
			return
		}
	}
	e.Identifiers = append(e.Identifiers, id)
}

// documentType maps the UN's document labels, which come in English, French
// and Spanish.
func documentType(label, label2 string) interdict.IdentifierType {
	l := strings.ToLower(label + " " + label2)
	switch {
	case strings.Contains(l, "passport"), strings.Contains(l, "passeport"), strings.Contains(l, "pasaporte"):
		return interdict.IDPassport
	case strings.Contains(l, "social security"), strings.Contains(l, "national identi"), strings.Contains(l, "identity card"), strings.Contains(l, "identification card"):
		return interdict.IDNational
	}
	return interdict.IDOther
}

func addDate(e *interdict.Entity, d interdict.Date) {
	for _, have := range e.Dates {
		if have == d {
			return
		}
	}
	e.Dates = append(e.Dates, d)
}

func addPlace(e *interdict.Entity, p interdict.Place) {
	for _, have := range e.BirthPlaces {
		if strings.EqualFold(have.Text, p.Text) {
			return
		}
	}
	e.BirthPlaces = append(e.BirthPlaces, p)
}

// join joins the non-empty values with sep.
func join(sep string, vs ...string) string {
	var b strings.Builder
	for _, v := range vs {
		if v == "" || source.IsNull(v) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(v)
	}
	return b.String()
}
