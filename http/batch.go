package http

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/screen"
	"github.com/xuri/excelize/v2"
)

// jobKind is the kind of the web UI's batch jobs in the JobStore.
const jobKind = "screen"

// jobView is a job's progress for a template.
type jobView struct {
	ID, File                    string
	Total, Done, Alerts, Errors int
	Finished                    bool
	Elapsed                     time.Duration
	Failure                     string
}

func (s *Server) view(j *interdict.Job) jobView {
	end := s.Now()
	if j.State.Finished() {
		end = j.UpdatedAt
	}
	return jobView{ID: j.ID, File: j.Input, Total: j.Total, Done: j.Done, Alerts: j.Alerts, Errors: j.Errors,
		Finished: j.State.Finished(), Elapsed: end.Sub(j.CreatedAt).Round(time.Millisecond), Failure: j.Failure}
}

// maxJobsListed is the most jobs the batch page lists.
const maxJobsListed = 20

func (s *Server) uiBatch(w http.ResponseWriter, r *http.Request) {
	js, err := s.Jobs.FindJobs(r.Context(), interdict.JobFilter{Limit: maxJobsListed})
	if err != nil {
		s.writeHTMLError(w, r, err)
		return
	}
	views := make([]jobView, 0, len(js))
	for _, j := range js {
		views = append(views, s.view(j))
	}
	s.render(w, r, http.StatusOK, "batch", "layout", struct {
		page
		MaxRows int
		Jobs    []jobView
	}{s.page(r, "batch"), s.MaxBatchLines, views})
}

// uiBatchUpload reads an uploaded CSV or XLSX file, starts screening it in
// the background and sends the browser to the job's page.
func (s *Server) uiBatchUpload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.MaxUploadBytes)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.writeHTMLError(w, r, problemf(http.StatusRequestEntityTooLarge, "The file is larger than the limit of %d MiB.", s.MaxUploadBytes>>20))
			return
		}
		if errors.Is(err, http.ErrNotMultipart) {
			s.writeHTMLError(w, r, newProblem(http.StatusUnsupportedMediaType, "Upload the file as multipart/form-data."))
			return
		}
		s.writeHTMLError(w, r, newProblem(http.StatusBadRequest, "Choose a CSV or XLSX file to upload."))
		return
	}
	defer f.Close()
	input, err := io.ReadAll(f)
	if err != nil {
		s.writeHTMLError(w, r, newProblem(http.StatusBadRequest, "The file could not be read."))
		return
	}
	queries, err := ReadRows(bytes.NewReader(input), hdr.Filename, s.MaxBatchLines)
	if err != nil {
		s.writeHTMLError(w, r, err)
		return
	}
	snap, err := s.ready(w)
	if err != nil {
		s.writeHTMLError(w, r, err)
		return
	}
	select {
	case s.batchSlots <- struct{}{}:
	default:
		s.writeHTMLError(w, r, problemf(http.StatusTooManyRequests, "%d batches are running already; try again when one has finished.", cap(s.batchSlots)))
		return
	}
	owner := ""
	if u := UserFrom(r.Context()); u != nil {
		owner = u.Name
	}
	j := &interdict.Job{Kind: jobKind, Owner: owner, Input: filepath.Base(hdr.Filename), Total: len(queries)}
	if err := s.Jobs.CreateJob(r.Context(), j, input); err != nil {
		<-s.batchSlots
		s.writeHTMLError(w, r, err)
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer func() { <-s.batchSlots }()
		s.runJob(s.ctx, snap, j, queries)
	}()
	http.Redirect(w, r, "/batch/"+j.ID, http.StatusSeeOther)
}

// ResumeJobs runs again, from their stored input, the web UI's batch jobs
// that a stop of the server cut off, on the current index. Call it once
// the screening service is ready. It returns the number of jobs resumed.
func (s *Server) ResumeJobs(ctx context.Context) (int, error) {
	s.Handler()
	snap := s.Service.Current()
	if snap == nil {
		return 0, interdict.Errorf(interdict.EUNAVAILABLE, "The lists are not loaded; batch jobs cannot be resumed yet.")
	}
	var pending []*interdict.Job
	for _, st := range []interdict.JobState{interdict.JobQueued, interdict.JobRunning} {
		js, err := s.Jobs.FindJobs(ctx, interdict.JobFilter{State: st})
		if err != nil {
			return 0, err
		}
		pending = append(pending, js...)
	}
	n := 0
	for _, j := range pending {
		if j.Kind != jobKind {
			continue
		}
		input, err := s.Jobs.FindJobInput(ctx, j.ID)
		if err != nil {
			return n, err
		}
		rows, err := ReadRows(bytes.NewReader(input), j.Input, s.MaxBatchLines)
		if err != nil {
			if _, err := s.Jobs.UpdateJob(ctx, j.ID, interdict.JobUpdate{State: interdict.JobFailed, Total: j.Total, Failure: "The stored file can no longer be read: " + toProblem(err).Detail}); err != nil {
				return n, err
			}
			continue
		}
		s.Logger.Info("batch job resumed", "job", j.ID, "rows", len(rows))
		select { // wait for a slot: resumed jobs run as uploaded ones do
		case s.batchSlots <- struct{}{}:
		case <-ctx.Done():
			return n, ctx.Err()
		}
		n++
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() { <-s.batchSlots }()
			s.runJob(s.ctx, snap, j, rows)
		}()
	}
	return n, nil
}

// resultHeader is the header of a batch's results CSV.
var resultHeader = []string{"row", "id", "name", "type", "dob", "country", "alert", "hits", "top_score", "top_entity_id", "top_list", "top_name", "top_matched_name", "policy", "warnings", "error"}

// jobProgressEvery is how often a running job's progress is stored.
const jobProgressEvery = 250 * time.Millisecond

// runJob screens the rows of job j on snap, storing its progress as it
// goes and its result CSV at the end. If ctx ends first (the server
// stops), the job is left running in the store, to be resumed by
// ResumeJobs at the next start.
func (s *Server) runJob(ctx context.Context, snap *screen.Index, j *interdict.Job, rows []Row) {
	store := context.WithoutCancel(ctx)
	var results bytes.Buffer
	cw := csv.NewWriter(&results)
	_ = cw.Write(resultHeader)
	u := interdict.JobUpdate{State: interdict.JobRunning, Total: len(rows)}
	update := func() bool {
		if _, err := s.Jobs.UpdateJob(store, j.ID, u); err != nil {
			s.Logger.Error("batch job progress", "job", j.ID, "err", err.Error())
			return false
		}
		return true
	}
	if !update() {
		return
	}
	last := time.Now()
	for _, row := range rows {
		if ctx.Err() != nil {
			return
		}
		q := row.Query
		rec := []string{strconv.Itoa(row.Number), q.Ref, q.Name, string(q.Kind), q.DOB, q.Country}
		var res *interdict.ScreenResult
		err := limitQuery(&q)
		if err == nil {
			res, err = s.Service.ScreenWith(ctx, q, screen.ScreenOptions{Index: snap})
		}
		if err != nil {
			p := toProblem(err)
			if p.Status >= 500 {
				s.Logger.Error("batch screen", "job", j.ID, "row", row.Number, "err", err.Error())
			}
			rec = append(rec, "", "", "", "", "", "", "", "", "", p.Detail)
			u.Errors++
		} else {
			s.metrics.screened(res)
			if res.Alert {
				u.Alerts++
			}
			rec = append(rec, strconv.FormatBool(res.Alert), strconv.Itoa(len(res.Hits)))
			if len(res.Hits) > 0 {
				h := res.Hits[0]
				rec = append(rec, strconv.FormatFloat(h.Score, 'f', 3, 64), h.EntityID, h.List, h.Name, h.MatchedName)
			} else {
				rec = append(rec, "", "", "", "", "")
			}
			rec = append(rec, res.Policy, warningCell(res.Warnings), "")
		}
		for i := range rec {
			rec[i] = csvSafe(rec[i])
		}
		_ = cw.Write(rec)
		u.Done++
		if time.Since(last) >= jobProgressEvery {
			update()
			last = time.Now()
		}
	}
	cw.Flush()
	if err := s.Jobs.SetJobResult(store, j.ID, results.Bytes()); err != nil {
		s.Logger.Error("batch job result", "job", j.ID, "err", err.Error())
		u.State, u.Failure = interdict.JobFailed, "The results could not be stored."
		update()
		return
	}
	u.State = interdict.JobDone
	update()
}

// warningCell writes a result's warnings in one cell.
func warningCell(ws []interdict.Warning) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.Field + ": " + w.Message
	}
	return strings.Join(parts, "; ")
}

// csvSafe defuses spreadsheet formulas in values that came from lists or
// uploads (CSV injection): a cell starting with = + - @ or a control
// character gets a leading apostrophe.
func csvSafe(v string) string {
	if v == "" {
		return v
	}
	switch v[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.ParseFloat(v, 64); err == nil {
			return v
		}
		return "'" + v
	}
	return v
}

func (s *Server) batchJob(w http.ResponseWriter, r *http.Request) *interdict.Job {
	j, err := s.Jobs.FindJob(r.Context(), r.PathValue("job"))
	if interdict.ErrorCode(err) == interdict.ENOTFOUND || err == nil && j.Kind != jobKind {
		s.writeHTMLError(w, r, newProblem(http.StatusNotFound, "No such batch; it may have been deleted."))
		return nil
	} else if err != nil {
		s.writeHTMLError(w, r, err)
		return nil
	}
	return j
}

func (s *Server) uiBatchJob(w http.ResponseWriter, r *http.Request) {
	j := s.batchJob(w, r)
	if j == nil {
		return
	}
	v := s.view(j)
	if r.URL.Query().Get("fragment") == "progress" {
		s.render(w, r, http.StatusOK, "job", "progress", v)
		return
	}
	s.render(w, r, http.StatusOK, "job", "layout", struct {
		page
		Job jobView
	}{s.page(r, "batch"), v})
}

func (s *Server) uiBatchResults(w http.ResponseWriter, r *http.Request) {
	j := s.batchJob(w, r)
	if j == nil {
		return
	}
	if !j.State.Finished() {
		s.writeHTMLError(w, r, newProblem(http.StatusConflict, "The batch is still running; download the results when it has finished."))
		return
	}
	b, err := s.Jobs.FindJobResult(r.Context(), j.ID)
	if err != nil {
		s.writeHTMLError(w, r, err)
		return
	}
	name := strings.TrimSuffix(j.Input, filepath.Ext(j.Input)) + "-results.csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", sanitizeFilename(name)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(b)
}

func sanitizeFilename(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == '"' || r == '\\' || r == '/' || r > 0x7e {
			return '_'
		}
		return r
	}, s)
}

// Row is one data row of an uploaded batch file: its number (1 is the
// first row after the header) and the query it holds.
type Row struct {
	Number int
	Query  interdict.Query
}

// ReadRows reads the rows of a batch file: CSV (by default) or XLSX (by
// its .xlsx name or its ZIP signature). The first row is a header naming
// the columns name and, optionally, id, type, dob, country, id_number and
// address, in any order and case. It returns a 400 or 413 problem when the
// file cannot be read, has no name column, or has more than max rows.
func ReadRows(r io.Reader, filename string, max int) ([]Row, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, newProblem(http.StatusBadRequest, "The file could not be read.")
	}
	var next func() ([]string, error)
	if strings.EqualFold(filepath.Ext(filename), ".xlsx") || bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			return nil, newProblem(http.StatusBadRequest, "The file is not a readable XLSX workbook.")
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, newProblem(http.StatusBadRequest, "The workbook has no sheet.")
		}
		rows, err := f.Rows(sheets[0])
		if err != nil {
			return nil, newProblem(http.StatusBadRequest, "The first sheet of the workbook cannot be read.")
		}
		defer rows.Close()
		next = func() ([]string, error) {
			if !rows.Next() {
				if err := rows.Error(); err != nil {
					return nil, err
				}
				return nil, io.EOF
			}
			return rows.Columns()
		}
	} else {
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(b) {
			return nil, newProblem(http.StatusBadRequest, "The CSV file is not UTF-8 text; save it as CSV UTF-8.")
		}
		cr := csv.NewReader(bytes.NewReader(b))
		cr.FieldsPerRecord = -1
		cr.LazyQuotes = true
		if bytes.Count(b[:min(len(b), 4096)], []byte(";")) > bytes.Count(b[:min(len(b), 4096)], []byte(",")) {
			cr.Comma = ';'
		}
		next = cr.Read
	}
	header, err := next()
	if err != nil {
		return nil, newProblem(http.StatusBadRequest, "The file is empty or its header row cannot be read.")
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	if _, ok := col["name"]; !ok {
		return nil, newProblem(http.StatusBadRequest, "The header row has no \"name\" column.")
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	var out []Row
	for n := 1; ; n++ {
		rec, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, problemf(http.StatusBadRequest, "Row %d of the file cannot be read.", n)
			}
			return nil, newProblem(http.StatusBadRequest, "The file cannot be read to the end.")
		}
		if len(strings.Join(rec, "")) == 0 {
			continue
		}
		if len(out) == max {
			return nil, problemf(http.StatusRequestEntityTooLarge, "The file has more than %d rows; split it.", max)
		}
		q := interdict.Query{Name: get(rec, "name"), Kind: interdict.Kind(get(rec, "type")), DOB: get(rec, "dob"), Country: get(rec, "country"),
			IDNumber: get(rec, "id_number"), Address: get(rec, "address"), Ref: get(rec, "id")}
		out = append(out, Row{Number: n, Query: q})
	}
	if len(out) == 0 {
		return nil, newProblem(http.StatusBadRequest, "The file has no data rows.")
	}
	return out, nil
}
