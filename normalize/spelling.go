package normalize

import "sync"

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
	if a == b || len(a) > 6 || len(b) > 6 {
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
