package natsbus

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/interdict/interdict"
	"github.com/nats-io/nats.go"
)

// Events implements interdict.Events on the core NATS subject
// "<prefix>.events": what one replica publishes, every replica's
// subscribers receive (the publisher's own included). Delivery is at most
// once, as the contract allows; the screening service's poll of
// ListStore.Generation catches what a replica missed while disconnected.
type Events struct {
	b       *Bus
	subject string
}

var _ interdict.Events = (*Events)(nil)

// subscriberBuffer is how many events a subscriber may fall behind before
// events are dropped for it.
const subscriberBuffer = 64

// flushTimeout bounds the wait for the server to confirm a subscription.
const flushTimeout = 5 * time.Second

// Events returns the bus's interdict.Events.
func (b *Bus) Events() *Events { return &Events{b: b, subject: b.prefix + ".events"} }

// Publish implements interdict.Events.
func (e *Events) Publish(ctx context.Context, ev interdict.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	if err := e.b.nc.Publish(e.subject, data); err != nil {
		return fmt.Errorf("publish event on %s: %w", e.subject, err)
	}
	return nil
}

// Subscribe implements interdict.Events.
func (e *Events) Subscribe(ctx context.Context) (<-chan interdict.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ch := make(chan interdict.Event, subscriberBuffer)
	var mu sync.Mutex
	closed := false
	sub, err := e.b.nc.Subscribe(e.subject, func(m *nats.Msg) {
		var ev interdict.Event
		if json.Unmarshal(m.Data, &ev) != nil {
			return // not an event of ours
		}
		mu.Lock()
		defer mu.Unlock()
		if closed {
			return
		}
		select {
		case ch <- ev:
		default: // the subscriber is behind: drop, as the contract allows
		}
	})
	if err != nil {
		return nil, fmt.Errorf("subscribe to %s: %w", e.subject, err)
	}
	// Make sure the server knows the subscription before returning, so
	// that an event published next reaches it.
	if err := e.b.nc.FlushTimeout(flushTimeout); err != nil {
		_ = sub.Unsubscribe()
		return nil, fmt.Errorf("subscribe to %s: %w", e.subject, err)
	}
	go func() {
		<-ctx.Done()
		_ = sub.Unsubscribe()
		mu.Lock()
		closed = true
		close(ch)
		mu.Unlock()
	}()
	return ch, nil
}
