package inmem

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/interdict/interdict"
)

// JobStore is an interdict.JobStore in process memory: jobs last as long
// as the process. It serves tests and servers run without a database.
type JobStore struct {
	// Now returns the current time; nil means time.Now.
	Now func() time.Time

	mu   sync.Mutex
	seq  int
	jobs map[string]*memJob
}

var _ interdict.JobStore = (*JobStore)(nil)

type memJob struct {
	job    interdict.Job
	seq    int
	input  []byte
	result []byte
}

// NewJobStore returns an empty job store.
func NewJobStore() *JobStore { return &JobStore{} }

func (s *JobStore) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *JobStore) find(id string) (*memJob, error) {
	j, ok := s.jobs[id]
	if !ok {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "No job %s.", id)
	}
	return j, nil
}

func copyJob(j *interdict.Job) *interdict.Job {
	c := *j
	c.Options = bytes.Clone(j.Options)
	return &c
}

// CreateJob implements interdict.JobStore.
func (s *JobStore) CreateJob(ctx context.Context, j *interdict.Job, input []byte) error {
	if j.Kind == "" {
		return interdict.Errorf(interdict.EINVALID, "A job needs a kind.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if j.ID == "" {
		j.ID = interdict.NewID()
	}
	if _, ok := s.jobs[j.ID]; ok {
		return interdict.Errorf(interdict.ECONFLICT, "A job with ID %s exists already.", j.ID)
	}
	if s.jobs == nil {
		s.jobs = map[string]*memJob{}
	}
	j.State = interdict.JobQueued
	j.CreatedAt = s.now()
	j.UpdatedAt = j.CreatedAt
	s.seq++
	s.jobs[j.ID] = &memJob{job: *copyJob(j), seq: s.seq, input: bytes.Clone(input)}
	return nil
}

// UpdateJob implements interdict.JobStore.
func (s *JobStore) UpdateJob(ctx context.Context, id string, u interdict.JobUpdate) (*interdict.Job, error) {
	switch u.State {
	case interdict.JobQueued, interdict.JobRunning, interdict.JobDone, interdict.JobFailed:
	default:
		return nil, interdict.Errorf(interdict.EINVALID, "Job state %q is unknown.", u.State)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.find(id)
	if err != nil {
		return nil, err
	}
	j := &m.job
	if j.State.Finished() {
		return nil, interdict.Errorf(interdict.ECONFLICT, "Job %s has finished (%s); it cannot change.", id, j.State)
	}
	j.State, j.Total, j.Done, j.Alerts, j.Errors, j.Failure = u.State, u.Total, u.Done, u.Alerts, u.Errors, u.Failure
	j.UpdatedAt = s.now()
	return copyJob(j), nil
}

// SetJobResult implements interdict.JobStore.
func (s *JobStore) SetJobResult(ctx context.Context, id string, result []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.find(id)
	if err != nil {
		return err
	}
	m.result = bytes.Clone(result)
	if m.result == nil {
		m.result = []byte{}
	}
	return nil
}

// FindJob implements interdict.JobStore.
func (s *JobStore) FindJob(ctx context.Context, id string) (*interdict.Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.find(id)
	if err != nil {
		return nil, err
	}
	return copyJob(&m.job), nil
}

// FindJobs implements interdict.JobStore.
func (s *JobStore) FindJobs(ctx context.Context, f interdict.JobFilter) ([]*interdict.Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ms []*memJob
	for _, m := range s.jobs {
		if (f.Owner == "" || m.job.Owner == f.Owner) && (f.State == "" || m.job.State == f.State) {
			ms = append(ms, m)
		}
	}
	slices.SortFunc(ms, func(a, b *memJob) int { return b.seq - a.seq })
	if f.Limit > 0 && len(ms) > f.Limit {
		ms = ms[:f.Limit]
	}
	out := make([]*interdict.Job, 0, len(ms))
	for _, m := range ms {
		out = append(out, copyJob(&m.job))
	}
	return out, nil
}

// FindJobInput implements interdict.JobStore.
func (s *JobStore) FindJobInput(ctx context.Context, id string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.find(id)
	if err != nil {
		return nil, err
	}
	return bytes.Clone(m.input), nil
}

// FindJobResult implements interdict.JobStore.
func (s *JobStore) FindJobResult(ctx context.Context, id string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.find(id)
	if err != nil {
		return nil, err
	}
	if m.result == nil {
		return nil, interdict.Errorf(interdict.ENOTFOUND, "Job %s has no result yet.", id)
	}
	return bytes.Clone(m.result), nil
}

// DeleteJob implements interdict.JobStore.
func (s *JobStore) DeleteJob(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.find(id); err != nil {
		return err
	}
	delete(s.jobs, id)
	return nil
}
