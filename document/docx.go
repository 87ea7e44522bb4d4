package document

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// readDOCX extracts the text of word/document.xml: w:t runs, tabs and
// breaks, a blank line after each paragraph. The part is refused before
// inflating when its declared size exceeds lim.MaxText*4 or its ratio
// lim.MaxRatio, and inflation stops at that size whatever the header says.
func readDOCX(b []byte, lim Limits) (*Document, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("not a DOCX (zip) file: %w", err)
	}
	if len(zr.File) > 10000 {
		return nil, fmt.Errorf("%w: %d zip entries", ErrTooLarge, len(zr.File))
	}
	var part *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			part = f
		}
	}
	if part == nil {
		return nil, errors.New("no word/document.xml in the DOCX archive")
	}
	maxXML := int64(lim.MaxText) * 4
	if part.UncompressedSize64 > uint64(maxXML) {
		return nil, fmt.Errorf("%w: word/document.xml inflates to %d bytes, limit %d", ErrTooLarge, part.UncompressedSize64, maxXML)
	}
	if part.CompressedSize64 > 0 && part.UncompressedSize64/part.CompressedSize64 > uint64(lim.MaxRatio) {
		return nil, fmt.Errorf("%w: word/document.xml compression ratio %d exceeds %d (zip bomb?)", ErrTooLarge, part.UncompressedSize64/part.CompressedSize64, lim.MaxRatio)
	}
	rc, err := part.Open()
	if err != nil {
		return nil, fmt.Errorf("open word/document.xml: %w", err)
	}
	defer rc.Close()
	raw, err := io.ReadAll(io.LimitReader(rc, maxXML+1))
	if err != nil {
		return nil, fmt.Errorf("inflate word/document.xml: %w", err)
	}
	if int64(len(raw)) > maxXML {
		return nil, fmt.Errorf("%w: word/document.xml inflates beyond %d bytes", ErrTooLarge, maxXML)
	}
	w := &builder{max: lim.MaxText}
	dec := xml.NewDecoder(bytes.NewReader(raw))
	depth := 0
	inText := false
	for {
		off := int(dec.InputOffset())
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("word/document.xml at byte %d: %w", off, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > lim.MaxDepth {
				return nil, fmt.Errorf("word/document.xml at byte %d: elements nested deeper than %d", off, lim.MaxDepth)
			}
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				w.write("\t", off, 0)
			case "br", "cr":
				w.newline(1)
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				w.newline(2)
			}
		case xml.CharData:
			if inText {
				w.write(string(t), off, 0)
			}
		}
		if w.truncated {
			break
		}
	}
	d := w.doc(FormatDOCX)
	return d, nil
}
