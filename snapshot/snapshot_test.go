package snapshot_test

import (
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
