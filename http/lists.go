package http

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/interdict/interdict"
)

// ListUpload is a new version of one of the institution's own lists, as a
// client uploads it: a CSV, XLSX or JSON-lines file of parties, or
// FollowTheMoney JSON lines (PEP data).
type ListUpload struct {
	// List is the list's name: lowercase letters, digits and hyphens, not
	// the ID of an official list.
	List string
	// Title is the list's display title; "" keeps the current version's.
	Title string
	// FileName is the uploaded file's name, recorded with the version.
	FileName string
	Data     []byte
	// DryRun reads the file and reports what importing it would do (the
	// diff, the report, a refusal) without storing anything.
	DryRun bool
	// Force accepts a version holding fewer than 80% of the current
	// version's entities.
	Force bool
	// Base, when not nil, is the version the upload was previewed against
	// (0 for none): the import is refused with ECONFLICT when the list's
	// current version is another, so that what was confirmed is what is
	// stored.
	Base *int
}

// Upload statuses: those of an import, and "preview" for a dry run that
// would be imported.
const (
	UploadImported  = "imported"
	UploadUnchanged = "unchanged"
	UploadRefused   = "refused"
	UploadPreview   = "preview"
)

// ListUploadResult is what an upload did, or with DryRun would do.
type ListUploadResult struct {
	List   string `json:"list"`
	Format string `json:"format"`
	// Status is imported, unchanged, refused or (dry run) preview.
	Status string `json:"status"`
	DryRun bool   `json:"dry_run"`
	// Reason says why a version is refused.
	Reason string `json:"reason,omitempty"`
	// Version is the version stored (or that would be stored); Previous
	// the current version before, if any.
	Version  *interdict.ListVersion `json:"version,omitempty"`
	Previous *interdict.ListVersion `json:"previous,omitempty"`
	Report   interdict.ImportReport `json:"report"`
	// Diff is the change from Previous to Version (from version 0, all
	// added, for a new list); its Changes are cut to the first 1,000.
	Diff          *interdict.ListDiff `json:"diff,omitempty"`
	DiffTruncated bool                `json:"diff_truncated,omitempty"`
}

// ListImporter imports versions of the institution's own lists, with the
// checks of every list import (strict reading, the 80% shrink guard,
// checksums) and a diff against the current version. ImportList returns
// EINVALID for a bad list name or a file that cannot be read at all and
// ECONFLICT when Base is not the current version; a refused version is a
// result with Status "refused", not an error.
type ListImporter interface {
	ImportList(ctx context.Context, u ListUpload) (*ListUploadResult, error)
}

// maxUploadDiffRows is the most changes an upload result carries.
const maxUploadDiffRows = 1000

// cutDiff cuts res.Diff's changes to maxUploadDiffRows.
func cutDiff(res *ListUploadResult) {
	if res.Diff != nil && len(res.Diff.Changes) > maxUploadDiffRows {
		res.Diff.Changes = res.Diff.Changes[:maxUploadDiffRows]
		res.DiffTruncated = true
	}
}

// uploadFileName names an API upload by its media type when the caller
// gives no file name, so that the reader picks the format.
func uploadFileName(r *http.Request) (string, error) {
	if n := strings.TrimSpace(r.URL.Query().Get("filename")); n != "" {
		return filepath.Base(n), nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "text/csv", "text/plain", "":
		return "upload.csv", nil
	case "text/tab-separated-values":
		return "upload.tsv", nil
	case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		return "upload.xlsx", nil
	case "application/x-ndjson", "application/jsonl", "application/json":
		return "upload.jsonl", nil
	case "application/gzip":
		return "upload.gz", nil
	}
	return "", problemf(http.StatusUnsupportedMediaType, "Content-Type %s cannot be read: send text/csv, an XLSX workbook or application/x-ndjson.", truncate(mt, 60))
}

// handleListUpload is POST /v1/lists/{list}: the body is the file of a new
// version of one of the institution's own lists. Query parameters: title,
// filename, dry_run and force (true or false), base (the version the
// upload was previewed against). It answers 201 with the result for an
// imported version, 200 for a dry run or an unchanged one, and 422 for a
// refused one. It is for administrators (accessAdmin), as the upload
// form is.
func (s *Server) handleListUpload(w http.ResponseWriter, r *http.Request) {
	if s.ListImporter == nil {
		s.writeError(w, r, newProblem(http.StatusServiceUnavailable, "This server does not import lists."))
		return
	}
	q := r.URL.Query()
	for k := range q {
		switch k {
		case "title", "filename", "dry_run", "force", "base":
		default:
			s.writeError(w, r, problemf(http.StatusBadRequest, "Unknown parameter %q; use title, filename, dry_run, force and base.", truncate(k, 40)))
			return
		}
	}
	u := ListUpload{List: r.PathValue("list"), Title: strings.TrimSpace(q.Get("title"))}
	var err error
	if u.DryRun, err = boolParam(q.Get("dry_run"), "dry_run"); err == nil {
		u.Force, err = boolParam(q.Get("force"), "force")
	}
	if err == nil && q.Has("base") {
		n, perr := strconv.Atoi(q.Get("base"))
		if perr != nil || n < 0 {
			err = problemf(http.StatusBadRequest, "Parameter base must be a version number (0 for a new list).")
		}
		u.Base = &n
	}
	if err == nil && len(u.Title) > 200 {
		err = problemf(http.StatusBadRequest, "Parameter title is longer than 200 bytes.")
	}
	if err == nil {
		u.FileName, err = uploadFileName(r)
	}
	if err == nil {
		u.Data, err = s.readUpload(w, r.Body)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.ListImporter.ImportList(r.Context(), u)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cutDiff(res)
	status := http.StatusOK
	switch res.Status {
	case UploadImported:
		status = http.StatusCreated
	case UploadRefused:
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, res)
}

func boolParam(v, name string) (bool, error) {
	switch v {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, problemf(http.StatusBadRequest, "Parameter %s must be true or false.", name)
}

// readUpload reads an uploaded file within MaxUploadBytes.
func (s *Server) readUpload(w http.ResponseWriter, body io.Reader) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, io.NopCloser(body), s.MaxUploadBytes))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, problemf(http.StatusRequestEntityTooLarge, "The file is larger than the limit of %d MiB.", s.MaxUploadBytes>>20)
	case err != nil:
		return nil, newProblem(http.StatusBadRequest, "The file could not be read.")
	case len(b) == 0:
		return nil, newProblem(http.StatusBadRequest, "The file is empty.")
	}
	return b, nil
}

// pendingUpload is a file uploaded on the web UI, read and shown as a
// diff, waiting for the user to confirm it.
type pendingUpload struct {
	id      string
	owner   string
	upload  ListUpload
	base    int
	created time.Time
}

// uploads keeps the web UI's pending uploads in memory: at most
// maxPendingUploads, each for pendingUploadTTL. A restart forgets them
// (the user uploads the file again).
type uploads struct {
	mu      sync.Mutex
	pending map[string]*pendingUpload
}

const (
	maxPendingUploads = 8
	pendingUploadTTL  = 30 * time.Minute
)

func (u *uploads) put(p *pendingUpload, now time.Time) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.pending == nil {
		u.pending = map[string]*pendingUpload{}
	}
	var oldest *pendingUpload
	for id, q := range u.pending {
		if now.Sub(q.created) > pendingUploadTTL {
			delete(u.pending, id)
		} else if oldest == nil || q.created.Before(oldest.created) {
			oldest = q
		}
	}
	if len(u.pending) >= maxPendingUploads && oldest != nil {
		delete(u.pending, oldest.id)
	}
	u.pending[p.id] = p
}

// take removes and returns the pending upload id of owner, or nil.
func (u *uploads) take(id, owner string, now time.Time) *pendingUpload {
	u.mu.Lock()
	defer u.mu.Unlock()
	p := u.pending[id]
	if p == nil || p.owner != owner || now.Sub(p.created) > pendingUploadTTL {
		return nil
	}
	delete(u.pending, id)
	return p
}

// uploadPage is the data of the upload page: the form, or the preview of
// an uploaded file with its confirm button, or the outcome.
type uploadPage struct {
	page
	List, Title string
	Pending     string
	Result      *ListUploadResult
	Error       string
}

func (s *Server) uiListUploadForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "listupload", "layout", uploadPage{page: s.page(r, "lists"), List: r.URL.Query().Get("list")})
}

func ownerOf(r *http.Request) string {
	if u := UserFrom(r.Context()); u != nil {
		return u.Name
	}
	return ""
}

// uiListUploadPreview reads an uploaded file as a dry run and shows the
// diff against the current version, with a button to confirm.
func (s *Server) uiListUploadPreview(w http.ResponseWriter, r *http.Request) {
	data := uploadPage{page: s.page(r, "lists")}
	fail := func(status int, msg string) {
		data.Error = msg
		s.render(w, r, status, "listupload", "layout", data)
	}
	if s.ListImporter == nil {
		fail(http.StatusServiceUnavailable, "This server does not import lists.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.MaxUploadBytes)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			fail(http.StatusRequestEntityTooLarge, "The file is larger than the limit.")
			return
		}
		fail(http.StatusBadRequest, "Choose a CSV, XLSX or JSON-lines file to upload.")
		return
	}
	defer f.Close()
	data.List, data.Title = strings.TrimSpace(r.FormValue("list")), strings.TrimSpace(r.FormValue("title"))
	in, err := io.ReadAll(f)
	if err != nil || len(in) == 0 {
		fail(http.StatusBadRequest, "The file is empty or could not be read.")
		return
	}
	up := ListUpload{List: data.List, Title: data.Title, FileName: filepath.Base(hdr.Filename), Data: in, DryRun: true,
		Force: r.FormValue("force") != ""}
	res, err := s.ListImporter.ImportList(r.Context(), up)
	if err != nil {
		p := toProblem(err)
		if p.Status >= 500 {
			s.writeHTMLError(w, r, err)
			return
		}
		fail(p.Status, p.Detail)
		return
	}
	cutDiff(res)
	data.Result = res
	if res.Status == UploadPreview {
		base := 0
		if res.Previous != nil {
			base = res.Previous.Version
		}
		p := &pendingUpload{id: newRequestID(), owner: ownerOf(r), upload: up, base: base, created: s.Now()}
		s.uploads.put(p, s.Now())
		data.Pending = p.id
	}
	s.render(w, r, http.StatusOK, "listupload", "layout", data)
}

// uiListUploadConfirm imports a previewed upload, unless the list changed
// since the preview.
func (s *Server) uiListUploadConfirm(w http.ResponseWriter, r *http.Request) {
	p := s.uploads.take(r.PathValue("upload"), ownerOf(r), s.Now())
	if p == nil {
		s.writeHTMLError(w, r, problemf(http.StatusNotFound, "No upload waiting for confirmation: it was confirmed already or is older than %d minutes; upload the file again.", int(pendingUploadTTL.Minutes())))
		return
	}
	up := p.upload
	up.DryRun, up.Base = false, &p.base
	res, err := s.ListImporter.ImportList(r.Context(), up)
	if err != nil {
		s.writeHTMLError(w, r, err)
		return
	}
	cutDiff(res)
	s.render(w, r, http.StatusOK, "listupload", "layout", uploadPage{page: s.page(r, "lists"), List: up.List, Title: up.Title, Result: res})
}
