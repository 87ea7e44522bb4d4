package classify

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/interdict/interdict"
)

type regionRule struct {
	Region   string              `json:"region"`
	Country  string              `json:"country"`
	Patterns []string            `json:"patterns"`
	Measures []interdict.Measure `json:"measures"`
}

type chartColumn struct {
	XAllExcept []string `json:"x_all_except"`
	XOnly      []string `json:"x_only"`
}

// destRules are the embedded destination tables (data/destinations.json,
// data/countrychart.json).
type destRules struct {
	Countries map[string][]interdict.Measure `json:"countries"`
	Regions   []regionRule                   `json:"regions"`
	chart     struct {
		About     string                 `json:"about"`
		Basis     string                 `json:"basis"`
		Columns   map[string]chartColumn `json:"columns"`
		Embargoed map[string]string      `json:"embargoed"`
	}
}

func loadDestRules() (*destRules, error) {
	var dr destRules
	raw, err := dataFS.ReadFile("data/destinations.json")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &dr); err != nil {
		return nil, fmt.Errorf("load destinations.json: %w", err)
	}
	raw, err = dataFS.ReadFile("data/countrychart.json")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &dr.chart); err != nil {
		return nil, fmt.Errorf("load countrychart.json: %w", err)
	}
	return &dr, nil
}

// chartX reports whether the simplified country chart has an X at (cc,
// column), and whether the column is encoded at all.
func (dr *destRules) chartX(cc, column string) (x, known bool) {
	col, ok := dr.chart.Columns[column]
	if !ok {
		return false, false
	}
	if len(col.XOnly) > 0 {
		for _, c := range col.XOnly {
			if c == cc {
				return true, true
			}
		}
		return false, true
	}
	for _, c := range col.XAllExcept {
		if c == cc {
			return false, true
		}
	}
	return true, true
}

// region returns the first sanctioned region named in lower-case text, or
// nil.
func (dr *destRules) region(text string) *regionRule {
	for i, r := range dr.Regions {
		for _, p := range r.Patterns {
			if containsWord(text, p) {
				return &dr.Regions[i]
			}
		}
	}
	return nil
}

func (c *Classifier) countryCode(s string) string {
	s = strings.TrimSpace(s)
	if c.opts.CountryCode != nil {
		cc := c.opts.CountryCode(s)
		if cc == "" && len(s) <= 3 && strings.ToUpper(s) != s {
			// "ir", "fra": codes are written in any case.
			cc = c.opts.CountryCode(strings.ToUpper(s))
		}
		return cc
	}
	if len(s) == 2 {
		return strings.ToUpper(s)
	}
	return ""
}

// Destination checks a destination on its own, without goods: the
// measures of the country (an ISO 3166-1 code or a name) and of any
// sanctioned region named in address (Crimea, Donetsk, ...), as the
// destination section of Classify gives them. Attention is set for a
// comprehensive or regional embargo. Message screening uses it for the
// countries, addresses and ports of payments and bills of lading.
func (c *Classifier) Destination(country, address string) *interdict.DestinationCheck {
	return c.destination(interdict.LineItem{Destination: country, Address: address}, nil)
}

// destination builds the destination section: the measures of the
// destination country and of any sanctioned region named in the address,
// and the licence summary for the candidates' reasons for control.
func (c *Classifier) destination(item interdict.LineItem, cands []interdict.Candidate) *interdict.DestinationCheck {
	dc := &interdict.DestinationCheck{}
	dc.Country = c.countryCode(item.Destination)
	if r := c.dest.region(strings.ToLower(item.Destination + " " + item.Address)); r != nil {
		dc.Region = r.Region
		if dc.Country == "" {
			dc.Country = r.Country
		}
		dc.Measures = append(dc.Measures, r.Measures...)
	}
	if dc.Country == "" && item.Destination != "" {
		dc.Notes = append(dc.Notes, fmt.Sprintf("destination %q not recognised as a country", item.Destination))
	}
	if c.opts.CountryName != nil && dc.Country != "" {
		dc.Name = c.opts.CountryName(dc.Country)
	}
	dc.Measures = append(dc.Measures, c.dest.Countries[dc.Country]...)
	military := false
	listedOrCand := false
	for _, cd := range cands {
		if cd.Score >= CandidateThreshold {
			listedOrCand = true
			if strings.Contains(cd.Regime, "600") || strings.Contains(cd.Regime, "firearms") {
				military = true
			}
		}
	}
	for _, m := range dc.Measures {
		switch m.Kind {
		case "comprehensive-embargo", "regional-embargo":
			dc.Attention = true
		case "dual-use-ban", "sectoral":
			if listedOrCand {
				dc.Attention = true
			} else {
				dc.Notes = append(dc.Notes, fmt.Sprintf("%s %s applies to %s; check the goods against its annexes", m.Authority, m.Kind, m.Applies))
			}
		case "arms-embargo":
			if military {
				dc.Attention = true
			} else {
				dc.Notes = append(dc.Notes, fmt.Sprintf("%s arms embargo (%s): military end use of dual-use items is a catch-all case (EU Reg. 2021/821 Art. 4(1)(b))", m.Authority, m.LegalBasis))
			}
		}
	}
	if dc.Country == "" {
		return dc
	}
	emb := c.dest.chart.Embargoed[dc.Country]
	// The licence summary covers the listed entries, or else the leading
	// candidate: the others are too uncertain to summarise.
	var summarise []interdict.Candidate
	for _, cd := range cands {
		if cd.Status == "listed" {
			summarise = append(summarise, cd)
		}
	}
	if len(summarise) == 0 && len(cands) > 0 {
		summarise = cands[:1]
	}
	for _, cd := range summarise {
		if cd.Score < CandidateThreshold || !hasList(cd.Lists, interdict.ListUSCCL) {
			continue
		}
		for _, r := range cd.Reasons {
			lr := interdict.LicenceRequirement{Entry: cd.Entry, Reason: r.Reason, Column: r.Column}
			switch {
			case emb != "":
				lr.Required, lr.Basis = true, emb
			case r.Column == "":
				lr.Basis = "no country-chart column for this reason; see the ECCN's licence requirements (e.g. 15 CFR 742.15 for EI, 742.7 for CC without column)"
			default:
				x, known := c.dest.chartX(dc.Country, r.Column)
				if !known {
					lr.Basis = "column " + r.Column + " not evaluated in the simplified chart; check Supp. No. 1 to Part 738"
				} else {
					lr.Required = x
					lr.Basis = fmt.Sprintf("Supp. No. 1 to 15 CFR Part 738, column %s, %s (simplified; licence exceptions not evaluated)", r.Column, dc.Country)
				}
			}
			if lr.Required && cd.Status == "listed" {
				dc.Attention = true
			}
			dc.Licence = append(dc.Licence, lr)
		}
	}
	sort.SliceStable(dc.Licence, func(i, j int) bool { return dc.Licence[i].Required && !dc.Licence[j].Required })
	return dc
}

func hasList(ls []string, l string) bool {
	for _, x := range ls {
		if x == l {
			return true
		}
	}
	return false
}

// endUser screens the end user's name when a screener is configured.
func (c *Classifier) endUser(ctx context.Context, item interdict.LineItem) (*interdict.EndUserCheck, error) {
	eu := &interdict.EndUserCheck{Name: item.EndUser}
	if c.opts.Screener == nil {
		eu.Note = "no party screener configured; the end user was not screened"
		return eu, nil
	}
	q := interdict.Query{Name: item.EndUser, Address: item.Address}
	if cc := c.countryCode(item.Destination); cc != "" {
		q.Country = cc
	}
	r, err := c.opts.Screener.Screen(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("screen end user: %w", err)
	}
	eu.Screened = true
	eu.Attention = r.Alert
	eu.Hits = r.Hits
	return eu, nil
}
