package document

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// readText decodes plain text: UTF-8 (with or without a BOM), UTF-16 with
// a BOM, and otherwise, when the bytes are not UTF-8, Windows-1251 (when
// the high bytes look Cyrillic) or Windows-1252. Stray invalid bytes in
// text that is UTF-8 for the most part are replaced by U+FFFD.
func readText(b []byte, lim Limits) *Document {
	enc := "utf-8"
	var text string
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		text = string(bytes.ToValidUTF8(b[3:], []byte("\uFFFD")))
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		enc, text = "utf-16le", decode(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), b)
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		enc, text = "utf-16be", decode(unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), b)
	case utf8.Valid(b):
		text = string(b)
	case mostlyUTF8(b):
		enc, text = "utf-8 (invalid bytes replaced)", string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
	case cyrillicBytes(b):
		enc, text = "windows-1251", decode(charmap.Windows1251, b)
	default:
		enc, text = "windows-1252", decode(charmap.Windows1252, b)
	}
	w := &builder{max: lim.MaxText}
	w.write(text, 0, 0)
	d := w.doc(FormatText)
	d.Encoding = enc
	return d
}

func decode(e encoding.Encoding, b []byte) string {
	out, err := e.NewDecoder().Bytes(b)
	if err != nil {
		return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
	}
	return string(bytes.ToValidUTF8(out, []byte("\uFFFD")))
}

// mostlyUTF8 reports whether at least 9 of 10 non-ASCII sequences are
// valid UTF-8.
func mostlyUTF8(b []byte) bool {
	good, bad := 0, 0
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			bad++
			i++
			continue
		}
		good++
		i += size
	}
	return good >= 9*bad && good > 0
}

// cyrillicBytes reports whether most high bytes are in 0xC0-0xFF, in runs
// of three or more (words of Cyrillic letters in Windows-1251).
func cyrillicBytes(b []byte) bool {
	high, inRuns, run := 0, 0, 0
	for _, c := range b {
		if c >= 0xC0 {
			high++
			run++
			continue
		}
		if run >= 3 {
			inRuns += run
		}
		if c >= 0x80 {
			high++
		}
		run = 0
	}
	if run >= 3 {
		inRuns += run
	}
	return high > 0 && inRuns*2 > high
}
