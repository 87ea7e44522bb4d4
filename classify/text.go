package classify

import (
	"strings"
	"unicode"
)

// stopwords are words that carry no technical meaning in entry or line text.
var stopwords = set("a an and or the of for to in on by with as at from into than that this these those " +
	"any all other others such which whether be is are being been has have having its it their not no " +
	"including include includes e g i ie etc n e s nes see also item items following follows described " +
	"controlled control entry eccn list specified therefor thereof therein per each either both more less " +
	"greater equal kind type types use used using designed specially prepared capable made x l " +
	"new assorted set sets pcs piece pieces unit units box boxes bag bags pack kit kits " +
	// Units belong to the stated parameters (see Quantities), not to what
	// the item is.
	"kw kva va mw hz khz mhz ghz mm cm kg ml psi rpm btu gsm kpa mpa gpa")

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// tokens splits s into lower-case word tokens (letters and digits), keeping
// hyphenated words apart and dropping nothing.
func tokens(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range strings.ToLower(s) {
		switch {
		case r == 'µ':
			b.WriteRune('u')
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// stem reduces an English word to a crude base form: plurals and a few
// derivational endings, enough to make "pumps" meet "pump" and "valves" meet
// "valve".
func stem(w string) string {
	if len(w) <= 3 || isNumeric(w) {
		return w
	}
	for _, p := range []struct{ suf, rep string }{
		{"ies", "y"}, {"sses", "ss"}, {"ches", "ch"}, {"shes", "sh"}, {"xes", "x"},
		{"ors", "or"}, {"ers", "er"}, {"ings", "ing"},
	} {
		if strings.HasSuffix(w, p.suf) {
			return strings.TrimSuffix(w, p.suf) + p.rep
		}
	}
	if strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is") {
		return w[:len(w)-1]
	}
	return w
}

func isNumeric(w string) bool {
	for _, r := range w {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// terms returns the stemmed content terms of s, in order.
func terms(s string) []string {
	var out []string
	for _, t := range tokens(s) {
		if stopwords[t] || isNumeric(t) || len(t) < 2 {
			continue
		}
		st := stem(t)
		if spelling[st] != "" {
			st = spelling[st]
		}
		out = append(out, st)
	}
	return out
}

// spelling folds British and American spellings and common variants.
var spelling = map[string]string{
	"aluminium": "aluminum", "fibre": "fiber", "centre": "center", "litre": "liter", "metre": "meter",
	"armour": "armor", "sulphide": "sulfide", "vapour": "vapor", "colour": "color", "sterilise": "sterilize",
	"sterilisable": "sterilizable", "sterilizable": "sterilizable", "sterilisation": "sterilization",
	"pressurised": "pressurized", "analyser": "analyzer", "programme": "program", "mould": "mold",
	"micrometre": "micrometer", "machining": "machine", "machinery": "machine",
}

// synonym rewrites a phrase of a line item into the words the control lists
// use. From is matched on stemmed terms; To is added to the query (the
// original words stay). Sources: the entries' own "a.k.a." clauses and
// technical notes (3A225 Technical Notes 1 and 2, 2B352.b Technical Note 1)
// and common trade names.
type synonym struct{ from, to string }

var synonyms = []synonym{
	{"inverter", "frequency changer converter"},
	{"converter", "frequency changer"},
	{"frequency converter", "frequency changer"},
	{"vfd", "frequency changer variable frequency drive"},
	{"variable frequency drive", "frequency changer"},
	{"variable speed drive", "frequency changer"},
	{"adjustable speed drive", "frequency changer"},
	{"pressure sensor", "pressure transducer"},
	{"pressure transmitter", "pressure transducer"},
	{"bioreactor", "fermenter"},
	{"drone", "unmanned aerial vehicle uav"},
	{"quadcopter", "unmanned aerial vehicle uav"},
	{"uav", "unmanned aerial vehicle"},
	{"yellowcake", "natural uranium concentrate"},
	{"uranium ore concentrate", "natural uranium"},
	{"d2o", "heavy water deuterium"},
	{"zircaloy", "zirconium alloy"},
	{"cmm", "dimensional inspection measuring"},
	{"coordinate measuring machine", "dimensional inspection measuring"},
	{"imu", "inertial measurement"},
	{"gnss", "satellite navigation system receiving"},
	{"gps", "satellite navigation system receiving"},
	{"riflescope", "optical sighting device firearm telescopic sight"},
	{"rifle scope", "optical sighting device firearm telescopic sight"},
	{"night vision", "image intensifier"},
	{"thermal imaging camera", "infrared camera focal plane array"},
	{"microbolometer", "focal plane array infrared"},
	{"sonar", "acoustic underwater"},
	{"rov", "submersible vehicle unmanned"},
	{"remotely operated underwater vehicle", "submersible vehicle"},
	{"jammer", "jamming"},
	{"imsi catcher", "interception mobile telecommunications"},
	{"stun gun", "electric shock"},
	{"taser", "electric shock"},
	{"baton", "striking weapon"},
	{"tear gas", "riot control agent"},
	{"hip", "isostatic press"},
	{"vpn", "information security cryptography"},
	{"ipsec", "information security cryptography"},
	{"aes", "cryptography information security"},
	{"encryption", "cryptography information security"},
	{"laptop", "computer"},
	{"notebook computer", "computer"},
	{"server", "computer"},
	{"pc", "computer"},
	{"ethernet switch", "telecommunication equipment"},
	{"media converter", "telecommunication equipment"},
	{"ethernet extender", "telecommunication equipment"},
	{"transceiver", "telecommunication equipment"},
	{"router", "telecommunication equipment"},
	{"smartphone", "telecommunication equipment"},
	{"satellite phone", "telecommunication equipment"},
	{"reaction vessel", "reactor"},
	{"cooling", "coolant"},
	{"cooled", "coolant"},
	{"spray dryer", "spray drying"},
	{"freeze dryer", "freeze drying"},
	{"lathe", "turning machine tool"},
	{"machining center", "machine tool milling"},
	{"cnc", "numerically controlled machine tool"},
	{"robot", "robot"},
	{"shaker", "vibration test"},
	{"turbojet", "turbojet engine"},
	{"co2 laser", "laser"},
	{"gyroscope", "gyro"},
	{"mems gyro", "gyro"},
	{"autopilot", "flight control"},
	{"mass spectrometer", "mass spectrometer"},
	{"fpga", "integrated circuit field programmable logic"},
	{"microcontroller", "integrated circuit microprocessor"},
	{"mcu", "integrated circuit microprocessor"},
	{"electronic component", "electronic component integrated circuit"},
	{"ammunition", "ammunition cartridge"},
	{"shotgun", "shotgun"},
	{"hastelloy", "nickel alloy"},
	{"inconel", "nickel alloy"},
	{"monel", "nickel alloy"},
	{"ptfe", "fluoropolymer"},
	{"pfa", "fluoropolymer"},
	{"glass lined", "glass"},
	{"heat exchanger", "heat exchanger condenser"},
	{"deuterium oxide", "heavy water"},
	{"spark gap", "triggered spark gap switching device"},
	{"polygraph", "polygraph"},
	{"fingerprint", "fingerprinting"},
	{"riot shield", "police shield"},
	{"water cannon", "water cannon"},
	{"body armour", "body armor"},
	{"gas mask", "protective equipment"},
	{"cbrn", "chemical biological protective"},
	{"photoresist", "resist"},
	{"lithography", "lithography"},
	{"generator set", "generator"},
	{"isostatic press", "isostatic press"},
}
