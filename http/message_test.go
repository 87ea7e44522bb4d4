package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/interdict/interdict/classify"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/message"
)

// withMessages gives a server a message screener over its PartyScreener
// and the real destination rules.
func withMessages(tb testing.TB) func(*interdicthttp.Server) {
	return func(s *interdicthttp.Server) {
		c, err := classify.New(classify.Options{})
		if err != nil {
			tb.Fatal(err)
		}
		ms, err := message.NewScreener(message.Options{Parties: s.PartyScreener(), Threshold: 0.8, Destinations: c, Goods: c})
		if err != nil {
			tb.Fatal(err)
		}
		s.Messages = ms
	}
}

const testMT103 = "{1:F01HELSFIHHXXXX0000000000}{2:O1030720210409NDEAFIHHXXXX00000000002104090720N}{3:{121:8a562c67-ca16-48ba-b074-65581be6f001}}{4:\r\n" +
	":20:REF1\r\n:23B:CRED\r\n:32A:210409EUR15669,38\r\n:50K:/12547896\r\nC CONSUMER\r\n:57A:HELSFIHHXXX\r\n:59:/98653214\r\nJANE ORDINARY\r\n:70:INVOICE 42\r\n:71A:OUR\r\n-}"

func TestServer_MessagesScreen(t *testing.T) {
	_, ts := MustOpenServer(t, false, withMessages(t))
	doc := mustDoc(t)
	const pattern = "POST /v1/messages/screen"
	tests := []struct {
		name   string
		body   string
		status int
		want   []string
	}{
		{"Release", testMT103, 200, []string{`"decision":"release"`, `"message_id":"8a562c67-ca16-48ba-b074-65581be6f001"`, `"format":"MT103"`, `"field":":59:"`}},
		{"HoldListedBeneficiary", strings.Replace(testMT103, "JANE ORDINARY", "MAJID KAKAVAND", 1), 200,
			[]string{`"decision":"hold"`, `"field":":59:","value":"MAJID KAKAVAND","check":"name","entity_id":"ofac-sdn:1"`}},
		{"HoldEmbargoedBIC", strings.Replace(testMT103, ":57A:HELSFIHHXXX", ":57A:BMJIIRTH", 1), 200,
			[]string{`"decision":"hold"`, `"field":":57A:","value":"BMJIIRTH","check":"country","entity_id":"place:IR"`}},
		{"TwoMessages", testMT103 + "$" + testMT103, 200, []string{`"results":[{`, `"source":"body#2"`}},
		{"Unreadable", strings.Replace(testMT103, ":57A:HELSFIHHXXX", ":57A:NOT A BIC", 1), 422,
			[]string{`"detail":"Unreadable message: body: message 1: swift-mt: line 7: field :57A:`, `"errors":[{"field":":57A:"`}},
		{"NotAMessage", "hello", 422, []string{`not a message format`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, ts, req{method: "POST", path: "/v1/messages/screen", ctype: "text/plain", body: tt.body})
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("body does not contain %s:\n%s", w, body)
				}
			}
			if err := doc.ValidateResponse(pattern, resp.StatusCode, resp.Header.Get("Content-Type"), body); err != nil {
				t.Error(err)
			}
		})
	}
	t.Run("TooLarge", func(t *testing.T) {
		resp, body := do(t, ts, req{method: "POST", path: "/v1/messages/screen", ctype: "text/plain", body: strings.Repeat("x", 9<<20)})
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d, want 413: %s", resp.StatusCode, body)
		}
	})
	t.Run("Decision", func(t *testing.T) {
		_, body := do(t, ts, req{method: "POST", path: "/v1/messages/screen", ctype: "text/plain", body: testMT103 + "$" + strings.Replace(testMT103, "JANE ORDINARY", "MAJID KAKAVAND", 1)})
		var r interdicthttp.MessagesResponse
		if err := json.Unmarshal(body, &r); err != nil {
			t.Fatal(err)
		}
		if r.Decision != message.Hold || len(r.Results) != 2 || r.Results[0].Decision != message.Release || r.Results[1].Decision != message.Hold {
			t.Errorf("response %s, want hold over a released and a held message", body)
		}
	})
}

func TestServer_MessagesScreen_unavailable(t *testing.T) {
	_, ts := MustOpenServer(t, false)
	resp, body := do(t, ts, req{method: "POST", path: "/v1/messages/screen", ctype: "text/plain", body: testMT103})
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("no message screener: status %d, want 503: %s", resp.StatusCode, body)
	}
	_, ts = MustOpenServer(t, true, withMessages(t))
	resp, body = do(t, ts, req{method: "POST", path: "/v1/messages/screen", ctype: "text/plain", body: testMT103})
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("lists not loaded: status %d, want 503 with Retry-After: %s", resp.StatusCode, body)
	}
}

// TestServer_MessagesScreenAlerts checks that a held message's alerts are
// recorded as the user of the request, and a released one records none.
func TestServer_MessagesScreenAlerts(t *testing.T) {
	type call struct{ actor, id string }
	var mu sync.Mutex
	var calls []call
	_, ts := MustOpenServer(t, false, withMessages(t), func(s *interdicthttp.Server) {
		s.MessageAlerts = func(_ context.Context, actor string, r *message.Result) error {
			mu.Lock()
			defer mu.Unlock()
			calls = append(calls, call{actor, r.MessageID})
			return nil
		}
	})
	held := strings.Replace(strings.Replace(testMT103, "JANE ORDINARY", "MAJID KAKAVAND", 1), "8a562c67-ca16-48ba-b074-65581be6f001", "held-1", 1)
	resp, body := do(t, ts, req{method: "POST", path: "/v1/messages/screen", ctype: "text/plain", body: testMT103 + "$" + held})
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(calls) != 1 || calls[0].id != "held-1" || calls[0].actor == "" {
		t.Errorf("alerts recorded for %+v; want one for held-1 with the user", calls)
	}
}
