package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"tpmbench/boards"
)

func init() { register(newBoardsCmd) }

func newBoardsCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "boards",
		Short: "List the boards and connectors (headers and TPM modules) in the pinout database",
		Long: `boards lists the pinout database: boards (each naming the connector its TPM goes on) and
connectors, both the headers on mainboards and the sockets of TPM modules, with their
confidence (2S two or more sources, 1S one source, INF inferred, WRITEUP, UNCONFIRMED).
--boards DIR adds your own YAML files; "tpmbench pins ID" shows one connector's pins.`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			db, err := boards.Open(e.boardsDir)
			if err != nil {
				return usageErrorf("%w", err)
			}
			if asJSON {
				return writeBoardsJSON(e, db)
			}
			return writeBoardsText(e, db)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (boards and connectors with every pin)")
	return cmd
}

// boardsJSON is the --json output; its field names are stable.
type boardsJSON struct {
	Boards     []*boards.Board     `json:"boards"`
	Connectors []*boards.Connector `json:"connectors"`
}

func writeBoardsJSON(e *env, db *boards.DB) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(boardsJSON{Boards: db.Boards(), Connectors: db.Connectors()}); err != nil {
		return benchErrorf("boards: writing JSON: %w", err)
	}
	return nil
}

func writeBoardsText(e *env, db *boards.DB) error {
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "BOARD\tCONNECTOR\tFAMILY\tCHIPSET\tNAME")
	for _, b := range db.Boards() {
		name := b.Name
		if len(b.Aliases) > 0 {
			name += " (also " + strings.Join(b.Aliases, ", ") + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", b.ID, b.Connector, b.Family, b.Chipset, name)
	}
	if err := tw.Flush(); err != nil {
		return benchErrorf("boards: %w", err)
	}
	fmt.Fprintln(e.stdout)
	tw = tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CONNECTOR\tROLE\tSHAPE\tCONF\tNAME")
	for _, c := range db.Connectors() {
		g := c.Geometry
		shape := fmt.Sprintf("%s %dx%d %.2fmm", strings.ToUpper(c.Bus), g.Rows, g.Cols, g.PitchMM)
		if len(g.Keys) > 0 {
			shape += fmt.Sprintf(" key %v", g.Keys)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.ID, c.Role, shape, c.Confidence, c.Name)
	}
	if err := tw.Flush(); err != nil {
		return benchErrorf("boards: %w", err)
	}
	return nil
}
