package source

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/interdict/interdict"
)

// MaxYear and MinYear bound plausible years in list dates. Outside them a date
// is kept as raw text and reported (the BIS DPL has expiry years such as 3033).
const (
	MinYear = 1800
	MaxYear = 2100
)

var months = map[string]time.Month{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
	"may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
	"september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

// DayDate returns a date given to the day.
func DayDate(typ interdict.DateType, y int, m time.Month, d int, raw string) interdict.Date {
	s := fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	return interdict.Date{Type: typ, From: s, To: s, Precision: interdict.PrecisionDay, Raw: raw}
}

// MonthDate returns a date given to the month.
func MonthDate(typ interdict.DateType, y int, m time.Month, raw string) interdict.Date {
	last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return interdict.Date{Type: typ, From: fmt.Sprintf("%04d-%02d-01", y, m), To: fmt.Sprintf("%04d-%02d-%02d", y, m, last), Precision: interdict.PrecisionMonth, Raw: raw}
}

// YearRange returns the interval from the first day of year from to the last
// day of year to with the given precision (PrecisionYear when from == to).
func YearRange(typ interdict.DateType, from, to int, p interdict.DatePrecision, raw string) interdict.Date {
	if from > to {
		from, to = to, from
	}
	return interdict.Date{Type: typ, From: fmt.Sprintf("%04d-01-01", from), To: fmt.Sprintf("%04d-12-31", to), Precision: p, Raw: raw}
}

var (
	reISO      = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$`)
	reISOMonth = regexp.MustCompile(`^(\d{4})-(\d{1,2})$`)
	reYear     = regexp.MustCompile(`^(\d{4})$`)
	reDMonY    = regexp.MustCompile(`^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[-, ]*(\d{4})$`)
	reMonDY    = regexp.MustCompile(`^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$`)
	reMonY     = regexp.MustCompile(`^([A-Za-z]{3,9})\.?[ -](\d{4})$`)
	reSlash    = regexp.MustCompile(`^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$`)
	reYearYear = regexp.MustCompile(`^(\d{4}) ?(?:to|-|–|and) ?(\d{4})$`)
	reCirca    = regexp.MustCompile(`^(?i)(?:circa|ca\.?|c\.|approx(?:imately)?\.?|about)\s*(.+)$`)
)

// DateOrder says how to read an all-numeric date such as 03/04/1970.
type DateOrder int

// Date orders.
const (
	MonthFirst DateOrder = iota // US: MM/DD/YYYY (OFAC)
	DayFirst                    // DD/MM/YYYY (UK, EU, most others)
)

// CircaYears is how far a "circa" year is widened either side.
const CircaYears = 2

// ParseDate reads the date formats lists use: ISO (1970-12-31, 1970-12,
// 1970), "10 Dec 1948", "Dec 10, 1948", "Dec 1948", numeric dates in the
// given order, "1960 to 1962", and "circa 1963" / "ca. 1963". It returns an
// error naming the text for anything else, and for impossible dates such as
// 31/02/1970 or year 3033.
func ParseDate(typ interdict.DateType, raw string, order DateOrder) (interdict.Date, error) {
	s := strings.TrimSpace(raw)
	s = strings.TrimSuffix(s, ".")
	if s == "" {
		return interdict.Date{}, fmt.Errorf("empty date")
	}
	if m := reCirca.FindStringSubmatch(s); m != nil {
		d, err := ParseDate(typ, m[1], order)
		if err != nil {
			return d, err
		}
		fy, _ := strconv.Atoi(d.From[:4])
		ty, _ := strconv.Atoi(d.To[:4])
		c := YearRange(typ, fy-CircaYears, ty+CircaYears, interdict.PrecisionCirca, raw)
		return c, nil
	}
	check := func(y int) error {
		if y < MinYear || y > MaxYear {
			return fmt.Errorf("date %q: implausible year %d", raw, y)
		}
		return nil
	}
	day := func(y int, m time.Month, d int) (interdict.Date, error) {
		if err := check(y); err != nil {
			return interdict.Date{}, err
		}
		if m < 1 || m > 12 || d < 1 || d > time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() {
			return interdict.Date{}, fmt.Errorf("date %q: no such day", raw)
		}
		return DayDate(typ, y, m, d, raw), nil
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	if m := reISO.FindStringSubmatch(s); m != nil {
		return day(atoi(m[1]), time.Month(atoi(m[2])), atoi(m[3]))
	}
	if m := reISOMonth.FindStringSubmatch(s); m != nil {
		y, mo := atoi(m[1]), atoi(m[2])
		if err := check(y); err != nil {
			return interdict.Date{}, err
		}
		if mo < 1 || mo > 12 {
			return interdict.Date{}, fmt.Errorf("date %q: no such month", raw)
		}
		return MonthDate(typ, y, time.Month(mo), raw), nil
	}
	if m := reYear.FindStringSubmatch(s); m != nil {
		y := atoi(m[1])
		if err := check(y); err != nil {
			return interdict.Date{}, err
		}
		return YearRange(typ, y, y, interdict.PrecisionYear, raw), nil
	}
	if m := reYearYear.FindStringSubmatch(s); m != nil {
		a, b := atoi(m[1]), atoi(m[2])
		if err := check(a); err != nil {
			return interdict.Date{}, err
		}
		if err := check(b); err != nil {
			return interdict.Date{}, err
		}
		return YearRange(typ, a, b, interdict.PrecisionRange, raw), nil
	}
	if m := reDMonY.FindStringSubmatch(s); m != nil {
		if mo, ok := months[strings.ToLower(m[2])]; ok {
			return day(atoi(m[3]), mo, atoi(m[1]))
		}
	}
	if m := reMonDY.FindStringSubmatch(s); m != nil {
		if mo, ok := months[strings.ToLower(m[1])]; ok {
			return day(atoi(m[3]), mo, atoi(m[2]))
		}
	}
	if m := reMonY.FindStringSubmatch(s); m != nil {
		if mo, ok := months[strings.ToLower(m[1])]; ok {
			y := atoi(m[2])
			if err := check(y); err != nil {
				return interdict.Date{}, err
			}
			return MonthDate(typ, y, mo, raw), nil
		}
	}
	if m := reSlash.FindStringSubmatch(s); m != nil {
		a, b, y := atoi(m[1]), atoi(m[2]), atoi(m[3])
		if order == MonthFirst {
			return day(y, time.Month(a), b)
		}
		return day(y, time.Month(b), a)
	}
	return interdict.Date{}, fmt.Errorf("date %q: unrecognised format", raw)
}

// ExcelDate converts an Excel serial day number (1900 date system) to a date.
func ExcelDate(typ interdict.DateType, serial float64, raw string) (interdict.Date, error) {
	if serial < 1 || serial > 100000 {
		return interdict.Date{}, fmt.Errorf("excel date %q: out of range", raw)
	}
	t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(serial))
	return DayDate(typ, t.Year(), t.Month(), t.Day(), raw), nil
}
