package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/ingest"
	"github.com/interdict/interdict/inmem"
	"github.com/interdict/interdict/natsbus"
	"github.com/interdict/interdict/postgres"
	"github.com/interdict/interdict/snapshot"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/sqlite"
)

// stores are the opened storage adapters and the event bus that ties them
// to the screening service.
type stores struct {
	db     *sqlite.DB
	lists  interdict.ListStore
	jobs   interdict.JobStore
	events interdict.Events
	// pg is the PostgreSQL database of a cluster (lists, jobs and the
	// review store live there), bus its NATS connection; both nil on a
	// single server (see openCluster).
	pg  *postgres.DB
	bus *natsbus.Bus
	// review is the review store (the book, alerts, audit trail): on db,
	// or on PostgreSQL with --database (see openReview); closers close
	// what openReview opened besides db.
	review  interdict.ReviewStore
	closers []io.Closer
}

// open opens the embedded database in the data directory, creating it. It
// imports nothing: see start.
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
	events := inmem.NewEvents()
	lists := sqlite.NewListStore(db)
	lists.Events = events
	a.store = &stores{db: db, lists: lists, jobs: sqlite.NewJobStore(db), events: events}
	// On a cluster: the lists, jobs and review store on PostgreSQL, the
	// events on NATS.
	if err := a.openCluster(ctx, a.store); err != nil {
		db.Close()
		a.store = nil
		return nil, err
	}
	return a.store, nil
}

// start is the start-up of every command that uses the store: it opens the
// store and, on first run (an empty store, unless --no-snapshot or
// INTERDICT_NO_SNAPSHOT), imports the bundled snapshot of the public lists
// through the ingest pipeline.
func (a *App) start(ctx context.Context) (*stores, error) {
	if a.store != nil {
		return a.store, nil
	}
	st, err := a.open(ctx)
	if err != nil {
		return nil, err
	}
	if a.noSnapshot || a.Getenv("INTERDICT_NO_SNAPSHOT") != "" {
		return st, nil
	}
	seed := a.seedSnapshot
	if st.pg != nil {
		// Replicas that start together on an empty database: one imports.
		seed = func(ctx context.Context) error { return st.pg.WithLock(ctx, "seed", a.seedSnapshot) }
	}
	if err := seed(ctx); err != nil {
		return nil, fmt.Errorf("import bundled snapshot: %w", err)
	}
	return st, nil
}

// Close closes what the app opened.
func (a *App) Close() error {
	if a.store != nil {
		for _, c := range a.store.closers {
			c.Close()
		}
		if a.store.bus != nil {
			a.store.bus.Close()
		}
		if a.store.pg != nil {
			a.store.pg.Close()
		}
		err := a.store.db.Close()
		a.store = nil
		return err
	}
	return nil
}

// seedSnapshot imports the bundled lists into an empty store, recording
// each list's publication date from the snapshot manifest.
func (a *App) seedSnapshot(ctx context.Context) error {
	vs, err := a.store.lists.FindListVersions(ctx, "")
	if err != nil || len(vs) > 0 {
		return err
	}
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
	_, err = a.pipeline().Seed(ctx, files, source.ImportOptions{Published: published})
	return err
}

// pipeline returns the ingest pipeline into the opened store.
func (a *App) pipeline() *ingest.Pipeline {
	p := &ingest.Pipeline{Lists: a.store.lists, Formats: formats(), Now: a.Now}
	if a.HTTPClient != nil {
		p.Fetcher = source.NewFetcher()
		p.Fetcher.Client = a.HTTPClient
	}
	return p
}
