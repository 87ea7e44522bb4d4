package normalize

import (
	"strings"
)

// Class is the role of a token in a name.
type Class uint8

// Token classes. Only ClassName tokens can make a match on their own; the
// others are down-weighted and never match alone.
const (
	ClassName      Class = iota // an ordinary name part
	ClassParticle               // al, bin, ibn, abu, van, de, ...
	ClassTitle                  // Sheikh, Haji, Seyyed, Dr, General, ...
	ClassLegalForm              // LLC, GmbH, OOO, Sdn Bhd, ...
	ClassStopword               // the, of, and, ...
	ClassGeneric                // Trading, Company, Holding, Bank, ...
	ClassNumber                 // 11420, 2
)

var classNames = [...]string{"name", "particle", "title", "legal-form", "stopword", "generic", "number"}

// String returns the class name used in explanations.
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "unknown"
}

// Token is one romanized token of a name.
type Token struct {
	// Text is lowercase ASCII: letters and digits.
	Text string
	// Key is Skeleton(Text).
	Key   string
	Class Class
}

// Variant is one romanization of a name, tokenized.
type Variant struct {
	Tokens []Token
	// System is the romanization system that produced the variant.
	System System
}

// Hint says what kind of party a name belongs to, which decides whether
// legal forms are looked for and whether "SURNAME, Given" is reordered.
type Hint uint8

// Hints.
const (
	AnyParty Hint = iota
	Person
	Organization
)

// Parse returns the distinct tokenized romanizations of a name, the primary
// one first. It returns nil for a name with no letters or digits.
func Parse(full string, hint Hint) []Variant {
	f := foldKeep(full, true)
	if strings.Contains(f, ",") {
		f = reorderComma(f, hint)
	}
	roms := romanizeAll(f)
	var out []Variant
	for _, r := range roms {
		toks := tokenize(r.text, hint)
		if len(toks) == 0 {
			continue
		}
		dup := false
		for _, o := range out {
			if sameTokens(o.Tokens, toks) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, Variant{Tokens: toks, System: r.sys})
		}
	}
	return out
}

type romanization struct {
	text string
	sys  System
}

func romanizeAll(f string) []romanization {
	if isASCII(f) {
		return []romanization{{f, ICAO}}
	}
	var out []romanization
	add := func(s string, sys System) {
		s = asciiFold(s)
		if s == "" {
			return
		}
		for _, o := range out {
			if o.text == s {
				return
			}
		}
		out = append(out, romanization{s, sys})
	}
	for sys := System(0); sys < numSystems; sys++ {
		add(romanizeFolded(f, sys), sys)
	}
	if strings.ContainsAny(f, "äöü") {
		add(strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue").Replace(f), English)
	}
	return out
}

func sameTokens(a, b []Token) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Text != b[i].Text {
			return false
		}
	}
	return true
}

// reorderComma turns "SURNAME, Given" into "Given SURNAME" unless what
// follows the comma is a legal form ("Acme, Inc.") or the name is an
// organisation's. Commas are removed.
func reorderComma(f string, hint Hint) string {
	parts := strings.Split(f, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	if len(parts) == 2 && hint != Organization && parts[0] != "" && parts[1] != "" {
		after := asciiFold(romanizeFolded(parts[1], ICAO))
		if _, legal := getTables().legal[after]; !legal && !allLegal(after) {
			return parts[1] + " " + parts[0]
		}
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

func allLegal(s string) bool {
	t := getTables()
	for _, w := range strings.Fields(s) {
		if _, ok := t.legal[w]; !ok && !t.generic[w] {
			return false
		}
	}
	return true
}

// tokenize splits a romanization and classes its tokens.
func tokenize(r string, hint Hint) []Token {
	words := strings.Fields(r)
	words = joinParts(words)
	toks := make([]Token, len(words))
	for i, w := range words {
		toks[i] = Token{Text: w, Class: ClassName}
	}
	t := getTables()
	// Legal forms at the end (repeatedly: "co ltd") and at the start (ООО).
	if hint != Person {
		end := len(toks)
		for end > 1 {
			n := matchLegal(t, words[:end], false)
			if n == 0 {
				break
			}
			for k := end - n; k < end; k++ {
				toks[k].Class = ClassLegalForm
			}
			end -= n
		}
		start := 0
		for start < end-1 {
			n := matchLegal(t, words[start:end], true)
			if n == 0 {
				break
			}
			for k := start; k < start+n; k++ {
				toks[k].Class = ClassLegalForm
			}
			start += n
		}
	}
	// Leading titles, while at least one other token remains.
	for i := 0; i < len(toks)-1; i++ {
		if toks[i].Class != ClassName || !titles[toks[i].Text] {
			break
		}
		toks[i].Class = ClassTitle
	}
	for i := range toks {
		w := toks[i].Text
		if toks[i].Class != ClassName {
			continue
		}
		switch {
		case isNumber(w):
			toks[i].Class = ClassNumber
		case particles[w] && hint != Organization:
			toks[i].Class = ClassParticle
		case stopwords[w] && (hint == Organization || len(toks) > 2):
			toks[i].Class = ClassStopword
		case particles[w]:
			toks[i].Class = ClassParticle
		case hint != Person && t.generic[w]:
			toks[i].Class = ClassGeneric
		}
	}
	for i := range toks {
		toks[i].Key = Skeleton(toks[i].Text)
	}
	return toks
}

// matchLegal returns how many tokens at the end (or, with prefix, the
// start) of words form a legal form, preferring the longest; 0 if none.
func matchLegal(t *tables, words []string, prefix bool) int {
	max := t.legalMax
	if max > len(words)-1 {
		max = len(words) - 1 // never the whole name
	}
	for n := max; n >= 1; n-- {
		var s string
		if prefix {
			s = strings.Join(words[:n], " ")
		} else {
			s = strings.Join(words[len(words)-n:], " ")
		}
		if _, ok := t.legal[s]; ok {
			return n
		}
		if n >= 2 {
			var ws []string
			if prefix {
				ws = words[:n]
			} else {
				ws = words[len(words)-n:]
			}
			if _, ok := t.legal[skeletonSeq(ws)]; ok {
				return n
			}
		}
	}
	return 0
}

func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

// abdPrefixes are spellings of Arabic عبد ال ("servant of the") that lists
// write before or joined to the following name.
var abdPrefixes = []string{"abdul", "abdel", "abdal", "abdol", "abdil", "abdur", "abdar", "abdor", "abdus", "abdas", "abduz", "abdun", "abdu", "abde", "abda", "abd"}

// articles that may stand between abd and the name: al-, el-, ul-, and the
// assimilated forms before sun letters.
var articles = map[string]bool{"al": true, "el": true, "ul": true, "ol": true, "il": true, "ar": true, "ur": true, "er": true, "as": true, "us": true, "es": true, "ad": true, "ud": true, "ed": true, "an": true, "un": true, "at": true, "ut": true, "az": true, "uz": true, "ash": true, "ush": true}

// joinParts spells the joined Arabic and Persian name parts one way:
// abd/abdul + name -> "abd"+name (Abdul Rahman, Abd al-Rahman, AbdulRahman,
// Abdurrahman all give "abdrahman"), X allah / Xallah / Xullah -> "Xullah",
// and Persian -zadeh and -pour suffixes.
func joinParts(words []string) []string {
	out := words[:0:0]
	for i := 0; i < len(words); i++ {
		w := words[i]
		if isAbd(w) && i+1 < len(words) {
			j := i + 1
			if articles[words[j]] && j+1 < len(words) {
				j++
			}
			out = append(out, canonAbd("abd"+words[j]))
			i = j
			continue
		}
		if strings.HasPrefix(w, "abd") && len(w) > 5 {
			w = canonAbd(w)
		}
		if (w == "allah" || w == "ullah" || w == "ollah" || w == "illah") && len(out) > 0 && !strings.HasSuffix(out[len(out)-1], "ullah") {
			out[len(out)-1] = canonAllah(out[len(out)-1] + "allah")
			continue
		}
		if (w == "zadeh" || w == "zade" || w == "zada" || w == "zodeh") && len(out) > 0 {
			out[len(out)-1] += "zadeh"
			continue
		}
		out = append(out, canonSuffix(canonAllah(w)))
	}
	return out
}

func isAbd(w string) bool {
	switch w {
	case "abd", "abdul", "abdel", "abdal", "abdol", "abdu", "abdur", "abdus", "abdel-":
		return true
	}
	return false
}

// canonAbd rewrites a token starting with abd + optional vowel and article.
func canonAbd(w string) string {
	for _, p := range abdPrefixes {
		if !strings.HasPrefix(w, p) || len(w) <= len(p)+1 {
			continue
		}
		rest := w[len(p):]
		// Assimilated article: abdur-rahman, abdus-salam -> the consonant doubles.
		if p != "abd" && p != "abdu" && p != "abde" && p != "abda" && len(rest) > 0 && rest[0] == p[len(p)-1] {
			// "abdurrahman": p "abdur", rest "rahman" (r kept).
		}
		switch rest {
		case "lh", "llh", "lah", "llah", "allah", "ullah", "ollah", "illah", "la", "lla", "ulla", "alla", "olla":
			return "abdullah"
		}
		if strings.HasPrefix(rest, "l") && (p == "abdu" || p == "abda" || p == "abde" || p == "abd") {
			// abdulaziz matched with p "abdu": let the "abdul" prefix handle it.
			continue
		}
		return "abd" + rest
	}
	return w
}

// canonAllah spells the theophoric ending one way: Nasrallah, Nasrullah,
// Nasrollah -> nasrullah.
func canonAllah(w string) string {
	if len(w) < 7 || w == "abdullah" {
		return w
	}
	for _, s := range []string{"allah", "ollah", "illah", "ullah", "alla", "ulla", "olla"} {
		if strings.HasSuffix(w, s) && len(w) > len(s)+2 {
			return w[:len(w)-len(s)] + "ullah"
		}
	}
	return w
}

// canonSuffix spells Persian -zadeh and -pour one way.
func canonSuffix(w string) string {
	if len(w) < 7 {
		return w
	}
	for _, s := range []string{"zadeh", "zade", "zada", "zodeh"} {
		if strings.HasSuffix(w, s) {
			return w[:len(w)-len(s)] + "zadeh"
		}
	}
	for _, s := range []string{"pour", "poor", "pur"} {
		if strings.HasSuffix(w, s) && len(w) > len(s)+3 {
			return w[:len(w)-len(s)] + "pour"
		}
	}
	return w
}
