package normalize

import (
	"slices"
	"strings"
	"sync"
)

// slavicGivenNames groups the Russian, Ukrainian and Belarusian forms of
// common East Slavic given names, each in the romanizations lists and our
// romanizer use: Russian after BGN/PCGN, ICAO 9303 and common English
// spelling, Ukrainian after the national system of 2010 (Cabinet of
// Ministers resolution 55) and BGN/PCGN, Belarusian after the national
// system of 2007 and BGN/PCGN, and the French (Iouri, Sergueï, Guennadi,
// Viatcheslav) and German (Juri, Jewgeni, Wassili) spellings that news,
// registries and the EU's French texts use. The equivalences are the ones Wikipedia's
// articles on the names give (Mykola: "the Ukrainian form of Nicholas",
// Uladzimir: "the Belarusian form of Vladimir", ...). Patronymics are not
// listed: they are derived from the names (see slavicKey).
var slavicGivenNames = [][]string{
	{"aleksandr", "alexandr", "alexander", "aleksander", "aleksandar", "oleksandr", "olexandr", "aliaksandr", "alyaksandr", "aliaxandr", "alexandre"},
	{"aleksei", "aleksey", "alexei", "alexey", "aleksej", "oleksii", "oleksiy", "oleksij", "olexiy", "aliaksei", "aliaksej", "alyaksei"},
	{"anatoly", "anatoliy", "anatolii", "anatolij", "anatol", "anatoli"},
	{"andrei", "andrey", "andrej", "andriy", "andrii", "andrij"},
	{"artem", "artyom", "artiom", "arciom", "artsiom"},
	{"boris", "borys", "barys"},
	{"bogdan", "bohdan", "bagdan", "bahdan"},
	{"dmitry", "dmitriy", "dmitrii", "dmitrij", "dmitri", "dmytro", "dzmitry", "dzmitri", "dzmitryi"},
	{"fyodor", "fedor", "fiodor", "fedir", "fiodar", "fedar", "fyodar"},
	{"gennady", "gennadiy", "gennadii", "genadiy", "hennadiy", "hennadii", "hennadij", "henadz", "genadz", "guennadi", "guennadiy", "gennadi"},
	{"georgy", "georgiy", "georgii", "heorhiy", "heorhii", "heorhij", "heorhi", "gueorgui", "georgi"},
	{"grigory", "grigoriy", "grigorii", "grigorij", "hryhoriy", "hryhorii", "hryhorij", "ryhor", "grigori"},
	{"igor", "ihor", "ihar"},
	{"iosif", "yosyp", "iosyp", "osip"},
	{"kirill", "kirylo", "kyrylo", "kiryl", "kiril"},
	{"konstantin", "constantin", "kostyantyn", "kostiantyn", "kostjantyn", "kostiantin", "kostyantin", "kanstantsin", "kanstantin"},
	{"leonid", "leanid"},
	{"maksim", "maxim", "maksym", "maxym", "maxime"},
	{"mikhail", "mikhaylo", "mykhailo", "mykhaylo", "mikhailo", "mihail", "mikhal", "mikhas"},
	{"nikita", "mykyta", "mikita"},
	{"nikolai", "nikolay", "nicolai", "nikolaj", "mykola", "mikola", "mikalai", "mikalay", "mikalaj"},
	{"oleg", "oleh", "aleh"},
	{"pavel", "pavlo", "paval"},
	{"pyotr", "petr", "piotr", "petro", "pyatro", "piatro"},
	{"rostislav", "rostyslav", "rastsislau", "rastislav"},
	{"semyon", "semen", "semion", "siamion", "syamyon"},
	{"sergei", "sergey", "sergej", "sergiy", "sergii", "serhiy", "serhii", "serhij", "siarhei", "siarhey", "siarhej", "syarhei", "serguei", "sergueij"},
	{"stanislav", "stanislau", "stanislaw"},
	{"stepan", "stsiapan", "sciapan"},
	{"svyatoslav", "sviatoslav", "sviataslau", "svyataslau"},
	{"vasily", "vasiliy", "vasilii", "vasilij", "vasili", "vasyl", "vasil", "vassili", "vassiliy", "wassili", "wassilij"},
	{"viktor", "victor", "viktar"},
	{"vladimir", "wladimir", "volodymyr", "volodimir", "uladzimir", "uladimir"},
	{"vyacheslav", "viacheslav", "vjacheslav", "viachaslau", "vyachaslau", "viatcheslav", "wjatscheslaw"},
	{"yakov", "iakov", "jakov", "yakiv", "iakiv", "yakau"},
	{"yaroslav", "iaroslav", "jaroslav", "yaraslau", "iaraslau"},
	{"yegor", "egor", "iegor", "yehor", "iehor", "yahor"},
	{"yevgeny", "yevgeniy", "yevgenii", "evgeny", "evgeniy", "evgenii", "evgenij", "ievgen", "ievgenii", "yevhen", "yevhenii", "ievhen", "yauhen", "yauheni", "iauhen", "jauhen", "evgueni", "ievgueni", "jewgeni", "jewgenij", "yevgueni"},
	{"yury", "yuriy", "yurii", "yuri", "yurij", "iurii", "iuriy", "iury", "jurij", "juri", "yuryi", "iuryi", "iouri", "youri"},
	{"anna", "hanna", "ganna"},
	{"ekaterina", "yekaterina", "iekaterina", "kateryna", "katerina", "katsiaryna", "katsyaryna"},
	{"elena", "yelena", "ielena", "olena", "alena", "alyona"},
	{"galina", "halyna", "halina"},
	{"irina", "iryna"},
	{"lyudmila", "ludmila", "liudmila", "liudmyla", "lyudmyla", "ludmyla"},
	{"natalia", "natalya", "nataliya", "nataliia", "natallia", "natalla"},
	{"olga", "olha", "volha", "olya"},
	{"svetlana", "svitlana", "sviatlana", "svyatlana"},
	{"tatyana", "tatiana", "tetyana", "tetiana", "tatsiana", "tatsyana", "tacciana"},
	{"yulia", "yuliya", "yuliia", "iuliia", "iulia", "julia", "yulya"},
	{"lyubov", "liubov", "lubov", "lyubou", "liubou"},
}

// slavicNames is slavicGivenNames indexed: the group ids of each stem (see
// slavicStem) and the other spellings of each listed spelling.
type slavicNames struct {
	stems  map[string][]uint16
	others map[string][]string
}

var slavicTable = sync.OnceValue(func() *slavicNames {
	t := &slavicNames{stems: map[string][]uint16{}, others: map[string][]string{}}
	for g, names := range slavicGivenNames {
		for _, n := range names {
			s := slavicStem(n)
			if !slices.Contains(t.stems[s], uint16(g)) {
				t.stems[s] = append(t.stems[s], uint16(g))
			}
			for _, o := range names {
				if o != n {
					t.others[n] = append(t.others[n], o)
				}
			}
		}
	}
	for n, l := range t.others {
		slices.Sort(l)
		t.others[n] = slices.Compact(l)
	}
	return t
})

// slavicStem is a given name without its final vowels and semivowels
// (mykola -> mykol, nikolai -> nikol, yuriy -> yur), the part patronymics
// are built on.
func slavicStem(w string) string {
	i := len(w)
	for i > 3 && strings.IndexByte("aeiouyj", w[i-1]) >= 0 {
		i--
	}
	return w[:i]
}

// Kinds of slavicKey.
const (
	slavicGiven  = 1
	slavicMale   = 2 // a son's patronymic
	slavicFemale = 3 // a daughter's
)

// slavicKey returns the groups of slavicGivenNames a romanized token
// belongs to as a given name or as a patronymic built on one
// (Mykolayovych, Nikolaevich, Mikalaevich: the groups of Mykola; Yuriivna,
// Yurievna: of Yuriy), and which of the three it is; kind 0 when none.
func slavicKey(tok string) (groups []uint16, kind int) {
	t := slavicTable()
	if suf, female := PatronymicSuffix(tok); suf != "" {
		kind = slavicMale
		if female {
			kind = slavicFemale
		}
		groups = t.stems[slavicStem(tok[:len(tok)-len(suf)])]
	} else if s := slavicStem(tok); len(s) >= 4 || len(t.others[tok]) > 0 {
		// Given names on stems of four letters at least: a shorter one
		// (yur, jul, ann) says too little (Julio is not Yulia), unless
		// the token is itself one of the listed spellings (Yuriy, Iouri).
		kind = slavicGiven
		groups = t.stems[s]
	}
	if len(groups) == 0 {
		return nil, 0
	}
	return groups, kind
}

// SameGivenName reports whether two romanized tokens are forms of the same
// East Slavic given name in different languages (Andriy/Andrey,
// Uladzimir/Vladimir, Kostyantyn/Konstantin), or patronymics built on such
// forms, a son's on both sides or a daughter's (Mykolayovych/Nikolaevich,
// Volodymyrivna/Vladimirovna).
func SameGivenName(a, b string) bool {
	if a == b {
		return false
	}
	ga, ka := slavicKey(a)
	if ka == 0 {
		return false
	}
	gb, kb := slavicKey(b)
	if ka != kb {
		return false
	}
	for _, x := range ga {
		if slices.Contains(gb, x) {
			return true
		}
	}
	return false
}
