package classify

import "strings"

// reading is what a line's wording says about the item beyond its bag of
// terms: the head noun (what the item is) and the application it names
// (what it is for).
type reading struct {
	// head holds the head noun of the first phrase ("pumps" in "stainless
	// steel pumps for nuclear plant cooling") and, when that noun is used
	// all over the lists ("rotor assemblies", "guidance systems"), the word
	// before it.
	head []string
	// mods are the other terms of the first phrase ("picture" in "picture
	// frames"): what kind of head noun the line means.
	mods []string
	// app holds the terms of the application or end-use phrases ("for
	// nuclear plant cooling", "for use in missile guidance").
	app []string
}

func has(ts []string, t string) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// appMarkers open an application or end-use phrase, longest first.
var appMarkers = []string{
	"intended for use in", "intended for use with", "for use in", "for use with", "for use on",
	"intended for", "designed for", "destined for", "suitable for", "used in", "used for",
	"to be used in", "to be used for", "application:", "end use:", "end-use:", "for",
}

// headEnd lists what ends the first phrase of a line.
var headEnd = []string{",", ";", "(", " - ", " – ", " with ", " for ", " used ", " made of ", " made from ", " incl", " of ", ":"}

// read finds the head noun and the application phrases of a description
// written in lower case.
func (c *Classifier) read(lowerDesc string) reading {
	var r reading
	lower := " " + lowerDesc + " "
	first := lower
	cut := len(first)
	for _, sep := range headEnd {
		if i := strings.Index(first, sep); i > 0 && i < cut && strings.TrimSpace(first[:i]) != "" {
			cut = i
		}
	}
	ts := terms(first[:cut])
	if n := len(ts); n > 0 {
		r.head = append(r.head, ts[n-1])
		if c.ix.spread[ts[n-1]] && n > 1 {
			r.head = append(r.head, ts[n-2])
		}
	}
	for _, t := range ts {
		if !has(r.head, t) {
			r.mods = append(r.mods, t)
		}
	}
	rest := lower
	for {
		at, n := -1, 0
		for _, m := range appMarkers {
			if i := strings.Index(rest, " "+m+" "); i >= 0 && (at < 0 || i < at) {
				at, n = i, len(m)+2
			}
		}
		if at < 0 {
			break
		}
		rest = rest[at+n:]
		end := len(rest)
		for _, sep := range []string{",", ";", "(", ")", " with ", " - "} {
			if i := strings.Index(rest, sep); i >= 0 && i < end {
				end = i
			}
		}
		for _, t := range terms(rest[:end]) {
			if !has(r.head, t) && !has(r.app, t) {
				r.app = append(r.app, t)
			}
		}
		rest = " " + rest[end:]
	}
	return r
}
