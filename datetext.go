package interdict

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Birth dates as customer files write them.
//
// ParseDOB turns the many ways a spreadsheet, a core banking export or a
// person types a birth date into one canonical form the matcher reads:
//
//	YYYY | YYYY-MM | YYYY-MM-DD      a year, a month or a day
//	FROM/TO                          an interval of two of those forms
//
// Intervals stand for uncertainty: "circa 1970" is 1965/1975, "1970s" is
// 1970/1979, and an ambiguous "03/04/1970" read with DateOrderAuto is
// 1970-03-04/1970-04-03, the interval covering both readings.

// minDOBYear and maxDOBYear bound a plausible birth year.
const (
	minDOBYear = 1800
	maxDOBYear = 2200
)

// circaYears is how far "circa 1970" reaches either side.
const circaYears = 5

// ParseDOB reads a birth date and returns its canonical form (see above) and
// a note when the value was read only in part (an impossible day kept as its
// year and month, a two-digit year resolved to a century) or not at all (dob
// is then ""). An empty value gives "", "". It never fails otherwise: what it
// cannot read is dropped with a note. Two-digit years are read as birth
// years: 19yy when yy is after the current year's last two digits, 20yy
// otherwise. order reads ambiguous numeric dates; DateOrderAuto gives the
// interval covering both readings.
func ParseDOB(s string, order DateOrder) (dob, note string) {
	return parseDOB(s, order, time.Now().Year())
}

func parseDOB(s string, order DateOrder, nowYear int) (string, string) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "" {
		return "", ""
	}
	if len(s) > 64 {
		return "", "longer than any date"
	}
	if nullDates[s] {
		return "", "no date given"
	}
	// An ISO 8601 date-time: 1969-07-16T00:00:00, 1969-07-16 00:00:00.
	if len(s) > 10 && isDigits(s[:4]) && s[4] == '-' && s[7] == '-' && (s[10] == 't' || s[10] == ' ') {
		s = s[:10]
	}
	// A time after the date, as spreadsheets display date-times:
	// "7/16/1969 0:00", "16.07.1969 00:00:00", "7/16/1969 12:00:00 AM".
	if f := strings.Fields(s); len(f) > 1 {
		n := len(f)
		for n > 1 && (strings.Contains(f[n-1], ":") || f[n-1] == "am" || f[n-1] == "pm") {
			n--
		}
		if n < len(f) {
			s = strings.Join(f[:n], " ")
		}
	}
	// Approximate years.
	for _, p := range circaPrefixes {
		if rest, ok := strings.CutPrefix(s, p); ok && rest != "" && (p[len(p)-1] == '.' || p == "~" || rest[0] == ' ') {
			d, note := parseDOB(strings.TrimSpace(rest), order, nowYear)
			if d == "" {
				return "", notReadable(note)
			}
			lo, _ := strconv.Atoi(d[:4])
			hi, _ := strconv.Atoi(d[strings.LastIndexByte(d, '/')+1:][:4])
			return fmt.Sprintf("%04d/%04d", max(lo-circaYears, minDOBYear), min(hi+circaYears, maxDOBYear)), note
		}
	}
	// A decade: 1970s, 1970's.
	if d := strings.TrimSuffix(strings.TrimSuffix(s, "s"), "'"); len(d) == 4 && len(s) > 4 && isDigits(d) && d[3] == '0' {
		y, _ := strconv.Atoi(d)
		if y < minDOBYear || y+9 > maxDOBYear {
			return "", fmt.Sprintf("decade outside %d..%d", minDOBYear, maxDOBYear)
		}
		return fmt.Sprintf("%04d/%04d", y, y+9), ""
	}
	// An interval as written: 1965/1975, 1970-03-04/1970-04-03, 1965-1975.
	if a, b, ok := splitInterval(s); ok {
		fa, _, na := parseDOBSpan(a, order, nowYear)
		_, tb, nb := parseDOBSpan(b, order, nowYear)
		if fa.y != 0 && tb.y != 0 {
			from, to := fa.String(), tb.String()
			if tb.before(fa) {
				from, to = tb.String(), fa.String()
			}
			if from == to {
				return from, joinNotes(na, nb)
			}
			return from + "/" + to, joinNotes(na, nb)
		}
	}
	from, to, note := parseDOBSpan(s, order, nowYear)
	if from.y == 0 {
		return "", notReadable(note)
	}
	if from == to {
		return from.String(), note
	}
	return from.String() + "/" + to.String(), note
}

func notReadable(note string) string {
	if note != "" {
		return note
	}
	return "not a date (YYYY-MM-DD, DD.MM.YYYY, 16 Jul 1969, circa 1970 and the like)"
}

func joinNotes(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "" || a == b:
		return a
	}
	return a + "; " + b
}

// nullDates are the ways files say a date (or a country) is not known.
var nullDates = map[string]bool{
	"n/a": true, "na": true, "n.a.": true, "unknown": true, "unk": true, "-": true, "--": true, "---": true,
	"none": true, "null": true, "nil": true, "?": true, "??": true, "not known": true, "not available": true,
	"unbekannt": true, "inconnu": true, "inconnue": true, "desconocido": true, "0": true, "x": true,
	"00/00/0000": true, "00.00.0000": true, "0000-00-00": true, "tbc": true, "tbd": true,
}

var circaPrefixes = []string{"circa", "approximately", "approx.", "approx", "about", "around", "abt.", "abt",
	"ca.", "ca", "c.", "c", "~", "ok.", "env.", "environ", "etwa", "um"}

// splitInterval splits "A/B" or "A - B" where both sides start with a
// four-digit year or end with one and A is not the start of a Y/M/D date.
func splitInterval(s string) (string, string, bool) {
	for _, sep := range []string{" to ", " - ", " – ", "/", "-", "–"} {
		a, b, ok := strings.Cut(s, sep)
		if !ok || strings.Contains(b, sep) && (sep == "/" || sep == "-") {
			continue
		}
		a, b = strings.TrimSpace(a), strings.TrimSpace(b)
		if yearLed(a) && yearLed(b) {
			return a, b, true
		}
	}
	return "", "", false
}

// yearLed reports whether s begins with a four-digit year followed by
// nothing or by a date separator.
func yearLed(s string) bool {
	return len(s) >= 4 && isDigits(s[:4]) && (len(s) == 4 || s[4] == '-' || s[4] == '.')
}

// ymd is a date of which the month and day may be unknown (0).
type ymd struct{ y, m, d int }

func (v ymd) String() string {
	switch {
	case v.m == 0:
		return fmt.Sprintf("%04d", v.y)
	case v.d == 0:
		return fmt.Sprintf("%04d-%02d", v.y, v.m)
	}
	return fmt.Sprintf("%04d-%02d-%02d", v.y, v.m, v.d)
}

func (v ymd) before(o ymd) bool {
	if v.y != o.y {
		return v.y < o.y
	}
	if v.m != o.m {
		return v.m < o.m
	}
	return v.d < o.d
}

type dateToken struct {
	text  string
	num   int // -1 for a word
	month int // 1..12 for a month name
}

// parseDOBSpan reads one date, returning the interval it covers (from ==
// to unless the date is ambiguous); from.y == 0 when it is unreadable.
func parseDOBSpan(s string, order DateOrder, nowYear int) (from, to ymd, note string) {
	toks, ok := tokenizeDate(s)
	if !ok || len(toks) == 0 {
		return ymd{}, ymd{}, ""
	}
	var nums []dateToken
	month := 0
	for _, t := range toks {
		switch {
		case t.month != 0 && month == 0:
			month = t.month
		case t.num >= 0:
			nums = append(nums, t)
		default:
			return ymd{}, ymd{}, ""
		}
	}
	if month != 0 {
		// 16 Jul 1969, July 16, 1969, 16-Jul-1969, Jul 1969, 1969 Jul 16.
		var y, d int
		var yTok dateToken
		switch len(nums) {
		case 1:
			yTok = nums[0]
		case 2:
			yTok, d = nums[1], nums[0].num
			if len(nums[0].text) == 4 {
				yTok, d = nums[0], nums[1].num
			}
		default:
			return ymd{}, ymd{}, ""
		}
		y, note = fullYear(yTok, nowYear)
		if y == 0 {
			return ymd{}, ymd{}, note
		}
		v, n := validDate(y, month, d)
		return v, v, joinNotes(note, n)
	}
	switch len(nums) {
	case 1:
		t := nums[0]
		switch len(t.text) {
		case 4:
			y, n := fullYear(t, nowYear)
			if y == 0 {
				return ymd{}, ymd{}, n
			}
			return ymd{y: y}, ymd{y: y}, ""
		case 8: // 19690716, or 16071969
			y, _ := strconv.Atoi(t.text[:4])
			m, _ := strconv.Atoi(t.text[4:6])
			d, _ := strconv.Atoi(t.text[6:])
			if y < minDOBYear || y > maxDOBYear {
				d, _ = strconv.Atoi(t.text[:2])
				m, _ = strconv.Atoi(t.text[2:4])
				y, _ = strconv.Atoi(t.text[4:])
			}
			if y < minDOBYear || y > maxDOBYear {
				return ymd{}, ymd{}, ""
			}
			v, n := validDate(y, m, d)
			return v, v, n
		}
		return ymd{}, ymd{}, ""
	case 2:
		// 1969-07 or 07/1969.
		a, b := nums[0], nums[1]
		if len(a.text) != 4 {
			a, b = b, a
		}
		if len(a.text) != 4 || len(b.text) > 2 {
			return ymd{}, ymd{}, ""
		}
		y, n := fullYear(a, nowYear)
		if y == 0 {
			return ymd{}, ymd{}, n
		}
		v, n := validDate(y, b.num, 0)
		return v, v, n
	case 3:
	default:
		return ymd{}, ymd{}, ""
	}
	a, b, c := nums[0], nums[1], nums[2]
	if len(a.text) == 4 || (order == DateOrderYMD && len(c.text) <= 2 && len(a.text) <= 2) {
		// 1969-07-16, 1969/07/16.
		y, n := fullYear(a, nowYear)
		if y == 0 || len(b.text) > 2 || len(c.text) > 2 {
			return ymd{}, ymd{}, n
		}
		v, n2 := validDate(y, b.num, c.num)
		return v, v, joinNotes(n, n2)
	}
	if len(a.text) > 2 || len(b.text) > 2 || (len(c.text) != 4 && len(c.text) != 2) {
		return ymd{}, ymd{}, ""
	}
	y, note := fullYear(c, nowYear)
	if y == 0 {
		return ymd{}, ymd{}, note
	}
	dmy := func() (ymd, string) { return validDate(y, b.num, a.num) }
	mdy := func() (ymd, string) { return validDate(y, a.num, b.num) }
	dotted := strings.Contains(s, ".")
	var v ymd
	var n string
	switch {
	case a.num == 0 || b.num == 0:
		// 00/00/1970, 00/07/1969: the unknown parts are zero.
		if a.num > 12 || (b.num > 0 && b.num <= 12 && order != DateOrderMDY) {
			v, n = dmy()
		} else {
			v, n = mdy()
		}
	case order == DateOrderDMY:
		v, n = dmy()
	case order == DateOrderMDY:
		v, n = mdy()
	case a.num > 12:
		v, n = dmy()
	case b.num > 12:
		v, n = mdy()
	case dotted:
		// 16.07.1969: the dotted form is day first wherever it is used.
		v, n = dmy()
	case a.num == b.num:
		v, n = dmy()
	default:
		// 03/04/1970: both readings, as an interval.
		d1, n1 := dmy()
		d2, n2 := mdy()
		if d2.before(d1) {
			d1, d2 = d2, d1
		}
		return d1, d2, joinNotes(note, joinNotes(n1, n2))
	}
	return v, v, joinNotes(note, n)
}

// validDate keeps the valid part of y-m-d: the whole date, or the year and
// month when the day does not exist, or the year when the month does not.
// A zero month or day means unknown and is no fault.
func validDate(y, m, d int) (ymd, string) {
	if m == 0 {
		return ymd{y: y}, ""
	}
	if m > 12 {
		return ymd{y: y}, fmt.Sprintf("month %d does not exist; only the year %04d is used", m, y)
	}
	if d == 0 {
		return ymd{y: y, m: m}, ""
	}
	if d > time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return ymd{y: y, m: m}, fmt.Sprintf("day %d does not exist in %04d-%02d; only the year and month are used", d, y, m)
	}
	return ymd{y: y, m: m, d: d}, ""
}

// fullYear reads a four-digit year, or a two-digit one as a birth year.
func fullYear(t dateToken, nowYear int) (int, string) {
	switch len(t.text) {
	case 4:
		if t.num < minDOBYear || t.num > maxDOBYear {
			return 0, fmt.Sprintf("year %d outside %d..%d", t.num, minDOBYear, maxDOBYear)
		}
		return t.num, ""
	case 2:
		y := nowYear/100*100 + t.num
		if t.num > nowYear%100 {
			y -= 100
		}
		return y, fmt.Sprintf("two-digit year %s read as %d", t.text, y)
	}
	return 0, ""
}

// tokenizeDate splits a date into numbers and words, dropping separators and
// the ordinal suffixes of day numbers (16th).
func tokenizeDate(s string) ([]dateToken, bool) {
	var toks []dateToken
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j-i > 8 {
				return nil, false
			}
			n, _ := strconv.Atoi(s[i:j])
			toks = append(toks, dateToken{text: s[i:j], num: n})
			// 16th, 1st, 2nd, 3rd, 1er.
			for _, suf := range []string{"st", "nd", "rd", "th", "er", "."} {
				if strings.HasPrefix(s[j:], suf) && suf != "." && (j+len(suf) == len(s) || !isLetter(s[j+len(suf)])) {
					j += len(suf)
					break
				}
			}
			i = j
		case isLetter(c) || c >= 0x80:
			j := i
			for j < len(s) && (isLetter(s[j]) || s[j] >= 0x80) {
				j++
			}
			w := strings.TrimSuffix(s[i:j], ".")
			m, ok := monthNames[w]
			if !ok {
				if w == "of" || w == "de" || w == "del" || w == "the" {
					i = j
					continue
				}
				return nil, false
			}
			toks = append(toks, dateToken{text: w, num: -1, month: m})
			i = j
		case c == ' ' || c == '.' || c == '/' || c == '-' || c == ',' || c == '\t' || c == '_':
			i++
		default:
			return nil, false
		}
	}
	return toks, true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// monthNames are month names and abbreviations in English, German, French,
// Spanish, Italian and Portuguese, lower case.
var monthNames = func() map[string]int {
	m := map[string]int{}
	for i, names := range [12]string{
		"jan january januar janv janvier janvier enero ene gennaio gen janeiro jän jänner",
		"feb february februar fev févr fevr février fevrier febrero febbraio fevereiro",
		"mar march märz maerz marz mars marzo março marco mär",
		"apr april avr avril abril aprile abr",
		"may mai mayo maggio maio mag",
		"jun june juni juin junio giugno junho giu",
		"jul july juli juil juillet julio luglio julho lug",
		"aug august août aout agosto ago",
		"sep sept september septembre septiembre settembre setembro set",
		"oct october oktober okt octobre octubre ottobre outubro out ott",
		"nov november novembre noviembre novembro",
		"dec december dezember dez décembre decembre diciembre dic dicembre dezembro",
	} {
		for _, n := range strings.Fields(names) {
			m[n] = i + 1
		}
	}
	return m
}()
