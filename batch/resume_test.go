package batch_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/batch"
)

// The resume test runs batches in a child process (this test binary,
// re-executed) and kills it with SIGKILL: nothing is flushed or cleaned up,
// as in a crash.
const (
	envHelper = "BATCH_RESUME_HELPER"
	envIn     = "BATCH_RESUME_IN"
	envOut    = "BATCH_RESUME_OUT"
	envFormat = "BATCH_RESUME_FORMAT"
	envResume = "BATCH_RESUME_RESUME"
	every     = 1000
)

// runFile runs a whole batch from file to file, as the CLI will.
func runFile(in, out, format string, resume bool, progress func(batch.Progress)) (batch.Summary, error) {
	f, err := os.Open(in)
	if err != nil {
		return batch.Summary{}, err
	}
	defer f.Close()
	rd, err := batch.Open(f, in, batch.ReadOptions{})
	if err != nil {
		return batch.Summary{}, err
	}
	opt := batch.RunOptions{Check: checkOpts, Workers: 4, Checkpoint: out + ".checkpoint",
		CheckpointEvery: every, Resume: resume, Progress: progress}
	wr, err := batch.CreateOutput(out, format, rd, opt)
	if err != nil {
		return batch.Summary{}, err
	}
	sum, err := batch.Run(context.Background(), rd, fakeScreener{}, wr, opt)
	if cerr := wr.Close(); err == nil {
		err = cerr
	}
	return sum, err
}

// TestResumeHelper is the child process; it does nothing in a normal run.
// It prints a line at every checkpoint interval so that the parent can
// kill it at chosen points, and the summary at the end.
func TestResumeHelper(t *testing.T) {
	if os.Getenv(envHelper) != "1" {
		t.Skip("helper process for TestRun_ResumeAfterKill")
	}
	w := bufio.NewWriter(os.Stdout)
	sum, err := runFile(os.Getenv(envIn), os.Getenv(envOut), os.Getenv(envFormat), os.Getenv(envResume) == "1", func(p batch.Progress) {
		if p.Records%every == 0 {
			fmt.Fprintf(w, "progress %d\n", p.Records)
			w.Flush()
		}
	})
	if err != nil {
		fmt.Fprintf(w, "error %v\n", err)
		w.Flush()
		os.Exit(1)
	}
	fmt.Fprintf(w, "done %d %d %d %d %d\n", sum.Records, sum.Screened, sum.Errors, sum.Alerts, sum.Resumed)
	w.Flush()
	os.Exit(0)
}

// child starts the helper and kills it with SIGKILL once it has reported
// killAfter progress lines (0: let it finish). It returns the last line.
func child(t *testing.T, in, out, format string, resume bool, killAfter int) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestResumeHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), envHelper+"=1", envIn+"="+in, envOut+"="+out, envFormat+"="+format,
		envResume+"="+map[bool]string{true: "1", false: "0"}[resume])
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	seen, last := 0, ""
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "progress ") {
			seen++
			if killAfter > 0 && seen == killAfter {
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
			}
		}
		if strings.HasPrefix(line, "progress ") || strings.HasPrefix(line, "done ") || strings.HasPrefix(line, "error ") {
			last = line
		}
	}
	err = cmd.Wait()
	if killAfter > 0 && seen >= killAfter {
		if err == nil {
			t.Fatalf("child exited cleanly after being killed (last %q)", last)
		}
		ck, cerr := batch.ReadCheckpoint(out + ".checkpoint")
		fi, serr := os.Stat(out)
		if cerr != nil || serr != nil {
			t.Fatalf("after the kill: checkpoint %v, output %v", cerr, serr)
		}
		if fi.Size() < ck.OutputBytes {
			t.Fatalf("after the kill the output has %d bytes, fewer than the checkpoint's %d", fi.Size(), ck.OutputBytes)
		}
		t.Logf("killed after %q: checkpoint at record %d, %d output bytes beyond it to cut", last, ck.Records, fi.Size()-ck.OutputBytes)
		return last
	}
	if err != nil {
		t.Fatalf("child: %v (last %q)\n%s", err, last, stderr.String())
	}
	return last
}

// TestRun_ResumeAfterKill kills a 200,000-row batch several times, resumes
// it each time, and compares the output byte for byte with an uninterrupted
// run: no row missing, none repeated.
func TestRun_ResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 200,000 rows in child processes")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "customers.csv")
	data := bigCSV(200000, func(i int) string {
		if i == 31337 {
			return "C031337,\"Broken,1970,DE,x\n" // a damaged record
		}
		if i%10007 == 0 {
			return fmt.Sprintf("C%06d,,1970,DE,no name\n", i) // an error row
		}
		return ""
	})
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"csv", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			ref := filepath.Join(dir, "ref."+format)
			sum, err := runFile(in, ref, format, false, nil)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Records != 200000 || sum.Errors != 20 || sum.Records != sum.Screened+sum.Errors {
				t.Fatalf("uninterrupted run: %+v", sum)
			}
			want, _ := os.ReadFile(ref)
			if _, err := os.Stat(ref + ".checkpoint"); !os.IsNotExist(err) {
				t.Fatalf("checkpoint left after a complete run: %v", err)
			}

			out := filepath.Join(dir, "out."+format)
			last := child(t, in, out, format, false, 3)
			kills := 1
			// Kill each resumed run too, further along each time.
			for _, k := range []int{5, 40, 1} {
				last = child(t, in, out, format, true, k)
				if strings.HasPrefix(last, "done ") {
					break
				}
				kills++
			}
			if !strings.HasPrefix(last, "done ") {
				last = child(t, in, out, format, true, 0)
			}
			f := strings.Fields(last)
			if len(f) != 6 || f[1] != "200000" || f[3] != "20" {
				t.Fatalf("final resumed run: %q, want 200000 records and 20 errors", last)
			}
			if resumed, _ := strconv.Atoi(f[5]); resumed == 0 {
				t.Fatalf("final run resumed nothing: %q", last)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
				for i := 0; i < min(len(gl), len(wl)); i++ {
					if !bytes.Equal(gl[i], wl[i]) {
						t.Fatalf("after %d kills the output differs from an uninterrupted run at line %d of %d/%d:\n got %.200q\nwant %.200q", kills, i+1, len(gl), len(wl), gl[i], wl[i])
					}
				}
				t.Fatalf("after %d kills the output has %d lines, an uninterrupted run %d", kills, len(gl), len(wl))
			}
			t.Logf("%s: %d kills, output identical (%d bytes)", format, kills, len(got))
		})
	}
}

func TestRun_ResumeChecks(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	os.WriteFile(in, bigCSV(10, nil), 0o644)
	f, _ := os.Open(in)
	defer f.Close()
	rd, err := batch.Open(f, in, batch.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := batch.CreateOutput(filepath.Join(dir, "o.xlsx"), "xlsx", rd, batch.RunOptions{Resume: true, Checkpoint: filepath.Join(dir, "ck")}); err == nil || !strings.Contains(err.Error(), "csv or jsonl") {
		t.Fatalf("resume to xlsx: %v, want an error asking for csv or jsonl", err)
	}
	if _, err := batch.CreateOutput(filepath.Join(dir, "o.csv"), "csv", rd, batch.RunOptions{Resume: true, Checkpoint: filepath.Join(dir, "ck")}); err == nil || !strings.Contains(err.Error(), "no checkpoint") {
		t.Fatalf("resume without checkpoint: %v", err)
	}
	// A checkpoint of another input is refused.
	other := filepath.Join(dir, "other.csv")
	os.WriteFile(other, bigCSV(20, nil), 0o644)
	sumOpt := batch.RunOptions{Checkpoint: filepath.Join(dir, "ck"), CheckpointEvery: 5}
	ctx, cancel := context.WithCancel(context.Background())
	of, _ := os.Open(other)
	defer of.Close()
	ord, _ := batch.Open(of, other, batch.ReadOptions{})
	wr, _ := batch.CreateOutput(filepath.Join(dir, "o.csv"), "csv", ord, sumOpt)
	cancel()
	if _, err := batch.Run(ctx, ord, fakeScreener{}, wr, sumOpt); err == nil {
		t.Fatalf("Run with a cancelled context: no error")
	}
	wr.Close()
	sumOpt.Resume = true
	if _, err := batch.CreateOutput(filepath.Join(dir, "o.csv"), "csv", rd, sumOpt); err == nil || !strings.Contains(err.Error(), "not the input") {
		t.Fatalf("resume with another input: %v", err)
	}
	// Checkpoints need an output that can be cut back.
	xw, _ := batch.NewWriter(&bytes.Buffer{}, "xlsx", rd.Header())
	if _, err := batch.Run(context.Background(), rd, fakeScreener{}, xw, batch.RunOptions{Checkpoint: filepath.Join(dir, "ck2")}); err == nil {
		t.Fatalf("checkpoint with xlsx output: no error")
	}
}

// cancelScreener cancels the run when it reaches one row.
type cancelScreener struct {
	fakeScreener
	at     string
	cancel context.CancelFunc
}

func (c cancelScreener) Screen(ctx context.Context, q interdict.Query) (*interdict.ScreenResult, error) {
	if q.Ref == c.at {
		c.cancel()
	}
	return c.fakeScreener.Screen(ctx, q)
}

// TestRun_ResumeAfterCancel stops a run by cancelling its context (Ctrl-C)
// and resumes it: the output is that of an uninterrupted run, and no row
// holds the context's error.
func TestRun_ResumeAfterCancel(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	os.WriteFile(in, bigCSV(20000, nil), 0o644)
	ref := filepath.Join(dir, "ref.csv")
	if _, err := runFile(in, ref, "csv", false, nil); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(ref)

	out := filepath.Join(dir, "out.csv")
	f, _ := os.Open(in)
	rd, err := batch.Open(f, in, batch.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	opt := batch.RunOptions{Check: checkOpts, Workers: 4, Checkpoint: out + ".checkpoint", CheckpointEvery: every}
	wr, err := batch.CreateOutput(out, "csv", rd, opt)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	sum, err := batch.Run(ctx, rd, cancelScreener{at: "C012345", cancel: cancel}, wr, opt)
	wr.Close()
	f.Close()
	if !errors.Is(err, context.Canceled) || sum.Records == 0 || sum.Records >= 20000 || sum.Errors != 0 {
		t.Fatalf("cancelled run: %+v, %v", sum, err)
	}
	ck, err := batch.ReadCheckpoint(opt.Checkpoint)
	if err != nil || ck.Records != sum.Records {
		t.Fatalf("checkpoint after cancel: %+v, %v; want %d records", ck, err, sum.Records)
	}
	rsum, err := runFile(in, out, "csv", true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rsum.Records != 20000 || rsum.Resumed != sum.Records || rsum.Errors != 0 {
		t.Fatalf("resumed run: %+v", rsum)
	}
	got, _ := os.ReadFile(out)
	if !bytes.Equal(got, want) {
		t.Fatalf("resumed output (%d bytes) differs from an uninterrupted run (%d bytes)", len(got), len(want))
	}
}
