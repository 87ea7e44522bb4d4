package message

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// parseDCSA reads DCSA eBL 3.0 JSON: a shipping instruction, a transport
// document, an issuance request ({"document": ..., "issueTo": ...}), or a
// JSON array of them.
func parseDCSA(data []byte) ([]*Message, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, &ParseError{Err: fmt.Errorf("malformed JSON: %w", err)}
	}
	if dec.More() {
		return nil, &ParseError{Err: errors.New("more than one JSON value (give an array of documents)")}
	}
	var docs []map[string]any
	switch t := v.(type) {
	case map[string]any:
		docs = append(docs, t)
	case []any:
		for i, e := range t {
			d, ok := e.(map[string]any)
			if !ok {
				return nil, &ParseError{Index: i + 1, Path: "[" + strconv.Itoa(i) + "]", Err: errors.New("not a JSON object")}
			}
			docs = append(docs, d)
		}
	}
	var msgs []*Message
	for i, d := range docs {
		var m *Message
		var err error
		if _, ok := d["fedWireMessage"]; ok {
			m, err = parseFedwireJSON(d)
			if m != nil {
				m.Syntax = Fedwire
			}
		} else {
			m, err = dcsaMessage(d)
		}
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) && len(docs) > 1 {
				pe.Index = i + 1
			}
			return nil, err
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

func dcsaMessage(d map[string]any) (*Message, error) {
	_, isDoc := d["documentParties"]
	_, isIssuance := d["document"]
	_, hasGoods := d["consignmentItems"]
	if !isDoc && !isIssuance && !hasGoods {
		return nil, &ParseError{Err: errors.New("not a DCSA bill of lading: no documentParties, consignmentItems or document")}
	}
	m := &Message{Parties: []Party{}, Format: "dcsa-ebl"}
	for _, k := range [][]string{{"transportDocumentReference"}, {"document", "transportDocumentReference"}, {"shippingInstructionsReference"}, {"document", "shippingInstructionsReference"}} {
		if s := jsonString(d, k...); s != "" {
			m.ID = s
			break
		}
	}
	w := dcsaWalker{m: m}
	if err := w.walk(d, "", "", 0); err != nil {
		return nil, err
	}
	return m, nil
}

func jsonString(d map[string]any, keys ...string) string {
	var cur any = d
	for _, k := range keys {
		o, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = o[k]
	}
	s, _ := cur.(string)
	return strings.TrimSpace(s)
}

type dcsaWalker struct {
	m *Message
}

func sortedKeys(o map[string]any) []string {
	ks := make([]string, 0, len(o))
	for k := range o {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func joinPath(p, k string) string {
	if p == "" {
		return k
	}
	return p + "/" + k
}

// walk visits a JSON value at path p; key is the name it is held under.
func (w *dcsaWalker) walk(v any, p, key string, depth int) error {
	if depth > maxDepth {
		return &ParseError{Path: p, Err: fmt.Errorf("values nested deeper than %d", maxDepth)}
	}
	switch t := v.(type) {
	case []any:
		for i, e := range t {
			if err := w.walk(e, p+"["+strconv.Itoa(i)+"]", key, depth+1); err != nil {
				return err
			}
		}
	case map[string]any:
		if _, ok := t["partyName"]; ok {
			role := key
			if f, ok := t["partyFunction"].(string); ok {
				role = f
			}
			return w.party(t, p, role)
		}
		if party, ok := t["party"].(map[string]any); ok {
			role := key
			if f, ok := t["partyFunction"].(string); ok {
				role = f
			}
			if err := w.party(party, joinPath(p, "party"), role); err != nil {
				return err
			}
		}
		if _, ok := t["UNLocationCode"]; ok || t["locationName"] != nil || (t["countryCode"] != nil && t["partyName"] == nil && key != "address" && key != "nationalCommodityCodes" && key != "nationalCommodityCode") {
			w.place(t, p, key)
		}
		if _, ok := t["vesselName"]; ok || t["vesselIMONumber"] != nil {
			vs := Vessel{Path: p}
			if s, _ := t["vesselName"].(string); strings.TrimSpace(s) != "" {
				vs.Name = Value{joinPath(p, "vesselName"), strings.TrimSpace(s)}
			}
			if s := jsonScalar(t["vesselIMONumber"]); s != "" {
				vs.IMO = Value{joinPath(p, "vesselIMONumber"), s}
			}
			w.m.Vessels = append(w.m.Vessels, vs)
		}
		if g, ok := t["descriptionOfGoods"]; ok {
			gd := Goods{Path: joinPath(p, "descriptionOfGoods")}
			switch x := g.(type) {
			case string:
				gd.Description = strings.TrimSpace(x)
			case []any:
				var ls []string
				for _, e := range x {
					if s, ok := e.(string); ok {
						ls = append(ls, s)
					}
				}
				gd.Description = joinNonEmpty("\n", ls...)
			}
			if hs, ok := t["HSCodes"].([]any); ok {
				for _, e := range hs {
					if s := jsonScalar(e); s != "" {
						gd.HSCodes = append(gd.HSCodes, s)
					}
				}
			}
			if gd.Description != "" || len(gd.HSCodes) > 0 {
				w.m.Goods = append(w.m.Goods, gd)
			}
		}
		for _, k := range sortedKeys(t) {
			kp := joinPath(p, k)
			switch k {
			case "party", "descriptionOfGoods", "HSCodes", "vesselName", "vesselIMONumber":
				continue
			case "routingOfConsignmentCountries":
				if cs, ok := t[k].([]any); ok {
					for i, c := range cs {
						if cc := countryCode(jsonScalar(c)); cc != "" {
							ip := kp + "[" + strconv.Itoa(i) + "]"
							w.m.Places = append(w.m.Places, Place{Role: k, Path: ip, Country: Value{ip, cc}})
						}
					}
				}
				continue
			case "shippingMarks", "displayedNameForPlaceOfReceipt", "displayedNameForPortOfLoad", "displayedNameForPortOfDischarge", "displayedNameForPlaceOfDelivery", "displayedShippedOnBoardReceivedForShipment":
				w.texts(t[k], kp)
				continue
			}
			if err := w.walk(t[k], kp, k, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

func jsonScalar(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case json.Number:
		return x.String()
	}
	return ""
}

func (w *dcsaWalker) texts(v any, p string) {
	switch x := v.(type) {
	case string:
		if s := strings.TrimSpace(x); s != "" {
			w.m.Texts = append(w.m.Texts, Text{Path: p, Value: s})
		}
	case []any:
		for i, e := range x {
			w.texts(e, p+"["+strconv.Itoa(i)+"]")
		}
	}
}

// party reads a DCSA Party: partyName, address, identifyingCodes,
// taxLegalReferences.
func (w *dcsaWalker) party(o map[string]any, p, role string) error {
	if role == "" {
		role = "party"
	}
	if p == "" {
		p = "."
	}
	pt := Party{Role: role, Path: p}
	switch jsonScalar(o["typeOfPerson"]) {
	case "NATURAL_PERSON":
		pt.Person = true
	case "LEGAL_PERSON":
		pt.Organization = true
	}
	if s := jsonScalar(o["partyName"]); s != "" {
		pt.Name = Value{joinPath(p, "partyName"), s}
	}
	if a, ok := o["address"].(map[string]any); ok {
		ap := joinPath(p, "address")
		line := joinNonEmpty(", ", jsonScalar(a["name"]), jsonScalar(a["street"])+" "+jsonScalar(a["streetNumber"]), jsonScalar(a["floor"]),
			jsonScalar(a["postCode"]), jsonScalar(a["POBox"]), jsonScalar(a["city"]), jsonScalar(a["stateRegion"]))
		if line != "" {
			pt.Address = Value{ap, line}
		}
		if cc := jsonScalar(a["countryCode"]); cc != "" {
			c := countryCode(cc)
			if c == "" {
				return &ParseError{Path: joinPath(ap, "countryCode"), Err: fmt.Errorf("%q is not an ISO 3166-1 alpha-2 code", cutStr(cc, 20))}
			}
			pt.Country = Value{joinPath(ap, "countryCode"), c}
		}
	}
	if codes, ok := o["identifyingCodes"].([]any); ok {
		for i, c := range codes {
			co, ok := c.(map[string]any)
			if !ok {
				continue
			}
			cp := fmt.Sprintf("%s/identifyingCodes[%d]/partyCode", p, i)
			code := jsonScalar(co["partyCode"])
			if code == "" {
				continue
			}
			switch strings.ToUpper(jsonScalar(co["codeListName"])) {
			case "LEI":
				pt.LEI = Value{cp, code}
			case "BIC", "SWIFT":
				pt.BIC = Value{cp, strings.ToUpper(code)}
			default:
				pt.IDs = append(pt.IDs, Value{cp, code})
			}
		}
	}
	if refs, ok := o["taxLegalReferences"].([]any); ok {
		for i, r := range refs {
			if ro, ok := r.(map[string]any); ok {
				if v := jsonScalar(ro["value"]); v != "" {
					pt.IDs = append(pt.IDs, Value{fmt.Sprintf("%s/taxLegalReferences[%d]/value", p, i), v})
				}
			}
		}
	}
	if pt.Name.IsZero() && pt.LEI.IsZero() && len(pt.IDs) == 0 {
		return nil
	}
	w.m.Parties = append(w.m.Parties, pt)
	return nil
}

// place reads a DCSA Location (UNLocationCode, locationName, address or
// countryCode).
func (w *dcsaWalker) place(o map[string]any, p, role string) {
	pl := Place{Role: role, Path: p}
	if s := jsonScalar(o["UNLocationCode"]); s != "" {
		pl.LOCODE = Value{joinPath(p, "UNLocationCode"), strings.ToUpper(s)}
		if cc := countryCode(s[:min(2, len(s))]); cc != "" {
			pl.Country = Value{joinPath(p, "UNLocationCode"), cc}
		}
	}
	if s := jsonScalar(o["locationName"]); s != "" {
		pl.Name = Value{joinPath(p, "locationName"), s}
	}
	if cc := countryCode(jsonScalar(o["countryCode"])); cc != "" {
		pl.Country = Value{joinPath(p, "countryCode"), cc}
	}
	if a, ok := o["address"].(map[string]any); ok {
		ap := joinPath(p, "address")
		if s := joinNonEmpty(", ", jsonScalar(a["street"]), jsonScalar(a["city"])); s != "" && pl.Name.IsZero() {
			pl.Name = Value{ap, s}
		}
		if cc := countryCode(jsonScalar(a["countryCode"])); cc != "" {
			pl.Country = Value{joinPath(ap, "countryCode"), cc}
		}
	}
	if pl.Name.IsZero() && pl.LOCODE.IsZero() && pl.Country.IsZero() {
		return
	}
	w.m.Places = append(w.m.Places, pl)
}
