package cli_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict/internal/cli"
)

// BenchmarkImportSnapshot measures the first run of a fresh install: opening
// a new store and importing every bundled list (parse, check, store).
func BenchmarkImportSnapshot(b *testing.B) {
	for i := 0; i < b.N; i++ {
		home := b.TempDir()
		app := &cli.App{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard,
			Getenv: func(string) string { return "" }, Now: time.Now}
		if code := app.Run(context.Background(), []string{"--home", home, "lists", "status"}); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
