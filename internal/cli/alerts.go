package cli

import (
	"context"
	"fmt"
	"io"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/postgres"
	"github.com/interdict/interdict/review"
	"github.com/interdict/interdict/screen"
	"github.com/interdict/interdict/sqlite"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func init() {
	extraCommands = append(extraCommands, (*App).newAlertsCmd)
}

// reviewFlags are the flags of the review commands (book, alerts,
// rescreen, audit).
type reviewFlags struct {
	// Database is a postgres:// URL for the review store; "" is the
	// embedded database ($INTERDICT_DATABASE when the flag is not set).
	Database string
	// As is the user of the user store the command signs in as (with a
	// password); PasswordStdin reads the password from stdin.
	As            string
	PasswordStdin bool
}

func (rf *reviewFlags) register(fs *pflag.FlagSet, actor bool) {
	fs.StringVar(&rf.Database, "database", "", "keep the book, alerts and audit trail in this PostgreSQL database (postgres://...; default $INTERDICT_DATABASE, else the embedded database)")
	if actor {
		fs.StringVar(&rf.As, "as", "", "sign in as this user of the user store, with the password (asked for, or --password-stdin); $INTERDICT_API_KEY signs in with an API key instead")
		fs.BoolVar(&rf.PasswordStdin, "password-stdin", false, "with --as: read the password from the first line of stdin")
	}
}

// actor returns who a command acts as on the audit trail: the user signed
// in with $INTERDICT_API_KEY or --as (see signIn), else the
// operating-system user as "cli:NAME", who has the database in hand.
func (a *App) actor(ctx context.Context, rf reviewFlags) (string, error) {
	u, err := a.signIn(ctx, rf)
	if err != nil {
		return "", err
	}
	if u != nil {
		return u.Name, nil
	}
	if cu, err := user.Current(); err == nil && cu.Username != "" && interdict.CheckUserName(cu.Username) == nil {
		return "cli:" + cu.Username, nil
	}
	return a.cliActor(), nil
}

// openReview opens the review store: on the embedded database, or on the
// PostgreSQL database of --database (or $INTERDICT_DATABASE).
func (a *App) openReview(ctx context.Context, rf reviewFlags) (*stores, error) {
	st, err := a.start(ctx)
	if err != nil {
		return nil, err
	}
	if st.review != nil {
		return st, nil
	}
	dsn := rf.Database
	if dsn == "" {
		dsn = a.Getenv("INTERDICT_DATABASE")
	}
	switch {
	case dsn == "":
		st.review = sqlite.NewReviewStore(st.db)
	case strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://"):
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, err
		}
		st.closers = append(st.closers, db)
		st.review = postgres.NewReviewStore(db)
	default:
		return nil, usageError("--database must be a postgres:// URL")
	}
	return st, nil
}

// reviewService returns the review service over the review store and a
// screening service over the current lists (loaded only when screen is
// true: deciding an alert needs no index).
func (a *App) reviewService(ctx context.Context, rf reviewFlags, load bool) (*review.Service, error) {
	st, err := a.openReview(ctx, rf)
	if err != nil {
		return nil, err
	}
	p, err := a.policy(policyFlags{})
	if err != nil {
		return nil, err
	}
	var scr *screen.Service
	if load {
		scr, err = a.service(ctx, p)
	} else {
		scr, err = screen.NewService(screen.ServiceConfig{Lists: st.lists, Policy: p, Logger: a.logger()})
	}
	if err != nil {
		return nil, err
	}
	users, _, err := a.userStores(ctx, rf)
	if err != nil {
		return nil, err
	}
	return review.NewService(review.Config{Store: st.review, Lists: st.lists, Screen: scr, Roles: userRoles{users}, Now: a.Now})
}

func (a *App) newAlertsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "alerts",
		Short: "List, show and decide the alerts raised on the book",
	}
	cmd.AddCommand(a.newAlertsListCmd(), a.newAlertsShowCmd(), a.newAlertsDecideCmd(), a.newAlertsApproveCmd())
	return cmd
}

func (a *App) newAlertsListCmd() *cobra.Command {
	var rf reviewFlags
	var f interdict.AlertFilter
	var state string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List alerts, newest first, with the count of each state",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if state != "" {
				f.State = interdict.AlertState(state)
				if !f.State.Valid() {
					return usageError("unknown state %q (open, in_review, true_match, false_positive, needs_info)", state)
				}
			}
			st, err := a.openReview(cmd.Context(), rf)
			if err != nil {
				return err
			}
			as, n, err := st.review.FindAlerts(cmd.Context(), f)
			if err != nil {
				return err
			}
			counts, err := st.review.CountAlerts(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				if as == nil {
					as = []*interdict.Alert{}
				}
				return writeJSON(a.Stdout, struct {
					Total  int                          `json:"total"`
					Counts map[interdict.AlertState]int `json:"counts"`
					Alerts []*interdict.Alert           `json:"alerts"`
				}{n, counts, as})
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSTATE\tSCORE\tPARTY\tENTITY\tLISTS\tASSIGNEE\tRAISED")
			for _, al := range as {
				fmt.Fprintf(tw, "%s\t%s\t%.2f\t%s %s\t%s %s\t%s\t%s\t%s\n", al.ID, al.State, al.Score, al.PartyID, quote(al.PartyName),
					al.EntityID, quote(al.EntityName), strings.Join(al.Lists(), ","), orDash(al.Assignee), al.CreatedAt.Format(time.DateTime))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.Stdout, "%d of %d alerts shown; open %d, in review %d, needs info %d, true match %d, false positive %d\n", len(as), n,
				counts[interdict.AlertOpen], counts[interdict.AlertInReview], counts[interdict.AlertNeedsInfo], counts[interdict.AlertTrueMatch], counts[interdict.AlertFalsePositive])
			return nil
		},
	}
	fl := cmd.Flags()
	rf.register(fl, false)
	fl.StringVar(&state, "state", "", "only alerts in this state: open, in_review, true_match, false_positive, needs_info")
	fl.StringVar(&f.List, "list", "", "only alerts with a listing on this list")
	fl.StringVar(&f.PartyID, "party", "", "only alerts on this party of the book")
	fl.StringVar(&f.Assignee, "assignee", "", "only alerts assigned to this user")
	fl.Float64Var(&f.MinScore, "min-score", 0, "only alerts scored at least this")
	fl.IntVar(&f.Limit, "limit", 50, "show at most this many (0 for all)")
	fl.IntVar(&f.Offset, "offset", 0, "skip this many first")
	fl.BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func quote(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}

func (a *App) newAlertsShowCmd() *cobra.Command {
	var rf reviewFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show an alert: the party and entity, the score and explanation, what changed, comments, decisions and its audit history",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.openReview(ctx, rf)
			if err != nil {
				return err
			}
			al, err := st.review.FindAlert(ctx, args[0])
			if err != nil {
				return err
			}
			ds, err := st.review.FindDecisions(ctx, al.ID)
			if err != nil {
				return err
			}
			var history []*interdict.AuditRecord
			if err := st.review.FindAuditRecords(ctx, interdict.AuditFilter{Object: "alert:" + al.ID}, func(r *interdict.AuditRecord) error {
				history = append(history, r)
				return nil
			}); err != nil {
				return err
			}
			if asJSON {
				if ds == nil {
					ds = []*interdict.Decision{}
				}
				return writeJSON(a.Stdout, struct {
					*interdict.Alert
					Decisions []*interdict.Decision    `json:"decisions"`
					History   []*interdict.AuditRecord `json:"history"`
				}{al, ds, history})
			}
			printAlert(a.Stdout, al, ds, history)
			return nil
		},
	}
	rf.register(cmd.Flags(), false)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func printAlert(w io.Writer, al *interdict.Alert, ds []*interdict.Decision, history []*interdict.AuditRecord) {
	p := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "%-13s %s\n", label+":", value)
		}
	}
	p("Alert", al.ID)
	p("State", string(al.State))
	p("Score", fmt.Sprintf("%.3f", al.Score))
	p("Party", fmt.Sprintf("%s %s (data %.12s)", al.PartyID, quote(al.PartyName), al.PartyHash))
	p("Entity", fmt.Sprintf("%s %s (record %.12s)", al.EntityID, quote(al.EntityName), al.EntityHash))
	for _, l := range al.Listings {
		d := ""
		if l.Delisted {
			d = ", delisted"
		}
		p("Listing", fmt.Sprintf("%s on %s version %d, score %.3f%s", l.EntityID, l.List, l.Version, l.Score, d))
	}
	p("Policy", al.Policy)
	p("Assignee", al.Assignee)
	p("Raised", al.CreatedAt.Format(time.RFC3339))
	p("Changed", strings.Join(al.Changes, "; "))
	for _, n := range al.Notes {
		p("Note", n)
	}
	p("Explanation", string(al.Explanation))
	for _, c := range al.Comments {
		p("Comment", fmt.Sprintf("%s %s: %s", c.At.Format(time.DateTime), c.Author, c.Text))
	}
	for _, d := range ds {
		s := string(d.State)
		if d.Suppress {
			s += " (suppress)"
		}
		if d.Status == interdict.DecisionApplied {
			s += " by " + d.ProposedBy
		} else {
			s += " proposed by " + d.ProposedBy
		}
		if d.ApprovedBy != "" {
			s += ", " + string(d.Status) + " by " + d.ApprovedBy
		}
		if d.Comment != "" {
			s += ": " + d.Comment
		}
		p("Decision", s)
	}
	for _, r := range history {
		p("History", fmt.Sprintf("#%d %s %s %s", r.Seq, r.Time.Format(time.DateTime), r.Actor, r.Action))
	}
}

func (a *App) newAlertsDecideCmd() *cobra.Command {
	var rf reviewFlags
	var in review.DecideInput
	var state string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "decide ID --state STATE",
		Short: "Decide an alert: true_match and a suppressing false_positive are proposed for another user's approval (four-eyes)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.State = interdict.AlertState(state)
			if state == "" {
				return usageError("decide needs --state (in_review, needs_info, false_positive, true_match)")
			}
			u, err := a.reviewer(cmd.Context(), rf, "A decision")
			if err != nil {
				return err
			}
			who := u.Name
			svc, err := a.reviewService(cmd.Context(), rf, false)
			if err != nil {
				return err
			}
			al, d, err := svc.Decide(cmd.Context(), who, args[0], in)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Stdout, struct {
					Alert    *interdict.Alert    `json:"alert"`
					Decision *interdict.Decision `json:"decision"`
				}{al, d})
			}
			if d.Status == interdict.DecisionProposed {
				fmt.Fprintf(a.Stdout, "alert %s: %s proposed by %s; it needs the approval of another user with the approver role\n", al.ID, d.State, who)
			} else {
				fmt.Fprintf(a.Stdout, "alert %s: %s\n", al.ID, al.State)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	rf.register(fl, true)
	fl.StringVar(&state, "state", "", "the decision: in_review, needs_info, false_positive or true_match")
	fl.BoolVar(&in.Suppress, "suppress", false, "with false_positive: once approved, suppress this alert until the party, the entity or the score changes")
	fl.StringVar(&in.Comment, "comment", "", "the reason, recorded with the decision")
	fl.IntVar(&in.Version, "version", 0, "refuse the decision if the alert is no longer at this version")
	fl.BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func (a *App) newAlertsApproveCmd() *cobra.Command {
	var rf reviewFlags
	var reject, asJSON bool
	var comment string
	cmd := &cobra.Command{
		Use:   "approve ID",
		Short: "Approve (or --reject) the decision proposed on an alert, as a user with the approver role other than the proposer",
		Long: `Approve (or --reject) the decision proposed on an alert. The approver must
not be the user who proposed it and must have the approver (or admin) role
in the user store, signed in with $INTERDICT_API_KEY or --as NAME and the
password.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			u, err := a.reviewer(cmd.Context(), rf, "An approval")
			if err != nil {
				return err
			}
			who := u.Name
			svc, err := a.reviewService(cmd.Context(), rf, false)
			if err != nil {
				return err
			}
			al, d, err := svc.Approve(cmd.Context(), who, args[0], !reject, comment)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Stdout, struct {
					Alert    *interdict.Alert    `json:"alert"`
					Decision *interdict.Decision `json:"decision"`
				}{al, d})
			}
			what := string(d.State)
			if d.Suppress {
				what += " (suppress)"
			}
			fmt.Fprintf(a.Stdout, "alert %s: %s proposed by %s %s by %s; the alert is %s\n", al.ID, what, d.ProposedBy, d.Status, who, al.State)
			return nil
		},
	}
	fl := cmd.Flags()
	rf.register(fl, true)
	fl.BoolVar(&reject, "reject", false, "reject the proposal instead: the alert stays in review")
	fl.StringVar(&comment, "comment", "", "a comment recorded with the approval")
	fl.BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}
