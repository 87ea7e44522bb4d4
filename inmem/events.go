// Package inmem implements interdict's contracts in process memory: the
// event bus that tells the screening service of a list version stored by
// the same process (the default when no message broker is configured),
// and a job store for tests and servers run without a database.
package inmem

import (
	"context"
	"sync"

	"github.com/interdict/interdict"
)

// subscriberBuffer is how many events a subscriber may fall behind before
// it misses some (the interdict.Events contract allows it).
const subscriberBuffer = 64

// Events is an in-process interdict.Events. The zero value is ready to use
// and safe for concurrent use.
type Events struct {
	mu   sync.Mutex
	subs map[*subscriber]struct{}
}

var _ interdict.Events = (*Events)(nil)

type subscriber struct {
	ch chan interdict.Event
}

// NewEvents returns an empty event bus.
func NewEvents() *Events { return &Events{} }

// Publish implements interdict.Events. It never blocks: a subscriber whose
// buffer is full misses the event.
func (b *Events) Publish(ctx context.Context, e interdict.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		select {
		case s.ch <- e:
		default:
		}
	}
	return nil
}

// Subscribe implements interdict.Events.
func (b *Events) Subscribe(ctx context.Context) (<-chan interdict.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := &subscriber{ch: make(chan interdict.Event, subscriberBuffer)}
	b.mu.Lock()
	if b.subs == nil {
		b.subs = map[*subscriber]struct{}{}
	}
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	context.AfterFunc(ctx, func() {
		b.mu.Lock()
		delete(b.subs, s)
		close(s.ch)
		b.mu.Unlock()
	})
	return s.ch, nil
}
