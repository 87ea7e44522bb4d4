package normalize

import "strings"

// Arabic compound names in "al-Din" ("of the faith": Jalal al-Din, Salah
// al-Din, Nur al-Din, Badr al-Din) are written apart, hyphenated or joined,
// with the article in any of its spellings or assimilated to the d:
// Jalal ud-Din, Jalaluddin, Badreddine, Nureddin, Ezzedine, Jallaloudine,
// and in Arabic script الدين, which romanizes as an article and din. They
// are spelled one way, the name and "uddin": jalaluddin, badruddin.

// dinTails are the spellings of din that end the compound.
var dinTails = []string{"dine", "deen", "din", "dyn"}

// dinArticles are the spellings of the article before din written apart
// (ud-Din, al-Din, ed-Dine) or joined to it (aldin, ldyn).
var dinArticles = map[string]bool{
	"al": true, "el": true, "ul": true, "il": true, "ol": true, "l": true,
	"ud": true, "ad": true, "ed": true, "id": true, "od": true, "oud": true, "d": true,
}

// dinTail returns the spelling of din that w ends with, "" if none.
func dinTail(w string) string {
	for _, t := range dinTails {
		if strings.HasSuffix(w, t) {
			return t
		}
	}
	return ""
}

// isDinWord reports whether w is din alone, or the article and din joined
// (aldin, uddin, eddine, ldyn).
func isDinWord(w string) bool {
	t := dinTail(w)
	if t == "" {
		return false
	}
	a := w[:len(w)-len(t)]
	return a == "" || dinArticles[a]
}

// joinDin spells an al-Din compound at the start of words as one token
// and returns it with the number of words it takes: "jalal ud din",
// "jalal uddin" and "jalaluddin" give "jalaluddin". The name before din
// needs two letters apart from it (sd ldyn, Arabic romanized without
// vowels), and three and a vowel joined to it (see dinStem), so that
// surnames ending in -din (Baldin, Bardin, Goldin) and given names like
// Claudine and Geraldine are left alone. It returns "", 0 when words do not start with a compound.
func joinDin(words []string) (string, int) {
	w := words[0]
	if len(w) < 2 || isDinWord(w) {
		return "", 0
	}
	if len(words) >= 3 && dinArticles[words[1]] {
		if t := words[2]; t == "din" || t == "dine" || t == "deen" || t == "dyn" {
			return w + "uddin", 3
		}
	}
	if len(words) >= 2 {
		if t := words[1]; dinTail(t) != t && isDinWord(t) {
			return w + "uddin", 2
		}
	}
	if s := dinStem(w); s != "" && len(w) >= 3 {
		return s + "uddin", 1
	}
	return "", 0
}

// dinStem returns the name in a joined al-Din compound (jalaluddin ->
// jalal, badreddine -> badr, ezzedine -> ezz, kamaldin -> kamal), "" if w
// is not one. The name needs three letters and a vowel.
func dinStem(w string) string {
	t := dinTail(w)
	if t == "" {
		return ""
	}
	r := w[:len(w)-len(t)]
	n := len(r)
	s := ""
	switch {
	case n >= 5 && strings.HasSuffix(r, "oud"):
		// The article assimilated to d: Ghiassouddine.
		s = r[:n-3]
	case n >= 4 && r[n-1] == 'd' && isVowel(r[n-2]):
		// ud, ed, ad, id, od: Jalaluddin, Badreddine, Kamoliddin.
		s = r[:n-2]
	case n >= 5 && strings.HasSuffix(r, "ul") && t != "dine":
		// Saifuldin, Zainuldin.
		s = r[:n-2]
	case n >= 6 && (strings.HasSuffix(r, "al") || strings.HasSuffix(r, "el")) && t != "dine":
		// The article al or el after a name of four letters at least
		// (Salahaldin, Badreldin); not before dine (Geraldine).
		s = r[:n-2]
	case n >= 4 && r[n-1] == 'l' && isVowel(r[n-2]) && t != "dine":
		// A shorter name ending in l before din (Kamaldin, Jalaldin),
		// read as the name and din.
		s = r
	case n >= 5 && strings.HasSuffix(r, "ou") && !isVowel(r[n-3]):
		// Jallaloudine.
		s = r[:n-2]
	case n >= 4 && r[n-1] == 'u' && !isVowel(r[n-2]):
		// Shamsudin, Nasirudin.
		s = r[:n-1]
	case n >= 4 && r[n-1] == 'e' && !isVowel(r[n-2]) && t != "din" && t != "dyn":
		// Ezzedine, Seifedine; not before din (Lebedin is a surname).
		s = r[:n-1]
	}
	if len(s) < 3 || !strings.ContainsAny(s, "aeiouy") {
		return ""
	}
	return s
}
