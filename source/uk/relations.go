package uk

import (
	"strings"

	"github.com/interdict/interdict"
)

// citedRelations returns a linked-to relation for each UN reference number
// ("QDi.277", "QDe.115") cited in the remarks, other than the designation's
// own. The target is the UN list's entity ("un:QDi.277") until
// resolveRelations finds the UK designation of the same party.
func citedRelations(self string, remarks []string) []interdict.Relation {
	var out []interdict.Relation
	seen := map[string]bool{self: true}
	for _, rem := range remarks {
		for _, ref := range unReferences(rem) {
			if seen[ref] {
				continue
			}
			seen[ref] = true
			out = append(out, interdict.Relation{
				Type:   interdict.RelLinkedTo,
				Target: interdict.EntityID(interdict.ListUN, ref),
				Note:   "cited in other information",
			})
		}
	}
	return out
}

// unReferences returns the UN reference numbers found in s: two capital
// letters, "i" or "e", a dot and digits.
func unReferences(s string) []string {
	var out []string
	for i := 3; i < len(s); i++ {
		if s[i] != '.' {
			continue
		}
		a, b, k := s[i-3], s[i-2], s[i-1]
		if !isUpper(a) || !isUpper(b) || (k != 'i' && k != 'e') {
			continue
		}
		if i >= 4 && isAlnum(s[i-4]) {
			continue
		}
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i+1 || (j < len(s) && isAlnum(s[j])) {
			continue
		}
		out = append(out, s[i-3:j])
		i = j - 1
	}
	return out
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func isAlnum(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// resolveRelations points relations at UK designations where the files hold
// the party: a cited UN reference number is looked up among the
// designations' UNReferenceNumber, and the target's primary name filled in.
func resolveRelations(es []interdict.Entity) {
	byUN := map[string]int{}
	for i := range es {
		for _, ref := range es[i].Attributes["un_reference_number"] {
			byUN[strings.ToLower(ref)] = i
		}
	}
	for i := range es {
		for j := range es[i].Relations {
			rel := &es[i].Relations[j]
			list, ref, ok := interdict.SplitEntityID(rel.Target)
			if !ok || list != interdict.ListUN {
				continue
			}
			if k, ok := byUN[strings.ToLower(ref)]; ok {
				rel.Target = es[k].ID
				rel.TargetName = es[k].PrimaryName()
			}
		}
	}
}
