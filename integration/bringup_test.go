package integration

import (
	"strings"
	"testing"
)

// TPM_PERMANENT_FLAGS and TPM_STCLEAR_FLAGS indices (TPM 1.2 Main Part 2, 7.1 and 7.2).
const (
	permDisable     = 0
	permDeactivated = 2
	permPPCMDEnable = 8
	permNVLocked    = 15
	stclearPPLock   = 3
)

// TestEnableAndNVLockOnFactoryTPM12 takes the TPM 1.2 factory state through QEMU's TIS the way
// the bench does it on a board: `tpmbench enable`, a reset (a second boot: QEMU sends swtpm
// TPM_Init), then `tpmbench nv lock --yes`. The probe in the guest and swtpm asked directly
// afterwards must agree that the TPM is enabled, active and NV-locked.
func TestEnableAndNVLockOnFactoryTPM12(t *testing.T) {
	requireIntegration(t)
	t.Parallel()
	state := t.TempDir()
	copyDir(t, tpm12FactoryState(t), state)

	first := boot(t, vm{state: state, steps: []step{
		{"enable", []string{"tpmbench", "enable", "--mmio"}},
		{"probe", probeJSON},
	}})
	if r := first.step(t, "enable"); r.rc != 0 {
		t.Fatalf("tpmbench enable --mmio on the factory state: %v", r)
	} else {
		t.Logf("tpmbench enable --mmio:\n%s", r.stdout)
	}
	rep := probeReport(t, first)
	if boolp(rep.Enabled) != "true" {
		t.Errorf("after enable, before a reset: enabled = %s, want true (TPM_PhysicalEnable acts at once)", boolp(rep.Enabled))
	}

	second := boot(t, vm{state: state, steps: []step{
		{"probe", probeJSON},
		{"lock_without_yes", []string{"tpmbench", "nv", "lock", "--mmio"}},
		{"unlocked", probeJSON},
		{"lock", []string{"tpmbench", "nv", "lock", "--mmio", "--yes"}},
		{"locked", probeJSON},
	}})
	rep = probeReport(t, second)
	if boolp(rep.Enabled) != "true" || boolp(rep.Active) != "true" {
		t.Errorf("after the reset: enabled %s, active %s; want true, true (deactivated clears at TPM_Startup)", boolp(rep.Enabled), boolp(rep.Active))
	}
	// Without --yes, nv lock explains and refuses: exit 1 (nvLocked stays FALSE) with the
	// message nv lock prints, not any non-zero exit (a crash or a usage error is no refusal).
	if r := second.step(t, "lock_without_yes"); r.rc != 1 || !strings.Contains(r.stdout, "nvLocked: FALSE") ||
		!strings.Contains(r.stdout, "nothing was sent; run again with --yes to define TPM_NV_INDEX_LOCK") {
		t.Errorf("tpmbench nv lock without --yes: %v\nwant exit 1, \"nvLocked: FALSE\" and \"nothing was sent; run again with --yes\": "+
			"defining TPM_NV_INDEX_LOCK cannot be undone", r)
	} else {
		t.Logf("tpmbench nv lock --mmio (no --yes): %v", r)
	}
	if got := boolp(parseReport(t, second.step(t, "unlocked")).NVLocked); got != "false" {
		t.Errorf("after nv lock without --yes: nv_locked = %s, want false", got)
	}
	if r := second.step(t, "lock"); r.rc != 0 {
		t.Fatalf("tpmbench nv lock --mmio --yes: %v", r)
	} else {
		t.Logf("tpmbench nv lock --mmio --yes:\n%s", r.stdout)
	}
	locked := parseReport(t, second.step(t, "locked"))
	if boolp(locked.NVLocked) != "true" {
		t.Errorf("after nv lock: nv_locked = %s, want true", boolp(locked.NVLocked))
	}

	d := askTPM12(t, state)
	if len(d.permanentFlags) <= permNVLocked {
		t.Fatalf("swtpm answered %d permanent flags, want 20", len(d.permanentFlags))
	}
	for _, f := range []struct {
		name string
		i    int
		want bool
	}{{"disable", permDisable, false}, {"deactivated", permDeactivated, false}, {"nvLocked", permNVLocked, true}} {
		if d.permanentFlags[f.i] != f.want {
			t.Errorf("swtpm asked directly afterwards: TPM_PERMANENT_FLAGS.%s = %v, want %v", f.name, d.permanentFlags[f.i], f.want)
		}
	}
}
