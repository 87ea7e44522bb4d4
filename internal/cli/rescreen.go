package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/review"
	"github.com/interdict/interdict/source"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
)

func init() {
	extraCommands = append(extraCommands, (*App).newRescreenCmd)
}

func (a *App) newRescreenCmd() *cobra.Command {
	var rf reviewFlags
	var full, asJSON bool
	var pageSize int
	cmd := &cobra.Command{
		Use:   "rescreen",
		Short: "Screen the book again after the lists changed: only the parties the added and changed entities could match",
		Long: `Screen the book again after the lists changed. Against the list versions the
book was last screened on, only the parties that the added and changed
entities could match are screened, against those entities; open alerts on
entities no longer listed are annotated. The first run, and --full, screen
every party against every list.

A run is resumable: cut off (Ctrl-C, a crash), it goes on where it stopped
the next time, as long as the lists did not change meanwhile. Exit status 3
when new alerts were raised.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			who, err := a.actor(ctx, rf)
			if err != nil {
				return err
			}
			svc, err := a.reviewService(ctx, rf, true)
			if err != nil {
				return err
			}
			if err := a.recordPolicy(ctx, svc, who, "rescreen"); err != nil {
				return err
			}
			opt := review.RescreenOptions{Full: full, Actor: who, PageSize: pageSize}
			if a.IsTerminal && !asJSON {
				var bar *progressbar.ProgressBar
				opt.Progress = func(done, total int) {
					if bar == nil {
						bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(a.Stderr), progressbar.OptionSetDescription("rescreen"),
							progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
					}
					bar.Set(done)
				}
			}
			rep, err := svc.Rescreen(ctx, opt)
			if err != nil {
				if ctx.Err() != nil {
					fmt.Fprintln(a.Stderr, "interdict: rescreen interrupted; run 'interdict rescreen' again to go on where it stopped")
				}
				return err
			}
			if asJSON {
				if err := writeJSON(a.Stdout, rep); err != nil {
					return err
				}
			} else {
				kind := "delta"
				if rep.Full {
					kind = "full"
				}
				if rep.Resumed {
					kind += ", resumed"
				}
				fmt.Fprintf(a.Stdout, "rescreen (%s): %d entities added, %d changed, %d removed; %d of %d parties screened; %d alerts raised, %d suppressed, %d already open; %d open alerts marked delisted (%s)\n",
					kind, rep.Added, rep.Changed, rep.Removed, rep.Screened, rep.Parties, rep.Alerts, rep.Suppressed, rep.Pending, rep.Annotated, rep.Took.Round(time.Millisecond))
			}
			if rep.Alerts > 0 {
				return &exitError{code: ExitMatch}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	rf.register(fl, true)
	fl.BoolVar(&full, "full", false, "screen every party against every entity")
	fl.BoolVar(&asJSON, "json", false, "print the report as JSON")
	fl.IntVar(&pageSize, "page-size", 0, "parties screened between checkpoints (default 1000)")
	_ = fl.MarkHidden("page-size")
	return cmd
}

// auditListImports records the list versions an import or update stored
// on the audit trail, as the operating-system user.
func (a *App) auditListImports(ctx context.Context, outcomes []source.Outcome) error {
	var imported []source.Outcome
	for _, o := range outcomes {
		if o.Status == source.StatusImported {
			imported = append(imported, o)
		}
	}
	if len(imported) == 0 {
		return nil
	}
	st, err := a.openReview(ctx, reviewFlags{})
	if err != nil {
		return err
	}
	who, err := a.actor(ctx, reviewFlags{})
	if err != nil {
		who = interdict.ActorSystem
	}
	for _, o := range imported {
		rec := struct {
			List      string                 `json:"list"`
			Version   int                    `json:"version"`
			Checksum  string                 `json:"checksum"`
			Published string                 `json:"published,omitempty"`
			Previous  int                    `json:"previous,omitempty"`
			Files     []string               `json:"files"`
			Report    interdict.ImportReport `json:"report"`
		}{List: o.List, Files: o.Files, Report: o.Report}
		rec.Report.Issues = nil
		if o.Version != nil {
			rec.Version, rec.Checksum, rec.Published = o.Version.Version, o.Version.Checksum, o.Version.Published
		}
		if o.Previous != nil {
			rec.Previous = o.Previous.Version
		}
		b, err := jsonBytes(rec)
		if err != nil {
			return err
		}
		if err := st.review.AppendAudit(ctx, &interdict.AuditRecord{Actor: who, Action: "list.import", Object: fmt.Sprintf("list:%s:%d", rec.List, rec.Version), Payload: b}); err != nil {
			return fmt.Errorf("audit the import of %s: %w", o.List, err)
		}
	}
	return nil
}
