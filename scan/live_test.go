package scan_test

import (
	"context"
	"testing"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/scan"
	"github.com/interdict/interdict/screen"
)

// TestLive_Run builds the scanner in the background as soon as the service
// has an index, and again after a list update, before any scan asks for it.
func TestLive_Run(t *testing.T) {
	svc, err := screen.NewService(screen.ServiceConfig{Policy: screen.DefaultPolicy()})
	if err != nil {
		t.Fatal(err)
	}
	live := scan.NewLive(svc)
	if _, err := live.Scanner(context.Background()); interdict.ErrorCode(err) != interdict.EUNAVAILABLE {
		t.Fatalf("Scanner before any index: err = %v, want EUNAVAILABLE", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go live.Run(ctx, 10*time.Millisecond)
	ents := []interdict.Entity{{ID: "t:1", List: "t", Kind: interdict.KindOrganization, Names: []interdict.Name{{Full: "Rosoboronexport"}}}}
	if _, err := svc.Load(ents, nil); err != nil {
		t.Fatal(err)
	}
	waitReady(t, live)
	sc, err := live.Scanner(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sc.Entities() != 1 {
		t.Errorf("scanner over %d entities, want 1", sc.Entities())
	}
	ents = append(ents, interdict.Entity{ID: "t:2", List: "t", Kind: interdict.KindOrganization, Names: []interdict.Name{{Full: "Gazprombank"}}})
	if _, err := svc.Load(ents, nil); err != nil {
		t.Fatal(err)
	}
	waitReady(t, live)
	sc, err = live.Scanner(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r, err := sc.Scan(context.Background(), "t", "Funds moved through Gazprombank last year.")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Entities() != 2 || len(r.Mentions) != 1 || r.Mentions[0].EntityID != "t:2" {
		t.Errorf("after the update: %d entities, mentions %+v; want 2 and t:2", sc.Entities(), r.Mentions)
	}
}

func waitReady(t *testing.T, live *scan.Live) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !live.Ready() {
		if time.Now().After(deadline) {
			t.Fatal("the scanner was not built in the background within 20 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
