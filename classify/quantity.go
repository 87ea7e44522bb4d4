package classify

import (
	"regexp"
	"strconv"
	"strings"
)

// Quantity is a number with a unit found in a description, converted to the
// base unit of its dimension (Hz, W, V, A, Pa, m3/h, m3, m2, m, °C, %, kg,
// bit/s, frames/s, Gy, N, ppm, g/cm3). A range ("600-2000 Hz") has Min <
// Max; a single value has Min == Max.
type Quantity struct {
	Dim      string
	Min, Max float64
	// PlusMinus is true for a tolerance written "±0.1 %".
	PlusMinus bool
	// Text is the quantity as written; Pos its byte offset.
	Text string
	Pos  int
}

type unitDef struct {
	dim    string
	factor float64
	offset float64
}

var units = map[string]unitDef{
	"hz": {"frequency", 1, 0}, "khz": {"frequency", 1e3, 0}, "mhz": {"frequency", 1e6, 0}, "ghz": {"frequency", 1e9, 0},
	"w": {"power", 1, 0}, "kw": {"power", 1e3, 0}, "mw": {"power", 1e6, 0}, "va": {"power", 1, 0}, "kva": {"power", 1e3, 0}, "mva": {"power", 1e6, 0}, "hp": {"power", 745.7, 0},
	"v": {"voltage", 1, 0}, "kv": {"voltage", 1e3, 0}, "vac": {"voltage", 1, 0}, "vdc": {"voltage", 1, 0},
	"a": {"current", 1, 0}, "ma": {"current", 1e-3, 0}, "ka": {"current", 1e3, 0},
	"pa": {"pressure", 1, 0}, "kpa": {"pressure", 1e3, 0}, "mpa": {"pressure", 1e6, 0}, "gpa": {"pressure", 1e9, 0},
	"bar": {"pressure", 1e5, 0}, "mbar": {"pressure", 100, 0}, "psi": {"pressure", 6894.76, 0},
	"m3/h": {"flow", 1, 0}, "m³/h": {"flow", 1, 0}, "l/h": {"flow", 1e-3, 0}, "m3/s": {"flow", 3600, 0}, "m³/s": {"flow", 3600, 0},
	"l/s": {"flow", 3.6, 0}, "l/min": {"flow", 0.06, 0}, "m3/min": {"flow", 60, 0},
	"m3": {"volume", 1, 0}, "m³": {"volume", 1, 0}, "l": {"volume", 1e-3, 0}, "litres": {"volume", 1e-3, 0}, "liters": {"volume", 1e-3, 0},
	"litre": {"volume", 1e-3, 0}, "liter": {"volume", 1e-3, 0}, "ml": {"volume", 1e-6, 0},
	"m2": {"area", 1, 0}, "m²": {"area", 1, 0}, "cm2": {"area", 1e-4, 0},
	"m": {"length", 1, 0}, "mm": {"length", 1e-3, 0}, "cm": {"length", 1e-2, 0}, "km": {"length", 1e3, 0},
	"µm": {"length", 1e-6, 0}, "um": {"length", 1e-6, 0}, "micrometres": {"length", 1e-6, 0}, "micrometers": {"length", 1e-6, 0},
	"microns": {"length", 1e-6, 0}, "nm": {"length", 1e-9, 0},
	"°c": {"temperature", 1, 0}, "℃": {"temperature", 1, 0}, "k": {"temperature", 1, -273.15},
	"%":  {"percent", 1, 0},
	"kg": {"mass", 1, 0}, "g": {"mass", 1e-3, 0}, "t": {"mass", 1e3, 0},
	"mbps": {"datarate", 1e6, 0}, "gbps": {"datarate", 1e9, 0}, "mbit/s": {"datarate", 1e6, 0}, "gbit/s": {"datarate", 1e9, 0},
	"fps": {"framerate", 1, 0}, "frames per second": {"framerate", 1, 0},
	"gy": {"dose", 1, 0}, "rad": {"dose", 0.01, 0}, "krad": {"dose", 10, 0}, "mrad": {"dose", 1e4, 0},
	"n": {"force", 1, 0}, "kn": {"force", 1e3, 0},
	"ppm": {"ppm", 1, 0}, "g/cm3": {"density", 1, 0}, "g/cm³": {"density", 1, 0},
}

// quantityRe: optional ±, a number, an optional range, then a unit.
var quantityRe = regexp.MustCompile(`(?i)(±|\+/-)?\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)(?:\s*(?:-|–|to|~)\s*(±)?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?))?\s*(frames per second|micrometres|micrometers|microns|litres|liters|litre|liter|m3/min|m3/h|m³/h|m3/s|m³/s|l/min|l/h|l/s|g/cm3|g/cm³|mbit/s|gbit/s|mbps|gbps|krad|mrad|rad|khz|mhz|ghz|hz|kva|mva|va|kw|mw|hp|kv|vac|vdc|ma|ka|kpa|mpa|gpa|pa|mbar|bar|psi|m3|m³|m2|m²|cm2|mm|cm|km|µm|um|nm|°c|℃|kg|ml|fps|gy|kn|ppm|%|[wvalmgtnk])(?:\b|$|[^a-z0-9])`)

// dnRe reads nominal sizes written DN50 (millimetres).
var dnRe = regexp.MustCompile(`(?i)\bDN\s?(\d{1,4})\b`)

// Quantities returns the quantities stated in s, in order.
func Quantities(s string) []Quantity {
	var out []Quantity
	for _, m := range quantityRe.FindAllStringSubmatchIndex(s, -1) {
		unit := strings.ToLower(s[m[10]:m[11]])
		u, ok := units[unit]
		if !ok {
			continue
		}
		a, ok := number(s[m[4]:m[5]])
		if !ok {
			continue
		}
		b := a
		if m[8] >= 0 {
			if v, ok := number(s[m[8]:m[9]]); ok {
				b = v
			}
		}
		if b < a {
			a, b = b, a
		}
		q := Quantity{Dim: u.dim, Min: a*u.factor + u.offset, Max: b*u.factor + u.offset, PlusMinus: m[2] >= 0,
			Text: strings.TrimSpace(s[m[0]:m[11]]), Pos: m[0]}
		out = append(out, q)
	}
	for _, m := range dnRe.FindAllStringSubmatchIndex(s, -1) {
		v, _ := strconv.ParseFloat(s[m[2]:m[3]], 64)
		out = append(out, Quantity{Dim: "length", Min: v / 1000, Max: v / 1000, Text: s[m[0]:m[1]], Pos: m[0]})
	}
	return out
}

// number parses "2,050", "0,5", "1.5" and "1,000,000": a comma followed by
// exactly three digits separates thousands; otherwise it is a decimal comma.
func number(s string) (float64, bool) {
	if strings.Count(s, ",") >= 1 {
		parts := strings.Split(strings.SplitN(s, ".", 2)[0], ",")
		thousands := true
		for _, p := range parts[1:] {
			if len(p) != 3 {
				thousands = false
			}
		}
		if thousands {
			s = strings.ReplaceAll(s, ",", "")
		} else {
			s = strings.Replace(s, ",", ".", 1)
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}
