package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestArgumentErrors: a missing, extra or conflicting argument is a usage error (exit 2) that
// names what the command needs and shows its usage line.
func TestArgumentErrors(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"decode"}, []string{"decode needs a CAPTURE file (.sr or .vcd)", "usage: tpmbench decode CAPTURE"}},
		{[]string{"decode", "a.vcd", "b.vcd"}, []string{"decode takes one argument, got 2"}},
		{[]string{"decode", "a.vcd", "--cycles", "--commands"}, []string{"[cycles regs commands]", "[commands cycles] were all set"}},
		{[]string{"pins"}, []string{"pins needs a connector or board id (see tpmbench boards)", "usage: tpmbench pins ID"}},
		{[]string{"boards", "extra"}, []string{"boards takes no arguments", "usage: tpmbench boards"}},
		{[]string{"probe", "default", "apu2"}, []string{"probe takes at most one SCENARIO", "usage: tpmbench probe"}},
		{[]string{"flags", "a", "b"}, []string{"flags takes at most one SCENARIO"}},
		{[]string{"nv", "list", "a", "b"}, []string{"nv list takes at most one SCENARIO", "usage: tpmbench nv list"}},
		{[]string{"nv", "lock", "a", "b"}, []string{"nv lock takes at most one SCENARIO"}},
		{[]string{"sim", "a", "b"}, []string{"sim takes at most one SCENARIO"}},
		{[]string{"wire", "a", "b", "c"}, []string{"wire takes a MODULE and a BOARD, got 3 arguments", "usage: tpmbench wire MODULE BOARD"}},
		{[]string{"txt", "decode"}, []string{"txt decode needs a TXT.ERRORCODE VALUE", "usage: tpmbench txt decode"}},
		{[]string{"nv"}, []string{"Available Commands:", "tpmbench nv needs a subcommand: list, lock"}},
		{[]string{"txt"}, []string{"Available Commands:", "tpmbench txt needs a subcommand: decode"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, errOut, code := runCmd(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want 2", code)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing (help and errors go to stderr)", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

// TestInterrupted: a command that Ctrl-C ends exits 130 and says "interrupted", naming the step
// in progress, instead of reporting a broken bench (exit 1). The bench's LAD3 is stuck low, so
// TPM_ACCESS never becomes valid and the probe must wait: the cancelled context ends the wait.
func TestInterrupted(t *testing.T) {
	for _, args := range [][]string{
		{"probe", "--fault", "stuck-low LAD3"},
		{"probe", "--json", "--fault", "stuck-low LAD3"},
		{"version", "--fault", "stuck-low LAD3"},
		{"enable", "--fault", "stuck-low LAD3"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var out, errb bytes.Buffer
			err := run(ctx, args, &out, &errb)
			if code := exitCode(err); code != exitInterrupted {
				t.Fatalf("exit %d, want 130 (error %v)\nstdout:\n%s\nstderr:\n%s", code, err, out.String(), errb.String())
			}
			if isQuiet(err) || !strings.HasPrefix(err.Error(), "interrupted: tis: ") || !strings.Contains(err.Error(), "TPM_ACCESS") {
				t.Errorf("error %q: want \"interrupted\" and the step (TPM_ACCESS valid)", err)
			}
			if strings.Contains(errb.String(), "probe failed") || strings.Contains(errb.String(), "likely causes") {
				t.Errorf("an interruption is reported as a failed probe:\n%s", errb.String())
			}
		})
	}
}

// TestHelpNamesInterrupted: the root help lists exit status 130.
func TestHelpNamesInterrupted(t *testing.T) {
	out, _, code := runCmd(t, "--help")
	if code != exitOK || !strings.Contains(out, "130 interrupted (Ctrl-C)") {
		t.Errorf("exit %d, help:\n%s", code, out)
	}
}
