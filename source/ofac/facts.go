package ofac

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
)

// factKind says what a labelled fact of a remark, an XML id or an Enhanced
// XML feature is.
type factKind int

const (
	factID          factKind = iota // an Identifier of spec.id
	factAttr                        // an Attribute under the label
	factDate                        // a Date of spec.date
	factPOB                         // a birth place
	factNationality                 // a nationality
	factCitizen                     // a citizenship
	factCountry                     // a country (registration, flag) and an attribute
	factGender                      // "Male" / "Female"
	factLinked                      // a "Linked To" relation
	factAlias                       // a.k.a., f.k.a., n.k.a. from remarks
)

// factSpec is one label OFAC uses in remarks, idList idType or Enhanced
// featureType.
type factSpec struct {
	label string
	kind  factKind
	id    interdict.IdentifierType
	date  interdict.DateType
	// key is the attribute key for factAttr and factCountry; label if "".
	key string
	// paren marks labels continued by a parenthesis, "Listing Date (CMIC)".
	paren bool
	// canon is the label written on the entity when it differs from the
	// published one (the Enhanced XML's "Birthdate" is the CSV's "DOB").
	canon string
}

// specs is the table of labels. Longer labels win over their prefixes
// ("Identification Number IMO" over "Identification Number").
var specs = []factSpec{
	// Dates, places, countries, gender.
	{label: "DOB", kind: factDate, date: interdict.DateBirth},
	{label: "Birthdate", kind: factDate, date: interdict.DateBirth, canon: "DOB"},
	{label: "Organization Established Date", kind: factDate, date: interdict.DateIncorporation},
	{label: "Vessel Year of Build", kind: factDate, date: interdict.DateBuild},
	{label: "Aircraft Manufacture Date", kind: factDate, date: interdict.DateBuild},
	{label: "POB", kind: factPOB},
	{label: "Place of Birth", kind: factPOB},
	{label: "nationality", kind: factNationality},
	{label: "Nationality Country", kind: factNationality},
	{label: "citizen", kind: factCitizen},
	{label: "Citizenship Country", kind: factCitizen},
	{label: "Nationality of Registration", kind: factCountry},
	{label: "Vessel Flag", kind: factCountry},
	{label: "Other Vessel Flag", kind: factCountry},
	{label: "Former Vessel Flag", kind: factAttr},
	{label: "Gender", kind: factGender},
	{label: "Linked To", kind: factLinked},
	{label: "a.k.a.", kind: factAlias},
	{label: "f.k.a.", kind: factAlias},
	{label: "n.k.a.", kind: factAlias},

	// Passports and personal documents.
	{label: "Passport", kind: factID, id: interdict.IDPassport},
	{label: "Diplomatic Passport", kind: factID, id: interdict.IDPassport},
	{label: "Pasaporte", kind: factID, id: interdict.IDPassport},
	{label: "National ID No.", kind: factID, id: interdict.IDNational},
	{label: "Cedula No.", kind: factID, id: interdict.IDNational},
	{label: "D.N.I.", kind: factID, id: interdict.IDNational},
	{label: "Identification Number", kind: factID, id: interdict.IDNational},
	{label: "Personal ID Card", kind: factID, id: interdict.IDNational},
	{label: "C.U.R.P.", kind: factID, id: interdict.IDNational},
	{label: "C.U.I.", kind: factID, id: interdict.IDNational},
	{label: "Kenyan ID No.", kind: factID, id: interdict.IDNational},
	{label: "Citizen's Card Number", kind: factID, id: interdict.IDNational},
	{label: "Turkish Identification Number", kind: factID, id: interdict.IDNational},
	{label: "SSN", kind: factID, id: interdict.IDNational},
	{label: "National Foreign ID Number", kind: factID, id: interdict.IDNational},
	{label: "Numero de Identidad", kind: factID, id: interdict.IDNational},
	{label: "Credencial electoral", kind: factID, id: interdict.IDNational},
	{label: "Electoral Registry No.", kind: factID, id: interdict.IDNational},
	{label: "Residency Number", kind: factID, id: interdict.IDOther},
	{label: "Birth Certificate Number", kind: factID, id: interdict.IDOther},
	{label: "Driver's License No.", kind: factID, id: interdict.IDOther},
	{label: "Cartilla de Servicio Militar Nacional", kind: factID, id: interdict.IDOther},

	// Tax numbers.
	{label: "Tax ID No.", kind: factID, id: interdict.IDTax},
	{label: "RFC", kind: factID, id: interdict.IDTax},
	{label: "NIT #", kind: factID, id: interdict.IDTax},
	{label: "R.U.C. #", kind: factID, id: interdict.IDTax},
	{label: "RUC #", kind: factID, id: interdict.IDTax},
	{label: "RIF #", kind: factID, id: interdict.IDTax},
	{label: "C.U.I.T.", kind: factID, id: interdict.IDTax},
	{label: "US FEIN", kind: factID, id: interdict.IDTax},
	{label: "V.A.T. Number", kind: factID, id: interdict.IDTax},

	// Company and other registrations.
	{label: "Registration Number", kind: factID, id: interdict.IDRegistration},
	{label: "Registration ID", kind: factID, id: interdict.IDRegistration},
	{label: "Business Registration Number", kind: factID, id: interdict.IDRegistration},
	{label: "Business Registration Document #", kind: factID, id: interdict.IDRegistration},
	{label: "Commercial Registry Number", kind: factID, id: interdict.IDRegistration},
	{label: "Company Number", kind: factID, id: interdict.IDRegistration},
	{label: "UK Company Number", kind: factID, id: interdict.IDRegistration},
	{label: "Government Gazette Number", kind: factID, id: interdict.IDRegistration},
	{label: "Unified Social Credit Code (USCC)", kind: factID, id: interdict.IDRegistration},
	{label: "United Social Credit Code Certificate (USCCC)", kind: factID, id: interdict.IDRegistration},
	{label: "Folio Mercantil No.", kind: factID, id: interdict.IDRegistration},
	{label: "Matricula Mercantil No", kind: factID, id: interdict.IDRegistration},
	{label: "C.R. No.", kind: factID, id: interdict.IDRegistration},
	{label: "Trade License No.", kind: factID, id: interdict.IDRegistration},
	{label: "License", kind: factID, id: interdict.IDRegistration},
	{label: "Public Registration Number", kind: factID, id: interdict.IDRegistration},
	{label: "Chamber of Commerce Number", kind: factID, id: interdict.IDRegistration},
	{label: "Central Registration System Number", kind: factID, id: interdict.IDRegistration},
	{label: "Economic Register Number (CBLS)", kind: factID, id: interdict.IDRegistration},
	{label: "Istanbul Chamber of Comm. No.", kind: factID, id: interdict.IDRegistration},
	{label: "Dubai Chamber of Commerce Membership No.", kind: factID, id: interdict.IDRegistration},
	{label: "Certificate of Incorporation Number", kind: factID, id: interdict.IDRegistration},
	{label: "Enterprise Number", kind: factID, id: interdict.IDRegistration},
	{label: "Branch Unit Number", kind: factID, id: interdict.IDRegistration},
	{label: "Business Number", kind: factID, id: interdict.IDRegistration},
	{label: "Registered Charity No.", kind: factID, id: interdict.IDRegistration},
	{label: "LE Number", kind: factID, id: interdict.IDRegistration},
	{label: "D-U-N-S Number", kind: factID, id: interdict.IDRegistration},
	{label: "Legal Entity Number", kind: factID, id: interdict.IDLEI},
	{label: "SWIFT/BIC", kind: factID, id: interdict.IDBIC},
	{label: "BIK (RU)", kind: factID, id: interdict.IDOther},
	{label: "ISIN", kind: factID, id: interdict.IDOther},
	{label: "Equity Ticker", kind: factID, id: interdict.IDOther},
	{label: "Chinese Commercial Code", kind: factID, id: interdict.IDOther},

	// Vessels and aircraft.
	{label: "Vessel Registration Identification", kind: factID, id: interdict.IDIMO},
	{label: "MMSI", kind: factID, id: interdict.IDMMSI},
	{label: "Vessel Call Sign", kind: factID, id: interdict.IDCallSign},
	{label: "Other Vessel Call Sign", kind: factID, id: interdict.IDCallSign},
	{label: "Vessel Type", kind: factAttr},
	{label: "VESSEL TYPE", kind: factAttr, key: "Vessel Type"},
	{label: "Other Vessel Type", kind: factAttr},
	{label: "Vessel Owner", kind: factAttr},
	{label: "Vessel Tonnage", kind: factAttr},
	{label: "Vessel Gross Registered Tonnage", kind: factAttr, key: "Vessel GRT"},
	{label: "Aircraft Manufacturer's Serial Number (MSN)", kind: factID, id: interdict.IDAircraft},
	{label: "Aircraft Construction Number (also called L/N or S/N or F/N)", kind: factID, id: interdict.IDAircraft},
	{label: "Aircraft Tail Number", kind: factID, id: interdict.IDAircraft},
	{label: "Previous Aircraft Tail Number", kind: factID, id: interdict.IDAircraft},
	{label: "Aircraft Mode S Transponder Code", kind: factID, id: interdict.IDAircraft},
	{label: "Aircraft Serial Identification", kind: factID, id: interdict.IDAircraft},
	{label: "Aircraft Model", kind: factAttr},
	{label: "Aircraft Operator", kind: factAttr},

	// Contact details and crypto.
	{label: "Digital Currency Address", kind: factID, id: interdict.IDCrypto},
	{label: "Email Address", kind: factID, id: interdict.IDEmail},
	{label: "EMAIL", kind: factID, id: interdict.IDEmail},
	{label: "Website", kind: factID, id: interdict.IDWebsite},
	{label: "Phone Number", kind: factID, id: interdict.IDPhone},
	{label: "Telephone", kind: factID, id: interdict.IDPhone},
	{label: "Telephone Number", kind: factID, id: interdict.IDPhone},
	{label: "Phone", kind: factID, id: interdict.IDPhone},
	{label: "Fax", kind: factID, id: interdict.IDPhone},
	{label: "Fax Number", kind: factID, id: interdict.IDPhone},

	// Sanctions information.
	{label: "Additional Sanctions Information", kind: factAttr},
	{label: "Secondary sanctions risk", kind: factAttr},
	{label: "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions", kind: factAttr},
	{label: "Executive Order 13662 Directive Determination", kind: factAttr},
	{label: "Executive Order 13846 information", kind: factAttr},
	{label: "Executive Order 14014 Directive Information", kind: factAttr},
	{label: "Executive Order 14024 Directive Information", kind: factAttr},
	{label: "Executive Order 14059 information", kind: factAttr},
	{label: "CAATSA Section 235 Information", kind: factAttr},
	{label: "IFCA Determination", kind: factAttr},
	{label: "PEESA Information", kind: factAttr},
	{label: "Listing Date", kind: factAttr, paren: true},
	{label: "Effective Date", kind: factAttr, paren: true},
	{label: "Purchase/Sales For Divestment Date", kind: factAttr, paren: true},
	{label: "Target Type", kind: factAttr},
	{label: "Organization Type", kind: factAttr},
	{label: "Issuer Name", kind: factAttr},
}

// specsByWord indexes specs by their lower-cased first word, longest label
// first.
var specsByWord = func() map[string][]*factSpec {
	m := map[string][]*factSpec{}
	for i := range specs {
		s := &specs[i]
		w := firstWord(s.label)
		m[w] = append(m[w], s)
	}
	for _, l := range m {
		sort.SliceStable(l, func(i, j int) bool { return len(l[i].label) > len(l[j].label) })
	}
	return m
}()

func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		s = s[:i]
	}
	return strings.ToLower(s)
}

// matchLabel finds the spec whose label starts item. It returns the label as
// written in item (with a parenthesised continuation for paren specs) and
// the rest of the item with separators (":", "-", "#") trimmed.
func matchLabel(item string) (*factSpec, string, string) {
	for _, s := range specsByWord[firstWord(item)] {
		n := len(s.label)
		if len(item) < n || !strings.EqualFold(item[:n], s.label) {
			continue
		}
		if n < len(item) && isWordByte(item[n]) && isWordByte(item[n-1]) {
			continue // "Passports", not "Passport"
		}
		label, rest := item[:n], item[n:]
		if s.paren {
			r := strings.TrimLeft(rest, " ")
			if !strings.HasPrefix(r, "(") {
				continue
			}
			end := strings.IndexByte(r, ')')
			if end < 0 {
				continue
			}
			label = label + " " + r[:end+1]
			rest = r[end+1:]
		}
		return s, label, strings.TrimLeft(rest, " :-#")
	}
	return nil, "", ""
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// mapper applies facts to entities and reports doubtful ones.
type mapper struct {
	r    *source.Result
	list string
	file string
	line int
	uid  string
}

func (m *mapper) warn(fieldName string, err error) {
	m.r.Warn(&source.ParseError{List: m.list, File: m.file, Line: m.line, Record: m.uid, Field: fieldName, Err: err})
}

// factCtx carries what a structured format gives beside the fact's text.
type factCtx struct {
	// iso is the ISO alpha-2 country the file gives; countryName its text.
	iso, countryName string
	// note qualifies an identifier ("issued 01 Jan 2010").
	note string
	// date is a date the file gives already parsed (Enhanced XML valueDate).
	date *interdict.Date
	// field names the source field in warnings.
	field string
}

// applyItem applies one labelled fact ("Passport A123 (Iran)", "DOB circa
// 1960", "Linked To: HAMAS") to e. It reports false when the label is not
// known, leaving e unchanged.
func (m *mapper) applyItem(e *interdict.Entity, item string, x factCtx) bool {
	item = strings.TrimSpace(item)
	if strings.HasPrefix(item, "alt. ") {
		item = strings.TrimSpace(item[5:])
	}
	if strings.HasPrefix(item, "(") && strings.HasSuffix(item, ")") {
		item = strings.TrimSpace(item[1 : len(item)-1])
	}
	s, label, rest := matchLabel(item)
	if s == nil {
		return false
	}
	rest = strings.TrimSpace(rest)
	if s.canon != "" {
		label = s.canon
	}
	fieldName := x.field
	if fieldName == "" {
		fieldName = label
	}
	switch s.kind {
	case factAlias:
		name := strings.TrimSpace(rest)
		name = strings.TrimSuffix(name, ".")
		if len(name) >= 2 && (name[0] == '\'' || name[0] == '"') && name[len(name)-1] == name[0] {
			name = name[1 : len(name)-1]
		}
		q := aliasQuality(label, "weak")
		if n, ok := personName(name, q, e.Kind); ok {
			source.AddName(e, n)
		}
	case factLinked:
		if rest == "" {
			return true
		}
		e.Relations = append(e.Relations, interdict.Relation{Type: interdict.RelLinkedTo, TargetName: rest})
	case factGender:
		switch strings.ToLower(strings.TrimSuffix(rest, ".")) {
		case "male":
			e.Gender = "male"
		case "female":
			e.Gender = "female"
		default:
			e.AddAttribute("Gender", rest)
		}
	case factDate:
		if x.date != nil {
			d := *x.date
			d.Type = s.date
			e.Dates = append(e.Dates, d)
			return true
		}
		if rest == "" {
			return true
		}
		d, err := parseDate(s.date, rest)
		if err != nil {
			m.warn(fieldName, err)
		}
		e.Dates = append(e.Dates, d)
	case factPOB:
		if rest == "" {
			return true
		}
		iso := x.iso
		if iso == "" {
			iso = placeCountry(rest)
		}
		e.BirthPlaces = append(e.BirthPlaces, interdict.Place{Text: rest, Country: iso})
	case factNationality, factCitizen, factCountry:
		text := strings.TrimSuffix(rest, ".")
		if strings.EqualFold(text, "None Identified") {
			return true
		}
		iso := x.iso
		if iso == "" {
			iso = countryCode(text)
		}
		switch {
		case iso == "" && text != "":
			m.warn(fieldName, fmt.Errorf("country %q not resolved", text))
			e.AddAttribute(label, text)
		case s.kind == factNationality:
			e.Nationalities = source.AppendUnique(e.Nationalities, iso)
		case s.kind == factCitizen:
			e.Citizenships = source.AppendUnique(e.Citizenships, iso)
		default:
			e.Countries = source.AppendUnique(e.Countries, iso)
			key := s.key
			if key == "" {
				key = label
			}
			e.AddAttribute(key, text)
		}
	case factAttr:
		key := s.key
		if key == "" {
			key = label
		}
		e.AddAttribute(key, rest)
	case factID:
		m.addIdentifier(e, s.id, label, rest, x)
	}
	return true
}

// addIdentifier parses "A123 (Iran) issued 01 Jan 2010 expires 2020" into an
// identifier. A country in parentheses is taken only when the file gives
// none separately.
func (m *mapper) addIdentifier(e *interdict.Entity, typ interdict.IdentifierType, label, rest string, x factCtx) {
	value, note := rest, x.note
	if typ == interdict.IDCrypto && !strings.Contains(label, " - ") {
		// "Digital Currency Address - XBT 12Qt...": the currency belongs to the label.
		if cur, v, ok := strings.Cut(value, " "); ok {
			label += " - " + cur
			value = strings.TrimSpace(v)
		}
	}
	for _, kw := range []string{" issued ", " expires ", " Issue Date ", " Expire Date "} {
		if i := strings.Index(value, kw); i >= 0 {
			note = joinNonEmpty([]string{strings.TrimSpace(value[i:]), note}, "; ")
			value = strings.TrimSpace(value[:i])
		}
	}
	iso, cname := x.iso, x.countryName
	if iso == "" && cname == "" && strings.HasSuffix(value, ")") {
		if i := strings.LastIndexByte(value, '('); i > 0 {
			c := strings.TrimSpace(value[i+1 : len(value)-1])
			if code := countryCode(c); code != "" {
				iso, cname = code, c
				value = strings.TrimSpace(value[:i])
			}
		}
	}
	value = strings.TrimSpace(strings.TrimSuffix(value, ","))
	if v, ok := strings.CutPrefix(value, "IMO "); ok && (typ == interdict.IDIMO || isUID(v)) {
		typ, value = interdict.IDIMO, strings.TrimSpace(v)
	}
	if value == "" {
		m.warn(label, errors.New("identifier without a value"))
		return
	}
	if iso == "" && cname != "" {
		iso = countryCode(cname)
	}
	e.Identifiers = append(e.Identifiers, interdict.Identifier{Type: typ, Label: label, Value: value, Country: iso, Note: note})
}

// placeCountry resolves the country of a place of birth, "Culiacan, Sinaloa,
// Mexico", from its last comma-separated part, else the whole text.
func placeCountry(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if i := strings.LastIndexByte(s, ','); i >= 0 {
		if c := countryCode(strings.TrimSpace(s[i+1:])); c != "" {
			return c
		}
	}
	return countryCode(s)
}

// parseDate reads an OFAC date: "10 Dec 1948", "Dec 1948", "1948", "circa
// 1963", "1960 to 1962", "01 Jan 1960 to 31 Dec 1962" and MM/DD/YYYY. A date
// that cannot be read is returned with only Raw set, and an error.
func parseDate(typ interdict.DateType, raw string) (interdict.Date, error) {
	raw = strings.TrimSpace(raw)
	s := strings.TrimSuffix(raw, ".")
	d, err := source.ParseDate(typ, s, source.MonthFirst)
	if err == nil {
		d.Raw = raw
		return d, nil
	}
	for _, sep := range []string{" to ", " - ", " and "} {
		a, b, ok := strings.Cut(s, sep)
		if !ok {
			continue
		}
		a = strings.TrimPrefix(strings.TrimSpace(a), "between ")
		da, errA := source.ParseDate(typ, a, source.MonthFirst)
		db, errB := source.ParseDate(typ, strings.TrimSpace(b), source.MonthFirst)
		if errA == nil && errB == nil {
			from, to := da.From, db.To
			if from > to {
				from, to = db.From, da.To
			}
			return interdict.Date{Type: typ, From: from, To: to, Precision: interdict.PrecisionRange, Raw: raw}, nil
		}
	}
	return interdict.Date{Type: typ, Raw: raw}, err
}

// applyRemarks splits a remark into its ";"-separated facts and applies each
// to e. The final full stop of the remark ends the last fact; full stops
// inside ("Linked To: BIESTRA S.A.; ...") belong to the value.
func (m *mapper) applyRemarks(e *interdict.Entity, remarks string) {
	parts := strings.Split(remarks, "; ")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if i == len(parts)-1 {
			p = strings.TrimSuffix(p, ".")
		}
		if p == "" {
			continue
		}
		m.applyItem(e, p, factCtx{field: "Remarks"})
	}
}
