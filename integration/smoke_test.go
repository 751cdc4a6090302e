package integration

import (
	"strconv"
	"strings"
	"testing"
)

// TestGuestSmoke proves the harness on QEMU's TIS device alone, with the guest's busybox: the
// register window at 0xFED40000 answers with QEMU's DID_VID, the kernel driver stayed off the
// TPM (initcall_blacklist=init_tis), and the static tpmbench runs in the guest.
func TestGuestSmoke(t *testing.T) {
	requireIntegration(t)
	t.Parallel()
	for _, tc := range []struct {
		name  string
		guest *guest
	}{
		{"TPM1.2", qbootTPM12},
		{"TPM2.0", qbootTPM20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.guest.boot(t)
			if got := r.step(t, "did_vid"); got.rc != 0 || strings.TrimSpace(got.stdout) != "0x00011014" {
				t.Errorf("devmem 0xFED40F00 32 (TPM_DID_VID_0): %v\nwant 0x00011014 (QEMU's tpm-tis)", got)
			}
			access := r.step(t, "access")
			v, err := strconv.ParseUint(strings.TrimSpace(access.stdout), 0, 8)
			if access.rc != 0 || err != nil || v&0x80 == 0 {
				t.Errorf("devmem 0xFED40000 8 (TPM_ACCESS_0): %v\nwant tpmRegValidSts (bit 7) set", access)
			}
			if got := r.step(t, "tpm_class"); strings.TrimSpace(got.stdout) != "" {
				t.Errorf("ls /sys/class/tpm: %v\nwant no TPM device: initcall_blacklist=init_tis should keep tpm_tis off", got)
			}
			help := r.step(t, "help")
			if help.rc != 0 || !strings.Contains(help.stdout, "Usage:") || !strings.Contains(help.stdout, "tpmbench") {
				t.Errorf("tpmbench --help in the guest: %v", help)
			}
		})
	}
}
