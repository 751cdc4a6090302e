package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tpmbench/internal/reftest"
	"tpmbench/lpcsim/scenario"
)

// probedBus runs the default probe and goes to the Bus screen.
func probedBus(t *testing.T) *driver {
	t.Helper()
	d := newDriver(t, Options{}, 80, 24)
	toProbe(d)
	d.keys("r")
	d.mustShow("probe complete")
	d.keys("tab")
	d.mustShow("[Bus]", "probe of simulated bench default")
	return d
}

// TestBusCycles checks the cycle list and the waveform of the first cycle of the default probe:
// a TPM read of DID_VID, START nibble 5 on LAD while LFRAME# is low.
func TestBusCycles(t *testing.T) {
	d := probedBus(t)
	d.mustShow("tpm-read", "DID_VID", "LFRAME#", "LAD0", "SERIRQ", "^^")
	s := d.screen()
	var lad, frame string
	for _, l := range strings.Split(s, "\n") {
		switch {
		case strings.HasPrefix(l, "LAD  "):
			lad = l
		case strings.HasPrefix(l, "LFRAME#"):
			frame = l
		}
	}
	// The first column of the window is the cycle's START clock when the cycle is the first one.
	if !strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(lad, "LAD")), "5") {
		t.Errorf("LAD row does not start with the TPM START nibble 5: %q", lad)
	}
	if !strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(frame, "LFRAME#")), "▁▁") {
		t.Errorf("LFRAME# is not low at the START clock: %q", frame)
	}
	checkGolden(t, "bus-cycles", s)
}

// TestBusCommandJump checks the command list and that enter on a command selects its first
// cycle, marked with the command's name.
func TestBusCommandJump(t *testing.T) {
	d := probedBus(t)
	d.keys("v")
	d.mustShow("TPM_GetCapability", "TPM_Startup", "cycles ")
	checkGolden(t, "bus-commands", d.screen())
	d.keys("down", "enter")
	b := d.m.screens[d.m.active].(*busModel)
	want := b.trace.commands[1].FirstCycle
	if b.cycle != want || b.mode != busCycles {
		t.Fatalf("after enter: cycle %d mode %d, want cycle %d in the cycle list", b.cycle, b.mode, want)
	}
	for _, l := range strings.Split(d.screen(), "\n") {
		if strings.HasPrefix(l, "›") {
			if !strings.Contains(l, "◂ "+b.trace.commands[1].Name()) {
				t.Errorf("selected row does not name the command: %q", l)
			}
			return
		}
	}
	t.Error("no selected row in the cycle list")
}

// TestBusCapture opens a VCD written by the simulator as a capture file given at start.
func TestBusCapture(t *testing.T) {
	sc, err := scenario.Load("default")
	if err != nil {
		t.Fatal(err)
	}
	b, err := scenario.Build(sc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bench.vcd")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	vcd := b.AttachVCD(f)
	for off := uint32(0xF00); off < 0xF04; off++ {
		if _, err := b.Host.Read8(off); err != nil {
			t.Fatal(err)
		}
	}
	if err := vcd.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	d := newDriver(t, Options{Capture: path}, 80, 24)
	toScreen(d, "Bus")
	d.mustShow("[Bus]", "capture "+path, "4 cycles", "DID_VID+3 data=00")

	d = newDriver(t, Options{Capture: filepath.Join(t.TempDir(), "missing.vcd")}, 80, 24)
	toScreen(d, "Bus")
	d.mustShow("no bus trace")
}

// TestBusOpenRealCapture opens a real logic-analyser capture by typing its path on the Bus
// screen: the H55 board's I/O write of 0x55 to port 0x2E.
func TestBusOpenRealCapture(t *testing.T) {
	path := reftest.Capture(t, "lpc/h55/h55_lpc_io_write.sr")
	d := newDriver(t, Options{}, 80, 24)
	toScreen(d, "Bus")
	d.mustShow("press o to open")
	d.keys("o")
	d.mustShow("open a capture")
	if !d.m.screens[d.m.active].typing() {
		t.Fatal("the path prompt does not take typed keys")
	}
	d.typeText(path)
	d.keys("enter")
	d.mustShow("capture "+path, "1 cycles", "io-write", "addr=0x002E data=55", "LAD3")

	d.keys("o")
	d.typeText(path + ".missing")
	d.keys("enter")
	d.mustShow("no bus trace", "error:")
}
