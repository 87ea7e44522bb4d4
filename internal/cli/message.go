package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/interdict/interdict/classify"
	"github.com/interdict/interdict/country"
	"github.com/interdict/interdict/message"
	"github.com/interdict/interdict/scan"
	"github.com/interdict/interdict/screen"
	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"
)

func init() { extraCommands = append(extraCommands, (*App).newMessagesCmd) }

// messageOptions are the flags of `interdict messages screen`.
type messageOptions struct {
	JSON         bool
	Stream       bool
	DocumentScan bool
	Policy       policyFlags
}

func (a *App) newMessagesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "messages",
		Aliases: []string{"message"},
		Short:   "Screen payment and trade messages field by field",
	}
	cmd.AddCommand(a.newMessagesScreenCmd(), a.newMessagesConsumeCmd(), a.newMessagesListCmd(), a.newMessagesShowCmd())
	return cmd
}

func (a *App) newMessagesScreenCmd() *cobra.Command {
	var opts messageOptions
	cmd := &cobra.Command{
		Use:   "screen [--json] [--stream] FILE...|-",
		Short: "Screen payment and trade messages and decide release or hold",
		Long: `Screen reads ISO 20022 (pacs.008, pacs.009 and COV, pacs.004, pain.001 and
other Documents, with or without the business application header), SWIFT MT
(MT103, MT202/202COV, MT205 and others), Fedwire tag format and DCSA
electronic bill of lading messages; the format is detected. A file may hold
many messages (an RJE batch, several Fedwire messages); a directory is read
file by file; "-" reads standard input.

Every party name is screened against the lists with its country and address
as secondary evidence; every BIC is looked up among the listed banks' BICs
and its country (letters 5-6) checked, like IBAN, party, port and place
countries, against the embargoed destinations; addresses and places are
searched for embargoed cities, ports and regions (Bandar Abbas, Pyongyang,
Crimea, ...); vessels by name and IMO number; free text (remittance
information, :70:, :72:, instructions) for listed names spelled out and
embargoed places; goods descriptions of bills of lading through goods
classification. A message is held when any of them alerts, released
otherwise.

--json prints one JSON result per message per line: message_id, format,
decision (release or hold), reasons, hits (field, value, entity_id, score,
explanation) and every field screened. --stream reads messages from standard
input as they arrive and prints each result at once: an MT message ends at
its "-}" line, a JSON document when it closes, any message at a line holding
only "$" or nothing.

Exit codes: 0 every message released, 1 error (a file or message that cannot
be read is reported and the others are still screened), 2 usage, 3 a message
is held.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if opts.Stream && len(args) > 0 && !(len(args) == 1 && args[0] == "-") {
				return usageError("--stream reads standard input; give no FILE (see 'interdict messages screen --help')")
			}
			if !opts.Stream && len(args) == 0 {
				return usageError("messages screen takes FILE... or - for standard input (see 'interdict messages screen --help')")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Stream {
				return a.runMessagesStream(cmd.Context(), opts)
			}
			return a.runMessagesScreen(cmd.Context(), args, opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.JSON, "json", false, "print one JSON result per message per line")
	f.BoolVar(&opts.Stream, "stream", false, "read messages from standard input as they arrive and print each result at once")
	f.BoolVar(&opts.DocumentScan, "document-scan", false, "scan free text with the document scanner as well as line by line (builds its automaton over every listed name first)")
	opts.Policy.register(f)
	return cmd
}

// messageScreener builds the message screener over the current lists with
// the policy of the flags, the destination rules and goods classification.
func (a *App) messageScreener(ctx context.Context, opts messageOptions) (*message.Screener, error) {
	s, _, err := a.messageScreenerService(ctx, opts.Policy, opts.DocumentScan)
	return s, err
}

// messageScreenerService is messageScreener with the screening service
// under it; docScan scans free text with the document scanner (package
// scan) as well as line by line.
func (a *App) messageScreenerService(ctx context.Context, pf policyFlags, docScan bool) (*message.Screener, *screen.Service, error) {
	p, err := a.policy(pf)
	if err != nil {
		return nil, nil, err
	}
	svc, err := a.service(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	cl, err := classify.New(classify.Options{CountryCode: country.Code, CountryName: country.Name, Screener: svc})
	if err != nil {
		return nil, nil, err
	}
	s, err := message.NewScreener(message.Options{Parties: svc, Threshold: p.Threshold, Destinations: cl, Goods: cl})
	if err != nil {
		return nil, nil, err
	}
	if docScan {
		message.NewDocScanner(s, scan.NewLive(svc))
	}
	return s, svc, nil
}

// messageFiles expands the arguments: a directory gives its files (not
// hidden ones), in name order.
func messageFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if a == "-" {
			out = append(out, a)
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if strings.HasPrefix(d.Name(), ".") && p != a {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() {
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readMessageFile reads one file (or standard input), bounded by
// message.MaxFileBytes.
func (a *App) readMessageFile(name string) ([]byte, error) {
	var r io.Reader
	if name == "-" {
		r = a.Stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, message.MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return b, nil
}

func (a *App) runMessagesScreen(ctx context.Context, args []string, opts messageOptions) error {
	files, err := messageFiles(args)
	if err != nil {
		return err
	}
	// Read every file first: a file that cannot be read is reported and
	// the others are screened. In a directory, files that are no message
	// at all (a README) are reported as skipped.
	var msgs []*message.Message
	failed := 0
	dirArg := len(files) != len(args)
	for _, f := range files {
		b, err := a.readMessageFile(f)
		if err != nil {
			fmt.Fprintf(a.Stderr, "interdict: error: %v\n", err)
			failed++
			continue
		}
		ms, err := message.Parse(f, b)
		if err != nil {
			if dirArg && errors.Is(err, message.ErrUnknownFormat) {
				fmt.Fprintf(a.Stderr, "interdict: skipped %s: not a message\n", f)
				continue
			}
			fmt.Fprintf(a.Stderr, "interdict: error: %v\n", err)
			failed++
			continue
		}
		msgs = append(msgs, ms...)
	}
	if len(msgs) == 0 && failed > 0 {
		return &exitError{code: ExitError}
	}
	s, err := a.messageScreener(ctx, opts)
	if err != nil {
		return err
	}
	results := make([]*message.Result, len(msgs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, m := range msgs {
		g.Go(func() error {
			r, err := s.Screen(gctx, m)
			if err != nil {
				return fmt.Errorf("%s: %w", m.Source, err)
			}
			results[i] = r
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	held := 0
	for _, r := range results {
		if err := a.printMessageResult(r, opts.JSON); err != nil {
			return err
		}
		if r.Decision == message.Hold {
			held++
		}
	}
	fmt.Fprintf(a.Stderr, "%d messages: %d released, %d held", len(results), len(results)-held, held)
	if failed > 0 {
		fmt.Fprintf(a.Stderr, ", %d files not read", failed)
	}
	fmt.Fprintln(a.Stderr)
	switch {
	case failed > 0:
		return &exitError{code: ExitError}
	case held > 0:
		return &exitError{code: ExitMatch}
	}
	return nil
}

// runMessagesStream screens the messages of standard input one by one as
// they arrive, printing each result at once. A message that cannot be read
// is reported on standard error (with --json also as a JSON line with an
// "error") and the stream goes on.
func (a *App) runMessagesStream(ctx context.Context, opts messageOptions) error {
	s, err := a.messageScreener(ctx, opts)
	if err != nil {
		return err
	}
	rd := message.NewReader(a.Stdin, "stdin")
	held, failed, n := 0, 0, 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		ms, err := rd.Next()
		if err == io.EOF {
			break
		}
		var pe *message.ParseError
		if errors.As(err, &pe) {
			failed++
			fmt.Fprintf(a.Stderr, "interdict: error: %v\n", err)
			if opts.JSON {
				if err := writeJSONLine(a.Stdout, map[string]string{"source": pe.Source, "error": err.Error()}); err != nil {
					return err
				}
			}
			continue
		}
		if err != nil {
			return err
		}
		for _, m := range ms {
			r, err := s.Screen(ctx, m)
			if err != nil {
				return fmt.Errorf("%s: %w", m.Source, err)
			}
			n++
			if r.Decision == message.Hold {
				held++
			}
			if err := a.printMessageResult(r, opts.JSON); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(a.Stderr, "%d messages: %d released, %d held, %d not read\n", n, n-held, held, failed)
	switch {
	case failed > 0:
		return &exitError{code: ExitError}
	case held > 0:
		return &exitError{code: ExitMatch}
	}
	return nil
}

func writeJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// printMessageResult prints one result: a JSON line, or the decision, the
// message and its reasons.
func (a *App) printMessageResult(r *message.Result, asJSON bool) error {
	if asJSON {
		return writeJSONLine(a.Stdout, r)
	}
	id := r.MessageID
	if id == "" {
		id = "-"
	}
	fmt.Fprintf(a.Stdout, "%-8s %-16s %s  %s  (%d fields)\n", strings.ToUpper(string(r.Decision)), r.Format, id, r.Source, len(r.Fields))
	reasons := append([]string(nil), r.Reasons...)
	sort.Strings(reasons)
	for _, rs := range reasons {
		fmt.Fprintf(a.Stdout, "         %s\n", rs)
	}
	return nil
}
