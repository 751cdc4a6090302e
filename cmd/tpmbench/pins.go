package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"tpmbench/boards"
	"tpmbench/pinmap"
)

func init() { register(newPinsCmd) }

// pinsJSON is the --json output of pins: the board (when the id named one) and its connector,
// in the form "boards --json" prints them.
type pinsJSON struct {
	Board     *boards.Board     `json:"board,omitempty"`
	Connector *boards.Connector `json:"connector"`
}

func newPinsCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "pins ID",
		Short: "Pin table of a connector (or of a board's TPM header) and a drawing of it from above",
		Long: `pins prints every pin of a connector: signal (with the vendor's name), direction seen from
the host, level, confidence, sources and notes, then a drawing of the header seen from above.
ID is a connector id or a board id (a board stands for its TPM header). --json prints the
connector (and the board) as "tpmbench boards --json" does.`,
		Example: `  tpmbench pins apu1d
  tpmbench pins asus-tpm-20-1`,
		Args: needOne("pins needs a connector or board id (see tpmbench boards)"),
		RunE: func(_ *cobra.Command, args []string) error {
			db, err := boards.Open(e.boardsDir)
			if err != nil {
				return usageErrorf("%w", err)
			}
			c, b, err := db.Resolve(args[0])
			if err != nil {
				return usageErrorf("%w", err)
			}
			if asJSON {
				if err := writeJSON(e.stdout, pinsJSON{Board: b, Connector: c}); err != nil {
					return benchErrorf("pins: writing JSON: %w", err)
				}
				return nil
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
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON: the connector with every pin (and the board), as boards --json")
	return cmd
}
