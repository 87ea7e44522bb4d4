package graph

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/interdict/interdict"
)

// Live keeps a graph of the current lists, the book and the ownership
// records, rebuilt when the lists change (a new token from Entities) or,
// for the book and the records, once MaxAge has passed or Invalidate was
// called. It is safe for concurrent use.
type Live struct {
	// Entities returns the current listed entities (read only) and a token
	// that changes when they do, of a comparable type (a pointer): the
	// screening service's current index.
	Entities func() ([]interdict.Entity, any)
	// Parties and Ownerships, when set, add the book and the records.
	Parties    interdict.ReviewStore
	Ownerships interdict.OwnershipStore
	// MaxAge is how long a graph is used before the book and the records
	// are read again; 0 means 30 seconds.
	MaxAge  time.Duration
	Options Options

	buildMu  sync.Mutex // one build at a time
	mu       sync.Mutex // guards the fields below, never held during a build
	cur      *Graph
	token    any
	built    time.Time
	gen      int // bumped by Invalidate
	builtGen int // gen when cur was built
	building bool
}

// MaxParties bounds the parties of the book read into the graph.
const MaxParties = 5_000_000

// Graph returns the current graph, building it first if the lists, the
// book or the records may have changed.
func (l *Live) Graph(ctx context.Context) (*Graph, error) {
	l.buildMu.Lock()
	defer l.buildMu.Unlock()
	ents, token := l.Entities()
	l.mu.Lock()
	cur, gen := l.cur, l.gen
	fresh := cur != nil && token == l.token && l.builtGen == gen && time.Since(l.built) < l.maxAge()
	l.mu.Unlock()
	if fresh {
		return cur, nil
	}
	g, err := l.build(ctx, ents)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.cur, l.token, l.built, l.builtGen = g, token, time.Now(), gen
	l.mu.Unlock()
	return g, nil
}

// Peek returns the graph built last without waiting (nil before the first
// build), and starts a rebuild in the background when it is out of date:
// for the screening path, which must not wait for a build.
func (l *Live) Peek() *Graph {
	_, token := l.Entities()
	l.mu.Lock()
	defer l.mu.Unlock()
	old := l.cur == nil || token != l.token || l.builtGen != l.gen || time.Since(l.built) >= l.maxAge()
	if old && !l.building && token != nil {
		l.building = true
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			_, _ = l.Graph(ctx)
			l.mu.Lock()
			l.building = false
			l.mu.Unlock()
		}()
	}
	return l.cur
}

// Invalidate makes the next Graph rebuild (after an import of records).
func (l *Live) Invalidate() {
	l.mu.Lock()
	l.gen++
	l.mu.Unlock()
}

func (l *Live) maxAge() time.Duration {
	if l.MaxAge <= 0 {
		return 30 * time.Second
	}
	return l.MaxAge
}

func (l *Live) build(ctx context.Context, ents []interdict.Entity) (*Graph, error) {
	in := Input{Entities: ents}
	if l.Parties != nil {
		after := ""
		for len(in.Parties) < MaxParties {
			ps, _, err := l.Parties.FindParties(ctx, interdict.PartyFilter{AfterID: after, Limit: 10000})
			if err != nil {
				return nil, fmt.Errorf("graph: read the book: %w", err)
			}
			in.Parties = append(in.Parties, ps...)
			if len(ps) < 10000 {
				break
			}
			after = ps[len(ps)-1].ID
		}
	}
	if l.Ownerships != nil {
		os, err := l.Ownerships.FindOwnerships(ctx, interdict.OwnershipFilter{})
		if err != nil {
			return nil, fmt.Errorf("graph: read ownership records: %w", err)
		}
		in.Ownerships = os
	}
	opt := l.Options
	if opt.AsOf == "" {
		opt.AsOf = time.Now().UTC().Format("2006-01-02")
	}
	return Build(in, opt), nil
}
