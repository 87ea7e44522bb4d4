package review_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/inmem"
	"github.com/interdict/interdict/review"
)

func TestService_Watch(t *testing.T) {
	sc := newScenario(t)
	e := sc.start(t) // version 2 stored, the book screened on version 1
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := inmem.NewEvents()
	errs := make(chan error, 10)
	done := make(chan error, 1)
	go func() { done <- e.svc.Watch(ctx, events, func(err error) { errs <- err }) }()
	time.Sleep(100 * time.Millisecond) // let Watch subscribe
	if err := events.Publish(ctx, interdict.Event{Type: interdict.EventListVersionStored, List: interdict.ListUN, Version: 2, Current: true, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		b, err := e.store.FindCheckpoint(ctx, review.CheckpointBook)
		if err != nil {
			t.Fatal(err)
		}
		var st struct {
			Versions map[string]int `json:"versions"`
		}
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatal(err)
		}
		if st.Versions[interdict.ListUN] == 2 {
			break
		}
		select {
		case err := <-errs:
			t.Fatalf("watch: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the book was not re-screened after version 2 was stored")
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, id := range sc.added[:3] {
		if as, _, _ := e.store.FindAlerts(ctx, interdict.AlertFilter{EntityID: id}); len(as) == 0 {
			t.Errorf("no alert on added entity %s after the watched re-screen", id)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Watch returned %v after its context was done", err)
	}
}
