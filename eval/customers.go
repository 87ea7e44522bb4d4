package eval

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"

	"github.com/interdict/interdict"
)

//go:embed data/customers.jsonl.gz
var customersGz []byte

// Customer is one ordinary person of the independent customer set
// (data/customers.jsonl.gz, made by data/customers.mjs from
// @faker-js/faker's locale name tables, with a seed of its own per split).
// No customer is expected on any list: every alert on one is a false alert.
type Customer struct {
	ID     string `json:"id"`
	Split  string `json:"split"` // dev, test or sealed
	Locale string `json:"locale"`
	// Family is the script family of Name (ISO 15924 code; Jpan for
	// Japanese names in kanji).
	Family string `json:"family"`
	Sex    string `json:"sex"` // female or male
	Name   string `json:"name"`
	// Latin is the name in Latin letters (any-ascii, for families whose
	// customers write one), or "".
	Latin string `json:"latin,omitempty"`
	DOB   string `json:"dob"` // YYYY-MM-DD
}

// Customers returns the customers of one split ("dev", "test", "sealed";
// "" for all).
func Customers(split string) ([]Customer, error) {
	return ReadCustomers(bytes.NewReader(customersGz), split)
}

// ReadCustomers reads gzipped JSON-lines customers, naming the line of a
// record it cannot read.
func ReadCustomers(r io.Reader, split string) ([]Customer, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("read customers: %w", err)
	}
	var out []Customer
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<16), 1<<16)
	for line := 1; sc.Scan(); line++ {
		var c Customer
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("read customers: line %d: %w", line, err)
		}
		if c.Name == "" {
			return nil, fmt.Errorf("read customers: line %d: no name", line)
		}
		if split == "" || c.Split == split {
			out = append(out, c)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read customers: %w", err)
	}
	return out, nil
}

// CustomerCases turns customers into cases of the independent sets:
//
//   - "customer": the name, as a person with the birth date, screened
//     against all lists (a negative; its Script is the customer's family);
//   - "customer-latin": the Latin form, likewise (Script "Latn-" + family);
//   - "translit": a pair of the name and its own Latin form (a match);
//   - "translit-different": a pair of the name and the Latin form of the
//     next customer of the same family and sex (no match).
func CustomerCases(cs []Customer) []Case {
	var out []Case
	last := map[string]*Customer{}
	for i := range cs {
		c := &cs[i]
		q := interdict.Query{Name: c.Name, Kind: interdict.KindPerson, DOB: c.DOB}
		out = append(out, Case{ID: c.ID, Split: c.Split, Type: TypeSearch, Variation: "customer", Script: c.Family, Query: q})
		if c.Latin == "" {
			continue
		}
		lq := interdict.Query{Name: c.Latin, Kind: interdict.KindPerson, DOB: c.DOB}
		out = append(out, Case{ID: c.ID + "-latin", Split: c.Split, Type: TypeSearch, Variation: "customer-latin", Script: "Latn-" + c.Family, Query: lq})
		pq := interdict.Query{Name: c.Name, Kind: interdict.KindPerson}
		po := interdict.Query{Name: c.Latin, Kind: interdict.KindPerson}
		out = append(out, Case{ID: c.ID + "-translit", Split: c.Split, Type: TypePair, Variation: "translit", Script: c.Family, Query: pq, Other: &po, Match: true})
		k := c.Family + " " + c.Sex
		if p := last[k]; p != nil && p.Latin != c.Latin {
			o := interdict.Query{Name: p.Latin, Kind: interdict.KindPerson}
			out = append(out, Case{ID: c.ID + "-translit-different", Split: c.Split, Type: TypePair, Variation: "translit-different", Script: c.Family, Query: pq, Other: &o, Match: false})
		}
		last[k] = c
	}
	return out
}
