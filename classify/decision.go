package classify

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/interdict/interdict"
)

// endUserDecision is what a listing of the end user calls for, by list:
// sanctions lists freeze assets and prohibit making goods available (EU
// Reg. 269/2014 Art. 2, 31 CFR 501, UN SC resolutions), the Denied Persons
// List denies export privileges (15 CFR 764.3); the Consolidated Screening
// List is led by the BIS Entity List, a licence requirement (15 CFR 744.11
// and Supp. 4 to Part 744). Lists not named here call for a review.
var endUserDecision = map[string]interdict.GoodsDecision{
	interdict.ListOFACSDN: interdict.DecisionProhibited,
	interdict.ListUN:      interdict.DecisionProhibited,
	interdict.ListEU:      interdict.DecisionProhibited,
	interdict.ListUK:      interdict.DecisionProhibited,
	interdict.ListCA:      interdict.DecisionProhibited,
	interdict.ListAU:      interdict.DecisionProhibited,
	interdict.ListBISDPL:  interdict.DecisionProhibited,
	interdict.ListCSL:     interdict.DecisionLicenceRequired,
}

// endUserTie: hits within this score of the best hit of an alerting end
// user are reasons too (the same party is often on several lists).
const endUserTie = 0.05

// wmdEndUse is a stated end use that triggers the catch-all of EU Reg.
// 2021/821 Art. 4(1) (WMD and missiles, military end use) and 15 CFR 744.2
// to 744.4 and 744.21 for unlisted goods.
var wmdEndUse = regexp.MustCompile(`(?i)\b(nuclear (weapons?|explosives?|explosive devices?)|weapons? of mass destruction|wmd|missiles?|rockets?|uavs?|chemical weapons?|biological weapons?|military|armed forces|defen[cs]e (ministry|forces)|enrichment|reprocessing)\b`)

// decide sets the line's decision and its reasons from the evidence: the
// end user's screening, the destination's measures and licence summary,
// the stated end use and the goods verdict and candidates.
func (c *Classifier) decide(res *interdict.Classification, cands []interdict.Candidate) {
	var rs []interdict.DecisionReason
	add := func(r interdict.DecisionReason) { rs = append(rs, r) }

	if eu := res.EndUser; eu != nil {
		switch {
		case !eu.Screened:
			add(interdict.DecisionReason{Source: interdict.ReasonEndUser, Decision: interdict.DecisionReview,
				Text: "end user " + strconv.Quote(eu.Name) + " was not screened: " + eu.Note})
		case eu.Attention && len(eu.Hits) > 0:
			best := eu.Hits[0].Score
			for i, h := range eu.Hits {
				if i == 5 || h.Score < best-endUserTie {
					break
				}
				d, ok := endUserDecision[h.List]
				if !ok {
					d = interdict.DecisionReview
				}
				add(interdict.DecisionReason{Source: interdict.ReasonEndUser, Decision: d, EntityID: h.EntityID, List: h.List, Score: h.Score,
					Text: "end user " + strconv.Quote(eu.Name) + " matches " + h.Name + " (" + h.List + ", " + h.EntityID + ") with score " + strconv.FormatFloat(h.Score, 'f', 2, 64)})
			}
		}
	}

	var listed, candidate []interdict.Candidate
	for _, cd := range cands {
		switch {
		case cd.Status == "listed":
			listed = append(listed, cd)
		case cd.Score >= CandidateThreshold:
			candidate = append(candidate, cd)
		}
	}
	goodsHit := len(listed) > 0 || len(candidate) > 0
	military := func(cs []interdict.Candidate) bool {
		for _, cd := range cs {
			if strings.Contains(cd.Regime, "600") || strings.Contains(cd.Regime, "firearms") || strings.HasPrefix(cd.Entry, "0A5") || strings.HasPrefix(cd.Entry, "0A6") {
				return true
			}
		}
		return false
	}

	if dc := res.Destination; dc != nil {
		chpl := res.Tariff != nil && res.Tariff.CHPLTier != ""
		for _, m := range dc.Measures {
			r := interdict.DecisionReason{Source: interdict.ReasonDestination, Country: dc.Country, Region: dc.Region,
				Authority: m.Authority, Measure: m.Kind, LegalBasis: m.LegalBasis}
			where := dc.Country
			if dc.Region != "" {
				where = dc.Region
			}
			switch m.Kind {
			case "comprehensive-embargo", "regional-embargo":
				r.Decision = interdict.DecisionProhibited
				r.Text = m.Authority + " " + m.Kind + " on " + where + ", whatever the goods: " + m.Summary
			case "dual-use-ban", "sectoral":
				switch {
				case len(listed) > 0 && m.Kind == "dual-use-ban":
					r.Decision = interdict.DecisionProhibited
					r.Entry = listed[0].Entry
					r.Text = m.Authority + " bans " + m.Applies + " to " + where + " and the goods are listed under " + listed[0].Entry
				case len(listed) > 0:
					r.Decision = interdict.DecisionLicenceRequired
					r.Entry = listed[0].Entry
					r.Text = m.Authority + " restricts " + m.Applies + " to " + where + " and the goods are listed under " + listed[0].Entry + ": " + m.Summary
				case chpl && m.Kind == "dual-use-ban" && strings.Contains(m.Applies, "CHPL"):
					r.Decision = interdict.DecisionProhibited
					r.Text = m.Authority + " bans " + m.Applies + " to " + where + " and HS " + res.Tariff.HS6 + " is on the Common High Priority List (tier " + res.Tariff.CHPLTier + ")"
				case len(candidate) > 0:
					r.Decision = interdict.DecisionReview
					r.Entry = candidate[0].Entry
					r.Text = m.Authority + " restricts " + m.Applies + " to " + where + "; the goods may fall under " + candidate[0].Entry + ": " + m.Summary
				default:
					continue
				}
			case "arms-embargo":
				switch {
				case military(listed):
					r.Decision = interdict.DecisionProhibited
				case military(candidate):
					r.Decision = interdict.DecisionReview
				default:
					continue
				}
				r.Text = m.Authority + " arms embargo on " + where + " (" + m.Applies + ") and the goods are military items"
			default:
				continue
			}
			add(r)
		}
		isListed := map[string]bool{}
		for _, cd := range listed {
			isListed[cd.Entry] = true
		}
		for _, l := range dc.Licence {
			if !l.Required {
				continue
			}
			// The chart decides for a listed entry; for a candidate it says
			// what follows if the entry applies.
			r := interdict.DecisionReason{Source: interdict.ReasonDestination, Decision: interdict.DecisionLicenceRequired, Country: dc.Country,
				Entry: l.Entry, LegalBasis: l.Basis,
				Text: l.Entry + ", reason " + l.Reason + " " + l.Column + ": licence required for " + dc.Country}
			if !isListed[l.Entry] {
				r.Decision = interdict.DecisionReview
				r.Text = "if " + l.Entry + " applies, reason " + l.Reason + " " + l.Column + " requires a licence for " + dc.Country
			}
			add(r)
		}
	}

	if eu := strings.TrimSpace(res.Item.EndUse); eu != "" {
		if m := wmdEndUse.FindString(eu); m != "" {
			add(interdict.DecisionReason{Source: interdict.ReasonEndUse, Decision: interdict.DecisionLicenceRequired,
				LegalBasis: "Regulation (EU) 2021/821 Art. 4(1); 15 CFR 744.2-744.4, 744.21",
				Text:       "stated end use " + strconv.Quote(eu) + " (" + m + ") is a catch-all case: an authorisation is required even for unlisted goods"})
		}
	}

	for _, cd := range listed {
		r := interdict.DecisionReason{Source: interdict.ReasonEntry, Decision: interdict.DecisionLicenceRequired, Entry: cd.Entry,
			Text: "listed under " + cd.Entry + " (" + cd.Regime + "): every deciding parameter is stated and met"}
		if !hasList(cd.Lists, interdict.ListEUAnnexI) && res.Destination != nil && c.chartClear(res.Destination, cd.Entry) {
			r.Decision = interdict.DecisionNoLicenceRequired
			r.Text += "; the country chart has no X for " + res.Destination.Country + " under its reasons for control (licence exceptions not evaluated)"
		} else if hasList(cd.Lists, interdict.ListEUAnnexI) {
			r.Text += "; EU Annex I: export authorisation required (Reg. 2021/821 Art. 3; a general authorisation may apply)"
		}
		add(r)
	}
	if len(listed) == 0 {
		for i, cd := range candidate {
			if i == 3 {
				break
			}
			add(interdict.DecisionReason{Source: interdict.ReasonEntry, Decision: interdict.DecisionReview, Entry: cd.Entry, Missing: cd.MissingParameters,
				Text: "may fall under " + cd.Entry + " (" + cd.Regime + "); the description does not state what decides it"})
		}
	}
	if !goodsHit {
		add(interdict.DecisionReason{Source: interdict.ReasonGoods, Decision: interdict.DecisionNoLicenceRequired, Text: res.Basis})
	}

	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Decision.Severity() > rs[j].Decision.Severity() })
	res.Decision = interdict.DecisionNoLicenceRequired
	if len(rs) > 0 {
		res.Decision = rs[0].Decision
	}
	res.Reasons = rs
}

// chartClear reports whether the destination's licence summary covers the
// entry and finds no licence required under any of its reasons.
func (c *Classifier) chartClear(dc *interdict.DestinationCheck, entry string) bool {
	n := 0
	for _, l := range dc.Licence {
		if l.Entry != entry {
			continue
		}
		if l.Required || strings.HasPrefix(l.Basis, "no country-chart") || strings.HasPrefix(l.Basis, "column ") {
			return false
		}
		n++
	}
	return n > 0
}
