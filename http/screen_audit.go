package http

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"sync"
	"time"

	"github.com/interdict/interdict"
)

// resultHash returns the hex SHA-256 of a screening result's JSON: what
// the audit trail keeps to prove what a screening returned.
func resultHash(res *interdict.ScreenResult) string {
	b, err := json.Marshal(res)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// screenEntry is one screening of the API or the web UI as the audit
// trail keeps it.
type screenEntry struct {
	Time       time.Time         `json:"time"`
	Actor      string            `json:"actor"`
	Via        string            `json:"via"`
	Query      interdict.Query   `json:"query"`
	Alert      bool              `json:"alert"`
	Hits       int               `json:"hits"`
	Policy     string            `json:"policy"`
	Lists      map[string]string `json:"lists,omitempty"`
	ResultHash string            `json:"result_hash"`
}

// maxScreenEntries bounds the screenings one audit record holds.
const maxScreenEntries = 1000

// screenLog gathers the screenings of the API and the web UI for the audit
// trail. One record every AuditEvery (or every maxScreenEntries
// screenings) holds them all, in order: a write per screening would hold
// the database's write lock for most of a busy second and starve the
// other writers (a list import from another process).
type screenLog struct {
	mu      sync.Mutex
	pending []screenEntry
	full    chan struct{}
}

// auditScreen records one screening of the API or the web UI: the query,
// whether it alerted, the policy, the list versions and the result's hash.
// It is written with the others of its second (see screenLog). Nothing is
// recorded when the server keeps no audit trail (Review nil).
func (s *Server) auditScreen(ctx context.Context, via string, q interdict.Query, res *interdict.ScreenResult) error {
	if s.Review == nil {
		return nil
	}
	actor := interdict.ActorSystem
	if u := UserFrom(ctx); u != nil {
		actor = u.Name
	}
	e := screenEntry{Time: s.Now().UTC(), Actor: actor, Via: via, Query: q, Alert: res.Alert, Hits: len(res.Hits),
		Policy: res.Policy, Lists: res.Lists, ResultHash: resultHash(res)}
	l := &s.screenLog
	l.mu.Lock()
	l.pending = append(l.pending, e)
	n := len(l.pending)
	l.mu.Unlock()
	if n >= maxScreenEntries {
		select {
		case l.full <- struct{}{}:
		default:
		}
	}
	return nil
}

// flushScreens appends the gathered screenings to the audit trail as one
// "screen" record.
func (s *Server) flushScreens(ctx context.Context) error {
	l := &s.screenLog
	l.mu.Lock()
	batch := l.pending
	l.pending = nil
	l.mu.Unlock()
	for len(batch) > 0 {
		n := min(len(batch), maxScreenEntries)
		b, err := json.Marshal(map[string]any{"screenings": batch[:n]})
		if err != nil {
			return err
		}
		if err := s.Review.AppendAudit(ctx, &interdict.AuditRecord{Actor: interdict.ActorSystem, Action: "screen", Object: "screening", Payload: b}); err != nil {
			return err
		}
		batch = batch[n:]
	}
	return nil
}

// logScreens writes the gathered screenings every AuditEvery until the
// server closes, and once more then.
func (s *Server) logScreens() {
	defer s.wg.Done()
	every := s.AuditEvery
	if every <= 0 {
		every = time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	flush := func(ctx context.Context) {
		if err := s.flushScreens(ctx); err != nil {
			s.Logger.Error("audit screenings", "err", err.Error())
		}
	}
	for {
		select {
		case <-s.ctx.Done():
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			flush(ctx)
			cancel()
			return
		case <-t.C:
			flush(s.ctx)
		case <-s.screenLog.full:
			flush(s.ctx)
		}
	}
}

// FlushAudit writes the screenings gathered for the audit trail now.
func (s *Server) FlushAudit(ctx context.Context) error {
	if s.Review == nil {
		return nil
	}
	return s.flushScreens(ctx)
}

// batchDigest accumulates the results of an NDJSON batch for its one audit
// record: the number of lines screened, of those that alerted, and a
// SHA-256 over each line's number and result hash.
type batchDigest struct {
	mu     sync.Mutex
	h      hash.Hash
	lines  int
	alerts int
	errors int
	policy string
	lists  map[string]string
}

func (d *batchDigest) add(n int, res *interdict.ScreenResult) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.h == nil {
		d.h = sha256.New()
	}
	if res == nil {
		d.errors++
		return
	}
	d.lines++
	if res.Alert {
		d.alerts++
	}
	d.policy, d.lists = res.Policy, res.Lists
	d.h.Write([]byte(itoa(n) + " " + resultHash(res) + "\n"))
}

// auditBatch records an NDJSON screening batch in the audit trail.
func (s *Server) auditBatch(ctx context.Context, d *batchDigest) error {
	if s.Review == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	digest := ""
	if d.h != nil {
		digest = hex.EncodeToString(d.h.Sum(nil))
	}
	return s.audit(ctx, "screen.batch", "screening", map[string]any{"via": "api", "lines": d.lines, "alerts": d.alerts, "errors": d.errors,
		"policy": d.policy, "lists": d.lists, "digest": digest})
}
