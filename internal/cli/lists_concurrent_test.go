package cli_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestListsImport_Concurrent starts two `interdict lists import` together
// on a new home, 20 times: both succeed (the second waits for the first's
// write, and the home is migrated once between them). Half the runs import
// two lists, half two files of the same list.
func TestListsImport_Concurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("40 imports")
	}
	dir := t.TempDir()
	un := filepath.Join(dir, "UN_consolidated.xml")
	dpl := filepath.Join(dir, "dpl.txt")
	for name, data := range map[string][]byte{un: snapshotFile(t, "UN_consolidated_2026-02-27.xml.gz"), dpl: snapshotFile(t, "dpl_2023-11.txt.gz")} {
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ok := 0
	for i := 0; i < 20; i++ {
		home := t.TempDir()
		files := [2]string{un, dpl}
		if i%2 == 1 {
			files[0] = dpl
		}
		var wg sync.WaitGroup
		codes, errs := make([]int, 2), make([]string, 2)
		start := make(chan struct{})
		for j := range files {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				codes[j], _, errs[j] = run(t, home, nil, "lists", "import", files[j])
			}()
		}
		close(start)
		wg.Wait()
		for j := range files {
			if codes[j] != 0 {
				t.Errorf("run %d, import of %s: exit %d: %s", i+1, filepath.Base(files[j]), codes[j], errs[j])
				continue
			}
			ok++
		}
	}
	t.Logf("%d of 40 concurrent imports succeeded", ok)
}
