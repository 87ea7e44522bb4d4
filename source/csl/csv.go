package csl

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
)

// csvHeader is how the CSL CSV header starts.
const csvHeader = "_id,source,entity_number,type,programs,name"

var bom = []byte("\xef\xbb\xbf")

func detectCSV(name string, head []byte) (string, bool) {
	head = bytes.TrimPrefix(head, bom)
	return interdict.ListCSL, bytes.HasPrefix(head, []byte(csvHeader))
}

// The columns the CSV parser needs; the others are optional.
var requiredColumns = []string{"_id", "source", "name"}

func parseCSV(list string, files []source.File) (*source.Result, error) {
	res := &source.Result{List: list, Format: "csl-csv", Publisher: Publisher}
	b := newBuilder(res)
	for _, f := range files {
		b.file = f.Name
		if err := b.readCSV(f); err != nil {
			return nil, err
		}
	}
	res.Finish()
	return res, nil
}

func (b *builder) readCSV(f source.File) error {
	if err := source.CheckEnd(b.res.List, f); err != nil {
		return err
	}
	rd := csv.NewReader(bytes.NewReader(source.DecodeText(b.res, b.res.List, f)))
	rd.FieldsPerRecord = -1
	rd.LazyQuotes = true
	rd.ReuseRecord = true
	header, err := rd.Read()
	if err != nil {
		return fmt.Errorf("read csl csv %s: header: %w", f.Name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	for _, c := range requiredColumns {
		if _, ok := col[c]; !ok {
			return fmt.Errorf("read csl csv %s: header has no column %q", f.Name, c)
		}
	}
	for {
		row, err := rd.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := rd.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			b.res.Report.Records++
			b.res.Skip(b.perr(line, "", "", fmt.Errorf("unreadable csv record: %w", err)))
			continue
		}
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(row) {
				return row[i]
			}
			return ""
		}
		if name, err := source.CheckFields(header, row, "_id", "name"); err != nil {
			b.res.Report.Records++
			b.res.Skip(b.perr(line, get("_id"), name, err))
			continue
		}
		if len(row) != len(header) {
			b.res.Warn(b.perr(line, get("_id"), "", fmt.Errorf("record has %d fields, header %d", len(row), len(header))))
		}
		rec := record{
			id: get("_id"), source: get("source"), entityNumber: get("entity_number"), typ: get("type"),
			programs: splitMulti(get("programs")), name: get("name"), title: get("title"),
			frn: get("federal_register_notice"), start: get("start_date"), end: get("end_date"),
			standardOrder: get("standard_order"), licReq: get("license_requirement"), licPolicy: get("license_policy"),
			callSign: get("call_sign"), vesselType: get("vessel_type"), grossTonnage: get("gross_tonnage"),
			grossRegTonnage: get("gross_registered_tonnage"), vesselFlag: get("vessel_flag"),
			vesselOwner: get("vessel_owner"), remarks: get("remarks"), sourceListURL: get("source_list_url"),
			altNames: splitMulti(get("alt_names")), citizenships: splitMulti(get("citizenships")),
			datesOfBirth: splitMulti(get("dates_of_birth")), nationalities: splitMulti(get("nationalities")),
			placesOfBirth: splitMulti(get("places_of_birth")), sourceInfoURL: get("source_information_url"),
			ids: parseIDs(get("ids")),
		}
		for _, a := range splitMulti(get("addresses")) {
			rec.addresses = append(rec.addresses, address{full: a})
		}
		b.add(&rec, line)
	}
}
