package tui

import (
	"strings"
	"testing"
)

// toScreen tabs to the named screen.
func toScreen(d *driver, name string) {
	d.t.Helper()
	for range len(d.m.screens) {
		if strings.Contains(strings.SplitN(d.screen(), "\n", 2)[0], "["+name+"]") {
			return
		}
		d.keys("tab")
	}
	d.t.Fatalf("no %s screen:\n%s", name, d.screen())
}

func toProbe(d *driver) { d.t.Helper(); toScreen(d, "Probe") }

// TestProbeDefault runs the probe of the reference bench and checks the kernel's three lines in
// their order, the report's state and the golden frames of the setup and the result.
func TestProbeDefault(t *testing.T) {
	d := newDriver(t, Options{}, 80, 24)
	toProbe(d)
	d.mustShow("› default", "reference bench", "unavailable here")
	checkGolden(t, "probe-setup", d.screen())
	d.keys("r")
	d.mustShow("probe complete", "TPM 1.2 Infineon", "enabled no", "active no", "owned no", "NV locked no")
	s := d.screen()
	lines := []string{"1.2 TPM (device-id 0xB, rev-id 16)", "Issuing TPM_STARTUP", "TPM is disabled/deactivated (0x7)"}
	last := -1
	for _, l := range lines {
		i := strings.Index(s, l)
		if i <= last {
			t.Fatalf("log line %q missing or out of order:\n%s", l, s)
		}
		last = i
	}
	checkGolden(t, "probe-report", s)
	d.keys("pgdown")
	d.mustShow("chip version", "NV indices")
	d.keys("esc")
	d.mustShow("› default")
}

// TestProbeFaults checks that a fault chosen in the list reaches the bench: with LAD2 open no
// TPM answers and the diagnosis names LAD2; unticking it brings the TPM back.
func TestProbeFaults(t *testing.T) {
	d := newDriver(t, Options{}, 80, 24)
	toProbe(d)
	d.keys("right")
	for range 60 {
		if strings.Contains(d.screen(), "› [ ] open LAD2") {
			break
		}
		d.keys("down")
	}
	d.keys("space")
	d.mustShow("[x] open LAD2", "extra faults (1 chosen)")
	d.keys("r")
	d.mustShow("default + open LAD2", "probe failed", "no TPM answered")
	d.keys("pgdown", "pgdown")
	d.mustShow("LAD2")
	checkGolden(t, "probe-failed", d.screen())

	d.keys("esc", "space", "r")
	d.mustShow("probe complete")
}

// TestProbeHardwareUnavailable checks that the hardware choice shows why it cannot run and
// refuses to start.
func TestProbeHardwareUnavailable(t *testing.T) {
	d := newDriver(t, Options{}, 80, 24)
	toProbe(d)
	d.keys("m")
	d.mustShow("(•) hardware --mmio", "cannot probe hardware here", "needs root")
	d.keys("r")
	d.mustShow("error: hardware probe unavailable")
	if d.m.screens[d.m.active].(*probeModel).phase != phaseSetup {
		t.Error("a probe started although the hardware window is unavailable")
	}
}

// TestProbeCancel presses c between the start of a probe and its first result: the probe stops
// and says it was cancelled.
func TestProbeCancel(t *testing.T) {
	d := newDriver(t, Options{}, 80, 24)
	toProbe(d)
	m, cmd := d.m.Update(press("r"))
	d.m = m.(Model)
	d.mustShow("running…")
	d.keys("c")
	d.run(cmd)
	d.mustShow("probe failed", "cancel")
}

// TestProbeFollowsBoards checks that picking a pair on the Boards screen preselects the healthy
// scenario of that pair: the reference bench for apu1d, the TPM 2.0 bench for apu2 + TPM1A.
func TestProbeFollowsBoards(t *testing.T) {
	tests := []struct {
		name   string
		module int // downs on the module list from its first entry
		board  string
		want   string
	}{
		{"reference bench", 0, "apu1d", "› default"},
		{"TPM 2.0 bench", 2, "apu2", "› apu2-tpm1a-tpm20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDriver(t, Options{}, 80, 24)
			d.keys("up", "up", "up", "up")
			for range tt.module {
				d.keys("down")
			}
			d.keys("enter", "/")
			d.typeText(tt.board)
			d.keys("enter")
			for i := 0; i < 20 && !strings.Contains(d.screen(), "› "+tt.board+" "); i++ {
				d.keys("down")
			}
			d.keys("enter")
			d.mustShow("[Wiring]")
			toProbe(d)
			d.mustShow(tt.want)
		})
	}
}

// TestProbeRegisterTrace checks that t puts every register access in the live log.
func TestProbeRegisterTrace(t *testing.T) {
	d := newDriver(t, Options{}, 80, 24)
	toProbe(d)
	d.keys("t")
	d.mustShow("register trace in the log: on")
	d.keys("r")
	d.mustShow("probe complete")
	p := d.m.screens[d.m.active].(*probeModel)
	regs := 0
	for _, l := range p.log {
		if strings.HasPrefix(l, "tis: read ") || strings.HasPrefix(l, "tis: write ") {
			regs++
		}
	}
	if regs == 0 || regs != p.progress.accesses {
		t.Errorf("%d register lines in the log for %d accesses, want one each", regs, p.progress.accesses)
	}
}
