// Package ingest is the pipeline that keeps the lists current: fetch each
// list from its publisher, verify that the download is a complete, readable
// file of that list, and import it as a new version (strict, with the
// shrink guard of source.Importer). The list store publishes each version
// made current on its interdict.Events, so that every screening index
// reloads; the pipeline itself holds no state. `interdict lists update`,
// `interdict serve --update-every` and the first run's import of the
// bundled snapshot all go through it.
package ingest

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/source"
)

// Pipeline fetches, verifies and imports lists into a list store.
type Pipeline struct {
	// Lists receives the new versions. Required.
	Lists interdict.ListStore
	// Formats are the list formats files are read with. Required.
	Formats []source.Format
	// Fetcher downloads the publishers' files; nil uses source.NewFetcher.
	Fetcher *source.Fetcher
	// Now returns the import time; nil means time.Now.
	Now func() time.Time
}

func (p *Pipeline) importer() *source.Importer {
	return &source.Importer{Store: p.Lists, Formats: p.Formats, Now: p.Now}
}

// Import reads and imports files (see source.Importer.Import).
func (p *Pipeline) Import(ctx context.Context, files []source.File, opts source.ImportOptions) ([]source.Outcome, error) {
	return p.importer().Import(ctx, files, opts)
}

// Seed imports files (the bundled snapshot) when the store holds no list
// version at all, and reports whether it did. A refused list is an error:
// a first run must not start with a list missing.
func (p *Pipeline) Seed(ctx context.Context, files []source.File, opts source.ImportOptions) (bool, error) {
	vs, err := p.Lists.FindListVersions(ctx, "")
	if err != nil {
		return false, err
	}
	if len(vs) > 0 {
		return false, nil
	}
	outcomes, err := p.Import(ctx, files, opts)
	if err != nil {
		return false, err
	}
	for _, o := range outcomes {
		if o.Status == source.StatusRefused {
			return true, fmt.Errorf("%s: %s", o.List, o.Reason)
		}
	}
	return true, nil
}

// Result is the outcome of an update: one outcome per list (a download or
// verification failure is a refused outcome with its reason) and the lists
// left unchanged for a failure.
type Result struct {
	Outcomes []source.Outcome
	Failed   []string
}

// Update fetches, verifies and imports each of lists (all lists of sources
// when none is named) from the URLs sources gives for it. A list with no
// URL, a failed or partial download, a file of another list or a refused
// import leaves that list's current version in place and is named in
// Failed. It returns an error only for a list interdict does not know.
func (p *Pipeline) Update(ctx context.Context, sources map[string][]string, lists []string, opts source.ImportOptions) (*Result, error) {
	if len(lists) == 0 {
		for l, urls := range sources {
			if len(urls) > 0 {
				lists = append(lists, l)
			}
		}
		sort.Strings(lists)
	}
	for _, l := range lists {
		if _, known := interdict.LookupList(l); !known {
			return nil, interdict.Errorf(interdict.EINVALID, "unknown list %q", l)
		}
	}
	fetcher := p.Fetcher
	if fetcher == nil {
		fetcher = source.NewFetcher()
	}
	res := &Result{}
	refuse := func(list string, err error) {
		res.Outcomes = append(res.Outcomes, source.Outcome{List: list, Status: source.StatusRefused, Reason: err.Error()})
		res.Failed = append(res.Failed, list)
	}
	for _, l := range lists {
		urls := sources[l]
		if len(urls) == 0 {
			refuse(l, fmt.Errorf("no download URL configured (config \"sources\")"))
			continue
		}
		files, err := fetch(ctx, fetcher, urls)
		if err != nil {
			refuse(l, err)
			continue
		}
		if err := p.verify(files, l); err != nil {
			refuse(l, err)
			continue
		}
		got, err := p.Import(ctx, files, opts)
		if err != nil {
			refuse(l, err)
			continue
		}
		for _, o := range got {
			if o.Status == source.StatusRefused {
				res.Failed = append(res.Failed, l)
			}
			res.Outcomes = append(res.Outcomes, o)
		}
	}
	return res, nil
}

func fetch(ctx context.Context, f *source.Fetcher, urls []string) ([]source.File, error) {
	var files []source.File
	for _, u := range urls {
		fs, err := f.Fetch(ctx, u)
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
	}
	return files, nil
}

// verify returns an error unless every file is in a known format of list:
// a publisher URL that starts serving another file must not replace the
// list.
func (p *Pipeline) verify(files []source.File, list string) error {
	for _, f := range files {
		_, got, err := source.Detect(p.Formats, f)
		if err != nil {
			return err
		}
		if got != list {
			return fmt.Errorf("%s is a file of list %s, expected %s", f.Path, got, list)
		}
	}
	return nil
}

// Every runs Update every interval until ctx is done, the first time after
// one interval, and passes each result (or error) to report. It returns
// when ctx is done.
func (p *Pipeline) Every(ctx context.Context, interval time.Duration, sources map[string][]string, opts source.ImportOptions, report func(*Result, error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		res, err := p.Update(ctx, sources, nil, opts)
		if ctx.Err() != nil {
			return
		}
		report(res, err)
	}
}
