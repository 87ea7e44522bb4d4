package review

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/interdict/interdict"
)

// Verification is the outcome of verifying the audit trail.
type Verification struct {
	// Records counts the records verified; Head is the hash of the last.
	Records int64  `json:"records"`
	Head    string `json:"head"`
	// Break names the first bad record; nil when the trail is intact.
	Break *interdict.AuditBreak `json:"break,omitempty"`
}

// Verify reads the whole audit trail and checks its chain: every record
// numbered in order, linked to the one before and matching its hash. With
// head (a head hash kept elsewhere, from AuditHead), it also checks that
// no tail after that record was cut. The first bad record is in Break;
// the error is for a trail that could not be read.
func (s *Service) Verify(ctx context.Context, head string) (*Verification, error) {
	var c interdict.AuditChain
	v := &Verification{}
	err := s.cfg.Store.FindAuditRecords(ctx, interdict.AuditFilter{}, c.Check)
	if err == nil {
		err = c.Finish(head)
	}
	v.Records, v.Head = c.Records, c.Head
	var b *interdict.AuditBreak
	if errors.As(err, &b) {
		v.Break = b
		return v, nil
	}
	if err != nil {
		return nil, fmt.Errorf("verify the audit trail: %w", err)
	}
	return v, nil
}

// AuditHead returns the sequence number and hash of the last audit
// record, to be kept elsewhere for Verify.
func (s *Service) AuditHead(ctx context.Context) (int64, string, error) {
	return s.cfg.Store.AuditHead(ctx)
}

// AuditColumns are the columns of a CSV export of the audit trail.
var AuditColumns = []string{"seq", "time", "actor", "action", "object", "payload", "prev", "hash"}

// Export writes the audit records with from <= time < to (zero for no
// bound) to w, as JSON lines (one record per line, as AuditRecord) or CSV
// (AuditColumns, the payload as JSON text), and returns how many it
// wrote. Every record carries its hash and its predecessor's, so that an
// export can be verified on its own.
func (s *Service) Export(ctx context.Context, w io.Writer, format string, from, to time.Time) (int, error) {
	var write func(r *interdict.AuditRecord) error
	var flush func() error
	switch format {
	case "jsonl", "":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		write = func(r *interdict.AuditRecord) error { return enc.Encode(r) }
		flush = func() error { return nil }
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(AuditColumns); err != nil {
			return 0, err
		}
		write = func(r *interdict.AuditRecord) error {
			return cw.Write([]string{strconv.FormatInt(r.Seq, 10), r.Time.UTC().Format(time.RFC3339Nano), r.Actor, r.Action, r.Object,
				string(r.Payload), r.Prev, r.Hash})
		}
		flush = func() error { cw.Flush(); return cw.Error() }
	default:
		return 0, interdict.Errorf(interdict.EINVALID, "Audit export format %q is unknown: use jsonl or csv.", format)
	}
	n := 0
	err := s.cfg.Store.FindAuditRecords(ctx, interdict.AuditFilter{From: from, To: to}, func(r *interdict.AuditRecord) error {
		n++
		return write(r)
	})
	if err != nil {
		return n, fmt.Errorf("export the audit trail: %w", err)
	}
	return n, flush()
}
