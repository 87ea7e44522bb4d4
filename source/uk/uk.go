// Package uk reads the UK Sanctions List XML published by the Foreign,
// Commonwealth and Development Office (root element Designations, schema
// SanctionsListSchema 4.x) into interdict entities.
//
// Each Designation becomes one entity whose ID is "uk:" followed by its
// UniqueID ("uk:AFG0011"), the list's permanent reference. Names are built
// from Name1–Name5 (forenames) and Name6 (surname, or the whole name of an
// entity or ship), graded by NameType and AliasStrength; NonLatinNames give
// original-script names. IndividualDetails (dates and places of birth,
// nationalities, passports, national identifiers, positions, genders),
// EntityDetails (entity types, registration numbers, parent companies,
// subsidiaries) and ShipDetails (IMO numbers, flags, type, tonnage, owners,
// years built) are mapped to the common model. Element names and values are
// matched without regard to case, since the file's casing drifts.
package uk

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/source"
)

// Publisher names the body that publishes the list.
const Publisher = "UK Foreign, Commonwealth and Development Office"

// ListURL is where the FCDO publishes the list as XML. Designations have no
// pages of their own, so every entity links here.
const ListURL = "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"

// Formats are the formats this package reads: the UK Sanctions List XML.
var Formats = []source.Format{
	{Name: "uk-xml", Detect: Detect, Parse: Parse},
}

// Detect reports whether a file is the UK Sanctions List XML: its root
// element is Designations.
func Detect(name string, head []byte) (string, bool) {
	s := string(head)
	if strings.Contains(s, "<Designations") && (strings.Contains(s, "<Designation>") || strings.Contains(s, "SanctionsListSchema") || strings.Contains(s, "<DateGenerated")) {
		return interdict.ListUK, true
	}
	return "", false
}

// Parse reads UK Sanctions List files. It returns an error only when a file
// is not well-formed XML or has no Designations root.
func Parse(list string, files []source.File) (*source.Result, error) {
	if list == "" {
		list = interdict.ListUK
	}
	r := &source.Result{List: list, Format: "uk-xml", Publisher: Publisher}
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
	published, attrPublished := "", ""
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
			if !strings.EqualFold(se.Name.Local, "Designations") {
				return fail(fmt.Errorf("root element is %s, not Designations", se.Name.Local))
			}
			rootSeen = true
			for _, a := range se.Attr {
				if strings.EqualFold(a.Name.Local, "dateGenerated") && len(a.Value) >= 10 {
					attrPublished = dayOf(a.Value[:10])
				}
			}
		case strings.EqualFold(se.Name.Local, "DateGenerated"):
			n, err := source.ReadNode(d, se)
			if err != nil {
				return fail(err)
			}
			published = dayOf(source.CleanSpace(n.Text))
		case strings.EqualFold(se.Name.Local, "Designation"):
			n, err := source.ReadNode(d, se)
			if err != nil {
				return fail(err)
			}
			r.Report.Records++
			if e, ok := readDesignation(r, f.Name, n); ok {
				r.Entities = append(r.Entities, e)
			}
		}
	}
	if !rootSeen {
		return &source.ParseError{List: r.List, File: f.Name, Err: errors.New("no Designations element")}
	}
	if published == "" {
		published = attrPublished
	}
	if published > r.Published {
		r.Published = published
	}
	return nil
}

// dayOf reads a dd/mm/yyyy or ISO date given to the day, or returns "".
func dayOf(s string) string {
	if s == "" {
		return ""
	}
	d, err := source.ParseDate(interdict.DateOther, s, source.DayFirst)
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

// texts returns the cleaned, non-empty, distinct texts of the grandchildren
// path[1] of n's children path[0] (<Nationalities><Nationality>…).
func texts(n *source.Node, group, item string) []string {
	var out []string
	for _, g := range n.All(group) {
		for _, it := range g.All(item) {
			if s := source.CleanSpace(it.Text); s != "" && !source.IsNull(s) {
				out = source.AppendUnique(out, s)
			}
		}
	}
	return out
}

func readDesignation(r *source.Result, file string, n *source.Node) (interdict.Entity, bool) {
	c := &recordCtx{r: r, file: file}
	e := interdict.Entity{SourceID: n.Get("UniqueID"), SourceURL: ListURL}
	if e.SourceID == "" {
		c.id = n.Get("OFSIGroupID")
		c.skip(n.Line, "UniqueID", errors.New("designation has no UniqueID"))
		return e, false
	}
	c.id = e.SourceID
	e.ID = interdict.EntityID(r.List, e.SourceID)

	typ := n.Get("IndividualEntityShip")
	kind, ok := interdict.ParseKind(typ)
	if !ok {
		c.warn(n.Line, "IndividualEntityShip", fmt.Errorf("unknown designation type %q; kind left unknown", typ))
	}
	e.Kind = kind

	readNames(c, n, &e)
	if len(e.Names) == 0 {
		c.skip(n.Line, "Names", errors.New("designation has no name"))
		return e, false
	}

	e.Programs = source.AppendUnique(e.Programs, n.Get("RegimeName"))
	if s := n.Get("DateDesignated"); s != "" {
		if day := dayOf(s); day != "" {
			e.ListedOn = day
		} else {
			c.warn(n.Line, "DateDesignated", fmt.Errorf("designation date %q not read", s))
			e.AddAttribute("date_designated", s)
		}
	}
	if s := n.Get("LastUpdated"); s != "" {
		if day := dayOf(s); day != "" {
			s = day
		}
		e.AddAttribute("last_updated", s)
	}
	e.AddAttribute("ofsi_group_id", n.Get("OFSIGroupID"))
	e.AddAttribute("un_reference_number", n.Get("UNReferenceNumber"))
	e.AddAttribute("designation_source", n.Get("DesignationSource"))
	for _, s := range strings.Split(n.Get("SanctionsImposed"), "|") {
		e.AddAttribute("sanctions_imposed", s)
	}
	for _, tag := range []string{"OtherInformation", "UKStatementofReasons"} {
		if s := n.Get(tag); !source.IsNull(s) {
			e.Remarks = append(e.Remarks, s)
		}
	}
	e.Titles = source.AppendUnique(e.Titles, texts(n, "Titles", "Title")...)
	for _, a := range n.All("Addresses") {
		for _, ad := range a.All("Address") {
			readAddress(c, ad, &e)
		}
	}
	for _, v := range texts(n, "PhoneNumbers", "PhoneNumber") {
		addIdentifier(&e, interdict.Identifier{Type: interdict.IDPhone, Label: "PhoneNumber", Value: v})
	}
	for _, v := range texts(n, "EmailAddresses", "EmailAddress") {
		for _, m := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ',' || r == ' ' }) {
			if strings.Contains(m, "@") {
				addIdentifier(&e, interdict.Identifier{Type: interdict.IDEmail, Label: "EmailAddress", Value: m})
			}
		}
	}
	for _, v := range texts(n, "Websites", "Website") {
		addIdentifier(&e, interdict.Identifier{Type: interdict.IDWebsite, Label: "Website", Value: v})
	}
	for _, d := range n.All("IndividualDetails") {
		for _, ind := range d.All("Individual") {
			readIndividual(c, ind, &e)
		}
	}
	for _, d := range n.All("EntityDetails") {
		for _, ent := range d.All("Entity") {
			readEntityDetails(ent, &e)
		}
	}
	for _, d := range n.All("ShipDetails") {
		for _, ship := range d.All("Ship") {
			readShip(c, ship, &e)
		}
	}
	e.Relations = append(e.Relations, source.CitedUNRelations(n.Get("UNReferenceNumber"), e.Remarks, "cited in other information")...)
	return e, true
}

// readNames maps Names/Name and NonLatinNames. The first "Primary Name" is
// the primary name; "Primary Name Variation" and aliases are strong unless
// their AliasStrength says low quality.
func readNames(c *recordCtx, n *source.Node, e *interdict.Entity) {
	person := e.Kind == interdict.KindPerson
	var primaries, others []interdict.Name
	for _, g := range n.All("Names") {
		for _, nm := range g.All("Name") {
			var parts []interdict.NamePart
			var words []string
			for i := 1; i <= 6; i++ {
				v := nm.Get("Name" + strconv.Itoa(i))
				if v == "" || source.IsNull(v) {
					continue
				}
				words = append(words, v)
				t := interdict.PartGiven
				if i == 6 {
					t = interdict.PartFamily
				}
				parts = append(parts, interdict.NamePart{Type: t, Value: v})
			}
			nameType := strings.ToLower(nm.Get("NameType"))
			strength := strings.ToLower(nm.Get("AliasStrength"))
			q := interdict.NameStrong
			switch {
			case nameType == "primary name":
				q = interdict.NamePrimary
			case nameType == "primary name variation", nameType == "alias", nameType == "":
			default:
				c.warn(nm.Line, "NameType", fmt.Errorf("unknown name type %q kept as alias", nm.Get("NameType")))
			}
			if strings.Contains(strength, "low") {
				q = interdict.NameWeak
			}
			name, ok := source.NewName(strings.Join(words, " "), q)
			if !ok {
				continue
			}
			if person && len(parts) > 1 {
				name.Parts = parts
			}
			if q == interdict.NamePrimary && len(primaries) == 0 {
				primaries = append(primaries, name)
				continue
			}
			if name.Quality == interdict.NamePrimary {
				name.Quality = interdict.NameStrong
			}
			others = append(others, name)
		}
	}
	if len(primaries) == 0 && len(others) > 0 {
		// No name is marked primary: the first strong one stands in.
		i := 0
		for j, o := range others {
			if o.Quality == interdict.NameStrong {
				i = j
				break
			}
		}
		others[i].Quality = interdict.NamePrimary
		primaries, others = others[i:i+1], append(others[:i:i], others[i+1:]...)
	}
	for _, nm := range append(primaries, others...) {
		source.AddName(e, nm)
	}
	for _, g := range n.All("NonLatinNames") {
		for _, nl := range g.All("NonLatinName") {
			name, ok := source.NewName(nl.Get("NameNonLatinScript"), interdict.NameOriginal)
			if !ok {
				continue
			}
			name.Lang = languageCode(nl.Get("NonLatinScriptLanguage"))
			source.AddName(e, name)
		}
	}
}

// languages maps the language names the FCDO uses to ISO 639-1 codes.
var languages = map[string]string{
	"arabic": "ar", "chinese": "zh", "russian": "ru", "belarusian": "be", "bosnian": "bs",
	"korean": "ko", "persian": "fa", "farsi": "fa", "ukrainian": "uk", "greek": "el",
	"hebrew": "he", "bulgarian": "bg", "serbian": "sr", "turkish": "tr", "pashto": "ps",
	"urdu": "ur", "georgian": "ka", "armenian": "hy", "burmese": "my", "tigrinya": "ti",
	"romanian; moldavian; moldovan": "ro", "romanian": "ro", "moldovan": "ro", "amharic": "am",
}

func languageCode(s string) string {
	if s == "" {
		return ""
	}
	if code, ok := languages[strings.ToLower(s)]; ok {
		return code
	}
	return s
}

// readAddress maps an Address. Its lines are not typed (a city may stand on
// any line), so they are kept together as the street.
func readAddress(c *recordCtx, n *source.Node, e *interdict.Entity) {
	var lines []string
	for i := 1; i <= 6; i++ {
		if v := n.Get("AddressLine" + strconv.Itoa(i)); v != "" && !source.IsNull(v) {
			lines = append(lines, v)
		}
	}
	ad := interdict.Address{Street: strings.Join(lines, ", "), PostalCode: n.Get("AddressPostalCode")}
	name := n.Get("AddressCountry")
	if !source.IsNull(name) {
		ad.Country = country.Code(name)
		if ad.Country == "" {
			c.warn(n.Line, "AddressCountry", fmt.Errorf("country %q not resolved", name))
		}
		if ad.Country == "" || !strings.EqualFold(country.Name(ad.Country), name) {
			ad.CountryName = name
		}
	} else {
		name = ""
	}
	ad.Full = join(", ", ad.Street, ad.PostalCode, name)
	if ad.Full == "" {
		return
	}
	for _, have := range e.Addresses {
		if have == ad {
			return
		}
	}
	e.Addresses = append(e.Addresses, ad)
	e.Countries = source.AppendUnique(e.Countries, ad.Country)
}

func readIndividual(c *recordCtx, n *source.Node, e *interdict.Entity) {
	for _, raw := range texts(n, "DOBs", "DOB") {
		d, err := parseDOB(raw)
		if err != nil {
			c.warn(n.Line, "DOB", err)
			d = interdict.Date{Type: interdict.DateBirth, Raw: raw}
		}
		addDate(e, d)
	}
	for _, v := range texts(n, "Nationalities", "Nationality") {
		if code := country.Code(v); code != "" {
			e.Nationalities = source.AppendUnique(e.Nationalities, code)
		} else {
			e.AddAttribute("nationality", v)
			c.warn(n.Line, "Nationality", fmt.Errorf("country %q not resolved", v))
		}
	}
	e.Titles = source.AppendUnique(e.Titles, texts(n, "Positions", "Position")...)
	for _, g := range texts(n, "Genders", "Gender") {
		switch strings.ToLower(g) {
		case "male":
			e.Gender = "male"
		case "female":
			e.Gender = "female"
		default:
			e.AddAttribute("gender", g)
		}
	}
	for _, g := range n.All("PassportDetails") {
		for _, p := range g.All("Passport") {
			readDocument(p, e, interdict.IDPassport, "Passport", "PassportNumber", "PassportAdditionalInformation")
		}
	}
	for _, g := range n.All("NationalIdentifierDetails") {
		for _, p := range g.All("NationalIdentifier") {
			readDocument(p, e, interdict.IDNational, "National identifier", "NationalIdentifierNumber", "NationalIdentifierAdditionalInformation")
		}
	}
	for _, g := range n.All("BirthDetails") {
		for _, loc := range g.All("Location") {
			town, ctry := loc.Get("TownOfBirth"), loc.Get("CountryOfBirth")
			text := join(", ", town, ctry)
			if text == "" {
				continue
			}
			pl := interdict.Place{Text: text}
			if ctry != "" && !source.IsNull(ctry) {
				if pl.Country = country.Code(ctry); pl.Country == "" {
					c.warn(loc.Line, "CountryOfBirth", fmt.Errorf("country %q not resolved", ctry))
				}
			}
			dup := false
			for _, have := range e.BirthPlaces {
				dup = dup || strings.EqualFold(have.Text, pl.Text)
			}
			if !dup {
				e.BirthPlaces = append(e.BirthPlaces, pl)
			}
		}
	}
}

// readDocument maps a passport or national identifier. The number is
// trimmed (the file has stray spaces) but leading zeros are kept.
func readDocument(n *source.Node, e *interdict.Entity, typ interdict.IdentifierType, label, numberTag, infoTag string) {
	number, info := n.Get(numberTag), n.Get(infoTag)
	if number == "" || source.IsNull(number) {
		if info != "" {
			e.Remarks = append(e.Remarks, label+": "+info)
		}
		return
	}
	addIdentifier(e, interdict.Identifier{Type: typ, Label: label, Value: number, Note: info})
}

// parseDOB reads the UK's dates of birth: dd/mm/yyyy, and the partial forms
// "dd/mm/1968" (year only) and "dd/09/1958" (month and year), and a bare
// year.
func parseDOB(raw string) (interdict.Date, error) {
	s := strings.ToLower(strings.TrimSpace(raw))
	parts := strings.Split(s, "/")
	if len(parts) != 3 {
		d, err := source.ParseDate(interdict.DateBirth, raw, source.DayFirst)
		if err == nil {
			d.Raw = raw
		}
		return d, err
	}
	day, month, year := parts[0], parts[1], parts[2]
	y, err := strconv.Atoi(year)
	if err != nil || len(year) != 4 {
		return interdict.Date{}, fmt.Errorf("date of birth %q: unrecognised year", raw)
	}
	if y < source.MinYear || y > source.MaxYear {
		return interdict.Date{}, fmt.Errorf("date of birth %q: implausible year %d", raw, y)
	}
	if month == "mm" || month == "" {
		return source.YearRange(interdict.DateBirth, y, y, interdict.PrecisionYear, raw), nil
	}
	m, err := strconv.Atoi(month)
	if err != nil || m < 1 || m > 12 {
		return interdict.Date{}, fmt.Errorf("date of birth %q: no such month", raw)
	}
	if day == "dd" || day == "" {
		return source.MonthDate(interdict.DateBirth, y, time.Month(m), raw), nil
	}
	d, err := source.ParseDate(interdict.DateBirth, raw, source.DayFirst)
	if err == nil {
		d.Raw = raw
	}
	return d, err
}

func readEntityDetails(n *source.Node, e *interdict.Entity) {
	for _, v := range texts(n, "TypeOfEntities", "TypeOfEntity") {
		e.AddAttribute("entity_type", v)
	}
	for _, g := range []struct{ group, item string }{
		{"BusinessRegistrationNumbers", "BusinessRegistrationNumber"},
		{"RegistrationNumbers", "RegistrationNumber"},
	} {
		for _, v := range texts(n, g.group, g.item) {
			addIdentifier(e, interdict.Identifier{Type: interdict.IDRegistration, Label: g.item, Value: v})
		}
	}
	for _, v := range texts(n, "ParentCompanies", "ParentCompany") {
		e.Relations = append(e.Relations, interdict.Relation{Type: interdict.RelOwnedBy, TargetName: v, Note: "parent company"})
	}
	for _, v := range texts(n, "Subsidiaries", "Subsidiary") {
		e.Relations = append(e.Relations, interdict.Relation{Type: interdict.RelOwnerOf, TargetName: v, Note: "subsidiary"})
	}
}

func readShip(c *recordCtx, n *source.Node, e *interdict.Entity) {
	for _, v := range texts(n, "IMONumbers", "IMONumber") {
		addIdentifier(e, interdict.Identifier{Type: interdict.IDIMO, Label: "IMONumber", Value: v})
	}
	for _, v := range texts(n, "HullIdentificationNumbers", "HullIdentificationNumber") {
		addIdentifier(e, interdict.Identifier{Type: interdict.IDOther, Label: "HullIdentificationNumber", Value: v})
	}
	for _, v := range texts(n, "CurrentBelievedFlagOfShips", "CurrentBelievedFlagOfShip") {
		e.AddAttribute("flag", v)
		if code := country.Code(v); code != "" {
			e.Countries = source.AppendUnique(e.Countries, code)
		} else {
			c.warn(n.Line, "CurrentBelievedFlagOfShip", fmt.Errorf("flag %q not resolved", v))
		}
	}
	for _, v := range texts(n, "PreviousFlags", "PreviousFlag") {
		e.AddAttribute("previous_flag", v)
	}
	for _, v := range texts(n, "TypeOfShipDetails", "TypeOfShip") {
		e.AddAttribute("vessel_type", v)
	}
	for _, v := range texts(n, "TonnageOfShipDetails", "TonnageOfShip") {
		e.AddAttribute("tonnage", v)
	}
	for _, v := range texts(n, "LengthOfShipDetails", "LengthOfShip") {
		e.AddAttribute("length", v)
	}
	for _, v := range texts(n, "YearsBuilt", "YearBuilt") {
		d, err := source.ParseDate(interdict.DateBuild, v, source.DayFirst)
		if err != nil {
			c.warn(n.Line, "YearBuilt", err)
			d = interdict.Date{Type: interdict.DateBuild, Raw: v}
		}
		addDate(e, d)
	}
	for _, v := range texts(n, "CurrentOwnerOperators", "CurrentOwnerOperator") {
		e.Relations = append(e.Relations, interdict.Relation{Type: interdict.RelOwnedBy, TargetName: v, Note: "current owner or operator"})
	}
	for _, v := range texts(n, "PreviousOwnerOperators", "PreviousOwnerOperator") {
		e.AddAttribute("previous_owner_operator", v)
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
