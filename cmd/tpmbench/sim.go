package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

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
	json   bool
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
(33.33 MHz LCLK, for GTKWave, PulseView or sigrok-cli -I vcd). --fault SPEC adds a fault to the
scenario's own (repeatable); --list names the built-in scenarios.

Exit status 1 when the simulated TPM does not answer (the bench in the scenario is not right).`,
		Args: scenarioArg,
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
	cmd.Flags().BoolVar(&c.json, "json", false, "print JSON: the bench, the results and the bus statistics (the \"sim\" member of probe --json), with the logs as lists of lines")
	return cmd
}

// simReport is what sim found; --json prints it with these names.
type simReport struct {
	Description string   `json:"description"`
	Board       string   `json:"board"`
	Module      string   `json:"module"`
	Personality string   `json:"personality"`
	Engine      string   `json:"engine"`
	State       string   `json:"state"`
	HostDoc     string   `json:"host_doc"`
	Hypothesis  bool     `json:"host_hypothesis"`
	Wiring      string   `json:"wiring"` // generated, by pin list, or from FILE
	Wires       int      `json:"wires"`
	Crossed     []string `json:"crossed_wires"` // wires that join two different signals
	Powered     bool     `json:"powered"`
	Dead        string   `json:"dead,omitempty"` // why the module is unpowered

	DIDVID     tis.Hex32 `json:"did_vid"`
	RevisionID int       `json:"revision_id"`
	Access     tis.Hex32 `json:"access"`
	Answered   bool      `json:"answered"` // the TPM answered the command
	Command    string    `json:"command,omitempty"`
	Response   int       `json:"response_bytes,omitempty"`
	ReturnCode string    `json:"return_code,omitempty"`
	Problem    string    `json:"problem,omitempty"` // why the workload stopped

	Bus         simStats `json:"sim"`
	ErrorSyncs  uint64   `json:"error_syncs"`
	WaitStates  uint64   `json:"wait_states"`
	Waveform    string   `json:"waveform,omitempty"`
	CycleLog    []string `json:"cycle_log,omitempty"`
	RegisterLog []string `json:"register_log,omitempty"`
}

func (c *simCmd) run(name string) error {
	if c.list {
		return listScenarios(c.e.stdout)
	}
	faults, err := parseFaults(c.faults)
	if err != nil {
		return err
	}
	s, err := loadScenario(name, faults, c.e.stderr)
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
	r := c.describe(s, bench)

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
			return usageErrorf("--vcd: %v", err)
		}
		defer f.Close()
		vcd = bench.AttachVCD(f)
	}
	c.workload(r, s, bench)
	st := bench.Host.Stats()
	r.Bus = (&simTarget{name: s.Name, bench: bench}).stats()
	r.ErrorSyncs, r.WaitStates = st.ErrorSyncs, st.Waits
	if vcd != nil {
		if err := vcd.Close(); err != nil {
			return benchErrorf("--vcd %s: %v", c.vcd, err)
		}
		r.Waveform = c.vcd
	}
	r.CycleLog, r.RegisterLog = lines(&cycLog), lines(&regLog)
	if c.json {
		if err := writeJSON(c.e.stdout, r); err != nil {
			return benchErrorf("sim: writing JSON: %v", err)
		}
	} else {
		c.writeText(c.e.stdout, bench.Faults, r)
	}
	if !r.Answered {
		return benchFailed()
	}
	return nil
}

// lines splits a log into its lines; nil when it is empty.
func lines(b *bytes.Buffer) []string {
	if b.Len() == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
}

// writeText prints the report for a person.
func (c *simCmd) writeText(out io.Writer, faults []lpcsim.Fault, r *simReport) {
	fmt.Fprintf(out, "scenario %s: %s\n", r.Bus.Scenario, r.Description)
	fmt.Fprintf(out, "bench: board %s, module %s, personality %s, engine %s (%s)\n", r.Board, r.Module, r.Personality, r.Engine, r.State)
	fmt.Fprintf(out, "host: %s — %s\n", r.Bus.Host, r.HostDoc)
	if r.Hypothesis {
		fmt.Fprintf(out, "NOTE: the %s host profile models a HYPOTHESIS, not a confirmed fact.\n", r.Bus.Host)
	}
	fmt.Fprintf(out, "wiring: %s, %d wires\n", r.Wiring, r.Wires)
	for _, w := range r.Crossed {
		fmt.Fprintf(out, "wire: %s (crossed)\n", w)
	}
	if len(faults) == 0 {
		fmt.Fprintln(out, "faults: none")
	}
	for _, f := range faults {
		fmt.Fprintf(out, "fault: %s (%s)\n", f, f.Describe())
	}
	if !r.Powered {
		fmt.Fprintf(out, "module power: DEAD — %s\n", r.Dead)
	}
	fmt.Fprintf(out, "DID_VID 0x%08x  RID 0x%02x  ACCESS_0 0x%02x\n", uint32(r.DIDVID), r.RevisionID, uint32(r.Access))
	switch {
	case r.Answered:
		fmt.Fprintf(out, "%s: %d-byte response, return code %s\n", r.Command, r.Response, r.ReturnCode)
	case r.Command != "":
		fmt.Fprintf(out, "%s: %s\n", r.Command, r.Problem)
	default:
		fmt.Fprintln(out, r.Problem)
	}
	b := r.Bus
	fmt.Fprintf(out, "bus: %d clocks (%.1f µs at 33.33 MHz), %d cycles, %d aborted, %d error SYNCs, %d wait states\n",
		b.Clocks, float64(b.TimePS)/1e6, b.Cycles, b.Aborts, r.ErrorSyncs, r.WaitStates)
	if r.Waveform != "" {
		fmt.Fprintf(out, "waveform: %s\n", r.Waveform)
	}
	section(out, "cycle log", r.CycleLog, c.cycles)
	section(out, "register log", r.RegisterLog, c.regs)
}

func section(out io.Writer, title string, lines []string, on bool) {
	if on {
		fmt.Fprintf(out, "\n%s:\n", title)
		for _, l := range lines {
			fmt.Fprintln(out, l)
		}
	}
}

// describe says what the scenario is: the bench, the host profile (a hypothesis or not), where
// the wiring came from and every wire that joins two different signals (a supply pin fed from
// another rail aside).
func (c *simCmd) describe(s *scenario.Scenario, b *lpcsim.Bench) *simReport {
	p := b.Host.Profile()
	r := &simReport{Description: s.Description, Board: s.Board, Module: s.Module, Personality: s.Personality,
		Engine: s.Engine, State: s.State, HostDoc: p.Doc, Hypothesis: p.Hypothesis, Wiring: "generated",
		Wires: len(b.Wires), Crossed: []string{}, Powered: b.Powered(), Dead: b.Dead()}
	switch {
	case s.WiringFile != "":
		r.Wiring = "from " + s.WiringFile
	case len(s.Wires) > 0:
		r.Wiring = "by pin list"
	}
	for _, w := range b.Wires {
		if w.Board != w.Module && (w.Board.IsLine() || w.Module.IsLine()) {
			r.Crossed = append(r.Crossed, fmt.Sprintf("board %s -> module %s", w.Board, w.Module))
		}
	}
	return r
}

// workload reads the identity registers and sends one GetCapability; r.Answered says whether
// the TPM answered it.
func (c *simCmd) workload(r *simReport, s *scenario.Scenario, b *lpcsim.Bench) {
	h := b.Host
	didvid, _ := h.Read32(0xF00)
	rid, _ := h.Read8(0xF04)
	access, _ := h.Read8(0x000)
	r.DIDVID, r.RevisionID, r.Access = tis.Hex32(didvid), int(rid), tis.Hex32(access)
	if didvid == 0xFFFFFFFF || didvid == 0 {
		r.Problem = "no TPM answers: DID_VID reads all-ones or zero"
		return
	}
	pers, err := tisdev.PersonalityByName(s.Personality)
	if err != nil {
		r.Problem = fmt.Sprintf("personality: %v", err)
		return
	}
	family, cmd := tis.Family12, tpm.GetCapVersionVal()
	r.Command = "TPM_GetCapability(TPM_CAP_VERSION_VAL)"
	if pers.Family == tisdev.Family20 {
		family, cmd = tis.Family20, tpm.GetCapability2(tpm.Cap2TPMProperties, 0x105, 1)
		r.Command = "TPM2_GetCapability(TPM_PROPERTIES, PT_MANUFACTURER)"
	}
	conn, err := tis.Open(c.e.ctx, h, 0, family)
	if err != nil {
		r.Problem = err.Error()
		return
	}
	defer conn.Release() //nolint:errcheck // the bench is discarded afterwards
	rsp, err := conn.Send(cmd)
	if err != nil {
		r.Problem = err.Error()
		return
	}
	parsed, err := tpm.ParseResponse(rsp)
	if err != nil {
		r.Problem = fmt.Sprintf("bad response % x: %v", rsp, err)
		return
	}
	r.Answered, r.Response = true, len(rsp)
	r.ReturnCode = tpm.RC(parsed.Code).String()
	if family == tis.Family20 {
		r.ReturnCode = fmt.Sprintf("%s (0x%X)", tpm.RC2(parsed.Code).Name(), parsed.Code)
	}
}
