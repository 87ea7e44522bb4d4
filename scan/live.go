package scan

import (
	"context"
	"sync"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/screen"
)

// Live keeps a Scanner for the screening service's current index. Run
// builds it in the background as soon as the service has an index, and
// again after the service swaps in a new one (a list update), so that no
// request waits for a build; without Run, the first use builds it. While a
// new index's scanner is being built, the previous one answers. It is safe
// for concurrent use.
type Live struct {
	svc *screen.Service
	mu  sync.Mutex
	ix  *screen.Index
	sc  *Scanner
	// building is the index whose scanner is being built, and done is
	// closed when that build ends.
	building *screen.Index
	done     chan struct{}
	err      error
}

// NewLive returns a Live over svc.
func NewLive(svc *screen.Service) *Live { return &Live{svc: svc} }

// Scanner returns the scanner of the current index (or, while that one is
// being built, the previous index's). It returns EUNAVAILABLE before the
// service has an index.
func (l *Live) Scanner(ctx context.Context) (*Scanner, error) {
	ix := l.svc.Current()
	if ix == nil {
		return nil, interdict.Errorf(interdict.EUNAVAILABLE, "The lists are still being loaded, so documents cannot be scanned yet; try again in a few seconds.")
	}
	return l.get(ctx, ix, false)
}

// For returns the scanner of one index, building it (or waiting for its
// build) if it is not the last one built.
func (l *Live) For(ix *screen.Index) (*Scanner, error) {
	return l.get(context.Background(), ix, true)
}

// Ready reports whether the scanner of the service's current index is
// built.
func (l *Live) Ready() bool {
	ix := l.svc.Current()
	l.mu.Lock()
	defer l.mu.Unlock()
	return ix != nil && l.ix == ix && l.sc != nil
}

// Run builds the scanner of the current index as soon as there is one, and
// again whenever the service swaps in a new index (checked every poll, one
// second if 0), until ctx is done. Build errors are returned by the next
// Scanner call, which tries again.
func (l *Live) Run(ctx context.Context, poll time.Duration) {
	if poll <= 0 {
		poll = time.Second
	}
	select {
	case <-l.svc.Ready():
	case <-ctx.Done():
		return
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if ix := l.svc.Current(); ix != nil {
			_, _ = l.get(ctx, ix, true)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// get returns the scanner of ix. Only one build runs at a time per index;
// others wait for it, or, unless wait is set, take the previous scanner.
func (l *Live) get(ctx context.Context, ix *screen.Index, wait bool) (*Scanner, error) {
	for {
		l.mu.Lock()
		if l.ix == ix && l.sc != nil {
			sc := l.sc
			l.mu.Unlock()
			return sc, nil
		}
		if l.building == nil {
			break // l.mu stays locked: this call builds
		}
		if l.building == ix && l.sc != nil && !wait {
			sc := l.sc
			l.mu.Unlock()
			return sc, nil
		}
		done := l.done
		l.mu.Unlock()
		select {
		case <-done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		l.mu.Lock()
		err := l.err
		built := l.ix == ix && l.sc != nil
		l.mu.Unlock()
		if !built && err != nil {
			return nil, err
		}
	}
	l.building, l.done = ix, make(chan struct{})
	done := l.done
	l.mu.Unlock()
	sc, err := New(ix.Listed, Options{Screener: ix.Screener, Threshold: ix.Threshold})
	l.mu.Lock()
	defer l.mu.Unlock()
	l.building, l.err = nil, err
	close(done)
	if err != nil {
		return nil, err
	}
	l.ix, l.sc = ix, sc
	return sc, nil
}
