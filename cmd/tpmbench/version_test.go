package main

import (
	"strings"
	"testing"
)

// TestVersionFlagsNV: the report commands print the tpm-tools views of the reference bench.
func TestVersionFlagsNV(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"version"}, []string{"  TPM 1.2 Version Info:\n", "  Chip Version:        ", "  TPM Vendor ID:       IFX", "  TPM Version:         01010000\n", "  Manufacturer Info:   49465800\n"}},
		{[]string{"flags"}, []string{"TPM_PERMANENT_FLAGS:\n", "  disable                        TRUE\n", "  nvLocked                       FALSE\n", "TPM_STCLEAR_FLAGS:\n", "enabled: no  active: no  owned: no  nvLocked: no\n"}},
		{[]string{"nv", "list", "-n"}, []string{"The following NVRAM areas have been defined:\n"}},
		{[]string{"version", "--sim", "apu2-tpm20"}, []string{"  TPM 2.0 Version Info:\n", "  TPM Vendor ID:       IFX\n"}},
	}
	for _, tt := range tests {
		out, errOut, code := runCmd(t, tt.args...)
		if code != exitOK {
			t.Errorf("%v: exit %d: %s", tt.args, code, errOut)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", tt.args, w, out)
			}
		}
		if strings.Contains(out, "tpm_tis:") {
			t.Errorf("%v: kernel log lines leaked into stdout:\n%s", tt.args, out)
		}
	}
}

// TestReportCommandsFailCleanly: on a dead bench the commands that need a working TPM exit 1
// with the diagnosis on stderr and nothing on stdout.
func TestReportCommandsFailCleanly(t *testing.T) {
	for _, args := range [][]string{{"version", "fault-missing-lclk"}, {"flags", "fault-missing-lclk"}, {"nv", "list", "fault-missing-lclk"},
		{"nv", "lock", "fault-missing-lclk"}, {"enable", "fault-missing-lclk"}, {"enable", "--json", "fault-missing-lclk"}} {
		out, errOut, code := runCmd(t, args...)
		if code != exitBench || out != "" || !strings.Contains(errOut, "diagnosis:") || !strings.Contains(errOut, "tpmbench: probe failed: ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

// TestNVParentHelp: "nv" alone shows its subcommands on stderr and exits 2.
func TestNVParentHelp(t *testing.T) {
	out, errOut, code := runCmd(t, "nv")
	if code != exitUsage || out != "" || !strings.Contains(errOut, "Available Commands:") || !strings.Contains(errOut, "needs a subcommand: list, lock") {
		t.Errorf("exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
}
