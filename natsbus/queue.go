package natsbus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Queue is a JetStream work-queue stream ("<PREFIX>_<NAME>", subjects
// "<prefix>.work.<name>") with one durable pull consumer that every replica
// reads from: each item goes to one replica at a time, is removed from
// the stream when acknowledged, and is delivered again (to any replica)
// when not acknowledged within AckWait, e.g. because its replica died.
// Items are published with a message ID, so that publishing an item twice
// (a coordinator that resumes) stores it once within the stream's
// duplicate window.
//
// A queue whose stream or consumer is lost (deleted, or a NATS server that
// came back without its storage) is created again by the next Publish or
// Work that finds it missing; the items it held are the publisher's to
// publish again (see Count).
type Queue struct {
	b       *Bus
	name    string
	subject string
	ackWait time.Duration

	mu       sync.Mutex
	stream   jetstream.Stream
	consumer jetstream.Consumer
}

// QueueOptions configure a queue.
type QueueOptions struct {
	// AckWait is how long an item may go without an acknowledgement or a
	// sign of progress before it is delivered again; 0 means 30 seconds.
	// Work sends a sign of progress every AckWait/3 while an item runs.
	AckWait time.Duration
}

// Queue opens (creating or updating) the work queue called name.
func (b *Bus) Queue(ctx context.Context, name string, opt QueueOptions) (*Queue, error) {
	if err := checkToken(name); err != nil {
		return nil, fmt.Errorf("queue name %q: %w", name, err)
	}
	if opt.AckWait <= 0 {
		opt.AckWait = 30 * time.Second
	}
	q := &Queue{b: b, name: name, subject: b.prefix + ".work." + name, ackWait: opt.AckWait}
	if err := q.ensure(ctx); err != nil {
		return nil, err
	}
	return q, nil
}

// ensure creates the queue's stream and durable consumer, or updates them
// to the queue's configuration.
func (q *Queue) ensure(ctx context.Context) error {
	name := q.b.streamName(q.name)
	st, err := q.b.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:       name,
		Subjects:   []string{q.subject},
		Retention:  jetstream.WorkQueuePolicy,
		Storage:    jetstream.FileStorage,
		Duplicates: 10 * time.Minute,
	})
	if err != nil {
		return fmt.Errorf("create stream %s: %w", name, err)
	}
	c, err := st.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
		Durable:       "workers",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       q.ackWait,
		MaxDeliver:    -1,
		MaxAckPending: 1000,
	})
	if err != nil {
		return fmt.Errorf("create consumer of %s: %w", name, err)
	}
	q.mu.Lock()
	q.stream, q.consumer = st, c
	q.mu.Unlock()
	return nil
}

// lost reports whether err says that the queue's stream or consumer is
// gone.
func lost(err error) bool {
	return errors.Is(err, jetstream.ErrStreamNotFound) || errors.Is(err, jetstream.ErrConsumerNotFound) ||
		errors.Is(err, jetstream.ErrConsumerDeleted) || errors.Is(err, jetstream.ErrNoStreamResponse) ||
		errors.Is(err, nats.ErrNoResponders)
}

// Publish adds an item; id makes it unique (an item published again with
// the same id within ten minutes is stored once).
// A queue whose stream was lost is created again first.
func (q *Queue) Publish(ctx context.Context, id string, data []byte) error {
	_, err := q.b.js.Publish(ctx, q.subject, data, jetstream.WithMsgID(id))
	if err != nil && lost(err) {
		if err := q.ensure(ctx); err != nil {
			return err
		}
		_, err = q.b.js.Publish(ctx, q.subject, data, jetstream.WithMsgID(id))
	}
	if err != nil {
		return fmt.Errorf("publish item %s on %s: %w", id, q.subject, err)
	}
	return nil
}

// Pending returns the number of items in the queue (not yet acknowledged).
func (q *Queue) Pending(ctx context.Context) (uint64, error) {
	return q.Count(ctx)
}

// Count returns the number of items the queue holds: those waiting and
// those being handled (an item leaves the queue when acknowledged, after
// its handler has recorded its work). A queue whose stream was lost holds
// none: a publisher that finds fewer items than it has work outstanding
// publishes that work again.
func (q *Queue) Count(ctx context.Context) (uint64, error) {
	q.mu.Lock()
	st := q.stream
	q.mu.Unlock()
	info, err := st.Info(ctx)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("count the items of %s: %w", q.b.streamName(q.name), err)
	}
	return info.State.Msgs, nil
}

// Retry is returned by a handler that cannot handle an item yet (the
// replica has not loaded the lists it needs): the item is delivered again
// after the delay.
type Retry struct {
	Delay  time.Duration
	Reason string
}

func (r *Retry) Error() string { return fmt.Sprintf("retry in %s: %s", r.Delay, r.Reason) }

// Work handles items one at a time with fn until ctx is done: an item fn
// returns nil for is acknowledged (so removed); one it fails is delivered
// again after a few seconds, to this replica or another. While fn runs,
// Work tells the server the item is in progress. logger (which may be nil)
// receives the failures.
func (q *Queue) Work(ctx context.Context, logger *slog.Logger, fn func(ctx context.Context, data []byte) error) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	for ctx.Err() == nil {
		q.mu.Lock()
		c := q.consumer
		q.mu.Unlock()
		msg, err := c.Next(jetstream.FetchMaxWait(2 * time.Second))
		if errors.Is(err, jetstream.ErrNoMessages) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout) {
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if lost(err) {
				// The stream or consumer is gone: make them again, and
				// read on; the leader publishes the lost items again.
				if err = q.ensure(ctx); err == nil {
					logger.Warn("work queue lost; created again", "queue", q.name)
					continue
				}
			}
			logger.Warn("work queue", "queue", q.name, "err", err.Error())
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
			continue
		}
		q.handle(ctx, logger, msg, fn)
	}
	return nil
}

func (q *Queue) handle(ctx context.Context, logger *slog.Logger, msg jetstream.Msg, fn func(ctx context.Context, data []byte) error) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(q.ackWait / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				_ = msg.InProgress()
			}
		}
	}()
	err := fn(ctx, msg.Data())
	close(done)
	var retry *Retry
	switch {
	case err == nil:
		if err := msg.DoubleAck(context.WithoutCancel(ctx)); err != nil {
			logger.Warn("work queue: acknowledge", "queue", q.name, "err", err.Error())
		}
	case errors.As(err, &retry):
		_ = msg.NakWithDelay(retry.Delay)
	case ctx.Err() != nil:
		_ = msg.Nak() // shutting down: let another replica take it now
	default:
		logger.Error("work item failed; it will be delivered again", "queue", q.name, "err", err.Error())
		_ = msg.NakWithDelay(3 * time.Second)
	}
}
