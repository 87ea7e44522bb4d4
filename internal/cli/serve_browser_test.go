package cli_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromium returns the path of a Chromium browser, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("INTERDICT_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("browser tests skipped: no chromium on PATH (apt-get install chromium, or set INTERDICT_CHROMIUM)")
	return ""
}

// artifacts returns the directory for screenshots: $INTERDICT_ARTIFACTS or a
// temporary directory.
func artifacts(t *testing.T) string {
	dir := os.Getenv("INTERDICT_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	return ctx
}

// browser runs steps in a tab and fails the test with the server's log on
// the first error.
type browser struct {
	t   *testing.T
	ctx context.Context
	ts  *testServer
	dir string
}

func (b *browser) fail(err error) {
	b.t.Helper()
	b.t.Fatalf("browser: %v\nserver log:\n%s", err, lastLines(b.ts.Log.String(), 20))
}

func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.fail(err)
	}
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.fail(err)
	}
	return s
}

func (b *browser) screenshot(name string) {
	b.t.Helper()
	buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)) // quality 100 means PNG
	if err != nil {
		b.fail(err)
	}
	p := filepath.Join(b.dir, name)
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", p)
}

// TestServe_Browser types "Majid Kakavand" into the screening page with the
// keyboard, sees the BIS Entity List row of the Consolidated Screening List
// with its explanation, and opens it.
func TestServe_Browser(t *testing.T) {
	ctx := newBrowser(t)
	ts := MustOpenServer(t)
	b := &browser{t: t, ctx: ctx, ts: ts, dir: artifacts(t)}

	b.do(
		chromedp.Navigate(ts.URL()+"/"),
		chromedp.WaitVisible(chromedp.ID("name")),
	)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`typeof htmx !== "undefined"`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		b.fail(err)
	}
	// The name field has focus on load: type and press Enter.
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`))
	if err != nil {
		b.fail(err)
	}
	if focused != "name" {
		t.Errorf("focus on load is on %q, want the name field", focused)
	}
	// A marker that a full page load would lose: htmx swaps the results in.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__stay = 1`)); err != nil {
		b.fail(err)
	}
	b.do(
		chromedp.KeyEvent("Majid Kakavand"),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#results a[href^="/entities/csl:"]`)),
	)
	hitText := b.text(`#results ol.hits li:first-child`)
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.fail(err)
	}
	b.screenshot("screen-majid-kakavand.png")
	for _, want := range []string{"Majid Kakavand", "Consolidated Screening List", "EL (Entity List, BIS)", "Token alignment", "exact"} {
		if !strings.Contains(hitText, want) {
			t.Errorf("the hit lacks %q:\n%s", want, hitText)
		}
	}
	if !strings.Contains(url, "name=Majid%20Kakavand") && !strings.Contains(url, "name=Majid+Kakavand") {
		t.Errorf("URL after screening %q: the query was not pushed to the address bar", url)
	}
	if stay, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__stay || 0`)); err != nil || stay != 1 {
		t.Errorf("the page was reloaded instead of updated by htmx (%v)", err)
	}

	// Open the hit with the keyboard.
	b.do(
		chromedp.Focus(chromedp.CSS(`#results a[href^="/entities/csl:"]`)),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.ID("names-h")),
	)
	title := b.text(`h1`)
	entityText := b.text(`main`)
	b.screenshot("entity-majid-kakavand.png")
	if strings.TrimSpace(title) != "Majid Kakavand" {
		t.Errorf("entity page h1 %q", title)
	}
	for _, want := range []string{"Consolidated Screening List (csl)", "List version", "Names (", "EL"} {
		if !strings.Contains(entityText, want) {
			t.Errorf("the entity page lacks %q:\n%s", want, entityText)
		}
	}

	b.do(chromedp.Navigate(ts.URL()+"/lists"), chromedp.WaitVisible(chromedp.CSS(`table.lists`)))
	b.screenshot("lists.png")
}

// TestServe_BrowserBatch uploads a CSV on the batch page, watches it
// finish, and finds the download link.
func TestServe_BrowserBatch(t *testing.T) {
	ctx := newBrowser(t)
	ts := MustOpenServer(t)
	b := &browser{t: t, ctx: ctx, ts: ts, dir: artifacts(t)}
	csv := filepath.Join(t.TempDir(), "customers.csv")
	if err := os.WriteFile(csv, []byte("id,name,dob,country\n1,Majid Kakavand,,IR\n2,Jane Ordinary,1980-01-01,GB\n3,Mohammad Javad Zarif,,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b.do(
		chromedp.Navigate(ts.URL()+"/batch"),
		chromedp.WaitVisible(chromedp.ID("file")),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{csv}),
		chromedp.Submit(chromedp.ID("file")),
		chromedp.WaitVisible(chromedp.CSS(`a[href$="/results.csv"]`)),
	)
	progress := b.text(`#progress`)
	b.screenshot("batch-finished.png")
	if !strings.Contains(progress, "3 of 3 rows") {
		t.Errorf("progress: %q", progress)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// TestServe_BrowserGoods classifies a line item on the Goods page with the
// keyboard alone (type, Tab to the next field, Enter) and opens the end
// user's hit.
func TestServe_BrowserGoods(t *testing.T) {
	ctx := newBrowser(t)
	ts := MustOpenServer(t)
	b := &browser{t: t, ctx: ctx, ts: ts, dir: artifacts(t)}
	b.do(
		chromedp.Navigate(ts.URL()+"/goods"),
		chromedp.WaitVisible(chromedp.ID("description")),
	)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`typeof htmx !== "undefined"`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		b.fail(err)
	}
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`))
	if err != nil {
		b.fail(err)
	}
	if focused != "description" {
		t.Errorf("focus on load is on %q, want the description field", focused)
	}
	b.do(
		chromedp.KeyEvent("centrifugal pump, wetted parts of Hastelloy, 50 m3/h"),
		chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent("8413.70"),
		chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent("Iran"),
		chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent("Majid Kakavand"),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#results a[href^="/entities/csl:"]`)),
	)
	// The candidate entries are collapsed: open the first one for its
	// evidence.
	b.do(chromedp.Click(chromedp.CSS(`#results ol.candidates details summary`)))
	results := b.text(`#results`)
	b.screenshot("goods-pump-iran.png")
	for _, want := range []string{"Decision: PROHIBITED", "CANDIDATE", "2B350.i", "Missing parameters", "Restrictive measures", "Licence summary", "End user: Majid Kakavand"} {
		if !strings.Contains(strings.ToUpper(results), strings.ToUpper(want)) {
			t.Errorf("the results lack %q:\n%s", want, results)
		}
	}
	b.do(
		chromedp.Focus(chromedp.CSS(`#results a[href^="/entities/csl:"]`)),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.ID("names-h")),
	)
	if title := strings.TrimSpace(b.text(`h1`)); title != "Majid Kakavand" {
		t.Errorf("entity page h1 %q", title)
	}
}
