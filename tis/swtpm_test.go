package tis_test

import (
	"context"
	"os"
	"slices"
	"testing"

	"tpmbench/lpcsim"
	"tpmbench/lpcsim/engine/swtpm"
	"tpmbench/lpcsim/tisdev"
	"tpmbench/tis"
)

// TestProbeSwtpm probes through the simulated bus with a real swtpm process behind the FIFO:
// TPM 1.2 in the TCG factory state (the reference lines), TPM 1.2 fresh (enabled, active) and
// TPM 2.0. It runs with TPMBENCH_INTEGRATION=1 and fails when swtpm is missing.
func TestProbeSwtpm(t *testing.T) {
	if os.Getenv("TPMBENCH_INTEGRATION") != "1" {
		t.Skip("set TPMBENCH_INTEGRATION=1 to probe a swtpm process through the simulated bus")
	}
	ctx := context.Background()
	factory := t.TempDir()
	if err := swtpm.CreateFactoryState(ctx, swtpm.Config{}, factory); err != nil {
		t.Fatalf("making the TPM 1.2 factory state: %v", err)
	}
	tests := []struct {
		name    string
		cfg     swtpm.Config
		pers    tisdev.Personality
		family  string
		log     []string
		pcr0    string
		enabled bool
	}{
		{"TPM 1.2 factory state", swtpm.Config{StateDir: factory}, tisdev.SLB9635(), "1.2",
			[]string{"1.2 TPM (device-id 0xB, rev-id 16)", "Issuing TPM_STARTUP", "TPM is disabled/deactivated (0x7)"}, "TPM_DISABLED (0x7)", false},
		{"TPM 1.2 fresh state", swtpm.Config{}, tisdev.SLB9635(), "1.2",
			[]string{"1.2 TPM (device-id 0xB, rev-id 16)", "Issuing TPM_STARTUP"}, "readable", true},
		{"TPM 2.0 fresh state", swtpm.Config{TPM2: true}, tisdev.SLB9665(), "2.0",
			[]string{"2.0 TPM (device-id 0x1A, rev-id 16)", "A TPM error (256) occurred attempting the self test", "starting up the TPM manually"}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eng, err := swtpm.Start(ctx, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer eng.Close()
			b, err := lpcsim.New(lpcsim.Config{Profile: lpcsim.APU, TPM: tisdev.New(tt.pers, eng), Engine: eng})
			if err != nil {
				t.Fatal(err)
			}
			conn, rep, err := tis.Probe(ctx, b.Host, tis.Options{})
			if err != nil {
				t.Fatalf("Probe: %v (diagnosis %+v)", err, rep.Diagnosis)
			}
			defer conn.Release()
			if rep.Family != tt.family || !slices.Equal(rep.Log, tt.log) || rep.PCR0 != tt.pcr0 {
				t.Errorf("family %s, log %q, pcr0 %q; want %s, %q, %q", rep.Family, rep.Log, rep.PCR0, tt.family, tt.log, tt.pcr0)
			}
			if rep.Enabled == nil || *rep.Enabled != tt.enabled || rep.SelfTest != "passed" || !rep.Startup.Issued {
				t.Errorf("enabled %v, self-test %q, startup %+v", rep.Enabled, rep.SelfTest, rep.Startup)
			}
			if len(rep.Errors) != 0 || rep.NVIndices == nil {
				t.Errorf("a real TPM refused probe commands: %q (NV list %v)", rep.Errors, rep.NVIndices)
			}
			if rep.Version == nil || rep.Version.TPMVendorID != "IBM" {
				t.Errorf("version %+v, want swtpm's vendor IBM", rep.Version)
			}
		})
	}
}
