package http_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	interdicthttp "github.com/interdict/interdict/http"
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

// readSignal is a request body, as the server sees it, that says when the
// server first reads it.
type readSignal struct {
	io.ReadCloser
	once sync.Once
	read chan struct{}
}

func (r *readSignal) Read(p []byte) (int, error) {
	r.once.Do(func() { close(r.read) })
	return r.ReadCloser.Read(p)
}

func TestBatchUpload_SlotBeforeRead(t *testing.T) {
	s, _ := MustOpenServer(t, false, func(s *interdicthttp.Server) { s.MaxBatches = 1 })
	read := make(chan struct{})
	var first sync.Once
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first.Do(func() { r.Body = &readSignal{ReadCloser: r.Body, read: read} })
		s.Handler().ServeHTTP(w, r)
	}))
	defer ts.Close()
	// The first upload sends its head and then nothing more, as a slow
	// client does.
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		hr, _ := http.NewRequest("POST", ts.URL+"/batch", pr)
		hr.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		if resp, err := http.DefaultClient.Do(hr); err == nil {
			resp.Body.Close()
		}
	}()
	go pw.Write([]byte("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nname\r\n"))
	<-read
	// The server is reading the first upload, so its slot is taken: a
	// second upload is refused at once, before its body is read.
	resp, got := do(t, ts, req{method: "POST", path: "/batch", ctype: "multipart/form-data; boundary=x", body: "--x\r\n"})
	pw.CloseWithError(io.ErrUnexpectedEOF)
	<-done
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(string(got), "batches are running") {
		t.Fatalf("second upload during the first: %d %s, want 429", resp.StatusCode, got)
	}
}
