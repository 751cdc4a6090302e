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
	"tpmbench/tpm"
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

// simShortVCD runs the workload of "tpmbench sim" on a built-in scenario
// (its own engine): DID_VID, RID and ACCESS, then one GetCapability through
// the FIFO. It is a few hundred clocks with little variety in the LAD
// nibbles, the case where a diagnosis must not claim more than it saw.
func simShortVCD(t *testing.T, name string) []byte {
	t.Helper()
	s, err := scenario.Load(name)
	if err != nil {
		t.Skipf("scenario %s: %v", name, err)
	}
	b, err := scenario.BuildWith(s, scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var vcd bytes.Buffer
	v := b.AttachVCD(&vcd)
	h := b.Host
	h.Read32(0xF00)
	h.Read8(0xF04)
	h.Read8(0x000)
	if conn, err := tis.Open(context.Background(), h, 0, tis.Family12); err == nil {
		conn.Send(tpm.GetCapVersionVal())
		conn.Release()
	}
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
		short    bool   // the "tpmbench sim" workload instead of the probe
		view     string // "" board, moduleView module
		want     string // findings, as codes(signal)
		text     string // a part of the first finding's text, when it matters
	}{
		{"default", false, moduleView, "", ""},
		{"default", false, "", "", ""},
		{"default", true, "", "", ""},
		{"fault-missing-lclk", false, moduleView, "no-clock(lclk)", "LCLK open"},
		{"fault-missing-lclk", false, "", "no-answer()", ""},
		// An unpowered module never drives and its LCLK input never
		// toggles, exactly like a module with LCLK open: the finding must
		// name both causes, not one.
		{"fault-missing-3v3", false, moduleView, "no-clock(lclk)", "LCLK open between the host and here, or, at a module's pins, no clock, +3V3 or ground"},
		{"fault-missing-3v3", true, moduleView, "no-clock(lclk)", "while LFRAME#, LAD0, LAD1, LAD2 and LAD3 change"},
		{"fault-missing-3v3", false, "", "no-answer()", ""},
		{"fault-missing-gnd", false, moduleView, "no-clock(lclk)", "LCLK open between the host and here, or, at a module's pins, no clock, +3V3 or ground"},
		{"fault-missing-gnd", true, moduleView, "no-clock(lclk)", "the samples cannot tell which"},
		{"fault-missing-gnd", false, "", "no-answer()", ""},
		{"fault-stuck-high-lad0", false, "", "stuck(lad0) no-answer()", ""},
		{"fault-stuck-low-lframe", false, "", "stuck(lframe#)", ""},
		{"fault-open-lad2", false, moduleView, "stuck(lad2)", ""},
		{"fault-bridge-lad1-lad2", false, "", "bridged(lad1,lad2)", ""},
		{"fault-bridge-lad1-lad2", false, moduleView, "bridged(lad1,lad2)", ""},
		// The short workload never sets LAD3 apart from LAD1 and LAD2:
		// one undecided group, no invented LAD1/LAD3 or LAD2/LAD3 bridge.
		{"fault-bridge-lad1-lad2", true, "", "inconclusive(lad1,lad2,lad3)", "LAD1, LAD2 and LAD3 never differed in"},
		{"fault-bridge-lad1-lad2", true, moduleView, "inconclusive(lad1,lad2,lad3)", "a bridge among them, or too little traffic to tell"},
		{"fault-swap-lad0-lad1", false, moduleView, "swapped(lad0,lad1)", ""},
		{"wiring-lad0-lad3-crossed", false, moduleView, "swapped(lad0,lad3)", ""},
		{"fault-flip-lad3", false, "", "bit-errors(lad3)", ""},
		// On the short workload the flips land in TPM addresses (0x081B,
		// 0x8024) and a TAR, which only the address check and the TAR
		// check together count up to a finding.
		{"fault-flip-lad3", true, "", "bit-errors(lad3)", ""},
		{"fault-flip-lad3", true, moduleView, "bit-errors(lad3)", ""},
		{"fault-lreset-held", false, moduleView, "reset-held(lreset#) no-answer()", ""},
	}
	for _, tt := range tests {
		name := tt.scenario
		if tt.short {
			name += "/short"
		}
		if tt.view != "" {
			name += "/module"
		} else {
			name += "/board"
		}
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				vcd := simVCD
				if tt.short {
					vcd = simShortVCD
				}
				d := diagnoseBytes(t, vcd(t, tt.scenario), tt.view)
				if got := codes(d); got != tt.want {
					for _, f := range d.Findings {
						t.Log(f)
					}
					t.Errorf("findings %q, want %q", got, tt.want)
				}
				if tt.text != "" && (len(d.Findings) == 0 || !strings.Contains(d.Findings[0].Text, tt.text)) {
					t.Errorf("findings %v, want the first to say %q", d.Findings, tt.text)
				}
				if d.OK() != (tt.want == "") {
					t.Errorf("OK() = %t with findings %q", d.OK(), codes(d))
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
		{"lad2 flips once", busyWave().mapLAD(func(i int, v uint8) uint8 {
			if i == 11 {
				return v ^ 4
			}
			return v
		}).sr(t, srOptions{}), "inconclusive(lad2)"},
		{"lad1 lad2 equal, little traffic", wave{}.idle(4).read(0x0, 0x0, 0x0F1F, 4, 0, 0x99).idle(4).sr(t, srOptions{}), "inconclusive(lad1,lad2)"},
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

// TestTPMAddrBit: a TPM address outside the register map is blamed on the
// LAD line of the one bit that puts it back in the map, and legitimate
// traffic (TXT hash registers of locality 4, vendor registers) is not.
func TestTPMAddrBit(t *testing.T) {
	tests := []struct {
		addr uint32
		want int
	}{
		{0x001B, -1},       // STS+3
		{0x081B, 3},        // STS+3 with address bit 11 (LAD3) set
		{0x8024, 3},        // DATA_FIFO at "locality 8": bit 15
		{0x0F24, -1},       // vendor space: not an error
		{0x4028, -1},       // HASH_START, locality 4
		{0x4020, -1},       // HASH_END, locality 4
		{0x0019 | 1<<6, 2}, // STS+1 with bit 6 (LAD2) set
		{0x5000, -1},       // locality 5 ACCESS: bit 12 (LAD0) or bit 14 (LAD2) away from a valid one
	}
	for _, tt := range tests {
		if got := tpmAddrBit(tt.addr); got != tt.want {
			t.Errorf("tpmAddrBit(0x%04X) = %d, want %d", tt.addr, got, tt.want)
		}
	}
}
