package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestSimCommand(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("board: apu1d\nmodule: asus-tpm-20-1\nfaults:\n  - melt LAD0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dead := filepath.Join(dir, "dead.yaml")
	if err := os.WriteFile(dead, []byte("board: apu1d\nmodule: asus-tpm-20-1\nengine: none\nfaults: [missing-3v3]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"bare", []string{"sim", "bare", "--regs", "--cycles"}, 0, []string{
			"scenario bare:", "host: apu", "wiring: generated, 12 wires", "faults: none", "DID_VID 0x000b15d1  RID 0x10  ACCESS_0 0x81",
			"TPM_GetCapability(TPM_CAP_VERSION_VAL): ", "register log:", " R DID_VID_0 0x0f00 = 0x000b15d1",
			"cycle log:", " tpm rd 0x0f00 loc0 data 0xd1 waits 0 ok clocks 14"}},
		{"crossed", []string{"sim", "wiring-lad0-lad3-crossed"}, 1, []string{"wiring: by pin list, 13 wires",
			"wire: board LAD0 -> module LAD3 (crossed)", "wire: board LAD3 -> module LAD0 (crossed)", "no TPM answers"}},
		{"list", []string{"sim", "--list"}, 0, []string{"default ", "alix3d2-asus ", "fault-missing-lclk "}},
		{"unknown", []string{"sim", "apu9"}, 2, []string{"no built-in scenario \"apu9\""}},
		{"bad file", []string{"sim", bad}, 2, []string{"bad.yaml:4: fault:"}},
		{"missing file", []string{"sim", filepath.Join(dir, "none.yaml")}, 2, []string{"none.yaml"}},
		{"dead module", []string{"sim", dead}, 1, []string{"fault: open +3V3 (missing +3V3: the module is unpowered)",
			"module power: DEAD", "DID_VID 0xffffffff", "no TPM answers", " aborted"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCmd(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out+errOut, w) {
					t.Errorf("output lacks %q\nstdout:\n%s\nstderr:\n%s", w, out, errOut)
				}
			}
		})
	}
}

func TestSimVCD(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bus.vcd")
	out, errOut, code := runCmd(t, "sim", "bare", "--vcd", path)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "$version") || !strings.Contains(string(data), "$timescale 1ns $end") ||
		!strings.Contains(string(data), "$var wire 1 \" LFRAME# $end") {
		t.Errorf("VCD header wrong:\n%.400s", data)
	}
}

// TestSimSwtpm runs the workload against a real swtpm process and checks
// that it answers the GetCapability as the built-in TPM 1.2 model does
// (TPM_INVALID_POSTINIT before TPM_Startup).
func TestSimSwtpm(t *testing.T) {
	if os.Getenv("TPMBENCH_INTEGRATION") != "1" {
		t.Skip("set TPMBENCH_INTEGRATION=1 to run swtpm")
	}
	if _, err := exec.LookPath("swtpm"); err != nil {
		t.Fatalf("TPMBENCH_INTEGRATION=1 but swtpm is missing (apt-get install swtpm): %v", err)
	}
	path := filepath.Join(t.TempDir(), "swtpm.yaml")
	if err := os.WriteFile(path, []byte("board: apu1d\nmodule: asus-tpm-20-1\nengine: swtpm\nstate: fresh\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const want = "TPM_GetCapability(TPM_CAP_VERSION_VAL): 10-byte response, return code TPM_INVALID_POSTINIT (0x26)"
	for _, args := range [][]string{{"sim", path}, {"sim", "default"}} {
		out, errOut, code := runCmd(t, args...)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("%v: exit %d, want 0 and %q\n%s%s", args, code, want, out, errOut)
		}
	}
}
