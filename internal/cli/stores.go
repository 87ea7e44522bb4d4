package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/interdict/interdict/snapshot"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/sqlite"
)

// stores are the opened storage adapters.
type stores struct {
	db    *sqlite.DB
	lists *sqlite.ListStore
}

// open opens the embedded database in the data directory, creating it, and
// on first use imports the bundled snapshot of the public lists.
func (a *App) open(ctx context.Context) (*stores, error) {
	if a.store != nil {
		return a.store, nil
	}
	c, err := a.loadConfig()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(c.Home, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	db := sqlite.NewDB(filepath.Join(c.Home, "interdict.db"))
	db.Now = a.Now
	if err := db.Open(ctx); err != nil {
		return nil, err
	}
	a.store = &stores{db: db, lists: sqlite.NewListStore(db)}
	if !a.noSnapshot && a.Getenv("INTERDICT_NO_SNAPSHOT") == "" {
		vs, err := a.store.lists.FindListVersions(ctx, "")
		if err != nil {
			return nil, err
		}
		if len(vs) == 0 {
			if err := a.importSnapshot(ctx); err != nil {
				return nil, fmt.Errorf("import bundled snapshot: %w", err)
			}
		}
	}
	return a.store, nil
}

// Close closes what the app opened.
func (a *App) Close() error {
	if a.store != nil {
		err := a.store.db.Close()
		a.store = nil
		return err
	}
	return nil
}

// importSnapshot imports the bundled lists, recording each list's
// publication date from the snapshot manifest.
func (a *App) importSnapshot(ctx context.Context) error {
	files, m, err := snapshot.Files()
	if err != nil {
		return err
	}
	published := map[string]string{}
	for _, it := range m.Files {
		if _, ok := published[it.List]; !ok {
			published[it.List] = it.Published
		}
	}
	fmt.Fprintf(a.Stderr, "interdict: first run: importing the bundled snapshot of %d list files (collected %s) into %s\n", len(m.Files), m.Collected, a.config.Home)
	im := a.importer()
	outcomes, err := im.Import(ctx, files, source.ImportOptions{Published: published})
	if err != nil {
		return err
	}
	for _, o := range outcomes {
		if o.Status == source.StatusRefused {
			return fmt.Errorf("%s: %s", o.List, o.Reason)
		}
	}
	return nil
}

func (a *App) importer() *source.Importer {
	return &source.Importer{Store: a.store.lists, Formats: formats(), Now: a.Now}
}
