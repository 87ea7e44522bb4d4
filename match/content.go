package match

import (
	"slices"
	"strings"
	"unicode"

	"github.com/interdict/interdict/normalize"
)

// Contentless says why a query name carries nothing to screen on, or ""
// when it does: no letter or digit; only legal forms, titles, particles and
// connectives ("LLC", "Mr", "and"); one or two letters ("x", "E. X."); or
// only a number, which number reports and which is worth screening as an
// identifier, not as a name. A name of three words or more ("B S COMPANY")
// is matched however short its words. Such a name would otherwise pair, alone, with
// the same word in a listed name ("E. X. Co"), and it names no party.
//
// hard says that the name is only legal forms or connectives, which no
// listed name can change; a name of one or two letters, or a number, is
// worth matching after all when the lists carry it as a name of its own
// (ListedName: "D COMPANY", the aircraft EK-30064).
func Contentless(name string) (reason string, number, hard bool) {
	if plainlyNamed(name) {
		return "", false, false
	}
	// Read as an organisation's name, where a lone connective or legal form
	// keeps its class (as any party's, a one-word name is a name part).
	vs := normalize.Parse(name, normalize.Organization)
	if len(vs) == 0 || len(vs[0].Tokens) == 0 {
		return "the name has no letter or digit", false, true
	}
	toks := vs[0].Tokens
	content, letters, digitsOnly, legalForms := false, 0, true, false
	for _, t := range toks {
		// A lone word is read as a name part; a legal form alone (LLC)
		// is still only a legal form.
		legal := isLegal(t.Text, t.Class)
		if _, ok := normalize.LegalForm(t.Text); ok && len(toks) == 1 {
			legal = true
		}
		if legal || t.Class == normalize.ClassStopword && connective(t.Text) {
			legalForms = legalForms || legal
			continue
		}
		letters += len(t.Text)
		if t.Class != normalize.ClassNumber && !isDigits(t.Text) {
			digitsOnly = false
		}
		if t.Class != normalize.ClassTitle && t.Class != normalize.ClassParticle {
			content = true
		}
	}
	switch {
	case !content && letters == 0:
		return "the name is only a legal form or connective (" + joinTexts(toks) + "): nothing to match", false, true
	case !content:
		return "the name is only titles, particles or legal forms (" + joinTexts(toks) + "): nothing to match", false, false
	case digitsOnly:
		return "the name is only a number: screened as an identifier", true, false
	case len(toks) <= 2 && (letters == 1 || letters == 2 && !legalForms):
		// Two letters beside a word that may be a legal form may be a
		// name of two syllables (Yu PAO, OJSC IL); one never is.
		return "one or two letters carry no name: nothing to match", false, false
	}
	return "", false, false
}

// ListedName reports whether some entity carries name, word for word, as a
// name that is not a weak alias.
func (ix *Index) ListedName(name string) bool {
	var fids, ids []uint32
	qfs := ix.queryForms(name, "")
	for i := range qfs {
		fids, ids = ix.exactForms(&qfs[i], ids, fids[:0])
		for _, fid := range fids {
			f := &ix.forms[fid]
			if f.weak || int(f.n) != len(qfs[i].toks) {
				continue
			}
			same := true
			for _, t := range ix.ftoks(f) {
				same = same && slices.Contains(ids, t.id)
			}
			if same {
				return true
			}
		}
	}
	return false
}

func joinTexts(toks []normalize.Token) string {
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t.Text
	}
	return strings.Join(parts, " ")
}

// connective reports whether a stopword is a connective or article that
// never names anything ("and", "of", "the"); other stopwords may be a
// syllable of a name (Yu PAO).
func connective(s string) bool {
	switch s {
	case "and", "und", "et", "y", "e", "i", "or", "of", "the", "for", "de", "la", "le", "el", "al", "a", "an":
		return true
	}
	return false
}

// plainlyNamed is Contentless's fast path: a name holding a word of four
// letters or more that is neither a legal form nor a connective names
// something, and most names screened do; it spares them a parse.
func plainlyNamed(name string) bool {
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		letters, n := false, 0
		for _, r := range w {
			n++
			letters = letters || unicode.IsLetter(r)
		}
		if n < 4 || !letters {
			continue
		}
		lw := strings.ToLower(w)
		if _, legal := normalize.LegalForm(lw); !legal && !connective(lw) {
			return true
		}
	}
	return false
}
