package message

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// readXMLFast reads the common shape of an ISO 20022 message into the
// same tree as readXML, several times faster: ASCII element and attribute
// names, UTF-8 text with the predefined entities and character
// references, comments and an XML declaration for UTF-8. It reports ok
// false for anything else (a DTD, CDATA, a processing instruction, a
// non-ASCII name, an unknown entity, any syntax error, any limit reached);
// readXML then reads the input and names the error, if there is one. It
// accepts no input that encoding/xml in strict mode refuses.
func readXMLFast(data []byte) (root *xnode, ok bool) {
	p := fastXML{data: data, line: 1}
	return p.read()
}

type fastXML struct {
	data  []byte
	pos   int
	line  int
	stack []*xnode
	n     int
	// names interns the element and attribute names: a message repeats
	// a few dozen of them.
	names map[string]string
}

func (p *fastXML) read() (*xnode, bool) {
	var root *xnode
	if bytes.HasPrefix(p.data, []byte("<?xml")) {
		if !p.declaration() {
			return nil, false
		}
	}
	textStart := -1 // start of the text of the element on top of the stack
	for p.pos < len(p.data) {
		lt := bytes.IndexByte(p.data[p.pos:], '<')
		if lt < 0 {
			// Text after the last tag: only white space may follow the root.
			if len(p.stack) > 0 || !isSpace(p.data[p.pos:]) {
				return nil, false
			}
			p.pos = len(p.data)
			break
		}
		lt += p.pos
		if len(p.stack) == 0 && !isSpace(p.data[p.pos:lt]) {
			return nil, false
		}
		p.countLines(p.pos, lt)
		p.pos = lt
		if p.pos+1 >= len(p.data) {
			return nil, false
		}
		switch p.data[p.pos+1] {
		case '!':
			// Only a comment; a DTD, CDATA or other directive goes to
			// encoding/xml.
			if !bytes.HasPrefix(p.data[p.pos:], []byte("<!--")) {
				return nil, false
			}
			end := bytes.Index(p.data[p.pos+4:], []byte("-->"))
			if end < 0 {
				return nil, false
			}
			body := p.data[p.pos+4 : p.pos+4+end]
			if bytes.Contains(body, []byte("--")) || !validText(body) {
				return nil, false
			}
			if textStart >= 0 {
				// A comment inside an element's text splits it; readXML
				// joins the parts, which this reader does not.
				if len(p.stack[len(p.stack)-1].kids) == 0 || !validText(p.data[textStart:p.pos]) {
					return nil, false
				}
			}
			p.countLines(p.pos, p.pos+4+end+3)
			p.pos += 4 + end + 3
			if textStart >= 0 {
				textStart = p.pos
			}
		case '?':
			return nil, false
		case '/':
			if len(p.stack) == 0 {
				return nil, false
			}
			el := p.stack[len(p.stack)-1]
			if textStart >= 0 && len(el.kids) == 0 {
				t, ok := decodeText(p.data[textStart:p.pos])
				if !ok {
					return nil, false
				}
				el.text = t
			} else if textStart >= 0 && !validText(p.data[textStart:p.pos]) {
				return nil, false
			}
			p.pos += 2
			if !p.endName(el) {
				return nil, false
			}
			p.skipSpace()
			if p.pos >= len(p.data) || p.data[p.pos] != '>' {
				return nil, false
			}
			p.pos++
			p.stack = p.stack[:len(p.stack)-1]
			textStart = -1
			if len(p.stack) > 0 {
				textStart = p.pos
			}
		default:
			if len(p.stack) > 0 && textStart >= 0 && !validText(p.data[textStart:p.pos]) {
				return nil, false
			}
			el, empty, ok := p.startTag()
			if !ok {
				return nil, false
			}
			if len(p.stack) == 0 {
				if root != nil {
					return nil, false
				}
				root = el
			} else {
				parent := p.stack[len(p.stack)-1]
				parent.kids = append(parent.kids, el)
			}
			textStart = -1
			if !empty {
				p.stack = append(p.stack, el)
				textStart = p.pos
			} else if len(p.stack) > 0 {
				textStart = p.pos
			}
		}
	}
	if root == nil || len(p.stack) > 0 {
		return nil, false
	}
	return root, true
}

// declaration reads an XML declaration for version 1.0 in UTF-8 (or
// without an encoding).
func (p *fastXML) declaration() bool {
	end := bytes.Index(p.data, []byte("?>"))
	if end < 0 {
		return false
	}
	decl := string(p.data[len("<?xml"):end])
	if decl == "" || !isSpace([]byte(decl[:1])) {
		return false
	}
	for _, f := range strings.Fields(decl) {
		k, v, ok := strings.Cut(f, "=")
		if !ok || len(v) < 2 || v[0] != v[len(v)-1] || v[0] != '"' && v[0] != '\'' {
			return false
		}
		v = v[1 : len(v)-1]
		switch k {
		case "version":
			if v != "1.0" {
				return false
			}
		case "encoding":
			switch strings.ToLower(v) {
			case "utf-8", "us-ascii", "ascii":
			default:
				return false
			}
		case "standalone":
		default:
			return false
		}
	}
	p.countLines(0, end+2)
	p.pos = end + 2
	return true
}

// startTag reads a start tag at p.pos ('<'), its attributes and its end
// ('>' or '/>').
func (p *fastXML) startTag() (el *xnode, empty, ok bool) {
	p.n++
	if p.n > maxXMLElements || len(p.stack) >= maxDepth {
		return nil, false, false
	}
	p.pos++
	prefix, local, ok := p.name()
	if !ok {
		return nil, false, false
	}
	el = &xnode{name: local, prefix: prefix}
	ns := local == "Document" || len(p.stack) > 0 && p.stack[len(p.stack)-1].name == "Document"
	for {
		sp := p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, false, false
		}
		switch p.data[p.pos] {
		case '>':
			p.pos++
			el.line = p.line
			return el, false, true
		case '/':
			if p.pos+1 >= len(p.data) || p.data[p.pos+1] != '>' {
				return nil, false, false
			}
			p.pos += 2
			el.line = p.line
			return el, true, true
		}
		if !sp {
			return nil, false, false
		}
		aprefix, alocal, ok := p.name()
		if !ok {
			return nil, false, false
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '=' {
			return nil, false, false
		}
		p.pos++
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' && p.data[p.pos] != '\'' {
			return nil, false, false
		}
		q := p.data[p.pos]
		end := bytes.IndexByte(p.data[p.pos+1:], q)
		if end < 0 {
			return nil, false, false
		}
		raw := p.data[p.pos+1 : p.pos+1+end]
		if bytes.IndexByte(raw, '<') >= 0 || bytes.IndexByte(raw, '&') >= 0 || bytes.IndexByte(raw, '\r') >= 0 || !validText(raw) {
			return nil, false, false
		}
		p.countLines(p.pos, p.pos+1+end)
		p.pos += end + 2
		if ns && (aprefix == "" && alocal == "xmlns" && prefix == "" || aprefix == "xmlns" && alocal == prefix) {
			el.space = string(raw)
		}
	}
}

// name reads an ASCII name, split at its colon as encoding/xml splits it.
func (p *fastXML) name() (prefix, local string, ok bool) {
	start := p.pos
	for p.pos < len(p.data) {
		b := p.data[p.pos]
		if b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_' || b == ':' ||
			p.pos > start && (b >= '0' && b <= '9' || b == '-' || b == '.') {
			p.pos++
			continue
		}
		if b >= 0x80 {
			return "", "", false
		}
		break
	}
	if p.pos == start {
		return "", "", false
	}
	s, ok := p.names[string(p.data[start:p.pos])]
	if !ok {
		s = string(p.data[start:p.pos])
		if p.names == nil {
			p.names = map[string]string{}
		}
		p.names[s] = s
	}
	switch strings.Count(s, ":") {
	case 0:
		return "", s, true
	case 1:
		sp, l, _ := strings.Cut(s, ":")
		if sp == "" || l == "" {
			return "", s, true
		}
		return sp, l, true
	}
	return "", "", false
}

// endName reads the name of an end tag and reports whether it closes el
// (the same prefix and local name).
func (p *fastXML) endName(el *xnode) bool {
	want := len(el.name)
	if el.prefix != "" {
		want += len(el.prefix) + 1
	}
	if p.pos+want > len(p.data) {
		return false
	}
	got := p.data[p.pos : p.pos+want]
	if el.prefix != "" {
		if string(got[:len(el.prefix)]) != el.prefix || got[len(el.prefix)] != ':' || string(got[len(el.prefix)+1:]) != el.name {
			return false
		}
	} else if string(got) != el.name {
		return false
	}
	p.pos += want
	// The name must end here.
	if p.pos < len(p.data) {
		b := p.data[p.pos]
		if b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == ':' || b == '-' || b == '.' || b >= 0x80 {
			return false
		}
	}
	return true
}

// skipSpace skips white space and reports whether there was any.
func (p *fastXML) skipSpace() bool {
	start := p.pos
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\r':
		case '\n':
			p.line++
		default:
			return p.pos > start
		}
		p.pos++
	}
	return p.pos > start
}

func (p *fastXML) countLines(from, to int) {
	p.line += bytes.Count(p.data[from:to], []byte{'\n'})
}

func isSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// validText reports whether raw text holds only XML characters, no "]]>"
// and only the entities decodeText knows.
func validText(raw []byte) bool {
	_, ok := decodeText(raw)
	return ok
}

// decodeText decodes the text of an element as encoding/xml does
// (entities, character references, CR LF and CR as LF) and trims it as
// readXML does. ok is false for a character XML does not allow, an
// unknown entity, "]]>" or text longer than MaxMessageBytes.
func decodeText(raw []byte) (string, bool) {
	if len(raw) >= MaxMessageBytes {
		return "", false
	}
	plain := true
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '&' || c == '\r':
			plain = false
			i++
		case c == ']':
			if i+2 < len(raw) && raw[i+1] == ']' && raw[i+2] == '>' {
				return "", false
			}
			i++
		case c < 0x20:
			if c != '\t' && c != '\n' {
				return "", false
			}
			i++
		case c < 0x80:
			i++
		default:
			r, n := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && n <= 1 || !inXMLRange(r) {
				return "", false
			}
			i += n
		}
	}
	if plain {
		return string(bytes.TrimSpace(raw)), true
	}
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; c {
		case '\r':
			b.WriteByte('\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		case '&':
			semi := bytes.IndexByte(raw[i:], ';')
			if semi < 0 {
				return "", false
			}
			ent := string(raw[i+1 : i+semi])
			i += semi
			switch ent {
			case "lt":
				b.WriteByte('<')
			case "gt":
				b.WriteByte('>')
			case "amp":
				b.WriteByte('&')
			case "apos":
				b.WriteByte('\'')
			case "quot":
				b.WriteByte('"')
			default:
				r, ok := charRef(ent)
				if !ok {
					return "", false
				}
				b.WriteRune(r)
			}
		default:
			b.WriteByte(c)
		}
	}
	return strings.TrimSpace(b.String()), true
}

// charRef decodes a character reference without its & and ; ("#233",
// "#xE9").
func charRef(ent string) (rune, bool) {
	if len(ent) < 2 || ent[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if ent[1] == 'x' {
		if len(ent) < 3 || ent[2] == '+' || ent[2] == '-' {
			return 0, false
		}
		n, err = strconv.ParseUint(ent[2:], 16, 32)
	} else {
		if ent[1] == '+' || ent[1] == '-' {
			return 0, false
		}
		n, err = strconv.ParseUint(ent[1:], 10, 32)
	}
	if err != nil || !inXMLRange(rune(n)) || n > utf8.MaxRune {
		return 0, false
	}
	return rune(n), true
}

func inXMLRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
