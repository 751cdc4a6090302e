package pinmap

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"tpmbench/boards"
)

// Report is a wiring with its setup and the findings of Check: what every renderer draws.
type Report struct {
	Setup    Setup     // the module and header the wiring connects
	Wiring   Wiring    // the wires, generated or read from a file
	Findings []Finding // what Check found, errors first
}

// NewReport checks the wiring and bundles the result.
func NewReport(s Setup, w Wiring) *Report {
	return &Report{Setup: s, Wiring: w, Findings: Check(s, w)}
}

// OK reports whether no finding is an error.
func (r *Report) OK() bool { return !HasErrors(r.Findings) }

// Counts returns the number of errors, warnings and infos.
func (r *Report) Counts() (errs, warns, infos int) {
	for _, f := range r.Findings {
		switch f.Severity {
		case Error:
			errs++
		case Warning:
			warns++
		default:
			infos++
		}
	}
	return errs, warns, infos
}

// Row is one wire as the tables show it.
type Row struct {
	ModulePin  string // module pin number
	ModuleName string // signal with the vendor label, e.g. "LCLK (PCICLK)"
	BoardPin   string // board pin number
	BoardName  string // the board pin's signal with its vendor label
	Note       string // the wire's note
}

// TableHeader names the columns of Rows.
var TableHeader = []string{"module pin", "module signal", "board pin", "board signal", "note"}

// Rows returns the wires as table rows; pins the connectors lack are shown as "?".
func (r *Report) Rows() []Row {
	rows := make([]Row, 0, len(r.Wiring.Wires))
	for _, w := range r.Wiring.Wires {
		row := Row{ModulePin: fmt.Sprint(w.ModulePin), BoardPin: fmt.Sprint(w.BoardPin), ModuleName: "?", BoardName: "?", Note: w.Note}
		if p, ok := r.Setup.Module.Pin(w.ModulePin); ok {
			row.ModuleName = p.Name()
		}
		if p, ok := r.Setup.Header.Pin(w.BoardPin); ok {
			row.BoardName = p.Name()
		}
		rows = append(rows, row)
	}
	return rows
}

// Title is the one-line heading: "asus-tpm-20-1 → apu1d (pcengines-lpc-2x10)".
func (r *Report) Title() string {
	if r.Setup.Board != nil {
		return fmt.Sprintf("%s → %s (%s)", r.Setup.Module.ID, r.Setup.Board.ID, r.Setup.Header.ID)
	}
	return fmt.Sprintf("%s → %s", r.Setup.Module.ID, r.Setup.Header.ID)
}

// Subtitle names both sides in full.
func (r *Report) Subtitle() string {
	board := r.Setup.Header.Name
	if r.Setup.Board != nil {
		board = r.Setup.Board.Name + ", " + board
	}
	return fmt.Sprintf("module: %s\nboard:  %s", r.Setup.Module.Name, board)
}

// Summary is the closing line: wire count and findings by severity.
func (r *Report) Summary() string {
	e, w, i := r.Counts()
	verdict := "the wiring is fine"
	if e > 0 {
		verdict = "the wiring will not work as listed"
	}
	return fmt.Sprintf("%s; %s, %s, %s: %s.", plural(len(r.Wiring.Wires), "wire"), plural(e, "error"), plural(w, "warning"), plural(i, "note"), verdict)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// FindingText is a finding as indented plain text lines.
func FindingText(f Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s [%s] %s\n", strings.ToUpper(f.Severity.String()), f.Code, f.Message)
	if pins := f.PinList(); pins != "" {
		fmt.Fprintf(&b, "    pins: %s\n", pins)
	}
	if f.Fix != "" {
		fmt.Fprintf(&b, "    fix:  %s\n", f.Fix)
	}
	return b.String()
}

// WriteText writes the plain-text table and findings.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n\n", r.Title(), r.Subtitle())
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(TableHeader, "\t")))
	for _, row := range r.Rows() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", row.ModulePin, row.ModuleName, row.BoardPin, row.BoardName, row.Note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	b.WriteString("\n")
	for _, f := range r.Findings {
		b.WriteString(FindingText(f))
	}
	fmt.Fprintf(&b, "\n%s\n", r.Summary())
	_, err := io.WriteString(w, trimLines(b.String()))
	return err
}

// trimLines drops the trailing blanks tabwriter leaves after the last column.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// WriteMarkdown writes a Markdown section: heading, wire table, findings.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## Wiring %s\n\n", r.Title())
	fmt.Fprintf(&b, "- module: %s\n", mdEscape(r.Setup.Module.Name))
	board := r.Setup.Header.Name
	if r.Setup.Board != nil {
		board = r.Setup.Board.Name + ", " + board
	}
	fmt.Fprintf(&b, "- board: %s\n\n", mdEscape(board))
	fmt.Fprintf(&b, "| Module pin | Module signal | Board pin | Board signal | Note |\n|---:|---|---:|---|---|\n")
	for _, row := range r.Rows() {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", row.ModulePin, mdEscape(row.ModuleName), row.BoardPin, mdEscape(row.BoardName), mdEscape(row.Note))
	}
	if len(r.Findings) > 0 {
		b.WriteString("\n### Checks\n\n")
	}
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "- **%s** `%s`: %s", f.Severity, f.Code, mdEscape(f.Message))
		if pins := f.PinList(); pins != "" {
			fmt.Fprintf(&b, " (pins: %s)", pins)
		}
		if f.Fix != "" {
			fmt.Fprintf(&b, "  \n  Fix: %s", mdEscape(f.Fix))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\n%s\n", r.Summary())
	_, err := io.WriteString(w, b.String())
	return err
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "*", `\*`, "<", "&lt;").Replace(s)
}

// WriteCSV writes one row per wire: module_pin, board_pin, signal, note (with a header row).
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"module_pin", "board_pin", "signal", "note"}); err != nil {
		return err
	}
	for _, wire := range r.Wiring.Wires {
		note := wire.Note
		if wire.BoardSignal != wire.Signal && wire.BoardSignal != "" && note == "" {
			note = "board pin is " + wire.BoardSignal
		}
		if err := cw.Write([]string{fmt.Sprint(wire.ModulePin), fmt.Sprint(wire.BoardPin), wire.Signal, note}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// JSONReport is the JSON form of a report; its field names are stable.
type JSONReport struct {
	Module   JSONConnector `json:"module"`   // the module side
	Board    JSONConnector `json:"board"`    // the board side
	Wires    []Wire        `json:"wires"`    // every wire, never null
	Findings []Finding     `json:"findings"` // the checks' findings, errors first, never null
	Errors   int           `json:"errors"`   // number of error findings
	Warnings int           `json:"warnings"` // number of warning findings
	Infos    int           `json:"infos"`    // number of info findings
	OK       bool          `json:"ok"`       // no error finding: the wiring should work
}

// JSONConnector names one side of the wiring.
type JSONConnector struct {
	ID            string `json:"id"`                       // the id given: module or board id
	Name          string `json:"name"`                     // its full name
	Connector     string `json:"connector"`                // the connector id
	Chipset       string `json:"chipset,omitempty"`        // board only
	Family        string `json:"family,omitempty"`         // board only
	ConnectorName string `json:"connector_name,omitempty"` // board only: the header's full name
}

// JSON returns the report's JSON form.
func (r *Report) JSON() JSONReport {
	e, w, i := r.Counts()
	out := JSONReport{
		Module:   JSONConnector{ID: r.Setup.Module.ID, Name: r.Setup.Module.Name, Connector: r.Setup.Module.ID},
		Board:    JSONConnector{ID: r.Setup.Header.ID, Name: r.Setup.Header.Name, Connector: r.Setup.Header.ID},
		Wires:    r.Wiring.Wires,
		Findings: r.Findings,
		Errors:   e, Warnings: w, Infos: i, OK: e == 0,
	}
	if b := r.Setup.Board; b != nil {
		out.Board = JSONConnector{ID: b.ID, Name: b.Name, Connector: r.Setup.Header.ID, Chipset: b.Chipset, Family: b.Family, ConnectorName: r.Setup.Header.Name}
	}
	if out.Wires == nil {
		out.Wires = []Wire{}
	}
	if out.Findings == nil {
		out.Findings = []Finding{}
	}
	return out
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r.JSON())
}

// WritePins writes a connector's pin table and a drawing of the header seen from above.
func WritePins(w io.Writer, c *boards.Connector) error {
	var b strings.Builder
	g := c.Geometry
	fmt.Fprintf(&b, "%s: %s\n", c.ID, c.Name)
	fmt.Fprintf(&b, "%s, %s bus, %dx%d, %.2f mm pitch, %s, %s; confidence %s", c.Role, strings.ToUpper(c.Bus), g.Rows, g.Cols, g.PitchMM, g.Gender, g.Footprint, c.Confidence)
	if len(c.Sources) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(c.Sources, ", "))
	}
	b.WriteString("\n")
	if c.Chip != "" {
		fmt.Fprintf(&b, "chip: %s\n", c.Chip)
	}
	if c.Notes != "" {
		fmt.Fprintf(&b, "%s\n", wrap(c.Notes, 96))
	}
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PIN\tSIGNAL\tDIR\tLEVEL\tCONF\tSOURCES\tNOTE")
	for _, p := range c.Pins {
		note := p.Note
		if p.Never != "" {
			note = strings.TrimSuffix("NEVER CONNECT: "+p.Never+"; "+note, "; ")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Number, p.Name(), p.Dir, p.Level, p.Confidence, strings.Join(p.Sources, ","), note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	b.WriteString("\n")
	b.WriteString(HeaderDrawing(c))
	_, err := io.WriteString(w, trimLines(b.String()))
	return err
}

// HeaderDrawing draws the connector seen from above, one pin pair per line: pin 1 is "■",
// other pins "●", keys "x" and never-connect pins "!".
func HeaderDrawing(c *boards.Connector) string {
	var b strings.Builder
	g := c.Geometry
	mark := func(p boards.Pin) string {
		switch {
		case p.Signal == boards.KEY:
			return "x"
		case p.Never != "":
			return "!"
		case p.Number == 1:
			return "■"
		}
		return "●"
	}
	fmt.Fprintf(&b, "seen from above (■ pin 1, x key, ! never connect):\n\n")
	width := 0
	for _, p := range c.Pins {
		width = max(width, len(p.Name()))
	}
	lines := (len(c.Pins) + g.Rows - 1) / g.Rows
	inner := 3 // " ■ "
	if g.Rows == 2 {
		inner = 7 // " ■   ● "
	}
	border := "+" + strings.Repeat("-", inner) + "+"
	pad := strings.Repeat(" ", width+5)
	fmt.Fprintf(&b, "%s%s\n", pad, border)
	for l := 0; l < lines; l++ {
		left := c.Pins[l*g.Rows]
		fmt.Fprintf(&b, "%*s %2d |", width+1, left.Name(), left.Number)
		fmt.Fprintf(&b, " %s ", mark(left))
		if g.Rows == 2 {
			right := c.Pins[l*2+1]
			fmt.Fprintf(&b, "  %s | %-2d %s", mark(right), right.Number, right.Name())
		} else {
			b.WriteString("|")
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%s%s\n", pad, border)
	return trimLines(b.String())
}

// wrap breaks text into lines of at most width bytes at spaces.
func wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(s) {
		if i > 0 {
			if n+1+len(word) > width {
				b.WriteString("\n")
				n = 0
			} else {
				b.WriteString(" ")
				n++
			}
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}
