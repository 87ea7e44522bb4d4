package ofac

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
)

// detectEnhanced claims OFAC Enhanced XML files: root sanctionsData in the
// ENHANCED_XML namespace (or with referenceValues, for files that drop it).
func detectEnhanced(name string, head []byte) (string, bool) {
	if !bytes.Contains(head, []byte("<sanctionsData")) {
		return "", false
	}
	if !bytes.Contains(head, []byte("ENHANCED_XML")) && !bytes.Contains(head, []byte("<referenceValues")) {
		return "", false
	}
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "cons"):
		return interdict.ListOFACCons, true
	case strings.Contains(n, "sdn"):
		return interdict.ListOFACSDN, true
	case bytes.Contains(head, []byte(">Consolidated List<")):
		return interdict.ListOFACCons, true
	}
	return interdict.ListOFACSDN, true
}

// refText is an element whose text is a looked-up value with its refId.
type refText struct {
	RefID string `xml:"refId,attr"`
	Text  string `xml:",chardata"`
}

type enhReference struct {
	RefID string `xml:"refId,attr"`
	Type  string `xml:"type"`
	Value string `xml:"value"`
	ISO   string `xml:"isoCode"`
}

type enhFeatureType struct {
	ID     string `xml:"featureTypeId,attr"`
	Type   string `xml:"type"`
	Detail string `xml:"detailType"`
}

type enhDate struct {
	FromBegin   string `xml:"fromDateBegin"`
	FromEnd     string `xml:"fromDateEnd"`
	ToBegin     string `xml:"toDateBegin"`
	ToEnd       string `xml:"toDateEnd"`
	Approximate string `xml:"isApproximate"`
	Range       string `xml:"isDateRange"`
}

type enhTranslation struct {
	Primary   string  `xml:"isPrimary"`
	Script    refText `xml:"script"`
	First     string  `xml:"formattedFirstName"`
	Last      string  `xml:"formattedLastName"`
	Full      string  `xml:"formattedFullName"`
	NameParts []struct {
		Type  refText `xml:"type"`
		Value string  `xml:"value"`
	} `xml:"nameParts>namePart"`
	AddressParts []struct {
		Type  refText `xml:"type"`
		Value string  `xml:"value"`
	} `xml:"addressParts>addressPart"`
}

// enhEntity is one entity of the Enhanced XML.
type enhEntity struct {
	ID          string `xml:"id,attr"`
	GeneralInfo struct {
		IdentityID string  `xml:"identityId"`
		EntityType refText `xml:"entityType"`
		Remarks    string  `xml:"remarks"`
		Title      string  `xml:"title"`
	} `xml:"generalInfo"`
	Lists []struct {
		RefID         string `xml:"refId,attr"`
		DatePublished string `xml:"datePublished,attr"`
		Text          string `xml:",chardata"`
	} `xml:"sanctionsLists>sanctionsList"`
	Programs    []refText `xml:"sanctionsPrograms>sanctionsProgram"`
	Types       []refText `xml:"sanctionsTypes>sanctionsType"`
	Authorities []refText `xml:"legalAuthorities>legalAuthority"`
	Names       []struct {
		Primary      string           `xml:"isPrimary"`
		AliasType    refText          `xml:"aliasType"`
		LowQuality   string           `xml:"isLowQuality"`
		Translations []enhTranslation `xml:"translations>translation"`
	} `xml:"names>name"`
	Addresses []struct {
		Country      refText          `xml:"country"`
		Translations []enhTranslation `xml:"translations>translation"`
	} `xml:"addresses>address"`
	Features []struct {
		Type struct {
			ID   string `xml:"featureTypeId,attr"`
			Text string `xml:",chardata"`
		} `xml:"type"`
		Value       string   `xml:"value"`
		ValueDate   *enhDate `xml:"valueDate"`
		ValueRefID  string   `xml:"valueRefId"`
		Reliability refText  `xml:"reliability"`
		Comments    string   `xml:"comments"`
	} `xml:"features>feature"`
	Documents []struct {
		Type            refText `xml:"type"`
		Number          string  `xml:"documentNumber"`
		Valid           string  `xml:"isValid"`
		IssuingLocation string  `xml:"issuingLocation"`
		IssuingCountry  refText `xml:"issuingCountry"`
		Authority       string  `xml:"issuingAuthority"`
		IssueDate       string  `xml:"issueDate"`
		ExpirationDate  string  `xml:"expirationDate"`
	} `xml:"identityDocuments>identityDocument"`
	Relationships []struct {
		Type    refText `xml:"type"`
		Related struct {
			EntityID string `xml:"entityId,attr"`
			Text     string `xml:",chardata"`
		} `xml:"relatedEntity"`
	} `xml:"relationships>relationship"`
}

// enhParser holds the lookups of one Enhanced XML file.
type enhParser struct {
	refs     map[string]enhReference
	features map[string]enhFeatureType
}

// ref returns the text of a looked-up value, resolving its refId when the
// element itself is empty.
func (p *enhParser) ref(t refText) string {
	if s := field(t.Text); s != "" {
		return s
	}
	return field(p.refs[t.RefID].Value)
}

// countryISO returns the ISO code the referenceValues give for a country
// refId, else resolves the text.
func (p *enhParser) countryISO(t refText) string {
	if iso := strings.TrimSpace(p.refs[t.RefID].ISO); len(iso) == 2 {
		return strings.ToUpper(iso)
	}
	return countryCode(p.ref(t))
}

// parseEnhanced reads OFAC Enhanced XML files.
func parseEnhanced(list string, files []source.File) (*source.Result, error) {
	r := &source.Result{List: list, Format: "ofac-enhanced-xml", Publisher: Publisher}
	for _, f := range files {
		if err := parseEnhancedFile(r, list, f); err != nil {
			return nil, err
		}
	}
	// Targets given by id: keep those that are in these files.
	ids := make(map[string]bool, len(r.Entities))
	for i := range r.Entities {
		ids[r.Entities[i].ID] = true
	}
	for i := range r.Entities {
		for j := range r.Entities[i].Relations {
			rel := &r.Entities[i].Relations[j]
			if rel.Target != "" && !ids[rel.Target] {
				rel.Note = joinNonEmpty([]string{rel.Note, "OFAC uid " + strings.TrimPrefix(rel.Target, list+":") + " is not in this list"}, "; ")
				rel.Target = ""
			}
		}
	}
	resolveLinks(r.Entities)
	r.Finish()
	return r, nil
}

func parseEnhancedFile(r *source.Result, list string, f source.File) error {
	d := newXMLDecoder(f.Data)
	p := &enhParser{refs: map[string]enhReference{}, features: map[string]enhFeatureType{}}
	root := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return xmlError("ofac-enhanced-xml", f.Name, d, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !root {
			if se.Name.Local != "sanctionsData" {
				return fmt.Errorf("ofac-enhanced-xml: %s: root element is %q, not sanctionsData", f.Name, se.Name.Local)
			}
			root = true
			continue
		}
		switch se.Name.Local {
		case "dataAsOf":
			var s string
			if err := d.DecodeElement(&s, &se); err != nil {
				return xmlError("ofac-enhanced-xml", f.Name, d, err)
			}
			s = strings.TrimSpace(s)
			if t, err := time.Parse("2006-01-02", s[:min(len(s), 10)]); err == nil {
				r.Published = t.Format("2006-01-02")
			} else {
				r.Warn(&source.ParseError{List: list, File: f.Name, Field: "dataAsOf", Err: fmt.Errorf("date %q not read", s)})
			}
		case "referenceValue":
			var v enhReference
			if err := d.DecodeElement(&v, &se); err != nil {
				return xmlError("ofac-enhanced-xml", f.Name, d, err)
			}
			p.refs[v.RefID] = v
		case "featureType":
			var v enhFeatureType
			if err := d.DecodeElement(&v, &se); err != nil {
				return xmlError("ofac-enhanced-xml", f.Name, d, err)
			}
			p.features[v.ID] = v
		case "entity":
			line, _ := d.InputPos()
			var x enhEntity
			if err := d.DecodeElement(&x, &se); err != nil {
				return xmlError("ofac-enhanced-xml", f.Name, d, err)
			}
			r.Report.Records++
			m := &mapper{r: r, list: list, file: f.Name, line: line, uid: strings.TrimSpace(x.ID)}
			if e, ok := p.entity(m, &x); ok {
				r.Entities = append(r.Entities, e)
			}
		}
	}
	if !root {
		return fmt.Errorf("ofac-enhanced-xml: %s: no sanctionsData element", f.Name)
	}
	return nil
}

// relationTypes maps the Enhanced XML's relationship types.
var relationTypes = map[string]interdict.RelationType{
	"owned or controlled by":      interdict.RelOwnedBy,
	"owns, controls, or operates": interdict.RelOwnerOf,
	"acting for or on behalf of":  interdict.RelActingFor,
	"associate of":                interdict.RelAssociate,
	"family member of":            interdict.RelFamily,
	"leader or official of":       interdict.RelDirector,
	"principal executive officer": interdict.RelDirector,
	"linked to":                   interdict.RelLinkedTo,
}

// nameParts maps the Enhanced XML's name part types. "Entity Name" is the
// whole name of an organisation and is not kept as a part.
var nameParts = map[string]interdict.NamePartType{
	"last name":        interdict.PartFamily,
	"first name":       interdict.PartGiven,
	"middle name":      interdict.PartMiddle,
	"patronymic":       interdict.PartPatronymic,
	"matronymic":       interdict.PartMatronymic,
	"maiden name":      interdict.PartOther,
	"nickname":         interdict.PartOther,
	"title":            interdict.PartTitle,
	"suffix":           interdict.PartOther,
	"vessel name":      interdict.PartOther,
	"aircraft name":    interdict.PartOther,
	"secondary name":   interdict.PartOther,
	"honorific prefix": interdict.PartTitle,
}

func isTrue(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "true") }

// entity maps one Enhanced XML entity.
func (p *enhParser) entity(m *mapper, x *enhEntity) (interdict.Entity, bool) {
	if !isUID(m.uid) {
		m.r.Skip(&source.ParseError{List: m.list, File: m.file, Line: m.line, Record: m.uid, Field: "id", Err: fmt.Errorf("entity id %q is not a number", m.uid)})
		return interdict.Entity{}, false
	}
	e := newEntity(m.list, m.uid)
	typ := p.ref(x.GeneralInfo.EntityType)
	k, ok := interdict.ParseKind(typ)
	if !ok {
		m.warn("entityType", fmt.Errorf("unknown entity type %q", typ))
	}
	e.Kind = k

	for _, n := range x.Names {
		q := interdict.NameStrong
		switch {
		case isTrue(n.Primary):
			q = interdict.NamePrimary
		case strings.EqualFold(strings.ReplaceAll(p.ref(n.AliasType), ".", ""), "fka"):
			q = interdict.NameFormer
		case isTrue(n.LowQuality):
			q = interdict.NameWeak
		}
		for _, t := range n.Translations {
			tq := q
			if !isTrue(t.Primary) {
				tq = interdict.NameOriginal
			}
			full := field(t.Full)
			if full == "" {
				full = joinNonEmpty([]string{field(t.Last), field(t.First)}, ", ")
			}
			name, ok := source.NewName(full, tq)
			if !ok {
				continue
			}
			if tq == interdict.NameOriginal || (name.Script != "" && name.Script != "Latn" && name.Script != "Zyyy" && tq != interdict.NamePrimary) {
				name.Quality = interdict.NameOriginal
			}
			for _, np := range t.NameParts {
				pt, ok := nameParts[strings.ToLower(p.ref(np.Type))]
				if v := field(np.Value); ok && v != "" {
					name.Parts = append(name.Parts, interdict.NamePart{Type: pt, Value: v})
				}
			}
			if q == interdict.NamePrimary && tq == interdict.NamePrimary {
				e.Names = append([]interdict.Name{name}, e.Names...)
				continue
			}
			source.AddName(&e, name)
		}
	}
	if len(e.Names) == 0 || e.Names[0].Quality != interdict.NamePrimary {
		if len(e.Names) == 0 {
			m.r.Skip(&source.ParseError{List: m.list, File: m.file, Line: m.line, Record: m.uid, Field: "names", Err: errors.New("record has no name")})
			return e, false
		}
		m.warn("names", errors.New("record has no primary name"))
	}

	listed := ""
	for _, l := range x.Lists {
		e.AddAttribute("Sanctions List", field(l.Text))
		if dp := strings.TrimSpace(l.DatePublished); len(dp) >= 10 {
			if _, err := time.Parse("2006-01-02", dp[:10]); err == nil && (listed == "" || dp[:10] < listed) {
				listed = dp[:10]
			}
		}
	}
	e.ListedOn = listed
	for _, pr := range x.Programs {
		e.Programs = source.AppendUnique(e.Programs, p.ref(pr))
	}
	for _, t := range x.Types {
		e.AddAttribute("Sanctions Type", p.ref(t))
	}
	for _, a := range x.Authorities {
		e.AddAttribute("Legal Authority", p.ref(a))
	}
	if t := field(x.GeneralInfo.Title); t != "" {
		e.Titles = append(e.Titles, t)
	}

	for _, a := range x.Addresses {
		cname := p.ref(a.Country)
		iso := p.countryISO(a.Country)
		var street []string
		var city, region, postal string
		for _, t := range a.Translations {
			if !isTrue(t.Primary) && len(a.Translations) > 1 {
				continue
			}
			for _, ap := range t.AddressParts {
				v := field(ap.Value)
				switch strings.ToUpper(p.ref(ap.Type)) {
				case "ADDRESS1", "ADDRESS2", "ADDRESS3", "ADDRESS":
					street = append(street, v)
				case "CITY":
					city = v
				case "STATE/PROVINCE", "REGION":
					region = joinNonEmpty([]string{region, v}, ", ")
				case "POSTAL CODE":
					postal = v
				default:
					street = append(street, v)
				}
			}
		}
		if iso == "" && cname == "" && region != "" {
			iso = countryCode(region)
		}
		addAddress(&e, joinNonEmpty(street, ", "), city, region, postal, cname, iso)
	}

	for _, ft := range x.Features {
		label := field(ft.Type.Text)
		if label == "" {
			label = field(p.features[ft.Type.ID].Type)
		}
		value := field(ft.Value)
		if value == "" && ft.ValueRefID != "" {
			value = field(p.refs[ft.ValueRefID].Value)
		}
		if label == "" || value == "" {
			continue
		}
		ctx := factCtx{field: label, note: joinNonEmpty([]string{field(ft.Comments)}, "")}
		if ref, ok := p.refs[strings.TrimSpace(ft.ValueRefID)]; ok && len(strings.TrimSpace(ref.ISO)) == 2 {
			ctx.iso = strings.ToUpper(strings.TrimSpace(ref.ISO))
		}
		if ft.ValueDate != nil {
			if dt, ok := enhancedDate(ft.ValueDate, value); ok {
				ctx.date = &dt
			}
		}
		if !m.applyItem(&e, label+" "+value, ctx) {
			e.AddAttribute(strings.TrimRight(label, " :-"), value)
		}
	}

	for _, doc := range x.Documents {
		label := p.ref(doc.Type)
		num := field(doc.Number)
		if num == "" {
			continue
		}
		cname := p.ref(doc.IssuingCountry)
		note := joinNonEmpty([]string{
			prefixed("issued ", field(doc.IssueDate)),
			prefixed("expires ", field(doc.ExpirationDate)),
			prefixed("issued by ", field(doc.Authority)),
			prefixed("issued in ", field(doc.IssuingLocation)),
		}, "; ")
		if strings.EqualFold(strings.TrimSpace(doc.Valid), "false") {
			note = joinNonEmpty([]string{note, "marked not valid"}, "; ")
		}
		ctx := factCtx{iso: p.countryISO(doc.IssuingCountry), countryName: cname, note: note, field: "identityDocument"}
		if !m.applyItem(&e, label+" "+num, ctx) {
			e.Identifiers = append(e.Identifiers, interdict.Identifier{Type: interdict.IDOther, Label: label, Value: num, Country: ctx.iso, Note: note})
		}
	}

	for _, rel := range x.Relationships {
		label := p.ref(rel.Type)
		rt, ok := relationTypes[strings.ToLower(label)]
		if !ok {
			rt = interdict.RelLinkedTo
		}
		out := interdict.Relation{Type: rt, TargetName: field(rel.Related.Text), Note: label}
		if id := strings.TrimSpace(rel.Related.EntityID); isUID(id) {
			out.Target = interdict.EntityID(m.list, id)
		}
		if out.Target == "" && out.TargetName == "" {
			continue
		}
		e.Relations = append(e.Relations, out)
	}

	if rem := field(x.GeneralInfo.Remarks); rem != "" {
		e.Remarks = append(e.Remarks, rem)
		m.applyRemarks(&e, rem)
	}
	return e, true
}

// enhancedDate turns a valueDate interval into a Date. It reports false when
// the interval cannot be read.
func enhancedDate(v *enhDate, raw string) (interdict.Date, bool) {
	day := func(s string) (time.Time, bool) {
		s = strings.TrimSpace(s)
		if len(s) < 10 {
			return time.Time{}, false
		}
		t, err := time.Parse("2006-01-02", s[:10])
		if err != nil || t.Year() < source.MinYear || t.Year() > source.MaxYear {
			return time.Time{}, false
		}
		return t, true
	}
	from, ok1 := day(v.FromBegin)
	to, ok2 := day(v.ToEnd)
	if !ok1 || !ok2 || to.Before(from) {
		return interdict.Date{}, false
	}
	d := interdict.Date{From: from.Format("2006-01-02"), To: to.Format("2006-01-02"), Raw: raw}
	switch {
	case isTrue(v.Approximate):
		d.Precision = interdict.PrecisionCirca
	case isTrue(v.Range):
		d.Precision = interdict.PrecisionRange
	case from.Equal(to):
		d.Precision = interdict.PrecisionDay
	case from.Day() == 1 && from.Month() == 1 && to.Month() == 12 && to.Day() == 31 && from.Year() == to.Year():
		d.Precision = interdict.PrecisionYear
	case from.Day() == 1 && from.Year() == to.Year() && from.Month() == to.Month() && to.AddDate(0, 0, 1).Day() == 1:
		d.Precision = interdict.PrecisionMonth
	default:
		d.Precision = interdict.PrecisionRange
	}
	return d, true
}
