package integration

import (
	"path/filepath"
	"testing"

	"tpmbench/internal/reftest"
)

// TestTPM12FactoryState checks the state the QEMU tests start from: after TPM_Init and
// TPM_Startup it is disabled and deactivated with physicalPresenceCMDEnable clear, as a TPM 1.2
// part ships. When the project's reference state file is beside the checkout, it must read the
// same.
func TestTPM12FactoryState(t *testing.T) {
	requireIntegration(t)
	states := map[string]string{"made here": tpm12FactoryState(t)}
	if ref, ok := reftest.Reference(); ok {
		dir := t.TempDir()
		copyDir(t, filepath.Join(ref, "swtpm-state", "tpm12-factory-disabled-deactivated"), dir)
		states["reference"] = dir
	} else {
		t.Log("no reference outputs found (internal/reftest says where it looks): checking the made state only")
	}
	for name, dir := range states {
		t.Run(name, func(t *testing.T) {
			d := askTPM12(t, dir)
			if len(d.permanentFlags) < 9 {
				t.Fatalf("TPM_PERMANENT_FLAGS has %d flags, want 20", len(d.permanentFlags))
			}
			// TPM_PERMANENT_FLAGS order: disable, ownership, deactivated, readPubek,
			// disableOwnerClear, allowMaintenance, physicalPresenceLifetimeLock,
			// physicalPresenceHWEnable, physicalPresenceCMDEnable, ...
			for _, f := range []struct {
				name string
				i    int
				want bool
			}{{"disable", 0, true}, {"deactivated", 2, true}, {"physicalPresenceCMDEnable", 8, false}} {
				if d.permanentFlags[f.i] != f.want {
					t.Errorf("TPM_PERMANENT_FLAGS.%s = %v, want %v", f.name, d.permanentFlags[f.i], f.want)
				}
			}
			if d.pcr0RC != tpm12Disabled {
				t.Errorf("TPM_PCRRead(0) = %#x, want %d (TPM_DISABLED)", d.pcr0RC, tpm12Disabled)
			}
		})
	}
}
