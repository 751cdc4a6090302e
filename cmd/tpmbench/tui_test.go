package main

import (
	"strings"
	"testing"
)

// TestTUIWithoutTerminal checks that the UI refuses to start on buffers with a usage error, and
// that a bare tpmbench without a terminal prints the help instead of the UI.
func TestTUIWithoutTerminal(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"tui subcommand", []string{"tui"}, exitUsage, "must be a terminal"},
		{"bare tpmbench", nil, exitOK, "Exit codes"},
		{"tui extra argument", []string{"tui", "x"}, exitUsage, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCmd(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d (stderr %q)", code, tt.code, errOut)
			}
			if !strings.Contains(out+errOut, tt.want) {
				t.Errorf("output does not mention %q:\n%s%s", tt.want, out, errOut)
			}
		})
	}
}
