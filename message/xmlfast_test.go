package message

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sameTree describes the first difference between two element trees, or
// returns "".
func sameTree(a, b *xnode, path string) string {
	path += "/" + a.name
	switch {
	case a.name != b.name || a.prefix != b.prefix:
		return fmt.Sprintf("%s: element %s:%s, want %s:%s", path, a.prefix, a.name, b.prefix, b.name)
	case a.space != b.space:
		return fmt.Sprintf("%s: namespace %q, want %q", path, a.space, b.space)
	case a.text != b.text:
		return fmt.Sprintf("%s: text %q, want %q", path, a.text, b.text)
	case a.line != b.line:
		return fmt.Sprintf("%s: line %d, want %d", path, a.line, b.line)
	case len(a.kids) != len(b.kids):
		return fmt.Sprintf("%s: %d children, want %d", path, len(a.kids), len(b.kids))
	}
	for i := range a.kids {
		if d := sameTree(a.kids[i], b.kids[i], path); d != "" {
			return d
		}
	}
	return ""
}

// checkFastXML checks that readXMLFast reads data into readXML's tree, or
// declines it; it must decline whatever readXML refuses.
func checkFastXML(t *testing.T, name string, data []byte) (fast bool) {
	t.Helper()
	got, ok := readXMLFast(data)
	want, err := readXML(data)
	if !ok {
		return false
	}
	if err != nil {
		t.Errorf("%s: the fast reader accepts what encoding/xml refuses (%v)", name, err)
		return true
	}
	if d := sameTree(got, want, ""); d != "" {
		t.Errorf("%s: %s", name, d)
	}
	return true
}

// TestReadXMLFast_Samples reads every XML sample with both readers.
func TestReadXMLFast_Samples(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "data", "messages")
	n, fast := 0, 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(strings.ToLower(p), ".xml") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		if checkFastXML(t, p, data) {
			fast++
		}
		return nil
	})
	if err != nil {
		t.Skipf("shared message samples not found: %v", err)
	}
	t.Logf("%d of %d XML samples read by the fast reader", fast, n)
	if n > 0 && fast*10 < n*9 {
		t.Errorf("the fast reader declines %d of %d samples", n-fast, n)
	}
}

// TestReadXMLFast_Mutations damages the XML samples at random (a byte
// replaced by a character that matters to XML, a byte or a run of bytes
// removed or repeated) and checks each damaged input with both readers.
func TestReadXMLFast_Mutations(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "data", "messages", "iso20022", "*", "*.xml"))
	if len(files) == 0 {
		t.Skip("shared message samples not found")
	}
	rnd := rand.New(rand.NewPCG(15, 2026))
	special := []byte("<>&;#x\"'/=! ?]-:\r\n\t\x00\xc3\xa9\xff")
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil || len(data) < 2 {
			continue
		}
		for i := 0; i < 15; i++ {
			m := append([]byte(nil), data...)
			at := rnd.IntN(len(m))
			switch rnd.IntN(3) {
			case 0:
				m[at] = special[rnd.IntN(len(special))]
			case 1:
				m = append(m[:at], m[min(len(m), at+1+rnd.IntN(8)):]...)
			case 2:
				end := min(len(m), at+1+rnd.IntN(16))
				m = append(m[:end], append(append([]byte(nil), m[at:end]...), m[end:]...)...)
			}
			checkFastXML(t, fmt.Sprintf("%s mutated at %d", f, at), m)
			n++
		}
	}
	t.Logf("%d damaged inputs", n)
}

func TestReadXMLFast_Cases(t *testing.T) {
	for _, c := range []struct {
		in   string
		fast bool // read by the fast reader (else by encoding/xml)
	}{
		{`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Document xmlns="urn:x:pacs.008.001.08"><A><B>x</B></A></Document>`, true},
		{`<p:Document xmlns:p="urn:x"><p:A b='1'>t &amp; &lt;u&gt; &#233;&#xE9;</p:A></p:Document>`, true},
		{"<a>\r\n <b>one\r\ntwo\rthree</b>\r\n</a>\r\n", true},
		{`<a><b/><!-- x --><c>1</c></a>`, true},
		{`<a><!-- before the first child: text or not? --><b/></a>`, false},
		{`<a><b>x<!-- split -->y</b></a>`, false},
		{`<a><b>Ünïcode ✓</b></a>`, true},
		{`<a><b/></a><c/>`, false},
		{`<a><b></a>`, false},
		{`<a><b>x</c></a>`, false},
		{`<a>x &nbsp; y</a>`, false},
		{`<a>x ]]> y</a>`, false},
		{`<a>` + "\x01" + `</a>`, false},
		{`<a>` + "\xff" + `</a>`, false},
		{`<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>`, false},
		{`<a><![CDATA[x]]></a>`, false},
		{`<?xml version="1.0" encoding="ISO-8859-1"?><a/>`, false},
		{`<a b="1"c="2"/>`, false},
		{`<a b=1/>`, false},
		{`<a:b:c/>`, false},
		{`<a>`, false},
		{`text<a/>`, false},
		{`<a/>text`, false},
		{`<ä/>`, false},
		{`<a b="x&amp;y"/>`, false},
		{`<a><?pi x?></a>`, false},
	} {
		if got := checkFastXML(t, c.in, []byte(c.in)); got != c.fast {
			t.Errorf("%q: read by the fast reader %v, want %v", c.in, got, c.fast)
		}
	}
}

// FuzzReadXMLFast checks that the fast reader reads what it accepts as
// encoding/xml does, and accepts nothing encoding/xml refuses.
func FuzzReadXMLFast(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0"?><Document xmlns="urn:x"><A><B>x &amp; y</B><C/></A></Document>`))
	f.Add([]byte("<a>\r\n<b>&#233;</b><!-- c --></a>"))
	f.Add([]byte(`<p:a xmlns:p="u"><p:b>1</p:b></p:a>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFastXML(t, "fuzz input", data)
	})
}
