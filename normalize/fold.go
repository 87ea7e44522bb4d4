package normalize

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// arabicFold unifies Arabic and Persian letter variants that lists and
// customers use interchangeably. Letters not listed are kept.
var arabicFold = map[rune]rune{
	'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ٲ': 'ا', 'ٳ': 'ا',
	'ى': 'ي', 'ی': 'ي', 'ې': 'ي', 'ۍ': 'ي', 'ئ': 'ي',
	'ك': 'ک', 'ڪ': 'ک',
	'ؤ': 'و',
	'ۀ': 'ه', 'ہ': 'ه', 'ھ': 'ه', 'ە': 'ه',
	'٠': '0', '١': '1', '٢': '2', '٣': '3', '٤': '4', '٥': '5', '٦': '6', '٧': '7', '٨': '8', '٩': '9',
	'۰': '0', '۱': '1', '۲': '2', '۳': '3', '۴': '4', '۵': '5', '۶': '6', '۷': '7', '۸': '8', '۹': '9',
}

// dropped reports runes that carry no letter: Arabic tatweel and harakat,
// zero-width joiners and similar format characters, soft hyphens.
func dropped(r rune) bool {
	switch {
	case r == 'ـ', r == 'ء', r == 0x200C, r == 0x200D, r == 0x200B, r == 0xAD, r == 0xFEFF, r == 0x2060:
		return true
	case r >= 0x064B && r <= 0x065F, r == 0x0670, r >= 0x06D6 && r <= 0x06ED:
		return true
	case r >= 0x0591 && r <= 0x05C7 && r != 0x05BE && r != 0x05C0 && r != 0x05C3 && r != 0x05C6:
		return true // Hebrew points and cantillation
	}
	return false
}

// Fold returns s in NFKC, case folded, with Arabic and Persian letter variants
// unified and format characters removed, and every run of punctuation or
// space replaced by one space. It keeps the script and the combining marks of
// s: it does not transliterate. Single-letter abbreviations lose their dots
// ("S.A." becomes "sa", "U.S.A." becomes "usa"); an apostrophe joins the
// letters around it ("O'Brien" becomes "obrien"). Fold is idempotent.
func Fold(s string) string {
	return foldKeep(s, false)
}

// foldKeep is Fold; with commas true it keeps commas as "," tokens.
func foldKeep(s string, commas bool) string {
	if !norm.NFKC.IsNormalString(s) {
		s = norm.NFKC.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := true // last written was a space (or start)
	seg := 0      // letters since the last separator or dropped dot
	rs := []rune(s)
	isLetter := func(i int) bool { return i < len(rs) && unicode.IsLetter(rs[i]) }
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if dropped(r) {
			continue
		}
		if f, ok := arabicFold[r]; ok {
			r = f
		}
		switch {
		case r == 'ß' || r == 'ẞ':
			b.WriteString("ss")
			space, seg = false, seg+2
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			if !space && i > 0 && unicode.IsUpper(r) && unicode.IsLower(rs[i-1]) && gluedLegal(rs[i:]) {
				b.WriteByte(' ') // AcmeGmbH: the legal form is a word
				seg = 0
			}
			b.WriteRune(unicode.ToLower(r))
			space = false
			if !unicode.Is(unicode.Mn, r) {
				seg++
			}
		case r == '\'' || r == '’' || r == '‘' || r == 'ʼ' || r == 'ʻ' || r == '`' || r == '´' || r == 'ʿ' || r == 'ʾ' || r == '׳':
			// joins: O'Brien, Ma'ruf, Qur'an. After a Hebrew letter it is
			// a geresh, which makes another sound of the letter (ג׳ j,
			// ז׳ zh, צ׳ ch): kept, as ׳.
			if i > 0 && unicode.Is(unicode.Hebrew, rs[i-1]) && rs[i-1] != '׳' {
				b.WriteRune('׳')
			}
		case r == '.' && seg == 1 && (!isLetter(i+1) || !isLetter(i+2)):
			// S.A., U.S.A., J.P.: drop the dot after a single letter.
			seg = 0
		case r == ',' && commas:
			if !space {
				b.WriteByte(' ')
			}
			b.WriteString(", ")
			space, seg = true, 0
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
			seg = 0
		}
	}
	out := strings.TrimRight(b.String(), " ")
	// A dropped apostrophe or dot can bring a letter and a combining
	// mark together ("A'̌"): compose them, so that Fold is idempotent.
	if !norm.NFKC.IsNormalString(out) {
		out = norm.NFKC.String(out)
	}
	return out
}

// gluedForms are legal forms written with capitals that a company's name
// may carry glued to its last word (AcmeGmbH, NordLtd).
var gluedForms = []string{"GmbH", "AG", "Ltd", "LLC", "LLP", "Inc", "Corp", "PLC", "SpA", "SRL", "SARL", "BV", "NV", "OOO", "JSC", "PJSC", "OAO", "ZAO"}

// gluedLegal reports whether rs begins with one of gluedForms as a whole
// word: followed by its end, a space or punctuation.
func gluedLegal(rs []rune) bool {
	for _, f := range gluedForms {
		n := len(f)
		if len(rs) >= n && string(rs[:n]) == f && (len(rs) == n || !unicode.IsLetter(rs[n]) && !unicode.IsDigit(rs[n])) {
			return true
		}
	}
	return false
}
