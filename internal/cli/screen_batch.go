package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/screen"
	"github.com/schollz/progressbar/v3"
)

// screenColumns are the columns of CSV and XLSX batch output: the query as
// read, whether it alerts, the best hit, every alerting entity, the policy
// and the list versions, the fields that could not be read (screened
// without them), and the error for a row that could not be screened.
var screenColumns = []string{"id", "name", "type", "dob", "country", "id_number", "address",
	"alert", "hits", "top_entity_id", "top_list", "top_kind", "top_name", "top_matched_name", "top_score",
	"alerting_entities", "policy", "lists", "warnings", "error"}

// screenRow is one input row and, once screened, its result.
type screenRow struct {
	line int
	q    interdict.Query
	res  *interdict.ScreenResult
	err  error
	done chan struct{}
}

// batchSummary counts what a batch did.
type batchSummary struct {
	Rows, Alerts, Errors int
	Elapsed              time.Duration
}

func (a *App) runScreenBatch(ctx context.Context, opts screenOptions) error {
	inFormat, err := tableFormat(opts.Input, opts.Format)
	if err != nil {
		return err
	}
	outFormat := "csv"
	if opts.Output != "-" {
		if outFormat, err = tableFormat(opts.Output, ""); err != nil {
			return err
		}
	} else if opts.JSON {
		outFormat = "jsonl"
	}
	p, err := a.policy(opts.Policy)
	if err != nil {
		return err
	}
	s, err := a.service(ctx, p)
	if err != nil {
		return err
	}
	in, err := a.openRows(opts.Input, inFormat, "name")
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := a.createTable(opts.Output, outFormat, screenColumns)
	if err != nil {
		return err
	}

	var bar *progressbar.ProgressBar
	if a.IsTerminal && !opts.JSON {
		bar = progressbar.NewOptions64(-1, progressbar.OptionSetWriter(a.Stderr), progressbar.OptionSetDescription("screening"),
			progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("rows"),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
	}

	// Rows are read in order, screened by a pool of workers, and written in
	// order; the channels bound how many rows are in memory at once.
	start := a.Now()
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *screenRow, workers*4)
	pending := make(chan *screenRow, workers*64)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				if r.err == nil {
					r.res, r.err = s.ScreenWith(ctx, r.q, screen.ScreenOptions{Strict: opts.Strict})
				}
				close(r.done)
			}
		}()
	}
	var readErr error
	go func() {
		defer close(pending)
		defer close(jobs)
		for {
			row, line, err := in.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil && row == nil {
				if line == 0 || inFormat == "xlsx" {
					readErr = err
					return
				}
				// A malformed row: report it and go on with the next.
				r := &screenRow{line: line, err: err, done: make(chan struct{})}
				close(r.done)
				pending <- r
				continue
			}
			r := &screenRow{line: line, done: make(chan struct{})}
			r.q = rowQuery(row)
			select {
			case pending <- r:
			case <-ctx.Done():
				readErr = ctx.Err()
				return
			}
			jobs <- r
		}
	}()

	var sum batchSummary
	var writeErr error
	for r := range pending {
		<-r.done
		sum.Rows++
		if r.err != nil {
			sum.Errors++
			if sum.Errors <= 5 {
				fmt.Fprintf(a.Stderr, "interdict: %s: line %d: %s\n", opts.Input, r.line, errorText(r.err))
			}
		} else if r.res.Alert {
			sum.Alerts++
		}
		if writeErr == nil {
			writeErr = out.Write(resultRow(r, p.Threshold), jsonResult(r))
		}
		if bar != nil {
			bar.Add(1)
		}
	}
	wg.Wait()
	if bar != nil {
		bar.Finish()
	}
	if err := out.Close(); err != nil && writeErr == nil {
		writeErr = err
	}
	sum.Elapsed = a.Now().Sub(start)
	if readErr != nil {
		return readErr
	}
	if writeErr != nil {
		return fmt.Errorf("write %s: %w", opts.Output, writeErr)
	}
	rate := 0.0
	if sum.Elapsed > 0 {
		rate = float64(sum.Rows) / sum.Elapsed.Seconds()
	}
	fmt.Fprintf(a.Stderr, "screened %d rows: %d alerts, %d errors, in %s (%.0f rows/s); policy %s\n",
		sum.Rows, sum.Alerts, sum.Errors, sum.Elapsed.Round(time.Millisecond), rate, p.Hash()[:12])
	if sum.Errors > 0 {
		return &exitError{code: ExitError, err: fmt.Errorf("%d rows could not be screened; see the error column", sum.Errors)}
	}
	if sum.Alerts > 0 {
		return &exitError{code: ExitMatch}
	}
	return nil
}

// rowQuery builds the query of one batch row; the screening service
// checks it.
func rowQuery(row map[string]string) interdict.Query {
	return interdict.Query{Name: row["name"], Ref: row["id"], DOB: row["dob"], Country: row["country"],
		IDNumber: row["id_number"], Address: row["address"], Kind: interdict.Kind(row["type"])}
}

func resultRow(r *screenRow, threshold float64) []string {
	q := r.q
	row := []string{q.Ref, q.Name, string(q.Kind), q.DOB, q.Country, q.IDNumber, q.Address}
	if r.err != nil {
		row = append(row, "", "", "", "", "", "", "", "", "", "", "", "")
		return append(row, errorText(r.err))
	}
	res := r.res
	row = append(row, strconv.FormatBool(res.Alert), strconv.Itoa(len(res.Hits)))
	if len(res.Hits) > 0 {
		h := res.Hits[0]
		row = append(row, h.EntityID, h.List, string(h.Kind), h.Name, h.MatchedName, strconv.FormatFloat(h.Score, 'f', 3, 64))
	} else {
		row = append(row, "", "", "", "", "", "")
	}
	var alerting []string
	for _, h := range res.Hits {
		if h.Score >= threshold {
			alerting = append(alerting, h.EntityID)
		}
	}
	var lists []string
	for _, l := range interdict.Lists {
		if v, ok := res.Lists[l.ID]; ok {
			lists = append(lists, l.ID+"@"+v)
		}
	}
	return append(row, strings.Join(alerting, " "), res.Policy, strings.Join(lists, " "), warningText(res.Warnings), "")
}

// jsonResult is the JSON line for a row: the screen result, or the query
// with its error.
func jsonResult(r *screenRow) any {
	if r.err != nil {
		return struct {
			Query interdict.Query `json:"query"`
			Line  int             `json:"line"`
			Error string          `json:"error"`
		}{r.q, r.line, errorText(r.err)}
	}
	return r.res
}

// warningText writes warnings in one cell: "dob: not a date ...; country: ...".
func warningText(ws []interdict.Warning) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.Field + ": " + w.Message
	}
	return strings.Join(parts, "; ")
}

func errorText(err error) string {
	if interdict.ErrorCode(err) != interdict.EINTERNAL {
		return interdict.ErrorMessage(err)
	}
	return err.Error()
}
