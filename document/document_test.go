package document_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"hash/crc32"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict/document"
)

func parse(t *testing.T, name, format string, b []byte) (*document.Document, error) {
	t.Helper()
	return document.Parse(context.Background(), name, b, format, document.DefaultLimits())
}

func TestRead_HTML(t *testing.T) {
	page := `<!doctype html><html><head><title>T</title><style>.x{color:red}</style><script>var kim = "Kim Jong Un";</script></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<div class="cookie-banner">We use cookies. Accept all</div>
<div id="notification-bar">Subscribe to our newsletter</div>
<main><article><h1>Treasury sanctions Rosoboronexport network</h1>
<p>WASHINGTON &mdash; The Treasury on Tuesday designated a network that helped <b>Rosoboronexport</b> evade sanctions.</p>
<p>The network used front companies in Dubai and shipped drones to Iran.</p><p>` + strings.Repeat("Officials said more designations would follow. ", 5) + `</p></article></main>
<aside>Related: other stories</aside><footer>© 2026 News Corp. All rights reserved.</footer></body></html>`
	d, err := parse(t, "page.html", document.FormatHTML, []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Treasury sanctions Rosoboronexport network", "helped Rosoboronexport evade sanctions.", "shipped drones to Iran."} {
		if !strings.Contains(d.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, d.Text)
		}
	}
	for _, bad := range []string{"cookies", "newsletter", "Home", "Related", "rights reserved", "color:red", "var kim"} {
		if strings.Contains(d.Text, bad) {
			t.Errorf("text keeps boilerplate %q:\n%s", bad, d.Text)
		}
	}
	// The map leads back to the source.
	i := strings.Index(d.Text, "Rosoboronexport evade")
	seg, ok := d.SegmentAt(i)
	if !ok || seg.Source < 0 || !strings.HasPrefix(page[seg.Source:], "Rosoboronexport") {
		t.Errorf("segment at %d = %+v, ok %v: does not lead back to the source", i, seg, ok)
	}
	if seg.CharStart != len([]rune(d.Text[:seg.Start])) {
		t.Errorf("segment char start %d, want %d", seg.CharStart, len([]rune(d.Text[:seg.Start])))
	}
}

func TestRead_HTMLDeeplyNested(t *testing.T) {
	const n = 100000
	var b strings.Builder
	b.WriteString("<html><body><p>Top text.</p>")
	for range n {
		b.WriteString("<div>x")
	}
	for range n {
		b.WriteString("</div>")
	}
	b.WriteString("<p>After text.</p></body></html>")
	d, err := parse(t, "deep.html", document.FormatHTML, []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.Text, "Top text.") || !strings.Contains(d.Text, "After text.") {
		t.Errorf("text of a deeply nested page lost its outer text: %.200q", d.Text)
	}
	if strings.Count(d.Text, "x") > document.DefaultLimits().MaxDepth {
		t.Errorf("kept %d nested texts, more than the depth limit %d", strings.Count(d.Text, "x"), document.DefaultLimits().MaxDepth)
	}
}

func TestRead_Text(t *testing.T) {
	tests := []struct {
		name, enc, want string
		in              []byte
	}{
		{"UTF8", "utf-8", "Дерипаска", []byte("Олег Дерипаска")},
		{"UTF8BOM", "utf-8", "Kim Jong Un", append([]byte{0xEF, 0xBB, 0xBF}, "Kim Jong Un"...)},
		{"UTF16LE", "utf-16le", "Téhéran", []byte{0xFF, 0xFE, 'T', 0, 0xE9, 0, 'h', 0, 0xE9, 0, 'r', 0, 'a', 0, 'n', 0}},
		{"Windows1252", "windows-1252", "Société Générale", []byte("Soci\xe9t\xe9 G\xe9n\xe9rale")},
		{"Windows1251", "windows-1251", "Москва", []byte("\xcc\xee\xf1\xea\xe2\xe0 \xe8 \xcc\xe8\xed\xf1\xea")},
		{"MostlyUTF8", "utf-8 (invalid bytes replaced)", "Téhéran \uFFFD", []byte("Téhéran \xff ok é è à ç ù û î ô ä ö")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := parse(t, "a.txt", document.FormatText, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(d.Text, tt.want) || !strings.HasPrefix(d.Encoding, strings.Split(tt.enc, " ")[0]) {
				t.Errorf("Parse(%q) = %q (%s), want it to hold %q (%s)", tt.in, d.Text, d.Encoding, tt.want, tt.enc)
			}
		})
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestRead_TooLarge(t *testing.T) {
	// A 1 GiB input, generated as it is read: refused after the limit.
	r := io.LimitReader(zeros{}, 1<<30)
	_, err := document.Read(context.Background(), "huge.txt", r, document.Limits{MaxBytes: 4 << 20})
	if !errors.Is(err, document.ErrTooLarge) || !strings.Contains(err.Error(), "huge.txt") {
		t.Fatalf("Read(1 GiB) error = %v, want ErrTooLarge naming the file", err)
	}
}

func docx(t *testing.T, body []byte, method uint16) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "word/document.xml", Method: method})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(body); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRead_DOCX(t *testing.T) {
	body := `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>Court unseals indictment against</w:t></w:r><w:r><w:t xml:space="preserve"> Mahan Air</w:t></w:r></w:p>
<w:p><w:r><w:t>Second</w:t><w:tab/><w:t>paragraph.</w:t></w:r></w:p></w:body></w:document>`
	d, err := parse(t, "a.docx", document.FormatDOCX, docx(t, []byte(body), zip.Deflate))
	if err != nil {
		t.Fatal(err)
	}
	want := "Court unseals indictment against Mahan Air\n\nSecond\tparagraph."
	if strings.TrimSpace(d.Text) != want {
		t.Errorf("text = %q, want %q", d.Text, want)
	}
}

func TestRead_DOCXZipBomb(t *testing.T) {
	// 64 MiB of spaces deflates to a few tens of KiB.
	body := bytes.Repeat([]byte(" "), 64<<20)
	b := docx(t, body, zip.Deflate)
	_, err := document.Parse(context.Background(), "bomb.docx", b, document.FormatDOCX, document.Limits{MaxText: 1 << 20})
	if !errors.Is(err, document.ErrTooLarge) {
		t.Fatalf("zip bomb (%d bytes inflating to %d): error = %v, want ErrTooLarge", len(b), len(body), err)
	}
}

func TestRead_BrokenPDF(t *testing.T) {
	old := document.PDFToText
	document.PDFToText = "" // the Go extractor, which may panic on bad input
	defer func() { document.PDFToText = old }()
	for _, in := range [][]byte{
		[]byte("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"),
		[]byte("%PDF-1.4\n" + strings.Repeat("garbage ", 100)),
		[]byte("%PDF-"),
	} {
		_, err := document.Parse(context.Background(), "broken.pdf", in, document.FormatPDF, document.Limits{Timeout: 5 * time.Second})
		if err == nil || !strings.Contains(err.Error(), "broken.pdf") {
			t.Errorf("broken PDF %.30q: error = %v, want an error naming the file", in, err)
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct{ name, content, want string }{
		{"a.pdf", "x", document.FormatPDF},
		{"noext", "%PDF-1.5", document.FormatPDF},
		{"x", "PK\x03\x04", document.FormatDOCX},
		{"page", "<!DOCTYPE html><html>", document.FormatHTML},
		{"a.txt", "plain", document.FormatText},
	}
	for _, tt := range tests {
		if got := document.Detect(tt.name, []byte(tt.content)); got != tt.want {
			t.Errorf("Detect(%q, %q) = %s, want %s", tt.name, tt.content, got, tt.want)
		}
	}
}

func FuzzParseHTML(f *testing.F) {
	f.Add([]byte("<html><body><p>a</p></body></html>"))
	f.Add([]byte("<div class=cookie>x</div><main><p>y"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := document.Parse(context.Background(), "f.html", b, document.FormatHTML, document.Limits{MaxText: 1 << 16})
		if err != nil {
			return
		}
		checkSegments(t, d)
	})
}

func FuzzParseText(f *testing.F) {
	f.Add([]byte("Soci\xe9t\xe9"))
	f.Add([]byte{0xFF, 0xFE, 'a', 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := document.Parse(context.Background(), "f.txt", b, document.FormatText, document.Limits{MaxText: 1 << 16})
		if err != nil {
			t.Fatal(err)
		}
		checkSegments(t, d)
	})
}

func FuzzParseDOCX(f *testing.F) {
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := document.Parse(context.Background(), "f.docx", b, document.FormatDOCX, document.Limits{MaxText: 1 << 16})
		if err != nil {
			return
		}
		checkSegments(t, d)
	})
}

func FuzzParsePDF(f *testing.F) {
	f.Add([]byte("%PDF-1.4\n1 0 obj << >> endobj trailer << /Root 1 0 R >>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		old := document.PDFToText
		document.PDFToText = ""
		defer func() { document.PDFToText = old }()
		d, err := document.Parse(context.Background(), "f.pdf", b, document.FormatPDF, document.Limits{MaxText: 1 << 16, Timeout: 2 * time.Second})
		if err != nil {
			return
		}
		checkSegments(t, d)
	})
}

// checkSegments checks that the text is valid UTF-8 and every segment lies
// inside it, in order, with consistent character offsets.
func checkSegments(t *testing.T, d *document.Document) {
	t.Helper()
	if !utf8Valid(d.Text) {
		t.Fatalf("text is not valid UTF-8: %q", d.Text)
	}
	prev := 0
	for _, s := range d.Segments {
		if s.Start < prev || s.End < s.Start || s.End > len(d.Text) {
			t.Fatalf("segment %+v out of order or outside the text of %d bytes", s, len(d.Text))
		}
		if s.CharEnd-s.CharStart != len([]rune(d.Text[s.Start:s.End])) {
			t.Fatalf("segment %+v: char span does not match its text", s)
		}
		prev = s.End
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "") == s }

// TestRead_DOCXZipBombDefaultLimits: under the limits the CLI and the API
// use, a DOCX whose document part deflates a thousandfold is refused by its
// compression ratio, and the error names the file.
func TestRead_DOCXZipBombDefaultLimits(t *testing.T) {
	b := docx(t, bytes.Repeat([]byte("<w:t>a</w:t>"), 1<<20), zip.Deflate)
	_, err := document.Parse(context.Background(), "ratio.docx", b, document.FormatDOCX, document.DefaultLimits())
	if !errors.Is(err, document.ErrTooLarge) || !strings.Contains(err.Error(), "ratio.docx") {
		t.Fatalf("DOCX of ratio %d: error = %v, want ErrTooLarge naming the file", (12<<20)/len(b), err)
	}
}

// TestRead_DOCXLyingSizes: a zip entry whose header declares a small size
// but inflates to 16 MiB is not trusted: inflation stops at the limit and
// the document is refused.
func TestRead_DOCXLyingSizes(t *testing.T) {
	body := bytes.Repeat([]byte(" "), 16<<20)
	var comp bytes.Buffer
	fw, err := flate.NewWriter(&comp, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(body); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(body),
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(comp.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	lim := document.DefaultLimits()
	lim.MaxText = 1 << 20
	_, err = document.Parse(context.Background(), "liar.docx", buf.Bytes(), document.FormatDOCX, lim)
	if err == nil || !strings.Contains(err.Error(), "liar.docx") {
		t.Fatalf("DOCX declaring 1000 bytes that inflates to 16 MiB: error = %v, want an error naming the file", err)
	}
}
