// Package evalgen loads the bundled sanctions lists and generates the
// labelled evaluation sets of package eval from them. The sets are written
// by `go test ./internal/evalgen -run TestGenerate -update` and are
// reproducible: the same list files give the same cases. The negatives
// (non-listed names) draw from a random stream of their own and come last,
// so that changing them changes no other case; `-update -only-negatives`
// rewrites only them and keeps the file's other cases as they are.
package evalgen

import (
	"fmt"
	"sort"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/canada"
	"github.com/interdict/interdict/source/csl"
	"github.com/interdict/interdict/source/dfat"
	"github.com/interdict/interdict/source/dpl"
	"github.com/interdict/interdict/source/eu"
	"github.com/interdict/interdict/source/ofac"
	"github.com/interdict/interdict/source/uk"
	"github.com/interdict/interdict/source/un"
)

// Formats are the list formats LoadLists reads.
func Formats() []source.Format {
	var all []source.Format
	for _, fs := range [][]source.Format{ofac.Formats, un.Formats, eu.Formats, uk.Formats, csl.Formats, dpl.Formats, canada.Formats, dfat.Formats} {
		all = append(all, fs...)
	}
	return all
}

// LoadLists reads every list file under dir (../shared/data/lists) that a
// format recognises and returns the entities of all lists, in list and ID
// order, with the list names found.
func LoadLists(dir string) ([]interdict.Entity, []string, error) {
	files, err := source.ReadPaths([]string{dir})
	if err != nil {
		return nil, nil, err
	}
	fmts := Formats()
	type key struct{ format, list string }
	groups := map[key][]source.File{}
	byName := map[string]source.Format{}
	for _, f := range files {
		ft, list, err := source.Detect(fmts, f)
		if err != nil {
			continue
		}
		k := key{ft.Name, list}
		groups[k] = append(groups[k], f)
		byName[ft.Name] = ft
	}
	keys := make([]key, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].list != keys[j].list {
			return keys[i].list < keys[j].list
		}
		return keys[i].format < keys[j].format
	})
	var all []interdict.Entity
	seenList := map[string]bool{}
	var lists []string
	for _, k := range keys {
		if seenList[k.list] {
			continue // one format per list: the first in name order
		}
		res, err := source.Parse(byName[k.format], k.list, groups[k])
		if err != nil {
			return nil, nil, fmt.Errorf("parse %s (%s): %w", k.list, k.format, err)
		}
		seenList[k.list] = true
		lists = append(lists, k.list)
		all = append(all, res.Entities...)
	}
	return all, lists, nil
}
