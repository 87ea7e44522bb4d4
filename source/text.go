package source

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Size limits of one record's fields. Real lists stay far below them (the
// longest published name is a few hundred bytes); a field over a limit is a
// broken or hostile file, and its record is skipped rather than becoming a
// name every later screen has to compare.
const (
	// MaxNameLen bounds one name in bytes.
	MaxNameLen = 2048
	// MaxIDLen bounds a record's own identifier in bytes.
	MaxIDLen = 256
	// MaxFieldLen bounds any other field of a line-oriented record in bytes.
	MaxFieldLen = 256 << 10
	// MaxMessageLen bounds the message of an import issue or refusal.
	MaxMessageLen = 1024
)

// Prefix returns s quoted, cut to its first 40 bytes with its full length
// noted when longer: how an error names an oversized or binary value.
func Prefix(s string) string {
	const n = 40
	if len(s) <= n {
		return strconv.Quote(s)
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (%d bytes)", strconv.Quote(s[:cut]), len(s))
}

// Cut returns s shortened to at most max bytes (on a rune boundary), with
// the number of bytes left out noted.
func Cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (%d more bytes)", s[:cut], len(s)-cut)
}

// CheckFields returns an error naming the first field of a line-oriented
// record longer than its limit: names (the fields named in nameFields) are
// held to MaxNameLen, the field named idField to MaxIDLen, any other to
// MaxFieldLen. header names the fields by position; a missing header entry
// is named by its 1-based column.
func CheckFields(header, row []string, idField string, nameFields ...string) (field string, err error) {
	for i, v := range row {
		name := fmt.Sprintf("column %d", i+1)
		if i < len(header) {
			name = header[i]
		}
		max := MaxFieldLen
		switch {
		case name == idField:
			max = MaxIDLen
		case contains(nameFields, name):
			max = MaxNameLen
		}
		if len(v) > max {
			return name, fmt.Errorf("value %s is longer than %d bytes", Prefix(v), max)
		}
	}
	return "", nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// CheckEnd reports a text file that ends in the middle of a line: every
// published CSV and text list ends its last record with a line break (and
// OFAC's with a Ctrl-Z after it), so a file that does not was cut short,
// and the records it lost would leave the list without a word.
func CheckEnd(list string, f File) error {
	data := f.Data
	for len(data) > 0 && (data[len(data)-1] == 0x1A || data[len(data)-1] == ' ' || data[len(data)-1] == '\t') {
		data = data[:len(data)-1]
	}
	if len(data) == 0 {
		return nil
	}
	if last := data[len(data)-1]; last != '\n' && last != '\r' {
		line := bytes.Count(data, []byte{'\n'}) + 1
		tail := data[bytes.LastIndexByte(data, '\n')+1:]
		return &ParseError{List: list, File: f.Name, Line: line, Err: fmt.Errorf("file ends in the middle of a record (%s, no final line break): it was cut short; refusing the whole file", Prefix(string(tail)))}
	}
	return nil
}

// DecodeText returns data as UTF-8, deciding the encoding per file and,
// where a file mixes them, per line, and reporting every decision on r:
//
//   - valid UTF-8 is returned as is, less a byte order mark;
//   - a file with no valid multi-byte UTF-8 sequence at all is read as
//     Windows-1252 (older OFAC files), with one warning naming the file;
//   - in a file that is otherwise UTF-8, a line with invalid bytes is read
//     as Windows-1252 when it holds no valid multi-byte sequence, or else
//     has its invalid bytes replaced by U+FFFD; each such line is a warning
//     with its number.
//
// So one stray byte never turns a UTF-8 file's "JOSÉ MÜLLER" into
// "JOSÃ‰ MÃœLLER". r may be nil.
func DecodeText(r *Result, list string, f File) []byte {
	data := bytes.TrimPrefix(f.Data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return data
	}
	warn := func(line int, format string, args ...any) {
		if r != nil {
			r.Warn(&ParseError{List: list, File: f.Name, Line: line, Field: "encoding", Err: fmt.Errorf(format, args...)})
		}
	}
	if !hasMultiByte(data) {
		out, _ := charmap.Windows1252.NewDecoder().Bytes(data)
		warn(0, "file is not UTF-8; read as Windows-1252")
		return out
	}
	var out bytes.Buffer
	out.Grow(len(data) + len(data)/8)
	n := 0
	for len(data) > 0 {
		n++
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i+1], data[i+1:]
		} else {
			data = nil
		}
		switch {
		case utf8.Valid(line):
			out.Write(line)
		case !hasMultiByte(line):
			d, _ := charmap.Windows1252.NewDecoder().Bytes(line)
			out.Write(d)
			warn(n, "line is not UTF-8 (the rest of the file is); read as Windows-1252: %s", Prefix(string(d)))
		default:
			fixed := bytes.ToValidUTF8(line, []byte("\uFFFD"))
			out.Write(fixed)
			warn(n, "invalid UTF-8 at byte %d of the line; replaced by U+FFFD: %s", invalidAt(line)+1, Prefix(string(fixed)))
		}
	}
	return out.Bytes()
}

// hasMultiByte reports whether data holds at least one valid multi-byte
// UTF-8 sequence.
func hasMultiByte(data []byte) bool {
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r != utf8.RuneError || size > 1 {
			return true
		}
		i++
	}
	return false
}

// invalidAt returns the offset of the first invalid UTF-8 byte in data.
func invalidAt(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}
