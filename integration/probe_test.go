package integration

import (
	"slices"
	"strings"
	"testing"
)

// qemuDIDVID is what QEMU's tpm-tis device shows in TPM_DID_VID_0 (vendor 0x1014, device 1).
const qemuDIDVID = 0x00011014

var probeJSON = []string{"tpmbench", "probe", "--mmio", "--json"}

// TestProbeMMIO probes QEMU's TIS device through /dev/mem after qboot, which leaves the TPM
// untouched: the probe must find it, tell the family, send Startup itself and report what swtpm
// answers when asked directly on the same state.
func TestProbeMMIO(t *testing.T) {
	requireIntegration(t)
	t.Parallel()
	t.Run("TPM1.2 factory state", func(t *testing.T) {
		want := askTPM12(t, tpm12FactoryState(t))
		rep := probeReport(t, qbootTPM12.boot(t))
		checkIdentity(t, rep, "1.2")
		checkStartup(t, rep, false, "TPM_SUCCESS")
		checkTPM12(t, rep, want)
		for _, l := range []string{"Issuing TPM_STARTUP", "TPM is disabled/deactivated (0x7)"} {
			if !slices.Contains(rep.Log, l) {
				t.Errorf("log %q lacks %q, the line Linux prints for this state", rep.Log, l)
			}
		}
	})
	t.Run("TPM2.0 fresh state", func(t *testing.T) {
		rep := probeReport(t, qbootTPM20.boot(t))
		checkIdentity(t, rep, "2.0")
		checkStartup(t, rep, false, "TPM_RC_SUCCESS")
		checkTPM20(t, rep, tpm20Fixed(t))
	})
}

// TestProbeAfterSeaBIOS boots with SeaBIOS, which sends TPM_Startup itself: the probe must see
// an already started TPM, send no Startup and still report it. On TPM 1.2 SeaBIOS also asserts
// physical presence (setting physicalPresenceCMDEnable) and then locks it for the boot, so
// `tpmbench enable` must refuse and say why.
func TestProbeAfterSeaBIOS(t *testing.T) {
	requireIntegration(t)
	t.Parallel()
	t.Run("TPM1.2 factory state", func(t *testing.T) {
		state := t.TempDir()
		copyDir(t, tpm12FactoryState(t), state)
		r := boot(t, vm{seabios: true, state: state, steps: []step{
			{"probe", probeJSON},
			{"enable", []string{"tpmbench", "enable", "--mmio"}},
		}})
		rep := seaBIOSReport(t, r, "1.2")
		want := askTPM12(t, tpm12FactoryState(t))
		want.permanentFlags[permPPCMDEnable] = true
		want.volatileFlags[stclearPPLock] = true
		checkTPM12(t, rep, want)
		enable := r.step(t, "enable")
		if enable.rc != 1 || !strings.Contains(enable.stdout, "physicalPresenceLock is TRUE") {
			t.Errorf("tpmbench enable --mmio after SeaBIOS locked physical presence: %v\nwant exit 1 naming physicalPresenceLock", enable)
		}
	})
	t.Run("TPM2.0 fresh state", func(t *testing.T) {
		state := t.TempDir()
		copyDir(t, tpm20State(t), state)
		rep := seaBIOSReport(t, boot(t, vm{seabios: true, tpm2: true, state: state, steps: []step{{"probe", probeJSON}}}), "2.0")
		checkTPM20(t, rep, tpm20Fixed(t))
	})
}

// seaBIOSReport checks what a probe after SeaBIOS must say about Startup and returns the report.
func seaBIOSReport(t *testing.T, r *bootResult, family string) report {
	t.Helper()
	rep := probeReport(t, r)
	checkIdentity(t, rep, family)
	checkStartup(t, rep, true, "")
	if slices.Contains(rep.Log, "Issuing TPM_STARTUP") {
		t.Errorf("log %q says the probe issued TPM_STARTUP to a TPM SeaBIOS had started", rep.Log)
	}
	return rep
}

// probeReport returns the JSON report of the boot's "probe" step, which must have exited 0.
func probeReport(t *testing.T, r *bootResult) report {
	t.Helper()
	res := r.step(t, "probe")
	if res.rc != 0 {
		t.Fatalf("tpmbench probe --mmio --json in the guest: %v", res)
	}
	return parseReport(t, res)
}

// checkIdentity checks what every probe of QEMU's device must report.
func checkIdentity(t *testing.T, rep report, family string) {
	t.Helper()
	if !rep.Answered || !rep.Complete {
		t.Errorf("answered %v, complete %v; want both true", rep.Answered, rep.Complete)
	}
	if got := hex32(t, "did_vid", rep.DIDVID); got != qemuDIDVID {
		t.Errorf("did_vid = %#08x, want %#08x (QEMU tpm-tis)", got, qemuDIDVID)
	}
	if rep.Family != family {
		t.Errorf("family = %q, want %q", rep.Family, family)
	}
	if rep.SelfTest != "passed" {
		t.Errorf("self_test = %q, want passed", rep.SelfTest)
	}
}

// checkStartup checks the startup block: who started the TPM and what the probe's Startup got.
func checkStartup(t *testing.T, rep report, alreadyStarted bool, result string) {
	t.Helper()
	s := rep.Startup
	if s == nil {
		t.Fatal("report has no startup block")
	}
	if s.AlreadyStarted != alreadyStarted || s.Issued == alreadyStarted || !s.Started {
		t.Errorf("startup: already_started %v, issued %v, started %v; want %v, %v, true",
			s.AlreadyStarted, s.Issued, s.Started, alreadyStarted, !alreadyStarted)
	}
	if result != "" && !strings.HasPrefix(s.Result, result) {
		t.Errorf("startup result = %q, want %s", s.Result, result)
	}
}

// checkTPM12 compares a TPM 1.2 report with what swtpm answered directly on the same state.
func checkTPM12(t *testing.T, rep report, want direct12) {
	t.Helper()
	v := rep.Version
	if v == nil {
		t.Fatal("report has no version block")
	}
	if v.ChipVersion != want.chipVersion || v.SpecLevel != want.specLevel || v.ErrataRevision != want.errataRev ||
		trimNUL(v.TPMVendorID) != want.vendorID || hex32(t, "manufacturer", v.Manufacturer) != want.manufacturer {
		t.Errorf("version: chip %s, spec level %d, errata %d, vendor %q, manufacturer %s;\nswtpm says %s, %d, %d, %q, %#08x",
			v.ChipVersion, v.SpecLevel, v.ErrataRevision, v.TPMVendorID, v.Manufacturer,
			want.chipVersion, want.specLevel, want.errataRev, want.vendorID, want.manufacturer)
	}
	if boolp(rep.Enabled) != boolName(!want.permanentFlags[0]) || boolp(rep.Active) != boolName(!want.permanentFlags[2]) {
		t.Errorf("enabled %s, active %s; swtpm's TPM_PERMANENT_FLAGS say disable=%v deactivated=%v",
			boolp(rep.Enabled), boolp(rep.Active), want.permanentFlags[0], want.permanentFlags[2])
	}
	compareFlags(t, "permanent", rep.PermanentFlags, want.permanentFlags)
	compareFlags(t, "volatile", rep.VolatileFlags, want.volatileFlags)
}

func boolName(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func compareFlags(t *testing.T, what string, got []flag, want []bool) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s flags: report has %d, swtpm answered %d", what, len(got), len(want))
		return
	}
	for i, f := range got {
		if f.Value != want[i] {
			t.Errorf("%s flag %d (%s) = %v, swtpm says %v", what, i, f.Name, f.Value, want[i])
		}
	}
}

// checkTPM20 compares a TPM 2.0 report's fixed properties with what swtpm answered directly.
func checkTPM20(t *testing.T, rep report, want [][2]uint32) {
	t.Helper()
	if len(rep.Properties) != len(want) {
		t.Fatalf("fixed_properties: report has %d, swtpm answered %d", len(rep.Properties), len(want))
	}
	for i, p := range rep.Properties {
		if got := hex32(t, p.Name, p.Raw); got != want[i][1] {
			t.Errorf("fixed property %d (%s) = %#08x, swtpm says %#08x for TPM_PT %#x", i, p.Name, got, want[i][1], want[i][0])
		}
	}
	if rep.Version == nil || rep.Version.TPMVersion != "2.0" {
		t.Errorf("version block %+v, want tpm_version 2.0", rep.Version)
	}
}
