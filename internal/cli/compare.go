package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/screen"
	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, (*App).newCompareCmd) }

type compareOptions struct {
	Kind   string
	Input  string
	Output string
	JSON   bool
	Policy policyFlags
}

func (a *App) newCompareCmd() *cobra.Command {
	var opts compareOptions
	cmd := &cobra.Command{
		Use:   "compare [--type T] NAME1 NAME2",
		Short: "Score how alike two names are, and whether the pair would alert",
		Long: `Compare scores NAME1 (as a screened party) against NAME2 (as a listed name)
with the screening policy, and says whether the pair would alert. With --input
it reads a CSV with the columns name1, name2 and optionally type, and writes one
CSV row per pair: name1, name2, type, score, alert, policy. The exit status is 3
when a single pair alerts.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if opts.Input != "" && len(args) == 0 || opts.Input == "" && len(args) == 2 {
				return nil
			}
			return usageError("compare takes NAME1 NAME2, or --input pairs.csv")
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := a.policy(opts.Policy)
			if err != nil {
				return err
			}
			if opts.Input != "" {
				return a.runCompareBatch(cmd.Context(), p, opts)
			}
			a1 := interdict.Query{Name: args[0]}
			b1 := interdict.Query{Name: args[1]}
			if a1, err = queryFromFlags(a1, opts.Kind); err != nil {
				return err
			}
			if b1, err = queryFromFlags(b1, opts.Kind); err != nil {
				return err
			}
			svc, err := screen.NewService(screen.ServiceConfig{Policy: p})
			if err != nil {
				return err
			}
			c, err := svc.Compare(cmd.Context(), a1, b1)
			if err != nil {
				return err
			}
			if opts.JSON {
				if err := writeJSON(a.Stdout, c); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(a.Stdout, "%.3f %s\n", c.Score, map[bool]string{true: "ALERT", false: "no alert"}[c.Alert])
				for _, t := range c.Explanation.Alignment {
					fmt.Fprintf(a.Stdout, "  %-18s ~ %-18s %-15s %.2f\n", t.Query, t.Entity, t.Kind, t.Similarity)
				}
			}
			if c.Alert {
				return &exitError{code: ExitMatch}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Kind, "type", "t", "", "kind of both parties: person, organization, vessel or aircraft")
	f.StringVarP(&opts.Input, "input", "i", "", "CSV of pairs (name1,name2[,type]); - for stdin")
	f.StringVarP(&opts.Output, "output", "o", "-", "where to write the CSV of scores; - for stdout")
	f.BoolVar(&opts.JSON, "json", false, "print the comparison with its explanation as JSON")
	opts.Policy.register(f)
	return cmd
}

func (a *App) runCompareBatch(ctx context.Context, p screen.Policy, opts compareOptions) error {
	in, err := a.openCSV(opts.Input, "name1")
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := a.createCSV(opts.Output, []string{"name1", "name2", "type", "score", "alert", "policy", "error"})
	if err != nil {
		return err
	}
	svc, err := screen.NewService(screen.ServiceConfig{Policy: p})
	if err != nil {
		return err
	}
	hash := p.Hash()
	errs := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		row, line, err := in.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		kind := row["type"]
		if kind == "" {
			kind = opts.Kind
		}
		c, err := svc.Compare(ctx, interdict.Query{Name: row["name1"], Kind: interdict.Kind(kind)}, interdict.Query{Name: row["name2"], Kind: interdict.Kind(kind)})
		if err != nil {
			errs++
			fmt.Fprintf(a.Stderr, "interdict: %s: line %d: %s\n", opts.Input, line, errorText(err))
			if err := out.Write([]string{row["name1"], row["name2"], kind, "", "", hash, errorText(err)}); err != nil {
				return err
			}
			continue
		}
		k, _ := interdict.ParseKind(kind)
		if err := out.Write([]string{row["name1"], row["name2"], string(k), strconv.FormatFloat(c.Score, 'f', 3, 64),
			strconv.FormatBool(c.Alert), hash, ""}); err != nil {
			return err
		}
	}
	if err := out.Close(); err != nil {
		return err
	}
	if errs > 0 {
		return fmt.Errorf("%d pairs could not be compared", errs)
	}
	return nil
}
