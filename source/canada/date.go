package canada

import (
	"strconv"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
)

type parsedDate struct {
	date interdict.Date
	err  error
}

// parseDates reads DateOfBirthOrShipBuildDate. The data has ISO dates
// (1965-04-29, 1955-11, 1972), ranges (1963-1964), alternatives
// ("1963 or 1964", "1965-07-15 OR 1969-09-28") and prose ("born in the early
// 1970s"). A date that cannot be read is kept as Raw text with an error.
func parseDates(typ interdict.DateType, raw string) []parsedDate {
	var out []parsedDate
	for _, p := range splitOr(raw) {
		d, err := source.ParseDate(typ, p, source.DayFirst)
		if err != nil {
			if dd, ok := decade(typ, p); ok {
				d, err = dd, nil
			}
		}
		if err != nil {
			d = interdict.Date{Type: typ, Raw: p}
		}
		out = append(out, parsedDate{d, err})
	}
	return out
}

// splitOr splits at " or ", in any case.
func splitOr(s string) []string {
	var out []string
	for {
		i := strings.Index(strings.ToLower(s), " or ")
		if i < 0 {
			break
		}
		if p := strings.TrimSpace(s[:i]); p != "" {
			out = append(out, p)
		}
		s = s[i+4:]
	}
	if p := strings.TrimSpace(s); p != "" {
		out = append(out, p)
	}
	return out
}

// decade reads "[born in the] [early|mid|late] 1970s" as a range of years.
func decade(typ interdict.DateType, raw string) (interdict.Date, bool) {
	s := strings.ToLower(strings.TrimSpace(raw))
	s = strings.TrimPrefix(s, "born in ")
	s = strings.TrimPrefix(s, "the ")
	from, to := 0, 9
	for _, q := range []struct {
		word     string
		from, to int
	}{{"early ", 0, 3}, {"mid ", 3, 6}, {"mid-", 3, 6}, {"late ", 6, 9}} {
		if rest, ok := strings.CutPrefix(s, q.word); ok {
			s, from, to = rest, q.from, q.to
			break
		}
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, "s"), "'")
	if len(s) != 4 || s[3] != '0' {
		return interdict.Date{}, false
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < source.MinYear || y > source.MaxYear {
		return interdict.Date{}, false
	}
	return source.YearRange(typ, y+from, y+to, interdict.PrecisionRange, raw), true
}
