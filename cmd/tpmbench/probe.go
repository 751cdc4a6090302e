package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"tpmbench/boards"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"tpmbench/lpcsim"
	"tpmbench/lpcsim/scenario"
	"tpmbench/tis"
	"tpmbench/tis/devmem"
)

func init() { register(newProbeCmd) }

// targetFlags choose what to probe and how; probe, version, flags and the nv commands share them.
type targetFlags struct {
	sim          string
	mmio         bool
	force        bool
	locality     int
	startup      string
	traceRegs    bool
	timeoutScale float64
	faultSpecs   []string       // --fault, as given
	faults       []lpcsim.Fault // --fault, parsed by options
}

func (f *targetFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&f.sim, "sim", "", "probe a simulated bench: a built-in scenario name or a scenario YAML file (default: the reference apu1d bench)")
	fs.Lookup("sim").NoOptDefVal = defaultScenario
	fs.BoolVar(&f.mmio, "mmio", false, "probe real hardware: map 0xFED40000-0xFED44FFF from /dev/mem (root, no TPM driver bound)")
	fs.BoolVar(&f.force, "force", false, "with --mmio: map the window even though a kernel TPM driver seems to own it")
	fs.IntVar(&f.locality, "locality", 0, "TIS locality to request (0-3; 4 belongs to the chipset)")
	fs.StringVar(&f.startup, "startup", "auto", "when to send TPM_Startup: auto (only if the TPM asks, as Linux), always, never")
	fs.BoolVar(&f.traceRegs, "trace-regs", false, "log every register access")
	fs.Float64Var(&f.timeoutScale, "timeout-scale", 1, "multiply every TIS timeout and command duration (slow bridges), 0.01 to 1000")
	addFaultFlag(fs, &f.faultSpecs)
}

// options checks the flags and the optional positional scenario argument.
func (f *targetFlags) options(args []string) (tis.Options, error) {
	if len(args) > 0 {
		if f.mmio {
			return tis.Options{}, usageErrorf("a scenario argument (%q) makes no sense with --mmio", args[0])
		}
		f.sim = args[0]
	}
	if f.mmio && f.sim != "" {
		return tis.Options{}, usageErrorf("--sim and --mmio exclude each other")
	}
	if f.force && !f.mmio {
		return tis.Options{}, usageErrorf("--force only applies to --mmio")
	}
	if f.mmio && len(f.faultSpecs) > 0 {
		return tis.Options{}, usageErrorf("--fault injects faults into a simulated bench; it makes no sense with --mmio")
	}
	faults, err := parseFaults(f.faultSpecs)
	if err != nil {
		return tis.Options{}, err
	}
	f.faults = faults
	if f.locality == tis.Localities-1 {
		return tis.Options{}, usageErrorf("--locality %d: locality 4 is reserved for the chipset's dynamic root of trust (Intel TXT, AMD SKINIT) and the TPM ignores software writes there; want 0-3", f.locality)
	}
	if f.locality < 0 || f.locality >= tis.Localities {
		return tis.Options{}, usageErrorf("--locality %d: want 0-3", f.locality)
	}
	if f.timeoutScale == 0 || tis.CheckTimeoutScale(f.timeoutScale) != nil {
		return tis.Options{}, usageErrorf("--timeout-scale %g: want a factor from %g to %g", f.timeoutScale, float64(tis.MinTimeoutScale), float64(tis.MaxTimeoutScale))
	}
	pol, err := tis.ParseStartupPolicy(f.startup)
	if err != nil {
		return tis.Options{}, usageErrorf("--startup %q: want auto, always or never", f.startup)
	}
	if f.sim == "" && !f.mmio {
		f.sim = defaultScenario
	}
	return tis.Options{Locality: f.locality, Startup: pol, TimeoutScale: f.timeoutScale}, nil
}

// target is an opened register window: simulated or mapped.
type target struct {
	bus   tis.Bus
	sim   *simTarget // nil for --mmio
	close func() error
}

// openTarget opens the bench the flags name. Errors are usage errors for a bad scenario and
// bench errors for hardware that cannot be mapped.
func openTarget(e *env, f *targetFlags) (*target, error) {
	if f.mmio {
		w, err := devmem.Open(devmem.HostSystem(), f.force)
		if err != nil {
			return nil, benchErrorf("%v", err)
		}
		return &target{bus: w, close: w.Close}, nil
	}
	s, err := openSim(e, f.sim, f.faults)
	if err != nil {
		return nil, err
	}
	return &target{bus: s.bus, sim: s, close: s.close}, nil
}

// probeResult is what a probe command prints as JSON: the report and, on the simulator, the
// simulated bus time.
type probeResult struct {
	*tis.Report
	Sim *simStats `json:"sim,omitempty"`
}

// probeSession is an opened target and the latest probe of it: what probe, version, nv and the
// bring-up commands act on.
type probeSession struct {
	e    *env
	t    *target
	bus  tis.Bus // t.bus, behind a register trace with --trace-regs
	opts tis.Options
	conn *tis.Conn    // nil when the probe failed
	res  *probeResult // never nil
}

// runProbe opens the target the flags name and probes it. It returns a nil session only when
// the target could not be opened; otherwise the error is the probe's and the session holds its
// report (and no connection when it failed). trace receives the register trace when
// --trace-regs is set; log the kernel-style lines. The caller closes the session.
func runProbe(e *env, f *targetFlags, opts tis.Options, log, trace io.Writer) (*probeSession, error) {
	t, err := openTarget(e, f)
	if err != nil {
		return nil, err
	}
	opts.Log = log
	s := &probeSession{e: e, t: t, bus: t.bus, opts: opts}
	if f.traceRegs {
		s.bus = tis.TraceBus{Bus: t.bus, W: trace}
	}
	return s, s.probe()
}

// probe probes the session's bus again, replacing the connection and the result.
func (s *probeSession) probe() error {
	var start simStats
	if s.t.sim != nil {
		start = s.t.sim.stats()
	}
	conn, rep, err := tis.Probe(s.e.ctx, s.bus, s.opts)
	s.conn, s.res = conn, &probeResult{Report: rep}
	if s.t.sim != nil {
		st := s.t.sim.stats().since(start)
		s.res.Sim = &st
	}
	return err
}

// failed prints the report and diagnosis of a failed probe on stderr and returns the exit
// error for it.
func (s *probeSession) failed(err error) error {
	if errors.Is(err, context.Canceled) {
		return interruptedError(err)
	}
	s.res.WriteText(s.e.stderr)
	fmt.Fprintf(s.e.stderr, "tpmbench: probe failed: %v\n", err)
	return benchFailed()
}

// close releases the locality and closes the target.
func (s *probeSession) close() {
	if s.conn != nil {
		_ = s.conn.Release()
	}
	_ = s.t.close()
}

// openSession opens the target the flags name and probes it quietly, for commands that act on
// a working TPM. A failed probe prints its report and diagnosis on stderr (see failed).
func openSession(e *env, f *targetFlags, opts tis.Options, trace io.Writer) (*probeSession, error) {
	s, err := runProbe(e, f, opts, io.Discard, trace)
	if s == nil {
		return nil, err
	}
	if err != nil {
		defer s.close()
		return nil, s.failed(err)
	}
	return s, nil
}

func newProbeCmd(e *env) *cobra.Command {
	var f targetFlags
	var asJSON, list bool
	cmd := &cobra.Command{
		Use:   "probe [SCENARIO|file.yaml]",
		Short: "Force-probe the TPM at 0xFED40000, polling, with an explicit TPM_Startup",
		Long: `probe does what "modprobe tpm_tis force=1 interrupts=0" does, without a kernel driver:
it reads DID_VID, waits for TPM_ACCESS to be valid, requests the locality, turns interrupts off,
tells TPM 1.2 from 2.0, sends TPM_Startup when the TPM needs it (--startup), runs the self-test,
reads PCR 0 (disabled/deactivated), the version, the flags and the NV indices.

By default it probes the simulated reference bench (apu1d + Asus module, SLB9635 in factory
state). --sim NAME or a scenario file probes another simulated bench (--list names the built-in
ones), --fault SPEC adds a wiring fault to it (repeatable); --mmio probes real hardware.

Exit status: 0 when a TPM answered and the probe completed (its state, enabled or not, is in the
report); 1 when no TPM answered or the probe could not complete, with a diagnosis; 2 usage.`,
		Args: scenarioArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			if list {
				return listScenarios(e.stdout)
			}
			opts, err := f.options(args)
			if err != nil {
				return err
			}
			log, trace := e.stdout, e.stdout
			if asJSON {
				log, trace = io.Discard, e.stderr
			}
			s, perr := runProbe(e, &f, opts, log, trace)
			if s == nil {
				return perr
			}
			defer s.close()
			res := s.res
			if asJSON {
				if err := writeJSON(e.stdout, res); err != nil {
					return err
				}
			} else {
				fmt.Fprintln(e.stdout)
				res.WriteText(e.stdout)
				if res.Sim != nil {
					fmt.Fprintf(e.stdout, "simulated bus time: %v (%d LCLK, %d LPC cycles, %d aborted; scenario %s, host profile %s)\n",
						res.Sim.BusTime(), res.Sim.Clocks, res.Sim.Cycles, res.Sim.Aborts, res.Sim.Scenario, res.Sim.Host)
					if res.Sim.HostNote != "" {
						fmt.Fprintf(e.stdout, "note: %s\n", res.Sim.HostNote)
					}
					if len(res.Sim.Faults) > 0 {
						fmt.Fprintf(e.stdout, "injected faults: %s\n", strings.Join(res.Sim.Faults, "; "))
					}
				}
			}
			if errors.Is(perr, context.Canceled) {
				return interruptedError(perr)
			}
			if perr != nil {
				if !asJSON {
					fmt.Fprintf(e.stderr, "tpmbench: probe failed: %v\n", perr)
				}
				return benchFailed()
			}
			return nil
		},
	}
	f.add(cmd.Flags())
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON (stable field names, the same for TPM 1.2 and 2.0)")
	cmd.Flags().BoolVar(&list, "list", false, "list the built-in scenarios (as sim --list) and exit")
	return cmd
}

// simStats is the simulated bus activity of one probe.
type simStats struct {
	Scenario string `json:"scenario"`
	Clocks   uint64 `json:"lclk"`
	Cycles   uint64 `json:"lpc_cycles"`
	Aborts   uint64 `json:"aborted_cycles"`
	TimePS   uint64 `json:"bus_time_ps"`
	Host     string `json:"host_profile"`
	// HostNote says what the host-bridge profile does to TPM cycles when that matters.
	HostNote string `json:"host_note,omitempty"`
	// Faults are the bench's faults (the scenario's and --fault's) in --fault form.
	Faults []string `json:"faults,omitempty"`
}

// BusTime returns the simulated bus time.
func (s simStats) BusTime() time.Duration { return time.Duration(s.TimePS / 1000) }

func (s simStats) since(start simStats) simStats {
	return simStats{Scenario: s.Scenario, Clocks: s.Clocks - start.Clocks, Cycles: s.Cycles - start.Cycles,
		Aborts: s.Aborts - start.Aborts, TimePS: s.TimePS - start.TimePS, Host: s.Host, HostNote: s.HostNote, Faults: s.Faults}
}

// writeJSON prints v as indented JSON, the form of every --json output.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// defaultScenario is the simulated bench probed when no target is given: the reference bench.
const defaultScenario = "default"

// simTarget is a simulated bench opened for a probe.
type simTarget struct {
	name  string
	bench *lpcsim.Bench
	bus   tis.Bus
}

// openSim builds the bench of a built-in scenario (by name) or of a scenario file (a name
// ending in .yaml or .yml, or a path), with extra faults, from the pinout database with the
// user's --boards files.
func openSim(e *env, name string, faults []lpcsim.Fault) (*simTarget, error) {
	s, err := loadScenario(name, faults, e.stderr)
	if err != nil {
		return nil, err
	}
	db, err := boards.Open(e.boardsDir)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	b, err := scenario.BuildWith(s, scenario.Options{Boards: db, Context: e.ctx})
	if err != nil {
		return nil, buildError(err)
	}
	return &simTarget{name: s.Name, bench: b, bus: b.Host}, nil
}

func (s *simTarget) stats() simStats {
	h := s.bench.Host.Stats()
	prof := s.bench.Host.Profile()
	st := simStats{Scenario: s.name, Clocks: h.Clocks, Cycles: h.Cycles, Aborts: h.Aborts, TimePS: s.bench.Time(), Host: prof.Name}
	for _, f := range s.bench.Faults {
		st.Faults = append(st.Faults, f.String())
	}
	if !prof.TPMCycles {
		st.HostNote = fmt.Sprintf("host profile %s forwards 0xFED40000-0xFED44FFF as plain memory cycles, which a TPM ignores", prof.Name)
		if prof.Hypothesis {
			st.HostNote += " (a hypothesis, not documented chipset behaviour)"
		}
	}
	return st
}

// close stops the engine behind the bench when it holds a process (swtpm).
func (s *simTarget) close() error { return s.bench.Close() }
