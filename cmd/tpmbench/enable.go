package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"tpmbench/bringup"
	"tpmbench/tis"
)

func init() { register(newEnableCmd) }

// action is one run of a bring-up command on a probed TPM.
type action interface {
	// run acts on the TPM and prints what it did; failed means exit 1 after that report.
	run() (failed bool, err error)
	// report is what --json prints after the run.
	report() any
}

// runAction is the body of a bring-up command (enable, nv lock): it opens and probes the target
// the flags and args name, starts the run newRun makes and prints its report as JSON with
// --json. The run prints its text to out (nothing with --json) and the commands it sends to
// log (stderr with --json).
func runAction(e *env, f *targetFlags, args []string, asJSON bool, newRun func(s *probeSession, out, log io.Writer) action) error {
	opts, err := f.options(args)
	if err != nil {
		return err
	}
	out, log := e.stdout, e.stdout
	if asJSON {
		out, log = io.Discard, e.stderr
	}
	s, err := openSession(e, f, opts, log)
	if err != nil {
		return err
	}
	defer s.close()
	r := newRun(s, out, log)
	failed, err := r.run()
	if err != nil {
		return err
	}
	if asJSON {
		if err := writeJSON(e.stdout, r.report()); err != nil {
			return err
		}
	}
	if failed {
		return benchFailed()
	}
	return nil
}

// resetAndProbe asserts LRESET# on a simulated bench (TPM_Init) and probes again, which sends
// TPM_Startup(ST_CLEAR); a failed probe prints its report on stderr. It reports false on
// hardware, where only a reboot resets the TPM.
func (s *probeSession) resetAndProbe() (bool, error) {
	if s.t.sim == nil {
		return false, nil
	}
	s.t.sim.bench.Reset()
	if err := s.probe(); err != nil {
		return true, s.failed(err)
	}
	return true, nil
}

// verifyContext is the context of the flag reads that tell what took effect: it survives a
// Ctrl-C of the run itself (every wait is still bounded by the TIS timeouts).
func (s *probeSession) verifyContext() context.Context { return context.WithoutCancel(s.e.ctx) }

func (s *probeSession) device() string {
	didvid := "not read"
	if d := s.res.DIDVID; d != nil {
		didvid = fmt.Sprintf("0x%08X", uint32(*d))
	}
	return fmt.Sprintf("TPM %s: %s %s (DID_VID %s), locality %d", s.res.Family, orDash(s.res.Vendor), orDash(s.res.Device),
		didvid, s.res.Locality)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// stateJSON is the part of a TPM 1.2's flags the bring-up commands report.
type stateJSON struct {
	Enabled                      bool `json:"enabled"`
	Active                       bool `json:"active"`
	DeactivatedPermanent         bool `json:"deactivated_permanent"`
	DeactivatedSTClear           bool `json:"deactivated_stclear"`
	PhysicalPresenceCMDEnable    bool `json:"physical_presence_cmd_enable"`
	PhysicalPresenceHWEnable     bool `json:"physical_presence_hw_enable"`
	PhysicalPresenceLifetimeLock bool `json:"physical_presence_lifetime_lock"`
	PhysicalPresence             bool `json:"physical_presence"`
	PhysicalPresenceLock         bool `json:"physical_presence_lock"`
	NVLocked                     bool `json:"nv_locked"`
}

func newStateJSON(s bringup.State) *stateJSON {
	p := s.Permanent
	return &stateJSON{Enabled: s.Enabled(), Active: s.Active(), DeactivatedPermanent: p.Deactivated,
		DeactivatedSTClear: s.STClear.Deactivated, PhysicalPresenceCMDEnable: p.PhysicalPresenceCMDEnable,
		PhysicalPresenceHWEnable: p.PhysicalPresenceHWEnable, PhysicalPresenceLifetimeLock: p.PhysicalPresenceLifetimeLock,
		PhysicalPresence: s.STClear.PhysicalPresence, PhysicalPresenceLock: s.STClear.PhysicalPresenceLock,
		NVLocked: p.NVLocked}
}

func (s *stateJSON) String() string {
	return fmt.Sprintf("%s, %s; physicalPresenceCMDEnable %s, lifetime lock %s, presence %s, presence lock %s",
		pick(s.Enabled, "enabled", "disabled"), activation(s), tf(s.PhysicalPresenceCMDEnable),
		tf(s.PhysicalPresenceLifetimeLock), tf(s.PhysicalPresence), tf(s.PhysicalPresenceLock))
}

func activation(s *stateJSON) string {
	switch {
	case s.Active:
		return "active"
	case !s.DeactivatedPermanent:
		return "activated, active after the next reset"
	}
	return "deactivated"
}

func tf(b bool) string { return pick(b, "TRUE", "FALSE") }

// afterReset is what the probe after the simulated reset found.
type afterReset struct {
	Enabled bool   `json:"enabled"`
	Active  bool   `json:"active"`
	PCR0    string `json:"pcr0"`
	Startup string `json:"startup"`
}

// enableReport is the JSON of "tpmbench enable".
type enableReport struct {
	Device string     `json:"device"`
	Family string     `json:"family"`
	Before *stateJSON `json:"before"`
	DryRun bool       `json:"dry_run"`
	Notes  []string   `json:"notes"`
	// Problem is "lifetime_locked", "presence_locked" or "" when a plan could be made.
	Problem string               `json:"problem,omitempty"`
	Advice  string               `json:"advice,omitempty"`
	Steps   []bringup.StepResult `json:"steps"`
	Stopped string               `json:"stopped,omitempty"` // what stopped the run early
	After   *stateJSON           `json:"after"`
	// ResetNeeded: the TPM becomes active only after TPM_Init and TPM_Startup (swtpm_bios
	// exits 129, "TPM requires a reset", at this point).
	ResetNeeded bool        `json:"reset_needed"`
	Reset       string      `json:"reset,omitempty"` // how the reset was done, "" when not
	AfterReset  *afterReset `json:"after_reset"`
}

func newEnableCmd(e *env) *cobra.Command {
	var f targetFlags
	var dryRun, asJSON, noReset bool
	cmd := &cobra.Command{
		Use:   "enable [SCENARIO|file.yaml]",
		Short: "Enable and activate a TPM 1.2 through software physical presence",
		Long: `enable does what a TPM-aware BIOS does for a TPM 1.2 that left the factory disabled and
deactivated: TSC_PhysicalPresence(CMD_ENABLE) when command presence is not yet enabled,
TSC_PhysicalPresence(PRESENT), TPM_PhysicalEnable and TPM_PhysicalSetDeactivated(FALSE), each
only when needed. Every command is printed before it is sent; the run stops at the first TPM
error or Ctrl-C and reports which steps took effect, checked against the flags read afterwards.
None of these steps is irreversible.

Activation takes effect at the next TPM_Startup, which the TPM accepts only after TPM_Init
(LRESET#): on a simulated bench enable asserts LRESET# and probes again to confirm the TPM is
active (--no-reset stops before); on hardware, reboot or power-cycle the board, then run
"tpmbench probe".

When firmware has locked physical presence for the TPM's lifetime with command presence
disabled, no software can do this: enable says so and what to do instead. A TPM 2.0 has no
such commands; enable explains what software cannot do there.

Exit status: 0 when the TPM is (or will be after the reset) enabled and active, or nothing was
needed; 1 when a step failed or software cannot enable this TPM; 2 usage; 130 when Ctrl-C
interrupted the run (the report says which step).`,
		Args: scenarioArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAction(e, &f, args, asJSON, func(s *probeSession, out, log io.Writer) action {
				return &enableRun{s: s, out: out, log: log, dryRun: dryRun, reset: !noReset,
					rep: &enableReport{Device: s.device(), Family: s.res.Family, DryRun: dryRun}}
			})
		},
	}
	f.add(cmd.Flags())
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the commands that would be sent, send nothing")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON (the commands sent go to stderr)")
	cmd.Flags().BoolVar(&noReset, "no-reset", false, "on a simulated bench, stop where hardware needs a reboot instead of asserting LRESET#")
	return cmd
}

// enableRun is one "tpmbench enable".
type enableRun struct {
	s      *probeSession
	out    io.Writer // the report (io.Discard with --json)
	log    io.Writer // the commands as they are sent
	dryRun bool
	reset  bool
	rep    *enableReport
}

func (r *enableRun) report() any { return r.rep }

// run enables and activates the TPM; failed means exit 1 after the report.
func (r *enableRun) run() (failed bool, err error) {
	fmt.Fprintln(r.out, r.rep.Device)
	switch r.s.conn.Family() {
	case tis.Family12:
	case tis.Family20:
		return r.tpm20(), nil
	default:
		return false, benchErrorf("enable: the TPM's family is unknown; probe it first (tpmbench probe)")
	}
	st, err := bringup.ReadState(r.s.e.ctx, r.s.conn)
	if err != nil {
		return false, benchErrorf("enable: reading the flags: %v", err)
	}
	r.rep.Before = newStateJSON(st)
	fmt.Fprintf(r.out, "state: %s\n", r.rep.Before)
	plan, err := bringup.EnablePlan(st)
	if err != nil {
		r.explain(err, st)
		return true, nil
	}
	r.rep.Notes = plan.Notes
	for _, n := range plan.Notes {
		fmt.Fprintf(r.out, "note: %s\n", n)
	}
	if len(plan.Steps) == 0 && !plan.ResetNeeded {
		fmt.Fprintln(r.out, "nothing to do: the TPM is enabled and active")
		return false, nil
	}
	if len(plan.Steps) == 0 {
		r.rep.ResetNeeded = true
		if r.dryRun {
			fmt.Fprintln(r.out, "dry run: nothing to send; the TPM needs a reset (TPM_Init) to become active")
			return false, nil
		}
		return r.afterSteps()
	}
	r.printPlan(plan)
	res := (&bringup.Runner{TPM: r.s.conn, Log: r.log, DryRun: r.dryRun}).Run(r.s.e.ctx, plan)
	r.rep.Steps = res.Steps
	if r.dryRun {
		fmt.Fprintln(r.out, "dry run: nothing was sent")
		return false, nil
	}
	after, verr := bringup.ReadState(r.s.verifyContext(), r.s.conn)
	if verr == nil {
		res.Verify(after)
		r.rep.After = newStateJSON(after)
	}
	r.rep.Steps = res.Steps
	writeStepResults(r.out, res.Steps)
	if verr != nil {
		fmt.Fprintf(r.out, "the flags could not be read back to verify the steps: %v\n", verr)
	}
	if res.Err != nil || !res.Done() {
		r.rep.Stopped = stopReason(res)
		fmt.Fprintf(r.out, "stopped: %s\n", r.rep.Stopped)
		if r.rep.After != nil {
			fmt.Fprintf(r.out, "state now: %s\n", r.rep.After)
		}
		return true, nil
	}
	fmt.Fprintf(r.out, "state now: %s\n", r.rep.After)
	r.rep.ResetNeeded = !after.Active()
	if !r.rep.ResetNeeded {
		return false, nil
	}
	return r.afterSteps()
}

// afterSteps handles the reset that activation needs.
func (r *enableRun) afterSteps() (bool, error) {
	fmt.Fprintln(r.out, "TPM requires a reset: TPM_STCLEAR_FLAGS.deactivated stays TRUE until TPM_Init (LRESET#) and TPM_Startup(ST_CLEAR)")
	if !r.reset || r.s.t.sim == nil {
		fmt.Fprintln(r.out, "next: reboot or power-cycle the board (LRESET#), then run \"tpmbench probe\" to confirm the TPM is active")
		return false, nil
	}
	fmt.Fprintln(r.out, "reset: asserting LRESET# on the simulated bench (TPM_Init), then probing again")
	r.rep.Reset = "LRESET# on the simulated bench"
	if _, err := r.s.resetAndProbe(); err != nil {
		return false, err
	}
	rep := r.s.res.Report
	ar := &afterReset{Enabled: rep.Enabled != nil && *rep.Enabled, Active: rep.Active != nil && *rep.Active, PCR0: rep.PCR0}
	if rep.Startup != nil {
		ar.Startup = rep.Startup.Command + ": " + rep.Startup.Result
	}
	r.rep.AfterReset = ar
	fmt.Fprintf(r.out, "after the reset: startup %s; enabled %s, active %s, PCR 0 %s\n", ar.Startup,
		pick(ar.Enabled, "yes", "no"), pick(ar.Active, "yes", "no"), ar.PCR0)
	if !ar.Enabled || !ar.Active {
		fmt.Fprintln(r.out, "the TPM is still not enabled and active after the reset")
		return true, nil
	}
	fmt.Fprintln(r.out, "the TPM is enabled and active")
	return false, nil
}

func (r *enableRun) printPlan(p bringup.Plan) {
	verb := "will send"
	if r.dryRun {
		verb = "would send"
	}
	fmt.Fprintf(r.out, "plan: %d step(s), none irreversible; %s:\n", len(p.Steps), verb)
	for i, st := range p.Steps {
		fmt.Fprintf(r.out, "  %d. %-34s %s\n", i+1, st.Name, st.Effect)
	}
}

// explain reports why no plan could be made: software cannot assert physical presence.
func (r *enableRun) explain(err error, st bringup.State) {
	var advice string
	switch {
	case errors.Is(err, bringup.ErrLifetimeLocked):
		r.rep.Problem = "lifetime_locked"
		advice = "Software cannot assert physical presence on this TPM, now or ever: physicalPresenceLifetimeLock is TRUE " +
			"and physicalPresenceCMDEnable is FALSE, so TSC_PhysicalPresence(PRESENT) is refused (TPM_BAD_PARAMETER) and " +
			"TPM_PhysicalEnable and TPM_PhysicalSetDeactivated answer TPM_BAD_PRESENCE. Instead: enable and activate the TPM " +
			"in the firmware (BIOS) setup, which asserts presence before it locks it. "
		if st.Permanent.PhysicalPresenceHWEnable {
			advice += "Or, since physicalPresenceHWEnable is TRUE, assert the module's hardware physical-presence pin " +
				"while sending TPM_PhysicalEnable and TPM_PhysicalSetDeactivated(FALSE)."
		} else {
			advice += "A hardware physical-presence pin does not help either: physicalPresenceHWEnable is FALSE. " +
				"Without TPM-aware firmware this module cannot be enabled: use another one."
		}
	case errors.Is(err, bringup.ErrPresenceLocked):
		r.rep.Problem = "presence_locked"
		advice = "Physical presence was locked for this boot (TPM_STCLEAR_FLAGS.physicalPresenceLock is TRUE): firmware " +
			"sent TSC_PhysicalPresence(LOCK). It clears at the next TPM_Init: reset the board and run enable before " +
			"anything locks presence again, or enable the TPM in the firmware setup."
	default:
		advice = err.Error()
	}
	r.rep.Advice = advice
	fmt.Fprintf(r.out, "cannot enable: %v\n", err)
	writeWrapped(r.out, advice)
}

// tpm20 explains what software cannot do on a TPM 2.0 and shows the hierarchies' state.
func (r *enableRun) tpm20() bool {
	r.rep.Problem = "tpm20"
	r.rep.Advice = "A TPM 2.0 has no TPM_PhysicalEnable or TPM_PhysicalSetDeactivated and no disabled or deactivated " +
		"state that outlives a reset: TPM2_Startup(CLEAR) enables the platform, storage and endorsement hierarchies " +
		"(phEnable, shEnable, ehEnable in TPM_PT_STARTUP_CLEAR). Only platform firmware turns them off, with " +
		"TPM2_HierarchyControl under platform authorization, and once it has cleared phEnable nothing can set a " +
		"hierarchy again before the next reset. Physical-presence requests (the PPI: enable, clear) are handed to the " +
		"firmware through ACPI and carried out by it at the next boot; without TPM-aware firmware they have no path. " +
		"So there is nothing for this tool to send."
	fmt.Fprintln(r.out, "nothing to send on a TPM 2.0:")
	writeWrapped(r.out, r.rep.Advice)
	allOn := true
	var parts []string
	for _, fl := range r.s.res.VolatileFlags {
		if fl.Name == "phEnable" || fl.Name == "shEnable" || fl.Name == "ehEnable" {
			parts = append(parts, fmt.Sprintf("%s %s", fl.Name, pick(fl.Value, "yes", "no")))
			allOn = allOn && fl.Value
		}
	}
	if len(parts) == 0 {
		fmt.Fprintln(r.out, "hierarchies: the probe could not read TPM_PT_STARTUP_CLEAR")
		return true
	}
	fmt.Fprintf(r.out, "hierarchies now: %s\n", strings.Join(parts, ", "))
	if !allOn {
		fmt.Fprintln(r.out, "a hierarchy is disabled: firmware turned it off during this boot; reset the board without that firmware step")
	}
	return !allOn
}

// writeStepResults prints what became of each step.
func writeStepResults(w io.Writer, steps []bringup.StepResult) {
	fmt.Fprintln(w, "result:")
	for i, s := range steps {
		fmt.Fprintf(w, "  %d. %-34s %s\n", i+1, s.Name, describeOutcome(s))
	}
}

func describeOutcome(s bringup.StepResult) string {
	v := s.Verified
	switch s.Status {
	case bringup.StatusDone:
		switch {
		case v == nil:
			return "took effect (" + s.Response + ")"
		case *v:
			return "took effect (" + s.Response + ", confirmed by the flags)"
		}
		return "the TPM answered " + s.Response + " but the flags do not show the effect"
	case bringup.StatusRefused:
		return "refused by the TPM: " + s.Response + "; no effect"
	case bringup.StatusNoAnswer:
		switch {
		case v == nil:
			return "sent, no answer: whether it took effect is unknown"
		case *v:
			return "sent, no answer; the flags show it took effect"
		}
		return "sent, no answer; the flags show it did not take effect"
	case bringup.StatusDryRun:
		return "not sent (dry run)"
	}
	return "not sent"
}

func stopReason(res bringup.Result) string {
	if res.Err != nil {
		return res.Err.Error()
	}
	return "a step's effect does not show in the flags"
}

// writeWrapped prints a paragraph indented, wrapped at about 100 columns.
func writeWrapped(w io.Writer, text string) {
	line := " "
	for _, word := range strings.Fields(text) {
		if len(line)+1+len(word) > 100 {
			fmt.Fprintln(w, line)
			line = " "
		}
		line += " " + word
	}
	if strings.TrimSpace(line) != "" {
		fmt.Fprintln(w, line)
	}
}
