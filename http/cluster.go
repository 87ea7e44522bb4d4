package http

import (
	"context"
	"net/http"
	"strconv"

	"github.com/interdict/interdict"
)

// Rescreens runs and reports the re-screening runs of a cluster, split
// into pages that every replica screens (internal/cli's coordinator).
type Rescreens interface {
	// StartRescreen starts a run (full: against every entity) as actor.
	// Returns ECONFLICT while another run is led.
	StartRescreen(ctx context.Context, actor string, full bool) (*interdict.RescreenRun, error)
	// FindRescreenRuns returns the latest runs with their progress, newest
	// first.
	FindRescreenRuns(ctx context.Context, limit int) ([]*interdict.RescreenRun, error)
	// FindRescreenRun returns one run with its progress.
	FindRescreenRun(ctx context.Context, id string) (*interdict.RescreenRun, error)
}

// RescreenRequest starts a re-screening run.
type RescreenRequest struct {
	// Full screens every party against every entity; otherwise only the
	// parties that could match an entity changed since the last run.
	Full bool `json:"full"`
}

// RescreensResponse lists runs.
type RescreensResponse struct {
	Runs []*interdict.RescreenRun `json:"runs"`
}

func (s *Server) rescreenRoutes() []route {
	return []route{
		{pattern: "GET /v1/rescreens", api: true, access: accessAlerts, handler: s.handleRescreens},
		{pattern: "POST /v1/rescreens", api: true, access: accessAdmin, handler: s.handleRescreenStart},
		{pattern: "GET /v1/rescreens/{id}", api: true, access: accessAlerts, handler: s.handleRescreen},
		{pattern: "GET /rescreens", access: accessAlerts, handler: s.uiRescreens},
	}
}

func (s *Server) rescreens() (Rescreens, error) {
	if s.Rescreens == nil {
		return nil, newProblem(http.StatusServiceUnavailable, "This server is not a replica of a cluster: re-screening runs on its own ('interdict rescreen').")
	}
	return s.Rescreens, nil
}

func (s *Server) handleRescreens(w http.ResponseWriter, r *http.Request) {
	rs, err := s.rescreens()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	limit := 20
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			s.writeError(w, r, interdict.Errorf(interdict.EINVALID, "limit must be a number from 1 to 100."))
			return
		}
		limit = n
	}
	runs, err := rs.FindRescreenRuns(r.Context(), limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if runs == nil {
		runs = []*interdict.RescreenRun{}
	}
	writeJSON(w, http.StatusOK, RescreensResponse{Runs: runs})
}

func (s *Server) handleRescreen(w http.ResponseWriter, r *http.Request) {
	rs, err := s.rescreens()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	run, err := rs.FindRescreenRun(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, run)
}

func (s *Server) handleRescreenStart(w http.ResponseWriter, r *http.Request) {
	rs, err := s.rescreens()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req RescreenRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	run, err := rs.StartRescreen(r.Context(), actor(r), req.Full)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/rescreens/"+run.ID)
	writeJSON(w, http.StatusAccepted, run)
}

// uiRescreens shows the latest runs and their progress, refreshed while
// one runs.
func (s *Server) uiRescreens(w http.ResponseWriter, r *http.Request) {
	var runs []*interdict.RescreenRun
	if s.Rescreens != nil {
		var err error
		if runs, err = s.Rescreens.FindRescreenRuns(r.Context(), 20); err != nil {
			s.writeHTMLError(w, r, err)
			return
		}
	}
	running := false
	for _, run := range runs {
		running = running || run.State == interdict.RunRunning
	}
	s.render(w, r, http.StatusOK, "rescreens", "layout", struct {
		page
		Runs    []*interdict.RescreenRun
		Running bool
		Single  bool
	}{s.page(r, "rescreens"), runs, running, s.Rescreens == nil})
}
