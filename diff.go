package interdict

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
)

// DiffEntities compares two versions of a list. Both slices may be in any
// order. Changes are sorted by type (added, removed, changed) and then ID;
// a changed entity names the top-level fields that differ, using their JSON
// names ("names", "addresses", "programs").
func DiffEntities(list string, from, to int, old, new []Entity) *ListDiff {
	d := &ListDiff{List: list, From: from, To: to, Changes: []EntityChange{}}
	before := make(map[string]*Entity, len(old))
	for i := range old {
		before[old[i].ID] = &old[i]
	}
	after := make(map[string]*Entity, len(new))
	for i := range new {
		after[new[i].ID] = &new[i]
	}
	for id, n := range after {
		o, ok := before[id]
		switch {
		case !ok:
			d.Changes = append(d.Changes, EntityChange{Type: ChangeAdded, ID: id, Name: n.PrimaryName(), New: n})
			d.Added++
		default:
			if fields := changedFields(o, n); len(fields) > 0 {
				d.Changes = append(d.Changes, EntityChange{Type: ChangeChanged, ID: id, Name: n.PrimaryName(), Old: o, New: n, Fields: fields})
				d.Changed++
			}
		}
	}
	for id, o := range before {
		if _, ok := after[id]; !ok {
			d.Changes = append(d.Changes, EntityChange{Type: ChangeRemoved, ID: id, Name: o.PrimaryName(), Old: o})
			d.Removed++
		}
	}
	rank := map[ChangeType]int{ChangeAdded: 0, ChangeRemoved: 1, ChangeChanged: 2}
	sort.Slice(d.Changes, func(i, j int) bool {
		a, b := d.Changes[i], d.Changes[j]
		if a.Type != b.Type {
			return rank[a.Type] < rank[b.Type]
		}
		return a.ID < b.ID
	})
	return d
}

// changedFields returns the JSON names of the fields of Entity that differ
// between a and b.
func changedFields(a, b *Entity) []string {
	var out []string
	va, vb := reflect.ValueOf(*a), reflect.ValueOf(*b)
	t := va.Type()
	for i := 0; i < t.NumField(); i++ {
		fa, fb := va.Field(i).Interface(), vb.Field(i).Interface()
		if reflect.DeepEqual(fa, fb) {
			continue
		}
		// nil and empty slices and maps are the same to a reader.
		ja, _ := json.Marshal(fa)
		jb, _ := json.Marshal(fb)
		if string(ja) == string(jb) || (isEmptyJSON(ja) && isEmptyJSON(jb)) {
			continue
		}
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		out = append(out, name)
	}
	return out
}

func isEmptyJSON(b []byte) bool {
	s := string(b)
	return s == "null" || s == "[]" || s == "{}" || s == `""`
}
