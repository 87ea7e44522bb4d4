package http

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"sync"

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

// auditScreen records one screening of the API or the web UI in the audit
// trail: the query, whether it alerted, the policy, the list versions and
// the result's hash. Nothing is recorded when the server keeps no audit
// trail (Review nil). A screening that cannot be recorded fails.
func (s *Server) auditScreen(ctx context.Context, via string, q interdict.Query, res *interdict.ScreenResult) error {
	if s.Review == nil {
		return nil
	}
	return s.audit(ctx, "screen", "screening", struct {
		Via        string            `json:"via"`
		Query      interdict.Query   `json:"query"`
		Alert      bool              `json:"alert"`
		Hits       int               `json:"hits"`
		Policy     string            `json:"policy"`
		Lists      map[string]string `json:"lists,omitempty"`
		ResultHash string            `json:"result_hash"`
	}{via, q, res.Alert, len(res.Hits), res.Policy, res.Lists, resultHash(res)})
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
