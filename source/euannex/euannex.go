// Package euannex reads Annex I of the EU Dual-Use Regulation (EU) 2021/821
// in the JSON form kept in ../shared/data/goods/eu-annex-i (entry headings of
// every depth-0 entry, and the item text of the Category 0 entries, the NSG
// Trigger List) into interdict.ControlEntry values, splitting item text into
// sub-items ("0A001.g").
package euannex

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
)

// ListName names the list in parse errors.
const ListName = "eu-annex-i"

type document struct {
	Metadata struct {
		AnnexVersion string `json:"annex_version"`
	} `json:"metadata"`
	Entries []struct {
		Code       string `json:"code"`
		RegimeHint string `json:"regime_hint"`
		Heading    string `json:"heading"`
		ItemText   string `json:"item_text"`
	} `json:"entries"`
}

var codeRe = regexp.MustCompile(`^[0-9][A-E][0-9]{3}$`)

// Read parses the Annex I JSON. Entries whose code is not an Annex I code are
// returned as *source.ParseError values in skipped.
func Read(r io.Reader) (entries []interdict.ControlEntry, skipped []error, err error) {
	var doc document
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, nil, fmt.Errorf("read annex i json: %w", err)
	}
	for _, e := range doc.Entries {
		code := strings.TrimSpace(e.Code)
		if !codeRe.MatchString(code) {
			skipped = append(skipped, &source.ParseError{List: ListName, Record: code, Field: "code",
				Err: fmt.Errorf("not an Annex I code: %q", code)})
			continue
		}
		root := interdict.ControlEntry{Code: code, Lists: []string{interdict.ListEUAnnexI},
			Regime: regime(e.RegimeHint), Heading: clean(e.Heading), Text: clean(e.ItemText)}
		entries = append(entries, root)
		entries = append(entries, SubItems(root)...)
	}
	return entries, skipped, nil
}

func regime(hint string) string {
	switch {
	case strings.HasPrefix(hint, "NSG Trigger"):
		return "NSG Trigger List"
	case strings.HasPrefix(hint, "NSG"):
		return "NSG (dual-use)"
	case strings.HasPrefix(hint, "Wassenaar"):
		return "Wassenaar Arrangement"
	case strings.HasPrefix(hint, "Australia"):
		return "Australia Group"
	case strings.HasPrefix(hint, "EU-specific"):
		return "EU (Art. 9 / 2025 additions)"
	}
	return hint
}

// itemRe finds the start of a first-level item in running Annex text:
// "a. " at the start or after "; " or ". ".
var itemRe = regexp.MustCompile(`(?:^|[;:.]\s+)([a-z])\.\s+`)

// SubItems splits the item text of an entry into its first-level sub-items
// (a., b., ...). Letters must follow in order; anything else stays in the
// text of the item before it.
func SubItems(root interdict.ControlEntry) []interdict.ControlEntry {
	text := root.Text
	locs := itemRe.FindAllStringSubmatchIndex(text, -1)
	var starts []int
	var labels []string
	next := byte('a')
	for _, l := range locs {
		c := text[l[2]]
		if c != next {
			continue
		}
		starts = append(starts, l[2])
		labels = append(labels, string(c))
		next++
	}
	var out []interdict.ControlEntry
	for i, s := range starts {
		end := len(text)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		body := strings.TrimSpace(text[s+2 : end])
		body = strings.TrimSuffix(body, ";")
		out = append(out, interdict.ControlEntry{Code: root.Code + "." + labels[i], Parent: root.Code,
			Lists: root.Lists, Regime: root.Regime, Heading: root.Heading, Text: body})
	}
	return out
}

var spaceRe = regexp.MustCompile(`\s+`)

func clean(s string) string {
	return strings.TrimSpace(spaceRe.ReplaceAllString(strings.ReplaceAll(s, "\u00a0", " "), " "))
}
