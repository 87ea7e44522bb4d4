package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/interdict/interdict"
	"github.com/spf13/cobra"
)

func init() {
	extraCommands = append(extraCommands, (*App).newAuditCmd)
}

func jsonBytes(v any) ([]byte, error) { return json.Marshal(v) }

func (a *App) newAuditCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "The audit trail: verify its hash chain, print its head, export it",
	}
	cmd.AddCommand(a.newAuditVerifyCmd(), a.newAuditHeadCmd(), a.newAuditExportCmd())
	return cmd
}

func (a *App) newAuditVerifyCmd() *cobra.Command {
	var rf reviewFlags
	var head string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Verify the audit trail's hash chain; exit 1 naming the first record edited, deleted, inserted or moved",
		Long: `Verify the audit trail: every record numbered in order, linked to the hash of
the one before, and matching its own hash. With --head (a hash printed by
'interdict audit head' and kept elsewhere), also verify that no records
after it were cut off the end. Exits 1 naming the first bad record.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := a.reviewService(cmd.Context(), rf, false)
			if err != nil {
				return err
			}
			v, err := svc.Verify(cmd.Context(), head)
			if err != nil {
				return err
			}
			if asJSON {
				if err := writeJSON(a.Stdout, v); err != nil {
					return err
				}
			} else if v.Break == nil {
				fmt.Fprintf(a.Stdout, "audit trail intact: %d records, head %s\n", v.Records, orDash(v.Head))
			}
			if v.Break != nil {
				return fmt.Errorf("audit trail broken at record %d: %s", v.Break.Seq, v.Break.Reason)
			}
			return nil
		},
	}
	rf.register(cmd.Flags(), false)
	cmd.Flags().StringVar(&head, "head", "", "the head hash kept from 'interdict audit head': also catch a cut-off tail")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the outcome as JSON")
	return cmd
}

func (a *App) newAuditHeadCmd() *cobra.Command {
	var rf reviewFlags
	cmd := &cobra.Command{
		Use:   "head",
		Short: "Print the hash of the last audit record, to keep elsewhere for 'audit verify --head'",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.openReview(cmd.Context(), rf)
			if err != nil {
				return err
			}
			seq, hash, err := st.review.AuditHead(cmd.Context())
			if err != nil {
				return err
			}
			if seq == 0 {
				return interdict.Errorf(interdict.ENOTFOUND, "The audit trail is empty.")
			}
			fmt.Fprintln(a.Stdout, hash)
			if !a.IsTerminal {
				return nil
			}
			fmt.Fprintf(a.Stderr, "record %d\n", seq)
			return nil
		},
	}
	rf.register(cmd.Flags(), false)
	return cmd
}

func (a *App) newAuditExportCmd() *cobra.Command {
	var rf reviewFlags
	var from, to, format, output string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export the audit trail (or the records from --from to --to) as JSON lines or CSV",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseWhen("--from", from)
			if err != nil {
				return err
			}
			t, err := parseWhen("--to", to)
			if err != nil {
				return err
			}
			if format != "jsonl" && format != "csv" {
				return usageError("--format must be jsonl or csv, not %q", format)
			}
			svc, err := a.reviewService(cmd.Context(), rf, false)
			if err != nil {
				return err
			}
			var w io.Writer = a.Stdout
			if output != "" && output != "-" {
				fh, err := os.Create(output)
				if err != nil {
					return err
				}
				defer fh.Close()
				w = fh
			}
			n, err := svc.Export(cmd.Context(), w, format, f, t)
			if err != nil {
				return err
			}
			if c, ok := w.(io.Closer); ok && w != a.Stdout {
				if err := c.Close(); err != nil {
					return err
				}
			}
			fmt.Fprintf(a.Stderr, "interdict: %d audit records exported\n", n)
			return nil
		},
	}
	fl := cmd.Flags()
	rf.register(fl, false)
	fl.StringVar(&from, "from", "", "only records at or after this time (YYYY-MM-DD or RFC 3339)")
	fl.StringVar(&to, "to", "", "only records before this time (YYYY-MM-DD or RFC 3339)")
	fl.StringVar(&format, "format", "jsonl", "jsonl or csv")
	fl.StringVarP(&output, "output", "o", "", "write to this file (default: standard output)")
	return cmd
}

// parseWhen reads a date (YYYY-MM-DD, midnight UTC) or an RFC 3339 time.
func parseWhen(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, usageError("%s %q: want YYYY-MM-DD or an RFC 3339 time", flag, s)
	}
	return t, nil
}

// auditScreening records a screening of the command line on the audit
// trail (as the operating-system user), with the hash of its result.
func (a *App) auditScreening(ctx context.Context, action, object string, payload any) error {
	st, err := a.openReview(ctx, reviewFlags{})
	if err != nil {
		return err
	}
	who, err := a.actor(ctx, reviewFlags{})
	if err != nil {
		who = interdict.ActorSystem
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	if err := st.review.AppendAudit(ctx, &interdict.AuditRecord{Actor: who, Action: action, Object: object, Payload: b}); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// auditScreen records one screening: the query's name, the result's hash,
// the policy and the list versions.
func (a *App) auditScreen(ctx context.Context, res *interdict.ScreenResult) error {
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(b)
	return a.auditScreening(ctx, "screen", "query", struct {
		Name       string            `json:"name"`
		ResultHash string            `json:"result_hash"`
		Policy     string            `json:"policy"`
		Lists      map[string]string `json:"lists,omitempty"`
		Hits       int               `json:"hits"`
		Alert      bool              `json:"alert"`
	}{res.Query.Name, hex.EncodeToString(sum[:]), res.Policy, res.Lists, len(res.Hits), res.Alert})
}

// fileSHA256 returns the hex SHA-256 of a file, or "" for stdin, stdout
// or a file that cannot be read.
func fileSHA256(path string) string {
	if path == "" || path == "-" {
		return ""
	}
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}
