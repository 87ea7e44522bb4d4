package ofac

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
	"golang.org/x/text/encoding/charmap"
)

// detectXML claims sdnList XML files (sdn.xml, consolidated.xml): the root
// element is sdnList, whatever its namespace. The list is the consolidated
// one when the name says so ("cons", "non_sdn", "nonsdn").
func detectXML(name string, head []byte) (string, bool) {
	if !bytes.Contains(head, []byte("<sdnList")) {
		return "", false
	}
	return xmlList(name, head), true
}

func xmlList(name string, head []byte) string {
	n := strings.ToLower(name)
	if strings.Contains(n, "cons") || strings.Contains(n, "nonsdn") || strings.Contains(n, "non_sdn") || strings.Contains(n, "non-sdn") {
		return interdict.ListOFACCons
	}
	if bytes.Contains(head, []byte("Consolidated List")) || bytes.Contains(head, []byte("CONSOLIDATED")) {
		return interdict.ListOFACCons
	}
	return interdict.ListOFACSDN
}

// sdnEntry is one sdnEntry of the sdnList XML. Every field is text so that a
// malformed value cannot fail the decoding of the entry.
type sdnEntry struct {
	UID       string   `xml:"uid"`
	FirstName string   `xml:"firstName"`
	LastName  string   `xml:"lastName"`
	Title     string   `xml:"title"`
	SDNType   string   `xml:"sdnType"`
	Remarks   string   `xml:"remarks"`
	Programs  []string `xml:"programList>program"`
	IDs       []struct {
		Type       string `xml:"idType"`
		Number     string `xml:"idNumber"`
		Country    string `xml:"idCountry"`
		IssueDate  string `xml:"issueDate"`
		Expiration string `xml:"expirationDate"`
	} `xml:"idList>id"`
	AKAs []struct {
		Type      string `xml:"type"`
		Category  string `xml:"category"`
		LastName  string `xml:"lastName"`
		FirstName string `xml:"firstName"`
	} `xml:"akaList>aka"`
	Addresses []struct {
		Address1 string `xml:"address1"`
		Address2 string `xml:"address2"`
		Address3 string `xml:"address3"`
		City     string `xml:"city"`
		State    string `xml:"stateOrProvince"`
		Postal   string `xml:"postalCode"`
		Country  string `xml:"country"`
		Region   string `xml:"region"`
	} `xml:"addressList>address"`
	Nationalities []string `xml:"nationalityList>nationality>country"`
	Citizenships  []string `xml:"citizenshipList>citizenship>country"`
	DOBs          []string `xml:"dateOfBirthList>dateOfBirthItem>dateOfBirth"`
	POBs          []string `xml:"placeOfBirthList>placeOfBirthItem>placeOfBirth"`
	Vessel        *struct {
		CallSign string `xml:"callSign"`
		Type     string `xml:"vesselType"`
		Flag     string `xml:"vesselFlag"`
		Owner    string `xml:"vesselOwner"`
		Tonnage  string `xml:"tonnage"`
		GRT      string `xml:"grossRegisteredTonnage"`
	} `xml:"vesselInfo"`
}

// newXMLDecoder returns a decoder that also reads the 8-bit encodings older
// files declare.
func newXMLDecoder(data []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(trimEOF(data)))
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "windows-1252", "cp1252":
			return charmap.Windows1252.NewDecoder().Reader(in), nil
		case "iso-8859-1", "latin1", "latin-1":
			return charmap.ISO8859_1.NewDecoder().Reader(in), nil
		case "us-ascii", "ascii":
			return in, nil
		}
		return nil, fmt.Errorf("unsupported charset %q", label)
	}
	return d
}

// xmlError wraps a decoding error with the file and position.
func xmlError(format, name string, d *xml.Decoder, err error) error {
	line, _ := d.InputPos()
	return fmt.Errorf("%s: %s: line %d (offset %d): %w", format, name, line, d.InputOffset(), err)
}

// parseXML reads sdnList XML files.
func parseXML(list string, files []source.File) (*source.Result, error) {
	r := &source.Result{List: list, Format: "ofac-xml", Publisher: Publisher}
	for _, f := range files {
		if err := parseXMLFile(r, list, f); err != nil {
			return nil, err
		}
	}
	resolveLinks(r.Entities)
	r.Finish()
	return r, nil
}

func parseXMLFile(r *source.Result, list string, f source.File) error {
	d := newXMLDecoder(f.Data)
	root := false
	stated, entries := -1, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return xmlError("ofac-xml", f.Name, d, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !root {
			if se.Name.Local != "sdnList" {
				return fmt.Errorf("ofac-xml: %s: root element is %q, not sdnList", f.Name, se.Name.Local)
			}
			root = true
			continue
		}
		switch se.Name.Local {
		case "Publish_Date":
			var s string
			if err := d.DecodeElement(&s, &se); err != nil {
				return xmlError("ofac-xml", f.Name, d, err)
			}
			if dt, err := source.ParseDate(interdict.DateOther, strings.TrimSpace(s), source.MonthFirst); err == nil && dt.Precision == interdict.PrecisionDay {
				r.Published = dt.From
			} else {
				r.Warn(&source.ParseError{List: list, File: f.Name, Field: "Publish_Date", Err: fmt.Errorf("publish date %q not read", s)})
			}
		case "Record_Count":
			var s string
			if err := d.DecodeElement(&s, &se); err != nil {
				return xmlError("ofac-xml", f.Name, d, err)
			}
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 0 {
				r.Warn(&source.ParseError{List: list, File: f.Name, Field: "Record_Count", Err: fmt.Errorf("record count %s not read", source.Prefix(s))})
				continue
			}
			stated = n
		case "sdnEntry":
			entries++
			line, _ := d.InputPos()
			var x sdnEntry
			if err := d.DecodeElement(&x, &se); err != nil {
				return xmlError("ofac-xml", f.Name, d, err)
			}
			r.Report.Records++
			m := &mapper{r: r, list: list, file: f.Name, line: line, uid: strings.TrimSpace(x.UID)}
			if e, ok := m.xmlEntity(&x); ok {
				r.Entities = append(r.Entities, e)
			}
		}
	}
	if !root {
		return fmt.Errorf("ofac-xml: %s: no sdnList element", f.Name)
	}
	// The publisher states the count: a file that holds another number of
	// entries is not the list it published.
	if stated >= 0 && entries != stated {
		return &source.ParseError{List: list, File: f.Name, Field: "Record_Count", Err: fmt.Errorf("the file states %d records (publshInformation/Record_Count) but holds %d sdnEntry elements; refusing the whole file", stated, entries)}
	}
	return nil
}

// xmlEntity maps one sdnEntry.
func (m *mapper) xmlEntity(x *sdnEntry) (interdict.Entity, bool) {
	if !isUID(m.uid) {
		m.r.Skip(&source.ParseError{List: m.list, File: m.file, Line: m.line, Record: m.uid, Field: "uid", Err: fmt.Errorf("uid %q is not a number", m.uid)})
		return interdict.Entity{}, false
	}
	e := newEntity(m.list, m.uid)
	typ := field(x.SDNType)
	k, ok := interdict.ParseKind(typ)
	if !ok {
		m.warn("sdnType", fmt.Errorf("unknown sdnType %q", typ))
	}
	e.Kind = k
	n, ok := splitNameFields(x.LastName, x.FirstName, interdict.NamePrimary, e.Kind)
	if !ok {
		m.r.Skip(&source.ParseError{List: m.list, File: m.file, Line: m.line, Record: m.uid, Field: "lastName", Err: errors.New("record has no name")})
		return e, false
	}
	e.Names = append(e.Names, n)
	for _, p := range x.Programs {
		if p = field(p); p != "" {
			e.Programs = source.AppendUnique(e.Programs, p)
		}
	}
	if t := field(x.Title); t != "" {
		e.Titles = append(e.Titles, t)
	}
	if v := x.Vessel; v != nil {
		if cs := field(v.CallSign); cs != "" {
			e.Identifiers = append(e.Identifiers, interdict.Identifier{Type: interdict.IDCallSign, Label: "Call Sign", Value: cs})
		}
		e.AddAttribute("Vessel Type", field(v.Type))
		e.AddAttribute("Vessel Tonnage", field(v.Tonnage))
		e.AddAttribute("Vessel GRT", field(v.GRT))
		if flag := field(v.Flag); flag != "" {
			m.applyItem(&e, "Vessel Flag "+flag, factCtx{field: "vesselFlag"})
		}
		e.AddAttribute("Vessel Owner", field(v.Owner))
	}
	for _, a := range x.AKAs {
		q := aliasQuality(a.Type, a.Category)
		if n, ok := splitNameFields(a.LastName, a.FirstName, q, e.Kind); ok {
			source.AddName(&e, n)
		} else {
			m.warn("aka", errors.New("alias without a name"))
		}
	}
	for _, a := range x.Addresses {
		street := joinNonEmpty([]string{field(a.Address1), field(a.Address2), field(a.Address3)}, ", ")
		region := field(a.State)
		if rg := field(a.Region); rg != "" {
			region = joinNonEmpty([]string{region, rg}, ", ")
		}
		addAddress(&e, street, field(a.City), region, field(a.Postal), field(a.Country), "")
	}
	for _, d := range x.DOBs {
		if d = field(d); d != "" {
			m.applyItem(&e, "DOB "+d, factCtx{field: "dateOfBirth"})
		}
	}
	for _, p := range x.POBs {
		if p = field(p); p != "" {
			m.applyItem(&e, "POB "+p, factCtx{field: "placeOfBirth"})
		}
	}
	for _, c := range x.Nationalities {
		if c = field(c); c != "" {
			m.applyItem(&e, "nationality "+c, factCtx{field: "nationality"})
		}
	}
	for _, c := range x.Citizenships {
		if c = field(c); c != "" {
			m.applyItem(&e, "citizen "+c, factCtx{field: "citizenship"})
		}
	}
	for _, id := range x.IDs {
		typ, num := field(id.Type), field(id.Number)
		if typ == "" && num == "" {
			continue
		}
		cname := field(id.Country)
		note := joinNonEmpty([]string{prefixed("issued ", field(id.IssueDate)), prefixed("expires ", field(id.Expiration))}, " ")
		ctx := factCtx{iso: countryCode(cname), countryName: cname, note: note, field: "idList"}
		if cname != "" && ctx.iso == "" {
			m.warn("idCountry", fmt.Errorf("country %q not resolved", cname))
		}
		if !m.applyItem(&e, typ+" "+num, ctx) {
			e.Identifiers = append(e.Identifiers, interdict.Identifier{Type: interdict.IDOther, Label: strings.TrimRight(typ, " :-"), Value: num, Country: ctx.iso, Note: note})
		}
	}
	if rem := field(x.Remarks); rem != "" {
		e.Remarks = append(e.Remarks, rem)
		m.applyRemarks(&e, rem)
	}
	return e, true
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}
