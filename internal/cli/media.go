package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/document"
	"github.com/interdict/interdict/media"
	"github.com/interdict/interdict/postgres"
	"github.com/interdict/interdict/review"
	"github.com/interdict/interdict/scan"
	"github.com/interdict/interdict/screen"
	"github.com/interdict/interdict/sqlite"
	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, (*App).newMediaCmd) }

// openMedia opens the media store beside the review store: on the
// embedded database, or on the PostgreSQL database of --database (or
// $INTERDICT_DATABASE).
func (a *App) openMedia(ctx context.Context, rf reviewFlags) (*stores, interdict.MediaStore, error) {
	st, err := a.openReview(ctx, rf)
	if err != nil {
		return nil, nil, err
	}
	dsn := rf.Database
	if dsn == "" {
		dsn = a.Getenv("INTERDICT_DATABASE")
	}
	if dsn == "" {
		return st, sqlite.NewMediaStore(st.db), nil
	}
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	st.closers = append(st.closers, db)
	return st, postgres.NewMediaStore(db), nil
}

// newMediaService returns the media service over the stores, scanning with
// the scanner of svc's current index and raising alerts through rv.
func newMediaService(ms interdict.MediaStore, book interdict.ReviewStore, svc *screen.Service, rv *review.Service, scanner func(context.Context) (*scan.Scanner, error), lim document.Limits) (*media.Service, error) {
	if scanner == nil {
		scanner = scan.NewLive(svc).Scanner
	}
	cfg := media.Config{Store: ms, Book: book, Scanner: scanner, Policy: svc.Policy(), Limits: lim}
	if rv != nil {
		cfg.Alerts = rv
	}
	return media.NewService(cfg)
}

// serveMedia is the media service of 'interdict serve'.
// scanner is the server's document scanner, shared with the Documents page.
func (a *App) serveMedia(ctx context.Context, rf reviewFlags, svc *screen.Service, rv *review.Service, scanner func(context.Context) (*scan.Scanner, error)) (*media.Service, error) {
	st, ms, err := a.openMedia(ctx, rf)
	if err != nil {
		return nil, err
	}
	return newMediaService(ms, st.review, svc, rv, scanner, document.DefaultLimits())
}

func (a *App) newMediaCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "media",
		Short: "Keep an adverse-media record: ingest articles and feeds, list and show them",
		Long: `The adverse-media record keeps news articles and documents with what they
mention: listed parties, embargoed places, controlled goods, risk topics and
the parties of the book. A party of the book named in an article together
with a risk topic raises an alert (once per party and article), decided like
any other with 'interdict alerts'.`,
	}
	cmd.AddCommand(a.newMediaIngestCmd(), a.newMediaListCmd(), a.newMediaShowCmd())
	return cmd
}

func (a *App) newMediaIngestCmd() *cobra.Command {
	var rf reviewFlags
	var asJSON bool
	var maxBytes int64
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "ingest FILE|URL...",
		Short: "Ingest articles: RSS or Atom feeds (each item an article) and documents (text, HTML, PDF, DOCX)",
		Long: `Ingest reads each FILE or http(s) URL: an RSS 2.0, RSS 1.0 or Atom feed is
ingested item by item (the item's title, link, date and content), anything
else as one document. Each article is scanned for listed parties, embargoed
places, controlled goods and risk topics, and for the parties of the book.
An article stored before (the same text, white space aside, or the same
URL) is not stored again and raises nothing. A party of the book named with
a risk topic (in the sentence that names it or the next) raises an alert.

A feed that is too large, not well-formed, declares entities (DOCTYPE) or
nests too deep is refused with the feed, line and item. The exit status is
1 when an input or an item failed, else 3 when an alert was raised.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("media ingest takes one or more FILE or URL (see 'interdict media ingest --help')")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			actor, err := a.actor(ctx, rf)
			if err != nil {
				return err
			}
			st, ms, err := a.openMedia(ctx, rf)
			if err != nil {
				return err
			}
			p, err := a.policy(policyFlags{})
			if err != nil {
				return err
			}
			svc, err := a.service(ctx, p)
			if err != nil {
				return err
			}
			users, _, err := a.userStores(ctx, rf)
			if err != nil {
				return err
			}
			rv, err := review.NewService(review.Config{Store: st.review, Lists: st.lists, Screen: svc, Roles: userRoles{users}, Now: a.Now})
			if err != nil {
				return err
			}
			lim := document.DefaultLimits()
			lim.MaxBytes, lim.Timeout = maxBytes, timeout
			m, err := newMediaService(ms, st.review, svc, rv, nil, lim)
			if err != nil {
				return err
			}
			failed, alerts := 0, 0
			var reports []*media.Report
			for _, arg := range args {
				rep, err := m.Ingest(ctx, actor, arg)
				if err != nil {
					fmt.Fprintf(a.Stderr, "interdict: %v\n", err)
					failed++
					continue
				}
				failed += rep.Failed
				alerts += rep.Alerts
				reports = append(reports, rep)
				if !asJSON {
					printMediaReport(a.Stdout, rep)
				}
			}
			if asJSON {
				if reports == nil {
					reports = []*media.Report{}
				}
				if err := writeJSON(a.Stdout, reports); err != nil {
					return err
				}
			}
			if failed > 0 {
				return &exitError{code: ExitError}
			}
			if alerts > 0 {
				return &exitError{code: ExitMatch}
			}
			return nil
		},
	}
	f := cmd.Flags()
	rf.register(f, true)
	f.BoolVar(&asJSON, "json", false, "print the reports as JSON")
	f.Int64Var(&maxBytes, "max-bytes", document.DefaultLimits().MaxBytes, "largest document read, in bytes")
	f.DurationVar(&timeout, "timeout", 30*time.Second, "time limit for fetching a URL and for extracting a PDF")
	return cmd
}

func printMediaReport(w io.Writer, rep *media.Report) {
	fmt.Fprintf(w, "%s (%s, %s): %d stored, %d already stored, %d failed, %d alerts\n", rep.Input, rep.Format, rep.Source, rep.Stored, rep.Duplicates, rep.Failed, rep.Alerts)
	for _, o := range rep.Articles {
		status := "stored"
		switch {
		case o.Error != "":
			status = "FAILED"
		case o.Duplicate:
			status = "already stored"
		}
		fmt.Fprintf(w, "  %-14s %s %q\n", status, orDash(o.ID), o.Title)
		if o.Error != "" {
			fmt.Fprintf(w, "    %s\n", o.Error)
		}
		if len(o.Parties) > 0 {
			fmt.Fprintf(w, "    parties of the book: %s\n", strings.Join(o.Parties, ", "))
		}
		if len(o.Entities) > 0 {
			fmt.Fprintf(w, "    listed: %s\n", strings.Join(o.Entities, ", "))
		}
		if len(o.Topics) > 0 {
			fmt.Fprintf(w, "    topics: %s\n", strings.Join(o.Topics, ", "))
		}
		if len(o.Alerts) > 0 {
			fmt.Fprintf(w, "    alerts raised: %s\n", strings.Join(o.Alerts, ", "))
		}
		for _, warn := range o.Warnings {
			fmt.Fprintf(w, "    warning: %s\n", warn)
		}
	}
}

func (a *App) newMediaListCmd() *cobra.Command {
	var rf reviewFlags
	var f interdict.ArticleFilter
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--entity ID] [--party ID] [--topic T] [--json]",
		Short: "List the stored articles, newest first",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.Topic != "" && !validTopic(f.Topic) {
				return usageError("unknown topic %q (%s)", f.Topic, strings.Join(scan.Topics, ", "))
			}
			_, ms, err := a.openMedia(cmd.Context(), rf)
			if err != nil {
				return err
			}
			as, n, err := ms.FindArticles(cmd.Context(), f)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Stdout, struct {
					Total    int                  `json:"total"`
					Articles []*interdict.Article `json:"articles"`
				}{n, as})
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tPUBLISHED\tSOURCE\tTITLE\tPARTIES\tLISTED\tTOPICS")
			for _, ar := range as {
				pub := "-"
				if !ar.Published.IsZero() {
					pub = ar.Published.Format(time.DateOnly)
				}
				var parties []string
				for _, p := range ar.Parties {
					s := p.PartyID
					if p.AlertID != "" {
						s += "!"
					}
					parties = append(parties, s)
				}
				var topics []string
				for _, t := range ar.Topics {
					topics = append(topics, t.Topic)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", ar.ID, pub, clipRunes(ar.Source, 24), clipRunes(ar.Title, 60), orDash(strings.Join(parties, ",")),
					orDash(strings.Join(ar.EntityIDs(), ",")), orDash(strings.Join(topics, ",")))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.Stdout, "%d of %d articles shown (a party marked ! was alerted)\n", len(as), n)
			return nil
		},
	}
	fl := cmd.Flags()
	rf.register(fl, false)
	fl.StringVar(&f.EntityID, "entity", "", "only articles mentioning this listed entity")
	fl.StringVar(&f.PartyID, "party", "", "only articles mentioning this party of the book")
	fl.StringVar(&f.Topic, "topic", "", "only articles with this risk topic ("+strings.Join(scan.Topics, ", ")+")")
	fl.StringVar(&f.Query, "title", "", "only articles whose title contains this")
	fl.IntVar(&f.Limit, "limit", 50, "show at most this many (0 for all)")
	fl.IntVar(&f.Offset, "offset", 0, "skip this many first")
	fl.BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func validTopic(t string) bool {
	for _, s := range scan.Topics {
		if s == t {
			return true
		}
	}
	return false
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (a *App) newMediaShowCmd() *cobra.Command {
	var rf reviewFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show an article: its source and date, the parties of the book, listed parties, places and goods it mentions, its topics and text",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, ms, err := a.openMedia(cmd.Context(), rf)
			if err != nil {
				return err
			}
			ar, err := ms.FindArticle(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Stdout, ar)
			}
			printArticle(a.Stdout, ar)
			return nil
		},
	}
	rf.register(cmd.Flags(), false)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func printArticle(w io.Writer, ar *interdict.Article) {
	p := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "%-10s %s\n", label+":", value)
		}
	}
	p("Article", ar.ID)
	p("Title", ar.Title)
	p("Source", ar.Source)
	p("URL", ar.URL)
	p("Feed", ar.Feed)
	if !ar.Published.IsZero() {
		p("Published", ar.Published.Format(time.RFC3339))
	}
	p("Ingested", ar.IngestedAt.Format(time.RFC3339))
	p("Hash", ar.Hash)
	for _, pt := range ar.Parties {
		s := fmt.Sprintf("%s (%s) ×%d, score %.2f", pt.PartyID, pt.Name, pt.Count, pt.Score)
		if len(pt.Topics) > 0 {
			s += ", with " + strings.Join(pt.Topics, ", ")
		}
		if pt.AlertID != "" {
			s += ", alert " + pt.AlertID
		}
		p("Party", s)
	}
	for _, m := range ar.Mentions {
		id := m.EntityID
		if m.Kind == interdict.MentionBookParty {
			id = "party " + m.PartyID
		}
		fmt.Fprintf(w, "  %-5s %q at %d-%d → %s %s, score %.2f\n        “%s”\n", m.Kind, m.Text, m.CharStart, m.CharEnd, id, m.Name, m.Score, m.Sentence)
	}
	for _, t := range ar.Topics {
		fmt.Fprintf(w, "  topic %s (%s)\n", t.Topic, strings.Join(t.Terms, ", "))
		for _, s := range t.Sentences {
			fmt.Fprintf(w, "        “%s”\n", s)
		}
	}
	fmt.Fprintf(w, "\n%s\n", ar.Text)
}
