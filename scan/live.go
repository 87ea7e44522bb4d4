package scan

import (
	"context"
	"sync"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/screen"
)

// Live keeps a Scanner for the screening service's current index: it
// builds one on first use and again after the service swaps in a new
// index (a list update). It is safe for concurrent use; callers wait while
// a scanner is built.
type Live struct {
	svc *screen.Service
	mu  sync.Mutex
	ix  *screen.Index
	sc  *Scanner
}

// NewLive returns a Live over svc.
func NewLive(svc *screen.Service) *Live { return &Live{svc: svc} }

// Scanner returns the scanner of the current index. It returns
// EUNAVAILABLE before the service has an index.
func (l *Live) Scanner(ctx context.Context) (*Scanner, error) {
	ix := l.svc.Current()
	if ix == nil {
		return nil, interdict.Errorf(interdict.EUNAVAILABLE, "The lists are still being loaded, so documents cannot be scanned yet; try again in a few seconds.")
	}
	return l.For(ix)
}

// For returns the scanner of one index, building it if it is not the
// last one built.
func (l *Live) For(ix *screen.Index) (*Scanner, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ix == ix && l.sc != nil {
		return l.sc, nil
	}
	sc, err := New(ix.Listed, Options{Screener: ix.Screener, Threshold: ix.Threshold})
	if err != nil {
		return nil, err
	}
	l.ix, l.sc = ix, sc
	return sc, nil
}
