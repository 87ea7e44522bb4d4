package cli

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Version is the release version, set at build time with
// -ldflags "-X github.com/interdict/interdict/internal/cli.Version=v1.2.3".
var Version = "dev"

func (a *App) newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the interdict version",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			rev := ""
			if bi, ok := debug.ReadBuildInfo(); ok {
				for _, s := range bi.Settings {
					if s.Key == "vcs.revision" {
						rev = " " + s.Value
					}
				}
				fmt.Fprintf(a.Stdout, "interdict %s%s (%s)\n", Version, rev, bi.GoVersion)
				return nil
			}
			fmt.Fprintf(a.Stdout, "interdict %s\n", Version)
			return nil
		},
	}
}
