package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict/internal/cli"
)

// TestIndexCache: commands of one process that screen the same list
// versions with the same policy share one index; a new version of a list,
// or another policy, builds another.
func TestIndexCache(t *testing.T) {
	home := t.TempDir()
	cache := &cli.IndexCache{}
	cmd := func(args ...string) (int, string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		app := &cli.App{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
			Getenv: func(string) string { return "" }, Now: time.Now, Indexes: cache}
		code := app.Run(context.Background(), append([]string{"--home", home, "--no-snapshot", "--verbose"}, args...))
		return code, stderr.String()
	}
	built := func(step string, want bool, args ...string) {
		t.Helper()
		code, errOut := cmd(args...)
		if code != cli.ExitOK && code != cli.ExitMatch {
			t.Fatalf("%s: %v: exit %d: %s", step, args, code, errOut)
		}
		if got := strings.Contains(errOut, "index loaded"); got != want {
			t.Errorf("%s: index built = %v, want %v:\n%s", step, got, want, errOut)
		}
	}
	if code, errOut := cmd("lists", "import", "--list", "exited", exitedV1); code != cli.ExitOK {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	built("first screen", true, "screen", "John Smith")
	built("same versions and policy", false, "screen", "Jane Doe")
	built("another policy", true, "screen", "--threshold", "0.9", "Jane Doe")
	built("the first policy again", false, "screen", "Jane Doe")
	if code, errOut := cmd("lists", "import", "--list", "exited", exitedV2); code != cli.ExitOK {
		t.Fatalf("import v2: exit %d: %s", code, errOut)
	}
	built("a new list version", true, "screen", "Jane Doe")
}
