// Package bringup takes a probed TPM past the probe: the steps a TPM-aware BIOS or a
// provisioning tool would send, as data that can be printed, checked and run.
//
// A Step is one TPM command with what it changes, whether it can be undone, and how to
// see in the TPM's flags that it took effect. A Plan is the list of steps a TPM in a
// given State needs: EnablePlan asserts physical presence from software and enables
// and activates a TPM 1.2 (TSC_PhysicalPresence(CMD_ENABLE), TSC_PhysicalPresence(PRESENT),
// TPM_PhysicalEnable, TPM_PhysicalSetDeactivated(FALSE)); NVLockPlan defines
// TPM_NV_INDEX_LOCK so that the TPM enforces NV authorization.
//
// A Runner sends a plan through anything with SendContext (a probed tis.Conn): it prints
// each command before sending it, refuses irreversible steps without permission, stops at
// the first TPM error or when the context ends, and returns a Result that says which
// steps took effect, which the TPM refused, which were sent without an answer, and which
// were never sent. Result.Verify compares that with the flags read afterwards.
//
// For a TPM 2.0, which has no enable/activate commands and no global NV lock, ReadNV2
// reports the NV indices a measured launch depends on and whether they are write-locked.
package bringup
