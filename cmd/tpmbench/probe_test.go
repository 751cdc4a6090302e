package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestProbeDefault: the bare command probes the reference bench and prints the reference
// write-up's three kernel lines in order, then the report.
func TestProbeDefault(t *testing.T) {
	out, errOut, code := runCmd(t, "probe")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s\nstdout %s", code, errOut, out)
	}
	for _, want := range []string{"Infineon", "SLB9635", "enabled:          no", "simulated bus time:"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

// TestProbeKernelLines: each family logs in its kernel's words and order: the 3.x TPM 1.2
// driver of the reference write-up, and the TPM 2.0 auto-startup of a current kernel.
func TestProbeKernelLines(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		want   []string
		absent string
	}{
		{"TPM 1.2 reference bench", []string{"probe"},
			[]string{"1.2 TPM (device-id 0xB, rev-id 16)", "Issuing TPM_STARTUP", "TPM is disabled/deactivated (0x7)"}, "starting up the TPM manually"},
		{"TPM 2.0 bench", []string{"probe", "--sim", "apu2-tpm1a-tpm20"},
			[]string{"2.0 TPM (device-id 0x1A, rev-id 16)", "A TPM error (256) occurred attempting the self test", "starting up the TPM manually"}, "Issuing TPM_STARTUP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCmd(t, tt.args...)
			if code != exitOK {
				t.Fatalf("exit %d, stderr %s\nstdout %s", code, errOut, out)
			}
			at := -1
			for _, want := range tt.want {
				i := strings.Index(out, "tpm_tis: "+want+"\n")
				if i <= at {
					t.Fatalf("%q missing or out of order in:\n%s", want, out)
				}
				at = i
			}
			if strings.Contains(out, tt.absent) {
				t.Errorf("log has the other family's line %q:\n%s", tt.absent, out)
			}
		})
	}
}

// jsonKeys returns the top-level keys of a JSON object.
func jsonKeys(t *testing.T, data string) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestProbeJSON: --json has the same fields for TPM 1.2 and 2.0, and the kernel lines.
func TestProbeJSON(t *testing.T) {
	out12, errOut, code := runCmd(t, "probe", "--json")
	if code != exitOK {
		t.Fatalf("1.2: exit %d: %s", code, errOut)
	}
	var r struct {
		Family   string   `json:"family"`
		DIDVID   string   `json:"did_vid"`
		Log      []string `json:"log"`
		Complete bool     `json:"complete"`
		Sim      struct {
			BusTimePS uint64 `json:"bus_time_ps"`
		} `json:"sim"`
	}
	if err := json.Unmarshal([]byte(out12), &r); err != nil {
		t.Fatal(err)
	}
	if r.Family != "1.2" || r.DIDVID != "0x000b15d1" || !r.Complete || len(r.Log) != 3 || r.Sim.BusTimePS == 0 {
		t.Errorf("JSON report %+v", r)
	}
	out20, errOut, code := runCmd(t, "probe", "--json", "--sim", "apu2-tpm20")
	if code != exitOK {
		t.Fatalf("2.0: exit %d: %s", code, errOut)
	}
	k12, k20 := jsonKeys(t, out12), jsonKeys(t, out20)
	if !slices.Equal(k12, k20) {
		t.Errorf("JSON fields differ between TPM 1.2 and 2.0:\n1.2 %v\n2.0 %v", k12, k20)
	}
}

func TestProbeUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"probe", "--startup", "sometimes"}, "--startup"},
		{[]string{"probe", "--locality", "5"}, "--locality"},
		{[]string{"probe", "--mmio", "--sim=default"}, "exclude"},
		{[]string{"probe", "--mmio", "default"}, "--mmio"},
		{[]string{"probe", "--force"}, "--force"},
		{[]string{"probe", "--timeout-scale", "0"}, "--timeout-scale"},
		{[]string{"probe", "--timeout-scale", "Inf"}, "want a factor from 0.01 to 1000"},
		{[]string{"probe", "--timeout-scale", "NaN"}, "want a factor from 0.01 to 1000"},
		{[]string{"probe", "--timeout-scale", "1e300"}, "want a factor from 0.01 to 1000"},
		{[]string{"probe", "--timeout-scale", "1e-12"}, "want a factor from 0.01 to 1000"},
		{[]string{"probe", "--locality", "4"}, "locality 4 is reserved for the chipset"},
		{[]string{"version", "--locality", "4"}, "locality 4 is reserved for the chipset"},
		{[]string{"probe", "--sim", "no-such-bench"}, "no built-in scenario"},
		{[]string{"probe", "no-such-bench"}, "no built-in scenario"},
		{[]string{"version", "--mmio", "default"}, "--mmio"},
		{[]string{"nv", "list", "--startup", "x"}, "--startup"},
	}
	for _, tt := range tests {
		_, errOut, code := runCmd(t, tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", tt.args, code, errOut, tt.want)
		}
	}
}

// TestProbeScenarioFile probes a scenario given as a file.
func TestProbeScenarioFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mine.yaml")
	yaml := "name: mine\nboard: apu1d\nmodule: asus-tpm-20-1\npersonality: slb9635\nengine: tpm12\nhost: apu\n"
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCmd(t, "probe", "--sim", path)
	if code != exitOK || !strings.Contains(out, "Issuing TPM_STARTUP") {
		t.Errorf("exit %d, stderr %s, stdout %s", code, errOut, out)
	}
}

// TestProbeBrokenBenches: every built-in fault scenario ends (no hang), and a failed probe
// exits 1 with a diagnosis naming likely causes.
func TestProbeBrokenBenches(t *testing.T) {
	for _, name := range []string{"fault-missing-lclk", "fault-missing-3v3", "fault-missing-gnd", "fault-lreset-held", "fault-open-lad2", "fault-swap-lad0-lad1"} {
		out, errOut, code := runCmd(t, "probe", "--sim", name)
		if code != exitBench {
			t.Errorf("%s: exit %d, want 1\n%s", name, code, out)
			continue
		}
		if !strings.Contains(out, "diagnosis:") || !strings.Contains(out, "likely causes:") || !strings.Contains(errOut, "probe failed") {
			t.Errorf("%s: no diagnosis:\n%s\n%s", name, out, errOut)
		}
	}
}

// TestTraceRegs logs every register access before the kernel lines.
func TestTraceRegs(t *testing.T) {
	out, _, code := runCmd(t, "probe", "--trace-regs")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	first := strings.SplitN(out, "\n", 2)[0]
	if !strings.HasPrefix(first, "tis: read  reg 0x0f00 DID_VID_0") {
		t.Errorf("first line %q, want the DID_VID read", first)
	}
	if n := strings.Count(out, "\ntis: "); n < 100 {
		t.Errorf("only %d traced accesses", n)
	}
}

// TestProbeUserBoards checks that a simulated probe builds its bench from the pinout database
// with the user's --boards files: a scenario naming a board only the user's file defines
// probes with --boards and is an input error without it.
func TestProbeUserBoards(t *testing.T) {
	dir := t.TempDir()
	board := `boards:
  - id: my-apu
    name: my own apu1d clone
    vendor: me
    family: apu
    chipset: AMD A55E FCH
    connector: pcengines-lpc-2x10
    confidence: 1S
    sources: [mine]
`
	sc := `name: mine
description: the reference module on my own board
board: my-apu
module: asus-tpm-20-1
personality: slb9635
engine: tpm12
state: factory
host: apu
`
	if err := os.WriteFile(filepath.Join(dir, "my.yaml"), []byte(board), 0o644); err != nil {
		t.Fatal(err)
	}
	scFile := filepath.Join(t.TempDir(), "mine.yaml")
	if err := os.WriteFile(scFile, []byte(sc), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCmd(t, "probe", "--boards", dir, "--sim", scFile)
	if code != exitOK || !strings.Contains(out, "Issuing TPM_STARTUP") {
		t.Errorf("probe with --boards: exit %d, want 0 and a probe log\n%s%s", code, out, errOut)
	}
	_, errOut, code = runCmd(t, "probe", "--sim", scFile)
	if code != exitUsage || !strings.Contains(errOut, "my-apu") {
		t.Errorf("probe without --boards: exit %d, want 2 naming the unknown board\n%s", code, errOut)
	}
}
