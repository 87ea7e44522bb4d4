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
	// Source is, for a token the letter model spelled from a word of
	// Arabic, Cyrillic, Hebrew or Han script, that word (for Likeness).
	Source string
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
		words := strings.Fields(r.text)
		for _, mode := range abdModes(words) {
			toks := tokenize(joinParts(words, mode), hint)
			for i := range toks {
				if toks[i].Text == abdulSplit {
					toks[i].Text, toks[i].Key, toks[i].Class = "abdul", Skeleton("abdul"), ClassParticle
				}
			}
			if len(toks) == 0 {
				continue
			}
			if r.sys == Model && hanForeignName(f) {
				// A transcribed foreign name is made of name parts:
				// its spelled syllables are no title or particle.
				src := strings.Fields(f)
				for i := range toks {
					if toks[i].Class != ClassNumber {
						toks[i].Class = ClassName
					}
					if len(src) == len(toks) && isHanWord([]rune(src[i])) {
						toks[i].Source = src[i]
					}
				}
			} else if r.sys == Model {
				setSources(toks, f)
			}
			out = addVariant(out, toks, r.sys)
			// A party's name that spells a number in words is also
			// the name with the number in digits (First / 1st).
			if hint != Person {
				if nw := numberWords(joinParts(words, mode)); nw != nil {
					out = addVariant(out, tokenize(nw, hint), r.sys)
				}
			}
			if alt := dropInitialConj(toks, hint); alt != nil {
				out = addVariant(out, alt, r.sys)
			}
		}
	}
	return out
}

// addVariant appends toks to vs as a variant unless one has its tokens.
func addVariant(vs []Variant, toks []Token, sys System) []Variant {
	for _, o := range vs {
		if sameTokens(o.Tokens, toks) {
			return vs
		}
	}
	return append(vs, Variant{Tokens: toks, System: sys})
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
	if strings.ContainsRune(f, 'ج') {
		add(romanizeEuropean(strings.Split(f, " "), true), European)
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

// tokenize classes the words of a romanization (after joinParts).
func tokenize(words []string, hint Hint) []Token {
	words = expandOrgAbbrevs(words, hint)
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
		markSeat(toks[:end])
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

// abdulSplit stands for abd/abdul kept apart from the name after it until
// Parse makes it a particle token "abdul" (like abu and bin, it says little
// on its own); an "abdul" that is itself a name (Salam Abdul) stays a name.
const abdulSplit = "abdul#"

// abdMode says how joinParts spells abd/abdul and the name after it.
type abdMode uint8

const (
	abdRule  abdMode = iota // joined before a divine name (Abdul Rahman -> abdrahman), apart otherwise
	abdSplit                // always apart: abdul rahman
	abdJoin                 // always joined: abdmansur
)

// abdModes returns the modes worth trying for words: only abdRule when no
// word is (or starts with) abd, otherwise all three, whose results Parse
// emits as alternative forms (so that "Abdul Mansur" meets both
// "AbdulMansur" and "Abdul Latif Mansur").
func abdModes(words []string) []abdMode {
	for _, w := range words {
		if strings.HasPrefix(w, "abd") {
			return []abdMode{abdRule, abdSplit, abdJoin}
		}
	}
	return []abdMode{abdRule}
}

// divineNames are the names of God (the 99 names and common spellings) that
// follow abd in a theophoric name: Abd al-Rahman, Abdul Aziz, Abdel Karim.
var divineNames = []string{
	"rahman", "rahim", "malik", "quddus", "salam", "mumin", "muhaymin", "aziz", "jabbar",
	"mutakabbir", "khaliq", "bari", "musawwir", "ghaffar", "qahhar", "wahhab", "wahab",
	"razzaq", "razak", "fattah", "alim", "qabid", "basit", "khafid", "rafi", "muizz", "mudhill",
	"sami", "samie", "basir", "hakam", "adl", "latif", "khabir", "halim", "azim", "adheem",
	"ghafur", "ghafoor", "shakur", "shakoor", "ali", "aal", "kabir", "hafiz", "muqit", "hasib",
	"jalil", "karim", "raqib", "mujib", "wasi", "hakim", "wadud", "majid", "majeed", "baith",
	"shahid", "haqq", "haq", "wakil", "qawi", "matin", "wali", "hamid", "muhsi", "mubdi",
	"muid", "muhyi", "mumit", "hayy", "qayyum", "wajid", "wahid", "ahad", "samad", "qadir",
	"qader", "kader", "kadir", "muqtadir", "muqaddim", "awwal", "akhir", "zahir", "batin",
	"mutaal", "barr", "tawwab", "muntaqim", "afuw", "rauf", "raouf", "muqsit", "jami", "ghani",
	"mughni", "mani", "nafi", "nur", "noor", "hadi", "badi", "baqi", "warith", "rashid", "sabur",
	"sattar", "ilah", "muhsin", "munim", "moneim", "mannan", "hannan", "jawad", "muti", "mutalib",
	"allah", "ullah",
}

// divineKeys holds the divine names and the skeletons of those longer than
// one consonant (a one-letter skeleton such as Ali's "l" says too little).
var divineKeys = func() map[string]bool {
	m := make(map[string]bool, 2*len(divineNames))
	for _, n := range divineNames {
		m[n] = true
		if k := Skeleton(n); len(k) >= 2 {
			m["#"+k] = true
		}
	}
	return m
}()

// isDivine reports whether a romanized word is one of the divine names.
func isDivine(w string) bool {
	return divineKeys[w] || len(w) >= 3 && divineKeys["#"+Skeleton(w)]
}

// joinParts spells the joined Arabic and Persian name parts one way:
// abd/abdul + name -> "abd"+name when mode says to join (Abdul Rahman,
// Abd al-Rahman, AbdulRahman, Abdurrahman all give "abdrahman"), or
// "abdul" and the name apart (Abdul Mansur, AbdulMansur, Abd al-Mansur
// give "abdul mansur"); X allah / Xallah / Xullah -> "Xullah"; Persian
// -zadeh and -pour suffixes; X al-Din / X ud-Din / Xuddin / Xeddine ->
// "Xuddin" (din.go).
func joinParts(words []string, mode abdMode) []string {
	out := words[:0:0]
	join := func(name string) bool {
		return mode == abdJoin || mode == abdRule && isDivine(name) || isAllah(name)
	}
	for i := 0; i < len(words); i++ {
		w := words[i]
		if isAbd(w) && i+1 < len(words) {
			j := i + 1
			if articles[words[j]] && j+1 < len(words) {
				j++
			}
			if join(words[j]) {
				out = append(out, canonAbd("abd"+words[j]))
				i = j
				continue
			}
			if isDivine(words[j]) {
				out = append(out, "abdul")
			} else {
				out = append(out, abdulSplit)
			}
			i = j - 1
			continue
		}
		if strings.HasPrefix(w, "abd") && len(w) > 5 {
			w = canonAbd(w)
			if rest := splitAbd(w); mode == abdSplit && rest != "" {
				a := abdulSplit
				if isDivine(rest) {
					a = "abdul"
				}
				out = append(out, a, canonSuffix(canonAllah(rest)))
				continue
			}
		}
		if isAllah(w) && len(out) > 0 && !strings.HasSuffix(out[len(out)-1], "ullah") {
			out[len(out)-1] = canonAllah(out[len(out)-1] + "allah")
			continue
		}
		if (w == "zadeh" || w == "zade" || w == "zada" || w == "zodeh") && len(out) > 0 {
			out[len(out)-1] += "zadeh"
			continue
		}
		if d, n := joinDin(words[i:]); n > 0 {
			out = append(out, d)
			i += n - 1
			continue
		}
		out = append(out, canonSuffix(canonAllah(w)))
	}
	return out
}

// splitAbd returns the name in a joined abd token (canonAbd's spelling)
// for the split form, or "" when the token is not to be split: Abdullah,
// surnames (Abdullaev) and what does not read as abd + a name (Abdoulaye).
func splitAbd(w string) string {
	rest := w[3:]
	if w == "abdullah" || len(rest) < 3 || isAllah(rest) || surnameLike(rest) {
		return ""
	}
	if isVowel(rest[0]) {
		switch {
		case len(rest) > 4 && !isVowel(rest[1]) && isDivine(rest[1:]):
			return rest[1:] // abdirahman -> abdul rahman
		case isDivine(rest):
			return rest // abdulaziz -> abdul aziz
		}
		return ""
	}
	return rest
}

// surnameLike reports whether the rest of a joined abd token ends like a
// Slavic or Turkic surname (Abdullaev, Abdurakhmanov), which is not split.
func surnameLike(rest string) bool {
	for _, s := range []string{"ov", "ev", "ova", "eva", "ovich", "evich", "ovna", "evna", "uly", "ulu", "oglu", "zoda", "zadeh", "pour"} {
		if strings.HasSuffix(rest, s) {
			return true
		}
	}
	return false
}

// looksAllah reports whether what follows abd in a joined token is a
// spelling of allah, misspellings included (ullah, allah, olla, ulah,
// ullha, ullahi) but not another name (ulali, ulilah is Abdul Ilah).
func looksAllah(rest string) bool {
	var cons []byte
	at := []int{}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if isVowel(c) && c != 'y' {
			continue
		}
		cons = append(cons, c)
		at = append(at, i)
	}
	n := len(rest)
	switch string(cons) {
	case "lh": // ulah, olah, ulh (Abdelhai is Abd al-Hayy, Abdilah Abd al-Ilah)
		return rest[0] != 'i' && (at[1] > at[0]+1 && n-at[1] <= 2 || n-at[1] == 1)
	case "llh": // ullah, ullha, ullahi (the l's together; Abdulilah is Abd al-Ilah)
		return at[1] == at[0]+1 && n-at[2] <= 2
	case "ll": // ulla, olla
		return at[1] == at[0]+1 && rest[n-1] == 'a' && n-at[1] == 2
	}
	return false
}

func isAllah(w string) bool {
	return w == "allah" || w == "ullah" || w == "ollah" || w == "illah"
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
		if !strings.HasPrefix(w, p) || len(w) <= len(p)+2 && p != "abdul" {
			continue
		}
		if looksAllah(w[3:]) {
			return "abdullah"
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
