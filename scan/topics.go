package scan

// Topic names.
const (
	TopicSanctionsEvasion   = "sanctions-evasion"
	TopicSmuggling          = "smuggling"
	TopicArrest             = "arrest-indictment"
	TopicProliferation      = "proliferation"
	TopicTerrorismFinancing = "terrorism-financing"
	TopicDefection          = "defection"
	TopicFraud              = "fraud"
)

// Topics lists the risk topics, in report order.
var Topics = []string{TopicSanctionsEvasion, TopicSmuggling, TopicArrest, TopicProliferation, TopicTerrorismFinancing, TopicDefection, TopicFraud}

// topicTerms are the lexicon of each topic in English, French, German,
// Spanish, Russian, Arabic, Persian and Chinese. A term ending in "*" is a
// word stem (inflected languages; non-Latin words only).
var topicTerms = map[string][]string{
	TopicSanctionsEvasion: {
		"sanctions evasion", "evade sanctions", "evading sanctions", "evaded sanctions", "evasion of sanctions",
		"circumvent sanctions", "circumventing sanctions", "circumvented sanctions", "circumvention of sanctions",
		"sanctions-busting", "sanctions busting", "violate sanctions", "violated sanctions", "violating sanctions",
		"sanctions violations", "sanctions violation", "in violation of sanctions", "front company", "front companies",
		"shell company", "shell companies", "shadow fleet", "dark fleet", "ship-to-ship transfer", "ship-to-ship transfers",
		"transshipment", "transshipped", "disabled its transponder", "switched off its transponder",
		"contournement des sanctions", "contourner les sanctions", "contourné les sanctions", "violation des sanctions",
		"société écran", "sociétés écrans", "société-écran", "sociétés-écrans", "flotte fantôme",
		"Umgehung der Sanktionen", "Sanktionsumgehung", "Sanktionen umgangen", "Sanktionen zu umgehen", "Sanktionsverstoß",
		"Sanktionsverstöße", "Briefkastenfirma", "Briefkastenfirmen", "Scheinfirma", "Scheinfirmen", "Schattenflotte",
		"evasión de sanciones", "eludir las sanciones", "eludir sanciones", "evadir sanciones", "evadir las sanciones",
		"empresa fantasma", "empresas fantasma", "empresa pantalla", "empresas pantalla", "flota fantasma",
		"обход санкций", "обхода санкций", "обходе санкций", "обойти санкции", "в обход санкций", "теневой флот", "теневого флота",
		"подставная компания", "подставные компании", "подставных компаний", "фирма-однодневка", "фирмы-однодневки",
		"التهرب من العقوبات", "الالتفاف على العقوبات", "خرق العقوبات", "شركة واجهة", "شركات واجهة", "أسطول الظل",
		"دور زدن تحریم", "دور زدن تحریم\u200cها", "شرکت پوششی", "شرکت\u200cهای پوششی", "ناوگان سایه",
		"规避制裁", "逃避制裁", "违反制裁", "空壳公司", "幌子公司", "影子舰队",
	},
	TopicSmuggling: {
		"smuggling", "smuggled", "smuggle", "smuggler", "smugglers", "contraband", "illicit shipment", "illicit shipments",
		"contrebande", "contrebandier", "contrebandiers", "trafic d'armes",
		"Schmuggel", "geschmuggelt", "schmuggeln", "Schmuggler", "Waffenschmuggel",
		"contrabando", "contrabandista", "contrabandistas", "tráfico de armas",
		"контрабанд*",
		"تهريب", "مهربين", "المهربين", "مهرب",
		"قاچاق", "قاچاقچی", "قاچاقچیان",
		"走私",
	},
	TopicArrest: {
		"arrested", "arrest", "arrests", "indicted", "indictment", "charged with", "pleaded guilty", "convicted", "sentenced",
		"detained", "extradited", "extradition", "criminal complaint", "unsealed charges", "faces charges",
		"arrêté", "arrêtée", "arrêtés", "interpellé", "interpellés", "mis en examen", "inculpé", "inculpée", "inculpés", "condamné", "condamnée",
		"arrestation", "extradé",
		"festgenommen", "verhaftet", "Festnahme", "angeklagt", "Anklage erhoben", "verurteilt", "ausgeliefert",
		"detenido", "detenidos", "detenida", "arrestado", "arrestados", "acusado", "acusados", "imputado", "imputados", "condenado", "extraditado",
		"арестован*", "задержан*", "обвинени*", "осужден*", "осуждён*", "экстрадирован*",
		"اعتقال", "اعتقل", "اعتقلت", "القبض", "اتهام", "لائحة اتهام", "إدانة", "أدين",
		"بازداشت", "دستگیر", "کیفرخواست", "محکوم",
		"逮捕", "起诉", "被捕", "拘留", "判处", "引渡",
	},
	TopicProliferation: {
		"proliferation", "nuclear weapons", "nuclear weapon", "weapons of mass destruction", "WMD",
		"ballistic missile program", "ballistic missile programme", "nuclear program", "nuclear programme", "missile program", "missile programme",
		"uranium enrichment", "enriched uranium",
		"prolifération", "armes nucléaires", "arme nucléaire", "armes de destruction massive", "programme nucléaire", "enrichissement d'uranium",
		"Proliferation", "Atomwaffen", "Kernwaffen", "Massenvernichtungswaffen", "Urananreicherung", "Atomprogramm", "Raketenprogramm",
		"proliferación", "armas nucleares", "arma nuclear", "armas de destrucción masiva", "programa nuclear", "enriquecimiento de uranio",
		"нераспространени*", "ядерное оружие", "ядерного оружия", "оружия массового уничтожения", "ядерной программы", "ядерная программа", "ракетной программы",
		"انتشار الأسلحة", "الأسلحة النووية", "أسلحة الدمار الشامل", "البرنامج النووي", "تخصيب اليورانيوم",
		"اشاعه سلاح", "سلاح هسته\u200cای", "سلاح\u200cهای هسته\u200cای", "برنامه هسته\u200cای", "غنی\u200cسازی اورانیوم",
		"核扩散", "核武器", "大规模杀伤性武器", "核计划", "铀浓缩", "导弹计划",
	},
	TopicTerrorismFinancing: {
		"terrorist financing", "terrorism financing", "financing of terrorism", "financing terrorism", "terror financing",
		"material support", "funding terrorism", "funds to terrorist", "terrorist organization", "terrorist organisation",
		"foreign terrorist organization", "terrorist group", "Specially Designated Global Terrorist",
		"financement du terrorisme", "financement terroriste", "organisation terroriste", "groupe terroriste",
		"Terrorfinanzierung", "Terrorismusfinanzierung", "Finanzierung des Terrorismus", "terroristische Vereinigung", "Terrororganisation",
		"financiación del terrorismo", "financiamiento del terrorismo", "financiación terrorista", "organización terrorista", "grupo terrorista",
		"финансирование терроризма", "финансировании терроризма", "финансирования терроризма", "террористическ*",
		"تمويل الإرهاب", "منظمة إرهابية", "جماعة إرهابية",
		"تأمین مالی تروریسم", "گروه تروریستی", "سازمان تروریستی",
		"恐怖融资", "资助恐怖主义", "恐怖组织", "恐怖主义融资",
	},
	TopicDefection: {
		"defected", "defector", "defectors", "defection", "defect to", "defecting", "sought asylum", "asked for asylum",
		"transfuge", "transfuges", "fait défection", "défection",
		"übergelaufen", "Überläufer", "Überlaufen", "Überläuferin",
		"desertó", "desertor", "desertores", "deserción",
		"перебежчик*", "перебежал*", "попросил убежища", "попросила убежища",
		"انشق", "منشق", "انشقاق", "المنشق",
		"پناهنده", "پناهندگی", "پناهنده شد",
		"叛逃", "脱北者", "投诚",
	},
	TopicFraud: {
		"fraud", "fraudulent", "fraudulently", "money laundering", "laundering", "laundered", "bribery", "bribes", "embezzlement",
		"embezzled", "false invoices", "forged documents", "wire fraud", "bank fraud",
		"fraude", "frauduleux", "frauduleuse", "blanchiment", "blanchiment d'argent", "détournement de fonds", "faux documents",
		"Betrug", "betrügerisch", "Geldwäsche", "Bestechung", "Unterschlagung", "gefälschte Dokumente",
		"fraudulento", "fraudulenta", "blanqueo de capitales", "lavado de dinero", "soborno", "sobornos", "malversación", "documentos falsos",
		"мошенничеств*", "отмывани*", "взятк*", "хищени*",
		"احتيال", "غسل الأموال", "غسيل الأموال", "رشوة", "اختلاس", "تزوير",
		"کلاهبرداری", "پولشویی", "رشوه", "جعل اسناد",
		"欺诈", "诈骗", "洗钱", "贿赂", "贪污", "伪造",
	},
}

// buildTopics builds the topic lexicon; a phrase's ref is its topic's
// index in Topics.
func buildTopics() *lexicon {
	lx := newLexicon()
	for i, t := range Topics {
		for _, term := range topicTerms[t] {
			lx.add(term, int32(i), false)
		}
	}
	return lx
}
