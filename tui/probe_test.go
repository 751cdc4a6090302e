package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tpmbench/tis/devmem"
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
	d.mustShow("› default", "reference bench", "unavailable: not root")
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

// fakeMachine is a machine whose sysfs, procfs and /dev/mem live in a temporary directory:
// nothing there, no TPM driver, no lockdown. devMem puts an empty file where /dev/mem goes.
func fakeMachine(t *testing.T, euid int, devMem bool) *devmem.System {
	t.Helper()
	dir := t.TempDir()
	s := &devmem.System{SysClassTPM: filepath.Join(dir, "tpm"), ProcIomem: filepath.Join(dir, "iomem"),
		Lockdown: filepath.Join(dir, "lockdown"), DevMem: filepath.Join(dir, "mem"), EUID: euid}
	if devMem {
		if err := os.WriteFile(s.DevMem, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestProbeHardwareUnavailable checks that the hardware choice is shown disabled with what
// stands in the way, explains it in full when chosen, and refuses to start.
func TestProbeHardwareUnavailable(t *testing.T) {
	tests := []struct {
		name    string
		sys     func(t *testing.T) *devmem.System
		blocker string   // on the source line
		explain []string // when the hardware source is chosen
		never   string
	}{
		{"not root", func(t *testing.T) *devmem.System { return fakeMachine(t, 1000, true) },
			"unavailable: not root", []string{"needs root", "sudo"}, "/dev/mem does not exist"},
		{"no /dev/mem", func(t *testing.T) *devmem.System { return fakeMachine(t, 0, false) },
			"unavailable: no /dev/mem", []string{"no such file", "container", "--privileged", "CONFIG_DEVMEM"}, "iomem=relaxed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDriver(t, Options{system: tt.sys(t)}, 80, 24)
			toProbe(d)
			d.mustShow("(•) simulator", "( ) hardware --mmio — "+tt.blocker)
			d.keys("m")
			d.mustShow("(•) hardware --mmio", "cannot probe hardware here")
			d.mustShow(tt.explain...)
			if strings.Contains(d.screen(), tt.never) {
				t.Errorf("the explanation mentions %q, which does not apply:\n%s", tt.never, d.screen())
			}
			d.keys("r")
			d.mustShow("error: hardware probe unavailable")
			if d.m.screens[d.m.active].(*probeModel).phase != phaseSetup {
				t.Error("a probe started although the hardware window is unavailable")
			}
		})
	}
}

// TestProbeHardwareHere checks this machine: where there is no /dev/mem (a container) the
// hardware source must be shown disabled for that reason.
func TestProbeHardwareHere(t *testing.T) {
	host := devmem.HostSystem()
	if _, err := os.Stat(host.DevMem); err == nil || host.EUID != 0 {
		t.Skipf("this machine has %s or is not run as root: the missing-/dev/mem case cannot be seen here", host.DevMem)
	}
	d := newDriver(t, Options{system: &host}, 80, 24)
	toProbe(d)
	d.mustShow("( ) hardware --mmio — unavailable: no /dev/mem")
	d.keys("m")
	d.mustShow("container")
}

// TestProbeHardwareAbout checks that where the window could be mapped the hardware source is
// selectable and says what a probe writes and what it never does. Nothing is run: the fake
// /dev/mem is an empty file.
func TestProbeHardwareAbout(t *testing.T) {
	d := newDriver(t, Options{system: fakeMachine(t, 0, true)}, 80, 24)
	toProbe(d)
	if strings.Contains(d.screen(), "unavailable") {
		t.Fatalf("hardware shown unavailable on a machine that passes the check:\n%s", d.screen())
	}
	d.keys("m")
	d.mustShow("(•) hardware --mmio", "locality request", "INT_ENABLE cleared", "commandReady and tpmGo",
		"FIFO", "TPM_Startup(ST_CLEAR) only when", "never takes", "writes no NV")
	if strings.Contains(d.screen(), "read-only except") {
		t.Errorf("the old description is back:\n%s", d.screen())
	}
	checkGolden(t, "probe-hardware", d.screen())
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

// pickPair chooses a module (downs from the first on the module list) and a board or header
// on the Boards screen, then goes to the Probe screen.
func pickPair(d *driver, module int, board string) {
	d.t.Helper()
	d.keys("up", "up", "up", "up")
	for range module {
		d.keys("down")
	}
	d.keys("enter", "/")
	d.typeText(board)
	d.keys("enter")
	for i := 0; i < 20 && !strings.Contains(d.screen(), "› "+board+" "); i++ {
		d.keys("down")
	}
	d.keys("enter")
	d.mustShow("[Wiring]")
	toProbe(d)
}

// TestProbeFollowsBoards checks that picking a pair on the Boards screen chooses the bench of
// that pair: the built-in scenario when one simulates it (the reference bench for apu1d, the
// TPM 2.0 bench for apu2 + TPM1A), otherwise a bench built for the pair, which the probe then
// runs: the reference TPM on apu3d's header, the TPM 2.0 of a TPM4A on apu3d, the alix host
// bridge on an alix2d.
func TestProbeFollowsBoards(t *testing.T) {
	tests := []struct {
		name   string
		module int // downs on the module list from its first entry
		board  string
		want   []string // on the setup screen
		ran    []string // after r
		host   string   // host profile of the bench built for the pair; "" for a built-in one
	}{
		{"reference bench", 0, "apu1d", []string{"› default"}, []string{"simulated bench default", "TPM 1.2 Infineon"}, ""},
		{"TPM 2.0 bench", 2, "apu2", []string{"› apu2-tpm1a-tpm20"}, []string{"simulated bench apu2-tpm1a-tpm20", "TPM 2.0"}, ""},
		{"reference module on apu3d", 0, "apu3d", []string{"› asus-tpm-20-1 + apu3d (picked)", "generated wiring (11 wires)", "slb9635/tpm12", "as the reference bench"},
			[]string{"simulated bench asus-tpm-20-1 + apu3d", "probe complete", "TPM 1.2 Infineon", "1.2 TPM (device-id 0xB"}, "apu"},
		{"TPM 2.0 module on apu3d", 3, "apu3d", []string{"› pcengines-tpm4a + apu3d (picked)", "slb9665/tpm20", "TPM 2.0 like the module"},
			[]string{"simulated bench pcengines-tpm4a + apu3d", "probe complete", "TPM 2.0"}, "apu"},
		{"alix host bridge", 0, "alix2d", []string{"› asus-tpm-20-1 + alix2d (picked)", "alix host bridge", "hypothesis"},
			[]string{"simulated bench asus-tpm-20-1 + alix2d", "probe failed", "no TPM answered"}, "alix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDriver(t, Options{}, 80, 24)
			pickPair(d, tt.module, tt.board)
			d.mustShow(tt.want...)
			if p := d.m.screens[d.m.active].(*probeModel); tt.host != "" {
				if p.pair == nil || p.pair.scen == nil || p.pair.scen.Board != tt.board || p.pair.scen.Host != tt.host {
					t.Fatalf("the bench built for the pair is %+v, want board %s and host %s", p.pair, tt.board, tt.host)
				}
			} else if p.pair != nil {
				t.Errorf("a bench was built for a pair a built-in scenario simulates: %+v", p.pair)
			}
			d.keys("r")
			d.mustShow(tt.ran...)
		})
	}
}

// TestProbePairCannotSimulate picks a module and an SPI header: the Probe screen must say that
// the pair cannot be simulated and why, and refuse to run rather than probe another bench.
func TestProbePairCannotSimulate(t *testing.T) {
	d := newDriver(t, Options{}, 80, 24)
	pickPair(d, 0, "asus-tpm-spi-14-1")
	d.mustShow("› asus-tpm-20-1 + asus-tpm-spi-14-1", "cannot simulate", "SPI bus", "LPC only")
	checkGolden(t, "probe-pair-unsimulated", d.screen())
	d.keys("r")
	d.mustShow("error: cannot simulate asus-tpm-20-1 + asus-tpm-spi-14-1")
	if p := d.m.screens[d.m.active].(*probeModel); p.phase != phaseSetup {
		t.Error("a probe started for a pair that cannot be simulated")
	}
	d.keys("down")
	d.mustShow("› alix3d2-asus")
	d.keys("r")
	d.mustShow("simulated bench alix3d2-asus")
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
