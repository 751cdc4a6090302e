package bringup

import (
	"errors"
	"fmt"

	"tpmbench/tpm"
)

// Step is one state-changing TPM command of a bring-up.
type Step struct {
	Name    string // the command as the TPM specification names it, e.g. "TPM_PhysicalEnable"
	Command []byte // the complete request
	Effect  string // what it changes in the TPM, e.g. "TPM_PERMANENT_FLAGS.disable = FALSE"
	// Irreversible steps cannot be undone by any command; the Runner sends them only with
	// permission.
	Irreversible bool
	// Check is how to see in the flags that the step took effect; nil when the flags do
	// not show it.
	Check func(State) bool
}

// Plan is the ordered list of steps a TPM in a given state needs, and what remains to do
// once they have taken effect.
type Plan struct {
	// Steps are the commands to send, in order; empty when the TPM needs none.
	Steps []Step
	// ResetNeeded: after the steps, the TPM becomes active only after TPM_Init (LRESET#,
	// a reboot or power cycle) and TPM_Startup(ST_CLEAR), because TPM_STCLEAR_FLAGS.deactivated
	// is loaded from the permanent flag at Startup.
	ResetNeeded bool
	// Notes explain decisions of the plan (steps left out, why a reset is needed).
	Notes []string
}

// Irreversible reports whether any step of the plan cannot be undone.
func (p Plan) Irreversible() bool {
	for _, s := range p.Steps {
		if s.Irreversible {
			return true
		}
	}
	return false
}

// Reasons a plan cannot be made, matched with errors.Is.
var (
	// ErrLifetimeLocked: physicalPresenceLifetimeLock is TRUE and physicalPresenceCMDEnable
	// FALSE, so no command can assert physical presence, ever.
	ErrLifetimeLocked = errors.New("software physical presence is disabled for the TPM's lifetime")
	// ErrPresenceLocked: TPM_STCLEAR_FLAGS.physicalPresenceLock is TRUE, so physical presence
	// cannot be asserted again until the next TPM_Init.
	ErrPresenceLocked = errors.New("physical presence is locked until the next reset")
)

// Steps of the bring-up, built from the tpm package's command builders.

func stepCMDEnable() Step {
	return Step{
		Name:    "TSC_PhysicalPresence(CMD_ENABLE)",
		Command: tpm.TSCPhysicalPresence(tpm.PPCMDEnable),
		Effect:  "TPM_PERMANENT_FLAGS.physicalPresenceCMDEnable = TRUE: software may assert physical presence",
		Check:   func(s State) bool { return s.Permanent.PhysicalPresenceCMDEnable },
	}
}

func stepPresent() Step {
	return Step{
		Name:    "TSC_PhysicalPresence(PRESENT)",
		Command: tpm.TSCPhysicalPresence(tpm.PPPresent),
		Effect:  "TPM_STCLEAR_FLAGS.physicalPresence = TRUE until the next reset",
		Check:   func(s State) bool { return s.STClear.PhysicalPresence },
	}
}

func stepPhysicalEnable() Step {
	return Step{
		Name:    "TPM_PhysicalEnable",
		Command: tpm.PhysicalEnable(),
		Effect:  "TPM_PERMANENT_FLAGS.disable = FALSE: the TPM is enabled at once",
		Check:   func(s State) bool { return !s.Permanent.Disable },
	}
}

func stepActivate() Step {
	return Step{
		Name:    "TPM_PhysicalSetDeactivated(FALSE)",
		Command: tpm.PhysicalSetDeactivated(false),
		Effect:  "TPM_PERMANENT_FLAGS.deactivated = FALSE: the TPM is active after the next reset",
		Check:   func(s State) bool { return !s.Permanent.Deactivated },
	}
}

func stepNVLock() Step {
	return Step{
		Name:    "TPM_NV_DefineSpace(TPM_NV_INDEX_LOCK 0xFFFFFFFF, size 0)",
		Command: tpm.NVLock(),
		Effect: "TPM_PERMANENT_FLAGS.nvLocked = TRUE: the TPM enforces NV authorization from now on " +
			"(the index itself is never listed)",
		Irreversible: true,
		Check:        func(s State) bool { return s.Permanent.NVLocked },
	}
}

// EnablePlan returns the steps that enable and activate a TPM 1.2 in state s from
// software, the way a TPM-aware BIOS does: assert physical presence (enabling command
// presence first when it is not), TPM_PhysicalEnable when disabled,
// TPM_PhysicalSetDeactivated(FALSE) when deactivated. A TPM that is enabled and active
// needs no step. None of the steps is irreversible: TPM_PhysicalDisable,
// TPM_PhysicalSetDeactivated(TRUE) and TSC_PhysicalPresence(CMD_DISABLE) undo them.
//
// The error wraps ErrLifetimeLocked when software can never assert presence, and
// ErrPresenceLocked when firmware locked presence for this boot.
func EnablePlan(s State) (Plan, error) {
	var p Plan
	if s.Enabled() && !s.Permanent.Deactivated {
		if s.STClear.Deactivated {
			p.ResetNeeded = true
			p.Notes = append(p.Notes, "the permanent flags are already enabled and activated; "+
				"TPM_STCLEAR_FLAGS.deactivated is TRUE until the next TPM_Init and TPM_Startup(ST_CLEAR)")
		}
		return p, nil
	}
	pp := s.Permanent
	if !pp.PhysicalPresenceCMDEnable {
		if pp.PhysicalPresenceLifetimeLock {
			return p, fmt.Errorf("bringup: physicalPresenceLifetimeLock is TRUE and physicalPresenceCMDEnable FALSE "+
				"(physicalPresenceHWEnable %v): %w", pp.PhysicalPresenceHWEnable, ErrLifetimeLocked)
		}
		p.Steps = append(p.Steps, stepCMDEnable())
	} else {
		p.Notes = append(p.Notes, "physicalPresenceCMDEnable is already TRUE: TSC_PhysicalPresence(CMD_ENABLE) is not needed"+
			lifetimeNote(pp.PhysicalPresenceLifetimeLock))
	}
	if s.STClear.PhysicalPresenceLock {
		return Plan{}, fmt.Errorf("bringup: TPM_STCLEAR_FLAGS.physicalPresenceLock is TRUE: %w", ErrPresenceLocked)
	}
	p.Steps = append(p.Steps, stepPresent())
	if s.Permanent.Disable {
		p.Steps = append(p.Steps, stepPhysicalEnable())
	}
	if s.Permanent.Deactivated {
		p.Steps = append(p.Steps, stepActivate())
		p.ResetNeeded = true
		p.Notes = append(p.Notes, "TPM_PhysicalSetDeactivated(FALSE) changes the permanent flag only; "+
			"the TPM becomes active at the next TPM_Startup(ST_CLEAR), which it accepts only after TPM_Init (LRESET#)")
	}
	return p, nil
}

func lifetimeNote(locked bool) string {
	if locked {
		return " (and the lifetime lock would refuse it)"
	}
	return ""
}

// NVLockPlan returns the step that defines TPM_NV_INDEX_LOCK (index 0xFFFFFFFF, size 0,
// no permissions, no authorization), as tpm_nvdefine --index=0xffffffff --size=0 does,
// when TPM_PERMANENT_FLAGS.nvLocked is FALSE; no step when it is TRUE. The step is
// irreversible: nothing clears nvLocked.
func NVLockPlan(s State) Plan {
	if s.Permanent.NVLocked {
		return Plan{Notes: []string{"nvLocked is already TRUE: TPM_NV_INDEX_LOCK has been defined"}}
	}
	return Plan{Steps: []Step{stepNVLock()}}
}
