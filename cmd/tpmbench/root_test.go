package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// runCmd runs tpmbench with args and returns stdout, stderr and the exit code.
func runCmd(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	if err != nil && !isQuiet(err) {
		errb.WriteString(err.Error())
	}
	return out.String(), errb.String(), exitCode(err)
}

func TestRootUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown subcommand", []string{"no-such-command"}, exitUsage, "unknown command"},
		{"unknown flag", []string{"--no-such-flag"}, exitUsage, "unknown flag"},
		{"help", []string{"--help"}, exitOK, "Exit codes"},
		{"completion", []string{"completion", "bash"}, exitOK, "bash completion"},
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
