package integration

import (
	"strings"
	"testing"
)

// TestMMIOWithKernelDriver boots with the kernel's tpm_tis bound to QEMU's TPM. --mmio must
// refuse and say why and what to do; --force maps the window anyway, which the kernel allows
// only with iomem=relaxed (Debian's kernel has CONFIG_IO_STRICT_DEVMEM), and the probe then works.
// TPM 2.0 is checked with and without iomem=relaxed, TPM 1.2 with it (the strict-iomem refusal
// is the kernel's, the same for either family).
func TestMMIOWithKernelDriver(t *testing.T) {
	requireIntegration(t)
	t.Parallel()
	t.Run("strict iomem", func(t *testing.T) {
		r := boot(t, vm{tpm2: true, driver: true, state: t.TempDir(), steps: []step{
			{"tpm_class", []string{"ls", "/sys/class/tpm"}},
			{"probe", probeJSON},
			{"force", []string{"tpmbench", "probe", "--mmio", "--force", "--json"}},
		}})
		if got := r.step(t, "tpm_class"); strings.TrimSpace(got.stdout) != "tpm0" {
			t.Fatalf("ls /sys/class/tpm: %v\nwant tpm0: the kernel driver should have bound the TPM", got)
		}
		refusal := r.step(t, "probe")
		if refusal.rc != 1 || refusal.stdout != "" {
			t.Errorf("probe --mmio with the driver bound: %v\nwant exit 1 and no report", refusal)
		}
		for _, s := range []string{"kernel driver owns the TPM", "/sys/class/tpm", "unbind", "--force"} {
			if !strings.Contains(refusal.stderr, s) {
				t.Errorf("refusal %q does not mention %q", refusal.stderr, s)
			}
		}
		force := r.step(t, "force")
		if force.rc != 1 || !strings.Contains(force.stderr, "iomem=relaxed") {
			t.Errorf("probe --mmio --force without iomem=relaxed: %v\nwant exit 1 naming iomem=relaxed (the kernel refuses to map a claimed range)", force)
		}
	})
	t.Run("iomem=relaxed", func(t *testing.T) {
		r := boot(t, vm{tpm2: true, driver: true, state: t.TempDir(), cmdline: []string{"iomem=relaxed"}, steps: []step{
			{"refusal", probeJSON},
			{"probe", []string{"tpmbench", "probe", "--mmio", "--force", "--json"}},
		}})
		if got := r.step(t, "refusal"); got.rc != 1 || !strings.Contains(got.stderr, "kernel driver owns the TPM") {
			t.Errorf("probe --mmio without --force: %v\nwant the refusal: iomem=relaxed must not silence the driver check", got)
		}
		rep := probeReport(t, r)
		checkIdentity(t, rep, "2.0")
		// The kernel driver sent TPM2_Startup while binding.
		checkStartup(t, rep, true, "")
	})
	// TPM 1.2 in the one boot TestNVListMatchesTpmNvinfo also reads: the refusal, then --force.
	t.Run("TPM1.2 iomem=relaxed", func(t *testing.T) {
		r := driverTPM12NV.boot(t)
		if got := r.step(t, "tpm_class"); strings.TrimSpace(got.stdout) != "tpm0" {
			t.Fatalf("ls /sys/class/tpm: %v\nwant tpm0: the kernel driver should have bound the TPM 1.2", got)
		}
		refusal := r.step(t, "refusal")
		if refusal.rc != 1 || refusal.stdout != "" {
			t.Errorf("probe --mmio with the driver bound: %v\nwant exit 1 and no report", refusal)
		}
		for _, s := range []string{"kernel driver owns the TPM", "/sys/class/tpm", "unbind", "--force"} {
			if !strings.Contains(refusal.stderr, s) {
				t.Errorf("refusal %q does not mention %q", refusal.stderr, s)
			}
		}
		rep := probeReport(t, r)
		checkIdentity(t, rep, "1.2")
		// The kernel driver sent TPM_Startup(ST_CLEAR) while binding; it changes no flag.
		checkStartup(t, rep, true, "")
		checkTPM12(t, rep, askTPM12(t, tpm12NVState(t)))
	})
}
