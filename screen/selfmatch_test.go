package screen_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/evalgen"
	"github.com/interdict/interdict/match"
	"github.com/interdict/interdict/screen"
	"github.com/interdict/interdict/snapshot"
	"github.com/interdict/interdict/source"
)

// officialFiles leaves out the snapshot's derived copies of lists.
func officialFiles(files []source.File) ([]source.File, error) {
	m, err := snapshot.ReadManifest()
	if err != nil {
		return nil, err
	}
	var out []source.File
	for _, f := range files {
		derived := false
		for _, it := range m.Files {
			if it.Derived && strings.HasPrefix(f.Path, "snapshot/"+it.File) {
				derived = true
			}
		}
		if !derived {
			out = append(out, f)
		}
	}
	return out, nil
}

var (
	snapOnce sync.Once
	snapEnts []interdict.Entity
	snapIx   *match.Index
	snapErr  error
)

// snapshotIndex parses the bundled snapshot of the public lists (in the
// repository, so this never skips) and indexes it once per test binary.
func snapshotIndex(t testing.TB) ([]interdict.Entity, *match.Index) {
	t.Helper()
	snapOnce.Do(func() {
		files, _, err := snapshot.Files()
		if err != nil {
			snapErr = err
			return
		}
		// The official lists only: the derived, lossy copies (a surname
		// alone for many people) are no test of the matcher.
		files, err = officialFiles(files)
		if err != nil {
			snapErr = err
			return
		}
		results, err := source.ParseAll(evalgen.Formats(), files)
		if err != nil {
			snapErr = err
			return
		}
		for _, r := range results {
			snapEnts = append(snapEnts, r.Entities...)
		}
		snapIx = match.NewIndex(snapEnts)
	})
	if snapErr != nil {
		t.Fatal("bundled snapshot:", snapErr)
	}
	return snapEnts, snapIx
}

// selfQuery is one name of a listed entity, screened as the list writes it.
type selfQuery struct {
	ent     int
	name    string
	quality interdict.NameQuality
}

// selfMiss is a listed name whose own entity did not come back alerting.
type selfMiss struct {
	selfQuery
	got   string // what came back instead
	score float64
}

// selfMatch screens every primary name and strong alias of every bundled
// entity, as written (with the entity's kind when withKind), and returns the
// names whose own entity is not among the hits at or above the policy
// threshold.
func selfMatch(t *testing.T, withKind bool) (n int, misses []selfMiss) {
	ents, ix := snapshotIndex(t)
	s, err := screen.NewScreener(ix, screen.DefaultPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var qs []selfQuery
	for i := range ents {
		for _, nm := range ents[i].Names {
			if nm.Quality == interdict.NamePrimary || nm.Quality == interdict.NameStrong {
				qs = append(qs, selfQuery{i, nm.Full, nm.Quality})
			}
		}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	work := make(chan selfQuery)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for q := range work {
				e := &ents[q.ent]
				query := interdict.Query{Name: q.name}
				if withKind {
					query.Kind = e.Kind
				}
				res, err := s.Screen(context.Background(), query)
				if err != nil {
					mu.Lock()
					misses = append(misses, selfMiss{selfQuery: q, got: "error: " + err.Error()})
					mu.Unlock()
					continue
				}
				found := false
				for _, h := range res.Hits {
					if h.EntityID == e.ID && h.Score >= screen.DefaultPolicy().Threshold {
						found = true
						break
					}
				}
				if !found {
					m := selfMiss{selfQuery: q, got: "no hit"}
					for _, h := range res.Hits {
						if h.EntityID == e.ID {
							m.got, m.score = "own entity below threshold", h.Score
							break
						}
					}
					if m.got == "no hit" && len(res.Hits) > 0 {
						m.got = fmt.Sprintf("%d others, first %s %q %.3f", len(res.Hits), res.Hits[0].EntityID, res.Hits[0].MatchedName, res.Hits[0].Score)
					}
					mu.Lock()
					misses = append(misses, m)
					mu.Unlock()
				}
			}
		}()
	}
	for _, q := range qs {
		work <- q
	}
	close(work)
	wg.Wait()
	sort.Slice(misses, func(i, j int) bool { return misses[i].name < misses[j].name })
	return len(qs), misses
}

// TestEveryListedNameFindsItsEntity: every primary name and strong alias of
// every entity of the bundled snapshot, screened as written, returns its own
// entity at or above the alert threshold.
func TestEveryListedNameFindsItsEntity(t *testing.T) {
	for _, withKind := range []bool{false, true} {
		t.Run(fmt.Sprintf("kind=%v", withKind), func(t *testing.T) {
			n, misses := selfMatch(t, withKind)
			if out := os.Getenv("INTERDICT_SELFMATCH_OUT"); out != "" {
				var b strings.Builder
				for _, m := range misses {
					fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%.3f\n", m.quality, snapEnts[m.ent].ID, m.name, m.got, m.score)
				}
				os.WriteFile(fmt.Sprintf("%s.%v", out, withKind), []byte(b.String()), 0o644)
			}
			t.Logf("%d listed names screened, %d miss their own entity", n, len(misses))
			for i, m := range misses {
				if i == 40 {
					t.Errorf("... and %d more", len(misses)-40)
					break
				}
				t.Errorf("%s %q (%s): %s %.3f", snapEnts[m.ent].ID, m.name, m.quality, m.got, m.score)
			}
		})
	}
}
