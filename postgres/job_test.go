package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/postgres"
)

// expireLeases ends every job lease now, as the passing of their lifetime
// without renewal would.
func expireLeases(t *testing.T, db *postgres.DB) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), `UPDATE jobs SET lease_expires = now() - interval '1 second' WHERE lease_expires IS NOT NULL`); err != nil {
		t.Fatal(err)
	}
}

// TestJobStore_Lease runs the lease of a batch job through a replica's
// death: the job is held by the replica that created it, no other replica
// can claim or update it while its lease is live, and once the lease has
// expired exactly one of several replicas claiming it at once gets it.
func TestJobStore_Lease(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	replica := func(name string) *postgres.JobStore {
		s := postgres.NewJobStore(db)
		s.Holder = name
		return s
	}
	r1 := replica("r1")
	j := &interdict.Job{Kind: "screen", Input: "book.csv", Total: 10}
	if err := r1.CreateJob(ctx, j, []byte("name\nA\n")); err != nil {
		t.Fatal(err)
	}
	r2 := replica("r2")

	t.Run("HeldByItsCreator", func(t *testing.T) {
		if ok, err := r2.ClaimJob(ctx, j.ID); err != nil || ok {
			t.Fatalf("r2 claims a job r1 holds: got %v, %v; want false", ok, err)
		}
		if ok, err := r1.ClaimJob(ctx, j.ID); err != nil || ok {
			t.Fatalf("r1 claims the job it runs: got %v, %v; want false (not run twice)", ok, err)
		}
		if _, err := r1.UpdateJob(ctx, j.ID, interdict.JobUpdate{State: interdict.JobRunning, Total: 10, Done: 3}); err != nil {
			t.Fatal(err)
		}
		_, err := r2.UpdateJob(ctx, j.ID, interdict.JobUpdate{State: interdict.JobRunning, Total: 10, Done: 4})
		if interdict.ErrorCode(err) != interdict.ECONFLICT {
			t.Fatalf("r2 updates a job r1 holds: got %v, want ECONFLICT", err)
		}
	})

	t.Run("ClaimedOnceAfterExpiry", func(t *testing.T) {
		expireLeases(t, db) // r1 died: its lease is no longer renewed
		const claimers = 6
		var wg sync.WaitGroup
		got := make([]bool, claimers)
		errs := make([]error, claimers)
		stores := make([]*postgres.JobStore, claimers)
		for i := range stores {
			stores[i] = replica("c" + string(rune('0'+i)))
		}
		for i := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], errs[i] = stores[i].ClaimJob(ctx, j.ID)
			}()
		}
		wg.Wait()
		var winner *postgres.JobStore
		for i, ok := range got {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if ok {
				if winner != nil {
					t.Fatalf("job claimed by %s and %s", winner.Holder, stores[i].Holder)
				}
				winner = stores[i]
			}
		}
		if winner == nil {
			t.Fatalf("no replica of %d claimed the job whose lease expired", claimers)
		}
		// The old holder, come back, can no longer record progress.
		_, err := r1.UpdateJob(ctx, j.ID, interdict.JobUpdate{State: interdict.JobRunning, Total: 10, Done: 5})
		if interdict.ErrorCode(err) != interdict.ECONFLICT {
			t.Fatalf("r1 updates a job taken over by %s: got %v, want ECONFLICT", winner.Holder, err)
		}
		if ok, err := r2.ClaimJob(ctx, j.ID); err != nil || ok {
			t.Fatalf("r2 claims a job %s holds: got %v, %v; want false", winner.Holder, ok, err)
		}
		got2, err := winner.UpdateJob(ctx, j.ID, interdict.JobUpdate{State: interdict.JobDone, Total: 10, Done: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got2.State != interdict.JobDone || got2.Done != 10 {
			t.Fatalf("job after the winner finished it: %+v", got2)
		}
	})

	t.Run("FinishedNotClaimed", func(t *testing.T) {
		expireLeases(t, db)
		if ok, err := r2.ClaimJob(ctx, j.ID); err != nil || ok {
			t.Fatalf("r2 claims a finished job: got %v, %v; want false", ok, err)
		}
		if ok, err := r2.ClaimJob(ctx, "no-such-job"); err != nil || ok {
			t.Fatalf("claim of a missing job: got %v, %v; want false", ok, err)
		}
	})
}
