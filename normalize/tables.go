package normalize

import (
	_ "embed"
	"slices"
	"sort"
	"strings"
	"sync"
)

// The embedded tables are derived by internal/gentables from OpenSanctions
// rigour (MIT) and, for learned.tsv, from the training parts of Google's
// ar2en pairs (Apache-2.0) and the Wikidata name-token pairs (CC0); see the
// header of each file. legalforms_extra.tsv is kept by hand: legal forms rigour
// lacks, each with its source.
var (
	//go:embed legalforms.tsv
	legalFormsTSV string
	//go:embed legalforms_extra.tsv
	legalFormsExtraTSV string
	//go:embed symbols.tsv
	symbolsTSV string
	//go:embed confusables.tsv
	confusablesTSV string
	//go:embed learned.tsv
	learnedTSV string
)

// tables are built on first use from the embedded files.
type tables struct {
	legal      map[string]string // romanized alias -> generic class ("LLC", "JSC", ...)
	legalMax   int               // most tokens in a legal-form alias
	legalFirst map[string]bool   // first tokens of multi-token aliases (and single ones)
	generic    map[string]bool   // generic organisation words
	nick       map[string][]uint16
	nickOthers map[string][]string // token -> the other names of its groups, sorted
	confusable [128][128]bool
}

var (
	tablesOnce sync.Once
	tbl        *tables
)

func getTables() *tables {
	tablesOnce.Do(buildTables)
	return tbl
}

// Words that are never legal forms on their own although rigour lists them
// as aliases: they are common name parts or too short to tell.
var notLegalAlone = map[string]bool{
	"a": true, "s": true, "e": true, "i": true, "o": true, "ao": false, "as": true, "da": true, "de": true,
	"di": true, "do": true, "se": true, "ab": false, "ag": false, "om": true, "is": true, "sa": false,
	"bank": true, "group": true, "trust": true, "fund": true, "foundation": true, "company": false,
	"union": true, "society": true, "partnership": false, "cooperative": false, "ministry": true,
	"association": true, "institute": true, "university": true, "state": true, "national": true,
	"federal": true, "public": true, "limited": false, "private": true, "mutual": true, "church": true,
}

// genericWords are words common in organisation names that identify
// nothing on their own, on top of rigour's org_symbols and org_domains.
var genericWords = []string{
	"company", "co", "corporation", "corp", "trading", "trade", "traders", "holding", "holdings",
	"group", "international", "intl", "industries", "industry", "industrial", "enterprise",
	"enterprises", "services", "service", "investment", "investments", "general", "global",
	"import", "export", "imports", "exports", "logistics", "shipping", "bank", "foundation",
	"organization", "organisation", "association", "institute", "center", "centre", "limited",
	"ltd", "llc", "inc", "incorporated", "management", "development", "technology", "technologies",
	"tech", "engineering", "construction", "consulting", "solutions", "systems", "partners",
	"resources", "energy", "petroleum", "oil", "gas", "marine", "maritime", "airlines", "air",
	"transport", "commercial", "financial", "finance", "capital", "exchange", "agency",
	"manufacturing", "products", "electronics", "electronic", "chemical", "chemicals", "metals",
	"mining", "steel", "machinery", "equipment", "supply", "supplies", "materials", "factory",
	"plant", "research", "scientific", "production", "world", "universal", "united", "new",
	"first", "national", "state", "public", "federal", "republic", "the", "of", "and", "for",
	"ministry", "department", "office", "bureau", "committee", "council", "authority", "network",
	"media", "news", "office", "branch", "ship", "vessel", "tanker", "navigation", "line", "lines",
	"shipping", "sea", "ocean", "star", "express", "east", "west", "north", "south", "middle",
	"asia", "pacific", "europe", "euro", "america", "american", "arab", "gulf",
	// company, in the Persian, Arabic and Turkish names romanized on lists
	// (Sherkat-e ..., Sharikat ..., ... Sirket); match.legalWord weighs
	// them as legal forms.
	"sherkat", "sharikat", "sharikati", "sirket",
}

// stopwords never count as name evidence.
var stopwords = map[string]bool{
	"the": true, "of": true, "and": true, "for": true, "in": true, "on": true, "at": true,
	"und": true, "et": true, "y": true, "i": true, "e": true, "a": true, "an": true,
	"der": true, "die": true, "das": true, "des": true, "la": true, "le": true, "les": true,
	"el": true, "los": true, "las": true, "del": true, "della": true, "di": true,
	"do": true, "dos": true, "das ": true, "with": true, "to": true, "by": true,
	"aka": true, "fka": true, "nka": true, "alias": true, "formerly": true, "known": true, "as": true,
	"im": true, "za": true, "po": true, "na": true, "v": true, "ve": true, "va": true,
	// Generational suffixes of English names (Ruben Pestano LAVILLA, Jr.).
	"jr": true, "jnr": true, "sr": true, "snr": true,
}

// particles are name parts that carry little identity: Arabic articles and
// filiation words, Romance and Germanic nobiliary particles.
var particles = map[string]bool{
	"al": true, "el": true, "ul": true, "ar": true, "as": true, "ad": true, "an": true, "at": true, "az": true, "ash": true,
	"bin": true, "ben": true, "ibn": true, "bint": true, "binti": true, "bte": true, "bt": true, "b": false,
	"abu": true, "abou": true, "abo": true, "bou": true, "ould": true, "ag": true, "oglu": false,
	"van": true, "von": true, "der": true, "den": true, "de": true, "da": true, "di": true, "du": true,
	"del": true, "della": true, "dos": true, "das": true, "do": true, "le": true, "la": true, "st": true,
	"mac": false, "mc": false, "bar": false, "bat": true, "ter": true, "ten": true, "vom": true, "zu": true,
}

// titles are honorifics, ranks and religious titles; they are dropped from
// matching when they lead a name.
var titles = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "mx": true, "dr": true, "doctor": true, "prof": true,
	"professor": true, "sir": true, "dame": true, "lord": true, "lady": true, "hon": true, "rev": true,
	"sheikh": true, "shaikh": true, "shaykh": true, "sheik": true, "cheikh": true, "shaykhah": true, "sheikha": true,
	"haji": true, "hajji": true, "hadji": true, "haj": true, "hajj": true, "alhaj": true, "alhajj": true, "alhaji": true,
	"sayyid": true, "seyyed": true, "sayed": true, "seyed": true, "syed": true, "sayyed": true, "seyyid": true, "sayid": true, "sayyida": true, "seyyedeh": true,
	"mullah": true, "mulla": true, "molla": true, "mawlawi": true, "maulvi": true, "mawlavi": true, "moulvi": true, "maulana": true, "mawlana": true,
	"imam": true, "ayatollah": true, "ayatullah": true, "hojatoleslam": true, "hojjatoleslam": true, "qari": true, "hafiz": false,
	"general": true, "gen": true, "colonel": true, "col": true, "major": true, "maj": true, "lieutenant": true,
	"lt": true, "captain": true, "capt": true, "admiral": true, "adm": true, "brigadier": true, "brig": true,
	"commander": true, "cdr": true, "sergeant": true, "sgt": true, "marshal": true, "commodore": true,
	"president": true, "minister": true, "prince": true, "princess": true, "king": true, "queen": true, "emir": false,
	"excellency": true, "his": true, "her": true, "eng": true, "engineer": true, "ing": true, "dipl": true,
	"senator": true, "governor": true, "judge": true, "justice": true, "mufti": true, "pastor": true, "father": true,
	"praesident": true, "president ": true, "presidente": true, "presiden": true, "predsjednik": true, "presedintele": true,
	"generalleutnant": true, "generalmajor": true, "colonelgeneral": true, "polkovnik": true, "general-leytenant": true,
}

func buildTables() {
	t := &tables{
		legal:      map[string]string{},
		legalFirst: map[string]bool{},
		generic:    map[string]bool{},
		nick:       map[string][]uint16{},
	}
	for _, line := range strings.Split(legalFormsTSV+"\n"+legalFormsExtraTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			continue
		}
		for _, r := range Romanize(f[2]) {
			toks := strings.Fields(r)
			if len(toks) == 1 && (notLegalAlone[toks[0]] || len(toks[0]) == 1) {
				continue
			}
			if _, ok := t.legal[r]; !ok {
				t.legal[r] = f[0]
			}
			// Initials are written without their dots as one word too
			// (d.o.o. / DOO, S.A.C.V. / SACV); from three letters, since
			// two joined letters are as often a name part (ad, sp, dd).
			if j := joinedInitials(toks); len(j) >= 3 {
				if _, ok := t.legal[j]; !ok {
					t.legal[j] = f[0]
				}
			}
			if len(toks) >= 2 {
				// Multi-word forms also by skeleton, so that spellings differ
				// (ogranichennoi/ogranichennoy otvetstvennostiu/otvetstvennostyu).
				k := skeletonSeq(toks)
				if _, ok := t.legal[k]; !ok {
					t.legal[k] = f[0]
				}
			}
			if len(toks) > t.legalMax {
				t.legalMax = len(toks)
			}
		}
	}
	groups := map[string]uint16{}
	for _, line := range strings.Split(symbolsTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			continue
		}
		switch f[1] {
		case "person_nick":
			id, ok := groups[f[0]]
			if !ok {
				id = uint16(len(groups) + 1)
				groups[f[0]] = id
			}
			for _, r := range Romanize(f[2]) {
				if !strings.Contains(r, " ") {
					t.nick[r] = append(t.nick[r], id)
				}
			}
		case "org_symbols", "org_domains":
			for _, r := range Romanize(f[2]) {
				if !strings.Contains(r, " ") && len(r) > 2 {
					t.generic[r] = true
				}
			}
		}
	}
	for _, w := range genericWords {
		t.generic[w] = true
	}
	t.nickOthers = nickOthers(t.nick)
	for _, line := range strings.Split(confusablesTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) == 2 && len(f[0]) == 1 && len(f[1]) == 1 && f[0][0] < 128 && f[1][0] < 128 {
			t.confusable[f[0][0]][f[1][0]] = true
			t.confusable[f[1][0]][f[0][0]] = true
		}
	}
	tbl = t
}

// joinedInitials returns the letters of toks run together when every token
// is one letter and there are two at least, "" otherwise.
func joinedInitials(toks []string) string {
	if len(toks) < 2 {
		return ""
	}
	for _, t := range toks {
		if len(t) != 1 {
			return ""
		}
	}
	return strings.Join(toks, "")
}

// learnedSpellings returns the table of learned.tsv, built on first use
// (apart from the other tables, which romanize while they are built).
var learnedSpellings = sync.OnceValue(func() map[string]string {
	m := make(map[string]string, 10500)
	for _, line := range strings.Split(learnedTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) == 3 {
			m[f[0]] = f[1]
		}
	}
	return m
})

// skeletonSeq keys a token sequence by its skeletons, marked so that it
// cannot collide with a spelling.
func skeletonSeq(toks []string) string {
	ks := make([]string, len(toks))
	for i, t := range toks {
		ks[i] = Skeleton(t)
	}
	return "#" + strings.Join(ks, " ")
}

// SameNickname reports whether two romanized tokens are the same given name
// in rigour's person_nick table (Bob/Robert, Jon/Jonathan, Bill/William).
func SameNickname(a, b string) bool {
	if a == b {
		return false
	}
	t := getTables()
	for _, x := range t.nick[a] {
		for _, y := range t.nick[b] {
			if x == y {
				return true
			}
		}
	}
	return false
}

// Nicknames returns the other names in tok's nickname groups, sorted; nil
// when tok has none. The slice is shared: callers must not modify it.
func Nicknames(tok string) []string {
	if l := getTables().nickOthers[tok]; l != nil {
		return l
	}
	return slavicTable().others[tok]
}

// nickOthers inverts the nickname groups: for every name, the other names
// that share a group with it, sorted.
func nickOthers(nick map[string][]uint16) map[string][]string {
	members := map[uint16][]string{}
	for name, gs := range nick {
		for _, g := range gs {
			members[g] = append(members[g], name)
		}
	}
	out := make(map[string][]string, len(nick))
	for name, gs := range nick {
		var l []string
		for _, g := range gs {
			for _, o := range members[g] {
				if o != name {
					l = append(l, o)
				}
			}
		}
		sort.Strings(l)
		out[name] = slices.Compact(l)
	}
	return out
}

// HasNickname reports whether tok belongs to a nickname group, or is an
// East Slavic given name or patronymic that SameGivenName knows.
func HasNickname(tok string) bool {
	if len(getTables().nick[tok]) > 0 {
		return true
	}
	_, k := slavicKey(tok)
	return k != 0
}

// Confusable reports whether two ASCII characters are commonly confused in
// names (0/o, 1/l, c/k, i/y, ...), after rigour's compare.json.
func Confusable(a, b byte) bool {
	if a >= 128 || b >= 128 {
		return false
	}
	return getTables().confusable[a][b]
}

// LegalForm returns the generic class ("LLC", "JSC", "LP", "SOE", ... or "-")
// of a romanized legal form such as "gmbh", "ooo" or "sdn bhd", and whether
// it is one.
func LegalForm(romanized string) (string, bool) {
	g, ok := getTables().legal[romanized]
	return g, ok
}
