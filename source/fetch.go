package source

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

// Fetcher downloads list files from their publishers. It refuses anything
// that is not a complete file: a non-200 status, a body shorter than its
// Content-Length, an HTML error page served with status 200, a body larger
// than MaxBytes, or a corrupt archive.
type Fetcher struct {
	Client *http.Client
	// MaxBytes bounds one download; 0 means MaxFileSize.
	MaxBytes int64
	// UserAgent is sent with each request.
	UserAgent string
}

// NewFetcher returns a Fetcher with a 5-minute timeout per download.
func NewFetcher() *Fetcher {
	return &Fetcher{Client: &http.Client{Timeout: 5 * time.Minute}, UserAgent: "interdict (sanctions list update)"}
}

// Fetch downloads rawURL and returns its decompressed files.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) ([]File, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("fetch %s: not an http(s) URL", rawURL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	if f.UserAgent != "" {
		req.Header.Set("User-Agent", f.UserAgent)
	}
	client := f.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: status %s", rawURL, resp.Status)
	}
	max := f.MaxBytes
	if max <= 0 {
		max = MaxFileSize
	}
	if resp.ContentLength > max {
		return nil, fmt.Errorf("fetch %s: %d bytes announced, larger than the %d a list file may have", rawURL, resp.ContentLength, max)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: incomplete download after %d bytes: %w", rawURL, len(data), err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("fetch %s: larger than %d bytes", rawURL, max)
	}
	if resp.ContentLength >= 0 && int64(len(data)) != resp.ContentLength {
		return nil, fmt.Errorf("fetch %s: incomplete download: got %d of %d bytes", rawURL, len(data), resp.ContentLength)
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("fetch %s: empty response", rawURL)
	}
	if looksLikeHTML(resp.Header.Get("Content-Type"), data) {
		return nil, fmt.Errorf("fetch %s: got an HTML page, not a list file", rawURL)
	}
	name := path.Base(u.Path)
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil && params["filename"] != "" {
		name = path.Base(params["filename"])
	}
	if name == "" || name == "/" || name == "." {
		name = u.Host
	}
	files, err := Expand(name, data)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	for i := range files {
		files[i].Path = rawURL
		if strings.Contains(files[i].Path, "!") {
			continue
		}
		if len(files) > 1 {
			files[i].Path = rawURL + "!" + files[i].Name
		}
	}
	return files, nil
}

func looksLikeHTML(contentType string, data []byte) bool {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil && mt == "text/html" {
		return true
	}
	h := bytes.ToLower(bytes.TrimSpace(head(data)))
	return bytes.HasPrefix(h, []byte("<!doctype html")) || bytes.HasPrefix(h, []byte("<html"))
}
