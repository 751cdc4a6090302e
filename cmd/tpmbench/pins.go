package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"tpmbench/boards"
	"tpmbench/pinmap"
)

func init() { register(newPinsCmd) }

func newPinsCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "pins ID",
		Short: "Pin table of a connector (or of a board's TPM header) and a drawing of it from above",
		Long: `pins prints every pin of a connector: signal (with the vendor's name), direction seen from
the host, level, confidence, sources and notes, then a drawing of the header seen from above.
ID is a connector id or a board id (a board stands for its TPM header).`,
		Example: `  tpmbench pins apu1d
  tpmbench pins asus-tpm-20-1`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			db, err := boards.Open(e.boardsDir)
			if err != nil {
				return usageErrorf("%w", err)
			}
			c, b, err := db.Resolve(args[0])
			if err != nil {
				return usageErrorf("pins: %w", err)
			}
			if b != nil {
				fmt.Fprintf(e.stdout, "board %s: %s\nchipset: %s\n%s\n\n", b.ID, b.Name, b.Chipset, b.Notes)
			}
			if err := pinmap.WritePins(e.stdout, c); err != nil {
				return benchErrorf("pins: %w", err)
			}
			return nil
		},
	}
}
