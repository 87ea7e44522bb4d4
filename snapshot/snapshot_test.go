package snapshot_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/snapshot"
)

func TestFiles(t *testing.T) {
	files, m, err := snapshot.Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(m.Files) {
		t.Fatalf("got %d files, manifest lists %d", len(files), len(m.Files))
	}
	for _, it := range m.Files {
		if _, ok := interdict.LookupList(it.List); !ok {
			t.Errorf("%s: unknown list %q", it.File, it.List)
		}
		if it.Published == "" || it.Origin == "" || it.Licence == "" {
			t.Errorf("%s: manifest entry incomplete: %+v", it.File, it)
		}
	}
	for _, f := range files {
		if len(f.Data) == 0 {
			t.Errorf("%s: empty", f.Path)
		}
	}
}

var update = flag.Bool("update", false, "rewrite the sizes and checksums in manifest.json from data/")

// TestManifest checks every file of data/ against the manifest, and every
// manifest entry against its file (with -update, rewrites the sizes and
// checksums instead).
func TestManifest(t *testing.T) {
	raw, err := os.ReadFile("manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m snapshot.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for i, it := range m.Files {
		listed[it.File] = true
		b, err := os.ReadFile(filepath.Join("data", it.File))
		if err != nil {
			t.Errorf("manifest names %s: %v", it.File, err)
			continue
		}
		sum := sha256.Sum256(b)
		size, hash := int64(len(b)), hex.EncodeToString(sum[:])
		if *update {
			m.Files[i].Size, m.Files[i].SHA256 = size, hash
			continue
		}
		if size != it.Size || hash != it.SHA256 {
			t.Errorf("%s: size %d, sha256 %s; manifest says %d, %s (run with -update)", it.File, size, hash, it.Size, it.SHA256)
		}
		if it.Derived && it.Aggregator == "" {
			t.Errorf("%s: derived copy without its aggregator", it.File)
		}
	}
	des, err := os.ReadDir("data")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range des {
		if !listed[d.Name()] {
			t.Errorf("data/%s is not in the manifest", d.Name())
		}
	}
	if *update {
		out, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("manifest.json", append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
