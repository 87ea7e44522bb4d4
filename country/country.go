// Package country resolves the many ways lists write a country ("Iran",
// "IRN", "Iran (Islamic Republic of)", "Russia / Russie", "Korea, North") to
// ISO 3166-1 alpha-2 codes.
package country

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

//go:embed countries.tsv
var table string

// aliases holds names lists use that the UN terminology table does not.
var aliases = map[string]string{
	"russia": "RU", "iran": "IR", "persia": "IR", "north korea": "KP", "dprk": "KP",
	"korea north": "KP", "korea democratic people s republic": "KP", "south korea": "KR",
	"korea south": "KR", "republic of korea": "KR", "korea": "KR", "syria": "SY", "burma": "MM",
	"myanmar burma": "MM", "laos": "LA", "vietnam": "VN", "viet nam": "VN", "moldova": "MD",
	"tanzania": "TZ", "bolivia": "BO", "venezuela": "VE", "taiwan": "TW", "macau": "MO",
	"macao": "MO", "hong kong": "HK", "palestinian": "PS", "palestine": "PS", "west bank": "PS",
	"gaza": "PS", "gaza strip": "PS", "kosovo": "XK", "congo democratic republic": "CD",
	"democratic republic of the congo": "CD", "democratic republic of congo": "CD", "drc": "CD",
	"congo kinshasa": "CD", "congo brazzaville": "CG", "republic of the congo": "CG", "congo": "CG",
	"ivory coast": "CI", "cote d ivoire": "CI", "czech republic": "CZ", "czechia": "CZ",
	"united states": "US", "usa": "US", "united states of america": "US", "u s a": "US", "us": "US",
	"united kingdom": "GB", "uk": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
	"scotland": "GB", "wales": "GB", "northern ireland": "GB", "uae": "AE",
	"united arab emirates": "AE", "turkey": "TR", "turkiye": "TR", "the netherlands": "NL",
	"netherlands": "NL", "holland": "NL", "brunei": "BN", "cape verde": "CV", "swaziland": "SZ",
	"eswatini": "SZ", "macedonia": "MK", "north macedonia": "MK", "vatican": "VA",
	"holy see": "VA", "micronesia": "FM", "st kitts and nevis": "KN", "st lucia": "LC",
	"st vincent and the grenadines": "VC", "east timor": "TL", "timor leste": "TL",
	"crimea": "UA", "crimea region of ukraine": "UA", "donetsk": "UA", "luhansk": "UA",
	"lugansk": "UA", "zaporizhzhia": "UA", "kherson": "UA", "sevastopol": "UA",
	"soviet union": "RU", "ussr": "RU", "yugoslavia": "RS", "serbia and montenegro": "RS",
	"bosnia": "BA", "bosnia herzegovina": "BA", "bosnia and herzegovina": "BA",
	"libya": "LY", "libyan arab jamahiriya": "LY", "gambia": "GM", "bahamas": "BS",
	"sudan": "SD", "south sudan": "SS", "iraq": "IQ", "yemen": "YE", "lebanon": "LB",
	"belarus": "BY", "byelorussia": "BY", "kyrgyzstan": "KG", "kyrgyz republic": "KG",
	"slovakia": "SK", "slovak republic": "SK", "falkland islands": "FK", "reunion": "RE",
	"curacao": "CW", "sint maarten": "SX", "aland islands": "AX", "region: crimea": "UA",
	"international": "", "unknown": "", "stateless": "", "none": "",
}

var (
	once   sync.Once
	byKey  map[string]string
	names  map[string]string
	codes3 map[string]string
)

func load() {
	byKey = map[string]string{}
	names = map[string]string{}
	codes3 = map[string]string{}
	for _, line := range strings.Split(table, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			continue
		}
		a2, a3 := f[0], f[1]
		codes3[a3] = a2
		ns := strings.Split(f[2], "|")
		names[a2] = ns[0]
		for _, n := range ns {
			k := Key(n)
			if _, dup := byKey[k]; !dup && k != "" {
				byKey[k] = a2
			}
		}
	}
	for k, v := range aliases {
		byKey[Key(k)] = v
	}
}

// Key folds a country name to a lookup key: lower case, no diacritics, no
// punctuation, no leading "the", parenthesised articles dropped, and
// "Korea, North" turned into "north korea".
func Key(s string) string {
	s = norm.NFKD.String(strings.ToLower(strings.TrimSpace(s)))
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	k := b.String()
	for _, art := range []string{" the", " la", " le", " el", " les", " los", " las", " l"} {
		k = strings.TrimSuffix(k, art)
	}
	k = strings.TrimPrefix(k, "the ")
	return k
}

// Code returns the ISO 3166-1 alpha-2 code for a country name or code as
// lists write it, or "" when it cannot be resolved. Bilingual names such as
// "Russia / Russie" are resolved by their first part that is known.
func Code(s string) string {
	once.Do(load)
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if len(s) == 2 && isUpper(s) {
		if _, ok := names[s]; ok {
			return s
		}
		if s == "XK" {
			return s
		}
	}
	if len(s) == 3 && isUpper(s) {
		if c, ok := codes3[s]; ok {
			return c
		}
	}
	if c, ok := byKey[Key(s)]; ok {
		return c
	}
	// "Korea, North" and "Iran, Islamic Republic of" swap around the comma.
	if a, b, ok := strings.Cut(s, ","); ok {
		if c, ok := byKey[Key(b+" "+a)]; ok {
			return c
		}
		if c, ok := byKey[Key(a)]; ok {
			return c
		}
	}
	for _, sep := range []string{" / ", "/", ";"} {
		if strings.Contains(s, sep) {
			for _, p := range strings.Split(s, sep) {
				if c := Code(p); c != "" {
					return c
				}
			}
		}
	}
	// "Iran (Islamic Republic of)" and similar.
	if i := strings.IndexByte(s, '('); i > 0 {
		if c, ok := byKey[Key(s[:i])]; ok {
			return c
		}
	}
	return ""
}

// Name returns the English short name for an alpha-2 code, or "".
func Name(code string) string {
	once.Do(load)
	if code == "XK" {
		return "Kosovo"
	}
	return names[code]
}

func isUpper(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}
