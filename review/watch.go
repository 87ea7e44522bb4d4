package review

import (
	"context"
	"time"

	"github.com/interdict/interdict"
)

// WatchSettle is how long Watch waits after a list version is stored for
// more to come (an update stores several lists in a row) before it
// re-screens once for all of them.
const WatchSettle = 2 * time.Second

// Watch re-screens the book (a delta run, see Rescreen) after list
// versions are made current, until ctx is done: the server runs it beside
// the screening service. It reloads the screening index first, so that
// the run screens against the new versions. A run that fails is reported
// to onError (which may be nil) and resumed on the next event. Returns
// nil when ctx is done, or the error of subscribing to events.
func (s *Service) Watch(ctx context.Context, events interdict.Events, onError func(error)) error {
	ch, err := events.Subscribe(ctx)
	if err != nil {
		return err
	}
	report := func(err error) {
		if onError != nil && ctx.Err() == nil {
			onError(err)
		}
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case e, ok := <-ch:
			if !ok {
				return nil
			}
			if e.Type != interdict.EventListVersionStored || !e.Current {
				continue
			}
		}
		// Let the other versions of an update arrive.
		settle := time.NewTimer(WatchSettle)
	wait:
		for {
			select {
			case <-ctx.Done():
				settle.Stop()
				return nil
			case <-ch:
			case <-settle.C:
				break wait
			}
		}
		if _, err := s.cfg.Screen.Reload(ctx); err != nil {
			report(err)
			continue
		}
		if _, err := s.Rescreen(ctx, RescreenOptions{}); err != nil {
			report(err)
		}
	}
}
