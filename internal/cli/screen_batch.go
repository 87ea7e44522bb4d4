package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/batch"
	"github.com/interdict/interdict/screen"
	"github.com/schollz/progressbar/v3"
)

// maxErrorRowsShown is how many error rows the batch summary lists.
const maxErrorRowsShown = 10

// serviceScreener screens through the service with fixed options: every
// row of a batch on the index the batch started with.
type serviceScreener struct {
	s   *screen.Service
	opt screen.ScreenOptions
}

func (x serviceScreener) Screen(ctx context.Context, q interdict.Query) (*interdict.ScreenResult, error) {
	return x.s.ScreenWith(ctx, q, x.opt)
}

// parseMap reads the --map flags, field="Header Name" each.
func parseMap(specs []string) (map[string]string, error) {
	if len(specs) == 0 {
		return nil, nil
	}
	m := make(map[string]string, len(specs))
	for _, s := range specs {
		f, h, ok := strings.Cut(s, "=")
		f, h = strings.ToLower(strings.TrimSpace(f)), strings.TrimSpace(h)
		if !ok || f == "" || h == "" {
			return nil, usageError("--map %q: write field=\"Header Name\", e.g. --map name=\"Client Name\"", s)
		}
		m[f] = h
	}
	return m, nil
}

// parseDateOrder reads --date-order.
func parseDateOrder(s string) (interdict.DateOrder, error) {
	switch o := interdict.DateOrder(strings.ToLower(s)); o {
	case interdict.DateOrderAuto, interdict.DateOrderDMY, interdict.DateOrderMDY, interdict.DateOrderYMD:
		return o, nil
	}
	return "", usageError("--date-order %q: use dmy, mdy or ymd (or leave it out: an ambiguous date is read both ways)", s)
}

// outputFormat returns the format of the batch output: by the output
// file's extension, else JSON lines with --json, else CSV.
func outputFormat(path string, json bool) string {
	if path != "-" {
		switch strings.ToLower(filepath.Ext(path)) {
		case ".xlsx":
			return "xlsx"
		case ".jsonl", ".ndjson", ".json":
			return "jsonl"
		}
		return "csv"
	}
	if json {
		return "jsonl"
	}
	return "csv"
}

// runScreenBatch screens every record of --input with package batch and
// writes one row per record to --output, with a checkpoint beside a file
// output so that --resume continues a run that was killed.
func (a *App) runScreenBatch(ctx context.Context, opts screenOptions) error {
	order, err := parseDateOrder(opts.DateOrder)
	if err != nil {
		return err
	}
	cols, err := parseMap(opts.Map)
	if err != nil {
		return err
	}
	outFormat := outputFormat(opts.Output, opts.JSON)
	checkpoint := ""
	if opts.Output != "-" && outFormat != "xlsx" {
		checkpoint = opts.Output + ".checkpoint"
	}
	if opts.Resume {
		switch {
		case opts.Input == "-":
			return usageError("--resume needs an --input file, not stdin")
		case checkpoint == "":
			return usageError("--resume needs a CSV or JSON lines --output file (XLSX output and stdout cannot be resumed)")
		}
		if _, err := os.Stat(checkpoint); err != nil {
			return fmt.Errorf("--resume: no checkpoint %s: the run finished, or never started; run without --resume", checkpoint)
		}
	}
	p, err := a.policy(opts.Policy)
	if err != nil {
		return err
	}
	s, err := a.service(ctx, p)
	if err != nil {
		return err
	}

	var in io.Reader = a.Stdin
	if opts.Input != "-" {
		f, err := os.Open(opts.Input)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	rd, err := batch.Open(in, inputName(opts.Input), batch.ReadOptions{Sheet: opts.Sheet, Map: cols, Format: opts.Format})
	if err != nil {
		return err
	}
	defer rd.Close()

	check := s.CheckOptions()
	check.Strict = check.Strict || opts.Strict
	if order != interdict.DateOrderAuto {
		check.DateOrder = order
	}
	ro := batch.RunOptions{Check: check, Checkpoint: checkpoint, Resume: opts.Resume}
	var wr batch.Writer
	if opts.Output == "-" {
		wr, err = batch.NewWriter(a.Stdout, outFormat, rd.Header())
	} else {
		wr, err = batch.CreateOutput(opts.Output, outFormat, rd, ro)
	}
	if err != nil {
		return err
	}
	bar := a.batchBar(rd)
	if bar != nil {
		ro.Progress = func(pr batch.Progress) {
			if pr.TotalBytes > 0 {
				if pr.Records%100 == 0 {
					bar.Describe(fmt.Sprintf("screening: %d rows", pr.Records))
				}
				_ = bar.Set64(pr.Bytes)
			} else {
				_ = bar.Set(pr.Records)
			}
		}
	}

	// Every row screens on the index the batch started with.
	scr := serviceScreener{s: s, opt: screen.ScreenOptions{Strict: opts.Strict, Index: s.Current()}}
	sum, runErr := batch.Run(ctx, rd, scr, wr, ro)
	if bar != nil {
		_ = bar.Finish()
	}
	if err := wr.Close(); err != nil && runErr == nil {
		runErr = fmt.Errorf("write %s: %w", opts.Output, err)
	}
	if runErr == nil || sum.Records > 0 {
		a.printBatchSummary(opts, sum, p)
	}
	if runErr != nil {
		if errors.Is(runErr, context.Canceled) {
			runErr = errors.New("interrupted")
		}
		if checkpoint != "" {
			if _, err := os.Stat(checkpoint); err == nil {
				runErr = fmt.Errorf("%w; %d records are written and checkpointed: run again with --resume to continue", runErr, sum.Records)
			}
		}
		return runErr
	}
	if err := a.auditScreening(ctx, "screen.batch", "file:"+opts.Input, map[string]any{"input_sha256": fileSHA256(opts.Input),
		"output": opts.Output, "output_sha256": fileSHA256(opts.Output), "policy": p.Hash(), "records": sum.Records,
		"screened": sum.Screened, "alerts": sum.Alerts, "errors": sum.Errors}); err != nil {
		return err
	}
	if sum.Alerts > 0 {
		return &exitError{code: ExitMatch}
	}
	return nil
}

// batchBar returns a progress bar for a batch on a terminal: over the
// input's bytes, with an ETA, when its size is known, else counting rows.
func (a *App) batchBar(rd *batch.Reader) *progressbar.ProgressBar {
	if !a.IsTerminal {
		return nil
	}
	_, total := rd.Progress()
	common := []progressbar.Option{progressbar.OptionSetWriter(a.Stderr), progressbar.OptionSetDescription("screening"),
		progressbar.OptionThrottle(100 * time.Millisecond), progressbar.OptionClearOnFinish()}
	if total > 0 {
		return progressbar.NewOptions64(total, append(common, progressbar.OptionShowBytes(true), progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true), progressbar.OptionSetWidth(30))...)
	}
	return progressbar.NewOptions64(-1, append(common, progressbar.OptionShowCount(), progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("rows"))...)
}

// printBatchSummary writes what a batch did to stderr: the counts, the
// error rows by line (the first few), the warnings by field and the
// file-level warnings.
func (a *App) printBatchSummary(opts screenOptions, sum batch.Summary, p screen.Policy) {
	w, name := a.Stderr, inputName(opts.Input)
	for _, fw := range sum.FileWarnings {
		if fw.Value != "" {
			fmt.Fprintf(w, "interdict: warning: %s: %s: %s\n", name, fw.Value, fw.Message)
		} else {
			fmt.Fprintf(w, "interdict: warning: %s: %s\n", name, fw.Message)
		}
	}
	for i, e := range sum.ErrorRows {
		if i == maxErrorRowsShown {
			break
		}
		lines := fmt.Sprintf("line %d", e.Line)
		if e.EndLine > e.Line {
			lines = fmt.Sprintf("lines %d-%d", e.Line, e.EndLine)
		}
		fmt.Fprintf(w, "interdict: %s: %s: %s\n", name, lines, e.Message)
	}
	if sum.Errors > maxErrorRowsShown {
		fmt.Fprintf(w, "interdict: %s: %d more error rows; see the error column of the output\n", name, sum.Errors-maxErrorRowsShown)
	}
	rate := 0.0
	if sum.Elapsed > 0 {
		rate = float64(sum.Records-sum.Resumed) / sum.Elapsed.Seconds()
	}
	fmt.Fprintf(w, "%s: %d records: %d screened, %d alerts, %d error rows; %d input records = %d screened + %d error rows, each one output row\n",
		name, sum.Records, sum.Screened, sum.Alerts, sum.Errors, sum.Records, sum.Screened, sum.Errors)
	if len(sum.WarningsByField) > 0 {
		fields := make([]string, 0, len(sum.WarningsByField))
		n := 0
		for f, c := range sum.WarningsByField {
			fields = append(fields, f)
			n += c
		}
		sort.Strings(fields)
		parts := make([]string, len(fields))
		for i, f := range fields {
			parts[i] = fmt.Sprintf("%s %d", f, sum.WarningsByField[f])
		}
		fmt.Fprintf(w, "warnings: %d (%s); see the warnings column\n", n, strings.Join(parts, ", "))
	}
	if sum.Resumed > 0 {
		fmt.Fprintf(w, "resumed after %d records written before\n", sum.Resumed)
	}
	fmt.Fprintf(w, "in %s (%.0f records/s); policy %s\n", sum.Elapsed.Round(time.Millisecond), rate, p.Hash()[:12])
}

// inputName names the input in messages: its path, or stdin.
func inputName(path string) string {
	if path == "-" {
		return "stdin"
	}
	return path
}

func errorText(err error) string {
	if interdict.ErrorCode(err) != interdict.EINTERNAL {
		return interdict.ErrorMessage(err)
	}
	return err.Error()
}
