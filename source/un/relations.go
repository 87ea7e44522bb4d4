package un

import (
	"strings"

	"github.com/interdict/interdict"
)

// citedRelations returns a linked-to relation for each UN reference number
// ("CDi.015", "QDe.115") cited in the remarks, other than the record's own.
func citedRelations(self string, remarks []string) []interdict.Relation {
	var out []interdict.Relation
	seen := map[string]bool{self: true}
	for _, rem := range remarks {
		for _, ref := range References(rem) {
			if seen[ref] {
				continue
			}
			seen[ref] = true
			out = append(out, interdict.Relation{
				Type:   interdict.RelLinkedTo,
				Target: interdict.EntityID(interdict.ListUN, ref),
				Note:   "cited in comments",
			})
		}
	}
	return out
}

// References returns the UN reference numbers found in s, in order: two
// capital letters, "i" (individual) or "e" (entity), a dot and digits, as in
// "QDi.430" or "CDe.001".
func References(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		if s[i] != '.' || i < 3 {
			continue
		}
		a, b, k := s[i-3], s[i-2], s[i-1]
		if !isUpper(a) || !isUpper(b) || (k != 'i' && k != 'e') {
			continue
		}
		if i >= 4 && isLetterOrDigit(s[i-4]) {
			continue
		}
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i+1 || (j < len(s) && isLetterOrDigit(s[j])) {
			continue
		}
		out = append(out, s[i-3:j])
		i = j - 1
	}
	return out
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func isLetterOrDigit(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// resolveRelations fills each relation's TargetName with the primary name of
// the entity it points to, when that entity is in the same files. Relations
// to records not in the files (delisted ones) keep their Target only.
func resolveRelations(es []interdict.Entity) {
	names := make(map[string]string, len(es))
	for i := range es {
		names[strings.ToLower(es[i].ID)] = es[i].PrimaryName()
	}
	for i := range es {
		for j := range es[i].Relations {
			rel := &es[i].Relations[j]
			if n, ok := names[strings.ToLower(rel.Target)]; ok && rel.TargetName == "" {
				rel.TargetName = n
			}
		}
	}
}
