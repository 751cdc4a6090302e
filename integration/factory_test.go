package integration

import (
	"os"
	"path/filepath"
	"testing"
)

// TestTPM12FactoryState checks the state the QEMU tests start from: after TPM_Init and
// TPM_Startup it is disabled and deactivated with physicalPresenceCMDEnable clear, as a TPM 1.2
// part ships. When the project's reference state file is beside the checkout, it must read the
// same.
func TestTPM12FactoryState(t *testing.T) {
	requireIntegration(t)
	states := map[string]string{"made here": tpm12FactoryState(t)}
	if ref := referenceDir(); ref != "" {
		dir := t.TempDir()
		copyDir(t, filepath.Join(ref, "swtpm-state", "tpm12-factory-disabled-deactivated"), dir)
		states["reference"] = dir
	} else {
		t.Log("no reference state (TPMBENCH_REFERENCE or shared/reference beside the checkout): checking the made state only")
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

// referenceDir is the project's directory of reference outputs: TPMBENCH_REFERENCE, or
// shared/reference found searching upward from the module root; "" when neither exists.
func referenceDir() string {
	if d := os.Getenv("TPMBENCH_REFERENCE"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		ref := filepath.Join(d, "shared", "reference")
		if st, err := os.Stat(ref); err == nil && st.IsDir() {
			return ref
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}
