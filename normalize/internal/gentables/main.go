// Command gentables derives the compact tables normalize embeds from
// OpenSanctions rigour's data files (MIT licence, opensanctions/rigour at
// 8f4044dd6719d71e8ba59b5033818ff407e0efab, rust/data/names/*.json, copied to
// ../shared/data/lists/matching/rigour):
//
//   - legalforms.tsv: generic class, display form and alias of every company
//     legal form in org_types.json;
//   - symbols.tsv: group, kind and alias of person_nick, person_symbols,
//     org_symbols and org_domains in symbols.json;
//   - confusables.tsv: the character pairs of compare.json;
//   - learned.tsv: Latin spellings of Arabic, Hebrew, Cyrillic and Han name
//     tokens learned from the training parts of the transliteration pairs
//     in ../shared/data/lists/matching/transliteration (see learned.go);
//   - model.tsv: a letter-by-letter transliteration model learned from the
//     same pairs (see model.go).
//
// Run from the module root:
//
//	go run ./normalize/internal/gentables ../shared/data/lists/matching
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

const header = "# Derived from OpenSanctions rigour (MIT licence, Copyright (c) OpenSanctions),\n" +
	"# opensanctions/rigour@8f4044dd6719d71e8ba59b5033818ff407e0efab rust/data/names/%s,\n" +
	"# by normalize/internal/gentables. Do not edit.\n"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gentables MATCHING_DIR")
		os.Exit(2)
	}
	err := run(filepath.Join(os.Args[1], "rigour"), "normalize")
	if err == nil {
		err = learned(filepath.Join(os.Args[1], "transliteration"), "normalize")
	}
	if err == nil {
		err = model(filepath.Join(os.Args[1], "transliteration"), "normalize")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gentables:", err)
		os.Exit(1)
	}
}

func clean(s string) string {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\t", " ")), " ")
	return s
}

func run(dir, out string) error {
	var orgTypes []struct {
		Aliases []string `json:"aliases"`
		Display string   `json:"display"`
		Generic string   `json:"generic"`
	}
	if err := readJSON(filepath.Join(dir, "org_types.json"), &orgTypes); err != nil {
		return err
	}
	var lines []string
	seen := map[string]bool{}
	for _, t := range orgTypes {
		g := t.Generic
		if g == "" {
			g = "-"
		}
		d := t.Display
		if d == "" && len(t.Aliases) > 0 {
			d = t.Aliases[0]
		}
		for _, a := range append([]string{t.Display}, t.Aliases...) {
			a = clean(a)
			if a == "" {
				continue
			}
			k := strings.ToLower(a)
			if seen[k] {
				continue
			}
			seen[k] = true
			lines = append(lines, g+"\t"+clean(d)+"\t"+a)
		}
	}
	if err := write(filepath.Join(out, "legalforms.tsv"), fmt.Sprintf(header, "org_types.json"), lines); err != nil {
		return err
	}

	var symbols map[string]json.RawMessage
	if err := readJSON(filepath.Join(dir, "symbols.json"), &symbols); err != nil {
		return err
	}
	lines = lines[:0]
	for _, kind := range []string{"person_nick", "person_symbols", "org_symbols", "org_domains"} {
		var groups map[string][]string
		if err := json.Unmarshal(symbols[kind], &groups); err != nil {
			return fmt.Errorf("symbols.json %s: %w", kind, err)
		}
		keys := make([]string, 0, len(groups))
		for k := range groups {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, a := range groups[k] {
				if a = clean(a); a != "" {
					lines = append(lines, k+"\t"+kind+"\t"+a)
				}
			}
		}
	}
	if err := write(filepath.Join(out, "symbols.tsv"), fmt.Sprintf(header, "symbols.json"), lines); err != nil {
		return err
	}

	var cmp struct {
		Pairs [][2]string `json:"similar_pairs"`
	}
	if err := readJSON(filepath.Join(dir, "compare.json"), &cmp); err != nil {
		return err
	}
	lines = lines[:0]
	for _, p := range cmp.Pairs {
		lines = append(lines, p[0]+"\t"+p[1])
	}
	return write(filepath.Join(out, "confusables.tsv"), fmt.Sprintf(header, "compare.json"), lines)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func write(path, head string, lines []string) error {
	return os.WriteFile(path, []byte(head+strings.Join(lines, "\n")+"\n"), 0o644)
}
