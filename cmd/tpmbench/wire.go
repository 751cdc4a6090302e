package main

import (
	"fmt"
	"image/color"
	"io"
	"os"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"tpmbench/boards"
	"tpmbench/pinmap"
)

func init() { register(newWireCmd) }

// wireFormats are the --format values, the first the default.
var wireFormats = []string{"table", "md", "csv", "json", "svg", "wireviz"}

type wireCmd struct {
	e      *env
	format string
	check  string
	output string
	json   bool // --json: shorthand for --format json
}

func newWireCmd(e *env) *cobra.Command {
	c := &wireCmd{e: e}
	cmd := &cobra.Command{
		Use:   "wire MODULE BOARD",
		Short: "Wiring table from a TPM module to a board's LPC header, with electrical checks",
		Long: `wire matches the module's pins to the board header's pins by signal and prints which module
pin goes to which board pin, then checks the wiring: required LPC lines, 3.3 V and ground,
5 V pins, the missing standby rail, keys, SERIRQ, LPCPD#/CLKRUN#, pins never to connect and
footprints that take no header. BOARD is a board id (apu1d) or a header id.

With --check FILE it checks a hand-made wiring instead (YAML: module, board, and wires like
{module: 1, board: 1}); MODULE and BOARD may then be left out.

Exit codes: 0 the wiring is fine (warnings allowed), 1 the checks found errors, 2 usage or
input error. "tpmbench boards" lists the ids.`,
		Example: `  tpmbench wire asus-tpm-20-1 apu1d
  tpmbench wire asus-tpm-20-1 apu1d --format svg -o wiring.svg
  tpmbench wire --check my-wiring.yaml`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 2 {
				return argError(cmd, "wire takes a MODULE and a BOARD, got %d arguments: %q", len(args), args)
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error { return c.run(args) },
	}
	cmd.Flags().StringVarP(&c.format, "format", "f", "table", "output format: "+strings.Join(wireFormats, ", "))
	cmd.Flags().StringVar(&c.check, "check", "", "check a hand-made wiring `FILE` (YAML) instead of generating one")
	cmd.Flags().StringVarP(&c.output, "output", "o", "", "write the output to `FILE` instead of stdout")
	cmd.Flags().BoolVar(&c.json, "json", false, "print JSON: shorthand for --format json")
	cmd.MarkFlagsMutuallyExclusive("json", "format")
	return cmd
}

func (c *wireCmd) run(args []string) error {
	if c.json {
		c.format = "json"
	}
	if !slices.Contains(wireFormats, c.format) {
		return usageErrorf("wire: unknown --format %q; use one of %s", c.format, strings.Join(wireFormats, ", "))
	}
	db, err := boards.Open(c.e.boardsDir)
	if err != nil {
		return usageErrorf("%w", err)
	}
	setup, wiring, err := c.wiring(db, args)
	if err != nil {
		return err
	}
	r := pinmap.NewReport(setup, wiring)
	if err := c.write(r); err != nil {
		return err
	}
	if !r.OK() {
		return benchFailed()
	}
	return nil
}

// wiring loads the --check file or generates the wiring for MODULE BOARD.
func (c *wireCmd) wiring(db *boards.DB, args []string) (pinmap.Setup, pinmap.Wiring, error) {
	if c.check != "" {
		s, w, err := pinmap.ReadWiring(db, c.check)
		if err != nil {
			return s, w, usageErrorf("%w", err)
		}
		if len(args) == 2 && (args[0] != s.Module.ID || (args[1] != s.Target() && args[1] != s.Header.ID)) {
			return s, w, usageErrorf("wire: %s names %s on %s, but the command line says %s on %s; drop MODULE BOARD or make them agree",
				c.check, s.Module.ID, s.Target(), args[0], args[1])
		}
		return s, w, nil
	}
	if len(args) != 2 {
		return pinmap.Setup{}, pinmap.Wiring{}, usageErrorf("wire: name a module and a board, e.g. tpmbench wire asus-tpm-20-1 apu1d (modules: %s; boards: tpmbench boards)",
			strings.Join(moduleIDs(db), ", "))
	}
	s, err := pinmap.Resolve(db, args[0], args[1])
	if err != nil {
		return s, pinmap.Wiring{}, usageErrorf("%w", err)
	}
	return s, pinmap.Generate(s), nil
}

func moduleIDs(db *boards.DB) []string {
	var ids []string
	for _, c := range db.Connectors() {
		if c.Role == boards.RoleModule {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// write renders the report to stdout or --output.
func (c *wireCmd) write(r *pinmap.Report) (err error) {
	out := c.e.stdout
	if c.output != "" {
		f, err := os.Create(c.output)
		if err != nil {
			return usageErrorf("wire: %w", err)
		}
		defer func() {
			if cerr := f.Close(); err == nil && cerr != nil {
				err = benchErrorf("wire: writing %s: %w", c.output, cerr)
			}
		}()
		out = f
	}
	switch c.format {
	case "table":
		if c.output == "" && wireStyled(c.e.stdout) {
			err = writeStyledWiring(out, r)
		} else {
			err = r.WriteText(out)
		}
	case "md":
		err = r.WriteMarkdown(out)
	case "csv":
		err = r.WriteCSV(out)
	case "json":
		err = r.WriteJSON(out)
	case "svg":
		err = r.WriteSVG(out)
	case "wireviz":
		err = r.WriteWireViz(out)
	}
	if err != nil {
		return benchErrorf("wire: writing the %s output: %w", c.format, err)
	}
	c.summarise(r)
	return nil
}

// summarise tells the user about findings the chosen output does not show: a file was
// written, or the format (CSV, WireViz) has no room for them.
func (c *wireCmd) summarise(r *pinmap.Report) {
	shows := c.format == "table" || c.format == "md" || c.format == "json" || c.format == "svg"
	if c.output != "" {
		fmt.Fprintf(c.e.stdout, "wrote %s (%s): %s\n", c.output, c.format, r.Summary())
	} else if shows {
		return
	}
	for _, f := range r.Findings {
		if f.Severity == pinmap.Error {
			fmt.Fprint(c.e.stderr, pinmap.FindingText(f))
		}
	}
}

// wireStyled reports whether the table should be styled: stdout is a terminal and NO_COLOR
// is not set.
func wireStyled(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

var severityStyle = map[pinmap.Severity]lipgloss.Style{
	pinmap.Error:   lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#ff5f5f")),
	pinmap.Warning: lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#ffaf00")),
	pinmap.Info:    lipgloss.NewStyle().Foreground(lipgloss.Color("#5fafff")),
}

// terminalColour is the drawing colour of a signal, with ground lightened so that it shows
// on a dark terminal.
func terminalColour(signal string) color.Color {
	if signal == string(boards.GND) {
		return lipgloss.Color("#a0a0a0")
	}
	return lipgloss.Color(pinmap.Colour(signal))
}

// writeStyledWiring is the terminal table: wires coloured by signal, findings by severity.
func writeStyledWiring(w io.Writer, r *pinmap.Report) error {
	var b strings.Builder
	b.WriteString(lipgloss.NewStyle().Bold(true).Render(r.Title()) + "\n")
	for _, line := range strings.Split(r.Subtitle(), "\n") {
		b.WriteString(lipgloss.NewStyle().Faint(true).Render(line) + "\n")
	}
	rows := r.Rows()
	t := table.New().
		Border(lipgloss.RoundedBorder()).
		BorderStyle(lipgloss.NewStyle().Faint(true)).
		Headers(pinmap.TableHeader...).
		StyleFunc(func(row, col int) lipgloss.Style {
			st := lipgloss.NewStyle().Padding(0, 1)
			if row == table.HeaderRow {
				return st.Bold(true)
			}
			if row >= 0 && row < len(rows) && (col == 1 || col == 3) {
				return st.Foreground(terminalColour(r.Wiring.Wires[row].Signal))
			}
			return st
		})
	for _, row := range rows {
		t.Row(row.ModulePin, row.ModuleName, row.BoardPin, row.BoardName, row.Note)
	}
	b.WriteString(t.Render() + "\n")
	for _, f := range r.Findings {
		text := strings.TrimRight(pinmap.FindingText(f), "\n")
		head, rest, _ := strings.Cut(text, "\n")
		b.WriteString(severityStyle[f.Severity].Render(head) + "\n")
		if rest != "" {
			b.WriteString(rest + "\n")
		}
	}
	b.WriteString(lipgloss.NewStyle().Bold(true).Render(r.Summary()) + "\n")
	_, err := lipgloss.Fprint(w, b.String())
	return err
}
