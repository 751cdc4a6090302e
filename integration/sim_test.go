package integration

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
)

// TestSimSwtpmMatchesQEMU probes the same swtpm state twice: through the simulator's swtpm
// engine behind a simulated LPC bus and TIS (QEMU personality), and through QEMU's real TIS
// device from the guest (each on its own copy of the state). Family, version, flags, startup and state must be the same.
func TestSimSwtpmMatchesQEMU(t *testing.T) {
	requireIntegration(t)
	t.Parallel()
	program(t, "swtpm") // the engine starts it
	for _, tc := range []struct {
		name        string
		tpm2        bool
		personality string
		state       func(*testing.T) string
		guest       *guest
	}{
		{"TPM1.2 factory state", false, "qemu", tpm12FactoryState, qbootTPM12},
		{"TPM2.0 fresh state", true, "qemu-tpm2", tpm20State, qbootTPM20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sim := simProbe(t, tc.personality, tc.state(t))
			qemu := probeReport(t, tc.guest.boot(t))

			checkIdentity(t, sim, family(tc.tpm2))
			for _, f := range []struct {
				name      string
				sim, qemu any
			}{
				{"did_vid", sim.DIDVID, qemu.DIDVID},
				{"family", sim.Family, qemu.Family},
				{"startup", sim.Startup, qemu.Startup},
				{"self_test", sim.SelfTest, qemu.SelfTest},
				{"pcr0", sim.PCR0, qemu.PCR0},
				{"enabled", boolp(sim.Enabled), boolp(qemu.Enabled)},
				{"active", boolp(sim.Active), boolp(qemu.Active)},
				{"owned", boolp(sim.Owned), boolp(qemu.Owned)},
				{"nv_locked", boolp(sim.NVLocked), boolp(qemu.NVLocked)},
				{"version", sim.Version, qemu.Version},
				{"permanent_flags", sim.PermanentFlags, qemu.PermanentFlags},
				{"volatile_flags", sim.VolatileFlags, qemu.VolatileFlags},
				{"fixed_properties", sim.Properties, qemu.Properties},
				{"log", sim.Log, qemu.Log},
			} {
				if !reflect.DeepEqual(f.sim, f.qemu) {
					t.Errorf("%s: simulator with the swtpm engine reports %s, QEMU %s", f.name, show(f.sim), show(f.qemu))
				}
			}
		})
	}
}

// simProbe runs `tpmbench probe --json` on the host against a scenario with the swtpm engine on
// a copy of state (the engine copies it again; the source stays untouched).
func simProbe(t *testing.T, personality, state string) report {
	t.Helper()
	bin := shared(t).tpmbench
	scen := filepath.Join(t.TempDir(), "swtpm.yaml")
	yaml := fmt.Sprintf("name: integration-swtpm\ndescription: apu1d + Asus 20-1 wiring, QEMU's TIS personality, swtpm engine\n"+
		"board: apu1d\nmodule: asus-tpm-20-1\npersonality: %s\nengine: swtpm\nstate: %q\nhost: apu\n", personality, state)
	if err := os.WriteFile(scen, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "probe", "--json", "--sim", scen)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := stepResult{stdout: stdout.String(), stderr: stderr.String()}
	if err != nil {
		t.Fatalf("tpmbench probe --json --sim (swtpm engine): %v\n%v", err, res)
	}
	return parseReport(t, res)
}

func show(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%+v", v)
}
