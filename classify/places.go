package classify

import (
	"sort"
)

// Destination is a country or region the bundled destination rules
// (data/destinations.json, data/countrychart.json) restrict: an embargo, a
// dual-use export ban, an arms embargo or a sanctioned region.
type Destination struct {
	// Country is the ISO 3166-1 alpha-2 code.
	Country string
	// Region is the sanctioned region's name, or "" for a whole country.
	Region string
	// Patterns are, for a region, the lower-case names of the region and
	// its cities and ports as the rules recognise them.
	Patterns []string
	// Kinds are the kinds of the measures (comprehensive-embargo,
	// dual-use-ban, arms-embargo, sectoral, ...), sorted and distinct.
	Kinds []string
}

// Destinations returns the restricted destinations of the bundled rules,
// countries first (by code), then regions in the rules' order.
func Destinations() ([]Destination, error) {
	dr, err := loadDestRules()
	if err != nil {
		return nil, err
	}
	var out []Destination
	codes := make([]string, 0, len(dr.Countries))
	for cc := range dr.Countries {
		codes = append(codes, cc)
	}
	sort.Strings(codes)
	for _, cc := range codes {
		kinds := map[string]bool{}
		for _, m := range dr.Countries[cc] {
			kinds[string(m.Kind)] = true
		}
		if _, ok := dr.chart.Embargoed[cc]; ok {
			kinds["comprehensive-embargo"] = true
		}
		out = append(out, Destination{Country: cc, Kinds: sortedKeys(kinds)})
	}
	for _, r := range dr.Regions {
		kinds := map[string]bool{}
		for _, m := range r.Measures {
			kinds[string(m.Kind)] = true
		}
		out = append(out, Destination{Country: r.Country, Region: r.Region, Patterns: append([]string(nil), r.Patterns...), Kinds: sortedKeys(kinds)})
	}
	return out, nil
}

// GoodsTerms returns the trade terms that point straight at a control
// entry (the classifier's keyword table), by entry code. The map is a copy.
func GoodsTerms() map[string][]string {
	out := make(map[string][]string, len(keywords))
	for code, ts := range keywords {
		out[code] = append([]string(nil), ts...)
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
