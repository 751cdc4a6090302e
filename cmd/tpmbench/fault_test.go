package main

import (
	"strings"
	"testing"
	"testing/synctest"

	"tpmbench/lpcsim"
)

// harmless reports whether a single-line fault leaves the reference bench working for a polled
// probe: the line is held at the level it idles at anyway (LRESET# high, +3V3 high, GND low), or
// it is SERIRQ, which polling never uses. Every other single-line fault makes the TPM unusable.
func harmless(f lpcsim.Fault) bool {
	switch {
	case f.Line == lpcsim.SERIRQ:
		return true
	case f.Line == lpcsim.LRESET:
		return f.Kind == lpcsim.Open || f.Kind == lpcsim.StuckHigh
	case f.Line == lpcsim.V3P3:
		return f.Kind == lpcsim.StuckHigh
	case f.Line == lpcsim.GND:
		return f.Kind == lpcsim.StuckLow
	}
	return false
}

// faultLines are the signals a fault is about, as the diagnosis names them.
func faultLines(f lpcsim.Fault) []string {
	out := []string{f.Line.String()}
	if f.Kind == lpcsim.Swap || f.Kind == lpcsim.Bridge {
		out = append(out, f.Other.String())
	}
	return out
}

// withoutSimLines drops the lines of a probe's text output that describe the simulated bench
// rather than the TPM: bus time and the injected faults.
func withoutSimLines(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if !strings.HasPrefix(l, "simulated bus time:") && !strings.HasPrefix(l, "injected faults:") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// TestProbeFaultMatrix runs "probe --fault SPEC" for every single-line fault of the simulator,
// SPEC in the fault's text form. A fault that leaves the bench working must exit 0 with the
// fault-free report; any other must exit 1, and the diagnosis must name the faulted line among
// the likely causes. The probes run in a synctest bubble, so TIS timeouts cost no wall time.
func TestProbeFaultMatrix(t *testing.T) {
	clean, errOut, code := runCmd(t, "probe")
	if code != exitOK {
		t.Fatalf("fault-free probe: exit %d: %s", code, errOut)
	}
	baseline := withoutSimLines(clean)
	for _, f := range lpcsim.SingleLineFaults() {
		spec := f.String()
		t.Run(spec, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				out, errOut, code := runCmd(t, "probe", "--fault", spec)
				if !strings.Contains(out, "injected faults: "+spec+"\n") {
					t.Errorf("the report does not name the injected fault:\n%s", out)
				}
				want := exitBench
				if harmless(f) {
					want = exitOK
				}
				if code != want {
					t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, want, out, errOut)
				}
				if code == exitOK {
					if got := withoutSimLines(out); got != baseline {
						t.Errorf("report differs from the fault-free one:\n--- got\n%s\n--- fault-free\n%s", got, baseline)
					}
					return
				}
				if !strings.Contains(errOut, "probe failed") || !strings.Contains(out, "likely causes:") {
					t.Fatalf("no diagnosis:\nstdout:\n%s\nstderr:\n%s", out, errOut)
				}
				causes := out[strings.Index(out, "likely causes:"):]
				named := false
				for _, line := range faultLines(f) {
					named = named || strings.Contains(causes, "  - "+line+": ")
				}
				if !named {
					t.Errorf("the likely causes do not name %v:\n%s", faultLines(f), causes)
				}
			})
		})
	}
}

// TestFaultFlagErrors: a bad --fault is a usage error naming the spec and the accepted forms;
// --fault makes no sense on real hardware.
func TestFaultFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"probe", "--fault", "open LAD9"}, []string{`--fault "open LAD9"`, `unknown signal "LAD9"`, `"flip LINE RATE [seed=N]"`}},
		{[]string{"version", "--fault", "melt LAD0"}, []string{`--fault "melt LAD0"`, "unknown fault kind"}},
		{[]string{"nv", "list", "--fault", "flip LAD3 2"}, []string{`--fault "flip LAD3 2"`, "outside (0, 1]"}},
		{[]string{"sim", "--fault", "swap LAD0"}, []string{`--fault "swap LAD0"`, "accepted forms"}},
		{[]string{"probe", "--mmio", "--fault", "open LAD2"}, []string{"--fault", "--mmio"}},
	}
	for _, tt := range tests {
		_, errOut, code := runCmd(t, tt.args...)
		if code != exitUsage {
			t.Errorf("%q: exit %d, want 2 (stderr %q)", tt.args, code, errOut)
		}
		for _, w := range tt.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%q: stderr %q lacks %q", tt.args, errOut, w)
			}
		}
		if strings.Contains(errOut, "bad fault") {
			t.Errorf("%q: stderr repeats the library's prefix: %q", tt.args, errOut)
		}
	}
}

// TestFaultFlagRepeats: every --fault reaches the bench, after the scenario's own faults, for
// sim and for the probe commands.
func TestFaultFlagRepeats(t *testing.T) {
	out, _, code := runCmd(t, "sim", "fault-open-lad2", "--fault", "stuck-high SERIRQ", "--fault", "flip LAD3 0.01 seed=7")
	if code != exitBench {
		t.Errorf("sim: exit %d, want 1 (LAD2 open)", code)
	}
	for _, want := range []string{"fault: open LAD2 (", "fault: stuck-high SERIRQ (", "fault: flip LAD3 0.01 seed=7 ("} {
		if !strings.Contains(out, want) {
			t.Errorf("sim output lacks %q:\n%s", want, out)
		}
	}
	out, _, code = runCmd(t, "probe", "--fault", "open SERIRQ", "--fault", "stuck-high LRESET#")
	if code != exitOK || !strings.Contains(out, "injected faults: open SERIRQ; stuck-high LRESET#\n") {
		t.Errorf("probe: exit %d, output:\n%s", code, out)
	}
}

// TestNoOpFaultNotes: a fault that holds a line where it is anyway, or touches what the
// simulated bench does not model, gets a note on stderr saying it changes nothing, and indeed
// the probe report is the fault-free one. A fault that does change something gets no note.
func TestNoOpFaultNotes(t *testing.T) {
	clean, errOut, code := runCmd(t, "probe")
	if code != exitOK {
		t.Fatalf("fault-free probe: exit %d: %s", code, errOut)
	}
	baseline := withoutSimLines(clean)
	tests := []struct {
		spec string
		noOp bool
	}{
		{"stuck-low GND", true},
		{"stuck-high +3V3", true},
		{"stuck-low +5V", true},
		{"stuck-high +3V3SB", true},
		{"stuck-high LDRQ#", true},
		{"open LPCPD#", true},
		{"stuck-low CLKRUN#", true},
		{"flip LPCPD# 0.5 seed=3", true},
		{"stuck-high GND", false},
		{"stuck-low +3V3", false},
		{"missing-gnd", false},
		{"stuck-high LRESET#", false},
		{"stuck-low LAD0", false},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				out, errOut, _ := runCmd(t, "probe", "--fault", tt.spec)
				noted := strings.Contains(errOut, "changes nothing")
				if noted != tt.noOp {
					t.Fatalf("note on stderr = %v, want %v; stderr:\n%s", noted, tt.noOp, errOut)
				}
				if !tt.noOp {
					return
				}
				if !strings.Contains(errOut, `the fault "`+tt.spec+`" changes nothing: `) {
					t.Errorf("the note does not name the fault: %q", errOut)
				}
				if got := withoutSimLines(out); got != baseline {
					t.Errorf("a fault noted as changing nothing changed the report:\n--- got\n%s\n--- fault-free\n%s", got, baseline)
				}
			})
		})
	}
	_, errOut, code = runCmd(t, "sim", "--fault", "stuck-low GND")
	if code != exitOK || !strings.Contains(errOut, `the fault "stuck-low GND" changes nothing: GND is low anyway`) {
		t.Errorf("sim --fault \"stuck-low GND\": exit %d, stderr %q; want a note", code, errOut)
	}
}
