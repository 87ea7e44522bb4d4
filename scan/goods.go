package scan

import (
	"sort"
	"strings"

	"github.com/interdict/interdict/classify"
)

// goodsTerm is a controlled-goods term: the control entry it points at
// (EU Annex I / US CCL numbering, or ML for the military list) and its
// name.
type goodsTerm struct {
	entry string
	name  string
}

// newsGoods are goods terms as the news writes them, in the languages of
// the topic lexicons, by control entry. The first spelling is the name.
var newsGoods = []struct {
	entry string
	terms []string
}{
	{"0B001", []string{"gas centrifuge", "gas centrifuges", "centrifuges", "centrifuge", "centrifugeuses", "Zentrifugen", "centrifugadoras", "центрифуги", "центрифуг", "أجهزة الطرد المركزي", "سانتریفیوژ", "سانتریفیوژها", "离心机"}},
	{"0C001", []string{"enriched uranium", "highly enriched uranium", "uranium enrichment", "uranium hexafluoride", "uranium enrichi", "angereichertes Uran", "uranio enriquecido", "обогащённый уран", "обогащенного урана", "اليورانيوم المخصب", "اورانیوم غنی\u200cشده", "浓缩铀", "六氟化铀"}},
	{"9A004", []string{"ballistic missile", "ballistic missiles", "missile balistique", "missiles balistiques", "ballistische Rakete", "ballistische Raketen", "misil balístico", "misiles balísticos", "баллистическ*", "صواريخ باليستية", "صاروخ باليستي", "موشک بالستیک", "موشک\u200cهای بالستیک", "弹道导弹"}},
	{"9A012", []string{"unmanned aerial vehicle", "unmanned aerial vehicles", "UAV", "UAVs", "drone", "drones", "Drohne", "Drohnen", "dron", "беспилотник*", "طائرات مسيرة", "طائرة مسيرة", "مسيرات", "پهپاد", "پهپادها", "无人机"}},
	{"1C116", []string{"maraging steel", "acier maraging", "Maraging-Stahl", "acero maraging", "мартенситностареющ*", "马氏体时效钢"}},
	{"1C010", []string{"carbon fibre", "carbon fiber", "carbon fibres", "carbon fibers", "fibre de carbone", "Kohlenstofffaser", "Kohlefaser", "fibra de carbono", "углеволокно", "ألياف الكربون", "فیبر کربن", "碳纤维"}},
	{"7A002", []string{"gyroscope", "gyroscopes", "gyroscopes", "Gyroskop", "Gyroskope", "giroscopio", "giroscopios", "гироскоп*", "جيروسكوب", "ژیروسکوپ", "陀螺仪"}},
	{"7A001", []string{"accelerometer", "accelerometers", "accéléromètre", "Beschleunigungssensor", "acelerómetro", "акселерометр*", "مقياس التسارع", "加速度计"}},
	{"6A003", []string{"thermal imaging camera", "thermal imaging cameras", "thermal imaging", "caméra thermique", "caméras thermiques", "Wärmebildkamera", "Wärmebildkameras", "cámara térmica", "тепловизор*", "热成像"}},
	{"6A002", []string{"night vision", "night-vision goggles", "vision nocturne", "Nachtsichtgerät", "visión nocturna", "приборы ночного видения", "الرؤية الليلية", "دید در شب", "夜视"}},
	{"1C350", []string{"nerve agent", "nerve agents", "chemical weapons precursors", "sarin", "agent neurotoxique", "Nervenkampfstoff", "agente nervioso", "نوفيتشوك", "зарин", "神经毒剂", "沙林"}},
	{"2B001", []string{"machine tools", "CNC machine tools", "machines-outils", "Werkzeugmaschinen", "máquinas herramienta", "станки с ЧПУ", "数控机床"}},
	{"3A001", []string{"microelectronics", "integrated circuits", "microélectronique", "Mikroelektronik", "microelectrónica", "микроэлектроник*", "集成电路"}},
	{"ML4", []string{"cruise missile", "cruise missiles", "missile de croisière", "Marschflugkörper", "misil de crucero", "крылатые ракеты", "крылатых ракет", "صاروخ كروز", "موشک کروز", "巡航导弹"}},
}

// singleWordGoods are the one-word keywords of the classifier that are
// specific enough to report in prose; its others ("pump", "valve",
// "robot", "inverter") name everyday things.
var singleWordGoods = map[string]bool{"bioreactor": true, "fermenter": true}

// buildGoods builds the goods lexicon: the news terms above and the
// classifier's multi-word trade terms.
func buildGoods() (*lexicon, []goodsTerm) {
	lx := newLexicon()
	var terms []goodsTerm
	for _, g := range newsGoods {
		ref := int32(len(terms))
		terms = append(terms, goodsTerm{entry: g.entry, name: g.terms[0]})
		for _, t := range g.terms {
			lx.add(t, ref, false)
		}
	}
	kw := classify.GoodsTerms()
	codes := make([]string, 0, len(kw))
	for c := range kw {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		for _, t := range kw[c] {
			if !strings.Contains(t, " ") && !singleWordGoods[t] {
				continue
			}
			if strings.ContainsAny(t, "0123456789") {
				continue // "5 axis": a number in prose is rarely this
			}
			ref := int32(len(terms))
			terms = append(terms, goodsTerm{entry: c, name: t})
			lx.add(t, ref, false)
		}
	}
	return lx, terms
}
