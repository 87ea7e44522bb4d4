package ftm

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
)

// DefaultMaxLine is the longest entity line Stream reads unless told
// otherwise: OpenSanctions' longest nested lines (a head of state with
// hundreds of sanctions, addresses and relations nested) are a few MiB.
const DefaultMaxLine = 32 << 20

// MaxStreamIssues is how many issues a Stream report keeps; the counts
// go on beyond it.
const MaxStreamIssues = 1000

// StreamOptions configure Stream.
type StreamOptions struct {
	// List is the list the entities are imported as.
	List string
	// Name names the input in errors and issues (a file name).
	Name string
	// MaxLine is the longest line read, in bytes; a longer one is skipped
	// with an error. 0 means DefaultMaxLine.
	MaxLine int
	// Progress, when set, is called with the bytes read and the entities
	// produced so far, at most every Every and once at the end.
	Progress func(read int64, entities int)
	// Every is how often Progress is called; 0 means 200ms.
	Every time.Duration
}

// StreamResult is what a Stream read: the report's counts (its issues
// cut at MaxStreamIssues) and the latest publication date of the entities.
type StreamResult struct {
	Report    interdict.ImportReport
	Published string
	// Read is the number of bytes read.
	Read int64
}

// Stream reads FtM entity lines from r one at a time and calls fn with
// each party entity they hold, in the order read, as Parse maps it; its
// memory does not grow with the input: a line is read, mapped and
// forgotten. Each line is mapped with the entities nested in it
// (OpenSanctions' nested exports give every party its sanctions,
// addresses, identifications and relations in its own line); a line of a
// schema that is not a party (an Address, a Sanction) references parties
// in other lines, which Stream does not join: it is left out with a
// warning, as Parse leaves out one that references no party of its file
// set. Parse reads the flat export, joining across lines, within memory
// that grows with the file. An id seen twice is not detected across lines
// (the store refuses the duplicate).
//
// fn's error stops the stream and is returned. A last line that is not a
// whole JSON value means the input was cut short: Stream returns an error
// after the entities already passed to fn, which the caller must then
// discard. The entity passed to fn is the caller's to keep.
func Stream(r io.Reader, opt StreamOptions, fn func(e *interdict.Entity) error) (*StreamResult, error) {
	if opt.MaxLine <= 0 {
		opt.MaxLine = DefaultMaxLine
	}
	if opt.Every <= 0 {
		opt.Every = 200 * time.Millisecond
	}
	out := &StreamResult{}
	br := bufio.NewReaderSize(r, 64<<10)
	var buf []byte
	n, entities, valid := 0, 0, 0
	lastOK := true
	next := time.Now().Add(opt.Every)
	issue := func(is interdict.ImportIssue, skipped bool) {
		if skipped {
			out.Report.Skipped++
		}
		switch is.Severity {
		case interdict.SeverityError:
			out.Report.Errors++
		default:
			out.Report.Warnings++
		}
		if len(out.Report.Issues) < MaxStreamIssues {
			out.Report.Issues = append(out.Report.Issues, is)
		}
	}
	for {
		line, tooLong, err := readLine(br, buf[:0], opt.MaxLine, &out.Read)
		if err != nil && err != io.EOF {
			return out, fmt.Errorf("%s: read line %d: %w", opt.Name, n+1, err)
		}
		if line == nil && err == io.EOF {
			break
		}
		n++
		if cap(line) <= 1<<20 {
			buf = line // reused; a huge line's buffer is let go
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, bom)
		}
		line = bytes.TrimSpace(line)
		switch {
		case tooLong:
			out.Report.Records++
			issue(interdict.ImportIssue{Severity: interdict.SeverityError, List: opt.List, File: opt.Name, Line: n,
				Message: fmt.Sprintf("line is longer than %d bytes; left out", opt.MaxLine)}, true)
			lastOK = true
		case len(line) > 0:
			out.Report.Records++
			res := &source.Result{List: opt.List, Format: FormatJSON, Publisher: Publisher}
			if !utf8.Valid(line) {
				res.Warn(&source.ParseError{List: opt.List, File: opt.Name, Line: n, Field: "encoding", Err: fmt.Errorf("invalid UTF-8 at byte %d; replaced by U+FFFD", invalidAt(line)+1)})
				line = bytes.ToValidUTF8(line, []byte("\uFFFD"))
			}
			lastOK = json.Valid(line)
			ent, derr := decodeEntity(line)
			if derr != nil {
				pe := &source.ParseError{List: opt.List, File: opt.Name, Line: n, Err: fmt.Errorf("read entity: %w", derr)}
				if ent != nil {
					pe.Record = ent.ID
				}
				res.Skip(pe)
			} else {
				valid++
				s := newSet(res)
				s.put(&record{file: opt.Name, line: n, ent: ent})
				s.build()
			}
			for _, is := range res.Report.Issues {
				issue(is, false)
			}
			out.Report.Skipped += res.Report.Skipped
			if res.Published > out.Published {
				out.Published = res.Published
			}
			for i := range res.Entities {
				entities++
				if err := fn(&res.Entities[i]); err != nil {
					return out, err
				}
			}
		}
		if opt.Progress != nil && time.Now().After(next) {
			opt.Progress(out.Read, entities)
			next = time.Now().Add(opt.Every)
		}
		if err == io.EOF {
			break
		}
	}
	out.Report.Entities = entities
	if opt.Progress != nil {
		opt.Progress(out.Read, entities)
	}
	if !lastOK {
		return out, &source.ParseError{List: opt.List, File: opt.Name, Line: n, Err: errors.New("the last line is not a whole JSON object: the input was cut short; refusing the whole input")}
	}
	if valid == 0 {
		return out, fmt.Errorf("%s: no FtM entity line could be read", opt.Name)
	}
	return out, nil
}

// readLine appends to buf the next line of br without its newline. A line
// longer than max is read to its end and dropped: tooLong is set and the
// line is empty. At the end of the input it returns io.EOF with the last
// line, or a nil line when there is none.
func readLine(br *bufio.Reader, buf []byte, max int, read *int64) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		*read += int64(len(chunk))
		if !tooLong {
			if len(buf)+len(chunk) > max {
				tooLong, buf = true, buf[:0]
			} else {
				buf = append(buf, chunk...)
			}
		}
		switch err {
		case nil:
			return bytes.TrimSuffix(buf, []byte("\n")), tooLong, nil
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if len(buf) == 0 && !tooLong && len(chunk) == 0 {
				return nil, false, io.EOF
			}
			if buf == nil {
				buf = []byte{}
			}
			return buf, tooLong, io.EOF
		default:
			return nil, false, err
		}
	}
}
