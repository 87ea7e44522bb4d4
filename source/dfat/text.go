package dfat

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/source"
)

type parsedDate struct {
	date interdict.Date
	err  error
}

// parseDates reads a Date of Birth cell: an Excel serial day (25324), a
// year (1963), a date in words or numbers ("14 Jul. 1975", "15/06/1971",
// "Approximately 1955- 1958"), or a list of them ("a) 1 Jan. 1964 b) 1 Feb.
// 1964", "1973; 1983", "07/08/1957; alt DOB: 08/07/1957"). Text that cannot
// be read is kept as a Date with only Raw set, and an error.
func parseDates(typ interdict.DateType, raw string) []parsedDate {
	var out []parsedDate
	var walk func(s string, depth int)
	walk = func(s string, depth int) {
		s = strings.Trim(source.CleanSpace(s), " ,;.")
		s = trimWords(s)
		if s == "" || isNull(s) {
			return
		}
		if d, err := excelOrText(typ, s); err == nil {
			out = append(out, parsedDate{date: d})
			return
		}
		if inner, ok := strings.CutPrefix(s, "("); ok {
			if inner, ok = strings.CutSuffix(inner, ")"); ok {
				if d, err := source.ParseDate(typ, inner, source.DayFirst); err == nil {
					d.Raw = s
					out = append(out, parsedDate{date: d})
					return
				}
			}
		}
		// A note after the date: "5 Feb. 1970 (this aka only".
		if i := strings.Index(s, " ("); i > 0 {
			if d, err := excelOrText(typ, s[:i]); err == nil {
				d.Raw = s
				out = append(out, parsedDate{date: d})
				return
			}
		}
		if depth < 4 {
			if parts := splitDateList(s); len(parts) > 1 {
				for _, p := range parts {
					walk(p, depth+1)
				}
				return
			}
		}
		_, err := source.ParseDate(typ, s, source.DayFirst)
		out = append(out, parsedDate{date: interdict.Date{Type: typ, Raw: s}, err: err})
	}
	// Runs of spaces separate dates ("5/06/1953   15/06/1953"); keep them
	// visible to splitDateList by marking them before CleanSpace.
	walk(strings.ReplaceAll(strings.ReplaceAll(raw, "   ", " ; "), "\n", " ; "), 0)
	return out
}

// trimWords removes the words DFAT puts before a date: "alt DOB:",
// "born", "Between" (of "Between 1968 and 1973").
func trimWords(s string) string {
	for {
		t := s
		for _, w := range []string{"alt DOB:", "alt DOB", "alt born", "born", "Between", "between"} {
			t = strings.TrimSpace(strings.TrimPrefix(t, w))
		}
		if t == s {
			return s
		}
		s = t
	}
}

// isNull reports a null marker, including DFAT's "na".
func isNull(s string) bool {
	return source.IsNull(s) || strings.EqualFold(s, "na")
}

// splitDateList splits at the first kind of separator s contains: list
// markers "a)", ";", ">>", " or ", ",".
func splitDateList(s string) []string {
	if parts := splitMarkers(s); len(parts) > 1 {
		return parts
	}
	for _, sep := range []string{";", ">>", " or ", " OR ", ","} {
		if strings.Contains(s, sep) {
			return strings.Split(s, sep)
		}
	}
	return nil
}

// excelOrText reads an Excel serial day (5 digits), a year (4 digits) or a
// date in text.
func excelOrText(typ interdict.DateType, s string) (interdict.Date, error) {
	s = strings.TrimSpace(s)
	if len(s) >= 5 && isNumber(s) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return interdict.Date{}, fmt.Errorf("date %q: %w", s, err)
		}
		return source.ExcelDate(typ, f, s)
	}
	return source.ParseDate(typ, s, source.DayFirst)
}

func isNumber(s string) bool {
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0:
			dot = true
		default:
			return false
		}
	}
	return true
}

// splitMarkers splits a list written "a) x b) y" or "a)x; b)y". It returns
// s alone when s has no "a)" marker.
func splitMarkers(s string) []string {
	var out []string
	next := byte('a')
	start := -1
	for i := 0; i+1 < len(s); i++ {
		if s[i] != next || s[i+1] != ')' || (i > 0 && !isSep(s[i-1])) {
			continue
		}
		if start >= 0 {
			out = append(out, s[start:i])
		} else if strings.TrimSpace(s[:i]) != "" {
			out = append(out, s[:i])
		}
		start = i + 2
		next++
	}
	if start < 0 {
		return []string{s}
	}
	out = append(out, s[start:])
	for i := range out {
		out[i] = strings.Trim(strings.TrimSpace(out[i]), ",;")
	}
	return out
}

func isSep(c byte) bool {
	return c == ' ' || c == ';' || c == ',' || c == '\n' || c == '\t' || c == '('
}

// splitList splits a place or address cell at its "a) b)" markers.
func splitList(v string) []string {
	var out []string
	for _, p := range splitMarkers(source.CleanSpace(v)) {
		p = strings.Trim(p, " ,;")
		if !isNull(p) {
			out = append(out, p)
		}
	}
	return out
}

// lastPart returns the last comma-separated part of s without a trailing
// parenthesis: "Madrid, Spain (detained)" → "Spain".
func lastPart(s string) string {
	if i := strings.LastIndexByte(s, ','); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.IndexByte(s, '('); i > 0 {
		s = s[:i]
	}
	return strings.Trim(s, " .")
}

// placeCountry resolves the country of a place: its last part, else the
// whole text.
func placeCountry(s string) string {
	if c := country.Code(lastPart(s)); c != "" {
		return c
	}
	return country.Code(s)
}

// demonyms maps the adjectives the Citizenship column uses to country codes.
var demonyms = map[string]string{
	"afghan": "AF", "afghani": "AF", "algerian": "DZ", "australian": "AU", "azerbaijani": "AZ",
	"bahraini": "BH", "belarusian": "BY", "belarussian": "BY", "belgian": "BE", "bosnian": "BA",
	"british": "GB", "bulgarian": "BG", "canadian": "CA", "chadian": "TD", "chinese": "CN",
	"congolese": "CD", "cypriot": "CY", "danish": "DK", "dutch": "NL", "egyptian": "EG",
	"emirati": "AE", "eritrean": "ER", "ethiopian": "ET", "filipino": "PH", "french": "FR",
	"georgian": "GE", "german": "DE", "indian": "IN", "indonesian": "ID", "iranian": "IR",
	"iraqi": "IQ", "israeli": "IL", "italian": "IT", "jordanian": "JO", "kazakhstani": "KZ",
	"kenyan": "KE", "kuwaiti": "KW", "kyrgyz": "KG", "lebanese": "LB", "libyan": "LY",
	"malaysian": "MY", "malian": "ML", "mauritanian": "MR", "mauritian": "MU", "moldovan": "MD",
	"moroccan": "MA", "nigerian": "NG", "nigerien": "NE", "north korean": "KP", "norwegian": "NO",
	"pakistani": "PK", "palestinian": "PS", "qatari": "QA", "russian": "RU", "rwandan": "RW",
	"saudi": "SA", "saudi arabian": "SA", "senegalese": "SN", "serbian": "RS", "slovak": "SK",
	"somali": "SO", "south sudanese": "SS", "spanish": "ES", "sudanese": "SD", "swedish": "SE",
	"swiss": "CH", "syrian": "SY", "tajik": "TJ", "tajikistani": "TJ", "tanzanian": "TZ",
	"tunisian": "TN", "turkish": "TR", "türkiyish": "TR", "ugandan": "UG", "ukrainian": "UA",
	"ukranian": "UA", "american": "US", "uzbek": "UZ", "uzbekistani": "UZ", "venezuelan": "VE",
	"united kingdom of great britain": "GB", "yemeni": "YE", "zimbabwean": "ZW", "burmese": "MM",
}

// resolveCountry resolves a country name or demonym.
func resolveCountry(s string) string {
	s = strings.Trim(source.CleanSpace(s), " .")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "Possibly "), "possibly ")
	if c, ok := demonyms[strings.ToLower(s)]; ok {
		return c
	}
	return country.Code(s)
}

// citizenships resolves a Citizenship cell ("Russian", "Russian and
// Ukrainian", "a) Afghanistan b) Pakistan", "United Kingdom of Great Britain
// and Northern Ireland") to codes. unresolved reports text that named no
// known country, such as "Kuwaiti citizenship withdrawn in 2002".
func citizenships(v string) (codes []string, unresolved bool) {
	v = source.CleanSpace(v)
	if c := resolveCountry(v); c != "" {
		return []string{c}, false
	}
	for _, part := range splitMarkers(v) {
		if c := resolveCountry(part); c != "" {
			codes = source.AppendUnique(codes, c)
			continue
		}
		for _, p := range strings.FieldsFunc(part, func(r rune) bool { return r == ';' || r == ',' || r == '/' || r == '(' || r == ')' }) {
			p = strings.TrimSpace(p)
			if isNull(p) {
				continue
			}
			if c := resolveCountry(p); c != "" {
				codes = source.AppendUnique(codes, c)
				continue
			}
			for _, q := range strings.Split(p, " and ") {
				if c := resolveCountry(q); c != "" {
					codes = source.AppendUnique(codes, c)
				} else if !isNull(strings.TrimSpace(q)) {
					unresolved = true
				}
			}
		}
	}
	return codes, unresolved
}
