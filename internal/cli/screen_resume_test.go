package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict/batch"
	"github.com/interdict/interdict/internal/cli"
)

// TestScreenBatchResume cuts a batch off once its first checkpoint is
// written, continues it with --resume, and checks that the output is byte
// for byte that of a run that was never cut off, and that the checkpoint
// is gone.
func TestScreenBatchResume(t *testing.T) {
	home := snapshotHome(t)
	dir := t.TempDir()
	var in strings.Builder
	in.WriteString("Customer ID,Full Name,Date of Birth,Branch\n")
	names := []string{"Majid Kakavand", "Hasan Nasrallah", "Zebulon Quartermaine", "Anna Schmidt", "X", " "}
	const rows = 4000
	for i := range rows {
		fmt.Fprintf(&in, "c%d,%s,%d,b%d\n", i, names[i%len(names)], 1950+i%50, i%7)
	}
	inPath := writeFile(t, dir, "customers.csv", []byte(in.String()))

	whole := filepath.Join(dir, "whole.csv")
	if code, _, errOut := run(t, home, nil, "screen", "-i", inPath, "-o", whole); code != cli.ExitMatch {
		t.Fatalf("uninterrupted run: exit %d: %s", code, errOut)
	}

	cut := filepath.Join(dir, "cut.csv")
	ckpt := cut + ".checkpoint"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		// Cancel once a checkpoint past the first rows is in place.
		for ctx.Err() == nil {
			if ck, err := batch.ReadCheckpoint(ckpt); err == nil && ck.Records > 0 {
				cancel()
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	var stdout, stderr bytes.Buffer
	app := &cli.App{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }, Now: time.Now}
	code := app.Run(ctx, []string{"--home", home, "--no-snapshot", "screen", "-i", inPath, "-o", cut})
	if code == cli.ExitMatch {
		t.Skipf("the run finished before it could be cut off (%d rows); nothing to resume", rows)
	}
	if code != cli.ExitError || !strings.Contains(stderr.String(), "--resume") {
		t.Fatalf("cut-off run: exit %d, want 1 with a hint to --resume: %s", code, stderr.String())
	}
	ck, err := batch.ReadCheckpoint(ckpt)
	if err != nil || ck.Records == 0 || ck.Records >= rows {
		t.Fatalf("checkpoint after the cut: %+v, %v; want some rows, not all", ck, err)
	}
	code, _, errOut := run(t, home, nil, "screen", "-i", inPath, "-o", cut, "--resume")
	if code != cli.ExitMatch {
		t.Fatalf("resumed run: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, fmt.Sprintf("%d records: ", rows)) || !strings.Contains(errOut, fmt.Sprintf("resumed after %d records", ck.Records)) {
		t.Errorf("the summary of the resumed run does not count the whole input: %s", errOut)
	}
	if a, b := mustRead(t, whole), mustRead(t, cut); !bytes.Equal(a, b) {
		t.Errorf("the resumed output (%d bytes) differs from the uninterrupted one (%d bytes)", len(b), len(a))
	}
	if _, err := os.Stat(ckpt); !os.IsNotExist(err) {
		t.Errorf("the checkpoint is left after the resumed run completed: %v", err)
	}
	if code, _, errOut := run(t, home, nil, "screen", "-i", inPath, "-o", cut, "--resume"); code != cli.ExitError || !strings.Contains(errOut, "no checkpoint") {
		t.Errorf("--resume with no checkpoint: exit %d, %s", code, errOut)
	}
}
