package scan

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkTokenize tokenizes the English texts of the evaluation set,
// repeated to 1 MiB: the floor under every scan.
func BenchmarkTokenize(b *testing.B) {
	files, err := filepath.Glob("evaldata/en-*.txt")
	if err != nil || len(files) == 0 {
		b.Fatal("no English texts in evaldata")
	}
	var sb strings.Builder
	for sb.Len() < 1<<20 {
		for _, f := range files {
			t, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			sb.Write(t)
			sb.WriteString("\n\n")
		}
	}
	text := sb.String()[:1<<20]
	b.SetBytes(int64(len(text)))
	var ru0, ru1 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	for b.Loop() {
		d := tokenize(text)
		d.release()
	}
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	cpu := time.Duration(ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano())
	if cpu > 0 {
		b.ReportMetric(float64(b.N)*float64(len(text))/1e6/cpu.Seconds(), "cpu-MB/s")
	}
}
