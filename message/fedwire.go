package message

import (
	"errors"
	"fmt"
	"strings"
)

// fedwireTags are the tags of the Fedwire Funds Service format (FAIM
// 3.0.x), with the role of the party tags in ISO 20022 terms, "text" for
// the free-text tags and "" for the others.
var fedwireTags = map[string]string{
	"1100": "", "1110": "", "1120": "", "1130": "", // appended by the Fed
	"1500": "", "1510": "", "1520": "", "2000": "", "3000": "",
	"3100": "InstgAgt", "3320": "", "3400": "InstdAgt", "3500": "", "3600": "", "3610": "", "3620": "",
	"3700": "", "3710": "", "3720": "",
	"4000": "IntrmyAgt1", "4100": "CdtrAgt", "4200": "Cdtr", "4320": "", "4400": "DbtrAcct",
	"5000": "Dbtr", "5010": "Dbtr", "5100": "DbtrAgt", "5200": "PrvsInstgAgt1", "5400": "CdtrAcct",
	"6000": "text", "6100": "text", "6110": "text", "6200": "text", "6210": "text", "6300": "text",
	"6310": "text", "6400": "text", "6410": "text", "6420": "text", "6500": "text",
	// Cover payment customer block (SWIFT fields of the underlying MT103).
	"7033": "", "7050": "UndrlygCstmrCdtTrf/Dbtr", "7052": "UndrlygCstmrCdtTrf/DbtrAgt",
	"7056": "UndrlygCstmrCdtTrf/IntrmyAgt1", "7057": "UndrlygCstmrCdtTrf/CdtrAgt",
	"7059": "UndrlygCstmrCdtTrf/Cdtr", "7070": "text", "7072": "text",
	// Remittance: unstructured addenda, related remittance, structured
	// remittance (remitter, beneficiary, documents, free text).
	"8200": "text", "8250": "text", "8300": "text", "8350": "text", "8400": "", "8450": "", "8500": "",
	"8550": "", "8600": "", "8650": "", "8700": "text", "8750": "text",
	"9000": "text",
}

// fedwireRequired are the tags every Fedwire Funds message carries.
var fedwireRequired = []string{"1500", "1510", "1520", "2000", "3100", "3400", "3600"}

// fedwireNeeds are tags that require another: an advice or payment method
// to the beneficiary needs the beneficiary and its advice.
var fedwireNeeds = [][2]string{{"6420", "6410"}, {"6420", "4200"}, {"6410", "4200"}, {"4100", "4200"}, {"6310", "4100"}}

type fwTag struct {
	tag   string
	value string
	line  int
}

// parseFedwire reads the Fedwire messages of data: each starts with {1500}.
func parseFedwire(data []byte) ([]*Message, error) {
	s := string(data)
	var all [][]fwTag
	var cur []fwTag
	line := 1
	i := 0
	for i < len(s) {
		c := s[i]
		if c == '\n' {
			line++
			i++
			continue
		}
		if c == ' ' || c == '\r' || c == '\t' {
			i++
			continue
		}
		if c != '{' || i+6 > len(s) || s[i+5] != '}' || !isDigits(s[i+1:i+5]) {
			return nil, &ParseError{Index: len(all) + 1, Line: line, Err: fmt.Errorf("expected a tag {NNNN}, found %q", cutStr(s[i:min(len(s), i+10)], 10))}
		}
		tag := s[i+1 : i+5]
		start := i + 6
		end := start
		for end < len(s) && !(s[end] == '{' && end+6 <= len(s) && s[end+5] == '}' && isDigits(s[end+1:end+5])) {
			end++
		}
		v := s[start:end]
		if _, ok := fedwireTags[tag]; !ok {
			return nil, &ParseError{Index: len(all) + 1, Line: line, Path: "{" + tag + "}", Err: errors.New("unknown tag")}
		}
		if tag == "1500" && len(cur) > 0 {
			all = append(all, cur)
			cur = nil
		}
		cur = append(cur, fwTag{tag: tag, value: strings.TrimRight(v, "\r\n"), line: line})
		line += strings.Count(v, "\n")
		i = end
	}
	if len(cur) > 0 {
		all = append(all, cur)
	}
	var msgs []*Message
	for n, tags := range all {
		m, err := fedwireMessage(tags)
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				pe.Index = n + 1
			}
			return nil, err
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

func fedwireMessage(tags []fwTag) (*Message, error) {
	if len(tags) == 0 {
		return nil, &ParseError{Err: errors.New("no Fedwire tags")}
	}
	has := map[string]fwTag{}
	for _, t := range tags {
		if _, dup := has[t.tag]; dup {
			return nil, &ParseError{Line: t.line, Path: "{" + t.tag + "}", Err: errors.New("tag repeated in one message")}
		}
		has[t.tag] = t
	}
	for _, r := range fedwireRequired {
		if _, ok := has[r]; !ok {
			return nil, &ParseError{Line: tags[0].line, Path: "{" + r + "}", Err: errors.New("required tag missing")}
		}
	}
	for _, nd := range fedwireNeeds {
		if t, ok := has[nd[0]]; ok {
			if _, ok := has[nd[1]]; !ok {
				return nil, &ParseError{Line: t.line, Path: "{" + nd[1] + "}", Err: fmt.Errorf("required when {%s} is present", nd[0])}
			}
		}
	}
	bfc := strings.TrimSpace(has["3600"].value)
	if len(bfc) < 3 {
		return nil, &ParseError{Line: has["3600"].line, Path: "{3600}", Err: fmt.Errorf("business function code %q is not 3 letters", bfc)}
	}
	m := &Message{Parties: []Party{}, Format: "fedwire " + bfc[:3]}
	m.ID = strings.TrimSpace(strings.TrimSuffix(has["1520"].value, "*"))
	if strings.HasPrefix(has["3610"].value, "COVS") {
		m.Cover = true
	}
	for _, t := range tags {
		role := fedwireTags[t.tag]
		path := "{" + t.tag + "}"
		switch {
		case role == "":
		case role == "text":
			if v := fwText(t.tag, t.value); v != "" {
				m.Texts = append(m.Texts, Text{Path: path, Value: v})
			}
		case t.tag == "3100" || t.tag == "3400":
			// 9-digit routing number, then the short name.
			v := strings.TrimSuffix(strings.TrimSpace(t.value), "*")
			if len(v) < 9 || !isDigits(v[:9]) {
				return nil, &ParseError{Line: t.line, Path: path, Err: fmt.Errorf("%q does not start with a 9-digit routing number", cutStr(v, 20))}
			}
			pt := Party{Role: role, Path: path, Agent: true, IDs: []Value{{path, v[:9]}}}
			if nm := strings.TrimSpace(v[9:]); nm != "" {
				pt.Name = Value{path, nm}
			}
			m.Parties = append(m.Parties, pt)
		case t.tag == "5010":
			m.Parties = append(m.Parties, fwOptionF(t.value, path, role))
		case strings.HasPrefix(t.tag, "70"):
			if pt := fwSwiftParty(t.value, path, role); pt != nil {
				m.Parties = append(m.Parties, *pt)
			}
		default:
			pt, err := fwParty(t.value, path, role)
			if err != nil {
				return nil, &ParseError{Line: t.line, Path: path, Err: err}
			}
			if pt != nil {
				m.Parties = append(m.Parties, *pt)
			}
		}
	}
	return m, nil
}

// fwElements splits a tag's value into its elements: '*'-delimited, or
// fixed-width when there is no delimiter.
func fwElements(v string, widths ...int) []string {
	if strings.Contains(v, "*") {
		return strings.Split(strings.TrimSuffix(v, "*"), "*")
	}
	var out []string
	for _, w := range widths {
		if len(v) == 0 {
			break
		}
		n := min(w, len(v))
		out = append(out, v[:n])
		v = v[n:]
	}
	if v != "" {
		out = append(out, v)
	}
	return out
}

// fwParty reads a party tag ({4000}-{5200}, {4400}, {5400}): ID code (B
// BIC, C CHIPS, D account, F routing number, U CHIPS id, T ...) and
// identifier, name, three address lines.
func fwParty(v, path, role string) (*Party, error) {
	el := fwElements(v, 35, 35, 35, 35, 35)
	if len(el) == 0 {
		return nil, nil
	}
	for i := range el {
		el[i] = strings.TrimSpace(el[i])
	}
	pt := &Party{Role: role, Path: path, Agent: strings.Contains(role, "Agt")}
	if id := el[0]; id != "" {
		code, rest := id[:1], strings.TrimSpace(id[1:])
		switch code {
		case "B":
			pt.BIC = Value{path, strings.ToUpper(rest)}
			if !validBIC(pt.BIC.Value) {
				return nil, fmt.Errorf("identifier code B: %q is not a BIC", cutStr(rest, 20))
			}
		case "D", "C", "F", "U", "T", "1", "2", "3", "4", "5", "9":
			if role == "Cdtr" || role == "Dbtr" || strings.HasSuffix(role, "Acct") || code == "D" {
				pt.Account = Value{path, rest}
			} else {
				pt.IDs = append(pt.IDs, Value{path, rest})
			}
		default:
			pt.IDs = append(pt.IDs, Value{path, id})
		}
	}
	if len(el) > 1 && el[1] != "" {
		pt.Name = Value{path, el[1]}
	}
	if len(el) > 2 {
		if a := joinNonEmpty(", ", el[2:]...); a != "" {
			pt.Address = Value{path, a}
		}
	}
	if pt.Name.IsZero() && pt.BIC.IsZero() && pt.Account.IsZero() && len(pt.IDs) == 0 {
		return nil, nil
	}
	return pt, nil
}

// fwOptionF reads {5010}, the originator in SWIFT 50F form:
// "TXID/123-45-6789*1/Name*1/1234*2/address*3/US/town*".
func fwOptionF(v, path, role string) Party {
	pt := Party{Role: role, Path: path}
	el := strings.Split(strings.TrimSuffix(v, "*"), "*")
	var name, addr []string
	for i, e := range el {
		e = strings.TrimSpace(e)
		n, val, ok := numbered(e)
		switch {
		case i == 0 && !ok:
			pt.IDs = append(pt.IDs, Value{path, e})
		case n == 1 || n == 8:
			name = append(name, val)
		case n == 2:
			addr = append(addr, val)
		case n == 3:
			cc, town, _ := strings.Cut(val, "/")
			if c := countryCode(cc); c != "" {
				pt.Country = Value{path, c}
			}
			addr = append(addr, town)
		case n == 4:
			pt.DOB = Value{path, val}
		case ok:
			pt.IDs = append(pt.IDs, Value{path, val})
		}
	}
	if len(name) > 0 {
		pt.Name = Value{path, strings.Join(name, " ")}
	}
	if a := joinNonEmpty(", ", addr...); a != "" {
		pt.Address = Value{path, a}
	}
	return pt
}

// fwSwiftParty reads a cover-payment block tag ({7050}...{7059}): a SWIFT
// field tag, then up to five lines of the SWIFT field.
func fwSwiftParty(v, path, role string) *Party {
	el := strings.Split(strings.TrimSuffix(v, "*"), "*")
	if len(el) < 2 {
		return nil
	}
	var lines []string
	for _, e := range el[1:] {
		if e = strings.TrimSpace(e); e != "" {
			lines = append(lines, e)
		}
	}
	if len(lines) == 0 {
		return nil
	}
	pt := &Party{Role: role, Path: path, Agent: strings.HasSuffix(role, "Agt") || strings.HasSuffix(role, "Agt1")}
	if strings.HasPrefix(lines[0], "/") {
		pt.Account = Value{path, lines[0]}
		lines = lines[1:]
	}
	if len(lines) > 0 {
		if validBIC(lines[0]) && len(lines) == 1 {
			pt.BIC = Value{path, lines[0]}
		} else {
			pt.Name = Value{path, lines[0]}
			if len(lines) > 1 {
				pt.Address = Value{path, strings.Join(lines[1:], ", ")}
			}
		}
	}
	return pt
}

// fwText joins the lines of a free-text tag. {6210}, {6310} and {6410}
// start with a 3-letter advice code (LTR, TLX, PHN...), {6420} with a
// payment method code; {70xx} with the SWIFT field tag.
func fwText(tag, v string) string {
	el := strings.Split(strings.TrimSuffix(v, "*"), "*")
	if strings.HasPrefix(tag, "70") && len(el) > 0 {
		el = el[1:]
	}
	return joinNonEmpty("\n", el...)
}
