package http_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestHostileRequests(t *testing.T) {
	_, ts := MustOpenServer(t, false)
	long := strings.Repeat("A", 5000)
	tests := []struct {
		name   string
		r      req
		status int
		want   string
	}{
		{"StaticDotDot", req{method: "GET", path: "/static/..%2F.."}, http.StatusNotFound, "No asset"},
		{"StaticDotDotFile", req{method: "GET", path: "/static/..%2Fhtml.go"}, http.StatusNotFound, "No asset"},
		{"CompareLongName1", req{method: "POST", path: "/v1/compare", ctype: "application/json", body: `{"name1":"` + long + `","name2":"ACME"}`}, http.StatusUnprocessableEntity, "name1 must be at most 1000 bytes"},
		{"CompareLongName2", req{method: "POST", path: "/v1/compare", ctype: "application/json", body: `{"name1":"ACME","name2":"` + long + `"}`}, http.StatusUnprocessableEntity, "name2 must be at most 1000 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, ts, tt.r)
			if resp.StatusCode != tt.status {
				t.Fatalf("%s %s: status %d, want %d: %s", tt.r.method, tt.r.path, resp.StatusCode, tt.status, body)
			}
			var p struct{ Detail string }
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatalf("body %s: %v", body, err)
			}
			if !strings.Contains(p.Detail, tt.want) || len(p.Detail) > 300 {
				t.Errorf("detail %q, want a short one containing %q", p.Detail, tt.want)
			}
		})
	}
}
