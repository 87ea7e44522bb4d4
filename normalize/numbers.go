package normalize

import (
	"strconv"
	"strings"
)

// Number words and ordinals in English, as a company's name may spell a
// number (First Capital Bank / 1st Capital Bank, Twenty-One / 21).
var (
	unitWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
		"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9}
	teenWords = map[string]int{"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
		"seventeen": 17, "eighteen": 18, "nineteen": 19, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
		"fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19}
	tensWords = map[string]int{"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
		"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90}
)

// numberWords writes English number words and ordinals in a party's name as
// digits (twenty one -> 21, first -> 1) and drops the suffix of a written
// ordinal (1st -> 1, 22nd -> 22), so that each way of writing a number
// gives one token; it returns nil when the name has none.
func numberWords(words []string) []string {
	out := words[:0:0]
	changed := false
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case tensWords[w] > 0:
			n := tensWords[w]
			if i+1 < len(words) && unitWords[words[i+1]] > 0 && !strings.HasSuffix(w, "th") {
				n += unitWords[words[i+1]]
				i++
			}
			out, changed = append(out, strconv.Itoa(n)), true
		case teenWords[w] > 0:
			out, changed = append(out, strconv.Itoa(teenWords[w])), true
		case unitWords[w] > 0:
			out, changed = append(out, strconv.Itoa(unitWords[w])), true
		case ordinalDigits(w) != "":
			out, changed = append(out, ordinalDigits(w)), true
		default:
			out = append(out, w)
		}
	}
	if !changed {
		return nil
	}
	return out
}

// ordinalDigits returns the digits of a written ordinal (21st, 2nd, 3rd,
// 11th), or "".
func ordinalDigits(w string) string {
	if len(w) < 3 {
		return ""
	}
	d, suf := w[:len(w)-2], w[len(w)-2:]
	if suf != "st" && suf != "nd" && suf != "rd" && suf != "th" {
		return ""
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return ""
		}
	}
	return d
}
