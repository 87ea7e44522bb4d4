package natsbus_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/storetest"
	"github.com/interdict/interdict/natsbus"
)

var prefixes atomic.Int64

// MustConnect connects to INTERDICT_TEST_NATS_URL with a prefix of the
// test's own (so its subjects and streams are its own), or skips the test
// when the variable is not set.
func MustConnect(tb testing.TB) *natsbus.Bus {
	tb.Helper()
	url := os.Getenv("INTERDICT_TEST_NATS_URL")
	if url == "" {
		tb.Skip("INTERDICT_TEST_NATS_URL is not set; skipping the NATS tests")
	}
	prefix := fmt.Sprintf("itest_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, prefixes.Add(1))
	b, err := natsbus.Connect(url, natsbus.Options{Prefix: prefix, Name: tb.Name()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { b.Close() })
	return b
}

func TestEventsContract(t *testing.T) {
	storetest.Events(t, func(t *testing.T) interdict.Events { return MustConnect(t).Events() })
}

// An event published by one replica reaches the subscribers of another
// replica on the same prefix, and not those of another prefix.
func TestEventsAcrossConnections(t *testing.T) {
	a := MustConnect(t)
	b, err := natsbus.Connect(os.Getenv("INTERDICT_TEST_NATS_URL"), natsbus.Options{Prefix: a.Prefix(), Name: "b"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	other := MustConnect(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := b.Events().Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	och, err := other.Events().Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := interdict.Event{Type: interdict.EventListVersionStored, List: "un", Version: 4, Current: true, At: time.Now().UTC().Truncate(time.Millisecond)}
	if err := a.Events().Publish(ctx, want); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-ch:
		if got.List != "un" || got.Version != 4 || !got.Current || !got.At.Equal(want.At) {
			t.Errorf("got %+v, want %+v", got, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the other replica heard nothing")
	}
	select {
	case got := <-och:
		t.Errorf("a bus on another prefix heard %+v", got)
	case <-time.After(200 * time.Millisecond):
	}
}

// Items are shared by two workers, each handled and acknowledged once
// (an item published twice under one ID is stored once); an item that
// fails is delivered again; an item whose worker stops while handling it
// is handled by the other worker.
func TestQueue(t *testing.T) {
	b := MustConnect(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	q, err := b.Queue(ctx, "test", natsbus.QueueOptions{AckWait: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	// The workers stop before the queue goes (a worker makes a lost queue again).
	defer func() { cancel(); _ = b.DeleteQueue(context.Background(), "test") }()
	const n = 60
	for i := 0; i < n; i++ {
		if err := q.Publish(ctx, fmt.Sprint(i), []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.Publish(ctx, "7", []byte("7")); err != nil { // a duplicate
		t.Fatal(err)
	}
	var mu sync.Mutex
	handled := map[string]int{}
	by := map[string]map[string]bool{}
	failed := map[string]bool{}
	all := make(chan struct{})
	work := func(name string, stuck string) func(ctx context.Context, data []byte) error {
		return func(ctx context.Context, data []byte) error {
			item := string(data)
			if item == stuck && name == "w1" {
				<-ctx.Done() // dies holding the item
				return ctx.Err()
			}
			mu.Lock()
			defer mu.Unlock()
			if item == "13" && !failed[item] {
				failed[item] = true
				return errors.New("transient failure")
			}
			handled[item]++
			if by[name] == nil {
				by[name] = map[string]bool{}
			}
			by[name][item] = true
			if len(handled) == n {
				select {
				case <-all:
				default:
					close(all)
				}
			}
			return nil
		}
	}
	w1ctx, stopW1 := context.WithCancel(ctx)
	go q.Work(w1ctx, nil, work("w1", "42"))
	go q.Work(ctx, nil, work("w2", ""))
	// w1 holds item 42 until it "dies".
	time.Sleep(1500 * time.Millisecond)
	stopW1()
	select {
	case <-all:
	case <-ctx.Done():
		t.Fatalf("handled %d of %d items", len(handled), n)
	}
	mu.Lock()
	defer mu.Unlock()
	for i := 0; i < n; i++ {
		if c := handled[fmt.Sprint(i)]; c != 1 {
			t.Errorf("item %d handled %d times", i, c)
		}
	}
	if len(by["w1"]) == 0 || len(by["w2"]) == 0 {
		t.Errorf("items by worker: w1 %d, w2 %d; want both to share them", len(by["w1"]), len(by["w2"]))
	}
	if !by["w2"]["42"] {
		t.Errorf("item 42, held by the stopped worker, was not handled by the other")
	}
	time.Sleep(300 * time.Millisecond)
	if p, err := q.Pending(ctx); err != nil || p != 0 {
		t.Errorf("Pending = %d, %v; want 0 (acknowledged items leave the work queue)", p, err)
	}
}

// A queue whose stream is lost with its items (deleted, or a NATS server
// back without its storage) counts no items, is created again by the
// next Publish, and its worker goes on reading from it.
func TestQueue_StreamLost(t *testing.T) {
	b := MustConnect(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	q, err := b.Queue(ctx, "lost", natsbus.QueueOptions{AckWait: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	// The workers stop before the queue goes (a worker makes a lost queue again).
	defer func() { cancel(); _ = b.DeleteQueue(context.Background(), "lost") }()
	got := make(chan string, 10)
	go q.Work(ctx, nil, func(ctx context.Context, data []byte) error {
		got <- string(data)
		return nil
	})
	if err := q.Publish(ctx, "a", []byte("a")); err != nil {
		t.Fatal(err)
	}
	if item := <-got; item != "a" {
		t.Fatalf("got item %q, want a", item)
	}
	if err := b.DeleteQueue(ctx, "lost"); err != nil {
		t.Fatal(err)
	}
	if n, err := q.Count(ctx); err != nil || n != 0 {
		t.Fatalf("Count of a lost queue = %d, %v; want 0, nil", n, err)
	}
	if err := q.Publish(ctx, "b", []byte("b")); err != nil {
		t.Fatalf("Publish to a lost queue: %v", err)
	}
	select {
	case item := <-got:
		if item != "b" {
			t.Fatalf("got item %q, want b", item)
		}
	case <-ctx.Done():
		t.Fatal("the worker read nothing from the queue created again")
	}
}
