package normalize

import "strings"

// East Slavic patronymics are formed from the father's given name with a
// suffix (Eastern Slavic naming customs): Russian -ovich/-evich and
// -ovna/-evna, Ukrainian -ovych/-evych and -ivna, Belarusian -avich/-evich
// and -auna/-aŭna, plus -ichna (Ilyinichna, Kuzminichna) and the spellings
// of other languages' romanizations (-ovitch, Swedish -ovitj, German
// -owitsch). Turkic patronymics are the father's name followed by a word
// for "son of" or "daughter of" (Azerbaijani oğlu/qızı, Kazakh and Tatar
// uly/ulı and qyzy, Kyrgyz uulu/kyzy, Uzbek o'g'li/qizi).
var (
	patronymicMale   = []string{"ovich", "evich", "ovych", "evych", "avich", "ovitch", "evitch", "ovitj", "evitj", "owitsch", "ewitsch", "ovitsj", "evitsj"}
	patronymicFemale = []string{"ovna", "evna", "ivna", "avna", "auna", "ichna"}
)

// PatronymicSuffix returns the suffix that makes a romanized token an East
// Slavic patronymic (Sergeevich, Mykolayovych, Yurievna, Uladzimiravich),
// and whether it is female; "" when the token does not end like one. A
// surname can end the same way (Abramovich): whether the token stands
// where a patronymic does is for the caller to judge.
func PatronymicSuffix(tok string) (suffix string, female bool) {
	if len(tok) < 7 {
		return "", false
	}
	switch tok[len(tok)-1] {
	case 'h', 'j':
		for _, s := range patronymicMale {
			if len(tok) >= len(s)+3 && strings.HasSuffix(tok, s) {
				return s, false
			}
		}
	case 'a':
		for _, s := range patronymicFemale {
			if len(tok) >= len(s)+3 && strings.HasSuffix(tok, s) {
				return s, true
			}
		}
	}
	return "", false
}

// PatronymicWord reports whether a romanized token is a Turkic word for
// "son of" or "daughter of" that follows the father's name (Ali oglu,
// Nurgali uly, Ahmad kyzy).
func PatronymicWord(tok string) bool {
	switch tok {
	case "oglu", "ogly", "ogli", "oghlu", "ugli", "uly", "uulu", "kyzy", "qizi", "kizi", "gizi", "qyzy", "kyzi":
		return true
	}
	return false
}
