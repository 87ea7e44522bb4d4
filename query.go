package interdict

import "strings"

// maxNameBytes bounds a query name.
const maxNameBytes = 1000

// Validate checks a query strictly: it returns an EINVALID error naming the
// first field that Check would only warn about.
func (q Query) Validate() error {
	_, _, err := q.Check(CheckOptions{Strict: true})
	return err
}

// Check is the one validator of every entry point. It returns the query with
// its fields normalized (DOB in the canonical form of ParseDOB, Country
// through opt.Country) and a warning for each secondary field that could not
// be read; such a field is left out of screening, never the row. Only a query
// with no usable name and no identifier is an EINVALID error (or, with
// opt.Strict, any field that would be a warning).
func (q Query) Check(opt CheckOptions) (Query, []Warning, error) {
	var warns []Warning
	warn := func(field, value, msg string) {
		warns = append(warns, Warning{Field: field, Value: cut(value, 100), Message: msg})
	}
	q.Name = strings.TrimSpace(q.Name)
	q.IDNumber = strings.TrimSpace(q.IDNumber)
	if q.Name == "" && q.IDNumber == "" {
		return q, nil, Errorf(EINVALID, "field name: a query needs a name or an id_number")
	}
	if len(q.Name) > maxNameBytes {
		return q, nil, Errorf(EINVALID, "field name: longer than %d bytes", maxNameBytes)
	}
	if q.Kind != "" {
		if k, ok := ParseKind(string(q.Kind)); ok {
			q.Kind = k
		} else {
			warn("type", string(q.Kind), "not person, organization, vessel or aircraft; screened as any kind")
			q.Kind = ""
		}
	}
	if q.DOB != "" {
		dob, note := ParseDOB(q.DOB, opt.DateOrder)
		switch {
		case dob == "" && note != "":
			warn("dob", q.DOB, note+"; screened without it")
		case note != "":
			warn("dob", q.DOB, note+"; screened with "+dob)
		}
		q.DOB = dob
	}
	if g := strings.TrimSpace(q.Gender); g != "" {
		switch strings.ToLower(g) {
		case "male", "m", "man":
			q.Gender = "male"
		case "female", "f", "woman":
			q.Gender = "female"
		default:
			if !nullDates[strings.ToLower(g)] {
				warn("gender", q.Gender, "not male or female; screened without it")
			}
			q.Gender = ""
		}
	}
	// "NA" in capitals is Namibia's code; "n/a", "na", "unknown" say none.
	if c := strings.TrimSpace(q.Country); c != "" && c != "NA" && nullDates[strings.ToLower(c)] {
		warn("country", q.Country, "no country given; screened without it")
		q.Country = ""
	} else if c != "" && opt.Country != nil {
		if code, ok := opt.Country(c); ok {
			q.Country = code
		} else {
			warn("country", q.Country, "not a known country code or name; screened without it")
			q.Country = ""
		}
	}
	if opt.Strict && len(warns) > 0 {
		w := warns[0]
		return q, warns, Errorf(EINVALID, "field %s: %q: %s", w.Field, w.Value, w.Message)
	}
	return q, warns, nil
}

// cut shortens s to at most n bytes on a rune boundary, marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
