package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/interdict/interdict"
)

// MessageResultStore runs the interdict.MessageResultStore contract on
// fresh stores made by newStore.
func MessageResultStore(t *testing.T, newStore func(t *testing.T) interdict.MessageResultStore) {
	ctx := context.Background()
	result := func(id, decision string) *interdict.MessageResult {
		return &interdict.MessageResult{ID: id, Format: "pacs.008.001.08", Decision: decision, Source: "nats:S/1",
			Result: []byte(`{"message_id":"` + id + `"}`)}
	}

	t.Run("StoredOncePerID", func(t *testing.T) {
		s := newStore(t)
		a, b := result("M1", interdict.MessageRelease), result("M2", interdict.MessageHold)
		b.Alerts = 2
		created, err := s.PutMessageResults(ctx, []*interdict.MessageResult{a, b})
		if err != nil {
			t.Fatal(err)
		}
		if !created[0] || !created[1] || a.Deliveries != 1 || a.CreatedAt.IsZero() {
			t.Fatalf("first store: created %v, result %+v", created, a)
		}
		// The same message again, screened differently: the first result
		// stays, the delivery is counted.
		again := result("M1", interdict.MessageHold)
		again.Result = []byte(`{"other":true}`)
		created, err = s.PutMessageResults(ctx, []*interdict.MessageResult{again})
		if err != nil {
			t.Fatal(err)
		}
		if created[0] || again.Decision != interdict.MessageRelease || string(again.Result) != `{"message_id":"M1"}` || again.Deliveries != 2 {
			t.Errorf("second store of M1: created %v, result %+v; want the first result with 2 deliveries", created, again)
		}
		got, err := s.FindMessageResult(ctx, "M2")
		if err != nil || got.Decision != interdict.MessageHold || got.Alerts != 2 || got.Format != "pacs.008.001.08" ||
			got.Source != "nats:S/1" || string(got.Result) != `{"message_id":"M2"}` || got.Deliveries != 1 {
			t.Errorf("FindMessageResult(M2) = %+v, %v", got, err)
		}
		_, err = s.FindMessageResult(ctx, "M9")
		wantCode(t, "FindMessageResult of a missing message", err, interdict.ENOTFOUND)
		n, err := s.CountMessageResults(ctx, interdict.MessageResultFilter{})
		if err != nil || n != 2 {
			t.Errorf("CountMessageResults = %d, %v; want 2", n, err)
		}
		n, err = s.CountMessageResults(ctx, interdict.MessageResultFilter{Decision: interdict.MessageHold})
		if err != nil || n != 1 {
			t.Errorf("CountMessageResults(hold) = %d, %v; want 1", n, err)
		}
		rs, err := s.FindMessageResults(ctx, interdict.MessageResultFilter{})
		if err != nil || len(rs) != 2 || rs[0].ID != "M2" || rs[1].ID != "M1" {
			t.Errorf("FindMessageResults = %+v, %v; want M2, M1", rs, err)
		}
		rs, err = s.FindMessageResults(ctx, interdict.MessageResultFilter{Decision: interdict.MessageRelease, Limit: 1})
		if err != nil || len(rs) != 1 || rs[0].ID != "M1" {
			t.Errorf("FindMessageResults(release, 1) = %+v, %v; want M1", rs, err)
		}
	})

	t.Run("Pages", func(t *testing.T) {
		// Pages of held results, newest first, each after the last of the
		// previous one; results stored meanwhile do not shift the pages.
		s := newStore(t)
		var want []string
		for i := 0; i < 7; i++ {
			d := interdict.MessageRelease
			if i%3 != 1 {
				d = interdict.MessageHold
				want = append([]string{fmt.Sprintf("P%d", i)}, want...)
			}
			if _, err := s.PutMessageResults(ctx, []*interdict.MessageResult{result(fmt.Sprintf("P%d", i), d)}); err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		before := ""
		for page := 0; ; page++ {
			rs, err := s.FindMessageResults(ctx, interdict.MessageResultFilter{Decision: interdict.MessageHold, Limit: 2, Before: before})
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) == 0 || page > 10 {
				break
			}
			for _, r := range rs {
				got = append(got, r.ID)
			}
			before = rs[len(rs)-1].ID
			if page == 0 {
				if _, err := s.PutMessageResults(ctx, []*interdict.MessageResult{result("P-later", interdict.MessageHold)}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("held results page by page: %v, want %v", got, want)
		}
		rs, err := s.FindMessageResults(ctx, interdict.MessageResultFilter{Before: "P3"})
		if err != nil || len(rs) != 3 || rs[0].ID != "P2" || rs[2].ID != "P0" {
			t.Errorf("every result before P3: %+v, %v; want P2, P1, P0", rs, err)
		}
		_, err = s.FindMessageResults(ctx, interdict.MessageResultFilter{Before: "no-such-message"})
		wantCode(t, "a page after a message with no result", err, interdict.EINVALID)
	})

	t.Run("Invalid", func(t *testing.T) {
		s := newStore(t)
		_, err := s.PutMessageResults(ctx, []*interdict.MessageResult{result("OK", interdict.MessageRelease), result("", interdict.MessageRelease)})
		wantCode(t, "a result without ID", err, interdict.EINVALID)
		_, err = s.PutMessageResults(ctx, []*interdict.MessageResult{result("X", "maybe")})
		wantCode(t, "a result with an unknown decision", err, interdict.EINVALID)
		if n, err := s.CountMessageResults(ctx, interdict.MessageResultFilter{}); err != nil || n != 0 {
			t.Errorf("after invalid stores: %d results, %v; want none", n, err)
		}
	})

	t.Run("ConcurrentDeliveries", func(t *testing.T) {
		// Consumers storing the same messages at once store each once.
		s := newStore(t)
		const workers, msgs = 4, 25
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var rs []*interdict.MessageResult
				for i := 0; i < msgs; i++ {
					rs = append(rs, result(fmt.Sprintf("C%02d", i), interdict.MessageRelease))
				}
				if _, err := s.PutMessageResults(ctx, rs); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		n, err := s.CountMessageResults(ctx, interdict.MessageResultFilter{})
		if err != nil || n != msgs {
			t.Fatalf("CountMessageResults = %d, %v; want %d", n, err, msgs)
		}
		for i := 0; i < msgs; i++ {
			r, err := s.FindMessageResult(ctx, fmt.Sprintf("C%02d", i))
			if err != nil || r.Deliveries != workers {
				t.Fatalf("C%02d: %+v, %v; want %d deliveries", i, r, err, workers)
			}
		}
	})
}
