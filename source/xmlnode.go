package source

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// Node is one XML element of a list record, read whole so that fields can be
// looked up by name in any order. Names are matched by local name and
// without regard to case, because list files drift in both (namespaces come
// and go; the UK list's element casing changes between releases).
type Node struct {
	Name  string
	Attrs []xml.Attr
	// Text is the element's character data as read; use Get for cleaned text.
	Text string
	Kids []*Node
	// Line is the line of the file the element starts on.
	Line int
	buf  []byte // text being gathered while the element is read
}

// Child returns the first child element called name, or nil. It is safe on
// a nil Node.
func (n *Node) Child(name string) *Node {
	if n == nil {
		return nil
	}
	for _, k := range n.Kids {
		if strings.EqualFold(k.Name, name) {
			return k
		}
	}
	return nil
}

// All returns the child elements called name.
func (n *Node) All(name string) []*Node {
	if n == nil {
		return nil
	}
	var out []*Node
	for _, k := range n.Kids {
		if strings.EqualFold(k.Name, name) {
			out = append(out, k)
		}
	}
	return out
}

// Get returns the text of the first child called name, with white space
// cleaned, or "".
func (n *Node) Get(name string) string {
	c := n.Child(name)
	if c == nil {
		return ""
	}
	return CleanSpace(c.Text)
}

// Values returns the cleaned, non-empty texts of the VALUE children of the
// child called name (<NATIONALITY><VALUE>…</VALUE></NATIONALITY>).
func (n *Node) Values(name string) []string {
	var out []string
	for _, v := range n.Child(name).All("VALUE") {
		if s := CleanSpace(v.Text); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Attr returns the cleaned value of the attribute called name, or "".
// Placeholders such as "-" are returned as they are; callers decide.
func (n *Node) Attr(name string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attrs {
		if strings.EqualFold(a.Name.Local, name) {
			return CleanSpace(a.Value)
		}
	}
	return ""
}

// NewXMLDecoder returns a strict decoder for data that understands the
// character sets named in XML declarations.
func NewXMLDecoder(data []byte) *xml.Decoder {
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

// ReadNode reads the element opened by start, and everything in it, into a
// Node. It does not recurse, so deeply nested input cannot exhaust the
// stack. A file that ends inside the element gives io.ErrUnexpectedEOF.
func ReadNode(d *xml.Decoder, start xml.StartElement) (*Node, error) {
	line, _ := d.InputPos()
	root := &Node{Name: start.Name.Local, Attrs: start.Attr, Line: line}
	stack := []*Node{root}
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
			k := &Node{Name: t.Name.Local, Attrs: t.Attr, Line: l}
			top.Kids = append(top.Kids, k)
			stack = append(stack, k)
		case xml.EndElement:
			if top.buf != nil {
				top.Text, top.buf = string(top.buf), nil
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			switch {
			case top.Text == "" && top.buf == nil && len(bytes.TrimSpace(t)) == 0:
				// indentation between elements
			case top.Text == "" && top.buf == nil:
				top.Text = string(t)
			default:
				// Text split by comments or CDATA sections: gather it
				// without copying the whole of it again each time.
				if top.buf == nil {
					top.buf, top.Text = []byte(top.Text), ""
				}
				top.buf = append(top.buf, t...)
			}
		}
	}
	return root, nil
}
