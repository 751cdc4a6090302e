package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"tpmbench/lpcsim/decode"
)

func init() { register(newDecodeCmd) }

// decodeCmd decodes a logic-analyser capture of an LPC bus.
type decodeCmd struct {
	e        *env
	cycles   bool
	regs     bool
	commands bool
	serirq   bool
	json     bool
	diagnose bool
	channels string
}

func newDecodeCmd(e *env) *cobra.Command {
	c := &decodeCmd{e: e}
	cmd := &cobra.Command{
		Use:   "decode CAPTURE.sr|CAPTURE.vcd",
		Short: "Decode an LPC capture: cycles, TIS register operations, TPM commands",
		Long: `decode reads a logic-analyser capture of an LPC bus (a sigrok/PulseView .sr session file or
a VCD file, such as one written by "tpmbench sim --vcd") and decodes it up the stack: LPC cycles,
TIS register operations from the TPM cycles (START 0101), and TPM command/response exchanges
from the FIFO traffic, named with their return codes.

--cycles (the default) prints one line per cycle: index, time, kind, hex address and data, SYNC
waits, and in brackets how a cycle ended when it did not complete (ABORTED, INTERRUPTED by a new
LFRAME#, RESET, TRUNCATED) and with '!' each tolerated spec deviation (short-final-tar,
tar-not-1111, bad-sync...). --regs prints register accesses, --commands TPM commands, --serirq
SERIRQ cycles (one of the four). A summary of counts follows. --json prints the same as one JSON
document.

--serirq prints one line per SERIRQ cycle when the capture has a SERIRQ channel: the mode its
stop frame selects (quiet: 2 clocks, continuous: 3), the frames sampled low (IRQ0..IRQ15, SMI#,
IOCHCK#, INTA#..INTD#), who started it (host or peripheral, inferred from the previous stop
frame's mode) with the start pulse's width, the number of IRQ/data frames and the stop width.

--diagnose instead names line-level faults the samples show: no LCLK, LFRAME# never (or always)
low, LRESET# held, a LAD line that never changes, LAD lines always equal (bridged) or in the wrong
order (crossed), single-bit errors on one LAD line, cycles nobody answers. For a simulator VCD,
"--channels scope=module" looks at the module's pins instead of the board's.

Channels are matched by name (lclk, lframe#, lad0..lad3, lreset#, serirq; case, '#' and '_n'
do not matter). When the capture names them otherwise, map them:
  --channels lad0=0,lad1=1,lad2=2,lad3=3,lclk=4,lframe=5
where each value is a channel name or an index from 0.

Exit status 2 when the capture cannot be read; with --diagnose, 1 when a fault is found.`,
		Args: needOne("decode needs a CAPTURE file (.sr or .vcd)"),
		RunE: func(_ *cobra.Command, args []string) error { return c.run(args[0]) },
	}
	f := cmd.Flags()
	f.BoolVar(&c.cycles, "cycles", false, "print LPC cycles (the default)")
	f.BoolVar(&c.regs, "regs", false, "print TIS register accesses")
	f.BoolVar(&c.commands, "commands", false, "print TPM command/response exchanges")
	f.BoolVar(&c.serirq, "serirq", false, "print SERIRQ cycles: mode and asserted IRQs")
	f.BoolVar(&c.json, "json", false, "print JSON")
	f.BoolVar(&c.diagnose, "diagnose", false, "name line-level faults (stuck, bridged, crossed lines, no clock...); UNSURE marks what the capture is too short to confirm")
	f.StringVar(&c.channels, "channels", "", "map signals to capture channels, e.g. lclk=4,lframe=5 or scope=module (`SIG=CH,...`)")
	cmd.MarkFlagsMutuallyExclusive("cycles", "regs", "commands")
	for _, other := range []string{"cycles", "regs", "commands"} {
		cmd.MarkFlagsMutuallyExclusive(other, "serirq")
	}
	return cmd
}

func (c *decodeCmd) run(path string) error {
	o, err := decode.ParseChannels(c.channels)
	if err != nil {
		return usageErrorf("%v", err)
	}
	src, err := decode.Open(path, o)
	if err != nil {
		return usageErrorf("%v", err)
	}
	defer src.Close()
	if c.diagnose {
		return c.runDiagnose(src)
	}
	if !c.regs && !c.commands && !c.serirq {
		c.cycles = true
	}
	w := bufio.NewWriterSize(c.e.stdout, 64<<10)
	var out decodeOutput
	if c.json {
		out = &jsonOutput{w: w, info: src.Info(), path: path}
	} else {
		out = &textOutput{w: w, info: src.Info()}
	}
	h := out.handlers(c.cycles, c.regs, c.commands)
	if c.serirq {
		h.SerIRQ = out.serirq
	}
	st, err := decode.RunContext(c.e.ctx, src, h)
	if err != nil {
		w.Flush()
		return inputError(err)
	}
	if err := out.finish(st); err != nil {
		return benchErrorf("decode: writing output: %v", err)
	}
	if err := w.Flush(); err != nil {
		return benchErrorf("decode: writing output: %v", err)
	}
	return nil
}

// inputError maps a decode error: Ctrl-C (a canceled context) goes back as it is, for the root
// to exit 130 naming where the decode stopped; anything else is a capture that cannot be read.
func inputError(err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	return usageErrorf("%v", err)
}

// decodeOutput prints the decode as it streams.
type decodeOutput interface {
	handlers(cycles, regs, commands bool) decode.Handlers
	serirq(*decode.SerIRQCycle) error
	finish(decode.Stats) error
}

type textOutput struct {
	w      *bufio.Writer
	info   decode.Info
	merger *decode.Merger
}

// when formats a tick as time since the start of the capture.
func (t *textOutput) when(tick int64) string {
	if t.info.TickSeconds == 0 {
		return fmt.Sprintf("%12d", tick)
	}
	return fmt.Sprintf("%14.3fus", float64(tick)*t.info.TickSeconds*1e6)
}

func (t *textOutput) handlers(cycles, regs, commands bool) decode.Handlers {
	var h decode.Handlers
	if cycles {
		h.Cycle = func(c *decode.Cycle) error {
			_, err := fmt.Fprintf(t.w, "%6d %s  %s\n", c.Index, t.when(c.Tick), c)
			return err
		}
	}
	if regs {
		t.merger = decode.NewMerger(func(a decode.Access) {
			fmt.Fprintf(t.w, "%6d %s  %s\n", a.First.Cycle, t.when(a.First.Tick), a)
		})
		h.RegOp = func(o decode.RegOp) error { t.merger.Add(o); return nil }
	}
	if commands {
		h.Command = func(c *decode.Command) error {
			fmt.Fprintf(t.w, "%6d %s  %s\n", c.FirstCycle, t.when(c.Tick), c)
			fmt.Fprintf(t.w, "         cmd %X\n", c.Cmd)
			if len(c.Rsp) > 0 {
				fmt.Fprintf(t.w, "         rsp %X\n", c.Rsp)
			}
			return nil
		}
	}
	return h
}

func (t *textOutput) serirq(c *decode.SerIRQCycle) error {
	_, err := fmt.Fprintf(t.w, "%6d %s  %s\n", c.Index, t.when(c.Tick), c)
	return err
}

func (t *textOutput) finish(st decode.Stats) error {
	if t.merger != nil {
		t.merger.Flush()
	}
	fmt.Fprintf(t.w, "\n%s, %d samples", t.info.Format, st.Samples)
	if t.info.TickSeconds > 0 {
		fmt.Fprintf(t.w, " over %.6f s", float64(st.LastTick-st.FirstTick)*t.info.TickSeconds)
	}
	fmt.Fprintf(t.w, ", %d LCLK edges\n", st.Clocks)
	fmt.Fprintf(t.w, "cycles: %d%s\n", st.Cycles, countList(st.Kinds))
	ended := strings.TrimPrefix(countList(st.Statuses), ": ")
	if ended == "" {
		ended = "no cycles"
	}
	fmt.Fprintf(t.w, "ended: %s\n", ended)
	if len(st.Deviations) > 0 {
		fmt.Fprintf(t.w, "deviations: %s\n", strings.TrimPrefix(countList(st.Deviations), ": "))
	}
	if st.SerIRQ > 0 {
		fmt.Fprintf(t.w, "SERIRQ cycles: %d\n", st.SerIRQ)
	}
	_, err := fmt.Fprintf(t.w, "TPM register operations: %d, TPM commands: %d\n", st.RegOps, st.Commands)
	return err
}

// countList formats counts as ": a 1, b 2" in name order.
func countList(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return ": " + strings.Join(parts, ", ")
}

// jsonOutput streams one JSON document: capture facts, the requested lists,
// then the counts.
type jsonOutput struct {
	w       *bufio.Writer
	info    decode.Info
	path    string
	section string
	n       int
	err     error
	merger  *decode.Merger
	accs    []decode.Access
	cmds    []*decode.Command
}

func (j *jsonOutput) item(section string, v any) error {
	if j.err != nil {
		return j.err
	}
	if section != j.section {
		if j.section != "" {
			j.w.WriteString("\n  ],\n")
		}
		fmt.Fprintf(j.w, "  %q: [\n    ", section)
		j.section, j.n = section, 0
	} else {
		j.w.WriteString(",\n    ")
	}
	b, err := json.Marshal(v)
	if err != nil {
		j.err = err
		return err
	}
	_, j.err = j.w.Write(b)
	j.n++
	return j.err
}

func (j *jsonOutput) handlers(cycles, regs, commands bool) decode.Handlers {
	head, _ := json.Marshal(struct {
		Capture     string   `json:"capture"`
		Format      string   `json:"format"`
		Channels    []string `json:"channels"`
		TickSeconds float64  `json:"tick_seconds"`
	}{j.path, j.info.Format, j.info.Channels, j.info.TickSeconds})
	j.w.WriteString("{\n  \"info\": ")
	j.w.Write(head)
	j.w.WriteString(",\n")
	var h decode.Handlers
	if cycles {
		h.Cycle = func(c *decode.Cycle) error { return j.item("cycles", c) }
	}
	// A single list streams. With several, register accesses and commands
	// (far fewer than cycles) are kept and written after the cycles so that
	// each list stays one JSON array.
	streamRegs := regs && !cycles
	streamCmds := commands && !cycles && !regs
	if regs {
		j.merger = decode.NewMerger(func(a decode.Access) {
			if streamRegs {
				j.item("regs", a)
				return
			}
			j.accs = append(j.accs, a)
		})
		h.RegOp = func(o decode.RegOp) error { j.merger.Add(o); return j.err }
	}
	if commands {
		h.Command = func(c *decode.Command) error {
			if streamCmds {
				return j.item("commands", newJSONCommand(c))
			}
			j.cmds = append(j.cmds, c)
			return nil
		}
	}
	return h
}

// jsonSerIRQ adds the frame names and IRQ numbers to a SERIRQ cycle.
type jsonSerIRQ struct {
	*decode.SerIRQCycle
	Names []string `json:"names"`
	IRQs  []int    `json:"irqs"`
}

func (j *jsonOutput) serirq(c *decode.SerIRQCycle) error {
	v := jsonSerIRQ{SerIRQCycle: c, Names: []string{}, IRQs: c.IRQs()}
	if c.Asserted == nil {
		c.Asserted = []int{}
	}
	if v.IRQs == nil {
		v.IRQs = []int{}
	}
	for _, f := range c.Asserted {
		v.Names = append(v.Names, decode.FrameName(f))
	}
	return j.item("serirq", v)
}

type jsonCommand struct {
	*decode.Command
	Name   string `json:"name"`
	Params string `json:"params,omitempty"`
	Result string `json:"result"`
}

func newJSONCommand(c *decode.Command) jsonCommand {
	return jsonCommand{Command: c, Name: c.Name(), Params: c.Params(), Result: c.Result()}
}

func (j *jsonOutput) finish(st decode.Stats) error {
	if j.merger != nil {
		j.merger.Flush()
	}
	for _, a := range j.accs {
		j.item("regs", a)
	}
	for _, c := range j.cmds {
		j.item("commands", newJSONCommand(c))
	}
	if j.section != "" {
		j.w.WriteString("\n  ],\n")
	}
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	fmt.Fprintf(j.w, "  \"stats\": %s\n}\n", b)
	return errors.Join(j.err, writerErr(j.w))
}

func writerErr(w *bufio.Writer) error {
	_, err := w.Write(nil)
	return err
}

func (c *decodeCmd) runDiagnose(src decode.Source) error {
	d, err := decode.DiagnoseContext(c.e.ctx, src)
	if err != nil {
		return inputError(err)
	}
	if c.json {
		if d.Findings == nil {
			d.Findings = []decode.Finding{}
		}
		if err := writeJSON(c.e.stdout, d); err != nil {
			return benchErrorf("decode: writing output: %v", err)
		}
	} else {
		info := src.Info()
		fmt.Fprintf(c.e.stdout, "%s: %d samples, %d LCLK edges, %d cycles\n", info.Format, d.Stats.Samples, d.Stats.Clocks, d.Stats.Cycles)
		if d.OK() {
			fmt.Fprintln(c.e.stdout, "no line-level fault seen")
		}
		for _, f := range d.Findings {
			// An inconclusive finding is a suspicion the samples are too few to confirm.
			label := "FAULT"
			if f.Code == "inconclusive" {
				label = "UNSURE"
			}
			fmt.Fprintf(c.e.stdout, "%s %s\n", label, f)
		}
	}
	if !d.OK() {
		return benchFailed()
	}
	return nil
}
