package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/document"
	"github.com/interdict/interdict/scan"
)

// DocumentScanResult is the answer of POST /v1/documents/scan: the scan of
// the document's text, the format it was read as, and whether the text was
// cut at the size limit.
type DocumentScanResult struct {
	*scan.Result
	Format    string `json:"format"`
	Truncated bool   `json:"truncated"`
}

// documentRequest is the JSON body of POST /v1/documents/scan.
type documentRequest struct {
	Text   string `json:"text"`
	Name   string `json:"name"`
	Format string `json:"format"`
}

// readDocument reads the document of a request: a JSON body with text, or
// a multipart/form-data upload (field "file", or a "text" field), within
// MaxUploadBytes. It returns a problem for a body too large, a bad media
// type or an empty document.
func (s *Server) readDocument(w http.ResponseWriter, r *http.Request) (*document.Document, error) {
	lim := s.documentLimits()
	r.Body = http.MaxBytesReader(w, r.Body, lim.MaxBytes)
	tooLarge := func(err error) error {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) || errors.Is(err, document.ErrTooLarge) {
			return problemf(http.StatusRequestEntityTooLarge, "The document is larger than the limit of %d bytes.", lim.MaxBytes)
		}
		return nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var name, format string
	var data []byte
	switch mt {
	case "application/json":
		var req documentRequest
		dec := json.NewDecoder(r.Body)
		if err := dec.Decode(&req); err != nil {
			if p := tooLarge(err); p != nil {
				return nil, p
			}
			return nil, problemf(http.StatusBadRequest, "The body is not valid JSON: %s.", err.Error())
		}
		name, format, data = req.Name, req.Format, []byte(req.Text)
		if format == "" {
			format = document.FormatText
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			if p := tooLarge(err); p != nil {
				return nil, p
			}
			return nil, problemf(http.StatusBadRequest, "The form could not be read: %s.", err.Error())
		}
		format = r.FormValue("format")
		if f, hdr, err := r.FormFile("file"); err == nil {
			defer f.Close()
			b, err := document.ReadAll(f, lim.MaxBytes)
			if err != nil {
				if p := tooLarge(err); p != nil {
					return nil, p
				}
				return nil, problemf(http.StatusBadRequest, "The file could not be read.")
			}
			name, data = filepath.Base(hdr.Filename), b
		} else {
			name, data = r.FormValue("name"), []byte(r.FormValue("text"))
			if format == "" {
				format = document.FormatText
			}
		}
	default:
		return nil, newProblem(http.StatusUnsupportedMediaType, "Send the document as application/json ({\"text\": ...}) or as a multipart/form-data upload (field \"file\").")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, unprocessable("text", "is required (or upload a file)")
	}
	switch format {
	case "", document.FormatText, document.FormatHTML, document.FormatPDF, document.FormatDOCX:
	default:
		return nil, unprocessable("format", "must be text, html, pdf or docx")
	}
	if name == "" {
		name = "document"
	}
	if format == "" {
		format = document.Detect(name, data)
	}
	d, err := document.Parse(r.Context(), name, data, format, lim)
	if err != nil {
		if p := tooLarge(err); p != nil {
			return nil, p
		}
		return nil, problemf(http.StatusUnprocessableEntity, "The document could not be read: %s.", err.Error())
	}
	return d, nil
}

func unprocessable(field, msg string) error {
	p := newProblem(http.StatusUnprocessableEntity, "Invalid document: "+field+" "+msg+".")
	p.Errors = []FieldError{{Field: field, Message: msg}}
	return p
}

// documentLimits are the reading limits of uploaded documents.
func (s *Server) documentLimits() document.Limits {
	lim := document.DefaultLimits()
	if s.MaxUploadBytes > 0 {
		lim.MaxBytes = s.MaxUploadBytes
	}
	return lim
}

// scanDocument scans a document's text with the scanner of the current
// index; 503 before the lists are loaded or when no scanner is configured.
func (s *Server) scanDocument(w http.ResponseWriter, r *http.Request, d *document.Document) (*scan.Result, error) {
	if s.Documents == nil {
		return nil, newProblem(http.StatusServiceUnavailable, "Document scanning is not configured on this server.")
	}
	sc, err := s.Documents.Scanner(r.Context())
	if err != nil {
		if interdict.ErrorCode(err) == interdict.EUNAVAILABLE {
			w.Header().Set("Retry-After", "5")
		}
		return nil, err
	}
	return sc.Scan(r.Context(), d.Name, d.Text)
}

// handleDocumentScan is POST /v1/documents/scan.
func (s *Server) handleDocumentScan(w http.ResponseWriter, r *http.Request) {
	d, err := s.readDocument(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.scanDocument(w, r, d)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, DocumentScanResult{Result: res, Format: d.Format, Truncated: d.Truncated})
}

// docSegment is a piece of the scanned text on the Documents page: plain
// text, or a mention to highlight.
type docSegment struct {
	Text    string
	Mention *scan.Mention
}

// segments cuts text at the mentions (sorted, without overlap).
func segments(text string, ms []scan.Mention) []docSegment {
	var out []docSegment
	pos := 0
	for i := range ms {
		m := &ms[i]
		if m.Start < pos || m.End > len(text) {
			continue
		}
		if m.Start > pos {
			out = append(out, docSegment{Text: text[pos:m.Start]})
		}
		out = append(out, docSegment{Text: text[m.Start:m.End], Mention: m})
		pos = m.End
	}
	if pos < len(text) {
		out = append(out, docSegment{Text: text[pos:]})
	}
	return out
}

type documentsPage struct {
	page
	Text     string
	Name     string
	Format   string
	Result   *scan.Result
	Segments []docSegment
	Parties  []scan.Group
	Others   []scan.Group
	Error    string
	MaxBytes int64
}

// uiDocuments is GET /documents: the form.
func (s *Server) uiDocuments(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "documents", "layout", documentsPage{page: s.page(r, "documents"), MaxBytes: s.documentLimits().MaxBytes})
}

// uiDocumentsScan is POST /documents: the scanned text with its mentions
// highlighted, each party one click from its entity.
func (s *Server) uiDocumentsScan(w http.ResponseWriter, r *http.Request) {
	p := documentsPage{page: s.page(r, "documents"), MaxBytes: s.documentLimits().MaxBytes}
	status := http.StatusOK
	d, err := s.readDocument(w, r)
	if err == nil {
		p.Name, p.Format, p.Text = d.Name, d.Format, d.Text
		p.Result, err = s.scanDocument(w, r, d)
	}
	if err != nil {
		pr := toProblem(err)
		status, p.Error = pr.Status, pr.Detail
		if status >= 500 && status != http.StatusServiceUnavailable {
			s.logger(r).Error("scan document", "err", err.Error())
			p.Error = "Internal error."
		}
	} else {
		p.Segments = segments(d.Text, p.Result.Mentions)
		for _, g := range p.Result.Groups {
			if g.Kind == scan.KindParty {
				p.Parties = append(p.Parties, g)
			} else {
				p.Others = append(p.Others, g)
			}
		}
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/json" {
		p.Text = ""
	}
	block := "layout"
	if r.Header.Get("HX-Request") != "" && !strings.EqualFold(r.Header.Get("HX-Boosted"), "true") {
		block = "results"
	}
	s.render(w, r, status, "documents", block, p)
}
