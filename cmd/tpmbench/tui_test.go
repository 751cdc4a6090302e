package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

// TestTUIEndToEnd builds tpmbench and drives it in a tmux window of 80x24 through the
// workflow: pick the default bench on Boards, tick a wire on Wiring and look at the drawing,
// probe the default scenario, look at its cycles on Bus, quit; then checks the saved checklist.
// A second run with NO_COLOR=1 must draw without colour escapes.
func TestTUIEndToEnd(t *testing.T) {
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		if os.Getenv("TPMBENCH_INTEGRATION") == "1" {
			t.Fatalf("TPMBENCH_INTEGRATION=1 but tmux is not installed: %v", err)
		}
		t.Skip("tmux is not installed (apt-get install tmux); set TPMBENCH_INTEGRATION=1 to make this a failure")
	}
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build tpmbench for this test: %v", err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "tpmbench")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	config := filepath.Join(dir, "config")

	s := startTmux(t, tmux, dir, "XDG_CONFIG_HOME="+config, "TERM=xterm-256color", bin)
	s.waitFor("[Boards]", "asus-tpm-20-1", "apu1d")
	s.keys("Enter", "Enter")
	s.waitFor("[Wiring]", "asus-tpm-20-1 → apu1d", "0/12 soldered", "LFRAME# (FRAME)")
	s.keys("Space")
	s.waitFor("1/12 soldered", "[x]")
	s.keys("v", "v")
	s.waitFor("module asus-tpm-20-1", "board apu1d", "● wired")
	s.keys("Tab")
	s.waitFor("[Probe]", "› default")
	s.keys("r")
	s.waitFor("probe complete", "TPM 1.2 Infineon", "1.2 TPM (device-id 0xB, rev-id 16)",
		"Issuing TPM_STARTUP", "TPM is disabled/deactivated (0x7)", "enabled no")
	s.keys("Tab")
	s.waitFor("[Bus]", "probe of simulated bench default", "tpm-read", "LFRAME#")
	colored := s.capture(true)
	if !strings.Contains(colored, "\x1b[38") && !strings.Contains(colored, ";38;") {
		t.Errorf("no colour escapes in the coloured run: the NO_COLOR check below would prove nothing")
	}
	s.keys("q")
	s.waitExit()

	data, err := os.ReadFile(filepath.Join(config, "tpmbench", "checklist.json"))
	if err != nil {
		t.Fatalf("checklist not saved: %v", err)
	}
	if !strings.Contains(string(data), `"1-1"`) {
		t.Errorf("checklist lacks the ticked wire 1-1:\n%s", data)
	}

	s = startTmux(t, tmux, dir, "XDG_CONFIG_HOME="+config, "TERM=xterm-256color", "NO_COLOR=1", bin)
	s.waitFor("[Boards]")
	s.keys("Enter", "Enter")
	s.waitFor("1/12 soldered") // the tick survived the restart
	plain := s.capture(true)
	if strings.Contains(plain, "\x1b[38") || strings.Contains(plain, ";38;") || strings.Contains(plain, "\x1b[48") {
		t.Errorf("colour escapes on screen with NO_COLOR=1:\n%q", plain)
	}
	s.keys("q")
	s.waitExit()
}

// tmuxSession is one tpmbench run in a detached tmux server of its own.
type tmuxSession struct {
	t      *testing.T
	tmux   string
	socket string
}

func startTmux(t *testing.T, tmux, dir string, command ...string) *tmuxSession {
	t.Helper()
	s := &tmuxSession{t: t, tmux: tmux, socket: filepath.Join(dir, fmt.Sprintf("tmux-%d", time.Now().UnixNano()))}
	args := append([]string{"new-session", "-d", "-x", "80", "-y", "24", "env"}, command...)
	if out, err := s.run(args...); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = s.run("kill-server") })
	return s
}

func (s *tmuxSession) run(args ...string) (string, error) {
	out, err := exec.Command(s.tmux, append([]string{"-S", s.socket}, args...)...).CombinedOutput()
	return string(out), err
}

func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		if out, err := s.run("send-keys", k); err != nil {
			s.t.Fatalf("tmux send-keys %s: %v\n%s", k, err, out)
		}
	}
}

// capture returns the pane's content, with escape sequences when escapes is set.
func (s *tmuxSession) capture(escapes bool) string {
	s.t.Helper()
	args := []string{"capture-pane", "-p"}
	if escapes {
		args = append(args, "-e")
	}
	out, err := s.run(args...)
	if err != nil {
		s.t.Fatalf("tmux capture-pane: %v\n%s", err, out)
	}
	return out
}

// waitFor polls the pane until it shows every string; the bound only keeps a broken UI from
// hanging the test.
func (s *tmuxSession) waitFor(want ...string) {
	s.t.Helper()
	var screen string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		screen = s.capture(false)
		missing := false
		for _, w := range want {
			if !strings.Contains(screen, w) {
				missing = true
				break
			}
		}
		if !missing {
			return
		}
	}
	s.t.Fatalf("the screen never showed all of %q; last screen:\n%s", want, screen)
}

// waitExit waits for tpmbench to end, which ends the tmux session.
func (s *tmuxSession) waitExit() {
	s.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if _, err := s.run("has-session"); err != nil {
			return
		}
	}
	s.t.Fatalf("tpmbench did not quit on q; screen:\n%s", s.capture(false))
}
