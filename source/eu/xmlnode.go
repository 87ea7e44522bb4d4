package eu

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// node is one XML element of a record, read whole so that fields can be
// looked up by name in any order. Names are matched by local name and
// without regard to case, because list files drift in both.
type node struct {
	name  string
	attrs []xml.Attr
	text  string
	kids  []*node
	line  int
	buf   []byte // text being gathered while the element is read
}

// child returns the first child element called name, or nil.
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if strings.EqualFold(k.name, name) {
			return k
		}
	}
	return nil
}

// all returns the child elements called name.
func (n *node) all(name string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, k := range n.kids {
		if strings.EqualFold(k.name, name) {
			out = append(out, k)
		}
	}
	return out
}

// get returns the text of the first child called name, with white space
// cleaned, or "".
func (n *node) get(name string) string {
	c := n.child(name)
	if c == nil {
		return ""
	}
	return clean(c.text)
}

// attr returns the cleaned value of the attribute called name, or "".
// Placeholders such as "-" are returned as they are; callers decide.
func (n *node) attr(name string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.attrs {
		if strings.EqualFold(a.Name.Local, name) {
			return clean(a.Value)
		}
	}
	return ""
}

// clean collapses white space; it is cheap when there is none to collapse.
func clean(s string) string {
	if s == "" {
		return ""
	}
	if strings.IndexAny(s, "\t\n\r\u00a0") < 0 && !strings.Contains(s, "  ") {
		return strings.TrimSpace(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// newDecoder returns a strict decoder for data that understands the
// character sets named in XML declarations.
func newDecoder(data []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("unsupported charset %q: %w", label, err)
		}
		return enc.NewDecoder().Reader(r), nil
	}
	return d
}

// readNode reads the element opened by start, and everything in it, into a
// node. It does not recurse, so deeply nested input cannot exhaust the stack.
func readNode(d *xml.Decoder, start xml.StartElement) (*node, error) {
	line, _ := d.InputPos()
	root := &node{name: start.Name.Local, attrs: start.Attr, line: line}
	stack := []*node{root}
	for len(stack) > 0 {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			l, _ := d.InputPos()
			k := &node{name: t.Name.Local, attrs: t.Attr, line: l}
			top.kids = append(top.kids, k)
			stack = append(stack, k)
		case xml.EndElement:
			if top.buf != nil {
				top.text, top.buf = string(top.buf), nil
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			switch {
			case top.text == "" && top.buf == nil && len(bytes.TrimSpace(t)) == 0:
				// indentation between elements
			case top.text == "" && top.buf == nil:
				top.text = string(t)
			default:
				// Text split by comments or CDATA sections: gather it
				// without copying the whole of it again each time.
				if top.buf == nil {
					top.buf, top.text = []byte(top.text), ""
				}
				top.buf = append(top.buf, t...)
			}
		}
	}
	return root, nil
}
