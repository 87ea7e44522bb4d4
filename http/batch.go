package http

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/batch"
	"github.com/interdict/interdict/screen"
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

// uiBatchUpload reads an uploaded file (CSV in any dialect, XLSX or JSON
// lines, as package batch reads them), starts screening it in
// the background and sends the browser to the job's page.
func (s *Server) uiBatchUpload(w http.ResponseWriter, r *http.Request) {
	// The upload counts against a batch slot before a byte of it is read:
	// files being uploaded, parsed and screened are bounded together.
	select {
	case s.batchSlots <- struct{}{}:
	default:
		s.writeHTMLError(w, r, problemf(http.StatusTooManyRequests, "%d batches are running already; try again when one has finished.", cap(s.batchSlots)))
		return
	}
	handedOff := false
	defer func() {
		if !handedOff {
			<-s.batchSlots
		}
	}()
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
	total, err := checkUpload(input, hdr.Filename, s.MaxBatchLines)
	if err != nil {
		s.writeHTMLError(w, r, err)
		return
	}
	snap, err := s.ready(w)
	if err != nil {
		s.writeHTMLError(w, r, err)
		return
	}
	owner := ""
	if u := UserFrom(r.Context()); u != nil {
		owner = u.Name
	}
	j := &interdict.Job{Kind: jobKind, Owner: owner, Input: filepath.Base(hdr.Filename), Total: total}
	if err := s.Jobs.CreateJob(r.Context(), j, input); err != nil {
		s.writeHTMLError(w, r, err)
		return
	}
	handedOff = true
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer func() { <-s.batchSlots }()
		s.runJob(s.ctx, snap, j, input)
	}()
	http.Redirect(w, r, "/batch/"+j.ID, http.StatusSeeOther)
}

// jobClaimer is a JobStore shared by several servers (PostgreSQL): each
// unfinished job is leased to the server running it, and ClaimJob takes
// over, for exactly one server, a job whose holder has stopped.
type jobClaimer interface {
	ClaimJob(ctx context.Context, id string) (bool, error)
}

// ResumeJobs runs again, from their stored input, the web UI's batch jobs
// that a stop of the server cut off, on the current index. Call it once
// the screening service is ready. With a job store shared by several
// servers (one that implements ClaimJob), it runs only the jobs it claims,
// those whose server has stopped, and may be called again at intervals to
// take over the jobs of a server that died. It returns the number of jobs
// resumed.
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
		select { // wait for a slot: resumed jobs run as uploaded ones do
		case s.batchSlots <- struct{}{}:
		case <-ctx.Done():
			return n, ctx.Err()
		}
		ok, input, err := s.claimInput(ctx, j)
		if err != nil || !ok {
			<-s.batchSlots
			if err != nil {
				return n, err
			}
			continue
		}
		s.Logger.Info("batch job resumed", "job", j.ID, "rows", j.Total)
		n++
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() { <-s.batchSlots }()
			s.runJob(s.ctx, snap, j, input)
		}()
	}
	return n, nil
}

// claimInput takes job j over for this server and reads its input: with
// a shared job store only a job whose server has stopped, and only for one
// server; with a store of this server's own, any job it finds unfinished.
// A job whose stored input can no longer be read is recorded failed and
// not taken.
func (s *Server) claimInput(ctx context.Context, j *interdict.Job) (bool, []byte, error) {
	if c, ok := s.Jobs.(jobClaimer); ok {
		if ok, err := c.ClaimJob(ctx, j.ID); err != nil || !ok {
			return false, nil, err
		}
	}
	input, err := s.Jobs.FindJobInput(ctx, j.ID)
	if err != nil {
		return false, nil, err
	}
	total, err := checkUpload(input, j.Input, s.MaxBatchLines)
	if err != nil {
		_, err := s.Jobs.UpdateJob(ctx, j.ID, interdict.JobUpdate{State: interdict.JobFailed, Total: j.Total, Failure: "The stored file can no longer be read: " + toProblem(err).Detail})
		return false, nil, err
	}
	j.Total = total
	return true, input, nil
}

// jobProgressEvery is how often a running job's progress is stored.
const jobProgressEvery = 250 * time.Millisecond

// indexScreener screens through the service on one index: every row of a
// job on the index the job started with.
type indexScreener struct {
	s  *screen.Service
	ix *screen.Index
}

func (x indexScreener) Screen(ctx context.Context, q interdict.Query) (*interdict.ScreenResult, error) {
	return x.s.ScreenWith(ctx, q, screen.ScreenOptions{Index: x.ix})
}

// jobWriter writes a job's result rows and counts them as they go: the
// rows, alerts and error rows, and each screening in the metrics. It
// stops the job with a clear error beyond max rows.
type jobWriter struct {
	batch.Writer
	s                    *Server
	max                  int
	rows, alerts, errors int
}

func (w *jobWriter) WriteRow(r batch.Row) error {
	if w.rows == w.max {
		return errTooManyRows{w.max}
	}
	if err := w.Writer.WriteRow(r); err != nil {
		return err
	}
	w.rows++
	switch {
	case r.Err != nil:
		w.errors++
	case r.Result != nil:
		w.s.metrics.screened(r.Result)
		if r.Result.Alert {
			w.alerts++
		}
	}
	return nil
}

type errTooManyRows struct{ max int }

func (e errTooManyRows) Error() string {
	return fmt.Sprintf("The file has more than %d rows; split it.", e.max)
}

// runJob screens the stored input of job j with package batch, on snap,
// storing its progress as it goes and its results CSV (the input's
// columns, then batch.ResultColumns) at the end. If ctx ends first (the
// server stops), the job is left running in the store, to be resumed by
// ResumeJobs at the next start.
func (s *Server) runJob(ctx context.Context, snap *screen.Index, j *interdict.Job, input []byte) {
	store := context.WithoutCancel(ctx)
	u := interdict.JobUpdate{State: interdict.JobRunning, Total: j.Total}
	update := func() bool {
		if _, err := s.Jobs.UpdateJob(store, j.ID, u); err != nil {
			s.Logger.Error("batch job progress", "job", j.ID, "err", err.Error())
			return false
		}
		return true
	}
	fail := func(msg string) {
		u.State, u.Failure = interdict.JobFailed, msg
		update()
	}
	if !update() {
		return
	}
	rd, err := batch.Open(bytes.NewReader(input), j.Input, batch.ReadOptions{})
	if err != nil {
		fail("The stored file can no longer be read: " + err.Error())
		return
	}
	defer rd.Close()
	var results bytes.Buffer
	bw, err := batch.NewWriter(&results, "csv", rd.Header())
	if err != nil {
		fail("The results could not be written.")
		return
	}
	wr := &jobWriter{Writer: bw, s: s, max: s.MaxBatchLines}
	last := time.Now()
	ro := batch.RunOptions{Check: s.Service.CheckOptions(), Workers: max(runtime.GOMAXPROCS(0)/2, 1),
		Progress: func(batch.Progress) {
			if time.Since(last) >= jobProgressEvery {
				u.Done, u.Alerts, u.Errors = wr.rows, wr.alerts, wr.errors
				update()
				last = time.Now()
			}
		}}
	_, err = batch.Run(ctx, rd, indexScreener{s: s.Service, ix: snap}, wr, ro)
	if ctx.Err() != nil {
		return
	}
	u.Done, u.Alerts, u.Errors = wr.rows, wr.alerts, wr.errors
	if err != nil {
		var tm errTooManyRows
		if errors.As(err, &tm) {
			fail(tm.Error())
			return
		}
		s.Logger.Error("batch job", "job", j.ID, "err", err.Error())
		fail("The file could not be screened to the end: " + err.Error())
		return
	}
	if err := wr.Close(); err != nil {
		fail("The results could not be written.")
		return
	}
	if err := s.Jobs.SetJobResult(store, j.ID, results.Bytes()); err != nil {
		s.Logger.Error("batch job result", "job", j.ID, "err", err.Error())
		fail("The results could not be stored.")
		return
	}
	u.State = interdict.JobDone
	update()
}

// checkUpload reads an uploaded batch file as batch.Open does and counts
// its records. It returns a 400 problem when the file cannot be read or
// has no name column or no records, and a 413 problem when it has more
// than limit records.
func checkUpload(input []byte, filename string, limit int) (int, error) {
	rd, err := batch.Open(bytes.NewReader(input), filepath.Base(filename), batch.ReadOptions{})
	if err != nil {
		return 0, newProblem(http.StatusBadRequest, "The file cannot be read: "+err.Error())
	}
	defer rd.Close()
	n := 0
	for {
		_, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, newProblem(http.StatusBadRequest, "The file cannot be read to the end: "+err.Error())
		}
		if n == limit {
			return 0, problemf(http.StatusRequestEntityTooLarge, "The file has more than %d rows; split it.", limit)
		}
		n++
	}
	if n == 0 {
		return 0, newProblem(http.StatusBadRequest, "The file has no data rows.")
	}
	return n, nil
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
