// Package ccl reads the US Commerce Control List (15 CFR Part 774, Supp. No. 1)
// in the JSON form of the eCFR parse kept in ../shared/data/goods/ccl
// (ccl_parsed_full.json: categories → product groups → ECCNs with a heading
// and a Markdown "details" text) into interdict.ControlEntry values: one per
// ECCN and one per lettered or numbered sub-item ("2B350.i", "3A001.a.1").
package ccl

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
const ListName = "us-ccl"

type document []struct {
	Name          string `json:"name"`
	ProductGroups []struct {
		Name  string `json:"name"`
		ECCNs []struct {
			Code        string `json:"code"`
			Description string `json:"description"`
			Details     string `json:"details"`
		} `json:"eccn"`
	} `json:"product_groups"`
}

var eccnRe = regexp.MustCompile(`^[0-9][A-E][0-9]{3}$`)

// Read parses the CCL JSON. Records that are not ECCNs (parser artefacts
// such as a "Technical Note" pseudo-entry) are left out and returned as
// *source.ParseError values in skipped; err is non-nil only when the
// document cannot be read at all.
func Read(r io.Reader) (entries []interdict.ControlEntry, skipped []error, err error) {
	var doc document
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, nil, fmt.Errorf("read ccl json: %w", err)
	}
	for _, cat := range doc {
		for _, g := range cat.ProductGroups {
			for _, e := range g.ECCNs {
				code := strings.TrimSpace(e.Code)
				if !eccnRe.MatchString(code) {
					skipped = append(skipped, &source.ParseError{List: ListName, Record: code, Field: "code",
						Err: fmt.Errorf("not an ECCN: %q", code)})
					continue
				}
				entries = append(entries, Parse(code, e.Description, e.Details)...)
			}
		}
	}
	return entries, skipped, nil
}

// Parse turns one ECCN (code, heading and Markdown details) into the entry
// and its sub-items. The entry's Text is the "Items" section; each sub-item
// carries its own paragraph and notes.
func Parse(code, heading, details string) []interdict.ControlEntry {
	root := interdict.ControlEntry{
		Code:    code,
		Lists:   []string{interdict.ListUSCCL},
		Regime:  Regime(code),
		Heading: clean(heading),
		Reasons: Reasons(details),
	}
	items := itemsSection(details)
	root.Text = clean(items)
	out := []interdict.ControlEntry{root}
	out = append(out, subItems(root, items)...)
	return out
}

// Regime returns the regime the CCL numbering points to (docs/DOMAIN.md 5.1).
func Regime(code string) string {
	if len(code) < 5 {
		return ""
	}
	switch code[2] {
	case '0':
		return "Wassenaar Arrangement"
	case '1':
		return "MTCR"
	case '2':
		return "NSG (dual-use)"
	case '3':
		return "Australia Group"
	case '4':
		return "CWC"
	case '5', '6':
		if code[0] == '0' && code[2] == '5' {
			return "US (firearms, 0x5zz)"
		}
		return "US 600 series / munitions"
	case '9':
		return "US unilateral"
	}
	return ""
}

var (
	reasonLine = regexp.MustCompile(`\*Reason for Control:\*\s*([^\n]*)`)
	reasonCode = regexp.MustCompile(`\b(NS|MT|NP|CB|RS|CC|AT|EI|FC|UN|SL|CW|SS|SI|MT)\b`)
	tableRow   = regexp.MustCompile(`(?m)^\|\s*(NS|MT|NP|CB|RS|CC|AT|EI|FC|UN|SL|CW)\s+(applies[^|]*)\|\s*([^|]*)\|`)
	columnRe   = regexp.MustCompile(`\b(NS|MT|NP|CB|RS|CC|AT|FC|UN)\s*Column\s*(\d)`)
)

// Reasons reads the reasons for control and their country-chart columns
// from the "License Requirements" part of an ECCN's details.
func Reasons(details string) []interdict.ControlReason {
	var out []interdict.ControlReason
	seen := map[string]int{}
	for _, m := range tableRow.FindAllStringSubmatch(details, -1) {
		cr := interdict.ControlReason{Reason: m[1], Scope: strings.TrimSpace(clean(m[2]))}
		if c := columnRe.FindStringSubmatch(m[3]); c != nil {
			cr.Column = c[1] + c[2]
		}
		key := cr.Reason + cr.Column
		if i, ok := seen[key]; ok {
			if len(cr.Scope) > 0 && out[i].Scope != "applies to entire entry" {
				out[i].Scope = strings.TrimSpace(out[i].Scope + "; " + cr.Scope)
			}
			continue
		}
		seen[key] = len(out)
		out = append(out, cr)
	}
	if m := reasonLine.FindStringSubmatch(details); m != nil {
		for _, r := range reasonCode.FindAllString(m[1], -1) {
			found := false
			for _, o := range out {
				if o.Reason == r {
					found = true
				}
			}
			if !found {
				out = append(out, interdict.ControlReason{Reason: r})
				seen[r] = len(out) - 1
			}
		}
	}
	return out
}

func itemsSection(details string) string {
	i := strings.Index(details, "*Items:*")
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(details[i+len("*Items:*"):])
}

// labelRe matches a sub-item label at the start of a paragraph: "a.",
// "a.1.", "a.1.a", "d.1.b.1.".
var labelRe = regexp.MustCompile(`^([a-z](?:\.(?:[0-9]{1,2}|[a-z]))*)\.?\s+(\S.*)$`)

func subItems(root interdict.ControlEntry, items string) []interdict.ControlEntry {
	var out []interdict.ControlEntry
	index := map[string]int{}
	cur := -1
	for _, para := range strings.Split(items, "\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		if m := labelRe.FindStringSubmatch(para); m != nil && validLabel(m[1], out, root.Code) {
			text := clean(m[2])
			if strings.HasPrefix(text, "[Reserved]") {
				cur = -1
				continue
			}
			code := root.Code + "." + m[1]
			parent := root.Code
			if j := strings.LastIndex(m[1], "."); j > 0 {
				parent = root.Code + "." + m[1][:j]
			}
			if _, dup := index[code]; dup {
				cur = -1
				continue
			}
			index[code] = len(out)
			cur = len(out)
			out = append(out, interdict.ControlEntry{Code: code, Parent: parent, Lists: root.Lists,
				Regime: root.Regime, Heading: root.Heading, Text: text})
			continue
		}
		if cur >= 0 {
			out[cur].Text += " " + clean(para)
		}
	}
	return out
}

// validLabel guards against prose that starts with a lone letter ("a
// license"): a label of depth one must be a single letter followed by its
// text, and a deeper label must extend a label already seen.
func validLabel(label string, seen []interdict.ControlEntry, root string) bool {
	if len(label) == 1 {
		return true
	}
	j := strings.LastIndex(label, ".")
	parent := root + "." + label[:j]
	for i := len(seen) - 1; i >= 0; i-- {
		if seen[i].Code == parent {
			return true
		}
	}
	return false
}

var (
	mdLink  = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	spaceRe = regexp.MustCompile(`\s+`)
)

// clean removes Markdown emphasis and links and folds white space.
func clean(s string) string {
	s = mdLink.ReplaceAllString(s, "$1")
	s = strings.ReplaceAll(s, "*", "")
	s = strings.ReplaceAll(s, "\u00a0", " ")
	return strings.TrimSpace(spaceRe.ReplaceAllString(s, " "))
}
