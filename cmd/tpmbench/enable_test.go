package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tpmbench/bringup"
	"tpmbench/lpcsim/engine/swtpm"
	"tpmbench/lpcsim/engine/tpm12"
	"tpmbench/tis"
	"tpmbench/tpm"
)

// benchScenario writes a scenario file for the reference bench (apu1d + Asus module,
// SLB9635) whose TPM 1.2 starts in the given state: named states ("enabled",
// "lifetime-locked", joined with +) or, when st is not nil, that saved state.
func benchScenario(t *testing.T, named string, st *tpm12.State) string {
	t.Helper()
	dir := t.TempDir()
	state := named
	if st != nil {
		if err := tpm12.New(tpm12.WithState(*st)).SaveFile(filepath.Join(dir, "tpm.json")); err != nil {
			t.Fatal(err)
		}
		state = "tpm.json"
	}
	y := "name: test\nboard: apu1d\nmodule: asus-tpm-20-1\npersonality: slb9635\nengine: tpm12\nhost: apu\nstate: " + state + "\n"
	path := filepath.Join(dir, "bench.yaml")
	if err := os.WriteFile(path, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// lockedOut is a TPM whose firmware set the physical-presence lifetime lock with command
// and hardware presence disabled: nothing can assert presence.
func lockedOut() *tpm12.State {
	st := tpm12.New().State()
	st.Permanent.PhysicalPresenceLifetimeLock = true
	st.Permanent.PhysicalPresenceCMDEnable = false
	st.Permanent.PhysicalPresenceHWEnable = false
	return &st
}

// inOrder fails unless every string appears in out after the previous one.
func inOrder(t *testing.T, out string, want ...string) {
	t.Helper()
	at := -1
	for _, w := range want {
		i := strings.Index(out[at+1:], w)
		if i < 0 {
			t.Fatalf("%q missing or out of order in:\n%s", w, out)
		}
		at += 1 + i
	}
}

// TestEnableFactory: factory → the four commands, each printed before it is sent →
// reset needed → LRESET# on the bench → the probe shows the TPM enabled and active.
func TestEnableFactory(t *testing.T) {
	out, errOut, code := runCmd(t, "enable")
	if code != exitOK {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	inOrder(t, out,
		"state: disabled, deactivated",
		"send 1/4 TSC_PhysicalPresence(CMD_ENABLE): 00 C1 00 00 00 0C 40 00 00 0A 00 20", "answer TPM_SUCCESS",
		"send 2/4 TSC_PhysicalPresence(PRESENT): 00 C1 00 00 00 0C 40 00 00 0A 00 08", "answer TPM_SUCCESS",
		"send 3/4 TPM_PhysicalEnable: 00 C1 00 00 00 0A 00 00 00 6F", "answer TPM_SUCCESS",
		"send 4/4 TPM_PhysicalSetDeactivated(FALSE): 00 C1 00 00 00 0B 00 00 00 72 00", "answer TPM_SUCCESS",
		"state now: enabled, activated, active after the next reset",
		"TPM requires a reset",
		"reset: asserting LRESET#",
		"enabled yes, active yes, PCR 0 readable",
		"the TPM is enabled and active")
	bringupGolden(t, "enable-factory.txt", out)
}

func TestEnableJSON(t *testing.T) {
	out, errOut, code := runCmd(t, "enable", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Family      string               `json:"family"`
		Before      stateJSON            `json:"before"`
		Steps       []bringup.StepResult `json:"steps"`
		After       *stateJSON           `json:"after"`
		ResetNeeded bool                 `json:"reset_needed"`
		Reset       string               `json:"reset"`
		AfterReset  *afterReset          `json:"after_reset"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if r.Family != "1.2" || r.Before.Enabled || r.Before.Active || len(r.Steps) != 4 {
		t.Fatalf("report %+v", r)
	}
	for _, s := range r.Steps {
		if s.Status != bringup.StatusDone || s.Verified == nil || !*s.Verified {
			t.Errorf("step %s: %s verified %v", s.Name, s.Status, s.Verified)
		}
	}
	if r.After == nil || !r.After.Enabled || r.After.Active || !r.After.DeactivatedSTClear || r.After.DeactivatedPermanent {
		t.Errorf("after the steps: %+v", r.After)
	}
	if !r.ResetNeeded || r.Reset == "" || r.AfterReset == nil || !r.AfterReset.Enabled || !r.AfterReset.Active {
		t.Errorf("reset %v %q, after reset %+v", r.ResetNeeded, r.Reset, r.AfterReset)
	}
	// The commands went to stderr, so that stdout stays JSON.
	if !strings.Contains(errOut, "send 1/4 TSC_PhysicalPresence(CMD_ENABLE)") {
		t.Errorf("stderr lacks the commands sent:\n%s", errOut)
	}
}

func TestEnableDryRun(t *testing.T) {
	out, errOut, code := runCmd(t, "enable", "--dry-run")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Contains(out, "send 1/4") && !strings.Contains(out, "would send 1/4") || strings.Contains(out, "answer") {
		t.Errorf("dry run sent something:\n%s", out)
	}
	inOrder(t, out, "would send 1/4 TSC_PhysicalPresence(CMD_ENABLE): 00 C1 00 00 00 0C 40 00 00 0A 00 20",
		"would send 4/4 TPM_PhysicalSetDeactivated(FALSE)", "dry run: nothing was sent")
	bringupGolden(t, "enable-dry-run.txt", out)

	out, _, _ = runCmd(t, "enable", "--dry-run", "--json")
	var r struct {
		Steps []bringup.StepResult `json:"steps"`
		After *stateJSON           `json:"after"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Steps) != 4 || r.After != nil {
		t.Fatalf("dry run JSON: %+v", r)
	}
	for _, s := range r.Steps {
		if s.Status != bringup.StatusDryRun || s.Response != "" {
			t.Errorf("dry run step %s: %s %q", s.Name, s.Status, s.Response)
		}
	}
}

func TestEnableNoReset(t *testing.T) {
	out, errOut, code := runCmd(t, "enable", "--no-reset")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	inOrder(t, out, "TPM requires a reset", "next: reboot or power-cycle the board")
	if strings.Contains(out, "LRESET# on the simulated bench") {
		t.Errorf("--no-reset reset the bench:\n%s", out)
	}
}

// TestEnableStates: other starting states of the TPM 1.2.
func TestEnableStates(t *testing.T) {
	tests := []struct {
		name   string
		named  string
		st     *tpm12.State
		code   int
		want   []string
		golden string
	}{
		{"lifetime locked, no presence", "", lockedOut(), exitBench,
			[]string{"cannot enable: bringup: physicalPresenceLifetimeLock is TRUE", "firmware (BIOS) setup", "pin does not help"},
			"enable-lifetime-locked.txt"},
		{"lifetime locked, command presence enabled", "lifetime-locked", nil, exitOK,
			[]string{"TSC_PhysicalPresence(CMD_ENABLE) is not needed", "send 1/3 TSC_PhysicalPresence(PRESENT)", "the TPM is enabled and active"}, ""},
		{"already enabled", "enabled", nil, exitOK, []string{"nothing to do: the TPM is enabled and active"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCmd(t, "enable", "--sim", benchScenario(t, tt.named, tt.st))
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s\n%s", code, tt.code, errOut, out)
			}
			inOrder(t, out, tt.want...)
			if tt.golden != "" {
				bringupGolden(t, tt.golden, out)
			}
		})
	}
	// The hardware pin is suggested only when the TPM allows it.
	hw := lockedOut()
	hw.Permanent.PhysicalPresenceHWEnable = true
	out, _, _ := runCmd(t, "enable", "--json", "--sim", benchScenario(t, "", hw))
	var r struct {
		Problem string     `json:"problem"`
		Advice  string     `json:"advice"`
		Steps   []struct{} `json:"steps"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Problem != "lifetime_locked" || !strings.Contains(r.Advice, "assert the module's hardware physical-presence pin") || len(r.Steps) != 0 {
		t.Errorf("hardware presence enabled: %+v", r)
	}
}

func TestEnableTPM20(t *testing.T) {
	out, errOut, code := runCmd(t, "enable", "apu2-tpm20")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	inOrder(t, out, "TPM 2.0", "nothing to send on a TPM 2.0", "TPM2_HierarchyControl", "hierarchies now: phEnable yes, shEnable yes, ehEnable yes")
	bringupGolden(t, "enable-tpm20.txt", out)
}

// TestEnableInterruptedReport: the report of a run that the TPM stopped midway, on the
// simulated bench: firmware locked presence after the plan was made.
func TestEnableInterruptedReport(t *testing.T) {
	sim, err := openSim(&env{ctx: context.Background()}, defaultScenario, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sim.close()
	conn, _, err := tis.Probe(context.Background(), sim.bus, tis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := bringup.ReadState(context.Background(), conn)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := bringup.EnablePlan(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, pp := range []tpm.PhysicalPresence{tpm.PPCMDEnable, tpm.PPNotPresent | tpm.PPLock} {
		if _, err := conn.Send(tpm.TSCPhysicalPresence(pp)); err != nil {
			t.Fatal(err)
		}
	}
	var log bytes.Buffer
	res := (&bringup.Runner{TPM: conn, Log: &log}).Run(context.Background(), plan)
	after, err := bringup.ReadState(context.Background(), conn)
	if err != nil {
		t.Fatal(err)
	}
	res.Verify(after)
	writeStepResults(&log, res.Steps)
	log.WriteString("stopped: " + stopReason(res) + "\n")
	inOrder(t, log.String(),
		"1. TSC_PhysicalPresence(CMD_ENABLE)   took effect",
		"2. TSC_PhysicalPresence(PRESENT)      refused by the TPM: TPM_BAD_PARAMETER (0x3); no effect",
		"3. TPM_PhysicalEnable                 not sent",
		"4. TPM_PhysicalSetDeactivated(FALSE)  not sent",
		"stopped: bringup: step 2/4 TSC_PhysicalPresence(PRESENT): the TPM refused it")
	bringupGolden(t, "enable-interrupted.txt", log.String())
}

func TestEnableUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"enable", "--sim=default", "--mmio"}, "exclude each other"},
		{[]string{"enable", "--locality", "7"}, "want 0-3"},
		{[]string{"enable", "no-such-scenario"}, "no-such-scenario"},
		{[]string{"enable", "a", "b"}, "enable takes at most one SCENARIO"},
	}
	for _, tt := range tests {
		_, errOut, code := runCmd(t, tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, errOut, exitUsage, tt.want)
		}
	}
}

// swtpmFactoryScenario writes a scenario for the reference bench with a swtpm engine
// started from the TCG factory state (made with swtpm).
func swtpmFactoryScenario(t *testing.T) string {
	t.Helper()
	if os.Getenv("TPMBENCH_INTEGRATION") != "1" {
		t.Skip("integration test: set TPMBENCH_INTEGRATION=1 (needs swtpm)")
	}
	if _, err := exec.LookPath("swtpm"); err != nil {
		t.Fatalf("swtpm not found (apt-get install swtpm swtpm-tools): %v", err)
	}
	dir := t.TempDir()
	if err := swtpm.CreateFactoryState(context.Background(), swtpm.Config{}, filepath.Join(dir, "state")); err != nil {
		t.Fatal(err)
	}
	y := "name: swtpm-factory\nboard: apu1d\nmodule: asus-tpm-20-1\npersonality: slb9635\nengine: swtpm\nstate: state\nhost: apu\n"
	path := filepath.Join(dir, "bench.yaml")
	if err := os.WriteFile(path, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestBringupOnSwtpm: enable and nv lock --yes print, on a real swtpm from the factory
// state, exactly what they print on the built-in model (the same goldens).
func TestBringupOnSwtpm(t *testing.T) {
	sc := swtpmFactoryScenario(t)
	for _, tt := range []struct {
		args   []string
		golden string
	}{
		{[]string{"enable", sc}, "enable-factory.txt"},
		{[]string{"nv", "lock", "--yes", sc}, "nv-lock-yes.txt"},
		{[]string{"nv", "lock", sc}, "nv-lock-report.txt"},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			if *update {
				t.Skip("goldens come from the built-in model")
			}
			out, errOut, _ := runCmd(t, tt.args...)
			want, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "bringup", tt.golden))
			if err != nil {
				t.Fatal(err)
			}
			if out != string(want) {
				t.Errorf("%v on swtpm differs from %s (built-in model):\n%s\nstderr %s", tt.args, tt.golden, out, errOut)
			}
		})
	}
}
