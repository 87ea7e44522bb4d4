package review_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/review"
	"github.com/interdict/interdict/screen"
)

// A change of threshold, per-list policy or configuration is recorded once,
// with its actor and what changed; the same settings again record nothing;
// the trail still verifies.
func TestService_RecordSettings(t *testing.T) {
	ctx := context.Background()
	e := mustEnv(t, nil)
	p := screen.DefaultPolicy()
	st := review.Settings{Policy: p, Sources: map[string][]string{"un": {"https://example.org/un.xml"}}}
	ch, err := e.svc.RecordSettings(ctx, "cli:ann", "config.json", st)
	if err != nil || ch == nil || ch.PolicyHash != p.Hash() || !slices.Equal(ch.Changed, []string{"first record"}) {
		t.Fatalf("first RecordSettings = %+v, %v; want a first record", ch, err)
	}
	if ch, err := e.svc.RecordSettings(ctx, "cli:bob", "config.json", st); err != nil || ch != nil {
		t.Fatalf("RecordSettings of the same settings = %+v, %v; want no record", ch, err)
	}
	p2 := p
	p2.Threshold = p.Threshold + 0.02
	p2.PerList = map[string]screen.ListPolicy{"un": {Threshold: 0.95}}
	st2 := st
	st2.Policy = p2
	st2.MaxAgeDays = map[string]int{"*": 3}
	ch2, err := e.svc.RecordSettings(ctx, "ann", "serve --threshold", st2)
	if err != nil || ch2 == nil {
		t.Fatalf("RecordSettings of new settings = %+v, %v", ch2, err)
	}
	if want := []string{"policy.per_list", "policy.threshold", "max_age_days"}; !slices.Equal(ch2.Changed, want) || ch2.Previous != ch.Hash || ch2.PolicyHash != p2.Hash() {
		t.Errorf("change = %+v; want changed %v after %s", ch2, want, ch.Hash)
	}
	var recs []*interdict.AuditRecord
	if err := e.store.FindAuditRecords(ctx, interdict.AuditFilter{Object: review.ConfigObject}, func(r *interdict.AuditRecord) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Actor != "cli:ann" || recs[1].Actor != "ann" || recs[1].Action != "config.change" {
		t.Fatalf("config records = %+v; want two, by cli:ann and ann", recs)
	}
	var got review.SettingsChange
	if err := json.Unmarshal(recs[1].Payload, &got); err != nil || got.Settings.Policy.PerList["un"].Threshold != 0.95 || got.From != "serve --threshold" {
		t.Errorf("payload %s (%v)", recs[1].Payload, err)
	}
	// Back to the first settings: a change again.
	if ch, err := e.svc.RecordSettings(ctx, "ann", "config.json", st); err != nil || ch == nil || ch.Previous != ch2.Hash {
		t.Errorf("RecordSettings back to the first settings = %+v, %v; want a record", ch, err)
	}
	if _, err := e.svc.RecordSettings(ctx, "", "x", st); interdict.ErrorCode(err) != interdict.EINVALID {
		t.Errorf("RecordSettings without an actor = %v; want EINVALID", err)
	}
	rep, err := e.svc.Verify(ctx, "")
	if err != nil || rep.Break != nil || rep.Records != 3 {
		t.Errorf("VerifyAudit after the changes = %+v, %v", rep, err)
	}
}
