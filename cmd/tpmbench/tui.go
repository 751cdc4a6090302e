package main

import (
	"io"
	"os"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"tpmbench/tui"
)

func init() {
	register(newTUICmd)
	defaultAction = runTUIIfTerminal
}

func newTUICmd(e *env) *cobra.Command {
	var opts tui.Options
	cmd := &cobra.Command{
		Use:   "tui",
		Short: "Open the terminal UI: boards, wiring and solder checklist, probe, bus view",
		Long: `tui opens the bench workflow in the terminal: pick a module and a board, follow the wiring
table and header drawing while ticking off each soldered wire (the checklist is saved in the
user's config directory), then probe the TPM on the simulator or the hardware window and look at
the LPC cycles and waveform of the probe (or of a capture given with --capture).

A bare "tpmbench" in a terminal opens it too.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if !isTerminal(os.Stdin) || !isTerminal(e.stdout) {
				return usageErrorf("tui: stdin and stdout must be a terminal; the subcommands (tpmbench --help) work without one")
			}
			opts.BoardsDir = e.boardsDir
			return runTUI(e, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Capture, "capture", "", "show this logic-analyser capture (.sr or .vcd) on the Bus screen")
	return cmd
}

// runTUIIfTerminal is the bare "tpmbench" action: the UI in a terminal, the help otherwise (a
// pipe or a script gets text it can read).
func runTUIIfTerminal(e *env) error {
	if !isTerminal(os.Stdin) || !isTerminal(e.stdout) {
		root := newRoot(e)
		root.SetOut(e.stdout)
		return root.Help()
	}
	return runTUI(e, tui.Options{BoardsDir: e.boardsDir})
}

func runTUI(e *env, opts tui.Options) error {
	err := tui.Run(e.ctx, opts, os.Stdin, e.stdout)
	if err != nil {
		return benchErrorf("%w", err)
	}
	return nil
}

// isTerminal reports whether w is a terminal (test buffers and pipes are not).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}
