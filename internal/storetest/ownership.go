package storetest

import (
	"context"
	"testing"

	"github.com/interdict/interdict"
)

// OwnershipStore runs the interdict.OwnershipStore contract on fresh stores
// made by newStore.
func OwnershipStore(t *testing.T, newStore func(t *testing.T) interdict.OwnershipStore) {
	ctx := context.Background()
	recs := func() []*interdict.Ownership {
		return []*interdict.Ownership{
			{Owner: "ofac-sdn:10122", Owned: "ACME TRADING FZE", Share: "25-50", ShareMin: 25, ShareMax: 50, ShareKnown: true, Role: "shareholder", From: "2020-01-01", Record: "line 2"},
			{Owner: "ACME TRADING FZE", Owned: "book:C-1", Share: "49.9", ShareMin: 49.9, ShareMax: 49.9, ShareKnown: true, Record: "line 3"},
			{Owner: "eu:EU.1.2", Owned: "book:C-1", Role: "control", Control: true, Record: "line 4"},
		}
	}

	t.Run("ReplaceAndFind", func(t *testing.T) {
		s := newStore(t)
		in := recs()
		if err := s.ReplaceOwnerships(ctx, "owners.csv", in); err != nil {
			t.Fatal(err)
		}
		for _, o := range in {
			if o.ID == "" || o.Source != "owners.csv" || o.CreatedAt.IsZero() {
				t.Errorf("record not completed by the store: %+v", o)
			}
		}
		got, err := s.FindOwnerships(ctx, interdict.OwnershipFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 {
			t.Fatalf("FindOwnerships = %d records, want 3", len(got))
		}
		for i := range got {
			w := in[i]
			g := got[i]
			if g.ID != w.ID || g.Owner != w.Owner || g.Owned != w.Owned || g.Share != w.Share || g.ShareMin != w.ShareMin ||
				g.ShareMax != w.ShareMax || g.ShareKnown != w.ShareKnown || g.Role != w.Role || g.Control != w.Control ||
				g.From != w.From || g.To != w.To || g.Record != w.Record || g.Source != w.Source || !g.CreatedAt.Equal(w.CreatedAt) {
				t.Errorf("record %d read back as %+v, want %+v", i, g, w)
			}
		}
		got, err = s.FindOwnerships(ctx, interdict.OwnershipFilter{Node: "book:C-1"})
		if err != nil || len(got) != 2 || got[0].Owner != "ACME TRADING FZE" || got[1].Owner != "eu:EU.1.2" {
			t.Errorf("FindOwnerships(node book:C-1) = %+v, %v; want the two records of C-1 in import order", got, err)
		}
		got, err = s.FindOwnerships(ctx, interdict.OwnershipFilter{Limit: 1})
		if err != nil || len(got) != 1 {
			t.Errorf("FindOwnerships(limit 1) = %d, %v", len(got), err)
		}
	})

	t.Run("ReplaceBySource", func(t *testing.T) {
		s := newStore(t)
		if err := s.ReplaceOwnerships(ctx, "a.csv", recs()); err != nil {
			t.Fatal(err)
		}
		if err := s.ReplaceOwnerships(ctx, "b.json", recs()[:1]); err != nil {
			t.Fatal(err)
		}
		if err := s.ReplaceOwnerships(ctx, "a.csv", recs()[1:2]); err != nil {
			t.Fatal(err)
		}
		src, err := s.OwnershipSources(ctx)
		if err != nil || len(src) != 2 || src["a.csv"] != 1 || src["b.json"] != 1 {
			t.Errorf("OwnershipSources = %v, %v; want a.csv 1, b.json 1", src, err)
		}
		got, err := s.FindOwnerships(ctx, interdict.OwnershipFilter{Source: "a.csv"})
		if err != nil || len(got) != 1 || got[0].Owner != "ACME TRADING FZE" {
			t.Errorf("a.csv after its second import = %+v, %v", got, err)
		}
		if err := s.ReplaceOwnerships(ctx, "a.csv", nil); err != nil {
			t.Fatal(err)
		}
		if src, _ := s.OwnershipSources(ctx); len(src) != 1 {
			t.Errorf("sources after deleting a.csv: %v", src)
		}
	})

	t.Run("Invalid", func(t *testing.T) {
		s := newStore(t)
		wantCode(t, "ReplaceOwnerships without a source", s.ReplaceOwnerships(ctx, "", recs()), interdict.EINVALID)
		bad := recs()
		bad[1].Owned = " "
		wantCode(t, "ReplaceOwnerships of a record without owned", s.ReplaceOwnerships(ctx, "x.csv", bad), interdict.EINVALID)
		if got, _ := s.FindOwnerships(ctx, interdict.OwnershipFilter{}); len(got) != 0 {
			t.Errorf("a refused import stored %d records", len(got))
		}
	})
}
