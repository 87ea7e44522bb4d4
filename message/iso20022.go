package message

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// xnode is one XML element: its local name, its text and its children.
type xnode struct {
	name   string
	prefix string // the element's namespace prefix as written
	space  string // the namespace URI, for a Document or business message element
	text   string
	line   int
	kids   []*xnode
}

func (n *xnode) child(name string) *xnode {
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// find returns the text of the element at a path of local names below n.
func (n *xnode) find(names ...string) string {
	cur := n
	for _, nm := range names {
		if cur = cur.child(nm); cur == nil {
			return ""
		}
	}
	return strings.TrimSpace(cur.text)
}

// notProvided is the placeholder CBPR+ and the MT/MX translation rules
// write where a party's name or identifier is unknown; it names nobody.
const notProvided = "NOTPROVIDED"

// maxXMLElements bounds the elements of one XML input.
const maxXMLElements = 200_000

// readXML reads data into a tree of elements, by local name. It refuses
// DTDs (no entity expansion), deep nesting and too many elements.
func readXML(data []byte) (*xnode, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	dec.CharsetReader = func(charset string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(charset) {
		case "utf-8", "us-ascii", "ascii":
			return in, nil
		}
		return nil, fmt.Errorf("encoding %q is not supported (ISO 20022 messages are UTF-8)", charset)
	}
	var root *xnode
	var stack []*xnode
	var text bytes.Buffer
	n := 0
	// RawToken skips the namespace translation Token does for every
	// element (elements are matched by local name); it leaves the
	// matching of end tags to us.
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := dec.InputPos()
			return nil, &ParseError{Line: line, Path: xmlPath(stack), Err: fmt.Errorf("malformed XML: %w", unwrapSyntax(err))}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n++
			if n > maxXMLElements {
				return nil, &ParseError{Path: xmlPath(stack), Err: fmt.Errorf("more than %d elements", maxXMLElements)}
			}
			if len(stack) >= maxDepth {
				line, _ := dec.InputPos()
				return nil, &ParseError{Line: line, Path: xmlPath(stack), Err: fmt.Errorf("elements nested deeper than %d", maxDepth)}
			}
			line, _ := dec.InputPos()
			el := &xnode{name: t.Name.Local, prefix: t.Name.Space, line: line}
			if el.name == "Document" || len(stack) > 0 && stack[len(stack)-1].name == "Document" {
				for _, a := range t.Attr {
					if a.Name.Space == "" && a.Name.Local == "xmlns" && el.prefix == "" || a.Name.Space == "xmlns" && a.Name.Local == el.prefix {
						el.space = a.Value
					}
				}
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, &ParseError{Line: line, Err: errors.New("more than one root element")}
				}
				root = el
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, el)
			}
			stack = append(stack, el)
			text.Reset()
		case xml.CharData:
			if len(stack) > 0 && text.Len() < MaxMessageBytes {
				text.Write(t)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				line, _ := dec.InputPos()
				return nil, &ParseError{Line: line, Err: fmt.Errorf("malformed XML: unexpected end element </%s>", t.Name.Local)}
			}
			el := stack[len(stack)-1]
			if el.name != t.Name.Local || el.prefix != t.Name.Space {
				line, _ := dec.InputPos()
				return nil, &ParseError{Line: line, Path: xmlPath(stack), Err: fmt.Errorf("malformed XML: element <%s> closed by </%s>", el.name, t.Name.Local)}
			}
			if len(el.kids) == 0 {
				el.text = strings.TrimSpace(text.String())
			}
			text.Reset()
			stack = stack[:len(stack)-1]
		case xml.Directive:
			line, _ := dec.InputPos()
			return nil, &ParseError{Line: line, Err: errors.New("a DTD or other directive is not allowed in a message")}
		}
	}
	if root == nil {
		return nil, errors.New("no XML element")
	}
	if len(stack) > 0 {
		line, _ := dec.InputPos()
		return nil, &ParseError{Line: line, Path: xmlPath(stack), Err: errors.New("malformed XML: unexpected end of input")}
	}
	return root, nil
}

func unwrapSyntax(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return errors.New(se.Msg)
	}
	return err
}

func xmlPath(stack []*xnode) string {
	names := make([]string, len(stack))
	for i, n := range stack {
		names[i] = n.name
	}
	return strings.Join(names, "/")
}

// isoRoots maps the business message element (the child of Document) to
// its message type, for a Document whose namespace does not say.
var isoRoots = map[string]string{
	"FIToFICstmrCdtTrf":     "pacs.008",
	"FICdtTrf":              "pacs.009",
	"PmtRtr":                "pacs.004",
	"CstmrCdtTrfInitn":      "pain.001",
	"FIToFIPmtStsRpt":       "pacs.002",
	"FIToFICstmrDrctDbt":    "pacs.003",
	"FIDrctDbt":             "pacs.010",
	"FIToFIPmtCxlReq":       "camt.056",
	"RsltnOfInvstgtn":       "camt.029",
	"BkToCstmrDbtCdtNtfctn": "camt.054",
}

// parseISO reads every Document of an ISO 20022 XML input: a bare
// Document, a business application header (AppHdr) beside its Document
// under any envelope, or many of them under one root.
func parseISO(data []byte) ([]*Message, error) {
	if len(data) > MaxMessageBytes*16 {
		return nil, fmt.Errorf("XML input of %d bytes is larger than the limit of %d", len(data), MaxMessageBytes*16)
	}
	// The fast reader takes the common shape; encoding/xml reads the
	// rest and names the errors.
	root, ok := readXMLFast(data)
	if !ok {
		var err error
		if root, err = readXML(data); err != nil {
			return nil, err
		}
	}
	var msgs []*Message
	var hdr *xnode
	var walk func(n *xnode, depth int) error
	walk = func(n *xnode, depth int) error {
		switch {
		case n.name == "AppHdr":
			hdr = n
			return nil
		case n.name == "Document":
			m, err := isoMessage(n, hdr)
			if err != nil {
				return err
			}
			msgs = append(msgs, m)
			hdr = nil
			return nil
		case isoRoots[n.name] != "" && depth == 0:
			m, err := isoMessage(&xnode{name: "Document", kids: []*xnode{n}, line: n.line}, hdr)
			if err != nil {
				return err
			}
			msgs = append(msgs, m)
			return nil
		}
		for _, k := range n.kids {
			if err := walk(k, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root, 0); err != nil {
		return nil, err
	}
	if len(msgs) == 0 {
		return nil, &ParseError{Line: root.line, Path: root.name, Err: errors.New("no ISO 20022 Document element")}
	}
	return msgs, nil
}

// isoMessage reads one Document, with the AppHdr before it (or nil).
func isoMessage(doc, hdr *xnode) (*Message, error) {
	if len(doc.kids) != 1 {
		return nil, &ParseError{Line: doc.line, Path: "Document", Err: fmt.Errorf("a Document holds one business message element, not %d", len(doc.kids))}
	}
	body := doc.kids[0]
	m := &Message{Parties: []Party{}}
	// The type: the Document's namespace (urn:iso:std:iso:20022:tech:xsd:
	// pacs.008.001.08), the header's MsgDefIdr, or the body element.
	if i := strings.LastIndex(doc.space, ":"); i >= 0 && strings.Count(doc.space[i+1:], ".") == 3 {
		m.Format = doc.space[i+1:]
	} else if i := strings.LastIndex(body.space, ":"); i >= 0 && strings.Count(body.space[i+1:], ".") == 3 {
		m.Format = body.space[i+1:]
	} else if hdr != nil && hdr.find("MsgDefIdr") != "" {
		m.Format = hdr.find("MsgDefIdr")
	} else if t := isoRoots[body.name]; t != "" {
		m.Format = t
	} else {
		m.Format = body.name
	}
	m.ID = body.find("GrpHdr", "MsgId")
	if m.ID == "" && hdr != nil {
		m.ID = hdr.find("BizMsgIdr")
	}
	if m.ID == "" {
		m.ID = firstText(body, "UETR")
	}
	if hdr != nil {
		for _, k := range hdr.kids {
			role := map[string]string{"Fr": "Fr", "To": "To"}[k.name]
			if role == "" {
				continue
			}
			isoParty(m, k, "AppHdr/"+k.name, role)
		}
	}
	w := isoWalker{m: m}
	w.walk(body, "")
	if firstNode(body, "UndrlygCstmrCdtTrf") != nil {
		m.Cover = true
	}
	return m, nil
}

func firstText(n *xnode, name string) string {
	if f := firstNode(n, name); f != nil {
		return strings.TrimSpace(f.text)
	}
	return ""
}

func firstNode(n *xnode, name string) *xnode {
	if n.name == name {
		return n
	}
	for _, k := range n.kids {
		if f := firstNode(k, name); f != nil {
			return f
		}
	}
	return nil
}

// isoPartyRoles are the party elements (ISO 20022 PartyIdentification or
// BranchAndFinancialInstitutionIdentification) read as parties; every
// element whose name ends in Agt, Agt1..3 or Acct is read too.
var isoPartyRoles = map[string]bool{
	"Dbtr": true, "Cdtr": true, "UltmtDbtr": true, "UltmtCdtr": true, "InitgPty": true,
	"Invcr": true, "Invcee": true, "Orgtr": true, "OrgnlDbtr": true, "OrgnlCdtr": true,
	"OrgnlUltmtDbtr": true, "OrgnlUltmtCdtr": true, "OrgnlInitgPty": true, "Assgnr": true, "Assgne": true,
	"Cretr": true, "Ownr": true, "Pyer": true, "Pyee": true,
}

// isoTextElements are the free-text elements: remittance information,
// instructions to agents, return and regulatory information.
var isoTextElements = map[string]bool{
	"Ustrd": true, "AddtlRmtInf": true, "InstrInf": true, "AddtlInf": true, "Inf": true,
	"AddtlTxInf": true, "AddtlNtryInf": true, "RmtInf": false,
}

// isoAlwaysIndexed are repeated elements whose position is always written
// in a path, as in CdtTrfTxInf[0]/UltmtCdtr/Nm.
var isoAlwaysIndexed = map[string]bool{"CdtTrfTxInf": true, "TxInf": true, "PmtInf": true, "DrctDbtTxInf": true, "CxlDtls": true, "Undrlyg": true}

func isoRole(name string) (role string, agent, account bool) {
	switch {
	case isoPartyRoles[name]:
		return name, false, false
	case strings.HasSuffix(name, "Acct"):
		return name, false, true
	case strings.HasPrefix(name, "InstrFor"):
		// InstrForCdtrAgt, InstrForNxtAgt: instructions to an agent, read
		// as free text (InstrInf), not an agent.
		return "", false, false
	case strings.HasSuffix(name, "Agt"), len(name) > 4 && strings.HasSuffix(name[:len(name)-1], "Agt") && name[len(name)-1] >= '1' && name[len(name)-1] <= '9':
		return name, true, false
	}
	return "", false, false
}

type isoWalker struct {
	m *Message
	// under prefixes the roles of the parties of a cover payment's
	// underlying customer transfer ("UndrlygCstmrCdtTrf/").
	under string
}

// walk visits n's children with n's path p.
func (w *isoWalker) walk(n *xnode, p string) {
	// Repeated children are indexed: count them with maps for a long
	// list, by looking at the siblings for a short one (most elements).
	var counts, seen map[string]int
	if len(n.kids) > 16 {
		counts, seen = map[string]int{}, map[string]int{}
		for _, k := range n.kids {
			counts[k.name]++
		}
	}
	for i, k := range n.kids {
		kp := k.name
		var before, total int
		if counts != nil {
			before, total = seen[k.name], counts[k.name]
			seen[k.name]++
		} else {
			for j, o := range n.kids {
				if o.name == k.name {
					total++
					if j < i {
						before++
					}
				}
			}
		}
		if total > 1 || isoAlwaysIndexed[k.name] {
			kp += "[" + strconv.Itoa(before) + "]"
		}
		if p != "" {
			kp = p + "/" + kp
		}
		if role, _, account := isoRole(k.name); role != "" {
			role = w.under + role
			if account {
				isoAccount(w.m, k, kp, role)
			} else {
				isoParty(w.m, k, kp, role)
			}
			continue
		}
		if isoTextElements[k.name] && len(k.kids) == 0 {
			if t := strings.TrimSpace(k.text); t != "" {
				w.m.Texts = append(w.m.Texts, Text{Path: kp, Value: t})
			}
			continue
		}
		if k.name == "Prtry" && n.name == "Purp" && k.text != "" {
			w.m.Texts = append(w.m.Texts, Text{Path: kp, Value: k.text})
			continue
		}
		if (k.name == "Ctry" || k.name == "CtryOfRes") && len(k.kids) == 0 {
			if cc := countryCode(k.text); cc != "" {
				w.m.Places = append(w.m.Places, Place{Role: n.name, Path: p, Country: Value{Path: kp, Value: cc}})
			}
			continue
		}
		if k.name == "UndrlygCstmrCdtTrf" {
			(&isoWalker{m: w.m, under: "UndrlygCstmrCdtTrf/"}).walk(k, kp)
			continue
		}
		w.walk(k, kp)
	}
}

// isoParty reads a party or agent element at path p.
func isoParty(m *Message, n *xnode, p, role string) {
	pt := Party{Role: role, Path: p}
	// pacs.004 and camt messages wrap the party in Pty or Agt.
	body, bp := n, p
	if k := n.child("Pty"); k != nil {
		body, bp = k, p+"/Pty"
	} else if k := n.child("Agt"); k != nil {
		body, bp = k, p+"/Agt"
	}
	if body.child("FinInstnId") != nil || body.child("FIId") != nil {
		pt.Agent = true
	}
	if _, agent, _ := isoRole(n.name); agent || role == "Fr" || role == "To" {
		pt.Agent = true
	}
	collectParty(&pt, body, bp)
	if pt.Name.IsZero() && pt.BIC.IsZero() && pt.Account.IsZero() && pt.LEI.IsZero() && pt.Country.IsZero() && len(pt.IDs) == 0 {
		return
	}
	m.Parties = append(m.Parties, pt)
}

// collectParty fills pt from the elements below n (path p), shallowest
// first, without entering another party or account.
func collectParty(pt *Party, n *xnode, p string) {
	type item struct {
		n *xnode
		p string
	}
	queue := []item{{n, p}}
	var addr []string
	var town, addrPath string
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		for _, k := range it.n.kids {
			kp := it.p + "/" + k.name
			if r, _, _ := isoRole(k.name); r != "" && k.name != "Agt" {
				continue
			}
			if len(k.kids) > 0 {
				if k.name == "PstlAdr" {
					addrPath = kp
				}
				queue = append(queue, item{k, kp})
				continue
			}
			v := strings.TrimSpace(k.text)
			if v == "" || v == notProvided {
				continue
			}
			parent := it.n.name
			switch {
			case k.name == "Nm" && parent != "SchmeNm" && parent != "BrnchId" && pt.Name.IsZero():
				pt.Name = Value{kp, v}
			case k.name == "BICFI" || k.name == "AnyBIC" || k.name == "BIC" || k.name == "BICOrBEI":
				if pt.BIC.IsZero() {
					pt.BIC = Value{kp, strings.ToUpper(v)}
				}
			case k.name == "LEI":
				pt.LEI = Value{kp, v}
			case k.name == "IBAN" && pt.Account.IsZero():
				pt.Account = Value{kp, v}
			case parent == "PstlAdr" && k.name == "Ctry":
				if cc := countryCode(v); cc != "" {
					pt.Country = Value{kp, cc}
				}
			case k.name == "CtryOfRes" && pt.Country.IsZero():
				if cc := countryCode(v); cc != "" {
					pt.Country = Value{kp, cc}
				}
			case parent == "PstlAdr" && k.name == "TwnNm":
				town = v
				addr = append(addr, v)
			case parent == "PstlAdr" && (k.name == "AdrLine" || k.name == "StrtNm" || k.name == "BldgNb" || k.name == "BldgNm" || k.name == "PstCd" || k.name == "CtrySubDvsn" || k.name == "TwnLctnNm" || k.name == "DstrctNm"):
				addr = append(addr, v)
			case k.name == "BirthDt":
				pt.DOB = Value{kp, v}
			case k.name == "CityOfBirth":
				pt.IDs = append(pt.IDs, Value{kp, v})
			case k.name == "Id" && parent == "Othr":
				pt.IDs = append(pt.IDs, Value{kp, v})
			case k.name == "MmbId" && parent == "ClrSysMmbId":
				pt.IDs = append(pt.IDs, Value{kp, v})
			}
		}
	}
	_ = town
	if len(addr) > 0 {
		pt.Address = Value{addrPath, strings.Join(addr, ", ")}
	}
}

// isoAccount reads an account element (DbtrAcct, CdtrAcct, ...): its
// IBAN or other identifier and its name.
func isoAccount(m *Message, n *xnode, p, role string) {
	pt := Party{Role: role, Path: p}
	if v := n.find("Id", "IBAN"); v != "" {
		pt.Account = Value{p + "/Id/IBAN", v}
	} else if v := n.find("Id", "Othr", "Id"); v != "" {
		pt.Account = Value{p + "/Id/Othr/Id", v}
	}
	if v := n.find("Nm"); v != "" {
		pt.Name = Value{p + "/Nm", v}
	}
	if v := n.find("Prxy", "Id"); v != "" {
		pt.IDs = append(pt.IDs, Value{p + "/Prxy/Id", v})
	}
	if pt.Account.IsZero() && pt.Name.IsZero() && len(pt.IDs) == 0 {
		return
	}
	m.Parties = append(m.Parties, pt)
}
