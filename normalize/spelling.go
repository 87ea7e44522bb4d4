package normalize

import (
	"strings"
	"sync"
)

// koreanSurnameSpellings groups the romanizations of common Korean surnames: the
// Revised Romanization of 2000, McCune-Reischauer (which North Korea's
// official spelling and most older lists follow: Ri, Jong, Pak) and the
// customary spellings the National Institute of Korean Language's 2009
// survey of passport surnames found most used (Lee, Park, Choi, Jung). The
// groups are those of Wikipedia's "List of Korean surnames". Spellings of
// one letter, and English words or particles (Go, So, No, An, Ho), are left
// out: they are too often something else.
var koreanSurnameSpellings = [][]string{
	{"lee", "yi", "rhee", "ri", "li", "rhie"},    // 이/리
	{"park", "pak", "bak", "bahk"},               // 박
	{"choi", "choe", "chwe", "choy"},             // 최
	{"jo", "cho", "joh"},                         // 조
	{"jeong", "jung", "chung", "cheong", "jong"}, // 정
	{"kang", "gang"},                             // 강
	{"kim", "gim"},                               // 김
	{"yoon", "yun"},                              // 윤
	{"jang", "chang"},                            // 장
	{"lim", "im", "rim"},                         // 임/림
	{"shin", "sin"},                              // 신
	{"kwon", "gwon"},                             // 권
	{"hwang", "whang"},                           // 황
	{"jeon", "chon", "jun", "chun"},              // 전
	{"ko", "koh"},                                // 고
	{"moon", "mun"},                              // 문
	{"son", "sohn"},                              // 손
	{"bae", "pae"},                               // 배
	{"baek", "paek", "paik", "baik"},             // 백
	{"heo", "hur", "huh"},                        // 허
	{"yu", "yoo", "ryu", "ryoo", "rhyu"},         // 유/류
	{"noh", "roh", "ro"},                         // 노/로
	{"kwak", "gwak"},                             // 곽
	{"seong", "sung"},                            // 성
	{"ju", "joo", "chu"},                         // 주
	{"gu", "koo", "ku"},                          // 구
	{"yang", "ryang"},                            // 양/량
	{"yeom", "yum", "ryom"},                      // 염/렴
	{"byun", "byeon", "pyon"},                    // 변
	{"kye", "gye"},                               // 계
	{"tae", "thae"},                              // 태
}

var (
	koreanOnce sync.Once
	koreanIdx  map[string]uint8 // spelling -> group + 1
)

// SameKoreanSurname reports whether a and b, different tokens, are
// romanizations of one Korean surname (Cho/Jo, Pak/Park, Ri/Lee).
func SameKoreanSurname(a, b string) bool {
	if a == b || len(a) > 6 || len(b) > 6 || len(a) < 2 || len(b) < 2 {
		return false
	}
	koreanOnce.Do(func() {
		koreanIdx = map[string]uint8{}
		for i, g := range koreanSurnameSpellings {
			for _, s := range g {
				koreanIdx[s] = uint8(i + 1)
			}
		}
	})
	ga := koreanIdx[a]
	return ga != 0 && ga == koreanIdx[b]
}

// SameSpelling reports whether a and b, different tokens, spell one name in
// two languages' conventions that a consonant skeleton keeps apart:
//
//   - a Belarusian surname in -au or -eu (-аў, -эў) and the Russian one in
//     -ov or -ev it corresponds to (Marozau/Morozov, Nazarau/Nazarov): the
//     Belarusian national romanization of 2007 and BGN/PCGN write ў as u
//     (ICAO as w), and akanne turns the unstressed o of the stem into a;
//   - an initial j and an initial g or c before e or i, the other letters
//     alike (Jebrail/Gebrail/Cebrail, Jemal/Cemal): Egyptian Arabic says
//     ج as g, and Turkish writes it c;
//   - a foreign name and the same name with the Lithuanian nominative ending
//     -as, -is, -ys or -us after its last consonant (Vladimiras Putinas,
//     Sergejus Lavrovas), as the Lithuanian versions of EU acts write the
//     names they list.
func SameSpelling(a, b string) bool {
	la, lb := len(a), len(b)
	if la < 3 || lb < 3 {
		return false
	}
	// Most pairs are ruled out by their lengths and last letters.
	switch la - lb {
	case 0:
		if a[0] != b[0] {
			return sameInitialJ(a, b) || sameInitialJ(b, a)
		}
		return a[la-1] != b[lb-1] && (belarusianOv(a, b) || belarusianOv(b, a))
	case 1, -1: // -au against -off
		return a[la-1] == 'f' && belarusianOv(b, a) || b[lb-1] == 'f' && belarusianOv(a, b)
	case 2:
		return lithuanianEnding(a, b)
	case -2:
		return lithuanianEnding(b, a)
	}
	return false
}

// lithuanianEnding reports whether a is b with a Lithuanian nominative
// ending.
func lithuanianEnding(a, b string) bool {
	la, lb := len(a), len(b)
	if la != lb+2 || lb < 4 || a[la-1] != 's' || isVowel(b[lb-1]) || b[lb-1] == 's' || a[:lb] != b {
		return false
	}
	switch a[lb] {
	case 'a', 'i', 'y', 'u':
		return true
	}
	return false
}

func sameInitialJ(a, b string) bool {
	return a[0] == 'j' && (b[0] == 'g' || b[0] == 'c') && (a[1] == 'e' || a[1] == 'i') && a[1:] == b[1:]
}

// belarusianOv reports whether a is the Belarusian -au/-eu surname (or -aw,
// -ew) of the Russian -ov/-ev (or -ow, -off) surname b.
func belarusianOv(a, b string) bool {
	la, lb := len(a), len(b)
	if la < 5 || lb < 5 || a[la-1] != 'u' && a[la-1] != 'w' || a[la-2] != 'a' && a[la-2] != 'e' {
		return false
	}
	var stem string
	switch {
	case b[lb-2:] == "ov" || b[lb-2:] == "ev" || b[lb-2:] == "ow" || b[lb-2:] == "ew":
		stem = b[:lb-2]
	case strings.HasSuffix(b, "off") || strings.HasSuffix(b, "eff"):
		stem = b[:lb-3]
	default:
		return false
	}
	return len(stem) >= 3 && a[0] == b[0] && Skeleton(a[:la-2]) == Skeleton(stem)
}
