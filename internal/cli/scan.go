package cli

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/interdict/interdict/document"
	"github.com/interdict/interdict/scan"
	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, (*App).newScanCmd) }

// scanOptions are the flags of `interdict scan`.
type scanOptions struct {
	JSON     bool
	Format   string
	MaxBytes int64
	Timeout  time.Duration
	Policy   policyFlags
}

func (a *App) newScanCmd() *cobra.Command {
	var opts scanOptions
	cmd := &cobra.Command{
		Use:   "scan [--json] FILE|URL|-...",
		Short: "Scan news and documents for listed parties, embargoed places, controlled goods and risk topics",
		Long: `Scan reads each document (a file, an http(s) URL, or - for standard input) as
plain text in any encoding, HTML (the main text, without navigation, cookie or
notification banners), PDF (with pdftotext from poppler-utils when it is on
PATH, a built-in extractor otherwise) or DOCX, and reports:

  - every mention of a listed party (any alias, as written in any script,
    transliterated, misspelt, "SURNAME, Given", another legal form), screened
    against the current lists and kept at or above the alert threshold;
  - embargoed countries, regions, cities and ports, and controlled-goods terms;
  - the risk topics (sanctions evasion, smuggling, arrest or indictment,
    proliferation, terrorism financing, defection, fraud) with their sentences.

Each mention has its byte and character offsets, its sentence and a score
with the explanation. With --json each document is one JSON object. The exit
status is 3 when a listed party is mentioned.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("scan takes one or more FILE, URL or - (see 'interdict scan --help')")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runScan(cmd.Context(), args, opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.JSON, "json", false, "print each document's result as JSON")
	f.StringVar(&opts.Format, "format", "", "document format: text, html, pdf, docx (default: detected)")
	f.Int64Var(&opts.MaxBytes, "max-bytes", document.DefaultLimits().MaxBytes, "largest document read, in bytes")
	f.DurationVar(&opts.Timeout, "timeout", 30*time.Second, "time limit for fetching a URL and for extracting a PDF")
	opts.Policy.register(f)
	return cmd
}

func (a *App) runScan(ctx context.Context, args []string, opts scanOptions) error {
	switch opts.Format {
	case "", document.FormatText, document.FormatHTML, document.FormatPDF, document.FormatDOCX:
	default:
		return usageError("--format %q: use text, html, pdf or docx", opts.Format)
	}
	p, err := a.policy(opts.Policy)
	if err != nil {
		return err
	}
	svc, err := a.service(ctx, p)
	if err != nil {
		return err
	}
	sc, err := scan.NewLive(svc).Scanner(ctx)
	if err != nil {
		return err
	}
	lim := document.DefaultLimits()
	lim.MaxBytes = opts.MaxBytes
	lim.Timeout = opts.Timeout
	found := false
	for _, arg := range args {
		doc, err := a.readDocument(ctx, arg, opts.Format, lim)
		if err != nil {
			return err
		}
		res, err := sc.Scan(ctx, arg, doc.Text)
		if err != nil {
			return fmt.Errorf("scan %s: %w", arg, err)
		}
		for _, m := range res.Mentions {
			if m.Kind == scan.KindParty {
				found = true
			}
		}
		if opts.JSON {
			if err := writeJSON(a.Stdout, res); err != nil {
				return err
			}
			continue
		}
		printScan(a.Stdout, doc, res)
	}
	if found {
		return &exitError{code: ExitMatch}
	}
	return nil
}

// readDocument reads a file, a URL or standard input ("-") within limits.
func (a *App) readDocument(ctx context.Context, arg, format string, lim document.Limits) (*document.Document, error) {
	var b []byte
	var err error
	switch {
	case arg == "-":
		b, err = document.ReadAll(a.Stdin, lim.MaxBytes)
	case strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://"):
		var ctype string
		b, ctype, err = a.fetchDocument(ctx, arg, lim)
		if err == nil && format == "" {
			if mt, _, _ := mime.ParseMediaType(ctype); mt == "text/html" || mt == "application/xhtml+xml" {
				format = document.FormatHTML
			}
		}
	default:
		var f *os.File
		f, err = os.Open(arg)
		if err == nil {
			b, err = document.ReadAll(f, lim.MaxBytes)
			f.Close()
		}
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", arg, err)
	}
	if format == "" {
		format = document.Detect(arg, b)
	}
	return document.Parse(ctx, arg, b, format, lim)
}

// fetchDocument gets a URL with the time and size limits.
func (a *App) fetchDocument(ctx context.Context, url string, lim document.Limits) ([]byte, string, error) {
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("User-Agent", "interdict-scan")
	client := a.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("HTTP %s", resp.Status)
	}
	if resp.ContentLength > lim.MaxBytes {
		return nil, "", fmt.Errorf("%w: %d bytes announced, limit %d", document.ErrTooLarge, resp.ContentLength, lim.MaxBytes)
	}
	b, err := document.ReadAll(resp.Body, lim.MaxBytes)
	return b, resp.Header.Get("Content-Type"), err
}

// printScan writes a result for a reader: the parties, places and goods
// grouped with their counts, each mention with its sentence, the topics.
func printScan(w io.Writer, doc *document.Document, res *scan.Result) {
	fmt.Fprintf(w, "%s (%s, %d characters", res.Document, doc.Format, res.Chars)
	if doc.Truncated {
		fmt.Fprint(w, ", cut at the size limit")
	}
	fmt.Fprintf(w, "): %d mentions\n", len(res.Mentions))
	for _, g := range res.Groups {
		fmt.Fprintf(w, "  %-5s %-28s %s ×%d  (%s)\n", g.Kind, g.EntityID, g.Name, g.Count, strings.Join(g.Texts, " | "))
	}
	for _, m := range res.Mentions {
		if m.Kind != scan.KindParty {
			continue
		}
		fmt.Fprintf(w, "\n  %q at %d-%d → %s %s, score %.2f\n    %s\n    “%s”\n", m.Text, m.CharStart, m.CharEnd, m.EntityID, m.Name, m.Score, m.Why, m.Sentence)
		if len(m.Programs) > 0 {
			fmt.Fprintf(w, "    programs: %s\n", strings.Join(m.Programs, ", "))
		}
	}
	for _, t := range res.Topics {
		fmt.Fprintf(w, "\n  topic %s (%s)\n", t.Topic, strings.Join(t.Terms, ", "))
		for _, s := range t.Sentences {
			fmt.Fprintf(w, "    “%s”\n", s)
		}
	}
	fmt.Fprintln(w)
}
