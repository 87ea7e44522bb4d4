package canada

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/interdict/interdict/source"
)

// alias is one name found in the free-text Aliases element.
type alias struct {
	name string
	lang string
}

// langLabels are the language labels the Aliases element puts before names
// ("Belarusian: Мікалай ...; Russian: Николай ...").
var langLabels = map[string]string{
	"russian": "ru", "belarusian": "be", "belarussian": "be", "ukrainian": "uk",
	"arabic": "ar", "persian": "fa", "farsi": "fa", "chinese": "zh", "hebrew": "he",
	"english": "en", "french": "fr",
}

// legalForms are words that follow a comma inside an organisation's name
// ("Завод "Дагдизель", АО") rather than start a new alias.
var legalForms = map[string]bool{
	"ао": true, "оао": true, "пао": true, "зао": true, "ооо": true, "ао.": true,
	"ao": true, "oao": true, "pao": true, "zao": true, "ooo": true, "llc": true,
	"ltd": true, "ltd.": true, "inc": true, "inc.": true, "jsc": true, "pjsc": true,
	"ojsc": true, "cjsc": true, "sarl": true, "s.a.": true, "sa": true, "co.": true,
	"corp.": true, "gmbh": true, "llp": true, "lp": true, "plc": true, "limited": true,
}

// splitAliases splits the Aliases text into names. The element is free
// text: names are separated by ";", ",", " or " and " / ", and may carry a
// language label. Commas also occur inside names, so a piece after a comma is
// joined back to the one before when it is a legal form or starts in lower
// case, and for persons when the piece before is a single word ("Sergei,
// Serhii SHERBAKOV" lists variants of the given name). " or " and " / "
// split a person's aliases only when every side is a full name of two or more
// words ("Katsiaryna or Katerina Smuschkovich" is kept whole).
func splitAliases(raw string, person bool) []alias {
	raw = source.CleanSpace(raw)
	if raw == "" {
		return nil
	}
	var out []alias
	for _, group := range strings.Split(raw, ";") {
		for _, piece := range splitCommas(group, person) {
			lang := ""
			piece, lang = cutLabel(piece)
			for _, a := range splitWords(piece, " or ", person) {
				for _, b := range splitWords(a, " / ", true) {
					b = strings.Trim(b, " ,.")
					if b != "" {
						out = append(out, alias{name: b, lang: lang})
					}
				}
			}
		}
	}
	return out
}

// splitCommas splits s at ", " unless the comma is inside a name.
func splitCommas(s string, person bool) []string {
	parts := strings.Split(s, ",")
	var out []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if len(out) > 0 && !startsLabel(p) && joinsPrevious(out[len(out)-1], p, person) {
			out[len(out)-1] += ", " + p
			continue
		}
		out = append(out, p)
	}
	return out
}

func joinsPrevious(prev, p string, person bool) bool {
	if legalForms[strings.ToLower(strings.Trim(p, " "))] {
		return true
	}
	r, _ := utf8.DecodeRuneInString(p)
	if unicode.IsLower(r) {
		return true
	}
	if person && !strings.Contains(prev, " ") && !startsLabel(prev) {
		return true
	}
	return false
}

// cutLabel removes a leading language label ("Russian: ", "Russian :").
func cutLabel(s string) (string, string) {
	label, rest, ok := strings.Cut(s, ":")
	if !ok {
		return s, ""
	}
	lang, ok := langLabels[strings.ToLower(strings.TrimSpace(label))]
	if !ok {
		return s, ""
	}
	return strings.TrimSpace(rest), lang
}

func startsLabel(s string) bool {
	_, lang := cutLabel(s)
	return lang != ""
}

// splitWords splits s at sep; when fullNames is set, only if every part has
// at least two words.
func splitWords(s, sep string, fullNames bool) []string {
	if !strings.Contains(s, sep) {
		return []string{s}
	}
	parts := strings.Split(s, sep)
	if fullNames {
		for _, p := range parts {
			if len(strings.Fields(p)) < 2 {
				return []string{s}
			}
		}
	}
	return parts
}
