package message

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/interdict/interdict"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"
)

// Defaults of ConsumeOptions and of `interdict messages consume`.
const (
	DefaultStream            = "INTERDICT_MESSAGES"
	DefaultSubject           = "interdict.messages.in"
	DefaultResultSubject     = "interdict.messages.result"
	DefaultDeadLetterSubject = "interdict.messages.dead"
	DefaultDurable           = "interdict-messages"
	DefaultBatch             = 200
	DefaultAckWait           = 30 * time.Second
)

// Headers of published results and dead letters.
const (
	// HeaderMessageID is the ID a result is stored under.
	HeaderMessageID = "Interdict-Message-Id"
	// HeaderDecision is "release" or "hold" on a result.
	HeaderDecision = "Interdict-Decision"
	// HeaderError says on a dead letter why the message could not be read.
	HeaderError = "Interdict-Error"
	// HeaderSubject and HeaderSequence name the subject and stream
	// sequence a dead letter was read from.
	HeaderSubject  = "Interdict-Subject"
	HeaderSequence = "Interdict-Sequence"
)

// ConsumeOptions configure Consume.
type ConsumeOptions struct {
	// Screener screens each message. Required.
	Screener *Screener
	// Store keeps one result per message ID. Required.
	Store interdict.MessageResultStore
	// Stream is the JetStream stream holding Subject; "" means
	// DefaultStream. See EnsureStream.
	Stream string
	// Subject is the subject messages are read from (the consumer's
	// filter); "" means DefaultSubject.
	Subject string
	// ResultSubject is where each result is published as JSON; ""
	// means DefaultResultSubject. When a stream captures it the result
	// is published to JetStream (deduplicated by message ID), otherwise
	// on core NATS.
	ResultSubject string
	// DeadLetterSubject is where a message that cannot be read is
	// published, with the error in HeaderError; "" means
	// DefaultDeadLetterSubject.
	DeadLetterSubject string
	// Durable names the durable pull consumer that every process reading
	// the stream shares; "" means DefaultDurable.
	Durable string
	// Batch is how many messages are fetched, screened and stored
	// together; 0 means DefaultBatch.
	Batch int
	// Workers screen the messages of a batch in parallel; 0 means
	// GOMAXPROCS.
	Workers int
	// AckWait is how long the server waits for an acknowledgement before
	// it delivers a message again (to any consumer sharing the durable);
	// 0 means DefaultAckWait. It applies when Consume creates the
	// durable consumer or updates it.
	AckWait time.Duration
	// OnHeld, when set, is called for every held message after its
	// result is stored and before the message is acknowledged (also when
	// the message is delivered again: it must be idempotent). It records
	// held messages as alerts. An error leaves the message
	// unacknowledged, to be delivered again.
	OnHeld func(ctx context.Context, r *Result) error
	// Log, when set, is told of dead letters and retried failures.
	Log func(format string, args ...any)
	// Stats, when set, is counted up as messages are handled.
	Stats *ConsumeStats
}

// ConsumeStats count what Consume did. Fields are updated atomically.
type ConsumeStats struct {
	// Received counts stream messages fetched (deliveries, including
	// redeliveries), Redelivered those among them the server had
	// delivered before (to this or another consumer).
	Received    atomic.Int64
	Redelivered atomic.Int64
	// Stored counts results stored for the first time, Duplicates the
	// deliveries of messages whose result was stored already.
	Stored     atomic.Int64
	Duplicates atomic.Int64
	// Held counts held messages among the stored ones.
	Held atomic.Int64
	// DeadLetters counts messages that could not be read.
	DeadLetters atomic.Int64
	// Retried counts stream messages left for redelivery after a
	// failure (screening unavailable, the store down).
	Retried atomic.Int64
}

func (o *ConsumeOptions) defaults() error {
	if o.Screener == nil {
		return interdict.Errorf(interdict.EINVALID, "consuming messages needs a screener")
	}
	if o.Store == nil {
		return interdict.Errorf(interdict.EINVALID, "consuming messages needs a result store")
	}
	o.fill()
	if o.Subject == o.ResultSubject || o.Subject == o.DeadLetterSubject {
		return interdict.Errorf(interdict.EINVALID, "the message subject %q must differ from the result and dead-letter subjects", o.Subject)
	}
	return nil
}

// fill sets the defaults of the zero fields.
func (o *ConsumeOptions) fill() {
	def := func(s *string, d string) {
		if *s == "" {
			*s = d
		}
	}
	def(&o.Stream, DefaultStream)
	def(&o.Subject, DefaultSubject)
	def(&o.ResultSubject, DefaultResultSubject)
	def(&o.DeadLetterSubject, DefaultDeadLetterSubject)
	def(&o.Durable, DefaultDurable)
	if o.Batch <= 0 {
		o.Batch = DefaultBatch
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.AckWait <= 0 {
		o.AckWait = DefaultAckWait
	}
	if o.Log == nil {
		o.Log = func(string, ...any) {}
	}
	if o.Stats == nil {
		o.Stats = &ConsumeStats{}
	}
}

// EnsureStream creates the stream name capturing subjects (file storage,
// limits retention) unless it exists. An existing stream is left as it
// is; it must capture the subjects itself.
func EnsureStream(ctx context.Context, js jetstream.JetStream, name string, subjects ...string) (jetstream.Stream, error) {
	st, err := js.Stream(ctx, name)
	if err == nil {
		return st, nil
	}
	if !errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, fmt.Errorf("find stream %s: %w", name, err)
	}
	st, err = js.CreateStream(ctx, jetstream.StreamConfig{Name: name, Subjects: subjects, Storage: jetstream.FileStorage,
		Retention: jetstream.LimitsPolicy, Duplicates: 2 * time.Minute})
	if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
		return js.Stream(ctx, name) // created meanwhile by another consumer
	}
	if err != nil {
		return nil, fmt.Errorf("create stream %s on %s: %w", name, strings.Join(subjects, ", "), err)
	}
	return st, nil
}

// ConsumerConfig is the durable pull consumer Consume creates or updates
// for opt (with the defaults of its zero fields): explicit
// acknowledgement, delivered again after AckWait without one.
func ConsumerConfig(opt ConsumeOptions) jetstream.ConsumerConfig {
	opt.fill()
	return jetstream.ConsumerConfig{Durable: opt.Durable, FilterSubject: opt.Subject, AckPolicy: jetstream.AckExplicitPolicy,
		AckWait: opt.AckWait, DeliverPolicy: jetstream.DeliverAllPolicy, MaxAckPending: 20 * opt.Batch}
}

// Consume reads messages from the durable pull consumer opt.Durable on
// opt.Subject of opt.Stream until ctx is done, and for each: parses it,
// screens it, stores the result under the message ID, calls OnHeld for a
// held one, publishes the result to opt.ResultSubject, and only then
// acknowledges it. Delivery is at least once: a consumer that dies before
// the acknowledgement leaves the message to be delivered again, to it or
// to any other process consuming the same durable, and the second
// delivery finds the stored result (the store keeps one per message ID)
// and publishes that. A message that cannot be read is published to
// opt.DeadLetterSubject with the error (naming the field) in HeaderError
// and acknowledged, so that it does not block the stream. A message that
// cannot be screened or stored now (lists not loaded, the store down) is
// left for redelivery.
//
// The ID a result is stored under is the message's own ID (MsgId, UETR,
// :20:, IMAD), else the stream message's Nats-Msg-Id header, else
// "STREAM/SEQUENCE"; a stream message holding several messages (an RJE
// batch) stores one result for each. Consume returns nil when ctx is
// done, or the error that stops it (the stream missing).
func Consume(ctx context.Context, js jetstream.JetStream, opt ConsumeOptions) error {
	if err := opt.defaults(); err != nil {
		return err
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, opt.Stream, ConsumerConfig(opt))
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("consumer %s on stream %s: %w", opt.Durable, opt.Stream, err)
	}
	c := &consumer{js: js, opt: opt}
	c.resultJS = c.captured(ctx, opt.ResultSubject)
	c.deadJS = c.captured(ctx, opt.DeadLetterSubject)
	for ctx.Err() == nil {
		batch, err := cons.Fetch(opt.Batch, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			opt.Log("fetch from %s: %v", opt.Durable, err)
			sleep(ctx, time.Second)
			continue
		}
		var msgs []jetstream.Msg
		for m := range batch.Messages() {
			msgs = append(msgs, m)
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && ctx.Err() == nil {
			opt.Log("fetch from %s: %v", opt.Durable, err)
		}
		if len(msgs) == 0 {
			continue
		}
		opt.Stats.Received.Add(int64(len(msgs)))
		// The batch is finished even when ctx ends meanwhile: what is
		// stored is acknowledged.
		c.handle(context.WithoutCancel(ctx), msgs)
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

type consumer struct {
	js       jetstream.JetStream
	opt      ConsumeOptions
	resultJS bool // publish results to JetStream (a stream captures the subject)
	deadJS   bool
}

// captured reports whether a stream captures subject.
func (c *consumer) captured(ctx context.Context, subject string) bool {
	name, err := c.js.StreamNameBySubject(ctx, subject)
	return err == nil && name != ""
}

// item is one stream message on its way through a batch.
type item struct {
	msg     jetstream.Msg
	meta    *jetstream.MsgMetadata
	results []*Result
	stored  []*interdict.MessageResult
	dead    error // the message cannot be read
	retry   error // the message cannot be handled now
}

// handle screens, stores, publishes and acknowledges one fetched batch.
func (c *consumer) handle(ctx context.Context, msgs []jetstream.Msg) {
	items := make([]*item, len(msgs))
	g := errgroup.Group{}
	g.SetLimit(c.opt.Workers)
	for i, m := range msgs {
		it := &item{msg: m}
		items[i] = it
		g.Go(func() error {
			c.screen(ctx, it)
			return nil
		})
	}
	_ = g.Wait()

	// Store every result of the batch in one transaction, in ID order (so
	// that two consumers storing overlapping batches take row locks in
	// the same order).
	var all []*interdict.MessageResult
	for _, it := range items {
		all = append(all, it.stored...)
	}
	slices.SortFunc(all, func(a, b *interdict.MessageResult) int { return strings.Compare(a.ID, b.ID) })
	if len(all) > 0 {
		created, err := c.opt.Store.PutMessageResults(ctx, all)
		if err != nil {
			c.opt.Log("store %d message results: %v", len(all), err)
			for _, it := range items {
				if it.dead == nil && it.retry == nil {
					it.retry = err
				}
			}
		} else {
			for i, r := range all {
				if created[i] {
					c.opt.Stats.Stored.Add(1)
					if r.Decision == interdict.MessageHold {
						c.opt.Stats.Held.Add(1)
					}
				} else {
					c.opt.Stats.Duplicates.Add(1)
				}
			}
		}
	}

	var futures []jetstream.PubAckFuture
	var waits []*item // the item of each future
	publish := func(it *item, m *nats.Msg, viaJS bool) {
		if !viaJS {
			if err := c.js.Conn().PublishMsg(m); err != nil && it.retry == nil {
				it.retry = fmt.Errorf("publish to %s: %w", m.Subject, err)
			}
			return
		}
		f, err := c.js.PublishMsgAsync(m)
		if err != nil {
			if it.retry == nil {
				it.retry = fmt.Errorf("publish to %s: %w", m.Subject, err)
			}
			return
		}
		futures = append(futures, f)
		waits = append(waits, it)
	}
	for _, it := range items {
		switch {
		case it.dead != nil:
			c.opt.Stats.DeadLetters.Add(1)
			c.opt.Log("dead letter: %v", it.dead)
			publish(it, c.deadLetter(it), c.deadJS)
		case it.retry != nil:
		default:
			for _, r := range it.stored {
				if r.Decision == interdict.MessageHold && c.opt.OnHeld != nil {
					var res Result
					if err := json.Unmarshal(r.Result, &res); err != nil {
						it.retry = fmt.Errorf("read stored result of message %s: %w", r.ID, err)
						break
					}
					res.MessageID = r.ID
					if err := c.opt.OnHeld(ctx, &res); err != nil {
						it.retry = fmt.Errorf("record held message %s: %w", r.ID, err)
						break
					}
				}
				m := nats.NewMsg(c.opt.ResultSubject)
				m.Data = r.Result
				m.Header.Set(HeaderMessageID, r.ID)
				m.Header.Set(HeaderDecision, r.Decision)
				m.Header.Set(jetstream.MsgIDHeader, "result:"+r.ID)
				publish(it, m, c.resultJS)
			}
		}
	}
	if len(futures) > 0 {
		timeout := time.After(30 * time.Second)
		for i, f := range futures {
			select {
			case <-f.Ok():
			case err := <-f.Err():
				if waits[i].retry == nil {
					waits[i].retry = fmt.Errorf("publish to %s: %w", f.Msg().Subject, err)
				}
			case <-timeout:
				if waits[i].retry == nil {
					waits[i].retry = fmt.Errorf("publish to %s: no acknowledgement in 30s", f.Msg().Subject)
				}
			}
		}
	}
	if !c.resultJS || !c.deadJS {
		_ = c.js.Conn().FlushTimeout(10 * time.Second)
	}
	for _, it := range items {
		if it.retry != nil {
			c.opt.Stats.Retried.Add(1)
			c.opt.Log("message %s left for redelivery: %v", describe(it), it.retry)
			_ = it.msg.NakWithDelay(time.Second)
			continue
		}
		if err := it.msg.Ack(); err != nil {
			c.opt.Log("acknowledge %s: %v", describe(it), err)
		}
	}
}

func describe(it *item) string {
	if it.meta != nil {
		return fmt.Sprintf("%s/%d", it.meta.Stream, it.meta.Sequence.Stream)
	}
	return it.msg.Subject()
}

// screen parses and screens one stream message into it.results and the
// results to store.
func (c *consumer) screen(ctx context.Context, it *item) {
	meta, err := it.msg.Metadata()
	if err != nil {
		it.retry = fmt.Errorf("read message metadata: %w", err)
		return
	}
	it.meta = meta
	if meta.NumDelivered > 1 {
		c.opt.Stats.Redelivered.Add(1)
	}
	source := fmt.Sprintf("nats:%s/%d", meta.Stream, meta.Sequence.Stream)
	data := it.msg.Data()
	if len(data) > MaxFileBytes {
		it.dead = &ParseError{Source: source, Err: fmt.Errorf("message of %d bytes is larger than the limit of %d bytes", len(data), MaxFileBytes)}
		return
	}
	ms, err := Parse(source, data)
	if err != nil {
		it.dead = err
		return
	}
	natsID := it.msg.Headers().Get(jetstream.MsgIDHeader)
	seen := map[string]bool{}
	for i, m := range ms {
		r, err := c.opt.Screener.Screen(ctx, m)
		if err != nil {
			it.retry = err
			return
		}
		id := m.ID
		switch {
		case id != "":
		case natsID != "":
			id = natsID
		default:
			id = meta.Stream + "/" + strconv.FormatUint(meta.Sequence.Stream, 10)
		}
		if len(ms) > 1 && (m.ID == "" || seen[id]) {
			id += "#" + strconv.Itoa(i+1)
		}
		seen[id] = true
		r.MessageID = id
		b, err := json.Marshal(r)
		if err != nil {
			it.retry = fmt.Errorf("encode result of message %s: %w", id, err)
			return
		}
		alerts := 0
		for _, h := range r.Hits {
			if h.Alert {
				alerts++
			}
		}
		it.results = append(it.results, r)
		it.stored = append(it.stored, &interdict.MessageResult{ID: id, Format: r.Format, Decision: string(r.Decision), Alerts: alerts,
			Source: source, Result: b})
	}
}

// deadLetter is the dead-letter message of it: the data as received, with
// the error and where it came from in headers.
func (c *consumer) deadLetter(it *item) *nats.Msg {
	m := nats.NewMsg(c.opt.DeadLetterSubject)
	m.Data = it.msg.Data()
	for k, vs := range it.msg.Headers() {
		if k == jetstream.MsgIDHeader {
			continue
		}
		for _, v := range vs {
			m.Header.Add(k, v)
		}
	}
	msg := it.dead.Error()
	if len(msg) > 2000 {
		msg = msg[:2000]
	}
	m.Header.Set(HeaderError, strings.ReplaceAll(msg, "\n", " "))
	m.Header.Set(HeaderSubject, it.msg.Subject())
	if it.meta != nil {
		seq := strconv.FormatUint(it.meta.Sequence.Stream, 10)
		m.Header.Set(HeaderSequence, seq)
		m.Header.Set(jetstream.MsgIDHeader, "dead:"+it.meta.Stream+"/"+seq)
	}
	return m
}
