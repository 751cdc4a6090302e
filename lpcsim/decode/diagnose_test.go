package decode

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/synctest"

	"tpmbench/lpcsim/engine/tpm12"
	"tpmbench/lpcsim/scenario"
	"tpmbench/tis"
)

// simVCD runs the TIS probe on a built-in scenario (with the TPM 1.2 engine)
// and returns the VCD of the bench.
func simVCD(t *testing.T, name string) []byte {
	t.Helper()
	s, err := scenario.Load(name)
	if err != nil {
		t.Skipf("scenario %s: %v", name, err)
	}
	b, err := scenario.BuildWith(s, scenario.Options{Engine: tpm12.New()})
	if err != nil {
		t.Fatal(err)
	}
	var vcd bytes.Buffer
	v := b.AttachVCD(&vcd)
	// A POST-code write first, as firmware does: its address and data
	// nibbles (0x80, 0x98) exercise every LAD line.
	b.Host.IOWrite(0x80, 0x98)
	tis.Probe(context.Background(), b.Host, tis.Options{SkipDetails: true, TimeoutScale: 0.01})
	b.Idle(8)
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	return vcd.Bytes()
}

// moduleView maps every signal to the module side of the simulator's wires.
const moduleView = "scope=module"

func diagnoseBytes(t *testing.T, b []byte, channels string) Diagnosis {
	t.Helper()
	o, err := ParseChannels(channels)
	if err != nil {
		t.Fatal(err)
	}
	src, err := openBytes(b, o)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Diagnose(src)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func codes(d Diagnosis) string {
	var s []string
	for _, f := range d.Findings {
		s = append(s, f.Code+"("+f.Signal+")")
	}
	return strings.Join(s, " ")
}

// TestDiagnoseSimulatorFaults diagnoses the simulator's fault scenarios from
// the waveform at the module's pins (and, where the host's side shows it,
// at the board).
func TestDiagnoseSimulatorFaults(t *testing.T) {
	tests := []struct {
		scenario string
		view     string
		want     string // findings, as codes(signal)
	}{
		{"default", moduleView, ""},
		{"default", "", ""},
		{"fault-missing-lclk", moduleView, "no-clock(lclk)"},
		{"fault-missing-lclk", "", "no-answer()"},
		{"fault-stuck-high-lad0", "", "stuck(lad0) no-answer()"},
		{"fault-stuck-low-lframe", "", "stuck(lframe#)"},
		{"fault-open-lad2", moduleView, "stuck(lad2)"},
		{"fault-bridge-lad1-lad2", "", "bridged(lad1,lad2)"},
		{"fault-swap-lad0-lad1", moduleView, "swapped(lad0,lad1)"},
		{"wiring-lad0-lad3-crossed", moduleView, "swapped(lad0,lad3)"},
		{"fault-flip-lad3", "", "bit-errors(lad3)"},
		{"fault-lreset-held", moduleView, "reset-held(lreset#) no-answer()"},
	}
	for _, tt := range tests {
		name := tt.scenario
		if tt.view != "" {
			name += "/module"
		} else {
			name += "/board"
		}
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				d := diagnoseBytes(t, simVCD(t, tt.scenario), tt.view)
				if got := codes(d); got != tt.want {
					for _, f := range d.Findings {
						t.Log(f)
					}
					t.Errorf("findings %q, want %q", got, tt.want)
				}
			})
		})
	}
}

// mapLAD rewrites the LAD nibble of every clock, as a wiring fault would.
func (w wave) mapLAD(f func(i int, lad uint8) uint8) wave {
	out := make(wave, len(w))
	for i, c := range w {
		c.lad = f(i, c.lad) & 0xF
		out[i] = c
	}
	return out
}

func busyWave() wave {
	w := wave{}.idle(4)
	for i := range 12 {
		w = w.tpmRead(uint16(0xF00+i%4), 1, byte(0x5A^i)).tpmWrite(0x24, 0, byte(0xC1+i)).idle(2)
	}
	return w
}

// TestDiagnoseHandBuilt checks each finding on hand-built waveforms.
func TestDiagnoseHandBuilt(t *testing.T) {
	bit := func(v uint8, b int) uint8 { return v >> b & 1 }
	swap := func(v uint8, a, b int) uint8 {
		if bit(v, a) != bit(v, b) {
			v ^= 1<<a | 1<<b
		}
		return v
	}
	clockless := wave{}.idle(4).samples()
	for i := range clockless {
		clockless[i] &^= lclkBit
	}
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"clean", busyWave().sr(t, srOptions{}), ""},
		{"no clock", wave{}.sr(t, srOptions{raw: clockless}), "no-clock(lclk)"},
		{"no frame", wave{}.idle(40).sr(t, srOptions{}), "no-frame(lframe#)"},
		{"lad1 stuck high", busyWave().mapLAD(func(_ int, v uint8) uint8 { return v | 2 }).vcd(vcdOptions{}), "stuck(lad1)"},
		{"lad0 stuck low", busyWave().mapLAD(func(_ int, v uint8) uint8 { return v &^ 1 }).sr(t, srOptions{}), "stuck(lad0)"},
		{"lad1 lad2 swapped", busyWave().mapLAD(func(_ int, v uint8) uint8 { return swap(v, 1, 2) }).sr(t, srOptions{}), "swapped(lad1,lad2)"},
		{"lad0 lad3 bridged", busyWave().mapLAD(func(_ int, v uint8) uint8 {
			b := bit(v, 0) & bit(v, 3)
			return v&0x6 | b | b<<3
		}).sr(t, srOptions{}), "bridged(lad0,lad3)"},
		{"lad2 flips", busyWave().mapLAD(func(i int, v uint8) uint8 {
			if i%37 == 11 {
				return v ^ 4
			}
			return v
		}).sr(t, srOptions{}), "bit-errors(lad2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := diagnoseBytes(t, tt.file, "")
			if got := codes(d); got != tt.want {
				for _, f := range d.Findings {
					t.Log(f)
				}
				t.Errorf("findings %q, want %q", got, tt.want)
			}
			if d.OK() != (tt.want == "") {
				t.Errorf("OK() = %t with findings %q", d.OK(), codes(d))
			}
		})
	}
}

// TestDiagnoseRealCaptures: the real captures come from working buses, so
// none may raise a finding.
func TestDiagnoseRealCaptures(t *testing.T) {
	files := []struct{ file, channels string }{
		{"h55/h55_lpc_io_write.sr", ""},
		{"power9/power9_lpc_io_read.sr", ""},
		{"power9/power9_lpc_firmware_write.sr", ""},
		{"power9/power9_lpc_io_write_abort.sr", ""},
		{"vultureprog/lpc_vultureprog_snippet.sr", ""},
		{"vultureprog/lpc_vultureprog.sr", vultureMap},
	}
	for _, f := range files {
		t.Run(f.file, func(t *testing.T) {
			o, err := ParseChannels(f.channels)
			if err != nil {
				t.Fatal(err)
			}
			src, err := Open(capturePath(t, f.file), o)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			d, err := Diagnose(src)
			if err != nil {
				t.Fatal(err)
			}
			if !d.OK() {
				t.Errorf("findings on a working bus: %v", d.Findings)
			}
		})
	}
}
