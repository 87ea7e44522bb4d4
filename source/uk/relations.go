package uk

import (
	"strings"

	"github.com/interdict/interdict"
)

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
