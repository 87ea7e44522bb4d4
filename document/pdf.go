package document

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"

	"github.com/ledongthuc/pdf"
)

// PDFToText is the name of poppler's pdftotext, used when it is on PATH.
// Tests may clear it to force the Go extractor.
var PDFToText = "pdftotext"

// readPDF extracts the text of a PDF with pdftotext (-layout -enc UTF-8)
// when it is installed, and with the pure-Go ledongthuc/pdf otherwise.
// Pages are separated by a blank line and recorded in the segments.
func readPDF(ctx context.Context, b []byte, lim Limits) (*Document, error) {
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	if PDFToText != "" {
		if path, err := exec.LookPath(PDFToText); err == nil {
			return pdfToText(ctx, path, b, lim)
		}
	}
	return pdfGo(ctx, b, lim)
}

func pdfToText(ctx context.Context, path string, b []byte, lim Limits) (*Document, error) {
	cmd := exec.CommandContext(ctx, path, "-layout", "-enc", "UTF-8", "-q", "-", "-")
	cmd.Stdin = bytes.NewReader(b)
	var out limitedBuffer
	out.max = lim.MaxText
	var stderr bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("pdftotext: stopped after %s: %w", lim.Timeout, ctx.Err())
	}
	if err != nil && !out.full {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("pdftotext: %s", msg)
	}
	d := pages(strings.Split(out.String(), "\f"), lim)
	d.Truncated = d.Truncated || out.full
	d.Extractor = "pdftotext"
	return d, nil
}

// pdfGo runs the Go extractor in a goroutine, behind recover (it can panic
// on malformed files) and the timeout (a goroutine past its time is left to
// finish on its own; its result is dropped).
func pdfGo(ctx context.Context, b []byte, lim Limits) (*Document, error) {
	type result struct {
		pages []string
		err   error
	}
	ch := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ch <- result{err: fmt.Errorf("malformed PDF: %v", r)}
			}
		}()
		r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			ch <- result{err: fmt.Errorf("malformed PDF: %w", err)}
			return
		}
		var ps []string
		total := 0
		for i := 1; i <= r.NumPage(); i++ {
			if ctx.Err() != nil {
				ch <- result{err: ctx.Err()}
				return
			}
			p := r.Page(i)
			if p.V.IsNull() {
				continue
			}
			rows, err := p.GetTextByRow()
			if err != nil {
				ch <- result{err: fmt.Errorf("page %d: %w", i, err)}
				return
			}
			var sb strings.Builder
			for _, row := range rows {
				for k, w := range row.Content {
					if k > 0 {
						sb.WriteByte(' ')
					}
					sb.WriteString(w.S)
				}
				sb.WriteByte('\n')
			}
			ps = append(ps, sb.String())
			total += sb.Len()
			if total > lim.MaxText {
				break
			}
		}
		ch <- result{pages: ps}
	}()
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("PDF extraction stopped after %s: %w", lim.Timeout, ctx.Err())
	case res := <-ch:
		if res.err != nil {
			return nil, res.err
		}
		d := pages(res.pages, lim)
		d.Extractor = "go"
		return d, nil
	}
}

func pages(ps []string, lim Limits) *Document {
	w := &builder{max: lim.MaxText}
	for i, p := range ps {
		p = strings.TrimRight(p, " \n")
		if strings.TrimSpace(p) == "" {
			continue
		}
		w.newline(2)
		w.write(p, -1, i+1)
	}
	return w.doc(FormatPDF)
}

// limitedBuffer keeps the first max bytes written and then reports the
// writer full, which stops the writing process.
type limitedBuffer struct {
	bytes.Buffer
	max  int
	full bool
}

var errFull = errors.New("output limit reached")

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > b.max {
		b.Buffer.Write(p[:b.max-b.Len()])
		b.full = true
		return 0, errFull
	}
	return b.Buffer.Write(p)
}

var _ io.Writer = (*limitedBuffer)(nil)
