package classify

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/interdict/interdict"
)

//go:embed data/catalog.json.gz data/hs2022.tsv.gz data/chpl.csv data/destinations.json data/countrychart.json
var dataFS embed.FS

// catalog is the bundled control-list data.
type catalog struct {
	entries  []interdict.ControlEntry
	byCode   map[string]int
	children map[string][]int
	hs       map[string]string // HS-4 and HS-6 code → description
	chpl     map[string]string // HS-6 → CHPL tier
}

func readGzip(name string) ([]byte, error) {
	raw, err := dataFS.ReadFile(name)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return io.ReadAll(zr)
}

func loadCatalog() (*catalog, error) {
	c := &catalog{byCode: map[string]int{}, children: map[string][]int{}, hs: map[string]string{}, chpl: map[string]string{}}
	js, err := readGzip("data/catalog.json.gz")
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	var doc struct {
		Entries []interdict.ControlEntry `json:"entries"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	c.entries = doc.Entries
	for i, e := range c.entries {
		c.byCode[e.Code] = i
		if e.Parent != "" {
			c.children[e.Parent] = append(c.children[e.Parent], i)
		}
	}
	hs, err := readGzip("data/hs2022.tsv.gz")
	if err != nil {
		return nil, fmt.Errorf("load hs: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(hs))
	for sc.Scan() {
		code, desc, ok := strings.Cut(sc.Text(), "\t")
		if ok {
			c.hs[code] = desc
		}
	}
	raw, err := dataFS.ReadFile("data/chpl.csv")
	if err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("load chpl: %w", err)
	}
	for _, r := range rows[1:] {
		c.chpl[r[1]] = r[0]
	}
	return c, nil
}

// subtreeText is the text of an entry and all its descendants.
func (c *catalog) subtreeText(i int, b *strings.Builder) {
	e := &c.entries[i]
	b.WriteString(e.Text)
	b.WriteString(" ")
	for _, k := range c.children[e.Code] {
		c.subtreeText(k, b)
	}
}
