package message

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/interdict/interdict/country"
)

// embargoPlaces are cities and ports of countries under sanctions, with the
// spellings trade and payment documents use, mapped to their country. A
// place only holds a message when the destination rules (package
// classify) put its country under embargo; regions within a country
// (Crimea, Sevastopol, Donetsk, ...) are found by those rules directly.
var embargoPlaces = map[string]string{
	// Iran: the capital, the main ports (Shahid Rajaee at Bandar Abbas,
	// Imam Khomeini, Bushehr, Asaluyeh, Chabahar, Anzali, Kharg) and the
	// cities of its nuclear and missile programmes.
	"tehran": "IR", "teheran": "IR", "bandar abbas": "IR", "bandar abbass": "IR", "bandarabbas": "IR",
	"shahid rajaee": "IR", "bandar imam khomeini": "IR", "bandar khomeini": "IR", "bushehr": "IR",
	"bushire": "IR", "asaluyeh": "IR", "assaluyeh": "IR", "chabahar": "IR", "bandar anzali": "IR",
	"kharg island": "IR", "qeshm": "IR", "kish island": "IR", "khorramshahr": "IR", "isfahan": "IR",
	"esfahan": "IR", "mashhad": "IR", "tabriz": "IR", "shiraz": "IR", "natanz": "IR", "qom": "IR",
	"ahvaz": "IR", "abadan": "IR", "karaj": "IR",
	// North Korea: the capital and its ports.
	"pyongyang": "KP", "nampo": "KP", "nampho": "KP", "chongjin": "KP", "wonsan": "KP", "rajin": "KP",
	"rason": "KP", "hamhung": "KP", "hungnam": "KP", "haeju": "KP", "sinuiju": "KP", "songnim": "KP",
	// Cuba.
	"havana": "CU", "la habana": "CU", "mariel": "CU", "santiago de cuba": "CU", "cienfuegos": "CU",
	"matanzas": "CU",
	// Syria.
	"damascus": "SY", "latakia": "SY", "lattakia": "SY", "tartus": "SY", "aleppo": "SY", "homs": "SY",
}

// placeMention is a place or country named in text.
type placeMention struct {
	word    string
	country string
}

// maxPlaceWords bounds the words of one text searched for places.
const maxPlaceWords = 400

// findPlaces returns the cities, ports and countries of embargoPlaces and
// the country names (in the languages of package country) that text
// names, in order, each once. Only the countries in keep are returned.
func findPlaces(text string, keep func(cc string) bool) []placeMention {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
	if len(words) > maxPlaceWords {
		words = words[:maxPlaceWords]
	}
	// The words joined by single spaces once: a run of words is a slice
	// of it.
	joined := strings.Join(words, " ")
	start := make([]int, len(words)+1)
	for i, w := range words {
		start[i+1] = start[i] + len(w) + 1
	}
	var out []placeMention
	var seen map[string]bool
	for i := range words {
		for n := 4; n >= 1; n-- {
			if i+n > len(words) {
				continue
			}
			w := joined[start[i] : start[i+n]-1]
			cc := embargoPlaces[w]
			if cc == "" && len(w) >= 4 {
				cc = countryOf(w)
			}
			if cc == "" || !keep(cc) {
				continue
			}
			if !seen[w] {
				if seen == nil {
					seen = map[string]bool{}
				}
				seen[w] = true
				out = append(out, placeMention{word: w, country: cc})
			}
			break
		}
	}
	return out
}

// codes caches country.Code of the words and runs of words of addresses:
// the same street, town and country names come in message after message.
// It holds at most maxCodes entries and then answers the rest uncached.
var (
	codes  sync.Map // string → string
	nCodes atomic.Int64
)

const maxCodes = 1 << 16

func countryOf(w string) string {
	if v, ok := codes.Load(w); ok {
		return v.(string)
	}
	cc := country.Code(w)
	if nCodes.Load() < maxCodes {
		if _, loaded := codes.LoadOrStore(strings.Clone(w), cc); !loaded {
			nCodes.Add(1)
		}
	}
	return cc
}
