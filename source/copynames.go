package source

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/interdict/interdict"
)

// WeighCopyNames applies to the names of an entity read from a derived
// copy (Format.Derived) the one rule for copies that lost what the
// publisher's file says of each name: its language and its quality (a good
// alias, a low-quality alias, a nickname). Without it every name of the
// copy would weigh as much as the publisher's primary name, and a list that
// gives each name in every official language (the EU's) would put two
// dozen translations of each name before a query.
//
// A name becomes weak (interdict.NameWeak, weighed lower like a low-quality
// alias of the publishers' own files; a query that spells it still alerts)
// when it is:
//
//   - vague: the name of a person (or of an entity of unknown kind) in one
//     word or with an initial ("Romeo", "M. Akam"), or any name for which
//     the copy's own fragment predicate holds (nil for none);
//   - another language's form of a name the record also gives in plain
//     form (see OtherLanguageForm): for a person, a name that shares a
//     word with a plain Latin name of the record (the same name in
//     another language's spelling); for an organisation, every such name
//     when there are three or more (the translations of a list that
//     publishes in several languages), so that an organisation named in
//     its own language keeps its names.
//
// When the primary name is vague or another language's form, the first
// Latin name that is neither becomes the primary name (the primary one an
// alias), preferring for a person a name that writes the family name in
// capitals, as the EU's and the UK's files do; with no such name the
// primary name itself is weak.
func WeighCopyNames(e *interdict.Entity, fragment func(string) bool) {
	if len(e.Names) == 0 {
		return
	}
	org := e.Kind != interdict.KindPerson && e.Kind != interdict.KindUnknown
	weak := make([]bool, len(e.Names))
	other := make([]bool, len(e.Names))
	plain := map[string]bool{} // the words of the plain Latin names
	foreign := 0
	for i := range e.Names {
		n := &e.Names[i]
		if (!org && Vague(n.Full)) || (fragment != nil && fragment(n.Full)) {
			weak[i] = true
			continue
		}
		if OtherLanguageForm(n.Full, org) {
			other[i] = true
			foreign++
		} else if scriptOf(n) == "Latn" {
			for _, w := range baseWords(n.Full) {
				plain[w] = true
			}
		}
	}
	if len(plain) > 0 {
		// A name in another script beside a plain Latin name: the copy
		// cannot say whether it is the original name or a translation
		// (the EU gives both), nor does it need it to find the person:
		// a query in that script is compared with the Latin names too.
		for i := range e.Names {
			if s := scriptOf(&e.Names[i]); s != "Latn" && s != "" && s != "Zyyy" {
				weak[i] = true
			}
		}
	}
	switch {
	case len(plain) == 0:
	case org && foreign >= 3:
		for i := range e.Names {
			weak[i] = weak[i] || other[i]
		}
	case !org && foreign > 0:
		// A person's name in another spelling: it shares a word, or the
		// stem of one, with a plain name of the record ("Háfiz Machlúf",
		// "Hafiz MAKHLOUF"; "Žanna Brysinová", "Zhanna BRYSINA").
		// A name of the person's own with such letters ("MÜLLER") that
		// no plain name spells stays.
		for i := range e.Names {
			if !other[i] || weak[i] {
				continue
			}
			for _, w := range baseWords(e.Names[i].Full) {
				if plain[w] || sharesStem(w, plain) {
					weak[i] = true
					break
				}
			}
		}
	}
	if weak[0] {
		best := -1
		for j := 1; j < len(e.Names); j++ {
			if weak[j] || scriptOf(&e.Names[j]) != "Latn" {
				continue
			}
			if best < 0 {
				best = j
			}
			if org || capitalFamilyName(e.Names[j].Full) {
				best = j
				break
			}
		}
		if best > 0 {
			e.Names[0].Quality, e.Names[best].Quality = interdict.NameStrong, interdict.NamePrimary
			e.Names[0], e.Names[best] = e.Names[best], e.Names[0]
			weak[0], weak[best] = weak[best], weak[0]
		}
	}
	for i := range e.Names {
		if weak[i] {
			e.Names[i].Quality = interdict.NameWeak
		}
	}
}

func scriptOf(n *interdict.Name) string {
	if n.Script != "" {
		return n.Script
	}
	return interdict.Script(n.Full)
}

// Vague reports whether a person's name names no one in particular: one
// word, or a name with an initial (a one-letter word, with or without its
// full stop).
func Vague(name string) bool {
	words := strings.FieldsFunc(name, func(r rune) bool {
		return unicode.IsSpace(r) || r == '.' || r == ',' || r == '-'
	})
	if len(words) < 2 {
		return true
	}
	for _, w := range words {
		if utf8.RuneCountInString(w) == 1 {
			return true
		}
	}
	return false
}

// OtherLanguageForm reports whether a name is written as a language other
// than English writes it, which a copy that lost the names' languages can
// still tell from the name itself: Greek letters, or Greek or Cyrillic
// words beside Latin ones ("бригада Kani"), Latin letters that English does
// not use ("Žanna", "Háfiz Machlúf", "Revolučná rada Fatah"), and for an
// organisation a function word of another European language ("Consejo
// Revolucionario de Al Fatah", "Front van Voorvechters").
func OtherLanguageForm(name string, org bool) bool {
	latin, other := false, false
	for _, r := range name {
		if !unicode.IsLetter(r) {
			continue
		}
		switch {
		case unicode.Is(unicode.Greek, r):
			return true
		case unicode.Is(unicode.Latin, r):
			if r > unicode.MaxASCII {
				return true
			}
			latin = true
		default:
			other = true
		}
	}
	if latin && other {
		return true
	}
	if !org || !latin {
		return false
	}
	for _, w := range strings.FieldsFunc(name, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '.' || r == '-' || r == '(' || r == ')' || r == '/'
	}) {
		if functionWords[strings.ToLower(w)] {
			return true
		}
	}
	return false
}

// functionWords are articles, prepositions and conjunctions of the EU's
// official languages other than English that name no one in Arabic,
// Persian or Chinese romanisations (so not "al", "el", "da", "an", "wa").
var functionWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`de del della dell degli dei delle di des du les la le aux van der den het een
		und für zur zum vom och för af av og ja ir és tal il agus ag na din și pentru dos das ve od iz za pri`) {
		functionWords[w] = true
	}
}

// baseWords returns the words of a Latin name of three or more letters, in
// lower case and without diacritics ("Žanna" gives "zanna", "Władimirowna"
// "wladimirowna").
func baseWords(name string) []string {
	var ws []string
	var b strings.Builder
	flush := func() {
		if utf8.RuneCountInString(b.String()) >= 3 {
			ws = append(ws, b.String())
		}
		b.Reset()
	}
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r):
			if s, ok := baseLetters[unicode.ToLower(r)]; ok {
				b.WriteString(s)
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
		default:
			flush()
		}
	}
	flush()
	return ws
}

// sharesStem reports whether a word begins with the first five letters of
// one of words ("brysinova", "brysina"): the same name with another
// language's ending.
func sharesStem(w string, words map[string]bool) bool {
	if len(w) < 5 {
		return false
	}
	for v := range words {
		if len(v) >= 5 && v[:5] == w[:5] {
			return true
		}
	}
	return false
}

// baseLetters are the Latin letters NFD does not decompose.
var baseLetters = map[rune]string{'ł': "l", 'ø': "o", 'đ': "d", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'ı': "i", 'ħ': "h", 'ŀ': "l", 'þ': "th", 'ð': "d"}

// capitalFamilyName reports whether a Latin name writes a word of two or
// more letters in capitals, as the EU's and the UK's files write a
// person's family name.
func capitalFamilyName(name string) bool {
	for _, w := range strings.Fields(name) {
		n, up := 0, true
		for _, r := range w {
			if unicode.IsLetter(r) {
				n++
				if !unicode.IsUpper(r) {
					up = false
				}
			}
		}
		if n >= 2 && up {
			return true
		}
	}
	return false
}
