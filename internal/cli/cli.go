// Package cli implements the interdict command line: one file per
// subcommand, the configuration, and the wiring of stores, parsers and
// screening. It is the only package that may import every other.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/interdict/interdict"
	"github.com/spf13/cobra"
)

// Exit codes.
const (
	ExitOK    = 0 // clean: no potential match
	ExitError = 1 // an error
	ExitUsage = 2 // bad command line
	ExitMatch = 3 // a potential match reached the alert threshold
)

// exitError carries an exit code other than ExitError through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

func usageError(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

// App holds what every subcommand shares: the injected streams and
// environment, the configuration, and the opened stores.
type App struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment; tests replace it.
	Getenv func(string) string
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// HTTPClient is used for list downloads; tests point it at httptest.
	HTTPClient *http.Client
	// IsTerminal reports whether Stderr is a terminal (progress bars).
	IsTerminal bool
	// Indexes, when set, shares built indexes between the commands this
	// process runs (see IndexCache).
	Indexes *IndexCache

	home       string
	configPath string
	noSnapshot bool
	verbose    bool

	config *Config
	store  *stores

	// database, nats, natsPrefix and replica are serve's cluster flags
	// (see cluster.go).
	database, nats, natsPrefix, replica string
}

// Run runs the interdict command line with args (without the program name)
// and returns the process exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := &App{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv, Now: time.Now}
	if f, ok := stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			app.IsTerminal = true
		}
	}
	return app.Run(ctx, args)
}

// Run runs the command line on a.
func (a *App) Run(ctx context.Context, args []string) int {
	defer a.Close()
	root := a.newRootCmd()
	root.SetArgs(args)
	root.SetIn(a.Stdin)
	root.SetOut(a.Stdout)
	root.SetErr(a.Stderr)
	err := root.ExecuteContext(ctx)
	return a.exitCode(err)
}

func (a *App) exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			prefix := "error"
			if ee.code == ExitUsage {
				prefix = "usage"
			}
			if ee.code != ExitMatch {
				fmt.Fprintf(a.Stderr, "interdict: %s: %s\n", prefix, a.message(ee.err))
			}
		}
		return ee.code
	}
	fmt.Fprintf(a.Stderr, "interdict: error: %s\n", a.message(err))
	return ExitError
}

// message returns what the user sees for err: the application message for
// an *interdict.Error, the full error chain otherwise (the CLI user is the
// operator, so internal detail is useful here and never secret).
func (a *App) message(err error) string {
	if interdict.ErrorCode(err) != interdict.EINTERNAL {
		return interdict.ErrorMessage(err)
	}
	return err.Error()
}

func (a *App) logger() *slog.Logger {
	level := slog.LevelWarn
	if a.verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(a.Stderr, &slog.HandlerOptions{Level: level}))
}

func (a *App) newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "interdict",
		Short: "Screen parties, goods and payments against sanctions and export-control lists",
		Long: `interdict screens names, goods and payment messages against the official
sanctions and denied-party lists, offline, from one binary.

Its data lives in --home (or $INTERDICT_HOME), by default in the user's data
directory. On first use the bundled snapshot of the public lists is imported.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError("%v (see '%s --help')", err, c.CommandPath())
	})
	pf := root.PersistentFlags()
	pf.StringVar(&a.home, "home", "", "data directory (default $INTERDICT_HOME or the user's data directory)")
	pf.StringVar(&a.configPath, "config", "", "config file (default <home>/config.json)")
	pf.BoolVar(&a.noSnapshot, "no-snapshot", false, "do not import the bundled list snapshot into an empty store")
	pf.BoolVarP(&a.verbose, "verbose", "v", false, "log more")

	root.AddCommand(
		a.newListsCmd(),
		a.newEntityCmd(),
		a.newVersionCmd(),
	)
	for _, add := range extraCommands {
		root.AddCommand(add(a))
	}
	return root
}

// extraCommands are added to the root command by other files of this
// package (one per subcommand family), so that adding a command touches only
// its own file.
var extraCommands []func(*App) *cobra.Command

// exactArgs is cobra.ExactArgs returning a usage error.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError("%s takes %d argument(s), got %d (see '%s --help')", cmd.Name(), n, len(args), cmd.CommandPath())
		}
		return nil
	}
}

// rangeArgs is cobra.RangeArgs returning a usage error.
func rangeArgs(min, max int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < min || len(args) > max {
			return usageError("%s takes %d to %d arguments, got %d (see '%s --help')", cmd.Name(), min, max, len(args), cmd.CommandPath())
		}
		return nil
	}
}
