package interdict

import (
	"context"
	"time"
)

// Run states of a distributed re-screening run.
const (
	RunRunning = "running"
	RunDone    = "done"
	RunFailed  = "failed"
)

// RescreenRun is a re-screening of the book split into pages of parties
// that the replicas of a cluster screen from a work queue: its plan, its
// progress and its outcome.
type RescreenRun struct {
	ID    string `json:"id"`
	State string `json:"state"`
	// Full is true for a run against every entity; otherwise only the
	// parties that could match an added or changed entity are screened.
	Full bool `json:"full"`
	// Plan is the run's plan as JSON (the list versions before and after).
	Plan []byte `json:"-"`
	// Actor started the run ("system" for a run after a list update).
	Actor string `json:"actor"`
	// Pages is the number of pages, PagesDone those screened; Parties the
	// parties in the book when the run was planned, PartiesDone those of
	// the pages done, Screened those actually screened.
	Pages       int `json:"pages"`
	PagesDone   int `json:"pages_done"`
	Parties     int `json:"parties"`
	PartiesDone int `json:"parties_done"`
	Screened    int `json:"screened"`
	Alerts      int `json:"alerts"`
	Suppressed  int `json:"suppressed"`
	Pending     int `json:"pending"`
	// Replicas counts the pages done by each replica.
	Replicas   map[string]int `json:"replicas,omitempty"`
	Failure    string         `json:"failure,omitempty"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
	FinishedAt *time.Time     `json:"finished_at,omitempty"`
}

// RescreenPage is one page of a run: the parties whose IDs sort after
// After and up to Through ("" for the end of the book).
type RescreenPage struct {
	Run     string `json:"run"`
	Page    int    `json:"page"`
	After   string `json:"after"`
	Through string `json:"through"`
}

// PageResult is what screening a page did, recorded once.
type PageResult struct {
	Replica    string
	Parties    int
	Screened   int
	Alerts     int
	Suppressed int
	Pending    int
	Digest     string
}

// RescreenRunStore keeps distributed re-screening runs and their pages.
type RescreenRunStore interface {
	// CreateRescreenRun stores a running run with its pages. It sets
	// r.ID when empty, r.State, r.Pages and the times.
	CreateRescreenRun(ctx context.Context, r *RescreenRun, pages []RescreenPage) error
	// FindRescreenRun returns a run with its progress. Returns ENOTFOUND
	// if it does not exist.
	FindRescreenRun(ctx context.Context, id string) (*RescreenRun, error)
	// FindRescreenRuns returns the latest runs, newest first; state ""
	// selects all.
	FindRescreenRuns(ctx context.Context, state string, limit int) ([]*RescreenRun, error)
	// FindOpenPages returns the pages of a run not done yet.
	FindOpenPages(ctx context.Context, run string) ([]RescreenPage, error)
	// CompletePage records a page's result unless it was recorded already
	// (a page screened twice counts once); it reports whether it did.
	CompletePage(ctx context.Context, run string, page int, res PageResult) (bool, error)
	// FinishRescreenRun ends a run as done (with its report as JSON) or
	// failed (with failure).
	FinishRescreenRun(ctx context.Context, id, state, failure string, report []byte) error
}
