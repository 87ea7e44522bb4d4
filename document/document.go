// Package document reads the documents interdict scans (plain text in any
// encoding, HTML, PDF and DOCX) into plain UTF-8 text, within limits of
// size, depth and time, keeping a map from the extracted text back to the
// source: each Segment of the text records its byte and character offsets
// and where it came from (a byte offset in the source file, a PDF page).
//
// Hostile input gets a clear error or a bounded result: a file larger than
// Limits.MaxBytes is refused; a DOCX whose document part would inflate
// beyond Limits.MaxText or by more than MaxRatio is refused (zip bomb);
// HTML nested deeper than Limits.MaxDepth keeps the text of its first
// MaxDepth levels; a PDF extraction that panics or runs past
// Limits.Timeout is an error; invalid UTF-8 is decoded as a single-byte
// code page or replaced.
package document

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"
)

// Formats.
const (
	FormatText = "text"
	FormatHTML = "html"
	FormatPDF  = "pdf"
	FormatDOCX = "docx"
)

// Limits bound the reading of one document.
type Limits struct {
	// MaxBytes is the largest source file read, in bytes.
	MaxBytes int64
	// MaxText is the most text extracted, in bytes; longer text is cut
	// (Document.Truncated).
	MaxText int
	// MaxDepth is the deepest HTML or XML nesting whose text is kept.
	MaxDepth int
	// MaxRatio is the largest compression ratio of a DOCX part.
	MaxRatio int
	// Timeout bounds PDF extraction.
	Timeout time.Duration
}

// DefaultLimits returns the limits the CLI and the HTTP API use: 32 MiB of
// source, 8 MiB of text, depth 256, ratio 200, 30 s.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 32 << 20, MaxText: 8 << 20, MaxDepth: 256, MaxRatio: 200, Timeout: 30 * time.Second}
}

// Segment maps a piece of the extracted text back to its source.
type Segment struct {
	// Start and End are byte offsets in Document.Text; CharStart and
	// CharEnd the same in characters.
	Start     int `json:"start"`
	End       int `json:"end"`
	CharStart int `json:"char_start"`
	CharEnd   int `json:"char_end"`
	// Source is the byte offset in the source file where the piece
	// starts (HTML, DOCX document part, text), or -1 when unknown (PDF).
	Source int `json:"source"`
	// Page is the PDF page (from 1), or 0.
	Page int `json:"page,omitempty"`
}

// Document is the text of one document.
type Document struct {
	Name     string    `json:"name"`
	Format   string    `json:"format"`
	Text     string    `json:"text"`
	Segments []Segment `json:"segments,omitempty"`
	// Encoding is the encoding plain text was decoded from.
	Encoding string `json:"encoding,omitempty"`
	// Truncated is set when the text was cut at Limits.MaxText.
	Truncated bool `json:"truncated,omitempty"`
	// Extractor names the PDF extractor used ("pdftotext" or "go").
	Extractor string `json:"extractor,omitempty"`
}

// ErrTooLarge is returned for a source or a decompressed part larger than
// the limits.
var ErrTooLarge = errors.New("document too large")

// Read reads a document from r, whose format is detected from its name and
// first bytes (Detect). name is used in errors and in Document.Name.
func Read(ctx context.Context, name string, r io.Reader, lim Limits) (*Document, error) {
	b, err := ReadAll(r, lim.MaxBytes)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return Parse(ctx, name, b, Detect(name, b), lim)
}

// ReadAll reads r up to max bytes; a longer input is ErrTooLarge.
func ReadAll(r io.Reader, max int64) ([]byte, error) {
	if max <= 0 {
		max = DefaultLimits().MaxBytes
	}
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w: larger than the limit of %d bytes", ErrTooLarge, max)
	}
	return b, nil
}

// Parse extracts the text of b in format (see Detect).
func Parse(ctx context.Context, name string, b []byte, format string, lim Limits) (*Document, error) {
	def := DefaultLimits()
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = def.MaxBytes
	}
	if lim.MaxText <= 0 {
		lim.MaxText = def.MaxText
	}
	if lim.MaxDepth <= 0 {
		lim.MaxDepth = def.MaxDepth
	}
	if lim.MaxRatio <= 0 {
		lim.MaxRatio = def.MaxRatio
	}
	if lim.Timeout <= 0 {
		lim.Timeout = def.Timeout
	}
	if int64(len(b)) > lim.MaxBytes {
		return nil, fmt.Errorf("%s: %w: %d bytes, limit %d", name, ErrTooLarge, len(b), lim.MaxBytes)
	}
	var d *Document
	var err error
	switch format {
	case FormatHTML:
		d, err = readHTML(b, lim)
	case FormatPDF:
		d, err = readPDF(ctx, b, lim)
	case FormatDOCX:
		d, err = readDOCX(b, lim)
	case FormatText, "":
		d = readText(b, lim)
	default:
		return nil, fmt.Errorf("%s: unknown document format %q (text, html, pdf, docx)", name, format)
	}
	if err != nil {
		return nil, fmt.Errorf("%s (%s): %w", name, format, err)
	}
	d.Name = name
	if d.Format == "" {
		d.Format = format
	}
	d.fillChars()
	return d, nil
}

// Detect returns the format of a document from its name and content.
func Detect(name string, b []byte) string {
	head := b[:min(len(b), 1024)]
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return FormatPDF
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return FormatDOCX
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".pdf":
		return FormatPDF
	case ".docx":
		return FormatDOCX
	case ".html", ".htm", ".xhtml":
		return FormatHTML
	}
	l := bytes.ToLower(bytes.TrimLeft(head, " \t\r\n\xef\xbb\xbf"))
	if bytes.HasPrefix(l, []byte("<!doctype html")) || bytes.HasPrefix(l, []byte("<html")) || bytes.Contains(l, []byte("<body")) || bytes.Contains(l, []byte("<head")) {
		return FormatHTML
	}
	return FormatText
}

// builder accumulates extracted text with its segments, up to a limit.
type builder struct {
	b         strings.Builder
	segs      []Segment
	max       int
	truncated bool
}

// write appends s, which came from source offset src (or -1) and page.
func (w *builder) write(s string, src, page int) {
	if s == "" || w.truncated {
		return
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if w.b.Len()+len(s) > w.max {
		n := w.max - w.b.Len()
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:max(n, 0)]
		w.truncated = true
	}
	start := w.b.Len()
	w.b.WriteString(s)
	w.segs = append(w.segs, Segment{Start: start, End: w.b.Len(), Source: src, Page: page})
}

// newline ends a line or a paragraph, without piling up blank lines.
func (w *builder) newline(n int) {
	s := w.b.String()
	have := len(s) - len(strings.TrimRight(s, "\n"))
	if len(s) == 0 {
		return
	}
	for ; have < n; have++ {
		w.write("\n", -1, 0)
	}
}

func (w *builder) doc(format string) *Document {
	return &Document{Format: format, Text: w.b.String(), Segments: w.segs, Truncated: w.truncated}
}

// fillChars sets the character offsets of the segments in one pass.
func (d *Document) fillChars() {
	pos, chars := 0, 0
	for i := range d.Segments {
		s := &d.Segments[i]
		chars += utf8.RuneCountInString(d.Text[pos:s.Start])
		s.CharStart = chars
		chars += utf8.RuneCountInString(d.Text[s.Start:s.End])
		s.CharEnd = chars
		pos = s.End
	}
}

// SegmentAt returns the segment holding byte offset off of the text, or
// false.
func (d *Document) SegmentAt(off int) (Segment, bool) {
	lo, hi := 0, len(d.Segments)
	for lo < hi {
		m := (lo + hi) / 2
		if d.Segments[m].End <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(d.Segments) && d.Segments[lo].Start <= off {
		return d.Segments[lo], true
	}
	return Segment{}, false
}
