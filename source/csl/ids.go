package csl

import (
	"fmt"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/source"
)

// The ids field carries, besides documents, OFAC "features": gender, dates,
// sanctions information. These labels name facts that are not identifiers;
// they are kept in Attributes under the label.
var factLabels = map[string]bool{
	"Target Type": true, "Aircraft Model": true, "Aircraft Operator": true, "Former Vessel Flag": true,
	"Other Vessel Flag": true, "Other Vessel Type": true, "Issuer Name": true,
	"Executive Order 14024 Directive Information": true,
}

// countryLabels are fact labels whose value is a country the entity is
// registered in.
var countryLabels = map[string]bool{"Nationality of Registration": true, "Registration Country": true}

var idTypes = map[string]interdict.IdentifierType{
	"SWIFT/BIC": interdict.IDBIC, "Legal Entity Number": interdict.IDLEI, "Website": interdict.IDWebsite,
	"Email Address": interdict.IDEmail, "Phone Number": interdict.IDPhone, "MMSI": interdict.IDMMSI,
	"Other Vessel Call Sign": interdict.IDCallSign,

	"Tax ID No.": interdict.IDTax, "NIT #": interdict.IDTax, "R.F.C.": interdict.IDTax, "RFC": interdict.IDTax,
	"RUC #": interdict.IDTax, "V.A.T. Number": interdict.IDTax, "US FEIN": interdict.IDTax,
	"Italian Fiscal Code": interdict.IDTax, "Fiscal Code": interdict.IDTax, "C.U.I.T.": interdict.IDTax,
	"C.U.I.": interdict.IDTax, "RIF #": interdict.IDTax, "C.I.F.": interdict.IDTax, "RTN": interdict.IDTax,
	"RSIN": interdict.IDTax, "Romanian Tax Registration": interdict.IDTax,
	"Paraguayan tax identification number":            interdict.IDTax,
	"Numero Unico de Identificacao Tributaria (NUIT)": interdict.IDTax,

	"National ID No.": interdict.IDNational, "Cedula No.": interdict.IDNational, "C.U.R.P.": interdict.IDNational,
	"D.N.I.": interdict.IDNational, "Personal ID Card": interdict.IDNational,
	"Identification Number": interdict.IDNational, "National Foreign ID Number": interdict.IDNational,
	"Tazkira National ID Card": interdict.IDNational, "Kenyan ID No.": interdict.IDNational,
	"Turkish Identification Number": interdict.IDNational, "Citizen's Card Number": interdict.IDNational,
	"Numero de Identidad": interdict.IDNational, "Bosnian Personal ID No.": interdict.IDNational,
	"Moroccan Personal ID No.": interdict.IDNational, "CNP (Personal Numerical Code)": interdict.IDNational,
	"SSN": interdict.IDNational, "Electoral Registry No.": interdict.IDNational,
	"Credencial electoral": interdict.IDNational, "I.F.E.": interdict.IDNational, "C.U.I.P.": interdict.IDNational,
	"Stateless Person ID Card": interdict.IDNational, "Refugee ID Card": interdict.IDNational,
	"UAE Identification": interdict.IDNational, "N.I.E.": interdict.IDNational,
	"Residency Number": interdict.IDNational, "Romanian Permanent Resident": interdict.IDNational,
	"Public Security and Immigration No.": interdict.IDNational,
}

// idType maps a CSL id label to an IdentifierType.
func idType(label, value string) interdict.IdentifierType {
	if t, ok := idTypes[label]; ok {
		return t
	}
	l := strings.ToLower(label)
	switch {
	case strings.HasPrefix(l, "digital currency address"):
		return interdict.IDCrypto
	case strings.Contains(l, "passport"):
		return interdict.IDPassport
	case strings.HasPrefix(l, "aircraft") || strings.Contains(l, "aircraft tail"):
		return interdict.IDAircraft
	case label == "Vessel Registration Identification":
		if strings.HasPrefix(strings.ToUpper(value), "IMO") {
			return interdict.IDIMO
		}
		return interdict.IDRegistration
	case strings.Contains(l, "driver") || strings.Contains(l, "pilot") || label == "Chinese Commercial Code":
		return interdict.IDOther
	case strings.Contains(l, "regist") || strings.Contains(l, "company") || strings.Contains(l, "chamber") ||
		strings.Contains(l, "commerc") || strings.Contains(l, "mercantil") || strings.Contains(l, "licen") ||
		strings.Contains(l, "incorporation") || strings.Contains(l, "enterprise") || strings.Contains(l, "gazette") ||
		strings.Contains(l, "d-u-n-s") || strings.Contains(l, "social credit") || strings.Contains(l, "c.r.") ||
		strings.Contains(l, "business") || strings.Contains(l, "branch unit") || label == "LE Number":
		return interdict.IDRegistration
	}
	return interdict.IDOther
}

// isFact reports whether an id label names a fact rather than a document:
// OFAC writes those labels ending in ":" or " -", or as dates.
func isFact(label string) bool {
	return factLabels[label] || countryLabels[label] || strings.HasSuffix(label, ":") || strings.HasSuffix(label, " -") ||
		strings.HasPrefix(label, "Listing Date") || strings.HasPrefix(label, "Effective Date") ||
		strings.HasPrefix(label, "Purchase/Sales For Divestment Date")
}

// factKey is the attribute key for a fact label: the label without its
// trailing ":" or " -".
func factKey(label string) string {
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(label, ":"), " -"))
}

// mapIdent adds one ids entry to e as an identifier, gender, date or
// attribute.
func (b *builder) mapIdent(e *interdict.Entity, id ident, warn func(string, error)) {
	label := source.CleanSpace(id.typ)
	value := source.CleanSpace(id.number)
	switch {
	case label == "" && value == "":
		return
	case label == "Gender":
		switch strings.ToLower(value) {
		case "male":
			e.Gender = "male"
		case "female":
			e.Gender = "female"
		default:
			warn("ids", fmt.Errorf("unknown gender %q", value))
			e.AddAttribute("Gender", value)
		}
		return
	case label == "Organization Established Date" || label == "Aircraft Manufacture Date":
		typ := interdict.DateIncorporation
		if label == "Aircraft Manufacture Date" {
			typ = interdict.DateBuild
		}
		d, err := source.ParseDate(typ, value, source.MonthFirst)
		if err != nil {
			warn("ids", fmt.Errorf("%s: %w", label, err))
			d = interdict.Date{Type: typ, Raw: value}
		}
		e.Dates = append(e.Dates, d)
		return
	case isFact(label):
		e.AddAttribute(factKey(label), value)
		if countryLabels[label] {
			if cc := country.Code(value); cc != "" {
				e.Countries = source.AppendUnique(e.Countries, cc)
			}
		}
		return
	}
	if value == "" {
		warn("ids", fmt.Errorf("identifier %q has no number", label))
		return
	}
	idf := interdict.Identifier{Type: idType(label, value), Label: label, Value: value}
	if c := strings.TrimSpace(id.country); c != "" {
		if cc := country.Code(c); cc != "" {
			idf.Country = cc
		} else {
			warn("ids", fmt.Errorf("unknown country %q of %s %s", c, label, value))
			idf.Note = "country " + c
		}
	}
	var notes []string
	if idf.Note != "" {
		notes = append(notes, idf.Note)
	}
	if id.issue != "" {
		notes = append(notes, "issued "+id.issue)
	}
	if id.expiration != "" {
		notes = append(notes, "expires "+id.expiration)
	}
	if id.date != "" {
		notes = append(notes, "issued or expires "+id.date)
	}
	idf.Note = strings.Join(notes, "; ")
	for _, have := range e.Identifiers {
		if have == idf {
			return
		}
	}
	e.Identifiers = append(e.Identifiers, idf)
}

// parseIDs reads the CSV ids field: "; "-separated entries, each the
// non-empty JSON fields in key order country, expiration_date, issue_date,
// number, type, joined with ", ". The type never holds ", "; the number
// may ("Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201 ...").
func parseIDs(s string) []ident {
	var out []ident
	for _, entry := range strings.Split(s, "; ") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		parts := strings.Split(entry, ", ")
		var id ident
		id.typ = parts[len(parts)-1]
		parts = parts[:len(parts)-1]
		if len(parts) >= 2 && isCountryCode(parts[0]) {
			id.country = parts[0]
			parts = parts[1:]
		}
		var dates []string
		for len(parts) >= 2 && isISODate(parts[0]) {
			dates = append(dates, parts[0])
			parts = parts[1:]
		}
		switch len(dates) {
		case 1:
			id.date = dates[0]
		case 2:
			id.expiration, id.issue = dates[0], dates[1]
		default:
			if len(dates) > 2 {
				parts = append(dates, parts...)
			}
		}
		id.number = strings.Join(parts, ", ")
		out = append(out, id)
	}
	return out
}

func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// isISODate reports whether s is YYYY-MM-DD.
func isISODate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, c := range []byte(s) {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
