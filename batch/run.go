package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/interdict/interdict"
)

// DefaultCheckpointEvery is how many rows Run writes between checkpoints
// when RunOptions.CheckpointEvery is 0.
const DefaultCheckpointEvery = 1000

// DefaultMaxErrorRows is how many error rows a Summary lists when
// RunOptions.MaxErrorRows is 0; it counts them all.
const DefaultMaxErrorRows = 100

// Progress is how far a run has got.
type Progress struct {
	// Records is the number of records written, error rows included.
	Records int
	// Bytes is the input consumed; TotalBytes the input's size, or -1 when
	// it is not known.
	Bytes, TotalBytes int64
}

// RunOptions tune Run.
type RunOptions struct {
	// Check validates each record's query (date order, country resolver).
	Check interdict.CheckOptions
	// Workers screen rows in parallel; 0 is GOMAXPROCS.
	Workers int
	// Progress, when set, is called from Run's goroutine after each row.
	Progress func(Progress)
	// Checkpoint is the path of the checkpoint file; "" writes none. Run
	// writes it (to a temporary file renamed into place) every
	// CheckpointEvery rows once they are flushed, and when it stops early;
	// it removes it when the run completes. Needs csv or jsonl output.
	Checkpoint      string
	CheckpointEvery int
	// Resume continues the run the checkpoint describes: the output must
	// come from CreateOutput with the same options, the input must be the
	// same file, and the records the checkpoint counts are skipped.
	Resume bool
	// MaxErrorRows bounds Summary.ErrorRows; 0 is DefaultMaxErrorRows.
	MaxErrorRows int
}

// RowError is a row that could not be screened.
type RowError struct {
	Line    int    `json:"line"`
	EndLine int    `json:"end_line"`
	Message string `json:"message"`
}

// Summary counts what a run did. Records == Screened + Errors always; after
// a resume the counts cover the whole input, the rows of the earlier run
// included.
type Summary struct {
	Records  int `json:"records"`
	Screened int `json:"screened"`
	Alerts   int `json:"alerts"`
	Errors   int `json:"errors"`
	// ErrorRows lists the first error rows (RunOptions.MaxErrorRows).
	ErrorRows []RowError `json:"error_rows,omitempty"`
	// WarningsByField counts row warnings by field (dob, country, ...).
	WarningsByField map[string]int `json:"warnings_by_field"`
	// FileWarnings are the input's file-level warnings (Reader.Warnings).
	FileWarnings []interdict.Warning `json:"file_warnings,omitempty"`
	// Resumed is the number of records a resumed run took from the
	// checkpoint without reading them again.
	Resumed int           `json:"resumed,omitempty"`
	Elapsed time.Duration `json:"elapsed"`
}

type item struct {
	rec   Record
	res   *interdict.ScreenResult
	warns []interdict.Warning
	err   error
	done  chan struct{}
}

// Run screens every record of rd with s and writes one row per record to
// wr, in input order: each record's query goes through Query.Check
// (opt.Check); a record that is damaged or whose query is unusable (no name
// and no identifier) is an error row; every other record is screened and
// its row carries the warnings of reading, checking and screening. Rows are
// screened by opt.Workers goroutines with bounded memory. Run flushes wr but
// does not close it. It returns the summary so far with the error that
// stopped it: the context's, or a read or write error; a checkpoint, when
// configured, lets a later run resume from there.
func Run(ctx context.Context, rd *Reader, s interdict.Screener, wr Writer, opt RunOptions) (Summary, error) {
	start := time.Now()
	sum := Summary{WarningsByField: map[string]int{}}
	if opt.MaxErrorRows <= 0 {
		opt.MaxErrorRows = DefaultMaxErrorRows
	}
	if opt.CheckpointEvery <= 0 {
		opt.CheckpointEvery = DefaultCheckpointEvery
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ow, _ := wr.(offsetWriter)
	if opt.Checkpoint != "" && (ow == nil || ow.offset() < 0) {
		return sum, errors.New("checkpoints and resume need csv or jsonl output, not xlsx")
	}
	if opt.Resume {
		if opt.Checkpoint == "" {
			return sum, errors.New("resume needs a checkpoint file")
		}
		ck, err := ReadCheckpoint(opt.Checkpoint)
		if err != nil {
			return sum, err
		}
		if err := ck.matches(rd); err != nil {
			return sum, err
		}
		if ow.offset() != ck.OutputBytes {
			return sum, fmt.Errorf("resume: the output is at byte %d, the checkpoint at %d (open it with CreateOutput and Resume)", ow.offset(), ck.OutputBytes)
		}
		for i := 0; i < ck.Records; i++ {
			if _, err := rd.Next(); err != nil {
				if errors.Is(err, io.EOF) {
					return sum, fmt.Errorf("resume: %s has %d records, the checkpoint counts %d", rd.name, i, ck.Records)
				}
				return sum, fmt.Errorf("resume: skip record %d: %w", i+1, err)
			}
		}
		sum = ck.Summary
		if sum.WarningsByField == nil {
			sum.WarningsByField = map[string]int{}
		}
		sum.Resumed = ck.Records
	}
	checkpoint := func() error {
		if err := wr.Flush(); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
		if opt.Checkpoint == "" {
			return nil
		}
		if sy, ok := wr.(interface{ sync() error }); ok {
			if err := sy.sync(); err != nil {
				return fmt.Errorf("sync output: %w", err)
			}
		}
		s := sum
		s.Elapsed = 0
		return writeCheckpoint(opt.Checkpoint, Checkpoint{Version: 1, Input: rd.Identity(), Records: sum.Records,
			OutputBytes: ow.offset(), Summary: s})
	}
	if opt.Checkpoint != "" {
		if err := checkpoint(); err != nil {
			return sum, err
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan *item, workers*4)
	pending := make(chan *item, workers*64)
	var readErr error
	go func() {
		defer close(pending)
		defer close(jobs)
		for {
			rec, err := rd.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				readErr = fmt.Errorf("read %s: %w", rd.name, err)
				return
			}
			it := &item{rec: rec, done: make(chan struct{})}
			if rec.Err != nil {
				it.err, it.warns = rec.Err, rec.Warnings
				close(it.done)
			}
			select {
			case pending <- it:
			case <-ctx.Done():
				return
			}
			if rec.Err == nil {
				select {
				case jobs <- it:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range jobs {
				screenItem(ctx, s, opt.Check, it)
				close(it.done)
			}
		}()
	}

	var runErr error
	writeFailed := false // the output's state is unknown: no checkpoint
loop:
	for {
		var it *item
		select {
		case x, ok := <-pending:
			if !ok {
				break loop
			}
			it = x
		case <-ctx.Done():
			runErr = ctx.Err()
			break loop
		}
		select {
		case <-it.done:
		case <-ctx.Done():
			runErr = ctx.Err()
			break loop
		}
		if ctx.Err() != nil {
			// A row screened while the run was being cancelled may hold
			// the context's error: it is not written, so a resume screens
			// it again.
			runErr = ctx.Err()
			break loop
		}
		row := Row{Line: it.rec.Line, EndLine: it.rec.EndLine, Values: it.rec.Values, Result: it.res,
			Warnings: it.warns, Err: it.err}
		if err := wr.WriteRow(row); err != nil {
			runErr, writeFailed = fmt.Errorf("write output: %w", err), true
			break loop
		}
		sum.Records++
		for _, w := range it.warns {
			sum.WarningsByField[w.Field]++
		}
		if it.err != nil {
			sum.Errors++
			if len(sum.ErrorRows) < opt.MaxErrorRows {
				sum.ErrorRows = append(sum.ErrorRows, RowError{Line: it.rec.Line, EndLine: it.rec.EndLine, Message: errorText(it.err)})
			}
		} else {
			sum.Screened++
			if it.res.Alert {
				sum.Alerts++
			}
		}
		if opt.Progress != nil {
			done, total := rd.Progress()
			opt.Progress(Progress{Records: sum.Records, Bytes: done, TotalBytes: total})
		}
		if opt.Checkpoint != "" && (sum.Records-sum.Resumed)%opt.CheckpointEvery == 0 {
			if err := checkpoint(); err != nil {
				runErr, writeFailed = err, true
				break loop
			}
		}
	}
	cancel()
	for range pending {
	}
	wg.Wait()
	sum.Elapsed = time.Since(start)
	sum.FileWarnings = rd.Warnings()
	if runErr == nil {
		runErr = readErr
	}
	if runErr != nil {
		// Keep what was written resumable, unless writing itself failed:
		// then the last checkpoint stands.
		if !writeFailed {
			if cerr := checkpoint(); cerr != nil {
				runErr = fmt.Errorf("%w (and %v)", runErr, cerr)
			}
		}
		return sum, runErr
	}
	if err := wr.Flush(); err != nil {
		return sum, fmt.Errorf("write output: %w", err)
	}
	if opt.Checkpoint != "" {
		if err := os.Remove(opt.Checkpoint); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return sum, fmt.Errorf("remove checkpoint: %w", err)
		}
	}
	return sum, nil
}

// screenItem checks and screens one record.
func screenItem(ctx context.Context, s interdict.Screener, opt interdict.CheckOptions, it *item) {
	q, warns, err := it.rec.Query.Check(opt)
	it.warns = mergeWarnings(it.rec.Warnings, warns)
	if err != nil {
		it.err = err
		return
	}
	res, err := s.Screen(ctx, q)
	if err != nil {
		it.err = err
		return
	}
	if res == nil {
		it.err = errors.New("the screener returned no result")
		return
	}
	it.warns = mergeWarnings(it.warns, res.Warnings)
	r := *res
	r.Warnings = it.warns
	if r.Warnings == nil {
		r.Warnings = []interdict.Warning{}
	}
	it.res = &r
}

// mergeWarnings appends the warnings of b not already in a.
func mergeWarnings(a, b []interdict.Warning) []interdict.Warning {
	out := append([]interdict.Warning(nil), a...)
next:
	for _, w := range b {
		for _, o := range out {
			if o == w {
				continue next
			}
		}
		out = append(out, w)
	}
	return out
}
