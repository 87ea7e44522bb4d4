package review

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/batch"
)

// aliasHeaders are the header names (folded: lower case, words split by
// single spaces) of a column of other names, separated by ; or |.
var aliasHeaders = map[string]bool{"aliases": true, "alias": true, "aka": true, "other names": true, "also known as": true}

// RowError is a row of a book file that could not be put in the book.
type RowError struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// ImportReport is what a book import did.
type ImportReport struct {
	File   string         `json:"file"`
	Input  batch.Identity `json:"input"`
	Format string         `json:"format"`
	// Rows counts the records read: Added new parties, Changed parties
	// whose data changed, Unchanged the rest, Errors the rows refused.
	Rows      int `json:"rows"`
	Added     int `json:"added"`
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
	Errors    int `json:"errors"`
	// Alerts counts the alerts raised, Suppressed the hits kept quiet by
	// the good-guy list, Pending the hits with an alert already open.
	Alerts     int `json:"alerts"`
	Suppressed int `json:"suppressed"`
	Pending    int `json:"pending"`
	// Digest is the hex SHA-256 over "party-id result-hash" lines of the
	// parties screened, in input order.
	Digest string `json:"digest"`
	// RowErrors lists the first 100 rows refused.
	RowErrors []RowError          `json:"row_errors,omitempty"`
	Took      time.Duration       `json:"took_ns"`
	Warnings  []interdict.Warning `json:"warnings,omitempty"`
}

// ImportOptions tune ImportBook.
type ImportOptions struct {
	// Read are the batch reader's options (column map, sheet, format).
	Read batch.ReadOptions
	// Progress, when set, is called after each chunk of rows with the rows
	// done so far.
	Progress func(rows int)
}

// ImportBook reads a file of parties (CSV, XLSX or JSON lines, through
// package batch: the columns of a screening file, the id column being the
// party's ID, plus an optional aliases column) into the book as actor, and
// screens every party that is new or whose data changed. A row without an
// ID or a name is refused and counted, naming its line; the others go on.
func (s *Service) ImportBook(ctx context.Context, actor string, r io.Reader, name string, opt ImportOptions) (*ImportReport, error) {
	if actor == "" {
		return nil, interdict.Errorf(interdict.EINVALID, "A book import needs an actor.")
	}
	start := time.Now()
	ix, err := s.index()
	if err != nil {
		return nil, err
	}
	rd, err := batch.Open(r, name, opt.Read)
	if err != nil {
		return nil, interdict.Errorf(interdict.EINVALID, "%v", err)
	}
	defer rd.Close()
	aliasCol := -1
	for i, h := range rd.Header() {
		if aliasHeaders[foldHeader(h)] {
			aliasCol = i
			break
		}
	}
	rep := &ImportReport{File: name, Input: rd.Identity(), Format: rd.Format()}
	for _, w := range rd.Warnings() {
		if w.Field == "header" && aliasCol >= 0 {
			// The aliases column is read here, not carried through.
			var rest []string
			for _, h := range strings.Split(w.Value, ", ") {
				if h != rd.Header()[aliasCol] {
					rest = append(rest, h)
				}
			}
			if len(rest) == 0 {
				continue
			}
			w.Value = strings.Join(rest, ", ")
			w.Message = "columns not read into the book"
		}
		rep.Warnings = append(rep.Warnings, w)
	}
	ents := newEntityCache(s.cfg.Lists)
	digest := sha256.New()

	type row struct {
		line  int
		party *interdict.Party
		err   string
		// results
		changed, added bool
		sc             *Screening
	}
	const chunk = 256
	rows := make([]row, 0, chunk)
	flush := func() error {
		// The chunk's parties go in the book in one transaction, then the
		// new and changed ones are screened on the workers.
		var ps []*interdict.Party
		var idx []int
		for i := range rows {
			if rows[i].err == "" {
				ps, idx = append(ps, rows[i].party), append(idx, i)
			}
		}
		if len(ps) > 0 {
			changed, err := s.cfg.Store.PutParties(ctx, ps)
			if err != nil {
				return fmt.Errorf("%s lines %d to %d: put parties: %w", name, rows[0].line, rows[len(rows)-1].line, err)
			}
			for j, i := range idx {
				rows[i].changed, rows[i].added = changed[j], changed[j] && rows[i].party.Version == 1
			}
		}
		err := s.parallel(ctx, len(rows), func(i int) error {
			rw := &rows[i]
			if rw.err != "" || !rw.changed {
				return nil
			}
			var err error
			rw.sc, err = s.screenParty(ctx, actor, ix, rw.party, nil, ents)
			if err != nil {
				return fmt.Errorf("%s line %d: %w", name, rw.line, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i := range rows {
			rw := &rows[i]
			rep.Rows++
			switch {
			case rw.err != "":
				rep.Errors++
				if len(rep.RowErrors) < 100 {
					rep.RowErrors = append(rep.RowErrors, RowError{Line: rw.line, Message: rw.err})
				}
				continue
			case rw.added:
				rep.Added++
			case rw.changed:
				rep.Changed++
			default:
				rep.Unchanged++
			}
			if rw.sc != nil {
				rep.Alerts += len(rw.sc.Alerts)
				rep.Suppressed += rw.sc.Suppressed
				rep.Pending += rw.sc.Pending
				fmt.Fprintf(digest, "%s %s\n", rw.party.ID, rw.sc.ResultHash)
			}
		}
		rows = rows[:0]
		if opt.Progress != nil {
			opt.Progress(rep.Rows)
		}
		return nil
	}
	seen := map[string]int{}
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, interdict.Errorf(interdict.EINVALID, "%v", err)
		}
		rw := row{line: rec.Line}
		switch {
		case rec.Err != nil:
			rw.err = rec.Err.Error()
		case trim(rec.Query.Ref) == "":
			rw.err = fmt.Sprintf("%s line %d: no party ID (an id column such as ID, Customer ID or Reference)", name, rec.Line)
		case trim(rec.Query.Name) == "":
			rw.err = fmt.Sprintf("%s line %d: party %s has no name", name, rec.Line, trim(rec.Query.Ref))
		case seen[trim(rec.Query.Ref)] != 0:
			rw.err = fmt.Sprintf("%s line %d: party %s is on line %d already", name, rec.Line, trim(rec.Query.Ref), seen[trim(rec.Query.Ref)])
		default:
			p := partyOf(rec, aliasCol)
			rw.party = p
			seen[p.ID] = rec.Line
		}
		rows = append(rows, rw)
		if len(rows) == chunk {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	rep.Digest = hex.EncodeToString(digest.Sum(nil))
	rep.Took = time.Since(start)
	rec := *rep
	rec.Warnings = nil
	if err := s.audit(ctx, actor, "book.import", "book", rec); err != nil {
		return nil, err
	}
	return rep, nil
}

// partyOf makes a party of a record of a book file.
func partyOf(rec batch.Record, aliasCol int) *interdict.Party {
	q := rec.Query
	p := &interdict.Party{ID: trim(q.Ref), Kind: q.Kind, Name: trim(q.Name), DOB: trim(q.DOB), Country: trim(q.Country), Address: trim(q.Address)}
	if id := trim(q.IDNumber); id != "" {
		p.Identifiers = splitList(id)
	}
	if aliasCol >= 0 && aliasCol < len(rec.Values) {
		p.Aliases = splitList(rec.Values[aliasCol])
	}
	return p
}

// splitList splits a cell of several values separated by ; or |.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '|' }) {
		if f = trim(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// foldHeader lower-cases a header name and joins its words with single
// spaces ("Also_Known-As" is "also known as").
func foldHeader(h string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(h), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r > 127)
	}), " ")
}

// parallel runs fn(0) ... fn(n-1) on the service's workers and returns the
// first error (the others stop taking work).
func (s *Service) parallel(ctx context.Context, n int, fn func(i int) error) error {
	workers := min(s.cfg.Workers, n)
	if workers <= 1 {
		for i := range n {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(i); err != nil {
				return err
			}
		}
		return nil
	}
	var next atomic.Int64
	var failed atomic.Bool
	var once sync.Once
	var first error
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				err := ctx.Err()
				if err == nil {
					err = fn(i)
				}
				if err != nil {
					once.Do(func() { first = err })
					failed.Store(true)
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}
