package batch

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/interdict/interdict"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// maxRecordLines bounds the physical lines of one CSV record: a quoted field
// may hold line breaks (an address on three lines), but a quote that opens
// and runs on for more lines than this is a damaged record.
const maxRecordLines = 64

// csvSource reads delimited text line by line and assembles quoted fields
// that span lines itself, so that a damaged record (a stray quote that
// would swallow the rows after it) is found and reported with its lines,
// and reading resumes at the physical line after it. Every physical line
// belongs to exactly one record, a blank line, or the header.
type csvSource struct {
	name    string
	br      *bufio.Reader
	delim   byte
	max     int
	rd      *Reader
	hdr     []string
	line    int        // physical lines read from br
	pending []physLine // lines read ahead, replayed after a damaged record
	eof     bool
}

// physLine is one physical line of the input, without its line break.
type physLine struct {
	n       int
	text    string
	latin   bool // decoded from Windows-1252
	tooLong bool // longer than the record bound; text is empty
}

func newCSVSource(br *bufio.Reader, name, format string, opt ReadOptions, rd *Reader) (*csvSource, error) {
	// Byte order marks: UTF-8 (Excel "CSV UTF-8"), UTF-16 (Excel "Unicode
	// text", tab-separated).
	if b, _ := br.Peek(3); bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	} else if bytes.HasPrefix(b, []byte("\xff\xfe")) || bytes.HasPrefix(b, []byte("\xfe\xff")) {
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		br = bufio.NewReaderSize(transform.NewReader(br, dec), 64<<10)
		rd.warnFile(interdict.Warning{Field: "encoding", Value: "UTF-16", Message: "read as UTF-16 text"})
	}
	s := &csvSource{name: name, br: br, max: opt.MaxRecordBytes, rd: rd}
	var first physLine
	for {
		l, err := s.readLine()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty file, no header", name)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if l.tooLong {
			return nil, fmt.Errorf("%s:%d: header longer than %d bytes", name, l.n, s.max)
		}
		if strings.TrimSpace(l.text) != "" {
			first = l
			break
		}
	}
	s.delim = '\t'
	if format != "tsv" {
		s.delim = sniffDelimiter(first.text)
	}
	s.pending = append(s.pending, first)
	rec, err := s.next()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", name, err)
	}
	if rec.Err != nil {
		return nil, fmt.Errorf("header: %w", rec.Err)
	}
	for i, h := range rec.Values {
		h = strings.TrimSpace(h)
		if h == "" {
			h = fmt.Sprintf("column_%d", i+1)
		}
		s.hdr = append(s.hdr, h)
	}
	return s, nil
}

// sniffDelimiter picks the delimiter used most in the header line outside
// quotes: comma, semicolon, tab or pipe; comma when none is used.
func sniffDelimiter(line string) byte {
	var n [4]int
	cands := [4]byte{',', ';', '\t', '|'}
	quoted := false
	for i := 0; i < len(line); i++ {
		if line[i] == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		for j, c := range cands {
			if line[i] == c {
				n[j]++
			}
		}
	}
	best := 0
	for j := range cands {
		if n[j] > n[best] {
			best = j
		}
	}
	return cands[best]
}

func (s *csvSource) header() []string { return s.hdr }

func (s *csvSource) close() error { return nil }

// readLine returns the next physical line, or io.EOF.
func (s *csvSource) readLine() (physLine, error) {
	if len(s.pending) > 0 {
		l := s.pending[0]
		s.pending = s.pending[1:]
		return l, nil
	}
	if s.eof {
		return physLine{}, io.EOF
	}
	buf, tooLong, eof, err := readBounded(s.br, s.max)
	if err != nil {
		return physLine{}, fmt.Errorf("line %d: %w", s.line+1, err)
	}
	s.eof = eof
	if buf == nil && !tooLong && eof {
		return physLine{}, io.EOF
	}
	s.line++
	l := physLine{n: s.line, tooLong: tooLong}
	buf = bytes.TrimSuffix(bytes.TrimSuffix(buf, []byte("\n")), []byte("\r"))
	if !utf8.Valid(buf) {
		// Not UTF-8: a Windows "ANSI" export. Windows-1252 maps every byte.
		d, _ := charmap.Windows1252.NewDecoder().Bytes(buf)
		buf, l.latin = d, true
		s.rd.warnFile(interdict.Warning{Field: "encoding", Value: "Windows-1252",
			Message: "lines that are not UTF-8 were read as Windows-1252"})
	}
	l.text = string(buf)
	return l, nil
}

// next returns the next record; see csvSource.
func (s *csvSource) next() (Record, error) {
	var first physLine
	for {
		l, err := s.readLine()
		if err != nil {
			return Record{}, err
		}
		if l.tooLong {
			return Record{Line: l.n, EndLine: l.n, Err: fmt.Errorf("%s:%d: line longer than %d bytes; skipped", s.name, l.n, s.max)}, nil
		}
		if strings.TrimSpace(l.text) != "" {
			first = l
			break
		}
	}
	p := csvParser{delim: s.delim}
	p.feed(first.text, false)
	lines := []physLine{first}
	size := len(first.text)
	damage := ""
	for p.inQuote {
		if len(lines) >= maxRecordLines {
			damage = fmt.Sprintf("runs on for more than %d lines", maxRecordLines)
			break
		}
		l, err := s.readLine()
		if errors.Is(err, io.EOF) {
			damage = "runs to the end of the file"
			break
		}
		if err != nil {
			return Record{}, err
		}
		lines = append(lines, l)
		size += len(l.text) + 1
		if l.tooLong || size > s.max {
			damage = fmt.Sprintf("runs on for more than %d bytes", s.max)
			break
		}
		p.feed(l.text, true)
	}
	if !p.inQuote {
		p.endField()
	}
	ncols := len(s.hdr)
	if damage == "" && len(lines) > 1 {
		switch {
		case p.stray:
			damage = "closes with a quote followed by text"
		case ncols > 0 && countFields(p.fields) != ncols:
			damage = fmt.Sprintf("makes a record of %d fields, the header has %d", len(p.fields), ncols)
		case ncols > 0 && p.maxEmbeddedDelims >= max(2, ncols-1):
			damage = "holds whole lines of delimited fields"
		}
	}
	last := lines[len(lines)-1].n
	if damage != "" {
		// Resume at the physical line after the record's first: the
		// lines read ahead are read again as records of their own.
		s.pending = append(append([]physLine(nil), lines[1:]...), s.pending...)
		// The first line split plainly, quotes as text, is carried
		// through so the error row can be found (its customer ID).
		var vals []string
		if ncols > 0 {
			vals = strings.Split(first.text, string(s.delim))
			for len(vals) < ncols {
				vals = append(vals, "")
			}
			vals = vals[:ncols]
		}
		return Record{Line: first.n, EndLine: first.n, Values: vals, Err: fmt.Errorf(
			"%s:%d: damaged record: a quoted field opens on line %d and %s (line %d); the record is skipped and reading resumes at line %d",
			s.name, first.n, first.n, damage, last, first.n+1)}, nil
	}
	rec := Record{Line: first.n, EndLine: last, Values: p.fields}
	for _, l := range lines {
		if l.latin {
			rec.Warnings = append(rec.Warnings, interdict.Warning{Field: "encoding", Value: "Windows-1252", Message: "line is not UTF-8; read as Windows-1252"})
			break
		}
	}
	if p.stray {
		rec.Warnings = append(rec.Warnings, interdict.Warning{Field: "record", Message: "a stray quote was read as text"})
	}
	if ncols > 0 {
		if n := countFields(rec.Values); n > ncols {
			return Record{Line: first.n, EndLine: last, Err: fmt.Errorf("%s:%d: %d fields, the header has %d (an unquoted delimiter %q in a value?)",
				s.name, first.n, n, ncols, string(s.delim))}, nil
		}
		for len(rec.Values) < ncols {
			rec.Values = append(rec.Values, "")
		}
		rec.Values = rec.Values[:ncols]
	}
	return rec, nil
}

// countFields counts fields, not counting empty ones at the end (trailing
// delimiters).
func countFields(f []string) int {
	n := len(f)
	for n > 0 && strings.TrimSpace(f[n-1]) == "" {
		n--
	}
	return n
}

// csvParser splits delimited text into fields, RFC 4180 style: a field
// that starts with a quote runs to the next lone quote, "" is a quote, and
// a quote inside an unquoted field is text. It is fed one physical line at
// a time and reports whether a quoted field is still open.
type csvParser struct {
	delim             byte
	fields            []string
	cur               []byte
	inQuote           bool // inside a quoted field
	quoted            bool // the current field was quoted
	afterQuote        bool // the quoted field closed; a delimiter is due
	stray             bool // text followed a closing quote
	maxEmbeddedDelims int  // most delimiters on one continued line inside quotes
}

func (p *csvParser) feed(line string, continued bool) {
	if continued {
		p.cur = append(p.cur, '\n')
	}
	embedded := 0
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case p.inQuote:
			if c == '"' {
				if i+1 < len(line) && line[i+1] == '"' {
					p.cur = append(p.cur, '"')
					i++
					continue
				}
				p.inQuote, p.afterQuote = false, true
				continue
			}
			if c == p.delim && continued {
				embedded++
			}
			p.cur = append(p.cur, c)
		case c == p.delim:
			p.endField()
		case p.afterQuote:
			if c == ' ' || c == '\r' {
				continue
			}
			// Text after a closing quote: the quote was text.
			p.stray, p.afterQuote = true, false
			p.cur = append(p.cur, '"', c)
		case c == '"' && !p.quoted && len(bytes.TrimSpace(p.cur)) == 0:
			p.inQuote, p.quoted = true, true
			p.cur = p.cur[:0]
		default:
			p.cur = append(p.cur, c)
		}
	}
	p.maxEmbeddedDelims = max(p.maxEmbeddedDelims, embedded)
}

func (p *csvParser) endField() {
	p.fields = append(p.fields, string(p.cur))
	p.cur = p.cur[:0]
	p.quoted, p.afterQuote = false, false
}

// readBounded reads one line, with its line break, of at most max bytes
// (and its break); a longer line is read to its end and dropped, and
// tooLong says so. eof says that the input ended with this read; buf is
// nil and tooLong false when nothing was left.
func readBounded(br *bufio.Reader, max int) (buf []byte, tooLong, eof bool, err error) {
	for {
		frag, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(frag) > max+2 {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, frag...)
			}
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(buf) == 0 {
				buf = nil
			}
			return buf, tooLong, true, nil
		case err != nil:
			return nil, false, false, err
		}
		return buf, tooLong, false, nil
	}
}
