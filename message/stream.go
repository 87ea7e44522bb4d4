package message

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Reader reads messages one after another from a stream (standard input,
// a socket), for screening each as soon as it has arrived. A message ends:
//   - for SWIFT MT, at its line starting "-}" (with any trailer blocks on
//     that line);
//   - for JSON (a DCSA bill of lading, a Fedwire JSON message), when its
//     top-level value closes;
//   - for any format, at a line holding only "$" (the RJE separator) or
//     nothing, and at the end of the stream.
//
// A message that cannot be read is returned as a *ParseError and the
// reader goes on with the next one.
type Reader struct {
	r       *bufio.Reader
	source  string
	n       int    // messages read, for positions
	line    int    // lines read
	pending []byte // text read past the end of the last message
	err     error
}

// NewReader returns a Reader of r, naming the messages after source.
func NewReader(r io.Reader, source string) *Reader {
	return &Reader{r: bufio.NewReaderSize(r, 64<<10), source: source}
}

// Next returns the messages of the next framed chunk (usually one), or
// io.EOF at the end of the stream. A *ParseError is returned for a chunk
// that cannot be read; call Next again for the one after it. Any other
// error ends the stream.
func (rd *Reader) Next() ([]*Message, error) {
	for {
		chunk, startLine, err := rd.chunk()
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(bytes.Trim(chunk, "$\r\n \t"))) == 0 {
			continue
		}
		rd.n++
		name := fmt.Sprintf("%s#%d", rd.source, rd.n)
		ms, err := Parse(name, chunk)
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) && pe.Line > 0 {
				pe.Line += startLine - 1
			}
			return nil, err
		}
		for _, m := range ms {
			m.Source = name
		}
		return ms, nil
	}
}

// readLine returns the next line with its newline, from pending first.
func (rd *Reader) readLine() ([]byte, error) {
	if len(rd.pending) > 0 {
		i := bytes.IndexByte(rd.pending, '\n')
		var l []byte
		if i < 0 {
			l, rd.pending = rd.pending, nil
			more, err := rd.r.ReadBytes('\n')
			l = append(l, more...)
			if err != nil && len(l) == 0 {
				return nil, err
			}
		} else {
			l, rd.pending = rd.pending[:i+1], rd.pending[i+1:]
		}
		rd.line++
		return l, nil
	}
	l, err := rd.r.ReadBytes('\n')
	if len(l) > 0 {
		rd.line++
		return l, nil
	}
	return nil, err
}

// chunk reads the text of the next message.
func (rd *Reader) chunk() ([]byte, int, error) {
	if rd.err != nil {
		return nil, 0, rd.err
	}
	var buf []byte
	start := rd.line + 1
	var syn Syntax
	depth, inStr, esc := 0, false, false // JSON framing
	tooBig := false
	for {
		l, err := rd.readLine()
		if err != nil {
			rd.err = err
			if err != io.EOF {
				return nil, 0, err
			}
			if len(buf) == 0 {
				return nil, 0, io.EOF
			}
			break
		}
		t := bytes.TrimSpace(l)
		if len(buf) == 0 && (len(t) == 0 || string(t) == "$") {
			start = rd.line + 1
			continue
		}
		if syn == "" {
			syn, _ = Detect(t)
		}
		if syn != DCSA && (len(t) == 0 || string(t) == "$") {
			break
		}
		if syn == DCSA {
			// JSON: count braces outside strings.
			end := -1
			for i, c := range l {
				switch {
				case esc:
					esc = false
				case inStr && c == '\\':
					esc = true
				case c == '"':
					inStr = !inStr
				case inStr:
				case c == '{' || c == '[':
					depth++
				case c == '}' || c == ']':
					depth--
					if depth == 0 {
						end = i + 1
					}
				}
				if end >= 0 {
					break
				}
			}
			if end >= 0 {
				buf = append(buf, l[:end]...)
				if rest := l[end:]; len(bytes.TrimSpace(rest)) > 0 {
					rd.pending = append(append([]byte{}, rest...), rd.pending...)
					rd.line--
				}
				break
			}
		} else if syn == SwiftMT && bytes.HasPrefix(t, []byte("-}")) {
			// The end of the text block; trailer blocks may follow on
			// the line, and the next message too (RJE "-}${1:").
			cut := len(l)
			for i := 2; i < len(l); i++ {
				if l[i] == '$' || bytes.HasPrefix(l[i:], []byte("{1:")) {
					cut = i
					break
				}
			}
			buf = append(buf, l[:cut]...)
			if rest := l[cut:]; len(bytes.TrimSpace(bytes.Trim(rest, "$"))) > 0 {
				rd.pending = append(append([]byte{}, rest...), rd.pending...)
				rd.line--
			}
			break
		}
		if len(buf)+len(l) > MaxMessageBytes {
			tooBig = true
			buf = buf[:0]
			continue
		}
		buf = append(buf, l...)
	}
	if tooBig {
		rd.n++
		return nil, 0, &ParseError{Source: fmt.Sprintf("%s#%d", rd.source, rd.n), Line: start, Err: fmt.Errorf("message larger than %d bytes", MaxMessageBytes)}
	}
	return buf, start, nil
}
