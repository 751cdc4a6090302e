package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"tpmbench/bringup"
	"tpmbench/tis"
)

// "lock" joins the nv command through the list nv.go provides.
func init() { nvSubcommands = append(nvSubcommands, newNVLockCmd) }

// nvLockRisks say what an unlocked TPM 1.2 NV means.
var nvLockRisks = []string{
	"NV is writable without authorization: any software can define, write and read NV areas without the owner's " +
		"or any other authorization, and NV commands even skip the disabled and deactivated checks.",
	"NV can be worn out: without an owner, NV writes count against a limit of 64 (then TPM_MAXNVWRITES); " +
		"software that keeps writing wears the NV storage out and denies the TPM to everyone.",
	"A TXT measured launch is refused: SINIT stops with TXT.ERRORCODE class 0x4 (TPM access), major 0x4 " +
		"(TPM NV unlocked), 0xc0021041 from an Ivy Bridge SINIT (tpmbench txt decode 0xc0021041).",
}

// nvLockReport is the JSON of "tpmbench nv lock".
type nvLockReport struct {
	Device   string `json:"device"`
	Family   string `json:"family"`
	NVLocked *bool  `json:"nv_locked_before"`
	// Risks are printed when nvLocked is FALSE.
	Risks []string `json:"risks,omitempty"`
	// Command is the definition of TPM_NV_INDEX_LOCK that --yes sends.
	Command   *bringup.StepResult  `json:"command,omitempty"`
	Confirmed bool                 `json:"confirmed"` // --yes was given
	Steps     []bringup.StepResult `json:"steps"`
	Stopped   string               `json:"stopped,omitempty"`
	// NVLockedAfter is nvLocked read back after the definition; Verified says it is TRUE.
	NVLockedAfter *bool                   `json:"nv_locked_after"`
	Verified      bool                    `json:"verified"`
	Indices20     []bringup.NVIndexState2 `json:"tpm20_indices,omitempty"`
}

func newNVLockCmd(e *env) *cobra.Command {
	var f targetFlags
	var yes, asJSON bool
	cmd := &cobra.Command{
		Use:   "lock [SCENARIO|file.yaml]",
		Short: "Check TPM_PERMANENT_FLAGS.nvLocked and, with --yes, define TPM_NV_INDEX_LOCK",
		Long: `lock reads nvLocked from TPM_PERMANENT_FLAGS (TPM 1.2). While it is FALSE, the TPM does not
enforce NV authorization: lock explains the risk (NV writable without authorization, NV wear-out,
a TXT launch refused) and prints the command that fixes it. With --yes it sends that command,
TPM_NV_DefineSpace of TPM_NV_INDEX_LOCK (index 0xFFFFFFFF, size 0), as
"tpm_nvdefine --index=0xffffffff --size=0" does, then reads the flags again and reports whether
nvLocked is now TRUE. This cannot be undone. Without --yes nothing is sent.

On a TPM 2.0, which always enforces NV authorization, lock reports the NV indices an Intel TXT
launch depends on (AUX 0x01C10102, PS 0x01C10103, PO 0x01C10106) and their write-lock state.

Exit status: 0 when nvLocked is TRUE (verified after --yes) or on a TPM 2.0; 1 when it is FALSE
and stays so, or the definition failed; 2 usage.`,
		Args: scenarioArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAction(e, &f, args, asJSON, func(s *probeSession, out, log io.Writer) action {
				return &nvLockRun{s: s, out: out, log: log, yes: yes,
					rep: &nvLockReport{Device: s.device(), Family: s.res.Family, Confirmed: yes}}
			})
		},
	}
	f.add(cmd.Flags())
	cmd.Flags().BoolVar(&yes, "yes", false, "define TPM_NV_INDEX_LOCK (irreversible)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON (the command sent goes to stderr)")
	return cmd
}

// nvLockRun is one "tpmbench nv lock".
type nvLockRun struct {
	s   *probeSession
	out io.Writer
	log io.Writer
	yes bool
	rep *nvLockReport
}

func (r *nvLockRun) report() any { return r.rep }

func (r *nvLockRun) run() (failed bool, err error) {
	fmt.Fprintln(r.out, r.rep.Device)
	switch r.s.conn.Family() {
	case tis.Family12:
	case tis.Family20:
		return r.tpm20()
	default:
		return false, benchErrorf("nv lock: the TPM's family is unknown; probe it first (tpmbench probe)")
	}
	st, err := bringup.ReadState(r.s.e.ctx, r.s.conn)
	if err != nil {
		return false, benchErrorf("nv lock: reading TPM_PERMANENT_FLAGS: %v", err)
	}
	locked := st.Permanent.NVLocked
	r.rep.NVLocked = &locked
	plan := bringup.NVLockPlan(st)
	if len(plan.Steps) == 0 {
		r.rep.Verified = true
		fmt.Fprintln(r.out, "nvLocked: TRUE — TPM_NV_INDEX_LOCK is defined and the TPM enforces NV authorization; nothing to do")
		return false, nil
	}
	fmt.Fprintln(r.out, "nvLocked: FALSE — TPM_NV_INDEX_LOCK (0xFFFFFFFF) has never been defined, so the TPM does not enforce NV authorization:")
	r.rep.Risks = nvLockRisks
	for _, risk := range nvLockRisks {
		writeBullet(r.out, risk)
	}
	step := plan.Steps[0]
	r.rep.Command = &bringup.StepResult{Name: step.Name, Command: fmt.Sprintf("% X", step.Command), Effect: step.Effect,
		Irreversible: step.Irreversible, Status: bringup.StatusNotSent}
	fmt.Fprintf(r.out, "fix: %s\n  %s\n", step.Name, r.rep.Command.Command)
	fmt.Fprintln(r.out, "  as \"tpm_nvdefine --index=0xffffffff --size=0\" defines it. This cannot be undone: nvLocked stays TRUE for the")
	fmt.Fprintln(r.out, "  TPM's life, and NV areas then need the authorization their attributes name (the owner's for OWNERWRITE).")
	if !r.yes {
		fmt.Fprintln(r.out, "nothing was sent; run again with --yes to define TPM_NV_INDEX_LOCK")
		return true, nil
	}
	res := (&bringup.Runner{TPM: r.s.conn, Log: r.log, Yes: true}).Run(r.s.e.ctx, plan)
	after, verr := bringup.ReadState(r.s.verifyContext(), r.s.conn)
	if verr == nil {
		res.Verify(after)
		nl := after.Permanent.NVLocked
		r.rep.NVLockedAfter = &nl
	}
	r.rep.Steps = res.Steps
	writeStepResults(r.out, res.Steps)
	switch {
	case verr != nil:
		fmt.Fprintf(r.out, "nvLocked could not be read back: %v\n", verr)
		return true, nil
	case res.Err != nil:
		r.rep.Stopped = res.Err.Error()
		fmt.Fprintf(r.out, "stopped: %s\nnvLocked read back: %s\n", r.rep.Stopped, tf(after.Permanent.NVLocked))
		return !after.Permanent.NVLocked, nil
	case !after.Permanent.NVLocked:
		fmt.Fprintln(r.out, "the TPM accepted the definition but TPM_PERMANENT_FLAGS.nvLocked still reads FALSE")
		return true, nil
	}
	r.rep.Verified = true
	fmt.Fprintln(r.out, "verified: TPM_PERMANENT_FLAGS.nvLocked now reads TRUE; the TPM enforces NV authorization")
	return false, nil
}

// tpm20 reports the TXT NV indices of a TPM 2.0 and their write-lock state.
func (r *nvLockRun) tpm20() (bool, error) {
	ix, err := bringup.ReadNV2(r.s.e.ctx, r.s.conn, bringup.TXTIndices2)
	if err != nil {
		return false, benchErrorf("nv lock: %v", err)
	}
	r.rep.Indices20 = ix
	r.rep.Verified = true
	fmt.Fprintln(r.out, "TPM 2.0: no TPM_NV_INDEX_LOCK and no nvLocked; NV authorization is always enforced.")
	fmt.Fprintln(r.out, "NV indices an Intel TXT launch depends on:")
	for _, s := range ix {
		state := "not defined"
		switch {
		case s.Result != "":
			state = "not readable: " + s.Result
		case s.Defined:
			state = fmt.Sprintf("defined, %d bytes, write-locked %s%s, attributes %s", s.Size, pick(s.WriteLocked, "yes", "no"),
				pick(s.WriteDefine, " (WRITEDEFINE: permanent once locked)", ""), s.Attributes)
		}
		fmt.Fprintf(r.out, "  %s %-3s %-47s %s\n", s.Index, s.Name, s.Role, state)
	}
	if r.yes {
		fmt.Fprintln(r.out, "--yes: nothing to send on a TPM 2.0 (an index is write-locked with its own authorization, TPM2_NV_WriteLock)")
	}
	return false, nil
}

// writeBullet prints one risk as a wrapped bullet.
func writeBullet(w io.Writer, text string) {
	line := "  -"
	for _, word := range strings.Fields(text) {
		if len(line)+1+len(word) > 100 {
			fmt.Fprintln(w, line)
			line = "   "
		}
		line += " " + word
	}
	fmt.Fprintln(w, line)
}
