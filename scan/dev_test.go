package scan_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"
)

func TestDevScan(t *testing.T) {
	f := os.Getenv("SCAN_DEV_FILE")
	if f == "" {
		t.Skip()
	}
	start := time.Now()
	s := MustBundledScanner(t)
	t.Logf("built in %s, %d entities", time.Since(start), s.Entities())
	b, _ := os.ReadFile(f)
	start = time.Now()
	r, err := s.Scan(context.Background(), f, string(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("scanned %d bytes in %s", len(b), time.Since(start))
	for _, m := range r.Mentions {
		t.Logf("%s %s %q -> %s %q %.2f | %s", m.Kind, m.EntityID, m.Text, m.Name, m.List, m.Score, m.Why)
	}
	out, _ := json.MarshalIndent(r.Topics, "", " ")
	t.Logf("%s", out)
}
