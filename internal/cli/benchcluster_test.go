package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict/internal/cli"
)

// TestBenchCluster_Usage checks the flags of `bench cluster` before it
// starts anything: a database and a NATS server are required, and the
// counts must make sense.
func TestBenchCluster_Usage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"NoDatabase", []string{"--nats", "nats://127.0.0.1:4222"}, "needs --database"},
		{"NotPostgres", []string{"--database", "/tmp/x.db", "--nats", "nats://127.0.0.1:4222"}, "needs --database"},
		{"NoNATS", []string{"--database", "postgres://u@127.0.0.1/db"}, "needs --nats"},
		{"ZeroReplicas", []string{"--database", "postgres://u@127.0.0.1/db", "--nats", "nats://127.0.0.1:4222", "--replicas", "0"}, "--replicas must be between 1 and 16"},
		{"ZeroClients", []string{"--database", "postgres://u@127.0.0.1/db", "--nats", "nats://127.0.0.1:4222", "--concurrency", "0"}, "--concurrency must be at least 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			app := &cli.App{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &stderr,
				Getenv: func(string) string { return "" }, Now: time.Now}
			code := app.Run(context.Background(), append([]string{"--home", t.TempDir(), "bench", "cluster"}, tc.args...))
			if code != 2 || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("bench cluster %v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, stderr.String(), tc.want)
			}
		})
	}
}
