package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"tpmbench/boards"
	"tpmbench/lpcsim"
	"tpmbench/lpcsim/scenario"
	"tpmbench/lpcsim/tisdev"
	"tpmbench/tis"
	"tpmbench/tpm"
)

func init() { register(newSimCmd) }

// simCmd runs a short scripted workload on a simulated bench.
type simCmd struct {
	e      *env
	vcd    string
	cycles bool
	regs   bool
	list   bool
	faults []string // --fault specifications
}

func newSimCmd(e *env) *cobra.Command {
	c := &simCmd{e: e}
	cmd := &cobra.Command{
		Use:   "sim [SCENARIO|file.yaml]",
		Short: "Run a short workload on a simulated LPC bench and print what the bus did",
		Long: `sim builds a simulated bench (board, TPM module, wiring, faults, TPM personality and engine,
host-bridge profile) from a built-in scenario or a scenario file, then reads DID_VID, RID and
ACCESS and sends one TPM_GetCapability through the FIFO. It prints what the scenario is, the
results, bus statistics, and on request the cycle log, the register log and a VCD waveform
(33.33 MHz LCLK, for GTKWave, PulseView or sigrok-cli -I vcd).

Exit status 1 when the simulated TPM does not answer (the bench in the scenario is not right).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			return c.run(name)
		},
	}
	cmd.Flags().StringVar(&c.vcd, "vcd", "", "write a VCD waveform of every line to `FILE`")
	cmd.Flags().BoolVar(&c.cycles, "cycles", false, "print the cycle log (one line per LPC cycle)")
	cmd.Flags().BoolVar(&c.regs, "regs", false, "print the register-access log (TIS register names)")
	cmd.Flags().BoolVar(&c.list, "list", false, "list the built-in scenarios and exit")
	addFaultFlag(cmd.Flags(), &c.faults)
	return cmd
}

func (c *simCmd) run(name string) error {
	out := c.e.stdout
	if c.list {
		return listScenarios(out)
	}
	faults, err := parseFaults(c.faults)
	if err != nil {
		return err
	}
	s, err := loadScenario(name, faults)
	if err != nil {
		return err
	}
	db, err := boards.Open(c.e.boardsDir)
	if err != nil {
		return usageErrorf("%v", err)
	}
	bench, err := scenario.BuildWith(s, scenario.Options{Boards: db, Context: c.e.ctx})
	if err != nil {
		return buildError(err)
	}
	defer bench.Close() //nolint:errcheck // stopping a swtpm engine; the run's result is what matters
	c.describe(out, s, bench)

	var cycLog, regLog bytes.Buffer
	if c.cycles {
		bench.SetCycleLog(&cycLog)
	}
	if c.regs {
		bench.SetRegLog(&regLog)
	}
	var vcd *lpcsim.VCD
	if c.vcd != "" {
		f, err := os.Create(c.vcd)
		if err != nil {
			return usageErrorf("sim: %v", err)
		}
		defer f.Close()
		vcd = bench.AttachVCD(f)
	}
	ok := c.workload(out, s, bench)
	st := bench.Host.Stats()
	fmt.Fprintf(out, "bus: %d clocks (%.1f µs at 33.33 MHz), %d cycles, %d aborted, %d error SYNCs, %d wait states\n",
		st.Clocks, float64(bench.Time())/1e6, st.Cycles, st.Aborts, st.ErrorSyncs, st.Waits)
	if vcd != nil {
		if err := vcd.Close(); err != nil {
			return benchErrorf("%v", err)
		}
		fmt.Fprintf(out, "waveform: %s\n", c.vcd)
	}
	c.section(out, "cycle log", &cycLog, c.cycles)
	c.section(out, "register log", &regLog, c.regs)
	if !ok {
		return benchFailed()
	}
	return nil
}

func (c *simCmd) section(out io.Writer, title string, b *bytes.Buffer, on bool) {
	if on {
		fmt.Fprintf(out, "\n%s:\n%s", title, b.String())
	}
}

// describe says what the scenario is, including any host-profile hypothesis.
func (c *simCmd) describe(out io.Writer, s *scenario.Scenario, b *lpcsim.Bench) {
	fmt.Fprintf(out, "scenario %s: %s\n", s.Name, s.Description)
	fmt.Fprintf(out, "bench: board %s, module %s, personality %s, engine %s (%s)\n", s.Board, s.Module, s.Personality, s.Engine, s.State)
	p := b.Host.Profile()
	fmt.Fprintf(out, "host: %s — %s\n", p.Name, p.Doc)
	if p.Hypothesis {
		fmt.Fprintf(out, "NOTE: the %s host profile models a HYPOTHESIS, not a confirmed fact.\n", p.Name)
	}
	c.describeWiring(out, s, b)
	if len(b.Faults) == 0 {
		fmt.Fprintln(out, "faults: none")
	}
	for _, f := range b.Faults {
		fmt.Fprintf(out, "fault: %s (%s)\n", f, f.Describe())
	}
	if !b.Powered() {
		fmt.Fprintf(out, "module power: DEAD — %s\n", b.Dead())
	}
}

// describeWiring says where the wiring came from and names every wire that
// joins two different signals (a supply pin fed from another rail aside).
func (c *simCmd) describeWiring(out io.Writer, s *scenario.Scenario, b *lpcsim.Bench) {
	from := "generated"
	switch {
	case s.WiringFile != "":
		from = "from " + s.WiringFile
	case len(s.Wires) > 0:
		from = "by pin list"
	}
	fmt.Fprintf(out, "wiring: %s, %d wires\n", from, len(b.Wires))
	for _, w := range b.Wires {
		if w.Board != w.Module && (w.Board.IsLine() || w.Module.IsLine()) {
			fmt.Fprintf(out, "wire: board %s -> module %s (crossed)\n", w.Board, w.Module)
		}
	}
}

// workload reads the identity registers and sends one GetCapability; it
// reports whether the TPM answered.
func (c *simCmd) workload(out io.Writer, s *scenario.Scenario, b *lpcsim.Bench) bool {
	h := b.Host
	didvid, _ := h.Read32(0xF00)
	rid, _ := h.Read8(0xF04)
	access, _ := h.Read8(0x000)
	fmt.Fprintf(out, "DID_VID 0x%08x  RID 0x%02x  ACCESS_0 0x%02x\n", didvid, rid, access)
	if didvid == 0xFFFFFFFF || didvid == 0 {
		fmt.Fprintln(out, "no TPM answers: DID_VID reads all-ones or zero")
		return false
	}
	pers, err := tisdev.PersonalityByName(s.Personality)
	if err != nil {
		fmt.Fprintf(out, "personality: %v\n", err)
		return false
	}
	family, cmd := tis.Family12, tpm.GetCapVersionVal()
	what := "TPM_GetCapability(TPM_CAP_VERSION_VAL)"
	if pers.Family == tisdev.Family20 {
		family, cmd = tis.Family20, tpm.GetCapability2(tpm.Cap2TPMProperties, 0x105, 1)
		what = "TPM2_GetCapability(TPM_PROPERTIES, PT_MANUFACTURER)"
	}
	conn, err := tis.Open(c.e.ctx, h, 0, family)
	if err != nil {
		fmt.Fprintf(out, "%s: %v\n", what, err)
		return false
	}
	defer conn.Release() //nolint:errcheck // the bench is discarded afterwards
	rsp, err := conn.Send(cmd)
	if err != nil {
		fmt.Fprintf(out, "%s: %v\n", what, err)
		return false
	}
	r, err := tpm.ParseResponse(rsp)
	if err != nil {
		fmt.Fprintf(out, "%s: bad response % x: %v\n", what, rsp, err)
		return false
	}
	name := tpm.RC(r.Code).String()
	if family == tis.Family20 {
		name = fmt.Sprintf("%s (0x%X)", tpm.RC2(r.Code).Name(), r.Code)
	}
	fmt.Fprintf(out, "%s: %d-byte response, return code %s\n", what, len(rsp), name)
	return true
}
