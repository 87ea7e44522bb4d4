// Package eu reads the EU Financial Sanctions Files (FSF) XML, version 1.1
// (root element export, namespace http://eu.europa.ec/fpi/fsd/export), into
// interdict entities.
//
// Each sanctionEntity becomes one entity whose ID is "eu:" followed by its
// logicalId, the record key the Commission keeps across versions of the
// file. Elements and attributes are matched by local name, so the file reads
// the same with or without its namespace. The mapping follows the 1.1 schema:
// nameAlias (wholeName and parts, strong, nameLanguage, title, function,
// gender), citizenship, birthdate (full date, day/month/year parts, circa,
// year ranges, place), identification (typed by identificationTypeCode,
// knownFalse), address (with contactInfo phone, fax, e-mail and web),
// regulation (programme, publicationUrl), remark and additionalInformation.
package eu

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

// Publisher names the body that publishes the files.
const Publisher = "European Commission"

// ListURL is the page of the Financial Sanctions Files. Records have no
// pages of their own; an entity links to the legal act that listed or last
// amended it when the file names one, and here otherwise.
const ListURL = "https://webgate.ec.europa.eu/fsd/fsf"

// Formats are the formats this package reads: the FSF XML 1.1.
var Formats = []source.Format{
	{Name: "eu-xml", Detect: Detect, Parse: Parse},
}

// Detect reports whether a file is the FSF XML: an export element in the FSF
// namespace, or one holding sanctionEntity records.
func Detect(name string, head []byte) (string, bool) {
	s := string(head)
	if !strings.Contains(s, "<export") && !strings.Contains(s, ":export") {
		return "", false
	}
	if strings.Contains(s, "fpi/fsd/export") || strings.Contains(s, "<sanctionEntity") {
		return interdict.ListEU, true
	}
	return "", false
}

// Parse reads FSF XML files. It returns an error only when a file is not
// well-formed XML or has no export root.
func Parse(list string, files []source.File) (*source.Result, error) {
	if list == "" {
		list = interdict.ListEU
	}
	r := &source.Result{List: list, Format: "eu-xml", Publisher: Publisher}
	for _, f := range files {
		if err := parseFile(r, f); err != nil {
			return nil, err
		}
	}
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
		switch {
		case !rootSeen:
			if se.Name.Local != "export" {
				return fail(fmt.Errorf("root element is %s, not export", se.Name.Local))
			}
			rootSeen = true
			for _, a := range se.Attr {
				if a.Name.Local == "generationDate" {
					if p := isoDay(a.Value); p > r.Published {
						r.Published = p
					}
				}
			}
		case se.Name.Local == "sanctionEntity":
			n, err := source.ReadNode(d, se)
			if err != nil {
				return fail(err)
			}
			r.Report.Records++
			if e, ok := readEntity(r, f.Name, n); ok {
				r.Entities = append(r.Entities, e)
			}
		}
	}
	if !rootSeen {
		return &source.ParseError{List: r.List, File: f.Name, Err: errors.New("no export element")}
	}
	return nil
}

// isoDay returns the YYYY-MM-DD date at the start of an xs:date or
// xs:dateTime value, or "" when there is none.
func isoDay(s string) string {
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

// recordCtx carries what issue reports about one record need.
type recordCtx struct {
	r    *source.Result
	file string
	id   string
}

func (c *recordCtx) warn(line int, field string, err error) {
	c.r.Warn(&source.ParseError{List: c.r.List, File: c.file, Line: line, Record: c.id, Field: field, Err: err})
}

func (c *recordCtx) skip(line int, field string, err error) {
	c.r.Skip(&source.ParseError{List: c.r.List, File: c.file, Line: line, Record: c.id, Field: field, Err: err})
}

// value returns an attribute value, or "" for the placeholders the file
// uses for unknown values ("-", "UNKNOWN", "00").
func value(n *source.Node, name string) string {
	v := n.Attr(name)
	if source.IsNull(v) {
		return ""
	}
	return v
}

func readEntity(r *source.Result, file string, n *source.Node) (interdict.Entity, bool) {
	c := &recordCtx{r: r, file: file}
	e := interdict.Entity{SourceID: n.Attr("logicalId")}
	if e.SourceID == "" {
		c.id = n.Attr("euReferenceNumber")
		c.skip(n.Line, "logicalId", errors.New("sanctionEntity has no logicalId"))
		return e, false
	}
	c.id = e.SourceID
	e.ID = interdict.EntityID(r.List, e.SourceID)

	st := n.Child("subjectType")
	code := st.Attr("code")
	if code == "" {
		code = st.Attr("classificationCode")
	}
	kind, ok := interdict.ParseKind(code)
	if !ok {
		c.warn(n.Line, "subjectType", fmt.Errorf("unknown subject type %q; kind left unknown", code))
	}
	e.Kind = kind

	readNames(c, n, &e)
	if len(e.Names) == 0 {
		c.skip(n.Line, "nameAlias", errors.New("record has no name"))
		return e, false
	}

	if s := n.Attr("designationDate"); s != "" {
		if day := isoDay(s); day != "" {
			e.ListedOn = day
		} else {
			c.warn(n.Line, "designationDate", fmt.Errorf("designation date %q not read", s))
			e.AddAttribute("designation_date", s)
		}
	}
	e.AddAttribute("eu_reference_number", n.Attr("euReferenceNumber"))
	e.AddAttribute("un_reference_number", n.Attr("unitedNationId"))
	e.AddAttribute("designation_details", n.Attr("designationDetails"))
	e.AddAttribute("delisting_date", n.Attr("delistingDate"))
	for _, rem := range n.All("remark") {
		if s := source.CleanSpace(rem.Text); s != "" {
			e.Remarks = append(e.Remarks, s)
		}
	}
	for _, ai := range n.All("additionalInformation") {
		key := ai.Attr("key")
		if key == "" {
			key = "additional_information"
		}
		e.AddAttribute(key, ai.Attr("value"))
	}
	for _, reg := range n.All("regulation") {
		readRegulation(reg, &e)
	}
	if e.SourceURL == "" {
		e.SourceURL = ListURL
	}
	for _, cz := range n.All("citizenship") {
		if code := countryOf(c, cz, "citizenship"); code != "" {
			e.Citizenships = source.AppendUnique(e.Citizenships, code)
		}
	}
	for _, b := range n.All("birthdate") {
		readBirth(c, b, &e)
	}
	for _, id := range n.All("identification") {
		readIdentification(c, id, &e)
	}
	for _, a := range n.All("address") {
		readAddress(c, a, &e)
	}
	return e, true
}

// readRegulation adds the regulation's programme and keeps its title and
// link. The first regulation's publicationUrl becomes the SourceURL.
func readRegulation(reg *source.Node, e *interdict.Entity) {
	e.Programs = source.AppendUnique(e.Programs, reg.Attr("programme"))
	url := reg.Get("publicationUrl")
	if url == "" {
		url = reg.Attr("publicationUrl")
	}
	if e.SourceURL == "" && url != "" {
		e.SourceURL = url
	}
	title := reg.Attr("numberTitle")
	if d := reg.Attr("publicationDate"); d != "" && title != "" {
		title += " of " + d
	}
	e.AddAttribute("regulation", title)
	e.AddAttribute("regulation_url", url)
}

// readNames maps the nameAlias elements. The FSF does not mark a primary
// name: the first strong Latin-script name that gives parts (firstName,
// lastName) is taken as primary, or failing that the first strong
// Latin-script name. A name is weak when strong="false" or its remark says
// "low quality".
func readNames(c *recordCtx, n *source.Node, e *interdict.Entity) {
	aliases := n.All("nameAlias")
	type cand struct {
		name  interdict.Name
		parts bool
	}
	var names []cand
	for _, a := range aliases {
		whole := value(a, "wholeName")
		first, middle, last := value(a, "firstName"), value(a, "middleName"), value(a, "lastName")
		if whole == "" {
			whole = join(" ", first, middle, last)
		}
		q := interdict.NameStrong
		if strings.EqualFold(a.Attr("strong"), "false") {
			q = interdict.NameWeak
		}
		for _, rem := range a.All("remark") {
			s := source.CleanSpace(rem.Text)
			switch l := strings.ToLower(s); {
			case s == "":
			case strings.Contains(l, "low quality"):
				q = interdict.NameWeak
			case strings.Contains(l, "good quality"), strings.Contains(l, "high quality"):
			default:
				e.Remarks = append(e.Remarks, s)
			}
		}
		if t := value(a, "title"); t != "" {
			e.Titles = source.AppendUnique(e.Titles, t)
		}
		if f := value(a, "function"); f != "" {
			e.Titles = source.AppendUnique(e.Titles, f)
		}
		switch strings.ToUpper(a.Attr("gender")) {
		case "M":
			e.Gender = "male"
		case "F":
			e.Gender = "female"
		}
		name, ok := source.NewName(whole, q)
		if !ok {
			continue
		}
		name.Lang = strings.ToLower(a.Attr("nameLanguage"))
		for _, p := range []interdict.NamePart{
			{Type: interdict.PartGiven, Value: first},
			{Type: interdict.PartMiddle, Value: middle},
			{Type: interdict.PartFamily, Value: last},
		} {
			if p.Value != "" {
				name.Parts = append(name.Parts, p)
			}
		}
		names = append(names, cand{name, first != "" || last != ""})
	}
	primary := -1
	for pass := 0; pass < 2 && primary < 0; pass++ {
		for i, cn := range names {
			if cn.name.Quality == interdict.NameStrong && cn.name.Script == "Latn" && (pass == 1 || cn.parts) {
				primary = i
				break
			}
		}
	}
	if primary < 0 && len(names) > 0 {
		primary = 0 // only weak or non-Latin names: the first stands for the record
	}
	if primary >= 0 {
		p := names[primary].name
		p.Quality = interdict.NamePrimary
		source.AddName(e, p)
	}
	for i, cn := range names {
		if i != primary {
			source.AddName(e, cn.name)
		}
	}
}

// countryOf resolves an element's countryIso2Code, or its
// countryDescription when the code is missing or "00" (unknown).
func countryOf(c *recordCtx, n *source.Node, field string) string {
	code := strings.ToUpper(n.Attr("countryIso2Code"))
	if code != "" && code != "00" {
		if cc := country.Code(code); cc != "" {
			return cc
		}
	}
	desc := n.Attr("countryDescription")
	if desc == "" || source.IsNull(desc) || strings.EqualFold(desc, "unknown") {
		return ""
	}
	if cc := country.Code(desc); cc != "" {
		return cc
	}
	c.warn(n.Line, field, fmt.Errorf("country %q (%s) not resolved", desc, code))
	return ""
}

// readBirth maps a birthdate: the full date when given, else the year,
// month and day parts, else the year range; circa="true" widens the date by
// source.CircaYears. The place goes to BirthPlaces.
func readBirth(c *recordCtx, b *source.Node, e *interdict.Entity) {
	full := value(b, "birthdate")
	year, month, day := value(b, "year"), value(b, "monthOfYear"), value(b, "dayOfMonth")
	if month == "" {
		month = value(b, "month")
	}
	if day == "" {
		day = value(b, "day")
	}
	from, to := value(b, "yearRangeFrom"), value(b, "yearRangeTo")
	var raw string
	switch {
	case full != "":
		raw = full
		if len(raw) > 10 {
			raw = raw[:10] // a time zone or time
		}
	case year != "" && month != "" && day != "":
		raw = year + "-" + pad2(month) + "-" + pad2(day)
	case year != "" && month != "":
		raw = year + "-" + pad2(month)
	case year != "":
		raw = year
	case from != "" || to != "":
		if from == "" {
			from = to
		}
		if to == "" {
			to = from
		}
		raw = from + "-" + to
	}
	if raw != "" {
		text := raw
		if strings.EqualFold(b.Attr("circa"), "true") {
			text = "circa " + raw
		}
		d, err := source.ParseDate(interdict.DateBirth, text, source.DayFirst)
		if err != nil {
			c.warn(b.Line, "birthdate", err)
			d = interdict.Date{Type: interdict.DateBirth, Raw: text}
		}
		if d.Raw != text {
			d.Raw = text
		}
		if cal := b.Attr("calendarType"); cal != "" && !strings.EqualFold(cal, "GREGORIAN") {
			c.warn(b.Line, "calendarType", fmt.Errorf("birth date %q is in the %s calendar", raw, cal))
		}
		addDate(e, d)
	}
	for _, rem := range b.All("remark") {
		if s := source.CleanSpace(rem.Text); s != "" {
			e.AddAttribute("birth_date_note", s)
		}
	}
	code := countryOf(c, b, "birthdate")
	text := join(", ", value(b, "place"), value(b, "city"), value(b, "zipCode"), value(b, "region"))
	if desc := value(b, "countryDescription"); !strings.EqualFold(desc, "unknown") {
		text = join(", ", text, desc)
	}
	if text == "" {
		return
	}
	for _, have := range e.BirthPlaces {
		if strings.EqualFold(have.Text, text) {
			return
		}
	}
	e.BirthPlaces = append(e.BirthPlaces, interdict.Place{Text: text, Country: code})
}

// pad2 left-pads a one-digit number with a zero.
func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// idTypes maps identificationTypeCode values of the FSF to identifier types.
var idTypes = map[string]interdict.IdentifierType{
	"passport":       interdict.IDPassport,
	"id":             interdict.IDNational,
	"nrn":            interdict.IDNational,
	"ssn":            interdict.IDNational,
	"fiscalcode":     interdict.IDTax,
	"regnumber":      interdict.IDRegistration,
	"tradelic":       interdict.IDRegistration,
	"swiftbic":       interdict.IDBIC,
	"imo":            interdict.IDIMO,
	"other":          interdict.IDOther,
	"birthcert":      interdict.IDOther,
	"nationcert":     interdict.IDOther,
	"travelcardid":   interdict.IDOther,
	"electionid":     interdict.IDOther,
	"residentperm":   interdict.IDOther,
	"drivinglicence": interdict.IDOther,
}

func readIdentification(c *recordCtx, n *source.Node, e *interdict.Entity) {
	number := value(n, "number")
	latin := value(n, "latinNumber")
	code := n.Attr("identificationTypeCode")
	typ, ok := idTypes[strings.ToLower(code)]
	if !ok {
		typ = interdict.IDOther
		if code != "" {
			c.warn(n.Line, "identificationTypeCode", fmt.Errorf("unknown identification type %q kept as other", code))
		}
	}
	label := n.Attr("identificationTypeDescription")
	if label == "" {
		label = code
	}
	var notes []string
	add := func(format, v string) {
		if v != "" && !source.IsNull(v) {
			notes = append(notes, fmt.Sprintf(format, v))
		}
	}
	add("issued by %s", n.Attr("issuedBy"))
	add("issued %s", n.Attr("issueDate"))
	add("valid from %s", n.Attr("validFrom"))
	add("valid to %s", n.Attr("validTo"))
	add("name on document: %s", n.Attr("nameOnDocument"))
	add("region: %s", n.Attr("region"))
	for _, flag := range []struct{ attr, text string }{
		{"diplomatic", "diplomatic"},
		{"knownExpired", "known expired"},
		{"reportedLost", "reported lost"},
		{"revokedByIssuer", "revoked by issuer"},
	} {
		if strings.EqualFold(n.Attr(flag.attr), "true") {
			notes = append(notes, flag.text)
		}
	}
	for _, rem := range n.All("remark") {
		add("%s", source.CleanSpace(rem.Text))
	}
	if number == "" {
		number, latin = latin, ""
	}
	if number == "" {
		if len(notes) > 0 {
			e.Remarks = append(e.Remarks, join(": ", label, strings.Join(notes, "; ")))
		}
		return
	}
	id := interdict.Identifier{
		Type:       typ,
		Label:      label,
		Value:      number,
		Country:    countryOf(c, n, "identification"),
		Note:       strings.Join(notes, "; "),
		KnownFalse: strings.EqualFold(n.Attr("knownFalse"), "true"),
	}
	addIdentifier(e, id)
	if latin != "" && latin != number {
		id.Value = latin
		addIdentifier(e, id)
	}
}

func readAddress(c *recordCtx, n *source.Node, e *interdict.Entity) {
	ad := interdict.Address{
		Street:     join(", ", value(n, "street"), poBox(value(n, "poBox"))),
		City:       join(", ", value(n, "city"), value(n, "place")),
		Region:     value(n, "region"),
		PostalCode: value(n, "zipCode"),
		Country:    countryOf(c, n, "address"),
	}
	desc := value(n, "countryDescription")
	if strings.EqualFold(desc, "unknown") {
		desc = ""
	}
	if desc != "" && (ad.Country == "" || !strings.EqualFold(country.Name(ad.Country), desc)) {
		ad.CountryName = desc
	}
	countryText := desc
	if ad.Country != "" {
		countryText = country.Name(ad.Country)
		if ad.CountryName != "" {
			countryText = ad.CountryName
		}
	}
	ad.Full = join(", ", ad.Street, ad.City, ad.PostalCode, ad.Region, countryText)
	if ad.Full != "" && !hasAddress(e, ad) {
		e.Addresses = append(e.Addresses, ad)
		e.Countries = source.AppendUnique(e.Countries, ad.Country)
	}
	for _, rem := range n.All("remark") {
		if s := source.CleanSpace(rem.Text); s != "" {
			e.Remarks = append(e.Remarks, s)
		}
	}
	for _, ci := range n.All("contactInfo") {
		readContact(c, ci, e)
	}
}

func poBox(s string) string {
	if s == "" {
		return ""
	}
	if strings.Contains(strings.ToLower(s), "box") {
		return s
	}
	return "P.O. Box " + s
}

// readContact maps a contactInfo key/value pair: PHONE and FAX to phone
// identifiers, EMAIL and WEB to e-mail and website identifiers. Several
// values in one field are split on ";" and ",".
func readContact(c *recordCtx, n *source.Node, e *interdict.Entity) {
	key := strings.ToUpper(n.Attr("key"))
	v := n.Attr("value")
	if v == "" || source.IsNull(v) {
		return
	}
	var typ interdict.IdentifierType
	switch key {
	case "PHONE", "FAX":
		typ = interdict.IDPhone
	case "EMAIL":
		typ = interdict.IDEmail
	case "WEB", "WEBSITE", "URL":
		typ = interdict.IDWebsite
	default:
		e.AddAttribute(strings.ToLower(key), v)
		c.warn(n.Line, "contactInfo", fmt.Errorf("unknown contact key %q kept as attribute", key))
		return
	}
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ',' }) {
		if part = strings.TrimSpace(part); part != "" {
			addIdentifier(e, interdict.Identifier{Type: typ, Label: strings.ToLower(key), Value: part})
		}
	}
}

func addIdentifier(e *interdict.Entity, id interdict.Identifier) {
	for _, have := range e.Identifiers {
		if have == id {
			return
		}
	}
	e.Identifiers = append(e.Identifiers, id)
}

func hasAddress(e *interdict.Entity, ad interdict.Address) bool {
	for _, have := range e.Addresses {
		if have == ad {
			return true
		}
	}
	return false
}

func addDate(e *interdict.Entity, d interdict.Date) {
	for _, have := range e.Dates {
		if have == d {
			return
		}
	}
	e.Dates = append(e.Dates, d)
}

// join joins the non-empty values with sep.
func join(sep string, vs ...string) string {
	var b strings.Builder
	for _, v := range vs {
		if v == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(v)
	}
	return b.String()
}
