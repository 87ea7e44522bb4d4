package http

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/screen"
)

// openAPI is the OpenAPI 3.1 document of API version 1, written by hand and
// checked against the routes and responses by the tests.
//
//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the OpenAPI 3.1 document served at /openapi.json.
func OpenAPI() []byte { return bytes.Clone(openAPI) }

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(openAPI)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.BuildVersion})
}

// Readiness is the body of GET /readyz when the server is ready.
type Readiness struct {
	Status   string         `json:"status"`
	Entities int            `json:"entities"`
	Names    int            `json:"names"`
	BuiltAt  time.Time      `json:"built_at"`
	Lists    map[string]int `json:"lists"`
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	snap, err := s.ready(w)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	rd := Readiness{Status: "ready", Entities: snap.Entities, Names: snap.Names, BuiltAt: snap.BuiltAt.UTC(), Lists: map[string]int{}}
	for _, v := range snap.Versions {
		rd.Lists[v.List] = v.Version
	}
	writeJSON(w, http.StatusOK, rd)
}

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	s.metrics.handler.ServeHTTP(w, r)
}

// ScreenRequest is the body of POST /v1/screen and each line of POST
// /v1/screen/batch: a query and, with Strict, the demand that every field
// be read (422 instead of a warning).
type ScreenRequest struct {
	interdict.Query
	Strict bool `json:"strict,omitempty"`
}

func (s *Server) handleScreenPost(w http.ResponseWriter, r *http.Request) {
	var req ScreenRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.screenOne(w, r, req)
}

func (s *Server) handleScreenGet(w http.ResponseWriter, r *http.Request) {
	req, err := queryFromURL(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.screenOne(w, r, req)
}

func (s *Server) screenOne(w http.ResponseWriter, r *http.Request, req ScreenRequest) {
	if err := limitQuery(&req.Query); err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.screen(r, nil, req)
	if err == nil {
		err = s.auditScreen(r.Context(), "api", req.Query, res)
	}
	if err != nil {
		if interdict.ErrorCode(err) == interdict.EUNAVAILABLE {
			w.Header().Set("Retry-After", "5")
		}
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// screen screens one request through the service, on snap (nil: the
// current index), and counts it. An invalid query is a 422 problem naming
// its fields.
func (s *Server) screen(r *http.Request, snap *screen.Index, req ScreenRequest) (*interdict.ScreenResult, error) {
	res, err := s.Service.ScreenWith(r.Context(), req.Query, screen.ScreenOptions{Strict: req.Strict, Index: snap})
	if err != nil {
		return nil, s.invalidQuery(req.Query, err)
	}
	s.metrics.screened(res)
	return res, nil
}

// invalidQuery turns the service's EINVALID for q into a 422 problem that
// lists each field it could not read; any other error is returned as it is.
func (s *Server) invalidQuery(q interdict.Query, err error) error {
	if interdict.ErrorCode(err) != interdict.EINVALID {
		return err
	}
	msg := interdict.ErrorMessage(err)
	p := newProblem(http.StatusUnprocessableEntity, "Invalid query: "+msg)
	if _, warns, _ := s.Service.Check(q, false); len(warns) > 0 {
		for _, w := range warns {
			p.Errors = append(p.Errors, FieldError{Field: w.Field, Message: w.Message})
		}
	} else if f, m, ok := strings.Cut(strings.TrimPrefix(msg, "field "), ": "); ok && strings.HasPrefix(msg, "field ") {
		p.Errors = []FieldError{{Field: f, Message: m}}
	}
	return p
}

// batchLine is one line of a batch response: the result of the line's
// query, or the problem with it.
type batchLine struct {
	Line int `json:"line"`
	*interdict.ScreenResult
	Error *Problem `json:"error,omitempty"`
}

// errorLine is a batch response line that reports a problem only: a limit
// reached or a request that ran out of time.
type errorLine struct {
	Line  int      `json:"line"`
	Error *Problem `json:"error"`
}

// handleScreenBatch screens NDJSON: one query per line in, one result per
// line out, in order, streamed both ways (see streamBatch). Every line is
// screened on the index the batch started with.
func (s *Server) handleScreenBatch(w http.ResponseWriter, r *http.Request) {
	if err := checkContentType(r, ndjsonTypes...); err != nil {
		s.writeError(w, r, err)
		return
	}
	snap, err := s.ready(w)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var digest batchDigest
	s.streamBatch(w, r, func(n int, line []byte) any {
		out := s.screenLine(r, snap, n, line)
		digest.add(n, out.ScreenResult)
		return out
	})
	if err := s.auditBatch(context.WithoutCancel(r.Context()), &digest); err != nil {
		s.logger(r).Error("audit batch", "err", err.Error())
	}
}

// streamBatch runs an NDJSON batch: it reads the request body line by
// line and writes, for each non-empty line, the value that do returns for
// it, in order, flushing whenever the client has sent nothing further so
// that a client may wait for each answer before it sends the next line. A
// line that do cannot handle is do's to report (as an error line); the
// batch stops with an error line when a line, the body or the number of
// lines exceeds its limit, or the batch runs out of time. At most
// MaxBatches batches run at once; more get 429 before anything is read.
func (s *Server) streamBatch(w http.ResponseWriter, r *http.Request, do func(n int, line []byte) any) {
	select {
	case s.batchSlots <- struct{}{}:
		defer func() { <-s.batchSlots }()
	default:
		w.Header().Set("Retry-After", "5")
		s.writeError(w, r, problemf(http.StatusTooManyRequests, "%d batches are running already; retry when one has finished.", cap(s.batchSlots)))
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.EnableFullDuplex()
	body := http.MaxBytesReader(w, r.Body, s.MaxBatchBytes)
	in := bufio.NewReaderSize(body, 64<<10)
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	out := bufio.NewWriterSize(w, 32<<10)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	emit := func(v any) bool {
		if err := enc.Encode(v); err != nil {
			return false
		}
		if in.Buffered() == 0 { // the client may be waiting for this line before sending more
			if out.Flush() != nil || rc.Flush() != nil {
				return false
			}
		}
		return true
	}
	fail := func(line int, p *Problem) {
		p.RequestID = requestID(r.Context())
		emit(errorLine{Line: line, Error: p})
	}
	defer func() {
		_ = out.Flush()
		_ = rc.Flush()
	}()
	lineNo, items := 0, 0
	for {
		if err := r.Context().Err(); err != nil {
			fail(lineNo+1, newProblem(http.StatusServiceUnavailable, "The batch took longer than the time allowed and was stopped."))
			return
		}
		line, err := readLine(in, s.MaxLineBytes)
		if len(line) > 0 || err == nil || errors.Is(err, errLineTooLong) {
			lineNo++
		}
		if errors.Is(err, errLineTooLong) {
			fail(lineNo, problemf(http.StatusRequestEntityTooLarge, "Line %d is longer than the limit of %d bytes; the batch stops here.", lineNo, s.MaxLineBytes))
			return
		}
		if err != nil && err != io.EOF {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				fail(lineNo, problemf(http.StatusRequestEntityTooLarge, "The batch is larger than the limit of %d bytes; it stops here.", mbe.Limit))
			} else {
				s.logger(r).Debug("batch read", "err", err.Error())
			}
			return
		}
		if len(bytes.TrimSpace(line)) > 0 {
			items++
			if items > s.MaxBatchLines {
				fail(lineNo, problemf(http.StatusRequestEntityTooLarge, "A batch holds at most %d lines; the batch stops here.", s.MaxBatchLines))
				return
			}
			if !emit(do(lineNo, line)) {
				return
			}
		}
		if err == io.EOF {
			return
		}
	}
}

var ndjsonTypes = []string{"application/x-ndjson", "application/ndjson", "application/jsonl", "application/json-seq"}

// decodeLine decodes batch line n, which must hold exactly one JSON object
// with no field that v does not have, into v.
func (s *Server) decodeLine(n int, line []byte, v any) *Problem {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, e := dec.Token(); e != io.EOF {
			return lineProblem(n, newProblem(http.StatusBadRequest, "A line must hold exactly one JSON object."))
		}
		return nil
	}
	return lineProblem(n, s.jsonProblem(err))
}

// lineProblem is err as a problem whose detail names batch line n. It
// copies the problem, so that a shared one is never modified.
func lineProblem(n int, err error) *Problem {
	p := *toProblem(err)
	p.Detail = "Line " + itoa(n) + ": " + p.Detail
	return &p
}

func (s *Server) screenLine(r *http.Request, snap *screen.Index, n int, line []byte) batchLine {
	var req ScreenRequest
	if p := s.decodeLine(n, line, &req); p != nil {
		return batchLine{Line: n, Error: p}
	}
	if err := limitQuery(&req.Query); err != nil {
		return batchLine{Line: n, Error: lineProblem(n, err)}
	}
	res, err := s.screen(r, snap, req)
	if err != nil {
		if interdict.ErrorCode(err) == interdict.EINVALID || toProblem(err).Status == http.StatusUnprocessableEntity {
			return batchLine{Line: n, Error: lineProblem(n, err)}
		}
		p := *toProblem(err)
		if p.Status >= 500 {
			s.logger(r).Error("batch screen", "line", n, "err", err.Error())
		}
		return batchLine{Line: n, Error: &p}
	}
	return batchLine{Line: n, ScreenResult: res}
}

var errLineTooLong = errors.New("line too long")

// readLine reads one line without its end, refusing lines longer than max.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(buf)+len(chunk) > max+2 {
			// Skip the rest of the line so that the error is reported once.
			return nil, errLineTooLong
		}
		buf = append(buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		buf = bytes.TrimRight(buf, "\r\n")
		return buf, err
	}
}

// EntityResponse is the body of GET /v1/entities/{id}: the entity from the
// current version of its list, with that version.
type EntityResponse struct {
	*interdict.Entity
	ListVersion   int    `json:"list_version"`
	ListPublished string `json:"list_published,omitempty"`
}

func (s *Server) handleEntity(w http.ResponseWriter, r *http.Request) {
	e, v, err := s.findEntity(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, EntityResponse{Entity: e, ListVersion: v.Version, ListPublished: v.Published})
}

func (s *Server) findEntity(r *http.Request) (*interdict.Entity, *interdict.ListVersion, error) {
	id := r.PathValue("id")
	if _, _, ok := interdict.SplitEntityID(id); !ok || len(id) > 300 {
		return nil, nil, problemf(http.StatusNotFound, "No entity %q: IDs look like ofac-sdn:36 (list, colon, the list's own id).", truncate(id, 60))
	}
	return s.Lists.FindEntityByID(r.Context(), id)
}

// ListStatus is one list in GET /v1/lists.
type ListStatus struct {
	interdict.ListInfo
	// Current is the current version in the store, nil if the list was
	// never imported.
	Current *interdict.ListVersion `json:"current,omitempty"`
	// Loaded is the version the screening index holds (0 for none); it
	// lags Current until the next reload.
	Loaded int `json:"loaded"`
	// Versions are the stored version numbers, newest first.
	Versions []int `json:"versions"`
	// AgeSeconds is the time since the current version was published (or,
	// if the list gives no date, imported).
	AgeSeconds float64 `json:"age_seconds,omitempty"`
	// MaxAgeSeconds is the age past which the list is stale; Stale is true
	// when the current version is older.
	MaxAgeSeconds float64 `json:"max_age_seconds,omitempty"`
	Stale         bool    `json:"stale,omitempty"`
}

// ListsResponse is the body of GET /v1/lists.
type ListsResponse struct {
	Lists []ListStatus `json:"lists"`
}

func (s *Server) listStatus(r *http.Request) (*ListsResponse, error) {
	vs, err := s.Lists.FindListVersions(r.Context(), "")
	if err != nil {
		return nil, err
	}
	snap := s.Service.Current()
	now := s.Now()
	out := &ListsResponse{Lists: []ListStatus{}}
	// The official lists, then the institution's own in name order, titled
	// by their current version's publisher (the title given on import).
	infos := append([]interdict.ListInfo(nil), interdict.Lists...)
	own := map[string]string{}
	for _, v := range vs {
		if _, official := interdict.LookupList(v.List); !official && (v.Current || own[v.List] == "") {
			own[v.List] = v.Publisher
		}
	}
	for _, l := range slices.Sorted(maps.Keys(own)) {
		infos = append(infos, interdict.ListInfo{ID: l, Name: own[l], Publisher: "internal"})
	}
	for _, info := range infos {
		st := ListStatus{ListInfo: info, Versions: []int{}}
		for _, v := range vs {
			if v.List != info.ID {
				continue
			}
			st.Versions = append(st.Versions, v.Version)
			if v.Current {
				c := *v
				c.Report.Issues = nil // GET /v1/lists/{list}/versions would carry them
				st.Current = &c
				st.AgeSeconds = listAge(&c, now).Seconds()
				maxAge := interdict.DefaultMaxAge
				if s.MaxAge != nil {
					maxAge = s.MaxAge
				}
				st.MaxAgeSeconds = maxAge(info.ID).Seconds()
				st.Stale = st.AgeSeconds > st.MaxAgeSeconds
			}
		}
		if snap != nil {
			st.Loaded = snap.Version(info.ID)
		}
		if len(st.Versions) > 0 {
			out.Lists = append(out.Lists, st)
		}
	}
	return out, nil
}

// listAge is the time since a version was published, or imported when the
// list gives no publication date.
func listAge(v *interdict.ListVersion, now time.Time) time.Duration {
	if v.Published != "" {
		if t, err := time.Parse("2006-01-02", v.Published); err == nil {
			return now.Sub(t)
		}
	}
	return now.Sub(v.ImportedAt)
}

func (s *Server) handleLists(w http.ResponseWriter, r *http.Request) {
	out, err := s.listStatus(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// diff reads the versions of a diff request: to defaults to the current
// version and from to the one before to.
func (s *Server) diff(r *http.Request) (*interdict.ListDiff, error) {
	list := r.PathValue("list")
	if _, ok := interdict.LookupList(list); !ok {
		// A list of the institution's own is known by its versions.
		if vs, err := s.Lists.FindListVersions(r.Context(), list); err != nil || len(vs) == 0 {
			return nil, problemf(http.StatusNotFound, "No list %q.", truncate(list, 40))
		}
	}
	q := r.URL.Query()
	for k := range q {
		if k != "from" && k != "to" {
			return nil, problemf(http.StatusBadRequest, "Unknown parameter %q; use from and to.", truncate(k, 40))
		}
	}
	from, err := intParam(q, "from")
	if err != nil {
		return nil, err
	}
	to, err := intParam(q, "to")
	if err != nil {
		return nil, err
	}
	if to == 0 {
		vs, err := s.Lists.FindListVersions(r.Context(), list)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if v.Current {
				to = v.Version
			}
		}
		if to == 0 {
			return nil, problemf(http.StatusNotFound, "List %s has no current version.", list)
		}
	}
	if from == 0 {
		from = to - 1
		if from < 1 {
			return nil, problemf(http.StatusNotFound, "List %s has no version before %d to compare with.", list, to)
		}
	}
	old, err := s.Lists.FindEntities(r.Context(), list, from)
	if err != nil {
		return nil, err
	}
	cur, err := s.Lists.FindEntities(r.Context(), list, to)
	if err != nil {
		return nil, err
	}
	return interdict.DiffEntities(list, from, to, old, cur), nil
}

func (s *Server) handleListDiff(w http.ResponseWriter, r *http.Request) {
	d, err := s.diff(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// CompareRequest is the body of POST /v1/compare: two names and, optionally,
// the kind of party both are, as `interdict compare` takes them.
type CompareRequest struct {
	Name1 string         `json:"name1"`
	Name2 string         `json:"name2"`
	Type  interdict.Kind `json:"type,omitempty"`
}

// CompareResponse is the body of a POST /v1/compare answer.
type CompareResponse struct {
	Name1 string         `json:"name1"`
	Name2 string         `json:"name2"`
	Type  interdict.Kind `json:"type,omitempty"`
	screen.Comparison
}

func (s *Server) handleCompare(w http.ResponseWriter, r *http.Request) {
	var req CompareRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	a := interdict.Query{Name: strings.TrimSpace(req.Name1), Kind: req.Type}
	b := interdict.Query{Name: strings.TrimSpace(req.Name2), Kind: req.Type}
	var errs []FieldError
	for _, c := range []struct {
		q     *interdict.Query
		field string
	}{{&a, "name1"}, {&b, "name2"}} {
		if err := limitQuery(c.q); err != nil {
			for _, fe := range toProblem(err).Errors {
				fe.Field = c.field
				errs = append(errs, fe)
			}
		} else if c.q.Name == "" {
			errs = append(errs, FieldError{Field: c.field, Message: "is required"})
		}
	}
	if len(errs) > 0 {
		p := newProblem(http.StatusUnprocessableEntity, "Invalid comparison: "+errs[0].Field+" "+errs[0].Message+".")
		p.Errors = errs
		s.writeError(w, r, p)
		return
	}
	c, err := s.Service.Compare(r.Context(), a, b)
	if err != nil {
		s.writeError(w, r, s.invalidQuery(a, err))
		return
	}
	if k, ok := interdict.ParseKind(string(a.Kind)); ok {
		a.Kind = k
	}
	writeJSON(w, http.StatusOK, CompareResponse{Name1: a.Name, Name2: b.Name, Type: a.Kind, Comparison: c})
}
