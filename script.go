package interdict

import "unicode"

// scripts are checked in order; the first with the most letters wins.
var scripts = []struct {
	code  string
	table *unicode.RangeTable
}{
	{"Latn", unicode.Latin},
	{"Cyrl", unicode.Cyrillic},
	{"Arab", unicode.Arabic},
	{"Hebr", unicode.Hebrew},
	{"Grek", unicode.Greek},
	{"Hani", unicode.Han},
	{"Hang", unicode.Hangul},
	{"Hira", unicode.Hiragana},
	{"Kana", unicode.Katakana},
	{"Thai", unicode.Thai},
	{"Geor", unicode.Georgian},
	{"Armn", unicode.Armenian},
	{"Deva", unicode.Devanagari},
	{"Beng", unicode.Bengali},
	{"Ethi", unicode.Ethiopic},
	{"Mymr", unicode.Myanmar},
	{"Khmr", unicode.Khmer},
	{"Tibt", unicode.Tibetan},
	{"Taml", unicode.Tamil},
	{"Sinh", unicode.Sinhala},
}

// Script returns the ISO 15924 code of the script most of s's letters are
// written in, "Zyyy" for letters of other scripts, or "" when s has no letters.
func Script(s string) string {
	counts := make([]int, len(scripts)+1)
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		found := false
		if r < 0x80 {
			counts[0]++
			continue
		}
		for i, sc := range scripts {
			if unicode.Is(sc.table, r) {
				counts[i]++
				found = true
				break
			}
		}
		if !found {
			counts[len(scripts)]++
		}
	}
	best, bestN := -1, 0
	for i, n := range counts {
		if n > bestN {
			best, bestN = i, n
		}
	}
	switch {
	case best < 0:
		return ""
	case best == len(scripts):
		return "Zyyy"
	}
	return scripts[best].code
}
