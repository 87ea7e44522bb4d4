package scan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/interdict/interdict/classify"
	"github.com/interdict/interdict/country"
)

// place is an embargoed destination a place mention stands for.
type place struct {
	id      string // "place:IR", "place:UA-Crimea", "place:IR:Bandar Abbas"
	name    string // the listed name
	country string
	kinds   []string
}

// restrictive are the measure kinds that make a country's every mention
// worth reporting; an arms embargo alone does not.
var restrictive = []string{"comprehensive-embargo", "dual-use-ban", "regional-embargo"}

// cities are the main cities, ports and nuclear or missile sites of the
// embargoed countries, in the languages of the topic lexicons. The first
// spelling is the listed name.
var cities = map[string][][]string{
	"IR": {
		{"Tehran", "Teheran", "Téhéran", "Teherán", "Тегеран", "طهران", "تهران", "德黑兰"},
		{"Bandar Abbas", "Bandar-Abbas", "Бендер-Аббас", "بندر عباس", "阿巴斯港"},
		{"Bushehr", "Bouchehr", "Buschehr", "Бушер", "بوشهر", "布什尔"},
		{"Isfahan", "Ispahan", "Esfahan", "Исфахан", "أصفهان", "اصفهان", "伊斯法罕"},
		{"Natanz", "Натанз", "نطنز", "纳坦兹"},
		{"Fordow", "Fordo", "Фордо", "فوردو", "福尔多"},
		{"Bandar Imam Khomeini", "بندر امام خمینی"},
		{"Chabahar", "Чабахар", "چابهار", "恰巴哈尔"},
		{"Kharg Island", "Kharg", "Харк", "جزیره خارک", "哈尔克岛"},
	},
	"KP": {
		{"Pyongyang", "Pjöngjang", "Pyong Yang", "Pionyang", "Pyongyang", "Пхеньян", "بيونغ يانغ", "پیونگ\u200cیانگ", "平壤"},
		{"Nampo", "Nam-po", "Namp'o", "Нампхо", "南浦"},
		{"Chongjin", "Чхонджин", "清津"},
		{"Rajin", "Rason", "Раджин", "罗津"},
		{"Sinuiju", "Синыйджу", "新义州"},
		{"Yongbyon", "Йонбён", "宁边"},
	},
	"SY": {
		{"Damascus", "Damas", "Damaskus", "Damasco", "Дамаск", "دمشق", "大马士革"},
		{"Latakia", "Lattaquié", "Latakia", "Latakia", "Латакия", "اللاذقية", "لاذقیه", "拉塔基亚"},
		{"Tartus", "Tartous", "Tartous", "Тартус", "طرطوس", "塔尔图斯"},
		{"Aleppo", "Alep", "Alepo", "Халеб", "Алеппо", "حلب", "阿勒颇"},
		{"Homs", "Хомс", "حمص", "霍姆斯"},
	},
	"CU": {
		{"Havana", "La Havane", "Havanna", "La Habana", "Гавана", "هافانا", "哈瓦那"},
		{"Mariel", "Мариэль", "马里埃尔"},
	},
	"BY": {
		{"Minsk", "Минск", "Мінск", "مينسك", "مینسک", "明斯克"},
	},
	"RU": {
		{"Moscow", "Moscou", "Moskau", "Moscú", "Москва", "Москве", "Москвы", "موسكو", "مسکو", "莫斯科"},
		{"Saint Petersburg", "St Petersburg", "St. Petersburg", "Saint-Pétersbourg", "Sankt Petersburg", "San Petersburgo", "Санкт-Петербург", "圣彼得堡"},
		{"Novorossiysk", "Novorossiisk", "Noworossijsk", "Новороссийск", "نوفوروسيسك", "新罗西斯克"},
		{"Vladivostok", "Wladiwostok", "Владивосток", "فلاديفوستوك", "符拉迪沃斯托克"},
		{"Murmansk", "Мурманск", "摩尔曼斯克"},
		{"Ust-Luga", "Усть-Луга", "乌斯特卢加"},
		{"Primorsk", "Приморск"},
		{"Kaliningrad", "Калининград", "加里宁格勒"},
		{"Nakhodka", "Находка", "纳霍德卡"},
	},
}

// regionNames adds spellings of the sanctioned regions in other languages
// to the classifier's patterns.
var regionNames = map[string][]string{
	"Crimea":       {"Crimée", "Krim", "Crimea", "Крым", "Крыму", "Крыма", "Криму", "القرم", "کریمه", "克里米亚"},
	"Donetsk":      {"Донецк", "Donezk", "دونيتسك", "顿涅茨克"},
	"Luhansk":      {"Луганск", "Luhansk", "Lougansk", "لوهانسك", "卢甘斯克"},
	"Zaporizhzhia": {"Запорожье", "Saporischschja", "扎波罗热"},
	"Kherson":      {"Херсон", "Cherson", "Jersón", "赫尔松"},
}

// buildPlaces builds the place lexicon from the destination rules of
// package classify and the country names of package country.
func buildPlaces() (*lexicon, []place, error) {
	dests, err := classify.Destinations()
	if err != nil {
		return nil, nil, fmt.Errorf("read destination rules: %w", err)
	}
	lx := newLexicon()
	var places []place
	addPlace := func(p place, spellings []string) {
		ref := int32(len(places))
		places = append(places, p)
		spellings = append(spellings, inflected[p.id]...)
		seen := map[string]bool{}
		for _, s := range spellings {
			s = strings.TrimSpace(s)
			k := strings.ToLower(s)
			if s == "" || seen[k] {
				continue
			}
			seen[k] = true
			if strings.ContainsAny(s, "()’,") || strings.HasPrefix(k, "the ") {
				continue // UN long forms: the short forms are in the tables too
			}
			letters, han := 0, false
			for _, r := range s {
				if r > ' ' {
					letters++
				}
				han = han || isHanLike(r)
			}
			if letters <= 3 && !han || letters < 2 {
				continue // "rf", "u s", "DNR": too short to be a name in prose
			}
			lx.add(s, ref, true)
			if strings.ToLower(s) == s && isASCIIString(s) {
				// Tables hold some names in lower case; prose writes them capitalised.
				lx.add(titleWords(s), ref, true)
			}
		}
	}
	for _, d := range dests {
		restricted := false
		for _, k := range d.Kinds {
			if slices.Contains(restrictive, k) {
				restricted = true
			}
		}
		if !restricted {
			continue
		}
		if d.Region != "" {
			addPlace(place{id: "place:" + d.Country + "-" + d.Region, name: d.Region + " (" + country.Name(d.Country) + ")", country: d.Country, kinds: d.Kinds},
				append(append([]string{d.Region}, titleAll(d.Patterns)...), regionNames[d.Region]...))
			continue
		}
		addPlace(place{id: "place:" + d.Country, name: country.Name(d.Country), country: d.Country, kinds: d.Kinds}, country.Names(d.Country))
		for _, c := range cities[d.Country] {
			addPlace(place{id: "place:" + d.Country + ":" + c[0], name: c[0] + " (" + country.Name(d.Country) + ")", country: d.Country, kinds: d.Kinds}, c)
		}
	}
	return lx, places, nil
}

func titleAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = titleWords(s)
	}
	return out
}

// titleWords capitalises each word of an ASCII phrase; acronyms of three
// letters or fewer ("dnr") are written in capitals.
func titleWords(s string) string {
	ws := strings.Fields(s)
	for i, w := range ws {
		if len(w) <= 3 {
			ws[i] = strings.ToUpper(w)
		} else {
			ws[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(ws, " ")
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// inflected are the declined forms of the places in Russian, which the
// news writes as often as the nominative.
var inflected = map[string][]string{
	"place:RU":                  {"России", "Россию", "Россией", "Российской Федерации"},
	"place:RU:Moscow":           {"Москвы", "Москве", "Москву", "Москвой"},
	"place:RU:Saint Petersburg": {"Санкт-Петербурга", "Санкт-Петербурге"},
	"place:BY":                  {"Белоруссии", "Беларуси", "Белоруссию"},
	"place:BY:Minsk":            {"Минска", "Минске"},
	"place:IR":                  {"Ирана", "Ирану", "Иране"},
	"place:IR:Tehran":           {"Тегерана", "Тегеране"},
	"place:SY":                  {"Сирии", "Сирию"},
	"place:SY:Damascus":         {"Дамаска", "Дамаске"},
	"place:KP:Pyongyang":        {"Пхеньяна", "Пхеньяне"},
	"place:CU":                  {"Кубы", "Кубе", "Кубу"},
	"place:UA-Crimea":           {"Крыму", "Крыма"},
}
