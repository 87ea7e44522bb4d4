package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The config file's cluster fields are checked, naming the field, and
// NATS without a PostgreSQL database is refused before anything starts.
func TestConfig_Cluster(t *testing.T) {
	for _, c := range []struct{ name, config, want string }{
		{"database", `{"database": "mysql://db/interdict"}`, "config: database: not a postgres:// URL"},
		{"nats", `{"database": "postgres://db/interdict", "nats": "http://nats:4222"}`, `config: nats: "http://nats:4222" is not a nats:// URL`},
		{"nats-password", `{"database": "postgres://db/interdict", "nats": "tcp://user:s3cret@nats:4222"}`, `"tcp://nats:4222" is not a nats:// URL`},
		{"nats-alone", `{"nats": "nats://127.0.0.1:4222"}`, "NATS (nats://127.0.0.1:4222) needs a PostgreSQL database"},
	} {
		t.Run(c.name, func(t *testing.T) {
			home := t.TempDir()
			if err := os.WriteFile(filepath.Join(home, "config.json"), []byte(c.config), 0o600); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := run(t, home, nil, "lists", "status")
			if code == 0 || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want a failure saying %q", code, stderr, c.want)
			}
			if strings.Contains(stderr, "s3cret") {
				t.Errorf("the NATS password reached the error: %q", stderr)
			}
		})
	}
}
