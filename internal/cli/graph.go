package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/graph"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/postgres"
	"github.com/interdict/interdict/screen"
	"github.com/interdict/interdict/sqlite"
)

func init() { extraCommands = append(extraCommands, (*App).newGraphCmd) }

func (a *App) newGraphCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "graph",
		Short: "Networks around listed parties: explained paths, the 50 percent rule, shared-attribute clusters",
		Long: `The network of the lists' own relationships (OFAC "Linked To", UN, EU and UK
associations, FollowTheMoney ownership, directorships, family and associates),
of the attributes entities share (the same address, phone, e-mail,
registration or IMO number, vessel owner) and of your ownership and control
records (interdict graph import).

An ID is an entity ID (ofac-sdn:9647), a party of the book (its own ID or
book:ID) or a name given in the ownership records.`,
	}
	cmd.AddCommand(a.newGraphPathsCmd(), a.newGraphOwnershipCmd(), a.newGraphClustersCmd(), a.newGraphImportCmd(), a.newGraphExportCmd())
	return cmd
}

// openOwnerships opens the ownership store beside the review store: the
// embedded database, or the PostgreSQL database of --database.
func (a *App) openOwnerships(ctx context.Context, rf reviewFlags) (*stores, interdict.OwnershipStore, error) {
	st, err := a.openReview(ctx, rf)
	if err != nil {
		return nil, nil, err
	}
	dsn := rf.Database
	if dsn == "" {
		dsn = a.Getenv("INTERDICT_DATABASE")
	}
	if dsn == "" {
		return st, sqlite.NewOwnershipStore(st.db), nil
	}
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	st.closers = append(st.closers, db)
	return st, postgres.NewOwnershipStore(db), nil
}

// buildGraph builds the graph of the current list versions (read as the
// screening service reads them), the book and the ownership records.
func (a *App) buildGraph(ctx context.Context, rf reviewFlags, maxShared int) (*graph.Graph, error) {
	st, own, err := a.openOwnerships(ctx, rf)
	if err != nil {
		return nil, err
	}
	vs, err := st.lists.FindCurrentVersions(ctx)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, interdict.Errorf(interdict.EUNAVAILABLE, "No lists are loaded. Run 'interdict lists import PATH' or 'interdict lists update'.")
	}
	var ents []interdict.Entity
	for _, v := range vs {
		es, err := st.lists.FindEntities(ctx, v.List, v.Version)
		if err != nil {
			return nil, fmt.Errorf("read %s version %d: %w", v.List, v.Version, err)
		}
		ents = append(ents, es...)
	}
	live := &graph.Live{Entities: func() ([]interdict.Entity, any) { return ents, &vs }, Parties: st.review, Ownerships: own,
		Options: graph.Options{MaxShared: maxShared, AsOf: a.Now().UTC().Format("2006-01-02")}}
	return live.Graph(ctx)
}

func (a *App) newGraphPathsCmd() *cobra.Command {
	var rf reviewFlags
	var opt graph.PathOptions
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "paths ID",
		Short: "The shortest explained paths from a party or entity to listed entities",
		Long: `The shortest paths, up to --hops hops, from ID to listed entities: one path
per listed entity reached, the nearest first, each hop with its evidence (the
list, field and record it comes from). Exit status 3 when a listed entity is
reached.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			g, err := a.buildGraph(cmd.Context(), rf, 0)
			if err != nil {
				return err
			}
			ps, err := g.Paths(args[0], opt)
			if err != nil {
				return err
			}
			if asJSON {
				if err := writeJSON(a.Stdout, ps); err != nil {
					return err
				}
			} else {
				writePaths(a.Stdout, args[0], ps)
			}
			if len(ps) > 0 {
				return &exitError{code: ExitMatch}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	rf.register(fl, false)
	fl.IntVar(&opt.MaxHops, "hops", 3, "the longest path, in hops (at most 6)")
	fl.IntVar(&opt.Limit, "limit", 20, "the most paths shown")
	fl.BoolVar(&asJSON, "json", false, "print the paths as JSON")
	return cmd
}

func writePaths(w io.Writer, id string, ps []interdict.NetworkPath) {
	if len(ps) == 0 {
		fmt.Fprintf(w, "%s: no listed entity within reach\n", id)
		return
	}
	for _, p := range ps {
		fmt.Fprintf(w, "%s %s (%s), %d hop(s):\n", p.Target, p.TargetName, p.TargetList, len(p.Hops))
		for _, h := range p.Hops {
			share := ""
			if h.Share != "" {
				share = " " + h.Share
			}
			fmt.Fprintf(w, "  %s %s%s %s\n", h.From, h.Type, share, h.To)
			for _, e := range h.Evidence {
				fmt.Fprintf(w, "      evidence: %s, %s, record %s: %s\n", e.Source, e.Field, e.Record, e.Value)
			}
		}
	}
}

func (a *App) newGraphOwnershipCmd() *cobra.Command {
	var rf reviewFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "ownership ID",
		Short: "Ownership by blocked persons: OFAC's 50 percent rule and the EU and UK control tests",
		Long: `Whether ID is blocked by ownership: under OFAC's 50 percent rule (50% or more
held, in the aggregate, directly or indirectly, by blocked persons: SDNs and
the companies the rule blocks), and under the EU and UK tests (more than 50%
held by one designated person, or control). A share given as a range
("25-50") gives a lower and an upper figure: blocked is decided on the lower
one, possibly blocked when only the upper one reaches the threshold. A
company with no recorded owner is "ownership-unknown", never cleared. The
look-through figure multiplies shares along chains through companies the
rule does not block and adds them across paths. Also lists the companies ID
blocks. Exit status 3 when ID is blocked or possibly blocked.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			g, err := a.buildGraph(cmd.Context(), rf, 0)
			if err != nil {
				return err
			}
			rep, err := g.Ownership(args[0])
			if err != nil {
				return err
			}
			if asJSON {
				if err := writeJSON(a.Stdout, rep); err != nil {
					return err
				}
			} else {
				writeOwnership(a.Stdout, rep)
			}
			for _, f := range rep.Findings {
				if f.Status == graph.StatusBlocked || f.Status == graph.StatusPossibly {
					return &exitError{code: ExitMatch}
				}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	rf.register(fl, false)
	fl.BoolVar(&asJSON, "json", false, "print the findings as JSON")
	return cmd
}

func writeOwnership(w io.Writer, rep *graph.OwnershipReport) {
	fmt.Fprintf(w, "%s %s (%s)\n", rep.Node, rep.Name, rep.Type)
	for _, f := range rep.Findings {
		fmt.Fprintf(w, "%-5s %s: held by blocked persons %v%%", strings.ToUpper(f.Regime), f.Status, f.Min)
		if f.Max != f.Min {
			fmt.Fprintf(w, " to %v%%", f.Max)
		}
		fmt.Fprintf(w, "; look-through %v%%", f.LookThroughMin)
		if f.LookThroughMax != f.LookThroughMin {
			fmt.Fprintf(w, " to %v%%", f.LookThroughMax)
		}
		fmt.Fprintf(w, "\n      %s\n", f.Explanation)
		if f.Caution != "" {
			fmt.Fprintf(w, "      caution: %s\n", f.Caution)
		}
		for _, h := range f.Owners {
			fmt.Fprintf(w, "      owner %s %s %s (%s; counts: %v) evidence: %s, %s, %s\n", h.Owner, h.OwnerName, h.Share, h.OwnerStatus, h.Counts,
				h.Evidence.Source, h.Evidence.Field, h.Evidence.Record)
		}
		if len(f.Blocks) > 0 {
			fmt.Fprintf(w, "      blocks %d compan(ies):", len(f.Blocks))
			for i, d := range f.Blocks {
				if i == 10 {
					fmt.Fprintf(w, " ...")
					break
				}
				fmt.Fprintf(w, " %s (%s)", d.ID, d.Status)
			}
			fmt.Fprintln(w)
		}
	}
}

func (a *App) newGraphClustersCmd() *cobra.Command {
	var rf reviewFlags
	var limit, maxShared int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "clusters [ID]",
		Short: "Clusters of entities and parties sharing rare attributes (candidate front-company networks)",
		Long: `Groups of entities and parties joined by a shared address, phone, e-mail,
registration or IMO number or vessel owner, ranked by how rare the rarest
shared value is (a value held by more than --max-shared parties, such as a
formation agent's address, joins nothing). With ID, the cluster of ID.`,
		Args: rangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			g, err := a.buildGraph(cmd.Context(), rf, maxShared)
			if err != nil {
				return err
			}
			id := ""
			if len(args) == 1 {
				id = args[0]
			}
			cs, err := g.Clusters(id, limit)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.Stdout, cs)
			}
			if len(cs) == 0 {
				fmt.Fprintf(a.Stdout, "%s shares no attribute with another party\n", id)
			}
			for i, c := range cs {
				fmt.Fprintf(a.Stdout, "%d. rarity %.3f, %d members (%d listed)\n", i+1, c.Score, c.Size, c.Listed)
				for _, sv := range c.Shared {
					fmt.Fprintf(a.Stdout, "   shared %s %q by %d (rarity %.3f)\n", sv.Kind, sv.Value, sv.Holders, sv.Rarity)
				}
				for j, m := range c.Members {
					if j == 20 {
						fmt.Fprintf(a.Stdout, "   ... %d more\n", len(c.Members)-20)
						break
					}
					fmt.Fprintf(a.Stdout, "   %s %s\n", m.ID, m.Name)
				}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	rf.register(fl, false)
	fl.IntVar(&limit, "limit", 20, "the most clusters shown without ID")
	fl.IntVar(&maxShared, "max-shared", 50, "a value shared by more parties than this joins nothing")
	fl.BoolVar(&asJSON, "json", false, "print the clusters as JSON")
	return cmd
}

func (a *App) newGraphImportCmd() *cobra.Command {
	var rf reviewFlags
	var name string
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import ownership and control records (CSV or JSON) into the store",
		Long: `Import ownership and control records: a CSV file with a header row (owner,
owned, share, role, control, from, to) or JSON (an array of objects or one
object a line, with the same keys). owner and owned are entity IDs
(ofac-sdn:9647), parties of the book (book:ID or the ID) or names. share is
a percentage (50, 49.9%), a range (25-50), a bound (>50) or empty for
unknown. A role naming control (control, power to appoint the board) or a
control column of yes marks control. The records replace those imported
before from the same --source (default: the file's name).`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			src := name
			if src == "" {
				src = filepath.Base(args[0])
			}
			recs, err := graph.ReadOwnerships(f, src)
			if err != nil {
				return err
			}
			_, own, err := a.openOwnerships(cmd.Context(), rf)
			if err != nil {
				return err
			}
			if err := own.ReplaceOwnerships(cmd.Context(), src, recs); err != nil {
				return err
			}
			fmt.Fprintf(a.Stdout, "%s: %d ownership records imported as %q\n", args[0], len(recs), src)
			return nil
		},
	}
	fl := cmd.Flags()
	rf.register(fl, false)
	fl.StringVar(&name, "source", "", "the name the records are kept under; a new import under it replaces them (default: the file's name)")
	return cmd
}

func (a *App) newGraphExportCmd() *cobra.Command {
	var rf reviewFlags
	var format, out string
	var hops, maxNodes int
	cmd := &cobra.Command{
		Use:   "export [ID]",
		Short: "Export the network around ID (or the whole network) as GraphML or JSON",
		Args:  rangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "graphml" && format != "json" {
				return usageError("--format must be graphml or json, not %q", format)
			}
			g, err := a.buildGraph(cmd.Context(), rf, 0)
			if err != nil {
				return err
			}
			var sub *graph.Subgraph
			if len(args) == 1 {
				if sub, err = g.Neighbourhood(args[0], hops, maxNodes); err != nil {
					return err
				}
			} else {
				sub = g.All()
			}
			w := a.Stdout
			if out != "" && out != "-" {
				f, err := os.Create(out)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			if format == "graphml" {
				err = sub.WriteGraphML(w)
			} else {
				err = sub.WriteJSON(w)
			}
			if err != nil {
				return err
			}
			if f, ok := w.(*os.File); ok && w != a.Stdout {
				return f.Close()
			}
			return nil
		},
	}
	fl := cmd.Flags()
	rf.register(fl, false)
	fl.StringVar(&format, "format", "graphml", "graphml or json")
	fl.StringVarP(&out, "output", "o", "", "write to this file (default: standard output)")
	fl.IntVar(&hops, "hops", 2, "the neighbourhood's radius around ID, in hops (at most 4)")
	fl.IntVar(&maxNodes, "max-nodes", 300, "the most nodes of a neighbourhood")
	return cmd
}

// wireNetwork gives the server the network of the screening service's
// current index, the book and the ownership records, and adds the
// network's signals to every screening result.
func (a *App) wireNetwork(ctx context.Context, rf reviewFlags, svc *screen.Service, h *interdicthttp.Server) error {
	st, own, err := a.openOwnerships(ctx, rf)
	if err != nil {
		return err
	}
	live := &graph.Live{
		Entities: func() ([]interdict.Entity, any) {
			ix := svc.Current()
			if ix == nil {
				return nil, nil
			}
			return ix.Listed, ix
		},
		Parties: st.review, Ownerships: own, MaxAge: time.Minute,
	}
	h.Network, h.Ownerships = live, own
	svc.SetAfter(networkSignals(live)) // the first screening starts the first build
	return nil
}

// networkSignals returns the screening hook that adds the network's
// signals to a result: from the graph built last, never waiting for one.
func networkSignals(live *graph.Live) screen.AfterFunc {
	return func(_ context.Context, _ *screen.Index, res *interdict.ScreenResult) {
		if g := live.Peek(); g != nil {
			res.Network = g.Signals(res.Query)
		}
	}
}
