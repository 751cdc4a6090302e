package integration

import (
	"os"
	"path/filepath"
	"testing"
)

// TPM 1.2 commands that read the state (research notes, swtpm §5.2).
var (
	tpm12GetPermanentFlags = []byte{0x00, 0xC1, 0, 0, 0, 0x16, 0, 0, 0, 0x65, 0, 0, 0, 0x04, 0, 0, 0, 0x04, 0, 0, 0x01, 0x08}
	tpm12PCRRead0          = []byte{0x00, 0xC1, 0, 0, 0, 0x0E, 0, 0, 0, 0x15, 0, 0, 0, 0}
)

// TPM 1.2 return codes the factory state gives.
const tpm12Disabled = 7

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
			p := startSwtpm(t, swtpmConfig{state: dir, data: "unix"})
			if rc, err := p.control(ctrlInit, []byte{0, 0, 0, 0}); err != nil || rc != 0 {
				t.Fatalf("CMD_INIT: result %#x, %v", rc, err)
			}
			c, err := p.dial()
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if rc, _, err := c.transmit(tpm12StartupClear); err != nil || rc != 0 {
				t.Fatalf("TPM_Startup(ST_CLEAR): rc %#x, %v", rc, err)
			}
			rc, rsp, err := c.transmit(tpm12GetPermanentFlags)
			if err != nil || rc != 0 || len(rsp) < 14+0x16 {
				t.Fatalf("GetCapability(FLAG_PERMANENT): rc %#x, %d bytes, %v", rc, len(rsp), err)
			}
			// TPM_PERMANENT_FLAGS after the 2-byte tag: disable, ownership, deactivated, readPubek,
			// disableOwnerClear, allowMaintenance, physicalPresenceLifetimeLock,
			// physicalPresenceHWEnable, physicalPresenceCMDEnable, ...
			flags := rsp[16:]
			for _, f := range []struct {
				name string
				off  int
				want byte
			}{{"disable", 0, 1}, {"deactivated", 2, 1}, {"physicalPresenceCMDEnable", 8, 0}} {
				if flags[f.off] != f.want {
					t.Errorf("TPM_PERMANENT_FLAGS.%s = %d, want %d (flags % x)", f.name, flags[f.off], f.want, flags)
				}
			}
			if rc, _, err := c.transmit(tpm12PCRRead0); err != nil || rc != tpm12Disabled {
				t.Errorf("TPM_PCRRead(0): rc %#x, %v; want %d (TPM_DISABLED)", rc, err, tpm12Disabled)
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
