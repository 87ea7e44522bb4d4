package message

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// mtField is one field of block 4: its tag (20, 50K, 59F) and its lines.
type mtField struct {
	tag   string
	lines []string
	line  int // the line of the message where the field starts
}

// mtRaw is one FIN message cut into its blocks.
type mtRaw struct {
	blocks map[string]string
	line   int // the line of the input where the message starts
}

// parseMT reads every FIN message of data. Messages follow one another,
// optionally separated by RJE '$' and white space. An acknowledgment
// (block 1 service identifier 21) is a delivery notice, not a message to
// screen, and is left out.
func parseMT(data []byte) ([]*Message, error) {
	raws, err := splitMT(string(data))
	if err != nil {
		return nil, err
	}
	var msgs []*Message
	n := 0
	for _, r := range raws {
		if b1 := r.blocks["1"]; len(b1) >= 3 && b1[1:3] == "21" {
			continue
		}
		n++
		m, err := mtMessage(r)
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				pe.Index = n
				return nil, pe
			}
			return nil, &ParseError{Index: n, Line: r.line, Err: err}
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

// splitMT cuts the input into messages of blocks {1:...}{2:...}{3:...}
// {4:...-}{5:...}. Block 4 of a user message is text ending in "-}";
// other blocks nest {tag:value} in braces.
func splitMT(s string) ([]mtRaw, error) {
	var out []mtRaw
	var cur *mtRaw
	line := 1
	i := 0
	for i < len(s) {
		c := s[i]
		switch c {
		case ' ', '\t', '\r', '$', '\x03', '\x01':
			i++
			continue
		case '}':
			// A stray brace after a text block ("-}}"), as some
			// systems write: nothing is lost by passing over it.
			i++
			continue
		case '\n':
			line++
			i++
			continue
		case '{':
			if i+1 == len(s) || strings.IndexByte(" \t\r\n$", s[i+1]) >= 0 {
				// An empty fragment between RJE separators ("{" then
				// "$"): no block starts here.
				i++
				continue
			}
		default:
			return nil, &ParseError{Index: len(out) + 1, Line: line, Err: fmt.Errorf("unexpected %q between blocks (a block starts with '{')", c)}
		}
		colon := strings.IndexByte(s[i:], ':')
		if colon < 2 || colon > 4 {
			return nil, &ParseError{Index: len(out) + 1, Line: line, Err: errors.New("a block starts with {N: where N is its number")}
		}
		id := s[i+1 : i+colon]
		start := i + colon + 1
		var end int // index of the closing brace
		if id == "4" && start < len(s) && (s[start] == '\r' || s[start] == '\n') {
			k := strings.Index(s[start:], "\n-}")
			if k < 0 {
				return nil, &ParseError{Index: len(out) + 1, Line: line, Path: "block 4", Err: errors.New("text block has no end (a line \"-}\")")}
			}
			end = start + k + 2
		} else {
			depth := 1
			end = -1
			for j := start; j < len(s); j++ {
				if s[j] == '{' {
					depth++
				} else if s[j] == '}' {
					depth--
					if depth == 0 {
						end = j
						break
					}
				}
			}
			if end < 0 {
				return nil, &ParseError{Index: len(out) + 1, Line: line, Path: "block " + id, Err: errors.New("block has no closing '}'")}
			}
		}
		if id == "1" || cur == nil {
			if cur != nil {
				out = append(out, *cur)
			}
			cur = &mtRaw{blocks: map[string]string{}, line: line}
		}
		if _, dup := cur.blocks[id]; dup {
			return nil, &ParseError{Index: len(out) + 1, Line: line, Path: "block " + id, Err: errors.New("block repeated in one message")}
		}
		body := s[start:end]
		if len(body) > MaxMessageBytes {
			return nil, &ParseError{Index: len(out) + 1, Line: line, Path: "block " + id, Err: fmt.Errorf("block larger than %d bytes", MaxMessageBytes)}
		}
		cur.blocks[id] = body
		line += strings.Count(body, "\n")
		i = end + 1
	}
	if cur != nil {
		out = append(out, *cur)
	}
	return out, nil
}

var mtTagRe = regexp.MustCompile(`^:([0-9]{2}[A-Z]?):`)

// mtFields splits block 4 into fields. A line starting with :NNa: starts a
// field; any other line continues the field before it.
func mtFields(b4 string, line0 int) ([]mtField, error) {
	b4 = strings.ReplaceAll(b4, "\r\n", "\n")
	b4 = strings.TrimSuffix(b4, "-")
	lines := strings.Split(strings.TrimPrefix(b4, "\n"), "\n")
	var fs []mtField
	for i, l := range lines {
		l = strings.TrimRight(l, "\r ")
		if m := mtTagRe.FindStringSubmatch(l); m != nil {
			fs = append(fs, mtField{tag: m[1], lines: []string{l[len(m[0]):]}, line: line0 + i + 1})
			continue
		}
		if l == "" && i == len(lines)-1 {
			continue
		}
		if len(fs) == 0 {
			if strings.TrimSpace(l) == "" {
				continue
			}
			return nil, &ParseError{Line: line0 + i + 1, Path: "block 4", Err: fmt.Errorf("text %q before the first field tag", cutStr(l, 40))}
		}
		fs[len(fs)-1].lines = append(fs[len(fs)-1].lines, l)
	}
	return fs, nil
}

func cutStr(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// mtRoles maps a field tag number to its role in ISO 20022 terms, as the
// SWIFT MT/MX translation rules map it for MT103 (and for the customer
// sequence B of MT202/205 COV).
var mtRoles = map[string]string{
	"50": "Dbtr", "52": "DbtrAgt", "53": "InstgRmbrsmntAgt", "54": "InstdRmbrsmntAgt",
	"55": "ThrdRmbrsmntAgt", "56": "IntrmyAgt1", "57": "CdtrAgt", "59": "Cdtr", "51": "InstgAgt",
	"58": "Cdtr",
}

// mtBankRoles is the mapping for the financial institution transfers
// (MT200-series, sequence A of MT202/205 COV): 52a ordering institution is
// the debtor, 58a beneficiary institution the creditor.
var mtBankRoles = map[string]string{
	"52": "Dbtr", "53": "InstgRmbrsmntAgt", "54": "InstdRmbrsmntAgt", "56": "IntrmyAgt1",
	"57": "CdtrAgt", "58": "Cdtr", "50": "UltmtDbtr", "59": "UltmtCdtr", "51": "InstgAgt",
}

// mtTextTags are the free-text fields: remittance information (70),
// sender to receiver information (72), regulatory reporting (77B),
// envelope contents (77T), narratives (79, 76, 75, 77A), information to
// account owner (86).
var mtTextTags = map[string]bool{"70": true, "72": true, "77B": true, "77T": true, "79": true, "76": true, "75": true, "77A": true, "86": true}

// mtMessage reads one message's blocks.
func mtMessage(r mtRaw) (*Message, error) {
	m := &Message{Parties: []Party{}}
	b1, b2, b3 := r.blocks["1"], r.blocks["2"], r.blocks["3"]
	b4, ok := r.blocks["4"]
	if !ok {
		return nil, &ParseError{Line: r.line, Path: "block 4", Err: errors.New("no text block {4: in the message")}
	}
	// Block 2: I103RRRRRRRRRRRR... (input, receiver) or
	// O103HHMMYYMMDDSSSSSSSSSSSS... (output, sender's LT address).
	mt := ""
	if len(b2) >= 4 && (b2[0] == 'I' || b2[0] == 'O') && isDigits(b2[1:4]) {
		mt = b2[1:4]
	} else {
		return nil, &ParseError{Line: r.line, Path: "block 2", Err: fmt.Errorf("application header %q does not give the message type (I103 or O103 and so on)", cutStr(b2, 20))}
	}
	m.Format = "MT" + mt
	tag3 := mtTags(b3)
	if tag3["119"] == "COV" {
		m.Format += "COV"
		m.Cover = true
	}
	m.ID = tag3["121"]
	// Block 1: F01 + the LT address (BIC8, terminal letter, branch).
	if len(b1) >= 15 {
		if bic := ltBIC(b1[3:15]); bic != "" {
			role := "InstgAgt"
			if b2[0] == 'I' {
				role = "InstgAgt"
			} else {
				role = "InstdAgt"
			}
			m.Parties = append(m.Parties, Party{Role: role, Path: "{1:}", Agent: true, BIC: Value{"{1:}", bic}})
		}
	}
	switch {
	case b2[0] == 'I' && len(b2) >= 16:
		if bic := ltBIC(b2[4:16]); bic != "" {
			m.Parties = append(m.Parties, Party{Role: "InstdAgt", Path: "{2:}", Agent: true, BIC: Value{"{2:}", bic}})
		}
	case b2[0] == 'O' && len(b2) >= 26:
		if bic := ltBIC(b2[14:26]); bic != "" {
			m.Parties = append(m.Parties, Party{Role: "InstgAgt", Path: "{2:}", Agent: true, BIC: Value{"{2:}", bic}})
		}
	}
	fs, err := mtFields(b4, r.line)
	if err != nil {
		return nil, err
	}
	bank := strings.HasPrefix(mt, "2") || mt == "910" || mt == "900"
	seqB := false
	occ := map[string]int{}
	for _, f := range fs {
		num := f.tag[:2]
		path := ":" + f.tag + ":"
		if occ[f.tag] > 0 {
			path += "[" + strconv.Itoa(occ[f.tag]) + "]"
		}
		occ[f.tag]++
		if m.ID == "" && f.tag == "20" {
			m.ID = strings.TrimSpace(f.lines[0])
		}
		// A COV sequence B starts with the ordering customer 50a.
		if (mt == "202" || mt == "205") && m.Cover && num == "50" {
			seqB = true
		}
		if mtTextTags[f.tag] {
			if t := strings.TrimSpace(strings.Join(f.lines, "\n")); t != "" {
				m.Texts = append(m.Texts, Text{Path: path, Value: t})
			}
			if f.tag == "72" {
				m.Parties = append(m.Parties, mtInstructingInstitutions(f.lines, path)...)
			}
			continue
		}
		roles := mtRoles
		if bank && !seqB {
			roles = mtBankRoles
		}
		if mt == "107" || mt == "104" {
			// Direct debits: 50a is the creditor, 59a the debtor.
			roles = map[string]string{"50": "Cdtr", "52": "CdtrAgt", "57": "DbtrAgt", "59": "Dbtr", "53": "InstgRmbrsmntAgt"}
		}
		if mt == "101" && (f.tag == "50C" || f.tag == "50L") {
			roles = map[string]string{"50": "InitgPty"}
		}
		role, ok := roles[num]
		if !ok {
			continue
		}
		if seqB {
			role = "UndrlygCstmrCdtTrf/" + role
		}
		pt, err := mtParty(f, path, role)
		if err != nil {
			return nil, &ParseError{Line: f.line, Path: path, Err: err}
		}
		if pt != nil {
			m.Parties = append(m.Parties, *pt)
		}
	}
	return m, nil
}

// mtTags reads the {tag:value} pairs of a user header block.
func mtTags(b string) map[string]string {
	out := map[string]string{}
	for {
		i := strings.IndexByte(b, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(b[i:], '}')
		if j < 0 {
			return out
		}
		tv := b[i+1 : i+j]
		if t, v, ok := strings.Cut(tv, ":"); ok {
			out[t] = v
		}
		b = b[i+j+1:]
	}
}

// ltBIC returns the BIC of a 12-character logical terminal address
// (BIC8, terminal letter, branch), as BIC8 or BIC11 without XXX.
func ltBIC(lt string) string {
	if len(lt) != 12 {
		return ""
	}
	bic := lt[:8]
	if br := lt[9:]; br != "XXX" {
		bic += br
	}
	if !validBIC(bic) {
		return ""
	}
	return bic
}

// validBIC checks the form of a BIC (ISO 9362:2014): 4 letters or digits
// (business party prefix), 2 letters (country), 2 letters or digits
// (suffix), optionally 3 letters or digits (branch).
func validBIC(s string) bool {
	if len(s) != 8 && len(s) != 11 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'A' && c <= 'Z'
		digit := c >= '0' && c <= '9'
		if (i == 4 || i == 5) && !letter || !letter && !digit {
			return false
		}
	}
	return true
}

// mtParty reads a party field by its option letter:
//   - A (and 50G): [/account] then a BIC;
//   - F: [/account or code/country/id] then numbered lines 1/ name, 2/
//     address, 3/ country/town, 4/ date of birth, 5/ place of birth,
//     6/ customer id, 7/ national id, 8/ name continued;
//   - K, D, H and no letter (59): [/account] then name and address lines;
//   - B, C, L: account or location or identifier only.
func mtParty(f mtField, path, role string) (*Party, error) {
	pt := &Party{Role: role, Path: path, Agent: strings.HasSuffix(role, "Agt") || strings.HasSuffix(role, "Agt1")}
	base := role[strings.LastIndexByte(role, '/')+1:]
	lines := f.lines
	opt := ""
	if len(f.tag) == 3 {
		opt = f.tag[2:]
	}
	if (opt == "A" || opt == "D" || opt == "B") && !strings.HasPrefix(base, "Ultmt") && base != "Dbtr" && base != "Cdtr" {
		pt.Agent = true
	}
	if f.tag[:2] == "52" || f.tag[:2] == "58" || f.tag[:2] == "51" {
		pt.Agent = true
	}
	// The party identifier line: /account, //clearing code, /D/ or /C/.
	if len(lines) > 0 && strings.HasPrefix(lines[0], "/") && (opt != "F" || strings.HasPrefix(lines[0], "/")) {
		pt.Account = Value{path, strings.TrimSpace(lines[0])}
		lines = lines[1:]
	} else if opt == "F" && len(lines) > 0 && strings.Count(lines[0], "/") >= 2 && !isNumbered(lines[0]) {
		pt.IDs = append(pt.IDs, Value{path, strings.TrimSpace(lines[0])})
		lines = lines[1:]
	}
	switch opt {
	case "A", "G":
		if len(lines) == 0 {
			return nil, errors.New("option " + opt + " needs a BIC line")
		}
		bic := strings.ToUpper(strings.TrimSpace(lines[0]))
		if !validBIC(bic) {
			return nil, fmt.Errorf("option %s: %q is not a BIC (4 letters or digits, 2-letter country, 2 and optionally 3 letters or digits)", opt, cutStr(bic, 20))
		}
		pt.BIC = Value{path, bic}
	case "F":
		var name, addr []string
		for _, l := range lines {
			n, v, ok := numbered(l)
			if !ok {
				if len(name) > 0 && len(addr) == 0 {
					name = append(name, strings.TrimSpace(l))
				}
				continue
			}
			switch n {
			case 1, 8:
				name = append(name, v)
			case 2:
				addr = append(addr, v)
			case 3:
				cc, town, _ := strings.Cut(v, "/")
				if c := countryCode(cc); c != "" {
					pt.Country = Value{path, c}
				} else {
					return nil, fmt.Errorf("line 3/%s: %q is not a country code", v, cc)
				}
				if town != "" {
					addr = append(addr, town)
				}
			case 4:
				pt.DOB = Value{path, v}
			case 5, 6, 7:
				pt.IDs = append(pt.IDs, Value{path, v})
			}
		}
		if len(name) > 0 {
			pt.Name = Value{path, strings.Join(name, " ")}
		}
		if len(addr) > 0 {
			pt.Address = Value{path, strings.Join(addr, ", ")}
		}
	case "B", "C", "L":
		for _, l := range lines {
			if l = strings.TrimSpace(l); l != "" {
				pt.IDs = append(pt.IDs, Value{path, l})
			}
		}
		if f.tag == "50C" {
			if len(lines) > 0 && validBIC(strings.TrimSpace(lines[0])) {
				pt.BIC = Value{path, strings.TrimSpace(lines[0])}
				pt.IDs = nil
			}
		}
	default: // K, D, H, no letter
		var rest []string
		for _, l := range lines {
			if l = strings.TrimSpace(l); l != "" {
				rest = append(rest, l)
			}
		}
		if len(rest) > 0 {
			// Option H of MT101 may carry a BIC where the name would be.
			if validBIC(rest[0]) && opt == "H" {
				pt.BIC = Value{path, rest[0]}
			} else {
				pt.Name = Value{path, rest[0]}
			}
			if len(rest) > 1 {
				pt.Address = Value{path, strings.Join(rest[1:], ", ")}
				pt.Country = Value{}
			}
		}
	}
	if pt.Name.IsZero() && pt.BIC.IsZero() && pt.Account.IsZero() && len(pt.IDs) == 0 {
		return nil, nil
	}
	return pt, nil
}

func isNumbered(l string) bool {
	_, _, ok := numbered(l)
	return ok
}

// numbered reads an option F line "1/NAME".
func numbered(l string) (int, string, bool) {
	if len(l) < 2 || l[1] != '/' || l[0] < '1' || l[0] > '8' {
		return 0, "", false
	}
	return int(l[0] - '0'), strings.TrimSpace(l[2:]), true
}

// mtInstructingInstitutions reads the /INS/ codes of a :72: field: each
// names an instructing institution the payment passed through, by BIC or
// by name (PrvsInstgAgt1..3 in ISO 20022).
func mtInstructingInstitutions(lines []string, path string) []Party {
	var out []Party
	for _, l := range lines {
		v, ok := strings.CutPrefix(strings.TrimSpace(l), "/INS/")
		if !ok || len(out) == 3 {
			continue
		}
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		pt := Party{Role: "PrvsInstgAgt" + strconv.Itoa(len(out)+1), Path: path, Agent: true}
		if validBIC(strings.ToUpper(v)) {
			pt.BIC = Value{path, strings.ToUpper(v)}
		} else {
			pt.Name = Value{path, v}
		}
		out = append(out, pt)
	}
	return out
}
