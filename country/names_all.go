package country

import (
	"sort"
	"strings"
)

// Names returns every name of the country with alpha-2 code in the tables
// (UN names in six languages, CLDR names in 27 languages, the names lists
// use, transliterations and colloquial names), as written there, each
// resolving back to code. It returns nil for an unknown code.
func Names(code string) []string {
	once.Do(load)
	if _, ok := names[code]; !ok {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		n = strings.TrimSpace(n)
		k := Key(n)
		if k == "" || seen[k] || byKey[k] != code {
			return
		}
		seen[k] = true
		out = append(out, n)
	}
	for _, tbl := range []string{table, cldrNames} {
		for _, line := range strings.Split(tbl, "\n") {
			if !strings.HasPrefix(line, code+"\t") {
				continue
			}
			f := strings.Split(line, "\t")
			for _, n := range strings.Split(f[len(f)-1], "|") {
				add(n)
			}
		}
	}
	for _, m := range []map[string]string{aliases, colloquial} {
		var ks []string
		for k, v := range m {
			if v == code {
				ks = append(ks, k)
			}
		}
		sort.Strings(ks)
		for _, k := range ks {
			add(k)
		}
	}
	return out
}
