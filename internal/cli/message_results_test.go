package cli_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/sqlite"
)

// TestMessagesListShow reads the stored results of a stream's messages.
func TestMessagesListShow(t *testing.T) {
	home := t.TempDir()
	ctx := context.Background()
	db := sqlite.NewDB(filepath.Join(home, "interdict.db"))
	if err := db.Open(ctx); err != nil {
		t.Fatal(err)
	}
	store := sqlite.NewMessageResultStore(db)
	for _, r := range []*interdict.MessageResult{
		{ID: "M1", Format: "MT103", Decision: interdict.MessageRelease, Result: []byte(`{"message_id":"M1","decision":"release"}`)},
		{ID: "M2", Format: "pacs.008.001.08", Decision: interdict.MessageHold, Alerts: 1, Result: []byte(`{"message_id":"M2","decision":"hold"}`)},
	} {
		if _, err := store.PutMessageResults(ctx, []*interdict.MessageResult{r}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	code, out, errOut := run(t, home, nil, "messages", "list")
	if code != 0 || !strings.Contains(out, "M2") || strings.Index(out, "M2") > strings.Index(out, "M1") {
		t.Errorf("messages list: exit %d, %q %s; want M2 before M1", code, out, errOut)
	}
	code, out, errOut = run(t, home, nil, "messages", "list", "--decision", "hold", "--json")
	var got struct {
		ID     string `json:"id"`
		Result struct {
			Decision string `json:"decision"`
		} `json:"result"`
	}
	if code != 0 || strings.Count(out, "\n") != 1 || json.Unmarshal([]byte(out), &got) != nil || got.ID != "M2" || got.Result.Decision != "hold" {
		t.Errorf("messages list --decision hold --json: exit %d, %q %s; want the result of M2 alone", code, out, errOut)
	}
	code, out, errOut = run(t, home, nil, "messages", "show", "M1")
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got.ID != "M1" || got.Result.Decision != "release" {
		t.Errorf("messages show M1: exit %d, %q %s", code, out, errOut)
	}
	if code, _, errOut := run(t, home, nil, "messages", "show", "M9"); code == 0 || !strings.Contains(errOut, "M9") {
		t.Errorf("messages show M9: exit %d, %s; want an error naming M9", code, errOut)
	}
	if code, _, _ := run(t, home, nil, "messages", "list", "--decision", "maybe"); code != 2 {
		t.Errorf("messages list --decision maybe: exit %d, want 2 (usage)", code)
	}
}
