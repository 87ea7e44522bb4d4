package source

import "github.com/interdict/interdict"

// UNReferences returns the UN Security Council reference numbers found in s,
// in order: two capital letters, "i" (individual) or "e" (entity), a dot
// and digits, as in "QDi.430" or "CDe.001". Many lists cite them in remarks
// to name the UN listing of the same or a related party.
func UNReferences(s string) []string {
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

// CitedUNRelations returns a linked-to relation to the UN list's entity for
// each UN reference number cited in remarks, other than self (the record's
// own reference), each once, with note as the relation's note.
func CitedUNRelations(self string, remarks []string, note string) []interdict.Relation {
	var out []interdict.Relation
	seen := map[string]bool{self: true}
	for _, rem := range remarks {
		for _, ref := range UNReferences(rem) {
			if seen[ref] {
				continue
			}
			seen[ref] = true
			out = append(out, interdict.Relation{
				Type:   interdict.RelLinkedTo,
				Target: interdict.EntityID(interdict.ListUN, ref),
				Note:   note,
			})
		}
	}
	return out
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func isAlnum(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// RootElement returns the local name of the first element in the head of
// an XML file, after the declaration, comments, doctype and processing
// instructions, or "" when there is none.
func RootElement(head []byte) string {
	for i := 0; i+1 < len(head); i++ {
		if head[i] != '<' {
			continue
		}
		if c := head[i+1]; c == '?' || c == '!' {
			continue
		}
		j := i + 1
		for j < len(head) && head[j] != ' ' && head[j] != '>' && head[j] != '/' && head[j] != '\t' && head[j] != '\n' && head[j] != '\r' {
			j++
		}
		name := string(head[i+1 : j])
		for k := len(name) - 1; k >= 0; k-- {
			if name[k] == ':' {
				return name[k+1:]
			}
		}
		return name
	}
	return ""
}
