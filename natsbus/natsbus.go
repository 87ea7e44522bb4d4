// Package natsbus connects interdict's replicas through NATS: Events, the
// interdict.Events contract on a NATS subject (every replica hears that a
// list version was stored and reloads), and Queue, a JetStream work-queue
// stream whose items are shared by every replica through one durable pull
// consumer (re-screening split into pages of parties). It uses
// github.com/nats-io/nats.go and its jetstream package; the state that must
// survive stays in the database, NATS only carries it.
package natsbus

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// DefaultPrefix starts the subjects and stream names of a cluster; replicas
// of one cluster share a prefix, other clusters (or tests) on the same
// NATS server use their own.
const DefaultPrefix = "interdict"

// Options configure Connect.
type Options struct {
	// Prefix starts every subject ("<prefix>.events", "<prefix>.work.<queue>")
	// and stream name; "" means DefaultPrefix. Letters, digits, '-' and '_'.
	Prefix string
	// Name identifies the connection on the server (the replica).
	Name string
}

// Bus is a connection to NATS with JetStream.
type Bus struct {
	nc     *nats.Conn
	js     jetstream.JetStream
	prefix string
}

// Connect connects to the NATS server at url (nats://host:port; several
// comma-separated URLs for a cluster of servers). It reconnects forever
// after a connection loss.
func Connect(url string, opt Options) (*Bus, error) {
	prefix := opt.Prefix
	if prefix == "" {
		prefix = DefaultPrefix
	}
	if err := checkToken(prefix); err != nil {
		return nil, fmt.Errorf("nats prefix %q: %w", prefix, err)
	}
	nc, err := nats.Connect(url, nats.Name(opt.Name), nats.MaxReconnects(-1), nats.ReconnectWait(500*time.Millisecond))
	if err != nil {
		return nil, fmt.Errorf("connect to NATS at %s: %w", Redact(url), err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("JetStream at %s: %w", Redact(url), err)
	}
	return &Bus{nc: nc, js: js, prefix: prefix}, nil
}

// Redact drops the user information of NATS URLs so that no credential
// reaches a log.
func Redact(urls string) string {
	parts := strings.Split(urls, ",")
	for i, p := range parts {
		u, err := url.Parse(strings.TrimSpace(p))
		if err != nil {
			parts[i] = "(unparsable URL)"
			continue
		}
		u.User = nil
		parts[i] = u.String()
	}
	return strings.Join(parts, ",")
}

func checkToken(s string) error {
	if s == "" {
		return errors.New("empty")
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return fmt.Errorf("%q is not a letter, digit, '-' or '_'", r)
		}
	}
	return nil
}

// Prefix returns the subject prefix.
func (b *Bus) Prefix() string { return b.prefix }

// Close drains and closes the connection.
func (b *Bus) Close() error {
	if b.nc == nil || b.nc.IsClosed() {
		return nil
	}
	if err := b.nc.Drain(); err != nil {
		b.nc.Close()
		return err
	}
	// Drain is asynchronous; wait for it a little.
	for i := 0; i < 50 && !b.nc.IsClosed(); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

// streamName returns the JetStream stream name of a queue.
func (b *Bus) streamName(queue string) string {
	return strings.ToUpper(strings.ReplaceAll(b.prefix+"_"+queue, "-", "_"))
}

// DeleteQueue deletes a queue's stream with its items (tests and
// maintenance).
func (b *Bus) DeleteQueue(ctx context.Context, queue string) error {
	err := b.js.DeleteStream(ctx, b.streamName(queue))
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil
	}
	return err
}
