package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/interdict/interdict"
)

// messageResultOptions are the flags of `interdict messages list|show`.
type messageResultOptions struct {
	JSON     bool
	Decision string
	Limit    int
	Review   reviewFlags
}

func (a *App) newMessagesListCmd() *cobra.Command {
	var opts messageResultOptions
	cmd := &cobra.Command{
		Use:   "list [--decision hold|release] [--limit N] [--json]",
		Short: "List the stored results of messages screened from a stream, newest first",
		Long: `List prints the results 'interdict messages consume' stored, the most recently
stored first: message ID, format, decision, alerts, deliveries and when it
was stored. --json prints each stored result on one line, with the whole
screening result.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch opts.Decision {
			case "", interdict.MessageHold, interdict.MessageRelease:
			default:
				return usageError("--decision must be hold or release, not %q", opts.Decision)
			}
			if opts.Limit < 0 {
				return usageError("--limit must not be negative")
			}
			st, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			store, err := a.openMessageResults(cmd.Context(), st, opts.Review)
			if err != nil {
				return err
			}
			rs, err := store.FindMessageResults(cmd.Context(), interdict.MessageResultFilter{Decision: opts.Decision, Limit: opts.Limit})
			if err != nil {
				return err
			}
			if opts.JSON {
				for _, r := range rs {
					if err := writeJSONLine(a.Stdout, storedResultJSON(r)); err != nil {
						return err
					}
				}
				return nil
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "MESSAGE\tFORMAT\tDECISION\tALERTS\tDELIVERIES\tSTORED")
			for _, r := range rs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\n", r.ID, r.Format, r.Decision, r.Alerts, r.Deliveries, r.CreatedAt.UTC().Format("2006-01-02 15:04:05"))
			}
			return tw.Flush()
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.JSON, "json", false, "print each stored result as one JSON line")
	f.StringVar(&opts.Decision, "decision", "", "only held (hold) or released (release) messages")
	f.IntVar(&opts.Limit, "limit", 50, "at most this many results (0: all)")
	opts.Review.register(f, false)
	return cmd
}

func (a *App) newMessagesShowCmd() *cobra.Command {
	var opts messageResultOptions
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Print the stored result of one message screened from a stream",
		Long: `Show prints, as JSON, the result 'interdict messages consume' stored for the
message with this ID: its decision, deliveries and the whole screening
result. Exit code 1 when none is stored.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			store, err := a.openMessageResults(cmd.Context(), st, opts.Review)
			if err != nil {
				return err
			}
			r, err := store.FindMessageResult(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			b, err := json.MarshalIndent(storedResultJSON(r), "", "  ")
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(a.Stdout, "%s\n", b)
			return err
		},
	}
	opts.Review.register(cmd.Flags(), false)
	return cmd
}

// storedResultJSON is a stored result with its screening result as JSON
// rather than encoded bytes, as GET /v1/messages/{id} gives it.
func storedResultJSON(r *interdict.MessageResult) any {
	res := json.RawMessage(r.Result)
	if !json.Valid(res) {
		res = json.RawMessage("null")
	}
	return struct {
		*interdict.MessageResult
		Result json.RawMessage `json:"result"`
	}{r, res}
}
