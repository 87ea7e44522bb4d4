package classify_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source/ccl"
	"github.com/interdict/interdict/source/euannex"
)

var update = flag.Bool("update", false, "regenerate classify/data from ../shared/data/goods")

// sharedGoods is where CI and dev checkouts keep the raw goods data.
const sharedGoods = "../../shared/data/goods"

// TestData regenerates the bundled control-list tables in data/ from the raw
// files in ../shared/data/goods and compares them with the committed ones;
// with -update it rewrites them. It skips when the raw data is absent (the
// product itself only needs the embedded tables).
func TestData(t *testing.T) {
	if _, err := os.Stat(sharedGoods); err != nil {
		t.Skip("raw goods data not present (../shared/data/goods); bundled tables not checked:", err)
	}
	files, sources := generate(t)
	for name, data := range files {
		path := filepath.Join("data", name)
		if *update {
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		old, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./classify -run TestData -update)", err)
		}
		if !bytes.Equal(old, data) {
			t.Errorf("data/%s differs from what ../shared/data/goods generates (run go test ./classify -run TestData -update)", name)
		}
	}
	manifest := renderManifest(t, files, sources)
	if *update {
		if err := os.WriteFile("data/MANIFEST.md", manifest, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type sourceFile struct{ path, what, licence string }

func generate(t *testing.T) (map[string][]byte, []sourceFile) {
	t.Helper()
	sources := []sourceFile{
		{"ccl/ccl_parsed_full.json", "US Commerce Control List, 15 CFR 774 Supp. 1 (eCFR, about July 2025), parsed by waynehacking8/eccn-agent @ 0bd163a85741", "US Government work (public domain); JSON structure by the parser's author, no licence file"},
		{"eu-annex-i/annex_i_headings_2025-11.json", "EU Reg. (EU) 2021/821 Annex I incl. Delegated Reg. (EU) 2025/2003: headings + Category 0 item text, via dkmcustoms-web/dual-use-v1 @ 2e697d033704", "EU legal text, reuse under Commission Decision 2011/833/EU; only the OJ text is authentic"},
		{"hs/harmonized-system.csv", "WCO Harmonized System 2022 nomenclature via datasets/harmonized-system @ 905e5a0fa29f", "ODC-PDDL-1.0"},
		{"chpl/chpl_hs6_tiers.csv", "Common High Priority List (BIS version 2024-02-23), tiers and HS-6 codes", "US Government publication (public domain)"},
	}
	open := func(p string) *os.File {
		f, err := os.Open(filepath.Join(sharedGoods, p))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	f := open(sources[0].path)
	us, skippedUS, err := ccl.Read(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	f = open(sources[1].path)
	eu, skippedEU, err := euannex.Read(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append(skippedUS, skippedEU...) {
		t.Logf("left out: %v", s)
	}
	// Merge: one entry per code. The CCL text serves the EU entry for the
	// shared codes (docs/DOMAIN.md 5.1); EU-only codes keep the EU text.
	byCode := map[string]*interdict.ControlEntry{}
	var order []string
	for i := range us {
		e := us[i]
		byCode[e.Code] = &e
		order = append(order, e.Code)
	}
	euRoots := map[string]bool{}
	for i := range eu {
		e := eu[i]
		if e.Parent == "" {
			euRoots[e.Code] = true
		}
		if have, ok := byCode[e.Code]; ok {
			have.Lists = append(have.Lists, interdict.ListEUAnnexI)
			if e.Code[0] == '0' {
				have.Regime = e.Regime
			}
			continue
		}
		if e.Parent != "" && byCode[e.Parent] != nil && !euRoots[e.Parent] {
			continue
		}
		byCode[e.Code] = &e
		order = append(order, e.Code)
	}
	// A CCL sub-item of a code shared with the EU is on both lists too.
	for _, c := range order {
		e := byCode[c]
		if e.Parent != "" {
			root, _, _ := strings.Cut(c, ".")
			if r := byCode[root]; r != nil && len(r.Lists) == 2 && len(e.Lists) == 1 {
				e.Lists = r.Lists
			}
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i] < order[j] })
	catalog := struct {
		Entries []*interdict.ControlEntry `json:"entries"`
	}{}
	for _, c := range order {
		catalog.Entries = append(catalog.Entries, byCode[c])
	}
	js, err := json.Marshal(catalog)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"catalog.json.gz": gz(t, js)}

	// HS 2022: code (4 and 6 digits) and description.
	f = open(sources[2].path)
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var hs bytes.Buffer
	for _, r := range rows[1:] {
		if r[4] == "4" || r[4] == "6" {
			fmt.Fprintf(&hs, "%s\t%s\n", r[1], strings.ReplaceAll(r[2], "\t", " "))
		}
	}
	files["hs2022.tsv.gz"] = gz(t, hs.Bytes())

	f = open(sources[3].path)
	rows, err = csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var chpl bytes.Buffer
	w := csv.NewWriter(&chpl)
	w.Write([]string{"tier", "hs6"})
	for _, r := range rows[1:] {
		w.Write([]string{r[0], r[1]})
	}
	w.Flush()
	files["chpl.csv"] = chpl.Bytes()
	return files, sources
}

func gz(t *testing.T, data []byte) []byte {
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func renderManifest(t *testing.T, files map[string][]byte, sources []sourceFile) []byte {
	var b bytes.Buffer
	b.WriteString("# classify/data manifest\n\n")
	b.WriteString("Bundled control-list tables embedded in the binary (go:embed), so goods\n")
	b.WriteString("classification works offline. Generated files are rewritten by\n")
	b.WriteString("`go test ./classify -run TestData -update` from ../shared/data/goods (collected\n")
	b.WriteString("2026-11-22, see its MANIFEST.md); hand-maintained files are edited by hand.\n\n")
	b.WriteString("## Sources\n\n| file | what | licence | sha256 |\n|---|---|---|---|\n")
	for _, s := range sources {
		raw, err := os.ReadFile(filepath.Join(sharedGoods, s.path))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | `%s` |\n", s.path, s.what, s.licence, sum(raw))
	}
	b.WriteString("\n## Generated\n\n| file | from | bytes | sha256 |\n|---|---|---|---|\n")
	from := map[string]string{"catalog.json.gz": "ccl_parsed_full.json + annex_i_headings_2025-11.json (merged by code; CCL text serves shared codes)",
		"hs2022.tsv.gz": "harmonized-system.csv (levels 4 and 6)", "chpl.csv": "chpl_hs6_tiers.csv (tier, hs6)"}
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "| `%s` | %s | %d | `%s` |\n", n, from[n], len(files[n]), sum(files[n]))
	}
	b.WriteString("\n## Hand-maintained\n\n")
	b.WriteString("| file | what | basis |\n|---|---|---|\n")
	b.WriteString("| `destinations.json` | embargoes, dual-use bans, arms embargoes and sanctioned regions per destination | legal instruments cited per row; checked 2026-11 from the engineer's knowledge of the instruments, verify against EUR-Lex / eCFR / UN before relying on it |\n")
	b.WriteString("| `countrychart.json` | simplified Commerce Country Chart columns | 15 CFR 738 Supp. No. 1; simplifications stated in the file |\n")
	return b.Bytes()
}
