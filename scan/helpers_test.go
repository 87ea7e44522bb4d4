package scan_test

import (
	"sync"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/scan"
	"github.com/interdict/interdict/screen"
	"github.com/interdict/interdict/snapshot"
	"github.com/interdict/interdict/source"
	"github.com/interdict/interdict/source/canada"
	"github.com/interdict/interdict/source/csl"
	"github.com/interdict/interdict/source/dfat"
	"github.com/interdict/interdict/source/dpl"
	"github.com/interdict/interdict/source/eu"
	"github.com/interdict/interdict/source/ftm"
	"github.com/interdict/interdict/source/ofac"
	"github.com/interdict/interdict/source/pakote"
	"github.com/interdict/interdict/source/uk"
	"github.com/interdict/interdict/source/ukflat"
	"github.com/interdict/interdict/source/un"
)

var (
	bundledOnce sync.Once
	bundledScan *scan.Scanner
	bundledErr  error
)

// MustBundledScanner returns a scanner over the bundled snapshot of every
// list that serve scans (the publishers' formats and the derived EU and UK
// copies), verified by the default screening policy.
func MustBundledScanner(tb testing.TB) *scan.Scanner {
	tb.Helper()
	bundledOnce.Do(func() {
		files, _, err := snapshot.Files()
		if err != nil {
			bundledErr = err
			return
		}
		var formats []source.Format
		for _, fs := range [][]source.Format{ofac.Formats, un.Formats, eu.Formats, uk.Formats, csl.Formats, dpl.Formats, canada.Formats, dfat.Formats, ftm.Formats, pakote.Formats, ukflat.Formats} {
			formats = append(formats, fs...)
		}
		official := files
		results, err := source.ParseAll(formats, official)
		if err != nil {
			bundledErr = err
			return
		}
		var ents []interdict.Entity
		for _, r := range results {
			ents = append(ents, r.Entities...)
		}
		svc, err := screen.NewService(screen.ServiceConfig{Policy: screen.DefaultPolicy()})
		if err != nil {
			bundledErr = err
			return
		}
		ix, err := svc.Load(ents, nil)
		if err != nil {
			bundledErr = err
			return
		}
		bundledScan, bundledErr = scan.New(ents, scan.Options{Screener: ix.Screener, Threshold: ix.Threshold})
	})
	if bundledErr != nil {
		tb.Fatalf("bundled scanner: %v", bundledErr)
	}
	return bundledScan
}
