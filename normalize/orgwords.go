package normalize

// turkishAbbrevs are the abbreviations of the words of Turkish company
// names, written with or without their dots ("ABC San. ve Tic. Ltd. Şti."
// is "ABC Sanayi ve Ticaret Limited Şirketi"), after the Türk Dil Kurumu's
// list of abbreviations (Kısaltmalar Dizini, tdk.gov.tr), spelled as the
// romanized words rigour's org_symbols and org_domains know.
var turkishAbbrevs = map[string]string{
	"san": "sanayi", "tic": "ticaret", "paz": "pazarlama", "ith": "ithalat", "ihr": "ihracat",
	"ins": "insaat", "muh": "muhendislik", "nak": "nakliyat", "taah": "taahhut", "tur": "turizm",
}

// expandOrgAbbrevs spells out the abbreviations of Turkish company-name
// words in the words of an organisation's name, in place, when the name
// reads as a Turkish company's: two of them at least, or one next to
// "ve" (and), or with the legal form Şti. (Şirketi). Alone, san, tur or ins
// are other words (San Marco). It returns words.
func expandOrgAbbrevs(words []string, hint Hint) []string {
	if hint == Person || len(words) < 2 {
		return words
	}
	n, marked := 0, false
	for i, w := range words {
		if _, ok := turkishAbbrevs[w]; ok {
			n++
			if i > 0 && words[i-1] == "ve" || i+1 < len(words) && words[i+1] == "ve" {
				marked = true
			}
		}
		if w == "sti" || w == "sirketi" {
			marked = true
		}
	}
	if n == 0 || n == 1 && !marked {
		return words
	}
	for i, w := range words {
		if x, ok := turkishAbbrevs[w]; ok {
			words[i] = x
		}
	}
	return words
}

// conjunctions are the words for "and" that join partners' initials in
// company names: G y R, A & B (the ampersand is folded to a space), B en Z.
var conjunctions = map[string]bool{
	"and": true, "und": true, "y": true, "e": true, "et": true, "i": true, "en": true,
	"ve": true, "va": true, "och": true, "og": true,
}

// dropInitialConj returns the tokens of an organisation's name without the
// conjunctions that stand between two one-letter tokens ("G y R
// Arquitectos" -> "g r arquitectos", which the matcher joins to meet "GR
// Arquitectos"), or nil when there are none. The name is kept as written
// too (Parse emits both): y, e and i are also initials.
func dropInitialConj(toks []Token, hint Hint) []Token {
	if hint == Person {
		return nil
	}
	var out []Token
	for i := range toks {
		if i > 0 && i+1 < len(toks) && conjunctions[toks[i].Text] && len(toks[i-1].Text) == 1 && len(toks[i+1].Text) == 1 &&
			!isNumber(toks[i-1].Text) && !isNumber(toks[i+1].Text) && toks[i-1].Class == ClassName && toks[i+1].Class == ClassName {
			if out == nil {
				out = append(make([]Token, 0, len(toks)-1), toks[:i]...)
			}
			continue
		}
		if out != nil {
			out = append(out, toks[i])
		}
	}
	return out
}

// seatForms are the legal forms after which company names of the former
// Yugoslav countries write the company's seat: the business name carries
// the legal form and the seat (Serbia's Zakon o privrednim društvima,
// Sl. glasnik RS 36/2011, art. 20-22; likewise in Montenegro, Bosnia and
// North Macedonia): "DOLLY BELL DOO BEOGRAD-NOVI BEOGRAD", "X DOOEL
// Skopje".
var seatForms = map[string]bool{"doo": true, "dooel": true}

// markSeat classes, in the tokens of a name before its trailing legal
// forms, a legal form of seatForms followed by one to three words as the
// legal form and the seat, which like a generic word identifies nothing on
// its own.
func markSeat(toks []Token) {
	for i := 1; i < len(toks)-1; i++ {
		if !seatForms[toks[i].Text] || toks[i].Class != ClassName || len(toks)-i-1 > 3 {
			continue
		}
		for _, t := range toks[i+1:] {
			if t.Class != ClassName || isNumber(t.Text) {
				return
			}
		}
		toks[i].Class = ClassLegalForm
		for k := i + 1; k < len(toks); k++ {
			toks[k].Class = ClassGeneric
		}
		return
	}
}
