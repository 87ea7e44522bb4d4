package classify

import (
	"fmt"
	"strings"
)

// param is one deciding parameter of an entry, as the line text can state it.
type param struct {
	name string
	// dim and op/value/max compare a stated Quantity (base units): op is
	// ">=", ">", "<", "<=" or "between" (value < x < max). near lists words
	// that must precede the quantity when several of the dimension are
	// stated; useMax compares the top of a range, else its bottom.
	dim    string
	op     string
	value  float64
	max    float64
	near   []string
	useMax bool
	// plusMinus requires a tolerance ("±0.1 %").
	plusMinus bool
	// phrases: the parameter is met when any phrase is in the text.
	phrases []string
	// materials: the stated material must be one of these classes; a
	// stated material outside them excludes the entry.
	materials []string
	text      string
}

// spec holds the deciding parameters of one entry or sub-item: all of all
// must be met, and all parameters of at least one group of alt (if any).
type spec struct {
	all []param
	alt [][]param
}

// Material classes (by the vocabulary of 2B350, 2B230, 2A226).
const (
	matNiCr       = "alloy >25% Ni and >20% Cr"
	matNi40       = "nickel or alloy >40% Ni"
	matNi60       = "nickel or alloy >60% Ni"
	matFluoro     = "fluoropolymer"
	matGlass      = "glass / glass-lined / enamel"
	matTantalum   = "tantalum"
	matTitanium   = "titanium"
	matZirconium  = "zirconium"
	matNiobium    = "niobium"
	matAluminum   = "aluminium / alumina / sapphire"
	matGraphite   = "graphite / carbon"
	matSiC        = "silicon carbide"
	matCeramic    = "ceramics"
	matStainless  = "stainless steel"
	matCarbonStl  = "carbon steel / cast iron"
	matCopper     = "copper / brass / bronze"
	matPlastic    = "plastic (non-fluorinated)"
	matFerroSi    = "ferrosilicon"
	matUnassigned = ""
)

// materialWords maps words of line items to material classes. A name can
// belong to several classes (Monel 400 is a nickel alloy >60% Ni, so also >40%).
var materialWords = []struct {
	words   []string
	classes []string
}{
	{[]string{"hastelloy", "c-276", "c276", "alloy 59", "alloy 625"}, []string{matNi40}},
	{[]string{"inconel", "alloy 600"}, []string{matNi40, matNi60}},
	{[]string{"monel", "nickel 200", "pure nickel", "nickel alloy"}, []string{matNi40, matNi60}},
	{[]string{"incoloy", "alloy 825", "904l", "alloy 20"}, []string{matNiCr}},
	{[]string{"ptfe", "pfa", "fep", "pvdf", "etfe", "ectfe", "fluoropolymer", "teflon", "perfluoro"}, []string{matFluoro}},
	{[]string{"glass-lined", "glass lined", "enamel", "vitrified", "borosilicate"}, []string{matGlass}},
	{[]string{"tantalum"}, []string{matTantalum}},
	{[]string{"titanium"}, []string{matTitanium}},
	{[]string{"zirconium", "zircaloy"}, []string{matZirconium}},
	{[]string{"niobium", "columbium"}, []string{matNiobium}},
	{[]string{"alumina", "sapphire", "aluminium", "aluminum"}, []string{matAluminum}},
	{[]string{"graphite"}, []string{matGraphite}},
	{[]string{"silicon carbide", "sic"}, []string{matSiC}},
	{[]string{"ceramic"}, []string{matCeramic}},
	{[]string{"stainless", "316l", "304l", "ss316", "ss304", "aisi 316", "aisi 304"}, []string{matStainless}},
	{[]string{"carbon steel", "cast iron", "ductile iron"}, []string{matCarbonStl}},
	{[]string{"brass", "bronze", "copper"}, []string{matCopper}},
	{[]string{"plastic", "pvc", "polypropylene", "abs", "polyethylene", "nylon"}, []string{matPlastic}},
	{[]string{"ferrosilicon"}, []string{matFerroSi}},
}

// statedMaterials returns the material classes named in lower-cased text.
func statedMaterials(lower string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range materialWords {
		for _, w := range m.words {
			if containsWord(lower, w) {
				for _, c := range m.classes {
					if !seen[c] {
						seen[c] = true
						out = append(out, c)
					}
				}
				break
			}
		}
	}
	return out
}

func containsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isAlnum(s[j-1])
		after := j+len(w) == len(s) || !isAlnum(s[j+len(w)])
		if before && after {
			return true
		}
		i = j + 1
	}
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

var chemMaterials = []string{matNiCr, matNi40, matFluoro, matGlass, matTantalum, matTitanium, matZirconium, matNiobium}

func chemMat(extra ...string) param {
	return param{name: "material of all wetted surfaces", materials: append(append([]string{}, chemMaterials...), extra...),
		text: "all surfaces in direct contact with the chemical(s) made of: alloys >25% Ni and 20% Cr; nickel or alloys >40% Ni; fluoropolymers; glass (incl. glass lining); tantalum; titanium; zirconium; niobium" + extraText(extra)}
}

func extraText(extra []string) string {
	if len(extra) == 0 {
		return ""
	}
	return "; " + strings.Join(extra, "; ")
}

// specs are the deciding parameters of the key entries, transcribed from the
// entry text cited in each comment. Entries not here get their missing
// parameters from the clauses of their text that hold numbers.
var specs = map[string]spec{
	// 2B230: pressure transducers; a./b. materials, c.1/c.2 range and accuracy.
	"2B230": {all: []param{
		{name: "measures absolute pressure", phrases: []string{"absolute"}, text: "capable of measuring absolute pressures"},
		{name: "sensing element material", materials: []string{matAluminum, matNi60, matFluoro},
			text: "pressure sensing element made of or protected by aluminium, aluminium alloy, alumina/sapphire, nickel, nickel alloy >60% Ni or fully fluorinated polymers (2B230.a)"},
	}, alt: [][]param{
		{{name: "full scale", dim: "pressure", op: "<", value: 13e3, useMax: true, text: "full scale of less than 13 kPa (2B230.c.1)"},
			{name: "accuracy", dim: "percent", op: "<", value: 1, plusMinus: true, text: "accuracy better than ±1 % of full scale (2B230.c.1)"}},
		{{name: "full scale", dim: "pressure", op: ">=", value: 13e3, useMax: true, text: "full scale of 13 kPa or greater (2B230.c.2)"},
			{name: "accuracy", dim: "pressure", op: "<", value: 130, plusMinus: true, text: "accuracy better than ±130 Pa at 13 kPa (2B230.c.2)"}},
	}},
	// 3A225: frequency changers and generators, a.-c.
	"3A225": {all: []param{
		{name: "multiphase output", phrases: []string{"multiphase", "multi-phase", "three-phase", "three phase", "3-phase", "3 phase", "polyphase"}, text: "multiphase output (3A225.a)"},
		{name: "output power", dim: "power", op: ">=", value: 40, useMax: true, text: "output power of 40 VA or greater (3A225.a)"},
		{name: "frequency", dim: "frequency", op: ">=", value: 600, useMax: true, text: "operating at a frequency of 600 Hz or more (3A225.b)"},
		{name: "frequency control", dim: "percent", op: "<", value: 0.2, plusMinus: true, text: "frequency control better (less) than 0.2 % (3A225.c)"},
	}},
	// 1C216: maraging steel capable of UTS >= 1,950 MPa; Note: forms of 75 mm
	// or less in every dimension are excluded.
	"1C216": {all: []param{
		{name: "ultimate tensile strength", dim: "pressure", op: ">=", value: 1950e6, useMax: true, near: []string{"uts", "tensile", "strength"}, text: "\"capable of\" an ultimate tensile strength of 1,950 MPa or more at 293 K"},
		{name: "largest dimension", dim: "length", op: ">", value: 0.075, useMax: true, text: "not a form of 75 mm or less in all dimensions (Note to 1C216)"},
	}},
	// 2A226: valves a.-c.
	"2A226": {all: []param{
		{name: "nominal size", dim: "length", op: ">=", value: 0.005, useMax: true, near: []string{"dn", "size", "nominal"}, text: "\"nominal size\" of 5 mm or greater (2A226.a)"},
		{name: "bellows seal", phrases: []string{"bellows"}, text: "having a bellows seal (2A226.b)"},
		{name: "material", materials: []string{matAluminum, matNi60}, text: "wholly made of or lined with aluminium, aluminium alloy, nickel, or nickel alloy >60% Ni (2A226.c)"},
	}},
	// 2B231: vacuum pumps a.-c.
	"2B231": {all: []param{
		{name: "input throat size", dim: "length", op: ">=", value: 0.380, useMax: true, near: []string{"throat", "inlet", "flange"}, text: "input throat size 380 mm or greater (2B231.a)"},
		{name: "pumping speed", dim: "flow", op: ">=", value: 15 * 3600, useMax: true, text: "pumping speed 15 m3/s or greater (2B231.b)"},
		{name: "ultimate vacuum", dim: "pressure", op: "<", value: 13.3e-3, near: []string{"vacuum", "ultimate", "pressure"}, text: "ultimate vacuum better than 13.3 mPa (2B231.c)"},
	}},
	// 2B226.a: induction furnaces.
	"2B226": {all: []param{
		{name: "operating temperature", dim: "temperature", op: ">", value: 850, useMax: true, text: "capable of operation above 1,123 K (850 °C) (2B226.a.1)"},
		{name: "induction coil diameter", dim: "length", op: "<=", value: 0.6, near: []string{"coil"}, text: "induction coils 600 mm or less in diameter (2B226.a.2)"},
		{name: "power input", dim: "power", op: ">=", value: 5e3, useMax: true, text: "designed for power inputs of 5 kW or more (2B226.a.3)"},
	}},
	// 3A227: high-voltage DC power supplies a.-b.
	"3A227": {all: []param{
		{name: "voltage", dim: "voltage", op: ">=", value: 20e3, useMax: true, text: "20 kV or greater continuously over 8 hours (3A227.a)"},
		{name: "current", dim: "current", op: ">=", value: 1, useMax: true, text: "current output of 1 A or greater (3A227.a)"},
		{name: "stability", dim: "percent", op: "<", value: 0.1, near: []string{"stability", "regulation", "ripple"}, text: "current or voltage stability better than 0.1 % over 8 hours (3A227.b)"},
	}},
	// 3A001.a.1: radiation-hardened integrated circuits (total dose).
	"3A001.a.1": {all: []param{
		{name: "total dose", dim: "dose", op: ">=", value: 5e3, useMax: true, text: "rated to withstand a total dose of 5 × 10^3 Gy (Si) or higher (3A001.a.1.a)"},
	}},
	// 1C997: ammonium nitrate > 15 % by weight.
	"1C997": {all: []param{
		{name: "ammonium nitrate content", dim: "percent", op: ">", value: 15, near: []string{"ammonium", "nitrate", "an"}, text: "more than 15 % by weight ammonium nitrate"},
	}},
	// 2B350 sub-items: materials and sizes.
	"2B350.a": {all: []param{chemMat(),
		{name: "internal volume", dim: "volume", op: "between", value: 0.1, max: 20, useMax: true, text: "total internal (geometric) volume greater than 0.1 m3 (100 l) and less than 20 m3 (2B350.a.1)"}}},
	"2B350.b": {all: []param{chemMat()}},
	"2B350.c": {all: []param{chemMat(),
		{name: "internal volume", dim: "volume", op: ">", value: 0.1, useMax: true, text: "total internal (geometric) volume greater than 0.1 m3 (100 l) (2B350.c.1)"}}},
	"2B350.d": {all: []param{chemMat(matGraphite, matSiC),
		{name: "heat transfer area", dim: "area", op: "between", value: 0.15, max: 20, useMax: true, text: "heat transfer surface area greater than 0.15 m2 and less than 20 m2 (2B350.d)"}}},
	"2B350.e": {all: []param{chemMat(matGraphite),
		{name: "internal diameter", dim: "length", op: ">", value: 0.1, useMax: true, near: []string{"diameter"}, text: "internal diameter greater than 0.1 m (2B350.e)"}}},
	"2B350.g": {all: []param{chemMat(matCeramic, matFerroSi),
		{name: "nominal size", dim: "length", op: ">", value: 0.01, useMax: true, near: []string{"dn", "size", "nominal"}, text: "nominal size greater than 1.0 cm (3/8\") (2B350.g)"}}},
	"2B350.i": {all: []param{
		{name: "multiple-seal or seal-less", phrases: []string{"double mechanical seal", "double seal", "tandem seal", "multiple seal", "multiple-seal", "seal-less", "sealless", "magnetic drive", "mag drive", "mag-drive", "magnetically coupled", "canned motor"}, text: "multiple-seal or seal-less pump (2B350.i)"},
		{name: "maximum flow rate", dim: "flow", op: ">", value: 0.6, useMax: true, text: "manufacturer's specified maximum flow rate greater than 0.6 m3/h (vacuum pumps: 5 m3/h) (2B350.i)"},
		chemMat(matCeramic, matFerroSi, matGraphite)}},
	// Category 0 (EU Annex I, NSG Trigger List): "specially designed or
	// prepared" for the nuclear use named in the item text.
	"0A001.d": {all: []param{{name: "for a nuclear reactor", phrases: []string{"reactor"}, text: "specially designed or prepared for a \"nuclear reactor\" (0A001.d)"}}},
	"0A001.f": {all: []param{
		{name: "fuel cladding", phrases: []string{"cladding"}, text: "specially designed or prepared for use as fuel cladding in a \"nuclear reactor\" (0A001.f)"},
		{name: "quantity", dim: "mass", op: ">", value: 10, useMax: true, text: "in quantities exceeding 10 kg (0A001.f)"}}},
	"0A001.g": {all: []param{{name: "primary coolant of a nuclear reactor", phrases: []string{"primary coolant", "reactor coolant", "primary circuit", "pwr", "bwr", "reactor"}, text: "specially designed or prepared for circulating the primary coolant of \"nuclear reactors\" (0A001.g)"}}},
	"0A001.i": {all: []param{{name: "primary or intermediate coolant circuit", phrases: []string{"primary coolant", "primary circuit", "intermediate coolant"}, text: "for the primary or intermediate coolant circuit of a \"nuclear reactor\" (0A001.i)"}}},
	"0A001.j": {all: []param{{name: "in-core use", phrases: []string{"in-core", "in core", "within the core", "reactor core"}, text: "for determining neutron flux levels within the core of a \"nuclear reactor\" (0A001.j)"}}},
	"0B001.b": {all: []param{{name: "for gas centrifuge enrichment", phrases: []string{"centrifuge"}, text: "specially designed or prepared for gas centrifuge separation (0B001.b)"}}},
	"0B002.a": {all: []param{{name: "UF6 service", phrases: []string{"uf6"}, text: "for passing UF6 to the enrichment process (0B002.a)"}}},
	"0C001":   {all: []param{{name: "uranium or thorium", phrases: []string{"uranium", "thorium", "yellowcake"}, text: "\"natural uranium\", \"depleted uranium\" or thorium (0C001)"}}},
	"0C003":   {all: []param{{name: "deuterium ratio above 1:5000", phrases: []string{"heavy water", "deuterium", "d2o"}, text: "isotopic ratio of deuterium to hydrogen exceeding 1:5 000 (0C003)"}}},
	"0C004": {all: []param{
		{name: "boron equivalent", dim: "ppm", op: "<", value: 5, useMax: true, text: "purity better than 5 ppm boron equivalent (0C004)"},
		{name: "density", dim: "density", op: ">", value: 1.5, text: "density greater than 1.50 g/cm3 (0C004)"},
		{name: "for a nuclear reactor", phrases: []string{"reactor"}, text: "for use in a \"nuclear reactor\" (0C004)"}}},
	"1C230": {all: []param{{name: "beryllium metal or >50% Be", phrases: []string{"beryllium metal", "beryllium disc", "beryllium sheet", "beryllium rod", "99% be", "beryllium powder"}, text: "beryllium metal, alloys >50 % Be, compounds, manufactures (1C230)"}}},
	"1C231": {all: []param{{name: "hafnium metal or >60% Hf", phrases: []string{"hafnium metal", "hafnium sponge", "hafnium bar", "hafnium powder"}, text: "hafnium metal, alloys and compounds >60 % Hf (1C231)"}}},
	"1C232": {all: []param{{name: "helium-3", phrases: []string{"helium-3", "helium 3", "he-3", "3he"}, text: "helium-3 and mixtures or devices containing it (1C232)"}}},
	"1C233": {all: []param{{name: "enriched in lithium-6", phrases: []string{"lithium-6", "lithium 6", "li-6", "6li"}, text: "lithium enriched in the lithium-6 isotope (1C233)"}}},
}

// met compares a quantity with p.
func (p param) met(q Quantity) bool {
	x := q.Min
	if p.useMax {
		x = q.Max
	}
	switch p.op {
	case ">=":
		return x >= p.value
	case ">":
		return x > p.value
	case "<":
		return x < p.value
	case "<=":
		return x <= p.value
	case "between":
		return x > p.value && x < p.max
	}
	return false
}

// pick finds the stated quantity for p, or false.
func (p param) pick(lower string, qs []Quantity) (Quantity, bool) {
	var cands []Quantity
	for _, q := range qs {
		if q.Dim != p.dim || (p.plusMinus && !q.PlusMinus && !strings.Contains(lower, "accuracy") && !strings.Contains(lower, "stability")) {
			continue
		}
		if p.dim == "percent" && !p.plusMinus && len(p.near) == 0 {
			continue
		}
		cands = append(cands, q)
	}
	if len(cands) == 0 {
		return Quantity{}, false
	}
	if len(p.near) > 0 {
		for _, q := range cands {
			from := q.Pos - 30
			if from < 0 {
				from = 0
			}
			window := lower[from:min(len(lower), q.Pos+len(q.Text)+25)]
			for _, w := range p.near {
				if containsWord(window, w) {
					return q, true
				}
			}
		}
		if len(cands) > 1 || p.dim == "percent" {
			return Quantity{}, false
		}
	}
	if p.plusMinus {
		for _, q := range cands {
			if q.PlusMinus {
				return q, true
			}
		}
	}
	// Several of the dimension and no context: the largest for lower
	// bounds, the one checked is the most favourable to control.
	best := cands[0]
	for _, q := range cands[1:] {
		if q.Max > best.Max {
			best = q
		}
	}
	return best, true
}

// evaluation is the outcome of checking a spec against a line.
type evaluation struct {
	checks   []checkResult
	missing  []string
	excluded bool
	listed   bool
}

type checkResult struct {
	name, stated, threshold string
	met                     bool
}

func (s spec) evaluate(lower string, qs []Quantity, mats []string) evaluation {
	var ev evaluation
	okAll := evalGroup(s.all, lower, qs, mats, &ev)
	okAlt := len(s.alt) == 0
	if len(s.alt) > 0 {
		// Pick the first alternative that is met; otherwise report the
		// alternative with fewest failures.
		best := -1
		var bestEv evaluation
		for _, g := range s.alt {
			var gev evaluation
			if evalGroup(g, lower, qs, mats, &gev) {
				okAlt = true
				bestEv = gev
				break
			}
			fails := len(gev.missing)
			if gev.excluded {
				fails += 100
			}
			if best < 0 || fails < best {
				best, bestEv = fails, gev
			}
		}
		ev.checks = append(ev.checks, bestEv.checks...)
		ev.missing = append(ev.missing, bestEv.missing...)
		if !okAlt && bestEv.excluded && len(bestEv.missing) == 0 {
			ev.excluded = true
		}
	}
	ev.listed = okAll && okAlt && !ev.excluded && len(ev.missing) == 0
	return ev
}

func evalGroup(ps []param, lower string, qs []Quantity, mats []string, ev *evaluation) bool {
	ok := true
	for _, p := range ps {
		switch {
		case len(p.phrases) > 0:
			found := ""
			for _, ph := range p.phrases {
				if containsWord(lower, ph) {
					found = ph
					break
				}
			}
			if found == "" {
				ev.missing = append(ev.missing, p.text)
				ok = false
			} else {
				ev.checks = append(ev.checks, checkResult{p.name, found, p.text, true})
			}
		case len(p.materials) > 0:
			if len(mats) == 0 {
				ev.missing = append(ev.missing, p.text)
				ok = false
				continue
			}
			hit := ""
			for _, m := range mats {
				for _, a := range p.materials {
					if m == a {
						hit = m
					}
				}
			}
			if hit == "" {
				ev.checks = append(ev.checks, checkResult{p.name, strings.Join(mats, ", "), p.text, false})
				ev.excluded = true
				ok = false
			} else {
				ev.checks = append(ev.checks, checkResult{p.name, hit, p.text, true})
			}
		default:
			q, found := p.pick(lower, qs)
			if !found {
				ev.missing = append(ev.missing, p.text)
				ok = false
				continue
			}
			m := p.met(q)
			ev.checks = append(ev.checks, checkResult{p.name, q.Text, p.text, m})
			if !m {
				ev.excluded = true
				ok = false
			}
		}
	}
	return ok
}

func (c checkResult) String() string {
	return fmt.Sprintf("%s: %s vs %s", c.name, c.stated, c.threshold)
}
