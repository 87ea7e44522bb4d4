package interdict

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// JobState is where a batch job stands.
type JobState string

// Job states. A job is created queued, runs, and ends done (every row
// handled, some perhaps with an error) or failed (stopped before the end:
// the file could not be read, or the server stopped).
const (
	JobQueued  JobState = "queued"
	JobRunning JobState = "running"
	JobDone    JobState = "done"
	JobFailed  JobState = "failed"
)

// Finished reports whether the job has ended, done or failed.
func (s JobState) Finished() bool { return s == JobDone || s == JobFailed }

// Job is a batch screened in the background, such as a file uploaded to the
// web UI. The store keeps the job with its input file and its result, so
// that a finished job's result can be downloaded after a restart and a job
// cut off by a restart can be run again from its input.
type Job struct {
	// ID is unique; CreateJob sets it when empty.
	ID string `json:"id"`
	// Kind says what the job does ("screen" for a file of parties).
	Kind string `json:"kind"`
	// Owner is the name of the user who created the job.
	Owner string `json:"owner"`
	// Input is the name of the input file, as the user gave it.
	Input string `json:"input"`
	// Options are the job's options as JSON, read by whatever runs the
	// job; the store keeps them as they are.
	Options []byte   `json:"options,omitempty"`
	State   JobState `json:"state"`
	// Total is the number of rows to handle, Done the number handled, of
	// which Alerts alerted and Errors could not be handled.
	Total  int `json:"total"`
	Done   int `json:"done"`
	Alerts int `json:"alerts"`
	Errors int `json:"errors"`
	// Failure says why a failed job stopped.
	Failure   string    `json:"failure,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// JobUpdate is the progress of a job: its state and counts replace the
// stored ones.
type JobUpdate struct {
	State   JobState
	Total   int
	Done    int
	Alerts  int
	Errors  int
	Failure string
}

// JobFilter selects jobs; zero fields select all.
type JobFilter struct {
	Owner string
	State JobState
	// Limit is the most jobs returned; 0 means no limit.
	Limit int
}

// JobStore keeps batch jobs, their input files and their results.
type JobStore interface {
	// CreateJob stores a new job with its input file. It sets j.ID when
	// empty, j.State to JobQueued, and j.CreatedAt and j.UpdatedAt. Returns
	// EINVALID when j has no kind, ECONFLICT when the ID is taken.
	CreateJob(ctx context.Context, j *Job, input []byte) error

	// UpdateJob records a job's progress and returns the job as stored.
	// Returns ENOTFOUND if the job does not exist, ECONFLICT if it has
	// finished already (a finished job never changes), EINVALID for an
	// unknown state.
	UpdateJob(ctx context.Context, id string, u JobUpdate) (*Job, error)

	// SetJobResult stores the job's result (for a screening job, the CSV
	// of its rows), replacing any stored before. Returns ENOTFOUND if the
	// job does not exist.
	SetJobResult(ctx context.Context, id string, result []byte) error

	// FindJob returns a job. Returns ENOTFOUND if it does not exist.
	FindJob(ctx context.Context, id string) (*Job, error)

	// FindJobs returns the jobs that f selects, newest first.
	FindJobs(ctx context.Context, f JobFilter) ([]*Job, error)

	// FindJobInput returns the input file a job was created with. Returns
	// ENOTFOUND if the job does not exist.
	FindJobInput(ctx context.Context, id string) ([]byte, error)

	// FindJobResult returns a job's result. Returns ENOTFOUND if the job
	// does not exist or has no result yet.
	FindJobResult(ctx context.Context, id string) ([]byte, error)

	// DeleteJob deletes a job with its input and result. Returns
	// ENOTFOUND if it does not exist.
	DeleteJob(ctx context.Context, id string) error
}

// NewID returns a random identifier: 24 hex digits.
func NewID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// EventType names what an Event reports.
type EventType string

// Event types.
const (
	// EventListVersionStored: a version of a list was stored (and, if
	// Current, made the current one) or an older version was made current
	// again.
	EventListVersionStored EventType = "list.version_stored"
)

// Event is something that happened in a store, told to every process that
// screens: a list version stored, so that screening indexes reload.
type Event struct {
	Type    EventType `json:"type"`
	List    string    `json:"list,omitempty"`
	Version int       `json:"version,omitempty"`
	// Current is true when the version is now the list's current one.
	Current bool      `json:"current,omitempty"`
	At      time.Time `json:"at"`
}

// Events carries events between the parts of one process (or, in a
// cluster, between processes). Delivery is best effort: a subscriber that
// does not keep up may miss events, so a consumer whose state must follow
// the store also checks the store itself (the screening service polls
// ListStore.Generation).
type Events interface {
	// Publish sends e to every current subscriber without waiting for
	// them. Returns the context's error if ctx is done.
	Publish(ctx context.Context, e Event) error

	// Subscribe returns a channel of the events published from now on, in
	// the order they were published. The channel is closed when ctx is
	// done.
	Subscribe(ctx context.Context) (<-chan Event, error)
}
