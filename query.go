package interdict

import (
	"strings"
	"time"
)

// dobLayouts are the birth-date forms a Query accepts.
var dobLayouts = []string{"2006-01-02", "2006-01", "2006", "02.01.2006", "02/01/2006"}

// Validate checks a query before screening and returns an EINVALID error
// naming the first bad field: a query needs a name or an identifier; Kind,
// when set, must be a known kind; DOB, when set, must be a real date in one
// of the forms YYYY, YYYY-MM, YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY.
func (q Query) Validate() error {
	if strings.TrimSpace(q.Name) == "" && strings.TrimSpace(q.IDNumber) == "" {
		return Errorf(EINVALID, "field name: a query needs a name or an id_number")
	}
	if len(q.Name) > 1000 {
		return Errorf(EINVALID, "field name: longer than 1000 bytes")
	}
	if q.Kind != "" {
		if _, ok := ParseKind(string(q.Kind)); !ok {
			return Errorf(EINVALID, "field type: %q is not person, organization, vessel or aircraft", q.Kind)
		}
	}
	if d := strings.TrimSpace(q.DOB); d != "" {
		ok := false
		for _, l := range dobLayouts {
			if t, err := time.Parse(l, d); err == nil && t.Year() >= 1800 && t.Year() <= 2200 {
				ok = true
				break
			}
		}
		if !ok {
			return Errorf(EINVALID, "field dob: %q is not a date (YYYY, YYYY-MM, YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY)", q.DOB)
		}
	}
	return nil
}
