package un

import (
	"strings"

	"github.com/interdict/interdict"
)

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
