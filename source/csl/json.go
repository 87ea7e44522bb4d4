package csl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
)

// The JSON shape follows the trade.gov CSL API search response and bulk
// JSON ({"results": [...]}, or a bare array of records): scalar fields as in
// the CSV, "id" for the CSV "_id", arrays for the multi-valued fields,
// addresses as {address, city, state, postal_code, country} and ids as
// {type, number, country, issue_date, expiration_date}. Readers are lenient
// about scalars given as numbers and lists given as "; "-joined strings.

// jsonKeys are field names specific to CSL records, used by Detect.
var jsonKeys = [][]byte{[]byte(`"source_information_url"`), []byte(`"source_list_url"`), []byte(`"alt_names"`), []byte(`"federal_register_notice"`)}

func detectJSON(name string, head []byte) (string, bool) {
	h := bytes.TrimLeft(bytes.TrimPrefix(head, bom), " \t\r\n")
	if len(h) == 0 || (h[0] != '{' && h[0] != '[') {
		return "", false
	}
	n := 0
	for _, k := range jsonKeys {
		if bytes.Contains(h, k) {
			n++
		}
	}
	// Two CSL-specific keys, or one in a file named like the CSL.
	if n >= 2 || (n == 1 && (strings.Contains(name, "consolidated") || strings.Contains(name, "csl"))) {
		return interdict.ListCSL, true
	}
	return "", false
}

// text is a JSON scalar read as a string; null is "".
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*t = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	case len(b) > 0 && (b[0] == '{' || b[0] == '['):
		return fmt.Errorf("expected a string, got %.20s", b)
	default:
		*t = text(b) // number or boolean, as written
	}
	return nil
}

// texts is a JSON list of scalars, or one "; "-joined string, or null.
type texts []string

func (ts *texts) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var vs []text
		if err := json.Unmarshal(b, &vs); err != nil {
			return err
		}
		*ts = (*ts)[:0]
		for _, v := range vs {
			*ts = append(*ts, string(v))
		}
		return nil
	}
	var t text
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	*ts = splitMulti(string(t))
	return nil
}

type jsonAddress struct {
	Address    text `json:"address"`
	City       text `json:"city"`
	State      text `json:"state"`
	PostalCode text `json:"postal_code"`
	Country    text `json:"country"`
	full       string
}

func (a *jsonAddress) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] != '{' {
		var t text
		err := t.UnmarshalJSON(b)
		a.full = string(t)
		return err
	}
	type plain jsonAddress
	return json.Unmarshal(b, (*plain)(a))
}

type jsonID struct {
	Type           text `json:"type"`
	Number         text `json:"number"`
	Country        text `json:"country"`
	IssueDate      text `json:"issue_date"`
	ExpirationDate text `json:"expiration_date"`
}

type jsonRecord struct {
	ID                     text          `json:"id"`
	UnderscoreID           text          `json:"_id"`
	Source                 text          `json:"source"`
	EntityNumber           text          `json:"entity_number"`
	Type                   text          `json:"type"`
	Programs               texts         `json:"programs"`
	Name                   text          `json:"name"`
	Title                  text          `json:"title"`
	Addresses              []jsonAddress `json:"addresses"`
	FederalRegisterNotice  text          `json:"federal_register_notice"`
	StartDate              text          `json:"start_date"`
	EndDate                text          `json:"end_date"`
	StandardOrder          text          `json:"standard_order"`
	LicenseRequirement     text          `json:"license_requirement"`
	LicensePolicy          text          `json:"license_policy"`
	CallSign               text          `json:"call_sign"`
	VesselType             text          `json:"vessel_type"`
	GrossTonnage           text          `json:"gross_tonnage"`
	GrossRegisteredTonnage text          `json:"gross_registered_tonnage"`
	VesselFlag             text          `json:"vessel_flag"`
	VesselOwner            text          `json:"vessel_owner"`
	Remarks                text          `json:"remarks"`
	SourceListURL          text          `json:"source_list_url"`
	AltNames               texts         `json:"alt_names"`
	Citizenships           texts         `json:"citizenships"`
	DatesOfBirth           texts         `json:"dates_of_birth"`
	Nationalities          texts         `json:"nationalities"`
	PlacesOfBirth          texts         `json:"places_of_birth"`
	SourceInformationURL   text          `json:"source_information_url"`
	Country                texts         `json:"country"`
	IDs                    []jsonID      `json:"ids"`
}

func (j *jsonRecord) record() record {
	id := j.ID
	if id == "" {
		id = j.UnderscoreID
	}
	rec := record{
		id: string(id), source: string(j.Source), entityNumber: string(j.EntityNumber), typ: string(j.Type),
		programs: j.Programs, name: string(j.Name), title: string(j.Title),
		frn: string(j.FederalRegisterNotice), start: string(j.StartDate), end: string(j.EndDate),
		standardOrder: string(j.StandardOrder), licReq: string(j.LicenseRequirement), licPolicy: string(j.LicensePolicy),
		callSign: string(j.CallSign), vesselType: string(j.VesselType), grossTonnage: string(j.GrossTonnage),
		grossRegTonnage: string(j.GrossRegisteredTonnage), vesselFlag: string(j.VesselFlag),
		vesselOwner: string(j.VesselOwner), remarks: string(j.Remarks), sourceListURL: string(j.SourceListURL),
		altNames: j.AltNames, citizenships: j.Citizenships, datesOfBirth: j.DatesOfBirth,
		nationalities: j.Nationalities, placesOfBirth: j.PlacesOfBirth,
		sourceInfoURL: string(j.SourceInformationURL), countries: j.Country,
	}
	for _, a := range j.Addresses {
		rec.addresses = append(rec.addresses, address{full: a.full, street: string(a.Address), city: string(a.City),
			state: string(a.State), postal: string(a.PostalCode), country: string(a.Country)})
	}
	for _, i := range j.IDs {
		rec.ids = append(rec.ids, ident{typ: string(i.Type), number: string(i.Number), country: string(i.Country),
			issue: strings.TrimSpace(string(i.IssueDate)), expiration: strings.TrimSpace(string(i.ExpirationDate))})
	}
	return rec
}

func parseJSON(list string, files []source.File) (*source.Result, error) {
	res := &source.Result{List: list, Format: "csl-json", Publisher: Publisher}
	b := newBuilder(res)
	for _, f := range files {
		b.file = f.Name
		if err := b.readJSON(f); err != nil {
			return nil, err
		}
	}
	res.Finish()
	return res, nil
}

// readJSON streams the records of {"results": [...]} or [...].
func (b *builder) readJSON(f source.File) error {
	data := bytes.TrimPrefix(f.Data, bom)
	dec := json.NewDecoder(bytes.NewReader(data))
	fail := func(err error) error {
		off := dec.InputOffset()
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = se.Offset
		}
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("read csl json %s: line %d (offset %d): %w", f.Name, lineAt(data, off), off, err)
	}
	tok, err := dec.Token()
	if err != nil {
		return fail(err)
	}
	switch tok {
	case json.Delim('['):
		if err := b.readArray(dec, data, fail); err != nil {
			return err
		}
	case json.Delim('{'):
		found := false
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return fail(err)
			}
			if key, _ := kt.(string); key == "results" {
				t, err := dec.Token()
				if err != nil {
					return fail(err)
				}
				if t != json.Delim('[') {
					return fail(fmt.Errorf("results is not an array"))
				}
				found = true
				if err := b.readArray(dec, data, fail); err != nil {
					return err
				}
				continue
			}
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return fail(err)
			}
		}
		if _, err := dec.Token(); err != nil {
			return fail(err)
		}
		if !found {
			return fmt.Errorf("read csl json %s: no results array", f.Name)
		}
	default:
		return fail(fmt.Errorf("expected an object or array, got %v", tok))
	}
	if _, err := dec.Token(); err != io.EOF {
		return fail(fmt.Errorf("data after the end of the document"))
	}
	return nil
}

// readArray reads records up to the closing bracket of an array whose
// opening bracket was read.
func (b *builder) readArray(dec *json.Decoder, data []byte, fail func(error) error) error {
	n := 0
	lc := lineCounter{data: data, line: 1}
	for dec.More() {
		n++
		start := dec.InputOffset()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fail(err)
		}
		line := lc.at(start + int64(countSpace(data[start:])))
		var jr jsonRecord
		if err := json.Unmarshal(raw, &jr); err != nil {
			b.res.Report.Records++
			b.res.Skip(b.perr(line, "#"+strconv.Itoa(n), "", fmt.Errorf("unreadable record: %w", err)))
			continue
		}
		rec := jr.record()
		b.add(&rec, line)
	}
	if _, err := dec.Token(); err != nil {
		return fail(err)
	}
	return nil
}

// countSpace counts the separators before the next value.
func countSpace(b []byte) int {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n' || b[i] == ',') {
		i++
	}
	return i
}

// lineCounter finds the lines of increasing offsets without rescanning.
type lineCounter struct {
	data []byte
	off  int64
	line int
}

func (c *lineCounter) at(off int64) int {
	if off < c.off || off > int64(len(c.data)) {
		return lineAt(c.data, off)
	}
	c.line += bytes.Count(c.data[c.off:off], []byte("\n"))
	c.off = off
	return c.line
}

// lineAt returns the 1-based line of byte offset off in data.
func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}
